# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# src/mpi: pmk under mpirun (./configure --with-mpi).  Program code only:
# the pmk program links MPI, libpmk never does (doc/design.md, "MPI").  The
# header is always there: without MPI its functions are inline stubs.
noinst_HEADERS += src/mpi/pmk_mpi.h
if PMK_MPI
src_pmk_SOURCES += src/mpi/mpi.c src/mpi/mpi_gnb.c src/mpi/mpi_rbm.c
src_pmk_CPPFLAGS += $(MPI_CFLAGS)
src_pmk_LDADD += $(MPI_LIBS)
TESTS += tests/cli_mpi.sh
endif
EXTRA_DIST += tests/cli_mpi.sh
# The library's side of data-parallel RBM training (the options' reduce
# hook), in every build: two workers in two threads.
tests_check_pmk_SOURCES += tests/check_rbm_parallel.c
