/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* demo.c: `pmk demo`: every model on the embedded data in data/, with a short
 * report on stdout and pictures written into one folder. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
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
    "  -o, --out DIR      folder for the pictures [pmk-demo]\n"
    "      --data DIR     folder holding the data files [found automatically:\n"
    "                     $PMK_DATADIR; for a pmk not installed, run from its\n"
    "                     build folder, the source tree's data/; the installed copy]\n"
    "      --seed S       seed for every random choice [1]\n"
    "  -q, --quiet        no progress on stderr\n"
    "  -h, --help         show this help and exit\n";

int cli_demo(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"out", required_argument, NULL, 'o'},
        {"data", required_argument, NULL, 'd'},
        {"seed", required_argument, NULL, 's'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *outdir = "pmk-demo";
    const char *datadir = NULL;
    unsigned long seed = 1;
    int c, rc;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":o:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'o': outdir = optarg; break;
        case 'd': datadir = optarg; break;
        case 's':
            if ((rc = cli_parse_seed("seed", optarg, &seed)))
                return rc;
            break;
        case 'q': cli_set_quiet(1); break;
        case 'h': return cli_print_help(demo_help);
        case ':': return cli_usage("option '%s' needs a value", argv[optind - 1]);
        default: return cli_usage("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage("unexpected argument '%s'", argv[optind]);

    char probe[4096], dirbuf[4096];
    if (!datadir) {
        if (!cli_data_file("horse.pbm", probe, sizeof probe))
            return cli_error("cannot find the data folder (set PMK_DATADIR or use --data)");
        char *slash = strrchr(probe, '/');
        snprintf(dirbuf, sizeof dirbuf, "%.*s", (int)(slash - probe), probe);
        datadir = dirbuf;
    }
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
        fflush(stdout);
        if (rc != PMK_EXIT_OK)
            status = rc;
    }
    return status;
}
