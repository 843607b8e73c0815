"""Candidate generation: which popular targets could a name imitate?

Each generator is bounded (C-level scans with score cutoffs, hash lookups, bisection, a
FAISS top-k), so a lookup never loops over every target in Python. Generators, and the
`found_by` tag each one puts on its candidates:

* `edit`: optimal-string-alignment distance <= 2 between the comparison keys without separators
  (rapidfuzz with a cutoff): one or two Damerau-Levenshtein steps, also when separators changed
  too (`bitcionjslib` ~ `bitcoinjs-lib`, `mogobd` ~ `mongodb`).
* `leaf` / `namespace`: the same on the name part (artifactId, Go repo, HF model, npm bare
  name) and on the namespace (scope, groupId, Go owner, HF author), so namespaced names get
  every rule, not only the scope rule.
* `form`: equal keys once delimiters are removed and look-alike characters folded
  (delimiter changes, homoglyphs, scope glued into the name: `cicada-render` ~ `@cicada/render`).
* `affix`: a contiguous run of the suspect's tokens is a whole target name (`python3-dateutil`
  contains `dateutil`), or the suspect is a prefix/suffix of a target (simplification).
* `core`: the name, its core (ecosystem markers such as `py`, `lib`, `-python`, `.js` removed,
  `confuguard.tokens.core`) or a run of its words is within one edit of a target's key or core
  (`libcurl` ~ `pycurl`, `openvc` ~ `opencv-python`, `matplatlib-plus` ~ `matplotlib`); found by
  hash lookups of one-letter deletions, so typos stacked on affixes are bounded too.
* `token`: targets sharing a rare word or any two words, kept when the pair can be a word-level
  confusion: one name holds all the other's words (`python-mysqldb` ~ `mysql-python`), or both have
  as many words with at most two swapped (`websocket-client` ~ `websocket-ts`). A target that shares
  one word of many is no confusion any rule reports, and classifying it costs as much as a real one.
* `embedding`: nearest target names in the FAISS index of name embeddings (the mean of the
  names' MiniLM word vectors, `models/wordvec.py`); used for names of two or more known words, where
  token-level and semantic substitutions live (typos are left to `edit`; one known word is found
  by the word generators).
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from confuguard import lexicon, names, postings
from confuguard.corpus import Corpus, Target
from confuguard.models import embedder, wordvec
from confuguard.models.index import Embeddings
from confuguard.models.wordvec import words_of
from confuguard.paths import cache_dir
from confuguard.postings import Postings, pack, unpack
from confuguard.tokens import core, tokenize
from confuguard.types import Ecosystem, PackageId

MAX_EDIT = 2
EMBED_K = 10
EMBED_MIN_SIM = 0.80
#: Tokens carried by more targets than this are family roots (`python`, `eslint`, `django`):
#: sharing one says nothing, so they do not propose candidates on their own.
TOKEN_DF_CAP = 40
#: Targets of at most this many words are also indexed by each pair of their words.
PAIR_MAX_WORDS = 6
#: A word-level substitution swaps at most this many words (more is another name).
MAX_SWAPS = 2
#: Synonyms of a suspect word looked up when counting the words a target shares with it.
SYNONYM_LIMIT = 8
AFFIX_PREFIX_LIMIT = 8
#: Scopes whose look-alike scopes are remembered (a lockfile names a few hundred scopes, over and over).
SCOPE_MEMO = 4096
#: Bare names at least this long are matched within one edit by the `leaf` generator, at most this many.
LEAF_EDIT_MIN = 4
LEAF_NEAR_LIMIT = 50
#: Forms at least this long are matched within one edit by the `core` generator (shorter: exactly).
CORE_EDIT_MIN = 5
CORE_EXACT_MIN = 4
#: Names of more words than this only try their word runs up to this length.
CORE_MAX_WORDS = 8
#: Words of a suspect's name the word generators (affix, token, namespace) look at: the first
#: ones, so the work per name does not grow with its length (real names have at most ~15 words).
MAX_WORDS = 32
_SQUASH = re.compile(r"[^a-z0-9]+")
_FOLD = str.maketrans({"0": "o", "1": "l", "i": "l", "|": "l", "5": "s", "3": "e", "4": "a", "7": "t", "8": "b"})
_MULTI = (("rn", "m"), ("vv", "w"), ("cl", "d"), ("nn", "m"))
_NAMESPACED = (Ecosystem.MAVEN, Ecosystem.GOLANG, Ecosystem.HUGGINGFACE, Ecosystem.NPM)


def squash(text: str) -> str:
    """Lowercase with every non-alphanumeric character removed."""
    return _SQUASH.sub("", text.lower())


def fold(text: str) -> str:
    """`squash` plus look-alike folding (`1`/`i` -> `l`, `0` -> `o`, `rn` -> `m`...)."""
    s = squash(text).translate(_FOLD)
    for a, b in _MULTI:
        s = s.replace(a, b)
    return s


def _one_deletion(form: str) -> set[str]:
    """`form` and every string one letter shorter (the deletion neighbourhood of a lookup key)."""
    if len(form) < CORE_EXACT_MIN:
        return set()
    return {form} if len(form) < CORE_EDIT_MIN else _deletions(form)


def _deletions(text: str) -> set[str]:
    """`text` and every string one character shorter."""
    return {text} | {text[:i] + text[i + 1 :] for i in range(len(text))}


def _known_words(text: str, emb: Embeddings) -> int:
    """How many distinct words of `text` the word table holds: a name vector of one known word is
    that word's vector, whose neighbours the token and affix generators already find by the word."""
    row = emb.words.row
    return sum(1 for w in set(words_of(text)) if w in row)


def token_sequences(text: str) -> set[tuple[str, ...]]:
    """Readings of a suspect's name: the cheap split, and word segmentation of glued words (`pythonkafka`).

    Each reading keeps its first `MAX_WORDS` words.
    """
    return {words_of(text)[:MAX_WORDS], tokenize(text)[:MAX_WORDS]}


@dataclass
class Proposals:
    """Target positions proposed for one suspect, with the generators that found each.

    `probes` counts the lookups made (hash probes, edit scans, one-deletion keys): a measure
    of the work spent on the name that depends on its shape only within fixed bounds.
    """

    found_by: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    probes: int = 0

    def add(self, pos: int, how: str) -> None:
        """Record that generator `how` proposed target `pos`."""
        self.found_by[pos].add(how)


def _leaf_form(t: Target) -> str:
    """The folded bare name of a scoped npm target ('' for others): `cicada-render` ~ `@cicada/render`."""
    return fold(t.leaf) if t.namespace and t.package.ecosystem is Ecosystem.NPM else ""


def _versionish(tok: str) -> bool:
    return tok.isdigit() or tok == "v" or (tok[:1] == "v" and tok[1:].isdigit())


#: What the cached tables are derived by: a change to any of these rebuilds them.
_TABLE_SOURCES = (
    Path(__file__), Path(__file__).with_name("tokens.py"), Path(__file__).with_name("lexicon.py"),
    Path(wordvec.__file__), Path(embedder.__file__),
)


@lru_cache(maxsize=1)
def _derivation_digest() -> str:
    h = hashlib.sha256()
    for f in (*_TABLE_SOURCES, *sorted(lexicon.lexicon_dir().iterdir())):
        if f.is_file():
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def _tables_file(corpus: Corpus) -> Path | None:
    if not corpus.digest:
        return None  # an in-memory corpus (tests, refreshed lists before saving): nothing to key on
    return cache_dir() / "generator" / f"{corpus.label}-{corpus.digest[:20]}-{_derivation_digest()[:16]}.npz"


def _save_tables(path: Path, tables: _Tables) -> None:
    """Cache `tables` at `path` and drop the registry's stale tables (older lists, older code)."""
    postings.save(path, tables.arrays())
    label = path.name.rsplit("-", 2)[0]  # `huggingface`, `huggingface-datasets`
    for old in path.parent.glob(f"{label}-*.npz"):
        if old != path and old.name.rsplit("-", 2)[0] == label:
            old.unlink(missing_ok=True)


def prepare_tables(corpus: Corpus, *, force: bool = False) -> Path | None:
    """Build and cache the lookup tables of `corpus` unless fresh ones are cached (always when `force`)."""
    path = _tables_file(corpus)
    if path is not None and (force or postings.load(path) is None):
        _save_tables(path, _Tables.build(corpus))
    return path


@dataclass
class _Tables:
    """The generator's lookup tables over one target list."""

    squashed: list[str]
    forms: Postings  # folded key -> targets
    leaf_forms: Postings  # folded bare name of a scoped npm target -> targets
    by_leaf: Postings
    by_ns: Postings
    by_token: Postings
    by_pair: Postings  # key: the two words joined by a space
    near: Postings
    leaf_near: Postings  # a bare name and its one-letter deletions -> targets
    aliases: list[str]  # per target: its squashed key and core, space-joined ('' for namespaced targets)
    word_counts: list[int]  # per target: the number of distinct words the token tables read in it
    sorted_keys: list[str]
    sorted_pos: list[int]
    rsorted_keys: list[str]
    rsorted_pos: list[int]

    _MAPS = ("forms", "leaf_forms", "by_leaf", "by_ns", "by_token", "by_pair", "near", "leaf_near")
    _LISTS = ("squashed", "aliases", "sorted_keys", "rsorted_keys")

    @classmethod
    def build(cls, corpus: Corpus) -> _Tables:
        """Derive every table from the target names."""
        ts = corpus.targets
        squashed = [squash(t.key) for t in ts]
        maps: dict[str, dict[str, list[int]]] = {m: defaultdict(list) for m in cls._MAPS}
        word_counts: list[int] = []
        for pos, t in enumerate(ts):
            if form := fold(t.key):
                maps["forms"][form].append(pos)
            if form := _leaf_form(t):
                maps["leaf_forms"][form].append(pos)
            maps["by_leaf"][squash(t.leaf)].append(pos)
            for form in _deletions(t.leaf):
                maps["leaf_near"][form].append(pos)
            if t.namespace:
                maps["by_ns"][t.namespace].append(pos)
            words = sorted(set(words_of(t.leaf if t.namespace and corpus.ecosystem is not Ecosystem.NPM else t.key)))
            word_counts.append(len(words))
            for tok in words:
                maps["by_token"][tok].append(pos)
            if len(words) <= PAIR_MAX_WORDS:
                for a, b in itertools.combinations(words, 2):
                    maps["by_pair"][f"{a} {b}"].append(pos)
        aliases = [""] * len(ts)
        own = set(squashed)
        for pos, t in enumerate(ts):
            if t.namespace:
                continue
            c = core(t.key)
            # a core that is itself a target's name belongs to that target (`lodash-node` -> `lodash`)
            forms = (squashed[pos],) if c in own else tuple(sorted({squashed[pos], c}))
            aliases[pos] = " ".join(forms)
            for form in {d for f in forms for d in _one_deletion(f)}:
                maps["near"][form].append(pos)
        fwd = sorted((k, i) for i, k in enumerate(squashed))
        rev = sorted((k[::-1], i) for i, k in enumerate(squashed))
        p = {m: Postings.of(maps[m]) for m in cls._MAPS}
        return cls(
            squashed, p["forms"], p["leaf_forms"], p["by_leaf"], p["by_ns"], p["by_token"], p["by_pair"], p["near"],
            p["leaf_near"], aliases, word_counts, [k for k, _ in fwd], [i for _, i in fwd], [k for k, _ in rev],
            [i for _, i in rev],
        )

    def arrays(self) -> dict[str, np.ndarray]:
        """The tables as named arrays for `postings.save`."""
        out: dict[str, np.ndarray] = {}
        for m in self._MAPS:
            out.update(getattr(self, m).arrays(m))
        for name in self._LISTS:
            out[name] = pack(getattr(self, name))
        out["sorted_pos"] = np.asarray(self.sorted_pos, dtype=np.int32)
        out["word_counts"] = np.asarray(self.word_counts, dtype=np.int32)
        out["rsorted_pos"] = np.asarray(self.rsorted_pos, dtype=np.int32)
        return out

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], n: int) -> _Tables:
        """Tables of `n` targets from `arrays`; KeyError/ValueError when they do not fit."""
        lists = {name: unpack(arrays[name], n) for name in cls._LISTS}
        maps = {m: Postings.from_arrays(arrays, m) for m in cls._MAPS}
        sorted_pos, rsorted_pos = arrays["sorted_pos"].tolist(), arrays["rsorted_pos"].tolist()
        word_counts = arrays["word_counts"].tolist()
        if len(sorted_pos) != n or len(rsorted_pos) != n or len(word_counts) != n:
            raise ValueError("cached tables hold another number of targets")
        return cls(lists["squashed"], **maps, aliases=lists["aliases"], word_counts=word_counts, sorted_keys=lists["sorted_keys"],
                   sorted_pos=sorted_pos, rsorted_keys=lists["rsorted_keys"], rsorted_pos=rsorted_pos)


class _Everything:
    """The set of all namespaces."""

    def __contains__(self, item: object) -> bool:
        return True


_EVERYTHING = _Everything()


class CandidateGenerator:
    """Bounded candidate search over one registry's targets.

    Its lookup tables are cached in the cache dir (`postings`), keyed by the target list and
    by the code and lexicon that derive them, so a cold start loads them instead of building.
    """

    def __init__(self, corpus: Corpus, embeddings: Callable[[], Embeddings] | None = None, *, cache: bool = True) -> None:
        self.corpus = corpus
        self._embeddings_factory = embeddings
        self._embeddings: Embeddings | None = None
        self.keys = [t.key for t in corpus.targets]
        self.leaves = [t.leaf for t in corpus.targets]
        path = _tables_file(corpus) if cache else None
        arrays = postings.load(path) if path is not None else None
        try:
            tables = _Tables.from_arrays(arrays, len(self.keys)) if arrays is not None else None
        except (KeyError, ValueError, IndexError):
            tables = None
        if tables is None:
            tables = _Tables.build(corpus)
            if path is not None:
                _save_tables(path, tables)
        self.squashed = tables.squashed
        """What the edit scan compares: keys without separators, so `bitcionjslib` meets `bitcoinjs-lib`."""
        self._forms, self._leaf_forms, self._by_ns = tables.forms, tables.leaf_forms, tables.by_ns
        self._by_leaf, self._leaf_near = tables.by_leaf, tables.leaf_near
        self._by_token, self._by_pair, self._near = tables.by_token, tables.by_pair, tables.near
        self.namespaces = self._by_ns.keys()
        self._aliases = tables.aliases
        self._word_counts = tables.word_counts
        self._has_aliases = any(tables.aliases)
        self._sorted, self._sorted_pos = tables.sorted_keys, tables.sorted_pos
        self._rsorted, self._rsorted_pos = tables.rsorted_keys, tables.rsorted_pos
        # Longest strings each table can match: longer probes are skipped without a lookup.
        self._max_key = max(map(len, self.squashed), default=0)
        # squashed keys ordered by length, so an edit scan reads only those of a near length
        key_order = sorted(range(len(self.squashed)), key=lambda pos: len(self.squashed[pos]))
        self._key_len_pos = key_order
        self._key_len_text = [self.squashed[pos] for pos in key_order]
        self._key_lens = [len(text) for text in self._key_len_text]
        self._max_form = max(map(len, (*self._forms.keys(), *self._leaf_forms.keys())), default=0)
        self._max_leaf = max(map(len, self.leaves), default=0)
        self._max_ns = max(map(len, self.namespaces), default=0)
        # squashed namespace -> namespaces, the squashed ones ordered by length, their lengths: built on first use
        self._flat_ns: tuple[dict[str, list[str]], list[str], list[int]] | None = None
        self._scopes_seen: dict[str, frozenset[str] | _Everything] = {}  # a bounded memo of `_lookalike_scopes`
        self._near_ns_seen: dict[tuple[str, int, int], list[str]] = {}  # a bounded memo of `_near_namespaces`
        # namespace positions ordered by length, their texts and lengths: built on first use
        self._ns_by_len: tuple[list[int], list[str], list[int]] | None = None
        self._max_alias = max((len(f) for a in self._aliases for f in a.split(" ")), default=0)

    @property
    def probe_bound(self) -> int:
        """The most `Proposals.probes` one `propose` call can make, whatever the name: the sum of the generators' caps."""
        runs = MAX_WORDS * (MAX_WORDS + 1) // 2
        core_runs = CORE_MAX_WORDS * (CORE_MAX_WORDS + 1) // 2
        words = 2 * MAX_WORDS
        return (
            1 + 4  # edit scan, form lookups
            + 2 + (self._max_leaf + 2) + 4 * MAX_WORDS  # namespace: leaf lookups, namespace scan, scope cuts
            + 4 * runs + 2  # affix: word runs of both readings in both form tables, prefix and suffix bisection
            + (2 + 2 * core_runs) * (self._max_alias + 2)  # core: one-deletion keys of each query
            + words * (1 + SYNONYM_LIMIT) + words * (words - 1) // 2  # token: words, their synonyms, word pairs
        )

    @property
    def embeddings(self) -> Embeddings | None:
        """Word vectors and FAISS index, loaded on first use (None when the generator has no embeddings)."""
        if self._embeddings is None and self._embeddings_factory is not None:
            self._embeddings = self._embeddings_factory()
        return self._embeddings

    def vector(self, pkg: PackageId) -> np.ndarray | None:
        """The suspect's name vector when the embedding generator applies (two or more words, one known)."""
        text = self._leaf_text(pkg)
        if self._embeddings_factory is None or len(words_of(text)) < 2:
            return None
        emb = self.embeddings
        return emb.vector(text) if emb is not None else None

    def _leaf_text(self, pkg: PackageId) -> str:
        if pkg.ecosystem in (Ecosystem.MAVEN, Ecosystem.GOLANG, Ecosystem.HUGGINGFACE):
            return names.leaf(pkg)
        return str(pkg)

    def propose(self, pkg: PackageId, vector: np.ndarray | None = None, *, near_keys: list[int] | None = None) -> Proposals:
        """All targets any generator proposes for `pkg`.

        `vector` is the suspect's name embedding (from `vector`); `near_keys` the
        positions within edit distance of the squashed key when already computed in bulk.
        """
        out = Proposals()
        key = names.key(pkg)
        leaf = names.leaf(pkg)
        ns = names.namespace(pkg)
        if near_keys is None:
            near_keys = self.near_keys(key)
            out.probes += 1
        for pos in near_keys:
            out.add(pos, "edit")
        for form in {fold(key), fold(leaf)} if ns and pkg.ecosystem is Ecosystem.NPM else {fold(key)}:
            out.probes += 2
            for pos in (*self._forms.get(form), *self._leaf_forms.get(form)):
                out.add(pos, "form")
        if ns or pkg.ecosystem is Ecosystem.NPM:
            self._namespace_proposals(pkg, leaf, ns, out)
        self._affix_proposals(pkg, out)
        if ns is None and self._has_aliases:
            self._core_proposals(pkg, out)
        self._token_proposals(pkg, out)
        emb = self._embeddings
        if vector is not None and emb is not None and _known_words(self._leaf_text(pkg), emb) >= 2:
            sims, ids = emb.index.search(vector.reshape(1, -1), EMBED_K)
            for sim, pos in zip(sims[0], ids[0]):
                if pos >= 0 and sim >= EMBED_MIN_SIM:
                    out.add(int(pos), "embedding")
        out.found_by.pop(-1, None)
        if ns and pkg.ecosystem is Ecosystem.NPM:
            self._keep_lookalike_scopes(ns, out)
        return out

    def _keep_lookalike_scopes(self, ns: str, out: Proposals) -> None:
        """Drop the scoped targets outside the look-alike scopes of a scoped npm suspect's scope `ns`.

        npm scopes are owned user names: `@videojs/core` imitates no `@x/core` unless `@x` looks like
        `@videojs`, and in its own scope it is a sibling; so the hundreds of same-leaf targets under
        unrelated scopes are never worth classifying."""
        for pos in [pos for pos in out.found_by if not self._meets_scope(ns, pos)]:
            del out.found_by[pos]

    def _meets_scope(self, ns: str, pos: int) -> bool:
        """Whether a suspect of npm scope `ns` can imitate target `pos`: unscoped, same scope or a look-alike one."""
        tns = self.corpus.targets[pos].namespace
        return tns is None or tns == ns or tns in self._lookalike_scopes(ns)

    def scannable(self, squashed_key: str) -> bool:
        """Whether a squashed key is short enough to be within `MAX_EDIT` steps of some target's."""
        return len(squashed_key) <= self._max_key + MAX_EDIT

    def near_keys(self, key: str) -> list[int]:
        """Positions of the targets whose squashed key is within `MAX_EDIT` OSA steps of `key`'s."""
        return self.near_keys_many([key])[0]

    def near_keys_many(self, keys: Sequence[str], workers: int = 1) -> list[list[int]]:
        """`near_keys` of each key, in bulk: one C-level scan per key length, over only the target
        keys whose length is within `MAX_EDIT` of it (no other can be that near)."""
        out: list[list[int]] = [[] for _ in keys]
        by_len: dict[int, list[int]] = defaultdict(list)
        for j, key in enumerate(keys):
            s = squash(key)
            if self.scannable(s):
                by_len[len(s)].append(j)
        squashed = [squash(k) for k in keys]
        for n, js in by_len.items():
            lo = bisect.bisect_left(self._key_lens, n - MAX_EDIT)
            hi = bisect.bisect_right(self._key_lens, n + MAX_EDIT)
            if lo == hi:
                continue
            matrix = process.cdist([squashed[j] for j in js], self._key_len_text[lo:hi], scorer=OSA.distance,
                                   score_cutoff=MAX_EDIT, dtype=np.uint8, workers=workers)
            for j, row in zip(js, matrix):
                out[j] = sorted(self._key_len_pos[lo + i] for i in np.flatnonzero(row <= MAX_EDIT).tolist())
        return out

    def _near_leaves(self, leaf: str, out: Proposals) -> list[int]:
        """The `LEAF_NEAR_LIMIT` targets whose bare name is nearest `leaf`, within one Levenshtein edit
        (ties: most popular first). Two strings one edit apart share the string or one of its one-letter
        deletions, so hash lookups of `leaf`'s deletions find every such target; the rest are dropped."""
        seen: set[int] = set()
        for form in _deletions(leaf):
            out.probes += 1
            seen.update(self._leaf_near.get(form))
        leaves = self.leaves
        near = sorted((d, pos) for pos in seen if (d := Levenshtein.distance(leaf, leaves[pos], score_cutoff=1)) <= 1)
        return [pos for _, pos in near[:LEAF_NEAR_LIMIT]]

    def _namespace_proposals(self, pkg: PackageId, leaf: str, ns: str | None, out: Proposals) -> None:
        sleaf = squash(leaf)
        same_leaf = self._by_leaf.get(sleaf)
        out.probes += 1
        if ns and pkg.ecosystem is Ecosystem.NPM and len(same_leaf) > LEAF_NEAR_LIMIT:
            # hundreds of `@x/core`: keep only those `_keep_lookalike_scopes` would keep, without adding the rest
            same_leaf = [pos for pos in same_leaf if self._meets_scope(ns, pos)]
        for pos in same_leaf:
            out.add(pos, "leaf")
        if LEAF_EDIT_MIN <= len(leaf) <= self._max_leaf + 1:
            for pos in self._near_leaves(leaf, out):
                out.add(pos, "leaf")
        if ns:
            cutoff = 1 if len(ns) < 5 else MAX_EDIT
            if len(ns) > self._max_ns + cutoff:
                return
            out.probes += 1
            for near_ns in self._near_namespaces(ns, cutoff):
                if near_ns == ns:
                    continue
                for pos in self._by_ns.get(near_ns):
                    if squash(self.leaves[pos]) == sleaf or Levenshtein.distance(self.leaves[pos], leaf, score_cutoff=2) <= 2:
                        out.add(pos, "namespace")
        elif pkg.ecosystem is Ecosystem.NPM:
            # unscoped copy of a scoped package: `xterm-addon-clipboard` ~ `@xterm/addon-clipboard`
            # the scope glued before or after the name: `types-node`, `node-types` ~ `@types/node`
            for toks in token_sequences(leaf):
                for cut in range(1, len(toks)):
                    for scope, rest in ((toks[:cut], toks[cut:]), (toks[cut:], toks[:cut])):
                        scope_text = "-".join(scope)
                        if len(scope_text) > self._max_ns:
                            continue
                        out.probes += 1
                        for pos in self._by_ns.get(scope_text):
                            if squash(self.leaves[pos]) == "".join(rest):
                                out.add(pos, "namespace")

    def _near_namespaces(self, ns: str, cutoff: int, limit: int = 20) -> list[str]:
        """The `limit` target namespaces nearest `ns` within `cutoff` Levenshtein edits (ties: in sorted
        order); the scan reads only the namespaces whose length is within `cutoff` of `ns`'s."""
        if self._ns_by_len is None:  # built once, published whole (threads share the generator)
            order = sorted(range(len(self.namespaces)), key=lambda i: len(self.namespaces[i]))
            texts = [self.namespaces[i] for i in order]
            self._ns_by_len = (order, texts, [len(text) for text in texts])
        if (memo := self._near_ns_seen.get((ns, cutoff, limit))) is not None:
            return memo
        if len(self._near_ns_seen) >= SCOPE_MEMO:
            self._near_ns_seen.clear()
        order, texts, lens = self._ns_by_len
        lo = bisect.bisect_left(lens, len(ns) - cutoff)
        hi = bisect.bisect_right(lens, len(ns) + cutoff)
        hits = process.extract(ns, texts[lo:hi], scorer=Levenshtein.distance, score_cutoff=cutoff, limit=None)
        near = sorted((d, order[lo + i]) for _, d, i in hits)[:limit]
        found = self._near_ns_seen[(ns, cutoff, limit)] = [self.namespaces[i] for _, i in near]
        return found

    def _affix_proposals(self, pkg: PackageId, out: Proposals) -> None:
        # a scoped suspect meets scoped targets' bare names (under look-alike scopes only: `propose`)
        for toks in token_sequences(self._leaf_text(pkg)):
            total = sum(map(len, toks))
            for i in range(len(toks)):
                run = ""
                for j in range(i + 1, len(toks) + 1):
                    run += toks[j - 1]
                    if len(run) > 2 * self._max_form:  # folding (`rn` -> `m`) at most halves a run
                        break
                    if j - i == len(toks):
                        continue
                    form = fold(run)
                    out.probes += 1
                    for pos in self._forms.get(form):
                        out.add(pos, "affix")
                    if pkg.namespace is not None or total - len(run) <= 2 or (i == 0 and all(map(_versionish, toks[j:]))):
                        out.probes += 1
                        for pos in self._leaf_forms.get(form):
                            out.add(pos, "affix")
        s = squash(names.key(pkg))
        if len(s) >= 4:
            out.probes += 2
            for sorted_keys, positions, probe in ((self._sorted, self._sorted_pos, s),
                                                  (self._rsorted, self._rsorted_pos, s[::-1])):
                i = bisect.bisect_left(sorted_keys, probe)
                for j in range(i, min(i + AFFIX_PREFIX_LIMIT, len(sorted_keys))):
                    if not sorted_keys[j].startswith(probe):
                        break
                    out.add(positions[j], "affix")

    def _lookalike_scopes(self, ns: str) -> frozenset[str] | _Everything:
        """Target namespaces a suspect namespace `ns` may imitate: within two edits once separators are
        dropped, a target namespace of 3+ characters at its start or end (`babel-js` ~ `babel`), or any
        when `ns` holds non-ASCII characters (judged through their ASCII look-alikes)."""
        if not ns.isascii():
            return _EVERYTHING
        if (memo := self._scopes_seen.get(ns)) is not None:
            return memo
        if len(self._scopes_seen) >= SCOPE_MEMO:
            self._scopes_seen.clear()
        flat = squash(ns)
        if self._flat_ns is None:
            by_flat: dict[str, list[str]] = defaultdict(list)
            for n in self.namespaces:
                by_flat[squash(n)].append(n)
            keys = sorted(by_flat, key=len)
            self._flat_ns = (dict(by_flat), keys, [len(f) for f in keys])
        flats, keys, lens = self._flat_ns
        lo = bisect.bisect_left(lens, len(flat) - 2)
        hi = bisect.bisect_right(lens, len(flat) + 2)
        near = [f for f, _, _ in process.extract(flat, keys[lo:hi], scorer=OSA.distance,
                                                 score_cutoff=2, limit=None)]
        near += [flat[:i] for i in range(3, len(flat))] + [flat[i:] for i in range(1, len(flat) - 2)]
        scopes = self._scopes_seen[ns] = frozenset(n for f in near for n in flats.get(f, ()))
        return scopes

    def _core_proposals(self, pkg: PackageId, out: Proposals) -> None:
        text = str(pkg)
        queries = {squash(text), core(text)}
        for toks in token_sequences(text):
            toks = toks[:CORE_MAX_WORDS]
            for i in range(len(toks)):
                for j in range(i + 1, len(toks) + 1):
                    if j - i < len(toks):
                        queries.add("".join(toks[i:j]))
        for q in queries:
            if not CORE_EXACT_MIN <= len(q) <= self._max_alias + 1:
                continue
            seen: set[int] = set()
            for d in _one_deletion(q):
                out.probes += 1
                seen.update(self._near.get(d))
            for pos in seen:
                forms = self._aliases[pos].split(" ")
                if q in forms or (len(q) >= CORE_EDIT_MIN and any(
                        len(f) >= CORE_EDIT_MIN and OSA.distance(q, f, score_cutoff=1) <= 1 for f in forms)):
                    out.add(pos, "core")

    def _token_proposals(self, pkg: PackageId, out: Proposals) -> None:
        seqs = token_sequences(self._leaf_text(pkg))
        toks = {t for seq in seqs for t in seq}
        if len(toks) < 2:
            return
        holders: dict[str, list[int]] = {}  # suspect word -> the targets holding it (sorted positions)
        hit: set[int] = set()
        for tok in toks:
            out.probes += 1
            hits = self._by_token.get(tok)
            if hits:
                holders[tok] = hits
            if 0 < len(hits) <= TOKEN_DF_CAP:
                hit.update(hits)
        known = sorted(holders)
        synonyms = lexicon.synonyms()
        alike: dict[str, list[list[int]]] = {}
        for tok in toks:
            alike[tok] = []
            for syn in sorted(synonyms.get(tok, ()))[:SYNONYM_LIMIT]:
                out.probes += 1
                if found := self._by_token.get(syn):
                    alike[tok].append(found)
        # two shared words, however common each is alone (`python-mysqldb` ~ `mysql-python`);
        # a pair can only be indexed when both its words are
        for pair in itertools.combinations(known, 2):
            out.probes += 1
            hits = self._by_pair.get(" ".join(pair))
            if len(hits) <= TOKEN_DF_CAP:
                hit.update(hits)
        # which proposed targets hold each suspect word (or a synonym of it)
        ordered = sorted(hit)
        held: dict[str, set[int]] = {}
        for w in toks:
            held[w] = set()
            for targets in (holders.get(w, _NONE), *alike.get(w, ())):
                held[w].update(_held_of(targets, ordered))
        readings = [[(w, held[w]) for w in set(seq)] for seq in seqs]
        for pos in ordered:
            for words in readings:
                if self._word_confusion(pos, words):
                    out.add(pos, "token")
                    break

    def _word_confusion(self, pos: int, words: list[tuple[str, set[int]]]) -> bool:
        """Whether target `pos` and a suspect reading of distinct `words` (each with the proposed targets
        holding it) can be a word-level confusion: one holds all the other's words or their synonyms
        (words added, dropped or reordered), or both have as many words with at most `MAX_SWAPS` swapped
        (substitutions; a number in place of a word is a version change, which the affix and version
        rules judge, not a substitution)."""
        m, n = self._word_counts[pos], len(words)
        shared = 0
        for _, holding in words:
            if pos in holding:
                shared += 1
        if shared == 0:
            return False
        if shared == m or shared == n >= 2:
            return True
        if m != n or m - shared > MAX_SWAPS:
            return False
        return any(not w.isdigit() for w, holding in words if pos not in holding)


_NONE: list[int] = []


def _held_of(targets: list[int], wanted: list[int]) -> list[int]:
    """The positions of sorted `wanted` that the sorted list `targets` holds."""
    if len(targets) <= 4 * len(wanted):
        return list(set(targets).intersection(wanted))
    return [pos for pos in wanted if _holds(targets, pos)]


def _holds(positions: list[int], pos: int) -> bool:
    """Whether the sorted `positions` hold `pos`."""
    i = bisect.bisect_left(positions, pos)
    return i < len(positions) and positions[i] == pos
