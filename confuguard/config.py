"""Registry base URLs and HTTP behaviour, overridable by a TOML file and environment variables.

Precedence (later wins): built-in defaults, the config file, environment variables.

Config file: `$CONFUGUARD_CONFIG`, else `<user config dir>/confuguard/config.toml` (optional)::

    [urls]
    npm = "https://registry.npmjs.org"          # any key of DEFAULT_URLS
    golang_pkgsite = "https://pkg.go.dev/v1"

    [http]
    connect_timeout = 10.0      # seconds
    read_timeout = 30.0         # seconds
    retries = 4                 # extra attempts after the first one
    backoff_base = 1.0          # seconds; full jitter, doubled per attempt
    backoff_cap = 60.0          # seconds
    max_retry_after = 120.0     # a longer Retry-After gives up at once (RateLimited)
    max_body_bytes = 33554432   # larger bodies are refused (MalformedResponse)
    max_bulk_bytes = 536870912  # cap for bulk downloads (popular lists)
    concurrency = 4             # parallel requests per host unless listed below
    contact = ""                # appended to the User-Agent, e.g. "mailto:ops@example.com"

    [http.host_concurrency]
    "replicate.npmjs.com" = 1

    [http.host_interval]        # minimum seconds between requests to a host
    "packages.ecosyste.ms" = 1.0

    [sweep]
    max_alerts = 50             # a run keeps its 50 most probable new alerts open, holds the rest
    min_probability = 0.8       # new alerts under this threat probability are held

    [fetch]                     # opt-in evidence that costs a request per package (check --live, sweep)
    sdist = false               # PyPI: download a source-only release's sdist (<= 2 MB) and read setup.py
    accounts = false            # npm, PyPI, RubyGems, Hugging Face: ask how many packages the account holds

Budgets (parallel requests, seconds between requests) follow the configured base URLs
(`DEFAULT_BUDGETS`), so a mirror configured for an endpoint gets that endpoint's budget; a host
listed in `host_concurrency`/`host_interval` uses those values instead.

Environment variables (one per URL key, upper-cased): `CONFUGUARD_NPM_URL`,
`CONFUGUARD_NPM_REPLICATE_URL`, `CONFUGUARD_NPM_DOWNLOADS_URL`, `CONFUGUARD_PYPI_URL`,
`CONFUGUARD_PYPI_TOP_URL`, `CONFUGUARD_RUBYGEMS_URL`, `CONFUGUARD_MAVEN_URL`,
`CONFUGUARD_MAVEN_SEARCH_URL`, `CONFUGUARD_GOLANG_URL`, `CONFUGUARD_GOLANG_INDEX_URL`,
`CONFUGUARD_GOLANG_PKGSITE_URL`, `CONFUGUARD_HUGGINGFACE_URL`, `CONFUGUARD_ECOSYSTEMS_URL`;
and `CONFUGUARD_HTTP_TIMEOUT` (read timeout), `CONFUGUARD_HTTP_RETRIES`,
`CONFUGUARD_HTTP_CONCURRENCY`, `CONFUGUARD_HTTP_CONTACT`.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from confuguard.ecosystems import DEFAULT_BUDGETS, DEFAULT_URLS
from confuguard.errors import InputError, read_utf8

#: Minimum seconds between two requests to a host (the reference's steady rates); unlisted hosts are not paced.
DEFAULT_HOST_INTERVAL: Mapping[str, float] = MappingProxyType(
    {
        "api.npmjs.org": 2.0,
        "replicate.npmjs.com": 0.2,
        "rubygems.org": 0.2,
        "central.sonatype.com": 1.0,
        "huggingface.co": 0.7,
        "packages.ecosyste.ms": 1.0,
        "index.golang.org": 0.2,
    }
)

#: Starting per-host budgets from the registry reference (section 8).
DEFAULT_HOST_CONCURRENCY: Mapping[str, int] = MappingProxyType(
    {
        "registry.npmjs.org": 8,
        "replicate.npmjs.com": 1,
        "api.npmjs.org": 1,
        "pypi.org": 8,
        "rubygems.org": 4,
        "repo1.maven.org": 4,
        "central.sonatype.com": 1,
        "proxy.golang.org": 8,
        "index.golang.org": 1,
        "pkg.go.dev": 2,
        "huggingface.co": 2,
        "packages.ecosyste.ms": 2,
    }
)


#: Every overridable base URL by key (`confuguard.ecosystems`: each registry's endpoints, and shared ones).
#: Keys double as environment names: CONFUGUARD_<KEY>_URL. Per-endpoint budgets (URL key -> (parallel
#: requests, minimum seconds between requests)), the reference's section 8, follow the configured base URLs,
#: so a mirror gets the budget of what it mirrors; intervals are not applied to loopback hosts (a local mirror
#: is no public service to be polite to).
_LOOPBACK = ("127.0.0.1", "::1", "localhost")


def url_budgets(urls: Mapping[str, str]) -> Mapping[str, tuple[int, float]]:
    """Budgets keyed by configured base URL (longest prefix wins when requests are matched)."""
    out: dict[str, tuple[int, float]] = {}
    for key, (conc, interval) in DEFAULT_BUDGETS.items():
        base = urls.get(key)
        if base:
            host = (urlsplit(base).hostname or "").lower()
            out[base.rstrip("/")] = (conc, 0.0 if host in _LOOPBACK or host.startswith("127.") else interval)
    return MappingProxyType(out)


@dataclass(frozen=True, slots=True)
class HttpSettings:
    """Timeouts, retries, size caps and concurrency of the registry HTTP layer."""

    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 4
    backoff_base: float = 1.0
    backoff_cap: float = 60.0
    max_retry_after: float = 120.0
    max_body_bytes: int = 32 * 1024 * 1024
    max_bulk_bytes: int = 512 * 1024 * 1024
    concurrency: int = 4
    host_concurrency: Mapping[str, int] = field(default_factory=lambda: DEFAULT_HOST_CONCURRENCY)
    host_interval: Mapping[str, float] = field(default_factory=lambda: DEFAULT_HOST_INTERVAL)
    contact: str = ""
    url_budgets: Mapping[str, tuple[int, float]] = field(default_factory=lambda: url_budgets(DEFAULT_URLS))
    """(concurrency, interval) per configured base URL; `Config` derives them from its URLs."""

    def concurrency_for(self, host: str) -> int:
        """Parallel requests allowed to `host`."""
        return max(1, int(self.host_concurrency.get(host, self.concurrency)))

    def interval_for(self, host: str) -> float:
        """Minimum seconds between requests to `host` (0 = unpaced)."""
        return max(0.0, float(self.host_interval.get(host, 0.0)))

    def budget_for(self, url: str, host: str) -> tuple[str, int, float]:
        """(budget key, concurrency, interval) of a request: a host listed in `host_concurrency`/`host_interval`
        uses those; otherwise the configured base URL it falls under; otherwise the default concurrency."""
        if host in self.host_concurrency or host in self.host_interval:
            return host, self.concurrency_for(host), self.interval_for(host)
        base = max((b for b in self.url_budgets if url == b or url.startswith(b + "/") or url.startswith(b + "?")),
                   key=len, default=None)
        if base is None:
            return host, self.concurrency, 0.0
        conc, interval = self.url_budgets[base]
        return base, max(1, int(conc)), max(0.0, float(interval))


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """Opt-in fetches that cost a request per package (`[fetch]`; `--fetch-sdist`, `--fetch-accounts`)."""

    sdist: bool = False
    """PyPI: download a source-only release's sdist (bounded) and read what its setup.py does at install."""
    accounts: bool = False
    """Ask the registry how many packages the publishing account holds (one request)."""


@dataclass(frozen=True, slots=True)
class Config:
    """Base URLs per registry endpoint plus HTTP settings."""

    urls: Mapping[str, str] = field(default_factory=lambda: DEFAULT_URLS)
    http: HttpSettings = field(default_factory=HttpSettings)
    source: str = "defaults"
    sweep_max_alerts: int | None = None
    """`[sweep] max_alerts`: a sweep run holds its new alerts beyond this many (None: no cap)."""
    sweep_min_probability: float | None = None
    """`[sweep] min_probability`: a sweep run holds its new alerts under this probability."""
    fetch: FetchOptions = field(default_factory=FetchOptions)
    """`[fetch]`: opt-in evidence fetched per package."""
    """Which file (if any) the values came from, for `db info`-style reports."""

    def with_fetch(self, *, sdist: bool = False, accounts: bool = False) -> Config:
        """This config with the given opt-in fetches turned on (command-line flags add to `[fetch]`)."""
        return replace(self, fetch=FetchOptions(self.fetch.sdist or sdist, self.fetch.accounts or accounts))

    def url(self, key: str) -> str:
        """The base URL for `key` (a DEFAULT_URLS key), without a trailing slash."""
        try:
            return self.urls[key].rstrip("/")
        except KeyError:
            raise InputError(f"unknown registry URL key {key!r}") from None

    @classmethod
    def load(cls, path: Path | None = None, *, environ: Mapping[str, str] | None = None) -> Config:
        """Defaults, then the config file (`path`, `$CONFUGUARD_CONFIG` or the user one), then the environment."""
        env = os.environ if environ is None else environ
        explicit = path or (Path(env["CONFUGUARD_CONFIG"]) if env.get("CONFUGUARD_CONFIG") else None)
        file = explicit or default_config_path()
        cfg = cls()
        if explicit is not None and not file.is_file():
            raise InputError(f"config file {file} does not exist")
        if file.is_file():
            cfg = _apply_file(cfg, file)
        return _apply_env(cfg, env)


def default_config_path() -> Path:
    """`<user config dir>/config.toml`."""
    return Path(platformdirs.user_config_dir("confuguard")) / "config.toml"


def env_name(key: str) -> str:
    """The environment variable overriding URL `key`."""
    return f"CONFUGUARD_{key.upper()}_URL"


_HTTP_FIELDS = {f.name: f for f in fields(HttpSettings) if f.name != "url_budgets"}


def _apply_file(cfg: Config, file: Path) -> Config:
    text = read_utf8(file)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"cannot read config {file}: {exc}") from exc
    urls = dict(cfg.urls)
    for k, v in _table(data, "urls", file).items():
        if k not in DEFAULT_URLS:
            raise InputError(f"{file}: unknown [urls] key {k!r} (known: {', '.join(DEFAULT_URLS)})")
        urls[k] = _check_url(v, f"{file}: [urls] {k}")
    http = cfg.http
    for k, v in _table(data, "http", file).items():
        if k not in _HTTP_FIELDS:
            raise InputError(f"{file}: unknown [http] key {k!r}")
        http = _set_http(http, k, v, f"{file}: [http] {k}")
    return replace(cfg, urls=MappingProxyType(urls), http=http, source=str(file), fetch=_fetch_table(data, file),
                   **_sweep_table(data, file))


def _apply_env(cfg: Config, env: Mapping[str, str]) -> Config:
    urls = dict(cfg.urls)
    for k in DEFAULT_URLS:
        v = env.get(env_name(k))
        if v:
            urls[k] = _check_url(v, env_name(k))
    http = cfg.http
    for var, attr in (
        ("CONFUGUARD_HTTP_TIMEOUT", "read_timeout"),
        ("CONFUGUARD_HTTP_RETRIES", "retries"),
        ("CONFUGUARD_HTTP_CONCURRENCY", "concurrency"),
        ("CONFUGUARD_HTTP_CONTACT", "contact"),
    ):
        if env.get(var):
            http = _set_http(http, attr, env[var], var)
    return replace(cfg, urls=MappingProxyType(urls), http=replace(http, url_budgets=url_budgets(urls)))


def _table(data: dict[str, Any], name: str, file: Path) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise InputError(f"{file}: [{name}] must be a table")
    return value


def _sweep_table(data: dict[str, Any], file: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in _table(data, "sweep", file).items():
        if k == "max_alerts" and isinstance(v, int) and not isinstance(v, bool) and v >= 0:
            out["sweep_max_alerts"] = v
        elif k == "min_probability" and isinstance(v, int | float) and not isinstance(v, bool) and 0 <= v <= 1:
            out["sweep_min_probability"] = float(v)
        elif k in ("max_alerts", "min_probability"):
            raise InputError(f"{file}: [sweep] {k}: expected {'an integer >= 0' if k == 'max_alerts' else 'a number in [0, 1]'}, "
                             f"got {v!r}")
        else:
            raise InputError(f"{file}: unknown [sweep] key {k!r} (known: max_alerts, min_probability)")
    return out


def _fetch_table(data: dict[str, Any], file: Path) -> FetchOptions:
    known = [f.name for f in fields(FetchOptions)]
    values: dict[str, bool] = {}
    for k, v in _table(data, "fetch", file).items():
        if k not in known:
            raise InputError(f"{file}: unknown [fetch] key {k!r} (known: {', '.join(known)})")
        if not isinstance(v, bool):
            raise InputError(f"{file}: [fetch] {k}: expected true or false, got {v!r}")
        values[k] = v
    return FetchOptions(**values)


def _check_url(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.startswith(("http://", "https://")):
        raise InputError(f"{where}: expected an http(s) URL, got {value!r}")
    return value.rstrip("/")


def _set_http(http: HttpSettings, name: str, value: object, where: str) -> HttpSettings:
    if name == "host_concurrency":
        if not isinstance(value, dict) or not all(isinstance(v, int) and v > 0 for v in value.values()):
            raise InputError(f"{where}: expected a table of host = positive integer")
        return replace(http, host_concurrency=MappingProxyType({**http.host_concurrency, **value}))
    if name == "host_interval":
        if not isinstance(value, dict) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) and v >= 0 for v in value.values()
        ):
            raise InputError(f"{where}: expected a table of host = seconds (>= 0)")
        return replace(http, host_interval=MappingProxyType({**http.host_interval, **value}))
    if name == "contact":
        return replace(http, contact=str(value))
    integral = name in ("retries", "max_body_bytes", "max_bulk_bytes", "concurrency")
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise TypeError(name)
        number: float = int(value) if integral else float(value)
    except (TypeError, ValueError):
        raise InputError(f"{where}: expected a number, got {value!r}") from None
    if number < 0 or (name == "concurrency" and number < 1):
        raise InputError(f"{where}: must be positive, got {value!r}")
    changes: dict[str, Any] = {name: number}
    return replace(http, **changes)


__all__ = ["DEFAULT_BUDGETS", "DEFAULT_HOST_CONCURRENCY", "DEFAULT_HOST_INTERVAL", "DEFAULT_URLS", "url_budgets", "Config", "FetchOptions", "HttpSettings", "default_config_path", "env_name"]
