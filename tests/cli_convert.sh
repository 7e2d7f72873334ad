#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_convert.sh: pmk convert: help, usage errors (exit 2), IDX <-> CSV round
# trips byte for byte (plain, gzip, stdin/stdout), and bad data (exit 1).
. "$PMK_TOP_SRCDIR/tests/lib.sh"
set -e
IMG="$FIX/idx-images.idx3-ubyte"     # 3 images of 2 x 3, written by hand
LAB="$FIX/idx-labels.idx1-ubyte"     # labels 9, 0, 7
LAB2="$FIX/idx-labels2.idx1-ubyte"   # only 2 labels

# ---- help: grouped, defaults in brackets, exit 0
expect_ok "$PMK" convert --help
grep -q '^Usage: pmk convert \[options\] IMAGES.idx \[LABELS.idx\] -o OUT.csv$' "$T/out" || fail "help: usage line"
grep -q '^CSV input:$' "$T/out" || fail "help: CSV input group"
grep -q -- '--label-col K .*\[0\]$' "$T/out" || fail "help: --label-col default"

# ---- usage errors: exit 2, the message, then the hint
expect_err_line 2 "pmk convert: no input file given" "$PMK" convert
[ "$(sed -n 2p "$T/err")" = "Try 'pmk convert --help'." ] || fail "no hint after a usage error"
expect_err_line 2 "pmk convert: no output file given (-o FILE)" "$PMK" convert "$IMG"
expect_err_line 2 "pmk convert: unknown option '--bogus'" "$PMK" convert --bogus "$IMG"
expect_err_line 2 "pmk convert: option '-o' needs a value" "$PMK" convert "$IMG" -o
expect_err_line 2 "pmk convert: unexpected argument 'c'" "$PMK" convert a b c -o x
expect_err_line 2 "pmk convert: --shape: '28' is not ROWSxCOLS (e.g. 28x28)" \
    "$PMK" convert --shape 28 "$IMG" -o x
expect_err_line 2 "pmk convert: unknown option '--input-header'" \
    "$PMK" convert --input-header yes "$IMG" -o x
expect_err_line 2 "pmk convert: --header applies to CSV input, and $IMG is IDX" \
    "$PMK" convert --header "$IMG" -o x
expect_err_line 2 "pmk convert: option '--out' needs a value" "$PMK" convert "$IMG" --out
expect_err_line 2 "pmk convert: --label-col: '-3x' is not a column (0, 1, ..., last, -1, -2, ... or none)" \
    "$PMK" convert --label-col -3x "$IMG" -o x
expect_err_line 2 "pmk convert: the labels are given twice: as $LAB and --labels $LAB2" \
    "$PMK" convert "$IMG" "$LAB" -o "$T/x.csv" --labels "$LAB2"
expect_err_line 2 "pmk convert: --shape applies to CSV input, and $IMG is IDX" \
    "$PMK" convert --shape 2x3 "$IMG" -o "$T/x.csv"
printf '1,2\n' >"$T/small.csv"
expect_err_line 2 "pmk convert: a second argument is for IDX input (the labels), and $T/small.csv is CSV; use --labels FILE to write the labels" \
    "$PMK" convert "$T/small.csv" "$LAB" -o "$T/x.idx"
expect_err_line 1 "pmk convert: $T/small.csv:1:1: header only, no data rows" \
    "$PMK" convert --header "$T/small.csv" -o "$T/x.idx"
expect_err_line 2 "pmk convert: --labels needs a label column, not --label-col none" \
    "$PMK" convert --label-col none "$T/small.csv" -o "$T/x.idx" --labels "$T/y.idx"
[ ! -e "$T/x.idx" ] && [ ! -e "$T/x.csv" ] || fail "a usage error wrote a file"

# ---- IDX -> CSV: the exact text (label first), quiet
expect_ok "$PMK" convert -q "$IMG" "$LAB" -o "$T/a.csv"
printf 'label,pixel0,pixel1,pixel2,pixel3,pixel4,pixel5\n9,0,1,2,3,4,5\n0,255,254,253,252,251,250\n7,10,20,30,40,50,60\n' >"$T/want.csv"
same_bytes "$T/a.csv" "$T/want.csv"
[ ! -s "$T/err" ] || fail "-q printed: $(cat "$T/err")"
# --labels FILE names the same labels file as the second argument; --output
expect_ok "$PMK" convert -q "$IMG" --labels "$LAB" --output "$T/a2.csv"
same_bytes "$T/a2.csv" "$T/want.csv"
# every CSV pmk writes has its header (Kaggle's names), also to stdout; the notice names <stdout>
expect_ok "$PMK" convert "$IMG" "$LAB" -o -
[ "$(head -n 1 "$T/out")" = "label,pixel0,pixel1,pixel2,pixel3,pixel4,pixel5" ] || fail "header line"
[ "$(sed -n 2p "$T/out")" = "9,0,1,2,3,4,5" ] || fail "first row after the header"
[ "$(cat "$T/err")" = "pmk convert: wrote 3 rows of a label and 6 values to <stdout>" ] || fail "notice: $(cat "$T/err")"
# without labels: pixels only
expect_ok "$PMK" convert -q "$IMG" -o -
[ "$(sed -n 1p "$T/out")" = "pixel0,pixel1,pixel2,pixel3,pixel4,pixel5" ] || fail "header without labels"
[ "$(sed -n 4p "$T/out")" = "10,20,30,40,50,60" ] || fail "rows without labels"

# ---- CSV -> IDX: byte for byte the hand-written fixtures, through gzip
expect_ok "$PMK" convert "$T/a.csv" -o "$T/b.idx.gz" --labels "$T/bl.idx.gz" --shape 2x3
[ "$(cat "$T/err")" = "pmk convert: wrote 3 images of 2 x 3 to $T/b.idx.gz
pmk convert: wrote 3 labels to $T/bl.idx.gz" ] || fail "notices: $(cat "$T/err")"
gzip -dc "$T/b.idx.gz" >"$T/b.idx"
gzip -dc "$T/bl.idx.gz" >"$T/bl.idx"
same_bytes "$T/b.idx" "$IMG"
same_bytes "$T/bl.idx" "$LAB"
# the header written above is detected and skipped; CSV from stdin
"$PMK" convert -q "$IMG" "$LAB" -o "$T/h.csv"
expect_ok "$PMK" convert -q - -o "$T/c.idx" --labels "$T/cl.idx" --shape 2x3 <"$T/h.csv"
same_bytes "$T/c.idx" "$IMG"
same_bytes "$T/cl.idx" "$LAB"
# without --labels the labels are dropped, with a notice
expect_ok "$PMK" convert "$T/a.csv" -o "$T/d.idx"
[ "$(sed -n 2p "$T/err")" = "pmk convert: the labels (column 0) were not written: use --labels FILE to keep them" ] \
    || fail "notice about labels: $(cat "$T/err")"
# 6 values are not a square: N x 6
[ "$(od -An -tx1 -N12 "$T/d.idx" | tr -d ' \n')" = "000008020000000300000006" ] || fail "N x D header"

# ---- the MNIST test split: CSV.gz -> IDX (2000 x 28 x 28) -> CSV.gz, same text
expect_ok "$PMK" convert -q "$DATA/mnist-test.csv.gz" -o "$T/m.idx" --labels "$T/ml.idx"
[ "$(od -An -tx1 -N16 "$T/m.idx" | tr -d ' \n')" = "00000803000007d00000001c0000001c" ] || fail "2000 x 28 x 28 header"
[ "$(wc -c <"$T/m.idx")" -eq $((16 + 2000 * 784)) ] || fail "image file size"
[ "$(wc -c <"$T/ml.idx")" -eq $((8 + 2000)) ] || fail "label file size"
expect_ok "$PMK" convert -q "$T/m.idx" "$T/ml.idx" -o "$T/m.csv.gz"
gzip -dc "$T/m.csv.gz" | tail -n +2 >"$T/m.csv"
gzip -dc "$DATA/mnist-test.csv.gz" >"$T/m0.csv"
same_bytes "$T/m.csv" "$T/m0.csv"
[ "$(gzip -dc "$T/m.csv.gz" | head -n 1 | cut -d, -f1,2,785)" = "label,pixel0,pixel783" ] || fail "MNIST header line"

# ---- bad data: exit 1, one message, nothing overwritten
echo keep >"$T/keep"
expect_fail 1 "pmk convert: $IMG has 3 images but $LAB2 has 2 labels: the counts must be equal" \
    "$PMK" convert "$IMG" "$LAB2" -o "$T/keep"
expect_fail 1 "pmk convert: $FIX/idx-short.idx3-ubyte: header says 3 x 2 x 3 u8 = 34 bytes, file has 30 bytes" \
    "$PMK" convert "$FIX/idx-short.idx3-ubyte" -o "$T/keep"
expect_fail 1 "pmk convert: $IMG: not a label file: 3 dimensions (3 x 2 x 3), expected 1" \
    "$PMK" convert "$IMG" "$IMG" -o "$T/keep"
expect_fail 1 "pmk convert: /nonexistent/x.idx: cannot open: No such file or directory" \
    "$PMK" convert /nonexistent/x.idx -o "$T/keep"
expect_fail 1 "pmk convert: $T/a.csv: shape 2x2 holds 4 values, but rows have 6" \
    "$PMK" convert "$T/a.csv" -o "$T/keep" --shape 2x2
printf '3,1\n300,2\n' >"$T/l300.csv"
expect_fail 1 "pmk convert: $T/l300.csv:2:1: field 1: label '300' is not in the range 0 to 255" \
    "$PMK" convert "$T/l300.csv" -o "$T/keep" --labels "$T/keepl"
[ "$(cat "$T/keep")" = keep ] && [ ! -e "$T/keepl" ] || fail "a failed conversion changed its output"
expect_fail 1 "pmk convert: /dev/full: cannot write: No space left on device" \
    "$PMK" convert -q "$IMG" "$LAB" -o /dev/full
echo "pmk convert: all checks passed"
