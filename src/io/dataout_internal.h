/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* dataout_internal.h: what the data-set readers and writers (CSV, IDX) share:
 * the output side (an atomic pmk_outfile, gzipped when the target's name ends
 * in ".gz").  The memory ceiling is
 * pmk_mem_limit / pmk_mem_check (pmk/limits.h). */
#ifndef PMK_DATAOUT_INTERNAL_H
#define PMK_DATAOUT_INTERNAL_H

#include <stddef.h>
#include "pmk/stream.h"

typedef struct pmk_dataout {
    pmk_outfile o;      /* the atomic output file */
    void *gz;           /* gzFile when gzipping, else NULL */
    char *shown;        /* the path for messages ("<stdout>" for "-") */
} pmk_dataout;

/* Opens @p path ("-" = stdout, never gzipped); a name ending in ".gz" is
 * gzipped at zlib's default level. */
int pmk_dataout_open(pmk_dataout *w, const char *path, pmk_error *err);

/* Writes @p n bytes; errors name the file. */
int pmk_dataout_write(pmk_dataout *w, const void *buf, size_t n, pmk_error *err);

/* Finishes the gzip stream if any and commits the file (rename over target). */
int pmk_dataout_commit(pmk_dataout *w, pmk_error *err);

/* Abandons the output: the target is left as it was.  Safe after commit. */
void pmk_dataout_abort(pmk_dataout *w);

#endif
