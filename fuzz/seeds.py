#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into fuzz/corpus/<target>/.

The seeds are generated from sentence templates written for this script (no
article text is copied from anywhere), combined with the hostile shapes the
service meets: broken JSON, wrong types, invisible and bidi characters,
unbalanced quotation marks. Run: python3 fuzz/seeds.py
"""
import itertools
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))

SPEAKERS_AR = ["الرئيس", "وزير الخارجية سامي نور", "المتحدث باسم الوزارة", "ليلى حداد"]
CUES_AR = ["قال", "وقال", "أكد", "وأضاف", "أوضح"]
PLACES_AR = ["في بيروت", "في القاهرة", "في جنيف", ""]
QUOTES_AR = ["«سنواصل الحوار»", "إن المحادثات ستستأنف", "\"لا تعليق\"", "أن الاتفاق قريب"]

SPEAKERS_EN = ["John Carter", "the minister", "Maria Lopez, a spokeswoman,", "officials"]
CUES_EN = ["said", "told reporters", "added", "according to"]
QUOTES_EN = ['"We are hopeful."', "that talks would resume", "'no comment'", "“It is over”"]

ODD = ["\u200b", "\u200c", "\u200d", "\u200f", "\u202b", "\u202e", "\u2066", "\ufeff",
       "\u0640", "\u064e\u0651", "e\u0301", "😀", "👩\u200d💻", "\u00a0", "\r\n", "\t"]


def arabic():
    for s, c, p, q in itertools.product(SPEAKERS_AR, CUES_AR, PLACES_AR, QUOTES_AR):
        yield f"{c} {s} {p} {q}، يوم الإثنين ٥ كانون الأول ٢٠١٦.".replace("  ", " ")


def english():
    for s, c, q in itertools.product(SPEAKERS_EN, CUES_EN, QUOTES_EN):
        yield f"{s} {c} {q} on Monday, 5 December 2016, in Geneva."


def texts():
    ar, en = list(arabic()), list(english())
    yield from ar[::7]
    yield from en[::3]
    for i, odd in enumerate(ODD):
        yield ar[i].replace(" ", odd, 2)
        yield en[i].replace(" ", odd, 2)
    yield ar[0] + " " + en[0]
    yield '"' * 40
    yield "«" * 10 + "»" * 3
    yield "" 
    yield "...!!!،،،"


def articles():
    for i, t in enumerate(texts()):
        yield json.dumps({"id": f"s{i}", "title": t[:30], "text": t, "language": ["ar", "en", None][i % 3]},
                         ensure_ascii=i % 2 == 0).encode()
    yield b'{"maintext":"Body.","url":"https://x.test/a","date_publish":"2016-12-05","authors":["A"]}'
    yield b'{"text":"x","id":7,"authors":"A B"}'
    yield b'{"text":"x","title":5}'
    yield b'{"text":null,"body":"y"}'
    yield b'{"text":"   "}'
    yield b'{"text":"x","id":""}'
    yield b'{"title":"no text"}'
    yield b'[1,2,3]'
    yield b'"just a string"'
    yield b'{"text":"caf\xe9"}'
    yield b'{"text": "unterminated'
    yield b'{"text":"x","a":' + b"[" * 200 + b"]" * 200 + b"}"
    yield b'{"text":"\\ud800"}'
    yield b'\xef\xbb\xbf{"text":"bom"}'


def write(target, items):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    n = 0
    for n, data in enumerate(items, 1):
        with open(os.path.join(d, f"seed-{n:04}"), "wb") as f:
            f.write(data)
    print(f"{target}: {n} seeds in {d}")


write("decode", articles())
# extract: language byte, optional title before \x01, then the text.
write("extract", (bytes([i % 4]) + (t[:20] + "\x01" if i % 2 else "").encode() + t.encode()
                  for i, t in enumerate(texts())))
