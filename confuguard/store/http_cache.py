"""The HTTP conditional-request cache (bodies with their ETag / Last-Modified validators)."""

from __future__ import annotations

from datetime import UTC, datetime

from confuguard.protocols import CachedResponse
from confuguard.store.database import Database


class HttpCacheStore(Database):
    """The `http_cache` table; implements `confuguard.protocols.HttpCache`."""

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
