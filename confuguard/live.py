"""`check --live`: fetch registry metadata for suspects and their targets and attach it to results."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from confuguard import names
from confuguard.config import Config
from confuguard.types import CheckResult, PackageId

#: Targets fetched per suspect (the best candidates).
LIVE_TARGETS = 3


def attach_live_metadata(results: list[CheckResult], *, db: Path | None = None,
                         config: Config | None = None) -> list[CheckResult]:
    """Results with `metadata` filled from the registries (stored in the local store as a side effect).

    Every checked name is fetched, and so are the top targets of names with candidates. A
    fetch that fails is reported in the result's reasons; the verdict is kept. `config` (default:
    `Config.load()`) gives the URLs and the opt-in fetches.
    """
    from confuguard.registries import fetch_live
    from confuguard.store import Store

    wanted: list[PackageId] = []
    for r in results:
        if r.package is not None:
            wanted.append(r.package)
            wanted.extend(c.target for c in r.candidates[:LIVE_TARGETS])
    if not wanted:
        return results
    errors: dict[str, str] = {}
    with Store.open(db) as store:
        fetched = fetch_live(wanted, store=store, errors=errors, config=config)
    out = []
    for r in results:
        if r.package is None:
            out.append(r)
            continue
        mine = [r.package] + [c.target for c in r.candidates[:LIVE_TARGETS]]
        meta = {names.purl(p): m for p in mine if (m := fetched.get(names.purl(p))) is not None}
        notes = tuple(f"live metadata unavailable for {p}: {errors[names.purl(p)]}"
                      for p in mine if names.purl(p) in errors)
        missing = tuple(f"{p} was not found on the registry" for p in mine
                        if names.purl(p) in fetched and fetched[names.purl(p)] is None and names.purl(p) not in errors)
        out.append(dataclasses.replace(r, metadata=meta, reasons=r.reasons + missing + notes))
    return out
