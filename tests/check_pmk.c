/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_pmk.c: the one Check runner: a suite per module, all run by `make check`. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <gsl/gsl_errno.h>

#include "check_pmk.h"

const char *test_srcpath(const char *rel)
{
    static char buf[4096];
    const char *top = getenv("PMK_TOP_SRCDIR");
    snprintf(buf, sizeof buf, "%s/%s", top && *top ? top : ".", rel);
    return buf;
}

const char *test_tmpdir(void)
{
    static char buf[256];
    const char *base = getenv("TMPDIR");
    snprintf(buf, sizeof buf, "%s/pmk-check-XXXXXX", base && *base ? base : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(buf));
    return buf;
}

void test_write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot create %s", path);
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
}

char *test_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
        }
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    SRunner *sr = srunner_create(suite_core());
    srunner_add_suite(sr, suite_stream());
    srunner_add_suite(sr, suite_record());
    srunner_add_suite(sr, suite_csv());
    srunner_add_suite(sr, suite_idx());
    srunner_add_suite(sr, suite_image());
    srunner_add_suite(sr, suite_gnb());
    srunner_add_suite(sr, suite_rbm());
    srunner_add_suite(sr, suite_ising());
    srunner_add_suite(sr, suite_reentrant());
    /* `check_pmk SUITE` runs one suite (CK_RUN_SUITE works too). */
    if (argc > 1)
        srunner_run(sr, argv[1], NULL, CK_NORMAL);
    else
        srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
