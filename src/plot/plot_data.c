/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* plot_data.c: pmk's results as figures: RBM training curves (from a --log
 * CSV or from memory), Ising energy traces (from results or --trace CSVs),
 * the gnb confusion matrix and its worst-classified rows.  The CSVs are read
 * by a small reader of their own: a header naming the columns, then rows of
 * numbers, with FILE:LINE in every message. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/dataset.h"
#include "pmk/gnb.h"
#include "pmk/ising.h"
#include "pmk/image.h"
#include "pmk/stream.h"
#include "plot/plot_internal.h"

/* A class name's room: a token (64 bytes, doc/design.md) and its NUL; a
 * caption's: two names and two posteriors. */
#define PMK_TOKEN_BYTES 72
#define CAPTION_BYTES (2 * PMK_TOKEN_BYTES + 64)
#include "core/core_internal.h"

/* ---------------------------------------------------------------- CSV */

typedef struct plot_csv {
    char *text;      /* the file, NUL-terminated; names point into it */
    char **names;    /* ncols column names */
    size_t ncols, nrows;
    double *v;       /* nrows x ncols */
} plot_csv;

static void csv_free(plot_csv *c)
{
    CORE_FREE(c->text, c->names, c->v);
    memset(c, 0, sizeof *c);
}

static int slurp(const char *path, char **out, pmk_error *err)
{
    pmk_instream *in = pmk_instream_open(path, err);
    size_t len = 0, cap = 4096;
    char *buf = in ? malloc(cap) : NULL;
    long got = 0;
    while (buf && (got = pmk_instream_read(in, buf + len, cap - 1 - len, err)) > 0) {
        len += (size_t)got;
        char *nb = len + 1 >= cap ? realloc(buf, cap *= 2) : buf;
        if (!nb)
            free(buf);
        buf = nb;
    }
    pmk_instream_close(in);
    if (!buf || got < 0) {
        free(buf);
        return !in || got < 0 ? (err ? err->code : PMK_EIO)
                              : pmk_error_set(err, PMK_ENOMEM, "%s: out of memory", path);
    }
    buf[len] = '\0';
    *out = buf;
    return PMK_OK;
}

/* Splits s at commas in place into at most max fields; the count. */
static size_t split(char *s, char **f, size_t max)
{
    size_t n = 0;
    for (char *p = s;; p++) {
        if (n < max)
            f[n] = p;
        n++;
        p = strchr(p, ',');
        if (!p)
            break;
        *p = '\0';
    }
    return n;
}

static int csv_load(const char *path, plot_csv *c, pmk_error *err)
{
    memset(c, 0, sizeof *c);
    int rc = slurp(path, &c->text, err);
    if (rc)
        return rc;
    char *line = c->text, *next;
    size_t cap = 0;
    for (long ln = 1; line && *line; line = next, ln++) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        size_t len = strlen(line);
        if (len && line[len - 1] == '\r')
            line[--len] = '\0';
        if (ln == 1) {
            c->ncols = 1;
            for (const char *q = line; (q = strchr(q, ',')); q++)
                c->ncols++;
            if (!(c->names = malloc(c->ncols * sizeof *c->names)))
                goto nomem;
            split(line, c->names, c->ncols);
            continue;
        }
        if (!len)
            continue;
        if (c->nrows == cap) {
            double *nv = realloc(c->v, (cap = cap ? 2 * cap : 64) * c->ncols * sizeof *nv);
            if (!nv)
                goto nomem;
            c->v = nv;
        }
        char *f[64];
        size_t nf = split(line, f, 64);
        if (nf != c->ncols) {
            rc = pmk_error_at(err, PMK_EFORMAT, path, ln, 0, "%zu fields, but the header has %zu",
                              nf, c->ncols);
            goto fail;
        }
        for (size_t j = 0; j < nf; j++) {
            char *end;
            double x = strtod(f[j], &end);
            if (end == f[j] || *end) {
                rc = pmk_error_at(err, PMK_EFORMAT, path, ln, (long)j + 1, "'%s' is not a number",
                                  f[j]);
                goto fail;
            }
            c->v[c->nrows * c->ncols + j] = x;
        }
        c->nrows++;
    }
    if (c->ncols == 0) {
        rc = pmk_error_set(err, PMK_EFORMAT, "%s: empty file, no header", path);
        goto fail;
    }
    return PMK_OK;
nomem:
    rc = pmk_error_set(err, PMK_ENOMEM, "%s: out of memory", path);
fail:
    csv_free(c);
    return rc;
}

/* The index of column name, or -1. */
static long csv_col(const plot_csv *c, const char *name)
{
    for (size_t j = 0; j < c->ncols; j++)
        if (!strcmp(c->names[j], name))
            return (long)j;
    return -1;
}

/* Column j of c as a new array (NULL: out of memory). */
static double *csv_column(const plot_csv *c, long j)
{
    double *v = malloc((c->nrows ? c->nrows : 1) * sizeof *v);
    for (size_t i = 0; v && i < c->nrows; i++)
        v[i] = c->v[i * c->ncols + (size_t)j];
    return v;
}

/* ---------------------------------------------------------------- RBM curves */

int pmk_plot_rbm_curves(const double *rows, size_t n, const char *png, pmk_error *err)
{
    if (n == 0)
        return pmk_error_set(err, PMK_EINVAL, "%s: no epochs to plot", png);
    double *v = malloc(4 * n * sizeof *v);
    if (!v)
        return pmk_error_set(err, PMK_ENOMEM, "plot: out of memory");
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < 4; j++)
            v[j * n + i] = rows[4 * i + j];
    static const char *const names[3] = {"reconstruction error", "pseudo-likelihood",
                                         "free-energy gap"};
    static const char *const ylabels[3] = {"squared error / digit", "nats / digit",
                                           "held-out - train"};
    pmk_plot_series s[3];
    pmk_plot_panel p[3];
    for (size_t k = 0; k < 3; k++) {
        s[k] = (pmk_plot_series){names[k], v, v + (k + 1) * n, n};
        p[k] = (pmk_plot_panel){ylabels[k], &s[k], 1};
    }
    int rc = pmk_plot_lines(png, "RBM training", "epoch", p, 3, err);
    free(v);
    return rc;
}

int pmk_plot_rbm_log(const char *csv, const char *png, pmk_error *err)
{
    static const char *const cols[4] = {"epoch", "recon_error", "pseudo_likelihood",
                                        "free_energy_gap"};
    plot_csv c;
    long j[4];
    int rc = csv_load(csv, &c, err);
    if (rc)
        return rc;
    for (size_t k = 0; k < 4; k++)
        if ((j[k] = csv_col(&c, cols[k])) < 0) {
            rc = pmk_error_at(err, PMK_EFORMAT, csv, 1, 0, "no column '%s'", cols[k]);
            goto done;
        }
    if (c.nrows == 0) {
        rc = pmk_error_set(err, PMK_EFORMAT, "%s: no epochs to plot", csv);
        goto done;
    }
    double *rows = malloc(4 * c.nrows * sizeof *rows);
    if (!rows) {
        rc = pmk_error_set(err, PMK_ENOMEM, "%s: out of memory", csv);
        goto done;
    }
    for (size_t i = 0; i < c.nrows; i++)
        for (size_t k = 0; k < 4; k++)
            rows[4 * i + k] = c.v[i * c.ncols + (size_t)j[k]];
    rc = pmk_plot_rbm_curves(rows, c.nrows, png, err);
    free(rows);
done:
    csv_free(&c);
    return rc;
}

/* ---------------------------------------------------------------- Ising traces */

/* n runs as series, a[3 i .. 3 i + 2] run i's sweep numbers, energies and
 * errors (len[i] each), drawn; then a, its arrays and len freed. */
static int traces_draw(size_t n, const char *const *names, double **a, size_t *len, int with_error,
                       const char *png, pmk_error *err)
{
    pmk_plot_series *s = malloc(2 * n * sizeof *s);
    int rc = s ? PMK_OK : pmk_error_set(err, PMK_ENOMEM, "plot: out of memory");
    for (size_t i = 0; s && i < n; i++) {
        s[i] = (pmk_plot_series){names[i], a[3 * i], a[3 * i + 1], len[i]};
        s[n + i] = (pmk_plot_series){names[i], a[3 * i], a[3 * i + 2], len[i]};
    }
    pmk_plot_panel p[2] = {{"energy E(x, y)", s, n}, {"fraction of pixels wrong", s + n, n}};
    if (s)
        rc = pmk_plot_lines(png, "Ising denoising: energy and error per sweep", "sweep", p,
                            with_error ? 2 : 1, err);
    free(s);
    for (size_t k = 0; a && k < 3 * n; k++)
        free(a[k]);
    free(a);
    free(len);
    return rc;
}

int pmk_plot_ising_traces(const pmk_ising_result *const *runs, const char *const *names, size_t n,
                          int with_error, const char *png, pmk_error *err)
{
    if (n == 0)
        return pmk_error_set(err, PMK_EINVAL, "plot: no runs");
    double **a = calloc(3 * n, sizeof *a);
    size_t *len = calloc(n, sizeof *len);
    int rc = a && len ? PMK_OK : pmk_error_set(err, PMK_ENOMEM, "plot: out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        const pmk_ising_result *r = runs[i];
        const double npix = (double)r->width * (double)r->height;
        len[i] = r->ntrace ? r->ntrace : 1;
        for (size_t k = 0; k < 3 && !rc; k++)
            if (!(a[3 * i + k] = malloc(len[i] * sizeof(double))))
                rc = pmk_error_set(err, PMK_ENOMEM, "plot: out of memory");
        for (size_t t = 0; !rc && t < len[i]; t++) {
            a[3 * i][t] = r->ntrace ? (double)r->trace[t].sweep : 1.0;
            a[3 * i + 1][t] = r->ntrace ? r->trace[t].energy : r->energy;
            a[3 * i + 2][t] = (double)(r->ntrace ? r->trace[t].errors : r->errors) / npix;
        }
    }
    if (rc) {   /* traces_draw frees a and len; here they go without it */
        for (size_t k = 0; a && k < 3 * n; k++)
            free(a[k]);
        free(a);
        free(len);
        return rc;
    }
    return traces_draw(n, names, a, len, with_error, png, err);
}

int pmk_plot_trace_files(const char *const *csv, size_t n, const char *png, pmk_error *err)
{
    if (n == 0)
        return pmk_error_set(err, PMK_EINVAL, "plot: no traces");
    plot_csv *c = calloc(n, sizeof *c);
    double **a = calloc(3 * n, sizeof *a);
    size_t *len = calloc(n, sizeof *len);
    const char **names = calloc(n, sizeof *names);
    int rc = c && a && len && names ? PMK_OK : pmk_error_set(err, PMK_ENOMEM, "plot: out of memory");
    int with_error = 1;
    for (size_t i = 0; !rc && i < n; i++) {
        if ((rc = csv_load(csv[i], &c[i], err)))
            break;
        long js = csv_col(&c[i], "sweep"), je = csv_col(&c[i], "energy");
        long jr = csv_col(&c[i], "error");
        if (js < 0 || je < 0) {
            rc = pmk_error_at(err, PMK_EFORMAT, csv[i], 1, 0, "no column '%s'",
                              js < 0 ? "sweep" : "energy");
            break;
        }
        if (c[i].nrows == 0) {
            rc = pmk_error_set(err, PMK_EFORMAT, "%s: no sweeps (a mincut trace has none)",
                               csv[i]);
            break;
        }
        with_error &= jr >= 0;
        names[i] = csv_col(&c[i], "temperature") >= 0   ? "anneal"
                   : csv_col(&c[i], "free_energy") >= 0 ? "meanfield"
                                                        : "icm";
        len[i] = c[i].nrows;
        if (!(a[3 * i] = csv_column(&c[i], js)) || !(a[3 * i + 1] = csv_column(&c[i], je))
            || !(a[3 * i + 2] = jr >= 0 ? csv_column(&c[i], jr) : calloc(len[i], sizeof(double))))
            rc = pmk_error_set(err, PMK_ENOMEM, "plot: out of memory");
    }
    if (!rc) {
        rc = traces_draw(n, names, a, len, with_error, png, err);
        a = NULL, len = NULL;
    }
    for (size_t k = 0; a && k < 3 * n; k++)
        free(a[k]);
    for (size_t i = 0; c && i < n; i++)
        csv_free(&c[i]);
    CORE_FREE(c, a, len, names);
    return rc;
}

/* ---------------------------------------------------------------- gnb */

/* Class @p k's label as text: a token model's token, else the integer in @p buf. */
static const char *class_name(const pmk_gnb *m, size_t k, char buf[24])
{
    const char *t = pmk_gnb_token(m, k);
    if (!t)
        snprintf(buf, 24, "%ld", pmk_gnb_labels(m)[k]);
    return t ? t : buf;
}

/* The class of row @p i of @p ch, as pmk gnb eval reads it: a token chunk's
 * label through its table, an integer on a token model as its decimal
 * token; -1 when the model has none. */
static long true_class(const pmk_gnb *m, const pmk_data_chunk *ch, size_t i)
{
    char buf[24], *end;
    const char *s = ch->tok ? ch->tok[ch->y[i]] : NULL;
    if (!pmk_gnb_token(m, 0)) {   /* an integer model: a token spells an integer or is none */
        errno = 0;
        long v = s ? strtol(s, &end, 10) : ch->y[i];
        return s && (*end || errno) ? -1 : pmk_gnb_class_index(m, v);
    }
    if (!s)
        snprintf(buf, sizeof buf, "%ld", ch->y[i]), s = buf;
    for (size_t k = 0; k < pmk_gnb_nclasses(m); k++)
        if (!strcmp(pmk_gnb_token(m, k), s))
            return (long)k;
    return -1;
}

int pmk_plot_confusion(const pmk_gnb_eval *e, const pmk_gnb *m, const char *png, pmk_error *err)
{
    if (!e->confusion)
        return pmk_error_set(err, PMK_EINVAL, "plot: no confusion matrix (%zu classes)", e->k);
    const size_t K = e->k;
    double *v = malloc(K * K * sizeof *v);
    char **names = malloc(K * (sizeof *names + PMK_TOKEN_BYTES));
    if (!v || !names) {
        free(v);
        free(names);
        return pmk_error_set(err, PMK_ENOMEM, "plot: out of memory");
    }
    for (size_t k = 0; k < K; k++) {
        char buf[24];
        names[k] = (char *)(names + K) + PMK_TOKEN_BYTES * k;
        snprintf(names[k], PMK_TOKEN_BYTES, "%s", class_name(m, k, buf));
    }
    for (size_t i = 0; i < K * K; i++)
        v[i] = (double)e->confusion[i];
    char title[96];
    snprintf(title, sizeof title, "confusion matrix: %zu rows, accuracy %.4f", e->n, e->accuracy);
    int rc = pmk_plot_heatmap(png, title, "predicted class", "true class", v, K, K,
                              (const char *const *)names, (const char *const *)names, err);
    free(v);
    free(names);
    return rc;
}

/* A posterior for a caption: ".97", "1.00", or "3e-09" below 0.01. */
static void fmt_p(char *buf, size_t n, double p)
{
    char t[16];
    if (p >= 0.995) {
        snprintf(buf, n, "1.00");
        return;
    }
    if (p >= 0.01) {
        snprintf(t, sizeof t, "%.2f", p);
        snprintf(buf, n, "%s", t + 1);   /* without the leading 0 */
        return;
    }
    snprintf(buf, n, "%.0e", p);
}

int pmk_plot_gnb_worst(const pmk_gnb *m, const char *model_name, const char *data,
                       const pmk_data_options *o, size_t count, size_t zoom, const char *png,
                       pmk_error *err)
{
    const size_t K = pmk_gnb_nclasses(m), D = pmk_gnb_nfeatures(m);
    size_t side = (size_t)floor(sqrt((double)D) + 0.5), kept = 0;
    if (side * side != D)
        return pmk_error_set(err, PMK_EINVAL, "%zu features is not a square image", D);
    if (count == 0 || count > 1000)
        return pmk_error_set(err, PMK_EINVAL, "plot: %zu rows to show is not in 1..1000", count);
    pmk_data_reader *r = NULL;
    pmk_data_chunk ch;
    gsl_matrix *tiles = gsl_matrix_alloc(count, D), *L = NULL;
    /* per kept row: log p(true), true index, predicted index, p(predicted) */
    double *lp = malloc(count * 2 * sizeof *lp);
    size_t *cls = malloc(count * 2 * sizeof *cls);
    int rc = tiles && lp && cls ? pmk_gnb_open_data(m, model_name, data, o, &r, err)
                                : pmk_error_set(err, PMK_ENOMEM, "plot: out of memory");
    while (!rc && !(rc = pmk_data_read_chunk(r, &ch, err)) && ch.n) {
        if (!ch.y) {
            rc = pmk_error_set(err, PMK_EDATA, "%s: rows without labels cannot be judged", data);
            break;
        }
        if (!L || L->size1 < ch.n) {
            if (L)
                gsl_matrix_free(L);
            if (!(L = gsl_matrix_alloc(ch.n, K))) {
                rc = pmk_error_set(err, PMK_ENOMEM, "plot: out of memory");
                break;
            }
        }
        gsl_matrix_view Lv = gsl_matrix_submatrix(L, 0, 0, ch.n, K);
        if ((rc = pmk_gnb_predict_log_proba(m, &ch.X.matrix, &Lv.matrix, err)))
            break;
        for (size_t i = 0; i < ch.n; i++) {
            long t = true_class(m, &ch, i);
            if (t < 0)
                continue;   /* a label the model never saw: eval refuses it */
            gsl_vector_view row = gsl_matrix_row(&Lv.matrix, i);
            size_t pred = gsl_vector_max_index(&row.vector);
            double lt = gsl_vector_get(&row.vector, (size_t)t);
            /* insertion into the kept rows, worst (smallest log p(true)) first */
            size_t at = kept;
            while (at > 0 && lp[2 * (at - 1)] > lt)
                at--;
            if (at >= count)
                continue;
            size_t last = kept < count ? kept : count - 1;
            for (size_t q = last; q > at; q--) {
                lp[2 * q] = lp[2 * q - 2], lp[2 * q + 1] = lp[2 * q - 1];
                cls[2 * q] = cls[2 * q - 2], cls[2 * q + 1] = cls[2 * q - 1];
                gsl_vector_view dst = gsl_matrix_row(tiles, q);
                gsl_vector_const_view src = gsl_matrix_const_row(tiles, q - 1);
                gsl_vector_memcpy(&dst.vector, &src.vector);
            }
            lp[2 * at] = lt, lp[2 * at + 1] = gsl_vector_get(&row.vector, pred);
            cls[2 * at] = (size_t)t, cls[2 * at + 1] = pred;
            gsl_vector_const_view x = gsl_matrix_const_row(&ch.X.matrix, i);
            gsl_vector_view dst = gsl_matrix_row(tiles, at);
            gsl_vector_memcpy(&dst.vector, &x.vector);
            kept += kept < count;
        }
    }
    if (!rc && kept == 0)
        rc = pmk_error_set(err, PMK_EDATA, "%s: no labelled rows to judge", data);
    char **cap = rc ? NULL : malloc(kept * (sizeof *cap + CAPTION_BYTES));
    if (!rc && !cap)
        rc = pmk_error_set(err, PMK_ENOMEM, "plot: out of memory");
    if (!rc) {
        for (size_t q = 0; q < kept; q++) {
            char a[16], b[16], ta[24], tb[24];
            fmt_p(a, sizeof a, exp(lp[2 * q]));
            fmt_p(b, sizeof b, exp(lp[2 * q + 1]));
            cap[q] = (char *)(cap + kept) + CAPTION_BYTES * q;
            snprintf(cap[q], CAPTION_BYTES, "true %s, p %s\npredicted %s, p %s",
                     class_name(m, cls[2 * q], ta), a, class_name(m, cls[2 * q + 1], tb), b);
        }
        pmk_plot_montage_options po;
        pmk_plot_montage_options_init_default(&po);
        po.zoom = zoom;
        po.title = "worst-classified rows: true and predicted class, with their posteriors";
        po.captions = (const char *const *)cap;
        gsl_matrix_view tv = gsl_matrix_submatrix(tiles, 0, 0, kept, D);
        rc = pmk_plot_montage(&tv.matrix, side, side, &po, png, err);
    }
    free(cap);
    pmk_data_close(r);
    if (tiles)
        gsl_matrix_free(tiles);
    if (L)
        gsl_matrix_free(L);
    free(lp);
    free(cls);
    return rc;
}
