"""The test-suite's network guard refuses real hosts, so "no network in tests" is checked, not assumed."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import httpx
import pytest


def test_real_hosts_are_refused_and_recorded(_no_network: list[str]) -> None:
    with pytest.raises(ConnectionRefusedError):
        socket.getaddrinfo("pypi.org", 443)
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("151.101.0.223", 443), timeout=1)
    with pytest.raises(httpx.ConnectError):
        httpx.get("https://registry.npmjs.org/lodash", timeout=1)
    assert "pypi.org" in _no_network and "registry.npmjs.org" in _no_network
    _no_network.clear()  # the refusals above were the point of this test


def test_loopback_servers_still_work() -> None:
    class Ok(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert httpx.get(f"http://127.0.0.1:{server.server_port}/", timeout=5).text == "ok"
    finally:
        server.shutdown()
