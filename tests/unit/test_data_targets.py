"""The bundled popular-target lists data/popular/<registry>.tsv: format, sizes, validity, sanity."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from confuguard import names
from confuguard.types import Ecosystem

POPULAR = Path(__file__).resolve().parents[2] / "data" / "popular"
MINIMUM = {
    Ecosystem.NPM: 20000,
    Ecosystem.PYPI: 14900,
    Ecosystem.RUBYGEMS: 1000,
    Ecosystem.MAVEN: 1000,
    Ecosystem.GOLANG: 1000,
    Ecosystem.HUGGINGFACE: 500,
}
#: (any of these names, must be within this rank)
FAMOUS = {
    Ecosystem.PYPI: [(("requests",), 100), (("numpy",), 100), (("boto3",), 10)],
    Ecosystem.NPM: [(("lodash",), 500), (("react",), 1000), (("@types/node",), 500)],
    Ecosystem.RUBYGEMS: [(("rails",), 100), (("rake",), 50), (("nokogiri",), 100)],
    Ecosystem.MAVEN: [(("junit:junit",), 50), (("com.google.guava:guava",), 50), (("org.slf4j:slf4j-api",), 50)],
    Ecosystem.GOLANG: [(("github.com/stretchr/testify",), 50), (("golang.org/x/net",), 20), (("gopkg.in/yaml.v3",), 50)],
    Ecosystem.HUGGINGFACE: [
        (("bert-base-uncased", "google-bert/bert-base-uncased"), 50),
        (("sentence-transformers/all-MiniLM-L6-v2",), 20),
        (("openai/whisper-large-v3",), 200),
    ],
}


@cache
def _read(eco: Ecosystem) -> tuple[list[str], list[str], list[list[str]]]:
    """(comment lines, [header], rows split on tabs)."""
    lines = (POPULAR / f"{eco.value}.tsv").read_text(encoding="utf-8").splitlines()
    comments = []
    while lines and lines[0].startswith("#"):
        comments.append(lines.pop(0))
    return comments, lines[:1], [ln.split("\t") for ln in lines[1:]]


ECOS = list(Ecosystem)


@pytest.mark.parametrize("eco", ECOS, ids=lambda e: e.value)
def test_file_exists_and_is_small(eco: Ecosystem) -> None:
    path = POPULAR / f"{eco.value}.tsv"
    assert path.is_file()
    assert path.stat().st_size < 5 * 1024 * 1024


@pytest.mark.parametrize("eco", ECOS, ids=lambda e: e.value)
def test_comments_and_header(eco: Ecosystem) -> None:
    comments, header, _ = _read(eco)
    assert comments, "leading comment lines expected"
    assert all(c.startswith("# ") for c in comments)
    assert any(c.startswith("# source: ") for c in comments)
    assert any(c.startswith("# built: ") and "scripts/build_targets.py" in c for c in comments)
    assert header == ["name\trank\tpopularity"]


@pytest.mark.parametrize("eco", ECOS, ids=lambda e: e.value)
def test_rows_ranks_and_popularity(eco: Ecosystem) -> None:
    _, _, rows = _read(eco)
    assert len(rows) >= MINIMUM[eco]
    assert all(len(r) == 3 for r in rows)
    assert [int(r[1]) for r in rows] == list(range(1, len(rows) + 1))
    for r in rows:
        if r[2]:
            float(r[2])
    if eco is Ecosystem.NPM:
        downloads = [int(r[2]) for r in rows]
        assert downloads == sorted(downloads, reverse=True)
    if eco is Ecosystem.PYPI:
        ranks = [int(r[2]) for r in rows]
        assert ranks == sorted(ranks) and ranks[-1] <= 15000


@pytest.mark.parametrize("eco", ECOS, ids=lambda e: e.value)
def test_names_parse_with_unique_keys(eco: Ecosystem) -> None:
    _, _, rows = _read(eco)
    keys = set()
    for name, _, _ in rows:
        pkg = names.parse(name, eco)
        assert names.display(pkg) == name, name
        k = names.key(pkg)
        assert k not in keys, f"duplicate key {k} ({name})"
        keys.add(k)


@pytest.mark.parametrize("eco", ECOS, ids=lambda e: e.value)
def test_famous_names_rank_high(eco: Ecosystem) -> None:
    _, _, rows = _read(eco)
    rank = {r[0]: int(r[1]) for r in rows}
    for choices, limit in FAMOUS[eco]:
        found = [rank[c] for c in choices if c in rank]
        assert found, f"none of {choices} in {eco.value}"
        assert min(found) <= limit, f"{choices} ranked {min(found)} > {limit}"


def test_go_names_are_module_roots() -> None:
    _, _, rows = _read(Ecosystem.GOLANG)
    for name, _, _ in rows:
        pkg = names.parse(name, Ecosystem.GOLANG)
        if pkg.namespace and ("/" in pkg.namespace or pkg.namespace == "gopkg.in"):
            assert pkg.subpath is None, name


# --- the build script's helpers (no inputs needed) ---------------------------------------

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


@pytest.fixture(scope="module")
def build():  # noqa: ANN201
    import importlib
    import sys

    sys.path.insert(0, str(SCRIPTS))
    try:
        yield importlib.import_module("build_targets")
    finally:
        sys.path.remove(str(SCRIPTS))


@pytest.mark.parametrize(
    ("stem", "gem"),
    [
        ("net-http-persistent-4.0.1", "net-http-persistent"),
        ("nokogiri-1.15.4-x86_64-linux", "nokogiri"),
        ("rails-7.0.8", "rails"),
        ("no_version", None),
    ],
)
def test_gemspec_name(build, stem: str, gem: str | None) -> None:  # noqa: ANN001
    assert build.src.gemspec_name(stem) == gem


@pytest.mark.parametrize(
    ("raw", "kind", "module"),
    [
        ("github.com/go-redis/redis/v8", "module", "github.com/go-redis/redis"),
        ("github.com/aws/aws-sdk-go-v2/service/s3", "module", "github.com/aws/aws-sdk-go-v2"),
        ("golang.org/x/net/http2", "import", "golang.org/x/net"),
        ("gopkg.in/yaml.v3", "module", "gopkg.in/yaml.v3"),
        ("gonum.org/v1/gonum", "module", "gonum.org/v1/gonum"),
        ("go.etcd.io/etcd/client/v3", "module", "go.etcd.io/etcd/client"),
        ("go.uber.org/zap/zapcore", "import", "go.uber.org/zap"),
    ],
)
def test_go_module_reduction(build, raw: str, kind: str, module: str) -> None:  # noqa: ANN001
    pkg, shown = build.go_module(names.parse(raw, Ecosystem.GOLANG), raw, kind)
    assert shown == module
    assert names.display(pkg) == module


def test_target_list_drops_invalid_and_duplicates(build) -> None:  # noqa: ANN001
    tl = build.TargetList(Ecosystem.PYPI, limit=3)
    s = tl.add("t", [("Requests", "1"), ("requests", "2"), ("-bad-", "3"), ("numpy", "4"), ("six", "5"), ("x", "6")])
    assert [r[0] for r in tl.rows] == ["Requests", "numpy", "six"]
    assert (s.added, s.invalid, s.duplicate) == (3, 1, 1)
