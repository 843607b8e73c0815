"""The one HTTP layer of the registry clients.

Everything that can go wrong on the wire is translated here, once, into `confuguard.errors`:
transport failures and timeouts -> RegistryUnavailable, 429/503 after retries -> RateLimited,
oversized, mistyped or undecodable bodies -> MalformedResponse. 404/410 are "not found" values.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from confuguard import __version__
from confuguard.config import HttpSettings
from confuguard.errors import MalformedResponse, RateLimited, RegistryError, RegistryUnavailable
from confuguard.formats.sanitize import one_line
from confuguard.protocols import HttpCache

USER_AGENT = f"confuguard/{__version__} (+https://github.com/confuguard)"
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
_LINK = re.compile(r'<([^>]*)>\s*;[^,]*?rel="?([A-Za-z]+)"?')
_HF_RESET = re.compile(r"(?:^|;)\s*t=(\d+)")
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Response:
    """A fully read, size-checked response."""

    status: int
    url: str
    headers: httpx.Headers
    body: bytes
    from_cache: bool = False

    def json(self) -> Any:
        """The body as JSON; MalformedResponse when it is not."""
        try:
            return json.loads(self.body)
        except (ValueError, RecursionError) as exc:
            raise MalformedResponse(f"{_short_url(self.url)}: invalid JSON ({one_line(str(exc))})") from exc

    def text(self) -> str:
        """The body decoded as UTF-8 (invalid bytes replaced)."""
        return self.body.decode("utf-8", errors="replace")

    def link(self, rel: str = "next") -> str | None:
        """The URL of the `Link` header entry with relation `rel`, if any."""
        for value in self.headers.get_list("link"):
            for url, found in _LINK.findall(value):
                if found.lower() == rel:
                    return str(url)
        return None


def user_agent(contact: str = "") -> str:
    """The User-Agent sent to every registry."""
    return f"{USER_AGENT[:-1]}; {contact})" if contact else USER_AGENT


def make_client(settings: HttpSettings | None = None, *, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """An httpx client with confuguard's timeouts, redirects and User-Agent."""
    s = settings or HttpSettings()
    return httpx.Client(
        timeout=httpx.Timeout(s.read_timeout, connect=s.connect_timeout),
        follow_redirects=True,
        max_redirects=10,
        headers={"User-Agent": user_agent(s.contact), "Accept-Encoding": "gzip, deflate"},
        limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
        transport=transport,
    )


def _short_url(url: str) -> str:
    return one_line(url, 120)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delta seconds or HTTP date); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class Http:
    """Bounded, retrying, caching GET/POST with error translation. Thread-safe."""

    def __init__(
        self,
        client: httpx.Client | None = None,
        *,
        settings: HttpSettings | None = None,
        cache: HttpCache | None = None,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings or HttpSettings()
        self.client = client if client is not None else make_client(self.settings)
        self.cache = cache
        self._sleep = sleep
        self._jitter = jitter
        self._clock = clock
        self._sems: dict[str, threading.BoundedSemaphore] = {}
        self._sems_lock = threading.Lock()
        self._next_slot: dict[str, float] = {}

    def _semaphore(self, key: str, concurrency: int) -> threading.BoundedSemaphore:
        with self._sems_lock:
            sem = self._sems.get(key)
            if sem is None:
                sem = self._sems[key] = threading.BoundedSemaphore(concurrency)
            return sem

    def _pace(self, key: str, interval: float) -> None:
        """Wait for the next request slot of budget `key` (`interval` seconds apart); no-op when unpaced."""
        if interval <= 0:
            return
        with self._sems_lock:
            now = self._clock()
            slot = max(now, self._next_slot.get(key, now))
            self._next_slot[key] = slot + interval
        if slot > now:
            self._sleep(slot - now)

    # -- convenience -------------------------------------------------------------------------

    def get_json(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        not_found: tuple[int, ...] = (404, 410),
        conditional: bool = True,
    ) -> Any | None:
        """GET a JSON document; None when not found."""
        r = self.request("GET", url, params=params, headers=headers, expect=("json",),
                         not_found=not_found, conditional=conditional)
        return None if r is None else r.json()

    def get_text(
        self,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        expect: tuple[str, ...] = ("text/plain", "xml", "json", "octet-stream"),
        not_found: tuple[int, ...] = (404, 410),
        conditional: bool = True,
    ) -> str | None:
        """GET a text document; None when not found."""
        r = self.request("GET", url, params=params, expect=expect, not_found=not_found, conditional=conditional)
        return None if r is None else r.text()

    # -- core --------------------------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
        expect: tuple[str, ...] = (),
        not_found: tuple[int, ...] = (404, 410),
        conditional: bool = False,
        max_bytes: int | None = None,
        deadline: float | None = None,
    ) -> Response | None:
        """Send with retries; return the response, None for a `not_found` status, or raise a RegistryError.

        `expect` lists content-type fragments (`json`, `xml`...) one of which must appear when the
        server states a content type. `conditional` uses and fills the ETag/Last-Modified cache.
        `deadline` bounds the whole request, retries and a slowly dripping body included, in seconds.
        """
        try:
            full = httpx.URL(url, params=params) if params else httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            raise RegistryError(f"invalid URL {_short_url(url)}: {one_line(str(exc))}") from exc
        host = full.host or "?"
        budget, concurrency, interval = self.settings.budget_for(str(full), host)
        hdrs = dict(headers or {})
        cache_key = f"{hdrs.get('Accept', '')} {full}".strip()
        cached = self.cache.cache_get(cache_key) if (conditional and self.cache and method == "GET") else None
        if cached is not None:
            if cached.etag:
                hdrs["If-None-Match"] = cached.etag
            if cached.last_modified:
                hdrs["If-Modified-Since"] = cached.last_modified
        limit = max_bytes or self.settings.max_body_bytes
        until = None if deadline is None else self._clock() + deadline
        attempt = 0
        while True:
            failure: RegistryError
            retry_after: float | None = None
            try:
                with self._semaphore(budget, concurrency):
                    self._pace(budget, interval)
                    status, final_url, rheaders, body = self._send(method, full, hdrs, content, limit, until)
            except httpx.TimeoutException as exc:
                failure = RegistryUnavailable(f"{host}: request timed out ({type(exc).__name__}) for {_short_url(str(full))}")
                failure.__cause__ = exc
            except httpx.TooManyRedirects as exc:
                raise RegistryUnavailable(f"{host}: too many redirects for {_short_url(str(full))}") from exc
            except httpx.DecodingError as exc:
                raise MalformedResponse(f"{host}: undecodable body ({one_line(str(exc))})") from exc
            except httpx.TransportError as exc:
                failure = RegistryUnavailable(
                    f"{host}: connection failed ({type(exc).__name__}: {one_line(str(exc), 120)})"
                )
                failure.__cause__ = exc
            except httpx.HTTPError as exc:
                raise RegistryUnavailable(f"{host}: {type(exc).__name__}: {one_line(str(exc), 120)}") from exc
            else:
                if status == 304 and cached is not None:
                    self.cache.cache_touch(cache_key)  # type: ignore[union-attr]
                    return Response(200, final_url, rheaders, cached.body, from_cache=True)
                if 200 <= status < 300:
                    self._check_type(rheaders, expect, final_url)
                    if self.cache is not None and method == "GET" and conditional:
                        etag, lm = rheaders.get("etag"), rheaders.get("last-modified")
                        if etag or lm:
                            self.cache.cache_put(cache_key, etag, lm, body)
                    return Response(status, final_url, rheaders, body)
                if status in not_found:
                    return None
                if status not in _RETRY_STATUS:
                    raise _status_error(status, host, final_url, body)
                retry_after = parse_retry_after(rheaders.get("retry-after"))
                if retry_after is None and status == 429:
                    m = _HF_RESET.search(rheaders.get("ratelimit", ""))
                    retry_after = float(m.group(1)) if m else None
                if status == 429 or (status == 503 and retry_after is not None):
                    failure = RateLimited(f"{host}: rate limited (HTTP {status}) after {attempt + 1} attempt(s)", retry_after)
                else:
                    failure = RegistryUnavailable(f"{host}: HTTP {status} after {attempt + 1} attempt(s)")
                if retry_after is not None and retry_after > self.settings.max_retry_after:
                    raise RateLimited(
                        f"{host}: rate limited (HTTP {status}), server asks to wait {retry_after:.0f} s", retry_after
                    )
            if attempt >= self.settings.retries:
                raise failure
            backoff = min(self.settings.backoff_cap, self.settings.backoff_base * 2**attempt) * self._jitter()
            wait = max(backoff, retry_after or 0.0)
            if until is not None and self._clock() + wait > until:
                raise failure
            log.info("%s; retrying in %.1f s", failure, wait)
            self._sleep(wait)
            attempt += 1

    def _send(
        self, method: str, url: httpx.URL, headers: dict[str, str], content: bytes | None, limit: int,
        until: float | None = None,
    ) -> tuple[int, str, httpx.Headers, bytes]:
        with self.client.stream(method, url, headers=headers, content=content, follow_redirects=True) as r:
            declared = r.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit and r.status_code < 300:
                raise MalformedResponse(f"{url.host}: response of {int(declared)} bytes exceeds the {limit}-byte cap")
            buf = bytearray()
            for chunk in r.iter_bytes():
                buf += chunk
                if len(buf) > limit:
                    raise MalformedResponse(f"{url.host}: response exceeds the {limit}-byte cap")
                if until is not None and self._clock() > until:
                    raise RegistryUnavailable(f"{url.host}: response not complete within its time limit")
            return r.status_code, str(r.url), r.headers, bytes(buf)

    @staticmethod
    def _check_type(headers: httpx.Headers, expect: tuple[str, ...], url: str) -> None:
        ctype = headers.get("content-type", "").lower()
        if expect and ctype and not any(e in ctype for e in expect):
            raise MalformedResponse(
                f"{_short_url(url)}: unexpected content type {one_line(ctype, 60)!r} (expected {'/'.join(expect)})"
            )


def _status_error(status: int, host: str, url: str, body: bytes) -> RegistryError:
    detail = one_line(body[:200].decode("utf-8", errors="replace"), 100)
    suffix = f": {detail}" if detail else ""
    if status in (401, 403):
        return RegistryUnavailable(f"{host}: access denied (HTTP {status}) for {_short_url(url)}{suffix}")
    if status >= 500:
        return RegistryUnavailable(f"{host}: HTTP {status} for {_short_url(url)}{suffix}")
    return RegistryError(f"{host}: HTTP {status} for {_short_url(url)}{suffix}")


__all__ = ["USER_AGENT", "Http", "HttpCache", "Response", "make_client", "one_line", "parse_retry_after", "user_agent"]
