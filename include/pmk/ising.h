/* pmk/ising.h: placeholder, filled in by the ising issue. */
#ifndef PMK_ISING_H
#define PMK_ISING_H
#endif
