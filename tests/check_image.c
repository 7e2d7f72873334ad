/* check_image.c: placeholder suite, filled in with the image module. */
#include "config.h"
#include "check_pmk.h"

Suite *suite_image(void)
{
    return suite_create("image");
}
