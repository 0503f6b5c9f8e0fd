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


def state_dir() -> Path:
    """PARTNERSHIP_TUI_STATE_DIR if set, else the platform's user state folder.

    What the explorer remembers between launches (the last place, past searches) lives
    here: on Linux $XDG_STATE_HOME/partnership-tui (~/.local/state/partnership-tui).
    """
    override = os.environ.get("PARTNERSHIP_TUI_STATE_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_state_dir("partnership-tui", appauthor=False))


def config_dir() -> Path:
    """PARTNERSHIP_TUI_CONFIG_DIR if set, else PARTNERSHIP_TUI_STATE_DIR if set (so one
    variable keeps a test or a trial run out of the real home), else the user config folder."""
    for variable in ("PARTNERSHIP_TUI_CONFIG_DIR", "PARTNERSHIP_TUI_STATE_DIR"):
        override = os.environ.get(variable)
        if override:
            return Path(override)
    return Path(platformdirs.user_config_dir("partnership-tui", appauthor=False))
