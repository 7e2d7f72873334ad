/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_dataset.h: what the dataset suite's two files share (check_dataset.c). */
#ifndef PMK_CHECK_DATASET_H
#define PMK_CHECK_DATASET_H

#include <stddef.h>
#include <string.h>
#include "check_pmk.h"
#include "pmk/pmk.h"

/* A file named @p name in this test's folder, holding @p len bytes (in a
 * static buffer: 4 paths live at once). */
const char *ds_fixture(const char *name, const void *bytes, size_t len);
#define TEXT(name, s) ds_fixture(name, s, strlen(s))
#define FILE_WITH(name, arr) ds_fixture(name, arr, sizeof arr)
/* A CSV with a header, a blank-padded field, a quoted number, CRLF and
 * trailing blank lines: lines 2..6 hold rows. */
extern const char ds_csv_text[];
/* 5 IDX images of 2 x 2 u8 pixels (image i: 10i, 10i+1, 10i+2, 255-i) and
 * their 5 labels 9, 8, 7, 6, 5. */
extern const unsigned char ds_images5[36];
extern const unsigned char ds_labels5[13];
/* The second half of the suite (check_dataset_table.c). */
void suite_dataset_table(Suite *s);
/* The conversions and CSV sets (check_dataset_convert.c). */
void suite_dataset_convert(Suite *s);
/* The column syntax, label columns from the end, weight columns
 * (check_dataset_columns.c). */
void suite_dataset_columns(Suite *s);
/* The label token table (check_tokens.c). */
void suite_tokens(Suite *s);

#endif
