/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_tokens.c: the label token table (src/io/tokens_internal.h): sorted
 * byte order, lookup, limits with their messages, the model-file line read
 * back byte for byte, integer labels turned into tokens. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_dataset.h"
#include "io/tokens_internal.h"

#define ADD(t, s, at, added, e) pmk_tokens_add(t, s, strlen(s), 1000, at, added, e)

START_TEST(test_tokens_order_and_lookup)
{
    ck_assert_int_lt(pmk_token_cmp("cat", 3, "catalog", 7), 0);   /* a prefix first */
    ck_assert_int_gt(pmk_token_cmp("dog", 3, "catalog", 7), 0);
    ck_assert_int_lt(pmk_token_cmp("10", 2, "9", 1), 0);          /* bytes, not numbers */
    ck_assert_int_lt(pmk_token_cmp("Z", 1, "a", 1), 0);
    ck_assert_int_lt(pmk_token_cmp("z", 1, "\xc3\xa9", 2), 0);    /* unsigned: UTF-8 last */
    ck_assert_int_eq(pmk_token_cmp("emu", 3, "emu", 3), 0);

    pmk_tokens t;
    pmk_tokens_init(&t);
    pmk_error e;
    size_t at;
    int added;
    /* met in data order: dog, cat, emu, cat, catalog, 10, 9 */
    const char *in[] = {"dog", "cat", "emu", "cat", "catalog", "10", "9"};
    const size_t want_at[] = {0, 0, 2, 0, 1, 0, 1};
    const int want_added[] = {1, 1, 1, 0, 1, 1, 1};
    for (size_t i = 0; i < 7; i++) {
        ck_assert_int_eq(ADD(&t, in[i], &at, &added, &e), PMK_OK);
        ck_assert_uint_eq(at, want_at[i]);
        ck_assert_int_eq(added, want_added[i]);
    }
    const char *sorted[] = {"10", "9", "cat", "catalog", "dog", "emu"};
    ck_assert_uint_eq(t.n, 6);
    for (size_t i = 0; i < 6; i++) {
        ck_assert_str_eq(t.tok[i], sorted[i]);
        ck_assert_int_eq(pmk_tokens_find(&t, sorted[i], strlen(sorted[i])), (long)i);
    }
    ck_assert_int_eq(pmk_tokens_find(&t, "ca", 2), -1);
    ck_assert_int_eq(pmk_tokens_find(&t, "cats", 4), -1);
    ck_assert_int_eq(pmk_tokens_find(&t, "zebra", 5), -1);

    /* limits: the count (table unchanged), empty, too long, bad bytes */
    ck_assert_int_eq(pmk_tokens_add(&t, "gnu", 3, 6, &at, &added, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "more than 6 distinct labels");
    ck_assert_uint_eq(t.n, 6);
    ck_assert_int_eq(pmk_tokens_add(&t, "cat", 3, 6, &at, &added, &e), PMK_OK);   /* not new */
    ck_assert_int_eq(ADD(&t, "", &at, &added, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "label is empty");
    char long_tok[PMK_TOKEN_MAX + 2];
    memset(long_tok, 'x', sizeof long_tok - 1);
    long_tok[PMK_TOKEN_MAX + 1] = '\0';
    ck_assert_int_eq(ADD(&t, long_tok, &at, &added, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "label 'xxxxxxxxxxxxxxxxxxxx...' is longer than 64 bytes");
    long_tok[PMK_TOKEN_MAX] = '\0';   /* exactly 64: accepted */
    ck_assert_int_eq(ADD(&t, long_tok, &at, &added, &e), PMK_OK);
    ck_assert_int_eq(ADD(&t, "big cat", &at, &added, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "label 'big cat' holds a space, a comma, a quote or a control byte");
    ck_assert_int_eq(ADD(&t, "a\"b", &at, &added, &e), PMK_EDATA);
    ck_assert_uint_eq(t.n, 7);

    /* the model-file line: written, read back, written again: same bytes */
    char *buf = NULL, *buf2 = NULL;
    size_t len = 0, len2 = 0;
    FILE *f = open_memstream(&buf, &len);
    ck_assert_int_eq(pmk_tokens_write(&t, f), 0);
    fclose(f);
    pmk_tokens u;
    pmk_tokens_init(&u);
    ck_assert_int_eq(pmk_tokens_parse(&u, buf, len, &e), PMK_OK);
    ck_assert_uint_eq(u.n, t.n);
    f = open_memstream(&buf2, &len2);
    ck_assert_int_eq(pmk_tokens_write(&u, f), 0);
    fclose(f);
    ck_assert_uint_eq(len, len2);
    ck_assert(memcmp(buf, buf2, len) == 0);
    ck_assert(strncmp(buf, "10 9 cat catalog dog emu xxx", 28) == 0);
    pmk_tokens_clear(&u);
    /* a line out of order, a repeat, a double space: refused, table empty */
    const char *bad[] = {"cat dog cat", "dog cat", "cat  dog", ""};
    const char *why[] = {"token 3: not after the one before (tokens are in increasing byte order)",
                         "token 2: not after the one before (tokens are in increasing byte order)",
                         "token 2: label is empty", "token 1: label is empty"};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_int_eq(pmk_tokens_parse(&u, bad[i], strlen(bad[i]), &e), PMK_EDATA);
        ck_assert_str_eq(e.msg, why[i]);
        ck_assert_uint_eq(u.n, 0);
    }
    free(buf);
    free(buf2);
    pmk_tokens_clear(&t);
    pmk_tokens_clear(&t);   /* twice: the table is empty, not freed twice */
}
END_TEST

START_TEST(test_tokens_integers)
{
    long v = 0;
    ck_assert(pmk_token_integer("007", 3, &v) && v == 7);
    ck_assert(pmk_token_integer("-12", 3, &v) && v == -12);
    ck_assert(pmk_token_integer("+5", 2, &v) && v == 5);
    ck_assert(pmk_token_integer("-9223372036854775808", 20, &v) && v == LONG_MIN);
    ck_assert(!pmk_token_integer("9223372036854775808", 19, &v));
    ck_assert(!pmk_token_integer("7a", 2, &v) && !pmk_token_integer("-", 1, &v)
              && !pmk_token_integer("", 0, &v) && !pmk_token_integer("1.0", 3, &v));

    /* classes 2, 9, 10, -1 (increasing numerically: -1, 2, 9, 10) as tokens:
     * "-1" < "10" < "2" < "9"; perm names each token's class */
    const long labels[] = {-1, 2, 9, 10};
    size_t perm[4];
    pmk_tokens t;
    pmk_tokens_init(&t);
    pmk_error e;
    ck_assert_int_eq(pmk_tokens_from_integers(&t, labels, 4, perm, &e), PMK_OK);
    const char *want[] = {"-1", "10", "2", "9"};
    const size_t wperm[] = {0, 3, 1, 2};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_str_eq(t.tok[i], want[i]);
        ck_assert_uint_eq(perm[i], wperm[i]);
    }
    pmk_tokens_clear(&t);
    const long twice[] = {3, 3};
    ck_assert_int_eq(pmk_tokens_from_integers(&t, twice, 2, perm, &e), PMK_EDATA);
    ck_assert_str_eq(e.msg, "label 3 is repeated");
    ck_assert_uint_eq(t.n, 0);
}
END_TEST

/* Reads @p path with label_tokens and @p rows per chunk; the chunks' labels
 * as "tok tok | tok" ("i5" for an integer chunk's 5) into @p out. */
static int read_labels(const char *path, size_t rows, long label_col, char *out, size_t cap,
                       pmk_error *e)
{
    pmk_data_options o;
    pmk_data_options_init_default(&o);
    o.label_tokens = 1;
    o.chunk_rows = rows;
    o.label_col = label_col;
    o.format = PMK_DATA_CSV;
    o.header = PMK_CSV_HEADER_NO;
    pmk_data_reader *r = pmk_data_open(path, &o, e);
    if (!r)
        return e->code;
    pmk_data_chunk ch;
    int rc;
    size_t len = 0;
    out[0] = '\0';
    while (!(rc = pmk_data_read_chunk(r, &ch, e)) && ch.n) {
        for (size_t i = 0; i < ch.n; i++) {
            if (ch.tok)
                ck_assert_uint_lt((size_t)ch.y[i], ch.ntok);
            len += (size_t)snprintf(out + len, cap - len, "%s%s%ld", len ? " " : "",
                                    ch.tok ? "" : "i", ch.tok ? 0L : ch.y[i]);
            if (ch.tok)   /* overwrite the 0 with the token */
                len += (size_t)snprintf(out + len - 1, cap - len + 1, "%s", ch.tok[ch.y[i]]) - 1;
        }
        for (size_t k = 1; ch.tok && k < ch.ntok; k++)   /* the chunk's table is sorted */
            ck_assert_int_lt(pmk_token_cmp(ch.tok[k - 1], strlen(ch.tok[k - 1]), ch.tok[k],
                                           strlen(ch.tok[k])), 0);
        len += (size_t)snprintf(out + len, cap - len, " |");
    }
    pmk_data_close(r);
    return rc;
}

START_TEST(test_tokens_csv_reader)
{
    char got[512], want[600];
    pmk_error e;
    /* integers until "dog": the chunk's earlier rows become tokens, and
     * every later chunk's labels are tokens ("007" is "7") */
    const char *p = TEXT("mixed.csv", "5,1\n3,2\n7,3\ndog,4\n007,5\n\"cat\",6\n-2,7\n");
    ck_assert_int_eq(read_labels(p, 2, 0, got, sizeof got, &e), PMK_OK);
    ck_assert_str_eq(got, "i5 i3 | 7 dog | 7 cat | -2 |");
    ck_assert_int_eq(read_labels(p, 4, 0, got, sizeof got, &e), PMK_OK);
    ck_assert_str_eq(got, "5 3 7 dog | 7 cat -2 |");   /* line 4's "dog" is in chunk 1 */
    ck_assert_int_eq(read_labels(p, 3, 0, got, sizeof got, &e), PMK_OK);
    ck_assert_str_eq(got, "i5 i3 i7 | dog 7 cat | -2 |");
    ck_assert_int_eq(read_labels(p, 100, 0, got, sizeof got, &e), PMK_OK);
    ck_assert_str_eq(got, "5 3 7 dog 7 cat -2 |");
    /* the first row a token (parsed when the reader opens); the label last */
    p = TEXT("last.csv", "1,emu\n2,cat\n3,10\n4,9\n");
    ck_assert_int_eq(read_labels(p, 3, PMK_COL_FROM_END(1), got, sizeof got, &e), PMK_OK);
    ck_assert_str_eq(got, "emu cat 10 | 9 |");
    /* integer labels only: today's chunks, tok NULL */
    p = TEXT("ints.csv", "1,2\n2,-3\n");
    ck_assert_int_eq(read_labels(p, 1, PMK_COL_FROM_END(1), got, sizeof got, &e), PMK_OK);
    ck_assert_str_eq(got, "i2 | i-3 |");

    /* the limits, placed: an empty label field, an over-long token, a space */
    p = TEXT("empty.csv", "cat,1\n,2\n");
    ck_assert_int_eq(read_labels(p, 4, 0, got, sizeof got, &e), PMK_EDATA);
    snprintf(want, sizeof want, "%s:2:1: field 1: label is empty", p);
    ck_assert_str_eq(e.msg, want);
    p = TEXT("long.csv", "1,cat\n2,xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n");
    ck_assert_int_eq(read_labels(p, 4, 1, got, sizeof got, &e), PMK_EDATA);
    snprintf(want, sizeof want,
             "%s:2:3: field 2: label 'xxxxxxxxxxxxxxxxxxxx...' is longer than 64 bytes", p);
    ck_assert_str_eq(e.msg, want);
    p = TEXT("space.csv", "\"big cat\",1\n");
    ck_assert_int_eq(read_labels(p, 4, 0, got, sizeof got, &e), PMK_EDATA);
    snprintf(want, sizeof want,
             "%s:1:1: field 1: label 'big cat' holds a space, a comma, a quote or a control byte",
             p);
    ck_assert_str_eq(e.msg, want);
    /* without label_tokens a word is an error, as always; the whole-file
     * reader refuses tokens */
    pmk_csv_options co;
    pmk_csv_options_init_default(&co);
    pmk_dataset *ds = NULL;
    co.header = PMK_CSV_HEADER_NO;
    p = TEXT("word.csv", "cat,1\n");
    ck_assert_int_eq(pmk_csv_read_all(p, &co, &ds, &e), PMK_EDATA);
    snprintf(want, sizeof want, "%s:1:1: field 1: label 'cat' is not an integer", p);
    ck_assert_str_eq(e.msg, want);
    co.label_tokens = 1;
    ck_assert_int_eq(pmk_csv_read_all(p, &co, &ds, &e), PMK_EINVAL);
    ck_assert_str_eq(e.msg, "token labels need the streaming reader");
    ck_assert_ptr_null(ds);
}
END_TEST

void suite_tokens(Suite *s)
{
    TCase *tc = tcase_create("tokens");
    tcase_add_test(tc, test_tokens_order_and_lookup);
    tcase_add_test(tc, test_tokens_integers);
    tcase_add_test(tc, test_tokens_csv_reader);
    suite_add_tcase(s, tc);
}
