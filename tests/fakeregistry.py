"""A fake of all six registries on 127.0.0.1 (stdlib http.server in a thread), plus unit-test helpers.

`FakeRegistry` serves the documented APIs and feeds from an in-memory dataset built from
`tests/fixtures/<registry>/`, honouring each feed's paging contract (npm `since` exclusive,
PyPI serials, RubyGems pages until `[]`, Maven Solr start/rows, Go `since` inclusive, HF
`Link` cursors). Switches: `drop_next(n)` closes the next n connections without answering,
`rate_limit_next(n, retry_after)` answers 429 with `Retry-After`, `truncate_next(n)` sends half
of the body it announced and hangs up, `break_path(prefix, reply)` answers every request under a
path prefix with a fixed reply (a registry that is down or serves garbage), `delay` slows every
answer. `Dataset.publish(ecosystem, name, record={...})` appends a new package to that registry's feed (and
serves a registry record for it when `record` is given); `Dataset.unpublish(name)` removes an npm package
(a `deleted` change and an unpublished packument). Registry quirks to test against: `pypi_cap` (the
changelog returns at most that many rows, below any `limit`), `feed_cap` (npm `_changes`, Maven search,
the Go index and the Hugging Face list answer at most that many rows, whatever was asked), `xmlrpc_faults` (the next n XML-RPC calls
answer PyPI's throttling fault). npm `_changes` lists each document once, at its latest change, as CouchDB does.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import socket
import tarfile
import threading
import time
import xmlrpc.client
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
from confuguard.registries._http import Http

from confuguard.config import DEFAULT_URLS, env_name

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_bytes(rel: str) -> bytes:
    """Raw bytes of `tests/fixtures/<rel>`."""
    return (FIXTURES / rel).read_bytes()


def fixture_json(rel: str) -> Any:
    """Parsed JSON of `tests/fixtures/<rel>`."""
    return json.loads(fixture_bytes(rel))


class FakeClock:
    """A monotonic clock that only moves when something sleeps on it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def mock_http(handler: Callable[[httpx.Request], httpx.Response], **kwargs: Any) -> Http:
    """An Http layer over httpx.MockTransport on a fake clock: nothing really waits.

    Every wait (backoff, Retry-After, host pacing) lands in `.sleeps` and advances `.clock`.
    """
    clock = FakeClock()
    http = Http(httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True),
                sleep=clock.sleep, jitter=lambda: 0.5, clock=clock, **kwargs)
    http.clock = clock  # type: ignore[attr-defined]
    http.sleeps = clock.sleeps  # type: ignore[attr-defined]
    return http


# -- dataset -----------------------------------------------------------------------------------


def _go_index() -> list[dict[str, str]]:
    rows = [json.loads(x) for x in fixture_bytes("golang/index.ndjson").decode().splitlines() if x.strip()]
    # three entries share one timestamp, so page boundaries can fall inside a tie
    tie = "2026-09-20T03:13:00.000000001Z"
    rows += [{"Path": f"github.com/acme/tie{i}", "Version": "v0.1.0", "Timestamp": tie} for i in range(3)]
    rows.append({"Path": "github.com/acme/late", "Version": "v1.0.0", "Timestamp": "2026-09-20T03:14:00Z"})
    return rows


def _tarball(counts: dict[str, int]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        data = json.dumps(counts).encode()
        info = tarfile.TarInfo("package/counts.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


class Dataset:
    """What the fake registries know."""

    def __init__(self) -> None:
        self.npm = {
            "colorlog-utils": fixture_json("npm/colorlog-utils.json"),
            "expresss": fixture_json("npm/security-holding.json"),
            "@acme/loader": {**fixture_json("npm/colorlog-utils.json"), "name": "@acme/loader", "_id": "@acme/loader"},
        }
        self.npm_counts = {"semver": 300, "debug": 200, "chalk": 250, "colorlog-utils": 3}
        self.npm_changes = [{"seq": 100 + i, "id": f"pkg-{i}", "changes": [{"rev": f"1-{i}"}]} for i in range(1, 8)]
        self.pypi = {"reqeusts-toolkit": fixture_json("pypi/reqeusts-toolkit.json")}
        self.pypi_journal = [["reqeusts-toolkit", None, 1789805702 + i, "create" if i == 0 else "new release", 31000001 + i]
                             for i in range(6)]
        self.pypi_top = fixture_json("pypi/top.json")
        self.gems = {"activesupport-json": fixture_json("rubygems/activesupport-json.json")}
        self.gem_versions = {"activesupport-json": fixture_json("rubygems/versions.json")}
        self.gem_owners = {"activesupport-json": fixture_json("rubygems/owners.json")}
        self.gem_timeline = [
            {"name": f"gem{i}", "number": "0.1.0", "created_at": f"2026-09-19T10:{i:02d}:00.000Z"} for i in range(35)
        ]
        self.maven_meta = {"com/example/legacy/widget-core": fixture_bytes("maven/maven-metadata.xml")}
        self.maven_poms = {"com/example/legacy/widget-core/1.4.0/widget-core-1.4.0.pom": fixture_bytes("maven/widget-core-1.4.0.pom")}
        self.maven_docs = fixture_json("maven/search-gav.json")["response"]["docs"] + [
            {"id": f"org.acme:lib{i}:1.0", "g": "org.acme", "a": f"lib{i}", "v": "1.0", "timestamp": 1789900000000 + (i // 2)}
            for i in range(5)
        ]
        self.go = {
            "github.com/gorrilla/mux": {
                "list": fixture_bytes("golang/list.txt"), "latest": fixture_json("golang/latest.json"),
                "mod": fixture_bytes("golang/go.mod"), "info": {"v1.7.4": fixture_json("golang/first.json")},
                "site": fixture_json("golang/module.json"),
            }
        }
        self.go_index = _go_index()
        self.hf = {"meta-llamma/Llama-3.2-1B-Instruct": fixture_json("huggingface/model.json"),
                   "mistral-ai/Mistral-7B": fixture_json("huggingface/gated.json")}
        self.hf_readme = {"meta-llamma/Llama-3.2-1B-Instruct": "# Llama lookalike\n",
                          "datasets/opneai/gsm8k": "# GSM8K\nGrade school math, now with a loader.\n"}
        #: Hugging Face datasets: info by id, and the createdAt-sorted list (empty until `publish("huggingface", "datasets/...")`)
        self.hf_datasets = {"opneai/gsm8k": fixture_json("huggingface/dataset.json")}
        self.hf_dataset_list: list[dict[str, Any]] = []
        self.hf_models = [
            {"id": f"org{i}/model{i}", "author": f"org{i}", "createdAt": f"2026-09-19T18:{59 - i:02d}:00.000Z",
             "downloads": 1000 - i, "likes": i, "tags": []}
            for i in range(12)
        ]
        self.ecosystems = {
            "rubygems.org": [{"name": n, "downloads": d} for n, d in (("rails", 900), ("rake", 800), ("json", 700))],
            "repo1.maven.org": [{"name": "org.slf4j:slf4j-api", "dependent_repos_count": 99}],
            "proxy.golang.org": [{"name": "github.com/stretchr/testify", "dependent_packages_count": 77}],
        }
        for i in range(1, 8):  # every document of the changes feed has a packument
            self.add_record("npm", f"pkg-{i}", {}, stamp=f"2026-09-19T10:0{i}:00Z")
        self._published = 0
        self.pypi_cap: int | None = None
        self.pypi_files: dict[str, bytes] = {}
        """Files served under `/pypi-files/<filename>` (sdists of records given `sdist` bytes)."""
        self.pypi_user_packages: dict[str, list[str]] = {}
        """Projects per account, for XML-RPC `user_packages` (records add their maintainers' projects)."""
        self.feed_cap: int | None = None
        self.xmlrpc_faults = 0

    def publish(self, ecosystem: str, name: str, version: str = "0.1.0", record: dict[str, Any] | None = None) -> str:
        """Append `name` to the feed of `ecosystem` (npm, pypi, rubygems, maven, golang, huggingface), stamped
        after everything the dataset already holds (October 2026 + one second per published package); return
        the stamp. With `record` (keys `summary`, `created`, `maintainers`, `downloads`, Go `commit_time`, PyPI
        `sdist`: the bytes of a source-only release's `.tar.gz`, served with its sha256), the
        registry also serves a metadata record for it; `created` is the registry's own first-publication time."""
        self._published += 1
        n = self._published
        stamp = f"2026-10-01T{n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}"
        epoch = int(datetime.fromisoformat(stamp + "+00:00").timestamp())
        if record is not None:
            self.add_record(ecosystem, name, record, version, stamp + "Z")
        if ecosystem == "npm":
            self.npm_changes.append({"seq": self.npm_changes[-1]["seq"] + 1, "id": name, "changes": [{"rev": f"1-{n}"}]})
        elif ecosystem == "pypi":
            self.pypi_journal.append([name, version, epoch, "create", self.pypi_journal[-1][4] + 1])
        elif ecosystem == "rubygems":
            self.gem_timeline.append({"name": name, "number": version, "created_at": stamp + ".000Z"})
        elif ecosystem == "maven":
            g, _, a = name.partition(":")
            self.maven_docs.append({"id": f"{name}:{version}", "g": g, "a": a, "v": version,
                                    "timestamp": epoch * 1000})
        elif ecosystem == "golang":
            self.go_index.append({"Path": name, "Version": "v" + version, "Timestamp": stamp + "Z"})
        elif ecosystem == "huggingface" and name.startswith("datasets/"):
            rid = name[len("datasets/"):]
            self.hf_dataset_list.append({"id": rid, "author": rid.split("/")[0], "createdAt": stamp + ".000Z",
                                         "downloads": 0, "likes": 0, "tags": []})
        elif ecosystem == "huggingface":
            self.hf_models.append({"id": name, "author": name.split("/")[0], "createdAt": stamp + ".000Z",
                                   "downloads": 0, "likes": 0, "tags": []})
        else:
            raise ValueError(f"unknown registry {ecosystem}")
        return stamp + "Z"

    def unpublish(self, name: str) -> None:
        """Remove npm package `name`: a `deleted` change, and the packument npm keeps for unpublished names."""
        self._published += 1
        n = self._published
        stamp = f"2026-10-01T{n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}.000Z"
        old = self.npm.get(name) or {}
        created = (old.get("time") or {}).get("created", stamp)
        self.npm[name] = {"_id": name, "name": name, "time": {"created": created, "modified": stamp,
                                                              "unpublished": {"time": stamp, "versions": ["0.1.0"]}}}
        self.npm_changes.append({"seq": self.npm_changes[-1]["seq"] + 1, "id": name, "changes": [{"rev": f"2-{n}"}],
                                 "deleted": True})

    def add_record(self, eco: str, name: str, rec: dict[str, Any], version: str = "1.0.0",
                   stamp: str = "2026-09-01T00:00:00Z") -> None:
        """Serve a metadata record for `name` (see `publish` for the keys of `rec`)."""
        created = rec.get("created", stamp)
        summary = rec.get("summary", f"{name} helpers")
        people = list(rec.get("maintainers", ["someone"]))
        downloads = rec.get("downloads", 10)
        if eco == "npm":
            self.npm[name] = {
                "_id": name, "name": name, "description": summary, "dist-tags": {"latest": version},
                "versions": {version: {"name": name, "version": version, "description": summary,
                                       "maintainers": [{"name": p} for p in people]}},
                "time": {"created": created, "modified": stamp, version: stamp},
                "maintainers": [{"name": p} for p in people], "readme": f"# {name}\n{summary}\n"}
        elif eco == "pypi":
            files: list[dict[str, Any]] = [{"upload_time_iso_8601": created}]
            if "sdist" in rec:
                fname = f"{name}-{version}.tar.gz"
                self.pypi_files[fname] = rec["sdist"]
                files = [{"filename": fname, "packagetype": "sdist", "size": len(rec["sdist"]),
                          "url": f"/pypi-files/{fname}", "upload_time_iso_8601": created,
                          "digests": {"sha256": hashlib.sha256(rec["sdist"]).hexdigest()}}]
            self.pypi[name] = {"info": {"name": name, "summary": summary, "version": version, "description": summary},
                               "releases": {version: files}, "urls": files,
                               "ownership": {"roles": [{"role": "Owner", "user": p} for p in people]}}
            for p in people:
                self.pypi_user_packages.setdefault(p, []).append(name)
        elif eco == "rubygems":
            self.gems[name] = {"name": name, "info": summary, "version": version, "downloads": downloads,
                               "version_created_at": stamp}
            self.gem_versions[name] = [{"number": version, "created_at": created}]
            self.gem_owners[name] = [{"handle": p} for p in people]
        elif eco == "maven":
            g, _, a = name.partition(":")
            path = f"{g.replace('.', '/')}/{a}"
            self.maven_meta[path] = (f"<metadata><groupId>{g}</groupId><artifactId>{a}</artifactId><versioning>"
                                     f"<release>{version}</release><versions><version>{version}</version></versions>"
                                     "</versioning></metadata>").encode()
            self.maven_poms[f"{path}/{version}/{a}-{version}.pom"] = (
                f"<project><groupId>{g}</groupId><artifactId>{a}</artifactId><version>{version}</version>"
                f"<description>{summary}</description></project>").encode()
        elif eco == "golang":
            self.go[name] = {"list": f"v{version}\n".encode(),
                             "latest": {"Version": f"v{version}", "Time": rec.get("commit_time", stamp)},
                             "mod": f"module {name}\n".encode(), "info": {}, "site": {"modulePath": name}}
        elif eco == "huggingface":
            self.hf[name] = {"id": name, "author": name.split("/")[0], "createdAt": created, "lastModified": stamp,
                             "downloads": downloads, "likes": 0, "tags": [], "siblings": [], "private": False}
        else:
            raise ValueError(f"unknown registry {eco}")


# -- server -----------------------------------------------------------------------------------


class FakeRegistry:
    """The server. Use as a context manager; `urls()`/`env()` give the base-URL overrides."""

    def __init__(self, data: Dataset | None = None) -> None:
        self.data = data or Dataset()
        self._lock = threading.Lock()
        self._drops = 0
        self._limits = 0
        self._truncs = 0
        self._retry_after = "0"
        self.requests: list[str] = []
        self.broken: dict[str, Reply] = {}
        self.delay = 0.0
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self.server.daemon_threads = True
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def urls(self) -> dict[str, str]:
        """A base URL for every configurable key, all on this server."""
        b = self.base_url
        prefixes = {
            "npm": "/npm", "npm_replicate": "/npm-replicate", "npm_downloads": "/npm-downloads", "pypi": "/pypi",
            "pypi_top": "/pypi-top/top-pypi-packages.min.json", "rubygems": "/rubygems", "maven": "/maven2",
            "maven_search": "/maven-search/select", "golang": "/goproxy", "golang_index": "/goindex",
            "golang_pkgsite": "/pkgsite/v1", "huggingface": "/hf", "ecosystems": "/ecosystems/api/v1",
        }
        assert set(prefixes) == set(DEFAULT_URLS)
        return {k: b + v for k, v in prefixes.items()}

    def env(self) -> dict[str, str]:
        """`CONFUGUARD_<KEY>_URL` variables pointing every registry here."""
        return {env_name(k): v for k, v in self.urls().items()}

    def drop_next(self, n: int) -> None:
        """Close the next `n` connections without an answer."""
        with self._lock:
            self._drops = n

    def rate_limit_next(self, n: int, retry_after: str = "0") -> None:
        """Answer the next `n` requests with 429 and `Retry-After`."""
        with self._lock:
            self._limits, self._retry_after = n, retry_after

    def truncate_next(self, n: int) -> None:
        """Send only half of the next `n` bodies (with the full Content-Length), then close."""
        with self._lock:
            self._truncs = n

    def break_path(self, prefix: str, reply: Reply | None) -> None:
        """Answer every request whose path starts with `prefix` with `reply` (None: heal it)."""
        with self._lock:
            if reply is None:
                self.broken.pop(prefix, None)
            else:
                self.broken[prefix] = reply

    def _switch(self) -> str | None:
        with self._lock:
            if self._truncs > 0:
                self._truncs -= 1
                return "truncate"
            if self._drops > 0:
                self._drops -= 1
                return "drop"
            if self._limits > 0:
                self._limits -= 1
                return "limit"
        return None

    def __enter__(self) -> FakeRegistry:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)


Reply = tuple[int, dict[str, str], bytes]


def _json(value: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    return status, {"Content-Type": "application/json", **(headers or {})}, json.dumps(value).encode()


def _text(body: bytes | str, ctype: str = "text/plain; charset=utf-8", status: int = 200) -> Reply:
    return status, {"Content-Type": ctype}, body.encode() if isinstance(body, str) else body


NOT_FOUND: Reply = (404, {"Content-Type": "text/plain"}, b"not found")


def _make_handler(fake: FakeRegistry) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _serve(self, method: str) -> None:
            fake.requests.append(f"{method} {self.path}")
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            switch = fake._switch()
            if fake.delay:
                time.sleep(fake.delay)
            broken = next((r for p, r in list(fake.broken.items()) if self.path.startswith(p)), None)
            if broken is not None and switch is None:
                switch = "broken"
            if switch == "drop":
                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            if switch == "limit":
                status, headers, payload = _json({"error": "rate limited"}, 429, {"Retry-After": fake._retry_after})
            elif switch == "broken" and broken is not None:
                status, headers, payload = broken
            else:
                try:
                    status, headers, payload = route(fake.data, method, self.path, body, fake.base_url)
                except Exception as exc:  # a bug in the fake must show up as a 500, not a hang
                    status, headers, payload = _text(f"fake registry error: {exc!r}", status=500)
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if switch == "truncate":
                self.wfile.write(payload[: len(payload) // 2])
                self.wfile.flush()
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            self.wfile.write(payload)

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

    return Handler


def route(d: Dataset, method: str, raw_path: str, body: bytes, base: str) -> Reply:
    """Answer one request from the dataset."""
    parts = urlsplit(raw_path)
    path = unquote(parts.path)
    q = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    if path.startswith("/npm-replicate"):
        return _npm_replicate(d, path[len("/npm-replicate"):], q)
    if path.startswith("/npm-downloads/downloads/point/last-month/"):
        name = path.rsplit("last-month/", 1)[1]
        return _json({"downloads": 42, "package": name}) if name in d.npm else _json({"error": "not found"}, 404)
    if path.startswith("/npm/"):
        return _npm(d, path[len("/npm/"):], base)
    if path == "/pypi/pypi" and method == "POST":
        return _xmlrpc(d, body)
    if path.startswith("/pypi/pypi/") and path.endswith("/json"):
        doc = d.pypi.get(path.split("/")[3])
        return _json(json.loads(json.dumps(doc).replace('"url": "/pypi-files/', f'"url": "{base}/pypi-files/'))) \
            if doc else NOT_FOUND
    if path.startswith("/pypi-files/"):
        found = d.pypi_files.get(path[len("/pypi-files/"):])
        return _text(found, "application/octet-stream") if found is not None else NOT_FOUND
    if path == "/pypi/rss/packages.xml":
        return _text(_pypi_rss(d), "text/xml")
    if path.startswith("/pypi-top/"):
        return _json(d.pypi_top)
    if path.startswith("/rubygems/api/v1/"):
        return _rubygems(d, path[len("/rubygems/api/v1/"):], q)
    if path.startswith("/maven2/"):
        rel = path[len("/maven2/"):]
        if rel.endswith("/maven-metadata.xml"):
            found = d.maven_meta.get(rel.rsplit("/", 1)[0])
        else:
            found = d.maven_poms.get(rel)
        return _text(found, "text/xml") if found else NOT_FOUND
    if path == "/maven-search/select":
        return _maven_search(d, q)
    if path.startswith("/goproxy/"):
        return _goproxy(d, path[len("/goproxy/"):])
    if path == "/goindex/index":
        since, limit = q.get("since", ""), min(int(q.get("limit", "2000")), d.feed_cap or 2000)
        rows = [r for r in d.go_index if r["Timestamp"] >= since][:limit]  # inclusive, chronological
        return _text("".join(json.dumps(r) + "\n" for r in rows), "application/json")
    if path.startswith("/pkgsite/v1/module/"):
        mod = d.go.get(path[len("/pkgsite/v1/module/"):])
        return _json(mod["site"]) if mod else NOT_FOUND
    if path == "/hf/api/models":
        return _hf_list(d.hf_models, "models", q, base, d.feed_cap)
    if path == "/hf/api/datasets":
        return _hf_list(d.hf_dataset_list, "datasets", q, base, d.feed_cap)
    if path.startswith("/hf/api/datasets/"):
        doc = d.hf_datasets.get(path[len("/hf/api/datasets/"):])
        return _json(doc) if doc else _json({"error": "Repository not found"}, 401, {"X-Error-Code": "RepositoryNotFound"})
    if path.startswith("/hf/api/models/"):
        doc = d.hf.get(path[len("/hf/api/models/"):])
        return _json(doc) if doc else _json({"error": "Repository not found"}, 401, {"X-Error-Code": "RepositoryNotFound"})
    if path.startswith("/hf/") and path.endswith("/raw/main/README.md"):
        text = d.hf_readme.get(path[len("/hf/"):-len("/raw/main/README.md")])
        return _text(text, "text/markdown; charset=utf-8") if text else NOT_FOUND
    if path.startswith("/ecosystems/api/v1/registries/") and path.endswith("/packages"):
        reg = path.split("/")[5]
        rows = d.ecosystems.get(reg, [])
        page, per = int(q.get("page", "1")), int(q.get("per_page", "100"))
        return _json(rows[(page - 1) * per : page * per])
    return NOT_FOUND


def _npm(d: Dataset, name: str, base: str) -> Reply:
    if name == "download-counts/latest":
        return _json({"name": "download-counts", "version": "2.0.0",
                      "dist": {"tarball": "https://registry.npmjs.org/download-counts/-/download-counts-2.0.0.tgz"}})
    if name == "download-counts/-/download-counts-2.0.0.tgz":
        return _text(_tarball(d.npm_counts), "application/octet-stream")
    doc = d.npm.get(name)
    return _json(doc) if doc else _json({"error": "Not found"}, 404)


def _npm_replicate(d: Dataset, path: str, q: dict[str, str]) -> Reply:
    if path in ("", "/"):
        return _json({"db_name": "registry", "update_seq": d.npm_changes[-1]["seq"]})
    if path == "/registry/_changes":
        since, limit = int(q.get("since", "0")), min(int(q.get("limit", "1000")), d.feed_cap or 10_000)
        latest = {r["id"]: r["seq"] for r in d.npm_changes}  # each document once, at its latest change
        rows = [r for r in d.npm_changes if r["seq"] > since and latest[r["id"]] == r["seq"]][:limit]  # exclusive
        return _json({"results": rows, "last_seq": rows[-1]["seq"] if rows else since})
    return NOT_FOUND


def _xmlrpc(d: Dataset, body: bytes) -> Reply:
    params, method = xmlrpc.client.loads(body)
    if d.xmlrpc_faults > 0:
        d.xmlrpc_faults -= 1
        fault = xmlrpc.client.Fault(-32500, "HTTPTooManyRequests: The action could not be performed because there "
                                            "were too many requests by the client.")
        return _text(xmlrpc.client.dumps(fault, methodresponse=True), "text/xml")
    if method == "changelog_last_serial":
        result: Any = d.pypi_journal[-1][4]
    elif method == "changelog_since_serial":
        result = [r for r in d.pypi_journal if r[4] > params[0]][: d.pypi_cap]  # after the serial, capped
    elif method == "user_packages":
        result = [["Owner", p] for p in d.pypi_user_packages.get(params[0], [])]
    else:
        fault = xmlrpc.client.dumps(xmlrpc.client.Fault(1, f"no method {method}"), methodresponse=True)
        return _text(fault, "text/xml")
    return _text(xmlrpc.client.dumps((result,), methodresponse=True, allow_none=True), "text/xml")


def _pypi_rss(d: Dataset) -> str:
    """PyPI's newest-projects RSS: the 40 latest `create` rows of the journal, newest first."""
    from email.utils import formatdate
    from xml.sax.saxutils import escape

    rows = [r for r in d.pypi_journal if r[3] == "create"][-40:][::-1]
    items = "".join(f"<item><title>{escape(r[0])} added to PyPI</title><link>https://pypi.org/project/{escape(r[0])}/"
                    f"</link><pubDate>{formatdate(r[2], usegmt=True)}</pubDate></item>" for r in rows)
    return f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>PyPI newest packages</title>{items}</channel></rss>'


def _rubygems(d: Dataset, rel: str, q: dict[str, str]) -> Reply:
    if rel == "timeframe_versions.json":
        lo, hi, page = q["from"], q["to"], int(q.get("page", "1"))
        from confuguard.registries._parse import parse_time

        start, end = parse_time(lo), parse_time(hi)
        rows = [r for r in d.gem_timeline if start <= parse_time(r["created_at"]) <= end]  # type: ignore[operator]
        return _json(rows[(page - 1) * 30 : page * 30])
    if rel.startswith("gems/") and rel.endswith("/owners.json"):
        owners = d.gem_owners.get(rel[len("gems/"):-len("/owners.json")])
        return _json(owners) if owners is not None else NOT_FOUND
    if rel.startswith("gems/") and rel.endswith(".json"):
        doc = d.gems.get(rel[len("gems/"):-len(".json")])
        return _json(doc) if doc else _text("This rubygem could not be found.", status=404)
    if rel.startswith("versions/") and rel.endswith(".json"):
        vs = d.gem_versions.get(rel[len("versions/"):-len(".json")])
        return _json(vs) if vs is not None else NOT_FOUND
    return NOT_FOUND


def _maven_search(d: Dataset, q: dict[str, str]) -> Reply:
    query = q.get("q", "")
    if query.startswith("timestamp:["):
        since = int(query[len("timestamp:["):].split(" ", 1)[0])
        docs = sorted((x for x in d.maven_docs if x["timestamp"] >= since), key=lambda x: (x["timestamp"], x["id"]))
    else:
        terms = dict(t.split(":", 1) for t in query.split(" AND "))
        docs = [x for x in d.maven_docs if x["g"] == terms.get("g") and x["a"] == terms.get("a")]
    start, rows = int(q.get("start", "0")), min(int(q.get("rows", "20")), d.feed_cap or 200)
    return _json({"responseHeader": {"status": 0}, "response": {"numFound": len(docs), "start": start,
                                                                 "docs": docs[start : start + rows]}})


def _goproxy(d: Dataset, rel: str) -> Reply:
    mod, _, tail = rel.partition("/@")
    entry = d.go.get(mod.replace("!", ""))  # fixtures hold lowercase paths only
    if entry is None:
        return _text("not found: module unknown", status=404)
    if tail == "v/list":
        return _text(entry["list"])
    if tail == "latest":
        return _json(entry["latest"])
    if tail.endswith(".mod"):
        return _text(entry["mod"])
    if tail.endswith(".info"):
        info = entry["info"].get(tail[len("v/"):-len(".info")])
        return _json(info) if info else _text("not found", status=410)
    return NOT_FOUND


def _hf_list(rows: list[dict[str, Any]], what: str, q: dict[str, str], base: str, cap: int | None = None) -> Reply:
    key = q.get("sort", "createdAt")
    models = sorted(rows, key=lambda m: m[key], reverse=True)
    offset = int(base64.urlsafe_b64decode(q["cursor"]).decode()) if "cursor" in q else 0
    limit = min(int(q.get("limit", "10")), cap or 1000)
    page = models[offset : offset + limit]
    headers = {}
    if offset + limit < len(models):
        token = base64.urlsafe_b64encode(str(offset + limit).encode()).decode()
        headers["Link"] = f'<{base}/hf/api/{what}?sort={key}&limit={limit}&cursor={token}>; rel="next"'
    return _json(page, headers=headers)


def paged(rows: list[Any]) -> Callable[[httpx.Request], httpx.Response]:
    """A route serving `rows` as page 1 of a `page`-numbered JSON list, and `[]` after it (ecosyste.ms style)."""
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=rows if request.url.params.get("page", "1") == "1" else [])
    return answer


def routed(routes: dict[str, Any], **kwargs: Any) -> Http:
    """A mock Http answering `host+path` (e.g. `registry.npmjs.org/colorlog-utils`) from `routes`, else 404.

    Values are httpx.Response factories (callables taking the request), JSON-able objects
    (served as application/json) or bytes (served as text/xml). Requests land in `.requests`.
    """
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        key = request.url.host + request.url.raw_path.decode().split("?", 1)[0]
        value = routes.get(key)
        if value is None:
            return httpx.Response(404, json={"error": "not found"})
        if callable(value):
            return value(request)
        if isinstance(value, bytes):
            return httpx.Response(200, content=value, headers={"Content-Type": "text/xml"})
        return httpx.Response(200, json=value)

    http = mock_http(handler, **kwargs)
    http.requests = seen  # type: ignore[attr-defined]
    return http
