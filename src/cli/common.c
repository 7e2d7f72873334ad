/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* common.c: messages, option parsing and small helpers shared
 * by every command of the CLI. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

#include "cli/cli.h"

/* The CLI is single-threaded; these two globals are the CLI's, never the library's. */
static char command_name[64] = "";
static int quiet_flag = 0;

void cli_set_command(const char *name)
{
    snprintf(command_name, sizeof command_name, "%s", name ? name : "");
}

const char *cli_command(void) { return command_name; }
void cli_set_quiet(int quiet) { quiet_flag = quiet; }
int cli_quiet(void) { return quiet_flag; }

static int threads_count;   /* --threads: 0 = the cores available */
int cli_threads(void) { return threads_count; }
int cli_set_threads(const char *s)
{
    long n = 0;
    int rc = cli_parse_long("threads", s, &n);
    if (!rc && pmk_threads_check(n < 0 || n > INT_MAX ? -1 : (int)n, NULL))
        rc = cli_usage("--threads: '%s' is not 0 (the cores available) or 1..%d", s, PMK_THREADS_MAX);
    threads_count = rc ? 0 : (int)n;
    return rc;
}

static void prefix(FILE *f)
{
    cli_progress_done();   /* a message replaces a progress meter */
    if (command_name[0])
        fprintf(f, "pmk %s: ", command_name);
    else
        fputs("pmk: ", f);
}

/* "pmk COMMAND: message" and a newline on stderr. */
static void vmessage(const char *fmt, va_list ap)
{
    prefix(stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

int cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    return PMK_EXIT_FAIL;
}

int cli_error_pmk(const pmk_error *err)
{
    if (err && err->msg[0])
        return cli_error("%s", err->msg);
    return cli_error("%s", pmk_strerror(err ? err->code : PMK_EINVAL));
}

int cli_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
    if (command_name[0])
        fprintf(stderr, "Try 'pmk %s --help'.\n", command_name);
    else
        fputs("Try 'pmk --help'.\n", stderr);
    return PMK_EXIT_USAGE;
}

void cli_notice(const char *fmt, ...)
{
    if (quiet_flag)
        return;
    va_list ap;
    va_start(ap, fmt);
    vmessage(fmt, ap);
    va_end(ap);
}

int cli_parse_double(const char *opt, const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno == ERANGE || !isfinite(v))
        return cli_usage("--%s: '%s' is not a finite number", opt, s);
    *out = v;
    return 0;
}

int cli_parse_long(const char *opt, const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno == ERANGE)
        return cli_usage("--%s: '%s' is not an integer", opt, s);
    *out = v;
    return 0;
}

/* A decimal integer in [0, max], no sign. */
static int parse_unsigned(const char *opt, const char *s, unsigned long long max,
                          unsigned long long *out)
{
    char *end = (char *)s;   /* a sign: no digits read */
    unsigned long long v = 0;
    errno = 0;
    if (s[0] != '-')
        v = strtoull(s, &end, 10);
    if (end == s || *end || errno == ERANGE || v > max)
        return cli_usage("--%s: '%s' is not a non-negative integer", opt, s);
    *out = v;
    return 0;
}

int cli_parse_size(const char *opt, const char *s, size_t *out)
{
    unsigned long long v = 0;
    int rc = parse_unsigned(opt, s, SIZE_MAX, &v);
    if (!rc)
        *out = (size_t)v;
    return rc;
}

int cli_parse_seed(const char *opt, const char *s, unsigned long *out)
{
    unsigned long long v = 0;
    int rc = parse_unsigned(opt, s, ULONG_MAX, &v);
    if (!rc)
        *out = (unsigned long)v;
    return rc;
}

int cli_parse_double_list(const char *opt, const char *s, double **out, size_t *n)
{
    size_t cap = 1;
    for (const char *p = s; *p; p++)
        cap += (*p == ',');
    double *v = malloc(cap * sizeof *v);
    if (!v)
        return cli_error("out of memory");
    size_t k = 0;
    const char *p = s;
    for (;;) {
        char *end;
        errno = 0;
        double x = strtod(p, &end);
        if (end == p || (*end && *end != ',') || errno == ERANGE || !isfinite(x)) {
            free(v);
            return cli_usage("--%s: '%s' is not a comma-separated list of numbers", opt, s);
        }
        v[k++] = x;
        if (!*end)
            break;
        p = end + 1;
    }
    *out = v;
    *n = k;
    return 0;
}

pmk_rng *cli_rng(int have_seed, unsigned long seed)
{
    pmk_error err;
    pmk_error_clear(&err);
    pmk_rng *r = have_seed ? pmk_rng_alloc(NULL, seed) : pmk_rng_alloc_env(&err);
    if (!r) {
        if (err.code)
            cli_error_pmk(&err);
        else
            cli_error("out of memory");
    }
    return r;
}

double cli_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The data folder of an uninstalled pmk: `make` writes the source tree's data/
 * path into src/pmk-uninstalled beside the program (never installed), so the
 * program finds it next to its own executable (/proc/self/exe, one level up
 * from libtool's .libs/).  An installed pmk has no such file beside it, and no
 * build path is compiled in.  Returns buf, or NULL. */
static const char *read_marker(const char *dir, char *buf, size_t len)
{
    char marker[PATH_MAX + 32];
    snprintf(marker, sizeof marker, "%s/pmk-uninstalled", dir);
    FILE *f = fopen(marker, "r");
    if (!f)
        return NULL;
    int ok = fgets(buf, (int)len, f) != NULL;
    fclose(f);
    if (!ok)
        return NULL;
    buf[strcspn(buf, "\n")] = '\0';
    return buf[0] == '/' ? buf : NULL;
}

static const char *uninstalled_datadir(char *buf, size_t len)
{
    char dir[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", dir, sizeof dir - 1);
    if (n <= 0)
        return NULL;
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (!slash)
        return NULL;
    *slash = '\0'; /* the program's folder */
    if (read_marker(dir, buf, len))
        return buf;
    slash = strrchr(dir, '/');
    if (!slash || strcmp(slash + 1, ".libs") != 0)
        return NULL;
    *slash = '\0'; /* libtool's wrapper runs .libs/pmk: the folder above */
    return read_marker(dir, buf, len);
}

const char *cli_data_file(const char *name, char *buf, size_t len)
{
    const char *dirs[3];
    char built[PATH_MAX];
    size_t nd = 0;
    const char *env = getenv("PMK_DATADIR");
    if (env && *env)
        dirs[nd++] = env;
    if (uninstalled_datadir(built, sizeof built))
        dirs[nd++] = built;
    dirs[nd++] = PMK_DATADIR;
    for (size_t i = 0; i < nd; i++) {
        int w = snprintf(buf, len, "%s/%s", dirs[i], name);
        if (w > 0 && (size_t)w < len && is_file(buf))
            return buf;
    }
    return NULL;
}

int cli_print_help(const char *text)
{
    errno = 0;
    if (fputs(text, stdout) == EOF)
        cli_stdout_failed();
    return PMK_EXIT_OK;
}

/* ---------------------------------------------------------------- files */

int cli_check_files(const char *const *inputs, size_t n_in, const char *const *outputs,
                    size_t n_out)
{
    pmk_error err;
    pmk_error_clear(&err);
    int rc = pmk_outfile_check_paths(inputs, n_in, outputs, n_out, &err);
    if (rc == PMK_EINVAL)
        return cli_usage("%s", err.msg);
    if (rc)
        return cli_error_pmk(&err);
    return 0;
}

/* ---------------------------------------------------------------- memory */

/* PMK_MAX_MEMORY as the program found it (NULL: unset), so that a second
 * --max-memory replaces the first instead of tightening it. */
static const char *env_max_memory;
static int env_max_memory_saved;

int cli_set_max_memory(const char *s)
{
    unsigned long long want, have;
    if (pmk_mem_parse(s, &want) || want == 0)
        return cli_usage("--max-memory: '%s' is not a positive byte count (digits with an "
                         "optional k, M, G or T suffix)", s);
    if (!env_max_memory_saved) {
        env_max_memory = getenv("PMK_MAX_MEMORY");
        env_max_memory_saved = 1;
    }
    /* Both are ceilings: the smaller one applies. */
    if (env_max_memory && pmk_mem_parse(env_max_memory, &have) == PMK_OK && have > 0
        && have < want)
        want = have;
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", want);
    if (setenv("PMK_MAX_MEMORY", buf, 1) != 0)
        return cli_error("--max-memory: cannot set PMK_MAX_MEMORY: %s", strerror(errno));
    return 0;
}

/* ---------------------------------------------------------------- stdio */

void cli_stdio_init(void)
{
    /* A descriptor 0, 1 or 2 closed by the caller (`pmk ... >&-`) would be
     * handed out again by the next open(): the model being written could
     * become "standard output" and receive the report.  Fill each with
     * /dev/null opened the wrong way round, as gnulib's stdopen does, so that
     * using it fails with EBADF, as the closed descriptor would have. */
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
            continue;
        int nfd = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
        if (nfd >= 0 && nfd != fd) {
            dup2(nfd, fd);
            close(nfd);
        }
    }
}

/* The cause of the first failed write or flush of stdout, for cli_finish
 * (a write that fails inside stdio sets the stream's error flag, but its
 * errno is gone by the end of the run). */
static int stdout_errno;

void cli_stdout_failed(void)
{
    if (!stdout_errno)
        stdout_errno = errno ? errno : EIO;
}

void cli_flush_stdout(void)
{
    errno = 0;
    if (fflush(stdout) != 0)
        cli_stdout_failed();
}

int cli_finish(int status)
{
    /* As GNU's close_stdout: a report that could not be written (a full disk,
     * a closed descriptor) is a failure, not a success. */
    int e = stdout_errno;
    errno = 0;
    if (fflush(stdout) != 0 && !e)
        e = errno ? errno : EIO;
    if (ferror(stdout) && !e)
        e = EIO;
    errno = 0;
    if (fclose(stdout) != 0 && !e)
        e = errno ? errno : EIO;
    if (!e)
        return status;
    if (status == PMK_EXIT_OK) {
        cli_error("cannot write standard output: %s", strerror(e));
        return PMK_EXIT_FAIL;
    }
    return status;   /* the failure is already reported */
}

int cli_report_done(pmk_report *r, FILE *out, int json)
{
    pmk_error err = {0};
    errno = 0;
    int rc = pmk_report_write(r, out, json, &err) ? cli_error_pmk(&err) : PMK_EXIT_OK;
    if (out == stdout && ferror(out))
        cli_stdout_failed();
    pmk_report_free(r);
    return rc;
}
