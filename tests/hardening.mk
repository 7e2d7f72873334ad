# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# tests/hardening.mk: the bad-input suite, safe-write and reentrancy tests, valgrind (issue 6).

# The bad-input suite: malformed files, their exact messages (tests/bad/MANIFEST).
TESTS += tests/cli_bad.sh
EXTRA_DIST += tests/cli_bad.sh tests/bad

# Safe writes: full disks, /dev/full, unwritable paths leave good files alone.
TESTS += tests/cli_safe_write.sh tests/cli_outset.sh
EXTRA_DIST += tests/cli_safe_write.sh tests/cli_outset.sh

# Outputs (issue 10): an output that is an input or another output is refused;
# a report that cannot be written to stdout is a failure.
TESTS += tests/cli_alias.sh tests/cli_stdout.sh tests/cli_errors.sh
EXTRA_DIST += tests/cli_alias.sh tests/cli_stdout.sh tests/cli_errors.sh

# Resource limits: PMK_MAX_MEMORY, claimed sizes, the CSV line limit.
TESTS += tests/cli_limits.sh
EXTRA_DIST += tests/cli_limits.sh

# Reentrancy: jobs of different kinds in two threads equal the same jobs alone.
tests_check_pmk_SOURCES += tests/check_reentrant.c
tests_check_pmk_LDADD += -lpthread

# `make check-valgrind`: the Check runner and a few CLI runs under valgrind.
EXTRA_DIST += tests/valgrind.sh
.PHONY: check-valgrind
check-valgrind: $(check_PROGRAMS) $(bin_PROGRAMS)
	LIBTOOL='$(LIBTOOL)' VALGRIND='$(VALGRIND)' abs_top_srcdir='$(abs_top_srcdir)' \
	abs_top_builddir='$(abs_top_builddir)' $(SHELL) $(srcdir)/tests/valgrind.sh
VALGRIND = valgrind

EXTRA_DIST += doc/reliability.md

# No writable globals in libpmk (objdump on the shared library).
TESTS += tests/cli_globals.sh
EXTRA_DIST += tests/cli_globals.sh
