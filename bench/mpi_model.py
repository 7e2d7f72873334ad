#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
"""bench/mpi_model.py: the cost model of doc/scaling.md ("Many machines")
on paper: bytes per allreduce, predicted RBM epoch times for P machines on
10 GbE and 100 GbE, synchronous gradient allreduce against parameter
averaging every K minibatches.  No measurement: give the measured one-machine
epoch time with --t1 (seconds, `pmk rbm train` on MNIST, H 500, batch 100).

    python3 bench/mpi_model.py [--t1 2.0] [--rows 60000] [--k 16]
"""
import argparse
import math

# Links: payload bandwidth in bytes/s and per-message latency in s (TCP over
# 10 GbE, RDMA-capable 100 GbE); both are assumptions, stated in the doc.
LINKS = {"10GbE": (1.17e9, 20e-6), "100GbE": (11.7e9, 5e-6)}


def allreduce_s(nbytes, P, bw, lat):
    """Bandwidth-optimal allreduce (reduce-scatter + allgather, Rabenseifner):
    each rank sends and receives 2 (P-1)/P of the buffer, in 2 log2 P steps."""
    if P == 1:
        return 0.0
    return 2 * (P - 1) / P * nbytes / bw + 2 * math.ceil(math.log2(P)) * lat


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--t1", type=float, default=2.0, help="one-machine epoch time, s")
    ap.add_argument("--rows", type=int, default=60000)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--k", type=int, default=16, help="parameter averaging period")
    a = ap.parse_args()
    D, H, K, C = 784, 500, 10, 784
    rbm = 4 * (D * H + D + H)            # float32 W, b, a
    gnb = 8 * K * (1 + 2 * C)            # per class: N_k, mean, M2 as doubles
    steps = math.ceil(a.rows / a.batch)
    print(f"gnb statistics: {gnb} bytes ({gnb / 1e3:.1f} kB) binary, once per fit")
    print(f"rbm gradient:   {rbm} bytes ({rbm / 1e6:.3f} MB) float32, once per minibatch")
    print(f"epoch: {a.rows} rows, {steps} minibatches of {a.batch}; T1 = {a.t1} s\n")
    print("| P | link | allreduce | sync epoch | speed-up | avg K=%d epoch | speed-up |" % a.k)
    print("|---|---|---|---|---|---|---|")
    for link, (bw, lat) in LINKS.items():
        for P in (2, 4, 8, 16, 32, 64):
            t = allreduce_s(rbm, P, bw, lat)
            sync = a.t1 / P + steps * t
            avg = a.t1 / P + steps / P / a.k * t
            print(f"| {P} | {link} | {t * 1e3:.2f} ms | {sync:.2f} s | {a.t1 / sync:.1f} | "
                  f"{avg:.2f} s | {a.t1 / avg:.1f} |")
    for link, (bw, lat) in LINKS.items():
        # gradient allreduce stops paying when a rank's share of a step costs
        # less than the allreduce: T1 / (steps P) < t(P)
        P = next((p for p in range(2, 4097) if a.t1 / (steps * p) < allreduce_s(rbm, p, bw, lat)), None)
        print(f"{link}: per-step compute falls below the allreduce at P = {P}")


if __name__ == "__main__":
    main()
