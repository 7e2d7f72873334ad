#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
"""bench/ising.py: `pmk ising denoise` against the numpy / scipy code a user
would write, timed in the same run.

  ICM on a 2048x2048 tiled noisy horse (beta 1, eta 2.1, h 0, 4 neighbours):
    pmk raster, pmk checkerboard (bit-packed spins), numpy vectorised
    checkerboard (pixel-updates per second = sweeps * pixels / seconds of
    the solver); pmk on one thread (--threads 1), per core.
  Exact MAP on a 512x512 tile: pmk mincut (Boykov-Kolmogorov) against
    scipy.sparse.csgraph.maximum_flow on the same graph (integer capacities
    x10), and the two cut values checked against each other.

  End to end on the same 2048x2048 file (issue 11): the whole `pmk ising
    denoise` command (process start, reading the PBM, ICM, writing the PBM
    atomically with its fsync, the report) against numpy reading the PBM,
    the checkerboard ICM and writing the PBM in this process (no interpreter
    start counted), interleaved run by run so both see the same load.

pmk's solver time is the "seconds" field of --json (the solver, energies and
trace included; file reading and writing excluded); numpy's and scipy's are
the solver calls alone.  Medians (and the best) of REPEAT runs: the runs are
short (milliseconds), so the best shows the code and the median the load.  Usage, from the build tree:
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/ising.py [PMK] [REPEAT]
A libtool wrapper script (src/pmk in the build tree) is replaced by the
program it wraps (src/.libs/pmk with LD_LIBRARY_PATH), as installed.
"""
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
PMK = sys.argv[1] if len(sys.argv) > 1 else os.path.join(TOP, "src", "pmk")
REPEAT = int(sys.argv[2]) if len(sys.argv) > 2 else 15
BETA, ETA, H = 1.0, 2.1, 0.0
ENV = dict(os.environ)


def unwrap(pmk):
    """The program behind a libtool wrapper script, run as it would be
    installed (the wrapper is a shell script that costs a shell's start)."""
    real = os.path.join(os.path.dirname(pmk), ".libs", os.path.basename(pmk))
    with open(pmk, "rb") as f:
        script = f.read(2) == b"#!"
    if script and os.path.exists(real):
        libs = os.path.abspath(os.path.join(os.path.dirname(pmk), ".libs"))
        ENV["LD_LIBRARY_PATH"] = libs + ":" + ENV.get("LD_LIBRARY_PATH", "")
        return real
    return pmk


PMK = unwrap(PMK)


def read_pbm(path):
    """P4 only (what pmk writes): +1 = black."""
    with open(path, "rb") as f:
        data = f.read()
    fields, pos = [], 0
    while len(fields) < 3:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    assert fields[0] == b"P4"
    w, h = int(fields[1]), int(fields[2])
    pos += 1
    rb = (w + 7) // 8
    raw = np.frombuffer(data[pos:pos + rb * h], dtype=np.uint8).reshape(h, rb)
    bits = np.unpackbits(raw, axis=1)[:, :w]
    return np.where(bits == 1, 1, -1).astype(np.int8)


def write_pbm(path, x):
    h, w = x.shape
    bits = np.packbits((x > 0).astype(np.uint8), axis=1)
    with open(path, "wb") as f:
        f.write(b"P4\n%d %d\n" % (w, h))
        f.write(bits.tobytes())


def tile(y, h, w):
    reps = (-(-h // y.shape[0]), -(-w // y.shape[1]))
    return np.tile(y, reps)[:h, :w].copy()


def energy(x, y):
    x = x.astype(np.int64)
    s2 = (x[:, 1:] * x[:, :-1]).sum() + (x[1:, :] * x[:-1, :]).sum()
    return H * x.sum() - BETA * s2 - ETA * (x * y).sum()


def numpy_checkerboard_icm(y, max_sweeps=100):
    """Vectorised checkerboard ICM, the way a numpy user writes it."""
    x = y.copy()
    hgt, wid = y.shape
    ii, jj = np.indices((hgt, wid))
    masks = [((ii + jj) % 2 == k) for k in (0, 1)]
    pad = np.zeros((hgt + 2, wid + 2), dtype=np.int8)
    sweeps = 0
    for _ in range(max_sweeps):
        sweeps += 1
        changed = 0
        for m in masks:
            pad[1:-1, 1:-1] = x
            s = pad[:-2, 1:-1] + pad[2:, 1:-1] + pad[1:-1, :-2] + pad[1:-1, 2:]
            f = -H + BETA * s + ETA * y
            new = np.where(f > 0, 1, np.where(f < 0, -1, x)).astype(np.int8)
            upd = m & (new != x)
            changed += int(upd.sum())
            x[upd] = new[upd]
        if changed == 0:
            break
    return x, sweeps


def pmk_denoise(img, out, *args):
    r = subprocess.run([PMK, "-q", "ising", "denoise", img, "-o", out, "--json", *args],
                       check=True, capture_output=True, text=True, env=ENV)
    return json.loads(r.stdout)


def median(v):
    return float(np.median(np.array(v)))


def main():
    noisy = read_pbm(os.path.join(TOP, "data", "horse-noisy10.pbm"))
    tmp = tempfile.mkdtemp(prefix="pmk-bench-ising-")
    big = tile(noisy, 2048, 2048)
    n = big.size
    big_path = os.path.join(tmp, "big.pbm")
    write_pbm(big_path, big)
    out = os.path.join(tmp, "out.pbm")

    rows = []
    results = {}
    for order in ("raster", "checkerboard"):
        secs, sweeps = [], 0
        for _ in range(REPEAT):
            j = pmk_denoise(big_path, out, "--order", order, "--threads", "1")
            secs.append(j["seconds"])
            sweeps = j["sweeps"]
        results[order] = read_pbm(out)
        t = median(secs)
        name = "pmk ICM " + order + (" (bit-packed)" if order == "checkerboard" else "")
        rows.append((name, sweeps, t, min(secs), j["energy"]))

    secs = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        xnp, sweeps = numpy_checkerboard_icm(big)
        secs.append(time.perf_counter() - t0)
    t = median(secs)
    rows.append(("numpy ICM checkerboard", sweeps, t, min(secs), energy(xnp, big)))
    same = bool(np.array_equal(xnp, results["checkerboard"]))

    print("ICM on %dx%d (%d pixels), beta %g, eta %g, h %g, 4 neighbours; median of %d"
          % (big.shape[1], big.shape[0], n, BETA, ETA, H, REPEAT))
    print("| solver | sweeps | median s | M pixel-updates/s (median) | best s | M/s (best) | energy |")
    print("|---|---|---|---|---|---|---|")
    for name, sw, t, tb, e in rows:
        print("| %s | %d | %.4f | %.0f | %.4f | %.0f | %.1f |"
              % (name, sw, t, sw * n / t / 1e6, tb, sw * n / tb / 1e6, e))
    print("pmk checkerboard ICM, bit-packed, one thread: %.2f G pixel-updates/s (median), "
          "%.2f (best)" % (rows[1][1] * n / rows[1][2] / 1e9, rows[1][1] * n / rows[1][3] / 1e9))
    base, bbase = rows[2][2], rows[2][3]
    print("speed-up over numpy, median (best): raster %.1fx (%.1fx), checkerboard %.1fx (%.1fx);"
          " pmk checkerboard == numpy: %s"
          % (base / rows[0][2], bbase / rows[0][3], base / rows[1][2], bbase / rows[1][3], same))

    # ---- end to end: the command against numpy from file to file
    e2e = {"raster": [], "checkerboard": [], "numpy": []}
    cpu = {"raster": [], "checkerboard": [], "numpy": []}
    np_out = os.path.join(tmp, "np.pbm")
    for _ in range(REPEAT):
        for order in ("raster", "checkerboard"):
            r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run([PMK, "-q", "ising", "denoise", big_path, "-o", out,
                            "--order", order], check=True, stdout=subprocess.DEVNULL, env=ENV)
            e2e[order].append(time.perf_counter() - t0)
            r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[order].append(r1.ru_utime + r1.ru_stime - r0.ru_utime - r0.ru_stime)
            if order == "raster":
                got_raster = read_pbm(out)
        c0 = time.process_time()
        t0 = time.perf_counter()
        x, _ = numpy_checkerboard_icm(read_pbm(big_path))
        write_pbm(np_out, x)
        e2e["numpy"].append(time.perf_counter() - t0)
        cpu["numpy"].append(time.process_time() - c0)
    same_files = open(np_out, "rb").read() == open(out, "rb").read()
    print()
    print("End to end, file to file, on %dx%d; median of %d (interleaved runs)"
          % (big.shape[1], big.shape[0], REPEAT))
    print("| run | median s | best s | CPU s (median, user + sys) |")
    print("|---|---|---|---|")
    for name, key in (("pmk ising denoise (raster, the default)", "raster"),
                      ("pmk ising denoise --order checkerboard", "checkerboard"),
                      ("numpy: read PBM, checkerboard ICM, write PBM", "numpy")):
        print("| %s | %.4f | %.4f | %.4f |"
              % (name, median(e2e[key]), min(e2e[key]), median(cpu[key])))
    nb, nc = median(e2e["numpy"]), median(cpu["numpy"])
    print("end-to-end speed-up over numpy, median: raster %.1fx, checkerboard %.1fx "
          "(CPU time: %.1fx, %.1fx); checkerboard output == numpy's file: %s; "
          "raster output == its --json run: %s"
          % (nb / median(e2e["raster"]), nb / median(e2e["checkerboard"]),
             nc / median(cpu["raster"]), nc / median(cpu["checkerboard"]), same_files,
             bool(np.array_equal(got_raster, results["raster"]))))

    # ---- exact MAP on 512x512
    small = tile(noisy, 512, 512)
    small_path = os.path.join(tmp, "small.pbm")
    write_pbm(small_path, small)
    secs = []
    for _ in range(REPEAT):
        j = pmk_denoise(small_path, out, "-m", "mincut")
        secs.append(j["seconds"])
    t_pmk, e_pmk = median(secs), j["energy"]
    print()
    print("Exact MAP on 512x512: pmk mincut %.4f s (median; best %.4f), energy %.1f"
          % (t_pmk, min(secs), e_pmk))
    try:
        import scipy
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import maximum_flow
    except ImportError:
        print("scipy not installed: no maximum_flow baseline")
        return
    hh, ww = small.shape
    nn = hh * ww
    src, snk = nn, nn + 1
    idx = np.arange(nn).reshape(hh, ww)
    tr = 2 * (ETA * small.astype(np.float64) - H)          # > 0: from s, < 0: to t
    pair = int(round(20 * BETA))                             # 2 beta, x10
    rows_, cols_, caps = [], [], []
    for a, b in ((idx[:, :-1], idx[:, 1:]), (idx[:-1, :], idx[1:, :])):
        a, b = a.ravel(), b.ravel()
        rows_ += [a, b]
        cols_ += [b, a]
        caps += [np.full(a.size, pair), np.full(a.size, pair)]
    trs = np.rint(10 * tr).astype(np.int64).ravel()
    pos, neg = trs > 0, trs < 0
    rows_ += [np.full(pos.sum(), src), idx.ravel()[neg]]
    cols_ += [idx.ravel()[pos], np.full(neg.sum(), snk)]
    caps += [trs[pos], -trs[neg]]
    t0 = time.perf_counter()
    g = csr_matrix((np.concatenate(caps).astype(np.int32),
                    (np.concatenate(rows_), np.concatenate(cols_))), shape=(nn + 2, nn + 2))
    t_build = time.perf_counter() - t0
    secs = []
    for _ in range(max(3, REPEAT // 2)):
        t0 = time.perf_counter()
        res = maximum_flow(g, src, snk)
        secs.append(time.perf_counter() - t0)
    t_sp = median(secs)
    print("(scipy best %.4f s)" % min(secs))
    npairs = hh * (ww - 1) + (hh - 1) * ww
    e_sp = res.flow_value / 10 - np.abs(tr).sum() / 2 - BETA * npairs
    print("scipy %s maximum_flow (dinic): %.4f s (median; graph build %.4f s), "
          "energy from its flow %.1f" % (scipy.__version__, t_sp, t_build, e_sp))
    print("scipy / pmk: %.1fx; energies agree: %s" % (t_sp / t_pmk, abs(e_sp - e_pmk) < 0.05))


if __name__ == "__main__":
    main()
