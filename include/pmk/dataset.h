/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/** @file pmk/dataset.h
 * The data-set layer: one way to open data (CSV or IDX), read it in chunks or
 * whole, keep it compact, transform it the same way for every model, and
 * split it for a holdout.
 *
 * - Reader (pmk_data_open ... pmk_data_close): CSV (plain or gzip, header
 *   auto-detected, a label column or none) or IDX (an images file with its
 *   labels file, given or found by the standard pairing), recognised by the
 *   file's magic bytes.  Rows come in chunks of doubles, each chunk with the
 *   source position of its first row (CSV: the 1-based line; IDX: the 1-based
 *   record).  A reader may be limited to a range: CSV bytes [begin, end), a
 *   row belonging to the range its first byte lies in; IDX rows [begin, end).
 *   Reading every range of a partition of the file gives exactly the rows of
 *   the whole file, in order.
 * - Table (pmk_data_read_all): the whole data set in memory, stored as bytes
 *   when every value is an integer 0..255 (a 60000 x 784 MNIST file takes
 *   47 MB, not 376 MB), else as doubles, with labels, each row's source
 *   position and the statistics the default transform needs.  Models take
 *   rows from it in blocks (pmk_table_gather, pmk_table_gather_f32),
 *   transformed.
 * - Transform (pmk_transform): x' = scale * x, optionally binarized at a
 *   threshold and checked to lie in [0,1].  One default policy for every
 *   model: pmk_transform_auto.
 * - Holdout split (pmk_table_split): seeded, the split `pmk rbm train` has
 *   always made.
 *
 * Messages name FILE:LINE:COL for CSV (COL is the byte column for syntax
 * errors, the field number for value checks) and "FILE: record R, column C"
 * for IDX.  Thread-safety: one reader or table per thread for writing;
 * a table may be read (gathered) by several threads at once. */
#ifndef PMK_DATASET_H
#define PMK_DATASET_H

#include <stddef.h>
#include <gsl/gsl_matrix.h>
#include "pmk/status.h"
#include "pmk/rng.h"
#include "pmk/csv.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- transform */

/** What is done to every raw value before a model sees it:
 *  x' = scale * x; with threshold > 0, x' = (scale * x >= threshold) ? 1 : 0.
 *  With check01, scale * x must lie in [0,1] (checked before binarizing). */
typedef struct pmk_transform {
    double scale;      /**< multiplies every value; positive and finite [1] */
    double threshold;  /**< binarize at this threshold; 0 = no binarizing [0] */
    int check01;       /**< 1: scaled values outside [0,1] are an error [0] */
} pmk_transform;

/** Sets @p tf to the identity: scale 1, no threshold, no check. */
PMK_API void pmk_transform_init(pmk_transform *tf);

/** PMK_OK when @p tf is valid (scale positive and finite, threshold in
 *  [0,1]), else PMK_EINVAL with a message naming the bad field. */
PMK_API int pmk_transform_check(const pmk_transform *tf, pmk_error *err);

/** Summary of the raw values of a data set: what the default policy needs. */
typedef struct pmk_data_stats {
    size_t count;      /**< values seen */
    double min, max;   /**< smallest and largest value (0 when count is 0) */
    int all_u8;        /**< 1 when every value is an integer 0..255 */
} pmk_data_stats;

/** Empties @p s (count 0, all_u8 1). */
PMK_API void pmk_data_stats_init(pmk_data_stats *s);

/** Adds every value of @p X to @p s. */
PMK_API void pmk_data_stats_add(pmk_data_stats *s, const gsl_matrix *X);

/** The one default policy, used by gnb, rbm and the library alike: the scale
 *  is 1/255 when every value is an integer in 0..255 and some value exceeds
 *  1 (pixels), else 1.  Sets tf->scale only; threshold and check01 stay. */
PMK_API void pmk_transform_auto(const pmk_data_stats *s, pmk_transform *tf);

/** Applies @p tf to one value (no check). */
PMK_API double pmk_transform_apply(const pmk_transform *tf, double x);

/** The one rule for an option that contradicts a model's transform: a
 *  positive @p asked->scale must equal @p model's scale (to 1e-12 relative),
 *  and a positive @p asked->threshold its threshold; 0 asks nothing.
 *  @p how completes "(it was ... with it)": "fitted" or "trained".
 *  @return PMK_OK, or PMK_EINVAL with a message naming both values. */
PMK_API int pmk_transform_agrees(const pmk_transform *model, const pmk_transform *asked,
                                 const char *how, pmk_error *err);

/* ---------------------------------------------------------------- reader */

/** The file formats. */
enum { PMK_DATA_AUTO = 0, PMK_DATA_CSV = 1, PMK_DATA_IDX = 2 };

/** The end of a range that runs to the end of the file. */
#define PMK_DATA_END ((unsigned long long)-1)

/** Options of pmk_data_open / pmk_data_read_all; fill with
 *  pmk_data_options_init_default, then change what differs. */
typedef struct pmk_data_options {
    int format;          /**< PMK_DATA_AUTO [default]: IDX when the file starts
                              with an IDX magic (00 00 type ndim, gunzipped
                              first), else CSV; or PMK_DATA_CSV, PMK_DATA_IDX */
    int header;          /**< CSV: PMK_CSV_HEADER_AUTO [default], _NO, _YES */
    long label_col;      /**< CSV: 0-based label column [0]; -1 = no labels;
                              PMK_COL_FROM_END(k) the k-th column from the
                              end (pmk_data_parse_column).  IDX: any value
                              but -1 wants labels (a labels file, given or
                              paired), -1 reads the images alone */
    const char *labels;  /**< IDX: the labels file; NULL [default] = the
                              standard pairing (doc/formats.md) */
    size_t chunk_rows;   /**< rows per chunk; 0 [default]: about 1 MiB of
                              doubles (167 rows of 784 values) */
    size_t max_line;     /**< CSV: longest line, bytes [PMK_CSV_MAX_LINE_DEFAULT] */
    unsigned long long begin; /**< range start: CSV byte offset, IDX row [0] */
    unsigned long long end;   /**< range end (exclusive) [PMK_DATA_END] */
    int u8;              /**< CSV: checks that values fit a byte, each failure
                              an error naming the line and field:
                              PMK_DATA_U8_VALUES every feature value an integer
                              0..255, PMK_DATA_U8_LABELS every label; 0 checks
                              nothing [0] */
    pmk_progress_fn progress; /**< called after each chunk read (pmk/progress.h) [NULL] */
    void *progress_ctx;  /**< passed to progress [NULL] */
    int threads;         /**< threads of the calls that read a plain file in
                              parallel ranges (gnb fit, eval, predict):
                              0 = the cores available (pmk/threads.h) [0] */
    long weight_col;     /**< CSV: a column of row weights (numbers >= 0, not
                              features; pmk_csv_options.weight_col), or -1 for
                              none [-1].  IDX: must be -1 */
    int label_tokens;    /**< CSV: labels may be any token
                              (pmk_csv_options.label_tokens) [0] */
} pmk_data_options;

/** Parses a column as `--label-col` and `--weight-col` take it into *@p col:
 *  "none" -1; "last" PMK_COL_FROM_END(1); a non-negative integer C the
 *  0-based column C; a negative integer -K the K-th column from the end
 *  (-1 the last), PMK_COL_FROM_END(K).  PMK_EINVAL "'TEXT' is not a column
 *  (0, 1, ..., last, -1, -2, ... or none)" otherwise; *@p col unchanged. */
PMK_API int pmk_data_parse_column(const char *text, long *col, pmk_error *err);

/** Flags of pmk_data_options.u8. */
enum { PMK_DATA_U8_VALUES = 1, PMK_DATA_U8_LABELS = 2 };

/** Fills @p o with the defaults above. */
PMK_API void pmk_data_options_init_default(pmk_data_options *o);

/** PMK_OK when @p o is valid, else PMK_EINVAL with the reason. */
PMK_API int pmk_data_options_check(const pmk_data_options *o, pmk_error *err);

/** The labels file that pairs with an IDX images file: the name with its
 *  last "-images-idx3-ubyte" / "-images.idx3-ubyte" (optionally followed by
 *  ".gz") changed to "-labels-idx1-ubyte" / "-labels.idx1-ubyte" (same
 *  suffix).  @return a new string (free()) or NULL when the name does not
 *  follow the pattern (or memory runs out). */
PMK_API char *pmk_data_pair_labels(const char *images_path);

/** One chunk of rows, owned by the reader and valid until the next call. */
typedef struct pmk_data_chunk {
    gsl_matrix_view X;   /**< n x D raw values (no transform); undefined when n == 0 */
    const long *y;       /**< n labels, or NULL without labels */
    size_t n;            /**< rows in this chunk; 0 at the end of the range */
    const double *w;     /**< n weights (pmk_data_options.weight_col), or NULL */
    long first_pos;      /**< source position of the first row: CSV line, IDX
                              record (both 1-based) */
    const char *const *tok; /**< token labels (pmk_csv_chunk.tok): NULL for
                              integer labels, else y[i] indexes these ntok */
    size_t ntok;         /**< tokens in tok */
} pmk_data_chunk;

/** An opaque data-set reader. */
typedef struct pmk_data_reader pmk_data_reader;

/** Opens @p path ("-" = stdin) as CSV or IDX.  @p o may be NULL for defaults;
 *  it is copied (and the labels name with it).  A CSV file is opened as by
 *  pmk_csv_open, with its messages; an IDX file's header is read and checked,
 *  and its labels file opened and its count checked against the images.
 *  An empty range is not an error: the first read gives n == 0.
 *  @return a reader owned by the caller, or NULL with @p err filled. */
PMK_API pmk_data_reader *pmk_data_open(const char *path, const pmk_data_options *o,
                                       pmk_error *err);

/** Reads the next up to chunk_rows rows of the range.  PMK_OK with
 *  chunk->n == 0 at its end.  After an error the reader can only be closed. */
PMK_API int pmk_data_read_chunk(pmk_data_reader *r, pmk_data_chunk *chunk, pmk_error *err);

/** D: values per row (CSV: all columns but the label; IDX: the product of
 *  the dimensions after the first). */
PMK_API size_t pmk_data_nfeatures(const pmk_data_reader *r);

/** 1 when rows come with labels. */
PMK_API int pmk_data_has_labels(const pmk_data_reader *r);

/** PMK_DATA_CSV or PMK_DATA_IDX. */
PMK_API int pmk_data_format(const pmk_data_reader *r);

/** The path for messages ("<stdin>" for "-"), owned by the reader. */
PMK_API const char *pmk_data_path(const pmk_data_reader *r);

/** Closes the reader; NULL is accepted. */
PMK_API void pmk_data_close(pmk_data_reader *r);

/* ---------------------------------------------------------------- conversion */

/** The format of @p path by its first bytes, as `pmk convert` decides it:
 *  *@p format is PMK_DATA_IDX when the file (gunzipped) starts with two zero
 *  bytes, the start of every IDX header, else PMK_DATA_CSV.  "-" (stdin,
 *  which cannot be read twice) is PMK_DATA_CSV without reading.  PMK_EIO
 *  (naming the file) when it cannot be opened. */
PMK_API int pmk_data_sniff(const char *path, int *format, pmk_error *err);

/** What a conversion wrote. */
typedef struct pmk_data_convert_info {
    size_t rows;         /**< N rows written */
    size_t d;            /**< D values per row */
    int labels;          /**< 1 when labels were written (a CSV label column, an
                              IDX labels file) */
    size_t dims[3];      /**< IDX output: the images' dimensions (N, rows, cols),
                              or (N, D) */
    size_t ndim;         /**< 3 or 2 (IDX output), 0 for CSV output */
} pmk_data_convert_info;

/** Writes the data set @p path (read with @p o, NULL for defaults: an IDX
 *  images file with its labels, or CSV) as CSV to @p out ("-" = stdout,
 *  ".gz" gzips; atomic): a header line "label,pixel0,...,pixel{D-1}"
 *  ("label," only with labels), then each row, its label first, numbers as
 *  pmk_csv_write writes them.  Streamed a chunk at a time: memory does not
 *  grow with N.  *@p info (may be NULL) says what was written.  Errors: the
 *  reader's and the writer's; on error @p out is left as it was. */
PMK_API int pmk_data_to_csv(const char *path, const pmk_data_options *o, const char *out,
                            pmk_data_convert_info *info, pmk_error *err);

/** Writes the CSV data set @p path (read with @p o, NULL for defaults; its
 *  format is taken as CSV, and PMK_DATA_U8_VALUES is added to o->u8, with
 *  PMK_DATA_U8_LABELS when @p labels_out is given) as a u8 IDX images file
 *  @p out and, when @p labels_out is non-NULL, a u8 IDX labels file, as one
 *  set (pmk/stream.h: both change or neither; ".gz" gzips).  The images'
 *  dimensions: N x @p shape[0] x @p shape[1] when @p shape is non-NULL (its
 *  product must be D: PMK_EINVAL "FILE: shape RxC holds P values, but rows
 *  have D"), else N x S x S when D = S^2 > 1, else N x D.  The rows are held
 *  as bytes until the end (IDX states N first): PMK_ELIMIT "FILE:LINE:
 *  holding N rows of B bytes needs ..." beyond the memory ceiling
 *  (pmk_mem_check).  PMK_EINVAL when @p labels_out is given and the data
 *  have no labels.  *@p info (may be NULL) says what was written. */
PMK_API int pmk_data_to_idx(const char *path, const pmk_data_options *o, const size_t *shape,
                            const char *out, const char *labels_out,
                            pmk_data_convert_info *info, pmk_error *err);

/* ---------------------------------------------------------------- table */

/** How a table stores its values. */
enum {
    PMK_TABLE_F64 = 0,   /**< doubles: 8 bytes a value */
    PMK_TABLE_U8 = 1,    /**< bytes: every value an integer 0..255 */
    PMK_TABLE_BITS = 2   /**< bits: binarized by the table's transform */
};

/** A whole data set in memory: N rows of D raw values, labels, positions. */
typedef struct pmk_table pmk_table;

/** Reads every row of the range into a new table (*out, owned by the caller:
 *  pmk_table_free), stored as bytes when every value is an integer 0..255,
 *  else as doubles.  The transform is the identity.  Statuses as
 *  pmk_data_open / pmk_data_read_chunk, plus PMK_ELIMIT when the table would
 *  exceed the memory ceiling (pmk_mem_check, PMK_MAX_MEMORY) and PMK_EFORMAT
 *  for a range holding no rows ("no data rows"). */
PMK_API int pmk_data_read_all(const char *path, const pmk_data_options *o, pmk_table **out,
                              pmk_error *err);

/** A table holding a copy of @p X (N x D) and, when non-NULL, of @p y (N
 *  labels); positions are the row numbers 1..N, the path NULL.  Stored as
 *  bytes when every value is an integer 0..255. */
PMK_API int pmk_table_from_matrix(const gsl_matrix *X, const long *y, pmk_table **out,
                                  pmk_error *err);

/** Sets the transform gather applies.  With tf->check01 every value is
 *  checked: "FILE:LINE:COL: value V is outside [0,1]" (", after scaling by S"
 *  when the scale is not 1; COL the CSV field number; IDX "FILE: record R,
 *  column C: ..."; a table from a matrix "row R, column C: ..."), PMK_EDATA.
 *  A binarizing transform repacks the table as bits.  A table already binarized
 *  accepts only the same transform again (else PMK_EINVAL).  On error the table
 *  is unchanged. */
PMK_API int pmk_table_set_transform(pmk_table *t, const pmk_transform *tf, pmk_error *err);

/** Copies rows @p rows[0..n) (indices into the table; NULL = rows 0..n-1),
 *  transformed, into the first n rows of @p out (at least n x D; row stride
 *  out->tda).  PMK_EINVAL when a row is out of range or @p out too small. */
PMK_API int pmk_table_gather(const pmk_table *t, const size_t *rows, size_t n, gsl_matrix *out,
                             pmk_error *err);

/** As pmk_table_gather, into @p out: n x D floats, row-major, no padding.
 *  Each value is the double pmk_table_gather gives, rounded to float. */
PMK_API int pmk_table_gather_f32(const pmk_table *t, const size_t *rows, size_t n, float *out,
                                 pmk_error *err);

/** Accessors.  Pointers are owned by the table. */
PMK_API size_t pmk_table_nrows(const pmk_table *t);
PMK_API size_t pmk_table_nfeatures(const pmk_table *t);
/** N labels, or NULL when the table has none. */
PMK_API const long *pmk_table_labels(const pmk_table *t);
/** N source positions: CSV lines, IDX records, matrix rows (1-based). */
PMK_API const long *pmk_table_positions(const pmk_table *t);
/** The path read ("<stdin>" for "-"), or NULL for a table from a matrix. */
PMK_API const char *pmk_table_path(const pmk_table *t);
/** PMK_TABLE_F64, PMK_TABLE_U8 or PMK_TABLE_BITS. */
PMK_API int pmk_table_storage(const pmk_table *t);
/** Bytes the values take (not counting labels and positions). */
PMK_API size_t pmk_table_bytes(const pmk_table *t);
PMK_API const pmk_transform *pmk_table_transform(const pmk_table *t);
/** Statistics of the raw values (before any transform). */
PMK_API const pmk_data_stats *pmk_table_stats(const pmk_table *t);

/** The seeded holdout split, exactly as `pmk rbm train --holdout` has made
 *  it: H = floor(@p frac * N), at most N - 1; when H > 0 a permutation p of
 *  0..N-1 is drawn from @p r (pmk_rng_permutation), *train gets rows p[0..N-H)
 *  and *hold rows p[N-H..N), in that order; when H = 0 nothing is drawn,
 *  *train gets every row in order and *hold is NULL.  Both keep @p t's labels,
 *  positions, path and transform; they share @p t's values (no copy), so @p t
 *  may be freed first.  @p frac must lie in [0,1) (else PMK_EINVAL). */
PMK_API int pmk_table_split(const pmk_table *t, double frac, pmk_rng *r, pmk_table **train,
                            pmk_table **hold, pmk_error *err);

/** Frees the table; NULL is accepted. */
PMK_API void pmk_table_free(pmk_table *t);

#ifdef __cplusplus
}
#endif
#endif
