"""The failure matrix on every registry's metadata call: statuses, bodies and transport faults."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest
from confuguard.registries import REGISTRIES
from fakeregistry import fixture_bytes, mock_http

from confuguard.config import HttpSettings
from confuguard.errors import MalformedResponse, RateLimited, RegistryUnavailable
from confuguard.names import parse
from confuguard.types import Ecosystem

#: registry -> (name, primary URL, good body, content type, a malformed body or None)
PRIMARY = {
    Ecosystem.NPM: ("colorlog-utils", "https://registry.npmjs.org/colorlog-utils",
                    fixture_bytes("npm/colorlog-utils.json"), "application/json", b'{"name": "colorlog-utils", "ver'),
    Ecosystem.PYPI: ("reqeusts-toolkit", "https://pypi.org/pypi/reqeusts-toolkit/json",
                     fixture_bytes("pypi/reqeusts-toolkit.json"), "application/json", b"[1, 2"),
    Ecosystem.RUBYGEMS: ("activesupport-json", "https://rubygems.org/api/v1/gems/activesupport-json.json",
                         fixture_bytes("rubygems/activesupport-json.json"), "application/json; charset=utf-8", b"nul"),
    Ecosystem.MAVEN: ("com.example.legacy:widget-core",
                      "https://repo1.maven.org/maven2/com/example/legacy/widget-core/maven-metadata.xml",
                      fixture_bytes("maven/maven-metadata.xml"), "text/xml", b"<metadata><versioning><versions>"),
    Ecosystem.GOLANG: ("github.com/gorrilla/mux", "https://proxy.golang.org/github.com/gorrilla/mux/@v/list",
                       fixture_bytes("golang/list.txt"), "text/plain; charset=utf-8", None),
    Ecosystem.HUGGINGFACE: ("meta-llamma/Llama-3.2-1B-Instruct",
                            "https://huggingface.co/api/models/meta-llamma/Llama-3.2-1B-Instruct",
                            fixture_bytes("huggingface/model.json"), "application/json", b'{"id": "x", "tags": ["'),
}

Script = list[Callable[[httpx.Request], httpx.Response]]


def ok(eco: Ecosystem) -> Callable[[httpx.Request], httpx.Response]:
    body, ctype = PRIMARY[eco][2], PRIMARY[eco][3]
    return lambda r: httpx.Response(200, content=body, headers={"Content-Type": ctype})


def raise_(exc: type[Exception]) -> Callable[[httpx.Request], httpx.Response]:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc("simulated", request=request)

    return handler


def run(eco: Ecosystem, script: Script, **kwargs):
    name, url, *_ = PRIMARY[eco]
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url).split("?")[0] != url:
            return httpx.Response(404)
        calls.append(request)
        return script[min(len(calls) - 1, len(script) - 1)](request)

    http = mock_http(handler, **kwargs)
    result = REGISTRIES[eco](http).metadata(parse(name, eco))
    return result, calls, http.sleeps


ECOS = list(Ecosystem)


@pytest.mark.parametrize("eco", ECOS)
def test_normal(eco: Ecosystem) -> None:
    meta, calls, _ = run(eco, [ok(eco)])
    assert meta is not None and meta.latest_version and len(calls) == 1


@pytest.mark.parametrize("eco", ECOS)
@pytest.mark.parametrize("status", [404, 410])
def test_gone_is_none(eco: Ecosystem, status: int) -> None:
    meta, calls, _ = run(eco, [lambda r: httpx.Response(status, text="not found")])
    assert meta is None and len(calls) == 1


@pytest.mark.parametrize("eco", ECOS)
def test_wrong_content_type(eco: Ecosystem) -> None:
    with pytest.raises(MalformedResponse, match="content type"):
        run(eco, [lambda r: httpx.Response(200, html="<html><body>Sign in to the hotel wifi</body></html>")])


@pytest.mark.parametrize("eco", [e for e in ECOS if PRIMARY[e][4] is not None])
def test_malformed_or_truncated_body(eco: Ecosystem) -> None:
    body, ctype = PRIMARY[eco][4], PRIMARY[eco][3]
    with pytest.raises(MalformedResponse):
        run(eco, [lambda r: httpx.Response(200, content=body, headers={"Content-Type": ctype})])


@pytest.mark.parametrize("eco", ECOS)
def test_429_with_retry_after_then_ok(eco: Ecosystem) -> None:
    meta, calls, sleeps = run(eco, [lambda r: httpx.Response(429, headers={"Retry-After": "4"}), ok(eco)])
    assert meta is not None and len(calls) == 2 and sleeps[0] == 4.0


@pytest.mark.parametrize("eco", ECOS)
def test_500s_then_ok(eco: Ecosystem) -> None:
    meta, calls, _ = run(eco, [lambda r: httpx.Response(500), lambda r: httpx.Response(502), ok(eco)])
    assert meta is not None and len(calls) == 3


@pytest.mark.parametrize("eco", ECOS)
@pytest.mark.parametrize("exc", [httpx.ReadTimeout, httpx.ConnectTimeout, httpx.RemoteProtocolError, httpx.ReadError])
def test_transport_fault_then_ok(eco: Ecosystem, exc: type[Exception]) -> None:
    meta, calls, _ = run(eco, [raise_(exc), ok(eco)])
    assert meta is not None and len(calls) == 2


@pytest.mark.parametrize("eco", ECOS)
def test_timeouts_forever(eco: Ecosystem) -> None:
    with pytest.raises(RegistryUnavailable, match="timed out"):
        run(eco, [raise_(httpx.ReadTimeout)], settings=HttpSettings(retries=2))


@pytest.mark.parametrize("eco", ECOS)
def test_rate_limited_forever(eco: Ecosystem) -> None:
    with pytest.raises(RateLimited):
        run(eco, [lambda r: httpx.Response(429, headers={"Retry-After": "1"})], settings=HttpSettings(retries=1))


@pytest.mark.parametrize("eco", ECOS)
def test_redirect_followed(eco: Ecosystem) -> None:
    def moved(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": str(request.url.copy_with(query=b"moved=1"))})

    meta, calls, _ = run(eco, [moved, ok(eco)])
    assert meta is not None and calls[1].url.params["moved"] == "1"
