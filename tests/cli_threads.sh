#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_threads.sh: --threads N on every command, and what it may not change:
# gnb's predictions and evaluations, ising's denoised images (mincut is
# sequential), AIS estimates and the data tools give the same bytes with 1
# and 2 threads; a gnb model fitted over 2 ranges agrees with the one-thread
# fit to 1e-12 relative and is byte-identical for the same count; an RBM
# trained with the same seed is byte-identical for any --threads (rbm train
# --help), and so are rbm hidden, eval and sample with the same seed.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
cd "$T"

# both CMD...: runs CMD with --threads 1, then 2 (the word OUT in CMD names
# its output, "o" in both runs), and compares stdout and the outputs.
both() {
    for t in 1 2; do
        rm -rf "r$t" && mkdir "r$t"
        # shellcheck disable=SC2046
        expect_ok "$PMK" $(echo "$*" | sed "s/OUT/o/g") --threads "$t"
        mv out "r$t/stdout"
        for f in o o.*; do [ ! -e "$f" ] || mv "$f" "r$t/"; done
    done
    diff -r r1 r2 >/dev/null || fail "$* differs with 1 and 2 threads"
}

gzip -dc "$PMK_TOP_SRCDIR/data/mnist-train.csv.gz" | head -n 601 >train.csv
gzip -dc "$PMK_TOP_SRCDIR/data/mnist-test.csv.gz" | head -n 201 >test.csv
expect_ok "$PMK" gnb fit -q train.csv -o m.gnb --threads 1
expect_ok "$PMK" gnb fit -q train.csv -o m2.gnb --threads 2
expect_ok "$PMK" gnb fit -q train.csv -o m2b.gnb --threads 2
same_bytes m2.gnb m2b.gnb
# the same words, numbers within 1e-12 relative
paste -d' ' m.gnb m2.gnb | awk '{ n = NF / 2
    for (i = 1; i <= n; i++) { a = $i; b = $(i + n)
        if (a == b) continue
        if (a !~ /^-?[0-9.]+(e[-+]?[0-9]+)?$/) { print "line " NR ": " a " vs " b; exit 1 }
        d = a - b; if (d < 0) d = -d; s = a < 0 ? -a : a
        if (d > 1e-12 * s) { print "line " NR ": " a " vs " b; exit 1 } } }' \
    || fail "gnb fit with 2 threads is not within 1e-12 of 1 thread"
both gnb predict -q --proba m2.gnb test.csv -o OUT
both gnb eval -q m2.gnb train.csv
both gnb predict -q --proba m.gnb test.csv -o OUT
both gnb eval -q --json m.gnb test.csv
# eval and predict over 1, 2 and 3 ranges, the fit's training pass too:
# the same bytes (files with CRLF, without a final newline, and of fewer
# rows than threads as well); only the fit's train_mean_nll, from the
# model's statistics merged range by range, may differ in its last bits
# (within 1e-12 relative)
awk '{ printf "%s\r\n", $0 }' test.csv >crlf.csv
head -c -1 test.csv >nonl.csv
head -n 3 test.csv >tiny.csv
for d in test.csv crlf.csv nonl.csv tiny.csv; do
    for t in 1 2 3; do
        expect_ok "$PMK" gnb predict -q --log-proba m.gnb $d -o p$t.csv --threads $t
        expect_ok "$PMK" gnb eval -q --json m.gnb $d --threads $t
        mv out e$t.json
        [ $d = test.csv ] || continue
        expect_ok "$PMK" gnb fit -q --json train.csv -o f.gnb --threads $t
        mv out f$t.json
    done
    for t in 2 3; do
        same_bytes p1.csv p$t.csv
        same_bytes e1.json e$t.json
        [ -e f$t.json ] || continue
        tr ',' '\n' <f1.json >a.txt
        tr ',' '\n' <f$t.json >b.txt
        paste a.txt b.txt | awk -F'\t' '$1 == $2 { next }
            { split($1, a, ": "); split($2, b, ": "); d = a[2] - b[2]; if (d < 0) d = -d
              s = a[2] < 0 ? -a[2] : a[2] }
            a[1] == b[1] && a[1] ~ /"train_mean_nll"/ && d <= 1e-12 * s { next }
            { print; exit 1 }' || fail "gnb fit: --threads $t differs from 1"
    done
    rm -f f?.json
done
both gnb show -q m.gnb -o OUT.png
both gnb merge -q m.gnb m.gnb -o OUT
both gnb export -q m.gnb OUT
both convert -q train.csv -o OUT.idx
for m in icm anneal meanfield mincut; do
    both ising denoise -q --method $m --order checkerboard "$FIX/ising-y.pbm" -o OUT.pbm
done
both ising noise -q --seed 3 --flip 0.1 "$FIX/ising-y.pbm" -o OUT.pbm
both ising energy -q --json "$FIX/ising-y.pbm" --observed "$FIX/ising-x.pbm"

# the RBM: same --threads, same bytes (and a small one for any count); AIS
# the same for any count
for t in 1 2; do
    expect_ok "$PMK" rbm train -q --hidden 6 --epochs 2 --seed 7 --threads $t "$FIX/rbm-bars.csv" -o a$t.rbm
    expect_ok "$PMK" rbm train -q --hidden 6 --epochs 2 --seed 7 --threads $t "$FIX/rbm-bars.csv" -o b$t.rbm
    same_bytes a$t.rbm b$t.rbm
done
# minibatches below PMK_RBM_BLAS_SHARE_MIN (here 10 x 36 x 6) run on one
# thread: the same model for any --threads
same_bytes a1.rbm a2.rbm
# minibatches shared among the threads (100 x 784 x 120, 6 of them): the same
# model for 1, 2 and 3 threads
for t in 1 2 3; do
    expect_ok "$PMK" rbm train -q --hidden 120 --epochs 1 --seed 7 --threads $t train.csv -o m$t.rbm \
        --holdout 0.1 --log-exact-pl --log log$t.csv
    cut -d, -f1-4,7 log$t.csv >mon$t.csv   # the epoch's figures, not its seconds
done
same_bytes m1.rbm m2.rbm
same_bytes m1.rbm m3.rbm
# the epoch's monitoring (recon error, both pseudo-likelihoods, free-energy
# gap) runs on the threads too: the same figures for any count
same_bytes mon1.csv mon2.csv
same_bytes mon1.csv mon3.csv
both rbm eval -q --json --ais --ais-runs 20 --ais-betas 10,10,10 --seed 2 a1.rbm "$FIX/rbm-bars.csv"
# exact log Z over 2^14 hidden states: 4 blocks of 4,096 shared among the
# threads, merged in block order
expect_ok "$PMK" rbm train -q --hidden 14 --epochs 1 --seed 7 "$FIX/rbm-bars.csv" -o z.rbm
both rbm eval -q --json --exact --seed 2 z.rbm "$FIX/rbm-bars.csv"
# hidden, eval and sample: rows (chains) in fixed blocks of 96 shared among
# the threads, each row's draws from its own stream: the same bytes for 1, 2
# and 3 threads (200 rows: 3 blocks; 100 chains: 2)
for t in 1 2 3; do
    expect_ok "$PMK" rbm hidden -q m1.rbm test.csv -o h$t.csv --threads $t
    expect_ok "$PMK" rbm hidden -q --sample --seed 3 m1.rbm test.csv -o s$t.csv --threads $t
    expect_ok "$PMK" rbm eval -q --json --seed 3 m1.rbm test.csv --threads $t
    mv out e$t.json
    expect_ok "$PMK" rbm sample -q --seed 3 -n 100 -s 2 --every 1 m1.rbm -o c$t.csv --threads $t
done
for t in 2 3; do
    for f in h s c; do same_bytes "${f}1.csv" "$f$t.csv"; done
    same_bytes e1.json e$t.json
done
both rbm hidden -q a1.rbm "$FIX/rbm-bars.csv" -o OUT.csv
both rbm sample -q --seed 4 a1.rbm -o OUT.csv
both rbm filters -q a1.rbm -o OUT.png
both rbm export -q a1.rbm OUT

# pmk's own option, before the command, too; demo takes it
expect_ok "$PMK" --threads 2 gnb fit -q train.csv -o t.gnb
same_bytes m2.gnb t.gnb
expect_ok "$PMK" demo --threads 1 --help

# bad counts: usage errors
expect_err_line 2 "pmk gnb fit: --threads: '-1' is not 0 (the cores available) or 1..1024" \
    "$PMK" gnb fit --threads -1 train.csv -o x.gnb
expect_err_line 2 "pmk ising denoise: --threads: '2000' is not 0 (the cores available) or 1..1024" \
    "$PMK" ising denoise --threads 2000 "$FIX/ising-y.pbm" -o x.pbm
expect_err_line 2 "pmk rbm train: option '--threads' needs a value" "$PMK" rbm train a.csv --threads
exit 0
