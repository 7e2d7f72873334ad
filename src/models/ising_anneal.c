/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* ising_anneal.c: simulated annealing for the Ising model: Gibbs sampling
 * under a geometric temperature schedule, keeping the best state seen. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/ising.h"
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
        ising_run_order(&run);
        size_t changed = 0;
        for (size_t k = 0; k < n; k++) {
            size_t i = run.idx[k];
            int s = ising_nsum(x, W, H, i / W, i % W, nb);
            int8_t xn = pmk_rng_uniform(rng) < pplus[y[i] > 0][s + 8] ? 1 : -1;
            if (xn != x[i]) {
                int d = xn - x[i];
                s1 += d;
                s2 += (long long)d * s;
                s3 += d * y[i];
                x[i] = xn;
                changed++;
            }
        }
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
    memcpy(x, best, n);
    return ising_run_end(&run);
}

