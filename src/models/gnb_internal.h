/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* gnb_internal.h: the layout of a pmk_gnb and the helpers shared by gnb.c
 * (memory, accessors), gnb_fit.c, gnb_predict.c and gnb_io.c.  Not
 * installed, not exported. */
#ifndef PMK_GNB_INTERNAL_H
#define PMK_GNB_INTERNAL_H

#include <stdio.h>
#include "pmk/gnb.h"
#include "models/gnb_fix.h"
#include "io/tokens_internal.h"

struct pmk_gnb {
    size_t d, k, cap;        /* D features, K classes, rows allocated */
    pmk_gnb_options opt;     /* opt.prior points at prior_buf */
    double *prior_buf;       /* n_prior explicit priors, owned */
    int scale_open;          /* 1 while an automatic scale is undecided: the
                                statistics are then in raw units */
    pmk_data_stats stats;    /* the raw values fitted while scale_open */
    /* sufficient statistics, cap rows each, first k used, increasing labels */
    long *labels;            /* K (a token model: 0..K-1) */
    int tokens;              /* 1: the classes are the tokens tok (gnb_tokens.c) */
    pmk_tokens tok;          /* K tokens in byte order, when tokens */
    double *count;           /* K: N_k */
    double *mean;            /* K x D: mu_kd (scaled units; raw while scale_open) */
    double *m2;              /* K x D: sum over class k of (x_d - mu_kd)^2 */
    /* derived by pmk_gnb_finish, valid when finished */
    int finished;
    double *derived;         /* one block: var, W, P, then alpha, c */
    double *var;             /* K x D: variance used (smoothing, floor) */
    double *W;               /* K x D: (mu_kd - shift_d) / var_kd */
    double *P;               /* K x D: 1 / var_kd */
    double *alpha;           /* K: priors */
    double *c;               /* K: log alpha_k - 1/2 sum_d [log(2 pi var_kd) + (mu_kd - shift_d)^2 / var_kd] */
    double *lanes;           /* a diagonal model of K <= GNB_JLL_KMAX classes: W^T
                                then (per-class variances) P^T, D x Kp each, the
                                lanes past K zero: the small-K kernel's layout,
                                made once by finish, not for every block */
    size_t *zero_off;        /* K + 1: class k's features of zero fitted variance
                                (before smoothing) are zero_dim[zero_off[k] ..] */
    size_t *zero_dim;        /* those features, class by class (same block) */
    double *feat;            /* one block of 3 D, allocated with the model: */
    double *pop_var;         /* D: class-blind population variance */
    double *center;          /* D: class-blind mean */
    double *shift;           /* D: subtracted from s x before the GEMMs (see finish) */
    double smooth_add;       /* epsilon * max_d pop_var_d */
    double train_nll;        /* mean training NLL from the statistics */
    /* --covariance full (gnb_full.c): NULL in a diagonal model */
    double *scatter;         /* D x D pooled within-class scatter S (upper triangle) */
    struct gnb_full *full;   /* what finish derives from it for prediction */
    /* views handed out by the accessors, refreshed whenever the arrays change */
    gsl_matrix_view mean_v, m2_v, var_v;
    gsl_vector_view alpha_v, pop_var_v, center_v;
};

/* The scale partial_fit applies: 1 while the automatic scale is open. */
static inline double pmk_gnb_fit_scale(const pmk_gnb *m)
{
    return m->scale_open ? 1.0 : m->opt.transform.scale;
}

/* Rows as the fit and prediction read them: @c X itself, scaled by @c s as
 * the kernels go, or, for a transform that binarizes or checks [0,1], a
 * transformed copy (@c own) with s = 1. */
typedef struct pmk_gnb_input {
    const gsl_matrix *X;
    double s;
    gsl_matrix *own;
} pmk_gnb_input;

/* Prepares @p X (raw rows) for @p m with the scale @p s.  PMK_EDATA naming
 * the row (err->line, 1-based in X) and column for a value outside [0,1]
 * with check01; PMK_ENOMEM.  Close @p in in every case. */
int pmk_gnb_input_open(const pmk_gnb *m, const gsl_matrix *X, double s, pmk_gnb_input *in,
                       pmk_error *err);
void pmk_gnb_input_close(pmk_gnb_input *in);

/* Points the accessor views at the current arrays (after any change). */
void pmk_gnb_refresh_views(pmk_gnb *m);

/* Makes room for @p k classes (keeps the statistics).  PMK_ENOMEM, or
 * PMK_ELIMIT when k x D exceeds PMK_GNB_MAX_PARAMS; the model is then
 * unchanged. */
int pmk_gnb_reserve(pmk_gnb *m, size_t k, pmk_error *err);

/* Frees what pmk_gnb_finish derived; the model is then not finished. */
/* Makes m->lanes for a finished diagonal model of at most GNB_JLL_KMAX
 * classes (gnb_predict.c); PMK_OK (nothing for other models) or PMK_ENOMEM. */
int pmk_gnb_lanes_make(pmk_gnb *m, pmk_error *err);

void pmk_gnb_free_derived(pmk_gnb *m);

/* The statistics of @p a and @p b (same D and options, either automatic
 * scale open or not) merged class by class into the empty model @p m (the
 * union of the labels; Chan-Golub-LeVeque for the classes in both), not
 * finished.  PMK_ENOMEM / PMK_ELIMIT (pmk_gnb_reserve). */
int pmk_gnb_merge_stats(pmk_gnb *m, const pmk_gnb *a, const pmk_gnb *b, pmk_error *err);

/* A model error about row err->line (1-based in chunk @p ch of reader @p r)
 * placed in the file: "FILE:LINE: cause", "FILE: record R: cause", with
 * " (feature C)"; returns err->code. */
int pmk_gnb_at_chunk(const pmk_data_reader *r, const pmk_data_chunk *ch, pmk_error *err);

/* The byte spill (gnb_spill.c, its comment) of a fit or of one range of a
 * fit over ranges: open (NULL: out of memory), add a chunk's rows (those of
 * weight 0 in @p w, NULL: none, left out; the spill drops
 * itself at a value that is not a byte, or a chunk without labels), eval
 * (PMK_OK and *out, -1 when incomplete or empty, or a model error), free. */
typedef struct pmk_gnb_spill pmk_gnb_spill;
pmk_gnb_spill *pmk_gnb_spill_open(size_t chunk_rows, size_t d);
void pmk_gnb_spill_add(pmk_gnb_spill *sp, const pmk_data_chunk *ch, const double *w);
int pmk_gnb_spill_eval(pmk_gnb_spill *sp, const pmk_gnb *m, pmk_gnb_eval **out, pmk_error *err);
void pmk_gnb_spill_free(pmk_gnb_spill *sp);
/* A record of @p n rows of bytes and their labels, as spill_add writes it
 * (the spill drops itself when it cannot write); drop: no spill from now
 * on (the training pass re-reads the file).  Both accept NULL. */
void pmk_gnb_spill_put(pmk_gnb_spill *sp, const long *y, const unsigned char *bytes, size_t n);
void pmk_gnb_spill_drop(pmk_gnb_spill *sp);

/* One row of @p D doubles as bytes at @p o (gnb_feed.c): 1 when every value
 * is an integer 0..255, which the byte gives back (NaN: not); the feeder's
 * and the spill's test of pixels. */
int pmk_gnb_row_bytes(const double *restrict row, unsigned char *restrict o, size_t D);

/* The fit's feeder (gnb_feed.c): reader chunks of any size gathered into
 * the fit's chunks of pmk_data_chunk_cap(D, @p rows) rows, held as bytes
 * while every value is one (pmk_gnb_fit_bytes), and spilled as such to @p sp
 * (may be NULL).  read: the next chunk of @p r into *@p ch (n 0 at the end)
 * added (integer labels, no weights; an IDX file of bytes as its bytes,
 * pmk_data_read_chunk_u8, no doubles made); flush: fits the rows held (at
 * the end of the data); messages name the row's place in @p r's file.
 * read_rows: the reader chunk to ask for. */
typedef struct pmk_gnb_feed pmk_gnb_feed;
/* pmk_gnb_feed_read's answer to a chunk of token labels (a reader with
 * label_tokens that met a label that is not an integer): such chunks go to
 * the fit as the reader hands them, so the caller fits again without the
 * feeder (tokens are rare; the part read so far is read again). */
#define PMK_GNB_FEED_TOKENS (-2)
pmk_gnb_feed *pmk_gnb_feed_open(pmk_gnb *m, size_t rows, pmk_gnb_spill *sp, pmk_error *err);
int pmk_gnb_feed_read(pmk_gnb_feed *f, pmk_data_reader *r, pmk_data_chunk *ch, pmk_error *err);
int pmk_gnb_feed_flush(pmk_gnb_feed *f, const pmk_data_reader *r, pmk_error *err);
void pmk_gnb_feed_free(pmk_gnb_feed *f);
size_t pmk_gnb_feed_read_rows(size_t rows);

/* The parallel fit (gnb_par.c): the file @p path read by pmk_threads_resolve
 * (dopt->threads) threads over disjoint ranges, each fitting its own
 * statistics, merged in range order (pmk_gnb_merge_stats), not finished:
 * *@p out (caller's) and *@p rows.  PMK_OK with *@p out NULL when the file
 * cannot be split (one thread, stdin, gzip, a range asked for, too small):
 * the caller then reads it on one thread.  With @p spills, each range also
 * spills its rows (*@p spills, *@p nsp of them, for pmk_gnb_par_spill_eval;
 * NULL when any range's spill was dropped).  @p feed_rows > 0: each range's
 * small reader chunks are gathered into chunks of that many rows by
 * gnb_feed.c (pmk_gnb_fitter's chunks; 0: the reader's chunks are the
 * fit's).  @p r0: a reader of the whole
 * of @p path open with @p dopt (its format is used), or NULL; the same in
 * pmk_gnb_par_eval and pmk_gnb_par_predict. */
/* A file is cut into ranges of at least this many bytes (256 KiB) unless
 * PMK_RANGE_MIN says otherwise: pmk_gnb_par_range_min() is the one in
 * force; a smaller file is read on one thread whatever the thread count. */
#define PMK_GNB_RANGE_MIN (256ULL << 10)
unsigned long long pmk_gnb_par_range_min(void);

int pmk_gnb_par_fit(const char *path, const pmk_data_reader *r0, const pmk_data_options *dopt,
                    const pmk_gnb_options *gopt, size_t feed_rows,
                    pmk_gnb **out, double *rows, pmk_gnb_spill ***spills, size_t *nsp,
                    pmk_error *err);

/* The training pass over the ranges' spills of pmk_gnb_par_fit (@p spills,
 * @p P of them, NULL for a range without rows), evaluated on the threads
 * and merged in range order: PMK_OK and *@p out, -1 when a spill cannot be
 * read back (the caller re-reads the file), or a model error.  Free them
 * with pmk_gnb_par_spills_free (accepts NULL). */
int pmk_gnb_par_spill_eval(pmk_gnb_spill **spills, size_t P, const pmk_gnb *m,
                           pmk_gnb_eval **out, pmk_error *err);
void pmk_gnb_par_spills_free(pmk_gnb_spill **spills, size_t P);

/* The evaluation of finished model @p m on every row of the labelled file
 * @p path, read over ranges as pmk_gnb_par_fit reads them, the ranges'
 * counts and sums added in range order: *@p out (caller's; the caller
 * sets it to NULL first).  PMK_OK with *@p out NULL when the file cannot be
 * split. */
int pmk_gnb_par_eval(const pmk_gnb *m, const char *path, const pmk_data_reader *r0,
                     const pmk_data_options *dopt, pmk_gnb_eval **out, pmk_error *err);

/* pmk_gnb_predict_write of every row of @p path over ranges, each range's
 * lines in a temporary file, copied to @p out in file order; *@p done 1
 * when it was (PMK_OK and 0 when the file cannot be split). */
int pmk_gnb_par_predict(const pmk_gnb *m, const char *path, const pmk_data_reader *r0,
                        const pmk_data_options *dopt, int columns, FILE *out, int *done,
                        pmk_error *err);

/* 1 when @p m can fit rows held as bytes (pmk_gnb_fit_bytes): diagonal
 * covariance, integer labels, no transform that binarizes or checks [0,1];
 * the options' part of that (NULL: the defaults, which can). */
static inline int pmk_gnb_options_bytes_ok(const pmk_gnb_options *o)
{
    return !o || (o->covariance == PMK_GNB_COV_DIAG && o->transform.threshold == 0
                  && !o->transform.check01);
}

static inline int pmk_gnb_bytes_fit_ok(const pmk_gnb *m)
{
    return !m->scatter && !m->tokens && pmk_gnb_options_bytes_ok(&m->opt);
}

/* pmk_gnb_partial_fit of the @p N x D rows @p B held as bytes (row-major)
 * with labels @p y, unweighted: the same statistics, to the bit, as those
 * of the rows as doubles.  PMK_EINVAL unless pmk_gnb_bytes_fit_ok. */
int pmk_gnb_fit_bytes(pmk_gnb *m, const unsigned char *B, size_t N, const long *y,
                      pmk_error *err);

/* pmk_gnb_partial_fit_weighted on the class labels as they are (a token
 * model's: class indices), the token check left to the caller. */
int pmk_gnb_fit_labels(pmk_gnb *m, const gsl_matrix *X, const long *y, const double *w,
                       pmk_error *err);

/* pmk_gnb_merge_stats when @p a or @p b has token labels (gnb_tokens.c):
 * both sides relabelled by their classes' ranks in the union of their
 * tokens (an integer model's as decimals), then merged as integers. */
int pmk_gnb_merge_tokens(pmk_gnb *m, const pmk_gnb *a, const pmk_gnb *b, pmk_error *err);

/* Writes class @p k's label: its token, or the integer. */
void pmk_gnb_put_label(const pmk_gnb *m, size_t k, FILE *out);

/* Class @p k's label as text: its token, or the integer written in @p buf. */
const char *pmk_gnb_label_text(const pmk_gnb *m, size_t k, char buf[32]);

/* The class of integer label @p label: on a token model, the class of its
 * decimal token; -1 when there is none. */
long pmk_gnb_label_class(const pmk_gnb *m, long label);

/* The class of each of the @p ntok tokens @p tok (a token chunk's labels)
 * into @p cls: on a token model the class of that token, on an integer
 * model the class of the integer a token spells; -1 when there is none.
 * @p tok NULL: nothing. */
void pmk_gnb_token_classes(const pmk_gnb *m, const char *const *tok, size_t ntok, long *cls);
/* The full covariance (gnb_full.c).  Alloc: the zeroed scatter (PMK_ELIMIT
 * beyond PMK_GNB_MAX_PARAMS, the memory ceiling, PMK_ENOMEM).  Chunk: adds
 * to S the chunk's within-class scatter (its rows X, scaled by s, weights w
 * or NULL, idx[i] the chunk class of row i) and the Chan cross terms of its
 * nu classes (labels u, weights cnt, means mb) against the model's classes
 * before their update; the model is unchanged on error (PMK_ENOMEM).
 * Merge: S of @p m from those of @p a and @p b (before m's classes are
 * merged).  Finish: Sigma, its Cholesky factor and the prediction
 * coefficients, after the diagonal finish (PMK_EDATA when Sigma is not
 * positive definite).  Block: the B x K scores of the B raw rows X (s, the
 * scale), exact J when @p exact, else J less its per-row constant (the
 * posteriors are the same); scratch 2 B D. */
int pmk_gnb_full_alloc(pmk_gnb *m, pmk_error *err);
void pmk_gnb_full_free_derived(pmk_gnb *m);
int pmk_gnb_full_chunk(pmk_gnb *m, const gsl_matrix *X, double s, const double *w,
                       const size_t *idx, const long *u, size_t nu, const double *cnt,
                       const double *mb, pmk_error *err);
void pmk_gnb_full_rescale(pmk_gnb *m, double s);
int pmk_gnb_full_merge(pmk_gnb *m, const pmk_gnb *a, const pmk_gnb *b, pmk_error *err);
int pmk_gnb_full_finish(pmk_gnb *m, double N, pmk_error *err);
int pmk_gnb_full_block(const pmk_gnb *m, const gsl_matrix *X, double s, gsl_matrix *J,
                       double *scratch, int exact);
/* The model file's scatter rows (gnb_full_io.c): written before 'end'; read
 * into m->scatter, each row "scatter" and the D - i values S_ii .. S_i,D-1.
 * check_header: before any allocation, D x D within the limits and a plain
 * file long enough to hold the rows. */
struct pmk_rec_reader;
void pmk_gnb_full_write(const pmk_gnb *m, FILE *f);
int pmk_gnb_full_write_check(const pmk_gnb *m, pmk_error *err);
int pmk_gnb_full_read(struct pmk_rec_reader *r, pmk_gnb *m);
int pmk_gnb_full_check_header(struct pmk_rec_reader *r, size_t D);

/* The exact sums of @p b added to @p a's (gnb_predict.c); sum_nll and
 * sum_log_post set from them where they hold (pmk_gnb_eval's fix_*). */
void pmk_gnb_eval_fix_merge(pmk_gnb_eval *a, const pmk_gnb_eval *b);

/* Index of @p label among the @p K increasing @p labels, or -1. */
long pmk_gnb_find_label(const long *labels, size_t K, long label);

#endif
