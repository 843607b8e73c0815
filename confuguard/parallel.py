"""Large batches checked on every core: the name-level work in forked workers, the judging in the parent.

The name-level half of a check (`Engine.propose_many`: candidate generation and classification)
is nearly all of its cost and touches no store, so forked processes run it on chunks of the
batch, sharing the loaded engine copy-on-write. The parent judges each chunk as it comes back
(`Engine.judge_all`), so the metadata store's SQLite connection never crosses a fork.
"""

from __future__ import annotations

import multiprocessing as mp
import os
from collections.abc import Callable, Sequence

from confuguard.engine import Engine, Proposed
from confuguard.types import CheckResult, PackageId

#: Batches smaller than this are checked in the calling process (forking costs about a second).
PARALLEL_MIN = 20_000
#: Packages a worker checks per task (and between two progress updates).
CHUNK = 1000
#: Workers at most, whatever the core count (each holds a copy-on-write view of the engine).
MAX_WORKERS = 8

_ENGINE: Engine | None = None


def workers_for(count: int) -> int:
    """How many workers a batch of `count` packages gets: 1 below PARALLEL_MIN or where fork is unavailable."""
    if count < PARALLEL_MIN or "fork" not in mp.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def check_parallel(engine: Engine, pkgs: Sequence[PackageId], workers: int,
                   on_chunk: Callable[[int], None] | None = None) -> list[CheckResult]:
    """`engine.check_many(pkgs)`, with the name-level work in `workers` forked processes; results in order.

    `on_chunk(n)` is called in the parent after each chunk of n packages is judged."""
    global _ENGINE
    chunks = [list(pkgs[i : i + CHUNK]) for i in range(0, len(pkgs), CHUNK)]
    # load every registry the batch needs before forking, so the workers share it instead of each loading it
    firsts = {(p.ecosystem, p.kind): p for p in reversed(pkgs)}
    engine.propose_many(list(firsts.values()))
    results: list[CheckResult] = []
    _ENGINE = engine
    try:
        with mp.get_context("fork").Pool(workers, initializer=_init_worker) as pool:
            for chunk, proposed in zip(chunks, pool.imap(_propose, chunks)):
                results += engine.judge_all(chunk, proposed)
                if on_chunk is not None:
                    on_chunk(len(chunk))
    finally:
        _ENGINE = None
    return results


def _init_worker() -> None:
    import faiss

    faiss.omp_set_num_threads(1)  # the workers are the parallelism: no OpenMP threads competing with them
    if _ENGINE is not None:
        _ENGINE.threads = 1


def _propose(chunk: list[PackageId]) -> list[Proposed]:
    if _ENGINE is None:
        raise RuntimeError("worker started without an engine")
    return _ENGINE.propose_many(chunk)
