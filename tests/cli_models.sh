#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_models.sh: model files whose header claims far more than the file holds
# are refused with the file's own message, not after allocating the claim:
# under a 250 MB address-space limit, a gzipped gnb model claiming 60,000,000
# features (2.4 GB) and an RBM claiming 30000 x 30000 weights (14 GB) each
# end at their first short row.  (The plain-file case is refused by its size
# at the header: tests/bad/MANIFEST.models.)
. "$PMK_TOP_SRCDIR/tests/lib.sh"
set -e
bad="$PMK_TOP_SRCDIR/tests/bad"
# ASan reserves terabytes of address space: a limit on it proves nothing there.
if grep -q '^PMK_SAN_CFLAGS = .*-fsanitize' "$PMK_TOP_BUILDDIR/Makefile" 2>/dev/null; then
    echo "sanitizer build: address-space limit skipped"
    exit 77
fi
python3 - "$T" "$bad" <<'PY' || { echo "no python3: skipped"; exit 77; }
import gzip, sys
t, bad = sys.argv[1], sys.argv[2]
g = open(bad + '/ok.gnb').read()
g = g.replace('features 2', 'features 60000000').replace('classes 2', 'classes 1')
g = g.replace('labels 3 7', 'labels 3')
open(t + '/big.gnb.gz', 'wb').write(gzip.compress(g.encode(), mtime=0))
r = open(bad + '/ok.rbm').read().replace('visible 2\nhidden 2', 'visible 30000\nhidden 30000')
open(t + '/big.rbm.gz', 'wb').write(gzip.compress(r.encode(), mtime=0))
PY
expect_fail 1 "pmk gnb eval: $T/big.gnb.gz:13: expected 60000000 numbers after 'mean', found 2" \
    sh -c 'ulimit -v 250000; exec "$@"' sh "$PMK" gnb eval "$T/big.gnb.gz" "$bad/ok.csv"
expect_fail 1 "pmk rbm eval: $T/big.rbm.gz:6: b: 2 numbers, expected 30000" \
    sh -c 'ulimit -v 250000; exec "$@"' sh "$PMK" rbm eval "$T/big.rbm.gz" "$bad/ok.csv"
echo "model files: claimed sizes refused within 250 MB of address space"
