"""The application layer between the commands (and the service) and the library.

    store = open_store(db)                              # the local metadata store, or None
    engine = build_engine(store=store)                  # embeddings and the benign classifier
    results = check_texts(engine, ["reqeusts", "@babel/cor"], None)   # registries guessed, input order

Every command and the HTTP service build their store and engine here and check names through
`check_pairs` / `check_texts`, so they judge alike.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from confuguard.batching import grouped
from confuguard.errors import InputError
from confuguard.types import CheckResult, Ecosystem

if TYPE_CHECKING:
    from confuguard.config import Config
    from confuguard.engine import Engine
    from confuguard.store import Store


class NamesChecker(Protocol):
    """What checking names needs from the engine."""

    def check_names(self, texts: Sequence[str], ecosystem: Ecosystem) -> list[CheckResult]: ...


def open_store(db: Path | None, *, create: bool = False) -> Store | None:
    """The local metadata store, or None when there is none yet (and `create` is false)."""
    from confuguard.paths import default_db
    from confuguard.store import Store

    path = db or default_db()
    return Store.open(path) if create or path.exists() else None


def build_engine(*, no_embeddings: bool = False, no_classifier: bool = False, store: Store | None = None) -> Engine:
    """The engine as the commands run it: embeddings and the benign classifier unless disabled."""
    from confuguard.classifier import Judge
    from confuguard.engine import Engine

    judge = None if no_classifier else Judge.default(store=store)
    return Engine(encoder=None, judge=judge) if no_embeddings else Engine(judge=judge)


def parse_registry(text: str) -> Ecosystem:
    """A registry by name or alias (`gem`, `go`, `hf`...); InputError naming the choices otherwise."""
    try:
        return Ecosystem.parse(text)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def guess_registry(name: str) -> Ecosystem:
    """Registry implied by a name's shape (each descriptor's `shape`): purl type, `@scope/x` npm, `g:a` Maven,
    `host.tld/...` Go, `author/model` Hugging Face; else PyPI."""
    from confuguard.ecosystems import guess

    return guess(name)


def check_pairs(engine: NamesChecker, pairs: Sequence[tuple[Ecosystem, str]], *, chunk: int | None = None,
                before_chunk: Callable[[int], None] | None = None) -> list[CheckResult]:
    """Check (registry, name) pairs, grouped by registry, results in input order. `chunk` caps the names the
    engine sees at once; `before_chunk(done)` runs before each chunk (it may raise to stop early)."""
    done = 0

    def run(eco: Ecosystem, part: list[tuple[Ecosystem, str]]) -> list[CheckResult]:
        nonlocal done
        if before_chunk is not None:
            before_chunk(done)
        results = engine.check_names([name for _, name in part], eco)
        done += len(part)
        return results

    return grouped(pairs, lambda pair: pair[0], run, chunk=chunk)


def check_texts(engine: NamesChecker, texts: Sequence[str], registry: Ecosystem | None) -> list[CheckResult]:
    """Check names of `registry` (None: each name's guessed registry), results in input order."""
    return check_pairs(engine, [(registry or guess_registry(t), t) for t in texts])


def check_live(engine: NamesChecker, texts: Sequence[str], registry: Ecosystem | None, *,
               db: Path | None, config: Config | None = None) -> list[CheckResult]:
    """`check_texts`, then the suspects' and targets' metadata fetched from their registries into the store
    at `db` (URLs and opt-in fetches from `config`, default `Config.load()`), then judged again with it
    (`check --live`)."""
    from confuguard.live import attach_live_metadata

    fetched = attach_live_metadata(check_texts(engine, texts, registry), db=db, config=config)
    return [dataclasses.replace(new, metadata=old.metadata, reasons=new.reasons + old.reasons[1:])
            for old, new in zip(fetched, check_texts(engine, texts, registry))]
