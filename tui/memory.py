"""What the explorer remembers between launches: per dossier, the last place and the
search history; for the user, the theme.

Two small JSON files: `state.json` in the state folder (places and searches, keyed by
the dossier folder's resolved path) and `config.json` in the config folder (the
theme). Both are written with the one atomic writer (`replace_in`: 0600, never
through a symlink) and read defensively: a file that is not a regular file of sane
size, not JSON, or not the shape we write is ignored, silently and in full. JSON
only, so nothing read here can run code. No Textual: the app applies what this gives.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnership_tui.model.store.atomic import replace_in
from partnership_tui.model.store.folders import config_dir, state_dir
from partnership_tui.tui.state import PANES

STATE_FILE = "state.json"
CONFIG_FILE = "config.json"
MAX_BYTES = 1_000_000  # far above what we write; a bigger file is not ours
MAX_DOSSIERS = 50  # places kept for this many dossiers, the most recent
MAX_SEARCHES = 100
MAX_TEXT = 1_000  # a record id, theme name or query longer than this is not ours
VERSION = 1


@dataclass
class DossierMemory:
    """The last place in one dossier and its past searches (oldest first)."""

    record: str | None = None
    pane: str = "entities"
    searches: list[str] = field(default_factory=list)


def dossier_key(folder: Path) -> str:
    """The dossier's key: its folder's resolved path (the same dossier through any link)."""
    try:
        return str(Path(folder).resolve())
    except (OSError, RuntimeError):
        return str(Path(folder).absolute())


def read_json(path: Path) -> Any:
    """The JSON in `path`, or None if it is missing, not a regular file (a symlink, a FIFO,
    a folder), too big, unreadable or not JSON. Never blocks on a FIFO, never follows a link."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        data = os.read(fd, MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            return None
        return json.loads(data.decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    finally:
        os.close(fd)


def _text(value: object) -> str | None:
    if isinstance(value, str) and 0 < len(value) <= MAX_TEXT and value.isprintable():
        return value
    return None


def _dossier_memory(value: object) -> DossierMemory | None:
    if not isinstance(value, dict):
        return None
    record = _text(value.get("record"))
    pane = value.get("pane")
    searches = value.get("searches")
    kept = [q for q in searches if _text(q)] if isinstance(searches, list) else []
    return DossierMemory(
        record=record,
        pane=pane if pane in PANES else "entities",
        searches=kept[-MAX_SEARCHES:],
    )


def _all_places() -> dict[str, dict[str, Any]]:
    data = read_json(state_dir() / STATE_FILE)
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return {}
    dossiers = data.get("dossiers")
    if not isinstance(dossiers, dict):
        return {}
    return {k: v for k, v in dossiers.items() if isinstance(k, str) and isinstance(v, dict)}


def load_dossier_memory(folder: Path) -> DossierMemory:
    """What was remembered for the dossier in `folder` (empty if nothing, or nothing sane)."""
    return _dossier_memory(_all_places().get(dossier_key(folder))) or DossierMemory()


def save_dossier_memory(folder: Path, memory: DossierMemory) -> bool:
    """Remember `memory` for the dossier in `folder`; False (and nothing raised) if the
    state folder cannot be written. The most recent MAX_DOSSIERS dossiers are kept."""
    places = _all_places()
    key = dossier_key(folder)
    places.pop(key, None)
    places[key] = {
        "record": memory.record,
        "pane": memory.pane if memory.pane in PANES else "entities",
        "searches": [q for q in memory.searches if _text(q)][-MAX_SEARCHES:],
    }
    while len(places) > MAX_DOSSIERS:
        del places[next(iter(places))]
    return _write(state_dir() / STATE_FILE, {"version": VERSION, "dossiers": places})


def load_theme() -> str | None:
    """The theme the user last chose, or None."""
    data = read_json(config_dir() / CONFIG_FILE)
    return _text(data.get("theme")) if isinstance(data, dict) else None


def save_theme(theme: str) -> bool:
    """Remember the chosen theme (the rest of config.json, if ours, is kept)."""
    data = read_json(config_dir() / CONFIG_FILE)
    config = data if isinstance(data, dict) else {}
    config["theme"] = theme
    return _write(config_dir() / CONFIG_FILE, config)


def _write(path: Path, data: dict[str, Any]) -> bool:
    payload = json.dumps(data, ensure_ascii=True, indent=1).encode("ascii")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with contextlib.suppress(FileNotFoundError):
            if not stat.S_ISREG(os.lstat(path).st_mode):
                return False  # a planted link, FIFO or folder stays untouched
        # temp + fsync + rename in its folder, 0600 set on the descriptor (never umask)
        replace_in(path.parent, path.name, lambda handle: handle.write(payload), 0o600)
    except OSError:
        return False
    return True
