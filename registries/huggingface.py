"""Hugging Face models: `/api/models/{id}`, README, the createdAt-sorted list (feed) and downloads ranking.

Keys of `base_urls`: `huggingface`.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, ClassVar
from urllib.parse import parse_qs, quote, urlsplit

from confuguard.errors import MalformedResponse
from confuguard.protocols import DEFAULT_FEED_LIMIT, FeedItem, FeedPage, PopularEntry, PopularList
from confuguard.types import Ecosystem, PackageId, PackageMetadata, WeightFile

from ._base import BaseRegistry, parse_since
from ._http import Response
from ._parse import (
    as_dict,
    as_int,
    as_list,
    as_str,
    guard,
    nonempty,
    parse_name,
    parse_time,
    readme,
    strs,
    weight_format,
)

#: HF stamps models created before it recorded dates with this value.
FLOOR_CREATED = "2022-03-02T23:29:04"
_LIST_EXPAND = ("createdAt", "author", "downloads", "likes", "tags", "library_name", "gated")
_NOT_FOUND = (401, 404, 410)
"""Anonymous lookups of missing (or private) repos answer 401 `RepositoryNotFound`."""
MAX_LIST = 1000


def model_id(pkg: PackageId) -> str:
    """`author/name` (or a legacy root id)."""
    return f"{pkg.namespace}/{pkg.name}" if pkg.namespace else pkg.name


class HuggingFaceRegistry(BaseRegistry):
    """huggingface.co models."""

    ecosystem: ClassVar[Ecosystem] = Ecosystem.HUGGINGFACE

    def metadata(self, pkg: PackageId) -> PackageMetadata | None:
        """Model info, plus README.md when the repo has one."""
        base = self.url("huggingface")
        mid = quote(model_id(pkg), safe="/")
        doc = self.http.get_json(f"{base}/api/models/{mid}", not_found=_NOT_FOUND)
        if doc is None:
            return None
        errors: list[str] = []
        text = None
        if isinstance(doc, dict) and any(as_dict(s).get("rfilename") == "README.md" for s in as_list(doc.get("siblings"))):
            real = quote(as_str(doc.get("id")) or model_id(pkg), safe="/")
            text = self.best_effort(
                lambda: self.http.get_text(f"{base}/{real}/raw/main/README.md",
                                           expect=("text/plain", "markdown", "octet-stream")),
                errors,
                "README",
            )
        return parse_model(self, pkg, doc, text, errors)

    def _list(self, params: dict[str, Any]) -> tuple[list[Any], str | None]:
        r: Response | None = self.http.request(
            "GET", f"{self.url('huggingface')}/api/models", params=params, expect=("json",), not_found=()
        )
        assert r is not None
        rows = r.json()
        if not isinstance(rows, list):
            raise MalformedResponse("Hugging Face /api/models: expected a JSON array")
        link = r.link("next")
        token = None
        if link:
            found = parse_qs(urlsplit(link).query).get("cursor")
            token = found[0] if found else None
        return rows, token

    def feed(self, cursor: str | None, *, limit: int = DEFAULT_FEED_LIMIT) -> FeedPage:
        """Models newest first, walking `Link` pages down to the watermark of the previous walk.

        Cursor (JSON): `w`/`ids` = watermark createdAt and the ids stamped exactly so already
        seen; while a walk is under way also `c` (HF's page cursor) and `top`/`topids` (the
        next watermark). None starts with one page of the newest models.
        """
        limit = max(1, min(limit, MAX_LIST))
        state = _decode(cursor)
        params: dict[str, Any] = {"sort": "createdAt", "limit": limit, "expand[]": list(_LIST_EXPAND)}
        walking = "c" in state
        if walking:
            params["cursor"] = state["c"]
        rows, token = self._list(params)
        wm = parse_time(state.get("w"))
        seen_ids = set(strs(state.get("ids")))
        top, top_ids = (state.get("top"), list(strs(state.get("topids")))) if walking else (None, [])
        items: list[FeedItem] = []
        errors: list[str] = []
        done = wm is None
        with guard("Hugging Face model list"):
            for row in rows:
                row = as_dict(row)
                mid, created_raw = as_str(row.get("id")), as_str(row.get("createdAt"))
                created = parse_time(created_raw)
                if mid is None or created is None:
                    errors.append(f"model list entry without id/createdAt: {str(row)[:80]!r}")
                    continue
                if top is None or created_raw == top:
                    top = top or created_raw
                    top_ids.append(mid)
                if wm is not None and created < wm:
                    done = True
                    break
                if wm is not None and created == wm and mid in seen_ids:
                    continue
                pkg, err = parse_name(mid, Ecosystem.HUGGINGFACE)
                if err:
                    errors.append(err)
                items.append(FeedItem(mid, pkg, created, None, "created", err))
        if token is None:
            done = True
        if done:
            new_w = top if top is not None else state.get("w")
            ids = top_ids if top is not None else list(seen_ids)
            nxt: dict[str, Any] = {"w": new_w, "ids": ids}
        else:
            nxt = {"w": state.get("w"), "ids": sorted(seen_ids), "top": top, "topids": top_ids, "c": token}
        return FeedPage(tuple(items), json.dumps(nxt, separators=(",", ":")), tuple(errors), done)

    def popular(self, limit: int) -> PopularList:
        """Most downloaded models (last 30 days), following `Link` pages."""
        entries: list[PopularEntry] = []
        params: dict[str, Any] = {"sort": "downloads", "limit": min(limit, MAX_LIST), "expand[]": ["downloads"]}
        while len(entries) < limit:
            rows, token = self._list(params)
            for row in rows:
                mid = as_str(as_dict(row).get("id"))
                if mid and len(entries) < limit:
                    d = as_int(as_dict(row).get("downloads"))
                    entries.append(PopularEntry(mid, len(entries) + 1, None if d is None else float(d)))
            if token is None or not rows:
                break
            params["cursor"] = token
        url = f"{self.url('huggingface')}/api/models?sort=downloads"
        return PopularList(self.ecosystem, tuple(entries), url, date.today(), "downloads (last 30 days)")


def _decode(cursor: str | None) -> dict[str, Any]:
    if cursor is None:
        return {}
    window = parse_since(cursor)
    if window is not None:  # walk down to that time
        return {"w": window[0].isoformat().replace("+00:00", "Z"), "ids": []}
    try:
        state = json.loads(cursor)
    except (ValueError, RecursionError):
        state = None
    if not isinstance(state, dict) or ("w" in state and state["w"] is not None and parse_time(state["w"]) is None):
        raise MalformedResponse(f"Hugging Face feed: bad cursor {cursor[:80]!r}")
    return state


def parse_model(
    reg: BaseRegistry, pkg: PackageId, doc: Any, readme_text: str | None = None, errors: list[str] | None = None
) -> PackageMetadata:
    """Map `/api/models/{id}` (+ README text) into PackageMetadata."""
    if not isinstance(doc, dict):
        raise MalformedResponse(f"Hugging Face {pkg}: model info is not a JSON object")
    with guard(f"Hugging Face {pkg}"):
        card = as_dict(doc.get("cardData"))
        tags = doc.get("tags")
        siblings = doc.get("siblings")
        weights = None
        if isinstance(siblings, list):
            weights = tuple(
                WeightFile(p, fmt, as_int(as_dict(s).get("size")))
                for s in siblings
                if (p := as_str(as_dict(s).get("rfilename"))) and (fmt := weight_format(p))
            )
        gated = doc.get("gated")
        extra: dict[str, str] = {}
        if isinstance(gated, str):
            extra["gated"] = gated
        for key in ("pipeline_tag", "sha"):
            if nonempty(doc.get(key)):
                extra[key] = doc[key].strip()[:100]
        if doc.get("disabled") is True:
            extra["disabled"] = "true"
        if nonempty(card.get("base_model")):
            extra["base_model"] = card["base_model"].strip()[:200]
        if as_int(doc.get("downloadsAllTime")) is not None:
            extra["downloads_all_time"] = str(doc["downloadsAllTime"])
        created_raw = as_str(doc.get("createdAt")) or ""
        created = parse_time(created_raw)
        if created_raw.startswith(FLOOR_CREATED):
            created = None
            extra["created"] = "before 2022-03-02"
        license_ = nonempty(card.get("license")) or next(
            (t.split(":", 1)[1] for t in strs(tags) if t.startswith("license:")), None)
        returned = as_str(doc.get("id"))
        requested = model_id(pkg)
        if errors:
            extra["errors"] = "; ".join(errors)[:500]
        author = as_str(doc.get("author"))
        text, length = readme(readme_text)
        downloads = as_int(doc.get("downloads"))
        modified = parse_time(doc.get("lastModified"))  # a commit date: never earlier than the Hub's createdAt
        return reg.record(
            pkg,
            readme=text,
            readme_length=length,
            maintainers=(author,) if author else None,
            created=created,
            latest_release=max(modified, created) if modified and created else modified,
            latest_version=as_str(doc.get("sha")),
            version_count=None,
            downloads=downloads,
            downloads_window="30d" if downloads is not None else None,
            license=license_,
            relocated_to=returned if returned and returned.lower() != requested.lower() else None,
            author=author,
            likes=as_int(doc.get("likes")),
            tags=strs(tags) if isinstance(tags, list) else None,
            library=nonempty(doc.get("library_name")),
            gated=(gated is not False) if isinstance(gated, bool | str) else None,
            weight_files=weights,
            extra=extra,
        )
