"""One descriptor per registry: everything registry-specific that the application needs, in one place.

    spec(Ecosystem.NPM).probe                  -> "lodahs"
    spec(eco).web_url(pkg)                     -> the package's page on the registry's website
    register(EcosystemSpec(name="toy", ...))   -> Ecosystem("toy"): served, checked, swept and exported

Identity (parsing, validation, purls, comparison keys) lives in `confuguard.names`, HTTP clients in
`confuguard.registries`, dependency-file parsers in `confuguard.depfiles`; every other module asks the
descriptor instead of branching on a registry. A registry unknown here is a clear `InputError`, never a
silent default. `CONTRIBUTING.md` walks through adding one.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from confuguard import names, namespaces
from confuguard.errors import InputError
from confuguard.types import Ecosystem, PackageId

if TYPE_CHECKING:
    from confuguard.protocols import RegistryClient


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One overridable base URL (config key `[urls] KEY`, variable `CONFUGUARD_<KEY>_URL`) and its budget:
    parallel requests and minimum seconds between requests (the registry reference's section 8)."""

    default: str
    concurrency: int = 4
    interval: float = 0.0


@dataclass(frozen=True, slots=True)
class DepFile:
    """One dependency-file format: its parser (`module:function`, called as `parser(path, text, collector)`,
    see `confuguard.depfiles.base.Collector`) and the exact file names it is found by."""

    parser: str
    files: tuple[str, ...] = ()

    def load(self) -> Callable[..., None]:
        """The parser function."""
        parser: Callable[..., None] = _import(self.parser)
        return parser


def _import(ref: str) -> Any:
    module, _, attr = ref.partition(":")
    return getattr(importlib.import_module(module), attr)


@dataclass(frozen=True, slots=True)
class EcosystemSpec:
    """What confuguard knows about one registry outside identity, HTTP and dependency-file parsing."""

    name: str
    """The CLI name and `Ecosystem` value (`rubygems`)."""
    title: str
    """How people write it (`RubyGems`)."""
    purl_type: str
    """The purl type (`gem`)."""
    client: str
    """`module:Class` of its `RegistryClient`, imported on first use."""
    endpoints: Mapping[str, Endpoint]
    """URL config keys; the first serves the packages (a mirror of it gets the alert links)."""
    web_url: Callable[[PackageId], str]
    """The package's page on the registry's public website."""
    mirror_url: Callable[[PackageId, str], str]
    """The package's document on a mirror at base URL (npm packument, PyPI simple page...)."""
    probe: str
    """A near-miss name checked once at warm-up, so a service's first real request is not the slow one."""
    aliases: tuple[str, ...] = ()
    """Other names `--registry` accepts (`gem`, `ruby`)."""
    shape: Callable[[str], bool] | None = None
    """Whether a name's shape says this registry when none is given (`@scope/x` is npm); None: never."""
    namespace: str | None = None
    """What a name's namespace is (`npm scope`, `groupId`), None when names have none."""
    namespace_owner: str = "the namespace {root}, which only its owner can publish to"
    """Who alone publishes in a namespace, in words, with `{root}` the publisher root (`confuguard.namespaces`)."""
    publisher_root: Callable[[PackageId, str], str | None] | None = None
    """The part of a (lowercased) namespace one account owns; None: the whole namespace."""
    personal_namespace: Callable[[PackageId], str | None] | None = None
    """Why a namespace is a personal one anyone can get (Maven `io.github.<user>`), or None."""
    allowlist: str | None = None
    """File stem in `data/allowlist/` of the organisations owning namespaces, None when there is none."""
    osv_ecosystem: str | None = None
    """The registry's name in OSV's ecosystem list, None when OSV has none."""
    depfiles: Mapping[str, DepFile] = field(default_factory=dict)
    """Dependency-file formats it reads, by format name (see `confuguard.depfiles`)."""
    parse_name: Callable[[str], PackageId] | None = None
    """Name parser of a registry `confuguard.names` does not know (the six built in have theirs there)."""
    max_length: int = 255
    """Longest name, for a registry `confuguard.names` does not know."""
    kinds: tuple[str | None, ...] = (None,)
    """`PackageId.kind`s with a popular list of their own (None: the main list; Hugging Face adds `dataset`)."""

    @property
    def ecosystem(self) -> Ecosystem:
        """The `Ecosystem` member of this registry."""
        return Ecosystem(self.name)

    @property
    def url_key(self) -> str:
        """The URL config key that serves the packages."""
        return next(iter(self.endpoints))

    def load_client(self) -> type[RegistryClient]:
        """The registry's client class."""
        cls: type[RegistryClient] = _import(self.client)
        return cls


_SPECS: dict[Ecosystem, EcosystemSpec] = {}
_GENERATION = [0]
_ALIASES: dict[str, Ecosystem] = {}
_URLS: dict[str, str] = {}
_BUDGETS: dict[str, tuple[int, float]] = {}
#: Every overridable base URL by key, the registries' and shared ones (live: registering adds keys).
DEFAULT_URLS: Mapping[str, str] = MappingProxyType(_URLS)
#: (parallel requests, minimum seconds between requests) by URL key.
DEFAULT_BUDGETS: Mapping[str, tuple[int, float]] = MappingProxyType(_BUDGETS)


def _add_endpoints(endpoints: Mapping[str, Endpoint]) -> None:
    for key, ep in endpoints.items():
        if key in _URLS:
            raise ValueError(f"URL key {key!r} is taken")
        _URLS[key] = ep.default
        _BUDGETS[key] = (ep.concurrency, ep.interval)


def _add_member(name: str) -> Ecosystem:
    """A new `Ecosystem` member (the enum stays one type: `Ecosystem("toy") is Ecosystem.TOY`)."""
    member = str.__new__(Ecosystem, name)
    member._name_ = name.upper()
    member._value_ = name
    Ecosystem._member_map_[member._name_] = member
    Ecosystem._value2member_map_[name] = member
    Ecosystem._member_names_.append(member._name_)
    type.__setattr__(Ecosystem, member._name_, member)
    return member


def _drop_member(eco: Ecosystem) -> None:
    del Ecosystem._member_map_[eco.name]
    del Ecosystem._value2member_map_[eco.value]
    Ecosystem._member_names_.remove(eco.name)
    type.__delattr__(Ecosystem, eco.name)


_BUILTIN = frozenset(Ecosystem)


def register(s: EcosystemSpec) -> Ecosystem:
    """Add a registry: its `Ecosystem` member (created when new), aliases and URL keys. ValueError when the
    name, an alias or a URL key is taken."""
    eco = Ecosystem._value2member_map_.get(s.name)
    if eco is not None and eco in _SPECS:
        raise ValueError(f"registry {s.name!r} is registered")
    taken = [a for a in (s.name, s.purl_type, *s.aliases) if a in _ALIASES]
    if taken:
        raise ValueError(f"registry {s.name!r}: {', '.join(taken)} already name a registry")
    _add_endpoints(s.endpoints)
    eco = eco if eco is not None else _add_member(s.name)
    assert isinstance(eco, Ecosystem)
    _SPECS[eco] = s
    _GENERATION[0] += 1
    for alias in (s.name, s.purl_type, *s.aliases):
        _ALIASES[alias] = eco
    return eco


def unregister(eco: Ecosystem) -> None:
    """Remove a registry added by `register` (tests); the six built in stay."""
    if eco in _BUILTIN:
        raise ValueError(f"{eco.value} is built in")
    s = _SPECS.pop(eco)
    _GENERATION[0] += 1
    for alias in (s.name, s.purl_type, *s.aliases):
        _ALIASES.pop(alias, None)
    for key in s.endpoints:
        _URLS.pop(key, None)
        _BUDGETS.pop(key, None)
    _drop_member(eco)


def spec(eco: Ecosystem) -> EcosystemSpec:
    """The descriptor of `eco`; InputError for a registry that has none."""
    try:
        return _SPECS[eco]
    except KeyError:
        raise InputError(f"registry {getattr(eco, 'value', eco)!r} has no descriptor "
                         "(see confuguard.ecosystems.register)") from None


def specs() -> Iterator[EcosystemSpec]:
    """Every registered descriptor, in `Ecosystem` order."""
    return (_SPECS[e] for e in Ecosystem if e in _SPECS)


def generation() -> int:
    """A number that changes whenever a registry is registered or removed (for tables derived from specs)."""
    return _GENERATION[0]


def by_alias(text: str) -> Ecosystem | None:
    """The registry a name or alias (`gem`, `go`, `hf`, `pip`...) stands for, or None."""
    return _ALIASES.get(text.strip().lower())


def guess(name: str) -> Ecosystem:
    """The registry a name's shape implies: a purl's type, else the first registry whose `shape` matches (added
    registries before the six built in), else PyPI. InputError for a purl of a type no registry has."""
    if name.startswith("pkg:"):
        ptype = name[4:].split("/", 1)[0]
        found = by_alias(ptype)
        if found is None:
            raise InputError(f"unknown registry {ptype!r} in purl (choose one of: "
                             f"{', '.join(s.purl_type for s in specs())})")
        return found
    added = [s for s in specs() if s.ecosystem not in _BUILTIN]  # more specific shapes than the six's
    for s in [*added, *(s for s in specs() if s.ecosystem in _BUILTIN)]:
        if s.shape is not None and s.shape(name):
            return s.ecosystem
    return Ecosystem.PYPI


# -- the six registries ---------------------------------------------------------------------------------


def _q(text: str, safe: str = "") -> str:
    return quote(text, safe=safe)


def _go_path(pkg: PackageId) -> str:
    return names.go_module(pkg) if pkg.namespace else names.display(pkg)


def _go_mirror(pkg: PackageId, base: str) -> str:
    escaped = "".join(f"!{c.lower()}" if c.isupper() else c for c in _go_path(pkg))
    return f"{base}/{_q(escaped, '/!')}/@v/list"


def _npm_mirror(pkg: PackageId, base: str) -> str:
    scope = f"@{_q(pkg.namespace)}%2F" if pkg.namespace else ""
    return f"{base}/{scope}{_q(pkg.name)}"


def _hf_shape(name: str) -> bool:
    return "/" in name and not _go_shape(name)


def _go_shape(name: str) -> bool:
    return "/" in name and "." in name.split("/", 1)[0]


_D = "confuguard.depfiles."

BUILTIN_SPECS = (
    EcosystemSpec(
        name="npm", title="npm", purl_type="npm", client="confuguard.registries.npm:NpmRegistry",
        endpoints={"npm": Endpoint("https://registry.npmjs.org", 8),
                   "npm_replicate": Endpoint("https://replicate.npmjs.com", 1, 0.2),
                   "npm_downloads": Endpoint("https://api.npmjs.org", 1, 2.0)},
        web_url=lambda p: f"https://www.npmjs.com/package/{_q(names.display(p), '@/')}",
        mirror_url=_npm_mirror, probe="lodahs", aliases=("node",),
        shape=lambda n: n.startswith("@") and "/" in n, namespace="npm scope",
        namespace_owner="the npm scope @{root}, which only its owner can publish to",
        allowlist="npm", osv_ecosystem="npm",
        depfiles={"package-json": DepFile(_D + "npm:parse_package_json", ("package.json",)),
                  "package-lock": DepFile(_D + "npm:parse_package_lock", ("package-lock.json", "npm-shrinkwrap.json")),
                  "yarn-lock": DepFile(_D + "npm:parse_yarn_lock", ("yarn.lock",)),
                  "pnpm-lock": DepFile(_D + "npm:parse_pnpm_lock", ("pnpm-lock.yaml",))},
    ),
    EcosystemSpec(
        name="pypi", title="PyPI", purl_type="pypi", client="confuguard.registries.pypi:PyPIRegistry",
        endpoints={"pypi": Endpoint("https://pypi.org", 8),
                   "pypi_top": Endpoint("https://hugovk.github.io/top-pypi-packages/top-pypi-packages.min.json", 2)},
        web_url=lambda p: f"https://pypi.org/project/{_q(names.pep503(p.name))}/",
        mirror_url=lambda p, base: f"{base}/simple/{_q(names.pep503(p.name))}/",
        probe="reqeusts", aliases=("pip", "python"), osv_ecosystem="PyPI",
        depfiles={"requirements": DepFile(_D + "python:parse_requirements"),  # found by pattern (depfiles)
                  "pyproject": DepFile(_D + "python:parse_pyproject", ("pyproject.toml",)),
                  "pipfile": DepFile(_D + "python:parse_pipfile", ("Pipfile",)),
                  "pipfile-lock": DepFile(_D + "python:parse_pipfile_lock", ("Pipfile.lock",)),
                  "poetry-lock": DepFile(_D + "python:parse_poetry_lock", ("poetry.lock",)),
                  "uv-lock": DepFile(_D + "python:parse_uv_lock", ("uv.lock",))},
    ),
    EcosystemSpec(
        name="rubygems", title="RubyGems", purl_type="gem", client="confuguard.registries.rubygems:RubyGemsRegistry",
        endpoints={"rubygems": Endpoint("https://rubygems.org", 4, 0.2)},
        web_url=lambda p: f"https://rubygems.org/gems/{_q(p.name)}",
        mirror_url=lambda p, base: f"{base}/gems/{_q(p.name)}",
        probe="railz", aliases=("gems", "ruby"), osv_ecosystem="RubyGems",
        depfiles={"gemfile": DepFile(_D + "ruby:parse_gemfile", ("Gemfile", "gems.rb")),
                  "gemfile-lock": DepFile(_D + "ruby:parse_gemfile_lock", ("Gemfile.lock", "gems.locked"))},
    ),
    EcosystemSpec(
        name="maven", title="Maven Central", purl_type="maven", client="confuguard.registries.maven:MavenRegistry",
        endpoints={"maven": Endpoint("https://repo1.maven.org/maven2", 4),
                   "maven_search": Endpoint("https://central.sonatype.com/solrsearch/select", 1, 1.0)},
        web_url=lambda p: f"https://central.sonatype.com/artifact/{_q(p.namespace or '')}/{_q(p.name)}",
        mirror_url=lambda p, base: f"{base}/{_q((p.namespace or '').replace('.', '/'), '/')}/{_q(p.name)}/",
        probe="org.apache.commons:commons-lang4", aliases=("mvn",),
        shape=lambda n: ":" in n, namespace="groupId",
        namespace_owner="the groupId namespace {root}, which only its verified owner can publish to",
        publisher_root=lambda p, ns: namespaces.maven_root(p, ns), personal_namespace=lambda p: namespaces.maven_personal(p),
        allowlist="maven", osv_ecosystem="Maven",
        depfiles={"pom": DepFile(_D + "maven:parse_pom", ("pom.xml",)),
                  "gradle": DepFile(_D + "maven:parse_gradle", ("build.gradle", "build.gradle.kts"))},
    ),
    EcosystemSpec(
        name="golang", title="Go modules", purl_type="golang", client="confuguard.registries.golang:GoRegistry",
        endpoints={"golang": Endpoint("https://proxy.golang.org", 8),
                   "golang_index": Endpoint("https://index.golang.org", 1, 0.2),
                   "golang_pkgsite": Endpoint("https://pkg.go.dev/v1", 2)},
        web_url=lambda p: f"https://pkg.go.dev/{_q(_go_path(p), '/')}",
        mirror_url=_go_mirror, probe="github.com/gorila/mux", aliases=("go", "gomod"),
        shape=_go_shape, namespace="module path owner",
        namespace_owner="{root}, a module path only its owner can publish under", publisher_root=lambda p, ns: namespaces.go_root(p, ns),
        allowlist="golang", osv_ecosystem="Go",
        depfiles={"go-mod": DepFile(_D + "golang:parse_go_mod", ("go.mod",))},
    ),
    EcosystemSpec(
        name="huggingface", title="Hugging Face", purl_type="huggingface",
        client="confuguard.registries.huggingface:HuggingFaceRegistry",
        endpoints={"huggingface": Endpoint("https://huggingface.co", 2, 0.7)},
        web_url=lambda p: f"https://huggingface.co/{_q(names.display(p), '/')}",
        mirror_url=lambda p, base: f"{base}/{_q(names.display(p), '/')}",
        probe="bert-base/uncased", aliases=("hf",),
        shape=_hf_shape, namespace="author",
        namespace_owner="the Hugging Face namespace {root}, which only that account can publish to",
        allowlist="huggingface", kinds=(None, names.DATASET),
        depfiles={"python-source": DepFile(_D + "huggingface:parse_python_source")},  # *.py, found by pattern
    ),
)

for _spec in BUILTIN_SPECS:
    register(_spec)
#: A shared endpoint, no registry's own: ecosyste.ms package lists (popular lists of some registries).
_add_endpoints({"ecosystems": Endpoint("https://packages.ecosyste.ms/api/v1", 2, 1.0)})

__all__ = ["BUILTIN_SPECS", "DEFAULT_BUDGETS", "DEFAULT_URLS", "DepFile", "EcosystemSpec", "Endpoint", "by_alias", "generation",
           "guess", "register", "spec", "specs", "unregister"]
