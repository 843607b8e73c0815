"""npm dependency files: package.json, package-lock.json / npm-shrinkwrap.json, yarn.lock, pnpm-lock.yaml.

JSON is read with `json`, yarn berry and pnpm lockfiles with `yaml` (SafeLoader, composed
to nodes to keep line numbers). Yarn classic lockfiles are not YAML and have no Python
parser, so they are read line by line (their grammar is a flat list of entries).
Aliases (`"lodash": "npm:lodahs@^4"`) are reported under the real package name; local
specifiers (`file:`, `link:`, `workspace:`, `portal:`) are skipped.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from confuguard.depfiles.base import Collector, FileFormatError, read_json
from confuguard.formats.sanitize import excerpt
from confuguard.types import Ecosystem

NPM = Ecosystem.NPM
_LOCAL_PROTOCOLS = ("file:", "link:", "workspace:", "portal:", "patch:", "exec:")
_SECTIONS = ("dependencies", "devDependencies", "peerDependencies", "optionalDependencies")


def split_selector(selector: str) -> tuple[str, str]:
    """`@scope/name@range` -> (`@scope/name`, `range`); no range -> (selector, "")."""
    at = selector.find("@", 1)
    if at < 0:
        return selector, ""
    return selector[:at], selector[at + 1 :]


def _real_name(name: str, spec: str) -> str | None:
    """The package actually installed for `name` at `spec`: the alias target, or None for local specs."""
    spec = spec.strip()
    if spec.startswith(_LOCAL_PROTOCOLS):
        return None
    if spec.startswith("npm:"):
        # `npm:lodahs@^4` is an alias for another package; `npm:^4.17.21` (yarn berry) is not.
        target, version = split_selector(spec[4:])
        return target if version and target else name
    return name


def parse_package_json(path: Path, text: str, out: Collector) -> None:
    """`dependencies`, `devDependencies`, `peerDependencies`, `optionalDependencies`."""
    doc = read_json(text)
    data = doc.data
    if not isinstance(data, dict):
        raise FileFormatError("package.json must be a JSON object")
    positions = doc.positions(max_depth=2)
    for section in _SECTIONS:
        deps = data.get(section)
        if deps is None:
            continue
        if not isinstance(deps, dict):
            line = positions.get((section,), (1, None))[0]
            out.error(path, line, f"{section!r} must be an object of name -> version range")
            continue
        for name, spec in deps.items():
            line, column = positions.get((section, name), (1, None))
            real = _real_name(name, spec if isinstance(spec, str) else "")
            if real is not None:
                out.add(NPM, real, path, line, column, f"{json.dumps(name)}: {json.dumps(spec)}")


def parse_package_lock(path: Path, text: str, out: Collector) -> None:
    """package-lock.json v1 (nested `dependencies`) and v2/v3 (`packages` keyed by node_modules path)."""
    doc = read_json(text)
    data = doc.data
    if not isinstance(data, dict):
        raise FileFormatError("package-lock.json must be a JSON object")
    packages = data.get("packages")
    positions = doc.positions(max_depth=2 if isinstance(packages, dict) else None)  # v1 nests
    if isinstance(packages, dict):
        for key, entry in packages.items():
            if "node_modules/" not in key or not isinstance(entry, dict) or entry.get("link"):
                continue  # the root project, workspace folders, links to them
            line, column = positions.get(("packages", key), (1, None))
            given = entry.get("name")
            name = given if isinstance(given, str) else key.rsplit("node_modules/", 1)[1]
            out.add(NPM, name, path, line, column, f'"{key}"')
        return
    _lock_v1(path, data.get("dependencies"), positions, out)


def _lock_v1(path: Path, deps: Any, positions: dict[Any, tuple[int, int]], out: Collector) -> None:
    """v1 nested `dependencies`, walked without recursion (nesting depth is the attacker's choice)."""
    pending: list[tuple[tuple[str, ...], Any]] = [(("dependencies",), deps)]
    while pending:
        prefix, level = pending.pop()
        if not isinstance(level, dict):
            continue
        for name, entry in level.items():
            if not isinstance(entry, dict):
                continue
            line, column = positions.get((*prefix, name), (1, None))
            given = entry.get("version")
            version = given if isinstance(given, str) else ""
            real = _real_name(name, version)
            if real is not None:
                out.add(NPM, real, path, line, column, f'"{name}"')
            pending.append(((*prefix, name, "dependencies"), entry.get("dependencies")))


# --- yarn -------------------------------------------------------------------------------


def parse_yarn_lock(path: Path, text: str, out: Collector) -> None:
    """yarn.lock, classic (v1, yarn's own format) or berry (YAML with `__metadata`)."""
    if any(ln.startswith("__metadata:") for ln in text.splitlines()):
        _yarn_berry(path, text, out)
    else:
        _yarn_classic(path, text, out)


def _yarn_classic(path: Path, text: str, out: Collector) -> None:
    for lineno, ln in enumerate(text.splitlines(), start=1):
        if not ln.strip() or ln.startswith("#") or ln[0] in " \t":
            continue
        if not ln.rstrip().endswith(":"):
            raise FileFormatError(f"unexpected line in yarn.lock: {excerpt(ln.strip())}", lineno)
        for raw_sel in ln.rstrip()[:-1].split(","):
            sel = raw_sel.strip().strip('"')
            name, spec = split_selector(sel)
            real = _real_name(name, spec)
            if real is not None:
                out.add(NPM, real, path, lineno, 1, ln.rstrip()[:-1])


def _yarn_berry(path: Path, text: str, out: Collector) -> None:
    root = compose_yaml(text)
    for key_node, value_node in mapping_items(root):
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
        if key == "__metadata" or not key:
            continue
        line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        fields = {k.value: v for k, v in mapping_items(value_node) if isinstance(k, yaml.ScalarNode)}
        resolution = fields.get("resolution")
        if isinstance(resolution, yaml.ScalarNode) and resolution.value:
            name, spec = split_selector(resolution.value)
            real = _real_name(name, spec)
            if real is not None:
                out.add(NPM, real, path, line, column, key)
            continue
        for raw_sel in key.split(","):
            name, spec = split_selector(raw_sel.strip())
            real = _real_name(name, spec)
            if real is not None:
                out.add(NPM, real, path, line, column, key)


# --- pnpm -------------------------------------------------------------------------------


def parse_pnpm_lock(path: Path, text: str, out: Collector) -> None:
    """pnpm-lock.yaml `packages` (lockfile v5 `/name/version`, v6 `/name@version`, v9 `name@version`)."""
    root = compose_yaml(text)
    fields = {k.value: v for k, v in mapping_items(root) if isinstance(k, yaml.ScalarNode)}
    version_node = fields.get("lockfileVersion")
    try:
        lock_version = float(version_node.value) if isinstance(version_node, yaml.ScalarNode) else 9.0
    except ValueError:
        lock_version = 9.0
    packages = fields.get("packages")
    if packages is None:
        return
    for key_node, value_node in mapping_items(packages):
        key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
        line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
        entry = {k.value: v for k, v in mapping_items(value_node) if isinstance(k, yaml.ScalarNode)}
        name_node = entry.get("name")
        if isinstance(name_node, yaml.ScalarNode) and name_node.value:
            name: str | None = name_node.value
        else:
            name = _pnpm_key_name(key, lock_version)
        if name is not None:
            out.add(NPM, name, path, line, column, key)


def _pnpm_key_name(key: str, lock_version: float) -> str | None:
    if any(p in key for p in _LOCAL_PROTOCOLS):
        return None
    if lock_version < 6:
        if not key.startswith("/"):
            return None  # tarball / git entries without a name field
        parts = key[1:].split("/")
        return "/".join(parts[:2]) if parts[0].startswith("@") else parts[0]
    bare = key.lstrip("/").split("(", 1)[0]
    name, _ = split_selector(bare)
    return name


# --- YAML helpers ------------------------------------------------------------------------


def compose_yaml(text: str) -> yaml.Node | None:
    """The YAML node tree (safe loader, positions kept); FileFormatError with the line on bad YAML."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise FileFormatError(f"invalid YAML: {exc.problem or exc.context}", line) from None
    except yaml.YAMLError as exc:
        raise FileFormatError(f"invalid YAML: {exc}") from None


def mapping_items(node: yaml.Node | None) -> list[tuple[yaml.Node, yaml.Node]]:
    """The (key, value) node pairs of a mapping node; empty for anything else."""
    if isinstance(node, yaml.MappingNode):
        return list(node.value)
    return []
