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
from collections.abc import Callable, Iterable, Iterator
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
                         "namespace": value.namespace, "subpath": value.subpath}
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
            "package": PackageId(Ecosystem(p["ecosystem"]), p["name"], p.get("namespace"), p.get("subpath"))
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
