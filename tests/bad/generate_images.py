#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The pmk developers
"""Makes the image, ising and rbm cases of tests/bad/MANIFEST.images.

Run from anywhere: the files are written beside this script.  Each is tiny
(the largest, the zTXt and iCCP bombs, are a few kB that inflate to 8 MiB);
what each one is for is said where it is made.  Deterministic: running it
again gives the same bytes.
"""
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SIG = b"\x89PNG\r\n\x1a\n"


def put(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def chunk(ctype, data, length=None, crc=None):
    """A PNG chunk; length and crc may be forced to lie."""
    n = len(data) if length is None else length
    c = zlib.crc32(ctype + data) & 0xFFFFFFFF if crc is None else crc
    return struct.pack(">I", n) + ctype + data + struct.pack(">I", c)


def ihdr(w, h, depth=8, ctype=0, interlace=0):
    return chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, depth, ctype, 0, 0, interlace))


def idat(raw):
    return chunk(b"IDAT", zlib.compress(raw, 9))


IEND = chunk(b"IEND", b"")

# A good 4 x 2 8-bit grey image (rows: filter byte 0, then 4 samples).
GOOD_RAW = b"\0" + bytes([0, 255, 0, 255]) + b"\0" + bytes([255, 0, 255, 0])
GOOD = SIG + ihdr(4, 2) + idat(GOOD_RAW) + IEND

# --- PNG: sizes claimed by IHDR -------------------------------------------
# 2147483647 x 1 8-bit grey: 2 GB of row data claimed by a 57-byte file
# (libpng allocated two such rows before pmk looked at the size).
put("png-wide.png", SIG + ihdr(2147483647, 1) + idat(b"\0" * 8) + IEND)
# The same at 16-bit RGBA (8 bytes a pixel: 16 GiB claimed).
put("png-wide-rgba16.png", SIG + ihdr(2147483647, 1, 16, 6) + idat(b"\0" * 8) + IEND)
# Interlaced 8-bit grey, 100000 x 100000: libpng would hold the whole image.
put("png-interlaced-huge.png", SIG + ihdr(100000, 100000, 8, 0, 1) + idat(b"\0" * 8) + IEND)
# 1-bit, 65536 x 65536 in a file whose IDAT is far too small (512 MiB of
# bits; the file size is known, so refused from IHDR).
put("png-1bit-huge.png", SIG + ihdr(65536, 65536, 1, 0) + idat(b"\0" * 64) + IEND)

# --- PNG: chunk lengths ------------------------------------------------------
# A tEXt chunk whose length field is 2^31-1, in 44 bytes.
put("png-text-huge.png", SIG + ihdr(4, 2) + struct.pack(">I", 0x7FFFFFFF) + b"tEXt" + b"abc")
# A length of 2^32-1: beyond the PNG limit of 2^31-1.
put("png-len-2e32.png", SIG + ihdr(4, 2) + struct.pack(">I", 0xFFFFFFFF) + b"zTXt" + b"abc")
# An unknown ancillary chunk and an iCCP chunk claiming 2^31-1 bytes.
put("png-unknown-huge.png", SIG + ihdr(4, 2) + struct.pack(">I", 0x7FFFFFFF) + b"quUx" + b"\0" * 16)
put("png-iccp-huge.png", SIG + ihdr(4, 2) + struct.pack(">I", 0x7FFFFFF0) + b"iCCP" + b"x\0")
# A chunk type that is not four letters.
put("png-bad-type.png", SIG + ihdr(4, 2) + chunk(b"\x00\x01ab", b"") + idat(GOOD_RAW) + IEND)

# --- PNG: decompression bombs in ancillary chunks (skipped unread: exit 0) --
bomb = zlib.compress(b"\0" * (8 << 20), 9)
put("png-ztxt-bomb.png", SIG + ihdr(4, 2) + chunk(b"zTXt", b"k\0\0" + bomb) + idat(GOOD_RAW) + IEND)
put("png-iccp-bomb.png", SIG + ihdr(4, 2) + chunk(b"iCCP", b"p\0\0" + bomb) + idat(GOOD_RAW) + IEND)
put("png-itxt-bomb.png",
    SIG + ihdr(4, 2) + chunk(b"iTXt", b"k\0\1\0\0\0" + bomb) + idat(GOOD_RAW) + IEND)
# 2000 small tEXt chunks (libpng caches text chunks; pmk skips them).
put("png-many-text.png",
    SIG + ihdr(4, 2) + b"".join(chunk(b"tEXt", b"k\0v") for _ in range(2000)) + idat(GOOD_RAW) + IEND)

# --- PNG: trailing data, warnings -------------------------------------------
put("png-trailing.png", GOOD + b"junk")
put("png-two-images.png", GOOD + GOOD)
# An ancillary chunk with a bad CRC: libpng warns; pmk refuses.
put("png-text-crc.png", SIG + ihdr(4, 2) + chunk(b"tEXt", b"k\0v", crc=0) + idat(GOOD_RAW) + IEND)
# A palette of 2 entries and a pixel of index 5.
pal = chunk(b"PLTE", bytes([0, 0, 0, 255, 255, 255]))
put("png-palette-index.png",
    SIG + ihdr(4, 2, 8, 3) + pal + idat(b"\0" + bytes([0, 1, 5, 1]) + b"\0" + bytes([1, 0, 1, 0])) + IEND)
# More image data than the image needs (a third row).
put("png-extra-data.png", SIG + ihdr(4, 2) + idat(GOOD_RAW + b"\0" + bytes(4)) + IEND)
# A PLTE chunk in a grey image.
put("png-plte-grey.png", SIG + ihdr(4, 2) + pal + idat(GOOD_RAW) + IEND)

# --- PBM / PGM: trailing data ----------------------------------------------
put("pbm-trailing.pbm", b"P4\n8 2\n\x01\x02junk")
put("pgm-two-images.pgm", b"P5\n2 1\n255\nabP5\n2 1\n255\nab")
put("pbm-plain-extra.pbm", b"P1\n2 2\n0 1\n1 0\n1\n")
put("pgm-plain-trailing.pgm", b"P2\n2 1\n9\n1 2\n# end\nx\n")
# Accepted: blanks and a comment after a plain raster, blanks after a raw one.
put("pbm-trailing-blanks.pbm", b"P4\n8 2\n\x01\x02\n \n\t\n")
put("pgm-plain-comment-end.pgm", b"P2\n2 1\n9\n1 2\n# end\n\n")

# --- ising / rbm parameters (a good image and small data to run on) --------
put("ising-ok.pbm", b"P1\n4 2\n0 1 0 1\n1 0 1 0\n")
put("rbm-data.csv", b"a,b,c,d,label\n0,1,0,1,0\n1,0,1,0,1\n1,1,0,0,0\n0,0,1,1,1\n")

# --- PNG: chunk order and padding ------------------------------------------
# An ancillary chunk before IHDR.
put("png-text-first.png", SIG + chunk(b"tEXt", b"k\0v") + ihdr(4, 2) + idat(GOOD_RAW) + IEND)
# 2 MiB of empty deflate blocks in IDAT before the real data: legal deflate,
# but no encoder needs more than twice the image data, and holding it would
# only cost memory.  Gzipped (pmk reads gzip by magic), so the file is small.
z = zlib.compressobj(9, zlib.DEFLATED, -15)
body = z.compress(GOOD_RAW) + z.flush()
padded = b"\x78\x01" + b"\x00\x00\x00\xff\xff" * 420000 + body + struct.pack(">I", zlib.adler32(GOOD_RAW))
import gzip
import io
buf = io.BytesIO()
with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as g:
    g.write(SIG + ihdr(4, 2) + chunk(b"IDAT", padded) + IEND)
put("png-idat-padding.png.gz", buf.getvalue())
# Offsets in messages count every byte of the file, dropped ancillary chunks
# included: the trailing byte is at offset 88, the bad length at 52.
put("png-text-trailing.png", SIG + ihdr(4, 2) + chunk(b"tEXt", b"k\0value") + idat(GOOD_RAW) + IEND + b"x")
put("png-text-len.png", SIG + ihdr(4, 2) + chunk(b"tEXt", b"k\0value") + struct.pack(">I", 0xFFFFFFFF) + b"zTXt")
