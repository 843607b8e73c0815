"""Wide look-alikes: the name shapes of real attacks on the most popular packages that ordinary names share.

Two shapes: a misspelling two typos away from a long popular name (`tesnorflw` ~ `tensorflow`,
first letter kept), and a combosquat on a popular name: its words plus one or two more
(`requests-secure`, `httpx-pro`), the name possibly misspelt by one typo (`lodahs-cli`). Plugins,
forks and ordinary projects are named the same way, so these shapes alone never raise an alert:
the engine marks such a candidate `needs_evidence`, and the judge weighs it with the strongly
negative prior of the `wide_lookalike` signal, which only the package's own record (an empty,
filler or copied summary, install scripts, a dependency-confusion version...) can overcome.
Name-only checks therefore report them as benign candidates, with a low probability.
"""

from __future__ import annotations

from functools import cache

from rapidfuzz.distance import OSA

from confuguard import lexicon, names
from confuguard.candidates import squash
from confuguard.categories import FAMILY_WEAK
from confuguard.corpus import Target
from confuguard.models.wordvec import words_of
from confuguard.types import Category, Finding, PackageId

#: Targets up to this popularity rank are imitated in these shapes.
WIDE_RANK = 5000
#: Shortest target key a two-typo misspelling is counted for (shorter: too many ordinary words).
TWO_TYPO_MIN = 8
#: Shortest target key a combosquat is counted on, and shortest misspelt root.
ROOT_MIN, MISSPELT_MIN = 4, 5
#: Words a combosquat adds to the target's.
MAX_EXTRA_WORDS = 2
#: Roots with at least this many registry names grown from them are naming families (`categories.FAMILY_WEAK`).
FAMILY_ROOT = FAMILY_WEAK


def wide_findings(suspect: PackageId, target: Target) -> tuple[Finding, ...]:
    """The wide shape `suspect` takes on `target` (a two-typo misspelling or a combosquat), or ().

    Only for unscoped names on both sides: namespaces carry their own rules and their owners."""
    if target.rank > WIDE_RANK or names.namespace(suspect) or target.namespace:
        return ()
    s, t = squash(names.key(suspect)), squash(target.key)
    where = f"one of the {WIDE_RANK} most popular {suspect.ecosystem.value} packages"
    words, root = words_of(names.leaf(suspect)), words_of(target.key)
    n, m = len(words), len(root)
    if len(t) >= ROOT_MIN and 0 < n - m <= MAX_EXTRA_WORDS:
        for i in range(n - m + 1):
            extra = words[:i] + words[i + m :]
            if words[i : i + m] == root and _combo(suspect, t, extra):
                return (Finding(Category.AFFIX, f"adds {_terms(extra)} to '{target.key}', {where}"),)
    if m == 1 and len(t) >= MISSPELT_MIN and 0 < n - 1 <= MAX_EXTRA_WORDS:
        for i, w in enumerate(words):
            extra = words[:i] + words[i + 1 :]
            if (len(w) >= MISSPELT_MIN and w[:1] == t[:1] and not lexicon.is_english(w)
                    and OSA.distance(w, t, score_cutoff=1) == 1 and _combo(suspect, t, extra)):
                return (Finding(Category.AFFIX, f"adds {_terms(extra)} to '{w}', a misspelling "
                                                f"of '{target.key}', {where}"),)
    # typos neither add words nor keep the whole name (`packaging-rs` adds a word to `packaging`)
    if (len(t) >= TWO_TYPO_MIN and n <= m and s[:1] == t[:1] and t not in s and s not in t
            and OSA.distance(s, t, score_cutoff=2) == 2):
        return (Finding(Category.TYPO, f"two typos away from '{target.key}', {where}"),)
    return ()


def _combo(suspect: PackageId, root: str, extra: tuple[str, ...]) -> bool:
    """A combosquat's added words: any, on a root no naming family grows from; on a family root (`pytest`,
    `django`, `eslint`, whose plugins are named `<root>-<purpose>`), only generic or lure words."""
    if lexicon.family_size(suspect.ecosystem, root) < FAMILY_ROOT:
        return True
    return any(w in _generic_words() for w in extra)


@cache
def _generic_words() -> frozenset[str]:
    """Words that say nothing of a purpose of their own: fillers, generic tech terms, campaign lures."""
    return frozenset().union(*(lexicon.term_set(n) for n in ("filler_strong", "filler_weak", "generic_tech",
                                                                "campaign_terms")))


def _terms(words: tuple[str, ...]) -> str:
    return ", ".join(f"'{w}'" for w in words)
