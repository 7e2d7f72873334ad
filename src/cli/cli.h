/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* cli.h: what the command files share: messages, progress, option parsing.
 *
 * Only the CLI prints.  Messages go to stderr as "pmk <command>: ..."; results
 * go to stdout.  Exit statuses: 0 success, 1 bad data or runtime failure,
 * 2 usage error (PMK_EXIT_*). */
#ifndef PMK_CLI_H
#define PMK_CLI_H

#include <stdio.h>
#include <stddef.h>
#include "pmk/pmk.h"

enum { PMK_EXIT_OK = 0, PMK_EXIT_FAIL = 1, PMK_EXIT_USAGE = 2 };

/* The command's name for messages ("gnb fit", "convert", ...).  Set by main
 * and by each command when it has parsed its verb. */
void cli_set_command(const char *name);
const char *cli_command(void);

/* -q: silence progress and notices (errors are always printed). */
void cli_set_quiet(int quiet);
int cli_quiet(void);

/* "pmk <command>: <message>" on stderr.  Returns PMK_EXIT_FAIL. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints err->msg as above.  Returns PMK_EXIT_FAIL. */
int cli_error_pmk(const pmk_error *err);
/* A usage error: the message and "Try 'pmk <command> --help'.".  Returns 2. */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A notice on stderr ("pmk <command>: ..."), silenced by -q. */
void cli_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Progress: on a terminal one line rewritten in place; otherwise one plain line
 * per call.  cli_progress_done ends a rewritten line.  Silenced by -q. */
void cli_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_progress_done(void);

/* Option parsing.  Each returns 0, or prints a usage error naming --OPT and
 * returns PMK_EXIT_USAGE. */
int cli_parse_double(const char *opt, const char *s, double *out);
int cli_parse_long(const char *opt, const char *s, long *out);
int cli_parse_size(const char *opt, const char *s, size_t *out);   /* >= 0 */
int cli_parse_seed(const char *opt, const char *s, unsigned long *out);
/* Comma-separated doubles ("0.1,0.9"); *out malloc'ed, *n entries. */
int cli_parse_double_list(const char *opt, const char *s, double **out, size_t *n);

/* An RNG seeded with @p seed when @p have_seed, else from GSL_RNG_TYPE /
 * GSL_RNG_SEED.  Prints the error and returns NULL on failure. */
pmk_rng *cli_rng(int have_seed, unsigned long seed);

/* Monotonic wall-clock seconds. */
double cli_now(void);

/* JSON: writes @p s as a quoted, escaped JSON string; a double as a JSON
 * number (%.17g; non-finite values as null). */
void cli_json_string(FILE *f, const char *s);
void cli_json_double(FILE *f, double x);

/* Locates a file shipped in data/: $PMK_DATADIR, then, for a pmk run from its
 * build folder and not installed, the source tree's data/ (named by the file
 * src/pmk-uninstalled that make writes), then the installed pkgdatadir.
 * Writes the path into buf and returns it, or NULL when not found. */
const char *cli_data_file(const char *name, char *buf, size_t len);

/* An image output's name must say its format (.pbm, .pgm, .png): the same
 * usage error (exit 2) in every command, before any work.  Returns 0 or
 * PMK_EXIT_USAGE. */
int cli_check_image_output(const char *path);
/* Refuses (usage error, exit 2) a command line in which an output is an input
 * or another output: pmk_outfile_check_paths, called once per verb after its
 * options are parsed and before anything is read or written.  Returns 0 or
 * the exit status. */
int cli_check_files(const char *const *inputs, size_t n_in, const char *const *outputs,
                    size_t n_out);

/* --max-memory SIZE: sets PMK_MAX_MEMORY for this run to SIZE, or keeps the
 * variable's value when that is smaller (both are ceilings).  A second
 * --max-memory replaces the first.  Returns 0 or PMK_EXIT_USAGE. */
int cli_set_max_memory(const char *s);
/* The getopt value of --max-memory in every verb's option table. */
#define CLI_OPT_MAX_MEMORY 0x4d4d
#define CLI_LONGOPT_MAX_MEMORY {"max-memory", required_argument, NULL, CLI_OPT_MAX_MEMORY}

/* Start of main: descriptors 0-2 that are closed are filled so that they stay
 * unusable (see common.c).  End of main: flushes and closes stdout; a write
 * error turns a success into "cannot write standard output: ..." and exit 1. */
void cli_stdio_init(void);
int cli_finish(int status);
/* fflush(stdout) in the middle of a run, remembering the cause of a failure
 * for cli_finish's message. */
void cli_flush_stdout(void);

/* Outputs written as a set (convert's images and labels, the export files):
 * each member is written to a staging name beside its target
 * (".NAME.pmk-PID-000000", ".gz" added for a gzip target, which a later run
 * recognises as stale if this one is killed), and cli_outset_commit renames them onto their targets only
 * once every write has succeeded, so a failed run changes none of them.
 * Devices, FIFOs and "-" are written directly.  At most CLI_OUTSET_MAX. */
enum { CLI_OUTSET_MAX = 8 };
typedef struct cli_outset {
    size_t n;
    char *target[CLI_OUTSET_MAX]; /* where each member ends up (malloc'ed) */
    char *stage[CLI_OUTSET_MAX];  /* what to write to; NULL: the target itself */
} cli_outset;
/* Adds @p path; returns the name to write it to, or NULL (message printed). */
const char *cli_outset_add(cli_outset *s, const char *path);
/* Renames every staged member onto its target; 0 or PMK_EXIT_FAIL. */
int cli_outset_commit(cli_outset *s);
/* Prints a writer's error about a member under its target's name (the
 * message names the staging file).  Returns PMK_EXIT_FAIL. */
int cli_outset_error(const cli_outset *s, const pmk_error *err);
/* Removes what was staged; the targets stay as they were.  Frees @p s. */
void cli_outset_abort(cli_outset *s);

/* Help text helpers: prints the text and returns PMK_EXIT_OK. */
int cli_print_help(const char *text);

/* Commands: argv[0] is the command name ("gnb"), argv[1] the verb, if any. */
int cli_gnb(int argc, char **argv);
int cli_rbm(int argc, char **argv);
int cli_ising(int argc, char **argv);
int cli_convert(int argc, char **argv);
int cli_demo(int argc, char **argv);

/* Demo parts, one per model: each runs its model on the data in @p datadir,
 * writes pictures into @p outdir, prints a short report on stdout, and returns
 * an exit status.  @p seed fixes every random choice. */
int cli_demo_gnb(const char *datadir, const char *outdir, unsigned long seed);
int cli_demo_rbm(const char *datadir, const char *outdir, unsigned long seed);
int cli_demo_ising(const char *datadir, const char *outdir, unsigned long seed);

#endif
