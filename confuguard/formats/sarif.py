"""SARIF 2.1.0 output of `confuguard scan`, for code-scanning UIs.

Choices (documented here and in `confuguard scan --help`):

- One run; `tool.driver` is `confuguard` with its version and two rules:
  `package-confusion` (level `error`; its `properties.categories` lists every confusion
  category, and each result carries the categories that apply in `properties.categories`)
  and `invalid-package-name` (level `warning`). One rule rather than one per category,
  because a lookalike usually matches several categories at once and a SARIF result has
  exactly one rule.
- One `error` result per suspicious dependency: the message names the dependency, the
  popular package(s) it imitates, the categories and the engine's reason.
- Names that are not valid on their registry are `warning` results (a problem in the
  project's files, worth showing next to the code).
- Files (or lines, or includes) that could not be read are `error` results of the rule
  `unreadable-dependency-file`: what was not read was not checked, so a gate fails
  closed. They are also `invocations[0].toolExecutionNotifications` (level `warning`,
  with file and line); `executionSuccessful` stays true because the scan went on.
- Text from the scanned files appears only as bounded, escaped excerpts (messages are
  built by the parsers that way; snippets are capped); file names that are not UTF-8
  show their undecodable bytes as `\\xNN` in messages and percent-encoded in URIs.
- Locations are `artifactLocation.uri` relative to the scan root with `uriBaseId`
  `%SRCROOT%` (declared in `originalUriBaseIds`), plus `region.startLine` (>= 1) and
  `startColumn` when known. A file outside the root (a `-r ../x.txt` include) gets an
  absolute `file:` URI instead.
- A dependency read from an SBOM also gets a `logicalLocations` entry naming the
  component (`name`: its CycloneDX `bom-ref` or SPDX `SPDXID`, `kind` `object`).
- SBOM components that were not checked (no purl, or a purl type confuguard does not
  cover) are counted in `properties.skippedComponentCount`, and each SBOM with such
  components gets one `note` notification saying how many and why.
- `partialFingerprints` hash registry, package key and file, not the line, so an alert
  survives edits that move it.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from confuguard import __version__, names
from confuguard.depfiles import INVALID_NAME, Dependency, ParseError, Skipped
from confuguard.depfiles.sbom import summarize_skipped
from confuguard.formats.sanitize import path_text, terminal
from confuguard.types import Candidate, Category, CheckResult, Verdict

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
RULE_CONFUSION = "package-confusion"
RULE_INVALID = "invalid-package-name"
RULE_UNREADABLE = "unreadable-dependency-file"
NOTIFICATION_PARSE = "unparseable-dependency-file"
NOTIFICATION_SKIPPED = "sbom-components-skipped"
_MAX_TARGETS = 3

RULES: list[dict[str, Any]] = [
    {
        "id": RULE_CONFUSION,
        "name": "PackageConfusion",
        "shortDescription": {"text": "Dependency imitates a popular package (typosquatting / package confusion)"},
        "fullDescription": {
            "text": "The dependency's name is confusable with a popular package of the same registry "
            "(typo, look-alike characters, delimiter, affix, scope, reordering...) and nothing says it is "
            "harmless. Installing it may run an attacker's code."
        },
        "help": {
            "text": "Check that this is the package you meant. If it is a typo, replace it with the popular "
            "package named in the message; if it is intended, review the package and its publisher first."
        },
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "tags": ["security", "supply-chain", "typosquatting"],
            "security-severity": "8.0",
            "precision": "medium",
            "categories": [c.value for c in Category],
        },
    },
    {
        "id": RULE_INVALID,
        "name": "InvalidPackageName",
        "shortDescription": {"text": "Dependency name is not valid on its registry"},
        "fullDescription": {
            "text": "The registry would not accept this name, so the declaration cannot be what it seems "
            "(look-alike Unicode characters, stray characters, a malformed coordinate)."
        },
        "help": {"text": "Fix the dependency name; check for non-ASCII look-alike characters."},
        "defaultConfiguration": {"level": "warning"},
        "properties": {"tags": ["security", "supply-chain", "correctness"]},
    },
    {
        "id": RULE_UNREADABLE,
        "name": "UnreadableDependencyFile",
        "shortDescription": {"text": "Dependency file, line or include could not be read"},
        "fullDescription": {
            "text": "Part of the project's dependency declarations could not be read (malformed syntax, an "
            "include outside the scanned tree, a device or FIFO, an oversized file), so the dependencies it "
            "declares were not checked."
        },
        "help": {"text": "Fix the file or line; to let an include outside the tree be read, pass "
                 "`confuguard scan --allow-outside PATH`."},
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["security", "supply-chain", "correctness"]},
    },
]
_RULE_INDEX = {r["id"]: i for i, r in enumerate(RULES)}


def build(
    entries: Sequence[tuple[Dependency, CheckResult]],
    errors: Sequence[ParseError],
    *,
    root: Path,
    skipped: Sequence[Skipped] = (),
) -> dict[str, Any]:
    """The SARIF log as a dict. `entries` pairs every scanned dependency with its result."""
    root = root.resolve()
    results: list[dict[str, Any]] = []
    for dep, res in entries:
        if res.verdict is Verdict.SUSPICIOUS:
            results.append(_confusion_result(dep, res, root))
        elif res.verdict is Verdict.INVALID:
            reason = res.reasons[0] if res.reasons else "not a valid name"
            results.append(_invalid_result(dep.file, dep.line, dep.column, f"{dep.name}: {reason}", root, dep.raw))
    for err in errors:
        if err.kind == INVALID_NAME:
            results.append(_invalid_result(err.file, err.line, None, err.message, root, None))
        else:
            results.append(_unreadable_result(err, root))
    notifications = [
        {
            "level": "warning",
            "message": {"text": f"could not read {path_text(err.file.name)}: {err.message}"},
            "descriptor": {"id": NOTIFICATION_PARSE},
            "locations": [_location(err.file, err.line, None, root, None)],
        }
        for err in errors
        if err.kind != INVALID_NAME
    ]
    first_skipped = {s.file: s for s in reversed(skipped)}
    notifications += [
        {
            "level": "note",
            "message": {"text": f"{path_text(file.name)}: {summary}"},
            "descriptor": {"id": NOTIFICATION_SKIPPED},
            "locations": [_location(file, first_skipped[file].line, None, root, None)],
        }
        for file, summary in summarize_skipped(skipped).items()
    ]
    files = {dep.file for dep, _ in entries} | {e.file for e in errors}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "confuguard",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": RULES,
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": root.as_uri().rstrip("/") + "/"}},
        "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
        "columnKind": "unicodeCodePoints",
        "results": results,
        "properties": {
            "dependencyCount": len(entries),
            "fileCount": len(files | {s.file for s in skipped}),
            "skippedComponentCount": len(skipped),
        },
    }
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render(
    entries: Sequence[tuple[Dependency, CheckResult]],
    errors: Sequence[ParseError],
    *,
    root: Path,
    skipped: Sequence[Skipped] = (),
) -> str:
    """The SARIF log as JSON text."""
    return json.dumps(build(entries, errors, root=root, skipped=skipped), indent=2, ensure_ascii=False) + "\n"


def _targets(res: CheckResult) -> list[Candidate]:
    flagged = [c for c in res.candidates if c.verdict is Verdict.SUSPICIOUS] or list(res.candidates)
    return flagged[:_MAX_TARGETS]


def _confusion_result(dep: Dependency, res: CheckResult, root: Path) -> dict[str, Any]:
    targets = _targets(res)
    categories = list(dict.fromkeys(cat.value for c in targets for cat in c.categories))
    if targets:
        imitated = ", ".join(f"'{c.target}' ({', '.join(cat.value for cat in c.categories) or 'similar'})" for c in targets)
        text = f"{dep.ecosystem.value} dependency '{dep.name}' imitates the popular package {imitated}."
    else:
        text = f"{dep.ecosystem.value} dependency '{dep.name}' is suspicious."
    if res.reasons:
        text += " " + " ".join(res.reasons)
    uri = _uri(dep.file, root)[0]
    fingerprint = hashlib.sha256(f"{dep.ecosystem.value}\0{names.key(dep.package)}\0{uri}".encode()).hexdigest()
    return {
        "ruleId": RULE_CONFUSION,
        "ruleIndex": _RULE_INDEX[RULE_CONFUSION],
        "level": "error",
        "message": {"text": text},
        "locations": [_location(dep.file, dep.line, dep.column, root, dep.raw, dep.ref)],
        "partialFingerprints": {"confuguardDependency/v1": fingerprint[:32]},
        "properties": {
            "registry": dep.ecosystem.value,
            "package": dep.name,
            "purl": names.purl(dep.package),
            "targets": [str(c.target) for c in targets],
            "categories": categories,
            "score": max((c.score for c in targets), default=None),
        },
    }


def _invalid_result(
    file: Path, line: int, column: int | None, message: str, root: Path, raw: str | None
) -> dict[str, Any]:
    return {
        "ruleId": RULE_INVALID,
        "ruleIndex": _RULE_INDEX[RULE_INVALID],
        "level": "warning",
        "message": {"text": message},
        "locations": [_location(file, line, column, root, raw)],
    }


def _unreadable_result(err: ParseError, root: Path) -> dict[str, Any]:
    return {
        "ruleId": RULE_UNREADABLE,
        "ruleIndex": _RULE_INDEX[RULE_UNREADABLE],
        "level": "error",
        "message": {"text": f"{path_text(err.file.name)} line {err.line} was not read: {err.message}"},
        "locations": [_location(err.file, err.line, None, root, None)],
    }


def _uri(file: Path, root: Path) -> tuple[str, str | None]:
    """(uri, uriBaseId): relative to the root when the file is under it, else an absolute file URI.

    The file name's bytes are percent-encoded, so a name that is not UTF-8 still gives a valid URI."""
    path = file.resolve()
    try:
        rel = path.relative_to(root)
    except ValueError:
        return path.as_uri(), None
    return quote(os.fsencode(rel.as_posix()), safe="/"), SRCROOT


def _location(
    file: Path, line: int, column: int | None, root: Path, raw: str | None, ref: str | None = None
) -> dict[str, Any]:
    uri, base = _uri(file, root)
    artifact: dict[str, Any] = {"uri": uri}
    if base:
        artifact["uriBaseId"] = base
    region: dict[str, Any] = {"startLine": max(1, line)}
    if column:
        region["startColumn"] = max(1, column)
    if raw:
        region["snippet"] = {"text": terminal(raw)}
    location: dict[str, Any] = {"physicalLocation": {"artifactLocation": artifact, "region": region}}
    if ref:
        location["logicalLocations"] = [{"name": terminal(ref), "kind": "object"}]
    return location
