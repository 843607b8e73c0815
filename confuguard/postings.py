"""Flat lookup tables (word -> target positions) that save to and load from NPZ in milliseconds.

The candidate generator's hash tables hold hundreds of thousands of keys for npm; building them
from the target names costs seconds, which a cold `confuguard check` cannot afford. They are
kept in the cache dir as plain arrays (no pickle: `np.load(allow_pickle=False)`):

* a string list is its UTF-8 text joined by newlines (no name holds one), as a uint8 array;
* a `Postings` map is its keys (a string list), an offsets array and a positions array: the
  positions of key *i* are `positions[offsets[i]:offsets[i + 1]]`.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

_EMPTY: list[int] = []


def pack(strings: Iterable[str]) -> np.ndarray:
    """A string list as one uint8 array (newline-joined UTF-8)."""
    return np.frombuffer("\n".join(strings).encode("utf-8"), dtype=np.uint8)


def unpack(array: np.ndarray, count: int) -> list[str]:
    """The string list `pack` wrote; `count` tells an empty list from one empty string."""
    if count == 0:
        return []
    out = array.tobytes().decode("utf-8").split("\n")
    if len(out) != count:
        raise ValueError(f"string list holds {len(out)} items, expected {count}")
    return out


class Postings:
    """A read-only map key -> list of target positions."""

    __slots__ = ("_keys", "_row", "_off", "_pos")

    def __init__(self, keys: list[str], offsets: list[int], positions: list[int]) -> None:
        if len(offsets) != len(keys) + 1 or (offsets and offsets[-1] != len(positions)):
            raise ValueError("postings offsets do not match their keys and positions")
        self._keys = keys
        self._row = dict(zip(keys, range(len(keys))))
        self._off = offsets
        self._pos = positions

    @classmethod
    def of(cls, mapping: Mapping[str, list[int]]) -> Postings:
        """Postings of a plain mapping (keys sorted, positions in insertion order)."""
        keys = sorted(mapping)
        offsets = [0]
        positions: list[int] = []
        for k in keys:
            positions.extend(mapping[k])
            offsets.append(len(positions))
        return cls(keys, offsets, positions)

    def get(self, key: str) -> list[int]:
        """The positions under `key`, [] when absent."""
        i = self._row.get(key)
        if i is None:
            return _EMPTY
        return self._pos[self._off[i] : self._off[i + 1]]

    def keys(self) -> list[str]:
        """All keys, sorted."""
        return self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def arrays(self, name: str) -> dict[str, np.ndarray]:
        """The arrays that store this map under `name` in an NPZ file."""
        return {
            f"{name}.keys": pack(self._keys),
            f"{name}.count": np.array([len(self._keys)], dtype=np.int64),
            f"{name}.offsets": np.asarray(self._off, dtype=np.int32),
            f"{name}.positions": np.asarray(self._pos, dtype=np.int32),
        }

    @classmethod
    def from_arrays(cls, arrays: Mapping[str, np.ndarray], name: str) -> Postings:
        """The map `arrays` wrote under `name`; ValueError/KeyError when the file does not hold it."""
        keys = unpack(arrays[f"{name}.keys"], int(arrays[f"{name}.count"][0]))
        return cls(keys, arrays[f"{name}.offsets"].tolist(), arrays[f"{name}.positions"].tolist())


def save(path: Path, arrays: Mapping[str, np.ndarray]) -> None:
    """Write `arrays` to `path` atomically (a killed run leaves no half-written file); errors are ignored."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + f".{os.getpid()}.tmp")
        named: dict[str, Any] = dict(arrays)  # (savez's own keywords cannot clash: keys are table names)
        with tmp.open("wb") as fh:
            np.savez(fh, **named)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only cache only costs building the tables again next time


def load(path: Path) -> dict[str, np.ndarray] | None:
    """The arrays of `path`, or None when it is missing or unreadable (then the caller rebuilds)."""
    try:
        with np.load(path, allow_pickle=False) as npz:
            return {k: npz[k] for k in npz.files}
    except (OSError, ValueError, EOFError, KeyError, zipfile.BadZipFile):
        return None
