/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* pnm.c: Netpbm PBM (P1 plain, P4 raw) and PGM (P2 plain, P5 raw) readers
 * (the writers are in pnm_write.c), following the Netpbm format
 * specifications (netpbm.sourceforge.net
 * doc/pbm.html, doc/pgm.html).
 *
 * Header: the magic, then width, height and (PGM only) maxval as ASCII
 * decimals separated by whitespace (blank, TAB, CR, LF, VT, FF); a '#' starts
 * a comment running to the end of the line, and reads as that line end, so it
 * may sit anywhere whitespace may (also as the single whitespace character
 * that ends the header, as libnetpbm's pm_getc does).  Raw rasters follow that
 * one character: P4 packs 8 pixels a byte, most significant bit first, each
 * row padded to a whole byte; P5 stores one byte a sample, or two big-endian
 * bytes when maxval > 255.  Plain rasters are ASCII: P1 digits 0/1, which need
 * no separators; P2 decimals separated by whitespace.  Comments are accepted
 * in plain rasters too (libnetpbm does).  After the raster only whitespace
 * may follow (and comments, after a plain raster): Netpbm allows several
 * images in one file, but pmk reads one image a file, so anything else, a
 * second image included, is an error rather than silently dropped.
 *
 * A lying header must not make the reader allocate what the file cannot
 * back: when the file size is known (a regular, uncompressed file) a raw
 * raster that is not all there is refused before any allocation, and
 * otherwise the raster is read into a buffer that grows only with the bytes
 * that actually arrive; the pixel matrix is allocated once the raster is in.
 * Less than half of the raster present is PMK_ELIMIT ("header claims ..."),
 * more is a short raster, PMK_EFORMAT.
 *
 * Read as spins (img_in.spins): a P4 raster the file is known to hold is
 * unpacked straight from the read window into the spin image; a P5, P2 or P1
 * raster as above, and a PGM whose samples are all 0 or maxval is binary. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/image_internal.h"

/* ---------------------------------------------------------------- header */

static inline int is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* The next character, with a comment read as its line end and lines counted. */
static int hdr_getc(img_in *in)
{
    int c = img_getc(in);
    if (c == '#') {
        do
            c = img_getc(in);
        while (c >= 0 && c != '\n' && c != '\r');
    }
    if (c == '\n') {
        in->line++;
        in->linestart = img_offset(in);
    }
    return c;
}

/* A printable form of byte @p c for messages ('x' or \xNN). */
static const char *show_char(int c, char buf[8])
{
    if (c >= 0x21 && c < 0x7f)
        snprintf(buf, 8, "'%c'", c);
    else
        snprintf(buf, 8, "\\x%02x", (unsigned)c & 0xffu);
    return buf;
}

/* Reads one header number naming it @p what.  *term gets the character that
 * ended it (whitespace, or -1 at end of file); anything else is an error.
 * *line / *col get the number's position.  Values beyond 2^40 saturate. */
static int hdr_uint(img_in *in, const char *what, unsigned long long *val, int *term,
                    long *line, long *col)
{
    char sb[8];
    int c;
    do
        c = hdr_getc(in);
    while (is_space(c));
    if (c < 0) {
        if (in->failed)
            return in->err ? in->err->code : PMK_EIO;
        return pmk_error_at(in->err, PMK_EFORMAT, in->path, in->line, 0,
                            "end of file in the header, expected the %s", what);
    }
    *line = in->line;
    *col = img_col(in);
    if (c < '0' || c > '9')
        return pmk_error_at(in->err, PMK_EFORMAT, in->path, *line, *col,
                            "bad %s: expected a decimal number, found %s", what,
                            show_char(c, sb));
    unsigned long long v = 0;
    while (c >= '0' && c <= '9') {
        if (v < (1ULL << 40))
            v = v * 10 + (unsigned)(c - '0');
        c = hdr_getc(in);
    }
    if (c >= 0 && !is_space(c))
        return pmk_error_at(in->err, PMK_EFORMAT, in->path, in->line, img_col(in),
                            "bad %s: expected whitespace after the number, found %s", what,
                            show_char(c, sb));
    if (c < 0 && in->failed)
        return in->err ? in->err->code : PMK_EIO;
    *val = v;
    *term = c;
    return PMK_OK;
}

/* A width or height: 1..IMG_MAX_DIM. */
static int hdr_dim(img_in *in, const char *what, size_t *out, int *term, long *line,
                   long *col)
{
    unsigned long long v;
    int rc = hdr_uint(in, what, &v, term, line, col);
    if (rc)
        return rc;
    if (v == 0)
        return pmk_error_at(in->err, PMK_EFORMAT, in->path, *line, *col, "%s is 0", what);
    if (v >= (1ULL << 40))
        return pmk_error_at(in->err, PMK_ELIMIT, in->path, *line, *col,
                            "%s is too large (more than %lu)", what, IMG_MAX_DIM);
    if (v > IMG_MAX_DIM)
        return pmk_error_at(in->err, PMK_ELIMIT, in->path, *line, *col,
                            "%s %llu is too large (more than %lu)", what, v, IMG_MAX_DIM);
    *out = (size_t)v;
    return PMK_OK;
}

/* ---------------------------------------------------------------- rasters */

/* A raster of @p need bytes of which only @p have exist.  Less than half
 * present means the header is lying rather than the file truncated: that is
 * a size limit (PMK_ELIMIT), the rest a short raster (PMK_EFORMAT).  Plain
 * rasters only come here for the first kind, with @p need a lower bound. */
static int raster_short(img_in *in, size_t w, size_t h, size_t need, size_t have, int plain)
{
    if (plain || have < need / 2 + need % 2)
        return pmk_error_at(in->err, PMK_ELIMIT, in->path, 0, 0,
                            "header claims %zu x %zu pixels (%s%zu bytes of raster) but only "
                            "%zu bytes follow it", w, h, plain ? "at least " : "", need, have);
    return pmk_error_at(in->err, PMK_EFORMAT, in->path, 0, 0,
                        "short raster: expected %zu bytes of raster, found %zu", need, have);
}

/* When the file's size is known, a raster it cannot hold is refused here,
 * before anything is allocated.  For plain rasters only a gross shortfall is
 * refused here; a plain raster that merely ends early is reported with the
 * line where it ended, after parsing. */
static int raster_plausible(img_in *in, size_t w, size_t h, size_t need, int plain)
{
    long long rem = img_remaining(in);
    if (rem < 0 || (unsigned long long)rem >= need)
        return PMK_OK;
    if (plain && (unsigned long long)rem * 2 >= need)
        return PMK_OK;
    return raster_short(in, w, h, need, (size_t)rem, plain);
}

/* Bytes a P4 / P5 row takes (w * h * 8 fits in size_t, so these do). */
static size_t raw_rowbytes(int pbm, size_t w, unsigned maxval)
{
    return pbm ? w / 8 + (w % 8 != 0) : w * (size_t)(maxval > 255 ? 2 : 1);
}

static int raw_plausible(img_in *in, int pbm, size_t w, size_t h, unsigned maxval)
{
    return raster_plausible(in, w, h, raw_rowbytes(pbm, w, maxval) * h, 0);
}

/* Each P1 pixel takes one byte at least, each P2 sample two (but the last). */
static int plain_plausible(img_in *in, int pbm, size_t w, size_t h)
{
    return raster_plausible(in, w, h, pbm ? w * h : 2 * (w * h) - 1, 1);
}

/* The error for data after the image at byte offset @p off (raw) or at the
 * current line and column (plain), naming a second image when one starts
 * there ("P1".."P7"). */
static int trailing_error(img_in *in, int plain, size_t off, long line, long col, int second)
{
    const char *what = second ? "a second image follows the first"
                              : "data after the end of the image";
    if (plain)
        return pmk_error_at(in->err, PMK_EFORMAT, in->path, line, col,
                            "%s: pmk reads one image a file", what);
    return pmk_error_at(in->err, PMK_EFORMAT, in->path, 0, 0,
                        "%s (at offset %zu): pmk reads one image a file", what, off);
}

/* Reads what follows the raster to the end of the file: whitespace (and, in
 * plain files, comments) only.  @p c is the byte already read after the
 * raster (plain), or -2 when none was (raw).  The window is scanned in
 * place, so megabytes of trailing blanks cost one pass. */
static int check_trailing(img_in *in, int plain, int c)
{
    int comment = 0;
    if (c >= 0) {
        if (c == '\n') {
            in->line++;
            in->linestart = img_offset(in);
        } else if (c == '#') {
            comment = 1;
        } else if (!is_space(c)) {
            int second = c == 'P';
            if (second) {
                long n = img_ensure(in, 1);
                second = n > 0 && in->buf[in->pos] >= '1' && in->buf[in->pos] <= '7';
            }
            return trailing_error(in, plain, img_offset(in) - 1, in->line, img_col(in), second);
        }
    } else if (c == -1) {
        return in->failed ? (in->err ? in->err->code : PMK_EIO) : PMK_OK;
    }
    for (;;) {
        if (in->pos == in->len) {
            long r = img_fill(in);
            if (r < 0)
                return in->err ? in->err->code : PMK_EIO;
            if (r == 0)
                return PMK_OK;
        }
        const unsigned char *b = in->buf;
        size_t i = in->pos, e = in->len;
        for (; i < e; i++) {
            unsigned char ch = b[i];
            if (ch == '\n') {
                in->line++;
                in->linestart = in->base + i + 1;
                comment = 0;
            } else if (comment) {
                comment = ch != '\r';
            } else if (plain && ch == '#') {
                comment = 1;
            } else if (!is_space(ch)) {
                break;
            }
        }
        in->pos = i;
        if (i < e) {
            int second = b[i] == 'P';
            in->pos++;   /* the offending byte, for the column */
            if (second) {
                long n = img_ensure(in, 1);
                second = n > 0 && in->buf[in->pos] >= '1' && in->buf[in->pos] <= '7';
            }
            return trailing_error(in, plain, img_offset(in) - 1, in->line, img_col(in), second);
        }
    }
}

/* Whether every sample of a P5 raster is 0 or maxval (a binary image written
 * as PGM). */
static int raw_is_binary(const unsigned char *raster, size_t n, int bps, unsigned maxval)
{
    unsigned bad = 0;
    if (bps == 1) {
        const unsigned char top = (unsigned char)maxval;
        for (size_t i = 0; i < n; i++) /* vectorisable: no early exit */
            bad |= (unsigned)(raster[i] != 0 && raster[i] != top);
    } else {
        for (size_t i = 0; i + 1 < n; i += 2) {
            unsigned v = (unsigned)raster[i] << 8 | raster[i + 1];
            bad |= (unsigned)(v != 0 && v != maxval);
        }
    }
    return !bad;
}

/* A P4 raster, or a P5 one of 0/maxval samples (0 black), as spins. */
static int raw_spins(img_in *in, const unsigned char *raster, int pbm, size_t w, size_t h,
                     size_t rowbytes, int bps)
{
    pmk_spin_image *sp = img_spins_uninit(w, h, in->err);
    if (!sp)
        return in->err ? in->err->code : PMK_ENOMEM;
    if (pbm) {
        int8_t lut[256][8];   /* PBM bit 1 = black = +1 */
        img_spin_lut(lut, 1);
        for (size_t r = 0; r < h; r++)
            img_unpack_spins(raster + r * rowbytes, w, sp->spins + r * w, lut);
    } else {
        const size_t n = w * h;
        for (size_t i = 0; i < n; i++)
            sp->spins[i] = (raster[(size_t)bps * i] | raster[(size_t)bps * i + (size_t)bps - 1])
                               ? -1 : 1;
    }
    *in->spins = sp;
    return PMK_OK;
}

/* P4 into spins when the file is known to hold the whole raster: unpacked
 * straight from the read window, with no raster buffer (whose fresh pages
 * would cost more than the unpacking). */
static int p4_stream_spins(img_in *in, size_t w, size_t h, size_t rowbytes)
{
    pmk_spin_image *sp = img_spins_uninit(w, h, in->err);
    if (!sp)
        return in->err ? in->err->code : PMK_ENOMEM;
    int8_t lut[256][8];   /* PBM bit 1 = black = +1 */
    img_spin_lut(lut, 1);
    const size_t full = w / 8;
    const unsigned tail = (unsigned)(w % 8), mask = (0xff00u >> tail) & 0xffu;
    size_t r = 0, k = 0, got = 0;   /* row, byte within it, bytes so far */
    int rc = PMK_OK;
    while (r < h) {
        if (in->pos == in->len) {
            long n = img_fill(in);
            if (n <= 0) {   /* the file shrank since it was measured */
                rc = n < 0 ? (in->err ? in->err->code : PMK_EIO)
                           : raster_short(in, w, h, rowbytes * h, got, 0);
                break;
            }
        }
        size_t take = in->len - in->pos;
        if (take > rowbytes - k)
            take = rowbytes - k;
        const unsigned char *src = in->buf + in->pos;
        int8_t *dst = sp->spins + r * w;
        for (size_t j = 0; j < take; j++, k++) {
            if (k < full)
                memcpy(dst + 8 * k, lut[src[j]], 8);
            else   /* padding bits masked off */
                memcpy(dst + 8 * k, lut[src[j] & mask], tail);
        }
        in->pos += take;
        got += take;
        if (k == rowbytes) {
            r++;
            k = 0;
        }
    }
    if (rc == PMK_OK)
        rc = check_trailing(in, 0, -2);
    if (rc != PMK_OK) {
        pmk_spin_image_free(sp);
        return rc;
    }
    *in->spins = sp;
    return PMK_OK;
}

/* The w x h image a PBM or PGM raster fills (uninitialised), or NULL (out
 * of memory, in->err set) with the raster freed. */
static pmk_image *raster_image(img_in *in, size_t w, size_t h, int pbm, unsigned maxval,
                               void *raster)
{
    pmk_image *img = img_alloc_uninit(w, h, pbm, pbm ? 1 : maxval, in->err);
    if (!img)
        free(raster);
    return img;
}

/* P4 / P5: the raster is read whole, then unpacked row by row. */
static int raw_read(img_in *in, int pbm, size_t w, size_t h, unsigned maxval, pmk_image **out)
{
    const size_t rowbytes = raw_rowbytes(pbm, w, maxval), need = rowbytes * h;
    const int bps = maxval > 255 ? 2 : 1;
    int rc;
    unsigned char *raster;
    size_t got;
    long long rem = img_remaining(in);
    if (in->spins && pbm && rem >= 0 && (unsigned long long)rem >= need)
        return p4_stream_spins(in, w, h, rowbytes);
    if ((rc = img_read_upto(in, need, &raster, &got)))
        return rc;
    if (got < need) {
        /* Only when the size was unknown (gzip, a pipe): the same verdict. */
        free(raster);
        return raster_short(in, w, h, need, got, 0);
    }
    if ((rc = check_trailing(in, 0, -2))) {
        free(raster);
        return rc;
    }
    if (in->spins && (pbm || raw_is_binary(raster, need, bps, maxval))) {
        rc = raw_spins(in, raster, pbm, w, h, rowbytes, bps);
        free(raster);
        return rc;
    }
    pmk_image *img = raster_image(in, w, h, pbm, maxval, raster);
    if (!img)
        return in->err ? in->err->code : PMK_ENOMEM;
    gsl_matrix *m = img->pix;
    double lut[256][8];   /* PBM bit 1 = black = +1 */
    if (pbm)
        img_bits_lut(lut, 1.0, -1.0);
    for (size_t r = 0; r < h; r++) {
        const unsigned char *src = raster + r * rowbytes;
        double *dst = m->data + r * m->tda;
        if (pbm) {
            img_unpack_bits(src, w, dst, lut);
            continue;
        }
        unsigned worst = 0;
        if (bps == 1) {
            for (size_t c = 0; c < w; c++) {
                unsigned v = src[c];
                worst = v > worst ? v : worst;
                dst[c] = v;
            }
        } else {
            for (size_t c = 0; c < w; c++) {
                unsigned v = (unsigned)src[2 * c] << 8 | src[2 * c + 1];
                worst = v > worst ? v : worst;
                dst[c] = v;
            }
        }
        if (worst > maxval) {
            size_t c = 0;
            while (dst[c] <= maxval)
                c++;
            rc = pmk_error_at(in->err, PMK_EFORMAT, in->path, 0, 0,
                              "sample %u at row %zu, column %zu exceeds maxval %u",
                              (unsigned)dst[c], r + 1, c + 1, maxval);
            pmk_image_free(img);
            free(raster);
            return rc;
        }
    }
    free(raster);
    *out = img;
    return PMK_OK;
}

/* P1 / P2: samples are parsed into a buffer that grows with what arrives. */
static int plain_read(img_in *in, int pbm, size_t w, size_t h, unsigned maxval,
                      pmk_image **out)
{
    size_t n = w * h, k = 0, cap;
    char sb[8];
    cap = n < 65536 ? n : 65536;
    uint16_t *s = malloc(cap * sizeof *s);
    if (!s)
        return pmk_error_at(in->err, PMK_ENOMEM, in->path, 0, 0, "out of memory");
    int c = img_getc(in);
    while (k < n) {
        if (c < 0)
            break;
        if (c == '\n') {
            in->line++;
            in->linestart = img_offset(in);
            c = img_getc(in);
            continue;
        }
        if (is_space(c)) {
            c = img_getc(in);
            continue;
        }
        if (c == '#') {
            do
                c = img_getc(in);
            while (c >= 0 && c != '\n' && c != '\r');
            continue;
        }
        if (k == cap) {
            size_t ncap = cap > n / 2 ? n : cap * 2;
            uint16_t *ns = realloc(s, ncap * sizeof *s);
            if (!ns) {
                free(s);
                return pmk_error_at(in->err, PMK_ENOMEM, in->path, 0, 0, "out of memory");
            }
            s = ns;
            cap = ncap;
        }
        if (pbm) {
            if (c != '0' && c != '1') {
                free(s);
                return pmk_error_at(in->err, PMK_EFORMAT, in->path, in->line, img_col(in),
                                    "bad character %s in the PBM raster (expected 0 or 1)",
                                    show_char(c, sb));
            }
            s[k++] = (uint16_t)(c - '0');
            c = img_getc(in);
            continue;
        }
        if (c < '0' || c > '9') {
            free(s);
            return pmk_error_at(in->err, PMK_EFORMAT, in->path, in->line, img_col(in),
                                "bad character %s in the PGM raster (expected a decimal "
                                "sample)", show_char(c, sb));
        }
        long col = img_col(in);
        unsigned long v = 0;
        while (c >= '0' && c <= '9') {
            if (v <= 65535)
                v = v * 10 + (unsigned)(c - '0');
            c = img_getc(in);
        }
        if (v > maxval) {
            free(s);
            if (v > 65535)
                return pmk_error_at(in->err, PMK_EFORMAT, in->path, in->line, col,
                                    "sample exceeds maxval %u", maxval);
            return pmk_error_at(in->err, PMK_EFORMAT, in->path, in->line, col,
                                "sample %lu exceeds maxval %u", v, maxval);
        }
        if (c >= 0 && !is_space(c) && c != '#') {
            free(s);
            return pmk_error_at(in->err, PMK_EFORMAT, in->path, in->line, img_col(in),
                                "bad character %s in the PGM raster (expected a decimal "
                                "sample)", show_char(c, sb));
        }
        s[k++] = (uint16_t)v;
    }
    if (k < n) {
        free(s);
        if (in->failed)
            return in->err ? in->err->code : PMK_EIO;
        /* A file ending in a newline ends on the line before the empty one. */
        long line = in->line > 1 && img_offset(in) == in->linestart ? in->line - 1 : in->line;
        return pmk_error_at(in->err, PMK_EFORMAT, in->path, line, 0,
                            "short raster: expected %zu samples, found %zu (end of file)", n, k);
    }
    int rc = check_trailing(in, 1, c);
    if (rc) {
        free(s);
        return rc;
    }
    if (in->spins) {
        /* P1, or P2 of 0/maxval samples only: spins (PBM 1 and PGM 0 are black). */
        unsigned bad = 0;
        for (size_t i = 0; !pbm && i < n; i++)
            bad |= (unsigned)(s[i] != 0 && s[i] != maxval);
        if (!bad) {
            pmk_spin_image *sp = img_spins_uninit(w, h, in->err);
            if (!sp) {
                free(s);
                return in->err ? in->err->code : PMK_ENOMEM;
            }
            for (size_t i = 0; i < n; i++)
                sp->spins[i] = (int8_t)(pbm ? (s[i] ? 1 : -1) : (s[i] ? -1 : 1));
            free(s);
            *in->spins = sp;
            return PMK_OK;
        }
    }
    pmk_image *img = raster_image(in, w, h, pbm, maxval, s);
    if (!img)
        return in->err ? in->err->code : PMK_ENOMEM;
    for (size_t r = 0; r < h; r++) {
        const uint16_t *src = s + r * w;
        double *dst = img->pix->data + r * img->pix->tda;
        if (pbm)
            for (size_t x = 0; x < w; x++)
                dst[x] = src[x] ? 1.0 : -1.0;
        else
            for (size_t x = 0; x < w; x++)
                dst[x] = src[x];
    }
    free(s);
    *out = img;
    return PMK_OK;
}

int img_pnm_read(img_in *in, pmk_image **out, pmk_error *err)
{
    int magic[2] = {img_getc(in), img_getc(in)};
    int kind = magic[1];   /* '1', '2', '4' or '5': checked by the caller */
    int pbm = kind == '1' || kind == '4', plain = kind == '1' || kind == '2';
    const char *fmt = pbm ? "PBM" : "PGM";
    size_t w, h;
    int term, rc;
    long wline, wcol, hline, hcol;
    unsigned maxval = 1;
    (void)err;
    if ((rc = hdr_dim(in, "width", &w, &term, &wline, &wcol)))
        return rc;
    if (term < 0)
        return pmk_error_at(in->err, PMK_EFORMAT, in->path, in->line, 0,
                            "end of file in the header, expected the height");
    if ((rc = hdr_dim(in, "height", &h, &term, &hline, &hcol)))
        return rc;
    if (!pbm) {
        unsigned long long v;
        long line, col;
        if (term < 0)
            return pmk_error_at(in->err, PMK_EFORMAT, in->path, in->line, 0,
                                "end of file in the header, expected the maxval");
        if ((rc = hdr_uint(in, "maxval", &v, &term, &line, &col)))
            return rc;
        if (v == 0 || v > 65535) {
            if (v >= (1ULL << 40))
                return pmk_error_at(in->err, PMK_EFORMAT, in->path, line, col,
                                    "maxval is out of range 1..65535");
            return pmk_error_at(in->err, PMK_EFORMAT, in->path, line, col,
                                "maxval %llu is out of range 1..65535", v);
        }
        maxval = (unsigned)v;
    }
    /* The header ends with the one whitespace character already read.  The
     * size is checked in three steps, all before any allocation: the pixel
     * count must not overflow, the file must plausibly hold the raster, and
     * the pixel matrix must fit in memory (the last depends on the machine,
     * so it comes after the checks that depend only on the file). */
    size_t npix, nbytes;
    if (pmk_size_mul(w, h, &npix) || pmk_size_mul(npix, sizeof(double), &nbytes))
        return img_check_size(in->path, wline, wcol, fmt, w, h, in->err);
    if ((rc = plain ? plain_plausible(in, pbm, w, h) : raw_plausible(in, pbm, w, h, maxval)))
        return rc;
    if ((rc = img_check_size(in->path, wline, wcol, fmt, w, h, in->err)))
        return rc;
    if (plain)
        return plain_read(in, pbm, w, h, maxval, out);
    return raw_read(in, pbm, w, h, maxval, out);
}
