"""Hostile dependency files (issue 16): a scan reads only regular files inside the scanned tree, every read
is bounded, and no file content beyond a short escaped excerpt of the offending line reaches any output.

Every hostile tree is generated at run time in tmp_path (FIFOs with os.mkfifo, symlinks to a planted
secret outside the tree, `-r /proc/self/environ` with a planted environment variable).
"""

from __future__ import annotations

import argparse
import json
import os
import threading
from pathlib import Path

import pytest

from confuguard.commands import scan
from confuguard.depfiles import PARSE, ReadScope, parse_file
from confuguard.depfiles.base import MAX_FILE_BYTES, FileFormatError, read_bytes
from confuguard.types import CheckResult, PackageId, Verdict

SECRET = "CONFUGUARD_TEST_SECRET_b7e1d0c4"
FORMATS = ("table", "json", "jsonl", "csv", "sarif")


class CleanEngine:
    """Calls every name clean: these tests are about what is read and echoed, not about verdicts."""

    def check_many(self, pkgs: list[PackageId]) -> list[CheckResult]:
        return [CheckResult(str(p), p.ecosystem, Verdict.CLEAN, p, reasons=("clean",)) for p in pkgs]


@pytest.fixture(autouse=True)
def clean_engine(monkeypatch):
    monkeypatch.setattr(scan, "ENGINE_FACTORY", CleanEngine)


def run_scan(capsys, paths, fmt="table", allow=()) -> tuple[int, str, str]:
    args = argparse.Namespace(paths=[str(p) for p in paths], format=fmt, output=None, allow_outside=list(allow))
    rc = scan.handler(args)
    captured = capsys.readouterr()
    return rc, captured.out, captured.err


def in_thread(fn, timeout: float = 60.0):
    """Run fn in a daemon thread; fail (instead of hanging the suite) if it does not return."""
    box: dict[str, object] = {}
    t = threading.Thread(target=lambda: box.setdefault("value", fn()), daemon=True)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), "the scan blocked"
    return box["value"]


@pytest.fixture
def outside_secret(tmp_path) -> Path:
    secret = tmp_path / "secret.txt"
    secret.write_text(f"TOKEN={SECRET}\n")
    return secret


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "proj"
    root.mkdir()
    return root


@pytest.mark.parametrize("fmt", FORMATS)
def test_include_of_proc_environ_leaks_nothing(capsys, monkeypatch, project, fmt):
    monkeypatch.setenv("CONFUGUARD_TEST_SECRET", SECRET)
    (project / "requirements.txt").write_text("requests\n-r /proc/self/environ\n--constraint=/proc/self/environ\n")
    rc, out, err = run_scan(capsys, [project], fmt)
    assert SECRET not in out and SECRET not in err
    assert rc == 2  # something declared was not read: the gate fails closed
    assert "requirements.txt:2: cannot read included file '/proc/self/environ': not a regular file" in err
    assert "requirements.txt:3:" in err


def test_proc_is_refused_even_when_allowed(capsys, monkeypatch, project):
    monkeypatch.setenv("CONFUGUARD_TEST_SECRET", SECRET)
    (project / "requirements.txt").write_text("-r /proc/self/environ\n")
    rc, out, err = run_scan(capsys, [project], "sarif", allow=["/proc"])
    assert SECRET not in out + err and rc == 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_include_escaping_the_tree_is_refused(capsys, project, outside_secret, fmt):
    (project / "requirements.txt").write_text("-r ../secret.txt\n-c ../secret.txt\nflask\n")
    rc, out, err = run_scan(capsys, [project], fmt)
    assert SECRET not in out + err
    assert rc == 2 and "requirements.txt:1: cannot read included file '../secret.txt': outside the scanned tree" in err
    if fmt == "json":
        assert [d["name"] for d in json.loads(out)] == ["flask"]


def test_symlink_escaping_the_tree_is_refused(capsys, project, outside_secret):
    (project / "base.txt").symlink_to(outside_secret)
    (project / "requirements.txt").write_text("-r base.txt\n")
    rc, out, err = run_scan(capsys, [project], "sarif")
    assert SECRET not in out + err and rc == 2 and "outside the scanned tree" in err


def test_symlinked_dependency_file_is_not_followed_by_the_walk(capsys, project, outside_secret):
    (project / "requirements.txt").symlink_to(outside_secret)
    rc, out, err = run_scan(capsys, [project], "json")
    assert SECRET not in out + err and json.loads(out) == [] and rc == 0


def test_allow_outside_lets_the_user_opt_in(capsys, tmp_path, project):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "requirements-common.txt").write_text("numpy\n")
    (project / "requirements.txt").write_text("-r ../shared/requirements-common.txt\nflask\n")
    rc, out, err = run_scan(capsys, [project], "json", allow=[shared])
    assert rc == 0 and err == ""
    assert sorted(d["name"] for d in json.loads(out)) == ["flask", "numpy"]


def test_allowed_outside_file_with_another_name_is_never_quoted(capsys, tmp_path, project, outside_secret):
    """Even an allowed include is only quoted when it is named like a requirements file."""
    (project / "requirements.txt").write_text("-r ../secret.txt\n")
    rc, out, err = run_scan(capsys, [project], "sarif", allow=[tmp_path])
    assert SECRET not in out + err
    assert rc == 2 and "secret.txt:1: invalid requirement (line not shown)" in err


def test_fifo_include_does_not_block(capsys, project):
    os.mkfifo(project / "extra.txt")
    (project / "requirements.txt").write_text("requests\n-r extra.txt\n")
    rc, out, err = in_thread(lambda: run_scan(capsys, [project], "json"))
    assert rc == 2 and "requirements.txt:2: cannot read included file 'extra.txt': not a regular file" in err


def test_fifo_named_like_a_dependency_file_does_not_block(capsys, project):
    os.mkfifo(project / "requirements.txt")
    os.mkfifo(project / "package-lock.json")
    rc, out, err = in_thread(lambda: run_scan(capsys, [project], "json"))
    assert rc == 2 and err.count("not a regular file") == 2


def test_fifo_given_by_name_does_not_block(capsys, project):
    os.mkfifo(project / "requirements.txt")
    rc, out, err = in_thread(lambda: run_scan(capsys, [project / "requirements.txt"], "json"))
    assert rc == 2 and "not a regular file" in err


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/stdin"])
def test_device_include_is_not_read(capsys, project, device):
    (project / "requirements.txt").write_text(f"-r {device}\n")
    rc, out, err = in_thread(lambda: run_scan(capsys, [project], "json"))
    assert rc == 2 and "cannot read included file" in err


def test_device_is_not_read_even_inside_the_scope(tmp_path):
    with pytest.raises(FileFormatError, match="not a regular file"):
        read_bytes(Path("/dev/zero"), ReadScope((Path("/"),)))
    with pytest.raises(FileFormatError, match="not a regular file"):
        read_bytes(Path("/dev/zero"))


def test_oversized_file_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "requirements.txt"
    with open(big, "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk, and a read would allocate 64 MiB
    out = parse_file(big)
    assert [(e.line, e.kind) for e in out.errors] == [(1, PARSE)]
    assert "larger than" in out.errors[0].message


def test_bad_line_message_is_a_short_escaped_excerpt(capsys, project):
    line = "\x1b]0;owned\x07" + "x" * 5000 + "=="
    (project / "requirements.txt").write_text(f"{line}\n")
    rc, out, err = run_scan(capsys, [project], "table")
    assert rc == 2
    (warning,) = err.splitlines()
    assert "\x1b" not in err and "\x07" not in err and "\\x1b" in warning
    assert len(warning) < 400 and "chars)" in warning


def test_sarif_snippets_and_messages_are_bounded(capsys, project):
    long_name = "a" * 100_000
    (project / "requirements.txt").write_text(f"{long_name}==1.0 ; python_version > '3'  # {'y' * 100_000}\nflask\n")
    rc, out, err = run_scan(capsys, [project], "sarif")
    assert len(out) < 20_000 and len(err) < 2_000
    json.loads(out)


def test_progress_bar_checks_in_chunks_and_keeps_the_order(monkeypatch, project):
    calls: list[int] = []

    class Counting(CleanEngine):
        def check_many(self, pkgs):
            calls.append(len(pkgs))
            return super().check_many(pkgs)

    monkeypatch.setattr(scan, "PROGRESS_CHUNK", 4)
    (project / "requirements.txt").write_text("\n".join(f"pkg{i}" for i in range(10)) + "\n")
    deps, _ = scan.collect([project / "requirements.txt"])
    results = scan.check(deps, Counting, progress=True)
    assert calls == [4, 4, 2] and [r.query for r in results] == [f"pkg{i}" for i in range(10)]


def test_include_naming_a_nul_byte_is_reported_not_a_parser_crash(tmp_path):
    from confuguard.depfiles import parse_file

    f = tmp_path / "requirements.txt"
    f.write_bytes(b"-r \x00\nflask\n")
    outcome = parse_file(f)
    assert [e.message for e in outcome.errors] == ["cannot read included file '\\x00': a file name cannot hold a NUL byte"]
    assert [d.name for d in outcome.dependencies] == ["flask"]
