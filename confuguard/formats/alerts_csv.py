"""The analysts' alert CSV: stable columns, UTF-8 without BOM, every attacker-controlled cell neutralised.

Columns (in this order; new columns are only ever appended):

    alert_id              stable id of the alert in the store: the key `alerts import` uses
    first_seen            UTC time (ISO 8601) the sweep first raised the alert
    last_seen             UTC time of the latest sweep run that saw the suspect again
    registry              npm, pypi, rubygems, maven, golang, huggingface
    suspect               the new package, as the registry writes its name
    suspect_purl          its package URL
    suspect_url           its page on the registry's website
    target                the popular package it imitates
    target_purl           the target's package URL
    target_url            the target's page
    target_rank           the target's popularity rank in the bundled list (1 = most popular)
    categories            confusion categories, `|`-separated (typo, homoglyph, scope...)
    edit_distance         Damerau-Levenshtein (OSA) distance of the comparison keys
    embedding_similarity  cosine similarity of the name embeddings (empty: not computed)
    threat_probability    the classifier's calibrated threat probability (empty: no classifier)
    verdict               the tool's verdict on the pair (`suspicious`)
    reasons               name findings, then the classifier's reasons, ` | `-separated
    model_version         version of the classifier that raised the alert (`name-only` without one)
    status                `open`, or `triaged` once an analyst said malicious or benign
    analyst_verdict       for the analyst: malicious, benign or unsure (empty in the export)
    analyst_note          for the analyst: free text, at most NOTE_MAX (4,000) characters (empty in the export)

Text cells go through `sanitize.cell`: control (tab and line feed included), bidi and zero-width
characters become visible escapes and a cell starting with `=`, `+`, `-`, `@`, tab, CR or LF gets a leading `'`, so no
spreadsheet evaluates it. `unneutralise` undoes the quote when the file comes back.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from confuguard.errors import InputError, decode_utf8
from confuguard.formats.sanitize import cell
from confuguard.types import AlertRecord

COLUMNS: tuple[str, ...] = (
    "alert_id", "first_seen", "last_seen", "registry", "suspect", "suspect_purl", "suspect_url",
    "target", "target_purl", "target_url", "target_rank", "categories", "edit_distance",
    "embedding_similarity", "threat_probability", "verdict", "reasons", "model_version", "status",
    "analyst_verdict", "analyst_note",
)
#: Longest analyst note an import accepts (characters); a longer one refuses its row.
NOTE_MAX = 4000
#: Largest CSV an import reads (bytes); any one cell may be that long, so an over-long note is
#: reported on its row rather than failing the file.
FILE_MAX = 32 << 20
#: Columns an import needs.
REQUIRED: tuple[str, ...] = ("alert_id", "registry", "suspect", "target", "analyst_verdict", "analyst_note")
_TEXT = frozenset({"first_seen", "last_seen", "registry", "suspect", "suspect_purl", "suspect_url", "target",
                   "target_purl", "target_url", "categories", "verdict", "reasons", "model_version", "status",
                   "analyst_verdict", "analyst_note"})


def _fmt(column: str, value: Any) -> str:
    if value is None:
        return ""
    if column in _TEXT:
        return cell(str(value).replace("\t", "\\x09").replace("\n", "\\x0a"))
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(int(value))


def columns(record: AlertRecord) -> dict[str, Any]:
    """The values of one alert by column name: the COLUMNS (the `analyst_*` ones empty, for the analyst
    to fill) and `recorded_verdict` / `recorded_note`, the latest analyst verdict and note in the store."""
    a = record.alert
    return {
        "alert_id": a.id, "first_seen": a.first_seen, "last_seen": a.last_seen, "registry": a.ecosystem,
        "suspect": a.suspect, "suspect_purl": record.suspect_purl, "suspect_url": record.suspect_url,
        "target": a.target, "target_purl": record.target_purl, "target_url": record.target_url,
        "target_rank": a.target_rank, "categories": "|".join(a.categories), "edit_distance": a.edit_distance,
        "embedding_similarity": a.embedding_similarity, "threat_probability": a.threat_probability,
        "verdict": a.verdict, "reasons": " | ".join(a.reasons), "model_version": a.model_version,
        "status": a.status, "analyst_verdict": "", "analyst_note": "",
        "recorded_verdict": a.analyst_verdict, "recorded_note": a.analyst_note,
    }


def write(records: Iterable[AlertRecord], out: TextIO) -> int:
    """Write the header and one line per alert; return the number of alerts."""
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    n = 0
    for record in records:
        row = columns(record)
        writer.writerow([_fmt(c, row[c]) for c in COLUMNS])
        n += 1
    return n


def render(records: Iterable[AlertRecord]) -> str:
    """The CSV as a string."""
    buf = io.StringIO()
    write(records, buf)
    return buf.getvalue()


def unneutralise(text: str) -> str:
    """Undo `cell`'s leading quote (`'=x` -> `=x`); other text is returned unchanged."""
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r\n":
        return text[1:]
    return text


def read(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """(header, [(line number, row)]) of an analyst CSV; a BOM, `;` or tab delimiters (spreadsheet
    re-saves) are accepted. InputError (one line) when the file is unreadable, over FILE_MAX bytes,
    not UTF-8, not well-formed CSV, or lacks a REQUIRED column."""
    try:
        with path.open("rb") as fh:
            data = fh.read(FILE_MAX + 1)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > FILE_MAX:
        raise InputError(f"{path}: over {FILE_MAX >> 20} MiB, too large for an alert CSV")
    text = decode_utf8(data, path, hint="save the sheet as CSV, UTF-8", encoding="utf-8-sig")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    if csv.field_size_limit() < FILE_MAX:  # process-wide; only ever raised, to FILE_MAX
        csv.field_size_limit(FILE_MAX)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InputError(f"{path}: not an alert CSV (missing column{'s' if len(missing) > 1 else ''} "
                             f"{', '.join(missing)})")
        rows: list[tuple[int, dict[str, str]]] = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            rows.append((reader.line_num, {h: (values[i] if i < len(values) else "") for i, h in enumerate(header)}))
    except csv.Error as exc:
        raise InputError(f"{path}: line {reader.line_num}: malformed CSV ({exc}); nothing was recorded") from None
    return header, rows


def matches(given: str, stored: str) -> bool:
    """Whether a cell read back still names `stored` (exactly, neutralised, or un-neutralised)."""
    given = given.strip()
    return given in (stored, cell(stored)) or unneutralise(given) == stored


__all__ = ["COLUMNS", "FILE_MAX", "NOTE_MAX", "REQUIRED", "matches", "read", "render", "unneutralise", "write"]
