"""End to end over real HTTP on 127.0.0.1: confuguard pointed at the fake registry through base-URL overrides."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from confuguard.registries import build, fetch_live
from fakeregistry import FakeRegistry

from confuguard import names
from confuguard.cli import main
from confuguard.config import Config
from confuguard.errors import RateLimited, RegistryUnavailable
from confuguard.store import Store
from confuguard.types import Ecosystem

NAMES = {
    Ecosystem.NPM: "colorlog-utils",
    Ecosystem.PYPI: "Reqeusts_Toolkit",
    Ecosystem.RUBYGEMS: "activesupport-json",
    Ecosystem.MAVEN: "com.example.legacy:widget-core",
    Ecosystem.GOLANG: "github.com/gorrilla/mux",
    Ecosystem.HUGGINGFACE: "meta-llamma/Llama-3.2-1B-Instruct",
}
#: Cursors just before the fake's data, so one page has items.
CURSORS = {
    Ecosystem.NPM: "100",
    Ecosystem.PYPI: "31000000",
    Ecosystem.RUBYGEMS: "2026-09-19T10:00:00Z||1",
    Ecosystem.MAVEN: "1789700000000|0",
    Ecosystem.GOLANG: "2026-09-20T03:11:45.120733Z|0",
    Ecosystem.HUGGINGFACE: None,
}


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeRegistry]:
    with FakeRegistry() as server:
        yield server


@pytest.fixture
def env(fake: FakeRegistry, tmp_path, monkeypatch) -> Config:
    cfg = tmp_path / "config.toml"
    cfg.write_text("[http]\nretries = 3\nbackoff_base = 0.01\nbackoff_cap = 0.05\nmax_retry_after = 2\n")
    monkeypatch.setenv("CONFUGUARD_CONFIG", str(cfg))
    for k, v in fake.env().items():
        monkeypatch.setenv(k, v)
    monkeypatch.setenv("CONFUGUARD_DB", str(tmp_path / "store.db"))
    monkeypatch.setenv("CONFUGUARD_DATA_DIR", str(tmp_path / "data"))
    fake.drop_next(0)
    fake.rate_limit_next(0)
    fake.truncate_next(0)
    return Config.load()


@pytest.mark.parametrize("eco", list(Ecosystem))
def test_metadata_on_every_registry(env: Config, fake: FakeRegistry, eco: Ecosystem) -> None:
    pkg = names.parse(NAMES[eco], eco)
    meta = build(eco, config=env).metadata(pkg)
    assert meta is not None and meta.source == "live" and meta.latest_version
    assert "errors" not in meta.extra, meta.extra
    assert build(eco, config=env).metadata(names.parse(_missing(eco), eco)) is None


def _missing(eco: Ecosystem) -> str:
    return {Ecosystem.MAVEN: "org.none:none", Ecosystem.GOLANG: "example.com/none/none",
            Ecosystem.HUGGINGFACE: "nobody/nothing"}.get(eco, "nothing-here")


@pytest.mark.parametrize("eco", list(Ecosystem))
def test_one_page_of_every_feed(env: Config, eco: Ecosystem) -> None:
    page = build(eco, config=env).feed(CURSORS[eco], limit=4)
    assert page.items and all(i.package is not None for i in page.items)
    assert isinstance(page.next_cursor, str) and page.next_cursor != CURSORS[eco]
    nxt = build(eco, config=env).feed(page.next_cursor, limit=4)
    assert not set(nxt.items) & set(page.items)


def test_go_index_boundary_over_http(env: Config) -> None:
    reg = build(Ecosystem.GOLANG, config=env)
    cursor, seen = "2026-09-20T00:00:00Z|0", []
    for _ in range(10):
        page = reg.feed(cursor, limit=2)  # pages split the three-way timestamp tie
        seen += [i.name for i in page.items]
        cursor = page.next_cursor
        if page.exhausted:
            break
    assert seen == ["github.com/gorrilla/mux", "github.com/acme/widget/v2", "github.com/acme/tie0",
                    "github.com/acme/tie1", "github.com/acme/tie2", "github.com/acme/late"]


def test_survives_dropped_connections_and_rate_limits(env: Config, fake: FakeRegistry) -> None:
    pkg = names.parse("colorlog-utils", Ecosystem.NPM)
    fake.drop_next(2)
    assert build(Ecosystem.NPM, config=env).metadata(pkg) is not None
    fake.rate_limit_next(2, "0")
    assert build(Ecosystem.NPM, config=env).feed("100", limit=2).items
    fake.truncate_next(2)
    assert build(Ecosystem.HUGGINGFACE, config=env).metadata(names.parse(NAMES[Ecosystem.HUGGINGFACE], Ecosystem.HUGGINGFACE))
    fake.drop_next(50)
    with pytest.raises(RegistryUnavailable, match="connection failed"):
        build(Ecosystem.PYPI, config=env).metadata(names.parse("reqeusts-toolkit", Ecosystem.PYPI))
    fake.drop_next(0)
    fake.rate_limit_next(1, "3600")
    with pytest.raises(RateLimited):
        build(Ecosystem.RUBYGEMS, config=env).metadata(names.parse("activesupport-json", Ecosystem.RUBYGEMS))
    fake.rate_limit_next(0)


def test_fetch_live_all_registries_concurrently(env: Config, fake: FakeRegistry, tmp_path) -> None:
    pkgs = [names.parse(n, e) for e, n in NAMES.items()]
    fake.drop_next(3)
    errors: dict[str, str] = {}
    with Store.open(tmp_path / "live.db") as store:
        got = fetch_live(pkgs, store=store, config=env, errors=errors)
        assert not errors
        assert all(got[names.purl(p)] is not None for p in pkgs)
        assert store.count_metadata() == {f"{e.value}/live": 1 for e in Ecosystem}
        again = fetch_live(pkgs[:1], store=store, config=env)  # second time the ETag-less fake still answers 200
        assert again[names.purl(pkgs[0])].latest_version == "1.0.2"


def test_check_live_through_the_cli(env: Config, fake: FakeRegistry, capsys) -> None:
    rc = main(["check", "--live", "--no-embeddings", "-r", "npm", "-f", "json", "colorlog-utils", "expresss"])
    out = capsys.readouterr().out
    assert rc in (0, 1)
    results = json.loads(out)
    metas = {k: v for r in results for k, v in (r.get("metadata") or {}).items()}
    assert metas["pkg:npm/expresss"]["security_holding"] is True
    assert metas["pkg:npm/colorlog-utils"]["source"] == "live"
    assert any("/npm/colorlog-utils" in r for r in fake.requests)


def test_update_popular_through_the_cli(env: Config, capsys) -> None:
    assert main(["update-popular", "--registry", "all", "--limit", "3"]) == 0
    from confuguard import paths

    for eco in Ecosystem:
        lines = (paths.user_popular_dir() / f"{eco.value}.tsv").read_text().splitlines()
        assert lines[0].startswith("# ") and "name\trank\tpopularity" in lines
        assert any(ln.startswith("# source: http://127.0.0.1:") for ln in lines)
    npm = (paths.user_popular_dir() / "npm.tsv").read_text().splitlines()
    assert npm[-3:] == ["semver\t1\t300", "chalk\t2\t250", "debug\t3\t200"]


def test_db_import_snapshot_through_the_cli(env: Config, tmp_path, capsys) -> None:
    f = tmp_path / "npm.tsv"
    f.write_text("name\tversion\tdownloads_a_month\tsummary\nleft-pad\t1.3.0\t100\tpad\n")
    assert main(["db", "import-snapshot", "--registry", "npm", str(f), "--db", str(tmp_path / "snap.db")]) == 0
    assert main(["db", "import-snapshot", "--registry", "pypi", str(f), "--db", str(tmp_path / "snap.db")]) == 2
    assert "not the pypi snapshot format" in capsys.readouterr().err


def test_update_popular_says_which_url_a_mirror_lacks(env: Config, fake: FakeRegistry, tmp_path, capsys) -> None:
    missing = (404, {"Content-Type": "text/plain"}, b"Not Found")
    for prefix in ("/pypi-top", "/npm/download-counts", "/ecosystems/api/v1/registries/rubygems.org"):
        fake.break_path(prefix, missing)
    try:
        assert main(["update-popular", "--registry", "all", "--limit", "3", "--output", str(tmp_path)]) == 2
    finally:
        for prefix in ("/pypi-top", "/npm/download-counts", "/ecosystems/api/v1/registries/rubygems.org"):
            fake.break_path(prefix, None)
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 3, err
    for line, path in zip(err, ("/npm/download-counts/latest", "/pypi-top/top-pypi-packages.min.json",
                                "/ecosystems/api/v1/registries/rubygems.org/packages")):
        registry = line.split(": ")[2]
        assert "HTTP 404" in line and path in line, line
        assert line.count(f"{registry}:") == 1, line  # the registry is named once
    assert (tmp_path / "golang.tsv").is_file() and not (tmp_path / "pypi.tsv").exists()
    saved, fake.data.pypi_top = fake.data.pypi_top, {"rows": []}
    try:
        assert main(["update-popular", "--registry", "pypi", "--limit", "3", "--output", str(tmp_path)]) == 2
    finally:
        fake.data.pypi_top = saved
    line = capsys.readouterr().err.strip()
    assert line.count("pypi:") == 1 and "/pypi-top/top-pypi-packages.min.json returned no usable names" in line
