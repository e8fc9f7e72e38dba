#!/usr/bin/env python3
"""How tealeaf's costs grow with the archive, beside the FTS5 peer (issue 22).

  python3 bench/scale.py [--sizes 1,5,20] [--runs N] [--fresh 3] [--repeat 20] [--wrk 10]
                         [--corpus PATH] [--tealeaf BINARY] [--out FILE] [--parts]

Builds tealeaf (release) unless --tealeaf names a binary, then, for each
size n, writes an n× corpus into a temporary directory: copy k of every
record (k = 0 .. n-1) has each date-like field's year moved back k years
(`date`, and any other YYYY-MM-DD value), the year in its url moved alike,
and its `id`, if it has one, suffixed, so that the copies are distinct
articles (identity is outlet, date, language and title: docs/identity.md);
their texts stay alike, so each is a reprint of the others (docs/related.md):
the table shows the pairs found and the time relating them took.
At each size it measures, side by side with the peer
(`fts5_baseline.py load` / `query`, as bench/run.py runs it):

  - ingest wall time and peak memory (wait4's ru_maxrss), median of --runs
    (default 3 at 1×, 2 at 5×, 1 above), each into a fresh directory;
  - with --parts, the same ingest without analysis (TEALEAF_BENCH_NO_ANALYSIS=1)
    in each run too, to split the ingest into three parts, each given as a
    share of the peer's whole load: reading, archiving and indexing (the
    ingest without analysis, less its relating), relating, and analysis
    (what it adds to the rest);
  - disk used after: the data directory with its WAL (the WAL also apart),
    the peer's database;
  - query p50/p95 over bench/queries.tsv (`tealeaf bench-query`, the peer's
    `query`; the queries' 2011 date ranges now cover one copy of n);
  - on an idle `tealeaf serve` (127.0.0.1, a free port), the server-side
    time of each page from its `Server-Timing: app;dur=MS` header:
      first     the page's first request on a freshly started server,
                median over --fresh servers (pages are kept per archive
                generation, so this is the uncached cost of home and search);
      distinct  median of --repeat requests at addresses that all differ,
                so no cache can answer them: search spells `Kim Jong Un`
                differently each time (case, spaces: the cache keys on the
                address, the index reads them alike; the script checks that
                the answer is the same); the other pages get `&_n=K`, which
                they ignore (checked: the JSON twin is the same). Home keeps
                one page whatever the query string: no figure;
      repeat    median of --repeat requests at one address (answered from
                the page cache where there is one: home, search);
    `wrk -t2 -c64 -d10s` on the search page for `Kim Jong Un` (requests/s
    and p99; --wrk sets the seconds, 0 or no wrk installed: none), and the
    server's peak memory (VmHWM) after them;
  - the CLI's `stats`, `person`, `trend Russia`, `events --limit 20`: wall
    time including process start, median of 5;
and prints one Markdown table: each figure at each size, and its growth
from the smallest size to the largest beside the archive's.
Everything runs on 127.0.0.1 in temporary directories, removed at the end;
every subprocess and request has a timeout.
"""
import argparse, datetime, gzip, http.client, json, os, re, shutil, signal, statistics
import subprocess, sys, tempfile, threading, time, urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
PERSON = "Choe Ryong Hae"
DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
TIMEOUT = 1800  # seconds, for an ingest or load at the largest size
CLI_TIMEOUT = 120
HTTP_TIMEOUT = 120


# --- corpora ---------------------------------------------------------------

def shift(value, k):
    """A YYYY-MM-DD... string with its year moved back k (29 Feb -> 28)."""
    m = DATE.match(value)
    y, mo, d = int(m[1]) - k, int(m[2]), int(m[3])
    try:
        datetime.date(y, mo, d)
    except ValueError:
        d = 28
    return f"{y:04d}-{mo:02d}-{d:02d}" + value[m.end():]


def copy_record(r, k):
    if k == 0:
        return r
    out = dict(r)
    year = None
    for key, v in r.items():
        if isinstance(v, str) and DATE.match(v):
            out[key] = shift(v, k)
            if key == "date":
                year = v[:4]
    if year and isinstance(r.get("url"), str):
        out["url"] = r["url"].replace(year, str(int(year) - k))
    if r.get("id") is not None:
        out["id"] = f"{r['id']}-copy{k}"
    return out


def make_corpus(src, n, dest):
    """Writes the n× corpus to dest; returns its number of records."""
    with gzip.open(src, "rt", encoding="utf-8") as f:
        records = [json.loads(l) for l in f if l.strip()]
    with gzip.open(dest, "wt", encoding="utf-8", compresslevel=1) as out:
        for k in range(n):
            for r in records:
                out.write(json.dumps(copy_record(r, k), ensure_ascii=False) + "\n")
    return len(records) * n


# --- processes -------------------------------------------------------------

def timed(cmd, timeout, env=None):
    """Runs cmd; returns (seconds, peak RSS in MB, stdout). Killed after timeout."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    killer = threading.Timer(timeout, p.kill)
    killer.start()
    try:
        out = p.stdout.read()
        _, status, usage = os.wait4(p.pid, 0)
    finally:
        killer.cancel()
    secs = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"failed ({code}{', timed out' if code == -9 else ''}): {' '.join(map(str, cmd))}")
    return secs, usage.ru_maxrss / 1024.0, out.decode()


def disk(path):
    """Bytes of the files under path (or of path), and of the WAL among them."""
    p = Path(path)
    files = [p] if p.is_file() else [f for f in p.rglob("*") if f.is_file()]
    total = sum(f.stat().st_size for f in files)
    wal = sum(f.stat().st_size for f in files if f.name.endswith("-wal"))
    return total, wal


class Server:
    """`tealeaf serve` on 127.0.0.1, a free port; one kept-alive connection."""

    def __init__(self, tealeaf, data):
        env = {k: v for k, v in os.environ.items() if k != "TEALEAF_TOKEN"}
        self.proc = subprocess.Popen([tealeaf, "--data", str(data), "serve", "--addr", "127.0.0.1:0"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        timer = threading.Timer(HTTP_TIMEOUT, self.proc.kill)
        timer.start()
        line = self.proc.stdout.readline().strip()
        timer.cancel()
        m = re.fullmatch(r"listening on http://127\.0\.0\.1:(\d+)/?", line)
        if not m:
            self.stop()
            sys.exit(f"unexpected first line from the server: {line!r}")
        self.port = int(m[1])
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=HTTP_TIMEOUT)

    def get(self, path, json_twin=False):
        """(status, server-side ms, body)."""
        headers = {"Accept": "application/json"} if json_twin else {}
        self.conn.request("GET", path, headers=headers)
        r = self.conn.getresponse()
        body = r.read()
        timing = r.getheader("Server-Timing", "")
        m = re.search(r"dur=([0-9.]+)", timing)
        if not m:
            sys.exit(f"no Server-Timing on {path}: {timing!r}")
        return r.status, float(m[1]), body

    def ms(self, path):
        status, ms, _ = self.get(path)
        if status != 200:
            sys.exit(f"{path}: HTTP {status}")
        return ms

    def peak_mb(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def stop(self):
        self.conn_close()
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def conn_close(self):
        if getattr(self, "conn", None):
            self.conn.close()


def twin(server, path):
    """The JSON twin of path, without the fields that hold timings."""
    status, _, body = server.get(path, json_twin=True)
    if status != 200:
        sys.exit(f"{path} (JSON): HTTP {status}")
    d = json.loads(body)
    if isinstance(d, dict):
        d.pop("took_ms", None)
    return d


def spellings(n):
    """n spellings of `Kim Jong Un`, all different, none the plain one."""
    out = []
    for gaps in ((1, 1), (2, 1), (1, 2), (2, 2), (3, 1), (1, 3), (3, 3)):
        for mask in range(8):
            words = [w.upper() if mask >> i & 1 else w.lower() for i, w in enumerate(("Kim", "Jong", "Un"))]
            q = words[0] + " " * gaps[0] + words[1] + " " * gaps[1] + words[2]
            if q != "Kim Jong Un":
                out.append("/search?" + urllib.parse.urlencode({"q": q}))
    return out[:n]


def wrk(server, path, seconds):
    """Requests/s and p99 (ms) of `wrk -t2 -c64` on one page, or (None, None)
    without wrk or with --wrk 0."""
    if not seconds or not shutil.which("wrk"):
        return None, None
    out = subprocess.run(["wrk", "-t2", "-c64", f"-d{seconds}s", "--latency",
                          f"http://127.0.0.1:{server.port}{path}"],
                         capture_output=True, text=True, timeout=seconds + 60).stdout
    if re.search(r"Non-2xx or 3xx responses|Socket errors", out):
        sys.exit(f"wrk saw errors on {path}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    p99 = float(m[1]) * {"us": 0.001, "ms": 1, "s": 1000}[m[2]]
    return rps, p99


def with_n(path, k):
    return f"{path}{'&' if '?' in path else '?'}_n={k}"


# --- one size --------------------------------------------------------------

PAGES = ["home", "search", "article", "person", "trends", "changes"]
CLI = ["stats", "person", "trend", "events"]


def measure(n, args, tealeaf, peer, work):
    med = statistics.median
    r = {"load": os.getloadavg()}
    corpus = work / f"kcna-x{n}.jsonl.gz"
    r["records"] = make_corpus(args.corpus, n, corpus)
    data, db = work / f"data-x{n}", work / f"fts-x{n}.db"
    runs = args.runs or {1: 3, 5: 2}.get(n, 1)
    ingest = {"t": [], "t_mb": [], "p": [], "p_mb": [], "rel": [], "na": [], "na_rel": []}
    cmd = [tealeaf, "--data", str(data), "ingest", "--json", "--outlet", "kcna", "--map",
           "published=date,body=story", str(corpus)]
    for i in range(runs):
        if args.parts:  # first: the archive the pages are measured on has analysis
            shutil.rmtree(data, ignore_errors=True)
            s, _, out = timed(cmd, TIMEOUT, env={**os.environ, "TEALEAF_BENCH_NO_ANALYSIS": "1"})
            ingest["na"].append(s); ingest["na_rel"].append(json.loads(out)["related"]["seconds"])
        shutil.rmtree(data, ignore_errors=True)
        s, m, out = timed(cmd, TIMEOUT)
        ingest["t"].append(s); ingest["t_mb"].append(m)
        related = json.loads(out)["related"]
        ingest["rel"].append(related["seconds"])
        r["reprint_pairs"] = related["reprint_pairs"]
        s, m, _ = timed([sys.executable, peer, "load", str(corpus), str(db)], TIMEOUT)
        ingest["p"].append(s); ingest["p_mb"].append(m)
        print(f"  {n}x ingest run {i + 1}: tealeaf {ingest['t'][-1]:.1f} s, "
              f"peer {ingest['p'][-1]:.1f} s", file=sys.stderr)
    r["ingest_s"] = (med(ingest["t"]), med(ingest["p"]))
    r["ingest_mb"] = (med(ingest["t_mb"]), med(ingest["p_mb"]))
    r["related_s"] = med(ingest["rel"])
    if args.parts:
        # Each part as a share of the peer's whole load: the archive and the
        # index (the ingest without analysis, less its relating), relating,
        # and what analysis adds to the rest (the full ingest less its
        # relating, less the first part).
        peer_s = r["ingest_s"][1]
        base = med(ingest["na"]) - med(ingest["na_rel"])
        r["part_base"] = base / peer_s
        r["part_related"] = r["related_s"] / peer_s
        r["part_analysis"] = (r["ingest_s"][0] - r["related_s"] - base) / peer_s
    (dt, wal), (dp, _) = disk(data), disk(db)
    r["disk_mb"] = (dt / 1e6, dp / 1e6)
    r["wal_mb"] = (wal / 1e6, None)
    r["ingest_runs"] = runs
    stats = json.loads(timed([tealeaf, "--data", str(data), "stats", "--json"], CLI_TIMEOUT)[2])
    r["articles"] = stats["articles"]

    queries = ROOT / "bench/queries.tsv"
    plain = work / "queries.txt"
    plain.write_text("".join(l.split("\t")[0].rstrip("\n") + "\n"
                             for l in queries.read_text().splitlines() if l.strip() and not l.startswith("#")))
    tq = json.loads(timed([tealeaf, "--data", str(data), "bench-query", str(queries)], TIMEOUT)[2])
    pq = json.loads(timed([sys.executable, peer, "query", str(db), str(plain)], TIMEOUT)[2])
    r["q_p50"] = (tq["p50_ms"], pq["p50_ms"])
    r["q_p95"] = (tq["p95_ms"], pq["p95_ms"])
    db.unlink(missing_ok=True)
    print(f"  {n}x queries: tealeaf p50 {tq['p50_ms']} ms, peer {pq['p50_ms']} ms", file=sys.stderr)

    # Pages: the first request on each of --fresh servers, then, on the
    # last one, --repeat distinct and --repeat repeated requests.
    first = {p: [] for p in PAGES}
    for i in range(args.fresh):
        server = Server(tealeaf, data)
        try:
            if i == 0:
                article = twin(server, "/search?q=nuclear")["hits"][0]["id"]
                person = PERSON
                if server.get("/person/" + urllib.parse.quote(PERSON))[0] == 404:
                    people = twin(server, "/people")["people"]
                    person = max(people, key=lambda p: p["mentions"])["name"]
                addr = {"home": "/", "search": "/search?q=Kim+Jong+Un",
                        "article": "/article/" + article,
                        "person": "/person/" + urllib.parse.quote(person),
                        "trends": "/trends?terms=Russia", "changes": "/changes"}
                r["person"] = person
                server.stop()
                server = Server(tealeaf, data)
            server.ms("/static/style.css")  # the connection and runtime, no page
            order = PAGES[i % len(PAGES):] + PAGES[:i % len(PAGES)]
            for p in order:
                first[p].append(server.ms(addr[p]))
            if i == args.fresh - 1:
                distinct, repeat = {}, {}
                # The variants must ask for the same page as the plain address.
                same = twin(server, addr["search"])
                for v in spellings(args.repeat)[:2]:
                    got = twin(server, v)
                    if (got["total"], got["hits"][:3]) != (same["total"], same["hits"][:3]):
                        sys.exit(f"{v} does not give the page of {addr['search']}")
                for p in ("article", "person", "trends", "changes"):
                    if twin(server, with_n(addr[p], 0)) != twin(server, addr[p]):
                        sys.exit(f"{addr[p]}: `_n` changes the page")
                for p in PAGES:
                    if p == "search":
                        distinct[p] = med(server.ms(v) for v in spellings(args.repeat + 2)[2:])
                    elif p != "home":
                        distinct[p] = med(server.ms(with_n(addr[p], k)) for k in range(1, args.repeat + 1))
                    repeat[p] = med(server.ms(addr[p]) for _ in range(args.repeat))
                r["wrk_rps"], r["wrk_p99"] = wrk(server, addr["search"], args.wrk)
                r["serve_mb"] = server.peak_mb()
        finally:
            server.stop()
    for p in PAGES:
        r[f"page_{p}_first"] = med(first[p])
        r[f"page_{p}_distinct"] = distinct.get(p)
        r[f"page_{p}_repeat"] = repeat[p]
    r["addr"] = addr

    cli = {"stats": ["stats"], "person": ["person", r["person"]], "trend": ["trend", "Russia"],
           "events": ["events", "--limit", "20"]}
    for name, c in cli.items():
        r[f"cli_{name}"] = med(timed([tealeaf, "--data", str(data), *c], CLI_TIMEOUT)[0] * 1000
                               for _ in range(5))
    shutil.rmtree(data, ignore_errors=True)
    corpus.unlink(missing_ok=True)
    r["load_end"] = os.getloadavg()
    return r


# --- the table -------------------------------------------------------------

def table(res, sizes, args):
    lo, hi = sizes[0], sizes[-1]

    def fmt(v):
        if v is None:
            return "—"
        if isinstance(v, int):
            return f"{v:,}"
        return f"{v:,.0f}" if v >= 100 else f"{v:.1f}" if v >= 10 else f"{v:.2f}"

    def growth(a, b):
        if a is None or b is None or a == 0:
            return "—"
        return f"{b / a:,.0f}×" if b / a >= 100 else f"{b / a:.1f}×"

    rows = []  # (label, key, tealeaf-only?)
    rows.append(("articles (archive)", "articles", True))
    rows += [("ingest wall time (s)", "ingest_s", False),
             ("… of which relating translations and reprints (s)", "related_s", True),
             *([("parts of the ingest, each over the peer's whole load: read, archive and index",
                 "part_base", True),
                ("… relating", "part_related", True),
                ("… analysis", "part_analysis", True)] if args.parts else []),
             ("reprint pairs found (the copies are reprints of each other)", "reprint_pairs", True),
             ("ingest peak memory (MB)", "ingest_mb", False),
             ("disk after ingest (MB; tealeaf: data dir incl. WAL)", "disk_mb", False),
             ("… of which the WAL (MB)", "wal_mb", False),
             ("query p50 (ms)", "q_p50", False), ("query p95 (ms)", "q_p95", False)]
    page_names = {"home": "home `/`", "search": "search `Kim Jong Un` with facets",
                  "article": "an article", "person": f"person `{res[lo]['person']}`",
                  "trends": "trends `Russia` by month", "changes": "changes"}
    for p in PAGES:
        rows.append((f"page: {page_names[p]}, first (ms)", f"page_{p}_first", True))
        if p != "home":
            rows.append((f"page: {page_names[p]}, distinct addresses p50 (ms)", f"page_{p}_distinct", True))
        rows.append((f"page: {page_names[p]}, repeated p50 (ms)", f"page_{p}_repeat", True))
    rows.append((f"page: {page_names['search']}, `wrk -t2 -c64` requests/s", "wrk_rps", True))
    rows.append((f"page: {page_names['search']}, `wrk -t2 -c64` p99 (ms)", "wrk_p99", True))
    rows.append(("server peak memory after the pages (MB)", "serve_mb", True))
    cli_names = {"stats": "`stats`", "person": f"`person \"{res[lo]['person']}\"`",
                 "trend": "`trend Russia`", "events": "`events --limit 20`"}
    for c in CLI:
        rows.append((f"CLI {cli_names[c]}, wall incl. start (ms)", f"cli_{c}", True))

    head = ["measure"]
    for n in sizes:
        head += [f"{n}× tealeaf", f"{n}× peer"]
    head += [f"growth {lo}×→{hi}× tealeaf", "peer"]
    lines = ["| " + " | ".join(head) + " |", "| --- |" + " ---: |" * (len(head) - 1)]
    for label, key, alone in rows:
        cells = [label]
        for n in sizes:
            v = res[n][key]
            t, p = (v, None) if alone else v
            cells += [fmt(t), fmt(p)]
        v0, v1 = res[lo][key], res[hi][key]
        if alone:
            cells += [growth(v0, v1), "—"]
        else:
            cells += [growth(v0[0], v1[0]), growth(v0[1], v1[1])]
        lines.append("| " + " | ".join(cells) + " |")
    loads = ", ".join(f"{n}×: {res[n]['load'][0]:.1f} → {res[n]['load_end'][0]:.1f}" for n in sizes)
    runs = ", ".join(f"{n}×: {res[n]['ingest_runs']}" for n in sizes)
    notes = [
        "",
        f"corpus `{Path(args.corpus).name}` copied n times with years shifted back (records: "
        + ", ".join(f"{n}×: {res[n]['records']:,}" for n in sizes) + f"); ingest runs (median): {runs}; "
        f"pages: first = median over {args.fresh} fresh servers of each page's first request, "
        f"distinct/repeated = median of {args.repeat} requests on an idle server, server-side "
        f"(`Server-Timing`); CLI: median of 5; load average (1 min) at start → end of each size: {loads}.",
    ]
    return "\n".join(lines + notes) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1,5,20")
    ap.add_argument("--runs", type=int, help="ingest runs at every size (default 3 at 1x, 2 at 5x, 1 above)")
    ap.add_argument("--fresh", type=int, default=3, help="fresh servers for the first requests")
    ap.add_argument("--repeat", type=int, default=20, help="requests per page for the medians")
    ap.add_argument("--wrk", type=int, default=10, help="seconds of wrk on the search page (0: none)")
    ap.add_argument("--corpus", default=str(SHARED / "corpus/kcna/kcna-2011.jsonl.gz"))
    ap.add_argument("--tealeaf", help="a tealeaf binary (default: build this tree's release)")
    ap.add_argument("--out", help="append the Markdown table to this file")
    ap.add_argument("--parts", action="store_true",
                    help="also ingest without analysis each run, to split the ingest into parts")
    args = ap.parse_args()
    sizes = sorted({int(s) for s in args.sizes.split(",")})
    if args.tealeaf:
        tealeaf = args.tealeaf
    else:
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "tealeaf"], cwd=ROOT, check=True,
                       timeout=3600)
        tealeaf = str(Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "release/tealeaf")
    peer = str(SHARED / "bench/fts5_baseline.py")
    work = Path(tempfile.mkdtemp(prefix="tealeaf-scale-"))
    res = {}
    try:
        for n in sizes:
            print(f"{n}x ...", file=sys.stderr)
            res[n] = measure(n, args, tealeaf, peer, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    md = table(res, sizes, args)
    print(md)
    if args.out:
        with open(args.out, "a") as f:
            f.write(md)


if __name__ == "__main__":
    main()
