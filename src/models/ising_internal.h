/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* ising_internal.h: pieces of the ising module shared between its files and
 * exercised by the unit tests, not part of the installed API. */
#ifndef PMK_ISING_INTERNAL_H
#define PMK_ISING_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "pmk/ising.h"
#include "pmk/rng.h"

/* An AVX2 clone of a hot loop, chosen at load time (the baseline ISA
 * otherwise); not under ASan, whose instrumentation clones do not take. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__ELF__) \
    && !defined(__SANITIZE_ADDRESS__)
#define ISING_HOT __attribute__((target_clones("avx2", "default")))
#else
#define ISING_HOT
#endif


/* Neighbour sum s = sum_{j in N(r,c)} x_j with the free boundary (W x H),
 * for spins (int8_t, summed as int) and for mean-field means (double). */
#define ISING_NEIGHBOUR_SUM(NAME, T, S)                                        \
    static inline S NAME(const T *x, size_t W, size_t H, size_t r, size_t c, int nb)     \
    {                                                                             \
        const T *row = x + r * W;                                                 \
        S s = 0;                                                                  \
        if (c > 0)                                                                \
            s += row[c - 1];                                                      \
        if (c + 1 < W)                                                            \
            s += row[c + 1];                                                      \
        if (r > 0) {                                                              \
            s += row[c - W];                                                      \
            if (nb == 8) {                                                        \
                if (c > 0)                                                        \
                    s += row[c - W - 1];                                          \
                if (c + 1 < W)                                                    \
                    s += row[c - W + 1];                                          \
            }                                                                     \
        }                                                                         \
        if (r + 1 < H) {                                                          \
            s += row[c + W];                                                      \
            if (nb == 8) {                                                        \
                if (c > 0)                                                        \
                    s += row[c + W - 1];                                          \
                if (c + 1 < W)                                                    \
                    s += row[c + W + 1];                                          \
            }                                                                     \
        }                                                                         \
        return s;                                                                 \
    }
ISING_NEIGHBOUR_SUM(ising_nsum, int8_t, int)
ISING_NEIGHBOUR_SUM(ising_msum, double, double)


/* The ICM rule of a run (ising_icm.c).  The decision depends only on the
 * neighbour sum s and y_i: dec[y_i > 0][s + 8] is +1, -1 or 0 (a tie: keep
 * x_i), computed once per run in double precision as
 * sign((-h + beta s) + eta y).  For beta >= 0 this is non-decreasing in s
 * (each floating-point step is monotone), so it is also given by two integer
 * thresholds per y: +1 iff s >= pmin[y], -1 iff s <= mmax[y].  The byte-wise
 * fast paths use the thresholds, the bit-packed one (ising_bits.c) the
 * table, the reference path the table. */
typedef struct ising_rule {
    int8_t dec[2][17];
    int8_t pmin[2], mmax[2];
} ising_rule;
void ising_rule_init(ising_rule *R, const pmk_ising_params *p);

/* The integer sums S1 = sum x_i, S2 = sum_<ij> x_i x_j, S3 = sum x_i y_i of
 * E over the W x H image, and E = h S1 - beta S2 - eta S3 from them. */
void ising_energy_sums(size_t W, size_t H, const int8_t *x, const int8_t *y, int nb,
                       long long *s1, long long *s2, long long *s3);
double ising_energy_of(const pmk_ising_params *p, long long s1, long long s2, long long s3);
/* E(x, y), no checks. */
double ising_energy(const pmk_ising_params *p, size_t W, size_t H, const int8_t *x,
                    const int8_t *y);

/* The first spin of v (n of them, rows of width) that is not -1 or +1:
 * PMK_EINVAL with "WHAT: spin at row R, column C is V, not -1 or +1" in
 * err; PMK_OK when there is none. */
int ising_spins_bad(const int8_t *v, size_t width, size_t n, const char *what, pmk_error *err);

/* Pixels where a and b differ, on T threads (1: this one). */
size_t ising_count_diff(const int8_t *a, const int8_t *b, size_t n, int T);

/* The visiting order of one sweep as pixel indices (n = W H of them):
 * raster, a fresh random permutation (rng), or the colour classes in turn. */
void ising_visit_order(pmk_ising_order order, size_t W, size_t H, int nb, pmk_rng *rng,
                       size_t *idx);

/* A run of sweeps (ICM, anneal, mean field): what every method does at its
 * start and at the end of each sweep. */
typedef struct ising_run {
    const pmk_ising_options *o;
    pmk_ising_result *res;
    const int8_t *x;     /* the state, for the error count against o->truth */
    size_t W, H, n;      /* n = W H pixels */
    int nb;              /* neighbours */
    pmk_rng *rng;        /* for the random order */
    size_t *idx;         /* the visiting order (n indices), or NULL */
    void *work;          /* the method's own n-pixel buffer, or NULL */
    size_t cap;          /* records res->trace has room for */
    int rc;              /* PMK_OK, or the status that stopped the run */
    double *marg;        /* o->marginals when this run makes them, else NULL */
    size_t burn, nsamp;  /* anneal marginals: sweeps not counted, samples counted */
    int have_errors;     /* Potts: the errors of the sweep are in `errors` */
    size_t errors;
} ising_run;

/* Starts a run: x = y, res->energy_initial = E(y, y), when @p with_order
 * the visiting order (raster and checkerboard now; random by ising_run_order
 * before each sweep), and when @p work > 0 run->work, @p work bytes a pixel
 * (anneal's best state, mean field's means).  PMK_ENOMEM (nothing held
 * then). */
int ising_run_begin(ising_run *run, const pmk_ising_params *p, const pmk_ising_options *o,
                    size_t W, size_t H, const int8_t *y, int8_t *x, pmk_rng *rng,
                    int with_order, size_t work, pmk_ising_result *res, pmk_error *err);

/* Before a sweep: a fresh permutation under the random order. */
static inline void ising_run_order(ising_run *run)
{
    if (run->o->order == PMK_ISING_RANDOM)
        ising_visit_order(PMK_ISING_RANDOM, run->W, run->H, run->nb, run->rng, run->idx);
}

/* Ends sweep @p sweep (1-based): records it (its errors counted here) in the
 * trace and res->sweeps, and returns non-zero when the run must stop: it
 * converged (res->converged set), the caller's on_sweep asked, or the trace
 * could not grow (run->rc PMK_ENOMEM). */
int ising_run_sweep(ising_run *run, size_t sweep, size_t changed, double energy,
                    double temperature, double free_energy, int converged, pmk_error *err);

/* Frees the order and the work buffer; returns run->rc. */
int ising_run_end(ising_run *run);

/* The methods behind pmk_ising_denoise, on checked arguments (W H pixels
 * under 2^31, y spins, parameters and options valid, rng where needed):
 * ICM by the byte-parallel sweeps (beta >= 0, raster or checkerboard order),
 * annealed Gibbs sampling, damped mean field.  Each sets x and fills res
 * (energy_initial, the trace, sweeps, converged). */
int ising_icm_fast(const pmk_ising_params *p, const pmk_ising_options *o, size_t W, size_t H,
                   const int8_t *y, int8_t *x, pmk_ising_result *res, pmk_error *err);
/* The two fast ICM paths behind ising_icm_fast, apart for the tests: the
 * byte-parallel sweeps (any neighbours, raster or checkerboard) and the
 * bit-packed checkerboard sweep (4 neighbours only; x serves as its work
 * space and is written at the end; T threads, at most H used, where
 * ising_icm_fast allots one per 2^18 pixels at most).
 * Both give the image and trace of pmk_ising_icm_reference. */
int ising_icm_bytes(const pmk_ising_params *p, const pmk_ising_options *o, size_t W, size_t H,
                    const int8_t *y, int8_t *x, pmk_ising_result *res, pmk_error *err);
int ising_icm_bits(const pmk_ising_params *p, const pmk_ising_options *o, size_t W, size_t H,
                   const int8_t *y, int8_t *x, int T, pmk_ising_result *res, pmk_error *err);
/* Whether pmk_ising_denoise runs ising_icm_bits (ICM, checkerboard order,
 * 4 neighbours, beta >= 0).  That path also checks y (its spins -1 or +1:
 * PMK_EINVAL and ising_spins_bad's message for "observed image") and sets
 * res->changed and res->errors (from options.truth), which pmk_ising_denoise
 * then does not. */
int ising_icm_bits_runs(const pmk_ising_params *p, const pmk_ising_options *o);
int ising_anneal(const pmk_ising_params *p, const pmk_ising_options *o, size_t W, size_t H,
                 const int8_t *y, int8_t *x, pmk_rng *rng, pmk_ising_result *res,
                 pmk_error *err);
int ising_meanfield(const pmk_ising_params *p, const pmk_ising_options *o, size_t W, size_t H,
                    const int8_t *y, int8_t *x, pmk_rng *rng, pmk_ising_result *res,
                    pmk_error *err);

/* Exact MAP by s-t minimum cut (Boykov-Kolmogorov max-flow on the grid).
 * x receives width*height spins.  beta >= 0 (checked by the caller). */
int pmk_ising_mincut(const pmk_ising_params *p, size_t width, size_t height,
                     const int8_t *y, int8_t *x, pmk_error *err);

/* The Potts model on labels (potts.c, potts_expand.c): W x H labels x
 * (uint8_t, 0..L-1), observed levels y (0..maxval), label k's level g[k] =
 * round(k maxval / (L - 1)), integer data cost d(k, y) = (g_k - y)^2 (L2) or
 * |g_k - y| (L1) and scale maxval^2 or maxval, so that
 * E = eta S_D / scale + beta S_P with S_D = sum_i d(x_i, y_i) and S_P the
 * neighbour pairs with different labels, both exact integers. */
typedef struct potts_model {
    const pmk_ising_params *p;
    const pmk_ising_options *o;
    size_t W, H, n;
    int nb, L;
    const uint16_t *y;
    const uint16_t *truth;   /* levels, or NULL */
    uint16_t g[256];
    double scale;
} potts_model;

static inline unsigned long long potts_d(const potts_model *m, int k, uint16_t y)
{
    long long t = (long long)m->g[k] - (long long)y;
    return m->p->data_cost == PMK_ISING_L1 ? (unsigned long long)(t < 0 ? -t : t)
                                           : (unsigned long long)(t * t);
}
/* E of labels x, from its exact sums. */
double potts_energy(const potts_model *m, const uint8_t *x);
/* Pixels whose level differs from m->truth (0 without one). */
size_t potts_errors(const potts_model *m, const uint8_t *x);
/* ICM and alpha-expansion from the labels in x (the nearest to y), filling
 * res's trace, sweeps and converged; PMK_ENOMEM, PMK_ELIMIT. */
int potts_icm(const potts_model *m, uint8_t *x, pmk_rng *rng, pmk_ising_result *res,
              pmk_error *err);
int potts_expand(const potts_model *m, uint8_t *x, pmk_ising_result *res, pmk_error *err);

/* A grid graph for one s-t minimum cut (ising_maxflow.c): W x H nodes,
 * K = 4 or 8 arcs each, node (r, c)'s arc d going to (r + ising_cut_dr[d],
 * c + ising_cut_dc[d]), its reverse being direction d ^ 1 there.  After
 * alloc or reset every capacity is 0; the caller sets each node's K arc
 * capacities (ising_cut_caps: an arc leaving the image must stay 0) and its
 * terminal residual t = cost(sink side) - cost(source side) once
 * (ising_cut_terminal), solves, and reads the source set: a cut costs the sum
 * of the arcs from source-side to sink-side nodes plus the t of the sink-side
 * nodes, up to a constant, and the source set returned is a minimum.
 * alloc: PMK_ELIMIT (too large, memory ceiling), PMK_ENOMEM. */
typedef struct ising_cut ising_cut;
/* (static: a copy per file, so that no global object is exported or, under
 * ASan, instrumented as a writable one) */
static const int ising_cut_dr[8] = {0, 0, 1, -1, 1, -1, 1, -1};
static const int ising_cut_dc[8] = {1, -1, 0, 0, 1, -1, -1, 1};
int ising_cut_alloc(size_t W, size_t H, int K, ising_cut **out, pmk_error *err);
void ising_cut_reset(ising_cut *c);
void ising_cut_free(ising_cut *c);
double *ising_cut_caps(ising_cut *c, size_t r, size_t col);
void ising_cut_terminal(ising_cut *c, size_t r, size_t col, double t);
void ising_cut_solve(ising_cut *c);
int ising_cut_source(const ising_cut *c, size_t r, size_t col);

/* ICM by the plain per-pixel rule, no vectorised fast path: the reference the
 * fast raster and checkerboard paths are tested against.  Same contract as
 * pmk_ising_denoise with method ICM. */
int pmk_ising_icm_reference(const pmk_ising_params *p, const pmk_ising_options *o,
                            size_t width, size_t height, const int8_t *y, int8_t *x,
                            pmk_rng *rng, pmk_ising_result *res, pmk_error *err);

#endif
