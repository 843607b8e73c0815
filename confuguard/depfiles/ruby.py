"""RubyGems dependency files: Gemfile and Gemfile.lock.

A Gemfile is Ruby code; there is no Ruby parser in Python, so only literal
`gem "name"` / `gem("name")` calls are read (a name built at run time is not seen).
Gems with a `path:` option are local and skipped. Gemfile.lock is Bundler's own
indentation-based format: the resolved gems are the 4-space entries under `specs:` in
the GEM and GIT sections (PATH sections are local and skipped).
"""

from __future__ import annotations

import re
from pathlib import Path

from confuguard.depfiles.base import Collector, FileFormatError
from confuguard.formats.sanitize import excerpt
from confuguard.types import Ecosystem

GEM = Ecosystem.RUBYGEMS
_GEM_CALL = re.compile(r"""^(\s*)gem\s*\(?\s*(["'])([^"']*)\2""")
_LOCAL_OPTION = re.compile(r"""\bpath\s*:|:path\s*=>""")
_SPEC = re.compile(r"^    (\S+) \(([^)]*)\)\s*$")
_SPEC_NO_VERSION = re.compile(r"^    (\S+)\s*$")


def parse_gemfile(path: Path, text: str, out: Collector) -> None:
    """Literal `gem "name", ...` declarations (comments and `path:` gems skipped)."""
    for lineno, ln in enumerate(text.splitlines(), start=1):
        m = _GEM_CALL.match(ln)
        if not m:
            continue
        if _LOCAL_OPTION.search(re.split(r"\s#", ln, maxsplit=1)[0]):
            continue
        out.add(GEM, m.group(3), path, lineno, len(m.group(1)) + 1, ln.strip())


def parse_gemfile_lock(path: Path, text: str, out: Collector) -> None:
    """Resolved specs of the GEM and GIT sections."""
    section = None
    in_specs = False
    seen_section = False
    for lineno, ln in enumerate(text.splitlines(), start=1):
        if not ln.strip():
            continue
        if not ln[0].isspace():
            section = ln.strip()
            in_specs = False
            seen_section = True
            if not re.fullmatch(r"[A-Z][A-Z _]*", section):
                raise FileFormatError(f"unexpected line in Gemfile.lock: {excerpt(section)}", lineno)
            continue
        if section not in ("GEM", "GIT"):
            continue
        if ln.startswith("  ") and not ln.startswith("   "):
            in_specs = ln.strip() == "specs:"
            continue
        if not in_specs or ln.startswith("      "):
            continue  # dependencies of a spec (6 spaces) repeat other specs
        m = _SPEC.match(ln) or _SPEC_NO_VERSION.match(ln)
        if not m:
            raise FileFormatError(f"malformed spec line {excerpt(ln.strip())}", lineno)
        out.add(GEM, m.group(1), path, lineno, 5, ln.strip())
    if text.strip() and not seen_section:
        raise FileFormatError("not a Gemfile.lock (no GEM/GIT/PATH/DEPENDENCIES section)")
