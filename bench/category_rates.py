#!/usr/bin/env python3
"""Category detector figures (dev tool; prints, never asserts).

(a) recall of `classify` on NeupaneDB real-malware pairs (suspect, true target), per registry and
    per fired category, plus the misses;
(b) false-fire rate: N random names from pypi.tsv / npm.tsv that are not among the top-15,000 PyPI /
    top-25,000 npm names; for each, the 20 nearest top names by rapidfuzz (WRatio, score_cutoff 70);
    share of random names for which any category fires, per category;
(c) classify latency per pair on those candidate pairs.

Usage: .venv/bin/python bench/category_rates.py [--n 5000] [--seed 7] [--show 20]
"""

from __future__ import annotations

import argparse
import collections
import csv
import random
import sys
import time
from pathlib import Path

from rapidfuzz import fuzz, process

from confuguard import names
from confuguard.categories import classify
from confuguard.errors import InputError
from confuguard.types import Ecosystem

EVAL = Path("/work/shared/eval/NeupaneDB_real_malware.csv")
PACKAGES = Path("/work/.library/env/packages")
REG = {"npm": Ecosystem.NPM, "RubyGems": Ecosystem.RUBYGEMS, "pip": Ecosystem.PYPI}


def neupane_rows() -> list[dict[str, str]]:
    with EVAL.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def recall(show: int) -> None:
    if not EVAL.is_file():
        print(f"(a) skipped: {EVAL} not found")
        return
    per = collections.defaultdict(lambda: [0, 0])
    cats: collections.Counter[str] = collections.Counter()
    skipped = same = 0
    misses = []
    for r in neupane_rows():
        eco = REG[r["registry"]]
        try:
            s = names.parse(r["typosquat_pkg"], eco)
            t = names.parse(r["legitimate_pkg"], eco)
        except InputError:
            skipped += 1
            continue
        if names.key(s) == names.key(t):
            same += 1
            continue
        f = classify(s, t)
        per[eco.value][1] += 1
        if f:
            per[eco.value][0] += 1
            cats.update(x.category.value for x in f)
        else:
            misses.append(f"{r['typosquat_pkg']} -> {r['legitimate_pkg']} ({r['registry']}, {r['categories']})")
    tot = [sum(v[0] for v in per.values()), sum(v[1] for v in per.values())]
    print(f"(a) NeupaneDB recall: {tot[0]}/{tot[1]} = {tot[0] / tot[1]:.3f}  "
          f"(skipped: {skipped} unparseable, {same} same key)")
    for k, (h, n) in sorted(per.items()):
        print(f"    {k:10s} {h}/{n} = {h / n:.3f}")
    print("    categories fired:", ", ".join(f"{k} {v}" for k, v in cats.most_common()))
    print(f"    misses ({len(misses)}):")
    for m in misses[:show]:
        print("      ", m)


def load(reg: str) -> tuple[list[str], list[str]]:
    rows = []
    with (PACKAGES / f"{reg}.tsv").open(encoding="utf-8", errors="replace") as fh:
        next(fh)
        for ln in fh:
            parts = ln.rstrip("\n").split("\t")
            rows.append(parts)
    if reg == "pypi":
        ranked = [(int(p[3]), p[0]) for p in rows if len(p) > 3 and p[3].strip().isdigit()]
        top = [n for _, n in sorted(ranked)[:15000]]
    else:
        ranked = [(-int(p[2]) if p[2].isdigit() else 0, p[0]) for p in rows if len(p) > 2]
        top = [n for _, n in sorted(ranked)[:25000]]
    topset = set(top)
    rest = [p[0] for p in rows if p and p[0] not in topset]
    return top, rest


def false_fire(n: int, seed: int, show: int) -> None:
    if not PACKAGES.is_dir():
        print(f"(b) skipped: {PACKAGES} not found")
        return
    for reg, eco in (("pypi", Ecosystem.PYPI), ("npm", Ecosystem.NPM)):
        top, rest = load(reg)
        rng = random.Random(seed)
        sample = rng.sample(rest, n)
        top_ids = []
        top_keys = []
        for name in top:
            try:
                top_ids.append(names.parse(name, eco))
                top_keys.append(name.lower())
            except InputError:
                pass
        fired = 0
        per: collections.Counter[str] = collections.Counter()
        examples: dict[str, list[str]] = collections.defaultdict(list)
        times = []
        pairs = 0
        for name in sample:
            try:
                s = names.parse(name, eco)
            except InputError:
                continue
            near = process.extract(name.lower(), top_keys, scorer=fuzz.WRatio, limit=20, score_cutoff=70)
            hit = set()
            for _, _, idx in near:
                t0 = time.perf_counter()
                f = classify(s, top_ids[idx])
                times.append(time.perf_counter() - t0)
                pairs += 1
                for x in f:
                    if x.category.value not in hit:
                        hit.add(x.category.value)
                        if len(examples[x.category.value]) < show:
                            examples[x.category.value].append(f"{name} -> {top_ids[idx]}: {x.detail}")
            if hit:
                fired += 1
                per.update(hit)
        print(f"(b) {reg}: {fired}/{len(sample)} random names fire any category = {fired / len(sample):.2%}")
        for k, v in per.most_common():
            print(f"    {k:26s} {v / len(sample):.2%}")
        times.sort()
        if times:
            print(f"    classify latency over {pairs} pairs: p50 {times[len(times) // 2] * 1e6:.1f} us, "
                  f"p99 {times[int(len(times) * 0.99)] * 1e6:.1f} us, mean {sum(times) / len(times) * 1e6:.1f} us")
        for k, ex in examples.items():
            print(f"    e.g. {k}:")
            for e in ex:
                print("       ", e)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--show", type=int, default=20)
    ap.add_argument("--skip-false-fire", action="store_true")
    a = ap.parse_args()
    recall(a.show)
    if not a.skip_false_fire:
        false_fire(a.n, a.seed, a.show)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
