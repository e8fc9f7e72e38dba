#!/usr/bin/env python3
"""Draws the hand-annotation samples of issue 20 from kcna-2011.

  python3 bench/analysis_sample.py [--corpus PATH] [--out DIR]

Writes test-en-a.jsonl, test-en-b.jsonl, test-es.jsonl (the fixed test set:
190 English and 60 Spanish articles) and tune-en.jsonl, tune-es.jsonl (the
tuning set: 60 and 40), one record a line with its line number in the
corpus, for annotators to read. The draw is seeded, so it gives the same
lines every time; it leaves out the lines of people-gold.jsonl (the sample
the rules were first developed on), error pages and texts under 200
characters. The annotations themselves are in
crates/analyze/tests/data/analysis-test.jsonl and analysis-tune.jsonl;
crates/analyze/tests/data/ANNOTATION.md says how they were made.
"""
import argparse, gzip, json, random
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 20261207


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared/corpus/kcna/kcna-2011.jsonl.gz"))
    ap.add_argument("--out", default=".")
    args = ap.parse_args()
    gold_file = ROOT / "crates/analyze/tests/data/people-gold.jsonl"
    developed_on = {json.loads(l)["line"] for l in gold_file.open()}
    records = []
    with gzip.open(args.corpus, "rt", encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            r = json.loads(line)
            story = (r.get("story") or "").strip()
            if len(story) < 200 or "was not found on this server" in story or "Forbidden" in story[:200]:
                continue
            records.append((number, r))
    rng = random.Random(SEED)
    en = [x for x in records if x[1]["language"] == "en" and x[0] not in developed_on]
    es = [x for x in records if x[1]["language"] == "es" and x[0] not in developed_on]
    rng.shuffle(en)
    rng.shuffle(es)
    test_en = sorted(n for n, _ in en[:190])
    test_es = sorted(n for n, _ in es[:60])
    tune_en = sorted(n for n, _ in en[190:250])
    tune_es = sorted(n for n, _ in es[60:100])
    by_line = dict(records)
    out = Path(args.out)

    def dump(lines, name):
        with (out / name).open("w", encoding="utf-8") as o:
            for n in lines:
                r = by_line[n]
                o.write(json.dumps({"line": n, "date": r["date"], "language": r["language"],
                                    "title": r["title"], "story": r["story"]}, ensure_ascii=False) + "\n")

    dump(test_en[:95], "test-en-a.jsonl")
    dump(test_en[95:], "test-en-b.jsonl")
    dump(test_es, "test-es.jsonl")
    dump(tune_en, "tune-en.jsonl")
    dump(tune_es, "tune-es.jsonl")


if __name__ == "__main__":
    main()
