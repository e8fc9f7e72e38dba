#!/usr/bin/env python3
"""Korean search: tealeaf against the FTS5 peer (unicode61), side by side.

  python3 bench/korean.py [--runs 5] [--copies 40] [--out FILE]

The corpus is the 73 New Year addresses of ../shared/corpus/
nk-new-year-addresses, each file whole as one record, repeated --copies
times under other ids and years (the same texts: sizes grow, recall does
not change). Per run, alternating: `tealeaf ingest` into a fresh data
directory and `fts5_baseline.py load` into a fresh database (wall clock
and peak memory of each whole process); then the queries of WORDS inside
one process each (`tealeaf bench-query`, `fts5_baseline.py query`).

Recall is counted on one copy: for each word, the files that hold it as a
string (what `grep -l` counts), the hits of `tealeaf search`, and the hits
of the same word as an FTS5 query.
"""
import argparse, json, os, sqlite3, statistics, subprocess, sys, tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import timed  # noqa: E402  (whole processes, wall clock and peak RSS)

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus/nk-new-year-addresses"

# The words of crates/tealeaf/tests/korean_search.rs.
WORDS = [
    "인민", "김일성", "김정일", "김정은", "조국", "통일", "사회주의", "로동당", "혁명",
    "동지들", "경제", "농업", "공업", "과학", "청년", "인민군", "승리", "새해", "평화",
    "자주", "미제", "남조선", "주체사상", "천리마", "수령님", "경애하는", "강성국가",
    "선군", "원수님", "조선로동당", "인민경제", "김정은동지",
]


# The records' fields, for the peer's loader.
PEER_FIELDS = ["--title", "title", "--body", "body", "--date", "published"]


def texts():
    out = []
    for path in sorted(CORPUS.glob("*.txt")):
        out.append((path.stem, path.read_text(encoding="utf-8").lstrip("\ufeff")))
    return out


def write_corpus(path, files, copies):
    with open(path, "w", encoding="utf-8") as f:
        for c in range(copies):
            for name, text in files:
                year = int(name) + 100 * c
                f.write(json.dumps({
                    "id": f"address-{c}-{name}", "outlet": "rodong", "language": "ko",
                    "published": f"{year:04d}-01-01", "title": "신년사", "body": text,
                }, ensure_ascii=False) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--copies", type=int, default=40)
    ap.add_argument("--out")
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "-q", "-p", "tealeaf"], cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    tealeaf = str(target / "release/tealeaf")
    peer = str(SHARED / "bench/fts5_baseline.py")
    work = Path(tempfile.mkdtemp(prefix="tealeaf-korean-"))
    files = texts()
    corpus, one = work / "addresses.jsonl", work / "one.jsonl"
    write_corpus(corpus, files, args.copies)
    write_corpus(one, files, 1)
    queries = work / "queries.txt"
    queries.write_text("".join(w + "\n" for w in WORDS), encoding="utf-8")

    data, db = work / "data", work / "fts.db"
    ingest_args = ["ingest", str(corpus)]
    ingest = {"tealeaf": [], "fts5": []}
    rss = {"tealeaf": [], "fts5": []}
    for i in range(args.runs):
        subprocess.run(["rm", "-rf", str(data)], check=True)
        s, m, _ = timed([tealeaf, "--data", str(data), *ingest_args])
        ingest["tealeaf"].append(s); rss["tealeaf"].append(m)
        s, m, _ = timed([sys.executable, peer, "load", str(corpus), str(db), *PEER_FIELDS])
        ingest["fts5"].append(s); rss["fts5"].append(m)
        print(f"run {i + 1}: tealeaf {ingest['tealeaf'][-1]:.3f} s, fts5 {ingest['fts5'][-1]:.3f} s",
              file=sys.stderr)

    q = {"tealeaf": [], "fts5": []}
    for _ in range(args.runs):
        q["tealeaf"].append(json.loads(timed([tealeaf, "--data", str(data), "bench-query", str(queries)])[2]))
        q["fts5"].append(json.loads(timed([sys.executable, peer, "query", str(db), str(queries)])[2]))

    # Recall on one copy.
    one_data, one_db = work / "one-data", work / "one.db"
    timed([tealeaf, "--data", str(one_data), "ingest", str(one)])
    timed([sys.executable, peer, "load", str(one), str(one_db), *PEER_FIELDS])
    con = sqlite3.connect(one_db)
    recall_rows, found = [], {"truth": 0, "tealeaf": 0, "fts5": 0}
    for w in WORDS:
        truth = sum(1 for _, t in files if w in t)
        tl = json.loads(timed([tealeaf, "--data", str(one_data), "search", w, "--json", "--limit", "1"])[2])["total"]
        ft = con.execute("select count(*) from a where a match ?", (w,)).fetchone()[0]
        found["truth"] += truth; found["tealeaf"] += tl; found["fts5"] += ft
        recall_rows.append(f"| {w} | {truth} | {tl} | {ft} |")

    med = statistics.median
    ti, fi = med(ingest["tealeaf"]), med(ingest["fts5"])
    lines = [
        f"corpus: the 73 New Year addresses × {args.copies} ({73 * args.copies} records), "
        f"{args.runs} alternating runs each, medians",
        "",
        "| measure | tealeaf | FTS5 peer (unicode61) | ratio (tealeaf / peer) |",
        "| --- | --- | --- | --- |",
        f"| ingest wall time (s) | {ti:.3f} | {fi:.3f} | {ti / fi:.2f} |",
        f"| ingest peak memory (MB) | {med(rss['tealeaf']):.0f} | {med(rss['fts5']):.0f} | {med(rss['tealeaf']) / med(rss['fts5']):.2f} |",
    ]
    for name, key in (("query p50 (ms)", "p50_ms"), ("query p95 (ms)", "p95_ms")):
        t, f = med(r[key] for r in q["tealeaf"]), med(r[key] for r in q["fts5"])
        lines.append(f"| {name} | {t:.3f} | {f:.3f} | {t / f:.2f} |")
    lines += [
        f"| files found, {len(WORDS)} words (one copy) | {found['tealeaf']} | {found['fts5']} | "
        f"truth {found['truth']}: recall {found['tealeaf'] / found['truth']:.2f} against {found['fts5'] / found['truth']:.2f} |",
        "",
        "| word | files holding it | tealeaf hits | FTS5 hits |",
        "| --- | --- | --- | --- |",
        *recall_rows,
        "",
        "ingest runs (s): tealeaf " + ", ".join(f"{x:.3f}" for x in ingest["tealeaf"])
        + "; fts5 " + ", ".join(f"{x:.3f}" for x in ingest["fts5"]),
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")
    subprocess.run(["rm", "-rf", str(work)])


if __name__ == "__main__":
    main()
