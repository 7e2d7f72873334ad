/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* fuzz_idx.c: libFuzzer harness for the IDX reader (images and labels). */
#include "fuzz_common.h"
#include "pmk/idx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memfile(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    pmk_error err;
    gsl_matrix *X = NULL;
    size_t dims[8], nd = 0;
    if (pmk_idx_read(path, &X, dims, &nd, &err) == PMK_OK)
        gsl_matrix_free(X);
    long *y = NULL;
    size_t n = 0;
    if (pmk_idx_read_labels(path, &y, &n, &err) == PMK_OK)
        free(y);
    close(fd);
    return 0;
}
