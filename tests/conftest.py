"""Shared fixtures: a deterministic fake encoder, isolated cache/data dirs, and a network guard.

The guard makes "no network in tests" checkable: any attempt to resolve or connect to a host other
than loopback (the fake registries the tests serve on 127.0.0.1) is refused and fails the test, so
registry URLs inside fixture files (a lockfile's `resolved`, a Gemfile's `source`) are provably
only parsed, never fetched.
"""

from __future__ import annotations

import hashlib
import ipaddress
import socket
from collections.abc import Iterator

import numpy as np
import pytest
from confuguard.models.embedder import DIM, name_text


class HashEncoder:
    """Deterministic stand-in for MiniLM: the mean of per-token hash vectors, L2-normalised.

    Names sharing tokens get similar vectors, so reorderings embed identically.
    """

    name = "hash-test-encoder"

    def encode(self, texts: list[str], *, batch_size: int = 256) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            for tok in name_text(text).split() or [""]:
                seed = int.from_bytes(hashlib.sha256(tok.encode()).digest()[:4], "little")
                out[i] += np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
            out[i] /= max(float(np.linalg.norm(out[i])), 1e-9)
        return out


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    monkeypatch.setenv("CONFUGUARD_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.setenv("CONFUGUARD_DATA_DIR", str(tmp_path_factory.getbasetemp() / "userdata"))


_LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", ""})


def _is_local(host: object) -> bool:
    if host is None:
        return True
    text = host.decode() if isinstance(host, bytes) else str(host)
    if text.lower() in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(text.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _no_network(monkeypatch) -> Iterator[list[str]]:
    attempts: list[str] = []
    real_getaddrinfo, real_connect, real_connect_ex = socket.getaddrinfo, socket.socket.connect, socket.socket.connect_ex

    def refuse(host: object) -> OSError:
        attempts.append(str(host))
        return ConnectionRefusedError(f"tests never reach the network (tried {host})")

    def getaddrinfo(host, *args, **kwargs):
        if not _is_local(host):
            raise refuse(host)
        return real_getaddrinfo(host, *args, **kwargs)

    def checked(real):
        def connect(sock, address):
            if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_local(address[0]):
                raise refuse(address[0])
            return real(sock, address)
        return connect

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", checked(real_connect))
    monkeypatch.setattr(socket.socket, "connect_ex", checked(real_connect_ex))
    yield attempts
    assert not attempts, f"the test tried to reach the network: {attempts}"


@pytest.fixture
def hash_encoder() -> HashEncoder:
    return HashEncoder()
