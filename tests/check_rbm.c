/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_rbm.c: the binary RBM against brute force over every state of tiny
 * models, a CD-1 step worked by hand, sampling frequencies within stated
 * binomial bounds, AIS against the exact log Z, file round trips, and the
 * exact message for each bad input. */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_pmk.h"
#include "pmk/pmk.h"
#include "models/rbm_internal.h"

/* ---------------------------------------------------------------- helpers */

/* A D x H model with W ~ N(0, scale^2), b, a ~ N(0, 1), from seed. */
static pmk_rbm *random_model(size_t d, size_t h, double scale, unsigned long seed)
{
    pmk_rbm *m = pmk_rbm_alloc(d, h, NULL);
    ck_assert_ptr_nonnull(m);
    pmk_rng *r = pmk_rng_alloc(NULL, seed);
    for (size_t i = 0; i < d; i++)
        for (size_t j = 0; j < h; j++)
            gsl_matrix_set(m->W, i, j, scale * pmk_rng_gaussian(r));
    for (size_t i = 0; i < d; i++)
        gsl_vector_set(m->b, i, pmk_rng_gaussian(r));
    for (size_t j = 0; j < h; j++)
        gsl_vector_set(m->a, j, pmk_rng_gaussian(r));
    pmk_rng_free(r);
    return m;
}

/* Row vector of the bits of s (bit k -> entry k). */
static void bits(size_t s, double *x, size_t n)
{
    for (size_t k = 0; k < n; k++)
        x[k] = (double)((s >> k) & 1u);
}

/* -E(v,h) = v'Wh + b'v + a'h, straight from the definition. */
static double neg_energy(const pmk_rbm *m, const double *v, const double *h)
{
    double e = 0.0;
    for (size_t i = 0; i < m->d; i++) {
        e += gsl_vector_get(m->b, i) * v[i];
        for (size_t j = 0; j < m->h; j++)
            e += v[i] * gsl_matrix_get(m->W, i, j) * h[j];
    }
    for (size_t j = 0; j < m->h; j++)
        e += gsl_vector_get(m->a, j) * h[j];
    return e;
}

/* log sum_h exp(-E(v,h)) over all 2^H hidden states, by direct summation. */
static double brute_log_marginal_v(const pmk_rbm *m, const double *v)
{
    double hv[32], terms[1 << 12];
    size_t ns = (size_t)1 << m->h;
    for (size_t s = 0; s < ns; s++) {
        bits(s, hv, m->h);
        terms[s] = neg_energy(m, v, hv);
    }
    return pmk_logsumexp(terms, ns, 1);
}

/* ---------------------------------------------------------------- conditionals */

/* p(h|v) = exp(-E(v,h)) / sum_h' exp(-E(v,h')) from the joint, for every v and
 * every h of a D=4, H=3 model, against the product of sigmoids the library
 * computes, prod_j p_j^h_j (1-p_j)^(1-h_j); and the same for p(v|h). */
START_TEST(test_factorization_brute_force)
{
    pmk_rbm *m = random_model(4, 3, 1.0, 11);
    gsl_matrix *V = gsl_matrix_alloc(1, 4), *P = gsl_matrix_alloc(1, 3);
    gsl_matrix *Hm = gsl_matrix_alloc(1, 3), *Q = gsl_matrix_alloc(1, 4);
    double v[4], h[3];
    for (size_t sv = 0; sv < 16; sv++) {
        bits(sv, v, 4);
        for (size_t i = 0; i < 4; i++)
            gsl_matrix_set(V, 0, i, v[i]);
        ck_assert_int_eq(pmk_rbm_hidden_prob(m, V, P, NULL), PMK_OK);
        double lz = brute_log_marginal_v(m, v);
        for (size_t sh = 0; sh < 8; sh++) {
            bits(sh, h, 3);
            double brute = exp(neg_energy(m, v, h) - lz), prod = 1.0;
            for (size_t j = 0; j < 3; j++) {
                double p = gsl_matrix_get(P, 0, j);
                prod *= h[j] ? p : 1.0 - p;
            }
            ck_assert_msg(fabs(brute - prod) <= 1e-12, "v=%zu h=%zu: %.17g vs %.17g", sv, sh,
                          brute, prod);
        }
    }
    /* p(v|h): sum over the 16 visible states for each of the 8 hidden ones. */
    for (size_t sh = 0; sh < 8; sh++) {
        bits(sh, h, 3);
        for (size_t j = 0; j < 3; j++)
            gsl_matrix_set(Hm, 0, j, h[j]);
        ck_assert_int_eq(pmk_rbm_visible_prob(m, Hm, Q, NULL), PMK_OK);
        double terms[16];
        for (size_t sv = 0; sv < 16; sv++) {
            bits(sv, v, 4);
            terms[sv] = neg_energy(m, v, h);
        }
        double lz = pmk_logsumexp(terms, 16, 1);
        for (size_t sv = 0; sv < 16; sv++) {
            bits(sv, v, 4);
            double prod = 1.0;
            for (size_t i = 0; i < 4; i++) {
                double q = gsl_matrix_get(Q, 0, i);
                prod *= v[i] ? q : 1.0 - q;
            }
            ck_assert(fabs(exp(terms[sv] - lz) - prod) <= 1e-12);
        }
    }
    gsl_matrix_free(V);
    gsl_matrix_free(P);
    gsl_matrix_free(Hm);
    gsl_matrix_free(Q);
    pmk_rbm_free(m);
}
END_TEST

/* F(v) = -log sum_h exp(-E(v,h)) for all 2^5 visible states of a D=5, H=4
 * model; relative tolerance 1e-12 (a sum of <= 9 terms of size ~3). */
START_TEST(test_free_energy_brute_force)
{
    pmk_rbm *m = random_model(5, 4, 1.5, 12);
    gsl_matrix *V = gsl_matrix_alloc(32, 5);
    gsl_vector *F = gsl_vector_alloc(32);
    for (size_t s = 0; s < 32; s++)
        bits(s, gsl_matrix_ptr(V, s, 0), 5);
    ck_assert_int_eq(pmk_rbm_free_energy(m, V, F, NULL), PMK_OK);
    for (size_t s = 0; s < 32; s++) {
        double want = -brute_log_marginal_v(m, gsl_matrix_ptr(V, s, 0));
        ck_assert_msg(fabs(gsl_vector_get(F, s) - want) <= 1e-12 * (1.0 + fabs(want)),
                      "v=%zu: %.17g vs %.17g", s, gsl_vector_get(F, s), want);
    }
    gsl_vector_free(F);
    gsl_matrix_free(V);
    pmk_rbm_free(m);
}
END_TEST

/* log Z = log sum_{v,h} exp(-E(v,h)) over all 2^(D+H) states, against the
 * library's enumeration of the hidden layer (D=4, H=3) and of the visible
 * layer (D=3, H=5, so the visible one is smaller). */
START_TEST(test_log_z_exact_brute_force)
{
    size_t dims[2][2] = {{4, 3}, {3, 5}};
    for (int c = 0; c < 2; c++) {
        size_t D = dims[c][0], H = dims[c][1];
        pmk_rbm *m = random_model(D, H, 1.0, 13 + (unsigned long)c);
        double terms[256], v[8], h[8];
        size_t k = 0;
        for (size_t sv = 0; sv < ((size_t)1 << D); sv++)
            for (size_t sh = 0; sh < ((size_t)1 << H); sh++) {
                bits(sv, v, D);
                bits(sh, h, H);
                terms[k++] = neg_energy(m, v, h);
            }
        double brute = pmk_logsumexp(terms, k, 1), lz = 0;
        pmk_error e;
        ck_assert_int_eq(pmk_rbm_log_z_exact(m, &lz, &e), PMK_OK);
        ck_assert_msg(fabs(lz - brute) <= 1e-12 * fabs(brute), "%.17g vs %.17g", lz, brute);
        pmk_rbm_free(m);
    }
}
END_TEST

/* Exact pseudo-likelihood against the conditionals p(v_i | v_-i) =
 * p(v) / (p(v) + p(v~i)) from the brute-force marginals; the 1-bit estimate's
 * mean over 40,000 draws on one row is within 5 standard errors of it (its
 * variance is computed exactly from the D possible terms). */
START_TEST(test_pseudo_likelihood)
{
    pmk_rbm *m = random_model(4, 3, 1.0, 14);
    gsl_matrix *V = gsl_matrix_alloc(16, 4);
    double brute = 0.0;
    for (size_t s = 0; s < 16; s++) {
        double *v = gsl_matrix_ptr(V, s, 0), vf[4];
        bits(s, v, 4);
        for (size_t i = 0; i < 4; i++) {
            memcpy(vf, v, sizeof vf);
            vf[i] = 1.0 - vf[i];
            double l = brute_log_marginal_v(m, v), lf = brute_log_marginal_v(m, vf);
            double pair[2] = {l, lf};
            brute += l - pmk_logsumexp(pair, 2, 1);
        }
    }
    brute /= 16.0;
    double pl;
    pmk_error e;
    ck_assert_int_eq(pmk_rbm_pseudo_likelihood(m, V, &pl, &e), PMK_OK);
    ck_assert_msg(fabs(pl - brute) <= 1e-12 * fabs(brute), "%.17g vs %.17g", pl, brute);

    /* One row (v = 1011), replicated. */
    const size_t N = 40000;
    gsl_matrix *R = gsl_matrix_alloc(N, 4);
    double row[4] = {1, 1, 0, 1}, terms[4], pl1 = 0, sq = 0;
    for (size_t n = 0; n < N; n++)
        memcpy(gsl_matrix_ptr(R, n, 0), row, sizeof row);
    gsl_matrix_view one = gsl_matrix_submatrix(R, 0, 0, 1, 4);
    ck_assert_int_eq(pmk_rbm_pseudo_likelihood(m, &one.matrix, &pl, &e), PMK_OK);
    for (size_t i = 0; i < 4; i++) {
        double vf[4];
        memcpy(vf, row, sizeof vf);
        vf[i] = 1.0 - vf[i];
        double l = brute_log_marginal_v(m, row), lf = brute_log_marginal_v(m, vf);
        double pair[2] = {l, lf};
        terms[i] = 4.0 * (l - pmk_logsumexp(pair, 2, 1));
        pl1 += terms[i] / 4.0;
        sq += terms[i] * terms[i] / 4.0;
    }
    ck_assert(fabs(pl - pl1) <= 1e-12 * fabs(pl1));
    double sd = sqrt(sq - pl1 * pl1);
    pmk_rng *r = pmk_rng_alloc(NULL, 5);
    double est;
    ck_assert_int_eq(pmk_rbm_pseudo_likelihood_1bit(m, R, r, &est, &e), PMK_OK);
    ck_assert_msg(fabs(est - pl1) <= 5.0 * sd / sqrt((double)N), "%g vs %g (sd %g)", est,
                  pl1, sd);
    pmk_rng_free(r);
    gsl_matrix_free(R);
    gsl_matrix_free(V);
    pmk_rbm_free(m);
}
END_TEST

/* The pseudo-likelihood's two other paths: a row of probabilities (flips
 * v_i -> 1 - v_i, as scikit-learn does) against free energies computed by the
 * library's own F (itself checked by brute force above), and weights beyond
 * +-40 (one log1p per term) against the brute-force conditionals. */
START_TEST(test_pseudo_likelihood_other_paths)
{
    pmk_rbm *m = random_model(4, 3, 1.0, 18);
    gsl_matrix *V = gsl_matrix_alloc(5, 4);
    gsl_vector *F = gsl_vector_alloc(5);
    const double v[4] = {0.3, 1.0, 0.0, 0.8};
    for (size_t k = 0; k < 5; k++)
        memcpy(gsl_matrix_ptr(V, k, 0), v, sizeof v);
    for (size_t i = 0; i < 4; i++)
        gsl_matrix_set(V, i + 1, i, 1.0 - v[i]);
    ck_assert_int_eq(pmk_rbm_free_energy(m, V, F, NULL), PMK_OK);
    double want = 0.0, pl;
    for (size_t i = 0; i < 4; i++)
        want += pmk_log_sigmoid(gsl_vector_get(F, i + 1) - gsl_vector_get(F, 0));
    gsl_matrix_view one = gsl_matrix_submatrix(V, 0, 0, 1, 4);
    ck_assert_int_eq(pmk_rbm_pseudo_likelihood(m, &one.matrix, &pl, NULL), PMK_OK);
    ck_assert_msg(fabs(pl - want) <= 1e-12 * fabs(want), "%.17g vs %.17g", pl, want);
    pmk_rbm_free(m);

    m = random_model(4, 3, 50.0, 19);
    double row[4] = {0, 1, 1, 0}, vf[4], l = brute_log_marginal_v(m, row);
    want = 0.0;
    for (size_t i = 0; i < 4; i++) {
        memcpy(vf, row, sizeof vf);
        vf[i] = 1.0 - vf[i];
        double pair[2] = {l, brute_log_marginal_v(m, vf)};
        want += l - pmk_logsumexp(pair, 2, 1);
    }
    memcpy(gsl_matrix_ptr(V, 0, 0), row, sizeof row);
    ck_assert_int_eq(pmk_rbm_pseudo_likelihood(m, &one.matrix, &pl, NULL), PMK_OK);
    ck_assert_msg(fabs(pl - want) <= 1e-10 * (1.0 + fabs(want)), "%.17g vs %.17g", pl, want);
    gsl_vector_free(F);
    gsl_matrix_free(V);
    pmk_rbm_free(m);
}
END_TEST

/* ---------------------------------------------------------------- sampling */

/* 40,000 hidden samples for one v of a D=5, H=4 model.  Each unit's frequency
 * f_j has standard deviation s_j = sqrt(p_j (1 - p_j) / N); we require
 * |f_j - p_j| <= 5 s_j (a false failure has probability < 6e-7 per unit).
 * The frequency of each of the 16 joint patterns must match the product of
 * the marginals within the same 5-sigma binomial bound, which checks that the
 * units are drawn independently. */
START_TEST(test_hidden_sample_frequencies)
{
    const size_t N = 40000;
    pmk_rbm *m = random_model(5, 4, 1.0, 15);
    gsl_matrix *V = gsl_matrix_alloc(N, 5), *S = gsl_matrix_alloc(N, 4);
    gsl_matrix *P = gsl_matrix_alloc(1, 4);
    double v[5] = {1, 0, 1, 1, 0};
    for (size_t n = 0; n < N; n++)
        memcpy(gsl_matrix_ptr(V, n, 0), v, sizeof v);
    gsl_matrix_view v1 = gsl_matrix_submatrix(V, 0, 0, 1, 5);
    ck_assert_int_eq(pmk_rbm_hidden_prob(m, &v1.matrix, P, NULL), PMK_OK);
    pmk_rng *r = pmk_rng_alloc(NULL, 99);
    ck_assert_int_eq(pmk_rbm_sample_hidden(m, V, S, r, NULL), PMK_OK);
    double cnt[4] = {0}, pat[16] = {0};
    for (size_t n = 0; n < N; n++) {
        size_t s = 0;
        for (size_t j = 0; j < 4; j++) {
            double x = gsl_matrix_get(S, n, j);
            ck_assert(x == 0.0 || x == 1.0);
            cnt[j] += x;
            s |= (size_t)x << j;
        }
        pat[s]++;
    }
    for (size_t j = 0; j < 4; j++) {
        double p = gsl_matrix_get(P, 0, j), f = cnt[j] / N;
        ck_assert_msg(fabs(f - p) <= 5.0 * sqrt(p * (1 - p) / N), "unit %zu: %g vs %g", j, f, p);
    }
    for (size_t s = 0; s < 16; s++) {
        double q = 1.0;
        for (size_t j = 0; j < 4; j++) {
            double p = gsl_matrix_get(P, 0, j);
            q *= (s >> j) & 1u ? p : 1 - p;
        }
        ck_assert_msg(fabs(pat[s] / N - q) <= 5.0 * sqrt(q * (1 - q) / N), "pattern %zu", s);
    }
    pmk_rng_free(r);
    gsl_matrix_free(V);
    gsl_matrix_free(S);
    gsl_matrix_free(P);
    pmk_rbm_free(m);
}
END_TEST

/* Block Gibbs sampling: 20,000 chains of a D=3, H=2 model with small weights
 * (so 30 sweeps mix far below the sampling noise), the final visible states'
 * frequencies against p(v) = exp(-F(v) - log Z), within 5 binomial sigmas. */
START_TEST(test_gibbs_matches_marginal)
{
    const size_t N = 20000;
    pmk_rbm *m = random_model(3, 2, 0.7, 16);
    gsl_matrix *V = gsl_matrix_calloc(N, 3), *All = gsl_matrix_alloc(8, 3);
    gsl_vector *F = gsl_vector_alloc(8);
    pmk_rng *r = pmk_rng_alloc(NULL, 3);
    ck_assert_int_eq(pmk_rbm_gibbs(m, V, 30, NULL, r, NULL), PMK_OK);
    for (size_t s = 0; s < 8; s++)
        bits(s, gsl_matrix_ptr(All, s, 0), 3);
    double lz;
    ck_assert_int_eq(pmk_rbm_free_energy(m, All, F, NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_log_z_exact(m, &lz, NULL), PMK_OK);
    double cnt[8] = {0};
    for (size_t n = 0; n < N; n++) {
        size_t s = 0;
        for (size_t i = 0; i < 3; i++)
            s |= (size_t)gsl_matrix_get(V, n, i) << i;
        cnt[s]++;
    }
    for (size_t s = 0; s < 8; s++) {
        double p = exp(-gsl_vector_get(F, s) - lz);
        ck_assert_msg(fabs(cnt[s] / N - p) <= 5.0 * sqrt(p * (1 - p) / N), "v=%zu: %g vs %g", s,
                      cnt[s] / N, p);
    }
    pmk_rng_free(r);
    gsl_vector_free(F);
    gsl_matrix_free(V);
    gsl_matrix_free(All);
    pmk_rbm_free(m);
}
END_TEST

/* ---------------------------------------------------------------- log Z by AIS */

/* AIS on a D=12, H=10 model with W ~ N(0, 1) against the exact log Z.  With
 * M = 100 runs and the default 14,500-step schedule the standard error of
 * log Z^ on a model this small is below 0.01 nats (observed: sd 0.006 over 8 seeds,
 * all within 0.011); we require |AIS - exact| <= 0.05 nats and the exact value inside
 * the reported +-3 sigma interval. */
START_TEST(test_ais_matches_exact)
{
    pmk_rbm *m = random_model(12, 10, 1.0, 17);
    double exact;
    pmk_error e;
    ck_assert_int_eq(pmk_rbm_log_z_exact(m, &exact, &e), PMK_OK);
    /* base rates from a little "data": rows with the model's own visible means */
    gsl_matrix *X = gsl_matrix_alloc(4, 12);
    pmk_rng *r = pmk_rng_alloc(NULL, 8);
    for (size_t n = 0; n < 4; n++)
        for (size_t i = 0; i < 12; i++)
            gsl_matrix_set(X, n, i, pmk_rng_uniform(r) < 0.5 ? 1.0 : 0.0);
    pmk_rbm_ais_options o;
    pmk_rbm_ais_options_init_default(&o);
    pmk_rbm_ais_result res;
    ck_assert_int_eq(pmk_rbm_log_z_ais(m, X, &o, r, &res, &e), PMK_OK);
    ck_assert_uint_eq(res.runs, 100);
    ck_assert_uint_eq(res.steps, 14500);
    ck_assert_msg(fabs(res.log_z - exact) <= 0.05, "AIS %.6f vs exact %.6f", res.log_z, exact);
    ck_assert(res.log_z_lo <= exact && exact <= res.log_z_hi);
    ck_assert(res.log_z_lo < res.log_z && res.log_z < res.log_z_hi);
    pmk_rng_free(r);
    gsl_matrix_free(X);
    pmk_rbm_free(m);
}
END_TEST

/* ---------------------------------------------------------------- training */

/* One CD-1 step by hand.  D = 2, H = 2, W = [[1,-1],[0,2]], b = (0,-1),
 * a = (0.5,0); previous increments dW = 0.02 everywhere, db = (0.01,0),
 * da = (0,-0.01); eps = 0.1, lambda = 0.01, mu = 0.5; v0 = (1,0), fixed h0 = (1,0).
 *   PH0 = s(v0 W + a) = s(1.5, -1)           = (0.81757448, 0.26894142)
 *   PV1 = s(W h0 + b) = s(1, -1)             = (0.73105858, 0.26894142)
 *   PH1 = s(PV1 W + a) = s(1.23105858, -0.19317574) = (0.77400380, 0.45185569)
 *   v0'PH0  = [[0.81757448, 0.26894142], [0, 0]]
 *   PV1'PH1 = [[0.56584212, 0.33033298], [0.20816168, 0.12152271]]
 *   eps (v0'PH0 - PV1'PH1 - lambda W) = [[0.02417324, -0.00513916], [-0.02081617, -0.01415227]]
 *   dW = 0.5 * 0.02 + that, W + dW = [[1.03417324, -0.99513916], [-0.01081617, 1.99584773]]
 *   db = 0.5 (0.01, 0) + 0.1 (v0 - PV1) = (0.03189414, -0.02689414), b = (0.03189414, -1.02689414)
 *   da = 0.5 (0, -0.01) + 0.1 (PH0 - PH1) = (0.00435707, -0.02329143), a = (0.50435707, -0.02329143)
 *   reconstruction error (v0 - PV1)^2 summed = 0.07232949 * 2 = 0.14465898.
 * Training runs in single precision: tolerance 2e-7 absolute. */
START_TEST(test_cd1_step_by_hand)
{
    pmk_rbm *m = pmk_rbm_alloc(2, 2, NULL);
    double W[4] = {1, -1, 0, 2};
    memcpy(m->W->data, W, sizeof W);
    gsl_vector_set(m->b, 1, -1.0);
    gsl_vector_set(m->a, 0, 0.5);
    m->dW = gsl_matrix_alloc(2, 2);
    m->db = gsl_vector_calloc(2);
    m->da = gsl_vector_calloc(2);
    gsl_matrix_set_all(m->dW, 0.02);
    gsl_vector_set(m->db, 0, 0.01);
    gsl_vector_set(m->da, 1, -0.01);
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    o.batch = 1;
    o.lr = 0.1;
    o.weight_decay = 0.01;
    pmk_error e;
    pmk_rbm_trainer *t = pmk_rbm_trainer_alloc(m, &o, &e);
    ck_assert_ptr_nonnull(t);
    gsl_matrix_float *B = pmk_rbm_trainer_batch(t);
    gsl_matrix_float_set(B, 0, 0, 1.0f);
    gsl_matrix_float_set(B, 0, 1, 0.0f);
    gsl_matrix_float *h0 = gsl_matrix_float_calloc(1, 2);
    gsl_matrix_float_set(h0, 0, 0, 1.0f);
    double recon = 0.0;
    ck_assert_int_eq(pmk_rbm_trainer_step(t, 1, 0.5, h0, NULL, &recon), PMK_OK);
    ck_assert_int_eq(pmk_rbm_trainer_sync(t, m, &e), PMK_OK);
    const double Wn[4] = {1.03417324, -0.99513916, -0.01081617, 1.99584773};
    const double bn[2] = {0.03189414, -1.02689414}, an[2] = {0.50435707, -0.02329143};
    const double dbn[2] = {0.03189414, -0.02689414}, dan[2] = {0.00435707, -0.02329143};
    for (int k = 0; k < 4; k++)
        ck_assert_msg(fabs(m->W->data[k] - Wn[k]) <= 2e-7, "W[%d] = %.9f", k, m->W->data[k]);
    for (int k = 0; k < 2; k++) {
        ck_assert(fabs(gsl_vector_get(m->b, k) - bn[k]) <= 2e-7);
        ck_assert(fabs(gsl_vector_get(m->a, k) - an[k]) <= 2e-7);
        ck_assert(fabs(gsl_vector_get(m->db, k) - dbn[k]) <= 2e-7);
        ck_assert(fabs(gsl_vector_get(m->da, k) - dan[k]) <= 2e-7);
    }
    ck_assert(fabs(m->dW->data[0] - (Wn[0] - 1.0)) <= 2e-7);
    ck_assert(fabs(recon - 0.14465898) <= 2e-7);
    gsl_matrix_float_free(h0);
    pmk_rbm_trainer_free(t);
    pmk_rbm_free(m);
}
END_TEST

/* A small data set: 200 noisy copies of two 8-bit prototypes (each bit flipped
 * with probability 0.05). */
static gsl_matrix *two_prototypes(unsigned long seed)
{
    const double proto[2][8] = {{1, 1, 1, 1, 0, 0, 0, 0}, {0, 0, 1, 1, 1, 1, 0, 1}};
    gsl_matrix *X = gsl_matrix_alloc(200, 8);
    pmk_rng *r = pmk_rng_alloc(NULL, seed);
    for (size_t n = 0; n < 200; n++)
        for (size_t i = 0; i < 8; i++) {
            double x = proto[n % 2][i];
            gsl_matrix_set(X, n, i, pmk_rng_uniform(r) < 0.05 ? 1 - x : x);
        }
    pmk_rng_free(r);
    return X;
}

/* Mean exact log-likelihood of the rows of X: -mean F(v) - log Z. */
static double mean_loglik(const pmk_rbm *m, const gsl_matrix *X)
{
    gsl_vector *F = gsl_vector_alloc(X->size1);
    double lz, s = 0;
    ck_assert_int_eq(pmk_rbm_free_energy(m, X, F, NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_log_z_exact(m, &lz, NULL), PMK_OK);
    for (size_t n = 0; n < X->size1; n++)
        s += gsl_vector_get(F, n);
    gsl_vector_free(F);
    return -s / (double)X->size1 - lz;
}

static int count_epochs(const pmk_rbm *m, const pmk_rbm_epoch_info *info, void *ctx)
{
    size_t *n = ctx;
    (*n)++;
    ck_assert_uint_eq(info->epoch, m->epochs);
    ck_assert(info->recon_error >= 0.0);
    return 0;
}

/* Training works: on the two-prototype data the exact log-likelihood (the data
 * have entropy ~ 8 * H(0.05) + log 2 = 2.03 nats per row, so the best model
 * reaches about -2.03; the initial model has -4.08) climbs above -3.0 for
 * CD-1 with rbm.m's momentum schedule and for PCD-1 without momentum (as in
 * scikit-learn; PCD's chains do not follow a lr 0.1, momentum 0.9 model on
 * this bimodal toy and end near -3.7).  The callback runs once per epoch. */
START_TEST(test_training_learns)
{
    gsl_matrix *X = two_prototypes(1);
    for (int pcd = 0; pcd < 2; pcd++) {
        pmk_rbm *m = pmk_rbm_alloc(8, 4, NULL);
        pmk_rng *r = pmk_rng_alloc(NULL, 2);
        ck_assert_int_eq(pmk_rbm_init(m, X, r, NULL), PMK_OK);
        double before = mean_loglik(m, X);
        pmk_rbm_options o;
        pmk_rbm_options_init_default(&o);
        o.epochs = 30;
        o.batch = 10;
        o.persistent = pcd;
        if (pcd)
            o.momentum = 0.0;
        size_t calls = 0;
        pmk_error e;
        ck_assert_int_eq(pmk_rbm_fit(m, X, &o, r, count_epochs, &calls, &e), PMK_OK);
        ck_assert_uint_eq(calls, 30);
        ck_assert_uint_eq(m->epochs, 30);
        double after = mean_loglik(m, X);
        ck_assert_msg(after > -3.0 && after > before + 1.0, "pcd=%d: %g -> %g", pcd, before, after);
        ck_assert_ptr_nonnull(m->dW);
        if (pcd) {
            ck_assert_ptr_nonnull(m->chains);
            ck_assert_uint_eq(m->chains->size1, 10);
        } else {
            ck_assert_ptr_null(m->chains);
        }
        pmk_rng_free(r);
        pmk_rbm_free(m);
    }
    gsl_matrix_free(X);
}
END_TEST

/* The same seed gives a bit-identical model; another seed does not.  And a
 * run of 4 epochs equals 2 epochs then 2 more on the saved state when the RNG
 * continues (the state carried by --resume is complete). */
START_TEST(test_same_seed_same_model)
{
    gsl_matrix *X = two_prototypes(3);
    pmk_rbm *m[3];
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    o.epochs = 4;
    o.batch = 16;
    o.k = 2;
    o.persistent = 1;
    unsigned long seeds[3] = {7, 7, 8};
    for (int c = 0; c < 3; c++) {
        pmk_rng *r = pmk_rng_alloc(NULL, seeds[c]);
        m[c] = pmk_rbm_alloc(8, 5, NULL);
        ck_assert_int_eq(pmk_rbm_init(m[c], X, r, NULL), PMK_OK);
        ck_assert_int_eq(pmk_rbm_fit(m[c], X, &o, r, NULL, NULL, NULL), PMK_OK);
        pmk_rng_free(r);
    }
    ck_assert(memcmp(m[0]->W->data, m[1]->W->data, 40 * sizeof(double)) == 0);
    ck_assert(memcmp(m[0]->chains->data, m[1]->chains->data, 16 * 5 * sizeof(double)) == 0);
    ck_assert(memcmp(m[0]->W->data, m[2]->W->data, 40 * sizeof(double)) != 0);

    /* 2 + 2 epochs through a copy of the state */
    pmk_rng *r = pmk_rng_alloc(NULL, 7);
    pmk_rbm *s = pmk_rbm_alloc(8, 5, NULL);
    ck_assert_int_eq(pmk_rbm_init(s, X, r, NULL), PMK_OK);
    o.epochs = 2;
    ck_assert_int_eq(pmk_rbm_fit(s, X, &o, r, NULL, NULL, NULL), PMK_OK);
    pmk_rbm *c2 = pmk_rbm_copy(s, NULL);
    ck_assert_int_eq(pmk_rbm_fit(c2, X, &o, r, NULL, NULL, NULL), PMK_OK);
    ck_assert_uint_eq(c2->epochs, 4);
    ck_assert(memcmp(m[0]->W->data, c2->W->data, 40 * sizeof(double)) == 0);
    ck_assert(memcmp(m[0]->dW->data, c2->dW->data, 40 * sizeof(double)) == 0);
    pmk_rbm_free(c2);
    pmk_rbm_free(s);
    pmk_rng_free(r);
    for (int c = 0; c < 3; c++)
        pmk_rbm_free(m[c]);
    gsl_matrix_free(X);
}
END_TEST

/* The --cd-ramp schedule, k = 1 + round((K - 1) e / (E - 1)) for epoch e of E:
 * K = 3, E = 20: (K-1) e / 19 = 2e/19 passes 0.5 at e = 4.75 and 1.5 at
 * e = 14.25, so k = 1 for e = 0..4, 2 for 5..14, 3 for 15..19.  K = 25,
 * E = 20: 24e/19, e = 1 -> 1.26 -> k = 2, e = 10 -> 12.63 -> k = 14, e = 18 ->
 * 22.74 -> k = 24, e = 19 -> k = 25.  K = 3, E = 3: k = 1, 2, 3.  Without the
 * ramp, with one epoch, or with K = 1: k = K throughout.  And a ramped fit of
 * 3 epochs equals three 1-epoch fits with k = 1, 2, 3 on the same RNG stream,
 * bit for bit (so the ramp changes k and nothing else), and differs from a
 * plain CD-3 fit. */
START_TEST(test_cd_ramp)
{
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    o.k = 3;
    o.epochs = 20;
    for (size_t e = 0; e < 20; e++)
        ck_assert_uint_eq(pmk_rbm_epoch_k(&o, e), 3);
    o.k_ramp = 1;
    for (size_t e = 0; e < 20; e++)
        ck_assert_uint_eq(pmk_rbm_epoch_k(&o, e), e <= 4 ? 1 : e <= 14 ? 2 : 3);
    o.k = 25;
    ck_assert_uint_eq(pmk_rbm_epoch_k(&o, 0), 1);
    ck_assert_uint_eq(pmk_rbm_epoch_k(&o, 1), 2);
    ck_assert_uint_eq(pmk_rbm_epoch_k(&o, 10), 14);
    ck_assert_uint_eq(pmk_rbm_epoch_k(&o, 18), 24);
    ck_assert_uint_eq(pmk_rbm_epoch_k(&o, 19), 25);
    o.epochs = 1;
    ck_assert_uint_eq(pmk_rbm_epoch_k(&o, 0), 25);
    o.epochs = 20;
    o.k = 1;
    ck_assert_uint_eq(pmk_rbm_epoch_k(&o, 7), 1);

    gsl_matrix *X = two_prototypes(5);
    pmk_rbm *m[3];
    for (int c = 0; c < 3; c++) {
        pmk_rng *r = pmk_rng_alloc(NULL, 11);
        m[c] = pmk_rbm_alloc(8, 5, NULL);
        ck_assert_int_eq(pmk_rbm_init(m[c], X, r, NULL), PMK_OK);
        pmk_rbm_options_init_default(&o);
        o.batch = 16;
        if (c == 0) {           /* ramped: k = 1, 2, 3 */
            o.k = 3;
            o.epochs = 3;
            o.k_ramp = 1;
            ck_assert_int_eq(pmk_rbm_fit(m[c], X, &o, r, NULL, NULL, NULL), PMK_OK);
        } else if (c == 1) {    /* by hand */
            o.epochs = 1;
            for (size_t k = 1; k <= 3; k++) {
                o.k = k;
                ck_assert_int_eq(pmk_rbm_fit(m[c], X, &o, r, NULL, NULL, NULL), PMK_OK);
            }
        } else {                /* plain CD-3 */
            o.k = 3;
            o.epochs = 3;
            ck_assert_int_eq(pmk_rbm_fit(m[c], X, &o, r, NULL, NULL, NULL), PMK_OK);
        }
        pmk_rng_free(r);
    }
    ck_assert_uint_eq(m[1]->epochs, 3);
    ck_assert(memcmp(m[0]->W->data, m[1]->W->data, 40 * sizeof(double)) == 0);
    ck_assert(memcmp(m[0]->dW->data, m[1]->dW->data, 40 * sizeof(double)) == 0);
    ck_assert(memcmp(m[0]->a->data, m[1]->a->data, 5 * sizeof(double)) == 0);
    ck_assert(memcmp(m[0]->b->data, m[1]->b->data, 8 * sizeof(double)) == 0);
    ck_assert(memcmp(m[0]->W->data, m[2]->W->data, 40 * sizeof(double)) != 0);
    for (int c = 0; c < 3; c++)
        pmk_rbm_free(m[c]);
    gsl_matrix_free(X);
}
END_TEST

/* ---------------------------------------------------------------- files */

static int same_model(const pmk_rbm *x, const pmk_rbm *y)
{
    if (x->d != y->d || x->h != y->h || x->epochs != y->epochs)
        return 0;
    size_t dh = x->d * x->h;
    if (memcmp(x->W->data, y->W->data, dh * sizeof(double))
        || memcmp(x->b->data, y->b->data, x->d * sizeof(double))
        || memcmp(x->a->data, y->a->data, x->h * sizeof(double)))
        return 0;
    if (!x->dW != !y->dW || !x->chains != !y->chains)
        return 0;
    if (x->dW && (memcmp(x->dW->data, y->dW->data, dh * sizeof(double))
                  || memcmp(x->db->data, y->db->data, x->d * sizeof(double))
                  || memcmp(x->da->data, y->da->data, x->h * sizeof(double))))
        return 0;
    if (x->chains && (x->chains->size1 != y->chains->size1
                      || memcmp(x->chains->data, y->chains->data,
                                x->chains->size1 * x->h * sizeof(double))))
        return 0;
    return 1;
}

/* Save, load, compare every double bit for bit, save again: same bytes.  The
 * model carries momentum and chains (PCD) and awkward values (1/3, 1e-300,
 * -0.0).  Repeated under a comma-decimal locale (de_DE, built with
 * localedef; skipped with a note when that is impossible). */
START_TEST(test_save_load_round_trip)
{
    gsl_matrix *X = two_prototypes(4);
    pmk_rbm *m = pmk_rbm_alloc(8, 3, NULL);
    pmk_rng *r = pmk_rng_alloc(NULL, 4);
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    o.epochs = 2;
    o.batch = 7;
    o.persistent = 1;
    ck_assert_int_eq(pmk_rbm_init(m, X, r, NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_fit(m, X, &o, r, NULL, NULL, NULL), PMK_OK);
    gsl_matrix_set(m->W, 0, 0, 1.0 / 3.0);
    gsl_matrix_set(m->W, 0, 1, 1e-300);
    gsl_matrix_set(m->W, 0, 2, -0.0);
    const char *dir = test_tmpdir();
    char p1[512], p2[512];
    snprintf(p1, sizeof p1, "%s/a.rbm", dir);
    snprintf(p2, sizeof p2, "%s/b.rbm", dir);
    /* A comma-decimal locale: de_DE compiled into the test's folder with
     * localedef when the system has its source (as check_csv does). */
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "localedef -i de_DE -f UTF-8 '%s/de_DE.UTF-8' >/dev/null 2>&1",
             dir);
    if (system(cmd) != -1)
        setenv("LOCPATH", dir, 1);
    const char *locales[] = {NULL, "de_DE.UTF-8"};
    for (int l = 0; l < 2; l++) {
        if (locales[l] && !setlocale(LC_ALL, locales[l])) {
            fprintf(stderr, "check_rbm: no de_DE locale could be built: locale case skipped\n");
            continue;
        }
        if (locales[l])
            ck_assert_str_eq(localeconv()->decimal_point, ",");
        pmk_error e;
        pmk_rbm *back = NULL;
        ck_assert_int_eq(pmk_rbm_save(m, p1, &e), PMK_OK);
        ck_assert_int_eq(pmk_rbm_load(p1, &back, &e), PMK_OK);
        ck_assert(same_model(m, back));
        ck_assert(signbit(gsl_matrix_get(back->W, 0, 2)));
        ck_assert_int_eq(pmk_rbm_save(back, p2, &e), PMK_OK);
        size_t n1, n2;
        char *b1 = test_read_file(p1, &n1), *b2 = test_read_file(p2, &n2);
        ck_assert_uint_eq(n1, n2);
        ck_assert(memcmp(b1, b2, n1) == 0);
        ck_assert(strncmp(b1, "pmk-rbm 1\nvisible 8\nhidden 3\nepochs 2\nb\n", 39) == 0);
        ck_assert_ptr_nonnull(strstr(b1, "\nchains 7\n"));
        ck_assert_ptr_nonnull(strstr(b1, "\nW\n0.33333333333333331 1e-300 -0\n"));
        free(b1);
        free(b2);
        pmk_rbm_free(back);
        if (locales[l])   /* the caller's locale is kept */
            ck_assert_str_eq(localeconv()->decimal_point, ",");
    }
    setlocale(LC_ALL, "C");
    unlink(p1);
    unlink(p2);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    pmk_rng_free(r);
    pmk_rbm_free(m);
    gsl_matrix_free(X);
}
END_TEST

/* Each malformed model file gets its exact message, naming file and line. */
START_TEST(test_bad_model_files)
{
    const char *dir = test_tmpdir();
    char p[512];
    snprintf(p, sizeof p, "%s/m.rbm", dir);
    const char *good = "pmk-rbm 1\nvisible 2\nhidden 1\nepochs 0\nb\n0.5 -1\na\n0\nW\n0.25\n"
                       "-0.75\nmomentum 0\nchains 0\nend\n";
    static const struct {
        const char *text;
        const char *msg;   /* after "PATH:" */
    } cases[] = {
        {"", "1: unexpected end of file: expected 'pmk-rbm 2'"},
        {"pmk-gnb 1\n", "1: not a pmk RBM model (first line 'pmk-gnb 1', expected 'pmk-rbm 2')"},
        {"pmk-rbm 3\n", "1: format version 3 is newer than this pmk reads (2)"},
        /* version 2: the transform lines after the epochs, each checked */
        {"pmk-rbm 2\nvisible 2\nhidden 1\nepochs 0\nb\n", "5: expected 'scale X', found 'b'"},
        {"pmk-rbm 2\nvisible 2\nhidden 1\nepochs 0\nscale 0\n",
         "5:2: the scale must be in (0, 1e+150], not 0"},
        {"pmk-rbm 2\nvisible 2\nhidden 1\nepochs 0\nscale 1\nthreshold 1.5\n",
         "6:2: the threshold must be in [0, 1], not 1.5"},
        {"pmk-rbm 2\nvisible 2\nhidden 1\nepochs 0\nscale 1\nthreshold 0\ncheck01 2\n",
         "7:2: check01 must be 0 or 1, not 2"},
        {"pmk-rbm 2\nvisible 2\nhidden 1\nepochs 0\nscale 1\nthreshold 0\n",
         "7: unexpected end of file: expected 'check01 X'"},
        {"pmk-rbm x\n", "1: bad format version 'x'"},
        {"pmk-rbm 1\nvisible 2\nhidden 0\n", "3: an RBM needs at least 1 hidden unit"},
        {"pmk-rbm 1\nvisible 0\nhidden 2\n", "2: an RBM needs at least 1 visible unit"},
        {"pmk-rbm 1\nvisible 2\nhiden 1\n", "3: expected 'hidden N', found 'hiden 1'"},
        {"pmk-rbm 1\nvisible 2\nhidden 1\nepochs 0\nb\n0.5 -1\na\n0\nW\n0.25\n",
         "11: unexpected end of file: expected row 2 of W"},
        {"pmk-rbm 1\nvisible 2\nhidden 1\nepochs 0\nb\n0.5 -1\na\n0\nW\n0.25\n-0,75\n",
         "11:1: row 2 of W: '-0,75' is not a finite number"},
        {"pmk-rbm 1\nvisible 2\nhidden 1\nepochs 0\nb\n0.5\n", "6: b: 1 numbers, expected 2"},
        {"pmk-rbm 1\nvisible 2\nhidden 1\nepochs 0\nb\n0.5 nan\n",
         "6:2: b: 'nan' is not a finite number"},
        {"pmk-rbm 1\nvisible 2\nhidden 1\nepochs 0\nb\n0.5 1 2\n", "6: b: more than 2 numbers"},
        {"pmk-rbm 1\nvisible 2\nhidden 1\nepochs 0\nb\n0.5 -1\na\n0\nW\n0.25\n-0.75\n"
         "momentum 0\nchains 0\n",
         "14: unexpected end of file: expected 'end'"},
        {"pmk-rbm 1\nvisible 2\nhidden 1\nepochs 0\nb\n0.5 -1\na\n0\nW\n0.25\n-0.75\n"
         "momentum 0\nchains 0\nend\nmore\n",
         "15: unexpected 'more' after 'end'"},
        {"pmk-rbm 1\nvisible 100000\nhidden 100000\n",
         "3: 100000 x 100000 weights exceed the limit of 1073741824"},
    };
    pmk_error e;
    pmk_rbm *m = NULL;
    test_write_file(p, good, strlen(good));
    ck_assert_int_eq(pmk_rbm_load(p, &m, &e), PMK_OK);
    ck_assert(gsl_matrix_get(m->W, 1, 0) == -0.75);
    pmk_rbm_free(m);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        test_write_file(p, cases[c].text, strlen(cases[c].text));
        m = NULL;
        ck_assert_int_ne(pmk_rbm_load(p, &m, &e), PMK_OK);
        ck_assert_ptr_null(m);
        char want[600];
        snprintf(want, sizeof want, "%s:%s", p, cases[c].msg);
        ck_assert_str_eq(e.msg, want);
    }
    unlink(p);
    rmdir(dir);
}
END_TEST

/* Every conditional, sampler and score refuses a wrong shape with a message
 * naming both sizes (each would otherwise read or write out of bounds), and
 * the mean free energy is the mean of the per-row free energies. */
START_TEST(test_shapes_refused)
{
    pmk_rbm *m = random_model(4, 3, 1.0, 21);
    pmk_rng *r = pmk_rng_alloc(NULL, 1);
    pmk_error e;
    gsl_matrix *V5 = gsl_matrix_calloc(2, 5), *V = gsl_matrix_calloc(2, 4);
    gsl_matrix *P = gsl_matrix_alloc(2, 3), *P4 = gsl_matrix_alloc(3, 3), *H = gsl_matrix_calloc(2, 3);
    gsl_matrix *Q = gsl_matrix_alloc(2, 4), *Q3 = gsl_matrix_alloc(2, 3);
    gsl_vector *F = gsl_vector_alloc(2), *F3 = gsl_vector_alloc(3);
    ck_assert_int_eq(pmk_rbm_hidden_prob(m, V5, P, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the input has 5 columns but the model has 4 visible units");
    ck_assert_int_eq(pmk_rbm_hidden_prob(m, V, P4, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the output is 3 x 3, expected 2 x 3");
    ck_assert_int_eq(pmk_rbm_sample_hidden(m, V5, P, r, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the input has 5 columns but the model has 4 visible units");
    ck_assert_int_eq(pmk_rbm_visible_prob(m, V, Q, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the input has 4 columns but the model has 3 hidden units");
    ck_assert_int_eq(pmk_rbm_sample_visible(m, H, Q3, r, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the output is 2 x 3, expected 2 x 4");
    ck_assert_int_eq(pmk_rbm_gibbs(m, V, 1, Q3, r, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the output is 2 x 3, expected 2 x 4");
    ck_assert_int_eq(pmk_rbm_gibbs(m, V5, 1, NULL, r, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the input has 5 columns but the model has 4 visible units");
    ck_assert_int_eq(pmk_rbm_free_energy(m, V, F3, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the output has 3 entries, expected 2");
    double x;
    ck_assert_int_eq(pmk_rbm_mean_free_energy(m, V5, &x, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the input has 5 columns but the model has 4 visible units");
    ck_assert_int_eq(pmk_rbm_recon_error(m, V5, r, &x, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the input has 5 columns but the model has 4 visible units");
    ck_assert_int_eq(pmk_rbm_pseudo_likelihood(m, V5, &x, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the input has 5 columns but the model has 4 visible units");
    /* the mean: rows 0110 and 1001 */
    gsl_matrix_set(V, 0, 1, 1.0);
    gsl_matrix_set(V, 0, 2, 1.0);
    gsl_matrix_set(V, 1, 0, 1.0);
    gsl_matrix_set(V, 1, 3, 1.0);
    ck_assert_int_eq(pmk_rbm_free_energy(m, V, F, &e), PMK_OK);
    ck_assert_int_eq(pmk_rbm_mean_free_energy(m, V, &x, &e), PMK_OK);
    ck_assert_double_eq_tol(x, 0.5 * (gsl_vector_get(F, 0) + gsl_vector_get(F, 1)), 1e-15);
    gsl_matrix_view one = gsl_matrix_submatrix(V, 0, 0, 1, 4);
    ck_assert_int_eq(pmk_rbm_mean_free_energy(m, &one.matrix, &x, &e), PMK_OK);
    ck_assert_double_eq(x, gsl_vector_get(F, 0));
    gsl_matrix_free(V5), gsl_matrix_free(V), gsl_matrix_free(P), gsl_matrix_free(P4);
    gsl_matrix_free(H), gsl_matrix_free(Q), gsl_matrix_free(Q3);
    gsl_vector_free(F), gsl_vector_free(F3);
    pmk_rng_free(r);
    pmk_rbm_free(m);
}
END_TEST

static int keep_info(const pmk_rbm *m, const pmk_rbm_epoch_info *info, void *ctx)
{
    (void)m;
    *(pmk_rbm_epoch_info *)ctx = *info;
    return 0;
}

/* Training from a compact table (bytes 0/255, transform 1/255, converted a
 * minibatch at a time) gives the model pmk_rbm_fit gives on the matrix of the
 * same transformed rows, bit for bit, and records the transform; the epoch
 * info carries the monitoring figures. */
START_TEST(test_fit_table_equals_matrix)
{
    gsl_matrix *X = two_prototypes(5), *Xs = gsl_matrix_alloc(200, 8);
    gsl_matrix_scale(X, 255.0);
    pmk_table *t = NULL;
    pmk_error e;
    ck_assert_int_eq(pmk_table_from_matrix(X, NULL, &t, &e), PMK_OK);
    ck_assert_int_eq(pmk_table_storage(t), PMK_TABLE_U8);
    pmk_transform tf;
    ck_assert_int_eq(pmk_rbm_transform_for(NULL, pmk_table_stats(t), NULL, &tf, &e), PMK_OK);
    ck_assert(tf.scale == 1.0 / 255.0 && tf.threshold == 0.0 && tf.check01 == 1);
    ck_assert_int_eq(pmk_table_set_transform(t, &tf, &e), PMK_OK);
    ck_assert_int_eq(pmk_table_gather(t, NULL, 200, Xs, &e), PMK_OK);
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    o.epochs = 3;
    o.batch = 16;
    o.k = 2;
    o.persistent = 1;
    pmk_rbm *a = pmk_rbm_alloc(8, 5, NULL), *b = pmk_rbm_alloc(8, 5, NULL);
    pmk_rng *ra = pmk_rng_alloc(NULL, 9), *rb = pmk_rng_alloc(NULL, 9);
    pmk_rbm_epoch_info ia, ib;
    ck_assert_int_eq(pmk_rbm_init(a, Xs, ra, NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_fit(a, Xs, &o, ra, keep_info, &ia, NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_init_table(b, t, rb, NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_fit_table(b, t, NULL, &o, rb, NULL, NULL, &e), PMK_OK);
    ck_assert(same_model(a, b));
    ck_assert(!a->transform_known && b->transform_known);
    ck_assert(b->transform.scale == 1.0 / 255.0 && b->transform.check01 == 1);
    ck_assert(isnan(ia.pseudo_likelihood) && isnan(ia.free_energy_gap));
    /* with a callback the monitoring pseudo-likelihood draws from the rng after
     * each epoch (as the CLI's progress line always did); the first epoch
     * still matches */
    pmk_rbm_free(b);
    b = pmk_rbm_alloc(8, 5, NULL);
    pmk_rng_free(rb);
    rb = pmk_rng_alloc(NULL, 9);
    ck_assert_int_eq(pmk_rbm_init_table(b, t, rb, NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_fit_table(b, t, NULL, &o, rb, keep_info, &ib, &e), PMK_OK);
    ck_assert(ib.epoch == 3 && isfinite(ib.recon_error));
    ck_assert(isfinite(ib.pseudo_likelihood) && ib.pseudo_likelihood < 0);
    ck_assert(isnan(ib.free_energy_gap));   /* no held-out rows */

    /* with a holdout: the gap is mean F(held) - mean F(first training rows) */
    pmk_table *tr = NULL, *ho = NULL;
    pmk_rng *rs = pmk_rng_alloc(NULL, 3);
    ck_assert_int_eq(pmk_table_split(t, 0.1, rs, &tr, &ho, &e), PMK_OK);
    pmk_rbm *c = pmk_rbm_alloc(8, 5, NULL);
    ck_assert_int_eq(pmk_rbm_init_table(c, tr, rs, NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_fit_table(c, tr, ho, &o, rs, keep_info, &ib, &e), PMK_OK);
    gsl_matrix *H = gsl_matrix_alloc(20, 8), *M = gsl_matrix_alloc(180, 8);
    ck_assert_int_eq(pmk_table_gather(ho, NULL, 20, H, &e), PMK_OK);
    ck_assert_int_eq(pmk_table_gather(tr, NULL, 180, M, &e), PMK_OK);
    double fh, fm;
    ck_assert_int_eq(pmk_rbm_mean_free_energy(c, H, &fh, NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_mean_free_energy(c, M, &fm, NULL), PMK_OK);
    ck_assert_double_eq(ib.free_energy_gap, fh - fm);

    /* a model that records another transform refuses the table */
    pmk_rbm_free(c);
    c = pmk_rbm_copy(b, NULL);
    ck_assert(c->transform_known);
    c->transform.scale = 1.0;
    ck_assert_int_eq(pmk_rbm_fit_table(c, t, NULL, &o, rs, NULL, NULL, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the data's transform (scale 0.0039215686274509803, threshold 0) "
                            "differs from the model's (scale 1, threshold 0)");
    pmk_transform asked = {1.0, 0.0, 0};
    ck_assert_int_eq(pmk_rbm_check_transform(b, &asked, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "scale 1 contradicts the model's scale 0.0039215686274509803 (it "
                            "was trained with it)");
    ck_assert_int_eq(pmk_rbm_transform_for(b, pmk_table_stats(t), &asked, &tf, &e), PMK_EINVAL);
    asked = (pmk_transform){0.0, 0.5, 0};
    ck_assert_int_eq(pmk_rbm_check_transform(b, &asked, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "binarizing at 0.5 contradicts the model, which was trained on "
                            "values not binarized");
    /* no transform recorded: what is asked, else the auto rule */
    ck_assert_int_eq(pmk_rbm_transform_for(a, pmk_table_stats(t), &asked, &tf, &e), PMK_OK);
    ck_assert(tf.scale == 1.0 / 255.0 && tf.threshold == 0.5 && tf.check01 == 1);
    asked.scale = 0.5;
    ck_assert_int_eq(pmk_rbm_transform_for(a, pmk_table_stats(t), &asked, &tf, &e), PMK_OK);
    ck_assert(tf.scale == 0.5 && tf.threshold == 0.5);
    /* a table without the [0,1] check is refused */
    pmk_transform plain;
    pmk_transform_init(&plain);
    plain.scale = 1.0 / 255.0;
    pmk_table *u = NULL;
    ck_assert_int_eq(pmk_table_from_matrix(X, NULL, &u, &e), PMK_OK);
    ck_assert_int_eq(pmk_table_set_transform(u, &plain, &e), PMK_OK);
    ck_assert_int_eq(pmk_rbm_fit_table(a, u, NULL, &o, rs, NULL, NULL, &e), PMK_EINVAL);

    pmk_table_free(u);
    gsl_matrix_free(H);
    gsl_matrix_free(M);
    pmk_table_free(tr);
    pmk_table_free(ho);
    pmk_rng_free(rs);
    pmk_rbm_free(c);
    pmk_rng_free(ra);
    pmk_rng_free(rb);
    pmk_rbm_free(a);
    pmk_rbm_free(b);
    pmk_table_free(t);
    gsl_matrix_free(X);
    gsl_matrix_free(Xs);
}
END_TEST

/* Format 2 records the transform: written after the epochs, read back
 * exactly; a model that records none is written as format 1, and a format 1
 * file loads with the transform unknown. */
START_TEST(test_transform_in_file)
{
    pmk_rbm *m = random_model(2, 2, 1.0, 3), *back = NULL;
    char p[512];
    snprintf(p, sizeof p, "%s/t.rbm", test_tmpdir());
    pmk_error e;
    ck_assert_int_eq(pmk_rbm_save(m, p, &e), PMK_OK);
    size_t n;
    char *txt = test_read_file(p, &n);
    ck_assert(strncmp(txt, "pmk-rbm 1\nvisible 2\nhidden 2\nepochs 0\nb\n", 38) == 0);
    free(txt);
    ck_assert_int_eq(pmk_rbm_load(p, &back, &e), PMK_OK);
    ck_assert(!back->transform_known);
    pmk_rbm_free(back);
    m->transform = (pmk_transform){1.0 / 255.0, 0.5, 1};
    m->transform_known = 1;
    ck_assert_int_eq(pmk_rbm_save(m, p, &e), PMK_OK);
    txt = test_read_file(p, &n);
    const char *want = "pmk-rbm 2\nvisible 2\nhidden 2\nepochs 0\nscale 0.0039215686274509803\n"
                       "threshold 0.5\ncheck01 1\nb\n";
    ck_assert(strncmp(txt, want, strlen(want)) == 0);
    free(txt);
    ck_assert_int_eq(pmk_rbm_load(p, &back, &e), PMK_OK);
    ck_assert(same_model(m, back) && back->transform_known);
    ck_assert(back->transform.scale == 1.0 / 255.0 && back->transform.threshold == 0.5
              && back->transform.check01 == 1);
    pmk_rbm_free(back);
    m->transform.scale = 0.0;   /* the reader would refuse it: nothing written */
    ck_assert_int_eq(pmk_rbm_save(m, p, &e), PMK_EDATA);
    unlink(p);
    pmk_rbm_free(m);
}
END_TEST

/* Bad arguments and data, each with its message. */
START_TEST(test_bad_inputs)
{
    pmk_error e;
    ck_assert_ptr_null(pmk_rbm_alloc(4, 0, &e));
    ck_assert_int_eq(e.code, PMK_EINVAL);
    ck_assert_str_eq(e.msg, "an RBM needs at least 1 hidden unit");
    ck_assert_ptr_null(pmk_rbm_alloc(0, 4, &e));
    ck_assert_str_eq(e.msg, "an RBM needs at least 1 visible unit");

    pmk_rbm *m = pmk_rbm_alloc(3, 2, NULL);
    gsl_matrix *X = gsl_matrix_calloc(2, 4);
    ck_assert_int_eq(pmk_rbm_check_data(m, X, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "the data have 4 columns but the model has 3 visible units");
    gsl_matrix_view X3 = gsl_matrix_submatrix(X, 0, 0, 2, 3);
    gsl_matrix_set(X, 1, 2, 1.5);
    ck_assert_int_eq(pmk_rbm_check_data(m, &X3.matrix, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "row 2, column 3: value 1.5 is outside [0,1]");
    pmk_rng *r = pmk_rng_alloc(NULL, 1);
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    ck_assert_int_eq(pmk_rbm_fit(m, &X3.matrix, &o, r, NULL, NULL, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "row 2, column 3: value 1.5 is outside [0,1]");
    o.k = 0;
    ck_assert_int_eq(pmk_rbm_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the number of Gibbs steps k must be at least 1");
    pmk_rbm_free(m);

    m = pmk_rbm_alloc(30, 26, NULL);
    double lz;
    ck_assert_int_eq(pmk_rbm_log_z_exact(m, &lz, &e), PMK_ELIMIT);
    ck_assert_str_eq(e.msg, "exact log Z needs a layer of at most 25 units, but the smaller "
                            "layer has 26; use AIS");
    pmk_rbm_free(m);
    pmk_rng_free(r);
    gsl_matrix_free(X);
}
END_TEST

/* Hinton's initialisation: a = 0, b_i = logit of the clipped column means,
 * W with mean ~0 and standard deviation ~0.01 (1,000 draws: the sample sd is
 * within 10% of 0.01 with overwhelming probability, sd of sd ~ 2.2%). */
START_TEST(test_init_hinton)
{
    pmk_rbm *m = pmk_rbm_alloc(4, 250, NULL);
    gsl_matrix *X = gsl_matrix_calloc(4, 4);
    /* column means: 0, 0.25, 0.5, 1 */
    gsl_matrix_set(X, 0, 1, 1);
    gsl_matrix_set(X, 0, 2, 1);
    gsl_matrix_set(X, 1, 2, 1);
    for (size_t n = 0; n < 4; n++)
        gsl_matrix_set(X, n, 3, 1);
    pmk_rng *r = pmk_rng_alloc(NULL, 6);
    ck_assert_int_eq(pmk_rbm_init(m, X, r, NULL), PMK_OK);
    ck_assert(fabs(gsl_vector_get(m->b, 0) - log(0.001 / 0.999)) < 1e-12);
    ck_assert(fabs(gsl_vector_get(m->b, 1) - log(1.0 / 3.0)) < 1e-12);
    ck_assert(fabs(gsl_vector_get(m->b, 2)) < 1e-12);
    ck_assert(fabs(gsl_vector_get(m->b, 3) - log(0.999 / 0.001)) < 1e-12);
    ck_assert(gsl_vector_isnull(m->a));
    double s = 0, s2 = 0;
    for (size_t k = 0; k < 1000; k++) {
        s += m->W->data[k];
        s2 += m->W->data[k] * m->W->data[k];
    }
    double sd = sqrt(s2 / 1000 - (s / 1000) * (s / 1000));
    ck_assert(fabs(s / 1000) < 5 * 0.01 / sqrt(1000.0));
    ck_assert(fabs(sd - 0.01) < 0.001);
    pmk_rng_free(r);
    gsl_matrix_free(X);
    pmk_rbm_free(m);
}
END_TEST

/* Sizes from options are checked against the ceiling before anything is
 * allocated.  D = 3, H = 2: training floats 2 D H + 2 (D + H) + 3 B (D + H)
 * + 2 max(D, H) = 28 + 15 B; B = 10^15 needs 4 (28 + 15 10^15) bytes.  AIS
 * with M runs: 8 (M (D + 2 H + 1) + K + 1 + 4 D + H) with K = 3 (1,1,1):
 * M = 10^15 needs 8 (8 10^15 + 18). */
START_TEST(test_option_sizes_checked)
{
    setenv("PMK_MAX_MEMORY", "1G", 1);
    pmk_rbm *m = random_model(3, 2, 0.1, 1);
    gsl_matrix *X = gsl_matrix_calloc(4, 3);
    pmk_rng *r = pmk_rng_alloc(NULL, 1);
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    o.batch = 1000000000000000;
    o.epochs = 1;
    pmk_error e;
    ck_assert_int_eq(pmk_rbm_fit(m, X, &o, r, NULL, NULL, &e), PMK_ELIMIT);
    ck_assert_str_eq(e.msg, "training 3 x 2 units with batches of 1000000000000000 rows needs "
                            "60000000000000112 bytes, more than the PMK_MAX_MEMORY limit of "
                            "1073741824 bytes");
    ck_assert_uint_eq(m->epochs, 0);
    pmk_rbm_ais_options ao;
    pmk_rbm_ais_options_init_default(&ao);
    ao.runs = 1000000000000000;
    ao.n_betas[0] = ao.n_betas[1] = ao.n_betas[2] = 1;
    pmk_rbm_ais_result res;
    ck_assert_int_eq(pmk_rbm_log_z_ais(m, X, &ao, r, &res, &e), PMK_ELIMIT);
    ck_assert_str_eq(e.msg, "AIS with 1000000000000000 runs needs 64000000000000144 bytes, more "
                            "than the PMK_MAX_MEMORY limit of 1073741824 bytes");
    /* The model itself: 8 (D H + D + H) = 8 (3 10^8 + 3 + 10^8) > 1 GiB. */
    ck_assert_ptr_null(pmk_rbm_alloc(3, 100000000, &e));
    ck_assert_str_eq(e.msg, "an RBM of 3 visible x 100000000 hidden units needs 3200000024 "
                            "bytes, more than the PMK_MAX_MEMORY limit of 1073741824 bytes");
    unsetenv("PMK_MAX_MEMORY");
    pmk_rng_free(r);
    gsl_matrix_free(X);
    pmk_rbm_free(m);
}
END_TEST

Suite *suite_rbm(void)
{
    Suite *s = suite_create("rbm");
    TCase *tc = tcase_create("exact");
    tcase_add_test(tc, test_factorization_brute_force);
    tcase_add_test(tc, test_free_energy_brute_force);
    tcase_add_test(tc, test_log_z_exact_brute_force);
    tcase_add_test(tc, test_pseudo_likelihood);
    tcase_add_test(tc, test_pseudo_likelihood_other_paths);
    tcase_add_test(tc, test_init_hinton);
    tcase_add_test(tc, test_option_sizes_checked);
    suite_add_tcase(s, tc);
    tc = tcase_create("stochastic");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_hidden_sample_frequencies);
    tcase_add_test(tc, test_gibbs_matches_marginal);
    tcase_add_test(tc, test_ais_matches_exact);
    suite_add_tcase(s, tc);
    tc = tcase_create("training");
    tcase_add_test(tc, test_cd1_step_by_hand);
    tcase_add_test(tc, test_training_learns);
    tcase_add_test(tc, test_same_seed_same_model);
    tcase_add_test(tc, test_cd_ramp);
    suite_add_tcase(s, tc);
    tc = tcase_create("files");
    tcase_add_test(tc, test_save_load_round_trip);
    tcase_add_test(tc, test_bad_model_files);
    tcase_add_test(tc, test_bad_inputs);
    tcase_add_test(tc, test_shapes_refused);
    tcase_add_test(tc, test_fit_table_equals_matrix);
    tcase_add_test(tc, test_transform_in_file);
    suite_add_tcase(s, tc);
    return s;
}
