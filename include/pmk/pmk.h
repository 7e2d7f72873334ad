/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/** @file pmk/pmk.h
 * The umbrella header of libpmk, the probabilistic modelling toolkit.
 *
 * Include this one header and link with `pkg-config --libs pmk`.  Modules:
 * status (errors), rng, kernels (shared numerics), stream / csv / idx / image
 * (I/O), and the models gnb (Gaussian class-conditional classifier), rbm
 * (binary restricted Boltzmann machine) and ising (Ising-MRF denoising).
 *
 * Thread-safety rules (they hold for every header below):
 * - The library has no mutable global state; distinct objects (models,
 *   readers, images, RNGs, pmk_error records) may be used from distinct
 *   threads at once.
 * - One object must not be used by two threads at once, except through
 *   functions that take it as const (two threads may predict with one fitted
 *   model; they may not train the same model).
 * - Randomness comes only from the pmk_rng passed in: give each thread its
 *   own, and a seed reproduces a run whatever other threads do.
 * - Number parsing and formatting never depend on the process locale (the
 *   calling thread is switched to the C locale with uselocale and back).
 * - Process-wide settings are read, never written: the environment
 *   (PMK_MAX_MEMORY, GSL_RNG_TYPE / GSL_RNG_SEED for pmk_rng_alloc_env) and
 *   GSL's error handler.  Set them before starting threads, and call
 *   gsl_set_error_handler_off() first: every GSL status is passed up as a
 *   pmk status, so GSL must not abort. */
#ifndef PMK_PMK_H
#define PMK_PMK_H

#include "pmk/version.h"
#include "pmk/status.h"
#include "pmk/progress.h"
#include "pmk/report.h"
#include "pmk/rng.h"
#include "pmk/kernels.h"
#include "pmk/limits.h"
#include "pmk/threads.h"
#include "pmk/stream.h"
#include "pmk/csv.h"
#include "pmk/idx.h"
#include "pmk/dataset.h"
#include "pmk/image.h"
#include "pmk/gnb.h"
#include "pmk/rbm.h"
#include "pmk/ising.h"
#include "pmk/plot.h"

#endif
