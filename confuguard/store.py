"""The local SQLite store: package metadata and the HTTP conditional-request cache.

One file (default `paths.default_db()`), WAL journal so readers never block, and schema
versions in `PRAGMA user_version`: `MIGRATIONS[i]` brings a database from version `i` to
`i + 1`. Later features append steps (feed cursors, alerts, verdicts); never edit old ones.
"""

from __future__ import annotations

import functools
import json
import sqlite3
import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from confuguard import names, paths
from confuguard.errors import DataError
from confuguard.types import Ecosystem, PackageId, PackageMetadata, WeightFile

Migration = str | Callable[[sqlite3.Connection], None]

#: Schema steps; the database's `user_version` is the number applied.
MIGRATIONS: list[Migration] = [
    """
    CREATE TABLE package_metadata (
        ecosystem  TEXT NOT NULL,
        key        TEXT NOT NULL,
        name       TEXT NOT NULL,
        data       TEXT NOT NULL,
        source     TEXT NOT NULL,
        fetched_at TEXT,
        PRIMARY KEY (ecosystem, key)
    );
    CREATE TABLE http_cache (
        url           TEXT PRIMARY KEY,
        etag          TEXT,
        last_modified TEXT,
        body          BLOB NOT NULL,
        fetched_at    TEXT NOT NULL
    );
    """,
    # 2: the nightly sweep (confuguard/sweep.py) and the analysts' triage loop (confuguard/alerts.py)
    """
    CREATE TABLE feed_cursors (
        ecosystem     TEXT PRIMARY KEY,
        cursor        TEXT,
        updated_at    TEXT NOT NULL,
        last_error    TEXT,
        last_error_at TEXT
    );
    CREATE TABLE sweep_runs (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        source      TEXT NOT NULL,
        summary     TEXT
    );
    CREATE TABLE checked_packages (
        ecosystem     TEXT NOT NULL,
        key           TEXT NOT NULL,
        name          TEXT NOT NULL,
        verdict       TEXT NOT NULL,
        first_checked TEXT NOT NULL,
        last_checked  TEXT NOT NULL,
        last_run      INTEGER NOT NULL,
        PRIMARY KEY (ecosystem, key)
    );
    CREATE TABLE alerts (
        id                   INTEGER PRIMARY KEY AUTOINCREMENT,
        ecosystem            TEXT NOT NULL,
        suspect_key          TEXT NOT NULL,
        suspect              TEXT NOT NULL,
        target_key           TEXT NOT NULL,
        target               TEXT NOT NULL,
        target_rank          INTEGER,
        categories           TEXT NOT NULL,
        edit_distance        INTEGER,
        embedding_similarity REAL,
        threat_probability   REAL,
        verdict              TEXT NOT NULL,
        reasons              TEXT NOT NULL,
        model_version        TEXT NOT NULL,
        first_seen           TEXT NOT NULL,
        last_seen            TEXT NOT NULL,
        first_run            INTEGER NOT NULL,
        last_run             INTEGER NOT NULL,
        status               TEXT NOT NULL DEFAULT 'open',
        UNIQUE (ecosystem, suspect_key, target_key)
    );
    CREATE INDEX alerts_status_first_seen ON alerts (status, first_seen);
    CREATE TABLE alert_verdicts (
        id          INTEGER PRIMARY KEY AUTOINCREMENT,
        alert_id    INTEGER NOT NULL REFERENCES alerts (id),
        verdict     TEXT NOT NULL,
        analyst     TEXT NOT NULL,
        note        TEXT NOT NULL DEFAULT '',
        recorded_at TEXT NOT NULL,
        source      TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX alert_verdicts_alert ON alert_verdicts (alert_id);
    CREATE TABLE file_sweeps (
        file_key   TEXT PRIMARY KEY,
        path       TEXT NOT NULL,
        ecosystem  TEXT NOT NULL,
        size       INTEGER NOT NULL,
        head_sha256 TEXT NOT NULL,
        lines_done INTEGER NOT NULL,
        finished   INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL
    );
    """,
    # 3: feed packages whose metadata could not be fetched, judged again with their records by later sweeps
    """
    CREATE TABLE rejudge_queue (
        ecosystem    TEXT NOT NULL,
        key          TEXT NOT NULL,
        name         TEXT NOT NULL,
        item         TEXT NOT NULL,
        attempts     INTEGER NOT NULL,
        last_error   TEXT NOT NULL,
        first_queued TEXT NOT NULL,
        PRIMARY KEY (ecosystem, key)
    );
    """,
]


@dataclass(frozen=True, slots=True)
class CachedResponse:
    """A body kept for conditional requests, with its validators."""

    url: str
    etag: str | None
    last_modified: str | None
    body: bytes
    fetched_at: datetime


class Store:
    """A connection to the local store. Thread-safe: one connection guarded by a lock."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path

    @classmethod
    def open(cls, path: Path | str | None = None) -> Store:
        """Open (creating parent folders and migrating) the store at `path` (default `paths.default_db()`)."""
        target = Path(path) if path is not None else paths.default_db()
        memory = str(target) == ":memory:"
        try:
            if not memory:
                target.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(target), timeout=30, check_same_thread=False, isolation_level=None)
            conn.execute("PRAGMA busy_timeout = 30000")
            if not memory:
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            store = cls(conn, None if memory else target)
            store._migrate()
        except sqlite3.DatabaseError as exc:
            raise DataError(f"cannot open store {target}: {exc}") from exc
        except OSError as exc:
            raise DataError(f"cannot create store {target}: {exc}") from exc
        return store

    # -- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        """The applied `PRAGMA user_version`."""
        return int(self._conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        with self._lock:
            current = self.schema_version
            if current > len(MIGRATIONS):
                raise DataError(
                    f"store schema version {current} is newer than this confuguard ({len(MIGRATIONS)}); upgrade"
                )
            for version in range(current, len(MIGRATIONS)):
                step = MIGRATIONS[version]
                self._conn.execute("BEGIN IMMEDIATE")
                try:
                    if self.schema_version != version:  # another process migrated meanwhile
                        self._conn.execute("ROLLBACK")
                        continue
                    if isinstance(step, str):
                        for statement in step.split(";"):
                            if statement.strip():
                                self._conn.execute(statement)
                    else:
                        step(self._conn)
                    self._conn.execute(f"PRAGMA user_version = {version + 1}")
                    self._conn.execute("COMMIT")
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise

    def _transaction(self) -> _Tx:
        return _Tx(self)

    # -- metadata ----------------------------------------------------------------------------

    def put_metadata(self, meta: PackageMetadata) -> None:
        """Insert or replace the record of `meta.package`."""
        self.put_many([meta])

    def put_many(self, metas: Iterable[PackageMetadata], *, keep_live: bool = False) -> int:
        """Insert or replace many records in one transaction; return how many were written.

        With `keep_live`, an existing record whose source is not a snapshot is kept (offline
        snapshots never overwrite what a registry told us).
        """
        rows = [_row(m) for m in metas]
        sql = (
            "INSERT INTO package_metadata (ecosystem, key, name, data, source, fetched_at) VALUES (?,?,?,?,?,?) "
            "ON CONFLICT (ecosystem, key) DO UPDATE SET name=excluded.name, data=excluded.data, "
            "source=excluded.source, fetched_at=excluded.fetched_at"
        )
        if keep_live:
            sql += " WHERE package_metadata.source LIKE 'snapshot:%'"
        with self._transaction() as conn:
            conn.executemany(sql, rows)
        return len(rows)

    def get_metadata(self, pkg: PackageId) -> PackageMetadata | None:
        """The stored record of `pkg`, or None."""
        with self._lock:
            row = self._conn.execute(
                "SELECT data FROM package_metadata WHERE ecosystem = ? AND key = ?",
                (pkg.ecosystem.value, names.key(pkg)),
            ).fetchone()
        return None if row is None else metadata_from_json(row[0])

    def get_many(self, pkgs: Iterable[PackageId]) -> dict[PackageId, PackageMetadata | None]:
        """Stored records for several packages (None where absent), keyed by the given ids."""
        wanted = list(dict.fromkeys(pkgs))
        out: dict[PackageId, PackageMetadata | None] = {p: None for p in wanted}
        by_key: dict[tuple[str, str], list[PackageId]] = {}
        for p in wanted:
            by_key.setdefault((p.ecosystem.value, names.key(p)), []).append(p)
        items = list(by_key)
        for start in range(0, len(items), 400):
            chunk = items[start : start + 400]
            clause = " OR ".join("(ecosystem = ? AND key = ?)" for _ in chunk)
            params = [v for pair in chunk for v in pair]
            with self._lock:
                rows = self._conn.execute(
                    f"SELECT ecosystem, key, data FROM package_metadata WHERE {clause}", params
                ).fetchall()
            for eco, k, data in rows:
                meta = metadata_from_json(data)
                for p in by_key.get((eco, k), []):
                    out[p] = meta
        return out

    def maintainers(self, ecosystem: Ecosystem, keys: Collection[str]) -> dict[str, tuple[str, ...]]:
        """Maintainers of the stored registry records (not snapshots, which list none) whose key is in `keys`."""
        with self._lock:
            # keys first, records only for the wanted ones: a sweep's store holds many more live records
            live = [k for (k,) in self._conn.execute(
                "SELECT key FROM package_metadata WHERE ecosystem = ? AND source NOT LIKE 'snapshot:%'",
                (ecosystem.value,)) if k in keys]
            rows: list[tuple[str, str]] = []
            for start in range(0, len(live), 400):
                chunk = live[start : start + 400]
                rows += self._conn.execute(
                    f"SELECT key, data FROM package_metadata WHERE ecosystem = ? AND key IN ({','.join('?' * len(chunk))})",
                    (ecosystem.value, *chunk),
                ).fetchall()
        out: dict[str, tuple[str, ...]] = {}
        for key, data in rows:
            found = metadata_from_json(data).maintainers
            if found:
                out[key] = found
        return out

    def count_metadata(self) -> dict[str, int]:
        """Number of stored records per `ecosystem/source-kind` (`npm/live`, `pypi/snapshot`...)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT ecosystem, CASE WHEN source LIKE 'snapshot:%' THEN 'snapshot' ELSE source END, COUNT(*) "
                "FROM package_metadata GROUP BY 1, 2 ORDER BY 1, 2"
            ).fetchall()
        return {f"{eco}/{kind}": n for eco, kind, n in rows}

    def ranked(self, ecosystem: Ecosystem, limit: int) -> list[tuple[str, float | None]]:
        """(display name, downloads) of stored packages, best first: by stored rank, then downloads."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT name, d, r FROM (SELECT name, json_extract(data, '$.downloads') AS d, "
                "CAST(json_extract(data, '$.extra.rank') AS INTEGER) AS r FROM package_metadata WHERE ecosystem = ?) "
                "WHERE d IS NOT NULL OR r IS NOT NULL ORDER BY r IS NULL, r ASC, d DESC, name LIMIT ?",
                (ecosystem.value, limit),
            ).fetchall()
        return [(n, None if d is None else float(d)) for n, d, _ in rows]

    # -- HTTP cache ----------------------------------------------------------------------------

    def cache_get(self, url: str) -> CachedResponse | None:
        """The cached body and validators for `url`, if any."""
        with self._lock:
            row = self._conn.execute(
                "SELECT etag, last_modified, body, fetched_at FROM http_cache WHERE url = ?", (url,)
            ).fetchone()
        if row is None:
            return None
        return CachedResponse(url, row[0], row[1], bytes(row[2]), datetime.fromisoformat(row[3]))

    def cache_put(self, url: str, etag: str | None, last_modified: str | None, body: bytes) -> None:
        """Remember `body` for `url` with its validators."""
        with self._transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO http_cache (url, etag, last_modified, body, fetched_at) VALUES (?,?,?,?,?)",
                (url, etag, last_modified, body, datetime.now(UTC).isoformat()),
            )

    def cache_touch(self, url: str) -> None:
        """Record that the cached body of `url` was revalidated now."""
        with self._transaction() as conn:
            conn.execute("UPDATE http_cache SET fetched_at = ? WHERE url = ?", (datetime.now(UTC).isoformat(), url))

    # -- sweep runs, feed cursors, alerts, analyst verdicts (confuguard/sweep.py, confuguard/alerts.py) ----------

    def feed_states(self) -> dict[str, dict[str, Any]]:
        """Per registry: `cursor`, `updated_at`, `last_error`, `last_error_at` (registries never swept are absent)."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT ecosystem, cursor, updated_at, last_error, last_error_at FROM feed_cursors"
            ).fetchall()
        return {r[0]: {"cursor": r[1], "updated_at": r[2], "last_error": r[3], "last_error_at": r[4]} for r in rows}

    def feed_cursor(self, ecosystem: Ecosystem) -> str | None:
        """The stored feed cursor of `ecosystem` (None: never swept)."""
        return (self.feed_states().get(ecosystem.value) or {}).get("cursor")

    def set_feed_cursor(self, ecosystem: Ecosystem, cursor: str | None) -> None:
        """Set (or with None forget) a registry's cursor by hand, e.g. to start a backfill."""
        now = datetime.now(UTC).isoformat()
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO feed_cursors (ecosystem, cursor, updated_at) VALUES (?,?,?) "
                "ON CONFLICT (ecosystem) DO UPDATE SET cursor=excluded.cursor, updated_at=excluded.updated_at",
                (ecosystem.value, cursor, now),
            )

    def feed_error(self, ecosystem: Ecosystem, message: str) -> None:
        """Remember that the last sweep of `ecosystem` failed (the cursor stays where it was)."""
        now = datetime.now(UTC).isoformat()
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO feed_cursors (ecosystem, cursor, updated_at, last_error, last_error_at) VALUES (?,NULL,?,?,?) "
                "ON CONFLICT (ecosystem) DO UPDATE SET last_error=excluded.last_error, last_error_at=excluded.last_error_at",
                (ecosystem.value, now, message, now),
            )

    def start_run(self, source: str) -> int:
        """Record the start of a sweep run; return its id."""
        with self._transaction() as conn:
            cur = conn.execute("INSERT INTO sweep_runs (started_at, source) VALUES (?,?)",
                               (datetime.now(UTC).isoformat(), source))
            return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, summary: dict[str, Any]) -> None:
        """Record the end of a sweep run with its JSON summary."""
        with self._transaction() as conn:
            conn.execute("UPDATE sweep_runs SET finished_at = ?, summary = ? WHERE id = ?",
                         (datetime.now(UTC).isoformat(), json.dumps(summary, sort_keys=True), run_id))

    def file_progress(self, file_key: str) -> tuple[int, bool] | None:
        """(lines done, finished) of a `--from FILE` sweep, or None when it never started."""
        with self._lock:
            row = self._conn.execute("SELECT lines_done, finished FROM file_sweeps WHERE file_key = ?",
                                     (file_key,)).fetchone()
        return None if row is None else (int(row[0]), bool(row[1]))

    def reset_file_progress(self, file_key: str) -> None:
        """Forget the progress of a file sweep (the next sweep of that file starts at its first line)."""
        with self._transaction() as conn:
            conn.execute("DELETE FROM file_sweeps WHERE file_key = ?", (file_key,))

    def rejudge_queue(self, ecosystem: Ecosystem) -> list[dict[str, Any]]:
        """The queued packages of `ecosystem` (`key`, `name`, `item` JSON, `attempts`, `last_error`), oldest first."""
        with self._lock:
            cur = self._conn.execute(
                "SELECT key, name, item, attempts, last_error, first_queued FROM rejudge_queue WHERE ecosystem = ? "
                "ORDER BY first_queued, key", (ecosystem.value,))
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, r)) for r in cur.fetchall()]

    def commit_sweep(self, run_id: int, now: str, checked: Iterable[tuple[str, str, str, str]],
                     alerts: Iterable[dict[str, Any]], *, cursor: tuple[Ecosystem, str] | None = None,
                     file: dict[str, Any] | None = None, queue: Iterable[tuple[str, str, str, str, str]] = (),
                     dequeue: Iterable[tuple[str, str]] = ()) -> tuple[int, int]:
        """Store one batch of a sweep in ONE transaction: the checked packages `(ecosystem, key, name, verdict)`,
        their alerts (upserted on ecosystem+suspect_key+target_key), the position reached (a feed
        cursor, or a file's `lines_done`), packages to judge again later `(ecosystem, key, name, item, error)`
        (attempts counted) and packages leaving that queue `(ecosystem, key)`.
        Return (new alerts, alerts re-seen in this run for the first time).

        An alert already seen in this run is left alone; one seen in an earlier run gets `last_seen`,
        `last_run` and the latest evidence, keeping its id, `first_seen` and status.
        """
        new = reseen = 0
        with self._transaction() as conn:
            conn.executemany(
                "INSERT INTO checked_packages (ecosystem, key, name, verdict, first_checked, last_checked, last_run) "
                "VALUES (?,?,?,?,?,?,?) ON CONFLICT (ecosystem, key) DO UPDATE SET name=excluded.name, "
                "verdict=excluded.verdict, last_checked=excluded.last_checked, last_run=excluded.last_run",
                [(e, k, n, v, now, now, run_id) for e, k, n, v in checked],
            )
            for a in alerts:
                row = conn.execute(
                    "SELECT id, last_run FROM alerts WHERE ecosystem = ? AND suspect_key = ? AND target_key = ?",
                    (a["ecosystem"], a["suspect_key"], a["target_key"]),
                ).fetchone()
                evidence = (a["suspect"], a["target"], a["target_rank"], a["categories"], a["edit_distance"],
                            a["embedding_similarity"], a["threat_probability"], a["verdict"], a["reasons"],
                            a["model_version"])
                if row is None:
                    conn.execute(
                        "INSERT INTO alerts (ecosystem, suspect_key, target_key, suspect, target, target_rank, categories, "
                        "edit_distance, embedding_similarity, threat_probability, verdict, reasons, model_version, "
                        "first_seen, last_seen, first_run, last_run) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                        (a["ecosystem"], a["suspect_key"], a["target_key"], *evidence, now, now, run_id, run_id),
                    )
                    new += 1
                elif row[1] != run_id:
                    conn.execute(
                        "UPDATE alerts SET suspect=?, target=?, target_rank=?, categories=?, edit_distance=?, "
                        "embedding_similarity=?, threat_probability=?, verdict=?, reasons=?, model_version=?, "
                        "last_seen=?, last_run=? WHERE id=?",
                        (*evidence, now, run_id, row[0]),
                    )
                    reseen += 1
            if cursor is not None:
                conn.execute(
                    "INSERT INTO feed_cursors (ecosystem, cursor, updated_at) VALUES (?,?,?) ON CONFLICT (ecosystem) "
                    "DO UPDATE SET cursor=excluded.cursor, updated_at=excluded.updated_at, last_error=NULL, last_error_at=NULL",
                    (cursor[0].value, cursor[1], now),
                )
            conn.executemany("DELETE FROM rejudge_queue WHERE ecosystem = ? AND key = ?", list(dequeue))
            conn.executemany(
                "INSERT INTO rejudge_queue (ecosystem, key, name, item, attempts, last_error, first_queued) "
                "VALUES (?,?,?,?,1,?,?) ON CONFLICT (ecosystem, key) DO UPDATE SET attempts=attempts+1, "
                "last_error=excluded.last_error, item=excluded.item",
                [(*q, now) for q in queue],
            )
            if file is not None:
                conn.execute(
                    "INSERT INTO file_sweeps (file_key, path, ecosystem, size, head_sha256, lines_done, finished, updated_at) "
                    "VALUES (:file_key,:path,:ecosystem,:size,:head_sha256,:lines_done,:finished,:now) ON CONFLICT (file_key) "
                    "DO UPDATE SET lines_done=excluded.lines_done, finished=excluded.finished, updated_at=excluded.updated_at",
                    {**file, "now": now},
                )
        return new, reseen

    def alert_rows(self, *, status: str | None = None, since: str | None = None,
                   ids: Iterable[int] | None = None) -> list[dict[str, Any]]:
        """Alerts as dicts (every column, plus the latest analyst verdict/analyst/note/recorded_at), oldest first.

        `status` filters (`open`, `triaged`), `since` keeps alerts first seen at or after an ISO timestamp.
        """
        where: list[str] = []
        params: list[str | int] = []
        if status:
            where.append("a.status = ?")
            params.append(status)
        if since:
            where.append("a.first_seen >= ?")
            params.append(since)
        if ids is not None:
            wanted = sorted({int(i) for i in ids})
            if not wanted:
                return []
            where.append(f"a.id IN ({','.join('?' * len(wanted))})")
            params += wanted
        sql = (
            "SELECT a.*, v.verdict AS analyst_verdict, v.analyst AS analyst, v.note AS analyst_note, "
            "v.recorded_at AS verdict_recorded_at FROM alerts a LEFT JOIN alert_verdicts v ON v.id = "
            "(SELECT MAX(id) FROM alert_verdicts WHERE alert_id = a.id)"
            + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY a.id"
        )
        with self._lock:
            cur = self._conn.execute(sql, params)
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, r)) for r in cur.fetchall()]

    def hold_alerts(self, run_id: int, *, keep: int | None, min_probability: float | None) -> int:
        """Set status `held` on the open alerts first raised by run `run_id` beyond the `keep` most probable
        (threat probability, highest first; ties: oldest first) or below `min_probability`; return how many."""
        with self._transaction() as conn:
            rows = conn.execute(
                "SELECT id, threat_probability FROM alerts WHERE first_run = ? AND status = 'open' "
                "ORDER BY COALESCE(threat_probability, -1) DESC, id", (run_id,)).fetchall()
            held = [i for n, (i, p) in enumerate(rows)
                    if (keep is not None and n >= keep) or (min_probability is not None and (p or 0.0) < min_probability)]
            conn.executemany("UPDATE alerts SET status = 'held' WHERE id = ?", [(i,) for i in held])
        return len(held)

    def record_verdicts(self, rows: Iterable[tuple[int, str, str, str, str, str]]) -> int:
        """Record analyst verdicts `(alert_id, verdict, analyst, note, recorded_at, source)` in one transaction.

        `malicious` and `benign` close an alert (status `triaged`); `unsure` keeps it `open`.
        """
        rows = list(rows)
        with self._transaction() as conn:
            conn.executemany(
                "INSERT INTO alert_verdicts (alert_id, verdict, analyst, note, recorded_at, source) VALUES (?,?,?,?,?,?)",
                rows,
            )
            conn.executemany("UPDATE alerts SET status = ? WHERE id = ?",
                             [("open" if r[1] == "unsure" else "triaged", r[0]) for r in rows])
        return len(rows)


class _Tx:
    def __init__(self, store: Store) -> None:
        self._store = store

    def __enter__(self) -> sqlite3.Connection:
        self._store._lock.acquire()
        try:
            self._store._conn.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._store._lock.release()
            raise
        return self._store._conn

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: Any) -> None:
        try:
            self._store._conn.execute("COMMIT" if exc_type is None else "ROLLBACK")
        finally:
            self._store._lock.release()


# -- (de)serialisation -----------------------------------------------------------------------

_FIELDS = [f.name for f in fields(PackageMetadata)]
_DATES = {"fetched_at", "created", "latest_release"}
_TUPLES = {"maintainers", "tags"}


def metadata_to_json(meta: PackageMetadata) -> str:
    """PackageMetadata as JSON with every field present (`null` = unknown)."""
    out: dict[str, Any] = {}
    for name, kind in _KINDS:
        value = getattr(meta, name)
        if value is None or kind == "":
            out[name] = value
        elif kind == "package":
            out[name] = {"ecosystem": value.ecosystem.value, "name": value.name,
                         "namespace": value.namespace, "subpath": value.subpath, "kind": value.kind}
        elif kind == "date":
            out[name] = _iso(value)
        elif kind == "weights":
            out[name] = [{"path": w.path, "format": w.format, "size": w.size} for w in value]
        else:
            out[name] = list(value)
    return _ENCODER.encode(out)


_KINDS = [
    (n, "package" if n == "package" else "date" if n in _DATES else "weights" if n == "weight_files"
     else "tuple" if n in _TUPLES else "")
    for n in _FIELDS
]
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


@functools.lru_cache(maxsize=4096)
def _iso(value: datetime) -> str:
    return value.isoformat()


def metadata_from_json(text: str) -> PackageMetadata:
    """The inverse of `metadata_to_json`; DataError when the record is damaged."""
    try:
        data = json.loads(text)
        p = data["package"]
        kwargs: dict[str, Any] = {
            "package": PackageId(Ecosystem(p["ecosystem"]), p["name"], p.get("namespace"), p.get("subpath"), p.get("kind"))
        }
        for name in _FIELDS:
            if name == "package" or name not in data:
                continue
            value = data[name]
            if value is not None:
                if name in _DATES:
                    value = datetime.fromisoformat(value)
                elif name == "weight_files":
                    value = tuple(WeightFile(w["path"], w["format"], w.get("size")) for w in value)
                elif name in _TUPLES:
                    value = tuple(value)
                elif name == "extra":
                    value = {str(k): str(v) for k, v in value.items()}
            elif name == "extra":
                value = {}
            kwargs[name] = value
        return PackageMetadata(**kwargs)
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise DataError(f"damaged metadata record in store: {exc}") from exc


def _row(meta: PackageMetadata) -> tuple[str, str, str, str, str, str | None]:
    pkg = meta.package
    return (
        pkg.ecosystem.value,
        names.key(pkg),
        names.display(pkg),
        metadata_to_json(meta),
        meta.source,
        _iso(meta.fetched_at) if meta.fetched_at else None,
    )


def iter_chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    """Yield lists of at most `size` items."""
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


__all__ = ["MIGRATIONS", "CachedResponse", "Store", "metadata_from_json", "metadata_to_json"]
