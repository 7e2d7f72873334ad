/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* paths.c: refuses a set of files to read and write in which an output is an
 * input or another output (the same file under any name), before any work. */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pmk/stream.h"

/* What a path names, for comparison:
 *  - an existing regular file (links followed): its device and inode, so that
 *    a symbolic link, a hard link and "dir/../file" all compare equal;
 *  - a name that does not exist (yet): the real path of its directory plus
 *    its last component, or the name as given when the directory cannot be
 *    resolved (writing there will then fail anyway);
 *  - "-" (stdin, stdout), devices, pipes, sockets and directories: nothing;
 *    they never clash (/dev/null may be named twice). */
typedef struct {
    int kind;          /* 0 nothing, 1 inode, 2 name */
    dev_t dev;
    ino_t ino;
    char *name;        /* kind 2: malloc'ed */
} file_key;

/* The resolved name of a path that does not exist: realpath(dir) + "/" + last
 * component.  NULL only when out of memory. */
static char *resolved_name(const char *path)
{
    size_t len = strlen(path);
    while (len > 1 && path[len - 1] == '/')
        len--;   /* "new/" names "new" */
    const char *slash = NULL;
    for (size_t k = len; k-- > 0;)
        if (path[k] == '/') {
            slash = path + k;
            break;
        }
    const char *base = slash ? slash + 1 : path;
    size_t blen = (size_t)(path + len - base);
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir)
        return NULL;
    char *real = realpath(dir, NULL);
    const char *d = real ? real : dir;
    size_t dl = strlen(d);
    char *out = malloc(dl + blen + 2);
    if (out) {
        memcpy(out, d, dl);
        size_t o = dl;
        if (o == 0 || out[o - 1] != '/')
            out[o++] = '/';
        memcpy(out + o, base, blen);
        out[o + blen] = '\0';
    }
    free(real);
    free(dir);
    return out;
}

static int key_of(const char *path, file_key *k)
{
    k->kind = 0;
    k->name = NULL;
    if (!path || !*path || strcmp(path, "-") == 0)
        return PMK_OK;
    struct stat st;
    if (stat(path, &st) == 0) {
        if (S_ISREG(st.st_mode)) {
            k->kind = 1;
            k->dev = st.st_dev;
            k->ino = st.st_ino;
        }
        return PMK_OK;
    }
    if (!(k->name = resolved_name(path)))
        return PMK_ENOMEM;
    k->kind = 2;
    return PMK_OK;
}

static int same_key(const file_key *a, const file_key *b)
{
    if (a->kind != b->kind || a->kind == 0)
        return 0;
    if (a->kind == 1)
        return a->dev == b->dev && a->ino == b->ino;
    return strcmp(a->name, b->name) == 0;
}

int pmk_outfile_check_paths(const char *const *inputs, size_t n_in,
                            const char *const *outputs, size_t n_out, pmk_error *err)
{
    size_t n = n_in + n_out;
    if (n_out == 0)
        return PMK_OK;
    file_key *keys = calloc(n, sizeof *keys);
    if (!keys)
        return pmk_error_set(err, PMK_ENOMEM, "out of memory");
    int rc = PMK_OK;
    for (size_t i = 0; i < n && !rc; i++)
        if (key_of(i < n_in ? inputs[i] : outputs[i - n_in], &keys[i]))
            rc = pmk_error_set(err, PMK_ENOMEM, "out of memory");
    /* Each output against every input, then against every output before it. */
    for (size_t o = 0; o < n_out && !rc; o++) {
        const file_key *ko = &keys[n_in + o];
        for (size_t i = 0; i < n_in && !rc; i++)
            if (same_key(ko, &keys[i]))
                rc = pmk_error_set(err, PMK_EINVAL, "output '%s' is the same file as input '%s'",
                                   outputs[o], inputs[i]);
        for (size_t p = 0; p < o && !rc; p++)
            if (same_key(ko, &keys[n_in + p]))
                rc = pmk_error_set(err, PMK_EINVAL,
                                   "output '%s' is the same file as output '%s'", outputs[o],
                                   outputs[p]);
    }
    for (size_t i = 0; i < n; i++)
        free(keys[i].name);
    free(keys);
    return rc;
}
