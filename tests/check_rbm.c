/* check_rbm.c: placeholder suite, filled in with the rbm module. */
#include "config.h"
#include "check_pmk.h"

Suite *suite_rbm(void)
{
    return suite_create("rbm");
}
