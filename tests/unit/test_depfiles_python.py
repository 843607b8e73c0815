"""PyPI dependency files: requirements, pyproject (PEP 621 / PEP 735 / Poetry), Pipfile(.lock), poetry.lock, uv.lock."""

from __future__ import annotations

from pathlib import Path

import pytest

from confuguard.depfiles import INVALID_NAME, PARSE, parse_file
from confuguard.types import Ecosystem

PROJECTS = Path(__file__).parent.parent / "fixtures" / "projects"


def found(outcome) -> list[tuple[str, str, int]]:
    return [(d.file.name, d.name, d.line) for d in outcome.dependencies]


def test_requirements_with_include_hashes_markers_urls():
    out = parse_file(PROJECTS / "requirements" / "requirements.txt")
    assert out.format == "requirements"
    assert out.errors == []
    assert found(out) == [
        ("requirements.txt", "flask", 5),  # continuation lines with --hash
        ("requirements.txt", "reqeusts", 8),  # marker and trailing comment
        ("requirements.txt", "Django", 9),  # extras
        ("requirements.txt", "urllib3", 10),  # name @ URL
        ("requirements.txt", "certifi", 11),  # bare wheel URL: name from the file name
        ("requirements.txt", "click", 12),  # -e VCS URL with #egg=
        ("requirements.txt", "numpy", 14),
        ("requirements-base.txt", "six", 1),  # -r include (which includes requirements.txt back: no loop)
    ]
    assert all(d.ecosystem is Ecosystem.PYPI for d in out.dependencies)
    flask = out.dependencies[0]
    assert flask.column == 1 and flask.raw.startswith("flask==3.0.0")


def test_requirements_options_comments_and_local_paths_are_not_dependencies(tmp_path):
    f = tmp_path / "requirements-dev.txt"
    f.write_text(
        "# comment\n"
        "--extra-index-url https://example.com/simple\n"
        "-i https://example.com/simple\n"
        "--pre\n"
        "-e .\n"
        "./vendor/pkg\n"
        "   pytest   # indented, with comment\n"
        "-c constraints.txt\n"
    )
    (tmp_path / "constraints.txt").write_text("attrs==23.2.0\n")
    out = parse_file(f)
    assert out.errors == []
    assert [(d.file.name, d.name, d.line, d.column) for d in out.dependencies] == [
        ("requirements-dev.txt", "pytest", 7, 4),
        ("constraints.txt", "attrs", 1, 1),
    ]


def test_requirements_bad_line_is_an_error_and_the_rest_is_read():
    out = parse_file(PROJECTS / "malformed" / "requirements" / "requirements.txt")
    assert found(out) == [("requirements.txt", "requests", 1), ("requirements.txt", "numpy", 3)]
    assert [(e.file.name, e.line, e.kind) for e in out.errors] == [("requirements.txt", 2, PARSE)]
    assert "flask (>=2.0" in out.errors[0].message


def test_requirements_missing_include_names_the_line(tmp_path):
    f = tmp_path / "requirements.txt"
    f.write_text("requests\n-r missing.txt\n")
    out = parse_file(f)
    assert found(out) == [("requirements.txt", "requests", 1)]
    assert [(e.line, e.kind) for e in out.errors] == [(2, PARSE)]
    assert "missing.txt" in out.errors[0].message


def test_requirements_duplicates_keep_first_line(tmp_path):
    f = tmp_path / "requirements.txt"
    f.write_text("Requests==2.0\nnumpy\nrequests>=2 ; python_version < '3.8'\nREQUESTS\n")
    assert found(parse_file(f)) == [("requirements.txt", "Requests", 1), ("requirements.txt", "numpy", 2)]


def test_pyproject_pep621_optional_groups_and_build():
    out = parse_file(PROJECTS / "pyproject" / "pyproject.toml")
    assert out.errors == []
    assert found(out) == [
        ("pyproject.toml", "setuptools", 2),
        ("pyproject.toml", "wheel", 2),
        ("pyproject.toml", "requests", 9),
        ("pyproject.toml", "dateutil-python", 10),
        ("pyproject.toml", "click", 11),
        ("pyproject.toml", "pytest", 15),
        ("pyproject.toml", "coverage", 15),
        ("pyproject.toml", "black", 17),
        ("pyproject.toml", "ruff", 21),
    ]
    wheel = out.dependencies[1]
    assert wheel.column == 31


def test_pyproject_poetry_tables():
    out = parse_file(PROJECTS / "poetry" / "pyproject.toml")
    assert out.errors == []
    # `python` is not a package and the `path =` dependency is local.
    assert found(out) == [
        ("pyproject.toml", "requests", 8),
        ("pyproject.toml", "urlib3", 9),
        ("pyproject.toml", "pydantic", 10),
        ("pyproject.toml", "pytest", 14),
        ("pyproject.toml", "poetry-core", 17),
    ]


def test_poetry_lock_skips_directory_sources():
    out = parse_file(PROJECTS / "poetry" / "poetry.lock")
    assert out.errors == []
    assert found(out) == [("poetry.lock", "certifi", 4), ("poetry.lock", "requests", 27), ("poetry.lock", "urlib3", 39)]


def test_uv_lock_skips_the_project_itself():
    out = parse_file(PROJECTS / "uv" / "uv.lock")
    assert out.errors == []
    assert found(out) == [("uv.lock", "anyio", 5), ("uv.lock", "djnago", 13), ("uv.lock", "idna", 18)]


def test_pipfile_and_lock():
    pipfile = parse_file(PROJECTS / "pipfile" / "Pipfile")
    assert pipfile.errors == []
    assert found(pipfile) == [
        ("Pipfile", "requests", 7),
        ("Pipfile", "colourama", 8),
        ("Pipfile", "flask", 9),
        ("Pipfile", "pytest", 12),
    ]
    lock = parse_file(PROJECTS / "pipfile" / "Pipfile.lock")
    assert lock.errors == []
    # requests is in both default and develop: reported once, at its first line.
    assert found(lock) == [("Pipfile.lock", "colourama", 19), ("Pipfile.lock", "requests", 25), ("Pipfile.lock", "pytest", 35)]
    assert lock.dependencies[0].column == 9


def test_bad_toml_names_file_and_line():
    path = PROJECTS / "malformed" / "toml" / "pyproject.toml"
    out = parse_file(path)
    assert out.dependencies == []
    assert [(e.file, e.line, e.kind) for e in out.errors] == [(path, 6, PARSE)]
    assert out.errors[0].message.startswith("invalid TOML")


def test_invalid_pypi_name_in_poetry_table(tmp_path):
    f = tmp_path / "pyproject.toml"
    f.write_text('[tool.poetry.dependencies]\npython = "^3.11"\n"bad name!" = "*"\nrequests = "*"\n')
    out = parse_file(f)
    assert found(out) == [("pyproject.toml", "requests", 4)]
    assert [(e.line, e.kind) for e in out.errors] == [(3, INVALID_NAME)]


@pytest.mark.parametrize(
    "filename, text, line",
    [
        ("poetry.lock", '[[package]]\nname = "a"\nversion = \n', 3),
        ("uv.lock", 'version = 1\n[[package]\nname = "a"\n', 2),
        ("Pipfile.lock", '{\n  "default": {\n    "requests": {"version": "==1"},\n', 4),
        ("Pipfile", "[packages]\nrequests = *\n", 2),
    ],
)
def test_malformed_python_lockfiles(tmp_path, filename, text, line):
    f = tmp_path / filename
    f.write_text(text)
    out = parse_file(f)
    assert [(e.file, e.line, e.kind) for e in out.errors] == [(f, line, PARSE)]
