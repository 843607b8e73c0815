"""Benchmark (d): screen every name of pypi.tsv against the PyPI targets: names/s and peak memory.

The engine is loaded once and shared by `--workers` forked processes (copy-on-write), each
screening chunks with one thread. The GuardDog-style baseline screens the first 20,000 names in
the parent for the ratio.

    .venv/bin/python bench/full_screen.py [--limit N] [--workers 2] [--no-embeddings]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import sys
import time
from collections import Counter

from _common import Baseline, list_names

from confuguard import corpus
from confuguard.engine import Engine
from confuguard.types import Ecosystem

CHUNK = 2000
_ENGINE: Engine | None = None


def _screen(chunk: list[str]) -> Counter[str]:
    assert _ENGINE is not None
    return Counter(r.verdict.value for r in _ENGINE.check_names(chunk, Ecosystem.PYPI))


def _init_worker() -> None:
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    assert _ENGINE is not None
    _ENGINE.threads = 1


def main() -> None:
    global _ENGINE
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-embeddings", action="store_true")
    args = ap.parse_args()
    eco = Ecosystem.PYPI
    names_ = list_names(eco)[: args.limit] if args.limit else list_names(eco)
    _ENGINE = Engine(encoder=None) if args.no_embeddings else Engine()
    _ENGINE.warm([eco])
    _ENGINE.check_names(["warm-up-name", "reqeusts"], eco)
    chunks = [names_[i : i + CHUNK] for i in range(0, len(names_), CHUNK)]
    counts: Counter[str] = Counter()
    start = time.perf_counter()
    with mp.get_context("fork").Pool(args.workers, initializer=_init_worker) as pool:
        for n, c in enumerate(pool.imap_unordered(_screen, chunks), start=1):
            counts.update(c)
            if n % 25 == 0:
                done = sum(counts.values())
                print(f"  {done}/{len(names_)} names, {done / (time.perf_counter() - start):.0f} names/s",
                      file=sys.stderr, flush=True)
    elapsed = time.perf_counter() - start
    peak_parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    base = Baseline(corpus.load(eco))
    sample = names_[:20000]
    t0 = time.perf_counter()
    for n_ in sample:
        base.check(n_, eco)
    base_rate = len(sample) / (time.perf_counter() - t0)
    rate = len(names_) / elapsed
    mode = "without embeddings" if args.no_embeddings else "with embeddings"
    print(f"screened {len(names_)} PyPI names {mode}, {args.workers} workers, in {elapsed:.0f} s: {rate:.0f} names/s; "
          f"peak RSS parent {peak_parent:.0f} MB, largest worker {peak_child:.0f} MB "
          f"(total <= {peak_parent + args.workers * peak_child:.0f} MB, shared pages counted twice)")
    print("verdicts:", dict(counts.most_common()))
    print(f"baseline (GuardDog-style OSA<=1, one process): {base_rate:.0f} names/s; ratio {rate / base_rate:.2f}")


if __name__ == "__main__":
    main()
