"""Every failure is one line (issue 16): corrupted stores, undecodable and control-character file names,
20 MB names in a source file or a snapshot give one escaped, bounded stderr line and exit 2 — never a
traceback, never exit 1 (which means "suspicious")."""

from __future__ import annotations

import json
import os
import random
import sqlite3
from pathlib import Path

import pytest

from confuguard.cli import main
from confuguard.commands import scan
from confuguard.store import Store
from confuguard.types import CheckResult, PackageId, Verdict

SNAPSHOT = "name\tversion\tmonth\trank_among_15000_most_downloaded\tsummary\n"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(code: int, err: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err and err.count("\n") == 1 and err.startswith("confuguard: error: ")


class CleanEngine:
    def check_many(self, pkgs: list[PackageId]) -> list[CheckResult]:
        return [CheckResult(str(p), p.ecosystem, Verdict.CLEAN, p, reasons=("clean",)) for p in pkgs]


@pytest.fixture
def store_path(tmp_path, capsys) -> Path:
    tsv = tmp_path / "pypi.tsv"
    tsv.write_text(SNAPSHOT + "requests\t2.34.2\t2026-05\t6\tPython HTTP for Humans.\nreqeusts\t1.0\t2026-05\t\tx\n")
    db = tmp_path / "s.db"
    assert main(["db", "import-snapshot", "-r", "pypi", str(tsv), "--db", str(db)]) == 0
    capsys.readouterr()
    return db


def test_corrupted_text_cell_is_one_line_exit_2(capsys, store_path):
    with sqlite3.connect(store_path) as conn:
        conn.execute("UPDATE package_metadata SET data = CAST(X'7b22ff80' AS TEXT)")
    code, out, err = run(capsys, "check", "reqeusts", "-r", "pypi", "--no-embeddings", "--db", store_path)
    assert_one_line_error(code, err)
    assert "store is damaged" in err and "\ufffd" not in err


def test_corrupted_json_cell_is_one_line_exit_2(capsys, store_path):
    with sqlite3.connect(store_path) as conn:
        conn.execute("UPDATE package_metadata SET data = '{\"package\": 3}'")
    code, out, err = run(capsys, "check", "reqeusts", "-r", "pypi", "--no-embeddings", "--db", store_path)
    assert_one_line_error(code, err)


@pytest.mark.parametrize("seed", range(6))
def test_random_byte_flips_are_one_line(capsys, store_path, seed):
    data = bytearray(store_path.read_bytes())
    rng = random.Random(seed)
    for _ in range(64):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    store_path.write_bytes(bytes(data))
    for wal in store_path.parent.glob("s.db-*"):
        wal.unlink()
    code, out, err = run(capsys, "db", "info", "--db", store_path)
    assert code in (0, 2) and "Traceback" not in err
    if code == 2:
        assert_one_line_error(code, err)


def test_foreign_file_as_store_is_one_line(capsys, tmp_path):
    db = tmp_path / "not-a-db"
    db.write_bytes(os.urandom(8192))
    code, _, err = run(capsys, "db", "info", "--db", db)
    assert_one_line_error(code, err)


def test_unexpected_exception_is_one_line_exit_2(capsys, monkeypatch):
    from confuguard.commands import db

    def boom(args):
        raise ValueError("secret detail\nsecond line")

    monkeypatch.setattr(db, "show_info", boom)
    code, _, err = run(capsys, "db", "info")
    assert_one_line_error(code, err)
    assert "internal error (ValueError)" in err and "secret detail" not in err


def test_control_characters_in_a_folder_name_are_escaped(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(scan, "ENGINE_FACTORY", CleanEngine)
    folder = tmp_path / "x\x1b]0;owned\x07\u202e"
    folder.mkdir()
    (folder / "package.json").write_text("{ nope")
    code, out, err = run(capsys, "scan", folder)
    assert code == 2 and "\x1b" not in err + out and "\x07" not in err + out and "\u202e" not in err + out
    assert "\\x1b]0;owned\\x07\\u202e" in err


@pytest.mark.parametrize("fmt", ["sarif", "json", "table", "csv"])
def test_non_utf8_folder_name_gives_valid_output(capsys, tmp_path, monkeypatch, fmt):
    monkeypatch.setattr(scan, "ENGINE_FACTORY", CleanEngine)
    folder = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9"))
    folder.mkdir()
    (folder / "requirements.txt").write_text("requests\n")
    (folder / "package.json").write_text("{ nope")
    out_file = tmp_path / "report"
    code, _, err = run(capsys, "scan", folder, "--format", fmt, "--output", out_file)
    assert code == 2 and "Traceback" not in err and "caf\\xe9" in err
    text = out_file.read_bytes().decode("utf-8")  # strictly valid UTF-8
    if fmt in ("sarif", "json"):
        json.loads(text)
    if fmt == "sarif":
        run_ = json.loads(text)["runs"][0]
        assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run_["results"]} == {
            "package.json"}
        assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/caf%E9/")


def test_20mb_name_in_a_python_source_is_neither_echoed_nor_kept(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(scan, "ENGINE_FACTORY", CleanEngine)
    name = "org/" + "m" * (20 << 20)
    (tmp_path / "app.py").write_text(f"from transformers import AutoModel\nAutoModel.from_pretrained({name!r})\n")
    code, out, err = run(capsys, "scan", tmp_path, "--format", "sarif")
    assert code == 2 and len(err) < 1_000 and len(out) < 20_000
    assert "app.py:2: invalid huggingface name 'org/mmm" in err


def test_20mb_name_in_a_snapshot_is_neither_echoed_nor_stored(capsys, tmp_path):
    tsv = tmp_path / "pypi.tsv"
    tsv.write_text(SNAPSHOT + "a" * (20 << 20) + "\t1\t2026-01\t\tx\nrequests\t2\t2026-01\t1\tok\n"
                   + "b" * 5000 + "\t1\t2026-01\t\tx\n")
    db = tmp_path / "s.db"
    code, out, err = run(capsys, "db", "import-snapshot", "-r", "pypi", tsv, "--db", db)
    assert code == 0 and len(err) < 1_000
    assert "line 2: longer than" in err and "line 4: invalid name 'bbbb" in err
    with Store.open(db) as store:
        assert sum(store.count_metadata().values()) == 1
    assert db.stat().st_size < 1 << 20
