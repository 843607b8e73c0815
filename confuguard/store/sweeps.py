"""What the nightly sweep keeps between runs: feed cursors, runs, checked packages, file progress,
the re-judge queue, and each batch committed in one transaction (`confuguard/sweep.py`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from confuguard.store.alerts import upsert_alerts
from confuguard.store.database import Database
from confuguard.types import Alert, Ecosystem


class SweepStore(Database):
    """The `feed_cursors`, `sweep_runs`, `checked_packages`, `file_sweeps` and `rejudge_queue` tables."""

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
                     alerts: Iterable[Alert], *, cursor: tuple[Ecosystem, str] | None = None,
                     file: dict[str, Any] | None = None, queue: Iterable[tuple[str, str, str, str, str]] = (),
                     dequeue: Iterable[tuple[str, str]] = ()) -> tuple[int, int]:
        """Store one batch of a sweep in ONE transaction: the checked packages `(ecosystem, key, name, verdict)`,
        their alerts (upserted on ecosystem+suspect_key+target_key), the position reached (a feed
        cursor, or a file's `lines_done`), packages to judge again later `(ecosystem, key, name, item, error)`
        (attempts counted) and packages leaving that queue `(ecosystem, key)`.
        Return (new alerts, alerts re-seen in this run for the first time).

        An alert already stored gets `last_seen`, `last_run` and the latest evidence (also when seen again in
        the same run: an earlier package judged again with its campaign's peers), keeping its id, `first_seen`
        and status; it counts as re-seen once per run.
        """
        with self._transaction() as conn:
            conn.executemany(
                "INSERT INTO checked_packages (ecosystem, key, name, verdict, first_checked, last_checked, last_run) "
                "VALUES (?,?,?,?,?,?,?) ON CONFLICT (ecosystem, key) DO UPDATE SET name=excluded.name, "
                "verdict=excluded.verdict, last_checked=excluded.last_checked, last_run=excluded.last_run",
                [(e, k, n, v, now, now, run_id) for e, k, n, v in checked],
            )
            new, reseen = upsert_alerts(conn, run_id, now, alerts)
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
