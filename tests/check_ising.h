/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Copyright (C) 2026 The pmk developers */
/* check_ising.h: what the ising suite's two files share (check_ising.c). */
#ifndef PMK_CHECK_ISING_H
#define PMK_CHECK_ISING_H

#include <stddef.h>
#include <stdint.h>
#include "check_pmk.h"
#include "pmk/pmk.h"

/* n spins, each +1 with probability pplus. */
void ising_random_spins(pmk_rng *r, int8_t *v, size_t n, double pplus);
/* The parameters {beta, eta, h, neighbours (4 or 8)}. */
pmk_ising_params ising_params(double beta, double eta, double h, int nb);
/* The noise tests (check_ising_noise.c). */
void suite_ising_noise(Suite *s);
/* The marginals and Potts tests (check_ising_potts.c). */
void suite_ising_potts(Suite *s);
/* The bit-packed checkerboard ICM tests (check_ising_bits.c). */
void suite_ising_bits(Suite *s);

#endif
