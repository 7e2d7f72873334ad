#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# generate_readers.py: the bad-input files of MANIFEST.readers (CSV first-row
# detection, gzip trailing bytes and bombs, gnb overflow).  The files are
# committed; this script records how each was made.  Run it from tests/bad.
import gzip, struct, zlib

def put(name, data):
    if isinstance(data, str):
        data = data.encode('utf-8')
    with open(name, 'wb') as f:
        f.write(data)

def gz(data):
    # mtime 0 so the bytes do not depend on the day
    return gzip.compress(data.encode() if isinstance(data, str) else data, 9, mtime=0)

rows = '7,5,1\n3,2,2\n7,3,1\n'
# ---------------------------------------------------------------- row 1
put('rd-row1-typo.csv', '3,1O,1\n' + rows)
put('rd-row1-nul.csv', b'3,\x00,1\n' + rows.encode())
put('rd-row1-hex.csv', '0x10,0x11,0x12\n' + rows)
put('rd-row1-underscore.csv', '1_000,2_0,3_0\n' + rows)
put('rd-row1-unicode.csv', '\u0663,\u0664,\u0665\n' + rows)
put('rd-row1-fullwidth.csv', '\uff13,\uff14,\uff15\n' + rows)
put('rd-row1-nanparen.csv', 'nan(1),nan(2),nan(3)\n' + rows)
put('rd-row1-inf.csv', 'inf,Infinity,NAN\n' + rows)
put('rd-row1-empty-name.csv', 'label,,b\n' + rows)
put('rd-row1-control.csv', 'label,a\x01,b\n' + rows)
put('rd-row1-dotname.csv', 'label,.5x,b\n' + rows)
put('rd-header-ok.csv', 'label,pixel0,"p, 1"\n' + rows)
# ---------------------------------------------------------------- gzip
put('rd-gz-concat.csv.gz', gz('7,5,1\n3,2,2\n') + gz('7,3,1\n'))
put('rd-gz-trailing.csv.gz', gz(rows) + b'junk\n')
put('rd-gz-zeros.csv.gz', gz(rows) + bytes(8))
put('rd-gz-bomb.csv.gz', gz(rows + '\n' * (64 << 20)))
put('rd-gz-bomb-line.csv.gz', gz('1,' + '2' * (64 << 20) + '\n'))
put('rd-gz-bomb.idx.gz', gz(b'\x00\x00\x08\x01' + struct.pack('>I', 64 << 20) + bytes(64 << 20)))
# ---------------------------------------------------------------- gnb
put('rd-overflow.csv', '0,1e200,1\n0,-1e200,2\n1,3e200,1\n1,2e200,5\n')
