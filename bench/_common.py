"""Shared helpers for the benchmarks: data locations, samplers and the baseline detector."""

from __future__ import annotations

import csv
import os
import random
import sys
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from confuguard import names
from confuguard.corpus import Corpus
from confuguard.errors import InputError
from confuguard.types import Ecosystem

EVAL = Path(os.environ.get("CONFUGUARD_EVAL_DIR", Path(__file__).resolve().parents[2] / "shared" / "eval"))
PACKAGES = Path(os.environ.get("CONFUGUARD_PACKAGE_LISTS", "/work/.library/env/packages"))
NEUPANE_REGISTRY = {"npm": Ecosystem.NPM, "RubyGems": Ecosystem.RUBYGEMS, "pip": Ecosystem.PYPI}


def need(path: Path, what: str) -> Path:
    """Exit with a clear message when an input of the benchmark is absent."""
    if not path.exists():
        sys.exit(f"skipped: {what} not found at {path}")
    return path


def neupane_rows() -> list[tuple[Ecosystem, str, str]]:
    """(registry, suspect, true target) of NeupaneDB_real_malware.csv."""
    path = need(EVAL / "NeupaneDB_real_malware.csv", "NeupaneDB_real_malware.csv")
    with path.open(newline="", encoding="utf-8") as fh:
        return [(NEUPANE_REGISTRY[r["registry"]], r["typosquat_pkg"].strip(), r["legitimate_pkg"].strip())
                for r in csv.DictReader(fh) if r["registry"] in NEUPANE_REGISTRY]


def list_names(eco: Ecosystem) -> list[str]:
    """Every name of the pypi.tsv / npm.tsv package list."""
    fname = {Ecosystem.PYPI: "pypi.tsv", Ecosystem.NPM: "npm.tsv"}[eco]
    path = need(PACKAGES / fname, fname)
    with path.open(encoding="utf-8", errors="replace") as fh:
        next(fh)
        return [line.split("\t", 1)[0] for line in fh if line.strip()]


def random_ordinary(eco: Ecosystem, corpus: Corpus, n: int, seed: int = 7) -> list[str]:
    """`n` random valid names of the package list that are not among the bundled targets."""
    keys = {t.key for t in corpus.targets}
    pool = []
    for name in list_names(eco):
        try:
            if names.key(names.parse(name, eco)) not in keys:
                pool.append(name)
        except InputError:
            continue
    return random.Random(seed).sample(pool, n)


class Baseline:
    """GuardDog-style detector, the baseline run in the same process: OSA distance <= 1 to a target (names >= 4 chars)."""

    def __init__(self, corpus: Corpus) -> None:
        self.keys = [t.key for t in corpus.targets]
        self.targets = corpus.targets
        self.key_set = set(self.keys)

    def check(self, name: str, eco: Ecosystem) -> list[str]:
        """Targets flagged for `name` (empty when popular or invalid)."""
        try:
            key = names.key(names.parse(name, eco))
        except InputError:
            return []
        if key in self.key_set or len(key) < 4:
            return []
        hits = process.extract(key, self.keys, scorer=OSA.distance, score_cutoff=1, limit=None)
        return [str(self.targets[pos].package) for _, _, pos in hits]
