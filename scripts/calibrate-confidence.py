#!/usr/bin/env python3
"""Measures the precision of predicted statements per confidence bucket.

usage: scripts/eval.sh            # writes target/eval/{seed,ar,en}.pred.jsonl
       python3 scripts/calibrate-confidence.py [--rust]

A bucket is (language, how the speaker was resolved, kind), all read back from
the published record, the same way `statements::resolve::bucket` reads them:
  speaker class  previous  no mention, or a pronoun: taken from the previous speaker
                 resolved  named by a short name or a title, resolved to a fuller name
                 written   the name or description as written in the phrase
  kind           quoted (direct or mixed) or indirect
A prediction is right when it matches a gold statement the way score.py pairs
them (content token F1 >= 0.5, one-to-one, best first) and its speaker is
accepted by score.py's attribution rule; gold statements whose speaker is not
a name (speaker_is_name false) count as right on content alone.

Prints precision and count per bucket; --rust prints the table for
crates/naba-extractor/src/statements/resolve.rs (buckets with fewer than 8
predictions keep a smoothed value towards the language's overall precision).
"""
import json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.environ.get("NABA_SHARED", os.path.join(HERE, "..", "..", "shared"))
sys.path.insert(0, os.path.join(SHARED, "eval"))
from score import load_gold, load_pred, tok_f1, norm, _nested  # noqa: E402

SETS = [("seed", "dev/seed.gold.json"), ("ar", "dev/ar_dev.jsonl"), ("en", "dev/en_polnear_dev.jsonl")]
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "who", "which", "هو", "هي", "هم"}


def speaker_class(sp):
    m = sp.get("mention")
    if not m or norm(m.get("text", "")) in PRONOUNS:
        return "previous"
    if norm(sp.get("name", "")) != norm(m.get("text", "")):
        return "resolved"
    return "written"


def kind_class(k):
    return "indirect" if k == "indirect" else "quoted"


def main(argv):
    out_dir = os.environ.get("NABA_EVAL_OUT", os.path.join(HERE, "..", "target", "eval"))
    stats = {}
    for name, rel in SETS:
        pred_path = os.path.join(out_dir, f"{name}.pred.jsonl")
        if not os.path.exists(pred_path):
            continue
        golds = load_gold(os.path.join(SHARED, "eval", rel))
        preds = load_pred(pred_path)
        for g in golds:
            p = preds.get(str(g["id"]), {})
            lang = p.get("language", g.get("lang", "?"))
            pst = [s for s in p.get("statements") or [] if isinstance(s, dict)]
            pairs = sorted(((tok_f1(s["content"]["text"], gs["content"]), i, j)
                            for i, gs in enumerate(g.get("statements", []))
                            for j, s in enumerate(pst)), reverse=True)
            used_g, match = set(), {}
            for f, i, j in pairs:
                if f < 0.5 or i in used_g or j in match:
                    continue
                used_g.add(i)
                match[j] = i
            for j, s in enumerate(pst):
                ok = False
                if j in match:
                    gs = g["statements"][match[j]]
                    if gs.get("speaker_is_name") is False:
                        ok = True
                    else:
                        spk = norm(s["speaker"]["name"])
                        names = {norm(gs["speaker"])} | {norm(a) for a in gs.get("speaker_aliases", [])}
                        ok = bool(spk) and (spk in names or any(_nested(spk, n) for n in names))
                key = (lang, speaker_class(s["speaker"]), kind_class(s["kind"]))
                st = stats.setdefault(key, [0, 0])
                st[0] += ok
                st[1] += 1
    overall = {}
    for (lang, _, _), (r, n) in stats.items():
        o = overall.setdefault(lang, [0, 0])
        o[0] += r
        o[1] += n
    rows = []
    for key in sorted(stats):
        r, n = stats[key]
        o = overall[key[0]]
        prior = o[0] / o[1] if o[1] else 0.5
        # Add-8 smoothing towards the language's precision.
        smoothed = (r + 8 * prior) / (n + 8)
        rows.append((key, r, n, smoothed))
    if "--rust" in argv:
        for (lang, cls, kind), r, n, sm in rows:
            print(f'    (("{lang}", "{cls}", "{kind}"), {sm:.2f}), // {r}/{n}')
        return
    for (lang, cls, kind), r, n, sm in rows:
        print(f"{lang:3} {cls:9} {kind:8} precision={r / n:.3f} n={n:4} smoothed={sm:.2f}")
    for lang, (r, n) in sorted(overall.items()):
        print(f"{lang:3} overall precision={r / n:.3f} n={n}")


if __name__ == "__main__":
    main(sys.argv[1:])
