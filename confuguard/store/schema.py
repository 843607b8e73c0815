"""The store's schema: `MIGRATIONS[i]` brings a database from version `i` to `i + 1`.

Later features append steps; never edit old ones.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

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
    # 4: the summary each new package fetched by a sweep showed (a digest of its normalised text), so packages
    #    sharing one specific summary within days are seen as one campaign (`signals.sig_summary_shared`)
    """
    CREATE TABLE summary_digests (
        ecosystem  TEXT NOT NULL,
        key        TEXT NOT NULL,
        name       TEXT NOT NULL,
        digest     TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        PRIMARY KEY (ecosystem, key)
    );
    CREATE INDEX summary_digests_digest ON summary_digests (ecosystem, digest, first_seen);
    """,
]

