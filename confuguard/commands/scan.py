"""`confuguard scan PATH... [--format table|json|jsonl|csv|sarif] [--output FILE]`.

Finds dependency files under each PATH (see `confuguard.depfiles`), checks every
declared dependency with the engine, and reports each with its file and line.

Exit codes: 0 nothing suspicious; 1 at least one dependency is suspicious; 2 otherwise,
when a file or line could not be read or a name is invalid for its registry (the scan
fails closed: what was not read was not checked), or on a usage error (no PATH, a PATH
that does not exist or cannot be read, an output file that cannot be written). Problems
are one line each on stderr (file, line and a short escaped excerpt, never file content
beyond that) and results in SARIF.

The scan reads only regular files under the scanned PATHs (after resolving symlinks):
an include (`-r ../x.txt`, `-c /etc/x`, a symlink out of the tree, a FIFO or device
named requirements.txt, anything under /proc, /sys, /dev) is not read and is reported,
unless its folder is given with `--allow-outside PATH`. Every read is capped at
`confuguard.depfiles.base.MAX_FILE_BYTES` (64 MiB).

Output: `table` lists the dependencies worth a look (suspicious, benign lookalikes,
invalid) and a summary line; `json` is always an array of `check --format json`
objects with `file`, `line`, `column` added; `jsonl` and `csv` are `check`'s formats
with the same three fields added; `sarif` is SARIF 2.1.0 (see `confuguard.formats.sarif`).
SBOM components that are not checked (no purl, or a purl type confuguard does not cover) are
counted in the table's summary and in SARIF, listed in json/jsonl with verdict `skipped`, and
summarised per SBOM on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from confuguard import names
from confuguard.errors import ExitCode, InputError, print_error
from confuguard.formats.sanitize import path_text
from confuguard.types import CheckResult, PackageId, Verdict

if TYPE_CHECKING:  # the parsers load only when a scan runs, not on every CLI start
    from confuguard.depfiles import Dependency, ParseError, ReadScope, Skipped

FORMATS = ("table", "json", "jsonl", "csv", "sarif")


class Checker(Protocol):
    """What scan needs from the engine."""

    def check_many(self, pkgs: Sequence[PackageId]) -> list[CheckResult]: ...


def _default_engine() -> Checker:
    """The engine as `check` builds it, judging with the metadata of the default store (`$CONFUGUARD_DB`)."""
    from confuguard.app import build_engine, open_store

    return build_engine(store=open_store(None))


ENGINE_FACTORY: Callable[[], Checker] = _default_engine
"""Builds the engine (once per scan, only when there is something to check); tests replace it."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `scan` subcommand."""
    p = sub.add_parser(
        "scan",
        help="check the dependencies declared in a project's dependency files",
        description="Find dependency files under each PATH (requirements*.txt, pyproject.toml, Pipfile(.lock), "
        "poetry.lock, uv.lock, package.json, package-lock.json, yarn.lock, pnpm-lock.yaml, Gemfile(.lock), go.mod, "
        "pom.xml, build.gradle(.kts), Hugging Face model ids in *.py, CycloneDX/SPDX SBOMs such as bom.json, *.cdx.json, "
        "*.spdx.json, *.spdx) and check every dependency. node_modules, .git, "
        "vendor and virtual environments are skipped. Only regular files inside the scanned PATHs are read "
        "(includes leading elsewhere are refused and reported). Exit 0: nothing suspicious; 1: a dependency is "
        "suspicious; 2: a file, line or name could not be read (reported on stderr), or a usage error.",
    )
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or directories to scan")
    p.add_argument("-f", "--format", choices=FORMATS, default="table", help="output format (default: table); sarif is SARIF 2.1.0 for code-scanning UIs")
    p.add_argument("-o", "--output", metavar="FILE", default=None, help="write the report to FILE instead of stdout")
    p.add_argument("--allow-outside", metavar="PATH", action="append", default=[],
                   help="also let includes (-r/-c) read files under PATH, outside the scanned tree (repeatable)")
    p.set_defaults(func=handler)


def handler(args: argparse.Namespace) -> int:
    """Run the scan; return the exit code."""
    paths = [str(p) for p in (getattr(args, "paths", None) or [])]
    fmt = getattr(args, "format", None) or "table"
    output = getattr(args, "output", None)
    if not paths:
        return _usage("no PATH given")
    if fmt not in FORMATS:
        return _usage(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")
    for p in paths:
        if not os.path.exists(p):
            return _usage(f"{p}: no such file or directory")
        if not os.access(p, os.R_OK | (os.X_OK if os.path.isdir(p) else 0)):
            return _usage(f"{p}: permission denied")
    allowed = [str(p) for p in (getattr(args, "allow_outside", None) or [])]
    for p in allowed:
        if not os.path.exists(p):
            return _usage(f"--allow-outside {p}: no such file or directory")
    try:
        from confuguard.depfiles import ReadScope, discover

        files = discover(paths)
    except InputError as exc:
        return _usage(str(exc))

    skipped: list[Skipped] = []
    deps, errors = collect(files, ReadScope.of([*paths, *allowed]), skipped)
    for err in errors:
        print_error(err, "warning")
    if skipped:
        from confuguard.depfiles.sbom import summarize_skipped

        for file, summary in summarize_skipped(skipped).items():
            print_error(f"{path_text(file)}: {summary}", "note")
    if not files:
        print_error("no dependency files found", "warning")

    results = check(deps, ENGINE_FACTORY, progress=sys.stderr.isatty()) if deps else []
    entries = list(zip(deps, results))
    from confuguard.formats.scan_report import render

    text = render(entries, errors, fmt, root=scan_root(paths), file_count=len(files), skipped=skipped)
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8", errors="backslashreplace")
        except OSError as exc:
            return _usage(f"cannot write {output}: {exc.strerror or exc}")
    else:
        sys.stdout.write(text)
    if any(r.verdict is Verdict.SUSPICIOUS for r in results):
        return ExitCode.FOUND
    return ExitCode.ERROR if errors else ExitCode.OK


def collect(
    files: Sequence[Path], scope: ReadScope | None = None, skipped: list[Skipped] | None = None
) -> tuple[list[Dependency], list[ParseError]]:
    """Parse every file; dependencies deduplicated by (file, registry, key), errors by identity.

    A file reached both directly and through a `-r` include is reported once. `scope`
    (default: the folders of `files`) is where files and their includes may be read.
    SBOM components that were not checked (no purl, other purl types) are appended to `skipped`.
    """
    from confuguard.depfiles import ReadScope, parse_file

    scope = scope if scope is not None else ReadScope.of(files)

    deps: list[Dependency] = []
    errors: list[ParseError] = []
    seen_deps: set[tuple[Path, str, str]] = set()
    seen_errors: set[tuple[Path, int, str, str]] = set()
    for f in files:
        outcome = parse_file(f, scope=scope)
        for dep in outcome.dependencies:
            key = (dep.file.resolve(), dep.ecosystem.value, names.key(dep.package))
            if key not in seen_deps:
                seen_deps.add(key)
                deps.append(dep)
        for err in outcome.errors:
            ekey = (err.file.resolve(), err.line, err.kind, err.message)
            if ekey not in seen_errors:
                seen_errors.add(ekey)
                errors.append(err)
        if skipped is not None:
            skipped.extend(outcome.skipped)
    return deps, errors


PROGRESS_CHUNK = 1000
"""Packages checked between two updates of the progress bar."""


def check(deps: Sequence[Dependency], factory: Callable[[], Checker], *, progress: bool = False) -> list[CheckResult]:
    """One result per dependency; each distinct package is checked once.

    With `progress` (scan does it when stderr is a terminal) a progress bar on stderr follows
    the checks of lockfiles with more than PROGRESS_CHUNK packages."""
    unique: dict[tuple[str, str], int] = {}
    pkgs: list[PackageId] = []
    slots: list[int] = []
    for dep in deps:
        pkg = dep.package
        k = (pkg.ecosystem.value, names.key(pkg))
        if k not in unique:
            unique[k] = len(pkgs)
            pkgs.append(pkg)
        slots.append(unique[k])
    results = _check_all(factory(), pkgs, progress and len(pkgs) > PROGRESS_CHUNK)
    if len(results) != len(pkgs):
        raise RuntimeError(f"engine returned {len(results)} results for {len(pkgs)} packages")
    return [results[i] for i in slots]


def _check_all(engine: Checker, pkgs: list[PackageId], progress: bool) -> list[CheckResult]:
    from confuguard import parallel
    from confuguard.engine import Engine

    workers = parallel.workers_for(len(pkgs)) if isinstance(engine, Engine) else 1
    if not progress:
        if isinstance(engine, Engine) and workers > 1:
            return parallel.check_parallel(engine, pkgs, workers)
        return engine.check_many(pkgs)
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    results: list[CheckResult] = []
    columns = (TextColumn("checking dependencies"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("check", total=len(pkgs))
        if isinstance(engine, Engine) and workers > 1:
            return parallel.check_parallel(engine, pkgs, workers, lambda n: bar.advance(task, n))
        for start in range(0, len(pkgs), PROGRESS_CHUNK):
            chunk = pkgs[start : start + PROGRESS_CHUNK]
            results += engine.check_many(chunk)
            bar.advance(task, len(chunk))
    return results


def scan_root(paths: Sequence[str]) -> Path:
    """The folder SARIF URIs are relative to: the common folder of the scanned paths."""
    dirs = [os.path.abspath(p if os.path.isdir(p) else os.path.dirname(os.path.abspath(p))) for p in paths]
    return Path(os.path.commonpath(dirs))


def _usage(message: str) -> int:
    print_error(f"scan: {message}")
    return ExitCode.ERROR
