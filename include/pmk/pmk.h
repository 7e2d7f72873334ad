/** @file pmk/pmk.h
 * The umbrella header of libpmk, the probabilistic modelling toolkit.
 *
 * Include this one header and link with `pkg-config --libs pmk`.  Modules:
 * status (errors), rng, kernels (shared numerics), stream / csv / idx / image
 * (I/O), and the models gnb (Gaussian class-conditional classifier), rbm
 * (binary restricted Boltzmann machine) and ising (Ising-MRF denoising). */
#ifndef PMK_PMK_H
#define PMK_PMK_H

#include "pmk/version.h"
#include "pmk/status.h"
#include "pmk/rng.h"
#include "pmk/kernels.h"
#include "pmk/limits.h"
#include "pmk/stream.h"
#include "pmk/csv.h"
#include "pmk/idx.h"
#include "pmk/image.h"
#include "pmk/gnb.h"
#include "pmk/rbm.h"
#include "pmk/ising.h"

#endif
