"""Benchmark (d): screen a registry's names against its targets: names/s and peak memory.

Names: every name of pypi.tsv / npm.tsv for PyPI / npm (`--limit` takes a random sample); for
Maven and Go the names of the package lists' maven-partial.tsv / go-partial.tsv, plus look-alikes
of the targets; for RubyGems and Hugging Face, which have no name list here, look-alikes of the
targets (one random typo, a filler word added, separators changed, drawn with a fixed seed), so
every generator works as on a stream of suspects. The engine is loaded once and shared by
`--workers` forked processes (copy-on-write), each screening chunks with one thread. The
GuardDog-style baseline screens the first 20,000 names in the parent for the ratio.

    .venv/bin/python bench/full_screen.py [--registry pypi|npm|rubygems|maven|golang|huggingface] [--limit N]
                                         [--workers 2] [--no-embeddings]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import resource
import sys
import time
from collections import Counter

from _common import PACKAGES, Baseline, list_names

from confuguard import corpus
from confuguard.engine import Engine
from confuguard.types import Ecosystem

CHUNK = 2000
_ENGINE: Engine | None = None
_ECO = Ecosystem.PYPI
_PARTIAL = {Ecosystem.MAVEN: "maven-partial.tsv", Ecosystem.GOLANG: "go-partial.tsv"}
_FILLERS = ("js", "py", "lib", "utils", "core", "dev", "2", "sdk", "plugin", "cli")


def lookalikes(eco: Ecosystem, n: int, seed: int = 5) -> list[str]:
    """`n` look-alikes of the registry's targets: a typo, a filler word or a separator change each."""
    rng = random.Random(seed)
    targets = corpus.load(eco).targets
    out = []
    while len(out) < n:
        name = str(rng.choice(targets).package)
        head, cut, leaf = name.rpartition(":" if eco is Ecosystem.MAVEN else "/")
        how = rng.randrange(4)
        if how == 0 and len(leaf) > 3:  # swap two neighbours
            i = rng.randrange(len(leaf) - 1)
            leaf = leaf[:i] + leaf[i + 1] + leaf[i] + leaf[i + 2 :]
        elif how == 1 and len(leaf) > 3:  # drop a letter
            i = rng.randrange(len(leaf))
            leaf = leaf[:i] + leaf[i + 1 :]
        elif how == 2:
            leaf = f"{leaf}-{rng.choice(_FILLERS)}" if rng.random() < 0.5 else f"{rng.choice(_FILLERS)}-{leaf}"
        else:
            leaf = leaf.replace("-", "_") if "-" in leaf else leaf.replace("_", "-") + "x"
        out.append(head + cut + leaf)
    return out


def screen_names(eco: Ecosystem, limit: int | None) -> list[str]:
    """The names to screen for `eco` (see the module docstring)."""
    if eco in (Ecosystem.PYPI, Ecosystem.NPM):
        names_ = list_names(eco)
        return random.Random(7).sample(names_, limit) if limit and limit < len(names_) else names_
    listed: list[str] = []
    if eco in _PARTIAL and (PACKAGES / _PARTIAL[eco]).exists():
        with (PACKAGES / _PARTIAL[eco]).open(encoding="utf-8", errors="replace") as fh:
            next(fh)
            listed = [line.split("\t", 1)[0] for line in fh if line.strip()]
    n = limit or 20000
    return (listed + lookalikes(eco, max(0, n - len(listed))))[:n]


def _screen(chunk: list[str]) -> Counter[str]:
    assert _ENGINE is not None
    return Counter(r.verdict.value for r in _ENGINE.check_names(chunk, _ECO))


def _init_worker() -> None:
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    assert _ENGINE is not None
    _ENGINE.threads = 1


def main() -> None:
    global _ENGINE, _ECO
    ap = argparse.ArgumentParser()
    ap.add_argument("--registry", default="pypi", choices=[e.value for e in Ecosystem])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-embeddings", action="store_true")
    args = ap.parse_args()
    eco = _ECO = Ecosystem(args.registry)
    names_ = screen_names(eco, args.limit)
    _ENGINE = Engine(encoder=None) if args.no_embeddings else Engine()
    _ENGINE.warm([eco])
    _ENGINE.check_names(names_[:2], eco)
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
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_ms = (child.ru_utime + child.ru_stime) * 1000 / len(names_)
    peak_parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak_child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    base = Baseline(corpus.load(eco))
    sample = names_[:20000]
    t0, c0 = time.perf_counter(), time.process_time()
    for n_ in sample:
        base.check(n_, eco)
    base_rate = len(sample) / (time.perf_counter() - t0)
    base_cpu_ms = (time.process_time() - c0) * 1000 / len(sample)
    rate = len(names_) / elapsed
    mode = "without embeddings" if args.no_embeddings else "with embeddings"
    print(f"screened {len(names_)} {eco.value} names {mode}, {args.workers} workers, in {elapsed:.0f} s: {rate:.0f} names/s; "
          f"peak RSS parent {peak_parent:.0f} MB, largest worker {peak_child:.0f} MB "
          f"(total <= {peak_parent + args.workers * peak_child:.0f} MB, shared pages counted twice)")
    print(f"CPU {cpu_ms:.2f} ms a name in the workers: {1000 / cpu_ms:.0f} names/s per core, whatever else the machine runs")
    print("verdicts:", dict(counts.most_common()))
    print(f"baseline (GuardDog-style OSA<=1, one process): {base_rate:.0f} names/s; ratio {rate / base_rate:.2f}; "
          f"CPU {base_cpu_ms:.2f} ms a name (CPU ratio {base_cpu_ms / cpu_ms:.2f})")


if __name__ == "__main__":
    main()
