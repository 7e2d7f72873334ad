/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* potts.c: the Potts model for grey images: its energy, ICM, and
 * pmk_potts_denoise's set-up and dispatch (alpha-expansion is in
 * potts_expand.c). */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pmk/ising.h"
#include "pmk/limits.h"
#include "models/ising_internal.h"

/* ------------------------------------------------------------------ model
 *
 * Potts model for denoising (Boykov, Veksler & Zabih, PAMI 23(11), 2001;
 * Szeliski et al., PAMI 30(6), 2008): labels k = 0..L-1 stand for the grey
 * levels g_k = round(k maxval / (L - 1)), and
 *     E(x, y) = eta sum_i D(g_{x_i}, y_i) + beta sum_<ij> [x_i != x_j],
 * D(g, y) = ((g - y) / maxval)^2 (L2) or |g - y| / maxval (L1), pairs over
 * the 4- or 8-neighbourhood, free boundary.  With L = 2 on a binary image
 * (D = [x_i != y_i]) and the Ising spins s = +1 for label 0 (black):
 *     -eta s_i y_i = -eta + 2 eta [x_i != y_i],
 *     -beta s_i s_j = -beta + 2 beta [x_i != x_j],
 * so E_ising = 2 E_potts - eta n - beta P (P pairs, h = 0): the same
 * minimisers and, computed as below, the same ICM decisions bit for bit. */

/* The two exact sums of E. */
static void potts_sums(const potts_model *m, const uint8_t *x, unsigned long long *sd,
                       unsigned long long *sp)
{
    const size_t W = m->W, H = m->H;
    unsigned long long d = 0, p = 0;
    for (size_t r = 0; r < H; r++)
        for (size_t c = 0; c < W; c++) {
            size_t i = r * W + c;
            d += potts_d(m, x[i], m->y[i]);
            if (c + 1 < W)
                p += x[i] != x[i + 1];
            if (r + 1 < H) {
                p += x[i] != x[i + W];
                if (m->nb == 8) {
                    if (c + 1 < W)
                        p += x[i] != x[i + W + 1];
                    if (c > 0)
                        p += x[i] != x[i + W - 1];
                }
            }
        }
    *sd = d;
    *sp = p;
}

double potts_energy(const potts_model *m, const uint8_t *x)
{
    unsigned long long sd, sp;
    potts_sums(m, x, &sd, &sp);
    return m->p->eta * ((double)sd / m->scale) + m->p->beta * (double)sp;
}

size_t potts_errors(const potts_model *m, const uint8_t *x)
{
    size_t e = 0;
    for (size_t i = 0; m->truth && i < m->n; i++)
        e += m->g[x[i]] != m->truth[i];
    return e;
}

/* Sets up @p m for y (W x H levels 0..maxval) and the label of each level
 * (NULL: not needed).  PMK_EDATA when the levels do not fit maxval. */
static int model_init(potts_model *m, const pmk_ising_params *p, const pmk_ising_options *o,
                      size_t W, size_t H, unsigned maxval, const uint16_t *y, pmk_error *err)
{
    const unsigned L = p->levels;
    if (L - 1 > maxval)
        return pmk_error_set(err, PMK_EDATA,
                             "%u levels need a maxval of at least %u; this image has %u", L,
                             L - 1, maxval);
    *m = (potts_model){p, o, W, H, W * H, p->neighbours, (int)L, y, NULL, {0}, 0};
    for (unsigned k = 0; k < L; k++)
        m->g[k] = (uint16_t)((2ULL * k * maxval + (L - 1)) / (2ULL * (L - 1)));  /* round */
    m->scale = p->data_cost == PMK_ISING_L1 ? (double)maxval : (double)maxval * maxval;
    return PMK_OK;
}

/* The label whose level is nearest @p v, the lower on a tie. */
static uint8_t nearest_label(const potts_model *m, uint16_t v)
{
    unsigned k = (unsigned)(((unsigned long long)v * (unsigned)(m->L - 1)) / m->g[m->L - 1]);
    if (k + 1 < (unsigned)m->L && m->g[k + 1] - v < v - m->g[k])
        k++;
    return (uint8_t)k;
}

/* ------------------------------------------------------------------ ICM
 *
 * Visit the pixels in the order of o (raster in place, random, or the
 * colour classes), and set x_i to the label k of least local energy
 *     e_k = eta D(g_k, y_i) + beta (number of neighbours whose label is not k),
 * computed as differences from the current label c,
 *     e_k - e_c = eta ((d_k - d_c) / scale) + beta (n_c - n_k)
 * (n_k: neighbours labelled k; d: the integer data costs), taking k only
 * when that is < 0 and smallest (the lowest k on a tie): a tie keeps x_i.
 * E never increases; stop after a sweep that changes nothing. */
int potts_icm(const potts_model *m, uint8_t *x, pmk_rng *rng, pmk_ising_result *res,
              pmk_error *err)
{
    const size_t W = m->W, H = m->H, n = m->n;
    const pmk_ising_options *o = m->o;
    const double eta = m->p->eta, beta = m->p->beta;
    ising_run run = {o, res, NULL, W, H, n, m->nb, rng, NULL, NULL, 0, PMK_OK,
                     NULL, 0, 0, 1, 0};
    if (!(run.idx = malloc(n * sizeof *run.idx)))
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu pixels", n);
    if (o->order != PMK_ISING_RANDOM)
        ising_visit_order(o->order, W, H, m->nb, rng, run.idx);
    int cnt[256] = {0};
    for (size_t sw = 1; sw <= o->max_sweeps; sw++) {
        ising_run_order(&run);
        size_t changed = 0;
        for (size_t k = 0; k < n; k++) {
            const size_t i = run.idx[k], r = i / W, c = i % W;
            size_t nbr[8];
            int nn = 0;
            for (int d = 0; d < m->nb; d++) {
                long rr = (long)r + ising_cut_dr[d], cc = (long)c + ising_cut_dc[d];
                if (rr >= 0 && rr < (long)H && cc >= 0 && cc < (long)W)
                    cnt[x[nbr[nn++] = (size_t)rr * W + (size_t)cc]]++;
            }
            const int cur = x[i];
            const long long dc = (long long)potts_d(m, cur, m->y[i]);
            double best = 0;
            int bk = cur;
            for (int l = 0; l < m->L; l++) {
                double e = eta * ((double)((long long)potts_d(m, l, m->y[i]) - dc) / m->scale)
                           + beta * (double)(cnt[cur] - cnt[l]);
                if (e < best) {
                    best = e;
                    bk = l;
                }
            }
            for (int t = 0; t < nn; t++)
                cnt[x[nbr[t]]] = 0;
            changed += bk != cur;
            x[i] = (uint8_t)bk;
        }
        run.errors = potts_errors(m, x);
        if (ising_run_sweep(&run, sw, changed, potts_energy(m, x), 0, 0, changed == 0, err))
            break;
    }
    return ising_run_end(&run);
}

/* ------------------------------------------------------------------ public */

int pmk_potts_energy(const pmk_ising_params *p, const pmk_grey_image *x,
                     const pmk_grey_image *y, double *energy, pmk_error *err)
{
    potts_model m;
    int rc = pmk_ising_params_check(p, err);
    if (rc)
        return rc;
    if (!p->levels)
        return pmk_error_set(err, PMK_EINVAL, "levels is 0: the Potts model needs 2..256");
    if (x->width != y->width || x->height != y->height || x->maxval != y->maxval)
        return pmk_error_set(err, PMK_EINVAL,
                             "x is %zux%zu (maxval %u) but y is %zux%zu (maxval %u)", x->width,
                             x->height, x->maxval, y->width, y->height, y->maxval);
    if ((rc = model_init(&m, p, NULL, y->width, y->height, y->maxval, y->level, err)))
        return rc;
    uint8_t *lab = malloc(m.n);
    if (!lab)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu pixels", m.n);
    for (size_t i = 0; i < m.n; i++) {
        lab[i] = nearest_label(&m, x->level[i]);
        if (m.g[lab[i]] != x->level[i]) {
            free(lab);
            return pmk_error_set(err, PMK_EINVAL,
                                 "x: level %u at row %zu, column %zu is not one of the %u "
                                 "levels", x->level[i], i / m.W + 1, i % m.W + 1, p->levels);
        }
    }
    *energy = potts_energy(&m, lab);
    free(lab);
    return PMK_OK;
}

int pmk_potts_denoise(const pmk_ising_params *p, const pmk_ising_options *o,
                      const pmk_grey_image *y, const pmk_grey_image *truth,
                      pmk_grey_image **x, pmk_rng *rng, pmk_ising_result *res, pmk_error *err)
{
    pmk_ising_result local;
    potts_model m;
    uint8_t *lab = NULL;
    int rc;
    *x = NULL;
    if (!res)
        res = &local;
    memset(res, 0, sizeof *res);
    if ((rc = pmk_ising_check(p, o, err)))
        return rc;
    if (!p->levels)
        return pmk_error_set(err, PMK_EINVAL, "levels is 0: the Potts model needs 2..256");
    if (o->truth)
        return pmk_error_set(err, PMK_EINVAL, "the Potts model takes its truth image as levels");
    if (y->width * y->height > (size_t)INT32_MAX)
        return pmk_error_set(err, PMK_ELIMIT, "the image is too large (%zux%zu)", y->width,
                             y->height);
    if ((rc = pmk_ising_params_check_size(p, y->width, y->height, err))
        || (rc = model_init(&m, p, o, y->width, y->height, y->maxval, y->level, err)))
        return rc;
    if (truth && (truth->width != y->width || truth->height != y->height))
        return pmk_error_set(err, PMK_EDATA, "the truth image is %zux%zu but y is %zux%zu",
                             truth->width, truth->height, y->width, y->height);
    m.truth = truth ? truth->level : NULL;
    if (o->method == PMK_ISING_ICM && o->order == PMK_ISING_RANDOM && !rng)
        return pmk_error_set(err, PMK_EINVAL, "this method and order need a random generator");
    if ((rc = pmk_mem_check(NULL, 0, 0, (unsigned long long)m.n * (1 + sizeof(size_t)),
                            "the work space of this method", err)))
        return rc;
    if (!(*x = pmk_grey_image_alloc(y->width, y->height, y->maxval, err))
        || !(lab = malloc(m.n))) {
        rc = pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu pixels", m.n);
        goto done;
    }
    for (size_t i = 0; i < m.n; i++)
        lab[i] = nearest_label(&m, y->level[i]);
    for (size_t i = 0; i < m.n; i++)
        (*x)->level[i] = m.g[lab[i]];   /* the start, for `changed` below */
    res->energy_initial = potts_energy(&m, lab);
    rc = o->method == PMK_ISING_ICM ? potts_icm(&m, lab, rng, res, err)
                                    : potts_expand(&m, lab, res, err);
    if (rc == PMK_OK) {
        res->energy = potts_energy(&m, lab);
        res->errors = potts_errors(&m, lab);
        res->error = (double)res->errors / (double)m.n;
        res->width = y->width;
        res->height = y->height;
        for (size_t i = 0; i < m.n; i++) {
            res->changed += (*x)->level[i] != m.g[lab[i]];
            (*x)->level[i] = m.g[lab[i]];
        }
    }
done:
    free(lab);
    if (rc != PMK_OK) {
        pmk_grey_image_free(*x);
        *x = NULL;
    }
    if (rc != PMK_OK || res == &local)
        pmk_ising_result_clear(res);
    return rc;
}
