"""RubyGems: gem + versions + owners mapping, timeframe_versions windows and pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from confuguard.registries._parse import parse_time
from confuguard.registries.rubygems import RubyGemsRegistry
from fakeregistry import fixture_json, paged, routed

from confuguard.errors import MalformedResponse
from confuguard.names import parse
from confuguard.types import Ecosystem

API = "rubygems.org/api/v1"
GEM = parse("activesupport-json", Ecosystem.RUBYGEMS)


def test_gem_mapping() -> None:
    http = routed({f"{API}/gems/activesupport-json.json": fixture_json("rubygems/activesupport-json.json"),
                   f"{API}/versions/activesupport-json.json": fixture_json("rubygems/versions.json"),
                   f"{API}/gems/activesupport-json/owners.json": fixture_json("rubygems/owners.json")})
    m = RubyGemsRegistry(http).metadata(GEM)
    assert m.summary == "JSON helpers for ActiveSupport" and m.maintainers == ("devuser1", "devuser2")
    assert m.created.isoformat() == "2026-09-10T08:00:00+00:00"
    assert m.latest_release.isoformat() == "2026-09-19T23:41:07.512000+00:00"
    assert (m.latest_version, m.version_count, m.dependency_count) == ("0.0.3", 2, 1)
    assert (m.downloads, m.downloads_window) == (212, "all-time")
    assert m.repository_url == "https://github.com/example/as-json" and m.license == "MIT"
    assert m.yanked is False and m.readme is None
    assert m.extra == {"authors": "Dev One", "mfa_required": "true"}


def test_empty_vs_null_licenses_and_missing_sub_requests() -> None:
    doc = fixture_json("rubygems/activesupport-json.json")
    doc.update(licenses=[], source_code_uri=None, metadata={}, info=None, dependencies={})
    m = RubyGemsRegistry(routed({f"{API}/gems/activesupport-json.json": doc})).metadata(GEM)
    assert m.license == "" and m.repository_url is None and m.summary is None
    assert m.maintainers is None and m.version_count is None and m.dependency_count is None
    doc["licenses"] = None
    assert RubyGemsRegistry(routed({f"{API}/gems/activesupport-json.json": doc})).metadata(GEM).license is None


def test_owners_failure_is_noted_not_fatal() -> None:
    http = routed({f"{API}/gems/activesupport-json.json": fixture_json("rubygems/activesupport-json.json"),
                   f"{API}/gems/activesupport-json/owners.json": lambda r: httpx.Response(500)})
    m = RubyGemsRegistry(http).metadata(GEM)
    assert m.maintainers is None and "owners" in m.extra["errors"]


def test_not_found_plain_text_404() -> None:
    http = routed({f"{API}/gems/nope.json": lambda r: httpx.Response(404, text="This rubygem could not be found.")})
    assert RubyGemsRegistry(http).metadata(parse("nope", Ecosystem.RUBYGEMS)) is None


def _timeline(rows):
    def handler(request: httpx.Request) -> httpx.Response:
        p = request.url.params
        lo, hi, page = parse_time(p["from"]), parse_time(p["to"]), int(p["page"])
        hits = [r for r in rows if lo <= parse_time(r["created_at"]) <= hi]
        return httpx.Response(200, json=hits[(page - 1) * 30 : page * 30])

    return handler


def test_timeframe_pages_and_windows_cover_everything_once() -> None:
    start = datetime(2026, 9, 1, tzinfo=UTC)
    rows = [{"name": f"g{i}", "number": "1.0", "created_at": (start + timedelta(hours=7 * i)).isoformat()} for i in range(70)]
    rows.append({"name": "edge", "number": "1.0", "created_at": (start + timedelta(days=7)).isoformat()})  # on a boundary
    now = start + timedelta(days=30)
    reg = RubyGemsRegistry(routed({f"{API}/timeframe_versions.json": _timeline(rows)}), now=lambda: now)
    cursor = f"{start.isoformat()}||1"
    seen = []
    for _ in range(50):
        page = reg.feed(cursor, limit=25)
        seen += [i.name for i in page.items]
        cursor = page.next_cursor
        if page.exhausted:
            break
    assert sorted(seen) == sorted(r["name"] for r in rows) and len(seen) == len(set(seen))
    assert reg.feed(cursor).items == ()


def test_timeframe_fixture_items_and_bad_names() -> None:
    now = datetime(2026, 9, 20, tzinfo=UTC)
    rows = fixture_json("rubygems/timeframe.json")
    page = RubyGemsRegistry(routed({f"{API}/timeframe_versions.json": _timeline(rows)}), now=lambda: now).feed(None)
    assert [i.name for i in page.items] == ["activesupport-json", "-bad"]
    assert page.items[0].version == "0.0.3" and page.items[1].package is None and len(page.errors) == 1


@pytest.mark.parametrize("cursor", ["garbage", "2026-01-01T00:00:00Z|x|1", "2026-01-01T00:00:00Z||0"])
def test_bad_cursor(cursor: str) -> None:
    with pytest.raises(MalformedResponse):
        RubyGemsRegistry(routed({})).feed(cursor)


def test_popular_via_ecosystems() -> None:
    rows = [{"name": "rails", "downloads": 10}, {"name": "rake", "downloads": None}, {"nope": 1}]
    plist = RubyGemsRegistry(routed({"packages.ecosyste.ms/api/v1/registries/rubygems.org/packages": paged(rows)})).popular(10)
    assert [(e.name, e.rank, e.popularity) for e in plist.entries] == [("rails", 1, 10.0), ("rake", 2, None)]
