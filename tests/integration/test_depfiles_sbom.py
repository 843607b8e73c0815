"""SBOM input of `confuguard scan`: CycloneDX 1.4-1.6 (JSON, XML) and SPDX 2.3 (JSON, tag-value).

The fixtures in tests/fixtures/sbom/ are shaped like the output of the usual generators
(cyclonedx-npm, syft, cdxgen, the CycloneDX Maven plugin, spdx-sbom-generator), each with
planted lookalikes and with components that have no purl or a purl of another type.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_scan_cli import FakeEngine

from confuguard.commands import scan
from confuguard.depfiles import detect_format, discover, parse_file
from confuguard.depfiles.base import Collector, FileFormatError, ParseOutcome
from confuguard.depfiles.sbom import parse_sbom
from confuguard.formats import sarif

SBOMS = Path(__file__).parent.parent / "fixtures" / "sbom"

#: file -> planted lookalikes (registry, display name, purl prefix, imitated package)
PLANTED: dict[str, list[tuple[str, str, str, str]]] = {
    "webapp-1.4.cdx.json": [("npm", "lodahs", "pkg:npm/lodahs@", "lodash")],
    "service-1.5.cdx.json": [("pypi", "reqeusts", "pkg:pypi/reqeusts@", "requests")],
    "platform-1.6.cdx.json": [
        ("maven", "org.fasterxml.jackson.core:jackson-databind", "pkg:maven/org.fasterxml.jackson.core/jackson-databind@",
         "com.fasterxml.jackson.core:jackson-databind"),
        ("golang", "github.com/boltdb-go/bolt", "pkg:golang/github.com/boltdb-go/bolt@", "github.com/boltdb/bolt"),
        ("huggingface", "meta-llamma/Llama-3.1-8B", "pkg:huggingface/meta-llamma/Llama-3.1-8B@", "meta-llama/Llama-3.1-8B"),
    ],
    "gateway.cdx.xml": [
        ("npm", "lodahs", "pkg:npm/lodahs@", "lodash"),
        ("pypi", "reqeusts", "pkg:pypi/reqeusts@", "requests"),
    ],
    "worker.spdx.json": [
        ("pypi", "reqeusts", "pkg:pypi/reqeusts@", "requests"),
        ("npm", "lodahs", "pkg:npm/lodahs@", "lodash"),
    ],
    "frontend.spdx": [
        ("npm", "lodahs", "pkg:npm/lodahs@", "lodash"),
        ("pypi", "reqeusts", "pkg:pypi/reqeusts@", "requests"),
    ],
}
#: file -> (components checked, reasons of the skipped ones)
COUNTS: dict[str, tuple[int, dict[str, int]]] = {
    "webapp-1.4.cdx.json": (5, {"no purl": 2}),
    "service-1.5.cdx.json": (4, {"no purl": 1, "unsupported purl type deb": 2}),
    "platform-1.6.cdx.json": (8, {"no purl": 1, "malformed purl": 1, "unsupported purl type github": 1}),
    "gateway.cdx.xml": (4, {"no purl": 1, "unsupported purl type rpm": 1}),
    "worker.spdx.json": (4, {"no purl": 2, "unsupported purl type apk": 1}),
    "frontend.spdx": (4, {"no purl": 1}),
}
TOTAL_SKIPPED = sum(sum(r.values()) for _, r in COUNTS.values())


def purl_line(file: Path, prefix: str) -> int:
    """Line of the component's purl (not of a bom-ref that happens to contain it), found independently of the parser."""
    for lineno, ln in enumerate(file.read_text().splitlines(), start=1):
        if prefix in ln and re.search(r'"purl"|<purl>|referenceLocator|\bpurl pkg:', ln):
            return lineno
    raise AssertionError(f"{prefix} not in {file}")


def planted_targets() -> dict[tuple[str, str], str]:
    return {(reg, name): target for entries in PLANTED.values() for reg, name, _, target in entries}


class SbomEngine(FakeEngine):
    """Flags exactly the lookalikes planted in the SBOM fixtures."""

    def __init__(self) -> None:
        super().__init__()
        self.targets = planted_targets()


@pytest.fixture
def engine(monkeypatch):
    monkeypatch.setattr(scan, "ENGINE_FACTORY", SbomEngine)


def run(paths, fmt="table", output=None) -> int:
    return scan.handler(argparse.Namespace(paths=[str(p) for p in paths], format=fmt, output=output))


# --- the parser -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_each_sbom_yields_its_components_with_purl_lines(name):
    file = SBOMS / name
    assert detect_format(file) == "sbom"
    out = parse_file(file)
    assert out.errors == []
    checked, reasons = COUNTS[name]
    assert len(out.dependencies) == checked
    by_name = {(d.ecosystem.value, d.name): d for d in out.dependencies}
    for registry, display, prefix, _ in PLANTED[name]:
        dep = by_name[(registry, display)]
        assert dep.line == purl_line(file, prefix)
        assert dep.raw.startswith(prefix) and dep.ref
    got_reasons: dict[str, int] = {}
    for s in out.skipped:
        got_reasons[s.reason] = got_reasons.get(s.reason, 0) + 1
        assert s.file == file and s.line >= 1 and s.name
    assert got_reasons == reasons


def test_refs_are_the_bom_ref_and_the_spdxid():
    cdx = {d.name: d for d in parse_file(SBOMS / "webapp-1.4.cdx.json").dependencies}
    assert cdx["lodahs"].ref == "lodahs@4.17.21"
    assert cdx["body-parser"].ref == "express@4.19.2|body-parser@1.20.2"  # nested components are read
    assert cdx["@babel/core"].line == purl_line(SBOMS / "webapp-1.4.cdx.json", "pkg:npm/%40babel/core@")
    spdx = {d.name: d for d in parse_file(SBOMS / "frontend.spdx").dependencies}
    assert spdx["lodahs"].ref == "SPDXRef-Package-lodahs-4.17.21"
    xml = {d.name: d for d in parse_file(SBOMS / "gateway.cdx.xml").dependencies}
    assert xml["reqeusts"].ref == "pkg:pypi/reqeusts@2.32.3"  # nested <components> too


def test_the_described_subject_and_the_generator_tools_are_not_dependencies():
    webapp = [d.name for d in parse_file(SBOMS / "webapp-1.4.cdx.json").dependencies]
    assert "webapp" not in webapp
    gateway = [d.name for d in parse_file(SBOMS / "gateway.cdx.xml").dependencies]
    assert not [n for n in gateway if "gateway" in n or "cyclonedx" in n]


def test_spdx_text_blocks_are_not_read_as_tags():
    names = [d.name for d in parse_file(SBOMS / "frontend.spdx").dependencies]
    assert "not-a-package" not in names and "this-line-is-inside-a-comment" not in names
    assert names == ["lodash", "lodahs", "@types/node", "reqeusts"]


def test_discovery_by_name_and_explicit_files_by_content(tmp_path):
    found = {f.name for f in discover([SBOMS])}
    assert found == set(PLANTED)
    for name in ("bom.json", "bom.xml", "sbom.json", "app.cdx.xml", "x.bom.json", "image.spdx.json", "app.spdx"):
        assert detect_format(tmp_path / name) == "sbom", name
    # An SBOM under another name: not walked into, but read when given directly.
    shutil.copy(SBOMS / "worker.spdx.json", tmp_path / "export-2024-07.json")
    shutil.copy(SBOMS / "gateway.cdx.xml", tmp_path / "gateway-sbom.xml")
    (tmp_path / "settings.json").write_text('{"theme": "dark"}\n')
    assert discover([tmp_path]) == []
    for name in ("export-2024-07.json", "gateway-sbom.xml"):
        out = parse_file(tmp_path / name)
        assert out.format == "sbom" and out.errors == [] and len(out.dependencies) == 4
    assert parse_file(tmp_path / "settings.json").errors[0].message.startswith("not a supported dependency file")


@pytest.mark.parametrize(
    "name, text, message, line",
    [
        ("bom.json", '{"bomFormat": "CycloneDX",\n "components": [', "invalid JSON", 2),
        ("bom.json", '{"name": "not an sbom"}', "not a CycloneDX or SPDX document", 1),
        ("bom.json", "[1, 2]", "not a CycloneDX or SPDX document", 1),
        ("x.spdx.json", '{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}', "SPDX 3", 1),
        ("x.spdx.json", '{"spdxVersion": "SPDX-3.0", "packages": []}', "unsupported SPDX version", 1),
        ("x.spdx", "SPDXVersion: SPDX-2.3\nPackageName: a\n!!! garbage\n", "not an SPDX `Tag: value` line", 3),
        ("x.spdx", "just some words\n", "not a CycloneDX (JSON/XML) or SPDX", 1),
        ("bom.xml", "<project><dependencies/></project>", "not a CycloneDX document", 1),
        ("bom.xml", "<bom><components><component>", "invalid XML", 1),
        (
            "bom.xml",
            '<?xml version="1.0"?>\n<!DOCTYPE bom [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>\n'
            "<bom><components><component><name>&b;</name><purl>pkg:npm/x</purl></component></components></bom>",
            "DOCTYPE and entity declarations are not allowed",
            2,
        ),
    ],
)
def test_malformed_documents_are_one_error_with_the_line(tmp_path, name, text, message, line):
    f = tmp_path / name
    f.write_text(text)
    out = parse_file(f)
    assert len(out.errors) == 1, out.errors
    assert message in out.errors[0].message and out.errors[0].line == line
    assert not out.errors[0].message.startswith("could not read file")


def test_component_with_a_purl_invalid_for_its_registry_is_an_invalid_name(tmp_path):
    f = tmp_path / "bom.json"
    f.write_text(json.dumps({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
        {"name": "x", "purl": "pkg:pypi/r%D0%B5quests@1.0"},  # Cyrillic 'е'
        {"name": "y", "purl": "pkg:maven/no-group@1"},
    ]}, indent=1))
    out = parse_file(f)
    assert out.dependencies == [] and out.skipped == []
    assert [e.kind for e in out.errors] == ["invalid-name", "invalid-name"]


# --- scan: table, JSON, SARIF ----------------------------------------------------------------


def test_scan_table_reports_the_lookalikes_and_the_skipped_count(engine, capsys):
    assert run([SBOMS]) == 1
    captured = capsys.readouterr()
    planted = sum(len(v) for v in PLANTED.values())
    checked = sum(n for n, _ in COUNTS.values())
    assert captured.out.rstrip().endswith(
        f"{checked} dependencies in {len(PLANTED)} files: {planted} suspicious, "
        f"{TOTAL_SKIPPED} SBOM components skipped (no purl of a supported type)"
    )
    for name, entries in PLANTED.items():
        for _, display, prefix, _ in entries:
            assert f"{name}:{purl_line(SBOMS / name, prefix)} " in captured.out
    notes = [ln for ln in captured.err.splitlines() if ln.startswith("confuguard: note:")]
    assert len(notes) == len(COUNTS)
    assert any(
        "service-1.5.cdx.json: 3 SBOM components skipped (2 unsupported purl type deb, 1 no purl)" in n for n in notes
    )
    assert "warning" not in captured.err


def test_scan_json_lists_suspicious_with_location_and_skipped_records(engine, capsys):
    assert run([SBOMS], "json") == 1
    docs = json.loads(capsys.readouterr().out)
    suspicious = sorted((Path(d["file"]).name, d["line"], d["name"]) for d in docs if d["verdict"] == "suspicious")
    expected = sorted(
        (name, purl_line(SBOMS / name, prefix), display) for name, e in PLANTED.items() for _, display, prefix, _ in e
    )
    assert suspicious == expected
    assert all(d["ref"] for d in docs if d["verdict"] == "suspicious")
    skipped = [d for d in docs if d["verdict"] == "skipped"]
    assert len(skipped) == TOTAL_SKIPPED
    deb = [d for d in skipped if d["name"] == "libssl3"]
    assert deb[0]["purl"].startswith("pkg:deb/debian/libssl3@") and deb[0]["reasons"] == [
        "not checked: unsupported purl type deb"
    ]


def test_scan_sarif_points_at_the_component(engine, capsys, tmp_path):
    out = tmp_path / "report.sarif"
    assert run([SBOMS], "sarif", str(out)) == 1
    log = json.loads(out.read_text())
    (run_,) = log["runs"]
    results = [r for r in run_["results"] if r["ruleId"] == sarif.RULE_CONFUSION]
    got = {}
    for r in results:
        (loc,) = r["locations"]
        phys = loc["physicalLocation"]
        got[(phys["artifactLocation"]["uri"], phys["region"]["startLine"])] = loc["logicalLocations"][0]["name"]
    expected_refs = {
        ("frontend.spdx", purl_line(SBOMS / "frontend.spdx", "pkg:npm/lodahs@")): "SPDXRef-Package-lodahs-4.17.21",
        ("webapp-1.4.cdx.json", purl_line(SBOMS / "webapp-1.4.cdx.json", "pkg:npm/lodahs@")): "lodahs@4.17.21",
        ("gateway.cdx.xml", purl_line(SBOMS / "gateway.cdx.xml", "pkg:pypi/reqeusts@")): "pkg:pypi/reqeusts@2.32.3",
    }
    assert len(got) == sum(len(v) for v in PLANTED.values())
    for key, ref in expected_refs.items():
        assert got[key] == ref
    assert run_["properties"]["skippedComponentCount"] == TOTAL_SKIPPED
    notes = [n for n in run_["invocations"][0]["toolExecutionNotifications"] if n["descriptor"]["id"] == sarif.NOTIFICATION_SKIPPED]
    assert len(notes) == len(COUNTS) and all(n["level"] == "note" for n in notes)
    platform = [n for n in notes if n["message"]["text"].startswith("platform-1.6.cdx.json:")]
    assert platform[0]["message"]["text"].endswith(
        "3 SBOM components skipped (1 malformed purl, 1 no purl, 1 unsupported purl type github)"
    )


def test_scan_accepts_an_sbom_given_directly_under_any_name(engine, capsys, tmp_path):
    f = tmp_path / "image-sbom-export.json"
    shutil.copy(SBOMS / "service-1.5.cdx.json", f)
    assert run([f], "json") == 1
    docs = json.loads(capsys.readouterr().out)
    assert [(d["name"], d["line"]) for d in docs if d["verdict"] == "suspicious"] == [
        ("reqeusts", purl_line(f, "pkg:pypi/reqeusts@"))
    ]


@pytest.mark.slow
def test_real_engine_flags_exactly_the_planted_lookalikes(tmp_path):
    """The real engine (bundled targets) on every SBOM: the planted names, and only they, are suspicious."""
    out = tmp_path / "report.json"
    assert run([SBOMS], "json", str(out)) == 1
    docs = json.loads(out.read_text())
    flagged = sorted((Path(d["file"]).name, d["line"], d["name"]) for d in docs if d["verdict"] == "suspicious")
    expected = sorted(
        (name, purl_line(SBOMS / name, prefix), display) for name, e in PLANTED.items() for _, display, prefix, _ in e
    )
    assert flagged == expected
    for d in docs:
        if d["verdict"] == "suspicious":
            target = planted_targets()[(d["registry"], d["name"])]
            assert target in [c["target"] for c in d["candidates"]], d["name"]


# --- fuzz -------------------------------------------------------------------------------------

_scalars = st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=12)
_purls = st.sampled_from(["pkg:npm/lodahs@1", "pkg:pypi/reqeusts", "pkg:deb/x/y", "pkg:", "pkg:maven/a", "x"]) | st.text(max_size=20)
_json_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=8)
_component = st.fixed_dictionaries(
    {}, optional={"name": _scalars, "group": _scalars, "purl": _purls | _scalars, "bom-ref": _scalars, "components": _json_values}
)
_cyclonedx = st.fixed_dictionaries(
    {"bomFormat": st.just("CycloneDX")}, optional={"specVersion": _scalars, "components": st.lists(_component, max_size=4) | _json_values}
)
_spdx_pkg = st.fixed_dictionaries(
    {},
    optional={
        "name": _scalars,
        "SPDXID": _scalars,
        "externalRefs": st.lists(
            st.fixed_dictionaries({}, optional={"referenceType": st.sampled_from(["purl", "cpe23Type"]) | _scalars, "referenceLocator": _purls | _scalars}),
            max_size=3,
        )
        | _json_values,
    },
)
_spdx = st.fixed_dictionaries(
    {"spdxVersion": st.sampled_from(["SPDX-2.3", "SPDX-2.2", "SPDX-3.0"]) | st.text(max_size=8)},
    optional={"packages": st.lists(_spdx_pkg, max_size=4) | _json_values},
)
_tag_lines = st.lists(
    st.sampled_from(["SPDXVersion: SPDX-2.3", "PackageName: lodahs", "SPDXID: SPDXRef-1", "ExternalRef: PACKAGE-MANAGER purl pkg:npm/lodahs@1",
                     "ExternalRef: PACKAGE-MANAGER purl", "PackageSummary: <text>a", "</text>", "FileName: ./a", "", "#", "::"])
    | st.text(max_size=30),
    max_size=12,
)
_xml = st.lists(
    st.sampled_from(["<bom>", "</bom>", "<components>", "</components>", "<component bom-ref='r'>", "</component>",
                     "<purl>pkg:npm/lodahs@1</purl>", "<purl>", "</purl>", "<name>x</name>", "&amp;", "<![CDATA[<]]>"])
    | st.text(max_size=10),
    max_size=14,
).map("".join)
_documents = (
    (_cyclonedx | _spdx).map(lambda d: json.dumps(d, indent=1))
    | _tag_lines.map("\n".join)
    | _xml
    | st.text(max_size=200)
)


def _check_outcome(out: ParseOutcome, text: str) -> None:
    n_lines = max(1, len(text.splitlines()) + 1)
    for e in out.errors:
        assert 1 <= e.line <= n_lines and e.message and not e.message.startswith("could not read file ("), e
    for d in out.dependencies:
        assert 1 <= d.line <= n_lines and d.package.ecosystem is d.ecosystem
    for s in out.skipped:
        assert 1 <= s.line <= n_lines and s.reason


@settings(max_examples=150, deadline=None)
@given(text=_documents)
def test_parser_raises_nothing_but_file_format_errors(text):
    file = Path("bom.json")
    out = Collector(ParseOutcome(file, "sbom"))
    try:
        parse_sbom(file, text, out)
    except FileFormatError as exc:
        assert exc.line >= 1 and str(exc)
    _check_outcome(out.finish(), text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(sorted(PLANTED)),
    cut=st.tuples(st.integers(0, 4000), st.integers(0, 60)),
    junk=st.text(max_size=8),
)
def test_damaged_fixtures_never_crash_parse_file(tmp_path, name, cut, junk):
    text = (SBOMS / name).read_text()
    start, length = cut
    damaged = text[:start] + junk + text[start + length:]
    f = tmp_path / name
    f.write_text(damaged)
    _check_outcome(parse_file(f), damaged)
