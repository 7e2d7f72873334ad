/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_par.c: the Gaussian classifier's fit on several threads.  The file is
 * cut into P disjoint ranges (CSV: bytes, a row belonging to the range its
 * first byte lies in; IDX: rows), P = the thread count; each thread reads
 * its range with its own reader and fits its own statistics (per class:
 * count, mean, M2), and the P models are merged in range order with the
 * Chan-Golub-LeVeque update that `gnb merge` uses (pmk_gnb_merge_stats).
 * The merge order is fixed by P alone, so a fixed P gives the same bits
 * every time; another P rounds differently (parameters agree to about
 * 1e-15 relative).  The training pass of the fit (its accuracy) reads the
 * ranges the same way, each range's counts added in range order.  Memory: P
 * readers' chunks and P models, O(P K D).  A range after the first does not
 * read the lines before it (pmk_data_open_seek): it numbers its own lines,
 * and a failed range's message gets its line made absolute here, from the
 * earlier ranges' line counts, so that it names the line one thread does. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pmk/limits.h"
#include "pmk/threads.h"
#include "core/core_internal.h"
#include "io/dataset_internal.h"
#include "io/stream_internal.h"
#include "models/gnb_internal.h"

/* The least bytes of the file a range may have (PMK_GNB_RANGE_MIN).  Each
 * range costs its thread's start, its own reader with fresh buffers, and a
 * spill or output file: about 2 ms on the 2-vCPU VM measured, where a
 * one-row `gnb predict` took 10.1 ms on 2 ranges and 7.6 ms on one, and
 * gnb eval of Fashion-MNIST's rows broke even near 256 KiB a range.  The
 * environment variable PMK_RANGE_MIN (bytes, pmk_mem_parse's form, > 0)
 * sets it instead: the tests set 1, so that their small files are split. */
unsigned long long pmk_gnb_par_range_min(void)
{
    unsigned long long v;
    if (pmk_mem_parse(getenv("PMK_RANGE_MIN"), &v) == PMK_OK && v > 0)
        return v;
    return PMK_GNB_RANGE_MIN;
}

/* The cuts of @p path into at most @p T ranges, each of at least
 * pmk_gnb_par_range_min() bytes of the file: cut[0] = 0 < ... < cut[P] =
 * the file's bytes (CSV) or rows (IDX).  Returns P; 1 when the file is not
 * to be split (stdin, gzip, not a regular file, too small, a range already
 * asked for, an error opening it: the one-thread path reports it).  @p r0,
 * when not NULL, is a reader of the whole file already open with @p o: its
 * format and rows are used instead of opening another (a reader reads its
 * first 256 KiB and first row at open). */
static size_t plan(const char *path, const pmk_data_options *o, const pmk_data_reader *r0,
                   size_t T, unsigned long long *cut)
{
    struct stat st;
    if (T < 2 || !strcmp(path, "-") || o->begin != 0 || o->end != PMK_DATA_END
        || stat(path, &st) || !S_ISREG(st.st_mode))
        return 1;
    unsigned char magic[2] = {0, 0};
    FILE *f = fopen(path, "rb");
    size_t got = f ? fread(magic, 1, 2, f) : 0;
    if (f)
        fclose(f);
    if (got != 2 || (magic[0] == 0x1f && magic[1] == 0x8b))
        return 1;   /* gzip: each range would inflate everything before it */
    unsigned long long most = (unsigned long long)st.st_size / pmk_gnb_par_range_min();
    if (most < 2)
        return 1;
    T = most < T ? (size_t)most : T;
    pmk_data_options q = *o;
    q.progress = NULL;
    q.chunk_rows = 1;
    pmk_data_reader *r = r0 ? NULL : pmk_data_open(path, &q, NULL);
    if (!r0 && !r)
        return 1;
    const pmk_data_reader *rr = r0 ? r0 : r;
    unsigned long long total = pmk_data_format(rr) == PMK_DATA_IDX
                                   ? (unsigned long long)pmk_data_range_rows(rr)
                                   : (unsigned long long)st.st_size;
    pmk_data_close(r);
    size_t P = total < T ? (size_t)total : T;
    if (P < 2)
        return 1;
    for (size_t p = 0; p <= P; p++)
        cut[p] = (unsigned long long)((unsigned __int128)total * p / P);
    return P;
}

/* One range's work: a fit (m, from the options g) or an evaluation (e, of
 * the finished model fitted). */
typedef struct part {
    pmk_gnb *m;
    pmk_gnb_eval *e;
    FILE *f;                    /* a prediction's rows (a temporary file) */
    pmk_gnb_spill *sp;          /* a fit's rows for the training pass, or NULL */
    double rows;
    int rc;
    pmk_error err;
    int rel;                    /* CSV: lines numbered from the range's start */
    long last;                  /* the number of the range's last line */
    char *shown;                /* the path as messages show it */
} part;

typedef struct job {
    const char *path;
    const pmk_data_reader *r0;  /* a reader of path already open, or NULL */
    const pmk_data_options *dopt;
    const pmk_gnb_options *g;   /* a fit's options, or NULL for an evaluation */
    const pmk_gnb *fitted;      /* the model an evaluation or prediction uses */
    int columns;                /* a prediction's (>= 0), else -1 */
    int spill;                  /* a fit: spill the rows (pmk_gnb_spill_open) */
    size_t feed_rows;           /* a fit: > 0, the reads gathered into chunks (gnb_feed.c) */
} job;

#define EVAL_ROWS 32

/* Range [begin, end) of the job, on one thread. */
static void run_part(const job *j, unsigned long long begin, unsigned long long end, part *p)
{
    pmk_data_options o = *j->dopt;
    o.begin = begin;
    o.end = end;
    o.progress = NULL;   /* the callback is the caller's, on its thread */
    /* An evaluation or prediction takes EVAL_ROWS rows a chunk unless asked
     * otherwise: the figures do not depend on the chunks (sums in fixed
     * point, GEMMs of 32 rows), and each thread's chunk is fresh memory,
     * ~10 us a 4 KiB page on the VMs measured (1 MiB: 2.6 ms). */
    if (!j->g && o.chunk_rows == 0)
        o.chunk_rows = EVAL_ROWS;
    pmk_data_reader *r = pmk_data_open_seek(j->path, &o, &p->rel, &p->err);
    p->shown = strdup(pmk_stream_shown(j->path));   /* NULL: messages stay as they are */
    int rel;   /* p->rel, as the reader goes on */
    if (!r) {
        p->rc = p->err.code;
        return;
    }
    if (j->columns >= 0) {   /* a prediction: this range's lines, header first */
        if (!(p->f = tmpfile()))
            p->rc = pmk_error_set(&p->err, PMK_EIO, "cannot make a temporary file");
        else if (!(p->rc = pmk_gnb_predict_write(j->fitted, r, j->columns, p->f, &p->err))
                 && (fflush(p->f) || ferror(p->f)))
            p->rc = pmk_error_set(&p->err, PMK_EIO, "writing a temporary file failed");
        pmk_data_range_lines(r, &rel, &p->last);
        pmk_data_close(r);
        return;
    }
    if (j->g ? !(p->m = pmk_gnb_alloc(pmk_data_nfeatures(r), j->g, &p->err))
             : !(p->e = pmk_gnb_eval_alloc(j->fitted, &p->err))) {
        p->rc = p->err.code;
        pmk_data_close(r);
        return;
    }
    size_t D = pmk_data_nfeatures(r);
    if (j->g && j->spill)   /* out of memory: no spill, the training pass re-reads */
        p->sp = pmk_gnb_spill_open(pmk_data_chunk_cap(D, j->feed_rows ? j->feed_rows
                                                                        : o.chunk_rows), D);
    pmk_gnb_feed *feed = NULL;
    if (j->g && j->feed_rows && !(feed = pmk_gnb_feed_open(p->m, j->feed_rows, p->sp, &p->err)))
        p->rc = p->err.code;
    while (!p->rc) {
        pmk_data_chunk ch;
        /* the feeder's messages are placed in the file already */
        if ((p->rc = feed ? pmk_gnb_feed_read(feed, r, &ch, &p->err)
                          : pmk_data_read_chunk(r, &ch, &p->err))
            || ch.n == 0)
            break;
        if (feed) {
            p->rows += (double)ch.n;
            continue;
        }
        p->rc = j->g ? pmk_gnb_partial_fit_tokens(p->m, &ch.X.matrix, ch.y, NULL, ch.tok,
                                                  ch.ntok, &p->err)
                     : pmk_gnb_eval_add_tokens(p->e, j->fitted, &ch.X.matrix, ch.y, ch.tok,
                                               ch.ntok, &p->err);
        if (p->rc) {
            pmk_gnb_at_chunk(r, &ch, &p->err);
            break;
        }
        if (p->sp)
            pmk_gnb_spill_add(p->sp, &ch, NULL);
        p->rows += (double)ch.n;
    }
    if (feed && !p->rc)
        p->rc = pmk_gnb_feed_flush(feed, r, &p->err);
    pmk_gnb_feed_free(feed);
    pmk_data_range_lines(r, &rel, &p->last);
    pmk_data_close(r);
}

/* The P ranges of a job, each on its own thread (core_threads_run). */
typedef struct parts_run {
    const job *j;
    const unsigned long long *cut;
    part *parts;
    size_t P;
} parts_run;

static void run_range(void *ctx, size_t p)
{
    parts_run *r = ctx;
    run_part(r->j, r->cut[p], p + 1 < r->P ? r->cut[p + 1] : PMK_DATA_END, &r->parts[p]);
}

/* The message of a range that numbers its lines from its start
 * ("SHOWN:LINE:..."), with the line made absolute: @p base lines precede
 * the range. */
static void absolute_line(pmk_error *e, const char *shown, long base)
{
    char head[64];
    size_t n = shown ? strlen(shown) : 0;
    int h = snprintf(head, sizeof head, ":%ld:", e->line);
    if (!shown || e->line <= 0 || h <= 0 || strncmp(e->msg, shown, n)
        || strncmp(e->msg + n, head, (size_t)h))
        return;
    char rest[sizeof e->msg];
    snprintf(rest, sizeof rest, "%s", e->msg + n + (size_t)h);
    e->line += base;
    int w = snprintf(e->msg, sizeof e->msg, "%s:%ld:", shown, e->line);
    if (w > 0 && (size_t)w < sizeof e->msg) {
        size_t len = strnlen(rest, sizeof e->msg - (size_t)w - 1);
        memcpy(e->msg + w, rest, len);
        e->msg[(size_t)w + len] = '\0';
    }
}

static void free_parts(part *parts, size_t P)
{
    for (size_t p = 0; parts && p < P; p++) {
        pmk_gnb_free(parts[p].m);
        pmk_gnb_eval_free(parts[p].e);
        pmk_gnb_spill_free(parts[p].sp);
        free(parts[p].shown);
        if (parts[p].f)
            fclose(parts[p].f);
    }
    free(parts);
}

/* Runs the job @p j over the ranges of its file: the P parts in file order
 * (caller's: free_parts) and *@p np, or NULL when the file is not split
 * (*@p rc PMK_OK) or on error (*@p rc: the first range in file order that
 * failed has the first bad row; its error). */
static part *run_parts(job j, size_t *np, int *rc, pmk_error *err)
{
    *np = 0;
    *rc = PMK_OK;
    size_t T = (size_t)pmk_threads_resolve(j.dopt->threads);
    unsigned long long *cut = malloc((T + 1) * sizeof *cut);
    size_t P = cut ? plan(j.path, j.dopt, j.r0, T, cut) : 0;
    part *parts = P > 1 ? calloc(P, sizeof *parts) : NULL;
    if (!parts) {
        free(cut);
        if (P != 1)
            *rc = pmk_error_set(err, PMK_ENOMEM, "out of memory");
        return NULL;
    }
    parts_run pr = {&j, cut, parts, P};
    core_threads_run(P, run_range, &pr);
    free(cut);
    long base = 0;   /* the lines before range p */
    for (size_t p = 0; p < P; p++) {
        if (parts[p].rc) {
            if (parts[p].rel)
                absolute_line(&parts[p].err, parts[p].shown, base);
            *rc = parts[p].rc;
            if (err)
                *err = parts[p].err;
            free_parts(parts, P);
            return NULL;
        }
        base = parts[p].rel ? base + parts[p].last : parts[p].last;
    }
    *np = P;
    return parts;
}

/* The raw-value summaries of two ranges, as if seen in one pass. */
static void stats_merge(pmk_data_stats *s, const pmk_data_stats *b)
{
    if (b->count == 0)
        return;
    if (s->count == 0) {
        *s = *b;
        return;
    }
    s->min = b->min < s->min ? b->min : s->min;
    s->max = b->max > s->max ? b->max : s->max;
    s->count += b->count;
    s->all_u8 = s->all_u8 && b->all_u8;
}

int pmk_gnb_par_fit(const char *path, const pmk_data_reader *r0, const pmk_data_options *dopt,
                    const pmk_gnb_options *gopt, size_t feed_rows,
                    pmk_gnb **out, double *rows, pmk_gnb_spill ***spills, size_t *nsp,
                    pmk_error *err)
{
    *out = NULL;
    *rows = 0;
    size_t P;
    int rc;
    part *parts = run_parts((job){path, r0, dopt, gopt, NULL, -1, spills != NULL, feed_rows}, &P,
                            &rc, err);
    if (!parts)
        return rc;
    pmk_gnb *acc = parts[0].m;
    parts[0].m = NULL;
    for (size_t p = 1; p < P; p++) {
        pmk_gnb *b = parts[p].m, *mm = pmk_gnb_alloc(acc->d, gopt, err);
        if (!mm || pmk_gnb_merge_stats(mm, acc, b, err)) {
            rc = err ? err->code : PMK_ENOMEM;
            pmk_gnb_free(mm);
            break;
        }
        mm->stats = acc->stats;
        stats_merge(&mm->stats, &b->stats);
        pmk_gnb_free(acc);
        acc = mm;
    }
    if (!rc && acc->k > gopt->max_classes) {   /* too many: one thread names the row */
        free_parts(parts, P);
        pmk_gnb_free(acc);
        return PMK_OK;
    }
    for (size_t p = 0; p < P; p++)
        *rows += parts[p].rows;
    if (!rc && spills && (*spills = calloc(P, sizeof **spills)))
        for (size_t p = 0; p < P; p++)   /* a range without rows has nothing to read back */
            if (parts[p].rows > 0) {
                (*spills)[p] = parts[p].sp;
                parts[p].sp = NULL;
            }
    if (spills && *spills)
        *nsp = P;
    free_parts(parts, P);
    if (rc) {
        pmk_gnb_free(acc);
        *rows = 0;
        return rc;
    }
    *out = acc;
    return PMK_OK;
}

int pmk_gnb_par_eval(const pmk_gnb *m, const char *path, const pmk_data_reader *r0,
                     const pmk_data_options *dopt, pmk_gnb_eval **out, pmk_error *err)
{
    size_t P;
    int rc;
    part *parts = run_parts((job){path, r0, dopt, NULL, m, -1, 0, 0}, &P, &rc, err);
    if (!parts)   /* *out stays the caller's NULL */
        return rc;
    /* counts add exactly; the two sums in range order */
    pmk_gnb_eval *e = parts[0].e;
    if (e->n == 0 && P > 0) {
        for (size_t p = 1; p < P; p++)
            e->n += parts[p].e->n;
        if (e->n == 0) {   /* no rows: the one-thread path says so */
            free_parts(parts, P);
            return PMK_OK;
        }
        e->n = 0;
    }
    for (size_t p = 1; p < P; p++)   /* the ranges' counts and sums, in range order */
        pmk_gnb_eval_merge(e, parts[p].e, NULL);
    pmk_gnb_eval_rates(e);
    parts[0].e = NULL;
    free_parts(parts, P);
    *out = e;
    return PMK_OK;
}

int pmk_gnb_par_predict(const pmk_gnb *m, const char *path, const pmk_data_reader *r0,
                        const pmk_data_options *dopt, int columns, FILE *out, int *done,
                        pmk_error *err)
{
    size_t P;
    int rc;
    part *parts = run_parts((job){path, r0, dopt, NULL, m, columns, 0, 0}, &P, &rc, err);
    *done = 0;
    if (!parts)
        return rc;
    /* the ranges' lines in file order, each range's header line but the
     * first left out */
    char buf[1 << 16];
    for (size_t p = 0; p < P && !rc; p++) {
        FILE *f = parts[p].f;
        if (fseek(f, 0, SEEK_SET)) {
            rc = pmk_error_set(err, PMK_EIO, "reading a temporary file failed");
            break;
        }
        int c;
        if (p > 0)
            while ((c = getc(f)) != EOF && c != '\n')
                ;
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, f)) > 0)
            if (fwrite(buf, 1, n, out) != n)
                break;   /* the caller checks out */
        if (ferror(f))
            rc = pmk_error_set(err, PMK_EIO, "reading a temporary file failed");
    }
    free_parts(parts, P);
    *done = !rc;
    return rc;
}

/* The training pass over range p's spill, on range p's thread. */
typedef struct spills_run {
    pmk_gnb_spill **spills;
    const pmk_gnb *m;
    part *parts;
} spills_run;

static void spill_range(void *ctx, size_t p)
{
    spills_run *r = ctx;
    if (r->spills[p])
        r->parts[p].rc = pmk_gnb_spill_eval(r->spills[p], r->m, &r->parts[p].e,
                                            &r->parts[p].err);
    /* the spill's file is closed here, on its range's thread: dropping a
     * file of tens of MB of page cache takes the kernel milliseconds */
    pmk_gnb_spill_drop(r->spills[p]);
}

int pmk_gnb_par_spill_eval(pmk_gnb_spill **spills, size_t P, const pmk_gnb *m,
                           pmk_gnb_eval **out, pmk_error *err)
{
    *out = NULL;
    part *parts = calloc(P ? P : 1, sizeof *parts);
    if (!parts)
        return -1;   /* the caller re-reads the file */
    spills_run sr = {spills, m, parts};
    core_threads_run(P, spill_range, &sr);
    int rc = PMK_OK;
    pmk_gnb_eval *e = NULL;
    for (size_t p = 0; p < P && !rc; p++) {   /* the first failed range's error */
        if ((rc = parts[p].rc) && rc != -1 && err)
            *err = parts[p].err;
        else if (!rc && parts[p].e && !e)
            e = parts[p].e, parts[p].e = NULL;
        else if (!rc && parts[p].e)   /* the ranges' counts and sums, in range order */
            pmk_gnb_eval_merge(e, parts[p].e, NULL);
    }
    free_parts(parts, P);
    if (!rc && !e)
        rc = -1;
    if (rc)
        pmk_gnb_eval_free(e);
    else
        *out = e;
    return rc;
}

void pmk_gnb_par_spills_free(pmk_gnb_spill **spills, size_t P)
{
    for (size_t p = 0; spills && p < P; p++)
        pmk_gnb_spill_free(spills[p]);
    free(spills);
}
