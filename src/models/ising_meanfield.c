/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* ising_meanfield.c: naive (fully factorised) mean field for the Ising
 * model, damped, with its variational free energy. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/ising.h"
#include "pmk/threads.h"
#include "models/ising_internal.h"

/* ------------------------------------------------------------------ mean field
 *
 * Naive mean field (Murphy, MLaPP §21.3.2; Bishop §8.3.3 / §10.1): a fully
 * factorised q(x) = prod_i q_i(x_i) with means m_i = E_q[x_i] satisfies
 *     m_i = tanh(beta sum_{j in N(i)} m_j + eta y_i - h).
 * Starting from m = y, pixels are visited in the given order and updated in
 * place with damping d:  m_i <- (1 - d) m_i + d tanh(...).  The variational
 * free energy
 *     F(m) = h sum m_i - beta sum_<ij> m_i m_j - eta sum m_i y_i
 *            + sum_i [p_i ln p_i + (1 - p_i) ln(1 - p_i)],  p_i = (1 + m_i) / 2,
 * is reported after each sweep, with the energy of the thresholded image
 * x_i = sign(m_i) (a tie keeps y_i).  Stop when max_i |dm_i| < tol. */

static double xlogx(double v) { return v > 0 ? v * log(v) : 0.0; }

static double free_energy(const pmk_ising_params *p, size_t W, size_t H, const double *m,
                          const int8_t *y)
{
    double a1 = 0, a2 = 0, a3 = 0, ent = 0;
    int nb = p->neighbours;
    for (size_t r = 0; r < H; r++)
        for (size_t c = 0; c < W; c++) {
            size_t i = r * W + c;
            a1 += m[i];
            a3 += m[i] * y[i];
            if (c + 1 < W)
                a2 += m[i] * m[i + 1];
            if (r + 1 < H) {
                a2 += m[i] * m[i + W];
                if (nb == 8 && c + 1 < W)
                    a2 += m[i] * m[i + W + 1] + m[i + 1] * m[i + W];
            }
            double pi = (1 + m[i]) / 2;
            ent += xlogx(pi) + xlogx(1 - pi);
        }
    return p->h * a1 - p->beta * a2 - p->eta * a3 + ent;
}

/* The damped update of pixel i in place; returns |dm_i|. */
static inline double mf_update(const pmk_ising_params *p, double *m, const int8_t *y, size_t W,
                               size_t H, int nb, double d, size_t i)
{
    double t = tanh(p->beta * ising_msum(m, W, H, i / W, i % W, nb) + p->eta * y[i] - p->h);
    double mn = (1 - d) * m[i] + d * t;
    double dm = fabs(mn - m[i]);
    m[i] = mn;
    return dm;
}

/* Checkerboard order on T threads: the colour classes in turn (as
 * ising_visit_order lists them), each class's rows shared among the
 * threads.  The pixels of a class do not neighbour each other, so each
 * m_i is computed from the same values as in one pass: the same bits for
 * any T, and the max of |dm| is exact. */
static double mf_checker_sweep(const pmk_ising_params *p, double *m, const int8_t *y, size_t W,
                               size_t H, int nb, double d, int T)
{
    double maxd = 0;
    for (size_t col = 0; col < (nb == 8 ? 4u : 2u); col++) {
#pragma omp parallel for schedule(static) num_threads(T) reduction(max : maxd)
        for (long rr = 0; rr < (long)H; rr++) {
            size_t r = (size_t)rr;
            /* the first column of class col in row r, then every other one */
            size_t c0 = nb == 8 ? ((r & 1) == col >> 1 ? (col & 1) : W) : ((col + r) & 1);
            for (size_t c = c0; c < W; c += 2) {
                double dm = mf_update(p, m, y, W, H, nb, d, r * W + c);
                maxd = dm > maxd ? dm : maxd;
            }
        }
    }
    return maxd;
}

int ising_meanfield(const pmk_ising_params *p, const pmk_ising_options *o, size_t W, size_t H,
                     const int8_t *y, int8_t *x, pmk_rng *rng, pmk_ising_result *res,
                     pmk_error *err)
{
    size_t n = W * H;
    int nb = p->neighbours;
    ising_run run;
    if (ising_run_begin(&run, p, o, W, H, y, x, rng, 1, sizeof(double), res, err))
        return PMK_ENOMEM;
    double *m = run.work;
    for (size_t i = 0; i < n; i++)
        m[i] = y[i];
    double d = o->damping;
    int T = o->order == PMK_ISING_CHECKERBOARD ? pmk_threads_resolve(o->threads) : 1;
    for (size_t sw = 1; sw <= o->max_sweeps; sw++) {
        double maxd = 0;
        if (T > 1) {
            maxd = mf_checker_sweep(p, m, y, W, H, nb, d, T);
        } else {
            ising_run_order(&run);
            for (size_t k = 0; k < n; k++) {
                double dm = mf_update(p, m, y, W, H, nb, d, run.idx[k]);
                maxd = dm > maxd ? dm : maxd;
            }
        }
        size_t changed = 0;
        for (size_t i = 0; i < n; i++) {
            int8_t xn = m[i] > 0 ? 1 : m[i] < 0 ? -1 : y[i];
            changed += xn != x[i];
            x[i] = xn;
        }
        if (ising_run_sweep(&run, sw, changed, ising_energy(p, W, H, x, y), 0,
                            free_energy(p, W, H, m, y), maxd < o->tol, err))
            break;
    }
    return ising_run_end(&run);
}

