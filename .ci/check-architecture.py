#!/usr/bin/env python3
"""Fails when a crate depends on a crate that its row in docs/architecture.md
says it must not touch, or when a workspace crate has no row there.

The table in docs/architecture.md has one row per crate; its first cell
names the crate's folder (`crates/NAME`), and its "must not touch" cell
names the crates it must not depend on (`tealeaf-...`), among other things.
Dependencies are read from `cargo metadata` (normal and build
dependencies; dev-dependencies may reach further, for tests).
"""
import json, re, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs/architecture.md"


def rows():
    """(folder, must-not-touch cell) for each row of the crates table."""
    header, out = None, []
    for line in DOC.read_text().splitlines():
        if not line.startswith("|"):
            header = None if not out else header
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if header is None:
            header = [c.lower() for c in cells]
            continue
        if set(cells[0]) <= set("-: "):
            continue
        if "must not touch" not in header:
            continue
        folder = re.search(r"crates/[\w-]+", cells[0])
        if folder:
            out.append((folder.group(0), cells[header.index("must not touch")]))
    return out


def main():
    meta = json.loads(subprocess.run(
        ["cargo", "metadata", "--no-deps", "--format-version", "1", "--offline"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout)
    members = set(meta["workspace_members"])
    packages = {}
    for p in meta["packages"]:
        if p["id"] in members:
            folder = str(Path(p["manifest_path"]).parent.relative_to(ROOT))
            deps = {d["name"] for d in p["dependencies"] if d.get("kind") in (None, "build")}
            packages[folder] = (p["name"], deps)
    table = dict(rows())
    problems = []
    for folder, (name, deps) in sorted(packages.items()):
        if folder not in table:
            problems.append(f"{folder} ({name}) has no row in docs/architecture.md")
            continue
        forbidden = set(re.findall(r"tealeaf-[\w-]+", table[folder]))
        for dep in sorted(deps & forbidden):
            problems.append(f"{name} depends on {dep}, which its row in docs/architecture.md says it must not touch")
    for folder in sorted(set(table) - set(packages)):
        problems.append(f"docs/architecture.md has a row for {folder}, which is not a workspace crate")
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)
    print(f"architecture: {len(packages)} crates, each within its row of docs/architecture.md")


if __name__ == "__main__":
    main()
