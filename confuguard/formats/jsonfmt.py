"""JSON and JSON Lines rendering of check results, and their schema (`ResultDoc`), declared once.

The HTTP service returns the same documents and derives its OpenAPI models from these TypedDicts
(`confuguard.service`); a string in `Annotated[...]` is the field's description.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any, NotRequired, TypedDict

from confuguard import names
from confuguard.formats.sanitize import path_text
from confuguard.types import Candidate, CheckResult, PackageMetadata

if TYPE_CHECKING:
    from confuguard.depfiles.base import Skipped

SCHEMA_VERSION = 1


class FindingDoc(TypedDict):
    """One confusion category that explains the resemblance, in words."""

    category: str
    detail: str


class CandidateDoc(TypedDict):
    """A popular package the name may imitate, with the evidence and the judge's verdict."""

    target: str
    target_purl: str | None
    target_rank: int
    categories: list[str]
    findings: list[FindingDoc]
    score: float
    edit_distance: int
    embedding_similarity: float | None
    found_by: list[str]
    threat_probability: float | None
    verdict: str | None
    reasons: list[str]


class ResultDoc(TypedDict):
    """Exactly what `confuguard check --format json` prints for one name (see README, JSON schema)."""

    schema_version: Annotated[int, "currently 1"]
    registry: str
    name: str
    purl: str | None
    verdict: Annotated[str, "popular, clean, suspicious, benign or invalid"]
    candidates: list[CandidateDoc]
    reasons: list[str]
    metadata: NotRequired[Annotated[dict[str, dict[str, Any]], "only present when metadata was used"]]


def candidate_dict(c: Candidate) -> CandidateDoc:
    """One candidate as a JSON-ready dict."""
    return {
        "target": str(c.target),
        "target_purl": names.purl(c.target),
        "target_rank": c.target_rank,
        "categories": [cat.value for cat in c.categories],
        "findings": [{"category": f.category.value, "detail": f.detail} for f in c.findings],
        "score": c.score,
        "edit_distance": c.edit_distance,
        "embedding_similarity": c.embedding_similarity,
        "found_by": sorted(c.found_by),
        "threat_probability": c.threat_probability,
        "verdict": c.verdict.value if c.verdict else None,
        "reasons": list(c.reasons),
    }


def metadata_dict(m: PackageMetadata) -> dict[str, object]:
    """Package metadata as a JSON-ready dict (unknown stays null)."""
    out: dict[str, object] = {"name": str(m.package), "purl": names.purl(m.package), "source": m.source}
    for field in m.__dataclass_fields__:
        if field in ("package", "source", "readme"):
            continue
        value = getattr(m, field)
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif field == "weight_files" and value is not None:
            value = [{"path": w.path, "format": w.format, "size": w.size} for w in value]
        elif isinstance(value, tuple):
            value = list(value)
        out[field] = value
    return out


def result_dict(r: CheckResult) -> ResultDoc:
    """One check result as a JSON-ready dict (the documented schema)."""
    out: ResultDoc = {
        "schema_version": SCHEMA_VERSION,
        "registry": r.ecosystem.value,
        "name": str(r.package) if r.package else r.query,
        "purl": names.purl(r.package) if r.package else None,
        "verdict": r.verdict.value,
        "candidates": [candidate_dict(c) for c in r.candidates],
        "reasons": list(r.reasons),
    }
    if r.metadata:
        out["metadata"] = {k: metadata_dict(v) for k, v in r.metadata.items()}
    return out


def skipped_dict(s: Skipped) -> dict[str, object]:
    """An SBOM component that `scan` did not check, in the shape of a result (verdict `skipped`)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "registry": None,
        "name": s.name,
        "purl": s.purl,
        "verdict": "skipped",
        "candidates": [],
        "reasons": [f"not checked: {s.reason}"],
        "file": path_text(s.file),
        "line": s.line,
        "column": None,
        **({"ref": s.ref} if s.ref else {}),
    }


def _dicts(results: list[CheckResult], extra: list[dict[str, object]] | None) -> list[dict[str, object]]:
    docs: list[dict[str, object]] = [dict(result_dict(r)) for r in results]
    if extra:
        for doc, more in zip(docs, extra):
            doc.update(more)
    return docs


def render(results: list[CheckResult], *, extra: list[dict[str, object]] | None = None) -> str:
    """One JSON document: an object for one result, an array for several."""
    docs = _dicts(results, extra)
    return json.dumps(docs[0] if len(docs) == 1 else docs, indent=2, ensure_ascii=False) + "\n"


def render_lines(results: list[CheckResult], *, extra: list[dict[str, object]] | None = None) -> str:
    """One JSON object per line."""
    return "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in _dicts(results, extra))
