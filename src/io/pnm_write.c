/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* pnm_write.c: Netpbm PBM (P4 raw, P1 plain) and PGM (P5 raw, P2 plain)
 * writers for a pmk_image or a spin image (an img_view).  P4 rows are packed
 * a byte at a time and written in blocks of about 64 KiB; P1 lines hold at
 * most 70 digits, P2 lines at most 70 characters; a binary image as PGM is
 * black 0, white 255 (maxval 255). */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io/image_internal.h"

int img_pbm_write(FILE *fp, const char *path, const img_view *img, int plain,
                  pmk_error *err)
{
    const size_t w = img->width, h = img->height;
    fprintf(fp, "%s\n%zu %zu\n", plain ? "P1" : "P4", w, h);
    if (plain) {
        /* Digits unseparated, at most 70 to a line, each row on its own lines. */
        char line[72];
        for (size_t r = 0; r < h; r++) {
            size_t k = 0;
            for (size_t c = 0; c < w; c++) {
                line[k++] = img_view_black(img, r, c) ? '1' : '0';
                if (k == 70 || c + 1 == w) {
                    line[k++] = '\n';
                    fwrite(line, 1, k, fp);
                    k = 0;
                }
            }
        }
        return PMK_OK;
    }
    /* Packed rows, gathered into blocks of about 64 KiB per fwrite. */
    const size_t rowbytes = w / 8 + (w % 8 != 0);
    size_t rows = rowbytes >= 65536 ? 1 : 65536 / rowbytes;
    rows = rows > h ? h : rows;
    unsigned char *buf = malloc(rows * rowbytes);
    if (!buf)
        return pmk_error_at(err, PMK_ENOMEM, path, 0, 0, "out of memory");
    for (size_t r0 = 0; r0 < h; r0 += rows) {
        size_t nr = h - r0 < rows ? h - r0 : rows;
        for (size_t k = 0; k < nr; k++)
            img_view_bits(img, r0 + k, buf + k * rowbytes);
        if (fwrite(buf, 1, nr * rowbytes, fp) != nr * rowbytes) {
            /* say why now: by the commit, errno would be long gone */
            int e = errno ? errno : EIO;
            free(buf);
            return pmk_error_at(err, PMK_EIO, path, 0, 0, "cannot write: %s", strerror(e));
        }
    }
    free(buf);
    return PMK_OK;
}

/* Grey level of pixel (r, c) of a valid view, 0..maxval; a binary one is
 * written black 0, white 255. */
static inline unsigned view_level(const img_view *img, size_t r, size_t c)
{
    if (img->binary)
        return img_view_black(img, r, c) ? 0u : 255u;
    return (unsigned)(img->pix->data[r * img->pix->tda + c] + 0.5);
}

int img_pgm_write(FILE *fp, const char *path, const img_view *img, int plain,
                  pmk_error *err)
{
    const size_t w = img->width, h = img->height;
    /* A binary image is written black 0, white 255. */
    const unsigned maxval = img->binary ? 255u : img->maxval;
    fprintf(fp, "%s\n%zu %zu\n%u\n", plain ? "P2" : "P5", w, h, maxval);
    const int bps = maxval > 255 ? 2 : 1;
    size_t rowbytes = plain ? 72 : w * (size_t)bps;
    unsigned char *row = malloc(rowbytes);
    if (!row)
        return pmk_error_at(err, PMK_ENOMEM, path, 0, 0, "out of memory");
    for (size_t r = 0; r < h; r++) {
        if (plain) {
            /* Samples separated by blanks, lines of at most 70 characters. */
            size_t k = 0;
            for (size_t c = 0; c < w; c++) {
                unsigned v = view_level(img, r, c);
                char num[8];
                int len = snprintf(num, sizeof num, "%u", v);
                if (k > 0 && k + 1 + (size_t)len > 70) {
                    row[k++] = '\n';
                    fwrite(row, 1, k, fp);
                    k = 0;
                }
                if (k > 0)
                    row[k++] = ' ';
                memcpy(row + k, num, (size_t)len);
                k += (size_t)len;
            }
            row[k++] = '\n';
            fwrite(row, 1, k, fp);
            continue;
        }
        if (img->spins) {
            /* -1 (0xff) >> 7 is 0xff, white; +1 >> 7 is 0, black. */
            const int8_t *src = img->spins + r * w;
            for (size_t c = 0; c < w; c++)
                row[c] = (unsigned char)(src[c] >> 7);
        } else {
            const double *src = img->pix->data + r * img->pix->tda;
            if (img->binary)
                for (size_t c = 0; c < w; c++)
                    row[c] = src[c] > 0 ? 0 : 255;
            else if (bps == 1)
                for (size_t c = 0; c < w; c++)
                    row[c] = (unsigned char)(src[c] + 0.5);
            else
                for (size_t c = 0; c < w; c++) {
                    unsigned v = (unsigned)(src[c] + 0.5);
                    row[2 * c] = (unsigned char)(v >> 8);
                    row[2 * c + 1] = (unsigned char)(v & 0xffu);
                }
        }
        if (fwrite(row, 1, rowbytes, fp) != rowbytes) {
            /* say why now: by the commit, errno would be long gone */
            int e = errno ? errno : EIO;
            free(row);
            return pmk_error_at(err, PMK_EIO, path, 0, 0, "cannot write: %s", strerror(e));
        }
    }
    free(row);
    return PMK_OK;
}
