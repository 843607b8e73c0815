"""Benchmark: `confuguard scan` of a generated ~60 MB package-lock.json (160,000 packages), end to end.

The lockfile is `hostile_files.write_lockfile`'s (npm's v3 shape; names `pkg-<i>` and `@scope-<k>/lib-<i>`,
none of them popular, so every one is judged). The scan runs in this process as the CLI runs it
(`scan.handler`: read, decode, parse, check, write the JSON report), with the default engine: first
with forked workers (`confuguard.parallel`, one per core), then, as the baseline, in one process.
Wall time, CPU (this process and its workers) and peak RSS are printed for both.

    .venv/bin/python bench/lockfile_scan.py [--packages 160000] [--no-baseline]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from hostile_files import write_lockfile

from confuguard import parallel
from confuguard.commands import scan


def cpu() -> float:
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run(folder: Path, label: str) -> float:
    out = folder / f"report-{label}.json"
    t, c = time.perf_counter(), cpu()
    code = scan.handler(argparse.Namespace(paths=[str(folder / "project")], format="json", output=str(out)))
    wall, used = time.perf_counter() - t, cpu() - c
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    print(f"{label:>10}: {wall:6.1f} s wall, {used:6.1f} s CPU, exit {code}, peak RSS {peak / 1024:.0f} MB "
          f"(largest process), report {out.stat().st_size / 1e6:.1f} MB")
    return wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--packages", type=int, default=160_000)
    ap.add_argument("--no-baseline", action="store_true", help="skip the one-process run")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="confuguard-lockfile-") as tmp:
        folder = Path(tmp)
        (folder / "project").mkdir()
        lock = folder / "project" / "package-lock.json"
        write_lockfile(lock, args.packages)
        print(f"package-lock.json {lock.stat().st_size / 1e6:.1f} MB, {args.packages:,} packages; "
              f"{parallel.workers_for(args.packages)} workers")
        wall = run(folder, "workers")
        if not args.no_baseline:
            parallel.PARALLEL_MIN = 10**12
            base = run(folder, "one process")
            print(f"ratio {base / wall:.2f} (one process / workers)")


if __name__ == "__main__":
    main()
