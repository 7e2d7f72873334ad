# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
"""rbm_memory.py: the numpy baseline of bench/rbm_memory.sh: what a user would
write to train a binary RBM on Fashion-MNIST: the training images as one
float64 array scaled by 1/255 (the usual first line), then one epoch of CD-1
(rbm.m's update, 500 hidden units, batches of 100) in numpy.  Its peak RSS is
what /usr/bin/time -v reports around it.

Usage: /usr/bin/python3 bench/rbm_memory.py IMAGES.gz [HIDDEN [EPOCHS]]
"""
import gzip
import sys

import numpy as np


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    return arr.reshape(dims[0], -1)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def main():
    H = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    X = read_idx(sys.argv[1]).astype(np.float64) / 255.0   # N x D
    N, D = X.shape
    rng = np.random.default_rng(1)
    W = 0.01 * rng.standard_normal((D, H))
    p = np.clip(X.mean(axis=0), 0.001, 0.999)
    b = np.log(p / (1 - p))
    a = np.zeros(H)
    dW, db, da = np.zeros_like(W), np.zeros_like(b), np.zeros_like(a)
    lr, mu, wd, B = 0.1, 0.5, 0.0002, 100
    for _ in range(epochs):
        order = rng.permutation(N)   # minibatches: a fresh permutation each epoch
        err = 0.0
        for s in range(0, N, B):
            v0 = X[order[s:s + B]]
            ph0 = sigmoid(v0 @ W + a)
            h0 = (rng.random(ph0.shape) < ph0).astype(np.float64)
            pv = sigmoid(h0 @ W.T + b)
            ph = sigmoid(pv @ W + a)
            n = v0.shape[0]
            dW = mu * dW + lr * ((v0.T @ ph0 - pv.T @ ph) / n - wd * W)
            db = mu * db + lr * (v0.sum(0) - pv.sum(0)) / n
            da = mu * da + lr * (ph0.sum(0) - ph.sum(0)) / n
            W += dW
            b += db
            a += da
            err += ((v0 - pv) ** 2).sum()
        print("numpy: epoch recon %.4f" % (err / N))


if __name__ == "__main__":
    main()
