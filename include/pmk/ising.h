/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/** @file pmk/ising.h
 * Ising-MRF denoising of binary images (Bishop, PRML §8.3.3):
 * ICM, annealed Gibbs sampling, mean field and the exact MAP by s-t minimum cut.
 *
 * Spins live in memory as signed bytes, row-major, height x width, each -1 or
 * +1 (PBM's convention: +1 = black).  The model over the restored image x given
 * the observed image y is
 *
 *     E(x, y) = h sum_i x_i - beta sum_{i~j} x_i x_j - eta sum_i x_i y_i,
 *
 * with pairs i~j over the 4-neighbourhood (or the 8-neighbourhood) and a free
 * boundary (no pairs leave the image).  Nothing here opens files or prints;
 * randomness comes only from a caller-passed pmk_rng.  Thread-safety: no global
 * state; distinct calls on distinct buffers may run concurrently. */
#ifndef PMK_ISING_H
#define PMK_ISING_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "pmk/status.h"
#include "pmk/rng.h"
#include "pmk/image.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Data costs of the Potts model (pmk_ising_params.data_cost). */
typedef enum pmk_ising_data_cost {
    PMK_ISING_L2 = 0,   /**< (x_i - y_i)^2, levels scaled to [0, 1] */
    PMK_ISING_L1        /**< |x_i - y_i|, levels scaled to [0, 1] */
} pmk_ising_data_cost;

/** The model's parameters.  With levels >= 2 they are those of the Potts
 *  model on grey images (pmk_potts_denoise): beta weighs the smoothness,
 *  eta the data term, h must be 0. */
typedef struct pmk_ising_params {
    double beta;     /**< coupling between neighbours [1] */
    double eta;      /**< coupling to the observation [2.1] */
    double h;        /**< bias; h > 0 favours -1 (white) [0] */
    int neighbours;  /**< 4 or 8 [4] */
    unsigned levels; /**< 0: the binary Ising model; 2..256: the Potts model
                          with this many grey levels [0] */
    pmk_ising_data_cost data_cost;  /**< Potts data term [PMK_ISING_L2] */
} pmk_ising_params;

/** Sets Bishop's defaults: beta 1, eta 2.1, h 0, 4 neighbours, levels 0
 *  (binary), L2 data cost. */
PMK_API void pmk_ising_params_init_default(pmk_ising_params *p);

/** PMK_EINVAL with a readable message unless the parameters are finite,
 *  neighbours is 4 or 8, levels is 0 or 2..256 ("levels must be 0 (binary)
 *  or 2..256, not L"), the data cost is known, and h is 0 under the Potts
 *  model ("h has no meaning in the Potts model (levels L); leave it 0"). */
PMK_API int pmk_ising_params_check(const pmk_ising_params *p, pmk_error *err);

/** pmk_ising_params_check, and PMK_EINVAL, naming the largest term, unless
 *  the energy and every quantity the methods compute stay finite on a
 *  width x height image: B n <= DBL_MAX / 4 with B = |h| + K |beta| + |eta|
 *  (K neighbours, n pixels).  pmk_ising_energy and pmk_ising_denoise call
 *  it; a caller that knows the size early may call it first. */
PMK_API int pmk_ising_params_check_size(const pmk_ising_params *p, size_t width, size_t height,
                                        pmk_error *err);

/** Denoising methods (pmk_ising_options.method). */
typedef enum pmk_ising_method {
    PMK_ISING_ICM = 0,      /**< iterated conditional modes from x = y */
    PMK_ISING_ANNEAL,       /**< Gibbs sampling with a geometric temperature schedule */
    PMK_ISING_MEANFIELD,    /**< damped mean field, thresholded at the end */
    PMK_ISING_MINCUT        /**< exact MAP by s-t minimum cut (beta >= 0) */
} pmk_ising_method;

/** Sweep orders (pmk_ising_options.order). */
typedef enum pmk_ising_order {
    PMK_ISING_RASTER = 0,   /**< row by row, left to right, in place */
    PMK_ISING_RANDOM,       /**< a fresh random permutation per sweep */
    PMK_ISING_CHECKERBOARD  /**< colour classes in turn (2 colours for 4
                                 neighbours, 4 for 8), each updated at once */
} pmk_ising_order;

struct pmk_ising_sweep;

/** How to run pmk_ising_denoise. */
typedef struct pmk_ising_options {
    pmk_ising_method method;  /**< [PMK_ISING_ICM] */
    pmk_ising_order order;    /**< sweep order for ICM, anneal and mean field [raster] */
    size_t max_sweeps;        /**< ICM and mean field: at most this many sweeps [100] */
    double t0;                /**< anneal: start temperature [4] */
    double t_factor;          /**< anneal: T <- T * t_factor after each sweep [0.9] */
    size_t anneal_sweeps;     /**< anneal: sweeps [100] */
    double damping;           /**< mean field: m <- (1-d) m + d tanh(...), 0 < d <= 1 [0.5] */
    double tol;               /**< mean field: stop when max |dm| < tol [1e-6] */
    const int8_t *truth;      /**< optional clean image (width x height spins, not
                                   copied): the trace then counts the errors of
                                   each sweep [NULL] */
    int marginals;            /**< non-zero: pmk_ising_denoise also gives the
                                   probability that each pixel is +1 (black) in
                                   the result's marginals, from marginals_from:
                                   the same run when it is the method, else a
                                   second run of it with these options (and
                                   rng) [0] */
    pmk_ising_method marginals_from;  /**< PMK_ISING_MEANFIELD: (1 + m_i) / 2 of
                                   the final means; PMK_ISING_ANNEAL: the
                                   fraction of the sweep-end samples after
                                   the burn-in that are +1 (with t0 = 1 and
                                   t_factor = 1 a Gibbs estimate of the
                                   posterior marginals) [PMK_ISING_MEANFIELD] */
    double burn_in;           /**< anneal marginals: the first
                                   floor(burn_in * anneal_sweeps) sweeps are
                                   not counted, 0 <= burn_in < 1 [0.5] */
    /** Optional: called after each sweep with its record (e.g. for a progress
     *  line); a non-zero return stops the run early, keeping what was done
     *  (anneal: the best state so far) [NULL]. */
    int (*on_sweep)(const struct pmk_ising_sweep *s, void *arg);
    void *on_sweep_arg;       /**< passed to on_sweep [NULL] */
    int threads;              /**< threads for checkerboard ICM, anneal and mean
                                   field (row bands; the result does not depend
                                   on it): 0 = the cores available [0] */
} pmk_ising_options;

/** Sets the defaults shown above. */
PMK_API void pmk_ising_options_init_default(pmk_ising_options *o);

/** PMK_EINVAL with a readable message for out-of-range options. */
PMK_API int pmk_ising_options_check(const pmk_ising_options *o, pmk_error *err);

/** pmk_ising_params_check and pmk_ising_options_check, and PMK_EINVAL for
 *  a combination no method can run: mincut with beta < 0 ("mincut needs
 *  beta >= 0 (beta = B makes the energy non-submodular); use icm, anneal or
 *  meanfield"); the Potts model (levels >= 2) with anneal or meanfield
 *  ("the Potts model (levels L) is solved by icm or mincut
 *  (alpha-expansion)") or with marginals ("marginals are for the binary
 *  model, not the Potts model (levels L)").  pmk_ising_denoise and
 *  pmk_potts_denoise call it. */
PMK_API int pmk_ising_check(const pmk_ising_params *p, const pmk_ising_options *o,
                            pmk_error *err);

/** The name of a method ("icm", "anneal", "meanfield", "mincut") or of an
 *  order ("raster", "random", "checkerboard"); NULL for a value that is none. */
PMK_API const char *pmk_ising_method_name(pmk_ising_method m);
PMK_API const char *pmk_ising_order_name(pmk_ising_order o);

/** The method or order called @p name (as the functions above spell it,
 *  case-sensitive) into *@p m / *@p o, or PMK_EINVAL: "'NAME' is not one of
 *  icm, anneal, meanfield, mincut" (the orders for an order). */
PMK_API int pmk_ising_method_parse(const char *name, pmk_ising_method *m, pmk_error *err);
PMK_API int pmk_ising_order_parse(const char *name, pmk_ising_order *o, pmk_error *err);

/** The data cost called @p name ("l2", "l1") into *@p c, or PMK_EINVAL:
 *  "'NAME' is not one of l2, l1". */
PMK_API int pmk_ising_data_cost_parse(const char *name, pmk_ising_data_cost *c, pmk_error *err);

/** One sweep's record. */
typedef struct pmk_ising_sweep {
    size_t sweep;         /**< 1-based */
    size_t changed;       /**< spins that changed in this sweep (mean field: of the
                               thresholded image) */
    double energy;        /**< E(x, y) after the sweep (anneal: of the current
                               sample; mean field: of the thresholded image) */
    double temperature;   /**< anneal: the temperature used; else 0 */
    double free_energy;   /**< mean field: the variational free energy
                               sum_i E-terms over the means m = E[x] minus the
                               entropy; else 0 */
    size_t errors;        /**< pixels differing from options.truth after the
                               sweep (0 without a truth image) */
} pmk_ising_sweep;

/** What pmk_ising_denoise reports.  Owns its trace: release with
 *  pmk_ising_result_clear. */
typedef struct pmk_ising_result {
    size_t width, height;    /**< the image's size */
    size_t sweeps;           /**< sweeps run (0 for mincut) */
    int converged;           /**< ICM / mean field: stopped before max_sweeps */
    double energy_initial;   /**< E(y, y) */
    double energy;           /**< E(x, y) of the returned x */
    size_t changed;          /**< pixels where the returned x differs from y */
    size_t errors;           /**< pixels where it differs from options.truth (0
                                  without a truth image) */
    double error;            /**< errors as a fraction of the pixels */
    pmk_ising_sweep *trace;  /**< one record per sweep (malloc'ed) */
    size_t ntrace;           /**< records in @c trace */
    double *marginals;       /**< with options.marginals: width x height
                                  probabilities P(x_i = +1), row-major
                                  (malloc'ed), else NULL */
} pmk_ising_result;

/** Frees the trace and the marginals and zeroes @p r; NULL is accepted. */
PMK_API void pmk_ising_result_clear(pmk_ising_result *r);

struct pmk_report;
/** Adds to @p r the figures of a run of @p o->method under @p p: as text, a
 *  line naming the method, order (not for mincut), neighbours, levels (when
 *  set), beta, eta and h; "sweeps N (converged)" (not for mincut); ICM's
 *  per-sweep lines; "energy E0 -> E"; "changed C of N pixels"; with a truth
 *  image named @p truth (NULL: none) "error P% (E of N pixels differ from
 *  TRUTH)".  As JSON the members "method", "order", "neighbours", "levels",
 *  "beta", "eta", "h", "width", "height", "sweeps", "converged",
 *  "energy_initial", "energy", "changed", ("errors", "error"), "seconds"
 *  (@p seconds, JSON only) and the lists "changed_per_sweep",
 *  "energy_per_sweep" (and "error_per_sweep"), one entry per sweep.  Out of
 *  memory is kept in @p r (pmk_report_write returns it). */
PMK_API void pmk_ising_result_to_report(const pmk_ising_params *p, const pmk_ising_options *o,
                                        const pmk_ising_result *res, const char *truth,
                                        double seconds, struct pmk_report *r);

/** Parses a comma-separated list of distinct method names ("icm,mincut")
 *  into @p out (room for 4) and *@p n.  PMK_EINVAL: "an empty name in the
 *  method list 'LIST'", "'NAME' is listed twice", or pmk_ising_method_parse's
 *  message for an unknown name. */
PMK_API int pmk_ising_method_list_parse(const char *list, pmk_ising_method *out, size_t *n,
                                        pmk_error *err);

/** E(x, y) for spins @p x and @p y (width x height, row-major, each +-1).
 *  The three sums are accumulated in integers, so the result is exact up to
 *  the final three products.  PMK_EINVAL for an empty image or a bad spin. */
PMK_API int pmk_ising_energy(const pmk_ising_params *p, size_t width, size_t height,
                             const int8_t *x, const int8_t *y, double *energy, pmk_error *err);

/** The three sums E(x, y) = h sum_x - beta sum_pairs - eta sum_xy is made of,
 *  exact integers, and the energy they give. */
typedef struct pmk_ising_terms {
    long long sum_x;      /**< sum_i x_i */
    long long sum_pairs;  /**< sum over neighbour pairs <ij> (each once) of x_i x_j */
    long long sum_xy;     /**< sum_i x_i y_i */
    double energy;        /**< h sum_x - beta sum_pairs - eta sum_xy, as pmk_ising_energy */
} pmk_ising_terms;

/** pmk_ising_energy with its three sums: fills @p t.  Same checks and
 *  statuses as pmk_ising_energy. */
PMK_API int pmk_ising_energy_terms(const pmk_ising_params *p, size_t width, size_t height,
                                   const int8_t *x, const int8_t *y, pmk_ising_terms *t, pmk_error *err);

/** E(x with x_m = +1) - E(x with x_m = -1) at pixel (row, col):
 *  2h - 2 beta sum_{j in N(m)} x_j - 2 eta y_m.  No checks. */
PMK_API double pmk_ising_local_delta(const pmk_ising_params *p, size_t width, size_t height,
                                     const int8_t *x, const int8_t *y, size_t row, size_t col);

/** Restores @p x (width x height) from the observation @p y with the method in
 *  @p o (and the marginals when o->marginals is set).  @p x need not be initialised and must not overlap @p y
 *  (it may serve as work space: on failure its content is unspecified).  @p rng is
 *  needed by anneal, by the random order and by marginals from anneal (NULL
 *  is PMK_EINVAL there); @p res (may be NULL) receives the figures, the
 *  trace and the marginals (cleared on failure).
 *  Statuses: PMK_EINVAL for bad parameters or options, an empty image or a
 *  spin of @p y other than +-1, for parameters too large for the image
 *  (pmk_ising_params_check_size), for mincut with beta < 0 (the energy is
 *  then not submodular) and for levels >= 2 (pmk_potts_denoise); PMK_ELIMIT for images of 2^31 pixels or more, or
 *  when the method's work space or the trace of the most sweeps the options
 *  allow exceeds the memory ceiling (pmk_mem_check);
 *  PMK_ENOMEM. */
PMK_API int pmk_ising_denoise(const pmk_ising_params *p, const pmk_ising_options *o,
                              size_t width, size_t height, const int8_t *y, int8_t *x,
                              pmk_rng *rng, pmk_ising_result *res, pmk_error *err);

/** Writes the marginals @p prob (width x height probabilities, row-major)
 *  to @p path: a name ending in .csv (any case) gets a CSV of one header
 *  line "col0,...,colW-1" and one row of W numbers (%.17g, C locale) per
 *  image row; any other name is a grey image in the format its extension or
 *  FMT: prefix names (pmk_image_output_parse; "-" is standard output), maxval
 *  255, level round(255 (1 - p)), so that black is p = 1 as in the image.
 *  Atomic (a temporary beside the target).  PMK_EINVAL for a name that
 *  names no format or a probability outside [0, 1]; PMK_EIO naming the file;
 *  PMK_ENOMEM. */
PMK_API int pmk_ising_marginals_save(const char *path, size_t width, size_t height,
                                     const double *prob, pmk_error *err);

/** Writes the trace of @p res (a run of @p method on @p npixels pixels) to
 *  @p fp as CSV: the header sweep,changed,energy, then ,error (the fraction
 *  of pixels differing from the truth image) when @p with_error, then
 *  ,temperature (anneal) or ,free_energy (mean field); one row a sweep,
 *  numbers with %.17g.  Call it in the C locale.  PMK_EIO when a write fails
 *  (stdio's error flag of @p fp is then set). */
PMK_API int pmk_ising_trace_write(FILE *fp, const pmk_ising_result *res, pmk_ising_method method,
                                  size_t npixels, int with_error, pmk_error *err);

struct pmk_outfile;

/** Opens @p path as the output @p of (pmk_outfile_open), writes the trace of
 *  @p res (pmk_ising_trace_write on its width x height pixels) and syncs it
 *  (pmk_outfile_sync), leaving the caller to commit it, say once the image
 *  it goes with is written, or to abort it.  On error (PMK_EIO naming the
 *  file, PMK_ENOMEM, PMK_EINVAL for an empty name) @p of is left closed. */
PMK_API int pmk_ising_trace_save(struct pmk_outfile *of, const char *path,
                                 const pmk_ising_result *res, pmk_ising_method method,
                                 int with_error, pmk_error *err);

/** Flips exactly round(@p prob * n) distinct spins of @p x[0..n), chosen
 *  uniformly (a partial Fisher-Yates shuffle) with @p rng.  *@p flipped
 *  (may be NULL) receives the count.  Statuses: PMK_EINVAL unless
 *  0 <= prob <= 1, PMK_ELIMIT when n exceeds the generator's range or its
 *  n indices the memory ceiling, PMK_ENOMEM; @p x is unchanged on error. */
PMK_API int pmk_ising_noise_flip(int8_t *x, size_t n, double prob, pmk_rng *rng,
                                 size_t *flipped, pmk_error *err);

/** Adds N(0, (sigma * maxval)^2) to each grey level of @p v[0..n) and rounds
 *  and clips the result to 0..maxval, drawing from @p rng.  PMK_EINVAL
 *  unless 0 <= sigma and sigma * maxval <= 1e15 (@p v then unchanged). */
PMK_API int pmk_ising_noise_gaussian(double *v, size_t n, unsigned maxval, double sigma,
                                     pmk_rng *rng, pmk_error *err);

struct pmk_spin_image;
struct pmk_image;

/** Noise for a test image (`pmk ising noise`): exactly one of flip and
 *  gauss is given (NAN: not given). */
typedef struct pmk_ising_noise {
    double flip;       /**< flip exactly this fraction of a binary image's pixels
                            (pmk_ising_noise_flip), in [0, 1] [NAN] */
    double gauss;      /**< add N(0, (gauss * maxval)^2) to a grey image's levels
                            (pmk_ising_noise_gaussian), >= 0 [NAN] */
    double threshold;  /**< flip: a grey image is first binarised, black where
                            level < threshold * maxval, 0 < threshold <= 1;
                            0 refuses it [0] */
} pmk_ising_noise;

/** Sets the defaults shown above (neither noise given). */
PMK_API void pmk_ising_noise_init_default(pmk_ising_noise *o);

/** PMK_EINVAL with a readable message unless exactly one of flip and gauss
 *  is given ("give exactly one of flip and gauss"), flip is in [0, 1] ("the
 *  flip probability must be in [0, 1], not P"), gauss >= 0 ("the noise
 *  level must be >= 0, not S") and the threshold is valid
 *  (pmk_spin_threshold_check). */
PMK_API int pmk_ising_noise_check(const pmk_ising_noise *o, pmk_error *err);

/** Adds the noise of @p o to an image as pmk_image_read_binary gives it
 *  (spins in *@p spins or grey levels in *@p grey, the other NULL) or as
 *  pmk_image_read does (*@p grey, *@p spins NULL).  Flips need spins: an
 *  image in *@p grey becomes a new *@p spins (its own spins when binary,
 *  else binarised at o->threshold), *@p grey freed and set to NULL.
 *  Gaussian noise needs grey levels in *@p grey.  The result is in whichever of the two is not NULL; *@p count
 *  (may be NULL) receives the pixels flipped or noised.  Randomness from
 *  @p rng only.  Statuses: PMK_EINVAL for bad options (pmk_ising_noise_check)
 *  or a Gaussian level too large (pmk_ising_noise_gaussian); PMK_EDATA for
 *  an image of the wrong kind: "grey image (maxval M): a threshold is needed
 *  to binarise it" (flip, threshold 0) or "Gaussian noise needs a grey
 *  image; this one is binary (flip its pixels instead)"; PMK_ELIMIT,
 *  PMK_ENOMEM.  On error the image may be changed. */
PMK_API int pmk_ising_noise_image(const pmk_ising_noise *o, struct pmk_spin_image **spins,
                                  struct pmk_image **grey, pmk_rng *rng, size_t *count,
                                  pmk_error *err);

/** Reads @p path as the noise of @p o needs it (flips: pmk_image_read_binary;
 *  Gaussian noise: pmk_image_read, levels, so that a PGM of 0 and maxval
 *  only is grey to it) and adds the noise (pmk_ising_noise_image): the
 *  result in *@p spins or *@p grey (the caller's, the other NULL; both
 *  NULL on error).  Errors: the reader's; pmk_ising_noise_image's, an
 *  image of the wrong kind (PMK_EDATA) named "PATH: ...". */
PMK_API int pmk_ising_noise_read(const pmk_ising_noise *o, const char *path,
                                 struct pmk_spin_image **spins, struct pmk_image **grey,
                                 pmk_rng *rng, size_t *count, pmk_error *err);

/* ------------------------------------------------------------------ Potts */

/** A grey image as levels: width x height unsigned 16-bit levels 0..maxval,
 *  row-major, 0 = black (PGM's convention), what pmk_potts_denoise takes
 *  and gives.  Allocate with pmk_grey_image_alloc or the reader; free with
 *  pmk_grey_image_free. */
typedef struct pmk_grey_image {
    size_t width;      /**< columns */
    size_t height;     /**< rows */
    unsigned maxval;   /**< 1..65535 */
    uint16_t *level;   /**< width * height levels */
} pmk_grey_image;

/** Allocates an all-black (0) grey image.  PMK_EINVAL for a width or height
 *  of 0 or a maxval outside 1..65535, PMK_ELIMIT when the pixel count
 *  overflows or exceeds the memory ceiling (pmk_mem_check), PMK_ENOMEM. */
PMK_API pmk_grey_image *pmk_grey_image_alloc(size_t width, size_t height, unsigned maxval,
                                             pmk_error *err);

/** Frees the grey image; NULL is accepted. */
PMK_API void pmk_grey_image_free(pmk_grey_image *g);

/** Reads @p path as pmk_image_read does into grey levels: a grey image keeps
 *  its levels and maxval; a binary one (PBM, 1-bit PNG) becomes maxval 1,
 *  black 0 and white 1.  When @p like is not NULL the image must have its
 *  size, else PMK_EDATA "PATH is WxH but LIKE_PATH is WxH".  The reader's
 *  statuses otherwise; *@p out owned by the caller, NULL on error. */
PMK_API int pmk_grey_image_read(const char *path, const pmk_grey_image *like,
                                const char *like_path, pmk_grey_image **out, pmk_error *err);

/** Writes @p g as pmk_image_write writes a grey image of its maxval in
 *  format @p fmt (AUTO: from the extension), atomically; maxval 1 is
 *  written as the binary image it is (0 black), so PBM works and gives the
 *  bytes pmk_spin_image_write gives for the same picture. */
PMK_API int pmk_grey_image_write(const char *path, const pmk_grey_image *g,
                                 pmk_image_format fmt, pmk_error *err);

/** The Potts energy of labels-as-levels @p x given the observation @p y
 *  (same size and maxval; every level of x one of the L label levels
 *  g_k = round(k maxval / (L - 1))):
 *      E(x, y) = eta sum_i D(x_i, y_i) + beta sum_<ij> [x_i != x_j],
 *  D = ((x_i - y_i) / maxval)^2 (L2) or |x_i - y_i| / maxval (L1).  The two
 *  sums are accumulated exactly in integers.  PMK_EINVAL for bad parameters,
 *  levels 0, images that differ in size or maxval or a level of x that is no
 *  label's; PMK_EDATA for L - 1 > maxval (as pmk_potts_denoise). */
PMK_API int pmk_potts_energy(const pmk_ising_params *p, const pmk_grey_image *x,
                             const pmk_grey_image *y, double *energy, pmk_error *err);

/** Restores a grey image from @p y under the Potts model of @p p (levels
 *  L >= 2): labels are the L grey levels g_k above, and *@p x (allocated
 *  here, y's size and maxval, owned by the caller) receives the levels of
 *  the labels found.  o->method PMK_ISING_ICM: from x = the label nearest
 *  each y_i (a tie: the lower level), pixels visited in o->order, each set
 *  to the label of lowest local energy, keeping its label on a tie, until a
 *  sweep changes nothing or o->max_sweeps; PMK_ISING_MINCUT:
 *  alpha-expansion (Boykov, Veksler & Zabih 2001) from the same start, one
 *  min cut per label, cycling until no expansion lowers E (within a factor
 *  2 of the minimum; exact for L = 2).  @p truth (may be NULL; y's size):
 *  the errors counted are the pixels whose level differs from it.  @p res
 *  (may be NULL) as for pmk_ising_denoise (sweeps: ICM sweeps, or
 *  expansion cycles, one trace record each).  With L = 2 on a binary image
 *  the image is the one pmk_ising_denoise gives with the same beta, eta,
 *  neighbours, method and order (E_ising = 2 E_potts - eta n - beta P, P
 *  the neighbour pairs), up to ties among exact minima for mincut.
 *  Statuses: pmk_ising_check's (PMK_EINVAL), PMK_EINVAL for levels 0 and
 *  o->truth set; PMK_EDATA for L - 1 > maxval ("N levels need a maxval of
 *  at least N-1; this image has M") or a truth image of another size;
 *  PMK_ELIMIT, PMK_ENOMEM. */
PMK_API int pmk_potts_denoise(const pmk_ising_params *p, const pmk_ising_options *o,
                              const pmk_grey_image *y, const pmk_grey_image *truth,
                              pmk_grey_image **x, pmk_rng *rng, pmk_ising_result *res,
                              pmk_error *err);

#ifdef __cplusplus
}
#endif
#endif
