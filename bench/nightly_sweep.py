"""Benchmark: a nightly sweep of one feed window, per registry: the burden (share of ordinary new packages
alerted) and the recall on attacks whose names imitate a popular package.

The world (`bench/_world.py`): 1,500 ordinary new PyPI projects and 1,500 low-download npm packages
from the package lists, each a single release by a fresh account (60% with a repository of its own),
published in one feed window together with the development publication records of real attacks, served
with the metadata they showed at upload, by the fake registry on 127.0.0.1 (no network). The sweep is
the one `confuguard sweep` runs (`Sweep.feeds`: feed pages, live metadata fetch of every lookalike and
its target, engine with embeddings, classifier), once per model, each into a fresh store:

* `shipped`: the model in `models/threat` (or `--model DIR`);
* `baseline`: the model shipped at commit `BASELINE_COMMIT` (before publication-time training), its
  weights read from git; features it never had weigh 0, so it judges as it did.

"Imitates" is `_world.imitates`: a typo (one edit of a 5+ character key, two edits first letter kept of
an 8+ character key) or a combosquat (a top key, possibly misspelt, plus one or two words) of one of the
registry's 5,000 most popular bundled packages. Recall is given per record and per campaign (each
campaign weighs 1, shared by its records), so a spam campaign does not decide it.

    .venv/bin/python bench/nightly_sweep.py [--ordinary 1500] [--model DIR] [--no-baseline] [--examples 10]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import _world
import numpy as np
from _common import EVAL, PACKAGES, need

from confuguard import names
from confuguard.classifier import Judge, ThreatModel
from confuguard.engine import Engine
from confuguard.store import Store
from confuguard.sweep import Sweep
from confuguard.types import Ecosystem

#: The last commit whose model was trained without publication-time data.
BASELINE_COMMIT = "2f49e5c"
REGISTRIES = (Ecosystem.PYPI, Ecosystem.NPM)


def baseline_model(folder: Path) -> ThreatModel:
    """The model of `BASELINE_COMMIT`, with weight 0 on the features it did not have."""
    root = Path(__file__).resolve().parents[1]
    for f in ("manifest.json", "weights.json"):
        blob = subprocess.run(["git", "-C", str(root), "show", f"{BASELINE_COMMIT}:models/threat/{f}"],
                              check=True, capture_output=True).stdout
        (folder / f).write_bytes(blob)
    model = ThreatModel.load(folder)
    had = set(json.loads((folder / "manifest.json").read_text())["features"])
    coef = np.array([c if f in had else 0.0 for f, c in zip(model.features, model.coef)])
    return dataclasses.replace(model, coef=coef)


def run(world: _world.World, model: ThreatModel, env: dict[str, str], workdir: Path) -> dict[str, object]:
    """One sweep of the world's feed window with `model`; alerts and timing."""
    store = Store.open(workdir / f"sweep-{time.monotonic_ns()}.db")
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        engine = Engine(judge=Judge(model, store=store))
        t0 = time.perf_counter()
        summary = Sweep(store, engine).feeds(list(REGISTRIES), start=_world.start_cursors())
        seconds = time.perf_counter() - t0
        alerts = store.alert_rows()
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        store.close()
    if summary.failed:
        sys.exit("sweep failed: " + "; ".join(e for r in summary.registries for e in r.errors))
    return {"summary": summary, "seconds": seconds, "alerts": alerts}


def score(world: _world.World, result: dict[str, object], eco: Ecosystem) -> dict[str, object]:
    """Burden and recall of one registry."""
    alerted: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for a in result["alerts"]:  # type: ignore[union-attr]
        if a.ecosystem == eco.value:
            alerted[a.suspect_key].append((a.threat_probability or 0.0, a.target))

    def key(name: str) -> str:
        return names.key(names.parse(name, eco))

    ordinary = world.of(eco, "ordinary")
    hit_ord = [p for p in ordinary if key(p.name) in alerted]
    looks = [p for p in world.of(eco, "attack") if p.lookalike]
    hit_att = [p for p in looks if key(p.name) in alerted]
    camp_n: dict[str, int] = defaultdict(int)
    for p in looks:
        camp_n[p.campaign] += 1
    camp_recall = (sum(1 / camp_n[p.campaign] for p in hit_att) / len(camp_n)) if camp_n else float("nan")
    others = [p for p in world.of(eco, "attack") if not p.lookalike]
    return {
        "ordinary": len(ordinary), "ordinary_alerted": len(hit_ord),
        "burden": len(hit_ord) / len(ordinary) if ordinary else float("nan"),
        "lookalikes": len(looks), "campaigns": len(camp_n), "lookalikes_alerted": len(hit_att),
        "recall": len(hit_att) / len(looks) if looks else float("nan"), "campaign_recall": camp_recall,
        "other_attacks": len(others), "other_alerted": sum(key(p.name) in alerted for p in others),
        "ordinary_examples": [f"{p.name} -> {max(alerted[key(p.name)])[1]} ({max(alerted[key(p.name)])[0]:.2f})"
                              for p in hit_ord],
        "missed_examples": [p.name for p in looks if key(p.name) not in alerted],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ordinary", type=int, default=1500, help="ordinary new packages per registry (default 1500)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--model", type=Path, default=None, help="model folder (default: the shipped one)")
    ap.add_argument("--no-baseline", action="store_true", help="skip the baseline model's run")
    ap.add_argument("--examples", type=int, default=10, help="alerted ordinary / missed attack names to list")
    args = ap.parse_args()
    need(EVAL / "publication", "publication records")
    need(PACKAGES / "pypi.tsv", "pypi.tsv")
    t0 = time.perf_counter()
    world = _world.build(EVAL, PACKAGES, n_ordinary=args.ordinary, seed=args.seed)
    print(f"world: {len(world.packages)} packages published in one window "
          f"({time.perf_counter() - t0:.1f} s to build)")
    with tempfile.TemporaryDirectory(prefix="confuguard-nightly-") as tmp, _world.serve(world, PACKAGES) as fake:
        work = Path(tmp)
        models = {"shipped": ThreatModel.load(args.model)}
        if not args.no_baseline:
            (work / "baseline").mkdir()
            models["baseline"] = baseline_model(work / "baseline")
        results = {label: run(world, m, fake.env(), work) for label, m in models.items()}
    print(f"\n{'registry':8s} {'model':9s} {'burden':>16s} {'lookalike recall':>18s} {'by campaign':>12s} "
          f"{'other attacks alerted':>22s} {'names/s':>8s}")
    for eco in REGISTRIES:
        for label, res in results.items():
            s = score(world, res, eco)
            items = sum(r.checked + r.invalid for r in res["summary"].registries)  # type: ignore[union-attr]
            print(f"{eco.value:8s} {label:9s} {s['burden']:7.2%} ({s['ordinary_alerted']:3d}/{s['ordinary']:4d}) "
                  f"{s['recall']:7.3f} ({s['lookalikes_alerted']:3d}/{s['lookalikes']:3d}) {s['campaign_recall']:12.3f} "
                  f"{s['other_alerted']:10d}/{s['other_attacks']:<11d} {items / res['seconds']:8.0f}")
            if label == "shipped" and args.examples:
                print("    ordinary alerted: " + ", ".join(s["ordinary_examples"][:args.examples]))
                print("    lookalikes missed: " + ", ".join(s["missed_examples"][:args.examples]))
    print("\ngoal: burden <= 0.3% with lookalike recall >= 0.90 on PyPI and npm")
    return 0


if __name__ == "__main__":
    sys.exit(main())
