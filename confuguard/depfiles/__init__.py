"""Dependency-file scanning: find dependency files, and read the dependencies they declare.

    files = discover(["."])                 # walks directories, skipping vendored trees
    for path in files:
        outcome = parse_file(path)          # never raises for file content
        outcome.dependencies                # list[Dependency] with file, line, column
        outcome.errors                      # list[ParseError] (malformed file/line, invalid name)

Formats are chosen by file name (`detect_format`):

| format | files |
| --- | --- |
| requirements | `*requirements*.txt`, `constraints*.txt`, `*.txt` in a `requirements/` folder (`-r`/`-c` followed) |
| pyproject | `pyproject.toml` (PEP 621, PEP 735 groups, build requires, Poetry, uv) |
| pipfile, pipfile-lock, poetry-lock, uv-lock | `Pipfile`, `Pipfile.lock`, `poetry.lock`, `uv.lock` |
| package-json, package-lock | `package.json`, `package-lock.json`, `npm-shrinkwrap.json` |
| yarn-lock, pnpm-lock | `yarn.lock` (classic and berry), `pnpm-lock.yaml` |
| gemfile, gemfile-lock | `Gemfile`, `gems.rb`, `Gemfile.lock`, `gems.locked` |
| go-mod | `go.mod` |
| pom, gradle | `pom.xml`, `build.gradle`, `build.gradle.kts` |
| python-source | `*.py` (Hugging Face model ids in loading calls) |
| sbom | CycloneDX / SPDX: `bom.json`, `bom.xml`, `*.cdx.json`, `*.cdx.xml`, `*.spdx.json`, `*.spdx`... (and any file given explicitly whose content is one) |

Within one file the same package (same registry comparison key) is reported once, at
its first line. Errors never stop a scan: a malformed file yields a `ParseError` with the
file and line, plus whatever was read before the error.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from confuguard.depfiles import huggingface, sbom
from confuguard.depfiles.base import (
    INVALID_NAME,
    PARSE,
    Collector,
    Dependency,
    FileFormatError,
    ParseError,
    ParseOutcome,
    ReadScope,
    Skipped,
    read_bytes,
)
from confuguard.depfiles.encoding import decode
from confuguard.ecosystems import generation, specs
from confuguard.errors import InputError

__all__ = [
    "INVALID_NAME",
    "PARSE",
    "SKIP_DIRS",
    "Dependency",
    "ParseError",
    "ParseOutcome",
    "ReadScope",
    "Skipped",
    "detect_format",
    "discover",
    "parse_file",
]

Parser = Callable[[Path, str, Collector], None]

#: format name -> parser, and exact file name -> format: each registry's formats (`EcosystemSpec.depfiles`)
#: and SBOMs. Refreshed when a registry is registered (`_tables`).
PARSERS: dict[str, Parser] = {}
_EXACT: dict[str, str] = {}
_BUILT = [-1]


def _tables() -> None:
    if _BUILT[0] == generation():
        return
    PARSERS.clear()
    _EXACT.clear()
    for s in specs():
        for fmt, dep in s.depfiles.items():
            PARSERS[fmt] = dep.load()
            _EXACT.update(dict.fromkeys(dep.files, fmt))
    PARSERS[sbom.FORMAT] = sbom.parse_sbom
    _BUILT[0] = generation()


_tables()

#: Directory names never entered by `discover`.
SKIP_DIRS = frozenset(
    {"node_modules", ".git", ".hg", ".svn", ".venv", "venv", "vendor", "__pycache__", ".tox", ".nox", ".mypy_cache"}
)


def detect_format(path: Path) -> str | None:
    """The format of a file from its name, or None if it is not a dependency file."""
    name = path.name
    _tables()
    if name in _EXACT:
        return _EXACT[name]
    if sbom.is_sbom_name(name):
        return sbom.FORMAT
    if name.endswith(".txt") and (
        fnmatch.fnmatchcase(name, "*requirements*.txt")
        or fnmatch.fnmatchcase(name, "constraints*.txt")
        or path.parent.name == "requirements"
    ):
        return "requirements"
    if name.endswith(".py"):
        return "python-source"
    return None


def discover(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Dependency files under `paths`, sorted and without duplicates.

    A file given explicitly is always returned (even if its name is not recognised: then
    `parse_file` reports it). Directories are walked without following symlinks, skipping
    `SKIP_DIRS` and virtual environments (folders with a `pyvenv.cfg`). Raises InputError
    for a path that does not exist.
    """
    found: dict[Path, None] = {}
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for f in _walk(path):
                found[f] = None
        elif path.exists() or path.is_symlink():
            found[path] = None  # a FIFO or device given by name is reported by parse_file, never read
        else:
            raise InputError(f"{p}: no such file or directory")
    return sorted(found, key=lambda f: f.as_posix())


def _walk(root: Path) -> list[Path]:
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(
            d for d in dirnames if d not in SKIP_DIRS and not os.path.exists(os.path.join(dirpath, d, "pyvenv.cfg"))
        )
        for f in sorted(filenames):
            path = Path(dirpath, f)
            if detect_format(path) is not None and not path.is_symlink():
                out.append(path)
    return out


def parse_file(
    path: str | os.PathLike[str], format: str | None = None, *, scope: ReadScope | None = None
) -> ParseOutcome:
    """Read the dependencies declared in one file. Never raises for bad content.

    `format` overrides detection by name (one of `PARSERS`); an explicitly given `.txt`
    file of unknown name is read as a requirements file. `scope` says where the file and
    the files it includes may be (default: the file's own folder); see `ReadScope`.
    """
    file = Path(path)
    fmt = (
        format
        or detect_format(file)
        or (sbom.FORMAT if sbom.looks_like_sbom(file) else None)
        or ("requirements" if file.suffix == ".txt" else None)
    )
    _tables()
    outcome = ParseOutcome(file, fmt)
    out = Collector(outcome, scope)
    if fmt is None or fmt not in PARSERS:
        out.error(file, 1, "not a supported dependency file (see `confuguard scan --help`)")
        return out.finish()
    try:
        data = read_bytes(file, out.scope)
        if fmt == "python-source" and not huggingface.mentions_calls(data):
            return out.finish()  # most sources never load a model, and need not be valid UTF-8
        PARSERS[fmt](file, decode(data, fmt), out)
    except FileFormatError as exc:
        out.error(file, exc.line, str(exc))
    except RecursionError:
        out.error(file, 1, "file is nested too deeply to read")
    except Exception as exc:  # a parser bug must not stop the scan of the other files
        out.error(file, 1, f"could not read file ({type(exc).__name__})")
    return out.finish()
