# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# doc/man/local.mk: man pages pmk(1), pmk-<command>(1) (issue 7), installed by
# make install and shipped in the dist; tests/cli_man.sh checks them against --help.
dist_man1_MANS = doc/man/pmk.1 doc/man/pmk-gnb.1 doc/man/pmk-convert.1 doc/man/pmk-demo.1 \
	doc/man/pmk-ising.1 doc/man/pmk-rbm.1
TESTS += tests/cli_man.sh
EXTRA_DIST += tests/cli_man.sh
# The pictures README shows, made with the built pmk by the commands README gives.
EXTRA_DIST += doc/img/gnb-means.png doc/img/ising-horse.png doc/img/rbm-filters.png \
	doc/img/gnb-confusion.png doc/img/gnb-worst.png doc/img/rbm-curves.png doc/img/rbm-samples.png \
	doc/img/rbm-gibbs.png doc/img/ising-trace.png doc/pictures.sh
