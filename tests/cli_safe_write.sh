#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_safe_write.sh: every command that writes a file fails cleanly when the
# write fails, and leaves an existing target byte-identical with no temporary
# file beside it.  Three ways to make a write fail:
#   - a write that outgrows RLIMIT_FSIZE (`ulimit -f`, SIGXFSZ ignored so that
#     write() returns EFBIG): a disk that fills up in the middle of the output,
#     with a good file already at the target;
#   - /dev/full (ENOSPC on the first flush);
#   - a path under a regular file (ENOTDIR).  The tests run as root here, and
#     root ignores chmod, so a read-only folder would not stop the write: a path
#     whose "folder" is a plain file is unwritable for everyone.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
set -e
cd "$T"
MN="$DATA/mnist-test.csv.gz"
: >file                                   # the "folder" of the unwritable paths
expect_ok "$PMK" gnb fit -q "$MN" -o m.gnb
expect_ok "$PMK" gnb fit -q "$FIX/gnb-tiny-train.csv" -o tiny.gnb
expect_ok "$PMK" convert -q "$MN" -o img.idx --labels lab.idx

# small_disk CMD...: runs CMD with files limited to 2 blocks (1 or 2 KiB).
small_disk() {
    run sh -c 'trap "" XFSZ; ulimit -f 2; exec "$@"' sh "$@"
}

# keeps NAME TARGET CMD... (CMD writes TARGET, more than 2 KiB): with a good
# file at TARGET, a write that runs out of room exits 1 with the message, and
# TARGET and its folder are as they were.
keeps() {
    name=$1 target=$2
    shift 2
    printf 'a good file that must survive\n' >"$target"
    cp "$target" keep.tmp
    before=$(ls -a "$(dirname "$target")")
    small_disk "$@"
    [ "$rc" -eq 1 ] || fail "exit $rc from the full-disk run of: $*"
    [ "$(cat err)" = "pmk $name: $target: cannot write: File too large" ] \
        || fail "stderr from the full-disk run of: $*: $(cat err)"
    same_bytes keep.tmp "$target"
    [ "$(ls -a "$(dirname "$target")")" = "$before" ] || fail "leftovers beside $target: $(ls -a "$(dirname "$target")")"
    rm -f keep.tmp
}
# refused NAME TARGET CMD...: CMD writing to TARGET (/dev/full, or under a
# regular file) exits 1 with one line naming TARGET and the system's reason.
refused() {
    name=$1 target=$2
    shift 2
    case "$target" in
    /dev/full) why="No space left on device" ;;
    *) why="Not a directory" ;;
    esac
    expect_fail 1 "pmk $name: $target: cannot write: $why" "$@"
}
# lib.sh's run() writes $T/out and $T/err; we are in $T.
err=err

# convert, CSV to IDX (1.5 MB of images)
keeps convert out.idx "$PMK" convert -q "$MN" -o out.idx
refused convert /dev/full "$PMK" convert -q "$MN" -o /dev/full
refused convert file/out.idx "$PMK" convert -q "$MN" -o file/out.idx
refused convert file/lab.idx "$PMK" convert -q "$MN" -o out2.idx --labels file/lab.idx
# convert, IDX to CSV
keeps convert out.csv "$PMK" convert -q img.idx lab.idx -o out.csv
refused convert /dev/full "$PMK" convert -q img.idx lab.idx -o /dev/full
refused convert file/out.csv "$PMK" convert -q img.idx lab.idx -o file/out.csv
# gnb fit (a model of 190 kB)
keeps "gnb fit" fit.gnb "$PMK" gnb fit -q "$MN" -o fit.gnb
refused "gnb fit" /dev/full "$PMK" gnb fit -q "$MN" -o /dev/full
refused "gnb fit" file/fit.gnb "$PMK" gnb fit -q "$MN" -o file/fit.gnb
# gnb predict, to a file and to a full standard output
keeps "gnb predict" pred.csv "$PMK" gnb predict -q --proba m.gnb "$MN" -o pred.csv
refused "gnb predict" /dev/full "$PMK" gnb predict -q m.gnb "$MN" -o /dev/full
refused "gnb predict" file/pred.csv "$PMK" gnb predict -q m.gnb "$MN" -o file/pred.csv
run sh -c '"$@" >/dev/full' sh "$PMK" gnb predict -q m.gnb "$MN"
[ "$rc" -eq 1 ] && [ "$(cat err)" = "pmk gnb predict: <stdout>: cannot write: No space left on device" ] \
    || fail "predict to a full stdout: exit $rc, $(cat err)"
# gnb show (a 4.3 kB PNG)
keeps "gnb show" show.png "$PMK" gnb show m.gnb -o show.png
ln -s /dev/full full.png                  # the format comes from the name
expect_fail 1 "pmk gnb show: full.png: cannot write: No space left on device" "$PMK" gnb show m.gnb -o full.png
refused "gnb show" file/show.png "$PMK" gnb show m.gnb -o file/show.png
# gnb merge
keeps "gnb merge" merged.gnb "$PMK" gnb merge -q m.gnb m.gnb -o merged.gnb
refused "gnb merge" /dev/full "$PMK" gnb merge -q m.gnb m.gnb -o /dev/full
refused "gnb merge" file/merged.gnb "$PMK" gnb merge -q m.gnb m.gnb -o file/merged.gnb
# gnb export: mu.csv (the first file written) runs out of room; all three stay
mkdir ex
printf 'old var\n' >ex/var.csv
printf 'old priors\n' >ex/priors.csv
keeps "gnb export" ex/mu.csv "$PMK" gnb export m.gnb ex
[ "$(cat ex/var.csv ex/priors.csv)" = "old var
old priors" ] || fail "gnb export replaced var.csv or priors.csv after mu.csv failed"
expect_fail 1 "pmk gnb export: /dev/full/mu.csv: cannot write: Not a directory" "$PMK" gnb export m.gnb /dev/full
expect_fail 1 "pmk gnb export: file/ex: cannot create folder: Not a directory" "$PMK" gnb export m.gnb file/ex
# ising denoise and noise (16 kB PBMs); /dev/full through a link named .pbm
ln -s /dev/full full.pbm
keeps "ising denoise" den.pbm "$PMK" ising denoise -q "$DATA/horse-noisy10.pbm" -o den.pbm
expect_fail 1 "pmk ising denoise: full.pbm: cannot write: No space left on device" \
    "$PMK" ising denoise -q "$DATA/horse-noisy10.pbm" -o full.pbm
refused "ising denoise" file/den.pbm "$PMK" ising denoise -q "$DATA/horse-noisy10.pbm" -o file/den.pbm
keeps "ising noise" noisy.pbm "$PMK" ising noise -q --flip 0.1 --seed 1 "$DATA/horse.pbm" -o noisy.pbm
expect_fail 1 "pmk ising noise: full.pbm: cannot write: No space left on device" \
    "$PMK" ising noise -q --flip 0.1 --seed 1 "$DATA/horse.pbm" -o full.pbm
refused "ising noise" file/noisy.pbm "$PMK" ising noise -q --flip 0.1 --seed 1 "$DATA/horse.pbm" -o file/noisy.pbm

if "$PMK" rbm --help >/dev/null 2>&1; then
    gzip -dc "$MN" | head -n 300 >m300.csv
    expect_ok "$PMK" rbm train -q --hidden 16 --epochs 1 --seed 1 m300.csv -o r.rbm
    keeps "rbm train" rt.rbm "$PMK" rbm train -q --hidden 16 --epochs 1 --seed 1 m300.csv -o rt.rbm
    refused "rbm train" /dev/full "$PMK" rbm train -q --hidden 16 --epochs 1 --seed 1 m300.csv -o /dev/full
    refused "rbm train" file/rt.rbm "$PMK" rbm train -q --hidden 16 --epochs 1 --seed 1 m300.csv -o file/rt.rbm
    keeps "rbm hidden" h.csv "$PMK" rbm hidden r.rbm m300.csv -o h.csv
    refused "rbm hidden" /dev/full "$PMK" rbm hidden r.rbm m300.csv -o /dev/full
    refused "rbm hidden" file/h.csv "$PMK" rbm hidden r.rbm m300.csv -o file/h.csv
    keeps "rbm sample" s.csv "$PMK" rbm sample --steps 10 --seed 1 r.rbm -o s.csv
    refused "rbm sample" file/s.csv "$PMK" rbm sample --steps 10 --seed 1 r.rbm -o file/s.csv
    keeps "rbm filters" f.png "$PMK" rbm filters r.rbm -o f.png
    refused "rbm filters" file/f.png "$PMK" rbm filters r.rbm -o file/f.png
    mkdir rx
    keeps "rbm export" rx/W.csv "$PMK" rbm export r.rbm rx

    # SIGKILL during training: whenever the kill lands, MODEL is a whole model,
    # the old one or a checkpoint (pmk_outfile renames complete files only).
    # The kill is made to land after the first checkpoint by waiting for MODEL
    # to change; the wait is bounded by the test harness, never by a timer that
    # decides the result.
    cp r.rbm prev.rbm
    "$PMK" rbm train -q --hidden 16 --epochs 100000 --checkpoint-every 1 --seed 2 \
        m300.csv -o prev.rbm 2>train.err &
    pid=$!
    while cmp -s r.rbm prev.rbm && kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
    kill -9 "$pid" 2>/dev/null || fail "rbm train ended before it was killed: $(cat train.err)"
    wait "$pid" 2>/dev/null || true
    ! cmp -s r.rbm prev.rbm || fail "no checkpoint was written"
    expect_ok "$PMK" rbm eval prev.rbm m300.csv
    head -n 4 prev.rbm | grep -q '^epochs [1-9][0-9]*$' || fail "the checkpoint has no epoch count"
    # training resumes from it
    expect_ok "$PMK" rbm train -q --resume prev.rbm --epochs 1 --seed 3 m300.csv -o next.rbm
    # the temporary file of a checkpoint cut short, if the kill left one, is
    # removed by the next run on the same target
    expect_ok "$PMK" rbm train -q --hidden 4 --epochs 1 --seed 3 m300.csv -o prev.rbm
    [ -z "$(ls -a | grep '^\.prev\.rbm\.')" ] || fail "temporary files left: $(ls -a | grep '^\.prev\.')"
fi

# A writer killed by SIGKILL leaves its temporary file .NAME.pmk-PID-XXXXXX;
# the next run on NAME removes it, but never the file of a writer still
# running.  A writer is held at work by a FIFO that the test keeps open: gnb
# predict reads its first chunk, creates the temporary file, and waits for
# more rows.  Every wait is bounded by an event (the file appears), not a timer.
yes 3,0,0 | head -n 400000 >rows.csv       # 2.4 MB: more than the reader's first buffer
mkfifo feed1 feed2
is_temp() { ls -a | grep -x '\.pk\.csv\.pmk-[0-9]*-[0-9a-f]\{6\}' || true; }
# start_writer FIFO OLD: a predict writing pk.csv from FIFO; waits until a
# temporary file other than OLD is there; sets $wpid, $cpid.
start_writer() {
    "$PMK" gnb predict -q tiny.gnb "$1" -o pk.csv 2>/dev/null &
    wpid=$!
    exec 3>"$1"
    cat rows.csv >&3 &
    cpid=$!
    while [ -z "$(is_temp | grep -v -x -e "$2")" ]; do
        kill -0 "$wpid" 2>/dev/null || fail "gnb predict ended before it wrote its temporary file"
        if ls -a | grep '^\.pk\.csv\.' | grep -q -v -x '\.pk\.csv\.pmk-[0-9]*-[0-9a-f]\{6\}'; then
            kill -9 "$wpid"
            fail "a temporary file not named .pk.csv.pmk-PID-XXXXXX: $(ls -a | grep '^\.pk\.csv\.')"
        fi
        sleep 0.05
    done
}
printf 'an old prediction\n' >pk.csv && cp pk.csv pk.keep
start_writer feed1 none
first=$(is_temp)
kill -9 "$wpid"
wait "$wpid" 2>/dev/null || true
kill "$cpid" 2>/dev/null || true
exec 3>&-
[ "$(is_temp)" = "$first" ] || fail "the killed writer left no temporary file to test with"
same_bytes pk.keep pk.csv
# the next writer of pk.csv removes the dead one's file as it starts
start_writer feed2 "$first"
live=$(is_temp)
[ "$(printf '%s\n' "$live" | grep -c -x -e "$first")" -eq 0 ] \
    || fail "the killed writer's temporary file is still there: $live"
# a third run on the same target, while the second runs: the live writer's
# file stays
expect_ok "$PMK" gnb predict -q tiny.gnb "$FIX/gnb-tiny-test.csv" -o pk.csv
[ "$(is_temp)" = "$live" ] || fail "after a run on pk.csv, temporary files are: $(is_temp | tr '\n' ' ') (wanted $live)"
kill -9 "$wpid"
wait "$wpid" 2>/dev/null || true
kill "$cpid" 2>/dev/null || true
exec 3>&-
expect_ok "$PMK" gnb predict -q tiny.gnb "$FIX/gnb-tiny-test.csv" -o pk.csv
[ -z "$(is_temp)" ] || fail "temporary files left: $(is_temp)"
[ "$(head -n 1 pk.csv)" = label ] || fail "pk.csv is not a prediction"
rm -f feed1 feed2 rows.csv pk.csv pk.keep

# Names of 255 bytes (NAME_MAX) are written: the temporary name is cut to
# fit.  256 bytes is the system's refusal, with its own message.
long=$(printf '%0251d' 0).csv
expect_ok "$PMK" gnb predict -q tiny.gnb "$FIX/gnb-tiny-test.csv" -o "$long"
expect_ok "$PMK" gnb predict -q tiny.gnb "$FIX/gnb-tiny-test.csv" -o pk.csv
same_bytes pk.csv "$long"
long_gnb=$(printf '%0251d' 0).gnb
expect_ok "$PMK" gnb fit -q "$FIX/gnb-tiny-train.csv" -o "$long_gnb"
same_bytes tiny.gnb "$long_gnb"
long_pbm=$(printf 'x%0250d' 0).pbm
expect_ok "$PMK" ising denoise -q "$FIX/ising-y.pbm" -o "$long_pbm"
expect_fail 1 "pmk gnb predict: 0$long: cannot write: File name too long" \
    "$PMK" gnb predict -q tiny.gnb "$FIX/gnb-tiny-test.csv" -o "0$long"
[ "$(ls -a | grep -c '\.pmk-')" -eq 0 ] || fail "temporary files left: $(ls -a | grep '\.pmk-')"
rm -f "$long" "$long_gnb" "$long_pbm" pk.csv

# A run that fails on bad data after it started writing leaves the target alone:
# row 2001 of this CSV is bad, after 2000 good rows were converted or predicted.
{ gzip -dc "$MN"; echo "7,1,2"; } >bad-end.csv
printf 'a good file\n' >good.idx && cp good.idx good.keep
expect_fail 1 "pmk convert: bad-end.csv:2001:6: ragged row: 3 fields, expected 785" \
    "$PMK" convert -q bad-end.csv -o good.idx
same_bytes good.keep good.idx
cp good.keep good.csv
expect_fail 1 "pmk gnb predict: bad-end.csv:2001:6: ragged row: 3 fields, expected 785" \
    "$PMK" gnb predict -q m.gnb bad-end.csv -o good.csv
same_bytes good.keep good.csv
cp m.gnb m.keep
expect_fail 1 "pmk gnb fit: bad-end.csv:2001:6: ragged row: 3 fields, expected 785" \
    "$PMK" gnb fit -q bad-end.csv -o m.gnb
same_bytes m.keep m.gnb
[ -z "$(ls -a | grep -v -x -e . -e .. -e file -e m.gnb -e tiny.gnb -e img.idx -e lab.idx -e out.idx \
    -e out.csv -e fit.gnb -e pred.csv -e show.png -e merged.gnb -e ex -e bad-end.csv -e good.idx \
    -e good.keep -e good.csv -e m.keep -e out -e err -e full.png -e full.pbm -e den.pbm -e noisy.pbm \
    -e m300.csv -e r.rbm -e rt.rbm -e h.csv -e s.csv -e f.png -e rx -e prev.rbm -e train.err -e next.rbm)" ] || fail "temporary files left: $(ls -a)"
echo "safe writes: all checks passed"
