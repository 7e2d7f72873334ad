/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* convert.c: `pmk convert`: data sets from IDX (MNIST's binary format) to CSV
 * and back.  The input's format is recognised by its content. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/help.h"

/* 1 when @p path starts with two zero bytes (an IDX header), 0 otherwise
 * (text: read as CSV), -1 when it cannot be opened (message printed). */
static int sniff_idx(const char *path)
{
    if (strcmp(path, "-") == 0)
        return 0;
    pmk_error err;
    pmk_instream *in = pmk_instream_open(path, &err);
    if (!in) {
        cli_error_pmk(&err);
        return -1;
    }
    unsigned char b[2];
    size_t got = 0;
    long k;
    while (got < 2 && (k = pmk_instream_read(in, b + got, 2 - got, &err)) > 0)
        got += (size_t)k;
    pmk_instream_close(in);
    return got == 2 && b[0] == 0 && b[1] == 0;
}

/* IDX to CSV, streamed: a chunk of images at a time from the data-set reader
 * to the CSV writer, so memory does not grow with the number of images. */
static int idx_to_csv(const char *images, const char *labels, const char *out)
{
    pmk_error err;
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.format = PMK_DATA_IDX;
    o.labels = labels;
    o.label_col = labels ? 0 : -1;
    o.progress = cli_progress_fn;
    pmk_data_reader *r = pmk_data_open(images, &o, &err);
    if (!r)
        return cli_error_pmk(&err);
    size_t d = pmk_data_nfeatures(r), n = 0;
    int has_y = pmk_data_has_labels(r);
    /* Every CSV pmk writes starts with a header line (doc/formats.md). */
    size_t len = 16 + d * 16, k = 0;
    char *head = malloc(len);
    pmk_csv_writer *w = NULL;
    int status = PMK_EXIT_FAIL;
    if (!head) {
        cli_error("out of memory");
        goto done;
    }
    if (has_y)
        k += (size_t)snprintf(head + k, len - k, "label,");
    for (size_t j = 0; j < d; j++)
        k += (size_t)snprintf(head + k, len - k, "pixel%zu,", j);
    head[k - 1] = '\n';
    if (!(w = pmk_csv_writer_open(out, d, head, &err))) {
        cli_error_pmk(&err);
        goto done;
    }
    pmk_data_chunk ch;
    int rc;
    while ((rc = pmk_data_read_chunk(r, &ch, &err)) == PMK_OK && ch.n > 0) {
        if ((rc = pmk_csv_writer_rows(w, &ch.X.matrix, ch.y, &err)))
            break;
        n += ch.n;
    }
    if (rc) {
        cli_error_pmk(&err);
        goto done;
    }
    rc = pmk_csv_writer_commit(w, &err);
    w = NULL;
    if (rc) {
        cli_error_pmk(&err);
        goto done;
    }
    cli_notice("wrote %zu rows of %s%zu values to %s", n, has_y ? "a label and " : "", d,
               strcmp(out, "-") == 0 ? "<stdout>" : out);
    status = PMK_EXIT_OK;
done:
    pmk_csv_writer_abort(w);
    pmk_data_close(r);
    free(head);
    return status;
}

typedef struct csv_opts {
    int header;
    long label_col;
    size_t max_line;
    size_t shape[2];   /* 0 x 0: automatic */
} csv_opts;

static int csv_to_idx(const char *in, const char *out, const char *labels, const csv_opts *co)
{
    pmk_error err;
    pmk_csv_options o;
    pmk_csv_options_init_default(&o);
    o.header = co->header;
    o.label_col = co->label_col;
    o.max_line = co->max_line;
    o.value_min = 0;
    o.value_max = 255;
    o.value_integer = 1;
    o.progress = cli_progress_fn;
    if (labels) {
        o.label_min = 0;
        o.label_max = 255;
    }
    pmk_csv_reader *r = pmk_csv_open(in, &o, &err);
    if (!r)
        return cli_error_pmk(&err);
    int status = PMK_EXIT_FAIL;
    const size_t d = pmk_csv_ncols(r);
    unsigned char *pix = NULL, *lab = NULL;
    size_t n = 0, cap = 0;
    size_t dims[3];
    size_t ndim;
    if (co->shape[0]) {
        if (co->shape[0] * co->shape[1] != d) {
            cli_error("%s: --shape %zux%zu holds %zu values, but rows have %zu", pmk_csv_path(r),
                      co->shape[0], co->shape[1], co->shape[0] * co->shape[1], d);
            goto done;
        }
        dims[1] = co->shape[0];
        dims[2] = co->shape[1];
        ndim = 3;
    } else {
        size_t s = 1;
        while ((s + 1) * (s + 1) <= d)
            s++;
        if (d > 1 && s * s == d) {
            dims[1] = dims[2] = s;
            ndim = 3;
        } else {
            dims[1] = d;
            ndim = 2;
        }
    }
    pmk_csv_chunk ch;
    int rc;
    while ((rc = pmk_csv_read_chunk(r, &ch, &err)) == PMK_OK && ch.n > 0) {
        if (n + ch.n > cap) {
            size_t ncap = cap ? 2 * cap : 4096;
            while (ncap < n + ch.n)
                ncap *= 2;
            /* the images (and labels) held until the end: under the memory ceiling */
            unsigned long long per = d + (labels ? 1 : 0), lim = pmk_mem_limit(NULL);
            char what[96];
            snprintf(what, sizeof what, "holding %zu rows of %llu bytes", n + ch.n, per);
            if (pmk_mem_check(pmk_csv_path(r), ch.first_line + (long)ch.n - 1, 0,
                              (unsigned long long)(n + ch.n) * per, what, &err)) {
                cli_error_pmk(&err);
                goto done;
            }
            if (lim && ncap > lim / per)
                ncap = (size_t)(lim / per);
            size_t bytes;
            unsigned char *np = NULL, *nl = NULL;
            if (pmk_size_mul(ncap, d, &bytes) == PMK_OK)
                np = realloc(pix, bytes);
            if (np)
                pix = np;
            if (labels && ch.y && (nl = realloc(lab, ncap)))
                lab = nl;
            if (!np || (labels && ch.y && !nl)) {
                cli_error("%s: out of memory after %zu rows", pmk_csv_path(r), n);
                goto done;
            }
            cap = ncap;
        }
        /* the reader checked every value is an integer 0..255 (and each label) */
        for (size_t i = 0; i < ch.n; i++) {
            const double *row = gsl_matrix_const_ptr(&ch.X.matrix, i, 0);
            unsigned char *dst = pix + (n + i) * d;
            for (size_t j = 0; j < d; j++)
                dst[j] = (unsigned char)row[j];
            if (lab)
                lab[n + i] = (unsigned char)ch.y[i];
        }
        n += ch.n;
    }
    if (rc) {
        cli_error_pmk(&err);
        goto done;
    }
    if (labels && !lab) {
        cli_error("%s: no label column to write to %s (--label-col none)", pmk_csv_path(r),
                  labels);
        goto done;
    }
    dims[0] = n;
    /* Images and labels are one set: both staged, then both renamed, so a
     * failure in either leaves both targets as they were. */
    cli_outset set = {0};
    const char *out_w = cli_outset_add(&set, out);
    const char *lab_w = out_w && labels ? cli_outset_add(&set, labels) : NULL;
    if (!out_w || (labels && !lab_w)) {
        cli_outset_abort(&set);
        goto done;
    }
    if (pmk_idx_write_u8(out_w, pix, dims, ndim, &err)
        || (labels && pmk_idx_write_u8(lab_w, lab, dims, 1, &err))) {
        cli_outset_error(&set, &err);
        cli_outset_abort(&set);
        goto done;
    }
    if (cli_outset_commit(&set))
        goto done;
    if (ndim == 3)
        cli_notice("wrote %zu images of %zu x %zu to %s", n, dims[1], dims[2],
                   strcmp(out, "-") == 0 ? "<stdout>" : out);
    else
        cli_notice("wrote %zu rows of %zu values to %s", n, dims[1],
                   strcmp(out, "-") == 0 ? "<stdout>" : out);
    if (labels)
        cli_notice("wrote %zu labels to %s", n, labels);
    else if (o.label_col >= 0)
        cli_notice("the labels (column %ld) were not written: use --labels FILE to keep them",
                   o.label_col);
    status = PMK_EXIT_OK;
done:
    pmk_csv_close(r);
    free(pix);
    free(lab);
    return status;
}

int cli_convert(int argc, char **argv)
{
    enum { OPT_SHAPE = 256, OPT_MAX_LINE };
    static const cli_option opts[] = {
        {"labels", 'l', 1},
        {"shape", OPT_SHAPE, 1},
        {"max-line", OPT_MAX_LINE, 1},
        {NULL, 0, 0},
    };
    const char *labels = NULL, *arg;
    const char *csv_flag = NULL;   /* an option that only CSV input takes */
    csv_opts co = {PMK_CSV_HEADER_AUTO, 0, PMK_CSV_MAX_LINE_DEFAULT, {0, 0}};
    cli_args a;
    cli_parser p;
    int key, rc;
    cli_args_init(&a);
    cli_parse_begin(&p, argc, argv, pmk_help_convert, CLI_G_INPUT | CLI_G_OUTPUT, opts, &a);
    while ((key = cli_parse_next(&p, &arg)) > 0) {
        switch (key) {
        case 'l': labels = arg; break;
        case OPT_SHAPE:
            if ((rc = cli_parse_shape("shape", arg, &co.shape[0], &co.shape[1])))
                return rc;
            csv_flag = "--shape";
            break;
        case OPT_MAX_LINE:
            if ((rc = cli_parse_size("max-line", arg, &co.max_line)))
                return rc;
            if (co.max_line == 0)
                return cli_usage("--max-line: must be at least 1");
            csv_flag = "--max-line";
            break;
        }
    }
    if (key < 0)
        return p.status;
    co.header = a.data.header;
    co.label_col = a.data.label_col;
    if (co.header != PMK_CSV_HEADER_AUTO)
        csv_flag = co.header == PMK_CSV_HEADER_YES ? "--header" : "--no-header";
    else if (co.label_col > 0)
        csv_flag = "--label-col";
    const char *out = a.output;
    char **pos = a.pos;
    size_t npos = a.npos;
    if (npos < 1)
        return cli_usage("no input file given");
    if (!out)
        return cli_usage("no output file given (-o FILE)");
    if (npos > 2)
        return cli_usage("unexpected argument '%s'", pos[2]);
    const char *in = pos[0];
    if (npos == 2 && labels)
        return cli_usage("the labels are given twice: as %s and --labels %s", pos[1], labels);
    if (npos == 2)
        labels = pos[1];
    const char *conv_in[] = {in, NULL}, *conv_out[] = {out, NULL};
    int is_idx = sniff_idx(in);
    if (is_idx < 0)
        return PMK_EXIT_FAIL;
    /* --labels names the IDX labels file that goes with the IDX images: read
     * with IDX input, written with IDX output. */
    if (is_idx)
        conv_in[1] = labels;
    else
        conv_out[1] = labels;
    if ((rc = cli_check_files(conv_in, 2, conv_out, 2)))
        return rc;
    if (is_idx) {
        if (csv_flag)
            return cli_usage("%s applies to CSV input, and %s is IDX", csv_flag, in);
        return idx_to_csv(in, co.label_col < 0 ? NULL : labels, out);
    }
    if (npos == 2)
        return cli_usage("a second argument is for IDX input (the labels), and %s is CSV; "
                         "use --labels FILE to write the labels", in);
    if (labels && co.label_col < 0)
        return cli_usage("--labels needs a label column, not --label-col none");
    return csv_to_idx(in, out, labels, &co);
}
