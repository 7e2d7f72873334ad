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
 * Hostile files: the file is first read chunk by chunk, its critical chunks
 * into a buffer that grows only with the bytes that arrive, its ancillary
 * ones CRC-checked and dropped (so no text, profile or unknown chunk is ever
 * held or inflated); every chunk must be whole, IHDR first, IDAT at most
 * twice the image data, and nothing may follow IEND.  Then the image size from IHDR is checked against the IDAT bytes
 * (deflate expands at most 1032:1) and against the memory ceiling before
 * libpng allocates its rows, and libpng's warnings and benign errors fail
 * the read, as does a palette index past the palette.
 * Write: binary -> 1-bit greyscale; grey -> 8-bit greyscale (maxval <= 255)
 * or 16-bit (maxval > 255), levels scaled by 255/maxval or 65535/maxval and
 * rounded, hence exact for maxval 255 and 65535.  Not interlaced.
 * Spec: PNG (Third Edition), W3C 2025; libpng manual (libpng.txt), 1.6. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>
#include <zlib.h>

#include "pmk/limits.h"
#include "io/image_internal.h"
#include "core/core_internal.h"

/* Everything the callbacks and the clean-up need, on the heap so that nothing
 * the setjmp'ing function changes lives in its own automatic variables. */
typedef struct png_ctx {
    jmp_buf jb;
    const char *path;
    pmk_error *err;
    int have_err;            /* a callback already stored a precise cause */
    int code;                /* its status */
    char warning[200];       /* reading: libpng's first warning, "" if none */
    const unsigned char *data;   /* reading: the PNG's critical chunks, slurped */
    size_t idat_max;         /* reading: the most IDAT bytes IHDR allows, 0 if unknown */
    size_t idat_data;        /* reading: the image data IHDR claims */
    size_t len, pos;         /* its length, and libpng's position in it */
    FILE *fp;                /* writing */
    png_structp png;
    png_infop info;
    unsigned char *file;     /* the slurped file (owned) */
    unsigned char *raw;      /* the decoded rows */
    png_bytep *rows;         /* interlaced reading: row pointers into raw */
    unsigned char *row;      /* writing: one packed row */
    pmk_image *img;
    pmk_spin_image **spins;  /* reading: where a binary image goes as spins, or NULL */
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

/* Reading: libpng's warnings (an ancillary chunk's bad CRC, a PLTE in a grey
 * image, ...) are kept, and the read fails with the first one once libpng
 * returns (a warning callback must return).  Writing: pmk's own images
 * raise none. */
static void PNGCBAPI on_warning(png_structp png, png_const_charp msg)
{
    png_ctx *ctx = png_get_error_ptr(png);
    if (ctx && !ctx->warning[0])
        snprintf(ctx->warning, sizeof ctx->warning, "%s", msg);
}

static void PNGCBAPI read_data(png_structp png, png_bytep data, size_t n)
{
    png_ctx *ctx = png_get_io_ptr(png);
    if (n > ctx->len - ctx->pos) {
        /* The chunk walk saw every chunk whole, so libpng cannot get here. */
        pmk_error_at(ctx->err, PMK_EFORMAT, ctx->path, 0, 0,
                     "truncated PNG (unexpected end of file)");
        ctx->have_err = 1;
        ctx->code = PMK_EFORMAT;
        png_error(png, "truncated");
    }
    memcpy(data, ctx->data + ctx->pos, n);
    ctx->pos += n;
}

/* ---------------------------------------------------------------- read */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int chunk_type_ok(const unsigned char *t)
{
    for (int i = 0; i < 4; i++)
        if (!((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= 'a' && t[i] <= 'z')))
            return 0;
    return 1;
}

/* Appends up to @p want bytes of @p in to ctx->file (holding *len of *cap
 * bytes), growing the buffer only as bytes arrive: at most 1 MiB is asked
 * for beyond what has come, so a lying chunk length meets the end of the
 * file before the buffer has grown past it.  *got gets the count. */
static int slurp_read(png_ctx *ctx, img_in *in, size_t want, size_t *len, size_t *cap,
                      size_t *got)
{
    *got = 0;
    while (*got < want) {
        size_t step = want - *got < ((size_t)1 << 20) ? want - *got : ((size_t)1 << 20);
        if (*cap - *len < step) {
            size_t ncap = *cap;
            while (ncap - *len < step)
                ncap *= 2;
            int rc = pmk_mem_check(ctx->path, 0, 0, ncap, "holding the PNG file", ctx->err);
            if (rc)
                return rc;
            unsigned char *nb = realloc(ctx->file, ncap);
            if (!nb)
                return pmk_error_at(ctx->err, PMK_ENOMEM, ctx->path, 0, 0, "out of memory");
            ctx->file = nb;
            *cap = ncap;
        }
        long r = img_read(in, ctx->file + *len, step);
        if (r < 0)
            return in->err ? in->err->code : PMK_EIO;
        if (r == 0)
            break;
        *len += (size_t)r;
        *got += (size_t)r;
    }
    return PMK_OK;
}

/* Bytes of image data (unfiltered, without the filter bytes) of a w x h
 * image at @p bits a pixel, over the 7 Adam7 passes when @p interlaced.
 * 1 on overflow. */
static int png_data_bytes(size_t w, size_t h, unsigned bits, int interlaced, size_t *out)
{
    size_t total = 0;
    for (int pass = 0; pass < (interlaced ? 7 : 1); pass++) {
        size_t cols = interlaced ? PNG_PASS_COLS(w, pass) : w;
        size_t rows = interlaced ? PNG_PASS_ROWS(h, pass) : h;
        size_t rb, bytes;
        if (cols == 0 || rows == 0)
            continue;
        if (pmk_size_mul(cols, bits, &rb))
            return 1;
        rb = rb / 8 + (rb % 8 != 0);
        if (pmk_size_mul(rb, rows, &bytes) || total + bytes < total)
            return 1;
        total += bytes;
    }
    *out = total;
    return 0;
}

/* The IHDR checks that need no more than IHDR and the file size, made as
 * soon as IHDR has arrived, so that a file claiming a huge image is refused
 * from its first 33 bytes: the pixel count must not overflow, and when the
 * file's size is known, it must be able to hold the image data.  An IHDR
 * libpng would refuse (a bit depth of 7, ...) is left to libpng. */
static int ihdr_early(png_ctx *ctx, const unsigned char *d, long long filesize)
{
    size_t w = be32(d), h = be32(d + 4), npix, nbytes, data;
    unsigned depth = d[8], ctype = d[9], interlace = d[12], ch;
    switch (ctype) {
    case 0: ch = 1; break;
    case 2: ch = 3; break;
    case 3: ch = 1; break;
    case 4: ch = 2; break;
    case 6: ch = 4; break;
    default: return PMK_OK;
    }
    if (w == 0 || h == 0 || w > IMG_MAX_DIM || h > IMG_MAX_DIM || interlace > 1
        || (depth != 1 && depth != 2 && depth != 4 && depth != 8 && depth != 16))
        return PMK_OK;
    if (pmk_size_mul(w, h, &npix) || pmk_size_mul(npix, sizeof(double), &nbytes))
        return img_check_size(ctx->path, 0, 0, "PNG", w, h, ctx->err);
    int ovf = png_data_bytes(w, h, ch * depth, interlace, &data);
    if (filesize >= 0 && (ovf || data / 1032 > (unsigned long long)filesize))
        return pmk_error_at(ctx->err, PMK_ELIMIT, ctx->path, 0, 0,
                            "header claims %zu x %zu pixels (%zu bytes of image data) but "
                            "the file has only %lld bytes", w, h, data, filesize);
    /* No encoder needs more than twice the data (zlib's stored blocks add 5
     * bytes in 16 K): more IDAT than that is padding (empty deflate blocks)
     * that would only cost memory. */
    if (!ovf && data < ((size_t)-1 - 3 * h - ((size_t)1 << 20)) / 2) {
        ctx->idat_max = 2 * data + 2 * h + ((size_t)1 << 20);
        ctx->idat_data = data;
    }
    return PMK_OK;
}

/* Reads an ancillary chunk's @p clen bytes and CRC without keeping them,
 * checking the CRC (over the type and the data) as libpng would. */
static int skip_ancillary(png_ctx *ctx, img_in *in, const char *type, uint32_t clen)
{
    unsigned char buf[4096];
    uLong crc = crc32(0L, (const Bytef *)type, 4);
    size_t left = clen;
    while (left > 0) {
        size_t step = left < sizeof buf ? left : sizeof buf;
        long r = img_read(in, buf, step);
        if (r < 0)
            return in->err ? in->err->code : PMK_EIO;
        if ((size_t)r < step)
            return pmk_error_at(ctx->err, PMK_EFORMAT, ctx->path, 0, 0,
                                "truncated PNG (unexpected end of file)");
        crc = crc32(crc, buf, (uInt)r);
        left -= step;
    }
    long r = img_read(in, buf, 4);
    if (r < 0)
        return in->err ? in->err->code : PMK_EIO;
    if (r < 4)
        return pmk_error_at(ctx->err, PMK_EFORMAT, ctx->path, 0, 0,
                            "truncated PNG (unexpected end of file)");
    if (be32(buf) != (uint32_t)crc)
        return pmk_error_at(ctx->err, PMK_EFORMAT, ctx->path, 0, 0, "bad PNG: %s: CRC error",
                            type);
    return PMK_OK;
}

/* Reads the PNG into ctx->file, chunk by chunk, before libpng sees a byte:
 * every chunk must be whole, no chunk may claim more than 2^31-1 bytes (the
 * PNG limit), IHDR must come first and IEND last.  Ancillary chunks are
 * CRC-checked and dropped (libpng would skip them anyway), so what is kept
 * is IHDR, PLTE, IDAT, IEND (and any unknown critical chunk, for libpng to
 * refuse); IDAT may not exceed twice the image data.  *idat gets the IDAT
 * bytes, which bound the image data (deflate expands at most 1032:1). */
static int png_slurp(png_ctx *ctx, img_in *in, size_t *idat)
{
    size_t cap = (size_t)1 << 16, len = 0, sum = 0, got;
    long long known = img_remaining(in);
    if (known > 0 && (unsigned long long)known < ((size_t)1 << 30))
        cap = (size_t)known + 1;   /* one allocation for a plain file */
    if (!(ctx->file = malloc(cap)))
        return pmk_error_at(ctx->err, PMK_ENOMEM, ctx->path, 0, 0, "out of memory");
    int rc = slurp_read(ctx, in, 8, &len, &cap, &got);   /* the signature */
    for (int iend = 0; !rc && !iend;) {
        if ((rc = slurp_read(ctx, in, 8, &len, &cap, &got)))
            break;
        if (got < 8)
            return pmk_error_at(ctx->err, PMK_EFORMAT, ctx->path, 0, 0,
                                "truncated PNG (unexpected end of file)");
        const size_t at = len - 8;              /* in the kept buffer */
        const size_t foff = img_offset(in) - 8;  /* in the file, for messages */
        const unsigned char *h = ctx->file + at;
        const uint32_t clen = be32(h);
        if (!chunk_type_ok(h + 4))
            return pmk_error_at(ctx->err, PMK_EFORMAT, ctx->path, 0, 0,
                                "bad PNG: the chunk at offset %zu has an invalid type "
                                "(%02x %02x %02x %02x)", foff, h[4], h[5], h[6], h[7]);
        char type[5] = {(char)h[4], (char)h[5], (char)h[6], (char)h[7], 0};
        if (clen > 0x7fffffffUL)
            return pmk_error_at(ctx->err, PMK_EFORMAT, ctx->path, 0, 0,
                                "bad PNG: the %s chunk at offset %zu claims %lu bytes (more "
                                "than 2^31-1)", type, foff, (unsigned long)clen);
        if (foff == 8 && strcmp(type, "IHDR"))
            return pmk_error_at(ctx->err, PMK_EFORMAT, ctx->path, 0, 0,
                                "bad PNG: %s: missing IHDR", type);
        if (type[0] & 0x20) {
            /* Ancillary (lower-case first letter): pmk uses none, so its
             * data are checked against the CRC as they stream past and
             * never kept, whatever the chunk's size. */
            if ((rc = skip_ancillary(ctx, in, type, clen)))
                break;
            len = at;
            continue;
        }
        if (!strcmp(type, "IDAT") && ctx->idat_max && clen > ctx->idat_max - sum)
            return pmk_error_at(ctx->err, PMK_EFORMAT, ctx->path, 0, 0,
                                "bad PNG: more than %zu bytes of IDAT for %zu bytes of image "
                                "data", ctx->idat_max, ctx->idat_data);
        if ((rc = slurp_read(ctx, in, (size_t)clen + 4, &len, &cap, &got)))
            break;
        if (got < (size_t)clen + 4)   /* a chunk cut short, or a lying length */
            return pmk_error_at(ctx->err, PMK_EFORMAT, ctx->path, 0, 0,
                                "truncated PNG (unexpected end of file)");
        if (!strcmp(type, "IHDR") && clen == 13
            && (rc = ihdr_early(ctx, ctx->file + at + 8, known)))
            break;
        if (!strcmp(type, "IDAT"))
            sum += clen;
        iend = !strcmp(type, "IEND");
    }
    if (rc)
        return rc;
    /* One image a file: nothing may follow IEND. */
    unsigned char extra;
    long r = img_read(in, &extra, 1);
    if (r < 0)
        return in->err ? in->err->code : PMK_EIO;
    if (r > 0)
        return pmk_error_at(ctx->err, PMK_EFORMAT, ctx->path, 0, 0,
                            "data after the IEND chunk (at offset %zu): pmk reads one image a "
                            "file", img_offset(in) - 1);
    ctx->data = ctx->file;
    ctx->len = len;
    ctx->pos = 0;
    *idat = sum;
    return PMK_OK;
}

/* The part that runs under setjmp; longjmps out through on_error. */
static int png_read_body(png_ctx *ctx, size_t idat, pmk_image **out)
{
    png_structp png = ctx->png;
    png_infop info = ctx->info;
    png_set_read_fn(png, ctx, read_data);
    /* libpng's own limits, tied to pmk's: sides up to 2^31-1 (pmk's checks
     * below give the messages), and no chunk buffer above the ceiling (nor
     * above libpng's default of 8 MB). */
    png_set_user_limits(png, IMG_MAX_DIM, IMG_MAX_DIM);
    unsigned long long cap = pmk_mem_limit(NULL);
    png_alloc_size_t cmax = PNG_USER_CHUNK_MALLOC_MAX;
    if (cap && cap / 4 < cmax)
        cmax = (png_alloc_size_t)(cap / 4);
    png_set_chunk_malloc_max(png, cmax ? cmax : 1);
    png_set_chunk_cache_max(png, 128);
    /* Every ancillary chunk is skipped unread: pmk uses none of them (text,
     * colour profiles, gamma, transparency), so none can make libpng
     * allocate or decompress anything (zTXt, iCCP, sPLT, unknown chunks).
     * Only IHDR, PLTE, IDAT and IEND are parsed.  Their CRCs are still
     * checked. */
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
    static const png_byte trns[] = "tRNS";
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, trns, 1);
    /* libpng's "benign" errors (a palette index past the palette, too much
     * image data, a misplaced chunk) are errors here. */
    png_set_benign_errors(png, 0);
    png_read_info(png, info);
    png_uint_32 w32, h32;
    int depth, ctype, interlace;
    png_get_IHDR(png, info, &w32, &h32, &depth, &ctype, &interlace, NULL, NULL);
    size_t w = w32, h = h32, npix, nbytes;
    /* Sizes, all before libpng allocates its row buffers
     * (png_read_update_info) and before pmk allocates anything: the pixel
     * count must not overflow, the IDAT data must be able to hold the image
     * data, and what pmk holds must fit under the ceiling, in that order
     * (the last depends on the machine). */
    if (pmk_size_mul(w, h, &npix) || pmk_size_mul(npix, sizeof(double), &nbytes))
        return img_check_size(ctx->path, 0, 0, "PNG", w, h, ctx->err);
    const unsigned bits = (unsigned)png_get_channels(png, info) * (unsigned)depth;
    size_t data = 0;
    if (png_data_bytes(w, h, bits, interlace != PNG_INTERLACE_NONE, &data)
        || data / 1032 > idat + 1)
        return pmk_error_at(ctx->err, PMK_ELIMIT, ctx->path, 0, 0,
                            "header claims %zu x %zu pixels (%zu bytes of image data) but "
                            "the file has only %zu bytes", w, h, data, ctx->len);

    int binary = 0, rgb = 0, palette = 0;   /* palette: its entry count */
    unsigned maxval, outbits;
    double luma[256];
    if (ctype == PNG_COLOR_TYPE_GRAY && depth == 1) {
        binary = 1;          /* bits kept packed, unpacked below */
        maxval = 1;
        outbits = 1;
    } else if (ctype == PNG_COLOR_TYPE_GRAY || ctype == PNG_COLOR_TYPE_GRAY_ALPHA) {
        if (depth < 8)
            png_set_packing(png);   /* one byte a sample, levels unscaled */
        maxval = (1u << depth) - 1u;
        outbits = depth == 16 ? 16 : 8;
    } else if (ctype == PNG_COLOR_TYPE_PALETTE) {
        /* Indices, one byte each, mapped to grey below, where an index past
         * the palette is an error (libpng would expand it to black). */
        if (depth < 8)
            png_set_packing(png);
        png_colorp pal = NULL;
        int npal = 0;
        if (!png_get_PLTE(png, info, &pal, &npal) || npal < 1)
            return pmk_error_at(ctx->err, PMK_EFORMAT, ctx->path, 0, 0,
                                "bad PNG: a palette image without a PLTE chunk");
        palette = npal;
        for (int k = 0; k < npal && k < 256; k++)
            luma[k] = (double)((299u * pal[k].red + 587u * pal[k].green + 114u * pal[k].blue
                                + 500u) / 1000u);
        maxval = 255u;
        outbits = 8;
    } else {
        rgb = 1;
        maxval = depth == 16 ? 65535u : 255u;
        outbits = depth == 16 ? 48 : 24;
    }
    if (ctype & PNG_COLOR_MASK_ALPHA)
        png_set_strip_alpha(png);
    /* What pmk holds: the decoded rows (after the transforms above) and the
     * pixel matrix; libpng adds two rows of at most 8 bytes a pixel. */
    size_t rowbytes_out = ((size_t)outbits * w) / 8 + (((size_t)outbits * w) % 8 != 0);
    size_t hold, need;
    if (pmk_size_mul(rowbytes_out, h, &need) || (hold = need + nbytes) < need
        || hold + 16 * w < hold)
        return img_check_size(ctx->path, 0, 0, "PNG", w, h, ctx->err);
    int rc = img_check_mem(ctx->path, 0, 0, "PNG", w, h, hold + 16 * w, ctx->err);
    if (rc)
        return rc;

    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    if (rowbytes != rowbytes_out)   /* a transform pmk did not foresee */
        return pmk_error_at(ctx->err, PMK_EUNSUP, ctx->path, 0, 0,
                            "unsupported PNG layout (colour type %d, bit depth %d)", ctype,
                            depth);

    if (passes > 1) {
        /* Interlaced: every pass revisits the rows, so all must exist at once
         * (their size is bounded above by the IDAT bytes).  Zeroed: libpng
         * merges each pass into the bytes already there. */
        if (!(ctx->raw = calloc(need ? need : 1, 1))
            || !(ctx->rows = malloc(h * sizeof *ctx->rows)))
            return pmk_error_at(ctx->err, PMK_ENOMEM, ctx->path, 0, 0, "out of memory");
        for (size_t r = 0; r < h; r++)
            ctx->rows[r] = ctx->raw + r * rowbytes;
        png_read_image(png, ctx->rows);
    } else {
        /* Row by row into a buffer that grows with the rows actually decoded. */
        size_t bcap = need < ((size_t)1 << 22) ? need : ((size_t)1 << 22);
        bcap = bcap < rowbytes ? rowbytes : bcap;
        if (!(ctx->raw = malloc(bcap)))
            return pmk_error_at(ctx->err, PMK_ENOMEM, ctx->path, 0, 0, "out of memory");
        for (size_t r = 0; r < h; r++) {
            if ((r + 1) * rowbytes > bcap) {
                size_t ncap = bcap > need / 2 ? need : bcap * 2;
                unsigned char *nr = realloc(ctx->raw, ncap);
                if (!nr)
                    return pmk_error_at(ctx->err, PMK_ENOMEM, ctx->path, 0, 0,
                                        "out of memory");
                ctx->raw = nr;
                bcap = ncap;
            }
            png_read_row(png, ctx->raw + r * rowbytes, NULL);
        }
    }
    png_read_end(png, NULL);
    if (ctx->warning[0])
        return pmk_error_at(ctx->err, PMK_EFORMAT, ctx->path, 0, 0, "bad PNG: %s",
                            ctx->warning);

    if (binary && ctx->spins) {
        pmk_spin_image *sp = img_spins_uninit(w, h, ctx->err);
        if (!sp)
            return ctx->err ? ctx->err->code : PMK_ENOMEM;
        int8_t slut[256][8];   /* PNG grey 0 is black: bit 1 -> -1 */
        img_spin_lut(slut, -1);
        for (size_t r = 0; r < h; r++)
            img_unpack_spins(ctx->raw + r * rowbytes, w, sp->spins + r * w, slut);
        *ctx->spins = sp;
        return PMK_OK;
    }
    if (!(ctx->img = img_alloc_uninit(w, h, binary, maxval, ctx->err)))
        return ctx->err ? ctx->err->code : PMK_ENOMEM;
    gsl_matrix *m = ctx->img->pix;
    const int wide = depth == 16;
    /* Samples a pixel after the transforms: 1 (grey) or 3 (RGB). */
    const size_t ch = png_get_channels(png, info);
    double lut[256][8];   /* PNG grey 0 is black: bit 0 -> +1, bit 1 -> -1 */
    if (binary)
        img_bits_lut(lut, -1.0, 1.0);
    for (size_t r = 0; r < h; r++) {
        const unsigned char *src = ctx->raw + r * rowbytes;
        double *dst = m->data + r * m->tda;
        if (binary) {
            img_unpack_bits(src, w, dst, lut);
        } else if (palette) {
            for (size_t c = 0; c < w; c++) {
                if (src[c] >= palette)
                    return pmk_error_at(ctx->err, PMK_EFORMAT, ctx->path, 0, 0,
                                        "bad PNG: palette index %u at row %zu, column %zu is "
                                        "past the palette's %d entries", (unsigned)src[c],
                                        r + 1, c + 1, palette);
                dst[c] = luma[src[c]];
            }
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
    ctx->spins = in->spins;
    int rc;
    size_t idat = 0;
    if ((rc = png_slurp(ctx, in, &idat))) {
        /* refused before libpng saw anything */
    } else if (!(ctx->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, ctx, on_error,
                                                   on_warning))
               || !(ctx->info = png_create_info_struct(ctx->png))) {
        rc = pmk_error_at(err, PMK_ENOMEM, in->path, 0, 0, "out of memory");
    } else if (setjmp(ctx->jb)) {
        rc = ctx->code ? ctx->code : PMK_EFORMAT;
    } else {
        rc = png_read_body(ctx, idat, out);
    }
    png_destroy_read_struct(&ctx->png, &ctx->info, NULL);
    CORE_FREE(ctx->rows, ctx->raw, ctx->file);
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

static int png_write_body(png_ctx *ctx, const img_view *img)
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
        unsigned char *row = ctx->row;
        if (depth == 1) {
            /* Spin +1 (black) is PNG grey 0: the PBM bits complemented,
             * padding bits clear. */
            img_view_bits(img, r, row);
            for (size_t k = 0; k < rowbytes; k++)
                row[k] = (unsigned char)~row[k];
            if (w % 8)
                row[rowbytes - 1] &= (unsigned char)(0xff00u >> (w % 8));
        } else {
            const double *src = m->data + r * m->tda;
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

int img_png_write(FILE *fp, const char *path, const img_view *img, pmk_error *err)
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
