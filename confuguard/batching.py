"""Work done per group (a registry, a popular list) with the results put back in input order.

    grouped(pkgs, key=lambda p: p.ecosystem, run=lambda eco, part: engine.check_many(part))

is how the engine, the application layer and the service split mixed-registry input.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from typing import TypeVar

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)
R = TypeVar("R")


def grouped(items: Sequence[T], key: Callable[[T], K], run: Callable[[K, list[T]], Sequence[R]], *,
            chunk: int | None = None) -> list[R]:
    """`run(group, part)` on the items of each group (in chunks of at most `chunk`), groups in order of first
    appearance; one result per item, in input order. RuntimeError when `run` returns a wrong count."""
    groups: dict[K, list[int]] = {}
    for i, item in enumerate(items):
        groups.setdefault(key(item), []).append(i)
    out: list[R | None] = [None] * len(items)
    for group, idxs in groups.items():
        step = chunk or len(idxs)
        for start in range(0, len(idxs), step):
            part = idxs[start : start + step]
            results = run(group, [items[i] for i in part])
            if len(results) != len(part):
                raise RuntimeError(f"{len(results)} results for {len(part)} items")
            for i, res in zip(part, results):
                out[i] = res
    return out  # type: ignore[return-value]  # every slot is filled
