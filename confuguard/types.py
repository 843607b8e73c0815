"""Core value types shared by every layer. No I/O here."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import UTC, datetime


def as_utc(when: datetime) -> datetime:
    """`when` in UTC; a naive time is taken to be UTC already (registries and the store write UTC)."""
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


class Ecosystem(str, enum.Enum):
    """The registries (the six built in, and any added by `confuguard.ecosystems.register`). Values are the CLI
    names; each has a descriptor, `confuguard.ecosystems.spec(eco)`."""

    NPM = "npm"
    PYPI = "pypi"
    RUBYGEMS = "rubygems"
    MAVEN = "maven"
    GOLANG = "golang"
    HUGGINGFACE = "huggingface"

    @property
    def purl_type(self) -> str:
        """The purl type of this registry (`gem` for RubyGems)."""
        from confuguard.ecosystems import spec

        return spec(self).purl_type

    @classmethod
    def parse(cls, text: str) -> Ecosystem:
        """Parse a registry name or alias (`gem`, `go`, `hf`, `pip`...)."""
        from confuguard.ecosystems import by_alias

        found = by_alias(text)
        if found is None:
            choices = ", ".join(e.value for e in cls)
            raise ValueError(f"unknown registry {text!r} (choose one of: {choices}; aliases gem, go, hf)")
        return found


@dataclass(frozen=True, slots=True)
class PackageId:
    """A package identity on one registry, as written by the registry (not normalised).

    `namespace` is the npm scope (without `@`), the Maven groupId, the Go module path
    up to the owner (`github.com/gorilla`), or the Hugging Face author; `None` when the
    registry or the name has none. Build instances with `confuguard.names.parse`.
    """

    ecosystem: Ecosystem
    name: str
    namespace: str | None = None
    subpath: str | None = None
    """Go only: the part of an import path below the module (`/v2`-style suffixes excluded)."""
    kind: str | None = None
    """Hugging Face only: `dataset` for a dataset repository (`datasets/openai/gsm8k`); None for models
    and every other registry's packages."""

    def __str__(self) -> str:
        from confuguard.names import display

        return display(self)


@dataclass(frozen=True, slots=True)
class WeightFile:
    """One model weight file of a Hugging Face repository."""

    path: str
    format: str
    """`pickle` (.bin/.pt/.pth/.pkl/.ckpt), `safetensors`, `gguf`, `onnx` or `other`."""
    size: int | None = None


@dataclass(frozen=True, slots=True)
class PackageMetadata:
    """What a registry (or an offline snapshot) knows about one package.

    `None` always means *unknown*; an empty tuple or string means *known to be empty*.
    """

    package: PackageId
    source: str
    """Where this came from: `live`, `snapshot:<file>`, `fixture`..."""
    fetched_at: datetime | None = None
    summary: str | None = None
    readme: str | None = None
    """README text, truncated (see `readme_length` for the full length)."""
    readme_length: int | None = None
    maintainers: tuple[str, ...] | None = None
    """Registry accounts that can publish it (npm maintainers, PyPI roles, RubyGems owners, the Hugging Face
    author); never free-text author fields, which anyone can fill with a famous name (kept in `extra`)."""
    created: datetime | None = None
    latest_release: datetime | None = None
    latest_version: str | None = None
    version_count: int | None = None
    downloads: int | None = None
    downloads_window: str | None = None
    """`last-month`, `last-week`, `30d`, `all-time`, `rank` (PyPI snapshot rank)..."""
    repository_url: str | None = None
    homepage_url: str | None = None
    license: str | None = None
    dependency_count: int | None = None
    deprecated: bool | None = None
    deprecation_message: str | None = None
    yanked: bool | None = None
    retracted: bool | None = None
    relocated_to: str | None = None
    """Maven relocation target / HF or PyPI rename target, when the registry says so."""
    security_holding: bool | None = None
    """npm replaced the package with its `0.0.1-security` placeholder (a malware takedown)."""
    install_scripts: bool | None = None
    """The package runs its own code at install: npm `preinstall`/`install`/`postinstall` scripts, or a PyPI
    sdist whose setup.py passes a `cmdclass` (read only when the sdist is inspected)."""
    source_only: bool | None = None
    """PyPI: the latest release uploaded an sdist and no wheel (so installing it runs its setup code)."""
    install_behaviour: tuple[str, ...] | None = None
    """What the install-time code was read to do (`cmdclass`, `runs-commands`, `downloads`, `executes-code`,
    `decodes-payload`): npm's install hook command lines (always read), a PyPI sdist's setup.py (opt-in
    `[fetch] sdist`); () when read and it does none of them, None when not read (why: `extra["install_hook"]`)."""
    account_packages: int | None = None
    """How many packages the account that publishes it holds, this one included (opt-in `[fetch] accounts`;
    1 = a fresh account with no other package); None when unknown (why: `extra["account"]`)."""
    authors: str | None = None
    """Free-text author/maintainer names and e-mails as declared (PyPI `author*`/`maintainer*`, npm `author`):
    anyone can write any name here, so they never count as maintainers; compared with the target's to spot
    imitation."""
    # Hugging Face
    author: str | None = None
    likes: int | None = None
    tags: tuple[str, ...] | None = None
    library: str | None = None
    gated: bool | None = None
    weight_files: tuple[WeightFile, ...] | None = None
    loading_script: str | None = None
    """Hugging Face datasets: the loading script at the repository root (`<name>.py`, which `load_dataset`
    runs with trust_remote_code), '' when the repository has none."""
    extra: dict[str, str] = field(default_factory=dict)
    """Registry-specific facts worth showing, as plain strings."""

    @property
    def has_pickle_weights(self) -> bool | None:
        """True when any weight file uses a pickle-based format; None if unknown."""
        if self.weight_files is None:
            return None
        return any(w.format == "pickle" for w in self.weight_files)


class Category(str, enum.Enum):
    """Confusion categories (Typomind's taxonomy plus namespace and version tricks)."""

    TYPO = "typo"
    """One Damerau-Levenshtein step: insertion, deletion, substitution or adjacent swap."""
    HOMOGLYPH = "homoglyph"
    """Look-alike characters (ASCII `l`/`1`, `rn`/`m`, or Unicode confusables)."""
    DELIMITER = "delimiter"
    """Same tokens, different or missing separators."""
    AFFIX = "affix"
    """The target name plus an extra leading or trailing term."""
    ALTERNATE_SPELLING = "alternate_spelling"
    """US/UK spelling of one token."""
    SIMPLIFICATION = "simplification"
    """The suspect drops part of the target name."""
    REORDERING = "reordering"
    """Same tokens in a different order."""
    SEMANTIC_SUBSTITUTION = "semantic_substitution"
    """A token replaced by a synonym or related word."""
    ASEMANTIC_SUBSTITUTION = "asemantic_substitution"
    """A token replaced by an unrelated technical term."""
    GRAMMATICAL_SUBSTITUTION = "grammatical_substitution"
    """Plural, tense or derivation change of one token."""
    HOMOPHONIC = "homophonic"
    """Sounds the same, spelled differently."""
    SCOPE = "scope"
    """Namespace confusion: npm scope, Maven groupId, Go owner/host, HF author."""
    VERSION_SUFFIX = "version_suffix"
    """A version or number added, dropped or changed (`requests2`, `lodash-v4`)."""


class Verdict(str, enum.Enum):
    """The verdict on one checked name."""

    POPULAR = "popular"
    """The name is itself one of the popular targets."""
    CLEAN = "clean"
    """No popular package is imitated."""
    SUSPICIOUS = "suspicious"
    """It imitates a popular package and nothing says it is harmless."""
    BENIGN = "benign"
    """It resembles a popular package, but the evidence says it is harmless."""
    INVALID = "invalid"
    """Not a valid name on this registry."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One confusion category that explains a (suspect, target) pair, in words."""

    category: Category
    detail: str
    """A short explanation, e.g. "swaps 'e' and 'u'", "drops the scope @babel"."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A popular package the suspect may imitate, with the evidence."""

    target: PackageId
    target_rank: int
    """1 = the most popular package of its registry in the bundled list."""
    findings: tuple[Finding, ...]
    score: float
    """Name confusability in [0, 1]."""
    edit_distance: int
    """Damerau-Levenshtein distance between the comparison keys."""
    embedding_similarity: float | None
    """Cosine similarity of the name embeddings, None when not computed."""
    found_by: frozenset[str]
    """Which generators proposed it: `edit`, `embedding`, `token`, `namespace`, `affix`."""
    threat_probability: float | None = None
    verdict: Verdict | None = None
    """SUSPICIOUS or BENIGN once judged."""
    reasons: tuple[str, ...] = ()
    """Plain-words reasons for the verdict (benign and threat signals)."""
    needs_evidence: bool = False
    """A wide look-alike (`confuguard.wide`): a name shape ordinary packages share, alerted only on
    evidence from the package's own record."""

    @property
    def categories(self) -> tuple[Category, ...]:
        """The distinct categories, in finding order."""
        return tuple(dict.fromkeys(f.category for f in self.findings))


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of checking one name."""

    query: str
    ecosystem: Ecosystem
    verdict: Verdict
    package: PackageId | None = None
    candidates: tuple[Candidate, ...] = ()
    reasons: tuple[str, ...] = ()
    metadata: dict[str, PackageMetadata] = field(default_factory=dict)
    """Metadata used for the verdict, keyed by purl (suspect and targets), when any."""


@dataclass(frozen=True, slots=True)
class Alert:
    """A suspicious (suspect, target) pair raised by a sweep, as the store keeps it.

    The evidence comes from the sweep (`confuguard.sweep.alert_row`); `id`, the times and runs,
    `status` and the latest analyst verdict are the store's (these defaults until it is stored).
    """

    ecosystem: str
    """The registry of both packages (an `Ecosystem` value)."""
    suspect_key: str
    suspect: str
    target_key: str
    target: str
    target_rank: int | None
    categories: tuple[str, ...]
    edit_distance: int | None
    embedding_similarity: float | None
    threat_probability: float | None
    verdict: str
    reasons: tuple[str, ...]
    """Name findings, then the classifier's reasons, then the sweep's notes."""
    model_version: str
    id: int = 0
    first_seen: str = ""
    last_seen: str = ""
    first_run: int = 0
    last_run: int = 0
    status: str = "open"
    """`open`, `held` (over the night's cap) or `triaged` (an analyst said malicious or benign)."""
    analyst_verdict: str | None = None
    """The latest analyst verdict (`malicious`, `benign`, `unsure`), by `analyst`, with its note and time."""
    analyst: str | None = None
    analyst_note: str | None = None
    verdict_recorded_at: str | None = None


@dataclass(frozen=True, slots=True)
class AlertRecord:
    """A stored alert as the analysts get it (CSV, list, OSV record, page): with both packages' purls and
    links (empty when a stored name no longer parses)."""

    alert: Alert
    suspect_purl: str = ""
    suspect_url: str = ""
    target_purl: str = ""
    target_url: str = ""
