"""The nightly sweep end to end over the fake registries on 127.0.0.1, and its crash safety.

Engines run without embeddings (fast); the classifier is on, as `check` runs it.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakeregistry import FakeRegistry

from confuguard.classifier import Judge
from confuguard.cli import main
from confuguard.config import Config
from confuguard.engine import Engine
from confuguard.store import Store
from confuguard.sweep import Sweep
from confuguard.types import Ecosystem

#: What the fake registries publish: lookalikes of bundled targets, harmless lookalikes, invalid names.
PUBLISHED = {
    "npm": ["lodahs", "my-internal-widget-x9", "lodash-utils", "Bad Name", "lodash"],
    "pypi": ["reqeusts", "requests-toolbelt", "pytest-myplugin-zz", "foo bar", "reqeusts"],
    "rubygems": ["rai1s", "rails-i18n-helpers-zz", "bad gem"],
    "maven": ["org.fasterxml.jackson.core:jackson-databind", "org.acme:widget", "org.acme:bad artifact"],
    "golang": ["github.com/boltdb-go/bolt", "github.com/myfork/bolt", "github.com/acme/newtool", "not a path"],
    "huggingface": ["meta-llamma/Llama-3.1-8B", "unsloth/Llama-3.1-8B", "someuser/my-finetune", "bad//name"],
}
#: The alerts a sweep of PUBLISHED must raise, and nothing else.
EXPECTED = {
    ("npm", "lodahs", "lodash"),
    ("pypi", "reqeusts", "requests"),
    ("rubygems", "rai1s", "rails"),
    ("maven", "org.fasterxml.jackson.core:jackson-databind", "com.fasterxml.jackson.core:jackson-databind"),
    ("golang", "github.com/boltdb-go/bolt", "github.com/boltdb/bolt"),
    ("huggingface", "meta-llamma/Llama-3.1-8B", "meta-llama/Llama-3.1-8B"),
    ("huggingface", "meta-llamma/Llama-3.1-8B", "meta-llama/Meta-Llama-3.1-8B"),
    ("huggingface", "meta-llamma/Llama-3.1-8B", "meta-llama/Llama-3.1-8B-Instruct"),
}
INVALID = {"npm": 1, "pypi": 1, "rubygems": 1, "maven": 1, "golang": 1, "huggingface": 1}
#: Cursors just after the fake's own data, so a sweep sees exactly what the test publishes.
START = {
    Ecosystem.NPM: "107",
    Ecosystem.PYPI: "31000006",
    Ecosystem.RUBYGEMS: "2026-09-20T00:00:00Z||1",
    Ecosystem.MAVEN: "1789950000000|0",
    Ecosystem.GOLANG: "2026-09-21T00:00:00Z|0",
    Ecosystem.HUGGINGFACE: json.dumps({"w": "2026-09-19T18:59:00.000Z", "ids": ["org0/model0"]}, separators=(",", ":")),
}


def publish_all(fake: FakeRegistry) -> None:
    for eco, names in PUBLISHED.items():
        for n in names:
            fake.data.publish(eco, n)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(encoder=None, judge=Judge.default())


@pytest.fixture
def fake() -> Iterator[FakeRegistry]:
    with FakeRegistry() as server:
        publish_all(server)
        yield server


@pytest.fixture
def cfg(fake: FakeRegistry, tmp_path, monkeypatch) -> Config:
    conf = tmp_path / "config.toml"
    conf.write_text("[http]\nretries = 1\nbackoff_base = 0.01\nbackoff_cap = 0.02\nmax_retry_after = 1\n")
    monkeypatch.setenv("CONFUGUARD_CONFIG", str(conf))
    for k, v in fake.env().items():
        monkeypatch.setenv(k, v)
    return Config.load()


def sweeper(store: Store, engine: Engine, cfg: Config, **kw) -> Sweep:
    engine.judge.store = store  # the judge reads metadata from this sweep's store
    return Sweep(store, engine, config=cfg, page_size=kw.pop("page_size", 2), checkpoint=_checkpoint, **kw)


def seed_cursors(store: Store) -> None:
    for eco, cur in START.items():
        store.set_feed_cursor(eco, cur)


def alert_set(store: Store) -> set[tuple[str, str, str]]:
    return {(a.ecosystem, a.suspect, a.target) for a in store.alert_rows()}


def alert_state(path: Path) -> tuple[list[tuple], dict[str, str | None]]:
    """Everything a sweep decides (ids and evidence, not timestamps), and the cursors (but RubyGems', whose
    window ends at the present)."""
    with Store.open(path) as st:
        rows = [(a.id, a.ecosystem, a.suspect, a.target, a.categories, a.threat_probability,
                 a.verdict, a.reasons, a.model_version, a.status) for a in st.alert_rows()]
        cursors = {k: v["cursor"] for k, v in st.feed_states().items() if k != "rubygems"}
        checked = st._conn.execute("SELECT ecosystem, key, verdict FROM checked_packages ORDER BY 1, 2").fetchall()
    return rows + [("checked", *c) for c in checked], cursors


# -- end to end ------------------------------------------------------------------------------------------


def test_sweep_all_six_feeds_raises_exactly_the_expected_alerts(engine, cfg, fake, tmp_path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        seed_cursors(store)
        summary = sweeper(store, engine, cfg).feeds(list(Ecosystem))
        assert not summary.failed, summary.to_json()
        assert alert_set(store) == EXPECTED
        by = {r.registry: r for r in summary.registries}
        assert {k: r.invalid for k, r in by.items()} == INVALID
        assert by["pypi"].invalid_names[0]["name"] == "foo bar"
        assert by["golang"].benign_suppressed == 1  # github.com/myfork/bolt: a fork in its own namespace
        assert by["pypi"].checked == 4 and by["pypi"].alerts_new == 1  # reqeusts twice in one run: one alert
        assert by["npm"].popular == 1 and by["pypi"].popular == 1
        assert summary.alerts_new == len(EXPECTED)
        assert all(r.cursor_after != START[Ecosystem(r.registry)] for r in summary.registries)
        rows = store.alert_rows()
        assert {a.model_version for a in rows} == {engine.judge.model.manifest["version"]}
        assert all(a.threat_probability >= 0.6 and a.status == "open" for a in rows)
        assert any("/pypi/pypi/reqeusts/json" in r for r in fake.requests)  # metadata fetched live
        before = alert_state(store.path)

        again = sweeper(store, engine, cfg).feeds(list(Ecosystem))  # nothing new published
        assert again.alerts_new == 0 and again.totals()["checked"] == 0 and not again.failed
        assert alert_state(store.path) == before

        fake.data.publish("npm", "lodahs")  # re-published later: re-seen, not doubled
        fake.data.publish("pypi", "numpyy")
        third = sweeper(store, engine, cfg).feeds([Ecosystem.NPM, Ecosystem.PYPI])
        assert third.alerts_new == 1 and third.totals()["alerts_reseen"] == 1
        assert alert_set(store) == EXPECTED | {("pypi", "numpyy", "numpy")}
        lod = next(a for a in store.alert_rows() if a.suspect == "lodahs")
        assert lod.last_run == third.run_id and lod.first_run == summary.run_id


def test_failing_registries_are_reported_and_retried_next_run(engine, cfg, fake, tmp_path) -> None:
    fake.break_path("/maven-search", (200, {"Content-Type": "application/json"}, b"{not json"))
    fake.break_path("/goindex", (429, {"Content-Type": "application/json", "Retry-After": "3600"}, b"{}"))
    fake.break_path("/hf/api/models?", (503, {"Content-Type": "text/plain"}, b"down"))
    with Store.open(tmp_path / "s.db") as store:
        seed_cursors(store)
        summary = sweeper(store, engine, cfg).feeds(list(Ecosystem))
        status = {r.registry: r.status for r in summary.registries}
        assert status == {"npm": "ok", "pypi": "ok", "rubygems": "ok", "maven": "error", "golang": "error",
                          "huggingface": "error"}
        errors = {r.registry: r.errors[0] for r in summary.registries if r.errors}
        assert "invalid JSON" in errors["maven"], errors
        assert "rate" in errors["golang"].lower() or "429" in errors["golang"], errors
        assert "503" in errors["huggingface"] or "unavailable" in errors["huggingface"].lower(), errors
        states = store.feed_states()
        assert states["maven"]["cursor"] == START[Ecosystem.MAVEN] and states["maven"]["last_error"]
        assert {e for e, _, _ in alert_set(store)} == {"npm", "pypi", "rubygems"}
        for prefix in ("/maven-search", "/goindex", "/hf/api/models?"):
            fake.break_path(prefix, None)
        retry = sweeper(store, engine, cfg).feeds(list(Ecosystem))
        assert not retry.failed and alert_set(store) == EXPECTED
        assert store.feed_states()["maven"]["last_error"] is None


def test_cli_sweep_json_summary_and_exit_codes(cfg, fake, tmp_path, capsys) -> None:
    db = tmp_path / "cli.db"
    args = ["sweep", "--db", str(db), "--no-embeddings", "--page-size", "3", "-f", "json"]
    args += [a for eco, cur in START.items() for a in ("--cursor", f"{eco.value}={cur}")]
    assert main(args) == 1  # new alerts
    data = json.loads(capsys.readouterr().out)
    assert data["schema_version"] == 1 and data["totals"]["alerts_new"] == len(EXPECTED)
    assert data["registries"]["npm"]["invalid_names"] == [{"name": "Bad Name", "reason": data["registries"]["npm"]["invalid_names"][0]["reason"]}]
    assert main(["sweep", "--db", str(db), "--no-embeddings"]) == 0  # from the stored cursors: nothing new
    out = capsys.readouterr().out
    assert out.startswith("sweep run 2") and "total" in out
    fake.break_path("/npm-replicate", (500, {"Content-Type": "text/plain"}, b"boom"))
    assert main(["sweep", "--db", str(db), "--no-embeddings", "-r", "npm", "pypi"]) == 2
    assert "npm: ERROR" in capsys.readouterr().out
    assert main(["sweep", "--db", str(db), "--from", str(db), "-r", "npm", "pypi"]) == 2  # --from needs one registry


# -- crash safety ----------------------------------------------------------------------------------------


_armed: list[int] = []
"""In a forked child: the sweep checkpoints left before the process dies."""


def _checkpoint() -> None:
    """The sweeps' checkpoint hook: an armed child exits with 137 (as if SIGKILLed) at its N-th checkpoint."""
    if _armed:
        _armed[0] -= 1
        if _armed[0] <= 0:
            os._exit(137)


def _run_forked(fn, crash_after: int | None) -> int:
    """Run `fn()` in a forked child (with the crash hook armed); return its exit status."""
    pid = os.fork()
    if pid == 0:  # child: never return into pytest
        code = 0
        try:
            if crash_after is not None:
                _armed.append(crash_after)
            fn()
        except BaseException:  # noqa: BLE001
            import traceback

            traceback.print_exc()
            code = 3
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def _until_done(fn, rng: random.Random, top: int) -> int:
    crashes = 0
    for _ in range(200):
        code = _run_forked(fn, rng.randint(1, top))
        if code == 0:
            return crashes
        assert code == 137, f"sweep child failed with {code}"
        crashes += 1
    raise AssertionError("sweep never finished")


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_feed_sweep_killed_at_random_points_ends_like_an_uninterrupted_run(engine, cfg, fake, tmp_path, seed) -> None:
    for extra in range(6):  # more pages, so kills land in many places
        fake.data.publish("pypi", f"numpyy{'y' * extra}")
        fake.data.publish("npm", f"lodahs{extra}")

    def run(path: Path):
        def go() -> None:
            with Store.open(path) as store:
                if not store.feed_states():
                    seed_cursors(store)
                sweeper(store, engine, cfg).feeds(list(Ecosystem))
        return go

    ref = tmp_path / "ref.db"
    assert _run_forked(run(ref), None) == 0
    crashed = tmp_path / "crashed.db"
    crashes = _until_done(run(crashed), random.Random(seed), 40)
    assert crashes >= 1
    assert alert_state(crashed) == alert_state(ref)


@pytest.mark.slow
@pytest.mark.parametrize("seed", [4, 5])
def test_a_campaign_sweep_killed_at_random_points_ends_like_an_uninterrupted_run(engine, cfg, fake, tmp_path, seed):
    """Recording summaries and judging a campaign's earlier members again, batch by batch, keep crash safety."""
    fresh = (datetime.now(UTC) - timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M:%SZ")
    for t in ("requests", "pandas", "matplotlib", "seaborn"):
        fake.data.add_record("pypi", t, {"summary": f"The {t} project", "created": "2015-01-01T00:00:00Z"}, "3.1.0")
    for i, n in enumerate(("requests-pro", "internal-tool-zq", "pandas-extra", "matplotlib-pro", "seaborn-pro")):
        fake.data.publish("pypi", n, record={"summary": "A library for web scraping and data extraction",
                                             "created": fresh, "maintainers": [f"new{i}"]})

    def run(path: Path):
        def go() -> None:
            with Store.open(path) as store:
                if not store.feed_states():
                    seed_cursors(store)
                sweeper(store, engine, cfg).feeds([Ecosystem.PYPI])
        return go

    ref = tmp_path / "ref.db"
    assert _run_forked(run(ref), None) == 0
    with Store.open(ref) as st:
        assert {"requests-pro", "pandas-extra", "matplotlib-pro", "seaborn-pro"} <= {a.suspect for a in st.alert_rows()}
    crashed = tmp_path / "crashed.db"
    assert _until_done(run(crashed), random.Random(seed), 12) >= 1
    assert alert_state(crashed) == alert_state(ref)


def _names_file(path: Path) -> Path:
    from confuguard import corpus

    targets = [t.package.name for t in corpus.load(Ecosystem.PYPI).targets[:150]]
    rng = random.Random(7)
    lines = ["# backfill"]
    for i, t in enumerate(targets):
        lines.append(t)                                  # popular
        lines.append(t + rng.choice("sxz"))              # lookalike, mostly suspicious
        lines.append(f"internal-tool-{i}-zq")            # clean
        if i % 25 == 0:
            lines += ["", "bad name here", "=HYPERLINK(\"x\")"]  # blank and invalid
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("seed", [11, 12, 13])
def test_file_sweep_killed_at_random_points_ends_like_an_uninterrupted_run(engine, tmp_path, seed, monkeypatch) -> None:
    names = _names_file(tmp_path / "names.txt")

    def run(path: Path):
        def go() -> None:
            with Store.open(path) as store:
                engine.judge.store = store
                Sweep(store, engine, offline=True, batch_size=16, checkpoint=_checkpoint).file(names, Ecosystem.PYPI)
        return go

    ref = tmp_path / "ref.db"
    assert _run_forked(run(ref), None) == 0
    crashed = tmp_path / "crashed.db"
    crashes = _until_done(run(crashed), random.Random(seed), 500)
    assert crashes >= 1
    assert alert_state(crashed) == alert_state(ref)
    with Store.open(crashed) as st:
        assert len(st.alert_rows()) > 50


def test_file_sweep_resumes_after_last_stored_line_and_keys_on_content(engine, tmp_path) -> None:
    f = tmp_path / "n.txt"
    f.write_text("reqeusts\nnumpyy\n\n# c\nfoo bar\ndjangoo\n")
    with Store.open(tmp_path / "s.db") as store:
        engine.judge.store = store
        s1 = Sweep(store, engine, offline=True, batch_size=2).file(f, Ecosystem.PYPI)
        r = s1.registries[0]
        assert (r.checked, r.invalid, r.alerts_new, r.status) == (3, 1, 3, "ok")
        assert r.invalid_names == [{"name": "foo bar", "reason": r.invalid_names[0]["reason"]}]
        s2 = Sweep(store, engine, offline=True).file(f, Ecosystem.PYPI)
        assert s2.registries[0].status == "complete" and s2.registries[0].checked == 0
        s3 = Sweep(store, engine, offline=True).file(f, Ecosystem.PYPI, restart=True)
        assert s3.registries[0].alerts_new == 0 and s3.registries[0].alerts_reseen == 3
        assert len(store.alert_rows()) == 3
        f.write_text(f.read_text() + "rai1s\n")  # grown: a new file, swept from line 1
        s4 = Sweep(store, engine, offline=True).file(f, Ecosystem.PYPI)
        assert s4.registries[0].checked == 4 and s4.registries[0].resumed_at_line is None


@pytest.mark.slow
def test_cli_sweep_survives_real_sigkill(fake, cfg, tmp_path) -> None:
    """A real `kill -9` of `confuguard sweep` at random moments; the finished store equals an uninterrupted run's."""
    fake.delay = 0.02
    env = {**os.environ, **fake.env(), "CONFUGUARD_CONFIG": os.environ["CONFUGUARD_CONFIG"]}
    ref, db = tmp_path / "ref.db", tmp_path / "killed.db"
    for path in (ref, db):
        with Store.open(path) as st:
            seed_cursors(st)

    def cmd(path: Path) -> list[str]:
        return [sys.executable, "-m", "confuguard.cli", "sweep", "--db", str(path), "--no-embeddings",
                "--page-size", "1", "-f", "json"]

    assert subprocess.run(cmd(ref), env=env, capture_output=True, timeout=120).returncode == 1
    rng = random.Random(5)
    kills = 0
    for _ in range(6):
        proc = subprocess.Popen(cmd(db), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(1.5, 3.5))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
        if proc.returncode in (0, 1):
            break
    else:
        assert subprocess.run(cmd(db), env=env, capture_output=True, timeout=120).returncode in (0, 1)
    assert kills >= 1
    assert alert_state(db) == alert_state(ref)


# -- feeds lose nothing, and nothing an author writes buys trust (issue 13) --------------------------------


def checked_set(store: Store) -> set[tuple[str, str, str]]:
    return set(store._conn.execute("SELECT ecosystem, key, verdict FROM checked_packages").fetchall())


def decisions(store: Store) -> tuple[set, set]:
    """What a sweep decided, without ids and times: the alerts with their evidence, and every checked verdict."""
    alerts = {(a.ecosystem, a.suspect, a.target, a.verdict, round(a.threat_probability, 6))
              for a in store.alert_rows()}
    return alerts, checked_set(store)


#: Distinct valid names of PUBLISHED per registry (what a sweep of the window must check).
WINDOW = {(eco, n) for eco, ns in PUBLISHED.items() for n in ns if " " not in n and "//" not in n}


@pytest.mark.parametrize("page_size", [1, 2, 3, 100])
def test_one_run_checks_the_whole_window_at_any_page_size(engine, cfg, fake, tmp_path, page_size) -> None:
    fake.data.pypi_cap = fake.data.feed_cap = 2  # mirrors answering fewer rows than asked: not the end of a feed
    fake.data.publish("npm", "axois")  # published and removed between two sweeps: one `deleted` change
    fake.data.unpublish("axois")
    with Store.open(tmp_path / "s.db") as store:
        seed_cursors(store)
        summary = sweeper(store, engine, cfg, page_size=page_size).feeds(list(Ecosystem))
        assert not summary.failed, summary.to_json()
        assert alert_set(store) == EXPECTED | {("npm", "axois", "axios")}
        assert {(e, n) for e, n, _ in checked_set(store)} >= {(e, n.lower()) for e, n in WINDOW if e != "maven"}
        assert len(checked_set(store)) == len({(e, n.lower()) for e, n in WINDOW}) + 1
        axois = next(a for a in store.alert_rows() if a.suspect == "axois")
        assert "removed from the registry" in " | ".join(axois.reasons)


def test_pypi_changelog_pages_past_a_short_answer(engine, cfg, fake, tmp_path) -> None:
    fake.data.pypi_cap = 1
    with Store.open(tmp_path / "s.db") as store:
        store.set_feed_cursor(Ecosystem.PYPI, START[Ecosystem.PYPI])
        summary = sweeper(store, engine, cfg, page_size=100).feeds([Ecosystem.PYPI])
        assert {k for _, k, _ in checked_set(store)} == {"reqeusts", "requests-toolbelt", "pytest-myplugin-zz"}
        assert summary.registries[0].invalid == 1 and alert_set(store) == {("pypi", "reqeusts", "requests")}
        assert store.feed_cursor(Ecosystem.PYPI) == str(fake.data.pypi_journal[-1][4])


def test_go_age_comes_from_the_index_never_from_the_commit_time(engine, cfg, fake, tmp_path) -> None:
    stamp = fake.data.publish("golang", "github.com/gorila/mux", "1.8.1",
                              record={"commit_time": "2019-01-01T00:00:00Z"})  # a backdated commit
    with Store.open(tmp_path / "s.db") as store:
        store.set_feed_cursor(Ecosystem.GOLANG, START[Ecosystem.GOLANG])
        sweeper(store, engine, cfg).feeds([Ecosystem.GOLANG])
        meta = store.get_metadata(names_parse("github.com/gorila/mux", Ecosystem.GOLANG))
        assert meta.created.isoformat().startswith(stamp[:19]) and meta.extra["first_listed"].startswith(stamp[:19])
        assert meta.extra["commit_time"].startswith("2019-01-01")
        assert ("golang", "github.com/gorila/mux", "github.com/gorilla/mux") in alert_set(store)
        fake.data.publish("golang", "github.com/gorila/mux", "1.8.2")  # a later version: the first listing stays
        sweeper(store, engine, cfg).feeds([Ecosystem.GOLANG])
        again = store.get_metadata(names_parse("github.com/gorila/mux", Ecosystem.GOLANG))
        assert again.extra["first_listed"] == meta.extra["first_listed"] and again.created == meta.created


def names_parse(text: str, eco: Ecosystem):
    from confuguard import names

    return names.parse(text, eco)


def test_a_cursor_start_survives_a_failed_first_page_and_a_kill(engine, cfg, fake, tmp_path, capsys) -> None:
    db = tmp_path / "cli.db"
    fake.break_path("/npm-replicate", (500, {"Content-Type": "text/plain"}, b"boom"))
    assert main(["sweep", "--db", str(db), "--no-embeddings", "-r", "npm", "--cursor", "npm=107"]) == 2
    assert "cursor kept" in capsys.readouterr().out
    fake.break_path("/npm-replicate", None)
    assert main(["sweep", "--db", str(db), "--no-embeddings", "-r", "npm", "-f", "json"]) == 1
    assert json.loads(capsys.readouterr().out)["registries"]["npm"]["cursor_before"] == "107"
    with Store.open(db) as store:
        assert ("npm", "lodahs", "lodash") in alert_set(store)

    killed = tmp_path / "killed.db"

    def first() -> None:
        with Store.open(killed) as store:
            sweeper(store, engine, cfg).feeds([Ecosystem.NPM], start={Ecosystem.NPM: "107"})

    assert _run_forked(first, 1) == 137  # killed before the first commit
    with Store.open(killed) as store:
        assert store.feed_cursor(Ecosystem.NPM) == "107"
        sweeper(store, engine, cfg).feeds([Ecosystem.NPM])
        assert ("npm", "lodahs", "lodash") in alert_set(store)


def test_first_runs_read_the_same_window_on_every_registry(engine, cfg, fake, tmp_path) -> None:
    """No stored cursor: each registry starts at `since`, so what was published after it is checked everywhere."""
    start = datetime(2026, 9, 30, tzinfo=UTC)  # after the fake's own data, before what the test published
    for eco, pkgs in {"npm": ["lodahs"], "pypi": ["reqeusts"]}.items():  # records let npm locate the time
        for p in pkgs:
            fake.data.add_record(eco, p, {"created": "2026-10-01T00:00:00Z"}, stamp="2026-10-01T00:00:00Z")
    with Store.open(tmp_path / "s.db") as store:
        summary = sweeper(store, engine, cfg, since=start).feeds(list(Ecosystem))
        assert not summary.failed, summary.to_json()
        assert {r.registry: r.cursor_before for r in summary.registries} == {
            e.value: "since:2026-09-30T00:00:00.000000Z" for e in Ecosystem}
        assert alert_set(store) == EXPECTED
        old = {("npm", "pkg-1"), ("pypi", "reqeusts-toolkit"), ("rubygems", "gem0"), ("golang", "github.com/acme/late"),
               ("huggingface", "org0/model0")}
        assert not old & {(e, k) for e, k, _ in checked_set(store)}


def test_a_pypi_throttle_on_a_first_sweep_is_a_one_run_fallback(engine, cfg, fake, tmp_path) -> None:
    start = datetime(2026, 9, 30, tzinfo=UTC)
    with Store.open(tmp_path / "clean.db") as store:
        sweeper(store, engine, cfg, since=start).feeds([Ecosystem.PYPI])
        clean = decisions(store)
    fake.data.xmlrpc_faults = 1  # PyPI's XML-RPC throttling fault on the first call
    with Store.open(tmp_path / "s.db") as store:
        first = sweeper(store, engine, cfg, since=start).feeds([Ecosystem.PYPI])
        assert "used RSS" in " ".join(first.registries[0].warnings)
        assert store.feed_cursor(Ecosystem.PYPI).startswith("since:2026-09-30")  # never an RSS cursor
        sweeper(store, engine, cfg, since=start).feeds([Ecosystem.PYPI])
        assert store.feed_cursor(Ecosystem.PYPI).isdigit()  # back on the changelog
        assert decisions(store) == clean


def test_a_metadata_outage_is_judged_later_with_the_records(engine, cfg, fake, tmp_path, capsys) -> None:
    """The feed works, packuments fail: nothing is judged by name; later runs judge with the records."""
    for target in ("lodash", "lodash-es"):
        fake.data.add_record("npm", target, {"maintainers": ["jdalton"], "downloads": 10**8})
    # lodash's own maintainer: benign with its record, suspicious by name alone (an outage must not alert on it)
    fake.data.publish("npm", "lodashs", record={"maintainers": ["jdalton"], "created": "2019-05-01T00:00:00Z"})
    fake.data.publish("pypi", "numpyy", record={"summary": "A small example package"})  # an upload-day squat's filler
    fake.data.publish("golang", "github.com/gorila/mux", "1.8.1", record={})
    db = tmp_path / "faulted.db"
    with Store.open(tmp_path / "clean.db") as store:
        seed_cursors(store)
        assert not sweeper(store, engine, cfg).feeds(list(Ecosystem)).failed
        clean = decisions(store)
        assert ("npm", "lodashs", "benign") in checked_set(store) and ("pypi", "numpyy", "numpy") in alert_set(store)
    with Store.open(db) as store:
        seed_cursors(store)
    outage = [("/npm/", 503), ("/pypi/pypi/", 502), ("/goproxy/", 500)]
    for prefix, status in outage:
        fake.break_path(prefix, (status, {"Content-Type": "text/plain"}, b"down"))
    args = ["sweep", "--db", str(db), "--no-embeddings", "--page-size", "2", "-f", "json"]
    assert main(args) == 3  # documented: packages wait to be judged with their records
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["rejudge_pending"] >= 3 and data["registries"]["npm"]["rejudge_queued"] >= 1
    with Store.open(db) as store:
        assert not {("npm", "lodashs"), ("pypi", "numpyy")} & {(e, s) for e, s, _ in alert_set(store)}
        assert all(store.feed_states()[e.value]["cursor"] != START[e] for e in Ecosystem)  # the feeds moved on
    assert main(args[:-2]) == 3  # still down: still queued, and the text summary says so
    assert "PENDING" in capsys.readouterr().out
    for prefix, _ in outage:
        fake.break_path(prefix, None)
    assert main(args) in (0, 1)
    data = json.loads(capsys.readouterr().out)
    assert data["totals"]["rejudge_pending"] == 0 and data["totals"]["rejudged"] >= 3
    with Store.open(db) as store:
        assert decisions(store) == clean
        assert store.get_metadata(names_parse("lodashs", Ecosystem.NPM)).maintainers == ("jdalton",)


def test_bad_window_options_are_usage_errors(tmp_path, capsys) -> None:
    db = str(tmp_path / "s.db")
    for bad in (["--since", "tomorrow"], ["--since", "2999-01-01"], ["--cursor", "npm=since:yesterday"]):
        assert main(["sweep", "--db", db, "--no-embeddings", *bad]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "Traceback" not in err and ("--since" in err or "--cursor" in err)
