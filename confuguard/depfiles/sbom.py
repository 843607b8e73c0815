"""SBOMs: CycloneDX (JSON and XML, spec 1.4-1.6) and SPDX 2.3 (JSON and tag-value) documents.

Every component (CycloneDX `components`, nested ones included; SPDX `packages`) whose purl
has a supported type (npm, pypi, gem, maven, golang, huggingface) becomes a `Dependency`
at the line of its purl, with the component's `bom-ref` / `SPDXID` as `ref`. A component
without a purl, with a purl that does not parse, or with another purl type (deb, rpm,
generic...) is recorded as `Skipped` with the reason. The described subject itself
(CycloneDX `metadata.component`) and the tools that made the SBOM are not dependencies
and are not read.

Files are recognised by name (`is_sbom_name`: bom.json, *.cdx.json, *.spdx.json, *.spdx...)
and, for a file given explicitly, by content (`looks_like_sbom`). The document kind is always
decided by content. XML is read with the safe expat reader of the POM parser (no DTDs, no
entities); size is capped by `read_text` like every other dependency file.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from packageurl import PackageURL

from confuguard.depfiles.base import (
    Collector,
    FileFormatError,
    Skipped,
    json_key_positions,
    load_json,
    read_bytes,
)
from confuguard.depfiles.maven import parse_xml
from confuguard.types import Ecosystem

FORMAT = "sbom"
_NAME_PATTERNS = (
    "bom.json",
    "bom.xml",
    "sbom.json",
    "sbom.xml",
    "*.cdx.json",
    "*.cdx.xml",
    "*.bom.json",
    "*.bom.xml",
    "*.sbom.json",
    "*.sbom.xml",
    "*.spdx.json",
    "*.spdx",
)
_ECOSYSTEMS = {e.purl_type: e for e in Ecosystem}
_SNIFF_BYTES = 4096
_CDX_JSON = re.compile(rb'"bomFormat"\s*:\s*"CycloneDX"')
_CDX_XML = re.compile(rb"<(?:\w+:)?bom\b[^>]*cyclonedx\.org/schema/bom")
_SPDX_JSON = re.compile(rb'"spdxVersion"\s*:\s*"SPDX-')
_SPDX_TAG = re.compile(rb"^\s*SPDXVersion\s*:", re.MULTILINE)
_SPDX_TAG_TEXT = re.compile(r"^\s*SPDXVersion\s*:", re.MULTILINE)
_TAG_LINE = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)\s*:\s?(.*)$")


def is_sbom_name(name: str) -> bool:
    """Whether a file name is one SBOM tools write by convention."""
    lowered = name.lower()
    return any(fnmatch.fnmatchcase(lowered, p) for p in _NAME_PATTERNS)


def looks_like_sbom(path: Path) -> bool:
    """Whether the start of the file is a CycloneDX or SPDX document (for files of other names).

    Read like every dependency file (`read_bytes`: regular files only, never blocking); a file
    that cannot be read is not an SBOM here, and `parse_file` then reports it.
    """
    try:
        head = read_bytes(path)[:_SNIFF_BYTES]
    except FileFormatError:
        return False
    return any(p.search(head) for p in (_CDX_JSON, _CDX_XML, _SPDX_JSON, _SPDX_TAG))


def parse_sbom(path: Path, text: str, out: Collector) -> None:
    """Read a CycloneDX or SPDX document (kind decided by content)."""
    start = text.lstrip()[:1]
    if start in ("{", "["):
        doc = load_json(text)
        if not isinstance(doc, dict):
            raise FileFormatError("not a CycloneDX or SPDX document")
        if doc.get("bomFormat") == "CycloneDX":
            _cyclonedx_json(path, text, doc, out)
        elif isinstance(doc.get("spdxVersion"), str):
            _spdx_json(path, text, doc, out)
        elif "@context" in doc and "spdx" in str(doc.get("@context")).lower():
            raise FileFormatError("SPDX 3 documents are not supported (SPDX 2.x JSON and tag-value are)")
        else:
            raise FileFormatError("not a CycloneDX or SPDX document (no bomFormat or spdxVersion)")
    elif start == "<":
        _cyclonedx_xml(path, text, out)
    elif _SPDX_TAG_TEXT.search(text):
        _spdx_tag_value(path, text, out)
    else:
        raise FileFormatError("not a CycloneDX (JSON/XML) or SPDX (JSON/tag-value) document")


def _component(
    out: Collector, path: Path, purl: object, name: str, ref: str | None, line: int, column: int | None
) -> None:
    """Check a component by its purl, or record why it is skipped."""
    label = name or ref or "(unnamed component)"
    if not isinstance(purl, str) or not purl.strip():
        out.skip(path, line, label, ref, "no purl")
        return
    purl = purl.strip()
    try:
        parsed = PackageURL.from_string(purl)
    except ValueError:
        out.skip(path, line, label, ref, "malformed purl", purl)
        return
    ecosystem = _ECOSYSTEMS.get(parsed.type)
    if ecosystem is None:
        out.skip(path, line, label, ref, f"unsupported purl type {parsed.type}", purl)
        return
    out.add(ecosystem, purl, path, line, column, purl, ref=ref)


def summarize_skipped(skipped: Sequence[Skipped]) -> dict[Path, str]:
    """Per file, how many SBOM components were not checked and why: `3 SBOM components skipped (2 no purl, ...)`."""
    by_file: dict[Path, dict[str, int]] = {}
    for s in skipped:
        reasons = by_file.setdefault(s.file, {})
        reasons[s.reason] = reasons.get(s.reason, 0) + 1
    return {
        file: f"{sum(r.values())} SBOM component{'s' if sum(r.values()) != 1 else ''} skipped ("
        + ", ".join(f"{n} {reason}" for reason, n in sorted(r.items(), key=lambda kv: (-kv[1], kv[0])))
        + ")"
        for file, r in by_file.items()
    }


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


# --- CycloneDX ------------------------------------------------------------------------------


def _cyclonedx_json(path: Path, text: str, doc: dict[str, Any], out: Collector) -> None:
    positions = json_key_positions(text)
    stack: list[tuple[tuple[str | int, ...], Any]] = [(("components",), doc.get("components"))]
    while stack:
        prefix, items = stack.pop()
        if not isinstance(items, list):
            continue
        for i, comp in reversed(list(enumerate(items))):
            if not isinstance(comp, dict):
                continue
            at = (*prefix, i)
            line, column = _first_position(positions, at, ("purl", "name", "bom-ref", "type"))
            group, name = _text(comp.get("group")), _text(comp.get("name"))
            label = f"{group}:{name}" if group and name else name
            _component(out, path, comp.get("purl"), label, _text(comp.get("bom-ref")) or None, line, column)
            stack.append(((*at, "components"), comp.get("components")))


def _first_position(
    positions: dict[tuple[str | int, ...], tuple[int, int]], at: tuple[str | int, ...], keys: tuple[str, ...]
) -> tuple[int, int | None]:
    for key in keys:
        if (*at, key) in positions:
            return positions[(*at, key)]
    return positions.get(at[:-1], (1, None))


def _cyclonedx_xml(path: Path, text: str, out: Collector) -> None:
    root, positions = parse_xml(text)
    if root.tag != "bom":
        raise FileFormatError(
            f"not a CycloneDX document (root element is <{root.tag}>)", positions.get(root, (1, 1))[0]
        )
    stack = [c for c in root if c.tag == "components"]
    while stack:
        container = stack.pop()
        for comp in reversed([c for c in container if c.tag == "component"]):
            purl_elem = comp.find("purl")
            line, column = positions.get(purl_elem if purl_elem is not None else comp, (1, 1))
            group, name = _text(comp.findtext("group")), _text(comp.findtext("name"))
            label = f"{group}:{name}" if group and name else name
            purl = purl_elem.text if purl_elem is not None else None
            _component(out, path, purl, label, _text(comp.get("bom-ref")) or None, line, column)
            stack.extend(c for c in comp if c.tag == "components")


# --- SPDX 2.x ---------------------------------------------------------------------------------


def _spdx_json(path: Path, text: str, doc: dict[str, Any], out: Collector) -> None:
    version = doc["spdxVersion"]
    if not version.startswith("SPDX-2."):
        raise FileFormatError(f"unsupported SPDX version {version[:20]!r} (SPDX 2.x is read)")
    packages = doc.get("packages")
    if not isinstance(packages, list):
        return
    positions = json_key_positions(text)
    for i, pkg in enumerate(packages):
        if not isinstance(pkg, dict):
            continue
        refs = pkg.get("externalRefs")
        purl = None
        at: tuple[str | int, ...] = ("packages", i)
        keys: tuple[str, ...] = ("name", "SPDXID")
        if isinstance(refs, list):
            for k, ref in enumerate(refs):
                if isinstance(ref, dict) and ref.get("referenceType") == "purl":
                    purl, at, keys = ref.get("referenceLocator"), ("packages", i, "externalRefs", k), ("referenceLocator",)
                    break
        line, column = _first_position(positions, at, keys)
        _component(out, path, purl, _text(pkg.get("name")), _text(pkg.get("SPDXID")) or None, line, column)


class _TagPackage:
    """The fields of one SPDX tag-value package section read so far."""

    def __init__(self, name: str, line: int) -> None:
        self.name, self.line = name, line
        self.ref: str | None = None
        self.purl: str | None = None
        self.purl_line = line
        self.purl_column: int | None = None


def _spdx_tag_value(path: Path, text: str, out: Collector) -> None:
    current: _TagPackage | None = None
    in_text = False
    version_seen = False
    bad_line_reported = False

    def flush() -> None:
        if current is not None:
            _component(
                out, path, current.purl, current.name, current.ref, current.purl_line, current.purl_column
            )

    for lineno, ln in enumerate(text.splitlines(), start=1):
        if in_text:
            in_text = "</text>" not in ln
            continue
        stripped = ln.strip()
        if not stripped or stripped.startswith("#"):
            continue
        m = _TAG_LINE.match(stripped)
        if not m:
            if not bad_line_reported:
                out.error(path, lineno, "not an SPDX `Tag: value` line")
                bad_line_reported = True
            continue
        tag, value = m.group(1), m.group(2).strip()
        if "<text>" in value and "</text>" not in value:
            in_text = True
            continue
        if tag == "SPDXVersion":
            if not value.startswith("SPDX-2."):
                raise FileFormatError(f"unsupported SPDX version {value[:20]!r} (SPDX 2.x is read)", lineno)
            version_seen = True
        elif tag == "PackageName":
            flush()
            current = _TagPackage(value, lineno)
        elif tag in ("FileName", "SnippetSPDXID", "LicenseID"):  # sections that end a package
            flush()
            current = None
        elif current is not None and tag == "SPDXID" and current.ref is None:
            current.ref = value or None
        elif current is not None and tag == "ExternalRef" and current.purl is None:
            parts = value.split(None, 2)
            if len(parts) == 3 and parts[1] == "purl":
                current.purl, current.purl_line = parts[2], lineno
                current.purl_column = ln.find(parts[2]) + 1
    flush()
    if not version_seen:
        raise FileFormatError("not an SPDX tag-value document (no SPDXVersion line)")
