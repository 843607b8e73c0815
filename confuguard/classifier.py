"""The threat classifier: a calibrated logistic model over pair signals, loaded from data (never pickle).

The shipped model lives in `models/threat/` (installed as `confuguard.models/threat`):

    manifest.json   format, version, feature names (in order), threshold, training data and
                    counts, cross-validated metrics, and the sha256 of the weight file
    weights.json    {"coef": [...], "intercept": b, "calibration": {"a": .., "b": ..}}

`load()` checks the manifest's sha256 and feature list before parsing the weights; any
mismatch raises a one-line ModelArtifactError. Weights are read by feature name: a model trained
before a signal existed loads with that signal weighed at its documented prior (`FeatureSpec.prior`;
its unknown state contributes 0 either way), so adding a signal (one entry of `signals.SIGNALS`)
never disables the judge; a feature this code does not compute is refused. Prediction is plain numpy:

    p = sigmoid(a * (coef . x + intercept) + b)          x = signals.vector(...)

A candidate is SUSPICIOUS when p >= the manifest threshold (set by `scripts/train_default.sh`: the
lowest hundredth whose grouped out-of-fold NeupaneDB no-malware FPR stays under 0.09).

The Judge applies the model to every candidate the engine finds:

    judge = Judge.default(store=Store.open(db))           # or Judge.default() for no metadata
    engine = Engine(judge=judge)
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import EllipsisType
from typing import TYPE_CHECKING, Any

import numpy as np

from confuguard import signals as sig
from confuguard.allowlist import Allowlist
from confuguard.errors import ConfuguardError, ModelArtifactError
from confuguard.types import Candidate, Ecosystem, PackageId, PackageMetadata, Verdict

if TYPE_CHECKING:
    from confuguard.models.wordvec import TextVectors

FORMAT = "confuguard-threat-logistic/1"
WEIGHTS_FILE = "weights.json"
MANIFEST_FILE = "manifest.json"
#: How many reasons a judged candidate carries.
MAX_REASONS = 3


def default_model_dir() -> Path:
    """The shipped model folder (`models/threat`)."""
    import confuguard.models

    return Path(confuguard.models.__file__).resolve().parent / "threat"


def sha256_file(path: Path) -> str:
    """Hex sha256 of a file."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            h.update(block)
    return h.hexdigest()


@dataclass(frozen=True)
class ThreatModel:
    """Calibrated logistic regression over the features of a signal table (default `signals.TABLE`)."""

    coef: np.ndarray
    intercept: float
    calib_a: float
    calib_b: float
    threshold: float
    features: tuple[str, ...]
    manifest: dict[str, Any] = dataclasses.field(default_factory=dict)
    table: sig.SignalTable = sig.TABLE
    """The signals the weights are aligned to."""

    @classmethod
    def load(cls, folder: Path | str | None = None, *, signals: sig.SignalTable | None = None) -> ThreatModel:
        """Load and verify a model folder (default: the shipped one) for a signal table (default: this
        confuguard's); ModelArtifactError on any problem."""
        table = signals or sig.TABLE
        root = Path(folder) if folder is not None else default_model_dir()
        man_path, w_path = root / MANIFEST_FILE, root / WEIGHTS_FILE
        try:
            manifest = json.loads(man_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ModelArtifactError(f"model manifest {man_path} is missing") from None
        except (OSError, ValueError) as exc:
            raise ModelArtifactError(f"model manifest {man_path} is unreadable: {exc}") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ModelArtifactError(f"model manifest {man_path} has an unknown format (expected {FORMAT})")
        want = (manifest.get("files") or {}).get(WEIGHTS_FILE, {}).get("sha256")
        if not want:
            raise ModelArtifactError(f"model manifest {man_path} gives no sha256 for {WEIGHTS_FILE}")
        if not w_path.is_file():
            raise ModelArtifactError(f"model weights {w_path} are missing")
        got = sha256_file(w_path)
        if got != want:
            raise ModelArtifactError(
                f"model weights {w_path} fail their manifest check (sha256 {got[:12]}… != {want[:12]}…): refusing to load"
            )
        features = tuple(manifest.get("features") or ())
        unknown = [f for f in features if f not in table.names]
        if unknown or len(set(features)) != len(features):
            raise ModelArtifactError(
                f"model {root} was trained on features this confuguard does not compute ({', '.join(unknown[:3]) or 'repeated'}); "
                "retrain with `confuguard train`"
            )
        try:
            w = json.loads(w_path.read_text(encoding="utf-8"))
            coef = np.asarray(w["coef"], dtype=np.float64)
            intercept = float(w["intercept"])
            a, b = float(w["calibration"]["a"]), float(w["calibration"]["b"])
            threshold = float(manifest["threshold"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ModelArtifactError(f"model weights {w_path} are malformed: {exc}") from None
        if coef.shape != (len(features),) or not np.all(np.isfinite(coef)) or not 0.0 < threshold < 1.0:
            raise ModelArtifactError(f"model weights {w_path} do not fit the manifest (shape or values)")
        return cls(_aligned(features, coef, table), intercept, a, b, threshold, table.names, manifest, table)

    def logit(self, x: np.ndarray) -> np.ndarray:
        """Uncalibrated scores (rows of `x` are feature vectors)."""
        scores: np.ndarray = np.asarray(x, dtype=np.float64) @ self.coef + self.intercept
        return scores

    def proba(self, x: np.ndarray) -> np.ndarray:
        """Calibrated threat probabilities."""
        z = self.calib_a * self.logit(x) + self.calib_b
        return 1.0 / (1.0 + np.exp(-z))

    def proba_one(self, x: np.ndarray) -> float:
        """Calibrated threat probability of one feature vector (scalar path, no allocation-heavy numpy)."""
        z = self.calib_a * (float(np.dot(x, self.coef)) + self.intercept) + self.calib_b
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def _aligned(features: tuple[str, ...], coef: np.ndarray, table: sig.SignalTable) -> np.ndarray:
    """Weights in the table's feature order, by name; a feature the model lacks (trained before it existed)
    weighs its documented prior (`FeatureSpec.prior`), so an older model still judges."""
    given = dict(zip(features, coef, strict=True))
    return np.array([given.get(f.name, f.prior) for f in table.features], dtype=np.float64)


def write_model(folder: Path, coef: np.ndarray, intercept: float, calib_a: float, calib_b: float,
                manifest: dict[str, Any]) -> Path:
    """Write weights.json and manifest.json (with the weights' sha256) into `folder`; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    weights = {
        "coef": [round(float(c), 8) for c in coef],
        "intercept": round(float(intercept), 8),
        "calibration": {"a": round(float(calib_a), 8), "b": round(float(calib_b), 8)},
        "features": list(sig.FEATURE_NAMES),
    }
    w_path = folder / WEIGHTS_FILE
    w_path.write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    full = {"format": FORMAT, **manifest, "features": list(sig.FEATURE_NAMES),
            "files": {WEIGHTS_FILE: {"sha256": sha256_file(w_path), "bytes": w_path.stat().st_size}}}
    (folder / MANIFEST_FILE).write_text(json.dumps(full, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


# -- the judge ------------------------------------------------------------------------------------------


#: A Store, or anything with get_many(pkgs) -> {PackageId: PackageMetadata | None}; with
#: summary_peers(pkg, digest, *, since) -> int (a Store's) it also answers `summary_shared`, else that is unknown.
MetadataSource = Any


class Judge:
    """The engine's judge: threat probability, verdict and plain-words reasons for each candidate.

    Metadata comes from `store` (anything with `get_many`), overridden per call by `metadata`
    (e.g. records fetched live). Without a store every metadata signal is unknown and the
    verdict rests on the name-level evidence.
    """

    def __init__(self, model: ThreatModel, *, store: MetadataSource | None = None,
                 allowlist: Allowlist | None = None,
                 popular_maintainers: Mapping[Ecosystem, frozenset[str]] | None = None,
                 threshold: float | None = None, now: datetime | None = None,
                 text_vectors: TextVectors | None = None) -> None:
        self.model = model
        self._text_vectors = text_vectors
        """Summary embeddings; read from the cached word table on first need when not given."""
        self._text_vectors_read = text_vectors is not None
        self.store = store
        self.allowlist = allowlist or Allowlist.default()
        self._popular: dict[Ecosystem, frozenset[str] | None] = dict(popular_maintainers or {})
        self.threshold = model.threshold if threshold is None else threshold
        self.now = now

    @classmethod
    def default(cls, store: MetadataSource | Path | str | None = None, **kwargs: Any) -> Judge:
        """The shipped model; `store` is a Store (or a path to open one), or None for no metadata."""
        if isinstance(store, (str, Path)):
            from confuguard.store import Store

            store = Store.open(store)
        return cls(ThreatModel.load(), store=store, **kwargs)

    def __call__(self, suspect: PackageId, candidates: tuple[Candidate, ...],
                 metadata: Mapping[PackageId, PackageMetadata | None] | None = None) -> tuple[Candidate, ...]:
        """Judge each candidate of `suspect` (the engine's Judge protocol)."""
        if not candidates:
            return candidates
        meta = self.lookup([suspect, *(c.target for c in candidates)], metadata)
        own = meta.get(suspect)
        peers = self.summary_peers(own)  # once per suspect, not per candidate
        return tuple(self.judge_one(suspect, c, own, meta.get(c.target), summary_peers=peers) for c in candidates)

    def lookup(self, pkgs: list[PackageId],
               metadata: Mapping[PackageId, PackageMetadata | None] | None = None) -> dict[PackageId, PackageMetadata | None]:
        """Metadata for `pkgs`: the given records first, then the store."""
        given = dict(metadata or {})
        missing = [p for p in pkgs if given.get(p) is None]
        if missing and self.store is not None:
            for p, m in self.store.get_many(missing).items():
                if m is not None:
                    given[p] = m
        return given

    def popular_maintainers(self, eco: Ecosystem) -> frozenset[str] | None:
        """Lowercased accounts maintaining the registry's popular packages, from the store's registry
        records (looked up once); None when the store holds none (the signal is then unknown)."""
        if eco not in self._popular:
            found: dict[str, tuple[str, ...]] = {}
            if self.store is not None and hasattr(self.store, "maintainers"):
                from confuguard import corpus

                try:
                    keys = {t.key for t in corpus.load(eco).targets}
                except ConfuguardError:
                    keys = set()
                found = self.store.maintainers(eco, keys) if keys else {}
            self._popular[eco] = frozenset(m.lower() for ms in found.values() for m in ms) or None
        return self._popular[eco]

    def text_vectors(self) -> TextVectors | None:
        """The summary embeddings (read once, never built here); None when the word table was never built."""
        if not self._text_vectors_read:
            from confuguard.models import wordvec

            self._text_vectors_read = True
            try:
                self._text_vectors = wordvec.text_vectors()
            except ConfuguardError:
                self._text_vectors = None
        return self._text_vectors

    def summary_peers(self, s_meta: PackageMetadata | None) -> int | None:
        """How many other new packages showed the suspect's summary in the last `signals.CAMPAIGN_DAYS` (one
        store lookup); 0 for a summary that cannot identify a campaign; None when unknown: no live record, or a
        store that does not record summaries."""
        store = self.store
        if s_meta is None or s_meta.source.startswith("snapshot:") or store is None or not hasattr(store, "summary_peers"):
            return None
        digest = sig.summary_digest(s_meta)
        if digest is None:
            return 0
        since = (self.now or datetime.now(UTC)) - timedelta(days=sig.CAMPAIGN_DAYS)
        return int(store.summary_peers(s_meta.package, digest, since=since))

    def signals(self, suspect: PackageId, cand: Candidate, s_meta: PackageMetadata | None,
                t_meta: PackageMetadata | None, *, summary_peers: int | None | EllipsisType = ...) -> tuple[sig.Signal, ...]:
        """The pair's signals. `summary_peers`: the suspect's `summary_peers` when already looked up."""
        popular = self.popular_maintainers(suspect.ecosystem) if s_meta is not None and s_meta.maintainers else None
        both = s_meta is not None and t_meta is not None and bool(s_meta.summary) and bool(t_meta.summary)
        peers = self.summary_peers(s_meta) if summary_peers is ... else summary_peers
        return self.model.table.compute(sig.Pair(suspect, cand, s_meta, t_meta, self.allowlist, popular, self.now,
                                                 self.text_vectors() if both else None, peers))

    def judge_one(self, suspect: PackageId, cand: Candidate, s_meta: PackageMetadata | None,
                  t_meta: PackageMetadata | None, *, summary_peers: int | None | EllipsisType = ...) -> Candidate:
        """One candidate with probability, verdict and reasons filled (`summary_peers` as for `signals`)."""
        signals = self.signals(suspect, cand, s_meta, t_meta, summary_peers=summary_peers)
        x = self.model.table.vector(signals)
        p = self.model.proba_one(x)
        # a wide look-alike is a name shape ordinary packages share: only its own record can make it a threat
        verdict = Verdict.SUSPICIOUS if p >= self.threshold and not (cand.needs_evidence and s_meta is None) else Verdict.BENIGN
        reasons = explain(signals, x * self.model.coef, verdict, priors=self.model.table.priors)
        if s_meta is None:
            reasons += (f"no metadata for {suspect} (judged on the name alone"
                        + ("; this shape is alerted only on evidence from its record)" if cand.needs_evidence else ")"),)
        return dataclasses.replace(cand, threat_probability=round(p, 4), verdict=verdict, reasons=reasons)


def explain(signals: tuple[sig.Signal, ...], contributions: np.ndarray, verdict: Verdict,
            limit: int = MAX_REASONS, *, priors: np.ndarray | None = None) -> tuple[str, ...]:
    """Plain-words reasons, strongest first: the signals pushing towards the verdict, then the strongest one against.

    A signal whose contribution runs against what it means (a name-level weight, free to fit, that
    turned the sign of its prior through collinearity, e.g. "adds a purpose word" pushing towards a
    threat; metadata weights keep their direction by construction) is not cited. `priors`: the features'
    documented priors (default: those of `signals.TABLE`).
    """
    sign = 1.0 if verdict is Verdict.SUSPICIOUS else -1.0
    priors = sig.TABLE.priors if priors is None else priors
    citable = [bool(signals[i].reason) and priors[i] * contributions[i] >= 0 for i in range(len(signals))]
    order = np.argsort(-sign * contributions)
    out: list[str] = []
    for i in order:
        if sign * contributions[i] <= 0.05 or len(out) >= limit:
            break
        r = signals[i].reason
        if citable[i] and r not in out:
            out.append(r)
    against = [i for i in np.argsort(sign * contributions) if sign * contributions[i] < -0.3 and citable[i]]
    if against and len(out) < limit + 1:
        out.append(f"although: {signals[against[0]].reason}")
    return tuple(out)


__all__ = ["FORMAT", "Judge", "ThreatModel", "default_model_dir", "explain", "sha256_file", "write_model"]
