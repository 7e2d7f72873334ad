/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* rbm_export.c: a model's parameters and transform as CSV tables for other
 * tools (doc/formats.md), written through the library's CSV writer as one
 * output set: the four files change together or not at all.  A path helper,
 * as pmk_rbm_save is: the model itself opens no file. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "pmk/csv.h"
#include "pmk/rbm.h"

static const char *const export_names[PMK_RBM_EXPORT_FILES] = {"W.csv", "b.csv", "a.csv",
                                                               "transform.csv"};

const char *pmk_rbm_export_file(size_t k)
{
    return k < PMK_RBM_EXPORT_FILES ? export_names[k] : NULL;
}

/* Member @p k of the export, written to @p path (its staging name). */
static int export_member(const pmk_rbm *m, size_t k, const char *path, pmk_error *err)
{
    gsl_matrix_const_view b = gsl_matrix_const_view_vector(m->b, m->d, 1);
    gsl_matrix_const_view a = gsl_matrix_const_view_vector(m->a, m->h, 1);
    double tf[2] = {m->transform.scale, m->transform.threshold};
    gsl_matrix_const_view tv = gsl_matrix_const_view_array(tf, 1, 2);
    switch (k) {
    case 0: return pmk_csv_write_numbered(path, m->W, NULL, NULL, "h", err);
    case 1: return pmk_csv_write(path, &b.matrix, NULL, "b", err);
    case 2: return pmk_csv_write(path, &a.matrix, NULL, "a", err);
    }
    if (m->transform_known)
        return pmk_csv_write(path, &tv.matrix, NULL, "scale,threshold", err);
    /* no transform recorded (a version 1 model): the header alone */
    pmk_csv_writer *w = pmk_csv_writer_open(path, 2, "scale,threshold", err);
    return w ? pmk_csv_writer_commit(w, err) : err ? err->code : PMK_EIO;
}

int pmk_rbm_export(const pmk_rbm *m, const char *dir, pmk_error *err)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return pmk_error_set(err, PMK_EIO, "%s: cannot create folder: %s", dir, strerror(errno));
    pmk_outset set;
    pmk_outset_init(&set);
    int rc = PMK_OK;
    for (size_t k = 0; k < PMK_RBM_EXPORT_FILES && !rc; k++) {
        char path[4096];
        const char *w = NULL;
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, export_names[k]) >= sizeof path)
            rc = pmk_error_set(err, PMK_ELIMIT, "%s: the folder's name is too long", dir);
        else if (!(w = pmk_outset_add(&set, path, err)))
            rc = err ? err->code : PMK_ENOMEM;
        else if ((rc = export_member(m, k, w, err)))
            pmk_outset_name_target(&set, err);
    }
    if (rc) {
        pmk_outset_abort(&set);
        return rc;
    }
    return pmk_outset_commit(&set, err);
}
