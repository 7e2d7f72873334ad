/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/** @file pmk/csv.h
 * Numeric CSV matrices with an integer label column (MNIST's CSV).
 *
 * Rows look like `label,p0,...,p783`, optionally under a header line such as
 * Kaggle's `label,pixel0,...`.  The reader streams the file in chunks of rows,
 * so a model can be fitted without holding the file in memory; pmk_csv_read_all
 * loads it whole.  Every error names the file, the line and the byte column
 * where the offending field starts, and the field's number.
 *
 * Dialect (doc/formats.md): ',' separates fields; LF or CRLF ends lines;
 * a UTF-8 BOM is skipped; spaces and tabs around a field are ignored; a field
 * may be double-quoted (a header name of any text, or a number); blank lines
 * are accepted only at the end of the file.  Values are decimal numbers,
 * converted to the nearest double whatever the caller's locale; NaN, inf and
 * hexadecimal floats are refused.  Labels are integers within a long.
 * gzip input is recognised by its magic bytes; bytes after the last gzip
 * member and expansion beyond 64 times are errors (doc/formats.md).
 * Thread-safety: one reader per thread; no global state. */
#ifndef PMK_CSV_H
#define PMK_CSV_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include "pmk/status.h"
#include "pmk/progress.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Header handling: detect, or force. */
enum { PMK_CSV_HEADER_AUTO = -1, PMK_CSV_HEADER_NO = 0, PMK_CSV_HEADER_YES = 1 };

/** Default for pmk_csv_options.max_line: 16 MiB. */
#define PMK_CSV_MAX_LINE_DEFAULT ((size_t)16 << 20)

/** Options of the CSV reader; fill with pmk_csv_options_init_default, then
 *  change what differs. */
typedef struct pmk_csv_options {
    int header;          /**< PMK_CSV_HEADER_AUTO [default], _NO or _YES.  Auto:
                              the first line is a header only when every field
                              is a name: not empty, no control byte, not
                              starting like a number (a digit, sign, '.', a
                              non-ASCII digit or minus) and not a nan/inf
                              spelling; otherwise it is data (doc/formats.md). */
    long label_col;      /**< 0-based label column [0]; -1 = no label column;
                              PMK_COL_FROM_END(k) the k-th column from the
                              end (pmk_data_parse_column) */
    size_t chunk_rows;   /**< rows per chunk for pmk_csv_read_chunk; 0
                              [default]: about 1 MiB of doubles */
    size_t max_line;     /**< longest line accepted, bytes, line end excluded
                              [PMK_CSV_MAX_LINE_DEFAULT] */
    /* Optional checks on the values read, each failure an error naming the
     * line, column and field (PMK_EDATA).  The defaults check nothing. */
    double value_min;    /**< smallest feature value accepted [-HUGE_VAL] */
    double value_max;    /**< largest feature value accepted [HUGE_VAL] */
    int value_integer;   /**< 1: feature values must be integers [0] */
    long label_min;      /**< smallest label accepted [LONG_MIN] */
    long label_max;      /**< largest label accepted [LONG_MAX] */
    pmk_progress_fn progress; /**< called after each chunk (pmk/progress.h) [NULL] */
    void *progress_ctx;  /**< passed to progress [NULL] */
    long weight_col;     /**< a column of row weights, numbers >= 0, not a
                              feature: 0-based, PMK_COL_FROM_END(k), or -1 for
                              none [-1].  A negative weight is PMK_EDATA
                              "FILE:LINE:COL: field F: weight W is negative
                              (0 drops a row)" */
    int label_tokens;    /**< 1: a label that is not an integer is a token
                              (doc/design.md, "Labels that are any token"):
                              from the first one on, every chunk's labels are
                              tokens (pmk_csv_chunk.tok), integers as their
                              canonical decimal; 0 [default]: an error, as
                              always.  For the streaming reader only
                              (pmk_csv_read_all refuses it, PMK_EINVAL) */
} pmk_csv_options;

/** The column @p k >= 1 from the end (1: the last) as label_col and
 *  weight_col take it: -1 - k (-1 stays "none"). */
#define PMK_COL_FROM_END(k) (-1L - (long)(k))

/** Fills @p o with the defaults above. */
PMK_API void pmk_csv_options_init_default(pmk_csv_options *o);

/** A labelled data set held in memory. */
typedef struct pmk_dataset {
    gsl_matrix *X;       /**< N x D feature values as read (no scaling) */
    long *y;             /**< N integer labels; NULL when there is no label column */
    size_t n;            /**< N rows */
    size_t d;            /**< D features */
} pmk_dataset;

/** Frees X and y and the struct; NULL is accepted. */
PMK_API void pmk_dataset_free(pmk_dataset *ds);

/** One chunk of rows, owned by the reader and valid until the next call. */
typedef struct pmk_csv_chunk {
    gsl_matrix_view X;   /**< n x D; undefined when n == 0 */
    const long *y;       /**< n labels, or NULL without a label column */
    size_t n;            /**< rows in this chunk; 0 at end of file */
    const double *w;     /**< n weights (the weight column), or NULL */
    long first_line;     /**< 1-based file line number of the chunk's first row */
    const char *const *tok; /**< label_tokens: NULL while every label so far
                              is an integer; else the chunk's ntok distinct
                              labels in byte order (memcmp, a prefix first),
                              and y[i] the index of row i's */
    size_t ntok;         /**< tokens in tok */
} pmk_csv_chunk;

/** An opaque streaming CSV reader. */
typedef struct pmk_csv_reader pmk_csv_reader;

/** Opens @p path ("-" = stdin, gzip by magic bytes) and reads the first line to
 *  fix D and decide on the header.  An empty file, a header-only file, or a bad
 *  first row is an error here.  @p opt may be NULL for defaults; it is copied.
 *  @return a reader owned by the caller (close with pmk_csv_close), or NULL
 *  with @p err filled (PMK_EIO, PMK_EFORMAT, PMK_EDATA, PMK_ELIMIT,
 *  PMK_EINVAL for a label column the file lacks, PMK_ENOMEM). */
PMK_API pmk_csv_reader *pmk_csv_open(const char *path, const pmk_csv_options *opt,
                                     pmk_error *err);

/** D: the number of feature columns (all columns but the label). */
PMK_API size_t pmk_csv_ncols(const pmk_csv_reader *r);

/** 1 when the file's first line was taken as a header. */
PMK_API int pmk_csv_has_header(const pmk_csv_reader *r);

/** The path as given ("<stdin>" for "-"). */
PMK_API const char *pmk_csv_path(const pmk_csv_reader *r);

/** Parses the next up to chunk_rows rows into @p chunk (fewer when a chunk
 *  would exceed 8 Mi values, 64 MiB).  At end of file it returns PMK_OK with
 *  chunk->n == 0.  Errors carry file:line:column for: a ragged row, a
 *  non-numeric or empty field, NaN or inf, a label that is not an integer, a
 *  line longer than max_line, a blank line before more data, a value outside
 *  the optional checks; a corrupt gzip stream names the file.  After an error
 *  the reader can only be closed. */
PMK_API int pmk_csv_read_chunk(pmk_csv_reader *r, pmk_csv_chunk *chunk, pmk_error *err);

/** Closes the reader; NULL is accepted. */
PMK_API void pmk_csv_close(pmk_csv_reader *r);

/** Reads the whole file into a new data set: *out is owned by the caller
 *  (free with pmk_dataset_free), NULL on error.  The statuses are those of
 *  pmk_csv_open and pmk_csv_read_chunk, plus PMK_ELIMIT when the matrix would
 *  exceed physical memory or PMK_MAX_MEMORY (see doc/formats.md). */
PMK_API int pmk_csv_read_all(const char *path, const pmk_csv_options *opt,
                             pmk_dataset **out, pmk_error *err);

/** Writes X (N x D) as CSV to @p path atomically ("-" = stdout; a name ending
 *  in ".gz" is gzipped).  With @p y non-NULL the label is the first column.
 *  @p header, when non-NULL, is written as the first line verbatim (a newline
 *  is added unless it ends with one).  Numbers are written in the C locale
 *  whatever the caller's locale: integers (|x| < 2^53) as integers, others as
 *  "%.15g" when that reads back to the same double, else "%.17g", so reading
 *  the file gives back X bit for bit.  NaN and infinities are refused
 *  (PMK_EDATA), since the reader refuses them. */
PMK_API int pmk_csv_write(const char *path, const gsl_matrix *X, const long *y,
                          const char *header, pmk_error *err);

/** pmk_csv_write under a header of numbered names, "FIRST,PREFIX0,...,
 *  PREFIX{D-1}" (@p first NULL: "PREFIX0,..."): ("label", "h") for
 *  labelled hidden features, (NULL, "h") for a weight matrix.  Statuses as
 *  pmk_csv_write. */
PMK_API int pmk_csv_write_numbered(const char *path, const gsl_matrix *X, const long *y,
                                   const char *first, const char *prefix, pmk_error *err);

/** A CSV written a block of rows at a time, with pmk_csv_write's number
 *  format and atomic commit: for rows that are never all in memory. */
typedef struct pmk_csv_writer pmk_csv_writer;

/** Opens @p path ("-" = stdout; ".gz" gzips) for rows of @p d values and
 *  writes @p header (when non-NULL) as the first line.  @return the writer,
 *  or NULL with @p err filled (PMK_EIO, PMK_ELIMIT, PMK_ENOMEM). */
PMK_API pmk_csv_writer *pmk_csv_writer_open(const char *path, size_t d, const char *header,
                                            pmk_error *err);
/** Appends the rows of X (n x d), each after its label y[i] when @p y is
 *  non-NULL.  Non-finite values are refused (PMK_EDATA, naming the row
 *  counted from the first written); the rows of this call are then not
 *  written.  After an error, abort the writer. */
PMK_API int pmk_csv_writer_rows(pmk_csv_writer *w, const gsl_matrix *X, const long *y,
                                pmk_error *err);
/** Renames the file onto its target and frees the writer. */
PMK_API int pmk_csv_writer_commit(pmk_csv_writer *w, pmk_error *err);
/** Leaves the target as it was and frees the writer; NULL is accepted. */
PMK_API void pmk_csv_writer_abort(pmk_csv_writer *w);

/** A CSV header line of @p n numbered names after @p first (NULL: none):
 *  ("label", "mu", 3) gives "label,mu0,mu1,mu2", (NULL, "h", 2) "h0,h1".
 *  @return a new string (free()), NULL when out of memory. */
PMK_API char *pmk_csv_numbered_header(const char *first, const char *prefix, size_t n);

/** One file of a set written by pmk_csv_write_set. */
typedef struct pmk_csv_table {
    const char *name;      /**< the file's name inside the folder */
    const gsl_matrix *X;   /**< the rows (pmk_csv_write's format); NULL: the header alone */
    const long *y;         /**< labels written first on each row, or NULL */
    const char *header;    /**< the first line, or NULL */
} pmk_csv_table;

/** Writes @p n tables (at most PMK_OUTSET_MAX, pmk/stream.h) as CSV files
 *  into the folder @p dir, which is created when missing (one level), as
 *  one set: each is written to a staging name beside its target and all are
 *  renamed only once every write has succeeded, so a failure leaves every
 *  target as it was.  Errors: "DIR: cannot create folder: ..." (PMK_EIO),
 *  a writer's error naming the member's target, PMK_ENOMEM, PMK_EINVAL for
 *  more than PMK_OUTSET_MAX tables. */
PMK_API int pmk_csv_write_set(const char *dir, const pmk_csv_table *tables, size_t n,
                              pmk_error *err);

#ifdef __cplusplus
}
#endif
#endif
