"""The SQLite store: round trips with explicit nulls, migrations, concurrency, HTTP cache."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import UTC, datetime, timedelta

import pytest

from confuguard.errors import DataError
from confuguard.names import parse
from confuguard.store import Store, metadata_from_json, metadata_to_json
from confuguard.store import schema as store_mod  # the migration steps
from confuguard.types import Ecosystem, PackageMetadata, WeightFile

T = datetime(2026, 9, 20, 7, 30, tzinfo=UTC)


def full() -> PackageMetadata:
    return PackageMetadata(
        package=parse("meta-llamma/Llama-3", Ecosystem.HUGGINGFACE), source="live", fetched_at=T, summary="ünï ✓",
        readme="", readme_length=0, maintainers=("a", "b"), created=T, latest_release=T, latest_version="abc",
        version_count=3, downloads=5, downloads_window="30d", license="mit", dependency_count=0, deprecated=False,
        gated=True, tags=(), weight_files=(WeightFile("m.bin", "pickle", 12),), extra={"gated": "manual"},
    )


def test_json_round_trip_keeps_nulls_and_empties() -> None:
    meta = full()
    text = metadata_to_json(meta)
    data = json.loads(text)
    assert data["yanked"] is None and data["tags"] == [] and data["readme"] == ""  # explicit nulls vs empties
    assert set(data) == {f for f in PackageMetadata.__dataclass_fields__}
    assert metadata_from_json(text) == meta
    bare = PackageMetadata(package=parse("x", Ecosystem.NPM), source="fixture")
    assert metadata_from_json(metadata_to_json(bare)) == bare


def test_put_get_many_and_keys(tmp_path) -> None:
    path = tmp_path / "deep" / "dir" / "c.db"
    with Store.open(path) as st:
        assert st.schema_version == len(store_mod.MIGRATIONS)
        meta = PackageMetadata(package=parse("Requests", Ecosystem.PYPI), source="live", downloads=1)
        st.put_metadata(meta)
        assert st.get_metadata(parse("requests", Ecosystem.PYPI)) == meta  # keyed by names.key (PEP 503)
        assert st.get_metadata(parse("nope", Ecosystem.PYPI)) is None
        got = st.get_many([parse("REQUESTS", Ecosystem.PYPI), parse("x", Ecosystem.NPM)])
        assert list(got.values()) == [meta, None]
        st.put_metadata(PackageMetadata(package=parse("requests", Ecosystem.PYPI), source="live", downloads=2))
        assert st.get_metadata(parse("requests", Ecosystem.PYPI)).downloads == 2
        assert st.count_metadata() == {"pypi/live": 1}
    assert path.is_file()
    with sqlite3.connect(path) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_snapshot_rows_never_overwrite_live(tmp_path) -> None:
    pkg = parse("x", Ecosystem.NPM)
    with Store.open(tmp_path / "s.db") as st:
        st.put_metadata(PackageMetadata(package=pkg, source="live", downloads=9))
        st.put_many([PackageMetadata(package=pkg, source="snapshot:npm.tsv", downloads=1)], keep_live=True)
        assert st.get_metadata(pkg).source == "live"


def test_migrations_append_and_newer_schema_refused(tmp_path, monkeypatch) -> None:
    path = tmp_path / "m.db"
    Store.open(path).close()
    monkeypatch.setattr(store_mod, "MIGRATIONS", [*store_mod.MIGRATIONS, "CREATE TABLE feed_cursor (registry TEXT PRIMARY KEY, cursor TEXT)"])
    with Store.open(path) as st:
        assert st.schema_version == len(store_mod.MIGRATIONS)
    monkeypatch.setattr(store_mod, "MIGRATIONS", store_mod.MIGRATIONS[:1])
    with pytest.raises(DataError, match="newer"):
        Store.open(path)


def test_damaged_file_and_record(tmp_path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DataError):
        Store.open(bad)
    with pytest.raises(DataError):
        metadata_from_json('{"package": 1}')


def test_concurrent_readers_and_writer(tmp_path) -> None:
    path = tmp_path / "c.db"
    errors: list[BaseException] = []
    with Store.open(path) as writer:
        def write() -> None:
            try:
                for i in range(200):
                    writer.put_metadata(PackageMetadata(package=parse(f"p{i}", Ecosystem.NPM), source="live"))
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        def read() -> None:
            try:
                with Store.open(path) as reader:
                    for i in range(200):
                        reader.get_metadata(parse(f"p{i}", Ecosystem.NPM))
            except BaseException as exc:  # pragma: no cover
                errors.append(exc)

        threads = [threading.Thread(target=write)] + [threading.Thread(target=read) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
    with Store.open(path) as st:
        assert st.count_metadata() == {"npm/live": 200}


def test_http_cache(tmp_path) -> None:
    with Store.open(tmp_path / "h.db") as st:
        assert st.cache_get("u") is None
        st.cache_put("u", '"e"', None, b"\x00body")
        got = st.cache_get("u")
        assert (got.etag, got.last_modified, got.body) == ('"e"', None, b"\x00body")
        st.cache_touch("u")


def test_summary_digests_count_other_recent_packages_sharing_one(tmp_path) -> None:
    def pkg(name: str):
        return parse(name, Ecosystem.PYPI)

    since = T - timedelta(days=30)
    with Store.open(tmp_path / "s.db") as st:
        st.record_summaries([(pkg("reqeusts"), "d1"), (pkg("numpyy"), "d1"), (pkg("fastbi"), "d2")], seen=T)
        st.record_summaries([(pkg("pandsa"), "d1")], seen=T - timedelta(days=40))  # seen before the window
        st.record_summaries([(parse("reqeusts", Ecosystem.NPM), "d1")], seen=T)  # another registry
        assert st.summary_peers(pkg("reqeusts"), "d1", since=since) == 1  # numpyy; never itself
        assert st.summary_peers(pkg("Reqeusts"), "d1", since=since) == 1  # by comparison key
        assert st.summary_peers(pkg("newone"), "d1", since=since) == 2
        assert st.summary_peers(pkg("fastbi"), "d2", since=since) == 0
        assert st.summary_peers(pkg("pandsa"), "d1", since=since - timedelta(days=20)) == 2
        assert st.summary_sharers(Ecosystem.PYPI, ["d1", "d2", "d9"], since=since, exclude={"numpyy"}) == {
            "d1": ["reqeusts"], "d2": ["fastbi"]}
        # recorded again: the first time it was seen stays; a new summary starts again; None forgets
        st.record_summaries([(pkg("pandsa"), "d1")], seen=T)
        assert st.summary_peers(pkg("newone"), "d1", since=since) == 2
        st.record_summaries([(pkg("numpyy"), "d3"), (pkg("fastbi"), None)], seen=T)
        assert st.summary_peers(pkg("newone"), "d1", since=since) == 1
        assert st.summary_peers(pkg("newone"), "d2", since=since) == 0
        assert st.summary_sharers(Ecosystem.PYPI, ["d3"], since=since) == {"d3": ["numpyy"]}
