#!/usr/bin/env python3
"""Build the bundled popular-target lists data/popular/<registry>.tsv.

Usage (from the repo root, inputs as described in data/README.md):

    .venv/bin/python scripts/build_targets.py [--only ECO ...] [--guarddog PATH] [--packages DIR]

Each file: `# ` comment lines (sources, counts, build date), the header `name\\trank\\tpopularity`,
then one row per package, rank 1 = most popular. Every name parses with
`confuguard.names.parse` and no two rows share `confuguard.names.key`; names that fail
or repeat are dropped and counted. The output depends only on the inputs: the build date
line is kept when the rows and sources are unchanged.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import targets_known as known  # noqa: E402
import targets_sources as src  # noqa: E402

from confuguard import names  # noqa: E402
from confuguard.errors import InputError  # noqa: E402
from confuguard.types import Ecosystem, PackageId  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "data" / "popular"
HEADER = "name\trank\tpopularity"
ECOS = ("npm", "pypi", "rubygems", "maven", "golang", "huggingface", "huggingface-datasets")
NO_COUNTS = "popularity: empty (no download counts in these sources)"
MINIMUM = {"npm": 20000, "pypi": 14900, "rubygems": 1000, "maven": 1000, "golang": 1000, "huggingface": 500,
           "huggingface-datasets": 300}


@dataclass
class Source:
    """One input's contribution: what it offered and what it added."""

    label: str
    offered: int = 0
    added: int = 0
    invalid: int = 0
    duplicate: int = 0


@dataclass
class TargetList:
    """Rows of one registry's list, in rank order, with per-source accounting."""

    eco: Ecosystem
    limit: int | None = None
    rows: list[tuple[str, str]] = field(default_factory=list)
    keys: set[str] = field(default_factory=set)
    sources: list[Source] = field(default_factory=list)

    def full(self) -> bool:
        return self.limit is not None and len(self.rows) >= self.limit

    def add(self, label: str, entries: list[tuple[str, str]], go_paths: str | None = None) -> Source:
        """Append (name, popularity) entries from one source, skipping invalid names and known keys.

        `go_paths` says what Go entries are: `module` paths (kept on vanity hosts, where the
        module root can be deeper than host/name) or `import` paths (always cut to host/name).
        """
        s = Source(label)
        self.sources.append(s)
        for raw, popularity in entries:
            if self.full():
                break
            s.offered += 1
            try:
                pkg = names.parse(raw, self.eco)
            except InputError:
                s.invalid += 1
                continue
            shown = raw.strip()
            if go_paths:
                pkg, shown = go_module(pkg, shown, go_paths)
            k = names.key(pkg)
            if k in self.keys:
                s.duplicate += 1
                continue
            self.keys.add(k)
            self.rows.append((shown, popularity))
            s.added += 1
        return s


_GO_MAJOR_TAIL = re.compile(r"/v[0-9]+$")


def go_module(pkg: PackageId, raw: str, go_paths: str) -> tuple[PackageId, str]:
    """Reduce a Go path to its module: host/owner/repo on code hosts and golang.org/gopkg.in.

    On other (vanity) hosts a module path from a module list is kept minus a `/vN` tail
    (`gonum.org/v1/gonum`, `cloud.google.com/go/storage`); import paths are cut to host/name.
    """
    host = names.display(pkg).split("/", 1)[0]
    if host in names.GO_CODE_HOSTS or host in ("golang.org", "gopkg.in"):
        root = PackageId(pkg.ecosystem, pkg.name, pkg.namespace)
        return root, names.display(root)
    kept = _GO_MAJOR_TAIL.sub("", raw.rstrip("/"))
    if go_paths != "module":
        kept = "/".join(kept.split("/")[:2])
    root = names.parse(kept, pkg.ecosystem)
    root = PackageId(root.ecosystem, root.name, root.namespace)
    return root, names.display(root)


def _stamp(ts: int) -> str:
    return datetime.fromtimestamp(ts, timezone.utc).strftime("%Y-%m-%d") if ts else "unknown date"


def build_pypi(args: argparse.Namespace) -> tuple[TargetList, list[str]]:
    path = args.packages / "pypi.tsv"
    ranked = src.pypi_ranked(path)
    tl = TargetList(Ecosystem.PYPI, limit=15000)
    tl.add("pypi.tsv rank_among_15000_most_downloaded", [(n, str(r)) for n, r in ranked if r <= 15000])
    notes = [
        f"input: {path.name}, the package list of the build machine (name, version, month,"
        " rank_among_15000_most_downloaded, summary); the rows with a rank",
        "popularity: the rank_among_15000_most_downloaded value of the snapshot (1 = most downloaded);"
        " rank renumbers it without the gaps of ranks absent from the snapshot",
    ]
    return tl, notes


def build_npm(args: argparse.Namespace) -> tuple[TargetList, list[str]]:
    path = args.packages / "npm.tsv"
    tl = TargetList(Ecosystem.NPM, limit=50000)
    tl.add("npm.tsv downloads_a_month", [(n, str(d)) for n, d in src.npm_by_downloads(path)])
    notes = [
        f"input: {path.name}, the package list of the build machine (name, version, downloads_a_month, summary);"
        " most downloads first, ties by name",
        "popularity: downloads a month",
    ]
    return tl, notes


def _unranked(
    eco: Ecosystem, parts: list[tuple[str, list[str]]], notes: list[str], go_paths: list[str] | None = None
) -> tuple[TargetList, list[str]]:
    """A list made of name-only sources, in the given order; `go_paths` gives each part's Go path kind."""
    tl = TargetList(eco)
    for i, (label, entries) in enumerate(parts):
        tl.add(label, [(n, "") for n in entries], go_paths[i] if go_paths else None)
    return tl, [*notes, NO_COUNTS]


def _guarddog(args: argparse.Namespace, eco: str) -> tuple[str, list[str]]:
    wheel = src.guarddog_wheel(args.guarddog)
    entries, ts = src.guarddog_list(wheel, eco)
    return f"guarddog {wheel.name} top_{eco}_packages.json ({_stamp(ts)})", entries


def _curated(what: str, block: str) -> tuple[str, list[str]]:
    return f"curated {what} (scripts/targets_known.py)", known.names(block)


def build_rubygems(args: argparse.Namespace) -> tuple[TargetList, list[str]]:
    parts = [
        _curated("famous gems", known.RUBYGEMS),
        _guarddog(args, "rubygems"),
        (f"{src.debian_release()} rubygems-integration .gemspec files (apt-file)", src.debian_gems(args.debian())),
    ]
    notes = [
        "order: curated famous gems first (guarddog's RubyGems list is an unordered set of about 1,000 top gems,"
        " so it comes second in its own order), then Debian-packaged gems by reverse-dependency count",
    ]
    return _unranked(Ecosystem.RUBYGEMS, parts, notes)


def build_maven(args: argparse.Namespace) -> tuple[TargetList, list[str]]:
    parts = [
        _curated("famous artifacts", known.MAVEN),
        (f"{src.debian_release()} maven-repo .pom coordinates (apt-file)", src.debian_maven(args.debian())),
    ]
    notes = [
        "order: curated famous artifacts, then Debian maven-repo coordinates by reverse-dependency count"
        " of the Debian package that ships them",
    ]
    return _unranked(Ecosystem.MAVEN, parts, notes)


def build_golang(args: argparse.Namespace) -> tuple[TargetList, list[str]]:
    debian = f"{src.debian_release()} gocode import paths and golang-*-dev homepages (apt-file, apt-cache)"
    parts = [_guarddog(args, "go"), _curated("famous modules", known.GOLANG), (debian, src.debian_go(args.debian()))]
    notes = [
        "order: guarddog's ranked list, then curated modules, then Debian Go packages by reverse-dependency count",
        "names: module roots: host/owner/repo on code hosts, golang.org/x/name, gopkg.in/name.vN;"
        " module paths on other hosts as listed minus a /vN tail; Debian import paths cut to host/name",
    ]
    return _unranked(Ecosystem.GOLANG, parts, notes, go_paths=["module", "module", "import"])


def build_huggingface(args: argparse.Namespace) -> tuple[TargetList, list[str]]:
    try:
        import transformers
    except ImportError:
        raise src.MissingInput("missing input: transformers is not installed in this venv (pip install transformers)") from None
    site = Path(transformers.__file__).resolve().parent.parent
    mentions = src.hf_mentions([site / "transformers", site / "sentence_transformers"])
    versions = ", ".join(f"{d} {metadata.version(d)}" for d in ("transformers", "sentence-transformers"))
    parts = [
        _curated("most-downloaded models", known.HUGGINGFACE),
        (f"model ids named in the sources of {versions}", [m for m, _, _ in mentions]),
    ]
    notes = [
        "order: curated most-downloaded models (legacy un-namespaced ids right after their org/ id),"
        " then ids named in library sources by number of files naming them, then mentions, then id",
    ]
    return _unranked(Ecosystem.HUGGINGFACE, parts, notes)


def build_huggingface_datasets(args: argparse.Namespace) -> tuple[TargetList, list[str]]:
    wheel = src.lm_eval_wheel(args.lm_eval)
    try:
        import transformers
    except ImportError:
        raise src.MissingInput("missing input: transformers is not installed in this venv (pip install transformers)") from None
    site = Path(transformers.__file__).resolve().parent.parent
    mentions = src.hf_dataset_mentions([site / "transformers", site / "sentence_transformers"])
    versions = ", ".join(f"{d} {metadata.version(d)}" for d in ("transformers", "sentence-transformers"))
    prefix = "datasets/"
    parts = [
        ("curated most-used datasets (scripts/targets_known.py)",
         [prefix + n for n in known.names(known.HUGGINGFACE_DATASETS)]),
        (f"dataset_path of the task files of {wheel.name}", [prefix + n for n, _ in src.lm_eval_dataset_paths(wheel)]),
        (f"dataset ids named in the sources of {versions}", [prefix + n for n, _ in mentions]),
    ]
    notes = [
        "names: datasets/author/name (the Hub's URL path; purl pkg:huggingface/author/name?repo_type=dataset)",
        "order: curated most-used datasets (legacy un-namespaced ids right after their org/ id), then lm-eval task"
        " datasets by number of task files naming them, then ids named in library sources by number of files",
    ]
    return _unranked(Ecosystem.HUGGINGFACE, parts, notes)


BUILDERS = {
    "npm": build_npm,
    "pypi": build_pypi,
    "rubygems": build_rubygems,
    "maven": build_maven,
    "golang": build_golang,
    "huggingface": build_huggingface,
    "huggingface-datasets": build_huggingface_datasets,
}


def render(tl: TargetList, notes: list[str], built: str, label: str | None = None) -> str:
    lines = [f"# {label or tl.eco.value} popular targets: {len(tl.rows)} names, rank 1 = most popular"]
    lines += [f"# {n}" for n in notes]
    for s in tl.sources:
        lines.append(f"# source: {s.label}: offered {s.offered}, added {s.added}, invalid {s.invalid}, duplicate {s.duplicate}")
    lines.append(f"# built: {built} by scripts/build_targets.py")
    lines.append(HEADER)
    lines += [f"{name}\t{i}\t{pop}" for i, (name, pop) in enumerate(tl.rows, 1)]
    return "\n".join(lines) + "\n"


def _without_built(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if not ln.startswith("# built: ")]


def write(eco: str, tl: TargetList, notes: list[str]) -> Path:
    path = OUT_DIR / f"{eco}.tsv"
    today = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    text = render(tl, notes, today, eco)
    if path.exists():
        old = path.read_text(encoding="utf-8")
        if _without_built(old) == _without_built(text):
            return path  # same rows and sources: keep the old build date, byte for byte
    path.write_text(text, encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", action="append", choices=ECOS, help="build only this registry (repeatable)")
    ap.add_argument("--guarddog", type=Path, default=Path("/tmp/gd"), help="guarddog wheel or folder holding it")
    ap.add_argument("--lm-eval", type=Path, default=Path("/tmp/lm-eval"), help="lm-eval wheel or folder holding it")
    ap.add_argument("--packages", type=Path, default=Path("/work/.library/env/packages"), help="folder of pypi.tsv, npm.tsv")
    args = ap.parse_args(argv)
    args.debian = functools.cache(src.DebianIndex)  # one apt-cache dumpavail per run
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    failed = False
    for eco in args.only or ECOS:
        try:
            tl, notes = BUILDERS[eco](args)
        except src.MissingInput as exc:
            print(f"{eco}: {exc}", file=sys.stderr)
            failed = True
            continue
        path = write(eco, tl, notes)
        print(f"{eco}: {len(tl.rows)} names -> {path.relative_to(REPO)}")
        for s in tl.sources:
            print(f"  {s.label}: offered {s.offered}, added {s.added}, invalid {s.invalid}, duplicate {s.duplicate}")
        if len(tl.rows) < MINIMUM[eco]:
            print(f"{eco}: only {len(tl.rows)} names, fewer than the minimum {MINIMUM[eco]}", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
