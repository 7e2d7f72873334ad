/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_run.c: the training options' check and a whole training run from a
 * table (pmk_rbm_train_table): the holdout split, a new model's allocation
 * and initialisation, and the fit, in the order and with the draws that
 * `pmk rbm train` has always made, so that a seed gives the same model. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/threads.h"
#include "pmk/rbm.h"
#include "models/rbm_internal.h"

/* M in 2..PMK_RBM_PT_MAX, no PCD with it, the betas (when given) increasing
 * in [0,1] to 1. */
static int check_tempering(const pmk_rbm_options *o, pmk_error *err)
{
    const size_t M = o->temperatures;
    if (M < 2 || M > PMK_RBM_PT_MAX)
        return pmk_error_set(err, PMK_EINVAL, "parallel tempering needs 2 to %d temperatures, "
                             "not %zu", PMK_RBM_PT_MAX, M);
    if (o->persistent)
        return pmk_error_set(err, PMK_EINVAL, "parallel tempering and PCD exclude each other");
    int given = 0;
    for (size_t r = 0; r < M; r++)
        given |= o->betas[r] != 0.0;
    for (size_t r = 0; given && r < M; r++)
        if (!(o->betas[r] >= 0.0 && o->betas[r] <= 1.0) || (r && !(o->betas[r] > o->betas[r - 1]))
            || (r == M - 1 && o->betas[r] != 1.0))
            return pmk_error_set(err, PMK_EINVAL, "the inverse temperatures must increase in "
                                 "[0,1] and end at 1 (temperature %zu is %g)", r + 1,
                                 o->betas[r]);
    return PMK_OK;
}

void pmk_rbm_pt_betas(const pmk_rbm_options *o, float *betas)
{
    const size_t M = o->temperatures;
    int given = 0;
    for (size_t r = 0; r < M; r++)
        given |= o->betas[r] != 0.0;
    for (size_t r = 0; r < M; r++)
        betas[r] = given ? (float)o->betas[r] : (float)((double)r / (double)(M - 1));
}

int pmk_rbm_options_set_trainer(pmk_rbm_options *o, const char *name, pmk_error *err)
{
    if (!strcmp(name, "cd") || !strcmp(name, "pcd")) {
        o->persistent = name[0] == 'p';
        o->temperatures = 0;
    } else if (!strcmp(name, "pt")) {
        o->persistent = 0;
        if (!o->temperatures)
            o->temperatures = 10;
    } else {
        return pmk_error_set(err, PMK_EINVAL, "unknown trainer '%s' (cd, pcd or pt)", name);
    }
    return PMK_OK;
}

int pmk_rbm_options_set_temperatures(pmk_rbm_options *o, const char *spec, pmk_error *err)
{
    double v[PMK_RBM_PT_MAX + 1];
    size_t n = 0;
    const char *p = spec;
    char *end;
    for (;;) {
        errno = 0;
        double x = strtod(p, &end);
        if (end == p || errno || (*end && *end != ','))
            return pmk_error_set(err, PMK_EINVAL, "temperatures: '%s' is neither a count nor a "
                                 "list of numbers", spec);
        if (n == PMK_RBM_PT_MAX)
            return pmk_error_set(err, PMK_EINVAL, "temperatures: more than %d", PMK_RBM_PT_MAX);
        v[n++] = x;
        if (!*end)
            break;
        p = end + 1;
    }
    for (size_t r = 0; r < PMK_RBM_PT_MAX; r++)
        o->betas[r] = 0.0;
    if (n == 1 && strchr(spec, '.') == NULL && v[0] >= 0 && v[0] <= 1e6) {   /* a count */
        o->temperatures = (size_t)v[0];
        if ((double)o->temperatures != v[0])
            return pmk_error_set(err, PMK_EINVAL, "temperatures: '%s' is neither a count nor a "
                                 "list of numbers", spec);
        return PMK_OK;
    }
    o->temperatures = n;
    memcpy(o->betas, v, n * sizeof *v);
    return PMK_OK;
}

int pmk_rbm_options_check(const pmk_rbm_options *o, pmk_error *err)
{
    int rc;
    if (o->epochs < 1)
        return pmk_error_set(err, PMK_EINVAL, "epochs must be at least 1");
    if (o->batch < 1)
        return pmk_error_set(err, PMK_EINVAL, "the batch size must be at least 1");
    if (o->k < 1)
        return pmk_error_set(err, PMK_EINVAL, "the number of Gibbs steps k must be at least 1");
    if (!(o->lr > 0.0) || !isfinite(o->lr))
        return pmk_error_set(err, PMK_EINVAL, "the learning rate must be positive, not %g", o->lr);
    if (!(o->momentum < 1.0) || isnan(o->momentum))
        return pmk_error_set(err, PMK_EINVAL,
                             "the momentum must be in [0,1) (or negative for 0.5 then 0.9), not %g",
                             o->momentum);
    if (!(o->weight_decay >= 0.0) || !isfinite(o->weight_decay))
        return pmk_error_set(err, PMK_EINVAL, "the weight decay must be >= 0, not %g",
                             o->weight_decay);
    if (o->hidden < 1)
        return pmk_error_set(err, PMK_EINVAL, "an RBM needs at least 1 hidden unit");
    if (o->hidden > PMK_RBM_MAX_WEIGHTS)
        return pmk_error_set(err, PMK_EINVAL,
                             "%zu hidden units are more than the %zu weights an RBM may have",
                             o->hidden, PMK_RBM_MAX_WEIGHTS);
    if (o->parts < 1 || o->part >= o->parts)
        return pmk_error_set(err, PMK_EINVAL, "part %zu of %zu parts: need part < parts",
                             o->part, o->parts);
    if (!(o->sparsity_cost >= 0.0) || !isfinite(o->sparsity_cost))
        return pmk_error_set(err, PMK_EINVAL, "the sparsity cost must be >= 0, not %g",
                             o->sparsity_cost);
    if (!(o->sparsity_target > 0.0 && o->sparsity_target < 1.0))
        return pmk_error_set(err, PMK_EINVAL, "the sparsity target must be in (0,1), not %g",
                             o->sparsity_target);
    if (!(o->sparsity_decay >= 0.0 && o->sparsity_decay < 1.0))
        return pmk_error_set(err, PMK_EINVAL, "the sparsity decay must be in [0,1), not %g",
                             o->sparsity_decay);
    if (o->temperatures && (rc = check_tempering(o, err)))
        return rc;
    if (o->visible != PMK_RBM_BINARY && o->visible != PMK_RBM_GAUSSIAN)
        return pmk_error_set(err, PMK_EINVAL, "unknown visible units %d", o->visible);
    if (o->learn_sigma && o->parts > 1)
        return pmk_error_set(err, PMK_EINVAL, "learning s is not data-parallel: run one process");
    if (o->visible && o->temperatures)
        return pmk_error_set(err, PMK_EINVAL, "parallel tempering is not available for Gaussian "
                             "visible units (use --trainer cd or pcd)");
    if (!(o->holdout >= 0.0 && o->holdout < 1.0))
        return pmk_error_set(err, PMK_EINVAL, "the holdout fraction must be in [0,1), not %g",
                             o->holdout);
    return pmk_threads_check(o->threads, err);
}

/* What pmk_rbm_train_table passes to pmk_rbm_fit_table: the caller's
 * callback, and the last epoch's figures kept for the result. */
typedef struct run_ctx {
    pmk_rbm_epoch_fn cb;
    void *ctx;
    pmk_rbm_epoch_info last;
} run_ctx;

static int run_epoch(const pmk_rbm *m, const pmk_rbm_epoch_info *info, void *vctx)
{
    run_ctx *c = vctx;
    c->last = *info;
    return c->cb ? c->cb(m, info, c->ctx) : 0;
}

int pmk_rbm_train_table(pmk_rbm **m, const pmk_table *t, const pmk_rbm_options *o, pmk_rng *r,
                        pmk_rbm_epoch_fn cb, void *ctx, pmk_rbm_train_result *out,
                        pmk_error *err)
{
    pmk_table *train = NULL, *hold = NULL;
    pmk_rbm *made = NULL;
    int rc;
    /* Continuing the stream: the split the model's first run drew from its
     * seed, then the state its last epoch left (rbm_fit.c records it). */
    int cont = o->continue_rng && *m && (*m)->rng_state;
    if ((rc = pmk_rbm_options_check(o, err)))
        return rc;
    if (cont)
        pmk_rng_seed(r, (*m)->rng_seed);
    if ((rc = pmk_table_split(t, o->holdout, r, &train, &hold, err))   /* seeded */
        || (cont && (rc = pmk_rbm_rng_restore(*m, r, err)))) {
        pmk_table_free(train);
        pmk_table_free(hold);
        return rc;
    }
    size_t ntrain = pmk_table_nrows(train), nheld = hold ? pmk_table_nrows(hold) : 0;
    if (!*m) {
        size_t D = pmk_table_nfeatures(train);
        if (!(made = o->visible ? pmk_rbm_alloc_gauss(D, o->hidden, err)
                                : pmk_rbm_alloc(D, o->hidden, err)))
            rc = err ? err->code : PMK_ENOMEM;
        else if (o->visible && (rc = pmk_rbm_fit_standardisation(made, train, err)))
            ;   /* Gaussian: standardised on the training rows, b = 0 */
        else if (!(rc = o->visible ? pmk_rbm_init(made, NULL, r, err)
                                   : pmk_rbm_init_table(made, train, r, err)))
            *m = made;
    }
    run_ctx c = {cb, ctx, {(*m) ? (*m)->epochs : 0, NAN, NAN, NAN, NULL, NAN, NULL}};
    if (!rc && cb) {
        char line[320], pt[48] = "";
        if (o->temperatures)
            snprintf(pt, sizeof pt, " (%zu temperatures)", o->temperatures);
        snprintf(line, sizeof line,
                 "%zu rows (%zu for training, %zu held out), D = %zu%s, H = %zu, %s%zu%s%s, "
                 "batch %zu", ntrain + nheld, ntrain, nheld, (*m)->d,
                 (*m)->visible ? " (Gaussian)" : "", (*m)->h,
                 o->temperatures ? "PT-" : o->persistent ? "PCD-" : "CD-", o->k,
                 o->k_ramp && o->k > 1 ? " (ramped from 1)" : "", pt, o->batch);
        pmk_rbm_epoch_info start = c.last;
        start.notice = line;
        rc = cb(*m, &start, ctx);
    }
    int trained = !rc;
    if (!rc)
        rc = pmk_rbm_fit_table(*m, train, hold, o, r, run_epoch, &c, err);
    if (out && trained)
        *out = (pmk_rbm_train_result){ntrain, nheld, c.last};
    if (rc && made) {
        pmk_rbm_free(made);
        *m = NULL;
    }
    pmk_table_free(train);
    pmk_table_free(hold);
    return rc;
}
