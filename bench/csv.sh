#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# bench/csv.sh: CSV parse throughput of pmk against pandas.read_csv and
# numpy.loadtxt on the 60,000-row Fashion-MNIST training set (785 integer
# columns), same run, medians.  Run from the top build folder:
#     sh bench/csv.sh [RUNS]          (default 5 runs of each parser)
# The CSV is made once with `pmk convert` and kept in bench/out/ (ignored by git).
set -eu
RUNS=${1:-5}
PY=/usr/bin/python3
D=/usr/share/datasets/fashion-mnist
SRC=$(dirname "$0")
[ -r "$D/train-images-idx3-ubyte.gz" ] || { echo "bench/csv.sh: install dataset-fashion-mnist" >&2; exit 1; }
"$PY" -c 'import numpy, pandas' || { echo "bench/csv.sh: install python3-numpy python3-pandas" >&2; exit 1; }
make -s src/pmk bench-csv
mkdir -p bench/out
CSV=bench/out/fashion-train.csv
if [ ! -s "$CSV" ]; then
    ./src/pmk convert -q "$D/train-images-idx3-ubyte.gz" "$D/train-labels-idx1-ubyte.gz" -o "$CSV"
fi
[ -s "$CSV.gz" ] || gzip -6 -c "$CSV" >"$CSV.gz"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc --all) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "## plain CSV"
"$PY" "$SRC/csv_baseline.py" "$CSV" bench/csv_parse "$RUNS"
echo "## gzipped CSV"
"$PY" "$SRC/csv_baseline.py" "$CSV.gz" bench/csv_parse "$RUNS"
