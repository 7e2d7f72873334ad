/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* ising_bits.c: checkerboard ICM on bit-packed spins (4 neighbours,
 * beta >= 0), 64 pixels a word, over row bands on T threads. */
#include "config.h"

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

/* One thread's sums of a sweep, on its own cache line. */
typedef struct bits_part {
    unsigned long long changed, pop_x, pop_xy, unlike, err;
    unsigned bad;           /* non-zero: a byte of y in the band is not -1 or +1 */
    char pad[64 - 5 * sizeof(unsigned long long) - sizeof(unsigned)];
} bits_part;

typedef struct bits_ctx {
    const pmk_ising_params *p;
    const pmk_ising_options *o;
    ising_rule R;
    size_t W, H, Wp, S;
    const int8_t *y;
    int8_t *x;
    word *X, *Y, *T;        /* the state, y, the truth (or NULL): H S words */
    word *zero;             /* Wp zero words: the row beyond the border */
    word *inner;            /* S words: plane bits of columns 1 .. W - 2 */
    word *odd_ok;           /* Wp words: bit j set iff 2j + 1 < W */
    word *next_ok;          /* Wp words: bit j set iff 2j + 2 < W */
    int gp[3][2], gk[3][2]; /* [d - 2][y]: t of G_P and of G_{M+1} */
    bits_part *part;
    ising_run run;
    pmk_error *err;
    int stop;
} bits_ctx;

static inline int bit_get(const word *X, size_t S, size_t Wp, size_t r, size_t c)
{
    size_t j = c >> 1;
    return (int)((X[r * S + (c & 1) * Wp + j / 64] >> (j % 64)) & 1);
}

static inline void bit_put(word *X, size_t S, size_t Wp, size_t r, size_t c, int v)
{
    size_t j = c >> 1;
    word *w = &X[r * S + (c & 1) * Wp + j / 64], m = (word)1 << (j % 64);
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

/* The table rule at (r, c), one pixel (the first and last columns). */
static int edge_pixel(const bits_ctx *b, size_t r, size_t c)
{
    const word *X = b->X;
    size_t S = b->S, Wp = b->Wp;
    int s = 0;
    if (c > 0)
        s += 2 * bit_get(X, S, Wp, r, c - 1) - 1;
    if (c + 1 < b->W)
        s += 2 * bit_get(X, S, Wp, r, c + 1) - 1;
    if (r > 0)
        s += 2 * bit_get(X, S, Wp, r - 1, c) - 1;
    if (r + 1 < b->H)
        s += 2 * bit_get(X, S, Wp, r + 1, c) - 1;
    int old = bit_get(X, S, Wp, r, c);
    int d = b->R.dec[bit_get(b->Y, S, Wp, r, c)][s + 8];
    int nw = d ? d > 0 : old;
    bit_put(b->X, S, Wp, r, c, nw);
    return nw != old;
}

/* Colour k on rows r0 .. r1 - 1; returns the pixels changed.
 * Dimensions: each row's plane q = (k + r) mod 2 (Wp words) is written from
 * its other plane and plane q of the rows above and below. */
ISING_HOT
static unsigned long long colour_rows(bits_ctx *b, int k, size_t r0, size_t r1)
{
    const size_t Wp = b->Wp, S = b->S, W = b->W, H = b->H;
    unsigned long long changed = 0;
    for (size_t r = r0; r < r1; r++) {
        const size_t q = (size_t)(k + (int)(r & 1)) & 1;
        word *restrict w = b->X + r * S + q * Wp;
        const word *restrict oth = b->X + r * S + (1 - q) * Wp;
        const word *restrict up = r > 0 ? b->X + (r - 1) * S + q * Wp : b->zero;
        const word *restrict dn = r + 1 < H ? b->X + (r + 1) * S + q * Wp : b->zero;
        const word *restrict yy = b->Y + r * S + q * Wp;
        const word *restrict in = b->inner + q * Wp;
        const int d = 2 + (r > 0) + (r + 1 < H);
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
            changed += (unsigned long long)edge_pixel(b, r, 0);
        if (W > 1 && ((W - 1) & 1) == q)
            changed += (unsigned long long)edge_pixel(b, r, W - 1);
    }
    return changed;
}

/* The popcounts of the energy (and errors) over rows r0 .. r1 - 1, into pt. */
ISING_HOT
static void sums_rows(const bits_ctx *b, size_t r0, size_t r1, bits_part *pt)
{
    const size_t Wp = b->Wp, S = b->S;
    unsigned long long px = 0, pxy = 0, un = 0, er = 0;
    for (size_t r = r0; r < r1; r++) {
        const word *e = b->X + r * S, *o = e + Wp, *ye = b->Y + r * S;
        const word *dn = r + 1 < b->H ? e + S : NULL;
        const word *t = b->T ? b->T + r * S : NULL;
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
            if (t)
                er += (unsigned long long)(__builtin_popcountll(e[j] ^ t[j])
                                           + __builtin_popcountll(o[j] ^ t[Wp + j]));
        }
    }
    pt->pop_x = px;
    pt->pop_xy = pxy;
    pt->unlike = un;
    pt->err = er;
}

/* After sweep sw (0: the start) on thread 0: the threads' sums into the
 * energy, and the sweep's record; non-zero to stop. */
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
    if (sw == 0) {
        b->run.res->energy_initial = e;
        return 0;
    }
    b->run.have_errors = b->T != NULL;
    b->run.errors = (size_t)er;
    /* the run's counts so far: x != y, and x != truth */
    b->run.res->changed = (size_t)pxy;
    b->run.res->errors = (size_t)er;
    return ising_run_sweep(&b->run, sw, (size_t)ch, e, 0, 0, ch == 0, b->err)
           || sw >= b->o->max_sweeps;
}

/* One thread's part of the run: its band of rows of y checked and packed
 * (and the truth), the sweeps (a barrier between the colours and around the
 * bookkeeping), its band unpacked into x.  Called inside the parallel
 * region (or alone); every thread stops after the packing when y has a
 * bad spin anywhere. */
static void bits_work(bits_ctx *b)
{
    int t = 0, nt = 1;
#ifdef _OPENMP
    t = omp_get_thread_num();
    nt = omp_get_num_threads();
#endif
    const size_t r0 = b->H * (size_t)t / (size_t)nt, r1 = b->H * (size_t)(t + 1) / (size_t)nt;
    bits_part *pt = &b->part[t];
    unsigned bad = 0;
    for (size_t r = r0; r < r1; r++) {
        bad |= pack_row(b->y + r * b->W, b->W, b->Wp, b->Y + r * b->S);
        memcpy(b->X + r * b->S, b->Y + r * b->S, b->S * sizeof(word));
        if (b->T)
            (void)pack_row(b->o->truth + r * b->W, b->W, b->Wp, b->T + r * b->S);
    }
    pt->changed = 0;
    pt->bad = bad;
#pragma omp barrier
    for (int u = 0; u < nt; u++)
        bad |= b->part[u].bad;
    if (bad)
        return;
    sums_rows(b, r0, r1, pt);
    for (size_t sw = 0;; sw++) {
        if (sw > 0) {
            pt->changed = colour_rows(b, 0, r0, r1);
#pragma omp barrier
            pt->changed += colour_rows(b, 1, r0, r1);
#pragma omp barrier
            sums_rows(b, r0, r1, pt);
        }
#pragma omp barrier
        if (t == 0)
            b->stop = sweep_end(b, sw, nt);
#pragma omp barrier
        if (b->stop)
            break;
    }
    for (size_t r = r0; r < r1; r++)
        unpack_row(b->X + r * b->S, b->W, b->Wp, b->x + r * b->W);
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
    /* X, Y, the truth (written whole by the packing), zero, inner, odd_ok,
     * next_ok (zeroed here); then the threads' sums.  1 MiB for 2048^2: in
     * 2 MiB huge pages from 256 KiB up, one page fault where there would be
     * 256 of 4 KiB, each tens of microseconds on a virtual machine. */
    size_t nw = (2 + (o->truth != NULL)) * H * b.S + 5 * b.Wp;
    size_t bytes = nw * sizeof(word) + (size_t)T * sizeof(bits_part) + 64;
    word *buf = core_alloc_huge(bytes < ((size_t)1 << 18) ? bytes
                                : bytes < ((size_t)1 << 21) ? (size_t)1 << 21 : bytes);
    if (!buf)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory for %zu pixels", W * H);
    memset(buf + (nw - 5 * b.Wp), 0, 5 * b.Wp * sizeof(word));   /* and the sums: */
    memset((char *)buf + bytes - (size_t)T * sizeof(bits_part) - 64, 0,
           (size_t)T * sizeof(bits_part) + 64);   /* fewer threads than T may come */
    b.X = buf;
    b.Y = b.X + H * b.S;
    word *w = b.Y + H * b.S;
    if (o->truth) {
        b.T = w;
        w += H * b.S;
    }
    b.zero = w;
    b.inner = w + b.Wp;
    b.odd_ok = w + 3 * b.Wp;
    b.next_ok = w + 4 * b.Wp;
    b.part = (bits_part *)(((uintptr_t)(w + 5 * b.Wp) + 63) & ~(uintptr_t)63);
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
    b.run = (ising_run){.o = o, .res = res, .x = x, .W = W, .H = H, .n = W * H, .nb = 4,
                        .rc = PMK_OK};
#ifdef _OPENMP
    if (T > 1) {
#pragma omp parallel num_threads(T)
        bits_work(&b);
    } else
#endif
        bits_work(&b);
    int bad = 0;
    for (int t = 0; t < T; t++)
        bad |= b.part[t].bad != 0;
    free(buf);
    if (bad)
        return ising_spins_bad(y, W, W * H, "observed image", err);
    return ising_run_end(&b.run);
}
