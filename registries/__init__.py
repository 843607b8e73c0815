"""Live registry clients behind `confuguard.protocols.RegistryClient`, one module per registry.

    REGISTRIES[Ecosystem.NPM]                 -> NpmRegistry (the client class each descriptor names,
                                                 `confuguard.ecosystems.spec(eco).client`)
    build(Ecosystem.PYPI, config=cfg)         -> a ready client (httpx client, retries, URLs from cfg)
    fetch_live(pkgs, store=store, config=cfg) -> {purl: PackageMetadata | None}, stored as it goes

Dates (`created`, `latest_release`) are only ever times the registry stamped itself, because age and
survival weigh towards benign and an author must not be able to buy them:

    npm          time[v] of the served versions     set by the registry at publish (time.created dates
                                                     the name, which outlives an unpublish)
    PyPI         upload_time of the files           set by PyPI at upload
    RubyGems     versions[].created_at              set by rubygems.org at push (not the gemspec date)
    Maven        search index timestamp per version set by Central at publish (lastUpdated is deploy
                                                     tooling's: extra.last_updated only)
    Go           none here (proxy .info Time is the author's commit time: extra.commit_time only);
                 the sweep fills them from the module index timestamps (extra.first_listed)
    Hugging Face createdAt (lastModified, a commit date, is never earlier than it)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from confuguard import names
from confuguard.config import Config
from confuguard.ecosystems import spec, specs
from confuguard.errors import ConfuguardError
from confuguard.protocols import RegistryClient
from confuguard.store import Store
from confuguard.types import Ecosystem, PackageId, PackageMetadata

from ._http import Http, make_client

log = logging.getLogger(__name__)

#: A client class: `cls(http, urls)` is a `RegistryClient` (tests pass more keywords, such as `now=`).
RegistryClass = Callable[..., RegistryClient]


class _Clients(Mapping[Ecosystem, RegistryClass]):
    """The live client class of every registered registry, read from its descriptor."""

    def __getitem__(self, eco: Ecosystem) -> RegistryClass:
        if not isinstance(eco, Ecosystem):
            raise KeyError(eco)
        cls: Any = spec(eco).load_client()
        return cls  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[Ecosystem]:
        return (s.ecosystem for s in specs())

    def __len__(self) -> int:
        return sum(1 for _ in specs())


#: The live client class of every registry.
REGISTRIES: Mapping[Ecosystem, RegistryClass] = _Clients()


def make_http(config: Config | None = None, *, client: httpx.Client | None = None, store: Store | None = None) -> Http:
    """The shared HTTP layer: one httpx client, per-host limits, and the store as conditional-request cache."""
    cfg = config or Config.load()
    return Http(client or make_client(cfg.http), settings=cfg.http, cache=store)


def build(
    ecosystem: Ecosystem, *, client: Http | httpx.Client | None = None, config: Config | None = None
) -> RegistryClient:
    """A live client for `ecosystem` with base URLs and HTTP settings from `config` (default: Config.load())."""
    cfg = config or Config.load()
    http = client if isinstance(client, Http) else make_http(cfg, client=client)
    registry: RegistryClient = REGISTRIES[ecosystem](http, cfg.urls, fetch=cfg.fetch)
    return registry


def fetch_live(
    pkgs: list[PackageId],
    *,
    store: Store,
    config: Config | None = None,
    client: Http | httpx.Client | None = None,
    errors: dict[str, str] | None = None,
) -> dict[str, PackageMetadata | None]:
    """Fetch metadata of `pkgs` concurrently (bounded per host), store what was found, key results by purl.

    A package the registry does not have maps to None. A package whose fetch failed maps to
    the record already in the store (or None) and its error goes to `errors[purl]` (and the log).
    """
    cfg = config or Config.load()
    http = client if isinstance(client, Http) else make_http(cfg, client=client, store=store)
    clients: dict[Ecosystem, RegistryClient] = {}
    for p in pkgs:
        if p.ecosystem not in clients:
            clients[p.ecosystem] = build(p.ecosystem, client=http, config=cfg)
    results: dict[str, PackageMetadata | None] = {}
    workers = cfg.http.concurrency * 2
    for pkg, meta, exc in fetch_each(pkgs, lambda p: clients[p.ecosystem], workers=workers):
        key = names.purl(pkg)
        if exc is not None:
            log.warning("%s: %s", key, exc)
            if errors is not None:
                errors[key] = str(exc)
            results[key] = store.get_metadata(pkg)
            continue
        if meta is not None:
            store.put_metadata(meta)
        results[key] = meta
    return results


FetchOutcome = tuple[PackageId, PackageMetadata | None, Exception | None]


def fetch_each(
    pkgs: Sequence[PackageId],
    client_for: Callable[[PackageId], RegistryClient],
    *,
    workers: int,
    catch: tuple[type[Exception], ...] = (ConfuguardError,),
) -> Iterator[FetchOutcome]:
    """(package, metadata or None, error or None) for each distinct package of `pkgs`, in order, fetched on at
    most `workers` threads (16 at the most); an error of a type in `catch` is returned, not raised, so one
    package's failure never stops the others. The one parallel fetch of `check --live` and the sweep."""
    unique = list(dict.fromkeys(pkgs))
    if not unique:
        return

    def one(pkg: PackageId) -> FetchOutcome:
        try:
            return pkg, client_for(pkg).metadata(pkg), None
        except catch as exc:
            return pkg, None, exc

    with ThreadPoolExecutor(max_workers=max(1, min(len(unique), workers, 16)),
                            thread_name_prefix="confuguard-fetch") as pool:
        yield from pool.map(one, unique)


__all__ = ["REGISTRIES", "FetchOutcome", "RegistryClass", "build", "fetch_each", "fetch_live", "make_http"]
