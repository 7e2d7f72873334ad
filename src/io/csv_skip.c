/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* csv_skip.c: a range's reader passes over the lines before its range in
 * the file mapped, not read.  The reader must count those lines (its line
 * numbers are the file's), but reading them copied every byte from the page
 * cache: the second of two threads read half the file for nothing, on the
 * critical path of `gnb fit --threads 2`.  memchr over a read-only mapping
 * (MAP_POPULATE: its pages are mapped in one call, not faulted in one by
 * one) counts them without the copy.  The same checks as pmk_csv_next_line:
 * a line longer than max_line (a CR before the '\n' not counted) stops the
 * skip, and the usual path then reads on to it and reports it. */
#include "config.h"

#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "io/csv_internal.h"
#include "io/stream_internal.h"

int pmk_csv_skip_mapped(pmk_csv_reader *r)
{
    int fd = pmk_instream_seekable_fd(r->in);
    /* E: the first byte not in the buffer; S: the start of the (partial)
     * line at r->beg, which starts before skip_before */
    unsigned long long E = r->off0 + r->end, S = r->off0 + r->beg;
    if (fd < 0 || r->skip_before < E + CSV_SKIP_MIN)
        return 0;
    struct stat st;
    long pg = sysconf(_SC_PAGESIZE);
    if (fstat(fd, &st) || pg <= 0 || (unsigned long long)st.st_size <= E)
        return 0;
    /* A '\n' at p < skip_before - 1 ends a line that is passed over and
     * starts one at p + 1 < skip_before, also passed over. */
    unsigned long long lim = r->skip_before - 1;
    if (lim > (unsigned long long)st.st_size)
        lim = (unsigned long long)st.st_size;
    unsigned long long a = E & ~(unsigned long long)(pg - 1);
    if (lim - a > SIZE_MAX)
        return 0;
    size_t len = (size_t)(lim - a);
    char *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, (off_t)a);
    if (map == MAP_FAILED)
        return 0;
    const char *m = map + (E - a), *end = map + len, *p = m, *q;
    unsigned long long ls = S;   /* the start of the line being passed */
    long lines = 0;
    int ok = 1;
    while ((q = memchr(p, '\n', (size_t)(end - p)))) {
        unsigned long long at = E + (unsigned long long)(q - m);
        /* the byte before the '\n': mapped, or the buffer's last */
        char before = q > m ? q[-1] : r->end > r->beg ? r->buf[r->end - 1] : 0;
        unsigned long long n = at - ls - (at > ls && before == '\r');
        if (n > r->opt.max_line) {
            ok = 0;   /* the usual path reports it, with its line number */
            break;
        }
        lines++;
        ls = at + 1;
        p = q + 1;
    }
    munmap(map, len);
    if (!ok || lines == 0 || pmk_instream_seek(r->in, ls))
        return 0;
    r->line += lines;
    r->off0 = ls;
    r->beg = r->end = 0;
    r->scan = 0;
    return 1;
}
