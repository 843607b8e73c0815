"""Word vectors: all-MiniLM-L6-v2 embeddings of the words package names are made of.

A name's embedding is the normalised mean of its words' vectors (`name_vector`). The table
holds every word of the bundled targets and the frequent tokens of the PyPI and npm name lists
(`data/lexicon/tokens.tsv`); it is encoded once with the MiniLM encoder, cached in the user cache
dir (`.npz`, no pickle) and extended when new target words appear. A query word missing from
the table is left out of the mean rather than encoded at query time, so a lookup costs a few
array lookups instead of a transformer pass (about 2-5 ms a name on two cores): words that no
popular name and no frequent token uses carry no similarity to a target anyway.

Reorderings embed identically (`dateutil-python` = `python-dateutil`) and synonyms land close
(`notify` ~ `notification`), which is what the embedding generator is for; typos are left to
edit distance (`reqeusts` is not a known word).
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
from confuguard.models.embedder import DIM, MODEL_ID, Encoder, name_text

from confuguard.errors import DataError
from confuguard.paths import cache_dir

_DIGITS = re.compile(r"(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])")
_FORMAT = "v1"


def words_of(name: str) -> tuple[str, ...]:
    """The words of a name: delimiters, camelCase and letter/digit boundaries, lowercased."""
    return tuple(_DIGITS.sub(" ", name_text(name)).split())


class WordVectors:
    """A table word -> unit vector, and name vectors composed from it."""

    def __init__(self, words: list[str], matrix: np.ndarray) -> None:
        self.words = words
        # stored as float16: round here too, so a fresh table and a cached one give the same vectors
        self.matrix = np.ascontiguousarray(np.asarray(matrix, dtype=np.float16), dtype=np.float32)
        self.row = {w: i for i, w in enumerate(words)}

    def __len__(self) -> int:
        return len(self.words)

    def name_vector(self, name: str) -> np.ndarray | None:
        """Unit mean of the known words' vectors; None when no word of `name` is known."""
        rows = [self.row[w] for w in words_of(name) if w in self.row]
        if not rows:
            return None
        v = self.matrix[rows].mean(axis=0)
        n = float(np.linalg.norm(v))
        return v / n if n > 1e-9 else None

    def name_vectors(self, names: list[str]) -> np.ndarray:
        """Vectors of `names` (a zero row for a name with no known word)."""
        out = np.zeros((len(names), DIM), dtype=np.float32)
        for i, n in enumerate(names):
            v = self.name_vector(n)
            if v is not None:
                out[i] = v
        return out


def table_path(encoder_name: str) -> Path:
    """Where the word table of an encoder is cached."""
    tag = re.sub(r"[^A-Za-z0-9]+", "-", encoder_name).strip("-")
    return cache_dir() / "embeddings" / f"words-{_FORMAT}-{tag}.npz"


#: The table last read from each path, with the file's (mtime, size) when read: the candidate
#: generator and the judge share one read, and a rewritten file is read again.
_READ: dict[Path, tuple[tuple[int, int], WordVectors]] = {}


def _read(path: Path) -> WordVectors | None:
    try:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
        if path in _READ and _READ[path][0] == stamp:
            return _READ[path][1]
        with np.load(path, allow_pickle=False) as z:
            words = z["words"].tolist()
            matrix = z["vectors"]  # stored float16: WordVectors widens it once
    except (OSError, ValueError, KeyError):
        return None
    if matrix.shape != (len(words), DIM):
        return None
    table = WordVectors(words, matrix)
    _READ[path] = (stamp, table)
    return table


def _write(path: Path, table: WordVectors) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npz")
    os.close(fd)
    try:
        np.savez(tmp, words=np.array(table.words, dtype=str), vectors=table.matrix.astype(np.float16))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def load_or_extend(wanted: Iterable[str], encoder: Callable[[], Encoder] | None) -> WordVectors:
    """The cached table, extended with the `wanted` words it lacks (encoded now, then cached).

    `encoder` is called only when words are missing; with None they stay missing (read-only
    use), and DataError is raised if there is no table at all.
    """
    path = table_path(MODEL_ID)
    table = _read(path) if path.is_file() else None
    have = table.row if table is not None else {}
    missing = sorted({w for w in wanted if w and w not in have})
    if not missing:
        if table is None:
            raise DataError("no word vectors to build: empty vocabulary")
        return table
    if encoder is None:
        if table is None:
            raise DataError(f"word vectors not built yet ({path}); run `confuguard index build`")
        return table
    vectors = encoder().encode(missing)
    if table is not None:
        table = WordVectors(table.words + missing, np.vstack([table.matrix, vectors]))
    else:
        table = WordVectors(missing, vectors)
    try:
        _write(path, table)
    except OSError:
        pass  # a read-only cache only costs encoding again next time
    return table


class TextVectors:
    """Embeddings of short texts (package summaries): the unit mean of their known words' MiniLM vectors.

    The vocabulary is fixed by shipped data (the frequent name tokens of `data/lexicon/tokens.tsv`, which
    cover about 88% of the content words of npm summaries), so a summary embeds the same on every
    machine whichever registries' indexes were built; a lookup costs microseconds, no transformer pass.
    """

    MIN_WORDS = 2

    def __init__(self, row: dict[str, int], matrix: np.ndarray) -> None:
        self.row = row
        """word -> row of `matrix` (a view of the word table's rows: nothing copied)."""
        self.matrix = matrix

    def vector(self, words: Iterable[str]) -> np.ndarray | None:
        """Unit mean of the known `words`' vectors; None with fewer than MIN_WORDS known words."""
        rows = [self.row[w] for w in words if w in self.row]
        if len(rows) < self.MIN_WORDS:
            return None
        v = self.matrix[rows].mean(axis=0)
        n = float(np.linalg.norm(v))
        return v / n if n > 1e-9 else None


@functools.cache
def text_vocabulary() -> tuple[str, ...]:
    """The words texts are embedded with: the shipped frequent name tokens, split into words."""
    from confuguard.lexicon import frequent_tokens

    return tuple(sorted({w for tok in frequent_tokens() for w in words_of(tok)}))


def text_vectors(encoder: Callable[[], Encoder] | None = None) -> TextVectors:
    """The text-embedding table, cut from the word table (extended with `encoder` if words are missing;
    with None, DataError when the table was never built)."""
    vocab = text_vocabulary()
    table = load_or_extend(vocab, encoder)
    return TextVectors({w: table.row[w] for w in vocab if w in table.row}, table.matrix)
