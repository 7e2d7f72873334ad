/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* mpi_gnb.c: `mpirun -np P pmk gnb fit|eval|predict DATA...`.  Each rank
 * reads its share of the data (share_files: a byte range of one file, or
 * whole files of several, in a contiguous run).  fit: each rank's statistics (count, mean,
 * M2 per class) travel as its model text, exact in %.17g; rank 0 folds them
 * in rank order with the library's Chan-Golub-LeVeque merge
 * (pmk_gnb_merge_files), so the model is the one `pmk gnb merge` makes of
 * the P shard models, and equals the one-process fit to rounding.  eval: the
 * counts, confusion matrix and sums are summed over ranks.  predict: rank 0
 * writes the ranks' rows in rank order, which is input order. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <mpi.h>

#include "models/gnb_fix.h"
#include "mpi/pmk_mpi.h"

/* A finished model as its file text: *@p buf (free()), *@p len bytes. */
static int model_text(const pmk_gnb *m, char **buf, size_t *len, pmk_error *err)
{
    FILE *f = open_memstream(buf, len);
    if (!f)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    int rc = pmk_gnb_write(m, f, err);
    if (fclose(f) && !rc)
        rc = pmk_error_set(err, PMK_ENOMEM, "out of memory");
    return rc;
}

/* The texts of every rank, one after the other in rank order, to rank 0:
 * *@p all (free()) and, per rank, *@p lens (free()); NULL elsewhere. */
static void gather_text(const char *buf, size_t len, char **all, int **lens)
{
    int P = pmkmpi_size(), n = (int)len, *off = NULL;
    *all = NULL;
    *lens = NULL;
    if (pmkmpi_rank() == 0) {
        *lens = calloc((size_t)P, sizeof **lens);
        off = calloc((size_t)P, sizeof *off);
    }
    MPI_Gather(&n, 1, MPI_INT, *lens, 1, MPI_INT, 0, MPI_COMM_WORLD);
    size_t total = 0;
    for (int r = 0; off && r < P; r++) {
        off[r] = (int)total;
        total += (size_t)(*lens)[r];
    }
    if (pmkmpi_rank() == 0)
        *all = malloc(total + 1);
    MPI_Gatherv(buf, n, MPI_CHAR, *all, *lens, off, MPI_CHAR, 0, MPI_COMM_WORLD);
    free(off);
}

/* Rank 0: @p n model texts as files read back through /proc/self/fd (the
 * library's loaders read paths), folded in order by pmk_gnb_merge_files. */
static int merge_texts(const char *all, const int *lens, int n, pmk_gnb **out, pmk_error *err)
{
    FILE **f = calloc((size_t)n, sizeof *f);
    char (*name)[40] = calloc((size_t)n, sizeof *name);
    const char **paths = calloc((size_t)n, sizeof *paths);
    int rc = f && name && paths ? PMK_OK : pmk_error_set(err, PMK_ENOMEM, "out of memory");
    for (int r = 0; !rc && r < n; all += lens[r], r++) {
        if (!(f[r] = tmpfile()) || fwrite(all, 1, (size_t)lens[r], f[r]) != (size_t)lens[r]
            || fflush(f[r]))
            rc = pmk_error_set(err, PMK_EIO, "cannot write a temporary file");
        else
            snprintf(name[r], sizeof name[r], "/proc/self/fd/%d", fileno(f[r]));
        paths[r] = name[r];
    }
    if (!rc)
        rc = n == 1 ? pmk_gnb_load(paths[0], out, err) : pmk_gnb_merge_files(paths, (size_t)n, out, err);
    for (int r = 0; f && r < n; r++)
        if (f[r])
            fclose(f[r]);
    free(f), free(name), free(paths);
    return rc;
}

/* Sums @p e over the ranks, then its rates, as pmk_gnb_eval_add keeps them. */
static void reduce_eval(pmk_gnb_eval *e)
{
    size_t K = e->k;
    size_t *counts[] = {&e->n, &e->correct, &e->zero_var_rows};
    for (size_t i = 0; i < 3; i++)
        MPI_Allreduce(MPI_IN_PLACE, counts[i], 1, MPI_UNSIGNED_LONG, MPI_SUM, MPI_COMM_WORLD);
    size_t *vecs[] = {e->support, e->predicted, e->hits, e->confusion};
    for (size_t i = 0; i < 4; i++)
        if (vecs[i])
            MPI_Allreduce(MPI_IN_PLACE, vecs[i], (int)(i == 3 ? K * K : K), MPI_UNSIGNED_LONG,
                          MPI_SUM, MPI_COMM_WORLD);
    double sums[2] = {e->sum_nll, e->sum_log_post};
    MPI_Allreduce(MPI_IN_PLACE, sums, 2, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    e->sum_nll = sums[0];
    e->sum_log_post = sums[1];
    /* The exact sums (pmk_gnb_eval's fix_*: whole part and 2^-52 units),
     * summed as integers and carried once: the bits of one process.  A
     * fraction is below 2^52 on each rank, so P of them fit a long long. */
    long long fix[4] = {e->fix_whole_[0], e->fix_whole_[1], e->fix_frac_[0], e->fix_frac_[1]};
    int off = e->fix_off_;
    MPI_Allreduce(MPI_IN_PLACE, fix, 4, MPI_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    MPI_Allreduce(MPI_IN_PLACE, &off, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    e->fix_off_ = off;
    for (int s = 0; s < 2 && !off; s++) {
        e->fix_whole_[s] = fix[s];
        e->fix_frac_[s] = fix[2 + s];
        gnb_fix_carry(e, s);
    }
    gnb_fix_sums(e);
    pmk_gnb_eval_rates(e);   /* every rate, log-loss and the averages included */
}

/* This rank's share of the files @p paths (n >= 1): *@p first, *@p count
 * of them, read with @p o (a byte range of the file when n = 1). */
static int share_files(const char *const *paths, size_t n, pmk_data_options *o,
                       size_t *first, size_t *count, pmk_error *err)
{
    size_t P = (size_t)pmkmpi_size(), r = (size_t)pmkmpi_rank();
    *first = 0;
    *count = n;
    if (n == 1)
        return pmkmpi_range(paths[0], o, err);
    if (n < P)
        return pmk_error_set(err, PMK_EINVAL, "under mpirun, %zu data files cannot be shared "
                             "among %zu ranks: give one file or at least %zu", n, P, P);
    *first = r * n / P;
    *count = (r + 1) * n / P - *first;
    return PMK_OK;
}

int pmkmpi_gnb_eval(int rc, const pmk_gnb *m, const char *model_name, const char *const *paths,
                    size_t n, const pmk_data_options *o0, pmk_gnb_eval **out, pmk_error *err)
{
    *out = NULL;
    if (pmkmpi_size() == 1)   /* one process (not started by mpirun) */
        return rc ? rc : pmk_gnb_eval_files(m, model_name, paths, n, o0, out, err);
    pmk_data_options o = *o0;
    size_t first, count;
    if (!(rc = pmkmpi_agree_status(rc, err)) && !(rc = share_files(paths, n, &o, &first, &count, err)))
        rc = pmk_gnb_eval_files(m, model_name, paths + first, count, &o, out, err);
    if (!(rc = pmkmpi_agree(rc, err)))
        reduce_eval(*out);
    if (rc) {
        pmk_gnb_eval_free(*out);
        *out = NULL;
    }
    return rc;
}

/* The model text of rank 0 to every rank, read back there into *@p m;
 * @p rc is this rank's status so far. */
static int bcast_model(int rc, pmk_gnb **m, pmk_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    if (!rc && pmkmpi_rank() == 0)
        rc = model_text(*m, &buf, &len, err);
    if ((rc = pmkmpi_agree(rc, err)))
        return rc;
    unsigned long n = len;
    MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG, 0, MPI_COMM_WORLD);
    if (pmkmpi_rank() && !(buf = malloc(n + 1)))
        MPI_Abort(MPI_COMM_WORLD, 1);   /* a few hundred kB: nothing left to report with */
    MPI_Bcast(buf, (int)n, MPI_CHAR, 0, MPI_COMM_WORLD);
    int one = (int)n;
    if (pmkmpi_rank())
        rc = merge_texts(buf, &one, 1, m, err);
    free(buf);
    return pmkmpi_agree(rc, err);
}

int pmkmpi_gnb_fit(const char *const *paths, size_t n, const pmk_data_options *o0,
                   const pmk_gnb_options *go, int train_pass, const char *out, pmk_gnb **m,
                   pmk_gnb_eval **train, pmk_error *err)
{
    if (pmkmpi_size() == 1)   /* one process (not started by mpirun) */
        return pmkmpi_gnb_fit_one(paths, n, o0, go, train_pass, out, m, train, err);
    pmk_data_options o = *o0;
    pmk_gnb *local = NULL;
    char *text = NULL, *all = NULL;
    int *lens = NULL;
    size_t len = 0, first, count;
    *m = NULL;
    *train = NULL;
    const char *path = paths[0];   /* named in a message about the scales */
    int rc = share_files(paths, n, &o, &first, &count, err);
    if (!rc && !(rc = pmk_gnb_fit_files(paths + first, count, &o, go, &local, NULL, err))
        && pmk_gnb_token(local, 0))   /* not yet: doc/design.md, "Labels that are any token" */
        rc = pmk_error_set(err, PMK_EUNSUP, "%s: labels that are not integers (such as '%s') "
                           "cannot be fitted under mpirun yet: fit in one process", paths[first],
                           pmk_gnb_token(local, pmk_gnb_nclasses(local) - 1));
    if (!rc)
        rc = model_text(local, &text, &len, err);
    if (!(rc = pmkmpi_agree(rc, err))) {
        /* An automatic scale is chosen on each part: the parts must agree */
        double s[2] = {-pmk_gnb_get_options(local)->transform.scale,
                       pmk_gnb_get_options(local)->transform.scale};
        MPI_Allreduce(MPI_IN_PLACE, s, 2, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
        if (-s[0] != s[1])
            rc = pmk_error_set(err, PMK_EDATA, "%s: the ranks' parts chose different "
                               "automatic scales (%.17g and %.17g): give --scale", path,
                               -s[0], s[1]);
    }
    if (!rc) {
        gather_text(text, len, &all, &lens);
        if (pmkmpi_rank() == 0)
            rc = merge_texts(all, lens, pmkmpi_size(), m, err);
        rc = bcast_model(rc, m, err);
    }
    if (!rc && train_pass)
        rc = pmkmpi_gnb_eval(0, *m, out, paths, n, o0, train, err);
    /* written once every rank has succeeded: a failure leaves no model */
    if (!rc && pmkmpi_rank() == 0)
        rc = pmk_gnb_save(*m, out, err);
    rc = pmkmpi_agree(rc, err);
    pmk_gnb_free(local);
    free(text), free(all), free(lens);
    if (rc) {
        pmk_gnb_free(*m);
        *m = NULL;
    }
    return rc;
}

int pmkmpi_gnb_predict(int rc, const pmk_gnb *m, const char *model_name,
                       const char *const *paths, size_t n, const pmk_data_options *o0,
                       int columns, const char *path, pmk_error *err)
{
    char *buf = NULL, *all = NULL;
    int *lens = NULL;
    size_t len = 0, first, count;
    if (pmkmpi_size() == 1)   /* one process (not started by mpirun) */
        return rc ? rc : pmkmpi_gnb_predict_one(m, model_name, paths, n, o0, columns, path, err);
    pmk_data_options o = *o0;
    if (!(rc = pmkmpi_agree_status(rc, err)))
        rc = share_files(paths, n, &o, &first, &count, err);
    FILE *f = rc ? NULL : open_memstream(&buf, &len);
    if (!rc && !f)
        rc = pmk_error_set(err, PMK_ENOMEM, "out of memory");
    if (!rc)
        rc = pmk_gnb_predict_files(m, model_name, paths + first, count, &o, columns, f, err);
    if (f && fclose(f) && !rc)
        rc = pmk_error_set(err, PMK_ENOMEM, "out of memory");
    if ((rc = pmkmpi_agree(rc, err))) {
        free(buf);
        return rc;
    }
    /* every rank wrote the header line: rank 0's is kept */
    char *body = buf;
    if (pmkmpi_rank() > 0 && (body = memchr(buf, '\n', len)))
        body++;
    gather_text(body ? body : buf + len, body ? len - (size_t)(body - buf) : 0, &all, &lens);
    if (pmkmpi_rank() == 0) {
        size_t total = 0;
        for (int q = 0; q < pmkmpi_size(); q++)
            total += (size_t)lens[q];
        pmk_outfile of;
        if (!(rc = pmk_outfile_open(&of, path, err))) {
            fwrite(all, 1, total, of.fp);
            rc = pmk_outfile_commit(&of, err);
        }
    }
    free(buf), free(all), free(lens);
    return pmkmpi_agree(rc, err);
}
