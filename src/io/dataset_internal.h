/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* dataset_internal.h: what the data-set reader (dataset_read.c) gives the
 * table builder (dataset_table.c) beyond the public API: an IDX u8 file's
 * rows as the bytes they are, so that a table of pixels never passes
 * through doubles. */
#ifndef PMK_DATASET_INTERNAL_H
#define PMK_DATASET_INTERNAL_H

#include "pmk/dataset.h"

/* 1 when the reader is on an IDX file of u8 elements. */
int pmk_data_is_u8(const pmk_data_reader *r);

/* IDX: the rows of the range (known from the header); 0 for CSV (unknown). */
size_t pmk_data_range_rows(const pmk_data_reader *r);

/* As pmk_data_read_chunk for an IDX u8 reader, giving the rows as bytes
 * (*X: n x D, row-major, owned by the reader); chunk->X is not filled. */
int pmk_data_read_chunk_u8(pmk_data_reader *r, const unsigned char **X, pmk_data_chunk *chunk,
                           pmk_error *err);

#endif
