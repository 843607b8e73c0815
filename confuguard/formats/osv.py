"""OSV 1.6 records of confirmed-malicious alerts, in the shape `ossf/malicious-packages` accepts.

    doc = record(alert, metadata, now="2026-12-06T21:00:00Z")   # alert: a row of `confuguard.alerts.alerts`
    json.dumps(doc)

One record per alert: a `MAL-0000-confuguard-<alert id>` placeholder id (the database assigns
the real `MAL-YYYY-N` when it imports the report), `affected[0].package` with the OSV
ecosystem name, the package name and its purl, `ranges` with `introduced: "0"` (a malicious
package is malicious in every version) and `versions` with the latest version when the store
knows it, `credits` (the analyst who confirmed it, and confuguard as the tool), and
`database_specific` with the imitated target, the confusion categories, the analyst's note,
the classifier's probability and reasons, and `malicious-packages-origins` naming the source.

Hugging Face has no ecosystem in OSV: `osv_ecosystem` returns None for it, and such alerts are
not written as OSV (the caller reports them as skipped).
"""

from __future__ import annotations

from typing import Any

from confuguard import __version__
from confuguard.ecosystems import spec
from confuguard.errors import InputError
from confuguard.types import AlertRecord, Ecosystem, PackageMetadata

SCHEMA_VERSION = "1.6.0"
ID_PREFIX = "MAL-0000-confuguard-"


def osv_ecosystem(registry: str) -> str | None:
    """The OSV ecosystem of one of our registry names (https://ossf.github.io/osv-schema/#affectedpackage-field,
    each descriptor's `osv_ecosystem`); None when OSV has none (Hugging Face) or the registry is unknown."""
    try:
        return spec(Ecosystem(registry)).osv_ecosystem
    except (ValueError, InputError):
        return None


def record_id(alert_id: int) -> str:
    """The placeholder id of an alert's record (also its file name, without `.json`)."""
    return f"{ID_PREFIX}{int(alert_id)}"


def record(alert: AlertRecord, meta: PackageMetadata | None, *, now: str) -> dict[str, Any]:
    """The OSV record of one confirmed-malicious alert. ValueError when its registry has no OSV ecosystem."""
    a = alert.alert
    ecosystem = osv_ecosystem(a.ecosystem)
    if ecosystem is None:
        raise ValueError(f"OSV has no ecosystem for {a.ecosystem}")
    name = a.suspect
    categories = [c for c in a.categories if c]
    note = a.analyst_note or ""
    analyst = a.analyst or "unknown"
    confirmed = a.verdict_recorded_at or now
    package: dict[str, Any] = {"ecosystem": ecosystem, "name": name}
    if alert.suspect_purl:
        package["purl"] = alert.suspect_purl
    affected: dict[str, Any] = {"package": package,
                                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}
    if meta is not None and meta.latest_version:
        affected["versions"] = [meta.latest_version]
    how = ", ".join(categories) or "name resemblance"
    details = (f"{name} imitates the popular {ecosystem} package {a.target} ({how}). It was raised by "
               f"confuguard's nightly sweep on {a.first_seen[:10]} and confirmed malicious by an analyst"
               + (f": {note}" if note else "."))
    return {
        "schema_version": SCHEMA_VERSION,
        "id": record_id(a.id),
        "modified": confirmed,
        "published": confirmed,
        "summary": f"Malicious code in {name} ({ecosystem})",
        "details": details,
        "affected": [affected],
        "credits": [{"name": analyst, "type": "ANALYST"}, {"name": f"confuguard {__version__}", "type": "TOOL"}],
        "database_specific": {
            "imitates": {"name": a.target, "purl": alert.target_purl or None, "rank": a.target_rank},
            "categories": categories,
            "analyst_note": note,
            "threat_probability": a.threat_probability,
            "reasons": [r for r in a.reasons if r],
            "model_version": a.model_version,
            "alert_id": a.id,
            "malicious-packages-origins": [{"source": "confuguard", "import_time": now, "modified_time": confirmed,
                                            "id": record_id(a.id)}],
        },
    }


__all__ = ["ID_PREFIX", "SCHEMA_VERSION", "osv_ecosystem", "record", "record_id"]
