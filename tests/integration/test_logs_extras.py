"""`--log-level` / CONFUGUARD_LOGLEVEL, and the one-line error naming a missing extra."""

from __future__ import annotations

import subprocess
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


def test_a_plain_install_checks_and_scans_without_the_extras(tmp_path):
    """check, scan, sweep and alerts import neither scikit-learn nor FastAPI/uvicorn (what `[train]` and
    `[serve]` bring)."""
    (tmp_path / "requirements.txt").write_text("reqeusts==2.0\n")
    (tmp_path / "names.txt").write_text("reqeusts\nflask\n")
    db = str(tmp_path / "s.db")
    code = (
        "import sys\n"
        "for m in ('sklearn', 'fastapi', 'uvicorn', 'starlette', 'pydantic'):\n"
        "    sys.modules[m] = None  # importing one now fails\n"
        "from confuguard.classifier import Judge\n"
        "from confuguard.cli import main\n"
        "from confuguard.commands import scan\n"
        "from confuguard.engine import Engine\n"
        "scan.ENGINE_FACTORY = lambda: Engine(encoder=None, judge=Judge.default(store=None))  # no index build\n"
        "a = main(['check', 'reqeusts', '-r', 'pypi', '--no-embeddings'])\n"
        f"b = main(['scan', {str(tmp_path / 'requirements.txt')!r}])\n"
        f"c = main(['sweep', '--db', {db!r}, '--from', {str(tmp_path / 'names.txt')!r}, '-r', 'pypi', '--offline',"
        " '--no-embeddings'])\n"
        f"d = main(['alerts', 'list', '--db', {db!r}])\n"
        "sys.exit(0 if (a, b, c, d) == (1, 1, 1, 0) else 3)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
