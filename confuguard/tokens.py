"""Tokenisation, word segmentation and token statistics for package names.

A name is cut in three steps:

1. `chunks`: split on every non-alphanumeric character (`-`, `_`, `.`, `~`, `/`, `:`, `@`...),
   on letter/digit boundaries (`react-dom18` -> react, dom, 18) and on camelCase boundaries
   (`DiscordSafety` -> discord, safety) unless the glued lowercase chunk is itself a known
   package token (`MySQL` stays `mysql`, `JSONStream` -> json, stream).
2. `segment`: every alphabetic chunk that is not a frequent package token is word-segmented
   (`pythonkafka` -> python, kafka; `libhtml5` -> lib, html, 5) by a unigram dynamic programme
   over the lexicon (package-name tokens counted on PyPI + npm, plus English words; see
   `confuguard.lexicon` and `data/README.md`, section Lexicon). A chunk stays whole unless a
   split is clearly more probable, so unknown words are not shredded into fragments.
3. everything is lowercased.

All functions are pure and cached; nothing here compiles a regex or loads data per call.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

from confuguard import lexicon

__all__ = ["chunks", "core", "flat", "segment", "tokenize", "token_count", "is_word", "DELIMITERS"]

#: Characters treated as separators inside a name component.
DELIMITERS = frozenset("-_.~ ")

_NON_ALNUM = re.compile(r"[^0-9A-Za-z\u00C0-\uFFFF]+")
_ALNUM_RUN = re.compile(r"[0-9]+|[^\W\d_]+")
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[^\W\d_]+")

#: Longest piece the segmenter will consider (longer glued words are kept whole).
_MAX_PIECE = 20
#: Chunks shorter than this are never segmented.
_MIN_SEGMENT = 5


def raw_chunks(name: str) -> tuple[str, ...]:
    """Split on delimiters, digit and camelCase boundaries, without any lexicon (lowercased).

    This is the splitter the lexicon build script counts tokens with.
    """
    out: list[str] = []
    for part in _NON_ALNUM.split(name):
        if not part:
            continue
        for run in _ALNUM_RUN.findall(part):
            if run.isdigit() or run.islower() or run.isupper():
                out.append(run.lower())
            else:
                out.extend(p.lower() for p in _CAMEL.findall(run))
    return tuple(out)


@lru_cache(maxsize=65536)
def chunks(name: str) -> tuple[str, ...]:
    """Split on delimiters, digit boundaries and camelCase (kept whole when the glued form is a known token)."""
    out: list[str] = []
    for part in _NON_ALNUM.split(name):
        if not part:
            continue
        for run in _ALNUM_RUN.findall(part):
            low = run.lower()
            if run.isdigit() or run.islower() or run.isupper() or lexicon.token_count(low) >= 20:
                out.append(low)
            else:
                out.extend(p.lower() for p in _CAMEL.findall(run))
    return tuple(out)


def flat(name: str) -> str:
    """The name lowercased with every non-alphanumeric character removed."""
    return "".join(chunks(name))


def token_count(token: str) -> int:
    """How many PyPI + npm names contain `token` as a whole chunk (0 when unknown or rare)."""
    return lexicon.token_count(token)


def is_word(token: str) -> bool:
    """True when `token` is an English word (Debian's American word list, filtered) or a frequent package token."""
    return lexicon.is_english(token) or lexicon.token_count(token) >= 20


def _piece_cost(piece: str) -> float:
    """Negative log-probability of a piece under the unigram model; inf when not allowed as a piece.

    Allowed pieces: known tokens/words of >= 3 letters, and the curated 2-letter tokens (`py`, `js`,
    `db`...). Each piece also pays a fixed penalty so that fewer, longer pieces win.
    """
    n = len(piece)
    if n < 2 or (n == 2 and piece not in lexicon.term_set("short_tokens")):
        return math.inf
    c = lexicon.token_count(piece)
    if n >= 3 and lexicon.is_english(piece):
        c = max(c, 8)
    if c < 3:
        return math.inf
    return lexicon.log_total() - math.log(c) + 2.0


def _whole_cost(chunk: str) -> float:
    c = lexicon.token_count(chunk)
    if lexicon.is_english(chunk):
        c = max(c, 8)
    if c >= 3:
        return lexicon.log_total() - math.log(c)
    # an unknown word: as likely as a split into two rare pieces, more expensive when long
    return lexicon.log_total() + 1.2 * len(chunk)


@lru_cache(maxsize=65536)
def segment(chunk: str) -> tuple[str, ...]:
    """Word-segment one lowercase alphabetic chunk (`pythonkafka` -> `('python', 'kafka')`).

    Digit chunks and short chunks are returned whole. The whole chunk wins when it is a frequent
    token, when it cannot be covered by allowed pieces, or when no split is more probable.
    """
    n = len(chunk)
    if n < _MIN_SEGMENT or not chunk.isalpha() or lexicon.token_count(chunk) >= 100:
        return (chunk,)
    best = [0.0] + [math.inf] * n
    back = [0] * (n + 1)
    for i in range(2, n + 1):
        for j in range(max(0, i - _MAX_PIECE), i - 1):
            if best[j] == math.inf:
                continue
            c = best[j] + _piece_cost(chunk[j:i])
            if c < best[i]:
                best[i] = c
                back[i] = j
    if best[n] == math.inf or best[n] >= _whole_cost(chunk):
        return (chunk,)
    pieces: list[str] = []
    i = n
    while i > 0:
        j = back[i]
        pieces.append(chunk[j:i])
        i = j
    pieces.reverse()
    return tuple(pieces)


@lru_cache(maxsize=65536)
def tokenize(name: str) -> tuple[str, ...]:
    """Tokens of a name: delimiter/camelCase/digit split, then word segmentation; lowercase.

    >>> tokenize("pythonkafka")
    ('python', 'kafka')
    >>> tokenize("react-dom18")
    ('react', 'dom', '18')
    """
    out: list[str] = []
    for c in chunks(name):
        if c.isdigit():
            out.append(c)
        else:
            out.extend(segment(c))
    return tuple(out)


#: Glued prefixes/suffixes that only say which ecosystem a name belongs to (`pycurl`, `libcurl`, `chartjs`).
_GLUED_PREFIXES = ("python", "py", "lib", "node")
_GLUED_SUFFIXES = ("py", "js", "lib")
#: A core shorter than this is not stripped further (`numpy` keeps its `py`).
_MIN_CORE = 4


def _marker(tok: str) -> bool:
    return (
        tok in lexicon.term_set("filler_strong")
        or tok in ("lib", "libs")
        or tok.isdigit()
        or (len(tok) >= 2 and tok[0] == "v" and tok[1:].isdigit())
    )


@lru_cache(maxsize=65536)
def core(name: str) -> str:
    """The name without the ecosystem markers around it, flat: what two spellings of one project share.

    Strips marker tokens at both ends (strong fillers such as `python`, `js`, `node`, plus `lib`
    and version numbers), then one glued marker prefix/suffix, never below 4 characters.

    >>> core("pycurl"), core("libcurl"), core("opencv-python"), core("numpy")
    ('curl', 'curl', 'opencv', 'numpy')
    """
    toks = list(tokenize(name))
    if not toks:
        return ""  # no letter or digit at all (`_`)
    while len(toks) > 1 and _marker(toks[0]) and len("".join(toks[1:])) >= _MIN_CORE:
        toks.pop(0)
    while len(toks) > 1 and _marker(toks[-1]) and len("".join(toks[:-1])) >= _MIN_CORE:
        toks.pop()
    first, last = toks[0], toks[-1]
    for p in _GLUED_PREFIXES:
        if first.startswith(p):
            if len(first) - len(p) >= _MIN_CORE:
                toks[0] = first = first[len(p):]
            break
    for x in _GLUED_SUFFIXES:
        if last.endswith(x):
            if len(toks[-1]) - len(x) >= _MIN_CORE:
                toks[-1] = toks[-1][: -len(x)]
            break
    return "".join(toks)
