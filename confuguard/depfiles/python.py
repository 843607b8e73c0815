"""PyPI dependency files: requirements*.txt, pyproject.toml, Pipfile, Pipfile.lock, poetry.lock, uv.lock.

PEP 508 strings are read with `packaging.requirements.Requirement`, TOML with `tomllib`,
JSON with `json`. Local-path dependencies (editable installs of the project itself,
`path = ...` tables, `directory`/`file`/`editable`/`virtual` lock sources) are skipped:
nothing is fetched from the registry for them.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    parse_sdist_filename,
    parse_wheel_filename,
)

from confuguard.depfiles.base import (
    Collector,
    FileFormatError,
    TomlLines,
    load_toml,
    read_bytes,
    read_json,
    strings,
)
from confuguard.depfiles.encoding import decode
from confuguard.formats.sanitize import excerpt
from confuguard.types import Ecosystem

PYPI = Ecosystem.PYPI

# --- requirements.txt -------------------------------------------------------------------

_COMMENT = re.compile(r"(^|\s+)#.*$")
_INCLUDE_OPTS = {"-r", "--requirement", "-c", "--constraint"}
_EDITABLE_OPTS = {"-e", "--editable"}
_EGG = re.compile(r"[#&]egg=([A-Za-z0-9][A-Za-z0-9._-]*)")
_PER_REQ_OPTION = re.compile(r"\s+--?[A-Za-z]")


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(first physical line number, joined text) with backslash continuations joined, as pip does."""
    out: list[tuple[int, str]] = []
    buf: list[str] = []
    start = 1
    for i, ln in enumerate(text.splitlines(), start=1):
        if not buf:
            start = i
        if ln.endswith("\\") and not _COMMENT.search(ln[:-1]):
            buf.append(ln[:-1])
            continue
        buf.append(ln)
        out.append((start, " ".join(buf)))
        buf = []
    if buf:
        out.append((start, " ".join(buf)))
    return out


def _split_option(line: str) -> tuple[str, str]:
    """`-r file`, `-rfile`, `--requirement=file`, `--requirement file` -> (option, argument)."""
    if line.startswith("--"):
        opt, sep, arg = line.partition("=")
        if not sep:
            opt, _, arg = line.partition(" ")
        return opt.strip(), arg.strip()
    opt, arg = line[:2], line[2:]
    return opt, arg.strip()


def _name_from_location(loc: str) -> str | None:
    """A project name from a URL or path requirement: `#egg=`, or a wheel / sdist file name."""
    m = _EGG.search(loc)
    if m:
        return m.group(1)
    path = unquote(urlsplit(loc).path) if "://" in loc else loc
    filename = path.rstrip("/").rsplit("/", 1)[-1]
    try:
        if filename.endswith(".whl"):
            return str(parse_wheel_filename(filename)[0])
        if filename.endswith((".tar.gz", ".zip")):
            return str(parse_sdist_filename(filename)[0])
    except (InvalidWheelFilename, InvalidSdistFilename):
        return None
    return None


def _looks_like_location(text: str) -> bool:
    return "://" in text or text.startswith((".", "/", "~")) or text.endswith((".whl", ".tar.gz", ".zip"))


def parse_requirements(path: Path, text: str, out: Collector, _active: frozenset[Path] = frozenset()) -> None:
    """requirements*.txt and constraints files, following `-r`/`-c` includes (relative to the file)."""
    active = _active | {path.resolve()}
    is_first = not _active
    for lineno, logical in _logical_lines(text):
        stripped = _COMMENT.sub("", logical)
        line = stripped.strip()
        if not line:
            continue
        column = len(stripped) - len(stripped.lstrip()) + 1
        if line.startswith("-"):
            opt, arg = _split_option(line)
            if opt in _INCLUDE_OPTS:
                _include(path, lineno, arg, out, active)
            elif opt in _EDITABLE_OPTS:
                name = _name_from_location(arg)
                if name:
                    out.add(PYPI, name, path, lineno, column, line)
            # Other options (--index-url, --hash on its own line, --pre...) declare no dependency.
            continue
        req_text = _PER_REQ_OPTION.split(line, maxsplit=1)[0].strip()
        try:
            req = Requirement(req_text)
        except InvalidRequirement as exc:
            if _looks_like_location(req_text):
                name = _name_from_location(req_text)
                if name:
                    out.add(PYPI, name, path, lineno, column, line)
                continue
            shown = excerpt(req_text) if is_first or _named_like_requirements(path) else "(line not shown)"
            out.error(path, lineno, f"invalid requirement {shown}: {_first_line(exc)}")
            continue
        out.add(PYPI, req.name, path, lineno, column, line)


def _named_like_requirements(path: Path) -> bool:
    """Lines of an included file are quoted in messages only if it is named like a requirements file
    (`-r .env` must not put a secret in a CI log)."""
    name = path.name.lower()
    return name.endswith((".txt", ".in")) and ("requirement" in name or "constraint" in name or path.parent.name == "requirements")


def _include(path: Path, lineno: int, arg: str, out: Collector, active: frozenset[Path]) -> None:
    if not arg:
        out.error(path, lineno, "-r/-c needs a file name")
        return
    if "://" in arg:
        return  # remote requirement files are not fetched
    if "\x00" in arg:
        out.error(path, lineno, f"cannot read included file {excerpt(arg)}: a file name cannot hold a NUL byte")
        return
    target = (path.parent / arg) if not Path(arg).is_absolute() else Path(arg)
    if target.resolve() in active:
        return  # include cycle
    try:
        text = decode(read_bytes(target, out.scope), "requirements")
    except FileFormatError as exc:
        out.error(path, lineno, f"cannot read included file {excerpt(arg)}: {exc}")
        return
    parse_requirements(target, text, out, active)


def _first_line(exc: Exception) -> str:
    """packaging's message without the echoed requirement (its later lines repeat the text)."""
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__


# --- PEP 508 strings located in TOML ------------------------------------------------------


def _add_pep508_array(
    path: Path, values: Any, table: tuple[str, ...], key: str, toml: TomlLines, out: Collector
) -> None:
    key_line = toml.key_line(table, key) or 1
    cursor = key_line
    for item in strings(values):
        pos = toml.string_position(item, cursor)
        line, column = pos if pos else (key_line, None)
        cursor = line
        try:
            req = Requirement(item)
        except InvalidRequirement as exc:
            out.error(path, line, f"invalid requirement {excerpt(item)}: {_first_line(exc)}")
            continue
        out.add(PYPI, req.name, path, line, column, item)


def _add_name_table(
    path: Path, table_value: Any, table: tuple[str, ...], toml: TomlLines, out: Collector, skip: set[str]
) -> None:
    """Poetry / Pipfile tables: `name = "spec"` or `name = { version = ..., path = ... }`."""
    if not isinstance(table_value, dict):
        return
    key_lines = toml.simple_key_lines(table)
    for name, spec in table_value.items():
        if name.lower() in skip:
            continue
        if isinstance(spec, dict) and ("path" in spec or spec.get("file")):
            continue  # local directory / file: not from the registry
        line = key_lines.get(name) or toml.key_line(table, name) or (_header_line(toml, table) or 1)
        raw = toml.lines[line - 1] if 0 < line <= len(toml.lines) else name
        out.add(PYPI, name, path, line, None, raw)


def _header_line(toml: TomlLines, table: tuple[str, ...]) -> int | None:
    span = toml.table_span(table)
    return span[0] if span else None


def parse_pyproject(path: Path, text: str, out: Collector) -> None:
    """PEP 621 `[project]`, PEP 735 `[dependency-groups]`, `[build-system] requires`, Poetry and uv tables."""
    data = load_toml(text)
    toml = TomlLines(text)
    project = _table(data, "project")
    build = _table(data, "build-system")
    _add_pep508_array(path, build.get("requires"), ("build-system",), "requires", toml, out)
    _add_pep508_array(path, project.get("dependencies"), ("project",), "dependencies", toml, out)
    for extra, values in _table(project, "optional-dependencies").items():
        _add_pep508_array(path, values, ("project", "optional-dependencies"), extra, toml, out)
    for group, values in _table(data, "dependency-groups").items():
        _add_pep508_array(path, values, ("dependency-groups",), group, toml, out)
    tool = _table(data, "tool")
    uv = _table(tool, "uv")
    _add_pep508_array(path, uv.get("dev-dependencies"), ("tool", "uv"), "dev-dependencies", toml, out)
    poetry = _table(tool, "poetry")
    skip = {"python"}
    _add_name_table(path, poetry.get("dependencies"), ("tool", "poetry", "dependencies"), toml, out, skip)
    _add_name_table(path, poetry.get("dev-dependencies"), ("tool", "poetry", "dev-dependencies"), toml, out, skip)
    for group, body in _table(poetry, "group").items():
        if isinstance(body, dict):
            table = ("tool", "poetry", "group", group, "dependencies")
            _add_name_table(path, body.get("dependencies"), table, toml, out, skip)


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    """`data[key]` when it is a table, else an empty one (a wrongly typed value declares nothing)."""
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def parse_pipfile(path: Path, text: str, out: Collector) -> None:
    """Pipfile `[packages]` and `[dev-packages]`."""
    data = load_toml(text)
    toml = TomlLines(text)
    for section in ("packages", "dev-packages"):
        _add_name_table(path, data.get(section), (section,), toml, out, set())


# --- lockfiles ---------------------------------------------------------------------------


def parse_pipfile_lock(path: Path, text: str, out: Collector) -> None:
    """Pipfile.lock: the `default` and `develop` maps (name -> pinned entry)."""
    doc = read_json(text)
    data = doc.data
    if not isinstance(data, dict):
        raise FileFormatError("Pipfile.lock must be a JSON object")
    positions = doc.positions(max_depth=2)
    for section in ("default", "develop"):
        entries = data.get(section) or {}
        if not isinstance(entries, dict):
            continue
        for name, entry in entries.items():
            if isinstance(entry, dict) and ("path" in entry or entry.get("file")):
                continue
            line, column = positions.get((section, name), (1, None))
            out.add(PYPI, name, path, line, column, f'"{name}"')


_LOCAL_SOURCES = {"directory", "file", "editable", "virtual", "path"}


def _parse_package_array_lock(path: Path, text: str, out: Collector, local: Any) -> None:
    data = load_toml(text)
    toml = TomlLines(text)
    packages = data.get("package") or []
    if not isinstance(packages, list):
        raise FileFormatError("`package` must be an array of tables")
    aligned = toml.count(("package",)) == len(packages)
    name_lines: dict[str, int] = {}
    if not aligned:  # one pass over the lines, not one per package
        for i, ln in enumerate(toml.lines):
            m = _NAME_LINE.search(ln)
            if m:
                name_lines.setdefault(m.group(2), i + 1)
    for i, pkg in enumerate(packages):
        if not isinstance(pkg, dict) or not isinstance(pkg.get("name"), str):
            line = (toml.table_span(("package",), i) or (1, 1))[0] if aligned else 1
            out.error(path, line, "[[package]] entry without a name")
            continue
        if local(pkg):
            continue
        name = pkg["name"]
        line = (toml.key_line(("package",), "name", i) if aligned else None) or name_lines.get(name, 1)
        out.add(PYPI, name, path, line, None, f'name = "{name}"')


_NAME_LINE = re.compile(r"""(?:^|[{,])\s*name\s*=\s*(["'])([^"'\\]*)\1""")
"""`name = "x"` on its own line or inside an inline table."""


def parse_poetry_lock(path: Path, text: str, out: Collector) -> None:
    """poetry.lock `[[package]]` entries (directory and file sources skipped)."""

    def local(pkg: dict[str, Any]) -> bool:
        source = pkg.get("source")
        return isinstance(source, dict) and source.get("type") in _LOCAL_SOURCES

    _parse_package_array_lock(path, text, out, local)


def parse_uv_lock(path: Path, text: str, out: Collector) -> None:
    """uv.lock `[[package]]` entries (the project itself and path sources skipped)."""

    def local(pkg: dict[str, Any]) -> bool:
        source = pkg.get("source")
        return isinstance(source, dict) and bool(_LOCAL_SOURCES & source.keys())

    _parse_package_array_lock(path, text, out, local)
