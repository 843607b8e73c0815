"""`confuguard sweep [--registry all|R ...] [--db PATH] [--from FILE] [--format text|json]`: the nightly sweep."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from confuguard.commands import add_fetch_flags, registry_names
from confuguard.errors import ExitCode, InputError
from confuguard.protocols import parse_since
from confuguard.types import Ecosystem

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_window(text: str) -> datetime | timedelta:
    """`--since`: a duration before now (`90m`, `24h`, `7d`, `2w`) or a date/time (`2026-12-01`, ISO 8601, UTC)."""
    value = text.strip()
    m = re.fullmatch(r"(\d{1,6})\s*([smhdw])", value.lower())
    if m:
        return timedelta(seconds=int(m.group(1)) * _UNITS[m.group(2)])
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(f"--since {text!r}: expected a duration (90m, 24h, 7d, 2w) or a date (YYYY-MM-DD, ISO 8601)") from None
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    if when > datetime.now(UTC):
        raise InputError(f"--since {text!r}: the date is in the future")
    return when


def _registries(values: list[str] | None) -> list[Ecosystem]:
    if not values or any(v.strip().lower() == "all" for v in values):
        return list(Ecosystem)
    out: list[Ecosystem] = []
    for v in values:
        for part in v.split(","):
            try:
                eco = Ecosystem.parse(part)
            except ValueError as exc:
                raise InputError(str(exc)) from None
            if eco not in out:
                out.append(eco)
    return out


def _cursors(values: list[str] | None) -> dict[Ecosystem, str]:
    out: dict[Ecosystem, str] = {}
    for v in values or []:
        reg, sep, cur = v.partition("=")
        if not sep or not cur:
            raise InputError(f"--cursor {v!r}: expected REGISTRY=CURSOR")
        try:
            out[Ecosystem.parse(reg)] = cur
        except ValueError as exc:
            raise InputError(str(exc)) from None
        try:
            parse_since(cur)
        except ValueError:
            raise InputError(f"--cursor {v!r}: expected since:DATE with an ISO 8601 date or time") from None
    return out


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `sweep` subcommand."""
    p = sub.add_parser(
        "sweep", help="check every package published since the last sweep and store alerts",
        description="Read each registry's new-package feed from its stored cursor, check every new package "
                    "(engine and classifier, metadata fetched live), store alerts in the local store. With --from "
                    "FILE, screen a list of names instead (resumable; metadata from the local store when offline). "
                    "Exit 0: no new alert; 1: new alerts; 2: a registry failed (it is retried next run) or bad usage; "
                    "3: some packages could not be judged with their records (queued, judged by a later run).")
    p.add_argument("-r", "--registry", action="extend", nargs="+", metavar="R",
                   help=f"registries to sweep: all (default) or any of {registry_names()}")
    p.add_argument("--db", type=Path, default=None, help="the store (default: $CONFUGUARD_DB or the user data dir)")
    p.add_argument("--from", dest="from_file", type=Path, metavar="FILE",
                   help="screen the names in FILE (one per line) instead of reading feeds; needs one --registry")
    p.add_argument("--restart", action="store_true", help="with --from: sweep the file again from its first line")
    p.add_argument("--offline", action="store_true", help="never fetch metadata (use the local store only)")
    p.add_argument("--cursor", action="append", metavar="R=CURSOR",
                   help="start registry R's feed at CURSOR instead of the stored cursor (backfills; "
                        "R=since:DATE starts at a date); stored before reading")
    p.add_argument("--since", default=None, metavar="DURATION|DATE",
                   help="where registries without a stored cursor start: a duration before now (24h, 7d) or a "
                        "date (default 24h, the same window on every registry)")
    p.add_argument("--page-size", type=int, default=100, help="feed items per page and commit (default 100)")
    p.add_argument("--batch-size", type=int, default=512, help="--from names per commit (default 512)")
    p.add_argument("--max-items", type=int, default=None, help="stop a registry's feed after about N items")
    p.add_argument("--max-alerts", type=int, default=None, metavar="N",
                   help="keep this run's N most probable new alerts open, hold the rest (status held; "
                        "`alerts list --status all`); default: [sweep] max_alerts in the config, else no cap")
    p.add_argument("--min-probability", type=float, default=None, metavar="P",
                   help="hold this run's new alerts under threat probability P (default: [sweep] min_probability)")
    p.add_argument("-f", "--format", choices=["text", "json"], default="text", help="summary format")
    p.add_argument("--no-embeddings", action="store_true", help="skip the embedding generator")
    p.add_argument("--no-classifier", action="store_true", help="name evidence only (alerts for every candidate)")
    p.add_argument("--no-progress", action="store_true", help="no progress bars (they are drawn only on a terminal)")
    add_fetch_flags(p)
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    """Run the sweep, print the summary."""
    from confuguard.alerts import hold_excess
    from confuguard.app import build_engine, open_store
    from confuguard.commands import fetch_config
    from confuguard.sweep import FIRST_RUN, Sweep

    ecos = _registries(args.registry)
    start = _cursors(args.cursor)
    window = parse_window(args.since) if args.since is not None else None
    if args.from_file is not None:
        if len(ecos) != 1:
            raise InputError("--from FILE needs exactly one --registry")
        if not args.from_file.is_file():
            raise InputError(f"{args.from_file}: no such file")
    elif args.restart:
        raise InputError("--restart applies to --from FILE sweeps")
    cap, floor = _caps(args)
    store = open_store(args.db, create=True)
    assert store is not None
    progress = RichProgress() if sys.stderr.isatty() and not args.no_progress else None
    try:
        engine = build_engine(no_embeddings=args.no_embeddings, no_classifier=args.no_classifier, store=store)
        sweep = Sweep(store, engine, config=fetch_config(args), offline=args.offline, page_size=args.page_size,
                      batch_size=args.batch_size, progress=progress, max_items=args.max_items,
                      since=FIRST_RUN if window is None else window)
        try:
            if args.from_file is not None:
                summary = sweep.file(args.from_file, ecos[0], restart=args.restart)
            else:
                summary = sweep.feeds(ecos, start=start)
        finally:
            if progress is not None:
                progress.close()
        held = hold_excess(store, summary.run_id, max_alerts=cap, min_probability=floor)
    finally:
        store.close()
    data = {**summary.to_json(), "alerts_held": held}
    if args.format == "json":
        json.dump(data, sys.stdout, indent=1, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        from confuguard.formats.sweep_summary import render_text

        sys.stdout.write(render_text(data))
    # the first that applies: a registry's feed failed; packages wait in the re-judge queue; new alerts
    if summary.failed:
        return ExitCode.ERROR
    if summary.pending:
        return ExitCode.PENDING
    return ExitCode.FOUND if summary.alerts_new > held else ExitCode.OK


def _caps(args: argparse.Namespace) -> tuple[int | None, float | None]:
    """The night's alert cap and probability floor: the options, else the config's [sweep] table."""
    from confuguard.config import Config

    cfg = Config.load() if args.max_alerts is None or args.min_probability is None else None
    cap = args.max_alerts if args.max_alerts is not None else (cfg.sweep_max_alerts if cfg else None)
    floor = args.min_probability if args.min_probability is not None else (cfg.sweep_min_probability if cfg else None)
    if cap is not None and cap < 0:
        raise InputError("--max-alerts must not be negative")
    if floor is not None and not 0.0 <= floor <= 1.0:
        raise InputError("--min-probability must be between 0 and 1")
    return cap, floor


class RichProgress:
    """One rich progress bar per registry on stderr: items, rate, alerts so far, ETA when the total is known."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            ProgressColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.text import Text

        class Rate(ProgressColumn):
            def render(self, task: Any) -> Text:
                speed = task.finished_speed or task.speed
                return Text("-/s" if speed is None else f"{speed:,.0f}/s")

        self._p = Progress(
            TextColumn("{task.description:<12}"), BarColumn(), MofNCompleteColumn(), Rate(),
            TextColumn("alerts {task.fields[alerts]}"), TextColumn("{task.fields[status]}"),
            TimeElapsedColumn(), TimeRemainingColumn(),
            console=Console(stderr=True), refresh_per_second=5,
        )
        self._tasks: dict[str, Any] = {}
        self._p.start()

    def start(self, registry: str, total: int | None) -> None:
        self._tasks[registry] = self._p.add_task(registry, total=total, alerts=0, status="")

    def advance(self, registry: str, items: int, alerts: int) -> None:
        self._p.update(self._tasks[registry], advance=items, alerts=alerts)

    def finish(self, registry: str, status: str) -> None:
        task = self._tasks[registry]
        done = self._p.tasks[[t.id for t in self._p.tasks].index(task)].completed
        self._p.update(task, total=done, status=status)

    def close(self) -> None:
        self._p.stop()
