/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_csv_simd.c: the row parser's hot loop (csv_run.c: commas found 64
 * bytes at a time, 1-3 digit fields from a table) against strtod on long
 * rows whose fields fall on every position of its 16- and 64-byte blocks,
 * with every other kind of field mixed in, and its errors with their exact
 * line and column.  A test case of the "csv" suite (check_csv.c adds it). */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_pmk.h"
#include "pmk/pmk.h"

enum { NROW = 48, NVAL = 300 };   /* rows; value fields after the label */

/* Fields that are not 1-3 plain digits: every length 1..20 (4 to 15 digits
 * take the hot loop's digit loop, 16 or more strtod), leading zeros, signs,
 * -0, decimals, exponents, blanks and quotes. */
static const char *const special[] = {
    "1", "12", "123", "1234", "12345", "123456", "1234567", "12345678", "123456789",
    "1234567890", "12345678901", "123456789012", "1234567890123", "12345678901234",
    "123456789012345", "1234567890123456", "12345678901234567", "123456789012345678",
    "1234567890123456789", "12345678901234567890", "999999999999999", "9007199254740993",
    "000000000000000000001", "0000", "00", "000", "-0", "-7", "+3", "-255", "1.5", "0.1",
    "1e2", "2E-3", " 4", "5 ", "\"9\"", "\"-0\"",
};
enum { NSPECIAL = sizeof special / sizeof special[0] };

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

/* One field's text into f: a plain value (0..999, 1-3 bytes, sometimes with
 * leading zeros) most of the time, else a special one. */
static void make_field(uint64_t *s, int specials, char *f, size_t n)
{
    uint64_t r = lcg(s);
    if (specials && r % 23 == 0) {
        snprintf(f, n, "%s", special[lcg(s) % NSPECIAL]);
        return;
    }
    unsigned v = (unsigned)(lcg(s) % 1000), len = 1 + (unsigned)(lcg(s) % 3);
    if (r % 2)   /* no leading zeros: 1 to 3 bytes as the value needs */
        snprintf(f, n, "%u", v % (len == 1 ? 10 : len == 2 ? 100 : 1000));
    else         /* exactly len bytes, zero-padded */
        snprintf(f, n, "%0*u", (int)len, v % (len == 1 ? 10 : len == 2 ? 100 : 1000));
}

/* strtod of a field's text, enclosing double quotes removed. */
static double want_value(const char *f)
{
    char t[64];
    snprintf(t, sizeof t, "%s", f + (f[0] == '"'));
    char *q = strchr(t, '"');
    if (q)
        *q = '\0';
    return strtod(t, NULL);
}

static void check_bits(double got, double want, size_t row, size_t col, const char *txt)
{
    ck_assert_msg(memcmp(&got, &want, sizeof got) == 0, "row %zu col %zu '%s': %.17g, want %.17g",
                  row, col, txt, got, want);
}

/* NROW rows of a label and NVAL values, LF and CRLF line ends alternating,
 * the last line without one; every value equals strtod's, read with the label
 * first and with no label column (the run then starts at the line's start). */
START_TEST(test_run_matches_strtod)
{
    static char fld[NROW][NVAL + 1][32];
    size_t cap = (size_t)NROW * (NVAL + 1) * 24, k = 0;
    char *text = malloc(cap);
    for (int specials = 0; specials < 2; specials++) {
        uint64_t s = 12345 + (uint64_t)specials;
        k = 0;
        for (size_t i = 0; i < NROW; i++) {
            for (size_t j = 0; j <= NVAL; j++) {
                if (j == 0)   /* the label: 1..i+1 digits shift the row's blocks */
                    snprintf(fld[i][j], sizeof fld[i][j], "%zu", (size_t)1 << (i % 40));
                else
                    make_field(&s, specials, fld[i][j], sizeof fld[i][j]);
                k += (size_t)snprintf(text + k, cap - k, "%s%s", fld[i][j], j < NVAL ? "," : "");
            }
            if (i + 1 < NROW)
                k += (size_t)snprintf(text + k, cap - k, "%s", i % 2 ? "\r\n" : "\n");
        }
        char path[600];
        snprintf(path, sizeof path, "%s/run%d.csv", test_tmpdir(), specials);
        test_write_file(path, text, k);
        pmk_csv_options o;
        pmk_csv_options_init_default(&o);
        o.header = PMK_CSV_HEADER_NO;
        for (int nolabel = 0; nolabel < 2; nolabel++) {
            o.label_col = nolabel ? -1 : 0;
            pmk_dataset *ds = NULL;
            pmk_error e;
            ck_assert_msg(pmk_csv_read_all(path, &o, &ds, &e) == PMK_OK, "%s", e.msg);
            ck_assert_uint_eq(ds->n, NROW);
            ck_assert_uint_eq(ds->d, NVAL + (size_t)nolabel);
            for (size_t i = 0; i < NROW; i++) {
                if (!nolabel)
                    ck_assert_int_eq(ds->y[i], (long)1 << (i % 40));
                for (size_t j = nolabel ? 0 : 1; j <= NVAL; j++)
                    check_bits(gsl_matrix_get(ds->X, i, j - !nolabel), want_value(fld[i][j]), i,
                               j, fld[i][j]);
            }
            pmk_dataset_free(ds);
        }
    }
    free(text);
}
END_TEST

/* A field of 1 to 6 digits split by each 16-byte boundary of the first two
 * 64-byte blocks (the hot loop's blocks start after the label's ','), the
 * rest of the row plain one-digit fields: the field's value is strtod's
 * whichever way it is split (a 4-digit field across two blocks without 4
 * digits in a row in either). */
START_TEST(test_run_straddle)
{
    static const char *const longf[] = {"5", "42", "255", "1234", "98765", "000321"};
    char row[1024], path[600];
    snprintf(path, sizeof path, "%s/straddle.csv", test_tmpdir());
    pmk_csv_options o;
    pmk_csv_options_init_default(&o);
    o.header = PMK_CSV_HEADER_NO;
    for (size_t lf = 0; lf < sizeof longf / sizeof longf[0]; lf++)
        for (size_t b = 16; b <= 128; b += 16)
            for (size_t split = 1; split < strlen(longf[lf]) + 1; split++) {
                /* "1," then "0," x times and "00," y times to reach b - split */
                size_t at = b - split, y = at % 2, x = (at - 3 * y) / 2, k = 0, nf = 0;
                k += (size_t)snprintf(row + k, sizeof row - k, "1");
                for (size_t i = 0; i < x; i++, nf++)
                    k += (size_t)snprintf(row + k, sizeof row - k, ",0");
                for (size_t i = 0; i < y; i++, nf++)
                    k += (size_t)snprintf(row + k, sizeof row - k, ",00");
                k += (size_t)snprintf(row + k, sizeof row - k, ",%s", longf[lf]);
                ck_assert_uint_eq(k - strlen(longf[lf]) - 2, at);   /* it starts at base + at */
                const size_t at_field = nf++;
                while (nf < 120)
                    k += (size_t)snprintf(row + k, sizeof row - k, ",%zu", nf++ % 10);
                row[k++] = '\n';
                test_write_file(path, row, k);
                pmk_dataset *ds = NULL;
                pmk_error e;
                ck_assert_msg(pmk_csv_read_all(path, &o, &ds, &e) == PMK_OK, "%s", e.msg);
                ck_assert_uint_eq(ds->d, 120);
                for (size_t j = 0; j < 120; j++) {
                    double want = j == at_field ? strtod(longf[lf], NULL)
                                  : j < at_field ? 0 : (double)(j % 10);
                    check_bits(gsl_matrix_get(ds->X, 0, j), want, 0, j + 1, longf[lf]);
                }
                pmk_dataset_free(ds);
            }
}
END_TEST

/* A clean row of n plain fields (value (j * 37) % 256) with field @p bad (a
 * value field, 1-based) replaced by @p repl; returns the byte column where
 * field @p bad starts. */
static long bad_row(char *out, size_t cap, size_t n, size_t bad, const char *repl)
{
    size_t k = 0;
    long col = 0;
    for (size_t j = 1; j <= n; j++) {
        if (j == bad)
            col = (long)k + 1;
        k += j == bad ? (size_t)snprintf(out + k, cap - k, "%s", repl)
                      : (size_t)snprintf(out + k, cap - k, "%zu", (j * 37) % 256);
        if (j < n)
            out[k++] = ',';
    }
    out[k] = '\0';
    return col;
}

/* Errors met inside the hot loop's blocks: the general path gives the same
 * message, line and column as for a short row, wherever the field falls. */
START_TEST(test_run_errors_placed)
{
    enum { NF = 200 };
    char good[2048], badl[2048], text[4200], path[600], want[PMK_ERROR_MSG_MAX];
    snprintf(path, sizeof path, "%s/bad.csv", test_tmpdir());
    bad_row(good, sizeof good, NF, 0, "");
    pmk_csv_options o;
    pmk_csv_options_init_default(&o);
    o.header = PMK_CSV_HEADER_NO;
    for (size_t f = 2; f <= NF; f += 7) {   /* every residue of 64 bytes, roughly */
        static const struct {
            const char *repl, *fmt;
        } kinds[] = {
            {"", "%s:2:%ld: field %zu: empty field, expected a number"},
            {"abc", "%s:2:%ld: field %zu: 'abc' is not a number"},
            {"1x", "%s:2:%ld: field %zu: '1x' is not a number"},
            {"12345678a", "%s:2:%ld: field %zu: '12345678a' is not a number"},
            {"nan", "%s:2:%ld: field %zu: 'nan' is not a finite number"},
        };
        for (size_t t = 0; t < sizeof kinds / sizeof kinds[0]; t++) {
            if (f == NF && t == 0)
                continue;   /* an empty last field: a ragged-row case below */
            long col = bad_row(badl, sizeof badl, NF, f, kinds[t].repl);
            snprintf(text, sizeof text, "%s\n%s\n", good, badl);
            test_write_file(path, text, strlen(text));
            pmk_dataset *ds = NULL;
            pmk_error e;
            ck_assert_int_ne(pmk_csv_read_all(path, &o, &ds, &e), PMK_OK);
            snprintf(want, sizeof want, kinds[t].fmt, path, col, f);
            ck_assert_str_eq(e.msg, want);
        }
    }
    /* a short row, a long one, and a trailing comma (an empty extra field) */
    pmk_dataset *ds = NULL;
    pmk_error e;
    bad_row(badl, sizeof badl, NF - 1, 0, "");
    snprintf(text, sizeof text, "%s\n%s\n", good, badl);
    test_write_file(path, text, strlen(text));
    ck_assert_int_eq(pmk_csv_read_all(path, &o, &ds, &e), PMK_EFORMAT);
    snprintf(want, sizeof want, "%s:2:%zu: ragged row: %d fields, expected %d", path,
             strlen(badl) + 1, NF - 1, NF);
    ck_assert_str_eq(e.msg, want);
    snprintf(text, sizeof text, "%s\n%s,\n", good, good);
    test_write_file(path, text, strlen(text));
    ck_assert_int_eq(pmk_csv_read_all(path, &o, &ds, &e), PMK_EFORMAT);
    snprintf(want, sizeof want, "%s:2:%zu: ragged row: %d fields, expected %d", path,
             strlen(good) + 2, NF + 1, NF);
    ck_assert_str_eq(e.msg, want);
}
END_TEST

TCase *tcase_csv_simd(void)
{
    TCase *tc = tcase_create("hot loop");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_run_matches_strtod);
    tcase_add_test(tc, test_run_straddle);
    tcase_add_test(tc, test_run_errors_placed);
    return tc;
}
