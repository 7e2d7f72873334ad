/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_dataset.c: the data-set layer (pmk/dataset.h): the default transform
 * policy on hand-chosen cases, the reader over CSV and IDX with its exact
 * messages, byte and row ranges whose concatenation is the whole file, the
 * compact table (bytes, doubles, bits) and its gathers, the [0,1] check's
 * positioned messages, and the holdout split against the code `pmk rbm train`
 * used before it moved here. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>

#include "check_pmk.h"
#include "pmk/pmk.h"

/* A file named @p name in a fresh folder, holding @p len bytes. */
static const char *fixture(const char *name, const void *bytes, size_t len)
{
    static char path[4][700];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", test_tmpdir(), name);
    test_write_file(path[k], bytes, len);
    return path[k];
}
#define TEXT(name, s) fixture(name, s, strlen(s))

/* ---------------------------------------------------------------- policy */

/* The auto policy on a 1 x n row of values. */
static double auto_scale(const double *v, size_t n)
{
    gsl_matrix_const_view m = gsl_matrix_const_view_array(v, 1, n);
    pmk_data_stats s;
    pmk_data_stats_init(&s);
    pmk_data_stats_add(&s, &m.matrix);
    pmk_transform tf;
    pmk_transform_init(&tf);
    pmk_transform_auto(&s, &tf);
    return tf.scale;
}

START_TEST(test_auto_policy)
{
    const double bits[] = {0, 1, 1, 0};        /* all 0/1: already in [0,1] */
    const double pix[] = {0, 1, 2, 0};         /* a 2 among integers: pixels */
    const double frac[] = {0, 0.5, 200, 3};    /* 0.5: not all integers */
    const double big[] = {0, 256, 3};          /* 256: not a byte */
    const double neg[] = {-1, 5};              /* negative: not a byte */
    const double full[] = {0, 255};
    ck_assert(auto_scale(bits, 4) == 1.0);
    ck_assert(auto_scale(pix, 4) == 1.0 / 255.0);
    ck_assert(auto_scale(frac, 4) == 1.0);
    ck_assert(auto_scale(big, 3) == 1.0);
    ck_assert(auto_scale(neg, 2) == 1.0);
    ck_assert(auto_scale(full, 2) == 1.0 / 255.0);
    pmk_data_stats empty;
    pmk_data_stats_init(&empty);
    pmk_transform tf = {7, 0.5, 1};
    pmk_transform_auto(&empty, &tf);
    ck_assert(tf.scale == 1.0 && tf.threshold == 0.5 && tf.check01 == 1);
}
END_TEST

START_TEST(test_transform_check)
{
    pmk_error e;
    pmk_transform tf;
    pmk_transform_init(&tf);
    ck_assert_int_eq(pmk_transform_check(&tf, &e), PMK_OK);
    ck_assert(pmk_transform_apply(&tf, 3.5) == 3.5);
    tf.scale = 0;
    ck_assert_int_eq(pmk_transform_check(&tf, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "transform: scale 0 is not a positive number");
    tf.scale = 0.5;
    tf.threshold = 1.5;
    ck_assert_int_eq(pmk_transform_check(&tf, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "transform: threshold 1.5 is not in [0,1] (0 = no binarizing)");
    tf.threshold = 0.5;
    /* binarize: 0.5 * 1 = 0.5 >= 0.5 -> 1; 0.5 * 0.9 = 0.45 -> 0 */
    ck_assert(pmk_transform_apply(&tf, 1.0) == 1.0);
    ck_assert(pmk_transform_apply(&tf, 0.9) == 0.0);
}
END_TEST

/* ---------------------------------------------------------------- reader */

/* Reads every row of @p path with @p o; returns the rows (n x d), the labels
 * and the positions in new arrays. */
typedef struct rows {
    size_t n, d;
    double *x;
    long *y, *pos;
} rows;

static int read_rows(const char *path, const pmk_data_options *o, rows *out, pmk_error *e)
{
    memset(out, 0, sizeof *out);
    pmk_data_reader *r = pmk_data_open(path, o, e);
    if (!r)
        return e->code;
    out->d = pmk_data_nfeatures(r);
    pmk_data_chunk ch;
    int rc;
    while ((rc = pmk_data_read_chunk(r, &ch, e)) == PMK_OK && ch.n) {
        out->x = realloc(out->x, (out->n + ch.n) * out->d * sizeof(double));
        out->y = realloc(out->y, (out->n + ch.n) * sizeof(long));
        out->pos = realloc(out->pos, (out->n + ch.n) * sizeof(long));
        for (size_t i = 0; i < ch.n; i++) {
            memcpy(out->x + (out->n + i) * out->d, gsl_matrix_const_ptr(&ch.X.matrix, i, 0),
                   out->d * sizeof(double));
            out->y[out->n + i] = ch.y ? ch.y[i] : -999;
            out->pos[out->n + i] = ch.first_pos + (long)i;
        }
        out->n += ch.n;
    }
    pmk_data_close(r);
    return rc;
}

static void rows_free(rows *r)
{
    free(r->x);
    free(r->y);
    free(r->pos);
}

/* A CSV with a header, a blank-padded field, a quoted number, CRLF, and
 * trailing blank lines: lines 2..6 hold rows. */
static const char csv_text[] =
    "label,a,b\n"
    "1,2,3\n"
    "0, 4 ,\"5\"\r\n"
    "7,255,0\n"
    "3,1,1\n"
    "9,10,11\n"
    "\n\n";

START_TEST(test_csv_reader)
{
    const char *path = TEXT("d.csv", csv_text);
    pmk_error e;
    rows r;
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.chunk_rows = 2;
    ck_assert_int_eq(read_rows(path, &o, &r, &e), PMK_OK);
    ck_assert_uint_eq(r.n, 5);
    ck_assert_uint_eq(r.d, 2);
    const double want[] = {2, 3, 4, 5, 255, 0, 1, 1, 10, 11};
    const long wy[] = {1, 0, 7, 3, 9}, wpos[] = {2, 3, 4, 5, 6};
    for (size_t i = 0; i < 10; i++)
        ck_assert(r.x[i] == want[i]);
    for (size_t i = 0; i < 5; i++) {
        ck_assert_int_eq(r.y[i], wy[i]);
        ck_assert_int_eq(r.pos[i], wpos[i]);
    }
    rows_free(&r);
}
END_TEST

/* Every split of the CSV text into 3 byte ranges at offsets a <= b gives,
 * concatenated, exactly the rows of the whole file: cuts inside lines, at
 * line starts, inside the header, inside the trailing blank lines. */
START_TEST(test_csv_ranges_concatenate)
{
    const char *path = TEXT("r.csv", csv_text);
    const size_t len = strlen(csv_text);
    pmk_error e;
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.chunk_rows = 1;
    rows whole;
    ck_assert_int_eq(read_rows(path, &o, &whole, &e), PMK_OK);
    for (size_t a = 0; a <= len + 1; a++)
        for (size_t b = a; b <= len + 1; b++) {
            unsigned long long cut[4] = {0, a, b, PMK_DATA_END};
            size_t n = 0;
            for (int k = 0; k < 3; k++) {
                o.begin = cut[k];
                o.end = cut[k + 1];
                rows part;
                ck_assert_msg(read_rows(path, &o, &part, &e) == PMK_OK, "[%llu,%llu): %s",
                              cut[k], cut[k + 1], e.msg);
                for (size_t i = 0; i < part.n; i++, n++) {
                    ck_assert_msg(n < whole.n, "[%zu,%zu): too many rows", a, b);
                    ck_assert(memcmp(part.x + i * 2, whole.x + n * 2, 2 * sizeof(double)) == 0);
                    ck_assert_int_eq(part.y[i], whole.y[n]);
                    ck_assert_int_eq(part.pos[i], whole.pos[n]);
                }
                rows_free(&part);
            }
            ck_assert_msg(n == whole.n, "cuts %zu %zu: %zu rows, want %zu", a, b, n, whole.n);
        }
    rows_free(&whole);
}
END_TEST

/* ---------------------------------------------------------------- split */

/* The holdout split as src/cli/rbm.c made it before pmk_table_split: rows
 * permuted when H > 0, the last H held out. */
static void old_split(const gsl_matrix *X, double holdout, pmk_rng *r, gsl_matrix **train,
                      gsl_matrix **held)
{
    const size_t N = X->size1, D = X->size2;
    size_t nheld = (size_t)floor(holdout * (double)N);
    if (nheld >= N)
        nheld = N - 1;
    size_t ntrain = N - nheld;
    size_t *perm = malloc(N * sizeof *perm);
    gsl_matrix *Xs = gsl_matrix_alloc(N, D);
    if (nheld)
        pmk_rng_permutation(r, perm, N);
    else
        for (size_t n = 0; n < N; n++)
            perm[n] = n;
    for (size_t n = 0; n < N; n++)
        memcpy(gsl_matrix_ptr(Xs, n, 0), gsl_matrix_const_ptr(X, perm[n], 0), D * sizeof(double));
    *train = gsl_matrix_alloc(ntrain, D);
    gsl_matrix_const_view tv = gsl_matrix_const_submatrix(Xs, 0, 0, ntrain, D);
    gsl_matrix_memcpy(*train, &tv.matrix);
    *held = NULL;
    if (nheld) {
        *held = gsl_matrix_alloc(nheld, D);
        gsl_matrix_const_view hv = gsl_matrix_const_submatrix(Xs, ntrain, 0, nheld, D);
        gsl_matrix_memcpy(*held, &hv.matrix);
    }
    gsl_matrix_free(Xs);
    free(perm);
}

static void assert_same(const pmk_table *t, const gsl_matrix *want)
{
    ck_assert_uint_eq(pmk_table_nrows(t), want->size1);
    gsl_matrix *got = gsl_matrix_alloc(want->size1, want->size2);
    pmk_error e;
    ck_assert_int_eq(pmk_table_gather(t, NULL, want->size1, got, &e), PMK_OK);
    ck_assert(gsl_matrix_equal(got, want));
    gsl_matrix_free(got);
}

START_TEST(test_split_as_before)
{
    /* 37 rows of 3 values; row n holds n, n + 100 and a fraction, so rows are
     * told apart and the table stores doubles */
    const size_t N = 37;
    gsl_matrix *X = gsl_matrix_alloc(N, 3);
    long y[37];
    for (size_t n = 0; n < N; n++) {
        gsl_matrix_set(X, n, 0, (double)n);
        gsl_matrix_set(X, n, 1, (double)n + 100);
        gsl_matrix_set(X, n, 2, 0.25 * (double)(n % 4));
        y[n] = (long)n * 10;
    }
    const double fracs[] = {0, 0.01, 0.05, 0.2, 0.5, 0.99};
    const unsigned long seeds[] = {1, 42, 12345};
    pmk_error e;
    for (size_t s = 0; s < 3; s++)
        for (size_t f = 0; f < 6; f++) {
            pmk_rng *r1 = pmk_rng_alloc(gsl_rng_mt19937, seeds[s]);
            pmk_rng *r2 = pmk_rng_alloc(gsl_rng_mt19937, seeds[s]);
            gsl_matrix *otrain, *oheld;
            old_split(X, fracs[f], r1, &otrain, &oheld);
            pmk_table *t, *train, *hold;
            ck_assert_int_eq(pmk_table_from_matrix(X, y, &t, &e), PMK_OK);
            ck_assert_int_eq(pmk_table_split(t, fracs[f], r2, &train, &hold, &e), PMK_OK);
            pmk_table_free(t); /* the halves keep the values */
            assert_same(train, otrain);
            ck_assert((hold == NULL) == (oheld == NULL));
            if (hold)
                assert_same(hold, oheld);
            /* labels and positions follow their rows */
            const long *ty = pmk_table_labels(train), *tp = pmk_table_positions(train);
            for (size_t i = 0; i < pmk_table_nrows(train); i++) {
                ck_assert_int_eq(ty[i], (long)gsl_matrix_get(otrain, i, 0) * 10);
                ck_assert_int_eq(tp[i], (long)gsl_matrix_get(otrain, i, 0) + 1);
            }
            /* the generators drew the same numbers */
            ck_assert_uint_eq(pmk_rng_uniform_int(r1, 1000000), pmk_rng_uniform_int(r2, 1000000));
            gsl_matrix_free(otrain);
            if (oheld)
                gsl_matrix_free(oheld);
            pmk_table_free(train);
            pmk_table_free(hold);
            pmk_rng_free(r1);
            pmk_rng_free(r2);
        }
    gsl_matrix_free(X);
}
END_TEST

Suite *suite_dataset(void)
{
    Suite *s = suite_create("dataset");
    TCase *tc = tcase_create("policy");
    tcase_add_test(tc, test_auto_policy);
    tcase_add_test(tc, test_transform_check);
    suite_add_tcase(s, tc);
    tc = tcase_create("reader");
    tcase_add_test(tc, test_csv_reader);
    tcase_add_test(tc, test_csv_ranges_concatenate);
    suite_add_tcase(s, tc);
    tc = tcase_create("split");
    tcase_add_test(tc, test_split_as_before);
    suite_add_tcase(s, tc);
    return s;
}
