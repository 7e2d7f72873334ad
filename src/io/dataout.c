/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* dataout.c: atomic, optionally gzipped output files for the data-set writers
 * (CSV and IDX), on top of pmk_outfile. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "io/dataout_internal.h"

static int ends_with_gz(const char *path)
{
    size_t n = strlen(path);
    return n > 3 && strcmp(path + n - 3, ".gz") == 0;
}

int pmk_dataout_open(pmk_dataout *w, const char *path, pmk_error *err)
{
    w->gz = NULL;
    w->shown = NULL;
    int rc = pmk_outfile_open(&w->o, path, err);
    if (rc)
        return rc;
    const char *shown = strcmp(path, "-") == 0 ? "<stdout>" : path;
    if (!(w->shown = strdup(shown))) {
        pmk_outfile_abort(&w->o);
        return pmk_error_at(err, PMK_ENOMEM, shown, 0, 0, "out of memory");
    }
    if (w->o.fp != stdout && ends_with_gz(path)) {
        /* zlib writes through its own descriptor on the same open file; the
         * FILE stream holds no buffered bytes, and commit fsyncs the file. */
        int fd = dup(fileno(w->o.fp));
        gzFile gz = fd >= 0 ? gzdopen(fd, "wb") : NULL;
        if (!gz) {
            int e = errno;
            if (fd >= 0)
                close(fd);
            pmk_dataout_abort(w);
            return pmk_error_at(err, PMK_EIO, shown, 0, 0, "cannot write: %s",
                                strerror(e ? e : ENOMEM));
        }
        gzbuffer(gz, 1 << 17);
        w->gz = gz;
    }
    return PMK_OK;
}

int pmk_dataout_write(pmk_dataout *w, const void *buf, size_t n, pmk_error *err)
{
    if (n == 0)
        return PMK_OK;
    if (w->gz) {
        const char *p = buf;
        while (n > 0) {
            unsigned part = n > (1u << 30) ? (1u << 30) : (unsigned)n;
            if (gzwrite((gzFile)w->gz, p, part) != (int)part) {
                int zerr;
                const char *m = gzerror((gzFile)w->gz, &zerr);
                return pmk_error_at(err, PMK_EIO, w->shown, 0, 0, "cannot write: %s",
                                    zerr == Z_ERRNO ? strerror(errno) : m);
            }
            p += part;
            n -= part;
        }
        return PMK_OK;
    }
    if (fwrite(buf, 1, n, w->o.fp) != n)
        return pmk_error_at(err, PMK_EIO, w->shown, 0, 0, "cannot write: %s", strerror(errno));
    return PMK_OK;
}

int pmk_dataout_commit(pmk_dataout *w, pmk_error *err)
{
    if (w->gz) {
        int zrc = gzclose_w((gzFile)w->gz);
        int e = errno;
        w->gz = NULL;
        if (zrc != Z_OK) {
            int code = pmk_error_at(err, PMK_EIO, w->shown, 0, 0, "cannot write: %s",
                                    zrc == Z_ERRNO ? strerror(e) : "gzip stream failed");
            pmk_dataout_abort(w);
            return code;
        }
    }
    int rc = pmk_outfile_commit(&w->o, err);
    free(w->shown);
    w->shown = NULL;
    return rc;
}

void pmk_dataout_abort(pmk_dataout *w)
{
    if (w->gz) {
        gzclose_w((gzFile)w->gz);
        w->gz = NULL;
    }
    pmk_outfile_abort(&w->o);
    free(w->shown);
    w->shown = NULL;
}
