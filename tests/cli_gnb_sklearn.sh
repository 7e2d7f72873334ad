#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_gnb_sklearn.sh: `--variance class` is scikit-learn's GaussianNB: on the
# 8,000/2,000 MNIST split (pixels/255, eps 1e-9) pmk predicts the same label as
# GaussianNB().fit(X/255, y) on every test row, and the test accuracy is
# data/README's 0.6265.  Skipped (77) without /usr/bin/python3 + scikit-learn.
. "$PMK_TOP_SRCDIR/tests/lib.sh"
set -e
PY=/usr/bin/python3
[ -x "$PY" ] && "$PY" -c 'import sklearn, numpy' 2>/dev/null ||
    { echo "no /usr/bin/python3 with scikit-learn: skipped"; exit 77; }

expect_ok "$PMK" gnb fit -q --no-train-accuracy --variance class "$DATA/mnist-train.csv.gz" -o "$T/c.gnb"
expect_ok "$PMK" gnb eval "$T/c.gnb" "$DATA/mnist-test.csv.gz"
grep -qx 'accuracy            0.6265 (1253/2000)' "$T/out" || fail "class variance: $(head -n 2 "$T/out")"
expect_ok "$PMK" gnb predict --log-proba "$T/c.gnb" "$DATA/mnist-test.csv.gz" -o "$T/p.csv"
"$PY" - "$DATA/mnist-train.csv.gz" "$DATA/mnist-test.csv.gz" "$T/p.csv" <<'PYEOF' || fail "pmk and scikit-learn disagree"
import sys
import numpy as np
from sklearn.naive_bayes import GaussianNB
tr = np.loadtxt(sys.argv[1], delimiter=",")
te = np.loadtxt(sys.argv[2], delimiter=",")
mine = np.loadtxt(sys.argv[3], delimiter=",", skiprows=1)
g = GaussianNB().fit(tr[:, 1:] / 255.0, tr[:, 0].astype(int))
X = te[:, 1:] / 255.0
pred = g.predict(X)
diff = int((pred != mine[:, 0]).sum())
# Log-posteriors.  The two fits agree to rounding (variances to ~1e-13
# relative: scikit-learn takes one two-pass variance, pmk merges chunks), and
# a relative change r in the variances moves J_k by about r * Q_k, with
# Q_k = sum_d (x_d - mu_kd)^2 / var_kd.  So where the posterior is not
# negligible (log p > -30) the log-posteriors must agree within 1e-12 * Q,
# Q the largest Q_k of the row over those classes.
lp = g.predict_log_proba(X)
mask = lp > -30
Q = (((X[:, None, :] - g.theta_[None]) ** 2) / g.var_[None]).sum(-1)
Qrow = np.max(np.where(mask, Q, 0), axis=1, keepdims=True)
rel = np.where(mask, np.abs(lp - mine[:, 1:]) / (1e-12 * Qrow), 0)
err = float(rel.max())
print("rows differing: %d, max |log-posterior diff| / (1e-12 Q): %.3g" % (diff, err))
sys.exit(0 if diff == 0 and err <= 1 else 1)
PYEOF
echo "cli_gnb_sklearn: identical to scikit-learn on all 2000 test rows"
