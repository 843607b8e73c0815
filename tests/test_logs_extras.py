"""`--log-level` / CONFUGUARD_LOGLEVEL, and the one-line error naming a missing extra."""

from __future__ import annotations

import sys

import pytest

from confuguard import logs
from confuguard.cli import main


@pytest.fixture(autouse=True)
def _default_level():
    yield
    logs.configure("warning")  # later tests see the default level again


def test_info_level_shows_registry_loading(capsys):
    assert main(["--log-level", "info", "check", "requests", "-r", "rubygems", "--no-embeddings"]) == 0
    err = capsys.readouterr().err
    assert "confuguard: info: rubygems:" in err and "targets loaded in" in err


def test_level_from_environment_and_after_the_subcommand(capsys, monkeypatch):
    monkeypatch.setenv("CONFUGUARD_LOGLEVEL", "INFO")
    assert main(["check", "rails", "-r", "rubygems", "--no-embeddings"]) == 0
    assert "targets loaded in" in capsys.readouterr().err
    assert main(["check", "rails", "-r", "rubygems", "--no-embeddings", "--log-level", "error"]) == 0
    assert capsys.readouterr().err == ""


def test_default_level_is_quiet(capsys, monkeypatch):
    monkeypatch.delenv("CONFUGUARD_LOGLEVEL", raising=False)
    assert main(["check", "rails", "-r", "rubygems", "--no-embeddings"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("argv, env", [(["--log-level", "loud"], None), ([], "loud\x1b[31m")])
def test_unknown_level_is_one_line_exit_2(capsys, monkeypatch, argv, env):
    if env is not None:
        monkeypatch.setenv("CONFUGUARD_LOGLEVEL", env)
    assert main([*argv, "check", "rails", "-r", "rubygems", "--no-embeddings"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "\x1b" not in err
    assert "log-level" in err.lower() or "LOGLEVEL" in err


@pytest.mark.parametrize("command, module, argv", [
    ("serve", "fastapi", ["serve", "--port", "0"]),
    ("serve", "uvicorn", ["serve", "--port", "0"]),
    ("train", "sklearn", ["train", "labels.csv", "--no-metadata"]),
])
def test_missing_extra_is_named(capsys, monkeypatch, command, module, argv):
    monkeypatch.setitem(sys.modules, module, None)  # as if not installed
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert f"`confuguard {command}` needs the [{command}] extra" in err and f"confuguard[{command}]" in err
