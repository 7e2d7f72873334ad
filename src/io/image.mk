# src/io images: PBM/PGM/PNG readers and writers, montage.
pkginclude_HEADERS += include/pmk/image.h
tests_check_pmk_SOURCES += tests/check_image.c
