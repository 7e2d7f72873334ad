# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# src/cli: the pmk program: dispatch, shared helpers, demo.
src_pmk_SOURCES += src/cli/main.c src/cli/common.c src/cli/opt.c src/cli/demo.c \
	src/cli/progress.c
noinst_HEADERS += src/cli/cli.h

# The --help texts live in doc/help/ beside the man pages (one file a command
# or verb); doc/help/help2c.sh turns them into C strings at build time, in
# doc/help/help.c (data, so not counted as CLI code) and src/cli/help.h.
PMK_HELP_TXT = $(sort $(wildcard $(srcdir)/doc/help/*.txt))
nodist_src_pmk_SOURCES = doc/help/help.c src/cli/help.h
BUILT_SOURCES = doc/help/help.c src/cli/help.h
CLEANFILES += doc/help/help.c src/cli/help.h
EXTRA_DIST += doc/help/help2c.sh $(PMK_HELP_TXT)
doc/help/help.c: $(PMK_HELP_TXT) $(srcdir)/doc/help/help2c.sh
	$(AM_V_GEN)$(MKDIR_P) doc/help && \
	$(SHELL) $(srcdir)/doc/help/help2c.sh -c $(PMK_HELP_TXT) >$@-t && mv $@-t $@
src/cli/help.h: $(PMK_HELP_TXT) $(srcdir)/doc/help/help2c.sh
	$(AM_V_GEN)$(MKDIR_P) src/cli && \
	$(SHELL) $(srcdir)/doc/help/help2c.sh -h $(PMK_HELP_TXT) >$@-t && mv $@-t $@

# Progress on stderr, on a pseudo-terminal (script(1), util-linux) and off it.
TESTS += tests/cli_progress.sh
EXTRA_DIST += tests/cli_progress.sh
