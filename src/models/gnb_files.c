/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_files.c: the classifier over several data files taken as one data
 * set, in file order (`pmk gnb fit|eval|predict DATA...`, and each MPI
 * rank's share of them, src/mpi/): the fit merges the files' fits in order
 * (pmk_gnb_merge, the exact Chan-Golub-LeVeque pooling: the one-pass model
 * to rounding), the evaluation sums the files' evaluations, the prediction
 * writes one header and then every file's rows.  One file is exactly the
 * one-file path (the fitter, pmk_gnb_eval_reader, pmk_gnb_predict_write). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pmk/gnb.h"
#include "models/gnb_internal.h"

/* A file that does not open (a labels file missing, no labels to fit on)
 * is the data's fault: PMK_EDATA, so that PMK_EINVAL stays the options'
 * (an explicit prior list that does not fit K, evaluation without labels),
 * as in the one-file path where opening is the caller's step. */
static int open_failed(int rc, pmk_error *err)
{
    if (rc == PMK_EINVAL && err)
        err->code = PMK_EDATA;
    return rc == PMK_EINVAL ? PMK_EDATA : rc;
}

int pmk_gnb_eval_merge(pmk_gnb_eval *a, const pmk_gnb_eval *b, pmk_error *err)
{
    if (a->k != b->k || !a->confusion != !b->confusion)
        return pmk_error_set(err, PMK_EINVAL, "evaluations of %zu and %zu classes cannot be "
                             "merged", a->k, b->k);
    size_t K = a->k;
    a->n += b->n;
    a->correct += b->correct;
    a->zero_var_rows += b->zero_var_rows;
    a->sum_nll += b->sum_nll;
    a->sum_log_post += b->sum_log_post;
    pmk_gnb_eval_fix_merge(a, b);   /* the exact sums where they hold */
    for (size_t k = 0; k < K; k++) {
        a->support[k] += b->support[k];
        a->predicted[k] += b->predicted[k];
        a->hits[k] += b->hits[k];
    }
    for (size_t i = 0; a->confusion && i < K * K; i++)
        a->confusion[i] += b->confusion[i];
    pmk_gnb_eval_rates(a);
    return PMK_OK;
}

int pmk_gnb_fit_files(const char *const *paths, size_t n, const pmk_data_options *dopt,
                      const pmk_gnb_options *gopt, pmk_gnb **out, pmk_gnb_eval **train,
                      pmk_error *err)
{
    *out = NULL;
    if (train)
        *train = NULL;
    if (n == 0)
        return pmk_error_set(err, PMK_EINVAL, "no data files to fit on");
    pmk_gnb *acc = NULL;
    int rc = PMK_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        pmk_gnb *b = NULL;
        pmk_gnb_fitter *f = pmk_gnb_fitter_open(paths[i], dopt, gopt, n == 1 && train, err);
        if (!f)
            rc = open_failed(err ? err->code : PMK_EIO, err);
        else
            rc = pmk_gnb_fitter_run(f, &b, n == 1 ? train : NULL, err);
        pmk_gnb_fitter_free(f);
        if (!rc && acc) {   /* the files so far, pooled with this one */
            pmk_gnb *mm = pmk_gnb_merge(acc, b, err);
            if (!mm) {
                rc = err ? err->code : PMK_EINVAL;
                pmk_error_prefix(err, paths[i]);
            }
            pmk_gnb_free(b);
            b = mm;
        }
        if (!rc) {
            pmk_gnb_free(acc);
            acc = b;
        }
    }
    /* several files: the merged model evaluated over them all */
    if (!rc && n > 1 && train)
        rc = pmk_gnb_eval_files(acc, NULL, paths, n, dopt, train, err);
    if (rc)
        pmk_gnb_free(acc);
    else
        *out = acc;
    return rc;
}

int pmk_gnb_eval_files(const pmk_gnb *m, const char *model_name, const char *const *paths,
                       size_t n, const pmk_data_options *o, pmk_gnb_eval **out, pmk_error *err)
{
    *out = NULL;
    if (n == 0)
        return pmk_error_set(err, PMK_EINVAL, "no data files to evaluate");
    pmk_gnb_eval *acc = NULL;
    int rc = PMK_OK;
    model_name = model_name ? model_name : "(the model)";
    for (size_t i = 0; i < n && !rc; i++) {
        pmk_data_reader *r = NULL;
        pmk_gnb_eval *e = NULL;
        if ((rc = pmk_gnb_open_data(m, model_name, paths[i], o, &r, err)))
            rc = open_failed(rc, err);
        else if (!(rc = pmk_gnb_eval_reader(m, r, &e, err)) && acc)
            rc = pmk_gnb_eval_merge(acc, e, err);
        pmk_data_close(r);
        if (!acc) {
            acc = e;
            e = NULL;
        }
        pmk_gnb_eval_free(e);
    }
    if (rc)
        pmk_gnb_eval_free(acc);
    else
        *out = acc;
    return rc;
}

int pmk_gnb_predict_files(const pmk_gnb *m, const char *model_name, const char *const *paths,
                          size_t n, const pmk_data_options *o, int columns, FILE *out,
                          pmk_error *err)
{
    int rc = n ? PMK_OK : pmk_error_set(err, PMK_EINVAL, "no data files to predict");
    model_name = model_name ? model_name : "(the model)";
    for (size_t i = 0; i < n && !rc; i++) {
        pmk_data_reader *r = NULL;
        char *buf = NULL;
        size_t len = 0;
        FILE *f = i ? open_memstream(&buf, &len) : out;   /* later files: no header */
        if (!f)
            rc = pmk_error_set(err, PMK_ENOMEM, "out of memory");
        if (!rc && (rc = pmk_gnb_open_data(m, model_name, paths[i], o, &r, err)))
            rc = open_failed(rc, err);
        else if (!rc)
            rc = pmk_gnb_predict_write(m, r, columns, f, err);
        pmk_data_close(r);
        if (i && f && fclose(f) && !rc)
            rc = pmk_error_set(err, PMK_ENOMEM, "out of memory");
        const char *body = !rc && buf ? memchr(buf, '\n', len) : NULL;
        if (body)
            fwrite(body + 1, 1, len - (size_t)(body + 1 - buf), out);
        free(buf);
    }
    return rc;
}
