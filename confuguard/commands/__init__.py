"""CLI subcommands. Each module defines `register(subparsers)`; `confuguard.cli` discovers them."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable


def show_help(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    """The handler of a command given without its subcommand: its help on stderr, exit 2."""

    def handler(_args: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2

    return handler
