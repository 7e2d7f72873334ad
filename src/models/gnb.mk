# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# src/models/gnb: the gnb model, its CLI command and tests.
pkginclude_HEADERS += include/pmk/gnb.h
src_libpmk_la_SOURCES += src/models/gnb.c src/models/gnb_fit.c src/models/gnb_finish.c src/models/gnb_predict.c \
	src/models/gnb_data.c src/models/gnb_feed.c src/models/gnb_spill.c src/models/gnb_io.c src/models/gnb_text.c src/models/gnb_tokens.c src/models/gnb_par.c \
	src/models/gnb_full.c src/models/gnb_full_io.c src/models/gnb_jll.c
noinst_HEADERS += src/models/gnb_internal.h src/models/gnb_fix.h src/models/gnb_jll_internal.h src/models/gnb_jll_body.h
src_pmk_SOURCES += src/cli/gnb.c
tests_check_pmk_SOURCES += tests/check_gnb.c tests/check_gnb_more.c tests/check_gnb_data.c tests/check_gnb_weights.c tests/check_gnb_full.c tests/check_gnb_tokens.c tests/check_gnb.h \
	tests/check_threads_gnb.c
TESTS += tests/cli_gnb.sh tests/cli_gnb_ranges.sh tests/cli_gnb_sklearn.sh tests/cli_gnb_labels.sh tests/cli_lda.sh tests/cli_lda_numpy.sh
EXTRA_DIST += tests/cli_gnb.sh tests/cli_gnb_ranges.sh tests/cli_gnb_sklearn.sh tests/cli_gnb_labels.sh tests/cli_lda.sh tests/cli_lda_numpy.sh \
	tests/data/gnb-tiny-train.csv tests/data/gnb-tiny-test.csv tests/data/gnb-unseen.csv tests/data/gnb-header.csv \
	tests/data/gnb-wrong-kind.model tests/data/gnb-future.model \
	bench/gnb.py bench/gnb_baseline.py
src_libpmk_la_SOURCES += src/models/gnb_files.c
tests_check_pmk_SOURCES += tests/check_gnb_files.c tests/check_gnb_feed.c tests/check_gnb_jll.c
