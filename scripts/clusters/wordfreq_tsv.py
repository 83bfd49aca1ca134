#!/usr/bin/env python3
"""Writes a wordfreq word list (msgpack, gzip) as `word<TAB>frequency` lines.

usage: wordfreq_tsv.py large_ar.msgpack.gz OUT.tsv

wordfreq stores a list as [header, bucket_0, bucket_1, ...]: the words of
bucket i have a frequency of 10 ** (-i / 100) per word of text. This reads
only the msgpack types such a file uses (maps, arrays, strings, small ints),
so that the script needs nothing beyond the standard library.
"""
import gzip
import struct
import sys


def unpack(b, i):
    t = b[i]
    if t <= 0x7F:
        return t, i + 1
    if 0x80 <= t <= 0x8F:
        d = {}
        i += 1
        for _ in range(t & 0x0F):
            k, i = unpack(b, i)
            d[k], i = unpack(b, i)
        return d, i
    if 0x90 <= t <= 0x9F:
        return array(b, i + 1, t & 0x0F)
    if 0xA0 <= t <= 0xBF:
        n = t & 0x1F
        return b[i + 1:i + 1 + n].decode(), i + 1 + n
    if t in (0xD9, 0xDA, 0xDB):
        w = {0xD9: 1, 0xDA: 2, 0xDB: 4}[t]
        n = int.from_bytes(b[i + 1:i + 1 + w], "big")
        return b[i + 1 + w:i + 1 + w + n].decode(), i + 1 + w + n
    if t in (0xDC, 0xDD):
        w = 2 if t == 0xDC else 4
        return array(b, i + 1 + w, int.from_bytes(b[i + 1:i + 1 + w], "big"))
    if t == 0xCC:
        return b[i + 1], i + 2
    if t == 0xCD:
        return struct.unpack(">H", b[i + 1:i + 3])[0], i + 3
    raise ValueError(f"msgpack type {t:#x} at byte {i} is not one wordfreq uses")


def array(b, i, n):
    out = []
    for _ in range(n):
        v, i = unpack(b, i)
        out.append(v)
    return out, i


def main(src, dst):
    data, _ = unpack(gzip.open(src).read(), 0)
    header, buckets = data[0], data[1:]
    if header.get("format") != "cB":
        sys.exit(f"{src}: unknown wordfreq format {header!r}")
    with open(dst, "w", encoding="utf-8") as out:
        for i, words in enumerate(buckets):
            for w in words:
                if "\t" not in w and "\n" not in w:
                    out.write(f"{w}\t{10 ** (-i / 100):.6e}\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
