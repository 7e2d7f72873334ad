/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* stream_internal.h: what stream.c shares with outset.c: how much of a
 * target's name its temporary and staging names keep. */
#ifndef PMK_STREAM_INTERNAL_H
#define PMK_STREAM_INTERNAL_H

#include <stddef.h>

/* ".pmk-" + 10 digits + "-" + 6 hex digits: the tail of a temporary name. */
#define PMK_TMP_SUFFIX_MAX (5 + 10 + 1 + 6)

/* The length of BASE's part of a temporary name in a directory whose names
 * may have @p name_max bytes: BASE cut at a UTF-8 character boundary so that
 * ".BASE" and the tail fit.  The cut depends only on BASE, so every writer
 * of one target uses the same prefix (and finds the stale ones). */
size_t pmk_temp_base_len(const char *base, long name_max);

/* How messages name the file @p path: "<stdin>" for "-", else the path. */
const char *pmk_stream_shown(const char *path);

struct pmk_instream;
/* For progress: *at, the bytes of @p s's file read so far (compressed bytes
 * for gzip), and *size, the file's size, 0 unless it is a regular file. */
void pmk_instream_tell(const struct pmk_instream *s, unsigned long long *at,
                       unsigned long long *size);

/* Moves the next read of the plain (not gzip) regular file @p s to byte
 * @p off.  0, or -1 when it cannot (gzip, a pipe, lseek's error). */
int pmk_instream_seek(struct pmk_instream *s, unsigned long long off);

#endif
