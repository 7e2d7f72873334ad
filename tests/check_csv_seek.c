/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_csv_seek.c: range readers that seek to their range
 * (pmk_data_open_seek, src/io/csv_read.c): over every cut of a small file
 * into two ranges, and many into three, every row is read once, in order,
 * and its line, made absolute as gnb_par.c does (the earlier ranges' last
 * lines), is its true line; part of suite_csv. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_pmk.h"
#include "io/dataset_internal.h"

/* Each row's label is its line number; lines of several lengths, CRLF and
 * LF, the last without a line end. */
static const char text[] = "y,a,b\n"
                           "2,1,2\r\n"
                           "3,10.5,20\n"
                           "4,1,2\n"
                           "5,123456,7\r\n"
                           "6,1,1\n"
                           "7,0.25,3\n"
                           "8,9,9\r\n"
                           "9,12,13\n"
                           "10,1,2";

/* Reads the ranges cut[0..P) (cut[P]: the end) and checks every row;
 * returns the rows seen. */
static long read_ranges(const char *path, const unsigned long long *cut, size_t P, long lines)
{
    long base = 0, want = 2;
    for (size_t p = 0; p < P; p++) {
        pmk_data_options o;
        pmk_data_options_init_default(&o);
        o.chunk_rows = 3;   /* several chunks a range */
        o.begin = cut[p];
        o.end = p + 1 < P ? cut[p + 1] : PMK_DATA_END;
        pmk_error err;
        int rel = -1, rel2;
        pmk_data_reader *r = pmk_data_open_seek(path, &o, &rel, &err);
        ck_assert_msg(r != NULL, "range %zu at %llu: %s", p, cut[p], err.msg);
        ck_assert(rel == 0 || rel == 1);
        ck_assert(rel == 0 || p > 0);   /* the first range counts from the header */
        for (;;) {
            pmk_data_chunk ch;
            ck_assert_int_eq(pmk_data_read_chunk(r, &ch, &err), PMK_OK);
            if (ch.n == 0)
                break;
            for (size_t i = 0; i < ch.n; i++, want++) {
                long line = ch.first_pos + (long)i + (rel ? base : 0);
                ck_assert_msg(ch.y[i] == want && line == want,
                              "cut %llu range %zu: row %ld at line %ld, wanted %ld", cut[p], p,
                              ch.y[i], line, want);
            }
        }
        long last;
        pmk_data_range_lines(r, &rel2, &last);
        ck_assert_int_eq(rel2, rel);
        base = rel ? base + last : last;
        pmk_data_close(r);
    }
    ck_assert_int_eq(base, lines);   /* every line counted once */
    return want - 2;
}

START_TEST(test_seek_every_cut)
{
    char path[512];
    snprintf(path, sizeof path, "%s/seek.csv", test_tmpdir());
    size_t n = strlen(text);
    test_write_file(path, text, n);
    for (unsigned long long a = 1; a < n; a++) {
        unsigned long long two[2] = {0, a};
        ck_assert_int_eq(read_ranges(path, two, 2, 10), 9);
        for (unsigned long long b = a + 1; b < n; b += 3) {
            unsigned long long three[3] = {0, a, b};
            ck_assert_int_eq(read_ranges(path, three, 3, 10), 9);
        }
    }
}
END_TEST

/* 60,000 lines (about 700 KB, past the reader's 256 KiB buffer): ranges
 * that lseek, cut in the middle of a line, at a line's start and after its
 * CR. */
START_TEST(test_seek_past_buffer)
{
    char path[512];
    snprintf(path, sizeof path, "%s/seek-big.csv", test_tmpdir());
    size_t cap = 60000 * 16, n = 0;
    char *t = malloc(cap);
    n += (size_t)snprintf(t, cap, "y,a,b\n");
    for (long l = 2; l <= 60000; l++)
        n += (size_t)snprintf(t + n, cap - n, "%ld,%ld,7%s", l, l % 97,
                              l % 5 ? "\n" : "\r\n");
    test_write_file(path, t, n);
    const char *cr = strchr(t + 400000, '\r');
    unsigned long long at = (unsigned long long)(cr - t);
    unsigned long long cuts[][3] = {{0, 300000, 600000}, {0, at, at + 1},
                                    {0, at + 2, n - 1}, {0, 1, n - 2}};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        ck_assert_int_eq(read_ranges(path, cuts[i], 3, 60000), 59999);
        ck_assert_int_eq(read_ranges(path, cuts[i], 2, 60000), 59999);
    }
    free(t);
}
END_TEST

TCase *tcase_csv_seek(void)
{
    TCase *tc = tcase_create("seek");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_seek_every_cut);
    tcase_add_test(tc, test_seek_past_buffer);
    return tc;
}
