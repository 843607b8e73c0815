"""The analyst's page: one self-contained HTML file (inline CSS, no script, no external asset).

    html_text = page([view, ...], title="confuguard alerts")

A view (`AlertView`) is prepared by `confuguard.alerts.alert_views` (this module only renders):
the alert with its purls and links, its facts side by side and its weighted reasons.

Suspect and target stand side by side, the suspect's name with the characters that differ from
the target's highlighted; then the categories, the weighted reasons, and the CSV cells the analyst
fills (`alert_id`, `analyst_verdict`, `analyst_note`). Every string that comes from a registry or
an analyst is escaped: control, bidi and zero-width characters become visible `\\xNN` escapes
(`sanitize.terminal`), then `&<>"'` become entities. URLs are shown as text, never as links. A
Content-Security-Policy meta tag forbids scripts and any load from elsewhere.
"""

from __future__ import annotations

import difflib
import html
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from confuguard.formats.sanitize import terminal
from confuguard.types import AlertRecord


@dataclass(frozen=True, slots=True)
class AlertView:
    """One alert on the page."""

    record: AlertRecord
    """The alert (`confuguard.alerts.alerts`)."""
    facts: list[tuple[str, str, str]]
    """(label, suspect value, target value): summary, maintainers, repository, age..."""
    weights: list[tuple[str, float | None]]
    """(reason, log-odds weight or None): the classifier's reasons, strongest first."""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
_CSS = """
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
header{background:#1d2330;color:#fff;padding:14px 24px}header h1{margin:0;font-size:20px}
main{padding:16px 24px;max-width:1200px}
section.alert{background:#fff;border:1px solid #d5d9e0;border-radius:8px;margin:0 0 24px;padding:16px 20px}
h2{margin:0 0 4px;font-size:18px}.sub{color:#5b6475;margin:0 0 12px}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:16px;margin:0 0 12px}
.side{border:1px solid #e3e6eb;border-radius:6px;padding:10px 14px}
.side h3{margin:0 0 6px;font-size:13px;text-transform:uppercase;color:#5b6475;letter-spacing:.04em}
.name{font:600 18px/1.3 ui-monospace,Menlo,Consolas,monospace;word-break:break-all}
mark{background:#ffd76a;color:#000;border-radius:2px;padding:0 1px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px}
th,td{border-bottom:1px solid #e3e6eb;text-align:left;padding:5px 8px;vertical-align:top;word-break:break-word}
th{font-weight:600;color:#3b4455}.facts tbody th{width:16%}
.w{font-variant-numeric:tabular-nums;text-align:right;white-space:nowrap;width:7em}
.up{color:#b3261e}.down{color:#1b6e3a}.unknown{color:#8a93a3}
.cat{display:inline-block;background:#e8ecf5;border-radius:10px;padding:1px 9px;margin:0 4px 4px 0;font-size:13px}
.fill td{height:1.6em;background:#fffbe8}.prob{font-weight:700}
"""


def esc(value: object) -> str:
    """`value` as HTML text: control/bidi characters made visible, then entities for `&<>"'`."""
    return html.escape(terminal("" if value is None else str(value)), quote=True)


def name_diff(suspect: str, target: str) -> tuple[str, str]:
    """Both names as HTML, the characters that differ between them wrapped in <mark>."""
    ops = difflib.SequenceMatcher(a=suspect, b=target, autojunk=False).get_opcodes()
    left, right = [], []
    for tag, i1, i2, j1, j2 in ops:
        a, b = suspect[i1:i2], target[j1:j2]
        if tag == "equal":
            left.append(esc(a))
            right.append(esc(b))
            continue
        if a:
            left.append(f"<mark>{esc(a)}</mark>")
        if b:
            right.append(f"<mark>{esc(b)}</mark>")
    return "".join(left), "".join(right)


def _weight(w: float | None) -> str:
    if w is None:
        return '<td class="w unknown">–</td>'
    return f'<td class="w {"up" if w > 0 else "down"}">{w:+.2f}</td>'


def _section(view: AlertView) -> str:
    r = view.record
    a = r.alert
    suspect_html, target_html = name_diff(a.suspect, a.target)
    prob = a.threat_probability
    facts = "".join(f"<tr><th>{esc(label)}</th><td>{esc(s)}</td><td>{esc(t)}</td></tr>"
                    for label, s, t in view.facts)
    cats = "".join(f'<span class="cat">{esc(c)}</span>' for c in a.categories if c)
    weights = "".join(f"<tr><td>{esc(reason)}</td>{_weight(w)}</tr>" for reason, w in view.weights)
    recorded = a.analyst_verdict
    return f"""<section class="alert" id="alert-{a.id}">
<h2>Alert {a.id}: {esc(a.suspect)} imitates {esc(a.target)}</h2>
<p class="sub">{esc(a.ecosystem)} · first seen {esc(a.first_seen)} · last seen {esc(a.last_seen)} ·
status {esc(a.status)}{f" ({esc(recorded)})" if recorded else ""} · threat probability
<span class="prob">{"–" if prob is None else f"{float(prob):.2f}"}</span> · model {esc(a.model_version)}</p>
<div class="pair">
<div class="side suspect"><h3>Suspect</h3><div class="name">{suspect_html}</div><div>{esc(r.suspect_purl)}</div>
<div>{esc(r.suspect_url)}</div></div>
<div class="side target"><h3>Target (rank {esc(a.target_rank)})</h3><div class="name">{target_html}</div>
<div>{esc(r.target_purl)}</div><div>{esc(r.target_url)}</div></div>
</div>
<table class="facts"><thead><tr><th></th><th>suspect</th><th>target</th></tr></thead><tbody>{facts}</tbody></table>
<p>{cats} edit distance {esc(a.edit_distance)}{"" if a.embedding_similarity is None
        else f" · embedding similarity {a.embedding_similarity:.2f}"}</p>
<table class="reasons"><thead><tr><th>reason (classifier weight: + towards threat, − towards benign)</th>
<th class="w">weight</th></tr></thead><tbody>{weights}</tbody></table>
<table class="fill"><thead><tr><th>alert_id</th><th>analyst_verdict (malicious, benign or unsure)</th>
<th>analyst_note</th></tr></thead><tbody><tr><td>{a.id}</td><td></td><td></td></tr></tbody></table>
</section>"""


def page(views: Iterable[AlertView], *, title: str = "confuguard alerts") -> str:
    """The whole page for `views`, in the order given."""
    views = list(views)
    body = "\n".join(_section(v) for v in views) or "<p>No alerts.</p>"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title><style>{_CSS}</style></head>
<body><header><h1>{esc(title)}</h1></header><main>
<p class="sub">{len(views)} alert{"s" if len(views) != 1 else ""}, most probable first. Record verdicts in the CSV
(<code>confuguard alerts export</code>, then <code>confuguard alerts import</code>): the cells to fill are shown under each alert.</p>
{body}
</main></body></html>
"""


def fact_rows(labels: Sequence[str], suspect: dict[str, str], target: dict[str, str]) -> list[tuple[str, str, str]]:
    """(label, suspect value, target value) for each label, `unknown` where a side lacks it."""
    return [(label, suspect.get(label, "unknown"), target.get(label, "unknown")) for label in labels]


__all__ = ["CSP", "AlertView", "esc", "fact_rows", "name_diff", "page"]
