/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb.c: `pmk gnb`: fit, predict, eval, show, merge and export the Gaussian
 * class-conditional classifier, and its part of `pmk demo`. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "pmk/limits.h"

/* Rows per CSV chunk: 1024 x 784 doubles is 6.4 MB, which keeps the peak
 * memory of a fit small whatever N is, while the per-chunk cost stays
 * negligible next to parsing. */
#define GNB_CHUNK_ROWS 1024

static const char gnb_help[] =
    "Usage: pmk gnb <verb> [options] ARGS\n"
    "\n"
    "Gaussian class-conditional classifier (Gaussian naive Bayes): per-class means,\n"
    "a per-feature variance shared by the classes (or one per class), class priors.\n"
    "\n"
    "Verbs:\n"
    "  fit DATA -o MODEL         fit on a labelled CSV in one streaming pass\n"
    "  predict MODEL DATA        predicted labels (and posteriors) as CSV\n"
    "  eval MODEL DATA           accuracy, NLL, precision/recall, confusion matrix\n"
    "  show MODEL -o IMAGE       the class means and the sigma image as a montage\n"
    "  merge A B... -o MODEL     pool models fitted on shards of a data set\n"
    "  export MODEL DIR          mu.csv, var.csv, priors.csv for numpy/pandas\n"
    "\n"
    "Run 'pmk gnb <verb> --help' for a verb's options.\n";

static const char fit_help[] =
    "Usage: pmk gnb fit [options] DATA -o MODEL\n"
    "\n"
    "Fits the classifier on DATA, a CSV of rows 'label,x1,...,xD' (gzip or plain;\n"
    "'-' = stdin), streaming it in chunks: memory grows with classes x features,\n"
    "not with rows.  Prints N, K, D, the training accuracy and the mean NLL.\n"
    "\n"
    "Model:\n"
    "      --scale S           multiply every feature by S, at fit and predict time\n"
    "                          [1/255 = 0.00392..., pixels 0..255 to 0..1]\n"
    "      --var-smoothing E   add E x (largest per-feature variance) to every\n"
    "                          variance, as scikit-learn's GaussianNB [1e-9]\n"
    "      --var-floor F       raise every variance below F to F [0]\n"
    "      --variance MODE     'shared': one variance per feature, pooled over the\n"
    "                          classes; 'class': one per class and feature\n"
    "                          (= scikit-learn GaussianNB) [shared]\n"
    "      --priors P          'empirical' (class frequencies), 'uniform', or a\n"
    "                          comma-separated list, one per label in increasing\n"
    "                          label order, summing to 1 [empirical]\n"
    "      --max-classes N     refuse more distinct labels [1000]\n"
    "\n"
    "Input:\n"
    "      --label-col C       0-based column of the integer label [0]\n"
    "      --header            the first line is a header\n"
    "      --no-header         the first line is data\n"
    "                          [detected: a header when every field is a name]\n"
    "      --chunk-rows N      rows read at a time, 1 to 65536 [1024]\n"
    "      --no-train-accuracy skip the second pass that measures the training\n"
    "                          accuracy (over a byte copy of the rows in a temporary\n"
    "                          file when every value is an integer 0..255, else\n"
    "                          over DATA again, which stdin cannot give)\n"
    "\n"
    "Output:\n"
    "  -o, --output MODEL      the model file (text; written atomically) [required];\n"
    "                          '-' writes it to stdout and the report to stderr\n"
    "  -q, --quiet             no progress on stderr\n"
    "      --max-memory SIZE   refuse inputs needing more memory: bytes, with an\n"
    "                          optional k, M, G or T [PMK_MAX_MEMORY, else RAM]\n"
    "  -h, --help              show this help and exit\n";

static const char predict_help[] =
    "Usage: pmk gnb predict [options] MODEL DATA\n"
    "\n"
    "Writes one CSV row per row of DATA: the predicted label, then with --proba\n"
    "or --log-proba one column per class.  The model's feature scale is applied.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE       where to write [-: stdout]\n"
    "      --proba             add the posterior probability of every class\n"
    "      --log-proba         add the log-posterior of every class (nats)\n"
    "      --label-col C       0-based column of DATA's label [0]\n"
    "      --no-labels         DATA has no label column\n"
    "      --header, --no-header   as for fit [detected]\n"
    "  -q, --quiet             no progress on stderr\n"
    "      --max-memory SIZE   refuse inputs needing more memory: bytes, with an\n"
    "                          optional k, M, G or T [PMK_MAX_MEMORY, else RAM]\n"
    "  -h, --help              show this help and exit\n";

static const char eval_help[] =
    "Usage: pmk gnb eval [options] MODEL DATA\n"
    "\n"
    "Evaluates the model on a labelled CSV: accuracy, mean NLL per row (nats, on\n"
    "the scaled features), mean log-posterior of the true class, per-class\n"
    "precision and recall, and the confusion matrix.  Warns about rows that are\n"
    "off the class mean in a feature of zero training variance: they dominate the\n"
    "NLL.\n"
    "\n"
    "Options:\n"
    "      --json              one JSON object on stdout\n"
    "      --label-col C       0-based column of the label [0]\n"
    "      --header, --no-header   as for fit [detected]\n"
    "  -q, --quiet             no warning or progress on stderr\n"
    "      --max-memory SIZE   refuse inputs needing more memory: bytes, with an\n"
    "                          optional k, M, G or T [PMK_MAX_MEMORY, else RAM]\n"
    "  -h, --help              show this help and exit\n";

static const char show_help[] =
    "Usage: pmk gnb show [options] MODEL -o IMAGE\n"
    "\n"
    "Draws the class means (black 0 to white at the largest mean) in increasing\n"
    "label order, then on a new row the standard deviation image(s) sqrt(var),\n"
    "one for a shared variance, one per class otherwise (white = largest).\n"
    "\n"
    "Options:\n"
    "  -o, --output IMAGE      .png, .pgm [required]\n"
    "      --shape W,H         tile size [square root of D when D is a square]\n"
    "      --cols N            tiles per row [min(K, 10)]\n"
    "      --max-memory SIZE   refuse inputs needing more memory: bytes, with an\n"
    "                          optional k, M, G or T [PMK_MAX_MEMORY, else RAM]\n"
    "  -h, --help              show this help and exit\n";

static const char merge_help[] =
    "Usage: pmk gnb merge [options] A B... -o MODEL\n"
    "\n"
    "Pools the statistics of models fitted on disjoint shards of a data set: the\n"
    "result equals a fit on all the shards together (to rounding).  The models\n"
    "must share D, the scale, the smoothing, the floor, the variance and prior\n"
    "modes.\n"
    "\n"
    "Options:\n"
    "  -o, --output MODEL      the merged model [required]\n"
    "  -q, --quiet             no summary on stderr\n"
    "      --max-memory SIZE   refuse inputs needing more memory: bytes, with an\n"
    "                          optional k, M, G or T [PMK_MAX_MEMORY, else RAM]\n"
    "  -h, --help              show this help and exit\n";

static const char export_help[] =
    "Usage: pmk gnb export MODEL DIR\n"
    "\n"
    "Writes into DIR (created if needed), one row per class in increasing label\n"
    "order, the label first:\n"
    "  mu.csv      label,mu0,...     the class means (scaled units)\n"
    "  var.csv     label,var0,...    the variances used (smoothing, floor included)\n"
    "  priors.csv  label,prior,count\n"
    "  transform.csv  scale          what multiplies each raw feature before the\n"
    "                                model sees it: x_scaled = scale * x\n"
    "Read them with numpy.loadtxt(..., delimiter=',', skiprows=1) or pandas.read_csv.\n"
    "\n"
    "Options:\n"
    "      --max-memory SIZE   refuse inputs needing more memory: bytes, with an\n"
    "                          optional k, M, G or T [PMK_MAX_MEMORY, else RAM]\n"
    "  -h, --help              show this help and exit\n";

/* ---------------------------------------------------------------- shared */

/* Long options without a short form. */
enum {
    OPT_SCALE = 256, OPT_SMOOTH, OPT_FLOOR, OPT_VARIANCE, OPT_PRIORS, OPT_MAXK, OPT_LABELCOL,
    OPT_HEADER, OPT_NOHEADER, OPT_CHUNK, OPT_NOTRAIN, OPT_PROBA, OPT_LOGPROBA, OPT_NOLABELS,
    OPT_JSON, OPT_SHAPE, OPT_COLS
};

static int bad_option(int c, char **argv)
{
    if (c == CLI_OPT_MAX_MEMORY)   /* every verb's, not a bad one */
        return cli_set_max_memory(optarg);
    if (c == ':')
        return cli_usage("option '%s' needs a value", argv[optind - 1]);
    return cli_usage("unknown option '%s'", argv[optind - 1]);
}

/* Opens DATA, refusing a file whose feature count differs from the model's. */
static pmk_csv_reader *open_data(const char *path, const pmk_csv_options *co, size_t want_d,
                                 const char *model_path)
{
    pmk_error err;
    pmk_error_clear(&err);
    pmk_csv_reader *r = pmk_csv_open(path, co, &err);
    if (!r) {
        cli_error_pmk(&err);
        return NULL;
    }
    size_t d = pmk_csv_ncols(r);
    if (want_d && d != want_d) {
        cli_error("%s: %zu features per row, but the model %s has %zu%s", pmk_csv_path(r), d,
                  model_path, want_d,
                  co->label_col < 0 && d == want_d + 1 ? " (is there a label column?)"
                  : co->label_col >= 0 && d + 1 == want_d ? " (no label column? use --no-labels)"
                                                           : "");
        pmk_csv_close(r);
        return NULL;
    }
    return r;
}

/* A library error about row err->line of a chunk, shown at its file line. */
static int chunk_error(const pmk_csv_reader *r, const pmk_csv_chunk *ch, const pmk_error *err)
{
    if (err->line > 0) {
        long line = ch->first_line + err->line - 1;
        if (err->column > 0)
            return cli_error("%s:%ld: %s (feature %ld)", pmk_csv_path(r), line, err->msg,
                             err->column);
        return cli_error("%s:%ld: %s", pmk_csv_path(r), line, err->msg);
    }
    return cli_error("%s: %s", pmk_csv_path(r), err->msg);
}

/* Progress at most about once a second. */
static void progress_rows(const char *what, double rows, double t0, double *last)
{
    double now = cli_now();
    if (now - *last >= 1.0) {
        *last = now;
        cli_progress("%s: %.0f rows, %.1f s", what, rows, now - t0);
    }
}

/* ---------------------------------------------------------------- spill
 *
 * The training accuracy needs the finished model, hence a second pass over
 * the training rows.  Re-parsing the CSV would cost as much as the fit, so
 * while fitting, rows whose values are all integers 0..255 (pixels) are also
 * written to an anonymous temporary file, one byte per value: N*D bytes on
 * disk, nothing in memory.  The second pass reads that back (and works for
 * stdin too).  At the first value that is not a byte the spill is dropped and
 * the second pass re-reads DATA (or, for stdin, is skipped).  Record layout:
 * size_t n, n longs (labels), n*D bytes. */

typedef struct {
    FILE *f;
    unsigned char *bytes;   /* chunk_rows * D */
    size_t d;
} spill;

static void spill_drop(spill *sp)
{
    if (sp->f)
        fclose(sp->f);
    free(sp->bytes);
    sp->f = NULL;
    sp->bytes = NULL;
}

static void spill_init(spill *sp, size_t chunk_rows, size_t d)
{
    sp->d = d;
    sp->f = tmpfile();
    sp->bytes = malloc(chunk_rows * d);
    if (!sp->f || !sp->bytes)
        spill_drop(sp);
}

static void spill_add(spill *sp, const pmk_csv_chunk *ch)
{
    if (!sp->f || !ch->y) {
        spill_drop(sp);
        return;
    }
    size_t D = sp->d;
    int ok = 1;
    for (size_t i = 0; i < ch->n; i++) {
        const double *row = gsl_matrix_const_ptr(&ch->X.matrix, i, 0);
        unsigned char *out = sp->bytes + i * D;
        /* Branch-free: clamp, truncate, and check that the byte gives v back
         * (the reader never hands over NaN or infinities). */
        for (size_t j = 0; j < D; j++) {
            double v = row[j], c = v < 0 ? 0 : v > 255 ? 255 : v;
            unsigned char b = (unsigned char)c;
            out[j] = b;
            ok &= (double)b == v;
        }
    }
    if (!ok) {
        spill_drop(sp);
        return;
    }
    if (fwrite(&ch->n, sizeof ch->n, 1, sp->f) != 1 ||
        fwrite(ch->y, sizeof *ch->y, ch->n, sp->f) != ch->n ||
        fwrite(sp->bytes, D, ch->n, sp->f) != ch->n)
        spill_drop(sp);
}

/* The second pass over a complete spill.  Returns 0 and fills *out, or -1
 * when the spill cannot be read back (the caller then re-reads DATA). */
static int spill_eval(spill *sp, const pmk_gnb *m, size_t chunk_rows, pmk_gnb_eval **out)
{
    size_t D = sp->d, n;
    if (!sp->f || fflush(sp->f) || fseek(sp->f, 0, SEEK_SET))
        return -1;
    pmk_error err;
    pmk_gnb_eval *e = pmk_gnb_eval_alloc(m, &err);
    gsl_matrix *X = gsl_matrix_alloc(chunk_rows, D);
    long *y = malloc(chunk_rows * sizeof *y);
    int rc = (!e || !X || !y) ? -1 : 0;
    while (!rc && fread(&n, sizeof n, 1, sp->f) == 1) {
        if (n == 0 || n > chunk_rows || fread(y, sizeof *y, n, sp->f) != n ||
            fread(sp->bytes, D, n, sp->f) != n) {
            rc = -1;
            break;
        }
        for (size_t t = 0; t < n * D; t++)
            X->data[t] = sp->bytes[t];
        gsl_matrix_view V = gsl_matrix_submatrix(X, 0, 0, n, D);
        if (pmk_gnb_eval_add(e, m, &V.matrix, y, &err))
            rc = -1;
    }
    if (!rc && (ferror(sp->f) || e->n == 0))
        rc = -1;
    gsl_matrix_free(X);
    free(y);
    if (rc) {
        pmk_gnb_eval_free(e);
        return -1;
    }
    *out = e;
    return 0;
}

/* Streams DATA into the model's statistics; finishes the model. */
static int fit_stream(const char *path, const pmk_csv_options *co, pmk_gnb **out,
                      const pmk_gnb_options *go, spill *sp)
{
    pmk_error err;
    pmk_error_clear(&err);
    pmk_csv_reader *r = open_data(path, co, 0, NULL);
    if (!r)
        return PMK_EXIT_FAIL;
    if (co->label_col >= 0 && pmk_csv_ncols(r) == 0) {
        pmk_csv_close(r);
        return cli_error("%s: no feature columns besides the label", path);
    }
    pmk_gnb *m = pmk_gnb_alloc(pmk_csv_ncols(r), go, &err);
    if (!m) {
        pmk_csv_close(r);
        return cli_error_pmk(&err);
    }
    double t0 = cli_now(), last = t0, rows = 0;
    int rc = PMK_EXIT_OK;
    if (sp)
        spill_init(sp, co->chunk_rows, pmk_csv_ncols(r));
    for (;;) {
        pmk_csv_chunk ch;
        if (pmk_csv_read_chunk(r, &ch, &err)) {
            rc = cli_error_pmk(&err);
            break;
        }
        if (ch.n == 0)
            break;
        if (pmk_gnb_partial_fit(m, &ch.X.matrix, ch.y, &err)) {
            rc = chunk_error(r, &ch, &err);
            break;
        }
        if (sp && sp->f)
            spill_add(sp, &ch);
        rows += (double)ch.n;
        progress_rows("fit", rows, t0, &last);
    }
    cli_progress_done();
    if (rc == PMK_EXIT_OK && pmk_gnb_finish(m, &err)) {
        if (err.code == PMK_EDATA && !strcmp(err.msg, "no training rows"))
            rc = cli_error("%s: no data rows to fit on", pmk_csv_path(r));
        else if (err.code == PMK_EINVAL) /* --priors with the wrong count: usage */
            rc = cli_usage("%s: %s", pmk_csv_path(r), err.msg);
        else
            rc = cli_error("%s: %s", pmk_csv_path(r), err.msg);
    }
    pmk_csv_close(r);
    if (rc != PMK_EXIT_OK) {
        pmk_gnb_free(m);
        return rc;
    }
    *out = m;
    return PMK_EXIT_OK;
}

/* Evaluates the model on labelled DATA (streaming). */
static int eval_stream(const pmk_gnb *m, const char *model_path, const char *path,
                       const pmk_csv_options *co, pmk_gnb_eval **out)
{
    pmk_error err;
    pmk_error_clear(&err);
    pmk_csv_reader *r = open_data(path, co, pmk_gnb_nfeatures(m), model_path);
    if (!r)
        return PMK_EXIT_FAIL;
    pmk_gnb_eval *e = pmk_gnb_eval_alloc(m, &err);
    if (!e) {
        pmk_csv_close(r);
        return cli_error_pmk(&err);
    }
    double t0 = cli_now(), last = t0;
    int rc = PMK_EXIT_OK;
    for (;;) {
        pmk_csv_chunk ch;
        if (pmk_csv_read_chunk(r, &ch, &err)) {
            rc = cli_error_pmk(&err);
            break;
        }
        if (ch.n == 0)
            break;
        if (pmk_gnb_eval_add(e, m, &ch.X.matrix, ch.y, &err)) {
            rc = chunk_error(r, &ch, &err);
            break;
        }
        progress_rows("eval", (double)e->n, t0, &last);
    }
    cli_progress_done();
    if (rc == PMK_EXIT_OK && e->n == 0)
        rc = cli_error("%s: no data rows to evaluate", pmk_csv_path(r));
    pmk_csv_close(r);
    if (rc != PMK_EXIT_OK) {
        pmk_gnb_eval_free(e);
        return rc;
    }
    *out = e;
    return PMK_EXIT_OK;
}

static int load_model(const char *path, pmk_gnb **m)
{
    pmk_error err;
    pmk_error_clear(&err);
    if (pmk_gnb_load(path, m, &err))
        return cli_error_pmk(&err);
    return PMK_EXIT_OK;
}

static void zero_var_warning(const pmk_gnb_eval *e)
{
    if (e->zero_var_rows)
        cli_notice("warning: %zu of %zu rows differ from their class mean in a feature of "
                   "zero training variance; their NLL terms are huge and dominate the mean NLL",
                   e->zero_var_rows, e->n);
}

/* ---------------------------------------------------------------- fit */

static int parse_priors(const char *s, pmk_gnb_options *o, double **list)
{
    if (!strcmp(s, "empirical")) {
        o->priors = PMK_GNB_PRIOR_EMPIRICAL;
        return 0;
    }
    if (!strcmp(s, "uniform")) {
        o->priors = PMK_GNB_PRIOR_UNIFORM;
        return 0;
    }
    size_t n;
    int rc = cli_parse_double_list("priors", s, list, &n);
    if (rc)
        return rc;
    o->priors = PMK_GNB_PRIOR_EXPLICIT;
    o->prior = *list;
    o->n_prior = n;
    pmk_error err;
    if (pmk_gnb_options_check(o, &err))
        return cli_usage("--priors: %s", err.msg);
    return 0;
}

static int cmd_fit(int argc, char **argv)
{
    static const struct option lo[] = {
        {"output", required_argument, NULL, 'o'},
        {"scale", required_argument, NULL, OPT_SCALE},
        {"var-smoothing", required_argument, NULL, OPT_SMOOTH},
        {"var-floor", required_argument, NULL, OPT_FLOOR},
        {"variance", required_argument, NULL, OPT_VARIANCE},
        {"priors", required_argument, NULL, OPT_PRIORS},
        {"max-classes", required_argument, NULL, OPT_MAXK},
        {"label-col", required_argument, NULL, OPT_LABELCOL},
        {"header", no_argument, NULL, OPT_HEADER},
        {"no-header", no_argument, NULL, OPT_NOHEADER},
        {"chunk-rows", required_argument, NULL, OPT_CHUNK},
        {"no-train-accuracy", no_argument, NULL, OPT_NOTRAIN},
        {"quiet", no_argument, NULL, 'q'},
        CLI_LONGOPT_MAX_MEMORY,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    pmk_gnb_options go;
    pmk_gnb_options_init_default(&go);
    go.scale = 1.0 / 255.0;
    pmk_csv_options co;
    pmk_csv_options_init_default(&co);
    co.chunk_rows = GNB_CHUNK_ROWS;
    const char *out = NULL;
    double *plist = NULL;
    int no_train = 0, c, rc = 0;
    optind = 1;
    opterr = 0;
    while (!rc && (c = getopt_long(argc, argv, ":o:qh", lo, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case OPT_SCALE:
            if (!(rc = cli_parse_double("scale", optarg, &go.scale)) && !(go.scale > 0))
                rc = cli_usage("--scale: must be positive, not '%s'", optarg);
            break;
        case OPT_SMOOTH:
            if (!(rc = cli_parse_double("var-smoothing", optarg, &go.var_smoothing)) &&
                go.var_smoothing < 0)
                rc = cli_usage("--var-smoothing: must be >= 0, not '%s'", optarg);
            break;
        case OPT_FLOOR:
            if (!(rc = cli_parse_double("var-floor", optarg, &go.var_floor)) && go.var_floor < 0)
                rc = cli_usage("--var-floor: must be >= 0, not '%s'", optarg);
            break;
        case OPT_VARIANCE:
            if (!strcmp(optarg, "shared"))
                go.variance = PMK_GNB_VAR_SHARED;
            else if (!strcmp(optarg, "class"))
                go.variance = PMK_GNB_VAR_CLASS;
            else
                rc = cli_usage("--variance: 'shared' or 'class', not '%s'", optarg);
            break;
        case OPT_PRIORS:
            free(plist);
            plist = NULL;
            rc = parse_priors(optarg, &go, &plist);
            break;
        case OPT_MAXK:
            if (!(rc = cli_parse_size("max-classes", optarg, &go.max_classes)) &&
                go.max_classes == 0)
                rc = cli_usage("--max-classes: must be at least 1");
            break;
        case OPT_LABELCOL:
            if (!(rc = cli_parse_long("label-col", optarg, &co.label_col)) && co.label_col < 0)
                rc = cli_usage("--label-col: must be >= 0, not '%s'", optarg);
            break;
        case OPT_HEADER: co.header = PMK_CSV_HEADER_YES; break;
        case OPT_NOHEADER: co.header = PMK_CSV_HEADER_NO; break;
        case OPT_CHUNK:
            if (!(rc = cli_parse_size("chunk-rows", optarg, &co.chunk_rows)) &&
                (co.chunk_rows < 1 || co.chunk_rows > 65536))
                rc = cli_usage("--chunk-rows: must be 1 to 65536, not '%s'", optarg);
            break;
        case OPT_NOTRAIN: no_train = 1; break;
        case 'q': cli_set_quiet(1); break;
        case 'h': free(plist); return cli_print_help(fit_help);
        default: rc = bad_option(c, argv);
        }
    }
    if (!rc && optind + 1 != argc)
        rc = optind >= argc ? cli_usage("missing DATA") : cli_usage("unexpected argument '%s'", argv[optind + 1]);
    if (!rc && !out)
        rc = cli_usage("missing -o MODEL");
    if (rc) {
        free(plist);
        return rc;
    }
    const char *data = argv[optind];
    const char *fit_in[] = {data}, *fit_out[] = {out};
    if ((rc = cli_check_files(fit_in, 1, fit_out, 1))) {
        free(plist);
        return rc;
    }
    pmk_gnb *m = NULL;
    spill sp = {NULL, NULL, 0};
    rc = fit_stream(data, &co, &m, &go, no_train ? NULL : &sp);
    free(plist);
    if (rc) {
        spill_drop(&sp);
        return rc;
    }
    pmk_error err;
    pmk_error_clear(&err);
    if (pmk_gnb_save(m, out, &err)) {
        spill_drop(&sp);
        pmk_gnb_free(m);
        return cli_error_pmk(&err);
    }
    /* The training accuracy needs the finished model: a second pass, over
     * the spill when there is one, else over DATA again. */
    pmk_gnb_eval *e = NULL;
    if (!no_train && spill_eval(&sp, m, co.chunk_rows, &e) != 0 && strcmp(data, "-") != 0) {
        rc = eval_stream(m, out, data, &co, &e);
        if (rc) {
            spill_drop(&sp);
            pmk_gnb_free(m);
            return rc;
        }
    }
    spill_drop(&sp);
    /* The model on stdout (-o -) keeps stdout to itself: the report goes to
     * stderr then, so that `gnb fit DATA -o - | gnb eval - TEST` works. */
    FILE *rep = strcmp(out, "-") == 0 ? stderr : stdout;
    fprintf(rep, "rows (N)          %.0f\n", pmk_gnb_ntrain(m));
    fprintf(rep, "classes (K)       %zu\n", pmk_gnb_nclasses(m));
    fprintf(rep, "features (D)      %zu\n", pmk_gnb_nfeatures(m));
    if (e)
        fprintf(rep, "train accuracy    %.6f (%zu/%zu)\n", (double)e->correct / (double)e->n,
                e->correct, e->n);
    else
        fprintf(rep, "train accuracy    not measured (%s)\n",
                no_train ? "--no-train-accuracy" : "data from stdin, not all bytes 0..255");
    fprintf(rep, "train mean NLL    %.6f nats\n", pmk_gnb_train_mean_nll(m));
    fprintf(rep, "model             %s\n", strcmp(out, "-") == 0 ? "<stdout>" : out);
    pmk_gnb_eval_free(e);
    pmk_gnb_free(m);
    return PMK_EXIT_OK;
}

/* ---------------------------------------------------------------- predict */

static int cmd_predict(int argc, char **argv)
{
    static const struct option lo[] = {
        {"output", required_argument, NULL, 'o'},
        {"proba", no_argument, NULL, OPT_PROBA},
        {"log-proba", no_argument, NULL, OPT_LOGPROBA},
        {"label-col", required_argument, NULL, OPT_LABELCOL},
        {"no-labels", no_argument, NULL, OPT_NOLABELS},
        {"header", no_argument, NULL, OPT_HEADER},
        {"no-header", no_argument, NULL, OPT_NOHEADER},
        {"quiet", no_argument, NULL, 'q'},
        CLI_LONGOPT_MAX_MEMORY,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    pmk_csv_options co;
    pmk_csv_options_init_default(&co);
    co.chunk_rows = GNB_CHUNK_ROWS;
    const char *out = "-";
    int cols = 0, c, rc = 0;   /* cols: 0 labels only, 1 proba, 2 log-proba */
    optind = 1;
    opterr = 0;
    while (!rc && (c = getopt_long(argc, argv, ":o:qh", lo, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case OPT_PROBA:
        case OPT_LOGPROBA:
            if (cols && cols != (c == OPT_PROBA ? 1 : 2))
                rc = cli_usage("--proba and --log-proba exclude each other");
            cols = c == OPT_PROBA ? 1 : 2;
            break;
        case OPT_LABELCOL:
            if (!(rc = cli_parse_long("label-col", optarg, &co.label_col)) && co.label_col < 0)
                rc = cli_usage("--label-col: must be >= 0, not '%s'", optarg);
            break;
        case OPT_NOLABELS: co.label_col = -1; break;
        case OPT_HEADER: co.header = PMK_CSV_HEADER_YES; break;
        case OPT_NOHEADER: co.header = PMK_CSV_HEADER_NO; break;
        case 'q': cli_set_quiet(1); break;
        case 'h': return cli_print_help(predict_help);
        default: rc = bad_option(c, argv);
        }
    }
    if (rc)
        return rc;
    if (argc - optind != 2)
        return argc - optind < 2 ? cli_usage("need MODEL and DATA")
                                 : cli_usage("unexpected argument '%s'", argv[optind + 2]);
    const char *mpath = argv[optind], *data = argv[optind + 1];
    const char *pred_in[] = {mpath, data}, *pred_out[] = {out};
    if ((rc = cli_check_files(pred_in, 2, pred_out, 1)))
        return rc;
    pmk_gnb *m = NULL;
    if ((rc = load_model(mpath, &m)))
        return rc;
    pmk_csv_reader *r = open_data(data, &co, pmk_gnb_nfeatures(m), mpath);
    if (!r) {
        pmk_gnb_free(m);
        return PMK_EXIT_FAIL;
    }
    size_t K = pmk_gnb_nclasses(m);
    const long *labels = pmk_gnb_labels(m);
    pmk_error err;
    pmk_error_clear(&err);
    pmk_outfile of;
    gsl_matrix *L = gsl_matrix_alloc(co.chunk_rows, K);
    long *pred = malloc(co.chunk_rows * sizeof *pred);
    if (!L || !pred) {
        rc = cli_error("out of memory");
        goto done;
    }
    if (pmk_outfile_open(&of, out, &err)) {
        rc = cli_error_pmk(&err);
        goto done;
    }
    fputs("label", of.fp);
    for (size_t k = 0; cols && k < K; k++)
        fprintf(of.fp, ",%s%ld", cols == 1 ? "p_" : "logp_", labels[k]);
    fputc('\n', of.fp);
    for (;;) {
        pmk_csv_chunk ch;
        if (pmk_csv_read_chunk(r, &ch, &err)) {
            rc = cli_error_pmk(&err);
            break;
        }
        if (ch.n == 0)
            break;
        gsl_matrix_view Lv = gsl_matrix_submatrix(L, 0, 0, ch.n, K);
        if (pmk_gnb_predict_log_proba(m, &ch.X.matrix, &Lv.matrix, &err)) {
            rc = chunk_error(r, &ch, &err);
            break;
        }
        for (size_t i = 0; i < ch.n; i++) {
            const double *row = gsl_matrix_const_ptr(&Lv.matrix, i, 0);
            size_t best = 0;
            for (size_t k = 1; k < K; k++)
                if (row[k] > row[best])
                    best = k;
            fprintf(of.fp, "%ld", labels[best]);
            for (size_t k = 0; cols && k < K; k++)
                fprintf(of.fp, ",%.17g", cols == 1 ? exp(row[k]) : row[k]);
            fputc('\n', of.fp);
        }
    }
    if (rc)
        pmk_outfile_abort(&of);
    else if (pmk_outfile_commit(&of, &err))
        rc = cli_error_pmk(&err);
done:
    gsl_matrix_free(L);
    free(pred);
    pmk_csv_close(r);
    pmk_gnb_free(m);
    return rc;
}

/* ---------------------------------------------------------------- eval */

static void print_eval_json(const pmk_gnb *m, const pmk_gnb_eval *e)
{
    size_t K = e->k;
    const long *lab = pmk_gnb_labels(m);
    double n = (double)e->n;
    printf("{\"n\": %zu, \"correct\": %zu, \"accuracy\": ", e->n, e->correct);
    cli_json_double(stdout, (double)e->correct / n);
    printf(", \"mean_nll\": ");
    cli_json_double(stdout, e->sum_nll / n);
    printf(", \"mean_log_posterior\": ");
    cli_json_double(stdout, e->sum_log_post / n);
    printf(", \"zero_variance_rows\": %zu, \"labels\": [", e->zero_var_rows);
    for (size_t k = 0; k < K; k++)
        printf("%s%ld", k ? ", " : "", lab[k]);
    printf("], \"precision\": [");
    for (size_t k = 0; k < K; k++) {
        fputs(k ? ", " : "", stdout);
        cli_json_double(stdout, pmk_gnb_eval_precision(e, k));
    }
    printf("], \"recall\": [");
    for (size_t k = 0; k < K; k++) {
        fputs(k ? ", " : "", stdout);
        cli_json_double(stdout, pmk_gnb_eval_recall(e, k));
    }
    if (!e->confusion) {   /* K > PMK_GNB_EVAL_CONFUSION_MAX */
        printf("], \"confusion\": null}\n");
        return;
    }
    printf("], \"confusion\": [");
    for (size_t t = 0; t < K; t++) {
        printf("%s[", t ? ", " : "");
        for (size_t p = 0; p < K; p++)
            printf("%s%zu", p ? ", " : "", e->confusion[t * K + p]);
        putchar(']');
    }
    printf("]}\n");
}

static void print_metric(double x)
{
    if (isnan(x))
        printf("%10s", "-");
    else
        printf("%10.4f", x);
}

static void print_eval_text(const pmk_gnb *m, const pmk_gnb_eval *e)
{
    size_t K = e->k;
    const long *lab = pmk_gnb_labels(m);
    double n = (double)e->n;
    printf("rows                %zu\n", e->n);
    printf("accuracy            %.4f (%zu/%zu)\n", (double)e->correct / n, e->correct, e->n);
    printf("mean NLL            %.6f nats\n", e->sum_nll / n);
    printf("mean log-posterior  %.6f nats (of the true class)\n", e->sum_log_post / n);
    printf("\n   label  precision    recall   support\n");
    for (size_t k = 0; k < K; k++) {
        printf("%8ld ", lab[k]);
        print_metric(pmk_gnb_eval_precision(e, k));
        print_metric(pmk_gnb_eval_recall(e, k));
        printf("%10zu\n", e->support[k]);
    }
    if (!e->confusion) {
        printf("\nno confusion matrix: more than %d classes\n", PMK_GNB_EVAL_CONFUSION_MAX);
        return;
    }
    printf("\nconfusion matrix (rows: true label, columns: predicted label)\n");
    size_t w = 5;
    for (size_t k = 0; k < K; k++) {
        char b[32];
        size_t l = (size_t)snprintf(b, sizeof b, "%ld", lab[k]);
        w = l + 1 > w ? l + 1 : w;
        for (size_t p = 0; p < K; p++) {
            l = (size_t)snprintf(b, sizeof b, "%zu", e->confusion[k * K + p]);
            w = l + 1 > w ? l + 1 : w;
        }
    }
    printf("%*s", (int)w, "");
    for (size_t p = 0; p < K; p++)
        printf("%*ld", (int)w, lab[p]);
    putchar('\n');
    for (size_t t = 0; t < K; t++) {
        printf("%*ld", (int)w, lab[t]);
        for (size_t p = 0; p < K; p++)
            printf("%*zu", (int)w, e->confusion[t * K + p]);
        putchar('\n');
    }
}

static int cmd_eval(int argc, char **argv)
{
    static const struct option lo[] = {
        {"json", no_argument, NULL, OPT_JSON},
        {"label-col", required_argument, NULL, OPT_LABELCOL},
        {"header", no_argument, NULL, OPT_HEADER},
        {"no-header", no_argument, NULL, OPT_NOHEADER},
        {"quiet", no_argument, NULL, 'q'},
        CLI_LONGOPT_MAX_MEMORY,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    pmk_csv_options co;
    pmk_csv_options_init_default(&co);
    co.chunk_rows = GNB_CHUNK_ROWS;
    int json = 0, c, rc = 0;
    optind = 1;
    opterr = 0;
    while (!rc && (c = getopt_long(argc, argv, ":qh", lo, NULL)) != -1) {
        switch (c) {
        case OPT_JSON: json = 1; break;
        case OPT_LABELCOL:
            if (!(rc = cli_parse_long("label-col", optarg, &co.label_col)) && co.label_col < 0)
                rc = cli_usage("--label-col: must be >= 0, not '%s'", optarg);
            break;
        case OPT_HEADER: co.header = PMK_CSV_HEADER_YES; break;
        case OPT_NOHEADER: co.header = PMK_CSV_HEADER_NO; break;
        case 'q': cli_set_quiet(1); break;
        case 'h': return cli_print_help(eval_help);
        default: rc = bad_option(c, argv);
        }
    }
    if (rc)
        return rc;
    if (argc - optind != 2)
        return argc - optind < 2 ? cli_usage("need MODEL and DATA")
                                 : cli_usage("unexpected argument '%s'", argv[optind + 2]);
    const char *mpath = argv[optind], *data = argv[optind + 1];
    pmk_gnb *m = NULL;
    if ((rc = load_model(mpath, &m)))
        return rc;
    pmk_gnb_eval *e = NULL;
    rc = eval_stream(m, mpath, data, &co, &e);
    if (!rc) {
        if (json)
            print_eval_json(m, e);
        else
            print_eval_text(m, e);
        zero_var_warning(e);
    }
    pmk_gnb_eval_free(e);
    pmk_gnb_free(m);
    return rc;
}

/* ---------------------------------------------------------------- show */

/* The means (scaled to 0..1 by their largest value) in rows of @p ncols
 * tiles, then on a new row sqrt(var) (scaled by its largest value). */
static int draw_model(const pmk_gnb *m, size_t tw, size_t th, size_t ncols, const char *path,
                      pmk_error *err)
{
    size_t K = pmk_gnb_nclasses(m), D = pmk_gnb_nfeatures(m);
    int shared = pmk_gnb_get_options(m)->variance == PMK_GNB_VAR_SHARED;
    size_t nsig = shared ? 1 : K, mean_slots = (K + ncols - 1) / ncols * ncols;
    const gsl_matrix *mu = pmk_gnb_means(m), *var = pmk_gnb_variances(m);
    gsl_matrix *tiles = gsl_matrix_alloc(mean_slots + nsig, D);
    if (!tiles)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    double mu_lo = gsl_matrix_min(mu), mu_hi = gsl_matrix_max(mu);
    double sd_hi = sqrt(gsl_matrix_max(var));
    if (!(mu_hi > mu_lo))
        mu_hi = mu_lo + 1;
    gsl_matrix_set_all(tiles, 1.0);   /* empty slots: white */
    for (size_t k = 0; k < K; k++)
        for (size_t j = 0; j < D; j++)
            gsl_matrix_set(tiles, k, j, (gsl_matrix_get(mu, k, j) - mu_lo) / (mu_hi - mu_lo));
    for (size_t k = 0; k < nsig; k++)
        for (size_t j = 0; j < D; j++)
            gsl_matrix_set(tiles, mean_slots + k, j, sqrt(gsl_matrix_get(var, k, j)) / sd_hi);
    pmk_image *img = NULL;
    int rc = pmk_montage(tiles, th, tw, ncols, PMK_MONTAGE_RANGE, 0.0, 1.0, &img, err);
    gsl_matrix_free(tiles);
    if (!rc)
        rc = pmk_image_write(path, img, PMK_IMAGE_AUTO, err);
    pmk_image_free(img);
    return rc;
}

static size_t isqrt_exact(size_t d)
{
    size_t s = (size_t)floor(sqrt((double)d) + 0.5);
    return s * s == d ? s : 0;
}

static int cmd_show(int argc, char **argv)
{
    static const struct option lo[] = {
        {"output", required_argument, NULL, 'o'},
        {"shape", required_argument, NULL, OPT_SHAPE},
        {"cols", required_argument, NULL, OPT_COLS},
        {"quiet", no_argument, NULL, 'q'},
        CLI_LONGOPT_MAX_MEMORY,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    size_t tw = 0, th = 0, ncols = 0;
    int c, rc = 0;
    optind = 1;
    opterr = 0;
    while (!rc && (c = getopt_long(argc, argv, ":o:qh", lo, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case OPT_SHAPE: {
            char *end;
            unsigned long w = strtoul(optarg, &end, 10), h = 0;
            if (end != optarg && *end == ',') {
                char *e2;
                h = strtoul(end + 1, &e2, 10);
                if (e2 == end + 1 || *e2)
                    h = 0;
            }
            if (!w || !h || optarg[0] == '-')
                rc = cli_usage("--shape: 'W,H' with positive integers, not '%s'", optarg);
            tw = w;
            th = h;
            break;
        }
        case OPT_COLS:
            if (!(rc = cli_parse_size("cols", optarg, &ncols)) && !ncols)
                rc = cli_usage("--cols: must be at least 1");
            break;
        case 'q': cli_set_quiet(1); break;
        case 'h': return cli_print_help(show_help);
        default: rc = bad_option(c, argv);
        }
    }
    if (rc)
        return rc;
    if (argc - optind != 1)
        return argc - optind < 1 ? cli_usage("missing MODEL")
                                 : cli_usage("unexpected argument '%s'", argv[optind + 1]);
    if (!out)
        return cli_usage("missing -o IMAGE");
    if ((rc = cli_check_image_output(out)))
        return rc;
    const char *mpath = argv[optind];
    if ((rc = cli_check_files(&mpath, 1, &out, 1)))
        return rc;
    pmk_gnb *m = NULL;
    if ((rc = load_model(mpath, &m)))
        return rc;
    size_t D = pmk_gnb_nfeatures(m), K = pmk_gnb_nclasses(m);
    if (!tw) {
        tw = th = isqrt_exact(D);
        if (!tw) {
            pmk_gnb_free(m);
            return cli_error("%s: %zu features is not a square image; give --shape W,H", mpath, D);
        }
    } else if (tw > SIZE_MAX / th || tw * th != D) {
        pmk_gnb_free(m);
        if (tw > SIZE_MAX / th)
            return cli_error("--shape %zu,%zu has more pixels than a size_t counts, but the "
                             "model %s has %zu features", tw, th, mpath, D);
        return cli_error("--shape %zu,%zu has %zu pixels, but the model %s has %zu features", tw,
                         th, tw * th, mpath, D);
    }
    if (!ncols)
        ncols = K < 10 ? K : 10;
    pmk_error err;
    {
        /* The tile matrix (slots x D doubles) and the montage (about a byte
         * per pixel, a gap around each tile): checked before either is made,
         * since --cols and --shape multiply into them. */
        size_t nsig = pmk_gnb_get_options(m)->variance == PMK_GNB_VAR_SHARED ? 1 : K;
        long double slots = ceill((long double)K / ncols) * ncols + nsig;
        long double bytes = slots * D * 8 + slots * (tw + 2) * (th + 2);
        char what[160];
        snprintf(what, sizeof what, "a montage of %.0Lf tiles of %zu x %zu", slots, tw, th);
        if (pmk_mem_check(NULL, 0, 0, bytes > 1e19L ? ULLONG_MAX : (unsigned long long)bytes,
                          what, &err)) {
            pmk_gnb_free(m);
            return cli_error("%s", err.msg);
        }
    }
    pmk_error_clear(&err);
    rc = draw_model(m, tw, th, ncols, out, &err) ? cli_error_pmk(&err) : PMK_EXIT_OK;
    pmk_gnb_free(m);
    return rc;
}

/* ---------------------------------------------------------------- merge */

static int cmd_merge(int argc, char **argv)
{
    static const struct option lo[] = {
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        CLI_LONGOPT_MAX_MEMORY,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    int c, rc = 0;
    optind = 1;
    opterr = 0;
    while (!rc && (c = getopt_long(argc, argv, ":o:qh", lo, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'q': cli_set_quiet(1); break;
        case 'h': return cli_print_help(merge_help);
        default: rc = bad_option(c, argv);
        }
    }
    if (rc)
        return rc;
    if (argc - optind < 2)
        return cli_usage("need at least two models to merge");
    if (!out)
        return cli_usage("missing -o MODEL");
    if ((rc = cli_check_files((const char *const *)argv + optind, (size_t)(argc - optind), &out,
                              1)))
        return rc;
    pmk_gnb *acc = NULL;
    if ((rc = load_model(argv[optind], &acc)))
        return rc;
    pmk_error err;
    pmk_error_clear(&err);
    for (int i = optind + 1; i < argc; i++) {
        pmk_gnb *b = NULL, *mm;
        if ((rc = load_model(argv[i], &b)))
            break;
        mm = pmk_gnb_merge(acc, b, &err);
        pmk_gnb_free(b);
        if (!mm) {
            rc = cli_error("%s: %s", argv[i], err.msg);
            break;
        }
        pmk_gnb_free(acc);
        acc = mm;
    }
    if (!rc && pmk_gnb_save(acc, out, &err))
        rc = cli_error_pmk(&err);
    if (!rc)
        cli_notice("merged %d models: %.0f rows, %zu classes, %zu features into %s", argc - optind,
                   pmk_gnb_ntrain(acc), pmk_gnb_nclasses(acc), pmk_gnb_nfeatures(acc), out);
    pmk_gnb_free(acc);
    return rc;
}

/* ---------------------------------------------------------------- export */

/* "label,PREFIX0,...,PREFIX{D-1}" */
static char *numbered_header(const char *prefix, size_t D)
{
    size_t cap = 8 + D * (strlen(prefix) + 21);
    char *h = malloc(cap), *p = h;
    if (!h)
        return NULL;
    p += sprintf(p, "label");
    for (size_t j = 0; j < D; j++)
        p += sprintf(p, ",%s%zu", prefix, j);
    return h;
}

static int cmd_export(int argc, char **argv)
{
    static const struct option lo[] = {
        {"quiet", no_argument, NULL, 'q'},
        CLI_LONGOPT_MAX_MEMORY,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c, rc = 0;
    optind = 1;
    opterr = 0;
    while (!rc && (c = getopt_long(argc, argv, ":qh", lo, NULL)) != -1) {
        switch (c) {
        case 'q': cli_set_quiet(1); break;
        case 'h': return cli_print_help(export_help);
        default: rc = bad_option(c, argv);
        }
    }
    if (rc)
        return rc;
    if (argc - optind != 2)
        return argc - optind < 2 ? cli_usage("need MODEL and DIR")
                                 : cli_usage("unexpected argument '%s'", argv[optind + 2]);
    const char *mpath = argv[optind], *dir = argv[optind + 1];
    char path[4][4096];
    const char *outs[4] = {path[0], path[1], path[2], path[3]};
    snprintf(path[0], sizeof path[0], "%s/mu.csv", dir);
    snprintf(path[1], sizeof path[1], "%s/var.csv", dir);
    snprintf(path[2], sizeof path[2], "%s/priors.csv", dir);
    snprintf(path[3], sizeof path[3], "%s/transform.csv", dir);
    if ((rc = cli_check_files(&mpath, 1, outs, 4)))
        return rc;
    pmk_gnb *m = NULL;
    if ((rc = load_model(mpath, &m)))
        return rc;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        pmk_gnb_free(m);
        return cli_error("%s: cannot create folder: %s", dir, strerror(errno));
    }
    size_t K = pmk_gnb_nclasses(m), D = pmk_gnb_nfeatures(m);
    const long *lab = pmk_gnb_labels(m);
    pmk_error err;
    pmk_error_clear(&err);
    char *hmu = numbered_header("mu", D), *hvar = numbered_header("var", D);
    gsl_matrix *pc = gsl_matrix_alloc(K, 2);
    if (!hmu || !hvar || !pc) {
        rc = cli_error("out of memory");
        goto done;
    }
    for (size_t k = 0; k < K; k++) {
        gsl_matrix_set(pc, k, 0, gsl_vector_get(pmk_gnb_priors(m), k));
        gsl_matrix_set(pc, k, 1, pmk_gnb_counts(m)[k]);
    }
    /* The four files change together or not at all. */
    cli_outset set = {0};
    const char *w[4];
    for (size_t i = 0; i < 4; i++)
        if (!(w[i] = cli_outset_add(&set, path[i]))) {
            cli_outset_abort(&set);
            rc = PMK_EXIT_FAIL;
            goto done;
        }
    /* The transform the model applies to raw data, so that mu and var can be
     * used on raw features: x_scaled = scale * x. */
    double scale = pmk_gnb_get_options(m)->scale;
    gsl_matrix_view sv = gsl_matrix_view_array(&scale, 1, 1);
    if (pmk_csv_write(w[0], pmk_gnb_means(m), lab, hmu, &err)
        || pmk_csv_write(w[1], pmk_gnb_variances(m), lab, hvar, &err)
        || pmk_csv_write(w[2], pc, lab, "label,prior,count", &err)
        || pmk_csv_write(w[3], &sv.matrix, NULL, "scale", &err)) {
        rc = cli_outset_error(&set, &err);
        cli_outset_abort(&set);
        goto done;
    }
    rc = cli_outset_commit(&set) ? PMK_EXIT_FAIL : PMK_EXIT_OK;
done:
    free(hmu);
    free(hvar);
    gsl_matrix_free(pc);
    pmk_gnb_free(m);
    return rc;
}

/* ---------------------------------------------------------------- dispatch */

int cli_gnb(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } verbs[] = {
        {"fit", cmd_fit},     {"predict", cmd_predict}, {"eval", cmd_eval},
        {"show", cmd_show},   {"merge", cmd_merge},     {"export", cmd_export},
    };
    if (argc < 2) {
        fputs(gnb_help, stderr);
        return PMK_EXIT_USAGE;
    }
    const char *verb = argv[1];
    if (!strcmp(verb, "-h") || !strcmp(verb, "--help") || !strcmp(verb, "help"))
        return cli_print_help(gnb_help);
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++) {
        if (!strcmp(verb, verbs[i].name)) {
            char name[32];
            snprintf(name, sizeof name, "gnb %s", verb);
            cli_set_command(name);
            return verbs[i].run(argc - 1, argv + 1);
        }
    }
    return cli_usage("unknown verb '%s' (verbs: fit, predict, eval, show, merge, export)", verb);
}

/* ---------------------------------------------------------------- demo */

int cli_demo_gnb(const char *datadir, const char *outdir, unsigned long seed)
{
    (void)seed;   /* the fit is deterministic */
    char train[4096], test[4096], png[4096];
    snprintf(train, sizeof train, "%s/mnist-train.csv.gz", datadir);
    snprintf(test, sizeof test, "%s/mnist-test.csv.gz", datadir);
    snprintf(png, sizeof png, "%s/gnb-means.png", outdir);
    cli_set_command("demo gnb");
    pmk_csv_options co;
    pmk_csv_options_init_default(&co);
    co.chunk_rows = GNB_CHUNK_ROWS;
    co.header = PMK_CSV_HEADER_NO;
    pmk_gnb_options go;
    pmk_gnb_options_init_default(&go);
    go.scale = 1.0 / 255.0;
    pmk_gnb *m = NULL;
    pmk_gnb_eval *tr = NULL, *te = NULL;
    spill sp = {NULL, NULL, 0};
    int rc = fit_stream(train, &co, &m, &go, &sp);
    if (!rc && spill_eval(&sp, m, co.chunk_rows, &tr) != 0)
        rc = eval_stream(m, "(demo)", train, &co, &tr);
    spill_drop(&sp);
    if (!rc)
        rc = eval_stream(m, "(demo)", test, &co, &te);
    if (!rc) {
        pmk_error err;
        pmk_error_clear(&err);
        if (draw_model(m, 28, 28, 10, png, &err))
            rc = cli_error_pmk(&err);
    }
    if (!rc) {
        printf("gnb: Gaussian classifier, shared variance, pixels/255, var_smoothing 1e-9\n");
        printf("gnb:   fit on %zu digits (%zu classes, %zu pixels): train accuracy %.6f\n",
               tr->n, pmk_gnb_nclasses(m), pmk_gnb_nfeatures(m),
               (double)tr->correct / (double)tr->n);
        printf("gnb:   held-out %zu digits: test accuracy %.4f, mean NLL %.2f nats, "
               "mean log-posterior %.4f\n",
               te->n, (double)te->correct / (double)te->n, te->sum_nll / (double)te->n,
               te->sum_log_post / (double)te->n);
        if (te->zero_var_rows)
            printf("gnb:   (the NLL is dominated by %zu digits with ink on a pixel that is "
                   "blank in every training digit)\n",
                   te->zero_var_rows);
        printf("gnb:   class means and sigma: %s\n", png);
    }
    pmk_gnb_eval_free(tr);
    pmk_gnb_eval_free(te);
    pmk_gnb_free(m);
    return rc;
}
