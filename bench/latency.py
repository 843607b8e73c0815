"""Benchmark (c): `check` latency.

Warm: 5,000 names (random ordinary PyPI names, plus typos of popular ones) checked one at a time
by an engine already loaded: p50/p99 per name, and the batch throughput when the same names go
in one `check_names` call; the GuardDog-style baseline's per-name time in the same process.
Cold: a whole `confuguard check NAME` process, index already cached (median of 5 runs), and the
part of it the cached lookup tables save: loading them against building them, per registry.

    .venv/bin/python bench/latency.py [N]
"""

from __future__ import annotations

import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

from _common import Baseline, random_ordinary

from confuguard import corpus
from confuguard.app import build_engine
from confuguard.candidates import CandidateGenerator, prepare_tables
from confuguard.types import Ecosystem


def pct(values: list[float], p: float) -> float:
    """Percentile of `values` (nearest rank)."""
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))]


def main(n: int = 5000) -> None:
    eco = Ecosystem.PYPI
    c = corpus.load(eco)
    rng = random.Random(3)
    typos = []
    for t in rng.sample(c.targets[:2000], n // 10):
        s = t.leaf
        i = rng.randrange(len(s) - 1) if len(s) > 2 else 0
        typos.append(s[:i] + s[i + 1 : i + 2] + s[i] + s[i + 2 :])
    names_ = random_ordinary(eco, c, n - len(typos)) + typos
    rng.shuffle(names_)
    engine = build_engine()  # as `check` runs: embeddings and the benign classifier (no store)
    engine.warm([eco])
    engine.check_names(names_[:50], eco)
    lat = []
    for name in names_:
        t0 = time.perf_counter()
        engine.check_name(name, eco)
        lat.append((time.perf_counter() - t0) * 1000)
    t0 = time.perf_counter()
    engine.check_names(names_, eco)
    batch_s = time.perf_counter() - t0
    base = Baseline(c)
    blat = []
    for name in names_[:1000]:
        t0 = time.perf_counter()
        base.check(name, eco)
        blat.append((time.perf_counter() - t0) * 1000)
    print(f"warm single lookups ({len(names_)} names): p50 {pct(lat, 50):.2f} ms, p99 {pct(lat, 99):.2f} ms, "
          f"mean {statistics.mean(lat):.2f} ms")
    print(f"warm batch of {len(names_)}: {batch_s:.2f} s = {batch_s / len(names_) * 1000:.2f} ms/name "
          f"({len(names_) / batch_s:.0f} names/s)")
    print(f"baseline (GuardDog-style OSA<=1 scan) p50 {pct(blat, 50):.2f} ms; "
          f"ratio confuguard/baseline p50 {pct(lat, 50) / max(pct(blat, 50), 1e-9):.2f}")
    exe = shutil.which("confuguard") or sys.executable.replace("python", "confuguard")
    for name, registry in (("reqeusts", "pypi"), ("lodahs", "npm")):  # npm: the largest target list
        subprocess.run([exe, "check", name, "--registry", registry], capture_output=True)  # caches built
        cold = []
        for _ in range(5):
            t0 = time.perf_counter()
            subprocess.run([exe, "check", name, "--registry", registry], capture_output=True)
            cold.append(time.perf_counter() - t0)
        print(f"cold `confuguard check {name} --registry {registry}` process: median {statistics.median(cold):.2f} s, "
              f"max {max(cold):.2f} s over 5 runs")
    for eco in (Ecosystem.PYPI, Ecosystem.NPM):
        targets = corpus.load(eco)
        prepare_tables(targets)
        built, loaded = (_seconds(lambda c=cache: CandidateGenerator(targets, cache=c)) for cache in (False, True))
        print(f"{eco.value} lookup tables: load {loaded:.2f} s, build {built:.2f} s (ratio {built / loaded:.1f})")


def _seconds(make: Callable[[], object]) -> float:
    """Median wall time of three calls of `make`."""
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        make()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)

if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
