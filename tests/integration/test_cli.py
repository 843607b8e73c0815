"""The `confuguard check` command as a user runs it: output, formats, exit codes, errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from confuguard.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_typo_is_suspicious_exit_1(capsys):
    code, out, _ = run(capsys, "check", "reqeusts", "--registry", "pypi", "--no-embeddings", "--format", "json")
    doc = json.loads(out)
    assert code == 1 and doc["verdict"] == "suspicious"
    assert doc["candidates"][0]["target"] == "requests" and "typo" in doc["candidates"][0]["categories"]


def test_popular_package_is_not_a_squat_of_itself(capsys):
    code, out, _ = run(capsys, "check", "requests", "Python_Dateutil", "-r", "pypi", "--no-embeddings", "-f", "jsonl")
    docs = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [d["verdict"] for d in docs] == ["popular", "popular"]


def test_table_output_names_target_and_reason(capsys):
    code, out, _ = run(capsys, "check", "lodahs", "--registry", "npm", "--no-embeddings")
    assert code == 1
    assert "lodash" in out and "SUSPICIOUS" in out and "imitates" in out


def test_invalid_name_one_line_exit_2(capsys):
    code, out, err = run(capsys, "check", "--registry", "pypi", "--no-embeddings", "-f", "json", "--", "-bad-")
    assert code == 2 and json.loads(out)["verdict"] == "invalid"
    assert err.count("\n") == 1 and "Traceback" not in err


def test_unknown_registry_is_a_usage_error(capsys):
    code, _, err = run(capsys, "check", "x", "--registry", "cargo")
    assert code == 2 and "unknown registry" in err and err.count("\n") == 1


def test_no_names_and_unreadable_file(capsys, tmp_path):
    assert run(capsys, "check")[0] == 2
    code, _, err = run(capsys, "check", "--from", str(tmp_path / "missing.txt"))
    assert code == 2 and "cannot read" in err


def test_from_stdin_and_aliases(capsys, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"\xef\xbb\xbf# comment\r\nrai1s\r\n\nrails\n")))
    code, out, _ = run(capsys, "check", "--from", "-", "--registry", "gem", "--no-embeddings", "-f", "json")
    docs = json.loads(out)
    assert code == 1 and [d["verdict"] for d in docs] == ["suspicious", "popular"]


def test_csv_format(capsys):
    code, out, _ = run(capsys, "check", "reqeusts", "numpy", "-r", "pypi", "--no-embeddings", "-f", "csv")
    lines = out.splitlines()
    assert lines[0].startswith("registry,name,purl,verdict,target") and len(lines) == 3


@pytest.mark.slow
def test_cli_process_with_embeddings():
    proc = subprocess.run([sys.executable, "-m", "confuguard.cli", "check", "dateutil-python", "-r", "pypi", "-f", "json"],
                          capture_output=True, text=True, timeout=600)
    doc = json.loads(proc.stdout)
    assert proc.returncode == 1, proc.stderr
    assert doc["candidates"][0]["target"] == "python-dateutil"
    assert "reordering" in doc["candidates"][0]["categories"]


@pytest.mark.parametrize(("name", "registry"), [
    ("pkg:gem/rails", "rubygems"), ("@types/node", "npm"), ("org.slf4j:slf4j-api", "maven"),
    ("github.com/gorilla/mux", "golang"), ("meta-llama/Llama-3.1-8B", "huggingface"), ("requests", "pypi"),
])
def test_registry_guessed_from_name_shape(name, registry):
    from confuguard.app import guess_registry

    assert guess_registry(name).value == registry
