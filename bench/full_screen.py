"""Benchmark (d): screen every name of pypi.tsv against the PyPI targets: names/s and peak memory.

The GuardDog-style baseline screens the first 20,000 names in the same process for the ratio.

    .venv/bin/python bench/full_screen.py [LIMIT]
"""

from __future__ import annotations

import resource
import sys
import time

from _common import Baseline, list_names

from confuguard import corpus
from confuguard.engine import Engine
from confuguard.types import Ecosystem, Verdict


def main(limit: int | None = None) -> None:
    eco = Ecosystem.PYPI
    all_names = list_names(eco)[:limit] if limit else list_names(eco)
    engine = Engine()
    engine.warm([eco])
    start = time.perf_counter()
    counts = {v: 0 for v in Verdict}
    chunk = 20000
    for i in range(0, len(all_names), chunk):
        for r in engine.check_names(all_names[i : i + chunk], eco):
            counts[r.verdict] += 1
        done = min(i + chunk, len(all_names))
        rate = done / (time.perf_counter() - start)
        print(f"  {done}/{len(all_names)} names, {rate:.0f} names/s", file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    base = Baseline(corpus.load(eco))
    sample = all_names[:20000]
    t0 = time.perf_counter()
    for n in sample:
        base.check(n, eco)
    base_rate = len(sample) / (time.perf_counter() - t0)
    rate = len(all_names) / elapsed
    print(f"screened {len(all_names)} PyPI names in {elapsed:.0f} s: {rate:.0f} names/s, peak RSS {peak_mb:.0f} MB")
    print("verdicts:", {v.value: n for v, n in counts.items() if n})
    print(f"baseline (GuardDog-style OSA<=1, one process): {base_rate:.0f} names/s; ratio {rate / base_rate:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else None)
