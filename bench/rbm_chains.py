#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
"""rbm_chains.py: how many digit classes long Gibbs chains of a PCD-trained
RBM reach, for pmk and for scikit-learn's BernoulliRBM (PCD) trained alike.

Both train 100 hidden units on the first 2,000 digits of data/mnist-train
(batch 20, 20 epochs, the given learning rate), run 60 chains of 1,000 Gibbs
sweeps from v ~ Bernoulli(1/2), and the final visible means are classified
by pmk's Gaussian classifier fitted on the same digits.  Prints the classes
found and how many chains each got.

Usage: /usr/bin/python3 bench/rbm_chains.py PMK [LR...]   (default LR 0.05)
"""
import collections, os, subprocess, sys, tempfile
import numpy as np
from sklearn.neural_network import BernoulliRBM

pmk = sys.argv[1]
rates = [float(a) for a in sys.argv[2:]] or [0.05]
top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
w = tempfile.mkdtemp(prefix="rbm-chains.")
D = np.loadtxt(os.path.join(top, "data", "mnist-train.csv.gz"), delimiter=",", max_rows=2000)
np.savetxt(f"{w}/train.csv", D, delimiter=",", fmt="%d")
run = lambda *a: subprocess.run([pmk, *a], check=True, capture_output=True, text=True).stdout
run("gnb", "fit", f"{w}/train.csv", "-o", f"{w}/g.gnb")


def classes(means):
    """Class counts of the rows of means (values in [0, 1]) by pmk gnb."""
    np.savetxt(f"{w}/s.csv", np.hstack([np.zeros((len(means), 1)), np.rint(255 * means)]),
               delimiter=",", fmt="%d")
    labels = run("gnb", "predict", f"{w}/g.gnb", f"{w}/s.csv").split()[1:]
    return dict(collections.Counter(labels).most_common())


for lr in rates:
    run("rbm", "train", "-q", f"{w}/train.csv", "-o", f"{w}/p.rbm", "--trainer", "pcd", "-H",
        "100", "-e", "20", "-b", "20", "--lr", str(lr), "--holdout", "0", "--seed", "1")
    run("rbm", "sample", "-q", f"{w}/p.rbm", "-o", f"{w}/p.csv", "-n", "60", "-s", "1000",
        "--every", "1000", "--seed", "3")
    pm = np.loadtxt(f"{w}/p.csv", delimiter=",", skiprows=1)[:, 1:]
    r = BernoulliRBM(n_components=100, learning_rate=lr, batch_size=20, n_iter=20,
                     random_state=1).fit(D[:, 1:] / 255.0)
    rng = np.random.RandomState(3)
    V = (rng.rand(60, 784) < 0.5).astype(float)
    for _ in range(1000):
        V = r.gibbs(V)
    H = (rng.rand(60, 100) < r.transform(V)).astype(float)
    sm = 1 / (1 + np.exp(-(H @ r.components_ + r.intercept_visible_)))
    print(f"lr {lr}: pmk PCD {classes(pm)}; scikit-learn PCD {classes(sm)}")
