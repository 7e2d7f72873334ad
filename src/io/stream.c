/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* stream.c: input streams (plain or gzip, detected by magic bytes) and atomic
 * output files (temporary file beside the target, renamed on success). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <dirent.h>
#include <signal.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <zlib.h>

#include "pmk/stream.h"

/* ---------------------------------------------------------------- input */

struct pmk_instream {
    gzFile gz;
    char *path;
    int gzip;
    int fd;
};

pmk_instream *pmk_instream_open(const char *path, pmk_error *err)
{
    int is_stdin = strcmp(path, "-") == 0;
    const char *shown = is_stdin ? "<stdin>" : path;
    pmk_instream *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(shown))) {
        free(s);
        pmk_error_at(err, PMK_ENOMEM, shown, 0, 0, "out of memory");
        return NULL;
    }
    if (is_stdin) {
        s->fd = dup(STDIN_FILENO);
    } else {
        s->fd = open(path, O_RDONLY | O_CLOEXEC);
    }
    if (s->fd < 0) {
        pmk_error_at(err, PMK_EIO, shown, 0, 0, "cannot open: %s", strerror(errno));
        goto fail;
    }
    struct stat st;
    if (fstat(s->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        pmk_error_at(err, PMK_EIO, shown, 0, 0, "cannot read: is a directory");
        close(s->fd);
        goto fail;
    }
    s->gz = gzdopen(s->fd, "rb");
    if (!s->gz) {
        close(s->fd);
        pmk_error_at(err, PMK_ENOMEM, shown, 0, 0, "out of memory");
        goto fail;
    }
    gzbuffer(s->gz, 1 << 18);
    /* gzdirect looks ahead at the first bytes: 1f 8b means gzip, whatever the name. */
    s->gzip = !gzdirect(s->gz);
    return s;
fail:
    free(s->path);
    free(s);
    return NULL;
}

long pmk_instream_read(pmk_instream *s, void *buf, size_t n, pmk_error *err)
{
    if (n > (size_t)INT_MAX)
        n = (size_t)INT_MAX;
    int got = gzread(s->gz, buf, (unsigned)n);
    int zerr = Z_OK;
    const char *zmsg = gzerror(s->gz, &zerr);
    if (got < 0 || (zerr != Z_OK && zerr != Z_STREAM_END)) {
        if (zerr == Z_ERRNO)
            return pmk_error_at(err, PMK_EIO, s->path, 0, 0, "cannot read: %s", strerror(errno)),
                   -1L;
        if (zerr == Z_BUF_ERROR)
            return pmk_error_at(err, PMK_EFORMAT, s->path, 0, 0,
                                "truncated gzip stream (unexpected end of file)"), -1L;
        /* gzerror prefixes the descriptor's pseudo-name ("<fd:4>: "): drop it. */
        if (zmsg && strncmp(zmsg, "<fd:", 4) == 0 && strstr(zmsg, ": "))
            zmsg = strstr(zmsg, ": ") + 2;
        return pmk_error_at(err, PMK_EFORMAT, s->path, 0, 0, "corrupt gzip stream: %s",
                            zmsg && *zmsg ? zmsg : "unknown zlib error"), -1L;
    }
    return got;
}

const char *pmk_instream_path(const pmk_instream *s) { return s->path; }
int pmk_instream_is_gzip(const pmk_instream *s) { return s->gzip; }

void pmk_instream_close(pmk_instream *s)
{
    if (!s)
        return;
    gzclose_r(s->gz);   /* closes the descriptor too */
    free(s->path);
    free(s);
}

/* ---------------------------------------------------------------- output */

static void outfile_reset(pmk_outfile *o)
{
    free(o->path);
    free(o->tmp);
    o->fp = NULL;
    o->path = NULL;
    o->tmp = NULL;
}

/* The temporary file of target DIR/BASE is DIR/.BASE.pmk-PID-XXXXXX: PID the
 * writer's process id, XXXXXX six random hex digits.  When that name would be
 * longer than the directory allows (NAME_MAX, 255 on most file systems), BASE
 * is cut (at a UTF-8 character boundary) so that the name fits with any PID;
 * the cut depends only on BASE, so every run on one target uses the same
 * prefix.  TMP_SUFFIX_MAX: ".pmk-" + 10 digits + "-" + 6 hex digits. */
#define TMP_SUFFIX_MAX (5 + 10 + 1 + 6)

/* The length of BASE's part of the temporary name in a directory whose names
 * may have @p name_max bytes. */
static size_t temp_base_len(const char *base, long name_max)
{
    size_t blen = strlen(base);
    long room = name_max - 1 - TMP_SUFFIX_MAX;
    if (room < 0)
        room = 0;
    if (blen > (size_t)room) {
        blen = (size_t)room;
        while (blen > 0 && ((unsigned char)base[blen] & 0xC0) == 0x80)
            blen--;   /* base[blen] continues a UTF-8 character: cut before it */
    }
    return blen;
}

/* 1 when @p name (a directory entry) is a temporary file of the target whose
 * prefix is ".@p base[0..blen)" with a writer that has certainly ended: its
 * pid is not running and nobody holds its lock (pmk_outfile_open locks its
 * temporary file for as long as it is open; the kernel drops the lock when
 * the process dies, even by SIGKILL).  *pid gets the writer's pid. */
static int temp_is_stale(const char *name, const char *base, size_t blen, long *pid)
{
    if (name[0] != '.' || strncmp(name + 1, base, blen) != 0
        || strncmp(name + 1 + blen, ".pmk-", 5) != 0)
        return 0;
    const char *p = name + 1 + blen + 5, *digits = p;
    while (*p >= '0' && *p <= '9')
        p++;
    if (p == digits || p - digits > 10 || *p != '-')
        return 0;
    for (int k = 1; k <= 6; k++)
        if (!((p[k] >= '0' && p[k] <= '9') || (p[k] >= 'a' && p[k] <= 'f')))
            return 0;
    if (p[7] != '\0')
        return 0;
    *pid = strtol(digits, NULL, 10);
    if (*pid <= 0 || *pid == (long)getpid())
        return 0;
    return kill((pid_t)*pid, 0) != 0 && errno == ESRCH;
}

/* Removes the temporary files that earlier writers of this target left behind
 * when they were killed (SIGKILL, power loss): those whose pid has ended and
 * whose lock is free.  A live writer's file is never touched.  Best effort:
 * errors are ignored, the output does not depend on it. */
static void remove_stale_temps(const char *dir, const char *base, size_t blen)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    int dfd = dirfd(d);
    struct dirent *ent;
    while ((ent = readdir(d)) != NULL) {
        long pid;
        if (!temp_is_stale(ent->d_name, base, blen, &pid))
            continue;
        int fd = openat(dfd, ent->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)
            && (flock(fd, LOCK_EX | LOCK_NB) == 0 || errno != EWOULDBLOCK))
            unlinkat(dfd, ent->d_name, 0);
        close(fd);
    }
    closedir(d);
}

/* Creates the temporary file of @p target (see above) with O_EXCL and mode
 * 0666 (the umask applies, as for a plain fopen), trying fresh names until
 * one is free, and locks it (flock) for as long as it stays open. */
static int create_temp(const char *target, char **tmp_out, int *fd_out)
{
    const char *slash = strrchr(target, '/');
    size_t dirlen = slash ? (size_t)(slash - target + 1) : 0;
    const char *base = slash ? slash + 1 : target;
    char *dir = slash ? strndup(target, dirlen) : strdup(".");
    size_t len = dirlen + strlen(base) + TMP_SUFFIX_MAX + 8;
    char *tmp = malloc(len);
    if (!dir || !tmp) {
        free(dir);
        free(tmp);
        return ENOMEM;
    }
    errno = 0;
    long name_max = pathconf(dir, _PC_NAME_MAX);
    if (name_max <= 0)
        name_max = 255;
    size_t blen = temp_base_len(base, name_max);
    remove_stale_temps(dir, base, blen);
    free(dir);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    long pid = (long)getpid();
    unsigned long x = (unsigned long)ts.tv_nsec ^ ((unsigned long)pid << 16)
                      ^ (unsigned long)(uintptr_t)tmp;
    for (int attempt = 0; attempt < 100; attempt++) {
        x = x * 6364136223846793005UL + 1442695040888963407UL;
        snprintf(tmp, len, "%.*s.%.*s.pmk-%ld-%06lx", (int)dirlen, target, (int)blen, base, pid,
                 (x >> 20) & 0xffffffUL);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            (void)flock(fd, LOCK_EX | LOCK_NB);   /* the pid covers file systems without locks */
            *tmp_out = tmp;
            *fd_out = fd;
            return 0;
        }
        if (errno != EEXIST) {
            int e = errno;
            free(tmp);
            return e;
        }
    }
    free(tmp);
    return EEXIST;
}

int pmk_outfile_open(pmk_outfile *o, const char *path, pmk_error *err)
{
    o->fp = NULL;
    o->path = NULL;
    o->tmp = NULL;
    if (!path || !*path)
        return pmk_error_set(err, PMK_EINVAL, "empty output file name");
    if (!(o->path = strdup(path)))
        return pmk_error_at(err, PMK_ENOMEM, path, 0, 0, "out of memory");
    if (strcmp(path, "-") == 0) {
        o->fp = stdout;
        return PMK_OK;
    }
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            outfile_reset(o);
            return pmk_error_at(err, PMK_EIO, path, 0, 0, "cannot write: is a directory");
        }
        if (!S_ISREG(st.st_mode)) {
            /* A device or a pipe (/dev/null, /dev/full, a FIFO): write straight
             * to it; renaming over it would replace the device itself. */
            o->fp = fopen(path, "wb");
            if (!o->fp) {
                int e = errno;
                outfile_reset(o);
                return pmk_error_at(err, PMK_EIO, path, 0, 0, "cannot write: %s", strerror(e));
            }
            return PMK_OK;
        }
    }
    /* Write beside the file a symbolic link points to, so the link survives. */
    const char *target = path;
    char *real = NULL;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        real = realpath(path, NULL);
        if (real)
            target = real;
    }
    int fd = -1, e = create_temp(target, &o->tmp, &fd);
    if (e == 0 && real) {
        free(o->path);
        o->path = real;
        real = NULL;
    }
    free(real);
    if (e) {
        outfile_reset(o);
        return pmk_error_at(err, e == ENOMEM ? PMK_ENOMEM : PMK_EIO, path, 0, 0,
                            "cannot write: %s", strerror(e));
    }
    o->fp = fdopen(fd, "wb");
    if (!o->fp) {
        e = errno;
        close(fd);
        unlink(o->tmp);
        outfile_reset(o);
        return pmk_error_at(err, PMK_EIO, path, 0, 0, "cannot write: %s", strerror(e));
    }
    return PMK_OK;
}

int pmk_outfile_commit(pmk_outfile *o, pmk_error *err)
{
    if (!o->fp)
        return pmk_error_set(err, PMK_EINVAL, "output file is not open");
    const char *shown = o->path;
    int e = 0;
    if (fflush(o->fp) != 0)
        e = errno ? errno : EIO;
    if (!e && ferror(o->fp))
        e = EIO;
    if (o->fp == stdout) {
        clearerr(stdout);
        int code = PMK_OK;
        if (e)
            code = pmk_error_at(err, PMK_EIO, "<stdout>", 0, 0, "cannot write: %s", strerror(e));
        outfile_reset(o);
        return code;
    }
    if (!e && o->tmp && fsync(fileno(o->fp)) != 0 && errno != EINVAL)
        e = errno;
    if (fclose(o->fp) != 0 && !e)
        e = errno ? errno : EIO;
    o->fp = NULL;
    if (!e && o->tmp && rename(o->tmp, o->path) != 0)
        e = errno;
    if (e) {
        if (o->tmp)
            unlink(o->tmp);
        int code = pmk_error_at(err, PMK_EIO, shown, 0, 0, "cannot write: %s", strerror(e));
        outfile_reset(o);
        return code;
    }
    outfile_reset(o);
    return PMK_OK;
}

int pmk_outfile_sync(pmk_outfile *o, pmk_error *err)
{
    if (!o->fp)
        return pmk_error_set(err, PMK_EINVAL, "output file is not open");
    int e = 0;
    errno = 0;
    if (fflush(o->fp) != 0)
        e = errno ? errno : EIO;
    if (!e && ferror(o->fp))
        e = EIO;
    if (!e && o->tmp && fsync(fileno(o->fp)) != 0 && errno != EINVAL)
        e = errno;
    if (!e)
        return PMK_OK;
    int code = pmk_error_at(err, PMK_EIO, o->fp == stdout ? "<stdout>" : o->path, 0, 0,
                            "cannot write: %s", strerror(e));
    if (o->fp == stdout)
        clearerr(stdout);
    pmk_outfile_abort(o);
    return code;
}

void pmk_outfile_abort(pmk_outfile *o)
{
    if (o->fp && o->fp != stdout)
        fclose(o->fp);
    if (o->tmp)
        unlink(o->tmp);
    outfile_reset(o);
}
