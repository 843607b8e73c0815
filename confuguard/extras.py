"""Optional parts of confuguard and the one-line error naming the extra that installs them.

A plain `pip install confuguard` checks and scans names; `confuguard train` needs the `[train]`
extra (scikit-learn) and `confuguard serve` the `[serve]` extra (FastAPI, uvicorn).
"""

from __future__ import annotations

import importlib.util

from confuguard.errors import ConfuguardError

#: extra -> the top-level modules it installs that confuguard imports
EXTRAS: dict[str, tuple[str, ...]] = {
    "train": ("sklearn",),
    "serve": ("fastapi", "uvicorn"),
}


class MissingExtra(ConfuguardError):
    """A command needs an optional dependency that is not installed."""


def require(extra: str, command: str) -> None:
    """Raise `MissingExtra` naming `extra` when one of its modules cannot be imported."""
    for module in EXTRAS[extra]:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            raise MissingExtra(f"`confuguard {command}` needs the [{extra}] extra ({module} is not installed): "
                               f"pip install 'confuguard[{extra}]'")
