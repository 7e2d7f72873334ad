/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* opt.c: the one option parser of the CLI.  A verb lists its own options in a
 * table and names the option groups it takes; the groups (common, data input,
 * transform, output, --json, --seed) are defined here once, parsed into one
 * cli_args, and spelled the same in every command.  GNU getopt_long does the
 * scanning; this file builds its tables, resets it, and turns its errors into
 * the usage messages every command prints. */
#include "config.h"

#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* Keys of the group options: above every verb key (letters and 256..0xfff). */
enum {
    K_QUIET = 'q', K_HELP = 'h', K_OUTPUT = 'o',
    K_HEADER = 0x5000, K_NOHEADER, K_LABELCOL, K_NOLABELS, K_LABELS, K_SCALE, K_BINARIZE,
    K_FORMAT, K_JSON, K_SEED, K_MAXMEM, K_THREADS
};

static const struct group {
    unsigned group;
    cli_option opt;
} group_options[] = {
    {CLI_G_INPUT, {"header", K_HEADER, 0}},
    {CLI_G_INPUT, {"no-header", K_NOHEADER, 0}},
    {CLI_G_INPUT, {"label-col", K_LABELCOL, 1}},
    {CLI_G_INPUT, {"no-labels", K_NOLABELS, 0}},
    {CLI_G_LABELS, {"labels", K_LABELS, 1}},
    {CLI_G_TRANSFORM, {"scale", K_SCALE, 1}},
    {CLI_G_TRANSFORM, {"binarize", K_BINARIZE, 1}},
    {CLI_G_OUTPUT, {"output", K_OUTPUT, 1}},
    {CLI_G_FORMAT, {"format", K_FORMAT, 1}},
    {CLI_G_JSON, {"json", K_JSON, 0}},
    {CLI_G_SEED, {"seed", K_SEED, 1}},
    {CLI_G_COMMON, {"quiet", K_QUIET, 0}},
    {CLI_G_COMMON, {"max-memory", K_MAXMEM, 1}},
    {CLI_G_COMMON, {"threads", K_THREADS, 1}},
    {CLI_G_COMMON, {"help", K_HELP, 0}},
};

void cli_args_init(cli_args *a)
{
    memset(a, 0, sizeof *a);
    a->data.header = PMK_CSV_HEADER_AUTO;
    a->data.label_col = 0;
    a->data.scale = 1.0;
}

static int add_option(cli_parser *p, const cli_option *o)
{
    if (p->nlong >= CLI_MAX_OPTIONS)
        return -1;
    for (size_t i = 0; i < p->nlong; i++)
        if (!strcmp(p->longopts[i].name, o->name))
            return 0;   /* a verb's own option of a group's name wins */
    p->longopts[p->nlong++] = (struct option){o->name, o->arg ? required_argument : no_argument,
                                              NULL, o->key};
    if (o->key > 0 && o->key < 128) {
        size_t n = strlen(p->shortopts);
        p->shortopts[n++] = (char)o->key;
        if (o->arg)
            p->shortopts[n++] = ':';
        p->shortopts[n] = '\0';
    }
    return 0;
}

void cli_parse_begin(cli_parser *p, int argc, char **argv, const char *help, unsigned groups,
                     const cli_option *opts, cli_args *a)
{
    memset(p, 0, sizeof *p);
    p->argc = argc;
    p->argv = argv;
    p->help = help;
    p->args = a;
    p->groups = groups | CLI_G_COMMON;
    /* a missing value is ':', not '?'; '+' stops at the first argument that
     * is not an option (the command after pmk's own options) */
    strcpy(p->shortopts, groups & CLI_G_STOP ? "+:" : ":");
    for (const cli_option *o = opts; o && o->name; o++)
        add_option(p, o);
    for (size_t g = 0; g < sizeof group_options / sizeof group_options[0]; g++)
        if (p->groups & group_options[g].group)
            add_option(p, &group_options[g].opt);
    p->longopts[p->nlong] = (struct option){NULL, 0, NULL, 0};
    /* argv[0] is the verb (or the command): GNU getopt's full re-initialisation
     * (optind = 0) starts after it, whatever an earlier parse left behind. */
    optind = 0;
    opterr = 0;
}

/* Handles a group option; returns 0 or an exit status. */
static int group_option(cli_parser *p, int key, const char *arg)
{
    cli_args *a = p->args;
    int rc = 0;
    switch (key) {
    case K_QUIET: cli_set_quiet(1); return 0;
    case K_MAXMEM: return cli_set_max_memory(arg);
    case K_THREADS: return cli_set_threads(arg);
    case K_HEADER: a->data.header = PMK_CSV_HEADER_YES; return 0;
    case K_NOHEADER: a->data.header = PMK_CSV_HEADER_NO; return 0;
    case K_NOLABELS: a->data.label_col = -1; return 0;
    case K_LABELCOL: {   /* the library's syntax: C, last, -K, none */
        pmk_error err;
        return pmk_data_parse_column(arg, &a->data.label_col, &err)
                   ? cli_usage("--label-col: %s", err.msg) : 0;
    }
    case K_LABELS: a->data.labels = arg; return 0;
    case K_SCALE:
        if (!strcmp(arg, "auto")) {
            a->data.have_scale = 0;
            a->data.scale = 1.0;
            return 0;
        }
        if ((rc = cli_parse_double("scale", arg, &a->data.scale)))
            return rc;
        a->data.have_scale = 1;
        return 0;
    case K_BINARIZE:
        if ((rc = cli_parse_double("binarize", arg, &a->data.threshold)))
            return rc;
        a->data.have_threshold = 1;
        return 0;
    case K_OUTPUT: a->output = arg; return 0;
    case K_FORMAT: a->format = arg; return 0;
    case K_JSON: a->json = 1; return 0;
    case K_SEED:
        if ((rc = cli_parse_seed("seed", arg, &a->seed)))
            return rc;
        a->have_seed = 1;
        return 0;
    default:
        return -1;
    }
}

int cli_parse_next(cli_parser *p, const char **arg)
{
    for (;;) {
        int key = getopt_long(p->argc, p->argv, p->shortopts, p->longopts, NULL);
        if (key == -1) {
            p->args->pos = p->argv + optind;
            p->args->npos = (size_t)(p->argc - optind);
            if (p->groups & CLI_G_STOP) {
                /* GNU getopt keeps the '+' (stop at the first argument) mode
                 * until it is initialised again: leave it in its default
                 * mode for whoever parses next. */
                char empty[] = "", *none[] = {empty, NULL};
                optind = 0;
                getopt(1, none, ":");
            }
            return 0;
        }
        if (key == ':' || key == '?') {
            /* optind has moved past the offending word (or its missing value) */
            const char *word = p->argv[optind - 1];
            p->status = key == ':' ? cli_usage("option '%s' needs a value", word)
                                   : cli_usage("unknown option '%s'", word);
            return -1;
        }
        if (key == K_HELP) {
            /* --help ends the run here, whatever else the line holds */
            cli_print_help(p->help);
            exit(cli_finish(PMK_EXIT_OK));
        }
        int rc = group_option(p, key, optarg);
        if (rc > 0) {
            p->status = rc;
            return -1;
        }
        if (rc < 0) {   /* the verb's own */
            *arg = optarg;
            return key;
        }
    }
}

int cli_parse(int argc, char **argv, const char *help, unsigned groups, cli_args *a)
{
    cli_parser p;
    const char *arg;
    cli_parse_begin(&p, argc, argv, help, groups, NULL, a);
    int key = cli_parse_next(&p, &arg);
    return key < 0 ? p.status : 0;
}

int cli_args_max(const cli_args *a, size_t max)
{
    if (a->npos > max)
        return cli_usage("unexpected argument '%s'", a->pos[max]);
    return 0;
}

int cli_args_count(const cli_args *a, size_t min, size_t max, const char *missing)
{
    return a->npos < min ? cli_usage("%s", missing) : cli_args_max(a, max);
}

int cli_dispatch(const cli_verb *verbs, const char *help, int argc, char **argv)
{
    /* argv[0] is the command; a verb, or -h / --help, comes next */
    const char *command = argv[0];
    if (argc < 2) {
        fputs(help, stderr);
        return PMK_EXIT_USAGE;
    }
    const char *verb = argv[1];
    if (!strcmp(verb, "-h") || !strcmp(verb, "--help") || !strcmp(verb, "help"))
        return cli_print_help(help);
    for (const cli_verb *v = verbs; v->name; v++) {
        if (!strcmp(verb, v->name)) {
            char name[64];
            snprintf(name, sizeof name, "%s %s", command, verb);
            cli_set_command(name);
            return v->run(argc - 1, argv + 1);
        }
    }
    char list[256];
    size_t k = 0;
    list[0] = '\0';
    for (const cli_verb *v = verbs; v->name && k < sizeof list; v++)
        k += (size_t)snprintf(list + k, sizeof list - k, "%s%s", k ? ", " : "", v->name);
    return cli_usage("unknown verb '%s' (verbs: %s)", verb, list);
}

int cli_usage_pmk(const pmk_error *err)
{
    return cli_usage("%s", err->msg[0] ? err->msg : pmk_strerror(err->code));
}

int cli_parse_shape(const char *opt, const char *s, size_t *rows, size_t *cols)
{
    char *end;
    const char *p = s;
    unsigned long long r, c;
    if (*p < '0' || *p > '9')
        goto bad;
    r = strtoull(p, &end, 10);
    if ((*end != 'x' && *end != 'X') || end[1] < '0' || end[1] > '9')
        goto bad;
    c = strtoull(end + 1, &end, 10);
    if (*end || r == 0 || c == 0 || r > UINT32_MAX || c > UINT32_MAX)
        goto bad;
    *rows = (size_t)r;
    *cols = (size_t)c;
    return 0;
bad:
    return cli_usage("--%s: '%s' is not ROWSxCOLS (e.g. 28x28)", opt, s);
}

/* "png:-", "pgm:out.img": an explicit format before the name. */
static int format_name(const char *s, size_t len, pmk_image_format *fmt)
{
    char name[8];
    if (len >= sizeof name)
        return 0;
    memcpy(name, s, len);
    name[len] = '\0';
    return pmk_image_format_parse(name, fmt, NULL) == PMK_OK;   /* the library's names */
}

int cli_image_output(const cli_args *a, const char **path, pmk_image_format *fmt)
{
    const char *out = a->output;
    *fmt = PMK_IMAGE_AUTO;
    if (!out)
        return cli_usage("missing -o IMAGE");
    const char *colon = strchr(out, ':');
    if (colon && colon > out && format_name(out, (size_t)(colon - out), fmt))
        out = colon + 1;
    if (a->format) {
        pmk_image_format f;
        if (!format_name(a->format, strlen(a->format), &f))
            return cli_usage("--format: '%s' is not png, pgm or pbm", a->format);
        if (*fmt != PMK_IMAGE_AUTO && f != *fmt)
            return cli_usage("--format %s contradicts -o %s", a->format, a->output);
        *fmt = f;
    }
    if (!*out)
        return cli_usage("-o: '%s' names no file", a->output);
    if (*fmt == PMK_IMAGE_AUTO) {
        if (!strcmp(out, "-"))
            return cli_usage("an image on standard output needs its format: "
                             "--format png|pgm|pbm, or -o png:-");
        /* the name must say the format: one usage error in every command */
        pmk_error err;
        if (pmk_image_format_from_path(out, fmt, &err) != PMK_OK)
            return cli_usage("%s", err.msg);
        *fmt = PMK_IMAGE_AUTO;
    }
    *path = out;
    return 0;
}

void cli_data_options(const cli_args *a, pmk_data_options *o)
{
    pmk_data_options_init_default(o);
    o->header = a->data.header;
    o->label_col = a->data.label_col;
    o->labels = a->data.labels;
    o->progress = cli_progress_fn;
    o->threads = cli_threads();
}

int cli_asked_transform(const cli_args *a, pmk_transform *tf)
{
    pmk_error err;
    pmk_transform_init(tf);
    if (a->data.have_scale)
        tf->scale = a->data.scale;
    if (a->data.have_threshold)
        tf->threshold = a->data.threshold;
    if (pmk_transform_check(tf, &err))
        return cli_usage_pmk(&err);
    if (!a->data.have_scale)
        tf->scale = 0;   /* not asked: automatic, or the model's */
    return 0;
}
