"""Config overrides, the REGISTRIES table, build(), fetch_live() and the update-popular / db commands."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import httpx
import pytest
from confuguard.registries import REGISTRIES, build, fetch_live
from fakeregistry import fixture_json, routed

from confuguard import names
from confuguard.commands import db as db_cmd
from confuguard.commands import update_popular
from confuguard.config import DEFAULT_URLS, Config, env_name
from confuguard.errors import DataError, InputError
from confuguard.protocols import PopularEntry, PopularList, RegistryClient
from confuguard.store import Store
from confuguard.types import Ecosystem


def test_registries_cover_every_ecosystem() -> None:
    assert set(REGISTRIES) == set(Ecosystem)
    for eco, cls in REGISTRIES.items():
        assert cls.ecosystem is eco
        client = build(eco, client=routed({}), config=Config())
        assert isinstance(client, RegistryClient)


def test_env_overrides_every_url_and_http_settings() -> None:
    env = {env_name(k): f"http://127.0.0.1:9/{k}/" for k in DEFAULT_URLS}
    env |= {"CONFUGUARD_HTTP_RETRIES": "1", "CONFUGUARD_HTTP_TIMEOUT": "2.5", "CONFUGUARD_HTTP_CONCURRENCY": "3"}
    cfg = Config.load(environ=env)
    assert cfg.url("npm_replicate") == "http://127.0.0.1:9/npm_replicate"
    assert (cfg.http.retries, cfg.http.read_timeout, cfg.http.concurrency) == (1, 2.5, 3)
    assert env_name("npm") == "CONFUGUARD_NPM_URL" and env_name("npm_replicate") == "CONFUGUARD_NPM_REPLICATE_URL"


def test_config_file_then_env(tmp_path) -> None:
    f = tmp_path / "config.toml"
    f.write_text('[urls]\npypi = "https://mirror.example/pypi/"\nnpm = "https://npm.mirror"\n'
                 '[http]\nretries = 0\nbackoff_base = 0.01\ncontact = "mailto:ops@example.com"\n'
                 '[http.host_concurrency]\n"npm.mirror" = 3\n')
    cfg = Config.load(environ={"CONFUGUARD_CONFIG": str(f), "CONFUGUARD_NPM_URL": "http://127.0.0.1:1"})
    assert cfg.url("pypi") == "https://mirror.example/pypi" and cfg.url("npm") == "http://127.0.0.1:1"
    assert cfg.http.retries == 0 and cfg.http.backoff_base == 0.01 and cfg.http.concurrency_for("npm.mirror") == 3
    assert cfg.http.concurrency_for("replicate.npmjs.com") == 1 and cfg.source == str(f)


@pytest.mark.parametrize("text", ['[urls]\nnpmm = "https://x"\n', '[urls]\nnpm = "ftp://x"\n', "[http]\nretries = -1\n",
                                  "[http]\nbogus = 1\n", "not toml ["])
def test_bad_config_is_input_error(tmp_path, text: str) -> None:
    f = tmp_path / "c.toml"
    f.write_text(text)
    with pytest.raises(InputError):
        Config.load(f, environ={})


def test_missing_explicit_config(tmp_path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        Config.load(environ={"CONFUGUARD_CONFIG": str(tmp_path / "nope.toml")})
    with pytest.raises(InputError):
        Config().url("nope")


def test_fetch_live_stores_results_and_reports_errors(tmp_path) -> None:
    http = routed({
        "registry.npmjs.org/colorlog-utils": fixture_json("npm/colorlog-utils.json"),
        "pypi.org/pypi/broken/json": lambda r: httpx.Response(500),
    })
    pkgs = [names.parse("colorlog-utils", Ecosystem.NPM), names.parse("missing", Ecosystem.NPM),
            names.parse("broken", Ecosystem.PYPI)]
    errors: dict[str, str] = {}
    with Store.open(tmp_path / "s.db") as st:
        got = fetch_live(pkgs, store=st, config=Config(), client=http, errors=errors)
        assert got["pkg:npm/colorlog-utils"].latest_version == "1.0.2"
        assert got["pkg:npm/missing"] is None and got["pkg:pypi/broken"] is None
        assert list(errors) == ["pkg:pypi/broken"] and "HTTP 500" in errors["pkg:pypi/broken"]
        assert st.get_metadata(pkgs[0]).latest_version == "1.0.2"


def test_render_popular_matches_bundled_format(tmp_path) -> None:
    plist = PopularList(Ecosystem.PYPI, (PopularEntry("boto3", 1, 900.0), PopularEntry("not valid", 2, 5.0),
                                         PopularEntry("Boto3", 3, 4.0), PopularEntry("urllib3", 4, None),
                                         PopularEntry("numpy", 5, 2.5)),
                        "https://example.test/top.json", date(2026, 9, 20), "downloads (last 30 days)")
    path, written, dropped = update_popular.write_popular(plist, tmp_path / "pop" / "pypi.tsv")
    lines = path.read_text().splitlines()
    assert (written, dropped) == (3, 2)
    assert "# source: https://example.test/top.json" in lines
    assert "# built: 2026-09-20 by confuguard update-popular" in lines
    body = [ln for ln in lines if not ln.startswith("# ")]
    assert body == ["name\trank\tpopularity", "boto3\t1\t900", "urllib3\t2\t", "numpy\t3\t2.5"]
    from confuguard import corpus

    assert [t.package.name for t in corpus.load(Ecosystem.PYPI, path).targets] == ["boto3", "urllib3", "numpy"]
    with pytest.raises(DataError):
        update_popular.write_popular(PopularList(Ecosystem.NPM, (), "x", date.today()), tmp_path / "npm.tsv")


def test_update_popular_command(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("CONFUGUARD_CONFIG", str(tmp_path / "c.toml"))
    (tmp_path / "c.toml").write_text("")
    rows = [{"name": "rails", "downloads": 10}, {"name": "rake", "downloads": 5}]
    http = routed({"packages.ecosyste.ms/api/v1/registries/rubygems.org/packages": rows})
    import confuguard.registries as regs

    real_build = regs.build
    monkeypatch.setattr(regs, "build", lambda eco, config=None, client=None: real_build(eco, client=http, config=config))
    args = argparse.Namespace(registry="gem", limit=1, output=tmp_path / "out")
    assert update_popular.handler(args) == 0
    assert (tmp_path / "out" / "rubygems.tsv").read_text().splitlines()[-1] == "rails\t1\t10"
    with pytest.raises(InputError):
        update_popular.handler(argparse.Namespace(registry="cpan", limit=1, output=None))
    assert update_popular.parse_registries("all") == list(Ecosystem)


def test_db_commands(tmp_path, capsys) -> None:
    f = tmp_path / "npm.tsv"
    f.write_text("name\tversion\tdownloads_a_month\tsummary\nsemver\t7\t10\ts\nBad Name\t1\t1\tx\n")
    db = tmp_path / "s.db"
    assert db_cmd.import_snapshot(argparse.Namespace(registry="npm", file=f, db=db)) == 0
    out = capsys.readouterr()
    assert "1 npm records imported" in out.out and "line 3" in out.err
    assert db_cmd.show_info(argparse.Namespace(db=db)) == 0
    assert "npm/snapshot: 1" in capsys.readouterr().out
    with pytest.raises(InputError):
        db_cmd.import_snapshot(argparse.Namespace(registry="npm", file=tmp_path / "none.tsv", db=db))


def test_commands_register_with_argparse() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    update_popular.register(sub)
    db_cmd.register(sub)
    args = parser.parse_args(["db", "import-snapshot", "--registry", "pypi", "x.tsv", "--db", "s.db"])
    assert args.func is db_cmd.import_snapshot and args.file == Path("x.tsv")
    args = parser.parse_args(["update-popular", "--registry", "npm", "--limit", "10"])
    assert args.func is update_popular.handler and args.limit == 10


def test_host_interval_config(tmp_path) -> None:
    f = tmp_path / "c.toml"
    f.write_text('[http.host_interval]\n"packages.ecosyste.ms" = 0\n"mirror.example" = 0.5\n')
    cfg = Config.load(f, environ={})
    assert cfg.http.interval_for("packages.ecosyste.ms") == 0 and cfg.http.interval_for("mirror.example") == 0.5
    assert cfg.http.interval_for("api.npmjs.org") == 2.0 and cfg.http.interval_for("127.0.0.1") == 0
    f.write_text('[http.host_interval]\n"x" = -1\n')
    with pytest.raises(InputError):
        Config.load(f, environ={})


def test_update_popular_all_keeps_going_after_one_failure(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("CONFUGUARD_CONFIG", str(tmp_path / "c.toml"))
    (tmp_path / "c.toml").write_text("")
    rows = [{"name": "rails", "downloads": 10}]
    http = routed({"packages.ecosyste.ms/api/v1/registries/rubygems.org/packages": rows})
    import confuguard.registries as regs

    real_build = regs.build
    monkeypatch.setattr(regs, "build", lambda eco, config=None, client=None: real_build(eco, client=http, config=config))
    assert update_popular.handler(argparse.Namespace(registry="all", limit=2, output=tmp_path / "out")) == 2
    assert (tmp_path / "out" / "rubygems.tsv").is_file()
    assert "npm:" in capsys.readouterr().err


def test_mirrors_get_the_budgets_of_what_they_mirror() -> None:
    """Pacing and concurrency follow the configured base URLs, not the public host names."""
    env = {env_name("npm_downloads"): "https://mirror.example/npm-dl", env_name("npm"): "https://mirror.example/npm",
           env_name("huggingface"): "https://hf.mirror.example"}
    cfg = Config.load(environ=env)
    s = cfg.http
    assert s.budget_for("https://mirror.example/npm-dl/downloads/point/last-month/x", "mirror.example") == (
        "https://mirror.example/npm-dl", 1, 2.0)
    assert s.budget_for("https://mirror.example/npm/lodash", "mirror.example")[1:] == (8, 0.0)
    assert s.budget_for("https://hf.mirror.example/api/models?x=1", "hf.mirror.example")[1:] == (2, 0.7)
    assert s.budget_for("https://elsewhere.example/x", "elsewhere.example")[1:] == (s.concurrency, 0.0)
    http = routed({"mirror.example/npm-dl/downloads/point/last-month/a": {"downloads": 1}},
                  settings=s)
    for _ in range(3):
        http.get_json("https://mirror.example/npm-dl/downloads/point/last-month/a", conditional=False)
    http.get_json("https://mirror.example/npm/a", conditional=False)  # another endpoint on the same host: unpaced
    assert http.sleeps == [2.0, 2.0]
    local = Config.load(environ={env_name("npm_downloads"): "http://127.0.0.1:9/dl"})
    assert local.http.budget_for("http://127.0.0.1:9/dl/x", "127.0.0.1")[1:] == (1, 0.0)  # a local mirror: no pacing


def test_alert_links_point_at_the_configured_mirror(tmp_path) -> None:
    from confuguard.alerts import alerts
    from confuguard.sweep import alert_row
    from confuguard.types import Candidate, Category, Finding

    suspect, target = names.parse("lodahs", Ecosystem.NPM), names.parse("lodash", Ecosystem.NPM)
    cand = Candidate(target=target, target_rank=1, findings=(Finding(Category.TYPO, "swap"),), score=0.9,
                     edit_distance=1, embedding_similarity=None, found_by=frozenset({"edit"}), threat_probability=0.9)
    with Store.open(tmp_path / "s.db") as store:
        store.commit_sweep(store.start_run("test"), "2026-12-01T00:00:00Z", [], [alert_row(suspect, cand, "v")])
        public = alerts(store, urls=DEFAULT_URLS)[0]
        mirror = alerts(store, urls={**DEFAULT_URLS, "npm": "https://npm.mirror.example/registry"})[0]
    assert public.suspect_url == "https://www.npmjs.com/package/lodahs"
    assert (mirror.suspect_url, mirror.target_url) == ("https://npm.mirror.example/registry/lodahs",
                                                             "https://npm.mirror.example/registry/lodash")


def test_the_fetch_table_turns_on_opt_in_fetches_and_refuses_anything_else(tmp_path):
    from confuguard.config import Config

    good = tmp_path / "c.toml"
    good.write_text("[fetch]\nsdist = true\n")
    cfg = Config.load(good, environ={})
    assert cfg.fetch.sdist and not cfg.fetch.accounts
    assert cfg.with_fetch(accounts=True).fetch == type(cfg.fetch)(sdist=True, accounts=True)
    for body, msg in (("[fetch]\nsdist = 1\n", "true or false"), ("[fetch]\nwheels = true\n", r"unknown \[fetch\] key")):
        bad = tmp_path / "bad.toml"
        bad.write_text(body)
        with pytest.raises(InputError, match=msg):
            Config.load(bad, environ={})
