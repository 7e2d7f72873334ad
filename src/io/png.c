/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* png.c: PNG reading and writing through libpng 1.6, with libpng's errors
 * turned into pmk_error records (never printed, never aborting).
 *
 * Read: 1-bit greyscale gives a binary image (PNG 0 = black = spin +1);
 * 2-, 4-, 8- and 16-bit greyscale give grey images with maxval 3, 15, 255,
 * 65535 (levels kept exactly); a palette, RGB or RGBA image is converted to
 * grey with the ITU-R BT.601 luma weights Y = (299 R + 587 G + 114 B) / 1000,
 * rounded (as Netpbm's ppmtopgm does), at maxval 255 (65535 for 16-bit RGB);
 * alpha channels and tRNS are dropped, not composited; gAMA and the other
 * colour chunks are ignored (samples are taken as stored).
 * Write: binary -> 1-bit greyscale; grey -> 8-bit greyscale (maxval <= 255)
 * or 16-bit (maxval > 255), levels scaled by 255/maxval or 65535/maxval and
 * rounded, hence exact for maxval 255 and 65535.  Not interlaced.
 * Spec: PNG (Third Edition), W3C 2025; libpng manual (libpng.txt), 1.6. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>

#include "io/image_internal.h"

/* Everything the callbacks and the clean-up need, on the heap so that nothing
 * the setjmp'ing function changes lives in its own automatic variables. */
typedef struct png_ctx {
    jmp_buf jb;
    const char *path;
    pmk_error *err;
    int have_err;            /* a callback already stored a precise cause */
    int code;                /* its status */
    img_in *in;              /* reading */
    FILE *fp;                /* writing */
    png_structp png;
    png_infop info;
    unsigned char *raw;      /* the decoded rows */
    png_bytep *rows;         /* interlaced reading: row pointers into raw */
    unsigned char *row;      /* writing: one packed row */
    pmk_image *img;
} png_ctx;

static void PNGCBAPI on_error(png_structp png, png_const_charp msg)
{
    png_ctx *ctx = png_get_error_ptr(png);
    if (!ctx->have_err) {
        pmk_error_at(ctx->err, PMK_EFORMAT, ctx->path, 0, 0, "bad PNG: %s", msg);
        ctx->code = PMK_EFORMAT;
    }
    ctx->have_err = 1;
    longjmp(ctx->jb, 1);
}

static void PNGCBAPI on_warning(png_structp png, png_const_charp msg)
{
    /* Warnings (a bad CRC in an ancillary chunk, ...) are dropped silently. */
    (void)png;
    (void)msg;
}

static void PNGCBAPI read_data(png_structp png, png_bytep data, size_t n)
{
    png_ctx *ctx = png_get_io_ptr(png);
    long got = img_read(ctx->in, data, n);
    if (got < 0) {
        ctx->have_err = 1;   /* the stream layer stored the cause */
        ctx->code = ctx->err ? ctx->err->code : PMK_EIO;
        png_error(png, "read error");
    }
    if ((size_t)got < n) {
        pmk_error_at(ctx->err, PMK_EFORMAT, ctx->path, 0, 0,
                     "truncated PNG (unexpected end of file)");
        ctx->have_err = 1;
        ctx->code = PMK_EFORMAT;
        png_error(png, "truncated");
    }
}

/* ---------------------------------------------------------------- read */

/* The part that runs under setjmp; longjmps out through on_error. */
static int png_read_body(png_ctx *ctx, pmk_image **out)
{
    png_structp png = ctx->png;
    png_infop info = ctx->info;
    png_set_read_fn(png, ctx, read_data);
    /* Sizes are checked below with pmk's own limits and messages. */
    png_set_user_limits(png, 0x7fffffffU, 0x7fffffffU);
    png_read_info(png, info);
    png_uint_32 w32, h32;
    int depth, ctype, interlace;
    png_get_IHDR(png, info, &w32, &h32, &depth, &ctype, &interlace, NULL, NULL);
    size_t w = w32, h = h32, npix, nbytes;
    /* Sizes: the pixel count must not overflow, the file must be able to hold
     * the image data, and the matrix must fit in memory, in that order (the
     * last depends on the machine), all before allocating. */
    if (pmk_size_mul(w, h, &npix) || pmk_size_mul(npix, sizeof(double), &nbytes))
        return img_check_size(ctx->path, 0, 0, "PNG", w, h, ctx->err);

    int binary = 0, rgb = 0;
    unsigned maxval;
    if (ctype == PNG_COLOR_TYPE_GRAY && depth == 1) {
        binary = 1;          /* bits kept packed, unpacked below */
        maxval = 1;
    } else if (ctype == PNG_COLOR_TYPE_GRAY || ctype == PNG_COLOR_TYPE_GRAY_ALPHA) {
        if (depth < 8)
            png_set_packing(png);   /* one byte a sample, levels unscaled */
        maxval = (1u << depth) - 1u;
    } else {
        if (ctype == PNG_COLOR_TYPE_PALETTE)
            png_set_palette_to_rgb(png);
        rgb = 1;
        maxval = depth == 16 ? 65535u : 255u;
    }
    if ((ctype & PNG_COLOR_MASK_ALPHA) || ctype == PNG_COLOR_TYPE_PALETTE)
        png_set_strip_alpha(png);   /* a palette's tRNS would expand to alpha */
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t rowbytes = png_get_rowbytes(png, info), need;
    if (pmk_size_mul(rowbytes, h, &need))
        return pmk_error_at(ctx->err, PMK_ELIMIT, ctx->path, 0, 0,
                            "PNG image of %zu x %zu pixels is too large", w, h);
    /* Deflate expands at most 1032:1, so a file of known size bounds the rows. */
    long long total = ctx->in->size;
    if (total >= 0 && (unsigned long long)need / 1032 > (unsigned long long)total + 65536)
        return pmk_error_at(ctx->err, PMK_ELIMIT, ctx->path, 0, 0,
                            "header claims %zu x %zu pixels (%zu bytes of image data) but "
                            "the file has only %lld bytes", w, h, need, total);
    int rc = img_check_size(ctx->path, 0, 0, "PNG", w, h, ctx->err);
    if (rc)
        return rc;

    if (passes > 1) {
        /* Interlaced: every pass revisits the rows, so all must exist at once. */
        /* Zeroed: libpng merges each pass into the bytes already there. */
        if (!(ctx->raw = calloc(need ? need : 1, 1))
            || !(ctx->rows = malloc(h * sizeof *ctx->rows)))
            return pmk_error_at(ctx->err, PMK_ENOMEM, ctx->path, 0, 0, "out of memory");
        for (size_t r = 0; r < h; r++)
            ctx->rows[r] = ctx->raw + r * rowbytes;
        png_read_image(png, ctx->rows);
    } else {
        /* Row by row into a buffer that grows with the rows actually decoded. */
        size_t cap = need < ((size_t)1 << 22) ? need : ((size_t)1 << 22);
        cap = cap < rowbytes ? rowbytes : cap;
        if (!(ctx->raw = malloc(cap)))
            return pmk_error_at(ctx->err, PMK_ENOMEM, ctx->path, 0, 0, "out of memory");
        for (size_t r = 0; r < h; r++) {
            if ((r + 1) * rowbytes > cap) {
                size_t ncap = cap > need / 2 ? need : cap * 2;
                unsigned char *nr = realloc(ctx->raw, ncap);
                if (!nr)
                    return pmk_error_at(ctx->err, PMK_ENOMEM, ctx->path, 0, 0,
                                        "out of memory");
                ctx->raw = nr;
                cap = ncap;
            }
            png_read_row(png, ctx->raw + r * rowbytes, NULL);
        }
    }
    png_read_end(png, NULL);

    if (!(ctx->img = img_alloc_uninit(w, h, binary, maxval, ctx->err)))
        return ctx->err ? ctx->err->code : PMK_ENOMEM;
    gsl_matrix *m = ctx->img->pix;
    const int wide = depth == 16;
    /* Samples a pixel after the transforms: 1 (grey) or 3 (RGB), plus alpha
     * where libpng kept one (a palette's tRNS expands to alpha). */
    const size_t ch = png_get_channels(png, info);
    double lut[256][8];   /* PNG grey 0 is black: bit 0 -> +1, bit 1 -> -1 */
    if (binary)
        img_bits_lut(lut, -1.0, 1.0);
    for (size_t r = 0; r < h; r++) {
        const unsigned char *src = ctx->raw + r * rowbytes;
        double *dst = m->data + r * m->tda;
        if (binary) {
            img_unpack_bits(src, w, dst, lut);
        } else if (rgb && !wide) {
            for (size_t c = 0; c < w; c++) {
                const unsigned char *p = src + ch * c;
                dst[c] = (double)((299u * p[0] + 587u * p[1] + 114u * p[2] + 500u) / 1000u);
            }
        } else if (rgb) {
            for (size_t c = 0; c < w; c++) {
                const unsigned char *p = src + 2 * ch * c;
                unsigned long R = (unsigned long)p[0] << 8 | p[1];
                unsigned long G = (unsigned long)p[2] << 8 | p[3];
                unsigned long B = (unsigned long)p[4] << 8 | p[5];
                dst[c] = (double)((299ul * R + 587ul * G + 114ul * B + 500ul) / 1000ul);
            }
        } else if (!wide) {
            for (size_t c = 0; c < w; c++)
                dst[c] = src[ch * c];
        } else {
            for (size_t c = 0; c < w; c++)
                dst[c] = (unsigned)src[2 * ch * c] << 8 | src[2 * ch * c + 1];
        }
    }
    *out = ctx->img;
    ctx->img = NULL;
    return PMK_OK;
}

int img_png_read(img_in *in, pmk_image **out, pmk_error *err)
{
    png_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return pmk_error_at(err, PMK_ENOMEM, in->path, 0, 0, "out of memory");
    ctx->path = in->path;
    ctx->err = err;
    ctx->in = in;
    int rc;
    ctx->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, ctx, on_error, on_warning);
    if (!ctx->png || !(ctx->info = png_create_info_struct(ctx->png))) {
        rc = pmk_error_at(err, PMK_ENOMEM, in->path, 0, 0, "out of memory");
    } else if (setjmp(ctx->jb)) {
        rc = ctx->code ? ctx->code : PMK_EFORMAT;
    } else {
        rc = png_read_body(ctx, out);
    }
    png_destroy_read_struct(&ctx->png, &ctx->info, NULL);
    free(ctx->rows);
    free(ctx->raw);
    pmk_image_free(ctx->img);
    free(ctx);
    return rc;
}

/* ---------------------------------------------------------------- write */

static void PNGCBAPI write_data(png_structp png, png_bytep data, size_t n)
{
    png_ctx *ctx = png_get_io_ptr(png);
    if (fwrite(data, 1, n, ctx->fp) != n) {
        int e = errno;
        pmk_error_at(ctx->err, PMK_EIO, ctx->path, 0, 0, "cannot write: %s",
                     e ? strerror(e) : "write error");
        ctx->have_err = 1;
        ctx->code = PMK_EIO;
        png_error(png, "write error");
    }
}

static void PNGCBAPI flush_data(png_structp png)
{
    png_ctx *ctx = png_get_io_ptr(png);
    fflush(ctx->fp);
}

static int png_write_body(png_ctx *ctx, const pmk_image *img)
{
    png_structp png = ctx->png;
    const size_t w = img->width, h = img->height;
    const gsl_matrix *m = img->pix;
    if (w > 0x7fffffffu || h > 0x7fffffffu)
        return pmk_error_at(ctx->err, PMK_ELIMIT, ctx->path, 0, 0,
                            "cannot write a %zu x %zu image as PNG (at most 2^31-1 a side)",
                            w, h);
    int depth = img->binary ? 1 : img->maxval > 255 ? 16 : 8;
    png_set_write_fn(png, ctx, write_data, flush_data);
    png_set_IHDR(png, ctx->info, (png_uint_32)w, (png_uint_32)h, depth, PNG_COLOR_TYPE_GRAY,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, ctx->info);
    size_t rowbytes = depth == 1 ? w / 8 + (w % 8 != 0) : w * (size_t)(depth / 8);
    if (!(ctx->row = malloc(rowbytes)))
        return pmk_error_at(ctx->err, PMK_ENOMEM, ctx->path, 0, 0, "out of memory");
    const unsigned long maxval = img->maxval, top = depth == 16 ? 65535ul : 255ul;
    for (size_t r = 0; r < h; r++) {
        const double *src = m->data + r * m->tda;
        unsigned char *row = ctx->row;
        if (depth == 1) {
            /* Spin +1 (black) is PNG grey 0; white sets the bit. */
            memset(row, 0, rowbytes);
            for (size_t c = 0; c < w; c++)
                if (!(src[c] > 0))
                    row[c >> 3] |= (unsigned char)(0x80u >> (c & 7));
        } else {
            for (size_t c = 0; c < w; c++) {
                unsigned long v = (unsigned long)(src[c] + 0.5);
                if (maxval != top)
                    v = (v * top + maxval / 2) / maxval;
                if (depth == 8) {
                    row[c] = (unsigned char)v;
                } else {
                    row[2 * c] = (unsigned char)(v >> 8);
                    row[2 * c + 1] = (unsigned char)(v & 0xffu);
                }
            }
        }
        png_write_row(png, row);
    }
    png_write_end(png, NULL);
    return PMK_OK;
}

int img_png_write(FILE *fp, const char *path, const pmk_image *img, pmk_error *err)
{
    png_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return pmk_error_at(err, PMK_ENOMEM, path, 0, 0, "out of memory");
    ctx->path = path;
    ctx->err = err;
    ctx->fp = fp;
    int rc;
    ctx->png = png_create_write_struct(PNG_LIBPNG_VER_STRING, ctx, on_error, on_warning);
    if (!ctx->png || !(ctx->info = png_create_info_struct(ctx->png))) {
        rc = pmk_error_at(err, PMK_ENOMEM, path, 0, 0, "out of memory");
    } else if (setjmp(ctx->jb)) {
        rc = ctx->code ? ctx->code : PMK_EIO;
    } else {
        rc = png_write_body(ctx, img);
    }
    png_destroy_write_struct(&ctx->png, &ctx->info);
    free(ctx->row);
    free(ctx);
    return rc;
}
