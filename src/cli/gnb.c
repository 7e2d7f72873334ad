/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb.c: `pmk gnb`: fit, predict, eval, show, merge and export the Gaussian
 * class-conditional classifier.  Each verb reads its options, makes one or
 * two library calls (the data path is the library's: pmk_gnb_fitter_run,
 * pmk_gnb_eval_reader, pmk_gnb_predict_save, pmk_gnb_montage,
 * pmk_gnb_export) and reports through the emitter. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/help.h"
#include "mpi/pmk_mpi.h"

/* Rows per chunk: 1024 x 784 doubles is 6.4 MB, which keeps the peak memory
 * of a fit small whatever N is, while the per-chunk cost stays negligible
 * next to parsing. */
#define GNB_CHUNK_ROWS 1024

/* ---------------------------------------------------------------- shared */

/* MODEL and DATA... of predict and eval: the model loaded, the transform
 * asked for checked against it, *@p o the options to read DATA with. */
static int open_model(const cli_args *a, pmk_gnb **m, pmk_data_options *o)
{
    pmk_transform tf;
    pmk_error err;
    int rc = pmk_gnb_load(a->pos[0], m, &err) ? cli_error_pmk(&err) : cli_asked_transform(a, &tf);
    if (rc)
        return rc;
    if (pmk_gnb_check_transform(*m, &tf, &err))
        return cli_usage("%s: %s", a->pos[0], err.msg);
    cli_data_options(a, o);
    o->label_tokens = 1;   /* labels may be any token; chunks of the default size */
    return 0;
}

/* ---------------------------------------------------------------- fit */

enum {
    OPT_SMOOTH = 256, OPT_FLOOR, OPT_VARIANCE, OPT_PRIORS, OPT_MAXK, OPT_CHUNK, OPT_NOTRAIN,
    OPT_WEIGHTS, OPT_WCOL, OPT_COV, OPT_RIDGE, OPT_PROBA, OPT_LOGPROBA, OPT_SHAPE, OPT_COLS,
    OPT_ZOOM, OPT_CONF_PNG,
    OPT_WORST_PNG
};

static void report_fit(pmk_report *r, const pmk_gnb *m, const pmk_gnb_eval *e, int auto_scale,
                       int no_train, const char *out)
{
    pmk_report_num(r, "rows", pmk_gnb_ntrain(m), "rows (N)          %.0f\n", pmk_gnb_ntrain(m));
    pmk_report_int(r, "classes", (long long)pmk_gnb_nclasses(m), "classes (K)       %zu\n",
                   pmk_gnb_nclasses(m));
    pmk_report_int(r, "features", (long long)pmk_gnb_nfeatures(m), "features (D)      %zu\n",
                   pmk_gnb_nfeatures(m));
    pmk_report_num(r, "scale", pmk_gnb_get_options(m)->transform.scale, NULL);
    pmk_report_bool(r, "scale_auto", auto_scale, NULL);
    if (pmk_gnb_covariance(m))   /* a diagonal model's report is as it was */
        pmk_report_str(r, "covariance", "full", "covariance        full (a shared D x D Sigma)\n");
    if (e) {
        pmk_report_int(r, "train_correct", (long long)e->correct, NULL);
        pmk_report_num(r, "train_accuracy", e->accuracy, "train accuracy    %.6f (%zu/%zu)\n",
                       e->accuracy, e->correct, e->n);
    } else {
        pmk_report_null(r, "train_accuracy");
        pmk_report_text(r, "train accuracy    not measured (%s)\n",
                        no_train ? "--no-train-accuracy" : "from stdin or weighted, not all bytes 0..255");
    }
    pmk_report_num(r, "train_mean_nll", pmk_gnb_train_mean_nll(m),
                   "train mean NLL    %.6f nats\n", pmk_gnb_train_mean_nll(m));
    pmk_report_str(r, "model", out, "model             %s\n", strcmp(out, "-") ? out : "<stdout>");
}

static int cmd_fit(int argc, char **argv)
{
    static const cli_option opts[] = {   /* in the order of the enum */
        {"var-smoothing", OPT_SMOOTH, 1}, {"var-floor", OPT_FLOOR, 1},
        {"variance", OPT_VARIANCE, 1},    {"priors", OPT_PRIORS, 1},
        {"max-classes", OPT_MAXK, 1},     {"chunk-rows", OPT_CHUNK, 1},
        {"no-train-accuracy", OPT_NOTRAIN, 0}, {"weights", OPT_WEIGHTS, 1},
        {"weight-col", OPT_WCOL, 1},      {"covariance", OPT_COV, 1},
        {"ridge", OPT_RIDGE, 1},          {NULL, 0, 0},
    };
    cli_args a;
    cli_parser p;
    cli_args_init(&a);
    pmk_gnb_options go;
    pmk_gnb_options_init_default(&go);
    double *plist = NULL;
    size_t chunk = GNB_CHUNK_ROWS;
    int no_train = 0, key, rc = 0;
    long wcol = -1;   /* --weight-col: none */
    const char *arg, *wpath = NULL;
    pmk_error err;
    cli_parse_begin(&p, argc, argv, pmk_help_gnb_fit, CLI_G_DATA | CLI_G_OUTPUT | CLI_G_JSON, opts, &a);
    while (!rc && (key = cli_parse_next(&p, &arg)) > 0) {
        const char *name = opts[key - OPT_SMOOTH].name;   /* the table is in enum order */
        if (key == OPT_NOTRAIN || key == OPT_WEIGHTS) {
            no_train |= key == OPT_NOTRAIN, wpath = key == OPT_WEIGHTS ? arg : wpath;
        } else if (key == OPT_WCOL) {   /* the syntax of --label-col */
            if (pmk_data_parse_column(arg, &wcol, &err))
                rc = cli_usage("--weight-col: %s", err.msg);
        } else if (key == OPT_CHUNK) {
            if (!(rc = cli_parse_size(name, arg, &chunk)) && (chunk < 1 || chunk > 65536))
                rc = cli_usage("--chunk-rows: must be 1 to 65536, not '%s'", arg);
        } else if (pmk_gnb_options_set(&go, name, arg, &plist, &err)) {   /* the model's, by name */
            rc = err.code == PMK_EINVAL ? cli_usage("--%s: %s", name, err.msg)
                                        : cli_error_pmk(&err);
        }
    }
    if (!rc && key < 0)
        rc = p.status;
    if (!rc)
        rc = cli_args_count(&a, 1, SIZE_MAX, "missing DATA");
    if (!rc && wpath && wcol != -1)
        rc = cli_usage("--weights and --weight-col exclude each other");
    if (!rc && !a.output)
        rc = cli_usage("missing -o MODEL");
    if (!rc)
        rc = cli_asked_transform(&a, &go.transform);
    if (!rc && pmk_gnb_options_check(&go, &err))
        rc = cli_usage_pmk(&err);
    if (!rc)
        rc = cli_check_files((const char *const *)a.pos, a.npos, &a.output, 1);
    pmk_gnb *m = NULL;
    pmk_gnb_eval *e = NULL;
    pmk_gnb_fitter *f = NULL;
    pmk_data_options o;
    cli_data_options(&a, &o);
    o.chunk_rows = chunk, o.weight_col = wcol, o.label_tokens = 1;
    /* mpirun -np P, or several files: src/mpi/mpi_gnb.c fits and saves */
    int mpi = pmkmpi_size() > 1 || a.npos > 1;
    if (!rc && mpi && (wpath || wcol != -1))
        rc = cli_usage("--weights, --weight-col: one DATA file only, not under MPI yet");
    if (!rc && mpi && pmkmpi_gnb_fit((const char *const *)a.pos, a.npos, &o, &go, !no_train,
                                     a.output, &m, &e, &err))
        rc = err.code == PMK_EINVAL ? cli_usage_pmk(&err) : cli_error_pmk(&err);
    if (!rc && !mpi && (!(f = pmk_gnb_fitter_open(a.pos[0], &o, &go, !no_train, &err))
                        || (wpath && pmk_gnb_fitter_set_weights(f, wpath, &err))))
        rc = cli_error_pmk(&err);   /* the options are checked: the data are at fault */
    /* a bad option found only now (priors, not K of them): a usage error */
    if (!rc && !mpi && pmk_gnb_fitter_run(f, &m, no_train ? NULL : &e, &err))
        rc = err.code == PMK_EINVAL ? cli_usage_pmk(&err) : cli_error_pmk(&err);
    pmk_gnb_fitter_free(f);
    free(plist);
    if (!rc && !mpi && pmk_gnb_save(m, a.output, &err))
        rc = cli_error_pmk(&err);
    if (!rc) {
        /* The model on stdout (-o -) keeps stdout to itself: the report goes
         * to stderr, so that `gnb fit DATA -o - | gnb eval - TEST` works. */
        pmk_report *r = pmk_report_new();
        report_fit(r, m, e, go.transform.scale == 0, no_train, a.output);
        rc = cli_report_done(r, strcmp(a.output, "-") ? stdout : stderr, a.json);
    }
    pmk_gnb_eval_free(e);
    pmk_gnb_free(m);
    return rc;
}

/* ---------------------------------------------------------------- predict */

static int cmd_predict(int argc, char **argv)
{
    static const cli_option opts[] = {
        {"proba", OPT_PROBA, 0}, {"log-proba", OPT_LOGPROBA, 0}, {NULL, 0, 0},
    };
    cli_args a;
    cli_parser p;
    cli_args_init(&a);
    int cols = PMK_GNB_LABELS, key;
    const char *arg;
    cli_parse_begin(&p, argc, argv, pmk_help_gnb_predict, CLI_G_DATA | CLI_G_OUTPUT, opts, &a);
    while ((key = cli_parse_next(&p, &arg)) > 0) {
        int want = key == OPT_PROBA ? PMK_GNB_PROBA : PMK_GNB_LOG_PROBA;
        if (cols && cols != want)
            return cli_usage("--proba and --log-proba exclude each other");
        cols = want;
    }
    if (key < 0)
        return p.status;
    const char *out = a.output ? a.output : "-";
    int rc = cli_args_count(&a, 2, SIZE_MAX, "need MODEL and DATA");
    if (rc || (rc = cli_check_files((const char *const *)a.pos, a.npos, &out, 1)))
        return rc;
    pmk_gnb *m = NULL;
    pmk_data_options o;
    pmk_error err;
    rc = open_model(&a, &m, &o);   /* then over the files and every rank (src/mpi/) */
    if (pmkmpi_gnb_predict(rc, m, a.pos[0], (const char *const *)a.pos + 1, a.npos - 1, &o,
                           cols, out, &err) && !rc)
        rc = cli_error_pmk(&err);
    pmk_gnb_free(m);
    return rc;
}

/* ---------------------------------------------------------------- eval */

/* The report is the library's (pmk_gnb_eval_to_report); the warning is ours. */
static int cmd_eval(int argc, char **argv)
{
    static const cli_option opts[] = {{"confusion-png", OPT_CONF_PNG, 1},
                                      {"worst-png", OPT_WORST_PNG, 1}, {NULL, 0, 0}};
    cli_args a;
    cli_parser p;
    const char *arg, *png[2] = {NULL, NULL};   /* confusion, worst */
    int key, rc;
    cli_args_init(&a);
    cli_parse_begin(&p, argc, argv, pmk_help_gnb_eval, CLI_G_DATA | CLI_G_JSON, opts, &a);
    while ((key = cli_parse_next(&p, &arg)) > 0)
        png[key - OPT_CONF_PNG] = arg;
    if (key < 0 || (rc = cli_args_count(&a, 2, SIZE_MAX, "need MODEL and DATA"))
        || (rc = cli_check_files((const char *const *)a.pos, a.npos, png, 2)))
        return key < 0 ? p.status : rc;
    pmk_gnb *m = NULL;
    pmk_gnb_eval *e = NULL;
    pmk_data_options o;
    pmk_error err;
    rc = open_model(&a, &m, &o);   /* then over the files and every rank (src/mpi/) */
    if (pmkmpi_gnb_eval(rc, m, a.pos[0], (const char *const *)a.pos + 1, a.npos - 1, &o, &e,
                        &err) && !rc)
        rc = err.code == PMK_EINVAL ? cli_usage_pmk(&err) : cli_error_pmk(&err);
    cli_data_options(&a, &o), o.label_tokens = 1;
    if (!rc && ((png[0] && pmk_plot_confusion(e, m, png[0], &err))
                || (png[1] && pmk_plot_gnb_worst(m, a.pos[0], a.pos[1], &o, 20, 4, png[1], &err))))
        rc = cli_error_pmk(&err);
    if (!rc) {
        pmk_report *rep = pmk_report_new();
        pmk_gnb_eval_to_report(e, m, rep);
        rc = cli_report_done(rep, stdout, a.json);
        if (e->zero_var_rows)
            cli_notice("warning: %zu of %zu rows differ from their class mean in a feature of "
                       "zero training variance; their NLL terms are huge and dominate the mean "
                       "NLL", e->zero_var_rows, e->n);
    }
    pmk_gnb_eval_free(e);
    pmk_gnb_free(m);
    return rc;
}

/* ---------------------------------------------------------------- show */

static int cmd_show(int argc, char **argv)
{
    static const cli_option opts[] = {{"shape", OPT_SHAPE, 1}, {"cols", OPT_COLS, 1},
                                      {"zoom", OPT_ZOOM, 1}, {NULL, 0, 0}};
    cli_args a;
    cli_parser p;
    cli_args_init(&a);
    size_t tw = 0, th = 0, ncols = 0, zoom = 0;
    int key, rc = 0;
    const char *arg, *out;
    pmk_image_format fmt;
    pmk_error err;
    cli_parse_begin(&p, argc, argv, pmk_help_gnb_show, CLI_G_OUTPUT | CLI_G_FORMAT, opts, &a);
    while (!rc && (key = cli_parse_next(&p, &arg)) > 0) {
        if (key == OPT_SHAPE)
            rc = cli_parse_shape("shape", arg, &th, &tw);
        else if (key == OPT_ZOOM)
            rc = cli_parse_size("zoom", arg, &zoom) ? PMK_EXIT_USAGE
                 : pmk_plot_zoom_check(zoom, &err) ? cli_usage("--zoom: %s", err.msg) : 0;
        else if (!(rc = cli_parse_size("cols", arg, &ncols)) && !ncols)
            rc = cli_usage("--cols: must be at least 1");
    }
    if (rc || key < 0)
        return rc ? rc : p.status;
    if ((rc = cli_args_count(&a, 1, 1, "missing MODEL")) || (rc = cli_image_output(&a, &out, &fmt))
        || (rc = cli_check_files((const char *const *)a.pos, 1, &out, 1)))
        return rc;
    const char *mpath = a.pos[0];
    pmk_gnb *m = NULL;
    pmk_image *img = NULL;
    /* th x tw: both below 2^32 (cli_parse_shape), so exact in a double */
    if (pmk_gnb_load(mpath, &m, &err))
        rc = cli_error_pmk(&err);
    else if (th && (double)th * (double)tw != (double)pmk_gnb_nfeatures(m))
        rc = cli_error("--shape %zux%zu has %.0f pixels, but the model %s has %zu features", th,
                       tw, (double)th * (double)tw, mpath, pmk_gnb_nfeatures(m));
    else if (zoom ? pmk_plot_gnb_model(m, th, tw, zoom, out, &err)   /* the labelled figure */
                  : pmk_gnb_montage(m, th, tw, ncols, &img, &err))   /* no shape: square tiles */
        rc = !th && err.code == PMK_EINVAL ? cli_error("%s: %s; give --shape RxC", mpath, err.msg)
                                           : cli_error_pmk(&err);
    else if (!zoom && pmk_image_write(out, img, fmt, &err))
        rc = cli_error_pmk(&err);
    pmk_image_free(img);
    pmk_gnb_free(m);
    return rc;
}

/* ---------------------------------------------------------------- merge */

static int cmd_merge(int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a);
    int rc = cli_parse(argc, argv, pmk_help_gnb_merge, CLI_G_OUTPUT, &a);
    if (rc || (rc = cli_args_count(&a, 2, SIZE_MAX, "need at least two models to merge")))
        return rc;
    if (!a.output)
        return cli_usage("missing -o MODEL");
    if ((rc = cli_check_files((const char *const *)a.pos, a.npos, &a.output, 1)))
        return rc;
    pmk_gnb *m = NULL;
    pmk_error err;
    if (pmk_gnb_merge_files((const char *const *)a.pos, a.npos, &m, &err)
        || pmk_gnb_save(m, a.output, &err))
        rc = cli_error_pmk(&err);
    else
        cli_notice("merged %zu models: %.0f rows, %zu classes, %zu features into %s", a.npos,
                   pmk_gnb_ntrain(m), pmk_gnb_nclasses(m), pmk_gnb_nfeatures(m),
                   strcmp(a.output, "-") ? a.output : "<stdout>");
    pmk_gnb_free(m);
    return rc;
}

/* ---------------------------------------------------------------- export */

static int cmd_export(int argc, char **argv)
{
    cli_args a;
    cli_args_init(&a);
    int rc = cli_parse(argc, argv, pmk_help_gnb_export, 0, &a);
    if (rc || (rc = cli_args_count(&a, 2, 2, "need MODEL and DIR")))
        return rc;
    const char *mpath = a.pos[0], *dir = a.pos[1];
    char path[PMK_GNB_EXPORT_FILES][4096];
    const char *outs[PMK_GNB_EXPORT_FILES];
    for (size_t i = 0; i < PMK_GNB_EXPORT_FILES; i++) {
        snprintf(path[i], sizeof path[i], "%s/%s", dir, pmk_gnb_export_file(i));
        outs[i] = path[i];
    }
    pmk_gnb *m = NULL;
    pmk_error err;
    if ((rc = cli_check_files(&mpath, 1, outs, PMK_GNB_EXPORT_FILES)))
        return rc;
    if (pmk_gnb_load(mpath, &m, &err) || pmk_gnb_export(m, dir, &err))
        rc = cli_error_pmk(&err);
    pmk_gnb_free(m);
    return rc;
}

/* ---------------------------------------------------------------- dispatch */

const cli_verb cli_gnb_verbs[] = {
    {"fit", cmd_fit},   {"predict", cmd_predict}, {"eval", cmd_eval},
    {"show", cmd_show}, {"merge", cmd_merge},     {"export", cmd_export},
    {NULL, NULL},
};
