"""Lazy, load-once access to the lexicon data in `data/lexicon/` (built by `scripts/build_lexicon.py`).

Files (all derived by the script; provenance in `data/README.md`, section Lexicon):

- `tokens.tsv`      token -> number of PyPI + npm names containing it as a whole chunk (top tokens only)
- `families.tsv`    token -> number of PyPI / npm names that use it as a prefix or suffix family root
- `words.txt`       English words (Debian `wamerican`, lowercase, filtered)
- `spelling.tsv`    American -> British spelling pairs (Debian `wamerican` / `wbritish` + regular patterns)
- `confusables.tsv` non-ASCII character -> ASCII look-alike (Unicode decompositions + a TR39-style table)
- `terms.json`      curated term lists: filler terms, synonym groups, ASCII look-alike pairs, generic tech terms

Every accessor loads its file on first use and keeps it for the life of the process.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path
from typing import Any

from confuguard.paths import bundled_data
from confuguard.types import Ecosystem


@cache
def lexicon_dir() -> Path:
    """The folder holding the lexicon files (`data/lexicon`, installed as `confuguard.data`)."""
    return bundled_data() / "lexicon"


def _lines(name: str) -> list[str]:
    path = lexicon_dir() / name
    if not path.is_file():
        return []
    with path.open(encoding="utf-8") as fh:
        return [ln.rstrip("\n") for ln in fh if ln.strip() and not ln.startswith("#")]


@cache
def _tokens() -> tuple[dict[str, int], float]:
    counts: dict[str, int] = {}
    for ln in _lines("tokens.tsv"):
        tok, _, n = ln.partition("\t")
        counts[tok] = int(n)
    total = sum(counts.values()) or 1
    return counts, math.log(total)


def token_count(token: str) -> int:
    """How many PyPI + npm names contain `token` as a whole chunk (0 when not in the top-token list)."""
    return _tokens()[0].get(token, 0)


def log_total() -> float:
    """log of the sum of all token counts (the unigram model's normaliser)."""
    return _tokens()[1]


@cache
def _english() -> frozenset[str]:
    return frozenset(_lines("words.txt"))


def is_english(word: str) -> bool:
    """True when `word` is in the filtered English word list."""
    return word in _english()


@cache
def _families() -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for ln in _lines("families.tsv"):
        tok, pypi, npm = ln.split("\t")
        out[tok] = (int(pypi), int(npm))
    return out


def family_size(ecosystem: Ecosystem, token: str) -> int:
    """How many registry names use `token` as a prefix/suffix family root (`pytest` for `pytest-*`).

    Counted on PyPI and npm names. RubyGems, Maven, Go and Hugging Face have no full name list
    here: they get the larger of the two counts (a common root on either registry is common
    vocabulary for package names everywhere).
    """
    p, n = _families().get(token, (0, 0))
    if ecosystem is Ecosystem.PYPI:
        return p
    if ecosystem is Ecosystem.NPM:
        return n
    return max(p, n)


@cache
def spelling() -> dict[str, str]:
    """Both directions: American -> British and British -> American."""
    out: dict[str, str] = {}
    for ln in _lines("spelling.tsv"):
        us, uk = ln.split("\t")
        out.setdefault(us, uk)
        out.setdefault(uk, us)
    return out


@cache
def confusables() -> dict[str, str]:
    """Non-ASCII character -> ASCII string it looks like."""
    out: dict[str, str] = {}
    for ln in _lines("confusables.tsv"):
        cp, _, ascii_ = ln.partition("\t")
        out[chr(int(cp, 16))] = ascii_
    return out


@cache
def terms() -> dict[str, Any]:
    """The curated term lists (see `scripts/build_lexicon.py` for their meaning)."""
    path = lexicon_dir() / "terms.json"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


@cache
def term_set(name: str) -> frozenset[str]:
    """One curated list of `terms.json` as a set (empty when missing)."""
    return frozenset(terms().get(name, ()))


@cache
def synonyms() -> dict[str, frozenset[str]]:
    """token -> the set of its curated synonyms/related words (not including itself)."""
    out: dict[str, set[str]] = {}
    for group in terms().get("synonyms", ()):
        for a in group:
            out.setdefault(a, set()).update(g for g in group if g != a)
    return {k: frozenset(v) for k, v in out.items()}


def frequent_tokens() -> tuple[str, ...]:
    """The frequent name tokens of `tokens.tsv`, most frequent first."""
    counts, _ = _tokens()
    return tuple(sorted(counts, key=lambda t: (-counts[t], t)))
