/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* main.c: the `pmk` program: dispatches `pmk <command> [verb] [options] ARGS`. */
#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_version.h>

#include "cli/cli.h"
#include "cli/help.h"
#include "mpi/pmk_mpi.h"

static int print_version(void)
{
    /* The GNU form (GNU coding standards, "--version"): name and version, then
     * copyright, licence and warranty lines. */
    printf("pmk %s (libpmk ABI %s, CBLAS: %s, GSL %s)\n"
           "Copyright (C) 2026 The pmk developers.\n"
           "License GPLv3+: GNU GPL version 3 or later <https://gnu.org/licenses/gpl.html>.\n"
           "This is free software: you are free to change and redistribute it.\n"
           "There is NO WARRANTY, to the extent permitted by law.\n",
           PMK_VERSION, PMK_ABI_VERSION, pmk_cblas_name(), gsl_version);
    return PMK_EXIT_OK;
}

static int run(int argc, char **argv)
{
    static const cli_option opts[] = {{"version", 'V', 0}, {NULL, 0, 0}};
    cli_args a;
    cli_parser p;
    const char *arg;
    int key;
    cli_args_init(&a);
    cli_parse_begin(&p, argc, argv, pmk_help_pmk, CLI_G_STOP, opts, &a);
    while ((key = cli_parse_next(&p, &arg)) > 0)
        if (key == 'V')
            return print_version();
    if (key < 0)
        return p.status;
    if (a.npos == 0) {
        fputs(pmk_help_pmk, stderr);
        return PMK_EXIT_USAGE;
    }
    /* A command has verbs (and their help) or runs the command line itself. */
    static const struct {
        const char *name;
        const cli_verb *verbs;
        const char *help;
        int (*run)(int, char **);
    } commands[] = {
        {"gnb", cli_gnb_verbs, pmk_help_gnb, NULL},
        {"rbm", cli_rbm_verbs, pmk_help_rbm, NULL},
        {"ising", cli_ising_verbs, pmk_help_ising, NULL},
        {"convert", NULL, NULL, cli_convert},
        {"demo", NULL, NULL, cli_demo},
    };
    enum { N_COMMANDS = sizeof commands / sizeof commands[0] };
    const char *cmd = a.pos[0];
    char list[128] = "";
    for (size_t c = 0; c < N_COMMANDS; c++) {
        if (!strcmp(cmd, commands[c].name)) {
            cli_set_command(cmd);
            return commands[c].verbs
                       ? cli_dispatch(commands[c].verbs, commands[c].help, (int)a.npos, a.pos)
                       : commands[c].run((int)a.npos, a.pos);
        }
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", c ? ", " : "",
                 commands[c].name);
    }
    if (!strcmp(cmd, "help"))
        return cli_print_help(pmk_help_pmk);
    if (!strcmp(cmd, "version"))
        return print_version();
    return cli_usage("unknown command '%s' (commands: %s)", cmd, list);
}

int main(int argc, char **argv)
{
    /* The library reports every GSL failure as a status; GSL must never abort. */
    gsl_set_error_handler_off();
    /* pmk runs OpenBLAS on one thread (its own threads split the work), and
     * OpenBLAS starts its pool when loaded, from this variable or the core
     * count; idle, the pool spins in sched_yield beside pmk's threads. */
    setenv("OPENBLAS_NUM_THREADS", "1", 1);
    /* Memory the command frees stays in the process for its next use
     * (malloc's default returns every block over 128 KiB to the kernel at
     * once): a command allocates and frees the same buffers pass after pass
     * (a reader's block and chunk, a fit's and its training pass's), and
     * each fresh page costs a fault, about 10 us a 4 KiB page on the VMs
     * measured (doc/scaling.md).  The largest threshold malloc takes is
     * 32 MiB; larger blocks are still mapped and unmapped. */
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    cli_set_command(NULL);
    cli_stdio_init();
    pmkmpi_init(&argc, &argv);   /* under mpirun: only rank 0 prints (src/mpi/) */
    return pmkmpi_finalize(cli_finish(run(argc, argv)));
}
