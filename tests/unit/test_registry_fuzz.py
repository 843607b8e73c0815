"""Hypothesis: no payload makes any registry parser raise anything but confuguard's own errors."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
from confuguard.registries import REGISTRIES
from confuguard.registries.golang import parse_gomod
from fakeregistry import fixture_bytes, fixture_json, routed
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confuguard.errors import ConfuguardError
from confuguard.names import parse
from confuguard.protocols import FeedPage, PopularList
from confuguard.types import Ecosystem, PackageMetadata

FUZZ = settings(max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "60")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
NOW = datetime(2026, 9, 20, tzinfo=UTC)

scalars = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
           | st.floats(allow_nan=True) | st.text(max_size=30))
json_values = st.recursive(scalars, lambda c: st.lists(c, max_size=4) | st.dictionaries(st.text(max_size=8), c, max_size=4),
                           max_leaves=20)

KEYS = {
    "npm/colorlog-utils.json": ["name", "description", "dist-tags", "versions", "time", "maintainers", "repository",
                                "homepage", "license", "readme"],
    "pypi/reqeusts-toolkit.json": ["info", "releases", "urls", "ownership", "last_serial"],
    "rubygems/activesupport-json.json": ["name", "downloads", "version", "version_created_at", "licenses", "metadata",
                                         "dependencies", "yanked", "info", "authors", "source_code_uri"],
    "huggingface/model.json": ["id", "author", "createdAt", "lastModified", "gated", "downloads", "likes", "tags",
                               "cardData", "siblings", "library_name", "sha"],
}


def mutated(fixture: str) -> st.SearchStrategy[Any]:
    """The fixture with some top-level (and one nested level of) values replaced by random JSON."""
    base = fixture_json(fixture)
    keys = KEYS[fixture]

    def apply(changes: dict[str, Any], inner: dict[str, Any]) -> Any:
        doc = json.loads(json.dumps(base))
        doc.update(changes)
        for v in doc.values():
            if isinstance(v, dict) and inner:
                v.update(inner)
                break
        return doc

    return st.builds(apply, st.dictionaries(st.sampled_from(keys), json_values, max_size=4),
                     st.dictionaries(st.text(max_size=10) | st.sampled_from(["latest", "version", "1.0.2", "runtime"]),
                                     json_values, max_size=3)) | json_values


def ok_or_own_error(call) -> None:
    try:
        result = call()
    except ConfuguardError:
        return
    assert result is None or isinstance(result, PackageMetadata | FeedPage | PopularList)


def responder(payload: Any, ctype: str = "application/json"):
    body = payload if isinstance(payload, bytes) else json.dumps(payload, allow_nan=True).encode()
    return lambda request: httpx.Response(200, content=body, headers={"Content-Type": ctype})


@FUZZ
@given(mutated("npm/colorlog-utils.json"))
def test_npm_metadata(doc: Any) -> None:
    reg = REGISTRIES[Ecosystem.NPM](routed({"registry.npmjs.org/x": responder(doc)}))
    ok_or_own_error(lambda: reg.metadata(parse("x", Ecosystem.NPM)))


@FUZZ
@given(mutated("pypi/reqeusts-toolkit.json"))
def test_pypi_metadata(doc: Any) -> None:
    reg = REGISTRIES[Ecosystem.PYPI](routed({"pypi.org/pypi/x/json": responder(doc)}))
    ok_or_own_error(lambda: reg.metadata(parse("x", Ecosystem.PYPI)))


@FUZZ
@given(mutated("rubygems/activesupport-json.json"), json_values, json_values)
def test_rubygems_metadata(doc: Any, versions: Any, owners: Any) -> None:
    reg = REGISTRIES[Ecosystem.RUBYGEMS](routed({"rubygems.org/api/v1/gems/x.json": responder(doc),
                                                 "rubygems.org/api/v1/versions/x.json": responder(versions),
                                                 "rubygems.org/api/v1/gems/x/owners.json": responder(owners)}))
    ok_or_own_error(lambda: reg.metadata(parse("x", Ecosystem.RUBYGEMS)))


@FUZZ
@given(mutated("huggingface/model.json"))
def test_huggingface_metadata(doc: Any) -> None:
    reg = REGISTRIES[Ecosystem.HUGGINGFACE](routed({"huggingface.co/api/models/o/m": responder(doc)}))
    ok_or_own_error(lambda: reg.metadata(parse("o/m", Ecosystem.HUGGINGFACE)))


xmlish = st.lists(
    st.sampled_from(["<metadata>", "</metadata>", "<versioning>", "</versioning>", "<version>", "</version>", "1.0",
                     "<release>", "</release>", "<lastUpdated>", "</lastUpdated>", "20261399999999", "<parent>", "<project>", "</project>", "<licenses><license><name>", "</name>",
                     "<relocation>", "</relocation>", "<distributionManagement>", "&amp;", "&bogus;", "<![CDATA[x]]>",
                     "<?xml version='1.0'?>", "<!DOCTYPE x>", "\x00", "é", "<a b='1'>", "</a>"]) | st.text(max_size=5),
    max_size=25,
).map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass") if parts else b"")


@FUZZ
@given(xmlish, xmlish, json_values)
def test_maven_metadata(listing: bytes, pom: bytes, search: Any) -> None:
    base = "repo1.maven.org/maven2/g/a"
    reg = REGISTRIES[Ecosystem.MAVEN](routed({
        f"{base}/maven-metadata.xml": responder(listing, "text/xml"),
        f"{base}/1.0/a-1.0.pom": responder(pom, "text/xml"),
        "central.sonatype.com/solrsearch/select": responder(search)}))
    ok_or_own_error(lambda: reg.metadata(parse("g:a", Ecosystem.MAVEN)))


@FUZZ
@given(st.text(max_size=200), json_values, json_values, st.binary(max_size=100))
def test_golang_metadata(listing: str, latest: Any, site: Any, gomod: bytes) -> None:
    base = "proxy.golang.org/example.com/m"
    routes = {f"{base}/@v/list": responder(listing.encode("utf-8", "replace"), "text/plain"),
              f"{base}/@latest": responder(latest), "pkg.go.dev/v1/module/example.com/m": responder(site)}
    version = latest.get("Version") if isinstance(latest, dict) else None
    if isinstance(version, str):
        routes[f"{base}/@v/{version}.mod"] = responder(gomod, "text/plain")
    reg = REGISTRIES[Ecosystem.GOLANG](routed(routes))
    ok_or_own_error(lambda: reg.metadata(parse("example.com/m", Ecosystem.GOLANG)))
    parse_gomod(gomod.decode("utf-8", "replace"))


FEED_ROUTES = {
    Ecosystem.NPM: ("replicate.npmjs.com/registry/_changes", "application/json", "1"),
    Ecosystem.PYPI: ("pypi.org/pypi", "text/xml", "1"),
    Ecosystem.RUBYGEMS: ("rubygems.org/api/v1/timeframe_versions.json", "application/json", "2026-09-19T00:00:00Z||1"),
    Ecosystem.MAVEN: ("central.sonatype.com/solrsearch/select", "application/json", "1|0"),
    Ecosystem.GOLANG: ("index.golang.org/index", "application/json", "2026-09-19T00:00:00Z|0"),
    Ecosystem.HUGGINGFACE: ("huggingface.co/api/models", "application/json", None),
}


@FUZZ
@given(st.sampled_from(list(Ecosystem)), json_values | xmlish, st.text(max_size=40) | st.none())
def test_feeds(eco: Ecosystem, payload: Any, cursor: str | None) -> None:
    path, ctype, good = FEED_ROUTES[eco]
    if eco is Ecosystem.GOLANG and not isinstance(payload, bytes):
        payload = (json.dumps(payload) + "\n" + json.dumps(payload)).encode()
    routes = {path: responder(payload, ctype), "pypi.org/rss/packages.xml": responder(fixture_bytes("pypi/packages.xml"), "text/xml")}
    reg = REGISTRIES[eco](routed(routes), now=lambda: NOW)
    for c in (good, cursor):
        ok_or_own_error(lambda c=c: reg.feed(c, limit=5))


@FUZZ
@given(st.sampled_from(list(Ecosystem)), json_values)
def test_popular(eco: Ecosystem, payload: Any) -> None:
    def any_path(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=json.dumps(payload).encode(), headers={"Content-Type": "application/json"})

    http = routed({})
    http.client = httpx.Client(transport=httpx.MockTransport(any_path))
    ok_or_own_error(lambda: REGISTRIES[eco](http).popular(3))
