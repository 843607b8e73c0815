"""`confuguard db import-snapshot --registry R FILE [--db PATH]` and `confuguard db info [--db PATH]`."""

from __future__ import annotations

import argparse
from pathlib import Path

from confuguard.commands import show_help
from confuguard.errors import ExitCode, InputError, print_error
from confuguard.formats.sanitize import path_text
from confuguard.types import Ecosystem


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `db` subcommand."""
    p = sub.add_parser("db", help="manage the local metadata store")
    dsub = p.add_subparsers(dest="db_command", metavar="ACTION")
    imp = dsub.add_parser("import-snapshot", help="import an offline metadata snapshot (pypi.tsv / npm.tsv format)")
    imp.add_argument("-r", "--registry", required=True, help="registry of the snapshot (pypi or npm)")
    imp.add_argument("file", type=Path, help="the TSV file")
    imp.add_argument("--db", type=Path, default=None, help="store path (default: $CONFUGUARD_DB or the user data dir)")
    imp.set_defaults(func=import_snapshot)
    info = dsub.add_parser("info", help="show the store's path, schema version and record counts")
    info.add_argument("--db", type=Path, default=None, help="store path")
    info.set_defaults(func=show_info)
    p.set_defaults(func=show_help(p))


def import_snapshot(args: argparse.Namespace) -> int:
    """Import one snapshot file; print the report (problems with line numbers to stderr)."""
    from confuguard.snapshot import import_snapshot as run
    from confuguard.store import Store

    try:
        eco = Ecosystem.parse(args.registry)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    if not args.file.is_file():
        raise InputError(f"{args.file}: no such file")
    with Store.open(args.db) as store:
        report = run(args.file, eco, store)
        where = store.path
    for problem in report.problems:
        print_error(f"{path_text(args.file)}: {problem}", "warning")
    hidden = report.invalid_names + report.malformed - len(report.problems)
    if hidden > 0:
        print_error(f"{path_text(args.file)}: ... and {hidden} more problems", "warning")
    print(f"{report.summary()} -> {where}")
    return ExitCode.OK


def show_info(args: argparse.Namespace) -> int:
    """Print path, schema version and counts."""
    from confuguard.store import Store

    with Store.open(args.db) as store:
        print(f"store: {store.path}")
        print(f"schema version: {store.schema_version}")
        counts = store.count_metadata()
        for key, n in counts.items():
            print(f"{key}: {n}")
        if not counts:
            print("no package metadata stored")
    return ExitCode.OK
