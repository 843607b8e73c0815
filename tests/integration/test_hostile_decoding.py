"""Dependency files are decoded as their package managers decode them (issue 16): one odd byte, a BOM, a
Unicode escape or a deep array in an unrelated key never makes a file unreadable, and what cannot be read
at all fails the scan closed. Plus a Hypothesis fuzz of every parser: no exception escapes.
"""

from __future__ import annotations

import argparse
import codecs
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confuguard.commands import scan
from confuguard.depfiles import _EXACT, INVALID_NAME, PARSE, PARSERS, detect_format, parse_file
from confuguard.depfiles.base import MAX_JSON_DEPTH, load_json, prune_json
from confuguard.depfiles.encoding import decode
from confuguard.types import CheckResult, PackageId, Verdict

#: a file name for every format, so parse_file picks the parser by name as a scan does (formats added
#: later with an exact file name are fuzzed without editing this table)
FILE_NAMES = {fmt: name for name, fmt in reversed(_EXACT.items())} | {
    "requirements": "requirements.txt", "python-source": "app.py", "sbom": "bom.json",
}


def names_in(path: Path) -> list[str]:
    return [d.name for d in parse_file(path).dependencies]


def test_every_format_has_a_fuzzed_file_name():
    assert set(FILE_NAMES) >= set(PARSERS)
    assert all(detect_format(Path(name)) == fmt for fmt, name in FILE_NAMES.items())


@pytest.mark.parametrize("source", ["x = " + "-" * 200_000 + "1\n", "x = " + "+".join(["1"] * 200_000) + "\n"])
def test_python_source_nested_past_cpython_limits_is_reported(tmp_path, source):
    f = tmp_path / "app.py"
    f.write_text(f"from transformers import AutoModel\nAutoModel.from_pretrained('gpt2')\n{source}")
    (error,) = parse_file(f).errors
    assert error.kind == PARSE and "nested too deeply" in error.message
    f.write_text("from transformers import AutoModel\nAutoModel.from_pretrained('bert-base-uncased')\n")
    assert names_in(f) == ["bert-base-uncased"]  # and the next file still parses


# --- requirements: PEP 263 coding lines and pip's fallback ------------------------------------------


def test_requirements_with_a_latin1_coding_line(tmp_path):
    f = tmp_path / "requirements.txt"
    f.write_bytes(b"# -*- coding: latin-1 -*-\nrequests  # d\xe9pendance\nreqeusts\n")
    out = parse_file(f)
    assert out.errors == [] and names_in(f) == ["requests", "reqeusts"]


def test_requirements_non_utf8_byte_without_coding_line_falls_back_to_latin1(tmp_path):
    f = tmp_path / "requirements.txt"
    f.write_bytes(b"flask  # caf\xe9\nreqeusts\n")
    out = parse_file(f)
    assert out.errors == [] and names_in(f) == ["flask", "reqeusts"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_requirements_with_a_bom(tmp_path, encoding):
    f = tmp_path / "requirements.txt"
    data = "requests\nreqeusts\n".encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    f.write_bytes(data)
    assert names_in(f) == ["requests", "reqeusts"]


def test_unknown_declared_encoding_is_reported_not_skipped(tmp_path):
    f = tmp_path / "requirements.txt"
    f.write_bytes(b"# coding: no-such-codec\nreqeusts\n")
    assert [(e.kind, e.line) for e in parse_file(f).errors] == [(PARSE, 1)]
    f.write_bytes(b"# coding: rot13\nreqeusts\n")  # a codec, but not a text encoding
    assert [e.kind for e in parse_file(f).errors] == [PARSE]


def test_latin1_included_file_is_read(tmp_path):
    (tmp_path / "requirements-base.txt").write_bytes(b"# coding: latin-1\nreqeusts  # \xe9\n")
    (tmp_path / "requirements.txt").write_text("-r requirements-base.txt\n")
    assert names_in(tmp_path / "requirements.txt") == ["reqeusts"]


# --- npm JSON: Node reads invalid UTF-8 leniently, JSON escapes, BOMs, depth ----------------------------


def test_package_json_with_a_latin1_description(tmp_path):
    f = tmp_path / "package.json"
    f.write_bytes(b'{"description": "caf\xe9", "dependencies": {"lodahs": "^4", "react": "^18"}}')
    out = parse_file(f)
    assert out.errors == [] and names_in(f) == ["lodahs", "react"]


def test_invalid_byte_inside_a_name_is_reported_as_an_invalid_name(tmp_path):
    f = tmp_path / "package.json"
    f.write_bytes(b'{"dependencies": {"lod\xe9sh": "^4", "react": "^18"}}')
    out = parse_file(f)
    assert names_in(f) == ["react"] and [e.kind for e in out.errors] == [INVALID_NAME]


def test_package_json_with_unicode_escapes_and_bom(tmp_path):
    f = tmp_path / "package.json"
    f.write_bytes(codecs.BOM_UTF8 + b'{"dependencies": {"\\u006codahs": "^4"}}')
    assert names_in(f) == ["lodahs"]


def test_lone_surrogate_escape_is_an_invalid_name_not_a_crash(tmp_path, capsys, monkeypatch):
    (tmp_path / "package.json").write_text('{"dependencies": {"a\\ud800b": "1", "lodahs": "1"}}')
    out = parse_file(tmp_path / "package.json")
    assert names_in(tmp_path / "package.json") == ["lodahs"]
    assert [e.kind for e in out.errors] == [INVALID_NAME] and "\\ud800" in out.errors[0].message
    monkeypatch.setattr(scan, "ENGINE_FACTORY", CleanEngine)
    for fmt in ("table", "json", "sarif"):
        rc = scan.handler(argparse.Namespace(paths=[str(tmp_path)], format=fmt, output=None, allow_outside=[]))
        captured = capsys.readouterr()
        (captured.out + captured.err).encode("utf-8")  # nothing unencodable reaches an output
        assert rc == 2


@pytest.mark.parametrize("depth", [2_000, 200_000])
def test_deep_array_in_an_unrelated_key_does_not_hide_the_dependencies(tmp_path, depth):
    f = tmp_path / "package.json"
    deep = "[" * depth + "]" * depth
    f.write_text('{\n"config": {"x": ' + deep + '},\n"dependencies": {\n"lodahs": "^4"\n}\n}\n')
    out = parse_file(f)
    assert out.errors == []
    assert [(d.name, d.line) for d in out.dependencies] == [("lodahs", 4)]


def test_deep_array_in_package_lock_v1(tmp_path):
    f = tmp_path / "package-lock.json"
    deep = "[1," * 50_000 + "1" + "]" * 50_000
    f.write_text('{"lockfileVersion": 1, "x": ' + deep + ', "dependencies": {"lodahs": {"version": "4.0.0"}}}')
    assert names_in(f) == ["lodahs"]


def test_prune_keeps_strings_and_lines():
    text = '{"a": [[["]]]", "\\"["]]], "b": 1}\n'
    assert prune_json(text, 2) == '{"a": [0], "b": 1}\n'
    assert load_json(prune_json(text, 2)) == {"a": [0], "b": 1}
    deep = "[\n" * (MAX_JSON_DEPTH + 10) + "]" * (MAX_JSON_DEPTH + 10)
    assert prune_json(deep, MAX_JSON_DEPTH).count("\n") == deep.count("\n")


def test_deeply_nested_yaml_or_toml_is_reported_not_a_traceback(tmp_path):
    (tmp_path / "pnpm-lock.yaml").write_text("x: " + "[" * 5000 + "]" * 5000 + "\n")
    (tmp_path / "pyproject.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n")
    for name in ("pnpm-lock.yaml", "pyproject.toml"):
        errors = parse_file(tmp_path / name).errors
        assert [e.kind for e in errors] == [PARSE] and "could not read file (" not in errors[0].message


# --- other formats ---------------------------------------------------------------------------------------


def test_pom_with_a_declared_latin1_encoding(tmp_path):
    f = tmp_path / "pom.xml"
    f.write_bytes(
        b'<?xml version="1.0" encoding="ISO-8859-1"?>\n<project><description>caf\xe9</description>'
        b"<dependencies><dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId>"
        b"</dependency></dependencies></project>\n"
    )
    out = parse_file(f)
    assert out.errors == [] and names_in(f) == ["com.google.guava:guava"]


def test_gemfile_with_a_magic_encoding_comment(tmp_path):
    f = tmp_path / "Gemfile"
    f.write_bytes(b"# encoding: iso-8859-1\n# caf\xe9\ngem 'rai1s'\n")
    assert names_in(f) == ["rai1s"]


def test_go_mod_with_an_invalid_byte_in_a_comment(tmp_path):
    f = tmp_path / "go.mod"
    f.write_bytes(b"module example.com/m\n\n// caf\xe9\nrequire github.com/stretchr/testfy v1.0.0\n")
    assert names_in(f) == ["github.com/stretchr/testfy"]


def test_decode_table():
    assert decode(b"\xef\xbb\xbfx") == "x"
    assert decode(b"caf\xe9", "requirements") == "café"
    assert decode(b"caf\xe9", "package-json") == "caf\ufffd"
    assert decode(b"# vim: set fileencoding=cp1252 :\n\x80", "requirements").endswith("€")


# --- failing closed ---------------------------------------------------------------------------------------


class CleanEngine:
    def check_many(self, pkgs: list[PackageId]) -> list[CheckResult]:
        return [CheckResult(str(p), p.ecosystem, Verdict.CLEAN, p, reasons=("clean",)) for p in pkgs]


def test_unreadable_file_fails_the_scan_closed(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(scan, "ENGINE_FACTORY", CleanEngine)
    (tmp_path / "requirements.txt").write_text("requests\n")
    (tmp_path / "package.json").write_text('{"dependencies": {"lodahs": ')
    rc = scan.handler(argparse.Namespace(paths=[str(tmp_path)], format="sarif", output=None, allow_outside=[]))
    log = json.loads(capsys.readouterr().out)
    assert rc == 2
    (result,) = log["runs"][0]["results"]
    assert result["ruleId"] == "unreadable-dependency-file" and result["level"] == "error"


# --- fuzz: no exception escapes any parser ------------------------------------------------------------


def _unexpected(path: Path) -> list[str]:
    """Messages of errors that only a parser bug produces (an exception parse_file had to catch)."""
    return [e.message for e in parse_file(path).errors if e.message.startswith("could not read file (")]


_FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("fmt", sorted(FILE_NAMES))
@_FUZZ
@given(data=st.binary(max_size=400))
def test_fuzz_random_bytes(tmp_path, fmt, data):
    f = tmp_path / FILE_NAMES[fmt]
    f.write_bytes(data)
    assert _unexpected(f) == []


_TOKENS = st.sampled_from([
    "\n", " ", "  ", "    ", "\t", "#", "//", "-r ", "-c ", "-e ", "--hash=", "==", ">=", "[", "]", "{", "}", "(", ")",
    ",", ":", '"', "'", "=", "@", "/", "\\", "\\u00e9", "\\ud800", "npm:", "file:", "node_modules/", "<", ">", "</",
    "<project>", "<dependency>", "<groupId>", "<artifactId>", "gem ", "require ", "replace ", "=>", "specs:", "GEM",
    "name = ", "[[package]]", "dependencies", "packages", "__metadata:", "lockfileVersion", "from_pretrained(",
    "implementation ", "requests", "lodash", "@scope/x", "com.a:b", "github.com/a/b", "é", "\u202e", "\x00", "\x1b",
])


@pytest.mark.parametrize("fmt", sorted(FILE_NAMES))
@_FUZZ
@given(parts=st.lists(_TOKENS, max_size=60))
def test_fuzz_format_shaped_text(tmp_path, fmt, parts):
    f = tmp_path / FILE_NAMES[fmt]
    f.write_text("".join(parts), encoding="utf-8")
    assert _unexpected(f) == []


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=20), kids, max_size=4),
    max_leaves=30,
)


@pytest.mark.parametrize("fmt", ["package-json", "package-lock", "pipfile-lock"])
@_FUZZ
@given(doc=st.dictionaries(st.sampled_from(["dependencies", "devDependencies", "packages", "default", "develop",
                                            "lockfileVersion", "name"]), _JSON, max_size=4))
def test_fuzz_json_documents(tmp_path, fmt, doc):
    f = tmp_path / FILE_NAMES[fmt]
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8", errors="surrogatepass")
    assert _unexpected(f) == []


@pytest.mark.slow
def test_large_locks_and_tables_parse_in_linear_time(tmp_path):
    """20,000 packages in poetry.lock (aligned and inline forms) and in a Poetry table, each with its line."""
    n = 20_000
    lock = tmp_path / "poetry.lock"
    lock.write_text("".join(f'[[package]]\nname = "pkg{i}"\nversion = "1.0"\n\n' for i in range(n)))
    inline = tmp_path / "inline" / "poetry.lock"
    inline.parent.mkdir()
    inline.write_text("package = [\n" + "".join(f'  {{name = "pkg{i}", version = "1"}},\n' for i in range(n)) + "]\n")
    table = tmp_path / "table" / "pyproject.toml"
    table.parent.mkdir()
    table.write_text("[tool.poetry.dependencies]\n" + "".join(f'pkg{i} = "^1"\n' for i in range(n)))
    for f in (lock, inline, table):  # quadratic line finding took hours here (timing is bench/hostile_files.py's)
        out = parse_file(f)
        assert out.errors == [] and len(out.dependencies) == n
        assert out.dependencies[-1].line > 1


_DEEP_JSON = st.recursive(
    st.none() | st.integers() | st.text(alphabet='ab"\\{}[],: \n\u00e9', max_size=6),
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(alphabet='ab"\\{}[]', max_size=4), kids, max_size=3),
    max_leaves=40,
)


@_FUZZ
@given(doc=_DEEP_JSON, depth=st.integers(min_value=0, max_value=4), indent=st.sampled_from([None, 0, 2]))
def test_key_positions_with_a_depth_match_the_full_walk(doc, depth, indent):
    """Passing over deep containers whole finds exactly the shallow keys the full token walk finds."""
    from confuguard.depfiles.base import json_key_positions

    text = json.dumps(doc, indent=indent, ensure_ascii=False)
    full = json_key_positions(text)
    assert json_key_positions(text, depth) == {path: pos for path, pos in full.items() if len(path) <= depth}
