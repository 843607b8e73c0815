"""FAISS index of target-name embeddings (composed from MiniLM word vectors), cached outside the repo
and rebuilt when the data changes."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np
from confuguard.models.embedder import DIM, Encoder
from confuguard.models.wordvec import WordVectors, load_or_extend, words_of

from confuguard.corpus import Corpus, Target
from confuguard.errors import DataError
from confuguard.paths import cache_dir
from confuguard.types import Ecosystem

log = logging.getLogger(__name__)

#: Corpora up to this size use an exact flat index; larger ones use HNSW.
FLAT_LIMIT = 4096
_HNSW_M = 32
_FORMAT = "v2"


def target_text(target: Target) -> str:
    """The text embedded for a target: the whole npm name (scope included), the leaf elsewhere."""
    if target.package.ecosystem in (Ecosystem.MAVEN, Ecosystem.GOLANG, Ecosystem.HUGGINGFACE):
        return target.leaf
    return str(target.package)


@dataclass
class NameIndex:
    """Nearest target names by cosine similarity of their embeddings."""

    index: faiss.Index

    @classmethod
    def build(cls, vectors: np.ndarray) -> NameIndex:
        """Index L2-normalised vectors (exact below FLAT_LIMIT, HNSW above)."""
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if len(vectors) <= FLAT_LIMIT:
            index: faiss.Index = faiss.IndexFlatIP(DIM)
        else:
            index = faiss.IndexHNSWFlat(DIM, _HNSW_M, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 80
            index.hnsw.efSearch = 64
        index.add(vectors)
        return cls(index)

    def __len__(self) -> int:
        return int(self.index.ntotal)

    def search(self, vectors: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (similarities, target positions) per query row; position -1 means no neighbour."""
        k = max(1, min(k, len(self)))
        sims, ids = self.index.search(np.ascontiguousarray(vectors, dtype=np.float32), k)
        return sims, ids

    def save(self, path: Path) -> None:
        """Write with FAISS's own writer, atomically."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        os.close(fd)
        try:
            faiss.write_index(self.index, tmp)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)

    @classmethod
    def read(cls, path: Path, expected: int) -> NameIndex:
        """Read an index written by `save`; DataError if unreadable or of the wrong size."""
        try:
            index = faiss.read_index(str(path))
        except RuntimeError as exc:
            raise DataError(f"cannot read index {path}: {str(exc).splitlines()[0]}") from None
        if index.ntotal != expected or index.d != DIM:
            raise DataError(f"index {path} holds {index.ntotal} vectors, expected {expected}")
        return cls(index)


def index_path(corpus: Corpus) -> Path:
    """Where the index of `corpus` is cached; the name carries the list's digest."""
    return cache_dir() / "index" / f"{corpus.label}-{_FORMAT}-{corpus.digest[:20]}.faiss"


def load_or_build(corpus: Corpus, words: WordVectors, *, rebuild: bool = False) -> NameIndex:
    """The cached index of `corpus`'s name vectors, built (and cached) when missing, stale or unreadable.

    `words` must hold every target word (see `load_embeddings`).
    """
    path = index_path(corpus)
    if path.is_file() and not rebuild:
        try:
            return NameIndex.read(path, len(corpus.targets))
        except DataError:
            pass
    index = NameIndex.build(words.name_vectors([target_text(t) for t in corpus.targets]))
    try:
        index.save(path)
        for stale in path.parent.glob(f"{corpus.label}-{_FORMAT}-*.faiss"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only cache only costs a rebuild next time
    return index


@dataclass
class Embeddings:
    """What the embedding generator needs for one registry: the word table and the target index."""

    words: WordVectors
    index: NameIndex

    def vector(self, text: str) -> np.ndarray | None:
        """The name vector of a suspect's text, None when none of its words is known."""
        return self.words.name_vector(text)


def vocabulary(corpus: Corpus) -> set[str]:
    """The words a registry's embeddings need: its target words and the frequent name tokens."""
    from confuguard.lexicon import frequent_tokens

    wanted = {w for t in corpus.targets for w in words_of(target_text(t))}
    wanted.update(w for tok in frequent_tokens() for w in words_of(tok))
    return wanted


def load_embeddings(corpus: Corpus, encoder: Callable[[], Encoder] | None, *, rebuild: bool = False) -> Embeddings:
    """Word table (extended with this registry's words if needed) and the registry's name index."""
    log.info("%s: loading word vectors and the name index (built on first use)", corpus.label)
    words = load_or_extend(vocabulary(corpus), encoder)
    return Embeddings(words, load_or_build(corpus, words, rebuild=rebuild))
