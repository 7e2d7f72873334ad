# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# src/io images: PBM/PGM/PNG readers and writers, montage.
pkginclude_HEADERS += include/pmk/image.h
noinst_HEADERS += src/io/image_internal.h
src_libpmk_la_SOURCES += src/io/image.c src/io/image_spins.c src/io/pnm.c src/io/pnm_write.c src/io/png.c src/io/montage.c
tests_check_pmk_SOURCES += tests/check_image.c tests/check_image_bad.c tests/check_image_fixture.c tests/check_image.h \
	tests/check_spins.c
EXTRA_DIST += \
	tests/data/img-comments.pbm tests/data/img-plain.pgm
EXTRA_DIST += bench/image.sh bench/image_read.c bench/bench_clock.h
