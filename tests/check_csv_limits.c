/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_csv_limits.c: the CSV reader under the memory ceiling (PMK_MAX_MEMORY):
 * a whole read refused with its exact figures, streaming unaffected.  A test
 * case of the "csv" suite (check_csv.c adds it). */
#include "config.h"

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

TCase *tcase_csv_limits(void)
{
    TCase *tc = tcase_create("limits");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_max_memory_env);
    return tc;
}
