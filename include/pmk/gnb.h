/* pmk/gnb.h: placeholder, filled in by the gnb issue. */
#ifndef PMK_GNB_H
#define PMK_GNB_H
#endif
