"""A fresh account with no other package: one bounded, opt-in request per registry, unknown with a reason otherwise."""

from __future__ import annotations

import xmlrpc.client

import httpx
from confuguard.registries.huggingface import HuggingFaceRegistry
from confuguard.registries.npm import NpmRegistry
from confuguard.registries.pypi import PyPIRegistry
from confuguard.registries.rubygems import RubyGemsRegistry
from fakeregistry import fixture_json, routed

from confuguard.config import FetchOptions
from confuguard.names import parse
from confuguard.types import Ecosystem

ON = FetchOptions(accounts=True)


def search(total: int):
    def reply(request: httpx.Request) -> httpx.Response:
        assert request.url.params["text"] == "maintainer:devuser1" and request.url.params["size"] == "1"
        return httpx.Response(200, json={"objects": [{"package": {"name": "colorlog-utils"}}], "total": total,
                                         "time": "Sun Dec 06 2026 23:00:00 GMT+0000"})
    return reply


def npm_routes(total: int | None) -> dict:
    routes = {"registry.npmjs.org/colorlog-utils": fixture_json("npm/colorlog-utils.json"),
              "api.npmjs.org/downloads/point/last-month/colorlog-utils": fixture_json("npm/downloads.json")}
    if total is not None:
        routes["registry.npmjs.org/-/v1/search"] = search(total)
    return routes


def test_npm_asks_the_search_for_the_publisher_of_the_latest_version():
    pkg = parse("colorlog-utils", Ecosystem.NPM)
    fresh = NpmRegistry(routed(npm_routes(1)), fetch=ON).metadata(pkg)
    assert fresh.account_packages == 1 and fresh.extra["account"] == "devuser1 publishes 1 package"
    busy = NpmRegistry(routed(npm_routes(12)), fetch=ON).metadata(pkg)
    assert busy.account_packages == 12
    # a package too new for the search index: an account with none listed holds at least this one
    assert NpmRegistry(routed(npm_routes(0)), fetch=ON).metadata(pkg).account_packages == 1


def test_the_account_fetch_is_opt_in_and_its_failure_is_unknown_with_a_reason():
    pkg = parse("colorlog-utils", Ecosystem.NPM)
    http = routed(npm_routes(3))
    off = NpmRegistry(http).metadata(pkg)
    assert off.account_packages is None and "account" not in off.extra
    assert not any("/-/v1/search" in str(r.url) for r in http.requests)  # type: ignore[attr-defined]
    routes = npm_routes(None)
    routes["registry.npmjs.org/-/v1/search"] = lambda r: httpx.Response(503)
    failed = NpmRegistry(routed(routes), fetch=ON).metadata(pkg)
    assert failed is not None and failed.account_packages is None
    assert failed.extra["account"].startswith("unknown: ") and "503" in failed.extra["account"]


def test_pypi_counts_the_projects_of_the_owner_by_xmlrpc():
    calls: list[tuple] = []

    def rpc(request: httpx.Request) -> httpx.Response:
        params, method = xmlrpc.client.loads(request.content)
        calls.append((method, params))
        body = xmlrpc.client.dumps(([["Owner", "reqeusts-toolkit"], ["Maintainer", "other-tool"]],), methodresponse=True)
        return httpx.Response(200, content=body.encode(), headers={"Content-Type": "text/xml"})

    http = routed({"pypi.org/pypi/reqeusts-toolkit/json": fixture_json("pypi/reqeusts-toolkit.json"), "pypi.org/pypi": rpc})
    meta = PyPIRegistry(http, fetch=ON).metadata(parse("reqeusts-toolkit", Ecosystem.PYPI))
    assert calls == [("user_packages", ("devuser1",))]  # the Owner, one request
    assert meta.account_packages == 2 and meta.extra["account"] == "devuser1 publishes 2 packages"


def test_pypi_without_ownership_in_the_record_is_unknown():
    doc = fixture_json("pypi/reqeusts-toolkit.json")
    doc.pop("ownership")
    http = routed({"pypi.org/pypi/reqeusts-toolkit/json": doc})
    meta = PyPIRegistry(http, fetch=ON).metadata(parse("reqeusts-toolkit", Ecosystem.PYPI))
    assert meta.account_packages is None and meta.extra["account"] == "unknown: the record names no publishing account"


def test_rubygems_lists_the_gems_of_the_first_owner():
    http = routed({
        "rubygems.org/api/v1/gems/activesupport-json.json": fixture_json("rubygems/activesupport-json.json"),
        "rubygems.org/api/v1/versions/activesupport-json.json": fixture_json("rubygems/versions.json"),
        "rubygems.org/api/v1/gems/activesupport-json/owners.json": fixture_json("rubygems/owners.json"),
        "rubygems.org/api/v1/owners/devuser1/gems.json": [{"name": "activesupport-json", "downloads": 3}],
    })
    meta = RubyGemsRegistry(http, fetch=ON).metadata(parse("activesupport-json", Ecosystem.RUBYGEMS))
    assert meta.account_packages == 1 and "devuser1" in meta.extra["account"]


def test_huggingface_asks_whether_the_author_holds_another_model():
    def models(request: httpx.Request) -> httpx.Response:
        assert request.url.params["author"] == "meta-llamma" and request.url.params["limit"] == "2"
        return httpx.Response(200, json=fixture_json("huggingface/list.json")[:1])

    http = routed({"huggingface.co/api/models/meta-llamma/Llama-3.2-1B-Instruct": fixture_json("huggingface/model.json"),
                   "huggingface.co/api/models": models})
    meta = HuggingFaceRegistry(http, fetch=ON).metadata(parse("meta-llamma/Llama-3.2-1B-Instruct", Ecosystem.HUGGINGFACE))
    assert meta.account_packages == 1
