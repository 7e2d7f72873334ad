/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_rbm_train.c: the rbm suite's second half: training learns and is
 * reproducible, the CD-k ramp, file round trips and the exact message for each
 * bad model file or input, training from the compact table, the options'
 * sizes.  (check_rbm.c holds the exact and stochastic checks.) */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_pmk.h"
#include "check_rbm.h"
#include "pmk/pmk.h"
#include "models/rbm_internal.h"

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

/* Mean exact log-likelihood of the rows of X: -mean F(v) - log Z (also
 * check_rbm_parallel.c's, through check_pmk.h). */
double rbm_mean_loglik(const pmk_rbm *m, const gsl_matrix *X)
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
 * this bimodal toy and end near -3.7).  PCD-1 on 10 chains is seed-sensitive
 * here (seeds 2-13: a quarter to a half of the runs stay below -3.0, some
 * near -4.1, whatever the sampler's streams), so the bound holds for the
 * median of seeds 2, 3 and 4.  The callback runs once per epoch. */
START_TEST(test_training_learns)
{
    gsl_matrix *X = two_prototypes(1);
    double after3[3], before = 0.0;
    for (int q = 0; q < 6; q++) {
        int pcd = q / 3;
        pmk_rbm *m = pmk_rbm_alloc(8, 4, NULL);
        pmk_rng *r = pmk_rng_alloc(NULL, 2 + q % 3);
        ck_assert_int_eq(pmk_rbm_init(m, X, r, NULL), PMK_OK);
        before = rbm_mean_loglik(m, X);
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
        after3[q % 3] = rbm_mean_loglik(m, X);
        ck_assert_ptr_nonnull(m->dW);
        if (pcd) {
            ck_assert_ptr_nonnull(m->chains);
            ck_assert_uint_eq(m->chains->size1, 10);
        } else {
            ck_assert_ptr_null(m->chains);
        }
        pmk_rng_free(r);
        pmk_rbm_free(m);
        if (q % 3 == 2) {   /* the median of the three seeds */
            double a = after3[0], b = after3[1], c = after3[2];
            double med = a > b ? (b > c ? b : a > c ? c : a) : (a > c ? a : b > c ? c : b);
            ck_assert_msg(med > -3.0 && med > before + 1.0, "pcd=%d: %g -> %g %g %g", pcd,
                          before, a, b, c);
        }
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
    /* A comma-decimal locale (test_de_locale), when the system can build it. */
    const char *locales[] = {NULL, "de_DE.UTF-8"};
    for (int l = 0; l < 2; l++) {
        if (locales[l] && !test_de_locale()) {
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
#define V3 "pmk-rbm 3\nvisible 2\nhidden 1\nepochs 0\nscale 1\nthreshold 0\ncheck01 1\nb\n0 0\na\n0\nW\n0\n0\nmomentum 0\nchains 0\n"
    const char *good = "pmk-rbm 1\nvisible 2\nhidden 1\nepochs 0\nb\n0.5 -1\na\n0\nW\n0.25\n"
                       "-0.75\nmomentum 0\nchains 0\nend\n";
    static const struct {
        const char *text;
        const char *msg;   /* after "PATH:" */
    } cases[] = {
        {"", "1: unexpected end of file: expected 'pmk-rbm 2'"},
        {"pmk-gnb 1\n", "1: not a pmk RBM model (first line 'pmk-gnb 1', expected 'pmk-rbm 4')"},
        {"pmk-rbm 5\n", "1: format version 5 is newer than this pmk reads (4)"},
        /* version 3: the sparsity means and the RNG state after the chains */
        {V3 "end\n", "17: expected 'sparsity N', found 'end'"},
        {V3 "sparsity 2\n", "17:2: sparsity must be 0 or 1, not 2"},
        {V3 "sparsity 1\n1.5\n", "18:1: the running means: a running mean must be in [0, 1], "
                                  "not 1.5"},
        {V3 "sparsity 0\nend\n", "18: expected 'rng TYPE SEED N' or 'rng none', found 'end'"},
        {V3 "sparsity 0\nrng mt19937 1 0\n", "18: an RNG state of 0 bytes is not in 1..65536"},
        {V3 "sparsity 0\nrng mt19937 1 2\n00zz\n",
         "19: the RNG state must be 4 lowercase hex digits"},
        {V3 "sparsity 0\nrng mt19937 1 2\n00ab\n", "20: unexpected end of file: expected 'end'"},
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
    pmk_rbm *m = check_rbm_random_model(4, 3, 1.0, 21);
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
    pmk_rbm *m = check_rbm_random_model(2, 2, 1.0, 3), *back = NULL;
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

void suite_rbm_training(Suite *s)
{
    TCase *tc = tcase_create("training");
    tcase_add_test(tc, test_training_learns);
    tcase_add_test(tc, test_same_seed_same_model);
    tcase_add_test(tc, test_cd_ramp);
    suite_add_tcase(s, tc);
    tc = tcase_create("files");
    tcase_set_timeout(tc, 60);   /* localedef under load */
    tcase_add_test(tc, test_save_load_round_trip);
    tcase_add_test(tc, test_bad_model_files);
    tcase_add_test(tc, test_bad_inputs);
    tcase_add_test(tc, test_shapes_refused);
    tcase_add_test(tc, test_fit_table_equals_matrix);
    tcase_add_test(tc, test_transform_in_file);
    suite_add_tcase(s, tc);
}
