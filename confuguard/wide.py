"""Wide look-alikes: the name shapes of real attacks on the most popular packages that ordinary names share.

Two shapes: a misspelling of a popular name, two typos off a long one (`tesnorflw` ~ `tensorflow`,
first letter kept, a digit typed among the letters counting as a typo: `tensofl9w`) or any one typo
off a name of 5+ letters that the finger-slip rules leave out (`reget` ~ `regex`); and a combosquat
on a popular name: its words (or its words run together) plus one or two more, numbers aside
(`requests-secure`, `httpx-pro`, `django-log-tracker`, `django-web2-auth`, `discordpy_bypass`), the
name possibly misspelt by one typo (`lodahs-cli`). Plugins, forks and ordinary projects are named the same way (a naming family's
plugins, `pytest-<purpose>`, above all), so these shapes alone never raise an alert: the engine
marks such a candidate `needs_evidence`, name-only checks report it as a benign candidate, and with
the package's own record the judge weighs the `wide_lookalike` signal (learnt on upload-day records)
against what the record says: a summary that never names the package it extends, an empty, filler or
copied one, install scripts, a dependency-confusion version...
"""

from __future__ import annotations

import re

from rapidfuzz.distance import OSA

from confuguard import lexicon, names
from confuguard.candidates import squash
from confuguard.corpus import Target
from confuguard.models.wordvec import words_of
from confuguard.types import Category, Finding, PackageId

#: Targets up to this popularity rank are imitated in these shapes.
WIDE_RANK = 5000
#: Shortest target key a two-typo misspelling is counted for (shorter: too many ordinary words).
TWO_TYPO_MIN = 8
#: Shortest target key any single typo is counted for (`redist` ~ `redis`, `reget` ~ `regex`): the rules of
#: `confuguard.categories` take one typo off a name shorter than 6 letters only when it is a finger slip.
ONE_TYPO_MIN = 5
#: Shortest target key a combosquat is counted on, and shortest misspelt root.
ROOT_MIN, MISSPELT_MIN = 4, 5
#: Words a combosquat adds to the target's.
MAX_EXTRA_WORDS = 2
_DIGIT = re.compile(r"\d")


def wide_findings(suspect: PackageId, target: Target) -> tuple[Finding, ...]:
    """The wide shape `suspect` takes on `target` (a misspelling or a combosquat), or ().

    Only for unscoped names on both sides: namespaces carry their own rules and their owners."""
    if target.rank > WIDE_RANK or names.namespace(suspect) or target.namespace:
        return ()
    s, t = squash(names.key(suspect)), squash(target.key)
    where = f"one of the {WIDE_RANK} most popular {suspect.ecosystem.value} packages"
    words, root = words_of(names.leaf(suspect)), words_of(target.key)
    n, m = len(words), len(root)
    if len(t) >= ROOT_MIN and n > 1:
        # the root's words, or the root run together into one word (`discordpy_bypass` on `discord-py`)
        spans = [(i, m) for i in range(n - m + 1) if _same_words(words[i : i + m], root)]
        spans += [(i, 1) for i, w in enumerate(words) if m > 1 and w == t]
        for i, k in spans:
            extra = words[:i] + words[i + k :]
            if _few(extra):
                said = words[i : i + k]
                plural = k == m and said != root
                on = f"'{'-'.join(said)}', '{target.key}' in its other number" if plural else f"'{target.key}'"
                return (Finding(Category.AFFIX, f"adds {_terms(extra)} to {on}, {where}"),)
    if m == 1 and len(t) >= MISSPELT_MIN and n > 1:
        for i, w in enumerate(words):
            extra = words[:i] + words[i + 1 :]
            if (_few(extra) and len(w) >= MISSPELT_MIN and w[:1] == t[:1] and not lexicon.is_english(w)
                    and OSA.distance(w, t, score_cutoff=1) == 1):
                return (Finding(Category.AFFIX, f"adds {_terms(extra)} to '{w}', a misspelling "
                                                f"of '{target.key}', {where}"),)
    # typos neither add words (`packaging-rs` adds one to `packaging`) nor keep the whole name, and a digit
    # typed among the letters is one of them (`tensofl9w`, `crypt0graphyy`, `reqyest3`)
    if len(words_of(_DIGIT.sub("", names.leaf(suspect)))) > m or s[:1] != t[:1] or s in t:
        return ()
    typos = OSA.distance(s, t, score_cutoff=2)
    if typos == 2 and len(t) >= TWO_TYPO_MIN and t not in s:
        return (Finding(Category.TYPO, f"two typos away from '{target.key}', {where}"),)
    if typos == 1 and len(t) >= ONE_TYPO_MIN and not lexicon.is_english(s):
        return (Finding(Category.TYPO, f"one typo away from '{target.key}', {where}"),)
    return ()


def _same_words(words: tuple[str, ...], root: tuple[str, ...]) -> bool:
    """The root's words, the last one possibly in its other number (`spoof-user-agent` on `user-agents`,
    `color-self-2` on `colors`)."""
    if words[:-1] != root[:-1]:
        return False
    a, b = sorted((words[-1], root[-1]), key=len)
    return a == b or (len(a) >= ROOT_MIN and b == a + "s")


def _few(extra: tuple[str, ...]) -> bool:
    """At most `MAX_EXTRA_WORDS` added words; numbers are not words (`django-web2-auth` adds 'web' and 'auth')."""
    return bool(extra) and sum(not w.isdigit() for w in extra) <= MAX_EXTRA_WORDS


def _terms(words: tuple[str, ...]) -> str:
    return ", ".join(f"'{w}'" for w in words)
