"""Live reload's watcher: the dossier folder, watched with watchfiles in a worker of its own.

The app runs `watch_folder` as an async worker in the group `WATCH_GROUP`
(it never finishes on its own, so whatever waits for the app's workers skips
that group). watchfiles (the Rust `notify` crate: inotify, FSEvents, ...) runs
in a thread and groups a burst of events: it yields once the folder has been
quiet for `QUIET_MS`, or after `MAX_GROUP_MS` of a flood. Which paths count is
model.dossier.changes's rule (editor temp files, hidden folders and the app's
own cache and state folders do not).

Quitting: the app sets `stop` (a threading.Event, read by the Rust thread every
step) before its workers are cancelled. Without it, cancelling the worker would
wait for the Rust thread's own timeout before the app could end.

Not watched: the bundled dossier when it is installed (inside site-packages),
which nobody edits. In a checkout (editable install) it is the project's data
folder, which people do edit, so it is watched like any other.
"""

from __future__ import annotations

import asyncio
import os
import sysconfig
import threading
from collections.abc import Callable
from pathlib import Path

from partnership_tui.model.dossier.changes import dossier_changes, is_dossier_change

WATCH_GROUP = "watch"
# An editor's save (temp file, rename) is one change, not two. The watcher yields between
# one and two steps after a burst ends: 50 ms (watchfiles' default) cost ~75 ms of a bundled
# reload's ~190; a save's events come within a millisecond or two of each other.
QUIET_MS = 15
MAX_GROUP_MS = 1200  # a flood of writes still reloads this often, no more
RETRY_SECONDS = 1.0  # the folder vanished or could not be watched: look again after this


def installed_folders() -> tuple[Path, ...]:
    """Where installed packages live (site-packages): nothing there is the user's to edit."""
    paths = sysconfig.get_paths()
    found = []
    for key in ("purelib", "platlib"):
        folder = paths.get(key)
        if folder:
            found.append(Path(os.path.realpath(folder)))
    return tuple(dict.fromkeys(found))


def not_watched_because(root: Path) -> str | None:
    """Why the folder is not watched, or None if it is."""
    real = Path(os.path.realpath(root))
    for folder in installed_folders():
        if real == folder or folder in real.parents:
            return "it is installed with the program (site-packages), not a folder you edit"
    return None


def own_folders(root: Path) -> tuple[str, ...]:
    """The app's cache, state and config folders, resolved: their writes are not edits."""
    from partnership_tui.model.store.folders import cache_dir, config_dir, state_dir

    out = []
    for folder in (cache_dir(), state_dir(), config_dir()):
        out.append(os.path.realpath(folder))
    return tuple(out)


def _identity(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _layout(real: str) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """What the watch was set up on: the folder, and its sources/ folder if there is one."""
    return _identity(real), _identity(os.path.join(real, "sources"))


async def watch_folder(
    root: Path,
    stop: threading.Event,
    changed: Callable[[list[str]], None],
    failed: Callable[[str], None] = lambda why: None,
) -> None:
    """Call `changed(paths)` with the dossier paths of each group of changes, until `stop`.

    Watched: the folder and its `sources/` folder, each without what lies deeper
    (what the loader reads is there; a recursive watch of a dossier that sits in
    a large tree took 3.5 s to set up for 11,000 folders, on the UI's loop, and
    as many inotify watches). The folder or `sources/` may vanish, be replaced
    or be unreadable for a while (a `git checkout`, a sync tool): the watch is
    set up again on what is there, and the change is reported, so the app
    reloads and shows what it finds. `failed` hears, once per spell, why
    watching does not work right now.
    """
    from watchfiles import awatch

    real = os.path.realpath(root)
    skip = own_folders(root)

    def keep(_change: object, path: str) -> bool:
        return is_dossier_change(real, path, skip)

    reported = False
    watched = _layout(real)  # what the last watch was set up on
    while not stop.is_set():
        layout = _layout(real)
        if layout != watched:
            watched = layout
            changed(["."])  # removed, replaced or back: what is there now decides
        if layout[0] is None:
            if not reported:
                failed(f"the folder {real} is not there")
                reported = True
            await asyncio.sleep(RETRY_SECONDS)
            continue
        paths = [real] + ([os.path.join(real, "sources")] if layout[1] is not None else [])
        try:
            async for changes in awatch(
                *paths,
                watch_filter=keep,
                stop_event=stop,
                step=QUIET_MS,
                debounce=MAX_GROUP_MS,
                rust_timeout=1000,
                recursive=False,
                ignore_permission_denied=True,
            ):
                reported = False
                names = dossier_changes(real, (path for _, path in changes), skip)
                if names:
                    changed(names)
                if _layout(real) != layout:
                    break  # a folder was removed, replaced or made: watch what is there
        except (OSError, RuntimeError) as exc:  # gone, unwatchable, out of inotify watches
            if not reported:
                failed(f"cannot watch {real}: {exc}")
                reported = True
            await asyncio.sleep(RETRY_SECONDS)
