#!/usr/bin/env python3
"""tealeaf vs. the FTS5 peer baseline, side by side in one run.

  python3 bench/run.py [--runs 5] [--corpus PATH] [--out docs/bench-latest.md]
                      [--baseline PATH-TO-ANOTHER-tealeaf-BINARY]

Builds tealeaf (release), then alternates, --runs times each:
  - `tealeaf ingest` of the corpus into a fresh data directory (parse,
    archive, analysis, index),
  - the same with analysis switched off (TEALEAF_BENCH_NO_ANALYSIS=1), to
    measure what analysis adds, and
  - `fts5_baseline.py load` of the same file into a fresh database,
timing each whole process (wall clock, start to exit) and reading its peak
resident memory from the kernel (wait4). Then times the 50 queries of
bench/queries.tsv inside one process for each (`tealeaf bench-query`,
`fts5_baseline.py query`), --runs times, and prints medians and ratios as a
Markdown table. With --baseline, another build of tealeaf (say, main
before a change) is run in the same rounds, and its ratios to the peer are
reported beside this tree's. Last, `trend` for five terms by month inside one process
(`tealeaf bench-trend`). Each round also runs `examples/floor.rs` (crate
tealeaf-pipeline): the read stage and the index stage alone, as a floor
under the ingest's time.
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def timed(cmd, env=None):
    """Runs cmd; returns (seconds, peak RSS in MB, stdout)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    secs = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"failed ({code}): {' '.join(map(str, cmd))}")
    return secs, usage.ru_maxrss / 1024.0, out.decode()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--corpus", default=str(SHARED / "corpus/kcna/kcna-2011.jsonl.gz"))
    ap.add_argument("--out")
    ap.add_argument("--baseline", help="another tealeaf binary, measured in the same rounds")
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "-q", "-p", "tealeaf"], cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "tealeaf-pipeline", "--example", "floor"],
                   cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    tealeaf = str(target / "release/tealeaf")
    floor_bin = str(target / "release/examples/floor")
    peer = str(SHARED / "bench/fts5_baseline.py")
    work = Path(tempfile.mkdtemp(prefix="tealeaf-bench-"))
    data, db = work / "data", work / "fts.db"

    ingest = {"tealeaf": [], "no-analysis": [], "fts5": [], "baseline": []}
    floor = []
    rss = {"tealeaf": [], "no-analysis": [], "fts5": [], "baseline": []}
    ingest_args = ["ingest", "--outlet", "kcna", "--map", "published=date,body=story", args.corpus]
    cmd = [tealeaf, "--data", str(data), *ingest_args]
    base_data = work / "base-data"
    for i in range(args.runs):
        if args.baseline:
            subprocess.run(["rm", "-rf", str(base_data)], check=True)
            s, m, _ = timed([args.baseline, "--data", str(base_data), *ingest_args])
            ingest["baseline"].append(s); rss["baseline"].append(m)
        subprocess.run(["rm", "-rf", str(data)], check=True)
        s, m, _ = timed(cmd, env={**os.environ, "TEALEAF_BENCH_NO_ANALYSIS": "1"})
        ingest["no-analysis"].append(s); rss["no-analysis"].append(m)
        subprocess.run(["rm", "-rf", str(data)], check=True)
        s, m, _ = timed(cmd)
        ingest["tealeaf"].append(s); rss["tealeaf"].append(m)
        s, m, _ = timed([sys.executable, peer, "load", args.corpus, str(db)])
        ingest["fts5"].append(s); rss["fts5"].append(m)
        floor.append(json.loads(timed([floor_bin, args.corpus])[2]))
        print(f"run {i + 1}: tealeaf {ingest['tealeaf'][-1]:.3f} s, fts5 {ingest['fts5'][-1]:.3f} s", file=sys.stderr)

    queries = ROOT / "bench/queries.tsv"
    plain = work / "queries.txt"
    plain.write_text("".join(l.split("\t")[0].rstrip("\n") + "\n"
                             for l in queries.read_text().splitlines() if l.strip() and not l.startswith("#")))
    q = {"tealeaf": [], "tealeaf+snippets": [], "fts5": [], "baseline": []}
    for _ in range(args.runs):
        if args.baseline:
            q["baseline"].append(json.loads(timed([args.baseline, "--data", str(base_data), "bench-query", str(queries)])[2]))
        q["tealeaf"].append(json.loads(timed([tealeaf, "--data", str(data), "bench-query", str(queries)])[2]))
        q["tealeaf+snippets"].append(json.loads(timed([tealeaf, "--data", str(data), "bench-query", "--snippets", str(queries)])[2]))
        q["fts5"].append(json.loads(timed([sys.executable, peer, "query", str(db), str(plain)])[2]))

    trend_terms = ["Russia", "China", "Kim Jong Un", "Cuba", '"overseas operations"']
    trend = [json.loads(timed([tealeaf, "--data", str(data), "bench-trend", "--repeat", "20", *trend_terms])[2])
             for _ in range(args.runs)]

    med = statistics.median
    ti, fi = med(ingest["tealeaf"]), med(ingest["fts5"])
    na = med(ingest["no-analysis"])
    lines = [
        f"corpus: `{Path(args.corpus).name}`, {args.runs} alternating runs each, medians",
        "",
        "| measure | tealeaf | FTS5 peer | ratio (tealeaf / peer) |",
        "| --- | --- | --- | --- |",
        f"| ingest wall time (s) | {ti:.3f} | {fi:.3f} | {ti / fi:.2f} |",
        f"| ingest peak memory (MB) | {med(rss['tealeaf']):.0f} | {med(rss['fts5']):.0f} | {med(rss['tealeaf']) / med(rss['fts5']):.2f} |",
        f"| ingest without analysis (s) | {na:.3f} | {fi:.3f} | {na / fi:.2f} |",
    ]
    for name, key in (("query p50 (ms)", "p50_ms"), ("query p95 (ms)", "p95_ms")):
        t, f = med(r[key] for r in q["tealeaf"]), med(r[key] for r in q["fts5"])
        ts = med(r[key] for r in q["tealeaf+snippets"])
        lines.append(f"| {name} | {t:.3f} | {f:.3f} | {t / f:.2f} |")
        lines.append(f"| {name}, tealeaf with snippets | {ts:.3f} | {f:.3f} | {ts / f:.2f} |")
    if args.baseline:
        bi = med(ingest["baseline"])
        bp50 = med(r["p50_ms"] for r in q["baseline"])
        tp50, fp50 = med(r["p50_ms"] for r in q["tealeaf"]), med(r["p50_ms"] for r in q["fts5"])
        lines += [
            "",
            f"Beside the baseline build (`{Path(args.baseline).name}`), in the same rounds:",
            "",
            "| measure | this tree / peer | baseline / peer | this tree / baseline |",
            "| --- | --- | --- | --- |",
            f"| ingest wall time | {ti / fi:.2f} | {bi / fi:.2f} | {ti / bi:.2f} |",
            f"| ingest peak memory | {med(rss['tealeaf']) / med(rss['fts5']):.2f} | {med(rss['baseline']) / med(rss['fts5']):.2f} | {med(rss['tealeaf']) / med(rss['baseline']):.2f} |",
            f"| query p50 | {tp50 / fp50:.3f} | {bp50 / fp50:.3f} | {tp50 / bp50:.2f} |",
        ]
    fr, ft, fb = (med(f[k] for f in floor) for k in ("read_s", "index_tealeaf_s", "index_bare_s"))
    lines += [
        "",
        "The stages alone (`examples/floor.rs`, same runs; documents already in memory for the index):",
        "",
        "| stage alone | seconds | ratio to the peer's load |",
        "| --- | --- | --- |",
        f"| read and prepare every record (one thread) | {fr:.3f} | {fr / fi:.2f} |",
        f"| index with tealeaf's schema (two threads) | {ft:.3f} | {ft / fi:.2f} |",
        f"| index with a bare tantivy schema (title, body; two threads) | {fb:.3f} | {fb / fi:.2f} |",
    ]
    lines += [
        "",
        f"analysis adds {100 * (ti / na - 1):.0f}% to the ingest (median with {ti:.3f} s, without {na:.3f} s)",
        f"trend for {len(trend_terms)} terms by month, inside one process: p50 {med(r['p50_ms'] for r in trend):.1f} ms "
        f"(median over {args.runs} runs of the p50 of 20), terms: {', '.join(trend_terms)}",
        "",
        "ingest runs (s): tealeaf " + ", ".join(f"{x:.3f}" for x in ingest["tealeaf"])
        + "; without analysis " + ", ".join(f"{x:.3f}" for x in ingest["no-analysis"])
        + "; fts5 " + ", ".join(f"{x:.3f}" for x in ingest["fts5"]),
        f"hits counted over all query runs: tealeaf {q['tealeaf'][0]['hits']}, fts5 {q['fts5'][0]['hits']}",
    ]
    text = "\n".join(lines)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")
    subprocess.run(["rm", "-rf", str(work)])


if __name__ == "__main__":
    main()
