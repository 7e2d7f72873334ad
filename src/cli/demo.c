/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* demo.c: `pmk demo`: every model on the embedded data in data/, with a short
 * report on stdout and pictures written into one folder. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

static const char demo_help[] =
    "Usage: pmk demo [options]\n"
    "\n"
    "Runs every model on the data shipped in data/ (MNIST digits as CSV, the horse\n"
    "silhouette as PBM), prints a short report and writes its pictures into a folder.\n"
    "\n"
    "Options:\n"
    "  -o, --output DIR   folder for the pictures [pmk-demo]\n"
    "      --data DIR     folder holding the data files [found automatically:\n"
    "                     $PMK_DATADIR; for a pmk not installed, run from its\n"
    "                     build folder, the source tree's data/; the installed copy]\n"
    "      --seed S       seed for every random choice [1]\n"
    "  -q, --quiet        no progress on stderr\n"
    "      --max-memory SIZE  refuse inputs needing more memory: bytes, with an\n"
    "                     optional k, M, G or T [PMK_MAX_MEMORY, else RAM]\n"
    "  -h, --help         show this help and exit\n";

int cli_demo(int argc, char **argv)
{
    static const cli_option opts[] = {{"data", 'd', 1}, {NULL, 0, 0}};
    const char *datadir = NULL, *arg;
    cli_args a;
    cli_parser p;
    int key, rc;
    cli_args_init(&a);
    cli_parse_begin(&p, argc, argv, demo_help, CLI_G_OUTPUT | CLI_G_SEED, opts, &a);
    while ((key = cli_parse_next(&p, &arg)) > 0)
        if (key == 'd')
            datadir = arg;
    if (key < 0)
        return p.status;
    if ((rc = cli_args_max(&a, 0)))
        return rc;
    const char *outdir = a.output ? a.output : "pmk-demo";
    unsigned long seed = a.have_seed ? a.seed : 1;

    char probe[4096], dirbuf[4096];
    if (!datadir) {
        if (!cli_data_file("horse.pbm", probe, sizeof probe))
            return cli_error("cannot find the data folder (set PMK_DATADIR or use --data)");
        char *slash = strrchr(probe, '/');
        snprintf(dirbuf, sizeof dirbuf, "%.*s", (int)(slash - probe), probe);
        datadir = dirbuf;
    }
    /* The files the parts read and write (cli_demo_gnb, _rbm, _ising): an
     * --output folder that is the data folder must not replace the data. */
    static const char *const in_names[] = {"mnist-train.csv.gz", "mnist-test.csv.gz",
                                           "horse.pbm", "horse-noisy10.pbm"};
    static const char *const out_names[] = {"gnb-means.png", "rbm-filters.png",
                                            "rbm-hidden.png", "rbm-gibbs.png",
                                            "ising-horse.png"};
    char in_path[4][4096 + 32], out_path[5][4096 + 32];
    const char *ins[4], *outs[5];
    for (size_t k = 0; k < 4; k++) {
        snprintf(in_path[k], sizeof in_path[k], "%s/%s", datadir, in_names[k]);
        ins[k] = in_path[k];
    }
    for (size_t k = 0; k < 5; k++) {
        snprintf(out_path[k], sizeof out_path[k], "%s/%s", outdir, out_names[k]);
        outs[k] = out_path[k];
    }
    if ((rc = cli_check_files(ins, 4, outs, 5)))
        return rc;
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST)
        return cli_error("%s: cannot create folder: %s", outdir, strerror(errno));

    printf("pmk demo: data from %s, pictures into %s/\n", datadir, outdir);
    int status = PMK_EXIT_OK;
    int (*parts[])(const char *, const char *, unsigned long) = {
        cli_demo_gnb, cli_demo_rbm, cli_demo_ising,
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        cli_set_command("demo");
        rc = parts[i](datadir, outdir, seed);
        cli_flush_stdout();
        if (rc != PMK_EXIT_OK)
            status = rc;
    }
    return status;
}
