/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_data.c: the Gaussian classifier over the data-set layer: the streaming
 * fit of a CSV or IDX file (iterate-style; gnb_feed.c gathers its reads into
 * the fit's chunks, gnb_spill.c keeps the byte spill that gives the training
 * accuracy a cheap second pass), evaluation and prediction of every row of a
 * reader, and the picture of the model.  Messages name the file and
 * the row's line or record. */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pmk/image.h"
#include "pmk/limits.h"
#include "io/dataset_internal.h"
#include "models/gnb_internal.h"
#include "io/record_internal.h"
#include "core/core_internal.h"

/* A model error about row err->line (1-based in @p ch) moved to its place in
 * the file: "FILE:LINE: cause" for CSV, "FILE: record R: cause" for IDX,
 * " (feature C)" added when the error names a column. */
int pmk_gnb_at_chunk(const pmk_data_reader *r, const pmk_data_chunk *ch, pmk_error *err)
{
    if (!err)
        return PMK_EDATA;
    char msg[PMK_ERROR_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", err->msg);
    long pos = err->line > 0 ? ch->first_pos + err->line - 1 : 0, col = err->column;
    const char *path = pmk_data_path(r);
    char feat[48] = "";
    if (pos && col > 0)
        snprintf(feat, sizeof feat, " (feature %ld)", col);
    if (!pos)
        pmk_error_set(err, err->code, "%s: %s", path, msg);
    else if (pmk_data_format(r) == PMK_DATA_IDX)
        pmk_error_set(err, err->code, "%s: record %ld: %s%s", path, pos, msg, feat);
    else
        pmk_error_set(err, err->code, "%s:%ld: %s%s", path, pos, msg, feat);
    err->line = pos;
    err->column = col;
    return err->code;
}

/* ---------------------------------------------------------------- fitter */

/* The weights file: one number per line, line i for data row i. */
typedef struct weights {
    pmk_instream *in;
    pmk_rec_reader rec;
    double *w;                /* chunk_rows */
} weights;

struct pmk_gnb_fitter {
    char *path, *labels;      /* copies, for a second reading of the file */
    pmk_data_options dopt;
    pmk_data_reader *r;
    pmk_gnb *m;
    pmk_gnb_spill *sp;        /* the rows spilled as bytes (gnb_spill.c), or NULL */
    pmk_gnb_spill **psp;      /* the ranges' spills of a fit over ranges (gnb_par.c) */
    size_t np;
    size_t fit_rows;          /* rows a chunk of the fit (the reader's chunk without feed) */
    pmk_gnb_feed *feed;       /* unweighted integer labels: small reads gathered (gnb_feed.c) */
    int spilling, done, par_tried;
    double rows;
    weights *wt;              /* NULL: every row weighs 1 */
};

static void weights_close(weights *w)
{
    if (!w)
        return;
    pmk_rec_close(&w->rec);
    pmk_instream_close(w->in);
    free(w->w);
    free(w);
}

int pmk_gnb_fitter_set_weights(pmk_gnb_fitter *f, const char *path, pmk_error *err)
{
    if (f->rows > 0 || f->done || f->wt)
        return pmk_error_set(err, PMK_EINVAL, "weights are set once, before the first chunk");
    if (f->dopt.weight_col != -1)
        return pmk_error_set(err, PMK_EINVAL, "a weights file and a weight column exclude each other");
    if (f->feed) {   /* weighted rows go to the fit in the reader's chunks: reopen with those */
        pmk_data_options o = f->dopt;
        o.chunk_rows = f->fit_rows;
        pmk_data_reader *r = pmk_data_open(f->path, &o, err);
        if (!r)
            return err ? err->code : PMK_EIO;
        pmk_data_close(f->r);
        f->r = r;
        f->dopt = o;
        pmk_gnb_feed_free(f->feed);
        f->feed = NULL;
    }
    weights *w = calloc(1, sizeof *w);
    if (!w || !(w->w = malloc(f->dopt.chunk_rows * sizeof *w->w))) {
        weights_close(w);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    }
    int rc = (w->in = pmk_instream_open(path, err)) ? PMK_OK : err ? err->code : PMK_EIO;
    if (!rc)   /* its own error slot: the messages are copied out at each use */
        rc = pmk_rec_open(&w->rec, w->in, 4096, "weights", 0, NULL);
    if (rc) {
        weights_close(w);
        return rc;
    }
    /* the C locale only while a chunk's weights are read, not between calls */
    pmk_c_locale_leave(&w->rec.loc);
    w->rec.in_locale = 0;
    f->wt = w;
    return PMK_OK;
}

/* The weights of the @p n rows of chunk @p ch: "W:LINE:COL: cause" for a bad
 * one, "W: no weight for DATA row POS" when the file ends first. */
static int weights_chunk(pmk_gnb_fitter *f, const pmk_data_chunk *ch, pmk_error *err)
{
    weights *w = f->wt;
    static const pmk_rec_rule any = {"a weight", -INFINITY, INFINITY, 0};
    for (size_t i = 0; i < ch->n; i++) {
        int got = pmk_rec_next(&w->rec);
        const char *word = got > 0 ? pmk_rec_word(&w->rec) : NULL;
        int rc = got < 0 ? w->rec.err->code : PMK_OK;
        if (!rc && !word)
            rc = got == 0 ? pmk_error_set(w->rec.err, PMK_EDATA, "%s: no weight for %s %s %ld",
                                          w->rec.path, pmk_data_path(f->r),
                                          pmk_data_format(f->r) == PMK_DATA_IDX ? "record" : "line",
                                          ch->first_pos + (long)i)
                          : pmk_rec_fail(&w->rec, PMK_EDATA, 0, "no weight on the line");
        if (!rc)
            rc = pmk_rec_number(&w->rec, word, &any, NULL, &w->w[i]);
        if (!rc && w->w[i] < 0)
            rc = pmk_rec_fail(&w->rec, PMK_EDATA, w->rec.col,
                              "weight %s is negative (0 drops a row)", word);
        if (!rc && pmk_rec_word(&w->rec))
            rc = pmk_rec_fail(&w->rec, PMK_EDATA, w->rec.col, "one weight per line");
        if (rc) {
            pmk_error_at(err, rc == PMK_EFORMAT ? PMK_EDATA : rc, NULL, w->rec.err->line,
                         w->rec.err->column, "%s", w->rec.err->msg);
            return err ? err->code : rc;
        }
    }
    return PMK_OK;
}

/* At the end of the data: the weights file must end too. */
static int weights_end(pmk_gnb_fitter *f, pmk_error *err)
{
    weights *w = f->wt;
    int got = pmk_rec_next(&w->rec);
    if (got == 0)
        return PMK_OK;
    if (got > 0)
        pmk_rec_fail(&w->rec, PMK_EDATA, 0, "more weights than the %.0f rows of %s", f->rows,
                     pmk_data_path(f->r));
    return pmk_error_set(err, w->rec.err->code, "%s", w->rec.err->msg);
}

/* The weights of chunk @p ch (@p ch->n 0: the end) in the C locale. */
static int weights_read(pmk_gnb_fitter *f, const pmk_data_chunk *ch, pmk_error *err)
{
    pmk_c_locale loc;
    if (pmk_c_locale_enter(&loc))
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    int rc = ch->n ? weights_chunk(f, ch, err) : weights_end(f, err);
    pmk_c_locale_leave(&loc);
    return rc;
}

pmk_gnb_fitter *pmk_gnb_fitter_open(const char *path, const pmk_data_options *dopt,
                                    const pmk_gnb_options *gopt, int train_pass, pmk_error *err)
{
    pmk_gnb_fitter *f = calloc(1, sizeof *f);
    if (!f)
        goto nomem;
    if (dopt)
        f->dopt = *dopt;
    else
        pmk_data_options_init_default(&f->dopt);
    /* the Chan merges of 4096-row chunks, as before; without weights, for a
     * model that can fit bytes, read in small chunks that gnb_feed.c gathers
     * into those (token labels, when met, make the fit start again without
     * it: unfeed) */
    f->fit_rows = f->dopt.chunk_rows ? f->dopt.chunk_rows : 4096;
    struct stat st;   /* starting again needs a file that can be read twice */
    const int feed = f->dopt.weight_col == -1 && pmk_gnb_options_bytes_ok(gopt)
                     && (!f->dopt.label_tokens
                         || (strcmp(path, "-") && !stat(path, &st) && S_ISREG(st.st_mode)));
    f->dopt.chunk_rows = feed ? pmk_gnb_feed_read_rows(f->fit_rows) : f->fit_rows;
    if (!(f->path = strdup(path)) || (f->dopt.labels && !(f->labels = strdup(f->dopt.labels))))
        goto nomem;
    f->dopt.labels = f->labels;
    if (!(f->r = pmk_data_open(path, &f->dopt, err)))
        goto fail;
    if (!pmk_data_has_labels(f->r)) {
        pmk_error_set(err, PMK_EINVAL, "%s: a fit needs labels (no label column or labels file)",
                      pmk_data_path(f->r));
        goto fail;
    }
    if (!(f->m = pmk_gnb_alloc(pmk_data_nfeatures(f->r), gopt, err)))
        goto fail;
    if (train_pass) {
        size_t D = pmk_data_nfeatures(f->r);
        f->sp = pmk_gnb_spill_open(pmk_data_chunk_cap(D, f->fit_rows), D);
        f->spilling = 1;
    }
    if (feed && !(f->feed = pmk_gnb_feed_open(f->m, f->fit_rows, f->sp, err)))
        goto fail;
    return f;
nomem:
    pmk_error_set(err, PMK_ENOMEM, "out of memory");
fail:
    pmk_gnb_fitter_free(f);
    return NULL;
}

/* Token labels met by the feeder: the fit starts again without it, on a
 * reader of the fit's chunks and a new model (the spill restarted too). */
static int unfeed(pmk_gnb_fitter *f, pmk_error *err)
{
    pmk_data_options o = f->dopt;
    o.chunk_rows = f->fit_rows;
    pmk_data_reader *r = pmk_data_open(f->path, &o, err);
    pmk_gnb *m = r ? pmk_gnb_alloc(pmk_data_nfeatures(r), &f->m->opt, err) : NULL;
    if (!m) {
        pmk_data_close(r);
        return err ? err->code : PMK_ENOMEM;
    }
    pmk_gnb_feed_free(f->feed);
    f->feed = NULL;
    pmk_data_close(f->r);
    f->r = r;
    f->dopt = o;
    pmk_gnb_free(f->m);
    f->m = m;
    f->rows = 0;
    f->par_tried = 0;
    if (f->spilling) {
        size_t D = pmk_data_nfeatures(r);
        pmk_gnb_spill_free(f->sp);
        f->sp = pmk_gnb_spill_open(pmk_data_chunk_cap(D, f->fit_rows), D);
    }
    return PMK_OK;
}

int pmk_gnb_fitter_iterate(pmk_gnb_fitter *f, int *done, pmk_error *err)
{
    *done = f->done;
    if (f->done)
        return PMK_OK;
    pmk_data_chunk ch = {.n = 0};
    int rc = PMK_OK;
    pmk_gnb *pm = NULL;
    const int weighted = f->wt || f->dopt.weight_col != -1;
    if (!f->par_tried && !weighted) {   /* threads over ranges (gnb_par.c) when they can:
                                         * not with weights, so that a weight column
                                         * gives the very bytes of a weights file */
        f->par_tried = 1;
        if ((rc = pmk_gnb_par_fit(f->path, f->r, &f->dopt, &f->m->opt, f->feed ? f->fit_rows : 0,
                                  &pm, &f->rows, f->spilling ? &f->psp : NULL, &f->np, err)))
            return rc == PMK_GNB_FEED_TOKENS ? unfeed(f, err) : rc;
        if (pm) {
            pmk_gnb_feed_free(f->feed);   /* it fits the model replaced */
            f->feed = NULL;
            pmk_gnb_free(f->m);
            f->m = pm;
            pmk_gnb_spill_drop(f->sp);   /* the training pass reads the ranges' spills */
        }
    }
    if (!pm && f->feed) {   /* the reads gathered into the fit's chunks */
        if ((rc = pmk_gnb_feed_read(f->feed, f->r, &ch, err)))
            return rc == PMK_GNB_FEED_TOKENS ? unfeed(f, err) : rc;
        f->rows += (double)ch.n;
    } else if (!pm && (rc = pmk_data_read_chunk(f->r, &ch, err)))
        return rc;
    if (ch.n == 0) {
        if (f->wt && (rc = weights_read(f, &ch, err)))
            return rc;
        if (f->feed && (rc = pmk_gnb_feed_flush(f->feed, f->r, err)))
            return rc;
        if ((rc = pmk_gnb_finish(f->m, err))) {
            if (rc == PMK_EDATA && f->rows == 0)
                return pmk_error_set(err, rc, "%s: no data rows to fit on", pmk_data_path(f->r));
            pmk_error_prefix(err, pmk_data_path(f->r));
            return rc;
        }
        f->done = *done = 1;
        return PMK_OK;
    }
    if (f->wt && (rc = weights_read(f, &ch, err)))
        return rc;
    const double *w = f->wt ? f->wt->w : ch.w;   /* a file's, the column's, or none */
    if (f->feed)
        return PMK_OK;
    if ((rc = pmk_gnb_partial_fit_tokens(f->m, &ch.X.matrix, ch.y, w, ch.tok, ch.ntok, err)))
        return pmk_gnb_at_chunk(f->r, &ch, err);
    pmk_gnb_spill_add(f->sp, &ch, w);   /* dropped at token labels: the training pass reads
                                         * the file */
    f->rows += (double)ch.n;
    return PMK_OK;
}

double pmk_gnb_fitter_rows(const pmk_gnb_fitter *f) { return f->rows; }
const pmk_gnb *pmk_gnb_fitter_model(const pmk_gnb_fitter *f) { return f->m; }

int pmk_gnb_fitter_train_eval(pmk_gnb_fitter *f, pmk_gnb_eval **out, pmk_error *err)
{
    *out = NULL;
    if (!f->done || !f->m)
        return pmk_error_set(err, PMK_EINVAL, "the fit is not done");
    int rc = f->psp ? pmk_gnb_par_spill_eval(f->psp, f->np, f->m, out, err)
                    : pmk_gnb_spill_eval(f->sp, f->m, out, err);
    pmk_gnb_spill_drop(f->sp);
    pmk_gnb_par_spills_free(f->psp, f->np);
    f->psp = NULL;
    if (rc != -1)
        return rc;
    if (!strcmp(f->path, "-") || f->wt || f->dopt.weight_col != -1)
        return PMK_OK;   /* stdin cannot be read twice; weighted rows are counted by the spill */
    if ((rc = pmk_gnb_par_eval(f->m, f->path, NULL, &f->dopt, out, err)) || *out)
        return rc;   /* over ranges, when the fit was */
    pmk_data_reader *r = pmk_data_open(f->path, &f->dopt, err);
    if (!r)
        return err ? err->code : PMK_EIO;
    rc = pmk_gnb_eval_reader(f->m, r, out, err);
    pmk_data_close(r);
    return rc;
}

int pmk_gnb_fitter_run(pmk_gnb_fitter *f, pmk_gnb **out, pmk_gnb_eval **train, pmk_error *err)
{
    *out = NULL;
    if (train)
        *train = NULL;
    int done = 0, rc;
    /* the loop a progress report would watch: one chunk a turn */
    while (!(rc = pmk_gnb_fitter_iterate(f, &done, err)) && !done)
        ;
    if (!rc && train)
        rc = pmk_gnb_fitter_train_eval(f, train, err);
    if (!rc)
        *out = pmk_gnb_fitter_take(f);
    return rc;
}

pmk_gnb *pmk_gnb_fitter_take(pmk_gnb_fitter *f)
{
    pmk_gnb *m = f->done ? f->m : NULL;
    if (m)
        f->m = NULL;
    return m;
}

void pmk_gnb_fitter_free(pmk_gnb_fitter *f)
{
    if (!f)
        return;
    pmk_gnb_spill_free(f->sp);
    pmk_gnb_par_spills_free(f->psp, f->np);
    pmk_gnb_feed_free(f->feed);
    weights_close(f->wt);
    pmk_data_close(f->r);
    pmk_gnb_free(f->m);
    CORE_FREE(f->path, f->labels, f);
}

/* ---------------------------------------------------------------- merge */

int pmk_gnb_merge_files(const char *const *paths, size_t n, pmk_gnb **out, pmk_error *err)
{
    *out = NULL;
    if (n == 0)
        return pmk_error_set(err, PMK_EINVAL, "no models to merge");
    pmk_gnb *acc = NULL;
    int rc = pmk_gnb_load(paths[0], &acc, err);
    for (size_t i = 1; i < n && !rc; i++) {
        pmk_gnb *b = NULL, *mm = NULL;
        if (!(rc = pmk_gnb_load(paths[i], &b, err)) && !(mm = pmk_gnb_merge(acc, b, err))) {
            rc = err ? err->code : PMK_EINVAL;
            pmk_error_prefix(err, paths[i]);
        }
        pmk_gnb_free(b);
        if (mm) {
            pmk_gnb_free(acc);
            acc = mm;
        }
    }
    if (rc)
        pmk_gnb_free(acc);
    else
        *out = acc;
    return rc;
}

/* ---------------------------------------------------------------- readers */

int pmk_gnb_open_data(const pmk_gnb *m, const char *model_name, const char *path,
                      const pmk_data_options *o, pmk_data_reader **out, pmk_error *err)
{
    pmk_data_reader *r = pmk_data_open(path, o, err);
    *out = NULL;
    if (!r)
        return err ? err->code : PMK_EIO;
    size_t d = pmk_data_nfeatures(r), want = m->d;
    if (d != want) {
        int lab = pmk_data_has_labels(r);
        pmk_error_set(err, PMK_EDATA, "%s: %zu features per row, but the model %s has %zu%s",
                      pmk_data_path(r), d, model_name, want,
                      !lab && d == want + 1 ? " (is there a label column?)"
                      : lab && d + 1 == want ? " (no label column? use --no-labels)" : "");
        pmk_data_close(r);
        return PMK_EDATA;
    }
    *out = r;
    return PMK_OK;
}

int pmk_gnb_eval_reader(const pmk_gnb *m, pmk_data_reader *r, pmk_gnb_eval **out,
                        pmk_error *err)
{
    *out = NULL;
    if (!pmk_data_has_labels(r))
        return pmk_error_set(err, PMK_EINVAL, "%s: evaluation needs labels", pmk_data_path(r));
    const pmk_data_options *so;
    const char *src = pmk_data_reader_source(r, &so);   /* over ranges when it can (gnb_par.c) */
    int rc = src ? pmk_gnb_par_eval(m, src, r, so, out, err) : PMK_OK;
    if (rc || *out)
        return rc;
    pmk_gnb_eval *e = pmk_gnb_eval_alloc(m, err);
    if (!e)
        return PMK_ENOMEM;
    for (;;) {
        pmk_data_chunk ch;
        if ((rc = pmk_data_read_chunk(r, &ch, err)) || ch.n == 0)
            break;
        if ((rc = pmk_gnb_eval_add_tokens(e, m, &ch.X.matrix, ch.y, ch.tok, ch.ntok, err))) {
            pmk_gnb_at_chunk(r, &ch, err);
            break;
        }
    }
    if (!rc && e->n == 0)
        rc = pmk_error_set(err, PMK_EDATA, "%s: no data rows to evaluate", pmk_data_path(r));
    if (rc) {
        pmk_gnb_eval_free(e);
        return rc;
    }
    *out = e;
    return PMK_OK;
}

int pmk_gnb_predict_write(const pmk_gnb *m, pmk_data_reader *r, int columns, FILE *out,
                          pmk_error *err)
{
    size_t K = m->k, cap = 0;
    gsl_matrix *L = NULL;
    const pmk_data_options *so;
    const char *src = pmk_data_reader_source(r, &so);   /* over ranges when it can */
    int done = 0;
    int rc = src ? pmk_gnb_par_predict(m, src, r, so, columns, out, &done, err) : PMK_OK;
    if (rc || done)
        return rc;
    fputs("label", out);
    for (size_t k = 0; columns && k < K; k++)
        fputs(columns == PMK_GNB_PROBA ? ",p_" : ",logp_", out), pmk_gnb_put_label(m, k, out);
    fputc('\n', out);
    for (;;) {
        pmk_data_chunk ch;
        if ((rc = pmk_data_read_chunk(r, &ch, err)) || ch.n == 0)
            break;
        if (ch.n > cap) {
            gsl_matrix_free(L);
            cap = ch.n;
            if (!(L = gsl_matrix_alloc(cap, K))) {
                rc = pmk_error_set(err, PMK_ENOMEM, "out of memory");
                break;
            }
        }
        gsl_matrix_view Lv = gsl_matrix_submatrix(L, 0, 0, ch.n, K);
        if ((rc = pmk_gnb_predict_log_proba(m, &ch.X.matrix, &Lv.matrix, err))) {
            pmk_gnb_at_chunk(r, &ch, err);
            break;
        }
        for (size_t i = 0; i < ch.n; i++) {
            const double *row = gsl_matrix_const_ptr(&Lv.matrix, i, 0);
            size_t best = 0;
            for (size_t k = 1; k < K; k++)
                if (row[k] > row[best])
                    best = k;
            pmk_gnb_put_label(m, best, out);
            for (size_t k = 0; columns && k < K; k++)
                fprintf(out, ",%.17g", columns == PMK_GNB_PROBA ? exp(row[k]) : row[k]);
            fputc('\n', out);
        }
    }
    gsl_matrix_free(L);
    return rc;
}

int pmk_gnb_predict_save(const pmk_gnb *m, pmk_data_reader *r, int columns, const char *path,
                         pmk_error *err)
{
    pmk_outfile of;
    int rc = pmk_outfile_open(&of, path, err);
    if (rc)
        return rc;
    if ((rc = pmk_gnb_predict_write(m, r, columns, of.fp, err))) {
        pmk_outfile_abort(&of);
        return rc;
    }
    return pmk_outfile_commit(&of, err);
}

/* ---------------------------------------------------------------- picture */

int pmk_gnb_montage(const pmk_gnb *m, size_t th, size_t tw, size_t ncols, pmk_image **out,
                    pmk_error *err)
{
    *out = NULL;
    size_t K = m->k, D = m->d;
    if (!m->finished)
        return pmk_error_set(err, PMK_EINVAL, "the model is not fitted");
    if (!th && !tw) {   /* square tiles */
        size_t s = (size_t)floor(sqrt((double)D) + 0.5);
        if (s * s != D)
            return pmk_error_set(err, PMK_EINVAL, "%zu features is not a square image", D);
        th = tw = s;
    }
    if (!ncols)
        ncols = K < 10 ? K : 10;
    if (!ncols || !th || !tw || tw > SIZE_MAX / th || th * tw != D)
        return pmk_error_set(err, PMK_EINVAL, "tiles of %zu x %zu do not hold the %zu features",
                             th, tw, D);
    size_t nsig = m->opt.variance == PMK_GNB_VAR_SHARED ? 1 : K;
    size_t mean_slots = (K + ncols - 1) / ncols * ncols;
    /* The tile matrix (slots x D doubles) and the montage (about a byte per
     * pixel, a gap around each tile), checked before either is made, since
     * the caller's ncols and tile shape multiply into them. */
    long double slots = (long double)mean_slots + nsig;
    long double bytes = slots * D * 8 + slots * (tw + 2) * (th + 2);
    char what[160];
    snprintf(what, sizeof what, "a montage of %.0Lf tiles of %zu x %zu", slots, tw, th);
    int rc = pmk_mem_check(NULL, 0, 0, bytes > 1e19L ? ULLONG_MAX : (unsigned long long)bytes,
                           what, err);
    if (rc)
        return rc;
    gsl_matrix *tiles = gsl_matrix_alloc(mean_slots + nsig, D);
    if (!tiles)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    const gsl_matrix *mu = pmk_gnb_means(m), *var = pmk_gnb_variances(m);
    double mu_lo = gsl_matrix_min(mu), mu_hi = gsl_matrix_max(mu);
    double sd_hi = sqrt(gsl_matrix_max(var));
    if (!(mu_hi > mu_lo))
        mu_hi = mu_lo + 1;
    gsl_matrix_set_all(tiles, 1.0);   /* empty slots: white */
    for (size_t k = 0; k < K; k++)
        for (size_t j = 0; j < D; j++)
            gsl_matrix_set(tiles, k, j, (gsl_matrix_get(mu, k, j) - mu_lo) / (mu_hi - mu_lo));
    for (size_t k = 0; k < nsig; k++)
        for (size_t j = 0; j < D; j++)
            gsl_matrix_set(tiles, mean_slots + k, j, sqrt(gsl_matrix_get(var, k, j)) / sd_hi);
    rc = pmk_montage(tiles, th, tw, ncols, PMK_MONTAGE_RANGE, 0.0, 1.0, out, err);
    gsl_matrix_free(tiles);
    return rc;
}

/* ---------------------------------------------------------------- export */

static const char *const export_names[PMK_GNB_EXPORT_FILES] = {
    "mu.csv", "var.csv", "priors.csv", "transform.csv", "cov.csv"};

const char *pmk_gnb_export_file(size_t i)
{
    return i < PMK_GNB_EXPORT_FILES ? export_names[i] : NULL;
}

int pmk_gnb_export(const pmk_gnb *m, const char *dir, pmk_error *err)
{
    if (!m->finished)
        return pmk_error_set(err, PMK_EINVAL, "the model is not fitted");
    if (m->tokens)   /* the CSV writer's labels are integers */
        return pmk_error_set(err, PMK_EUNSUP, "export of a model of token labels is not "
                                              "supported yet");
    size_t K = m->k, D = m->d;
    const gsl_matrix *cov = pmk_gnb_covariance(m);   /* a full model's, else NULL */
    char *hmu = pmk_csv_numbered_header("label", "mu", D);
    char *hvar = pmk_csv_numbered_header("label", "var", D);
    char *hcov = cov ? pmk_csv_numbered_header("feature", "cov", D) : NULL;
    long *feat = cov ? malloc(D * sizeof *feat) : NULL;
    gsl_matrix *pc = gsl_matrix_alloc(K, 2);
    /* a full model predicts with Sigma: its diagonal is var.csv's every row */
    gsl_matrix *dv = cov ? gsl_matrix_alloc(K, D) : NULL;
    int rc;
    if (!hmu || !hvar || !pc || (cov && (!hcov || !feat || !dv))) {
        rc = pmk_error_set(err, PMK_ENOMEM, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < K; k++) {
        gsl_matrix_set(pc, k, 0, gsl_vector_get(pmk_gnb_priors(m), k));
        gsl_matrix_set(pc, k, 1, m->count[k]);
    }
    /* The transform the model applies to raw data, so that mu and var can be
     * used on raw features: x_scaled = scale * x. */
    double scale = m->opt.transform.scale;
    gsl_matrix_view sv = gsl_matrix_view_array(&scale, 1, 1);
    for (size_t i = 0; cov && i < D; i++) {
        feat[i] = (long)i;
        for (size_t k = 0; k < K; k++)
            gsl_matrix_set(dv, k, i, gsl_matrix_get(cov, i, i));
    }
    const pmk_csv_table t[PMK_GNB_EXPORT_FILES] = {
        {export_names[0], pmk_gnb_means(m), m->labels, hmu},
        {export_names[1], cov ? dv : pmk_gnb_variances(m), m->labels, hvar},
        {export_names[2], pc, m->labels, "label,prior,count"},
        {export_names[3], &sv.matrix, NULL, "scale"},
        {export_names[4], cov, feat, hcov},
    };
    rc = pmk_csv_write_set(dir, t, cov ? PMK_GNB_EXPORT_FILES : PMK_GNB_EXPORT_FILES - 1, err);
done:
    CORE_FREE(hmu, hvar, hcov, feat);
    gsl_matrix_free(pc);   /* gsl_matrix_free takes NULL */
    gsl_matrix_free(dv);
    return rc;
}
