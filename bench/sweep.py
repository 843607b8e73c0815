"""Benchmark: `sweep --from` over 100,000 PyPI names with the offline snapshot: names/s and peak memory.

The pypi.tsv snapshot is imported into a temporary store (`snapshot.import_snapshot`), the engine is
built as `confuguard sweep` builds it (`app.build_engine`: embeddings and the classifier
on, judging with the store's metadata), and a random sample of names is written to a file. Then, in
the same process and on the same names:

* baseline: `engine.check_names` in 512-name chunks, nothing persisted;
* sweep: `Sweep(store, engine, offline=True).file(...)`, i.e. the full path with per-batch
  transactions (checked packages, alerts, file progress).

    .venv/bin/python bench/sweep.py [--limit 100000] [--no-embeddings] [--batch-size 512]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from _common import PACKAGES, list_names, need

from confuguard.app import build_engine
from confuguard.snapshot import import_snapshot
from confuguard.store import Store
from confuguard.sweep import Sweep
from confuguard.types import Ecosystem


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=100_000)
    ap.add_argument("--no-embeddings", action="store_true")
    ap.add_argument("--batch-size", type=int, default=512)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    snapshot = need(PACKAGES / "pypi.tsv", "pypi.tsv")
    with tempfile.TemporaryDirectory(prefix="confuguard-bench-") as tmp:
        store = Store.open(Path(tmp) / "bench.db")
        t0 = time.perf_counter()
        rep = import_snapshot(snapshot, Ecosystem.PYPI, store)
        print(f"snapshot: {rep.imported} records imported in {time.perf_counter() - t0:.1f} s")
        names = list_names(Ecosystem.PYPI)
        sample = random.Random(args.seed).sample(names, min(args.limit, len(names)))
        src = Path(tmp) / "names.txt"
        src.write_text("\n".join(sample) + "\n", encoding="utf-8")
        engine = build_engine(no_embeddings=args.no_embeddings, store=store)
        t0 = time.perf_counter()
        engine.check_names(sample[:1000], Ecosystem.PYPI)  # load corpus, index and encoder
        print(f"warm-up: {time.perf_counter() - t0:.1f} s; peak RSS {peak_mib():.0f} MiB")
        mode = "no embeddings" if args.no_embeddings else "embeddings on"

        t0 = time.perf_counter()
        suspicious = 0
        for i in range(0, len(sample), 512):
            suspicious += sum(r.verdict.value == "suspicious" for r in engine.check_names(sample[i:i + 512], Ecosystem.PYPI))
        base_s = time.perf_counter() - t0
        base_rate = len(sample) / base_s
        print(f"baseline check_names ({mode}, classifier on, no persistence): {len(sample)} names in {base_s:.1f} s "
              f"= {base_rate:,.0f} names/s; {suspicious} suspicious; peak RSS {peak_mib():.0f} MiB")

        t0 = time.perf_counter()
        summary = Sweep(store, engine, offline=True, batch_size=args.batch_size).file(src, Ecosystem.PYPI)
        sweep_s = time.perf_counter() - t0
        r = summary.registries[0]
        rate = (r.checked + r.invalid) / sweep_s
        print(f"sweep --from ({mode}, classifier on, offline snapshot): {r.checked + r.invalid} names in {sweep_s:.1f} s "
              f"= {rate:,.0f} names/s; {r.alerts_new} alerts, {r.benign_suppressed} benign-suppressed, "
              f"{r.invalid} invalid, {r.batches} commits; peak RSS {peak_mib():.0f} MiB")
        print(f"ratio sweep / baseline: {rate / base_rate:.2f} (goal: >= 1,000 names/s end to end: "
              f"{'met' if rate >= 1000 else 'NOT met'})")
        store.close()


if __name__ == "__main__":
    sys.exit(main())
