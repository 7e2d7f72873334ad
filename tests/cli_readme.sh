#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_readme.sh: README stays true.  Runs every example README shows
# (doc/examples.sh --check) with the built pmk and the built example programs,
# and compares what each prints with README: every figure to the digits README
# shows, the RBM's (which depend on the CPU's BLAS kernel, as README says)
# within 1%.  make check pins OPENBLAS_NUM_THREADS=1, as README's commands do.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
PMK_EXAMPLES="$PMK_TOP_BUILDDIR/examples" PMK_DATA="$PMK_TOP_SRCDIR/data" \
    sh "$PMK_TOP_SRCDIR/doc/examples.sh" --check "$PMK_TOP_SRCDIR/README"
