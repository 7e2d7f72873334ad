# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# bench/: benchmark scripts (run by hand, never by make check).
EXTRA_DIST += bench/README
EXTRA_DIST += bench/threads.sh bench/mpi.sh bench/mpi_model.py bench/rbm_chains.py
EXTRA_DIST += bench/lda.sh
