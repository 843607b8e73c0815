"""Allowlisted organisations per registry, kept as data (`data/allowlist/<registry>.json`) with provenance.

A package whose namespace belongs to a listed organisation (npm scope, Maven groupId prefix,
Go owner, Hugging Face org) is published by that organisation: the registry lets nobody
else publish there, so it cannot be a third party's squat. The classifier uses this as a
strong benign signal; it never hides a candidate by itself.

    allow = Allowlist.default()
    allow.owner(pkg)        # "Amazon Web Services" or None
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from confuguard import names
from confuguard.ecosystems import specs
from confuguard.errors import DataError
from confuguard.types import Ecosystem, PackageId


@dataclass(frozen=True, slots=True)
class Allowlist:
    """Organisation namespaces per registry: lowercased namespace (or prefix) -> owner."""

    entries: dict[Ecosystem, dict[str, str]]

    @classmethod
    def default(cls) -> Allowlist:
        """The bundled lists (read once per process)."""
        return _bundled()

    @classmethod
    def load(cls, folder: Path) -> Allowlist:
        """Read every `<registry>.json` in `folder`; DataError when a file is malformed."""
        out: dict[Ecosystem, dict[str, str]] = {}
        for s in specs():
            if s.allowlist is None:
                continue
            eco, path = s.ecosystem, folder / f"{s.allowlist}.json"
            if not path.is_file():
                continue
            try:
                doc = json.loads(path.read_text(encoding="utf-8"))
                out[eco] = {str(e["name"]).lower().strip("@/"): str(e["owner"]) for e in doc["entries"]}
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise DataError(f"allowlist {path} is malformed: {exc}") from exc
        return cls(out)

    def owner(self, pkg: PackageId) -> str | None:
        """The organisation owning `pkg`'s namespace, or None (also when the package has no namespace)."""
        table = self.entries.get(pkg.ecosystem)
        if not table:
            return None
        ns = names.namespace(pkg)
        if pkg.ecosystem is Ecosystem.GOLANG:
            full = names.go_module(pkg)
            return _by_prefix(table, full, "/")
        if ns is None:
            return None
        if pkg.ecosystem is Ecosystem.MAVEN:
            return _by_prefix(table, ns, ".")
        return table.get(ns)


def _by_prefix(table: dict[str, str], text: str, sep: str) -> str | None:
    """Owner of the longest listed prefix of `text` that ends at a `sep` boundary."""
    parts = text.split(sep)
    for n in range(len(parts), 0, -1):
        found = table.get(sep.join(parts[:n]))
        if found is not None:
            return found
    return None


@functools.lru_cache(maxsize=1)
def _bundled() -> Allowlist:
    from confuguard.paths import bundled_data

    return Allowlist.load(bundled_data() / "allowlist")


__all__ = ["Allowlist"]
