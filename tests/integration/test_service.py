"""The HTTP service over real HTTP: uvicorn on 127.0.0.1 (ephemeral port) in a thread, httpx as the client."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn

from confuguard.admission import Limits
from confuguard.cli import main as cli_main
from confuguard.commands import serve as serve_cmd
from confuguard.engine import Engine
from confuguard.errors import DataError, InputError
from confuguard.formats import jsonfmt
from confuguard.service import create_app
from confuguard.types import Ecosystem

MAX_BATCH = 20
MAX_BODY = 4096
TOKEN = "t0ken-Secret_value"


class Served:
    """A uvicorn server for `app` on 127.0.0.1:<free port>, in a daemon thread."""

    def __init__(self, app) -> None:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(128)
        self.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [sock]}, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "server did not start"
            time.sleep(0.01)
        self.client = httpx.Client(base_url=self.url, timeout=10)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 15
        while self.client.get("/readyz").status_code != 200:
            assert time.monotonic() < deadline, "service never became ready"
            time.sleep(0.02)

    def stop(self) -> None:
        self.client.close()
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(encoder=None)


@pytest.fixture(scope="module")
def served(engine):
    s = Served(create_app(engine, limits=Limits(max_batch=MAX_BATCH, max_body=MAX_BODY), warm=[Ecosystem.PYPI, Ecosystem.NPM]))
    s.wait_ready()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def guarded(engine):
    s = Served(create_app(engine, token=TOKEN, warm=[Ecosystem.PYPI]))
    s.wait_ready()
    yield s
    s.stop()


def post(s: Served, path: str, doc: object, **kw) -> httpx.Response:
    return s.client.post(path, json=doc, **kw)


# -- happy paths ------------------------------------------------------------------------------------------


def test_check_returns_the_json_of_check_format_json(served, engine):
    r = post(served, "/v1/check", {"registry": "pypi", "name": "reqeusts"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    doc = r.json()
    assert doc["verdict"] == "suspicious"
    assert doc["candidates"][0]["target"] == "requests"
    assert doc == json.loads(jsonfmt.render([engine.check_name("reqeusts", Ecosystem.PYPI)]))


@pytest.mark.parametrize(("registry", "name", "verdict"), [
    ("pypi", "requests", "popular"),
    ("pip", "numpyy", "suspicious"),          # alias
    ("npm", "lodahs", "suspicious"),          # npm and pypi are warmed at start
    ("pypi", "zz-internal-billing-tool-xq", "clean"),
    ("pypi", "not a name!!", "invalid"),      # a bad name is a 200, never a 5xx
    ("pypi", "Ⅾjango", "invalid"),
    ("pypi", "x" * 3000, "invalid"),          # longer than confuguard's documented PyPI cap (255): refused at once
])
def test_verdicts(served, registry, name, verdict):
    r = post(served, "/v1/check", {"registry": registry, "name": name})
    assert r.status_code == 200, r.text
    assert r.json()["verdict"] == verdict


def test_batch_names_keep_order(served):
    names = ["reqeusts", "flask", "bad name!!", "djnago", "zz-internal-billing-tool-xq"]
    r = post(served, "/v1/check/batch", {"registry": "pypi", "names": names})
    assert r.status_code == 200, r.text
    got = [(d["name"], d["verdict"]) for d in r.json()["results"]]
    assert got == [("reqeusts", "suspicious"), ("flask", "popular"), ("bad name!!", "invalid"),
                   ("djnago", "suspicious"), ("zz-internal-billing-tool-xq", "clean")]


def test_batch_items_with_their_own_registries(served):
    doc = {"registry": "npm", "items": [{"name": "lodahs"}, {"registry": "pypi", "name": "reqeusts"},
                                         {"name": "express"}]}
    r = post(served, "/v1/check/batch", doc)
    assert r.status_code == 200, r.text
    got = [(d["registry"], d["name"], d["verdict"]) for d in r.json()["results"]]
    assert got == [("npm", "lodahs", "suspicious"), ("pypi", "reqeusts", "suspicious"), ("npm", "express", "popular")]


def test_batch_at_the_limit_and_empty(served):
    assert len(post(served, "/v1/check/batch", {"registry": "pypi", "names": ["flask"] * MAX_BATCH}).json()["results"]) == MAX_BATCH
    assert post(served, "/v1/check/batch", {"registry": "pypi", "names": []}).json() == {"results": []}


def test_body_without_content_type_is_read_as_json(served):
    r = served.client.post("/v1/check", content=b'{"registry": "pypi", "name": "reqeusts"}')
    assert r.status_code == 200 and r.json()["verdict"] == "suspicious"


# -- bad input ------------------------------------------------------------------------------------------------


def error_of(r: httpx.Response, status: int) -> str:
    assert r.status_code == status, (r.status_code, r.text)
    doc = r.json()
    assert set(doc) == {"error"} and doc["error"]
    return doc["error"]


@pytest.mark.parametrize("body", [b'{"registry": "pypi", "name": ', b"\xff\xfe", b"nope"])
def test_bad_json_is_400(served, body):
    msg = error_of(served.client.post("/v1/check", content=body, headers={"content-type": "application/json"}), 400)
    assert "not valid JSON" in msg


@pytest.mark.parametrize(("doc", "status", "needle"), [
    ([1, 2], 400, "JSON object"),
    ("reqeusts", 400, "JSON object"),
    ({"registry": "pypi"}, 422, "name"),
    ({"name": "reqeusts"}, 422, "registry"),
    ({"registry": "pypi", "name": 5}, 422, "name"),
    ({"registry": 7, "name": "x"}, 422, "registry"),
    ({"registry": "pypi", "name": ["x"]}, 422, "name"),
    ({"registry": "pypi", "name": "   "}, 422, "empty"),
    ({"registry": "cpan", "name": "reqeusts"}, 422, "unknown registry 'cpan'"),
    ({"registry": "pypi", "name": "x", "extra": 1}, 422, "extra: unknown field"),
])
def test_bad_check_requests_are_4xx(served, doc, status, needle):
    assert needle in error_of(post(served, "/v1/check", doc), status)


@pytest.mark.parametrize(("doc", "needle"), [
    ({"names": ["x"]}, "top-level \"registry\""),
    ({"items": [{"name": "x"}]}, "items[0]"),
    ({"registry": "pypi", "names": ["x"], "items": [{"name": "y"}]}, "exactly one"),
    ({"registry": "pypi"}, "exactly one"),
    ({"registry": "pypi", "names": ["x", ""]}, "names[1]"),
    ({"registry": "pypi", "names": ["x", 3]}, "names[1]"),
    ({"items": [{"registry": "pypi", "name": "x"}, {"registry": "cobol", "name": "y"}]}, "items[1].registry: unknown registry"),
    ({"registry": "pypi", "names": "reqeusts"}, "names"),
])
def test_bad_batch_requests_are_422(served, doc, needle):
    assert needle in error_of(post(served, "/v1/check/batch", doc), 422)


def test_oversized_batch_is_413(served):
    msg = error_of(post(served, "/v1/check/batch", {"registry": "pypi", "names": ["flask"] * (MAX_BATCH + 1)}), 413)
    assert str(MAX_BATCH) in msg
    items = [{"registry": "pypi", "name": "a"}] * (MAX_BATCH + 1)
    error_of(post(served, "/v1/check/batch", {"items": items}), 413)


def test_oversized_body_is_413(served):
    big = {"registry": "pypi", "names": ["n" * 100] * 50}          # ~5 KB > MAX_BODY
    assert "bytes" in error_of(post(served, "/v1/check/batch", big), 413)

    def chunks():                                                   # no Content-Length: counted while read
        yield b'{"registry": "pypi", "name": "'
        for _ in range(10):
            yield b"a" * 1000
        yield b'"}'

    error_of(served.client.post("/v1/check", content=chunks(), headers={"content-type": "application/json"}), 413)
    # the service is fine afterwards
    assert post(served, "/v1/check", {"registry": "pypi", "name": "reqeusts"}).status_code == 200


def test_wrong_content_type_is_415(served):
    r = served.client.post("/v1/check", content=b'{"registry": "pypi", "name": "x"}', headers={"content-type": "text/plain"})
    assert "application/json" in error_of(r, 415)


def test_unknown_path_and_method_are_json_errors(served):
    error_of(served.client.get("/v2/nothing"), 404)
    error_of(served.client.get("/v1/check"), 405)


# -- authentication --------------------------------------------------------------------------------------------


def test_token_required_and_compared(guarded):
    doc = {"registry": "pypi", "name": "reqeusts"}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                    {"Authorization": "Bearer"}, {"Authorization": f"Bearer {TOKEN}x"}):
        r = post(guarded, "/v1/check", doc, headers=headers)
        error_of(r, 401)
        assert r.headers["www-authenticate"].startswith("Bearer")
    error_of(guarded.client.get("/metrics"), 401)
    error_of(post(guarded, "/v1/check/batch", {"registry": "pypi", "names": ["x"]}), 401)
    # a wrong token is refused before the body is looked at
    error_of(guarded.client.post("/v1/check", content=b"not json"), 401)

    ok = {"Authorization": f"Bearer {TOKEN}"}
    r = post(guarded, "/v1/check", doc, headers=ok)
    assert r.status_code == 200 and r.json()["verdict"] == "suspicious"
    assert guarded.client.get("/metrics", headers={"Authorization": f"bearer {TOKEN}"}).status_code == 200
    # health, readiness and the API description stay open
    for path in ("/healthz", "/readyz", "/openapi.json"):
        assert guarded.client.get(path).status_code == 200, path


# -- concurrency, readiness, metrics, OpenAPI --------------------------------------------------------------------


def test_concurrent_requests(served):
    cases = [("reqeusts", "suspicious", "requests"), ("flask", "popular", None), ("djnago", "suspicious", "django"),
             ("numpyy", "suspicious", "numpy"), ("zz-internal-billing-tool-xq", "clean", None)]
    jobs = [cases[i % len(cases)] for i in range(50)]

    limits = httpx.Limits(max_connections=16, max_keepalive_connections=16)

    def one(case):
        r = client.post("/v1/check", json={"registry": "pypi", "name": case[0]})
        return r.status_code, r.json(), case

    with httpx.Client(base_url=served.url, timeout=20, limits=limits) as client, ThreadPoolExecutor(16) as pool:
        out = list(pool.map(one, jobs))
    for status, doc, (name, verdict, target) in out:
        assert status == 200
        assert (doc["name"], doc["verdict"]) == (name, verdict)
        if target:
            assert doc["candidates"][0]["target"] == target


class GatedEngine:
    """An engine whose warm-up waits for the test (or fails)."""

    def __init__(self, inner: Engine, *, fail: bool = False) -> None:
        self.inner, self.fail, self.gate = inner, fail, threading.Event()

    def warm(self, ecosystems):
        self.gate.wait(10)
        if self.fail:
            raise OSError("index file truncated")
        self.inner.warm(ecosystems)

    def check_names(self, texts, ecosystem):
        return self.inner.check_names(texts, ecosystem)


def test_readyz_turns_200_when_warm(engine):
    gated = GatedEngine(engine)
    s = Served(create_app(gated, warm=[Ecosystem.PYPI]))
    try:
        r = s.client.get("/readyz")
        assert r.status_code == 503 and r.json()["status"] == "warming"
        assert s.client.get("/healthz").json() == {"status": "ok"}
        r = post(s, "/v1/check", {"registry": "pypi", "name": "reqeusts"})
        assert "loading" in error_of(r, 503) and r.headers["retry-after"] == "1"
        assert "confuguard_ready 0" in s.client.get("/metrics").text
        gated.gate.set()
        s.wait_ready()
        assert s.client.get("/readyz").json()["status"] == "ready"
        assert post(s, "/v1/check", {"registry": "pypi", "name": "reqeusts"}).json()["verdict"] == "suspicious"
        assert "confuguard_ready 1" in s.client.get("/metrics").text
    finally:
        gated.gate.set()
        s.stop()


def test_failed_warm_up_stays_unready(engine, capsys):
    gated = GatedEngine(engine, fail=True)
    gated.gate.set()
    s = Served(create_app(gated, warm=[Ecosystem.PYPI]))
    try:
        deadline = time.monotonic() + 5
        while (doc := s.client.get("/readyz").json())["status"] == "warming":
            assert time.monotonic() < deadline
            time.sleep(0.02)
        assert doc["status"] == "failed" and "truncated" in doc["error"]
        assert "failed to load" in error_of(post(s, "/v1/check", {"registry": "pypi", "name": "x"}), 503)
    finally:
        s.stop()
    assert "warming the engine failed" in capsys.readouterr().err


class BrokenEngine(GatedEngine):
    """Warm, but its checks meet errors."""

    def __init__(self, inner: Engine, error: Exception) -> None:
        super().__init__(inner)
        self.gate.set()
        self.error = error

    def check_names(self, texts, ecosystem):
        if texts == ["boom"]:
            raise self.error
        return self.inner.check_names(texts, ecosystem)


@pytest.mark.parametrize(("error", "status"), [(DataError("pypi target list truncated"), 503),
                                               (InputError("bad thing"), 422), (KeyError("bug"), 500)])
def test_engine_errors_are_json(engine, error, status, capsys):
    s = Served(create_app(BrokenEngine(engine, error), warm=[Ecosystem.PYPI]))
    try:
        s.wait_ready()
        msg = error_of(post(s, "/v1/check", {"registry": "pypi", "name": "boom"}), status)
        assert msg == ("internal error" if status == 500 else str(error))
        assert post(s, "/v1/check", {"registry": "pypi", "name": "reqeusts"}).status_code == 200
    finally:
        s.stop()


_SAMPLE = re.compile(r'^([a-z_]+)(\{[^}]*\})? (\S+)$')


def scrape(s: Served, **kw) -> dict[str, float]:
    r = s.client.get("/metrics", **kw)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/plain; version=0.0.4")
    out = {}
    for line in r.text.splitlines():
        if line.startswith("#") or not line:
            continue
        m = _SAMPLE.match(line)
        assert m, line
        out[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    return out


def test_metrics_move(served):
    before = scrape(served)
    post(served, "/v1/check", {"registry": "pypi", "name": "reqeusts"})
    post(served, "/v1/check/batch", {"registry": "pypi", "names": ["flask", "djnago", "zz-internal-billing-tool-xq"]})
    post(served, "/v1/check", {"registry": "cpan", "name": "x"})
    after = scrape(served)

    def delta(key):
        return after.get(key, 0) - before.get(key, 0)

    assert delta('confuguard_http_requests_total{endpoint="/v1/check",method="POST",status="200"}') == 1
    assert delta('confuguard_http_requests_total{endpoint="/v1/check",method="POST",status="422"}') == 1
    assert delta('confuguard_http_requests_total{endpoint="/v1/check/batch",method="POST",status="200"}') == 1
    assert delta('confuguard_checks_total{registry="pypi",verdict="suspicious"}') == 2
    assert delta('confuguard_checks_total{registry="pypi",verdict="popular"}') == 1
    assert delta('confuguard_checks_total{registry="pypi",verdict="clean"}') == 1
    assert delta('confuguard_alerts_total{registry="pypi"}') == 2
    assert delta('confuguard_http_request_duration_seconds_count{endpoint="/v1/check"}') == 2
    assert delta('confuguard_check_duration_seconds_count{endpoint="/v1/check"}') == 1
    assert after['confuguard_http_request_duration_seconds_bucket{endpoint="/v1/check",le="+Inf"}'] == \
        after['confuguard_http_request_duration_seconds_count{endpoint="/v1/check"}']
    assert after["confuguard_ready"] == 1


def test_openapi_lists_the_endpoints(served):
    doc = served.client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    paths = doc["paths"]
    assert {"/v1/check", "/v1/check/batch", "/healthz", "/readyz", "/metrics"} <= set(paths)
    assert "post" in paths["/v1/check"] and "post" in paths["/v1/check/batch"]
    assert str(MAX_BATCH) in paths["/v1/check/batch"]["post"]["description"]
    schemas = doc["components"]["schemas"]
    assert {"CheckRequest", "BatchRequest", "CheckResultOut", "ErrorOut"} <= set(schemas)


def test_result_schema_documents_every_field_of_result_dict(engine):
    from confuguard.service import CheckResultOut

    doc = jsonfmt.result_dict(engine.check_name("reqeusts", Ecosystem.PYPI))
    assert set(doc) <= set(CheckResultOut.model_fields)
    assert set(doc["candidates"][0]) <= set(CheckResultOut.model_fields["candidates"].annotation.__args__[0].model_fields)
    CheckResultOut.model_validate(doc)


# -- the command ---------------------------------------------------------------------------------------------------


def test_cli_registration_imports_no_server_or_engine():
    code = ("import sys; from confuguard.cli import build_parser; build_parser(); "
            "print([m for m in ('fastapi', 'uvicorn', 'starlette', 'confuguard.engine', 'numpy') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_token_file_and_loopback_helpers(tmp_path, capsys):
    f = tmp_path / "tok"
    f.write_text(f"  {TOKEN}\n")
    f.chmod(0o600)
    assert serve_cmd.read_token(f) == TOKEN
    assert capsys.readouterr().err == ""
    f.chmod(0o644)
    serve_cmd.read_token(f)
    assert "readable by other users" in capsys.readouterr().err
    f.write_text("\n \n")
    with pytest.raises(InputError, match="empty"):
        serve_cmd.read_token(f)
    with pytest.raises(InputError, match="cannot read"):
        serve_cmd.read_token(tmp_path / "missing")
    assert all(map(serve_cmd.is_loopback, ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"]))
    assert not any(map(serve_cmd.is_loopback, ["0.0.0.0", "::", "192.168.1.4", "example.org"]))


def test_cli_errors_are_one_line_exit_2(tmp_path, capsys):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        assert cli_main(["serve", "--port", str(taken.getsockname()[1])]) == 2
        assert "cannot listen on 127.0.0.1" in capsys.readouterr().err
    finally:
        taken.close()
    assert cli_main(["serve", "--token-file", str(tmp_path / "none")]) == 2
    assert "cannot read token file" in capsys.readouterr().err
    assert cli_main(["serve", "--max-batch", "0"]) == 2


def test_serve_command_end_to_end(tmp_path):
    """`confuguard serve --workers 2` as a process: prints its port, becomes ready, checks with the token, stops on SIGTERM."""
    tok = tmp_path / "token"
    tok.write_text(TOKEN + "\n")
    tok.chmod(0o600)
    proc = subprocess.Popen([sys.executable, "-m", "confuguard.cli", "serve", "--port", "0", "--no-embeddings",
                             "-r", "pypi", "--token-file", str(tok), "--workers", "2"],
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    try:
        line = proc.stderr.readline()
        m = re.search(r"http://127\.0\.0\.1:(\d+)", line)
        assert m, line
        with httpx.Client(base_url=f"http://127.0.0.1:{m.group(1)}", timeout=10) as c:
            deadline = time.monotonic() + 30
            while c.get("/readyz").status_code != 200:
                assert time.monotonic() < deadline
                time.sleep(0.05)
            assert c.post("/v1/check", json={"registry": "pypi", "name": "reqeusts"}).status_code == 401
            for _ in range(6):  # whichever worker answers
                r = c.post("/v1/check", json={"registry": "pypi", "name": "reqeusts"},
                           headers={"Authorization": f"Bearer {TOKEN}"})
                assert r.json()["candidates"][0]["target"] == "requests"
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
