/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_pmk.c: the one Check runner: a suite per module, all run by `make check`. */
#include "config.h"

#include <ftw.h>
#include <locale.h>
#include <pthread.h>
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

/* Every folder test_tmpdir makes lies in one root folder per process,
 * $TMPDIR/pmk-check-XXXXXX, removed with all it holds when that process exits.
 * Check runs each test in a forked child that ends with exit() (on success and
 * on a failed assertion alike), so the handler runs there; with CK_FORK=no it
 * runs once at the end of the runner. */
static char tmproot[256];
static pid_t tmproot_pid;
static pthread_mutex_t tmproot_lock = PTHREAD_MUTEX_INITIALIZER;

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static void remove_tmproot(void)
{
    if (tmproot_pid == getpid()) /* not a fork's: the parent removes its own */
        nftw(tmproot, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

const char *test_tmpdir(void)
{
    static _Thread_local char buf[300];
    pthread_mutex_lock(&tmproot_lock);
    if (tmproot_pid != getpid()) {
        const char *base = getenv("TMPDIR");
        snprintf(tmproot, sizeof tmproot, "%s/pmk-check-XXXXXX", base && *base ? base : "/tmp");
        int made = mkdtemp(tmproot) != NULL;
        if (made && tmproot_pid == 0)
            atexit(remove_tmproot); /* inherited by forks, which check the pid */
        tmproot_pid = made ? getpid() : 0;
    }
    snprintf(buf, sizeof buf, "%s/t-XXXXXX", tmproot);
    int ok = tmproot_pid != 0 && mkdtemp(buf) != NULL;
    pthread_mutex_unlock(&tmproot_lock);
    ck_assert_msg(ok, "cannot make a temporary folder under %s", tmproot);
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

/* The folder the de_DE locale is compiled into, once per runner: made by the
 * runner process (so shared by its forked tests), removed when it exits. */
static char locroot[256];
static pid_t locroot_pid;

static void remove_locroot(void)
{
    if (locroot_pid == getpid())
        nftw(locroot, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

int test_de_locale(void)
{
    const char *dir = getenv("PMK_CHECK_LOCPATH");
    char probe[600], cmd[1400];
    if (!dir || !*dir)
        return 0;
    snprintf(probe, sizeof probe, "%s/de_DE.UTF-8/LC_NUMERIC", dir);
    if (access(probe, R_OK) != 0) {   /* the first test to ask compiles it */
        snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 '%s/de_DE.UTF-8' >/dev/null 2>&1",
                 dir);
        if (system(cmd) == -1)
            return 0;
    }
    setenv("LOCPATH", dir, 1);
    return setlocale(LC_ALL, "de_DE.UTF-8") != NULL;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    /* The suites' files are small: split them among threads all the same
     * (gnb_par.c's least range, 256 KiB, would read them on one thread);
     * threads_gnb's range_min case sets and unsets it itself. */
    setenv("PMK_RANGE_MIN", "1", 0);
    const char *base = getenv("TMPDIR");
    snprintf(locroot, sizeof locroot, "%s/pmk-check-locale-XXXXXX", base && *base ? base : "/tmp");
    if (mkdtemp(locroot)) {
        locroot_pid = getpid();
        atexit(remove_locroot);
        setenv("PMK_CHECK_LOCPATH", locroot, 1);
    }
    SRunner *sr = srunner_create(suite_core());
    srunner_add_suite(sr, suite_stream());
    srunner_add_suite(sr, suite_record());
    srunner_add_suite(sr, suite_report());
    srunner_add_suite(sr, suite_csv());
    srunner_add_suite(sr, suite_readers());
    srunner_add_suite(sr, suite_idx());
    srunner_add_suite(sr, suite_dataset());
    srunner_add_suite(sr, suite_image());
    srunner_add_suite(sr, suite_spins());
    srunner_add_suite(sr, suite_gnb());
    srunner_add_suite(sr, suite_rbm());
    srunner_add_suite(sr, suite_ising());
    srunner_add_suite(sr, suite_reentrant());
    srunner_add_suite(sr, suite_progress());
    srunner_add_suite(sr, suite_threads());
    srunner_add_suite(sr, suite_plot());
    srunner_add_suite(sr, suite_vecf());
    srunner_add_suite(sr, suite_decimal());
    /* `check_pmk SUITE` runs one suite (CK_RUN_SUITE works too). */
    if (argc > 1)
        srunner_run(sr, argv[1], NULL, CK_NORMAL);
    else
        srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
