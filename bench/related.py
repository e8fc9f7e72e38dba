#!/usr/bin/env python3
"""Precision of tealeaf's relations (translations, reprints), by hand.

  bench/related.py sample DATA_DIR OUT.tsv [--translations N] [--seed S]
      draws N translation pairs (seeded) and every reprint pair from the
      archive in DATA_DIR into OUT.tsv, with an empty `verdict` column, and
      prints each pair's titles and openings for a person to judge;
  bench/related.py score JUDGED.tsv
      reports precision from the verdicts (y: right, n: wrong), overall
      and by confidence band.

A translation pair is right when the two articles tell the same story (one
translates the other, in full or shortened). A reprint pair is right when
one text is the other printed again (a reprint, a re-run, the same text
under another title, with at most small edits); two reports of different
events written from one formula are wrong.
"""
import csv, random, sqlite3, sys, textwrap


def sample(data, out, n, seed):
    db = sqlite3.connect(f"file:{data}/archive.sqlite?mode=ro", uri=True)
    q = """SELECT r.kind, r.article_id, r.other_id, r.score, r.confidence
           FROM related r WHERE r.article_id < r.other_id AND r.kind = ?
           ORDER BY r.article_id, r.other_id"""
    trans = db.execute(q, ("translation",)).fetchall()
    # Copies of one text are stored as a group, not as pairs: each copy
    # is drawn paired with its group's representative (similarity 1).
    reps = sorted(db.execute(q, ("reprint",)).fetchall() + db.execute(
        """SELECT 'reprint', MIN(article_id, copy_of), MAX(article_id, copy_of), 1.0, 1.0
           FROM related_features WHERE copy_of IS NOT NULL""").fetchall(),
        key=lambda r: (r[1], r[2]))
    random.Random(seed).shuffle(trans)
    rows = trans[:n] + reps

    def text(i):
        t, ps, lang, pub = db.execute(
            """SELECT c.title, c.paragraphs, a.language, a.published FROM articles a
               JOIN contents c ON c.hash = a.current_hash WHERE a.id = ?""", (i,)).fetchone()
        import json
        body = " ".join(json.loads(ps))
        return f"[{lang} {pub}] {t}\n    {textwrap.shorten(body, 400)}"

    with open(out, "w", newline="") as f:
        w = csv.writer(f, delimiter="\t")
        w.writerow(["kind", "a", "b", "score", "confidence", "verdict"])
        for k, a, b, s, c in rows:
            w.writerow([k, a, b, f"{s:.3f}", f"{c:.3f}", ""])
    for i, (k, a, b, s, c) in enumerate(rows):
        print(f"#{i} {k} score {s:.2f} confidence {c:.2f}\n  A {text(a)}\n  B {text(b)}\n")
    print(f"{len(trans[:n])} translation pairs of {len(trans)}, {len(reps)} reprint pairs", file=sys.stderr)


def score(path):
    rows = list(csv.DictReader(open(path), delimiter="\t"))
    for kind in ("translation", "reprint"):
        rs = [r for r in rows if r["kind"] == kind and r["verdict"] in ("y", "n")]
        if not rs:
            continue
        right = sum(r["verdict"] == "y" for r in rs)
        print(f"{kind}: {right}/{len(rs)} right, precision {right / len(rs):.3f}")
        for lo, hi in ((0, 0.25), (0.25, 0.5), (0.5, 1.01)):
            band = [r for r in rs if lo <= float(r["confidence"]) < hi]
            if band:
                ok = sum(r["verdict"] == "y" for r in band)
                print(f"  confidence {lo:.2f}-{min(hi, 1):.2f}: {ok}/{len(band)} ({ok / len(band):.3f})")


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "sample":
        args = sys.argv[4:]
        n = int(args[args.index("--translations") + 1]) if "--translations" in args else 120
        seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 20261207
        sample(sys.argv[2], sys.argv[3], n, seed)
    elif len(sys.argv) == 3 and sys.argv[1] == "score":
        score(sys.argv[2])
    else:
        sys.exit(__doc__)
