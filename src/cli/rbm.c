/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm.c: `pmk rbm`: train a binary RBM (CD-k, PCD-k), compute hidden features,
 * sample, evaluate (pseudo-likelihood, log Z exact or by AIS), draw filters,
 * export parameters; and the RBM part of `pmk demo`.  Each verb reads its
 * options (opt.c), makes its library calls and reports (report.c); the data
 * path (reading, the transform, the holdout split) is the library's. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli/cli.h"

/* ---------------------------------------------------------------- help */

static const char rbm_help[] =
    "Usage: pmk rbm <verb> [options] ARGS\n"
    "\n"
    "A binary restricted Boltzmann machine: p(v,h) = exp(v'Wh + b'v + a'h) / Z.\n"
    "\n"
    "Verbs:\n"
    "  train DATA -o MODEL         train by CD-k or persistent CD (PCD-k)\n"
    "  hidden MODEL DATA           p(h=1|v) or samples of h for each row, as CSV\n"
    "  sample MODEL -o OUT         block Gibbs samples as a PNG montage or CSV\n"
    "  eval MODEL DATA             reconstruction error, pseudo-likelihood, free\n"
    "                              energy, log Z (--exact or --ais), log p(v)\n"
    "  filters MODEL -o PNG        the columns of W as a montage of images\n"
    "  export MODEL DIR            W.csv, b.csv, a.csv and transform.csv\n"
    "\n"
    "Run 'pmk rbm <verb> --help' for a verb's options.\n";

#define DATA_HELP                                                                      \
    "Data (CSV rows 'label,x1,...,xD', gzip accepted; or IDX images, their labels\n"   \
    "beside them as X-labels-idx1-ubyte):\n"                                            \
    "      --header        the first line is a header\n"                              \
    "      --no-header     the first line is data [detected: a header when every\n"   \
    "                      field is a name]\n"                                         \
    "      --label-col K   0-based label column, or 'none' [0]\n"                      \
    "      --no-labels     every column is a feature (--label-col none)\n"             \
    "      --labels FILE   the labels of IDX images [the standard pairing]\n"          \
    "      --scale S|auto  multiply every value by S [train: auto, 1/255 when every\n" \
    "                      value is an integer 0-255 and some exceeds 1, else 1;\n"    \
    "                      other verbs: the model's]\n"                                \
    "      --binarize T    after scaling, v = 1 where x >= T, else 0 [train: off,\n"  \
    "                      the values in [0,1] are probabilities; others: the model's]\n" \
    "  Values outside [0,1] after scaling are an error.  The model records its\n"     \
    "  transform and every verb applies it; a --scale or --binarize that differs\n"    \
    "  from it is refused.\n"

#define COMMON_HELP                                                                \
    "  -q, --quiet             no progress lines or notices\n"                    \
    "      --max-memory SIZE   refuse inputs needing more memory: bytes, with an\n" \
    "                          optional k, M, G or T [PMK_MAX_MEMORY, else RAM]\n"  \
    "  -h, --help              show this help and exit\n"

static const char train_help[] =
    "Usage: pmk rbm train [options] DATA -o MODEL\n"
    "\n"
    "Trains a binary RBM on DATA by contrastive divergence.  MNIST trains with no\n"
    "options: pixels are scaled by 1/255 and used as probabilities.\n"
    "\n"
    "Model and training:\n"
    "  -o, --output MODEL      model file to write (atomically; - for stdout, the\n"
    "                          report then on stderr) [required]\n"
    "  -H, --hidden H          hidden units [500]\n"
    "  -e, --epochs E          passes over the training rows [10]\n"
    "  -b, --batch B           minibatch size [100]\n"
    "      --lr EPS            learning rate [0.1]\n"
    "  -k, --cd K              Gibbs steps per update (CD-K) [1]\n"
    "      --cd-ramp           grow the Gibbs steps linearly from 1 in the first\n"
    "                          epoch to K in the last (Salakhutdinov & Murray\n"
    "                          2008) [off: K every epoch]\n"
    "      --persistent        persistent chains (PCD-K, Tieleman 2008) [off]\n"
    "      --momentum M|auto   momentum in [0,1) [auto: 0.5 for epochs 1-5, then 0.9]\n"
    "      --weight-decay L    L2 weight cost on W [0.0002]\n"
    "      --seed S            seed for initialisation, minibatches and sampling\n"
    "                          [GSL_RNG_SEED, else 0]\n"
    "      --resume MODEL      continue training MODEL (its parameters, momentum,\n"
    "                          persistent chains, epoch count and transform);\n"
    "                          --hidden ignored\n"
    "\n"
    "Monitoring:\n"
    "      --holdout F         fraction of rows held out of training for the\n"
    "                          free-energy gap [0.05; 0 = none]\n"
    "      --log FILE.csv      write the per-epoch figures as CSV\n"
    "      --checkpoint-every N  also write MODEL every N epochs [0 = only at the end]\n"
    "      --json              a JSON report of the run on stdout\n"
    COMMON_HELP
    "\n"
    DATA_HELP
    "\n"
    "Each epoch prints on stderr: the reconstruction error (mean over rows of\n"
    "sum_i (v_i - p(v_i|h))^2, as in Hinton's rbm.m), the stochastic\n"
    "pseudo-likelihood of scikit-learn on up to 1,000 training rows, the\n"
    "free-energy gap mean F(held out) - mean F(training rows) (growing = overfitting),\n"
    "and the epoch's seconds (--log adds the elapsed time).  Training runs in single\n"
    "precision; the same seed gives a byte-identical model.\n";

static const char hidden_help[] =
    "Usage: pmk rbm hidden [options] MODEL DATA\n"
    "\n"
    "Writes a CSV with the header line [label,]h0,...,hH-1, then one row per row of\n"
    "DATA: its label (when DATA has labels) then p(h_j = 1 | v) for each hidden\n"
    "unit, or one sample of h with --sample.\n"
    "\n"
    "Options:\n"
    "      --prob              probabilities p(h=1|v) [default]\n"
    "      --sample            one sample of h ~ p(h|v) per row (0/1)\n"
    "      --seed S            seed for --sample [GSL_RNG_SEED, else 0]\n"
    "  -o, --output OUT        CSV file to write [-: stdout]\n"
    COMMON_HELP
    "\n"
    DATA_HELP;

static const char sample_help[] =
    "Usage: pmk rbm sample [options] MODEL -o OUT.png|OUT.csv\n"
    "\n"
    "Runs N block Gibbs chains v -> h -> v for K sweeps and records the visible\n"
    "means p(v=1|h) every M sweeps.  A PNG is a montage with one row per snapshot\n"
    "(needs D to be a square image size); a CSV has the header line\n"
    "sweep,v0,...,vD-1 and one row per chain and snapshot.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUT        .png, .pgm or .csv; - is CSV on stdout [required]\n"
    "      --format png|pgm    an image on stdout with -o -\n"
    "  -n, --chains N          chains [10]\n"
    "  -s, --steps K           Gibbs sweeps [1000]\n"
    "      --every M           snapshot every M sweeps [K/10, at least 1]\n"
    "      --init random|data:FILE  start from v ~ Bernoulli(1/2), or from the\n"
    "                          first N rows of FILE [random]\n"
    "      --seed S            [GSL_RNG_SEED, else 0]\n"
    COMMON_HELP
    "\n"
    DATA_HELP;

static const char eval_help[] =
    "Usage: pmk rbm eval [options] MODEL DATA\n"
    "\n"
    "Reports on DATA: the reconstruction error, the pseudo-likelihood (exact over\n"
    "every bit, and scikit-learn's one-random-bit estimate), the mean free energy,\n"
    "and with --exact or --ais log Z and the mean log-probability -F(v) - log Z.\n"
    "\n"
    "Options:\n"
    "      --exact             log Z by enumerating the smaller layer (at most 25\n"
    "                          units wide)\n"
    "      --ais               log Z by annealed importance sampling (Salakhutdinov &\n"
    "                          Murray 2008), base rates from DATA; prints +-3 sigma\n"
    "      --ais-runs M        AIS runs [100]\n"
    "      --ais-betas A,B,C   intermediate distributions on [0,0.5], [0.5,0.9],\n"
    "                          [0.9,1] [500,4000,10000]\n"
    "      --seed S            for sampling and AIS [GSL_RNG_SEED, else 0]\n"
    "      --json              one JSON object on stdout\n"
    COMMON_HELP
    "\n"
    DATA_HELP;

static const char filters_help[] =
    "Usage: pmk rbm filters [options] MODEL -o FILTERS.png\n"
    "\n"
    "Draws each column of W (one hidden unit's weights) as a square image, each\n"
    "with its own contrast (min black, max white).  D must be a square (784 = 28x28).\n"
    "\n"
    "Options:\n"
    "  -o, --output PNG        image to write (.png, .pgm; png:- for stdout) [required]\n"
    "      --format png|pgm    the image's format with -o -\n"
    "      --count N           first N hidden units [all]\n"
    "      --cols C            tiles per row [ceil(sqrt(N))]\n"
    COMMON_HELP;

static const char export_help[] =
    "Usage: pmk rbm export MODEL DIR\n"
    "\n"
    "Writes into DIR (created if needed) CSV files with a header line:\n"
    "  W.csv          h0,...   D rows of H weights\n"
    "  b.csv          b        D visible biases, one a line\n"
    "  a.csv          a        H hidden biases, one a line\n"
    "  transform.csv  scale,threshold  what the model does to each raw value:\n"
    "                 v = scale * x, then (threshold > 0) v = (v >= threshold)\n"
    "                 (no data row when the model does not record it)\n"
    "\n"
    "Options:\n"
    COMMON_HELP;

/* ---------------------------------------------------------------- shared */

/* Own option keys: above the letters, below the groups' keys (opt.c). */
enum {
    OPT_LR = 256, OPT_PERSISTENT, OPT_CD_RAMP, OPT_MOMENTUM, OPT_WD, OPT_RESUME, OPT_HOLDOUT,
    OPT_LOG, OPT_CHECKPOINT, OPT_PROB, OPT_SAMPLE, OPT_EVERY, OPT_INIT, OPT_EXACT, OPT_AIS,
    OPT_AIS_RUNS, OPT_AIS_BETAS, OPT_COUNT, OPT_COLS
};

/* "pmk rbm VERB: PATH: the data have ..." when DATA does not fit the model. */
static int check_dims(const pmk_rbm *m, size_t d, const char *path)
{
    if (d != m->d)
        return cli_error("%s: the data have %zu feature columns but the model has %zu "
                         "visible units",
                         path, d, m->d);
    return PMK_EXIT_OK;
}

/* The side of a square image of D pixels, or 0. */
static size_t square_side(size_t d)
{
    size_t s = (size_t)llround(sqrt((double)d));
    return s * s == d ? s : 0;
}

static int write_montage(const char *path, pmk_image_format fmt, const gsl_matrix *tiles,
                         size_t side, size_t cols, int mode)
{
    pmk_error err;
    pmk_image *img = NULL;
    int rc = pmk_montage(tiles, side, side, cols, mode, 0.0, 1.0, &img, &err)
             || pmk_image_write(path, img, fmt, &err);
    pmk_image_free(img);
    return rc ? cli_error_pmk(&err) : PMK_EXIT_OK;
}

/* The first @p count columns of W as rows (count x D): the filters to draw. */
static gsl_matrix *filter_tiles(const pmk_rbm *m, size_t count)
{
    gsl_matrix *T = gsl_matrix_alloc(count, m->d);
    if (T) {
        gsl_matrix_const_view Wc = gsl_matrix_const_submatrix(m->W, 0, 0, m->d, count);
        gsl_matrix_transpose_memcpy(T, &Wc.matrix);
    }
    return T;
}

/* "P0,P1,...": a CSV header line of @p n numbered names, after @p first
 * (NULL: none).  malloc'ed; NULL when out of memory. */
static char *numbered_header(const char *first, const char *prefix, size_t n)
{
    size_t cap = 16 + n * (strlen(prefix) + 22);
    char *h = malloc(cap), *p = h;
    if (!h)
        return NULL;
    *p = '\0';
    if (first)
        p += sprintf(p, "%s", first);
    for (size_t j = 0; j < n; j++)
        p += sprintf(p, "%s%s%zu", p == h ? "" : ",", prefix, j);
    return h;
}

/* Writes X (with labels y, may be NULL) as CSV under a numbered header. */
static int write_csv(const char *path, const gsl_matrix *X, const long *y, const char *first,
                     const char *prefix)
{
    pmk_error err;
    char *head = numbered_header(first, prefix, X->size2);
    if (!head)
        return cli_error("out of memory");
    int rc = pmk_csv_write(path, X, y, head, &err);
    free(head);
    return rc ? cli_error_pmk(&err) : PMK_EXIT_OK;
}

/* The positional arguments: at least @p min, at most @p max. */
static int expect_args(const cli_args *a, size_t min, size_t max, const char *missing)
{
    if (a->npos < min)
        return cli_usage("%s", missing);
    return cli_args_max(a, max);
}

/* ---------------------------------------------------------------- data */

/* A data set read for a model: the table, transformed as the model says, and
 * for the verbs that score every row, those rows as doubles. */
typedef struct rbm_data {
    pmk_table *t;
    gsl_matrix *X;     /* N x D in [0,1], or NULL */
    const long *y;     /* N labels, or NULL */
    const char *path;
} rbm_data;

static void rbm_data_free(rbm_data *d)
{
    pmk_table_free(d->t);
    if (d->X)
        gsl_matrix_free(d->X);
    memset(d, 0, sizeof *d);
}

/* The transform the options ask for: 0 for what was not given. */
static pmk_transform asked_transform(const cli_data_args *da)
{
    pmk_transform tf;
    pmk_transform_init(&tf);
    tf.scale = da->have_scale ? da->scale : 0;
    tf.threshold = da->have_threshold ? da->threshold : 0;
    return tf;
}

/* --scale and --binarize are checked as the library checks a transform,
 * before anything is read. */
static int check_transform_args(const cli_data_args *da)
{
    pmk_error err;
    pmk_transform tf = asked_transform(da);
    if (!da->have_scale)
        tf.scale = 1;
    return pmk_transform_check(&tf, &err) ? cli_usage_pmk(&err) : 0;
}

/* A CSV file holding only the header line @p head. */
static int write_header_only(const char *path, const char *head, pmk_error *err)
{
    pmk_outfile f;
    if (pmk_outfile_open(&f, path, err))
        return PMK_EIO;
    fprintf(f.fp, "%s\n", head);
    return pmk_outfile_commit(&f, err);
}

/* Loads MODEL, refusing a --scale or --binarize that contradicts the
 * transform it records (exit 2, naming both). */
static int load_model(const char *path, const cli_data_args *da, pmk_rbm **m)
{
    pmk_error err;
    pmk_transform tf = da ? asked_transform(da) : (pmk_transform){0, 0, 0};
    if (pmk_rbm_load(path, m, &err))
        return cli_error_pmk(&err);
    if (pmk_rbm_check_transform(*m, &tf, &err))
        return cli_usage("%s: %s", path, err.msg);
    return PMK_EXIT_OK;
}

/* Reads PATH (CSV or IDX, the data options of @p da), checks its width
 * against @p m (NULL: a model to be trained) and transforms it as the model
 * says: its recorded transform, or the options' (the one auto policy for
 * what they leave open), with a notice for a model that records none.  With
 * @p matrix the rows are also gathered as doubles.  Prints its errors. */
static int load_data(const char *path, const cli_data_args *da, const pmk_rbm *m,
                     const char *mpath, int matrix, rbm_data *out)
{
    pmk_error err;
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.header = da->header;
    o.label_col = da->label_col;
    o.labels = da->labels;
    memset(out, 0, sizeof *out);
    out->path = path;
    if (pmk_data_read_all(path, &o, &out->t, &err))
        return cli_error_pmk(&err);
    size_t N = pmk_table_nrows(out->t), D = pmk_table_nfeatures(out->t);
    int rc;
    if (m && (rc = check_dims(m, D, path)))
        return rc;
    pmk_transform asked = asked_transform(da), tf;
    if (pmk_rbm_transform_for(m, pmk_table_stats(out->t), &asked, &tf, &err))
        return mpath ? cli_usage("%s: %s", mpath, err.msg) : cli_usage_pmk(&err);
    if (m && !m->transform_known)
        cli_notice("%s records no transform (a version 1 model): %s is scaled by %.17g%s, as "
                   "the options say", mpath, path, tf.scale,
                   tf.threshold > 0 ? " and binarized" : "");
    if (pmk_table_set_transform(out->t, &tf, &err))
        return cli_error_pmk(&err);
    out->y = pmk_table_labels(out->t);
    if (!matrix)
        return PMK_EXIT_OK;
    if (!(out->X = gsl_matrix_alloc(N, D)))
        return cli_error("%s: out of memory for %zu x %zu values", path, N, D);
    return pmk_table_gather(out->t, NULL, N, out->X, &err) ? cli_error_pmk(&err) : PMK_EXIT_OK;
}

/* ---------------------------------------------------------------- train */

typedef struct train_ctx {
    const char *model_path;
    size_t checkpoint_every, epochs_total, first_epoch;
    FILE *log;
    double t0, t_epoch;
    pmk_rbm_epoch_info last;   /* the last epoch's figures */
} train_ctx;

static int train_epoch(const pmk_rbm *m, const pmk_rbm_epoch_info *info, void *vctx)
{
    train_ctx *c = vctx;
    double pl = info->pseudo_likelihood, gap = info->free_energy_gap;
    double now = cli_now(), secs = now - c->t_epoch;
    pmk_error err;
    c->t_epoch = now;
    c->last = *info;
    cli_progress("epoch %zu/%zu  recon %.4f  pseudo-likelihood %.4f  free-energy gap %.4f  "
                 "%.2f s",
                 info->epoch, c->epochs_total, info->recon_error, pl, gap, secs);
    if (c->log)
        fprintf(c->log, "%zu,%.17g,%.17g,%.17g,%.6f,%.6f\n", info->epoch, info->recon_error,
                pl, gap, secs, now - c->t0);
    if (c->checkpoint_every && (info->epoch - c->first_epoch + 1) % c->checkpoint_every == 0
        && info->epoch < c->epochs_total && pmk_rbm_save(m, c->model_path, &err)) {
        cli_error_pmk(&err);
        return PMK_EIO;
    }
    return 0;
}

/* The run's report: JSON only (the text of a run is its progress lines). */
static int train_report(const cli_args *a, const pmk_rbm *m, const pmk_rbm_options *o,
                        const train_ctx *c, size_t ntrain, size_t nheld)
{
    cli_report *r = cli_report_new();
    cli_report_int(r, "rows", (long long)(ntrain + nheld), NULL);
    cli_report_int(r, "train_rows", (long long)ntrain, NULL);
    cli_report_int(r, "held_out", (long long)nheld, NULL);
    cli_report_int(r, "visible", (long long)m->d, NULL);
    cli_report_int(r, "hidden", (long long)m->h, NULL);
    cli_report_int(r, "epochs", (long long)m->epochs, NULL);
    cli_report_str(r, "method", o->persistent ? "pcd" : "cd", NULL);
    cli_report_int(r, "k", (long long)o->k, NULL);
    cli_report_int(r, "batch", (long long)o->batch, NULL);
    cli_report_num(r, "scale", m->transform.scale, NULL);
    cli_report_num(r, "threshold", m->transform.threshold, NULL);
    cli_report_num(r, "recon_error", c->last.recon_error, NULL);
    cli_report_num(r, "pseudo_likelihood_1bit", c->last.pseudo_likelihood, NULL);
    cli_report_num(r, "free_energy_gap", c->last.free_energy_gap, NULL);
    cli_report_num(r, "seconds", cli_now() - c->t0, NULL);
    cli_report_str(r, "model", strcmp(c->model_path, "-") ? c->model_path : "<stdout>", NULL);
    int rc = a->json ? cli_report_emit(r, strcmp(c->model_path, "-") ? stdout : stderr, 1) : 0;
    cli_report_free(r);
    return rc;
}

static int rbm_train(int argc, char **argv)
{
    static const cli_option opts[] = {
        {"hidden", 'H', 1}, {"epochs", 'e', 1}, {"batch", 'b', 1}, {"cd", 'k', 1},
        {"lr", OPT_LR, 1}, {"persistent", OPT_PERSISTENT, 0}, {"cd-ramp", OPT_CD_RAMP, 0},
        {"momentum", OPT_MOMENTUM, 1}, {"weight-decay", OPT_WD, 1}, {"resume", OPT_RESUME, 1},
        {"holdout", OPT_HOLDOUT, 1}, {"log", OPT_LOG, 1},
        {"checkpoint-every", OPT_CHECKPOINT, 1}, {NULL, 0, 0},
    };
    const char *resume = NULL, *logpath = NULL, *arg;
    size_t hidden = 500, checkpoint = 0;
    double holdout = 0.05;
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    cli_args a;
    cli_parser p;
    pmk_error err;
    int key, rc = 0;
    cli_args_init(&a);
    cli_parse_begin(&p, argc, argv, train_help, CLI_G_DATA | CLI_G_OUTPUT | CLI_G_JSON | CLI_G_SEED,
                    opts, &a);
    while (!rc && (key = cli_parse_next(&p, &arg)) > 0) {
        switch (key) {
        case 'H':
            if (!(rc = cli_parse_size("hidden", arg, &hidden)) && hidden > PMK_RBM_MAX_WEIGHTS)
                rc = cli_usage("--hidden: %s is more than the %zu weights an RBM may have", arg,
                               PMK_RBM_MAX_WEIGHTS);
            if (!rc && hidden == 0)
                rc = cli_usage("--hidden: an RBM needs at least 1 hidden unit");
            break;
        case 'e': rc = cli_parse_size("epochs", arg, &o.epochs); break;
        case 'b': rc = cli_parse_size("batch", arg, &o.batch); break;
        case 'k': rc = cli_parse_size("cd", arg, &o.k); break;
        case OPT_LR: rc = cli_parse_double("lr", arg, &o.lr); break;
        case OPT_PERSISTENT: o.persistent = 1; break;
        case OPT_CD_RAMP: o.k_ramp = 1; break;
        case OPT_MOMENTUM:
            o.momentum = -1.0;
            if (strcmp(arg, "auto"))
                rc = cli_parse_double("momentum", arg, &o.momentum);
            break;
        case OPT_WD: rc = cli_parse_double("weight-decay", arg, &o.weight_decay); break;
        case OPT_RESUME: resume = arg; break;
        case OPT_HOLDOUT:
            if (!(rc = cli_parse_double("holdout", arg, &holdout)) && !(holdout >= 0 && holdout < 1))
                rc = cli_usage("--holdout: '%s' is not in [0,1)", arg);
            break;
        case OPT_LOG: logpath = arg; break;
        case OPT_CHECKPOINT: rc = cli_parse_size("checkpoint-every", arg, &checkpoint); break;
        }
    }
    if (rc || key < 0)
        return rc ? rc : p.status;
    if ((rc = expect_args(&a, 1, 1, "missing DATA")))
        return rc;
    const char *out = a.output, *path = a.pos[0];
    if (!out)
        return cli_usage("missing -o MODEL");
    if (pmk_rbm_options_check(&o, &err))
        return cli_usage_pmk(&err);
    if ((rc = check_transform_args(&a.data)))
        return rc;
    if (checkpoint && !strcmp(out, "-"))
        return cli_usage("--checkpoint-every needs a model file, not -o -");
    const char *train_in[] = {path, resume}, *train_out[] = {out, logpath};
    if ((rc = cli_check_files(train_in, 2, train_out, 2)))
        return rc;

    pmk_rbm *m = NULL;
    rbm_data data = {0};
    if ((resume && (rc = load_model(resume, &a.data, &m)))
        || (rc = load_data(path, &a.data, m, resume, 0, &data))) {
        pmk_rbm_free(m);
        rbm_data_free(&data);
        return rc;
    }
    pmk_rng *r = cli_rng(a.have_seed, a.seed);
    pmk_table *train = NULL, *hold = NULL;
    train_ctx ctx = {0};
    pmk_outfile logf = {0};
    int status = PMK_EXIT_OK;
    pmk_error_clear(&err);
    if (!r || pmk_table_split(data.t, holdout, r, &train, &hold, &err)) {   /* seeded */
        status = r ? cli_error_pmk(&err) : PMK_EXIT_FAIL;
        goto done;
    }
    size_t ntrain = pmk_table_nrows(train), nheld = hold ? pmk_table_nrows(hold) : 0;
    if (!m && (!(m = pmk_rbm_alloc(pmk_table_nfeatures(train), hidden, &err))
               || pmk_rbm_init_table(m, train, r, &err))) {
        status = cli_error_pmk(&err);
        goto done;
    }
    if (logpath) {
        if (pmk_outfile_open(&logf, logpath, &err)) {
            status = cli_error_pmk(&err);
            goto done;
        }
        fputs("epoch,recon_error,pseudo_likelihood,free_energy_gap,seconds,elapsed\n", logf.fp);
    }
    ctx = (train_ctx){out, checkpoint, m->epochs + o.epochs, m->epochs + 1,
                      logpath ? logf.fp : NULL, cli_now(), cli_now(), {0, NAN, NAN, NAN}};
    cli_notice("%zu rows (%zu for training, %zu held out), D = %zu, H = %zu, %s%zu%s, "
               "batch %zu",
               ntrain + nheld, ntrain, nheld, m->d, m->h,
               o.persistent ? "PCD-" : "CD-", o.k, o.k_ramp && o.k > 1 ? " (ramped from 1)" : "",
               o.batch);
    rc = pmk_rbm_fit_table(m, train, hold, &o, r, train_epoch, &ctx, &err);
    cli_progress_done();
    if (rc) {
        status = rc == PMK_EIO && !err.msg[0] ? PMK_EXIT_FAIL : cli_error_pmk(&err);
        goto done;
    }
    /* Every write error of the log is seen before the model is replaced;
     * the log's rename follows the model's. */
    if ((logpath && pmk_outfile_sync(&logf, &err)) || pmk_rbm_save(m, out, &err)
        || (logpath && pmk_outfile_commit(&logf, &err))) {
        status = cli_error_pmk(&err);
        goto done;
    }
    status = train_report(&a, m, &o, &ctx, ntrain, nheld);
done:
    if (logpath)
        pmk_outfile_abort(&logf);
    pmk_table_free(train);
    pmk_table_free(hold);
    pmk_rng_free(r);
    pmk_rbm_free(m);
    rbm_data_free(&data);
    return status;
}

/* ---------------------------------------------------------------- hidden */

static int rbm_hidden(int argc, char **argv)
{
    static const cli_option opts[] = {{"prob", OPT_PROB, 0}, {"sample", OPT_SAMPLE, 0},
                                      {NULL, 0, 0}};
    const char *arg;
    cli_args a;
    cli_parser p;
    int key, rc, sample = 0;
    cli_args_init(&a);
    cli_parse_begin(&p, argc, argv, hidden_help, CLI_G_DATA | CLI_G_OUTPUT | CLI_G_SEED, opts,
                    &a);
    while ((key = cli_parse_next(&p, &arg)) > 0)
        sample = key == OPT_SAMPLE;
    if (key < 0)
        return p.status;
    const char *out = a.output ? a.output : "-";
    if ((rc = expect_args(&a, 2, 2, "expected MODEL DATA")) || (rc = check_transform_args(&a.data))
        || (rc = cli_check_files((const char *const *)a.pos, 2, &out, 1)))
        return rc;
    pmk_rbm *m = NULL;
    rbm_data data = {0};
    if ((rc = load_model(a.pos[0], &a.data, &m))
        || (rc = load_data(a.pos[1], &a.data, m, a.pos[0], 1, &data))) {
        pmk_rbm_free(m);
        rbm_data_free(&data);
        return rc;
    }
    pmk_rng *r = sample ? cli_rng(a.have_seed, a.seed) : NULL;
    gsl_matrix *P = gsl_matrix_alloc(data.X->size1, m->h);
    pmk_error err;
    int status = PMK_EXIT_OK;
    if (sample && !r)
        status = PMK_EXIT_FAIL;
    else if (!P)
        status = cli_error("out of memory");
    else if (sample ? pmk_rbm_sample_hidden(m, data.X, P, r, &err)
                    : pmk_rbm_hidden_prob(m, data.X, P, &err))
        status = cli_error_pmk(&err);
    else
        status = write_csv(out, P, data.y, data.y ? "label" : NULL, "h");
    if (P)
        gsl_matrix_free(P);
    pmk_rng_free(r);
    pmk_rbm_free(m);
    rbm_data_free(&data);
    return status;
}

/* ---------------------------------------------------------------- sample */

static int has_ext(const char *path, const char *ext)
{
    size_t lp = strlen(path), le = strlen(ext);
    return lp >= le && strcasecmp(path + lp - le, ext) == 0;
}

/* -o of sample: an image (a format asked for, or .png / .pgm) or CSV (.csv,
 * or - without --format).  0 or a usage error. */
static int sample_output(const cli_args *a, const char **path, pmk_image_format *fmt, int *image)
{
    const char *out = a->output;
    if (!out)
        return cli_usage("missing -o OUT.png or OUT.csv");
    *image = a->format || has_ext(out, ".png") || has_ext(out, ".pgm") || strchr(out, ':');
    if (*image)
        return cli_image_output(a, path, fmt);
    if (!has_ext(out, ".csv") && strcmp(out, "-"))
        return cli_usage("-o: '%s' must end in .png, .pgm or .csv", out);
    *path = out;
    return 0;
}

/* Starting states of the chains (chains x D): the first rows of FILE, or
 * Bernoulli(1/2). */
static int sample_init(const char *init, const cli_args *a, const pmk_rbm *m, const char *mpath,
                       gsl_matrix *V, pmk_rng *r)
{
    if (strncmp(init, "data:", 5)) {
        for (size_t k = 0; k < V->size1 * m->d; k++)
            V->data[k] = pmk_rng_uniform(r) < 0.5 ? 1.0 : 0.0;
        return PMK_EXIT_OK;
    }
    rbm_data data = {0};
    int rc = load_data(init + 5, &a->data, m, mpath, 1, &data);
    if (!rc && data.X->size1 < V->size1)
        rc = cli_error("%s: %zu rows, fewer than the %zu chains", init + 5, data.X->size1,
                       V->size1);
    if (!rc) {
        gsl_matrix_view top = gsl_matrix_submatrix(data.X, 0, 0, V->size1, m->d);
        gsl_matrix_memcpy(V, &top.matrix);
    }
    rbm_data_free(&data);
    return rc;
}

static int rbm_sample(int argc, char **argv)
{
    static const cli_option opts[] = {{"chains", 'n', 1}, {"steps", 's', 1},
                                      {"every", OPT_EVERY, 1}, {"init", OPT_INIT, 1},
                                      {NULL, 0, 0}};
    const char *init = "random", *arg, *out;
    size_t chains = 10, steps = 1000, every = 0;
    cli_args a;
    cli_parser p;
    int key, rc = 0, image = 0;
    pmk_image_format fmt = PMK_IMAGE_AUTO;
    cli_args_init(&a);
    cli_parse_begin(&p, argc, argv, sample_help,
                    CLI_G_DATA | CLI_G_OUTPUT | CLI_G_FORMAT | CLI_G_SEED, opts, &a);
    while (!rc && (key = cli_parse_next(&p, &arg)) > 0) {
        switch (key) {
        case 'n':
            if (!(rc = cli_parse_size("chains", arg, &chains)) && chains == 0)
                rc = cli_usage("--chains: must be at least 1");
            break;
        case 's':
            if (!(rc = cli_parse_size("steps", arg, &steps)) && steps == 0)
                rc = cli_usage("--steps: must be at least 1");
            break;
        case OPT_EVERY:
            if (!(rc = cli_parse_size("every", arg, &every)) && every == 0)
                rc = cli_usage("--every: must be at least 1");
            break;
        case OPT_INIT:
            init = arg;
            if (strcmp(arg, "random") && strncmp(arg, "data:", 5))
                rc = cli_usage("--init: '%s' is neither 'random' nor 'data:FILE'", arg);
            break;
        }
    }
    if (rc || key < 0)
        return rc ? rc : p.status;
    if ((rc = expect_args(&a, 1, 1, "missing MODEL")) || (rc = sample_output(&a, &out, &fmt, &image))
        || (rc = check_transform_args(&a.data)))
        return rc;
    if (!every)
        every = steps / 10 ? steps / 10 : 1;
    const char *sample_in[] = {a.pos[0], strncmp(init, "data:", 5) ? NULL : init + 5};
    if ((rc = cli_check_files(sample_in, 2, &out, 1)))
        return rc;
    pmk_rbm *m = NULL;
    if ((rc = load_model(a.pos[0], &a.data, &m))) {
        pmk_rbm_free(m);
        return rc;
    }
    size_t side = square_side(m->d), nsnap = steps / every;
    if (image && !side) {
        rc = cli_error("%s: %zu visible units are not a square image; write a .csv", a.pos[0],
                       m->d);
        pmk_rbm_free(m);   /* after the message, which reads m->d */
        return rc;
    }
    /* V, the means and the snapshots: 8 D chains (2 + snapshots) bytes, and
     * a label a snapshot row; sized by the options, so checked first. */
    pmk_error err;
    char what[96];
    unsigned long long rows = 2 + (unsigned long long)nsnap, per = 8ull * m->d + 8;
    unsigned long long need = chains > ULLONG_MAX / rows ? ULLONG_MAX : chains * rows;
    need = need > ULLONG_MAX / per ? ULLONG_MAX : need * per;
    snprintf(what, sizeof what, "%zu chains with %zu snapshots", chains, nsnap);
    if (pmk_mem_check(NULL, 0, 0, need, what, &err)) {
        pmk_rbm_free(m);
        return cli_error_pmk(&err);
    }
    pmk_rng *r = cli_rng(a.have_seed, a.seed);
    gsl_matrix *V = gsl_matrix_alloc(chains, m->d), *mean = gsl_matrix_alloc(chains, m->d);
    gsl_matrix *snaps = nsnap ? gsl_matrix_alloc(nsnap * chains, m->d) : NULL;
    long *lab = malloc((nsnap ? nsnap : 1) * chains * sizeof *lab);
    int status = PMK_EXIT_OK;
    if (!r)
        status = PMK_EXIT_FAIL;
    else if (!V || !mean || (nsnap && !snaps) || !lab)
        status = cli_error("out of memory");
    else
        status = sample_init(init, &a, m, a.pos[0], V, r);
    for (size_t s = 0; s < nsnap && !status; s++) {
        if (pmk_rbm_gibbs(m, V, every, mean, r, &err)) {
            status = cli_error_pmk(&err);
            break;
        }
        gsl_matrix_view dst = gsl_matrix_submatrix(snaps, s * chains, 0, chains, m->d);
        gsl_matrix_memcpy(&dst.matrix, mean);
        for (size_t k = 0; k < chains; k++)
            lab[s * chains + k] = (long)((s + 1) * every);
    }
    if (!status && !nsnap)
        status = cli_error("no snapshot: --every %zu exceeds --steps %zu", every, steps);
    else if (!status)
        status = image ? write_montage(out, fmt, snaps, side, chains, PMK_MONTAGE_RANGE)
                       : write_csv(out, snaps, lab, "sweep", "v");
    if (V)
        gsl_matrix_free(V);
    if (mean)
        gsl_matrix_free(mean);
    if (snaps)
        gsl_matrix_free(snaps);
    free(lab);
    pmk_rng_free(r);
    pmk_rbm_free(m);
    return status;
}

/* ---------------------------------------------------------------- eval */

/* --ais-betas A,B,C: three counts. */
static int parse_betas(const char *arg, pmk_rbm_ais_options *ao)
{
    double *v;
    size_t n;
    int rc = cli_parse_double_list("ais-betas", arg, &v, &n);
    if (rc)
        return rc;
    int ok = n == 3;
    for (size_t k = 0; k < n && ok; k++)
        ok = v[k] >= 0 && v[k] <= 1e7 && v[k] == floor(v[k]);
    for (size_t k = 0; k < 3 && ok; k++)
        ao->n_betas[k] = (size_t)v[k];
    free(v);
    return ok ? 0 : cli_usage("--ais-betas: '%s' is not three counts A,B,C", arg);
}

static void eval_report(cli_report *rep, const pmk_rbm_ais_result *res, int exact, int ais,
                        size_t n, const double f[4], double log_z)
{
    cli_report_int(rep, "n", (long long)n, "rows                       %zu\n", n);
    cli_report_num(rep, "recon_error", f[0], "reconstruction error       %.6f\n", f[0]);
    cli_report_num(rep, "pseudo_likelihood", f[1], "pseudo-likelihood (exact)  %.6f\n", f[1]);
    cli_report_num(rep, "pseudo_likelihood_1bit", f[2], "pseudo-likelihood (1 bit)  %.6f\n",
                   f[2]);
    cli_report_num(rep, "mean_free_energy", f[3], "mean free energy           %.6f\n", f[3]);
    cli_report_str(rep, "log_z_method", exact ? "exact" : ais ? "ais" : "none", NULL);
    if (ais) {
        char label[64];
        snprintf(label, sizeof label, "log Z (AIS, %zu runs)", res->runs);
        cli_report_num(rep, "log_z", log_z, "%-27s%.6f  (+-3 sigma: %.6f .. %.6f)\n", label,
                       log_z, res->log_z_lo, res->log_z_hi);
        cli_report_num(rep, "log_z_lo", res->log_z_lo, NULL);
        cli_report_num(rep, "log_z_hi", res->log_z_hi, NULL);
        cli_report_int(rep, "ais_runs", (long long)res->runs, NULL);
        cli_report_int(rep, "ais_steps", (long long)res->steps, NULL);
    } else {
        cli_report_num(rep, "log_z", log_z, exact ? "log Z (exact)              %.6f\n" : NULL,
                       log_z);
    }
    double lp = -f[3] - log_z;
    cli_report_num(rep, "mean_log_prob", lp,
                   exact || ais ? "mean log p(v)              %.6f\n" : NULL, lp);
}

static int rbm_eval(int argc, char **argv)
{
    static const cli_option opts[] = {{"exact", OPT_EXACT, 0}, {"ais", OPT_AIS, 0},
                                      {"ais-runs", OPT_AIS_RUNS, 1},
                                      {"ais-betas", OPT_AIS_BETAS, 1}, {NULL, 0, 0}};
    const char *arg;
    cli_args a;
    cli_parser p;
    int key, rc = 0, exact = 0, ais = 0;
    pmk_rbm_ais_options ao;
    pmk_rbm_ais_options_init_default(&ao);
    pmk_error err;
    cli_args_init(&a);
    cli_parse_begin(&p, argc, argv, eval_help, CLI_G_DATA | CLI_G_JSON | CLI_G_SEED, opts, &a);
    while (!rc && (key = cli_parse_next(&p, &arg)) > 0) {
        switch (key) {
        case OPT_EXACT: exact = 1; break;
        case OPT_AIS: ais = 1; break;
        case OPT_AIS_RUNS: rc = cli_parse_size("ais-runs", arg, &ao.runs); break;
        case OPT_AIS_BETAS: rc = parse_betas(arg, &ao); break;
        }
    }
    if (rc || key < 0)
        return rc ? rc : p.status;
    if ((rc = expect_args(&a, 2, 2, "expected MODEL DATA")) || (rc = check_transform_args(&a.data)))
        return rc;
    if (exact && ais)
        return cli_usage("--exact and --ais exclude each other");
    if (pmk_rbm_ais_options_check(&ao, &err))
        return cli_usage_pmk(&err);
    const char *mpath = a.pos[0];
    pmk_rbm *m = NULL;
    rbm_data data = {0};
    if ((rc = load_model(mpath, &a.data, &m))
        || (rc = load_data(a.pos[1], &a.data, m, mpath, 1, &data))) {
        pmk_rbm_free(m);
        rbm_data_free(&data);
        return rc;
    }
    double f[4] = {NAN, NAN, NAN, NAN}, log_z = NAN;
    pmk_rbm_ais_result res = {0};
    pmk_rng *r = cli_rng(a.have_seed, a.seed);
    cli_report *rep = cli_report_new();
    int status = PMK_EXIT_OK;
    if (!r)
        status = PMK_EXIT_FAIL;
    else if (exact && pmk_rbm_log_z_exact(m, &log_z, &err))
        status = cli_error("%s: %s%s", mpath, err.msg, err.code == PMK_ELIMIT ? " (--ais)" : "");
    else if (pmk_rbm_recon_error(m, data.X, r, &f[0], &err)
             || pmk_rbm_pseudo_likelihood(m, data.X, &f[1], &err)
             || pmk_rbm_pseudo_likelihood_1bit(m, data.X, r, &f[2], &err)
             || pmk_rbm_mean_free_energy(m, data.X, &f[3], &err)
             || (ais && pmk_rbm_log_z_ais(m, data.X, &ao, r, &res, &err)))
        status = cli_error_pmk(&err);
    if (!status) {
        eval_report(rep, &res, exact, ais, data.X->size1, f, ais ? res.log_z : log_z);
        status = cli_report_emit(rep, stdout, a.json);
    }
    cli_report_free(rep);
    pmk_rng_free(r);
    pmk_rbm_free(m);
    rbm_data_free(&data);
    return status;
}

/* ---------------------------------------------------------------- filters */

static int rbm_filters(int argc, char **argv)
{
    static const cli_option opts[] = {{"count", OPT_COUNT, 1}, {"cols", OPT_COLS, 1},
                                      {NULL, 0, 0}};
    const char *arg, *out;
    size_t count = 0, cols = 0;
    cli_args a;
    cli_parser p;
    pmk_image_format fmt;
    int key, rc = 0;
    cli_args_init(&a);
    cli_parse_begin(&p, argc, argv, filters_help, CLI_G_OUTPUT | CLI_G_FORMAT, opts, &a);
    while (!rc && (key = cli_parse_next(&p, &arg)) > 0) {
        const char *name = key == OPT_COUNT ? "count" : "cols";
        size_t *v = key == OPT_COUNT ? &count : &cols;
        if (!(rc = cli_parse_size(name, arg, v)) && *v == 0)
            rc = cli_usage("--%s: must be at least 1", name);
    }
    if (rc || key < 0)
        return rc ? rc : p.status;
    if ((rc = expect_args(&a, 1, 1, "missing MODEL")))
        return rc;
    if (!a.output)
        return cli_usage("missing -o FILTERS.png");
    if ((rc = cli_image_output(&a, &out, &fmt))
        || (rc = cli_check_files((const char *const *)a.pos, 1, &out, 1)))
        return rc;
    pmk_rbm *m = NULL;
    if ((rc = load_model(a.pos[0], NULL, &m))) {
        pmk_rbm_free(m);
        return rc;
    }
    size_t side = square_side(m->d);
    if (!side) {
        rc = cli_error("%s: %zu visible units are not a square image", a.pos[0], m->d);
        pmk_rbm_free(m);   /* after the message, which reads m->d */
        return rc;
    }
    if (!count || count > m->h)
        count = m->h;
    if (!cols)
        cols = (size_t)ceil(sqrt((double)count));
    gsl_matrix *T = filter_tiles(m, count);
    rc = T ? write_montage(out, fmt, T, side, cols, PMK_MONTAGE_TILE) : cli_error("out of memory");
    if (T)
        gsl_matrix_free(T);
    pmk_rbm_free(m);
    return rc;
}

/* ---------------------------------------------------------------- export */

static int rbm_export(int argc, char **argv)
{
    cli_args a;
    cli_parser p;
    const char *arg;
    int rc;
    cli_args_init(&a);
    cli_parse_begin(&p, argc, argv, export_help, 0, NULL, &a);
    if (cli_parse_next(&p, &arg) < 0)   /* --help (exit 0) or a usage error */
        return p.status;
    if ((rc = expect_args(&a, 2, 2, "expected MODEL DIR")))
        return rc;
    const char *dir = a.pos[1];
    static const char *const names[] = {"W.csv", "b.csv", "a.csv", "transform.csv"};
    enum { NFILES = sizeof names / sizeof names[0] };
    char path[NFILES][4096];
    const char *outs[NFILES];
    for (size_t k = 0; k < NFILES; k++) {
        snprintf(path[k], sizeof path[k], "%s/%s", dir, names[k]);
        outs[k] = path[k];
    }
    if ((rc = cli_check_files((const char *const *)a.pos, 1, outs, NFILES)))
        return rc;
    pmk_rbm *m = NULL;
    if ((rc = load_model(a.pos[0], NULL, &m))) {
        pmk_rbm_free(m);
        return rc;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        pmk_rbm_free(m);
        return cli_error("%s: cannot create folder: %s", dir, strerror(errno));
    }
    /* transform.csv: scale,threshold, one row when the model records them */
    gsl_matrix *tf = gsl_matrix_alloc(1, 2);
    if (!tf) {
        pmk_rbm_free(m);
        return cli_error("out of memory");
    }
    gsl_matrix_set(tf, 0, 0, m->transform.scale);
    gsl_matrix_set(tf, 0, 1, m->transform.threshold);
    gsl_matrix_view b = gsl_matrix_view_vector(m->b, m->d, 1);
    gsl_matrix_view av = gsl_matrix_view_vector(m->a, m->h, 1);
    const gsl_matrix *mats[NFILES] = {m->W, &b.matrix, &av.matrix, tf};
    const char *heads[NFILES] = {NULL, "b", "a", "scale,threshold"};
    int status = PMK_EXIT_OK;
    cli_outset set = {0}; /* the files change together or not at all */
    for (size_t k = 0; k < NFILES && status == PMK_EXIT_OK; k++) {
        const char *w = cli_outset_add(&set, path[k]);
        pmk_error err;
        char *head = heads[k] ? strdup(heads[k]) : numbered_header(NULL, "h", m->h);
        if (!w)
            status = PMK_EXIT_FAIL;
        else if (!head)
            status = cli_error("out of memory");
        else if (k == 3 && !m->transform_known)
            status = write_header_only(w, head, &err) ? cli_outset_error(&set, &err) : 0;
        else if (pmk_csv_write(w, mats[k], NULL, head, &err))
            status = cli_outset_error(&set, &err);
        free(head);
    }
    if (status == PMK_EXIT_OK)
        status = cli_outset_commit(&set) ? PMK_EXIT_FAIL : PMK_EXIT_OK;
    else
        cli_outset_abort(&set);
    gsl_matrix_free(tf);
    pmk_rbm_free(m);
    return status;
}

/* ---------------------------------------------------------------- dispatch */

int cli_rbm(int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"train", rbm_train},   {"hidden", rbm_hidden},   {"sample", rbm_sample},
        {"eval", rbm_eval},     {"filters", rbm_filters}, {"export", rbm_export},
        {NULL, NULL},
    };
    return cli_dispatch(verbs, rbm_help, argc, argv);
}

/* ---------------------------------------------------------------- demo */

/* A few seconds on the embedded MNIST sample: 2,000 digits, 64 hidden units,
 * 15 epochs of CD-1; pictures of the filters, of one digit's hidden samples
 * seen through p(v|h), and of Gibbs chains. */
int cli_demo_rbm(const char *datadir, const char *outdir, unsigned long seed)
{
    cli_set_command("demo rbm");
    char path[4096], out[4096];
    snprintf(path, sizeof path, "%s/mnist-train.csv.gz", datadir);
    cli_args a;
    cli_args_init(&a);
    rbm_data data;
    int rc = load_data(path, &a.data, NULL, NULL, 1, &data);
    if (rc) {
        rbm_data_free(&data);
        return rc;
    }
    const size_t N = data.X->size1 < 2000 ? data.X->size1 : 2000, H = 64, D = data.X->size2;
    size_t side = square_side(D);
    gsl_matrix_view Xv = gsl_matrix_submatrix(data.X, 0, 0, N, D);
    pmk_error err;
    pmk_rng *r = pmk_rng_alloc(NULL, seed);
    pmk_rbm *m = pmk_rbm_alloc(D, H, &err);
    gsl_matrix *T = NULL, *V = gsl_matrix_alloc(10, D);
    gsl_matrix *row = gsl_matrix_alloc(11, D), *Hs = gsl_matrix_alloc(10, H);
    gsl_matrix *snaps = gsl_matrix_alloc(50, D), *mean = gsl_matrix_alloc(10, D);
    int status = PMK_EXIT_OK;
    if (!r || !m || !V || !row || !Hs || !snaps || !mean) {
        status = cli_error("out of memory");
        goto done;
    }
    if (!side) {
        status = cli_error("%s: %zu columns are not a square image", path, D);
        goto done;
    }
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    o.epochs = 15;
    o.batch = 20;
    o.momentum = 0.5;
    double t0 = cli_now();
    if (pmk_rbm_init(m, &Xv.matrix, r, &err)
        || pmk_rbm_fit(m, &Xv.matrix, &o, r, NULL, NULL, &err)) {
        status = cli_error_pmk(&err);
        goto done;
    }
    double secs = cli_now() - t0, recon, pl;
    if (pmk_rbm_recon_error(m, &Xv.matrix, r, &recon, &err)
        || pmk_rbm_pseudo_likelihood_1bit(m, &Xv.matrix, r, &pl, &err)) {
        status = cli_error_pmk(&err);
        goto done;
    }
    printf("rbm: %zu hidden units trained on %zu digits (CD-1, %zu epochs, batch %zu) "
           "in %.1f s\n",
           H, N, o.epochs, o.batch, secs);
    printf("rbm: reconstruction error %.2f per digit, pseudo-likelihood %.2f\n", recon, pl);
    snprintf(out, sizeof out, "%s/rbm-filters.png", outdir);
    if (!(T = filter_tiles(m, H))) {
        status = cli_error("out of memory");
        goto done;
    }
    if ((status = write_montage(out, PMK_IMAGE_AUTO, T, side, 8, PMK_MONTAGE_TILE)))
        goto done;
    printf("rbm: %s: the 64 filters (columns of W)\n", out);
    /* one digit, then p(v|h) for 10 samples h ~ p(h|v) */
    size_t pick = 0;
    for (size_t n = 0; n < N; n++)
        if (data.y && data.y[n] == 3) {
            pick = n;
            break;
        }
    gsl_vector_const_view digit = gsl_matrix_const_row(data.X, pick);
    for (size_t k = 0; k < 10; k++)
        gsl_matrix_set_row(V, k, &digit.vector);
    gsl_matrix_view rest = gsl_matrix_submatrix(row, 1, 0, 10, D);
    if (pmk_rbm_sample_hidden(m, V, Hs, r, &err)
        || pmk_rbm_visible_prob(m, Hs, &rest.matrix, &err)) {
        status = cli_error_pmk(&err);
        goto done;
    }
    gsl_matrix_set_row(row, 0, &digit.vector);
    snprintf(out, sizeof out, "%s/rbm-hidden.png", outdir);
    if ((status = write_montage(out, PMK_IMAGE_AUTO, row, side, 11, PMK_MONTAGE_RANGE)))
        goto done;
    printf("rbm: %s: a digit %ld, then p(v|h) for 10 samples h ~ p(h|v)\n", out,
           data.y ? data.y[pick] : 0L);
    /* Gibbs chains from one digit of each class (random images without
     * labels), a snapshot every 200 sweeps */
    for (size_t c = 0; c < 10; c++) {
        size_t n = 0;
        while (data.y && n < N && data.y[n] != (long)c)
            n++;
        for (size_t i = 0; i < D; i++) {
            double p = data.y && n < N ? gsl_matrix_get(data.X, n, i) : 0.5;
            gsl_matrix_set(V, c, i, pmk_rng_uniform(r) < p ? 1.0 : 0.0);
        }
    }
    for (size_t s = 0; s < 5; s++) {
        if (pmk_rbm_gibbs(m, V, 200, mean, r, &err)) {
            status = cli_error_pmk(&err);
            goto done;
        }
        gsl_matrix_view dst = gsl_matrix_submatrix(snaps, s * 10, 0, 10, D);
        gsl_matrix_memcpy(&dst.matrix, mean);
    }
    snprintf(out, sizeof out, "%s/rbm-gibbs.png", outdir);
    if ((status = write_montage(out, PMK_IMAGE_AUTO, snaps, side, 10, PMK_MONTAGE_RANGE)))
        goto done;
    printf("rbm: %s: 10 Gibbs chains from digits 0-9, visible means after 200..1000 "
           "sweeps\n",
           out);
done:
    if (T)
        gsl_matrix_free(T);
    if (V)
        gsl_matrix_free(V);
    if (row)
        gsl_matrix_free(row);
    if (Hs)
        gsl_matrix_free(Hs);
    if (snaps)
        gsl_matrix_free(snaps);
    if (mean)
        gsl_matrix_free(mean);
    pmk_rbm_free(m);
    pmk_rng_free(r);
    rbm_data_free(&data);
    return status;
}
