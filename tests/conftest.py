"""Shared fixtures: a deterministic fake encoder and isolated cache/data dirs."""

from __future__ import annotations

import hashlib

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


@pytest.fixture
def hash_encoder() -> HashEncoder:
    return HashEncoder()
