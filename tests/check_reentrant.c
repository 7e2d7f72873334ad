/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_reentrant.c: the library keeps no mutable global state, so jobs of
 * different kinds run in two threads at once give, bit for bit, what each
 * gives alone (issue 6, "Reentrancy"). */
#include "config.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <check.h>

#include "pmk/pmk.h"
#include "check_pmk.h"

/* A job computes something deterministic and leaves its result as bytes: the
 * matrices it produced, the files it wrote.  Each run gets its own folder. */
typedef struct job {
    const char *name;
    int (*run)(struct job *j, const char *dir);
    char *out;          /* result bytes (malloc'ed) */
    size_t len, cap;
    int rc;
    pmk_error err;      /* the cause when rc != 0 */
    char dir[512];
    char src[4096];     /* a path in the source tree */
} job;

/* test_srcpath's static buffer is shared: jobs build their paths apart. */
static const char *src(job *j, const char *rel)
{
    const char *top = getenv("PMK_TOP_SRCDIR");
    snprintf(j->src, sizeof j->src, "%s/%s", top && *top ? top : ".", rel);
    return j->src;
}

static void append(job *j, const void *p, size_t n)
{
    if (j->len + n > j->cap) {
        /* Geometric growth: a row at a time, realloc to the exact size was
         * quadratic, and slow enough under ASan to trip the timeout. */
        size_t cap = j->cap ? 2 * j->cap : 1 << 16;
        while (cap < j->len + n)
            cap *= 2;
        char *q = realloc(j->out, cap);
        ck_assert_ptr_nonnull(q);
        j->out = q;
        j->cap = cap;
    }
    memcpy(j->out + j->len, p, n);
    j->len += n;
}

static void append_matrix(job *j, const gsl_matrix *M)
{
    for (size_t i = 0; i < M->size1; i++)
        append(j, gsl_matrix_const_ptr(M, i, 0), M->size2 * sizeof(double));
}

static void append_file(job *j, const char *path)
{
    size_t n;
    char *b = test_read_file(path, &n);
    append(j, b, n);
    free(b);
}

/* gnb, one variance per class, on 2000 MNIST digits read whole: the log
 * posteriors of every row and the saved model. */
static int job_gnb_class(job *j, const char *dir)
{
    pmk_error *ep = &j->err;
    pmk_dataset *ds = NULL;
    int rc = pmk_csv_read_all(src(j, "data/mnist-test.csv.gz"), NULL, &ds, ep);
    if (rc)
        return rc;
    pmk_gnb_options o;
    pmk_gnb_options_init_default(&o);
    o.variance = PMK_GNB_VAR_CLASS;
    pmk_gnb *m = pmk_gnb_fit(ds->X, ds->y, &o, ep);
    gsl_matrix *L = m ? gsl_matrix_alloc(ds->n, pmk_gnb_nclasses(m)) : NULL;
    rc = !m || !L ? PMK_ENOMEM : pmk_gnb_predict_log_proba(m, ds->X, L, ep);
    char path[600];
    snprintf(path, sizeof path, "%s/class.gnb", dir);
    if (!rc)
        rc = pmk_gnb_save(m, path, ep);
    if (!rc) {
        append_matrix(j, L);
        append_file(j, path);
    }
    gsl_matrix_free(L);
    pmk_gnb_free(m);
    pmk_dataset_free(ds);
    return rc;
}

/* gnb, shared variance and uniform priors, fitted in chunks from the reader,
 * saved (under uselocale "C"), loaded back and saved again. */
static int job_gnb_shared(job *j, const char *dir)
{
    pmk_error *ep = &j->err;
    pmk_gnb_options o;
    pmk_gnb_options_init_default(&o);
    o.priors = PMK_GNB_PRIOR_UNIFORM;
    o.var_floor = 1e-3;
    pmk_csv_options co;
    pmk_csv_options_init_default(&co);
    co.chunk_rows = 97;
    pmk_csv_reader *r = pmk_csv_open(src(j, "data/mnist-train.csv.gz"), &co, ep);
    if (!r)
        return ep->code;
    pmk_gnb *m = pmk_gnb_alloc(pmk_csv_ncols(r), &o, ep);
    int rc = m ? PMK_OK : PMK_ENOMEM;
    pmk_csv_chunk ch;
    while (!rc && !(rc = pmk_csv_read_chunk(r, &ch, ep)) && ch.n > 0)
        rc = pmk_gnb_partial_fit(m, &ch.X.matrix, ch.y, ep);
    pmk_csv_close(r);
    if (!rc)
        rc = pmk_gnb_finish(m, ep);
    char a[600], b[600];
    snprintf(a, sizeof a, "%s/shared.gnb", dir);
    snprintf(b, sizeof b, "%s/shared2.gnb", dir);
    pmk_gnb *m2 = NULL;
    if (!rc)
        rc = pmk_gnb_save(m, a, ep);
    if (!rc)
        rc = pmk_gnb_load(a, &m2, ep);
    if (!rc)
        rc = pmk_gnb_save(m2, b, ep);
    if (!rc) {
        append_file(j, a);
        append_file(j, b);
    }
    pmk_gnb_free(m);
    pmk_gnb_free(m2);
    return rc;
}

/* images: read the noisy horse (PBM), write it as PNG and PGM, read them back */
static int job_image(job *j, const char *dir)
{
    pmk_error *ep = &j->err;
    pmk_image *im = NULL, *back = NULL;
    int rc = pmk_image_read(src(j, "data/horse-noisy10.pbm"), &im, ep);
    char png[600], pgm[600];
    snprintf(png, sizeof png, "%s/h.png", dir);
    snprintf(pgm, sizeof pgm, "%s/h.pgm", dir);
    if (!rc)
        rc = pmk_image_write(png, im, PMK_IMAGE_AUTO, ep);
    if (!rc)
        rc = pmk_image_write(pgm, im, PMK_IMAGE_PGM_PLAIN, ep);
    if (!rc)
        rc = pmk_image_read(png, &back, ep);
    if (!rc) {
        append_matrix(j, back->pix);
        append_file(j, png);
        append_file(j, pgm);
    }
    pmk_image_free(im);
    pmk_image_free(back);
    return rc;
}

/* IDX: write the MNIST test rows as IDX (gzipped), read them back */
static int job_idx(job *j, const char *dir)
{
    pmk_error *ep = &j->err;
    pmk_dataset *ds = NULL;
    int rc = pmk_csv_read_all(src(j, "data/mnist-test.csv.gz"), NULL, &ds, ep);
    if (rc)
        return rc;
    char path[600];
    snprintf(path, sizeof path, "%s/x.idx.gz", dir);
    size_t dims[3] = {ds->n, 28, 28};
    gsl_matrix *X = NULL;
    rc = pmk_idx_write(path, ds->X, PMK_IDX_U8, dims, 3, ep);
    if (!rc)
        rc = pmk_idx_read(path, &X, NULL, NULL, ep);
    if (!rc)
        append_matrix(j, X);
    gsl_matrix_free(X);
    pmk_dataset_free(ds);
    return rc;
}

/* ising: denoise the noisy horse with METHOD (anneal draws from its own RNG) */
static int ising_job(job *j, pmk_ising_method method)
{
    pmk_error *ep = &j->err;
    pmk_image *im = NULL;
    int rc = pmk_image_read(src(j, "data/horse-noisy10.pbm"), &im, ep);
    if (rc)
        return rc;
    size_t n = im->width * im->height;
    int8_t *y = malloc(n), *x = malloc(n);
    pmk_rng *rng = pmk_rng_alloc(NULL, 7);
    if (!y || !x || !rng)
        rc = PMK_ENOMEM;
    for (size_t i = 0; !rc && i < n; i++)
        y[i] = im->pix->data[i] > 0 ? 1 : -1;
    pmk_ising_params p;
    pmk_ising_params_init_default(&p);
    pmk_ising_options o;
    pmk_ising_options_init_default(&o);
    o.method = method;
    o.anneal_sweeps = 20;
    pmk_ising_result res = {0};
    if (!rc)
        rc = pmk_ising_denoise(&p, &o, im->width, im->height, y, x, rng, &res, ep);
    if (!rc) {
        append(j, x, n);
        append(j, &res.energy, sizeof res.energy);
    }
    pmk_ising_result_clear(&res);
    pmk_rng_free(rng);
    free(x);
    free(y);
    pmk_image_free(im);
    return rc;
}

static int job_ising_icm(job *j, const char *dir)
{
    (void)dir;
    return ising_job(j, PMK_ISING_ICM);
}

static int job_ising_mincut(job *j, const char *dir)
{
    (void)dir;
    return ising_job(j, PMK_ISING_MINCUT);
}

static int job_ising_anneal(job *j, const char *dir)
{
    (void)dir;
    return ising_job(j, PMK_ISING_ANNEAL);
}

/* rbm: CD-1 (or PCD-1) on 300 MNIST digits scaled to [0,1], 32 hidden units,
 * 2 epochs from seed 11; the saved model (parameters and training state) */
static int rbm_job(job *j, const char *dir, int persistent)
{
    pmk_error *ep = &j->err;
    pmk_dataset *ds = NULL;
    int rc = pmk_csv_read_all(src(j, "data/mnist-test.csv.gz"), NULL, &ds, ep);
    if (rc)
        return rc;
    gsl_matrix_view X = gsl_matrix_submatrix(ds->X, 0, 0, 300, ds->d);
    gsl_matrix_scale(&X.matrix, 1.0 / 255);
    pmk_rng *rng = pmk_rng_alloc(NULL, 11);
    pmk_rbm *m = pmk_rbm_alloc(ds->d, 32, ep);
    rc = rng && m ? PMK_OK : PMK_ENOMEM;
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    o.epochs = 2;
    o.batch = 50;
    o.persistent = persistent;
    if (!rc)
        rc = pmk_rbm_init(m, &X.matrix, rng, ep);
    if (!rc)
        rc = pmk_rbm_fit(m, &X.matrix, &o, rng, NULL, NULL, ep);
    char path[600];
    snprintf(path, sizeof path, "%s/m.rbm", dir);
    if (!rc)
        rc = pmk_rbm_save(m, path, ep);
    if (!rc)
        append_file(j, path);
    pmk_rbm_free(m);
    pmk_rng_free(rng);
    pmk_dataset_free(ds);
    return rc;
}

static int job_rbm_cd(job *j, const char *dir)
{
    return rbm_job(j, dir, 0);
}

static int job_rbm_pcd(job *j, const char *dir)
{
    return rbm_job(j, dir, 1);
}

static void *run_job(void *arg)
{
    job *j = arg;
    j->rc = j->run(j, j->dir);
    return NULL;
}

static void job_reset(job *j, int (*run)(job *, const char *), const char *name, const char *tag)
{
    memset(j, 0, sizeof *j);
    j->name = name;
    j->run = run;
    snprintf(j->dir, sizeof j->dir, "%s/%s-%s", test_tmpdir(), name, tag);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", j->dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Runs A and B alone, then together in two threads, and compares. */
static void alone_then_together(int (*a)(job *, const char *), const char *an,
                                int (*b)(job *, const char *), const char *bn)
{
    job alone[2], both[2];
    job_reset(&alone[0], a, an, "alone");
    job_reset(&alone[1], b, bn, "alone");
    for (int i = 0; i < 2; i++) {
        run_job(&alone[i]);
        ck_assert_msg(alone[i].rc == 0, "%s alone: status %d: %s", alone[i].name, alone[i].rc,
                      alone[i].err.msg);
        ck_assert_uint_gt(alone[i].len, 0);
    }
    job_reset(&both[0], a, an, "thread");
    job_reset(&both[1], b, bn, "thread");
    pthread_t t[2];
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&t[i], NULL, run_job, &both[i]), 0);
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_join(t[i], NULL), 0);
    for (int i = 0; i < 2; i++) {
        ck_assert_msg(both[i].rc == 0, "%s in a thread: status %d: %s", both[i].name, both[i].rc,
                      both[i].err.msg);
        ck_assert_msg(both[i].len == alone[i].len
                          && memcmp(both[i].out, alone[i].out, alone[i].len) == 0,
                      "%s in a thread differs from %s alone", both[i].name, alone[i].name);
        free(both[i].out);
        free(alone[i].out);
    }
}

START_TEST(test_gnb_class_with_gnb_shared)
{
    alone_then_together(job_gnb_class, "gnb-class", job_gnb_shared, "gnb-shared");
}
END_TEST

START_TEST(test_gnb_with_image)
{
    alone_then_together(job_gnb_shared, "gnb-shared", job_image, "image");
}
END_TEST

START_TEST(test_idx_with_image)
{
    alone_then_together(job_idx, "idx", job_image, "image");
}
END_TEST

START_TEST(test_ising_mincut_with_gnb)
{
    alone_then_together(job_ising_mincut, "ising-mincut", job_gnb_class, "gnb-class");
}
END_TEST

START_TEST(test_ising_icm_with_anneal)
{
    alone_then_together(job_ising_icm, "ising-icm", job_ising_anneal, "ising-anneal");
}
END_TEST

START_TEST(test_rbm_with_gnb)
{
    alone_then_together(job_rbm_cd, "rbm-cd", job_gnb_shared, "gnb-shared");
}
END_TEST

START_TEST(test_rbm_with_ising)
{
    alone_then_together(job_rbm_pcd, "rbm-pcd", job_ising_anneal, "ising-anneal");
}
END_TEST

Suite *suite_reentrant(void)
{
    Suite *s = suite_create("reentrant");
    TCase *tc = tcase_create("threads");
    tcase_set_timeout(tc, 600); /* a hang guard: ASan and valgrind are slow */
    tcase_add_test(tc, test_gnb_class_with_gnb_shared);
    tcase_add_test(tc, test_gnb_with_image);
    tcase_add_test(tc, test_idx_with_image);
    tcase_add_test(tc, test_ising_mincut_with_gnb);
    tcase_add_test(tc, test_ising_icm_with_anneal);
    tcase_add_test(tc, test_rbm_with_gnb);
    tcase_add_test(tc, test_rbm_with_ising);
    suite_add_tcase(s, tc);
    return s;
}
