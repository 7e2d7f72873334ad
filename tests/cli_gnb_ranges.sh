#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_gnb_ranges.sh: gnb fit, eval and predict over 2 and 3 byte ranges of a
# CSV file (src/models/gnb_par.c) name a bad row's absolute line and column,
# as one thread does: a range after the first seeks to its start and numbers
# its lines from there, and the lines of the ranges before it make them
# absolute (src/io/csv_read.c, seek_range).  The file: a header and 90 rows
# of 10 bytes, so that line n starts at byte 10 (n - 1); 2 ranges cut at
# byte 455 (range 2 from line 47), 3 at 303 and 606 (from lines 32 and 62).
. "$PMK_TOP_SRCDIR/tests/lib.sh"
cd "$T"

rows() { awk 'BEGIN { print "y,a,b,c,d"
                      for (i = 1; i <= 90; i++) printf "%d,%d,%d,%d,%d\n", i % 3, i % 10, i * 3 % 10, i * 7 % 10, (i + 5) % 10 }'; }
rows >ok.csv
expect_ok "$PMK" gnb fit -q ok.csv -o m.gnb
# line L of ok.csv replaced by TEXT
put() { awk -v l="$1" -v t="$2" 'NR == l { print t; next } { print }' ok.csv; }

# every verb at 1, 2 and 3 threads gives MESSAGE for FILE
same_msg() {
    file=$1
    msg=$2
    for t in 1 2 3; do
        expect_err_line 1 "pmk gnb fit: $msg" "$PMK" gnb fit -q --threads $t "$file" -o f.gnb
        expect_err_line 1 "pmk gnb eval: $msg" "$PMK" gnb eval -q --threads $t m.gnb "$file"
        expect_err_line 1 "pmk gnb predict: $msg" "$PMK" gnb predict -q --threads $t m.gnb "$file" -o p.csv
    done
}

put 70 '1,2,3,x,5' >r3.csv    # range 2 of 2, range 3 of 3
same_msg r3.csv "r3.csv:70:7: field 4: 'x' is not a number"
put 47 '1,2,x,4,5' >f2.csv    # the first line of range 2 of 2
same_msg f2.csv "f2.csv:47:5: field 3: 'x' is not a number"
put 62 '1,2,3,4' >f3.csv      # the first line of range 3 of 3
same_msg f3.csv "f3.csv:62:8: ragged row: 4 fields, expected 5"
put 61 '1,2,3,4,5,6' >l2.csv  # the last line of range 2 of 3
same_msg l2.csv "l2.csv:61:11: ragged row: 6 fields, expected 5"
# bad rows in ranges 2 and 3: the first in file order
put 75 '1,2,3,4,y' | awk 'NR == 40 { print "1,2,3,x,5"; next } { print }' >two.csv
same_msg two.csv "two.csv:40:7: field 4: 'x' is not a number"
# a blank line in range 3 before more data; CRLF line ends
put 80 '' >blank.csv
same_msg blank.csv "blank.csv:80:1: blank line before more data (blank lines are accepted only at the end of the file)"
awk '{ printf "%s\r\n", $0 }' r3.csv >crlf.csv
same_msg crlf.csv "crlf.csv:70:7: field 4: 'x' is not a number"
# a label the model has not seen, in range 3 (eval: the label's line)
put 85 '7,1,2,3,4' >label.csv
for t in 1 2 3; do
    expect_err_line 1 "pmk gnb eval: label.csv:85: label 7 was not seen in training (the model has 3 classes, labels 0 to 2)" \
        "$PMK" gnb eval -q --threads $t m.gnb label.csv
done
# a header line longer than the first range: the ranges' lines are counted
# from the header on
{ printf 'y,a,b,c,'; printf '%0400d\n' 0 | tr 0 z; tail -n +2 r3.csv; } >long.csv
same_msg long.csv "long.csv:70:7: field 4: 'x' is not a number"
exit 0
