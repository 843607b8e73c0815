"""Training the threat classifier from labelled pairs, with grouped cross-validation and calibration.

Labelled CSVs (format detected from the header):

* ConfuDB (`type,name,namespace,...,legitimate_package,label`): label `threat`/`benign`.
* NeupaneDB real malware (`typosquat_pkg,legitimate_pkg,registry,...`): every row a threat.
* NeupaneDB no-malware (`Adversarial pkg,Original pkg,Ecosystem,is_FP?,...`): `Yes` benign, `No` threat,
  anything else skipped.
* Analyst verdicts exported by triage (`registry,suspect,target,analyst_verdict,...`): `threat`,
  `malicious`, `malware`, `suspicious`, `confirmed`, `true_positive` = threat; `benign`,
  `false_positive`, `harmless`, `not_malicious` = benign; others skipped.

Only the names, the registry and the label are read: no other column (removal dates, fine
threat types, comments, sources) ever reaches a feature. Metadata comes from the local store.

Fitting: L2 logistic regression on `signals.vector`, balanced classes, each weight kept on its
feature's domain side (`FeatureSpec.sign`: a feature whose fitted weight would cross it keeps its
prior); out-of-fold scores by GroupKFold over the target package (no target in both train and test
folds); Platt calibration fitted on the out-of-fold scores; features the data never exercised, and
registry guarantees (`FeatureSpec.fixed`), keep their domain prior.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from rapidfuzz.distance import OSA

from confuguard import names
from confuguard import signals as sig
from confuguard.allowlist import Allowlist
from confuguard.errors import ConfuguardError, InputError, read_utf8
from confuguard.types import Candidate, Ecosystem, PackageId, PackageMetadata

if TYPE_CHECKING:
    from confuguard.corpus import Target
    from confuguard.models.wordvec import TextVectors
    from confuguard.store import MetadataStore

_THREAT = frozenset({"threat", "malicious", "malware", "suspicious", "confirmed", "true_positive", "tp", "attack", "no"})
_BENIGN = frozenset({"benign", "false_positive", "fp", "harmless", "not_malicious", "clean", "yes"})
_REGISTRY = {"pip": "pypi", "rubygems": "rubygems", "gem": "rubygems", "npm": "npm", "pypi": "pypi",
             "maven": "maven", "golang": "golang", "go": "golang", "huggingface": "huggingface", "hf": "huggingface"}
#: Features known in fewer training rows than this keep their prior weight.
MIN_SUPPORT = 15


@dataclass(frozen=True, slots=True)
class LabelledPair:
    """One labelled (suspect, target) pair. `target` None when the row names none."""

    suspect: PackageId
    target: PackageId | None
    label: int
    """1 = threat, 0 = benign."""
    source: str
    """`file:line`, for messages only (never a feature)."""
    published: PackageMetadata | None = None
    """The suspect's record as it was at upload (publication-time rows): used instead of the store's."""
    campaign: str | None = None
    """Attack campaign (publication records): the cross-validation group and the weighting unit."""


@dataclass(slots=True)
class ReadReport:
    """What reading one CSV did."""

    file: str
    kind: str
    pairs: list[LabelledPair] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        """One line."""
        pos = sum(p.label for p in self.pairs)
        skip = ", ".join(f"{n} {why}" for why, n in sorted(self.skipped.items())) or "none"
        return f"{self.file} ({self.kind}): {len(self.pairs)} pairs ({pos} threat, {len(self.pairs) - pos} benign); skipped: {skip}"


def detect_kind(header: Sequence[str]) -> str:
    """`confudb`, `neupane-malware`, `neupane-nomalware`, `alerts` or `published`; InputError otherwise."""
    cols = {h.strip().lower() for h in header}
    if {"registry", "suspect", "target", "analyst_verdict", "version", "summary"} <= cols:
        return "published"
    if {"type", "name", "legitimate_package", "label"} <= cols:
        return "confudb"
    if {"typosquat_pkg", "legitimate_pkg", "registry"} <= cols:
        return "neupane-malware"
    if {"adversarial pkg", "original pkg", "is_fp?"} <= cols:
        return "neupane-nomalware"
    if {"registry", "suspect", "target", "analyst_verdict"} <= cols:
        return "alerts"
    raise InputError(
        f"unrecognised labelled CSV header {','.join(header)[:120]!r}; expected ConfuDB, NeupaneDB or analyst-alert columns"
    )


def read_labelled(path: Path | str) -> ReadReport:
    """Read one labelled CSV (or publication JSONL) into pairs; rows with invalid names or no label are skipped
    and counted."""
    path = Path(path)
    if path.suffix == ".jsonl":
        return read_publication(path)
    text = read_utf8(path, encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        raise InputError(f"{path}: empty file")
    kind = detect_kind(header)
    idx = {h.strip().lower(): i for i, h in enumerate(header)}
    report = ReadReport(path.name, kind)
    for line, row in enumerate(reader, start=2):
        if not any(c.strip() for c in row):
            continue
        get = partial(_cell, row, idx)
        try:
            parsed = _parse_row(kind, get)
        except ConfuguardError:
            report.skipped["invalid names"] += 1
            continue
        if isinstance(parsed, str):
            report.skipped[parsed] += 1
            continue
        suspect, target, label = parsed
        published = as_published(suspect, get("version") or None, get("summary")) if kind == "published" else None
        report.pairs.append(LabelledPair(suspect, target, label, f"{path.name}:{line}", published))
    return report


def as_published(pkg: PackageId, version: str | None, summary: str | None) -> PackageMetadata:
    """A record as it reads on its upload day, from the fields both attacks and ordinary packages have:
    name, version and summary (a single release; no survival, downloads, account or repository facts)."""
    return PackageMetadata(package=pkg, source="publication", summary=(summary or "").strip()[:1000],
                           latest_version=version, version_count=1)


def read_publication(path: Path) -> ReadReport:
    """Publication records of attacks (`../shared/eval/publication/*.jsonl`: one JSON object per line with
    `registry`, `name`, `version`, `campaign` and the upload's `info` (PyPI) or `packument_version` (npm)).
    Each becomes a threat row without a target (the engine proposes it) carrying its as-published record."""
    report = ReadReport(path.name, "publication")
    seen: set[tuple[str, str]] = set()
    lines = read_utf8(path).splitlines()
    for line, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            rec = json.loads(text)
            eco = _eco(str(rec.get("registry", "")))
            if eco is None:
                report.skipped["unknown registries"] += 1
                continue
            suspect = names.parse(str(rec["name"]), eco)
        except (ValueError, KeyError, TypeError):
            report.skipped["malformed lines"] += 1
            continue
        except ConfuguardError:
            report.skipped["invalid names"] += 1
            continue
        label = _label(str(rec.get("label", "")))
        if label is None:
            report.skipped["unlabelled rows"] += 1
            continue
        k = (eco.value, names.key(suspect))
        if k in seen:  # one row per name: the other versions repeat the same upload
            report.skipped["repeated names"] += 1
            continue
        seen.add(k)
        info = rec.get("info") if isinstance(rec.get("info"), dict) else rec.get("packument_version")
        info = info if isinstance(info, dict) else {}
        summary = info.get("summary", info.get("description"))
        published = as_published(suspect, str(rec.get("version") or "") or None, summary if isinstance(summary, str) else "")
        campaign = str(rec.get("campaign") or "") or None
        report.pairs.append(LabelledPair(suspect, None, label, f"{path.name}:{line}", published, campaign))
    return report


def _cell(row: list[str], idx: dict[str, int], col: str) -> str:
    """The stripped cell of column `col` in `row` ('' past the row's end)."""
    return row[idx[col]].strip() if idx[col] < len(row) else ""


def _parse_row(kind: str, get: Any) -> tuple[PackageId, PackageId | None, int] | str:
    if kind == "confudb":
        eco = _eco(get("type"))
        if eco is None:
            return "unknown registries"
        name, ns = get("name"), get("namespace")
        if ns and eco is Ecosystem.NPM:
            full = f"{ns if ns.startswith('@') else '@' + ns}/{name}"
        elif ns and eco is Ecosystem.MAVEN:
            full = f"{ns}:{name}"
        else:
            full = name
        label = _label(get("label"))
        target_text = get("legitimate_package")
    elif kind == "neupane-malware":
        eco = _eco(get("registry"))
        if eco is None:
            return "unknown registries"
        full, target_text, label = get("typosquat_pkg"), get("legitimate_pkg"), 1
        if target_text == "nan":  # the file is a pandas export: `nan` marks an unknown target
            target_text = ""
    elif kind == "neupane-nomalware":
        eco = _eco(get("ecosystem")) or Ecosystem.NPM
        full, target_text = get("adversarial pkg"), get("original pkg")
        label = {"yes": 0, "no": 1}.get(get("is_fp?").lower())
    else:  # analyst alerts, and published ordinary packages (same columns plus version and summary)
        eco = _eco(get("registry"))
        if eco is None:
            return "unknown registries"
        # the alert CSV quotes cells that start like a formula (`'@scope/name`): undo it
        full, target_text = (v[1:] if v[:1] == "'" and v[1:2] in "=+-@" else v for v in (get("suspect"), get("target")))
        label = _label(get("analyst_verdict"))
    if label is None:
        return "unlabelled rows"
    suspect = names.parse(full, eco)
    target = _parse_target(target_text, eco) if target_text else None
    return suspect, target, label


def _eco(text: str) -> Ecosystem | None:
    v = _REGISTRY.get(text.strip().lower())
    return Ecosystem(v) if v else None


def _label(text: str) -> int | None:
    t = text.strip().lower().replace(" ", "_").replace("-", "_")
    return 1 if t in _THREAT else 0 if t in _BENIGN else None


def _parse_target(text: str, eco: Ecosystem) -> PackageId | None:
    if eco is Ecosystem.MAVEN and ":" not in text:
        return None  # a bare groupId names an organisation, not a package
    try:
        return names.parse(text, eco)
    except ConfuguardError:
        return None


# -- candidates and features -----------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _targets(eco: Ecosystem) -> dict[str, Target]:
    from confuguard import corpus

    try:
        return {t.key: t for t in corpus.load(eco).targets}
    except ConfuguardError:
        return {}


def pair_candidate(suspect: PackageId, target: PackageId) -> Candidate:
    """The Candidate the engine would build for this pair (rank 0 when the target is outside the popular list;
    on a popular target, a wide shape is marked `needs_evidence` as the engine marks it)."""
    from confuguard.categories import classify
    from confuguard.engine import target_findings

    findings = classify(suspect, target)
    dist = OSA.distance(names.key(suspect), names.key(target))
    known = _targets(suspect.ecosystem).get(names.key(target))
    wide = False
    if not findings and known is not None:  # a labelled pair keeps its rules' findings as they are
        findings, wide = target_findings(suspect, known, findings, dist)
    return Candidate(target=target, target_rank=known.rank if known else 0, findings=findings, score=0.0,
                     edit_distance=dist, embedding_similarity=None, found_by=frozenset({"labelled"}),
                     needs_evidence=wide)


def featurize(pairs: Sequence[tuple[PackageId, Candidate]], store: MetadataStore | None, *,
              allowlist: Allowlist | None = None, now: datetime | None = None,
              coverage: sig.Coverage | None = None, text_vectors: TextVectors | None = None,
              published: Sequence[PackageMetadata | None] | None = None, as_of: str = "now") -> np.ndarray:
    """Feature matrix for (suspect, candidate) pairs with metadata from `store` (None = no metadata).

    `published[i]`, when given, is row i's suspect record as uploaded and replaces the store's. With
    `as_of="publication"` the other suspects get no record at all (only targets keep the store's), so
    no row carries survival, download or history evidence that an upload-day record cannot have."""
    allowlist = allowlist or Allowlist.default()
    meta: dict[PackageId, PackageMetadata | None] = {}
    if store is not None:
        wanted = [p for s, c in pairs for p in (s, c.target)]
        meta = store.get_many(wanted)
    X = np.zeros((len(pairs), len(sig.FEATURES)))
    for i, (s, c) in enumerate(pairs):
        own = published[i] if published is not None and published[i] is not None else (
            None if as_of == "publication" else meta.get(s))
        signals = sig.compute(sig.Pair(s, c, own, meta.get(c.target), allowlist, None, now, text_vectors))
        if coverage is not None:
            coverage.add(signals)
        X[i] = sig.vector(signals)
    return X


def _text_vectors() -> TextVectors:
    """Summary embeddings for training, building the word table if this machine never did."""
    from confuguard.models import embedder, wordvec

    return wordvec.text_vectors(embedder.default_encoder)


# -- fitting -------------------------------------------------------------------------------------------


@dataclass(slots=True)
class FitResult:
    """A fitted model and its cross-validated evidence."""

    coef: np.ndarray
    intercept: float
    calib_a: float
    calib_b: float
    oof_logit: np.ndarray
    oof_proba: np.ndarray
    prior_features: list[str]
    support: dict[str, int]
    held_features: list[str]
    """Features the fit would have turned against their domain direction: they keep their prior."""


def _fit_lr(X: np.ndarray, y: np.ndarray, C: float, w: np.ndarray | None = None,
            offset: np.ndarray | None = None) -> tuple[np.ndarray, float]:
    """L2 logistic regression, classes balanced (as scikit-learn's `class_weight="balanced"`, intercept not
    penalised), with a fixed per-row `offset` added to the score: the part of each row's logit that the
    prior features already explain, so the learnt weights explain only the rest."""
    from scipy.optimize import minimize

    n, d = X.shape
    sw = np.ones(n) if w is None else np.asarray(w, dtype=np.float64)
    cw = np.array([n / (2.0 * max(1, int(np.sum(y == k)))) for k in (0, 1)])
    sw = sw * cw[y]
    off = np.zeros(n) if offset is None else offset
    sgn = 2.0 * y - 1.0

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        coef, b = theta[:d], theta[d]
        m = sgn * (X @ coef + b + off)
        # log(1 + exp(-m)) and its derivative, computed stably
        val = np.logaddexp(0.0, -m)
        g = -sgn * sw * (1.0 / (1.0 + np.exp(np.clip(m, -700, 700))))
        grad = np.concatenate([C * (X.T @ g) + coef, [C * g.sum()]])
        return float(C * np.dot(sw, val) + 0.5 * np.dot(coef, coef)), grad

    res = minimize(loss, np.zeros(d + 1), jac=True, method="L-BFGS-B", options={"maxiter": 5000, "gtol": 1e-8})
    return res.x[:d].copy(), float(res.x[d])


def fit(X: np.ndarray, y: np.ndarray, groups: Sequence[str], *, folds: int = 5, C: float = 0.5,
        sample_weight: np.ndarray | None = None) -> FitResult:
    """Fit on all rows; out-of-fold logits by grouped K-fold; Platt calibration on the out-of-fold logits."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    support = {f.name: int(np.count_nonzero(X[:, j])) for j, f in enumerate(sig.FEATURES)}
    prior_idx = [j for j, f in enumerate(sig.FEATURES) if f.fixed or support[f.name] < MIN_SUPPORT]
    learn = np.array([j for j in range(X.shape[1]) if j not in prior_idx], dtype=int)
    prior = np.array([f.prior for f in sig.FEATURES])

    sign = np.array([f.sign for f in sig.FEATURES])

    def fit_part(rows: np.ndarray) -> tuple[np.ndarray, float]:
        # a weight fitted against its feature's domain direction keeps its prior, and the rest is refitted;
        # features at their priors enter as a fixed offset, so the learnt weights do not absorb their effect
        coef = prior.copy()
        w = None if sample_weight is None else sample_weight[rows]
        free = learn
        while True:
            held = np.setdiff1d(np.arange(X.shape[1]), free)
            c, b = _fit_lr(X[np.ix_(rows, free)], y[rows], C, w, X[np.ix_(rows, held)] @ prior[held])
            wrong = c * sign[free] < 0
            if not wrong.any():
                break
            free = free[~wrong]  # keeps its prior: the data cannot measure it without inverting it
        coef[free] = c
        return coef, b

    oof = np.zeros(len(y))
    # GroupKFold balances the folds by group size (ties in sorted label order): deterministic, whatever the
    # order of the rows
    gkf = GroupKFold(n_splits=min(folds, len(set(groups))))
    for tr, te in gkf.split(X, y, np.asarray(groups)):
        coef, b = fit_part(tr)
        oof[te] = X[te] @ coef + b
    coef, b = fit_part(np.arange(len(y)))
    platt = LogisticRegression(C=1e6, max_iter=1000)
    platt.fit(oof.reshape(-1, 1), y, sample_weight=sample_weight)
    a, c = float(platt.coef_[0][0]), float(platt.intercept_[0])
    proba = 1.0 / (1.0 + np.exp(-(a * oof + c)))
    held = [sig.FEATURES[j].name for j in learn if sign[j] and coef[j] == prior[j]]
    return FitResult(coef, b, a, c, oof, proba, [sig.FEATURES[j].name for j in prior_idx], support, held)


# -- metrics ----------------------------------------------------------------------------------------------


def metrics(y: Iterable[int], pred: Iterable[int]) -> dict[str, Any]:
    """Threat-class precision, recall, F1, accuracy, FPR and the confusion matrix."""
    yy, pp = np.asarray(list(y), dtype=int), np.asarray(list(pred), dtype=int)
    tp = int(np.sum((yy == 1) & (pp == 1)))
    fp = int(np.sum((yy == 0) & (pp == 1)))
    tn = int(np.sum((yy == 0) & (pp == 0)))
    fn = int(np.sum((yy == 1) & (pp == 0)))
    prec = tp / (tp + fp) if tp + fp else None
    rec = tp / (tp + fn) if tp + fn else None
    f1 = 2 * prec * rec / (prec + rec) if prec and rec else (0.0 if prec is not None and rec is not None else None)
    n = tp + fp + tn + fn
    return {
        "n": n, "tp": tp, "fp": fp, "tn": tn, "fn": fn,
        "precision": _r(prec), "recall": _r(rec), "f1": _r(f1),
        "accuracy": _r((tp + tn) / n if n else None), "fpr": _r(fp / (fp + tn) if fp + tn else None),
    }


def _r(v: float | None) -> float | None:
    return None if v is None or (isinstance(v, float) and math.isnan(v)) else round(v, 4)


def brier(y: np.ndarray, p: np.ndarray) -> float:
    """Mean squared error of the probabilities."""
    return round(float(np.mean((p - y) ** 2)), 4)


def now_utc() -> datetime:
    """The current time (UTC)."""
    return datetime.now(UTC)


__all__ = [
    "FitResult", "LabelledPair", "MIN_SUPPORT", "ReadReport", "brier", "detect_kind", "featurize", "fit", "metrics",
    "pair_candidate", "read_labelled",
]


# -- the whole training run -------------------------------------------------------------------------------

#: Default decision threshold on the calibrated probability (documented in the manifest and README).
DEFAULT_THRESHOLD = 0.6


def group_of(pair: LabelledPair) -> str:
    """The CV group: an attack's campaign; else the target package (registry + canonical key), the suspect
    when no target."""
    if pair.campaign:
        return f"campaign:{pair.campaign}"
    pkg = pair.target or pair.suspect
    return f"{pkg.ecosystem.value}:{names.key(pkg)}"


#: Training modes: `now` (suspects judged with every record the store holds) or `publication` (as on their
#: upload day: only publication rows' own name/version/summary, nothing from the store for other suspects).
AS_OF = ("now", "publication")
#: The suspect fields a publication-time row may use: both attacks and ordinary packages have them.
PUBLICATION_FIELDS = ("name", "version", "summary")


def engine_targets(pairs: Sequence[LabelledPair]) -> list[LabelledPair]:
    """Rows without a labelled target get the engine's first candidate (name evidence, no embeddings);
    rows with no candidate are dropped (the classifier never judges them)."""
    from confuguard.engine import Engine

    need = [p for p in pairs if p.target is None]
    if not need:
        return list(pairs)
    engine = Engine(encoder=None)
    found: dict[PackageId, PackageId] = {}
    for res in engine.check_many([p.suspect for p in need]):
        if res.package is not None and res.candidates:
            found[res.package] = res.candidates[0].target
    out = []
    for p in pairs:
        if p.target is None and p.suspect in found:
            p = LabelledPair(p.suspect, found[p.suspect], p.label, p.source, p.published, p.campaign)
        if p.target is not None:
            out.append(p)
    return out


def campaign_weights(rows: Sequence[LabelledPair]) -> np.ndarray:
    """Row weights: each attack campaign weighs the same in total (a spam campaign of thousands of near-identical
    uploads counts like a single attack), scaled so the campaign rows' mean weight is 1; other rows weigh 1."""
    sizes = Counter(p.campaign for p in rows if p.campaign)
    w = np.ones(len(rows))
    if sizes:
        scale = sum(sizes.values()) / len(sizes)
        for i, p in enumerate(rows):
            if p.campaign:
                w[i] = scale / sizes[p.campaign]
    return w


def train(files: Sequence[Path | str], store: MetadataStore | None, out: Path, *, folds: int = 5, C: float = 0.5,
          threshold: float = DEFAULT_THRESHOLD, now: datetime | None = None,
          version: str | None = None, as_of: str = "now") -> dict[str, Any]:
    """Read, featurize, cross-validate, fit and write a model to `out`; return the manifest."""
    import hashlib

    from confuguard import __version__
    from confuguard.classifier import write_model

    if not 0.0 < threshold < 1.0:
        raise InputError(f"threshold {threshold} must be between 0 and 1")
    if as_of not in AS_OF:
        raise InputError(f"--as-of must be one of {', '.join(AS_OF)}")
    reports = [read_labelled(f) for f in files]
    rows: list[LabelledPair] = []
    origin: list[str] = []
    data_info = []
    for path, rep in zip(files, reports):
        used = engine_targets(rep.pairs) if rep.kind == "publication" else [p for p in rep.pairs if p.target is not None]
        no_target = len(rep.pairs) - len(used)
        rows += used
        origin += [rep.file] * len(used)
        data_info.append({
            "file": rep.file, "format": rep.kind, "sha256": hashlib.sha256(Path(path).read_bytes()).hexdigest(),
            "pairs": len(used), "threat": sum(p.label for p in used), "benign": len(used) - sum(p.label for p in used),
            "skipped": dict(rep.skipped) | ({"rows without a target": no_target} if no_target else {}),
            **({"campaigns": len({p.campaign for p in used})} if rep.kind == "publication" else {}),
        })
    if len(rows) < 20 or len({p.label for p in rows}) < 2:
        raise InputError(f"not enough labelled pairs to train ({len(rows)}; both classes needed)")
    now = now or now_utc()
    cov = sig.Coverage()
    cands = [(p.suspect, pair_candidate(p.suspect, p.target)) for p in rows if p.target is not None]
    X = featurize(cands, store, now=now, coverage=cov, text_vectors=_text_vectors() if store is not None else None,
                  published=[p.published for p in rows], as_of=as_of)
    y = np.array([p.label for p in rows])
    groups = [group_of(p) for p in rows]
    weights = campaign_weights(rows)
    res = fit(X, y, groups, folds=folds, C=C, sample_weight=weights)
    pred = (res.oof_proba >= threshold).astype(int)
    src = np.array(origin)
    per_file = {f: metrics(y[src == f], pred[src == f]) for f in dict.fromkeys(origin)}
    manifest = {
        "name": "threat",
        "version": version or f"{__version__}+{now.strftime('%Y%m%d')}",
        "model": "L2 logistic regression (class-balanced; features at their priors enter as a fixed offset), "
                 "Platt-calibrated on grouped out-of-fold scores",
        "threshold": threshold,
        "threshold_rule": "suspicious when the calibrated threat probability >= threshold",
        "trained_at": now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "hyperparameters": {"C": C, "folds": folds, "min_support_for_learning": MIN_SUPPORT},
        "as_of": as_of,
        "publication_rows": {
            "suspect_fields": list(PUBLICATION_FIELDS),
            "rule": "publication records and published ordinary packages are judged on name, version and summary "
                    "only (a single release; no survival, downloads, account or repository facts), whatever the "
                    "store holds; their targets keep the store's records",
            "weighting": "each attack campaign weighs the same in total (mean row weight 1)",
            "rows": int(sum(p.published is not None for p in rows)),
        },
        "training_data": data_info,
        "counts": {"pairs": int(len(y)), "threat": int(y.sum()), "benign": int(len(y) - y.sum()),
                   "target_groups": len(set(groups))},
        "metadata": {"store": str(getattr(store, "path", None) or "none"),
                     "records": dict(store.count_metadata()) if store is not None and hasattr(store, "count_metadata") else {},
                     "signal_coverage": {k: cov.counts.get(k, 0) for k in sig.FEATURE_NAMES}},
        "cross_validation": {
            "scheme": f"GroupKFold({folds}) by attack campaign, else by target package; out-of-fold predictions "
                      "at the threshold (unweighted counts)",
            "overall": metrics(y, pred), "per_file": per_file, "brier": brier(y, res.oof_proba),
        },
        "prior_features": res.prior_features,
        "sign_held_features": res.held_features,
        "feature_support": res.support,
    }
    write_model(out, res.coef, res.intercept, res.calib_a, res.calib_b, manifest)
    return manifest
