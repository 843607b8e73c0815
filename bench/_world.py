"""A nightly-sweep world for `bench/nightly_sweep.py`: one feed window of new PyPI and npm packages,
served by the test suite's fake registry (`tests/fakeregistry.py`) on 127.0.0.1, no network.

What is published (each package a single release by a fresh account, with no other package):

* ordinary new packages: PyPI projects of `pypi.tsv` released in its two newest months and outside
  its top 15,000; npm packages of `npm.tsv` with at most 1,500 downloads a month; both outside the
  bundled popular lists, and only names of the half that training never uses. Name, version and summary come from the list; 60% declare a
  repository of their own (`github.com/<account>/<name>`), decided by a hash of the name; PyPI
  projects upload an sdist plus a wheel, except `PYPI_SDIST_ONLY` of them (a hash again) that upload
  an sdist only.
* attacks: the development publication records (`../shared/eval/publication/*.jsonl`), served
  with the metadata they showed at upload (PyPI JSON API `info` and files, npm `package.json` fields
  and README), one release per name.
* the popular targets the sweep fetches to compare with: their list summary, an old first release,
  30 versions, their own maintainer and repository.

`imitates(name)` is the benchmark's fixed definition of a lookalike, independent of the engine's
rules (so a wider engine cannot widen its own denominator): see its docstring.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz.distance import OSA

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

sys.path.insert(0, str(ROOT / "scripts"))

from fakeregistry import Dataset, FakeRegistry  # noqa: E402
from sample_ordinary import _tsv, in_training_half, recent_ordinary  # noqa: E402

from confuguard import corpus, lexicon, names  # noqa: E402
from confuguard.errors import InputError  # noqa: E402
from confuguard.snapshot import _TESTED_NOTE  # noqa: E402
from confuguard.types import Ecosystem  # noqa: E402

#: Share of ordinary PyPI projects that upload an sdist only (no wheel).
PYPI_SDIST_ONLY = 0.2
#: Share of ordinary packages that declare a repository of their own.
REPO_SHARE = 0.6
#: Targets a lookalike may imitate: the bundled list's top `IMITATED_RANK` names of the registry.
IMITATED_RANK = 5000
#: Feed cursors just before the world's first package.
NPM_START, PYPI_START = 1_000_000, 90_000_000


def _h(text: str) -> float:
    """A stable number in [0, 1) from a text."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:12], 16) / 16**12


@dataclass(frozen=True, slots=True)
class Pkg:
    """One published package of the world."""

    ecosystem: Ecosystem
    name: str
    kind: str
    """`ordinary` or `attack`."""
    campaign: str = ""
    lookalike: bool = False
    """An attack whose name imitates a popular package (`imitates`)."""


@dataclass
class World:
    """The packages and the registry documents that serve them."""

    published_at: datetime
    packages: list[Pkg] = field(default_factory=list)
    pypi_docs: dict[str, Any] = field(default_factory=dict)
    npm_docs: dict[str, Any] = field(default_factory=dict)

    def of(self, eco: Ecosystem, kind: str) -> list[Pkg]:
        """The packages of one registry and kind."""
        return [p for p in self.packages if p.ecosystem is eco and p.kind == kind]


# -- the package lists ---------------------------------------------------------------------------


@lru_cache(maxsize=2)
def _popular_keys(eco: Ecosystem) -> frozenset[str]:
    return frozenset(t.key for t in corpus.load(eco).targets)


def _key(name: str, eco: Ecosystem) -> str | None:
    try:
        return names.key(names.parse(name, eco))
    except InputError:
        return None


def ordinary(eco: Ecosystem, packages_dir: Path, n: int, seed: int) -> list[tuple[str, str, str]]:
    """`n` (name, version, summary) of ordinary new packages (`scripts/sample_ordinary.recent_ordinary`),
    from the half of the names that training never sees."""
    pool = [p for p in recent_ordinary(eco, packages_dir) if not in_training_half(p[0])]
    return random.Random(seed).sample(pool, min(n, len(pool)))


def attack_records(eco: Ecosystem, eval_dir: Path) -> list[dict[str, Any]]:
    """The publication records of one registry, one per name (the first version seen)."""
    path = eval_dir / "publication" / f"{eco.value}_attacks_dev.jsonl"
    seen: dict[str, dict[str, Any]] = {}
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            k = _key(rec["name"], eco)
            if k is not None and k not in seen:
                seen[k] = rec
    return list(seen.values())


@lru_cache(maxsize=2)
def _imitable(eco: Ecosystem) -> tuple[dict[str, Any], dict[int, list[str]]]:
    targets = [t for t in corpus.load(eco).targets if t.rank <= IMITATED_RANK and len(t.key) >= 4]
    by_key = {t.key: t for t in targets}
    by_len: dict[int, list[str]] = {}
    for t in targets:
        by_len.setdefault(len(t.key), []).append(t.key)
    return by_key, by_len


_SEP = str.maketrans({c: "-" for c in "_.~/@"})


def imitates(name: str, eco: Ecosystem) -> str | None:
    """The bundled target (top `IMITATED_RANK`) whose name `name` imitates, else None.

    On the registry's comparison keys (for npm also the name without its scope, and for both the key
    without delimiters), a name that is not itself a bundled name imitates a target when:
    * typo: it is within one edit (optimal string alignment) of a target key of 5+ characters, or within
      two edits, first letter kept, of a target key of 8+ characters (`tesnorflw`, `beutifulsop`); or
    * combosquat: its words contain a target's key of 4+ characters as a run of words, plus one or two
      other words (`requests-secure`, `buffer-fetch`), or such a key misspelt by one edit, first letter
      kept, where the misspelt word is no English word (`lodahs-cli`).
    """
    key = _key(name, eco)
    if key is None or key in _popular_keys(eco):
        return None
    by_key, by_len = _imitable(eco)
    flat = key.replace("-", "").replace("_", "").replace(".", "")
    leaf = key.rsplit("/", 1)[-1]
    for cand in dict.fromkeys((key, leaf, flat)):
        for n in range(len(cand) - 2, len(cand) + 3):
            for t in by_len.get(n, ()):
                if len(t) < 5:
                    continue
                d = OSA.distance(cand, t, score_cutoff=2)
                if d <= 1 or (d == 2 and len(t) >= 8 and cand[0] == t[0]):
                    return t
    words = [w for w in leaf.translate(_SEP).split("-") if w]
    for i in range(len(words)):
        for j in range(i + 1, len(words) + 1):
            if not 0 < len(words) - (j - i) <= 2:
                continue
            part = "-".join(words[i:j])
            if part in by_key:
                return part
            if len(part) >= 5 and not lexicon.is_english(part):
                for n in (len(part) - 1, len(part), len(part) + 1):
                    for t in by_len.get(n, ()):
                        if t[0] == part[0] and OSA.distance(part, t, score_cutoff=1) <= 1:
                            return t
    return None


# -- registry documents ---------------------------------------------------------------------------


def _iso(d: datetime) -> str:
    return d.strftime("%Y-%m-%dT%H:%M:%S.000000Z")


def _account(name: str) -> str:
    return "u" + hashlib.sha256(name.encode()).hexdigest()[:10]


def pypi_doc(name: str, version: str, info: dict[str, Any], files: list[dict[str, Any]], when: datetime) -> dict[str, Any]:
    """A `/pypi/<name>/json` document for a single release."""
    stamped = [{**f, "upload_time_iso_8601": _iso(when), "yanked": False} for f in files]
    full = {"name": name, "version": version, "yanked": False, **{k: v for k, v in info.items() if k != "name"}}
    return {"info": full, "releases": {version: stamped}, "urls": stamped, "last_serial": 1,
            "ownership": {"organization": None, "roles": [{"role": "Owner", "user": _account(name)}]}}


def _pypi_files(name: str, version: str, sdist_only: bool) -> list[dict[str, Any]]:
    stem = names.pep503(name).replace("-", "_")
    files = [{"filename": f"{stem}-{version}.tar.gz", "packagetype": "sdist", "size": 4000}]
    if not sdist_only:
        files.append({"filename": f"{stem}-{version}-py3-none-any.whl", "packagetype": "bdist_wheel", "size": 5000})
    return files


def npm_doc(name: str, version: str, manifest: dict[str, Any], readme: str | None, when: datetime,
            maintainer: str | None = None, created: datetime | None = None, versions: int = 1) -> dict[str, Any]:
    """A packument: `versions` releases, the latest carrying `manifest`."""
    created = created or when
    vs = [version] if versions == 1 else [f"0.{i}.0" for i in range(versions - 1)] + [version]
    doc: dict[str, Any] = {
        "_id": name, "name": name, "dist-tags": {"latest": version},
        "versions": {v: {**manifest, "name": name, "version": v} for v in vs},
        "time": {"created": _iso(created), "modified": _iso(when), **{v: _iso(when) for v in vs}},
        "maintainers": [{"name": maintainer or _account(name), "email": f"{maintainer or _account(name)}@example.invalid"}],
        "description": manifest.get("description", ""),
    }
    for k in ("repository", "homepage", "author", "license", "keywords"):
        if k in manifest:
            doc[k] = manifest[k]
    if readme is not None:
        doc["readme"] = readme
    return doc


class _TargetDocs(dict):  # type: ignore[type-arg]
    """Documents of the world's packages, plus a made-up established record for any bundled target."""

    def __init__(self, docs: dict[str, Any], make: Any) -> None:
        super().__init__(docs)
        self._make = make

    def get(self, key: Any, default: Any = None) -> Any:  # noqa: D102 - dict.get with a fallback
        found = super().get(key)
        return found if found is not None else (self._make(key) or default)


@lru_cache(maxsize=2)
def _list_summaries(eco: Ecosystem, packages_dir: Path) -> dict[str, str]:
    popular = _popular_keys(eco)
    fname = "pypi.tsv" if eco is Ecosystem.PYPI else "npm.tsv"
    out: dict[str, str] = {}
    for r in _tsv(packages_dir / fname):
        k = _key(r["name"], eco)
        if k in popular:
            out[k] = _TESTED_NOTE.sub("", r["summary"]).strip()
    return out


def build(eval_dir: Path, packages_dir: Path, *, n_ordinary: int = 1500, seed: int = 7) -> World:
    """The world: ordinary new packages and attacks of PyPI and npm, published an hour ago."""
    when = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    world = World(when)
    for eco in (Ecosystem.PYPI, Ecosystem.NPM):
        for name, version, summary in ordinary(eco, packages_dir, n_ordinary, seed):
            own_repo = _h("repo:" + name) < REPO_SHARE
            repo = f"https://github.com/{_account(name)}/{name.rsplit('/', 1)[-1]}"
            if eco is Ecosystem.PYPI:
                info = {"summary": summary, "description": "", "author": "", "author_email": "",
                        "home_page": "", "project_urls": {"Source": repo} if own_repo else None, "license": "",
                        "classifiers": [], "requires_dist": None}
                files = _pypi_files(name, version, _h("sdist:" + name) < PYPI_SDIST_ONLY)
                world.pypi_docs[names.pep503(name)] = pypi_doc(name, version, info, files, when)
            else:
                manifest: dict[str, Any] = {"description": summary, "main": "index.js", "license": "MIT",
                                            "scripts": {"test": "echo \"Error: no test specified\" && exit 1"}}
                if own_repo:
                    manifest["repository"] = {"type": "git", "url": f"git+{repo}.git"}
                world.npm_docs[name] = npm_doc(name, version, manifest, None, when)
            world.packages.append(Pkg(eco, name, "ordinary"))
        for rec in attack_records(eco, eval_dir):
            name, version = rec["name"], rec["version"]
            if eco is Ecosystem.PYPI:
                world.pypi_docs[names.pep503(name)] = pypi_doc(name, version, rec["info"], rec["files"], when)
            else:
                pv = dict(rec.get("packument_version") or {})
                world.npm_docs[name] = npm_doc(name, version, pv, rec.get("readme"), when)
            world.packages.append(Pkg(eco, name, "attack", rec.get("campaign", ""), imitates(name, eco) is not None))
    return world


def dataset(world: World, packages_dir: Path) -> Dataset:
    """The fake registry's dataset serving `world` (feeds in publication order, shuffled across kinds)."""
    d = Dataset()
    old = world.published_at - timedelta(days=3650)
    for eco in (Ecosystem.PYPI, Ecosystem.NPM):
        _list_summaries(eco, packages_dir)  # read once here, not inside the server's request threads

    def pypi_target(key: str) -> dict[str, Any] | None:
        if key not in _popular_keys(Ecosystem.PYPI):
            return None
        info = {"summary": _list_summaries(Ecosystem.PYPI, packages_dir).get(key, ""), "description": "",
                "home_page": f"https://github.com/{key}/{key}", "project_urls": {"Source": f"https://github.com/{key}/{key}"},
                "author": f"{key} maintainers", "author_email": f"team@{key}.example.invalid"}
        doc = pypi_doc(key, "3.0.0", info, _pypi_files(key, "3.0.0", False), world.published_at - timedelta(days=30))
        doc["releases"]["0.1.0"] = [{**doc["urls"][0], "upload_time_iso_8601": _iso(old)}]
        doc["ownership"]["roles"] = [{"role": "Owner", "user": f"{key}-dev"}]
        return doc

    def npm_target(name: str) -> dict[str, Any] | None:
        key = _key(name, Ecosystem.NPM)
        if key is None or key not in _popular_keys(Ecosystem.NPM):
            return None
        repo = f"git+https://github.com/{key.strip('@').replace('/', '-')}/{key.rsplit('/', 1)[-1]}.git"
        manifest = {"description": _list_summaries(Ecosystem.NPM, packages_dir).get(key, ""), "license": "MIT",
                    "repository": {"type": "git", "url": repo}}
        return npm_doc(name, "3.0.0", manifest, None, world.published_at - timedelta(days=30),
                       maintainer=f"{key.strip('@').replace('/', '-')}-dev", created=old, versions=30)

    d.pypi = _TargetDocs(world.pypi_docs, pypi_target)
    d.npm = _TargetDocs(world.npm_docs, npm_target)
    order = list(world.packages)
    random.Random(1).shuffle(order)
    d.pypi_journal = [["world-start", None, int(world.published_at.timestamp()), "create", PYPI_START]]
    d.npm_changes = [{"seq": NPM_START, "id": "world-start", "changes": [{"rev": "1-0"}]}]
    ts = int(world.published_at.timestamp())
    for p in order:
        if p.ecosystem is Ecosystem.PYPI:
            d.pypi_journal.append([p.name, None, ts, "create", d.pypi_journal[-1][4] + 1])
        else:
            d.npm_changes.append({"seq": d.npm_changes[-1]["seq"] + 1, "id": p.name, "changes": [{"rev": "1-1"}]})
    return d


def serve(world: World, packages_dir: Path) -> FakeRegistry:
    """A fake registry (not yet started: use it as a context manager) serving `world`."""
    return FakeRegistry(dataset(world, packages_dir))


def start_cursors() -> dict[Ecosystem, str]:
    """Sweep cursors at the start of the world's feed window."""
    return {Ecosystem.PYPI: str(PYPI_START), Ecosystem.NPM: str(NPM_START)}


__all__ = ["Pkg", "World", "build", "dataset", "imitates", "serve", "start_cursors"]

