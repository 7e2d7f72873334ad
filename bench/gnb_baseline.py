#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
"""gnb_baseline.py: the Python a user would otherwise write for `pmk gnb fit` +
`pmk gnb eval`: pandas.read_csv, then either the numpy closed form (shared
variance, as pmk's default) or scikit-learn's GaussianNB (class variances, as
`pmk gnb fit --variance class`).  Same work as pmk: fit, training accuracy
and NLL, test accuracy, NLL and confusion matrix.  Prints one JSON line with
the in-script times (imports excluded) and the figures, so that the driver
(bench/gnb.py) can check both sides computed the same thing.

Usage: gnb_baseline.py numpy|sklearn TRAIN.csv TEST.csv
"""
import gzip
import json
import sys
import time

t_start = time.perf_counter()
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

EPS = 1e-9



def header_lines(path):
    """1 when the CSV starts with a header line (pmk convert writes one), else 0."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as f:
        return 1 if f.readline()[:1].isalpha() else 0

def read(path):
    a = pd.read_csv(path, header=0 if header_lines(path) else None).to_numpy()
    return a[:, 1:] / 255.0, a[:, 0].astype(np.int64)


def numpy_pipeline(Xtr, ytr, Xte, yte):
    classes, idx = np.unique(ytr, return_inverse=True)
    N, D = Xtr.shape
    K = len(classes)
    counts = np.bincount(idx, minlength=K).astype(float)
    mu = np.zeros((K, D))
    np.add.at(mu, idx, Xtr)
    mu /= counts[:, None]
    var = ((Xtr - mu[idx]) ** 2).sum(0) / N + EPS * Xtr.var(0).max()
    logprior = np.log(counts / N)
    const = logprior - 0.5 * np.log(2 * np.pi * var).sum() - 0.5 * (mu ** 2 / var).sum(1)
    W = (mu / var).T

    def jll(X):
        return X @ W - 0.5 * ((X ** 2) @ (1 / var))[:, None] + const

    return classes, jll


def sklearn_pipeline(Xtr, ytr, Xte, yte):
    from sklearn.naive_bayes import GaussianNB
    g = GaussianNB().fit(Xtr, ytr)
    return g.classes_, g.predict_joint_log_proba


def figures(classes, J, y):
    t = np.searchsorted(classes, y)
    pred = J.argmax(1)
    n = len(y)
    m = J.max(1, keepdims=True)
    lse = (m + np.log(np.exp(J - m).sum(1, keepdims=True)))[:, 0]
    Jt = J[np.arange(n), t]
    K = len(classes)
    conf = np.bincount(t * K + pred, minlength=K * K).reshape(K, K)
    return {"n": n, "accuracy": float((pred == t).mean()), "mean_nll": float(-Jt.mean()),
            "mean_log_posterior": float((Jt - lse).mean()), "confusion": conf.tolist()}


def main():
    kind, train, test = sys.argv[1:4]
    t0 = time.perf_counter()
    Xtr, ytr = read(train)
    Xte, yte = read(test)
    t1 = time.perf_counter()
    pipe = numpy_pipeline if kind == "numpy" else sklearn_pipeline
    classes, jll = pipe(Xtr, ytr, Xte, yte)
    train_fig = figures(classes, jll(Xtr), ytr)
    test_fig = figures(classes, jll(Xte), yte)
    t2 = time.perf_counter()
    print(json.dumps({"imports_s": t0 - t_start, "read_s": t1 - t0, "model_s": t2 - t1,
                      "total_s": t2 - t0, "train": train_fig, "test": test_fig}))


main()
