"""Plain-text table for people: one block per name, its best candidates, and the reason."""

from __future__ import annotations

from confuguard.formats.sanitize import terminal
from confuguard.types import CheckResult, Verdict

_MARK = {
    Verdict.SUSPICIOUS: "SUSPICIOUS",
    Verdict.BENIGN: "benign",
    Verdict.CLEAN: "clean",
    Verdict.POPULAR: "popular",
    Verdict.INVALID: "INVALID",
}


def render(results: list[CheckResult]) -> str:
    """Aligned columns: name, verdict, target, categories, name score, threat probability; then the reason."""
    rows = [("NAME", "REGISTRY", "VERDICT", "TARGET", "CATEGORIES", "SCORE", "THREAT")]
    reasons = [""]
    for r in results:
        name = terminal(str(r.package) if r.package else r.query)
        if r.candidates:
            for n, c in enumerate(r.candidates[:3]):
                rows.append((
                    name if n == 0 else "", r.ecosystem.value if n == 0 else "",
                    _MARK[r.verdict] if n == 0 else "", str(c.target),
                    ",".join(cat.value for cat in c.categories), f"{c.score:.2f}",
                    "-" if c.threat_probability is None else f"{c.threat_probability:.2f}",
                ))
                reasons.append(terminal(r.reasons[0]) if n == 0 and r.reasons else "")
        else:
            rows.append((name, r.ecosystem.value, _MARK[r.verdict], "-", "-", "-", "-"))
            reasons.append(terminal(r.reasons[0]) if r.reasons else "")
    widths = [min(max(len(row[i]) for row in rows), 48) for i in range(len(rows[0]))]
    lines = []
    for row, reason in zip(rows, reasons):
        lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if reason:
            lines.append("    " + reason)
    return "\n".join(lines) + "\n"
