/* pmk/rbm.h: placeholder, filled in by the rbm issue. */
#ifndef PMK_RBM_H
#define PMK_RBM_H
#endif
