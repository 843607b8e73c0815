"""The HTTP service against hostile clients: malformed bodies, lone surrogates, made-up methods,
duplicate headers, slow requests that must not starve the others, and the per-request budgets.

Every refusal is a 4xx/5xx with a one-line JSON error, and nothing leaves a traceback in the log.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from test_service import Served, error_of, scrape

from confuguard.admission import Admission, Limits, cost
from confuguard.engine import Engine
from confuguard.metrics import METHODS
from confuguard.service import create_app
from confuguard.types import Ecosystem

LONG = "abc-def" * 300          # a 2,100-character name: legal on PyPI, slow for the engine


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(encoder=None)


@pytest.fixture(scope="module")
def served(engine):
    s = Served(create_app(engine, limits=Limits(max_name=3000), warm=[Ecosystem.PYPI]))
    s.wait_ready()
    yield s
    s.stop()


def raw(s: Served, body: bytes, *, headers: tuple[str, ...] = ("Content-Type: application/json",)) -> tuple[int, dict]:
    """POST /v1/check with `body` and exactly these header lines, over a bare socket; (status, JSON body)."""
    port = int(s.url.rsplit(":", 1)[1])
    lines = ["POST /v1/check HTTP/1.1", "Host: 127.0.0.1", "Connection: close", *headers]
    if not any(h.lower().startswith("content-length") for h in headers):
        lines.append(f"Content-Length: {len(body)}")
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, payload = data.partition(b"\r\n\r\n")
    try:
        return int(head.split()[1]), json.loads(payload)
    except ValueError:  # the HTTP parser's own refusal (plain text)
        return int(head.split()[1]), {"text": payload.decode("latin-1")}


def no_traceback(capfd) -> None:
    out, err = capfd.readouterr()
    assert "Traceback" not in out + err and "Exception in ASGI" not in out + err, err[-2000:]


# -- malformed input: a 4xx, one line, no traceback ------------------------------------------------------------


@pytest.mark.parametrize(("body", "status", "needle"), [
    (b'{"registry": "pypi", "name": "a\\ud800b"}', 422, "lone surrogate (\\ud800)"),
    (b'{"registry": "pypi", "name": "\\udfff"}', 422, "lone surrogate"),
    (b'{"registry": "py\\ud800pi", "name": "ab"}', 422, "registry"),
    (b'{"registry": "pypi", "name": "ab", "\\ud800": 1}', 422, "not valid Unicode"),
    (b'{"registry": "pypi", "name": "a\\ud83d\\ude00b"}', 200, None),  # a proper surrogate pair is fine
    (b"[" * 100_000 + b"]" * 100_000, 400, ""),
    (b'{"registry": "pypi", "name": ' + b"9" * 5000 + b"}", 400, ""),
    (b'{"registry": "pypi", "name": NaN}', 422, "name"),
    (b'{"registry": "pypi", "name": "x"}' + b"\x00", 400, "JSON"),
    (b"\xc3\x28", 400, "JSON"),
    (b"", 400, ""),
    (b"null", 400, "JSON object"),
    (b'{"registry": "pypi", "name": "' + b"x" * 3001 + b'"}', 422, "over the limit of 3000"),
])
def test_malformed_bodies_get_one_line_errors(served, capfd, body, status, needle):
    got, doc = raw(served, body)
    assert got == status, doc
    if status != 200:
        assert set(doc) == {"error"} and "\n" not in doc["error"] and needle in doc["error"]
    no_traceback(capfd)


def test_batch_names_are_bounded_before_the_engine(served, capfd):
    r = served.client.post("/v1/check/batch", json={"registry": "pypi", "names": ["flask", "y" * 3001]})
    assert "names[1]: 3001 characters, over the limit of 3000" in error_of(r, 422)
    r = served.client.post("/v1/check/batch", content=b'{"items": [{"registry": "pypi", "name": "a\\ud800"}]}')
    assert "items[0].name" in error_of(r, 422)
    no_traceback(capfd)


def test_duplicate_authorization_and_content_length_are_refused(served, capfd):
    body = b'{"registry": "pypi", "name": "reqeusts"}'
    status, doc = raw(served, body, headers=("Authorization: Bearer a", "Authorization: Bearer b",
                                             "Content-Type: application/json"))
    assert status == 400 and doc["error"] == "more than one Authorization header"
    status, doc = raw(served, body, headers=("Content-Type: application/json", f"Content-Length: {len(body)}",
                                             f"Content-Length: {len(body) + 1}"))
    assert status == 400  # refused by the HTTP parser itself, before the app
    assert raw(served, body)[0] == 200
    no_traceback(capfd)


def test_duplicate_authorization_refused_even_when_one_is_right(engine):
    s = Served(create_app(engine, token="tok", warm=[Ecosystem.PYPI]))
    try:
        s.wait_ready()
        r = s.client.post("/v1/check", json={"registry": "pypi", "name": "x"},
                          headers=[("Authorization", "Bearer tok"), ("Authorization", "Bearer tok")])
        assert error_of(r, 400) == "more than one Authorization header"
        assert s.client.post("/v1/check", json={"registry": "pypi", "name": "x"},
                             headers={"Authorization": "Bearer tok"}).status_code == 200
    finally:
        s.stop()


def test_metric_labels_come_from_a_closed_set(served):
    for i in range(30):
        served.client.request(f"MADEUP{i}", "/v1/check")
        served.client.get(f"/no/such/path/{i}")
        served.client.request("PROPFIND", f"/x{i}")
    samples = scrape(served)
    methods = {m for key in samples for m in __import__("re").findall(r'method="([^"]*)"', key)}
    endpoints = {m for key in samples for m in __import__("re").findall(r'endpoint="([^"]*)"', key)}
    assert methods <= METHODS | {"other"} and "other" in methods
    assert endpoints <= {"/v1/check", "/v1/check/batch", "/healthz", "/readyz", "/metrics", "/openapi.json", "other"}
    assert samples['confuguard_http_requests_total{endpoint="/v1/check",method="other",status="405"}'] >= 30


class CrashingEngine:
    def __init__(self, inner: Engine) -> None:
        self.inner = inner

    def warm(self, ecosystems):
        self.inner.warm(ecosystems)

    def check_names(self, texts, ecosystem):
        if texts == ["boom"]:
            raise KeyError("a bug\nwith a second line")
        return self.inner.check_names(texts, ecosystem)


def test_an_engine_crash_is_a_500_and_one_log_line(engine, capfd):
    s = Served(create_app(CrashingEngine(engine), warm=[Ecosystem.PYPI]))
    try:
        s.wait_ready()
        capfd.readouterr()
        assert error_of(s.client.post("/v1/check", json={"registry": "pypi", "name": "boom"}), 500) == "internal error"
        assert s.client.post("/v1/check", json={"registry": "pypi", "name": "reqeusts"}).status_code == 200
    finally:
        s.stop()
    out, err = capfd.readouterr()
    logged = [ln for ln in err.splitlines() if "KeyError" in ln]
    assert len(logged) == 1 and "with a second line" in logged[0] and "Traceback" not in err


# -- fairness and budgets -------------------------------------------------------------------------------------------


class GateLongNames:
    """Names over 1,000 characters wait for `gate` before the real engine checks them; others go straight through."""

    def __init__(self, inner: Engine) -> None:
        self.inner, self.gate, self.entered = inner, threading.Event(), threading.Event()

    def warm(self, ecosystems):
        self.inner.warm(ecosystems)

    def check_names(self, texts, ecosystem):
        if any(len(t) > 1000 for t in texts):
            self.entered.set()
            self.gate.wait(20)
        return self.inner.check_names(texts, ecosystem)


def test_cost_puts_long_names_and_big_batches_in_the_heavy_lane():
    assert cost(["reqeusts"]) == 1 and cost(["x" * 64]) == 1 and cost(["x" * 65]) == 2
    assert cost([LONG]) == 33 and cost(["flask"] * 1000) == 1000


def test_heavy_requests_wait_until_no_ordinary_check_runs_or_waits():
    async def scenario() -> None:
        gate = Admission(Limits(time_budget=5.0))
        now = asyncio.get_running_loop().time
        assert await gate.enter("light", "a", now() + 5) is None
        heavy = asyncio.create_task(gate.enter("heavy", "b", now() + 5))
        await asyncio.sleep(0.05)
        assert not heavy.done() and gate.waiting["heavy"] == 1     # an ordinary check is running
        gate.leave("light", "a")
        assert await heavy is None and gate.busy["heavy"] == 1
        gate.leave("heavy", "b")
        assert await gate.enter("light", "a", now() + 5) is None    # light work that never stops...
        status, message = await gate.enter("heavy", "b", now() + 0.1)
        assert status == 503 and "time budget" in message            # ...refuses the heavy one in time
        assert gate.clients == {"a": 1} and gate.refused["wait"] == 1

    asyncio.run(scenario())


def test_slow_requests_cannot_starve_ordinary_checks(engine):
    gated = GateLongNames(engine)
    limits = Limits(slots=2, heavy_slots=1, heavy_cost=16, max_queue=2, time_budget=2.0, per_client=50)
    s = Served(create_app(gated, limits=limits, warm=[Ecosystem.PYPI]))
    try:
        s.wait_ready()
        with ThreadPoolExecutor(4) as pool, httpx.Client(base_url=s.url, timeout=30) as c:
            first = pool.submit(c.post, "/v1/check", json={"registry": "pypi", "name": LONG})
            assert gated.entered.wait(10)                       # holds the only heavy slot
            second = pool.submit(c.post, "/v1/check/batch", json={"registry": "pypi", "names": [LONG, LONG]})
            deadline = time.monotonic() + 5
            while s.client.get("/readyz").json()["status"] != "saturated":   # one waiting = half the queue
                assert time.monotonic() < deadline, "readyz never reported saturation"
                time.sleep(0.02)
            r = s.client.get("/readyz")
            assert r.status_code == 503 and r.json()["queued"]["heavy"] == 1 and r.json()["in_flight"]["heavy"] == 1
            # ordinary checks keep flowing while both slow requests are in flight
            started = time.monotonic()
            for name in ("reqeusts", "flask", "djnago") * 5:
                assert c.post("/v1/check", json={"registry": "pypi", "name": name}).status_code == 200
            assert time.monotonic() - started < 2.0
            # the waiting slow request gets no slot within its budget: 503, Retry-After, one line
            r = second.result(10)
            assert "no engine slot free within the time budget" in error_of(r, 503) and r.headers["retry-after"] == "1"
            assert s.client.get("/readyz").json()["status"] == "ready"
            gated.gate.set()
            assert first.result(20).status_code == 200
        samples = scrape(s)
        assert samples['confuguard_refused_total{reason="wait"}'] == 1
        assert samples['confuguard_in_flight{lane="heavy"}'] == 0
    finally:
        gated.gate.set()
        s.stop()


def test_one_client_cannot_take_every_slot(engine):
    gated = GateLongNames(engine)
    limits = Limits(per_client=2, heavy_slots=1, heavy_cost=16, max_queue=8, time_budget=10.0)
    s = Served(create_app(gated, limits=limits, warm=[Ecosystem.PYPI]))
    try:
        s.wait_ready()
        with ThreadPoolExecutor(2) as pool, httpx.Client(base_url=s.url, timeout=30) as c:
            held = [pool.submit(c.post, "/v1/check", json={"registry": "pypi", "name": LONG}) for _ in range(2)]
            deadline = time.monotonic() + 5
            while sum(s.client.get("/readyz").json().get(k, {}).get("heavy", 0) for k in ("queued", "in_flight")) < 2:
                assert time.monotonic() < deadline
                time.sleep(0.02)
            r = c.post("/v1/check", json={"registry": "pypi", "name": "reqeusts"})
            assert "too many requests in flight from this client (limit 2)" in error_of(r, 429)
            gated.gate.set()
            assert [f.result(20).status_code for f in held] == [200, 200]
        assert s.client.post("/v1/check", json={"registry": "pypi", "name": "reqeusts"}).status_code == 200
    finally:
        gated.gate.set()
        s.stop()


class Sleepy:
    """Each engine call takes 0.2 s."""

    def __init__(self, inner: Engine) -> None:
        self.inner = inner

    def warm(self, ecosystems):
        self.inner.warm(ecosystems)

    def check_names(self, texts, ecosystem):
        time.sleep(0.2)
        return self.inner.check_names(texts, ecosystem)


def test_time_budget_stops_a_batch_between_chunks(engine, capfd):
    s = Served(create_app(Sleepy(engine), limits=Limits(chunk=2, time_budget=0.5), warm=[Ecosystem.PYPI]))
    try:
        s.wait_ready()
        r = s.client.post("/v1/check/batch", json={"registry": "pypi", "names": ["flask"] * 20})
        msg = error_of(r, 504)
        assert "time budget of 0.5 s ran out after" in msg and "of 20 names" in msg
        assert s.client.post("/v1/check/batch", json={"registry": "pypi", "names": ["flask"] * 3}).status_code == 200
        assert scrape(s)['confuguard_refused_total{reason="time"}'] == 1
    finally:
        s.stop()
    no_traceback(capfd)
