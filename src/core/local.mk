# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# src/core: status codes, RNG wrapper, numeric kernels.
src_libpmk_la_SOURCES += src/core/status.c src/core/rng.c src/core/kernels.c src/core/vecf.c src/core/limits.c src/core/alloc.c src/core/blas.c \
	src/core/threads.c src/core/decimal.c
noinst_HEADERS += src/core/core_internal.h src/core/progress_internal.h src/core/vecf_internal.h \
	src/core/vecf_body.h
pkginclude_HEADERS += include/pmk/status.h include/pmk/rng.h include/pmk/kernels.h include/pmk/limits.h \
	include/pmk/progress.h include/pmk/threads.h
tests_check_pmk_SOURCES += tests/check_core.c tests/check_progress.c tests/check_threads.c \
	tests/check_vecf.c tests/check_decimal.c
TESTS += tests/cli_symbols.sh tests/cli_licence.sh tests/cli_exits.sh tests/cli_readme.sh tests/cli_blas.sh \
	tests/cli_threads.sh
EXTRA_DIST += tests/cli_symbols.sh tests/cli_licence.sh tests/cli_exits.sh tests/cli_readme.sh tests/cli_blas.sh \
	tests/cli_threads.sh
