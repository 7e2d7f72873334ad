# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# src/models/rbm: the binary RBM, its CLI command and tests.
pkginclude_HEADERS += include/pmk/rbm.h include/pmk/rbm_train.h
src_libpmk_la_SOURCES += src/models/rbm.c src/models/rbm_score.c src/models/rbm_train.c src/models/rbm_fit.c \
	src/models/rbm_io.c src/models/rbm_draw.c src/models/rbm_export.c src/models/rbm_gauss.c \
	src/models/rbm_gauss_score.c \
	src/models/rbm_run.c src/models/rbm_step.c
noinst_HEADERS += src/models/rbm_internal.h src/models/rbm_train_internal.h
# rows shared among threads outside training (hidden, eval, sample)
src_libpmk_la_SOURCES += src/models/rbm_rows.c
noinst_HEADERS += src/models/rbm_rows_internal.h
tests_check_pmk_SOURCES += tests/check_threads_rbm.c
src_pmk_SOURCES += src/cli/rbm.c
tests_check_pmk_SOURCES += tests/check_rbm.c tests/check_rbm_train.c tests/check_rbm_draw.c \
	tests/check_rbm_run.c tests/check_rbm_resume.c tests/check_rbm_gauss.c tests/check_rbm.h
TESTS += tests/cli_rbm.sh tests/cli_rbm_gauss.sh
EXTRA_DIST += tests/cli_rbm.sh tests/cli_rbm_gauss.sh tests/data/rbm-bars.csv tests/data/rbm-bad-range.csv tests/data/rbm-v2.rbm \
	bench/rbm.sh bench/rbm_figures.sh bench/rbm_gemm.c bench/rbm_sklearn.py bench/rbm_data.py \
	bench/rbm_memory.sh bench/rbm_memory.py bench/rbm_gauss.sh
