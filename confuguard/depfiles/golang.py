"""Go modules: go.mod `require` and `replace` directives (single-line and blocks).

go.mod's grammar is line-based and small; the reference parser is Go code
(`golang.org/x/mod/modfile`), so this module reads the same grammar: `//` comments,
quoted or bare module paths, `directive (...)` blocks. A `replace` target is a
dependency when it is a module (has a version), not a local directory.
"""

from __future__ import annotations

import re
from pathlib import Path

from confuguard.depfiles.base import Collector, FileFormatError
from confuguard.formats.sanitize import excerpt
from confuguard.types import Ecosystem

GO = Ecosystem.GOLANG
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|`[^`]*`|\S+')
_KNOWN = {"module", "go", "toolchain", "require", "replace", "exclude", "retract", "godebug", "tool", "ignore"}


def _tokens(line: str) -> list[tuple[int, str]]:
    """(0-based column, token) pairs with the `//` comment removed and quotes stripped."""
    out: list[tuple[int, str]] = []
    for m in _TOKEN.finditer(line):
        tok = m.group()
        if tok.startswith("//"):
            break
        if tok[0] in "\"`":
            if len(tok) < 2 or tok[-1] != tok[0]:
                raise FileFormatError("unterminated quoted string")
            tok = tok[1:-1]
        out.append((m.start(), tok))
    return out


def parse_go_mod(path: Path, text: str, out: Collector) -> None:
    """Modules named by `require` and by `replace` targets."""
    block: str | None = None
    block_line = 0
    for lineno, ln in enumerate(text.splitlines(), start=1):
        try:
            toks = _tokens(ln)
        except FileFormatError as exc:
            raise FileFormatError(str(exc), lineno) from None
        if not toks:
            continue
        if block is not None:
            if toks[0][1] == ")":
                block = None
                continue
            _entry(path, block, toks, lineno, ln, out)
            continue
        verb = toks[0][1]
        if verb not in _KNOWN:
            raise FileFormatError(f"unknown go.mod directive {excerpt(verb)}", lineno)
        rest = toks[1:]
        if rest and rest[0][1] == "(":
            if len(rest) > 1:
                raise FileFormatError(f"unexpected text after '{verb} ('", lineno)
            block, block_line = verb, lineno
            continue
        _entry(path, verb, rest, lineno, ln, out)
    if block is not None:
        raise FileFormatError(f"'{block} (' block is not closed", block_line)


def _entry(path: Path, verb: str, toks: list[tuple[int, str]], lineno: int, raw: str, out: Collector) -> None:
    if verb == "require":
        if len(toks) != 2:
            raise FileFormatError("a require line is `module/path version`", lineno)
        col, module = toks[0]
        out.add(GO, module, path, lineno, col + 1, raw.strip())
    elif verb == "replace":
        words = [t for _, t in toks]
        if "=>" not in words:
            raise FileFormatError("a replace line is `old [version] => new [version]`", lineno)
        arrow = words.index("=>")
        target = toks[arrow + 1 :]
        if len(target) == 2 and not target[0][1].startswith((".", "/")):
            col, module = target[0]
            out.add(GO, module, path, lineno, col + 1, raw.strip())
        elif len(target) not in (1, 2):
            raise FileFormatError("a replace target is `module version` or a local directory", lineno)
