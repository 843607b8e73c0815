"""Hugging Face: model info mapping (weights, gating), README, createdAt feed with Link paging, popular."""

from __future__ import annotations

import json

import httpx
import pytest
from confuguard.registries.huggingface import HuggingFaceRegistry
from fakeregistry import fixture_json, routed

from confuguard.errors import MalformedResponse
from confuguard.names import parse
from confuguard.types import Ecosystem, WeightFile

API = "huggingface.co/api/models"
LLAMA = parse("meta-llamma/Llama-3.2-1B-Instruct", Ecosystem.HUGGINGFACE)


def test_model_mapping_with_pickle_weights_and_readme() -> None:
    http = routed({f"{API}/meta-llamma/Llama-3.2-1B-Instruct": fixture_json("huggingface/model.json"),
                   "huggingface.co/meta-llamma/Llama-3.2-1B-Instruct/raw/main/README.md":
                       lambda r: httpx.Response(200, text="# Llamma ✓", headers={"Content-Type": "text/plain; charset=utf-8"})})
    m = HuggingFaceRegistry(http).metadata(LLAMA)
    assert m.author == "meta-llamma" and m.maintainers == ("meta-llamma",)
    assert (m.downloads, m.downloads_window, m.likes) == (37, "30d", 0)
    assert m.library == "transformers" and "license:llama3.2" in m.tags and m.license == "llama3.2"
    assert m.gated is False and m.readme == "# Llamma ✓" and m.readme_length == 10
    assert m.weight_files == (WeightFile("pytorch_model.bin", "pickle"),) and m.has_pickle_weights is True
    assert m.extra["base_model"] == "meta-llama/Llama-3.2-1B-Instruct" and m.extra["pipeline_tag"] == "text-generation"
    assert m.created.isoformat() == "2026-09-19T18:02:44+00:00" and m.latest_version.startswith("4f1c2d")
    assert m.relocated_to is None


def test_gated_manual_card_null_safetensors_floor_date() -> None:
    http = routed({f"{API}/mistral-ai/Mistral-7B": fixture_json("huggingface/gated.json")})
    m = HuggingFaceRegistry(http).metadata(parse("mistral-ai/Mistral-7B", Ecosystem.HUGGINGFACE))
    assert m.gated is True and m.extra["gated"] == "manual"
    assert m.license is None and m.library is None and m.tags == ()
    assert {w.format for w in m.weight_files} == {"safetensors"} and m.has_pickle_weights is False
    assert m.created is None and m.extra["created"] == "before 2022-03-02"
    assert m.readme is None  # no README.md sibling, none fetched


def test_renamed_model_and_missing_siblings() -> None:
    doc = {**fixture_json("huggingface/model.json"), "id": "meta-llama/Llama-3.2-1B-Instruct"}
    del doc["siblings"]
    m = HuggingFaceRegistry(routed({f"{API}/meta-llamma/Llama-3.2-1B-Instruct": doc})).metadata(LLAMA)
    assert m.relocated_to == "meta-llama/Llama-3.2-1B-Instruct" and m.weight_files is None


@pytest.mark.parametrize("status", [401, 404])
def test_not_found(status: int) -> None:
    http = routed({f"{API}/meta-llamma/Llama-3.2-1B-Instruct":
                   lambda r: httpx.Response(status, json={"error": "Repository not found"})})
    assert HuggingFaceRegistry(http).metadata(LLAMA) is None


def _listing(models, key="createdAt"):
    def handler(request: httpx.Request) -> httpx.Response:
        ordered = sorted(models, key=lambda m: m[key], reverse=True)
        offset = int(request.url.params.get("cursor", "0"))
        limit = int(request.url.params["limit"])
        headers = {}
        if offset + limit < len(ordered):
            headers["Link"] = f'<https://huggingface.co/api/models?sort={key}&cursor={offset + limit}>; rel="next"'
        return httpx.Response(200, json=ordered[offset : offset + limit], headers=headers)

    return handler


def test_feed_walks_to_watermark_without_repeats() -> None:
    models = [{"id": f"o/m{i}", "createdAt": f"2026-09-19T10:{i:02d}:00.000Z"} for i in range(5)]
    http = routed({API: _listing(models)})
    reg = HuggingFaceRegistry(http)
    first = reg.feed(None, limit=2)
    assert [i.name for i in first.items] == ["o/m4", "o/m3"] and first.exhausted
    assert json.loads(first.next_cursor)["w"] == "2026-09-19T10:04:00.000Z"
    # new models arrive, two of them with the same createdAt as the watermark's neighbour
    models += [{"id": f"o/n{i}", "createdAt": f"2026-09-19T11:0{i // 2}:00.000Z"} for i in range(5)]
    cursor, seen = first.next_cursor, []
    for _ in range(10):
        page = reg.feed(cursor, limit=2)
        seen += [i.name for i in page.items]
        cursor = page.next_cursor
        if page.exhausted:
            break
    assert sorted(seen) == sorted(f"o/n{i}" for i in range(5))
    assert reg.feed(cursor, limit=2).items == ()
    assert http.requests[-1].url.params.get_list("expand[]")[:2] == ["createdAt", "author"]


def test_feed_bad_cursor_and_payload() -> None:
    with pytest.raises(MalformedResponse):
        HuggingFaceRegistry(routed({})).feed("{not json")
    with pytest.raises(MalformedResponse):
        HuggingFaceRegistry(routed({API: {"a": 1}})).feed(None)


def test_popular_follows_links() -> None:
    models = [{"id": f"o/m{i}", "downloads": 100 - i} for i in range(7)]
    plist = HuggingFaceRegistry(routed({API: _listing(models, "downloads")})).popular(5)
    assert [e.name for e in plist.entries] == [f"o/m{i}" for i in range(5)]
    assert plist.entries[0].popularity == 100.0
