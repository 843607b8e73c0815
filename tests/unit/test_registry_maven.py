"""Maven Central: maven-metadata.xml + POM + Solr mapping, relocation, feed ties at page boundaries."""

from __future__ import annotations

import httpx
import pytest
from confuguard.registries.maven import MavenRegistry
from fakeregistry import fixture_bytes, fixture_json, routed

from confuguard.errors import MalformedResponse
from confuguard.names import parse
from confuguard.types import Ecosystem

REPO = "repo1.maven.org/maven2/com/example/legacy/widget-core"
SEARCH = "central.sonatype.com/solrsearch/select"
PKG = parse("com.example.legacy:widget-core", Ecosystem.MAVEN)


def full_routes() -> dict:
    return {f"{REPO}/maven-metadata.xml": fixture_bytes("maven/maven-metadata.xml"),
            f"{REPO}/1.4.0/widget-core-1.4.0.pom": fixture_bytes("maven/widget-core-1.4.0.pom"),
            SEARCH: fixture_json("maven/search-gav.json")}


def test_artifact_mapping() -> None:
    m = MavenRegistry(routed(full_routes())).metadata(PKG)
    assert m.summary == "Moved; see new coordinates" and m.extra["name"] == "Widget Core"
    assert (m.latest_version, m.version_count, m.dependency_count) == ("1.4.0", 2, 1)
    assert m.maintainers is None and m.extra["developers"] == "Dev One" and m.license == "Apache-2.0"
    assert m.repository_url == m.homepage_url == "https://github.com/example/widget"
    assert m.relocated_to == "com.example:widget-core" and m.extra["relocation_message"] == "Renamed"
    assert m.created.timestamp() == 1789713600 and m.latest_release.timestamp() == 1789800000
    assert m.downloads is None


def test_pom_without_description_and_no_search() -> None:
    routes = full_routes()
    routes[f"{REPO}/1.4.0/widget-core-1.4.0.pom"] = b"<project><groupId>g</groupId><artifactId>widget-core</artifactId></project>"
    routes[SEARCH] = lambda r: httpx.Response(503)
    m = MavenRegistry(routed(routes)).metadata(PKG)
    assert m.summary is None and m.license is None and m.maintainers is None and m.dependency_count == 0
    # lastUpdated is written by the publisher's deploy tooling: kept for analysts, never a release date
    assert m.created is None and m.latest_release is None and m.extra["last_updated"] == "20260919120000"
    assert "search" in m.extra["errors"]


def test_not_found_and_hostile_xml() -> None:
    assert MavenRegistry(routed({})).metadata(PKG) is None
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><metadata>&lol;</metadata>'
    with pytest.raises(MalformedResponse):
        MavenRegistry(routed({f"{REPO}/maven-metadata.xml": bomb})).metadata(PKG)
    with pytest.raises(MalformedResponse):
        MavenRegistry(routed({f"{REPO}/maven-metadata.xml": b"<metadata><versioning>"})).metadata(PKG)


def _solr(docs):
    def handler(request: httpx.Request) -> httpx.Response:
        p = request.url.params
        since = int(p["q"][len("timestamp:["):].split(" ")[0])
        hits = sorted((d for d in docs if d["timestamp"] >= since), key=lambda d: (d["timestamp"], d["id"]))
        start, rows = int(p["start"]), int(p["rows"])
        return httpx.Response(200, json={"response": {"numFound": len(hits), "docs": hits[start : start + rows]}})

    return handler


def test_feed_ties_across_pages_are_not_skipped_or_repeated() -> None:
    docs = [{"id": f"g:a{i}:1", "g": "org.acme", "a": f"a{i}", "v": "1", "timestamp": 1000 + i // 3} for i in range(10)]
    reg = MavenRegistry(routed({SEARCH: _solr(docs)}))
    cursor, seen = "1000|0", []
    for _ in range(20):
        page = reg.feed(cursor, limit=2)
        seen += [i.name for i in page.items]
        cursor = page.next_cursor
        if page.exhausted:
            break
    assert seen == [f"org.acme:a{i}" for i in range(10)]
    assert reg.feed(cursor, limit=2).items == ()


def test_feed_bad_docs_and_cursor() -> None:
    docs = {"response": {"docs": [{"g": "bad group!", "a": "x", "timestamp": 5}, {"g": "a", "a": "b"}]}}
    page = MavenRegistry(routed({SEARCH: docs})).feed("1|0")
    assert len(page.items) == 1 and page.items[0].package is None and len(page.errors) == 2
    with pytest.raises(MalformedResponse):
        MavenRegistry(routed({})).feed("nope")
    with pytest.raises(MalformedResponse):
        MavenRegistry(routed({SEARCH: {"response": {}}})).feed("1|0")


def test_parent_pom_fills_inherited_fields_and_bad_last_updated() -> None:
    routes = full_routes()
    routes[f"{REPO}/maven-metadata.xml"] = fixture_bytes("maven/maven-metadata.xml").replace(
        b"20260919120000", b"20261399999999")
    routes[f"{REPO}/1.4.0/widget-core-1.4.0.pom"] = (
        b"<project><parent><groupId>com.example</groupId><artifactId>parent</artifactId><version>7</version></parent>"
        b"<artifactId>widget-core</artifactId><description>own words</description></project>")
    routes["repo1.maven.org/maven2/com/example/parent/7/parent-7.pom"] = (
        b"<project><description>parent words</description><url>https://example.com</url>"
        b"<licenses><license><name>MIT</name></license></licenses><scm><url>https://git.example/p</url></scm></project>")
    routes[SEARCH] = {"response": {"docs": []}}
    m = MavenRegistry(routed(routes)).metadata(PKG)
    assert m.summary == "own words" and m.license == "MIT" and m.homepage_url == "https://example.com"
    assert m.repository_url == "https://git.example/p" and m.extra["parent"] == "com.example:parent:7"
    assert m.extra["inherited"] == "homepage,repo,license"
    assert m.latest_release is None and "errors" not in m.extra
