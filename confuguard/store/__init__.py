"""The local SQLite store, one module per concern over one shared connection.

One file (default `paths.default_db()`), WAL journal so readers never block, and schema
versions in `PRAGMA user_version` (`confuguard.store.schema`). The concerns:

    metadata.py    package metadata records (`MetadataStore`)
    http_cache.py  the HTTP conditional-request cache (`HttpCacheStore`)
    sweeps.py      feed cursors, sweep runs, file progress, the re-judge queue (`SweepStore`)
    alerts.py      alerts and analyst verdicts (`AlertStore`)

`Store` is all of them on one connection (what `Store.open()` returns); code that needs one
concern can be typed with that part alone.
"""

from __future__ import annotations

from confuguard.protocols import CachedResponse
from confuguard.store.alerts import AlertStore
from confuguard.store.database import Database, iter_chunks
from confuguard.store.http_cache import HttpCacheStore
from confuguard.store.metadata import MetadataStore, metadata_from_json, metadata_to_json
from confuguard.store.schema import MIGRATIONS
from confuguard.store.sweeps import SweepStore


class Store(MetadataStore, HttpCacheStore, SweepStore, AlertStore):
    """The whole local store: every concern's table on one connection. Thread-safe (one lock)."""


__all__ = ["MIGRATIONS", "AlertStore", "CachedResponse", "Database", "HttpCacheStore", "MetadataStore", "Store",
           "SweepStore", "iter_chunks", "metadata_from_json", "metadata_to_json"]
