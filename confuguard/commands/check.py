"""`confuguard check NAME... [--registry R] [--from FILE] [--format F]`."""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from confuguard.app import build_engine, check_live, check_texts, open_store
from confuguard.commands import add_fetch_flags, fetch_config, registry_arg, registry_names
from confuguard.errors import ExitCode, InputError, print_error
from confuguard.types import CheckResult, Ecosystem, Verdict

if TYPE_CHECKING:
    from confuguard.engine import Engine
    from confuguard.namelist import NameLine


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `check` subcommand."""
    p = sub.add_parser("check", help="check package names for confusion with popular packages",
                       description="Check names against the popular packages of a registry. Exit 0: nothing "
                                   "suspicious; 1: a name is suspicious; 2: usage or input error.")
    p.add_argument("names", nargs="*", metavar="NAME", help="package names (or purls)")
    p.add_argument("-r", "--registry", type=registry_arg, default=None,
                   help=f"{registry_names()} (or an alias: gem, go, hf...); "
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
        return ExitCode.FOUND
    return ExitCode.ERROR if invalid else ExitCode.OK


def _check_batch(engine: Engine, batch: list[NameLine], args: argparse.Namespace) -> list[CheckResult]:
    """Results of one batch in input order; unusable lines come back as `invalid` with their reason."""
    texts = [item.name for item in batch if item.name is not None]
    if args.live:
        final = check_live(engine, texts, args.registry, db=args.db, config=fetch_config(args))
    else:
        final = check_texts(engine, texts, args.registry)
    checked = iter(final)
    eco = args.registry or Ecosystem.PYPI
    return [next(checked) if item.name is not None
            else CheckResult(f"line {item.line}", eco, Verdict.INVALID, reasons=(item.problem or "unusable line",))
            for item in batch]
