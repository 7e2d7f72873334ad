#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_errors.sh: every error path of every command that a test can reach, with
# its exact message and exit status (issue 10: `make check`, and so the
# sanitizer build, must pass through each of them).  Usage errors (exit 2) are
# one line and the hint "Try 'pmk VERB --help'."; the others are one line.
# A failing command must leave no new file.  The call sites no test can reach
# (out of memory, and a few defensive checks) are listed in
# doc/reliability.md, "Error paths".
. "$PMK_TOP_SRCDIR/tests/lib.sh"
set -e
mkdir "$T/w"
cd "$T/w"
cp "$FIX/gnb-tiny-train.csv" tiny.csv        # label,x1,x2: 5 rows, labels 3 and 7
cp "$FIX/rbm-bars.csv" bars.csv              # 36 = 6 x 6 pixels, 40 rows
cp "$FIX/ising-x.pbm" x.pbm                  # 3 x 2
cp "$FIX/ising-y.pbm" y.pbm
cp "$FIX/ising-grey.pgm" grey.pgm            # 4 x 3, maxval 255
cp "$FIX/idx-images.idx3-ubyte" img.idx
cp "$FIX/idx-labels.idx1-ubyte" lab.idx
expect_ok "$PMK" gnb fit -q tiny.csv -o m.gnb
expect_ok "$PMK" rbm train -q -H 4 -e 1 --seed 1 bars.csv -o m.rbm
expect_ok "$PMK" rbm train -q -H 3 -e 1 --seed 1 tiny.csv -o sq.rbm   # D = 2: not a square
: >file                                      # a "folder" nobody can write into
printf '1,2\n3\n' >ragged.csv
printf '1\n2\n' >one.csv
have_full=0
if [ -w /dev/full ]; then
    have_full=1
    for e in csv png pbm rbm gnb; do ln -s /dev/full "full.$e"; done
fi
ls -a >"$T/before"

# STATUS|ARGS|MESSAGE: ARGS split at blanks, run in this folder.
n=0
while IFS='|' read -r want args msg; do
    case "$want" in '#'*|'') continue ;; esac
    case " $args " in *" full."*) [ "$have_full" -eq 1 ] || continue ;; esac
    if [ "$want" -eq 2 ]; then
        verb=$(printf '%s\n' "$msg" | sed -n 's/^pmk \([a-z][a-z ]*\): .*/\1/p')
        msg="$msg
Try 'pmk${verb:+ $verb} --help'."
    fi
    # shellcheck disable=SC2086
    expect_fail "$want" "$msg" "$PMK" $args
    ls -a >"$T/after"
    cmp -s "$T/before" "$T/after" || fail "pmk $args left: $(diff "$T/before" "$T/after" | tr '\n' ' ')"
    n=$((n + 1))
done <<'TABLE'
2|--bogus|pmk: unknown option '--bogus'
2|--max-memory|pmk: option '--max-memory' needs a value
2|--max-memory=12q gnb --help|pmk: --max-memory: '12q' is not a positive byte count (digits with an optional k, M, G or T suffix)
2|bogus|pmk: unknown command 'bogus' (commands: gnb, rbm, ising, convert, demo)
2|gnb fit --scale abc tiny.csv -o o.gnb|pmk gnb fit: --scale: 'abc' is not a finite number
2|gnb fit --scale 0 tiny.csv -o o.gnb|pmk gnb fit: transform: scale 0 is not a positive number
2|gnb fit --var-smoothing -1 tiny.csv -o o.gnb|pmk gnb fit: var_smoothing must be >= 0, not -1
2|gnb fit --var-floor -1 tiny.csv -o o.gnb|pmk gnb fit: the variance floor must be >= 0, not -1
2|gnb fit --variance both tiny.csv -o o.gnb|pmk gnb fit: --variance: 'shared' or 'class', not 'both'
2|gnb fit --priors 0.5,x tiny.csv -o o.gnb|pmk gnb fit: --priors: '0.5,x' is not a comma-separated list of numbers
2|gnb fit --priors 0.5,0.6 tiny.csv -o o.gnb|pmk gnb fit: --priors: explicit priors: they sum to 1.1000000000000001, not 1 (within 1e-9)
2|gnb fit --max-classes 0 tiny.csv -o o.gnb|pmk gnb fit: max_classes must be at least 1
2|gnb fit --max-classes -3 tiny.csv -o o.gnb|pmk gnb fit: --max-classes: '-3' is not a non-negative integer
2|gnb fit --label-col x tiny.csv -o o.gnb|pmk gnb fit: --label-col: 'x' is not a column (0, 1, ..., last, -1, -2, ... or none)
2|gnb fit --label-col -x tiny.csv -o o.gnb|pmk gnb fit: --label-col: '-x' is not a column (0, 1, ..., last, -1, -2, ... or none)
2|gnb fit --chunk-rows 0 tiny.csv -o o.gnb|pmk gnb fit: --chunk-rows: must be 1 to 65536, not '0'
2|gnb fit --bogus tiny.csv -o o.gnb|pmk gnb fit: unknown option '--bogus'
2|gnb fit tiny.csv -o|pmk gnb fit: option '-o' needs a value
2|gnb fit -o o.gnb|pmk gnb fit: missing DATA
1|gnb fit tiny.csv extra -o o.gnb|pmk gnb fit: extra: cannot open: No such file or directory
2|gnb fit tiny.csv|pmk gnb fit: missing -o MODEL
1|gnb fit --max-classes 1 tiny.csv -o o.gnb|pmk gnb fit: tiny.csv:4: label 7 makes more than 1 classes (is the label column right?)
1|gnb fit one.csv -o o.gnb|pmk gnb fit: one.csv:1: no feature columns: the only column is the label
2|gnb fit --priors 0.5,0.2,0.3 tiny.csv -o o.gnb|pmk gnb fit: tiny.csv: 3 explicit priors given for 2 classes (one per label, in increasing label order)
1|gnb fit tiny.csv -o file/o.gnb|pmk gnb fit: file/o.gnb: cannot write: Not a directory
2|gnb predict --proba --log-proba m.gnb tiny.csv|pmk gnb predict: --proba and --log-proba exclude each other
2|gnb predict --label-col 1x m.gnb tiny.csv|pmk gnb predict: --label-col: '1x' is not a column (0, 1, ..., last, -1, -2, ... or none)
2|gnb predict --bogus m.gnb tiny.csv|pmk gnb predict: unknown option '--bogus'
2|gnb predict m.gnb|pmk gnb predict: need MODEL and DATA
1|gnb predict m.gnb tiny.csv extra|pmk gnb predict: extra: cannot open: No such file or directory
1|gnb predict m.gnb tiny.csv -o file/p.csv|pmk gnb predict: file/p.csv: cannot write: Not a directory
1|gnb predict m.gnb bars.csv|pmk gnb predict: bars.csv: 36 features per row, but the model m.gnb has 2
1|gnb predict --no-labels m.gnb tiny.csv|pmk gnb predict: tiny.csv: 3 features per row, but the model m.gnb has 2 (is there a label column?)
1|gnb predict m.gnb ragged.csv -o p.csv|pmk gnb predict: ragged.csv: 1 features per row, but the model m.gnb has 2 (no label column? use --no-labels)
2|gnb eval --label-col 1x m.gnb tiny.csv|pmk gnb eval: --label-col: '1x' is not a column (0, 1, ..., last, -1, -2, ... or none)
2|gnb eval --bogus m.gnb tiny.csv|pmk gnb eval: unknown option '--bogus'
2|gnb eval m.gnb|pmk gnb eval: need MODEL and DATA
1|gnb eval m.gnb tiny.csv extra|pmk gnb eval: extra: cannot open: No such file or directory
1|gnb eval m.gnb ragged.csv|pmk gnb eval: ragged.csv: 1 features per row, but the model m.gnb has 2 (no label column? use --no-labels)
2|gnb show --shape 2 m.gnb -o s.pgm|pmk gnb show: --shape: '2' is not ROWSxCOLS (e.g. 28x28)
2|gnb show --shape 0x1 m.gnb -o s.pgm|pmk gnb show: --shape: '0x1' is not ROWSxCOLS (e.g. 28x28)
2|gnb show --cols 0 m.gnb -o s.pgm|pmk gnb show: --cols: must be at least 1
2|gnb show --bogus m.gnb -o s.pgm|pmk gnb show: unknown option '--bogus'
2|gnb show -o s.pgm|pmk gnb show: missing MODEL
2|gnb show m.gnb extra -o s.pgm|pmk gnb show: unexpected argument 'extra'
2|gnb show m.gnb|pmk gnb show: missing -o IMAGE
1|gnb show m.gnb -o s.pgm|pmk gnb show: m.gnb: 2 features is not a square image; give --shape RxC
1|gnb show --shape 1x3 m.gnb -o s.pgm|pmk gnb show: --shape 1x3 has 3 pixels, but the model m.gnb has 2 features
1|gnb show --shape 1x2 m.gnb -o file/s.pgm|pmk gnb show: file/s.pgm: cannot write: Not a directory
2|gnb merge --bogus m.gnb m.gnb -o mm.gnb|pmk gnb merge: unknown option '--bogus'
2|gnb merge m.gnb -o mm.gnb|pmk gnb merge: need at least two models to merge
2|gnb merge m.gnb m.gnb|pmk gnb merge: missing -o MODEL
1|gnb merge m.gnb m.gnb -o file/mm.gnb|pmk gnb merge: file/mm.gnb: cannot write: Not a directory
1|gnb merge m.gnb nosuch.gnb -o mm.gnb|pmk gnb merge: nosuch.gnb: cannot open: No such file or directory
2|gnb export --bogus m.gnb ex|pmk gnb export: unknown option '--bogus'
2|gnb export m.gnb|pmk gnb export: need MODEL and DIR
2|gnb export m.gnb ex extra|pmk gnb export: unexpected argument 'extra'
1|gnb export m.gnb file/ex|pmk gnb export: file/ex: cannot create folder: Not a directory
1|gnb export m.gnb /dev/full|pmk gnb export: /dev/full/mu.csv: cannot write: Not a directory
2|gnb bogus|pmk gnb: unknown verb 'bogus' (verbs: fit, predict, eval, show, merge, export)
2|rbm train --scale 0 bars.csv -o o.rbm|pmk rbm train: transform: scale 0 is not a positive number
2|rbm train --binarize 2 bars.csv -o o.rbm|pmk rbm train: transform: threshold 2 is not in [0,1] (0 = no binarizing)
2|rbm train -H -1 bars.csv -o o.rbm|pmk rbm train: --hidden: '-1' is not a non-negative integer
2|rbm train -H x bars.csv -o o.rbm|pmk rbm train: --hidden: 'x' is not a non-negative integer
2|rbm train -H 0 bars.csv -o o.rbm|pmk rbm train: an RBM needs at least 1 hidden unit
2|rbm train -e 0 bars.csv -o o.rbm|pmk rbm train: epochs must be at least 1
2|rbm train -b 0 bars.csv -o o.rbm|pmk rbm train: the batch size must be at least 1
2|rbm train -k 0 bars.csv -o o.rbm|pmk rbm train: the number of Gibbs steps k must be at least 1
2|rbm train --lr 0 bars.csv -o o.rbm|pmk rbm train: the learning rate must be positive, not 0
2|rbm train --momentum 1 bars.csv -o o.rbm|pmk rbm train: the momentum must be in [0,1) (or negative for 0.5 then 0.9), not 1
2|rbm train --weight-decay -1 bars.csv -o o.rbm|pmk rbm train: the weight decay must be >= 0, not -1
2|rbm train --seed -1 bars.csv -o o.rbm|pmk rbm train: --seed: '-1' is not a non-negative integer
2|rbm train --seed x bars.csv -o o.rbm|pmk rbm train: --seed: 'x' is not a non-negative integer
2|rbm train --holdout 1 bars.csv -o o.rbm|pmk rbm train: the holdout fraction must be in [0,1), not 1
2|rbm train --checkpoint-every x bars.csv -o o.rbm|pmk rbm train: --checkpoint-every: 'x' is not a non-negative integer
2|rbm train --bogus bars.csv -o o.rbm|pmk rbm train: unknown option '--bogus'
2|rbm train bars.csv -o|pmk rbm train: option '-o' needs a value
2|rbm train -o o.rbm|pmk rbm train: missing DATA
2|rbm train bars.csv extra -o o.rbm|pmk rbm train: unexpected argument 'extra'
2|rbm train bars.csv|pmk rbm train: missing -o MODEL
1|rbm train nosuch.csv -o o.rbm|pmk rbm train: nosuch.csv: cannot open: No such file or directory
1|rbm train ragged.csv -o o.rbm|pmk rbm train: ragged.csv:2:2: ragged row: 1 fields, expected 2
1|rbm train --resume sq.rbm -e 1 bars.csv -o o.rbm|pmk rbm train: bars.csv: the data have 36 feature columns but the model has 2 visible units
1|rbm train -q -H 2 -e 1 --seed 1 bars.csv -o o.rbm --log file/l.csv|pmk rbm train: file/l.csv: cannot write: Not a directory
1|rbm train -q -H 2 -e 1 --seed 1 bars.csv -o file/o.rbm|pmk rbm train: file/o.rbm: cannot write: Not a directory
1|rbm train -q -H 2 -e 1 --seed 1 bars.csv -o o.rbm --log /dev/full|pmk rbm train: /dev/full: cannot write: No space left on device
1|rbm train -q -H 2 -e 2 --checkpoint-every 1 --seed 1 bars.csv -o file/o.rbm|pmk rbm train: file/o.rbm: cannot write: Not a directory
2|rbm hidden --bogus m.rbm bars.csv|pmk rbm hidden: unknown option '--bogus'
2|rbm hidden m.rbm|pmk rbm hidden: expected MODEL DATA
2|rbm hidden m.rbm bars.csv extra|pmk rbm hidden: unexpected argument 'extra'
1|rbm hidden m.rbm bars.csv -o full.csv|pmk rbm hidden: full.csv: cannot write: No space left on device
1|rbm hidden m.rbm tiny.csv|pmk rbm hidden: tiny.csv: the data have 2 feature columns but the model has 36 visible units
2|rbm sample -n 0 m.rbm -o s.csv|pmk rbm sample: the number of chains must be at least 1
2|rbm sample -s 0 m.rbm -o s.csv|pmk rbm sample: the number of steps must be at least 1
2|rbm sample --every 0 m.rbm -o s.csv|pmk rbm sample: --every: must be at least 1
2|rbm sample --init file m.rbm -o s.csv|pmk rbm sample: --init: 'file' is neither 'random' nor 'data:FILE'
2|rbm sample --bogus m.rbm -o s.csv|pmk rbm sample: unknown option '--bogus'
2|rbm sample -o s.csv|pmk rbm sample: missing MODEL
2|rbm sample m.rbm extra -o s.csv|pmk rbm sample: unexpected argument 'extra'
2|rbm sample m.rbm|pmk rbm sample: missing -o OUT.png or OUT.csv
2|rbm sample m.rbm -o s.txt|pmk rbm sample: -o: 's.txt' must end in .png, .pgm or .csv
1|rbm sample sq.rbm -o s.png|pmk rbm sample: sq.rbm: 2 visible units are not a square image; write a .csv
1|rbm sample --init data:bars.csv -n 50 m.rbm -o s.csv|pmk rbm sample: bars.csv: 40 rows, fewer than the 50 chains
1|rbm sample --init data:nosuch.csv m.rbm -o s.csv|pmk rbm sample: nosuch.csv: cannot open: No such file or directory
1|rbm sample --init data:tiny.csv m.rbm -o s.csv|pmk rbm sample: tiny.csv: the data have 2 feature columns but the model has 36 visible units
2|rbm sample --every 20 -s 10 m.rbm -o s.csv|pmk rbm sample: no snapshot: every 20 exceeds steps 10
1|rbm sample -n 2 -s 2 m.rbm -o full.csv|pmk rbm sample: full.csv: cannot write: No space left on device
1|rbm sample -n 2 -s 2 m.rbm -o file/s.png|pmk rbm sample: file/s.png: cannot write: Not a directory
2|rbm eval --ais-runs 1 m.rbm bars.csv|pmk rbm eval: AIS needs at least 2 runs
2|rbm eval --ais-betas 1,2 m.rbm bars.csv|pmk rbm eval: --ais-betas: '1,2' is not three counts A,B,C
2|rbm eval --ais-betas 100000000,1,1 m.rbm bars.csv|pmk rbm eval: --ais-betas: '100000000,1,1': each count is a whole number from 0 to 10000000
2|rbm eval --ais-betas 1.5,1,1 m.rbm bars.csv|pmk rbm eval: --ais-betas: '1.5,1,1': each count is a whole number from 0 to 10000000
2|rbm eval --ais-betas 0,0,0 m.rbm bars.csv|pmk rbm eval: AIS needs at least 1 intermediate distribution
2|rbm eval --ais-betas 1,x,3 m.rbm bars.csv|pmk rbm eval: --ais-betas: '1,x,3' is not a comma-separated list of numbers
2|rbm eval --bogus m.rbm bars.csv|pmk rbm eval: unknown option '--bogus'
2|rbm eval m.rbm|pmk rbm eval: expected MODEL DATA
2|rbm eval m.rbm bars.csv extra|pmk rbm eval: unexpected argument 'extra'
2|rbm eval --exact --ais m.rbm bars.csv|pmk rbm eval: --exact and --ais exclude each other
1|rbm eval m.rbm tiny.csv|pmk rbm eval: tiny.csv: the data have 2 feature columns but the model has 36 visible units
2|rbm filters --count 0 m.rbm -o f.png|pmk rbm filters: --count: must be at least 1
2|rbm filters --cols 0 m.rbm -o f.png|pmk rbm filters: --cols: must be at least 1
2|rbm filters --bogus m.rbm -o f.png|pmk rbm filters: unknown option '--bogus'
2|rbm filters -o f.png|pmk rbm filters: missing MODEL
2|rbm filters m.rbm extra -o f.png|pmk rbm filters: unexpected argument 'extra'
2|rbm filters m.rbm|pmk rbm filters: missing -o FILTERS.png
1|rbm filters sq.rbm -o f.png|pmk rbm filters: sq.rbm: 2 visible units are not a square image
1|rbm filters m.rbm -o file/f.png|pmk rbm filters: file/f.png: cannot write: Not a directory
2|rbm export --bogus m.rbm ex|pmk rbm export: unknown option '--bogus'
2|rbm export m.rbm|pmk rbm export: expected MODEL DIR
2|rbm export m.rbm ex extra|pmk rbm export: unexpected argument 'extra'
1|rbm export m.rbm file/ex|pmk rbm export: file/ex: cannot create folder: Not a directory
1|rbm export m.rbm /dev/full|pmk rbm export: /dev/full/W.csv: cannot write: Not a directory
2|rbm bogus|pmk rbm: unknown verb 'bogus' (verbs: train, hidden, sample, eval, filters, export)
2|ising denoise --method best y.pbm -o d.pbm|pmk ising denoise: --method: 'best' is not one of icm, anneal, meanfield, mincut
2|ising denoise --order spiral y.pbm -o d.pbm|pmk ising denoise: --order: 'spiral' is not one of raster, random, checkerboard
2|ising denoise --neighbours 6 y.pbm -o d.pbm|pmk ising denoise: neighbours must be 4 or 8, not 6
2|ising denoise --threshold 2 y.pbm -o d.pbm|pmk ising denoise: threshold 2 is not in [0, 1] (0 = none)
2|ising denoise --bogus y.pbm -o d.pbm|pmk ising denoise: unknown option '--bogus'
2|ising denoise -q y.pbm -o|pmk ising denoise: option '-o' needs a value
2|ising denoise -o d.pbm|pmk ising denoise: missing the noisy image
2|ising denoise -q y.pbm extra -o d.pbm|pmk ising denoise: unexpected argument 'extra'
2|ising denoise -q y.pbm|pmk ising denoise: missing -o OUT
2|ising denoise --t0 -1 y.pbm -o d.pbm|pmk ising denoise: the start temperature must be positive, not -1
2|ising denoise --method mincut --beta -1 y.pbm -o d.pbm|pmk ising denoise: mincut needs beta >= 0 (beta = -1 makes the energy non-submodular); use icm, anneal or meanfield
2|ising denoise -q y.pbm -o d.txt|pmk ising denoise: d.txt: cannot tell the image format from the name (use .pbm, .pgm or .png)
1|ising denoise grey.pgm -o d.pbm|pmk ising denoise: grey.pgm: grey image (maxval 255): a threshold is needed to binarise it
1|ising denoise --truth grey.pgm y.pbm -o d.pbm|pmk ising denoise: grey.pgm: grey image (maxval 255): a threshold is needed to binarise it
1|ising denoise --truth tiny.csv y.pbm -o d.pbm|pmk ising denoise: tiny.csv: not a PBM, PGM or PNG image (unknown magic bytes 33 2c)
1|ising denoise --truth x.pbm grey.pgm --threshold 0.5 -o d.pbm|pmk ising denoise: x.pbm is 3x2 but grey.pgm is 4x3
1|ising denoise -q y.pbm -o file/d.pbm|pmk ising denoise: file/d.pbm: cannot write: Not a directory
1|ising denoise -q y.pbm -o d.pbm --trace file/t.csv|pmk ising denoise: file/t.csv: cannot write: Not a directory
1|ising denoise -q y.pbm -o d.pbm --trace /dev/full|pmk ising denoise: /dev/full: cannot write: No space left on device
2|ising noise --flip 2 y.pbm -o n.pbm|pmk ising noise: the flip probability must be in [0, 1], not 2
2|ising noise --gauss -1 y.pbm -o n.pbm|pmk ising noise: the noise level must be >= 0, not -1
2|ising noise --bogus y.pbm -o n.pbm|pmk ising noise: unknown option '--bogus'
2|ising noise --flip|pmk ising noise: option '--flip' needs a value
2|ising noise --flip 0.1 -o n.pbm|pmk ising noise: missing the clean image
2|ising noise --flip 0.1 y.pbm extra -o n.pbm|pmk ising noise: unexpected argument 'extra'
2|ising noise --flip 0.1 y.pbm|pmk ising noise: missing -o NOISY
2|ising noise y.pbm -o n.pbm|pmk ising noise: give exactly one of flip and gauss
2|ising noise --flip 0.1 --gauss 0.1 y.pbm -o n.pbm|pmk ising noise: give exactly one of flip and gauss
2|ising noise --flip 0.1 y.pbm -o n.txt|pmk ising noise: n.txt: cannot tell the image format from the name (use .pbm, .pgm or .png)
1|ising noise --flip 0.1 nosuch.pbm -o n.pbm|pmk ising noise: nosuch.pbm: cannot open: No such file or directory
1|ising noise --gauss 0.1 y.pbm -o n.pbm|pmk ising noise: y.pbm: Gaussian noise needs a grey image; this one is binary (flip its pixels instead)
1|ising noise --flip 0.1 grey.pgm -o n.pbm|pmk ising noise: grey.pgm: grey image (maxval 255): a threshold is needed to binarise it
1|ising noise --flip 0.1 y.pbm -o file/n.pbm|pmk ising noise: file/n.pbm: cannot write: Not a directory
1|ising noise --gauss 0.1 grey.pgm -o file/n.pgm|pmk ising noise: file/n.pgm: cannot write: Not a directory
2|ising energy --bogus x.pbm --observed y.pbm|pmk ising energy: unknown option '--bogus'
2|ising energy --observed|pmk ising energy: option '--observed' needs a value
2|ising energy --observed y.pbm|pmk ising energy: missing the image
2|ising energy x.pbm extra --observed y.pbm|pmk ising energy: unexpected argument 'extra'
2|ising energy x.pbm|pmk ising energy: missing --observed Y
1|ising energy x.pbm --observed grey.pgm|pmk ising energy: grey.pgm: grey image (maxval 255): a threshold is needed to binarise it
1|ising energy nosuch.pbm --observed y.pbm|pmk ising energy: nosuch.pbm: cannot open: No such file or directory
1|ising energy x.pbm --observed tiny.csv|pmk ising energy: tiny.csv: not a PBM, PGM or PNG image (unknown magic bytes 33 2c)
2|ising bogus|pmk ising: unknown verb 'bogus' (verbs: denoise, noise, energy)
2|convert --input-header maybe tiny.csv -o c.idx|pmk convert: unknown option '--input-header'
2|convert --label-col x tiny.csv -o c.idx|pmk convert: --label-col: 'x' is not a column (0, 1, ..., last, -1, -2, ... or none)
2|convert --label-col -2x tiny.csv -o c.idx|pmk convert: --label-col: '-2x' is not a column (0, 1, ..., last, -1, -2, ... or none)
2|convert --shape 2y3 tiny.csv -o c.idx|pmk convert: --shape: '2y3' is not ROWSxCOLS (e.g. 28x28)
2|convert --max-line 0 tiny.csv -o c.idx|pmk convert: --max-line: must be at least 1
2|convert --max-line x tiny.csv -o c.idx|pmk convert: --max-line: 'x' is not a non-negative integer
2|convert --bogus tiny.csv -o c.idx|pmk convert: unknown option '--bogus'
2|convert tiny.csv -o|pmk convert: option '-o' needs a value
2|convert -o c.idx|pmk convert: no input file given
2|convert tiny.csv|pmk convert: no output file given (-o FILE)
2|convert img.idx lab.idx extra -o c.csv|pmk convert: unexpected argument 'extra'
1|convert nosuch.csv -o c.idx|pmk convert: nosuch.csv: cannot open: No such file or directory
2|convert img.idx lab.idx -o c.csv --labels l.idx|pmk convert: the labels are given twice: as lab.idx and --labels l.idx
2|convert --shape 2x3 img.idx -o c.csv|pmk convert: --shape applies to CSV input, and img.idx is IDX
2|convert tiny.csv lab.idx -o c.idx|pmk convert: a second argument is for IDX input (the labels), and tiny.csv is CSV; use --labels FILE to write the labels
2|convert --header img.idx -o c.csv|pmk convert: --header applies to CSV input, and img.idx is IDX
2|convert --label-col none tiny.csv -o c.idx --labels l.idx|pmk convert: --labels needs a label column, not --label-col none
1|convert tiny.csv -o c.idx --labels file/l.idx|pmk convert: file/l.idx: cannot write: Not a directory
1|convert tiny.csv -o /dev/full|pmk convert: /dev/full: cannot write: No space left on device
1|convert img.idx -o /dev/full|pmk convert: /dev/full: cannot write: No space left on device
1|convert img.idx -o file/c.csv|pmk convert: file/c.csv: cannot write: Not a directory
2|demo --bogus|pmk demo: unknown option '--bogus'
2|demo --out|pmk demo: option '--out' needs a value
2|demo extra|pmk demo: unexpected argument 'extra'
2|demo --seed x|pmk demo: --seed: 'x' is not a non-negative integer
1|gnb predict m.gnb tiny.csv -o full.csv|pmk gnb predict: full.csv: cannot write: No space left on device
1|gnb predict m.gnb nosuch.csv|pmk gnb predict: nosuch.csv: cannot open: No such file or directory
1|gnb eval nosuch.gnb tiny.csv|pmk gnb eval: nosuch.gnb: cannot open: No such file or directory
1|gnb show --shape 1x2 m.gnb -o full.png|pmk gnb show: full.png: cannot write: No space left on device
1|ising denoise -q y.pbm -o full.pbm|pmk ising denoise: full.pbm: cannot write: No space left on device
1|ising noise --flip 0.1 y.pbm -o full.pbm|pmk ising noise: full.pbm: cannot write: No space left on device
1|rbm filters m.rbm -o full.png|pmk rbm filters: full.png: cannot write: No space left on device
1|rbm sample -n 2 -s 2 m.rbm -o full.png|pmk rbm sample: full.png: cannot write: No space left on device
1|rbm train -q -H 2 -e 1 --seed 1 bars.csv -o full.rbm|pmk rbm train: full.rbm: cannot write: No space left on device
1|gnb merge m.gnb m.gnb -o full.gnb|pmk gnb merge: full.gnb: cannot write: No space left on device
1|gnb fit -q tiny.csv -o full.gnb|pmk gnb fit: full.gnb: cannot write: No space left on device
1|demo -q --data nodata -o file/od|pmk demo: file/od: cannot create folder: Not a directory
TABLE
[ "$n" -ge 200 ] || fail "only $n cases ran"

# Images and labels are one output set: when the labels fail, the images are
# not written either (tests/cli_outset.sh checks an existing target).
expect_fail 1 "pmk convert: /dev/full: cannot write: No space left on device" \
    "$PMK" convert tiny.csv -o c.idx --labels /dev/full
[ ! -e c.idx ] || fail "convert wrote the images although the labels failed"

# A generator that GSL does not know (no --seed: GSL_RNG_TYPE is read).
for args in "rbm train -q -H 2 -e 1 bars.csv -o o.rbm" "rbm hidden --sample m.rbm bars.csv" \
    "rbm sample m.rbm -o s.csv" "rbm eval m.rbm bars.csv" \
    "ising denoise -q --method anneal y.pbm -o d.pbm" "ising noise --flip 0.1 y.pbm -o n.pbm"; do
    verb=$(printf '%s\n' "$args" | cut -d' ' -f1,2)
    # shellcheck disable=SC2086
    expect_fail 1 "pmk $verb: GSL_RNG_TYPE=nosuch is not a GSL generator type" \
        env GSL_RNG_TYPE=nosuch "$PMK" $args
done
ls -a >"$T/after"
cmp -s "$T/before" "$T/after" || fail "a failed run left: $(diff "$T/before" "$T/after" | tr '\n' ' ')"

# --max-memory: every verb takes it; a bad SIZE is a usage error.
for verb in "gnb fit" "gnb predict" "gnb eval" "gnb show" "gnb merge" "gnb export" \
    "rbm train" "rbm hidden" "rbm sample" "rbm eval" "rbm filters" "rbm export" \
    "ising denoise" "ising noise" "ising energy" convert demo; do
    for size in 0 -1 12q 1.5k 1kk ""; do
        # shellcheck disable=SC2086
        expect_fail 2 "pmk $verb: --max-memory: '$size' is not a positive byte count (digits with an optional k, M, G or T suffix)
Try 'pmk $verb --help'." "$PMK" $verb --max-memory "$size"
    done
done
expect_fail 2 "pmk: --max-memory: '2x' is not a positive byte count (digits with an optional k, M, G or T suffix)
Try 'pmk --help'." "$PMK" --max-memory=2x rbm eval m.rbm bars.csv
# The ceiling: W and its gradient, four vectors: 8 (2 D H + 2 D + 2 H) =
# 8 (288 + 72 + 8) = 2944 bytes for 36 x 4 units, more than 1k.
too_big="pmk rbm eval: m.rbm:3: an RBM of 36 visible x 4 hidden units needs 2944 bytes, more than the PMK_MAX_MEMORY limit of"
expect_fail 1 "$too_big 1024 bytes" "$PMK" rbm eval --max-memory 1k m.rbm bars.csv
expect_fail 1 "$too_big 1024 bytes" "$PMK" rbm eval --max-memory=1K m.rbm bars.csv
expect_fail 1 "$too_big 1024 bytes" "$PMK" --max-memory 1k rbm eval m.rbm bars.csv
expect_fail 1 "$too_big 2943 bytes" "$PMK" rbm eval --max-memory 2943 m.rbm bars.csv
expect_ok "$PMK" rbm eval --max-memory 2944 m.rbm bars.csv
# with PMK_MAX_MEMORY too, the smaller applies; a second option replaces the first
expect_fail 1 "$too_big 512 bytes" env PMK_MAX_MEMORY=512 "$PMK" rbm eval --max-memory 1k m.rbm bars.csv
expect_fail 1 "$too_big 512 bytes" env PMK_MAX_MEMORY=1k "$PMK" rbm eval --max-memory 512 m.rbm bars.csv
expect_fail 1 "$too_big 1024 bytes" env PMK_MAX_MEMORY=lots "$PMK" rbm eval --max-memory 1k m.rbm bars.csv
expect_fail 1 "$too_big 1024 bytes" "$PMK" rbm eval --max-memory 1 --max-memory 1k m.rbm bars.csv
expect_ok env PMK_MAX_MEMORY=1G "$PMK" rbm eval --max-memory 1T m.rbm bars.csv
expect_fail 1 "pmk gnb eval: m.gnb:3: a model of 2 classes x 2 features needs 288 bytes, more than the PMK_MAX_MEMORY limit of 100 bytes" \
    "$PMK" gnb eval --max-memory 100 m.gnb tiny.csv
# IDX to CSV streams a chunk at a time: the 144 bytes its images took as
# doubles are no longer needed, so 100 bytes are enough, and the CSV is the
# same as without a ceiling
expect_ok "$PMK" convert -q --max-memory 100 img.idx -o c100.csv
expect_ok "$PMK" convert -q img.idx -o c0.csv
cmp -s c100.csv c0.csv || fail "convert under a 100-byte ceiling wrote a different CSV"

# pmk demo: data that is missing, not binary or not square, and pictures that
# cannot be written.  Each part reports its own failure and the demo goes on.
mkdir empty d2 od
expect_fail 1 "pmk demo gnb: empty/mnist-train.csv.gz: cannot open: No such file or directory
pmk demo rbm: empty/mnist-train.csv.gz: cannot open: No such file or directory
pmk demo: empty/horse-noisy10.pbm: cannot open: No such file or directory" \
    "$PMK" demo -q --data empty -o od1
cp x.pbm d2/horse.pbm
cp "$FIX/img-comments.pbm" d2/horse-noisy10.pbm
gzip -c tiny.csv >d2/mnist-train.csv.gz
expect_fail 1 "pmk demo gnb: d2/mnist-test.csv.gz: cannot open: No such file or directory
pmk demo rbm: d2/mnist-train.csv.gz: 2 visible units are not a square image
pmk demo: d2/horse-noisy10.pbm and d2/horse.pbm are not binary images of one size" \
    "$PMK" demo -q --data d2 -o od2
mkdir od/gnb-means.png od/rbm-filters.png od/ising-horse.png
expect_fail 1 "pmk demo gnb: od/gnb-means.png: cannot write: is a directory
pmk demo rbm: od/rbm-filters.png: cannot write: is a directory
pmk demo: od/ising-horse.png: cannot write: is a directory" \
    "$PMK" demo -q -o od
echo "error paths: $n table cases and the rest passed"
