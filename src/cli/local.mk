# src/cli: the pmk program: dispatch, shared helpers, demo.
src_pmk_SOURCES += src/cli/main.c src/cli/common.c src/cli/demo.c
noinst_HEADERS += src/cli/cli.h
