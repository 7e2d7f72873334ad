/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* outset.c: output files written as a set.  Each member is written to a
 * staging name beside its target, and the set is renamed onto its targets only
 * once every member has been written, so that a failure leaves every target as
 * it was.  The staging name, DIR/.BASE.pmk-PID-000000, is one that pmk_outfile
 * recognises as a temporary file of BASE: a writer of the same target removes
 * it once this process has died, even by SIGKILL. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "io/stream_internal.h"
#include "pmk/stream.h"

void pmk_outset_init(pmk_outset *s)
{
    memset(s, 0, sizeof *s);
}

static char *stage_name(const char *target)
{
    const char *slash = strrchr(target, '/');
    size_t dirlen = slash ? (size_t)(slash - target + 1) : 0;
    const char *base = slash ? slash + 1 : target;
    size_t blen = pmk_temp_base_len(base, 255);
    /* A gzip target's staging name ends in .gz too: writers choose gzip by name. */
    size_t tl = strlen(base);
    const char *gz = tl > 3 && strcmp(base + tl - 3, ".gz") == 0 ? ".gz" : "";
    size_t len = dirlen + blen + PMK_TMP_SUFFIX_MAX + 8;
    char *st = malloc(len);
    if (st)
        snprintf(st, len, "%.*s.%.*s.pmk-%ld-000000%s", (int)dirlen, target, (int)blen, base,
                 (long)getpid(), gz);
    return st;
}

const char *pmk_outset_add(pmk_outset *s, const char *path, pmk_error *err)
{
    if (s->n >= PMK_OUTSET_MAX) {
        pmk_error_set(err, PMK_ELIMIT, "%s: more than %d outputs in one set", path,
                      PMK_OUTSET_MAX);
        return NULL;
    }
    struct stat st;
    char *target = NULL, *stage = NULL;
    if (strcmp(path, "-") == 0 || (stat(path, &st) == 0 && !S_ISREG(st.st_mode))) {
        target = strdup(path);   /* stdout, a device, a FIFO (a folder: its writer says so) */
    } else {
        /* beside the file a symbolic link points to, as pmk_outfile writes */
        if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
            target = realpath(path, NULL);
        if (!target)
            target = strdup(path);
        if (target && !(stage = stage_name(target))) {
            free(target);
            target = NULL;
        }
    }
    if (!target) {
        pmk_error_set(err, PMK_ENOMEM, "%s: out of memory", path);
        return NULL;
    }
    s->target[s->n] = target;
    s->stage[s->n] = stage;
    s->n++;
    return stage ? stage : path;
}

static void outset_free(pmk_outset *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->target[i]);
        free(s->stage[i]);
    }
    s->n = 0;
}

int pmk_outset_commit(pmk_outset *s, pmk_error *err)
{
    int rc = PMK_OK;
    for (size_t i = 0; i < s->n && !rc; i++) {
        if (s->stage[i] && rename(s->stage[i], s->target[i]) != 0) {
            rc = pmk_error_set(err, PMK_EIO, "%s: cannot write: %s", s->target[i],
                               strerror(errno));
            for (size_t j = i; j < s->n; j++)
                if (s->stage[j])
                    unlink(s->stage[j]);
        }
    }
    outset_free(s);
    return rc;
}

void pmk_outset_name_target(const pmk_outset *s, pmk_error *err)
{
    if (!err)
        return;
    for (size_t i = 0; i < s->n; i++) {
        size_t sl = s->stage[i] ? strlen(s->stage[i]) : 0;
        if (sl && strncmp(err->msg, s->stage[i], sl) == 0) {
            char rest[sizeof err->msg];
            snprintf(rest, sizeof rest, "%s", err->msg + sl);
            snprintf(err->msg, sizeof err->msg, "%s%s", s->target[i], rest);
            return;
        }
    }
}

void pmk_outset_abort(pmk_outset *s)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->stage[i])
            unlink(s->stage[i]);
    outset_free(s);
}
