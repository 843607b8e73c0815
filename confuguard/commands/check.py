"""`confuguard check NAME... [--registry R] [--from FILE] [--format F]`."""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from confuguard.errors import InputError, print_error
from confuguard.types import CheckResult, Ecosystem, Verdict

if TYPE_CHECKING:
    from confuguard.config import Config
    from confuguard.engine import Engine
    from confuguard.namelist import NameLine
    from confuguard.store import Store

#: Exit codes: 0 nothing suspicious, 1 something suspicious, 2 usage/input error.
EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2


def registry_arg(text: str) -> Ecosystem:
    """argparse type for --registry (names and aliases)."""
    try:
        return Ecosystem.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def guess_registry(name: str) -> Ecosystem:
    """Registry implied by a name's shape: purl type, `@scope/x` npm, `g:a` Maven, `host.tld/...` Go,
    `author/model` Hugging Face; else PyPI."""
    if name.startswith("pkg:"):
        ptype = name[4:].split("/", 1)[0]
        return Ecosystem.RUBYGEMS if ptype == "gem" else registry_arg(ptype)
    if name.startswith("@") and "/" in name:
        return Ecosystem.NPM
    if ":" in name:
        return Ecosystem.MAVEN
    if "/" in name:
        return Ecosystem.GOLANG if "." in name.split("/", 1)[0] else Ecosystem.HUGGINGFACE
    return Ecosystem.PYPI


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `check` subcommand."""
    p = sub.add_parser("check", help="check package names for confusion with popular packages",
                       description="Check names against the popular packages of a registry. Exit 0: nothing "
                                   "suspicious; 1: a name is suspicious; 2: usage or input error.")
    p.add_argument("names", nargs="*", metavar="NAME", help="package names (or purls)")
    p.add_argument("-r", "--registry", type=registry_arg, default=None,
                   help="npm, pypi, rubygems (gem), maven, golang (go), huggingface (hf); "
                        "default: guessed from the name's shape, else pypi")
    p.add_argument("--from", dest="from_file", metavar="FILE", help="read names from FILE, one per line ('-' = stdin); streamed in batches, in bounded memory")
    p.add_argument("-f", "--format", choices=["table", "json", "jsonl", "csv"], default="table")
    p.add_argument("--no-embeddings", action="store_true", help="skip the embedding generator (edit/token rules only)")
    p.add_argument("--no-classifier", action="store_true",
                   help="name evidence only: every name with a candidate is suspicious")
    p.add_argument("--live", action="store_true", help="fetch metadata of the suspect and its targets from the registry")
    p.add_argument("--db", type=Path, default=None, help="local store for metadata (default: user data dir)")
    add_fetch_flags(p, "with --live: ")
    p.set_defaults(func=handler)


def add_fetch_flags(p: argparse.ArgumentParser, prefix: str = "") -> None:
    """The opt-in fetch flags (`[fetch]` in the config) of `check --live` and `sweep`."""
    p.add_argument("--fetch-sdist", action="store_true",
                   help=f"{prefix}PyPI: download a source-only release's sdist (<= 2 MB) and read what its setup.py "
                        "does at install (default: [fetch] sdist in the config)")
    p.add_argument("--fetch-accounts", action="store_true",
                   help=f"{prefix}ask how many packages the publishing account holds, one request a package "
                        "(npm, PyPI, RubyGems, Hugging Face; default: [fetch] accounts in the config)")


def fetch_config(args: argparse.Namespace) -> Config | None:
    """The config with the fetch flags applied, or None when no flag was given (the config file decides)."""
    from confuguard.config import Config

    if not (args.fetch_sdist or args.fetch_accounts):
        return None
    return Config.load().with_fetch(sdist=args.fetch_sdist, accounts=args.fetch_accounts)


def open_store(db: Path | None, *, create: bool = False) -> Store | None:
    """The local metadata store, or None when there is none yet (and `create` is false)."""
    from confuguard.paths import default_db
    from confuguard.store import Store

    path = db or default_db()
    return Store.open(path) if create or path.exists() else None


def build_engine(*, no_embeddings: bool = False, no_classifier: bool = False, store: Store | None = None) -> Engine:
    """The engine as `check` runs it: embeddings and the benign classifier unless disabled."""
    from confuguard.classifier import Judge
    from confuguard.engine import Engine

    judge = None if no_classifier else Judge.default(store=store)
    return Engine(encoder=None, judge=judge) if no_embeddings else Engine(judge=judge)


def run(engine: Engine, texts: list[str], registry: Ecosystem | None) -> list[CheckResult]:
    """Check names, grouped by (given or guessed) registry, results in input order."""
    groups: dict[Ecosystem, list[int]] = {}
    for i, t in enumerate(texts):
        groups.setdefault(registry or guess_registry(t), []).append(i)
    results: list[CheckResult | None] = [None] * len(texts)
    for eco, idxs in groups.items():
        for i, res in zip(idxs, engine.check_names([texts[i] for i in idxs], eco)):
            results[i] = res
    return [r for r in results if r is not None]


BATCH = 512
"""Names checked (and printed) together when reading `--from`: output starts after the first batch."""


def _inputs(args: argparse.Namespace) -> Iterator[NameLine]:
    from confuguard.namelist import NameLine, iter_names, open_list

    for name in args.names:
        yield NameLine(0, name)
    if args.from_file:
        with open_list(args.from_file) as stream:
            yield from iter_names(stream)


def _batches(items: Iterator[NameLine], size: int) -> Iterator[list[NameLine]]:
    batch: list[NameLine] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def handler(args: argparse.Namespace) -> int:
    """Check the names (streaming `--from` in batches) and print the results."""
    from confuguard.formats.stream import ResultStream

    if not args.names and not args.from_file:
        raise InputError("no names given (pass NAME... or --from FILE)")
    items = _inputs(args)
    first = next(_batches(items, BATCH), None)  # read (and validate the source) before loading the engine
    if not first:
        raise InputError("no names given (pass NAME... or --from FILE)")
    if (args.fetch_sdist or args.fetch_accounts) and not args.live:
        raise InputError("--fetch-sdist and --fetch-accounts need --live")
    store = open_store(args.db, create=args.live)
    stream = ResultStream(sys.stdout, args.format)
    suspicious = invalid = False
    try:
        engine = build_engine(no_embeddings=args.no_embeddings, no_classifier=args.no_classifier, store=store)
        for batch in itertools.chain([first], _batches(items, BATCH)):
            final = _check_batch(engine, batch, args)
            stream.write(final)
            suspicious = suspicious or any(r.verdict is Verdict.SUSPICIOUS for r in final)
            for r in final:
                if r.verdict is Verdict.INVALID:
                    invalid = True
                    print_error(r.reasons[0] if r.reasons else r.query, "invalid name")
    finally:
        stream.close()
        if store is not None:
            store.close()
    if suspicious:
        return EXIT_FOUND
    return EXIT_ERROR if invalid else EXIT_OK


def _check_batch(engine: Engine, batch: list[NameLine], args: argparse.Namespace) -> list[CheckResult]:
    """Results of one batch in input order; unusable lines come back as `invalid` with their reason."""
    texts = [item.name for item in batch if item.name is not None]
    final = run(engine, texts, args.registry)
    if args.live:
        from confuguard.live import attach_live_metadata

        fetched = attach_live_metadata(final, db=args.db, config=fetch_config(args))
        # judge again now that the store holds the live records
        final = [dataclasses.replace(new, metadata=old.metadata, reasons=new.reasons + old.reasons[1:])
                 for old, new in zip(fetched, run(engine, texts, args.registry))]
    checked = iter(final)
    eco = args.registry or Ecosystem.PYPI
    return [next(checked) if item.name is not None
            else CheckResult(f"line {item.line}", eco, Verdict.INVALID, reasons=(item.problem or "unusable line",))
            for item in batch]
