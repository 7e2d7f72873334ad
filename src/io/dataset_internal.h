/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* dataset_internal.h: what the data-set reader (dataset_read.c) gives the
 * table builder (dataset_table.c) beyond the public API: an IDX u8 file's
 * rows as the bytes they are, so that a table of pixels never passes
 * through doubles; and the growth rule every whole-file reader follows. */
#ifndef PMK_DATASET_INTERNAL_H
#define PMK_DATASET_INTERNAL_H

#include "pmk/dataset.h"
#include "io/idx_internal.h"

/* 1 when the reader is on an IDX file of u8 elements. */
int pmk_data_is_u8(const pmk_data_reader *r);

/* IDX: the rows of the range (known from the header); 0 for CSV (unknown). */
size_t pmk_data_range_rows(const pmk_data_reader *r);

/* For a reader that has read nothing yet: the path it was opened with ("-"
 * for stdin) and, in *@p o, its options (owned by the reader), so that a
 * caller may read the same data over ranges on several threads
 * (gnb_par.c); NULL once a chunk was asked for. */
const char *pmk_data_reader_source(const pmk_data_reader *r, const pmk_data_options **o);

/* As pmk_data_read_chunk for an IDX u8 reader, giving the rows as bytes
 * (*X: n x D, row-major, owned by the reader); chunk->X is not filled. */
int pmk_data_read_chunk_u8(pmk_data_reader *r, const unsigned char **X, pmk_data_chunk *chunk,
                           pmk_error *err);

/* The rows of a CSV reader's chunk for rows of @p d values when @p rows are
 * asked for (0: about 1 MiB of doubles): at most CSV_CHUNK_CELLS values
 * (64 MiB), or a quarter of the memory ceiling, whatever @p rows says, so
 * that very wide rows cannot demand gigabytes; at least 1. */
size_t pmk_data_chunk_cap(size_t d, size_t rows);

/* pmk_data_stats_add of the @p n values @p b, all of them bytes (all_u8
 * stays as it is). */
void pmk_data_stats_add_bytes(pmk_data_stats *s, const unsigned char *b, size_t n);

/* A CSV reader's label and weight columns, 0-based, resolved (counted from
 * the end when asked so); -1 for none and for IDX. */
void pmk_data_csv_columns(const pmk_data_reader *r, long *label_col, long *weight_col);

/* An IDX reader's images header (NULL for CSV). */
const pmk_idx_header *pmk_data_idx_header(const pmk_data_reader *r);

/* Wraps a malloc'ed n x d array in a gsl_matrix that owns it (gsl_matrix_free
 * frees it), saving a copy of a whole data set; NULL when out of memory (the
 * array is then still the caller's). */
gsl_matrix *pmk_matrix_wrap(double *data, size_t n, size_t d);

/* The capacity, in rows, for @p need rows of @p row_bytes each when @p cap
 * are allocated: doubled from @p cap (or @p need when 0) until @p need fit,
 * but no more than the memory ceiling holds.  PMK_OK with *ncap, or
 * PMK_ELIMIT "SHOWN:LINE: reading NEED or more rows of D values needs ..."
 * when even @p need rows exceed the ceiling (LINE: the last row's position). */
int pmk_data_grow(const char *shown, size_t need, size_t cap, unsigned long long row_bytes,
                  size_t d, long line, size_t *ncap, pmk_error *err);

#endif
