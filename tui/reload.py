"""Live reload: the folder watched, the files loaded again in a thread, the panel kept.

The watcher (tui/watch.py) reports changed files; a reload runs the loader in a
daemon thread (preload.Preload, so quitting never waits for it; one at a time:
changes during a reload ask for one more after it). A good result goes to the
app (`show_reloaded`: swapped in where the user is); a bad one keeps the dossier
shown and lists the problems in a panel on the main screen and an open reader,
which follows the edits and says "Fixed" once the files load.

Apart from the app so that the hub keeps to State and screens: this class
changes no State; it asks the app to show what it loaded.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from typing import TYPE_CHECKING

from partnership_tui.model.build.text import one_line
from partnership_tui.tui.preload import LoadFailed, Preload

if TYPE_CHECKING:
    from textual.timer import Timer

    from partnership_tui.model.dossier.dossier import Dossier
    from partnership_tui.tui.app import PartnershipApp


class LiveReload:
    """One app's watcher and reloads (see the module docstring)."""

    #: A reload that takes longer than this says so in the panel (a large dossier's full
    #: load takes seconds; a small one's would only flicker).
    PROGRESS_AFTER = 0.6

    def __init__(self, app: PartnershipApp, watch: bool | None) -> None:
        """`watch`: follow edits to the folder; by default unless PARTNERSHIP_TUI_NO_WATCH
        is set to anything but "" or "0"."""
        if watch is None:
            watch = os.environ.get("PARTNERSHIP_TUI_NO_WATCH", "") in ("", "0")
        self.app = app
        self._enabled = watch
        self._stop = threading.Event()
        self._job: Preload | None = None  # the reload running now
        self._wanted = False
        self._by_hand = False
        self._changed: list[str] = []  # changes noted since the last load started
        self._job_changed: list[str] = []  # the running load's changes (see _start)
        self._job_by_hand = False
        self._began = 0.0
        self._timer: Timer | None = None
        self._fixed_at: str | None = None  # shown as "fixed" for a moment
        self._loaded_at = time.strftime("%H:%M:%S")
        #: The newest reload's problems while the files do not load; None when they do.
        self.problems: LoadFailed | None = None
        #: How many reloads were swapped in.
        self.reloads = 0
        self._asked = False  # start_watching was called
        self._why_not: str | None = None  # why the folder is not watched, once known
        self._checked = False

    # --- watching ------------------------------------------------------------------

    @property
    def watching(self) -> bool:
        """True once the folder is watched (live reload is on): from `start_watching` on,
        unless watching is off or the folder is not one to watch."""
        if not self._asked:
            return False
        if not self._checked:
            # Asked when first needed, not in start_watching: it imports sysconfig and
            # reads its paths, ~35 ms under load before the first frame otherwise.
            from partnership_tui.tui.watch import not_watched_because

            self._why_not = not_watched_because(self.app.data_dir)
            self._checked = True
            if self._why_not is not None:
                self.app.log.info(f"not watching {self.app.data_dir}: {self._why_not}")
        return self._why_not is None

    def start_watching(self) -> None:
        """Watch the dossier folder in a worker of its own group (WATCH_GROUP), from the
        first frame on: `watching` says so at once, the worker starts a moment after the
        first screen (see below)."""
        if not self._enabled or self._stop.is_set() or self._asked:
            return
        self._asked = True
        # The worker's first steps (importing watchfiles and anyio, the inotify set-up) hold
        # the event loop for ~0.05-0.1 s. Started with the first screen, they came before its
        # first frame; started right after it, they held back Textual's last frames of that
        # screen (a scrollbar pass: the screen complete ~0.1 s later). Edits made before the
        # watch is set up were missed before this deferral as well (the load reads first).
        self.app.set_timer(self.WATCH_AFTER_FIRST_SCREEN, self._run_watcher)

    #: Seconds from the first screen's start to the watcher's (see start_watching).
    WATCH_AFTER_FIRST_SCREEN = 0.5

    def _run_watcher(self) -> None:
        from partnership_tui.tui.watch import WATCH_GROUP, watch_folder

        app = self.app
        if self._stop.is_set() or not self.watching:
            return
        if any(worker.group == WATCH_GROUP for worker in app.workers):
            return
        app.run_worker(
            watch_folder(app.data_dir, self._stop, self._files_changed, self._watch_failed),
            name="watch dossier folder",
            group=WATCH_GROUP,
            exit_on_error=False,
        )
        app.set_timer(self.CATCH_UP_AFTER, self._catch_up)
        app.set_timer(self.WARM_LOADER_AFTER, self._warm_loader)

    #: Seconds after the watch starts when the files are compared with the dossier shown
    #: (the watch is set up by then; a save after that is reported by it).
    CATCH_UP_AFTER = 0.3

    #: Seconds after the watch starts when the loader is imported in the background.
    WARM_LOADER_AFTER = 2.0

    def _catch_up(self) -> None:
        """A save between the load reading the files and the watch being set up (half a
        second after the first screen, and more) is never reported: compare the files with
        what the dossier shown was built from, in a thread, and reload if any changed."""
        app = self.app
        dossier = app.dossier
        if self._stop.is_set() or dossier is None or self.running:
            return
        root = app.data_dir

        def compare() -> None:
            from partnership_tui.model.store.dossiercache import changed_since

            with contextlib.suppress(Exception):  # no answer: the watch reports what follows
                changed = changed_since(root, dossier)
                if changed and not self._stop.is_set():
                    app.call_from_thread(self._files_changed, changed)

        threading.Thread(target=compare, name="watch-catch-up", daemon=True).start()

    def _warm_loader(self) -> None:
        """Import the loader in a thread, once the first screen and keys are past: a warm
        start never needs it, and the first reload would wait for it (~0.15-0.5 s: PyYAML,
        rapidfuzz, the builders) before reading one file."""

        def load_modules() -> None:
            with contextlib.suppress(Exception):  # the reload imports it again and says why
                import partnership_tui.model.dossier.load  # noqa: F401

        if not self._stop.is_set():
            threading.Thread(target=load_modules, name="import-loader", daemon=True).start()

    def stop(self) -> None:
        """Let the watcher's thread end now (it reads this event every step), so quitting
        never waits for it."""
        self._stop.set()

    def _files_changed(self, names: list[str]) -> None:
        self._changed = sorted({*self._changed, *names})
        self.request()

    def _watch_failed(self, why: str) -> None:
        self.app.log.warning(f"live reload: {why}")

    # --- reloading -----------------------------------------------------------------

    @property
    def running(self) -> bool:
        """True while a reload runs in the background."""
        return self._job is not None

    def loaded_now(self) -> None:
        """The first load was shown: the panel's "as loaded at" starts here."""
        self._loaded_at = time.strftime("%H:%M:%S")

    def first_load_done(self) -> None:
        """Files changed while the first load ran: load them again now."""
        if self._wanted:
            self.request()

    def request(self, by_hand: bool = False) -> None:
        """Load the files again in the background; at most one load runs at a time."""
        self._wanted = True
        self._by_hand = self._by_hand or by_hand
        if self._job is not None:
            return  # the running load's end starts the next one
        if not self.app.first_load_finished:
            return  # the first load's end starts it (first_load_done)
        self._start()

    def _start(self, carried: list[str] | None = None, carried_by_hand: bool = False) -> None:
        """Start a load for the changes noted so far (and `carried`: a dropped load's), which
        it then owns: changes noted while it runs are the next load's, and its toast names
        only its own."""
        self._wanted = False
        self._began = time.monotonic()
        self._job_changed = sorted({*(carried or ()), *self._changed})
        self._job_by_hand = self._by_hand or carried_by_hand
        self._changed, self._by_hand = [], False
        # The dossier shown, for a reload that reads only the changed files; none after a
        # failed reload (the files may differ from it in many ways: a full load decides).
        previous = self.app.dossier if self.problems is None else None
        job = Preload(self.app.data_dir, freeze=False, previous=previous)
        self._job = job
        if self._timer is None:
            self._timer = self.app.set_interval(0.25, self._show_progress)
        if not job.when_done(lambda: self._thread_done(job)):
            self.app.call_later(self._job_done, job)  # it finished already

    def _thread_done(self, job: Preload) -> None:
        with contextlib.suppress(RuntimeError):  # the app has already exited
            self.app.call_from_thread(self._job_done, job)

    def _job_done(self, job: Preload) -> None:
        if job is not self._job:
            return
        self._job = None
        result = job.result
        changed, by_hand = self._job_changed, self._job_by_hand
        if self._wanted:
            # More changes came in while it ran. A good dossier is still shown (a flood of
            # saves must not starve the screen); problems are likely a file caught half
            # written, so they wait for the load that follows, which also reports this
            # load's changes.
            if isinstance(result, LoadFailed):
                self._start(changed, by_hand)
                return
            self._start()
        self._finished(result, changed, by_hand)

    def _show_progress(self) -> None:
        if self._job is None:
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
            return
        if time.monotonic() - self._began >= self.PROGRESS_AFTER:
            self.sync_panels()

    def status(self) -> str | None:
        """What a slow reload is doing ("Reloading… reading events (3 of 10)"), or None."""
        job = self._job
        if job is None:
            return None
        if time.monotonic() - self._began < self.PROGRESS_AFTER:
            return None
        what, done, total = job.progress
        step = f" ({done} of {total})" if total > 1 else ""
        return f"Reloading the dossier… {what}{step}"

    def _finished(self, result: Dossier | LoadFailed, changed: list[str], by_hand: bool) -> None:
        app = self.app
        if isinstance(result, LoadFailed):
            self.problems = result
            self._fixed_at = None
            if app.dossier is None:
                app.show_startup_problems(result)
            self.sync_panels()
            return
        now = time.strftime("%H:%M:%S")
        was_broken = self.problems is not None
        self.problems = None
        old = app.dossier
        same = (
            old is not None
            and old.fingerprint is not None
            and old.fingerprint == result.fingerprint
        )
        if old is not None:  # what the files differ in, exactly, when both say
            from partnership_tui.model.store.dossiercache import files_differing

            changed = files_differing(old, result) or changed
        if not same:
            app.show_reloaded(result)
            self._loaded_at = now
            self.reloads += 1
        if was_broken:
            self._fixed_at = now
            app.set_timer(4, self._forget_fixed)
        self.sync_panels()
        if by_hand or not was_broken:
            what = ", ".join(changed[:3]) + ("…" if len(changed) > 3 else "")
            text = (
                "Reloaded: no change in the files."
                if same
                else f"Reloaded ({what} changed)."
                if what and what != "."
                else "Reloaded."
            )
            app.notify(one_line(text), markup=False, timeout=2)

    def _forget_fixed(self) -> None:
        self._fixed_at = None
        self.sync_panels()

    # --- the panel -----------------------------------------------------------------

    def sync_panels(self) -> None:
        """The main screen and a reader on top carry the panel while there is something to say."""
        from partnership_tui.tui.screens.reader import ReaderScreen
        from partnership_tui.tui.widgets.reloadpanel import ReloadPanel

        app = self.app
        problems = self.problems
        status = self.status()
        screens = [app.main] if app.dossier is not None else []
        top = app.screen
        if isinstance(top, ReaderScreen):
            screens.append(top)
        idle = problems is None and self._fixed_at is None and status is None
        for screen in app.screen_stack:
            panels = list(screen.query(ReloadPanel))
            if screen not in screens or idle:
                for panel in panels:
                    panel.remove()
                continue
            if panels:
                panel = panels[0]
            else:
                panel = ReloadPanel()
                screen.mount(panel)
            if problems is not None:
                panel.show_problems(
                    "The files have problems", problems.problems, self._loaded_at, status
                )
            elif status is not None:
                panel.show_progress(status)
            elif self._fixed_at is not None:
                panel.show_fixed(self._fixed_at)
