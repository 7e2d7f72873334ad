/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* ising.c: `pmk ising`: denoise a binary image under the Ising model (ICM,
 * anneal, mean field, exact min-cut), add noise to an image, print E(x, y);
 * and the Ising part of `pmk demo`. */
#include "config.h"

#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char ising_help[] =
    "Usage: pmk ising <verb> [options] ARGS\n"
    "\n"
    "Ising-MRF denoising of binary images (Bishop, PRML 8.3.3):\n"
    "  E(x, y) = h sum x_i - beta sum_<ij> x_i x_j - eta sum x_i y_i,  PBM black = +1.\n"
    "\n"
    "Verbs:\n"
    "  denoise NOISY -o OUT       restore an image (ICM, anneal, meanfield, mincut)\n"
    "  noise CLEAN -o NOISY       flip pixels, or add Gaussian noise to a grey image\n"
    "  energy IMAGE --observed Y  print E(IMAGE, Y)\n"
    "\n"
    "Run 'pmk ising <verb> --help' for a verb's options.\n";

static const char denoise_help[] =
    "Usage: pmk ising denoise [options] NOISY -o OUT\n"
    "\n"
    "Restores the binary image NOISY (PBM, PGM or PNG, possibly gzipped; '-' reads\n"
    "stdin) under the Ising model and writes it to OUT (format from the extension:\n"
    ".pbm, .pgm, .png).\n"
    "\n"
    "Model:\n"
    "      --beta B          coupling between neighbours [1]\n"
    "      --eta E           coupling to the observed image [2.1]\n"
    "      --h H             bias (h > 0 favours white) [0]\n"
    "      --neighbours N    4 or 8 [4]\n"
    "\n"
    "Method:\n"
    "  -m, --method M        icm, anneal, meanfield or mincut (exact MAP, beta >= 0) [icm]\n"
    "      --order O         sweep order: raster, random or checkerboard [raster]\n"
    "      --max-sweeps N    icm, meanfield: at most N sweeps [icm 100,\n"
    "                        meanfield 1000: its means settle slowly]\n"
    "      --t0 T            anneal: start temperature [4]\n"
    "      --t-factor F      anneal: temperature factor per sweep [0.9]\n"
    "      --anneal-sweeps N anneal: sweeps [100]\n"
    "      --damping D       meanfield: damping in (0, 1] [0.5]\n"
    "      --tol T           meanfield: stop when no mean moves by T [1e-6]\n"
    "      --seed S          seed for anneal and the random order [GSL_RNG_SEED or 0]\n"
    "\n"
    "Input and output:\n"
    "  -o, --output OUT      the restored image (required)\n"
    "      --threshold T     binarise a grey input: black where level < T * maxval\n"
    "      --truth CLEAN     report the error rate against this clean image\n"
    "      --trace FILE      write one CSV row per sweep (sweep,changed,energy,...)\n"
    "      --json            print the figures as one JSON object\n"
    "  -q, --quiet           no progress on stderr\n"
    "      --max-memory SIZE refuse inputs needing more memory: bytes, with an\n"
    "                        optional k, M, G or T [PMK_MAX_MEMORY, else RAM]\n"
    "  -h, --help            show this help and exit\n";

static const char noise_help[] =
    "Usage: pmk ising noise [options] CLEAN -o NOISY\n"
    "\n"
    "Binary image: flips exactly round(P * pixels) distinct pixels chosen uniformly.\n"
    "Grey image: adds Gaussian noise of standard deviation SIGMA * maxval to every\n"
    "level, rounded and clipped to 0..maxval.\n"
    "\n"
    "Options:\n"
    "      --flip P          fraction of pixels to flip, 0 <= P <= 1 (binary images)\n"
    "      --gauss SIGMA     noise level as a fraction of maxval (grey images)\n"
    "      --threshold T     binarise a grey input first (then --flip applies)\n"
    "      --seed S          seed [GSL_RNG_SEED or 0]\n"
    "  -o, --output NOISY    the noisy image (required)\n"
    "  -q, --quiet           no notices on stderr\n"
    "      --max-memory SIZE refuse inputs needing more memory: bytes, with an\n"
    "                        optional k, M, G or T [PMK_MAX_MEMORY, else RAM]\n"
    "  -h, --help            show this help and exit\n";

static const char energy_help[] =
    "Usage: pmk ising energy [options] IMAGE --observed Y\n"
    "\n"
    "Prints E(IMAGE, Y) = h sum x_i - beta sum_<ij> x_i x_j - eta sum x_i y_i.\n"
    "\n"
    "Options:\n"
    "      --observed Y      the observed image y (required)\n"
    "      --beta B          [1]\n"
    "      --eta E           [2.1]\n"
    "      --h H             [0]\n"
    "      --neighbours N    4 or 8 [4]\n"
    "      --threshold T     binarise grey inputs: black where level < T * maxval\n"
    "      --json            print {\"energy\": ...}, the three sums sum_x, sum_pairs\n"
    "                        (neighbour pairs, each once) and sum_xy, and the parameters\n"
    "      --max-memory SIZE refuse inputs needing more memory: bytes, with an\n"
    "                        optional k, M, G or T [PMK_MAX_MEMORY, else RAM]\n"
    "  -h, --help            show this help and exit\n";

/* ------------------------------------------------------------------ helpers */

/* Reads PATH as a binary image, thresholding a grey one when threshold > 0. */
static int read_binary(const char *path, double threshold, pmk_image **out)
{
    pmk_error err;
    pmk_error_clear(&err);
    pmk_image *img = NULL;
    if (pmk_image_read(path, &img, &err) != PMK_OK)
        return cli_error_pmk(&err);
    if (!img->binary) {
        if (!(threshold > 0)) {
            unsigned mv = img->maxval;
            pmk_image_free(img);
            return cli_error("%s: grey image (maxval %u): give --threshold T to binarise it", path,
                             mv);
        }
        pmk_image *b = NULL;
        int rc = pmk_image_threshold(img, threshold, &b, &err);
        pmk_image_free(img);
        if (rc != PMK_OK)
            return cli_error_pmk(&err);
        img = b;
    }
    *out = img;
    return PMK_EXIT_OK;
}

static int8_t *spins_of(const pmk_image *img)
{
    size_t W = img->width, H = img->height;
    int8_t *s = malloc(W * H);
    if (!s)
        return NULL;
    for (size_t r = 0; r < H; r++)
        for (size_t c = 0; c < W; c++)
            s[r * W + c] = gsl_matrix_get(img->pix, r, c) > 0 ? 1 : -1;
    return s;
}

static void spins_to(pmk_image *img, const int8_t *s)
{
    size_t W = img->width, H = img->height;
    for (size_t r = 0; r < H; r++)
        for (size_t c = 0; c < W; c++)
            gsl_matrix_set(img->pix, r, c, s[r * W + c]);
}

static size_t count_diff(const int8_t *a, const int8_t *b, size_t n)
{
    size_t d = 0;
    for (size_t i = 0; i < n; i++)
        d += a[i] != b[i];
    return d;
}

static const char *method_names[] = {"icm", "anneal", "meanfield", "mincut"};
static const char *order_names[] = {"raster", "random", "checkerboard"};

static int parse_name(const char *opt, const char *s, const char *const *names, int n, int *out)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(s, names[i])) {
            *out = i;
            return 0;
        }
    if (n == 3)
        return cli_usage("--%s: '%s' is not one of %s, %s, %s", opt, s, names[0], names[1],
                         names[2]);
    return cli_usage("--%s: '%s' is not one of %s, %s, %s, %s", opt, s, names[0], names[1],
                     names[2], names[3]);
}

static int parse_neighbours(const char *s, int *out)
{
    if (!strcmp(s, "4") || !strcmp(s, "8")) {
        *out = atoi(s);
        return 0;
    }
    return cli_usage("--neighbours: '%s' is not 4 or 8", s);
}

static int parse_threshold(const char *s, double *t)
{
    int rc = cli_parse_double("threshold", s, t);
    if (rc)
        return rc;
    if (!(*t > 0 && *t <= 1))
        return cli_usage("--threshold: %s is not in (0, 1]", s);
    return 0;
}

static int write_image(const char *path, const pmk_image *img)
{
    pmk_error err;
    pmk_error_clear(&err);
    if (pmk_image_write(path, img, PMK_IMAGE_AUTO, &err) != PMK_OK)
        return cli_error_pmk(&err);
    return PMK_EXIT_OK;
}

/* The trace CSV: sweep,changed,energy[,error][,temperature | ,free_energy];
 * error (a fraction of the n pixels) when a truth image was given.  Written
 * and synced into @p of, left for the caller to commit once the image is
 * written, so that a trace that cannot be written leaves the image alone. */
static int write_trace(const char *path, pmk_ising_method method, const pmk_ising_result *res,
                       int with_error, size_t n, pmk_outfile *of_out)
{
    pmk_outfile of;
    pmk_error err;
    pmk_error_clear(&err);
    if (pmk_outfile_open(&of, path, &err) != PMK_OK)
        return cli_error_pmk(&err);
    fputs("sweep,changed,energy", of.fp);
    if (with_error)
        fputs(",error", of.fp);
    if (method == PMK_ISING_ANNEAL)
        fputs(",temperature", of.fp);
    else if (method == PMK_ISING_MEANFIELD)
        fputs(",free_energy", of.fp);
    fputc('\n', of.fp);
    for (size_t k = 0; k < res->ntrace; k++) {
        const pmk_ising_sweep *s = &res->trace[k];
        fprintf(of.fp, "%zu,%zu,%.17g", s->sweep, s->changed, s->energy);
        if (with_error)
            fprintf(of.fp, ",%.17g", (double)s->errors / (double)n);
        if (method == PMK_ISING_ANNEAL)
            fprintf(of.fp, ",%.17g", s->temperature);
        else if (method == PMK_ISING_MEANFIELD)
            fprintf(of.fp, ",%.17g", s->free_energy);
        fputc('\n', of.fp);
    }
    if (pmk_outfile_sync(&of, &err) != PMK_OK)
        return cli_error_pmk(&err);
    *of_out = of;
    return PMK_EXIT_OK;
}

/* ------------------------------------------------------------------ denoise */

/* Progress on stderr after each sweep (silenced by -q). */
static int progress_sweep(const pmk_ising_sweep *s, void *arg)
{
    const pmk_ising_options *o = arg;
    size_t total = o->method == PMK_ISING_ANNEAL ? o->anneal_sweeps : o->max_sweeps;
    cli_progress("sweep %zu/%zu: changed %zu, energy %.10g", s->sweep, total, s->changed,
                 s->energy);
    return 0;
}

enum {
    OPT_BETA = 256, OPT_ETA, OPT_H, OPT_NEIGH, OPT_ORDER, OPT_MAXSW, OPT_T0, OPT_TFAC,
    OPT_ASW, OPT_DAMP, OPT_TOL, OPT_SEED, OPT_THRESH, OPT_TRUTH, OPT_TRACE, OPT_JSON,
    OPT_FLIP, OPT_GAUSS, OPT_OBS
};

static int cmd_denoise(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"beta", required_argument, NULL, OPT_BETA},
        {"eta", required_argument, NULL, OPT_ETA},
        {"h", required_argument, NULL, OPT_H},
        {"neighbours", required_argument, NULL, OPT_NEIGH},
        {"neighbors", required_argument, NULL, OPT_NEIGH},
        {"method", required_argument, NULL, 'm'},
        {"order", required_argument, NULL, OPT_ORDER},
        {"max-sweeps", required_argument, NULL, OPT_MAXSW},
        {"t0", required_argument, NULL, OPT_T0},
        {"t-factor", required_argument, NULL, OPT_TFAC},
        {"anneal-sweeps", required_argument, NULL, OPT_ASW},
        {"damping", required_argument, NULL, OPT_DAMP},
        {"tol", required_argument, NULL, OPT_TOL},
        {"seed", required_argument, NULL, OPT_SEED},
        {"output", required_argument, NULL, 'o'},
        {"threshold", required_argument, NULL, OPT_THRESH},
        {"truth", required_argument, NULL, OPT_TRUTH},
        {"trace", required_argument, NULL, OPT_TRACE},
        {"json", no_argument, NULL, OPT_JSON},
        {"quiet", no_argument, NULL, 'q'},
        CLI_LONGOPT_MAX_MEMORY,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    pmk_ising_params p;
    pmk_ising_options o;
    pmk_ising_params_init_default(&p);
    pmk_ising_options_init_default(&o);
    const char *out = NULL, *truth = NULL, *trace = NULL;
    double threshold = 0;
    int json = 0, have_seed = 0, have_max_sweeps = 0, c, rc, v = 0;
    unsigned long seed = 0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":m:o:qh", longopts, NULL)) != -1) {
        rc = 0;
        switch (c) {
        case OPT_BETA: rc = cli_parse_double("beta", optarg, &p.beta); break;
        case OPT_ETA: rc = cli_parse_double("eta", optarg, &p.eta); break;
        case OPT_H: rc = cli_parse_double("h", optarg, &p.h); break;
        case OPT_NEIGH: rc = parse_neighbours(optarg, &p.neighbours); break;
        case 'm':
            if (!(rc = parse_name("method", optarg, method_names, 4, &v)))
                o.method = (pmk_ising_method)v;
            break;
        case OPT_ORDER:
            if (!(rc = parse_name("order", optarg, order_names, 3, &v)))
                o.order = (pmk_ising_order)v;
            break;
        case OPT_MAXSW:
            rc = cli_parse_size("max-sweeps", optarg, &o.max_sweeps);
            have_max_sweeps = 1;
            break;
        case OPT_T0: rc = cli_parse_double("t0", optarg, &o.t0); break;
        case OPT_TFAC: rc = cli_parse_double("t-factor", optarg, &o.t_factor); break;
        case OPT_ASW: rc = cli_parse_size("anneal-sweeps", optarg, &o.anneal_sweeps); break;
        case OPT_DAMP: rc = cli_parse_double("damping", optarg, &o.damping); break;
        case OPT_TOL: rc = cli_parse_double("tol", optarg, &o.tol); break;
        case OPT_SEED:
            rc = cli_parse_seed("seed", optarg, &seed);
            have_seed = 1;
            break;
        case 'o': out = optarg; break;
        case OPT_THRESH: rc = parse_threshold(optarg, &threshold); break;
        case OPT_TRUTH: truth = optarg; break;
        case OPT_TRACE: trace = optarg; break;
        case OPT_JSON: json = 1; break;
        case 'q': cli_set_quiet(1); break;
        case 'h': return cli_print_help(denoise_help);
        case CLI_OPT_MAX_MEMORY: rc = cli_set_max_memory(optarg); break;
        case ':': return cli_usage("option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage("unknown option '%s'", argv[optind - 1]);
        }
        if (rc)
            return rc;
    }
    /* Damped mean field needs a few hundred sweeps to meet --tol on the horse
     * (698 at damping 0.5); ICM stops within a handful. */
    if (!have_max_sweeps && o.method == PMK_ISING_MEANFIELD)
        o.max_sweeps = 1000;
    if (optind >= argc)
        return cli_usage("missing the noisy image");
    if (optind + 1 < argc)
        return cli_usage("unexpected argument '%s'", argv[optind + 1]);
    if (!out)
        return cli_usage("missing -o OUT");
    const char *in = argv[optind];
    const char *den_in[] = {in, truth}, *den_out[] = {out, trace};
    if ((rc = cli_check_files(den_in, 2, den_out, 2)))
        return rc;
    pmk_error err;
    pmk_error_clear(&err);
    if (pmk_ising_params_check(&p, &err) || pmk_ising_options_check(&o, &err))
        return cli_usage("%s", err.msg);
    if (o.method == PMK_ISING_MINCUT && p.beta < 0)
        return cli_usage("--method mincut needs --beta >= 0 (beta %g makes the energy "
                         "non-submodular); use icm, anneal or meanfield",
                         p.beta);
    if ((rc = cli_check_image_output(out)))
        return rc;

    pmk_image *img = NULL, *clean = NULL;
    int8_t *y = NULL, *x = NULL, *t = NULL;
    pmk_rng *rng = NULL;
    pmk_ising_result res;
    memset(&res, 0, sizeof res);
    pmk_outfile tracef = {NULL, NULL, NULL};
    int status = PMK_EXIT_OK;
    if ((status = read_binary(in, threshold, &img)))
        goto done;
    if (truth) {
        if ((status = read_binary(truth, threshold, &clean)))
            goto done;
        if (clean->width != img->width || clean->height != img->height) {
            status = cli_error("%s is %zux%zu but %s is %zux%zu", truth, clean->width,
                               clean->height, in, img->width, img->height);
            goto done;
        }
    }
    size_t W = img->width, H = img->height, n = W * H;
    /* Parameters that overflow the energy on this image are a usage error. */
    if (pmk_ising_params_check_size(&p, W, H, &err) != PMK_OK) {
        status = cli_usage("%s", err.msg);
        goto done;
    }
    y = spins_of(img);
    x = malloc(n);
    if (clean)
        t = spins_of(clean);
    if (!y || !x || (clean && !t)) {
        status = cli_error("out of memory for %zux%zu pixels", W, H);
        goto done;
    }
    if (o.method == PMK_ISING_ANNEAL || o.order == PMK_ISING_RANDOM) {
        if (!(rng = cli_rng(have_seed, seed))) {
            status = PMK_EXIT_FAIL;
            goto done;
        }
    }
    o.truth = t;
    o.on_sweep = progress_sweep;
    o.on_sweep_arg = &o;
    double t0 = cli_now();
    if (pmk_ising_denoise(&p, &o, W, H, y, x, rng, &res, &err) != PMK_OK) {
        status = cli_error_pmk(&err);
        goto done;
    }
    double secs = cli_now() - t0;
    cli_progress_done();
    spins_to(img, x);
    if (trace && (status = write_trace(trace, o.method, &res, t != NULL, n, &tracef)))
        goto done;
    if ((status = write_image(out, img)))
        goto done;
    if (trace && pmk_outfile_commit(&tracef, &err) != PMK_OK) {
        status = cli_error_pmk(&err);
        goto done;
    }
    size_t nerr = t ? count_diff(x, t, n) : 0;
    if (json) {
        printf("{\"method\": \"%s\", \"order\": \"%s\", \"neighbours\": %d, \"beta\": ",
               method_names[o.method], order_names[o.order], p.neighbours);
        cli_json_double(stdout, p.beta);
        fputs(", \"eta\": ", stdout);
        cli_json_double(stdout, p.eta);
        fputs(", \"h\": ", stdout);
        cli_json_double(stdout, p.h);
        printf(", \"width\": %zu, \"height\": %zu, \"sweeps\": %zu, \"converged\": %s, "
               "\"energy_initial\": ",
               W, H, res.sweeps,
               (o.method == PMK_ISING_MINCUT || res.converged) ? "true" : "false");
        cli_json_double(stdout, res.energy_initial);
        fputs(", \"energy\": ", stdout);
        cli_json_double(stdout, res.energy);
        printf(", \"changed\": %zu", res.changed);
        if (t) {
            printf(", \"errors\": %zu, \"error\": ", nerr);
            cli_json_double(stdout, (double)nerr / (double)n);
        }
        fputs(", \"seconds\": ", stdout);
        cli_json_double(stdout, secs);
        fputs(", \"changed_per_sweep\": [", stdout);
        for (size_t k = 0; k < res.ntrace; k++)
            printf("%s%zu", k ? ", " : "", res.trace[k].changed);
        fputs("], \"energy_per_sweep\": [", stdout);
        for (size_t k = 0; k < res.ntrace; k++) {
            fputs(k ? ", " : "", stdout);
            cli_json_double(stdout, res.trace[k].energy);
        }
        if (t) {
            fputs("], \"error_per_sweep\": [", stdout);
            for (size_t k = 0; k < res.ntrace; k++) {
                fputs(k ? ", " : "", stdout);
                cli_json_double(stdout, (double)res.trace[k].errors / (double)n);
            }
        }
        fputs("]}\n", stdout);
    } else {
        printf("method %s", method_names[o.method]);
        if (o.method != PMK_ISING_MINCUT)
            printf(" (%s order)", order_names[o.order]);
        printf(", %d neighbours, beta %g, eta %g, h %g\n", p.neighbours, p.beta, p.eta, p.h);
        if (o.method != PMK_ISING_MINCUT)
            printf("sweeps %zu%s\n", res.sweeps,
                   o.method == PMK_ISING_ANNEAL ? ""
                   : res.converged              ? " (converged)"
                                                : " (stopped at --max-sweeps)");
        if (o.method == PMK_ISING_ICM)
            for (size_t k = 0; k < res.ntrace; k++) {
                printf("  sweep %zu: changed %zu, energy %.10g", res.trace[k].sweep,
                       res.trace[k].changed, res.trace[k].energy);
                if (t)
                    printf(", error %.4f%%", 100.0 * (double)res.trace[k].errors / (double)n);
                putchar('\n');
            }
        printf("energy %.10g -> %.10g\n", res.energy_initial, res.energy);
        printf("changed %zu of %zu pixels\n", res.changed, n);
        if (t)
            printf("error %.4f%% (%zu of %zu pixels differ from %s)\n",
                   100.0 * (double)nerr / (double)n, nerr, n, truth);
    }
done:
    pmk_outfile_abort(&tracef);   /* nothing when committed or never opened */
    pmk_ising_result_clear(&res);
    pmk_rng_free(rng);
    free(y);
    free(x);
    free(t);
    pmk_image_free(img);
    pmk_image_free(clean);
    return status;
}

/* ------------------------------------------------------------------ noise */

static int cmd_noise(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"flip", required_argument, NULL, OPT_FLIP},
        {"gauss", required_argument, NULL, OPT_GAUSS},
        {"threshold", required_argument, NULL, OPT_THRESH},
        {"seed", required_argument, NULL, OPT_SEED},
        {"output", required_argument, NULL, 'o'},
        {"quiet", no_argument, NULL, 'q'},
        CLI_LONGOPT_MAX_MEMORY,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *optarg_gauss = NULL;
    double flip = -1, gauss = -1, threshold = 0;
    unsigned long seed = 0;
    int have_seed = 0, c, rc;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
        rc = 0;
        switch (c) {
        case OPT_FLIP:
            if (!(rc = cli_parse_double("flip", optarg, &flip)) && !(flip >= 0 && flip <= 1))
                rc = cli_usage("--flip: %s is not in [0, 1]", optarg);
            break;
        case OPT_GAUSS:
            optarg_gauss = optarg;
            if (!(rc = cli_parse_double("gauss", optarg, &gauss)) && !(gauss >= 0))
                rc = cli_usage("--gauss: %s is negative", optarg);
            break;
        case OPT_THRESH: rc = parse_threshold(optarg, &threshold); break;
        case OPT_SEED:
            rc = cli_parse_seed("seed", optarg, &seed);
            have_seed = 1;
            break;
        case 'o': out = optarg; break;
        case 'q': cli_set_quiet(1); break;
        case 'h': return cli_print_help(noise_help);
        case CLI_OPT_MAX_MEMORY: rc = cli_set_max_memory(optarg); break;
        case ':': return cli_usage("option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage("unknown option '%s'", argv[optind - 1]);
        }
        if (rc)
            return rc;
    }
    if (optind >= argc)
        return cli_usage("missing the clean image");
    if (optind + 1 < argc)
        return cli_usage("unexpected argument '%s'", argv[optind + 1]);
    if (!out)
        return cli_usage("missing -o NOISY");
    if ((flip >= 0) == (gauss >= 0))
        return cli_usage("give exactly one of --flip P and --gauss SIGMA");
    const char *in = argv[optind];
    if ((rc = cli_check_files(&in, 1, &out, 1)))
        return rc;
    pmk_error err;
    pmk_error_clear(&err);
    if ((rc = cli_check_image_output(out)))
        return rc;

    pmk_image *img = NULL;
    int8_t *s = NULL;
    pmk_rng *rng = NULL;
    int status = PMK_EXIT_OK;
    if (pmk_image_read(in, &img, &err) != PMK_OK) {
        status = cli_error_pmk(&err);
        goto done;
    }
    if (!(rng = cli_rng(have_seed, seed))) {
        status = PMK_EXIT_FAIL;
        goto done;
    }
    size_t W = img->width, H = img->height, n = W * H;
    if (gauss >= 0) {
        if (img->binary) {
            status = cli_error("%s: --gauss needs a grey image; this one is binary (use --flip)",
                               in);
            goto done;
        }
        if (!(gauss * img->maxval <= 1e15)) {
            status = cli_usage("--gauss: %s is too large (SIGMA * maxval must be at most 1e15)",
                               optarg_gauss);
            goto done;
        }
        /* gsl_matrix rows may be padded (tda); noise row by row. */
        for (size_t r = 0; r < H; r++) {
            gsl_vector_view row = gsl_matrix_row(img->pix, r);
            if (pmk_ising_noise_gaussian(row.vector.data, W, img->maxval, gauss, rng, &err)) {
                status = cli_error_pmk(&err);
                goto done;
            }
        }
        if ((status = write_image(out, img)))
            goto done;
        cli_notice("added Gaussian noise (sd %g levels) to %zu pixels", gauss * img->maxval, n);
        goto done;
    }
    if (!img->binary) {
        if (!(threshold > 0)) {
            status = cli_error("%s: grey image (maxval %u): give --threshold T to binarise it, "
                               "or use --gauss",
                               in, img->maxval);
            goto done;
        }
        pmk_image *b = NULL;
        if (pmk_image_threshold(img, threshold, &b, &err) != PMK_OK) {
            status = cli_error_pmk(&err);
            goto done;
        }
        pmk_image_free(img);
        img = b;
    }
    if (!(s = spins_of(img))) {
        status = cli_error("out of memory for %zux%zu pixels", W, H);
        goto done;
    }
    size_t flipped = 0;
    if (pmk_ising_noise_flip(s, n, flip, rng, &flipped, &err) != PMK_OK) {
        status = cli_error_pmk(&err);
        goto done;
    }
    spins_to(img, s);
    if ((status = write_image(out, img)))
        goto done;
    cli_notice("flipped %zu of %zu pixels", flipped, n);
done:
    free(s);
    pmk_rng_free(rng);
    pmk_image_free(img);
    return status;
}

/* ------------------------------------------------------------------ energy */

static int cmd_energy(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"observed", required_argument, NULL, OPT_OBS},
        {"beta", required_argument, NULL, OPT_BETA},
        {"eta", required_argument, NULL, OPT_ETA},
        {"h", required_argument, NULL, OPT_H},
        {"neighbours", required_argument, NULL, OPT_NEIGH},
        {"neighbors", required_argument, NULL, OPT_NEIGH},
        {"threshold", required_argument, NULL, OPT_THRESH},
        {"json", no_argument, NULL, OPT_JSON},
        {"quiet", no_argument, NULL, 'q'},
        CLI_LONGOPT_MAX_MEMORY,
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    pmk_ising_params p;
    pmk_ising_params_init_default(&p);
    const char *obs = NULL;
    double threshold = 0;
    int json = 0, c, rc;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":qh", longopts, NULL)) != -1) {
        rc = 0;
        switch (c) {
        case OPT_OBS: obs = optarg; break;
        case OPT_BETA: rc = cli_parse_double("beta", optarg, &p.beta); break;
        case OPT_ETA: rc = cli_parse_double("eta", optarg, &p.eta); break;
        case OPT_H: rc = cli_parse_double("h", optarg, &p.h); break;
        case OPT_NEIGH: rc = parse_neighbours(optarg, &p.neighbours); break;
        case OPT_THRESH: rc = parse_threshold(optarg, &threshold); break;
        case OPT_JSON: json = 1; break;
        case 'q': cli_set_quiet(1); break;
        case 'h': return cli_print_help(energy_help);
        case CLI_OPT_MAX_MEMORY: rc = cli_set_max_memory(optarg); break;
        case ':': return cli_usage("option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage("unknown option '%s'", argv[optind - 1]);
        }
        if (rc)
            return rc;
    }
    if (optind >= argc)
        return cli_usage("missing the image");
    if (optind + 1 < argc)
        return cli_usage("unexpected argument '%s'", argv[optind + 1]);
    if (!obs)
        return cli_usage("missing --observed Y");
    const char *in = argv[optind];
    pmk_image *xi = NULL, *yi = NULL;
    int8_t *x = NULL, *y = NULL;
    int status;
    if ((status = read_binary(in, threshold, &xi)) || (status = read_binary(obs, threshold, &yi)))
        goto done;
    if (xi->width != yi->width || xi->height != yi->height) {
        status = cli_error("%s is %zux%zu but %s is %zux%zu", obs, yi->width, yi->height, in,
                           xi->width, xi->height);
        goto done;
    }
    pmk_error err;
    pmk_error_clear(&err);
    if (pmk_ising_params_check_size(&p, xi->width, xi->height, &err) != PMK_OK) {
        status = cli_usage("%s", err.msg);
        goto done;
    }
    x = spins_of(xi);
    y = spins_of(yi);
    if (!x || !y) {
        status = cli_error("out of memory");
        goto done;
    }
    pmk_ising_terms t;
    if (pmk_ising_energy_terms(&p, xi->width, xi->height, x, y, &t, &err) != PMK_OK) {
        status = cli_error_pmk(&err);
        goto done;
    }
    double e = t.energy;
    if (json) {
        fputs("{\"energy\": ", stdout);
        cli_json_double(stdout, e);
        printf(", \"sum_x\": %lld, \"sum_pairs\": %lld, \"sum_xy\": %lld", t.sum_x,
               t.sum_pairs, t.sum_xy);
        printf(", \"neighbours\": %d, \"beta\": ", p.neighbours);
        cli_json_double(stdout, p.beta);
        fputs(", \"eta\": ", stdout);
        cli_json_double(stdout, p.eta);
        fputs(", \"h\": ", stdout);
        cli_json_double(stdout, p.h);
        printf(", \"width\": %zu, \"height\": %zu}\n", xi->width, xi->height);
    } else {
        printf("%.10g\n", e);
    }
done:
    free(x);
    free(y);
    pmk_image_free(xi);
    pmk_image_free(yi);
    return status;
}

int cli_ising(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        if (argc < 2) {
            fputs(ising_help, stderr);
            return PMK_EXIT_USAGE;
        }
        return cli_print_help(ising_help);
    }
    const char *verb = argv[1];
    if (!strcmp(verb, "denoise")) {
        cli_set_command("ising denoise");
        return cmd_denoise(argc - 1, argv + 1);
    }
    if (!strcmp(verb, "noise")) {
        cli_set_command("ising noise");
        return cmd_noise(argc - 1, argv + 1);
    }
    if (!strcmp(verb, "energy")) {
        cli_set_command("ising energy");
        return cmd_energy(argc - 1, argv + 1);
    }
    return cli_usage("unknown verb '%s' (verbs: denoise, noise, energy)", verb);
}

/* ------------------------------------------------------------------ demo */

int cli_demo_ising(const char *datadir, const char *outdir, unsigned long seed)
{
    (void)seed; /* ICM and mincut are deterministic */
    char noisy_path[4096], clean_path[4096], png[4096];
    snprintf(noisy_path, sizeof noisy_path, "%s/horse-noisy10.pbm", datadir);
    snprintf(clean_path, sizeof clean_path, "%s/horse.pbm", datadir);
    snprintf(png, sizeof png, "%s/ising-horse.png", outdir);
    cli_set_command("demo");
    pmk_error err;
    pmk_error_clear(&err);
    pmk_image *noisy = NULL, *clean = NULL, *icm = NULL, *cut = NULL, *side = NULL;
    int8_t *y = NULL, *t = NULL, *x = NULL;
    int status = PMK_EXIT_OK;
    if (pmk_image_read(noisy_path, &noisy, &err) || pmk_image_read(clean_path, &clean, &err)) {
        status = cli_error_pmk(&err);
        goto done;
    }
    if (!noisy->binary || !clean->binary || noisy->width != clean->width
        || noisy->height != clean->height) {
        status = cli_error("%s and %s are not binary images of one size", noisy_path, clean_path);
        goto done;
    }
    size_t W = noisy->width, H = noisy->height, n = W * H;
    y = spins_of(noisy);
    t = spins_of(clean);
    x = malloc(n);
    icm = pmk_image_copy(noisy, &err);
    cut = pmk_image_copy(noisy, &err);
    if (!y || !t || !x || !icm || !cut) {
        status = cli_error("out of memory");
        goto done;
    }
    printf("ising: %s (%zux%zu), %.2f%% of pixels differ from horse.pbm; beta 1, eta 2.1, h 0\n",
           "horse-noisy10.pbm", W, H, 100.0 * (double)count_diff(y, t, n) / (double)n);
    pmk_ising_params p;
    pmk_ising_options o;
    pmk_ising_params_init_default(&p);
    pmk_ising_options_init_default(&o);
    pmk_ising_result res;
    for (int m = 0; m < 2; m++) {
        o.method = m ? PMK_ISING_MINCUT : PMK_ISING_ICM;
        double t0 = cli_now();
        if (pmk_ising_denoise(&p, &o, W, H, y, x, NULL, &res, &err) != PMK_OK) {
            status = cli_error_pmk(&err);
            goto done;
        }
        double secs = cli_now() - t0;
        spins_to(m ? cut : icm, x);
        if (m)
            printf("ising:   mincut (exact MAP): energy %.1f, %.4f%% of pixels wrong (%.3f s)\n",
                   res.energy, 100.0 * (double)count_diff(x, t, n) / (double)n, secs);
        else
            printf("ising:   ICM (raster): %zu sweeps, energy %.1f, %.4f%% of pixels wrong (%.3f s)\n",
                   res.sweeps, res.energy, 100.0 * (double)count_diff(x, t, n) / (double)n, secs);
        pmk_ising_result_clear(&res);
    }
    const pmk_image *row[4] = {noisy, icm, cut, clean};
    if (pmk_image_hconcat(row, 4, 8, &side, &err) != PMK_OK
        || pmk_image_write(png, side, PMK_IMAGE_PNG, &err) != PMK_OK) {
        status = cli_error_pmk(&err);
        goto done;
    }
    printf("ising:   picture: %s (noisy | ICM | mincut | clean)\n", png);
done:
    free(y);
    free(t);
    free(x);
    pmk_image_free(noisy);
    pmk_image_free(clean);
    pmk_image_free(icm);
    pmk_image_free(cut);
    pmk_image_free(side);
    return status;
}
