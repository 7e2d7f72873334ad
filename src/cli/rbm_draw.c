/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_draw.c: the `pmk rbm` verbs that draw or write out a model: sample
 * (Gibbs chains as a montage or CSV), filters (the columns of W), export (the
 * parameters and the transform as CSV); and the RBM part of `pmk demo`. */
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

/* Frees the @p n matrices of @p ms, skipping NULLs. */
static void free_matrices(gsl_matrix *const *ms, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (ms[k])
            gsl_matrix_free(ms[k]);
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

/* A CSV file holding only the header line @p head. */
static int write_header_only(const char *path, const char *head, pmk_error *err)
{
    pmk_outfile f;
    if (pmk_outfile_open(&f, path, err))
        return PMK_EIO;
    fprintf(f.fp, "%s\n", head);
    return pmk_outfile_commit(&f, err);
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
    int rc = rbm_load_data(init + 5, &a->data, m, mpath, 1, &data);
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

int rbm_sample(int argc, char **argv)
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
    cli_parse_begin(&p, argc, argv, pmk_help_rbm_sample,
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
    if ((rc = rbm_expect_args(&a, 1, 1, "missing MODEL")) || (rc = sample_output(&a, &out, &fmt, &image))
        || (rc = rbm_check_transform_args(&a.data)))
        return rc;
    if (!every)
        every = steps / 10 ? steps / 10 : 1;
    const char *sample_in[] = {a.pos[0], strncmp(init, "data:", 5) ? NULL : init + 5};
    if ((rc = cli_check_files(sample_in, 2, &out, 1)))
        return rc;
    pmk_rbm *m = NULL;
    if ((rc = rbm_load_model(a.pos[0], &a.data, &m))) {
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
                       : rbm_write_csv(out, snaps, lab, "sweep", "v");
    free_matrices((gsl_matrix *[]){V, mean, snaps}, 3);
    free(lab);
    pmk_rng_free(r);
    pmk_rbm_free(m);
    return status;
}

/* ---------------------------------------------------------------- filters */

int rbm_filters(int argc, char **argv)
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
    cli_parse_begin(&p, argc, argv, pmk_help_rbm_filters, CLI_G_OUTPUT | CLI_G_FORMAT, opts, &a);
    while (!rc && (key = cli_parse_next(&p, &arg)) > 0) {
        const char *name = key == OPT_COUNT ? "count" : "cols";
        size_t *v = key == OPT_COUNT ? &count : &cols;
        if (!(rc = cli_parse_size(name, arg, v)) && *v == 0)
            rc = cli_usage("--%s: must be at least 1", name);
    }
    if (rc || key < 0)
        return rc ? rc : p.status;
    if ((rc = rbm_expect_args(&a, 1, 1, "missing MODEL")))
        return rc;
    if (!a.output)
        return cli_usage("missing -o FILTERS.png");
    if ((rc = cli_image_output(&a, &out, &fmt))
        || (rc = cli_check_files((const char *const *)a.pos, 1, &out, 1)))
        return rc;
    pmk_rbm *m = NULL;
    if ((rc = rbm_load_model(a.pos[0], NULL, &m))) {
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

int rbm_export(int argc, char **argv)
{
    cli_args a;
    cli_parser p;
    const char *arg;
    int rc;
    cli_args_init(&a);
    cli_parse_begin(&p, argc, argv, pmk_help_rbm_export, 0, NULL, &a);
    if (cli_parse_next(&p, &arg) < 0)   /* --help (exit 0) or a usage error */
        return p.status;
    if ((rc = rbm_expect_args(&a, 2, 2, "expected MODEL DIR")))
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
    if ((rc = rbm_load_model(a.pos[0], NULL, &m))) {
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
        char *head = heads[k] ? strdup(heads[k]) : rbm_numbered_header(NULL, "h", m->h);
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
    int rc = rbm_load_data(path, &a.data, NULL, NULL, 1, &data);
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
    free_matrices((gsl_matrix *[]){T, V, row, Hs, snaps, mean}, 6);
    pmk_rbm_free(m);
    pmk_rng_free(r);
    rbm_data_free(&data);
    return status;
}
