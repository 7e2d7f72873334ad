# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# src/plot: labelled figures drawn with cairo (montages, line plots, heat maps).
pkginclude_HEADERS += include/pmk/plot.h
noinst_HEADERS += src/plot/plot_internal.h src/plot/plot_cairo.h
src_libpmk_la_SOURCES += src/plot/plot_cairo.c src/plot/plot.c src/plot/plot_montage.c src/plot/plot_data.c
tests_check_pmk_SOURCES += tests/check_plot.c
TESTS += tests/cli_plot.sh
EXTRA_DIST += tests/cli_plot.sh
EXTRA_DIST += tests/lsan.supp tests/valgrind.supp
