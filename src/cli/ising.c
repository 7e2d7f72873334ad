/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* ising.c: `pmk ising`: denoise a binary image under the Ising model (ICM,
 * anneal, mean field, exact min-cut), add noise to an image, print E(x, y).
 * The Ising part of `pmk demo` is in ising_demo.c. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/help.h"

/* ------------------------------------------------------------------ helpers */

/* Reads PATH as spins: a binary image (PBM, 1-bit PNG, a PGM of 0/maxval
 * only) as it is, a grey one thresholded when threshold > 0. */
static int read_spins(const char *path, double threshold, pmk_spin_image **out)
{
    pmk_error err;
    pmk_image *grey = NULL;
    if (pmk_image_read_binary(path, out, &grey, &err) != PMK_OK)
        return cli_error_pmk(&err);
    if (*out)
        return PMK_EXIT_OK;
    int status = PMK_EXIT_OK;
    if (!(threshold > 0))
        status = cli_error("%s: grey image (maxval %u): give --threshold T to binarise it", path,
                           grey->maxval);
    else if (pmk_spin_image_from_image(grey, threshold, out, &err) != PMK_OK)
        status = cli_error_pmk(&err);
    pmk_image_free(grey);
    return status;
}

static const char *const method_names[] = {"icm", "anneal", "meanfield", "mincut"};
static const char *const order_names[] = {"raster", "random", "checkerboard"};

static int parse_name(const char *opt, const char *s, const char *const *names, int n, int *out)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(s, names[i])) {
            *out = i;
            return 0;
        }
    char list[64];
    size_t k = 0;
    for (int i = 0; i < n; i++)
        k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", i ? ", " : "", names[i]);
    return cli_usage("--%s: '%s' is not one of %s", opt, s, list);
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

/* The image output: -o (whose absence is reported as @p missing), a FMT:
 * prefix or --format; *path and *fmt get where and how to write. */
static int image_output(const cli_args *a, const char *missing, const char **path,
                        pmk_image_format *fmt)
{
    if (!a->output)
        return cli_usage("missing -o %s", missing);
    return cli_image_output(a, path, fmt);
}

/* The trace CSV (pmk_ising_trace_write), synced into @p of and left for the
 * caller to commit once the image is written, so that a trace that cannot
 * be written leaves the image alone. */
static int write_trace(const char *path, pmk_ising_method method, const pmk_ising_result *res,
                       int with_error, size_t n, pmk_outfile *of)
{
    pmk_error err;
    if (pmk_outfile_open(of, path, &err) != PMK_OK)
        return cli_error_pmk(&err);
    pmk_ising_trace_write(of->fp, res, method, n, with_error, NULL);
    /* a write error shows in the sync, with the file's name */
    if (pmk_outfile_sync(of, &err) != PMK_OK)
        return cli_error_pmk(&err);
    return PMK_EXIT_OK;
}

/* ------------------------------------------------------------------ denoise */

/* Each sweep to the CLI's one progress renderer (which throttles), out of
 * the sweeps the options allow, with the sweep's figures. */
typedef struct progress {
    size_t total;
    const char *method;
} progress;

static int progress_sweep(const pmk_ising_sweep *s, void *arg)
{
    const progress *g = arg;
    char what[128];
    snprintf(what, sizeof what, "%s (changed %zu, energy %.10g)", g->method, s->changed, s->energy);
    pmk_progress p = {what, s->sweep, g->total, "sweeps"};
    return cli_progress_fn(&p, NULL);
}

enum {
    OPT_BETA = 256, OPT_ETA, OPT_H, OPT_NEIGH, OPT_ORDER, OPT_MAXSW, OPT_T0, OPT_TFAC,
    OPT_ASW, OPT_DAMP, OPT_TOL, OPT_THRESH, OPT_TRUTH, OPT_TRACE, OPT_FLIP, OPT_GAUSS, OPT_OBS
};

/* The model's options, shared by denoise and energy. */
#define MODEL_OPTIONS                                                                          \
    {"beta", OPT_BETA, 1}, {"eta", OPT_ETA, 1}, {"h", OPT_H, 1}, {"neighbours", OPT_NEIGH, 1}, \
        {"neighbors", OPT_NEIGH, 1}, {"threshold", OPT_THRESH, 1}

/* A model option: 1 when @p key is one (*rc set), else 0. */
static int model_option(int key, const char *arg, pmk_ising_params *p, double *threshold,
                        int *rc)
{
    long nb;
    switch (key) {
    case OPT_BETA: *rc = cli_parse_double("beta", arg, &p->beta); return 1;
    case OPT_ETA: *rc = cli_parse_double("eta", arg, &p->eta); return 1;
    case OPT_H: *rc = cli_parse_double("h", arg, &p->h); return 1;
    case OPT_NEIGH:
        /* any integer: pmk_ising_params_check says which are allowed */
        if (!(*rc = cli_parse_long("neighbours", arg, &nb)))
            p->neighbours = nb < -1000 ? -1000 : nb > 1000 ? 1000 : (int)nb;
        return 1;
    case OPT_THRESH: *rc = parse_threshold(arg, threshold); return 1;
    default: return 0;
    }
}

/* The figures of a run, as text or JSON. */
static void report_denoise(cli_report *r, const pmk_ising_params *p, const pmk_ising_options *o,
                           size_t W, size_t H, const pmk_ising_result *res, const char *truth,
                           double secs)
{
    const size_t n = W * H, nt = res->ntrace;
    const int cut = o->method == PMK_ISING_MINCUT;
    cli_report_str(r, "method", method_names[o->method], "method %s", method_names[o->method]);
    cli_report_str(r, "order", order_names[o->order], cut ? NULL : " (%s order)",
                   order_names[o->order]);
    cli_report_int(r, "neighbours", p->neighbours, ", %d neighbours", p->neighbours);
    cli_report_num(r, "beta", p->beta, ", beta %g", p->beta);
    cli_report_num(r, "eta", p->eta, ", eta %g", p->eta);
    cli_report_num(r, "h", p->h, ", h %g\n", p->h);
    cli_report_int(r, "width", (long long)W, NULL);
    cli_report_int(r, "height", (long long)H, NULL);
    cli_report_int(r, "sweeps", (long long)res->sweeps, cut ? NULL : "sweeps %zu%s\n",
                   res->sweeps,
                   o->method == PMK_ISING_ANNEAL ? ""
                   : res->converged              ? " (converged)"
                                                 : " (stopped at --max-sweeps)");
    cli_report_bool(r, "converged", cut || res->converged, NULL);
    for (size_t k = 0; o->method == PMK_ISING_ICM && k < nt; k++) {
        const pmk_ising_sweep *s = &res->trace[k];
        cli_report_text(r, "  sweep %zu: changed %zu, energy %.10g", s->sweep, s->changed,
                        s->energy);
        if (o->truth)
            cli_report_text(r, ", error %.4f%%", 100.0 * (double)s->errors / (double)n);
        cli_report_text(r, "\n");
    }
    cli_report_num(r, "energy_initial", res->energy_initial, "energy %.10g",
                   res->energy_initial);
    cli_report_num(r, "energy", res->energy, " -> %.10g\n", res->energy);
    cli_report_int(r, "changed", (long long)res->changed, "changed %zu of %zu pixels\n",
                   res->changed, n);
    if (o->truth) {
        cli_report_int(r, "errors", (long long)res->errors, NULL);
        cli_report_num(r, "error", (double)res->errors / (double)n,
                       "error %.4f%% (%zu of %zu pixels differ from %s)\n",
                       100.0 * (double)res->errors / (double)n, res->errors, n, truth);
    }
    cli_report_num(r, "seconds", secs, NULL);
    cli_report_begin_list(r, "changed_per_sweep");
    for (size_t k = 0; k < nt; k++)
        cli_report_int(r, NULL, (long long)res->trace[k].changed, NULL);
    cli_report_end_list(r);
    cli_report_begin_list(r, "energy_per_sweep");
    for (size_t k = 0; k < nt; k++)
        cli_report_num(r, NULL, res->trace[k].energy, NULL);
    cli_report_end_list(r);
    if (o->truth) {
        cli_report_begin_list(r, "error_per_sweep");
        for (size_t k = 0; k < nt; k++)
            cli_report_num(r, NULL, (double)res->trace[k].errors / (double)n, NULL);
        cli_report_end_list(r);
    }
}

static int cmd_denoise(int argc, char **argv)
{
    static const cli_option opts[] = {
        MODEL_OPTIONS, {"method", 'm', 1}, {"order", OPT_ORDER, 1},
        {"max-sweeps", OPT_MAXSW, 1}, {"t0", OPT_T0, 1}, {"t-factor", OPT_TFAC, 1},
        {"anneal-sweeps", OPT_ASW, 1}, {"damping", OPT_DAMP, 1}, {"tol", OPT_TOL, 1},
        {"truth", OPT_TRUTH, 1}, {"trace", OPT_TRACE, 1}, {NULL, 0, 0}};
    pmk_ising_params p;
    pmk_ising_options o;
    pmk_ising_params_init_default(&p);
    pmk_ising_options_init_default(&o);
    const char *truth = NULL, *trace = NULL, *arg;
    double threshold = 0;
    int have_max_sweeps = 0, key, rc = 0, v = 0;
    cli_args a;
    cli_parser ps;
    cli_args_init(&a);
    cli_parse_begin(&ps, argc, argv, pmk_help_ising_denoise,
                    CLI_G_OUTPUT | CLI_G_FORMAT | CLI_G_JSON | CLI_G_SEED, opts, &a);
    while ((key = cli_parse_next(&ps, &arg)) > 0) {
        if (model_option(key, arg, &p, &threshold, &rc)) {
            if (rc)
                return rc;
            continue;
        }
        switch (key) {
        case 'm':
            if (!(rc = parse_name("method", arg, method_names, 4, &v)))
                o.method = (pmk_ising_method)v;
            break;
        case OPT_ORDER:
            if (!(rc = parse_name("order", arg, order_names, 3, &v)))
                o.order = (pmk_ising_order)v;
            break;
        case OPT_MAXSW:
            rc = cli_parse_size("max-sweeps", arg, &o.max_sweeps);
            have_max_sweeps = 1;
            break;
        case OPT_T0: rc = cli_parse_double("t0", arg, &o.t0); break;
        case OPT_TFAC: rc = cli_parse_double("t-factor", arg, &o.t_factor); break;
        case OPT_ASW: rc = cli_parse_size("anneal-sweeps", arg, &o.anneal_sweeps); break;
        case OPT_DAMP: rc = cli_parse_double("damping", arg, &o.damping); break;
        case OPT_TOL: rc = cli_parse_double("tol", arg, &o.tol); break;
        case OPT_TRUTH: truth = arg; break;
        case OPT_TRACE: trace = arg; break;
        }
        if (rc)
            return rc;
    }
    if (key < 0)
        return ps.status;
    /* Damped mean field needs a few hundred sweeps to meet --tol on the horse
     * (698 at damping 0.5); ICM stops within a handful. */
    if (!have_max_sweeps && o.method == PMK_ISING_MEANFIELD)
        o.max_sweeps = 1000;
    if (a.npos < 1)
        return cli_usage("missing the noisy image");
    if ((rc = cli_args_max(&a, 1)))
        return rc;
    const char *in = a.pos[0], *out;
    pmk_image_format fmt;
    if ((rc = image_output(&a, "OUT", &out, &fmt)))
        return rc;
    const char *den_in[] = {in, truth}, *den_out[] = {out, trace};
    if ((rc = cli_check_files(den_in, 2, den_out, 2)))
        return rc;
    pmk_error err;
    if (pmk_ising_params_check(&p, &err) || pmk_ising_options_check(&o, &err))
        return cli_usage_pmk(&err);
    if (o.method == PMK_ISING_MINCUT && p.beta < 0)
        return cli_usage("--method mincut needs --beta >= 0 (beta %g makes the energy "
                         "non-submodular); use icm, anneal or meanfield",
                         p.beta);

    pmk_spin_image *y = NULL, *x = NULL, *t = NULL;
    pmk_rng *rng = NULL;
    pmk_ising_result res;
    memset(&res, 0, sizeof res);
    cli_report *rep = NULL;
    pmk_outfile tracef = {NULL, NULL, NULL};
    int status;
    if ((status = read_spins(in, threshold, &y)))
        goto done;
    if (truth) {
        if ((status = read_spins(truth, threshold, &t)))
            goto done;
        if (t->width != y->width || t->height != y->height) {
            status = cli_error("%s is %zux%zu but %s is %zux%zu", truth, t->width, t->height,
                               in, y->width, y->height);
            goto done;
        }
    }
    size_t W = y->width, H = y->height, n = W * H;
    /* Parameters that overflow the energy on this image are a usage error. */
    if (pmk_ising_params_check_size(&p, W, H, &err) != PMK_OK) {
        status = cli_usage_pmk(&err);
        goto done;
    }
    if (!(x = pmk_spin_image_alloc(W, H, &err))) {
        status = cli_error_pmk(&err);
        goto done;
    }
    if ((o.method == PMK_ISING_ANNEAL || o.order == PMK_ISING_RANDOM)
        && !(rng = cli_rng(a.have_seed, a.seed))) {
        status = PMK_EXIT_FAIL;
        goto done;
    }
    progress prog = {o.method == PMK_ISING_ANNEAL ? o.anneal_sweeps : o.max_sweeps,
                     method_names[o.method]};
    o.truth = t ? t->spins : NULL;
    o.on_sweep = progress_sweep;
    o.on_sweep_arg = &prog;
    double t0 = cli_now();
    if (pmk_ising_denoise(&p, &o, W, H, y->spins, x->spins, rng, &res, &err) != PMK_OK) {
        status = cli_error_pmk(&err);
        goto done;
    }
    double secs = cli_now() - t0;
    cli_progress_done();
    if (trace && (status = write_trace(trace, o.method, &res, t != NULL, n, &tracef)))
        goto done;
    if (pmk_spin_image_write(out, x, fmt, &err) != PMK_OK) {
        status = cli_error_pmk(&err);
        goto done;
    }
    if (trace && pmk_outfile_commit(&tracef, &err) != PMK_OK) {
        status = cli_error_pmk(&err);
        goto done;
    }
    if (!(rep = cli_report_new())) {
        status = cli_error("out of memory");
        goto done;
    }
    /* The image on stdout: the report goes to stderr. */
    report_denoise(rep, &p, &o, W, H, &res, truth, secs);
    status = cli_report_emit(rep, strcmp(out, "-") ? stdout : stderr, a.json);
done:
    pmk_outfile_abort(&tracef);   /* nothing when committed or never opened */
    cli_report_free(rep);
    pmk_ising_result_clear(&res);
    pmk_rng_free(rng);
    pmk_spin_image_free(x);
    pmk_spin_image_free(y);
    pmk_spin_image_free(t);
    return status;
}

/* ------------------------------------------------------------------ noise */

/* Gaussian noise on a grey image. */
static int noise_gauss(const char *in, const char *out, pmk_image_format fmt, double gauss,
                       pmk_rng *rng)
{
    pmk_error err;
    pmk_image *img = NULL;
    int status = PMK_EXIT_OK;
    if (pmk_image_read(in, &img, &err) != PMK_OK)
        return cli_error_pmk(&err);
    if (img->binary) {
        status = cli_error("%s: --gauss needs a grey image; this one is binary (use --flip)", in);
    } else {
        /* row by row: gsl_matrix rows may be padded; a level the library
         * refuses (SIGMA * maxval too large) is a usage error */
        for (size_t r = 0; r < img->height && !status; r++)
            if (pmk_ising_noise_gaussian(gsl_matrix_ptr(img->pix, r, 0), img->width, img->maxval,
                                         gauss, rng, &err))
                status = err.code == PMK_EINVAL ? cli_usage_pmk(&err) : cli_error_pmk(&err);
        if (!status && pmk_image_write(out, img, fmt, &err) != PMK_OK)
            status = cli_error_pmk(&err);
        if (!status)
            cli_notice("added Gaussian noise (sd %g levels) to %zu pixels", gauss * img->maxval,
                       img->width * img->height);
    }
    pmk_image_free(img);
    return status;
}

/* Flips on a binary image (a grey one thresholded first). */
static int noise_flip(const char *in, const char *out, pmk_image_format fmt, double flip,
                      double threshold, pmk_rng *rng)
{
    pmk_error err;
    pmk_spin_image *s = NULL;
    pmk_image *grey = NULL;
    int status = PMK_EXIT_OK;
    if (pmk_image_read_binary(in, &s, &grey, &err) != PMK_OK)
        return cli_error_pmk(&err);
    if (grey && !(threshold > 0))
        status = cli_error("%s: grey image (maxval %u): give --threshold T to binarise it, "
                           "or use --gauss",
                           in, grey->maxval);
    else if (grey && pmk_spin_image_from_image(grey, threshold, &s, &err) != PMK_OK)
        status = cli_error_pmk(&err);
    size_t flipped = 0;
    if (!status && (pmk_ising_noise_flip(s->spins, s->width * s->height, flip, rng, &flipped,
                                         &err) != PMK_OK
                    || pmk_spin_image_write(out, s, fmt, &err) != PMK_OK))
        status = cli_error_pmk(&err);
    if (!status)
        cli_notice("flipped %zu of %zu pixels", flipped, s->width * s->height);
    pmk_image_free(grey);
    pmk_spin_image_free(s);
    return status;
}

static int cmd_noise(int argc, char **argv)
{
    static const cli_option opts[] = {
        {"flip", OPT_FLIP, 1}, {"gauss", OPT_GAUSS, 1}, {"threshold", OPT_THRESH, 1}, {NULL, 0, 0}};
    const char *arg;
    double flip = -1, gauss = -1, threshold = 0;
    int key, rc = 0;
    cli_args a;
    cli_parser ps;
    cli_args_init(&a);
    cli_parse_begin(&ps, argc, argv, pmk_help_ising_noise, CLI_G_OUTPUT | CLI_G_FORMAT | CLI_G_SEED, opts,
                    &a);
    while ((key = cli_parse_next(&ps, &arg)) > 0) {
        switch (key) {
        case OPT_FLIP:
            if (!(rc = cli_parse_double("flip", arg, &flip)) && !(flip >= 0 && flip <= 1))
                rc = cli_usage("--flip: %s is not in [0, 1]", arg);
            break;
        case OPT_GAUSS:
            if (!(rc = cli_parse_double("gauss", arg, &gauss)) && !(gauss >= 0))
                rc = cli_usage("--gauss: %s is negative", arg);
            break;
        case OPT_THRESH: rc = parse_threshold(arg, &threshold); break;
        }
        if (rc)
            return rc;
    }
    if (key < 0)
        return ps.status;
    if (a.npos < 1)
        return cli_usage("missing the clean image");
    if ((rc = cli_args_max(&a, 1)))
        return rc;
    if (!a.output)
        return cli_usage("missing -o NOISY");
    if ((flip >= 0) == (gauss >= 0))
        return cli_usage("give exactly one of --flip P and --gauss SIGMA");
    const char *in = a.pos[0], *out;
    pmk_image_format fmt;
    if ((rc = image_output(&a, "NOISY", &out, &fmt)) || (rc = cli_check_files(&in, 1, &out, 1)))
        return rc;
    pmk_rng *rng = cli_rng(a.have_seed, a.seed);
    if (!rng)
        return PMK_EXIT_FAIL;
    int status = gauss >= 0 ? noise_gauss(in, out, fmt, gauss, rng)
                            : noise_flip(in, out, fmt, flip, threshold, rng);
    pmk_rng_free(rng);
    return status;
}

/* ------------------------------------------------------------------ energy */

static int cmd_energy(int argc, char **argv)
{
    static const cli_option opts[] = {MODEL_OPTIONS, {"observed", OPT_OBS, 1}, {NULL, 0, 0}};
    pmk_ising_params p;
    pmk_ising_params_init_default(&p);
    const char *obs = NULL, *arg;
    double threshold = 0;
    int key, rc = 0;
    cli_args a;
    cli_parser ps;
    cli_args_init(&a);
    cli_parse_begin(&ps, argc, argv, pmk_help_ising_energy, CLI_G_JSON, opts, &a);
    while ((key = cli_parse_next(&ps, &arg)) > 0) {
        if (model_option(key, arg, &p, &threshold, &rc)) {
            if (rc)
                return rc;
        } else if (key == OPT_OBS) {
            obs = arg;
        }
    }
    if (key < 0)
        return ps.status;
    if (a.npos < 1)
        return cli_usage("missing the image");
    if ((rc = cli_args_max(&a, 1)))
        return rc;
    if (!obs)
        return cli_usage("missing --observed Y");
    pmk_error err;
    if (pmk_ising_params_check(&p, &err))
        return cli_usage_pmk(&err);
    const char *in = a.pos[0];
    pmk_spin_image *x = NULL, *y = NULL;
    cli_report *rep = NULL;
    int status;
    if ((status = read_spins(in, threshold, &x)) || (status = read_spins(obs, threshold, &y)))
        goto done;
    if (x->width != y->width || x->height != y->height) {
        status = cli_error("%s is %zux%zu but %s is %zux%zu", obs, y->width, y->height, in,
                           x->width, x->height);
        goto done;
    }
    if (pmk_ising_params_check_size(&p, x->width, x->height, &err) != PMK_OK) {
        status = cli_usage_pmk(&err);
        goto done;
    }
    pmk_ising_terms t;
    if (pmk_ising_energy_terms(&p, x->width, x->height, x->spins, y->spins, &t, &err)
        != PMK_OK) {
        status = cli_error_pmk(&err);
        goto done;
    }
    if (!(rep = cli_report_new())) {
        status = cli_error("out of memory");
        goto done;
    }
    cli_report_num(rep, "energy", t.energy, "%.10g\n", t.energy);
    const char *ikey[] = {"sum_x", "sum_pairs", "sum_xy", "neighbours"};
    long long ival[] = {t.sum_x, t.sum_pairs, t.sum_xy, p.neighbours};
    for (int k = 0; k < 4; k++)
        cli_report_int(rep, ikey[k], ival[k], NULL);
    cli_report_num(rep, "beta", p.beta, NULL);
    cli_report_num(rep, "eta", p.eta, NULL);
    cli_report_num(rep, "h", p.h, NULL);
    cli_report_int(rep, "width", (long long)x->width, NULL);
    cli_report_int(rep, "height", (long long)x->height, NULL);
    status = cli_report_emit(rep, stdout, a.json);
done:
    cli_report_free(rep);
    pmk_spin_image_free(x);
    pmk_spin_image_free(y);
    return status;
}

int cli_ising(int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"denoise", cmd_denoise}, {"noise", cmd_noise}, {"energy", cmd_energy}, {NULL, NULL}};
    return cli_dispatch(verbs, pmk_help_ising, argc, argv);
}
