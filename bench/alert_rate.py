"""Benchmark (b): alert rate on 5,000 random ordinary names each from pypi.tsv and npm.tsv
(names outside the bundled targets), against the GuardDog-style baseline in the same process.

Two rates: name evidence only (every candidate suspicious), and after the benign classifier
with whatever the local store holds (`--db`, default store; import the snapshots first with
`confuguard db import-snapshot` for the full offline benefit).

    .venv/bin/python bench/alert_rate.py [N] [--db PATH]
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from _common import Baseline, random_ordinary

from confuguard import corpus
from confuguard.app import build_engine, open_store
from confuguard.types import Ecosystem, Verdict


def main(n: int, db: Path | None) -> None:
    store = open_store(db)
    print(f"store: {store.path if store else 'none (no metadata)'}")
    judged = build_engine(store=store)
    engine = build_engine(no_classifier=True)
    for eco in (Ecosystem.PYPI, Ecosystem.NPM):
        c = corpus.load(eco)
        sample = random_ordinary(eco, c, n)
        after = judged.check_names(sample, eco)
        n_after = sum(r.verdict is Verdict.SUSPICIOUS for r in after)
        results = engine.check_names(sample, eco)
        flagged = [r for r in results if r.verdict is Verdict.SUSPICIOUS]
        base = Baseline(c)
        base_flagged = sum(1 for s in sample if base.check(s, eco))
        cats = Counter(cat.value for r in flagged for cat in r.candidates[0].categories)
        rate, brate = len(flagged) / n, base_flagged / n
        print(f"{eco.value}: name evidence {len(flagged)}/{n} = {rate:.2%}; after the classifier "
              f"{n_after}/{n} = {n_after / n:.2%}; baseline {base_flagged}/{n} = {brate:.2%}; "
              f"ratio name-evidence/baseline {rate / max(brate, 1e-9):.2f}")
        print("  by category of the best candidate:", dict(cats.most_common()))
        for r in flagged[:12]:
            print(f"   {r.query} -> {r.candidates[0].target} {[c_.value for c_ in r.candidates[0].categories]}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=5000)
    ap.add_argument("--db", type=Path, default=None)
    a = ap.parse_args()
    main(a.n, a.db)
