/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* tokens.c: the table of label tokens (tokens_internal.h): a sorted array,
 * binary search, insertion in place.  K is at most the classes' ceiling
 * (PMK_GNB_MAX_CLASSES_DEFAULT by default), so an O(K) insertion is cheap
 * next to the K x D statistics it stands for. */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/tokens_internal.h"

void pmk_tokens_init(pmk_tokens *t) { memset(t, 0, sizeof *t); }

void pmk_tokens_clear(pmk_tokens *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->tok[i]);
    free(t->tok);
    free(t->len);
    pmk_tokens_init(t);
}

int pmk_token_cmp(const char *a, size_t la, const char *b, size_t lb)
{
    int c = memcmp(a, b, la < lb ? la : lb);
    return c ? c : (la > lb) - (la < lb);
}

int pmk_token_check(const char *s, size_t len, pmk_error *err)
{
    if (len == 0)
        return pmk_error_set(err, PMK_EDATA, "label is empty");
    if (len > PMK_TOKEN_MAX)
        return pmk_error_set(err, PMK_EDATA, "label '%.20s...' is longer than %d bytes", s,
                             PMK_TOKEN_MAX);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c <= ' ' || c == 0x7f || c == ',' || c == '"')
            return pmk_error_set(err, PMK_EDATA,
                                 "label '%.*s' holds a space, a comma, a quote or a control "
                                 "byte", (int)len, s);
    }
    return PMK_OK;
}

int pmk_token_integer(const char *s, size_t len, long *v)
{
    size_t i = len && (s[0] == '+' || s[0] == '-');
    if (i == len || len - i > 19)
        return 0;
    unsigned long long x = 0;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        x = x * 10 + (unsigned)(s[i] - '0');
    }
    const int neg = s[0] == '-';
    if (x > (unsigned long long)LONG_MAX + neg)
        return 0;
    *v = neg ? (x == (unsigned long long)LONG_MAX + 1 ? LONG_MIN : -(long)x) : (long)x;
    return 1;
}

/* The first index whose token is not below [s, s+len). */
static size_t lower_bound(const pmk_tokens *t, const char *s, size_t len)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pmk_token_cmp(t->tok[mid], t->len[mid], s, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

long pmk_tokens_find(const pmk_tokens *t, const char *s, size_t len)
{
    size_t i = lower_bound(t, s, len);
    return i < t->n && !pmk_token_cmp(t->tok[i], t->len[i], s, len) ? (long)i : -1;
}

int pmk_tokens_add(pmk_tokens *t, const char *s, size_t len, size_t max, size_t *at, int *added,
                   pmk_error *err)
{
    int rc = pmk_token_check(s, len, err);
    if (rc)
        return rc;
    size_t i = lower_bound(t, s, len);
    *at = i;
    *added = 0;
    if (i < t->n && !pmk_token_cmp(t->tok[i], t->len[i], s, len))
        return PMK_OK;
    if (t->n >= max)
        return pmk_error_set(err, PMK_EDATA, "more than %zu distinct labels", max);
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        char **nt = realloc(t->tok, cap * sizeof *nt);
        if (nt)
            t->tok = nt;
        size_t *nl = nt ? realloc(t->len, cap * sizeof *nl) : NULL;
        if (!nl)
            return pmk_error_set(err, PMK_ENOMEM, "out of memory");
        t->len = nl;
        t->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    memcpy(copy, s, len);
    copy[len] = '\0';
    memmove(t->tok + i + 1, t->tok + i, (t->n - i) * sizeof *t->tok);
    memmove(t->len + i + 1, t->len + i, (t->n - i) * sizeof *t->len);
    t->tok[i] = copy;
    t->len[i] = len;
    t->n++;
    *added = 1;
    return PMK_OK;
}

int pmk_tokens_write(const pmk_tokens *t, FILE *f)
{
    for (size_t i = 0; i < t->n; i++)
        if ((i && fputc(' ', f) == EOF) || fwrite(t->tok[i], 1, t->len[i], f) != t->len[i])
            return -1;
    return 0;
}

int pmk_tokens_parse(pmk_tokens *t, const char *s, size_t len, pmk_error *err)
{
    const char *p = s, *end = s + len;
    for (size_t k = 1; p <= end; k++) {
        const char *q = memchr(p, ' ', (size_t)(end - p));
        if (!q)
            q = end;
        size_t at;
        int added, rc = pmk_token_check(p, (size_t)(q - p), err);
        if (!rc && t->n
            && pmk_token_cmp(t->tok[t->n - 1], t->len[t->n - 1], p, (size_t)(q - p)) >= 0)
            rc = pmk_error_set(err, PMK_EDATA, "not after the one before (tokens are in "
                               "increasing byte order)");
        if (!rc)
            rc = pmk_tokens_add(t, p, (size_t)(q - p), (size_t)-1, &at, &added, err);
        if (rc) {
            char why[PMK_ERROR_MSG_MAX];
            snprintf(why, sizeof why, "%s", err ? err->msg : "");
            pmk_error_set(err, rc, "token %zu: %s", k, why);
            pmk_tokens_clear(t);
            return rc;
        }
        p = q + 1;
    }
    return PMK_OK;
}

int pmk_tokens_from_integers(pmk_tokens *t, const long *labels, size_t k, size_t *perm,
                             pmk_error *err)
{
    char buf[32];
    for (size_t i = 0; i < k; i++) {
        size_t at;
        int added, n = snprintf(buf, sizeof buf, "%ld", labels[i]);
        int rc = pmk_tokens_add(t, buf, (size_t)n, (size_t)-1, &at, &added, err);
        if (!rc && !added)
            rc = pmk_error_set(err, PMK_EDATA, "label %ld is repeated", labels[i]);
        if (rc) {
            pmk_tokens_clear(t);
            return rc;
        }
    }
    /* each label's token index, found again now that all are in place */
    for (size_t i = 0; i < k; i++) {
        int n = snprintf(buf, sizeof buf, "%ld", labels[i]);
        perm[pmk_tokens_find(t, buf, (size_t)n)] = i;
    }
    return PMK_OK;
}
