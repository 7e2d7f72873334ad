#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_convert_fashion.sh: Debian's Fashion-MNIST IDX files become 10,000- and
# 60,000-row CSV files whose first row matches a Python read of the IDX, and
# convert back to the same IDX bytes.  Skipped (77) without dataset-fashion-mnist.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
set -e
D=/usr/share/datasets/fashion-mnist
[ -r "$D/t10k-images-idx3-ubyte.gz" ] && [ -r "$D/train-labels-idx1-ubyte.gz" ] \
    || { echo "dataset-fashion-mnist is not installed: skipped"; exit 77; }
PY=${PYTHON3:-}
[ -n "$PY" ] && [ -x "$PY" ] || PY=/usr/bin/python3
for split in t10k:10000 train:60000; do
    s=${split%%:*}
    n=${split#*:}
    expect_ok "$PMK" convert -q "$D/$s-images-idx3-ubyte.gz" "$D/$s-labels-idx1-ubyte.gz" -o "$T/$s.csv"
    # a header line, then one row per image
    [ "$(wc -l <"$T/$s.csv")" -eq $((n + 1)) ] || fail "$s: $(wc -l <"$T/$s.csv") lines, wanted 1 + $n"
    [ "$(head -n 1 "$T/$s.csv" | cut -d, -f1,2,785)" = "label,pixel0,pixel783" ] || fail "$s: header line"
    [ "$(head -n 1 "$T/$s.csv" | tr ',' '\n' | wc -l)" -eq 785 ] || fail "$s: not 785 columns"
    if [ -x "$PY" ]; then
        want=$("$PY" -c '
import gzip, sys
img = gzip.open(sys.argv[1]).read(16 + 784)
lab = gzip.open(sys.argv[2]).read(9)
assert img[:4] == b"\0\0\x08\x03" and lab[:4] == b"\0\0\x08\x01"
print(",".join([str(lab[8])] + [str(b) for b in img[16:]]))
' "$D/$s-images-idx3-ubyte.gz" "$D/$s-labels-idx1-ubyte.gz")
        [ "$(sed -n 2p "$T/$s.csv")" = "$want" ] || fail "$s: first row differs from Python's read"
    fi
    # and back: the same bytes as the gunzipped originals
    expect_ok "$PMK" convert -q "$T/$s.csv" -o "$T/$s.idx" --labels "$T/$s-l.idx"
    gzip -dc "$D/$s-images-idx3-ubyte.gz" | cmp -s - "$T/$s.idx" || fail "$s: images differ after the round trip"
    gzip -dc "$D/$s-labels-idx1-ubyte.gz" | cmp -s - "$T/$s-l.idx" || fail "$s: labels differ after the round trip"
    rm -f "$T/$s.csv" "$T/$s.idx" "$T/$s-l.idx"
done
echo "Fashion-MNIST: 10000 + 60000 rows, first rows as Python reads them, round trips exact"
