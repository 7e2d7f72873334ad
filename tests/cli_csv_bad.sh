#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_csv_bad.sh: each malformed CSV in tests/data/ through `pmk convert`: exit
# 1 and exactly one line on stderr naming FILE:LINE:COL and the cause.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
set -e
bad() {   # bad FIXTURE 'message after "pmk convert: FILE"'
    expect_fail 1 "pmk convert: $FIX/$1$2" "$PMK" convert "$FIX/$1" -o "$T/out.idx"
    [ ! -e "$T/out.idx" ] || fail "$1: an output was written"
}
bad csv-empty.csv ": empty file (no header and no rows)"
bad csv-blank-only.csv ": empty file (no header and no rows)"
bad csv-header-only.csv ":1:1: header only, no data rows"
bad csv-ragged-short.csv ":2:4: ragged row: 2 fields, expected 3"
bad csv-ragged-long.csv ":2:7: ragged row: 4 fields, expected 3"
bad csv-nonnumeric.csv ":2:3: field 2: 'abc' is not a number"
bad csv-nan.csv ":2:3: field 2: 'nan' is not a finite number"
bad csv-inf.csv ":2:5: field 3: '-inf' is not a finite number"
bad csv-label-float.csv ":2:1: field 1: label '4.5' is not an integer"
bad csv-not-u8.csv ":2:5: field 3: '256' is not in the range 0 to 255"
bad csv-blank-middle.csv ":2:1: blank line before more data (blank lines are accepted only at the end of the file)"
bad csv-quote-open.csv ":1:3: field 2: unterminated quoted field"
bad csv-empty-field.csv ":1:5: field 3: empty field, expected a number"
bad csv-overflow.csv ":1:3: field 2: '2.5e999' is too large for a double"
bad csv-binary.csv ":2:1: field 1: label '\\x01\\x02\\xff' is not an integer"
bad csv-long-field.csv ":2:3: field 2: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is not a number"
# a line over --max-line (line 2 is 13 bytes)
printf '1,2,3\n4,5,6,7,8,9,0\n' >"$T/long.csv"
expect_fail 1 "pmk convert: $T/long.csv:2:11: line longer than the limit of 10 bytes" \
    "$PMK" convert --max-line 10 "$T/long.csv" -o "$T/out.idx"
# a truncated gzip stream
gzip -c "$FIX/csv-dialect.csv" >"$T/t.csv.gz"
head -c 30 "$T/t.csv.gz" >"$T/cut.csv.gz"
expect_fail 1 "pmk convert: $T/cut.csv.gz: truncated gzip stream (unexpected end of file)" \
    "$PMK" convert "$T/cut.csv.gz" -o "$T/out.idx"
# the accepted dialect: BOM, CRLF, quoted header, blanks, a quoted number, blank lines at the end
expect_ok "$PMK" convert -q "$FIX/csv-dialect.csv" -o "$T/d.idx" --labels "$T/dl.idx"
[ "$(od -An -tx1 "$T/d.idx" | tr -d ' \n')" = "00000802000000020000000200ff1104" ] || fail "dialect values: $(od -An -tx1 "$T/d.idx")"
[ "$(od -An -tx1 "$T/dl.idx" | tr -d ' \n')" = "00000801000000020703" ] || fail "dialect labels"
echo "bad CSV: all checks passed"
