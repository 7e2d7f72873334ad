/* check_gnb.c: placeholder suite, filled in with the gnb module. */
#include "config.h"
#include "check_pmk.h"

Suite *suite_gnb(void)
{
    return suite_create("gnb");
}
