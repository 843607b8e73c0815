"""`confuguard update-popular --registry R [--limit N]`: refresh a popular list from the live registry.

Writes `<user data dir>/popular/<registry>.tsv` in the bundled format (`# ` comments with
source and build date, header `name<TAB>rank<TAB>popularity`, rank 1..N), which then takes
precedence over the bundled list.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from confuguard import names, paths
from confuguard.commands import registry_names
from confuguard.errors import ConfuguardError, DataError, ExitCode, InputError, print_error
from confuguard.protocols import PopularList
from confuguard.types import Ecosystem

DEFAULT_LIMIT = 5000


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `update-popular` subcommand."""
    p = sub.add_parser("update-popular", help="refresh a registry's popular-package list from the live registry")
    p.add_argument("-r", "--registry", required=True, help=f"registry ({registry_names()}) or 'all'")
    p.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help=f"how many packages to keep (default {DEFAULT_LIMIT})")
    p.add_argument("--output", type=Path, default=None, help="folder to write <registry>.tsv to (default: the user popular dir)")
    p.set_defaults(func=handler)


def parse_registries(text: str) -> list[Ecosystem]:
    """`all` or one registry name/alias; InputError otherwise."""
    if text.strip().lower() == "all":
        return list(Ecosystem)
    try:
        return [Ecosystem.parse(text)]
    except ValueError as exc:
        raise InputError(str(exc)) from None


def handler(args: argparse.Namespace) -> int:
    """Fetch and write each requested list; report counts."""
    from confuguard.config import Config
    from confuguard.registries import build

    if args.limit < 1:
        raise InputError("--limit must be at least 1")
    ecos = parse_registries(args.registry)
    config = Config.load()
    folder = args.output or paths.user_popular_dir()
    failed = 0
    for eco in ecos:
        try:
            plist = build(eco, config=config).popular(args.limit)
            path, written, dropped = write_popular(plist, folder / f"{eco.value}.tsv")
        except ConfuguardError as exc:
            if len(ecos) == 1:
                raise
            failed += 1
            message = str(exc).strip()
            print_error(message if message.startswith(f"{eco.value}:") else f"{eco.value}: {message}")
            continue
        print(f"{eco.value}: {written} popular names written to {path} ({dropped} invalid or duplicate names dropped)")
    return ExitCode.ERROR if failed else ExitCode.OK


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def render(plist: PopularList) -> tuple[str, int, int]:
    """The TSV text of a popular list, with invalid and duplicate names dropped and ranks renumbered."""
    rows: list[str] = []
    seen: set[str] = set()
    dropped = 0
    for entry in sorted(plist.entries, key=lambda e: e.rank):
        name = entry.name.strip()
        try:
            key = names.key(names.parse(name, plist.ecosystem))
        except InputError:
            dropped += 1
            continue
        if key in seen or "\t" in name:
            dropped += 1
            continue
        seen.add(key)
        rows.append(f"{name}\t{len(rows) + 1}\t{_number(entry.popularity)}")
    eco = plist.ecosystem.value
    head = [
        f"# {eco} popular targets: {len(rows)} names, rank 1 = most popular",
        f"# popularity: {plist.measure or 'as given by the source'}",
        f"# source: {plist.source}",
        f"# built: {plist.fetched.isoformat()} by confuguard update-popular",
        "name\trank\tpopularity",
    ]
    return "\n".join(head + rows) + "\n", len(rows), dropped


def write_popular(plist: PopularList, path: Path) -> tuple[Path, int, int]:
    """Write the list atomically to `path`; return (path, rows written, names dropped)."""
    text, written, dropped = render(plist)
    if written == 0:
        raise DataError(f"{plist.ecosystem.value}: {plist.source} returned no usable names; {path} left unchanged")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        raise DataError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return path, written, dropped
