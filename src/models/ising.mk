# src/models/ising: the ising model, its CLI command and tests.
pkginclude_HEADERS += include/pmk/ising.h
src_pmk_SOURCES += src/cli/ising.c
tests_check_pmk_SOURCES += tests/check_ising.c
