/* check_ising.c: placeholder suite, filled in with the ising module. */
#include "config.h"
#include "check_pmk.h"

Suite *suite_ising(void)
{
    return suite_create("ising");
}
