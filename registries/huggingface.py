"""Hugging Face models: `/api/models/{id}`, README, the createdAt-sorted list (feed) and downloads ranking.

Keys of `base_urls`: `huggingface`.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any, ClassVar
from urllib.parse import parse_qs, quote, urlsplit

from confuguard.errors import MalformedResponse
from confuguard.names import DATASET, repo_id
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
_LIST_EXPAND = {
    "models": ("createdAt", "author", "downloads", "likes", "tags", "library_name", "gated"),
    "datasets": ("createdAt", "author", "downloads", "likes", "tags", "gated"),
}
_NOT_FOUND = (401, 404, 410)
"""Anonymous lookups of missing (or private) repos answer 401 `RepositoryNotFound`."""
MAX_LIST = 1000


def model_id(pkg: PackageId) -> str:
    """`author/name` (or a legacy root id), for models and datasets alike."""
    return repo_id(pkg)


class HuggingFaceRegistry(BaseRegistry):
    """huggingface.co models."""

    ecosystem: ClassVar[Ecosystem] = Ecosystem.HUGGINGFACE

    def metadata(self, pkg: PackageId) -> PackageMetadata | None:
        """Model or dataset info (`/api/models/{id}`, `/api/datasets/{id}`), plus README.md when the repo has one."""
        base = self.url("huggingface")
        mid = quote(model_id(pkg), safe="/")
        api, site = ("datasets", "datasets/") if pkg.kind == DATASET else ("models", "")
        doc = self.http.get_json(f"{base}/api/{api}/{mid}", not_found=_NOT_FOUND)
        if doc is None:
            return None
        errors: list[str] = []
        text = None
        if isinstance(doc, dict) and any(as_dict(s).get("rfilename") == "README.md" for s in as_list(doc.get("siblings"))):
            real = quote(as_str(doc.get("id")) or model_id(pkg), safe="/")
            text = self.best_effort(
                lambda: self.http.get_text(f"{base}/{site}{real}/raw/main/README.md",
                                           expect=("text/plain", "markdown", "octet-stream")),
                errors,
                "README",
            )
        meta = parse_model(self, pkg, doc, text, errors)
        return self.with_account(meta, meta.author, lambda author: self._author_repos(author, api))

    def _author_repos(self, author: str, api: str) -> int | None:
        """1 when the author holds no other model (or dataset) than this one, else 2 (one request, `limit=2`)."""
        data = self.http.get_json(f"{self.url('huggingface')}/api/{api}", params={"author": author, "limit": 2},
                                  conditional=False)
        return min(2, len(data)) if isinstance(data, list) else None

    def _list(self, params: dict[str, Any], what: str = "models") -> tuple[list[Any], str | None] | None:
        """One page of `/api/<what>` and HF's cursor for the next; None when the server has no such list (404)."""
        r: Response | None = self.http.request(
            "GET", f"{self.url('huggingface')}/api/{what}", params=params, expect=("json",),
            not_found=() if what == "models" else (404,),
        )
        if r is None:
            return None
        rows = r.json()
        if not isinstance(rows, list):
            raise MalformedResponse(f"Hugging Face /api/{what}: expected a JSON array")
        link = r.link("next")
        token = None
        if link:
            found = parse_qs(urlsplit(link).query).get("cursor")
            token = found[0] if found else None
        return rows, token

    def feed(self, cursor: str | None, *, limit: int = DEFAULT_FEED_LIMIT) -> FeedPage:
        """New models and new datasets, newest first, each walking `Link` pages down to the watermark of its previous walk.

        Cursor (JSON): the model walk's state at the top level: `w`/`ids` = watermark createdAt and the
        ids stamped exactly so already seen; while a walk is under way also `c` (HF's page cursor) and
        `top`/`topids` (the next watermark). The dataset walk's state, the same, under `d`; `pending`
        lists the walks still under way in this run. None starts with one page of the newest of each.
        A server without `/api/datasets` (a mirror of models only) gives models alone.
        """
        limit = max(1, min(limit, MAX_LIST))
        state = _decode(cursor)
        datasets = state.pop("d", None)
        if datasets is not None and not isinstance(datasets, dict):
            raise MalformedResponse(f"Hugging Face feed: bad cursor {str(cursor)[:80]!r}")
        pending = [w for w in strs(state.pop("pending", None)) if w in ("models", "datasets")] or ["datasets", "models"]
        walks = {"models": state, "datasets": _checked(datasets or {}, cursor)}
        items: list[FeedItem] = []
        errors: list[str] = []
        still: list[str] = []
        for what in ("datasets", "models"):
            if what not in pending:
                continue
            walked = self._walk(what, walks[what], limit)
            if walked is None:  # no dataset list on this server
                continue
            found, errs, walks[what], done = walked
            items += found
            errors += errs
            if not done:
                still.append(what)
        nxt = {**walks["models"], "d": walks["datasets"]}
        if still:
            nxt["pending"] = still
        return FeedPage(tuple(items), json.dumps(nxt, separators=(",", ":")), tuple(errors), not still)

    def _walk(self, what: str, state: dict[str, Any],
              limit: int) -> tuple[list[FeedItem], list[str], dict[str, Any], bool] | None:
        """One page of the `what` (`models`, `datasets`) walk: items, errors, the walk's next state, whether it is done."""
        params: dict[str, Any] = {"sort": "createdAt", "limit": limit, "expand[]": list(_LIST_EXPAND[what])}
        if what == "datasets":
            params["direction"] = -1
        walking = "c" in state
        if walking:
            params["cursor"] = state["c"]
        listed = self._list(params, what)
        if listed is None:
            return None
        rows, token = listed
        prefix = "datasets/" if what == "datasets" else ""
        wm = parse_time(state.get("w"))
        seen_ids = set(strs(state.get("ids")))
        top, top_ids = (state.get("top"), list(strs(state.get("topids")))) if walking else (None, [])
        items: list[FeedItem] = []
        errors: list[str] = []
        done = wm is None
        with guard(f"Hugging Face {what[:-1]} list"):
            for row in rows:
                row = as_dict(row)
                rid, created_raw = as_str(row.get("id")), as_str(row.get("createdAt"))
                created = parse_time(created_raw)
                if rid is None or created is None:
                    errors.append(f"{what[:-1]} list entry without id/createdAt: {str(row)[:80]!r}")
                    continue
                if top is None or created_raw == top:
                    top = top or created_raw
                    top_ids.append(rid)
                if wm is not None and created < wm:
                    done = True
                    break
                if wm is not None and created == wm and rid in seen_ids:
                    continue
                pkg, err = parse_name(prefix + rid, Ecosystem.HUGGINGFACE)
                if err:
                    errors.append(err)
                items.append(FeedItem(prefix + rid, pkg, created, None, "created", err))
        if token is None:
            done = True
        if done:
            new_w = top if top is not None else state.get("w")
            ids = top_ids if top is not None else list(seen_ids)
            nxt: dict[str, Any] = {"w": new_w, "ids": ids}
        else:
            nxt = {"w": state.get("w"), "ids": sorted(seen_ids), "top": top, "topids": top_ids, "c": token}
        return items, errors, nxt, done

    def popular(self, limit: int) -> PopularList:
        """Most downloaded models (last 30 days), following `Link` pages."""
        entries: list[PopularEntry] = []
        params: dict[str, Any] = {"sort": "downloads", "limit": min(limit, MAX_LIST), "expand[]": ["downloads"]}
        while len(entries) < limit:
            listed = self._list(params)
            assert listed is not None  # models: a 404 raises
            rows, token = listed
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
    if window is not None:  # walk models and datasets down to that time
        start = {"w": window[0].isoformat().replace("+00:00", "Z"), "ids": []}
        return {**start, "d": dict(start)}
    try:
        state = json.loads(cursor)
    except (ValueError, RecursionError):
        state = None
    if not isinstance(state, dict):
        raise MalformedResponse(f"Hugging Face feed: bad cursor {cursor[:80]!r}")
    return _checked(state, cursor)


def _checked(state: dict[str, Any], cursor: str | None) -> dict[str, Any]:
    """`state` when its watermark is a time (or absent), else MalformedResponse."""
    if "w" in state and state["w"] is not None and parse_time(state["w"]) is None:
        raise MalformedResponse(f"Hugging Face feed: bad cursor {str(cursor)[:80]!r}")
    return state


def parse_model(
    reg: BaseRegistry, pkg: PackageId, doc: Any, readme_text: str | None = None, errors: list[str] | None = None
) -> PackageMetadata:
    """Map `/api/models/{id}` or `/api/datasets/{id}` (+ README text) into PackageMetadata.

    For a dataset, `loading_script` is the `<name>.py` at the repository root (run by `load_dataset`
    with trust_remote_code) or '' when the file list shows none; other root `.py` files are listed in
    `extra["python_files"]`; `weight_files` holds its serialised files (pickles among them)."""
    what = "dataset" if pkg.kind == DATASET else "model"
    if not isinstance(doc, dict):
        raise MalformedResponse(f"Hugging Face {pkg}: {what} info is not a JSON object")
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
        script = None
        if what == "dataset" and isinstance(siblings, list):
            files = [p for sib in siblings if (p := as_str(as_dict(sib).get("rfilename")))]
            root_py = [p for p in files if "/" not in p and p.endswith(".py")]
            script = next((p for p in root_py if p.lower() == f"{pkg.name.lower()}.py"), "")
            if root_py:
                extra["python_files"] = ", ".join(root_py[:10])[:300]
        if as_int(doc.get("downloadsAllTime")) is not None:
            extra["downloads_all_time"] = str(doc["downloadsAllTime"])
        created_raw = as_str(doc.get("createdAt")) or ""
        created = parse_time(created_raw)
        if created_raw.startswith(FLOOR_CREATED):
            created = None
            extra["created"] = "before 2022-03-02"
        card_license = card.get("license")
        if isinstance(card_license, list):  # dataset cards list their licences
            card_license = next((x for x in card_license if nonempty(x)), None)
        license_ = nonempty(card_license) or next(
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
            loading_script=script,
            extra=extra,
        )
