/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* decimal.c: exact conversions between doubles and the decimal text of pmk's
 * model files, without glibc's multiple-precision paths in the common range.
 *
 * Model files hold every parameter as "%.17g" (17 significant digits, which
 * read back to the same double).  glibc formats and parses such numbers with
 * its arbitrary-precision routines (__printf_fp, str_to_mpn): about 350 ns a
 * number each way, so that writing a Fashion-MNIST classifier (15,700
 * numbers) took 6 ms and reading it 3.3 ms, serial time in every `gnb fit`
 * and `gnb eval`.  Both directions fit in 128-bit integer arithmetic while
 * the power of ten involved is small:
 *
 *   parsing  M digits (at most 19) times 10^e, -31 <= e <= 27: M * 5^e
 *            exactly in 128 bits, or M * 2^s / 5^-e as a 128-bit quotient of
 *            at least 55 bits with a sticky bit for the remainder; rounded once to 53
 *            bits, ties to even, then scaled by a power of two (exact: the
 *            value is a normal double);
 *   printing x = M 2^E times 10^(16-p) for the decimal exponent p in
 *            [-16, 43] of x: M * 5^q 2^(E+q) (q <= 32) or M 2^(E-k) / 5^k
 *            (k <= 27), again in 128 bits, rounded once to the 17 digits,
 *            then laid out as %g lays them out.
 *
 * Outside those ranges, or in a rounding mode other than to-nearest, the
 * functions hand back to the C library, so the results are always its
 * results; the Check suite `decimal` compares both directions with glibc on
 * millions of values, ties and boundaries included.  Integer arithmetic only:
 * no x87 extended precision, which valgrind does not emulate. */
#include "config.h"

#include <fenv.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core_internal.h"

typedef unsigned __int128 u128;

/* 5^k, k = 0 .. 32 (5^32 < 2^75) */
static u128 pow5(int k)
{
    static const uint64_t lo[28] = {
        1ULL, 5ULL, 25ULL, 125ULL, 625ULL, 3125ULL, 15625ULL, 78125ULL, 390625ULL, 1953125ULL,
        9765625ULL, 48828125ULL, 244140625ULL, 1220703125ULL, 6103515625ULL, 30517578125ULL,
        152587890625ULL, 762939453125ULL, 3814697265625ULL, 19073486328125ULL,
        95367431640625ULL, 476837158203125ULL, 2384185791015625ULL, 11920928955078125ULL,
        59604644775390625ULL, 298023223876953125ULL, 1490116119384765625ULL,
        7450580596923828125ULL,
    };
    u128 p = lo[k < 27 ? k : 27];
    for (int i = 27; i < k; i++)
        p *= 5;
    return p;
}

static int bits128(u128 q)   /* the bit length of q > 0 */
{
    uint64_t hi = (uint64_t)(q >> 64);
    return hi ? 128 - __builtin_clzll(hi) : 64 - __builtin_clzll((uint64_t)q);
}

/* q 2^e2 rounded to a double, ties to even; @p sticky: the true value is a
 * little above q (a division's non-zero remainder).  The result is normal. */
static double round_q(u128 q, int sticky, int e2)
{
    int b = bits128(q);
    if (b <= 53)   /* exact (sticky is only set with b >= 55) */
        return ldexp((double)(uint64_t)q, e2);
    int sh = b - 53;
    uint64_t mant = (uint64_t)(q >> sh);
    u128 rest = q & (((u128)1 << sh) - 1), half = (u128)1 << (sh - 1);
    if (rest > half || (rest == half && (sticky || (mant & 1))))
        mant++;   /* 2^53 at most: still exact */
    return ldexp((double)mant, e2 + sh);
}

int core_decimal_parse(const char *s, double *out)
{
    const char *p = s;
    int neg = 0, nd = 0, any = 0, e10 = 0;
    uint64_t m = 0;
    if (*p == '+' || *p == '-')
        neg = *p++ == '-';
    while (*p == '0')
        p++, any = 1;
    for (; *p >= '0' && *p <= '9'; p++, any = 1) {
        if (nd == 19)
            return 0;
        m = m * 10 + (uint64_t)(*p - '0'), nd++;
    }
    if (*p == '.') {
        p++;
        if (nd == 0)   /* zeros before the first significant digit */
            for (; *p == '0'; p++)
                e10--, any = 1;
        for (; *p >= '0' && *p <= '9'; p++, any = 1) {
            if (nd == 19)
                return 0;
            m = m * 10 + (uint64_t)(*p - '0'), nd++, e10--;
        }
    }
    if (!any)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        int eneg = 0, x = 0;
        if (*p == '+' || *p == '-')
            eneg = *p++ == '-';
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        for (; *p >= '0' && *p <= '9'; p++)
            if (x < 100000)
                x = x * 10 + (*p - '0');
        e10 += eneg ? -x : x;
    }
    if (*p != '\0')
        return 0;
    if (m == 0) {
        *out = neg ? -0.0 : 0.0;
        return 1;
    }
    if (e10 > 27 || e10 < -31 || fegetround() != FE_TONEAREST)
        return 0;
    double v;
    if (e10 >= 0) {
        v = round_q((u128)m * pow5(e10), 0, e10);   /* < 2^64 2^63 */
    } else {
        int k = -e10, sh = 128 - bits128(m);
        u128 num = (u128)m << sh, d = pow5(k);   /* d < 2^72: a quotient of >= 55 bits */
        v = round_q(num / d, num % d != 0, -k - sh);
    }
    *out = neg ? -v : v;
    return 1;
}

/* floor(|x| 10^(16 - p)) into *n and whether the rest rounds it up (ties to
 * even) into *up; 0 when outside the exact range (the caller uses
 * snprintf).  |x| = M 2^E. */
static int scaled(uint64_t M, int E, int p, u128 *n, int *up)
{
    int q = 16 - p;
    *up = 0;
    if (q >= 0) {
        if (q > 32)
            return 0;
        u128 P = (u128)M * pow5(q);   /* < 2^53 2^75 */
        int t = E + q;
        if (t >= 0) {
            if (t >= 128 - bits128(P))
                return 0;
            *n = P << t;
            return 1;
        }
        int s = -t;
        if (s >= 128) {
            *n = 0;
            return 1;
        }
        u128 N = P >> s, rest = P & (((u128)1 << s) - 1), half = (u128)1 << (s - 1);
        *up = rest > half || (rest == half && (N & 1));
        *n = N;
        return 1;
    }
    int k = -q, t = E - k;
    if (k > 27 || t < 0 || t > 128 - 53)
        return 0;
    u128 num = (u128)M << t, d = pow5(k), N = num / d, r2 = (num % d) * 2;
    *up = r2 > d || (r2 == d && (N & 1));   /* d is odd: no exact tie */
    *n = N;
    return 1;
}

size_t core_decimal_g17_fast(double x, char *buf)
{
    if (x == 0) {
        size_t n = 0;
        if (signbit(x))
            buf[n++] = '-';
        buf[n++] = '0';
        buf[n] = '\0';
        return n;
    }
    int e2;
    double fr = frexp(fabs(x), &e2);   /* |x| = fr 2^e2, fr in [0.5, 1) */
    if (!isfinite(x) || e2 < -1021 || fegetround() != FE_TONEAREST)
        return 0;
    uint64_t M = (uint64_t)ldexp(fr, 53);   /* exact: 53 bits */
    int E = e2 - 53;
    int p = (int)floor(log10(fabs(x)));
    u128 N = 0;
    int up;
    const u128 lo = (u128)10000000000000000ULL, hi = lo * 10;   /* 10^16, 10^17 */
    for (int tries = 0;; tries++) {   /* log10 may be one off near a power of ten */
        if (tries == 3 || p < -16 || p > 43 || !scaled(M, E, p, &N, &up))
            return 0;
        if (N < lo)   /* 10^p <= |x| < 10^(p+1) before rounding */
            p--;
        else if (N >= hi)
            p++;
        else
            break;
    }
    if ((N += (unsigned)up) == hi)   /* rounded up to 10^17: the exponent grows */
        N = lo, p++;
    char dig[18];
    uint64_t n = (uint64_t)N;
    for (int i = 16; i >= 0; i--, n /= 10)
        dig[i] = (char)('0' + n % 10);
    int nd = 17;   /* %g drops trailing zeros */
    while (nd > 1 && dig[nd - 1] == '0')
        nd--;
    char *o = buf;
    if (signbit(x))
        *o++ = '-';
    if (p < -4 || p >= 17) {   /* %e: d.ddd e+XX */
        *o++ = dig[0];
        if (nd > 1) {
            *o++ = '.';
            memcpy(o, dig + 1, (size_t)nd - 1);
            o += nd - 1;
        }
        o += sprintf(o, "e%c%02d", p < 0 ? '-' : '+', p < 0 ? -p : p);
    } else if (p >= 0) {   /* %f: the point after p + 1 digits */
        memcpy(o, dig, (size_t)p + 1);
        o += p + 1;
        if (nd > p + 1) {
            *o++ = '.';
            memcpy(o, dig + p + 1, (size_t)(nd - p - 1));
            o += nd - p - 1;
        }
    } else {   /* 0.000ddd */
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -p - 1; i++)
            *o++ = '0';
        memcpy(o, dig, (size_t)nd);
        o += nd;
    }
    *o = '\0';
    return (size_t)(o - buf);
}

size_t core_decimal_g17(double x, char *buf)
{
    size_t n = core_decimal_g17_fast(x, buf);
    return n ? n : (size_t)snprintf(buf, 32, "%.17g", x);
}
