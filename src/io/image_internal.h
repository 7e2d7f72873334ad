/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* image_internal.h: what the image readers and writers (image.c, pnm.c, png.c)
 * share inside libpmk: a buffered byte cursor over a pmk_instream that counts
 * lines, the size limits, and the per-format entry points.  Not installed; the
 * names carry no pmk_ prefix, so they are not exported from the library. */
#ifndef PMK_IMAGE_INTERNAL_H
#define PMK_IMAGE_INTERNAL_H

#include <stdio.h>
#include <stddef.h>
#include <stdint.h>

#include "pmk/image.h"
#include "pmk/stream.h"

/* Width and height are each at most this (Netpbm's own limit, INT_MAX). */
#define IMG_MAX_DIM 2147483647UL

/* A read cursor: a window buf[pos..len) over the stream, where buf[0] sits at
 * byte offset `base` of the (decompressed) file.  `line` counts newlines seen
 * by img_getc; `linestart` is the offset of the first byte of that line. */
typedef struct img_in {
    pmk_instream *s;
    const char *path;        /* as shown in messages */
    unsigned char *buf;
    size_t pos, len, cap;
    size_t base;
    long line;
    size_t linestart;
    long long size;          /* bytes in the file, or -1 when unknown (gzip, stdin) */
    int eof;                 /* the stream has no more bytes */
    int failed;              /* a read error was stored in *err */
    pmk_error *err;
    /* Non-NULL: a binary image is delivered here as spins (the reader's
     * pmk_image out stays NULL), and so is a PGM of 0/maxval samples only. */
    pmk_spin_image **spins;
} img_in;

/* Refills the window (keeping nothing already consumed).  @return the number
 * of bytes now available, 0 at end of file, -1 on a read error (err set). */
long img_fill(img_in *in);

/* Makes at least @p n (at most the window size) unread bytes available
 * without consuming them, unless the file ends first.  @return the number
 * available, or -1 on a read error (err set). */
long img_ensure(img_in *in, size_t n);

/* The next byte, or -1 at end of file or on error (in->failed tells which). */
static inline int img_getc(img_in *in)
{
    if (in->pos < in->len)
        return in->buf[in->pos++];
    if (img_fill(in) <= 0)
        return -1;
    return in->buf[in->pos++];
}

/* Byte offset of the next unread byte. */
static inline size_t img_offset(const img_in *in) { return in->base + in->pos; }

/* 1-based column of the byte just read (for messages). */
static inline long img_col(const img_in *in)
{
    return (long)(img_offset(in) - in->linestart);
}

/* Reads up to @p n bytes into @p dst.  @return the count (short at end of
 * file), or -1 on a read error (err set). */
long img_read(img_in *in, void *dst, size_t n);

/* Reads up to @p need bytes into a buffer that grows with what actually
 * arrives (so a lying header cannot make it allocate more than the file
 * holds).  *out gets the malloc'ed buffer, *got the count.  @return PMK_OK,
 * or a status with err set (read error, out of memory). */
int img_read_upto(img_in *in, size_t need, unsigned char **out, size_t *got);

/* Bytes still unread in the file, or -1 when the size is unknown. */
long long img_remaining(const img_in *in);

/* Refuses (PMK_ELIMIT) a width x height image whose pixel matrix (doubles)
 * overflows size_t or exceeds the machine's physical memory.  @p what is
 * the format name for the message; line 0 leaves the position out. */
int img_check_size(const char *path, long line, long col, const char *what,
                   size_t width, size_t height, pmk_error *err);

/* The same ceiling for @p nbytes that a reader holds for a width x height
 * image (the pixel matrix and its own buffers), with the same message. */
int img_check_mem(const char *path, long line, long col, const char *what, size_t width,
                  size_t height, size_t nbytes, pmk_error *err);

/* The size checks of every image allocation: PMK_EINVAL for a width or
 * height of 0, PMK_ELIMIT when width x height pixels of @p elem bytes
 * overflow, then the memory ceiling (pmk_mem_check, the image called
 * "@p what of W x H pixels").  *@p nbytes gets the bytes. */
int img_check_alloc(size_t width, size_t height, size_t elem, const char *what, size_t *nbytes,
                    pmk_error *err);

/* pmk_image_alloc without clearing the pixels, for callers that set every
 * one (saves a pass over a matrix that may be tens of megabytes). */
pmk_image *img_alloc_uninit(size_t width, size_t height, int binary, unsigned maxval,
                            pmk_error *err);

/* Fills @p lut so that lut[b][j] is the value of bit j (most significant
 * first) of byte b: @p one where the bit is set, @p zero where it is clear. */
void img_bits_lut(double lut[256][8], double one, double zero);

/* Unpacks the first @p w bits of @p src (a P4 or 1-bit PNG row) into @p dst
 * through @p lut: 64 bytes copied per input byte instead of 8 branches. */
void img_unpack_bits(const unsigned char *src, size_t w, double *dst,
                     const double lut[256][8]);

/* The same for spins: lut[b][j] is +1 where bit j of b is @p set_is (+1 for
 * PBM, whose bit 1 is black; -1 for PNG, whose 1 is white), else -@p set_is,
 * and a row is unpacked 8 bytes per input byte. */
void img_spin_lut(int8_t lut[256][8], int set_is);
void img_unpack_spins(const unsigned char *src, size_t w, int8_t *dst,
                      const int8_t lut[256][8]);

/* pmk_spin_image_alloc without clearing the spins. */
pmk_spin_image *img_spins_uninit(size_t width, size_t height, pmk_error *err);

/* What the writers write: a pmk_image, or spins (then pix is NULL). */
typedef struct img_view {
    size_t width, height;
    int binary;              /* spins, or a binary pmk_image */
    unsigned maxval;         /* 1 when binary */
    const gsl_matrix *pix;   /* the pmk_image's pixels, or NULL */
    const int8_t *spins;     /* width * height spins, or NULL */
} img_view;

/* Row @p r of a binary view packed 8 pixels a byte, most significant bit
 * first, a bit set where the pixel is black (PBM's convention), the padding
 * bits of the last byte clear.  @p row holds ceil(width / 8) bytes. */
void img_view_bits(const img_view *v, size_t r, unsigned char *row);

/* Whether pixel (r, c) of a binary view is black. */
static inline int img_view_black(const img_view *v, size_t r, size_t c)
{
    if (v->spins)
        return v->spins[r * v->width + c] > 0;
    return v->pix->data[r * v->pix->tda + c] > 0;
}

/* pmk_image_read, with binary images as spins when @p spins is non-NULL. */
int img_read_any(const char *path, pmk_image **out, pmk_spin_image **spins, pmk_error *err);

/* Writes a validated view in format @p fmt (AUTO: from the extension)
 * through pmk_outfile. */
int img_write_view(const char *path, const img_view *v, pmk_image_format fmt, pmk_error *err);

/* Per-format readers: the magic bytes are still unread in @p in. */
int img_pnm_read(img_in *in, pmk_image **out, pmk_error *err);
int img_png_read(img_in *in, pmk_image **out, pmk_error *err);

/* Per-format writers onto an open stream; @p path names the file in messages.
 * The image has been validated already.  @p plain selects P1/P2 instead of
 * P4/P5. */
int img_pbm_write(FILE *fp, const char *path, const img_view *img, int plain,
                  pmk_error *err);
int img_pgm_write(FILE *fp, const char *path, const img_view *img, int plain,
                  pmk_error *err);
int img_png_write(FILE *fp, const char *path, const img_view *img, pmk_error *err);

#endif
