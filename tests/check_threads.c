/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_threads.c: what a threads option means (pmk/threads.h), and the
 * identities the thread count must keep: AIS bit-identical for any count,
 * gnb's ranges within 1e-12 (bit-identical for a fixed count, the same
 * predictions), checkerboard ICM, mean field and anneal identical for any count, an RBM byte-identical for a
 * fixed count.  (Mincut is sequential.)  No timing. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_pmk.h"
#include "pmk/pmk.h"

START_TEST(test_resolve)
{
    ck_assert_int_eq(pmk_threads_resolve(3), 3);
    ck_assert_int_eq(pmk_threads_resolve(PMK_THREADS_MAX + 5), PMK_THREADS_MAX);
    ck_assert_int_eq(pmk_threads_resolve(-2), 1);
    int avail = pmk_threads_available();
    ck_assert_int_ge(avail, 1);
    /* 0: OMP_NUM_THREADS's first entry when it is a positive number */
    const char *old = getenv("OMP_NUM_THREADS");
    char *keep = old ? strdup(old) : NULL;
    setenv("OMP_NUM_THREADS", "5,2", 1);
    ck_assert_int_eq(pmk_threads_resolve(0), 5);
    setenv("OMP_NUM_THREADS", "x", 1);
    ck_assert_int_eq(pmk_threads_resolve(0), avail);
    unsetenv("OMP_NUM_THREADS");
    ck_assert_int_eq(pmk_threads_resolve(0), avail);
    if (keep)
        setenv("OMP_NUM_THREADS", keep, 1);
    free(keep);
}
END_TEST

START_TEST(test_check)
{
    pmk_error e;
    ck_assert_int_eq(pmk_threads_check(0, &e), PMK_OK);
    ck_assert_int_eq(pmk_threads_check(PMK_THREADS_MAX, &e), PMK_OK);
    ck_assert_int_eq(pmk_threads_check(-1, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "threads: -1 is not 0 (the cores available) or a count up to 1024");
    ck_assert_int_eq(pmk_threads_check(PMK_THREADS_MAX + 1, &e), PMK_EINVAL);
    /* every options check refuses a bad count */
    pmk_rbm_ais_options ao;
    pmk_rbm_ais_options_init_default(&ao);
    ck_assert_int_eq(ao.threads, 0);
    ao.threads = -3;
    ck_assert_int_eq(pmk_rbm_ais_options_check(&ao, &e), PMK_EINVAL);
    pmk_ising_options io;
    pmk_ising_options_init_default(&io);
    io.threads = 2000;
    ck_assert_int_eq(pmk_ising_options_check(&io, &e), PMK_EINVAL);
    pmk_data_options dopt;
    pmk_data_options_init_default(&dopt);
    dopt.threads = -1;
    ck_assert_int_eq(pmk_data_options_check(&dopt, &e), PMK_EINVAL);
    pmk_rbm_options ro;
    pmk_rbm_options_init_default(&ro);
    ro.threads = -1;
    ck_assert_int_eq(pmk_rbm_options_check(&ro, &e), PMK_EINVAL);
#ifdef _OPENMP
    ck_assert_int_eq(pmk_threads_openmp(), 1);
#else
    ck_assert_int_eq(pmk_threads_openmp(), 0);
#endif
}
END_TEST

/* AIS with 1, 2 and 3 threads (and 37 runs: two full blocks of 16 and a
 * short one): the same bits. */
START_TEST(test_ais_any_threads)
{
    pmk_rbm *m = check_rbm_random_model(12, 10, 1.0, 17);
    gsl_matrix *X = gsl_matrix_calloc(3, 12);
    gsl_matrix_set(X, 0, 1, 1.0);
    gsl_matrix_set(X, 2, 5, 1.0);
    pmk_rbm_ais_result ref = {0};
    for (int t = 1; t <= 3; t++) {
        pmk_rbm_ais_options o;
        pmk_rbm_ais_options_init_default(&o);
        o.runs = 37;
        o.n_betas[0] = 20, o.n_betas[1] = 30, o.n_betas[2] = 40;
        o.threads = t;
        pmk_rng *r = pmk_rng_alloc(NULL, 99);
        pmk_rbm_ais_result res;
        pmk_error e;
        ck_assert_int_eq(pmk_rbm_log_z_ais(m, X, &o, r, &res, &e), PMK_OK);
        ck_assert(isfinite(res.log_z));
        if (t == 1)
            ref = res;
        ck_assert_msg(memcmp(&res.log_z, &ref.log_z, sizeof res.log_z) == 0
                          && memcmp(&res.log_z_hi, &ref.log_z_hi, sizeof res.log_z) == 0,
                      "threads %d: log Z %.17g, 1 thread %.17g", t, res.log_z, ref.log_z);
        pmk_rng_free(r);
    }
    gsl_matrix_free(X);
    pmk_rbm_free(m);
}
END_TEST

/* A model trained on N random rows of D binary units (H hidden, batches of
 * B, 2 epochs) with @p threads, as the bytes of its file.  @p mode: 0 CD-1,
 * 1 CD-2 with the sparsity target, 2 PCD-1, 3 tempering (3 replicas). */
static char *train_bytes_shape(int threads, size_t N, size_t D, size_t H, size_t B, int mode,
                               size_t *len)
{
    gsl_matrix *X = gsl_matrix_alloc(N, D);
    pmk_rng *r = pmk_rng_alloc(NULL, 4);
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < D; i++)
            gsl_matrix_set(X, n, i, pmk_rng_uniform(r) < (i % 4 + 1) / 5.0 ? 1.0 : 0.0);
    pmk_error e;
    pmk_rbm *m = pmk_rbm_alloc(D, H, &e);
    ck_assert_ptr_nonnull(m);
    ck_assert_int_eq(pmk_rbm_init(m, X, r, &e), PMK_OK);
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    o.epochs = 2;
    o.batch = B;
    o.threads = threads;
    o.k = mode == 1 ? 2 : 1;
    o.sparsity_cost = mode == 1 ? 0.5 : 0.0;
    o.persistent = mode == 2;
    if (mode == 3)
        ck_assert_int_eq(pmk_rbm_options_set_temperatures(&o, "3", &e), PMK_OK);
    ck_assert_int_eq(pmk_rbm_fit(m, X, &o, r, NULL, NULL, &e), PMK_OK);
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    ck_assert_int_eq(pmk_rbm_write(m, f, &e), PMK_OK);
    fclose(f);
    pmk_rbm_free(m);
    pmk_rng_free(r);
    gsl_matrix_free(X);
    return buf;
}

/* Training twice with the same seed and the same thread count: the same
 * bytes (also with the sparsity target and H > the batch: the sparsity
 * gradient's buffer holds H floats, under ASan). */
static char *train_bytes(int threads, size_t *len)
{
    return train_bytes_shape(threads, 40, 16, 8, 10, 0, len);
}

START_TEST(test_rbm_fixed_threads)
{
    for (int t = 1; t <= 2; t++) {
        size_t n1, n2;
        char *a = train_bytes(t, &n1), *b = train_bytes(t, &n2);
        ck_assert_uint_eq(n1, n2);
        ck_assert(memcmp(a, b, n1) == 0);
        free(a);
        free(b);
        a = train_bytes_shape(t, 40, 16, 24, 10, 1, &n1);
        b = train_bytes_shape(t, 40, 16, 24, 10, 1, &n2);
        ck_assert_uint_eq(n1, n2);
        ck_assert(memcmp(a, b, n1) == 0);
        free(a);
        free(b);
    }
}
END_TEST

/* Minibatches shared among threads (B D H = 200 x 256 x 192, above
 * PMK_RBM_BLAS_SHARE_MIN; 500 rows: two full batches and one of 100): the
 * same bytes for 1, 2 and 3 threads, for CD-1, CD-2 with sparsity, PCD and
 * tempering (what `pmk rbm train --help` promises). */
START_TEST(test_rbm_any_threads)
{
    ck_assert(200.0 * 256 * 192 >= PMK_RBM_BLAS_SHARE_MIN);
    for (int mode = 0; mode < 4; mode++) {
        size_t n1, n2;
        char *a = train_bytes_shape(1, 500, 256, 192, 200, mode, &n1);
        for (int t = 2; t <= 3; t++) {
            char *b = train_bytes_shape(t, 500, 256, 192, 200, mode, &n2);
            ck_assert_uint_eq(n1, n2);
            ck_assert_msg(memcmp(a, b, n1) == 0, "mode %d: %d threads differ from 1", mode, t);
            free(b);
        }
        free(a);
    }
}
END_TEST

/* gnb over ranges: a plain CSV of 300 rows, 5 features, 3 classes, fitted
 * with 1, 2 and 3 threads: parameters within 1e-12 relative (the merge
 * order is the only difference), the same bits for the same count, and the
 * same predictions. */
static pmk_gnb *fit_threads(const char *path, int threads)
{
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.threads = threads;
    o.chunk_rows = 32;
    pmk_error e;
    pmk_gnb_fitter *f = pmk_gnb_fitter_open(path, &o, NULL, 0, &e);
    ck_assert_ptr_nonnull(f);
    pmk_gnb *m = NULL;
    ck_assert_int_eq(pmk_gnb_fitter_run(f, &m, NULL, &e), PMK_OK);
    pmk_gnb_fitter_free(f);
    return m;
}

START_TEST(test_gnb_ranges)
{
    char path[] = "/tmp/pmk-check-threads-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *f = fdopen(fd, "w");
    pmk_rng *r = pmk_rng_alloc(NULL, 12);
    fputs("label,a,b,c,d,e\n", f);
    for (int n = 0; n < 300; n++) {
        int k = (int)pmk_rng_uniform_int(r, 3);
        fprintf(f, "%d", k * 7);
        for (int j = 0; j < 5; j++)
            fprintf(f, ",%.6f", k + j * 0.5 + pmk_rng_gaussian(r) * (1 + 0.3 * j));
        fputc('\n', f);
    }
    fclose(f);
    pmk_rng_free(r);
    pmk_gnb *m1 = fit_threads(path, 1);
    gsl_matrix *X = gsl_matrix_alloc(50, 5);
    r = pmk_rng_alloc(NULL, 13);
    for (size_t i = 0; i < 50 * 5; i++)
        X->data[i] = pmk_rng_gaussian(r) * 3 + 1;
    long y1[50], yt[50];
    pmk_error e;
    ck_assert_int_eq(pmk_gnb_predict(m1, X, y1, &e), PMK_OK);
    for (int t = 2; t <= 3; t++) {
        pmk_gnb *a = fit_threads(path, t), *b = fit_threads(path, t);
        ck_assert_double_eq(pmk_gnb_ntrain(a), 300);
        const gsl_matrix *M1 = pmk_gnb_means(m1), *Ma = pmk_gnb_means(a), *Mb = pmk_gnb_means(b);
        const gsl_matrix *V1 = pmk_gnb_variances(m1), *Va = pmk_gnb_variances(a);
        ck_assert_uint_eq(Ma->size1, 3);
        for (size_t i = 0; i < 3; i++)
            for (size_t j = 0; j < 5; j++) {
                double u = gsl_matrix_get(M1, i, j), v = gsl_matrix_get(Ma, i, j);
                ck_assert_msg(fabs(u - v) <= 1e-12 * fabs(u), "mean %zu,%zu: %.17g vs %.17g", i, j, u, v);
                u = gsl_matrix_get(V1, i, j), v = gsl_matrix_get(Va, i, j);
                ck_assert_msg(fabs(u - v) <= 1e-12 * fabs(u), "var %zu,%zu: %.17g vs %.17g", i, j, u, v);
                ck_assert(memcmp(gsl_matrix_const_ptr(Ma, i, j), gsl_matrix_const_ptr(Mb, i, j),
                                 sizeof(double)) == 0);
            }
        ck_assert_int_eq(pmk_gnb_predict(a, X, yt, &e), PMK_OK);
        ck_assert(memcmp(y1, yt, sizeof y1) == 0);
        pmk_gnb_free(a);
        pmk_gnb_free(b);
    }
    pmk_rng_free(r);
    gsl_matrix_free(X);
    pmk_gnb_free(m1);
    remove(path);
}
END_TEST

/* Checkerboard ICM, mean field and anneal (the same seed) on 1, 2 and 3
 * threads, 4 and 8 neighbours, on a random 37 x 29 image (odd sides: a
 * short last row pair and edge columns): the same image, the same
 * per-sweep counts and energies, bit for bit. */
START_TEST(test_icm_any_threads)
{
    enum { W = 37, H = 29 };
    int8_t y[W * H], x1[W * H], xt[W * H];
    pmk_rng *r = pmk_rng_alloc(NULL, 21);
    for (size_t i = 0; i < W * H; i++)
        y[i] = ((i / W) * (i / W) + (i % W) * 3 < 700) ^ (pmk_rng_uniform(r) < 0.2) ? 1 : -1;
    pmk_rng_free(r);
    static const pmk_ising_method methods[3] = {PMK_ISING_ICM, PMK_ISING_MEANFIELD,
                                                PMK_ISING_ANNEAL};
    for (int k = 0; k < 6; k++) {
        int nb = k & 1 ? 8 : 4;
        pmk_ising_params p;
        pmk_ising_params_init_default(&p);
        p.neighbours = nb;
        p.beta = nb == 4 ? 1.0 : 0.6;
        pmk_ising_result ref = {0}, res = {0};
        for (int t = 1; t <= 3; t++) {
            pmk_ising_options o;
            pmk_ising_options_init_default(&o);
            o.order = PMK_ISING_CHECKERBOARD;
            o.method = methods[k / 2];
            o.anneal_sweeps = 10;
            o.threads = t;
            pmk_error e;
            pmk_rng *g = pmk_rng_alloc(NULL, 5);
            ck_assert_int_eq(pmk_ising_denoise(&p, &o, W, H, y, t == 1 ? x1 : xt, g,
                                               t == 1 ? &ref : &res, &e), PMK_OK);
            pmk_rng_free(g);
            if (t == 1) {
                ck_assert_uint_gt(ref.changed, 0);
                continue;
            }
            ck_assert(memcmp(x1, xt, sizeof xt) == 0);
            ck_assert_uint_eq(res.ntrace, ref.ntrace);
            for (size_t s = 0; s < res.ntrace; s++) {
                ck_assert_uint_eq(res.trace[s].changed, ref.trace[s].changed);
                ck_assert(memcmp(&res.trace[s].energy, &ref.trace[s].energy, sizeof(double)) == 0);
                ck_assert(memcmp(&res.trace[s].free_energy, &ref.trace[s].free_energy,
                                 sizeof(double)) == 0);
            }
            pmk_ising_result_clear(&res);
        }
        pmk_ising_result_clear(&ref);
    }
}
END_TEST

Suite *suite_threads(void)
{
    Suite *s = suite_create("threads");
    TCase *tc = tcase_create("threads");
    tcase_add_test(tc, test_resolve);
    tcase_add_test(tc, test_check);
    tcase_add_test(tc, test_ais_any_threads);
    tcase_add_test(tc, test_rbm_fixed_threads);
    tcase_add_test(tc, test_rbm_any_threads);
    tcase_add_test(tc, test_gnb_ranges);
    tcase_add_test(tc, test_icm_any_threads);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, tcase_threads_gnb());
    suite_add_tcase(s, tcase_threads_rbm());
    return s;
}
