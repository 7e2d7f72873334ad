/* check_csv.c: placeholder suite, filled in with the csv module. */
#include "config.h"
#include "check_pmk.h"

Suite *suite_csv(void)
{
    return suite_create("csv");
}
