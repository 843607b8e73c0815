"""Go modules: go.mod require and replace directives."""

from __future__ import annotations

from pathlib import Path

import pytest

from confuguard.depfiles import INVALID_NAME, PARSE, parse_file
from confuguard.types import Ecosystem

PROJECTS = Path(__file__).parent.parent / "fixtures" / "projects"


def found(outcome) -> list[tuple[str, int, int | None]]:
    assert all(d.ecosystem is Ecosystem.GOLANG for d in outcome.dependencies)
    return [(d.name, d.line, d.column) for d in outcome.dependencies]


def test_go_mod_require_and_replace():
    out = parse_file(PROJECTS / "go" / "go.mod")
    assert out.errors == []
    assert found(out) == [
        ("github.com/gorilla/mux", 5, 9),
        ("github.com/spf13/cobra", 8, 2),
        ("github.com/strechr/testify", 9, 2),
        ("golang.org/x/sync", 10, 2),  # quoted path
        ("github.com/gorilla/handlers", 17, 35),  # replace target; local `=> ../lib` skipped
    ]


def test_unclosed_block_keeps_entries_and_reports_block_line():
    path = PROJECTS / "malformed" / "gomod" / "go.mod"
    out = parse_file(path)
    assert [(n, line) for n, line, _ in found(out)] == [("github.com/gorilla/mux", 6), ("github.com/spf13/cobra", 7)]
    assert [(e.file, e.line, e.kind) for e in out.errors] == [(path, 5, PARSE)]


@pytest.mark.parametrize(
    "text, line",
    [
        ("module x\nrequire github.com/a/b\n", 2),
        ("module x\nfrobnicate github.com/a/b v1\n", 2),
        ("module x\n\nreplace github.com/a/b v1.0.0\n", 3),
    ],
)
def test_malformed_go_mod(tmp_path, text, line):
    f = tmp_path / "go.mod"
    f.write_text(text)
    assert [(e.line, e.kind) for e in parse_file(f).errors] == [(line, PARSE)]


def test_invalid_module_path(tmp_path):
    f = tmp_path / "go.mod"
    f.write_text("module x\n\nrequire (\n\tExample.COM/x v1.0.0\n\tgithub.com/pkg/errors v0.9.1\n)\n")
    out = parse_file(f)
    assert [(n, line) for n, line, _ in found(out)] == [("github.com/pkg/errors", 5)]
    assert [(e.line, e.kind) for e in out.errors] == [(4, INVALID_NAME)]
