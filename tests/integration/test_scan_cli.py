"""`confuguard scan` end to end on the fixture projects, with a fake engine that flags only the planted names."""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

import pytest

from confuguard import names
from confuguard.commands import scan
from confuguard.types import (
    Candidate,
    Category,
    CheckResult,
    Ecosystem,
    Finding,
    PackageId,
    Verdict,
)

PROJECTS = Path(__file__).parent.parent / "fixtures" / "projects"
PLANTED: dict[str, list[dict]] = {
    k: v for k, v in json.loads((PROJECTS / "planted.json").read_text()).items() if not k.startswith("_")
}


def planted_targets() -> dict[tuple[str, str], str]:
    return {(p["registry"], p["name"]): p["imitates"] for entries in PLANTED.values() for p in entries}


class FakeEngine:
    """Flags exactly the planted names (as the real engine should); everything else is clean or popular."""

    instances = 0

    def __init__(self) -> None:
        FakeEngine.instances += 1
        self.calls: list[list[PackageId]] = []
        self.targets = planted_targets()

    def check_many(self, pkgs: list[PackageId]) -> list[CheckResult]:
        self.calls.append(list(pkgs))
        out = []
        for pkg in pkgs:
            target = self.targets.get((pkg.ecosystem.value, str(pkg)))
            if target is None:
                out.append(CheckResult(str(pkg), pkg.ecosystem, Verdict.CLEAN, pkg, reasons=("clean",)))
                continue
            cand = Candidate(
                target=names.parse(target, pkg.ecosystem), target_rank=1,
                findings=(Finding(Category.TYPO, "one edit"),), score=0.95, edit_distance=1,
                embedding_similarity=None, found_by=frozenset({"edit"}), verdict=Verdict.SUSPICIOUS,
            )
            out.append(CheckResult(str(pkg), pkg.ecosystem, Verdict.SUSPICIOUS, pkg, (cand,),
                                   (f"imitates {target} (rank 1): typo: one edit",)))
        return out


@pytest.fixture
def engine(monkeypatch):
    made: list[FakeEngine] = []

    def factory() -> FakeEngine:
        made.append(FakeEngine())
        return made[-1]

    monkeypatch.setattr(scan, "ENGINE_FACTORY", factory)
    return made


def run(paths, fmt="table", output=None) -> int:
    return scan.handler(argparse.Namespace(paths=[str(p) for p in paths], format=fmt, output=output))


def suspicious_from_json(text: str) -> list[tuple[str, int, str, str]]:
    docs = json.loads(text)
    assert isinstance(docs, list)
    return sorted((Path(d["file"]).name, d["line"], d["registry"], d["name"]) for d in docs if d["verdict"] == "suspicious")


@pytest.mark.parametrize("project", sorted(PLANTED))
def test_scan_finds_exactly_the_planted_lookalike(project, engine, capsys):
    assert run([PROJECTS / project], "json") == 1
    captured = capsys.readouterr()
    assert captured.err == ""  # no parse warnings on a well-formed project
    expected = sorted((p["file"], p["line"], p["registry"], p["name"]) for p in PLANTED[project])
    assert suspicious_from_json(captured.out) == expected
    assert len(engine) == 1  # the engine is built once per scan


def test_scan_of_the_whole_tree(engine, capsys):
    """All projects at once: the planted names only, each at its file and line; malformed files warn."""
    assert run([PROJECTS], "json") == 1
    captured = capsys.readouterr()
    docs = json.loads(captured.out)
    got = sorted((d["file"], d["line"], d["name"]) for d in docs if d["verdict"] == "suspicious")
    expected = sorted(
        ((PROJECTS / project / p["file"]).as_posix(), p["line"], p["name"])
        for project, entries in PLANTED.items() for p in entries
    )
    assert got == expected
    warnings = [ln for ln in captured.err.splitlines() if ln.startswith("confuguard: warning:")]
    assert len(warnings) == len(list((PROJECTS / "malformed").iterdir())) == 9  # one per broken file
    assert all("/malformed/" in w and ":" in w for w in warnings)
    # Each distinct package is checked once even though it appears in several files.
    (fake,) = engine
    checked = [names.key(p) for call in fake.calls for p in call]
    assert len(checked) == len(set(checked))


def test_clean_project_exits_0_and_table_summarises(engine, capsys, tmp_path):
    (tmp_path / "requirements.txt").write_text("requests\nflask\n")
    assert run([tmp_path]) == 0
    out = capsys.readouterr().out
    assert out.strip() == "2 dependencies in 1 files: 0 suspicious"


def test_table_shows_location_of_suspicious(engine, capsys):
    assert run([PROJECTS / "go"]) == 1
    out = capsys.readouterr().out
    assert "go.mod:9" in out and "github.com/strechr/testify" in out and "SUSPICIOUS" in out
    assert "github.com/stretchr/testify" in out
    assert out.rstrip().endswith("5 dependencies in 1 files: 1 suspicious")


def test_parse_errors_warn_and_fail_closed(engine, capsys):
    """What could not be read was not checked: the scan exits 2, not 0, so a CI gate fails closed."""
    malformed = PROJECTS / "malformed"
    assert run([malformed / "json", malformed / "requirements"], "jsonl") == 2
    captured = capsys.readouterr()
    err = captured.err.splitlines()
    assert err == [
        f"confuguard: warning: {malformed / 'json' / 'package.json'}:5: invalid JSON: Unterminated string starting at (column 15)",
        f"confuguard: warning: {malformed / 'requirements' / 'requirements.txt'}:2: invalid requirement "
        "'flask (>=2.0': Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after version specifier",
    ]
    rows = [json.loads(ln) for ln in captured.out.splitlines()]
    assert [(r["name"], r["line"]) for r in rows] == [("requests", 1), ("numpy", 3)]


def test_parse_errors_plus_suspicious_exit_1(engine, capsys):
    assert run([PROJECTS / "malformed" / "toml", PROJECTS / "requirements"], "csv") == 1
    captured = capsys.readouterr()
    assert "pyproject.toml:6: invalid TOML" in captured.err
    rows = list(csv.DictReader(io.StringIO(captured.out)))
    flagged = [(r["name"], Path(r["file"]).name, r["line"]) for r in rows if r["verdict"] == "suspicious"]
    assert flagged == [("reqeusts", "requirements.txt", "8")]
    assert {"file", "line", "column"} <= set(rows[0])


def test_invalid_names_are_warnings_with_file_and_line(engine, capsys, tmp_path):
    (tmp_path / "package.json").write_text('{"dependencies": {"Bad Name": "1", "lodahs": "1"}}')
    assert run([tmp_path], "json") == 1
    captured = capsys.readouterr()
    assert f"{tmp_path / 'package.json'}:1: invalid npm name" in captured.err
    assert [d["name"] for d in json.loads(captured.out)] == ["lodahs"]


def test_json_is_always_an_array(engine, capsys, tmp_path):
    (tmp_path / "requirements.txt").write_text("requests\n")
    assert run([tmp_path / "requirements.txt"], "json") == 0
    docs = json.loads(capsys.readouterr().out)
    assert isinstance(docs, list) and len(docs) == 1
    assert docs[0]["file"].endswith("requirements.txt") and docs[0]["line"] == 1 and docs[0]["column"] == 1
    assert docs[0]["registry"] == "pypi" and docs[0]["verdict"] == "clean"


def test_no_dependency_files_does_not_load_the_engine(engine, capsys, tmp_path):
    (tmp_path / "README.md").write_text("nothing here")
    assert run([tmp_path], "json") == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out) == []
    assert "no dependency files found" in captured.err
    assert engine == []


def test_output_file(engine, capsys, tmp_path):
    out = tmp_path / "report.sarif"
    assert run([PROJECTS / "ruby"], "sarif", output=out) == 1
    assert capsys.readouterr().out == ""
    log = json.loads(out.read_text())
    assert [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in log["runs"][0]["results"]] == [5, 15]


@pytest.mark.parametrize(
    "paths, message",
    [([], "no PATH given"), (["/nonexistent/dir"], "no such file or directory")],
)
def test_usage_errors_exit_2(engine, capsys, paths, message):
    assert run(paths) == 2
    assert message in capsys.readouterr().err
    assert engine == []


def test_unwritable_output_exits_2(engine, capsys, tmp_path):
    assert run([PROJECTS / "go"], "json", output=tmp_path / "missing-dir" / "out.json") == 2
    assert "cannot write" in capsys.readouterr().err


def test_register_adds_the_subcommand():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    scan.register(sub)
    args = parser.parse_args(["scan", "a", "b", "--format", "sarif", "--output", "x.sarif"])
    assert args.paths == ["a", "b"] and args.format == "sarif" and args.output == "x.sarif"
    assert args.func is scan.handler
    with pytest.raises(SystemExit):
        parser.parse_args(["scan", "a", "--format", "xml"])


def test_cli_main_runs_scan(engine, capsys, tmp_path):
    cli = pytest.importorskip("confuguard.cli")
    (tmp_path / "Gemfile").write_text('gem "rai1s"\n')
    assert cli.main(["scan", str(tmp_path), "--format", "jsonl"]) == 1
    (row,) = [json.loads(ln) for ln in capsys.readouterr().out.splitlines()]
    assert (row["name"], row["line"], row["verdict"]) == ("rai1s", 1, "suspicious")


def test_default_factory_builds_the_judged_engine(monkeypatch, tmp_path):
    monkeypatch.setenv("CONFUGUARD_DB", str(tmp_path / "absent.db"))
    engine = scan._default_engine()
    assert engine.judge is not None  # scan judges with the benign classifier, as check does
    assert not (tmp_path / "absent.db").exists()  # no store is created just to scan


def test_ecosystems_of_the_fixtures_cover_all_six():
    assert {p["registry"] for entries in PLANTED.values() for p in entries} == {e.value for e in Ecosystem}
