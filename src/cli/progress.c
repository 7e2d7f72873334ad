/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* progress.c: the CLI's one progress renderer, fed by the library's
 * pmk_progress callbacks (pmk/progress.h).
 *
 * On a terminal: one line rewritten in place ("\r\033[K"), at most ten times
 * a second: "pmk CMD: WHAT  45% 27/60 MB  54.3 MB/s  ETA 0:01".  Otherwise a
 * plain line at most once a second, the first after a second, so that a
 * quick job prints nothing to a log.  -q silences both.  The rate and ETA
 * are measured from the job's start, taken as the previous job's last report
 * (the process's first job: its first report); a job starts again when done
 * falls back, the total or unit changes, or the last one completed.
 * PMK_PROGRESS_INTERVAL=SECONDS replaces both intervals; 0 draws every
 * report (for the tests, which must not depend on timing). */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

/* The CLI is single-threaded: one meter at a time. */
static struct {
    int tty;                        /* -1 until stderr was looked at */
    int open;                       /* a rewritten line is on screen */
    double interval;                /* seconds between two lines */
    double t0, last, prev;          /* the job's start; the last line; the last report */
    unsigned long long done0, done, total;
    char unit[32];
    int finished;                   /* the last report had done == total */
} m = {-1, 0, 0, 0, 0, -1, 0, 0, 0, "", 1};

static void look(void)
{
    if (m.tty >= 0)
        return;
    m.tty = isatty(STDERR_FILENO);
    const char *e = getenv("PMK_PROGRESS_INTERVAL");
    char *end;
    double v = e && *e ? strtod(e, &end) : -1;
    m.interval = e && *e && !*end && v >= 0 ? v : m.tty ? 0.1 : 1.0;
}

/* "1:05", "1:02:03", or "?" when unknown. */
static void clock_text(char *buf, size_t n, double s)
{
    if (!(s >= 0 && s < 1e8))
        snprintf(buf, n, "?");
    else if (s < 3600)
        snprintf(buf, n, "%d:%02d", (int)s / 60, (int)s % 60);
    else
        snprintf(buf, n, "%d:%02d:%02d", (int)s / 3600, (int)s / 60 % 60, (int)s % 60);
}

static void draw(const pmk_progress *p, double now)
{
    /* bytes are shown in MB (10^6), every other unit as it is */
    int mb = strcmp(p->unit, "bytes") == 0;
    const char *u = mb ? "MB" : p->unit;
    double k = mb ? 1e-6 : 1, dt = now - m.t0;
    double rate = dt > 0 ? (double)(p->done - m.done0) * k / dt : -1;
    char r[48], eta[24] = "";
    if (rate >= 0)
        snprintf(r, sizeof r, rate >= 100 ? "%.0f %s/s" : "%.3g %s/s", rate, u);
    else
        snprintf(r, sizeof r, "? %s/s", u);
    fputs(m.tty ? "\r\033[K" : "", stderr);
    if (cli_command()[0])
        fprintf(stderr, "pmk %s: ", cli_command());
    const int dec = mb ? 1 : 0;   /* digits after the point */
    if (p->total) {
        clock_text(eta, sizeof eta, rate > 0 ? (double)(p->total - p->done) * k / rate : -1);
        fprintf(stderr, "%s %3llu%% %.*f/%.*f %s  %s  ETA %s", p->what, p->done * 100 / p->total,
                dec, (double)p->done * k, dec, (double)p->total * k, u, r, eta);
    } else {
        fprintf(stderr, "%s %.*f %s  %s", p->what, dec, (double)p->done * k, u, r);
    }
    m.open = m.tty;
    fputs(m.tty ? "" : "\n", stderr);
    fflush(stderr);
}

int cli_progress_fn(const pmk_progress *p, void *ctx)
{
    (void)ctx;
    if (cli_quiet())
        return 0;
    look();
    double now = cli_now();
    if (m.finished || p->done < m.done || p->total != m.total
        || strncmp(p->unit, m.unit, sizeof m.unit - 1)) {
        /* the job began when the one before it ended; the first, unknown */
        m.t0 = m.prev >= 0 ? m.prev : now;
        m.done0 = m.prev >= 0 ? 0 : p->done;
        m.last = now;
        m.total = p->total;
        snprintf(m.unit, sizeof m.unit, "%s", p->unit);
    }
    m.done = p->done;
    m.prev = now;
    m.finished = p->total && p->done >= p->total;
    if (now - m.last >= m.interval) {
        m.last = now;
        draw(p, now);
    }
    if (m.finished)   /* the job is over: its meter goes */
        cli_progress_done();
    return 0;
}

void cli_progress_line(const char *fmt, ...)
{
    if (cli_quiet())
        return;
    look();
    va_list ap;
    fputs(m.tty ? "\r\033[K" : "", stderr);
    if (cli_command()[0])
        fprintf(stderr, "pmk %s: ", cli_command());
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    m.open = 0;
}

void cli_progress_done(void)
{
    if (m.open) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        m.open = 0;
    }
    m.finished = 1;
}
