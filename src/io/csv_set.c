/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* csv_set.c: CSV files written as a set into one folder (a model's exported
 * tables).  The set goes through
 * pmk_outset: every file is written to a staging name, and all are renamed
 * onto their targets only once every write has succeeded. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pmk/csv.h"
#include "pmk/stream.h"

/* One member: its rows through pmk_csv_write, or the header line alone. */
static int write_one(const char *path, const pmk_csv_table *t, pmk_error *err)
{
    if (t->X)
        return pmk_csv_write(path, t->X, t->y, t->header, err);
    pmk_csv_writer *w = pmk_csv_writer_open(path, 0, t->header, err);
    return w ? pmk_csv_writer_commit(w, err) : err->code;
}

int pmk_csv_write_set(const char *dir, const pmk_csv_table *tables, size_t n, pmk_error *err)
{
    pmk_error local;
    if (!err)
        err = &local;
    if (n > PMK_OUTSET_MAX)
        return pmk_error_set(err, PMK_EINVAL, "%zu files in one set, more than %d", n,
                             PMK_OUTSET_MAX);
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return pmk_error_set(err, PMK_EIO, "%s: cannot create folder: %s", dir,
                             strerror(errno));
    pmk_outset set;
    pmk_outset_init(&set);
    int rc = PMK_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        size_t len = strlen(dir) + strlen(tables[i].name) + 2;
        char *path = malloc(len);
        const char *w = NULL;
        if (!path)
            rc = pmk_error_set(err, PMK_ENOMEM, "out of memory");
        else {
            snprintf(path, len, "%s/%s", dir, tables[i].name);
            if (!(w = pmk_outset_add(&set, path, err)))
                rc = err->code;
        }
        if (w && (rc = write_one(w, &tables[i], err)))
            pmk_outset_name_target(&set, err);   /* the target, not the staging name */
        free(path);
    }
    if (rc) {
        pmk_outset_abort(&set);
        return rc;
    }
    return pmk_outset_commit(&set, err);
}
