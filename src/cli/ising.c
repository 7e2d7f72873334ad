/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* ising.c: `pmk ising`: denoise a binary image under the Ising model (ICM,
 * anneal, mean field, exact min-cut), add noise to an image, print E(x, y).
 * The work is the library's (pmk/ising.h, pmk/image.h); the Ising part of
 * `pmk demo` is in demo.c. */
#include "config.h"

#include <string.h>

#include "cli/cli.h"
#include "cli/help.h"

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
    OPT_ASW, OPT_DAMP, OPT_TOL, OPT_THRESH, OPT_TRUTH, OPT_TRACE, OPT_FLIP, OPT_GAUSS, OPT_OBS,
    OPT_MARG, OPT_MFROM, OPT_BURN, OPT_LEVELS, OPT_COST, OPT_TPNG, OPT_CMP
};

/* The verbs' options: the model's (denoise and energy), then each verb's. */
#define MODEL_OPTIONS                                                                          \
    {"beta", OPT_BETA, 1}, {"eta", OPT_ETA, 1}, {"h", OPT_H, 1}, {"neighbours", OPT_NEIGH, 1}, \
        {"neighbors", OPT_NEIGH, 1}, {"threshold", OPT_THRESH, 1}
static const cli_option denoise_opts[] = {
    MODEL_OPTIONS, {"method", 'm', 1}, {"order", OPT_ORDER, 1}, {"max-sweeps", OPT_MAXSW, 1},
    {"t0", OPT_T0, 1}, {"t-factor", OPT_TFAC, 1}, {"anneal-sweeps", OPT_ASW, 1},
    {"damping", OPT_DAMP, 1}, {"tol", OPT_TOL, 1}, {"truth", OPT_TRUTH, 1},
    {"trace", OPT_TRACE, 1}, {"marginals", OPT_MARG, 1}, {"marginals-from", OPT_MFROM, 1},
    {"burn-in", OPT_BURN, 1}, {"levels", OPT_LEVELS, 1}, {"data-cost", OPT_COST, 1},
    {"trace-png", OPT_TPNG, 1}, {"compare", OPT_CMP, 1}, {NULL, 0, 0}};
static const cli_option noise_opts[] = {
    {"flip", OPT_FLIP, 1}, {"gauss", OPT_GAUSS, 1}, {"threshold", OPT_THRESH, 1}, {NULL, 0, 0}};
static const cli_option energy_opts[] = {MODEL_OPTIONS, {"observed", OPT_OBS, 1}, {NULL, 0, 0}};

/* Each verb's command line: help, option groups and table, the message when
 * its one argument is missing, what its -o is. */
enum { DENOISE, NOISE, ENERGY };
static const struct verb_spec {
    const char *help;
    unsigned groups;
    const cli_option *opts;
    const char *missing, *out;
} verb_specs[] = {
    {pmk_help_ising_denoise, CLI_G_OUTPUT | CLI_G_FORMAT | CLI_G_JSON | CLI_G_SEED, denoise_opts,
     "missing the noisy image", "OUT"},
    {pmk_help_ising_noise, CLI_G_OUTPUT | CLI_G_FORMAT | CLI_G_SEED, noise_opts,
     "missing the clean image", "NOISY"},
    {pmk_help_ising_energy, CLI_G_JSON, energy_opts, "missing the image", NULL}};

/* What a verb's command line gives. */
typedef struct ising_args {
    cli_args a;
    pmk_ising_params p;
    pmk_ising_options o;
    pmk_ising_noise noise;   /* its threshold: every verb's --threshold [0: none] */
    const char *in, *truth, *trace, *observed, *marg, *trace_png;
    const char *out;         /* -o without its FMT: prefix */
    pmk_image_format fmt;
    pmk_ising_method cmp[4]; /* --compare: more runs for --trace-png */
    size_t ncmp;
    int have_max_sweeps;
} ising_args;

/* Parses and checks verb @p verb's command line into @p v: the syntax here,
 * the ranges by the library's checks (their messages as usage errors), then
 * that no output is an input or another output.  0 or the exit status. */
static int parse_verb(int argc, char **argv, int verb, ising_args *v)
{
    const struct verb_spec *vs = &verb_specs[verb];
    pmk_ising_params_init_default(&v->p);
    pmk_ising_options_init_default(&v->o);
    pmk_ising_noise_init_default(&v->noise);
    v->truth = v->trace = v->observed = v->out = v->marg = v->trace_png = NULL;
    v->ncmp = 0, v->have_max_sweeps = 0;
    const char *arg;
    int key = 0, rc = 0;
    long nb;
    size_t lv;
    pmk_error err;
    cli_parser ps;
    cli_args_init(&v->a);
    cli_parse_begin(&ps, argc, argv, vs->help, vs->groups, vs->opts, &v->a);
    while (!rc && (key = cli_parse_next(&ps, &arg)) > 0) {
        switch (key) {
        case OPT_BETA: rc = cli_parse_double("beta", arg, &v->p.beta); break;
        case OPT_ETA: rc = cli_parse_double("eta", arg, &v->p.eta); break;
        case OPT_H: rc = cli_parse_double("h", arg, &v->p.h); break;
        case OPT_NEIGH:
            /* any integer: pmk_ising_params_check says which are allowed */
            if (!(rc = cli_parse_long("neighbours", arg, &nb)))
                v->p.neighbours = nb < -1000 ? -1000 : nb > 1000 ? 1000 : (int)nb;
            break;
        case OPT_THRESH: rc = cli_parse_double("threshold", arg, &v->noise.threshold); break;
        case 'm':
            if (pmk_ising_method_parse(arg, &v->o.method, &err))
                rc = cli_usage("--method: %s", err.msg);
            break;
        case OPT_ORDER:
            if (pmk_ising_order_parse(arg, &v->o.order, &err))
                rc = cli_usage("--order: %s", err.msg);
            break;
        case OPT_MAXSW:
            rc = cli_parse_size("max-sweeps", arg, &v->o.max_sweeps);
            v->have_max_sweeps = 1;
            break;
        case OPT_T0: rc = cli_parse_double("t0", arg, &v->o.t0); break;
        case OPT_TFAC: rc = cli_parse_double("t-factor", arg, &v->o.t_factor); break;
        case OPT_ASW: rc = cli_parse_size("anneal-sweeps", arg, &v->o.anneal_sweeps); break;
        case OPT_DAMP: rc = cli_parse_double("damping", arg, &v->o.damping); break;
        case OPT_TOL: rc = cli_parse_double("tol", arg, &v->o.tol); break;
        case OPT_FLIP: rc = cli_parse_double("flip", arg, &v->noise.flip); break;
        case OPT_GAUSS: rc = cli_parse_double("gauss", arg, &v->noise.gauss); break;
        case OPT_TRUTH: v->truth = arg; break;
        case OPT_TRACE: v->trace = arg; break;
        case OPT_OBS: v->observed = arg; break;
        case OPT_MARG: v->o.marginals = !!(v->marg = arg); break;
        case OPT_MFROM:
            if (pmk_ising_method_parse(arg, &v->o.marginals_from, &err))
                rc = cli_usage("--marginals-from: %s", err.msg);
            break;
        case OPT_BURN: rc = cli_parse_double("burn-in", arg, &v->o.burn_in); break;
        case OPT_LEVELS:
            if (!(rc = cli_parse_size("levels", arg, &lv)))
                v->p.levels = lv > 1000 ? 1000 : (unsigned)lv;   /* the check names the range */
            break;
        case OPT_COST:
            if (pmk_ising_data_cost_parse(arg, &v->p.data_cost, &err))
                rc = cli_usage("--data-cost: %s", err.msg);
            break;
        case OPT_TPNG: v->trace_png = arg; break;
        case OPT_CMP:
            if (pmk_ising_method_list_parse(arg, v->cmp, &v->ncmp, &err))
                rc = cli_usage("--compare: %s", err.msg);
            break;
        }
    }
    v->o.threads = cli_threads();
    if (rc || key < 0)
        return rc ? rc : ps.status;
    /* Damped mean field needs a few hundred sweeps to meet --tol on the horse
     * (698 at damping 0.5); ICM stops within a handful. */
    if (!v->have_max_sweeps && (v->o.method == PMK_ISING_MEANFIELD
                             || (v->marg && v->o.marginals_from == PMK_ISING_MEANFIELD)))
        v->o.max_sweeps = 1000;
    if ((rc = cli_args_count(&v->a, 1, 1, vs->missing)))
        return rc;
    v->in = v->a.pos[0];
    if (vs->out && !v->a.output)
        return cli_usage("missing -o %s", vs->out);
    if (vs->out && (rc = cli_image_output(&v->a, &v->out, &v->fmt)))
        return rc;
    if (verb == ENERGY && !v->observed)
        return cli_usage("missing --observed Y");
    if (v->ncmp && (!v->trace_png || v->p.levels))
        return cli_usage("--compare needs --trace-png, and a binary image (no --levels)");
    if (verb == NOISE ? pmk_ising_noise_check(&v->noise, &err)
                      : pmk_ising_params_check(&v->p, &err)
                            || pmk_spin_threshold_check(v->noise.threshold, &err)
                            || (verb == DENOISE && pmk_ising_check(&v->p, &v->o, &err)))
        return cli_usage_pmk(&err);
    const char *ins[] = {v->in, v->truth, v->observed};
    const char *outs[] = {v->out, v->trace, v->marg, v->trace_png};
    return cli_check_files(ins, 3, outs, 4);
}

/* The figures of a run, as text or JSON, on stdout (stderr when the image
 * went there). */
static int report_denoise(const ising_args *v, const pmk_ising_result *res, double secs)
{
    pmk_report *r = pmk_report_new();
    pmk_ising_result_to_report(&v->p, &v->o, res, v->truth, secs, r);
    return cli_report_done(r, strcmp(v->out, "-") ? stdout : stderr, v->a.json);
}

/* --trace-png: the run @p res, then each --compare method's run on @p y
 * (into @p x, already written out), on one plot.  PMK_OK or a status in @p err. */
static int plot_traces(const ising_args *v, const pmk_ising_result *res,
                       const pmk_spin_image *y, pmk_spin_image *x, pmk_rng *rng, progress *prog,
                       pmk_error *err)
{
    pmk_ising_result more[4] = {{0}};
    const pmk_ising_result *runs[5] = {res, more, more + 1, more + 2, more + 3};
    const char *names[5] = {pmk_ising_method_name(v->o.method)};
    pmk_ising_options c = v->o;
    int rc = PMK_OK;
    c.marginals = 0;
    for (size_t k = 0; k < v->ncmp && !rc; k++) {
        c.method = v->cmp[k];
        if (!v->have_max_sweeps)   /* each method's default, as for --method */
            c.max_sweeps = c.method == PMK_ISING_MEANFIELD ? 1000 : 100;
        prog->method = names[k + 1] = pmk_ising_method_name(c.method);
        prog->total = c.method == PMK_ISING_ANNEAL ? c.anneal_sweeps : c.max_sweeps;
        rc = pmk_ising_denoise(&v->p, &c, x->width, x->height, y->spins, x->spins, rng,
                               more + k, err);
    }
    cli_progress_done();
    if (!rc)
        rc = pmk_plot_ising_traces(runs, names, 1 + v->ncmp, v->truth != NULL, v->trace_png, err);
    for (size_t k = 0; k < v->ncmp; k++)
        pmk_ising_result_clear(more + k);
    return rc;
}

static int cmd_denoise(int argc, char **argv)
{
    ising_args v;
    pmk_ising_options *o = &v.o;
    pmk_error err;
    int rc = parse_verb(argc, argv, DENOISE, &v);
    if (rc)
        return rc;
    pmk_rng *rng = NULL;
    if ((o->method == PMK_ISING_ANNEAL || o->order == PMK_ISING_RANDOM
         || (o->marginals && o->marginals_from == PMK_ISING_ANNEAL) || v.ncmp)
        && !(rng = cli_rng(v.a.have_seed, v.a.seed)))
        return PMK_EXIT_FAIL;
    /* OpenMP's first region waits for its new threads: start them before
     * the clock (the command's time is the same, the solver's its own) */
    if (o->order == PMK_ISING_CHECKERBOARD)
        (void)pmk_threads_start(o->threads);
    pmk_spin_image *y = NULL, *x = NULL, *t = NULL;
    pmk_grey_image *gy = NULL, *gx = NULL, *gt = NULL;   /* --levels */
    pmk_ising_result res = {0};
    pmk_outfile tracef = {NULL, NULL, NULL};
    if (v.p.levels ? pmk_grey_image_read(v.in, NULL, NULL, &gy, &err)
                         || (v.truth && pmk_grey_image_read(v.truth, gy, v.in, &gt, &err))
                   : pmk_spin_image_read(v.in, v.noise.threshold, &y, &err)
                         || (v.truth && pmk_spin_image_read_like(v.truth, v.noise.threshold, y,
                                                                 v.in, &t, &err))) {
        rc = cli_error_pmk(&err);
        goto done;
    }
    size_t W = y ? y->width : gy->width, H = y ? y->height : gy->height;
    progress prog = {o->method == PMK_ISING_ANNEAL ? o->anneal_sweeps : o->max_sweeps,
                     pmk_ising_method_name(o->method)};
    o->truth = t ? t->spins : NULL;
    o->on_sweep = progress_sweep;
    o->on_sweep_arg = &prog;
    x = gy ? NULL : pmk_spin_image_alloc(W, H, &err);   /* before the clock: the solver's time */
    double t0 = cli_now();
    if (gy ? pmk_potts_denoise(&v.p, o, gy, gt, &gx, rng, &res, &err) != PMK_OK
           : !x || pmk_ising_denoise(&v.p, o, W, H, y->spins, x->spins, rng, &res, &err)) {
        /* The options are checked and the spins come from a reader: the one
         * PMK_EINVAL left is parameters too large for this image's energy
         * (pmk_ising_params_check_size), a usage error. */
        rc = err.code == PMK_EINVAL ? cli_usage_pmk(&err) : cli_error_pmk(&err);
        goto done;
    }
    double secs = cli_now() - t0;
    cli_progress_done();
    /* The trace is synced first and committed after the image, so that a
     * trace that cannot be written leaves the image alone. */
    if ((v.trace && pmk_ising_trace_save(&tracef, v.trace, &res, o->method, v.truth != NULL, &err))
        || (v.marg && pmk_ising_marginals_save(v.marg, W, H, res.marginals, &err))
        || (gx ? pmk_grey_image_write(v.out, gx, v.fmt, &err)
               : pmk_spin_image_write(v.out, x, v.fmt, &err)) != PMK_OK
        || (v.trace && pmk_outfile_commit(&tracef, &err) != PMK_OK)
        || (v.trace_png && plot_traces(&v, &res, y, x, rng, &prog, &err)))
        rc = cli_error_pmk(&err);
    else
        rc = report_denoise(&v, &res, secs);
done:
    pmk_outfile_abort(&tracef);   /* nothing when committed or never opened */
    pmk_ising_result_clear(&res);
    pmk_rng_free(rng);
    pmk_spin_image_free(x);
    pmk_spin_image_free(y);
    pmk_spin_image_free(t);
    pmk_grey_image_free(gy);
    pmk_grey_image_free(gx);
    pmk_grey_image_free(gt);
    return rc;
}

/* ------------------------------------------------------------------ noise */

static int cmd_noise(int argc, char **argv)
{
    ising_args v;
    pmk_error err;
    int rc = parse_verb(argc, argv, NOISE, &v);
    if (rc)
        return rc;
    pmk_rng *rng = cli_rng(v.a.have_seed, v.a.seed);
    if (!rng)
        return PMK_EXIT_FAIL;
    pmk_spin_image *s = NULL;
    pmk_image *g = NULL;
    size_t count = 0;
    /* a Gaussian level too large for the image's maxval is a usage error;
     * an image of the wrong kind, or unreadable, is bad data */
    if (pmk_ising_noise_read(&v.noise, v.in, &s, &g, rng, &count, &err) != PMK_OK) {
        rc = err.code == PMK_EINVAL ? cli_usage_pmk(&err) : cli_error_pmk(&err);
    } else if ((s ? pmk_spin_image_write(v.out, s, v.fmt, &err)
                  : pmk_image_write(v.out, g, v.fmt, &err))
               != PMK_OK) {
        rc = cli_error_pmk(&err);
    } else if (s) {
        cli_notice("flipped %zu of %zu pixels", count, s->width * s->height);
    } else {
        cli_notice("added Gaussian noise (sd %g levels) to %zu pixels", v.noise.gauss * g->maxval,
                   count);
    }
    pmk_image_free(g);
    pmk_spin_image_free(s);
    pmk_rng_free(rng);
    return rc;
}

/* ------------------------------------------------------------------ energy */

static int cmd_energy(int argc, char **argv)
{
    ising_args v;
    pmk_error err;
    int rc = parse_verb(argc, argv, ENERGY, &v);
    if (rc)
        return rc;
    pmk_spin_image *x = NULL, *y = NULL;
    pmk_ising_terms t;
    if (pmk_spin_image_read(v.in, v.noise.threshold, &x, &err)
        || pmk_spin_image_read_like(v.observed, v.noise.threshold, x, v.in, &y, &err)) {
        rc = cli_error_pmk(&err);
    } else if (pmk_ising_energy_terms(&v.p, x->width, x->height, x->spins, y->spins, &t, &err)) {
        /* as in denoise: parameters too large for this image, a usage error */
        rc = err.code == PMK_EINVAL ? cli_usage_pmk(&err) : cli_error_pmk(&err);
    } else {
        /* The energy, then what gives it; each a number in JSON, the
         * integers among them printing as integers (all below 2^53). */
        pmk_report *rep = pmk_report_new();
        pmk_report_num(rep, "energy", t.energy, "%.10g\n", t.energy);
        const char *key[] = {"sum_x", "sum_pairs", "sum_xy", "neighbours", "beta", "eta", "h",
                             "width", "height"};
        double val[] = {(double)t.sum_x, (double)t.sum_pairs, (double)t.sum_xy, v.p.neighbours,
                        v.p.beta, v.p.eta, v.p.h, (double)x->width, (double)x->height};
        for (int k = 0; k < 9; k++)
            pmk_report_num(rep, key[k], val[k], NULL);
        rc = cli_report_done(rep, stdout, v.a.json);
    }
    pmk_spin_image_free(x);
    pmk_spin_image_free(y);
    return rc;
}

const cli_verb cli_ising_verbs[] = {
    {"denoise", cmd_denoise}, {"noise", cmd_noise}, {"energy", cmd_energy}, {NULL, NULL}};
