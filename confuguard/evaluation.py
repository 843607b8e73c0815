"""Measuring the shipped classifier on labelled CSVs and on ordinary registry names.

Two ways to get the pairs a row is judged on (`targets=`):

* `labelled` (default): the row's labelled target is the candidate; the classifier judges that pair,
  as ConfuGuard's NeupaneDB protocol does. Rows without a target fall back to the engine. A suspect
  that is itself in the bundled popular list is predicted benign, as `check` says `popular` for it.
* `engine`: the engine's own candidates for the name; the row is a threat prediction when any
  candidate ends suspicious, and a name with no candidate is predicted benign (ConfuGuard's
  ConfuDB protocol). This measures candidate recall and the classifier together.

Metadata comes from the local store only (never the network). `as_of="publication"` judges every suspect as
on its upload day: a publication record's own fields, else the store record cut to name, version and summary
(`training.as_published`): no survival, downloads or history. Publication records (`*.jsonl`) name no
target: the engine's first candidate is judged, and a name without one counts as predicted benign.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from confuguard import corpus, names
from confuguard.classifier import Judge
from confuguard.protocols import NameChecker
from confuguard.store import MetadataStore
from confuguard.training import (
    AS_OF,
    LabelledPair,
    as_published,
    engine_targets,
    metrics,
    pair_candidate,
    read_labelled,
)
from confuguard.types import Ecosystem, PackageId, PackageMetadata, Verdict

MODES = ("labelled", "engine")


def _suspect_record(p: LabelledPair, judge: Judge, as_of: str) -> dict[PackageId, PackageMetadata | None] | None:
    """The suspect's record to judge with, when it is not simply the store's."""
    if p.published is not None:
        return {p.suspect: p.published}
    if as_of != "publication":
        return None
    stored = judge.lookup([p.suspect]).get(p.suspect)
    return {p.suspect: None if stored is None else as_published(p.suspect, stored.latest_version, stored.summary)}


def predict_pairs(pairs: Sequence[LabelledPair], judge: Judge, *, targets: str = "labelled",
                  engine: NameChecker | None = None, as_of: str = "now") -> list[tuple[int, float | None, str]]:
    """(prediction 0/1, probability or None, how) per pair."""
    if targets not in MODES:
        raise ValueError(f"targets must be one of {MODES}")
    if as_of not in AS_OF:
        raise ValueError(f"as_of must be one of {AS_OF}")
    out: list[tuple[int, float | None, str] | None] = [None] * len(pairs)
    need_engine: list[int] = []
    popular: dict[Ecosystem, set[str]] = {}
    for i, p in enumerate(pairs):
        eco = p.suspect.ecosystem
        if eco not in popular:
            popular[eco] = {t.key for t in corpus.load(eco).targets}
        if targets == "labelled" and names.key(p.suspect) in popular[eco]:
            out[i] = (0, None, "popular")
        elif targets == "labelled" and p.target is not None:
            cand = pair_candidate(p.suspect, p.target)
            judged = judge(p.suspect, (cand,), _suspect_record(p, judge, as_of))[0]
            out[i] = (int(judged.verdict is Verdict.SUSPICIOUS), judged.threat_probability, "labelled")
        else:
            need_engine.append(i)
    if need_engine:
        if engine is None:
            from confuguard.engine import Engine

            engine = Engine(judge=judge)
        by_eco: dict[Ecosystem, list[int]] = defaultdict(list)
        for i in need_engine:
            by_eco[pairs[i].suspect.ecosystem].append(i)
        for idxs in by_eco.values():
            for i, res in zip(idxs, engine.check_many([pairs[i].suspect for i in idxs])):
                probs = [c.threat_probability for c in res.candidates if c.threat_probability is not None]
                pred = int(res.verdict is Verdict.SUSPICIOUS)
                out[i] = (pred, max(probs) if probs else None, "engine" if res.candidates else "no-candidate")
    return [o for o in out if o is not None]


def evaluate_file(path: Path | str, judge: Judge, *, targets: str = "labelled", engine: NameChecker | None = None,
                  as_of: str = "now") -> dict[str, Any]:
    """Threat-class metrics for one labelled CSV (or publication JSONL), overall and per registry."""
    report = read_labelled(path)
    pairs = report.pairs
    if report.kind == "publication":
        with_target = {p.suspect: p for p in engine_targets(pairs)}
        pairs = [with_target.get(p.suspect, p) for p in pairs]
        judged = iter(predict_pairs([p for p in pairs if p.target is not None], judge, as_of=as_of))
        preds = [next(judged) if p.target is not None else (0, None, "no-candidate") for p in pairs]
    else:
        preds = predict_pairs(pairs, judge, targets=targets, engine=engine, as_of=as_of)
    y = [p.label for p in pairs]
    yhat = [p for p, _, _ in preds]
    per: dict[str, Any] = {}
    for eco in sorted({p.suspect.ecosystem.value for p in pairs}):
        idx = [i for i, p in enumerate(pairs) if p.suspect.ecosystem.value == eco]
        per[eco] = metrics([y[i] for i in idx], [yhat[i] for i in idx])
    how: defaultdict[str, int] = defaultdict(int)
    for _, _, h in preds:
        how[h] += 1
    return {
        "file": Path(path).name, "format": report.kind, "targets": targets, "as_of": as_of,
        "pairs_from": dict(how), "skipped": dict(report.skipped),
        "overall": metrics(y, yhat), "per_registry": per, "threshold": judge.threshold,
    }


def random_names(store: MetadataStore, ecosystem: Ecosystem, n: int, *, seed: int = 1, exclude_popular: bool = True) -> list[PackageId]:
    """`n` random package names of `ecosystem` from the store (snapshot rows), outside the popular list."""

    popular = {t.key for t in corpus.load(ecosystem).targets} if exclude_popular else set()
    with store._lock:  # noqa: SLF001 - read-only sampling query
        rows = store._conn.execute(  # noqa: SLF001
            "SELECT name FROM package_metadata WHERE ecosystem = ? AND source LIKE 'snapshot:%'", (ecosystem.value,)
        ).fetchall()
    rng = random.Random(seed)
    rng.shuffle(rows)
    out: list[PackageId] = []
    for (name,) in rows:
        try:
            pkg = names.parse(name, ecosystem)
        except Exception:  # noqa: BLE001 - odd snapshot names are skipped
            continue
        if names.key(pkg) in popular:
            continue
        out.append(pkg)
        if len(out) >= n:
            break
    return out


def alert_rate(pkgs: Sequence[PackageId], engine: NameChecker) -> dict[str, Any]:
    """Share of names the engine (with its judge) ends suspicious; with and without the judge's say."""
    results = engine.check_many(list(pkgs))
    with_cands = sum(1 for r in results if r.candidates)
    suspicious = [r for r in results if r.verdict is Verdict.SUSPICIOUS]
    probs = np.array([max((c.threat_probability or 0.0) for c in r.candidates) for r in results if r.candidates] or [0.0])
    return {
        "names": len(results), "with_candidates": with_cands, "suspicious": len(suspicious),
        "suspicious_rate": round(len(suspicious) / len(results), 4) if results else None,
        "candidate_rate": round(with_cands / len(results), 4) if results else None,
        "median_probability_with_candidates": round(float(np.median(probs)), 4),
        "examples": [r.query + " ~ " + str(r.candidates[0].target) for r in suspicious[:10]],
    }


__all__ = ["MODES", "alert_rate", "evaluate_file", "predict_pairs", "random_names"]
