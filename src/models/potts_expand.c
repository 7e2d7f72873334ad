/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* potts_expand.c: alpha-expansion for the Potts model (potts.c), each move
 * one s-t minimum cut on the grid graph of ising_maxflow.c. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "pmk/ising.h"
#include "models/ising_internal.h"

/* ------------------------------------------------------------------ alpha-expansion
 *
 * Boykov, Veksler & Zabih, "Fast approximate energy minimization via graph
 * cuts", PAMI 23(11), 2001, §3 and §4.  An alpha-expansion move lets every
 * pixel either keep its label (t_i = 0) or take alpha (t_i = 1); the best
 * such move is one minimum cut, because the Potts term is a metric, which
 * makes each pair's move energy theta(t_i, t_j) submodular (Kolmogorov &
 * Zabih, PAMI 26(2), 2004): with A = theta(0,0) = beta [x_i != x_j],
 * B = theta(0,1) = beta [x_i != alpha], C = theta(1,0) = beta [alpha != x_j],
 * D = theta(1,1) = 0,
 *     theta = A + (C - A) t_i + (D - C) t_j + (B + C - A - D) (1 - t_i) t_j,
 * B + C - A - D >= 0 by the triangle inequality.  Source side = keep
 * (t = 0), sink side = alpha, so the last term is the arc i -> j and a
 * node's terminal residual is its cost of alpha minus its cost of keeping:
 *     tr_i = eta (d(alpha, y_i) - d(x_i, y_i)) / scale + the pair shares above.
 * Labels are expanded in order 0..L-1; a move is taken only when it lowers
 * E (recomputed from its exact sums), and the cycles stop when a whole
 * cycle lowers nothing (or at max_sweeps cycles).  The result is within a
 * factor 2 of the minimum (2 max / min of the nonzero pair costs, here 1);
 * for L = 2 it is exact (any local minimum of both moves of a submodular
 * binary energy is global).  Cost: L cuts a cycle, a few cycles. */
int potts_expand(const potts_model *m, uint8_t *x, pmk_ising_result *res, pmk_error *err)
{
    const size_t W = m->W, H = m->H, n = m->n;
    const pmk_ising_options *o = m->o;
    const double eta = m->p->eta, beta = m->p->beta;
    static const int fwd[4] = {0, 2, 4, 6};   /* right, down, down-right, down-left */
    const int nf = m->nb == 8 ? 4 : 2;
    ising_run run = {o, res, NULL, W, H, n, m->nb, NULL, NULL, NULL, 0, PMK_OK,
                     NULL, 0, 0, 1, 0};
    ising_cut *g = NULL;
    double *tr = malloc(n * sizeof *tr);
    uint8_t *xn = malloc(n);
    int rc = tr && xn ? ising_cut_alloc(W, H, m->nb, &g, err)
                      : pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu pixels", n);
    double e = potts_energy(m, x);
    for (size_t cycle = 1; rc == PMK_OK && cycle <= o->max_sweeps; cycle++) {
        size_t changed = 0;
        for (int a = 0; a < m->L; a++) {
            ising_cut_reset(g);
            for (size_t i = 0; i < n; i++)
                tr[i] = eta * ((double)((long long)potts_d(m, a, m->y[i])
                                        - (long long)potts_d(m, x[i], m->y[i]))
                               / m->scale);
            for (size_t r = 0; r < H; r++)
                for (size_t c = 0; c < W; c++) {
                    const size_t i = r * W + c;
                    double *cap = ising_cut_caps(g, r, c);
                    for (int f = 0; f < nf; f++) {
                        const int d = fwd[f];
                        long rr = (long)r + ising_cut_dr[d], cc = (long)c + ising_cut_dc[d];
                        if (rr < 0 || rr >= (long)H || cc < 0 || cc >= (long)W)
                            continue;
                        const size_t j = (size_t)rr * W + (size_t)cc;
                        double A = x[i] != x[j] ? beta : 0, B = x[i] != a ? beta : 0,
                               C = a != x[j] ? beta : 0;
                        tr[i] += C - A;
                        tr[j] -= C;
                        cap[d] = B + C - A;
                    }
                }
            for (size_t r = 0; r < H; r++)
                for (size_t c = 0; c < W; c++)
                    ising_cut_terminal(g, r, c, tr[r * W + c]);
            ising_cut_solve(g);
            for (size_t r = 0; r < H; r++)
                for (size_t c = 0; c < W; c++)
                    xn[r * W + c] = ising_cut_source(g, r, c) ? x[r * W + c] : (uint8_t)a;
            double en = potts_energy(m, xn);
            if (en < e) {
                for (size_t i = 0; i < n; i++)
                    changed += xn[i] != x[i];
                memcpy(x, xn, n);
                e = en;
            }
        }
        run.errors = potts_errors(m, x);
        if (ising_run_sweep(&run, cycle, changed, e, 0, 0, changed == 0, err))
            break;
    }
    ising_cut_free(g);
    free(tr);
    free(xn);
    if (rc)
        return rc;
    return ising_run_end(&run);
}
