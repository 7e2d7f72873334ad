/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* convert.c: `pmk convert`: data sets from IDX (MNIST's binary format) to CSV
 * and back, by the library's pmk_data_to_csv and pmk_data_to_idx.  The
 * input's format is recognised by its content (pmk_data_sniff). */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/help.h"

static const char *shown(const char *out) { return strcmp(out, "-") ? out : "<stdout>"; }

int cli_convert(int argc, char **argv)
{
    enum { OPT_SHAPE = 256, OPT_MAX_LINE };
    static const cli_option opts[] = {
        {"labels", 'l', 1}, {"shape", OPT_SHAPE, 1}, {"max-line", OPT_MAX_LINE, 1}, {NULL, 0, 0},
    };
    const char *labels = NULL, *arg, *csv_flag = NULL;   /* an option only CSV input takes */
    size_t shape[2] = {0, 0};
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.progress = cli_progress_fn;
    cli_args a;
    cli_parser p;
    int key, rc = 0, format;
    cli_args_init(&a);
    cli_parse_begin(&p, argc, argv, pmk_help_convert, CLI_G_INPUT | CLI_G_OUTPUT, opts, &a);
    while (!rc && (key = cli_parse_next(&p, &arg)) > 0) {
        if (key == 'l')
            labels = arg;
        else if (key == OPT_SHAPE)
            rc = cli_parse_shape("shape", arg, &shape[0], &shape[1]);
        else if (!(rc = cli_parse_size("max-line", arg, &o.max_line)) && !o.max_line)
            rc = cli_usage("--max-line: must be at least 1");
        if (key != 'l')
            csv_flag = key == OPT_SHAPE ? "--shape" : "--max-line";
    }
    if (rc || key < 0)
        return rc ? rc : p.status;
    o.header = a.data.header;
    o.label_col = a.data.label_col;
    if (o.header != PMK_CSV_HEADER_AUTO)
        csv_flag = o.header == PMK_CSV_HEADER_YES ? "--header" : "--no-header";
    else if (o.label_col > 0 || o.label_col < -1)
        csv_flag = "--label-col";
    if (a.npos < 1)
        return cli_usage("no input file given");
    if (!a.output)
        return cli_usage("no output file given (-o FILE)");
    if ((rc = cli_args_max(&a, 2)))
        return rc;
    const char *in = a.pos[0], *out = a.output;
    if (a.npos == 2 && labels)
        return cli_usage("the labels are given twice: as %s and --labels %s", a.pos[1], labels);
    if (a.npos == 2)
        labels = a.pos[1];
    pmk_error err;
    if (pmk_data_sniff(in, &format, &err))
        return cli_error_pmk(&err);
    /* --labels names the IDX labels file that goes with the IDX images: read
     * with IDX input, written with IDX output. */
    const int idx = format == PMK_DATA_IDX;
    const char *conv_in[] = {in, idx ? labels : NULL}, *conv_out[] = {out, idx ? NULL : labels};
    if ((rc = cli_check_files(conv_in, 2, conv_out, 2)))
        return rc;
    pmk_data_convert_info info;
    if (idx) {
        if (csv_flag)
            return cli_usage("%s applies to CSV input, and %s is IDX", csv_flag, in);
        o.format = PMK_DATA_IDX;
        o.labels = o.label_col == -1 ? NULL : labels;
        o.label_col = o.labels ? 0 : -1;
        if (pmk_data_to_csv(in, &o, out, &info, &err))
            return cli_error_pmk(&err);
        cli_notice("wrote %zu rows of %s%zu values to %s", info.rows,
                   info.labels ? "a label and " : "", info.d, shown(out));
        return PMK_EXIT_OK;
    }
    if (a.npos == 2)
        return cli_usage("a second argument is for IDX input (the labels), and %s is CSV; "
                         "use --labels FILE to write the labels", in);
    if (labels && o.label_col == -1)
        return cli_usage("--labels needs a label column, not --label-col none");
    if (pmk_data_to_idx(in, &o, shape[0] ? shape : NULL, out, labels, &info, &err))
        return cli_error_pmk(&err);
    if (info.ndim == 3)
        cli_notice("wrote %zu images of %zu x %zu to %s", info.rows, info.dims[1], info.dims[2],
                   shown(out));
    else
        cli_notice("wrote %zu rows of %zu values to %s", info.rows, info.d, shown(out));
    if (labels)
        cli_notice("wrote %zu labels to %s", info.rows, labels);
    else if (o.label_col != -1)   /* PMK_COL_FROM_END(k) as the user wrote it: -k */
        cli_notice("the labels (column %ld) were not written: use --labels FILE to keep them",
                   o.label_col >= 0 ? o.label_col : o.label_col + 1);
    return PMK_EXIT_OK;
}
