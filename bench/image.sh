#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# bench/image.sh: pmk_image_read against numpy on the same files, same run.
# Run from a configured, built tree: sh bench/image.sh [REPS]
# Files (in bench/out/, ignored by git): data/horse.pbm (400 x 328 P4) and a
# 2048 x 2048 image as P4, P5 and 8-bit PNG written by pmk.  The numpy
# baseline reads P4/P5 into a float64 matrix as pmk does (np.unpackbits to
# +-1 spins; bytes to levels); it cannot read PNG without PIL, so PNG has no
# baseline.  Medians of REPS reads [7].  OpenBLAS plays no part here.
set -eu
reps=${1:-7}
top=$(cd "$(dirname "$0")/.." && pwd)
py=${PYTHON3:-/usr/bin/python3}
out="$top/bench/out"
mkdir -p "$out"
cd "$top"
./libtool --mode=link --silent ${CC:-gcc} -O2 -I. -Iinclude -o "$out/image_read" \
    bench/image_read.c src/libpmk.la $(pkg-config --libs gsl) >/dev/null
"$py" - "$out" <<'PY'
import sys, numpy as np
out = sys.argv[1]
rng = np.random.default_rng(1)
img = (rng.random((2048, 2048)) < 0.3).astype(np.uint8)
with open(f"{out}/big.pbm", "wb") as f:
    f.write(b"P4\n2048 2048\n"); f.write(np.packbits(img, axis=1).tobytes())
g = (rng.random((2048, 2048)) * 256).astype(np.uint8)
with open(f"{out}/big.pgm", "wb") as f:
    f.write(b"P5\n2048 2048\n255\n"); f.write(g.tobytes())
PY
# The PNG: the P5 image rewritten by pmk (a grey 8-bit PNG).
cat > "$out/topng.c" <<'C'
#include "pmk/pmk.h"
int main(int argc, char **argv) { pmk_error e; pmk_image *i;
  return pmk_image_read(argv[1], &i, &e) || pmk_image_write(argv[2], i, PMK_IMAGE_AUTO, &e); }
C
./libtool --mode=link --silent ${CC:-gcc} -O2 -I. -Iinclude -o "$out/topng" "$out/topng.c" \
    src/libpmk.la $(pkg-config --libs gsl) >/dev/null
"$out/topng" "$out/big.pgm" "$out/big.png"

numpy_ms() {
    "$py" - "$1" "$reps" <<'PY'
import sys, time, numpy as np
path, reps = sys.argv[1], int(sys.argv[2])
def read(path):
    with open(path, "rb") as f:
        data = f.read()
    # Headers here are exactly "P4\nW H\n" / "P5\nW H\n255\n".
    parts = data.split(b"\n", 3 if data[1:2] == b"5" else 2)
    w, h = map(int, parts[1].split())
    if data[1:2] == b"4":
        bits = np.unpackbits(np.frombuffer(parts[2], np.uint8).reshape(h, -1), axis=1)[:, :w]
        return np.where(bits == 1, 1.0, -1.0)
    return np.frombuffer(parts[3], np.uint8).reshape(h, w).astype(np.float64)
ts = []
for _ in range(reps):
    t0 = time.perf_counter(); read(path); ts.append((time.perf_counter() - t0) * 1e3)
print(f"{sorted(ts)[len(ts) // 2]:.3f}")
PY
}

printf '%-22s %10s %10s %8s\n' file pmk_ms numpy_ms ratio
for f in data/horse.pbm "$out/big.pbm" "$out/big.pgm" "$out/big.png"; do
    p=$("$out/image_read" "$f" "$reps")
    case $f in
    *.png) n=-; r=- ;;
    *) n=$(numpy_ms "$f"); r=$(awk -v a="$n" -v b="$p" 'BEGIN { printf "%.2f", a / b }') ;;
    esac
    printf '%-22s %10s %10s %8s\n' "$(basename "$f")" "$p" "$n" "$r"
done
