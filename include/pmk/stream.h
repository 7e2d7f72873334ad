/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/** @file pmk/stream.h
 * Byte streams in and out of files, the way every pmk reader and
 * writer opens them.
 *
 * Input: a path or "-" (standard input); gzip is recognised by its magic bytes
 * (1f 8b), never by the file name.  Output: every file is written to a
 * temporary name beside the target, flushed and synced, and renamed over the
 * target only on success, so a failed run never leaves a partial file where a
 * good one stood.  Thread-safety: each object belongs to one thread. */
#ifndef PMK_STREAM_H
#define PMK_STREAM_H

#include <stdio.h>
#include <stddef.h>
#include "pmk/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- input */

/** An opaque input stream (a file or stdin, gunzipped when needed). */
typedef struct pmk_instream pmk_instream;

/** Opens @p path ("-" = stdin) for reading, transparently gunzipping when the
 *  first two bytes are 1f 8b.  @return a stream owned by the caller (close
 *  with pmk_instream_close), or NULL with @p err naming the file (PMK_EIO,
 *  PMK_ENOMEM). */
PMK_API pmk_instream *pmk_instream_open(const char *path, pmk_error *err);

/** Reads up to @p n bytes into @p buf.  @return the count read, 0 at end of
 *  file, or -1 on error (cause in @p err, naming the file; a corrupt or
 *  truncated gzip stream is PMK_EFORMAT). */
PMK_API long pmk_instream_read(pmk_instream *s, void *buf, size_t n, pmk_error *err);

/** The path given to pmk_instream_open ("-" shows as "<stdin>"), owned by
 *  the stream. */
PMK_API const char *pmk_instream_path(const pmk_instream *s);

/** 1 when the stream is being gunzipped. */
PMK_API int pmk_instream_is_gzip(const pmk_instream *s);

/** Closes the stream; NULL is accepted. */
PMK_API void pmk_instream_close(pmk_instream *s);

/* ---------------------------------------------------------------- output */

/** An output file being written atomically.  Fields are read-only for callers;
 *  write through @c fp with stdio. */
typedef struct pmk_outfile {
    FILE *fp;        /**< the stream to write to */
    char *path;      /**< the target path ("-" = stdout) */
    char *tmp;       /**< the temporary file beside the target, NULL for stdout */
} pmk_outfile;

/** Opens @p path for writing: creates "DIR/.BASE.pmk-PID-XXXXXX" beside it
 *  (mode as a plain fopen would give; BASE cut short when the name would
 *  exceed NAME_MAX), locked with flock while open, or uses stdout for "-".
 *  Temporary files of the same target left by writers that have ended
 *  (killed: their pid is gone and their lock free) are removed first.  @p o is caller-owned
 *  storage; end every opened output with pmk_outfile_commit or
 *  pmk_outfile_abort, which free what it holds.  @return PMK_OK, or PMK_EIO
 *  (unwritable directory, a directory as the target, ...) / PMK_ENOMEM /
 *  PMK_EINVAL (empty name) with @p err naming the target; @p o is then left
 *  closed. */
PMK_API int pmk_outfile_open(pmk_outfile *o, const char *path, pmk_error *err);

/** Flushes, fsyncs and closes the temporary file, then renames it over the
 *  target.  Any write error seen on the stream (disk full, ...) makes it fail
 *  (PMK_EIO naming the target), remove the temporary file, and leave the
 *  target untouched.  Either way @p o is closed afterwards. */
PMK_API int pmk_outfile_commit(pmk_outfile *o, pmk_error *err);

/** Flushes and fsyncs the output without renaming it: the first half of a
 *  commit, for a program that writes several files and wants every write
 *  error seen before any target is replaced (sync each, then commit each:
 *  only a failed rename can then leave some targets replaced).  @return
 *  PMK_OK with @p o still open, or PMK_EIO naming the target with @p o
 *  aborted (closed, temporary file removed). */
PMK_API int pmk_outfile_sync(pmk_outfile *o, pmk_error *err);

/** Abandons the output: closes and removes the temporary file.  Safe to call
 *  on a closed or committed pmk_outfile. */
PMK_API void pmk_outfile_abort(pmk_outfile *o);

/** Most members of one pmk_outset. */
#define PMK_OUTSET_MAX 8

/** Output files written as a set (a data set's images and labels, a model's
 *  exported tables): each member is written to a staging name beside its
 *  target, DIR/.BASE.pmk-PID-000000 (".gz" kept for a gzip target), and
 *  pmk_outset_commit renames them onto their targets only once every write
 *  has succeeded, so a failed run changes none of them; a later writer of the
 *  same target removes a staging file whose process has died.  "-", devices
 *  and FIFOs are written directly.  Fields are read-only for callers. */
typedef struct pmk_outset {
    size_t n;
    char *target[PMK_OUTSET_MAX];  /**< where each member ends up */
    char *stage[PMK_OUTSET_MAX];   /**< what to write to; NULL: the target itself */
} pmk_outset;

/** An empty set. */
PMK_API void pmk_outset_init(pmk_outset *s);
/** Adds @p path to the set.  @return the name to write the member to (owned
 *  by the set, or @p path itself), or NULL with @p err filled (PMK_ELIMIT
 *  past PMK_OUTSET_MAX members, PMK_ENOMEM). */
PMK_API const char *pmk_outset_add(pmk_outset *s, const char *path, pmk_error *err);
/** Renames every staged member onto its target and empties the set.
 *  @return PMK_OK, or PMK_EIO naming the target that could not be renamed
 *  (the members not yet renamed are removed). */
PMK_API int pmk_outset_commit(pmk_outset *s, pmk_error *err);
/** A writer's error about a member names its staging file: this makes it name
 *  the member's target instead. */
PMK_API void pmk_outset_name_target(const pmk_outset *s, pmk_error *err);
/** Removes what was staged and empties the set; the targets stay as they were. */
PMK_API void pmk_outset_abort(pmk_outset *s);

/** Checks, before a program reads or writes anything, that none of the files
 *  it will write is one it reads or another it writes.  Two names are the
 *  same file when they reach one regular file (same device and inode, links
 *  followed: a symbolic or hard link, "d/../f"), or, for an output that does
 *  not exist yet, when the real path of its directory and its last name
 *  agree.  "-" (stdin, stdout), devices, pipes and directories never clash,
 *  so /dev/null may be named twice.  NULL entries are skipped.
 *  @return PMK_OK, or PMK_EINVAL with @p err reading "output 'OUT' is the same
 *  file as input 'IN'" (or "... as output 'OTHER'", OTHER given earlier in
 *  @p outputs), naming the paths as given; PMK_ENOMEM.  It checks names, not
 *  a lock: a file renamed meanwhile by another program is not seen. */
PMK_API int pmk_outfile_check_paths(const char *const *inputs, size_t n_in,
                                    const char *const *outputs, size_t n_out, pmk_error *err);

#ifdef __cplusplus
}
#endif
#endif
