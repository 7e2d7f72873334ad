/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* idx_internal.h: the IDX header and element decoding that pmk_idx_read and
 * the data-set reader (dataset_read.c) share. */
#ifndef PMK_IDX_INTERNAL_H
#define PMK_IDX_INTERNAL_H

#include <stddef.h>
#include "pmk/stream.h"

/* An IDX header as read and checked. */
typedef struct pmk_idx_header {
    int type;                /* PMK_IDX_U8, ... */
    size_t esz;              /* bytes per element */
    size_t ndim, dims[8];
    size_t count;            /* elements: the product of dims */
    size_t bytes;            /* body bytes: count * esz */
    size_t hlen;             /* header bytes: 4 + 4 * ndim */
    size_t total;            /* hlen + bytes */
} pmk_idx_header;

/* Bytes per element of type @p t, 0 for an unknown type. */
size_t pmk_idx_type_size(int t);

/* "u8", "s8", ... ("?" for an unknown type). */
const char *pmk_idx_type_name(int t);

/* Is @p b (4 bytes) the start of an IDX file: 00 00, a known type, 1 to 8
 * dimensions? */
int pmk_idx_magic_ok(const unsigned char *b);

/* Reads and checks the header from @p in.  The first @p npre (0 or 4) bytes
 * have already been read into @p pre.  Errors name the file as
 * pmk_instream_path shows it (PMK_EFORMAT, PMK_ELIMIT, or the read's). */
int pmk_idx_header_read(pmk_instream *in, const unsigned char *pre, size_t npre,
                        pmk_idx_header *h, pmk_error *err);

/* "60000 x 28 x 28" */
void pmk_idx_dims_text(const size_t *dims, size_t ndim, char *out, size_t len);

/* Reads up to @p n bytes, looping over short reads; returns the count or -1. */
long pmk_idx_read_full(pmk_instream *in, unsigned char *buf, size_t n, pmk_error *err);

/* Element @p i of a big-endian body of type @p type, as a double (exact). */
double pmk_idx_element(int type, const unsigned char *body, size_t i);

/* The error for a body that ends early or runs on: "header says DIMS TYPE =
 * TOTAL bytes, file has HAVE bytes[ after gunzip]". */
int pmk_idx_length_error(pmk_instream *in, const pmk_idx_header *h, size_t have,
                         pmk_error *err);

/* A labels file must have one dimension of an integer type: PMK_OK, or
 * PMK_EFORMAT "SHOWN: not a label file: ...". */
int pmk_idx_labels_check(const char *shown, const pmk_idx_header *h, pmk_error *err);

/* The error for element @p i (0-based; rows of @p d) that is NaN or infinite. */
int pmk_idx_nonfinite(const char *shown, size_t i, size_t d, double x, pmk_error *err);

#endif
