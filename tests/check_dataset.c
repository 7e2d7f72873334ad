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
#include <zlib.h>

#include "check_dataset.h"

static char dir[512];
const char *ds_fixture(const char *name, const void *bytes, size_t len)
{
    static char path[4][700];
    static int k;
    if (!dir[0])
        snprintf(dir, sizeof dir, "%s", test_tmpdir());
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    test_write_file(path[k], bytes, len);
    return path[k];
}

/* As ds_fixture, gzipped. */
static const char *ds_gz_fixture(const char *name, const void *bytes, size_t len)
{
    const char *path = ds_fixture(name, "", 0);
    gzFile g = gzopen(path, "wb");
    ck_assert_ptr_nonnull(g);
    ck_assert_int_eq(gzwrite(g, bytes, (unsigned)len), (int)len);
    ck_assert_int_eq(gzclose(g), Z_OK);
    return path;
}

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

static void rows_free(rows *r)
{
    free(r->x);
    free(r->y);
    free(r->pos);
    memset(r, 0, sizeof *r);
}

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
    if (rc)
        rows_free(out);
    return rc;
}

/* A CSV with a header, a blank-padded field, a quoted number, CRLF, and
 * trailing blank lines: lines 2..6 hold rows. */
const char ds_csv_text[] =
    "label,a,b\n"
    "1,2,3\n"
    "0, 4 ,\"5\"\r\n"
    "7,255,0\n"
    "3,1,1\n"
    "9,10,11\n"
    "\n\n";

START_TEST(test_csv_reader)
{
    const char *path = TEXT("d.csv", ds_csv_text);
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

/* Splits of the CSV text into 3 byte ranges at offsets a <= b give,
 * concatenated, exactly the rows of the whole file: every a, with b at a
 * and up to 13 bytes on (so cuts fall in the same line, the next line and
 * the one after: inside lines, at line starts, inside the header, inside the
 * trailing blank lines). */
START_TEST(test_csv_ranges_concatenate)
{
    const char *path = TEXT("r.csv", ds_csv_text);
    const size_t len = strlen(ds_csv_text);
    pmk_error e;
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.chunk_rows = 1;
    rows whole;
    ck_assert_int_eq(read_rows(path, &o, &whole, &e), PMK_OK);
    for (size_t a = 0; a <= len + 1; a++)
        for (size_t b = a; b <= len + 1 && b <= a + 13; b++) {
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


/* ---------------------------------------------------------------- IDX */

/* 5 images of 2 x 2 u8 pixels: image i holds 10i, 10i+1, 10i+2, 255-i. */
const unsigned char ds_images5[36] = {
    0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 2, 0, 0, 0, 2,
    0, 1, 2, 255, 10, 11, 12, 254, 20, 21, 22, 253, 30, 31, 32, 252, 40, 41, 42, 251,
};
/* their 5 labels: 9, 8, 7, 6, 5 */
const unsigned char ds_labels5[13] = {0, 0, 8, 1, 0, 0, 0, 5, 9, 8, 7, 6, 5};
static const unsigned char labels4[] = {0, 0, 8, 1, 0, 0, 0, 4, 9, 8, 7, 6};

static void assert_images5(const rows *r, size_t from, size_t n, int labels)
{
    ck_assert_uint_eq(r->n, n);
    ck_assert_uint_eq(r->d, 4);
    for (size_t i = 0; i < n; i++) {
        size_t k = from + i;
        ck_assert(r->x[4 * i] == 10.0 * (double)k);
        ck_assert(r->x[4 * i + 2] == 10.0 * (double)k + 2);
        ck_assert(r->x[4 * i + 3] == 255.0 - (double)k);
        ck_assert_int_eq(r->pos[i], (long)k + 1);
        ck_assert_int_eq(r->y[i], labels ? 9 - (long)k : -999);
    }
}

START_TEST(test_idx_pairing)
{
    pmk_error e;
    rows r;
    /* MNIST's names, plain, dotted and gzipped: the labels come by pairing */
    const char *img = FILE_WITH("t10k-images-idx3-ubyte", ds_images5);
    FILE_WITH("t10k-labels-idx1-ubyte", ds_labels5);
    ck_assert_int_eq(read_rows(img, NULL, &r, &e), PMK_OK);
    assert_images5(&r, 0, 5, 1);
    rows_free(&r);
    img = FILE_WITH("x-images.idx3-ubyte", ds_images5);
    FILE_WITH("x-labels.idx1-ubyte", ds_labels5);
    ck_assert_int_eq(read_rows(img, NULL, &r, &e), PMK_OK);
    assert_images5(&r, 0, 5, 1);
    rows_free(&r);
    img = ds_gz_fixture("g-images-idx3-ubyte.gz", ds_images5, sizeof ds_images5);
    ds_gz_fixture("g-labels-idx1-ubyte.gz", ds_labels5, sizeof ds_labels5);
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.chunk_rows = 2;
    ck_assert_int_eq(read_rows(img, &o, &r, &e), PMK_OK);
    assert_images5(&r, 0, 5, 1);
    rows_free(&r);
    /* the names themselves */
    struct { const char *in, *out; } names[] = {
        {"a/train-images-idx3-ubyte", "a/train-labels-idx1-ubyte"},
        {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"},
        {"t10k-images.idx3-ubyte", "t10k-labels.idx1-ubyte"},
        {"x-images-idx3-ubyte-images-idx3-ubyte", "x-images-idx3-ubyte-labels-idx1-ubyte"},
        {"-images-idx3-ubyte", NULL},
        {"a/-images-idx3-ubyte", NULL},
        {"train-images-idx3-ubyte.bak", NULL},
        {"train-images.idx3", NULL},
        {"train.csv", NULL},
    };
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        char *got = pmk_data_pair_labels(names[k].in);
        if (names[k].out)
            ck_assert_str_eq(got, names[k].out);
        else
            ck_assert_ptr_null(got);
        free(got);
    }
}
END_TEST

START_TEST(test_idx_labels_failures)
{
    pmk_error e;
    rows r;
    char want[1600];
    const char *img = FILE_WITH("imgs.idx", ds_images5);
    ck_assert_int_eq(read_rows(img, NULL, &r, &e), PMK_EINVAL);
    snprintf(want, sizeof want,
             "%s: no labels file pairs with this name (the standard pairing needs a name ending "
             "in -images-idx3-ubyte or -images.idx3-ubyte); name the labels file, or read "
             "without labels", img);
    ck_assert_str_eq(e.msg, want);
    img = FILE_WITH("m-images-idx3-ubyte", ds_images5);
    ck_assert_int_eq(read_rows(img, NULL, &r, &e), PMK_EINVAL);
    snprintf(want, sizeof want,
             "%s: its labels file %s/m-labels-idx1-ubyte (by the standard pairing) does not "
             "exist; name the labels file, or read without labels", img, dir);
    ck_assert_str_eq(e.msg, want);
    /* without labels: the images alone */
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.label_col = -1;
    ck_assert_int_eq(read_rows(img, &o, &r, &e), PMK_OK);
    assert_images5(&r, 0, 5, 0);
    rows_free(&r);
    /* a labels file given, with too few labels */
    pmk_data_options_init_default(&o);
    char imgpath[700];
    snprintf(imgpath, sizeof imgpath, "%s", img);
    o.labels = FILE_WITH("four.idx1-ubyte", labels4);
    ck_assert_int_eq(read_rows(imgpath, &o, &r, &e), PMK_EDATA);
    snprintf(want, sizeof want,
             "%s has 5 images but %s has 4 labels: the counts must be equal", imgpath, o.labels);
    ck_assert_str_eq(e.msg, want);
    /* an images file as the labels */
    o.labels = imgpath;
    ck_assert_int_eq(read_rows(imgpath, &o, &r, &e), PMK_EFORMAT);
    snprintf(want, sizeof want, "%s: not a label file: 3 dimensions (5 x 2 x 2), expected 1",
             imgpath);
    ck_assert_str_eq(e.msg, want);
    /* a labels file for CSV input */
    const char *csv = TEXT("l.csv", "1,2\n");
    ck_assert_int_eq(read_rows(csv, &o, &r, &e), PMK_EINVAL);
    snprintf(want, sizeof want,
             "%s: a labels file (%s) is for IDX input, and this is CSV; its labels are a "
             "column", csv, imgpath);
    ck_assert_str_eq(e.msg, want);
    /* labels given but not wanted */
    o.label_col = -1;
    ck_assert_int_eq(read_rows(imgpath, &o, &r, &e), PMK_EINVAL);
    snprintf(want, sizeof want,
             "%s: a labels file (%s) is given but labels are not wanted (label column -1)",
             imgpath, imgpath);
    ck_assert_str_eq(e.msg, want);
}
END_TEST

/* Row ranges [0,a) [a,b) [b,end) concatenate to the whole file, plain and
 * gzipped, with chunks of 1 and 2 rows; the labels follow. */
START_TEST(test_idx_ranges_concatenate)
{
    pmk_error e;
    for (int gz = 0; gz < 2; gz++) {
        const char *img = gz ? ds_gz_fixture("r-images-idx3-ubyte.gz", ds_images5, sizeof ds_images5)
                             : FILE_WITH("r-images-idx3-ubyte", ds_images5);
        char path[700];
        snprintf(path, sizeof path, "%s", img);
        if (gz)
            ds_gz_fixture("r-labels-idx1-ubyte.gz", ds_labels5, sizeof ds_labels5);
        else
            FILE_WITH("r-labels-idx1-ubyte", ds_labels5);
        for (size_t a = 0; a <= 6; a++)
            for (size_t b = a; b <= 7; b++) {
                unsigned long long cut[4] = {0, a, b, PMK_DATA_END};
                size_t n = 0;
                for (int k = 0; k < 3; k++) {
                    pmk_data_options o;
                    pmk_data_options_init_default(&o);
                    o.chunk_rows = 1 + (size_t)(a % 2);
                    o.begin = cut[k];
                    o.end = cut[k + 1];
                    rows part;
                    ck_assert_int_eq(read_rows(path, &o, &part, &e), PMK_OK);
                    size_t from = n < 5 ? n : 5;
                    assert_images5(&part, from, part.n, 1);
                    n += part.n;
                    rows_free(&part);
                }
                ck_assert_uint_eq(n, 5);
            }
    }
}
END_TEST

START_TEST(test_idx_body_length)
{
    pmk_error e;
    rows r;
    char want[800];
    unsigned char longer[sizeof ds_images5 + 1];
    memcpy(longer, ds_images5, sizeof ds_images5);
    longer[sizeof ds_images5] = 7;
    const char *img = FILE_WITH("long-images-idx3-ubyte", longer);
    FILE_WITH("long-labels-idx1-ubyte", ds_labels5);
    /* the whole file: the byte after the body is an error, as pmk_idx_read says */
    ck_assert_int_eq(read_rows(img, NULL, &r, &e), PMK_EFORMAT);
    snprintf(want, sizeof want, "%s: header says 5 x 2 x 2 u8 = 36 bytes, file has 37 bytes", img);
    ck_assert_str_eq(e.msg, want);
    /* a range that stops short of the end does not look there */
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.end = 4;
    ck_assert_int_eq(read_rows(img, &o, &r, &e), PMK_OK);
    assert_images5(&r, 0, 4, 1);
    rows_free(&r);
    /* a short body: the rows that are there are read, then the error */
    img = ds_fixture("short-images-idx3-ubyte", ds_images5, sizeof ds_images5 - 3);
    FILE_WITH("short-labels-idx1-ubyte", ds_labels5);
    o.begin = 3;
    o.end = PMK_DATA_END;
    ck_assert_int_eq(read_rows(img, &o, &r, &e), PMK_EFORMAT);
    snprintf(want, sizeof want, "%s: header says 5 x 2 x 2 u8 = 36 bytes, file has 33 bytes", img);
    ck_assert_str_eq(e.msg, want);
    /* a header claiming one record of 2^31 bytes costs no memory: the
     * buffers grow as bytes arrive, and the body is 4 bytes */
    static const unsigned char liar[] = {0, 0, 8, 2, 0, 0, 0, 1, 0x80, 0, 0, 0, 1, 2, 3, 4};
    img = FILE_WITH("liar.idx", liar);
    o.label_col = -1;
    o.begin = 0;
    ck_assert_int_eq(read_rows(img, &o, &r, &e), PMK_EFORMAT);
    snprintf(want, sizeof want,
             "%s: header says 1 x 2147483648 u8 = 2147483660 bytes, file has 16 bytes", img);
    ck_assert_str_eq(e.msg, want);
    /* a CSV file read as IDX */
    const char *csv = TEXT("c.csv", "label,a\n1,2\n");
    o.format = PMK_DATA_IDX;
    o.begin = 0;
    ck_assert_int_eq(read_rows(csv, &o, &r, &e), PMK_EFORMAT);
    snprintf(want, sizeof want,
             "%s: not an IDX file: magic 6c 61 62 65, expected 00 00 then a type and a "
             "dimension count", csv);
    ck_assert_str_eq(e.msg, want);
}
END_TEST

/* ---------------------------------------------------------------- CSV extra */

START_TEST(test_csv_messages_and_ranges)
{
    pmk_error e1, e2;
    rows r;
    char want[800];
    /* the data reader gives the CSV reader's messages */
    const char *bad[] = {"tests/data/csv-ragged-short.csv", "tests/data/csv-empty.csv",
                         "tests/data/csv-nan.csv", "tests/data/csv-header-only.csv"};
    for (size_t k = 0; k < 4; k++) {
        char path[700];
        snprintf(path, sizeof path, "%s", test_srcpath(bad[k]));
        pmk_csv_reader *cr = pmk_csv_open(path, NULL, &e1);
        int rc1 = e1.code;
        if (cr) {
            pmk_csv_chunk ch;
            rc1 = pmk_csv_read_chunk(cr, &ch, &e1);
            pmk_csv_close(cr);
        }
        ck_assert_int_ne(rc1, PMK_OK);
        ck_assert_int_eq(read_rows(path, NULL, &r, &e2), rc1);
        ck_assert_str_eq(e2.msg, e1.msg);
    }
    /* gzip input refuses a byte range */
    const char *gz = ds_gz_fixture("z.csv.gz", ds_csv_text, strlen(ds_csv_text));
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    ck_assert_int_eq(read_rows(gz, &o, &r, &e1), PMK_OK);
    ck_assert_uint_eq(r.n, 5);
    rows_free(&r);
    o.begin = 10;
    ck_assert_int_eq(read_rows(gz, &o, &r, &e1), PMK_EUNSUP);
    snprintf(want, sizeof want,
             "%s: a byte range cannot be read from gzip input (the offsets would be those of "
             "the uncompressed text): gunzip it first", gz);
    ck_assert_str_eq(e1.msg, want);
    /* a range with its start after its end */
    const char *path = TEXT("s.csv", ds_csv_text);
    o.begin = 5;
    o.end = 3;
    ck_assert_int_eq(read_rows(path, &o, &r, &e1), PMK_EINVAL);
    snprintf(want, sizeof want, "%s: range [5, 3): the start is after the end", path);
    ck_assert_str_eq(e1.msg, want);
    /* by hand: "label,a,b\n" is bytes 0-9, "1,2,3\n" 10-15, "0, 4 ,\"5\"\r\n" 16-27:
     * [11, 17) holds the row starting at 16 (line 3) only */
    o.begin = 11;
    o.end = 17;
    ck_assert_int_eq(read_rows(path, &o, &r, &e1), PMK_OK);
    ck_assert_uint_eq(r.n, 1);
    ck_assert_int_eq(r.pos[0], 3);
    ck_assert(r.x[0] == 4 && r.x[1] == 5);
    rows_free(&r);
    /* [10, 16) holds the row starting at 10 (line 2) */
    o.begin = 10;
    o.end = 16;
    ck_assert_int_eq(read_rows(path, &o, &r, &e1), PMK_OK);
    ck_assert_uint_eq(r.n, 1);
    ck_assert_int_eq(r.pos[0], 2);
    rows_free(&r);
    /* a blank line inside the file is found by the range holding it, even
     * when the data after it lies in the next range */
    path = TEXT("b.csv", "1,2\n\n3,4\n");
    o.begin = 0;
    o.end = 5;
    ck_assert_int_eq(read_rows(path, &o, &r, &e1), PMK_EFORMAT);
    snprintf(want, sizeof want,
             "%s:2:1: blank line before more data (blank lines are accepted only at the end "
             "of the file)", path);
    ck_assert_str_eq(e1.msg, want);
    o.begin = 5;
    o.end = PMK_DATA_END;
    ck_assert_int_eq(read_rows(path, &o, &r, &e1), PMK_OK);
    ck_assert_uint_eq(r.n, 1);
    ck_assert_int_eq(r.pos[0], 3);
    rows_free(&r);
}
END_TEST

/* Ranges of a header-less file with no trailing line end. */
START_TEST(test_csv_ranges_no_header)
{
    static const char text[] = "1,2\n3,4\n5,6";
    const char *path = TEXT("n.csv", text);
    pmk_error e;
    for (size_t a = 0; a <= sizeof text; a++) {
        pmk_data_options o;
        pmk_data_options_init_default(&o);
        rows p1, p2;
        o.end = a;
        ck_assert_int_eq(read_rows(path, &o, &p1, &e), PMK_OK);
        o.begin = a;
        o.end = PMK_DATA_END;
        ck_assert_int_eq(read_rows(path, &o, &p2, &e), PMK_OK);
        ck_assert_uint_eq(p1.n + p2.n, 3);
        /* rows starting at 0, 4, 8: the first range holds those before a */
        size_t want1 = a == 0 ? 0 : a <= 4 ? 1 : a <= 8 ? 2 : 3;
        ck_assert_uint_eq(p1.n, want1);
        for (size_t i = 0; i < p2.n; i++)
            ck_assert_int_eq(p2.y[i], 2 * (long)(want1 + i) + 1);
        rows_free(&p1);
        rows_free(&p2);
    }
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
    tcase_set_timeout(tc, 60);   /* hundreds of opens: slow under ASan and valgrind */
    tcase_add_test(tc, test_csv_reader);
    tcase_add_test(tc, test_csv_ranges_concatenate);
    tcase_add_test(tc, test_csv_ranges_no_header);
    tcase_add_test(tc, test_csv_messages_and_ranges);
    tcase_add_test(tc, test_idx_pairing);
    tcase_add_test(tc, test_idx_labels_failures);
    tcase_add_test(tc, test_idx_ranges_concatenate);
    tcase_add_test(tc, test_idx_body_length);
    suite_add_tcase(s, tc);
    suite_dataset_table(s);   /* check_dataset_table.c */
    suite_dataset_convert(s); /* check_dataset_convert.c */
    suite_dataset_columns(s); /* check_dataset_columns.c */
    suite_tokens(s);          /* check_tokens.c */
    return s;
}
