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
 * 1e-15 relative).  Memory: P readers' chunks and P models, O(P K D). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pmk/threads.h"
#include "io/dataset_internal.h"
#include "models/gnb_internal.h"

/* The cuts of @p path into at most @p T ranges: cut[0] = 0 < ... <
 * cut[P] = the file's bytes (CSV) or rows (IDX).  Returns P; 1 when the
 * file is not to be split (stdin, gzip, not a regular file, a range already
 * asked for, an error opening it: the one-thread path reports it). */
static size_t plan(const char *path, const pmk_data_options *o, size_t T,
                   unsigned long long *cut)
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
    pmk_data_options q = *o;
    q.progress = NULL;
    pmk_data_reader *r = pmk_data_open(path, &q, NULL);
    if (!r)
        return 1;
    unsigned long long total = pmk_data_format(r) == PMK_DATA_IDX
                                   ? (unsigned long long)pmk_data_range_rows(r)
                                   : (unsigned long long)st.st_size;
    pmk_data_close(r);
    size_t P = total < T ? (size_t)total : T;
    if (P < 2)
        return 1;
    for (size_t p = 0; p <= P; p++)
        cut[p] = (unsigned long long)((unsigned __int128)total * p / P);
    return P;
}

typedef struct part {
    pmk_gnb *m;
    double rows;
    int rc;
    pmk_error err;
} part;

/* One range's fit, on one thread. */
static void fit_part(const char *path, const pmk_data_options *o, const pmk_gnb_options *g,
                     part *p)
{
    pmk_data_reader *r = pmk_data_open(path, o, &p->err);
    if (!r) {
        p->rc = p->err.code;
        return;
    }
    if (!(p->m = pmk_gnb_alloc(pmk_data_nfeatures(r), g, &p->err))) {
        p->rc = p->err.code;
        pmk_data_close(r);
        return;
    }
    for (;;) {
        pmk_data_chunk ch;
        if ((p->rc = pmk_data_read_chunk(r, &ch, &p->err)) || ch.n == 0)
            break;
        if ((p->rc = pmk_gnb_partial_fit(p->m, &ch.X.matrix, ch.y, &p->err))) {
            pmk_gnb_at_chunk(r, &ch, &p->err);
            break;
        }
        p->rows += (double)ch.n;
    }
    pmk_data_close(r);
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

int pmk_gnb_par_fit(const char *path, const pmk_data_options *dopt, const pmk_gnb_options *gopt,
                    pmk_gnb **out, double *rows, pmk_error *err)
{
    *out = NULL;
    *rows = 0;
    size_t T = (size_t)pmk_threads_resolve(dopt->threads);
    unsigned long long *cut = malloc((T + 1) * sizeof *cut);
    if (!cut)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    size_t P = plan(path, dopt, T, cut);
    part *parts = P > 1 ? calloc(P, sizeof *parts) : NULL;
    if (P < 2 || !parts) {
        free(cut);
        return P < 2 ? PMK_OK : pmk_error_set(err, PMK_ENOMEM, "out of memory");
    }
    int nthr = (int)P;
    (void)nthr;   /* without OpenMP the ranges are read one after the other */
#pragma omp parallel for schedule(static, 1) num_threads(nthr)
    for (size_t p = 0; p < P; p++) {
        pmk_data_options o = *dopt;
        o.begin = cut[p];
        o.end = p + 1 < P ? cut[p + 1] : PMK_DATA_END;
        o.progress = NULL;   /* the callback is the caller's, on its thread */
        fit_part(path, &o, gopt, &parts[p]);
    }
    int rc = PMK_OK;
    /* the first range in file order that failed has the first bad row */
    for (size_t p = 0; p < P && !rc; p++)
        if ((rc = parts[p].rc) && err)
            *err = parts[p].err;
    pmk_gnb *acc = rc ? NULL : parts[0].m;
    if (acc)
        parts[0].m = NULL;
    for (size_t p = 1; p < P && !rc; p++) {
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
    for (size_t p = 0; p < P; p++) {
        *rows += parts[p].rows;
        pmk_gnb_free(parts[p].m);
    }
    free(parts);
    free(cut);
    if (rc) {
        pmk_gnb_free(acc);
        *rows = 0;
        return rc;
    }
    *out = acc;
    return PMK_OK;
}
