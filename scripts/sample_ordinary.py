"""Write presumed-benign training pairs: random ordinary registry names and the engine's candidates for them.

Random packages from the local store's snapshot rows (outside the popular lists) are overwhelmingly
harmless; the engine's lookalike candidates for them are the false alarms a sweep would raise. They
are written in the analyst-alert CSV shape (`registry,suspect,target,analyst_verdict=benign`) so
`confuguard train` can use them. Label noise (a few real squats among random names) is accepted and
documented in the model manifest.

    .venv/bin/python scripts/sample_ordinary.py --db STORE --per-registry 8000 --seed 1000 OUT.csv

`--published DIR` samples instead the ordinary *new* packages of the package lists in DIR (`recent_ordinary`:
PyPI projects released in `pypi.tsv`'s two newest months outside its top 15,000, npm packages with at most
1,500 downloads a month, outside the bundled popular lists and the security-holding placeholders
`signals.is_security_holding` reads), with their version and summary as published,
for publication-time training (`published` CSV: the alert columns plus `version`, `summary`). Only names in
the training half (`in_training_half`) are used: `bench/nightly_sweep.py` publishes the other half.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import sys
from collections.abc import Iterator
from pathlib import Path

from confuguard import corpus, names
from confuguard.engine import Engine
from confuguard.errors import InputError
from confuguard.evaluation import random_names
from confuguard.signals import is_security_holding
from confuguard.snapshot import _TESTED_NOTE, column_name
from confuguard.store import Store
from confuguard.training import as_published
from confuguard.types import Ecosystem

#: npm packages with at most this many downloads a month are low-download.
NPM_LOW_DOWNLOADS = 1500


def in_training_half(name: str) -> bool:
    """Half of all names, by a hash: training uses these, the nightly-sweep benchmark the others."""
    return int(hashlib.sha256(name.lower().encode()).hexdigest()[:8], 16) % 2 == 0


def _tsv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", errors="replace") as fh:
        header = [column_name(c) for c in fh.readline().rstrip("\n").split("\t")]
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= len(header):
                yield dict(zip(header, cols))


def recent_ordinary(eco: Ecosystem, packages_dir: Path) -> list[tuple[str, str, str]]:
    """(name, version, summary) of every ordinary new package of the list (see the module docstring)."""
    popular = {t.key for t in corpus.load(eco).targets}
    pool: list[tuple[str, str, str]] = []
    if eco is Ecosystem.PYPI:
        rows = list(_tsv(packages_dir / "pypi.tsv"))
        months = sorted({r["month"] for r in rows if r["month"][:2] in ("19", "20")})[-2:]
        picked = (r for r in rows if r["month"] in months and not r["rank_among_15000_most_downloaded"].strip())
    elif eco is Ecosystem.NPM:
        picked = (r for r in _tsv(packages_dir / "npm.tsv")
                  if r["downloads_a_month"].isdigit() and int(r["downloads_a_month"]) <= NPM_LOW_DOWNLOADS)
    else:
        raise InputError(f"no package list for {eco.value}")
    for r in picked:
        try:
            pkg = names.parse(r["name"], eco)
        except InputError:
            continue
        summary = _TESTED_NOTE.sub("", r["summary"]).strip()
        # a security-holding placeholder is a taken-down attack's (or a reserved) name, not an ordinary package
        if names.key(pkg) not in popular and not is_security_holding(as_published(pkg, r["version"], summary)):
            pool.append((r["name"], r["version"], summary))
    return pool


def published(out: Path, packages_dir: Path, regs: list[Ecosystem], per_registry: int, seed: int) -> int:
    """Write the `published` CSV of ordinary new packages in the training half; return the rows written."""
    engine = Engine(encoder=None)
    rows = 0
    with out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["registry", "suspect", "target", "analyst_verdict", "note", "version", "summary"])
        for eco in regs:
            pool = [p for p in recent_ordinary(eco, packages_dir) if in_training_half(p[0])]
            sample = random.Random(seed).sample(pool, min(per_registry, len(pool)))
            info = {names.key(names.parse(n, eco)): (v, s) for n, v, s in sample}
            for res in engine.check_many([names.parse(n, eco) for n, _, _ in sample]):
                v, summ = info[names.key(res.package)] if res.package is not None else ("", "")
                for c in res.candidates[:3]:
                    w.writerow([eco.value, res.query, str(c.target), "benign", "presumed benign: ordinary new package",
                                v, summ])
                    rows += 1
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--db", type=Path, default=None, help="store with imported snapshots (random ordinary names)")
    ap.add_argument("--published", type=Path, default=None, metavar="DIR",
                    help="package lists folder: sample ordinary new packages as published instead")
    ap.add_argument("--per-registry", type=int, default=8000)
    ap.add_argument("--seed", type=int, default=1000)
    ap.add_argument("--registry", action="append", default=None, help="pypi and npm by default")
    args = ap.parse_args(argv)
    regs = [Ecosystem.parse(r) for r in (args.registry or ["pypi", "npm"])]
    if args.published is not None:
        rows = published(args.out, args.published, regs, args.per_registry, args.seed)
        print(f"{args.out}: {rows} presumed-benign published pairs", file=sys.stderr)
        return 0 if rows else 1
    if args.db is None:
        ap.error("--db is required (or --published DIR)")
    engine = Engine(encoder=None)
    rows = 0
    with Store.open(args.db) as store, args.out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["registry", "suspect", "target", "analyst_verdict", "note"])
        for eco in regs:
            pkgs = random_names(store, eco, args.per_registry, seed=args.seed)
            for res in engine.check_many(pkgs):
                for c in res.candidates[:1]:
                    w.writerow([eco.value, res.query, str(c.target), "benign", "presumed benign: random ordinary name"])
                    rows += 1
    print(f"{args.out}: {rows} presumed-benign pairs", file=sys.stderr)
    if rows == 0:
        print(f"no pairs: the store {args.db} has no snapshot rows of {', '.join(e.value for e in regs)} "
              "(import the snapshots first)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
