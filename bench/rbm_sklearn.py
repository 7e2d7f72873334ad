# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
"""rbm_sklearn.py: scikit-learn's BernoulliRBM, one epoch, for bench/rbm.sh.

Usage: /usr/bin/python3 bench/rbm_sklearn.py DATA.npy H B REPS
Prints one line "sklearn SECONDS" per repetition (fit with n_iter=1).
"""
import sys
import time

import numpy as np
from sklearn.neural_network import BernoulliRBM


def main():
    path, hidden, batch, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    X = np.load(path)
    for r in range(reps):
        rbm = BernoulliRBM(n_components=hidden, batch_size=batch, learning_rate=0.1,
                           n_iter=1, random_state=r)
        t0 = time.perf_counter()
        rbm.fit(X)
        print("sklearn %.4f" % (time.perf_counter() - t0), flush=True)


if __name__ == "__main__":
    main()
