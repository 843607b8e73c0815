"""Benchmark: hostile dependency files and name lists (issue 16) — time and memory stay bounded.

Everything is generated at run time in a temporary folder (nothing is downloaded or kept):

1. a ~50 MB `package-lock.json` (v3) with 160,000 packages: `parse_file` (bounded read, decoding,
   `json.loads`, key positions, name validation) against a bare `json.loads` of the same text in
   the same process (the floor of any JSON reader), time and peak Python memory (tracemalloc).
   This is the parse cost only; judging the names is the engine's (`bench/full_screen.py`).
2. a ~60 MB `package.json` whose unrelated key holds `[[[[...]]]]`: read with the deep part pruned.
3. `-r /dev/zero`, a FIFO named `requirements.txt`, a 1 GiB sparse `requirements.txt`: time to report.
4. a name list (`check --from`) of LIST_MB megabytes streamed by `confuguard.namelist.iter_names`,
   against slurping it (`read().splitlines()`, what `check --from` did before): peak memory.

    .venv/bin/python bench/hostile_files.py [--packages 160000] [--list-mb 200]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from confuguard.depfiles import parse_file
from confuguard.namelist import iter_names


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def peak_mib(fn: Callable[[], Any]) -> float:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def write_lockfile(path: Path, n: int) -> None:
    """A package-lock.json v3 shaped like npm's: one entry per package with version, resolved, integrity, deps."""
    packages: dict[str, Any] = {"": {"name": "app", "version": "1.0.0", "dependencies": {"pkg-0": "^1.0.0"}}}
    for i in range(n):
        name = f"@scope-{i % 500}/lib-{i}" if i % 5 == 0 else f"pkg-{i}"
        packages[f"node_modules/{name}"] = {
            "version": f"{i % 17}.{i % 7}.{i % 3}",
            "resolved": f"https://registry.npmjs.org/{name}/-/{name.rsplit('/', 1)[-1]}-1.0.0.tgz",
            "integrity": "sha512-" + f"{i:08x}" * 11,
            "dev": i % 4 == 0,
            "dependencies": {f"pkg-{(i * 7 + k) % n}": f"^{k}.0.0" for k in range(2)},
        }
    path.write_text(json.dumps({"name": "app", "lockfileVersion": 3, "packages": packages}, indent=2))


def lockfile(tmp: Path, n: int) -> None:
    f = tmp / "package-lock.json"
    write_lockfile(f, n)
    size = f.stat().st_size / 1e6
    base_t, _ = timed(lambda: json.loads(f.read_text()))
    t, out = timed(lambda: parse_file(f))
    assert not out.errors, out.errors[:3]
    base_mem = peak_mib(lambda: json.loads(f.read_text()))
    mem = peak_mib(lambda: parse_file(f))
    print(f"1. package-lock.json {size:.1f} MB, {len(out.dependencies):,} packages: parse_file {t:.2f} s "
          f"({len(out.dependencies) / t:,.0f} packages/s), peak {mem:.0f} MiB; "
          f"baseline json.loads {base_t:.2f} s, peak {base_mem:.0f} MiB (ratio {t / base_t:.2f} time, "
          f"{mem / base_mem:.2f} memory)")


def deep_json(tmp: Path, depth: int) -> None:
    f = tmp / "package.json"
    f.write_text('{"config": ' + "[" * depth + "]" * depth + ', "dependencies": {"lodahs": "^4"}}')
    size = f.stat().st_size / 1e6
    t, out = timed(lambda: parse_file(f))
    mem = peak_mib(lambda: parse_file(f))
    base_t, _ = timed(lambda: f.read_bytes())
    assert [d.name for d in out.dependencies] == ["lodahs"] and not out.errors
    print(f"2. package.json {size:.0f} MB with a {depth:,}-deep array: dependencies read in {t:.2f} s, "
          f"peak {mem:.0f} MiB (baseline: reading the bytes {base_t:.3f} s; ratio {t / base_t:.1f})")


def special_files(tmp: Path) -> None:
    cases: list[tuple[str, Path]] = []
    d = tmp / "zero"
    d.mkdir()
    (d / "requirements.txt").write_text("-r /dev/zero\n")
    cases.append(("-r /dev/zero", d / "requirements.txt"))
    d = tmp / "fifo"
    d.mkdir()
    os.mkfifo(d / "requirements.txt")
    cases.append(("FIFO requirements.txt", d / "requirements.txt"))
    d = tmp / "sparse"
    d.mkdir()
    with open(d / "requirements.txt", "wb") as fh:
        fh.truncate(1 << 30)
    cases.append(("1 GiB sparse requirements.txt", d / "requirements.txt"))
    parts = []
    for label, f in cases:
        t, out = timed(lambda f=f: parse_file(f))
        mem = peak_mib(lambda f=f: parse_file(f))
        parts.append(f"{label}: {t * 1000:.1f} ms, peak {mem:.2f} MiB ({out.errors[0].message[:40]}...)")
    print("3. " + "; ".join(parts))


def name_list(tmp: Path, megabytes: int) -> None:
    f = tmp / "names.txt"
    line = b"".join(f"package-name-{i}\n".encode() for i in range(50_000))
    with open(f, "wb") as fh:
        written = 0
        while written < megabytes * 1_000_000:
            fh.write(line)
            written += len(line)

    def stream() -> int:
        with open(f, "rb") as fh:
            return sum(1 for _ in iter_names(fh))

    def slurp() -> int:
        with open(f, encoding="utf-8") as fh:
            return len([ln.strip() for ln in fh.read().splitlines() if ln.strip()])

    t, count = timed(stream)
    mem = peak_mib(stream)
    base_mem = peak_mib(slurp)
    print(f"4. name list {written / 1e6:.0f} MB, {count:,} names: streamed at {count / t:,.0f} names/s, "
          f"peak {mem:.2f} MiB; baseline slurp peak {base_mem:.0f} MiB (ratio {base_mem / mem:,.0f}x less memory)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--packages", type=int, default=160_000)
    ap.add_argument("--depth", type=int, default=30_000_000)
    ap.add_argument("--list-mb", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="confuguard-hostile-") as tmp:
        lockfile(Path(tmp), args.packages)
        deep_json(Path(tmp), args.depth)
        special_files(Path(tmp))
        name_list(Path(tmp), args.list_mb)


if __name__ == "__main__":
    main()
