# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
"""rbm_data.py: Fashion-MNIST's training images as CSV (label,p0..p783) for pmk
and as a float64 .npy scaled by 1/255 for scikit-learn (bench/rbm.sh).

Usage: /usr/bin/python3 bench/rbm_data.py IMAGES.gz LABELS.gz OUT.csv OUT.npy
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


def main():
    X = read_idx(sys.argv[1])
    y = read_idx(sys.argv[2]).ravel()
    np.savetxt(sys.argv[3], np.column_stack([y, X]), fmt="%d", delimiter=",")
    np.save(sys.argv[4], X.astype(np.float64) / 255.0)


if __name__ == "__main__":
    main()
