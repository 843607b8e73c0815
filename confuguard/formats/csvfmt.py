"""CSV rendering of check results: one row per name, best candidate first, spreadsheet-safe."""

from __future__ import annotations

import csv
import io

from confuguard import names
from confuguard.formats.sanitize import cell
from confuguard.types import CheckResult

COLUMNS = (
    "registry", "name", "purl", "verdict", "target", "target_purl", "categories",
    "score", "edit_distance", "embedding_similarity", "reason",
)


def render(results: list[CheckResult], *, extra: list[dict[str, object]] | None = None) -> str:
    """CSV with a fixed header; `extra` keys become additional trailing columns."""
    buf = io.StringIO()
    extra_cols = list(dict.fromkeys(k for e in (extra or []) for k in e))
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS + tuple(extra_cols))
    for i, r in enumerate(results):
        best = r.candidates[0] if r.candidates else None
        row = [
            r.ecosystem.value,
            cell(str(r.package) if r.package else r.query),
            names.purl(r.package) if r.package else "",
            r.verdict.value,
            cell(str(best.target)) if best else "",
            names.purl(best.target) if best else "",
            "|".join(c.value for c in best.categories) if best else "",
            f"{best.score:.4f}" if best else "",
            str(best.edit_distance) if best else "",
            "" if best is None or best.embedding_similarity is None else f"{best.embedding_similarity:.4f}",
            cell(r.reasons[0]) if r.reasons else "",
        ]
        more = extra[i] if extra and i < len(extra) else {}
        row += [cell(str(more.get(k, ""))) for k in extra_cols]
        writer.writerow(row)
    return buf.getvalue()
