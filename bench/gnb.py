#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
"""gnb.py: `pmk gnb fit` + `pmk gnb eval` end to end on Fashion-MNIST CSV
(60,000 / 10,000 rows, made with `pmk convert` from Debian's
dataset-fashion-mnist) against pandas.read_csv + the numpy closed form and
pandas.read_csv + scikit-learn GaussianNB (bench/gnb_baseline.py), all timed
in the same run, medians of --runs runs; then the peak RSS of `pmk gnb fit`
for N = 10k, 60k and 240k rows (the training file cut, and repeated 4 times),
taken from os.wait4's rusage of each child.

Usage (from the top of a built tree):
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/gnb.py [--runs 5] [--pmk src/pmk]
Writes its CSV files into bench/out/ (ignored by git) and prints a Markdown
report (the tables of doc/benchmarks.md).
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

FASHION = "/usr/share/datasets/fashion-mnist"
HERE = os.path.dirname(os.path.abspath(__file__))


def run(cmd):
    """Runs cmd; returns (wall seconds, CPU seconds (user + system), stdout text).
    The child is reaped with os.wait4 to get its own rusage."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = p.stdout.read()
    p.stdout.close()
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit("failed (%d): %s" % (p.returncode, " ".join(cmd)))
    return wall, ru.ru_utime + ru.ru_stime, out.decode()


def rss(cmd):
    """Peak resident set of one child in MiB (ru_maxrss is in KiB on Linux), and its wall time."""
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        fd = os.open(os.devnull, os.O_WRONLY)
        os.dup2(fd, 1)
        os.dup2(fd, 2)
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    _, status, ru = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit("failed: " + " ".join(cmd))
    return ru.ru_maxrss / 1024.0, wall


def make_data(pmk, out):
    os.makedirs(out, exist_ok=True)
    train, test = os.path.join(out, "fashion-train.csv"), os.path.join(out, "fashion-test.csv")
    for path, stem in ((train, "train"), (test, "t10k")):
        if not os.path.exists(path):
            run([pmk, "convert", "-q", "%s/%s-images-idx3-ubyte.gz" % (FASHION, stem),
                 "%s/%s-labels-idx1-ubyte.gz" % (FASHION, stem), "-o", path])
    n10k, n240k = os.path.join(out, "fashion-10k.csv"), os.path.join(out, "fashion-240k.csv")
    if not os.path.exists(n10k):
        with open(train, "rb") as f, open(n10k, "wb") as g:
            for i, line in enumerate(f):
                if i == 10000:
                    break
                g.write(line)
    if not os.path.exists(n240k):
        with open(n240k, "wb") as g:
            for _ in range(4):
                with open(train, "rb") as f:
                    shutil.copyfileobj(f, g)
    return train, test, n10k, n240k


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--pmk", default="src/pmk")
    ap.add_argument("--out", default=os.path.join(HERE, "out"))
    a = ap.parse_args()
    pmk = os.path.abspath(a.pmk)
    train, test, n10k, n240k = make_data(pmk, a.out)
    model = os.path.join(a.out, "fashion.gnb")
    py = "/usr/bin/python3"
    base = os.path.join(HERE, "gnb_baseline.py")

    times = {k: [] for k in ("pmk", "pmk_fit", "pmk_eval", "pmk_class", "numpy", "numpy_in",
                             "sklearn", "sklearn_in", "pmk_cpu", "numpy_cpu", "sklearn_cpu")}
    figs = {}
    for r in range(a.runs):
        w1, c1, out1 = run([pmk, "gnb", "fit", train, "-o", model])
        w2, c2, out2 = run([pmk, "gnb", "eval", "--json", model, test])
        times["pmk"].append(w1 + w2)
        times["pmk_cpu"].append(c1 + c2)
        times["pmk_fit"].append(w1)
        times["pmk_eval"].append(w2)
        figs["pmk"] = (out1, json.loads(out2))
        w3, _, _ = run([pmk, "gnb", "fit", "--variance", "class", train, "-o", model + ".class"])
        w4, _, out4 = run([pmk, "gnb", "eval", "--json", model + ".class", test])
        times["pmk_class"].append(w3 + w4)
        figs["pmk_class"] = json.loads(out4)
        for kind in ("numpy", "sklearn"):
            w, c, out = run([py, base, kind, train, test])
            j = json.loads(out)
            times[kind].append(w)
            times[kind + "_cpu"].append(c)
            times[kind + "_in"].append(j["total_s"])
            figs[kind] = j
        print("run %d/%d done" % (r + 1, a.runs), file=sys.stderr)
    med = {k: statistics.median(v) for k, v in times.items()}

    # The two sides must have computed the same figures.
    pe = figs["pmk"][1]
    assert pe["correct"] == round(figs["numpy"]["test"]["accuracy"] * 10000), "numpy disagrees"
    assert pe["confusion"] == figs["numpy"]["test"]["confusion"], "numpy confusion differs"
    assert figs["pmk_class"]["confusion"] == figs["sklearn"]["test"]["confusion"], "sklearn differs"

    print("## Fashion-MNIST 60,000 / 10,000, fit + eval end to end from CSV\n")
    print("Medians of %d runs; OPENBLAS_NUM_THREADS=%s.\n" % (a.runs, os.environ.get("OPENBLAS_NUM_THREADS", "unset")))
    print("| pipeline | wall s | pmk is faster by |")
    print("|---|---:|---:|")
    print("| `pmk gnb fit` + `pmk gnb eval` (shared variance) | %.3f | 1 |" % med["pmk"])
    print("| &nbsp;&nbsp; of which fit (two passes: fit, then training accuracy) | %.3f | |" % med["pmk_fit"])
    print("| &nbsp;&nbsp; of which eval | %.3f | |" % med["pmk_eval"])
    print("| `pmk gnb fit --variance class` + eval | %.3f | |" % med["pmk_class"])
    for kind, name in (("numpy", "pandas.read_csv + numpy closed form"),
                       ("sklearn", "pandas.read_csv + scikit-learn GaussianNB")):
        print("| %s, process wall | %.3f | %.1fx |" % (name, med[kind], med[kind] / med["pmk"]))
        print("| %s, in-script (imports excluded) | %.3f | %.1fx |" % (name, med[kind + "_in"], med[kind + "_in"] / med["pmk"]))
    print("\nCPU time (user + system of the processes; less sensitive to the load of other "
          "processes): pmk %.3f s, pandas + numpy %.3f s (%.1fx), pandas + scikit-learn %.3f s (%.1fx)."
          % (med["pmk_cpu"], med["numpy_cpu"], med["numpy_cpu"] / med["pmk_cpu"],
             med["sklearn_cpu"], med["sklearn_cpu"] / med["pmk_cpu"]))
    print("Load average at the end: %.2f %.2f %.2f (2 cores)." % os.getloadavg())
    print("\nTest accuracy: pmk shared %.4f (numpy %.4f); pmk class %.4f (scikit-learn %.4f); "
          "confusion matrices identical." % (pe["accuracy"], figs["numpy"]["test"]["accuracy"],
                                            figs["pmk_class"]["accuracy"], figs["sklearn"]["test"]["accuracy"]))
    print("pmk fit output:\n\n```\n%s```\n" % figs["pmk"][0])

    print("## Peak RSS of `pmk gnb fit` (os.wait4 ru_maxrss)\n")
    print("| N rows | file MB | peak RSS MiB | wall s |")
    print("|---:|---:|---:|---:|")
    for path, n in ((n10k, 10000), (train, 60000), (n240k, 240000)):
        r_, w_ = rss([pmk, "gnb", "fit", "-q", path, "-o", model])
        print("| %d | %.0f | %.1f | %.2f |" % (n, os.path.getsize(path) / 1e6, r_, w_))
    r_, w_ = rss([py, base, "numpy", train, test])
    print("\nFor comparison, the pandas + numpy pipeline (60k + 10k): peak RSS %.0f MiB." % r_)


main()
