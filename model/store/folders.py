"""Where caches live: the user's cache folder, found by platformdirs, and whether to use it."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs


def cache_dir() -> Path:
    """PARTNERSHIP_TUI_CACHE_DIR if set, else the platform's user cache folder.

    On Linux that is $XDG_CACHE_HOME/partnership-tui (~/.cache/partnership-tui);
    platformdirs also knows macOS (~/Library/Caches) and Windows (%LOCALAPPDATA%).
    """
    override = os.environ.get("PARTNERSHIP_TUI_CACHE_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_cache_dir("partnership-tui", appauthor=False))


def cache_enabled() -> bool:
    """False when PARTNERSHIP_TUI_NO_CACHE is set to anything but "" or "0"."""
    return os.environ.get("PARTNERSHIP_TUI_NO_CACHE", "") in ("", "0")
