"""Offline metadata snapshots: bulk TSV imports into the store, and a store-backed RegistryClient.

Formats (first line is the header, tab-separated, one package a line):

    pypi  name  version  month  rank_among_15000_most_downloaded  summary
    npm   name  version  downloads_a_month  summary

A header cell may carry a note after its column name, in parentheses (`summary (words in
[tested here: ...] at its start are ...)`); such a leading `[tested here: ...]` note in a summary
was not written by the package's authors and is dropped. Imports stream in batches; short or
malformed lines are counted and reported with their line numbers, invalid names are skipped and
counted. Only a wrong header is fatal. Snapshot rows never overwrite records fetched live.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import ClassVar, TextIO

from confuguard import names
from confuguard.errors import ConfuguardError, FeedUnsupported, InputError
from confuguard.formats.sanitize import excerpt, one_line
from confuguard.protocols import (
    DEFAULT_FEED_LIMIT,
    FeedPage,
    PopularEntry,
    PopularList,
    RegistryClient,
)
from confuguard.store import Store, iter_chunks
from confuguard.types import Ecosystem, PackageId, PackageMetadata

#: Expected header per registry.
HEADERS: dict[Ecosystem, tuple[str, ...]] = {
    Ecosystem.PYPI: ("name", "version", "month", "rank_among_15000_most_downloaded", "summary"),
    Ecosystem.NPM: ("name", "version", "downloads_a_month", "summary"),
}
BATCH = 5000
MAX_PROBLEMS = 20
MAX_LINE_CHARS = 64 * 1024
"""Longer snapshot lines are malformed: they are skipped without being held, echoed or stored."""
MAX_NAME_CHARS = 1024
"""Longer names are invalid on every registry (the registries' own limits are checked by `names`)."""
_SUMMARY_LIMIT = 1000
_TESTED_NOTE = re.compile(r"^\[tested here:[^\]]*\]\s*")


def column_name(cell: str) -> str:
    """A header cell's column name, without a parenthesised note (`summary (words in ...)` -> `summary`)."""
    return cell.split("(", 1)[0].strip()


@dataclass(slots=True)
class ImportReport:
    """What an import did."""

    file: str
    ecosystem: Ecosystem
    lines: int = 0
    imported: int = 0
    invalid_names: int = 0
    malformed: int = 0
    problems: list[str] = field(default_factory=list)
    """The first MAX_PROBLEMS problems, as `line N: reason`."""
    seconds: float = 0.0

    def note(self, line: int, reason: str) -> None:
        """Record a problem at `line`."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(f"line {line}: {one_line(reason)}")

    def summary(self) -> str:
        """One line for the CLI."""
        return (
            f"{self.file}: {self.imported} {self.ecosystem.value} records imported from {self.lines} lines "
            f"({self.invalid_names} invalid names skipped, {self.malformed} malformed lines) in {self.seconds:.1f} s"
        )


def import_snapshot(
    path: Path, ecosystem: Ecosystem, store: Store, *, progress: Callable[[int], None] | None = None
) -> ImportReport:
    """Import a snapshot TSV of `ecosystem` into `store`."""
    if ecosystem not in HEADERS:
        raise InputError(f"no snapshot format for {ecosystem.value} (supported: {', '.join(e.value for e in HEADERS)})")
    started = time.monotonic()
    report = ImportReport(path.name, ecosystem)
    source = f"snapshot:{path.name}"
    try:
        handle = path.open("r", encoding="utf-8", errors="replace", newline="\n")
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from exc
    with handle:
        header = tuple(column_name(c) for c in handle.readline(MAX_LINE_CHARS).rstrip("\r\n").split("\t"))
        if header != HEADERS[ecosystem]:
            other = next((e for e, h in HEADERS.items() if h == header), None)
            hint = f" (that is the {other.value} format)" if other else ""
            raise InputError(
                f"{path}: header {'|'.join(header)[:120]!r} is not the {ecosystem.value} snapshot format{hint}; "
                f"expected {'|'.join(HEADERS[ecosystem])!r}"
            )
        rows = _rows(_bounded_lines(handle), ecosystem, source, datetime.now(UTC), report)
        for batch in iter_chunks(rows, BATCH):
            store.put_many(batch, keep_live=True)
            report.imported += len(batch)
            if progress:
                progress(report.imported)
    report.seconds = time.monotonic() - started
    return report


def _bounded_lines(handle: TextIO) -> Iterator[str | None]:
    """The lines of `handle`; None for a line longer than MAX_LINE_CHARS, whose rest is skipped unread."""
    while True:
        line = handle.readline(MAX_LINE_CHARS + 1)
        if not line:
            return
        if len(line) > MAX_LINE_CHARS and not line.endswith("\n"):
            while (rest := handle.readline(1 << 16)) and not rest.endswith("\n"):
                pass
            yield None
        else:
            yield line


def _rows(
    lines: Iterator[str | None], ecosystem: Ecosystem, source: str, now: datetime, report: ImportReport
) -> Iterator[PackageMetadata]:
    ncols = len(HEADERS[ecosystem])
    for number, line in enumerate(lines, start=2):
        report.lines += 1
        if line is None:
            report.malformed += 1
            report.note(number, f"longer than {MAX_LINE_CHARS} characters (not read)")
            continue
        text = line.rstrip("\r\n")
        if not text.strip():
            report.malformed += 1
            report.note(number, "empty line")
            continue
        cols = text.split("\t", ncols - 1)
        if len(cols) < ncols:
            report.malformed += 1
            report.note(number, f"truncated: {len(cols)} of {ncols} columns")
            continue
        name = cols[0].strip()
        try:
            if not name or name.startswith("pkg:") or len(name) > MAX_NAME_CHARS:
                raise InputError(f"invalid name {excerpt(name)}")
            pkg = names.parse(name, ecosystem)
        except ConfuguardError as exc:
            report.invalid_names += 1
            report.note(number, str(exc))
            continue
        try:
            yield _record(pkg, cols, ecosystem, source, now)
        except ValueError as exc:
            report.malformed += 1
            report.note(number, str(exc))


def _record(pkg: PackageId, cols: list[str], ecosystem: Ecosystem, source: str, now: datetime) -> PackageMetadata:
    version = cols[1].strip() or None
    summary = _TESTED_NOTE.sub("", cols[-1].strip())[:_SUMMARY_LIMIT] or None
    if ecosystem is Ecosystem.NPM:
        raw = cols[2].strip()
        if raw and not raw.isdigit():
            raise ValueError(f"downloads {raw[:20]!r} is not a number")
        downloads = int(raw) if raw else None
        return PackageMetadata(
            package=pkg, source=source, fetched_at=now, summary=summary, latest_version=version,
            downloads=downloads, downloads_window="last-month" if downloads is not None else None,
        )
    month, rank = cols[2].strip(), cols[3].strip()
    released = None
    if month:
        released = _month(month)
    if rank and not rank.isdigit():
        raise ValueError(f"rank {rank[:20]!r} is not a number")
    extra = {"release_month": month} if month else {}
    if rank:
        extra["rank"] = rank
    return PackageMetadata(
        package=pkg, source=source, fetched_at=now, summary=summary, latest_version=version,
        latest_release=released, extra=extra,
    )


@functools.lru_cache(maxsize=2048)
def _month(text: str) -> datetime:
    if len(text) != 7 or text[4] != "-" or not (text[:4].isdigit() and text[5:].isdigit()) or not 1 <= int(text[5:]) <= 12:
        raise ValueError(f"month {text[:20]!r} is not YYYY-MM")
    return datetime(int(text[:4]), int(text[5:]), 1, tzinfo=UTC)


class SnapshotRegistry:
    """A RegistryClient answering from the local store (offline snapshots and earlier live fetches)."""

    ecosystem: ClassVar[Ecosystem]

    def __init__(self, store: Store) -> None:
        self.store = store

    def metadata(self, pkg: PackageId) -> PackageMetadata | None:
        """The stored record, or None."""
        return self.store.get_metadata(pkg)

    def feed(self, cursor: str | None, *, limit: int = DEFAULT_FEED_LIMIT) -> FeedPage:
        """Snapshots have no feed."""
        raise FeedUnsupported(f"offline snapshots of {self.ecosystem.value} have no feed")

    def popular(self, limit: int) -> PopularList:
        """Ranking from stored download counts (npm) or the snapshot rank (PyPI)."""
        rows = self.store.ranked(self.ecosystem, limit)
        if not rows:
            raise FeedUnsupported(f"the store has no popularity figures for {self.ecosystem.value}")
        entries = tuple(PopularEntry(n, i, v) for i, (n, v) in enumerate(rows, 1))
        path = self.store.path or ":memory:"
        return PopularList(self.ecosystem, entries, f"store {path}", date.today(), "stored downloads or rank")


_CLASSES: dict[Ecosystem, type[SnapshotRegistry]] = {
    e: type(f"Snapshot{e.name.title()}Registry", (SnapshotRegistry,), {"ecosystem": e}) for e in Ecosystem
}


def snapshot_registry(store: Store, ecosystem: Ecosystem) -> RegistryClient:
    """A store-backed RegistryClient for `ecosystem`."""
    client: RegistryClient = _CLASSES[ecosystem](store)
    return client


__all__ = ["HEADERS", "ImportReport", "SnapshotRegistry", "column_name", "import_snapshot", "snapshot_registry"]
