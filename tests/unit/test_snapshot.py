"""Offline snapshots: TSV import (pypi.tsv / npm.tsv formats), problems with line numbers, SnapshotRegistry."""

from __future__ import annotations

from pathlib import Path

import pytest

from confuguard.errors import FeedUnsupported, InputError
from confuguard.names import parse
from confuguard.protocols import RegistryClient
from confuguard.snapshot import import_snapshot, snapshot_registry
from confuguard.store import Store
from confuguard.types import Ecosystem

PYPI = "name\tversion\tmonth\trank_among_15000_most_downloaded\tsummary\n"
NPM = "name\tversion\tdownloads_a_month\tsummary\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_pypi_import(tmp_path) -> None:
    f = write(tmp_path, "pypi.tsv", PYPI + "requests\t2.34.2\t2026-05\t6\tPython HTTP for Humans.\n"
              "Bad Name\t1\t2020-01\t\tx\n"
              "short\t1.0\n"
              "zope.interface\t7.0\t2025-13\t\tbad month\n"
              "tab-summary\t0.1\t2024-02\t\tsummary\twith a tab\n"
              "nosum\t0.1\t\t\t\n")
    with Store.open(tmp_path / "s.db") as st:
        report = import_snapshot(f, Ecosystem.PYPI, st)
        assert (report.lines, report.imported, report.invalid_names, report.malformed) == (6, 3, 1, 2)
        assert report.problems[0].startswith("line 3:") and "line 4: truncated" in report.problems[1]
        assert "line 5: month" in report.problems[2]
        m = st.get_metadata(parse("Requests", Ecosystem.PYPI))
        assert m.source == "snapshot:pypi.tsv" and m.latest_version == "2.34.2"
        assert m.latest_release.isoformat() == "2026-05-01T00:00:00+00:00"
        assert m.downloads is None and m.extra == {"release_month": "2026-05", "rank": "6"}
        assert st.get_metadata(parse("tab-summary", Ecosystem.PYPI)).summary == "summary\twith a tab"
        n = st.get_metadata(parse("nosum", Ecosystem.PYPI))
        assert n.summary is None and n.latest_release is None and n.extra == {}
        reg: RegistryClient = snapshot_registry(st, Ecosystem.PYPI)
        assert isinstance(reg, RegistryClient) and reg.ecosystem is Ecosystem.PYPI
        assert reg.metadata(parse("requests", Ecosystem.PYPI)) == m
        assert [e.name for e in reg.popular(5).entries] == ["requests"]
        with pytest.raises(FeedUnsupported):
            reg.feed(None)


def test_npm_import_and_popular(tmp_path) -> None:
    f = write(tmp_path, "npm.tsv", NPM + "semver\t7.6.0\t2399072936\tThe semantic version parser\n"
              "@types/node\t22.0.0\t100\t\n"
              "debug\t4.0.0\tlots\tx\n"
              "\n")
    with Store.open(tmp_path / "s.db") as st:
        report = import_snapshot(f, Ecosystem.NPM, st)
        assert (report.imported, report.malformed) == (2, 2)
        m = st.get_metadata(parse("semver", Ecosystem.NPM))
        assert (m.downloads, m.downloads_window) == (2399072936, "last-month")
        top = snapshot_registry(st, Ecosystem.NPM).popular(10)
        assert [(e.name, e.rank) for e in top.entries] == [("semver", 1), ("@types/node", 2)]
        with pytest.raises(FeedUnsupported):
            snapshot_registry(st, Ecosystem.MAVEN).popular(3)


def test_wrong_header_is_fatal(tmp_path) -> None:
    f = write(tmp_path, "npm.tsv", NPM + "x\t1\t1\ts\n")
    with Store.open(tmp_path / "s.db") as st:
        with pytest.raises(InputError, match="npm format"):
            import_snapshot(f, Ecosystem.PYPI, st)
        with pytest.raises(InputError, match="no snapshot format"):
            import_snapshot(f, Ecosystem.MAVEN, st)
        with pytest.raises(InputError):
            import_snapshot(tmp_path / "missing.tsv", Ecosystem.NPM, st)


def test_large_import_keeps_every_row_and_the_rank_order(tmp_path) -> None:
    rows = "".join(f"pkg-{i}\t1.0.{i}\t2024-0{1 + i % 9}\t{i + 1 if i < 15000 else ''}\tsummary {i}\n" for i in range(40_000))
    f = write(tmp_path, "pypi.tsv", PYPI + rows)
    with Store.open(tmp_path / "s.db") as st:
        report = import_snapshot(f, Ecosystem.PYPI, st)
        top = snapshot_registry(st, Ecosystem.PYPI).popular(3)
    assert (report.imported, report.malformed) == (40_000, 0)
    assert [e.name for e in top.entries] == ["pkg-0", "pkg-1", "pkg-2"]


def test_header_notes_and_tested_here_prefixes_are_not_package_facts(tmp_path) -> None:
    header = ("name\tversion\tdownloads_a_month\tsummary (words in [tested here: ...] at its start are from tests"
              " on this kind of machine, not from the authors)\n")
    f = write(tmp_path, "npm.tsv", header + "@biomejs/biome\t2.6.8\t28547416\t[tested here: pin 2.0.0, npm i -E x]"
              " Biome is a toolchain for the web\n@lhci/cli\t0.15.1\t2449691\t[tested here: npm ci refuses a lock]\n")
    with Store.open(tmp_path / "s.db") as st:
        report = import_snapshot(f, Ecosystem.NPM, st)
        assert report.imported == 2
        assert st.get_metadata(parse("@biomejs/biome", Ecosystem.NPM)).summary == "Biome is a toolchain for the web"
        assert st.get_metadata(parse("@lhci/cli", Ecosystem.NPM)).summary is None
