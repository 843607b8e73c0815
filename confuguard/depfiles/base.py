"""Records shared by the dependency-file parsers, and helpers that find line numbers.

Parsers read a file with a well-kept parser (`packaging`, `tomllib`, `json`, `yaml`,
`xml.parsers.expat`, `ast`) and report what they find to a `Collector`, which checks
every name with `confuguard.names.parse`, deduplicates per file and keeps the errors.
The standard JSON and TOML parsers give no positions, so the locators below find the
line of a key or string in the text after the real parser has accepted it.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from confuguard import names
from confuguard.errors import InputError
from confuguard.formats.sanitize import excerpt, one_line, path_text
from confuguard.types import Ecosystem, PackageId

PARSE = "parse"
"""`ParseError.kind` of a file (or line) that could not be read."""
INVALID_NAME = "invalid-name"
"""`ParseError.kind` of a dependency whose name is not valid on its registry."""


@dataclass(frozen=True, slots=True)
class Dependency:
    """One dependency declared in a file.

    `name` is the display form (`@scope/name`, `group:artifact`, `github.com/o/r`,
    `author/model`) that `confuguard.names.parse(name, ecosystem)` accepts. `line` is
    1-based; `column` is 1-based where the parser knows it. `raw` is the declaration
    as written (a requirement line, a lockfile key, a `gem` call...). `ref` is the
    component's identifier inside an SBOM (CycloneDX `bom-ref`, SPDX `SPDXID`), if any.
    """

    ecosystem: Ecosystem
    name: str
    file: Path
    line: int
    column: int | None
    raw: str
    ref: str | None = None

    @property
    def package(self) -> PackageId:
        """The parsed package identity (the name was validated when the record was made)."""
        return names.parse(self.name, self.ecosystem)


@dataclass(frozen=True, slots=True)
class ParseError:
    """A file, or one declaration in it, that could not be used.

    `kind` is `parse` (malformed file or line, unreadable or unsupported file) or
    `invalid-name` (a dependency name the registry would not accept).
    """

    file: Path
    line: int
    message: str
    kind: str = PARSE

    def __str__(self) -> str:
        return f"{path_text(self.file)}:{self.line}: {self.message}"


@dataclass(frozen=True, slots=True)
class Skipped:
    """An SBOM component that was not checked: `reason` says why (no purl, unsupported purl type...)."""

    file: Path
    line: int
    name: str
    ref: str | None
    reason: str
    purl: str | None = None


@dataclass(slots=True)
class ParseOutcome:
    """What `parse_file` found in one file (and in files it includes, e.g. `-r`)."""

    file: Path
    format: str | None
    dependencies: list[Dependency] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


class FileFormatError(InputError):
    """Raised by a parser when the whole file is malformed; `line` is 1-based."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = max(1, line)


MAX_NAME_CHARS = 1024
"""Longer dependency names are invalid before any registry rule is tried (every registry's limit is lower)."""
MAX_RAW_CHARS = 200
"""`Dependency.raw` keeps at most this many characters of the declaration."""


def _bounded(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def _bounded_or_none(text: str | None) -> str | None:
    return None if text is None else _bounded(text, MAX_RAW_CHARS)


class Collector:
    """Accumulates the dependencies and errors of one `parse_file` call.

    Parsers may report in any order; `finish` sorts each file's records by position and
    keeps the first line of every (ecosystem, comparison key) per file.
    """

    def __init__(self, outcome: ParseOutcome, scope: ReadScope | None = None) -> None:
        self.outcome = outcome
        self.scope = scope if scope is not None else ReadScope.of([outcome.file])
        """Where includes (`-r other.txt`) may be read from."""
        self._found: list[tuple[Dependency, str]] = []

    def add(
        self, ecosystem: Ecosystem, name: str, file: Path, line: int, column: int | None, raw: str, ref: str | None = None
    ) -> None:
        """Validate `name` for `ecosystem` and keep it; an invalid name becomes an `invalid-name` error."""
        line = max(1, line)
        try:
            if len(name) > MAX_NAME_CHARS:
                raise InputError(f"longer than {MAX_NAME_CHARS} characters")
            pkg = names.parse(name, ecosystem)
        except InputError as exc:
            self.error(file, line, f"invalid {ecosystem.value} name {excerpt(name)}: {exc}", INVALID_NAME)
            return
        dep = Dependency(
            ecosystem, names.display(pkg), file, line, column, _bounded(raw.strip(), MAX_RAW_CHARS), _bounded_or_none(ref)
        )
        self._found.append((dep, names.key(pkg)))

    def error(self, file: Path, line: int, message: str, kind: str = PARSE) -> None:
        """Record a problem; the message is made one bounded, escaped line (it may quote file content)."""
        self.outcome.errors.append(ParseError(file, max(1, line), one_line(message), kind))

    def skip(self, file: Path, line: int, name: str, ref: str | None, reason: str, purl: str | None = None) -> None:
        """Record a component that is not checked (see `Skipped`)."""
        self.outcome.skipped.append(
            Skipped(
                file, max(1, line), _bounded(name, MAX_RAW_CHARS), _bounded_or_none(ref), reason, _bounded_or_none(purl)
            )
        )

    def finish(self) -> ParseOutcome:
        """Sort, deduplicate per file, and return the outcome."""
        file_order: dict[Path, int] = {self.outcome.file: 0}
        for dep, _ in self._found:
            file_order.setdefault(dep.file, len(file_order))
        ordered = sorted(self._found, key=lambda f: (file_order[f[0].file], f[0].line, f[0].column or 0))
        seen: set[tuple[Path, Ecosystem, str]] = set()
        deps: list[Dependency] = []
        for dep, key in ordered:
            if (dep.file, dep.ecosystem, key) not in seen:
                seen.add((dep.file, dep.ecosystem, key))
                deps.append(dep)
        self.outcome.dependencies = deps
        self.outcome.errors.sort(key=lambda e: (e.file != self.outcome.file, str(e.file), e.line))
        self.outcome.skipped.sort(key=lambda s: (str(s.file), s.line))
        return self.outcome


# --- JSON -----------------------------------------------------------------------------

_JSON_KEY_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\],]')
"""Strings and the structure that decides which strings are keys; whitespace, colons and literals are skipped."""
_JSON_STR = r'"(?:[^"\\\n]|\\.)*+"'
_JSON_SHALLOW = r"(?:[^{}\[\]\"]++|" + _JSON_STR + ")*+"
for _ in range(4):
    _JSON_SHALLOW = r"(?:[^{}\[\]\"]++|" + _JSON_STR + r"|[{\[]" + _JSON_SHALLOW + r"[}\]])*+"
_JSON_SHALLOW_CONTAINER = re.compile(r"[{\[]" + _JSON_SHALLOW + r"[}\]]")
"""A container nested at most four levels more, matched whole without backtracking (possessive)."""
MAX_JSON_DEPTH = 256
"""Containers nested deeper than this are read as `0` (npm reads any depth; no dependency map is that deep)."""
_JSON_STRING = re.compile(r'("(?:[^"\\\n]|\\.)*")')
_PRUNE_CHUNK = 1 << 22

JsonPositions = dict[tuple[str | int, ...], tuple[int, int]]


@dataclass(frozen=True, slots=True)
class JsonDoc:
    """A parsed JSON dependency file: the document, and the text it was read from (deep parts pruned)."""

    data: Any
    text: str

    def positions(self, max_depth: int | None = None) -> JsonPositions:
        """`json_key_positions` of the text, for keys at most `max_depth` levels deep (all when None)."""
        return json_key_positions(self.text, max_depth)


def load_json(text: str) -> Any:
    """`json.loads` for a dependency file; see `read_json`."""
    return read_json(text).data


def read_json(text: str) -> JsonDoc:
    """The parsed document; FileFormatError (with the line) on invalid JSON.

    JSON nested deeper than Python's recursion allows (`[[[[...` in an unrelated key) is read
    with the containers below MAX_JSON_DEPTH replaced by `0`, line numbers kept, in bounded time
    and memory, instead of making the whole file unreadable.
    """
    try:
        return JsonDoc(json.loads(text), text)
    except json.JSONDecodeError as exc:
        raise FileFormatError(f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
    except RecursionError:
        pass
    pruned = prune_json(text, MAX_JSON_DEPTH)
    try:
        return JsonDoc(json.loads(pruned), pruned)
    except json.JSONDecodeError as exc:
        raise FileFormatError(f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
    except RecursionError:
        raise FileFormatError("JSON nested too deeply to read") from None


def prune_json(text: str, limit: int) -> str:
    """`text` with every container opened at depth `limit` + 1 replaced by `0` plus its newlines.

    Strings are kept whole (brackets inside them do not count); the bracket depth of the text
    between strings is computed with NumPy in chunks, so time and memory stay linear and small.
    """
    out: list[str] = []
    depth = 0
    skipping = False
    for i, part in enumerate(_JSON_STRING.split(text)):
        if i % 2:  # a string literal
            if skipping:
                out.append("\n" * part.count("\n"))
            else:
                out.append(part)
            continue
        for start in range(0, len(part), _PRUNE_CHUNK):
            seg = part[start : start + _PRUNE_CHUNK]
            codes = np.frombuffer(seg.encode("latin-1", "replace"), dtype=np.uint8)
            opens = (codes == ord("[")) | (codes == ord("{"))
            closes = (codes == ord("]")) | (codes == ord("}"))
            level = depth + np.cumsum(opens.astype(np.int32) - closes.astype(np.int32), dtype=np.int32)
            cut_starts = np.flatnonzero(opens & (level == limit + 1))
            cut_ends = np.flatnonzero(closes & (level == limit))
            pos = 0
            while True:
                if skipping:
                    j = int(np.searchsorted(cut_ends, pos))
                    if j == len(cut_ends):
                        out.append("\n" * seg.count("\n", pos))
                        break
                    end = int(cut_ends[j])
                    out.append("\n" * seg.count("\n", pos, end))
                    pos, skipping = end + 1, False
                else:
                    j = int(np.searchsorted(cut_starts, pos))
                    if j == len(cut_starts):
                        out.append(seg[pos:])
                        break
                    begin = int(cut_starts[j])
                    out.append(seg[pos:begin] + "0")
                    pos, skipping = begin + 1, True
            if len(level):
                depth = int(level[-1])
    return "".join(out)


def json_key_positions(text: str, max_depth: int | None = None) -> JsonPositions:
    """Map the path of every object key to its (line, column), both 1-based.

    Call only on text that `json.loads` accepted. A path is the tuple of keys (and
    array indexes) from the root, e.g. `("packages", "node_modules/lodash")`; with
    `max_depth`, only paths that long or shorter are kept, and containers below that
    depth are passed over whole by one regex match (a lockfile entry costs one step, not
    twenty). For duplicate keys the first occurrence is kept.
    """
    offsets: dict[tuple[str | int, ...], int] = {}
    # Each open container: [is_object, current key or index, expecting a key]
    stack: list[list[Any]] = []
    deepest = max_depth if max_depth is not None else len(text)
    no_skip: int | None = None  # a container too deep to pass over whole is open at this depth
    search, skip = _JSON_KEY_TOKEN.search, _JSON_SHALLOW_CONTAINER.match
    pos = 0
    while (m := search(text, pos)) is not None:
        start = m.start()
        pos = m.end()
        c = text[start]
        if c == '"':
            if stack:
                top = stack[-1]
                if top[0] and top[2]:
                    tok = m.group()
                    top[1], top[2] = (tok[1:-1] if "\\" not in tok else json.loads(tok)), False
                    if len(stack) <= deepest:
                        offsets.setdefault(tuple(s[1] for s in stack), start)
        elif c == "{" or c == "[":
            if len(stack) >= deepest and no_skip is None:
                whole = skip(text, start)
                if whole is not None:
                    pos = whole.end()  # a value whose keys are deeper than wanted
                    continue
                no_skip = len(stack) + 1
            stack.append([c == "{", None if c == "{" else 0, c == "{"])
        elif c == ",":
            if stack:
                top = stack[-1]
                if top[0]:
                    top[2] = True
                else:
                    top[1] += 1
        elif stack:  # } or ]
            stack.pop()
            if no_skip is not None and len(stack) < no_skip:
                no_skip = None
    # Offsets come in text order: count the lines between consecutive ones (C speed).
    out: JsonPositions = {}
    line, last = 1, 0
    for path, offset in sorted(offsets.items(), key=lambda kv: kv[1]):
        line += text.count("\n", last, offset)
        last = offset
        out[path] = (line, offset - text.rfind("\n", 0, offset))
    return out


# --- TOML -----------------------------------------------------------------------------

_TOML_ERR_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")
_TOML_HEADER = re.compile(r"^\s*(\[\[?)\s*(.+?)\s*\]\]?\s*(?:#.*)?$")


def load_toml(text: str) -> dict[str, Any]:
    """`tomllib.loads`, with errors turned into FileFormatError carrying the line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_ERR_LINE.search(str(exc))
        line = int(m.group(1)) if m else 1
        msg = _TOML_ERR_LINE.sub("", str(exc)).strip()
        raise FileFormatError(f"invalid TOML: {msg}", line) from None


def _dotted_key(text: str) -> tuple[str, ...] | None:
    try:
        doc: Any = tomllib.loads(f"{text} = 0")
    except tomllib.TOMLDecodeError:
        return None
    path: list[str] = []
    while isinstance(doc, dict) and len(doc) == 1:
        k, doc = next(iter(doc.items()))
        path.append(k)
    return tuple(path)


class TomlLines:
    """Finds lines of tables, keys and string values in TOML text that `tomllib` accepted."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.headers: list[tuple[int, tuple[str, ...], bool]] = []
        """(0-based line index, table path, is array-of-tables) of every table header."""
        self._index: dict[tuple[str, ...], list[int]] | None = None
        in_multiline: str | None = None
        for i, ln in enumerate(self.lines):
            # Skip headers inside multi-line strings (rare in dependency files, cheap to handle).
            for q in ('"""', "'''"):
                if ln.count(q) % 2 == 1 and (in_multiline is None or in_multiline == q):
                    in_multiline = None if in_multiline == q else q
            if in_multiline:
                continue
            m = _TOML_HEADER.match(ln)
            if m:
                path = _dotted_key(m.group(2))
                if path is not None:
                    self.headers.append((i, path, m.group(1) == "[["))

    def _by_path(self) -> dict[tuple[str, ...], list[int]]:
        """Indexes into `headers` of each table path, built once (a lock has one header per package)."""
        if self._index is None:
            self._index = {}
            for j, (_, p, _) in enumerate(self.headers):
                self._index.setdefault(p, []).append(j)
        return self._index

    def table_span(self, path: tuple[str, ...], nth: int = 0) -> tuple[int, int] | None:
        """0-based [start, end) line span of the body of the `nth` table with this path."""
        found = self._by_path().get(path, [])
        if len(found) <= nth:
            return None
        j = found[nth]
        start = self.headers[j][0] + 1
        end = self.headers[j + 1][0] if j + 1 < len(self.headers) else len(self.lines)
        return start, end

    def simple_key_lines(self, table: tuple[str, ...]) -> dict[str, int]:
        """1-based line of every bare or quoted `key = ...` directly in `table`, in one pass over its body."""
        span = self.table_span(table)
        out: dict[str, int] = {}
        if span is None:
            return out
        for i in range(*span):
            m = _SIMPLE_KEY.match(self.lines[i])
            if m:
                try:
                    key = m.group(1) or m.group(3) or (json.loads(m.group(2)) if m.group(2) else "")
                except ValueError:
                    continue  # a TOML-only escape (`\U0001F600`): key_line finds it the slow way
                out.setdefault(key, i + 1)
        return out

    def count(self, path: tuple[str, ...]) -> int:
        return len(self._by_path().get(path, []))

    def key_line(self, table: tuple[str, ...], key: str, nth: int = 0) -> int | None:
        """1-based line of `key = ...` directly in the `nth` table `table` (or its dotted form one level up)."""
        pattern = re.compile(r"^\s*(?:" + "|".join(_key_forms(key)) + r")\s*=")
        span = self.table_span(table, nth)
        if span is not None:
            for i in range(*span):
                if pattern.match(self.lines[i]):
                    return i + 1
        if table:
            # e.g. `optional-dependencies.dev = [...]` inside [project]
            parent, last = table[:-1], table[-1]
            dotted = re.compile(
                r"^\s*(?:" + "|".join(_key_forms(last)) + r")\s*\.\s*(?:" + "|".join(_key_forms(key)) + r")\s*="
            )
            span = self.table_span(parent) if parent else (0, self.headers[0][0] if self.headers else len(self.lines))
            if span is not None:
                for i in range(*span):
                    if dotted.match(self.lines[i]):
                        return i + 1
        return None

    def string_position(self, value: str, start_line: int) -> tuple[int, int] | None:
        """(line, column), 1-based, of the first string literal equal to `value` at or after `start_line`."""
        needles = [json.dumps(value), f"'{value}'"]
        for i in range(max(0, start_line - 1), len(self.lines)):
            ln = self.lines[i]
            hits = [ln.find(n) for n in needles]
            hits = [h for h in hits if h >= 0]
            if hits:
                return i + 1, min(hits) + 1
        return None


_SIMPLE_KEY = re.compile(r"""^\s*(?:([A-Za-z0-9_-]+)|("(?:[^"\\\n]|\\.)*")|'([^'\n]*)')\s*=""")


def _key_forms(key: str) -> list[str]:
    forms = [re.escape(json.dumps(key)), re.escape(f"'{key}'")]
    if re.fullmatch(r"[A-Za-z0-9_-]+", key):
        forms.insert(0, re.escape(key))
    return forms


def strings(value: Any) -> Iterator[str]:
    """The string items of a TOML/JSON array (anything else is ignored)."""
    if isinstance(value, list):
        for v in value:
            if isinstance(v, str):
                yield v


# --- reading ----------------------------------------------------------------------------

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Larger files are refused, and no read ever takes more (a lockfile is a few MiB; the npm registry's
largest real lockfiles are ~50 MB)."""

_PSEUDO_FILESYSTEMS = tuple(Path(p) for p in ("/proc", "/sys", "/dev"))


@dataclass(frozen=True, slots=True)
class ReadScope:
    """The folders a scan may read from: the scanned roots plus any `--allow-outside` paths.

    Every path is compared after resolving symlinks, so a symlink or a `-r ../x` that leads
    out of the tree is refused, and so is anything under /proc, /sys or /dev, whatever the roots.
    """

    roots: tuple[Path, ...]

    @classmethod
    def of(cls, paths: Iterable[str | os.PathLike[str]]) -> ReadScope:
        """Scope of the given scan paths: a folder is a root; a file's folder is its root."""
        roots = []
        for p in paths:
            real = Path(os.path.realpath(p))
            roots.append(real if real.is_dir() else real.parent)
        return cls(tuple(roots))

    def allows(self, path: Path) -> bool:
        """Whether `path` (after resolving symlinks) lies under one of the roots and on no pseudo file system."""
        real = Path(os.path.realpath(path))
        if any(real == fs or real.is_relative_to(fs) for fs in _PSEUDO_FILESYSTEMS):
            return False
        return any(real == root or real.is_relative_to(root) for root in self.roots)


def read_bytes(path: Path, scope: ReadScope | None = None) -> bytes:
    """The bytes of a regular file, at most MAX_FILE_BYTES, read without ever blocking or following a device.

    FileFormatError (one line, no file content) when the file is outside `scope`, is not a
    regular file (FIFO, device, socket, folder), is larger than the cap, or cannot be read.
    """
    real = os.path.realpath(path)
    if any(Path(real).is_relative_to(fs) for fs in _PSEUDO_FILESYSTEMS):
        raise FileFormatError("not a regular file (/proc, /sys and /dev are never read)")
    if scope is not None and not scope.allows(path):
        raise FileFormatError("outside the scanned tree (not read; allow it with `scan --allow-outside PATH`)")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(real, flags)
    except OSError as exc:
        raise FileFormatError(f"cannot read file: {exc.strerror or type(exc).__name__}") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise FileFormatError("not a regular file (not read)")
        if st.st_size > MAX_FILE_BYTES:
            raise FileFormatError(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB (not read)")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                raise FileFormatError(f"file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB (not read)")
    except OSError as exc:
        raise FileFormatError(f"cannot read file: {exc.strerror or type(exc).__name__}") from None
    finally:
        os.close(fd)
    return b"".join(chunks)
