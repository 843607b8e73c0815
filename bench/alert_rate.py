"""Benchmark (b): alert rate on 5,000 random ordinary names each from pypi.tsv and npm.tsv
(names outside the bundled targets), against the GuardDog-style baseline in the same process.

    .venv/bin/python bench/alert_rate.py [N]
"""

from __future__ import annotations

import sys
from collections import Counter

from _common import Baseline, random_ordinary

from confuguard import corpus
from confuguard.engine import Engine
from confuguard.types import Ecosystem, Verdict


def main(n: int = 5000) -> None:
    engine = Engine()
    for eco in (Ecosystem.PYPI, Ecosystem.NPM):
        c = corpus.load(eco)
        sample = random_ordinary(eco, c, n)
        results = engine.check_names(sample, eco)
        flagged = [r for r in results if r.verdict is Verdict.SUSPICIOUS]
        base = Baseline(c)
        base_flagged = sum(1 for s in sample if base.check(s, eco))
        cats = Counter(cat.value for r in flagged for cat in r.candidates[0].categories)
        rate, brate = len(flagged) / n, base_flagged / n
        print(f"{eco.value}: {len(flagged)}/{n} suspicious = {rate:.2%}; baseline {base_flagged}/{n} = {brate:.2%}; "
              f"ratio {rate / max(brate, 1e-9):.2f}")
        print("  by category of the best candidate:", dict(cats.most_common()))
        for r in flagged[:12]:
            print(f"   {r.query} -> {r.candidates[0].target} {[c_.value for c_ in r.candidates[0].categories]}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
