/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/** @file pmk/image.h
 * Binary and grey images: PBM (P1, P4), PGM (P2, P5), PNG.
 *
 * In memory an image is a height x width gsl_matrix.  A binary image holds
 * spins with PBM's convention: 1 = black = +1, 0 = white = -1.  A grey image
 * holds levels 0..maxval (0 = black).  A grey image becomes binary only through
 * pmk_image_threshold.  Readers detect the format by magic bytes; writers pick
 * it from the file extension (.pbm, .pgm, .png) and write atomically.
 * Thread-safety: no global state. */
#ifndef PMK_IMAGE_H
#define PMK_IMAGE_H

#include <stddef.h>
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
