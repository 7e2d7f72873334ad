/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_io.c: the RBM's text model file on streams (doc/formats.md): written
 * with the record writer in %.17g in the C locale, read back bit for bit with
 * the record reader, every number's kind and range checked and every
 * malformed input refused with the file and line.  The model opens no file:
 * pmk_rbm_save / pmk_rbm_load (src/io/modelfile.c) are the path helpers.
 *
 *   pmk-rbm 2              magic and format version (1: no transform lines)
 *   visible D
 *   hidden H
 *   epochs E               epochs trained (momentum switch on --resume)
 *   scale S                version 2: the transform the model was trained with,
 *   threshold T              v = S x, binarized at T when T > 0, S x checked
 *   check01 0|1              to lie in [0,1] when check01 is 1
 *   b                      then 1 line of D numbers
 *   a                      then 1 line of H numbers
 *   W                      then D lines of H numbers
 *   momentum 0|1           1: then "db" + 1 line, "da" + 1 line, "dW" + D lines
 *   chains P               then P lines of H numbers, each 0 or 1 (PCD states)
 *   sparsity 0|1           version 3: 1: then 1 line of H running means in [0,1]
 *   rng TYPE SEED N        version 3: the training RNG (gsl_rng_name, the split's
 *                            seed, N state bytes), then 1 line of 2N hex digits;
 *                            or "rng none"
 *   units binary|gaussian  version 4 (Gaussian units): with gaussian, then
 *   sigma                    "sigma" + 1 line of D s_i > 0, "mean" + 1 line of
 *   mean                     D means and "sd" + 1 line of D sd_i > 0 (the
 *   sd                       standardisation z = (S x - mean) / sd)
 *   end */
#include "config.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/limits.h"
#include "pmk/rbm.h"
#include "io/record_internal.h"
#include "models/rbm_internal.h"
#include "core/core_internal.h"

#define MAGIC "pmk-rbm"

/* ---------------------------------------------------------------- rules
 *
 * Training runs in single precision (rbm_train.c): a pre-activation sums D
 * (or H) products w_ij v_i plus a bias, the energy D*H + D + H terms, and
 * D*H <= 2^30.  With every parameter within +-1e25 those sums stay below
 * (2^31 + 1) * 1e25 ~ 2.1e34, four orders of magnitude under FLT_MAX
 * (3.4e38), which leaves room for the momentum and learning-rate updates.
 * A weight of 1e39 does not even convert to float.  The momentum increments
 * are added to the parameters, so they get the same bound.  The chains hold
 * sampled hidden states: 0 or 1. */
static const pmk_rec_rule rule_weight = {"a weight", -PMK_RBM_PARAM_MAX, PMK_RBM_PARAM_MAX, 0};
static const pmk_rec_rule rule_bias = {"a bias", -PMK_RBM_PARAM_MAX, PMK_RBM_PARAM_MAX, 0};
static const pmk_rec_rule rule_step = {"a momentum increment", -PMK_RBM_PARAM_MAX,
                                       PMK_RBM_PARAM_MAX, 0};
static const pmk_rec_rule rule_state = {"a chain state", 0, 1, PMK_REC_INTEGER};
/* The transform: a positive scale (as the gnb file's), a threshold in [0,1]. */
static const pmk_rec_rule rule_scale = {"the scale", 0, 1e150, PMK_REC_LO_OPEN};
static const pmk_rec_rule rule_threshold = {"the threshold", 0, 1, 0};
static const pmk_rec_rule rule_check = {"check01", 0, 1, PMK_REC_INTEGER};
static const pmk_rec_rule rule_mean = {"a running mean", 0, 1, 0};
/* Gaussian units: s and the standardisation's sd positive, its means bounded. */
static const pmk_rec_rule rule_sigma = {"a standard deviation", 0, PMK_RBM_PARAM_MAX,
                                        PMK_REC_LO_OPEN};
static const pmk_rec_rule rule_center = {"a mean", -PMK_RBM_PARAM_MAX, PMK_RBM_PARAM_MAX, 0};

/* ---------------------------------------------------------------- write */

/* "KEY" (when non-NULL), then the rows of A. */
static void put_matrix(FILE *f, const char *key, const gsl_matrix *A)
{
    if (key)
        fprintf(f, "%s\n", key);
    for (size_t i = 0; i < A->size1; i++)
        pmk_rec_put_row(f, NULL, gsl_matrix_const_ptr(A, i, 0), A->size2, 1);
}

/* "KEY", then the entries of v on one line. */
static void put_vector(FILE *f, const char *key, const gsl_vector *v)
{
    fprintf(f, "%s\n", key);
    pmk_rec_put_row(f, NULL, v->data, v->size, v->stride);
}

static int check_matrix(const pmk_rec_rule *rule, const char *name, const gsl_matrix *A,
                        pmk_error *err)
{
    for (size_t i = 0; i < A->size1; i++) {
        int rc = pmk_rec_put_check(rule, name, gsl_matrix_const_ptr(A, i, 0), A->size2, 1, err);
        if (rc)
            return rc;
    }
    return PMK_OK;
}

/* Nothing is written that the reader would refuse (a diverged model). */
static int write_check(const pmk_rbm *m, int mom, pmk_error *err)
{
    int rc;
    if ((rc = pmk_rec_put_check(&rule_bias, "b", m->b->data, m->d, m->b->stride, err))
        || (rc = pmk_rec_put_check(&rule_bias, "a", m->a->data, m->h, m->a->stride, err))
        || (rc = check_matrix(&rule_weight, "W", m->W, err)))
        return rc;
    if (mom
        && ((rc = pmk_rec_put_check(&rule_step, "db", m->db->data, m->d, m->db->stride, err))
            || (rc = pmk_rec_put_check(&rule_step, "da", m->da->data, m->h, m->da->stride, err))
            || (rc = check_matrix(&rule_step, "dW", m->dW, err))))
        return rc;
    if (m->chains && (rc = check_matrix(&rule_state, "chains", m->chains, err)))
        return rc;
    if (m->q && (rc = pmk_rec_put_check(&rule_mean, "q", m->q->data, m->h, m->q->stride, err)))
        return rc;
    if (m->visible
        && ((rc = pmk_rec_put_check(&rule_sigma, "sigma", m->sigma->data, m->d, 1, err))
            || (rc = pmk_rec_put_check(&rule_center, "mean", m->std_mean->data, m->d, 1, err))
            || (rc = pmk_rec_put_check(&rule_sigma, "sd", m->std_sd->data, m->d, 1, err))))
        return rc;
    if (m->rng_state && (m->rng_size > PMK_RBM_RNG_STATE_MAX || !m->rng_type[0]
                         || strspn(m->rng_type, "abcdefghijklmnopqrstuvwxyz0123456789_-")
                                != strlen(m->rng_type)))
        return pmk_error_set(err, PMK_EDATA, "cannot save: the RNG state (%s, %zu bytes) is "
                             "not one a model file records", m->rng_type, m->rng_size);
    if (m->transform_known
        && ((rc = pmk_rec_put_check(&rule_scale, "scale", &m->transform.scale, 1, 1, err))
            || (rc = pmk_rec_put_check(&rule_threshold, "threshold", &m->transform.threshold, 1,
                                       1, err))))
        return rc;
    return PMK_OK;
}

int pmk_rbm_write(const pmk_rbm *m, FILE *f, pmk_error *err)
{
    int mom = m->dW && m->db && m->da;
    int rc = write_check(m, mom, err);
    if (rc)
        return rc;
    pmk_c_locale loc;
    if (pmk_c_locale_enter(&loc))
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    /* A model that records no transform (one read from a version 1 file) is
     * written as version 1, byte for byte as before. */
    int version = m->visible ? 4 : !m->transform_known ? 1 : m->rng_state || m->q ? 3 : 2;
    pmk_rec_put_magic(f, MAGIC, version);
    fprintf(f, "visible %zu\nhidden %zu\nepochs %zu\n", m->d, m->h, m->epochs);
    if (version >= 2)
        fprintf(f, "scale %.17g\nthreshold %.17g\ncheck01 %d\n", m->transform.scale,
                m->transform.threshold, m->transform.check01 != 0);
    put_vector(f, "b", m->b);
    put_vector(f, "a", m->a);
    put_matrix(f, "W", m->W);
    fprintf(f, "momentum %d\n", mom);
    if (mom) {
        put_vector(f, "db", m->db);
        put_vector(f, "da", m->da);
        put_matrix(f, "dW", m->dW);
    }
    fprintf(f, "chains %zu\n", m->chains ? m->chains->size1 : (size_t)0);
    if (m->chains)
        put_matrix(f, NULL, m->chains);
    if (version >= 3) {
        fprintf(f, "sparsity %d\n", m->q != NULL);
        if (m->q)
            pmk_rec_put_row(f, NULL, m->q->data, m->h, m->q->stride);
        if (m->rng_state) {
            fprintf(f, "rng %s %lu %zu\n", m->rng_type, m->rng_seed, m->rng_size);
            for (size_t i = 0; i < m->rng_size; i++)
                fprintf(f, "%02x", m->rng_state[i]);
            fputc('\n', f);
        } else {
            fputs("rng none\n", f);
        }
    }
    if (version >= 4) {
        fputs("units gaussian\n", f);
        put_vector(f, "sigma", m->sigma);
        put_vector(f, "mean", m->std_mean);
        put_vector(f, "sd", m->std_sd);
    }
    fputs("end\n", f);
    pmk_c_locale_leave(&loc);
    return pmk_rec_put_done(f, NULL, err);
}

/* ---------------------------------------------------------------- read: lines */

/* Expects a line "KEY" exactly. */
static int expect_key(pmk_rec_reader *r, const char *key)
{
    char what[64], ex[176];
    snprintf(what, sizeof what, "'%s'", key);
    int rc = pmk_rec_need(r, what);
    if (rc)
        return rc;
    if (strcmp(r->line, key) != 0)
        return pmk_rec_fail(r, PMK_EFORMAT, 0, "expected '%s', found '%s'", key,
                            pmk_rec_excerpt(r->line, ex, sizeof ex));
    return PMK_OK;
}

/* Expects "KEY VALUE" (@p form names VALUE in messages: "N", "X"): *v is
 * the value's word (in r->line); with @p n non-NULL it must be a count of
 * decimal digits, into *n. */
static int expect_value(pmk_rec_reader *r, const char *key, const char *form, char **v,
                        size_t *n)
{
    char what[64], ex[176];
    snprintf(what, sizeof what, "'%s %s'", key, form);
    int rc = pmk_rec_need(r, what);
    if (rc)
        return rc;
    pmk_rec_excerpt(r->line, ex, sizeof ex);
    char *k = pmk_rec_word(r);
    *v = pmk_rec_word(r);
    if (!k || strcmp(k, key) || !*v || !pmk_rec_at_end(r) || (n && !pmk_rec_is_count(*v, n)))
        return pmk_rec_fail(r, PMK_EFORMAT, 0, "expected %s, found '%s'", what, ex);
    return PMK_OK;
}

/* Expects "KEY N" with N decimal digits, N <= lim. */
static int expect_count(pmk_rec_reader *r, const char *key, size_t lim, size_t *out)
{
    char *v;
    size_t n = 0;
    int rc = expect_value(r, key, "N", &v, &n);
    if (rc)
        return rc;
    if (n > lim)
        return pmk_rec_fail(r, PMK_ELIMIT, 0, "%s %zu exceeds the limit of %zu", key, n, lim);
    *out = n;
    return PMK_OK;
}

/* Reads @p rows lines of @p cols numbers of @p rule into a new array *@p out
 * (rows x cols, row-major; the caller frees it, also on error), grown as
 * the lines arrive: memory follows what the file holds.  Row i is called
 * "row I of NAME", or "NAME" for a one-row block. */
static int read_block(pmk_rec_reader *r, const char *name, int one_row, size_t rows, size_t cols,
                      const pmk_rec_rule *rule, double **out)
{
    char what[64];
    size_t cap = 0;
    for (size_t i = 0; i < rows; i++) {
        if (one_row)
            snprintf(what, sizeof what, "%s", name);
        else
            snprintf(what, sizeof what, "row %zu of %s", i + 1, name);
        int rc = pmk_rec_need(r, what);
        if (!rc)
            rc = pmk_rec_grow(r, out, &cap, (i + 1) * cols, rows * cols);
        if (rc)
            return rc;
        size_t got;
        if ((rc = pmk_rec_row(r, rule, what, *out + i * cols, cols, 1, &got)))
            return rc;
        if (got < cols)
            return pmk_rec_fail(r, PMK_EFORMAT, 0, "%s: %zu numbers, expected %zu", what, got,
                                cols);
        if (!pmk_rec_at_end(r))
            return pmk_rec_fail(r, PMK_EFORMAT, 0, "%s: more than %zu numbers", what, cols);
    }
    return PMK_OK;
}

/* "KEY" then a block of @p rows x @p cols. */
static int read_keyed(pmk_rec_reader *r, const char *key, int one_row, size_t rows, size_t cols,
                      const pmk_rec_rule *rule, double **out)
{
    int rc = expect_key(r, key);
    return rc ? rc : read_block(r, key, one_row, rows, cols, rule, out);
}

/* ---------------------------------------------------------------- read: sections */

static int read_magic(pmk_rec_reader *r, size_t *version)
{
    char ex[176];
    int rc = pmk_rec_need(r, "'pmk-rbm 2'");
    if (rc)
        return rc;
    if (strncmp(r->line, MAGIC " ", 8) != 0)
        return pmk_rec_fail(r, PMK_EFORMAT, 0,
                            "not a pmk RBM model (first line '%s', expected '%s %d')",
                            pmk_rec_excerpt(r->line, ex, sizeof ex), MAGIC,
                            PMK_RBM_FORMAT_VERSION);
    pmk_rec_excerpt(r->line + 8, ex, sizeof ex);
    pmk_rec_word(r);
    char *v = pmk_rec_word(r);
    if (!v || !pmk_rec_at_end(r) || !pmk_rec_is_count(v, version) || *version < 1)
        return pmk_rec_fail(r, PMK_EFORMAT, 0, "bad format version '%s'", ex);
    if (*version > PMK_RBM_FORMAT_VERSION)
        return pmk_rec_fail(r, PMK_EUNSUP, 0, "format version %zu is newer than this pmk reads (%d)",
                            *version, PMK_RBM_FORMAT_VERSION);
    return PMK_OK;
}

/* Version 2: scale S, threshold T, check01 0|1. */
static int read_transform(pmk_rec_reader *r, pmk_transform *tf)
{
    double check = 0;
    char *v;
    int rc;
    if ((rc = expect_value(r, "scale", "X", &v, NULL))
        || (rc = pmk_rec_number(r, v, &rule_scale, NULL, &tf->scale))
        || (rc = expect_value(r, "threshold", "X", &v, NULL))
        || (rc = pmk_rec_number(r, v, &rule_threshold, NULL, &tf->threshold))
        || (rc = expect_value(r, "check01", "X", &v, NULL))
        || (rc = pmk_rec_number(r, v, &rule_check, NULL, &check)))
        return rc;
    tf->check01 = (int)check;
    return PMK_OK;
}

/* visible D, hidden H: D, H >= 1, D*H <= PMK_RBM_MAX_WEIGHTS; a plain file
 * must back the header (W alone is D lines of H numbers of at least two
 * bytes, "0 ") and the model must fit the memory ceiling, before anything
 * is allocated for it.  (Gzip and pipes give no size: there the blocks grow
 * only as their lines arrive.) */
static int read_dims(pmk_rec_reader *r, size_t *d, size_t *h)
{
    int rc;
    if ((rc = expect_count(r, "visible", PMK_RBM_MAX_WEIGHTS, d)))
        return rc;
    if (*d == 0)
        return pmk_rec_fail(r, PMK_EFORMAT, 0, "an RBM needs at least 1 visible unit");
    if ((rc = expect_count(r, "hidden", PMK_RBM_MAX_WEIGHTS, h)))
        return rc;
    if (*h == 0)
        return pmk_rec_fail(r, PMK_EFORMAT, 0, "an RBM needs at least 1 hidden unit");
    unsigned long long dh = (unsigned long long)*d * *h, size;
    if (dh > PMK_RBM_MAX_WEIGHTS)
        return pmk_rec_fail(r, PMK_ELIMIT, 0, "%zu x %zu weights exceed the limit of %zu", *d,
                            *h, PMK_RBM_MAX_WEIGHTS);
    if (pmk_rec_file_size(r, &size) && size / 2 < dh)
        return pmk_rec_fail(r, PMK_EFORMAT, 0,
                            "%zu x %zu weights need at least %llu bytes of text, but the "
                            "file has only %llu (truncated, or an edited header)", *d, *h,
                            2ull * dh, size);
    /* the model's W and dW (D x H each) and four vectors */
    char what[96];
    snprintf(what, sizeof what, "an RBM of %zu visible x %zu hidden units", *d, *h);
    return pmk_mem_check(r->path, r->lineno, 0, 8ull * (2ull * dh + 2ull * *d + 2ull * *h), what,
                         r->err);
}

/* chains P, then P rows of H states: as for W, a plain file must hold P x H
 * numbers of two bytes or more, and the model with its chains must fit
 * under the memory ceiling. */
static int read_chains(pmk_rec_reader *r, size_t d, size_t h, size_t *p, double **out)
{
    int rc = expect_count(r, "chains", PMK_RBM_MAX_WEIGHTS / h, p);
    if (rc || !*p)
        return rc;
    unsigned long long ph = (unsigned long long)*p * h, size;
    if (pmk_rec_file_size(r, &size) && size / 2 < ph)
        return pmk_rec_fail(r, PMK_EFORMAT, 0,
                            "%zu chains of %zu hidden units need at least %llu bytes of text, "
                            "but the file has only %llu (truncated, or an edited header)", *p, h,
                            2ull * ph, size);
    char what[128];
    snprintf(what, sizeof what, "an RBM of %zu visible x %zu hidden units with %zu chains", d, h,
             *p);
    if ((rc = pmk_mem_check(r->path, r->lineno, 0,
                            8ull * (2ull * d * h + 2ull * d + 2ull * h + ph), what, r->err)))
        return rc;
    return read_block(r, "chains", 0, *p, h, &rule_state, out);
}

/* Version 3: "rng none", or "rng TYPE SEED N" and a line of 2N hex digits
 * (N <= PMK_RBM_RNG_STATE_MAX) into a new *@p out. */
static int read_rng(pmk_rec_reader *r, char type[32], unsigned long *seed, size_t *n,
                    unsigned char **out)
{
    char ex[176];
    int rc = pmk_rec_need(r, "'rng TYPE SEED N'");
    if (rc)
        return rc;
    pmk_rec_excerpt(r->line, ex, sizeof ex);
    char *k = pmk_rec_word(r), *t = pmk_rec_word(r), *sd = NULL, *w = NULL;
    size_t sv = 0;
    if (k && !strcmp(k, "rng") && t && !strcmp(t, "none") && pmk_rec_at_end(r))
        return PMK_OK;
    if (t) {
        sd = pmk_rec_word(r);
        w = pmk_rec_word(r);
    }
    if (!k || strcmp(k, "rng") || !t || strlen(t) >= 32 || !sd || !pmk_rec_is_count(sd, &sv)
        || sv > ULONG_MAX || !w || !pmk_rec_is_count(w, n) || !pmk_rec_at_end(r))
        return pmk_rec_fail(r, PMK_EFORMAT, 0, "expected 'rng TYPE SEED N' or 'rng none', "
                            "found '%s'", ex);
    if (*n == 0 || *n > PMK_RBM_RNG_STATE_MAX)
        return pmk_rec_fail(r, PMK_ELIMIT, 0, "an RNG state of %zu bytes is not in 1..%d", *n,
                            PMK_RBM_RNG_STATE_MAX);
    snprintf(type, 32, "%s", t);
    *seed = (unsigned long)sv;
    pmk_rec_set_max(r, 2 * *n + 64);
    if ((rc = pmk_rec_need(r, "the RNG state")))
        return rc;
    const char *x = r->line;
    if (strlen(x) != 2 * *n || strspn(x, "0123456789abcdef") != 2 * *n)
        return pmk_rec_fail(r, PMK_EFORMAT, 0, "the RNG state must be %zu lowercase hex digits",
                            2 * *n);
    if (!(*out = malloc(*n)))
        return pmk_rec_fail(r, PMK_ENOMEM, 0, "out of memory for the RNG state");
    for (size_t i = 0; i < *n; i++) {
        unsigned v;
        sscanf(x + 2 * i, "%2x", &v);
        (*out)[i] = (unsigned char)v;
    }
    return PMK_OK;
}

/* ---------------------------------------------------------------- read: assembly */

/* What the file holds, block by block, before it becomes a model. */
typedef struct blocks {
    size_t version, d, h, epochs, mom, p, sparse, rng_size;
    pmk_transform tf;
    double *b, *a, *W, *db, *da, *dW, *chains, *q;
    double *sigma, *mean, *sd;   /* version 4, Gaussian units; else NULL */
    char rng_type[32];
    unsigned long rng_seed;
    unsigned char *rng;
} blocks;

static void blocks_free(blocks *k)
{
    CORE_FREE(k->b, k->a, k->W, k->db, k->da, k->dW, k->chains, k->q, k->rng, k->sigma, k->mean,
              k->sd);
}

/* The model from the blocks read (all of them present and checked): the
 * blocks seen as a model through views, and copied (pmk_rbm_copy). */
static int assemble(pmk_rec_reader *r, const blocks *k, pmk_rbm **out)
{
    size_t d = k->d, h = k->h;
    gsl_matrix_view W = gsl_matrix_view_array(k->W, d, h);
    gsl_vector_view b = gsl_vector_view_array(k->b, d), a = gsl_vector_view_array(k->a, h);
    pmk_rbm src = {.d = d, .h = h, .W = &W.matrix, .b = &b.vector, .a = &a.vector,
                   .epochs = k->epochs, .transform = k->tf, .transform_known = k->version >= 2};
    gsl_matrix_view dW, C;
    gsl_vector_view db, da;
    if (k->mom) {
        dW = gsl_matrix_view_array(k->dW, d, h);
        db = gsl_vector_view_array(k->db, d);
        da = gsl_vector_view_array(k->da, h);
        src.dW = &dW.matrix, src.db = &db.vector, src.da = &da.vector;
    }
    if (k->p) {
        C = gsl_matrix_view_array(k->chains, k->p, h);
        src.chains = &C.matrix;
    }
    gsl_vector_view q;
    if (k->sparse) {
        q = gsl_vector_view_array(k->q, h);
        src.q = &q.vector;
    }
    gsl_vector_view gs[3];
    if (k->sigma) {
        gs[0] = gsl_vector_view_array(k->sigma, d);
        gs[1] = gsl_vector_view_array(k->mean, d);
        gs[2] = gsl_vector_view_array(k->sd, d);
        src.visible = PMK_RBM_GAUSSIAN;
        src.sigma = &gs[0].vector, src.std_mean = &gs[1].vector, src.std_sd = &gs[2].vector;
    }
    src.rng_state = k->rng;
    src.rng_size = k->rng_size;
    src.rng_seed = k->rng_seed;
    memcpy(src.rng_type, k->rng_type, sizeof src.rng_type);
    pmk_error e2;
    if (!(*out = pmk_rbm_copy(&src, &e2)))
        return pmk_error_at(r->err, e2.code, r->path, 0, 0, "%s", e2.msg);
    return PMK_OK;
}

/* Version 4: "units binary", or "units gaussian" then sigma, mean and sd. */
static int read_units(pmk_rec_reader *r, size_t d, size_t h, blocks *k)
{
    char *v;
    pmk_rec_set_max(r, 64 + 26 * (d > h ? d : h));   /* read_rng changed it */
    int rc = expect_value(r, "units", "binary|gaussian", &v, NULL);
    if (rc || !strcmp(v, "binary"))
        return rc;
    if (strcmp(v, "gaussian"))
        return pmk_rec_fail(r, PMK_EFORMAT, 2, "units must be binary or gaussian, not '%s'", v);
    if ((rc = read_keyed(r, "sigma", 1, 1, d, &rule_sigma, &k->sigma))
        || (rc = read_keyed(r, "mean", 1, 1, d, &rule_center, &k->mean)))
        return rc;
    return read_keyed(r, "sd", 1, 1, d, &rule_sigma, &k->sd);
}

static int read_body(pmk_rec_reader *r, blocks *k, pmk_rbm **out)
{
    int rc;
    if ((rc = read_magic(r, &k->version)) || (rc = read_dims(r, &k->d, &k->h))
        || (rc = expect_count(r, "epochs", SIZE_MAX / 2, &k->epochs))
        || (k->version >= 2 && (rc = read_transform(r, &k->tf))))
        return rc;
    size_t d = k->d, h = k->h;
    /* A line holds at most max(D, H) numbers of at most 25 characters each. */
    pmk_rec_set_max(r, 64 + 26 * (d > h ? d : h));
    if ((rc = read_keyed(r, "b", 1, 1, d, &rule_bias, &k->b))
        || (rc = read_keyed(r, "a", 1, 1, h, &rule_bias, &k->a))
        || (rc = read_keyed(r, "W", 0, d, h, &rule_weight, &k->W))
        || (rc = expect_count(r, "momentum", SIZE_MAX, &k->mom)))
        return rc;
    if (k->mom > 1)
        return pmk_rec_fail(r, PMK_EFORMAT, 2, "momentum must be 0 or 1, not %zu", k->mom);
    if (k->mom
        && ((rc = read_keyed(r, "db", 1, 1, d, &rule_step, &k->db))
            || (rc = read_keyed(r, "da", 1, 1, h, &rule_step, &k->da))
            || (rc = read_keyed(r, "dW", 0, d, h, &rule_step, &k->dW))))
        return rc;
    if ((rc = read_chains(r, d, h, &k->p, &k->chains)))
        return rc;
    if (k->version >= 3) {
        if ((rc = expect_count(r, "sparsity", SIZE_MAX, &k->sparse)))
            return rc;
        if (k->sparse > 1)
            return pmk_rec_fail(r, PMK_EFORMAT, 2, "sparsity must be 0 or 1, not %zu", k->sparse);
        if ((k->sparse && (rc = read_block(r, "the running means", 1, 1, h, &rule_mean, &k->q)))
            || (rc = read_rng(r, k->rng_type, &k->rng_seed, &k->rng_size, &k->rng)))
            return rc;
    }
    if (k->version >= 4 && (rc = read_units(r, d, h, k)))
        return rc;
    if ((rc = expect_key(r, "end"))
        || (rc = pmk_rec_expect_eof(r, 1)))
        return rc;
    return assemble(r, k, out);
}

int pmk_rbm_read(pmk_instream *in, pmk_rbm **out, pmk_error *err)
{
    pmk_rec_reader r;
    int rc = pmk_rec_open(&r, in, 4096, "unexpected end of file", 0, err);
    if (rc) {
        pmk_rec_close(&r);
        return rc;
    }
    blocks k;
    memset(&k, 0, sizeof k);
    rc = read_body(&r, &k, out);
    blocks_free(&k);
    pmk_rec_close(&r);
    return rc;
}
