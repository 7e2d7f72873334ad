/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm.c: `pmk rbm`: train a binary RBM (CD-k, PCD-k), compute hidden features,
 * sample, evaluate (pseudo-likelihood, log Z exact or by AIS), draw filters,
 * export parameters; and the RBM part of `pmk demo`. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
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
    "  export MODEL DIR            W.csv, b.csv and a.csv\n"
    "\n"
    "Run 'pmk rbm <verb> --help' for a verb's options.\n";

#define DATA_HELP                                                                    \
    "Data (CSV rows 'label,x1,...,xD', an optional header line, gzip accepted):\n"  \
    "      --no-labels    every column is a feature (no label column first)\n"       \
    "      --scale S      multiply every value by S [auto: 1/255 when some value\n"  \
    "                     exceeds 1, as for 0-255 pixels, else 1]\n"                 \
    "      --binarize T   after scaling, v = 1 where x >= T, else 0 [off: the\n"     \
    "                     scaled values in [0,1] are used as probabilities]\n"       \
    "  Values outside [0,1] after scaling are an error.  Use the same data options\n" \
    "  for every verb on one model.\n"

static const char train_help[] =
    "Usage: pmk rbm train [options] DATA -o MODEL\n"
    "\n"
    "Trains a binary RBM on DATA by contrastive divergence.  MNIST CSV trains with\n"
    "no options: pixels are scaled by 1/255 and used as probabilities.\n"
    "\n"
    "Model and training:\n"
    "  -o, --output MODEL      model file to write (atomically) [required]\n"
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
    "                          persistent chains and epoch count); --hidden ignored\n"
    "\n"
    "Monitoring:\n"
    "      --holdout F         fraction of rows held out of training for the\n"
    "                          free-energy gap [0.05; 0 = none]\n"
    "      --log FILE.csv      write the per-epoch figures as CSV\n"
    "      --checkpoint-every N  also write MODEL every N epochs [0 = only at the end]\n"
    "  -q, --quiet             no progress lines\n"
    "      --max-memory SIZE   refuse inputs needing more memory: bytes, with an\n"
    "                          optional k, M, G or T [PMK_MAX_MEMORY, else RAM]\n"
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
    "Writes one CSV row per row of DATA: its label (when DATA has labels) then\n"
    "p(h_j = 1 | v) for j = 1..H, or one sample of h with --sample.\n"
    "\n"
    "Options:\n"
    "      --prob          probabilities p(h=1|v) [default]\n"
    "      --sample        one sample of h ~ p(h|v) per row (0/1)\n"
    "      --seed S        seed for --sample [GSL_RNG_SEED, else 0]\n"
    "  -o, --output OUT    CSV file to write [-: stdout]\n"
    "      --max-memory SIZE  refuse inputs needing more memory: bytes, with an\n"
    "                      optional k, M, G or T [PMK_MAX_MEMORY, else RAM]\n"
    "\n"
    DATA_HELP;

static const char sample_help[] =
    "Usage: pmk rbm sample [options] MODEL -o OUT.png|OUT.csv\n"
    "\n"
    "Runs N block Gibbs chains v -> h -> v for K sweeps and records the visible\n"
    "means p(v=1|h) every M sweeps.  A PNG is a montage with one row per snapshot\n"
    "(needs D to be a square image size); a CSV has one row per chain and\n"
    "snapshot, the sweep number first.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUT        .png or .csv [required]\n"
    "  -n, --chains N          chains [10]\n"
    "  -s, --steps K           Gibbs sweeps [1000]\n"
    "      --every M           snapshot every M sweeps [K/10, at least 1]\n"
    "      --init random|data:FILE  start from v ~ Bernoulli(1/2), or from the\n"
    "                          first N rows of FILE [random]\n"
    "      --seed S            [GSL_RNG_SEED, else 0]\n"
    "      --max-memory SIZE   refuse inputs needing more memory: bytes, with an\n"
    "                          optional k, M, G or T [PMK_MAX_MEMORY, else RAM]\n"
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
    "      --max-memory SIZE   refuse inputs needing more memory: bytes, with an\n"
    "                          optional k, M, G or T [PMK_MAX_MEMORY, else RAM]\n"
    "\n"
    DATA_HELP;

static const char filters_help[] =
    "Usage: pmk rbm filters [options] MODEL -o FILTERS.png\n"
    "\n"
    "Draws each column of W (one hidden unit's weights) as a square image, each\n"
    "with its own contrast (min black, max white).  D must be a square (784 = 28x28).\n"
    "\n"
    "Options:\n"
    "  -o, --output PNG    image to write (.png, .pgm) [required]\n"
    "      --count N       first N hidden units [all]\n"
    "      --cols C        tiles per row [ceil(sqrt(N))]\n"
    "      --max-memory SIZE  refuse inputs needing more memory: bytes, with an\n"
    "                      optional k, M, G or T [PMK_MAX_MEMORY, else RAM]\n";

static const char export_help[] =
    "Usage: pmk rbm export MODEL DIR\n"
    "\n"
    "Writes DIR/W.csv (D rows of H weights), DIR/b.csv (D visible biases, one per\n"
    "line) and DIR/a.csv (H hidden biases, one per line); creates DIR if needed.\n"
    "\n"
    "Options:\n"
    "      --max-memory SIZE  refuse inputs needing more memory: bytes, with an\n"
    "                      optional k, M, G or T [PMK_MAX_MEMORY, else RAM]\n";

/* ---------------------------------------------------------------- data */

typedef struct data_opts {
    int no_labels;
    int auto_scale;
    double scale;
    int binarize;
    double threshold;
} data_opts;

enum {
    OPT_NO_LABELS = 1000, OPT_SCALE, OPT_BINARIZE, OPT_SEED, OPT_LR, OPT_PERSISTENT,
    OPT_MOMENTUM, OPT_WD, OPT_RESUME, OPT_HOLDOUT, OPT_LOG, OPT_CHECKPOINT, OPT_PROB,
    OPT_SAMPLE, OPT_EVERY, OPT_INIT, OPT_EXACT, OPT_AIS, OPT_AIS_RUNS, OPT_AIS_BETAS,
    OPT_JSON, OPT_COUNT, OPT_COLS, OPT_CD_RAMP
};

static void data_opts_init(data_opts *d)
{
    d->no_labels = 0;
    d->auto_scale = 1;
    d->scale = 1.0;
    d->binarize = 0;
    d->threshold = 0.5;
}

/* Handles a data option; returns -1 when @p c is not one. */
static int data_option(data_opts *d, int c, const char *arg)
{
    int rc;
    switch (c) {
    case OPT_NO_LABELS:
        d->no_labels = 1;
        return 0;
    case OPT_SCALE:
        if (!strcmp(arg, "auto")) {
            d->auto_scale = 1;
            return 0;
        }
        if ((rc = cli_parse_double("scale", arg, &d->scale)))
            return rc;
        if (!(d->scale > 0))
            return cli_usage("--scale: '%s' is not positive", arg);
        d->auto_scale = 0;
        return 0;
    case OPT_BINARIZE:
        if ((rc = cli_parse_double("binarize", arg, &d->threshold)))
            return rc;
        if (!(d->threshold > 0 && d->threshold <= 1))
            return cli_usage("--binarize: '%s' is not in (0,1]", arg);
        d->binarize = 1;
        return 0;
    default:
        return -1;
    }
}

#define DATA_LONGOPTS                                        \
    {"no-labels", no_argument, NULL, OPT_NO_LABELS},         \
    {"scale", required_argument, NULL, OPT_SCALE},           \
    {"binarize", required_argument, NULL, OPT_BINARIZE}

/* A data set in [0,1], with labels when the file has them. */
typedef struct rbm_data {
    gsl_matrix *X;     /* N x D */
    long *y;           /* N labels or NULL */
    long *line;        /* file line of each row */
    const char *path;
} rbm_data;

static void rbm_data_free(rbm_data *d)
{
    if (d->X)
        gsl_matrix_free(d->X);
    free(d->y);
    free(d->line);
    memset(d, 0, sizeof *d);
}

/* Reads a CSV through the chunked reader (keeping each row's line number for
 * messages), scales, checks [0,1], binarizes.  Prints the error itself. */
static int load_data(const char *path, const data_opts *o, rbm_data *out)
{
    pmk_error err;
    pmk_csv_options co;
    pmk_csv_options_init_default(&co);
    co.label_col = o->no_labels ? -1 : 0;
    memset(out, 0, sizeof *out);
    out->path = path;
    pmk_csv_reader *rd = pmk_csv_open(path, &co, &err);
    if (!rd)
        return cli_error_pmk(&err);
    size_t D = pmk_csv_ncols(rd), N = 0, cap = 0;
    double *x = NULL;
    long *y = NULL, *line = NULL;
    int rc = PMK_EXIT_OK;
    for (;;) {
        pmk_csv_chunk ch;
        if (pmk_csv_read_chunk(rd, &ch, &err)) {
            rc = cli_error_pmk(&err);
            break;
        }
        if (ch.n == 0)
            break;
        if (N + ch.n > cap) {
            size_t nc = cap ? cap : 1024;
            while (nc < N + ch.n)
                nc *= 2;
            size_t bytes;
            if (pmk_size_mul(nc, D * sizeof(double), &bytes)) {
                rc = cli_error("%s: too many rows", path);
                break;
            }
            double *nx = realloc(x, bytes);
            long *ny = realloc(y, nc * sizeof *ny);
            long *nl = realloc(line, nc * sizeof *nl);
            if (nx)
                x = nx;
            if (ny)
                y = ny;
            if (nl)
                line = nl;
            if (!nx || !ny || !nl) {
                rc = cli_error("%s: out of memory", path);
                break;
            }
            cap = nc;
        }
        for (size_t r = 0; r < ch.n; r++) {
            const double *src = gsl_matrix_const_ptr(&ch.X.matrix, r, 0);
            memcpy(x + (N + r) * D, src, D * sizeof(double));
            y[N + r] = ch.y ? ch.y[r] : 0;
            line[N + r] = ch.first_line + (long)r;
        }
        N += ch.n;
    }
    pmk_csv_close(rd);
    if (rc == PMK_EXIT_OK && N == 0)
        rc = cli_error("%s: no data rows", path);
    if (rc != PMK_EXIT_OK) {
        free(x);
        free(y);
        free(line);
        return rc;
    }
    double scale = o->scale;
    if (o->auto_scale) {
        scale = 1.0;
        for (size_t k = 0; k < N * D; k++)
            if (x[k] > 1.0) {
                scale = 1.0 / 255.0;
                break;
            }
    }
    long col0 = o->no_labels ? 1 : 2;
    for (size_t n = 0; n < N; n++)
        for (size_t i = 0; i < D; i++) {
            double *v = &x[n * D + i];
            double s = *v * scale;
            if (!(s >= 0.0 && s <= 1.0)) {
                if (scale == 1.0)
                    cli_error("%s:%ld:%ld: value %.17g is outside [0,1]", path, line[n],
                              (long)i + col0, *v);
                else
                    cli_error("%s:%ld:%ld: value %.17g is outside [0,1] after scaling by %g",
                              path, line[n], (long)i + col0, *v, scale);
                free(x);
                free(y);
                free(line);
                return PMK_EXIT_FAIL;
            }
            *v = o->binarize ? (s >= o->threshold ? 1.0 : 0.0) : s;
        }
    out->X = gsl_matrix_alloc(N, D);
    if (!out->X) {
        free(x);
        free(y);
        free(line);
        return cli_error("%s: out of memory", path);
    }
    memcpy(out->X->data, x, N * D * sizeof(double));
    free(x);
    out->y = o->no_labels ? (free(y), NULL) : y;
    out->line = line;
    return PMK_EXIT_OK;
}

static int check_dims(const pmk_rbm *m, const rbm_data *d)
{
    if (d->X->size2 != m->d)
        return cli_error("%s: the data have %zu feature columns but the model has %zu "
                         "visible units",
                         d->path, d->X->size2, m->d);
    return PMK_EXIT_OK;
}

static int load_model(const char *path, pmk_rbm **m)
{
    pmk_error err;
    if (pmk_rbm_load(path, m, &err))
        return cli_error_pmk(&err);
    return PMK_EXIT_OK;
}

/* The side of a square image of D pixels, or 0. */
static size_t square_side(size_t d)
{
    size_t s = (size_t)llround(sqrt((double)d));
    return s * s == d ? s : 0;
}

static int write_montage(const char *path, const gsl_matrix *tiles, size_t side, size_t cols,
                         int mode)
{
    pmk_error err;
    pmk_image *img = NULL;
    if (pmk_montage(tiles, side, side, cols, mode, 0.0, 1.0, &img, &err)
        || pmk_image_write(path, img, PMK_IMAGE_AUTO, &err)) {
        pmk_image_free(img);
        return cli_error_pmk(&err);
    }
    pmk_image_free(img);
    return PMK_EXIT_OK;
}

/* Common getopt tail for the verbs. */
#define COMMON_CASES(help)                                                         \
    case 'q':                                                                      \
        cli_set_quiet(1);                                                          \
        break;                                                                     \
    case 'h':                                                                      \
        return cli_print_help(help);                                               \
    case CLI_OPT_MAX_MEMORY:                                                       \
        if ((rc = cli_set_max_memory(optarg)))                                     \
            return rc;                                                             \
        break;                                                                     \
    case ':':                                                                      \
        return cli_usage("option '%s' needs a value", argv[optind - 1]);           \
    case '?':                                                                      \
        return cli_usage("unknown option '%s'", argv[optind - 1]);

/* ---------------------------------------------------------------- train */

typedef struct train_ctx {
    const char *model_path;
    size_t checkpoint_every, epochs_total, first_epoch;
    gsl_matrix *mon;        /* up to 1,000 training rows for PL and F */
    gsl_matrix *held;       /* held-out rows, or NULL */
    pmk_rng *r;
    FILE *log;
    double t0, t_epoch;
} train_ctx;

static double mean_free_energy(const pmk_rbm *m, const gsl_matrix *V)
{
    double f;
    return pmk_rbm_mean_free_energy(m, V, &f, NULL) ? NAN : f;
}

static int train_epoch(const pmk_rbm *m, const pmk_rbm_epoch_info *info, void *vctx)
{
    train_ctx *c = vctx;
    double pl = NAN, gap = NAN;
    pmk_error err;
    if (pmk_rbm_pseudo_likelihood_1bit(m, c->mon, c->r, &pl, &err))
        pl = NAN;
    if (c->held)
        gap = mean_free_energy(m, c->held) - mean_free_energy(m, c->mon);
    double now = cli_now(), secs = now - c->t_epoch;
    c->t_epoch = now;
    cli_progress("epoch %zu/%zu  recon %.4f  pseudo-likelihood %.4f  free-energy gap %.4f  "
                 "%.2f s",
                 info->epoch, c->epochs_total, info->recon_error, pl, gap, secs);
    if (c->log) {
        fprintf(c->log, "%zu,%.17g,%.17g,%.17g,%.6f,%.6f\n", info->epoch, info->recon_error,
                pl, gap, secs, now - c->t0);
    }
    if (c->checkpoint_every && (info->epoch - c->first_epoch + 1) % c->checkpoint_every == 0
        && info->epoch < c->epochs_total) {
        if (pmk_rbm_save(m, c->model_path, &err)) {
            cli_error_pmk(&err);
            return PMK_EIO;
        }
    }
    return 0;
}

static int rbm_train(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"hidden", required_argument, NULL, 'H'},
        {"epochs", required_argument, NULL, 'e'},
        {"batch", required_argument, NULL, 'b'},
        {"lr", required_argument, NULL, OPT_LR},
        {"cd", required_argument, NULL, 'k'},
        {"persistent", no_argument, NULL, OPT_PERSISTENT},
        {"cd-ramp", no_argument, NULL, OPT_CD_RAMP},
        {"momentum", required_argument, NULL, OPT_MOMENTUM},
        {"weight-decay", required_argument, NULL, OPT_WD},
        {"seed", required_argument, NULL, OPT_SEED},
        {"resume", required_argument, NULL, OPT_RESUME},
        {"holdout", required_argument, NULL, OPT_HOLDOUT},
        {"log", required_argument, NULL, OPT_LOG},
        {"checkpoint-every", required_argument, NULL, OPT_CHECKPOINT},
        DATA_LONGOPTS,
        {"quiet", no_argument, NULL, 'q'},
        CLI_LONGOPT_MAX_MEMORY,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *resume = NULL, *logpath = NULL;
    size_t hidden = 500, checkpoint = 0;
    double holdout = 0.05;
    unsigned long seed = 0;
    int have_seed = 0, c, rc;
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    data_opts dopt;
    data_opts_init(&dopt);
    while ((c = getopt_long(argc, argv, ":o:H:e:b:k:qh", longopts, NULL)) != -1) {
        if ((rc = data_option(&dopt, c, optarg)) >= 0) {
            if (rc)
                return rc;
            continue;
        }
        switch (c) {
        case 'o': out = optarg; break;
        case 'H':
            if ((rc = cli_parse_size("hidden", optarg, &hidden)))
                return rc;
            if (hidden == 0)
                return cli_usage("--hidden: an RBM needs at least 1 hidden unit");
            if (hidden > PMK_RBM_MAX_WEIGHTS)
                return cli_usage("--hidden: %s is more than the %zu weights an RBM may have",
                                 optarg, PMK_RBM_MAX_WEIGHTS);
            break;
        case 'e':
            if ((rc = cli_parse_size("epochs", optarg, &o.epochs)))
                return rc;
            if (o.epochs == 0)
                return cli_usage("--epochs: must be at least 1");
            break;
        case 'b':
            if ((rc = cli_parse_size("batch", optarg, &o.batch)))
                return rc;
            if (o.batch == 0)
                return cli_usage("--batch: must be at least 1");
            break;
        case 'k':
            if ((rc = cli_parse_size("cd", optarg, &o.k)))
                return rc;
            if (o.k == 0)
                return cli_usage("--cd: must be at least 1");
            break;
        case OPT_LR:
            if ((rc = cli_parse_double("lr", optarg, &o.lr)))
                return rc;
            if (!(o.lr > 0))
                return cli_usage("--lr: must be positive");
            break;
        case OPT_PERSISTENT: o.persistent = 1; break;
        case OPT_CD_RAMP: o.k_ramp = 1; break;
        case OPT_MOMENTUM:
            if (!strcmp(optarg, "auto")) {
                o.momentum = -1.0;
                break;
            }
            if ((rc = cli_parse_double("momentum", optarg, &o.momentum)))
                return rc;
            if (!(o.momentum >= 0 && o.momentum < 1))
                return cli_usage("--momentum: '%s' is not in [0,1) or 'auto'", optarg);
            break;
        case OPT_WD:
            if ((rc = cli_parse_double("weight-decay", optarg, &o.weight_decay)))
                return rc;
            if (!(o.weight_decay >= 0))
                return cli_usage("--weight-decay: must be >= 0");
            break;
        case OPT_SEED:
            if ((rc = cli_parse_seed("seed", optarg, &seed)))
                return rc;
            have_seed = 1;
            break;
        case OPT_RESUME: resume = optarg; break;
        case OPT_HOLDOUT:
            if ((rc = cli_parse_double("holdout", optarg, &holdout)))
                return rc;
            if (!(holdout >= 0 && holdout < 1))
                return cli_usage("--holdout: '%s' is not in [0,1)", optarg);
            break;
        case OPT_LOG: logpath = optarg; break;
        case OPT_CHECKPOINT:
            if ((rc = cli_parse_size("checkpoint-every", optarg, &checkpoint)))
                return rc;
            break;
        COMMON_CASES(train_help)
        default:
            return cli_usage("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind >= argc)
        return cli_usage("missing DATA");
    if (optind + 1 < argc)
        return cli_usage("unexpected argument '%s'", argv[optind + 1]);
    if (!out)
        return cli_usage("missing -o MODEL");
    const char *path = argv[optind];
    const char *train_in[] = {path, resume}, *train_out[] = {out, logpath};
    if ((rc = cli_check_files(train_in, 2, train_out, 2)))
        return rc;

    rbm_data data;
    pmk_rbm *m = NULL;
    if (resume && (rc = load_model(resume, &m)))
        return rc;
    if ((rc = load_data(path, &dopt, &data))) {
        pmk_rbm_free(m);
        return rc;
    }
    if (m && (rc = check_dims(m, &data))) {
        pmk_rbm_free(m);
        rbm_data_free(&data);
        return rc;
    }
    pmk_rng *r = cli_rng(have_seed, seed);
    if (!r) {
        pmk_rbm_free(m);
        rbm_data_free(&data);
        return PMK_EXIT_FAIL;
    }
    pmk_error err;
    pmk_error_clear(&err);
    const size_t N = data.X->size1, D = data.X->size2;
    /* Held-out rows: a seeded random subset, moved to the end of X. */
    size_t nheld = (size_t)floor(holdout * (double)N);
    if (nheld >= N)
        nheld = N - 1;
    size_t ntrain = N - nheld;
    gsl_matrix *Xs = NULL, *mon = NULL, *held = NULL;
    size_t *perm = malloc(N * sizeof *perm);
    Xs = gsl_matrix_alloc(N, D);
    size_t nmon = ntrain < 1000 ? ntrain : 1000;
    mon = gsl_matrix_alloc(nmon, D);
    if (nheld)
        held = gsl_matrix_alloc(nheld, D);
    train_ctx ctx = {0};
    pmk_outfile logf = {0};
    int status = PMK_EXIT_OK;
    if (!perm || !Xs || !mon || (nheld && !held)) {
        status = cli_error("out of memory");
        goto done;
    }
    if (nheld)
        pmk_rng_permutation(r, perm, N);
    else
        for (size_t n = 0; n < N; n++)
            perm[n] = n;
    for (size_t n = 0; n < N; n++)
        memcpy(gsl_matrix_ptr(Xs, n, 0), gsl_matrix_const_ptr(data.X, perm[n], 0),
               D * sizeof(double));
    for (size_t n = 0; n < nmon; n++)
        memcpy(gsl_matrix_ptr(mon, n, 0), gsl_matrix_const_ptr(Xs, n, 0), D * sizeof(double));
    for (size_t n = 0; n < nheld; n++)
        memcpy(gsl_matrix_ptr(held, n, 0), gsl_matrix_const_ptr(Xs, ntrain + n, 0),
               D * sizeof(double));
    gsl_matrix_view train = gsl_matrix_submatrix(Xs, 0, 0, ntrain, D);
    if (!m) {
        m = pmk_rbm_alloc(D, hidden, &err);
        if (!m || pmk_rbm_init(m, &train.matrix, r, &err)) {
            status = cli_error_pmk(&err);
            goto done;
        }
    }
    if (logpath) {
        if (pmk_outfile_open(&logf, logpath, &err)) {
            status = cli_error_pmk(&err);
            goto done;
        }
        fputs("epoch,recon_error,pseudo_likelihood,free_energy_gap,seconds,elapsed\n", logf.fp);
    }
    ctx.model_path = out;
    ctx.checkpoint_every = checkpoint;
    ctx.first_epoch = m->epochs + 1;
    ctx.epochs_total = m->epochs + o.epochs;
    ctx.mon = mon;
    ctx.held = held;
    ctx.r = r;
    ctx.log = logpath ? logf.fp : NULL;
    cli_notice("%zu rows (%zu for training, %zu held out), D = %zu, H = %zu, %s%zu%s, "
               "batch %zu",
               N, ntrain, nheld, D, m->h, o.persistent ? "PCD-" : "CD-", o.k,
               o.k_ramp && o.k > 1 ? " (ramped from 1)" : "", o.batch);
    ctx.t0 = ctx.t_epoch = cli_now();
    rc = pmk_rbm_fit(m, &train.matrix, &o, r, train_epoch, &ctx, &err);
    cli_progress_done();
    if (rc) {
        status = rc == PMK_EIO && !err.msg[0] ? PMK_EXIT_FAIL : cli_error_pmk(&err);
        goto done;
    }
    /* Every write error of the log is seen before the model is replaced;
     * the log's rename follows the model's. */
    if (logpath && pmk_outfile_sync(&logf, &err)) {
        status = cli_error_pmk(&err);
        goto done;
    }
    if (pmk_rbm_save(m, out, &err)) {
        status = cli_error_pmk(&err);
        goto done;
    }
    if (logpath && pmk_outfile_commit(&logf, &err)) {
        status = cli_error_pmk(&err);
        goto done;
    }
done:
    if (logpath)
        pmk_outfile_abort(&logf);
    free(perm);
    if (Xs)
        gsl_matrix_free(Xs);
    if (mon)
        gsl_matrix_free(mon);
    if (held)
        gsl_matrix_free(held);
    pmk_rng_free(r);
    pmk_rbm_free(m);
    rbm_data_free(&data);
    return status;
}

/* ---------------------------------------------------------------- hidden */

static int rbm_hidden(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"prob", no_argument, NULL, OPT_PROB},
        {"sample", no_argument, NULL, OPT_SAMPLE},
        {"seed", required_argument, NULL, OPT_SEED},
        {"output", required_argument, NULL, 'o'},
        DATA_LONGOPTS,
        {"quiet", no_argument, NULL, 'q'},
        CLI_LONGOPT_MAX_MEMORY,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = "-";
    int sample = 0, have_seed = 0, c, rc;
    unsigned long seed = 0;
    data_opts dopt;
    data_opts_init(&dopt);
    while ((c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
        if ((rc = data_option(&dopt, c, optarg)) >= 0) {
            if (rc)
                return rc;
            continue;
        }
        switch (c) {
        case 'o': out = optarg; break;
        case OPT_PROB: sample = 0; break;
        case OPT_SAMPLE: sample = 1; break;
        case OPT_SEED:
            if ((rc = cli_parse_seed("seed", optarg, &seed)))
                return rc;
            have_seed = 1;
            break;
        COMMON_CASES(hidden_help)
        default:
            return cli_usage("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind < 2)
        return cli_usage("expected MODEL DATA");
    if (argc - optind > 2)
        return cli_usage("unexpected argument '%s'", argv[optind + 2]);
    if ((rc = cli_check_files((const char *const *)argv + optind, 2, &out, 1)))
        return rc;
    pmk_rbm *m = NULL;
    rbm_data data;
    if ((rc = load_model(argv[optind], &m)))
        return rc;
    if ((rc = load_data(argv[optind + 1], &dopt, &data)) || (rc = check_dims(m, &data))) {
        rbm_data_free(&data);
        pmk_rbm_free(m);
        return rc;
    }
    pmk_rng *r = sample ? cli_rng(have_seed, seed) : NULL;
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
    else if (pmk_csv_write(out, P, data.y, NULL, &err))
        status = cli_error_pmk(&err);
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

static int rbm_sample(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"chains", required_argument, NULL, 'n'},
        {"steps", required_argument, NULL, 's'},
        {"every", required_argument, NULL, OPT_EVERY},
        {"init", required_argument, NULL, OPT_INIT},
        {"seed", required_argument, NULL, OPT_SEED},
        DATA_LONGOPTS,
        {"quiet", no_argument, NULL, 'q'},
        CLI_LONGOPT_MAX_MEMORY,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *init = "random";
    size_t chains = 10, steps = 1000, every = 0;
    int have_seed = 0, c, rc;
    unsigned long seed = 0;
    data_opts dopt;
    data_opts_init(&dopt);
    while ((c = getopt_long(argc, argv, ":o:n:s:qh", longopts, NULL)) != -1) {
        if ((rc = data_option(&dopt, c, optarg)) >= 0) {
            if (rc)
                return rc;
            continue;
        }
        switch (c) {
        case 'o': out = optarg; break;
        case 'n':
            if ((rc = cli_parse_size("chains", optarg, &chains)))
                return rc;
            if (chains == 0)
                return cli_usage("--chains: must be at least 1");
            break;
        case 's':
            if ((rc = cli_parse_size("steps", optarg, &steps)))
                return rc;
            if (steps == 0)
                return cli_usage("--steps: must be at least 1");
            break;
        case OPT_EVERY:
            if ((rc = cli_parse_size("every", optarg, &every)))
                return rc;
            if (every == 0)
                return cli_usage("--every: must be at least 1");
            break;
        case OPT_INIT:
            if (strcmp(optarg, "random") && strncmp(optarg, "data:", 5))
                return cli_usage("--init: '%s' is neither 'random' nor 'data:FILE'", optarg);
            init = optarg;
            break;
        case OPT_SEED:
            if ((rc = cli_parse_seed("seed", optarg, &seed)))
                return rc;
            have_seed = 1;
            break;
        COMMON_CASES(sample_help)
        default:
            return cli_usage("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind < 1)
        return cli_usage("missing MODEL");
    if (argc - optind > 1)
        return cli_usage("unexpected argument '%s'", argv[optind + 1]);
    if (!out)
        return cli_usage("missing -o OUT.png or OUT.csv");
    int png = has_ext(out, ".png") || has_ext(out, ".pgm");
    if (!png && !has_ext(out, ".csv") && strcmp(out, "-"))
        return cli_usage("-o: '%s' must end in .png, .pgm or .csv", out);
    if (!every)
        every = steps / 10 ? steps / 10 : 1;
    const char *sample_in[] = {argv[optind], strncmp(init, "data:", 5) ? NULL : init + 5};
    if ((rc = cli_check_files(sample_in, 2, &out, 1)))
        return rc;
    pmk_rbm *m = NULL;
    if ((rc = load_model(argv[optind], &m)))
        return rc;
    size_t side = square_side(m->d);
    if (png && !side) {
        rc = cli_error("%s: %zu visible units are not a square image; write a .csv",
                       argv[optind], m->d);
        pmk_rbm_free(m);   /* after the message, which reads m->d */
        return rc;
    }
    size_t nsnap = steps / every;
    /* V, the means and the snapshots: 8 D chains (2 + snapshots) bytes, and
     * a label a snapshot row; sized by the options, so checked first. */
    {
        pmk_error merr;
        unsigned long long rows = 2 + (unsigned long long)nsnap, per = 8ull * m->d + 8;
        unsigned long long need = chains > ULLONG_MAX / rows ? ULLONG_MAX : chains * rows;
        need = need > ULLONG_MAX / per ? ULLONG_MAX : need * per;
        char what[96];
        snprintf(what, sizeof what, "%zu chains with %zu snapshots", chains, nsnap);
        if (pmk_mem_check(NULL, 0, 0, need, what, &merr)) {
            pmk_rbm_free(m);
            return cli_error_pmk(&merr);
        }
    }
    pmk_rng *r = cli_rng(have_seed, seed);
    gsl_matrix *V = gsl_matrix_alloc(chains, m->d), *mean = gsl_matrix_alloc(chains, m->d);
    gsl_matrix *snaps = nsnap ? gsl_matrix_alloc(nsnap * chains, m->d) : NULL;
    long *lab = malloc((nsnap ? nsnap : 1) * chains * sizeof *lab);
    int status = PMK_EXIT_OK;
    pmk_error err;
    if (!r) {
        status = PMK_EXIT_FAIL;
        goto done;
    }
    if (!V || !mean || (nsnap && !snaps) || !lab) {
        status = cli_error("out of memory");
        goto done;
    }
    if (!strncmp(init, "data:", 5)) {
        rbm_data data;
        if ((rc = load_data(init + 5, &dopt, &data))) {
            status = rc;
            goto done;
        }
        if ((rc = check_dims(m, &data)) == PMK_EXIT_OK && data.X->size1 < chains)
            rc = cli_error("%s: %zu rows, fewer than the %zu chains", init + 5, data.X->size1,
                           chains);
        if (rc == PMK_EXIT_OK) {
            gsl_matrix_view top = gsl_matrix_submatrix(data.X, 0, 0, chains, m->d);
            gsl_matrix_memcpy(V, &top.matrix);
        }
        rbm_data_free(&data);
        if (rc) {
            status = rc;
            goto done;
        }
    } else {
        for (size_t k = 0; k < chains * m->d; k++)
            V->data[k] = pmk_rng_uniform(r) < 0.5 ? 1.0 : 0.0;
    }
    for (size_t s = 0; s < nsnap; s++) {
        if (pmk_rbm_gibbs(m, V, every, mean, r, &err)) {
            status = cli_error_pmk(&err);
            goto done;
        }
        gsl_matrix_view dst = gsl_matrix_submatrix(snaps, s * chains, 0, chains, m->d);
        gsl_matrix_memcpy(&dst.matrix, mean);
        for (size_t k = 0; k < chains; k++)
            lab[s * chains + k] = (long)((s + 1) * every);
    }
    if (!nsnap) {
        status = cli_error("no snapshot: --every %zu exceeds --steps %zu", every, steps);
        goto done;
    }
    if (png)
        status = write_montage(out, snaps, side, chains, PMK_MONTAGE_RANGE);
    else if (pmk_csv_write(out, snaps, lab, NULL, &err))
        status = cli_error_pmk(&err);
done:
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

static int rbm_eval(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"exact", no_argument, NULL, OPT_EXACT},
        {"ais", no_argument, NULL, OPT_AIS},
        {"ais-runs", required_argument, NULL, OPT_AIS_RUNS},
        {"ais-betas", required_argument, NULL, OPT_AIS_BETAS},
        {"seed", required_argument, NULL, OPT_SEED},
        {"json", no_argument, NULL, OPT_JSON},
        DATA_LONGOPTS,
        {"quiet", no_argument, NULL, 'q'},
        CLI_LONGOPT_MAX_MEMORY,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int exact = 0, ais = 0, json = 0, have_seed = 0, c, rc;
    unsigned long seed = 0;
    pmk_rbm_ais_options ao;
    pmk_rbm_ais_options_init_default(&ao);
    data_opts dopt;
    data_opts_init(&dopt);
    while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        if ((rc = data_option(&dopt, c, optarg)) >= 0) {
            if (rc)
                return rc;
            continue;
        }
        switch (c) {
        case OPT_EXACT: exact = 1; break;
        case OPT_AIS: ais = 1; break;
        case OPT_AIS_RUNS:
            if ((rc = cli_parse_size("ais-runs", optarg, &ao.runs)))
                return rc;
            if (ao.runs < 2)
                return cli_usage("--ais-runs: must be at least 2");
            break;
        case OPT_AIS_BETAS: {
            double *v;
            size_t n;
            if ((rc = cli_parse_double_list("ais-betas", optarg, &v, &n)))
                return rc;
            int ok = n == 3;
            for (size_t k = 0; k < n && ok; k++)
                ok = v[k] >= 0 && v[k] <= 1e7 && v[k] == floor(v[k]);
            if (ok) {
                for (size_t k = 0; k < 3; k++)
                    ao.n_betas[k] = (size_t)v[k];
                ok = ao.n_betas[0] + ao.n_betas[1] + ao.n_betas[2] > 0;
            }
            free(v);
            if (!ok)
                return cli_usage("--ais-betas: '%s' is not three counts A,B,C (not all 0)",
                                 optarg);
            break;
        }
        case OPT_SEED:
            if ((rc = cli_parse_seed("seed", optarg, &seed)))
                return rc;
            have_seed = 1;
            break;
        case OPT_JSON: json = 1; break;
        COMMON_CASES(eval_help)
        default:
            return cli_usage("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind < 2)
        return cli_usage("expected MODEL DATA");
    if (argc - optind > 2)
        return cli_usage("unexpected argument '%s'", argv[optind + 2]);
    if (exact && ais)
        return cli_usage("--exact and --ais exclude each other");
    const char *mpath = argv[optind];
    pmk_rbm *m = NULL;
    rbm_data data;
    if ((rc = load_model(mpath, &m)))
        return rc;
    if ((rc = load_data(argv[optind + 1], &dopt, &data)) || (rc = check_dims(m, &data))) {
        rbm_data_free(&data);
        pmk_rbm_free(m);
        return rc;
    }
    pmk_error err;
    int status = PMK_EXIT_OK;
    double recon = NAN, pl = NAN, pl1 = NAN, mfe = NAN, log_z = NAN, lo = NAN, hi = NAN;
    const size_t N = data.X->size1;
    pmk_rng *r = cli_rng(have_seed, seed);
    pmk_rbm_ais_result res;
    if (!r) {
        status = PMK_EXIT_FAIL;
        goto done;
    }
    if (exact && pmk_rbm_log_z_exact(m, &log_z, &err)) {
        status = cli_error("%s: %s%s", mpath, err.msg, err.code == PMK_ELIMIT ? " (--ais)" : "");
        goto done;
    }
    if (pmk_rbm_recon_error(m, data.X, r, &recon, &err)
        || pmk_rbm_pseudo_likelihood(m, data.X, &pl, &err)
        || pmk_rbm_pseudo_likelihood_1bit(m, data.X, r, &pl1, &err)) {
        status = cli_error_pmk(&err);
        goto done;
    }
    if (pmk_rbm_mean_free_energy(m, data.X, &mfe, &err)) {
        status = cli_error_pmk(&err);
        goto done;
    }
    if (ais) {
        if (pmk_rbm_log_z_ais(m, data.X, &ao, r, &res, &err)) {
            status = cli_error_pmk(&err);
            goto done;
        }
        log_z = res.log_z;
        lo = res.log_z_lo;
        hi = res.log_z_hi;
    }
    double lp = -mfe - log_z;
    if (json) {
        printf("{\"n\": %zu, \"recon_error\": ", N);
        cli_json_double(stdout, recon);
        fputs(", \"pseudo_likelihood\": ", stdout);
        cli_json_double(stdout, pl);
        fputs(", \"pseudo_likelihood_1bit\": ", stdout);
        cli_json_double(stdout, pl1);
        fputs(", \"mean_free_energy\": ", stdout);
        cli_json_double(stdout, mfe);
        fputs(", \"log_z_method\": ", stdout);
        cli_json_string(stdout, exact ? "exact" : ais ? "ais" : "none");
        fputs(", \"log_z\": ", stdout);
        cli_json_double(stdout, log_z);
        if (ais) {
            fputs(", \"log_z_lo\": ", stdout);
            cli_json_double(stdout, lo);
            fputs(", \"log_z_hi\": ", stdout);
            cli_json_double(stdout, hi);
            printf(", \"ais_runs\": %zu, \"ais_steps\": %zu", res.runs, res.steps);
        }
        fputs(", \"mean_log_prob\": ", stdout);
        cli_json_double(stdout, lp);
        fputs("}\n", stdout);
    } else {
        printf("rows                       %zu\n", N);
        printf("reconstruction error       %.6f\n", recon);
        printf("pseudo-likelihood (exact)  %.6f\n", pl);
        printf("pseudo-likelihood (1 bit)  %.6f\n", pl1);
        printf("mean free energy           %.6f\n", mfe);
        if (exact) {
            printf("log Z (exact)              %.6f\n", log_z);
        } else if (ais) {
            char label[64];
            snprintf(label, sizeof label, "log Z (AIS, %zu runs)", res.runs);
            printf("%-27s%.6f  (+-3 sigma: %.6f .. %.6f)\n", label, log_z, lo, hi);
        }
        if (exact || ais)
            printf("mean log p(v)              %.6f\n", lp);
    }
done:
    pmk_rng_free(r);
    pmk_rbm_free(m);
    rbm_data_free(&data);
    return status;
}

/* ---------------------------------------------------------------- filters */

static int rbm_filters(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"output", required_argument, NULL, 'o'},
        {"count", required_argument, NULL, OPT_COUNT},
        {"cols", required_argument, NULL, OPT_COLS},
        {"quiet", no_argument, NULL, 'q'},
        CLI_LONGOPT_MAX_MEMORY,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    size_t count = 0, cols = 0;
    int c, rc;
    while ((c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case OPT_COUNT:
            if ((rc = cli_parse_size("count", optarg, &count)))
                return rc;
            if (count == 0)
                return cli_usage("--count: must be at least 1");
            break;
        case OPT_COLS:
            if ((rc = cli_parse_size("cols", optarg, &cols)))
                return rc;
            if (cols == 0)
                return cli_usage("--cols: must be at least 1");
            break;
        COMMON_CASES(filters_help)
        default:
            return cli_usage("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind < 1)
        return cli_usage("missing MODEL");
    if (argc - optind > 1)
        return cli_usage("unexpected argument '%s'", argv[optind + 1]);
    if (!out)
        return cli_usage("missing -o FILTERS.png");
    if ((rc = cli_check_image_output(out))
        || (rc = cli_check_files((const char *const *)argv + optind, 1, &out, 1)))
        return rc;
    pmk_rbm *m = NULL;
    if ((rc = load_model(argv[optind], &m)))
        return rc;
    size_t side = square_side(m->d);
    if (!side) {
        rc = cli_error("%s: %zu visible units are not a square image", argv[optind], m->d);
        pmk_rbm_free(m);   /* after the message, which reads m->d */
        return rc;
    }
    if (!count || count > m->h)
        count = m->h;
    if (!cols)
        cols = (size_t)ceil(sqrt((double)count));
    gsl_matrix *T = gsl_matrix_alloc(count, m->d);
    if (!T) {
        pmk_rbm_free(m);
        return cli_error("out of memory");
    }
    for (size_t j = 0; j < count; j++)
        for (size_t i = 0; i < m->d; i++)
            gsl_matrix_set(T, j, i, gsl_matrix_get(m->W, i, j));
    rc = write_montage(out, T, side, cols, PMK_MONTAGE_TILE);
    gsl_matrix_free(T);
    pmk_rbm_free(m);
    return rc;
}

/* ---------------------------------------------------------------- export */

static int rbm_export(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"quiet", no_argument, NULL, 'q'},
        CLI_LONGOPT_MAX_MEMORY,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c, rc;
    while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        switch (c) {
        COMMON_CASES(export_help)
        default:
            return cli_usage("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 2)
        return argc - optind < 2 ? cli_usage("expected MODEL DIR")
                                 : cli_usage("unexpected argument '%s'", argv[optind + 2]);
    const char *dir = argv[optind + 1];
    static const char *const names[3] = {"W.csv", "b.csv", "a.csv"};
    char path[3][4096];
    const char *outs[3];
    for (size_t k = 0; k < 3; k++) {
        snprintf(path[k], sizeof path[k], "%s/%s", dir, names[k]);
        outs[k] = path[k];
    }
    if ((rc = cli_check_files((const char *const *)argv + optind, 1, outs, 3)))
        return rc;
    pmk_rbm *m = NULL;
    if ((rc = load_model(argv[optind], &m)))
        return rc;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        pmk_rbm_free(m);
        return cli_error("%s: cannot create folder: %s", dir, strerror(errno));
    }
    pmk_error err;
    gsl_matrix_view b = gsl_matrix_view_vector(m->b, m->d, 1);
    gsl_matrix_view a = gsl_matrix_view_vector(m->a, m->h, 1);
    const gsl_matrix *files[3] = {m->W, &b.matrix, &a.matrix};
    int status = PMK_EXIT_OK;
    cli_outset set = {0}; /* the three files change together or not at all */
    for (size_t k = 0; k < 3 && status == PMK_EXIT_OK; k++) {
        const char *w = cli_outset_add(&set, path[k]);
        if (!w)
            status = PMK_EXIT_FAIL;
        else if (pmk_csv_write(w, files[k], NULL, NULL, &err))
            status = cli_outset_error(&set, &err);
    }
    if (status == PMK_EXIT_OK)
        status = cli_outset_commit(&set) ? PMK_EXIT_FAIL : PMK_EXIT_OK;
    else
        cli_outset_abort(&set);
    pmk_rbm_free(m);
    return status;
}

/* ---------------------------------------------------------------- dispatch */

int cli_rbm(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(int, char **);
    } verbs[] = {
        {"train", rbm_train},   {"hidden", rbm_hidden},   {"sample", rbm_sample},
        {"eval", rbm_eval},     {"filters", rbm_filters}, {"export", rbm_export},
    };
    if (argc < 2) {
        fputs(rbm_help, stderr);
        return PMK_EXIT_USAGE;
    }
    const char *verb = argv[1];
    if (!strcmp(verb, "-h") || !strcmp(verb, "--help") || !strcmp(verb, "help"))
        return cli_print_help(rbm_help);
    for (size_t v = 0; v < sizeof verbs / sizeof verbs[0]; v++) {
        if (!strcmp(verb, verbs[v].name)) {
            char name[64];
            snprintf(name, sizeof name, "rbm %s", verb);
            cli_set_command(name);
            optind = 1;
            opterr = 0;
            return verbs[v].run(argc - 1, argv + 1);
        }
    }
    return cli_usage("unknown verb '%s' (verbs: train, hidden, sample, eval, filters, export)",
                     verb);
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
    data_opts dopt;
    data_opts_init(&dopt);
    rbm_data data;
    int rc = load_data(path, &dopt, &data);
    if (rc)
        return rc;
    const size_t N = data.X->size1 < 2000 ? data.X->size1 : 2000, H = 64, D = data.X->size2;
    size_t side = square_side(D);
    gsl_matrix_view Xv = gsl_matrix_submatrix(data.X, 0, 0, N, D);
    pmk_error err;
    pmk_rng *r = pmk_rng_alloc(NULL, seed);
    pmk_rbm *m = pmk_rbm_alloc(D, H, &err);
    gsl_matrix *T = gsl_matrix_alloc(H, D), *V = gsl_matrix_alloc(10, D);
    gsl_matrix *row = gsl_matrix_alloc(11, D), *Hs = gsl_matrix_alloc(10, H);
    gsl_matrix *snaps = gsl_matrix_alloc(50, D), *mean = gsl_matrix_alloc(10, D);
    int status = PMK_EXIT_OK;
    if (!r || !m || !T || !V || !row || !Hs || !snaps || !mean) {
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
    /* filters */
    for (size_t j = 0; j < H; j++)
        for (size_t i = 0; i < D; i++)
            gsl_matrix_set(T, j, i, gsl_matrix_get(m->W, i, j));
    snprintf(out, sizeof out, "%s/rbm-filters.png", outdir);
    if ((status = write_montage(out, T, side, 8, PMK_MONTAGE_TILE)))
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
    if ((status = write_montage(out, row, side, 11, PMK_MONTAGE_RANGE)))
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
    if ((status = write_montage(out, snaps, side, 10, PMK_MONTAGE_RANGE)))
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
