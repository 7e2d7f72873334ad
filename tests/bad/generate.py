#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
# generate.py: writes the malformed inputs of the bad-input suite (tests/bad/).
# The files are committed; this script records how each was made.  Run it from
# tests/bad with Debian's /usr/bin/python3; it needs a valid gnb model (ok.gnb,
# from `pmk gnb fit ../data/gnb-tiny-train.csv -o ok.gnb`) already present.
import gzip, struct, zlib

def put(name, data):
    if isinstance(data, str):
        data = data.encode('latin-1')
    with open(name, 'wb') as f:
        f.write(data)

# ---------------------------------------------------------------- CSV
put('csv-empty.csv', b'')
put('csv-blank-lines.csv', '\n\n\r\n')
put('csv-bom-only.csv', b'\xef\xbb\xbf')
put('csv-ragged-short.csv', '1,2,3\n4,5\n')
put('csv-ragged-long.csv', '1,2,3\n4,5,6,7\n')
put('csv-truncated.csv', '1,2,3\n4,5,6\n7,8')
put('csv-garbage.csv', bytes([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0x0a, 0xff, 0xfe, 0x2c, 0x80]))
put('csv-nul.csv', b'1,2,3\n4,\x005,6\n')
put('csv-utf16.csv', '1,2,3\n4,5,6\n'.encode('utf-16'))
put('csv-bom.csv', b'\xef\xbb\xbf' + b'1,2,3\n4,5,6\n')
put('csv-crlf.csv', '1,2,3\r\n4,5,6\r\n')
put('csv-quoted.csv', '"label","x, 1","say ""hi"""\n"1",2,"3"\n4, 5 ,6\n')
put('csv-cr-only.csv', '1,2,3\r4,5,6\r')
put('csv-header-only.csv', 'label,a,b\n')
put('csv-header-only-crlf.csv', b'\xef\xbb\xbflabel,a,b\r\n\r\n')
put('csv-quote-open.csv', '1,"2,3\n4,5,6\n')
put('csv-quote-text.csv', '1,2,3\n4,"5"x,6\n')
put('csv-quoted-comma.csv', '1,2,3\n4,"5,5",6\n')
put('csv-nan.csv', '1,2,3\n4,NaN,6\n')
put('csv-inf.csv', '1,2,3\n4,5,-Infinity\n')
put('csv-hex.csv', '1,2,3\n4,0x10,6\n')
put('csv-huge-value.csv', '1,2,3\n4,1e999,6\n')
put('csv-label-float.csv', '1,2,3\n4.5,5,6\n')
put('csv-label-huge.csv', '1,2,3\n99999999999999999999,5,6\n')
put('csv-value-256.csv', '1,2,3\n4,5,256\n')
put('csv-value-negative.csv', '1,-2,3\n')
put('csv-value-fraction.csv', '1,2,3\n4,5,6.5\n')
put('csv-empty-field.csv', '1,2,3\n4,,6\n')
put('csv-blank-middle.csv', '1,2,3\n\n4,5,6\n')
put('csv-semicolon.csv', '1;2;3\n4;5;6\n')
put('csv-tab.csv', '1\t2\t3\n')
put('csv-long-line.csv', '1,2,3\n4,5,6,7,8,9,10,11\n')
put('csv-label-only.csv', '1\n2\n')
put('csv-truncated.csv.gz', gzip.compress(b'1,2,3\n4,5,6\n' * 40, mtime=0)[:20])
g = bytearray(gzip.compress(b'1,2,3\n4,5,6\n', mtime=0))
g[-8] ^= 0xff  # the CRC32 of the trailer
put('csv-bad-crc.csv.gz', bytes(g))
put('csv-one-class.csv', '3,1,2\n3,2,2\n')

# ---------------------------------------------------------------- IDX
def idx(code, dims, body):
    return bytes([0, 0, code, len(dims)]) + b''.join(struct.pack('>I', d) for d in dims) + body

put('idx-empty.idx', b'')
put('idx-magic.idx', bytes([0, 0, 8]))              # header cut inside the magic
put('idx-bad-type.idx', idx(0x0a, [2, 2], bytes(4)))
put('idx-rank0.idx', bytes([0, 0, 8, 0]))
put('idx-rank9.idx', bytes([0, 0, 8, 9]) + struct.pack('>I', 1) * 9 + b'\0')
put('idx-dims-cut.idx', bytes([0, 0, 8, 3]) + struct.pack('>I', 2) + b'\0\0')
put('idx-dim-zero.idx', idx(8, [0, 2, 2], b''))
put('idx-short-body.idx3-ubyte', idx(8, [3, 2, 2], bytes(10)))
put('idx-wrong-count.idx3-ubyte', idx(8, [5, 2, 2], bytes(12)))
put('idx-huge.idx3-ubyte', idx(8, [0xffffffff, 0xffffffff, 0xffffffff], bytes(8)))
put('idx-images.idx3-ubyte', idx(8, [3, 2, 2], bytes(range(12))))
put('idx-labels2.idx1-ubyte', idx(8, [2], bytes([1, 2])))
put('idx-labels-rank2.idx2-ubyte', idx(8, [3, 1], bytes([1, 2, 3])))
put('idx-labels-f64.idx1', idx(0x0e, [3], struct.pack('>3d', 1, 2.5, 3)))
put('idx-f64-nan.idx', idx(0x0e, [1, 2], struct.pack('>2d', 1, float('nan'))))
put('idx-truncated.idx.gz', gzip.compress(idx(8, [3, 2, 2], bytes(range(12))) * 8, mtime=0)[:30])

# ---------------------------------------------------------------- PBM / PGM
put('img-empty.pbm', b'')
put('img-unknown.pbm', b'XY 1 1\n')
put('img-ppm.pgm', b'P6\n1 1\n255\n\0\0\0')
put('pgm-maxval-0.pgm', b'P5\n2 2\n0\n\0\0\0\0')
put('pgm-maxval-big.pgm', b'P2\n2 1\n70000\n1 2\n')
put('pbm-width-0.pbm', b'P4\n0 5\n')
put('pbm-width-2e40.pbm', b'P4\n1099511627776 1\n\0')
put('pbm-width-2e31.pbm', b'P1\n2147483648 1\n0')
put('pgm-huge.pgm', b'P5\n100000 100000\n255\n' + b'\0' * 19)   # 40 bytes
put('pgm-overflow.pgm', b'P5\n2147483647 2147483647\n65535\n\0')
put('pgm-header-cut.pgm', b'P5\n3 3\n')
put('pgm-bad-height.pgm', b'P2\n3 x\n255\n')
put('pbm-glued.pbm', b'P1\n3x 3\n')
put('pbm-comments.pbm', b'P1#c1\n#c2\n3#c3\n 2 #c4\n0 1#c5\n0\n1 1 0\n')
put('pgm-comments.pgm', b'P5 #magic\n2#w\n2#h\n255#end\n\0\x80\xff\x10')
put('pbm-short.pbm', b'P4\n16 4\n' + b'\0' * 6)
put('pbm-lying.pbm', b'P4\n64 64\n' + b'\0' * 9)
put('pgm-short.pgm', b'P5\n3 3\n255\n' + b'\0' * 6)
put('pbm-plain-short.pbm', b'P1\n3 3\n0 1 0\n1 1\n')
put('pbm-bad-char.pbm', b'P1\n2 2\n0 1\n1 2\n')
put('pgm-plain-over.pgm', b'P2\n2 2\n10\n1 2\n3 11\n')
put('pgm-raw-over.pgm', b'P5\n2 1\n1000\n\x00\x01\x03\xe9')
put('pgm-plain-junk.pgm', b'P2\n2 2\n10\n1 2\n3 x\n')

# ---------------------------------------------------------------- PNG
def chunk(tag, data):
    return struct.pack('>I', len(data)) + tag + data + struct.pack('>I', zlib.crc32(tag + data))

def png(w, h, depth, ctype, raw, extra=b''):
    ihdr = struct.pack('>IIBBBBB', w, h, depth, ctype, 0, 0, 0)
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + extra +
            chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))

g8 = png(4, 2, 8, 0, b'\0\x00\x40\x80\xff\0\xff\x80\x40\x00')
put('png-truncated.png', g8[:45])
b = bytearray(g8)
b[-13] ^= 1                 # last byte of the IDAT CRC
put('png-bad-crc.png', bytes(b))
put('png-16bit.png', png(2, 2, 16, 0, b'\0\x00\x00\xff\xff\0\x80\x00\x12\x34'))
put('png-palette.png', png(2, 1, 8, 3, b'\0\x00\x01', chunk(b'PLTE', b'\0\0\0\xff\xff\xff')))
put('png-huge.png', png(100000, 100000, 8, 0, b'\0' * 16)[:33 + 12] + chunk(b'IEND', b''))
put('png-no-idat.png', b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 2, 2, 8, 0, 0, 0, 0)) + chunk(b'IEND', b''))
put('png-signature-only.png', b'\x89PNG\r\n\x1a\n')
put('png-bad-depth.png', png(2, 2, 7, 0, b'\0\0\0\0\0\0'))

# ---------------------------------------------------------------- gnb model files
ok = open('ok.gnb', 'rb').read()
lines = ok.split(b'\n')
def edit(name, old, new):
    assert old in ok, old
    put(name, ok.replace(old, new, 1))
put('gnb-empty.gnb', b'')
put('gnb-text.gnb', b'hello world\n')
put('gnb-garbage.gnb', bytes(range(256)))
put('gnb-rbm-kind.gnb', b'pmk-rbm 1\nvisible 2\n')
edit('gnb-future.gnb', b'pmk-gnb 1', b'pmk-gnb 9')
put('gnb-truncated.gnb', b'\n'.join(lines[:14]) + b'\n')
put('gnb-no-eol.gnb', ok[:ok.index(b'm2 3.07') + 10])
put('gnb-header-only.gnb', b'\n'.join(lines[:10]) + b'\n')
edit('gnb-nan.gnb', b'mean 0.019607843137254902', b'mean nan')
edit('gnb-zz.gnb', b'mean 0.019607843137254902', b'mean zz')
edit('gnb-short-mean.gnb', b'mean 0.019607843137254902 0.0039215686274509803', b'mean 0.019607843137254902')
edit('gnb-neg-m2.gnb', b'm2 3.0757400999615529e-05 0', b'm2 3.0757400999615529e-05 -6')
edit('gnb-labels-order.gnb', b'labels 3 7', b'labels 7 3')
edit('gnb-rows.gnb', b'rows 5', b'rows 6')
edit('gnb-dup-key.gnb', b'classes 2\n', b'classes 2\nfeatures 2\n')
edit('gnb-unknown-key.gnb', b'var_floor 0\n', b'var_floor 0\ncolour blue\n')
edit('gnb-missing-key.gnb', b'rows 5\n', b'')
edit('gnb-after-end.gnb', b'end\n', b'end\nmore\n')
edit('gnb-priors.gnb', b'priors empirical', b'priors explicit\nprior_list 0.5 0.6')
edit('gnb-variance.gnb', b'variance shared', b'variance wide')
edit('gnb-features-huge.gnb', b'features 2', b'features 100000000')
edit('gnb-classes-huge.gnb', b'classes 2', b'classes 99999999999999999999')
edit('gnb-count.gnb', b'class 3 3', b'class 3 2.5')
edit('gnb-class-label.gnb', b'class 7 2', b'class 8 2')
put('gnb-truncated.gnb.gz', gzip.compress(ok, mtime=0)[:60])

# ---------------------------------------------------------------- rbm model files
# ok.rbm: `pmk rbm train -q --hidden 2 --epochs 1 --seed 1 --holdout 0 ok.csv -o ok.rbm`
ok = open('ok.rbm', 'rb').read()
lines = ok.split(b'\n')
def redit(name, old, new):
    assert old in ok, old
    put(name, ok.replace(old, new, 1))
put('rbm-empty.rbm', b'')
put('rbm-garbage.rbm', bytes(range(255, -1, -1)))
put('rbm-gnb-kind.rbm', open('ok.gnb', 'rb').read())
redit('rbm-future.rbm', b'pmk-rbm 1', b'pmk-rbm 9')
put('rbm-truncated.rbm', b'\n'.join(lines[:9]) + b'\n')
put('rbm-no-eol.rbm', ok[:ok.index(b'\nmomentum')])
redit('rbm-zero-hidden.rbm', b'hidden 2', b'hidden 0')
redit('rbm-huge.rbm', b'visible 2\nhidden 2', b'visible 100000\nhidden 100000')
redit('rbm-big.rbm', b'visible 2\nhidden 2', b'visible 30000\nhidden 30000')
redit('rbm-comma.rbm', b'\n-0.0049063037149608135', b'\n-0,0049063037149608135')
redit('rbm-nan.rbm', b'-4.2746543884277344', b'nan')
redit('rbm-short-row.rbm', b'-4.2746543884277344 -5.313206672668457', b'-4.2746543884277344')
redit('rbm-long-row.rbm', b'-4.2746543884277344 -5.313206672668457', b'-4.2746543884277344 -5.313206672668457 1')
redit('rbm-misspelt.rbm', b'hidden 2', b'hiden 2')
redit('rbm-after-end.rbm', b'end\n', b'end\nmore\n')
redit('rbm-chains.rbm', b'chains 0', b'chains 2\n0 1')
put('rbm-truncated.rbm.gz', gzip.compress(ok, mtime=0)[:50])
# rbm-chains-huge.rbm is not made here: fuzz_rbm found it (a mutated ok.rbm whose
# chains line claims 175278664 chains); it is kept byte for byte.
