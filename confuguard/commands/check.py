"""`confuguard check NAME... [--registry R] [--from FILE] [--format F]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from confuguard.errors import InputError
from confuguard.types import Ecosystem, Verdict

#: Exit codes: 0 nothing suspicious, 1 something suspicious, 2 usage/input error.
EXIT_OK, EXIT_FOUND, EXIT_ERROR = 0, 1, 2


def registry_arg(text: str) -> Ecosystem:
    """argparse type for --registry (names and aliases)."""
    try:
        return Ecosystem.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def guess_registry(name: str) -> Ecosystem:
    """Registry implied by a name's shape: purl type, `@scope/x` npm, `g:a` Maven, `host.tld/...` Go; else PyPI."""
    if name.startswith("pkg:"):
        ptype = name[4:].split("/", 1)[0]
        return Ecosystem.RUBYGEMS if ptype == "gem" else registry_arg(ptype)
    if name.startswith("@") and "/" in name:
        return Ecosystem.NPM
    if ":" in name:
        return Ecosystem.MAVEN
    if "/" in name and "." in name.split("/", 1)[0]:
        return Ecosystem.GOLANG
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


def handler(args: argparse.Namespace) -> int:
    """Run the check and print the results."""
    from confuguard.engine import Engine
    from confuguard.formats import render

    texts = list(args.names)
    if args.from_file:
        texts += read_names(args.from_file)
    if not texts:
        raise InputError("no names given (pass NAME... or --from FILE)")
    groups: dict[Ecosystem, list[int]] = {}
    for i, t in enumerate(texts):
        groups.setdefault(args.registry or guess_registry(t), []).append(i)
    engine = Engine(encoder=None) if args.no_embeddings else Engine()
    results = [None] * len(texts)
    for eco, idxs in groups.items():
        for i, res in zip(idxs, engine.check_names([texts[i] for i in idxs], eco)):
            results[i] = res
    final = [r for r in results if r is not None]
    if args.live:
        from confuguard.live import attach_live_metadata

        final = attach_live_metadata(final, db=args.db)
    sys.stdout.write(render(final, args.format))
    if any(r.verdict is Verdict.SUSPICIOUS for r in final):
        return EXIT_FOUND
    if any(r.verdict is Verdict.INVALID for r in final):
        for r in final:
            if r.verdict is Verdict.INVALID:
                print(f"confuguard: invalid name: {r.reasons[0]}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK
