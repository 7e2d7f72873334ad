/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* fuzz_csv.c: libFuzzer harness for the CSV reader (plain and gzip, streamed
 * in small chunks, and the whole-file reader), with header detection on. */
#include "fuzz_common.h"
#include "pmk/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = fuzz_memfile(data, size, path, sizeof path);
    if (fd < 0)
        return 0;
    pmk_csv_options opt;
    pmk_csv_options_init_default(&opt);
    opt.chunk_rows = 3;
    opt.max_line = 1 << 16;
    pmk_error err;
    pmk_csv_reader *r = pmk_csv_open(path, &opt, &err);
    if (r) {
        pmk_csv_chunk c;
        size_t d = pmk_csv_ncols(r);
        while (pmk_csv_read_chunk(r, &c, &err) == PMK_OK && c.n > 0) {
            /* touch every value so that ASan sees out-of-bounds views */
            volatile double s = 0;
            for (size_t i = 0; i < c.n; i++)
                for (size_t j = 0; j < d; j++)
                    s += gsl_matrix_get(&c.X.matrix, i, j);
            (void)s;
        }
        pmk_csv_close(r);
    }
    pmk_dataset *ds = NULL;
    if (pmk_csv_read_all(path, &opt, &ds, &err) == PMK_OK)
        pmk_dataset_free(ds);
    close(fd);
    return 0;
}
