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

/* ---------------------------------------------------------------- memory */

static unsigned long long env_max_memory(void)
{
    const char *s = getenv("PMK_MAX_MEMORY");
    if (!s || *s < '0' || *s > '9')
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno)
        return 0;
    int shift = 0;
    switch (*end) {
    case '\0': break;
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    case 't': case 'T': shift = 40; end++; break;
    default: return 0;
    }
    if (*end != '\0' || v > (ULLONG_MAX >> shift))
        return 0;
    return v << shift;
}

unsigned long long pmk_dataio_mem_cap(int *from_env)
{
    unsigned long long cap = 0;
    long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
    if (pages > 0 && psize > 0)
        cap = (unsigned long long)pages * (unsigned long long)psize;
    unsigned long long env = env_max_memory();
    int e = env && (!cap || env < cap);
    if (e)
        cap = env;
    if (from_env)
        *from_env = e;
    return cap;
}

int pmk_dataio_mem_check(const char *file, long line, unsigned long long bytes,
                         const char *what, pmk_error *err)
{
    int from_env;
    unsigned long long cap = pmk_dataio_mem_cap(&from_env);
    if (!cap || bytes <= cap)
        return PMK_OK;
    if (from_env)
        return pmk_error_at(err, PMK_ELIMIT, file, line, 0,
                            "%s needs %llu bytes, more than the PMK_MAX_MEMORY limit of %llu "
                            "bytes", what, bytes, cap);
    return pmk_error_at(err, PMK_ELIMIT, file, line, 0,
                        "%s needs %llu bytes, more than the %llu bytes of memory", what, bytes,
                        cap);
}
