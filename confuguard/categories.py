"""Confusion-category detectors: which categories explain a (suspect, target) pair, in plain words.

Public API: `classify(suspect, target, *, token_similarity=None) -> tuple[Finding, ...]`,
`token_family_size(ecosystem, token) -> int`, `skeleton(text) -> str`.

Every name is compared on its *leaf* (npm bare name, artifactId, Go repo, HF model) and, where the
registry has one, its *namespace* (npm scope, Maven groupId, Go host/owner, HF author). The leaf is
seen three ways: lowercased with separators (`low`), with every separator removed (`flat`), and as
tokens (`confuguard.tokens.tokenize`: delimiter/camelCase/digit split plus word segmentation).
Character-level rules work on `flat`, so a separator change stacked on another trick is still seen
(`k0a_multer` -> `koa-multer` is HOMOGLYPH plus DELIMITER).

Rules: `RULES` is the one table of confusion categories. Each row declares its category, its strength
(the engine's confusability floor), the classifier signal group that reads it, whether it is
character-level, what it defers to or needs, and its rule in plain words; `_leaf` runs the rows in
order, the engine reads the strengths and the signals read the groups, and the README's list of
categories is generated from it (`scripts/readme_rules.py`).

Same publisher (`confuguard.namespaces`): a namespace only one account can publish to (npm scope,
Maven groupId root such as `org.apache` or `io.github.<user>`, Go host/owner, HF author) means the
same publisher, so `classify` returns () for such pairs whatever the leaves; `sibling` gives their
typo, look-alike or separator findings, which the engine reports as benign ("same namespace").
Shared namespaces (`gopkg.in/<name>.vN`, `uk.co.<x>` groupIds) are nobody's: pairs there are judged
like any other. When the namespaces differ but are not look-alikes, only character-level leaf
categories (TYPO, HOMOGLYPH, HOMOPHONIC, ALTERNATE_SPELLING) are reported: token-level changes
(affix, version, reorder...) under an unrelated namespace are how legitimate derivatives are named
(forks, fine-tunes, `@types/x`); an identical leaf under an unrelated namespace is not a confusion
except for Maven artifactIds: a multi-word one anywhere (`org.x:maven-compiler-plugin`), a distinctive
one, or a typo or look-alike of it, under a personal groupId (`io.github.someone:guava`, `…:guavva`). A Go owner on a code host that spells a
vanity namespace (`github.com/golangx/sync` for `golang.org/x/sync`) is a namespace look-alike.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import OSA

from confuguard import lexicon, names
from confuguard.namespaces import personal, same_publisher
from confuguard.tokens import DELIMITERS, chunks, core, segment, tokenize
from confuguard.types import Category, Ecosystem, Finding, PackageId

__all__ = [
    "RULE",
    "RULES",
    "Rule",
    "classify",
    "sibling",
    "skeleton",
    "token_family_size",
    "FAMILY_WEAK",
    "SEMANTIC_THRESHOLD",
]

#: A target used as root by fewer names than this is not a common family root: weak fillers fire AFFIX.
FAMILY_WEAK = 150
#: Trailing numbers of more digits than this are identifiers (`sha256`, `iso-8859`), not versions.
VERSION_DIGITS = 2
#: Names at least this long (both) count a swap plus a dropped or doubled letter as a typo (`mogobd`).
TWO_TYPO_MIN = 6
#: `token_similarity` score at or above which an aligned token pair counts as a semantic substitution.
SEMANTIC_THRESHOLD = 0.75

C = Category
TokenSimilarity = Callable[[str, str], float]


def token_family_size(ecosystem: Ecosystem, token: str) -> int:
    """How many registry names use `token` as a prefix/suffix family root (`pytest` -> pytest-*, *-pytest).

    Multi-part roots are written with `-` (`react-dom`, `eslint-plugin`). Counted on the PyPI and npm
    name lists (npm scopes count as a root); other registries get the larger of the two.
    """
    return lexicon.family_size(ecosystem, token.lower())


def skeleton(text: str) -> str:
    """Fold Unicode look-alikes to ASCII (Cyrillic `е` -> `e`, fullwidth `ｒ` -> `r`, `ℓ` -> `l`).

    ASCII characters are kept as they are; non-ASCII characters without a known look-alike are kept.
    Use it to map a Unicode query to ASCII before `names.parse`.
    """
    if text.isascii():
        return text
    table = lexicon.confusables()
    return "".join(table.get(ch, ch) if ord(ch) > 127 else ch for ch in text)


# --------------------------------------------------------------------------------------------------
# views


@dataclass(frozen=True, slots=True)
class _Name:
    low: str
    flat: str
    toks: tuple[str, ...]
    bounds: frozenset[int]
    seps: str
    family_key: str
    canon: frozenset[str]
    parts: frozenset[int]
    """Flat offsets where a separator (or the string edge) stands."""


def _make_name(raw: str) -> _Name:
    low = raw.lower()
    toks = tokenize(raw)
    flat = "".join(toks)
    bounds = {0}
    n = 0
    for t in toks:
        n += len(t)
        bounds.add(n)
    seps = "".join(c for c in low if c in DELIMITERS)
    parts = [c for c in _split_delims(low) if c]
    fkey = "-".join(parts) if 1 < len(parts) <= 2 else flat
    pb = {0}
    n = 0
    for c in parts:
        n += len("".join(chunks(c)))
        pb.add(n)
    canon = frozenset(_canon(t) for t in toks)
    return _Name(low, flat, toks, frozenset(bounds), seps, fkey, canon, frozenset(pb))


def _split_delims(s: str) -> list[str]:
    out: list[str] = []
    cur: list[str] = []
    for c in s:
        if c in DELIMITERS:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    out.append("".join(cur))
    return out


@lru_cache(maxsize=65536)
def _name(raw: str) -> _Name:
    return _make_name(raw)


def _leaf_raw(pkg: PackageId) -> str:
    if pkg.ecosystem is Ecosystem.GOLANG:
        return names.leaf(pkg)
    return pkg.name


@lru_cache(maxsize=65536)
def _info(pkg: PackageId) -> tuple[str, str | None, str]:
    """(comparison key, lowercase namespace, raw leaf) of a package."""
    return names.key(pkg), names.namespace(pkg), _leaf_raw(pkg)


# --------------------------------------------------------------------------------------------------
# small helpers


def _diff(x: str, y: str) -> tuple[int, int]:
    """Common prefix length and common suffix length (not overlapping the prefix)."""
    n = min(len(x), len(y))
    p = 0
    while p < n and x[p] == y[p]:
        p += 1
    s = 0
    while s < n - p and x[-1 - s] == y[-1 - s]:
        s += 1
    return p, s


def _shuffled(x: str, y: str) -> bool:
    """`x` has `y`'s letters with one moved by two places (`rceat` for `react`, `degbu` for `debug`)
    or two separate pairs of neighbours swapped."""
    if len(x) != len(y) or sorted(x) != sorted(y):
        return False
    diff = [i for i in range(len(x)) if x[i] != y[i]]
    if not diff:
        return False
    if diff[-1] - diff[0] < 3:
        return True
    if len(diff) != 4 or diff[1] != diff[0] + 1 or diff[3] != diff[2] + 1:
        return False
    i, j, k, m = diff
    return x[i] == y[j] and x[j] == y[i] and x[k] == y[m] and x[m] == y[k]


def _drops_and_doubles(y: str) -> set[str]:
    """Every string one dropped or doubled letter away from `y`."""
    out = {y[:i] + y[i + 1 :] for i in range(len(y))} | {y[:i] + y[i] + y[i:] for i in range(len(y))}
    out.discard(y)
    return out


def _two_slips(fa: str, fb: str) -> bool:
    """`fa` is `fb` (>= 6 letters, same first letter) with two neighbouring letters swapped and one letter dropped or
    doubled (`mogobd` ~ `mongodb`, `regenraotr` ~ `regenerator`). Two substitutions, or two drops,
    turn most names into another ordinary name (`simple` ~ `simple-is`), so they are left out."""
    if min(len(fa), len(fb)) < TWO_TYPO_MIN or fa[0] != fb[0]:
        return False
    swaps = {fb[:i] + fb[i + 1] + fb[i] + fb[i + 2 :] for i in range(len(fb) - 1)} - {fb}
    return any(fa in _drops_and_doubles(m) for m in swaps)


def _describe_edit(x: str, y: str) -> str:
    """Words for a small edit turning target `y` into suspect `x`."""
    p, s = _diff(x, y)
    dx, dy = x[p : len(x) - s], y[p : len(y) - s]
    if len(dx) == 2 and dx == dy[::-1]:
        return f"swaps '{dy[0]}' and '{dy[1]}'"
    if not dx:
        return f"drops '{dy}'"
    if not dy:
        return f"adds '{dx}'"
    return f"writes '{dx}' for '{dy}'"


_KEYBOARD = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")


@lru_cache(maxsize=1)
def _key_neighbours() -> dict[str, frozenset[str]]:
    pos = {ch: (r, c) for r, row in enumerate(_KEYBOARD) for c, ch in enumerate(row)}
    out: dict[str, frozenset[str]] = {}
    for ch, (r, c) in pos.items():
        out[ch] = frozenset(
            o for o, (r2, c2) in pos.items() if o != ch and abs(r2 - r) <= 1 and abs(c2 - c) <= 1
        )
    return out


def _letter_part(a: _Name, b: _Name) -> str | None:
    """The one-letter part (`v-`, `-x`) one name adds to the other's words, if that is their only difference.

    A letter set apart by separators is a naming convention (`v-viewer`, `eslint-plugin-import-x`),
    not a slip of the finger: it is an affix or a simplification, never a typo."""
    longer, shorter = (a, b) if len(a.toks) > len(b.toks) else (b, a)
    for i, t in enumerate(longer.toks):
        if len(t) == 1 and t.isalpha() and longer.toks[:i] + longer.toks[i + 1 :] == shorter.toks:
            return t
    return None


def _slip(x: str, y: str) -> bool:
    """The single edit turning `y` into `x` is a finger slip: swap, dropped/doubled letter, neighbouring key."""
    p, s = _diff(x, y)
    dx, dy = x[p : len(x) - s], y[p : len(y) - s]
    nb = _key_neighbours()
    if len(dx) == 2 and dx == dy[::-1]:
        return True
    if not dx and len(dy) == 1:  # dropped a letter
        return True
    if not dy and len(dx) == 1:  # inserted a letter: only a doubled one counts
        return dx in {x[p - 1] if p > 0 else "", x[p + 1] if p + 1 < len(x) else ""}
    if len(dx) == 1 and len(dy) == 1:
        return dx in nb.get(dy, ())
    return False


def _is_version(tok: str) -> bool:
    digits = tok[1:] if len(tok) >= 2 and tok[0] == "v" else tok
    return digits.isdigit() and len(digits) <= VERSION_DIGITS


def _strip_version(toks: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    i = len(toks)
    while i > 0 and toks[i - 1].isdigit():
        i -= 1
    if i < len(toks) and i > 0 and toks[i - 1] == "v":
        i -= 1
    return toks[:i], toks[i:]


def _strong(t: str) -> bool:
    return t in lexicon.term_set("filler_strong") or _is_version(t) or t == "v"


def _weak(t: str) -> bool:
    return _strong(t) or t in lexicon.term_set("filler_weak")


def _syn(x: str, y: str) -> bool:
    return y in lexicon.synonyms().get(x, ())


def _q(t: tuple[str, ...] | list[str]) -> str:
    return "-".join(t)


# --------------------------------------------------------------------------------------------------
# character-level detectors on flat forms


def _lookalike_pair(x: str, y: str) -> bool:
    return (x, y) in _look_pairs()


@lru_cache(maxsize=1)
def _look_pairs() -> frozenset[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for a, b in lexicon.terms().get("lookalike_chars", ()):
        a, b = a.lower(), b.lower()
        if a != b:
            out.add((a, b))
            out.add((b, a))
    return frozenset(out)


def _homoglyph_ascii(x: str, y: str) -> str | None:
    if min(len(x), len(y)) < 4:
        return None
    if len(x) == len(y):
        diffs = [(a, b) for a, b in zip(x, y, strict=True) if a != b]
        limit = 2 if len(x) >= 6 else 1
        if 1 <= len(diffs) <= limit and all(_lookalike_pair(a, b) for a, b in diffs):
            return ", ".join(f"'{a}' for '{b}'" for a, b in diffs)
        return None
    if abs(len(x) - len(y)) > 2:
        return None
    for multi, single in lexicon.terms().get("lookalike_multi", ()):
        for src, dst, u, v in ((x, y, multi, single), (y, x, multi, single)):
            # src contains `u` where dst has `v`
            start = src.find(u)
            while start >= 0:
                cand = src[:start] + v + src[start + len(u) :]
                if cand == dst:
                    return f"'{u}' for '{v}'" if src is x else f"'{v}' for '{u}'"
                start = src.find(u, start + 1)
    return None


def _spelling(a: _Name, b: _Name, p: int, s: int) -> str | None:
    fa, fb = a.flat, b.flat
    if abs(len(fa) - len(fb)) > 3 or (len(fa) - p - s) > 4 or (len(fb) - p - s) > 4:
        return None
    table = lexicon.spelling()
    for i in range(p, max(-1, p - 12), -1):
        for s2 in range(s, max(-1, s - 12), -1):
            xa, xb = fa[i : len(fa) - s2], fb[i : len(fb) - s2]
            if len(xb) < 4 or len(xa) > 16:
                continue
            if table.get(xb) == xa:
                return f"'{xa}' is the {'British' if len(xa) >= len(xb) and 'u' in xa else 'other'} spelling of '{xb}'"
    return None


_INFLECT = ("s", "es", "ed", "d", "er", "r", "ing", "ers")


def _inflected(x: str, y: str) -> str | None:
    """Words for `x` being an inflection of `y` (or y of x), else None. Whole words only."""
    if x == y:
        return None
    lo, hi = (x, y) if len(x) < len(y) else (y, x)
    if len(lo) >= 3 and hi.startswith(lo):
        suf = hi[len(lo) :]
        if suf in _INFLECT:
            if suf in ("d", "r") and not lo.endswith("e"):
                return None
            if suf in ("es", "ed", "er", "ers", "ing") and len(lo) < 4:
                return None
            if suf == "es" and not lo.endswith(("s", "x", "z", "ch", "sh", "o")):
                return None
            return f"'{x}' for '{y}'"
    if len(lo) >= 3 and lo.endswith("y") and hi == lo[:-1] + "ies":
        return f"'{x}' for '{y}'"
    if len(lo) >= 4 and lo.endswith("e") and hi == lo[:-1] + "ing":
        return f"'{x}' for '{y}'"
    return None


def _grammatical(a: _Name, b: _Name, p: int, s: int) -> str | None:
    fa, fb = a.flat, b.flat
    da, db = fa[p : len(fa) - s], fb[p : len(fb) - s]
    if len(da) + len(db) <= 4 and (not da or not db or da in ("y", "e") or db in ("y", "e")):
        # the change sits at the end of a word in the longer form, not in a separate part (`pytorch-es`)
        if p in (a.parts if len(fa) > len(fb) else b.parts):
            return None
        for longer, bounds in ((fa, a.bounds), (fb, b.bounds)):
            end = len(longer) - s
            if end in bounds or end == len(longer):
                # find the word containing the change in both forms
                start = max((q for q in a.bounds | b.bounds if q <= p - 1), default=0)
                wa, wb = fa[start : len(fa) - s], fb[start : len(fb) - s]
                d = _inflected(wa, wb)
                if d:
                    return d
    if len(a.toks) == len(b.toks) and len(a.toks) >= 1:
        pairs = [(x, y) for x, y in zip(a.toks, b.toks, strict=True) if x != y]
        if pairs and len(pairs) <= 2:
            ds = [_inflected(x, y) for x, y in pairs]
            if all(ds):
                return ", ".join(d for d in ds if d)
    return None


@lru_cache(maxsize=65536)
def _phon(t: str) -> tuple[str, str]:
    return jellyfish.metaphone(t), jellyfish.soundex(t)[1:]


def _sound_edit(x: str, y: str) -> bool:
    """The spelling change from `y` to `x` is one of the curated sound-alike spellings (c/k, s/z, i/y, ph/f...)."""
    pairs = _sound_pairs()
    if len(x) == len(y):
        diffs = [(u, v) for u, v in zip(x, y, strict=True) if u != v]
        return bool(diffs) and all((u, v) in pairs for u, v in diffs)
    p, s = _diff(x, y)
    return (x[p : len(x) - s], y[p : len(y) - s]) in pairs


@lru_cache(maxsize=1)
def _sound_pairs() -> frozenset[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    for u, v in lexicon.terms().get("sound_alike", ()):
        out.add((u, v))
        out.add((v, u))
    return frozenset(out)


def _sounds_same(x: str, y: str) -> bool:
    if not (x.isalpha() and y.isalpha()) or min(len(x), len(y)) < 3 or not _sound_edit(x, y):
        return False
    mx, sx = _phon(x)
    my, sy = _phon(y)
    return bool(mx) and mx == my and sx == sy


def _homophonic(a: _Name, b: _Name, dist: int) -> str | None:
    if len(a.toks) == len(b.toks):
        pairs = [(x, y) for x, y in zip(a.toks, b.toks, strict=True) if x != y]
        if len(pairs) == 1:
            x, y = pairs[0]
            if len(y) >= 3 and _sounds_same(x, y):
                return f"'{x}' sounds like '{y}'"
    if dist <= 2 and min(len(a.flat), len(b.flat)) >= (4 if dist == 1 else 5) and _sounds_same(a.flat, b.flat):
        return f"'{a.flat}' sounds like '{b.flat}'"
    return None


def _version(a: _Name, b: _Name) -> str | None:
    ba, va = _strip_version(a.toks)
    bb, vb = _strip_version(b.toks)
    if not (va or vb) or "".join(ba) != "".join(bb) or len("".join(bb)) < 2:
        return None
    sa, sb = "".join(v for v in va if v != "v"), "".join(v for v in vb if v != "v")
    if max(len(sa), len(sb)) > VERSION_DIGITS:
        return None  # a model or standard number (`iso-8859`, `sha256`, `mcp23008`), not a version
    if va and not vb:
        return f"adds the version number '{_q(va)}'"
    if vb and not va:
        return f"drops the version number '{_q(vb)}'"
    if sa != sb:
        return f"changes the version number '{_q(vb)}' to '{_q(va)}'"
    return None


# --------------------------------------------------------------------------------------------------
# token-level detectors


def _find_block(big: tuple[str, ...], small: tuple[str, ...]) -> int:
    n, m = len(big), len(small)
    for i in range(n - m + 1):
        if big[i : i + m] == small:
            return i
    return -1


def _family(eco: Ecosystem, n: _Name) -> int:
    return lexicon.family_size(eco, n.family_key) if n.family_key else 0


def _extras_ok(eco: Ecosystem, extras: list[str], target: _Name) -> str | None:
    """The extension-family rule shared by AFFIX and SIMPLIFICATION; returns why it fires."""
    if not extras:
        return None
    if all(_strong(e) for e in extras) and len(target.flat) >= 2:
        return "filler"
    fam = _family(eco, target)
    if all(_weak(e) for e in extras) and len(target.flat) >= 3 and fam < FAMILY_WEAK:
        return "weak"
    return None


def _affix(eco: Ecosystem, a: _Name, b: _Name) -> str | None:
    ta, tb = a.toks, b.toks
    extras: list[str] | None = None
    if len(ta) > len(tb):
        i = _find_block(ta, tb)
        if i >= 0:
            extras = list(ta[:i] + ta[i + len(tb) :])
            where = "leading" if i > 0 and i + len(tb) == len(ta) else "trailing" if i == 0 else "surrounding"
            start = len("".join(ta[:i]))
            end = start + len(b.flat)
            k = i + len(tb)
            if end not in a.parts and k < len(ta) and ta[k].isdigit():
                end += len(ta[k])  # a version glued on (`pytz3-dev`)
            if not (start in a.parts and end in a.parts):
                extras = None  # glued: judged on the flat form below
    if extras is None and len(a.flat) > len(b.flat):
        fa, fb = a.flat, b.flat
        i = fa.find(fb)
        if i >= 0 and (i == 0 or fa.endswith(fb)):
            if i == 0:
                rest, where = fa[len(fb) :], "trailing"
            else:
                i = len(fa) - len(fb)
                rest, where = fa[:i], "leading"
            pieces = list(segment(rest)) if rest.isalpha() else list(tokenize(rest))
            # glued onto the name (no separator): only strong fillers (and `lib`), on a name of >= 4
            # chars; on PyPI a glued `py` prefix is ordinary naming (pyyaml, pymongo), not a trick
            if (
                len(fb) >= 4
                and all(_strong(p) or p == "lib" for p in pieces)
                and not (eco is Ecosystem.PYPI and where == "leading" and rest in ("py", "python"))
            ):
                extras = pieces
    misspelt = ""
    if not extras:
        # a filler term stacked on a typo: strip fillers at both ends, then one edit (a finger slip
        # under 9 characters; weak fillers need >= 9 characters)
        i, j = 0, len(ta)
        while i < j and _weak(ta[i]):
            i += 1
        while j > i and _weak(ta[j - 1]):
            j -= 1
        core = "".join(ta[i:j])
        if (
            0 < j - i < len(ta)
            and min(len(core), len(b.flat)) >= 5
            and OSA.distance(core, b.flat, score_cutoff=2) == 1
            and core.isalpha() == b.flat.isalpha()
            and (
                min(len(core), len(b.flat)) >= 9
                or (_slip(core, b.flat) and all(_strong(t) for t in ta[:i] + ta[j:]))
            )
        ):
            extras = list(ta[:i] + ta[j:])
            where = "leading" if j == len(ta) else "trailing" if i == 0 else "surrounding"
            misspelt = f" (itself misspelt: {_describe_edit(core, b.flat)})"
        else:
            return None
    why = _extras_ok(eco, extras, b)
    if why is None:
        return None
    terms = ", ".join(f"'{e}'" for e in extras)
    return f"adds the {where} term{'s' if len(extras) > 1 else ''} {terms} to '{b.low}'{misspelt}"


def _part_family(eco: Ecosystem, low: str, index: int) -> int:
    parts = [p for p in _split_delims(low) if p]
    return lexicon.family_size(eco, parts[index]) if parts else 0


def _simplification(eco: Ecosystem, a: _Name, b: _Name) -> str | None:
    ta, tb = a.toks, b.toks
    dropped: list[str] | None = None
    if len(tb) > len(ta):
        i = _find_block(tb, ta)
        if i >= 0 and (i == 0 or i + len(ta) == len(tb)):
            dropped = list(tb[:i] + tb[i + len(ta) :])
    if dropped is None and len(b.flat) > len(a.flat) >= 3:
        fa, fb = a.flat, b.flat
        if fb.startswith(fa) or fb.endswith(fa):
            rest = fb[len(fa) :] if fb.startswith(fa) else fb[: len(fb) - len(fa)]
            pieces = list(segment(rest)) if rest.isalpha() else list(tokenize(rest))
            if all(_strong(p) for p in pieces):
                dropped = pieces
    if not dropped:
        return None
    terms = ", ".join(f"'{d}'" for d in dropped)
    if all(_is_version(d) for d in dropped):
        return None  # that is VERSION_SUFFIX
    if all(_strong(d) for d in dropped) and len(a.flat) >= 3:
        return f"drops {terms} from '{b.low}'"
    if (
        len(ta) >= 2
        and tb[: len(ta)] == ta
        and len(a.flat) >= 6
        and len(a.flat) * 5 >= len(b.flat) * 2
        and max(_part_family(eco, a.low, 0), _part_family(eco, a.low, -1), _family(eco, a)) < FAMILY_WEAK
    ):
        return f"drops {terms} from '{b.low}'"
    return None


@lru_cache(maxsize=4096)
def _canon(t: str) -> str:
    syn = lexicon.synonyms().get(t)
    if not syn:
        return t
    return min(syn | {t})


def _reordering(a: _Name, b: _Name) -> tuple[str, bool] | None:
    ta, tb = a.toks, b.toks
    if len(tb) < 2 or ta == tb or len(ta) < len(tb) or not (a.canon & b.canon):
        return None
    if len(ta) == len(tb) and sorted(ta) == sorted(tb):
        return f"reorders '{_q(tb)}' as '{_q(ta)}'", False
    ca, cb = tuple(_canon(t) for t in ta), tuple(_canon(t) for t in tb)
    if ca != cb and len(ca) == len(cb) and sorted(ca) == sorted(cb):
        return f"reorders '{_q(tb)}' as '{_q(ta)}' (with synonyms)", True
    # extra filler tokens on the suspect side
    if len(ca) == len(cb) or len(ca) > len(cb) + 2:
        return None
    ma, mb = Counter(ca), Counter(cb)
    if mb <= ma:
        extra = list((ma - mb).elements())
        common = [t for t in ca if t in mb]
        if all(_strong(e) for e in extra) and common != list(cb) and len(common) == len(cb):
            return f"reorders '{_q(tb)}' and adds {', '.join(repr(e) for e in extra)}", True
    return None


def _aligned_windows(a: _Name, b: _Name, p: int, s: int, maxlen: int) -> list[tuple[str, str]]:
    """Pairs (suspect part, target part) covering the changed span, cut at token boundaries of either name.

    Both names share the text before the window and after it; the window is aligned on the token
    boundaries of the suspect or of the target (so `python`/`py` in `python-sqlite`/`pysqlite`).
    """
    fa, fb = a.flat, b.flat
    la, lb = len(fa), len(fb)
    out: list[tuple[str, str]] = []
    for x, lx, other_len in ((a, la, lb), (b, lb, la)):
        for i in x.bounds:
            if i > p:
                continue
            for end in x.bounds:
                s2 = lx - end
                if s2 > s or end - i > maxlen or end <= i:
                    continue
                oe = other_len - s2
                if oe - i > maxlen or oe < i:
                    continue
                if x is a:
                    out.append((fa[i:end], fb[i:oe]))
                else:
                    out.append((fa[i:oe], fb[i:end]))
    return out


def _semantic(a: _Name, b: _Name, p: int, s: int, sim: TokenSimilarity | None) -> str | None:
    ta, tb = a.toks, b.toks
    if len(ta) == len(tb):
        pairs = [(x, y) for x, y in zip(ta, tb, strict=True) if x != y]
        if len(tb) >= 2 and 1 <= len(pairs) <= 2:
            if all(_syn(x, y) for x, y in pairs):
                return ", ".join(f"'{x}' for '{y}'" for x, y in pairs)
            if sim is not None and len(pairs) == 1 and len(tb) >= 2:
                x, y = pairs[0]
                if min(len(x), len(y)) >= 3 and not x.isdigit() and not y.isdigit():
                    score = sim(x, y)
                    if score >= SEMANTIC_THRESHOLD:
                        return f"'{x}' for the related word '{y}' (similarity {score:.2f})"
    if p + s >= 3:
        for xa, xb in _aligned_windows(a, b, p, s, 14):
            if xa and xb and xa != a.flat and xb != b.flat and _syn(xa, xb):
                return f"'{xa}' for '{xb}'"
    return None


def _asemantic(eco: Ecosystem, a: _Name, b: _Name, p: int, s: int) -> str | None:
    generic = lexicon.term_set("generic_tech")
    ta, tb = a.toks, b.toks
    cand: tuple[str, str, str] | None = None
    if len(ta) == len(tb) >= 2:
        pairs = [(i, x, y) for i, (x, y) in enumerate(zip(ta, tb, strict=True)) if x != y]
        if len(pairs) == 1:
            i, x, y = pairs[0]
            if i in (0, len(tb) - 1):
                cand = (x, y, "".join(t for j, t in enumerate(tb) if j != i))
    if cand is None and (p == 0 or s == 0) and p + s >= 4:
        fa, fb = a.flat, b.flat
        x, y = fa[p : len(fa) - s], fb[p : len(fb) - s]
        cand = (x, y, fb[:p] + fb[len(fb) - s :])
    if cand is None:
        return None
    x, y, shared = cand
    markers = lexicon.term_set("marker_terms")
    if x in generic and y in markers and x != y and not _syn(x, y) and len(shared) >= 4:
        if lexicon.family_size(eco, shared) < FAMILY_WEAK * 4 and not _weak(shared):
            return f"swaps the term '{y}' for the unrelated term '{x}'"
    return None


def _core_typo(a: _Name, b: _Name) -> str | None:
    """A typo in the core of a name once ecosystem markers are dropped (`openvc` ~ `opencv-python`)."""
    ca, cb = core(a.low), core(b.low)
    if (ca, cb) == (a.flat, b.flat) or not (ca.isalpha() and cb.isalpha()):
        return None
    short = min(len(ca), len(cb))
    if short < 5 or OSA.distance(ca, cb, score_cutoff=2) != 1 or not (short >= 8 or _slip(ca, cb)):
        return None
    return f"one typo away from '{cb}', the core of '{b.low}': {_describe_edit(ca, cb)}"


# --------------------------------------------------------------------------------------------------
# leaf pipeline


class _Pair:
    """What the detectors of one (suspect leaf, target leaf) pair share: the views, the edit facts and the
    findings of the rows above (a detector may read `found` only for rows above its own)."""

    def __init__(self, eco: Ecosystem, a: _Name, b: _Name, sim: TokenSimilarity | None) -> None:
        self.eco, self.a, self.b, self.sim = eco, a, b, sim
        self.fa, self.fb = a.flat, b.flat
        self.p, self.s = _diff(self.fa, self.fb)
        self.dist = OSA.distance(self.fa, self.fb, score_cutoff=3)
        self.near = self.dist <= 2 or abs(len(self.fa) - len(self.fb)) <= 2
        self.short = min(len(self.fa), len(self.fb))
        self.part = _letter_part(a, b) if self.dist == 1 else None
        """A one-letter part (`v-`, `-x`) that is the names' only difference: a naming convention, not a slip."""
        self.found: dict[Category, str] = {}
        self._reorder: tuple[str, bool] | None | bool = False

    @property
    def unrelated(self) -> bool:
        """Nothing in common (no shared run of 3+ letters, words or containment): no rule can fire."""
        a, b = self.a, self.b
        return (self.dist > 2 and self.p + self.s < 3 and not (a.canon & b.canon)
                and self.fa not in self.fb and self.fb not in self.fa)

    @property
    def reorder(self) -> tuple[str, bool] | None:
        """REORDERING's finding and whether synonyms were folded to see it (computed once)."""
        if self._reorder is False:
            self._reorder = _reordering(self.a, self.b)
        return self._reorder  # type: ignore[return-value]


def _find_homoglyph(x: _Pair) -> str | None:
    hg = _homoglyph_ascii(x.fa, x.fb) if x.near else None
    return f"uses look-alike characters: {hg}" if hg else None


def _find_spelling(x: _Pair) -> str | None:
    return _spelling(x.a, x.b, x.p, x.s) if x.near else None


def _find_grammatical(x: _Pair) -> str | None:
    gr = _grammatical(x.a, x.b, x.p, x.s)
    return f"changes the word form: {gr}" if gr else None


def _find_homophonic(x: _Pair) -> str | None:
    return _homophonic(x.a, x.b, x.dist)


def _find_version(x: _Pair) -> str | None:
    return _version(x.a, x.b)


def _find_typo(x: _Pair) -> str | None:
    fa, fb = x.fa, x.fb
    if x.part:
        return None
    if x.dist == 1 and (x.short >= 6 or (x.short >= 3 and _slip(fa, fb))):
        return f"one typo away from '{x.b.low}': {_describe_edit(fa, fb)}"
    if x.dist == 2 and x.short >= 5 and _shuffled(fa, fb):
        return f"the letters of '{x.b.low}' slightly shuffled"
    if x.dist == 2 and _two_slips(fa, fb):
        return f"two slips away from '{x.b.low}': letters swapped and one dropped or doubled"
    return None


def _find_core_typo(x: _Pair) -> str | None:
    return _core_typo(x.a, x.b)


def _find_reordering(x: _Pair) -> str | None:
    return x.reorder[0] if x.reorder else None


def _find_affix(x: _Pair) -> str | None:
    if x.part:
        return f"adds the one-letter part '{x.part}' to '{x.b.low}'" if len(x.a.toks) > len(x.b.toks) else None
    return _affix(x.eco, x.a, x.b)


def _find_simplification(x: _Pair) -> str | None:
    if x.part:
        return None if len(x.a.toks) > len(x.b.toks) else f"drops the one-letter part '{x.part}' from '{x.b.low}'"
    return _simplification(x.eco, x.a, x.b)


def _find_semantic(x: _Pair) -> str | None:
    se = _semantic(x.a, x.b, x.p, x.s, x.sim)
    if se:
        return f"uses a synonym: {se}"
    if x.reorder and x.reorder[1] and C.AFFIX not in x.found:
        return "uses synonyms of the target's words"
    return None


def _find_asemantic(x: _Pair) -> str | None:
    return _asemantic(x.eco, x.a, x.b, x.p, x.s)


def _find_delimiter(x: _Pair) -> str | None:
    return "also changes the separators" if x.a.seps != x.b.seps else None


Detector = Callable[[_Pair], str | None]


@dataclass(frozen=True, slots=True)
class Rule:
    """One confusion category: how it is found, and how the engine and the classifier read it."""

    category: Category
    strength: float
    """Confusability floor: how strongly this category alone says "looks the same" (the engine's score)."""
    group: str
    """The classifier signal (`signals.py`) that says this category fired; several categories may share one."""
    detect: Detector | None
    """The leaf detector: plain words for what it saw, or None. None for SCOPE, found on namespaces (`_scope`)."""
    rule: str
    """The rule in plain words (the README's list is generated from it: `scripts/readme_rules.py`)."""
    character_level: bool = False
    """Changes characters, not words: still reported when the namespaces are unrelated."""
    respelling: bool = False
    """Changes how the target's own words are written (characters, separators, word forms, numbers): a
    member of a name family so changed is a trick, not another member."""
    defers_to: frozenset[Category] = frozenset()
    """Not reported when one of these (rows above) explains the same pair."""
    needs: frozenset[Category] = frozenset()
    """Reported only alongside one of these (rows above)."""
    fallback: Detector | None = None
    """Tried only when no row explains the pair."""
    tail: bool = False
    """Counts against the long tail of targets (npm ranks past the engine's TAIL_RANK)."""
    sibling: bool = False
    """Reported for a same-publisher look-alike (`sibling`): reads as the same name."""


_SPELLING_LIKE = frozenset({C.HOMOGLYPH, C.ALTERNATE_SPELLING, C.GRAMMATICAL_SUBSTITUTION, C.HOMOPHONIC,
                            C.VERSION_SUFFIX})

#: The confusion categories, in the order findings are reported and detectors run. A row may defer to or
#: need only rows above it; every Category has exactly one row (checked by the tests).
RULES: tuple[Rule, ...] = (
    Rule(C.HOMOGLYPH, 0.97, "cat_homoglyph", _find_homoglyph,
         "(a) the suspect has non-ASCII characters and its `skeleton` (Unicode confusables folded to ASCII) "
         "equals the target; or (b) the flat forms differ only by ASCII look-alikes (l/1/i/j, o/0, m/n, 5/s, "
         "3/e ... one substitution, two when >= 6 characters; or a multi-character look-alike rn/m, vv/w, "
         "cl/d). Needs >= 4 characters for the ASCII case.",
         character_level=True, respelling=True, tail=True, sibling=True),
    Rule(C.ALTERNATE_SPELLING, 0.9, "cat_spelling", _find_spelling,
         "One word differs by its US/UK spelling (Debian word lists, `spelling.tsv`).",
         character_level=True, respelling=True),
    Rule(C.GRAMMATICAL_SUBSTITUTION, 0.88, "cat_spelling", _find_grammatical,
         "Inflection of one word (s, es, ed, d, er, r, ing, y/ies) at a token end, not a separate part "
         "(`pytorch-es` is not `pytorches`).",
         respelling=True),
    Rule(C.HOMOPHONIC, 0.88, "cat_spelling", _find_homophonic,
         "One aligned token (or the flat forms, within 2 edits) sounds the same: a curated sound-alike "
         "spelling (c/k, s/z, ph/f ...) with equal Metaphone and equal Soundex digits (`buffer-zor` -> "
         "`buffer-xor`, `asinc` -> `async`).",
         character_level=True, respelling=True,
         defers_to=frozenset({C.ALTERNATE_SPELLING, C.GRAMMATICAL_SUBSTITUTION})),
    Rule(C.VERSION_SUFFIX, 0.85, "cat_version", _find_version,
         "Equal once trailing numbers / `vN` are removed, and those differ (`requests2`, `lodash-v4`, "
         "`react-dom18`, `jquery.3`); numbers of three or more digits are identifiers, not versions "
         "(`sha256`, `iso-8859`).",
         respelling=True),
    Rule(C.TYPO, 0.92, "cat_typo", _find_typo,
         "One Damerau-Levenshtein (OSA) step between the flat forms. No length cap. Short names are ambiguous "
         "(one edit turns most of them into another real name), so when the shorter flat form has fewer than "
         "6 characters the edit must be a finger slip: adjacent swap, dropped letter, doubled letter, or a "
         "letter replaced by a neighbouring QWERTY key (`axois`, `chak`, `asyync`, `hulp`); under 3 characters "
         "never. Two steps count when they are a swap of neighbouring letters plus a dropped or doubled "
         "letter, the first letter kept, on names of >= 6 characters (`mogobd`, `regenraotr`), or the letters "
         "slightly shuffled (>= 5 characters); two substitutions or two drops do not (they mostly make another "
         "ordinary name). A single letter set apart by separators (`v-viewer`, `eslint-plugin-import-x`) is a "
         "naming convention, not a slip: AFFIX (added) or SIMPLIFICATION (dropped), never TYPO. When nothing "
         "else fires, one step in the *core* also counts, the names stripped of ecosystem markers (`py`, `lib`, "
         "`-python`, `.js`, versions: `confuguard.tokens.core`), under the same finger-slip rule below 8 "
         "characters (`openvc` -> `opencv-python`).",
         character_level=True, respelling=True, defers_to=_SPELLING_LIKE, fallback=_find_core_typo,
         tail=True, sibling=True),
    Rule(C.REORDERING, 0.9, "cat_reordering", _find_reordering,
         "Same token multiset (synonyms folded), different order; extra filler tokens allowed."),
    Rule(C.AFFIX, 0.82, "cat_affix", _find_affix,
         "The target's tokens (or flat form) plus extra leading/trailing terms. Extension-family rule (the "
         "terms are data: `filler_strong` / `filler_weak` in `terms.json`): fires when every added term is a "
         "*strong filler* (ecosystem marker or trust word: js, node, npm, py, python3, official, secure, "
         "latest, v2 ... or a number), whatever the target; or when every added term is a *weak filler* (api, "
         "sdk, client, cli, utils, core, http, lib, dev, pro, plus ...) and the target is not a common family "
         "root (fewer than FAMILY_WEAK registry names use it as a prefix/suffix root, see `token_family_size`). "
         "Any other added term never fires. Fillers glued without a separator count only when strong (or "
         "`lib`) on a target of >= 4 characters (`mysqljs`); a version number glued on before a separated "
         "term is read as a separate term (`pytz3-dev`). A filler stacked on a one-edit typo of the target "
         "also fires (`matplatlib-plus`). So `pytest-xdist`, `eslint-plugin-react`, `django-foo`, `react-dom` "
         "never fire against `pytest`/`eslint`/`django`/`react`, while `axios-http`, `twilio-npm`, "
         "`python3-dateutil`, `jquery.js` do.",
         defers_to=frozenset({C.VERSION_SUFFIX})),
    Rule(C.SIMPLIFICATION, 0.75, "cat_simplification", _find_simplification,
         "The suspect is the target minus leading/trailing terms: the dropped terms are strong fillers (`smb` "
         "-> `pysmb`, `dateutil` -> `python-dateutil`), or the suspect keeps the target's first >= 2 tokens "
         "(>= 6 characters, >= 40% of the target) and neither its first nor its last part is a common family "
         "root (`apidev-coop` -> `apidev-coop_cms`, but not `django-cors` -> `django-cors-headers`).",
         defers_to=frozenset({C.VERSION_SUFFIX})),
    Rule(C.SEMANTIC_SUBSTITUTION, 0.8, "cat_substitution", _find_semantic,
         "One or two tokens replaced by curated synonyms (js/javascript, py/python, notify/notification ...); "
         "with `token_similarity` (e.g. embedding cosine) also one aligned token pair scoring >= "
         "SEMANTIC_THRESHOLD, the other tokens identical; or a reordering that needed synonyms (unless an "
         "affix explains the pair).",
         defers_to=frozenset({C.ALTERNATE_SPELLING, C.GRAMMATICAL_SUBSTITUTION})),
    Rule(C.ASEMANTIC_SUBSTITUTION, 0.7, "cat_substitution", _find_asemantic,
         "Strict: the only difference is one generic technical term swapped for another (`discord.js` -> "
         "`discord.dll`, `pycurl` -> `libcurl`), the shared part >= 4 characters and not a common family "
         "root, and the two terms are not synonyms.",
         defers_to=frozenset({C.HOMOGLYPH, C.ALTERNATE_SPELLING, C.GRAMMATICAL_SUBSTITUTION, C.HOMOPHONIC,
                              C.VERSION_SUFFIX, C.TYPO, C.REORDERING, C.AFFIX, C.SIMPLIFICATION,
                              C.SEMANTIC_SUBSTITUTION})),
    Rule(C.DELIMITER, 0.95, "cat_delimiter", _find_delimiter,
         "Same flat form, different separators (PyPI compares PEP 503 forms, where `-`/`_`/`.` are the same "
         "name and never a confusion): then the only finding. Also reported beside a character-level or "
         "word-form finding when the separators differ too (`k0a_multer` -> `koa-multer`).",
         respelling=True, sibling=True,
         needs=frozenset({C.TYPO, C.HOMOGLYPH, C.HOMOPHONIC, C.ALTERNATE_SPELLING, C.GRAMMATICAL_SUBSTITUTION})),
    Rule(C.SCOPE, 0.92, "cat_scope", None,
         "Namespace confusion per registry (see `_scope`): npm unscoped copy of a scoped package (scope "
         "dropped or folded into the name), scope look-alike with the same/similar name; Maven groupId "
         "look-alike (TLD swap, one label typo'd) or the same artifactId under an unrelated groupId; Go owner "
         "look-alike or the same owner/repo on another host; HF author look-alike.",
         tail=True),
)
RULE: dict[Category, Rule] = {r.category: r for r in RULES}
_CHAR_LEVEL = frozenset(r.category for r in RULES if r.character_level)


def _leaf(eco: Ecosystem, a: _Name, b: _Name, sim: TokenSimilarity | None) -> dict[Category, str]:
    """The leaf findings: every row of RULES in order, each unless one it defers to fired (or one it needs did
    not); the fallbacks only when nothing fired."""
    if not a.flat or not b.flat:
        return {}
    if a.flat == b.flat:
        return {C.DELIMITER: f"same words as '{b.low}' with different separators"} if a.low != b.low else {}
    x = _Pair(eco, a, b, sim)
    if x.unrelated:
        return {}
    found = x.found
    for r in RULES:
        if r.detect is None or (r.defers_to and not r.defers_to.isdisjoint(found)):
            continue
        if r.needs and r.needs.isdisjoint(found):
            continue
        hit = r.detect(x)
        if hit:
            found[r.category] = hit
    if not found:
        for r in RULES:
            hit = r.fallback(x) if r.fallback else None
            if hit:
                found[r.category] = hit
                break
    return found


# --------------------------------------------------------------------------------------------------
# namespaces

def _word_lookalike(x: str, y: str, allow_two: bool) -> str | None:
    """Is namespace word `x` a look-alike of `y`? Returns words or None."""
    fx, fy = "".join(chunks(x)), "".join(chunks(y))
    if not fx or not fy:
        return None
    if fx == fy:
        return f"'{x}' differs from '{y}' only in separators"
    if not x.isascii():
        sk = "".join(chunks(skeleton(x)))
        if sk == fy:
            return f"'{x}' uses Unicode look-alikes of '{y}'"
    d = OSA.distance(fx, fy, score_cutoff=3)
    if d == 1 and min(len(fx), len(fy)) >= 3:
        return f"'{x}' is one typo away from '{y}' ({_describe_edit(fx, fy)})"
    hg = _homoglyph_ascii(fx, fy)
    if hg:
        return f"'{x}' uses look-alike characters of '{y}' ({hg})"
    if d == 2 and allow_two and min(len(fx), len(fy)) >= 6:
        return f"'{x}' is two edits away from '{y}'"
    if len(fy) >= 3 and len(fx) > len(fy) and (fx.startswith(fy) or fx.endswith(fy)):
        rest = fx[len(fy) :] if fx.startswith(fy) else fx[: len(fx) - len(fy)]
        if len(rest) <= 3 or _weak(rest):
            return f"'{x}' adds '{rest}' to '{y}'"
    return None


#: Last labels of a host that say nothing about its owner.
_TLD_WORDS = frozenset({"org", "com", "net", "io", "dev", "in", "cc", "co", "me", "app", "sh", "tools"})


def _vanity_words(ns: str) -> list[str]:
    """The words of a vanity module namespace: `golang.org/x` -> [golang, x], `go.uber.org` -> [go, uber]."""
    host, _, path = ns.partition("/")
    labels = host.split(".")
    words = [w for w in labels[:-1] if w and w not in _TLD_WORDS] + [w for w in path.split("/") if w]
    return words


def _spells(owner: str, words: list[str]) -> str | None:
    """`owner` is written with the vanity namespace's words, in order or reversed, possibly one typo off
    (`golangx`, `golang-x`, `xgolang`, `gouber`), using its most distinctive word and more than it; else None."""
    fo = "".join(chunks(owner))
    if not words or len(fo) < 4:
        return None
    main = max(words, key=len)
    if len(main) < 4 or fo == main:
        return None  # the account named like the domain is where its vanity paths usually point (`github.com/mvdan`)
    spellings: set[str] = set()
    for i in range(len(words)):
        for j in range(i + 1, len(words) + 1):
            run = words[i:j]
            if main in run:
                spellings.update({"".join(run), "".join(reversed(run))})
    for sp in sorted(spellings, key=len, reverse=True):
        if fo == sp:
            return f"its words {', '.join(words)}"
        if len(sp) >= 6 and OSA.distance(fo, sp, score_cutoff=1) == 1:
            return f"one typo from '{sp}'"
    return None


def _ns_lookalike(eco: Ecosystem, x: str, y: str, leaf_equal: bool) -> str | None:
    if eco is Ecosystem.MAVEN:
        lx, ly = x.split("."), y.split(".")
        if len(lx) == len(ly):
            diff = [(u, v) for u, v in zip(lx, ly, strict=True) if u != v]
            if len(diff) == 1:
                u, v = diff[0]
                if lx[0] != ly[0] and len(u) <= 3 and len(v) <= 3:
                    return f"groupId '{x}' swaps the top-level label '{v}' for '{u}' in '{y}'"
                w = _word_lookalike(u, v, leaf_equal)
                if w:
                    return f"groupId '{x}' imitates '{y}': {w}"
        if OSA.distance(x, y, score_cutoff=3) <= (2 if leaf_equal and len(y) >= 8 else 1):
            return f"groupId '{x}' is a near copy of '{y}'"
        return None
    if eco is Ecosystem.GOLANG:
        hx, _, ox = x.partition("/")
        hy, _, oy = y.partition("/")
        if ox and ox == oy and hx != hy:
            return f"same owner '{oy}' on {hx} instead of {hy}"
        if hx == hy and ox and oy:
            w = _word_lookalike(ox, oy, leaf_equal)
            if w:
                return f"owner {w}"
        if leaf_equal and ox and "/" not in ox and hx in names.GO_CODE_HOSTS and hy not in names.GO_CODE_HOSTS:
            spelt = _spells(ox, _vanity_words(y))
            if spelt:
                return f"owner '{ox}' on {hx} spells the vanity path {y} ({spelt})"
        return None
    w = _word_lookalike(x, y, leaf_equal)
    if w is None:
        return None
    return f"scope {w}" if eco is Ecosystem.NPM else f"author {w}"


def namespace_imitation(suspect: PackageId, target: PackageId) -> str | None:
    """How `suspect`'s namespace imitates `target`'s (a look-alike scope, groupId, owner or author), or None.

    None also when either has no namespace or both have the same one."""
    (_, sns, raw_a), (_, tns, raw_b) = _info(suspect), _info(target)
    if not sns or not tns or sns == tns or suspect.ecosystem is not target.ecosystem:
        return None
    return _ns_lookalike(suspect.ecosystem, sns, tns, _name(raw_a).flat == _name(raw_b).flat)


def _specific(n: _Name) -> bool:
    return len(n.toks) >= 2 or len(n.flat) >= 8


#: An artifactId used as a name root by fewer registry names than this (per word kind) names one project.
DISTINCT_FAMILY_WORD, DISTINCT_FAMILY_OTHER = 20, 100


def _distinctive_artifact(n: _Name) -> bool:
    """The artifactId names one project (`guava`, `gson`, `junit`), not a common word every publisher uses
    (`annotations`, `core`, `parent`, `json`): measured by how many registry names use it as a root."""
    if len(n.flat) < 4:
        return False
    if _specific(n):
        return True
    cap = DISTINCT_FAMILY_WORD if lexicon.is_english(n.flat) else DISTINCT_FAMILY_OTHER
    return lexicon.family_size(Ecosystem.MAVEN, n.flat) < cap


def _scope(
    eco: Ecosystem, sp: PackageId, tp: PackageId, a: _Name, b: _Name, leaf: dict[Category, str]
) -> dict[Category, str]:
    sns, tns = _info(sp)[1], _info(tp)[1]
    out: dict[Category, str] = {}
    leaf_equal = a.flat == b.flat
    char_only = {k: v for k, v in leaf.items() if k in _CHAR_LEVEL}
    if sns and tns:
        look = _ns_lookalike(eco, sns, tns, leaf_equal)
        n = min(len(a.toks), len(b.toks))
        related = n > 0 and (a.toks[:n] == b.toks[:n] or a.toks[-n:] == b.toks[-n:])
        if look and (leaf_equal or leaf or related):
            out[C.SCOPE] = look + ("" if leaf_equal else f", and name '{a.low}' for '{b.low}'")
            out.update(leaf)
            return out
        if eco is Ecosystem.MAVEN and a.low == b.low and len(b.flat) >= 5 and _specific(b):
            out[C.SCOPE] = f"publishes artifactId '{b.low}' under the unrelated groupId '{sns}' instead of '{tns}'"
            return out
        if eco is Ecosystem.MAVEN and _distinctive_artifact(b) and personal(sp):
            if a.flat == b.flat:
                out[C.SCOPE] = f"publishes artifactId '{b.low}' under the personal groupId '{sns}' instead of '{tns}'"
                return out
            if C.TYPO in char_only or C.HOMOGLYPH in char_only:
                out[C.SCOPE] = f"publishes '{a.low}', a look-alike of artifactId '{b.low}', under the personal groupId '{sns}'"
                out.update(char_only)
                return out
        # npm scopes are cheap user names: a leaf typo under an unrelated scope is ordinary naming
        return {} if eco is Ecosystem.NPM else char_only
    if tns and not sns:
        if eco is Ecosystem.HUGGINGFACE:
            return char_only  # legacy ids without author are redirects, not copies
        folded = {"".join(chunks(tns)) + b.flat, b.flat + "".join(chunks(tns))}
        if a.flat in folded:  # `types-node` for `@types/node` too
            out[C.SCOPE] = f"folds the scope @{tns} into the name"
            return out
        if tns in lexicon.term_set("mirror_scopes"):
            return {}  # `node` is the package `@types/node` describes, not a copy of it
        if leaf_equal and _specific(b):
            out[C.SCOPE] = f"drops the scope @{tns} from '@{tns}/{b.low}'"
            if C.DELIMITER in leaf:
                out.update(leaf)
            return out
        # a scope drop stacked on a version or look-alike change (`core-client-1` -> `@azure/core-client`);
        # a plain typo of another scope's name is too common to report
        strong = {k: v for k, v in leaf.items() if k in (C.VERSION_SUFFIX, C.HOMOGLYPH)}
        if strong and _specific(b):
            out[C.SCOPE] = f"drops the scope @{tns} and changes the name"
            out.update(leaf)
            return out
        # a plain typo of a scoped package's bare name (`iclipboard` ~ `@lexical/clipboard`) imitates
        # nothing anyone installs: users type the scope
        return {} if eco is Ecosystem.NPM else char_only
    if sns and not tns:
        if "".join(chunks(sns)) + a.flat == b.flat:
            out[C.SCOPE] = f"splits '{b.low}' into the scope @{sns} and a name"
            return out
        return {}
    return leaf


# --------------------------------------------------------------------------------------------------
# public

#: What a same-publisher look-alike is reported for: names that read as the same name.
_SIBLING_CATEGORIES = tuple(r.category for r in RULES if r.sibling)


def sibling(suspect: PackageId, target: PackageId) -> tuple[Finding, ...]:
    """How `suspect` resembles `target` when both sit in one owned namespace (`@types/nodee` ~ `@types/node`,
    `github.com/stretchr/testfy` ~ `github.com/stretchr/testify`): the typo, look-alike or separator
    findings of the names, or () when they do not look alike or are not the same publisher's.
    `classify` returns () for these pairs: only the owner can publish there, so they are never squats."""
    if not same_publisher(suspect, target):
        return ()
    (skey, _, raw_a), (tkey, _, raw_b) = _info(suspect), _info(target)
    if skey == tkey or not raw_a.isascii():
        return ()
    leaf = _leaf(suspect.ecosystem, _name(raw_a), _name(raw_b), None)
    return tuple(Finding(c, leaf[c]) for c in _SIBLING_CATEGORIES if c in leaf)



def classify(
    suspect: PackageId, target: PackageId, *, token_similarity: TokenSimilarity | None = None
) -> tuple[Finding, ...]:
    """The confusion categories that explain `suspect` imitating `target`, strongest first.

    Both ids come from `names.parse` on the same registry. Returns () when the pair is not a
    confusion: different registries, the same package (`names.key` equal), the same publisher
    (same npm scope / Maven groupId root / Go host+owner / HF author), or no rule fires.
    `token_similarity(a, b)` (e.g. embedding cosine of two tokens, in [-1, 1]) lets SEMANTIC_SUBSTITUTION
    accept related words beyond the curated synonym groups (threshold SEMANTIC_THRESHOLD).
    """
    eco = suspect.ecosystem
    if eco is not target.ecosystem:
        return ()
    skey, sns, raw_a = _info(suspect)
    tkey, tns, raw_b = _info(target)
    if skey == tkey:
        return ()
    if sns and tns and same_publisher(suspect, target):
        return ()
    findings: dict[Category, str] = {}
    uni = None
    if not raw_a.isascii():
        sk = skeleton(raw_a)
        odd = sorted({ch for ch in raw_a if ord(ch) > 127})
        names_ = ", ".join(f"'{ch}' ({unicodedata.name(ch, 'U+%04X' % ord(ch)).lower()})" for ch in odd[:3])
        uni = f"uses non-ASCII look-alike characters {names_}"
        raw_a = sk
    a, b = _name(raw_a), _name(raw_b)
    leaf = _leaf(eco, a, b, token_similarity)
    if uni:
        if a.flat == b.flat:
            leaf.pop(C.DELIMITER, None)
            leaf = {C.HOMOGLYPH: uni + f" to imitate '{b.low}'", **leaf}
        elif leaf:
            leaf = {C.HOMOGLYPH: uni, **{k: v for k, v in leaf.items() if k is not C.HOMOGLYPH}}
    if sns or tns:
        if uni and a.flat == b.flat and sns == tns:
            findings = leaf
        else:
            findings = _scope(eco, suspect, target, a, b, leaf)
    else:
        findings = leaf
    return tuple(Finding(c, d) for c, d in findings.items())
