"""Output formats: documented JSON schema, CSV safe for spreadsheets, table safe for terminals."""

import csv
import io
import json

from confuguard import names
from confuguard.formats import render
from confuguard.types import Candidate, Category, CheckResult, Ecosystem, Finding, Verdict


def _suspicious(name="reqeusts", target="requests"):
    pkg = names.parse(name, Ecosystem.PYPI)
    cand = Candidate(names.parse(target, Ecosystem.PYPI), 3, (Finding(Category.TYPO, "swaps 'u' and 'e'"),), 0.92, 1,
                     0.41, frozenset({"edit"}), verdict=Verdict.SUSPICIOUS)
    return CheckResult(str(pkg), Ecosystem.PYPI, Verdict.SUSPICIOUS, pkg, (cand,), (f"imitates {target}",))


def test_json_one_object_for_one_name_array_for_several():
    one = json.loads(render([_suspicious()], "json"))
    assert one["registry"] == "pypi" and one["purl"] == "pkg:pypi/reqeusts" and one["verdict"] == "suspicious"
    c = one["candidates"][0]
    assert c["target"] == "requests" and c["target_purl"] == "pkg:pypi/requests"
    assert c["categories"] == ["typo"] and 0 <= c["score"] <= 1
    assert one["reasons"] == ["imitates requests"]
    many = json.loads(render([_suspicious(), _suspicious("numpi", "numpy")], "json"))
    assert isinstance(many, list) and [d["name"] for d in many] == ["reqeusts", "numpi"]


def test_jsonl_one_object_per_line_with_extra_fields():
    text = render([_suspicious(), _suspicious("numpi", "numpy")], "jsonl", extra=[{"file": "a.txt", "line": 3}, {"file": "b", "line": 9}])
    rows = [json.loads(line) for line in text.splitlines()]
    assert [(r["name"], r["file"], r["line"]) for r in rows] == [("reqeusts", "a.txt", 3), ("numpi", "b", 9)]


def test_csv_neutralises_formula_cells_and_control_characters():
    res = CheckResult("=HYPERLINK(\"x\")", Ecosystem.NPM, Verdict.INVALID, reasons=("@SUM(A1)\x1b[31m bad",))
    rows = list(csv.reader(io.StringIO(render([res, _suspicious()], "csv"))))
    assert rows[0][:4] == ["registry", "name", "purl", "verdict"]
    assert rows[1][1].startswith("'=") and rows[1][-1].startswith("'@") and "\x1b" not in rows[1][-1]
    assert rows[2][4] == "requests" and rows[2][6] == "typo"


def test_table_is_readable_and_escapes_terminal_controls():
    res = CheckResult("evil\x1b]0;pwned\x07", Ecosystem.NPM, Verdict.INVALID, reasons=("bad name",))
    out = render([_suspicious(), res], "table")
    assert "SUSPICIOUS" in out and "requests" in out and "typo" in out and "imitates requests" in out
    assert "\x1b" not in out and "\x07" not in out
