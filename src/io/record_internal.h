/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* record_internal.h: the text-record reader and writer shared by the model
 * files (gnb, rbm), and the one C-locale switch every text reader and writer
 * uses.  Not installed; see doc/design.md ("Model files: the record module")
 * and doc/formats.md for the grammar and the range rules.
 *
 * A record file is lines of words separated by spaces or tabs: a magic and
 * version line ("pmk-gnb 1"), key/value header lines, rows of %.17g numbers
 * in the C locale.  The reader reads one line at a time from a pmk_instream,
 * keeps the line number, and splits the current line into words whose column
 * (1-based word index) goes into every message: "FILE:LINE:COL: cause".
 * The field readers check kind and range with one rule type, so that every
 * number of every model file is refused by the same words. */
#ifndef PMK_RECORD_INTERNAL_H
#define PMK_RECORD_INTERNAL_H

#include <locale.h>
#include <stddef.h>
#include <stdio.h>

#include "pmk/status.h"
#include "pmk/stream.h"

/* ---------------------------------------------------------------- C locale
 *
 * printf/strtod follow LC_NUMERIC; a program that set, say, de_DE would write
 * "0,5".  uselocale() switches the calling thread only (POSIX.1-2008), so the
 * library stays thread-safe and leaves the caller's locale as it was. */

typedef struct pmk_c_locale {
    locale_t c, old;
} pmk_c_locale;

/* A new "C" numeric locale for strtod_l and friends (freelocale it), or
 * (locale_t)0 when out of memory. */
locale_t pmk_c_locale_new(void);

/* Switches the calling thread to the C numeric locale.  PMK_OK, or PMK_ENOMEM
 * (nothing switched; pmk_c_locale_leave is then a no-op). */
int pmk_c_locale_enter(pmk_c_locale *l);

/* Restores the thread's previous locale and frees the C one. */
void pmk_c_locale_leave(pmk_c_locale *l);

/* ---------------------------------------------------------------- rules */

/* The kind and range of one number.  A number is decimal: [+-] digits [.
 * digits] [(e|E) [+-] digits], with digits on at least one side of the point;
 * hex floats, "nan", "inf", overflow (1e999), "1_000", a comma and trailing
 * junk are all "'TOKEN' is not a finite number". */
typedef struct pmk_rec_rule {
    const char *what;   /* the value's name in messages ("the scale", "a weight") */
    double lo, hi;      /* inclusive range, lo <= hi */
    unsigned flags;     /* PMK_REC_* below */
} pmk_rec_rule;

#define PMK_REC_LO_OPEN 1u  /* lo itself is refused: (lo, hi] */
#define PMK_REC_INTEGER 2u  /* an integer value (any spelling: 3, 3.0, 3e0) */

/* ---------------------------------------------------------------- reader */

typedef struct pmk_rec_reader {
    pmk_instream *in;
    const char *path;       /* the stream's name, for messages */
    pmk_error *err;         /* where causes go (never NULL inside) */
    char *buf;              /* read buffer (REC_BUF bytes) */
    size_t pos, len;
    int eof;
    char *line;             /* the current line, NUL-terminated, no '\n' */
    size_t cap;             /* bytes allocated for line */
    size_t max;             /* the longest line accepted, '\n' excluded */
    long lineno;            /* the current line's number, 1-based */
    char *cur;              /* the next word of the current line */
    long col;               /* the column (word index) of the last word taken */
    const char *eof_what;   /* what an early end of file is called in messages */
    int need_eol;           /* 1: a last line without '\n' is a truncated file */
    pmk_c_locale loc;       /* the C numeric locale, entered by pmk_rec_open */
    int in_locale;          /* 1 while the thread is switched to it */
    pmk_error local;        /* used when the caller gives no pmk_error */
} pmk_rec_reader;

/* Starts reading @p in (not owned), switching the calling thread to the C
 * numeric locale until pmk_rec_close.  @p max_line bounds a line until
 * pmk_rec_set_max changes it; @p eof_what names an early end of file
 * ("truncated model file"); with @p need_eol a last line without '\n' is
 * refused.  @p err may be NULL.  PMK_OK or PMK_ENOMEM; call pmk_rec_close
 * either way. */
int pmk_rec_open(pmk_rec_reader *r, pmk_instream *in, size_t max_line, const char *eof_what,
                 int need_eol, pmk_error *err);

/* Frees the reader's buffers (not the stream) and restores the thread's
 * locale. */
void pmk_rec_close(pmk_rec_reader *r);

/* Raises or lowers the line limit (e.g. from a header's dimensions). */
void pmk_rec_set_max(pmk_rec_reader *r, size_t max_line);

/* Reads the next line.  1: a line; 0: end of file; -1: error (set). */
int pmk_rec_next(pmk_rec_reader *r);

/* Reads the next line, which must exist: at end of file the error is
 * "LINE: EOF_WHAT: expected WHAT".  PMK_OK or the error's status. */
int pmk_rec_need(pmk_rec_reader *r, const char *what);

/* The most blank lines accepted in a row where a format allows them (in a
 * header, after 'end'): a few are harmless, millions (a gzip bomb of
 * newlines) would only cost time. */
#define PMK_REC_MAX_BLANK 1000

/* Reads lines to the end of the file: each must be blank (spaces, tabs, a
 * CR).  Otherwise "LINE: unexpected text after 'end'" (or, with @p quote,
 * "unexpected 'EXCERPT' after 'end'"); more than PMK_REC_MAX_BLANK lines is
 * "LINE: more than 1000 blank lines after 'end'". */
int pmk_rec_expect_eof(pmk_rec_reader *r, int quote);

/* The next word of the current line (NUL-terminated in place) and its column
 * in r->col, or NULL at the end of the line. */
char *pmk_rec_word(pmk_rec_reader *r);

/* 1 when the current line has no word left. */
int pmk_rec_at_end(pmk_rec_reader *r);

/* Shows at most 40 bytes of @p s, bytes outside printable ASCII as \xNN,
 * "..." when cut: safe to put in a message on a terminal. */
const char *pmk_rec_excerpt(const char *s, char *buf, size_t len);

/* Fills the error at the current line and column r->col (0: none). */
int pmk_rec_fail(pmk_rec_reader *r, int code, long col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ---------------------------------------------------------------- fields */

/* Parses @p w (at column r->col) as a number and checks it against @p rule;
 * messages start with "PREFIX: " when @p prefix is not NULL:
 *   'TOKEN' is not a finite number
 *   WHAT must be an integer, not TOKEN
 *   WHAT must be 0 or 1, not TOKEN                 (an integer rule on [0, 1])
 *   WHAT must be in [LO, HI] (or (LO, HI]), not TOKEN
 * PMK_OK or PMK_EFORMAT. */
int pmk_rec_number(pmk_rec_reader *r, const char *w, const pmk_rec_rule *rule,
                   const char *prefix, double *out);

/* 1 when @p w is decimal digits only and fits a size_t (into *@p out). */
int pmk_rec_is_count(const char *w, size_t *out);

/* Parses @p w as a count: decimal digits only (no sign, point or exponent).
 *   'TOKEN' is not a positive integer          (not digits, or overflow; lo >= 1)
 *   'TOKEN' is not a non-negative integer      (the same with lo = 0)
 *   WHAT must be at least LO, not TOKEN
 *   WHAT N is more than pmk accepts (HI)       (PMK_ELIMIT)
 * all at column r->col.  PMK_OK, PMK_EFORMAT or PMK_ELIMIT. */
int pmk_rec_count(pmk_rec_reader *r, const char *w, const char *what, size_t lo, size_t hi,
                  size_t *out);

/* Parses @p w as a signed decimal integer that fits a long:
 * "'TOKEN' is not an integer".  PMK_OK or PMK_EFORMAT. */
int pmk_rec_long(pmk_rec_reader *r, const char *w, long *out);

/* Reads up to @p n numbers from the rest of the current line into
 * x[i * stride], each checked by @p rule (messages prefixed by @p prefix).
 * *@p got receives how many were read; the line may hold fewer (*got < n) or
 * more (then *got == n and the line is not at its end): the caller words
 * those, as each format names its rows differently.  PMK_OK or the first
 * bad number's status. */
int pmk_rec_row(pmk_rec_reader *r, const pmk_rec_rule *rule, const char *prefix, double *x,
                size_t n, size_t stride, size_t *got);

/* As pmk_rec_row, into a new array *@p out (freed by the caller, also on
 * error) grown as the numbers arrive, so that a count from a header
 * allocates nothing the line does not hold. */
int pmk_rec_row_alloc(pmk_rec_reader *r, const pmk_rec_rule *rule, const char *prefix, size_t n,
                      double **out, size_t *got);

/* The size of the file behind the reader when it is a plain regular file
 * (not gzip, not a pipe): 1 with *bytes set, else 0.  A header may claim no
 * more than this can hold before anything is allocated for it. */
int pmk_rec_file_size(const pmk_rec_reader *r, unsigned long long *bytes);

/* Grows *@p buf (doubles) to hold @p need values, at most @p total in all:
 * capacity doubles as the file delivers rows, so memory follows what the
 * file really holds, not what its header claims.  PMK_OK or PMK_ENOMEM (set). */
int pmk_rec_grow(pmk_rec_reader *r, double **buf, size_t *cap, size_t need, size_t total);

/* ---------------------------------------------------------------- writer */

/* "MAGIC VERSION\n" */
void pmk_rec_put_magic(FILE *f, const char *magic, int version);

/* "KEY x1 x2 ... xn\n" with x[i * stride] in %.17g; no key (NULL): "x1 ... xn\n".
 * The caller is in the C locale (pmk_c_locale_enter). */
void pmk_rec_put_row(FILE *f, const char *key, const double *x, size_t n, size_t stride);

/* Flushes @p f and reports a write error seen on it as PMK_EIO naming
 * @p name ("cannot write: CAUSE"). */
int pmk_rec_put_done(FILE *f, const char *name, pmk_error *err);

/* Checks @p x (n values, stride) against @p rule before a writer puts them,
 * so that nothing is written that the reader would refuse.  PMK_EDATA
 * "cannot save: WHAT N (value I) must be ..." otherwise. */
int pmk_rec_put_check(const pmk_rec_rule *rule, const char *name, const double *x, size_t n,
                      size_t stride, pmk_error *err);

#endif
