"""Alerts raised by sweeps and the analysts' verdicts on them (`confuguard/alerts.py`)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import fields
from typing import Any

from confuguard.store.database import Database
from confuguard.types import Alert

_ALERT_FIELDS = tuple(f.name for f in fields(Alert))


class AlertStore(Database):
    """The `alerts` and `alert_verdicts` tables."""

    def alert_rows(self, *, status: str | None = None, since: str | None = None,
                   ids: Iterable[int] | None = None) -> list[Alert]:
        """Stored alerts (with the latest analyst verdict, analyst, note and time), oldest first.

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
            return [_alert(dict(zip(cols, r))) for r in cur.fetchall()]

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


def _alert(row: dict[str, Any]) -> Alert:
    """The Alert of a row of `alert_rows`' query (categories and reasons are stored as JSON lists)."""
    values = {f: row[f] for f in _ALERT_FIELDS}
    values["categories"] = tuple(json.loads(row["categories"]))
    values["reasons"] = tuple(json.loads(row["reasons"]))
    return Alert(**values)


def upsert_alerts(conn: sqlite3.Connection, run_id: int, now: str, alerts: Iterable[Alert]) -> tuple[int, int]:
    """Insert new alerts and refresh the evidence of those already stored, inside the caller's transaction;
    return (new, re-seen in this run for the first time). Keyed on ecosystem + suspect_key + target_key."""
    new = reseen = 0
    for a in alerts:
        row = conn.execute(
            "SELECT id, last_run FROM alerts WHERE ecosystem = ? AND suspect_key = ? AND target_key = ?",
            (a.ecosystem, a.suspect_key, a.target_key),
        ).fetchone()
        evidence = (a.suspect, a.target, a.target_rank, json.dumps(list(a.categories)), a.edit_distance,
                    a.embedding_similarity, a.threat_probability, a.verdict,
                    json.dumps(list(a.reasons), ensure_ascii=False), a.model_version)
        if row is None:
            conn.execute(
                "INSERT INTO alerts (ecosystem, suspect_key, target_key, suspect, target, target_rank, categories, "
                "edit_distance, embedding_similarity, threat_probability, verdict, reasons, model_version, "
                "first_seen, last_seen, first_run, last_run) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (a.ecosystem, a.suspect_key, a.target_key, *evidence, now, now, run_id, run_id),
            )
            new += 1
        else:  # the latest evidence wins (a campaign's first member is judged again when its peers come)
            conn.execute(
                "UPDATE alerts SET suspect=?, target=?, target_rank=?, categories=?, edit_distance=?, "
                "embedding_similarity=?, threat_probability=?, verdict=?, reasons=?, model_version=?, "
                "last_seen=?, last_run=? WHERE id=?",
                (*evidence, now, run_id, row[0]),
            )
            reseen += row[1] != run_id
    return new, reseen
