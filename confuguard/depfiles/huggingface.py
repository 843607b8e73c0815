"""Hugging Face model and dataset ids referenced in Python sources, found with `ast` (never regex).

Recognised calls (as a bare name or an attribute, e.g. `AutoModel.from_pretrained`):

- `from_pretrained("id")` / `from_pretrained(pretrained_model_name_or_path="id")`
- `hf_hub_download("id", ...)` / `hf_hub_download(repo_id="id", ...)`
- `snapshot_download("id")` / `snapshot_download(repo_id="id")`
- `pipeline(task, "id")` / `pipeline(model="id")`
- `load_dataset("id")` / `load_dataset(path="id")`: a dataset, reported as `datasets/id`; so are
  `hf_hub_download` / `snapshot_download` with `repo_type="dataset"`

Only string literals are read. Calls with a literal `repo_type` other than `"model"` or `"dataset"`
(spaces) are skipped, and so are strings that look like local paths
(`./ckpt`, `/models/x`, `~/x`, `C:\\x`, more than one `/`), `load_dataset` builders (`json`, `csv`...)
and data files (`data/train.csv`).
"""

from __future__ import annotations

import ast
import threading
from pathlib import Path

from confuguard.depfiles.base import Collector, FileFormatError
from confuguard.types import Ecosystem

HF = Ecosystem.HUGGINGFACE
_AST_LOCK = threading.Lock()
"""CPython 3.11 keeps `ast.parse`'s recursion bookkeeping per interpreter, not per thread: two parses at
once (a scan in a service thread, a test runner) can fail with `SystemError`, so they take turns."""

# function name -> (index of the positional argument holding the id, keyword holding it)
CALLS: dict[str, tuple[int, str]] = {
    "from_pretrained": (0, "pretrained_model_name_or_path"),
    "hf_hub_download": (0, "repo_id"),
    "snapshot_download": (0, "repo_id"),
    "pipeline": (1, "model"),
    "load_dataset": (0, "path"),
}
#: Calls whose id is always a dataset; `repo_type="dataset"` makes the others' ids datasets too.
_DATASET_CALLS = frozenset({"load_dataset"})
#: `load_dataset` builder names and data-file suffixes: local data, not Hub repositories.
_BUILDERS = frozenset("json csv parquet text arrow pandas imagefolder audiofolder videofolder webdataset sql generator".split())
_DATA_FILE = (".csv", ".tsv", ".json", ".jsonl", ".parquet", ".txt", ".arrow", ".zip", ".gz", ".tar", ".xz", ".zst")
_MARKERS = tuple(name.encode() for name in CALLS)


def mentions_calls(data: bytes) -> bool:
    """Cheap pre-filter: could this source contain one of the recognised calls?"""
    return any(m in data for m in _MARKERS)


def _callee(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _string(node: ast.expr | None) -> ast.Constant | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node
    return None


def _looks_local(value: str) -> bool:
    return (
        value.startswith((".", "/", "~"))
        or "\\" in value
        or ":" in value
        or value.count("/") > 1
    )


def parse_python_source(path: Path, text: str, out: Collector) -> None:
    """Literal model ids passed to the recognised Hugging Face loading calls."""
    if not mentions_calls(text.encode("utf-8")):
        return
    try:
        with _AST_LOCK:
            tree = ast.parse(text, filename=str(path))
    except (RecursionError, MemoryError):  # CPython's own limits on nesting (`- - - ... 1`, `1+1+...+1`)
        raise FileFormatError("Python source nested too deeply to read") from None
    except SyntaxError as exc:
        raise FileFormatError(f"invalid Python: {exc.msg}", exc.lineno or 1) from None
    except ValueError as exc:  # e.g. null bytes
        raise FileFormatError(f"invalid Python: {exc}") from None
    lines = text.splitlines()
    found: list[tuple[ast.Constant, str, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            hit = _repo_id(node)
            if hit is not None:
                found.append(hit)
    # ast.walk is breadth-first: sort so that the first occurrence in the file wins deduplication.
    for literal, value, prefix in sorted(found, key=lambda h: (h[0].lineno, h[0].col_offset)):
        src = lines[literal.lineno - 1] if literal.lineno <= len(lines) else ""
        column = len(src.encode("utf-8")[: literal.col_offset].decode("utf-8", "ignore")) + 1
        out.add(HF, prefix + value, path, literal.lineno, column, src.strip() or value)


def _repo_id(node: ast.Call) -> tuple[ast.Constant, str, str] | None:
    """The string literal naming the repository in a recognised call, its text and the prefix of its kind
    (`datasets/` for a dataset, `` for a model), or None."""
    name = _callee(node.func)
    if name not in CALLS:
        return None
    position, keyword = CALLS[name]
    kwargs = {kw.arg: kw.value for kw in node.keywords if kw.arg}
    repo_type = _string(kwargs.get("repo_type"))
    dataset = name in _DATASET_CALLS or (repo_type is not None and repo_type.value == "dataset")
    if repo_type is not None and repo_type.value not in ("model", "dataset"):
        return None
    arg = kwargs.get(keyword)
    if arg is None and len(node.args) > position and not any(isinstance(a, ast.Starred) for a in node.args):
        arg = node.args[position]
    literal = _string(arg)
    value = None if literal is None else literal.value
    if literal is None or not isinstance(value, str) or not value.strip() or _looks_local(value):
        return None
    if dataset and (value in _BUILDERS or value.lower().endswith(_DATA_FILE)):
        return None
    return literal, value, "datasets/" if dataset else ""
