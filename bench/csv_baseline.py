#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
"""csv_baseline.py: CSV parse throughput of pmk (bench/csv_parse, streaming
pmk_csv_read_chunk) against pandas.read_csv and numpy.loadtxt, in one run.

usage: csv_baseline.py CSV_FILE CSV_PARSE_PROGRAM [RUNS]

Each tool parses the whole file into numbers RUNS times, interleaved; the time
is measured inside the process (no interpreter or program start-up on either
side), as wall-clock time and as the process's CPU time (which is what one core
gives when other jobs share the machine).  Medians are reported with MB/s (file
bytes / seconds) and the ratio to pmk.
A .gz file is parsed gzipped by every tool; its MB/s count the uncompressed
CSV bytes (the size of the same name without .gz), so the rates compare.
"""
import gzip
import os
import statistics
import subprocess
import sys
import time

import numpy as np
import pandas as pd



def header_lines(path):
    """1 when the CSV starts with a header line (pmk convert writes one), else 0."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        return 1 if f.readline()[:1].isalpha() else 0

def run_pmk(prog, path, *args):
    res = subprocess.run([prog, path, *args], capture_output=True, text=True,
                         env=dict(os.environ, OPENBLAS_NUM_THREADS="1"))
    if res.returncode != 0:
        sys.exit("%s failed (%d): %s" % (prog, res.returncode, res.stderr.strip()))
    out = res.stdout
    # "60000 rows 0.1849 s 719.2 MB/s cpu 0.1800 s (check 0)"
    f = out.split()
    return int(f[0]), float(f[2]), float(f[7])


def run_pandas(path):
    t, c = time.perf_counter(), time.process_time()
    df = pd.read_csv(path, header=0 if header_lines(path) else None)
    t, c = time.perf_counter() - t, time.process_time() - c
    return df.shape[0], t, c


def run_numpy(path):
    t, c = time.perf_counter(), time.process_time()
    a = np.loadtxt(path, delimiter=",", dtype=np.float64, skiprows=header_lines(path))
    t, c = time.perf_counter() - t, time.process_time() - c
    return a.shape[0], t, c


def main():
    path, prog = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    size = os.path.getsize(path)
    if path.endswith(".gz") and os.path.exists(path[:-3]):
        size = os.path.getsize(path[:-3])   # MB/s of CSV text, as for the plain file
    with open(path, "rb") as f:          # warm the page cache
        while f.read(1 << 24):
            pass
    # The first row is what a user gets: the library's default chunk (about
    # 1 MiB of doubles, 167 rows of 784 columns, which stay in cache for the
    # consumer).  The variants: 4096 rows (the default before 2026-12-01,
    # 25.7 MB written to memory) and 256 rows (1.6 MB).
    tools = [("pmk (pmk_csv_read_chunk, default chunks)", lambda: run_pmk(prog, path)),
             ("pmk, chunks of 4096 rows", lambda: run_pmk(prog, path, "4096")),
             ("pmk, chunks of 256 rows", lambda: run_pmk(prog, path, "256")),
             ("pandas.read_csv", lambda: run_pandas(path))]
    if not path.endswith(".gz"):
        tools.append(("numpy.loadtxt", lambda: run_numpy(path)))
    times = {name: [] for name, _ in tools}
    cpus = {name: [] for name, _ in tools}
    rows = {}
    for _ in range(runs):                # interleaved, so load changes hit all alike
        for name, fn in tools:
            n, t, c = fn()
            rows[name] = n
            times[name].append(t)
            cpus[name].append(c)
    if len(set(rows.values())) != 1:
        sys.exit("row counts differ: %r" % rows)
    base = statistics.median(times[tools[0][0]])
    cbase = statistics.median(cpus[tools[0][0]])
    print("file: %s (%d bytes, %d rows), %d runs each, medians" %
          (path, size, rows[tools[0][0]], runs))
    print("| parser | wall s | MB/s (wall) | CPU s | MB/s (CPU) | time vs pmk (wall / CPU) |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, _ in tools:
        m, c = statistics.median(times[name]), statistics.median(cpus[name])
        print("| %s | %.3f | %.0f | %.3f | %.0f | %.2fx / %.2fx |" %
              (name, m, size / m / 1e6, c, size / c / 1e6, m / base, c / cbase))
    print("numpy %s, pandas %s, python %s" %
          (np.__version__, pd.__version__, sys.version.split()[0]))


if __name__ == "__main__":
    main()
