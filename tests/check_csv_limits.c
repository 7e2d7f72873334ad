/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_csv_limits.c: the CSV reader at its edges: under the memory ceiling
 * (PMK_MAX_MEMORY: a whole read refused with its exact figures, streaming
 * unaffected), and the row parser's fast paths at their limits (every
 * value equal to strtod's).  A test case of the "csv" suite (check_csv.c
 * adds it). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "check_pmk.h"
#include "pmk/pmk.h"

START_TEST(test_max_memory_env)
{
    /* PMK_MAX_MEMORY=1M: a chunk holds at most 1M/4/8 = 32768 values = 41 rows
     * of 784; read_all grows 41 -> 82 -> 164 rows, then may hold at most
     * 1048576 / (785 * 8) = 166 rows of values and a label, and the chunk
     * ending on line 164 + 41 = 205 does not fit: 205 * 6280 = 1287400 bytes. */
    setenv("PMK_MAX_MEMORY", "1M", 1);
    pmk_dataset *ds = NULL;
    pmk_error e;
    const char *path = test_srcpath("data/mnist-test.csv.gz");
    ck_assert_int_eq(pmk_csv_read_all(path, NULL, &ds, &e), PMK_ELIMIT);
    ck_assert_ptr_null(ds);
    char want[800];
    snprintf(want, sizeof want, "%s:205: reading 205 or more rows of 784 values needs 1287400 "
             "bytes, more than the PMK_MAX_MEMORY limit of 1048576 bytes", path);
    ck_assert_str_eq(e.msg, want);
    /* streaming needs only the chunk: every row still comes through */
    pmk_csv_reader *r = pmk_csv_open(path, NULL, &e);
    ck_assert_ptr_nonnull(r);
    pmk_csv_chunk c;
    size_t n = 0, biggest = 0;
    while (pmk_csv_read_chunk(r, &c, &e) == PMK_OK && c.n > 0) {
        n += c.n;
        biggest = c.n > biggest ? c.n : biggest;
    }
    ck_assert_uint_eq(n, 2000);
    ck_assert_uint_eq(biggest, 41);
    pmk_csv_close(r);
    /* 16M holds it all (2000 * 6280 = 12.56 MB) */
    setenv("PMK_MAX_MEMORY", "16M", 1);
    ck_assert_int_eq(pmk_csv_read_all(path, NULL, &ds, &e), PMK_OK);
    ck_assert_uint_eq(ds->n, 2000);
    pmk_dataset_free(ds);
    unsetenv("PMK_MAX_MEMORY");
}
END_TEST

/* Each field of these rows takes one of the parser's paths: the hot loop
 * (1 to 15 digits and ','), the field-by-field fast path (a sign; the last
 * field), the full scanner (16+ digits, a decimal point, an exponent,
 * spaces, quotes).  Every value must be strtod's, -0 included. */
START_TEST(test_fast_path_edges)
{
    static const char *const fields[] = {
        "0", "-0", "7", "255", "007", "123456789012345", "1234567890123456",
        "9007199254740993", "-12", "2.5", "1e2", "\"42\"", " 3", "000000000000000000001",
        "-999999999999999", "99999999999999999999", "8",
    };
    enum { NF = sizeof fields / sizeof fields[0] };
    char path[512], line[1024] = "";
    for (int i = 0; i < NF; i++) {
        strcat(line, fields[i]);
        strcat(line, i + 1 < NF ? "," : "\n");
    }
    snprintf(path, sizeof path, "%s/fast.csv", test_tmpdir());
    /* the row twice: once at the buffer's start, once after it */
    char text[2100];
    snprintf(text, sizeof text, "%s%s", line, line);
    test_write_file(path, text, strlen(text));
    pmk_csv_options o;
    pmk_csv_options_init_default(&o);
    o.label_col = -1;
    o.header = PMK_CSV_HEADER_NO;
    pmk_dataset *ds = NULL;
    pmk_error e;
    ck_assert_msg(pmk_csv_read_all(path, &o, &ds, &e) == PMK_OK, "%s", e.msg);
    ck_assert_uint_eq(ds->n, 2);
    ck_assert_uint_eq(ds->d, NF);
    for (size_t r = 0; r < 2; r++)
        for (int i = 0; i < NF; i++) {
            const char *f = fields[i] + (fields[i][0] == '"');
            double want = strtod(f, NULL), got = gsl_matrix_get(ds->X, r, (size_t)i);
            ck_assert_msg(got == want && !signbit(got) == !signbit(want),
                          "field %d '%s': %.17g, want %.17g", i + 1, fields[i], got, want);
        }
    pmk_dataset_free(ds);
    /* with the label in the middle: the hot loop stops before it */
    o.label_col = 2;
    ck_assert_msg(pmk_csv_read_all(path, &o, &ds, &e) == PMK_OK, "%s", e.msg);
    ck_assert_int_eq(ds->y[1], 7);
    ck_assert(gsl_matrix_get(ds->X, 1, 1) == 0.0 && signbit(gsl_matrix_get(ds->X, 1, 1)));
    ck_assert(gsl_matrix_get(ds->X, 1, 2) == 255.0);
    pmk_dataset_free(ds);
}
END_TEST

TCase *tcase_csv_limits(void)
{
    TCase *tc = tcase_create("limits");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_max_memory_env);
    tcase_add_test(tc, test_fast_path_edges);
    return tc;
}
