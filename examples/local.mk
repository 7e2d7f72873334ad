# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# examples/local.mk: C programs built against the installed libpmk; make installcheck (issue 7).
#
# `make installcheck` (and so `make distcheck`) runs examples/installcheck.sh:
# it compiles each example with `pkg-config --cflags --libs pmk` read from
# the installed pmk.pc (under $(DESTDIR)), runs it on the installed data with
# LD_LIBRARY_PATH on the installed libdir, and checks what it prints.
# `make check` also compiles them against the build tree, so an API change that
# breaks one shows up at once.
PMK_EXAMPLES = examples/gnb_posteriors.c examples/ising_icm.c examples/rbm_hidden.c
check_PROGRAMS += $(PMK_EXAMPLES:.c=)
examples_gnb_posteriors_LDADD = src/libpmk.la $(GSL_LIBS)
examples_ising_icm_LDADD = src/libpmk.la $(GSL_LIBS)
examples_rbm_hidden_LDADD = src/libpmk.la $(GSL_LIBS)
EXTRA_DIST += examples/installcheck.sh

installcheck-local:
	CC='$(CC)' PKG_CONFIG='$(PKG_CONFIG)' DESTDIR='$(DESTDIR)' prefix='$(prefix)' \
	libdir='$(libdir)' bindir='$(bindir)' pkgdatadir='$(pkgdatadir)' mandir='$(mandir)' \
	PACKAGE_VERSION='$(PACKAGE_VERSION)' abs_top_srcdir='$(abs_top_srcdir)' \
	abs_top_builddir='$(abs_top_builddir)' \
	$(SHELL) '$(srcdir)/examples/installcheck.sh' $(PMK_EXAMPLES:%='$(srcdir)/%')
