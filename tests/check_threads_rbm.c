/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_threads_rbm.c: the RBM's calls outside training on 1, 2, 3 and 5
 * threads (src/models/rbm_rows.c): hidden probabilities and samples, hidden
 * means, every figure of pmk_rbm_evaluate and the chains of pmk_rbm_sample
 * give the same bits for any count; the one-thread results against brute
 * force (a loop over one row, drawing from the row's own stream).  250 rows:
 * blocks of 96, 96 and 58.  No timing. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "check_pmk.h"
#include "pmk/pmk.h"
#include "models/rbm_rows_internal.h"

enum { N = 250, D = 12, H = 10 };
static const int counts[] = {1, 2, 3, 5};

/* N random rows, binary (or Gaussian draws for @p gauss). */
static gsl_matrix *rows(unsigned long seed, int gauss)
{
    pmk_rng *r = pmk_rng_alloc(NULL, seed);
    gsl_matrix *V = gsl_matrix_alloc(N, D);
    for (size_t k = 0; k < N * D; k++)
        V->data[k] = gauss ? pmk_rng_gaussian(r) : pmk_rng_uniform(r) < 0.4 ? 1.0 : 0.0;
    pmk_rng_free(r);
    return V;
}

/* A Gaussian model with s not all 1 (the scaled path). */
static pmk_rbm *gauss_model(void)
{
    pmk_rbm *m = pmk_rbm_alloc_gauss(D, H, NULL), *b = check_rbm_random_model(D, H, 0.3, 5);
    gsl_matrix_memcpy(m->W, b->W);
    gsl_vector_memcpy(m->a, b->a);
    for (size_t i = 0; i < D; i++)
        gsl_vector_set(m->sigma, i, 0.6 + 0.1 * (double)i);
    pmk_rbm_free(b);
    return m;
}

/* x_j = a_j + sum_i v_i W_ij of one binary row by a loop, and p(h_j = 1 | v). */
static double xh(const pmk_rbm *m, const double *v, size_t j)
{
    double x = gsl_vector_get(m->a, j);
    for (size_t i = 0; i < D; i++)
        x += v[i] * gsl_matrix_get(m->W, i, j);
    return x;
}

static double ph(const pmk_rbm *m, const double *v, size_t j)
{
    return 1.0 / (1.0 + exp(-xh(m, v, j)));
}

static int same(const gsl_matrix *A, const gsl_matrix *B)
{
    return memcmp(A->data, B->data, A->size1 * A->size2 * sizeof(double)) == 0;
}

START_TEST(test_hidden_any_threads)
{
    pmk_rbm *m = check_rbm_random_model(D, H, 1.0, 3);
    gsl_matrix *V = rows(1, 0), *P1 = gsl_matrix_alloc(N, H), *P = gsl_matrix_alloc(N, H);
    gsl_matrix *S1 = gsl_matrix_alloc(N, H), *S = gsl_matrix_alloc(N, H);
    gsl_vector *M1 = gsl_vector_alloc(H), *M = gsl_vector_alloc(H);
    pmk_error e;
    ck_assert_int_eq(pmk_rbm_hidden_prob(m, V, P1, &e), PMK_OK);
    pmk_rng *r = pmk_rng_alloc(NULL, 8);
    ck_assert_int_eq(pmk_rbm_sample_hidden(m, V, S1, r, &e), PMK_OK);
    pmk_rng_free(r);
    ck_assert_int_eq(pmk_rbm_hidden_means(m, V, M1, &e), PMK_OK);
    /* brute force: each row by a loop, its draws from stream (key, hidden, n) */
    r = pmk_rng_alloc(NULL, 8);
    rbm_key key;
    rbm_key_draw(r, &key);
    pmk_rng_free(r);
    for (size_t j = 0; j < H; j++) {
        double sum = 0.0;
        for (size_t n = 0; n < N; n++)
            sum += gsl_matrix_get(P1, n, j);
        ck_assert_double_eq_tol(gsl_vector_get(M1, j), sum / N, 1e-15);
    }
    for (size_t n = 0; n < N; n++) {
        rbm_xs x;
        rbm_xs_init(&x, &key, RBM_ROWS_DOM_HIDDEN, n);
        for (size_t j = 0; j < H; j++) {
            double p = ph(m, gsl_matrix_const_ptr(V, n, 0), j);
            ck_assert_double_eq_tol(gsl_matrix_get(P1, n, j), p, 1e-15);
            ck_assert_double_eq(gsl_matrix_get(S1, n, j), rbm_xs_uniform(&x) < p ? 1.0 : 0.0);
        }
    }
    for (size_t c = 0; c < sizeof counts / sizeof *counts; c++) {
        ck_assert_int_eq(pmk_rbm_hidden_prob_threads(m, V, counts[c], P, &e), PMK_OK);
        ck_assert_msg(same(P, P1), "p(h|v), %d threads", counts[c]);
        r = pmk_rng_alloc(NULL, 8);
        ck_assert_int_eq(pmk_rbm_sample_hidden_threads(m, V, counts[c], S, r, &e), PMK_OK);
        pmk_rng_free(r);
        ck_assert_msg(same(S, S1), "h ~ p(h|v), %d threads", counts[c]);
        ck_assert_int_eq(pmk_rbm_hidden_means_threads(m, V, counts[c], M, &e), PMK_OK);
        ck_assert(memcmp(M->data, M1->data, H * sizeof(double)) == 0);
    }
    /* shapes are checked before any draw */
    gsl_matrix *bad = gsl_matrix_alloc(N, H + 1);
    ck_assert_int_eq(pmk_rbm_sample_hidden_threads(m, V, 2, bad, NULL, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the output is 250 x 11, expected 250 x 10");
    ck_assert_int_eq(pmk_rbm_hidden_means_threads(m, V, 2, M1, NULL), PMK_OK);
    gsl_matrix_free(bad);
    gsl_matrix_free(V);
    gsl_matrix_free(P1);
    gsl_matrix_free(P);
    gsl_matrix_free(S1);
    gsl_matrix_free(S);
    gsl_vector_free(M1);
    gsl_vector_free(M);
    pmk_rbm_free(m);
}
END_TEST

/* pmk_rbm_evaluate of V with log Z @p method, AIS of @p runs runs and 10
 * steps on each interval, on @p threads threads, drawing from seed 6. */
static void evaluate(const pmk_rbm *m, const gsl_matrix *V, int method, size_t runs,
                     int threads, pmk_rbm_evaluation *ev)
{
    pmk_rbm_ais_options ao;
    pmk_rbm_ais_options_init_default(&ao);
    ao.runs = runs;
    ao.n_betas[0] = ao.n_betas[1] = ao.n_betas[2] = 10;
    ao.threads = threads;
    pmk_rng *r = pmk_rng_alloc(NULL, 6);
    pmk_error e;
    ck_assert_int_eq(pmk_rbm_evaluate(m, V, method, &ao, r, ev, &e), PMK_OK);
    pmk_rng_free(r);
}

/* The figures of pmk_rbm_evaluate with ao.threads 1, 2, 3, 5 (and log Z
 * exact, and AIS): the same bits; against brute force on one thread. */
START_TEST(test_evaluate_any_threads)
{
    pmk_rbm *m = check_rbm_random_model(D, H, 1.0, 4);
    gsl_matrix *V = rows(2, 0);
    pmk_error e;
    for (int method = PMK_RBM_LOG_Z_NONE; method <= PMK_RBM_LOG_Z_AIS; method++) {
        pmk_rbm_evaluation ref = {0};
        for (size_t c = 0; c < sizeof counts / sizeof *counts; c++) {
            pmk_rbm_evaluation ev;
            evaluate(m, V, method, 20, counts[c], &ev);
            if (c == 0)
                ref = ev;
            double a[] = {ev.recon_error, ev.pseudo_likelihood, ev.pseudo_likelihood_1bit,
                          ev.mean_free_energy, ev.log_z, ev.mean_log_prob};
            double b[] = {ref.recon_error, ref.pseudo_likelihood, ref.pseudo_likelihood_1bit,
                          ref.mean_free_energy, ref.log_z, ref.mean_log_prob};
            ck_assert_msg(memcmp(a, b, sizeof a) == 0, "method %d, %d threads", method,
                          counts[c]);
        }
        if (method != PMK_RBM_LOG_Z_NONE)
            continue;
        /* brute force: F, every flipped bit's F, the reconstruction from
         * stream (key, recon, n), the one bit the n-th draw after the key */
        pmk_rng *r = pmk_rng_alloc(NULL, 6);
        rbm_key key;
        rbm_key_draw(r, &key);
        double fsum = 0.0, pl = 0.0, pl1 = 0.0, rec = 0.0;
        for (size_t n = 0; n < N; n++) {
            double v[D], f0 = 0.0;
            memcpy(v, gsl_matrix_const_ptr(V, n, 0), sizeof v);
            for (int flip = -1; flip < D; flip++) {   /* -1: v itself */
                if (flip >= 0)
                    v[flip] = 1.0 - v[flip];
                double f = 0.0;
                for (size_t i = 0; i < D; i++)
                    f -= gsl_vector_get(m->b, i) * v[i];
                for (size_t j = 0; j < H; j++)
                    f -= log1p(exp(xh(m, v, j)));   /* softplus(x_j) */
                if (flip < 0)
                    f0 = f, fsum += f;
                else
                    pl += -log1p(exp(-(f - f0)));
                if (flip >= 0)
                    v[flip] = 1.0 - v[flip];
            }
            rbm_xs x;
            rbm_xs_init(&x, &key, RBM_ROWS_DOM_RECON, n);
            double h[H];
            for (size_t j = 0; j < H; j++)
                h[j] = rbm_xs_uniform(&x) < ph(m, v, j) ? 1.0 : 0.0;
            for (size_t i = 0; i < D; i++) {
                double y = gsl_vector_get(m->b, i);
                for (size_t j = 0; j < H; j++)
                    y += h[j] * gsl_matrix_get(m->W, i, j);
                rec += (v[i] - 1.0 / (1.0 + exp(-y))) * (v[i] - 1.0 / (1.0 + exp(-y)));
            }
        }
        for (size_t n = 0; n < N; n++) {   /* the bits: drawn after the key */
            size_t i = (size_t)pmk_rng_uniform_int(r, D);
            double v[D], fl;
            memcpy(v, gsl_matrix_const_ptr(V, n, 0), sizeof v);
            double f[2];
            for (int k = 0; k < 2; k++) {
                f[k] = 0.0;
                for (size_t q = 0; q < D; q++)
                    f[k] -= gsl_vector_get(m->b, q) * v[q];
                for (size_t j = 0; j < H; j++)
                    f[k] -= log1p(exp(xh(m, v, j)));
                v[i] = 1.0 - v[i];
            }
            fl = -log1p(exp(-(f[1] - f[0])));
            pl1 += (double)D * fl;
        }
        pmk_rng_free(r);
        ck_assert_double_eq_tol(ref.mean_free_energy, fsum / N, 1e-11);
        ck_assert_double_eq_tol(ref.pseudo_likelihood, pl / N, 1e-10);
        ck_assert_double_eq_tol(ref.pseudo_likelihood_1bit, pl1 / N, 1e-10);
        ck_assert_double_eq_tol(ref.recon_error, rec / N, 1e-12);
        /* and the one-thread public calls give the same bits */
        double one[4];
        r = pmk_rng_alloc(NULL, 6);
        ck_assert_int_eq(pmk_rbm_recon_error(m, V, r, &one[0], &e), PMK_OK);
        ck_assert_int_eq(pmk_rbm_pseudo_likelihood(m, V, &one[1], &e), PMK_OK);
        ck_assert_int_eq(pmk_rbm_pseudo_likelihood_1bit(m, V, r, &one[2], &e), PMK_OK);
        ck_assert_int_eq(pmk_rbm_mean_free_energy(m, V, &one[3], &e), PMK_OK);
        pmk_rng_free(r);
        double want[] = {ref.recon_error, ref.pseudo_likelihood, ref.pseudo_likelihood_1bit,
                         ref.mean_free_energy};
        ck_assert(memcmp(one, want, sizeof one) == 0);
    }
    gsl_matrix_free(V);
    pmk_rbm_free(m);
}
END_TEST

/* The monitoring calls' thread-count variants (what `pmk demo` prints):
 * reconstruction error, exact and one-bit pseudo-likelihood, the same bits
 * as the one-thread calls for every count, with the same draws from r; a
 * negative count refused with pmk_threads_check's message. */
START_TEST(test_monitoring_any_threads)
{
    pmk_rbm *m = check_rbm_random_model(D, H, 1.0, 12);
    gsl_matrix *V = rows(13, 0);
    double re1, pl1, pb1, re, pl, pb;
    pmk_rng *r = pmk_rng_alloc(NULL, 14);
    ck_assert_int_eq(pmk_rbm_recon_error(m, V, r, &re1, NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_pseudo_likelihood(m, V, &pl1, NULL), PMK_OK);
    ck_assert_int_eq(pmk_rbm_pseudo_likelihood_1bit(m, V, r, &pb1, NULL), PMK_OK);
    unsigned long next1 = gsl_rng_get(pmk_rng_gsl(r));
    pmk_rng_free(r);
    ck_assert(isfinite(re1) && isfinite(pl1) && isfinite(pb1) && pl1 < 0.0);
    for (size_t c = 0; c < sizeof counts / sizeof *counts; c++) {
        r = pmk_rng_alloc(NULL, 14);
        ck_assert_int_eq(pmk_rbm_recon_error_threads(m, V, counts[c], r, &re, NULL), PMK_OK);
        ck_assert_int_eq(pmk_rbm_pseudo_likelihood_threads(m, V, counts[c], &pl, NULL), PMK_OK);
        ck_assert_int_eq(pmk_rbm_pseudo_likelihood_1bit_threads(m, V, counts[c], r, &pb, NULL),
                         PMK_OK);
        ck_assert_msg(re == re1 && pl == pl1 && pb == pb1, "%d threads: %.17g %.17g %.17g",
                      counts[c], re, pl, pb);
        ck_assert_uint_eq(gsl_rng_get(pmk_rng_gsl(r)), next1);   /* the same draws */
        pmk_rng_free(r);
    }
    pmk_error e;
    ck_assert_int_eq(pmk_rbm_recon_error_threads(m, V, -1, NULL, &re, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "threads: -1 is not 0 (the cores available) or a count up to 1024");
    ck_assert_int_eq(pmk_rbm_pseudo_likelihood_threads(m, V, -2, &pl, &e), PMK_EINVAL);
    ck_assert_int_eq(pmk_rbm_pseudo_likelihood_1bit_threads(m, V, -3, NULL, &pb, &e),
                     PMK_EINVAL);
    gsl_matrix_free(V);
    pmk_rbm_free(m);
}
END_TEST

/* log Z of a Gaussian model by brute force over the 2^H states, each c = W h
 * made afresh (rbm_gauss_score.c's closed form):
 *   log Z = (D/2) log 2 pi + sum_i log s_i
 *           + logsumexp_h [a'h + sum_i (c_i b_i / s_i + c_i^2 / 2)]. */
static double gauss_log_z_bf(const pmk_rbm *m)
{
    double *t = malloc(((size_t)1 << H) * sizeof *t);
    for (unsigned hb = 0; hb < 1u << H; hb++) {
        double u = 0.0;
        for (size_t j = 0; j < H; j++)
            u += (hb >> j & 1u) ? gsl_vector_get(m->a, j) : 0.0;
        for (size_t i = 0; i < D; i++) {
            double c = 0.0;
            for (size_t j = 0; j < H; j++)
                c += (hb >> j & 1u) ? gsl_matrix_get(m->W, i, j) : 0.0;
            u += c * gsl_vector_get(m->b, i) / gsl_vector_get(m->sigma, i) + 0.5 * c * c;
        }
        t[hb] = u;
    }
    double lz = pmk_logsumexp(t, (size_t)1 << H, 1) + 0.5 * (double)D * log(2.0 * M_PI);
    for (size_t i = 0; i < D; i++)
        lz += log(gsl_vector_get(m->sigma, i));
    free(t);
    return lz;
}

/* Gaussian units (s not 1): the figures, exact log Z (2^10 states: four
 * blocks of 256) and AIS (37 runs: blocks of 16, 16 and 5), and the hidden
 * means, the same bits for any count; exact log Z against brute force
 * (1e-12: sums of 1024 terms of size ~10 in another order). */
START_TEST(test_evaluate_gauss_any_threads)
{
    pmk_rbm *m = gauss_model();
    for (size_t i = 0; i < D; i++)
        gsl_vector_set(m->b, i, 0.1 * (double)i - 0.4);
    gsl_matrix *V = rows(3, 1);
    gsl_vector *M1 = gsl_vector_alloc(H), *M = gsl_vector_alloc(H);
    double bf = gauss_log_z_bf(m);
    for (int method = PMK_RBM_LOG_Z_EXACT; method <= PMK_RBM_LOG_Z_AIS; method++) {
        pmk_rbm_evaluation ref = {0};
        for (size_t c = 0; c < sizeof counts / sizeof *counts; c++) {
            pmk_rbm_evaluation ev;
            evaluate(m, V, method, 37, counts[c], &ev);
            ck_assert_int_eq(pmk_rbm_hidden_means_threads(m, V, counts[c], c ? M : M1, NULL),
                             PMK_OK);
            if (c == 0)
                ref = ev;
            if (method == PMK_RBM_LOG_Z_EXACT)
                ck_assert_double_eq_tol(ev.log_z, bf, 1e-12 * fabs(bf));
            ck_assert(isfinite(ev.recon_error) && isfinite(ev.mean_log_prob));
            ck_assert(isnan(ev.pseudo_likelihood) && isnan(ev.pseudo_likelihood_1bit));
            double a[] = {ev.recon_error, ev.mean_free_energy, ev.log_z, ev.mean_log_prob,
                          ev.ais.log_z_lo, ev.ais.log_z_hi};
            double b[] = {ref.recon_error, ref.mean_free_energy, ref.log_z, ref.mean_log_prob,
                          ref.ais.log_z_lo, ref.ais.log_z_hi};
            ck_assert_msg(memcmp(a, b, sizeof a) == 0, "method %d, %d threads", method,
                          counts[c]);
            ck_assert(c == 0 || memcmp(M->data, M1->data, H * sizeof(double)) == 0);
        }
        /* AIS of this 12 x 10 model within 0.5 nats of exact: a wrong base or
         * path is off by whole nats (the run's spread is ~0.1 here) */
        if (method == PMK_RBM_LOG_Z_AIS)
            ck_assert_double_eq_tol(ref.log_z, bf, 0.5);
    }
    gsl_vector_free(M1);
    gsl_vector_free(M);
    gsl_matrix_free(V);
    pmk_rbm_free(m);
}
END_TEST

/* pmk_rbm_sample: 100 chains (blocks of 96 and 4), binary and Gaussian,
 * snapshots and final states the same bits for any count. */
START_TEST(test_sample_any_threads)
{
    for (int gauss = 0; gauss < 2; gauss++) {
        pmk_rbm *m = gauss ? gauss_model() : check_rbm_random_model(D, H, 1.0, 9);
        gsl_matrix *ref = NULL, *Vref = NULL;
        for (size_t c = 0; c < sizeof counts / sizeof *counts; c++) {
            pmk_rbm_sample_options o;
            pmk_rbm_sample_options_init_default(&o);
            o.chains = 100;
            o.steps = 6;
            o.every = 3;
            o.threads = counts[c];
            pmk_rng *r = pmk_rng_alloc(NULL, 12);
            gsl_matrix *V = NULL, *S = NULL;
            pmk_error e;
            ck_assert_int_eq(pmk_rbm_sample_init(m, NULL, &o, r, &V, &e), PMK_OK);
            ck_assert_int_eq(pmk_rbm_sample(m, V, &o, r, &S, NULL, &e), PMK_OK);
            pmk_rng_free(r);
            ck_assert_uint_eq(S->size1, 200);
            if (!ref) {
                ref = S, Vref = V;
                continue;
            }
            ck_assert_msg(same(S, ref) && same(V, Vref), "gauss %d, %d threads", gauss,
                          counts[c]);
            gsl_matrix_free(S);
            gsl_matrix_free(V);
        }
        gsl_matrix_free(ref);
        gsl_matrix_free(Vref);
        pmk_rbm_free(m);
    }
    pmk_rbm_sample_options o;
    pmk_rbm_sample_options_init_default(&o);
    ck_assert_int_eq(o.threads, 0);
    o.threads = -1;
    pmk_error e;
    ck_assert_int_eq(pmk_rbm_sample_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "threads: -1 is not 0 (the cores available) or a count up to 1024");
}
END_TEST

/* Exact log Z with more than one block of states (H = 14 < D = 20: 2^14
 * states, 4 blocks of 4096) on 1, 2, 3 and 5 threads: the same bits, and the
 * brute-force sum over every hidden state (log-sum-exp of all 16384 terms at
 * once) to 1e-12 relative; the visible layer enumerated (D = 13 < H = 15: 2
 * blocks) as well. */
START_TEST(test_log_z_exact_any_threads)
{
    const size_t shapes[][2] = {{20, 14}, {13, 15}};
    for (size_t c = 0; c < 2; c++) {
        size_t d = shapes[c][0], h = shapes[c][1], K = d < h ? d : h, L = d < h ? h : d;
        pmk_rbm *m = check_rbm_random_model(d, h, 0.3, 11 + c);
        double z1, z;
        ck_assert_int_eq(rbm_log_z_exact_rows(m, 1, &z1, NULL), PMK_OK);
        for (size_t t = 1; t < sizeof counts / sizeof counts[0]; t++) {
            ck_assert_int_eq(rbm_log_z_exact_rows(m, counts[t], &z, NULL), PMK_OK);
            ck_assert(memcmp(&z, &z1, sizeof z) == 0);
        }
        ck_assert_int_eq(pmk_rbm_log_z_exact(m, &z, NULL), PMK_OK);
        ck_assert(memcmp(&z, &z1, sizeof z) == 0);
        size_t n = (size_t)1 << K;
        double *val = malloc(n * sizeof *val);
        ck_assert_ptr_nonnull(val);
        for (size_t s = 0; s < n; s++) {   /* state s of the smaller layer */
            double t = 0.0;
            for (size_t k = 0; k < K; k++)
                if ((s >> k) & 1u)
                    t += d < h ? gsl_vector_get(m->b, k) : gsl_vector_get(m->a, k);
            for (size_t l = 0; l < L; l++) {
                double x = d < h ? gsl_vector_get(m->a, l) : gsl_vector_get(m->b, l);
                for (size_t k = 0; k < K; k++)
                    if ((s >> k) & 1u)
                        x += d < h ? gsl_matrix_get(m->W, k, l) : gsl_matrix_get(m->W, l, k);
                t += log1p(exp(-fabs(x))) + (x > 0 ? x : 0.0);
            }
            val[s] = t;
        }
        double brute = pmk_logsumexp(val, n, 1);
        ck_assert_double_eq_tol(z1, brute, 1e-12 * fabs(brute));
        free(val);
        pmk_rbm_free(m);
    }
}
END_TEST

TCase *tcase_threads_rbm(void)
{
    TCase *tc = tcase_create("threads_rbm");
    tcase_add_test(tc, test_hidden_any_threads);
    tcase_add_test(tc, test_evaluate_any_threads);
    tcase_add_test(tc, test_monitoring_any_threads);
    tcase_add_test(tc, test_evaluate_gauss_any_threads);
    tcase_add_test(tc, test_sample_any_threads);
    tcase_add_test(tc, test_log_z_exact_any_threads);
    return tc;
}
