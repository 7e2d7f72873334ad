/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_gauss.c: Gaussian visible units: the standardisation, the hooks the
 * binary RBM's code calls where the units differ, and the trainer's float
 * kernels.  Log Z (exact and AIS) is in rbm_gauss_score.c.
 *
 * Model (Hinton & Salakhutdinov 2006, supporting notes; Cho, Ilin & Raiko
 * 2011, "Improved learning of Gaussian-Bernoulli RBMs", eq. 1-3; Melchior,
 * Wang & Wiskott 2017 / PyDeep's GaussianBinaryVarianceRBM), v real in R^D,
 * h in {0,1}^H, s_i > 0:
 *   E(v,h) = sum_i (v_i - b_i)^2 / (2 s_i^2) - sum_ij (v_i / s_i) W_ij h_j - a'h,
 *   p(h_j = 1 | v) = sigmoid(a_j + sum_i W_ij v_i / s_i),
 *   p(v_i | h)     = N(b_i + s_i sum_j W_ij h_j, s_i^2),
 *   F(v) = sum_i (v_i - b_i)^2 / (2 s_i^2) - sum_j softplus(a_j + sum_i W_ij v_i / s_i).
 * The data are standardised per feature first (z = (S x - mean) / sd, the
 * model file records mean and sd beside the scale S), so s = 1 fits them
 * (Hinton 2010, sec. 13.2) and by default training keeps s = 1: the CD
 * gradients are then those of the binary RBM with v real, and only the
 * visible layer's mean (b + Wh, no sigmoid) and draw (mean + N(0,1)) change.
 *
 * Training with s (fixed but not 1, or learned): in u = v / s the chain is
 * that of s = 1 with visible bias c = b / s (p(u | h) = N(c + Wh, 1),
 * p(h | u) = sigmoid(a + W'u)), so the trainer scales each minibatch by 1 / s
 * and runs its s = 1 code; the gradients of log p(v), <.>_0 over the data
 * (h given v: p(h|v)) and <.>_k over the chains' samples, are
 *   dW_ij: <u_i h_j>_0 - <u_i h_j>_k,      da_j: <h_j>_0 - <h_j>_k,
 *   db_i:  (<u_i>_0 - <u_i>_k) / s_i,
 *   d log s_i: <(u_i - c_i)^2 - u_i (W h)_i>_0 - <same>_k
 * (-dE/dlog s_i = (v_i - b_i)^2 / s_i^2 - (v_i / s_i) (Wh)_i; Cho, Ilin &
 * Raiko 2011 eq. 6 learn log s^2, PyDeep log s likewise).  With
 * CD's last visible state is the mean of p(u | h) (as for dW), so its
 * (u - c)^2 gets the unit variance it lacks, E[(u - c)^2 | h] = (Wh)^2 + 1.
 * With learn_sigma, s_i <- s_i exp(eps d log s_i) after each minibatch (plain
 * steps, no momentum or weight cost, s kept within [0.01, 100]), which
 * keeps s itself, not its log, as the state, so a resumed run is exact. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/kernels.h"
#include "pmk/rbm.h"
#include "models/rbm_internal.h"

/* The standardisation's floor relative to the largest variance: Gaussian
 * naive Bayes' default var_smoothing (scikit-learn's, pmk/gnb.h). */
#define RBM_VAR_SMOOTHING 1e-9

pmk_rbm *pmk_rbm_alloc_gauss(size_t d, size_t h, pmk_error *err)
{
    pmk_rbm *m = pmk_rbm_alloc(d, h, err);
    if (!m)
        return NULL;
    m->visible = PMK_RBM_GAUSSIAN;
    m->sigma = gsl_vector_alloc(d);
    m->std_mean = gsl_vector_calloc(d);
    m->std_sd = gsl_vector_alloc(d);
    if (!m->sigma || !m->std_mean || !m->std_sd) {
        pmk_rbm_free(m);
        pmk_error_set(err, PMK_ENOMEM, "out of memory allocating a %zu x %zu RBM", d, h);
        return NULL;
    }
    gsl_vector_set_all(m->sigma, 1.0);
    gsl_vector_set_all(m->std_sd, 1.0);
    return m;
}

int pmk_rbm_options_set_visible(pmk_rbm_options *o, const char *name, pmk_error *err)
{
    if (!strcmp(name, "binary"))
        o->visible = PMK_RBM_BINARY;
    else if (!strcmp(name, "gaussian"))
        o->visible = PMK_RBM_GAUSSIAN;
    else
        return pmk_error_set(err, PMK_EINVAL, "unknown visible units '%s' (binary or gaussian)",
                             name);
    return PMK_OK;
}

/* ---------------------------------------------------------------- standardisation */

int pmk_rbm_fit_standardisation(pmk_rbm *m, const pmk_table *t, pmk_error *err)
{
    enum { BLOCK = 256 };
    size_t N = pmk_table_nrows(t), D = m->d;
    if (!m->visible)
        return pmk_error_set(err, PMK_EINVAL, "a binary RBM has no standardisation");
    if (pmk_table_nfeatures(t) != D)
        return pmk_error_set(err, PMK_EDATA,
                             "the data have %zu columns but the model has %zu visible units",
                             pmk_table_nfeatures(t), D);
    if (N == 0)
        return pmk_error_set(err, PMK_EDATA, "no training rows");
    gsl_matrix *B = gsl_matrix_alloc(N < BLOCK ? N : BLOCK, D);
    double *s1 = calloc(2 * D, sizeof *s1), *s2 = s1 ? s1 + D : NULL;
    int rc = !B || !s1 ? pmk_error_set(err, PMK_ENOMEM, "out of memory for the standardisation")
                       : PMK_OK;
    /* two passes (mean, then the centred squares): no cancellation */
    for (int pass = 0; pass < 2 && !rc; pass++)
        for (size_t n0 = 0; n0 < N && !rc; n0 += BLOCK) {
            size_t nb = N - n0 < BLOCK ? N - n0 : BLOCK, rows[BLOCK];
            for (size_t k = 0; k < nb; k++)
                rows[k] = n0 + k;
            if ((rc = pmk_table_gather(t, rows, nb, B, err)))
                break;
            for (size_t k = 0; k < nb; k++) {
                const double *x = gsl_matrix_const_ptr(B, k, 0);
                for (size_t i = 0; i < D; i++) {
                    double c = pass ? x[i] - s1[i] : x[i];
                    (pass ? s2 : s1)[i] += pass ? c * c : c;
                }
            }
            if (pass == 0 && n0 + nb == N)
                for (size_t i = 0; i < D; i++)
                    s1[i] /= (double)N;
        }
    if (!rc) {
        double vmax = 0.0;
        for (size_t i = 0; i < D; i++)
            vmax = fmax(vmax, s2[i] / (double)N);
        for (size_t i = 0; i < D; i++) {
            double var = s2[i] / (double)N + RBM_VAR_SMOOTHING * vmax;
            gsl_vector_set(m->std_mean, i, s1[i]);
            gsl_vector_set(m->std_sd, i, var > 0.0 ? sqrt(var) : 1.0);
        }
    }
    rbm_matrix_free(B);
    free(s1);
    return rc;
}

int pmk_rbm_standardise(const pmk_rbm *m, gsl_matrix *X, int inverse, pmk_error *err)
{
    if (!m || !m->visible)
        return PMK_OK;
    if (X->size2 != m->d)
        return pmk_error_set(err, PMK_EINVAL, "the input has %zu columns but the model has %zu "
                             "visible units", X->size2, m->d);
    for (size_t n = 0; n < X->size1; n++) {
        double *x = gsl_matrix_ptr(X, n, 0);
        for (size_t i = 0; i < m->d; i++) {
            double mu = gsl_vector_get(m->std_mean, i), sd = gsl_vector_get(m->std_sd, i);
            x[i] = inverse ? x[i] * sd + mu : (x[i] - mu) / sd;
        }
    }
    return PMK_OK;
}

void rbm_standardise_f(const pmk_rbm *m, float *rows, size_t n)
{
    if (!m || !m->visible)
        return;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < m->d; i++)
            rows[k * m->d + i] = (float)(((double)rows[k * m->d + i]
                                          - gsl_vector_get(m->std_mean, i))
                                         / gsl_vector_get(m->std_sd, i));
}

double pmk_rbm_log_jacobian(const pmk_rbm *m)
{
    if (!m->visible)
        return 0.0;
    double scale = m->transform_known ? m->transform.scale : 1.0, lj = 0.0;
    for (size_t i = 0; i < m->d; i++)
        lj += log(scale / gsl_vector_get(m->std_sd, i));
    return lj;
}

int pmk_rbm_read_data_gauss(const char *path, const pmk_data_options *o,
                            const pmk_transform *asked, pmk_table **out, pmk_error *err)
{
    if (asked && asked->threshold > 0)
        return pmk_error_set(err, PMK_EINVAL, "Gaussian visible units take real values: "
                             "binarizing does not apply");
    pmk_table *t = NULL;
    pmk_transform tf;
    pmk_transform_init(&tf);
    int rc = pmk_data_read_all(path, o, &t, err);
    if (!rc) {
        if (asked && asked->scale > 0)
            tf.scale = asked->scale;
        else
            pmk_transform_auto(pmk_table_stats(t), &tf);
        rc = pmk_table_set_transform(t, &tf, err);
    }
    if (rc) {
        pmk_table_free(t);
        return rc;
    }
    *out = t;
    return PMK_OK;
}

/* ---------------------------------------------------------------- hooks */

int rbm_gauss_scaled(const pmk_rbm *m, const gsl_matrix *V, gsl_matrix **U, pmk_error *err)
{
    *U = NULL;
    int ones = 1;
    for (size_t i = 0; m->visible && i < m->d && ones; i++)
        ones = gsl_vector_get(m->sigma, i) == 1.0;
    if (ones || V->size1 == 0)
        return PMK_OK;
    if (!(*U = gsl_matrix_alloc(V->size1, V->size2)))
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu scaled rows", V->size1);
    for (size_t n = 0; n < V->size1; n++)
        for (size_t i = 0; i < m->d; i++)
            gsl_matrix_set(*U, n, i, gsl_matrix_get(V, n, i) / gsl_vector_get(m->sigma, i));
    return PMK_OK;
}

double rbm_visible_energy(const pmk_rbm *m, const double *v)
{
    double e = 0.0;
    for (size_t i = 0; i < m->d; i++) {
        double b = gsl_vector_get(m->b, i);
        if (m->visible) {
            double z = (v[i] - b) / gsl_vector_get(m->sigma, i);
            e += 0.5 * z * z;
        } else {
            e -= b * v[i];
        }
    }
    return e;
}

double rbm_visible_mean(const pmk_rbm *m, size_t i, double x)
{
    double b = gsl_vector_get(m->b, i);
    return m->visible ? b + gsl_vector_get(m->sigma, i) * x : pmk_sigmoid(x + b);
}

int rbm_visible_draw(const pmk_rbm *m, gsl_matrix *S, pmk_rng *r, pmk_error *err)
{
    if (m->visible) {
        for (size_t n = 0; n < S->size1; n++) {
            double *s = gsl_matrix_ptr(S, n, 0);
            for (size_t i = 0; i < S->size2; i++)
                s[i] += gsl_vector_get(m->sigma, i) * pmk_rng_gaussian(r);
        }
        return PMK_OK;
    }
    int rc = pmk_bernoulli_sample(S, S, r);
    return rc ? pmk_error_set(err, rc, "sampling: %s", pmk_strerror(rc)) : PMK_OK;
}

int rbm_gauss_train_check(const pmk_rbm *m, const pmk_rbm_options *o, pmk_error *err)
{
    if (o->learn_sigma && !m->visible)
        return pmk_error_set(err, PMK_EINVAL, "learning s needs Gaussian visible units");
    if (m->visible && o->temperatures)
        return pmk_error_set(err, PMK_EINVAL, "parallel tempering is not available for Gaussian "
                             "visible units (use --trainer cd or pcd)");
    return PMK_OK;
}

/* ---------------------------------------------------------------- the trainer's s */

rbm_sigma_f *rbm_sigma_alloc(const pmk_rbm *m, const pmk_rbm_options *o, size_t rows, int *bad)
{
    int ones = 1;
    for (size_t i = 0; m->visible && i < m->d; i++)
        ones &= gsl_vector_get(m->sigma, i) == 1.0;
    if (!m->visible || (ones && !o->learn_sigma))
        return NULL;
    rbm_sigma_f *g = calloc(1, sizeof *g);
    if (!g || !(g->s = malloc(3 * m->d * sizeof(float)))
        || (o->learn_sigma && !(g->WP = gsl_matrix_float_alloc(rows, m->d)))) {
        *bad = 1;
        return g;
    }
    g->d = m->d;
    g->learn = o->learn_sigma;
    g->c = g->s + m->d;
    g->g = g->c + m->d;
    for (size_t i = 0; i < m->d; i++) {
        g->s[i] = (float)gsl_vector_get(m->sigma, i);
        g->g[i] = 0.0f;
    }
    return g;
}

void rbm_sigma_free(rbm_sigma_f *g)
{
    if (!g)
        return;
    if (g->WP)
        gsl_matrix_float_free(g->WP);
    free(g->s);
    free(g);
}

void rbm_sigma_begin(rbm_sigma_f *g, const gsl_vector_float *b, gsl_matrix_float *V0, size_t n)
{
    for (size_t i = 0; i < g->d; i++)
        g->c[i] = b->data[i] / g->s[i];
    for (size_t r = 0; r < n; r++) {
        float *v = gsl_matrix_float_ptr(V0, r, 0);
        for (size_t i = 0; i < g->d; i++)
            v[i] /= g->s[i];
    }
}

int rbm_sigma_grad(rbm_sigma_f *g, const gsl_matrix_float *W, const gsl_matrix_float *U,
                   const gsl_matrix_float *P, size_t n, float sign, int mean)
{
    gsl_matrix_float_view WP = gsl_matrix_float_submatrix(g->WP, 0, 0, n, g->d);
    int rc = pmk_gemm_float(CblasNoTrans, CblasTrans, 1.0f, P, W, 0.0f, &WP.matrix);
    for (size_t r = 0; r < n && !rc; r++) {
        const float *u = gsl_matrix_float_const_ptr(U, r, 0);
        const float *wp = gsl_matrix_float_const_ptr(&WP.matrix, r, 0);
        for (size_t i = 0; i < g->d; i++) {
            float z = u[i] - g->c[i];
            g->g[i] += sign / (float)n * (z * z + (float)mean - u[i] * wp[i]);
        }
    }
    return rc;
}

void rbm_sigma_update(rbm_sigma_f *g, float eps)
{
    for (size_t i = 0; i < g->d; i++) {
        float s = g->s[i] * expf(eps * g->g[i]);
        g->s[i] = s < 0.01f ? 0.01f : s > 100.0f ? 100.0f : s;
        g->g[i] = 0.0f;
    }
}

void rbm_sigma_sync(const rbm_sigma_f *g, pmk_rbm *m)
{
    for (size_t i = 0; i < g->d; i++)
        gsl_vector_set(m->sigma, i, g->s[i]);
}

/* ---------------------------------------------------------------- float kernels */

void rbm_add_bias_row_f(float *y, const float *c, size_t k)
{
    for (size_t j = 0; j < k; j++)
        y[j] += c[j];
}

/* Box-Muller (Box & Muller 1958) on two 24-bit uniforms per draw: u1 in
 * (0,1] keeps the log finite; z = sqrt(-2 ln u1) cos(2 pi u2) ~ N(0,1).
 * Entries j and j + 1 take lanes 0-1 and 2-3 of one four-lane draw. */
void rbm_gauss_draw_row_f(const float *mu, float *s, size_t k, xo4 *x)
{
    for (size_t j = 0; j < k; j += 2) {
        rbm_v4su u = xo4_next(x) >> 8;
        for (size_t l = 0; l < 2 && j + l < k; l++) {
            double u1 = (double)(u[2 * l] + 1) * 0x1p-24, u2 = (double)u[2 * l + 1] * 0x1p-24;
            s[j + l] = mu[j + l] + (float)(sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2));
        }
    }
}
