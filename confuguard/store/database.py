"""The connection every part of the store shares: opening, migrating, locking, transactions."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from confuguard import paths
from confuguard.errors import DataError
from confuguard.store import schema

log = logging.getLogger(__name__)
T = TypeVar("T")


class Database:
    """A connection to the local store. Thread-safe: one connection guarded by a lock."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None) -> None:
        self._conn = conn
        self._lock = threading.RLock()
        self.path = path

    @classmethod
    def open(cls, path: Path | str | None = None) -> Self:
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

    def __enter__(self) -> Self:
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
            if current > len(schema.MIGRATIONS):
                raise DataError(
                    f"store schema version {current} is newer than this confuguard ({len(schema.MIGRATIONS)}); upgrade"
                )
            for version in range(current, len(schema.MIGRATIONS)):
                step = schema.MIGRATIONS[version]
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
                    log.info("store %s: schema version %d", self.path or ":memory:", version + 1)
                except BaseException:
                    self._conn.execute("ROLLBACK")
                    raise

    def _transaction(self) -> _Tx:
        return _Tx(self)


class _Tx:
    def __init__(self, store: Database) -> None:
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


def iter_chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Yield lists of at most `size` items."""
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk

