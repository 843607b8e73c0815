"""The nightly sweep: read each registry's new-package feed from its cursor, check every new package,
store alerts. Also screens a file of names (`--from FILE`) through the same path.

    sweep = Sweep(store, engine)                       # engine as `check` builds it (classifier on)
    summary = sweep.feeds([Ecosystem.NPM, Ecosystem.PYPI])
    summary = sweep.file(Path("names.txt"), Ecosystem.PYPI)

Crash safety. Work is committed in batches (one feed page, or `batch_size` names of a file), and
each batch is ONE SQLite transaction holding the checked packages, their alerts and the position
reached (the feed's `next_cursor`, or the file's line number). A sweep killed at any moment
(`kill -9`) leaves the store at the end of the last committed batch; the next sweep re-reads the
feed from that cursor (or the file from that line) and re-checks only the uncommitted batch.
Alerts are keyed by (registry, suspect, target), so nothing can be doubled either.

A file sweep's progress is keyed by sha256(registry, absolute path, size, sha256 of the first
MiB): the same unchanged file resumes after the last stored line; an edited, grown or moved file
is a new file and starts at line 1. A finished file is not swept again unless `restart=True`.

A registry whose feed fails (down, rate-limited, malformed) is reported in the summary and in
`feed_cursors.last_error`; its cursor stays put, so the next run retries the same window, and the
other registries carry on. Invalid names are counted and listed, never fatal.

Where a feed starts. A registry without a stored cursor starts at `since` (default: 24 hours before
the run) through the `since:<time>` cursor every feed understands; a `--cursor` start is used as
given. Either start is stored before the first page is read, so a first page that fails, or a kill
before the first commit, keeps the window for the next run.

Metadata outages. A package whose own record (or a target's) cannot be fetched is not judged by
name alone: it goes to the re-judge queue in the same transaction that moves the cursor on, and
every later sweep of that registry first drains the queue, judging those packages with their
records. A package still failing after `REJUDGE_ATTEMPTS` runs is judged without its record.

Campaigns. The summary of every new package whose record a feed sweep fetches is recorded (a digest,
`signals.summary_digest`) before the batch is judged, so packages sharing one specific summary count each
other (`summary_shared`). A campaign's uploads arrive over many pages (and runs): after judging a batch,
the earlier packages of the last `CAMPAIGN_DAYS` whose summary it shares are judged again from their stored
records, and their alerts commit in the batch's transaction (alerts are unique, so a crash and a re-run
change nothing). A summary already shared by more than `SUMMARY_PEERS_CAP` earlier packages is not
re-judged: each of them already counts as many peers as the signal weighs.

Registry-observed times. A feed item's time (PyPI journal, RubyGems `created_at`, Maven index
timestamp, Go index timestamp, Hugging Face `createdAt`) is stamped by the registry. A record that
has no registry `created` date (Go modules: the proxy only knows author-set commit times) gets the
earliest feed time observed for the package (`extra.first_listed`), never a date the author wrote.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from confuguard import names
from confuguard.errors import ConfuguardError, InputError
from confuguard.formats.sanitize import one_line
from confuguard.protocols import FeedItem, NameChecker, RegistryClient, since_cursor
from confuguard.signals import CAMPAIGN_DAYS, SUMMARY_PEERS_CAP, summary_digest
from confuguard.store import Store, iter_chunks
from confuguard.types import (
    Alert,
    Candidate,
    CheckResult,
    Ecosystem,
    PackageId,
    PackageMetadata,
    Verdict,
    as_utc,
)

if TYPE_CHECKING:
    from confuguard.config import Config
    from confuguard.registries._http import Http

log = logging.getLogger(__name__)
#: JSON summary format version.
SUMMARY_VERSION = 1
#: Names per committed batch of a file sweep.
FILE_BATCH = 512
#: Items asked for per feed page (one page = one committed batch).
FEED_PAGE = 100
#: Invalid names listed per registry in the summary (all are counted).
MAX_LISTED = 50
#: Upper bound of feed pages per registry and run (a guard against a feed that never says exhausted).
MAX_PAGES = 10_000
#: First-run window: a registry without a stored cursor starts this long before the run (`--since`).
FIRST_RUN = timedelta(hours=24)
#: Runs a package waits in the re-judge queue for its record before it is judged without it.
REJUDGE_ATTEMPTS = 5
#: Reason added to the alerts of a package the feed reported removed (npm unpublish).
REMOVED_REASON = "removed from the registry after publication (the feed reported its deletion)"
_HEAD_BYTES = 1 << 20


class Progress(Protocol):
    """What the sweep reports while it runs (the CLI draws rich progress bars from it)."""

    def start(self, registry: str, total: int | None) -> None: ...

    def advance(self, registry: str, items: int, alerts: int) -> None: ...

    def finish(self, registry: str, status: str) -> None: ...


@dataclass
class RegistrySummary:
    """What one registry's sweep did in this run."""

    registry: str
    source: str
    """`feed`, or the absolute path of the `--from` file."""
    status: str = "ok"
    """`ok`, `error` (the feed failed; retried next run), `complete` (file already swept)."""
    checked: int = 0
    alerts_new: int = 0
    alerts_reseen: int = 0
    benign_suppressed: int = 0
    clean: int = 0
    popular: int = 0
    invalid: int = 0
    invalid_names: list[dict[str, str]] = field(default_factory=list)
    skipped: int = 0
    """Feed items not checked: repeats of a package within one page."""
    batches: int = 0
    metadata_fetched: int = 0
    metadata_failed: int = 0
    rejudge_queued: int = 0
    """Packages whose metadata could not be fetched in this run: queued, judged again by a later run."""
    rejudged: int = 0
    """Queued packages judged with their records in this run (counted in `checked` too)."""
    rejudge_pending: int = 0
    """Packages waiting in this registry's re-judge queue after the run."""
    campaign_rejudged: int = 0
    """Earlier packages judged again because packages of this run showed the same summary (not in `checked`)."""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    cursor_before: str | None = None
    cursor_after: str | None = None
    resumed_at_line: int | None = None
    seconds: float = 0.0

    def note_invalid(self, name: str, reason: str) -> None:
        self.invalid += 1
        if len(self.invalid_names) < MAX_LISTED:
            self.invalid_names.append({"name": name, "reason": reason})

    def to_json(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["seconds"] = round(self.seconds, 3)
        return d


@dataclass
class SweepSummary:
    """One sweep run: the per-registry summaries."""

    run_id: int
    started_at: str
    model_version: str
    registries: list[RegistrySummary] = field(default_factory=list)
    finished_at: str | None = None

    @property
    def failed(self) -> bool:
        return any(r.status == "error" for r in self.registries)

    @property
    def alerts_new(self) -> int:
        return sum(r.alerts_new for r in self.registries)

    @property
    def pending(self) -> int:
        """Packages waiting to be judged with their records (metadata unavailable so far)."""
        return sum(r.rejudge_pending for r in self.registries)

    def totals(self) -> dict[str, int]:
        keys = ("checked", "alerts_new", "alerts_reseen", "benign_suppressed", "clean", "popular", "invalid",
                "skipped", "metadata_fetched", "metadata_failed", "rejudge_queued", "rejudged", "rejudge_pending",
                "campaign_rejudged")
        out = {k: sum(getattr(r, k) for r in self.registries) for k in keys}
        out["errors"] = sum(len(r.errors) for r in self.registries)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "schema_version": SUMMARY_VERSION, "run_id": self.run_id, "started_at": self.started_at,
            "finished_at": self.finished_at, "model_version": self.model_version, "totals": self.totals(),
            "registries": {r.registry: r.to_json() for r in self.registries},
        }


def model_version(engine: NameChecker) -> str:
    """The version of the classifier the engine judges with (`name-only` without one)."""
    judge = getattr(engine, "judge", None)
    if judge is None:
        return "name-only"
    model = getattr(judge, "model", None)
    manifest = getattr(model, "manifest", None)
    if isinstance(manifest, dict) and manifest.get("version"):
        return str(manifest["version"])
    from confuguard.classifier import ThreatModel

    return str(ThreatModel.load().manifest.get("version") or "unknown")


def file_identity(path: Path, ecosystem: Ecosystem) -> dict[str, Any]:
    """The progress key of a `--from` file: registry, absolute path, size and sha256 of the first MiB."""
    try:
        real = path.resolve()
        size = real.stat().st_size
        with real.open("rb") as fh:
            head = hashlib.sha256(fh.read(_HEAD_BYTES)).hexdigest()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    key = hashlib.sha256(f"{ecosystem.value}\0{real}\0{size}\0{head}".encode()).hexdigest()
    return {"file_key": key, "path": str(real), "ecosystem": ecosystem.value, "size": size, "head_sha256": head}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class Sweep:
    """Runs sweeps against one store with one engine.

    `clients(eco)` gives the RegistryClient of a registry (default: the live clients from
    `confuguard.registries.build`, sharing one HTTP layer that caches in the store). `offline`
    never touches the network for metadata (file sweeps only; feeds need the network).
    `checkpoint` is called wherever the sweep may be interrupted (before each result of a batch
    is stored, after each commit): crash-safety tests pass one that kills the process there.
    """

    def __init__(self, store: Store, engine: NameChecker, *,
                 clients: Callable[[Ecosystem], RegistryClient] | None = None, config: Config | None = None,
                 offline: bool = False, page_size: int = FEED_PAGE, batch_size: int = FILE_BATCH,
                 progress: Progress | None = None, fetch_workers: int = 8, max_items: int | None = None,
                 since: datetime | timedelta = FIRST_RUN, checkpoint: Callable[[], None] | None = None) -> None:
        self.store = store
        self.since = since
        """Where a registry without a stored cursor starts: a time, or a span before the run."""
        self.engine = engine
        self.offline = offline
        self.page_size = max(1, page_size)
        self.batch_size = max(1, batch_size)
        self.progress = progress
        self.fetch_workers = max(1, fetch_workers)
        self.max_items = max_items
        self.model_version = model_version(engine)
        self._config = config
        self._clients_factory = clients
        self._clients: dict[Ecosystem, RegistryClient] = {}
        self._http: Http | None = None
        self._tried_targets: set[PackageId] = set()
        self._failed_targets: dict[PackageId, str] = {}
        self._checkpoint = checkpoint

    # -- public ------------------------------------------------------------------------------------------

    def feeds(self, ecosystems: Sequence[Ecosystem], *, start: Mapping[Ecosystem, str] | None = None) -> SweepSummary:
        """Sweep the feeds of `ecosystems`, each from its stored cursor (or `start[eco]` when given)."""
        summary = self._begin("feed:" + ",".join(e.value for e in ecosystems))
        self._first = self.since if isinstance(self.since, datetime) else datetime.now(UTC) - self.since
        for eco in ecosystems:
            summary.registries.append(self._feed(eco, summary.run_id, (start or {}).get(eco)))
        return self._end(summary)

    def file(self, path: Path, ecosystem: Ecosystem, *, restart: bool = False) -> SweepSummary:
        """Screen the names of `path` (one per line, `#` comments and blank lines skipped) as `ecosystem` packages."""
        ident = file_identity(path, ecosystem)
        summary = self._begin(f"file:{ident['path']}")
        summary.registries.append(self._file(path, ecosystem, ident, summary.run_id, restart))
        return self._end(summary)

    # -- feeds -------------------------------------------------------------------------------------------

    def _feed(self, eco: Ecosystem, run_id: int, start: str | None) -> RegistrySummary:
        rs = RegistrySummary(eco.value, "feed")
        began = time.monotonic()
        stored = self.store.feed_cursor(eco)
        cursor = start if start is not None else stored
        if cursor is None:  # first run: the configured window, the same way on every registry
            cursor = since_cursor(self._first)
        if cursor != stored:  # stored before reading: a failed first page keeps this start
            self.store.set_feed_cursor(eco, cursor)
        rs.cursor_before = rs.cursor_after = cursor
        log.info("%s: feed from cursor %s", eco.value, cursor)
        if self.progress:
            self.progress.start(eco.value, None)
        try:
            client = self._client(eco)
            self._drain(eco, rs, run_id)
            for _ in range(MAX_PAGES):
                try:
                    page = client.feed(cursor, limit=self.page_size)
                except Exception as exc:  # noqa: BLE001 - any failure of one feed must not stop the others
                    self._fail(rs, eco, exc)
                    break
                rs.warnings += [w for w in page.errors if not any(i.error and i.error in w for i in page.items)][:20]
                self._feed_batch(eco, rs, run_id, page.items, page.next_cursor)
                rs.cursor_after = page.next_cursor
                if page.exhausted or (page.next_cursor == cursor and not page.items):
                    break
                cursor = page.next_cursor
                if self.max_items is not None and rs.checked + rs.invalid >= self.max_items:
                    break
        except Exception as exc:  # noqa: BLE001 - e.g. a checking failure on this registry's batch
            self._fail(rs, eco, exc)
        try:
            rs.rejudge_pending = len(self.store.rejudge_queue(eco))
        except ConfuguardError:
            pass
        rs.warnings = rs.warnings[:20]
        if rs.rejudge_pending:
            rs.warnings.insert(0, f"{rs.rejudge_pending} package(s) wait to be judged with their records "
                                  "(metadata unavailable); retried next run")
        rs.seconds = time.monotonic() - began
        log.info("%s: %s, %d checked, %d new alerts in %.1f s", eco.value, rs.status, rs.checked, rs.alerts_new,
                 rs.seconds)
        if self.progress:
            self.progress.finish(eco.value, rs.status)
        return rs

    def _fail(self, rs: RegistrySummary, eco: Ecosystem, exc: BaseException) -> None:
        msg = str(exc) if isinstance(exc, ConfuguardError) else f"{type(exc).__name__}: {exc}"
        msg = one_line(msg) if msg.strip() else type(exc).__name__
        rs.status = "error"
        rs.errors.append(msg)
        try:
            self.store.feed_error(eco, msg)
        except ConfuguardError:
            pass

    def _feed_batch(self, eco: Ecosystem, rs: RegistrySummary, run_id: int, items: Iterable[FeedItem],
                    next_cursor: str) -> None:
        todo: dict[PackageId, FeedItem] = {}
        seen: set[str] = set()
        for item in items:
            if item.package is None:
                rs.note_invalid(item.name, item.error or "invalid name")
                self._crash_point()
                continue
            k = names.key(item.package)
            if k in seen:
                rs.skipped += 1
                continue
            seen.add(k)
            todo[item.package] = item  # a deletion too: published and removed between sweeps is still a package
        self._judge_and_commit(eco, rs, run_id, todo, cursor=(eco, next_cursor))

    def _drain(self, eco: Ecosystem, rs: RegistrySummary, run_id: int) -> None:
        """Judge the queued packages of `eco` with their records (those whose metadata failed before)."""
        if self.engine.judge is None or self.offline:
            return
        for chunk in iter_chunks(self.store.rejudge_queue(eco), self.page_size):
            todo: dict[PackageId, FeedItem] = {}
            attempts: dict[PackageId, int] = {}
            gone: list[tuple[str, str]] = []
            for row in chunk:
                try:
                    pkg = names.parse(row["name"], eco)
                    saved = json.loads(row["item"])
                except (ConfuguardError, ValueError):
                    gone.append((eco.value, row["key"]))
                    continue
                when = saved.get("published")
                todo[pkg] = FeedItem(row["name"], pkg, datetime.fromisoformat(when) if when else None,
                                     saved.get("version"), saved.get("action"))
                attempts[pkg] = int(row["attempts"])
            self._judge_and_commit(eco, rs, run_id, todo, queued=attempts, dequeue=gone)

    def _judge_and_commit(self, eco: Ecosystem, rs: RegistrySummary, run_id: int, todo: Mapping[PackageId, FeedItem],
                          *, cursor: tuple[Ecosystem, str] | None = None, queued: Mapping[PackageId, int] | None = None,
                          dequeue: Sequence[tuple[str, str]] = ()) -> None:
        """Check `todo`, fetch and judge with records, and commit; packages whose records failed are (re)queued."""
        queued = queued or {}
        pkgs = list(todo)
        failed: dict[PackageId, str] = {}
        digests: dict[PackageId, str] = {}
        results = self.engine.check_many(pkgs) if pkgs else []
        if results:
            results = self._judge_live(eco, rs, results, missing_only=False, items=todo, failed=failed,
                                       digests=digests)
        peers = self._campaign_peers(eco, rs, digests, todo)
        keep: list[CheckResult] = []
        queue: list[tuple[str, str, str, str, str]] = []
        leave = list(dequeue)
        for r in results:
            pkg = r.package
            if pkg is not None and pkg in failed and queued.get(pkg, 0) + 1 < REJUDGE_ATTEMPTS:
                item = todo[pkg]
                saved = {"published": item.published.isoformat() if item.published else None,
                         "version": item.version, "action": item.action}
                queue.append((eco.value, names.key(pkg), names.display(pkg), json.dumps(saved), failed[pkg][:300]))
                rs.rejudge_queued += pkg not in queued
                continue
            if pkg is not None and pkg in failed:
                rs.warnings.append(f"{names.display(pkg)}: judged without its record after {REJUDGE_ATTEMPTS} "
                                   f"failed fetches ({failed[pkg][:120]})")
            if pkg is not None and pkg in queued:
                leave.append((eco.value, names.key(pkg)))
                rs.rejudged += 1
            keep.append(r)
        removed = {p for p, i in todo.items() if i.action == "deleted"}
        self._commit(rs, run_id, keep, cursor=cursor, queue=queue, dequeue=leave, removed=removed, again=peers)

    def _campaign_peers(self, eco: Ecosystem, rs: RegistrySummary, digests: Mapping[PackageId, str],
                        batch: Collection[PackageId]) -> list[CheckResult]:
        """The earlier packages (recorded in the last `CAMPAIGN_DAYS`, outside `batch`) whose summary digest a
        package of the batch shares, judged again from their stored records; digests shared by more than
        `SUMMARY_PEERS_CAP` earlier packages are passed over (their signal is already at its cap)."""
        if not digests:
            return []
        since = datetime.now(UTC) - timedelta(days=CAMPAIGN_DAYS)
        groups = self.store.summary_sharers(eco, set(digests.values()), since=since,
                                            exclude={names.key(p) for p in batch})
        earlier: list[PackageId] = []
        for members in groups.values():
            if len(members) > SUMMARY_PEERS_CAP:
                continue
            for name in members:
                try:
                    earlier.append(names.parse(name, eco))
                except ConfuguardError:
                    continue
        results = self.engine.check_many(list(dict.fromkeys(earlier))) if earlier else []
        rs.campaign_rejudged += len(results)
        return results

    # -- files -------------------------------------------------------------------------------------------

    def _file(self, path: Path, eco: Ecosystem, ident: dict[str, Any], run_id: int, restart: bool) -> RegistrySummary:
        rs = RegistrySummary(eco.value, ident["path"])
        began = time.monotonic()
        if restart:
            self.store.reset_file_progress(ident["file_key"])
        done = self.store.file_progress(ident["file_key"])
        start_line = 0
        if done is not None:
            start_line, finished = done
            if finished:
                rs.status = "complete"
                rs.warnings.append(f"{ident['path']} was swept completely before (use --restart to sweep it again)")
                return rs
            rs.resumed_at_line = start_line + 1
        total = sum(1 for _, name in _names(path, start_line))
        if self.progress:
            self.progress.start(eco.value, total)
        batch: list[str] = []
        last_line = start_line
        for line_no, name in _names(path, start_line):
            batch.append(name)
            last_line = line_no
            if len(batch) >= self.batch_size:
                self._file_batch(eco, rs, run_id, batch, {**ident, "lines_done": line_no, "finished": 0})
                batch = []
        self._file_batch(eco, rs, run_id, batch, {**ident, "lines_done": last_line, "finished": 1})
        rs.seconds = time.monotonic() - began
        if self.progress:
            self.progress.finish(eco.value, rs.status)
        return rs

    def _file_batch(self, eco: Ecosystem, rs: RegistrySummary, run_id: int, texts: list[str],
                    position: dict[str, Any]) -> None:
        results = self.engine.check_names(texts, eco) if texts else []
        if not self.offline:
            results = self._judge_live(eco, rs, results, missing_only=True)
        self._commit(rs, run_id, results, file=position)

    # -- shared ------------------------------------------------------------------------------------------

    def _judge_live(self, eco: Ecosystem, rs: RegistrySummary, results: list[CheckResult], *, missing_only: bool,
                    items: Mapping[PackageId, FeedItem] | None = None,
                    failed: dict[PackageId, str] | None = None,
                    digests: dict[PackageId, str] | None = None) -> list[CheckResult]:
        """Fetch metadata of the suspects that have candidates (and of their targets not yet stored), store it,
        and judge those suspects again. `missing_only`: fetch only suspects the store does not know.
        `items`: the feed items of the suspects (their registry-observed times fill what records lack).
        `failed` receives the suspects judged without a record that could not be fetched (their own or a
        target's), with the error. `digests` receives the summary digests recorded for the fetched suspects
        (recorded only when given: new packages from a feed), before they are judged again."""
        if self.offline or self.engine.judge is None:
            return results
        idx = [i for i, r in enumerate(results) if r.package is not None and r.candidates]
        if not idx:
            return results
        suspects = [results[i].package for i in idx]
        suspect_set = set(suspects)
        targets = list(dict.fromkeys(c.target for i in idx for c in results[i].candidates))
        want: list[PackageId] = [p for p in suspects if p is not None]
        stored = self.store.get_many(want + targets)
        if missing_only:
            want = [p for p in want if stored.get(p) is None]
        want += [t for t in targets if stored.get(t) is None and t not in self._tried_targets]
        self._tried_targets.update(targets)
        if failed is not None:
            self._note_failed(results, idx, {}, failed)
        if not want:
            return results
        try:
            client = self._client(eco)
        except ConfuguardError as exc:
            rs.warnings.append(f"metadata: {exc}")
            self.offline = True
            return results
        from confuguard.registries import fetch_each

        fetched: list[PackageMetadata] = []
        own: dict[PackageId, PackageMetadata] = {}
        failures: list[str] = []
        errors: dict[PackageId, str] = {}
        # every error, a parser bug on one package included, is that package's failure, not the sweep's
        for pkg, meta, problem in fetch_each(want, lambda _: client, workers=self.fetch_workers, catch=(Exception,)):
            if problem is not None:
                err = f"{names.display(pkg)}: " + (str(problem) if isinstance(problem, ConfuguardError)
                                                   else f"{type(problem).__name__}: {problem}")
                failures.append(err)
                errors[pkg] = err
            elif meta is not None:
                item = (items or {}).get(pkg)
                fetched.append(observed_times(meta, stored.get(pkg), item.published) if item else meta)
                if pkg in suspect_set:
                    own[pkg] = fetched[-1]
        rs.metadata_fetched += len(fetched)
        rs.metadata_failed += len(failures)
        if failures:
            rs.warnings.append(f"metadata: {failures[0]}" + (f" (+{len(failures) - 1} more)" if len(failures) > 1 else ""))
        if missing_only and failures and not fetched and all("unavailable" in f.lower() or "connect" in f.lower()
                                                             for f in failures):
            self.offline = True  # no network: the rest of the file uses the local store
            rs.warnings.append("no network: metadata from the local store only")
        if failed is not None:
            self._failed_targets.update((t, errors[t]) for t in targets if t in errors)
            self._note_failed(results, idx, errors, failed)
        if fetched:
            self.store.put_many(fetched)
        if digests is not None and own:
            digests.update(self._record_summaries(own))
        again = self.engine.check_many([p for i in idx if (p := results[i].package) is not None])
        out = list(results)
        for i, res in zip(idx, again):
            out[i] = res
        return out

    def _record_summaries(self, records: Mapping[PackageId, PackageMetadata]) -> dict[PackageId, str]:
        """Record the summary digests of new packages' fetched records (a record first published more than
        `CAMPAIGN_DAYS` ago is not new); return those that can identify a campaign."""
        old = datetime.now(UTC) - timedelta(days=CAMPAIGN_DAYS)
        rows = {p: summary_digest(m) for p, m in records.items()
                if m.created is None or as_utc(m.created) >= old}
        self.store.record_summaries(rows.items())
        return {p: d for p, d in rows.items() if d is not None}

    def _note_failed(self, results: list[CheckResult], idx: list[int], errors: Mapping[PackageId, str],
                     failed: dict[PackageId, str]) -> None:
        """Record in `failed` the suspects whose own record, or a candidate target's, could not be fetched."""
        for i in idx:
            r = results[i]
            assert r.package is not None
            why = errors.get(r.package) or next(
                (errors.get(c.target) or self._failed_targets.get(c.target) for c in r.candidates
                 if c.target in errors or c.target in self._failed_targets), None)
            if why:
                failed[r.package] = why

    def _commit(self, rs: RegistrySummary, run_id: int, results: list[CheckResult], *,
                cursor: tuple[Ecosystem, str] | None = None, file: dict[str, Any] | None = None,
                queue: Sequence[tuple[str, str, str, str, str]] = (), dequeue: Sequence[tuple[str, str]] = (),
                removed: Collection[PackageId] = (), again: Sequence[CheckResult] = ()) -> None:
        """Store `results` (counted in `rs`) and `again` (earlier packages judged again: their verdicts and
        alerts only) with the batch's position in one transaction."""
        checked: list[tuple[str, str, str, str]] = []
        alerts: list[Alert] = []
        counts = {"checked": 0, "benign": 0, "clean": 0, "popular": 0}
        for r in results:
            self._crash_point()
            if r.verdict is Verdict.INVALID or r.package is None:
                rs.note_invalid(r.query, r.reasons[0] if r.reasons else "invalid name")
                continue
            counts["checked"] += 1
            if r.verdict is Verdict.BENIGN:
                counts["benign"] += 1
            elif r.verdict is Verdict.CLEAN:
                counts["clean"] += 1
            elif r.verdict is Verdict.POPULAR:
                counts["popular"] += 1
            self._rows(r.package, r, checked, alerts, notes=(REMOVED_REASON,) if r.package in removed else ())
        for r in again:
            if r.package is not None and r.verdict is not Verdict.INVALID:
                self._rows(r.package, r, checked, alerts)
        new, reseen = self.store.commit_sweep(run_id, _now(), checked, alerts, cursor=cursor, file=file,
                                              queue=queue, dequeue=dequeue)
        self._crash_point()
        rs.batches += 1
        rs.checked += counts["checked"]
        rs.benign_suppressed += counts["benign"]
        rs.clean += counts["clean"]
        rs.popular += counts["popular"]
        rs.alerts_new += new
        rs.alerts_reseen += reseen
        if self.progress:
            self.progress.advance(rs.registry, len(results), rs.alerts_new)

    def _rows(self, pkg: PackageId, r: CheckResult, checked: list[tuple[str, str, str, str]], alerts: list[Alert],
              *, notes: Sequence[str] = ()) -> None:
        """Append the checked-package row of `r` to `checked`, and an alert per suspicious candidate to `alerts`."""
        checked.append((pkg.ecosystem.value, names.key(pkg), names.display(pkg), r.verdict.value))
        if r.verdict is Verdict.SUSPICIOUS:
            alerts += [alert_row(pkg, c, self.model_version, notes=notes) for c in r.candidates
                       if c.verdict is Verdict.SUSPICIOUS]

    def _client(self, eco: Ecosystem) -> RegistryClient:
        client = self._clients.get(eco)
        if client is None:
            if self._clients_factory is not None:
                client = self._clients_factory(eco)
            else:
                from confuguard.config import Config
                from confuguard.registries import build, make_http

                if self._config is None:
                    self._config = Config.load()
                if self._http is None:
                    self._http = make_http(self._config, store=self.store)
                client = build(eco, client=self._http, config=self._config)
            self._clients[eco] = client
        return client

    def _crash_point(self) -> None:
        if self._checkpoint is not None:
            self._checkpoint()

    def _begin(self, source: str) -> SweepSummary:
        return SweepSummary(self.store.start_run(source), _now(), self.model_version)

    def _end(self, summary: SweepSummary) -> SweepSummary:
        summary.finished_at = _now()
        self.store.finish_run(summary.run_id, summary.to_json())
        return summary


def observed_times(meta: PackageMetadata, previous: PackageMetadata | None, seen: datetime | None) -> PackageMetadata:
    """`meta` with the registry-observed feed time `seen` filling what the record lacks.

    `extra.first_listed` keeps the earliest feed time seen for the package across runs; a record
    without a registry `created` (Go) takes it as `created`, one without `latest_release` takes
    `seen`. A registry date the record has is never replaced, and no author-written date is used.
    """
    if seen is None:
        return meta
    earlier = previous.extra.get("first_listed") if previous is not None else None
    first = min(seen, datetime.fromisoformat(earlier)) if earlier else seen
    return dataclasses.replace(
        meta, created=meta.created or first, latest_release=meta.latest_release or seen,
        extra={**meta.extra, "first_listed": first.isoformat()})


def alert_row(suspect: PackageId, cand: Candidate, version: str, *, notes: Sequence[str] = ()) -> Alert:
    """The alert of a suspicious candidate of a suspect, to store; `notes` are reasons the sweep adds."""
    return Alert(
        ecosystem=suspect.ecosystem.value, suspect_key=names.key(suspect), suspect=names.display(suspect),
        target_key=names.key(cand.target), target=names.display(cand.target), target_rank=cand.target_rank,
        categories=tuple(c.value for c in cand.categories), edit_distance=cand.edit_distance,
        embedding_similarity=cand.embedding_similarity, threat_probability=cand.threat_probability,
        verdict=(cand.verdict or Verdict.SUSPICIOUS).value,
        reasons=(*(f"{f.category.value}: {f.detail}" for f in cand.findings), *cand.reasons, *notes),
        model_version=version,
    )


def _names(path: Path, skip_lines: int) -> Iterator[tuple[int, str]]:
    """(physical line number, name) of the names after line `skip_lines`; blank lines and `#` comments skipped.

    Read as `check --from` reads (`confuguard.namelist`): streamed, BOM and CRLF accepted; a line too
    long or not UTF-8 is not a name and is passed over."""
    from confuguard.namelist import iter_names, open_list

    try:
        with open_list(str(path)) as fh:
            for item in iter_names(fh):
                if item.line > skip_lines and item.name is not None:
                    yield item.line, item.name
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None


__all__ = ["FIRST_RUN", "REJUDGE_ATTEMPTS", "Progress", "RegistrySummary", "Sweep", "SweepSummary",
           "alert_row", "file_identity", "model_version", "observed_times"]
