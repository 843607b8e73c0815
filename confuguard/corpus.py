"""The popular targets of one registry, read from `data/popular/<registry>.tsv`.

A list refreshed live by `confuguard update-popular` (in the user data dir) takes
precedence over the bundled one. Format: `# ` comment lines (source, date), a header
`name<TAB>rank<TAB>popularity`, then one row per package, rank 1 = most popular.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from confuguard import names
from confuguard.errors import DataError, InputError, decode_utf8
from confuguard.paths import bundled_data, cache_dir, user_popular_dir
from confuguard.types import Ecosystem, PackageId

_CACHE_FORMAT = "v1"


@dataclass(frozen=True, slots=True)
class Target:
    """One popular package."""

    package: PackageId
    rank: int
    popularity: float | None
    key: str
    leaf: str
    namespace: str | None


@dataclass(frozen=True, slots=True)
class Corpus:
    """The popular targets of one registry, in rank order."""

    ecosystem: Ecosystem
    targets: tuple[Target, ...]
    source: Path
    digest: str
    """sha256 of the list file: derived artifacts are rebuilt when it changes."""
    kind: str | None = None
    """`PackageId.kind` of every target (`dataset` for the Hugging Face dataset list), None for the registry's main list."""

    @property
    def label(self) -> str:
        """File-name stem of the list and of everything derived from it: `huggingface`, `huggingface-datasets`."""
        return list_stem(self.ecosystem, self.kind)

    def by_key(self) -> dict[str, Target]:
        """Targets by comparison key."""
        return {t.key: t for t in self.targets}


def list_stem(ecosystem: Ecosystem, kind: str | None = None) -> str:
    """`<registry>` for a registry's main list, `<registry>-<kind>s` for another kind (`huggingface-datasets`)."""
    return f"{ecosystem.value}-{kind}s" if kind else ecosystem.value


def corpus_path(ecosystem: Ecosystem, kind: str | None = None) -> Path:
    """The list file in use for `ecosystem` (user-refreshed first, then bundled); `kind` picks another list
    of the registry (`dataset`: Hugging Face datasets)."""
    stem = list_stem(ecosystem, kind)
    user = user_popular_dir() / f"{stem}.tsv"
    if user.is_file():
        return user
    return bundled_data() / "popular" / f"{stem}.tsv"


def load(ecosystem: Ecosystem, path: Path | None = None, *, kind: str | None = None) -> Corpus:
    """Read the popular list of `ecosystem` (or `path`); raise DataError when missing or malformed.

    The parsed list is cached as JSON in the cache dir, keyed by the file's sha256, so a cold
    start does not parse tens of thousands of names again.
    """
    path = path or corpus_path(ecosystem, kind)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataError(f"popular list for {list_stem(ecosystem, kind)} not readable: {path} ({exc.strerror})") from None
    digest = hashlib.sha256(raw).hexdigest()
    cached = _read_cache(ecosystem, path, digest, kind)
    if cached is not None:
        return cached
    text = decode_utf8(raw, path, error=DataError)
    corpus = from_rows(ecosystem, _rows(text, path), source=path, digest=digest, kind=kind)
    _write_cache(corpus)
    return corpus


def _cache_file(stem: str, digest: str) -> Path:
    return cache_dir() / "corpus" / f"{stem}-{_CACHE_FORMAT}-{digest[:20]}.json"


def _read_cache(ecosystem: Ecosystem, path: Path, digest: str, kind: str | None) -> Corpus | None:
    try:
        rows = json.loads(_cache_file(list_stem(ecosystem, kind), digest).read_text(encoding="utf-8"))
        targets = tuple(
            Target(PackageId(ecosystem, name, ns, sub, kind), rank, pop, key, leaf, nskey)
            for name, ns, sub, rank, pop, key, leaf, nskey in rows
        )
    except (OSError, ValueError, TypeError):
        return None
    return Corpus(ecosystem, targets, path, digest, kind)


def _write_cache(corpus: Corpus) -> None:
    rows = [[t.package.name, t.package.namespace, t.package.subpath, t.rank, t.popularity, t.key, t.leaf, t.namespace]
            for t in corpus.targets]
    target = _cache_file(corpus.label, corpus.digest)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(rows), encoding="utf-8")
        os.replace(tmp, target)
    except OSError:
        pass  # a read-only cache only costs parsing again next time


def _rows(text: str, path: Path) -> list[tuple[str, int, float | None]]:
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    if not lines or lines[0].split("\t")[:3] != ["name", "rank", "popularity"]:
        raise DataError(f"{path}: expected a header 'name<TAB>rank<TAB>popularity'")
    rows = []
    for lineno, line in enumerate(lines[1:], start=2):
        cols = line.split("\t")
        if len(cols) < 3:
            raise DataError(f"{path}: row {lineno} has {len(cols)} columns, expected 3 (truncated file?)")
        try:
            rows.append((cols[0], int(cols[1]), float(cols[2]) if cols[2] else None))
        except ValueError:
            raise DataError(f"{path}: row {lineno}: rank/popularity are not numbers") from None
    return rows


def from_rows(
    ecosystem: Ecosystem, rows: list[tuple[str, int, float | None]], *, source: Path | None = None, digest: str = "",
    kind: str | None = None,
) -> Corpus:
    """Build a corpus from (name, rank, popularity) rows; invalid names, names of another kind
    (a model in the dataset list) and duplicate keys are skipped."""
    seen: set[str] = set()
    targets = []
    for name, rank, popularity in sorted(rows, key=lambda r: r[1]):
        try:
            pkg = names.parse(name, ecosystem)
        except InputError:
            continue
        if pkg.kind != kind:
            continue
        k = names.key(pkg)
        if k in seen:
            continue
        seen.add(k)
        targets.append(Target(pkg, rank, popularity, k, names.leaf(pkg), names.namespace(pkg)))
    if not digest:
        digest = hashlib.sha256("\n".join(f"{t.key}\t{t.rank}" for t in targets).encode()).hexdigest()
    return Corpus(ecosystem, tuple(targets), source or Path("<memory>"), digest, kind)
