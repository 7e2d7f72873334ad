# src/models/rbm: the rbm model, its CLI command and tests.
pkginclude_HEADERS += include/pmk/rbm.h
src_pmk_SOURCES += src/cli/rbm.c
tests_check_pmk_SOURCES += tests/check_rbm.c
