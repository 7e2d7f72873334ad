/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* csv_run.c: the CSV row parser's hot loop: a run of plain integer value
 * fields, [0-9]{1,15} each followed by ',', parsed into doubles.
 *
 * Method (after simdjson's structural index, Langdale & Lemire 2019,
 * "Parsing gigabytes of JSON per second", VLDB J.).  A field's start depends
 * on the previous field's length; a byte loop makes that a chain of
 * data-dependent branches (1, 2 or 3 digits: mispredicted about half the time
 * on image data), and SWAR digit counting a long chain of bit tricks.  Here
 * each 64-byte block of the line is scanned once (four SSE2 compares per
 * mask) into
 *     comma, digit: 64-bit masks of the ',' and the ASCII digit bytes,
 *     key[j + 1] = t + 256 s,  t = D[j] + 10 D[j-1],
 *                              s = D[j-2] if b[j-1] is a digit, else 0,
 * D[j] a digit's value (0 for any other byte); the last bytes' D and key carry
 * into the next block.  A field of 1 to 3 digits ending before the comma at
 * b[j] then has the value key_value[key[j]] (a constant table of t + 100 s),
 * wherever it started.  A block is clean when it holds only digits and commas,
 * no empty field (two commas in a row) and no 4 digits in a row: then every
 * field ending in it after its first comma is 1 to 3 digits, and the loop
 * over its commas (c = ctz(M), M &= M - 1, two loads, one store) has no
 * data-dependent branch.  The block's first field (which may have started in
 * the previous block) joins them when both blocks are clean and it is 1 to 3
 * bytes long.  Otherwise that field, and every field of an unclean block, is
 * checked on its own: the 4 bytes at its start p, x = w ^ 0x30303030 (a
 * digit byte becomes 0..9, any other a value >= 10), bad = ((x + 0x76767676)
 * | x) & 0x80808080 masked to its length (a carry out of a bad byte only
 * reaches later bytes), one well-predicted branch, and a digit loop for 4 to
 * 15 digits.  Anything else (a sign, a decimal point, blanks, quotes, an
 * empty field, 16 or more digits, the line end) ends the run, and the
 * caller's general path (csv_parse.c) takes that field with its exact
 * conversion and its positioned message.  Every value is an integer below
 * 10^15 < 2^53, so (double) is exact and equals strtod.
 *
 * Bounds: a 64-byte block is loaded only when it ends at least 3 bytes before
 * the line's '\n' sentinel, so every comma c found is at most le - 3 and the
 * 4-byte load at p <= c stays inside the line: nothing is read past the
 * line's end, whatever the buffer holds after it.  The last bytes of a line
 * go 16 at a time (commas only, each field checked), then through the byte
 * loop.  Without SSE2 (not x86-64), or with -DPMK_CSV_NO_SIMD, the masks and
 * keys come from a byte loop with the same results. */
#include "config.h"

#include <stdint.h>
#include <string.h>
#if defined(__SSE2__) && !defined(PMK_CSV_NO_SIMD)
#include <emmintrin.h>
#endif

#include "io/csv_internal.h"

#if defined(__GNUC__)
#define CSV_INLINE static inline __attribute__((always_inline))
#define CSV_LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define CSV_INLINE static inline
#define CSV_LIKELY(x) (x)
#endif

#if defined(__SSE2__) && !defined(PMK_CSV_NO_SIMD)
#define CSV_SSE2 1
#endif

/* The value of a key (below): t + 100 s, for t <= 99 and s <= 9; 0 for
 * the keys that cannot occur. */
#define V10(b) (b) + 0., (b) + 1., (b) + 2., (b) + 3., (b) + 4., (b) + 5., (b) + 6., (b) + 7., \
               (b) + 8., (b) + 9.
#define V100(b) V10(b), V10((b) + 10), V10((b) + 20), V10((b) + 30), V10((b) + 40), \
                V10((b) + 50), V10((b) + 60), V10((b) + 70), V10((b) + 80), V10((b) + 90)
#define Z4 0., 0., 0., 0.
#define Z16 Z4, Z4, Z4, Z4
#define Z156 Z16, Z16, Z16, Z16, Z16, Z16, Z16, Z16, Z16, Z4, Z4, Z4
static const double key_value[9 * 256 + 100] = {
    V100(0), Z156, V100(100), Z156, V100(200), Z156, V100(300), Z156, V100(400), Z156,
    V100(500), Z156, V100(600), Z156, V100(700), Z156, V100(800), Z156, V100(900),
};

/* One 64-byte block of a line: bit j of comma (digit) set where b[j] is ','
 * (an ASCII digit); key[j + 1] encodes the value of the digits ending at
 * b[j] that are in the same field, up to three of them:
 *     t = D[j] + 10 D[j-1],   s = D[j-2] [b[j-1] is a digit],
 *     key = t + 256 s,  value = t + 100 s = key_value[key],
 * with D[j] the digit's value (0 for any other byte).  key[0] is the
 * previous block's key[64], so a field of 1 to 3 digits ending just before
 * the comma at b[j] has the value key_value[key[j]] wherever it started. */
typedef struct block {
    uint64_t comma, digit;
    uint16_t key[65];
} block;

/* What carries from one block to the next: the last bytes' D and the
 * D[j-1] [b[j] is a digit] (zero before a run's first block). */
typedef struct carry {
#if defined(CSV_SSE2)
    __m128i d, h;
#else
    unsigned d1, d2;
#endif
    uint16_t key;
} carry;

CSV_INLINE void carry_init(carry *cy)
{
#if defined(CSV_SSE2)
    cy->d = cy->h = _mm_setzero_si128();
#else
    cy->d1 = cy->d2 = 0;
#endif
    cy->key = 0;
}

CSV_INLINE void scan64(const char *b, carry *cy, block *out)
{
    out->key[0] = cy->key;
#if defined(CSV_SSE2)
    const __m128i c0 = _mm_set1_epi8('0'), nine = _mm_set1_epi8(9), comma = _mm_set1_epi8(',');
    __m128i pd = cy->d, ph = cy->h;
    uint64_t cm = 0, dm = 0;
    for (int k = 0; k < 4; k++) {
        const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + 16 * k));
        const __m128i x = _mm_sub_epi8(v, c0);
        const __m128i f = _mm_cmpeq_epi8(_mm_min_epu8(x, nine), x);   /* digit: 0xff */
        const __m128i d = _mm_and_si128(x, f);                        /* D[j] */
        /* s1[j] = D[j-1]; h[j] = D[j-1] where b[j] is a digit; s2[j] = h[j-1] */
        const __m128i s1 = _mm_or_si128(_mm_slli_si128(d, 1), _mm_srli_si128(pd, 15));
        const __m128i h = _mm_and_si128(s1, f);
        const __m128i s2 = _mm_or_si128(_mm_slli_si128(h, 1), _mm_srli_si128(ph, 15));
        /* t = D + 10 s1 <= 99 in bytes (s1 <= 9: the 16-bit shifts stay in each byte) */
        const __m128i t = _mm_add_epi8(d, _mm_add_epi8(_mm_slli_epi16(s1, 3),
                                                       _mm_slli_epi16(s1, 1)));
        _mm_storeu_si128((__m128i *)(void *)(out->key + 1 + 16 * k), _mm_unpacklo_epi8(t, s2));
        _mm_storeu_si128((__m128i *)(void *)(out->key + 9 + 16 * k), _mm_unpackhi_epi8(t, s2));
        cm |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma)) << 16 * k;
        dm |= (uint64_t)(uint16_t)_mm_movemask_epi8(f) << 16 * k;
        pd = d;
        ph = h;
    }
    cy->d = pd;
    cy->h = ph;
#else
    unsigned d1 = cy->d1, d2 = cy->d2;   /* D[j-1]; D[j-2] [b[j-1] is a digit] */
    uint64_t cm = 0, dm = 0;
    for (int j = 0; j < 64; j++) {
        const unsigned x = (unsigned)(unsigned char)b[j] - '0', f = x < 10, dj = f ? x : 0;
        out->key[j + 1] = (uint16_t)(dj + 10 * d1 + 256 * d2);
        cm |= (uint64_t)(b[j] == ',') << j;
        dm |= (uint64_t)f << j;
        d2 = f ? d1 : 0;
        d1 = dj;
    }
    cy->d1 = d1;
    cy->d2 = d2;
#endif
    cy->key = out->key[64];
    out->comma = cm;
    out->digit = dm;
}

/* Bit j set where b[j] == ',', for j < 16. */
CSV_INLINE uint64_t comma_mask16(const char *b)
{
#if defined(CSV_SSE2)
    return (uint16_t)_mm_movemask_epi8(
        _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)b), _mm_set1_epi8(',')));
#else
    uint64_t m = 0;
    for (int j = 0; j < 16; j++)
        m |= (uint64_t)(b[j] == ',') << j;
    return m;
#endif
}

/* The value of the field [p, c) (c a comma at most le - 3, so p[0..3] are
 * line bytes) into *x: 1, or 0 when it is not [0-9]{1,15}. */
CSV_INLINE int field_value(const char *p, const char *c, double *x)
{
    static const uint32_t keep[4] = {0, 0xff, 0xffff, 0xffffff};
    const size_t len = (size_t)(c - p);
    uint32_t w;
    memcpy(&w, p, sizeof w);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap32(w);   /* p[0] in the low byte */
#endif
    const uint32_t k = keep[len & 3], dg = w ^ 0x30303030u;
    const uint32_t bad = ((dg + 0x76767676u) | dg) & 0x80808080u & k;
    if (CSV_LIKELY(len - 1 < 3 && bad == 0)) {
        const uint32_t y = (dg & k) << (8 * (3 - (len & 3)));
        *x = (double)(int32_t)((y & 0xff) * 100 + (y >> 8 & 0xff) * 10 + (y >> 16));
        return 1;
    }
    if (len - 1 >= 15)
        return 0;
    uint64_t v = 0;
    for (const char *q = p; q < c; q++) {
        const unsigned d = (unsigned)(unsigned char)*q - '0';
        if (d >= 10)
            return 0;
        v = v * 10 + d;
    }
    *x = (double)(int64_t)v;   /* < 10^15 < 2^53: exact */
    return 1;
}

/* Takes the fields ending at the commas of @p m (bits for base[0, 64)) from
 * *pp into *dd, up to dend.  Returns 1 when the run ends here (a field that
 * is not plain, or dend reached), 0 to go on with the next block. */
CSV_INLINE int take(uint64_t m, char *base, char **pp, double **dd, double *dend)
{
    char *p = *pp;
    double *d = *dd;
    int stop = 0;
    while (m) {
        char *c = base + __builtin_ctzll(m);
        m &= m - 1;
        if (!field_value(p, c, d)) {
            stop = 1;
            break;
        }
        p = c + 1;
        if (++d == dend) {
            stop = 1;
            break;
        }
    }
    *pp = p;
    *dd = d;
    return stop;
}

/* The byte loop, for the last fields of a line: as pmk_csv_plain_run, with
 * the line's '\n' sentinel as the only bound.  Up to three digits unrolled,
 * then a loop. */
static size_t scalar_run(char **pp, double *dst, size_t n)
{
    char *p = *pp;
    size_t i = 0;
    for (; i < n; i++) {
        char *f = p;
        uint64_t v = (unsigned)(unsigned char)p[0] - '0';
        unsigned dg;
        if (v >= 10)
            break;
        if ((dg = (unsigned)(unsigned char)p[1] - '0') >= 10) {
            p += 1;
        } else {
            v = v * 10 + dg;
            p += 2;
            while ((dg = (unsigned)(unsigned char)*p - '0') < 10) {
                v = v * 10 + dg;
                p++;
            }
        }
        if ((size_t)(p - f) > 15 || *p != ',') {
            p = f;
            break;
        }
        dst[i] = (double)(int64_t)v;
        p++;
    }
    *pp = p;
    return i;
}

/* The fields ending at the commas of @p m in the block at base, each known
 * to be 1 to 3 digits: their values from the block's keys, into *dd up to
 * dend; *pp after the last comma taken.  Returns 1 when dend is reached. */
CSV_INLINE int take_clean(const block *bk, uint64_t m, char *base, char **pp, double **dd,
                          double *dend)
{
    double *d = *dd;
    if (m == 0)
        return 0;
    if (dend - d >= 64) {   /* room for every comma of the block */
        *pp = base + 64 - __builtin_clzll(m);
        do {
            *d++ = key_value[bk->key[__builtin_ctzll(m)]];
            m &= m - 1;
        } while (m);
        *dd = d;
        return 0;
    }
    unsigned j;
    do {
        j = (unsigned)__builtin_ctzll(m);
        m &= m - 1;
        *d++ = key_value[bk->key[j]];
    } while (m && d != dend);
    *pp = base + j + 1;
    *dd = d;
    return d == dend;
}

size_t pmk_csv_plain_run(char **pp, char *le, double *dst, size_t n)
{
    char *p = *pp, *base = p;
    double *d = dst, *const dend = dst + n;
    if (n == 0 || (unsigned)(unsigned char)*p - '0' >= 10)
        return 0;
    carry cy;
    carry_init(&cy);
    int prev_clean = 1;   /* the first block: its first field starts at base */
    /* le - base >= 66: the block's last comma is at most le - 3 */
    while (le - base >= 66) {
        block bk;
        scan64(base, &cy, &bk);
        uint64_t m = bk.comma;
        const uint64_t dg = bk.digit;
        /* clean: only digits and commas, no empty field, no 4 digits in a row */
        const int clean = (~(dg | m) | (m & m << 1) | (dg & dg << 1 & dg << 2 & dg << 3)) == 0;
        if (m) {
            /* The first field ending here started at p, perhaps in the previous
             * block: taken with the others when both blocks are clean and it
             * has 1 to 3 bytes, else checked whole. */
            char *c = base + __builtin_ctzll(m);
            if (!(clean && prev_clean && (size_t)(c - p) - 1 < 3)) {
                m &= m - 1;
                if (!field_value(p, c, d))
                    goto out;
                p = c + 1;
                if (++d == dend)
                    goto out;
            }
            if (CSV_LIKELY(clean) ? take_clean(&bk, m, base, &p, &d, dend)
                                  : take(m, base, &p, &d, dend))
                goto out;
        }
        prev_clean = clean;
        base += 64;
    }
    while (le - base >= 18) {
        if (take(comma_mask16(base), base, &p, &d, dend))
            goto out;
        base += 16;
    }
    d += scalar_run(&p, d, (size_t)(dend - d));
out:
    *pp = p;
    return (size_t)(d - dst);
}
