# src/io: byte streams, CSV and IDX data sets, images (image.mk), pmk convert.
src_libpmk_la_SOURCES += src/io/stream.c src/io/dataout.c src/io/csv.c src/io/idx.c
noinst_HEADERS += src/io/dataout_internal.h
pkginclude_HEADERS += include/pmk/stream.h include/pmk/csv.h include/pmk/idx.h
tests_check_pmk_SOURCES += tests/check_stream.c tests/check_csv.c tests/check_idx.c
src_pmk_SOURCES += src/cli/convert.c
