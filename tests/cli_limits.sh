#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_limits.sh: sizes a file claims are checked before anything is allocated;
# PMK_MAX_MEMORY lowers the ceiling for CSV, IDX, images and model files; a CSV
# line of unbounded length stops at the line limit.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
set -e
cd "$T"
MN="$DATA/mnist-test.csv.gz"
expect_ok "$PMK" convert -q "$MN" -o img.idx --labels lab.idx
expect_ok "$PMK" gnb fit -q "$MN" -o m.gnb

# ---------------------------------------------------------------- CSV
# convert holds the u8 images until the end (N x D bytes, + N with --labels).
# With a 1 MiB ceiling a chunk is kept below a quarter of it: 32768 doubles,
# 41 rows of 784; the 33rd chunk ends on row 33 x 41 = 1353, and 1353 x 784 =
# 1060752 bytes > 1048576.
expect_fail 1 "pmk convert: $MN:1353: holding 1353 rows of 784 bytes needs 1060752 bytes, more than the PMK_MAX_MEMORY limit of 1048576 bytes" \
    env PMK_MAX_MEMORY=1M "$PMK" convert -q "$MN" -o out.idx
[ ! -e out.idx ] || fail "out.idx written"
# 2000 x (784 + 1) = 1570000 bytes exactly fit a ceiling of 1570000
expect_ok env PMK_MAX_MEMORY=1570000 "$PMK" convert -q "$MN" -o out.idx --labels out-l.idx
same_bytes img.idx out.idx
# a value PMK_MAX_MEMORY cannot mean is ignored (not taken as 0)
expect_ok env PMK_MAX_MEMORY=lots "$PMK" convert -q "$MN" -o out2.idx
same_bytes img.idx out2.idx
# gnb fit streams: memory grows with K x D, not N, so a 1 MiB ceiling is enough
# (chunks of 41 rows instead of 1024 change the rounding, not the predictions)
expect_ok "$PMK" gnb fit -q "$MN" -o m1.gnb
grep 'train accuracy' out >acc-full
expect_ok env PMK_MAX_MEMORY=1M "$PMK" gnb fit -q "$MN" -o m1.gnb
grep 'train accuracy' out >acc-1m
same_bytes acc-full acc-1m

# A line of unbounded length, streamed (nothing stored): cut at the default
# limit of 16 MiB (16777216 bytes), the message pointing at the first byte past it.
run sh -c '{ printf "1,"; yes 0, | tr -d "\n"; } | "$1" convert -q - -o out3.idx' sh "$PMK"
[ "$rc" -eq 1 ] || fail "unbounded line: exit $rc"
[ "$(cat err)" = "pmk convert: <stdin>:1:16777217: line longer than the limit of 16777216 bytes" ] \
    || fail "unbounded line: $(cat err)"
run sh -c '{ printf "1,"; yes 0, | tr -d "\n"; } | "$1" gnb fit -q - -o out.gnb' sh "$PMK"
[ "$rc" -eq 1 ] && [ "$(cat err)" = "pmk gnb fit: <stdin>:1:16777217: line longer than the limit of 16777216 bytes" ] \
    || fail "unbounded line, gnb fit: exit $rc, $(cat err)"
# --max-line: a 1001-byte line against a limit of 1000
awk 'BEGIN { printf "1"; for (i = 0; i < 500; i++) printf ",0"; printf "\n" }' >wide.csv
expect_ok "$PMK" convert -q --max-line 1001 wide.csv -o out4.idx
expect_fail 1 "pmk convert: wide.csv:1:1001: line longer than the limit of 1000 bytes" \
    "$PMK" convert -q --max-line 1000 wide.csv -o out5.idx

# ---------------------------------------------------------------- IDX
# IDX to CSV streams a chunk of images at a time (issue 11): the 2000 x 28 x 28
# images, 12544000 bytes as doubles, convert under a 10 MiB ceiling, plain
# and through gzip, to the same CSV as without one
expect_ok "$PMK" convert -q img.idx lab.idx -o out0.csv
expect_ok env PMK_MAX_MEMORY=10M "$PMK" convert -q img.idx lab.idx -o out.csv
same_bytes out.csv out0.csv
gzip -c img.idx >img.idx.gz
expect_ok env PMK_MAX_MEMORY=10M "$PMK" convert -q img.idx.gz lab.idx -o out.csv
same_bytes out.csv out0.csv
# gzipped IDX headers, the body missing: 2^32-1 x 65535 x 65535 overflows
# size_t as doubles; 65535 x 65535 u8 as doubles is 65535^2 x 8 = 34358689800 bytes
printf '\000\000\010\003\377\377\377\377\000\000\377\377\000\000\377\377' | gzip -c >huge.idx.gz
expect_fail 1 "pmk convert: huge.idx.gz: IDX header says 4294967295 x 65535 x 65535 u8 elements: more than memory can hold" \
    "$PMK" convert -q huge.idx.gz -o out.csv
# 65535 rows of 65535 u8 claimed, nothing behind them: streamed, the claim
# costs no memory, and the missing body is the error
printf '\000\000\010\002\000\000\377\377\000\000\377\377' | gzip -c >big.idx.gz
expect_fail 1 "pmk convert: big.idx.gz: header says 65535 x 65535 u8 = 4294836237 bytes, file has 12 bytes after gunzip" \
    env PMK_MAX_MEMORY=1G "$PMK" convert -q big.idx.gz -o out.csv

# ---------------------------------------------------------------- models
# gnb: 10 classes x 784 features need 8 x (5 x 10 x 784 + 5 x 10 + 3 x 784)
# = 8 x 41602 = 332816 bytes, refused on line 3 (classes) before any allocation
expect_fail 1 "pmk gnb eval: m.gnb:3: a model of 10 classes x 784 features needs 332816 bytes, more than the PMK_MAX_MEMORY limit of 332815 bytes" \
    env PMK_MAX_MEMORY=332815 "$PMK" gnb eval m.gnb "$MN"
expect_ok env PMK_MAX_MEMORY=332816 "$PMK" gnb eval m.gnb "$MN"
# a 60-byte header claiming 60000000 features: 8 x (5 x 6e7 + 5 + 1.8e8) = 3840000040 bytes
# A plain file that short cannot hold 2 x 6e7 numbers of 2 bytes or more: refused
# from its size whatever the ceiling; gzipped, the size is unknown and the
# ceiling refuses it.
printf 'pmk-gnb 1\nfeatures 60000000\nclasses 1\nrows 1\n' >big.gnb
expect_fail 1 "pmk gnb eval: big.gnb:3: 1 classes x 60000000 features need at least 240000000 bytes of text, but the file has only 45 (truncated, or an edited header)" \
    "$PMK" gnb eval big.gnb "$MN"
gzip -c big.gnb >big.gnb.gz
expect_fail 1 "pmk gnb eval: big.gnb.gz:3: a model of 1 classes x 60000000 features needs 3840000040 bytes, more than the PMK_MAX_MEMORY limit of 1073741824 bytes" \
    env PMK_MAX_MEMORY=1G "$PMK" gnb eval big.gnb.gz "$MN"
if "$PMK" rbm --help >/dev/null 2>&1; then
    # rbm: W and dW of D x H doubles and four vectors: a header of 30000 x 30000
    # units needs 8 x (2 x 9e8 + 2 x 30000 + 2 x 30000) = 14400960000 bytes
    # (refused from the size of a plain file, from the ceiling when gzipped)
    printf 'pmk-rbm 1\nvisible 30000\nhidden 30000\nepochs 0\n' >big.rbm
    expect_fail 1 "pmk rbm eval: big.rbm:3: 30000 x 30000 weights need at least 1800000000 bytes of text, but the file has only 46 (truncated, or an edited header)" \
        "$PMK" rbm eval big.rbm "$MN"
    gzip -c big.rbm >big.rbm.gz
    expect_fail 1 "pmk rbm eval: big.rbm.gz:3: an RBM of 30000 visible x 30000 hidden units needs 14400960000 bytes, more than the PMK_MAX_MEMORY limit of 1073741824 bytes" \
        env PMK_MAX_MEMORY=1G "$PMK" rbm eval big.rbm.gz "$MN"
    # found by fuzz_rbm: a model of 2 x 2 units claiming 175278664 persistent
    # chains, 175278664 x 2 x 8 bytes + the model's 8 x (8 + 4 + 4) = 2804458752
    gzip -c "$PMK_TOP_SRCDIR/tests/bad/rbm-chains-huge.rbm" >chains.rbm.gz
    expect_fail 1 "pmk rbm eval: chains.rbm.gz:20: an RBM of 2 visible x 2 hidden units with 175278664 chains needs 2804458752 bytes, more than the PMK_MAX_MEMORY limit of 1073741824 bytes" \
        env PMK_MAX_MEMORY=1G "$PMK" rbm eval chains.rbm.gz "$MN"
    # a real model: 784 x 16 units need 8 x (2 x 12544 + 2 x 784 + 2 x 16) = 213504 bytes
    gzip -dc "$MN" | head -n 100 >m100.csv
    expect_ok "$PMK" rbm train -q --hidden 16 --epochs 1 --seed 1 m100.csv -o r.rbm
    expect_fail 1 "pmk rbm hidden: r.rbm:3: an RBM of 784 visible x 16 hidden units needs 213504 bytes, more than the PMK_MAX_MEMORY limit of 213503 bytes" \
        env PMK_MAX_MEMORY=213503 "$PMK" rbm hidden r.rbm m100.csv
    expect_ok env PMK_MAX_MEMORY=1M "$PMK" rbm hidden r.rbm m100.csv
fi

# ---------------------------------------------------------------- images
if "$PMK" ising denoise --help >/dev/null 2>&1; then
    # 40 bytes claiming 100000 x 100000 pixels: refused from the file size
    printf 'P5\n100000 100000\n255\n0123456789012345678' >huge.pgm
    [ "$(wc -c <huge.pgm)" -eq 40 ] || fail "huge.pgm is not 40 bytes"
    expect_fail 1 "pmk ising denoise: huge.pgm: header claims 100000 x 100000 pixels (10000000000 bytes of raster) but only 19 bytes follow it" \
        "$PMK" ising denoise --threshold 0.5 huge.pgm -o out.pbm
    # through a pipe the size is unknown: the 8e10-byte matrix is over the ceiling
    # through a pipe, or gzipped, the size is unknown: the 100000 x 100000 x 8 =
    # 8e10-byte matrix is over the ceiling, refused after the header
    run sh -c 'cat huge.pgm | PMK_MAX_MEMORY=1G "$1" ising denoise --threshold 0.5 - -o out.pbm' sh "$PMK"
    [ "$rc" -eq 1 ] && [ "$(cat err)" = "pmk ising denoise: <stdin>:2:1: PGM image of 100000 x 100000 pixels is too large (needs 80000000000 bytes, more than the PMK_MAX_MEMORY limit of 1073741824 bytes)" ] \
        || fail "huge PGM through a pipe: exit $rc, $(cat err)"
    gzip -c huge.pgm >huge.pgm.gz
    expect_fail 1 "pmk ising denoise: huge.pgm.gz:2:1: PGM image of 100000 x 100000 pixels is too large (needs 80000000000 bytes, more than the PMK_MAX_MEMORY limit of 1073741824 bytes)" \
        env PMK_MAX_MEMORY=1G "$PMK" ising denoise --threshold 0.5 huge.pgm.gz -o out.pbm
    [ ! -e out.pbm ] || fail "out.pbm written"
    # 13 x 5 pixels x 8 bytes = 520 bytes
    printf 'P4\n13 5\n' >small.pbm
    head -c 10 /dev/zero >>small.pbm
    expect_fail 1 "pmk ising denoise: small.pbm:2:1: PBM image of 13 x 5 pixels is too large (needs 520 bytes, more than the PMK_MAX_MEMORY limit of 519 bytes)" \
        env PMK_MAX_MEMORY=519 "$PMK" ising denoise small.pbm -o out.pbm
else
    echo "pmk ising is not built: image limits skipped"
fi
echo "limits: all checks passed"
