"""PyPI: JSON API mapping, XML-RPC changelog paging, RSS fallback, top-pypi-packages."""

from __future__ import annotations

import xmlrpc.client

import httpx
import pytest
from confuguard.registries.pypi import PyPIRegistry
from fakeregistry import fixture_bytes, fixture_json, routed

from confuguard.errors import MalformedResponse, RateLimited
from confuguard.names import parse
from confuguard.types import Ecosystem

JSON = "pypi.org/pypi/reqeusts-toolkit/json"


def pkg(name: str):
    return parse(name, Ecosystem.PYPI)


def test_project_mapping() -> None:
    http = routed({JSON: fixture_json("pypi/reqeusts-toolkit.json")})
    m = PyPIRegistry(http).metadata(pkg("Reqeusts_Toolkit"))  # any spelling: the URL uses the PEP 503 form
    assert m.summary == "Helpers around HTTP clients" and m.readme.startswith("# reqeusts-toolkit")
    assert m.maintainers == ("devuser1", "devuser2")
    assert m.created.isoformat() == "2026-09-18T10:00:00.000001+00:00"
    assert m.latest_release.isoformat() == "2026-09-20T08:15:03.118201+00:00"
    assert (m.latest_version, m.version_count, m.dependency_count) == ("0.1.0", 3, 1)
    assert m.repository_url == "https://github.com/example/reqeusts-toolkit"
    assert m.homepage_url == "https://example.com/rt"
    assert m.license == "MIT" and m.yanked is False
    assert m.downloads is None and m.downloads_window is None  # PyPI serves -1
    assert m.extra["last_serial"] == "31000004"


def test_old_record_without_ownership_and_nulls() -> None:
    doc = fixture_json("pypi/reqeusts-toolkit.json")
    del doc["ownership"]
    doc["info"].update(project_urls=None, requires_dist=None, license_expression=None, license="BSD\nlong text",
                       summary=None, description="", maintainer="Someone")
    del doc["releases"]
    m = PyPIRegistry(routed({JSON: doc})).metadata(pkg("reqeusts-toolkit"))
    # free-text authors are kept for analysts but never count as maintainers: anyone can type a famous name
    assert m.maintainers is None and m.extra["authors"] == "Dev One, Someone"
    assert m.repository_url is None and m.homepage_url is None
    assert m.dependency_count == 0 and m.license == "BSD" and m.summary is None
    assert m.readme == "" and m.readme_length == 0 and m.version_count is None and m.created is None


def test_license_from_classifier_and_redirect_rename() -> None:
    doc = fixture_json("pypi/reqeusts-toolkit.json")
    doc["info"].update(license_expression=None, license=None,
                       classifiers=["License :: OSI Approved :: MIT License"], name="Other-Name")
    m = PyPIRegistry(routed({JSON: doc})).metadata(pkg("reqeusts-toolkit"))
    assert m.license == "MIT License" and m.extra["canonical_name"] == "Other-Name"


def test_not_found_and_malformed() -> None:
    assert PyPIRegistry(routed({})).metadata(pkg("nothing")) is None
    with pytest.raises(MalformedResponse):
        PyPIRegistry(routed({JSON: {"info": "x"}})).metadata(pkg("reqeusts-toolkit"))


def _xmlrpc(journal):
    def handler(request: httpx.Request) -> httpx.Response:
        params, method = xmlrpc.client.loads(request.content)
        if method == "changelog_last_serial":
            result = journal[-1][4]
        else:
            result = [r for r in journal if r[4] > params[0]]
        body = xmlrpc.client.dumps((result,), methodresponse=True, allow_none=True)
        return httpx.Response(200, content=body.encode(), headers={"Content-Type": "text/xml"})

    return handler


def test_changelog_fixture() -> None:
    body = fixture_bytes("pypi/changelog.xml")
    http = routed({"pypi.org/pypi": lambda r: httpx.Response(200, content=body, headers={"Content-Type": "text/xml"})})
    page = PyPIRegistry(http).feed("31000000", limit=100)
    assert [(i.version, i.action) for i in page.items] == [
        (None, "create"), ("0.1.0", "new release"),
        ("0.1.0", "add py3 file reqeusts_toolkit-0.1.0-py3-none-any.whl"), (None, "add Owner devuser1")]
    # a short answer is not the end (servers cap rows below `limit`): only an empty one is
    assert page.items[0].published.year == 2026 and page.next_cursor == "31000004" and not page.exhausted


def test_changelog_pages_never_skip_or_repeat() -> None:
    journal = [[f"p{i}", "1.0", 1789805700 + i, "create", 100 + i] for i in range(1, 11)]
    reg = PyPIRegistry(routed({"pypi.org/pypi": _xmlrpc(journal)}))
    seen, cursor = [], "100"
    while True:
        page = reg.feed(cursor, limit=3)
        seen += [i.name for i in page.items]
        cursor = page.next_cursor
        if page.exhausted:
            break
    assert seen == [f"p{i}" for i in range(1, 11)]
    assert [i.name for i in reg.feed(None, limit=2).items] == ["p9", "p10"]


def test_xmlrpc_fault_falls_back_to_rss() -> None:
    fault = xmlrpc.client.dumps(xmlrpc.client.Fault(-32601, "method not found"), methodresponse=True)
    http = routed({
        "pypi.org/pypi": lambda r: httpx.Response(200, content=fault.encode(), headers={"Content-Type": "text/xml"}),
        "pypi.org/rss/packages.xml": fixture_bytes("pypi/packages.xml"),
    })
    page = PyPIRegistry(http).feed("31000000")
    assert [i.name for i in page.items] == ["nump1", "reqeusts-toolkit"]  # chronological
    assert page.next_cursor == "31000000"  # the serial stays: XML-RPC will cover these rows later
    assert "XML-RPC failed" in page.errors[0]
    fresh = PyPIRegistry(http).feed(None)  # never an RSS cursor: the next run retries the changelog from that time
    assert fresh.next_cursor.startswith("since:2026-09-20T08:15:02")
    again = PyPIRegistry(http).feed(fresh.next_cursor)
    assert [i.name for i in again.items] == ["reqeusts-toolkit"] and again.next_cursor == fresh.next_cursor
    legacy = PyPIRegistry(http).feed("rss:2026-09-20T08:15:02+00:00")  # older versions stored rss: cursors
    assert legacy.next_cursor.startswith("since:2026-09-20T08:15:02")


def test_xmlrpc_rate_limit_is_not_hidden_by_fallback() -> None:
    http = routed({"pypi.org/pypi": lambda r: httpx.Response(429, headers={"Retry-After": "1"})})
    with pytest.raises(RateLimited):
        PyPIRegistry(http).feed("1")


def test_xmlrpc_garbage_and_dtd() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><methodResponse/>'
    http = routed({"pypi.org/pypi": lambda r: httpx.Response(200, content=bomb, headers={"Content-Type": "text/xml"}),
                   "pypi.org/rss/packages.xml": b"<rss><channel></channel></rss>"})
    page = PyPIRegistry(http).feed("5")  # falls back: RSS has nothing
    assert page.items == () and "DTD" in page.errors[0]


def test_popular_top_pypi_packages() -> None:
    plist = PyPIRegistry(routed({"hugovk.github.io/top-pypi-packages/top-pypi-packages.min.json":
                                 fixture_json("pypi/top.json")})).popular(2)
    assert [(e.name, e.rank, e.popularity) for e in plist.entries] == [("boto3", 1, 900.0), ("packaging", 2, 800.0)]
    assert plist.source.endswith("top-pypi-packages.min.json")


SIMPLE = "pypi.org/simple/reqeusts-toolkit/"


def test_project_status_from_simple_api() -> None:
    simple = {"meta": {"api-version": "1.4"}, "name": "reqeusts-toolkit", "versions": ["0.1.0"], "files": [],
              "project-status": {"status": "archived", "reason": "moved to example-toolkit"}}
    http = routed({JSON: fixture_json("pypi/reqeusts-toolkit.json"), SIMPLE: simple})
    m = PyPIRegistry(http).metadata(pkg("reqeusts-toolkit"))
    assert m.extra["project_status"] == "archived" and m.extra["project_status_reason"] == "moved to example-toolkit"
    assert m.deprecated is False  # status known, and it is not "deprecated"
    assert http.requests[1].headers["accept"] == "application/vnd.pypi.simple.v1+json"
    simple["project-status"] = {"status": "deprecated", "reason": "use requests"}
    m = PyPIRegistry(routed({JSON: fixture_json("pypi/reqeusts-toolkit.json"), SIMPLE: simple})).metadata(pkg("reqeusts-toolkit"))
    assert m.deprecated is True and m.deprecation_message == "use requests"


def test_quarantined_project_missing_from_json_api() -> None:
    simple = {"name": "reqeusts-toolkit", "versions": ["0.1.0", "0.1.1"], "files": [],
              "project-status": {"status": "quarantined"}}
    m = PyPIRegistry(routed({SIMPLE: simple})).metadata(pkg("reqeusts-toolkit"))
    assert m.extra == {"json_api": "missing", "project_status": "quarantined"} and m.version_count == 2
    assert m.summary is None and m.latest_version is None
