#!/usr/bin/env python3
"""HTML main-text extraction: tealeaf against trafilatura on the dev set.

    pip install trafilatura==2.3.1 lxml_html_clean   # the peer, once
    python3 bench/extract.py [--runs 3] [--threads 1] [--tealeaf-cmd CMD]

Each round runs two whole processes side by side, one after the other:
trafilatura over every page in one Python process (`trafilatura.extract(html)`
with default settings, as its own evaluation does), and tealeaf's extractor
(by default the `extract_dir` example of crates/html, built here in release
mode). Reported: pages per second (median over the rounds, wall clock of
the whole process, reading the gzipped pages included), their ratio, peak RSS
of each process (from the kernel, `wait4`), and precision/recall/F1 of each
from the dev set's scoring script.

tealeaf's command prints one JSON line per page: {"file", "title",
"paragraphs"}; the prediction text is the paragraphs joined by newlines,
without the title (trafilatura's `extract()` leaves the title out too);
`--with-title` puts it first. `--tealeaf-cmd` takes a command with
`{pages}` where the pages directory goes, e.g.
`--tealeaf-cmd "tealeaf extract --json {pages}"`.

Paths default to the dev set beside the repository (`../shared/corpus/html-dev`
and `../shared/bench/extraction_score.py` from the repository root).
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(REPO), "shared")

TRAFILATURA = r"""
import gzip, json, os, sys
import trafilatura
pages, out = sys.argv[1], sys.argv[2]
with open(out, "w", encoding="utf-8") as f:
    for name in sorted(os.listdir(pages)):
        if not name.endswith(".html.gz"):
            continue
        with gzip.open(os.path.join(pages, name)) as g:
            html = g.read()
        text = trafilatura.extract(html)
        f.write(json.dumps({"file": name, "text": text}, ensure_ascii=False) + "\n")
"""


def run(cmd, stdout_path):
    """Runs cmd to completion; returns (wall seconds, peak RSS bytes)."""
    with open(stdout_path, "wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        sys.exit(f"{cmd[0]} failed with exit code {proc.returncode}")
    return wall, usage.ru_maxrss * 1024


def tealeaf_predictions(raw_path, pred_path, with_title):
    n = 0
    with open(raw_path, encoding="utf-8") as f, open(pred_path, "w", encoding="utf-8") as out:
        for line in f:
            if not line.strip():
                continue
            row = json.loads(line)
            parts = ([row["title"]] if with_title and row.get("title") else []) + row.get("paragraphs", [])
            # `tealeaf extract` names files by their path; the scorer by name.
            name = os.path.basename(row["file"])
            out.write(json.dumps({"file": name, "text": "\n".join(parts)}, ensure_ascii=False) + "\n")
            n += 1
    return n


def score(script, expectations, predictions):
    out = subprocess.run([sys.executable, script, "snippets", expectations, predictions],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", default=os.path.join(SHARED, "corpus", "html-dev", "pages"))
    ap.add_argument("--expectations", help="default: expectations.jsonl beside the pages directory")
    ap.add_argument("--score-script", default=os.path.join(SHARED, "bench", "extraction_score.py"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1, help="threads for the default extract_dir command")
    ap.add_argument("--tealeaf-cmd", help="command with {pages}; default: the extract_dir example, built here")
    ap.add_argument("--with-title", action="store_true", help="put tealeaf's title before its paragraphs")
    ap.add_argument("--skip-trafilatura", action="store_true")
    args = ap.parse_args()
    expectations = args.expectations or os.path.join(os.path.dirname(os.path.abspath(args.pages)), "expectations.jsonl")
    pages = sorted(n for n in os.listdir(args.pages) if n.endswith(".html.gz"))

    if args.tealeaf_cmd:
        tealeaf = [a.replace("{pages}", args.pages) for a in shlex.split(args.tealeaf_cmd)]
    else:
        subprocess.run(["cargo", "build", "--quiet", "--release", "-p", "tealeaf-html", "--example", "extract_dir"],
                       cwd=REPO, check=True)
        target = os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target"))
        tealeaf = [os.path.join(target, "release", "examples", "extract_dir"), args.pages,
                   "--threads", str(args.threads)]
    peer = [sys.executable, "-c", TRAFILATURA, args.pages]

    work = tempfile.mkdtemp(prefix="tealeaf-extract-bench-")
    raw, ours_pred, theirs_pred = (os.path.join(work, n) for n in ("tealeaf.jsonl", "tealeaf-pred.jsonl", "trafilatura-pred.jsonl"))
    times = {"tealeaf": [], "trafilatura": []}
    rss = {"tealeaf": 0, "trafilatura": 0}
    for r in range(args.runs):
        wall, peak = run(tealeaf, raw)
        times["tealeaf"].append(wall)
        rss["tealeaf"] = max(rss["tealeaf"], peak)
        if not args.skip_trafilatura:
            wall, peak = run(peer + [theirs_pred], os.devnull)
            times["trafilatura"].append(wall)
            rss["trafilatura"] = max(rss["trafilatura"], peak)
        print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in times.items() if v), file=sys.stderr)

    n = tealeaf_predictions(raw, ours_pred, args.with_title)
    if n != len(pages):
        print(f"warning: tealeaf printed {n} lines for {len(pages)} pages", file=sys.stderr)
    rows = [("tealeaf", ours_pred)] + ([] if args.skip_trafilatura else [("trafilatura 2.3.1", theirs_pred)])
    speed = {}
    print(f"{len(pages)} pages, {args.runs} rounds, medians; tealeaf: {' '.join(os.path.basename(a) if i == 0 else a for i, a in enumerate(tealeaf))}")
    print("| extractor | pages/s | wall s | peak RSS MB | precision | recall | F1 |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for (name, pred), key in zip(rows, ("tealeaf", "trafilatura")):
        wall = statistics.median(times[key])
        speed[key] = len(pages) / wall
        s = score(args.score_script, expectations, pred)
        print(f"| {name} | {speed[key]:.1f} | {wall:.2f} | {rss[key] / 1e6:.0f} | "
              f"{s['precision']:.4f} | {s['recall']:.4f} | {s['f1']:.4f} |")
    if "trafilatura" in speed and speed["trafilatura"]:
        print(f"speed ratio tealeaf / trafilatura: {speed['tealeaf'] / speed['trafilatura']:.1f}x")
    print(f"predictions in {work}", file=sys.stderr)


if __name__ == "__main__":
    main()
