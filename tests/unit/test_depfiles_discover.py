"""Dispatch by file name, directory discovery, and the never-raise contract of parse_file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confuguard.depfiles import PARSE, Dependency, detect_format, discover, parse_file
from confuguard.errors import InputError

PROJECTS = Path(__file__).parent.parent / "fixtures" / "projects"


@pytest.mark.parametrize(
    "path, fmt",
    [
        ("requirements.txt", "requirements"),
        ("requirements-dev.txt", "requirements"),
        ("dev-requirements.txt", "requirements"),
        ("constraints.txt", "requirements"),
        ("requirements/base.txt", "requirements"),
        ("notes.txt", None),
        ("pyproject.toml", "pyproject"),
        ("Pipfile", "pipfile"),
        ("Pipfile.lock", "pipfile-lock"),
        ("poetry.lock", "poetry-lock"),
        ("uv.lock", "uv-lock"),
        ("package.json", "package-json"),
        ("package-lock.json", "package-lock"),
        ("npm-shrinkwrap.json", "package-lock"),
        ("yarn.lock", "yarn-lock"),
        ("pnpm-lock.yaml", "pnpm-lock"),
        ("Gemfile", "gemfile"),
        ("Gemfile.lock", "gemfile-lock"),
        ("go.mod", "go-mod"),
        ("go.sum", None),
        ("pom.xml", "pom"),
        ("build.gradle", "gradle"),
        ("build.gradle.kts", "gradle"),
        ("train.py", "python-source"),
        ("README.md", None),
    ],
)
def test_detect_format(path, fmt):
    assert detect_format(Path(path)) == fmt


def test_discover_skips_vendored_trees_and_virtualenvs(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "package.json").write_text("{}")
    (tmp_path / "README.md").write_text("hi")
    (tmp_path / "requirements.txt").write_text("requests\n")
    for skipped in ("node_modules/x", ".git", ".venv", "vendor/github.com/x"):
        (tmp_path / skipped).mkdir(parents=True)
        (tmp_path / skipped / "package.json").write_text("{}")
    (tmp_path / "env" / "lib").mkdir(parents=True)
    (tmp_path / "env" / "pyvenv.cfg").write_text("home = /usr\n")
    (tmp_path / "env" / "lib" / "m.py").write_text("from_pretrained('x/y')\n")
    assert discover([tmp_path]) == [tmp_path / "app" / "package.json", tmp_path / "requirements.txt"]


def test_discover_keeps_explicit_files_and_deduplicates(tmp_path):
    notes = tmp_path / "deps.list"
    notes.write_text("x")
    req = tmp_path / "requirements.txt"
    req.write_text("requests\n")
    assert discover([req, tmp_path, str(notes)]) == [notes, req]


def test_discover_missing_path(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        discover([tmp_path / "nope"])


def test_unsupported_explicit_file_is_an_error_not_a_crash(tmp_path):
    f = tmp_path / "deps.list"
    f.write_text("requests\n")
    out = parse_file(f)
    assert out.dependencies == [] and [(e.file, e.line, e.kind) for e in out.errors] == [(f, 1, PARSE)]


def test_explicit_txt_is_read_as_requirements(tmp_path):
    f = tmp_path / "deps.txt"
    f.write_text("requests\n")
    assert [d.name for d in parse_file(f).dependencies] == ["requests"]


def test_unreadable_and_non_utf8_files(tmp_path):
    f = tmp_path / "requirements.txt"
    f.write_bytes(b"requests\nna\xefve\n")
    out = parse_file(f)  # read as pip reads it (latin-1 fallback): the file is read, the odd line reported
    assert [d.name for d in out.dependencies] == ["requests"]
    assert [(e.line, e.kind) for e in out.errors] == [(2, PARSE)] and "'na\u00efve'" in out.errors[0].message
    missing = parse_file(tmp_path / "package.json")
    assert [e.kind for e in missing.errors] == [PARSE]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files regardless of permissions")
def test_permission_denied(tmp_path):
    f = tmp_path / "requirements.txt"
    f.write_text("requests\n")
    f.chmod(0)
    assert [e.kind for e in parse_file(f).errors] == [PARSE]


def test_every_fixture_project_parses_cleanly_with_lines_in_range():
    files = [f for f in discover([PROJECTS]) if "malformed" not in f.parts]
    assert len(files) >= 20
    for f in files:
        out = parse_file(f)
        assert out.errors == [], f
        assert out.dependencies, f
        for dep in out.dependencies:
            assert isinstance(dep, Dependency)
            n_lines = len(dep.file.read_text().splitlines())
            assert 1 <= dep.line <= n_lines, dep
            assert dep.column is None or dep.column >= 1
            assert dep.package.ecosystem is dep.ecosystem  # the name parses back


def test_malformed_files_all_report_file_and_line():
    for f in discover([PROJECTS / "malformed"]):
        out = parse_file(f)
        if f.name == "requirements.txt" or f.name == "yarn.lock" or f.name == "go.mod":
            assert out.dependencies, f  # what came before (or after) the bad part is kept
        assert out.errors, f
        assert all(e.file == f and e.line >= 1 and e.message for e in out.errors), f


FILE_NAMES = [
    "requirements.txt", "pyproject.toml", "Pipfile", "Pipfile.lock", "poetry.lock", "uv.lock", "package.json",
    "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "Gemfile", "Gemfile.lock", "go.mod", "pom.xml",
    "build.gradle", "app.py",
]
_ALPHABET = "ab1@/:.-_=\"'{}[](),;#<>!& \n\t\\$~*"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(FILE_NAMES), body=st.text(alphabet=_ALPHABET, max_size=200))
def test_parse_file_never_raises_on_arbitrary_content(tmp_path, name, body):
    f = tmp_path / name
    # Make the Python pre-filter pass so that the ast path is exercised too.
    f.write_text(("from_pretrained(" + body) if name == "app.py" else body)
    out = parse_file(f)
    n_lines = max(1, len(f.read_text().splitlines()) + 1)
    for e in out.errors:
        assert e.file == f and 1 <= e.line <= n_lines and e.message
        assert not e.message.startswith("could not read file ("), e  # no parser crashed
    for d in out.dependencies:
        assert 1 <= d.line <= n_lines
        assert d.package.ecosystem is d.ecosystem


@pytest.mark.parametrize(
    "name, text",
    [
        ("pyproject.toml", "project = 5"),
        ("pyproject.toml", "[tool]\npoetry = 5"),
        ("pyproject.toml", "[tool.poetry]\ngroup = 5"),
        ("pyproject.toml", "build-system = 5\ntool = 5"),
        ("pyproject.toml", "[tool]\nuv = 5"),
        ("package.json", '{"dependencies": 5}'),
        ("package-lock.json", '{"dependencies": {"a": {"version": 5, "dependencies": 7}}}'),
        ("Pipfile.lock", '{"default": 5}'),
        ("poetry.lock", "package = [5]"),
        ("pnpm-lock.yaml", "packages: 5"),
        ("yarn.lock", "__metadata: 5\n[1]: 2"),
        ("go.mod", 'require "unterminated v1'),
    ],
)
def test_wrongly_typed_documents_do_not_crash_a_parser(tmp_path, name, text):
    f = tmp_path / name
    f.write_text(text)
    out = parse_file(f)
    assert not any(e.message.startswith("could not read file (") for e in out.errors), out.errors
