#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_lda_numpy.sh: `gnb fit --covariance full` is the numpy implementation
# of the same model below (pixels / 255, class means, pooled scatter S over
# N, ridge 1e-3 x trace(S/N)/D on the diagonal, Sigma^-1 by a Cholesky-based
# solve, empirical priors): fitted on the first 1,000 rows of the MNIST
# sample's training split, it predicts the same label as numpy on every one
# of the 2,000 test rows, and the log-posteriors agree.  Skipped (77) without
# /usr/bin/python3 + numpy.  `gnb export`'s cov.csv is numpy's Sigma (ridge
# included) and var.csv its diagonal, to rounding.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
set -e
PY=/usr/bin/python3
[ -x "$PY" ] && "$PY" -c 'import numpy' 2>/dev/null ||
    { echo "no /usr/bin/python3 with numpy: skipped"; exit 77; }

gzip -dc "$DATA/mnist-train.csv.gz" | head -n 1000 >"$T/train.csv"
expect_ok "$PMK" gnb fit -q --no-train-accuracy --covariance full "$T/train.csv" -o "$T/f.gnb"
expect_ok "$PMK" gnb predict --log-proba "$T/f.gnb" "$DATA/mnist-test.csv.gz" -o "$T/p.csv"
expect_ok "$PMK" gnb export "$T/f.gnb" "$T/exp"
"$PY" - "$T/train.csv" "$DATA/mnist-test.csv.gz" "$T/p.csv" "$T/exp" <<'PYEOF' || fail "pmk and numpy disagree"
import sys
import numpy as np
tr = np.loadtxt(sys.argv[1], delimiter=",")
te = np.loadtxt(sys.argv[2], delimiter=",")
mine = np.loadtxt(sys.argv[3], delimiter=",", skiprows=1)
X, y, Xt = tr[:, 1:] / 255.0, tr[:, 0].astype(int), te[:, 1:] / 255.0
ks = np.unique(y)
N, D = X.shape
M = np.array([X[y == k].mean(0) for k in ks])
n = np.array([(y == k).sum() for k in ks])
R = X - M[np.searchsorted(ks, y)]
Sig = R.T @ R / N
Sig += 1e-3 * np.trace(Sig) / D * np.eye(D)
L = np.linalg.cholesky(Sig)
W = np.linalg.solve(L.T, np.linalg.solve(L, M.T))      # Sigma^-1 M^T, D x K
J = Xt @ W - 0.5 * np.sum(M.T * W, 0) + np.log(n / N)  # J up to a constant per row
lp = J - J.max(1, keepdims=True)
lp -= np.log(np.exp(lp).sum(1, keepdims=True))
pred = ks[J.argmax(1)]
diff = int((pred != mine[:, 0]).sum())
# Both sides solve with Sigma, whose condition number the ridge bounds by
# 1 + D / 1e-3 (< 1e6): the scores x^T Sigma^-1 mu_k (of order 1e3 here)
# agree to about 1e-16 x 1e6 x 1e3 = 1e-7, so log-posteriors above -30 must
# agree within 1e-6.
mask = lp > -30
err = float(np.abs(np.where(mask, lp - mine[:, 1:], 0)).max())
acc = float((pred == te[:, 0]).mean())
print("rows differing: %d, max |log-posterior diff|: %.3g, accuracy %.4f" % (diff, err, acc))
# the export: Sigma's entries are sums of N products of values in [0, 1]
# divided by N, each within ~1e-15 of numpy's (another order of the sums);
# 1e-12 of the largest entry leaves room and still catches a missing ridge
# (1e-3 x the mean variance, ~1e-4 of the largest entry here) or a transpose
cov = np.loadtxt(sys.argv[4] + "/cov.csv", delimiter=",", skiprows=1)
var = np.loadtxt(sys.argv[4] + "/var.csv", delimiter=",", skiprows=1)
cerr = float(np.abs(cov[:, 1:] - Sig).max() / np.abs(Sig).max())
ok = (cov.shape == (D, D + 1) and (cov[:, 0] == np.arange(D)).all() and cerr <= 1e-12
      and var.shape == (len(ks), D + 1) and (var[:, 1:] == cov[:, 1:].diagonal()).all())
print("cov.csv: max relative difference %.3g, shape %s" % (cerr, cov.shape))
sys.exit(0 if diff == 0 and err <= 1e-6 and ok else 1)
PYEOF
cat "$T/out"
