#!/usr/bin/env python3
"""Change-tracking benchmark: a synthetic capture history built from real
kcna-2011 articles, with planted edits of every kind.

  python3 bench/changes.py run [--articles 100000] [--seed 2011] [--shuffle 0.2]
                               [--runs 3] [--no-build] [--keep] [--out FILE.md]
  python3 bench/changes.py gen --out DIR [--articles N] [--seed S] [--shuffle F]
  python3 bench/changes.py check --changes CHANGES.json --truth DIR/truth.jsonl

`gen` writes DIR/history.jsonl (tealeaf's capture format, plain JSONL) and
DIR/truth.jsonl (one line per article: the planted case and the changes it
must produce). Articles are the English kcna-2011 stories with three or more
paragraphs, reused under distinct ids (`k{copy}-{line}`, `line` being the
story's 0-based line in the corpus) and with the copy number in the title, so
that no two articles hold the same text. Every article has 5 captures, on
days 1..5 (2012-01-01..05). About 54% of the articles are left alone; the
others get one planted case at a random capture (2..5), the change lasting
to the last capture:

  case          what changes                                    expected
  word          one word swapped (or a number changed)          edited
  sentence      one sentence deleted (at most 1/3 of the text)  edited
  para_insert   a paragraph of another story inserted           edited
  para_move     one paragraph moved elsewhere, unchanged        edited
  rewrite       every paragraph reworked (every third word      rewritten
                dropped, or sentences/halves reordered) and the
                paragraphs after the lead in another order
  replaced      two articles swap their texts (title and body,  replaced (both)
                or the body only) at the same capture
  quotes        straight <-> curly quotes, both directions      cosmetic
  case          leader names or the title in capitals           cosmetic
  dash          hyphens between words as en dashes / U+2010     cosmetic
  entity        quotes and ampersands as HTML entities          cosmetic
  whitespace    doubled spaces, NBSP, tabs, a line break        none (same content hash)
  empty         one failed (empty) capture at day 2..4          none
  removal       410 at day 2..4 (sometimes a 404 after it),     removed, restored
                then the same text again

The file's lines are ordered by capture day with the articles shuffled
within each day; the captures of a `--shuffle` share of the articles (0.2 by
default) are scattered anywhere in the file instead, so that versions must be
ordered by capture time, not by arrival.

`check` compares `tealeaf changes --json` with the truth and exits non-zero
unless (1) every planted substantive change (all kinds but cosmetic) is
reported, at its article and capture, as a substantive change, (2) no planted
cosmetic change is reported as substantive, and (3) no change is reported
where none was planted. Exact kinds are tabulated too (`--strict` makes them
a fourth condition).

`run` does it all: builds tealeaf (release; CARGO_TARGET_DIR if set, else
<repo>/target; or takes --tealeaf BINARY), generates into a temporary
directory (removed at the end unless --keep), times the whole `tealeaf
ingest` process into a fresh data directory (wall clock, and CPU time and
peak memory from wait4), times `tealeaf changes --json > file` (median of
--runs), checks, and prints a Markdown summary for docs/benchmarks.md. It
exits 0 only when the check passes, ingest reaches 20,000 captures/s,
`changes --json` takes under 2 s, and ingest rejected nothing and counted
the planted empty captures. The load average before each timed step is
printed: on a busy machine the wall times mean little.

Standard library only.
"""
import argparse
import collections
import gzip
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared/corpus/kcna/kcna-2011.jsonl.gz"
CORPUS_SHOWN = "../shared/corpus/kcna/kcna-2011.jsonl.gz"

DAYS = 5
SUBSTANTIVE = {"edited", "rewritten", "replaced", "removed", "restored"}

# case -> (weight in % of articles, expected kinds)
CASES = {
    "none": (54, []),
    "word": (5, ["edited"]),
    "sentence": (5, ["edited"]),
    "para_insert": (4, ["edited"]),
    "para_move": (4, ["edited"]),
    "rewrite": (4, ["rewritten"]),
    "replaced": (4, ["replaced"]),
    "quotes": (4, ["cosmetic"]),
    "case": (3, ["cosmetic"]),
    "dash": (1, ["cosmetic"]),
    "entity": (1, ["cosmetic"]),
    "whitespace": (4, []),
    "empty": (3, []),
    "removal": (4, ["removed", "restored"]),
}
CASE_ORDER = list(CASES)

WORD_RE = re.compile(r"[A-Za-z]{3,}")
NUMBER_RE = re.compile(r"(?<![\w,.])\d{1,3}(?:,\d{3})*(?![\w,])")
ABBREV = {
    "mt", "mr", "mrs", "ms", "dr", "st", "no", "nos", "vol", "gen", "col", "lt",
    "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec",
    "prof", "rev", "gov", "sen", "rep", "jr", "sr", "co", "corp", "inc", "ltd",
    "vs", "etc", "approx", "fig", "p", "pp",
}
LEADERS = re.compile(r"\b(Kim Jong Il|Kim Il Sung|Kim Jong Un)\b")


# ---------------------------------------------------------------- corpus

def load_stories(corpus):
    """English kcna-2011 stories with a title and >= 3 paragraphs, one per
    distinct body: list of dicts (line, title, date, url, paragraphs)."""
    out, seen = [], set()
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line_no, line in enumerate(f):
            v = json.loads(line)
            if v.get("language") != "en":
                continue
            title, story = (v.get("title") or "").strip(), v.get("story") or ""
            ps = [p.strip() for p in story.split("\n\n") if p.strip()]
            if not title or len(ps) < 3:
                continue
            key = re.sub(r"\s+", " ", " ".join(ps)).lower()
            if key in seen:
                continue
            seen.add(key)
            out.append({"line": line_no, "title": title, "date": v.get("date"),
                        "url": v.get("url"), "paragraphs": ps})
    return out


def words_of(paragraphs):
    return [w.lower() for p in paragraphs for w in re.findall(r"\w+", p)]


def bigram_jaccard(a, b):
    sa, sb = set(zip(a, a[1:])), set(zip(b, b[1:]))
    if not sa and not sb:
        return 1.0
    return len(sa & sb) / len(sa | sb)


def lcs_len(a, b):
    """Length of the longest common subsequence of two word lists
    (bit-parallel, Hyyro 2004)."""
    if len(a) < len(b):
        a, b = b, a
    masks = {}
    for i, x in enumerate(a):
        masks[x] = masks.get(x, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full
    for y in b:
        u = v & masks.get(y, 0)
        v = ((v + u) | (v - u)) & full
    return len(a) - bin(v).count("1")


def changed_share(a, b):
    """Share of words deleted or inserted: 1 - 2 LCS / (|a| + |b|)."""
    if not a and not b:
        return 0.0
    return 1 - 2 * lcs_len(a, b) / (len(a) + len(b))


# ---------------------------------------------------------------- text edits

def sentence_spans(p):
    """(start, end) of the sentences of a paragraph, split after . ! ? (and a
    closing quote) before a capital, not after an abbreviation or an initial."""
    cuts = []
    for m in re.finditer(r"[.!?][\"\u201d']?\s+(?=[\"\u201c]?[A-Z])", p):
        before = re.search(r"(\w+)[.!?][\"\u201d']?\s*$", p[: m.end()])
        if before and (before.group(1).lower() in ABBREV or len(before.group(1)) == 1):
            continue
        cuts.append(m.end())
    bounds = [0] + cuts + [len(p)]
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]


def to_curly(s):
    out, opened = [], False
    for i, ch in enumerate(s):
        prev = s[i - 1] if i else " "
        if ch == '"':
            out.append("\u201d" if opened else "\u201c")
            opened = not opened
        elif ch == "'":
            out.append("\u2018" if (prev.isspace() or prev in "([{\u201c") else "\u2019")
        else:
            out.append(ch)
    return "".join(out)


def to_straight(s):
    return (s.replace("\u201c", '"').replace("\u201d", '"')
             .replace("\u2018", "'").replace("\u2019", "'"))


def respace(s, rng):
    """The same words with other white space (all of which tealeaf's content
    hash folds): doubled spaces, NBSP, a tab, a line break, padding."""
    s = s.replace(". ", ".  ")
    s = s.replace(", ", ",\u00a0", 1 + rng.randrange(3))
    if " " in s and rng.random() < 0.5:
        i = s.index(" ", len(s) // 2) if " " in s[len(s) // 2:] else s.index(" ")
        s = s[:i] + rng.choice(["\n", "\t", " \r\n "]) + s[i + 1:]
    return " " + s + rng.choice(["  ", "\u00a0", "\t", ""])


class Planter:
    def __init__(self, stories, rng):
        self.stories = stories
        self.rng = rng
        vocab = collections.Counter()
        for s in stories[:3000]:
            for p in s["paragraphs"]:
                vocab.update(w for w in WORD_RE.findall(p) if w.islower() and len(w) >= 4)
        self.vocab = [w for w, n in vocab.items() if n >= 3]

    # Each returns (new title, new paragraphs, detail) or None when the story
    # does not suit the case.

    def word(self, title, ps):
        rng = self.rng
        i = rng.randrange(len(ps))
        p = ps[i]
        nums = list(NUMBER_RE.finditer(p))
        if nums and rng.random() < 0.3:
            m = rng.choice(nums)
            old = m.group(0)
            value = int(old.replace(",", ""))
            value = value + rng.choice([1, 2, 10, -1]) if value > 1 else value + 3
            new = f"{value:,}" if "," in old else str(value)
        else:
            ms = [m for m in WORD_RE.finditer(p)]
            if not ms:
                return None
            m = rng.choice(ms)
            old = m.group(0)
            new = rng.choice(self.vocab)
            if old[0].isupper():
                new = new.capitalize()
        if new.lower() == old.lower():
            return None
        ps2 = list(ps)
        ps2[i] = p[: m.start()] + new + p[m.end():]
        return title, ps2, f"p{i}: {old!r} -> {new!r}"

    def sentence(self, title, ps):
        rng = self.rng
        total = len(words_of(ps))
        options = []
        for i, p in enumerate(ps):
            spans = sentence_spans(p)
            if len(spans) < 2:
                continue
            for a, b in spans:
                n = len(re.findall(r"\w+", p[a:b]))
                if 3 <= n and 3 * n <= total:
                    options.append((i, a, b))
        if not options:
            return None
        i, a, b = rng.choice(options)
        p = ps[i]
        ps2 = list(ps)
        ps2[i] = (p[:a] + p[b:]).strip()
        return title, ps2, f"p{i}: deleted {p[a:b].strip()[:60]!r}"

    def para_insert(self, title, ps, own_line):
        rng = self.rng
        total = len(words_of(ps))
        for _ in range(20):
            other = rng.choice(self.stories)
            if other["line"] == own_line:
                continue
            q = rng.choice(other["paragraphs"])
            n = len(re.findall(r"\w+", q))
            if 8 <= n <= total // 2 and q not in ps:
                at = rng.randrange(len(ps) + 1)
                ps2 = ps[:at] + [q] + ps[at:]
                return title, ps2, f"inserted at p{at} a paragraph of line {other['line']} ({n} of {total} words)"
        return None

    def para_move(self, title, ps):
        rng = self.rng
        i = rng.randrange(len(ps))
        j = rng.choice([k for k in range(len(ps)) if k != i])
        if ps[i] in ps[:i] + ps[i + 1:]:
            return None
        ps2 = list(ps)
        q = ps2.pop(i)
        ps2.insert(j, q)
        total = len(words_of(ps))
        n = len(re.findall(r"\w+", q))
        return title, ps2, f"p{i} -> p{j} of {len(ps)} ({n} of {total} words)"

    def rewrite(self, title, ps):
        """Much of the text rewritten, same story: every paragraph reworked
        (alternately: every third word dropped; sentences, or else the
        halves of the paragraph, in reverse order), then the paragraphs
        after the lead in reverse order. Kept only when at least 45% of the
        words changed (longest common subsequence of words) and at least 35% of the word pairs
        are shared (clearly a rewrite of the same story)."""
        out = []
        for i, p in enumerate(ps):
            if i % 2 == 0:
                w = p.split()
                out.append(" ".join(x for j, x in enumerate(w) if j % 3 != 2))
            else:
                spans = sentence_spans(p)
                if len(spans) >= 2:
                    out.append(" ".join(p[a:b].strip() for a, b in reversed(spans)))
                else:
                    w = p.split()
                    h = len(w) // 2
                    out.append(" ".join(w[h:] + w[:h]))
        out = out[:1] + out[1:][::-1]
        a, b = words_of(ps), words_of(out)
        ch, sim = changed_share(a, b), bigram_jaccard(a, b)
        if ch < 0.45 or sim < 0.35:
            return None
        return title, out, f"words changed {ch:.2f}, word-pair jaccard {sim:.2f}"

    def quotes(self, title, ps):
        if not any(c in t for t in [title] + ps for c in "\"'"):
            return None
        return title, ps, "quote style"  # the caller picks the direction

    def case(self, title, ps):
        rng = self.rng
        if any(LEADERS.search(p) for p in ps) and rng.random() < 0.7:
            ps2 = [LEADERS.sub(lambda m: m.group(0).upper(), p) for p in ps]
            return title, ps2, "leader names in capitals"
        if title.upper() != title:
            return title.upper(), ps, "title in capitals"
        return None

    def dash(self, title, ps):
        rng = self.rng
        dash = rng.choice(["\u2013", "\u2010", "\u2011"])
        ps2 = [re.sub(r"(?<=\w)-(?=\w)", dash, p) for p in ps]
        if ps2 == ps:
            return None
        return title, ps2, f"hyphens as U+{ord(dash):04X}"

    def entity(self, title, ps):
        ps2 = [p.replace("&", "&amp;").replace('"', "&quot;").replace("'", "&#39;") for p in ps]
        if ps2 == ps:
            return None
        return title, ps2, "quotes/ampersands as HTML entities"

    def whitespace(self, title, ps):
        return title, [respace(p, self.rng) for p in ps], "white space only"


# ---------------------------------------------------------------- gen

def day_time(day, rng):
    return f"2012-01-{day:02d}T{6 + rng.randrange(12):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}Z"


def gen(args):
    t0 = time.perf_counter()
    rng = random.Random(args.seed)
    stories = load_stories(args.corpus)
    if not stories:
        sys.exit(f"no stories in {args.corpus}")
    planter = Planter(stories, rng)
    n = args.articles

    # Which case each article gets (exact proportions, shuffled); replaced
    # articles are paired.
    weights = [CASES[c][0] for c in CASE_ORDER]
    counts = [n * w // sum(weights) for w in weights]
    counts[0] += n - sum(counts)
    ri = CASE_ORDER.index("replaced")
    if counts[ri] % 2:
        counts[ri] -= 1
        counts[0] += 1
    cases = [c for c, k in zip(CASE_ORDER, counts) for _ in range(k)]
    rng.shuffle(cases)

    # Base story of each article: cycle through the stories (reshuffled each
    # round) so that every story is used about equally; a story that does
    # not suit the article's case is swapped for one drawn at random.
    order = []
    copies = collections.Counter()
    articles = []
    skipped = collections.Counter()
    for idx in range(n):
        if not order:
            order = list(range(len(stories)))
            rng.shuffle(order)
        case = cases[idx]
        s = stories[order.pop()]
        articles.append({"story": s, "case": case})

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    history = out / "history.jsonl"
    truth_path = out / "truth.jsonl"

    def assign_id(s):
        c = copies[s["line"]]
        copies[s["line"]] += 1
        title = s["title"] if c == 0 else f"{s['title']} ({c + 1})"
        return f"k{c}-{s['line']}", title

    # Plant. states[d] for d in 0..4: ("text", title, paragraphs) |
    # ("gone", status) | ("empty",)
    planned = []
    replaced_queue = []
    for art in articles:
        case = art["case"]
        s = art["story"]
        for attempt in range(50):
            aid, title = assign_id(s)
            ps = s["paragraphs"]
            base = ("text", title, ps)
            states = [base] * DAYS
            at = rng.randint(2, DAYS)
            detail = ""
            expect = []
            ok = True
            if case == "none":
                pass
            elif case in ("word", "sentence", "para_move", "rewrite", "case", "dash", "entity", "whitespace"):
                r = getattr(planter, case)(title, ps)
                if r is None:
                    ok = False
                else:
                    t2, p2, detail = r
                    states[at - 1:] = [("text", t2, p2)] * (DAYS - at + 1)
            elif case == "para_insert":
                r = planter.para_insert(title, ps, s["line"])
                if r is None:
                    ok = False
                else:
                    t2, p2, detail = r
                    states[at - 1:] = [("text", t2, p2)] * (DAYS - at + 1)
            elif case == "quotes":
                if planter.quotes(title, ps) is None:
                    ok = False
                else:
                    curly = (to_curly(title), [to_curly(p) for p in ps])
                    if rng.random() < 0.5:
                        states = [base] * DAYS
                        states[at - 1:] = [("text",) + curly] * (DAYS - at + 1)
                        detail = "straight -> curly"
                    else:
                        states = [("text",) + curly] * DAYS
                        states[at - 1:] = [base] * (DAYS - at + 1)
                        detail = "curly -> straight"
            elif case == "empty":
                at = rng.randint(2, DAYS - 1)
                states[at - 1] = ("empty",)
                detail = f"empty capture at day {at}"
            elif case == "removal":
                at = rng.randint(2, DAYS - 1)
                states[at - 1] = ("gone", 410)
                back = at + 1
                if back < DAYS and rng.random() < 0.3:
                    states[back - 1] = ("gone", 404)
                    back += 1
                back = rng.randint(back, DAYS)
                for d in range(at + 1, back):
                    if states[d - 1][0] != "gone":
                        states[d - 1] = ("gone", 404)
                detail = f"410 at day {at}, back at day {back}"
                expect = [{"kind": "removed", "day": at}, {"kind": "restored", "day": back}]
            elif case == "replaced":
                pass  # paired below
            if ok:
                break
            # This story does not suit the case: undo the id, draw another.
            copies[s["line"]] -= 1
            skipped[case] += 1
            s = rng.choice(stories)
        else:
            sys.exit(f"could not plant {case}")
        if case not in ("removal", "replaced"):
            expect = [{"kind": k, "day": at} for k in CASES[case][1]]
        rec = {"id": aid, "case": case, "story": s, "states": states,
               "expect": expect, "detail": detail, "at": at}
        planned.append(rec)
        if case == "replaced":
            replaced_queue.append(rec)

    # Pairs swap their texts (both title and body, or the body only) at one
    # capture; partners are different stories (word-set overlap < 0.35).
    rng.shuffle(replaced_queue)
    unpaired = replaced_queue
    pairs = []
    while len(unpaired) >= 2:
        a = unpaired.pop()
        for k in range(len(unpaired) - 1, max(-1, len(unpaired) - 30), -1):
            b = unpaired[k]
            wa, wb = set(words_of(a["story"]["paragraphs"])), set(words_of(b["story"]["paragraphs"]))
            if a["story"]["line"] != b["story"]["line"] and len(wa & wb) / len(wa | wb) < 0.35:
                unpaired.pop(k)
                pairs.append((a, b))
                break
        else:
            a["case"], a["expect"], a["detail"] = "none", [], "replaced without a partner"
    for a in unpaired:
        a["case"], a["expect"], a["detail"] = "none", [], "replaced without a partner"
    for a, b in pairs:
        at = rng.randint(2, DAYS)
        whole = rng.random() < 0.5
        ta, pa = a["states"][0][1], a["states"][0][2]
        tb, pb = b["states"][0][1], b["states"][0][2]
        a["states"] = a["states"][: at - 1] + [("text", tb if whole else ta, pb)] * (DAYS - at + 1)
        b["states"] = b["states"][: at - 1] + [("text", ta if whole else tb, pa)] * (DAYS - at + 1)
        for x, y in ((a, b), (b, a)):
            x["at"] = at
            x["expect"] = [{"kind": "replaced", "day": at}]
            x["detail"] = f"{'title and body' if whole else 'body'} swapped with {y['id']}"
            x["partner"] = y["id"]

    # Lines: by day, articles shuffled within a day; a --shuffle share of
    # the articles has its captures anywhere in the file.
    keyed = []
    for rec in planned:
        s = rec["story"]
        floating = rng.random() < args.shuffle
        for d, st in enumerate(rec["states"], start=1):
            when = day_time(d, rng)
            if st[0] == "text":
                obj = {"id": rec["id"], "outlet": "kcna", "language": "en", "published": s["date"],
                       "url": s["url"], "captured_at": when, "title": st[1], "paragraphs": st[2]}
            elif st[0] == "gone":
                obj = {"id": rec["id"], "outlet": "kcna", "url": s["url"], "status": st[1],
                       "captured_at": when}
            else:
                obj = {"id": rec["id"], "outlet": "kcna", "url": s["url"], "captured_at": when,
                       "title": "", "paragraphs": []}
            key = rng.uniform(1, DAYS + 1) if floating else d + rng.random()
            keyed.append((key, json.dumps(obj, ensure_ascii=False)))
    keyed.sort(key=lambda x: x[0])
    with open(history, "w", encoding="utf-8") as f:
        for _, line in keyed:
            f.write(line)
            f.write("\n")
    with open(truth_path, "w", encoding="utf-8") as f:
        for rec in planned:
            t = {"id": rec["id"], "case": rec["case"], "at": rec["at"], "expect": rec["expect"],
                 "detail": rec["detail"], "line": rec["story"]["line"]}
            if "partner" in rec:
                t["partner"] = rec["partner"]
            f.write(json.dumps(t, ensure_ascii=False) + "\n")
    by_case = collections.Counter(r["case"] for r in planned)
    stats = {
        "articles": len(planned),
        "captures": len(keyed),
        "stories": len(stories),
        "cases": {c: by_case[c] for c in CASE_ORDER},
        "redrawn": dict(skipped),
        "failed_captures": sum(1 for r in planned for st in r["states"] if st[0] == "empty"),
        "gone_captures": sum(1 for r in planned for st in r["states"] if st[0] == "gone"),
        "bytes": history.stat().st_size,
        "seconds": round(time.perf_counter() - t0, 1),
        "seed": args.seed,
        "shuffle": args.shuffle,
    }
    (out / "gen.json").write_text(json.dumps(stats, indent=1) + "\n")
    print(json.dumps(stats), file=sys.stderr)
    return stats


# ---------------------------------------------------------------- check

def day_of(ts):
    m = re.match(r"\d{4}-\d\d-(\d\d)", ts or "")
    return int(m.group(1)) if m else None


def check(args):
    truth = {}
    with open(args.truth, encoding="utf-8") as f:
        for line in f:
            t = json.loads(line)
            truth[t["id"]] = t
    with open(args.changes, encoding="utf-8") as f:
        doc = json.load(f)
    found = collections.defaultdict(list)
    for c in doc["changes"]:
        found[c["id"]].append(c)
    unknown = [i for i in found if i not in truth]

    kinds = ["edited", "rewritten", "replaced", "cosmetic", "removed", "restored"]
    per_kind = {k: collections.Counter() for k in kinds}
    per_case = {c: collections.Counter() for c in CASE_ORDER}
    confusion = collections.Counter()  # (case, expected, found)
    examples = collections.defaultdict(list)  # failure label -> examples
    fail_recall = fail_cosmetic = fail_fp = 0
    misclassified = 0
    extra = 0

    def example(label, t, c, note=""):
        if len(examples[label]) < args.examples:
            examples[label].append({
                "id": t["id"], "case": t["case"], "detail": t["detail"], "note": note,
                "kind": c and c["kind"], "changed": c and c.get("changed"),
                "similarity": c and c.get("similarity"),
                "from": c and c["from"]["captured_at"], "to": c and c["to"]["captured_at"],
            })

    for aid, t in truth.items():
        got = {}
        for c in found.get(aid, []):
            got.setdefault(day_of(c["to"]["captured_at"]), []).append(c)
        case = t["case"]
        per_case[case]["articles"] += 1
        for e in t["expect"]:
            k, d = e["kind"], e["day"]
            per_kind[k]["planted"] += 1
            per_case[case]["planted"] += 1
            cs = got.pop(d, [])
            c = cs[0] if cs else None
            for more in cs[1:]:
                extra += 1
                fail_fp += 1
                example("extra change at a planted capture", t, more)
            if c is None:
                per_kind[k]["missed"] += 1
                per_case[case]["missed"] += 1
                confusion[(case, k, "-")] += 1
                if k in SUBSTANTIVE:
                    fail_recall += 1
                    example(f"missed {k} ({case})", t, None)
                else:
                    example(f"missed {k} ({case})", t, None)
                continue
            confusion[(case, k, c["kind"])] += 1
            if c["kind"] == k:
                per_kind[k]["found"] += 1
                per_case[case]["exact"] += 1
                continue
            misclassified += 1
            per_kind[k]["misclassified"] += 1
            per_case[case]["misclassified"] += 1
            example(f"{case}: {k} reported as {c['kind']}", t, c)
            if k in SUBSTANTIVE and c["kind"] not in SUBSTANTIVE:
                fail_recall += 1
            if k == "cosmetic" and c["kind"] in SUBSTANTIVE:
                fail_cosmetic += 1
        for d, cs in got.items():
            for c in cs:
                extra += 1
                fail_fp += 1
                per_case[case]["false_positive"] += 1
                example(f"change where none was planted ({case})", t, c)

    substantive_planted = sum(per_kind[k]["planted"] for k in kinds if k != "cosmetic")
    # Tables.
    lines = []
    lines.append("| kind | planted | found as it | misclassified | missed |")
    lines.append("| --- | ---: | ---: | ---: | ---: |")
    for k in kinds:
        p = per_kind[k]
        lines.append(f"| {k} | {p['planted']} | {p['found']} | {p['misclassified']} | {p['missed']} |")
    lines.append(f"| (nothing planted) | — | — | — | {sum(per_case[c]['false_positive'] for c in CASE_ORDER)} reported (false positives) |")
    lines.append("")
    lines.append("| case | articles | expected | changes planted | exact | misclassified | missed | false positives | reported kinds |")
    lines.append("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |")
    for case in CASE_ORDER:
        p = per_case[case]
        rep = collections.Counter()
        for (cs, _, fk), n in confusion.items():
            if cs == case:
                rep[fk] += n
        rep_s = ", ".join(f"{k} {n}" for k, n in sorted(rep.items(), key=lambda x: -x[1])) or "—"
        exp = ", ".join(CASES[case][1]) or "no change"
        lines.append(f"| {case} | {p['articles']} | {exp} | {p['planted']} | {p['exact']} | {p['misclassified']} | {p['missed']} | {p['false_positive']} | {rep_s} |")
    conds = [
        ("every planted substantive change found (as a substantive kind)",
         fail_recall == 0, f"{substantive_planted - fail_recall}/{substantive_planted}"),
        ("no cosmetic change reported as substantive", fail_cosmetic == 0,
         f"{fail_cosmetic} of {per_kind['cosmetic']['planted']}"),
        ("no change reported where none was planted", fail_fp == 0 and not unknown,
         f"{fail_fp} false positives" + (f", {len(unknown)} unknown ids" if unknown else "")),
    ]
    lines.append("")
    for name, ok, note in conds:
        lines.append(f"- {'PASS' if ok else 'FAIL'}: {name} ({note})")
    total_planted = sum(per_kind[k]["planted"] for k in kinds)
    lines.append(f"- {'PASS' if misclassified == 0 else ('FAIL' if args.strict else 'INFO')}: "
                 f"every change of its planted kind ({total_planted - misclassified - sum(per_kind[k]['missed'] for k in kinds)}"
                 f"/{total_planted} exact; {misclassified} misclassified)")
    lines.append(f"- changes reported: {doc.get('total', len(doc['changes']))}")
    table = "\n".join(lines)
    print(table)
    if examples and args.examples > 0:
        print("\nexamples:")
        for label, exs in sorted(examples.items()):
            n = sum(1 for _ in exs)
            print(f"  {label}:")
            for e in exs:
                ch = f"changed {e['changed']:.3f}" if isinstance(e["changed"], (int, float)) else "changed -"
                si = f"similarity {e['similarity']:.3f}" if isinstance(e["similarity"], (int, float)) else "similarity -"
                print(f"    {e['id']}: {e['detail']}; reported {e['kind']} {e['from']} -> {e['to']}, {ch}, {si}")
    ok = all(c[1] for c in conds) and (misclassified == 0 or not args.strict)
    result = {"ok": ok, "total": doc.get("total", len(doc["changes"])), "table": table, "examples": examples, "misclassified": misclassified,
              "confusion": {f"{a}|{b}|{c}": n for (a, b, c), n in confusion.items()}}
    if args.report:
        Path(args.report).write_text(json.dumps(result, indent=1, default=str) + "\n")
    return result


# ---------------------------------------------------------------- run

def timed(cmd, stdout=subprocess.PIPE, ok_codes=(0,)):
    """Runs cmd as one process: wall seconds, peak RSS (MB) and CPU seconds
    from wait4, stdout. The parent must be small when it starts the child:
    Linux counts the parent's RSS at fork into the child's ru_maxrss.
    `tealeaf ingest` exits 1 when it rejected records (its summary says
    which): that is for the check to judge, not a failed run."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=stdout, stderr=err)
        out = p.stdout.read() if stdout == subprocess.PIPE else b""
        _, status, usage = os.wait4(p.pid, 0)
        secs = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        if code not in ok_codes:
            err.seek(0)
            sys.exit(f"failed ({code}): {' '.join(map(str, cmd))}\n"
                     f"{err.read().decode(errors='replace')[-2000:]}")
    return {"secs": secs, "rss": usage.ru_maxrss / 1024.0,
            "cpu": usage.ru_utime + usage.ru_stime, "out": out.decode()}


def loadavg():
    try:
        return float(open("/proc/loadavg").read().split()[0])
    except OSError:
        return float("nan")


def rejected_note(summary):
    errs = collections.Counter(re.sub(r"`[^`]*`", "`ID`", e.get("message", ""))
                               for e in summary.get("errors", []))
    if not errs:
        return ""
    listed = sum(errs.values())
    return " (" + "; ".join(f"{n} × {m}" for m, n in errs.most_common()) + (
        f"; of {listed} listed" if listed != summary.get("rejected") else "") + ")"


def git_rev():
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                             text=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True).stdout.strip()
        return rev + (" (with uncommitted changes)" if dirty else "")
    except OSError:
        return "?"


def cpu_name():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def run(args):
    target = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
    if args.tealeaf:
        built = Path(args.tealeaf)
    else:
        if not args.no_build:
            subprocess.run(["cargo", "build", "--release", "-q", "-p", "tealeaf"], cwd=ROOT, check=True)
        built = target / "release/tealeaf"
    work = Path(tempfile.mkdtemp(prefix="tealeaf-changes-bench-", dir=args.tmp))
    try:
        # A private copy: a rebuild during the run must not swap the binary.
        tealeaf = str(work / "tealeaf")
        shutil.copy2(built, tealeaf)
        print(f"generating {args.articles} articles into {work} ...", file=sys.stderr)
        # In a child process, so that this one stays small (see timed).
        subprocess.run([sys.executable, __file__, "gen", "--out", str(work),
                        "--articles", str(args.articles), "--seed", str(args.seed),
                        "--shuffle", str(args.shuffle), "--corpus", str(args.corpus)], check=True)
        g = json.loads((work / "gen.json").read_text())
        hist = work / "history.jsonl"
        subprocess.run(["cat", str(hist)], stdout=subprocess.DEVNULL, check=True)  # in the page cache
        ingests = []
        for i in range(args.ingest_runs):
            data = work / "data"
            shutil.rmtree(data, ignore_errors=True)
            load = loadavg()
            print(f"ingest run {i + 1} (load average {load:.2f}) ...", file=sys.stderr)
            r = timed([tealeaf, "--data", str(data), "ingest", "--json", str(hist)], ok_codes=(0, 1))
            r["load"] = load
            r["summary"] = json.loads(r["out"])
            ingests.append(r)
            print(f"  {r['secs']:.1f} s wall, {r['cpu']:.1f} s CPU, {g['captures'] / r['secs']:,.0f} captures/s, "
                  f"peak {r['rss']:.0f} MB", file=sys.stderr)
        ing = sorted(ingests, key=lambda r: r["secs"])[len(ingests) // 2]
        summary = ing["summary"]
        changes_path = work / "changes.json"
        cruns = []
        for i in range(args.runs):
            load = loadavg()
            with open(changes_path, "wb") as f:
                r = timed([tealeaf, "--data", str(data), "changes", "--json"], stdout=f)
            r["load"] = load
            cruns.append(r)
            print(f"changes --json run {i + 1}: {r['secs']:.3f} s (load average {load:.2f})", file=sys.stderr)
        csize = changes_path.stat().st_size
        res = check(argparse.Namespace(changes=changes_path, truth=work / "truth.jsonl",
                                       examples=args.examples, strict=args.strict,
                                       report=args.report))
        med = statistics.median(r["secs"] for r in cruns)
        rate = g["captures"] / ing["secs"]
        sum_ok = (summary.get("rejected") == 0 and summary.get("failed_captures") == g["failed_captures"])
        ingest_runs = ", ".join(f"{r['secs']:.1f}" for r in ingests)
        changes_runs = ", ".join(f"{r['secs']:.3f}" for r in cruns)
        loads = ", ".join(f"{r['load']:.2f}" for r in ingests + cruns)
        cmd = (f"python3 bench/changes.py run --articles {args.articles} --seed {args.seed} "
               f"--shuffle {args.shuffle}")
        if args.ingest_runs != 1 or args.runs != 3:
            cmd += f" --ingest-runs {args.ingest_runs} --runs {args.runs}"
        md = [
            "### Change tracking (`bench/changes.py`)",
            "",
            f"Synthetic history from `{CORPUS_SHOWN}`: {g['articles']:,} articles "
            f"({g['stories']:,} distinct English stories of 3+ paragraphs, reused under distinct ids and titles), "
            f"{DAYS} captures each = {g['captures']:,} capture records ({g['bytes'] / 1e6:,.0f} MB of JSONL; "
            f"{g['failed_captures']:,} empty and {g['gone_captures']:,} gone captures among them), "
            f"seed {g['seed']}, {g['shuffle']:.0%} of the articles' captures scattered out of order.",
            "",
            "```sh",
            cmd,
            "```",
            "",
            "| measure | value | target |",
            "| --- | ---: | --- |",
            f"| `tealeaf ingest` wall time (whole process{', median of %d' % len(ingests) if len(ingests) > 1 else ''}) | {ing['secs']:.1f} s | |",
            f"| ingest rate | {rate:,.0f} captures/s | ≥ 20,000 ({'met' if rate >= 20000 else 'NOT met'}) |",
            f"| ingest CPU time (user + system) | {ing['cpu']:.1f} s | |",
            f"| ingest peak memory (RSS) | {ing['rss']:.0f} MB | |",
            f"| `tealeaf changes --json > file` (median of {len(cruns)}) | {med:.2f} s | < 2 s ({'met' if med < 2 else 'NOT met'}) |",
            f"| changes reported / output size | {res['total']:,} / {csize / 1e6:.0f} MB | |",
            f"| `changes --json` peak memory | {max(r['rss'] for r in cruns):.0f} MB | |",
            "",
            f"Ingest runs (s): {ingest_runs}; changes --json runs (s): {changes_runs}; "
            f"load average before each: {loads}. "
            f"Ingest summary: read {summary.get('read')}, new_articles {summary.get('new_articles')}, "
            f"new_versions {summary.get('new_versions')}, unchanged {summary.get('unchanged')}, "
            f"failed_captures {summary.get('failed_captures')} (planted {g['failed_captures']}), "
            f"rejected {summary.get('rejected')}{rejected_note(summary)}; its own clock: {summary.get('seconds')} s.",
            "",
            res["table"],
            "",
            f"Machine: {os.cpu_count()} CPUs ({cpu_name()}), Python {platform.python_version()}; "
            f"tree {git_rev()}" + (f", binary {args.tealeaf}" if args.tealeaf else "") + ".",
        ]
        text = "\n".join(md)
        print()
        print(text)
        if args.out:
            Path(args.out).write_text(text + "\n")
        ok = res["ok"] and rate >= 20000 and med < 2 and sum_ok
        if not sum_ok:
            print("ingest summary: rejected records or failed captures not as planted", file=sys.stderr)
        return 0 if ok else 1
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)

    def gen_args(p):
        p.add_argument("--articles", type=int, default=100_000)
        p.add_argument("--seed", type=int, default=2011)
        p.add_argument("--shuffle", type=float, default=0.2,
                       help="share of articles whose captures are scattered anywhere in the file")
        p.add_argument("--corpus", default=str(CORPUS))

    def check_args(p):
        p.add_argument("--examples", type=int, default=3, help="examples per failure kind")
        p.add_argument("--strict", action="store_true", help="exact kinds are a condition too")
        p.add_argument("--report", help="write the check's result as JSON here")

    g = sub.add_parser("gen", help="write DIR/history.jsonl and DIR/truth.jsonl")
    g.add_argument("--out", required=True)
    gen_args(g)
    c = sub.add_parser("check", help="compare `tealeaf changes --json` with the truth")
    c.add_argument("--changes", required=True)
    c.add_argument("--truth", required=True)
    check_args(c)
    r = sub.add_parser("run", help="build, gen, ingest, changes, check; Markdown summary")
    gen_args(r)
    check_args(r)
    r.add_argument("--runs", type=int, default=3, help="`changes --json` runs (median)")
    r.add_argument("--ingest-runs", type=int, default=1, help="ingests, each into a fresh data directory (median)")
    r.add_argument("--no-build", action="store_true", help="use the binary already built")
    r.add_argument("--tealeaf", help="use this tealeaf binary (implies --no-build)")
    r.add_argument("--keep", action="store_true", help="keep the temporary directory")
    r.add_argument("--tmp", help="where to make the temporary directory")
    r.add_argument("--out", help="also write the Markdown summary here")
    a = ap.parse_args()
    if a.cmd == "gen":
        gen(a)
        return 0
    if a.cmd == "check":
        return 0 if check(a)["ok"] else 1
    return run(a)


if __name__ == "__main__":
    sys.exit(main())
