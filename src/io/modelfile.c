/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* modelfile.c: the path helpers of the model files.  The models read and
 * write streams (pmk_gnb_read/_write, pmk_rbm_read/_write) and open no file;
 * here a path becomes a pmk_instream, or an atomic pmk_outfile whose
 * temporary file replaces the target only when the whole model is written. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "pmk/gnb.h"
#include "pmk/rbm.h"
#include "pmk/stream.h"

/* Writes through @p put into an atomic output at @p path; a failed write
 * leaves the target as it was.  Errors name the path. */
static int save_path(const void *m, int (*put)(const void *, FILE *, pmk_error *),
                     const char *path, pmk_error *err)
{
    pmk_outfile o;
    int rc = pmk_outfile_open(&o, path, err);
    if (rc)
        return rc;
    /* A model is hundreds of KB to MB: written in 256 KiB blocks, not the
     * file's 4 KiB (85 write calls for a Fashion-MNIST classifier); a
     * stream that is not a file (stdout to a pipe) keeps its own. */
    enum { MODEL_BUF = 1 << 18 };
    char *buf = o.fp != stdout ? malloc(MODEL_BUF) : NULL;
    if (buf && setvbuf(o.fp, buf, _IOFBF, MODEL_BUF) != 0) {
        free(buf);
        buf = NULL;
    }
    if ((rc = put(m, o.fp, err))) {
        pmk_outfile_abort(&o);
        free(buf);
        pmk_error_prefix(err, path);
        return rc;
    }
    rc = pmk_outfile_commit(&o, err);   /* closes the stream, then its buffer can go */
    free(buf);
    return rc;
}

static int put_gnb(const void *m, FILE *f, pmk_error *err) { return pmk_gnb_write(m, f, err); }
static int put_rbm(const void *m, FILE *f, pmk_error *err) { return pmk_rbm_write(m, f, err); }

int pmk_gnb_save(const pmk_gnb *m, const char *path, pmk_error *err)
{
    return save_path(m, put_gnb, path, err);
}

int pmk_rbm_save(const pmk_rbm *m, const char *path, pmk_error *err)
{
    return save_path(m, put_rbm, path, err);
}

/* Reads a model through @p get from the file at @p path (errors name it);
 * *out is NULL unless it succeeds. */
static int load_path(const char *path, void **out,
                     int (*get)(pmk_instream *, void **, pmk_error *), pmk_error *err)
{
    *out = NULL;
    pmk_instream *in = pmk_instream_open(path, err);
    if (!in)
        return err && err->code ? err->code : PMK_EIO;
    int rc = get(in, out, err);
    pmk_instream_close(in);
    return rc;
}

static int get_gnb(pmk_instream *in, void **m, pmk_error *err)
{
    pmk_gnb *g = NULL;
    int rc = pmk_gnb_read(in, &g, err);
    *m = g;
    return rc;
}

static int get_rbm(pmk_instream *in, void **m, pmk_error *err)
{
    pmk_rbm *r = NULL;
    int rc = pmk_rbm_read(in, &r, err);
    *m = r;
    return rc;
}

int pmk_gnb_load(const char *path, pmk_gnb **out, pmk_error *err)
{
    void *m;
    int rc = load_path(path, &m, get_gnb, err);
    *out = m;
    return rc;
}

int pmk_rbm_load(const char *path, pmk_rbm **out, pmk_error *err)
{
    void *m;
    int rc = load_path(path, &m, get_rbm, err);
    *out = m;
    return rc;
}
