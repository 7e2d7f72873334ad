/* rbm.c: `pmk rbm`: placeholder until the rbm issue lands. */
#include "config.h"
#include "cli/cli.h"

int cli_rbm(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error("not implemented yet");
}

int cli_demo_rbm(const char *datadir, const char *outdir, unsigned long seed)
{
    (void)datadir;
    (void)outdir;
    (void)seed;
    return PMK_EXIT_OK;
}
