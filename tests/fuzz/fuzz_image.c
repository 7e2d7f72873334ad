/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* fuzz_image.c: libFuzzer harness for the image readers (PBM P1/P4, PGM
 * P2/P5, PNG: the format is chosen by magic bytes, so one harness covers all). */
#include "fuzz_common.h"
#include "pmk/image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memfile(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    pmk_error err;
    pmk_image *img = NULL;
    if (pmk_image_read(path, &img, &err) == PMK_OK) {
        volatile double s = 0;
        for (size_t i = 0; i < img->height; i++)
            for (size_t j = 0; j < img->width; j++)
                s += gsl_matrix_get(img->pix, i, j);
        (void)s;
        pmk_image_free(img);
    }
    close(fd);
    return 0;
}
