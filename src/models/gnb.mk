# src/models/gnb: the gnb model, its CLI command and tests.
pkginclude_HEADERS += include/pmk/gnb.h
src_libpmk_la_SOURCES += src/models/gnb.c src/models/gnb_io.c
noinst_HEADERS += src/models/gnb_internal.h
src_pmk_SOURCES += src/cli/gnb.c
tests_check_pmk_SOURCES += tests/check_gnb.c
