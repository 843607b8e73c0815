"""The summary `confuguard sweep` prints: one line per registry, then invalid names, errors and warnings."""

from __future__ import annotations

from typing import Any

from confuguard.formats.sanitize import terminal


def render_text(data: dict[str, Any]) -> str:
    """The human summary: one line per registry, then invalid names, errors and warnings."""
    head = ("REGISTRY", "STATUS", "CHECKED", "NEW ALERTS", "RE-SEEN", "BENIGN", "CLEAN", "INVALID", "ERRORS", "SECONDS")
    rows = [head]
    for name, r in data["registries"].items():
        rows.append((name, r["status"], str(r["checked"]), str(r["alerts_new"]), str(r["alerts_reseen"]),
                     str(r["benign_suppressed"]), str(r["clean"]), str(r["invalid"]), str(len(r["errors"])),
                     f"{r['seconds']:.1f}"))
    t = data["totals"]
    rows.append(("total", "", str(t["checked"]), str(t["alerts_new"]), str(t["alerts_reseen"]),
                 str(t["benign_suppressed"]), str(t["clean"]), str(t["invalid"]), str(t["errors"]), ""))
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = [f"sweep run {data['run_id']} (model {data['model_version']})"]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    for name, r in data["registries"].items():
        if r["resumed_at_line"]:
            lines.append(f"{name}: resumed {terminal(r['source'])} at line {r['resumed_at_line']}")
        if r["invalid"]:
            shown = ", ".join(f"{terminal(i['name'])!s} ({terminal(i['reason'])})" for i in r["invalid_names"][:10])
            more = r["invalid"] - min(10, len(r["invalid_names"]))
            lines.append(f"{name}: invalid names: {shown}" + (f" and {more} more" if more > 0 else ""))
        for e in r["errors"]:
            lines.append(f"{name}: ERROR {terminal(e)} (cursor kept; retried next run)")
        if r.get("rejudged"):
            lines.append(f"{name}: {r['rejudged']} queued package(s) judged with their records")
        if r.get("campaign_rejudged"):
            lines.append(f"{name}: {r['campaign_rejudged']} earlier package(s) judged again: this run's packages "
                         "share their summary")
        if r.get("rejudge_pending"):
            lines.append(f"{name}: PENDING {r['rejudge_pending']} package(s) not judged yet: metadata unavailable "
                         "(queued; judged with their records next run)")
        for w in [w for w in r["warnings"] if " wait to be judged " not in w][:5]:
            lines.append(f"{name}: warning: {terminal(w)}")
    if data.get("alerts_held"):
        lines.append(f"held {data['alerts_held']} of the {t['alerts_new']} new alerts beyond the night's cap "
                     "(confuguard alerts list --status held)")
    return "\n".join(lines) + "\n"
