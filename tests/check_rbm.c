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
pmk_rbm *check_rbm_random_model(size_t d, size_t h, double scale, unsigned long seed)
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
    pmk_rbm *m = check_rbm_random_model(4, 3, 1.0, 11);
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
    pmk_rbm *m = check_rbm_random_model(5, 4, 1.5, 12);
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
        pmk_rbm *m = check_rbm_random_model(D, H, 1.0, 13 + (unsigned long)c);
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
    pmk_rbm *m = check_rbm_random_model(4, 3, 1.0, 14);
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
    pmk_rbm *m = check_rbm_random_model(4, 3, 1.0, 18);
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

    m = check_rbm_random_model(4, 3, 50.0, 19);
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
    pmk_rbm *m = check_rbm_random_model(5, 4, 1.0, 15);
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
    pmk_rbm *m = check_rbm_random_model(3, 2, 0.7, 16);
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
    pmk_rbm *m = check_rbm_random_model(12, 10, 1.0, 17);
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
    ck_assert_int_eq(pmk_rbm_trainer_step(t, 1, 0.5, h0, &recon, &e), PMK_OK);
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
 * + 17 B (each row's stream and error) + 2 (D + H) (column sums) = 32 + 32 B;
 * B = 10^15 needs 4 (32 + 32 10^15) bytes.  AIS
 * with M runs: 8 (M (D + 2 H + 1) + K + 1 + 4 D + H) with K = 3 (1,1,1):
 * M = 10^15 needs 8 (8 10^15 + 18). */
START_TEST(test_option_sizes_checked)
{
    setenv("PMK_MAX_MEMORY", "1G", 1);
    pmk_rbm *m = check_rbm_random_model(3, 2, 0.1, 1);
    gsl_matrix *X = gsl_matrix_calloc(4, 3);
    pmk_rng *r = pmk_rng_alloc(NULL, 1);
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    o.batch = 1000000000000000;
    o.epochs = 1;
    pmk_error e;
    ck_assert_int_eq(pmk_rbm_fit(m, X, &o, r, NULL, NULL, &e), PMK_ELIMIT);
    ck_assert_str_eq(e.msg, "training 3 x 2 units with batches of 1000000000000000 rows needs "
                            "320000000000000128 bytes, more than the PMK_MAX_MEMORY limit of "
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
    tcase_add_test(tc, test_cd1_step_by_hand);
    tcase_add_test(tc, test_init_hinton);
    tcase_add_test(tc, test_option_sizes_checked);
    suite_add_tcase(s, tc);
    tc = tcase_create("stochastic");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_hidden_sample_frequencies);
    tcase_add_test(tc, test_gibbs_matches_marginal);
    tcase_add_test(tc, test_ais_matches_exact);
    suite_add_tcase(s, tc);
    suite_rbm_training(s);   /* check_rbm_train.c */
    suite_rbm_draw(s);       /* check_rbm_draw.c */
    suite_rbm_run(s);        /* check_rbm_run.c */
    suite_rbm_parallel(s);   /* check_rbm_parallel.c */
    suite_rbm_resume(s);     /* check_rbm_resume.c */
    suite_rbm_gauss(s);      /* check_rbm_gauss.c */
    return s;
}
