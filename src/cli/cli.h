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
#include <getopt.h>
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

/* Progress (progress.c), silenced by -q.  cli_progress_fn is the renderer
 * for the library's callbacks (ctx unused: NULL): on a terminal one meter line
 * rewritten in place, else a plain line at most once a second.
 * cli_progress_line prints a line that stays (an epoch's summary);
 * cli_progress_done erases a meter left on screen (call it before a report). */
int cli_progress_fn(const pmk_progress *p, void *ctx);
void cli_progress_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
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

/* Locates a file shipped in data/: $PMK_DATADIR, then, for a pmk run from its
 * build folder and not installed, the source tree's data/ (named by the file
 * src/pmk-uninstalled that make writes), then the installed pkgdatadir.
 * Writes the path into buf and returns it, or NULL when not found. */
const char *cli_data_file(const char *name, char *buf, size_t len);

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

/* Start of main: descriptors 0-2 that are closed are filled so that they stay
 * unusable (see common.c).  End of main: flushes and closes stdout; a write
 * error turns a success into "cannot write standard output: ..." and exit 1. */
void cli_stdio_init(void);
int cli_finish(int status);
/* fflush(stdout) in the middle of a run, remembering the cause of a failure
 * for cli_finish's message. */
void cli_flush_stdout(void);


/* Help text helpers: prints the text and returns PMK_EXIT_OK. */
int cli_print_help(const char *text);

/* ------------------------------------------------------------ verbs and options
 * (opt.c).  Every command is a table of verbs; every verb lists its own options
 * and names the option groups it takes, which are defined once in opt.c and
 * parsed into one cli_args:
 *   CLI_G_COMMON     -q/--quiet, --max-memory SIZE, -h/--help (always)
 *   CLI_G_INPUT      --header, --no-header, --label-col C|none, --no-labels
 *   CLI_G_LABELS     --labels FILE (an IDX data set's labels file)
 *   CLI_G_TRANSFORM  --scale S|auto, --binarize T
 *   CLI_G_OUTPUT     -o/--output FILE
 *   CLI_G_FORMAT     --format png|pgm|pbm (for -o -; also -o png:-)
 *   CLI_G_JSON       --json
 *   CLI_G_SEED       --seed N
 * A verb's own keys are letters other than q, h and o, or values from 256 to
 * 0xfff; an own option with a group option's name replaces it. */
enum {
    CLI_G_COMMON = 1u << 0, CLI_G_INPUT = 1u << 1, CLI_G_LABELS = 1u << 2,
    CLI_G_TRANSFORM = 1u << 3, CLI_G_OUTPUT = 1u << 4, CLI_G_FORMAT = 1u << 5,
    CLI_G_JSON = 1u << 6, CLI_G_SEED = 1u << 7,
    CLI_G_STOP = 1u << 8,   /* not a group: stop at the first argument (pmk's own options) */
    CLI_G_DATA = CLI_G_INPUT | CLI_G_LABELS | CLI_G_TRANSFORM
};

/* One option of a verb: long name, key (a letter gives the short form too),
 * 1 when it takes a value.  Tables end with {NULL, 0, 0}. */
typedef struct cli_option {
    const char *name;
    int key;
    int arg;
} cli_option;

/* What the groups parse to.  Defaults: header auto, label column 0, no labels
 * file, scale not given (1.0), no threshold, no output, text report, no seed. */
typedef struct cli_data_args {
    int header;            /* PMK_CSV_HEADER_AUTO, _NO or _YES */
    long label_col;        /* 0-based; -1 for --no-labels / --label-col none */
    const char *labels;    /* --labels FILE, or NULL */
    int have_scale;        /* --scale S given (--scale auto clears it) */
    double scale;
    int have_threshold;    /* --binarize T given */
    double threshold;
} cli_data_args;

typedef struct cli_args {
    cli_data_args data;
    const char *output;    /* -o/--output, or NULL */
    const char *format;    /* --format, or NULL */
    int json;              /* --json */
    int have_seed;
    unsigned long seed;
    char **pos;            /* the arguments that are not options */
    size_t npos;
} cli_args;

void cli_args_init(cli_args *a);

enum { CLI_MAX_OPTIONS = 64 };
typedef struct cli_parser {
    int argc;
    char **argv;
    const char *help;
    unsigned groups;
    cli_args *args;
    struct option longopts[CLI_MAX_OPTIONS + 1];
    size_t nlong;
    char shortopts[3 * CLI_MAX_OPTIONS + 2];
    int status;            /* the exit status once cli_parse_next returned -1 */
} cli_parser;

/* Parsing: argv[0] is the verb.  The loop is
 *     cli_parse_begin(&p, argc, argv, help, CLI_G_DATA | CLI_G_OUTPUT, opts, &a);
 *     while ((key = cli_parse_next(&p, &arg)) > 0)
 *         switch (key) { ... a bad value: return cli_usage(...); }
 *     if (key < 0)
 *         return p.status;
 * cli_parse_next handles the group options itself and returns the next own
 * option's key (its value in *arg), 0 at the end (a->pos, a->npos set), or -1
 * after a usage error, already printed (p.status 2).  --help prints the help
 * and ends the program with exit status 0 (cli_finish). */
void cli_parse_begin(cli_parser *p, int argc, char **argv, const char *help, unsigned groups,
                     const cli_option *opts, cli_args *a);
int cli_parse_next(cli_parser *p, const char **arg);
/* The loop above for a verb with no options of its own: 0, or the status. */
int cli_parse(int argc, char **argv, const char *help, unsigned groups, cli_args *a);
/* "unexpected argument 'X'" (exit 2) when more than @p max arguments remain. */
int cli_args_max(const cli_args *a, size_t max);
/* At least @p min arguments (else the usage error @p missing) and at most
 * @p max: 0 or the exit status. */
int cli_args_count(const cli_args *a, size_t min, size_t max, const char *missing);

/* A command's verbs.  Tables end with {NULL, NULL}. */
typedef struct cli_verb {
    const char *name;
    int (*run)(int argc, char **argv);   /* argv[0] is the verb */
} cli_verb;
/* argv[0] is the command, argv[1] the verb: sets the message prefix to
 * "COMMAND VERB" and runs it; --help / help prints @p help; no verb prints
 * it on stderr (exit 2); an unknown verb is a usage error listing them. */
int cli_dispatch(const cli_verb *verbs, const char *help, int argc, char **argv);

/* The data group (CLI_G_INPUT, CLI_G_LABELS) as the data layer's options:
 * header, label column, labels file; the rest the defaults. */
void cli_data_options(const cli_args *a, pmk_data_options *o);
/* The transform CLI_G_TRANSFORM asks for into *@p tf, 0 for what was not
 * given (scale 0: automatic, or the model's); what was given is checked by
 * the library (pmk_transform_check): 0 or a usage error (exit 2). */
int cli_asked_transform(const cli_args *a, pmk_transform *tf);

/* A library check's message (pmk_*_options_check) as a usage error: the
 * message, "Try ...", exit 2. */
int cli_usage_pmk(const pmk_error *err);
/* --shape ROWSxCOLS (positive integers): the one shape syntax of every verb. */
int cli_parse_shape(const char *opt, const char *s, size_t *rows, size_t *cols);
/* The image output of -o / --format: "-o png:-" or "--format png -o -" for
 * stdout, an explicit format before any name ("pgm:out.img"), else the
 * name's extension.  Sets *path (without the prefix) and *fmt (AUTO: from the
 * extension); 0 or a usage error (exit 2). */
int cli_image_output(const cli_args *a, const char **path, pmk_image_format *fmt);

/* Reports are the library's (pmk/report.h).  Writes @p r on @p out as text or
 * JSON and frees it: 0, or 1 with the message printed (out of memory). */
int cli_report_done(pmk_report *r, FILE *out, int json);

/* Commands (main.c's table).  Those with verbs give their table, dispatched
 * by cli_dispatch; the others take the command line, argv[0] the command. */
extern const cli_verb cli_gnb_verbs[], cli_rbm_verbs[], cli_ising_verbs[];
int cli_convert(int argc, char **argv);
int cli_demo(int argc, char **argv);

#endif
