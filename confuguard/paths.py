"""Where confuguard keeps its files outside the repo (overridable by environment)."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

_APP = "confuguard"


def cache_dir() -> Path:
    """Derived artifacts (embeddings, FAISS index): `$CONFUGUARD_CACHE_DIR` or the user cache dir."""
    return Path(os.environ.get("CONFUGUARD_CACHE_DIR") or platformdirs.user_cache_dir(_APP))


def data_dir() -> Path:
    """User data (local store, refreshed popular lists): `$CONFUGUARD_DATA_DIR` or the user data dir."""
    return Path(os.environ.get("CONFUGUARD_DATA_DIR") or platformdirs.user_data_dir(_APP))


def default_db() -> Path:
    """The local SQLite store: `$CONFUGUARD_DB` or `<data_dir>/confuguard.db`."""
    return Path(os.environ.get("CONFUGUARD_DB") or data_dir() / "confuguard.db")


def user_popular_dir() -> Path:
    """Popular lists refreshed live by `confuguard update-popular`; they take precedence over the bundled ones."""
    return data_dir() / "popular"


def bundled_data() -> Path:
    """The `data/` folder shipped with the package (installed as `confuguard.data`)."""
    import confuguard.data

    return Path(confuguard.data.__file__).resolve().parent
