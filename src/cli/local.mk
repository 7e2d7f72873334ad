# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# src/cli: the pmk program: dispatch, shared helpers, demo.
src_pmk_SOURCES += src/cli/main.c src/cli/common.c src/cli/opt.c src/cli/report.c src/cli/demo.c
noinst_HEADERS += src/cli/cli.h
