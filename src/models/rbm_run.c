/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_run.c: the training options' check and a whole training run from a
 * table (pmk_rbm_train_table): the holdout split, a new model's allocation
 * and initialisation, and the fit, in the order and with the draws that
 * `pmk rbm train` has always made, so that a seed gives the same model. */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "pmk/rbm.h"

int pmk_rbm_options_check(const pmk_rbm_options *o, pmk_error *err)
{
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
    if (!(o->holdout >= 0.0 && o->holdout < 1.0))
        return pmk_error_set(err, PMK_EINVAL, "the holdout fraction must be in [0,1), not %g",
                             o->holdout);
    return PMK_OK;
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
    if ((rc = pmk_rbm_options_check(o, err))
        || (rc = pmk_table_split(t, o->holdout, r, &train, &hold, err)))   /* seeded */
        return rc;
    size_t ntrain = pmk_table_nrows(train), nheld = hold ? pmk_table_nrows(hold) : 0;
    if (!*m) {
        if (!(made = pmk_rbm_alloc(pmk_table_nfeatures(train), o->hidden, err)))
            rc = err ? err->code : PMK_ENOMEM;
        else if (!(rc = pmk_rbm_init_table(made, train, r, err)))
            *m = made;
    }
    run_ctx c = {cb, ctx, {(*m) ? (*m)->epochs : 0, NAN, NAN, NAN, NULL}};
    if (!rc && cb) {
        char line[256];
        snprintf(line, sizeof line,
                 "%zu rows (%zu for training, %zu held out), D = %zu, H = %zu, %s%zu%s, batch %zu",
                 ntrain + nheld, ntrain, nheld, (*m)->d, (*m)->h, o->persistent ? "PCD-" : "CD-",
                 o->k, o->k_ramp && o->k > 1 ? " (ramped from 1)" : "", o->batch);
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
