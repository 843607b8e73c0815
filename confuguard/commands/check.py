"""`confuguard check NAME... [--registry R] [--from FILE] [--format F]`."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from confuguard.errors import InputError
from confuguard.types import CheckResult, Ecosystem, Verdict

if TYPE_CHECKING:
    from confuguard.engine import Engine
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


def register(sub: argparse._SubParsersAction) -> None:
    """Add the `check` subcommand."""
    p = sub.add_parser("check", help="check package names for confusion with popular packages",
                       description="Check names against the popular packages of a registry. Exit 0: nothing "
                                   "suspicious; 1: a name is suspicious; 2: usage or input error.")
    p.add_argument("names", nargs="*", metavar="NAME", help="package names (or purls)")
    p.add_argument("-r", "--registry", type=registry_arg, default=None,
                   help="npm, pypi, rubygems (gem), maven, golang (go), huggingface (hf); "
                        "default: guessed from the name's shape, else pypi")
    p.add_argument("--from", dest="from_file", metavar="FILE", help="read names from FILE, one per line ('-' = stdin)")
    p.add_argument("-f", "--format", choices=["table", "json", "jsonl", "csv"], default="table")
    p.add_argument("--no-embeddings", action="store_true", help="skip the embedding generator (edit/token rules only)")
    p.add_argument("--no-classifier", action="store_true",
                   help="name evidence only: every name with a candidate is suspicious")
    p.add_argument("--live", action="store_true", help="fetch metadata of the suspect and its targets from the registry")
    p.add_argument("--db", type=Path, default=None, help="local store for metadata (default: user data dir)")
    p.set_defaults(func=handler)


def read_names(source: str) -> list[str]:
    """Names from a file or stdin: one per line, blank lines and `#` comments skipped."""
    try:
        if source == "-":
            text = sys.stdin.read()
        else:
            with open(source, encoding="utf-8") as fh:
                text = fh.read()
    except OSError as exc:
        raise InputError(f"cannot read {source}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InputError(f"{source}: not UTF-8 text") from None
    return [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]


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


def handler(args: argparse.Namespace) -> int:
    """Run the check and print the results."""
    from confuguard.formats import render

    texts = list(args.names)
    if args.from_file:
        texts += read_names(args.from_file)
    if not texts:
        raise InputError("no names given (pass NAME... or --from FILE)")
    store = open_store(args.db, create=args.live)
    try:
        engine = build_engine(no_embeddings=args.no_embeddings, no_classifier=args.no_classifier, store=store)
        final = run(engine, texts, args.registry)
        if args.live:
            from confuguard.live import attach_live_metadata

            fetched = attach_live_metadata(final, db=args.db)
            # judge again now that the store holds the live records
            final = [dataclasses.replace(new, metadata=old.metadata, reasons=new.reasons + old.reasons[1:])
                     for old, new in zip(fetched, run(engine, texts, args.registry))]
    finally:
        if store is not None:
            store.close()
    sys.stdout.write(render(final, args.format))
    if any(r.verdict is Verdict.SUSPICIOUS for r in final):
        return EXIT_FOUND
    if any(r.verdict is Verdict.INVALID for r in final):
        for r in final:
            if r.verdict is Verdict.INVALID:
                print(f"confuguard: invalid name: {r.reasons[0]}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK
