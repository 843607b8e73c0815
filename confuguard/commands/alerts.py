"""`confuguard alerts export|import|list`: the analysts' triage loop over the sweep's alerts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from confuguard.commands import show_help
from confuguard.errors import ExitCode


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `alerts` subcommand."""
    p = sub.add_parser("alerts", help="export alerts to CSV for analysts, import their verdicts, list open alerts, "
                                      "report confirmed ones as OSV")
    asub = p.add_subparsers(dest="alerts_command", metavar="ACTION")
    exp = asub.add_parser("export", help="write alerts to a CSV for triage (columns: see the README)")
    exp.add_argument("--db", type=Path, default=None, help="the store (default: $CONFUGUARD_DB or the user data dir)")
    exp.add_argument("--since", default=None, metavar="DATE", help="only alerts first seen on or after DATE (YYYY-MM-DD)")
    exp.add_argument("--status", choices=["open", "held", "triaged", "all"], default="open",
                     help="default: open (held: beyond a sweep's --max-alerts)")
    exp.add_argument("--format", choices=["csv", "html"], default="csv",
                     help="csv (default: the triage sheet) or html (the analyst's page: one self-contained file)")
    exp.add_argument("-o", "--out", type=Path, required=True, help="the file to write")
    exp.set_defaults(func=export)
    imp = asub.add_parser("import", help="record the analysts' verdicts from a filled-in alert CSV")
    imp.add_argument("file", type=Path, help="the CSV (as exported, with analyst_verdict/analyst_note filled)")
    imp.add_argument("--db", type=Path, default=None, help="the store")
    imp.add_argument("--analyst", default=None, help="who decided (default: $CONFUGUARD_ANALYST or the login name)")
    imp.add_argument("--dry-run", action="store_true", help="report what would be recorded, record nothing")
    imp.add_argument("-f", "--format", choices=["text", "json"], default="text")
    imp.set_defaults(func=import_)
    rep = asub.add_parser("report", help="write confirmed alerts as reports for a database (OSV for ossf/malicious-packages)")
    rep.add_argument("--db", type=Path, default=None, help="the store")
    rep.add_argument("--verdict", choices=["malicious"], default="malicious",
                     help="alerts whose latest analyst verdict is this (default: malicious)")
    rep.add_argument("--format", choices=["osv"], default="osv", help="OSV 1.6 JSON, one file per alert")
    rep.add_argument("-o", "--out", type=Path, required=True, metavar="DIR", help="directory for the records")
    rep.set_defaults(func=report)
    ls = asub.add_parser("list", help="show alerts in a table, most probable first (default: open ones)")
    ls.add_argument("--db", type=Path, default=None, help="the store")
    ls.add_argument("--since", default=None, metavar="DATE", help="only alerts first seen on or after DATE")
    ls.add_argument("--status", choices=["open", "held", "triaged", "all"], default="open",
                    help="default: open (held: beyond a sweep's --max-alerts; all: every alert)")
    ls.add_argument("--limit", type=int, default=200, help="show the N most probable alerts (default 200; 0: all)")
    ls.add_argument("-f", "--format", choices=["table", "json"], default="table")
    ls.set_defaults(func=list_)
    p.set_defaults(func=show_help(p))


def _store(db: Path | None):  # type: ignore[no-untyped-def]
    from confuguard.app import open_store
    from confuguard.errors import InputError

    store = open_store(db)
    if store is None:
        raise InputError("no store yet: run `confuguard sweep` first (or pass --db PATH)")
    return store


def export(args: argparse.Namespace) -> int:
    """Write the CSV (or the HTML page); say how many alerts went into it."""
    from confuguard.alerts import export as run
    from confuguard.alerts import export_html, parse_since

    since = parse_since(args.since)
    with _store(args.db) as store:
        if args.format == "html":
            from confuguard.app import build_engine

            engine = build_engine(no_embeddings=False, no_classifier=False, store=store)
            n = export_html(store, args.out, since=since, status=args.status, engine=engine)
        else:
            n = run(store, args.out, since=since, status=args.status)
    print(f"{n} {args.status if args.status != 'all' else ''} alert{'s' if n != 1 else ''} written to {args.out}".replace("  ", " "),
          file=sys.stderr)
    return ExitCode.OK


def report(args: argparse.Namespace) -> int:
    """Write one OSV record per confirmed-malicious alert; say how many, and which were skipped."""
    from confuguard.alerts import report_osv
    from confuguard.errors import print_error

    with _store(args.db) as store:
        written, skipped = report_osv(store, args.out, verdict=args.verdict)
    for line in skipped:
        print_error(line, "skipped")
    print(f"{len(written)} OSV record{'s' if len(written) != 1 else ''} written to {args.out}"
          + (f"; {len(skipped)} skipped" if skipped else ""), file=sys.stderr)
    return ExitCode.OK


def import_(args: argparse.Namespace) -> int:
    """Record verdicts; exit 2 when any row was refused (the valid rows are recorded all the same)."""
    from confuguard.alerts import import_verdicts
    from confuguard.formats.sanitize import terminal

    with _store(args.db) as store:
        report = import_verdicts(store, args.file, analyst=args.analyst, dry_run=args.dry_run)
    if args.format == "json":
        json.dump({**report.to_json(), "dry_run": args.dry_run}, sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        for problem in report.problems:
            print(f"{terminal(args.file.name)}: {terminal(problem)}", file=sys.stderr)
        counts = ", ".join(f"{v} {k}" for k, v in sorted(report.verdicts.items())) or "none"
        verb = "would record" if args.dry_run else "recorded"
        print(f"{verb} {report.applied} verdict{'s' if report.applied != 1 else ''} ({counts}); "
              f"{report.unchanged} unchanged, {report.blank} rows without a verdict, {len(report.problems)} refused")
    return ExitCode.ERROR if report.problems else ExitCode.OK


def list_(args: argparse.Namespace) -> int:
    """Print alerts as a table (or JSON)."""
    from rich.console import Console
    from rich.table import Table

    from confuguard.alerts import alerts, parse_since
    from confuguard.formats.alerts_csv import columns
    from confuguard.formats.sanitize import terminal

    with _store(args.db) as store:
        rows = alerts(store, status=args.status, since=parse_since(args.since))
    rows = rows[:args.limit] if args.limit > 0 else rows
    if args.format == "json":
        keep = ("alert_id", "first_seen", "last_seen", "registry", "suspect", "suspect_purl", "target", "target_purl",
                "categories", "edit_distance", "embedding_similarity", "threat_probability", "verdict", "reasons",
                "model_version", "status", "recorded_verdict", "recorded_note")
        json.dump([{k: columns(r)[k] for k in keep} for r in rows], sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
        return ExitCode.OK
    table = Table(title=f"{len(rows)} {args.status} alerts", title_justify="left")
    for col in ("ID", "FIRST SEEN", "REGISTRY", "SUSPECT", "TARGET", "CATEGORIES", "THREAT", "STATUS", "REASON"):
        table.add_column(col, overflow="fold")
    from rich.text import Text

    for a in (r.alert for r in rows):
        prob = "-" if a.threat_probability is None else f"{a.threat_probability:.2f}"
        first_reason = a.reasons[0] if a.reasons else ""
        table.add_row(str(a.id), a.first_seen[:16], a.ecosystem, Text(terminal(a.suspect)),
                      Text(terminal(a.target)), ", ".join(a.categories), prob,
                      a.status + (f" ({a.analyst_verdict})" if a.analyst_verdict else ""),
                      Text(terminal(first_reason)[:120]))
    Console(soft_wrap=False, width=None if sys.stdout.isatty() else 200).print(table)
    return ExitCode.OK
