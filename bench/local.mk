# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# bench/: benchmark scripts (run by hand, never by make check).
EXTRA_DIST += bench/README
EXTRA_DIST += bench/threads.sh bench/mpi.sh bench/mpi_model.py bench/rbm_chains.py
EXTRA_DIST += bench/lda.sh bench/ising_start.sh bench/stamp.sh

# bench/ising_sweeps: checkerboard ICM at 1 and 2 threads in one process
# (bench/threads.sh's ip* rows), built by `make bench-ising` (never
# installed, never run by make check).  src/io/local.mk sets EXTRA_PROGRAMS.
EXTRA_PROGRAMS += bench/ising_sweeps
bench_ising_sweeps_SOURCES = bench/ising_sweeps.c bench/bench_clock.h
bench_ising_sweeps_LDADD = src/libpmk.la $(GSL_LIBS)
CLEANFILES += bench/ising_sweeps$(EXEEXT)
.PHONY: bench-ising
bench-ising: bench/ising_sweeps$(EXEEXT)
