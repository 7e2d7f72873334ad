/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_rbm_draw.c: the rbm suite's third part: what `pmk rbm` makes of a
 * model through the library: the data path, every figure of `rbm eval` in
 * one call, Gibbs chains with snapshots
 * (against each chain run by hand from its own stream, the same for any
 * thread count), pictures (levels
 * worked out by hand), the exported CSV files byte for byte, and the exact
 * message for each bad input. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_pmk.h"
#include "pmk/pmk.h"
#include "models/rbm_internal.h"
#include "models/rbm_rows_internal.h"

/* A 4 x 3 model (2 x 2 images) with W's columns 0 1 2 3, 3 2 1 0, 0 0 0 0. */
static pmk_rbm *model_4x3(void)
{
    pmk_rbm *m = pmk_rbm_alloc(4, 3, NULL);
    ck_assert_ptr_nonnull(m);
    for (size_t i = 0; i < 4; i++) {
        gsl_matrix_set(m->W, i, 0, (double)i);
        gsl_matrix_set(m->W, i, 1, 3.0 - (double)i);
    }
    return m;
}

static double pix(const pmk_image *img, size_t row, size_t col)
{
    return gsl_matrix_get(img->pix, row, col);
}

/* ---------------------------------------------------------------- pictures */

START_TEST(test_image_side)
{
    pmk_error e;
    size_t s = 0;
    ck_assert_int_eq(pmk_rbm_image_side(784, &s, &e), PMK_OK);
    ck_assert_uint_eq(s, 28);
    ck_assert_int_eq(pmk_rbm_image_side(1, &s, &e), PMK_OK);
    ck_assert_uint_eq(s, 1);
    ck_assert_int_eq(pmk_rbm_image_side(35, &s, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "35 visible units are not a square image");
}
END_TEST

START_TEST(test_filters_image)
{
    pmk_error e;
    pmk_rbm *m = model_4x3();
    pmk_image *img = NULL;
    /* two filters, ceil(sqrt 2) = 2 a row: 2 + 1 + 2 pixels wide; each tile
     * from its own min (black) to max (white): 0 85 170 255 (255 k / 3) */
    ck_assert_int_eq(pmk_rbm_filters_image(m, 2, 0, &img, &e), PMK_OK);
    ck_assert_uint_eq(img->width, 5);
    ck_assert_uint_eq(img->height, 2);
    const double want[2][5] = {{0, 85, 255, 255, 170}, {170, 255, 255, 85, 0}};
    for (size_t r = 0; r < 2; r++)
        for (size_t c = 0; c < 5; c++)
            ck_assert_double_eq(pix(img, r, c), want[r][c]);
    pmk_image_free(img);
    /* count 0 (and more than H) is all 3; the constant third filter is mid-grey */
    ck_assert_int_eq(pmk_rbm_filters_image(m, 0, 0, &img, &e), PMK_OK);
    ck_assert_uint_eq(img->width, 5);
    ck_assert_uint_eq(img->height, 5);
    ck_assert_double_eq(pix(img, 3, 0), 128);
    ck_assert_double_eq(pix(img, 3, 3), 255);   /* an empty cell is white */
    pmk_image_free(img);
    ck_assert_int_eq(pmk_rbm_filters_image(m, 9, 3, &img, &e), PMK_OK);
    ck_assert_uint_eq(img->width, 8);
    ck_assert_uint_eq(img->height, 2);
    pmk_image_free(img);
    pmk_rbm_free(m);
    m = pmk_rbm_alloc(3, 2, NULL);
    img = NULL;
    ck_assert_int_eq(pmk_rbm_filters_image(m, 0, 0, &img, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "3 visible units are not a square image");
    ck_assert_ptr_null(img);
    pmk_rbm_free(m);
}
END_TEST

START_TEST(test_visible_image)
{
    pmk_error e;
    pmk_rbm *m = model_4x3();
    pmk_image *img = NULL;
    /* 0 black, 1 white: round(255 v) = 0, 128 (127.5 rounds up), 255, 64 */
    double v[8] = {0, 0.5, 1, 0.25, 1, 1, 1, 1};
    gsl_matrix_view V = gsl_matrix_view_array(v, 2, 4);
    ck_assert_int_eq(pmk_rbm_visible_image(m, &V.matrix, 1, &img, &e), PMK_OK);
    ck_assert_uint_eq(img->width, 2);
    ck_assert_uint_eq(img->height, 5);
    const double want[5][2] = {{0, 128}, {255, 64}, {255, 255}, {255, 255}, {255, 255}};
    for (size_t r = 0; r < 5; r++)
        for (size_t c = 0; c < 2; c++)
            ck_assert_double_eq(pix(img, r, c), want[r][c]);
    pmk_image_free(img);
    gsl_matrix_view W3 = gsl_matrix_view_array(v, 2, 3);
    ck_assert_int_eq(pmk_rbm_visible_image(m, &W3.matrix, 1, &img, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the input has 3 columns but the model has 4 visible units");
    pmk_rbm_free(m);
}
END_TEST

/* ---------------------------------------------------------------- sampling */

START_TEST(test_sample_options)
{
    pmk_error e;
    pmk_rbm_sample_options o;
    pmk_rbm_sample_options_init_default(&o);
    ck_assert_uint_eq(o.chains, 10);
    ck_assert_uint_eq(o.steps, 1000);
    ck_assert_uint_eq(o.every, 0);
    ck_assert_int_eq(pmk_rbm_sample_options_check(&o, &e), PMK_OK);
    o.chains = 0;
    ck_assert_int_eq(pmk_rbm_sample_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the number of chains must be at least 1");
    o.chains = 1;
    o.steps = 0;
    ck_assert_int_eq(pmk_rbm_sample_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the number of steps must be at least 1");
    o.steps = 3;   /* every 0: 3 / 10 = 0, so 1 */
    ck_assert_int_eq(pmk_rbm_sample_options_check(&o, &e), PMK_OK);
    o.every = 4;
    ck_assert_int_eq(pmk_rbm_sample_options_check(&o, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "no snapshot: every 4 exceeds steps 3");
}
END_TEST

START_TEST(test_sample_init)
{
    pmk_error e;
    pmk_rbm *m = model_4x3();
    pmk_rbm_sample_options o = {3, 10, 0, 0, 1};
    gsl_matrix *V = NULL;
    /* random: C*D uniforms, row by row, each pixel u < 1/2 */
    pmk_rng *r = pmk_rng_alloc(NULL, 7), *r2 = pmk_rng_alloc(NULL, 7);
    ck_assert_int_eq(pmk_rbm_sample_init(m, NULL, &o, r, &V, &e), PMK_OK);
    ck_assert_uint_eq(V->size1, 3);
    ck_assert_uint_eq(V->size2, 4);
    for (size_t k = 0; k < 12; k++)
        ck_assert_double_eq(V->data[k], pmk_rng_uniform(r2) < 0.5 ? 1.0 : 0.0);
    gsl_matrix_free(V);
    /* from data: the first C rows, transformed */
    double x[16] = {0, 255, 0, 255, 255, 0, 255, 0, 0, 0, 255, 255, 51, 51, 51, 51};
    gsl_matrix_view X = gsl_matrix_view_array(x, 4, 4);
    pmk_table *t = NULL;
    pmk_transform tf = {1.0 / 255, 0, 1};
    ck_assert_int_eq(pmk_table_from_matrix(&X.matrix, NULL, &t, &e), PMK_OK);
    ck_assert_int_eq(pmk_table_set_transform(t, &tf, &e), PMK_OK);
    ck_assert_int_eq(pmk_rbm_sample_init(m, t, &o, r, &V, &e), PMK_OK);
    for (size_t k = 0; k < 12; k++)
        ck_assert_double_eq(V->data[k], x[k] * (1.0 / 255));
    gsl_matrix_free(V);
    o.chains = 5;
    V = NULL;
    ck_assert_int_eq(pmk_rbm_sample_init(m, t, &o, r, &V, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "the data: 4 rows, fewer than the 5 chains");
    ck_assert_ptr_null(V);
    pmk_table_free(t);
    gsl_matrix_view X3 = gsl_matrix_view_array(x, 4, 3);
    ck_assert_int_eq(pmk_table_from_matrix(&X3.matrix, NULL, &t, &e), PMK_OK);
    ck_assert_int_eq(pmk_rbm_sample_init(m, t, &o, r, &V, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "the data have 3 columns but the model has 4 visible units");
    o.chains = 0;
    ck_assert_int_eq(pmk_rbm_sample_init(m, NULL, &o, r, &V, &e), PMK_EINVAL);
    pmk_table_free(t);
    pmk_rng_free(r);
    pmk_rng_free(r2);
    pmk_rbm_free(m);
}
END_TEST

/* Sweeps of chain v (D = 4, H = 3) by brute force, drawing from x as
 * pmk_rbm_sample does: h ~ p(h | v) (H draws), mean <- p(v | h), v ~ mean
 * (D draws). */
static void chain_by_hand(const pmk_rbm *m, double *v, size_t sweeps, double *mean, rbm_xs *x)
{
    for (size_t t = 0; t < sweeps; t++) {
        double h[3];
        for (size_t k = 0; k < 3; k++) {
            double s = gsl_vector_get(m->a, k);
            for (size_t i = 0; i < 4; i++)
                s += v[i] * gsl_matrix_get(m->W, i, k);
            h[k] = rbm_xs_uniform(x) < pmk_sigmoid(s) ? 1.0 : 0.0;
        }
        for (size_t i = 0; i < 4; i++) {
            double s = gsl_vector_get(m->b, i);
            for (size_t k = 0; k < 3; k++)
                s += h[k] * gsl_matrix_get(m->W, i, k);
            mean[i] = pmk_sigmoid(s);
        }
        for (size_t i = 0; i < 4; i++)
            v[i] = rbm_xs_uniform(x) < mean[i] ? 1.0 : 0.0;
    }
}

START_TEST(test_sample_chains)
{
    pmk_error e;
    pmk_rbm *m = check_rbm_random_model(4, 3, 1.0, 11);
    pmk_rbm_sample_options o = {2, 7, 3, 0, 1};   /* 2 snapshots: after 3 and 6 sweeps */
    pmk_rng *r = pmk_rng_alloc(NULL, 5), *r2 = pmk_rng_alloc(NULL, 5);
    gsl_matrix *V = NULL, *S = NULL, *V2 = gsl_matrix_calloc(2, 4);
    long *sw = NULL;
    ck_assert_int_eq(pmk_rbm_sample_init(m, NULL, &o, r, &V, &e), PMK_OK);
    for (size_t k = 0; k < 8; k++)
        V2->data[k] = pmk_rng_uniform(r2) < 0.5 ? 1.0 : 0.0;
    ck_assert_int_eq(pmk_rbm_sample(m, V, &o, r, &S, &sw, &e), PMK_OK);
    ck_assert_uint_eq(S->size1, 4);
    const long want_sw[4] = {3, 3, 6, 6};
    rbm_key key;   /* the key: four draws after the starting states */
    rbm_key_draw(r2, &key);
    for (size_t c = 0; c < 2; c++) {
        rbm_xs x;
        rbm_xs_init(&x, &key, RBM_ROWS_DOM_CHAIN, c);
        double mean[4], *v = gsl_matrix_ptr(V2, c, 0);
        for (size_t s = 0; s < 2; s++) {
            chain_by_hand(m, v, 3, mean, &x);
            ck_assert_int_eq(sw[2 * s + c], want_sw[2 * s + c]);
            for (size_t i = 0; i < 4; i++)   /* a GEMM against a loop: rounding */
                ck_assert_double_eq_tol(gsl_matrix_get(S, 2 * s + c, i), mean[i], 1e-14);
        }
    }
    ck_assert(gsl_matrix_equal(V, V2));   /* the chains' states after 6 sweeps */
    ck_assert_uint_eq(pmk_rng_uniform_int(r, 1000), pmk_rng_uniform_int(r2, 1000));
    gsl_matrix_free(S);
    free(sw);
    /* every 0: steps / 10; sweeps may be left out */
    o.steps = 25;
    o.every = 0;
    ck_assert_int_eq(pmk_rbm_sample(m, V, &o, r, &S, NULL, &e), PMK_OK);
    ck_assert_uint_eq(S->size1, 2 * 12);
    gsl_matrix_free(S);
    S = NULL;
    o.chains = 3;
    ck_assert_int_eq(pmk_rbm_sample(m, V, &o, r, &S, NULL, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "the chains are 2 x 4, expected 3 x 4");
    ck_assert_ptr_null(S);
    gsl_matrix_free(V);
    gsl_matrix_free(V2);
    pmk_rng_free(r);
    pmk_rng_free(r2);
    pmk_rbm_free(m);
}
END_TEST

START_TEST(test_evaluate)
{
    pmk_error e;
    pmk_rbm *m = check_rbm_random_model(6, 4, 0.5, 3);
    double x[18] = {1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 1, 0};
    gsl_matrix_view X = gsl_matrix_view_array(x, 3, 6);
    pmk_rbm_ais_options ao;
    pmk_rbm_ais_options_init_default(&ao);
    ao.runs = 20;
    ao.n_betas[0] = ao.n_betas[1] = ao.n_betas[2] = 10;
    for (int method = PMK_RBM_LOG_Z_NONE; method <= PMK_RBM_LOG_Z_AIS; method++) {
        /* the same figures, bit for bit, as the calls it makes, in its order */
        pmk_rng *r = pmk_rng_alloc(NULL, 9), *r2 = pmk_rng_alloc(NULL, 9);
        pmk_rbm_evaluation ev;
        ck_assert_int_eq(pmk_rbm_evaluate(m, &X.matrix, method, &ao, r, &ev, &e), PMK_OK);
        double f[4], lz = NAN;
        pmk_rbm_ais_result res;
        if (method == PMK_RBM_LOG_Z_EXACT)
            ck_assert_int_eq(pmk_rbm_log_z_exact(m, &lz, &e), PMK_OK);
        ck_assert_int_eq(pmk_rbm_recon_error(m, &X.matrix, r2, &f[0], &e), PMK_OK);
        ck_assert_int_eq(pmk_rbm_pseudo_likelihood(m, &X.matrix, &f[1], &e), PMK_OK);
        ck_assert_int_eq(pmk_rbm_pseudo_likelihood_1bit(m, &X.matrix, r2, &f[2], &e), PMK_OK);
        ck_assert_int_eq(pmk_rbm_mean_free_energy(m, &X.matrix, &f[3], &e), PMK_OK);
        if (method == PMK_RBM_LOG_Z_AIS) {
            ck_assert_int_eq(pmk_rbm_log_z_ais(m, &X.matrix, &ao, r2, &res, &e), PMK_OK);
            lz = res.log_z;
            ck_assert_uint_eq(ev.ais.steps, res.steps);
        }
        ck_assert_uint_eq(ev.n, 3);
        ck_assert_int_eq(ev.log_z_method, method);
        ck_assert_double_eq(ev.recon_error, f[0]);
        ck_assert_double_eq(ev.pseudo_likelihood, f[1]);
        ck_assert_double_eq(ev.pseudo_likelihood_1bit, f[2]);
        ck_assert_double_eq(ev.mean_free_energy, f[3]);
        if (method == PMK_RBM_LOG_Z_NONE) {
            ck_assert(isnan(ev.log_z) && isnan(ev.mean_log_prob));
        } else {
            ck_assert_double_eq(ev.log_z, lz);
            ck_assert_double_eq(ev.mean_log_prob, -f[3] - lz);
        }
        pmk_rng_free(r);
        pmk_rng_free(r2);
    }
    pmk_rbm_evaluation ev = {0};
    ck_assert_int_eq(pmk_rbm_evaluate(m, &X.matrix, 3, NULL, NULL, &ev, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "unknown log Z method 3");
    pmk_rbm_free(m);
    /* a layer too wide for the exact sum is refused first */
    m = pmk_rbm_alloc(26, 26, NULL);
    double z[26] = {0};
    gsl_matrix_view Z = gsl_matrix_view_array(z, 1, 26);
    ck_assert_int_eq(pmk_rbm_evaluate(m, &Z.matrix, PMK_RBM_LOG_Z_EXACT, NULL, NULL, &ev, &e),
                     PMK_ELIMIT);
    ck_assert_uint_eq(ev.n, 0);   /* untouched */
    pmk_rbm_free(m);
}
END_TEST

/* ---------------------------------------------------------------- data and files */

START_TEST(test_read_data)
{
    pmk_error e;
    char path[512];
    snprintf(path, sizeof path, "%s/d.csv", test_tmpdir());
    const char csv[] = "label,p0,p1,p2,p3\n1,0,255,51,102\n0,255,255,0,0\n";
    test_write_file(path, csv, sizeof csv - 1);
    pmk_table *t = NULL;
    gsl_matrix *X = NULL;
    /* pixels 0..255: the auto rule scales by 1/255; [0,1] is checked */
    ck_assert_int_eq(pmk_rbm_read_data(NULL, path, NULL, NULL, &t, &X, &e), PMK_OK);
    ck_assert_uint_eq(X->size1, 2);
    ck_assert_uint_eq(X->size2, 4);
    ck_assert_double_eq(gsl_matrix_get(X, 0, 2), 51.0 * (1.0 / 255));
    ck_assert_double_eq(pmk_table_transform(t)->scale, 1.0 / 255);
    ck_assert_int_eq(pmk_table_transform(t)->check01, 1);
    ck_assert_int_eq(pmk_table_labels(t)[0], 1);
    pmk_table_free(t);
    gsl_matrix_free(X);
    /* a threshold asked for binarizes: 51/255 = 0.2 < 0.3 <= 102/255 = 0.4 */
    pmk_transform asked = {0, 0.3, 0};
    ck_assert_int_eq(pmk_rbm_read_data(NULL, path, NULL, &asked, &t, &X, &e), PMK_OK);
    const double bin[4] = {0, 1, 0, 1};
    for (size_t i = 0; i < 4; i++)
        ck_assert_double_eq(gsl_matrix_get(X, 0, i), bin[i]);
    pmk_table_free(t);
    gsl_matrix_free(X);
    /* a model of another width, a model's transform contradicted */
    pmk_rbm *m = pmk_rbm_alloc(5, 2, NULL);
    t = NULL;
    ck_assert_int_eq(pmk_rbm_read_data(m, path, NULL, NULL, &t, NULL, &e), PMK_EDATA);
    char want[700];
    snprintf(want, sizeof want,
             "%s: the data have 4 feature columns but the model has 5 visible units", path);
    ck_assert_str_eq(e.msg, want);
    ck_assert_ptr_null(t);
    pmk_rbm_free(m);
    m = model_4x3();
    m->transform = (pmk_transform){1.0, 0, 1};
    m->transform_known = 1;
    asked = (pmk_transform){0.5, 0, 0};
    ck_assert_int_eq(pmk_rbm_read_data(m, path, NULL, &asked, &t, NULL, &e), PMK_EINVAL);
    /* the model's scale 1 applies: 255 is outside [0,1] */
    ck_assert_int_eq(pmk_rbm_read_data(m, path, NULL, NULL, &t, NULL, &e), PMK_EDATA);
    snprintf(want, sizeof want, "%s:2:3: value 255 is outside [0,1]", path);
    ck_assert_str_eq(e.msg, want);
    pmk_rbm_free(m);
}
END_TEST

START_TEST(test_export)
{
    pmk_error e;
    const char *dir = test_tmpdir();
    char out[512], p[600];
    snprintf(out, sizeof out, "%s/ex", dir);
    pmk_rbm *m = pmk_rbm_alloc(2, 2, NULL);
    const double w[4] = {1, 0.5, -2, 0.25};
    memcpy(m->W->data, w, sizeof w);
    gsl_vector_set(m->b, 0, 0.1);
    gsl_vector_set(m->b, 1, -1);
    gsl_vector_set(m->a, 0, 3);
    ck_assert_str_eq(pmk_rbm_export_file(0), "W.csv");
    ck_assert_str_eq(pmk_rbm_export_file(3), "transform.csv");
    ck_assert_ptr_null(pmk_rbm_export_file(PMK_RBM_EXPORT_FILES));
    /* no transform recorded: transform.csv is its header alone */
    const char *want[2][4] = {
        {"h0,h1\n1,0.5\n-2,0.25\n", "b\n0.1\n-1\n", "a\n3\n0\n", "scale,threshold\n"},
        {"h0,h1\n1,0.5\n-2,0.25\n", "b\n0.1\n-1\n", "a\n3\n0\n",
         "scale,threshold\n0.00392156862745098,0.5\n"}};
    for (int known = 0; known < 2; known++) {
        m->transform = (pmk_transform){1.0 / 255, 0.5, 1};
        m->transform_known = known;
        ck_assert_int_eq(pmk_rbm_export(m, out, &e), PMK_OK);
        for (size_t k = 0; k < PMK_RBM_EXPORT_FILES; k++) {
            size_t n;
            snprintf(p, sizeof p, "%s/%s", out, pmk_rbm_export_file(k));
            char *text = test_read_file(p, &n);
            ck_assert_str_eq(text, want[known][k]);
            free(text);
        }
    }
    /* a folder that cannot be made: nothing written */
    snprintf(p, sizeof p, "%s/W.csv/sub", out);
    ck_assert_int_eq(pmk_rbm_export(m, p, &e), PMK_EIO);
    char msg[700];
    snprintf(msg, sizeof msg, "%s: cannot create folder: Not a directory", p);
    ck_assert_str_eq(e.msg, msg);
    /* the numbered header alone: a label column first */
    snprintf(p, sizeof p, "%s/n.csv", dir);
    long y[2] = {7, -1};
    ck_assert_int_eq(pmk_csv_write_numbered(p, m->W, y, "label", "h", &e), PMK_OK);
    size_t n;
    char *text = test_read_file(p, &n);
    ck_assert_str_eq(text, "label,h0,h1\n7,1,0.5\n-1,-2,0.25\n");
    free(text);
    pmk_rbm_free(m);
}
END_TEST

START_TEST(test_trainer_step_errors)
{
    pmk_error e;
    pmk_rbm *m = model_4x3();
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    o.batch = 2;
    pmk_rbm_trainer *t = pmk_rbm_trainer_alloc(m, &o, &e);
    ck_assert_ptr_nonnull(t);
    double recon = 0;
    ck_assert_int_eq(pmk_rbm_trainer_step(t, 3, 0.5, NULL, &recon, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "training step: 3 rows for a batch of 1..2");
    gsl_matrix_float *h0 = gsl_matrix_float_calloc(1, 2);
    ck_assert_int_eq(pmk_rbm_trainer_step(t, 1, 0.5, h0, &recon, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "training step: h0 is 1 x 2, expected 1 x 3");
    ck_assert_double_eq(recon, 0);
    gsl_matrix_float_free(h0);
    pmk_rbm_trainer_free(t);
    pmk_rbm_free(m);
}
END_TEST

void suite_rbm_draw(Suite *s)
{
    TCase *tc = tcase_create("draw");
    tcase_add_test(tc, test_image_side);
    tcase_add_test(tc, test_filters_image);
    tcase_add_test(tc, test_visible_image);
    tcase_add_test(tc, test_sample_options);
    tcase_add_test(tc, test_sample_init);
    tcase_add_test(tc, test_sample_chains);
    tcase_add_test(tc, test_evaluate);
    tcase_add_test(tc, test_read_data);
    tcase_add_test(tc, test_export);
    tcase_add_test(tc, test_trainer_step_errors);
    suite_add_tcase(s, tc);
}
