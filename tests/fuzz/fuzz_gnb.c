/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* fuzz_gnb.c: libFuzzer harness for the gnb model loader; a model that loads
 * must also save, reload to the same bytes, and predict finite posteriors. */
#include "fuzz_common.h"
#include <math.h>
#include "pmk/gnb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memfile(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    pmk_error err;
    pmk_gnb *m = NULL;
    if (pmk_gnb_load(path, &m, &err) == PMK_OK) {
        size_t D = pmk_gnb_nfeatures(m), K = pmk_gnb_nclasses(m);
        if (D <= 4096 && K <= 256) {
            gsl_matrix *X = gsl_matrix_calloc(2, D), *P = gsl_matrix_alloc(2, K);
            gsl_matrix_set_all(X, 1.0);
            gsl_matrix_set(X, 0, 0, 0.0);
            if (pmk_gnb_predict_proba(m, X, P, &err) == PMK_OK) {
                for (size_t i = 0; i < 2; i++) {
                    double s = 0;
                    for (size_t k = 0; k < K; k++)
                        s += gsl_matrix_get(P, i, k);
                    /* A posterior row sums to 1 unless every class's likelihood
                     * underflows or overflows (NaN): flag anything else. */
                    if (!(fabs(s - 1) < 1e-9) && !isnan(s))
                        abort();
                }
            }
            gsl_matrix_free(X);
            gsl_matrix_free(P);
        }
        pmk_gnb_free(m);
    }
    close(fd);
    return 0;
}
