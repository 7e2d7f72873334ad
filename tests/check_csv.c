/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_csv.c: the CSV reader and writer: known parses of both MNIST layouts,
 * chunking, exact decimal conversion, round trips, and every bad input with
 * its exact message. */
#include "config.h"

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check_pmk.h"
#include "pmk/pmk.h"

/* A fresh folder and a file in it holding @p text; returns the file's path
 * (static buffer).  The folder stays for the test's life (removed at the end
 * of each test by cleanup()). */
static char tmpdir[512];
static char tmpfile_path[600];

static const char *put(const char *name, const char *text, size_t len)
{
    if (!tmpdir[0])
        snprintf(tmpdir, sizeof tmpdir, "%s", test_tmpdir());
    snprintf(tmpfile_path, sizeof tmpfile_path, "%s/%s", tmpdir, name);
    test_write_file(tmpfile_path, text, len);
    return tmpfile_path;
}
#define PUT(name, lit) put(name, lit, sizeof lit - 1)

static void cleanup(void)
{
    if (!tmpdir[0])
        return;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
    tmpdir[0] = '\0';
}

static pmk_dataset *read_all(const char *path, const pmk_csv_options *o)
{
    pmk_dataset *ds = NULL;
    pmk_error e;
    int rc = pmk_csv_read_all(path, o, &ds, &e);
    ck_assert_msg(rc == PMK_OK, "read %s: %s", path, e.msg);
    return ds;
}

/* ---------------------------------------------------------------- MNIST */

START_TEST(test_mnist_plain_known_values)
{
    /* data/mnist-test.csv.gz: 2,000 rows label,p0..p783, no header.  Values
     * read off the file with zcat | head: row 1 is a 3 whose first non-zero
     * pixels are p178..p181 = 103,161,254,157; row 2 is an 8 with p155 = 31,
     * p156 = 196.  Class counts from data/README: 217 zeros and 245 ones. */
    pmk_csv_reader *r;
    pmk_error e;
    r = pmk_csv_open(test_srcpath("data/mnist-test.csv.gz"), NULL, &e);
    ck_assert_msg(r != NULL, "%s", e.msg);
    ck_assert_int_eq(pmk_csv_has_header(r), 0);
    ck_assert_uint_eq(pmk_csv_ncols(r), 784);
    pmk_csv_close(r);

    pmk_dataset *ds = read_all(test_srcpath("data/mnist-test.csv.gz"), NULL);
    ck_assert_uint_eq(ds->n, 2000);
    ck_assert_uint_eq(ds->d, 784);
    ck_assert_uint_eq(ds->X->size1, 2000);
    ck_assert_uint_eq(ds->X->size2, 784);
    ck_assert_int_eq(ds->y[0], 3);
    ck_assert(gsl_matrix_get(ds->X, 0, 177) == 0);
    ck_assert(gsl_matrix_get(ds->X, 0, 178) == 103);
    ck_assert(gsl_matrix_get(ds->X, 0, 179) == 161);
    ck_assert(gsl_matrix_get(ds->X, 0, 180) == 254);
    ck_assert(gsl_matrix_get(ds->X, 0, 181) == 157);
    ck_assert_int_eq(ds->y[1], 8);
    ck_assert(gsl_matrix_get(ds->X, 1, 155) == 31);
    ck_assert(gsl_matrix_get(ds->X, 1, 156) == 196);
    size_t count[10] = {0};
    size_t out_of_range = 0;
    for (size_t i = 0; i < ds->n; i++) {
        if (ds->y[i] >= 0 && ds->y[i] <= 9)
            count[ds->y[i]]++;
        else
            out_of_range++;
    }
    ck_assert_uint_eq(out_of_range, 0);
    ck_assert_uint_eq(count[0], 217);
    ck_assert_uint_eq(count[1], 245);
    ck_assert_uint_eq(count[9], 193);
    pmk_dataset_free(ds);
    pmk_dataset_free(NULL);
}
END_TEST

START_TEST(test_mnist_header_layout_same_matrix)
{
    /* tests/data/csv-mnist-header.csv.gz: the Kaggle header then the first 10
     * rows of the same split: the header is detected and the rows equal. */
    pmk_error e;
    pmk_csv_reader *r = pmk_csv_open(test_srcpath("tests/data/csv-mnist-header.csv.gz"), NULL, &e);
    ck_assert_msg(r != NULL, "%s", e.msg);
    ck_assert_int_eq(pmk_csv_has_header(r), 1);
    ck_assert_uint_eq(pmk_csv_ncols(r), 784);
    pmk_csv_close(r);
    pmk_dataset *h = read_all(test_srcpath("tests/data/csv-mnist-header.csv.gz"), NULL);
    pmk_dataset *p = read_all(test_srcpath("data/mnist-test.csv.gz"), NULL);
    ck_assert_uint_eq(h->n, 10);
    ck_assert_uint_eq(h->d, 784);
    /* (plain comparisons in the loops: each ck_assert costs a system call) */
    size_t diff = 0;
    for (size_t i = 0; i < 10; i++) {
        diff += h->y[i] != p->y[i];
        for (size_t j = 0; j < 784; j++)
            diff += gsl_matrix_get(h->X, i, j) != gsl_matrix_get(p->X, i, j);
    }
    ck_assert_uint_eq(diff, 0);
    ck_assert(gsl_matrix_get(h->X, 0, 178) == 103);
    /* forcing "no header" makes the header a bad first row */
    pmk_csv_options o;
    pmk_csv_options_init_default(&o);
    o.header = PMK_CSV_HEADER_NO;
    ck_assert_ptr_null(pmk_csv_open(test_srcpath("tests/data/csv-mnist-header.csv.gz"), &o, &e));
    ck_assert_int_eq(e.code, PMK_EDATA);
    ck_assert_int_eq(e.line, 1);
    ck_assert_int_eq(e.column, 1);
    ck_assert(strstr(e.msg, ":1:1: field 1: label 'label' is not an integer") != NULL);
    pmk_dataset_free(h);
    pmk_dataset_free(p);
}
END_TEST

/* ---------------------------------------------------------------- chunks */

START_TEST(test_chunks_same_data_any_size)
{
    pmk_dataset *all = read_all(test_srcpath("data/mnist-test.csv.gz"), NULL);
    static const size_t sizes[] = {1, 7, 4096};
    for (size_t s = 0; s < 3; s++) {
        pmk_csv_options o;
        pmk_csv_options_init_default(&o);
        o.chunk_rows = sizes[s];
        pmk_error e;
        pmk_error_clear(&e);
        pmk_csv_reader *r = pmk_csv_open(test_srcpath("data/mnist-test.csv.gz"), &o, &e);
        ck_assert_ptr_nonnull(r);
        pmk_csv_chunk c;
        size_t n = 0, nchunks = 0;
        while (pmk_csv_read_chunk(r, &c, &e) == PMK_OK && c.n > 0) {
            ck_assert_uint_le(c.n, sizes[s]);
            /* no header: row i (0-based) is on line i + 1 */
            ck_assert_int_eq(c.first_line, (long)n + 1);
            ck_assert_uint_eq(c.X.matrix.size2, 784);
            size_t diff = 0;
            for (size_t i = 0; i < c.n; i++) {
                diff += c.y[i] != all->y[n + i];
                for (size_t j = 0; j < 784; j++)
                    diff += gsl_matrix_get(&c.X.matrix, i, j) != gsl_matrix_get(all->X, n + i, j);
            }
            ck_assert_uint_eq(diff, 0);
            n += c.n;
            nchunks++;
        }
        ck_assert_int_eq(e.code, PMK_OK);
        ck_assert_uint_eq(n, 2000);
        ck_assert_uint_eq(nchunks, (2000 + sizes[s] - 1) / sizes[s]);
        /* end of file stays end of file */
        ck_assert_int_eq(pmk_csv_read_chunk(r, &c, &e), PMK_OK);
        ck_assert_uint_eq(c.n, 0);
        pmk_csv_close(r);
    }
    pmk_dataset_free(all);
    pmk_csv_close(NULL);
}
END_TEST

START_TEST(test_chunk_lines_with_header)
{
    /* header on line 1: rows start on line 2; chunks of 4 start on 2, 6, 10 */
    pmk_csv_options o;
    pmk_csv_options_init_default(&o);
    o.chunk_rows = 4;
    pmk_error e;
    pmk_csv_reader *r = pmk_csv_open(test_srcpath("tests/data/csv-mnist-header.csv.gz"), &o, &e);
    ck_assert_ptr_nonnull(r);
    pmk_csv_chunk c;
    long want[] = {2, 6, 10};
    size_t sizes[] = {4, 4, 2};
    for (int k = 0; k < 3; k++) {
        ck_assert_int_eq(pmk_csv_read_chunk(r, &c, &e), PMK_OK);
        ck_assert_uint_eq(c.n, sizes[k]);
        ck_assert_int_eq(c.first_line, want[k]);
    }
    ck_assert_int_eq(pmk_csv_read_chunk(r, &c, &e), PMK_OK);
    ck_assert_uint_eq(c.n, 0);
    pmk_csv_close(r);
}
END_TEST

/* ---------------------------------------------------------------- dialect */

START_TEST(test_dialect_bom_crlf_quotes_blanks)
{
    /* BOM, CRLF, quoted header names, blanks around fields, a quoted number,
     * blank lines at the end: labels 7, 3; features [0 255; 17 4]. */
    pmk_dataset *ds = read_all(test_srcpath("tests/data/csv-dialect.csv"), NULL);
    ck_assert_uint_eq(ds->n, 2);
    ck_assert_uint_eq(ds->d, 2);
    ck_assert_int_eq(ds->y[0], 7);
    ck_assert_int_eq(ds->y[1], 3);
    ck_assert(gsl_matrix_get(ds->X, 0, 0) == 0);
    ck_assert(gsl_matrix_get(ds->X, 0, 1) == 255);
    ck_assert(gsl_matrix_get(ds->X, 1, 0) == 17);
    ck_assert(gsl_matrix_get(ds->X, 1, 1) == 4);
    pmk_dataset_free(ds);

    /* no final line end, a header name holding a quoted comma */
    ds = read_all(PUT("q.csv", "\"a,b\",c\n1,2\n3,4"), NULL);
    ck_assert_uint_eq(ds->n, 2);
    ck_assert_uint_eq(ds->d, 1);
    ck_assert(gsl_matrix_get(ds->X, 1, 0) == 4);
    ck_assert_int_eq(ds->y[1], 3);
    pmk_dataset_free(ds);
    cleanup();
}
END_TEST

START_TEST(test_label_column_choice)
{
    pmk_csv_options o;
    pmk_csv_options_init_default(&o);
    o.label_col = 2;
    const char *p = PUT("l.csv", "1,2,9\n3,4,-8\n");
    pmk_dataset *ds = read_all(p, &o);
    ck_assert_uint_eq(ds->d, 2);
    ck_assert_int_eq(ds->y[0], 9);
    ck_assert_int_eq(ds->y[1], -8);
    ck_assert(gsl_matrix_get(ds->X, 1, 0) == 3 && gsl_matrix_get(ds->X, 1, 1) == 4);
    pmk_dataset_free(ds);
    o.label_col = -1;
    ds = read_all(p, &o);
    ck_assert_uint_eq(ds->d, 3);
    ck_assert_ptr_null(ds->y);
    ck_assert(gsl_matrix_get(ds->X, 1, 2) == -8);
    pmk_dataset_free(ds);
    /* a numeric first line forced to be a header is skipped */
    pmk_csv_options_init_default(&o);
    o.header = PMK_CSV_HEADER_YES;
    ds = read_all(p, &o);
    ck_assert_uint_eq(ds->n, 1);
    ck_assert_int_eq(ds->y[0], 3);
    pmk_dataset_free(ds);
    /* labels at the extremes of long */
    ds = read_all(PUT("big.csv", "-9223372036854775808,1\n9223372036854775807,2\n"), NULL);
    ck_assert_int_eq(ds->y[0], LONG_MIN);
    ck_assert_int_eq(ds->y[1], LONG_MAX);
    pmk_dataset_free(ds);
    cleanup();
}
END_TEST

/* ---------------------------------------------------------------- decimals */

START_TEST(test_decimal_exact)
{
    /* Each field must parse to exactly the double strtod gives in the C locale
     * (the test process never calls setlocale, so strtod is the reference). */
    static const char *const txt[] = {
        "0.1", "1e-300", "-2.5e+10", "4.9406564584124654e-324", "2.4703282292062328e-324",
        "2.2250738585072011e-308", "1.7976931348623157e308", "123456789012345678",
        "9007199254740993", "0.30000000000000004", "-0", "+3", ".5", "5.", "1E3",
        "1e-400", "0.1000000000000000055511151231257827021181583404541015625",
    };
    size_t nt = sizeof txt / sizeof txt[0];
    char line[2048] = "0";
    for (size_t i = 0; i < nt; i++) {
        strcat(line, ",");
        strcat(line, txt[i]);
    }
    strcat(line, "\n");
    pmk_dataset *ds = read_all(put("dec.csv", line, strlen(line)), NULL);
    ck_assert_uint_eq(ds->d, nt);
    for (size_t i = 0; i < nt; i++) {
        double want = strtod(txt[i], NULL), got = gsl_matrix_get(ds->X, 0, i);
        ck_assert_msg(memcmp(&want, &got, sizeof want) == 0, "%s: got %.17g want %.17g",
                      txt[i], got, want);
    }
    ck_assert(signbit(gsl_matrix_get(ds->X, 0, 10)));        /* -0 keeps its sign */
    ck_assert(gsl_matrix_get(ds->X, 0, 15) == 0);             /* 1e-400 underflows to 0 */
    pmk_dataset_free(ds);
    cleanup();
}
END_TEST

/* ---------------------------------------------------------------- round trips */

START_TEST(test_roundtrip_bytes_integer_and_gzip)
{
    /* CSV -> matrix -> CSV gives the same bytes: the first 50 MNIST rows */
    gzFile g = gzopen(test_srcpath("data/mnist-test.csv.gz"), "rb");
    ck_assert_ptr_nonnull(g);
    char *text = malloc(1 << 20);
    size_t len = 0;
    for (int rows = 0; rows < 50; rows++) {
        ck_assert_ptr_nonnull(gzgets(g, text + len, (int)((1 << 20) - len)));
        len += strlen(text + len);
    }
    gzclose(g);
    const char *src = put("in.csv", text, len);
    char srcpath[700], out[700], outgz[700];
    snprintf(srcpath, sizeof srcpath, "%s", src);
    snprintf(out, sizeof out, "%s/out.csv", tmpdir);
    snprintf(outgz, sizeof outgz, "%s/out.csv.gz", tmpdir);
    pmk_dataset *ds = read_all(srcpath, NULL);
    pmk_error e;
    ck_assert_int_eq(pmk_csv_write(out, ds->X, ds->y, NULL, &e), PMK_OK);
    size_t olen;
    char *got = test_read_file(out, &olen);
    ck_assert_uint_eq(olen, len);
    ck_assert(memcmp(got, text, len) == 0);
    free(got);
    /* gzipped by name: the file starts with gzip's magic and reads back equal */
    ck_assert_int_eq(pmk_csv_write(outgz, ds->X, ds->y, NULL, &e), PMK_OK);
    got = test_read_file(outgz, &olen);
    ck_assert((unsigned char)got[0] == 0x1f && (unsigned char)got[1] == 0x8b);
    free(got);
    pmk_dataset *back = read_all(outgz, NULL);
    ck_assert_uint_eq(back->n, 50);
    size_t diff = 0;
    for (size_t i = 0; i < 50; i++) {
        diff += back->y[i] != ds->y[i];
        for (size_t j = 0; j < 784; j++)
            diff += gsl_matrix_get(back->X, i, j) != gsl_matrix_get(ds->X, i, j);
    }
    ck_assert_uint_eq(diff, 0);
    pmk_dataset_free(back);
    pmk_dataset_free(ds);
    free(text);
    cleanup();
}
END_TEST

START_TEST(test_roundtrip_decimals_shortest)
{
    /* the writer picks %.15g when it reads back exactly, else %.17g:
     *   0.1 -> "0.1"; 1/3 needs 17 digits -> "0.33333333333333331";
     *   0.1+0.2 = 0.30000000000000004 (17 digits); 1e-300 -> "1e-300";
     *   -2.5e10 is an integer -> "-25000000000"; -0 -> "-0";
     *   the smallest subnormal: every 15-digit neighbour rounds to it, so
     *   "4.94065645841247e-324" reads back exactly and is chosen. */
    gsl_matrix *X = gsl_matrix_alloc(1, 7);
    double v[7] = {0.1, 1.0 / 3, 0.1 + 0.2, 1e-300, -2.5e10, -0.0, 4.9406564584124654e-324};
    for (int j = 0; j < 7; j++)
        gsl_matrix_set(X, 0, j, v[j]);
    long y = 4;
    const char *p = PUT("x.csv", "");
    char path[700];
    snprintf(path, sizeof path, "%s", p);
    pmk_error e;
    ck_assert_int_eq(pmk_csv_write(path, X, &y, NULL, &e), PMK_OK);
    char *got = test_read_file(path, NULL);
    ck_assert_str_eq(got, "4,0.1,0.33333333333333331,0.30000000000000004,1e-300,-25000000000,-0,"
                          "4.94065645841247e-324\n");
    free(got);
    pmk_dataset *ds = read_all(path, NULL);
    for (int j = 0; j < 7; j++) {
        double b = gsl_matrix_get(ds->X, 0, j);
        ck_assert(memcmp(&b, &v[j], sizeof b) == 0);
    }
    pmk_dataset_free(ds);
    /* no labels; a header gets its newline */
    ck_assert_int_eq(pmk_csv_write(path, X, NULL, "a,b,c,d,e,f,g", &e), PMK_OK);
    got = test_read_file(path, NULL);
    ck_assert(strncmp(got, "a,b,c,d,e,f,g\n0.1,", 18) == 0);
    free(got);
    /* NaN is refused and the file is left as it was */
    gsl_matrix_set(X, 0, 2, NAN);
    ck_assert_int_eq(pmk_csv_write(path, X, &y, NULL, &e), PMK_EDATA);
    char want[800];
    snprintf(want, sizeof want,
             "%s: row 1, column 3: NaN cannot be written (the CSV reader refuses non-finite "
             "values)", path);
    ck_assert_str_eq(e.msg, want);
    got = test_read_file(path, NULL);
    ck_assert(strncmp(got, "a,b,c", 5) == 0);
    free(got);
    gsl_matrix_free(X);
    cleanup();
}
END_TEST


START_TEST(test_locale_independent)
{
    /* Under a locale whose decimal point is ',' (de_DE, built once per runner by
     * test_de_locale when the system has its source), plain
     * strtod and printf would read "0.1" as 0 and write "0,1"; the reader and
     * writer must give the C-locale results.  Without localedef or the de_DE
     * source the test has nothing to check, and says so. */
    const char *p = PUT("loc.csv", "7,0.1,-2.5e+10,1e-300\n");
    char path[700];
    snprintf(path, sizeof path, "%s", p);
    if (!test_de_locale()) {
        fprintf(stderr, "check_csv: no de_DE locale could be built: locale test skipped\n");
        cleanup();
        return;
    }
    ck_assert_str_eq(localeconv()->decimal_point, ",");
    pmk_dataset *ds = read_all(path, NULL);
    ck_assert(gsl_matrix_get(ds->X, 0, 0) == 0.1);
    ck_assert(gsl_matrix_get(ds->X, 0, 1) == -2.5e10);
    ck_assert(gsl_matrix_get(ds->X, 0, 2) == 1e-300);
    gsl_matrix_set(ds->X, 0, 1, 1.0 / 3);
    pmk_error e;
    ck_assert_int_eq(pmk_csv_write(path, ds->X, ds->y, NULL, &e), PMK_OK);
    char *got = test_read_file(path, NULL);
    ck_assert_str_eq(got, "7,0.1,0.33333333333333331,1e-300\n");
    free(got);
    ck_assert_str_eq(localeconv()->decimal_point, ",");   /* the caller's locale is kept */
    setlocale(LC_ALL, "C");
    pmk_dataset_free(ds);
    cleanup();
}
END_TEST



/* ---------------------------------------------------------------- errors */

/* Opens and reads @p path through to the end; returns the status and the
 * message with the path replaced by "F". */
static int read_error(const char *path, const pmk_csv_options *o, char *msg, size_t len)
{
    pmk_error e;
    pmk_error_clear(&e);
    pmk_csv_reader *r = pmk_csv_open(path, o, &e);
    int rc = r ? PMK_OK : e.code;
    if (r) {
        pmk_csv_chunk c;
        while ((rc = pmk_csv_read_chunk(r, &c, &e)) == PMK_OK && c.n > 0)
            ;
        pmk_csv_close(r);
    }
    size_t pl = strlen(path);
    if (rc && strncmp(e.msg, path, pl) == 0)
        snprintf(msg, len, "F%s", e.msg + pl);
    else
        snprintf(msg, len, "%s", e.msg);
    return rc;
}

#define BAD(fixture, code, text)                                                           \
    do {                                                                                   \
        char m_[PMK_ERROR_MSG_MAX];                                                        \
        ck_assert_int_eq(read_error(test_srcpath("tests/data/" fixture), NULL, m_, sizeof m_), \
                         code);                                                            \
        ck_assert_str_eq(m_, text);                                                        \
    } while (0)

START_TEST(test_bad_inputs_exact_messages)
{
    BAD("csv-empty.csv", PMK_EFORMAT, "F: empty file (no header and no rows)");
    BAD("csv-blank-only.csv", PMK_EFORMAT, "F: empty file (no header and no rows)");
    BAD("csv-header-only.csv", PMK_EFORMAT, "F:1:1: header only, no data rows");
    /* "4,5" is 3 bytes: the missing field would start in column 4 */
    BAD("csv-ragged-short.csv", PMK_EFORMAT, "F:2:4: ragged row: 2 fields, expected 3");
    /* "4,5,6,7": the extra field 4 starts in column 7 */
    BAD("csv-ragged-long.csv", PMK_EFORMAT, "F:2:7: ragged row: 4 fields, expected 3");
    BAD("csv-nonnumeric.csv", PMK_EFORMAT, "F:2:3: field 2: 'abc' is not a number");
    BAD("csv-nan.csv", PMK_EDATA, "F:2:3: field 2: 'nan' is not a finite number");
    BAD("csv-inf.csv", PMK_EDATA, "F:2:5: field 3: '-inf' is not a finite number");
    BAD("csv-label-float.csv", PMK_EDATA, "F:2:1: field 1: label '4.5' is not an integer");
    BAD("csv-blank-middle.csv", PMK_EFORMAT,
        "F:2:1: blank line before more data (blank lines are accepted only at the end of "
        "the file)");
    BAD("csv-quote-open.csv", PMK_EFORMAT, "F:1:3: field 2: unterminated quoted field");
    BAD("csv-empty-field.csv", PMK_EFORMAT, "F:1:5: field 3: empty field, expected a number");
    BAD("csv-overflow.csv", PMK_EDATA, "F:1:3: field 2: '2.5e999' is too large for a double");
    BAD("csv-binary.csv", PMK_EDATA, "F:2:1: field 1: label '\\x01\\x02\\xff' is not an integer");
    BAD("csv-long-field.csv", PMK_EFORMAT,
        "F:2:3: field 2: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is not a number");
}
END_TEST

START_TEST(test_bad_inputs_more)
{
    char m[PMK_ERROR_MSG_MAX];
    pmk_csv_options o;
    pmk_csv_options_init_default(&o);
    /* a label out of the range of long */
    ck_assert_int_eq(read_error(PUT("a.csv", "1,2\n99999999999999999999,3\n"), NULL, m, sizeof m),
                     PMK_EDATA);
    ck_assert_str_eq(m, "F:2:1: field 1: label '99999999999999999999' is out of range");
    /* text after a closing quote */
    ck_assert_int_eq(read_error(PUT("b.csv", "1,2\n3,\"4\"x\n"), NULL, m, sizeof m), PMK_EFORMAT);
    ck_assert_str_eq(m, "F:2:3: field 2: unexpected text after a closing double quote");
    /* hexadecimal floats are not decimal numbers */
    ck_assert_int_eq(read_error(PUT("c.csv", "1,2\n3,0x10\n"), NULL, m, sizeof m), PMK_EFORMAT);
    ck_assert_str_eq(m, "F:2:3: field 2: '0x10' is not a number");
    /* a line over max_line: line 2 is 15 bytes, the limit 10 */
    o.max_line = 10;
    ck_assert_int_eq(read_error(PUT("d.csv", "1,2,3\n1,2,3,4,5,6,7,8\n"), &o, m, sizeof m),
                     PMK_ELIMIT);
    ck_assert_str_eq(m, "F:2:11: line longer than the limit of 10 bytes");
    /* exactly 10 bytes before a CRLF is within the limit; 11 is not */
    ck_assert_int_eq(read_error(PUT("d2.csv", "1,2,3\r\n1,2,345678\r\n"), &o, m, sizeof m),
                     PMK_OK);
    ck_assert_int_eq(read_error(PUT("d3.csv", "1,2,3\r\n1,2,3456789\r\n"), &o, m, sizeof m),
                     PMK_ELIMIT);
    ck_assert_str_eq(m, "F:2:11: line longer than the limit of 10 bytes");
    /* a line longer than the 1 MiB read block, under the default limit, is fine */
    size_t n = (3u << 20) / 2;
    char *big = malloc(2 * n + 16);
    size_t k = 0;
    big[k++] = '5';
    for (size_t i = 0; i < n / 2; i++) {
        big[k++] = ',';
        big[k++] = '1';
    }
    big[k++] = '\n';
    pmk_dataset *ds = read_all(put("big.csv", big, k), NULL);
    ck_assert_uint_eq(ds->d, n / 2);
    ck_assert_int_eq(ds->y[0], 5);
    pmk_dataset_free(ds);
    /* ... and refused under a limit just below its length */
    o.max_line = k - 2;
    ck_assert_int_eq(read_error(put("big.csv", big, k), &o, m, sizeof m), PMK_ELIMIT);
    snprintf(big, 200, "F:1:%zu: line longer than the limit of %zu bytes", k - 1, k - 2);
    ck_assert_str_eq(m, big);
    free(big);
    /* the label column must exist */
    pmk_csv_options_init_default(&o);
    o.label_col = 5;
    ck_assert_int_eq(read_error(PUT("e.csv", "1,2,3\n"), &o, m, sizeof m), PMK_EINVAL);
    ck_assert_str_eq(m, "F:1: label column 5 does not exist: the file has 3 columns (0 to 2)");
    /* the optional value checks: an integer 0..255, labels 0..9 */
    pmk_csv_options_init_default(&o);
    o.value_min = 0;
    o.value_max = 255;
    o.value_integer = 1;
    o.label_min = 0;
    o.label_max = 9;
    ck_assert_int_eq(read_error(PUT("f.csv", "1,2,3\n4, 256,6\n"), &o, m, sizeof m), PMK_EDATA);
    ck_assert_str_eq(m, "F:2:3: field 2: '256' is not in the range 0 to 255");
    ck_assert_int_eq(read_error(PUT("g.csv", "1,2,3\n4,5,6.5\n"), &o, m, sizeof m), PMK_EDATA);
    ck_assert_str_eq(m, "F:2:5: field 3: '6.5' is not an integer");
    ck_assert_int_eq(read_error(PUT("h.csv", "1,2,3\n10,5,6\n"), &o, m, sizeof m), PMK_EDATA);
    ck_assert_str_eq(m, "F:2:1: field 1: label '10' is not in the range 0 to 9");
    /* a truncated gzip stream: the stream layer's message, naming the file */
    gzFile g;
    char gzp[700];
    snprintf(gzp, sizeof gzp, "%s/t.csv.gz", tmpdir);
    g = gzopen(gzp, "wb");
    for (int i = 0; i < 2000; i++)
        gzprintf(g, "%d,%d,%d\n", i % 10, i * 7 % 251, i * 13 % 256);
    gzclose(g);
    size_t glen;
    char *gz = test_read_file(gzp, &glen);
    test_write_file(gzp, gz, glen / 2);
    free(gz);
    ck_assert_int_eq(read_error(gzp, NULL, m, sizeof m), PMK_EFORMAT);
    ck_assert_str_eq(m, "F: truncated gzip stream (unexpected end of file)");
    /* a corrupt one: the CRC-32 in the 8-byte trailer no longer matches */
    g = gzopen(gzp, "wb");
    gzputs(g, "1,2\n3,4\n");
    gzclose(g);
    gz = test_read_file(gzp, &glen);
    gz[glen - 8] ^= 0x55;
    test_write_file(gzp, gz, glen);
    free(gz);
    ck_assert_int_eq(read_error(gzp, NULL, m, sizeof m), PMK_EFORMAT);
    ck_assert_str_eq(m, "F: corrupt gzip stream: incorrect data check");
    /* a missing file */
    ck_assert_int_eq(read_error("/nonexistent/x.csv", NULL, m, sizeof m), PMK_EIO);
    ck_assert_str_eq(m, "F: cannot open: No such file or directory");
    cleanup();
}
END_TEST

/* The streaming writer: rows given in blocks of any size give the bytes of one
 * pmk_csv_write of the whole matrix; a non-finite value is refused naming its
 * row counted from the first row written, and an aborted writer leaves the
 * target as it was. */
START_TEST(test_writer_blocks_same_bytes)
{
    gsl_matrix *X = gsl_matrix_alloc(5, 3);
    long y[5] = {3, -1, 0, 7, 12};
    for (size_t i = 0; i < 5; i++)
        for (size_t j = 0; j < 3; j++)
            gsl_matrix_set(X, i, j, (double)(i * 3 + j) / 8.0 - 0.5);
    const char *p = PUT("whole.csv", "");
    char whole[700], part[700];
    snprintf(whole, sizeof whole, "%s", p);
    snprintf(part, sizeof part, "%s", PUT("part.csv", "old\n"));
    pmk_error e;
    ck_assert_int_eq(pmk_csv_write(whole, X, y, "label,a,b,c", &e), PMK_OK);
    char *want = test_read_file(whole, NULL);
    for (size_t block = 1; block <= 5; block++) {
        pmk_csv_writer *w = pmk_csv_writer_open(part, 3, "label,a,b,c", &e);
        ck_assert_ptr_nonnull(w);
        for (size_t i = 0; i < 5; i += block) {
            size_t n = i + block > 5 ? 5 - i : block;
            gsl_matrix_view v = gsl_matrix_submatrix(X, i, 0, n, 3);
            ck_assert_int_eq(pmk_csv_writer_rows(w, &v.matrix, y + i, &e), PMK_OK);
        }
        ck_assert_int_eq(pmk_csv_writer_commit(w, &e), PMK_OK);
        char *got = test_read_file(part, NULL);
        ck_assert_str_eq(got, want);
        free(got);
    }
    /* row 4 of the file is row 2 of the second block */
    pmk_csv_writer *w = pmk_csv_writer_open(part, 3, NULL, &e);
    gsl_matrix_view top = gsl_matrix_submatrix(X, 0, 0, 2, 3);
    gsl_matrix_view rest = gsl_matrix_submatrix(X, 2, 0, 3, 3);
    ck_assert_int_eq(pmk_csv_writer_rows(w, &top.matrix, NULL, &e), PMK_OK);
    gsl_matrix_set(X, 3, 1, INFINITY);
    ck_assert_int_eq(pmk_csv_writer_rows(w, &rest.matrix, NULL, &e), PMK_EDATA);
    char msg[800];
    snprintf(msg, sizeof msg, "%s: row 4, column 2: an infinity cannot be written (the CSV "
                              "reader refuses non-finite values)", part);
    ck_assert_str_eq(e.msg, msg);
    pmk_csv_writer_abort(w);
    char *got = test_read_file(part, NULL);
    ck_assert_str_eq(got, want);   /* the last commit's file, untouched */
    free(got);
    free(want);
    gsl_matrix_free(X);
    cleanup();
}
END_TEST

Suite *suite_csv(void)
{
    Suite *s = suite_create("csv");
    TCase *tc = tcase_create("read");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_mnist_plain_known_values);
    tcase_add_test(tc, test_mnist_header_layout_same_matrix);
    tcase_add_test(tc, test_chunks_same_data_any_size);
    tcase_add_test(tc, test_chunk_lines_with_header);
    tcase_add_test(tc, test_dialect_bom_crlf_quotes_blanks);
    tcase_add_test(tc, test_label_column_choice);
    tcase_add_test(tc, test_decimal_exact);
    suite_add_tcase(s, tc);
    tc = tcase_create("write");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_roundtrip_bytes_integer_and_gzip);
    tcase_add_test(tc, test_roundtrip_decimals_shortest);
    tcase_add_test(tc, test_locale_independent);
    tcase_add_test(tc, test_writer_blocks_same_bytes);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_bad_inputs_exact_messages);
    tcase_add_test(tc, test_bad_inputs_more);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, tcase_csv_limits());
    suite_add_tcase(s, tcase_csv_simd());
    suite_add_tcase(s, tcase_csv_seek());
    return s;
}
