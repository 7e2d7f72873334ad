/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/** @file pmk/gnb.h
 * The Gaussian class-conditional classifier ("Gaussian naive Bayes").
 *
 * Model, for x in R^D (raw values after the model's transform, x = s x_raw
 * by default) and K classes:
 *   p(y = k) = alpha_k,   p(x | y = k) = prod_d N(x_d; mu_kd, sigma2_kd)
 * with sigma2_kd = sigma2_d shared by all classes (PMK_GNB_VAR_SHARED, the
 * default) or one variance per class and dimension (PMK_GNB_VAR_CLASS, which is
 * scikit-learn's GaussianNB).  Fitting is closed-form maximum likelihood from
 * per-class sufficient statistics (count N_k, mean mu_k, sum of squared
 * deviations M2_k), streamed chunk by chunk in O(K*D) memory and mergeable:
 * merge(fit(A), fit(B)) equals fit(A u B) to rounding.
 *
 * Usage: pmk_gnb_alloc, pmk_gnb_partial_fit on each chunk, pmk_gnb_finish,
 * then the prediction functions; or pmk_gnb_fit for data held in memory.
 * Every function takes raw rows and applies the model's transform
 * (pmk/dataset.h), which the model file records.  By default the scale is
 * the data layer's one policy, pmk_transform_auto (1/255 for pixels 0..255,
 * else 1): a streaming fit cannot know it before the last row, so the
 * statistics are gathered on raw values and, the statistics being linear,
 * rescaled at the first pmk_gnb_finish (means by s, M2 by s^2); smoothing
 * and the floor then apply in scaled units.
 * Labels are arbitrary integers; classes are kept in increasing label order.
 *
 * Thread-safety: no global state.  A finished model may be used for
 * prediction by several threads at once (the prediction functions take a const
 * model and allocate their own scratch); partial_fit / finish / merge need
 * exclusive access. */
#ifndef PMK_GNB_H
#define PMK_GNB_H

#include <stddef.h>
#include <stdio.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include "pmk/dataset.h"
#include "pmk/image.h"
#include "pmk/report.h"
#include "pmk/status.h"
#include "pmk/stream.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Variance modes. */
typedef enum pmk_gnb_variance_mode {
    PMK_GNB_VAR_SHARED = 0,  /**< sigma2_d, pooled within-class variance [default] */
    PMK_GNB_VAR_CLASS = 1    /**< sigma2_kd, one per class (scikit-learn GaussianNB) */
} pmk_gnb_variance_mode;

/** Prior modes. */
typedef enum pmk_gnb_prior_mode {
    PMK_GNB_PRIOR_EMPIRICAL = 0, /**< alpha_k = N_k / N [default] */
    PMK_GNB_PRIOR_UNIFORM = 1,   /**< alpha_k = 1 / K */
    PMK_GNB_PRIOR_EXPLICIT = 2   /**< a given list, in increasing label order */
} pmk_gnb_prior_mode;

/** Covariance kinds. */
typedef enum pmk_gnb_covariance_kind {
    PMK_GNB_COV_DIAG = 0,  /**< diagonal: the variances above [default] */
    PMK_GNB_COV_FULL = 1   /**< one full D x D covariance Sigma shared by the classes:
                                linear discriminant analysis as a generative
                                classifier (Bishop, PRML, 2006, sec. 4.2.2) */
} pmk_gnb_covariance_kind;

/** The default ridge of a full covariance, relative to the mean variance:
 *  Sigma + ridge * (trace(Sigma) / D) * I.  It bounds Sigma's condition
 *  number by 1 + D / ridge whatever the data (the largest eigenvalue is at
 *  most the trace), so that the Cholesky factor and the prediction are
 *  accurate to about 1e-16 * (1 + D / ridge) relative; on the MNIST sample
 *  it changes the test accuracy by 0.005 from the unregularised model's
 *  (doc/benchmarks.md). */
#define PMK_GNB_RIDGE_DEFAULT 1e-3

/** Most classes a model may have by default (a guard against a real-valued
 *  column taken as labels: memory grows as K*D). */
#define PMK_GNB_MAX_CLASSES_DEFAULT 1000

/** Largest K*D a model may have (model files claiming more are refused before
 *  any allocation). */
#define PMK_GNB_MAX_PARAMS ((size_t)1 << 26)

/** Fitting options.  Copied into the model (the prior list too). */
typedef struct pmk_gnb_options {
    pmk_transform transform; /**< applied to every raw value at fit and predict
                                 time (pmk/dataset.h).  scale 0 = the default
                                 policy, pmk_transform_auto over the rows fitted
                                 until the first pmk_gnb_finish, which fixes it;
                                 a threshold or check01 needs an explicit scale
                                 [scale 0 (auto), threshold 0, check01 0] */
    double var_smoothing;   /**< epsilon >= 0: epsilon * max_d Var(x_d) is added to
                                 every variance, Var the class-blind population
                                 variance of the training rows [1e-9] */
    double var_floor;       /**< absolute floor >= 0: a variance below it after
                                 smoothing is raised to it [0] */
    int variance;           /**< PMK_GNB_VAR_SHARED [default] or _CLASS */
    int priors;             /**< PMK_GNB_PRIOR_EMPIRICAL [default], _UNIFORM, _EXPLICIT */
    const double *prior;    /**< explicit priors (PMK_GNB_PRIOR_EXPLICIT), one per
                                 class in increasing label order, each > 0,
                                 summing to 1 within 1e-9 */
    size_t n_prior;         /**< entries in @c prior */
    size_t max_classes;     /**< refuse more distinct labels [PMK_GNB_MAX_CLASSES_DEFAULT] */
    int covariance;         /**< PMK_GNB_COV_DIAG [default] or _FULL (then variance
                                 must be _SHARED; var_smoothing and var_floor shape
                                 only the diagonal variances that show and export
                                 give, not the prediction) */
    double ridge;           /**< full covariance: epsilon >= 0, Sigma = S / N +
                                 epsilon * (trace(S / N) / D) * I, S the pooled
                                 within-class scatter [PMK_GNB_RIDGE_DEFAULT] */
} pmk_gnb_options;

/** Fills @p o with the defaults in brackets above. */
PMK_API void pmk_gnb_options_init_default(pmk_gnb_options *o);

/** Sets the option @p name of @p o from the text @p value, as `pmk gnb fit`
 *  takes it (numbers in the C locale): "var-smoothing", "var-floor" (finite
 *  numbers), "variance" ("shared" or "class"), "covariance" ("diag" or
 *  "full"), "ridge" (a finite number), "max-classes" (a
 *  non-negative integer), "priors" ("empirical", "uniform", or a
 *  comma-separated list of numbers, one per class in increasing label
 *  order: PMK_GNB_PRIOR_EXPLICIT, the list malloc'ed into *@p list, which
 *  the caller frees once @p o is no longer used; a list already there is
 *  freed first; the list is checked by pmk_gnb_options_check at once).
 *  Ranges are checked by pmk_gnb_options_check.  PMK_EINVAL with a message
 *  about the value, without the name ("'x' is not a finite number"; "no
 *  option 'NAME'"); PMK_ENOMEM. */
PMK_API int pmk_gnb_options_set(pmk_gnb_options *o, const char *name, const char *value,
                                double **list, pmk_error *err);

/** Checks @p o (the transform, ranges, prior list entries and sum).  The
 *  prior list's length is checked against K by pmk_gnb_finish.
 *  @return PMK_OK or PMK_EINVAL. */
PMK_API int pmk_gnb_options_check(const pmk_gnb_options *o, pmk_error *err);

/** An opaque Gaussian classifier: statistics, and once finished, the
 *  parameters. */
typedef struct pmk_gnb pmk_gnb;

/** An empty model for @p D features (no classes yet).  @p opt may be NULL
 *  for defaults; it is checked and copied.  @return a model owned by the
 *  caller (pmk_gnb_free), or NULL with PMK_EINVAL (D = 0, bad options) or
 *  PMK_ENOMEM in @p err. */
PMK_API pmk_gnb *pmk_gnb_alloc(size_t D, const pmk_gnb_options *opt, pmk_error *err);

/** Frees the model; NULL is accepted. */
PMK_API void pmk_gnb_free(pmk_gnb *m);

/** Adds the N rows of @p X (N x D, raw) with labels @p y (N) to the
 *  statistics: per class, the chunk's count, mean and squared deviations
 *  (two passes over the chunk) are merged into the running ones with the
 *  Chan-Golub-LeVeque update.  New labels become new classes.  The model needs
 *  pmk_gnb_finish before predicting again.  Errors: PMK_EINVAL when X has the
 *  wrong number of columns; PMK_EDATA for a non-finite value or, with
 *  check01, a transformed value outside [0,1] (err->line / err->column:
 *  1-based row in the chunk and column) or too many classes (err->line: the
 *  row).  On error the model is unchanged. */
PMK_API int pmk_gnb_partial_fit(pmk_gnb *m, const gsl_matrix *X, const long *y, pmk_error *err);

/** pmk_gnb_partial_fit with a weight w_i >= 0 per row (@p w, N of them;
 *  NULL: all 1): the weighted maximum-likelihood fit, every sum over rows
 *  weighted (N_k = sum of the class's weights, mu_k = sum w x / N_k,
 *  M2_k = sum w (x - mu_k)^2, so alpha_k = N_k / N and the variances are
 *  M2 / N_k, or pooled M2 / N), streamed and merged by the same Chan
 *  update with N_k the weight sums.  A row of weight 2 and the row given
 *  twice make the same statistics (bit for bit where the sums are exact:
 *  small integers, dyadic means).  A row of weight 0 is as if absent: it
 *  makes no class and does not count for the automatic scale.  PMK_EDATA
 *  "weight W is negative" (or "not finite"), err->line its 1-based row; the
 *  errors of pmk_gnb_partial_fit, their rows counted in @p X. */
PMK_API int pmk_gnb_partial_fit_weighted(pmk_gnb *m, const gsl_matrix *X, const long *y,
                                         const double *w, pmk_error *err);

/** pmk_gnb_partial_fit_weighted for labels that are any token (a CSV chunk
 *  read with label_tokens: pmk_data_chunk.tok): y[i] indexes the @p ntok
 *  tokens @p tok.  The model's classes become tokens in byte order
 *  (pmk_gnb_token): an integer model's labels turn into their decimal
 *  tokens, and a new token's class is inserted in place, so the statistics
 *  are those of a fit in any order.  A token model then has labels 0..K-1
 *  (pmk_gnb_labels: the class indices).  @p tok NULL: integer labels, as
 *  pmk_gnb_partial_fit_weighted (PMK_EINVAL on a token model).  PMK_EDATA
 *  "more than MAX distinct labels"; the errors of the weighted fit.  On
 *  error the model is unchanged. */
PMK_API int pmk_gnb_partial_fit_tokens(pmk_gnb *m, const gsl_matrix *X, const long *y,
                                       const double *w, const char *const *tok, size_t ntok,
                                       pmk_error *err);
/** The full covariance Sigma used for prediction (D x D, ridge included), in
 *  scaled units.  NULL unless the model is finished with PMK_GNB_COV_FULL. */
PMK_API const gsl_matrix *pmk_gnb_covariance(const pmk_gnb *m);

/** What the ridge added to Sigma's diagonal: ridge * trace(S / N) / D (0
 *  for a diagonal model). */
PMK_API double pmk_gnb_ridge_added(const pmk_gnb *m);

/** Computes variances, priors and the prediction coefficients from the
 *  statistics; with an automatic scale, the first call chooses it
 *  (pmk_transform_auto over the raw values fitted) and rescales the
 *  statistics.  PMK_EDATA when no rows were seen, when a variance is zero
 *  (all features constant and no floor), or when a class's log-density
 *  overflows (err->line is then that class's 1-based index); PMK_EINVAL (a
 *  bad option, found only now that K is known) when an explicit prior list
 *  does not have one entry per class. */
PMK_API int pmk_gnb_finish(pmk_gnb *m, pmk_error *err);

/** Convenience: alloc + partial_fit + finish on data held in memory (X is
 *  N x D, y has N labels; neither is kept).  @return a finished model owned
 *  by the caller, or NULL with the status of the step that failed. */
PMK_API pmk_gnb *pmk_gnb_fit(const gsl_matrix *X, const long *y, const pmk_gnb_options *opt,
                             pmk_error *err);

/** A new finished model from the pooled statistics of two finished models
 *  @p a and @p b (same D, transform, smoothing, floor, variance mode and prior mode; equal explicit prior
 *  lists).  Labels are the union.  @return NULL on error (PMK_EINVAL naming the
 *  mismatch). */
PMK_API pmk_gnb *pmk_gnb_merge(const pmk_gnb *a, const pmk_gnb *b, pmk_error *err);

/* ---------------------------------------------------------------- accessors */

PMK_API size_t pmk_gnb_nfeatures(const pmk_gnb *m);      /**< D */
PMK_API size_t pmk_gnb_nclasses(const pmk_gnb *m);       /**< K */
PMK_API double pmk_gnb_ntrain(const pmk_gnb *m);         /**< N, rows fitted so far */
PMK_API int pmk_gnb_is_finished(const pmk_gnb *m);       /**< 1 when ready to predict */
/** The options the model was made with (its own copy; valid while it
 *  lives).  Once finished, transform.scale is the scale in use (an automatic
 *  one resolved). */
PMK_API const pmk_gnb_options *pmk_gnb_get_options(const pmk_gnb *m);
/** K labels, increasing (a model of tokens: 0..K-1, pmk_gnb_token names them;
 *  pmk_gnb_predict then gives these class indices, and pmk_gnb_eval_add's
 *  integer labels are the classes of their decimal tokens). */
PMK_API const long *pmk_gnb_labels(const pmk_gnb *m);
/** The class index of @p label, or -1 when the model has no such class. */
PMK_API long pmk_gnb_class_index(const pmk_gnb *m, long label);
/** The token of class @p k of a token model (owned by the model), or NULL
 *  for a model of integer labels (or k >= K). */
PMK_API const char *pmk_gnb_token(const pmk_gnb *m, size_t k);
PMK_API const double *pmk_gnb_counts(const pmk_gnb *m);  /**< K counts N_k */
/** K x D class means, in scaled units (in raw units while an automatic
 *  scale is still open, before the first finish).  The views below stay valid
 *  until the model changes (partial_fit, finish); NULL while the model has no
 *  class. */
PMK_API const gsl_matrix *pmk_gnb_means(const pmk_gnb *m);
/** K x D sums of squared deviations from the class means (scaled units). */
PMK_API const gsl_matrix *pmk_gnb_m2(const pmk_gnb *m);
/** K x D variances used for prediction, smoothing and floor included (rows
 *  identical in shared mode).  NULL unless finished. */
PMK_API const gsl_matrix *pmk_gnb_variances(const pmk_gnb *m);
/** K priors alpha_k.  NULL unless finished. */
PMK_API const gsl_vector *pmk_gnb_priors(const pmk_gnb *m);
/** D class-blind population variances Var(x_d) of the training rows (scaled
 *  units).  NULL unless finished. */
PMK_API const gsl_vector *pmk_gnb_pop_variances(const pmk_gnb *m);
/** D class-blind means of the training rows (scaled units): the centre
 *  subtracted before prediction.  NULL unless finished. */
PMK_API const gsl_vector *pmk_gnb_pop_means(const pmk_gnb *m);
/** epsilon * max_d Var(x_d): what smoothing added to every variance. */
PMK_API double pmk_gnb_smoothing_added(const pmk_gnb *m);
/** Mean NLL per training row, -(1/N) sum_i [log p(x_i|y_i) + log alpha_{y_i}],
 *  computed exactly from the statistics (no second pass over the data). */
PMK_API double pmk_gnb_train_mean_nll(const pmk_gnb *m);

/** Checks a transform asked for by a user of a finished model (a CLI option)
 *  against the model's: @p asked->scale > 0 and @p asked->threshold > 0 are
 *  requests (0 = not asked, use the model's); check01 is not compared.
 *  PMK_EINVAL naming both values when a request differs from the model's
 *  (a scale by more than 1e-12 relative): data transformed otherwise than
 *  the training rows would be scored wrongly. */
PMK_API int pmk_gnb_check_transform(const pmk_gnb *m, const pmk_transform *asked, pmk_error *err);

/* ---------------------------------------------------------------- prediction */

/** Joint log-likelihoods J[i,k] = log alpha_k + log p(x_i | y = k) for the N
 *  raw rows of @p X (N x D), transformed as the model was; @p J is N x K.  Computed in blocks of rows
 *  with two GEMMs over centred data using the quadratic expansion
 *  sum_d (x_d - mu_kd)^2 / s2_kd = sum x^2/s2 - 2 sum x mu/s2 + sum mu^2/s2.
 *  PMK_EINVAL on a shape mismatch or an unfinished model; PMK_EDATA, with
 *  check01, for a transformed value outside [0,1] (err->line / err->column
 *  as pmk_gnb_partial_fit). */
PMK_API int pmk_gnb_joint_log_likelihood(const pmk_gnb *m, const gsl_matrix *X, gsl_matrix *J,
                                         pmk_error *err);

/** Log-posteriors log p(y = k | x_i): J normalised row-wise by log-sum-exp. */
PMK_API int pmk_gnb_predict_log_proba(const pmk_gnb *m, const gsl_matrix *X, gsl_matrix *L,
                                      pmk_error *err);

/** Posteriors p(y = k | x_i); each row sums to 1. */
PMK_API int pmk_gnb_predict_proba(const pmk_gnb *m, const gsl_matrix *X, gsl_matrix *P,
                                  pmk_error *err);

/** The most probable label for each of the N rows (ties: the smaller label). */
PMK_API int pmk_gnb_predict(const pmk_gnb *m, const gsl_matrix *X, long *labels, pmk_error *err);

/* ---------------------------------------------------------------- evaluation */

/** Running evaluation over labelled chunks.  Read the fields; free with
 *  pmk_gnb_eval_free. */
typedef struct pmk_gnb_eval {
    size_t k;               /**< classes (the model's) */
    size_t n;               /**< rows seen */
    size_t correct;         /**< rows predicted right */
    double sum_nll;         /**< sum_i -(log alpha_{y_i} + log p(x_i | y_i)) */
    double sum_log_post;    /**< sum_i log p(y_i | x_i) */
    size_t *confusion;      /**< K x K row-major: [true class][predicted class];
                                 NULL when K > PMK_GNB_EVAL_CONFUSION_MAX (the
                                 per-class counts below still hold) */
    size_t zero_var_rows;   /**< rows differing from the class mean in a
                                 dimension whose fitted variance (before smoothing
                                 and floor) is zero for their class */
    size_t *support;        /**< K: rows whose true class is k */
    size_t *predicted;      /**< K: rows predicted as class k */
    size_t *hits;           /**< K: rows of class k predicted right */
    /* The rates of the counts above, kept up to date by pmk_gnb_eval_add
     * (NaN where undefined: no rows yet, no row predicted or of a class). */
    double accuracy;        /**< correct / n */
    double mean_nll;        /**< sum_nll / n */
    double mean_log_post;   /**< sum_log_post / n */
    double *precision;      /**< K: pmk_gnb_eval_precision of each class */
    double *recall;         /**< K: pmk_gnb_eval_recall of each class */
    double *f1;             /**< K: pmk_gnb_eval_f1 of each class */
    /* Averages as scikit-learn's classification_report gives them: over the
     * classes that occur among the true or the predicted labels, a precision
     * or recall that is undefined counting as 0 (its zero_division default);
     * macro: the plain mean of the per-class figures, weighted: weighted by
     * support.  NaN before any row. */
    double macro_precision, macro_recall, macro_f1;
    double weighted_precision, weighted_recall, weighted_f1;
    double log_loss;        /**< -mean_log_post: the mean of -log p(y_i | x_i),
                                 scikit-learn's log_loss without its clipping */
    /* Internal, not to be touched: sum_nll and sum_log_post held as
     * fixed-point integers (whole part, 2^-52 units), which add
     * associatively, so that evaluations merged in any grouping (threads'
     * ranges, files) give the very bits of one pass; fix_off_ 1 once a term
     * did not fit (beyond 2^40, or not finite): the plain sums then hold. */
    long long fix_whole_[2], fix_frac_[2];
    int fix_off_;
} pmk_gnb_eval;

/** The largest K for which pmk_gnb_eval keeps the K x K confusion matrix
 *  (8 MiB of counts); above it, memory stays O(K). */
#define PMK_GNB_EVAL_CONFUSION_MAX 1024

/** A zeroed evaluation for model @p m.  @return NULL when out of memory. */
PMK_API pmk_gnb_eval *pmk_gnb_eval_alloc(const pmk_gnb *m, pmk_error *err);

/** Frees @p e; NULL is accepted. */
PMK_API void pmk_gnb_eval_free(pmk_gnb_eval *e);

/** Adds N rows (X raw, y their labels).  A label the model never saw is
 *  PMK_EDATA naming it, with err->line the 1-based row in the chunk; @p e is
 *  then unchanged. */
PMK_API int pmk_gnb_eval_add(pmk_gnb_eval *e, const pmk_gnb *m, const gsl_matrix *X,
                             const long *y, pmk_error *err);

/** pmk_gnb_eval_add for labels that are any token (a chunk read with
 *  label_tokens: pmk_data_chunk.tok): y[i] indexes the @p ntok tokens
 *  @p tok.  A token is the class of that token on a token model, and on an
 *  integer model the class of the integer it spells ("7"; "cat" is none).
 *  A token the model lacks is PMK_EDATA "label cat was not seen in training
 *  (...)", err->line its 1-based row, as for an integer; an index outside
 *  the tokens PMK_EINVAL.  @p tok NULL: pmk_gnb_eval_add. */
PMK_API int pmk_gnb_eval_add_tokens(pmk_gnb_eval *e, const pmk_gnb *m, const gsl_matrix *X,
                                    const long *y, const char *const *tok, size_t ntok,
                                    pmk_error *err);

/** The evaluation @p e of model @p m as text: scikit-learn's
 *  classification_report(digits=4) layout (a header, each class's label,
 *  precision, recall, F1 and support, "-" where undefined; then the
 *  accuracy, macro average and weighted average rows; the first column as
 *  wide as "weighted avg" or the longest label), then the confusion matrix
 *  (rows: true label, columns: predicted label; or a line saying there is
 *  none above PMK_GNB_EVAL_CONFUSION_MAX classes), each part after a blank
 *  line, numbers in the C locale.  Every class of the model has a row
 *  (scikit-learn leaves out those neither true nor predicted).  @return a
 *  new string (free()), NULL when out of memory. */
PMK_API char *pmk_gnb_eval_report(const pmk_gnb_eval *e, const pmk_gnb *m);

/** Adds the evaluation @p e of model @p m to @p r, as `pmk gnb eval` prints
 *  it: text lines (rows, accuracy, mean NLL, log-loss, then the table of
 *  pmk_gnb_eval_report) and the JSON members "n", "correct", "accuracy",
 *  "mean_nll", "mean_log_posterior", "log_loss", "zero_variance_rows",
 *  "labels", "precision", "recall", "f1", "support" (lists in class order),
 *  "macro_precision", "macro_recall", "macro_f1", "weighted_precision",
 *  "weighted_recall", "weighted_f1" and "confusion" (null above
 *  PMK_GNB_EVAL_CONFUSION_MAX classes).  Out of memory is kept in @p r
 *  (pmk_report_write returns it). */
PMK_API void pmk_gnb_eval_to_report(const pmk_gnb_eval *e, const pmk_gnb *m, pmk_report *r);

/** Precision and recall of class index @p k (NaN when undefined: no row
 *  predicted / none of that class). */
PMK_API double pmk_gnb_eval_precision(const pmk_gnb_eval *e, size_t k);
/** Recall of class index @p k: correct / rows of that class (NaN when none). */
PMK_API double pmk_gnb_eval_recall(const pmk_gnb_eval *e, size_t k);
/** F1 of class index @p k, the harmonic mean of precision and recall:
 *  2 hits / (support + predicted): 2PR/(P+R) where both are defined, 0
 *  where one is (the class never predicted, or never true), NaN where the
 *  class is neither true nor predicted in any row. */
PMK_API double pmk_gnb_eval_f1(const pmk_gnb_eval *e, size_t k);
/** Recomputes every rate of @p e (accuracy, the means, log-loss, precision,
 *  recall, F1 and their averages) from its counts and sums: for a caller
 *  that added the counts and sums of several evaluations (MPI ranks). */
PMK_API void pmk_gnb_eval_rates(pmk_gnb_eval *e);

/* ---------------------------------------------------------------- data sets
 *
 * The model over the data-set layer (pmk/dataset.h): what `pmk gnb` does,
 * for any program.  CSV or IDX, chunk by chunk; messages name the file and
 * the row's place: "FILE:LINE: cause" (CSV), "FILE: record R: cause" (IDX),
 * with " (feature C)" when a value is at fault. */

/** A streaming fit of a data set, iterate-style:
 *      f = pmk_gnb_fitter_open(path, dopt, gopt, 1, err);
 *      do rc = pmk_gnb_fitter_iterate(f, &done, err);   (report progress)
 *      while (!rc && !done);
 *      pmk_gnb_fitter_train_eval(f, &e, err);   (optional)
 *      m = pmk_gnb_fitter_take(f);  pmk_gnb_fitter_free(f);
 *  Memory: the model's O(K D) and one chunk, whatever the number of rows. */
typedef struct pmk_gnb_fitter pmk_gnb_fitter;

/** Opens @p path ("-" = stdin) with @p dopt (NULL: defaults; copied) for a
 *  fit with @p gopt (NULL: defaults).  With dopt->threads other than 1 and
 *  a plain file, the fit reads that many ranges at once (pmk/threads.h):
 *  the same bits for the same count, parameters within 1e-12 relative
 *  otherwise, and then no byte copy (the training pass reads over ranges
 *  too).  With @p train_pass, rows whose values
 *  are all integers 0..255 are also copied as bytes to an anonymous
 *  temporary file as they are fitted, so that pmk_gnb_fitter_train_eval
 *  needs no second parse.  @return NULL with the reader's or the options'
 *  error (PMK_EINVAL for data without labels). */
PMK_API pmk_gnb_fitter *pmk_gnb_fitter_open(const char *path, const pmk_data_options *dopt,
                                            const pmk_gnb_options *gopt, int train_pass,
                                            pmk_error *err);

/** Weights the rows (pmk_gnb_partial_fit_weighted) by the numbers of the
 *  text file @p path (gzip or plain, "-" = stdin): one per line, line i for
 *  the i-th data row read, in the C locale.  Call before the first
 *  pmk_gnb_fitter_iterate.  The file's errors come from iterate, with their
 *  place: "PATH:LINE:COL: weight -1 is negative (0 drops a row)", "'x' is
 *  not a finite number", "one weight per line", "PATH: no weight for DATA
 *  line L" (or record R), "PATH:LINE: more weights than the N rows of DATA"
 *  (PMK_EDATA).  See pmk_gnb_fitter_train_eval for the training rows'
 *  evaluation.
 *  A weight column (pmk_data_options.weight_col, the CSV reader's checks)
 *  weights the rows without this call, with the same result bit for bit
 *  (that fit is read on one thread, as a weights file is).
 *  @return PMK_OK, or the file's open error (PMK_EIO), PMK_EINVAL when
 *  rows were already fitted or the data have a weight column. */
PMK_API int pmk_gnb_fitter_set_weights(pmk_gnb_fitter *f, const char *path, pmk_error *err);

/** Reads and fits the next chunk; at the end of the data finishes the
 *  model and sets *@p done.  Errors as pmk_data_read_chunk,
 *  pmk_gnb_partial_fit and pmk_gnb_finish, placed in the file; "no data
 *  rows to fit on" (PMK_EDATA) for a data set without rows. */
PMK_API int pmk_gnb_fitter_iterate(pmk_gnb_fitter *f, int *done, pmk_error *err);

/** Rows fitted so far. */
PMK_API double pmk_gnb_fitter_rows(const pmk_gnb_fitter *f);

/** The model being fitted (finished once done; owned by the fitter). */
PMK_API const pmk_gnb *pmk_gnb_fitter_model(const pmk_gnb_fitter *f);

/** Once done: the finished model evaluated on its own training rows, from
 *  the byte copy, else by reading the file again.  *@p out (caller's, NULL on
 *  error) stays NULL with PMK_OK when neither can be: stdin, or a fit with
 *  weights, whose values are not all bytes.  With weights, the rows of
 *  weight 0 are left out and every other row counts once. */
PMK_API int pmk_gnb_fitter_train_eval(pmk_gnb_fitter *f, pmk_gnb_eval **out, pmk_error *err);

/** Runs the fit to its end (pmk_gnb_fitter_iterate until done), then, when
 *  @p train is non-NULL, evaluates the model on its training rows
 *  (pmk_gnb_fitter_train_eval: *@p train may stay NULL with PMK_OK), and
 *  hands the model over: *@p out (caller's, pmk_gnb_free), NULL on error.
 *  Errors as pmk_gnb_fitter_iterate: the data's, placed in the file, and
 *  PMK_EINVAL for an option found bad only at the end (an explicit prior
 *  list whose length is not K). */
PMK_API int pmk_gnb_fitter_run(pmk_gnb_fitter *f, pmk_gnb **out, pmk_gnb_eval **train,
                               pmk_error *err);

/** Once done: hands the finished model to the caller (NULL before). */
PMK_API pmk_gnb *pmk_gnb_fitter_take(pmk_gnb_fitter *f);

/** Frees the fitter (and its model unless taken); NULL is accepted. */
PMK_API void pmk_gnb_fitter_free(pmk_gnb_fitter *f);

/** Opens @p path with @p o (pmk_data_open) for the model @p m: *@p out a
 *  reader (caller's, pmk_data_close), NULL on error.  PMK_EDATA "DATA: D
 *  features per row, but the model MODEL has D'" when the widths differ,
 *  MODEL being @p model_name, with a hint when one more or one less column
 *  would fit (a label column read as a feature, or missing); the reader's
 *  errors. */
PMK_API int pmk_gnb_open_data(const pmk_gnb *m, const char *model_name, const char *path,
                              const pmk_data_options *o, pmk_data_reader **out, pmk_error *err);

/** Loads the models of @p paths (n >= 1) and merges them in order
 *  (pmk_gnb_merge): *@p out a new finished model (caller's), NULL on
 *  error: a load's error, or a merge's prefixed with the path of the model
 *  that does not fit the ones before ("PATH: ..."). */
PMK_API int pmk_gnb_merge_files(const char *const *paths, size_t n, pmk_gnb **out,
                                pmk_error *err);

/** Evaluates @p m on every remaining labelled row of @p r: *@p out a new
 *  evaluation (caller's), NULL on error.  PMK_EINVAL for a reader without
 *  labels, PMK_EDATA for a data set without rows ("no data rows to
 *  evaluate") or a label the model never saw; the reader's errors.  A
 *  reader that has read nothing yet, of a plain file (not stdin, not gzip),
 *  opened with threads other than 1: the file is read again over that many
 *  ranges at once (the counts are the same; the sums of the mean NLL and
 *  log posterior are added in range order) and @p r is left unread. */
PMK_API int pmk_gnb_eval_reader(const pmk_gnb *m, pmk_data_reader *r, pmk_gnb_eval **out,
                                pmk_error *err);

/** What pmk_gnb_predict_write adds after each predicted label. */
enum { PMK_GNB_LABELS = 0, PMK_GNB_PROBA = 1, PMK_GNB_LOG_PROBA = 2 };

/** Writes to @p out a CSV with a header line ("label", then "p_LABEL" or
 *  "logp_LABEL" per class) and, for every remaining row of @p r, its most
 *  probable label and with @p columns PMK_GNB_PROBA / _LOG_PROBA each
 *  class's posterior / log-posterior (%.17g).  Stops at the first error
 *  (rows before it are written); the caller checks @p out for write errors.
 *  Over ranges as pmk_gnb_eval_reader (each range's lines in a temporary
 *  file, copied in file order: the same bytes); on an error nothing is
 *  written then. */
PMK_API int pmk_gnb_predict_write(const pmk_gnb *m, pmk_data_reader *r, int columns, FILE *out,
                                  pmk_error *err);

/** pmk_gnb_predict_write into the file @p path ("-" = stdout), written
 *  atomically: on any error (the prediction's, or PMK_EIO writing) the
 *  target is left as it was. */
PMK_API int pmk_gnb_predict_save(const pmk_gnb *m, pmk_data_reader *r, int columns,
                                 const char *path, pmk_error *err);

/* ---------------------------------------------------------------- several files
 *
 * Several data files taken as one data set, in file order (gnb_files.c);
 * with one file each is exactly its one-file counterpart. */

/** Fits the files @p paths (n >= 1) as one data set: each by its fitter
 *  (@p dopt, @p gopt as pmk_gnb_fitter_open), the models pooled in file
 *  order by pmk_gnb_merge (the one-pass fit to rounding).  With @p train,
 *  *@p train is the model's evaluation on the files' rows (one file:
 *  pmk_gnb_fitter_run's; several: pmk_gnb_eval_files).  *@p out a new
 *  finished model (caller's), NULL on error: a file's (one that does not
 *  open: its reader's status, PMK_EINVAL given as PMK_EDATA), or a merge's
 *  prefixed "PATH: " with the file that does not fit the ones before;
 *  PMK_EINVAL for n = 0 or an option found bad at the end. */
PMK_API int pmk_gnb_fit_files(const char *const *paths, size_t n, const pmk_data_options *dopt,
                              const pmk_gnb_options *gopt, pmk_gnb **out, pmk_gnb_eval **train,
                              pmk_error *err);

/** pmk_gnb_eval_reader over each of the files @p paths (n >= 1) opened by
 *  pmk_gnb_open_data with @p o (@p model_name NULL: "(the model)"), the
 *  evaluations summed in file order (pmk_gnb_eval_merge): *@p out (caller's),
 *  NULL on error; the first file's error stops it (one that does not open:
 *  PMK_EINVAL given as PMK_EDATA; PMK_EINVAL: a reader without labels). */
PMK_API int pmk_gnb_eval_files(const pmk_gnb *m, const char *model_name,
                               const char *const *paths, size_t n, const pmk_data_options *o,
                               pmk_gnb_eval **out, pmk_error *err);

/** Adds the counts and sums of @p b to @p a (evaluations of one model) and
 *  refreshes @p a's rates (pmk_gnb_eval_rates): the evaluation of both sets
 *  of rows.  PMK_EINVAL when the class counts differ. */
PMK_API int pmk_gnb_eval_merge(pmk_gnb_eval *a, const pmk_gnb_eval *b, pmk_error *err);

/** pmk_gnb_predict_write over the files @p paths (n >= 1) in order, into
 *  @p out: one header line, then every file's rows.  Stops at the first
 *  error (earlier files' rows are written). */
PMK_API int pmk_gnb_predict_files(const pmk_gnb *m, const char *model_name,
                                  const char *const *paths, size_t n,
                                  const pmk_data_options *o, int columns, FILE *out,
                                  pmk_error *err);

/** The picture `pmk gnb show` draws: the K class means as tiles of @p th
 *  rows x @p tw columns (black at the smallest mean, white at the largest),
 *  @p ncols tiles to a row in increasing label order, then on a new row the
 *  standard deviation image(s) sqrt(var), one in shared mode, K in class
 *  mode (white = the largest).  th x tw must be D; th = tw = 0 asks for
 *  square tiles ("D features is not a square image" when D is not a
 *  square); ncols 0 is min(K, 10).  *@p out: a new image (pmk_image_free),
 *  NULL on error: PMK_EINVAL (a shape that does not hold D, an unfinished
 *  model), PMK_ELIMIT (the memory ceiling), PMK_ENOMEM. */
PMK_API int pmk_gnb_montage(const pmk_gnb *m, size_t th, size_t tw, size_t ncols,
                            pmk_image **out, pmk_error *err);

/** Files pmk_gnb_export may write: the last only for a full covariance. */
#define PMK_GNB_EXPORT_FILES 5

/** The name of export file @p i (0 to PMK_GNB_EXPORT_FILES - 1): "mu.csv",
 *  "var.csv", "priors.csv", "transform.csv", "cov.csv"; NULL past the last. */
PMK_API const char *pmk_gnb_export_file(size_t i);

/** Writes a finished model's parameters as CSV files into the folder @p dir
 *  (created when missing), as one set (pmk_csv_write_set: they change
 *  together or not at all).  mu.csv: "label,mu0,...", one row of class
 *  means per class; var.csv: "label,var0,..." the variances used for
 *  prediction; priors.csv: "label,prior,count"; transform.csv: "scale" and
 *  the model's scale (means and variances are in scaled units: x' = scale *
 *  x); a full-covariance model (PMK_GNB_COV_FULL) also cov.csv:
 *  "feature,cov0,...", the D x D covariance used for prediction (ridge
 *  included, scaled units), row i feature i, and its diagonal as every row
 *  of var.csv.  Errors as pmk_csv_write_set; PMK_EINVAL for an unfinished
 *  model. */
PMK_API int pmk_gnb_export(const pmk_gnb *m, const char *dir, pmk_error *err);


/* ---------------------------------------------------------------- files */

/** Current model file format version.  A model whose transform is a plain
 *  scale (no threshold, no check01) is written as version 1, which every pmk
 *  reads; version 2 adds the 'threshold' and 'check01' lines; version 3, for
 *  a weighted fit whose class counts (sums of weights) are not all integers,
 *  allows any positive count and rows; version 4, for a full covariance
 *  (PMK_GNB_COV_FULL), adds the 'covariance' and 'ridge' lines and the
 *  pooled scatter's rows, and for token labels the 'tokens' line; it allows
 *  what version 3 does. */
#define PMK_GNB_FORMAT_VERSION 4

/** Writes a finished model as text (the format of pmk_gnb_save) to @p f at
 *  its current position; @p f stays open and owned by the caller (a
 *  pmk_outfile's fp, an open_memstream, ...).  Numbers in %.17g in the C
 *  locale (the calling thread's, by uselocale).  Statuses: PMK_EINVAL for an
 *  unfinished model, PMK_EDATA for a value the reader would refuse (a scale
 *  or mean beyond 1e150, see doc/formats.md) with nothing written, PMK_EIO
 *  when @p f reports a write error, PMK_ENOMEM. */
PMK_API int pmk_gnb_write(const pmk_gnb *m, FILE *f, pmk_error *err);

/** Reads one model (the format of pmk_gnb_save) from @p in, which stays open
 *  and owned by the caller, to its end: nothing but blank lines may follow
 *  'end'.  Messages name pmk_instream_path(in), the line and the field.
 *  *@p out: a new finished model owned by the caller, NULL on error.
 *  Statuses as pmk_gnb_load. */
PMK_API int pmk_gnb_read(pmk_instream *in, pmk_gnb **out, pmk_error *err);

/** Writes a finished model as text (see doc/formats.md): magic "pmk-gnb",
 *  version, key/value header, the statistics in %.17g in the C locale,
 *  whatever the caller's locale.  Atomic ("-" = stdout).  Statuses:
 *  PMK_EINVAL for an unfinished model, PMK_EIO (the target left untouched),
 *  PMK_ENOMEM; messages name @p path.  Thread-safe (it switches only the
 *  calling thread's locale, with uselocale).  A path helper over
 *  pmk_gnb_write. */
PMK_API int pmk_gnb_save(const pmk_gnb *m, const char *path, pmk_error *err);

/** Reads a model written by pmk_gnb_save ("-" = stdin, gzip accepted) into a
 *  new finished model, *@p out (owned by the caller: pmk_gnb_free; NULL on
 *  error).  Errors name the file and line: PMK_EFORMAT for another kind of
 *  file, a truncated one or one edited into an invalid state (bad numbers,
 *  counts, labels out of order, ...), PMK_EUNSUP for a newer format version,
 *  PMK_ELIMIT for sizes beyond PMK_GNB_MAX_PARAMS, PMK_EIO, PMK_ENOMEM.
 *  Every number is checked for its kind and range (doc/formats.md).
 *  Save -> load -> save is byte-identical.  A path helper over
 *  pmk_gnb_read. */
PMK_API int pmk_gnb_load(const char *path, pmk_gnb **out, pmk_error *err);

#ifdef __cplusplus
}
#endif
#endif
