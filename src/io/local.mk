# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# src/io: byte streams, CSV and IDX data sets, images (image.mk), pmk convert.
src_libpmk_la_SOURCES += src/io/stream.c src/io/paths.c src/io/dataout.c src/io/csv_parse.c src/io/csv_run.c src/io/csv_read.c src/io/csv_tokens.c src/io/csv_write.c src/io/csv_numbered.c src/io/csv_set.c src/io/idx.c src/io/dataset.c src/io/dataset_read.c src/io/dataset_table.c src/io/dataset_convert.c src/io/tokens.c \
	src/io/record.c src/io/modelfile.c src/io/report.c
noinst_HEADERS += src/io/tokens_internal.h src/io/dataout_internal.h src/io/record_internal.h src/io/idx_internal.h src/io/csv_internal.h src/io/dataset_internal.h
pkginclude_HEADERS += include/pmk/report.h include/pmk/stream.h include/pmk/csv.h include/pmk/idx.h include/pmk/dataset.h
tests_check_pmk_SOURCES += tests/check_stream.c tests/check_record.c tests/check_report.c tests/check_csv.c tests/check_csv_limits.c tests/check_csv_simd.c tests/check_csv_seek.c tests/check_readers.c tests/check_idx.c tests/check_dataset.c \
	tests/check_dataset_table.c tests/check_dataset_convert.c tests/check_dataset_columns.c tests/check_tokens.c tests/check_dataset.h
src_pmk_SOURCES += src/cli/convert.c

# bench/csv_parse: the pmk side of bench/csv.sh, built by `make bench-csv`
# (never installed, never run by make check).
EXTRA_PROGRAMS = bench/csv_parse
bench_csv_parse_SOURCES = bench/csv_parse.c
bench_csv_parse_LDADD = src/libpmk.la $(GSL_LIBS) $(ZLIB_LIBS)
CLEANFILES += bench/csv_parse$(EXEEXT)
EXTRA_DIST += bench/csv.sh bench/csv_baseline.py
.PHONY: bench-csv
bench-csv: bench/csv_parse$(EXEEXT)
EXTRA_DIST += tests/data/csv-binary.csv tests/data/csv-blank-middle.csv \
	tests/data/csv-blank-only.csv tests/data/csv-dialect.csv tests/data/csv-empty-field.csv \
	tests/data/csv-empty.csv tests/data/csv-header-only.csv tests/data/csv-inf.csv \
	tests/data/csv-label-float.csv tests/data/csv-long-field.csv \
	tests/data/csv-mnist-header.csv.gz tests/data/csv-nan.csv tests/data/csv-nonnumeric.csv \
	tests/data/csv-not-u8.csv tests/data/csv-overflow.csv tests/data/csv-quote-open.csv \
	tests/data/csv-ragged-long.csv tests/data/csv-ragged-short.csv \
	tests/data/idx-images.idx3-ubyte tests/data/idx-labels.idx1-ubyte \
	tests/data/idx-labels2.idx1-ubyte tests/data/idx-short.idx3-ubyte
TESTS += tests/cli_convert.sh tests/cli_csv_bad.sh tests/cli_convert_fashion.sh tests/cli_models.sh
EXTRA_DIST += tests/cli_convert.sh tests/cli_csv_bad.sh tests/cli_convert_fashion.sh \
	tests/cli_models.sh
# output sets (outset.c) share the temporary-name rule with stream.c
src_libpmk_la_SOURCES += src/io/outset.c
noinst_HEADERS += src/io/stream_internal.h
