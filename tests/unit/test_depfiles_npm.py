"""npm dependency files: package.json, package-lock.json v1/v3, yarn.lock classic/berry, pnpm-lock v5/v6/v9."""

from __future__ import annotations

from pathlib import Path

import pytest

from confuguard.depfiles import INVALID_NAME, PARSE, parse_file
from confuguard.types import Ecosystem

PROJECTS = Path(__file__).parent.parent / "fixtures" / "projects"


def found(outcome) -> list[tuple[str, int]]:
    assert all(d.ecosystem is Ecosystem.NPM for d in outcome.dependencies)
    return [(d.name, d.line) for d in outcome.dependencies]


def test_package_json_sections_aliases_and_local_specs():
    out = parse_file(PROJECTS / "npm" / "package.json")
    assert out.errors == []
    assert found(out) == [
        ("express", 6),
        ("lodahs", 7),
        ("@babel/core", 8),
        ("string-width", 9),  # "string-width-cjs": "npm:string-width@^4.2.0" installs string-width
        ("jest", 13),
        ("react", 16),
        ("fsevents", 19),
    ]  # "local-lib": "file:..." is local
    assert out.dependencies[1].column == 5
    assert out.dependencies[1].raw == '"lodahs": "^4.17.21"'


def test_package_lock_v3():
    out = parse_file(PROJECTS / "npm" / "package-lock.json")
    assert out.errors == []
    assert found(out) == [("@babel/core", 15), ("express", 19), ("accepts", 26), ("lodahs", 29), ("string-width", 33)]


def test_package_lock_v1_nested():
    out = parse_file(PROJECTS / "npm-lock-v1" / "package-lock.json")
    assert out.errors == []
    assert found(out) == [("chalk", 7), ("ansi-styles", 13), ("lodahs", 18), ("moment", 21)]


def test_yarn_classic():
    out = parse_file(PROJECTS / "yarn-classic" / "yarn.lock")
    assert out.errors == []
    assert found(out) == [("@babel/code-frame", 5), ("chalk", 11), ("lodahs", 15), ("react", 19)]


def test_yarn_berry_skips_workspaces():
    out = parse_file(PROJECTS / "yarn-berry" / "yarn.lock")
    assert out.errors == []
    assert found(out) == [("axios", 8), ("lodahs", 20), ("typescript", 26)]


def test_yarn_berry_alias_reports_the_real_package(tmp_path):
    f = tmp_path / "yarn.lock"
    f.write_text(
        '__metadata:\n  version: 8\n\n"lodash@npm:lodahs@^4":\n  version: 4.17.21\n  resolution: "lodahs@npm:4.17.21"\n'
    )
    assert found(parse_file(f)) == [("lodahs", 4)]


def test_pnpm_v9_and_v6():
    v9 = parse_file(PROJECTS / "pnpm" / "pnpm-lock.yaml")
    assert v9.errors == []
    assert found(v9) == [("@vue/shared", 20), ("lodahs", 23), ("vue", 26)]
    v6 = parse_file(PROJECTS / "pnpm-v6" / "pnpm-lock.yaml")
    assert v6.errors == []
    assert found(v6) == [("lodahs", 13), ("rxjs", 17), ("tslib", 23)]


def test_pnpm_v5_keys(tmp_path):
    f = tmp_path / "pnpm-lock.yaml"
    f.write_text(
        "lockfileVersion: 5.4\n"
        "packages:\n"
        "  /lodahs/4.17.21:\n    dev: false\n"
        "  /@babel/core/7.24.0_@types+node@18.0.0:\n    dev: true\n"
        "  github.com/user/repo/abcdef:\n    name: my-git-dep\n    dev: false\n"
        "  file:../local:\n    dev: false\n"
    )
    out = parse_file(f)
    assert out.errors == []
    assert found(out) == [("lodahs", 3), ("@babel/core", 5), ("my-git-dep", 7)]


def test_invalid_npm_name_is_reported_with_line(tmp_path):
    f = tmp_path / "package.json"
    f.write_text('{\n  "dependencies": {\n    "Bad Name": "1.0.0",\n    "ok-name": "1.0.0"\n  }\n}\n')
    out = parse_file(f)
    assert found(out) == [("ok-name", 4)]
    assert [(e.file, e.line, e.kind) for e in out.errors] == [(f, 3, INVALID_NAME)]


def test_truncated_json_names_file_and_line():
    path = PROJECTS / "malformed" / "json" / "package.json"
    out = parse_file(path)
    assert out.dependencies == []
    assert [(e.file, e.line, e.kind) for e in out.errors] == [(path, 5, PARSE)]
    assert out.errors[0].message.startswith("invalid JSON")


def test_bad_yaml_names_file_and_line():
    path = PROJECTS / "malformed" / "yaml" / "pnpm-lock.yaml"
    out = parse_file(path)
    assert [(e.file, e.line, e.kind) for e in out.errors] == [(path, 6, PARSE)]
    assert out.errors[0].message.startswith("invalid YAML")


def test_bad_yarn_classic_line_keeps_what_came_before():
    path = PROJECTS / "malformed" / "yarn" / "yarn.lock"
    out = parse_file(path)
    assert found(out) == [("lodash", 4)]
    assert [(e.line, e.kind) for e in out.errors] == [(7, PARSE)]


@pytest.mark.parametrize("text", ["[1, 2]", '"just a string"'])
def test_package_json_must_be_an_object(tmp_path, text):
    f = tmp_path / "package.json"
    f.write_text(text)
    out = parse_file(f)
    assert out.dependencies == [] and [e.kind for e in out.errors] == [PARSE]


def test_yaml_aliases_do_not_expand(tmp_path):
    # A YAML "billion laughs" document: composing keeps aliases as shared nodes, nothing is expanded.
    lines = ["lockfileVersion: '9.0'", "a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}" if i > 1 else "*a"] * 10) + "]")
    lines.append("packages:\n  lodash@4.17.21:\n    dev: false")
    f = tmp_path / "pnpm-lock.yaml"
    f.write_text("\n".join(lines) + "\n")
    assert found(parse_file(f)) == [("lodash", 15)]
