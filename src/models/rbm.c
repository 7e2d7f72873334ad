/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm.c: the binary RBM in double precision: allocation, initialisation, the
 * two conditionals, sampling, block Gibbs, free energy and the reconstruction
 * error.  The scores (pseudo-likelihood, log Z) are in rbm_score.c, training
 * in rbm_train.c.
 *
 * Model (Hinton 2010, "A practical guide to training RBMs"; notation of
 * pmk/rbm.h): v in {0,1}^D, h in {0,1}^H, E(v,h) = -v'Wh - b'v - a'h.
 * Summing out h, which factorizes because E is linear in each h_j,
 *   sum_h exp(-E(v,h)) = exp(b'v) prod_j (1 + exp(x_j)),  x = W'v + a,
 * so F(v) = -b'v - sum_j softplus(x_j) and p(h_j = 1 | v) = sigmoid(x_j);
 * symmetrically p(v_i = 1 | h) = sigmoid((Wh + b)_i). */
#include "config.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_blas.h>

#include "pmk/kernels.h"
#include "pmk/limits.h"
#include "pmk/rbm.h"
#include "pmk/threads.h"
#include "models/rbm_internal.h"
#include "models/rbm_rows_internal.h"

/* Clip for the logit of pixel means: keeps biases within +-6.9. */
#define RBM_P_CLIP 0.001

/* Rows in blocks of RBM_BLOCK for the base rates: one gather each. */
#define RBM_BLOCK 256

/* ---------------------------------------------------------------- life cycle */

pmk_rbm *pmk_rbm_alloc(size_t d, size_t h, pmk_error *err)
{
    size_t dh;
    if (d == 0)
        return pmk_error_set(err, PMK_EINVAL, "an RBM needs at least 1 visible unit"), NULL;
    if (h == 0)
        return pmk_error_set(err, PMK_EINVAL, "an RBM needs at least 1 hidden unit"), NULL;
    if (pmk_size_mul(d, h, &dh) || dh > PMK_RBM_MAX_WEIGHTS) {
        pmk_error_set(err, PMK_ELIMIT, "%zu x %zu weights exceed the limit of %zu", d, h,
                      PMK_RBM_MAX_WEIGHTS);
        return NULL;
    }
    /* W, b and a: 8 (D H + D + H) bytes, under the memory ceiling. */
    char what[96];
    snprintf(what, sizeof what, "an RBM of %zu visible x %zu hidden units", d, h);
    if (pmk_mem_check(NULL, 0, 0, rbm_sat_mul(8, rbm_sat_add(dh, rbm_sat_add(d, h))), what,
                      err))
        return NULL;
    pmk_rbm *m = calloc(1, sizeof *m);
    if (!m)
        goto nomem;
    m->d = d;
    m->h = h;
    m->W = gsl_matrix_calloc(d, h);
    m->b = gsl_vector_calloc(d);
    m->a = gsl_vector_calloc(h);
    if (!m->W || !m->b || !m->a)
        goto nomem;
    return m;
nomem:
    pmk_rbm_free(m);
    pmk_error_set(err, PMK_ENOMEM, "out of memory allocating a %zu x %zu RBM", d, h);
    return NULL;
}

static void drop_state(pmk_rbm *m)
{
    gsl_matrix *ms[] = {m->dW, m->chains};
    gsl_vector *vs[] = {m->db, m->da, m->q};
    for (size_t k = 0; k < 3; k++) {
        rbm_matrix_free(k < 2 ? ms[k] : NULL);
        rbm_vector_free(vs[k]);
    }
    free(m->rng_state);
    m->dW = m->chains = NULL;
    m->db = m->da = m->q = NULL;
    m->rng_state = NULL;
    m->rng_size = m->epochs = 0;
    m->rng_seed = 0;
    m->rng_type[0] = '\0';
}

void pmk_rbm_free(pmk_rbm *m)
{
    if (!m)
        return;
    drop_state(m);
    rbm_matrix_free(m->W);
    rbm_vector_free(m->b);
    rbm_vector_free(m->a);
    rbm_vector_free(m->sigma);
    rbm_vector_free(m->std_mean);
    rbm_vector_free(m->std_sd);
    free(m);
}

int pmk_rbm_state_alloc(pmk_rbm *m, int momentum, size_t chains, pmk_error *err)
{
    if (momentum && !m->dW) {
        m->dW = gsl_matrix_alloc(m->d, m->h);
        m->db = gsl_vector_alloc(m->d);
        m->da = gsl_vector_alloc(m->h);
    }
    if (chains && !m->chains)
        m->chains = gsl_matrix_alloc(chains, m->h);
    if ((momentum && (!m->dW || !m->db || !m->da)) || (chains && !m->chains))
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for an RBM's training state");
    return PMK_OK;
}

pmk_rbm *pmk_rbm_copy(const pmk_rbm *m, pmk_error *err)
{
    pmk_rbm *c = m->visible ? pmk_rbm_alloc_gauss(m->d, m->h, err) : pmk_rbm_alloc(m->d, m->h, err);
    if (!c)
        return NULL;
    if (m->visible) {
        gsl_vector_memcpy(c->sigma, m->sigma);
        gsl_vector_memcpy(c->std_mean, m->std_mean);
        gsl_vector_memcpy(c->std_sd, m->std_sd);
    }
    gsl_matrix_memcpy(c->W, m->W);
    gsl_vector_memcpy(c->b, m->b);
    gsl_vector_memcpy(c->a, m->a);
    c->epochs = m->epochs;
    c->transform = m->transform;
    c->transform_known = m->transform_known;
    if (pmk_rbm_state_alloc(c, m->dW != NULL, m->chains ? m->chains->size1 : 0, err)) {
        pmk_rbm_free(c);
        return NULL;
    }
    if (m->dW) {
        gsl_matrix_memcpy(c->dW, m->dW);
        gsl_vector_memcpy(c->db, m->db);
        gsl_vector_memcpy(c->da, m->da);
    }
    if (m->chains)
        gsl_matrix_memcpy(c->chains, m->chains);
    if ((m->q && !(c->q = gsl_vector_alloc(m->h)))
        || (m->rng_state && pmk_rbm_rng_set(c, m->rng_type, m->rng_seed, m->rng_state,
                                            m->rng_size, err))) {
        pmk_error_set(err, PMK_ENOMEM, "out of memory copying an RBM");
        pmk_rbm_free(c);
        return NULL;
    }
    if (m->q)
        gsl_vector_memcpy(c->q, m->q);
    return c;
}

int pmk_rbm_rng_set(pmk_rbm *m, const char *type, unsigned long seed, const void *state,
                    size_t size, pmk_error *err)
{
    unsigned char *s = malloc(size ? size : 1);
    if (!s)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for an RBM's RNG state");
    memcpy(s, state, size);
    free(m->rng_state);
    m->rng_state = s;
    m->rng_size = size;
    m->rng_seed = seed;
    snprintf(m->rng_type, sizeof m->rng_type, "%s", type);
    return PMK_OK;
}

int pmk_rbm_rng_capture(pmk_rbm *m, pmk_rng *r, unsigned long seed, pmk_error *err)
{
    gsl_rng *g = pmk_rng_gsl(r);
    if (gsl_rng_size(g) > PMK_RBM_RNG_STATE_MAX)
        return PMK_OK;   /* too big to record: a resume restarts the stream */
    if (m->rng_state && m->rng_size == gsl_rng_size(g)) {   /* every epoch: no allocation */
        memcpy(m->rng_state, gsl_rng_state(g), m->rng_size);
        m->rng_seed = seed;
        return PMK_OK;
    }
    return pmk_rbm_rng_set(m, gsl_rng_name(g), seed, gsl_rng_state(g), gsl_rng_size(g), err);
}

int pmk_rbm_rng_restore(const pmk_rbm *m, pmk_rng *r, pmk_error *err)
{
    gsl_rng *g = pmk_rng_gsl(r);
    if (strcmp(m->rng_type, gsl_rng_name(g)) || m->rng_size != gsl_rng_size(g))
        return pmk_error_set(err, PMK_EINVAL,
                             "the model's RNG state is of a %s generator (%zu bytes), the run's "
                             "generator is %s (%zu bytes): give --seed to restart the stream",
                             m->rng_type, m->rng_size, gsl_rng_name(g), gsl_rng_size(g));
    memcpy(gsl_rng_state(g), m->rng_state, m->rng_size);
    return PMK_OK;
}

int pmk_rbm_check_data(const pmk_rbm *m, const gsl_matrix *X, pmk_error *err)
{
    if (X->size2 != m->d)
        return pmk_error_set(err, PMK_EDATA,
                             "the data have %zu columns but the model has %zu visible units",
                             X->size2, m->d);
    for (size_t n = 0; n < X->size1; n++) {
        const double *row = gsl_matrix_const_ptr(X, n, 0);
        for (size_t i = 0; i < X->size2; i++)
            if (m->visible ? !isfinite(row[i]) : !(row[i] >= 0.0 && row[i] <= 1.0))
                return pmk_error_set(err, PMK_EDATA,
                                     "row %zu, column %zu: value %.17g is %s", n + 1,
                                     i + 1, row[i], m->visible ? "not finite" : "outside [0,1]");
    }
    return PMK_OK;
}

/* b_i = logit(p_i), p_i = clip(sum_n / N), from the column sums of N rows. */
static void logit_of_means(gsl_vector *b, size_t N)
{
    for (size_t i = 0; i < b->size; i++) {
        double p = gsl_vector_get(b, i) / (double)N;
        if (p < RBM_P_CLIP)
            p = RBM_P_CLIP;
        if (p > 1.0 - RBM_P_CLIP)
            p = 1.0 - RBM_P_CLIP;
        gsl_vector_set(b, i, log(p / (1.0 - p)));
    }
}

/* b += the column sums of X, row after row (the order fixes the rounding). */
static void add_column_sums(const gsl_matrix *X, gsl_vector *b)
{
    for (size_t n = 0; n < X->size1; n++) {
        const double *row = gsl_matrix_const_ptr(X, n, 0);
        for (size_t i = 0; i < b->size; i++)
            b->data[i * b->stride] += row[i];
    }
}

/* b_i = logit(p_i), p_i = clip(mean_n X[n,i]), the base rates (Hinton 2010, sec. 8.1). */
void pmk_rbm_base_rates(const gsl_matrix *X, gsl_vector *b)
{
    gsl_vector_set_zero(b);
    if (!X || X->size1 == 0)
        return;
    add_column_sums(X, b);
    logit_of_means(b, X->size1);
}

/* W_ij ~ N(0, 0.01^2), a = 0; the caller sets b. */
static void init_weights(pmk_rbm *m, pmk_rng *r)
{
    drop_state(m);
    for (size_t i = 0; i < m->d; i++) {
        double *row = gsl_matrix_ptr(m->W, i, 0);
        for (size_t j = 0; j < m->h; j++)
            row[j] = 0.01 * pmk_rng_gaussian(r);
    }
    gsl_vector_set_zero(m->a);
}

int pmk_rbm_init_table(pmk_rbm *m, const pmk_table *t, pmk_rng *r, pmk_error *err)
{
    size_t N = pmk_table_nrows(t), D = pmk_table_nfeatures(t);
    if (D != m->d)
        return pmk_error_set(err, PMK_EDATA,
                             "the data have %zu columns but the model has %zu visible units", D,
                             m->d);
    if (N == 0)
        return pmk_error_set(err, PMK_EDATA, "no training rows");
    gsl_vector *b = gsl_vector_calloc(D);
    gsl_matrix *B = gsl_matrix_alloc(N < RBM_BLOCK ? N : RBM_BLOCK, D);
    int rc = !b || !B ? pmk_error_set(err, PMK_ENOMEM, "out of memory for the base rates") : 0;
    for (size_t n0 = 0; n0 < N && !rc; n0 += RBM_BLOCK) {
        size_t nb = N - n0 < RBM_BLOCK ? N - n0 : RBM_BLOCK;
        size_t rows[RBM_BLOCK];
        for (size_t k = 0; k < nb; k++)
            rows[k] = n0 + k;
        if (!(rc = pmk_table_gather(t, rows, nb, B, err))) {
            gsl_matrix_view Bv = gsl_matrix_submatrix(B, 0, 0, nb, D);
            add_column_sums(&Bv.matrix, b);
        }
    }
    if (!rc) {
        logit_of_means(b, N);
        init_weights(m, r);
        gsl_vector_memcpy(m->b, b);
    }
    rbm_vector_free(b);
    rbm_matrix_free(B);
    return rc;
}

int pmk_rbm_init(pmk_rbm *m, const gsl_matrix *X, pmk_rng *r, pmk_error *err)
{
    if (X) {
        int rc = pmk_rbm_check_data(m, X, err);
        if (rc)
            return rc;
    }
    init_weights(m, r);
    pmk_rbm_base_rates(m->visible ? NULL : X, m->b);   /* Gaussian: b = 0, standardised data */
    return PMK_OK;
}

/* ---------------------------------------------------------------- transform */

int pmk_rbm_check_transform(const pmk_rbm *m, const pmk_transform *asked, pmk_error *err)
{
    const pmk_transform *tf = &m->transform;
    if (!m->transform_known || !asked)
        return PMK_OK;
    return pmk_transform_agrees(tf, asked, "trained", err);
}

int pmk_rbm_transform_for(const pmk_rbm *m, const pmk_data_stats *stats,
                          const pmk_transform *asked, pmk_transform *out, pmk_error *err)
{
    if (m && m->transform_known) {
        int rc = pmk_rbm_check_transform(m, asked, err);
        if (!rc)
            *out = m->transform;
        return rc;
    }
    pmk_transform tf;
    pmk_transform_init(&tf);
    if (asked && asked->scale > 0)
        tf.scale = asked->scale;
    else if (stats)
        pmk_transform_auto(stats, &tf);
    tf.threshold = asked ? asked->threshold : 0.0;
    tf.check01 = 1;
    int rc = pmk_transform_check(&tf, err);
    if (!rc)
        *out = tf;
    return rc;
}

int pmk_rbm_read_data(const pmk_rbm *m, const char *path, const pmk_data_options *o,
                      const pmk_transform *asked, pmk_table **out, gsl_matrix **X,
                      pmk_error *err)
{
    pmk_table *t = NULL;
    gsl_matrix *A = NULL;
    pmk_transform tf;
    int rc = pmk_data_read_all(path, o, &t, err);
    size_t N = rc ? 0 : pmk_table_nrows(t), D = rc ? 0 : pmk_table_nfeatures(t);
    if (!rc && m && D != m->d)
        rc = pmk_error_set(err, PMK_EDATA,
                           "%s: the data have %zu feature columns but the model has %zu "
                           "visible units", path, D, m->d);
    if (!rc && !(rc = pmk_rbm_transform_for(m, pmk_table_stats(t), asked, &tf, err)))
        rc = pmk_table_set_transform(t, &tf, err);
    if (!rc && X && !(A = gsl_matrix_alloc(N, D)))
        rc = pmk_error_set(err, PMK_ENOMEM, "%s: out of memory for %zu x %zu values", path, N, D);
    if (!rc && X && !(rc = pmk_table_gather(t, NULL, N, A, err)))
        rc = pmk_rbm_standardise(m, A, 0, err);
    if (rc) {
        pmk_table_free(t);
        rbm_matrix_free(A);
        return rc;
    }
    *out = t;
    if (X)
        *X = A;
    return PMK_OK;
}

/* ---------------------------------------------------------------- conditionals */

/* The input X has @p cols columns (the layer @p layer of the model) and the
 * output Y is X's rows by @p out_cols. */
int rbm_check_shapes(const gsl_matrix *X, size_t cols, const char *layer, const gsl_matrix *Y,
                     size_t out_cols, pmk_error *err)
{
    if (X->size2 != cols)
        return pmk_error_set(err, PMK_EINVAL,
                             "the input has %zu columns but the model has %zu %s units",
                             X->size2, cols, layer);
    if (Y && (Y->size1 != X->size1 || Y->size2 != out_cols))
        return pmk_error_set(err, PMK_EINVAL, "the output is %zu x %zu, expected %zu x %zu",
                             Y->size1, Y->size2, X->size1, out_cols);
    return PMK_OK;
}

/* Y <- sigmoid(X op(W) + c), row by row: the two conditionals.
 *   hidden:  X = V (N x D), op(W) = W (D x H), c = a, Y N x H;
 *   visible: X = Hs (N x H), op(W) = W' (H x D), c = b, Y N x D. */
int rbm_conditional(const pmk_rbm *m, int hidden, const gsl_matrix *X, gsl_matrix *Y,
                    pmk_error *err)
{
    int rc = hidden ? rbm_check_shapes(X, m->d, "visible", Y, m->h, err)
                    : rbm_check_shapes(X, m->h, "hidden", Y, m->d, err);
    gsl_matrix *U = NULL;   /* Gaussian units: the hidden layer sees v / s */
    if (rc || (hidden && (rc = rbm_gauss_scaled(m, X, &U, err))))
        return rc;
    rc = pmk_gemm(CblasNoTrans, hidden ? CblasNoTrans : CblasTrans, 1.0, U ? U : X, m->W, 0.0, Y);
    rbm_matrix_free(U);
    if (rc)
        return pmk_error_set(err, rc, "%s", pmk_strerror(rc));
    const gsl_vector *c = hidden ? m->a : m->b;
    for (size_t n = 0; n < Y->size1; n++) {
        double *row = gsl_matrix_ptr(Y, n, 0);
        for (size_t k = 0; k < Y->size2; k++)
            row[k] = hidden ? pmk_sigmoid(row[k] + c->data[k * c->stride])
                            : rbm_visible_mean(m, k, row[k]);
    }
    return PMK_OK;
}

/* One block of rbm_hidden_rows: p(h | v) of its rows, drawn unless key is NULL. */
typedef struct hidden_job {
    const pmk_rbm *m;
    const gsl_matrix *V;
    gsl_matrix *Y;
    const rbm_key *key;
} hidden_job;

static int hidden_block(void *ctx, size_t n0, size_t nb, double *ws, double *part)
{
    const hidden_job *j = ctx;
    gsl_matrix_const_view Vb = gsl_matrix_const_submatrix(j->V, n0, 0, nb, j->m->d);
    gsl_matrix_view Yb = gsl_matrix_submatrix(j->Y, n0, 0, nb, j->m->h);
    int rc = rbm_conditional(j->m, 1, &Vb.matrix, &Yb.matrix, NULL);
    if (!rc && j->key)
        rbm_bernoulli_rows(&Yb.matrix, j->key, RBM_ROWS_DOM_HIDDEN, n0);
    return rc;
}

int rbm_hidden_rows(const pmk_rbm *m, const gsl_matrix *V, const rbm_key *key, int threads,
                    gsl_matrix *Y, pmk_error *err)
{
    hidden_job j = {m, V, Y, key};
    int rc = rbm_check_shapes(V, m->d, "visible", Y, m->h, err);
    if (!rc && (rc = rbm_rows_run(V->size1, threads, 0, 0, hidden_block, &j, NULL)))
        pmk_error_set(err, rc, "hidden units: %s", pmk_strerror(rc));
    return rc;
}

int pmk_rbm_hidden_prob_threads(const pmk_rbm *m, const gsl_matrix *V, int threads,
                                gsl_matrix *P, pmk_error *err)
{
    return rbm_hidden_rows(m, V, NULL, threads, P, err);
}

int pmk_rbm_hidden_prob(const pmk_rbm *m, const gsl_matrix *V, gsl_matrix *P, pmk_error *err)
{
    return rbm_hidden_rows(m, V, NULL, 1, P, err);
}

int pmk_rbm_visible_prob(const pmk_rbm *m, const gsl_matrix *Hs, gsl_matrix *P, pmk_error *err)
{
    return rbm_conditional(m, 0, Hs, P, err);
}

int pmk_rbm_sample_hidden_threads(const pmk_rbm *m, const gsl_matrix *V, int threads,
                                  gsl_matrix *S, pmk_rng *r, pmk_error *err)
{
    rbm_key key;
    int rc = rbm_check_shapes(V, m->d, "visible", S, m->h, err);
    if (rc)
        return rc;
    rbm_key_draw(r, &key);
    return rbm_hidden_rows(m, V, &key, threads, S, err);
}

int pmk_rbm_sample_hidden(const pmk_rbm *m, const gsl_matrix *V, gsl_matrix *S, pmk_rng *r,
                          pmk_error *err)
{
    return pmk_rbm_sample_hidden_threads(m, V, 1, S, r, err);
}

int pmk_rbm_sample_visible(const pmk_rbm *m, const gsl_matrix *Hs, gsl_matrix *S, pmk_rng *r,
                           pmk_error *err)
{
    int rc = rbm_conditional(m, 0, Hs, S, err);
    return rc ? rc : rbm_visible_draw(m, S, r, err);
}

int pmk_rbm_gibbs(const pmk_rbm *m, gsl_matrix *V, size_t steps, gsl_matrix *mean, pmk_rng *r,
                  pmk_error *err)
{
    int rc = rbm_check_shapes(V, m->d, "visible", mean, m->d, err);
    if (rc)
        return rc;
    gsl_matrix *Hs = gsl_matrix_alloc(V->size1, m->h);
    if (!Hs)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu Gibbs chains", V->size1);
    for (size_t s = 0; s < steps && !rc; s++) {
        rc = pmk_rbm_sample_hidden(m, V, Hs, r, err);
        if (!rc)
            rc = rbm_conditional(m, 0, Hs, V, err);
        if (!rc && mean && s + 1 == steps)
            gsl_matrix_memcpy(mean, V);
        if (!rc)
            rc = rbm_visible_draw(m, V, r, err);
    }
    gsl_matrix_free(Hs);
    return rc;
}

/* ---------------------------------------------------------------- free energy */

/* The row-parallel figures: one block of rows each call (rbm_rows_run). */
typedef struct fig_job {
    const pmk_rbm *m;
    const gsl_matrix *V;
    gsl_vector *F;        /* free energies (may be NULL) */
    const rbm_key *key;   /* recon: the hidden draws */
} fig_job;

/* F(v) = -b'v - sum_j softplus((W'v + a)_j) for each row, through X = V W
 * (one GEMM of nb x D by D x H); part[0] the block's total. */
static int fe_block(void *ctx, size_t n0, size_t nb, double *ws, double *part)
{
    const fig_job *j = ctx;
    const pmk_rbm *m = j->m;
    gsl_matrix_const_view Vb = gsl_matrix_const_submatrix(j->V, n0, 0, nb, m->d);
    gsl_matrix_view Xb = gsl_matrix_view_array(ws, nb, m->h);
    gsl_matrix *U = NULL;   /* Gaussian units: (v / s) W */
    int rc = rbm_gauss_scaled(m, &Vb.matrix, &U, NULL);
    if (!rc)
        rc = pmk_gemm(CblasNoTrans, CblasNoTrans, 1.0, U ? U : &Vb.matrix, m->W, 0.0, &Xb.matrix);
    rbm_matrix_free(U);
    for (size_t n = 0; n < nb && !rc; n++) {
        const double *v = gsl_matrix_const_ptr(&Vb.matrix, n, 0);
        const double *x = gsl_matrix_const_ptr(&Xb.matrix, n, 0);
        double f = rbm_visible_energy(m, v);
        for (size_t k = 0; k < m->h; k++)
            f -= pmk_softplus(x[k] + m->a->data[k * m->a->stride]);
        if (j->F)
            gsl_vector_set(j->F, n0 + n, f);
        part[0] += f;
    }
    return rc;
}

int rbm_free_energy_rows(const pmk_rbm *m, const gsl_matrix *V, int threads, gsl_vector *F,
                         double *sum, pmk_error *err)
{
    int rc = rbm_check_shapes(V, m->d, "visible", NULL, 0, err);
    if (rc)
        return rc;
    if (F && F->size != V->size1)
        return pmk_error_set(err, PMK_EINVAL, "the output has %zu entries, expected %zu",
                             F->size, V->size1);
    fig_job j = {m, V, F, NULL};
    if ((rc = rbm_rows_run(V->size1, threads, RBM_ROWS_BLOCK * m->h, 1, fe_block, &j, sum)))
        pmk_error_set(err, rc, "free energy: %s", pmk_strerror(rc));
    return rc;
}

int pmk_rbm_free_energy(const pmk_rbm *m, const gsl_matrix *V, gsl_vector *F, pmk_error *err)
{
    double sum;
    return rbm_free_energy_rows(m, V, 1, F, &sum, err);
}

int pmk_rbm_mean_free_energy(const pmk_rbm *m, const gsl_matrix *V, double *out,
                             pmk_error *err)
{
    double sum;
    int rc = rbm_free_energy_rows(m, V, 1, NULL, &sum, err);
    if (!rc)
        *out = V->size1 ? sum / (double)V->size1 : NAN;
    return rc;
}

/* part[0..H-1] <- the column sums of p(h | v) over the block's rows, in order. */
static int means_block(void *ctx, size_t n0, size_t nb, double *ws, double *part)
{
    const fig_job *j = ctx;
    gsl_matrix_const_view Vb = gsl_matrix_const_submatrix(j->V, n0, 0, nb, j->m->d);
    gsl_matrix_view Pb = gsl_matrix_view_array(ws, nb, j->m->h);
    gsl_vector_view sums = gsl_vector_view_array(part, j->m->h);
    int rc = rbm_conditional(j->m, 1, &Vb.matrix, &Pb.matrix, NULL);
    if (!rc)
        add_column_sums(&Pb.matrix, &sums.vector);
    return rc;
}

int pmk_rbm_hidden_means_threads(const pmk_rbm *m, const gsl_matrix *V, int threads,
                                 gsl_vector *M, pmk_error *err)
{
    if (M->size != m->h)
        return pmk_error_set(err, PMK_EINVAL, "the means have %zu entries, expected %zu",
                             M->size, m->h);
    int rc = rbm_check_shapes(V, m->d, "visible", NULL, 0, err);
    if (rc || V->size1 == 0) {
        gsl_vector_set_all(M, NAN);
        return rc;
    }
    fig_job j = {m, V, NULL, NULL};
    double *sums = malloc(m->h * sizeof *sums);
    if (!sums)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for the hidden means");
    if ((rc = rbm_rows_run(V->size1, threads, RBM_ROWS_BLOCK * m->h, m->h, means_block, &j, sums)))
        pmk_error_set(err, rc, "hidden means: %s", pmk_strerror(rc));
    for (size_t k = 0; k < m->h && !rc; k++)
        gsl_vector_set(M, k, sums[k] / (double)V->size1);
    free(sums);
    return rc;
}

int pmk_rbm_hidden_means(const pmk_rbm *m, const gsl_matrix *V, gsl_vector *M, pmk_error *err)
{
    return pmk_rbm_hidden_means_threads(m, V, 1, M, err);
}

/* ---------------------------------------------------------------- monitoring */

/* part[0] <- sum over the block's rows of |v - p(v | h)|^2, h ~ p(h | v) from
 * row n's stream (key, RBM_ROWS_DOM_RECON, n); ws: nb x H then nb x D. */
static int recon_block(void *ctx, size_t n0, size_t nb, double *ws, double *part)
{
    const fig_job *j = ctx;
    const pmk_rbm *m = j->m;
    gsl_matrix_const_view Vb = gsl_matrix_const_submatrix(j->V, n0, 0, nb, m->d);
    gsl_matrix_view Hb = gsl_matrix_view_array(ws, nb, m->h);
    gsl_matrix_view Pb = gsl_matrix_view_array(ws + nb * m->h, nb, m->d);
    int rc = rbm_conditional(m, 1, &Vb.matrix, &Hb.matrix, NULL);
    if (!rc) {
        rbm_bernoulli_rows(&Hb.matrix, j->key, RBM_ROWS_DOM_RECON, n0);
        rc = rbm_conditional(m, 0, &Hb.matrix, &Pb.matrix, NULL);
    }
    for (size_t n = 0; n < nb && !rc; n++) {
        const double *v = gsl_matrix_const_ptr(&Vb.matrix, n, 0);
        const double *p = gsl_matrix_const_ptr(&Pb.matrix, n, 0);
        for (size_t i = 0; i < m->d; i++)
            part[0] += (v[i] - p[i]) * (v[i] - p[i]);
    }
    return rc;
}

int rbm_recon_error_rows(const pmk_rbm *m, const gsl_matrix *V, pmk_rng *r, int threads,
                         double *out, pmk_error *err)
{
    int rc = rbm_check_shapes(V, m->d, "visible", NULL, 0, err);
    if (rc)
        return rc;
    if (V->size1 == 0) {
        *out = NAN;
        return PMK_OK;
    }
    rbm_key key;
    rbm_key_draw(r, &key);
    fig_job j = {m, V, NULL, &key};
    double sum;
    if ((rc = rbm_rows_run(V->size1, threads, RBM_ROWS_BLOCK * (m->h + m->d), 1, recon_block, &j,
                           &sum)))
        return pmk_error_set(err, rc, "reconstruction error: %s", pmk_strerror(rc));
    *out = sum / (double)V->size1;
    return PMK_OK;
}

int pmk_rbm_recon_error(const pmk_rbm *m, const gsl_matrix *V, pmk_rng *r, double *out,
                        pmk_error *err)
{
    return rbm_recon_error_rows(m, V, r, 1, out, err);
}

int pmk_rbm_recon_error_threads(const pmk_rbm *m, const gsl_matrix *V, int threads, pmk_rng *r,
                                double *out, pmk_error *err)
{
    if (pmk_threads_check(threads, err))
        return PMK_EINVAL;
    return rbm_recon_error_rows(m, V, r, threads, out, err);
}
