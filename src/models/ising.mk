# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# src/models/ising: the ising model (ICM, anneal, mean field, min-cut), its
# CLI command, tests, benchmark and docs.
pkginclude_HEADERS += include/pmk/ising.h
src_libpmk_la_SOURCES += src/models/ising.c src/models/ising_icm.c src/models/ising_bits.c src/models/ising_anneal.c \
	src/models/ising_meanfield.c src/models/ising_maxflow.c \
	src/models/ising_noise.c src/models/ising_image.c src/models/ising_report.c src/models/potts.c \
	src/models/potts_expand.c
noinst_HEADERS += src/models/ising_internal.h
src_pmk_SOURCES += src/cli/ising.c
tests_check_pmk_SOURCES += tests/check_ising.c tests/check_ising_noise.c tests/check_ising_potts.c tests/check_ising_bits.c tests/check_ising.h
TESTS += tests/cli_ising.sh tests/cli_ising_potts.sh
EXTRA_DIST += tests/cli_ising.sh tests/cli_ising_potts.sh tests/data/ising-x.pbm tests/data/ising-y.pbm \
	tests/data/ising-grey.pgm tests/data/ising-bad.pbm \
	bench/ising.py bench/ising_potts.sh
