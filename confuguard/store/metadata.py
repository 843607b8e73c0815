"""Package metadata records: one JSON document per (registry, comparison key), from registries or snapshots."""

from __future__ import annotations

import functools
import json
from collections.abc import Collection, Iterable
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

from confuguard import names
from confuguard.errors import DataError
from confuguard.store.database import Database
from confuguard.types import Ecosystem, PackageId, PackageMetadata, WeightFile, as_utc


class MetadataStore(Database):
    """The `package_metadata` table, and the `summary_digests` of new packages' records (campaigns)."""

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

    def record_summaries(self, rows: Iterable[tuple[PackageId, str | None]], *, seen: datetime | None = None) -> int:
        """Remember the summary digest (`signals.summary_digest`) of new packages a sweep fetched, in one
        transaction; return how many rows were given. A package keeps the time (`seen`, default now) its
        current digest was first recorded; a changed digest starts again, and None forgets the package (its
        summary no longer identifies anything)."""
        stamp = _stamp(seen or datetime.now(UTC))
        rows = list(rows)
        keep = [(p.ecosystem.value, names.key(p), names.display(p), d, stamp) for p, d in rows if d is not None]
        drop = [(p.ecosystem.value, names.key(p)) for p, d in rows if d is None]
        with self._transaction() as conn:
            conn.executemany(
                "INSERT INTO summary_digests (ecosystem, key, name, digest, first_seen) VALUES (?,?,?,?,?) "
                "ON CONFLICT (ecosystem, key) DO UPDATE SET name=excluded.name, first_seen=CASE WHEN "
                "summary_digests.digest = excluded.digest THEN summary_digests.first_seen ELSE excluded.first_seen END, "
                "digest=excluded.digest", keep)
            conn.executemany("DELETE FROM summary_digests WHERE ecosystem = ? AND key = ?", drop)
        return len(keep) + len(drop)

    def summary_peers(self, pkg: PackageId, digest: str, *, since: datetime) -> int:
        """How many other packages of `pkg`'s registry were recorded with the summary digest `digest` at or
        after `since` (one indexed lookup)."""
        with self._lock:
            row = self._conn.execute(
                "SELECT COUNT(*) FROM summary_digests WHERE ecosystem = ? AND digest = ? AND first_seen >= ? AND key <> ?",
                (pkg.ecosystem.value, digest, _stamp(since), names.key(pkg))).fetchone()
        return int(row[0])

    def summary_sharers(self, ecosystem: Ecosystem, digests: Collection[str], *, since: datetime,
                        exclude: Collection[str] = ()) -> dict[str, list[str]]:
        """Per digest of `digests`, the names of the packages recorded with it at or after `since`, oldest
        first, leaving out the comparison keys in `exclude`; digests nobody else shares are absent."""
        wanted = sorted(set(digests))
        out: dict[str, list[str]] = {}
        with self._lock:
            for start in range(0, len(wanted), 400):
                chunk = wanted[start : start + 400]
                rows = self._conn.execute(
                    f"SELECT digest, key, name FROM summary_digests WHERE ecosystem = ? AND digest IN "
                    f"({','.join('?' * len(chunk))}) AND first_seen >= ? ORDER BY first_seen, key",
                    (ecosystem.value, *chunk, _stamp(since))).fetchall()
                for digest, key, name in rows:
                    if key not in exclude:
                        out.setdefault(digest, []).append(name)
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


# -- (de)serialisation -----------------------------------------------------------------------

_FIELDS = [f.name for f in fields(PackageMetadata)]
_DATES = {"fetched_at", "created", "latest_release"}
_TUPLES = {"maintainers", "tags", "install_behaviour"}


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


def _stamp(value: datetime) -> str:
    """A UTC time as stored in `summary_digests` (ISO, seconds): such strings order as the times do."""
    return as_utc(value).isoformat(timespec="seconds")


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
