"""A nightly sweep over the fake PyPI sees a campaign: lookalikes published within hours under one specific
summary are alerted, the first of them too, although it was judged before its peers were published.

The feed is read two packages a page, so the campaign's uploads arrive over several pages, and the first
night's sweep stops after the first page (the first member is judged alone, and cleared). Each member alone
is a combosquat shape plugins share (`requests-pro`), which by its record alone is not alerted (the control,
`numpy-extra`, has the same shape and a summary of its own); an ordinary lookalike with its own summary and
repository (`flask-tools`) is not alerted either.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fakeregistry import FakeRegistry

from confuguard.classifier import Judge
from confuguard.engine import Engine
from confuguard.formats.sweep_summary import render_text
from confuguard.store import Store
from confuguard.sweep import Sweep
from confuguard.types import Ecosystem

CAMPAIGN = "Pro and extra helpers for web scraping and data extraction"  # names a word of each member's name
MEMBERS = ("requests-pro", "pandas-extra", "matplotlib-pro", "seaborn-pro")
TARGETS = ("requests", "pandas", "matplotlib", "seaborn", "flask", "numpy")


def _iso(d: datetime) -> str:
    return d.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_a_campaign_sharing_one_summary_over_several_pages_is_alerted_to_its_first_member(tmp_path, monkeypatch):
    now = datetime.now(UTC)
    with FakeRegistry() as fake:
        d = fake.data
        for t in TARGETS:
            d.add_record("pypi", t, {"summary": f"The {t} project, used by millions", "created": _iso(now - timedelta(days=4000)),
                                     "maintainers": [f"{t}-team"]}, version="3.1.0")
        fresh = {"created": _iso(now - timedelta(hours=3))}
        # a campaign member, then unrelated new projects, so its peers arrive on later pages
        order = [MEMBERS[0], "weather-kit-zq", "numpy-extra", MEMBERS[1], "flask-tools", MEMBERS[2], "tide-tables-zq",
                 MEMBERS[3]]
        summaries = {"weather-kit-zq": "Weather forecasts for the command line",
                     "tide-tables-zq": "Tide tables for British harbours",
                     "numpy-extra": "Fit sensor drift curves from laboratory calibration runs",
                     "flask-tools": "Command line helpers to deploy Flask applications on Heroku"}
        for i, name in enumerate(order):
            d.publish("pypi", name, record={**fresh, "summary": summaries.get(name, CAMPAIGN), "maintainers": [f"new{i}"]})
        d.pypi["flask-tools"]["info"]["project_urls"] = {"Source": "https://github.com/new4/flask-tools"}
        for k, v in fake.env().items():
            monkeypatch.setenv(k, v)
        with Store.open(tmp_path / "s.db") as store:
            engine = Engine(encoder=None, judge=Judge.default(store=store))
            start = {Ecosystem.PYPI: str(d.pypi_journal[-len(order) - 1][4])}
            # the first night's sweep stops after the first page: the first member has no peer yet
            first_night = Sweep(store, engine, page_size=2, max_items=2).feeds([Ecosystem.PYPI], start=start)
            assert not first_night.failed and first_night.registries[0].checked == 2
            assert not store.alert_rows()
            summary = Sweep(store, engine, page_size=2).feeds([Ecosystem.PYPI])  # the rest, from the stored cursor
            assert not summary.failed, summary.to_json()
            alerts = {a.suspect: a for a in store.alert_rows()}
    pypi = summary.registries[0]
    assert pypi.batches >= 3 and pypi.checked == len(order) - 2 and pypi.rejudge_pending == 0
    assert set(MEMBERS) <= set(alerts), sorted(alerts)
    assert "numpy-extra" not in alerts and "flask-tools" not in alerts
    first = " | ".join(alerts[MEMBERS[0]].reasons)
    assert "the same description as 3 other packages published in the last 30 days (a campaign)" in first
    assert pypi.campaign_rejudged >= 1  # the first member, judged again when its peers came
    assert alerts[MEMBERS[0]].first_run == summary.run_id
    assert summary.to_json()["totals"]["campaign_rejudged"] == pypi.campaign_rejudged
    assert f"pypi: {pypi.campaign_rejudged} earlier package(s) judged again" in render_text(summary.to_json())
