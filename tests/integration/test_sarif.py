"""SARIF 2.1.0 output: structure checked against the parts of the schema that code-scanning UIs rely on.

The OASIS schema is not shipped; these checks follow its required properties and types.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

import pytest

from confuguard import names
from confuguard.commands import scan
from confuguard.depfiles import INVALID_NAME, PARSE, Dependency, ParseError
from confuguard.formats import sarif
from confuguard.types import Candidate, Category, CheckResult, Ecosystem, Finding, Verdict

PROJECTS = Path(__file__).parent.parent / "fixtures" / "projects"
LEVELS = {"none", "note", "warning", "error"}


def suspicious(dep: Dependency, target: str, *cats: Category) -> CheckResult:
    pkg = dep.package
    cand = Candidate(
        names.parse(target, dep.ecosystem), 3, tuple(Finding(c, c.value) for c in cats), 0.93, 1, 0.8,
        frozenset({"edit"}), verdict=Verdict.SUSPICIOUS,
    )
    return CheckResult(str(pkg), pkg.ecosystem, Verdict.SUSPICIOUS, pkg, (cand,), (f"imitates {target} (rank 3)",))


def clean(dep: Dependency) -> CheckResult:
    return CheckResult(dep.name, dep.ecosystem, Verdict.CLEAN, dep.package)


def dep(name: str, eco: Ecosystem, file: Path, line: int, column: int | None = 1) -> Dependency:
    return Dependency(eco, name, file, line, column, name)


def check_message(obj: dict[str, Any]) -> None:
    assert isinstance(obj["message"], dict) and isinstance(obj["message"]["text"], str) and obj["message"]["text"]


def check_location(loc: dict[str, Any], base_ids: set[str]) -> None:
    phys = loc["physicalLocation"]
    art = phys["artifactLocation"]
    assert isinstance(art["uri"], str) and art["uri"]
    if "uriBaseId" in art:
        assert art["uriBaseId"] in base_ids
        assert not art["uri"].startswith("/") and "://" not in art["uri"]
    else:
        assert art["uri"].startswith("file:///")
    region = phys["region"]
    assert isinstance(region["startLine"], int) and region["startLine"] >= 1
    if "startColumn" in region:
        assert isinstance(region["startColumn"], int) and region["startColumn"] >= 1


def validate(log: dict[str, Any]) -> None:
    """Required properties and types of SARIF 2.1.0 for what confuguard emits."""
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-schema-2.1.0.json")
    assert isinstance(log["runs"], list) and len(log["runs"]) == 1
    run = log["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "confuguard" and isinstance(driver["version"], str)
    rule_ids = [r["id"] for r in driver["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    for rule in driver["rules"]:
        assert isinstance(rule["id"], str)
        assert isinstance(rule["shortDescription"]["text"], str)
        assert rule["defaultConfiguration"]["level"] in LEVELS
    base_ids = set(run.get("originalUriBaseIds", {}))
    for base in run.get("originalUriBaseIds", {}).values():
        assert base["uri"].startswith("file:///") and base["uri"].endswith("/")
    assert isinstance(run["results"], list)
    for res in run["results"]:
        assert res["ruleId"] in rule_ids
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in LEVELS
        check_message(res)
        assert isinstance(res["locations"], list) and res["locations"]
        for loc in res["locations"]:
            check_location(loc, base_ids)
        for v in res.get("partialFingerprints", {}).values():
            assert isinstance(v, str)
    for inv in run["invocations"]:
        assert isinstance(inv["executionSuccessful"], bool)
        for note in inv.get("toolExecutionNotifications", []):
            check_message(note)
            assert note["level"] in LEVELS
            for loc in note.get("locations", []):
                check_location(loc, base_ids)
    json.dumps(log)  # serialisable


def test_structure_levels_and_locations(tmp_path):
    root = tmp_path / "proj"
    (root / "web").mkdir(parents=True)
    req = root / "requirements.txt"
    pkg = root / "web" / "package.json"
    d1 = dep("reqeusts", Ecosystem.PYPI, req, 3)
    d2 = dep("lodash", Ecosystem.NPM, pkg, 7, 5)
    d3 = dep("@babel/croe", Ecosystem.NPM, pkg, 9, None)
    entries = [(d1, suspicious(d1, "requests", Category.TYPO)), (d2, clean(d2)),
               (d3, suspicious(d3, "@babel/core", Category.TYPO, Category.SCOPE))]
    errors = [
        ParseError(root / "go.mod", 4, "'require (' block is not closed", PARSE),
        ParseError(req, 5, "invalid pypi name: 'bad name!': ...", INVALID_NAME),
    ]
    log = sarif.build(entries, errors, root=root)
    validate(log)
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == root.resolve().as_uri() + "/"
    errors_ = [r for r in run["results"] if r["ruleId"] == "package-confusion"]
    warnings = [r for r in run["results"] if r["level"] == "warning"]
    (unread,) = [r for r in run["results"] if r["ruleId"] == "unreadable-dependency-file"]
    assert unread["level"] == "error"  # what was not read was not checked: a gate fails closed
    assert unread["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "go.mod"
    assert "block is not closed" in unread["message"]["text"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in errors_] == [
        ("package-confusion", "requirements.txt", 3),
        ("package-confusion", "web/package.json", 9),
    ]
    assert "startColumn" not in errors_[1]["locations"][0]["physicalLocation"]["region"]
    msg = errors_[1]["message"]["text"]
    assert "@babel/croe" in msg and "@babel/core" in msg and "typo" in msg and "scope" in msg and "rank 3" in msg
    assert errors_[1]["properties"]["categories"] == ["typo", "scope"]
    assert errors_[1]["properties"]["targets"] == ["@babel/core"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in warnings] == [
        ("invalid-package-name", 5)
    ]
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["level"] == "warning" and "go.mod" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    assert run["invocations"][0]["executionSuccessful"] is True
    rule = run["tool"]["driver"]["rules"][0]
    assert rule["id"] == "package-confusion" and set(rule["properties"]["categories"]) == {c.value for c in Category}


def test_file_outside_root_gets_absolute_uri(tmp_path):
    outside = tmp_path / "shared" / "requirements.txt"
    d = dep("reqeusts", Ecosystem.PYPI, outside, 1)
    log = sarif.build([(d, suspicious(d, "requests", Category.TYPO))], [], root=tmp_path / "proj")
    validate(log)
    art = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert art == {"uri": outside.resolve().as_uri()}


def test_non_utf8_file_name_gives_valid_sarif(tmp_path):
    folder = Path(os.fsdecode(bytes(tmp_path) + b"/caf\xe9\x1b[31m"))
    f = folder / "requirements.txt"
    d = dep("reqeusts", Ecosystem.PYPI, f, 1)
    err = ParseError(folder / "package.json", 2, "invalid JSON", PARSE)
    text = sarif.render([(d, suspicious(d, "requests", Category.TYPO))], [err], root=tmp_path)
    text.encode("utf-8")  # strictly encodable: no lone surrogate anywhere
    log = json.loads(text)
    validate(log)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"caf%E9%1B%5B31m/requirements.txt", "caf%E9%1B%5B31m/package.json"}
    assert "\x1b" not in text


def test_uri_is_percent_encoded(tmp_path):
    f = tmp_path / "my app" / "requirements.txt"
    d = dep("reqeusts", Ecosystem.PYPI, f, 1)
    log = sarif.build([(d, suspicious(d, "requests", Category.TYPO))], [], root=tmp_path)
    art = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert art["uri"] == "my%20app/requirements.txt"


def test_fingerprint_ignores_line_moves(tmp_path):
    f = tmp_path / "requirements.txt"
    logs = []
    for line in (3, 30):
        d = dep("reqeusts", Ecosystem.PYPI, f, line)
        logs.append(sarif.build([(d, suspicious(d, "requests", Category.TYPO))], [], root=tmp_path))
    fps = [lg["runs"][0]["results"][0]["partialFingerprints"] for lg in logs]
    assert fps[0] == fps[1]


def test_engine_invalid_verdict_is_a_warning(tmp_path):
    d = dep("reqeusts", Ecosystem.PYPI, tmp_path / "requirements.txt", 2)
    res = CheckResult("reqeusts", Ecosystem.PYPI, Verdict.INVALID, reasons=("not valid",))
    log = sarif.build([(d, res)], [], root=tmp_path)
    validate(log)
    (r,) = log["runs"][0]["results"]
    assert r["level"] == "warning" and r["ruleId"] == "invalid-package-name"


@pytest.fixture
def planted_engine(monkeypatch):
    """The same fake engine as the CLI tests, flagging only the planted names."""
    from test_scan_cli import FakeEngine

    monkeypatch.setattr(scan, "ENGINE_FACTORY", FakeEngine)


def test_scan_sarif_of_all_fixture_projects(planted_engine, capsys):
    rc = scan.handler(argparse.Namespace(paths=[str(PROJECTS)], format="sarif", output=None))
    assert rc == 1
    log = json.loads(capsys.readouterr().out)
    validate(log)
    run = log["runs"][0]
    planted = {k: v for k, v in json.loads((PROJECTS / "planted.json").read_text()).items() if not k.startswith("_")}
    expected = sorted((f"{project}/{p['file']}", p["line"]) for project, entries in planted.items() for p in entries)
    got = sorted(
        (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
         r["locations"][0]["physicalLocation"]["region"]["startLine"])
        for r in run["results"] if r["ruleId"] == "package-confusion"
    )
    assert got == expected
    unread = [r for r in run["results"] if r["ruleId"] == "unreadable-dependency-file"]
    assert len(unread) == 9 and all(r["level"] == "error" for r in unread)
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
               for r in run["results"])
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert len(notes) == 9
    assert all(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("malformed/") for n in notes)
