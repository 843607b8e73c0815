"""The HTTP layer: retries, Retry-After, error translation, size caps, content types, conditional requests."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest
from confuguard.registries._http import USER_AGENT, Http, make_client, parse_retry_after, user_agent
from fakeregistry import mock_http

from confuguard.config import HttpSettings
from confuguard.errors import MalformedResponse, RateLimited, RegistryError, RegistryUnavailable
from confuguard.store import Store

URL = "https://registry.test/doc"


def seq(*responses: httpx.Response | Exception):
    """A handler answering with `responses` in turn (exceptions are raised); counts calls."""
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        item = responses[min(len(calls) - 1, len(responses) - 1)]
        if isinstance(item, Exception):
            raise item
        return item

    handler.calls = calls  # type: ignore[attr-defined]
    return handler


def test_json_ok_and_user_agent() -> None:
    h = seq(httpx.Response(200, json={"a": 1}))
    http = Http(make_client(transport=httpx.MockTransport(h)))
    assert http.get_json(URL) == {"a": 1}
    assert h.calls[0].headers["user-agent"] == USER_AGENT
    assert USER_AGENT.startswith("confuguard/") and "(+https://github.com/confuguard)" in USER_AGENT
    assert user_agent("mailto:ops@example.com").endswith("; mailto:ops@example.com)")


@pytest.mark.parametrize("status", [404, 410])
def test_not_found_is_a_value(status: int) -> None:
    h = seq(httpx.Response(status, text="gone"))
    assert mock_http(h).get_json(URL) is None
    assert len(h.calls) == 1  # never retried


def test_500s_then_success() -> None:
    h = seq(httpx.Response(500), httpx.Response(502), httpx.Response(200, json=[1]))
    http = mock_http(h)
    assert http.get_json(URL) == [1]
    assert len(h.calls) == 3
    assert http.sleeps == [0.5, 1.0]  # full jitter (fixed at 0.5 here) of 1 s, 2 s


def test_500_forever_gives_unavailable() -> None:
    h = seq(httpx.Response(503))
    http = mock_http(h, settings=HttpSettings(retries=2))
    with pytest.raises(RegistryUnavailable, match="HTTP 503 after 3 attempt"):
        http.get_json(URL)
    assert len(h.calls) == 3


def test_429_retry_after_seconds_is_honoured() -> None:
    h = seq(httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, json={}))
    http = mock_http(h)
    assert http.get_json(URL) == {}
    assert http.sleeps == [7.0]


def test_429_retry_after_http_date() -> None:
    when = datetime.now(UTC) + timedelta(seconds=30)
    h = seq(httpx.Response(429, headers={"Retry-After": format_datetime(when, usegmt=True)}), httpx.Response(200, json={}))
    http = mock_http(h)
    http.get_json(URL)
    assert 25 <= http.sleeps[0] <= 31


def test_429_exhausted_is_rate_limited_with_retry_after() -> None:
    h = seq(httpx.Response(429, headers={"Retry-After": "3"}))
    with pytest.raises(RateLimited) as info:
        mock_http(h, settings=HttpSettings(retries=1)).get_json(URL)
    assert info.value.retry_after == 3.0
    assert "\n" not in str(info.value)


def test_retry_after_too_long_gives_up_at_once() -> None:
    h = seq(httpx.Response(503, headers={"Retry-After": "3600"}))
    with pytest.raises(RateLimited, match="3600"):
        mock_http(h).get_json(URL)
    assert len(h.calls) == 1


def test_hf_ratelimit_header_used_when_no_retry_after() -> None:
    h = seq(httpx.Response(429, headers={"RateLimit": '"api";r=0;t=12'}), httpx.Response(200, json={}))
    http = mock_http(h)
    http.get_json(URL)
    assert http.sleeps == [12.0]


def test_parse_retry_after() -> None:
    now = datetime(2026, 9, 20, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("Sun, 20 Sep 2026 00:01:00 GMT", now=now) == 60.0
    assert parse_retry_after("garbage") is None
    assert parse_retry_after(None) is None


@pytest.mark.parametrize(
    "exc",
    [httpx.ConnectTimeout("t"), httpx.ReadTimeout("t"), httpx.ConnectError("refused"),
     httpx.RemoteProtocolError("Server disconnected without sending a response.")],
)
def test_transport_errors_retried_then_unavailable(exc: Exception) -> None:
    h = seq(exc)
    with pytest.raises(RegistryUnavailable) as info:
        mock_http(h, settings=HttpSettings(retries=2)).get_json(URL)
    assert len(h.calls) == 3
    assert "\n" not in str(info.value)
    assert isinstance(info.value.__cause__, httpx.HTTPError)


def test_timeout_then_success() -> None:
    h = seq(httpx.ReadTimeout("slow"), httpx.Response(200, json={"ok": True}))
    assert mock_http(h).get_json(URL) == {"ok": True}


def test_client_errors_not_retried() -> None:
    h = seq(httpx.Response(400, text="bad request\nwith lines"))
    with pytest.raises(RegistryError, match="HTTP 400") as info:
        mock_http(h).get_json(URL)
    assert "\n" not in str(info.value) and len(h.calls) == 1
    with pytest.raises(RegistryUnavailable, match="access denied"):
        mock_http(seq(httpx.Response(403))).get_json(URL)


def test_malformed_json_and_wrong_content_type() -> None:
    with pytest.raises(MalformedResponse, match="invalid JSON"):
        mock_http(seq(httpx.Response(200, content=b"{nope", headers={"Content-Type": "application/json"}))).get_json(URL)
    with pytest.raises(MalformedResponse, match="content type"):
        mock_http(seq(httpx.Response(200, html="<html>captive portal</html>"))).get_json(URL)
    # truncated body: valid prefix of a document
    with pytest.raises(MalformedResponse):
        mock_http(seq(httpx.Response(200, content=b'{"a": [1, 2', headers={"Content-Type": "application/json"}))).get_json(URL)


def test_size_cap() -> None:
    big = b"[" + b"1," * 5000 + b"1]"
    http = mock_http(seq(httpx.Response(200, content=big, headers={"Content-Type": "application/json"})),
                     settings=HttpSettings(max_body_bytes=1000))
    with pytest.raises(MalformedResponse, match="cap"):
        http.get_json(URL)

    def streamed(request: httpx.Request) -> httpx.Response:  # no Content-Length: the cap applies while reading
        return httpx.Response(200, content=iter([b"[" + b"0," * 400] * 10), headers={"Content-Type": "application/json"})

    with pytest.raises(MalformedResponse, match="cap"):
        mock_http(streamed, settings=HttpSettings(max_body_bytes=1000)).get_json(URL)


def test_redirects_followed() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/pypi/Reqeusts_Toolkit/json":
            return httpx.Response(301, headers={"Location": "https://registry.test/pypi/reqeusts-toolkit/json"})
        return httpx.Response(200, json={"name": "reqeusts-toolkit"})

    http = Http(httpx.Client(transport=httpx.MockTransport(handler)))  # client without follow_redirects
    assert http.get_json("https://registry.test/pypi/Reqeusts_Toolkit/json") == {"name": "reqeusts-toolkit"}


def test_redirect_loop_is_unavailable() -> None:
    h = seq(httpx.Response(302, headers={"Location": URL}))
    with pytest.raises(RegistryUnavailable, match="redirects"):
        Http(make_client(transport=httpx.MockTransport(h))).get_json(URL)


def test_conditional_requests_use_store_cache(tmp_path) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304)
        return httpx.Response(200, json={"v": 1}, headers={"ETag": '"v1"', "Last-Modified": "Sun, 20 Sep 2026 00:00:00 GMT"})

    with Store.open(tmp_path / "s.db") as store:
        http = mock_http(handler, cache=store)
        assert http.get_json(URL) == {"v": 1}
        assert http.get_json(URL) == {"v": 1}
        assert seen[1].headers["if-none-match"] == '"v1"'
        assert seen[1].headers["if-modified-since"] == "Sun, 20 Sep 2026 00:00:00 GMT"
        assert store.cache_get(URL) is not None
        http.get_json(URL, conditional=False)
        assert "if-none-match" not in seen[2].headers


def test_concurrency_per_host_is_bounded() -> None:
    active = 0
    peak = 0
    lock = threading.Lock()

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.02)
        with lock:
            active -= 1
        return httpx.Response(200, json={})

    http = mock_http(handler, settings=HttpSettings(concurrency=2, host_concurrency={}))
    threads = [threading.Thread(target=http.get_json, args=(f"https://one.test/{i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak == 2


def test_undecodable_gzip_is_malformed() -> None:
    h = seq(httpx.Response(200, stream=httpx.ByteStream(b"not gzip"), headers={"Content-Encoding": "gzip", "Content-Type": "application/json"}))
    with pytest.raises(MalformedResponse):
        mock_http(h).get_json(URL)


def test_host_pacing_spaces_requests() -> None:
    settings = HttpSettings(host_interval={"slow.test": 2.0})
    http = mock_http(seq(httpx.Response(200, json={})), settings=settings)
    for _ in range(3):
        http.get_json("https://slow.test/x", conditional=False)
    http.get_json("https://fast.test/x")
    assert http.sleeps == [2.0, 2.0]
    http.clock.now += 10  # idle long enough: no wait
    http.get_json("https://slow.test/x")
    assert http.sleeps == [2.0, 2.0]


def test_retry_wait_counts_towards_pacing() -> None:
    settings = HttpSettings(host_interval={"slow.test": 1.0})
    http = mock_http(seq(httpx.Response(429, headers={"Retry-After": "5"}), httpx.Response(200, json={})), settings=settings)
    http.get_json("https://slow.test/x")
    assert http.sleeps == [5.0]
