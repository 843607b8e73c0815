"""Write presumed-benign training pairs: random ordinary registry names and the engine's candidates for them.

Random packages from the local store's snapshot rows (outside the popular lists) are overwhelmingly
harmless; the engine's lookalike candidates for them are the false alarms a sweep would raise. They
are written in the analyst-alert CSV shape (`registry,suspect,target,analyst_verdict=benign`) so
`confuguard train` can use them. Label noise (a few real squats among random names) is accepted and
documented in the model manifest.

    .venv/bin/python scripts/sample_ordinary.py --db STORE --per-registry 8000 --seed 1000 OUT.csv
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from confuguard.engine import Engine
from confuguard.evaluation import random_names
from confuguard.store import Store
from confuguard.types import Ecosystem


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--per-registry", type=int, default=8000)
    ap.add_argument("--seed", type=int, default=1000)
    ap.add_argument("--registry", action="append", default=None, help="pypi and npm by default")
    args = ap.parse_args(argv)
    regs = [Ecosystem.parse(r) for r in (args.registry or ["pypi", "npm"])]
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
