/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* ising_anneal.c: simulated annealing for the Ising model: Gibbs sampling
 * under a geometric temperature schedule, keeping the best state seen. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/ising.h"
#include "pmk/threads.h"
#include "models/ising_internal.h"

/* ------------------------------------------------------------------ anneal
 *
 * Simulated annealing by Gibbs sampling (Geman & Geman 1984): at temperature
 * T each visited pixel is drawn from its conditional
 *     p(x_i = +1 | rest) = 1 / (1 + exp(dE_i / T)),  dE_i = 2h - 2 beta s_i - 2 eta y_i,
 * with T_k = t0 * t_factor^(k-1) in sweep k.  The sums S1, S2, S3 are kept
 * exactly under each flip (d = x_new - x_old: S1 += d, S2 += d s_i,
 * S3 += d y_i), and the lowest-energy state among x = y and the end of every
 * sweep is returned.  The conditional depends only on (s_i, y_i), so it is
 * tabulated once per sweep. */
/* Draws pixel i, of neighbour sum sn, from the table's p(x_i = +1 | rest)
 * with @p g, keeping the sums s[0..2] = S1..S3 exact; 1 when it changed. */
static inline int gibbs_pixel(const double pplus[2][17], const int8_t *y, int8_t *x, size_t i,
                              int sn, pmk_rng *g, long long *s)
{
    int8_t xn = pmk_rng_uniform(g) < pplus[y[i] > 0][sn + 8] ? 1 : -1;
    if (xn == x[i])
        return 0;
    int d = xn - x[i];
    s[0] += d;
    s[1] += (long long)d * sn;
    s[2] += d * y[i];
    x[i] = xn;
    return 1;
}

/* Checkerboard order, on T threads: row r draws from its own stream rs[r]
 * (taus2, seeded by H draws from the caller's generator when the run
 * starts), the colour classes in turn, each class's rows shared among the
 * threads.  Pixels of one class do not neighbour each other, so the sample,
 * and the integer sums S1..S3 (added per thread, exactly), are the same for
 * any T.  (Raster and random orders keep the one stream.) */
static size_t anneal_checker_sweep(const double pplus[2][17], size_t W, size_t H, int nb,
                                   const int8_t *y, int8_t *x, pmk_rng **rs, long long *s,
                                   int T)
{
    size_t changed = 0;
    long long a1 = 0, a2 = 0, a3 = 0;
    for (size_t col = 0; col < (nb == 8 ? 4u : 2u); col++) {
#pragma omp parallel for schedule(static) num_threads(T) reduction(+ : changed, a1, a2, a3)
        for (long rr = 0; rr < (long)H; rr++) {
            size_t r = (size_t)rr;
            size_t c0 = nb == 8 ? ((r & 1) == col >> 1 ? (col & 1) : W) : ((col + r) & 1);
            long long sr[3] = {0, 0, 0};
            for (size_t c = c0; c < W; c += 2)
                changed += (size_t)gibbs_pixel(pplus, y, x, r * W + c,
                                               ising_nsum(x, W, H, r, c, nb), rs[r], sr);
            a1 += sr[0], a2 += sr[1], a3 += sr[2];
        }
    }
    s[0] += a1, s[1] += a2, s[2] += a3;
    return changed;
}

int ising_anneal(const pmk_ising_params *p, const pmk_ising_options *o, size_t W, size_t H,
                  const int8_t *y, int8_t *x, pmk_rng *rng, pmk_ising_result *res,
                  pmk_error *err)
{
    size_t n = W * H;
    int nb = p->neighbours;
    ising_run run;
    if (ising_run_begin(&run, p, o, W, H, y, x, rng, 1, 1, res, err))
        return PMK_ENOMEM;
    int8_t *best = run.work;
    memcpy(best, y, n);
    long long s1, s2, s3;
    ising_energy_sums(W, H, x, y, nb, &s1, &s2, &s3);
    int checker = o->order == PMK_ISING_CHECKERBOARD, nthr = pmk_threads_resolve(o->threads);
    pmk_rng **rs = checker ? calloc(H, sizeof *rs) : NULL;
    for (size_t r = 0; rs && r < H; r++)
        if (!(rs[r] = pmk_rng_alloc(gsl_rng_taus2, gsl_rng_get(pmk_rng_gsl(rng)))))
            checker = -1;
    if (checker && (!rs || checker < 0)) {
        for (size_t r = 0; rs && r < H; r++)
            pmk_rng_free(rs[r]);
        free(rs);
        ising_run_end(&run);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu rows' generators", H);
    }
    double ebest = ising_energy_of(p, s1, s2, s3);
    double T = o->t0;
    for (size_t sw = 1; sw <= o->anneal_sweeps; sw++) {
        double pplus[2][17];
        for (int yb = 0; yb < 2; yb++)
            for (int s = -8; s <= 8; s++) {
                double e = (2 * p->h - 2 * p->beta * s - 2 * p->eta * (yb ? 1 : -1)) / T;
                /* T may underflow to 0 on a long schedule: a tie (0 / 0) is
                 * then a fair coin, anything else a sure step (e = +-inf). */
                pplus[yb][s + 8] = isnan(e) ? 0.5
                                   : e > 0  ? exp(-e) / (1 + exp(-e))
                                            : 1 / (1 + exp(e));
            }
        size_t changed = 0;
        long long sv[3] = {s1, s2, s3};
        if (checker)
            changed = anneal_checker_sweep((const double(*)[17])pplus, W, H, nb, y, x, rs, sv,
                                           nthr);
        else
            ising_run_order(&run);
        for (size_t k = 0; !checker && k < n; k++) {
            size_t i = run.idx[k];
            changed += (size_t)gibbs_pixel((const double(*)[17])pplus, y, x, i,
                                           ising_nsum(x, W, H, i / W, i % W, nb), rng, sv);
        }
        s1 = sv[0], s2 = sv[1], s3 = sv[2];
        double e = ising_energy_of(p, s1, s2, s3);
        if (e < ebest) {
            ebest = e;
            memcpy(best, x, n);
        }
        int stop = ising_run_sweep(&run, sw, changed, e, T, 0, 0, err);
        T *= o->t_factor;
        if (stop)
            break;
    }
    for (size_t r = 0; rs && r < H; r++)
        pmk_rng_free(rs[r]);
    free(rs);
    memcpy(x, best, n);
    return ising_run_end(&run);
}

