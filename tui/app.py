"""The partnership-tui app: loads a dossier in a worker, links four panes, keeps history.

The app is the hub: it owns `State` (selection + history), answers the
panes' messages, and pushes what to show back down. Screens pushed on top
(the reader today, search later) navigate by calling `select_record()` and
`open_source()`, or by posting `messages.SelectRecord` / `messages.OpenSource`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.timer import Timer

from .messages import OpenSource, SelectRecord
from .panes import Activate, Follow, Highlighted, OpenExcerpt
from .preload import LoadFailed, Preload
from .render import LIST_KINDS
from .screens import MainScreen, ProblemsScreen
from .state import Place, RecordPlace, SourcePlace, State

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.screen import Screen

    from partnership_tui.model.dossier.dossier import Dossier


def _record_provider() -> type[Provider]:
    """The palette's jump-to-record provider, imported when the palette first opens."""
    from .palette import RecordProvider

    return RecordProvider


class PartnershipApp(App[None]):
    """Four linked panes over a sourced dossier, a source reader, help and a palette."""

    CSS_PATH = "app.tcss"
    TITLE = "partnership-tui"
    COMMANDS = App.COMMANDS | {lambda: _record_provider()}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("alt+left,backspace", "back", "Back", key_display="alt+←"),
        Binding("alt+right", "forward", "Forward", key_display="alt+→", show=False),
        Binding("slash", "search", "Search", key_display="/"),
        Binding("question_mark,f1", "help", "Help", key_display="?"),
        Binding("q", "quit", "Quit"),
        Binding("ctrl+p", "command_palette", "Jump", show=False, priority=True, key_display="^p"),
    ]

    def __init__(self, data_dir: Path, preload: Preload | None = None) -> None:
        super().__init__()
        self.data_dir = data_dir
        self._preload = preload
        self._progress_timer: Timer | None = None
        self.dossier: Dossier | None = None
        self.state = State()
        self.animation_level = "none"  # linked panes scroll instantly; no smooth scrolling
        self._main = MainScreen()
        self._last_transient = False
        #: Exceptions from background tasks, shown and survived (see _handle_exception).
        self.worker_failures: list[BaseException] = []
        self._search: tuple[Any, Any] | None = None  # (IndexHolder, SearchMemory)

    def get_default_screen(self) -> Screen:
        return self._main

    @property
    def main(self) -> MainScreen:
        return self._main

    @property
    def ready(self) -> bool:
        """True once the dossier is loaded and shown."""
        return self.dossier is not None

    # --- loading -----------------------------------------------------------------

    def start_loading(self) -> None:
        """Show the dossier now if its load has finished, else a progress line until it has.

        The load usually started before Textual was imported (see preload.py), so
        a warm dossier is on screen in the first frame, with no loading screen.
        """
        if self.dossier is not None:
            return
        if self._preload is None:
            self._preload = Preload(self.data_dir)
        preload = self._preload
        if not preload.when_done(self._finished_in_thread):
            self._finish_loading()
            return
        self._show_progress()
        self._progress_timer = self.set_interval(0.1, self._show_progress)

    def _show_progress(self) -> None:
        if self._preload is not None and not self._preload.done:
            self._main.show_progress(*self._preload.progress)

    def _finished_in_thread(self) -> None:
        with contextlib.suppress(RuntimeError):  # the app has already exited
            self.call_from_thread(self._finish_loading)

    def _finish_loading(self) -> None:
        if self._progress_timer is not None:
            self._progress_timer.stop()
            self._progress_timer = None
        if self.dossier is not None or self._preload is None:
            return
        result = self._preload.result
        if isinstance(result, LoadFailed):
            self.push_screen(ProblemsScreen(result.heading, result.problems))
        else:
            self._show_dossier(result)

    def _show_dossier(self, dossier: Dossier) -> None:
        from partnership_tui.model.build.text import one_line

        self.dossier = dossier
        main = self._main
        main.set_title(one_line(dossier.title))
        main.entities.load(dossier)
        main.timeline.load(dossier)
        main.loaded()
        first = main.entities.highlighted_id
        if first is None:
            first = main.entities.entity_list.first_selectable()
            if first is not None:
                main.entities.entity_list.set_highlight_quietly(first)
            first = main.entities.highlighted_id
        if first is not None:
            self._select(first, origin="entities")
        else:
            main.detail.show(dossier, None)
            main.excerpts.show(dossier, None)

    # --- selection ---------------------------------------------------------------

    def select_record(self, record_id: str, pane: str | None = None) -> bool:
        """Select a record everywhere and remember it in history (for search, palette, reader).

        Returns to the main screen first (pops the reader, search or any other
        screen above it). `pane` optionally focuses a pane afterwards.
        Returns False if the record does not exist (or nothing is loaded yet).
        """
        if self.dossier is None or self.dossier.get(record_id) is None:
            return False
        self._pop_to_main()
        done = self._select(record_id, origin=None)
        if done and pane is not None:
            self._main.focus_pane(pane)
        return done

    def open_source(
        self,
        source_id: str,
        start: int | None = None,
        end: int | None = None,
        highlights: Sequence[tuple[int, int]] = (),
    ) -> bool:
        """Open a source in the reader over the current screen, scrolled to `start`.

        [start, end) is highlighted as the quote; `highlights` are extra spans
        (e.g. search matches). Escape in the reader returns to the screen that
        was showing. Returns False if there is no such source.
        """
        from partnership_tui.model.build.records import Source

        if self.dossier is None or not isinstance(self.dossier.get(source_id), Source):
            return False
        place = SourcePlace(source_id, start, end, tuple(highlights))
        self._visit(place)
        self._push_reader(place)
        return True

    def _visit(self, place: Place, transient: bool = False) -> None:
        history = self.state.history
        history.visit(place, replace=transient and self._last_transient)
        self._last_transient = transient

    def _select(
        self, record_id: str, origin: str | None, *, visit: bool = True, transient: bool = False
    ) -> bool:
        """Push a selection into every pane except the one it came from."""
        dossier = self.dossier
        record = dossier.get(record_id) if dossier else None
        if dossier is None or record is None:
            return False
        state = self.state
        main = self._main
        state.selected = record_id
        context_changed = False
        if record.kind != "event" and state.context != record_id:
            state.context = record_id
            context_changed = True
        # The pane the move came from is answered too (its repaint waited for this), but
        # only confirmed: more keys may have changed its filter since, and those stand.
        if origin == "entities":
            main.entities.confirm_selected(record_id)
        elif record.kind in LIST_KINDS:
            main.entities.show_selected(record_id)
        timeline = main.timeline
        if context_changed:
            marks = [event.id for event in dossier.events_of(record_id)]
            timeline.set_marks(marks, state.narrowed)
        if origin == "timeline":
            timeline.show_selected(record_id)
        elif record.kind == "event" and not timeline.show_selected(record_id):
            state.narrowed = False
            timeline.set_marks(list(timeline._marked_order), False)
            timeline.show_selected(record_id)
        if context_changed and origin != "timeline":
            timeline.reveal_marked()
        main.detail.show(dossier, record)
        main.excerpts.show(dossier, record)
        if visit:
            self._visit(RecordPlace(record_id, origin or state.pane), transient)
        return True

    def toggle_narrow(self) -> None:
        """Timeline: show only the context's events, or all events again."""
        if self.dossier is None:
            return
        state = self.state
        state.narrowed = not state.narrowed
        timeline = self._main.timeline
        timeline.set_marks(list(timeline._marked_order), state.narrowed)
        if not state.narrowed:
            selected = self.dossier.get(state.selected or "")
            if selected is not None and selected.kind == "event":
                timeline.show_selected(selected.id)
            timeline.reveal_marked()

    # --- pane messages -----------------------------------------------------------

    def on_highlighted(self, message: Highlighted) -> None:
        if message.record_id != self.state.selected:
            self._select(message.record_id, origin=message.pane, transient=message.transient)
        elif message.pane == "entities":
            self._main.entities.confirm_selected(message.record_id)
        elif message.pane == "timeline":
            self._main.timeline.show_selected(message.record_id)

    def on_follow(self, message: Follow) -> None:
        self._select(message.record_id, origin=message.pane)

    def on_activate(self, message: Activate) -> None:
        if message.record_id is not None and message.record_id != self.state.selected:
            self._select(message.record_id, origin=message.pane)
        self._main.focus_pane("detail")

    def on_open_excerpt(self, message: OpenExcerpt) -> None:
        excerpt = message.excerpt
        self.open_source(excerpt.source, excerpt.start, excerpt.end, excerpt.highlights)

    def on_select_record(self, message: SelectRecord) -> None:
        message.stop()
        if not self.select_record(message.record_id, pane=message.pane):
            self.notify("That record is not in this dossier.", severity="warning", markup=False)

    def on_open_source(self, message: OpenSource) -> None:
        message.stop()
        if not self.open_source(message.source_id, message.start, message.end, message.highlights):
            self.notify("That source is not in this dossier.", severity="warning", markup=False)

    # --- screens -----------------------------------------------------------------

    def _pop_to_main(self) -> None:
        while len(self.screen_stack) > 1 and self.screen is not self._main:
            self.pop_screen()

    def _push_reader(self, place: SourcePlace) -> None:
        from .reader import ReaderScreen

        source = self.dossier.get(place.source_id) if self.dossier else None
        if source is None:
            return
        self.push_screen(
            ReaderScreen(self.dossier, source, place.start, place.end, place.highlights)  # type: ignore[arg-type]
        )

    def close_reader(self, screen: Screen) -> None:
        """Escape in the reader: return to exactly what was under it; history steps back too."""
        if self.screen is screen and len(self.screen_stack) > 1:
            self.pop_screen()
        self.state.history.back_to_record()
        self._last_transient = False

    # --- actions -----------------------------------------------------------------

    def action_command_palette(self) -> None:
        """The command palette, guarded for tiny terminals (see palette.SafeCommandPalette)."""
        from textual.command import CommandPalette

        from .palette import SafeCommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(SafeCommandPalette(id="--command-palette"))

    def action_search(self) -> None:
        """Open the search screen; it navigates back through select_record / open_source.

        The index it builds is kept here, so it is built once per dossier."""
        if self.dossier is None:
            return
        from .search import IndexHolder, SearchMemory, SearchScreen

        if isinstance(self.screen, SearchScreen):
            return
        if self._search is None:
            self._search = (IndexHolder(), SearchMemory([]))
        holder, memory = self._search
        self.push_screen(SearchScreen(self.dossier, holder, memory))

    def action_help(self) -> None:
        from .help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen())

    def action_back(self) -> None:
        place = self.state.history.back()
        if place is None:
            self.notify("Nothing further back.", markup=False, timeout=2)
            return
        self._go(place)

    def action_forward(self) -> None:
        place = self.state.history.forward()
        if place is None:
            self.notify("Nothing further forward.", markup=False, timeout=2)
            return
        self._go(place)

    def _go(self, place: Place) -> None:
        """Show a place from history without recording it again."""
        self._last_transient = False
        self._pop_to_main()
        if isinstance(place, RecordPlace):
            self._select(place.record_id, origin=None, visit=False)
            if place.pane:
                self._main.focus_pane(place.pane)
        else:
            # Put the record the reader was opened over back underneath it, so
            # escape from the reader lands where history says it should.
            under = self.state.history.record_before_current()
            if under is not None and under.record_id != self.state.selected:
                self._select(under.record_id, origin=None, visit=False)
                self._main.focus_pane(under.pane)
            self._push_reader(place)

    def _handle_exception(self, error: Exception) -> None:
        """A failed background task is reported, not fatal: the loaded dossier is still good.

        Textual ends the app on any worker exception (its own palette worker
        included); here it becomes a plain-text notification and the app goes on.
        Anything else still ends the app, as Textual intends.
        """
        from textual.worker import WorkerFailed

        if not isinstance(error, WorkerFailed):
            super()._handle_exception(error)
            return
        from partnership_tui.model.build.text import one_line

        self.worker_failures.append(error.error)
        self.log.error("worker failed", error.error)
        message = one_line(f"{type(error.error).__name__}: {error.error}")[:300]
        self.notify(message, title="A background task failed", severity="error", markup=False)


def run_app(data_dir: Path, preload: Preload | None = None) -> int:
    """Run the explorer on a dossier folder; the exit code is 1 if it could not be loaded."""
    app = PartnershipApp(Path(data_dir), preload)
    app.run()
    return app.return_code or 0


__all__ = ["PartnershipApp", "run_app"]
