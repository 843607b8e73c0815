"""Large batches on every core (`confuguard.parallel`): the same results as one process, judged only in the parent."""

from __future__ import annotations

import argparse
import json
import os

import pytest

from confuguard import names, parallel
from confuguard.classifier import Judge
from confuguard.engine import Engine
from confuguard.types import Ecosystem as E

pytestmark = pytest.mark.skipif("fork" not in __import__("multiprocessing").get_all_start_methods(),
                                reason="forked workers need the fork start method")

MIXED = [
    ("reqeusts", E.PYPI), ("numpy", E.PYPI), ("dateutil-python", E.PYPI), ("python3-dateutil", E.PYPI),
    ("totally-unrelated-name-zz", E.PYPI), ("lodahs", E.NPM), ("@types/nodee", E.NPM), ("react", E.NPM),
    ("cross-env.js", E.NPM), ("xterm-addon-clipboardd", E.NPM), ("babel-preset-envv", E.NPM), ("colors-helper", E.NPM),
]


class PidJudge:
    """The shipped judge, noting the process each call runs in."""

    def __init__(self) -> None:
        self.inner = Judge.default()
        self.pids: set[int] = set()

    def __call__(self, suspect, candidates, metadata=None):
        self.pids.add(os.getpid())
        return self.inner(suspect, candidates, metadata)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(encoder=None, judge=PidJudge())


def _view(results):
    return [(r.query, r.verdict, [(str(c.target), c.verdict, c.threat_probability, c.categories) for c in r.candidates])
            for r in results]


def test_workers_give_what_one_process_gives_in_order(engine, monkeypatch):
    monkeypatch.setattr(parallel, "CHUNK", 5)
    pkgs = [names.parse(n, eco) for n, eco in MIXED * 3]
    done: list[int] = []
    got = parallel.check_parallel(engine, pkgs, 2, done.append)
    assert _view(got) == _view(engine.check_many(pkgs))
    assert sum(done) == len(pkgs) and len(done) == 8  # progress after each judged chunk


def test_only_the_parent_judges(engine, monkeypatch):
    """Workers never touch the judge (its store's SQLite connection must not cross a fork)."""
    monkeypatch.setattr(parallel, "CHUNK", 4)
    engine.judge.pids.clear()
    results = parallel.check_parallel(engine, [names.parse(n, eco) for n, eco in MIXED], 2)
    assert any(r.candidates for r in results)
    assert engine.judge.pids == {os.getpid()}


def test_small_batches_stay_in_process():
    assert parallel.workers_for(parallel.PARALLEL_MIN - 1) == 1
    assert parallel.workers_for(parallel.PARALLEL_MIN) == min(os.cpu_count() or 1, parallel.MAX_WORKERS)


def test_scan_of_a_large_lockfile_uses_workers_with_the_same_report(engine, tmp_path, monkeypatch):
    from confuguard.commands import scan

    deps = {f"pkg-{i}": "^1.0.0" for i in range(40)} | {"lodahs": "^4", "cross-env.js": "^1", "react": "^18"}
    (tmp_path / "package.json").write_text(json.dumps({"name": "app", "dependencies": deps}))
    monkeypatch.setattr(scan, "ENGINE_FACTORY", lambda: engine)

    def report(parallel_min: int) -> dict[str, object]:
        monkeypatch.setattr(parallel, "PARALLEL_MIN", parallel_min)
        out = tmp_path / f"report-{parallel_min}.json"
        code = scan.handler(argparse.Namespace(paths=[str(tmp_path)], format="json", output=str(out)))
        assert code == 1  # the lookalikes are found either way
        return json.loads(out.read_text())

    calls: list[int] = []
    real = parallel.check_parallel
    monkeypatch.setattr(parallel, "check_parallel", lambda *a, **k: calls.append(1) or real(*a, **k))
    assert report(1) == report(10**9)
    assert calls == [1]
