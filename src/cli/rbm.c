/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm.c: `pmk rbm`: train a binary RBM (CD-k, PCD-k), compute hidden features,
 * evaluate (pseudo-likelihood, log Z exact or by AIS); the data path shared by
 * every verb, and the dispatch.  Sampling, filters, export and the demo are in
 * rbm_draw.c.  Each verb reads its
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

#include "cli/help.h"
#include "cli/rbm_cli.h"

/* ---------------------------------------------------------------- help */

/* ---------------------------------------------------------------- shared */

/* "pmk rbm VERB: PATH: the data have ..." when DATA does not fit the model. */
static int rbm_check_dims(const pmk_rbm *m, size_t d, const char *path)
{
    if (d != m->d)
        return cli_error("%s: the data have %zu feature columns but the model has %zu "
                         "visible units",
                         path, d, m->d);
    return PMK_EXIT_OK;
}

/* "P0,P1,...": a CSV header line of @p n numbered names, after @p first
 * (NULL: none).  malloc'ed; NULL when out of memory. */
char *rbm_numbered_header(const char *first, const char *prefix, size_t n)
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
int rbm_write_csv(const char *path, const gsl_matrix *X, const long *y, const char *first,
                     const char *prefix)
{
    pmk_error err;
    char *head = rbm_numbered_header(first, prefix, X->size2);
    if (!head)
        return cli_error("out of memory");
    int rc = pmk_csv_write(path, X, y, head, &err);
    free(head);
    return rc ? cli_error_pmk(&err) : PMK_EXIT_OK;
}

/* The positional arguments: at least @p min, at most @p max. */
int rbm_expect_args(const cli_args *a, size_t min, size_t max, const char *missing)
{
    if (a->npos < min)
        return cli_usage("%s", missing);
    return cli_args_max(a, max);
}

/* ---------------------------------------------------------------- data */

void rbm_data_free(rbm_data *d)
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
int rbm_check_transform_args(const cli_data_args *da)
{
    pmk_error err;
    pmk_transform tf = asked_transform(da);
    if (!da->have_scale)
        tf.scale = 1;
    return pmk_transform_check(&tf, &err) ? cli_usage_pmk(&err) : 0;
}

/* Loads MODEL, refusing a --scale or --binarize that contradicts the
 * transform it records (exit 2, naming both). */
int rbm_load_model(const char *path, const cli_data_args *da, pmk_rbm **m)
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
int rbm_load_data(const char *path, const cli_data_args *da, const pmk_rbm *m,
                     const char *mpath, int matrix, rbm_data *out)
{
    pmk_error err;
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.header = da->header;
    o.label_col = da->label_col;
    o.labels = da->labels;
    o.progress = cli_progress_fn;
    memset(out, 0, sizeof *out);
    out->path = path;
    if (pmk_data_read_all(path, &o, &out->t, &err))
        return cli_error_pmk(&err);
    size_t N = pmk_table_nrows(out->t), D = pmk_table_nfeatures(out->t);
    int rc;
    if (m && (rc = rbm_check_dims(m, D, path)))
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
    cli_progress_line("epoch %zu/%zu  recon %.4f  pseudo-likelihood %.4f  free-energy gap %.4f  "
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
    cli_parse_begin(&p, argc, argv, pmk_help_rbm_train, CLI_G_DATA | CLI_G_OUTPUT | CLI_G_JSON | CLI_G_SEED,
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
    if ((rc = rbm_expect_args(&a, 1, 1, "missing DATA")))
        return rc;
    const char *out = a.output, *path = a.pos[0];
    if (!out)
        return cli_usage("missing -o MODEL");
    if (pmk_rbm_options_check(&o, &err))
        return cli_usage_pmk(&err);
    if ((rc = rbm_check_transform_args(&a.data)))
        return rc;
    if (checkpoint && !strcmp(out, "-"))
        return cli_usage("--checkpoint-every needs a model file, not -o -");
    const char *train_in[] = {path, resume}, *train_out[] = {out, logpath};
    if ((rc = cli_check_files(train_in, 2, train_out, 2)))
        return rc;

    pmk_rbm *m = NULL;
    rbm_data data = {0};
    if ((resume && (rc = rbm_load_model(resume, &a.data, &m)))
        || (rc = rbm_load_data(path, &a.data, m, resume, 0, &data))) {
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
    o.progress = cli_progress_fn;
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
    cli_parse_begin(&p, argc, argv, pmk_help_rbm_hidden, CLI_G_DATA | CLI_G_OUTPUT | CLI_G_SEED, opts,
                    &a);
    while ((key = cli_parse_next(&p, &arg)) > 0)
        sample = key == OPT_SAMPLE;
    if (key < 0)
        return p.status;
    const char *out = a.output ? a.output : "-";
    if ((rc = rbm_expect_args(&a, 2, 2, "expected MODEL DATA")) || (rc = rbm_check_transform_args(&a.data))
        || (rc = cli_check_files((const char *const *)a.pos, 2, &out, 1)))
        return rc;
    pmk_rbm *m = NULL;
    rbm_data data = {0};
    if ((rc = rbm_load_model(a.pos[0], &a.data, &m))
        || (rc = rbm_load_data(a.pos[1], &a.data, m, a.pos[0], 1, &data))) {
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
        status = rbm_write_csv(out, P, data.y, data.y ? "label" : NULL, "h");
    if (P)
        gsl_matrix_free(P);
    pmk_rng_free(r);
    pmk_rbm_free(m);
    rbm_data_free(&data);
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
    ao.progress = cli_progress_fn;
    pmk_error err;
    cli_args_init(&a);
    cli_parse_begin(&p, argc, argv, pmk_help_rbm_eval, CLI_G_DATA | CLI_G_JSON | CLI_G_SEED, opts, &a);
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
    if ((rc = rbm_expect_args(&a, 2, 2, "expected MODEL DATA")) || (rc = rbm_check_transform_args(&a.data)))
        return rc;
    if (exact && ais)
        return cli_usage("--exact and --ais exclude each other");
    if (pmk_rbm_ais_options_check(&ao, &err))
        return cli_usage_pmk(&err);
    const char *mpath = a.pos[0];
    pmk_rbm *m = NULL;
    rbm_data data = {0};
    if ((rc = rbm_load_model(mpath, &a.data, &m))
        || (rc = rbm_load_data(a.pos[1], &a.data, m, mpath, 1, &data))) {
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

/* ---------------------------------------------------------------- dispatch */

int cli_rbm(int argc, char **argv)
{
    static const cli_verb verbs[] = {
        {"train", rbm_train},   {"hidden", rbm_hidden},   {"sample", rbm_sample},
        {"eval", rbm_eval},     {"filters", rbm_filters}, {"export", rbm_export},
        {NULL, NULL},
    };
    return cli_dispatch(verbs, pmk_help_rbm, argc, argv);
}

