/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* ising_icm.c: iterated conditional modes for the Ising model: the reference
 * per-pixel rule (any order, any beta) and the byte-parallel raster and
 * checkerboard sweeps used for beta >= 0. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "pmk/ising.h"
#include "pmk/threads.h"
#include "models/ising_internal.h"

/* The hot loops work on signed bytes and are written so that the compiler
 * vectorises them; -O3 is asked for here (and ISING_HOT adds an AVX2 clone). */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif

/* ------------------------------------------------------------------ the ICM rule
 * (ising_rule in ising_internal.h) */
void ising_rule_init(ising_rule *R, const pmk_ising_params *p)
{
    for (int yb = 0; yb < 2; yb++) {
        double yv = yb ? 1.0 : -1.0;
        for (int s = -8; s <= 8; s++) {
            double f = (-p->h + p->beta * s) + p->eta * yv;
            R->dec[yb][s + 8] = f > 0 ? 1 : f < 0 ? -1 : 0;
        }
        R->pmin[yb] = 100;
        for (int s = -8; s <= 8; s++)
            if (R->dec[yb][s + 8] == 1) {
                R->pmin[yb] = (int8_t)s;
                break;
            }
        R->mmax[yb] = -100;
        for (int s = 8; s >= -8; s--)
            if (R->dec[yb][s + 8] == -1) {
                R->mmax[yb] = (int8_t)s;
                break;
            }
    }
}

/* ------------------------------------------------------------------ ICM
 *
 * Iterated conditional modes (Besag 1986; Bishop, PRML §8.3.3): from x = y,
 * visit pixels in the given order, setting x_i <- sign(-h + beta s_i + eta y_i)
 * in place (a tie keeps x_i).  Each update cannot raise E, so E is
 * non-increasing; stop after a sweep that changes nothing or at max_sweeps.
 * Cost: O(H W) per sweep. */
int pmk_ising_icm_reference(const pmk_ising_params *p, const pmk_ising_options *o,
                            size_t W, size_t H, const int8_t *y, int8_t *x,
                            pmk_rng *rng, pmk_ising_result *res, pmk_error *err)
{
    size_t n = W * H;
    int nb = p->neighbours;
    ising_rule R;
    ising_run run;
    ising_rule_init(&R, p);
    memset(res, 0, sizeof *res);
    if (o->order == PMK_ISING_RANDOM && !rng)
        return pmk_error_set(err, PMK_EINVAL, "this method and order need a random generator");
    if (ising_run_begin(&run, p, o, W, H, y, x, rng, 1, 0, res, err))
        return PMK_ENOMEM;
    for (size_t sw = 1; sw <= o->max_sweeps; sw++) {
        ising_run_order(&run);
        size_t changed = 0;
        for (size_t k = 0; k < n; k++) {
            size_t i = run.idx[k];
            int s = ising_nsum(x, W, H, i / W, i % W, nb);
            int8_t d = R.dec[y[i] > 0][s + 8];
            if (d != 0 && d != x[i]) {
                x[i] = d;
                changed++;
            }
        }
        if (ising_run_sweep(&run, sw, changed, ising_energy(p, W, H, x, y), 0, 0, changed == 0,
                            err))
            break;
    }
    return ising_run_end(&run);
}

/* The decision for neighbour sum s and observation yv in threshold form
 * (beta >= 0): +1 if s >= P_y, -1 if s <= M_y, else keep xo. */
static inline int8_t decide(const ising_rule *R, int s, int8_t yv, int8_t xo)
{
    int yb = yv > 0;
    return s >= R->pmin[yb] ? 1 : (s <= R->mmax[yb] ? -1 : xo);
}

/* Sum of the neighbours of (r, c) other than the left one, for a row whose
 * rows above / below are up / dn (zero rows at the border). */
static inline int sum_but_left(const int8_t *up, const int8_t *row, const int8_t *dn,
                               size_t W, size_t c, int nb)
{
    int s = up[c] + dn[c];
    if (c + 1 < W)
        s += row[c + 1] + (nb == 8 ? up[c + 1] + dn[c + 1] : 0);
    if (c > 0 && nb == 8)
        s += up[c - 1] + dn[c - 1];
    return s;
}

/* The serial part of the raster sweep: b_0 = rp_0, b_c = rm_c | (rp_c & b_{c-1}),
 * written over rp (bytes 0/1, W of them).  This is a carry chain (rm
 * generates, rp propagates), so eight pixels at a time it is a parallel
 * prefix (Kogge-Stone) over the bytes of a 64-bit word, little-endian so
 * that a left shift by 8 moves pixel k onto pixel k + 1: after the three
 * steps byte k of G is b_k for a carry-in of 0 and byte k of P the AND of
 * rp over bytes 0..k, so b = G | (P & cin).  Only the carry passes from one
 * word to the next: about 2 operations a pixel with no long dependence,
 * where the plain loop waits two cycles a pixel on the one before. */
static inline void raster_carry(uint8_t *restrict rp, const uint8_t *restrict rm, size_t W)
{
    uint8_t b = rp[0];
    size_t c = 1;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; c + 8 <= W; c += 8) {
        uint64_t G, P;
        memcpy(&G, rm + c, 8);
        memcpy(&P, rp + c, 8);
        G |= P & (G << 8);
        P &= P << 8 | 0xffu;
        G |= P & (G << 16);
        P &= P << 16 | 0xffffu;
        G |= P & (G << 32);
        P &= P << 32 | 0xffffffffu;
        G |= P & (0x0101010101010101ull * b);
        memcpy(rp + c, &G, 8);
        b = (uint8_t)(G >> 56);
    }
#endif
    for (; c < W; c++) {
        b = (uint8_t)(rm[c] | (rp[c] & b));
        rp[c] = b;
    }
}

/* Fast raster sweep (beta >= 0).  Row by row; within a row only the left
 * neighbour is already updated, so with q_c = the sum of the other neighbours
 * (row above: new; row below and right: old) the result for pixel c is
 *     b_c = rm_c | (rp_c & b_{c-1})          (bits: 1 = +1)
 * where rp_c / rm_c are the decisions for a left neighbour of +1 / -1.  The
 * decisions are monotone in s (beta >= 0), so rm_c <= rp_c and the recurrence
 * above is exact.  Computing q, rp, rm and the write-back are byte-parallel
 * (one fused loop each over the interior columns); only the two-operation
 * recurrence is serial.  Dimensions: rp, rm are W bytes; zero is a row of W
 * zero bytes for the missing rows at the border. */
ISING_HOT
static size_t icm_raster_sweep(const ising_rule *R, size_t W, size_t H, const int8_t *y,
                               int8_t *x, int nb, uint8_t *restrict rp, uint8_t *restrict rm,
                               const int8_t *zero)
{
    const int8_t P0 = R->pmin[0], P1 = R->pmin[1], M0 = R->mmax[0], M1 = R->mmax[1];
    size_t changed = 0;
    for (size_t r = 0; r < H; r++) {
        const int8_t *restrict up = r > 0 ? x + (r - 1) * W : zero;
        const int8_t *restrict dn = r + 1 < H ? x + (r + 1) * W : zero;
        int8_t *restrict row = x + r * W;
        const int8_t *restrict yr = y + r * W;
        /* c = 0 has no left neighbour: its decision is final. */
        rp[0] = decide(R, sum_but_left(up, row, dn, W, 0, nb), yr[0], row[0]) > 0;
        if (W > 1) {
            size_t e = W - 1;
            int q = sum_but_left(up, row, dn, W, e, nb);
            rp[e] = decide(R, q + 1, yr[e], row[e]) > 0;
            rm[e] = decide(R, q - 1, yr[e], row[e]) > 0;
        }
        if (nb == 8) {
            for (size_t c = 1; c + 1 < W; c++) {
                int8_t q = (int8_t)(up[c - 1] + up[c] + up[c + 1] + dn[c - 1] + dn[c] + dn[c + 1]
                                    + row[c + 1]);
                int8_t P = yr[c] > 0 ? P1 : P0, M = yr[c] > 0 ? M1 : M0;
                uint8_t xo = row[c] > 0;
                int8_t sp = (int8_t)(q + 1), sm = (int8_t)(q - 1);
                rp[c] = sp >= P ? 1 : (sp <= M ? 0 : xo);
                rm[c] = sm >= P ? 1 : (sm <= M ? 0 : xo);
            }
        } else {
            for (size_t c = 1; c + 1 < W; c++) {
                int8_t q = (int8_t)(up[c] + dn[c] + row[c + 1]);
                int8_t P = yr[c] > 0 ? P1 : P0, M = yr[c] > 0 ? M1 : M0;
                uint8_t xo = row[c] > 0;
                int8_t sp = (int8_t)(q + 1), sm = (int8_t)(q - 1);
                rp[c] = sp >= P ? 1 : (sp <= M ? 0 : xo);
                rm[c] = sm >= P ? 1 : (sm <= M ? 0 : xo);
            }
        }
        raster_carry(rp, rm, W);
        size_t ch = 0;
        for (size_t c = 0; c < W; c++) {
            int8_t xn = (int8_t)(2 * rp[c] - 1);
            ch += xn != row[c];
            row[c] = xn;
        }
        changed += ch;
    }
    return changed;
}

/* One colour class of one row, checkerboard order: the pixels with
 * c mod 2 == par (mask m set) get the decision from the current image, the
 * others keep their value.  The row is first copied to old (W bytes), so the
 * vectorised loop reads old and writes row without a dependence between
 * them.  Returns the number of pixels changed. */
ISING_HOT
static size_t checker_row(const ising_rule *R, size_t W, const int8_t *restrict up,
                          int8_t *restrict row, const int8_t *restrict dn,
                          const int8_t *restrict yr, int nb, const int8_t *restrict m,
                          int8_t *restrict old)
{
    const int8_t P0 = R->pmin[0], P1 = R->pmin[1], M0 = R->mmax[0], M1 = R->mmax[1];
    memcpy(old, row, W);
    if (nb == 8) {
        for (size_t c = 1; c + 1 < W; c++) {
            int8_t s = (int8_t)(up[c - 1] + up[c] + up[c + 1] + dn[c - 1] + dn[c] + dn[c + 1]
                                + old[c - 1] + old[c + 1]);
            int8_t xo = old[c];
            int8_t P = yr[c] > 0 ? P1 : P0, M = yr[c] > 0 ? M1 : M0;
            int8_t xn = s >= P ? 1 : (s <= M ? -1 : xo);
            row[c] = m[c] ? xn : xo;
        }
    } else {
        for (size_t c = 1; c + 1 < W; c++) {
            int8_t s = (int8_t)(up[c] + dn[c] + old[c - 1] + old[c + 1]);
            int8_t xo = old[c];
            int8_t P = yr[c] > 0 ? P1 : P0, M = yr[c] > 0 ? M1 : M0;
            int8_t xn = s >= P ? 1 : (s <= M ? -1 : xo);
            row[c] = m[c] ? xn : xo;
        }
    }
    for (size_t c = 0; c < W; c += W > 1 ? W - 1 : 1) { /* the two edge pixels */
        if (m[c]) {
            int s = sum_but_left(up, old, dn, W, c, nb) + (c > 0 ? old[c - 1] : 0);
            row[c] = decide(R, s, yr[c], old[c]);
        }
    }
    /* Counted apart: a byte-compare reduction into an unsigned vectorises. */
    unsigned cnt = 0;
    for (size_t c = 0; c < W; c++)
        cnt += (unsigned)(old[c] != row[c]);
    return cnt;
}

/* Fast checkerboard sweep (beta >= 0): each colour class in turn, all of its
 * pixels at once; pixels of one class have no neighbours in that class, so
 * this equals updating them one by one.  4 neighbours: classes (r + c) mod 2;
 * 8 neighbours: classes 2 (r mod 2) + (c mod 2).  The classes are run as a
 * wavefront in one pass over the rows (class k of row r needs class k-1 done
 * on rows r-1..r+1 only), which gives the same result as one full pass per
 * class and keeps the rows in cache.  mask[par][c] is 1 where
 * c mod 2 == par.  Dimensions: tmp, mask rows W bytes. */
static size_t icm_checker_sweep(const ising_rule *R, size_t W, size_t H, const int8_t *y,
                                int8_t *x, int nb, int8_t *tmp, const int8_t *const mask[2],
                                const int8_t *zero)
{
    size_t changed = 0;
#define ROWPTRS(rr)                                                                            \
    const int8_t *up = (rr) > 0 ? x + ((rr) - 1) * W : zero;                                   \
    const int8_t *dn = (rr) + 1 < H ? x + ((rr) + 1) * W : zero;                               \
    int8_t *row = x + (rr) * W;                                                                \
    const int8_t *yr = y + (rr) * W;
    if (nb == 4) {
        /* class 0 of row r (c mod 2 == r mod 2), then class 1 of row r - 1. */
        for (size_t r = 0; r <= H; r++) {
            if (r < H) {
                ROWPTRS(r)
                changed += checker_row(R, W, up, row, dn, yr, nb, mask[r & 1], tmp);
            }
            if (r > 0) {
                ROWPTRS(r - 1)
                changed += checker_row(R, W, up, row, dn, yr, nb, mask[r & 1], tmp);
            }
        }
    } else {
        /* classes (even rows, even c), (even, odd), (odd, even), (odd, odd):
         * classes 0 and 1 of row r (r even); classes 2 and 3 of row r - 1 (odd)
         * once the even rows r - 2 and r are done (r = H, when H is even,
         * finishes the last odd row). */
        for (size_t r = 0; r <= H; r += 2) {
            if (r < H) {
                ROWPTRS(r)
                changed += checker_row(R, W, up, row, dn, yr, nb, mask[0], tmp);
                changed += checker_row(R, W, up, row, dn, yr, nb, mask[1], tmp);
            }
            if (r > 0) {
                ROWPTRS(r - 1)
                changed += checker_row(R, W, up, row, dn, yr, nb, mask[0], tmp);
                changed += checker_row(R, W, up, row, dn, yr, nb, mask[1], tmp);
            }
        }
    }
#undef ROWPTRS
    return changed;
}

/* The checkerboard sweep on T threads: each colour class in two passes, its
 * rows of even index, then of odd index, each pass's rows shared among the
 * threads.  A pass writes only rows of one parity and reads their
 * neighbours, of the other parity, which it does not write: no two threads
 * touch the same row, and since the pixels of one class do not neighbour
 * each other, any order gives the same image as icm_checker_sweep.
 * 4 neighbours: class k of row r is the columns c = r + k (mod 2); 8: classes
 * 0 and 1 on the even rows, 2 and 3 on the odd ones.  tmp: T rows of W. */
static size_t icm_checker_sweep_par(const ising_rule *R, size_t W, size_t H, const int8_t *y,
                                    int8_t *x, int nb, int8_t *tmp, const int8_t *const mask[2],
                                    const int8_t *zero, int T)
{
    size_t changed = 0;
    for (int pass = 0; pass < 4; pass++) {
        /* 4 neighbours: passes (class 0, even), (0, odd), (1, even), (1, odd);
         * 8 neighbours: even rows (classes 0, 1), odd rows (2, 3), once each */
        size_t parity = nb == 4 ? (size_t)(pass & 1) : (size_t)pass;
        if (parity > 1)
            break;
        long nrows = (long)((H + 1 - parity) / 2);
#pragma omp parallel for schedule(static) num_threads(T) reduction(+ : changed)
        for (long i = 0; i < nrows; i++) {
            size_t r = 2 * (size_t)i + parity;
            int8_t *t = tmp;
#ifdef _OPENMP
            t += (size_t)omp_get_thread_num() * W;
#endif
            const int8_t *up = r > 0 ? x + (r - 1) * W : zero;
            const int8_t *dn = r + 1 < H ? x + (r + 1) * W : zero;
            int8_t *row = x + r * W;
            const int8_t *yr = y + r * W;
            if (nb == 4) {
                changed += checker_row(R, W, up, row, dn, yr, nb, mask[(r + (size_t)(pass >> 1)) & 1], t);
            } else {
                changed += checker_row(R, W, up, row, dn, yr, nb, mask[0], t);
                changed += checker_row(R, W, up, row, dn, yr, nb, mask[1], t);
            }
        }
    }
    return changed;
}

int ising_icm_bytes(const pmk_ising_params *p, const pmk_ising_options *o, size_t W, size_t H,
                    const int8_t *y, int8_t *x, pmk_ising_result *res, pmk_error *err)
{
    ising_rule R;
    ising_run run;
    ising_rule_init(&R, p);
    /* zero row, three work rows, two mask rows, then T work rows (threads) */
    int T = o->order == PMK_ISING_CHECKERBOARD && H > 1 ? pmk_threads_resolve(o->threads) : 1;
#ifndef _OPENMP
    T = 1;
#endif
    uint8_t *buf = calloc(6 + (size_t)(T > 1 ? T : 0), W);
    if (!buf || ising_run_begin(&run, p, o, W, H, y, x, NULL, 0, 0, res, err)) {
        free(buf);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu pixels", W);
    }
    const int8_t *zero = (const int8_t *)buf;
    int8_t *tmp = (int8_t *)buf + W;
    uint8_t *rp = buf + 2 * W, *rm = buf + 3 * W;
    int8_t *m0 = (int8_t *)buf + 4 * W, *m1 = (int8_t *)buf + 5 * W;
    for (size_t c = 0; c < W; c++) {
        m0[c] = (c & 1) ? 0 : 1;
        m1[c] = (c & 1) ? 1 : 0;
    }
    const int8_t *mask[2] = {m0, m1};
    for (size_t sw = 1; sw <= o->max_sweeps; sw++) {
        size_t changed = o->order != PMK_ISING_CHECKERBOARD
                             ? icm_raster_sweep(&R, W, H, y, x, p->neighbours, rp, rm, zero)
                         : T > 1 ? icm_checker_sweep_par(&R, W, H, y, x, p->neighbours,
                                                         (int8_t *)buf + 6 * W, mask, zero, T)
                                 : icm_checker_sweep(&R, W, H, y, x, p->neighbours, tmp, mask, zero);
        if (ising_run_sweep(&run, sw, changed, ising_energy(p, W, H, x, y), 0, 0, changed == 0,
                            err))
            break;
    }
    free(buf);
    return ising_run_end(&run);
}

/* Checkerboard order with 4 neighbours runs on bit-packed spins
 * (ising_bits.c), a thread for each 2^18 pixels at most: a bit-packed sweep
 * of 2^18 takes some tens of microseconds, a barrier on a busy machine
 * (a descheduled thread) milliseconds.  8 neighbours (four colours) and
 * raster order run on bytes. */
int ising_icm_bits_runs(const pmk_ising_params *p, const pmk_ising_options *o)
{
    return o->method == PMK_ISING_ICM && p->beta >= 0 && o->order == PMK_ISING_CHECKERBOARD
           && p->neighbours == 4;
}

int ising_icm_fast(const pmk_ising_params *p, const pmk_ising_options *o, size_t W, size_t H,
                   const int8_t *y, int8_t *x, pmk_ising_result *res, pmk_error *err)
{
    if (ising_icm_bits_runs(p, o)) {
        size_t most = (W * H) >> 18;
        int T = pmk_threads_resolve(o->threads);
        return ising_icm_bits(p, o, W, H, y, x, (size_t)T > most ? (most ? (int)most : 1) : T,
                              res, err);
    }
    return ising_icm_bytes(p, o, W, H, y, x, res, err);
}
