"""A seventh registry added through its descriptor alone (`confuguard.ecosystems.register`), with no edit to
any confuguard module: checked by `confuguard check`, its dependency files scanned, served by the HTTP service,
swept from its feed (a fake on 127.0.0.1) and exported in the alerts CSV with links to it. CONTRIBUTING.md's
"Adding a registry" walks through the same steps.
"""

from __future__ import annotations

import csv
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from confuguard.registries._base import BaseRegistry

from confuguard import ecosystems, paths
from confuguard.cli import main
from confuguard.depfiles.base import Collector
from confuguard.ecosystems import DepFile, EcosystemSpec, Endpoint
from confuguard.errors import InputError
from confuguard.protocols import DEFAULT_FEED_LIMIT, FeedItem, FeedPage, PopularEntry, PopularList
from confuguard.types import Ecosystem, PackageId, PackageMetadata

_NAME = re.compile(r"^[a-z][a-z0-9-]{0,63}$")
TARGETS = ["widget", "gadget-core", "sprocket", "flux-capacitor", "thingamajig"]
#: The feed of the fake toy registry: a lookalike of `widget`, an ordinary new name, an invalid one.
PUBLISHED = ["widegt", "zebra-stripes-kit", "Bad Name"]


def parse_toy(text: str) -> PackageId:
    """Toy names: a lowercase letter, then lowercase letters, digits and dashes."""
    if not _NAME.match(text):
        raise InputError(f"{text[:60]!r}: toy names are lowercase letters, digits and '-', starting with a letter")
    return PackageId(ToyRegistry.ecosystem, text)


class ToyRegistry(BaseRegistry):
    """The toy registry's client: `/api/<name>` records, `/feed?after=N` new packages, `/popular`."""

    ecosystem: ClassVar[Ecosystem]  # set when the spec is registered

    def metadata(self, pkg: PackageId) -> PackageMetadata | None:
        doc = self.http.get_json(f"{self.url('toy')}/api/{quote(pkg.name, safe='')}")
        if doc is None:
            return None
        return self.record(pkg, summary=doc.get("summary"), maintainers=tuple(doc.get("maintainers", ())))

    def feed(self, cursor: str | None, *, limit: int = DEFAULT_FEED_LIMIT) -> FeedPage:
        doc = self.http.get_json(f"{self.url('toy')}/feed", params={"after": cursor or "0"}, conditional=False)
        items = []
        for name in doc["names"][:limit]:
            try:
                items.append(FeedItem(name, parse_toy(name), action="published"))
            except InputError as exc:
                items.append(FeedItem(name, None, error=str(exc)))
        return FeedPage(tuple(items), str(doc["next"]), exhausted=True)

    def popular(self, limit: int) -> PopularList:
        entries = tuple(PopularEntry(n, i + 1) for i, n in enumerate(TARGETS[:limit]))
        return PopularList(self.ecosystem, entries, source=f"{self.url('toy')}/popular", fetched=self._now().date())


def parse_toy_lock(path: Path, text: str, out: Collector) -> None:
    """`toy.lock`: one dependency name a line."""
    for line, raw in enumerate(text.splitlines(), start=1):
        if raw.strip():
            out.add(ToyRegistry.ecosystem, raw.strip(), path, line, 1, raw)


SPEC = EcosystemSpec(
    name="toy", title="Toy", purl_type="toy", client=f"{__name__}:ToyRegistry",
    endpoints={"toy": Endpoint("https://toy.example", concurrency=2)},
    web_url=lambda p: f"https://toy.example/p/{quote(p.name, safe='')}",
    mirror_url=lambda p, base: f"{base}/api/{quote(p.name, safe='')}",
    probe="widgte", aliases=("toys",), shape=lambda n: n.startswith("toy/"),
    parse_name=parse_toy, max_length=64, depfiles={"toy-lock": DepFile(f"{__name__}:parse_toy_lock", ("toy.lock",))},
)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        url = urlsplit(self.path)
        if url.path == "/feed":
            after = int(parse_qs(url.query).get("after", ["0"])[0])
            body: Any = {"names": PUBLISHED[after:], "next": len(PUBLISHED)}
        elif url.path.startswith("/api/") and url.path[5:] in {*TARGETS, *PUBLISHED}:
            name = url.path[5:]
            body = {"summary": f"{name}, a toy package", "maintainers": ["toy-owner" if name in TARGETS else "newcomer"]}
        else:
            self.send_response(404)
            self.end_headers()
            return
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def toy(monkeypatch) -> Iterator[str]:
    """The toy registry registered, its popular list in the user data dir and its fake on 127.0.0.1; yields
    the fake's base URL (also set as CONFUGUARD_TOY_URL). Removed again afterwards."""
    eco = ecosystems.register(SPEC)
    monkeypatch.setattr(ToyRegistry, "ecosystem", eco, raising=False)
    folder = paths.user_popular_dir()
    folder.mkdir(parents=True, exist_ok=True)
    lines = "".join(f"{n}\t{i + 1}\t\n" for i, n in enumerate(TARGETS))
    (folder / "toy.tsv").write_text("# toy popular targets\nname\trank\tpopularity\n" + lines, encoding="utf-8")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv("CONFUGUARD_TOY_URL", base)
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        (folder / "toy.tsv").unlink()
        ecosystems.unregister(eco)


def test_the_descriptor_makes_a_registry(toy):
    eco = Ecosystem("toy")
    assert Ecosystem.parse("toys") is eco and eco.purl_type == "toy" and eco in list(Ecosystem)
    from confuguard.registries import REGISTRIES

    from confuguard.app import guess_registry
    from confuguard.config import Config

    assert guess_registry("pkg:toy/widget") is eco and guess_registry("toy/widget") is eco
    assert REGISTRIES[eco] is ToyRegistry
    assert Config.load().url("toy") == toy


def test_checked_by_the_cli(toy, capsys):
    code = main(["check", "--registry", "toy", "--no-embeddings", "--format", "json", "widgte", "zebra-stripes-kit"])
    docs = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [d["verdict"] for d in docs] == ["suspicious", "clean"]
    assert docs[0]["purl"] == "pkg:toy/widgte" and docs[0]["candidates"][0]["target"] == "widget"
    assert main(["check", "--no-embeddings", "pkg:toy/Bad"]) == 2  # guessed from the purl, invalid there
    assert "toy names are lowercase" in capsys.readouterr().err


def test_its_dependency_files_are_scanned(toy, tmp_path, capsys):
    (tmp_path / "toy.lock").write_text("sprocket\nwidegt\n", encoding="utf-8")
    assert main(["scan", str(tmp_path), "--format", "json"]) == 1
    docs = json.loads(capsys.readouterr().out)
    assert [(d["name"], d["line"], d["verdict"]) for d in docs] == [("sprocket", 1, "popular"),
                                                                    ("widegt", 2, "suspicious")]


def test_served_by_the_service(toy):
    from test_service import Served

    from confuguard.engine import Engine
    from confuguard.service import create_app

    served = Served(create_app(Engine(encoder=None), warm=[Ecosystem("toy")]))  # warm-up checks its probe
    try:
        served.wait_ready()
        r = served.client.post("/v1/check", json={"registry": "toy", "name": "widgte"})
        assert r.status_code == 200 and r.json()["verdict"] == "suspicious"
        assert r.json()["candidates"][0]["target_purl"] == "pkg:toy/widget"
        r = served.client.post("/v1/check/batch", json={"registry": "toys", "names": ["sprokcet", "Bad"]})
        assert [(x["registry"], x["verdict"]) for x in r.json()["results"]] == [("toy", "suspicious"),
                                                                                ("toy", "invalid")]
    finally:
        served.stop()


def test_swept_and_exported(toy, tmp_path, capsys):
    db = tmp_path / "toy.db"
    code = main(["sweep", "--registry", "toy", "--db", str(db), "--no-embeddings", "--format", "json",
                 "--cursor", "toy=0"])
    summary = json.loads(capsys.readouterr().out)
    assert code == 1, summary
    row = summary["registries"]["toy"]
    assert (row["checked"], row["alerts_new"], row["invalid"]) == (2, 1, 1)
    out = tmp_path / "alerts.csv"
    assert main(["alerts", "export", "--db", str(db), "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [(r["registry"], r["suspect"], r["target"]) for r in rows] == [("toy", "widegt", "widget")]
    assert rows[0]["suspect_purl"] == "pkg:toy/widegt"
    assert rows[0]["suspect_url"] == f"{toy}/api/widegt"  # the configured mirror's document
    from confuguard.alerts import web_url

    assert web_url(PackageId(Ecosystem("toy"), "widegt")) == "https://toy.example/p/widegt"


def test_without_its_descriptor_the_registry_is_a_clear_error():
    from confuguard.app import guess_registry

    with pytest.raises(ValueError, match="unknown registry 'toy'"):
        Ecosystem.parse("toy")
    with pytest.raises(InputError, match="unknown registry 'toy' in purl"):
        guess_registry("pkg:toy/widget")
    assert main(["check", "pkg:toy/widget"]) == 2
