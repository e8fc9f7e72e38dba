#!/usr/bin/env python3
"""Crawl throughput: `tealeaf crawl --delay 0` (fetch + WARC + extract +
store + index) against wget's recursive mirror writing a WARC (fetch + WARC
only), on the same local fixture site, side by side, medians of --runs.

The fixture is a threaded HTTP server on 127.0.0.1 serving a start page
that links to --pages article pages built from real KCNA text
(../shared/corpus/kcna/kcna-2011.jsonl.gz). Nothing leaves the machine.

    python3 bench/crawl.py --runs 3 --pages 1000
"""
import argparse, gzip, html, json, os, re, shutil, statistics, subprocess
import sys, tempfile, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared/corpus/kcna/kcna-2011.jsonl.gz"


def articles(n):
    out = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            paras = [p.strip() for p in a.get("story", "").split("\n\n") if p.strip()]
            if len(paras) >= 2:
                out.append((a["title"], paras))
            if len(out) == n:
                break
    return out


def pages(n):
    docs = {}
    links = []
    for i, (title, paras) in enumerate(articles(n)):
        path = f"/news/{i}.html"
        body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
        docs[path] = (
            f"<!doctype html><html><head><meta charset=utf-8><title>{html.escape(title)}"
            f"</title></head><body><nav><a href='/'>Home</a></nav><article>"
            f"<h1>{html.escape(title)}</h1>{body}</article></body></html>"
        ).encode()
        links.append(f"<li><a href='{path}'>{html.escape(title)}</a></li>")
    docs["/"] = (
        "<!doctype html><html><head><meta charset=utf-8><title>News</title></head>"
        f"<body><ul>{''.join(links)}</ul></body></html>"
    ).encode()
    return docs


def serve(docs):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Head and body in one segment: written apart on a kept-alive
        # connection, they wait for the client's delayed ACK (40 ms).
        disable_nagle_algorithm = True
        wbufsize = 1 << 16

        def do_GET(self):
            body = docs.get(self.path.split("#")[0])
            if body is None:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def peak_rss_mb(cmd):
    """Runs cmd under /usr/bin/time -v; returns (seconds, peak RSS MB)."""
    started = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if p.returncode not in (0, 8):  # wget exits 8 for the 404 of robots.txt
        sys.exit(f"{cmd[0]} failed ({p.returncode}): {p.stderr[-2000:]}")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", p.stderr)
    return seconds, (int(rss.group(1)) / 1024 if rss else float("nan"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--tealeaf", default=str(ROOT / "target/release/tealeaf"))
    args = ap.parse_args()
    if not CORPUS.exists():
        sys.exit(f"corpus missing: {CORPUS}")
    docs = pages(args.pages)
    n = len(docs)
    server = serve(docs)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    rows = {"tealeaf crawl": [], "wget --warc-file": []}
    mem = {"tealeaf crawl": [], "wget --warc-file": []}
    for run in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            data = Path(tmp) / "data"
            s, rss = peak_rss_mb([args.tealeaf, "--data", str(data), "crawl", base, "--once",
                                  "--delay", "0", "--allow-private", "--json"])
            rows["tealeaf crawl"].append(n / s)
            mem["tealeaf crawl"].append(rss)
            out = Path(tmp) / "wget"
            out.mkdir()
            s, rss = peak_rss_mb(["wget", "-q", "-r", "-l", "1", "--no-parent", "-e", "robots=on",
                                  "--warc-file", str(out / "crawl"), "-P", str(out), base])
            rows["wget --warc-file"].append(n / s)
            mem["wget --warc-file"].append(rss)
    server.shutdown()
    t, w = statistics.median(rows["tealeaf crawl"]), statistics.median(rows["wget --warc-file"])
    print(f"{n} pages, {args.runs} runs, medians")
    print("| tool | pages/s | peak RSS MB |")
    print("| --- | --- | --- |")
    for name in rows:
        print(f"| {name} | {statistics.median(rows[name]):.0f} | {statistics.median(mem[name]):.0f} |")
    print(f"| ratio tealeaf / wget | {t / w:.2f} | "
          f"{statistics.median(mem['tealeaf crawl']) / statistics.median(mem['wget --warc-file']):.2f} |")


if __name__ == "__main__":
    main()
