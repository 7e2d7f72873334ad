/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/** @file pmk/image.h
 * Binary and grey images: PBM (P1, P4), PGM (P2, P5), PNG.
 *
 * In memory an image is a height x width gsl_matrix.  A binary image holds
 * spins with PBM's convention: 1 = black = +1, 0 = white = -1.  A grey image
 * holds levels 0..maxval (0 = black).  A grey image becomes binary only through
 * pmk_image_threshold.  Readers detect the format by magic bytes; writers pick
 * it from the file extension (.pbm, .pgm, .png) or a "FMT:" prefix and write
 * atomically.
 *
 * A binary image can also be held as a pmk_spin_image: one signed byte a
 * pixel, the layout the Ising routines (pmk/ising.h) take, read from and
 * written to files directly (PBM bits are unpacked and packed a byte at a
 * time), with no double matrix in between.
 * Thread-safety: no global state. */
#ifndef PMK_IMAGE_H
#define PMK_IMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_matrix.h>
#include "pmk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** An image in memory; allocate with pmk_image_alloc or a reader, free with
 *  pmk_image_free. */
typedef struct pmk_image {
    size_t width;        /**< columns */
    size_t height;       /**< rows */
    int binary;          /**< 1: pix holds +-1 spins (+1 = black); 0: grey levels */
    unsigned maxval;     /**< 1 for binary images; 1..65535 for grey */
    gsl_matrix *pix;     /**< height x width */
} pmk_image;

/** Allocates a zeroed image (a binary one starts all white, -1; its maxval
 *  is set to 1 whatever is passed).  A width or height of 0, or a grey maxval
 *  outside 1..65535, is PMK_EINVAL; a pixel count that overflows is
 *  PMK_ELIMIT, refused before allocating. */
PMK_API pmk_image *pmk_image_alloc(size_t width, size_t height, int binary, unsigned maxval,
                                   pmk_error *err);

/** A deep copy of @p img, owned by the caller, or NULL when out of memory
 *  (PMK_ENOMEM in @p err). */
PMK_API pmk_image *pmk_image_copy(const pmk_image *img, pmk_error *err);

/** Frees the image; NULL is accepted. */
PMK_API void pmk_image_free(pmk_image *img);

/** File formats for pmk_image_write. */
typedef enum pmk_image_format {
    PMK_IMAGE_AUTO = 0,  /**< writer: from the extension; reader: from magic bytes */
    PMK_IMAGE_PBM,       /**< P4 (raw) on write */
    PMK_IMAGE_PGM,       /**< P5 (raw) on write */
    PMK_IMAGE_PNG,
    PMK_IMAGE_PBM_PLAIN, /**< P1 (plain ASCII); chosen explicitly, never from a name */
    PMK_IMAGE_PGM_PLAIN  /**< P2 (plain ASCII); chosen explicitly, never from a name */
} pmk_image_format;

/** The format called @p name: "pbm", "pgm", "png" (case-insensitive; the raw
 *  variants), or PMK_EINVAL naming it. */
PMK_API int pmk_image_format_parse(const char *name, pmk_image_format *fmt, pmk_error *err);

/** Where and how to write an image named @p spec, as a command line gives it:
 *  "FMT:PATH" (FMT a name pmk_image_format_parse knows, e.g. "png:-" for
 *  standard output) gives that format and PATH; otherwise the path is @p spec
 *  and the format *@p fmt as passed in (an explicit choice), or, when that is
 *  PMK_IMAGE_AUTO, the one named by the extension.  On return *@p fmt is never
 *  AUTO and *@p path points into @p spec.  PMK_EINVAL: a prefix that
 *  contradicts an explicit *@p fmt, "-" (standard output) with no format, or
 *  a name whose extension says none. */
PMK_API int pmk_image_output_parse(const char *spec, pmk_image_format *fmt, const char **path,
                                   pmk_error *err);

/** The format named by @p path's extension (case-insensitive .pbm, .pgm,
 *  .png), or PMK_EINVAL naming the path when there is none. */
PMK_API int pmk_image_format_from_path(const char *path, pmk_image_format *fmt,
                                       pmk_error *err);

/** Reads a PBM (P1/P4), PGM (P2/P5, maxval up to 65535) or PNG file ("-" =
 *  stdin; gzip-compressed input is gunzipped by the stream layer).  A PBM or
 *  a 1-bit greyscale PNG gives a binary image; the rest give grey images
 *  (colour PNGs are converted to grey, see doc/formats.md).  *out is
 *  owned by the caller (pmk_image_free), NULL on failure.  Errors name the file and, for text formats, the line:
 *  PMK_EFORMAT (malformed), PMK_EUNSUP (PPM/PAM), PMK_ELIMIT (dimensions
 *  the file or the memory cannot back, refused before allocating: the pixel
 *  matrix must fit in physical memory and, when the environment variable
 *  PMK_MAX_MEMORY is set to a byte count with an optional k/M/G/T suffix,
 *  under that), PMK_EIO / PMK_ENOMEM.  Thread-safe as long as no thread
 *  changes the environment meanwhile. */
PMK_API int pmk_image_read(const char *path, pmk_image **out, pmk_error *err);

/** Writes @p img in format @p fmt (AUTO: from the extension) atomically
 *  (pmk_outfile: a failed write leaves an existing file untouched).  A binary
 *  image (pixel > 0 is black) can be written as PBM, PGM (black 0, white
 *  maxval 255) or 1-bit PNG; a grey image (pixels rounded to the nearest
 *  integer, which must lie in 0..maxval, else PMK_EINVAL) as PGM or PNG
 *  (8-bit, or 16-bit when maxval > 255, levels scaled to 255 / 65535); grey
 *  to PBM is PMK_EINVAL (threshold first). */
PMK_API int pmk_image_write(const char *path, const pmk_image *img, pmk_image_format fmt,
                            pmk_error *err);

/** Binary image from a grey one: a pixel is black (+1) when
 *  level < t * maxval, with 0 < t <= 1 (t = 0.5 splits at mid-grey), else
 *  PMK_EINVAL.  A binary @p grey is copied unchanged.  *out is a new image
 *  owned by the caller (NULL on error). */
PMK_API int pmk_image_threshold(const pmk_image *grey, double t, pmk_image **out,
                                pmk_error *err);

/** A binary image as spins: width x height signed bytes, row-major, each +1
 *  (black, PBM bit 1) or -1 (white): what pmk_ising_denoise takes and gives.
 *  Allocate with pmk_spin_image_alloc or a reader; free with
 *  pmk_spin_image_free. */
typedef struct pmk_spin_image {
    size_t width;    /**< columns */
    size_t height;   /**< rows */
    int8_t *spins;   /**< width * height spins */
} pmk_spin_image;

/** Allocates an all-white (-1) spin image.  PMK_EINVAL for a width or height
 *  of 0, PMK_ELIMIT when the pixel count overflows or exceeds the memory
 *  ceiling (pmk_mem_check), PMK_ENOMEM. */
PMK_API pmk_spin_image *pmk_spin_image_alloc(size_t width, size_t height, pmk_error *err);

/** Frees the spin image; NULL is accepted. */
PMK_API void pmk_spin_image_free(pmk_spin_image *s);

/** Reads @p path as pmk_image_read does, giving a binary image as spins in
 *  *@p spins (and *@p grey NULL), any other as a grey image in *@p grey (and
 *  *@p spins NULL).  Binary are: PBM (P1/P4), 1-bit greyscale PNG, and a PGM
 *  whose every sample is 0 or maxval (0 black, maxval white: what
 *  pmk_image_write makes of a binary image), see doc/formats.md.  Other grey
 *  images, PNG included, stay grey.  Same statuses and messages as
 *  pmk_image_read; both outputs are NULL on failure. */
PMK_API int pmk_image_read_binary(const char *path, pmk_spin_image **spins, pmk_image **grey,
                                  pmk_error *err);

/** Spins from an image: a binary @p img's own spins, or a grey one
 *  thresholded as pmk_image_threshold does (black where level < t * maxval,
 *  0 < t <= 1).  A grey image with @p t = 0 is PMK_EDATA ("grey image (maxval
 *  M): a threshold is needed to binarise it"), the only PMK_EDATA; t outside
 *  [0, 1] PMK_EINVAL (pmk_spin_threshold_check).
 *  *@p out is owned by the caller (NULL on error). */
PMK_API int pmk_spin_image_from_image(const pmk_image *img, double t, pmk_spin_image **out,
                                      pmk_error *err);

/** PMK_EINVAL ("threshold T is not in [0, 1] (0 = none)") unless
 *  0 <= @p t <= 1: the threshold pmk_spin_image_from_image and
 *  pmk_spin_image_read take, where 0 means none (a grey image is then
 *  refused).  A caller may check an option early with it. */
PMK_API int pmk_spin_threshold_check(double t, pmk_error *err);

/** pmk_image_read_binary, then pmk_spin_image_from_image with @p t for a grey
 *  image: every image as spins.  Errors name @p path. */
PMK_API int pmk_spin_image_read(const char *path, double t, pmk_spin_image **out,
                                pmk_error *err);

/** pmk_spin_image_read, then, when @p like is not NULL, the size check of a
 *  second image read to go with @p like (read from @p like_path): PMK_EDATA
 *  "PATH is WxH but LIKE_PATH is WxH" when they differ, *@p out NULL. */
PMK_API int pmk_spin_image_read_like(const char *path, double t, const pmk_spin_image *like,
                                     const char *like_path, pmk_spin_image **out, pmk_error *err);

/** A binary pmk_image holding the same spins (for montages and side-by-side
 *  pictures); *@p out owned by the caller (NULL on error). */
PMK_API int pmk_spin_image_to_image(const pmk_spin_image *s, pmk_image **out, pmk_error *err);

/** Writes spins as pmk_image_write writes a binary image, byte for byte (PBM
 *  bits, PGM 0/255, 1-bit PNG), in format @p fmt (AUTO: from the
 *  extension), atomically; "-" is standard output.  PMK_EINVAL for a spin
 *  other than +-1. */
PMK_API int pmk_spin_image_write(const char *path, const pmk_spin_image *s, pmk_image_format fmt,
                                 pmk_error *err);

/** Montage contrast modes. */
enum {
    PMK_MONTAGE_RANGE = 0,   /**< map [lo, hi] to black..white, clip outside */
    PMK_MONTAGE_GLOBAL = 1,  /**< map the min..max over all tiles to black..white */
    PMK_MONTAGE_TILE = 2     /**< map each tile's own min..max (RBM filters) */
};

/** Lays T tiles (rows of @p tiles, each th*tw values row-major) into a grid of
 *  min(@p ncols, T) columns and as many rows as needed, with 1-pixel white
 *  gaps between tiles (none around the border; empty cells white), as a grey
 *  8-bit image (high values white): level = round(255 (v - a) / (b - a)),
 *  clipped, where [a, b] is [lo, hi] (RANGE), the min..max of all tiles
 *  (GLOBAL) or of each tile (TILE); a constant range gives mid-grey 128.
 *  @p lo / @p hi are used by PMK_MONTAGE_RANGE only and need lo < hi.
 *  Non-finite values are PMK_EINVAL.  *out is a new image owned by the
 *  caller (NULL on error). */
PMK_API int pmk_montage(const gsl_matrix *tiles, size_t th, size_t tw, size_t ncols,
                        int mode, double lo, double hi, pmk_image **out, pmk_error *err);

/** Places images side by side (same height) into one grey 8-bit image with a
 *  gap of @p gap white pixels; binary images show black ink on white, grey
 *  ones are scaled from 0..maxval to 0..255 (rounded).  *out is a new image
 *  owned by the caller (NULL on error: PMK_EINVAL for n = 0 or different
 *  heights, PMK_ELIMIT, PMK_ENOMEM). */
PMK_API int pmk_image_hconcat(const pmk_image *const *imgs, size_t n, size_t gap,
                              pmk_image **out, pmk_error *err);

#ifdef __cplusplus
}
#endif
#endif
