"""The bundled popular-target lists data/popular/<registry>.tsv: format, sizes, validity, sanity."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from confuguard import names
from confuguard.types import Ecosystem

POPULAR = Path(__file__).resolve().parent.parent / "data" / "popular"
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
