"""The analysts' loop: alert CSV export (stable columns, neutralised cells, LibreOffice-clean), import of
their verdicts (unknown/edited ids and bad verdicts refused and reported), `alerts list`, and `train`."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from confuguard import training
from confuguard.alerts import export, import_verdicts, parse_since
from confuguard.classifier import Judge
from confuguard.cli import main
from confuguard.engine import Engine
from confuguard.formats import alerts_csv
from confuguard.store import Store
from confuguard.sweep import Sweep, alert_row
from confuguard.types import Ecosystem

NAMES = {
    Ecosystem.PYPI: "reqeusts\nnumpyy\nrequests\nclean-internal-thing-zq\n",
    Ecosystem.NPM: "@typescript_eslinter/parser\nlodahs\n",
}
FORMULA = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(encoder=None, judge=Judge.default())


@pytest.fixture
def db(engine: Engine, tmp_path: Path) -> Path:
    path = tmp_path / "alerts.db"
    with Store.open(path) as store:
        engine.judge.store = store
        for eco, text in NAMES.items():
            f = tmp_path / f"{eco.value}.txt"
            f.write_text(text)
            Sweep(store, engine, offline=True).file(f, eco)
        # an attacker-shaped row (no registry accepts such a name; the CSV must still be safe)
        from confuguard.names import parse

        cand = engine.check_name("reqeusts", Ecosystem.PYPI).candidates[0]
        evil = alert_row(parse("reqeusts", Ecosystem.PYPI), cand, "0")
        evil = dataclasses.replace(evil, suspect_key="evil", suspect='=HYPERLINK("http://evil.example/?x")',
                                   reasons=("+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx\x1b[31m\u202e"))
        store.commit_sweep(store.start_run("test"), "2026-11-01T00:00:00Z", [], [evil])
    return path


def rows_of(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_export_columns_encoding_and_neutralisation(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    with Store.open(db) as st:
        assert export(st, out) == 5
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    raw.decode("utf-8")
    header = raw.split(b"\n", 1)[0].decode()
    assert header == ",".join(alerts_csv.COLUMNS)
    rows = rows_of(out)
    pairs = {(r["registry"], alerts_csv.unneutralise(r["suspect"]), r["target"]) for r in rows}
    assert ("pypi", "reqeusts", "requests") in pairs and ("npm", "lodahs", "lodash") in pairs
    assert ("npm", "@typescript_eslinter/parser", "@typescript-eslint/parser") in {
        (a, b, alerts_csv.unneutralise(c)) for a, b, c in pairs}
    for r in rows:
        for col, value in r.items():
            assert not value.startswith(FORMULA), (col, value)
            assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F or ch == "\u202e" for ch in value), (col, value)
        assert r["analyst_verdict"] == "" and r["analyst_note"] == "" and r["status"] == "open"
    req = next(r for r in rows if r["suspect"] == "reqeusts")
    assert req["suspect_purl"] == "pkg:pypi/reqeusts" and req["suspect_url"] == "https://pypi.org/project/reqeusts/"
    assert req["target_url"] == "https://pypi.org/project/requests/" and req["categories"] == "typo"
    assert float(req["threat_probability"]) >= 0.6 and req["verdict"] == "suspicious" and req["model_version"]
    scoped = next(r for r in rows if "typescript" in r["suspect"])
    assert scoped["suspect"] == "'@typescript_eslinter/parser"
    assert scoped["suspect_url"].startswith("https://www.npmjs.com/package/@typescript_eslinter/parser")
    evil = next(r for r in rows if "HYPERLINK" in r["suspect"])
    assert evil["suspect"].startswith("'=") and "\\x1b" in evil["reasons"] and "\\u202e" in evil["reasons"]
    with Store.open(db) as st:
        assert export(st, tmp_path / "none.csv", since=parse_since("2999-01-01")) == 0
        assert export(st, tmp_path / "all.csv", status="all", since=parse_since("2026-11-01")) >= 1


def _fill(path: Path, fills: dict[str, tuple[str, str]], *, edit_id: tuple[str, str] | None = None,
          extra: list[dict[str, str]] | None = None) -> None:
    """Fill analyst columns as an analyst would (keyed by unneutralised suspect)."""
    rows = rows_of(path)
    for r in rows:
        key = alerts_csv.unneutralise(r["suspect"])
        if key in fills:
            r["analyst_verdict"], r["analyst_note"] = fills[key]
        if edit_id and key == edit_id[0]:
            r["alert_id"] = edit_id[1]
    rows += extra or []
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=alerts_csv.COLUMNS)
        w.writeheader()
        w.writerows(rows)


def test_import_applies_valid_rows_and_reports_the_rest(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    with Store.open(db) as st:
        export(st, out)
        ids = {a.suspect: a.id for a in st.alert_rows()}
    unknown = {c: "" for c in alerts_csv.COLUMNS} | {"alert_id": "9999", "registry": "pypi", "suspect": "x",
                                                       "target": "y", "analyst_verdict": "benign"}
    _fill(out, {"reqeusts": ("malicious", "=typosquat, reported"), "lodahs": ("Benign", "team fork"),
                "@typescript_eslinter/parser": ("unsure", ""), "numpyy": ("maybe", "")},
          extra=[unknown])
    rows = rows_of(out)  # an analyst pastes numpyy's verdict onto the wrong id: the suspect no longer matches
    moved = next(r for r in rows if r["suspect"] == "numpyy")
    moved["alert_id"], moved["analyst_verdict"] = str(ids["lodahs"]), "malicious"
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=alerts_csv.COLUMNS)
        w.writeheader()
        w.writerows(rows)
    with Store.open(db) as st:
        report = import_verdicts(st, out, analyst="ana")
        assert report.applied == 3 and report.verdicts == {"malicious": 1, "benign": 1, "unsure": 1}
        assert len(report.problems) == 2, report.problems
        assert any("unknown alert id 9999" in p for p in report.problems)
        assert any("alert {} is lodahs".format(ids["lodahs"]) in p and "edited id" in p for p in report.problems)
        got = {a.suspect: a for a in st.alert_rows()}
        assert got["reqeusts"].analyst_verdict == "malicious" and got["reqeusts"].analyst == "ana"
        assert got["reqeusts"].analyst_note == "=typosquat, reported"  # stored as typed, neutralised on export
        assert got["reqeusts"].status == "triaged" and got["lodahs"].status == "triaged"
        assert got["@typescript_eslinter/parser"].status == "open"  # unsure keeps it open
        assert got["reqeusts"].verdict_recorded_at.endswith("Z")
        again = import_verdicts(st, out, analyst="bob")
        assert again.applied == 0 and again.unchanged == 3
        n = st._conn.execute("SELECT COUNT(*) FROM alert_verdicts").fetchone()[0]
        assert n == 3
        rest = tmp_path / "open.csv"
        assert export(st, rest) == 3  # reqeusts and lodahs are triaged
        assert "'=typosquat" not in rest.read_text()  # analyst columns are empty in an export


def test_invalid_verdict_is_reported_not_applied(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    with Store.open(db) as st:
        export(st, out)
        _fill(out, {"numpyy": ("maybe", "")})
        report = import_verdicts(st, out)
        assert report.applied == 0 and "'maybe' is not one of malicious, benign, unsure" in report.problems[0]
        assert all(a.analyst_verdict is None for a in st.alert_rows())


def test_train_reads_the_analyst_csv(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.csv"
    with Store.open(db) as st:
        export(st, out)
    _fill(out, {"reqeusts": ("malicious", ""), "lodahs": ("benign", ""),
                "@typescript_eslinter/parser": ("malicious", ""), "numpyy": ("unsure", "")})
    report = training.read_labelled(out)
    assert report.kind == "alerts"
    got = {(str(p.suspect), str(p.target), p.label) for p in report.pairs}
    assert got == {("reqeusts", "requests", 1), ("lodahs", "lodash", 0),
                   ("@typescript_eslinter/parser", "@typescript-eslint/parser", 1)}


def test_cli_export_import_list(db: Path, tmp_path: Path, capsys, monkeypatch) -> None:
    out = tmp_path / "cli.csv"
    assert main(["alerts", "export", "--db", str(db), "--out", str(out), "--since", "2020-01-01"]) == 0
    assert "5 open alerts written" in capsys.readouterr().err
    assert main(["alerts", "list", "--db", str(db)]) == 0
    table = capsys.readouterr().out
    assert "5 open alerts" in table and "reqeusts" in table and "\x1b[31m" not in table
    _fill(out, {"reqeusts": ("malicious", "seen on a blog")})
    assert main(["alerts", "import", str(out), "--db", str(db), "--analyst", "ana", "--dry-run"]) == 0
    assert "would record 1 verdict" in capsys.readouterr().out
    assert main(["alerts", "import", str(out), "--db", str(db), "--analyst", "ana", "-f", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["applied"] == 1
    assert main(["alerts", "list", "--db", str(db), "--status", "triaged", "-f", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["suspect"], r["recorded_verdict"]) for r in listed] == [("reqeusts", "malicious")]
    _fill(out, {"numpyy": ("nope", "")})
    assert main(["alerts", "import", str(out), "--db", str(db)]) == 2
    assert "'nope' is not one of" in capsys.readouterr().err
    assert main(["alerts", "export", "--db", str(tmp_path / "missing.db"), "--out", str(out)]) == 2


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.slow
def test_csv_round_trips_through_libreoffice(db: Path, tmp_path: Path) -> None:
    soffice = _soffice()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui to run this test")
    out = tmp_path / "alerts.csv"
    with Store.open(db) as st:
        export(st, out)
    _fill(out, {"reqeusts": ("malicious", "checked, 'quoted' note"), "lodahs": ("benign", "")})
    profile = f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}"

    def convert(src: Path, fmt: str, dest: Path) -> Path:
        dest.mkdir()
        proc = subprocess.run([soffice, profile, "--headless", "--convert-to", fmt, "--outdir", str(dest), str(src)],
                              capture_output=True, text=True, timeout=180)
        produced = dest / (src.stem + "." + fmt.split(":")[0])
        assert proc.returncode == 0 and produced.exists(), proc.stdout + proc.stderr
        return produced

    xlsx = convert(out, "xlsx", tmp_path / "xlsx")
    with zipfile.ZipFile(xlsx) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        body = "".join(z.read(n).decode("utf-8") for n in sheets)
    assert "<f>" not in body and "<f " not in body  # no cell became a formula
    back = convert(xlsx, "csv:Text - txt - csv (StarCalc):44,34,76,1", tmp_path / "csv")
    rows = rows_of(back)
    assert [k for k in rows[0]] == list(alerts_csv.COLUMNS)
    original = rows_of(out)
    assert [r["suspect"] for r in rows] == [r["suspect"] for r in original]  # the quotes survive, nothing evaluated
    with Store.open(db) as st:
        report = import_verdicts(st, back, analyst="ana")
        assert report.problems == [] and report.applied == 2
        got = {a.suspect: a for a in st.alert_rows()}
        assert got["reqeusts"].analyst_note == "checked, 'quoted' note"


# -- hostile CSVs: one line per row or file, exit 2, never a traceback, never exit 1 ------------------------------


def _exported(db: Path, tmp_path: Path) -> tuple[Path, dict[str, int]]:
    out = tmp_path / "a.csv"
    with Store.open(db) as st:
        export(st, out)
        ids = {a.suspect: a.id for a in st.alert_rows()}
    return out, ids


@pytest.mark.parametrize(("alert_id", "needle"), [
    ("9" * 5000, "is not an alert id"),
    ("9" * 20, "is not an alert id"),
    ("²", "is not an alert id"),
    ("١٢", "is not an alert id"),      # Arabic-Indic digits: isdigit() but not an id
    ("-3", "is not an alert id"),
    ("999999", "unknown alert id 999999"),
])
def test_import_refuses_odd_alert_ids_row_by_row(db: Path, tmp_path: Path, capsys, alert_id: str, needle: str) -> None:
    out, _ = _exported(db, tmp_path)
    _fill(out, {"reqeusts": ("malicious", "x"), "numpyy": ("benign", "")}, edit_id=("numpyy", alert_id))
    assert main(["alerts", "import", str(out), "--db", str(db)]) == 2
    captured = capsys.readouterr()
    problems = captured.err.strip().splitlines()
    assert len(problems) == 1 and needle in problems[0] and len(problems[0]) < 300, problems
    assert "recorded 1 verdict" in captured.out   # the valid row is recorded all the same


def test_import_caps_the_note_and_reads_a_200_kb_one(db: Path, tmp_path: Path, capsys) -> None:
    out, _ = _exported(db, tmp_path)
    _fill(out, {"reqeusts": ("malicious", "n" * 200_000), "lodahs": ("benign", "b" * alerts_csv.NOTE_MAX)})
    assert main(["alerts", "import", str(out), "--db", str(db)]) == 2
    captured = capsys.readouterr()
    assert "the note is 200,000 characters, over the limit of 4,000" in captured.err
    assert len(captured.err) < 500 and "recorded 1 verdict (1 benign)" in captured.out


@pytest.mark.parametrize(("content", "needle"), [
    ('alert_id,registry,suspect,target,analyst_verdict,analyst_note\n1,pypi,"a"b,c,benign,\n', "malformed CSV"),
    ("alert_id,registry,suspect,target,analyst_verdict,analyst_note\n1,pypi,a\x00b,c,benign,\n", "not applied"),
    ('alert_id,registry,suspect,target,analyst_verdict,analyst_note\n1,pypi,"unclosed,c,benign,\n', "malformed CSV"),
    ("just,some,columns\n1,2,3\n", "not an alert CSV"),
    (b"\xff\xfe\x00a".decode("latin-1"), "not UTF-8"),
])
def test_import_refuses_malformed_files_in_one_line(db: Path, tmp_path: Path, capsys, content: str, needle: str) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(content.encode("latin-1" if needle == "not UTF-8" else "utf-8"))
    assert main(["alerts", "import", str(bad), "--db", str(db)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and needle in err and "Traceback" not in err, err
    with Store.open(db) as st:
        assert all(a.analyst_verdict is None for a in st.alert_rows())


# -- the night's reading: most probable first, a cap that holds the rest -----------------------------------------


def test_alerts_are_listed_and_exported_most_probable_first(db: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "a.csv"
    with Store.open(db) as st:
        export(st, out)
    probs = [float(r["threat_probability"] or -1) for r in rows_of(out)]
    assert probs == sorted(probs, reverse=True) and len(set(probs)) > 1
    assert main(["alerts", "list", "--db", str(db), "-f", "json"]) == 0
    listed = [r["threat_probability"] for r in json.loads(capsys.readouterr().out)]
    assert listed == sorted(listed, reverse=True)
    assert main(["alerts", "list", "--db", str(db), "-f", "json", "--limit", "2"]) == 0
    assert [r["threat_probability"] for r in json.loads(capsys.readouterr().out)] == listed[:2]


def test_sweep_max_alerts_holds_the_rest_queryable(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("CONFUGUARD_CONFIG", str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    names = tmp_path / "names.txt"
    names.write_text("reqeusts\nnumpyy\ndjnago\nflaskk\npandsa\n")
    db = tmp_path / "s.db"
    code = main(["sweep", "--db", str(db), "--from", str(names), "-r", "pypi", "--offline", "--no-embeddings",
                 "--max-alerts", "2", "-f", "json"])
    summary = json.loads(capsys.readouterr().out)
    new = summary["totals"]["alerts_new"]
    assert code == 1 and new >= 4 and summary["alerts_held"] == new - 2
    assert main(["alerts", "list", "--db", str(db), "-f", "json"]) == 0
    kept = json.loads(capsys.readouterr().out)
    assert main(["alerts", "list", "--db", str(db), "-f", "json", "--status", "held"]) == 0
    held = json.loads(capsys.readouterr().out)
    assert len(kept) == 2 and len(held) == new - 2 and {r["status"] for r in held} == {"held"}
    assert min(r["threat_probability"] for r in kept) >= max(r["threat_probability"] for r in held)
    assert main(["alerts", "list", "--db", str(db), "-f", "json", "--status", "all"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == new
    # a held alert can still be triaged from an export of the held ones
    out = tmp_path / "held.csv"
    assert main(["alerts", "export", "--db", str(db), "--status", "held", "--out", str(out)]) == 0
    first = rows_of(out)[0]
    _fill(out, {alerts_csv.unneutralise(first["suspect"]): ("benign", "reviewed")})
    assert main(["alerts", "import", str(out), "--db", str(db)]) == 0


def test_sweep_cap_and_floor_from_the_config(tmp_path: Path, capsys, monkeypatch) -> None:
    cfg = tmp_path / "c.toml"
    cfg.write_text("[sweep]\nmin_probability = 1.0\n")
    monkeypatch.setenv("CONFUGUARD_CONFIG", str(cfg))
    names = tmp_path / "names.txt"
    names.write_text("reqeusts\nnumpyy\n")
    db = tmp_path / "s.db"
    assert main(["sweep", "--db", str(db), "--from", str(names), "-r", "pypi", "--offline", "--no-embeddings"]) == 0
    assert "held 2 of the 2 new alerts" in capsys.readouterr().out   # all held: nothing new to read tonight
    cfg.write_text("[sweep]\nmax_alerts = -1\n")
    assert main(["sweep", "--db", str(db), "--from", str(names), "-r", "pypi", "--offline"]) == 2
    assert "[sweep] max_alerts: expected an integer >= 0" in capsys.readouterr().err
    assert main(["sweep", "--db", str(db), "--from", str(names), "-r", "pypi", "--max-alerts", "-3"]) == 2


# -- OSV reports of confirmed-malicious alerts ----------------------------------------------------------------------

OSV_SCHEMA = json.loads((Path(__file__).parent.parent / "fixtures" / "osv" / "schema.json").read_text())


def osv_errors(doc: dict) -> list[str]:
    """Violations of the shipped OSV 1.6 schema (jsonschema when installed, else the test's own validator)."""
    try:
        import jsonschema
    except ImportError:
        from jsonschema_lite import validate

        return validate(doc, OSV_SCHEMA)
    return [e.message for e in jsonschema.Draft202012Validator(OSV_SCHEMA).iter_errors(doc)]


def test_osv_reports_of_confirmed_alerts_validate(db: Path, tmp_path: Path, engine: Engine, capsys) -> None:
    from confuguard.names import parse
    from confuguard.types import PackageMetadata

    with Store.open(db) as st:
        engine.judge.store = st
        hf = engine.check_name("meta-llamma/Llama-3.1-8B", Ecosystem.HUGGINGFACE).candidates[0]
        st.commit_sweep(st.start_run("test"), "2026-11-02T00:00:00Z", [],
                        [alert_row(parse("meta-llamma/Llama-3.1-8B", Ecosystem.HUGGINGFACE), hf, "m1")])
        st.put_metadata(PackageMetadata(parse("reqeusts", Ecosystem.PYPI), source="live", latest_version="2.99.0"))
    out = tmp_path / "a.csv"
    with Store.open(db) as st:
        export(st, out)
    _fill(out, {"reqeusts": ("malicious", 'steals <tokens> & "env"'), "lodahs": ("malicious", ""),
                "numpyy": ("benign", ""), "meta-llamma/Llama-3.1-8B": ("malicious", "pickle payload")})
    assert main(["alerts", "import", str(out), "--db", str(db), "--analyst", "ana"]) == 0
    capsys.readouterr()
    rep = tmp_path / "osv"
    assert main(["alerts", "report", "--verdict", "malicious", "--format", "osv", "--out", str(rep), "--db", str(db)]) == 0
    err = capsys.readouterr().err
    assert "2 OSV records written" in err and "OSV has no huggingface ecosystem" in err
    docs = {p.name: json.loads(p.read_text()) for p in sorted(rep.glob("*.json"))}
    assert len(docs) == 2 and all(n.startswith("MAL-0000-confuguard-") for n in docs)
    for doc in docs.values():
        assert osv_errors(doc) == [], osv_errors(doc)
    by_name = {d["affected"][0]["package"]["name"]: d for d in docs.values()}
    req, lod = by_name["reqeusts"], by_name["lodahs"]
    assert req["affected"][0]["package"] == {"ecosystem": "PyPI", "name": "reqeusts", "purl": "pkg:pypi/reqeusts"}
    assert req["affected"][0]["versions"] == ["2.99.0"] and "versions" not in lod["affected"][0]
    assert req["affected"][0]["ranges"] == [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]
    assert lod["affected"][0]["package"]["ecosystem"] == "npm"
    spec = req["database_specific"]
    assert spec["imitates"]["name"] == "requests" and "typo" in spec["categories"]
    assert spec["analyst_note"] == 'steals <tokens> & "env"'
    assert {"name": "ana", "type": "ANALYST"} in req["credits"]
    assert req["schema_version"] == "1.6.0" and req["modified"].endswith("Z")


@pytest.mark.parametrize("breakage", [
    lambda d: d.pop("id"),
    lambda d: d.update(id="MALWARE-1"),
    lambda d: d["affected"][0]["package"].update(ecosystem="HuggingFace"),
    lambda d: d.update(modified="yesterday"),
    lambda d: d["credits"].append({"name": "x", "type": "FRIEND"}),
    lambda d: d["affected"][0]["ranges"][0].update(events=[{"fixed": "1.0"}]),
    lambda d: d["affected"][0]["package"].pop("name"),
])
def test_the_schema_check_rejects_broken_records(breakage) -> None:
    from confuguard.formats import osv
    from confuguard.types import Alert, AlertRecord

    alert = AlertRecord(Alert(id=7, ecosystem="pypi", suspect_key="reqeusts", suspect="reqeusts", target_key="requests",
                              target="requests", target_rank=6, categories=("typo",), edit_distance=None,
                              embedding_similarity=None, first_seen="2026-11-01T00:00:00Z", reasons=("1 edit",),
                              analyst_note="", analyst="ana", verdict_recorded_at="2026-11-02T00:00:00Z",
                              threat_probability=0.9, verdict="suspicious", model_version="m"),
                        suspect_purl="pkg:pypi/reqeusts", target_purl="pkg:pypi/requests")
    doc = osv.record(alert, None, now="2026-11-03T00:00:00Z")
    assert osv_errors(doc) == []
    breakage(doc)
    assert osv_errors(doc)


# -- the analyst's page ---------------------------------------------------------------------------------------------

HOSTILE_SUMMARY = '<script>alert("x")</script> \' " & \u202edlrow\u202c \x1b[31mred\x07 <img src=x onerror=alert(1)>'


@pytest.fixture
def page_db(db: Path, engine: Engine) -> Path:
    """The alert store with hostile metadata for the suspect and real-looking metadata for the target."""
    from datetime import UTC, datetime

    from confuguard.names import parse
    from confuguard.types import PackageMetadata

    with Store.open(db) as st:
        st.put_metadata(PackageMetadata(
            parse("reqeusts", Ecosystem.PYPI), source="live", summary=HOSTILE_SUMMARY,
            maintainers=('"><b>owner</b>', "evil\u2066user"), repository_url="javascript:alert(1)//<x>",
            created=datetime(2026, 11, 1, tzinfo=UTC), downloads=12, downloads_window="last-month",
            latest_version="2.99.0", version_count=1, install_scripts=True,
            install_behaviour=("cmdclass", "runs-commands", "downloads"), account_packages=1,
            extra={"install_hook": "read setup.py of reqeusts-2.99.0.tar.gz: cmdclass, runs-commands, downloads",
                   "account": "newcomer publishes 1 package"}))
        st.put_metadata(PackageMetadata(
            parse("requests", Ecosystem.PYPI), source="live", summary="Python HTTP for Humans.",
            maintainers=("nateprewitt",), repository_url="https://github.com/psf/requests",
            created=datetime(2011, 2, 14, tzinfo=UTC), downloads=500_000_000, downloads_window="last-month",
            latest_version="2.32.3", version_count=157))
    return db


def _page(page_db: Path, engine: Engine, tmp_path: Path) -> str:
    from confuguard.alerts import export_html

    out = tmp_path / "alerts.html"
    with Store.open(page_db) as st:
        engine.judge.store = st
        assert export_html(st, out, engine=engine) == 5
    return out.read_text(encoding="utf-8")


def test_html_page_escapes_every_attacker_string(page_db: Path, engine: Engine, tmp_path: Path) -> None:
    text = _page(page_db, engine, tmp_path)
    assert "<script" not in text.lower() and "onerror=alert" not in text.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text and "&quot;&gt;&lt;b&gt;owner&lt;/b&gt;" in text
    assert not any(ch in text for ch in ("\u202e", "\u202c", "\u2066", "\x1b", "\x07"))
    assert "\\u202edlrow" in text and "\\x1b[31mred\\x07" in text and "evil\\u2066user" in text
    assert 'href="javascript' not in text and "<a " not in text            # URLs are text, never links
    assert "=HYPERLINK(&quot;http://evil.example/?x&quot;)" in text         # the hostile suspect name, as text
    assert "Content-Security-Policy" in text and "default-src 'none'" in text
    assert "http://" not in text.replace("http://evil.example", "")      # no external asset


def test_html_page_shows_the_pair_side_by_side_with_weights(page_db: Path, engine: Engine, tmp_path: Path) -> None:
    import re

    text = _page(page_db, engine, tmp_path)
    section = text[text.index("imitates requests"):]
    section = section[:section.index("</section>")]
    assert "req<mark>eu</mark>sts" in section or "req<mark>e</mark>u<mark></mark>" in section or "<mark>" in section
    assert "Python HTTP for Humans." in section and "nateprewitt" in section and "2.32.3" in section
    assert "500,000,000 (last-month)" in section and "install scripts" in section
    assert re.search(r'<td class="w (up|down)">[+-]\d+\.\d\d</td>', section)      # reasons carry weights
    assert "analyst_verdict" in section and '<span class="cat">typo</span>' in section


def test_cli_exports_the_html_page(page_db: Path, engine: Engine, tmp_path: Path, capsys, monkeypatch) -> None:
    # the fixture's engine (no embeddings) instead of the full one: same code path, no index build here
    def build_engine(*, store, **_):
        engine.judge.store = store
        return engine

    monkeypatch.setattr("confuguard.app.build_engine", build_engine)
    out = tmp_path / "page.html"
    assert main(["alerts", "export", "--db", str(page_db), "--format", "html", "--out", str(out)]) == 0
    assert "5 open alerts written" in capsys.readouterr().err
    assert out.read_text().startswith("<!DOCTYPE html>")


def test_serve_ui_page_is_off_unless_enabled(page_db: Path, engine: Engine) -> None:
    from test_service import Served

    from confuguard.alerts import alert_page
    from confuguard.service import create_app

    with Store.open(page_db) as st:
        engine.judge.store = st
        first = st.alert_rows()[0].id
        plain = Served(create_app(engine, warm=[Ecosystem.PYPI]))
        ui = Served(create_app(engine, warm=[Ecosystem.PYPI], ui=lambda i: alert_page(st, i, engine=engine)))
        try:
            plain.wait_ready()
            ui.wait_ready()
            assert plain.client.get(f"/ui/alerts/{first}").status_code == 404
            r = ui.client.get(f"/ui/alerts/{first}")
            assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
            assert "default-src 'none'" in r.headers["content-security-policy"]
            assert f'id="alert-{first}"' in r.text and "<script" not in r.text.lower()
            for bad in ("999999", "99999999999999999999999", "0", "-1"):
                assert ui.client.get(f"/ui/alerts/{bad}").status_code == 404
            assert ui.client.get("/ui/alerts/abc").status_code == 422
            metrics = ui.client.get("/metrics").text
            assert 'endpoint="/ui/alerts/{id}"' in metrics and "/ui/alerts/999999" not in metrics
        finally:
            plain.stop()
            ui.stop()


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@pytest.mark.slow
def test_html_page_in_headless_chromium(page_db: Path, engine: Engine, tmp_path: Path) -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip("Chromium is not installed (Debian: apt-get install chromium); the page was not checked in a browser")
    page = tmp_path / "alerts.html"
    page.write_text(_page(page_db, engine, tmp_path))
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([chromium, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    assert dom.count('<section class="alert"') == 5
    assert "<script" not in dom.lower() and "&lt;script&gt;" in dom       # the hostile summary stayed text
    assert "<mark>" in dom and "Python HTTP for Humans." in dom
    shot = tmp_path / "shot.png"
    subprocess.run([chromium, *flags, "--window-size=1280,2400", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=120)
    data = shot.read_bytes()
    assert _png_size(data) == (1280, 2400) and len(data) > 40_000     # a rendered page, not a blank one


def test_html_page_shows_what_the_install_code_does_and_the_account(page_db: Path, engine: Engine, tmp_path: Path) -> None:
    text = _page(page_db, engine, tmp_path)
    section = text[text.index("imitates requests"):]
    section = section[:section.index("</section>")]
    assert "install code" in section and "read setup.py of reqeusts-2.99.0.tar.gz" in section
    assert "newcomer publishes 1 package" in section
    assert "its setup.py downloads and runs code at install, in a brand-new lookalike" in section


def test_import_of_a_huge_file_of_unknown_ids_is_reported_not_a_crash(db: Path, tmp_path: Path, capsys) -> None:
    big = tmp_path / "big.csv"
    rows = "".join(f"{i},pypi,x{i},y,benign,\n" for i in range(10_000, 50_000))
    big.write_text("alert_id,registry,suspect,target,analyst_verdict,analyst_note\n" + rows)
    assert main(["alerts", "import", str(big), "--db", str(db)]) == 2
    captured = capsys.readouterr()
    assert "40000 refused" in captured.out and "Traceback" not in captured.err
