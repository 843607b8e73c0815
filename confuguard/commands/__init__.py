"""CLI subcommands. Each module defines `register(subparsers)`; `confuguard.cli` discovers them."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from confuguard.errors import ExitCode, InputError
from confuguard.types import Ecosystem

if TYPE_CHECKING:
    from confuguard.config import Config


def show_help(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    """The handler of a command given without its subcommand: its help on stderr, exit 2."""

    def handler(_args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return ExitCode.ERROR

    return handler


def registry_names() -> str:
    """`npm, pypi, rubygems, ...`: every registered registry, for help texts."""
    from confuguard.ecosystems import specs

    return ", ".join(s.name for s in specs())


def registry_arg(text: str) -> Ecosystem:
    """argparse type for --registry (names and aliases)."""
    from confuguard.app import parse_registry

    try:
        return parse_registry(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


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
