/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* demo.c: `pmk demo`: every model on the embedded data in data/, with a short
 * report on stdout and pictures written into one folder. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "cli/help.h"

/* The demo's files: its inputs in the data folder and its pictures in the
 * output folder, named once here (cli_demo checks them all before any part
 * runs: an output folder that is the data folder must not replace the data). */
enum { DEMO_TRAIN, DEMO_TEST, DEMO_HORSE, DEMO_NOISY, DEMO_NIN };
enum { DEMO_GNB, DEMO_RBM, DEMO_ISING = DEMO_RBM + 4, DEMO_NOUT };
static const char *const in_names[DEMO_NIN] = {"mnist-train.csv.gz", "mnist-test.csv.gz",
                                               "horse.pbm", "horse-noisy10.pbm"};
static const char *const out_names[DEMO_NOUT] = {"gnb-means.png", "rbm-filters.png",
                                                 "rbm-hidden.png", "rbm-gibbs.png",
                                                 "rbm-samples.png", "ising-horse.png"};

/* The gnb part: the Gaussian classifier fitted on the MNIST sample, scored
 * on the held-out digits, and a picture of its class means and sigma
 * (library calls only). */
static int demo_gnb(const char *const in[], const char *const out[], unsigned long seed)
{
    (void)seed;   /* the fit is deterministic */
    const char *train = in[DEMO_TRAIN], *test = in[DEMO_TEST], *png = out[DEMO_GNB];
    cli_set_command("demo gnb");
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.chunk_rows = 1024;
    o.header = PMK_CSV_HEADER_NO;
    o.threads = cli_threads();
    pmk_gnb *m = NULL;
    pmk_gnb_eval *tr = NULL, *te = NULL;
    pmk_data_reader *r = NULL;
    pmk_error err;
    pmk_error_clear(&err);
    pmk_gnb_fitter *f = pmk_gnb_fitter_open(train, &o, NULL, 1, &err);
    int rc = !f || pmk_gnb_fitter_run(f, &m, &tr, &err) || !(r = pmk_data_open(test, &o, &err))
             || pmk_gnb_eval_reader(m, r, &te, &err) || pmk_plot_gnb_model(m, 28, 28, 4, png, &err)
             ? cli_error_pmk(&err) : 0;
    if (!rc) {
        double nt = (double)te->n;
        printf("gnb: Gaussian classifier, shared variance, pixels/255, var_smoothing 1e-9\n"
               "gnb:   fit on %zu digits (%zu classes, %zu pixels): train accuracy %.6f\n"
               "gnb:   held-out %zu digits: test accuracy %.4f, mean NLL %.2f nats, "
               "mean log-posterior %.4f\n", tr->n, pmk_gnb_nclasses(m), pmk_gnb_nfeatures(m),
               (double)tr->correct / (double)tr->n, te->n, (double)te->correct / nt,
               te->sum_nll / nt, te->sum_log_post / nt);
        if (te->zero_var_rows)
            printf("gnb:   (the NLL is dominated by %zu digits with ink on a pixel that is "
                   "blank in every training digit)\n", te->zero_var_rows);
        printf("gnb:   class means and sigma: %s\n", png);
    }
    pmk_gnb_fitter_free(f);
    pmk_data_close(r);
    pmk_gnb_eval_free(tr);
    pmk_gnb_eval_free(te);
    pmk_gnb_free(m);
    return rc;
}

/* The Ising part: the noisy horse restored by ICM and by the exact minimum
 * cut, with a side-by-side picture (library calls only). */
static int demo_ising(const char *const in[], const char *const out[], unsigned long seed)
{
    (void)seed; /* ICM and mincut are deterministic */
    const char *noisy_path = in[DEMO_NOISY], *clean_path = in[DEMO_HORSE], *png = out[DEMO_ISING];
    cli_set_command("demo");
    pmk_error err;
    pmk_error_clear(&err);
    pmk_spin_image *noisy = NULL, *clean = NULL, *x = NULL;
    pmk_image *pic[4] = {NULL, NULL, NULL, NULL}, *side = NULL;
    int status = PMK_EXIT_OK;
    if (pmk_spin_image_read(noisy_path, 0, &noisy, &err)
        || pmk_spin_image_read(clean_path, 0, &clean, &err)) {
        status = cli_error_pmk(&err);
        goto done;
    }
    size_t W = noisy->width, H = noisy->height, n = W * H;
    if (clean->width != W || clean->height != H) {
        status = cli_error("%s and %s are not binary images of one size", noisy_path, clean_path);
        goto done;
    }
    pmk_ising_params p;
    pmk_ising_options o;
    pmk_ising_params_init_default(&p);
    pmk_ising_options_init_default(&o);
    o.threads = cli_threads();
    pmk_ising_result res;
    pmk_ising_terms tm;   /* sum_xy = n - 2 (pixels that differ) */
    if (!(x = pmk_spin_image_alloc(W, H, &err)) || pmk_spin_image_to_image(noisy, &pic[0], &err)
        || pmk_spin_image_to_image(clean, &pic[3], &err)
        || pmk_ising_energy_terms(&p, W, H, noisy->spins, clean->spins, &tm, &err)) {
        status = cli_error_pmk(&err);
        goto done;
    }
    printf("ising: %s (%zux%zu), %.2f%% of pixels differ from horse.pbm; beta 1, eta 2.1, h 0\n",
           "horse-noisy10.pbm", W, H, 50.0 * ((double)n - (double)tm.sum_xy) / (double)n);
    o.truth = clean->spins;
    for (int m = 0; m < 2; m++) {
        o.method = m ? PMK_ISING_MINCUT : PMK_ISING_ICM;
        double t0 = cli_now();
        if (pmk_ising_denoise(&p, &o, W, H, noisy->spins, x->spins, NULL, &res, &err) != PMK_OK) {
            status = cli_error_pmk(&err);
            goto done;
        }
        double secs = cli_now() - t0;
        double wrong = 100.0 * (double)res.errors / (double)n;
        if (m)
            printf("ising:   mincut (exact MAP): energy %.1f, %.4f%% of pixels wrong (%.3f s)\n",
                   res.energy, wrong, secs);
        else
            printf("ising:   ICM (raster): %zu sweeps, energy %.1f, %.4f%% of pixels wrong (%.3f s)\n",
                   res.sweeps, res.energy, wrong, secs);
        pmk_ising_result_clear(&res);
        if (pmk_spin_image_to_image(x, &pic[1 + m], &err)) {
            status = cli_error_pmk(&err);
            goto done;
        }
    }
    const pmk_image *row[4] = {pic[0], pic[1], pic[2], pic[3]};
    if (pmk_image_hconcat(row, 4, 8, &side, &err) != PMK_OK
        || pmk_image_write(png, side, PMK_IMAGE_PNG, &err) != PMK_OK) {
        status = cli_error_pmk(&err);
        goto done;
    }
    printf("ising:   picture: %s (noisy | ICM | mincut | clean)\n", png);
done:
    pmk_spin_image_free(noisy);
    pmk_spin_image_free(clean);
    pmk_spin_image_free(x);
    for (int k = 0; k < 4; k++)
        pmk_image_free(pic[k]);
    pmk_image_free(side);
    return status;
}

/* The RBM part: 100 hidden units trained for a few seconds on 2,000 digits
 * of the embedded MNIST sample (CD-1, 20 epochs, learning rate 0.05),
 * labelled pictures of its filters, of one digit's hidden samples seen
 * through p(v|h), and of 60 Gibbs chains started from held-out digits (6 of
 * each class) run 1,000 sweeps.  A Gaussian classifier fitted on the same
 * 2,000 digits labels the chains' final visible means: the classes it finds
 * say objectively whether the samples look like digits of many classes
 * (tests/cli_plot.sh wants 7 of 10 at the demo's seed).  CD-1, not PCD: in
 * trials on this data and budget, PCD models sent every chain to one class. */
static int demo_rbm(const char *const in[], const char *const outs[], unsigned long seed)
{
    const char *path = in[DEMO_TRAIN], *const *out = outs + DEMO_RBM; /* filters .. samples */
    cli_set_command("demo rbm");
    pmk_error err;
    pmk_table *t = NULL;
    pmk_rbm *m = NULL;
    pmk_gnb *g = NULL;
    pmk_rng *r = pmk_rng_alloc(NULL, seed);
    enum { C = 60, STEPS = 1000, EVERY = 200, S = STEPS / EVERY };
    gsl_matrix *X = NULL, *V = NULL, *Hs = NULL, *P = NULL, *snaps = NULL;
    size_t side, pick = 0, H = 100, found[10] = {0}, classes = 0;
    long cls[C];
    char caps[C][24];
    const char *cp[C];
    double recon, pl;
    int status = PMK_EXIT_OK;
    pmk_rbm_options o;
    pmk_rbm_options_init_default(&o);
    o.epochs = 20, o.batch = 20;   /* 2,000 updates */
    o.lr = 0.05, o.momentum = 0.5;
    o.threads = cli_threads();
    pmk_plot_montage_options po;
    pmk_plot_montage_options_init_default(&po);
    if (pmk_rbm_read_data(NULL, path, NULL, NULL, &t, &X, &err))
        goto fail;
    const size_t N = X->size1 < 2000 ? X->size1 : 2000, D = X->size2;
    const long *y = pmk_table_labels(t);
    gsl_matrix_view Xv = gsl_matrix_submatrix(X, 0, 0, N, D);
    if (pmk_rbm_image_side(D, &side, &err)) {
        status = cli_error("%s: %s", path, err.msg);
        goto done;
    }
    double t0 = cli_now();
    if (!r || !(V = gsl_matrix_alloc(C, D)) || !(Hs = gsl_matrix_alloc(10, H))
        || !(P = gsl_matrix_alloc(11, D)) || !(m = pmk_rbm_alloc(D, H, &err))) {
        status = cli_error("out of memory");
        goto done;
    }
    if (pmk_rbm_init(m, &Xv.matrix, r, &err) || pmk_rbm_fit(m, &Xv.matrix, &o, r, NULL, NULL, &err))
        goto fail;
    double secs = cli_now() - t0;
    if (pmk_rbm_recon_error_threads(m, &Xv.matrix, cli_threads(), r, &recon, &err)
        || pmk_rbm_pseudo_likelihood_1bit_threads(m, &Xv.matrix, cli_threads(), r, &pl, &err))
        goto fail;
    printf("rbm: %zu hidden units trained on %zu digits (CD-1, %zu epochs, batch %zu) in %.1f s\n"
           "rbm: reconstruction error %.2f per digit, pseudo-likelihood %.2f\n", H, N, o.epochs,
           o.batch, secs, recon, pl);
    /* one digit 3 (the first row without labels), then p(v|h) for 10 samples h ~ p(h|v) */
    while (y && pick < N && y[pick] != 3)
        pick++;
    pick = pick < N ? pick : 0;
    gsl_vector_const_view digit = gsl_matrix_const_row(X, pick);
    gsl_matrix_view rest = gsl_matrix_submatrix(P, 1, 0, 10, D);
    gsl_matrix_view V10 = gsl_matrix_submatrix(V, 0, 0, 10, D);
    for (size_t k = 0; k < 10; k++)
        gsl_matrix_set_row(&V10.matrix, k, &digit.vector);
    gsl_matrix_set_row(P, 0, &digit.vector);
    po.ncols = 11, po.mode = PMK_MONTAGE_RANGE, po.lo = 0, po.hi = 1;
    po.title = "a digit, then p(v|h) for 10 samples h ~ p(h|v)";
    if (pmk_plot_rbm_filters(m, H, 10, 3, out[0], &err)
        || pmk_rbm_sample_hidden(m, &V10.matrix, Hs, r, &err)
        || pmk_rbm_visible_prob(m, Hs, &rest.matrix, &err)
        || pmk_plot_montage(P, side, side, &po, out[1], &err))
        goto fail;
    printf("rbm: %s: the %zu filters (columns of W)\n"
           "rbm: %s: a digit %ld, then p(v|h) for 10 samples h ~ p(h|v)\n", out[0], H, out[1],
           y ? y[pick] : 0L);
    /* chain c starts from the (c / 10 + 1)-th held-out digit (rows from N on)
     * of class c % 10; pixels of probability 1/2 without labels or digits */
    for (size_t c = 0; c < C; c++) {
        size_t n = N, seen = 0;
        while (y && n < X->size1 && (y[n] != (long)(c % 10) || seen++ < c / 10))
            n++;
        for (size_t i = 0; i < D; i++)
            gsl_matrix_set(V, c, i, y && n < X->size1 ? gsl_matrix_get(X, n, i) : 0.5);
    }
    pmk_bernoulli_sample(V, V, r);   /* in place, one shape: cannot fail */
    pmk_rbm_sample_options so = {C, STEPS, EVERY, 0, cli_threads()};
    if (pmk_rbm_sample(m, V, &so, r, &snaps, NULL, &err)
        || !(g = pmk_gnb_fit(&Xv.matrix, y, NULL, &err)))
        goto fail;
    gsl_matrix_view last = gsl_matrix_submatrix(snaps, (S - 1) * C, 0, C, D);
    if (pmk_gnb_predict(g, &last.matrix, cls, &err))
        goto fail;
    for (size_t c = 0; c < C; c++) {
        classes += cls[c] >= 0 && cls[c] < 10 && !found[cls[c]]++;
        snprintf(caps[c], sizeof caps[c], "%s %ld", c % 10 ? "" : "gnb:", cls[c]);
        cp[c] = caps[c];
    }
    /* the final means of all 60 captioned with the classifier's label; then
     * chains 0-9 (digits 0-9) snapshot by snapshot: row s C + c swapped into
     * row 10 s + c (below 50, never a source: those are s C + c >= 60) */
    po.ncols = 10, po.captions = cp;
    po.title = "60 chains after 1000 sweeps, each captioned with the Gaussian classifier's label";
    if (pmk_plot_montage(&last.matrix, side, side, &po, out[3], &err))
        goto fail;
    for (size_t k = 10; k < S * 10; k++)
        gsl_matrix_swap_rows(snaps, k, k / 10 * C + k % 10);
    gsl_matrix_view first = gsl_matrix_submatrix(snaps, 0, 0, S * 10, D);
    po.captions = NULL;
    po.title = "10 Gibbs chains from held-out digits 0-9 (columns): means after 200 .. 1000 sweeps";
    if (pmk_plot_montage(&first.matrix, side, side, &po, out[2], &err))
        goto fail;
    printf("rbm: %s: 10 Gibbs chains from digits 0-9, visible means after 200..1000 sweeps\n"
           "rbm: %s: %d chains after %d sweeps; the Gaussian classifier finds %zu of 10 "
           "classes among them\n", out[2], out[3], C, STEPS, classes);
    goto done;
fail:
    status = cli_error_pmk(&err);
done:
    gsl_matrix *mats[] = {X, V, Hs, P, snaps};
    for (size_t k = 0; k < 5; k++)
        if (mats[k])
            gsl_matrix_free(mats[k]);
    pmk_gnb_free(g);
    pmk_rbm_free(m);
    pmk_rng_free(r);
    pmk_table_free(t);
    return status;
}

int cli_demo(int argc, char **argv)
{
    static const cli_option opts[] = {{"data", 'd', 1}, {NULL, 0, 0}};
    const char *datadir = NULL, *arg;
    cli_args a;
    cli_parser p;
    int key, rc;
    cli_args_init(&a);
    cli_parse_begin(&p, argc, argv, pmk_help_demo, CLI_G_OUTPUT | CLI_G_SEED, opts, &a);
    while ((key = cli_parse_next(&p, &arg)) > 0)
        if (key == 'd')
            datadir = arg;
    if (key < 0)
        return p.status;
    if ((rc = cli_args_max(&a, 0)))
        return rc;
    const char *outdir = a.output ? a.output : "pmk-demo";
    unsigned long seed = a.have_seed ? a.seed : 1;

    char probe[4096], dirbuf[4096];
    if (!datadir) {
        if (!cli_data_file("horse.pbm", probe, sizeof probe))
            return cli_error("cannot find the data folder (set PMK_DATADIR or use --data)");
        char *slash = strrchr(probe, '/');
        snprintf(dirbuf, sizeof dirbuf, "%.*s", (int)(slash - probe), probe);
        datadir = dirbuf;
    }
    char in_path[DEMO_NIN][4096 + 32], out_path[DEMO_NOUT][4096 + 32];
    const char *ins[DEMO_NIN], *outs[DEMO_NOUT];
    for (size_t k = 0; k < DEMO_NIN; k++) {
        snprintf(in_path[k], sizeof in_path[k], "%s/%s", datadir, in_names[k]);
        ins[k] = in_path[k];
    }
    for (size_t k = 0; k < DEMO_NOUT; k++) {
        snprintf(out_path[k], sizeof out_path[k], "%s/%s", outdir, out_names[k]);
        outs[k] = out_path[k];
    }
    if ((rc = cli_check_files(ins, DEMO_NIN, outs, DEMO_NOUT)))
        return rc;
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST)
        return cli_error("%s: cannot create folder: %s", outdir, strerror(errno));

    printf("pmk demo: data from %s, pictures into %s/\n", datadir, outdir);
    int status = PMK_EXIT_OK;
    int (*parts[])(const char *const[], const char *const[], unsigned long) = {
        demo_gnb, demo_rbm, demo_ising,
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        cli_set_command("demo");
        rc = parts[i](ins, outs, seed);
        cli_flush_stdout();
        if (rc != PMK_EXIT_OK)
            status = rc;
    }
    return status;
}
