/* check_idx.c: placeholder suite, filled in with the idx module. */
#include "config.h"
#include "check_pmk.h"

Suite *suite_idx(void)
{
    return suite_create("idx");
}
