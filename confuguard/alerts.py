"""The alert store's queries and the analysts' CSV loop: export open alerts, import the filled-in verdicts.

    records = alerts(store, status="open")              # AlertRecords: the stored alert, purls and URLs
    export(store, Path("alerts.csv"), since="2026-11-01")
    report = import_verdicts(store, Path("alerts.csv"), analyst="ana")

An import applies a row only when its `alert_id` exists and the row still names the same
registry, suspect and target, and its `analyst_verdict` is `malicious`, `benign` or `unsure`.
Every other row with a verdict or a note is reported (never silently applied). Re-importing
the same file records nothing new. Verdicts are kept with who and when (`alert_verdicts`);
`malicious`/`benign` close the alert (status `triaged`), `unsure` leaves it open.

Alerts are listed and exported most probable first (the classifier's calibrated threat
probability, then oldest first). A sweep may cap its night (`hold_excess`): the alerts it raised
beyond the N most probable, or under a probability floor, get status `held`, stay in the store
and are listed with `--status held` or `--status all`; an analyst's verdict on one closes it as usual.
`confuguard train` reads the exported CSV directly (columns registry, suspect, target,
analyst_verdict).
"""

from __future__ import annotations

import getpass
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from confuguard import names
from confuguard.config import DEFAULT_URLS, Config
from confuguard.ecosystems import spec
from confuguard.errors import ConfuguardError, InputError
from confuguard.formats import alerts_csv
from confuguard.formats import html as html_fmt
from confuguard.protocols import NameChecker
from confuguard.store import Store, iter_chunks
from confuguard.types import Alert, AlertRecord, Ecosystem, PackageId, PackageMetadata, as_utc

#: What analysts may write in `analyst_verdict`.
VERDICTS = ("malicious", "benign", "unsure")
STATUSES = ("open", "held", "triaged", "all")


def web_url(pkg: PackageId, urls: Mapping[str, str] | None = None) -> str:
    """The package's page on its registry's website; with a mirror configured in `urls`, its document there
    (npm packument, PyPI simple page, gem page, Maven directory, Go version list, Hugging Face repo).
    InputError for a registry without a descriptor (`confuguard.ecosystems`)."""
    s = spec(pkg.ecosystem)
    key = s.url_key
    base = (urls or {}).get(key, DEFAULT_URLS[key]).rstrip("/")
    return s.web_url(pkg) if base == DEFAULT_URLS[key] else s.mirror_url(pkg, base)


def parse_since(text: str | None) -> str | None:
    """`--since` (YYYY-MM-DD or an ISO timestamp) as the ISO string alerts are compared with."""
    if not text:
        return None
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            d = date.fromisoformat(text.strip())
            return datetime(d.year, d.month, d.day, tzinfo=UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"--since {text!r}: expected YYYY-MM-DD or an ISO 8601 time") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _pkg(eco: str, shown: str) -> PackageId | None:
    try:
        return names.parse(shown, Ecosystem(eco))
    except (ConfuguardError, ValueError):
        return None


def alerts(store: Store, *, status: str = "open", since: str | None = None,
           urls: Mapping[str, str] | None = None, ids: list[int] | None = None) -> list[AlertRecord]:
    """Alerts with their purls and links (status `open`, `held`, `triaged` or `all`; only `ids` when
    given), most probable first.

    Package URLs point at the configured registry base URLs (`urls`, default `Config.load()`): a mirror's
    users get links to their mirror."""
    if status not in STATUSES:
        raise InputError(f"unknown status {status!r} (choose one of: {', '.join(STATUSES)})")
    if urls is None:
        urls = Config.load().urls
    out = []
    rows = store.alert_rows(status=None if status == "all" else status, since=since, ids=ids)
    rows.sort(key=lambda a: (-(a.threat_probability if a.threat_probability is not None else -1.0), a.id))
    for a in rows:
        suspect, target = _pkg(a.ecosystem, a.suspect), _pkg(a.ecosystem, a.target)
        out.append(AlertRecord(
            a, suspect_purl=names.purl(suspect) if suspect else "", suspect_url=web_url(suspect, urls) if suspect else "",
            target_purl=names.purl(target) if target else "", target_url=web_url(target, urls) if target else ""))
    return out


def hold_excess(store: Store, run_id: int, *, max_alerts: int | None = None,
                min_probability: float | None = None) -> int:
    """Hold (status `held`) the alerts run `run_id` raised beyond its `max_alerts` most probable or
    under `min_probability`; return how many were held. Nothing is held when both are None."""
    if max_alerts is None and min_probability is None:
        return 0
    if max_alerts is not None and max_alerts < 0:
        raise InputError("--max-alerts must not be negative")
    if min_probability is not None and not 0.0 <= min_probability <= 1.0:
        raise InputError("--min-probability must be between 0 and 1")
    return store.hold_alerts(run_id, keep=max_alerts, min_probability=min_probability)


def export(store: Store, out: Path, *, since: str | None = None, status: str = "open") -> int:
    """Write the alert CSV to `out` (UTF-8, no BOM); return the number of alerts written."""
    rows = alerts(store, status=status, since=since)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            n = alerts_csv.write(rows, fh)
        os.replace(tmp, out)
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None
    return n


def report_osv(store: Store, out_dir: Path, *, verdict: str = "malicious",
               now: datetime | None = None) -> tuple[list[Path], list[str]]:
    """Write one OSV record (`MAL-0000-confuguard-<id>.json`) per alert whose latest analyst verdict is
    `verdict` into `out_dir`; return (files written, one line per alert skipped: no OSV ecosystem)."""
    from confuguard.formats import osv

    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds").replace("+00:00", "Z")
    written: list[Path] = []
    skipped: list[str] = []
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for record in alerts(store, status="all"):
            a = record.alert
            if a.analyst_verdict != verdict:
                continue
            if osv.osv_ecosystem(a.ecosystem) is None:
                skipped.append(f"alert {a.id} ({a.ecosystem} {a.suspect}): OSV has no "
                               f"{a.ecosystem} ecosystem; not written")
                continue
            pkg = _pkg(a.ecosystem, a.suspect)
            meta = store.get_metadata(pkg) if pkg is not None else None
            path = out_dir / f"{osv.record_id(a.id)}.json"
            tmp = path.with_name(path.name + ".tmp")
            tmp.write_text(json.dumps(osv.record(record, meta, now=stamp), indent=2, ensure_ascii=False) + "\n",
                           encoding="utf-8")
            os.replace(tmp, path)
            written.append(path)
    except OSError as exc:
        raise InputError(f"cannot write to {out_dir}: {exc.strerror or exc}") from None
    return written, skipped


#: The facts shown side by side on the analyst's page, in this order.
FACT_LABELS = ("summary", "maintainers", "repository", "homepage", "age", "downloads", "install scripts",
               "install code", "account", "versions", "deprecated", "metadata")


def _facts(meta: PackageMetadata | None, now: datetime) -> dict[str, str]:
    """The store's record of a package as the page's label -> text (absent labels read `unknown`)."""
    if meta is None:
        return {"metadata": "none in the store"}
    out: dict[str, str] = {"metadata": f"{meta.source}" + (f", fetched {meta.fetched_at:%Y-%m-%d}" if meta.fetched_at else "")}
    if meta.summary is not None:
        out["summary"] = meta.summary[:600] or "(empty)"
    if meta.maintainers is not None:
        out["maintainers"] = ", ".join(meta.maintainers[:20]) or "(none listed)"
    if meta.repository_url is not None:
        out["repository"] = meta.repository_url[:300] or "(none)"
    if meta.homepage_url is not None:
        out["homepage"] = meta.homepage_url[:300] or "(none)"
    if meta.created is not None:
        created = as_utc(meta.created)
        out["age"] = f"{max(0, (now - created).days):,} days (created {created:%Y-%m-%d})"
    if meta.downloads is not None:
        out["downloads"] = f"{meta.downloads:,}" + (f" ({meta.downloads_window})" if meta.downloads_window else "")
    if meta.install_scripts is not None:
        out["install scripts"] = "yes" if meta.install_scripts else "no"
    if meta.install_behaviour is not None or "install_hook" in meta.extra:
        read = ", ".join(meta.install_behaviour) or "none of note" if meta.install_behaviour is not None else ""
        out["install code"] = meta.extra.get("install_hook") or read
    if "account" in meta.extra:
        out["account"] = meta.extra["account"]
    if meta.latest_version is not None or meta.version_count is not None:
        out["versions"] = ", ".join(x for x in (f"latest {meta.latest_version}" if meta.latest_version else "",
                                                 f"{meta.version_count} in all" if meta.version_count else "") if x)
    if meta.deprecated is not None:
        out["deprecated"] = (meta.deprecation_message or "yes")[:200] if meta.deprecated else "no"
    return out


def _weights(engine: NameChecker | None, store: Store, alert: Alert, suspect: PackageId | None,
             target: PackageId | None) -> list[tuple[str, float | None]]:
    """The classifier's reasons for the pair with their log-odds weights, judged again now with the
    store's metadata; the stored reasons without weights when there is no judge or the pair is gone."""
    stored: list[tuple[str, float | None]] = [(r, None) for r in alert.reasons if r]
    judge = getattr(engine, "judge", None)
    if engine is None or judge is None or suspect is None or target is None:
        return stored
    from confuguard import signals as sig

    result = engine.check_name(alert.suspect, suspect.ecosystem)
    cand = next((c for c in result.candidates if names.key(c.target) == names.key(target)), None)
    if cand is None:
        return stored
    signals = judge.signals(suspect, cand, store.get_metadata(suspect), store.get_metadata(target))
    contributions = sig.vector(signals) * judge.model.coef
    weighted: list[tuple[str, float | None]] = [(s.reason, round(float(c), 2)) for s, c in zip(signals, contributions) if s.reason and abs(c) >= 0.05]
    weighted.sort(key=lambda rc: -abs(rc[1] or 0.0))
    names_found: list[tuple[str, float | None]] = [(f"{f.category.value}: {f.detail}", None) for f in cand.findings]
    return names_found + weighted[:12]


def alert_views(store: Store, records: list[AlertRecord], *, engine: NameChecker | None = None,
                now: datetime | None = None) -> list[html_fmt.AlertView]:
    """The analyst page's views of `records` (as `alerts` returns them): facts side by side, weighted reasons."""
    when = now or datetime.now(UTC)
    views = []
    for record in records:
        a = record.alert
        suspect, target = _pkg(a.ecosystem, a.suspect), _pkg(a.ecosystem, a.target)
        s_facts = _facts(store.get_metadata(suspect) if suspect else None, when)
        t_facts = _facts(store.get_metadata(target) if target else None, when)
        views.append(html_fmt.AlertView(record, html_fmt.fact_rows(FACT_LABELS, s_facts, t_facts),
                                        _weights(engine, store, a, suspect, target)))
    return views


def alert_page(store: Store, alert_id: int, *, engine: NameChecker | None = None) -> str | None:
    """The analyst's page of one alert (None when there is no such alert)."""
    rows = alerts(store, status="all", ids=[alert_id]) if 0 < alert_id < 1 << 62 else []
    if not rows:
        return None
    return html_fmt.page(alert_views(store, rows, engine=engine),
                         title=f"confuguard alert {alert_id}: {rows[0].alert.suspect}")


def export_html(store: Store, out: Path, *, since: str | None = None, status: str = "open", engine: NameChecker | None = None) -> int:
    """Write the analyst's page of the selected alerts to `out` (one self-contained file); return how many."""
    rows = alerts(store, status=status, since=since)
    text = html_fmt.page(alert_views(store, rows, engine=engine), title=f"confuguard: {len(rows)} {status} alerts")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = out.with_name(out.name + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None
    return len(rows)


@dataclass
class ImportReport:
    """What an import did: rows applied, rows unchanged since the last import, and every refused row."""

    file: str
    rows: int = 0
    applied: int = 0
    unchanged: int = 0
    blank: int = 0
    problems: list[str] = field(default_factory=list)
    verdicts: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "rows": self.rows, "applied": self.applied, "unchanged": self.unchanged,
                "blank": self.blank, "refused": len(self.problems), "problems": self.problems,
                "verdicts": self.verdicts}


def import_verdicts(store: Store, path: Path, *, analyst: str | None = None, dry_run: bool = False,
                    now: datetime | None = None) -> ImportReport:
    """Read an analyst CSV and record its verdicts (all valid rows in one transaction)."""
    who = analyst or default_analyst()
    when = (now or datetime.now(UTC)).isoformat(timespec="seconds").replace("+00:00", "Z")
    _, rows = alerts_csv.read(path)
    report = ImportReport(str(path))
    ids = [i for _, r in rows if (i := parse_alert_id(r.get("alert_id", ""))) is not None]
    known = {a.id: a for chunk in iter_chunks(sorted(set(ids)), 500) for a in store.alert_rows(ids=chunk)}
    seen: set[int] = set()
    todo: list[tuple[int, str, str, str, str, str]] = []
    for line, row in rows:
        report.rows += 1
        raw_verdict = alerts_csv.unneutralise(row.get("analyst_verdict", "").strip())
        note = alerts_csv.unneutralise(row.get("analyst_note", "").strip())
        if not raw_verdict and not note:
            report.blank += 1
            continue
        raw_id = row.get("alert_id", "").strip()
        where = f"line {line}"
        alert_id = parse_alert_id(raw_id)
        if alert_id is None:
            shown = f"{raw_id[:40]!r}" + (f" ({len(raw_id)} characters)" if len(raw_id) > 40 else "")
            report.problems.append(f"{where}: alert id {shown} is not an alert id (not applied)")
            continue
        if len(note) > alerts_csv.NOTE_MAX:
            report.problems.append(f"{where}: alert {alert_id}: the note is {len(note):,} characters, over the "
                                   f"limit of {alerts_csv.NOTE_MAX:,} (not applied)")
            continue
        stored = known.get(alert_id)
        if stored is None:
            report.problems.append(f"{where}: unknown alert id {alert_id} (not applied)")
            continue
        edited = [c for c, have in (("registry", stored.ecosystem), ("suspect", stored.suspect),
                                    ("target", stored.target))
                  if not alerts_csv.matches(row.get(c, ""), have)]
        if edited:
            report.problems.append(
                f"{where}: alert {alert_id} is {stored.suspect} -> {stored.target} on {stored.ecosystem}, "
                f"but the row's {', '.join(edited)} differ{'s' if len(edited) == 1 else ''} (edited id or row; not applied)")
            continue
        verdict = raw_verdict.lower()
        if verdict not in VERDICTS:
            shown = f"{raw_verdict[:40]!r}" if raw_verdict else "empty"
            report.problems.append(f"{where}: alert {alert_id}: verdict {shown} is not one of "
                                   f"{', '.join(VERDICTS)} (not applied)")
            continue
        if alert_id in seen:
            report.problems.append(f"{where}: alert {alert_id} appears twice; only its first row is applied")
            continue
        seen.add(alert_id)
        if stored.analyst_verdict == verdict and (stored.analyst_note or "") == note:
            report.unchanged += 1
            continue
        todo.append((alert_id, verdict, who, note, when, path.name))
        report.verdicts[verdict] = report.verdicts.get(verdict, 0) + 1
    if todo and not dry_run:
        store.record_verdicts(todo)
    report.applied = len(todo)
    return report


def parse_alert_id(text: str) -> int | None:
    """The alert id written in a CSV cell: 1 to 18 ASCII digits (any stored id fits), else None."""
    text = text.strip()
    if not (0 < len(text) <= 18 and text.isascii() and text.isdigit()):
        return None
    return int(text)


def default_analyst() -> str:
    """The analyst name recorded when `--analyst` is not given: `$CONFUGUARD_ANALYST`, else the login name."""
    name = os.environ.get("CONFUGUARD_ANALYST")
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


__all__ = ["FACT_LABELS", "STATUSES", "VERDICTS", "ImportReport", "alert_page", "alert_views", "alerts", "default_analyst",
           "export", "export_html", "hold_excess", "import_verdicts",
           "parse_alert_id", "parse_since", "report_osv", "web_url"]
