"""The `confuguard` command line: parse, call the library, print, exit (0 ok, 1 suspicious, 2 error)."""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sqlite3
import sys
import traceback
from collections.abc import Sequence

from confuguard import __version__, logs
from confuguard.errors import ConfuguardError, ExitCode, error_line, print_error


class _Parser(argparse.ArgumentParser):
    """argparse that exits 2 with a one-line message (no usage dump on stderr noise)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(ExitCode.ERROR, error_line(f"{message} (see --help)") + "\n")


def build_parser() -> argparse.ArgumentParser:
    """The full parser, with every subcommand module in `confuguard.commands` registered."""
    parser = _Parser(prog="confuguard", description="Package-confusion detection for six registries.")
    parser.add_argument("--version", action="version", version=f"confuguard {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    import confuguard.commands as commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        importlib.import_module(f"confuguard.commands.{info.name}").register(sub)
    _add_log_level(parser, top=True)
    return parser


def _add_log_level(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """`--log-level` on `parser` and every subcommand's parser (given anywhere before the operands)."""
    parser.add_argument("--log-level", type=str.lower, choices=logs.LEVELS, metavar="LEVEL",
                        default=None if top else argparse.SUPPRESS,
                        help=f"log messages from this level on: {', '.join(logs.LEVELS)} "
                             f"(default: ${logs.ENV}, else {logs.DEFAULT})")
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):
                _add_log_level(child)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    for stream in (sys.stdout, sys.stderr):  # a stray undecodable file name never crashes an output
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and usage errors
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return ExitCode.ERROR
    try:
        logs.configure(args.log_level)
        return int(args.func(args))
    except ConfuguardError as exc:
        print_error(exc)
    except sqlite3.DatabaseError as exc:  # includes OperationalError: a damaged or foreign store file
        print_error(f"the local store is damaged or unreadable ({_sqlite_reason(exc)}); "
                    "use another --db, or delete it and import the snapshots again")
    except KeyboardInterrupt:
        print("confuguard: interrupted", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return ExitCode.OK
    except MemoryError:
        print_error("out of memory")
    except Exception as exc:  # a bug: still one line and exit 2 (never 1, which means "suspicious")
        if os.environ.get("CONFUGUARD_DEBUG"):
            traceback.print_exc()
        print_error(f"internal error ({type(exc).__name__}); set CONFUGUARD_DEBUG=1 for a traceback")
    return ExitCode.ERROR


def _sqlite_reason(exc: sqlite3.DatabaseError) -> str:
    """sqlite's message without the damaged cell's text, which it quotes (`... with text '...'`)."""
    return str(exc).split(" with text ", 1)[0]


if __name__ == "__main__":
    sys.exit(main())
