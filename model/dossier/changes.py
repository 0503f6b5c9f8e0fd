"""Which changed paths in a dossier folder may change what the loader reads (live reload).

Editors save through files that are no part of a dossier: vim's `.name.swp`
and its `4913` probe, `sed -i`'s `sedXXXXXX`, emacs's `#name#` and `.#name`, `name~` backups, `.tmp`
and `.part` files, JetBrains's `___jb_tmp___`; the app's own atomic writes
(`.<name>.<hex>.tmp`, model.store.atomic) and anything in a hidden folder
(`.git`) are not either. A change to only such files never reloads.

What counts: YAML files (`*.yaml`, `*.yml`) and texts (`*.txt`), anything in
`sources/`, and the folder itself (the watcher sees the folder and `sources/`,
not deeper: tui/watch.py says why). Other files (notes, a
log some tool keeps writing) never reload: each reload is a full load. A
source text `sources.yaml` names outside that rule (`file: texts/a.md`) is
picked up by the next counted change, or ctrl+r.

Plain functions of paths, so the watcher (tui) stays a thin loop around them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

# Names an editor, a downloader or this app writes on the way to saving a real file.
TEMPORARY_NAME = re.compile(
    r"""(?x)
      ^\#.*\#$                          # emacs auto-save
    | .*~$                              # backups: vim, emacs, gedit, nano
    | ^4913$                            # vim's probe that the folder is writable
    | ^sed[A-Za-z0-9]{6}$               # GNU sed -i's temp file
    | .*\.(?:sw[a-p]|swpx|tmp|temp|part|crdownload|kate-swp|bak|orig|rej)$
    | .*___jb_(?:tmp|old|bak)___$       # JetBrains safe write
    """
)


DOSSIER_SUFFIXES = (".yaml", ".yml", ".txt")


def _parts(root: str, path: str) -> tuple[str, ...] | None:
    """`path` relative to `root` as parts, or None if it is not inside `root`."""
    try:
        relative = os.path.relpath(path, root)
    except ValueError:  # another drive (Windows)
        return None
    if relative == os.curdir:
        return ()
    parts = tuple(Path(relative).parts)
    if not parts or parts[0] == os.pardir:
        return None
    return parts


def _under(path: str, folders: Iterable[str]) -> bool:
    for folder in folders:
        if path == folder or path.startswith(folder.rstrip(os.sep) + os.sep):
            return True
    return False


def is_dossier_change(root: str | Path, path: str | Path, skip: Sequence[str | Path] = ()) -> bool:
    """True if a change at `path` may change the dossier loaded from `root`.

    `root` is the dossier folder, resolved; `skip` are folders whose writes are
    the app's own (its cache and state folders, when they sit inside the dossier).
    The folder itself counts (it was removed, replaced or renamed).
    """
    root_text = os.fspath(root)
    path_text = os.fspath(path)
    parts = _parts(root_text, path_text)
    if parts is None:
        return False
    if _under(path_text, (os.fspath(folder) for folder in skip)):
        return False
    for part in parts:
        if part.startswith("."):  # hidden file or folder: .git, .name.swp, our .tmp files
            return False
    if not parts:
        return True  # the folder itself
    if TEMPORARY_NAME.match(parts[-1]):
        return False
    return parts[0] == "sources" or parts[-1].lower().endswith(DOSSIER_SUFFIXES)


def dossier_changes(
    root: str | Path, paths: Iterable[str | Path], skip: Sequence[str | Path] = ()
) -> list[str]:
    """The paths among `paths` that may change the dossier, relative to `root`, sorted
    and once each ("." for the folder itself): what a reload names as its reason."""
    root_text = os.fspath(root)
    found: set[str] = set()
    for path in paths:
        if is_dossier_change(root_text, path, skip):
            found.add(Path(os.path.relpath(os.fspath(path), root_text)).as_posix())
    return sorted(found)


def nearest_surviving(order: Sequence[str], gone: str, exists: Callable[[str], bool]) -> str | None:
    """Where to land when the record `gone` is no longer there: the nearest record after it
    in `order` that still exists, else the nearest before it; None if `gone` is not in
    `order` or none of them exists. `order` is the old dossier's order of its kind."""
    try:
        index = list(order).index(gone)
    except ValueError:
        return None
    for record_id in order[index + 1 :]:
        if exists(record_id):
            return record_id
    for record_id in reversed(order[:index]):
        if exists(record_id):
            return record_id
    return None
