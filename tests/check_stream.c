/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_stream.c: gzip detection by magic bytes, and atomic output files. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zlib.h>

#include "check_pmk.h"
#include "pmk/pmk.h"

static char *read_stream(const char *path, size_t *n, pmk_error *e, int *gzip)
{
    pmk_instream *s = pmk_instream_open(path, e);
    if (!s)
        return NULL;
    *gzip = pmk_instream_is_gzip(s);
    char *buf = malloc(1 << 16);
    size_t len = 0;
    long got;
    while ((got = pmk_instream_read(s, buf + len, (1 << 16) - len, e)) > 0)
        len += (size_t)got;
    pmk_instream_close(s);
    if (got < 0) {
        free(buf);
        return NULL;
    }
    *n = len;
    return buf;
}

START_TEST(test_gzip_by_magic_not_name)
{
    const char *dir = test_tmpdir();
    char plain[512], gz[512];
    snprintf(plain, sizeof plain, "%s/data.gz", dir);      /* plain text, .gz name */
    snprintf(gz, sizeof gz, "%s/data.txt", dir);          /* gzip data, .txt name */
    const char text[] = "1,2,3\n4,5,6\n";
    test_write_file(plain, text, sizeof text - 1);
    gzFile g = gzopen(gz, "wb");
    gzwrite(g, text, sizeof text - 1);
    gzclose(g);

    pmk_error e;
    size_t n;
    int isgz;
    char *got = read_stream(plain, &n, &e, &isgz);
    ck_assert_ptr_nonnull(got);
    ck_assert_int_eq(isgz, 0);
    ck_assert_uint_eq(n, sizeof text - 1);
    ck_assert(memcmp(got, text, n) == 0);
    free(got);
    got = read_stream(gz, &n, &e, &isgz);
    ck_assert_ptr_nonnull(got);
    ck_assert_int_eq(isgz, 1);
    ck_assert_uint_eq(n, sizeof text - 1);
    ck_assert(memcmp(got, text, n) == 0);
    free(got);

    /* a gzip stream cut in half is an error naming the file, not a short read */
    size_t glen;
    char *gbytes = test_read_file(gz, &glen);
    test_write_file(gz, gbytes, glen / 2);
    free(gbytes);
    ck_assert_ptr_null(read_stream(gz, &n, &e, &isgz));
    ck_assert_int_eq(e.code, PMK_EFORMAT);
    char want[600];
    snprintf(want, sizeof want, "%s: truncated gzip stream (unexpected end of file)", gz);
    ck_assert_str_eq(e.msg, want);

    unlink(plain);
    unlink(gz);
    rmdir(dir);
}
END_TEST

START_TEST(test_instream_missing_file)
{
    pmk_error e;
    ck_assert_ptr_null(pmk_instream_open("/nonexistent/x.csv", &e));
    ck_assert_int_eq(e.code, PMK_EIO);
    ck_assert_str_eq(e.msg, "/nonexistent/x.csv: cannot open: No such file or directory");
    ck_assert_ptr_null(pmk_instream_open("/tmp", &e));
    ck_assert_str_eq(e.msg, "/tmp: cannot read: is a directory");
}
END_TEST

START_TEST(test_outfile_commit_and_abort)
{
    const char *dir = test_tmpdir();
    char path[512];
    snprintf(path, sizeof path, "%s/model.txt", dir);
    test_write_file(path, "good\n", 5);

    pmk_outfile o;
    pmk_error e;
    /* abort: the good file stays, no temporary is left behind */
    ck_assert_int_eq(pmk_outfile_open(&o, path, &e), PMK_OK);
    ck_assert_ptr_nonnull(o.tmp);
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", o.tmp);
    fputs("partial", o.fp);
    pmk_outfile_abort(&o);
    ck_assert_int_eq(access(tmp, F_OK), -1);
    size_t n;
    char *got = test_read_file(path, &n);
    ck_assert_str_eq(got, "good\n");
    free(got);

    /* commit: replaced whole */
    ck_assert_int_eq(pmk_outfile_open(&o, path, &e), PMK_OK);
    fputs("better\n", o.fp);
    ck_assert_int_eq(pmk_outfile_commit(&o, &e), PMK_OK);
    got = test_read_file(path, &n);
    ck_assert_str_eq(got, "better\n");
    free(got);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 0444, 0444 & ~0 & st.st_mode);   /* readable as fopen would make it */
    unlink(path);

    /* an unwritable directory is an error naming the target */
    ck_assert_int_eq(pmk_outfile_open(&o, "/nonexistent-dir/out.csv", &e), PMK_EIO);
    ck_assert_str_eq(e.msg, "/nonexistent-dir/out.csv: cannot write: No such file or directory");
    ck_assert_ptr_null(o.fp);
    rmdir(dir);
}
END_TEST

START_TEST(test_outfile_dev_full)
{
    if (access("/dev/full", W_OK) != 0)
        return;   /* no /dev/full on this system: nothing to show */
    pmk_outfile o;
    pmk_error e;
    ck_assert_int_eq(pmk_outfile_open(&o, "/dev/full", &e), PMK_OK);
    for (int i = 0; i < 10000; i++)
        fputs("0123456789", o.fp);
    ck_assert_int_eq(pmk_outfile_commit(&o, &e), PMK_EIO);
    ck_assert_str_eq(e.msg, "/dev/full: cannot write: No space left on device");
    struct stat st;
    ck_assert_int_eq(stat("/dev/full", &st), 0);
    ck_assert(S_ISCHR(st.st_mode));   /* still the device, never renamed over */
}
END_TEST

/* pmk_outfile_check_paths: the same file under other names clashes; "-",
 * devices and distinct files do not. */
START_TEST(test_check_paths)
{
    const char *dir = test_tmpdir();
    char in[512], lnk[512], hard[512], dots[512], fresh[512], fresh2[512], sub[512];
    snprintf(in, sizeof in, "%s/in.csv", dir);
    snprintf(lnk, sizeof lnk, "%s/link.csv", dir);
    snprintf(hard, sizeof hard, "%s/hard.csv", dir);
    snprintf(sub, sizeof sub, "%s/sub", dir);
    snprintf(dots, sizeof dots, "%s/sub/../in.csv", dir);
    snprintf(fresh, sizeof fresh, "%s/new.csv", dir);
    snprintf(fresh2, sizeof fresh2, "%s/sub/../new.csv", dir);
    test_write_file(in, "1,2\n", 4);
    ck_assert_int_eq(symlink("in.csv", lnk), 0);
    ck_assert_int_eq(link(in, hard), 0);
    ck_assert_int_eq(mkdir(sub, 0777), 0);
    pmk_error e;
    char want[2048];
    const char *ins[] = {in, NULL, "-"};
    const char *clash[] = {in, lnk, hard, dots};
    for (size_t k = 0; k < 4; k++) {
        const char *outs[] = {"-", clash[k]};
        ck_assert_int_eq(pmk_outfile_check_paths(ins, 3, outs, 2, &e), PMK_EINVAL);
        snprintf(want, sizeof want, "output '%s' is the same file as input '%s'", clash[k], in);
        ck_assert_str_eq(e.msg, want);
    }
    /* two outputs: the same new file by two spellings, or one existing file */
    const char *o2[] = {fresh, fresh2};
    ck_assert_int_eq(pmk_outfile_check_paths(NULL, 0, o2, 2, &e), PMK_EINVAL);
    snprintf(want, sizeof want, "output '%s' is the same file as output '%s'", fresh2, fresh);
    ck_assert_str_eq(e.msg, want);
    const char *o3[] = {lnk, hard};
    ck_assert_int_eq(pmk_outfile_check_paths(NULL, 0, o3, 2, &e), PMK_EINVAL);
    /* no clash: stdin and stdout, a device twice, distinct files */
    const char *ok_in[] = {"-", in};
    const char *ok_out[] = {"-", "/dev/null", "/dev/null", fresh, sub};
    ck_assert_int_eq(pmk_outfile_check_paths(ok_in, 2, ok_out, 5, &e), PMK_OK);
    ck_assert_int_eq(access(fresh, F_OK), -1);   /* nothing was created */
    unlink(lnk);
    unlink(hard);
    unlink(in);
    rmdir(sub);
    rmdir(dir);
}
END_TEST

/* A 255-byte target (NAME_MAX on Linux file systems) gets a temporary name
 * that fits beside it; a killed writer's temporary file is removed by the
 * next open of the same target, but not one whose writer is alive. */
START_TEST(test_outfile_temp_names)
{
    const char *dir = test_tmpdir();
    char path[1024], stale[1024], live[1024], name[256];
    memset(name, 'n', 255);
    name[255] = '\0';
    snprintf(path, sizeof path, "%s/%s", dir, name);
    pmk_outfile o;
    pmk_error e;
    ck_assert_msg(pmk_outfile_open(&o, path, &e) == PMK_OK, "%s", e.msg);
    const char *base = strrchr(o.tmp, '/') + 1;
    ck_assert_uint_le(strlen(base), 255);
    ck_assert(strncmp(base, ".nnnn", 5) == 0);
    ck_assert_ptr_nonnull(strstr(base, ".pmk-"));
    fputs("x\n", o.fp);
    ck_assert_int_eq(pmk_outfile_commit(&o, &e), PMK_OK);
    ck_assert_int_eq(access(path, F_OK), 0);
    unlink(path);

    /* pid 0x7ffffffe: beyond any pid_max, so never a running process; the
     * test's own pid: alive */
    snprintf(path, sizeof path, "%s/m.rbm", dir);
    snprintf(stale, sizeof stale, "%s/.m.rbm.pmk-2147483646-abcdef", dir);
    snprintf(live, sizeof live, "%s/.m.rbm.pmk-%ld-abcdef", dir, (long)getppid());
    test_write_file(stale, "half", 4);
    test_write_file(live, "half", 4);
    ck_assert_int_eq(pmk_outfile_open(&o, path, &e), PMK_OK);
    ck_assert_int_eq(access(stale, F_OK), -1);
    ck_assert_int_eq(access(live, F_OK), 0);
    pmk_outfile_abort(&o);
    unlink(live);
    rmdir(dir);
}
END_TEST

/* An output set: members staged under .NAME.pmk-PID-000000 (".gz" kept),
 * nothing at the targets until the commit; an abort leaves the old target
 * bytes; a writer's message about a staged member names the target. */
START_TEST(test_outset)
{
    const char *dir = test_tmpdir();
    char a[1024], b[1024], want[1100];
    snprintf(a, sizeof a, "%s/a.csv", dir);
    snprintf(b, sizeof b, "%s/b.csv.gz", dir);
    test_write_file(a, "old\n", 4);
    pmk_outset set;
    pmk_error e;
    pmk_outset_init(&set);
    const char *wa = pmk_outset_add(&set, a, &e), *wb = pmk_outset_add(&set, b, &e);
    ck_assert_ptr_nonnull(wa);
    ck_assert_ptr_nonnull(wb);
    snprintf(want, sizeof want, "%s/.a.csv.pmk-%ld-000000", dir, (long)getpid());
    ck_assert_str_eq(wa, want);
    snprintf(want, sizeof want, "%s/.b.csv.gz.pmk-%ld-000000.gz", dir, (long)getpid());
    ck_assert_str_eq(wb, want);
    test_write_file(wa, "new\n", 4);
    test_write_file(wb, "x", 1);
    pmk_error_set(&e, PMK_EIO, "%s: cannot write: No space left on device", wb);
    pmk_outset_name_target(&set, &e);
    snprintf(want, sizeof want, "%s: cannot write: No space left on device", b);
    ck_assert_str_eq(e.msg, want);
    /* abort: the staged files go, the old target stays */
    pmk_outset_abort(&set);
    ck_assert_int_eq(access(b, F_OK), -1);
    char *got = test_read_file(a, NULL);
    ck_assert_str_eq(got, "old\n");
    free(got);
    /* commit: both renamed */
    pmk_outset_init(&set);
    wa = pmk_outset_add(&set, a, &e);
    wb = pmk_outset_add(&set, b, &e);
    test_write_file(wa, "new\n", 4);
    test_write_file(wb, "x", 1);
    ck_assert_int_eq(pmk_outset_commit(&set, &e), PMK_OK);
    got = test_read_file(a, NULL);
    ck_assert_str_eq(got, "new\n");
    free(got);
    ck_assert_int_eq(access(b, F_OK), 0);
    ck_assert_uint_eq(set.n, 0);
    /* "-" is written directly; the ninth member is refused */
    pmk_outset_init(&set);
    ck_assert_str_eq(pmk_outset_add(&set, "-", &e), "-");
    for (int i = 1; i < PMK_OUTSET_MAX; i++)
        ck_assert_ptr_nonnull(pmk_outset_add(&set, a, &e));
    ck_assert_ptr_null(pmk_outset_add(&set, b, &e));
    ck_assert_int_eq(e.code, PMK_ELIMIT);
    snprintf(want, sizeof want, "%s: more than 8 outputs in one set", b);
    ck_assert_str_eq(e.msg, want);
    pmk_outset_abort(&set);
    unlink(a);
    unlink(b);
    rmdir(dir);
}
END_TEST

Suite *suite_stream(void)
{
    Suite *s = suite_create("stream");
    TCase *tc = tcase_create("stream");
    tcase_add_test(tc, test_gzip_by_magic_not_name);
    tcase_add_test(tc, test_instream_missing_file);
    tcase_add_test(tc, test_outfile_commit_and_abort);
    tcase_add_test(tc, test_outfile_dev_full);
    tcase_add_test(tc, test_check_paths);
    tcase_add_test(tc, test_outfile_temp_names);
    tcase_add_test(tc, test_outset);
    suite_add_tcase(s, tc);
    return s;
}
