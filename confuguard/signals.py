"""Pair signals: what the metadata of a (suspect, target) pair says about the suspect's intent.

Each signal is a small function of a `Pair` (the suspect, the engine's `Candidate` and the two
packages' metadata, any of which may be missing) returning a `Signal` whose `value` is None
when the evidence is *unknown*: metadata absent, or the field not provided by the source
(an offline snapshot has no maintainers, README or repository). Unknown never means "no".

`vector(signals)` turns signals into model features: `(value - neutral) / scale`, clipped,
and exactly 0 for an unknown signal, so a missing fact pushes the verdict neither way and
the classifier degrades to the name-level evidence when nothing is known.

    pair = Pair(suspect, candidate, suspect_meta, target_meta)
    sigs = compute(pair)                  # tuple[Signal, ...] in FEATURES order
    x = vector(sigs)                      # np.ndarray, len(FEATURES)
"""

from __future__ import annotations

import hashlib
import math
import os
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz.distance import OSA, Levenshtein

from confuguard import lexicon, names
from confuguard.allowlist import Allowlist
from confuguard.categories import RULES, namespace_imitation
from confuguard.tokens import core, tokenize
from confuguard.types import Candidate, Category, Ecosystem, PackageId, PackageMetadata, as_utc

if TYPE_CHECKING:
    from confuguard.models.wordvec import TextVectors


@dataclass(frozen=True, slots=True)
class Signal:
    """One piece of evidence about a pair. `value` None = unknown."""

    name: str
    value: float | None
    reason: str | None = None
    """Plain words for what was seen (used as a verdict reason when this signal weighs most)."""

    @property
    def known(self) -> bool:
        """True unless the evidence is unknown."""
        return self.value is not None


@dataclass(frozen=True, slots=True)
class Pair:
    """The inputs of the signals for one (suspect, target) pair."""

    suspect: PackageId
    candidate: Candidate
    suspect_meta: PackageMetadata | None = None
    target_meta: PackageMetadata | None = None
    allowlist: Allowlist | None = None
    popular_maintainers: frozenset[str] | None = None
    """Lowercased maintainers of popular packages, when known (else that signal is unknown)."""
    now: datetime | None = None
    text_vectors: TextVectors | None = None
    """Summary embeddings (`models/wordvec.py`); None = description similarity unknown."""
    summary_peers: int | None = None
    """Other new packages that showed the suspect's summary (`summary_digest`) in the last `CAMPAIGN_DAYS`, as
    recorded by sweeps; None = unknown (no store that records summaries)."""

    @property
    def target(self) -> PackageId:
        """The imitated package."""
        return self.candidate.target


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """How a signal becomes one model feature."""

    name: str
    neutral: float
    """The value that says nothing either way (maps to 0, like unknown)."""
    scale: float = 1.0
    lo: float = -3.0
    hi: float = 3.0
    prior: float = 0.0
    """Weight used when training data has no coverage for this feature (domain prior, logit units)."""
    fixed: bool = False
    """The prior is a registry guarantee, not an estimate: training never replaces it."""
    sign: int = 0
    """Direction the weight may take (+1 threat, -1 benign, 0 free). Metadata signals carry their domain
    direction so a fitted weight can never invert their meaning: in labelled data a record's mere presence
    goes with the benign class (attacks are taken down and leave no record), which would otherwise teach
    "has a first version / has no downloads" as benign evidence."""
    group: str = "metadata"
    """`name` (always known from the engine) or `metadata`."""


# -- text helpers ------------------------------------------------------------------------------

_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "a an the and or of for to in on with by from at as is are be this that it its your you we our "
    "js node npm python package library module simple small tiny based using use used via".split()
)
_PLACEHOLDER = re.compile(
    r"\b(place ?holder|reserved?|reserving|name ?squat\w*|squatting|dependency[- ]confusion|security research\w*|"
    r"bug ?bounty|do not use|don'?t use|not for use|test(ing)? package|this is a test|for testing purposes|"
    r"empty package|dummy package|temporary package|coming soon|pentest\w*|poc|proof[- ]of[- ]concept|"
    r"test(ing)? purposes?|do(n'?t| not) install)\b"
)
_HOLDING = re.compile(r"\bsecurity[- ]holding\b")
#: Words that name a distinct purpose when added to a target's name (plugins, bindings, variants).
EXTENSION_WORDS = frozenset(
    "plugin plugins loader loaders cli types typings ext extension extensions adapter adapters wrapper bindings "
    "binding middleware react vue angular svelte preact solid ember webpack babel eslint prettier stylelint gulp "
    "grunt rollup vite jest mocha karma mock mocks fixtures example examples demo starter template boilerplate "
    "utils util helpers helper config preset presets theme themes component components ui native sdk client "
    "server api rest graphql django flask fastapi pytest sphinx mkdocs airflow dbt aws azure gcp redis mongo "
    "postgres mysql sqlite docker kubernetes k8s terraform ansible tailwind bootstrap material icons i18n "
    "core contrib extra extras addons addon tools toolkit schema schemas parser generator codegen compat polyfill "
    "shim browser dom ssr async sync stream streams".split()
)


#: Characters of a summary the signals read. A summary is one line (PyPI refuses more than 512 characters);
#: a registry serving megabytes in one costs every pair that reads it, so what lies beyond is not read.
SUMMARY_CHARS = 2000


def _summary(meta: PackageMetadata | None) -> str | None:
    """The summary text (its first `SUMMARY_CHARS` characters); '' when known empty (snapshots list every
    summary), None when unknown."""
    if meta is None:
        return None
    if meta.summary is not None:
        return meta.summary[:SUMMARY_CHARS].strip()
    return "" if meta.source.startswith("snapshot:") else None


@lru_cache(maxsize=8192)
def _bag(text: str) -> Counter[str]:
    return Counter(w for w in _WORD.findall(text.lower()) if len(w) > 1 and w not in _STOP)


def text_similarity(a: str, b: str) -> float:
    """Cosine similarity of the content-word bags of two texts, in [0, 1] (0 when either is empty)."""
    x, y = _bag(a), _bag(b)
    if not x or not y:
        return 0.0
    dot = sum(v * y.get(k, 0) for k, v in x.items())
    return dot / math.sqrt(sum(v * v for v in x.values()) * sum(v * v for v in y.values()))


def _norm_text(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def _monthly_downloads(meta: PackageMetadata | None) -> float | None:
    if meta is None or meta.downloads is None:
        return None
    window = (meta.downloads_window or "last-month").lower()
    factor = {"last-month": 1.0, "30d": 1.0, "month": 1.0, "last-week": 4.3, "7d": 4.3, "week": 4.3,
              "last-day": 30.0, "day": 30.0}.get(window)
    return None if factor is None else meta.downloads * factor


def _pypi_rank(meta: PackageMetadata | None) -> int | None:
    if meta is None:
        return None
    raw = meta.extra.get("rank")
    return int(raw) if raw and raw.isdigit() else None


def _now(pair: Pair) -> datetime:
    return pair.now or datetime.now(UTC)


def _days_since(pair: Pair, when: datetime) -> float:
    """Whole days from `when` to the pair's `now` (0 for a date in the future)."""
    return max(0.0, (_now(pair) - as_utc(when)).days)


#: A package younger than this many days has no history to speak of: `_too_young`.
HISTORY_DAYS = 7


def _too_young(pair: Pair) -> bool:
    """The suspect is in its first days (first release under `HISTORY_DAYS` old, or a single release that
    recent when the first is not known). Its age, version count and release history are then unknown, not
    evidence: every package is young with one release on its first day, attacks and ordinary projects
    alike, so these facts separate nothing among the packages a nightly sweep judges, and the upload-day
    records the model learns from (`training`, `--as-of publication`) carry them unknown too."""
    m = pair.suspect_meta
    if m is None:
        return False
    if m.created is not None:
        return _days_since(pair, m.created) < HISTORY_DAYS
    return m.version_count == 1 and m.latest_release is not None and _days_since(pair, m.latest_release) < HISTORY_DAYS


#: Characters of a repository or homepage URL the signals read (real ones are far shorter).
URL_CHARS = 2000


def _repo_norm(url: str) -> str:
    u = url[:URL_CHARS].strip().lower()
    u = re.sub(r"^(git\+)?(https?|git|ssh)://(git@)?", "", u)
    u = re.sub(r"^git@([^:]+):", r"\1/", u)
    u = re.sub(r"(\.git)?/*(#.*)?$", "", u)
    u = re.sub(r"/(tree|blob)/.*$", "", u)
    return u.removeprefix("www.")


def _sym(value: bool) -> float:
    return 1.0 if value else -1.0


def _leaf_tokens(pkg: PackageId) -> list[str]:
    """The words of the name part, glued words segmented as the categories read them (`pythonkafka`)."""
    return list(tokenize(names.leaf(pkg)))


# -- name-level signals (always known) ------------------------------------------------------------

def _category_signal(group: str, reason: str) -> Callable[[Pair], Signal]:
    """The signal of one category group of `categories.RULES`: 1 when one of its categories fired; `reason`
    names the target where it has `{}`."""
    cats = frozenset(r.category for r in RULES if r.group == group)

    def sig(pair: Pair) -> Signal:
        hit = any(c in cats for c in pair.candidate.categories)
        return Signal(group, 1.0 if hit else 0.0, reason.replace("{}", f"`{pair.target}`") if hit else None)

    sig.__name__ = f"sig_{group}"
    return sig


def _category_entry(group: str, reason: str) -> tuple[FeatureSpec, Callable[[Pair], Signal]]:
    """The SIGNALS entry of a category group: a name-level feature, 0 when none of its categories fired."""
    return FeatureSpec(group, 0.0, group="name"), _category_signal(group, reason)


def sig_edit_distance(pair: Pair) -> Signal:
    """Damerau-Levenshtein distance between the comparison keys (engine evidence)."""
    d = pair.candidate.edit_distance
    reason = f"{d} character{'s' if d != 1 else ''} from `{pair.target}`" if d <= 2 else f"name differs clearly from `{pair.target}`"
    return Signal("edit_distance", float(min(d, 8)), reason)


def sig_name_similarity(pair: Pair) -> Signal:
    """Normalised similarity of the leaf names in [0, 1]."""
    a, b = names.leaf(pair.suspect), names.leaf(pair.target)
    return Signal("name_similarity", Levenshtein.normalized_similarity(a, b))


def sig_embedding_similarity(pair: Pair) -> Signal:
    """Cosine similarity of the name embeddings, when the engine computed it."""
    s = pair.candidate.embedding_similarity
    return Signal("embedding_similarity", None if s is None else float(s))


def sig_target_popularity(pair: Pair) -> Signal:
    """log10 of the target's rank in the popular list (lower = more popular); unknown outside the list."""
    r = pair.candidate.target_rank
    if r <= 0:
        return Signal("target_popularity", None)
    reason = f"imitates `{pair.target}`, a top-{_round_rank(r)} {names.kind_label(pair.target)}" if r <= 1000 else None
    return Signal("target_popularity", math.log10(r), reason)


def _round_rank(r: int) -> int:
    for cap in (10, 100, 1000):
        if r <= cap:
            return cap
    return r


def sig_name_length(pair: Pair) -> Signal:
    """Length of the suspect's leaf name (short names collide by chance)."""
    return Signal("name_length", float(len(names.leaf(pair.suspect))))


def sig_extension_word(pair: Pair) -> Signal:
    """The suspect adds a purpose word (`plugin`, `types`, `react`, `cli`...) to the target's words."""
    extra = set(_leaf_tokens(pair.suspect)) - set(_leaf_tokens(pair.target))
    hit = sorted(extra & EXTENSION_WORDS)
    if hit:
        return Signal("extension_word", 1.0, f"adds the purpose word '{hit[0]}' to `{pair.target}` (plugin/extension naming)")
    return Signal("extension_word", 0.0)


def sig_campaign_word(pair: Pair) -> Signal:
    """The suspect adds a word malware campaigns lure with (crypto exchanges, wallets, Discord tokens, cheats)."""
    terms = lexicon.term_set("campaign_terms")
    extra = set(_leaf_tokens(pair.suspect)) - set(_leaf_tokens(pair.target))
    hit = sorted(extra & terms)
    if not hit:
        flat_s, flat_t = _squash(str(pair.suspect).lower()), _squash(str(pair.target).lower())
        hit = sorted(t for t in terms if len(t) >= 5 and t in flat_s and t not in flat_t)
    if hit:
        return Signal("campaign_word", 1.0, f"adds '{hit[0]}', a lure of known malware campaigns (crypto, tokens, cheats)")
    return Signal("campaign_word", 0.0)


#: A shared leading run of words used as a root by at least this many registry names is a family
#: (`eslint-config-*`, `babel-preset-*`): two of its members differ by purpose, not by a trick.
FAMILY_MIN = 150
_RESPELLING = frozenset(r.category for r in RULES if r.respelling)


def sig_family_member(pair: Pair) -> Signal:
    """Suspect and target are different members of one large name family (`eslint-config-a` vs `-b`)."""
    if any(c in _RESPELLING for c in pair.candidate.categories):
        return Signal("family_member", 0.0)  # a misspelt or renumbered member (`eslint-config-airbnd`) is a trick
    a, b = _leaf_tokens(pair.suspect), _leaf_tokens(pair.target)
    k = 0
    while k < min(len(a), len(b)) and a[k] == b[k]:
        k += 1
    if 0 < k < min(len(a), len(b)):
        root = "-".join(a[:k])
        if lexicon.family_size(pair.suspect.ecosystem, root) >= FAMILY_MIN:
            return Signal("family_member", 1.0, f"another member of the large `{root}-*` family, not a copy of `{pair.target}`")
    return Signal("family_member", 0.0)


def sig_scoped_elsewhere(pair: Pair) -> Signal:
    """The suspect lives in its own namespace, unrelated to the target's (a fork or a team's copy, not a namespace trick)."""
    a, b = names.namespace(pair.suspect), names.namespace(pair.target)
    if a is None or a == b or Category.SCOPE in pair.candidate.categories:
        return Signal("scoped_elsewhere", 0.0)
    return Signal("scoped_elsewhere", 1.0, f"published in its own namespace ({a}), not posing as `{pair.target}`'s")


def sig_typo_to_word(pair: Pair) -> Signal:
    """The one typo turns a word of the target into another real word (`redux-fork` for `redux-form`).

    A slip that lands on another dictionary word usually makes a different name, chosen for its
    meaning; squatters' misspellings mostly land on non-words (`lodahs`, `mongose`)."""
    if Category.TYPO not in pair.candidate.categories:
        return Signal("typo_to_word", 0.0)
    a, b = _leaf_tokens(pair.suspect), _leaf_tokens(pair.target)
    diff = [(x, y) for x, y in zip(a, b) if x != y] if len(a) == len(b) else []
    if len(diff) == 1:
        x, y = diff[0]
        if min(len(x), len(y)) >= 3 and _is_word(x) and _is_word(y):
            return Signal("typo_to_word", 1.0, f"'{x}' is a word of its own, not a slip for '{y}'")
    return Signal("typo_to_word", 0.0)


def sig_namespace_lookalike(pair: Pair) -> Signal:
    """Both names are namespaced, differently: the suspect's namespace imitates the target's (+1) or is unrelated (-1).

    An unrelated namespace is a publisher of its own (on Maven Central a verified one): the same
    name there is a repackaging, fork or relocation far more often than an attack."""
    a, b = names.namespace(pair.suspect), names.namespace(pair.target)
    if a is None or b is None or a == b:
        return Signal("namespace_lookalike", None)
    look = namespace_imitation(pair.suspect, pair.target)
    if look:  # the SCOPE finding already says how, in the same words
        return Signal("namespace_lookalike", 1.0, None if Category.SCOPE in pair.candidate.categories else look)
    reason = f"published by its own publisher ({a}), whose namespace does not imitate {b}"
    return Signal("namespace_lookalike", -1.0, reason if Category.SCOPE in pair.candidate.categories else None)


def _squash(text: str) -> str:
    return re.sub(r"[-_./]+", "", text)


def sig_contains_target(pair: Pair) -> Signal:
    """The suspect's name embeds the whole target name plus other words."""
    a, b = _squash(names.leaf(pair.suspect)), _squash(names.leaf(pair.target))
    hit = len(b) >= 3 and b in a and a != b
    return Signal("contains_target", 1.0 if hit else 0.0, f"embeds the name `{pair.target}`" if hit else None)


def sig_token_overlap(pair: Pair) -> Signal:
    """Jaccard overlap of the name tokens."""
    a, b = set(_leaf_tokens(pair.suspect)), set(_leaf_tokens(pair.target))
    return Signal("token_overlap", len(a & b) / len(a | b) if a | b else 0.0)


def _is_word(token: str) -> bool:
    try:
        from confuguard import lexicon

        return lexicon.is_english(token)
    except Exception:  # noqa: BLE001 - the lexicon is optional evidence
        return False


def sig_extra_nonword(pair: Pair) -> Signal:
    """Share of the suspect's added tokens that are neither English words nor purpose words (brand-like noise).

    A token within two edits of one of the target's is a misspelling of it, and one with the target's
    core (`libcurl` for `pycurl`) another spelling of it: neither is an added word."""
    own = set(_leaf_tokens(pair.target))
    own_core = core(names.leaf(pair.target))
    extra = [t for t in _leaf_tokens(pair.suspect)
             if t not in own and not t.isdigit() and core(t) != own_core
             and not any(OSA.distance(t, o, score_cutoff=2) <= 2 for o in own)]
    if not extra:
        return Signal("extra_nonword", 0.0)
    odd = [t for t in extra if t not in EXTENSION_WORDS and not _is_word(t)]
    return Signal("extra_nonword", len(odd) / len(extra), f"adds the unexplained word '{odd[0]}'" if odd else None)


def sig_close_popular(pair: Pair) -> Signal:
    """A near-identical name (≤ 2 edits) of a very popular package: the classic typosquat."""
    r, d = pair.candidate.target_rank, pair.candidate.edit_distance
    if r <= 0 or d > 2:
        return Signal("close_popular", 0.0)
    v = (3 - d) * max(0.0, 4.0 - math.log10(r)) / 3
    return Signal("close_popular", v, f"{d} edit{'s' if d > 1 else ''} from `{pair.target}`, one of the most used packages" if v > 0.5 else None)


#: Last groupId labels that name no particular project.
_GENERIC_GROUP_LABELS = frozenset("core common commons api java maven plugin plugins tools util utils lib libs "
                                  "external thirdparty github gitlab sourceforge".split())


def sig_wide_lookalike(pair: Pair) -> Signal:
    """A wide look-alike (`confuguard.wide`: two typos off, or a popular name plus a word): a shape plugins
    and forks share, so it weighs strongly against a threat until the package's own record outweighs it."""
    if not pair.candidate.needs_evidence:
        return Signal("wide_lookalike", 0.0)
    return Signal("wide_lookalike", 1.0, f"named like `{pair.target}` in a way plugins and forks are named too")


def sig_same_namespace(pair: Pair) -> Signal:
    """Same npm scope / Maven groupId / Go owner / HF author as the target (+1), different (-1), none (unknown)."""
    a, b = names.namespace(pair.suspect), names.namespace(pair.target)
    if a is None and b is None:
        return Signal("same_namespace", None)
    if a == b:
        return Signal("same_namespace", 1.0, f"published under the same namespace as `{pair.target}` ({a})")
    if a and b and pair.suspect.ecosystem is Ecosystem.MAVEN and (a.startswith(b + ".") or b.startswith(a + ".")):
        return Signal("same_namespace", 1.0, f"groupId {a} belongs to the same organisation as `{pair.target}`")
    if a and b and pair.suspect.ecosystem is Ecosystem.MAVEN:
        la, lb = a.rsplit(".", 1)[-1], b.rsplit(".", 1)[-1]
        if la == lb and len(la) >= 4 and la not in _GENERIC_GROUP_LABELS:
            return Signal("same_namespace", 1.0, f"groupId {a} names the same project ('{la}') as `{pair.target}`'s: a relocation")
    return Signal("same_namespace", -1.0, f"different namespace from `{pair.target}`" if a else None)


def sig_allowlisted_org(pair: Pair) -> Signal:
    """The suspect's namespace belongs to an allowlisted organisation (+1), to another one (-1), none (unknown)."""
    allow = pair.allowlist or Allowlist.default()
    owner = allow.owner(pair.suspect)
    if owner is not None and names.namespace(pair.suspect) == names.namespace(pair.target):
        # only Go gets here (other registries' same-namespace pairs are siblings): a slip in a repo name
        # under the owner (`github.com/stretchr/testfy`) names a path the owner never published
        return Signal("allowlisted_org", 0.0)
    if owner is not None:
        return Signal("allowlisted_org", 1.0, f"published by {owner} (allowlisted organisation)")
    return Signal("allowlisted_org", 0.0)


# -- metadata signals ---------------------------------------------------------------------------------


def is_security_holding(m: PackageMetadata) -> bool:
    """The record is a registry's security-holding placeholder over a name taken from malware or reserved
    (npm's `0.0.1-security`), by flag, version or summary."""
    version = (m.latest_version or "").lower()
    return bool(m.security_holding or ("-security" in version and version.startswith("0.0.1"))
                or _HOLDING.search((_summary(m) or "").lower()))


def sig_security_holding(pair: Pair) -> Signal:
    """npm's `0.0.1-security` holding package: the registry took malware down under this name."""
    m = pair.suspect_meta
    if m is None:
        return Signal("security_holding", None)
    if is_security_holding(m):
        return Signal("security_holding", 1.0,
                      "security holding package: the registry removed malware published under this name")
    if m.security_holding is None and m.package.ecosystem is not Ecosystem.NPM:
        return Signal("security_holding", None)
    return Signal("security_holding", 0.0)


#: Days public without a takedown after which survival counts in full: registries remove most
#: malware within days to weeks of publication.
SURVIVAL_DAYS = 180


def sig_survived(pair: Pair) -> Signal:
    """The suspect has stayed public without a takedown: listed in an imported offline snapshot, or a
    live record first published long ago (ramping up to `SURVIVAL_DAYS`).

    A record's existence alone says nothing (a fresh attack has one too): a live record counts by its
    age. A snapshot listing counts by the package's age when the snapshot was made (`fetched_at`) where
    the snapshot dates its first release (a project listed a week after it appeared has barely survived
    anything), and in full where it does not (today's `pypi.tsv` dates only the latest release, `npm.tsv`
    nothing). A registry's security holding package exists because of a takedown, so it never counts.
    """
    m = pair.suspect_meta
    if m is None or is_security_holding(m):
        return Signal("survived", None)
    if m.source.startswith("snapshot:"):
        if m.created is not None and m.fetched_at is not None:
            days = max(0.0, (as_utc(m.fetched_at) - as_utc(m.created)).days)
            if days < SURVIVAL_DAYS:
                return Signal("survived", days / SURVIVAL_DAYS)
        return Signal("survived", 1.0,
                      f"listed in the offline {m.package.ecosystem.value} snapshot: published and not taken down when it was made")
    if m.created is None:
        return Signal("survived", None)
    days = _days_since(pair, m.created)
    reason = f"public for {_span(days)} without being taken down" if days >= SURVIVAL_DAYS else None
    return Signal("survived", min(1.0, days / SURVIVAL_DAYS), reason)


def _span(days: float) -> str:
    return f"{int(days // 365)} years" if days >= 730 else f"{int(days // 30)} months"


def sig_placeholder_text(pair: Pair) -> Signal:
    """The summary says placeholder / reserved / test / dependency-confusion research (usually harmless)."""
    s = _summary(pair.suspect_meta)
    if s is None:
        return Signal("placeholder_text", None)
    m = _PLACEHOLDER.search(s.lower())
    if m:
        return Signal("placeholder_text", 1.0, f"summary says '{m.group(0)}' (a name reservation or test package)")
    return Signal("placeholder_text", 0.0)


def sig_summary_empty(pair: Pair) -> Signal:
    """The suspect has no summary/description at all."""
    s = _summary(pair.suspect_meta)
    if s is None:
        return Signal("summary_empty", None)
    if not _bag(s):
        return Signal("summary_empty", 1.0, "no description")
    return Signal("summary_empty", 0.0)


#: Template summaries that describe nothing (project generators' defaults, "test", "UNKNOWN").
_BOILERPLATE = re.compile(
    r"^(unknown|none|null|n/?a|todo|tbd|test|tests|testing|just (a |for )?test|test package|demo|example|"
    r"description|package description|my (short |first )?(description|package)( for my project)?|"
    r"add your description here|(> )?todo: description|a (small|simple) (example|test) package|"
    r"an awesome package that does something|a very basic \w+|a python package|python package|"
    r"my package|package|library|module|this package is useless|hello( world)?|first package)\W*$"
)
_LETTERS = re.compile(r"[A-Za-z]+")
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


def sig_summary_boilerplate(pair: Pair) -> Signal:
    """The summary is a template or filler that describes nothing (`A small example package`, `test`, `UNKNOWN`),
    or only repeats the package's own name."""
    s = _summary(pair.suspect_meta)
    if s is None:
        return Signal("summary_boilerplate", None)
    if s and (_BOILERPLATE.match(s.strip().lower()) or _norm_text(s) == _norm_text(names.leaf(pair.suspect))):
        return Signal("summary_boilerplate", 1.0, f"its description is filler ('{s.strip()[:40]}')")
    return Signal("summary_boilerplate", 0.0)


@lru_cache(maxsize=8192)
def _known_word_share(text: str) -> tuple[float, int, int]:
    """(share of 3+ letter words that are English words or acronyms, their count, longest word's length)."""
    toks = [t for t in _LETTERS.findall(text) if len(t) >= 3]
    known = 0
    for t in toks:
        if t.isupper() and len(t) <= 6:
            known += 1
            continue
        parts = [t.lower()] if t.islower() else [x.lower() for x in _CAMEL.findall(t)]
        # a mixed-case token is words run together (`GitHub`), not scraps of letters (`NBUzV`, `DjMI`)
        known += any(len(x) >= 3 for x in parts) and all(len(x) < 3 or _is_word(x) for x in parts)
    return (known / len(toks) if toks else 1.0), len(toks), max((len(t) for t in toks), default=0)


def sig_summary_gibberish(pair: Pair) -> Signal:
    """The summary is random letters, no words (`GzUHeVluNzkNAQB...`): generated by a spam campaign's script."""
    s = _summary(pair.suspect_meta)
    if not s:
        return Signal("summary_gibberish", None)
    share, n, longest = _known_word_share(s)
    if n and share <= 0.1 and (longest >= 12 or n >= 3):
        return Signal("summary_gibberish", 1.0, "its description is random letters, not words")
    return Signal("summary_gibberish", 0.0)


@lru_cache(maxsize=8192)
def _in_words(text: str) -> bool:
    """`text` is made of words: three or more of 3+ letters, at least half English words or acronyms, and
    it is neither filler (`_BOILERPLATE`) nor placeholder or test-upload wording (`_PLACEHOLDER`)."""
    share, n, _ = _known_word_share(text)
    low = text.strip().lower()
    return n >= 3 and share >= 0.5 and not _BOILERPLATE.match(low) and not _PLACEHOLDER.search(low)


def _descriptive(pair: Pair) -> bool | None:
    """The upload's summary says what the package does in words of its own (`sig_summary_descriptive`);
    None when unknown."""
    m = pair.suspect_meta
    s = _summary(m)
    if m is None or s is None or m.source.startswith("snapshot:"):
        return None
    if is_security_holding(m):  # the registry's words over a package it took down, not a purpose
        return False
    return _in_words(s) and not (_summary_copied(pair) or (pair.summary_peers or 0) >= CAMPAIGN_PASTED)


def sig_summary_descriptive(pair: Pair) -> Signal:
    """An upload's summary says what the package does in words of its own: three or more words, not filler,
    not random letters, not a copy of the target's, not one pasted under `CAMPAIGN_PASTED` or more other new
    names (`summary_shared`). Known for live and upload-day records only: a snapshot's summary belongs to a
    package that has already survived (`survived` speaks for it)."""
    own = _descriptive(pair)
    if own is None:
        return Signal("summary_descriptive", None)
    return Signal("summary_descriptive", 1.0 if own else 0.0, "describes a purpose of its own in its summary" if own else None)


#: A language's mark glued to a name's word (`pymocks`, `nodemailer`, `chartjs`), dropped to find the word.
_LANGUAGE_MARK = re.compile(r"^(?:python|py|node|go|rb)(?=[a-z]{3})|(?<=[a-z]{3})(?:py|js|rb)$")


def _name_words(pkg: PackageId) -> set[str]:
    """The words a package's name is made of (camelCase split, a language's mark dropped), and its letters
    run together."""
    out: set[str] = set()
    for text in (names.leaf(pkg), names.namespace(pkg) or ""):
        for chunk in _LETTERS.findall(text):
            parts = {chunk.lower(), *(t.lower() for t in _CAMEL.findall(chunk))}
            out.update(parts, (_LANGUAGE_MARK.sub("", t) for t in parts))
        out.add(re.sub(r"[^a-z]", "", text.lower()))
    return out - {""}


def _same_stem(a: str, b: str) -> bool:
    """Two words are one word's forms, one holds the other, or one plays on the other (`mocks`/`mocking`,
    `react`/`reactdom`, `devbug`/`debug`)."""
    if a == b:
        return True
    if min(len(a), len(b)) >= 4 and (a in b or b in a):
        return True
    if min(len(a), len(b)) >= 5 and OSA.distance(a, b, score_cutoff=1) <= 1:
        return True
    prefix = len(os.path.commonprefix([a, b]))
    return prefix >= 4 and prefix >= min(len(a), len(b)) - 2


def sig_summary_off_name(pair: Pair) -> Signal:
    """A summary of the package's own purpose that shares no word with the package's own name.

    An ordinary package's summary names what its name names (`pdfkit-lite: Lightweight PDF toolkit`); a squat
    borrows a popular name and pastes a stock purpose under it (`pylint-sys: A tool for building graphical user
    interfaces`). Known only when the summary is descriptive (`summary_descriptive`)."""
    own = _descriptive(pair)
    if not own:
        return Signal("summary_off_name", None)
    s = _summary(pair.suspect_meta) or ""
    seq = _LETTERS.findall(s.lower())
    words = {w for w in seq if len(w) >= 3}
    initials = "".join(w[0] for w in seq)
    for t in _name_words(pair.suspect):
        # a short part may be the initials of the words it stands for (`k3fs`: 'File-system utilities')
        if (len(t) >= 3 and any(_same_stem(t, w) for w in words)) or (2 <= len(t) <= 5 and t in initials):
            return Signal("summary_off_name", 0.0)
    return Signal("summary_off_name", 1.0, "its description shares no word with its own name")


#: A summary other new packages showed this many times is a campaign's, not a package's own purpose.
CAMPAIGN_PASTED = 2
#: Packages that showed one summary within this many days count as one campaign (`sig_summary_shared`).
CAMPAIGN_DAYS = 30
#: `sig_summary_shared` counts at most this many other packages: past it, more peers say nothing more.
SUMMARY_PEERS_CAP = 5
_NON_WORD = re.compile(r"\W+")


@lru_cache(maxsize=8192)
def _campaign_key(text: str) -> str | None:
    if not _in_words(text):
        return None
    return hashlib.sha256(_NON_WORD.sub(" ", text.lower()).strip().encode()).hexdigest()[:32]


def summary_digest(meta: PackageMetadata | None) -> str | None:
    """The campaign key of a live record's summary: a digest of its normalised text (lowercase, non-word runs
    as one space, stripped). None when the summary cannot identify a campaign: a snapshot or no record, or a
    summary not in words (`_in_words`: too short, filler or placeholder wording, random letters)."""
    s = _summary(meta)
    if meta is None or not s or meta.source.startswith("snapshot:"):
        return None
    return _campaign_key(s)


def sig_summary_shared(pair: Pair) -> Signal:
    """Other new packages showed the suspect's specific summary (`summary_digest`) within `CAMPAIGN_DAYS`: a
    campaign uploads many names with one description, ordinary packages rarely share one. The value counts
    them, capped at `SUMMARY_PEERS_CAP`; unknown without a live record or a store recording summaries, 0 for
    a summary that cannot identify a campaign."""
    m = pair.suspect_meta
    if m is None or m.source.startswith("snapshot:") or pair.summary_peers is None:
        return Signal("summary_shared", None)
    n = pair.summary_peers if summary_digest(m) is not None else 0
    if n <= 0:
        return Signal("summary_shared", 0.0)
    return Signal("summary_shared", float(min(n, SUMMARY_PEERS_CAP)),
                  f"the same description as {n} other package{'s' if n > 1 else ''} published in the last "
                  f"{CAMPAIGN_DAYS} days (a campaign)")


#: A first release numbered at or above this major version is far above a normal first release.
HIGH_FIRST_MAJOR = 5
#: Majors that are years: a calendar-versioned first release (`2026.1.0`) is not a high number.
CALVER_YEARS = (1990, 2100)
_MAJOR = re.compile(r"^v?(\d+)")


def sig_first_version_high(pair: Pair) -> Signal:
    """The package's only release is numbered far above a normal first release (`99.0.0`, `12.15.13`):
    dependency-confusion probes outbid a private package's version. A year (`2026.1.0`, calendar versioning)
    is not. Unknown beyond a first release."""
    m = pair.suspect_meta
    if m is None or m.version_count != 1 or not m.latest_version:
        return Signal("first_version_high", None)
    found = _MAJOR.match(m.latest_version.strip())
    if found is None:
        return Signal("first_version_high", None)
    major = int(found.group(1)[:6])
    if major < HIGH_FIRST_MAJOR or CALVER_YEARS[0] <= major <= CALVER_YEARS[1]:
        return Signal("first_version_high", 0.0)
    return Signal("first_version_high", min(3.0, math.log10(major + 1)),
                  f"first release numbered {m.latest_version.strip()[:20]}, far above a normal first version")


def sig_source_only(pair: Pair) -> Signal:
    """PyPI: the release is an sdist with no wheel (+1: installing it runs its setup code), or it publishes a
    wheel (-1: installing it runs none of its code). Of the attacks' upload-day records 99% are source-only
    (a payload in `setup.py` needs an sdist), while most new projects publish a wheel."""
    m = pair.suspect_meta
    if m is None or m.source_only is None:
        return Signal("source_only", None)
    if m.source_only:
        return Signal("source_only", 1.0, "source-only upload (no wheel): installing it runs its setup code")
    return Signal("source_only", -1.0, "publishes a wheel: installing it runs none of its own code")


#: The weight of a PyPI install hook against an npm install script: 13% of the PyPI attacks' upload-day
#: records pass a `cmdclass`, as do a few percent of ordinary sdists; 78% of the npm attack campaigns run at
#: install, about 2% of ordinary npm packages do (Wyss et al., "Wolf at the Door", AsiaCCS'22).
PYPI_HOOK = 0.5


def sig_install_script(pair: Pair) -> Signal:
    """The package runs its own code at install (npm pre/post/install scripts: +1, a setup.py install hook:
    `PYPI_HOOK`).

    npm declares every install hook in the packument, so none there is a fact against a threat (-0.5): most
    malicious npm uploads run at install, hardly any ordinary package does. A `setup.py` runs its module code
    at install with or without a hook, so on PyPI a hook not found says nothing (0)."""
    m = pair.suspect_meta
    if m is None or m.install_scripts is None:
        return Signal("install_script", None)
    if not m.install_scripts:
        if m.package.ecosystem is Ecosystem.NPM:
            return Signal("install_script", -0.5, "runs no install script")
        return Signal("install_script", 0.0)
    if m.package.ecosystem is Ecosystem.NPM:
        return Signal("install_script", 1.0, "runs an install script (preinstall/install/postinstall) when installed")
    hook = f"its setup.py runs at install ({', '.join(m.install_behaviour)})" if m.install_behaviour else \
        "runs an install hook when installed"
    return Signal("install_script", PYPI_HOOK, hook)


#: A package at most this many days old (or with a single release) is brand new for the install-hook rule.
BRAND_NEW_DAYS = 30


def sig_install_fetch_exec(pair: Pair) -> Signal:
    """The install code was read (a PyPI sdist's setup.py, an npm packument's install scripts) and, in a
    brand-new package, it downloads and runs code, or decodes a hidden payload and runs it: a documented
    attack shape (a dropper), weighed as a fixed rule. Unknown when the install code was not read; 0 when it
    does neither, or the package is not new."""
    m = pair.suspect_meta
    if m is None or m.install_behaviour is None:
        return Signal("install_fetch_exec", None)
    does = set(m.install_behaviour)
    fetches = "downloads" in does and bool(does & {"runs-commands", "executes-code"})
    unpacks = {"decodes-payload", "executes-code"} <= does
    if not (fetches or unpacks):
        return Signal("install_fetch_exec", 0.0)
    new = m.version_count == 1 or (m.created is not None and _days_since(pair, m.created) <= BRAND_NEW_DAYS)
    if not new:
        return Signal("install_fetch_exec", 0.0)
    code = "its setup.py" if m.package.ecosystem is Ecosystem.PYPI else "its install script"
    what = "downloads and runs code" if fetches else "decodes a hidden payload and runs it"
    return Signal("install_fetch_exec", 1.0, f"{code} {what} at install, in a brand-new lookalike")


def sig_account_fresh(pair: Pair) -> Signal:
    """The account that publishes the suspect holds no other package (a fresh account), or holds others."""
    m = pair.suspect_meta
    if m is None or m.account_packages is None:
        return Signal("account_fresh", None)
    if m.account_packages <= 1:
        return Signal("account_fresh", 1.0, "published from an account with no other package (a fresh account)")
    return Signal("account_fresh", 0.0)


_MAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PEOPLE_SPLIT = re.compile(r"[,;]| and ")
_GENERIC_MAIL = frozenset("gmail.com googlemail.com outlook.com hotmail.com yahoo.com qq.com 163.com protonmail.com "
                          "proton.me icloud.com mail.ru yandex.ru example.com users.noreply.github.com".split())


def _people(meta: PackageMetadata | None) -> tuple[set[str], set[str]] | None:
    """(lowercased declared names and account names, e-mail domains) of a record; None when nothing is declared."""
    if meta is None:
        return None
    text = meta.authors or meta.extra.get("authors") or ""
    if not text and not meta.maintainers:
        return None
    domains = {m.group(0).split("@", 1)[1].lower() for m in _MAIL.finditer(text)} - _GENERIC_MAIL
    text = _MAIL.sub(" ", text)
    people = {p.strip(" <>()\"'").lower() for p in _PEOPLE_SPLIT.split(text)} - {""}
    people |= {x.lower() for x in meta.maintainers or ()}
    people = {p for p in people if len(p) >= 4 and p not in ("unknown", "none", "author", "maintainers")}
    return (people, domains) if people or domains else None


def sig_author_imitation(pair: Pair) -> Signal:
    """The suspect declares the target's author (name or e-mail domain) without sharing a registry account with it."""
    a, b = _people(pair.suspect_meta), _people(pair.target_meta)
    if a is None or b is None or pair.suspect_meta is None or pair.target_meta is None:
        return Signal("author_imitation", None)
    shared_accounts = {x.lower() for x in pair.suspect_meta.maintainers or ()} & {
        x.lower() for x in pair.target_meta.maintainers or ()}
    if shared_accounts:
        return Signal("author_imitation", 0.0)
    hit = sorted((a[0] & b[0]) | (a[1] & b[1]))
    if hit:
        return Signal("author_imitation", 1.0, f"declares `{pair.target}`'s author ({hit[0][:40]}) from another account")
    return Signal("author_imitation", 0.0)


#: Summary embedding similarity at or below which two packages serve different purposes, and at or above
#: which the suspect describes itself as the target (unrelated npm summaries score about 0.3-0.5).
DIFFERENT_PURPOSE, SAME_PURPOSE = 0.45, 0.85


def sig_description_similarity(pair: Pair) -> Signal:
    """Similarity of the embeddings of the two summaries (low = a distinct purpose); unknown without the table."""
    a, b = _summary(pair.suspect_meta), _summary(pair.target_meta)
    tv = pair.text_vectors
    if tv is None or not a or not b or _summary_copied(pair):  # a copy is `description_copied`'s to speak for
        return Signal("description_similarity", None)
    va, vb = tv.vector(_bag(a)), tv.vector(_bag(b))
    if va is None or vb is None:
        return Signal("description_similarity", None)
    sim = float(va @ vb)
    if sim <= DIFFERENT_PURPOSE:
        return Signal("description_similarity", sim, f"different purpose: its description is unlike `{pair.target}`'s")
    if sim >= SAME_PURPOSE:
        return Signal("description_similarity", sim, f"description resembles `{pair.target}`'s")
    return Signal("description_similarity", sim)


def _summary_copied(pair: Pair) -> bool:
    """The suspect's summary is the target's, word for word or nearly."""
    a, b = _summary(pair.suspect_meta), _summary(pair.target_meta)
    if not a or not b:
        return False
    return _same_text(a, b)


#: A summary of this many words found whole inside the other is a copy with words added (`Fork of: ...`).
COPY_MIN_WORDS = 5


@lru_cache(maxsize=4096)
def _same_text(a: str, b: str) -> bool:
    """Two summaries are the same text, word for word or nearly, or one holds the other whole, the held one
    `COPY_MIN_WORDS` words or more (asked by three signals of each pair)."""
    x, y = _norm_text(a), _norm_text(b)
    if x == y or text_similarity(a, b) >= 0.92:
        return True
    short, long = sorted((x, y), key=len)
    return short.count(" ") + 1 >= COPY_MIN_WORDS and f" {short} " in f" {long} "


def sig_description_copied(pair: Pair) -> Signal:
    """The suspect's summary (or README) is a copy of the target's: impersonation."""
    sm, tm = pair.suspect_meta, pair.target_meta
    a, b = _summary(sm), _summary(tm)
    ra = sm.readme if sm is not None else None
    rb = tm.readme if tm is not None else None
    known = False
    if a and b and len(_bag(b)) >= 2:
        known = True
        if _summary_copied(pair):
            return Signal("description_copied", 1.0, f"description copied from `{pair.target}`")
    if ra and rb and len(rb) >= 200:
        known = True
        if Levenshtein.normalized_similarity(ra[:2000], rb[:2000]) >= 0.9:
            return Signal("description_copied", 1.0, f"README copied from `{pair.target}`")
    return Signal("description_copied", 0.0 if known else None)


def sig_mentions_target(pair: Pair) -> Signal:
    """The suspect's summary names the target (a plugin/binding for it, or a claim to be it). A copy of the
    target's own summary names it only because the target names itself: 0."""
    s = _summary(pair.suspect_meta)
    if not s:
        return Signal("mentions_target", None)
    if _summary_copied(pair):
        return Signal("mentions_target", 0.0)
    leaf = names.leaf(pair.target)
    words = {leaf, leaf.replace("-", " "), leaf.replace("_", " ")}
    ns = names.namespace(pair.target)
    if ns:
        words.add(ns.rsplit("/", 1)[-1].rsplit(".", 1)[-1])
    # the package's own name in its summary (`foo-utils: foo-utils for ...`) names nothing else
    text = (" " + _norm_text(s) + " ").replace(" " + _norm_text(names.leaf(pair.suspect)) + " ", " ")
    hit = next((w for w in sorted(words) if len(w) >= 3 and f" {_norm_text(w)} " in text), None)
    if hit:
        return Signal("mentions_target", 1.0, f"its description mentions '{hit}' (built for or around `{pair.target}`)")
    return Signal("mentions_target", 0.0)


def sig_silent_on_target(pair: Pair) -> Signal:
    """The name embeds the target's whole name plus other words, yet the summary never names the target.

    A plugin, binding or fork built around a package says so (`Django app for audit logs`); a combosquat
    borrows the name and describes something else, or a generic purpose (`A library for web scraping`).
    Unknown without a summary of three or more words, for a snapshot's record (like `summary_descriptive`:
    a listed package has already survived) and for a copy of the target's summary (which never names its own
    package; `description_copied` speaks for it, once); 0 when the summary names the target
    (`mentions_target` speaks for that)."""
    m = pair.suspect_meta
    s = _summary(m)
    # a copy of the target's summary never names the target (it is the target's own): `description_copied`'s
    if (m is None or m.source.startswith("snapshot:") or not s or len(_WORD.findall(s.lower())) < 3
            or _summary_copied(pair)):
        return Signal("silent_on_target", None)
    if not sig_contains_target(pair).value:
        return Signal("silent_on_target", 0.0)
    if sig_mentions_target(pair).value:
        return Signal("silent_on_target", 0.0)
    return Signal("silent_on_target", 1.0,
                  f"named after `{pair.target}` plus other words, but its description never mentions it")


def sig_suspect_downloads(pair: Pair) -> Signal:
    """log10 of the suspect's monthly downloads."""
    d = _monthly_downloads(pair.suspect_meta)
    if d is None:
        return Signal("suspect_downloads", None)
    reason = f"used: about {_human(d)} downloads a month" if d >= 20000 else (
        f"hardly used: {_human(d)} downloads a month" if d < 300 else None)
    return Signal("suspect_downloads", math.log10(d + 1), reason)


def sig_download_ratio(pair: Pair) -> Signal:
    """log10 of suspect/target monthly downloads."""
    a, b = _monthly_downloads(pair.suspect_meta), _monthly_downloads(pair.target_meta)
    if a is None or b is None:
        return Signal("download_ratio", None)
    return Signal("download_ratio", math.log10((a + 1) / (b + 1)))


def sig_suspect_popular(pair: Pair) -> Signal:
    """The suspect is itself widely used (≥ 50k downloads a month, or in PyPI's top 15,000)."""
    m = pair.suspect_meta
    if m is None:
        return Signal("suspect_popular", None)
    rank = _pypi_rank(m)
    if rank is not None:
        return Signal("suspect_popular", 1.0, f"itself among PyPI's most downloaded projects (rank {rank})")
    d = _monthly_downloads(m)
    if d is not None:
        if d >= 50000:
            return Signal("suspect_popular", 1.0, f"widely used itself ({_human(d)} downloads a month)")
        return Signal("suspect_popular", 0.0)
    if m.package.ecosystem is Ecosystem.PYPI and m.source.startswith("snapshot:"):
        return Signal("suspect_popular", 0.0)  # the PyPI snapshot ranks the top 15,000: absent rank = not among them
    return Signal("suspect_popular", None)


def sig_target_downloads(pair: Pair) -> Signal:
    """log10 of the target's monthly downloads."""
    d = _monthly_downloads(pair.target_meta)
    return Signal("target_downloads", None if d is None else math.log10(d + 1))


def sig_release_age(pair: Pair) -> Signal:
    """Months since the suspect's latest release (long dormant = an old, settled package)."""
    m = pair.suspect_meta
    if m is None or m.latest_release is None or _too_young(pair):
        return Signal("release_age", None)
    months = _days_since(pair, m.latest_release) / 30.44
    reason = f"last released {int(months // 12)} years ago" if months >= 36 else None
    return Signal("release_age", months, reason)


def sig_age(pair: Pair) -> Signal:
    """log10 of the suspect's age in days (first release)."""
    m = pair.suspect_meta
    if m is None or m.created is None or _too_young(pair):
        return Signal("age", None)
    days = _days_since(pair, m.created)
    reason = f"brand new: first published {int(days)} days ago" if days < 30 else (
        f"established: first published {int(days // 365)} years ago" if days >= 730 else None)
    return Signal("age", math.log10(days + 1), reason)


def sig_version_count(pair: Pair) -> Signal:
    """log2 of the number of published versions."""
    m = pair.suspect_meta
    if m is None or m.version_count is None or _too_young(pair):
        return Signal("version_count", None)
    n = max(1, m.version_count)
    reason = "a single published version" if n == 1 else (f"{n} published versions" if n >= 10 else None)
    return Signal("version_count", math.log2(n), reason)


_FIRST = frozenset({"0.0.0", "0.0.1", "0.0.2", "0.1.0", "1.0.0", "0.0.1-0", "1.0.0-0"})


def sig_initial_version(pair: Pair) -> Signal:
    """The latest version is a first version (0.0.1, 1.0.0...): nothing was ever updated."""
    m = pair.suspect_meta
    if m is None or not m.latest_version or "-security" in m.latest_version:
        return Signal("initial_version", None)
    v = m.latest_version.strip().lower().lstrip("v")
    if v in _FIRST:
        return Signal("initial_version", 1.0, f"only ever at version {v}")
    return Signal("initial_version", 0.0)


def sig_release_cadence(pair: Pair) -> Signal:
    """log10 of versions per year since the first release."""
    m = pair.suspect_meta
    if m is None or m.version_count is None or m.created is None or _too_young(pair):
        return Signal("release_cadence", None)
    years = max(1 / 12, _days_since(pair, m.created) / 365.25)
    return Signal("release_cadence", math.log10(m.version_count / years + 0.1))


def sig_readme_length(pair: Pair) -> Signal:
    """log10 of the README length (0 = none)."""
    m = pair.suspect_meta
    if m is None:
        return Signal("readme_length", None)
    n = m.readme_length if m.readme_length is not None else (len(m.readme) if m.readme is not None else None)
    if n is None:
        return Signal("readme_length", None)
    reason = "no README" if n == 0 else ("a substantial README" if n >= 3000 else None)
    return Signal("readme_length", math.log10(n + 1), reason)


def sig_repository_present(pair: Pair) -> Signal:
    """A repository URL is declared."""
    m = pair.suspect_meta
    if m is None or m.repository_url is None:
        return Signal("repository_present", None)
    has = bool(m.repository_url.strip())
    return Signal("repository_present", _sym(has), None if has else "no source repository")


def _links(meta: PackageMetadata | None) -> set[str]:
    if meta is None:
        return set()
    return {n for u in (meta.repository_url, meta.homepage_url) if u and u.strip() and "/" in (n := _repo_norm(u))}


def sig_repository_is_target(pair: Pair) -> Signal:
    """The suspect's repository or homepage is the target's own repository (star-jacking, or a fork's leftover)."""
    mine, theirs = _links(pair.suspect_meta), {u for u in _links(pair.target_meta) if u.count("/") >= 2}
    if not mine or not theirs:
        return Signal("repository_is_target", None)
    same = bool(mine & theirs)
    return Signal("repository_is_target", float(same), f"points at `{pair.target}`'s own repository (star-jacking)"
                  if same else None)


def sig_repository_is_own(pair: Pair) -> Signal:
    """The suspect's repository URL is named after the suspect itself."""
    m = pair.suspect_meta
    if m is None or not (m.repository_url or "").strip():
        return Signal("repository_is_own", None)
    repo = _repo_norm(m.repository_url or "")
    leaf = re.sub(r"[-_.]", "", names.leaf(pair.suspect))
    own = bool(leaf) and leaf in re.sub(r"[-_.]", "", repo.rsplit("/", 1)[-1])
    return Signal("repository_is_own", float(own), "has its own source repository" if own else None)


def sig_deprecated(pair: Pair) -> Signal:
    """The registry marks the suspect deprecated."""
    m = pair.suspect_meta
    if m is None or m.deprecated is None:
        return Signal("deprecated", None)
    return Signal("deprecated", float(m.deprecated), "deprecated by its maintainers" if m.deprecated else None)


def sig_yanked(pair: Pair) -> Signal:
    """The latest release is yanked (PyPI) or retracted (Go)."""
    m = pair.suspect_meta
    if m is None or (m.yanked is None and m.retracted is None):
        return Signal("yanked", None)
    hit = bool(m.yanked or m.retracted)
    return Signal("yanked", float(hit), "its release was yanked or retracted" if hit else None)


def sig_relocated(pair: Pair) -> Signal:
    """The registry says the suspect moved (Maven relocation, HF/PyPI rename): a renamed package."""
    m = pair.suspect_meta
    if m is None or m.relocated_to is None:
        return Signal("relocated", None)
    to = m.relocated_to.strip()
    if not to:
        return Signal("relocated", -1.0)
    return Signal("relocated", 1.0, f"officially relocated to {to}")


def sig_maintainer_overlap(pair: Pair) -> Signal:
    """The suspect shares a maintainer with the target."""
    sm, tm = pair.suspect_meta, pair.target_meta
    if sm is None or tm is None or not sm.maintainers or not tm.maintainers:
        return Signal("maintainer_overlap", None)
    shared = sorted({x.lower() for x in sm.maintainers} & {x.lower() for x in tm.maintainers})
    if shared:
        return Signal("maintainer_overlap", 1.0, f"same maintainer as `{pair.target}` ({shared[0]})")
    return Signal("maintainer_overlap", 0.0)  # the norm for any other publisher's package: no evidence


def sig_maintainer_popular(pair: Pair) -> Signal:
    """A maintainer of the suspect also maintains other popular packages."""
    sm = pair.suspect_meta
    if sm is None or not sm.maintainers or pair.popular_maintainers is None:
        return Signal("maintainer_popular", None)
    hit = sorted({x.lower() for x in sm.maintainers} & pair.popular_maintainers)
    if hit:
        return Signal("maintainer_popular", 1.0, f"maintainer {hit[0]} also maintains popular packages")
    return Signal("maintainer_popular", 0.0)


def sig_pickle_weights(pair: Pair) -> Signal:
    """Hugging Face: the lookalike ships code that runs on load: pickle-format files, or a dataset loading script."""
    m = pair.suspect_meta
    if m is None or pair.suspect.ecosystem is not Ecosystem.HUGGINGFACE:
        return Signal("pickle_weights", None)
    if m.loading_script:
        return Signal("pickle_weights", 1.0, f"ships the loading script {m.loading_script} (code runs on load_dataset)")
    p = m.has_pickle_weights
    if p is None:
        return Signal("pickle_weights", None)
    return Signal("pickle_weights", float(p), "ships pickle-format files (code runs when loaded)" if p else None)


def _human(n: float) -> str:
    if n >= 1e6:
        return f"{n / 1e6:.1f}M"
    if n >= 1e3:
        return f"{n / 1e3:.0f}k"
    return str(int(n))


# -- the feature table ------------------------------------------------------------------------------

_N = "name"
#: Logit weight of a wide look-alike (`sig_wide_lookalike`) for a model trained without wide rows: no name-only
#: evidence reaches the threshold past it, while the record's threat signals together can. Training on
#: upload-day records learns it (the judge never alerts a wide candidate without its record either way).
WIDE_PRIOR = -4.0
SignalFunction = Callable[[Pair], Signal]
#: Every signal, in model-feature order: how it becomes a feature, and the function computing it. Adding a
#: signal is one entry here; a model trained before it existed weighs it at its `prior` (its unknown state
#: always contributes 0). Priors (logit units, + = threat) also apply to features the training data never
#: exercised (e.g. maintainers and READMEs, absent from offline snapshots). The `cat_*` entries read the
#: category groups of `categories.RULES`.
SIGNALS: tuple[tuple[FeatureSpec, SignalFunction], ...] = (
    _category_entry("cat_typo", "name is a one-character typo of {}"),
    _category_entry("cat_homoglyph", "name is look-alike characters imitating {}"),
    _category_entry("cat_delimiter", "name is the same words as {}"),
    _category_entry("cat_affix", "name adds a word to {}"),
    _category_entry("cat_simplification", "name is a shortened form of {}"),
    _category_entry("cat_reordering", "name is the words of {}"),
    _category_entry("cat_spelling", "name is a respelling of {}"),
    _category_entry("cat_substitution", "name is a word swapped in {}"),
    _category_entry("cat_scope", "name is a namespace trick on {}"),
    _category_entry("cat_version", "name is a version suffix on {}"),
    (FeatureSpec("edit_distance", 2.0, 2.0, -1.0, 3.0, group=_N), sig_edit_distance),
    (FeatureSpec("name_similarity", 0.75, 0.25, group=_N), sig_name_similarity),
    (FeatureSpec("embedding_similarity", 0.7, 0.2, group=_N), sig_embedding_similarity),
    (FeatureSpec("target_popularity", 3.0, 1.0, group=_N), sig_target_popularity),
    (FeatureSpec("name_length", 10.0, 5.0, -2.0, 3.0, group=_N), sig_name_length),
    (FeatureSpec("extension_word", 0.0, group=_N, prior=-0.5), sig_extension_word),
    (FeatureSpec("campaign_word", 0.0, group=_N, prior=1.0), sig_campaign_word),
    (FeatureSpec("family_member", 0.0, group=_N, prior=-0.5), sig_family_member),
    (FeatureSpec("scoped_elsewhere", 0.0, group=_N, prior=-1.0), sig_scoped_elsewhere),
    (FeatureSpec("namespace_lookalike", 0.0, group=_N, prior=1.0), sig_namespace_lookalike),
    (FeatureSpec("typo_to_word", 0.0, group=_N, prior=-0.5), sig_typo_to_word),
    (FeatureSpec("contains_target", 0.0, group=_N), sig_contains_target),
    (FeatureSpec("token_overlap", 0.5, 0.5, group=_N), sig_token_overlap),
    (FeatureSpec("extra_nonword", 0.0, group=_N), sig_extra_nonword),
    (FeatureSpec("close_popular", 0.0, group=_N, prior=1.0), sig_close_popular),
    (FeatureSpec("same_namespace", 0.0, group=_N, prior=-2.0), sig_same_namespace),
    # a wide shape alone is never an alert (`Judge.judge_one`): only evidence from the record can outweigh this
    (FeatureSpec("wide_lookalike", 0.0, group=_N, prior=WIDE_PRIOR), sig_wide_lookalike),
    # an allowlisted namespace can only be published to by its organisation: never a third party's squat
    (FeatureSpec("allowlisted_org", 0.0, group=_N, prior=-6.0, fixed=True), sig_allowlisted_org),
    (FeatureSpec("security_holding", 0.0, prior=4.0, sign=1), sig_security_holding),
    (FeatureSpec("placeholder_text", 0.0, prior=-1.5), sig_placeholder_text),
    (FeatureSpec("survived", 0.0, prior=-1.0, sign=-1), sig_survived),
    (FeatureSpec("summary_empty", 0.0, prior=0.7, sign=1), sig_summary_empty),
    (FeatureSpec("summary_boilerplate", 0.0, prior=0.7, sign=1), sig_summary_boilerplate),
    (FeatureSpec("summary_gibberish", 0.0, prior=2.0, sign=1), sig_summary_gibberish),
    (FeatureSpec("summary_descriptive", 0.0, prior=-0.5, sign=-1), sig_summary_descriptive),
    # n other new packages with the same specific summary: +1 logit for one, +2 for two, +2.5 from three on;
    # no training source has sweep peers, so the prior stands
    (FeatureSpec("summary_shared", 0.0, 2.0, 0.0, 1.25, prior=2.0, sign=1), sig_summary_shared),
    (FeatureSpec("first_version_high", 0.0, prior=1.0, sign=1), sig_first_version_high),
    (FeatureSpec("source_only", 0.0, prior=1.5, sign=1), sig_source_only),
    (FeatureSpec("install_script", 0.0, prior=3.0, sign=1), sig_install_script),
    # a dropper (install code that downloads and runs code) in a brand-new lookalike: a documented rule, not an estimate
    (FeatureSpec("install_fetch_exec", 0.0, prior=6.0, sign=1, fixed=True), sig_install_fetch_exec),
    (FeatureSpec("account_fresh", 0.0, prior=0.6, sign=1), sig_account_fresh),
    (FeatureSpec("author_imitation", 0.0, prior=2.0, sign=1), sig_author_imitation),
    (FeatureSpec("description_similarity", 0.6, 0.2, -2.0, 2.0, prior=0.5, sign=1), sig_description_similarity),
    (FeatureSpec("description_copied", 0.0, prior=2.0, sign=1), sig_description_copied),
    (FeatureSpec("mentions_target", 0.0, prior=-0.5, sign=-1), sig_mentions_target),
    (FeatureSpec("silent_on_target", 0.0, prior=0.8, sign=1), sig_silent_on_target),
    (FeatureSpec("summary_off_name", 0.0, prior=0.8, sign=1), sig_summary_off_name),
    # every package a nightly sweep meets is new and little downloaded: freshness (few downloads, young,
    # no README) adds little threat evidence (`lo`), established use a lot of benign evidence
    (FeatureSpec("suspect_downloads", 3.0, 1.0, 0.0, prior=-0.5, sign=-1), sig_suspect_downloads),
    (FeatureSpec("download_ratio", -3.0, 1.0, prior=-0.3, sign=-1), sig_download_ratio),
    (FeatureSpec("suspect_popular", 0.0, prior=-1.0, sign=-1), sig_suspect_popular),
    (FeatureSpec("target_downloads", 5.0, 1.0), sig_target_downloads),
    (FeatureSpec("release_age", 24.0, 24.0, -1.0, 3.0, prior=-0.3, sign=-1), sig_release_age),
    (FeatureSpec("age", 2.5, 1.0, -1.0, prior=-0.8, sign=-1), sig_age),
    (FeatureSpec("version_count", 2.0, 2.0, prior=-0.6, sign=-1), sig_version_count),
    (FeatureSpec("initial_version", 0.0, prior=0.3, sign=1), sig_initial_version),
    (FeatureSpec("release_cadence", 0.7, 1.0, prior=-0.2, sign=-1), sig_release_cadence),
    (FeatureSpec("readme_length", 3.0, 1.0, -1.0, prior=-0.6, sign=-1), sig_readme_length),
    (FeatureSpec("repository_present", 0.0, prior=-0.4, sign=-1), sig_repository_present),
    (FeatureSpec("repository_is_target", 0.0, prior=2.0, sign=1), sig_repository_is_target),
    (FeatureSpec("repository_is_own", 0.0, prior=-1.2, sign=-1), sig_repository_is_own),
    (FeatureSpec("deprecated", 0.0, prior=-0.5, sign=-1), sig_deprecated),
    (FeatureSpec("yanked", 0.0, prior=0.2, sign=1), sig_yanked),
    (FeatureSpec("relocated", 0.0, prior=-2.0, sign=-1), sig_relocated),
    # a registry account in common: only the target's own maintainers can publish from it (a guarantee, not an estimate)
    (FeatureSpec("maintainer_overlap", 0.0, prior=-8.0, sign=-1, fixed=True), sig_maintainer_overlap),
    (FeatureSpec("maintainer_popular", 0.0, prior=-1.0, sign=-1), sig_maintainer_popular),
    (FeatureSpec("pickle_weights", 0.0, prior=1.0, sign=1), sig_pickle_weights),
)


class SignalTable:
    """An ordered list of (spec, function): computes a pair's signals and turns them into model features."""

    def __init__(self, entries: tuple[tuple[FeatureSpec, SignalFunction], ...]) -> None:
        self.entries = tuple(entries)
        self.features: tuple[FeatureSpec, ...] = tuple(spec for spec, _ in self.entries)
        self.names: tuple[str, ...] = tuple(f.name for f in self.features)
        if len(set(self.names)) != len(self.names):
            raise ValueError("two signals share a name")
        self._functions = tuple(fn for _, fn in self.entries)
        self._neutral = np.array([f.neutral for f in self.features])
        self._scale = np.array([f.scale for f in self.features])
        self._lo = np.array([f.lo for f in self.features])
        self._hi = np.array([f.hi for f in self.features])
        self.priors = np.array([f.prior for f in self.features])
        """Each feature's documented prior weight (logit units)."""

    def extended(self, *entries: tuple[FeatureSpec, SignalFunction]) -> SignalTable:
        """This table with more signals appended."""
        return SignalTable(self.entries + tuple(entries))

    def compute(self, pair: Pair) -> tuple[Signal, ...]:
        """Every signal of `pair`, in table order."""
        return tuple(fn(pair) for fn in self._functions)

    def vector(self, signals: tuple[Signal, ...]) -> np.ndarray:
        """Model features: `(value - neutral) / scale` clipped to [lo, hi]; 0 for unknown signals."""
        raw = np.array([np.nan if s.value is None else s.value for s in signals], dtype=np.float64)
        x = np.clip((raw - self._neutral) / self._scale, self._lo, self._hi)
        return np.where(np.isnan(raw), 0.0, x)


#: The signals this confuguard computes.
TABLE = SignalTable(SIGNALS)
FEATURES: tuple[FeatureSpec, ...] = TABLE.features
FEATURE_NAMES: tuple[str, ...] = TABLE.names


def compute(pair: Pair) -> tuple[Signal, ...]:
    """Every signal of `pair`, in FEATURES order."""
    return TABLE.compute(pair)


def vector(signals: tuple[Signal, ...]) -> np.ndarray:
    """Model features: `(value - neutral) / scale` clipped to [lo, hi]; 0 for unknown signals."""
    return TABLE.vector(signals)


def known_mask(signals: tuple[Signal, ...]) -> np.ndarray:
    """True where the signal is known."""
    return np.array([s.value is not None for s in signals])


@dataclass(slots=True)
class Coverage:
    """How often each signal was known, for reports."""

    counts: Counter[str] = field(default_factory=Counter)
    rows: int = 0

    def add(self, signals: tuple[Signal, ...]) -> None:
        """Count one pair."""
        self.rows += 1
        self.counts.update(s.name for s in signals if s.value is not None)


__all__ = [
    "EXTENSION_WORDS", "FEATURES", "FEATURE_NAMES", "SIGNALS", "TABLE", "Coverage", "FeatureSpec", "Pair", "Signal",
    "SignalFunction", "SignalTable",
    "compute", "known_mask", "text_similarity", "vector",
]
