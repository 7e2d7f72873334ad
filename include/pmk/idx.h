/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/** @file pmk/idx.h
 * The IDX format of the original MNIST and Fashion-MNIST files.
 *
 * Big-endian header: two zero bytes, a type byte (0x08 u8, 0x09 s8, 0x0B i16,
 * 0x0C i32, 0x0D f32, 0x0E f64), a dimension count, then one u32 per
 * dimension; the body follows.  Gzipped files are recognised by magic bytes.
 * The reader validates the magic, the dimensions and the file length against
 * the header (a short body and trailing bytes are both errors), and refuses
 * sizes that overflow before allocating; memory grows only as the body
 * arrives, so a lying header cannot make it allocate more than the file holds.
 * Thread-safety: no global state; each call is independent. */
#ifndef PMK_IDX_H
#define PMK_IDX_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include "pmk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    PMK_IDX_U8 = 0x08, PMK_IDX_S8 = 0x09, PMK_IDX_I16 = 0x0B,
    PMK_IDX_I32 = 0x0C, PMK_IDX_F32 = 0x0D, PMK_IDX_F64 = 0x0E
};

/** Reads an IDX file as an N x D matrix: N = dims[0], D = product of the other
 *  dimensions (1 for a label file).  Any element type; float NaN or infinity
 *  is refused (PMK_EDATA).  @p dims_out / @p ndim_out, when non-NULL,
 *  receive the header's dimensions (at most 8) and their count.  *X is owned
 *  by the caller (gsl_matrix_free), NULL on error: PMK_EIO, PMK_EFORMAT (bad
 *  magic, short body, trailing bytes), PMK_EDATA, PMK_ELIMIT, PMK_ENOMEM,
 *  each naming the file. */
PMK_API int pmk_idx_read(const char *path, gsl_matrix **X, size_t dims_out[8],
                         size_t *ndim_out, pmk_error *err);

/** Reads a one-dimensional IDX label file of an integer type (u8, s8, i16,
 *  i32) into a new array of N longs (*y, owned by the caller: free with
 *  free()); *y is NULL and *n 0 on error (statuses as pmk_idx_read). */
PMK_API int pmk_idx_read_labels(const char *path, long **y, size_t *n, pmk_error *err);

/** Writes X as IDX of element type @p type with the given dimensions
 *  (product must equal N*D; pass ndim = 0 for {N, D}).  Values must be
 *  representable in @p type (u8: integers 0..255, ...), else PMK_EDATA.  Written
 *  atomically; a path ending in ".gz" is gzipped. */
PMK_API int pmk_idx_write(const char *path, const gsl_matrix *X, int type,
                          const size_t *dims, size_t ndim, pmk_error *err);

/** Writes N labels as a one-dimensional u8 IDX file (labels 0..255). */
PMK_API int pmk_idx_write_labels(const char *path, const long *y, size_t n, pmk_error *err);

/** Writes @p data (the product of @p dims bytes, row-major) as a u8 IDX file
 *  with @p ndim (1..8) non-zero dimensions; atomic, gzipped for ".gz". */
PMK_API int pmk_idx_write_u8(const char *path, const unsigned char *data, const size_t *dims,
                             size_t ndim, pmk_error *err);

#ifdef __cplusplus
}
#endif
#endif
