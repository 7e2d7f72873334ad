#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# generate_models.py: writes the malformed model files of MANIFEST.models (the
# range and kind rules of the gnb and RBM model files, doc/formats.md).  The
# files are committed; this script records how each was made.  Run it from
# tests/bad; it edits the valid models ok.gnb and ok.rbm already there.
import gzip

def put(name, data):
    if isinstance(data, str):
        data = data.encode('latin-1')
    with open(name, 'wb') as f:
        f.write(data)

def edit(src, name, old, new, count=1):
    text = open(src, 'rb').read().decode('latin-1')
    assert text.count(old) >= 1, (name, old)
    put(name, text.replace(old, new, count))

gnb = open('ok.gnb', 'rb').read().decode('latin-1')
rbm = open('ok.rbm', 'rb').read().decode('latin-1')

# ---------------------------------------------------------------- gnb header
def g(name, old, new):
    edit('ok.gnb', 'model-gnb-' + name + '.gnb', old, new)

g('scale-huge', 'scale 0.0039215686274509803', 'scale 1e308')
g('scale-zero', 'scale 0.0039215686274509803', 'scale 0')
g('scale-neg', 'scale 0.0039215686274509803', 'scale -0.5')
g('scale-hex', 'scale 0.0039215686274509803', 'scale 0x1p-8')
g('scale-junk', 'scale 0.0039215686274509803', 'scale 0.5x')
g('scale-inf', 'scale 0.0039215686274509803', 'scale inf')
g('scale-two', 'scale 0.0039215686274509803', 'scale 1 2')
g('smoothing-nan', 'var_smoothing 1.0000000000000001e-09', 'var_smoothing nan')
g('smoothing-neg', 'var_smoothing 1.0000000000000001e-09', 'var_smoothing -1e-9')
g('floor-neg', 'var_floor 0', 'var_floor -1')
g('floor-overflow', 'var_floor 0', 'var_floor 1e999')
g('rows-frac', 'rows 5', 'rows 5.5')
g('rows-zero', 'rows 5', 'rows 0')
g('rows-comma', 'rows 5', 'rows 5,0')
g('version-junk', 'pmk-gnb 1', 'pmk-gnb 1x')
g('version-zero', 'pmk-gnb 1', 'pmk-gnb 0')
g('features-zero', 'features 2', 'features 0')
g('features-neg', 'features 2', 'features -2')
g('features-plus', 'features 2', 'features +2')
g('features-disagree', 'features 2', 'features 3')
g('classes-disagree', 'classes 2', 'classes 3')
g('label-junk', 'labels 3 7', 'labels 3 7x')
g('label-huge', 'labels 3 7', 'labels 3 99999999999999999999')
g('prior-zero', 'priors empirical', 'priors explicit\nprior_list 0 1')
g('prior-big', 'priors empirical', 'priors explicit\nprior_list 1.5 -0.5')
g('prior-short', 'priors empirical', 'priors explicit\nprior_list 1')
g('prior-long', 'priors empirical', 'priors explicit\nprior_list 0.5 0.25 0.25')
g('prior-nan', 'priors empirical', 'priors explicit\nprior_list nan 0.5')
g('missing-scale', 'scale 0.0039215686274509803\n', '')
# ---------------------------------------------------------------- gnb data
g('count-hex', 'class 3 3', 'class 3 0x3')
g('count-extra', 'class 7 2', 'class 7 2 3')
g('count-zero', 'class 7 2', 'class 7 0')
g('mean-huge', 'mean 0.019607843137254902', 'mean 1e200')
g('mean-overflow', 'mean 0.019607843137254902', 'mean 1e999')
g('mean-inf', 'mean 0.019607843137254902', 'mean -inf')
g('mean-junk', 'mean 0.019607843137254902', 'mean 0.0196_1')
g('m2-huge', 'm2 3.0757400999615529e-05 0', 'm2 1e301 0')
g('m2-nan', 'm2 3.0757400999615529e-05 0', 'm2 3.0757400999615529e-05 NaN')
# Every field within its rule, but means near 1e149 over variances near 1e-300
# (per class, no smoothing) overflow the prediction coefficients.
edit('ok.gnb', 'model-gnb-overflow.gnb', 'variance shared', 'variance class')
text = open('model-gnb-overflow.gnb').read()
text = text.replace('var_smoothing 1.0000000000000001e-09', 'var_smoothing 0')
text = text.replace('mean 0.019607843137254902 0.0039215686274509803', 'mean 1e149 1e-3')
text = text.replace('m2 3.0757400999615529e-05 0', 'm2 1e-300 1e-300')
text = text.replace('m2 3.0757400999615529e-05 9.2272202998846587e-05', 'm2 3e-300 3e-300')
put('model-gnb-overflow.gnb', text)
# A header claiming 30,000,000 features in a tiny file: refused by the file's
# size (plain), and, gzipped (no size known), at the first short row, with
# nothing of the claimed size allocated before.
edit('ok.gnb', 'model-gnb-claim.gnb', 'features 2', 'features 30000000')
put('model-gnb-claim.gnb.gz', gzip.compress(open('model-gnb-claim.gnb', 'rb').read(), mtime=0))
# CRLF line ends read as LF ones.
put('model-gnb-crlf.gnb', gnb.replace('\n', '\r\n'))

# ---------------------------------------------------------------- rbm
def r(name, old, new):
    edit('ok.rbm', 'model-rbm-' + name + '.rbm', old, new)

r('weight-huge', '-0.0049063037149608135 -0.015447432175278664', '1e39 -0.015447432175278664')
r('weight-edge', '-0.0049063037149608135 -0.015447432175278664', '-0.0049063037149608135 -1.5e25')
r('weight-overflow', '4.0550553421780933e-06 0.00087198487017303705',
  '4.0550553421780933e-06 1e999')
r('weight-junk', '-0.0049063037149608135 -0.015447432175278664', '0.5abc -0.015447432175278664')
r('bias-hex', '-4.2746543884277344 -5.313206672668457', '0x1p3 -5.313206672668457')
r('bias-inf', '-2.9802322387695312e-08 -1.0430812835693359e-07\nW',
  '-2.9802322387695312e-08 inf\nW')
r('bias-big', '-4.2746543884277344 -5.313206672668457', '-4.2746543884277344 2e25')
r('dw-huge', '1.2932870959048159e-05 1.3130730621924158e-05', '1e30 1.3130730621924158e-05')
r('momentum-two', 'momentum 1', 'momentum 2')
r('epochs-frac', 'epochs 1', 'epochs 1.5')
r('visible-neg', 'visible 2', 'visible -2')
r('visible-disagree', 'visible 2', 'visible 3')
r('version-junk', 'pmk-rbm 1', 'pmk-rbm 1x')
r('chain-half', 'chains 0', 'chains 1\n0.5 1')
r('chain-two', 'chains 0', 'chains 2\n0 1\n2 0')
r('chain-short', 'chains 0', 'chains 2\n0 1')
edit('ok.rbm', 'model-rbm-claim.rbm', 'visible 2\nhidden 2', 'visible 2000\nhidden 2000')
put('model-rbm-claim.rbm.gz', gzip.compress(open('model-rbm-claim.rbm', 'rb').read(), mtime=0))
put('model-rbm-crlf.rbm', rbm.replace('\n', '\r\n'))

# ---------------------------------------------------------------- blank-line bombs
# A few blank lines are allowed (in the gnb header, after 'end'); thousands are
# refused, so that a gzip of gigabytes of newlines cannot keep pmk busy.
put('model-gnb-blank-header.gnb', gnb.replace('scale ', '\n' * 1001 + 'scale ', 1))
put('model-gnb-blank-tail.gnb.gz', gzip.compress((gnb + '\n' * 100000).encode(), mtime=0))
put('model-rbm-blank-tail.rbm', rbm + '\n' * 1001)
put('model-rbm-blank-ok.rbm', rbm + ' \n\t\n\r\n' + '\n' * 997)
