/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* ising_bits.c: checkerboard ICM on bit-packed spins (4 neighbours,
 * beta >= 0), 64 pixels a word, over row bands on T threads. */
#include "config.h"

#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "pmk/ising.h"
#include "core/core_internal.h"
#include "models/ising_internal.h"

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif

/* ------------------------------------------------------------------ layout
 *
 * Spins as bits, 1 = +1.  Row r is two bit planes of Wp words each: plane 0
 * the even columns (column 2j is bit j mod 64 of word j / 64), plane 1 the
 * odd ones (column 2j + 1), padding bits 0; a row is S = 2 Wp words.  With
 * 4 neighbours the colour of (r, c) is (r + c) mod 2, so colour k is plane
 * q = (k + r) mod 2 of row r, and its four neighbours lie in the other plane
 * of row r (left and right: bits j - 1 and j of plane 1 for plane 0, bits j
 * and j + 1 of plane 0 for plane 1) and in plane q of rows r - 1 and r + 1,
 * all of the other colour.  An update of one colour writes only its planes
 * and reads only the other colour's: no word is shared between a writer and
 * a reader, so row bands need no locks, and any order of the pixels of one
 * colour gives the image of the byte path (ising_icm.c), which does colour
 * 0, then colour 1.
 *
 * Rule.  With k of the d neighbours at +1 (s = 2k - d; d = 4 inside,
 * 3 or 2 on the top and bottom rows, a missing row read as a plane of
 * zeros), the byte path's table gives x_new = +1 iff k >= P[d][y],
 * -1 iff k <= M[d][y], else x_old (monotone in s for beta >= 0, as there).
 * k is summed by bit-sliced adders (three bits), the 6 masks G_t = [k >= t]
 * (t = 0..5) follow, and x_new = G_P | (G_{M+1} & x_old), choosing P and M
 * by y's bit.  The first and last columns (fewer neighbours, a shift across
 * the row's end) take the table rule one pixel at a time after the rest of
 * their colour in the row.
 *
 * Energy after a sweep from popcounts: S1 = 2 #(+1) - n, S3 = n - 2 #(x != y),
 * S2 = pairs - 2 #(unlike neighbour pairs), pairs = H (W - 1) + (H - 1) W:
 * the integer sums of ising_energy_sums, so the same double. */

typedef uint64_t word;

/* Band t of nt: rows r0 .. r1 - 1, stored as n = r1 - r0 rows of X (the
 * state), then n of Y, then n of the truth (when there is one), S words a
 * row. */
typedef struct bits_band {
    size_t r0, r1;
    word *X, *Y, *T;
} bits_band;

/* Thread t's band and its sums of a sweep: whole cache lines (aligned). */
typedef struct bits_part {
    _Alignas(64) unsigned long long changed, pop_x, pop_xy, unlike, err;
    unsigned bad;           /* non-zero: a byte of y it packed is not -1 or +1 */
    bits_band band;
} bits_part;

typedef struct bits_ctx {
    const pmk_ising_params *p;
    const pmk_ising_options *o;
    ising_rule R;
    size_t W, H, Wp, S, k;  /* k: 2 or 3 row images (X, Y and the truth) */
    const int8_t *y;
    int8_t *x;
    word *buf;              /* the bands' rows when not in x (else NULL) */
    word *zero;             /* Wp zero words: the row beyond the border */
    word *inner;            /* S words: plane bits of columns 1 .. W - 2 */
    word *odd_ok;           /* Wp words: bit j set iff 2j + 1 < W */
    word *next_ok;          /* Wp words: bit j set iff 2j + 2 < W */
    word *tmp;              /* S words a thread: a row to unpack */
    int gp[3][2], gk[3][2]; /* [d - 2][y]: t of G_P and of G_{M+1} */
    bits_part *part;
    ising_run run;
    pmk_error *err;
    int stop;
    int cpu;                /* the CPU thread 0 ran on before the region, or -1 */
    _Alignas(64) atomic_uint arrived, sense;   /* bits_barrier's */
} bits_ctx;

/* Row r's X (both planes, S words) in band u. */
static inline word *row_of(const bits_ctx *b, const bits_band *u, size_t r)
{
    return u->X + (r - u->r0) * b->S;
}

static inline int bit_get(const word *row, size_t Wp, size_t c)
{
    size_t j = c >> 1;
    return (int)((row[(c & 1) * Wp + j / 64] >> (j % 64)) & 1);
}

static inline void bit_put(word *row, size_t Wp, size_t c, int v)
{
    size_t j = c >> 1;
    word *w = &row[(c & 1) * Wp + j / 64], m = (word)1 << (j % 64);
    *w = v ? *w | m : *w & ~m;
}

/* ------------------------------------------------------------------ pack, unpack */

/* Hacker's Delight 7-2: five swaps of bit groups (step k swaps the
 * groups of 2^k bits picked by mask[k] with their neighbours above) turn
 * v's even bits into its low half and the odd ones into its high half
 * (unshuffle: k = 0..4), or back (shuffle: k = 4..0). */
static const word swap_mask[5] = {0x2222222222222222ull, 0x0c0c0c0c0c0c0c0cull,
                                  0x00f000f000f000f0ull, 0x0000ff000000ff00ull,
                                  0x00000000ffff0000ull};

static inline word swap_step(word v, int k)
{
    word t = (v ^ (v >> (1u << k))) & swap_mask[k];
    return v ^ t ^ (t << (1u << k));
}

static inline word unshuffle(word v)
{
    for (int k = 0; k < 5; k++)
        v = swap_step(v, k);
    return v;
}

static inline word shuffle(word v)
{
    for (int k = 4; k >= 0; k--)
        v = swap_step(v, k);
    return v;
}

/* Spins (W bytes, -1 / +1) into the two planes of a row (zeroed first);
 * returns non-zero when a byte is neither (v + 1 is 0 or 2: bit 1 only).
 * 64 at a time: one bit a spin (1 = +1: the sign bit, inverted; SSE2's
 * movemask, or eight bytes at a time by a shift and a multiply that
 * gathers bytes 0..7's bits without carries), then unshuffle puts columns
 * c .. c + 63's even ones in the low 32 bits, the odd ones in the high. */
static unsigned pack_row(const int8_t *v, size_t W, size_t Wp, word *row)
{
    memset(row, 0, 2 * Wp * sizeof *row);
    size_t c = 0;
    unsigned bad = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#ifdef __SSE2__
    const __m128i one = _mm_set1_epi8(1), not2 = _mm_set1_epi8((char)0xfd);
    __m128i acc = _mm_setzero_si128();
#endif
    for (; c + 64 <= W; c += 64) {
        word m = 0;
#ifdef __SSE2__
        for (int k = 0; k < 4; k++) {
            __m128i q = _mm_loadu_si128((const __m128i *)(const void *)(v + c + 16 * k));
            m |= (word)(uint16_t)_mm_movemask_epi8(q) << (16 * k);
            acc = _mm_or_si128(acc, _mm_and_si128(_mm_add_epi8(q, one), not2));
        }
#else
        for (int k = 0; k < 8; k++) {
            word w;
            memcpy(&w, v + c + 8 * k, 8);
            m |= ((((w >> 7) & 0x0101010101010101ull) * 0x0102040810204080ull) >> 56) << (8 * k);
            /* bytewise w + 1 without carries across bytes, then all bits but bit 1 */
            word w1 = ((w & 0x7f7f7f7f7f7f7f7full) + 0x0101010101010101ull)
                      ^ (w & 0x8080808080808080ull);
            bad |= (w1 & 0xfdfdfdfdfdfdfdfdull) != 0;
        }
#endif
        m = unshuffle(~m);
        size_t j = c >> 1; /* 32 | j: each half stays in one word */
        row[j / 64] |= (m & 0xffffffffull) << (j % 64);
        row[Wp + j / 64] |= (m >> 32) << (j % 64);
    }
#ifdef __SSE2__
    bad |= _mm_movemask_epi8(_mm_cmpeq_epi8(acc, _mm_setzero_si128())) != 0xffff;
#endif
#endif
    for (; c < W; c++) {
        bad |= (uint8_t)(v[c] + 1) & 0xfdu;
        if (v[c] > 0)
            row[(c & 1) * Wp + (c >> 1) / 64] |= (word)1 << ((c >> 1) % 64);
    }
    return bad;
}

/* The inverse: a row of two planes into W spins.  64 at a time: shuffle
 * interleaves 32 bits of each plane; each byte then tests its bit (SSE2:
 * spread, AND, compare; else a byte at a time) and becomes +1 or -1. */
static void unpack_row(const word *row, size_t W, size_t Wp, int8_t *v)
{
    size_t c = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    for (; c + 64 <= W; c += 64) {
        size_t j = c >> 1;
        word m = shuffle(((row[j / 64] >> (j % 64)) & 0xffffffffull)
                         | ((row[Wp + j / 64] >> (j % 64)) << 32));
#ifdef __SSE2__
        const __m128i bit = _mm_set_epi8((char)0x80, 0x40, 0x20, 0x10, 8, 4, 2, 1, (char)0x80,
                                         0x40, 0x20, 0x10, 8, 4, 2, 1);
        for (int k = 0; k < 4; k++) {
            __m128i q = _mm_cvtsi32_si128((int)(m >> (16 * k)) & 0xffff);
            q = _mm_unpacklo_epi8(q, q);   /* lo lo hi hi */
            q = _mm_unpacklo_epi16(q, q);  /* lo x4, hi x4 */
            q = _mm_unpacklo_epi32(q, q);  /* lo x8, hi x8 */
            q = _mm_cmpeq_epi8(_mm_and_si128(q, bit), bit);
            q = _mm_add_epi8(_mm_and_si128(q, _mm_set1_epi8(2)), _mm_set1_epi8(-1));
            _mm_storeu_si128((__m128i *)(void *)(v + c + 16 * k), q);
        }
#else
        for (int k = 0; k < 64; k++)
            v[c + (size_t)k] = (m >> k) & 1 ? 1 : -1;
#endif
    }
#endif
    for (; c < W; c++)
        v[c] = (row[(c & 1) * Wp + (c >> 1) / 64] >> ((c >> 1) % 64)) & 1 ? 1 : -1;
}

/* ------------------------------------------------------------------ one colour */

/* The table rule at column c of row xr (one pixel: the first and last
 * columns); up and dn are the rows above and below (NULL: none), yr y's. */
static int edge_pixel(const bits_ctx *b, word *xr, const word *up, const word *dn,
                      const word *yr, size_t c)
{
    const size_t Wp = b->Wp;
    int s = 0;
    if (c > 0)
        s += 2 * bit_get(xr, Wp, c - 1) - 1;
    if (c + 1 < b->W)
        s += 2 * bit_get(xr, Wp, c + 1) - 1;
    if (up)
        s += 2 * bit_get(up, Wp, c) - 1;
    if (dn)
        s += 2 * bit_get(dn, Wp, c) - 1;
    int old = bit_get(xr, Wp, c);
    int d = b->R.dec[bit_get(yr, Wp, c)][s + 8];
    int nw = d ? d > 0 : old;
    bit_put(xr, Wp, c, nw);
    return nw != old;
}

/* Colour k on thread t's band; returns the pixels changed.
 * Dimensions: each row's plane q = (k + r) mod 2 (Wp words) is written from
 * its other plane and plane q of the rows above and below (the bands
 * next to u's for its first and last rows). */
ISING_HOT
static unsigned long long colour_rows(bits_ctx *b, int k, int t)
{
    const bits_band *u = &b->part[t].band;
    const size_t Wp = b->Wp, S = b->S, W = b->W, H = b->H;
    unsigned long long changed = 0;
    for (size_t r = u->r0; r < u->r1; r++) {
        const size_t q = (size_t)(k + (int)(r & 1)) & 1;
        word *xr = row_of(b, u, r);
        const word *ur = r == 0        ? NULL
                         : r > u->r0   ? xr - S
                                       : row_of(b, &b->part[t - 1].band, r - 1);
        const word *dr = r + 1 == H    ? NULL
                         : r + 1 < u->r1 ? xr + S
                                         : row_of(b, &b->part[t + 1].band, r + 1);
        const word *yr = u->Y + (r - u->r0) * S;
        word *restrict w = xr + q * Wp;
        const word *restrict oth = xr + (1 - q) * Wp;
        const word *restrict up = ur ? ur + q * Wp : b->zero;
        const word *restrict dn = dr ? dr + q * Wp : b->zero;
        const word *restrict yy = yr + q * Wp;
        const word *restrict in = b->inner + q * Wp;
        const int d = 2 + (ur != NULL) + (dr != NULL);
        const int p0 = b->gp[d - 2][0], p1 = b->gp[d - 2][1];
        const int k0 = b->gk[d - 2][0], k1 = b->gk[d - 2][1];
        for (size_t j = 0; j < Wp; j++) {
            word l, rt;
            if (q == 0) { /* left: plane 1 bit j - 1; right: plane 1 bit j */
                l = oth[j] << 1 | (j ? oth[j - 1] >> 63 : 0);
                rt = oth[j];
            } else {      /* left: plane 0 bit j; right: plane 0 bit j + 1 */
                l = oth[j];
                rt = oth[j] >> 1 | (j + 1 < Wp ? oth[j + 1] << 63 : 0);
            }
            /* k = l + rt + up + dn in bits c2 c1 c0 */
            word s1 = l ^ rt, a1 = l & rt, s2 = up[j] ^ dn[j], a2 = up[j] & dn[j];
            word c0 = s1 ^ s2, cy = s1 & s2;
            word c1 = a1 ^ a2 ^ cy, c2 = (a1 & a2) | (cy & (a1 ^ a2));
            word G[6] = {~(word)0, c0 | c1 | c2, c1 | c2, c2 | (c1 & c0), c2, 0};
            word yv = yy[j], old = w[j];
            word P = (yv & G[p1]) | (~yv & G[p0]);
            word K = (yv & G[k1]) | (~yv & G[k0]);
            word nw = old ^ (((P | (K & old)) ^ old) & in[j]);
            changed += (unsigned long long)__builtin_popcountll(nw ^ old);
            w[j] = nw;
        }
        /* the first and last columns of this colour, after the rest */
        if (q == 0)
            changed += (unsigned long long)edge_pixel(b, xr, ur, dr, yr, 0);
        if (W > 1 && ((W - 1) & 1) == q)
            changed += (unsigned long long)edge_pixel(b, xr, ur, dr, yr, W - 1);
    }
    return changed;
}

/* The popcounts of the energy (and errors) over band t's rows, into its
 * part (the last row's pairs below with the next band's first row). */
ISING_HOT
static void sums_rows(bits_ctx *b, int t)
{
    const bits_band *u = &b->part[t].band;
    const size_t Wp = b->Wp, S = b->S;
    unsigned long long px = 0, pxy = 0, un = 0, er = 0;
    for (size_t r = u->r0; r < u->r1; r++) {
        const size_t i = r - u->r0;
        const word *e = u->X + i * S, *o = e + Wp, *ye = u->Y + i * S;
        const word *dn = r + 1 == b->H   ? NULL
                         : r + 1 < u->r1 ? e + S
                                         : row_of(b, &b->part[t + 1].band, r + 1);
        const word *tr = u->T ? u->T + i * S : NULL;
        for (size_t j = 0; j < Wp; j++) {
            word en = e[j] >> 1 | (j + 1 < Wp ? e[j + 1] << 63 : 0);
            px += (unsigned long long)(__builtin_popcountll(e[j]) + __builtin_popcountll(o[j]));
            pxy += (unsigned long long)(__builtin_popcountll(e[j] ^ ye[j])
                                        + __builtin_popcountll(o[j] ^ ye[Wp + j]));
            un += (unsigned long long)(__builtin_popcountll((e[j] ^ o[j]) & b->odd_ok[j])
                                       + __builtin_popcountll((o[j] ^ en) & b->next_ok[j]));
            if (dn)
                un += (unsigned long long)(__builtin_popcountll(e[j] ^ dn[j])
                                           + __builtin_popcountll(o[j] ^ dn[Wp + j]));
            if (tr)
                er += (unsigned long long)(__builtin_popcountll(e[j] ^ tr[j])
                                           + __builtin_popcountll(o[j] ^ tr[Wp + j]));
        }
    }
    b->part[t].pop_x = px;
    b->part[t].pop_xy = pxy;
    b->part[t].unlike = un;
    b->part[t].err = er;
}

/* After sweep sw (0: the start) on thread 0: the threads' sums, added in
 * band order, into the energy, and the sweep's record; non-zero to stop. */
static int sweep_end(bits_ctx *b, size_t sw, int nt)
{
    unsigned long long ch = 0, px = 0, pxy = 0, un = 0, er = 0;
    for (int t = 0; t < nt; t++) {
        ch += b->part[t].changed;
        px += b->part[t].pop_x;
        pxy += b->part[t].pop_xy;
        un += b->part[t].unlike;
        er += b->part[t].err;
    }
    long long n = (long long)(b->W * b->H);
    long long pairs = (long long)(b->H * (b->W - 1) + (b->H - 1) * b->W);
    double e = ising_energy_of(b->p, 2 * (long long)px - n, pairs - 2 * (long long)un,
                               n - 2 * (long long)pxy);
    /* the run's counts so far: x != y, and x != the truth */
    b->run.res->changed = (size_t)pxy;
    b->run.res->errors = (size_t)er;
    if (sw == 0) {
        b->run.res->energy_initial = e;
        return 0;
    }
    b->run.have_errors = b->o->truth != NULL;
    b->run.errors = (size_t)er;
    return ising_run_sweep(&b->run, sw, (size_t)ch, e, 0, 0, ch == 0, b->err)
           || sw >= b->o->max_sweeps;
}

/* Unpacks band u's rows into x, last row first: a band kept in x lies at
 * the start of its own rows of x, so each row written lies past the X rows
 * still to read; a row of X under its own bytes of x goes through tmp. */
static void unpack_band(const bits_ctx *b, const bits_band *u, word *tmp)
{
    const size_t S = b->S, W = b->W;
    for (size_t r = u->r1; r-- > u->r0;) {
        const word *xr = row_of(b, u, r);
        int8_t *v = b->x + r * W;
        if ((uintptr_t)(xr + S) > (uintptr_t)v && (uintptr_t)xr < (uintptr_t)(v + W)) {
            memcpy(tmp, xr, S * sizeof *tmp);
            xr = tmp;
        }
        unpack_row(xr, W, b->Wp, v);
    }
}

/* A barrier of the run's nt threads (sense-reversing; *mine is the
 * thread's own sense).  OpenMP's spins some 300,000 rounds (milliseconds)
 * before it sleeps: with another job on the machine the thread waited for
 * can share the spinner's CPU, and every barrier then costs a time slice
 * (two threads took 45 ms where one took 2 under such load).  This one
 * spins 4096 rounds (tens of microseconds, longer than the waits of a run
 * with a CPU to each thread), then yields the CPU at each look. */
static void bits_barrier(bits_ctx *b, int nt, unsigned *mine)
{
    if (nt == 1)
        return;
    const unsigned s = *mine ^= 1u;
    if (atomic_fetch_add_explicit(&b->arrived, 1u, memory_order_acq_rel) == (unsigned)nt - 1) {
        atomic_store_explicit(&b->arrived, 0u, memory_order_relaxed);
        atomic_store_explicit(&b->sense, s, memory_order_release);
        return;
    }
    for (unsigned k = 0; atomic_load_explicit(&b->sense, memory_order_acquire) != s; k++) {
        if (k >= 4096u)
            sched_yield();
#ifdef __SSE2__
        else
            _mm_pause();
#endif
    }
}

/* Band t of nt (rows H t / nt .. H (t + 1) / nt - 1): in x past its first
 * byte, 64-byte aligned, or in buf. */
static void band_at(const bits_ctx *b, int t, int nt, bits_band *u)
{
    const size_t S = b->S;
    u->r0 = b->H * (size_t)t / (size_t)nt;
    u->r1 = b->H * (size_t)(t + 1) / (size_t)nt;
    u->X = b->buf ? b->buf + u->r0 * b->k * S
                  : (word *)(((uintptr_t)(b->x + u->r0 * b->W) + 63) & ~(uintptr_t)63);
    u->Y = u->X + (u->r1 - u->r0) * S;
    u->T = b->o->truth ? u->Y + (u->r1 - u->r0) * S : NULL;
}

/* One thread's part of the run: rows of y checked and packed (and the
 * truth), taken 1/16 of a band at a time by whichever thread is free, so
 * that a thread the system runs late (another job on the machine) finds
 * the work done; the sweeps on
 * its own band (a barrier between the colours and around the bookkeeping);
 * its band unpacked into x.  Called inside the parallel region (or alone);
 * every thread stops after the packing when y has a bad spin anywhere. */
static void bits_work(bits_ctx *b)
{
    int t = 0, nt = 1;
#ifdef _OPENMP
    t = omp_get_thread_num();
    nt = omp_get_num_threads();
#endif
    const size_t S = b->S, W = b->W;
    enum { PIECES = 16 };
    bits_part *me = &b->part[t];
    unsigned sense = 0;
    if (t > 0)   /* not on thread 0's CPU (a thread woken there waits for it) */
        core_thread_apart(b->cpu);
    band_at(b, t, nt, &me->band);
    unsigned bad = 0;
#pragma omp for schedule(dynamic, 1) nowait
    for (int i = 0; i < nt * PIECES; i++) {
        bits_band u;
        band_at(b, i / PIECES, nt, &u);
        const size_t n = u.r1 - u.r0, p = (size_t)(i % PIECES);
        for (size_t r = u.r0 + n * p / PIECES; r < u.r0 + n * (p + 1) / PIECES; r++) {
            const size_t j = r - u.r0;
            bad |= pack_row(b->y + r * W, W, b->Wp, u.Y + j * S);
            memcpy(u.X + j * S, u.Y + j * S, S * sizeof(word));
            if (u.T)
                (void)pack_row(b->o->truth + r * W, W, b->Wp, u.T + j * S);
        }
    }
    me->changed = 0;
    me->bad = bad;
    bits_barrier(b, nt, &sense);
    for (int v = 0; v < nt; v++)
        bad |= b->part[v].bad;
    if (bad)
        return;
    sums_rows(b, t);
    for (size_t sw = 0;; sw++) {
        if (sw > 0) {
            me->changed = colour_rows(b, 0, t);
            bits_barrier(b, nt, &sense);
            me->changed += colour_rows(b, 1, t);
            bits_barrier(b, nt, &sense);
            sums_rows(b, t);
        }
        bits_barrier(b, nt, &sense);
        if (t == 0)
            b->stop = sweep_end(b, sw, nt);
        bits_barrier(b, nt, &sense);
        if (b->stop)
            break;
    }
    unpack_band(b, &me->band, b->tmp + (size_t)t * S);
}

int ising_icm_bits(const pmk_ising_params *p, const pmk_ising_options *o, size_t W, size_t H,
                   const int8_t *y, int8_t *x, int T, pmk_ising_result *res, pmk_error *err)
{
    bits_ctx b = {.p = p, .o = o, .W = W, .H = H, .y = y, .x = x, .err = err};
    ising_rule_init(&b.R, p);
#ifndef _OPENMP
    T = 1;
#endif
    if ((size_t)T > H)
        T = (int)H;
    const size_t nE = (W + 1) / 2, nO = W / 2;
    b.Wp = (nE + 63) / 64;
    b.S = 2 * b.Wp;
    b.k = o->truth ? 3 : 2;
    /* The bands' rows (X, Y, the truth: k S words a row, 1 MiB for 2048^2
     * without a truth) go in x, which is written only at the end: no fresh
     * memory, whose page faults cost more than the sweeps on a virtual
     * machine.  That needs k S words + 63 bytes of alignment in W bytes (W
     * of about 50 and up) and x apart from y and the truth; else a buffer
     * of its own, in 2 MiB pages from 256 KiB up. */
    const size_t n = W * H, rowb = b.k * b.S * sizeof(word);
    const uintptr_t x0 = (uintptr_t)x, x1 = x0 + n, y0 = (uintptr_t)y,
                    t0 = (uintptr_t)o->truth;
    if (rowb + 63 > W || (x0 < y0 + n && y0 < x1) || (o->truth && x0 < t0 + n && t0 < x1)) {
        size_t bytes = H * rowb;
        b.buf = core_alloc_huge(bytes < ((size_t)1 << 18) ? bytes
                                : bytes < ((size_t)1 << 21) ? (size_t)1 << 21 : bytes);
        if (!b.buf)
            return pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu pixels", n);
    }
    /* the threads' parts, then zero, inner, odd_ok, next_ok, a row a thread */
    size_t partb = ((size_t)T * sizeof(bits_part) + 63) & ~(size_t)63;
    size_t smallb = (partb + (5 * b.Wp + (size_t)T * b.S) * sizeof(word) + 63) & ~(size_t)63;
    char *small = aligned_alloc(64, smallb);   /* C11: a multiple of 64 */
    if (!small) {
        free(b.buf);
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu pixels", n);
    }
    memset(small, 0, partb + 5 * b.Wp * sizeof(word));
    b.part = (bits_part *)(void *)small;
    b.zero = (word *)(void *)(small + partb);
    b.inner = b.zero + b.Wp;
    b.odd_ok = b.zero + 3 * b.Wp;
    b.next_ok = b.zero + 4 * b.Wp;
    b.tmp = b.zero + 5 * b.Wp;
    for (size_t j = 0; j < nE; j++) {
        word m = (word)1 << (j % 64);
        if (j > 0 && 2 * j + 1 < W)
            b.inner[j / 64] |= m;
        if (j < nO && 2 * j + 2 < W)
            b.inner[b.Wp + j / 64] |= m;
        if (j < nO)
            b.odd_ok[j / 64] |= m;
        if (2 * j + 2 < W)
            b.next_ok[j / 64] |= m;
    }
    /* the thresholds from the table: k >= P gives +1, k <= M gives -1 */
    for (int d = 2; d <= 4; d++)
        for (int yb = 0; yb < 2; yb++) {
            int P = d + 1, M = -1;
            for (int k = d; k >= 0; k--)
                if (b.R.dec[yb][2 * k - d + 8] > 0)
                    P = k;
            for (int k = 0; k <= d; k++)
                if (b.R.dec[yb][2 * k - d + 8] < 0)
                    M = k;
            b.gp[d - 2][yb] = P;
            b.gk[d - 2][yb] = M + 1;
        }
    b.run = (ising_run){.o = o, .res = res, .x = x, .W = W, .H = H, .n = n, .nb = 4,
                        .rc = PMK_OK};
    atomic_init(&b.arrived, 0u);
    atomic_init(&b.sense, 0u);
#ifdef _OPENMP
    if (T > 1) {
        b.cpu = core_thread_cpu();
#pragma omp parallel num_threads(T)
        bits_work(&b);
    } else
#endif
        bits_work(&b);
    int bad = 0;
    for (int t = 0; t < T; t++)
        bad |= b.part[t].bad != 0;
    free(small);
    free(b.buf);
    if (bad)
        return ising_spins_bad(y, W, n, "observed image", err);
    return ising_run_end(&b.run);
}
