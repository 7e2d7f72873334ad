/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_decimal.c: src/core/decimal.c against the C library, bit for bit
 * and byte for byte: core_decimal_g17 must write what "%.17g" writes and
 * core_decimal_parse must give what strtod gives, over random doubles of
 * every exponent it covers (and past them, where it hands back), the model
 * files' own numbers (counts, means of bytes, sums of squares), exact ties
 * (m 2^-j whose decimal expansion ends one digit past the 17th in a 5),
 * powers of ten and their neighbours, and decimal strings of 1 to 20
 * digits.  The common case must take the fast path, or the speed-up it
 * exists for is gone. */
#include "config.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_pmk.h"
#include "core/core_internal.h"

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t next(void)   /* splitmix64: a fixed sequence, so failures repeat */
{
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* a double of random mantissa and sign with binary exponent in [lo, hi] */
static double random_double(int lo, int hi)
{
    uint64_t m = next() & ((1ULL << 52) - 1);
    int e = lo + (int)(next() % (uint64_t)(hi - lo + 1));
    double x = ldexp(1.0 + ldexp((double)m, -52), e);
    return (next() & 1) ? -x : x;
}

/* core_decimal_g17(x) is snprintf's "%.17g"; then both parse it back to x */
static void check_one(double x)
{
    char want[64], got[64];
    snprintf(want, sizeof want, "%.17g", x);
    size_t n = core_decimal_g17(x, got);
    ck_assert_msg(strcmp(got, want) == 0 && n == strlen(want), "%a: %%.17g is '%s', g17 '%s'",
                  x, want, got);
    double a = strtod(want, NULL), b;
    if (core_decimal_parse(want, &b))
        ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "'%s': strtod %a, parse %a", want, a, b);
    if (isfinite(x))
        ck_assert_msg(memcmp(&a, &x, sizeof a) == 0, "'%s' does not read back to %a", want, x);
}

START_TEST(test_g17_random)
{
    char buf[64];
    for (int i = 0; i < 20000; i++) {   /* the range it exists for: no snprintf */
        double x = random_double(-50, 140);
        ck_assert_msg(core_decimal_g17_fast(x, buf) > 0, "%a left to snprintf", x);
    }
    ck_assert_int_eq(core_decimal_g17_fast(1e-17, buf), 0);
    ck_assert_int_eq(core_decimal_g17_fast(1e44, buf), 0);
    for (int i = 0; i < 60000; i++)   /* 2^-70 .. 2^160: 1e-21 .. 1e48, past both ends */
        check_one(random_double(-70, 160));
    for (int i = 0; i < 5000; i++)     /* anywhere: the C library's cases */
        check_one(random_double(-1074, 1023));
}
END_TEST

START_TEST(test_g17_model_numbers)
{
    /* what gnb and rbm models hold: counts, means of bytes scaled by 1/255,
     * sums of squares, small weights */
    for (int k = 0; k <= 60000; k += 7) {
        check_one((double)k);
        check_one(k / 255.0);
        check_one(k / 6000.0 / 255.0);
        check_one((double)k * k / 65025.0 + 1e-9);
        check_one(-k * 1e-7 / 3);
    }
    static const double special[] = {0.0, -0.0, 1.0, -1.0, 0.1, 1e-5, 1e-4, 9.9999999999999995e-05,
                                     1e16, 1e17, 9.9999999999999998e16, 123456789012345678.0,
                                     1e-16, 1e-17, 1e43, 1e44, 5e-324, 2.2250738585072014e-308,
                                     1.7976931348623157e308, INFINITY, -INFINITY, NAN};
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        check_one(special[i]);
    for (int p = -30; p <= 50; p++) {   /* powers of ten and the doubles beside them */
        double t = pow(10, p);
        check_one(t);
        check_one(nextafter(t, 0));
        check_one(nextafter(t, INFINITY));
    }
}
END_TEST

START_TEST(test_g17_ties)
{
    /* m 2^-j has exactly j decimals; those of 18 significant digits end in
     * a 5 past the 17th: a tie, rounded to even */
    int ties = 0;
    for (int j = 1; j <= 70; j++)
        for (uint64_t m = 1; m < 1000; m += 2) {
            double x = ldexp((double)m, -j);
            char s[64];
            snprintf(s, sizeof s, "%.25e", x);
            check_one(x);
            ties += s[18] == '5' && strspn(s + 19, "0") >= 8;
        }
    ck_assert_int_gt(ties, 100);   /* the loop does reach ties */
}
END_TEST

/* core_decimal_parse(s), when it answers, is strtod(s) */
static int parse_same(const char *s)
{
    double a = strtod(s, NULL), b = 1234.5;
    int fast = core_decimal_parse(s, &b);
    if (fast)
        ck_assert_msg(memcmp(&a, &b, sizeof a) == 0, "'%s': strtod %a, parse %a", s, a, b);
    return fast;
}

START_TEST(test_parse_strings)
{
    static const char *const fixed[] = {
        "0", "-0", "+0", "0.000", "00012", "1.", ".5", "-.5", "1e+00", "1E5", "5e-324",
        "9007199254740992", "9007199254740993", "9007199254740995", "9007199254740993.0000001",
        "18014398509481985", "0.1", "0.30000000000000004", "1e-27", "1e27", "1e28", "1e-28",
        "123456789012345678", "1234567890123456789", "12345678901234567890",
        "0.0000000000000000000000000001", "4.9406564584124654e-324", "1.7976931348623157e308",
        "2.2250738585072011e-308", "6000", "0.0039215686274509803", "1.0000000000000001e-09"};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        parse_same(fixed[i]);
    ck_assert_int_eq(parse_same("0.0039215686274509803"), 1);
    ck_assert_int_eq(parse_same("12345678901234567890"), 0);   /* 20 digits: strtod's */
    ck_assert_int_eq(parse_same("1e28"), 0);
    char s[96];
    int fast = 0, total = 0;
    for (int i = 0; i < 60000; i++) {   /* random digits, exponents, zeros */
        int nd = 1 + (int)(next() % 20), lead = (int)(next() % 3), point = (int)(next() % 22);
        char *o = s;
        if (next() & 1)
            *o++ = '-';
        for (int z = 0; z < lead; z++)
            *o++ = '0';
        for (int d = 0; d < nd; d++) {
            if (d == point)
                *o++ = '.';
            *o++ = (char)('0' + next() % 10);
        }
        if (next() % 3)
            o += sprintf(o, "e%d", (int)(next() % 71) - 35);
        *o = '\0';
        fast += parse_same(s);
        total++;
    }
    ck_assert_int_gt(fast, total / 2);
    for (int i = 0; i < 40000; i++) {   /* %.17g of model-range doubles: always fast */
        snprintf(s, sizeof s, "%.17g", random_double(-40, 40));
        ck_assert_msg(parse_same(s), "'%s' left to strtod", s);
        snprintf(s, sizeof s, "%.15g", random_double(-40, 40));
        parse_same(s);
    }
}
END_TEST

Suite *suite_decimal(void)
{
    Suite *s = suite_create("decimal");
    TCase *tc = tcase_create("decimal");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_g17_random);
    tcase_add_test(tc, test_g17_model_numbers);
    tcase_add_test(tc, test_g17_ties);
    tcase_add_test(tc, test_parse_strings);
    suite_add_tcase(s, tc);
    return s;
}
