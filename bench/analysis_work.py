#!/usr/bin/env python3
"""What analysis adds to an ingest, counted in instructions instead of time.

  python3 bench/analysis_work.py [--corpus PATH] [--binary OTHER_TEALEAF ...]

Runs `tealeaf ingest` of the corpus (kcna-2011 by default) under valgrind's
cachegrind, once with analysis switched off (TEALEAF_BENCH_NO_ANALYSIS=1)
and once with it, and prints the instructions each executed and the ratio.
Every thread's instructions count, so the number is the work done, whatever
the machine's other load: these 2-core machines time the same ingest 20 %
apart from one minute to the next, and a ratio of wall times needs many
rounds to settle, while this count moves by well under 1 % between runs.
It does not see what the work costs in time beyond its size (cache misses,
two cores sharing their caches): the wall-time ratio of `bench/run.py` is
the measure the target is stated in, and it stays higher than this one.

--binary adds other tealeaf binaries (an older build, say), counted with
analysis, for a side-by-side. Needs valgrind (`apt-get install valgrind`);
a run takes about half a minute per ingest.
"""
import argparse, os, re, shutil, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


def instructions(binary, corpus, env):
    """Instructions executed by one ingest of `corpus` into a fresh data dir."""
    work = Path(tempfile.mkdtemp(prefix="tealeaf-work-"))
    try:
        out = work / "cachegrind.out"
        p = subprocess.run(
            ["valgrind", "--tool=cachegrind", "--cache-sim=no", f"--cachegrind-out-file={out}",
             binary, "--data", str(work / "data"), "ingest", "--outlet", "kcna",
             "--map", "published=date,body=story", corpus],
            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if p.returncode != 0:
            sys.exit(f"{binary}: ingest failed under valgrind:\n{p.stderr[-2000:]}")
        m = re.search(r"I\s+refs:\s+([\d,]+)", p.stderr)
        if not m:
            sys.exit(f"{binary}: no instruction count in valgrind's output")
        return int(m.group(1).replace(",", ""))
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(SHARED / "corpus/kcna/kcna-2011.jsonl.gz"))
    ap.add_argument("--binary", action="append", default=[])
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "tealeaf"], cwd=ROOT, check=True)
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    tealeaf = str(target / "release/tealeaf")
    without = instructions(tealeaf, args.corpus, {"TEALEAF_BENCH_NO_ANALYSIS": "1"})
    rows = [("this tree, without analysis", without), ("this tree, with analysis", None)]
    rows[1] = (rows[1][0], instructions(tealeaf, args.corpus, {}))
    for other in args.binary:
        rows.append((f"{other}, with analysis", instructions(other, args.corpus, {})))
    print(f"corpus: `{Path(args.corpus).name}`, instructions of one `tealeaf ingest` (cachegrind)\n")
    print("| binary | instructions | against the ingest without analysis |")
    print("| --- | --- | --- |")
    for label, n in rows:
        print(f"| {label} | {n / 1e9:.3f} G | {n / without - 1:+.1%} |")


if __name__ == "__main__":
    main()
