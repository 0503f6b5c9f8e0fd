"""Load the dossier in a thread that starts before Textual is even imported.

Importing Textual and starting the app take a few hundred milliseconds; a warm
dossier loads in far less. Starting the load first means the app usually finds
the dossier ready when its first screen is composed, and paints the data in
its very first frame instead of a loading screen. A slow (cold) load reports
its progress here, for the app to show.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from partnership_tui.model.dossier.dossier import Dossier
    from partnership_tui.model.read.problems import Problem


class LoadFailed:
    """What a load gives instead of raising: the problems to list."""

    def __init__(self, heading: str, problems: list[Problem] | list[str]) -> None:
        self.heading = heading
        self.problems = problems


def load(
    data_dir: Path,
    progress: Callable[[str, int, int], None] | None = None,
    *,
    freeze: bool = True,
    previous: Dossier | None = None,
    later: Callable[[Callable[[], None]], None] | None = None,
) -> Dossier | LoadFailed:
    """Load a dossier, turning every failure into problems to show (never a traceback).

    `freeze` (the first load) moves what exists into the collector's permanent
    generation; a reload does not, so the dossier it replaces can be freed.
    `previous` (a reload): the dossier shown now, whose unchanged files need not be
    read again (`reopen_dossier`); `later` takes what may wait until it is shown."""
    from partnership_tui.model.read.problems import DossierError
    from partnership_tui.model.store.dossiercache import open_dossier, reopen_dossier

    try:
        if previous is not None:
            dossier = reopen_dossier(data_dir, previous, progress=progress, later=later)
        else:
            dossier = open_dossier(data_dir, progress=progress)
    except DossierError as exc:
        return LoadFailed(f"The dossier in {data_dir} has problems", exc.problems)
    except Exception as exc:  # unreadable folder, bug in a loader path...: still no traceback
        return LoadFailed(
            f"Could not load the dossier in {data_dir}", [f"{type(exc).__name__}: {exc}"]
        )
    if freeze:
        gc.freeze()  # the dossier lives as long as the app: keep the collector off it
    return dossier


class Preload:
    """One load in a daemon thread: poll `progress`, then take `result` once `done`.

    A daemon thread, not a Textual worker: quitting never waits for a load (a
    large dossier's takes half a minute). Live reload runs its loads here too,
    with `freeze=False` (see `load`)."""

    def __init__(
        self, data_dir: Path, *, freeze: bool = True, previous: Dossier | None = None
    ) -> None:
        self.data_dir = data_dir
        self.freeze = freeze
        self._previous = previous
        self._later: list[Callable[[], None]] = []
        self.progress: tuple[str, int, int] = ("starting", 0, 1)
        self._result: Dossier | LoadFailed | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._callback: Callable[[], None] | None = None
        self._thread = threading.Thread(target=self._run, name="dossier-load", daemon=True)
        self._thread.start()

    def _report(self, what: str, done: int, total: int) -> None:
        self.progress = (what, done, total)

    def _run(self) -> None:
        try:
            previous, self._previous = self._previous, None  # not kept once the load is done
            result = load(
                self.data_dir,
                self._report,
                freeze=self.freeze,
                previous=previous,
                later=self._later.append,
            )
            del previous
        except BaseException as exc:
            result = LoadFailed(
                f"Could not load the dossier in {self.data_dir}", [f"{type(exc).__name__}: {exc}"]
            )
        with self._lock:
            self._result = result
            self._done.set()
            callback = self._callback
        if callback is not None:
            callback()
        for job in self._later:  # after the app has the result: the cache write of a reload
            with contextlib.suppress(Exception):  # no cache is never a failure
                job()
        self._later.clear()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    @property
    def result(self) -> Dossier | LoadFailed:
        self._done.wait()
        assert self._result is not None
        return self._result

    def when_done(self, callback: Callable[[], None]) -> bool:
        """Call `callback` from the loading thread when it finishes; False if it already has."""
        with self._lock:
            if self._done.is_set():
                return False
            self._callback = callback
            return True
