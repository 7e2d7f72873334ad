#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# cli_gnb_sklearn.sh: `--variance class` is scikit-learn's GaussianNB: on the
# 8,000/2,000 MNIST split (pixels/255, eps 1e-9) pmk predicts the same label as
# GaussianNB().fit(X/255, y) on every test row, and the test accuracy is
# data/README's 0.6265; `gnb eval`'s report is sklearn.metrics'.  Skipped (77) without /usr/bin/python3 + scikit-learn.
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

# The report of `gnb eval` is sklearn.metrics': its table byte for byte
# classification_report(digits=4) of the same predictions, the JSON's
# per-class and averaged precision, recall and F1 precision_recall_fscore_support's
# (to 1e-15: the order of a sum), support its support, log-loss the mean of
# -log p(true | x) of `predict --log-proba` (1e-12 relative: 2000 terms summed
# in another order), and on the tiny set, whose posteriors are far from 0 and 1
# (no clipping), sklearn.metrics.log_loss of `predict --proba`.
expect_ok "$PMK" gnb eval "$T/c.gnb" "$DATA/mnist-test.csv.gz"
cp "$T/out" "$T/eval.txt"
expect_ok "$PMK" gnb eval --json "$T/c.gnb" "$DATA/mnist-test.csv.gz"
cp "$T/out" "$T/eval.json"
expect_ok "$PMK" gnb fit -q --scale 1 --var-smoothing 0.25 "$FIX/gnb-tiny-train.csv" -o "$T/t.gnb"
expect_ok "$PMK" gnb eval --json "$T/t.gnb" "$FIX/gnb-tiny-test.csv"
cp "$T/out" "$T/tiny.json"
expect_ok "$PMK" gnb predict --proba "$T/t.gnb" "$FIX/gnb-tiny-test.csv" -o "$T/tp.csv"
"$PY" - "$DATA/mnist-test.csv.gz" "$T/p.csv" "$T/eval.txt" "$T/eval.json" \
    "$FIX/gnb-tiny-test.csv" "$T/tp.csv" "$T/tiny.json" <<'PYEOF' || fail "pmk's report and sklearn.metrics disagree"
import json, sys
import numpy as np
from sklearn import metrics
y = np.loadtxt(sys.argv[1], delimiter=",", usecols=0).astype(int)
mine = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1)
pred = mine[:, 0].astype(int)
text = open(sys.argv[3]).read()
table = metrics.classification_report(y, pred, digits=4)
ok = table in text
js = json.load(open(sys.argv[4]))
p, r, f, s = metrics.precision_recall_fscore_support(y, pred)
close = lambda a, b: np.allclose(a, b, rtol=1e-15, atol=0)
ok &= close(js["precision"], p) and close(js["recall"], r) and close(js["f1"], f)
ok &= js["support"] == s.tolist()
for avg in ("macro", "weighted"):
    p, r, f, _ = metrics.precision_recall_fscore_support(y, pred, average=avg)
    ok &= close([js[avg + "_precision"], js[avg + "_recall"], js[avg + "_f1"]], [p, r, f])
lp = mine[np.arange(len(y)), 1 + y]
ok &= np.isclose(js["log_loss"], -lp.mean(), rtol=1e-12, atol=0)
ty = np.loadtxt(sys.argv[5], delimiter=",", usecols=0).astype(int)
tp = np.loadtxt(sys.argv[6], delimiter=",", skiprows=1)[:, 1:]
tl = metrics.log_loss(ty, tp, labels=[3, 7])
ok &= np.isclose(json.load(open(sys.argv[7]))["log_loss"], tl, rtol=1e-14, atol=0)
print("table %s, log-loss %.17g (sklearn %.17g)" % ("identical" if table in text else "differs", js["log_loss"], -lp.mean()))
sys.exit(0 if ok else 1)
PYEOF
echo "cli_gnb_sklearn: identical to scikit-learn on all 2000 test rows; the report is sklearn.metrics'"
