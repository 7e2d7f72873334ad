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

#include "io/stream_internal.h"
#include "pmk/stream.h"
#include "core/core_internal.h"

/* ---------------------------------------------------------------- input */

/* gzip input is inflated here with zlib's inflate (not gzread), because gzread
 * silently ignores whatever follows the last gzip member.  The rules
 * (doc/formats.md, "gzip input"):
 *   - members may be concatenated (gzip -c a >x; gzip -c b >>x): one stream;
 *   - any byte after the last member is an error, zero padding included
 *     (gzip(1) warns "trailing garbage ignored" and accepts zeros from tape
 *     blocks; pmk's files never come from tapes);
 *   - the decompressed bytes may not exceed GZ_RATIO times the compressed
 *     bytes consumed, past the first GZ_FLOOR bytes: deflate can expand 1032
 *     times, so a 5 MB file could otherwise make 5 GB to parse.  Real data
 *     sets stay well below (MNIST CSV: 8.6, binarised MNIST IDX: 25). */
#define GZ_INBUF ((size_t)1 << 18)
#define SNIFF ((size_t)4096)   /* the first read of a stream (pmk_instream_open) */
#define GZ_RATIO 64ULL
#define GZ_FLOOR (16ULL << 20)

struct pmk_instream {
    int fd;
    char *path;
    int gzip;
    int zinit;                  /* inflateInit2 done */
    int in_eof;                 /* read() returned 0 */
    int done;                   /* gzip: the last member ended, nothing follows */
    z_stream z;
    unsigned char *in;          /* GZ_INBUF bytes; plain files: the first bytes */
    size_t plain_pos, plain_len;
    unsigned long long in_total, out_total;
};

/* Reads more compressed bytes after the unconsumed ones, up to @p cap in
 * all; 0 ok, -1 error. */
static int fill_upto(pmk_instream *s, size_t cap, pmk_error *err)
{
    if (s->z.avail_in > 0 && s->z.next_in != s->in)
        memmove(s->in, s->z.next_in, s->z.avail_in);
    s->z.next_in = s->in;
    while (!s->in_eof && s->z.avail_in < cap) {
        ssize_t k = read(s->fd, s->in + s->z.avail_in, cap - s->z.avail_in);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return pmk_error_at(err, PMK_EIO, s->path, 0, 0, "cannot read: %s", strerror(errno)),
                   -1;
        if (k == 0)
            s->in_eof = 1;
        s->z.avail_in += (unsigned)k;
        s->in_total += (unsigned long long)k;
        if (k > 0)
            break;   /* one read at a time: pipes deliver what they have */
    }
    return 0;
}

static int fill_in(pmk_instream *s, pmk_error *err) { return fill_upto(s, GZ_INBUF, err); }

static ssize_t read_plain(int fd, void *buf, size_t n)
{
    for (;;) {
        ssize_t k = read(fd, buf, n);
        if (k >= 0 || errno != EINTR)
            return k;
    }
}

const char *pmk_stream_shown(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

pmk_instream *pmk_instream_open(const char *path, pmk_error *err)
{
    int is_stdin = strcmp(path, "-") == 0;
    const char *shown = pmk_stream_shown(path);
    pmk_instream *s = calloc(1, sizeof *s);
    if (!s || !(s->path = strdup(shown)) || !(s->in = malloc(GZ_INBUF))) {
        if (s)
            free(s->path);
        free(s);
        pmk_error_at(err, PMK_ENOMEM, shown, 0, 0, "out of memory");
        return NULL;
    }
    s->fd = is_stdin ? dup(STDIN_FILENO) : open(path, O_RDONLY | O_CLOEXEC);
    if (s->fd < 0) {
        pmk_error_at(err, PMK_EIO, shown, 0, 0, "cannot open: %s", strerror(errno));
        goto fail;
    }
    struct stat st;
    if (fstat(s->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        pmk_error_at(err, PMK_EIO, shown, 0, 0, "cannot read: is a directory");
        goto fail;
    }
    /* 1f 8b at the start means gzip, whatever the name.  The first read
     * asks for SNIFF bytes only: a plain file's reader reads the rest into
     * its own buffer, so that the bytes are copied once and the 256 KiB of
     * this buffer are not touched (a first touch costs a page fault: 10 us
     * a page on the VMs measured; 64 of them at every open). */
    while (!s->in_eof && s->z.avail_in < 2)
        if (fill_upto(s, SNIFF, err))
            goto fail;
    if (s->z.avail_in >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b) {
        s->gzip = 1;
        if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK) {   /* gzip wrapper only */
            pmk_error_at(err, PMK_ENOMEM, shown, 0, 0, "out of memory");
            goto fail;
        }
        s->zinit = 1;
    } else {
        s->plain_pos = 0;
        s->plain_len = s->z.avail_in;
    }
    return s;
fail:
    pmk_instream_close(s);
    return NULL;
}

/* After the end of a member: another member, or the end, or trailing bytes. */
static int member_end(pmk_instream *s, pmk_error *err)
{
    while (!s->in_eof && s->z.avail_in < 2)
        if (fill_in(s, err))
            return -1;
    if (s->z.avail_in == 0) {
        s->done = 1;
        return 0;
    }
    if (s->z.avail_in >= 2 && s->z.next_in[0] == 0x1f && s->z.next_in[1] == 0x8b) {
        inflateReset(&s->z);
        return 0;
    }
    unsigned long long at = s->in_total - s->z.avail_in;
    int zeros = 1;
    for (unsigned i = 0; i < s->z.avail_in && zeros; i++)
        zeros = s->z.next_in[i] == 0;
    return pmk_error_at(err, PMK_EFORMAT, s->path, 0, 0,
                        "%s after the end of the gzip data (at byte %llu of the file; "
                        "gzip(1) would say 'trailing garbage ignored')",
                        zeros ? "zero padding" : "trailing bytes", at), -1;
}

long pmk_instream_read(pmk_instream *s, void *buf, size_t n, pmk_error *err)
{
    if (n > (size_t)INT_MAX)
        n = (size_t)INT_MAX;
    if (!s->gzip) {
        if (s->plain_pos < s->plain_len) {
            size_t k = s->plain_len - s->plain_pos < n ? s->plain_len - s->plain_pos : n;
            memcpy(buf, s->in + s->plain_pos, k);
            s->plain_pos += k;
            return (long)k;
        }
        if (s->in_eof)
            return 0;
        ssize_t k = read_plain(s->fd, buf, n);
        if (k < 0)
            return pmk_error_at(err, PMK_EIO, s->path, 0, 0, "cannot read: %s", strerror(errno)),
                   -1L;
        return (long)k;
    }
    s->z.next_out = buf;
    s->z.avail_out = (unsigned)n;
    while (s->z.avail_out > 0 && !s->done) {
        if (s->z.avail_in == 0) {
            if (s->in_eof)
                return pmk_error_at(err, PMK_EFORMAT, s->path, 0, 0,
                                    "truncated gzip stream (unexpected end of file)"), -1L;
            if (fill_in(s, err))
                return -1;
            continue;
        }
        int zr = inflate(&s->z, Z_NO_FLUSH);
        if (zr == Z_STREAM_END) {
            if (member_end(s, err))
                return -1;
        } else if (zr == Z_MEM_ERROR) {
            return pmk_error_at(err, PMK_ENOMEM, s->path, 0, 0, "out of memory"), -1L;
        } else if (zr != Z_OK && zr != Z_BUF_ERROR) {
            return pmk_error_at(err, PMK_EFORMAT, s->path, 0, 0, "corrupt gzip stream: %s",
                                s->z.msg ? s->z.msg : "unknown zlib error"), -1L;
        }
    }
    size_t got = n - s->z.avail_out;
    s->out_total += got;
    unsigned long long used = s->in_total - s->z.avail_in;
    if (s->out_total > GZ_FLOOR && s->out_total / GZ_RATIO > used)
        return pmk_error_at(err, PMK_ELIMIT, s->path, 0, 0,
                            "gzip data expands more than %llu times its compressed size "
                            "(a gzip bomb?); gunzip the file to read it", GZ_RATIO), -1L;
    return (long)got;
}

const char *pmk_instream_path(const pmk_instream *s) { return s->path; }
int pmk_instream_is_gzip(const pmk_instream *s) { return s->gzip; }

void pmk_instream_close(pmk_instream *s)
{
    if (!s)
        return;
    if (s->zinit)
        inflateEnd(&s->z);
    if (s->fd >= 0)
        close(s->fd);
    CORE_FREE(s->in, s->path, s);
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
 * is cut (at a UTF-8 character boundary) so that the name fits with any PID
 * (pmk_temp_base_len). */
#define TMP_SUFFIX_MAX PMK_TMP_SUFFIX_MAX

size_t pmk_temp_base_len(const char *base, long name_max)
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
    if (p[7] != '\0' && strcmp(p + 7, ".gz") != 0) /* ".gz": a CLI output set's stage */
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
    size_t blen = pmk_temp_base_len(base, name_max);
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

int pmk_instream_seek(pmk_instream *s, unsigned long long off)
{
    if (s->gzip || off > (unsigned long long)INT64_MAX)
        return -1;
    /* the first plain_len bytes of the file are in s->in, the fd after them */
    if (off < s->plain_len) {
        if (lseek(s->fd, (off_t)s->plain_len, SEEK_SET) < 0)
            return -1;
        s->plain_pos = (size_t)off;
    } else {
        if (lseek(s->fd, (off_t)off, SEEK_SET) < 0)
            return -1;
        s->plain_pos = s->plain_len;
    }
    s->in_eof = 0;
    return 0;
}

void pmk_instream_tell(const pmk_instream *s, unsigned long long *at, unsigned long long *size)
{
    struct stat st;
    off_t pos = lseek(s->fd, 0, SEEK_CUR);
    *at = pos > 0 ? (unsigned long long)pos : 0;
    *size = pos >= 0 && fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode) ? (unsigned long long)st.st_size
                                                                       : 0;
}
