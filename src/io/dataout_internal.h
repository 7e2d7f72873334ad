/* dataout_internal.h: what the data-set readers and writers (CSV, IDX) share:
 * the output side (an atomic pmk_outfile, gzipped when the target's name ends
 * in ".gz") and the memory ceiling for a data set held in memory. */
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

/* The most bytes one data set may take in memory: the machine's physical
 * memory, lowered by the environment variable PMK_MAX_MEMORY (a byte count
 * with an optional k, M, G or T suffix, powers of 1024) when it is set lower;
 * 0 when neither is known.  @p from_env (may be NULL) is set to 1 when the
 * limit comes from PMK_MAX_MEMORY.  (The image readers parse the same
 * variable; the two belong in core.) */
unsigned long long pmk_dataio_mem_cap(int *from_env);

/* Fills @p err with "F[:LINE]: WHAT needs N bytes, more than the
 * PMK_MAX_MEMORY limit of C bytes" (or "... the C bytes of memory") and
 * returns PMK_ELIMIT when @p bytes is above the cap; else returns PMK_OK. */
int pmk_dataio_mem_check(const char *file, long line, unsigned long long bytes,
                         const char *what, pmk_error *err);

#endif
