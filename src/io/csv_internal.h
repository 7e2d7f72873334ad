/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* csv_internal.h: what the CSV reader's parts share: the reader itself
 * (csv_read.c: open, chunks, whole file) and the line and field parser
 * (csv_parse.c).  Not installed, not exported. */
#ifndef PMK_CSV_INTERNAL_H
#define PMK_CSV_INTERNAL_H

#include <locale.h>
#include <stddef.h>
#include "pmk/csv.h"
#include "pmk/stream.h"
#include "io/tokens_internal.h"

#define CSV_BLOCK ((size_t)1 << 20)   /* bytes written at a time */
/* the reader's buffer: 256 KiB, read() into cache-resident bytes (and 64
 * page faults a reader, not 256) */
#define CSV_READ_BLOCK ((size_t)1 << 18)
#define CSV_CHUNK_CELLS ((size_t)8 << 20) /* values in one chunk at most (64 MiB) */
/* chunk_rows 0 (the default): rows of about 1 MiB of doubles a chunk, which
 * stay in cache for the consumer and are faulted in once (4096 rows of
 * Fashion-MNIST were 25.7 MB, written to memory: half the parser's speed). */
#define CSV_CHUNK_AUTO_BYTES ((size_t)1 << 20)
#define CSV_CHUNK_AUTO_ROWS(d) \
    (CSV_CHUNK_AUTO_BYTES / sizeof(double) / (d) ? CSV_CHUNK_AUTO_BYTES / sizeof(double) / (d) : 1)
#define CSV_QUOTE_MAX 40              /* bytes of a bad field quoted in a message */

struct pmk_csv_reader {
    pmk_instream *in;
    char *path;               /* as shown in messages */
    pmk_csv_options opt;
    locale_t cloc;            /* "C" numeric locale for strtod_l / snprintf */
    char *buf;                /* cap + 1 bytes: one spare for the '\n' sentinel */
    size_t cap, beg, end;     /* unread bytes: buf[beg, end) */
    size_t scan;              /* bytes after beg already searched for '\n' */
    int eof;
    long line;                /* number of lines taken so far */
    size_t ncols;             /* fields per row, label included */
    size_t d;                 /* feature columns */
    size_t lc;                /* label column, SIZE_MAX for none */
    size_t wc;                /* weight column, SIZE_MAX for none */
    int has_header;
    int check_values;         /* any of the optional value checks is on */
    long blank_line;          /* first blank line since the last row, 0 if none */
    double *X;                /* chunk_rows x d */
    long *y;                  /* chunk_rows labels (NULL without labels) */
    double *w;                /* chunk_rows weights (NULL without a weight column) */
    size_t prefilled;         /* rows already parsed into X/y by pmk_csv_open */
    long prefilled_line;
    /* The range: rows whose first byte lies in [begin, end) of the file.
     * off0 is the file offset of buf[0]; lines starting before skip_before
     * are passed over (counted, not parsed). */
    unsigned long long off0, skip_before, range_end;
    int range_done;           /* a line at or after range_end was reached */
    /* A range opened with seek: the reader reads from the byte before the
     * range, not from the file's start, and numbers the range's lines from 1
     * (rel_lines); range_lines is the number of the range's last line once
     * a line at or after range_end was taken, else -1. */
    int seek_range, rel_lines;
    long range_lines;
    /* Token labels (opt.label_tokens, csv_tokens.c) */
    int tokmode;              /* a label that is not an integer was met */
    pmk_tokens tok;           /* tokmode: the chunk's labels; y indexes them */
    int row_token;            /* the row just parsed has a label that is not an
                                 integer, [tok_s, tok_s + tok_len) at column tok_col */
    const char *tok_s;
    size_t tok_len;
    long tok_col;
};

/* Takes the next line: on return 1, [*ls, *le) is its text without the line
 * end, *le == '\n' (a sentinel), and r->line is its number.  0 at end of
 * file, -1 on error (a read error, or a line longer than max_line).  Lines
 * that start before r->skip_before are passed over. */
int pmk_csv_next_line(pmk_csv_reader *r, char **ls, char **le, pmk_error *err);

/* Takes the next line holding data of the range, skipping blank lines at the
 * end of the file.  Returns 1 with the line, 0 at the end of the range, -1 on
 * error. */
int pmk_csv_next_data_line(pmk_csv_reader *r, char **ls, char **le, pmk_error *err);

/* Is [ls, le) only blanks? */
int pmk_csv_blank_line(const char *ls, const char *le);

/* Counts the fields of a line (quotes respected), for ragged-row messages. */
size_t pmk_csv_count_fields(char *ls, char *le);

/* Is the first line a header?  Only when every field is a name. */
int pmk_csv_looks_like_header(char *ls, char *le);

/* Does the line hold at least one name? */
int pmk_csv_any_name(char *ls, char *le);

/* Checks that a header line tokenizes (quotes closed): PMK_OK or PMK_EFORMAT
 * naming the line and column. */
int pmk_csv_header_check(pmk_csv_reader *r, char *ls, char *le, pmk_error *err);

/* Parses the data line [ls, le) (*le == '\n') into row[0, d), *label and
 * *weight (the weight column's, checked >= 0). */
int pmk_csv_parse_row(pmk_csv_reader *r, char *ls, char *le, double *row, long *label,
                      double *weight, pmk_error *err);

/* The hot loop (csv_run.c): up to @p n consecutive value fields
 * [0-9]{1,15}, each followed by ',', of the line ending at @p le (*le ==
 * '\n'), from *pp into dst[0, n).  Stops before the first field that is not
 * one of these (the caller's general path takes it); returns how many it
 * took, *pp at the next field.  Reads no byte after le. */
size_t pmk_csv_plain_run(char **pp, char *le, double *dst, size_t n);

/* After row @p i of the chunk was parsed (r->y[i], r->row_token): with
 * label_tokens, interns its label once one label was not an integer; the
 * first such label turns the chunk's rows so far into tokens.  PMK_EDATA
 * "FILE:LINE:COL: field K: label is empty" and the other limits of
 * pmk_token_check; PMK_ENOMEM. */
int pmk_csv_label_token(pmk_csv_reader *r, size_t i, pmk_error *err);

/* The file offset where the line starting at @p ls (in r->buf) starts. */
static inline unsigned long long pmk_csv_offset(const pmk_csv_reader *r, const char *ls)
{
    return r->off0 + (unsigned long long)(ls - r->buf);
}

/* Opens a reader on the stream @p in (taken over: closed with the reader,
 * also on failure), whose first @p npre bytes were already read into @p pre,
 * for the rows whose first byte lies in [begin, end).  Messages name @p shown.
 * As pmk_csv_open otherwise; an empty range is not an error.  With @p rel
 * non-NULL and a regular file, the lines before the range are not read: the
 * reader moves to the range after the header, and the range's lines are
 * numbered from 1 in messages and chunks; *@p rel says whether they are
 * (also when the open fails), and the caller makes them absolute. */
pmk_csv_reader *pmk_csv_open_in(pmk_instream *in, const char *shown, const void *pre,
                                size_t npre, const pmk_csv_options *opt,
                                unsigned long long begin, unsigned long long end, int *rel,
                                pmk_error *err);

/* After a range was read to its end: *@p relative, whether its lines are
 * numbered from its start (1 = the first line starting in the range), and
 * *@p last, the number of its last line in that numbering (that of the line
 * before the first one starting at or after the range's end; 0 for none). */
void pmk_csv_range_lines(const pmk_csv_reader *r, int *relative, long *last);

#endif
