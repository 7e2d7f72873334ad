/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm.c: `pmk rbm`: train a binary RBM (CD-k, PCD-k), compute hidden features,
 * evaluate (pseudo-likelihood, log Z exact or by AIS), sample Gibbs chains,
 * draw the filters, export the parameters.  Each verb reads its options
 * (opt.c), makes its library calls (pmk/rbm.h: the data path, the transform,
 * sampling, pictures and export are the library's) and reports (report.c). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "cli/help.h"
#include "mpi/pmk_mpi.h"

/* Own option keys: above the letters, below the groups' keys (opt.c). */
enum {
    OPT_LR = 256, OPT_PERSISTENT, OPT_CD_RAMP, OPT_MOMENTUM, OPT_WD, OPT_RESUME, OPT_HOLDOUT,
    OPT_LOG, OPT_CHECKPOINT, OPT_PROB, OPT_SAMPLE, OPT_EVERY, OPT_INIT, OPT_EXACT, OPT_AIS,
    OPT_AIS_RUNS, OPT_AIS_BETAS, OPT_COUNT, OPT_COLS, OPT_ZOOM, /* in this order: see filters */
    OPT_SP_TARGET, OPT_SP_COST, OPT_EXACT_PL, OPT_BINARY, OPT_TRAINER, OPT_TEMPS, OPT_PLOT,
    OPT_VISIBLE, OPT_LEARN_SIGMA
};

/* ---------------------------------------------------------------- shared */

/* What a verb holds, freed together by run_free. */
typedef struct rbm_run {
    pmk_transform asked;   /* --scale, --binarize: 0 for what was not given */
    pmk_rbm *m;
    pmk_table *t;          /* the data, transformed as the model says */
    gsl_matrix *X;         /* its rows as doubles (N x D), for the verbs that score them */
    gsl_matrix *V, *S;     /* hidden features (hidden); chains and snapshots (sample) */
    long *sweeps;          /* the snapshots' sweep counts (sample) */
    pmk_image *img;
    pmk_rng *r;
    int gauss;             /* train: a new model of Gaussian visible units */
} rbm_run;

/* Starts a run: u->asked from the options, checked as the library checks a
 * transform, before anything is read. */
static int run_begin(const cli_args *a, rbm_run *u)
{
    memset(u, 0, sizeof *u);
    return cli_asked_transform(a, &u->asked);
}

static void run_free(rbm_run *u)
{
    gsl_matrix *mats[] = {u->X, u->V, u->S};
    for (size_t k = 0; k < 3; k++)
        if (mats[k])
            gsl_matrix_free(mats[k]);
    free(u->sweeps);
    pmk_image_free(u->img);
    pmk_rbm_free(u->m);
    pmk_table_free(u->t);
    pmk_rng_free(u->r);
}

/* A count option that must be at least 1. */
static int parse_count(const char *name, const char *arg, size_t *v)
{
    int rc = cli_parse_size(name, arg, v);
    return !rc && *v == 0 ? cli_usage("--%s: must be at least 1", name) : rc;
}

/* Loads MODEL into u->m, refusing a --scale or --binarize that contradicts
 * the transform it records (exit 2, naming both). */
static int load_model(const char *path, rbm_run *u)
{
    pmk_error err;
    if (pmk_rbm_load(path, &u->m, &err))
        return cli_error_pmk(&err);
    return pmk_rbm_check_transform(u->m, &u->asked, &err) ? cli_usage("%s: %s", path, err.msg) : 0;
}

/* Reads PATH (CSV or IDX, the data options of @p a) for u->m (NULL: a model
 * to be trained) into u->t, and with @p matrix its rows into u->X; a notice
 * for a model that records no transform (MPATH: its file). */
static int load_data(const char *path, const cli_args *a, const char *mpath, int matrix,
                     rbm_run *u)
{
    pmk_error err;
    pmk_data_options o;
    cli_data_options(a, &o);
    if (u->gauss && !u->m ? pmk_rbm_read_data_gauss(path, &o, &u->asked, &u->t, &err)
                          : pmk_rbm_read_data(u->m, path, &o, &u->asked, &u->t,
                                              matrix ? &u->X : NULL, &err))
        return err.code == PMK_EINVAL ? cli_usage_pmk(&err) : cli_error_pmk(&err);
    const pmk_transform *tf = pmk_table_transform(u->t);
    if (u->m && !u->m->transform_known)
        cli_notice("%s records no transform (a version 1 model): %s is scaled by %.17g%s, as "
                   "the options say", mpath, path, tf->scale,
                   tf->threshold > 0 ? " and binarized" : "");
    return PMK_EXIT_OK;
}

/* MODEL then DATA (a.pos[0], a.pos[1]), the data's rows as doubles; with
 * @p rng, then the run's RNG (--seed). */
static int load_both(const cli_args *a, int rng, rbm_run *u)
{
    int rc = load_model(a->pos[0], u);
    if (!rc && !(rc = load_data(a->pos[1], a, a->pos[0], 1, u)) && rng)
        rc = (u->r = cli_rng(a->have_seed, a->seed)) ? 0 : PMK_EXIT_FAIL;
    return rc;
}

/* ---------------------------------------------------------------- train */

typedef struct train_ctx {
    const char *model_path;
    size_t checkpoint_every, epochs_total, first_epoch;
    int exact_pl;
    size_t temps;
    FILE *log;
    double t0, t_epoch;
    double *curves;   /* --plot: ncurves rows of epoch and the three figures */
    size_t ncurves;
} train_ctx;

/* The library's notice before the first epoch, then each epoch's line, log
 * row and checkpoint. */
static int train_epoch(const pmk_rbm *m, const pmk_rbm_epoch_info *info, void *vctx)
{
    train_ctx *c = vctx;
    double pl = info->pseudo_likelihood, gap = info->free_energy_gap;
    double now = cli_now(), secs = now - c->t_epoch;
    pmk_error err;
    c->t_epoch = now;
    if (info->notice) {   /* info->epoch: the epochs trained before */
        c->t0 = now;
        c->epochs_total += info->epoch;
        c->first_epoch = info->epoch + 1;
        cli_notice("%s", info->notice);
        return 0;
    }
    char pls[48] = "", gaps[48] = "";   /* none for Gaussian units, none without a holdout */
    if (!isnan(pl))
        snprintf(pls, sizeof pls, "  pseudo-likelihood %.4f", pl);
    if (!isnan(gap))
        snprintf(gaps, sizeof gaps, "  free-energy gap %.4f", gap);
    cli_progress_line("epoch %zu/%zu  recon %.4f%s%s  %.2f s", info->epoch, c->epochs_total,
                      info->recon_error, pls, gaps, secs);
    if (c->log) {   /* then the swap rates of each pair, space-separated */
        fprintf(c->log, "%zu,%.17g,%.17g,%.17g,%.6f,%.6f", info->epoch, info->recon_error, pl,
                gap, secs, now - c->t0);
        if (c->exact_pl)
            fprintf(c->log, ",%.17g", info->pseudo_likelihood_exact);
        for (size_t r = 0; info->swap_rates && r + 1 < c->temps; r++)
            fprintf(c->log, "%c%.6f", r ? ' ' : ',', info->swap_rates[r]);
        fputc('\n', c->log);
    }
    double *cv = realloc(c->curves, 4 * (c->ncurves + 1) * sizeof *cv);
    if (!cv)
        return cli_error("out of memory"), PMK_EIO;
    memcpy((c->curves = cv) + 4 * c->ncurves++,
           (double[4]){(double)info->epoch, info->recon_error, pl, gap}, 4 * sizeof *cv);
    if (c->checkpoint_every && (info->epoch - c->first_epoch + 1) % c->checkpoint_every == 0
        && info->epoch < c->epochs_total && pmk_rbm_save(m, c->model_path, &err)) {
        cli_error_pmk(&err);
        return PMK_EIO;
    }
    return 0;
}

/* The run's report: JSON only (the text of a run is its progress lines). */
static int train_report(const cli_args *a, const pmk_rbm *m, const pmk_rbm_options *o,
                        const train_ctx *c, const pmk_rbm_train_result *res)
{
    if (!a->json)
        return PMK_EXIT_OK;
    pmk_report *r = pmk_report_new();
    pmk_report_int(r, "rows", (long long)(res->train_rows + res->held_out), NULL);
    pmk_report_int(r, "train_rows", (long long)res->train_rows, NULL);
    pmk_report_int(r, "held_out", (long long)res->held_out, NULL);
    pmk_report_int(r, "visible", (long long)m->d, NULL);
    pmk_report_int(r, "hidden", (long long)m->h, NULL);
    pmk_report_int(r, "epochs", (long long)m->epochs, NULL);
    pmk_report_str(r, "method", o->temperatures ? "pt" : o->persistent ? "pcd" : "cd", NULL);
    pmk_report_int(r, "k", (long long)o->k, NULL);
    pmk_report_int(r, "batch", (long long)o->batch, NULL);
    pmk_report_num(r, "scale", m->transform.scale, NULL);
    pmk_report_num(r, "threshold", m->transform.threshold, NULL);
    pmk_report_num(r, "recon_error", res->last.recon_error, NULL);
    pmk_report_num(r, "pseudo_likelihood_1bit", res->last.pseudo_likelihood, NULL);
    pmk_report_num(r, "free_energy_gap", res->last.free_energy_gap, NULL);
    pmk_report_num(r, "seconds", cli_now() - c->t0, NULL);
    pmk_report_str(r, "model", strcmp(c->model_path, "-") ? c->model_path : "<stdout>", NULL);
    return cli_report_done(r, strcmp(c->model_path, "-") ? stdout : stderr, 1);
}

static int rbm_train(int argc, char **argv)
{
    static const cli_option opts[] = {
        {"hidden", 'H', 1}, {"epochs", 'e', 1}, {"batch", 'b', 1}, {"cd", 'k', 1},
        {"lr", OPT_LR, 1}, {"persistent", OPT_PERSISTENT, 0}, {"cd-ramp", OPT_CD_RAMP, 0},
        {"momentum", OPT_MOMENTUM, 1}, {"weight-decay", OPT_WD, 1}, {"resume", OPT_RESUME, 1},
        {"holdout", OPT_HOLDOUT, 1}, {"log", OPT_LOG, 1},
        {"checkpoint-every", OPT_CHECKPOINT, 1}, {"sparsity-target", OPT_SP_TARGET, 1},
        {"sparsity-cost", OPT_SP_COST, 1}, {"log-exact-pl", OPT_EXACT_PL, 0},
        {"trainer", OPT_TRAINER, 1}, {"temperatures", OPT_TEMPS, 1}, {"plot", OPT_PLOT, 1},
        {"visible", OPT_VISIBLE, 1}, {"learn-sigma", OPT_LEARN_SIGMA, 0}, {NULL, 0, 0},
    };
    const char *resume = NULL, *logpath = NULL, *plot = NULL, *arg;
    size_t checkpoint = 0;
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    cli_args a;
    cli_parser p;
    pmk_error err;
    int key, rc = 0;
    cli_args_init(&a);
    cli_parse_begin(&p, argc, argv, pmk_help_rbm_train, CLI_G_DATA | CLI_G_OUTPUT | CLI_G_JSON | CLI_G_SEED,
                    opts, &a);
    while (!rc && (key = cli_parse_next(&p, &arg)) > 0) {
        switch (key) {
        case 'H': rc = cli_parse_size("hidden", arg, &o.hidden); break;
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
        case OPT_HOLDOUT: rc = cli_parse_double("holdout", arg, &o.holdout); break;
        case OPT_LOG: logpath = arg; break;
        case OPT_PLOT: plot = arg; break;
        case OPT_CHECKPOINT: rc = cli_parse_size("checkpoint-every", arg, &checkpoint); break;
        case OPT_SP_TARGET: rc = cli_parse_double("sparsity-target", arg, &o.sparsity_target); break;
        case OPT_SP_COST: rc = cli_parse_double("sparsity-cost", arg, &o.sparsity_cost); break;
        case OPT_EXACT_PL: o.log_exact_pl = 1; break;
        case OPT_TRAINER: rc = pmk_rbm_options_set_trainer(&o, arg, &err) ? cli_usage_pmk(&err) : 0; break;
        case OPT_TEMPS: rc = pmk_rbm_options_set_temperatures(&o, arg, &err) ? cli_usage_pmk(&err) : 0; break;
        case OPT_LEARN_SIGMA: o.learn_sigma = 1; break;
        case OPT_VISIBLE: rc = pmk_rbm_options_set_visible(&o, arg, &err) ? cli_usage_pmk(&err) : 0; break;
        }
    }
    if (rc || key < 0)
        return rc ? rc : p.status;
    if ((rc = cli_args_count(&a, 1, 1, "missing DATA")))
        return rc;
    const char *out = a.output, *path = a.pos[0];
    if (!out)
        return cli_usage("missing -o MODEL");
    if (pmk_rbm_options_check(&o, &err))
        return cli_usage_pmk(&err);
    rbm_run u;
    if ((rc = run_begin(&a, &u)))
        return rc;
    u.gauss = o.visible == PMK_RBM_GAUSSIAN;
    if (checkpoint && !strcmp(out, "-"))
        return cli_usage("--checkpoint-every needs a model file, not -o -");
    const char *train_in[] = {path, resume}, *train_out[] = {out, logpath, plot};
    if ((rc = cli_check_files(train_in, 2, train_out, 3)))
        return rc;

    int rank = pmkmpi_rank();   /* under mpirun only rank 0 writes files (src/mpi/) */
    if (rank)
        logpath = NULL, checkpoint = 0, plot = NULL;
    train_ctx ctx = {out, checkpoint, o.epochs, 1, o.log_exact_pl, o.temperatures, NULL,
                     cli_now(), cli_now(), NULL, 0};
    pmk_rbm_train_result res;
    pmk_outfile logf = {0};
    if ((resume && (rc = load_model(resume, &u))) || (rc = load_data(path, &a, resume, 0, &u)))
        goto done;
    if (!(u.r = cli_rng(a.have_seed, a.seed))) {
        rc = PMK_EXIT_FAIL;
        goto done;
    }
    if (logpath && pmk_outfile_open(&logf, logpath, &err)) {
        rc = cli_error_pmk(&err);
        goto done;
    }
    if ((ctx.log = logpath ? logf.fp : NULL))
        fprintf(logf.fp, "epoch,recon_error,pseudo_likelihood,free_energy_gap,seconds,elapsed%s%s\n",
                o.log_exact_pl ? ",pseudo_likelihood_exact" : "", o.temperatures ? ",swap_rates" : "");
    o.progress = cli_progress_fn;
    pmkmpi_rbm_options(&o);   /* under mpirun: data-parallel over the ranks */
    o.threads = cli_threads();
    o.continue_rng = !a.have_seed;   /* --resume alone continues the saved stream */
    pmk_error_clear(&err);
    rc = pmk_rbm_train_table(&u.m, u.t, &o, u.r, train_epoch, &ctx, &res, &err);
    cli_progress_done();
    if (rc)   /* a failed checkpoint has printed its message */
        rc = rc == PMK_EIO && !err.msg[0] ? PMK_EXIT_FAIL : cli_error_pmk(&err);
    /* Every write error of the log is seen before the model is replaced;
     * the log's rename follows the model's. */
    else if ((logpath && pmk_outfile_sync(&logf, &err)) || (!rank && pmk_rbm_save(u.m, out, &err))
             || (logpath && pmk_outfile_commit(&logf, &err))
             || (plot && pmk_plot_rbm_curves(ctx.curves, ctx.ncurves, plot, &err)))
        rc = cli_error_pmk(&err);
    else
        rc = train_report(&a, u.m, &o, &ctx, &res);
done:
    free(ctx.curves);
    if (logpath)
        pmk_outfile_abort(&logf);
    run_free(&u);
    return rc;
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
    cli_parse_begin(&p, argc, argv, pmk_help_rbm_hidden, CLI_G_DATA | CLI_G_OUTPUT | CLI_G_SEED, opts,
                    &a);
    while ((key = cli_parse_next(&p, &arg)) > 0)
        sample = key == OPT_SAMPLE;
    if (key < 0)
        return p.status;
    const char *out = a.output ? a.output : "-";
    rbm_run u;
    pmk_error err;
    if ((rc = cli_args_count(&a, 2, 2, "expected MODEL DATA")) || (rc = run_begin(&a, &u))
        || (rc = cli_check_files((const char *const *)a.pos, 2, &out, 1)))
        return rc;
    if (!(rc = load_both(&a, sample, &u)) && !(u.V = gsl_matrix_alloc(u.X->size1, u.m->h)))
        rc = cli_error("out of memory");
    else if (!rc && ((sample ? pmk_rbm_sample_hidden_threads(u.m, u.X, cli_threads(), u.V, u.r, &err)
                             : pmk_rbm_hidden_prob_threads(u.m, u.X, cli_threads(), u.V, &err))
                     || pmk_csv_write_numbered(out, u.V, pmk_table_labels(u.t),
                                               pmk_table_labels(u.t) ? "label" : NULL, "h", &err)))
        rc = cli_error_pmk(&err);
    run_free(&u);
    return rc;
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
    int three = n == 3, ok = three;
    for (size_t k = 0; k < n && ok; k++)
        ok = v[k] >= 0 && v[k] <= 1e7 && v[k] == floor(v[k]);
    for (size_t k = 0; k < 3 && ok; k++)
        ao->n_betas[k] = (size_t)v[k];
    free(v);
    if (!three)
        return cli_usage("--ais-betas: '%s' is not three counts A,B,C", arg);
    return ok ? 0 : cli_usage("--ais-betas: '%s': each count is a whole number from 0 to "
                              "10000000", arg);
}

/* A figure of eval's report: its JSON key and, unless @p label is NULL, a
 * text line, the label in 27 columns. */
static void eval_num(pmk_report *rep, const char *key, double v, const char *label)
{
    pmk_report_num(rep, key, v, label ? "%-27s%.6f\n" : NULL, label, v);
}

static void eval_report(pmk_report *rep, const pmk_rbm_evaluation *ev, int gauss)
{
    const pmk_rbm_ais_result *res = &ev->ais;
    int exact = ev->log_z_method == PMK_RBM_LOG_Z_EXACT, ais = ev->log_z_method == PMK_RBM_LOG_Z_AIS;
    pmk_report_int(rep, "n", (long long)ev->n, "%-27s%zu\n", "rows", ev->n);
    eval_num(rep, "recon_error", ev->recon_error, "reconstruction error");
    /* binary units only: the pseudo-likelihood of Gaussian ones is NaN (JSON null) */
    eval_num(rep, "pseudo_likelihood", ev->pseudo_likelihood, gauss ? NULL : "pseudo-likelihood (exact)");
    eval_num(rep, "pseudo_likelihood_1bit", ev->pseudo_likelihood_1bit,
             gauss ? NULL : "pseudo-likelihood (1 bit)");
    eval_num(rep, "mean_free_energy", ev->mean_free_energy, "mean free energy");
    pmk_report_str(rep, "log_z_method", exact ? "exact" : ais ? "ais" : "none", NULL);
    if (ais) {
        char label[64];
        snprintf(label, sizeof label, "log Z (AIS, %zu runs)", res->runs);
        pmk_report_num(rep, "log_z", ev->log_z, "%-27s%.6f  (+-3 sigma: %.6f .. %.6f)\n", label,
                       ev->log_z, res->log_z_lo, res->log_z_hi);
        pmk_report_num(rep, "log_z_lo", res->log_z_lo, NULL);
        pmk_report_num(rep, "log_z_hi", res->log_z_hi, NULL);
        pmk_report_int(rep, "ais_runs", (long long)res->runs, NULL);
        pmk_report_int(rep, "ais_steps", (long long)res->steps, NULL);
    } else {
        eval_num(rep, "log_z", ev->log_z, exact ? "log Z (exact)" : NULL);
    }
    eval_num(rep, "mean_log_prob", ev->mean_log_prob, exact || ais ? "mean log p(v)" : NULL);
    if (gauss)   /* in the raw data's units: log p(v) plus the log-Jacobian */
        eval_num(rep, "mean_log_density", ev->mean_log_density,
                 exact || ais ? "log-density (data units)" : NULL);
}

static int rbm_eval(int argc, char **argv)
{
    static const cli_option opts[] = {{"exact", OPT_EXACT, 0}, {"ais", OPT_AIS, 0},
                                      {"ais-runs", OPT_AIS_RUNS, 1},
                                      {"ais-betas", OPT_AIS_BETAS, 1}, {NULL, 0, 0}};
    const char *arg;
    cli_args a;
    cli_parser p;
    int key, rc = 0, method = PMK_RBM_LOG_Z_NONE;   /* the bits of --exact, --ais */
    pmk_rbm_ais_options ao;
    pmk_rbm_ais_options_init_default(&ao);
    ao.progress = cli_progress_fn;
    pmk_error err;
    cli_args_init(&a);
    cli_parse_begin(&p, argc, argv, pmk_help_rbm_eval, CLI_G_DATA | CLI_G_JSON | CLI_G_SEED, opts, &a);
    while (!rc && (key = cli_parse_next(&p, &arg)) > 0) {
        switch (key) {
        case OPT_EXACT: method |= PMK_RBM_LOG_Z_EXACT; break;
        case OPT_AIS: method |= PMK_RBM_LOG_Z_AIS; break;
        case OPT_AIS_RUNS: rc = cli_parse_size("ais-runs", arg, &ao.runs); break;
        case OPT_AIS_BETAS: rc = parse_betas(arg, &ao); break;
        }
    }
    if (rc || key < 0)
        return rc ? rc : p.status;
    rbm_run u;
    if ((rc = cli_args_count(&a, 2, 2, "expected MODEL DATA")) || (rc = run_begin(&a, &u)))
        return rc;
    if (method == (PMK_RBM_LOG_Z_EXACT | PMK_RBM_LOG_Z_AIS))
        return cli_usage("--exact and --ais exclude each other");
    ao.threads = cli_threads();
    pmkmpi_rbm_ais_options(&ao);   /* under mpirun: the runs split over the ranks */
    if (pmk_rbm_ais_options_check(&ao, &err))
        return cli_usage_pmk(&err);
    pmk_rbm_evaluation ev;
    gsl_vector *hm = NULL;   /* each hidden unit's mean activation */
    if (!(rc = load_both(&a, 1, &u)) && !(hm = gsl_vector_alloc(u.m->h)))
        rc = cli_error("out of memory");
    if (!rc && (pmk_rbm_evaluate(u.m, u.X, method, &ao, u.r, &ev, &err)
                || pmk_rbm_hidden_means_threads(u.m, u.X, ao.threads, hm, &err)))
        rc = method == PMK_RBM_LOG_Z_EXACT && err.code == PMK_ELIMIT   /* a layer too wide */
                 ? cli_error("%s: %s (--ais)", a.pos[0], err.msg) : cli_error_pmk(&err);
    else if (!rc) {
        pmk_report *rep = pmk_report_new();
        eval_report(rep, &ev, u.m->visible);
        pmk_report_nums(rep, "hidden_mean", hm->data, u.m->h);
        rc = cli_report_done(rep, stdout, a.json);
    }
    if (hm)
        gsl_vector_free(hm);
    run_free(&u);
    return rc;
}

/* ---------------------------------------------------------------- sample */

/* -o of sample: an image (a format asked for, or .png / .pgm: a grey image
 * is no PBM) or CSV (.csv, or - without --format).  0 or a usage error. */
static int sample_output(const cli_args *a, const char **path, pmk_image_format *fmt, int *image)
{
    const char *out = a->output, *dot = out ? strrchr(out, '.') : NULL;
    if (!out)
        return cli_usage("missing -o OUT.png or OUT.csv");
    *image = a->format || strchr(out, ':')
             || (!pmk_image_format_from_path(out, fmt, NULL) && *fmt != PMK_IMAGE_PBM);
    if (*image)
        return cli_image_output(a, path, fmt);
    if (!(dot && !strcasecmp(dot, ".csv")) && strcmp(out, "-"))
        return cli_usage("-o: '%s' must end in .png, .pgm or .csv", out);
    *path = out;
    return 0;
}

static int rbm_sample(int argc, char **argv)
{
    static const cli_option opts[] = {{"chains", 'n', 1}, {"steps", 's', 1},
                                      {"every", OPT_EVERY, 1}, {"init", OPT_INIT, 1},
                                      {"binary", OPT_BINARY, 0}, {NULL, 0, 0}};
    const char *init = NULL, *arg, *out;
    pmk_rbm_sample_options so;
    pmk_rbm_sample_options_init_default(&so);
    cli_args a;
    cli_parser p;
    pmk_error err;
    int key, rc = 0, image = 0;
    pmk_image_format fmt = PMK_IMAGE_AUTO;
    cli_args_init(&a);
    cli_parse_begin(&p, argc, argv, pmk_help_rbm_sample,
                    CLI_G_DATA | CLI_G_OUTPUT | CLI_G_FORMAT | CLI_G_SEED, opts, &a);
    while (!rc && (key = cli_parse_next(&p, &arg)) > 0) {
        switch (key) {
        case 'n': rc = cli_parse_size("chains", arg, &so.chains); break;
        case 's': rc = cli_parse_size("steps", arg, &so.steps); break;
        case OPT_EVERY: rc = parse_count("every", arg, &so.every); break;
        case OPT_BINARY: so.binary = 1; break;
        case OPT_INIT:
            init = strncmp(arg, "data:", 5) ? NULL : arg + 5;
            if (!init && strcmp(arg, "random"))
                rc = cli_usage("--init: '%s' is neither 'random' nor 'data:FILE'", arg);
            break;
        }
    }
    if (rc || key < 0)
        return rc ? rc : p.status;
    so.threads = cli_threads();
    rbm_run u;
    if ((rc = cli_args_count(&a, 1, 1, "missing MODEL")) || (rc = sample_output(&a, &out, &fmt, &image))
        || (rc = run_begin(&a, &u)))
        return rc;
    if (pmk_rbm_sample_options_check(&so, &err))
        return cli_usage_pmk(&err);
    const char *sample_in[] = {a.pos[0], init};
    if ((rc = cli_check_files(sample_in, 2, &out, 1)))
        return rc;
    size_t side;
    if (!(rc = load_model(a.pos[0], &u)) && image && pmk_rbm_image_side(u.m->d, &side, &err))
        rc = cli_error("%s: %s; write a .csv", a.pos[0], err.msg);
    if (!rc && !(u.r = cli_rng(a.have_seed, a.seed)))
        rc = PMK_EXIT_FAIL;
    if (!rc && init)
        rc = load_data(init, &a, a.pos[0], 0, &u);
    if (!rc && (pmk_rbm_sample_init(u.m, u.t, &so, u.r, &u.V, &err)
                || pmk_rbm_sample(u.m, u.V, &so, u.r, &u.S, &u.sweeps, &err)
                || (image ? pmk_rbm_visible_image(u.m, u.S, so.chains, &u.img, &err)
                                || pmk_image_write(out, u.img, fmt, &err)
                          : pmk_csv_write_numbered(out, u.S, u.sweeps, "sweep", "v", &err))))
        rc = cli_error_pmk(&err);
    run_free(&u);
    return rc;
}

/* ---------------------------------------------------------------- filters */

static int rbm_filters(int argc, char **argv)
{
    static const cli_option opts[] = {{"count", OPT_COUNT, 1}, {"cols", OPT_COLS, 1},
                                      {"zoom", OPT_ZOOM, 1}, {NULL, 0, 0}};
    const char *arg, *out;
    size_t count = 0, cols = 0, side, zoom = 0;
    cli_args a;
    cli_parser p;
    pmk_image_format fmt;
    pmk_error err;
    int key, rc = 0;
    cli_args_init(&a);
    cli_parse_begin(&p, argc, argv, pmk_help_rbm_filters, CLI_G_OUTPUT | CLI_G_FORMAT, opts, &a);
    while (!rc && (key = cli_parse_next(&p, &arg)) > 0)
        rc = parse_count(opts[key - OPT_COUNT].name, arg,
                         key == OPT_COUNT ? &count : key == OPT_COLS ? &cols : &zoom);
    if (!rc && zoom && pmk_plot_zoom_check(zoom, &err))
        rc = cli_usage("--zoom: %s", err.msg);
    if (rc || key < 0)
        return rc ? rc : p.status;
    if ((rc = cli_args_count(&a, 1, 1, "missing MODEL")))
        return rc;
    if (!a.output)
        return cli_usage("missing -o FILTERS.png");
    if ((rc = cli_image_output(&a, &out, &fmt))
        || (rc = cli_check_files((const char *const *)a.pos, 1, &out, 1)))
        return rc;
    rbm_run u;
    if (!(rc = run_begin(&a, &u)) && !(rc = load_model(a.pos[0], &u))
        && pmk_rbm_image_side(u.m->d, &side, &err))
        rc = cli_error("%s: %s", a.pos[0], err.msg);
    else if (!rc && (zoom ? pmk_plot_rbm_filters(u.m, count, cols, zoom, out, &err)
                          : pmk_rbm_filters_image(u.m, count, cols, &u.img, &err)
                                || pmk_image_write(out, u.img, fmt, &err)))
        rc = cli_error_pmk(&err);
    run_free(&u);
    return rc;
}

/* ---------------------------------------------------------------- export */

static int rbm_export(int argc, char **argv)
{
    cli_args a;
    pmk_error err;
    int rc;
    if ((rc = cli_parse(argc, argv, pmk_help_rbm_export, 0, &a))
        || (rc = cli_args_count(&a, 2, 2, "expected MODEL DIR")))
        return rc;
    char path[PMK_RBM_EXPORT_FILES][4096];
    const char *outs[PMK_RBM_EXPORT_FILES];
    for (size_t k = 0; k < PMK_RBM_EXPORT_FILES; k++) {
        snprintf(path[k], sizeof path[k], "%s/%s", a.pos[1], pmk_rbm_export_file(k));
        outs[k] = path[k];
    }
    if ((rc = cli_check_files((const char *const *)a.pos, 1, outs, PMK_RBM_EXPORT_FILES)))
        return rc;
    rbm_run u;
    if (!(rc = run_begin(&a, &u)) && !(rc = load_model(a.pos[0], &u))
        && pmk_rbm_export(u.m, a.pos[1], &err))
        rc = cli_error_pmk(&err);
    run_free(&u);
    return rc;
}

/* ---------------------------------------------------------------- dispatch */

const cli_verb cli_rbm_verbs[] = {
    {"train", rbm_train},   {"hidden", rbm_hidden},   {"sample", rbm_sample},
    {"eval", rbm_eval},     {"filters", rbm_filters}, {"export", rbm_export},
    {NULL, NULL},
};
