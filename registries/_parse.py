"""Tolerant accessors for registry payloads: wrong types read as unknown, never as crashes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any
from xml.parsers.expat import ExpatError

from confuguard import names
from confuguard.errors import ConfuguardError, MalformedResponse
from confuguard.formats.sanitize import one_line
from confuguard.types import Ecosystem, PackageId, as_utc

#: README text kept per package (characters); the full length is kept beside it.
README_LIMIT = 64 * 1024

_WEIGHT_FORMATS = {
    ".bin": "pickle", ".pt": "pickle", ".pth": "pickle", ".pkl": "pickle", ".pickle": "pickle", ".ckpt": "pickle",
    ".safetensors": "safetensors", ".gguf": "gguf", ".onnx": "onnx",
    ".h5": "other", ".msgpack": "other", ".tflite": "other", ".pb": "other", ".joblib": "pickle", ".npz": "other",
}


@contextmanager
def guard(what: str) -> Iterator[None]:
    """Turn any parsing slip inside the block into MalformedResponse (confuguard errors pass through)."""
    try:
        yield
    except ConfuguardError:
        raise
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, RecursionError, OverflowError,
            ET.ParseError, ExpatError, UnicodeError) as exc:
        raise MalformedResponse(f"{what}: unexpected payload ({type(exc).__name__}: {_brief(exc)})") from exc


def _brief(exc: BaseException) -> str:
    return one_line(str(exc), 120)


def as_dict(value: Any) -> dict[str, Any]:
    """`value` if it is an object, else an empty dict."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """`value` if it is a list, else an empty list."""
    return value if isinstance(value, list) else []


def as_str(value: Any) -> str | None:
    """`value` if it is a string, else None."""
    return value if isinstance(value, str) else None


def nonempty(value: Any) -> str | None:
    """A stripped non-empty string, else None."""
    return value.strip() or None if isinstance(value, str) else None


def as_int(value: Any) -> int | None:
    """An integer (not a bool), accepting integral floats and digit strings; else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**63:
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit() and len(value) < 20:
        return int(value)
    return None


def as_bool(value: Any) -> bool | None:
    """A JSON boolean, else None."""
    return value if isinstance(value, bool) else None


def parse_time(value: Any) -> datetime | None:
    """An aware UTC datetime from ISO-8601 text (nanoseconds cut), epoch seconds or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        try:
            return datetime.fromtimestamp(float(value), UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    m = re.match(r"^(.*T\d\d:\d\d:\d\d)(\.\d+)?(.*)$", text)
    if m and m.group(2) and len(m.group(2)) > 7:
        text = m.group(1) + m.group(2)[:7] + m.group(3)
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return as_utc(dt)


def readme(text: Any) -> tuple[str | None, int | None]:
    """(README truncated to README_LIMIT characters, full length) or (None, None)."""
    if not isinstance(text, str):
        return None, None
    return text[:README_LIMIT], len(text)


def strs(values: Any) -> tuple[str, ...]:
    """The non-empty strings of a list, de-duplicated, in order."""
    return tuple(dict.fromkeys(v.strip() for v in as_list(values) if isinstance(v, str) and v.strip()))


def weight_format(path: str) -> str | None:
    """The serialisation format of a weight file name, or None if it is not a weight file."""
    lower = path.lower()
    for ext, fmt in _WEIGHT_FORMATS.items():
        if lower.endswith(ext):
            return fmt
    return None


def parse_name(text: Any, ecosystem: Ecosystem) -> tuple[PackageId | None, str | None]:
    """(PackageId, None) or (None, reason) for a name taken from a feed."""
    if not isinstance(text, str):
        return None, f"name is not a string: {text!r:.60}"
    try:
        return names.parse(text, ecosystem), None
    except ConfuguardError as exc:
        return None, str(exc)


def xml_root(body: bytes | str, what: str) -> ET.Element:
    """Parse XML refusing DTDs and entities (billion laughs, external entities)."""
    head = body[:4096] if isinstance(body, bytes) else body[:4096].encode("utf-8", "replace")
    raw = body if isinstance(body, bytes) else body.encode("utf-8", "replace")
    if b"<!DOCTYPE" in raw.upper() or b"<!ENTITY" in raw.upper() or not head.strip():
        raise MalformedResponse(f"{what}: XML with a DTD/entities or empty body is refused")
    with guard(what):
        return ET.fromstring(raw)


def local(tag: str) -> str:
    """An element tag without its `{namespace}`."""
    return tag.rsplit("}", 1)[-1]


def child_text(elem: ET.Element | None, *path: str) -> str | None:
    """Stripped text of the first descendant path (namespace-agnostic), or None."""
    node = elem
    for step in path:
        if node is None:
            return None
        node = next((c for c in node if local(c.tag) == step), None)
    if node is None or node.text is None:
        return None
    return node.text.strip() or None


def children(elem: ET.Element | None, name: str) -> list[ET.Element]:
    """Direct children named `name` (namespace-agnostic)."""
    return [] if elem is None else [c for c in elem if local(c.tag) == name]
