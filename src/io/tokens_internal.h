/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* tokens_internal.h: the table of label tokens, the first step of issue 16's
 * any-token labels (doc/design.md, "Labels that are any token"): tokens kept
 * in sorted byte order (memcmp, a prefix before what it prefixes), found by
 * binary search, written as one line and read back byte for byte.  Not
 * installed, not exported; the data layer and the gnb model file will use it. */
#ifndef PMK_TOKENS_INTERNAL_H
#define PMK_TOKENS_INTERNAL_H

#include <stddef.h>
#include <stdio.h>
#include "pmk/status.h"

/* Longest token, bytes. */
#define PMK_TOKEN_MAX 64

/* K tokens, strictly increasing in pmk_token_cmp order. */
typedef struct pmk_tokens {
    size_t n, cap;
    char **tok;     /* n NUL-terminated copies */
    size_t *len;    /* n lengths */
} pmk_tokens;

void pmk_tokens_init(pmk_tokens *t);
/* Frees the tokens; the table is then empty (and may be used again). */
void pmk_tokens_clear(pmk_tokens *t);

/* The order of classes: bytes compared as unsigned (memcmp), and a token
 * before every longer token it is a prefix of.  <0, 0, >0. */
int pmk_token_cmp(const char *a, size_t la, const char *b, size_t lb);

/* PMK_OK when [s, s+len) may be a token: 1 to PMK_TOKEN_MAX bytes, none a
 * control byte (< 0x20, 0x7f), a space, ',' or '"'.  Else PMK_EDATA with
 * "label is empty", "label 'xx...' is longer than 64 bytes", "label 'a b'
 * holds a space, a comma, a quote or a control byte". */
int pmk_token_check(const char *s, size_t len, pmk_error *err);

/* The integer a token spells, as the CSV reader reads integer labels
 * ([+-]?[0-9]+ within long): 1 and *v, else 0.  A data set whose labels
 * all spell integers keeps integer labels (numeric order); mixed with other
 * tokens, an integer's token is its canonical decimal ("%ld"), so that
 * "007" and "7" are one class whichever the reader met first. */
int pmk_token_integer(const char *s, size_t len, long *v);

/* Index of the token [s, s+len), or -1. */
long pmk_tokens_find(const pmk_tokens *t, const char *s, size_t len);

/* Adds the token [s, s+len) (checked) in its sorted place: *at its index,
 * *added 1 when it is new (the tokens after it moved up by one).  PMK_EDATA
 * "more than MAX distinct labels" when a new one would make more than @p max;
 * PMK_ENOMEM.  On error the table is unchanged. */
int pmk_tokens_add(pmk_tokens *t, const char *s, size_t len, size_t max, size_t *at, int *added,
                   pmk_error *err);

/* Writes the tokens separated by single spaces (no line end): the
 * model-file form.  0, or -1 on a write error. */
int pmk_tokens_write(const pmk_tokens *t, FILE *f);

/* Reads the model-file form [s, s+len) into the empty table @p t: tokens
 * separated by single spaces, each checked, strictly increasing.  PMK_EDATA
 * "token K: ..." (K 1-based) naming the cause; on error @p t is empty. */
int pmk_tokens_parse(pmk_tokens *t, const char *s, size_t len, pmk_error *err);

/* The tokens of @p k integer labels (canonical decimal) into the empty
 * table @p t, in token order, and perm[i] the index in @p labels of token
 * i (the classes' reordering when integer labels become tokens).  PMK_ENOMEM;
 * PMK_EDATA for a repeated label. */
int pmk_tokens_from_integers(pmk_tokens *t, const long *labels, size_t k, size_t *perm,
                             pmk_error *err);

#endif
