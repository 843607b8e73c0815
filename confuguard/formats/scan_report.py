"""The report of `confuguard scan`: each checked dependency with its file and line, in one of five formats.

`table` lists the dependencies worth a look (suspicious, benign lookalikes, invalid) and a summary
line; `json` is an array of `check --format json` objects with `file`, `line`, `column` added;
`jsonl` and `csv` are `check`'s formats with the same fields; `sarif` is SARIF 2.1.0. SBOM components
that were not checked are counted in table and SARIF and listed in json/jsonl with verdict `skipped`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from confuguard.formats.sanitize import path_text
from confuguard.types import CheckResult, Verdict

if TYPE_CHECKING:
    from confuguard.depfiles import Dependency, ParseError, Skipped


def location(dep: Dependency) -> dict[str, object]:
    """The fields added to each json/jsonl/csv record."""
    return {"file": path_text(dep.file), "line": dep.line, "column": dep.column}


def _skipped_docs(skipped: Sequence[Skipped]) -> list[dict[str, Any]]:
    from confuguard.formats.jsonfmt import skipped_dict

    return [skipped_dict(s) for s in skipped]


def render(
    entries: Sequence[tuple[Dependency, CheckResult]],
    errors: Sequence[ParseError],
    fmt: str,
    *,
    root: Path,
    file_count: int,
    skipped: Sequence[Skipped] = (),
) -> str:
    """The report in `fmt`. SBOM components not checked (`skipped`) are counted in table and SARIF,
    and listed in json/jsonl as records with verdict `skipped`."""
    if fmt == "sarif":
        from confuguard.formats import sarif

        return sarif.render(entries, errors, root=root, skipped=skipped)
    results = [r for _, r in entries]
    extra = [location(d) for d, _ in entries]
    if fmt in ("json", "jsonl"):
        extra = [more | ({"ref": d.ref} if d.ref else {}) for more, (d, _) in zip(extra, entries)]
    if fmt == "json":
        from confuguard.formats.jsonfmt import result_dict

        docs: list[dict[str, Any]] = [result_dict(r) | more for r, more in zip(results, extra)]
        return json.dumps(docs + _skipped_docs(skipped), indent=2, ensure_ascii=False) + "\n"
    if fmt in ("jsonl", "csv"):
        from confuguard.formats import render as render_results

        if fmt == "csv":
            extra = [{k: "" if v is None else v for k, v in more.items()} for more in extra]
        text = render_results(results, fmt, extra=extra) if results or fmt == "csv" else ""
        if fmt == "jsonl":
            text += "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in _skipped_docs(skipped))
        return text
    return _table(entries, errors, file_count, len(skipped))


_SHOWN = {Verdict.SUSPICIOUS: "SUSPICIOUS", Verdict.BENIGN: "benign", Verdict.INVALID: "INVALID"}


def _table(
    entries: Sequence[tuple[Dependency, CheckResult]], errors: Sequence[ParseError], file_count: int, skipped: int = 0
) -> str:
    from confuguard.formats.sanitize import terminal

    rows = [("LOCATION", "REGISTRY", "DEPENDENCY", "VERDICT", "IMITATES", "CATEGORIES")]
    reasons = [""]
    for dep, res in entries:
        if res.verdict not in _SHOWN:
            continue
        best = res.candidates[0] if res.candidates else None
        rows.append((
            f"{path_text(dep.file)}:{dep.line}",
            dep.ecosystem.value,
            terminal(dep.name),
            _SHOWN[res.verdict],
            terminal(str(best.target)) if best else "-",
            ",".join(c.value for c in best.categories) if best else "-",
        ))
        reasons.append(terminal(res.reasons[0]) if res.reasons else "")
    lines: list[str] = []
    if len(rows) > 1:
        widths = [min(max(len(row[i]) for row in rows), 60) for i in range(len(rows[0]))]
        for row, reason in zip(rows, reasons):
            lines.append("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
            if reason:
                lines.append("    " + reason)
        lines.append("")
    suspicious = sum(1 for _, r in entries if r.verdict is Verdict.SUSPICIOUS)
    parse_errors = len(errors)
    lines.append(
        f"{len(entries)} dependencies in {file_count} files: {suspicious} suspicious"
        + (f", {parse_errors} problems (see warnings)" if parse_errors else "")
        + (f", {skipped} SBOM components skipped (no purl of a supported type)" if skipped else "")
    )
    return "\n".join(lines) + "\n"
