/* convert.c: `pmk convert`: placeholder until the I/O work lands. */
#include "config.h"
#include "cli/cli.h"

int cli_convert(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return cli_error("not implemented yet");
}
