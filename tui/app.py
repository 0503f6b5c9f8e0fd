"""The partnership-tui app: the hub. It owns `State`, answers messages, pushes data down.

Flow: a pane or screen posts a message (`messages.py`); a handler here changes
`State` (selection, context and marks, narrowing, focused pane, filter,
history) and pushes what to show into the panes. Nothing below the app reads
or calls it. History places are snapshots of `State` (and of the reader's
position), so back and forward restore the whole place.

Keys that open a box (`s` search, `/` filter, ctrl+p palette, `?` help) are
priority bindings that open it and focus it before the next key is read, so a
word typed right after them in one burst lands in the box.

Longer than 500 lines on purpose: it is the only module that changes `State`,
and its handlers read best together (loading, selection, messages, screens,
actions, history).
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.timer import Timer

from partnership_tui.model.build.text import one_line
from partnership_tui.tui import memory
from partnership_tui.tui.compat import SurvivingApp
from partnership_tui.tui.messages import (
    Activate,
    CopyText,
    FilterChanged,
    Follow,
    Highlighted,
    MainReady,
    OpenExcerpt,
    OpenSource,
    PaneFocused,
    PasteToFilter,
    ReaderClosed,
    SelectRecord,
    ToggleNarrow,
)
from partnership_tui.tui.preload import LoadFailed, Preload
from partnership_tui.tui.reload import LiveReload
from partnership_tui.tui.render import (
    LIST_KINDS,
    TIMELINE_KINDS,
    place_at_once,
    timeline_entries_of,
    timeline_position,
)
from partnership_tui.tui.screens.main import MainScreen
from partnership_tui.tui.screens.problems import ProblemsScreen
from partnership_tui.tui.state import Place, RecordPlace, SourcePlace, State

if TYPE_CHECKING:
    from textual.command import Provider
    from textual.screen import Screen

    from partnership_tui.model.dossier.dossier import Dossier
    from partnership_tui.tui.screens.reader import ReaderScreen
    from partnership_tui.tui.screens.search import IndexHolder, SearchMemory, SearchScreen


def _record_provider() -> type[Provider]:
    """The palette's jump-to-record provider, imported when the palette first opens."""
    from partnership_tui.tui.palette import RecordProvider

    return RecordProvider


def _app_commands() -> type[Provider]:
    """The palette's commands of this app (Textual's generic ones are left out)."""
    from partnership_tui.tui.palette import AppCommands

    return AppCommands


class PartnershipApp(SurvivingApp):
    """Four linked panes over a sourced dossier, a source reader, search, help and a palette."""

    CSS_PATH = "app.tcss"
    TITLE = "partnership-tui"
    COMMANDS: ClassVar[set] = {lambda: _record_provider(), lambda: _app_commands()}  # type: ignore[type-arg]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("alt+left,backspace", "back", "Back", key_display="⌫"),
        Binding("alt+right", "forward", "Forward", key_display="alt+→", show=False),
        Binding("s", "search", "Search", key_display="s", priority=True),
        Binding("question_mark,f1", "help", "Help", key_display="?", priority=True),
        Binding("q", "quit", "Quit", show=False),
        Binding("ctrl+p", "command_palette", "Jump", show=False, priority=True, key_display="^p"),
        Binding("ctrl+r", "reload", "Reload", show=False, priority=True, key_display="^r"),
    ]

    def __init__(
        self, data_dir: Path, preload: Preload | None = None, *, watch: bool | None = None
    ) -> None:
        """`watch`: follow edits to the folder (live reload); by default unless
        PARTNERSHIP_TUI_NO_WATCH is set to anything but "" or "0"."""
        super().__init__()
        self.data_dir = data_dir
        self._preload = preload
        self._progress_timer: Timer | None = None
        self.dossier: Dossier | None = None
        self.state = State()
        self.animation_level = "none"  # linked panes scroll instantly; no smooth scrolling
        self._main = MainScreen()
        self._last_transient = False
        #: Exceptions from background tasks, shown and survived (see background_failed).
        self.worker_failures: list[BaseException] = []
        self._search: tuple[IndexHolder, SearchMemory] | None = None  # kept across searches
        #: What the last launch on this dossier left (place, searches); see memory.py.
        self.remembered = memory.load_dossier_memory(data_dir)
        self._theme_saved = memory.load_theme()
        if self._theme_saved in self.available_themes:
            self.theme = self._theme_saved
        self.live = LiveReload(self, watch)

    _theme_saved: str | None = None
    #: `s` was pressed before the dossier had loaded: search opens as soon as it has.
    _pending_search = False
    #: The search screen, kept (installed) between openings; see action_search.
    _search_screen: SearchScreen | None = None
    #: The record selected when the filter was started: if the filter ends up matching
    #: nothing, clearing it comes back here (not to the first record).
    _before_filter: str | None = None

    def watch_theme(self, theme: str) -> None:
        """A theme chosen (from the palette) is remembered for the next launch."""
        if theme != self._theme_saved and memory.save_theme(theme):
            self._theme_saved = theme

    def on_unmount(self) -> None:
        """Leaving: remember this dossier's place and searches for the next launch."""
        self.live.stop()
        if self.dossier is None:
            return
        searches = self._search[1].queries if self._search else self.remembered.searches
        # Left from the overview: it is where the next launch opens (no record remembered).
        record = None if self._left_from_overview else self.state.selected
        place = memory.DossierMemory(record, self.state.pane, list(searches))
        memory.save_dossier_memory(self.data_dir, place)

    _left_from_overview = False

    def exit(self, *args: object, **kwargs: object) -> None:
        """Every way out passes here: note whether the overview was in front (see on_unmount)."""
        stack = self.screen_stack
        self._left_from_overview = bool(stack) and stack[-1].id == "overview"
        super().exit(*args, **kwargs)  # type: ignore[arg-type]

    def get_default_screen(self) -> Screen:
        return self._main

    @property
    def main(self) -> MainScreen:
        return self._main

    @property
    def first_load_finished(self) -> bool:
        """The launch's own load has ended (shown or failed): reloads may start."""
        return self.dossier is not None or self._preload is None or self._preload.done

    @property
    def ready(self) -> bool:
        """True once the dossier is loaded and shown."""
        return self.dossier is not None

    # --- loading -----------------------------------------------------------------

    def on_main_ready(self, message: MainReady) -> None:
        message.stop()
        self.live.start_watching()  # first: a problems screen says whether fixes load by themselves
        self.start_loading()

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
        # A slow (cold) load: the collector stays off until it is shown, as the loader itself
        # pauses it for the whole process while it builds (model.dossier.indexes.paused_gc).
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
            self.push_screen(
                ProblemsScreen(result.heading, result.problems, watching=self.watching)
            )
            self.call_after_refresh(collector_on)
        else:
            self._show_dossier(result)
            self.live.loaded_now()
        self.live.first_load_done()  # files changed while it ran: reload now

    def _show_dossier(self, dossier: Dossier) -> None:
        """Show a loaded dossier: the remembered place, else the overview (a first visit).

        Keys pressed while it loaded are honoured: `s` opens search now, and a filter
        typed after `/` is applied and keeps the cursor (no overview over it).
        """
        self.dossier = dossier
        main = self._main
        main.set_title(one_line(dossier.title))
        main.entities.load(dossier)
        self._start_placing(dossier, first_screen=True)
        main.timeline.load(dossier)
        typing = main.loaded()
        typed = main.entities.filter_text
        self.call_after_refresh(freeze_survivors)
        last = self.remembered.record
        if not typing and last is not None and dossier.get(last) is not None:
            self._select(last, origin=None)
            main.focus_pane(self.remembered.pane)
            # scrolled into view again once the list has its size (the first frame)
            self.call_after_refresh(main.entities.show_selected, last)
        else:
            self.state.filter = typed
            first = main.entities.set_filter(typed, keep=None)
            if first is not None:
                self._select(first, origin="entities")
            elif typed.strip():
                self._show_nothing("No record matches the filter. Escape clears it.")
            else:
                main.detail.show(dossier, None)
                main.excerpts.show(dossier, None)
            if not typing and last is None and first is not None and not self._pending_search:
                from partnership_tui.tui.screens.overview import OverviewScreen

                # A first visit starts at the overview; its `/`, 1-4, tab and escape leave it.
                self.push_screen(OverviewScreen(dossier))
        if self._pending_search:
            self._pending_search = False
            self.call_later(self.action_search)  # `s` pressed while the dossier was loading

    # --- selection ---------------------------------------------------------------

    def select_record(self, record_id: str, pane: str | None = None) -> bool:
        """Select a record everywhere and remember it in history (search, palette, reader).

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
        if self.dossier is None or self.dossier.kind_of(source_id) != "source":
            return False
        self._save_reader_position()
        place = SourcePlace(source_id, start, end, tuple(highlights))
        self._visit(place)
        self._push_reader(place)
        return True

    def _visit(self, place: Place | None, transient: bool = False) -> None:
        if place is None:
            return
        self.state.history.visit(place, replace=transient and self._last_transient)
        self._last_transient = transient

    def _remember_here(self) -> None:
        """Keep the current history entry in step with the main screen (pane, filter, marks)."""
        history = self.state.history
        here = self.state.place()
        current = history.current
        if here is not None and isinstance(current, RecordPlace) and current.same_as(here):
            history.update_current(here)

    def _set_context(self, context: str | None) -> bool:
        """The record whose events the timeline marks; True if it changed."""
        state = self.state
        if context == state.context:
            return False
        state.context = context
        dossier = self.dossier
        if context is None or dossier is None:
            state.marks = ()
        else:
            state.marks = timeline_entries_of(dossier, context)
        return True

    def _select(
        self, record_id: str, origin: str | None, *, visit: bool = True, transient: bool = False
    ) -> bool:
        """Make a record the selection and push it into every pane."""
        dossier = self.dossier
        record = dossier.get(record_id) if dossier else None
        if dossier is None or record is None:
            return False
        state = self.state
        main = self._main
        state.selected = record_id
        # A timeline row (event, deal or tension) chosen on the timeline keeps the marks of
        # the record in context, so a narrowed timeline does not change under the cursor.
        on_timeline = self._on_timeline(record_id)
        keeps_context = record.kind == "event" or (on_timeline and origin == "timeline")
        context_changed = not keeps_context and self._set_context(record_id)
        entities = main.entities
        # The pane the move came from is only settled: more keys may have moved it on
        # since this message was sent, and those moves stand.
        if origin == "entities":
            entities.settle()
        elif record.kind in LIST_KINDS and not entities.show_selected(record_id):
            state.filter = ""  # the filter hides the record: clear it
            entities.set_filter("", keep=record_id)
        timeline = main.timeline
        if context_changed:
            timeline.set_marks(state.marks, state.narrowed)
        if origin == "timeline":
            timeline.settle()
        elif on_timeline and not timeline.show_selected(record_id):
            state.narrowed = False
            timeline.set_marks(state.marks, False)
            timeline.show_selected(record_id)
        if context_changed and origin != "timeline":
            timeline.reveal_marked()
        main.detail.show(dossier, record)
        main.excerpts.show(dossier, record)
        if visit:
            self._visit(state.place(), transient)
        return True

    def _on_timeline(self, record_id: str) -> bool:
        """The record has a row of its own on the timeline (as placed so far)."""
        dossier = self.dossier
        if dossier is None or dossier.kind_of(record_id) not in TIMELINE_KINDS:
            return False
        order = timeline_position(dossier, place=False)
        return dossier.kind_of(record_id) == "event" if order is None else record_id in order

    #: Seconds after the first screen before a large timeline is placed in a worker. The
    #: worker holds the interpreter for ~1.3 s on the large benchmark dossier; started
    #: with the first frame it made the overview appear later: median 1.32 / 1.45 s to
    #: a quiet first screen against 1.20 s deferred and 0.92 / 1.20 s with no placing at
    #: all (two rounds of five starts, the harness's terminal driver).
    PLACE_AFTER_FIRST_SCREEN = 0.5

    def _start_placing(self, dossier: Dossier, first_screen: bool = False) -> None:
        """Place dated deals and tensions among the events: now if small, else in a worker
        (on a first screen, once that screen is up)."""
        if place_at_once(dossier):
            timeline_position(dossier)
        elif first_screen:
            self.set_timer(self.PLACE_AFTER_FIRST_SCREEN, lambda: self._run_placing(dossier))
        else:
            self._run_placing(dossier)

    def _run_placing(self, dossier: Dossier) -> None:
        if dossier is self.dossier:  # not replaced by a reload meanwhile
            self.run_worker(
                lambda: self._place_timeline(dossier), thread=True, name="place timeline"
            )

    def _place_timeline(self, dossier: Dossier) -> None:
        """In a worker thread: place dated deals and tensions among the events."""
        timeline_position(dossier)
        with contextlib.suppress(RuntimeError):  # the app has already exited
            self.call_from_thread(self._timeline_placed, dossier)

    def _timeline_placed(self, placed: Dossier) -> None:
        """The whole timeline is placed: show it, and mark the context's entries again."""
        dossier = self.dossier
        if dossier is None or dossier is not placed:  # a reload swapped in another since
            return
        state = self.state
        timeline = self._main.timeline
        timeline.place(dossier)
        if state.context is not None:
            state.marks = timeline_entries_of(dossier, state.context)
        timeline.set_marks(state.marks, state.narrowed)
        if state.selected is not None and self._on_timeline(state.selected):
            timeline.show_selected(state.selected)
        # What placing decoded (every dated record) lives as long as the dossier.
        self.call_after_refresh(freeze_survivors)

    def _show_nothing(self, notice: str) -> None:
        """The filter matches nothing: every pane says so rather than show a hidden record."""
        dossier = self.dossier
        if dossier is None:
            return
        state = self.state
        state.selected = None
        if self._set_context(None):
            self._main.timeline.set_marks((), state.narrowed)
        self._main.detail.show(dossier, None, notice)
        self._main.excerpts.show(dossier, None, notice)

    def _restore(self, place: RecordPlace) -> None:
        """Put the main screen back as `place` left it: filter, marks, selection, pane."""
        dossier = self.dossier
        if dossier is None or dossier.get(place.record_id) is None:
            return
        state = self.state
        main = self._main
        state.filter = place.filter
        main.entities.set_filter(place.filter, keep=place.record_id)
        self._set_context(place.context)
        state.narrowed = place.narrowed
        main.timeline.set_marks(state.marks, state.narrowed)
        self._select(place.record_id, origin=None, visit=False)
        main.focus_pane(place.pane)

    # --- pane messages -----------------------------------------------------------

    def on_highlighted(self, message: Highlighted) -> None:
        if message.record_id != self.state.selected:
            self._select(message.record_id, origin=message.pane, transient=message.transient)
        elif message.pane == "entities":
            self._main.entities.settle()
        elif message.pane == "timeline":
            self._main.timeline.settle()

    def on_follow(self, message: Follow) -> None:
        if self.dossier is not None and self.dossier.kind_of(message.record_id) == "source":
            self.open_source(message.record_id)
            return
        self._select(message.record_id, origin=message.pane)

    def on_activate(self, message: Activate) -> None:
        record_id = message.record_id
        if record_id is not None and record_id != self.state.selected:
            self._select(record_id, origin=message.pane)
        if self.dossier is not None and self.dossier.kind_of(record_id or "") == "source":
            self.open_source(record_id or "")
            return
        self._main.focus_pane("detail")

    def on_open_excerpt(self, message: OpenExcerpt) -> None:
        excerpt = message.excerpt
        self.open_source(excerpt.source, excerpt.start, excerpt.end, excerpt.highlights)

    def on_filter_changed(self, message: FilterChanged) -> None:
        message.stop()
        state = self.state
        if not state.filter.strip() and message.text.strip():
            self._before_filter = state.selected
        state.filter = message.text
        entities = self._main.entities
        keep = (state.selected or self._before_filter) if not message.text.strip() else None
        shown = entities.set_filter(message.text, keep=keep)
        if shown is None:
            if message.text.strip():
                self._show_nothing("No record matches the filter. Escape clears it.")
            return
        if shown != state.selected:
            self._select(shown, origin="entities", transient=True)
        else:
            self._visit(state.place(), transient=True)  # same record, another filter

    def on_pane_focused(self, message: PaneFocused) -> None:
        message.stop()
        self.state.pane = message.pane
        self._remember_here()

    def on_toggle_narrow(self, message: ToggleNarrow) -> None:
        message.stop()
        self.toggle_narrow()

    def toggle_narrow(self) -> None:
        """Timeline: show only the context's events, or all events again."""
        if self.dossier is None:
            return
        state = self.state
        if not state.narrowed and not state.marks:
            record = self.dossier.get(state.context or state.selected or "")
            name = one_line(record.name) if record is not None else "This selection"
            self.notify(f"{name} has nothing on the timeline to narrow to.", markup=False)
            return
        state.narrowed = not state.narrowed
        timeline = self._main.timeline
        timeline.set_marks(state.marks, state.narrowed)
        if not state.narrowed:
            selected = state.selected or ""
            if self._on_timeline(selected):
                timeline.show_selected(selected)
            timeline.reveal_marked()
        self._remember_here()

    def on_select_record(self, message: SelectRecord) -> None:
        message.stop()
        if not self.select_record(message.record_id, pane=message.pane):
            self.notify("That record is not in this dossier.", severity="warning", markup=False)

    def on_open_source(self, message: OpenSource) -> None:
        message.stop()
        if not self.open_source(message.source_id, message.start, message.end, message.highlights):
            self.notify("That source is not in this dossier.", severity="warning", markup=False)

    def on_reader_closed(self, message: ReaderClosed) -> None:
        """Escape in the reader: return to exactly what was under it; history steps back too."""
        message.stop()
        self._save_reader_position()
        if len(self.screen_stack) > 1:
            self.pop_screen()
        self.state.history.back_to_record()
        self._last_transient = False

    def on_paste_to_filter(self, message: PasteToFilter) -> None:
        """A paste on the overview: to the panes, the pasted text in the filter."""
        message.stop()
        self.action_leave_overview("")
        if self.screen is self._main:
            entities = self._main.entities
            self._main.focus_pane("entities", entities.filter_input)
            entities.open_filter(message.text)

    def on_copy_text(self, message: CopyText) -> None:
        message.stop()
        self.copy_to_clipboard(message.text)
        self.notify(f"Copied {message.what}.", markup=False, timeout=2)

    # --- screens -----------------------------------------------------------------

    def _reader(self) -> ReaderScreen | None:
        from partnership_tui.tui.screens.reader import ReaderScreen

        screen = self.screen
        return screen if isinstance(screen, ReaderScreen) else None

    def _save_reader_position(self) -> None:
        """The reader on top is being left: its history entry keeps where it was scrolled."""
        reader = self._reader()
        history = self.state.history
        current = history.current
        if reader is None or not isinstance(current, SourcePlace):
            return
        if current.source_id != reader.source.id:
            return
        top, cursor, match = reader.position()
        history.update_current(
            SourcePlace(
                current.source_id,
                current.start,
                current.end,
                current.highlights,
                top,
                cursor,
                match,
            )
        )

    def _pop_to_main(self) -> None:
        self._save_reader_position()
        while len(self.screen_stack) > 1 and self.screen is not self._main:
            self.pop_screen()

    def _push_reader(self, place: SourcePlace) -> None:
        from partnership_tui.model.build.records import Source
        from partnership_tui.tui.screens.reader import ReaderScreen

        dossier = self.dossier
        source = dossier.get(place.source_id) if dossier else None
        if dossier is None or not isinstance(source, Source):
            return
        self.push_screen(
            ReaderScreen(
                dossier,
                source,
                place.start,
                place.end,
                place.highlights,
                top=place.top,
                cursor=place.cursor,
                match=place.match,
            )
        )
        if self.reload_problems is not None:
            self.call_after_refresh(self.live.sync_panels)

    # --- actions -----------------------------------------------------------------

    async def action_command_palette(self) -> None:
        """The command palette, guarded for tiny terminals; focused before the next key."""
        from textual.command import CommandInput, CommandPalette

        from partnership_tui.tui.palette import SafeCommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            palette = SafeCommandPalette()
            await self.push_screen(palette)
            palette.set_focus(palette.query_one(CommandInput))

    # Keys that need a dossier: on the problems screen (none opened) they are neither shown
    # in the footer nor run, so that it offers only what works there.
    _NEED_A_DOSSIER = frozenset({"back", "forward", "search", "help", "command_palette"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        stack = self.screen_stack
        return not (action in self._NEED_A_DOSSIER and stack and stack[-1].id == "problems")

    async def action_search(self) -> None:
        """Open the search screen, its query focused before the next key is read.

        The index it builds is kept here, so it is built once per dossier."""
        if self.dossier is None:
            self._pending_search = self.screen is self._main  # opened once the dossier is shown
            return
        from partnership_tui.tui.screens.search import IndexHolder, SearchMemory, SearchScreen

        screen = self.screen
        if isinstance(screen, SearchScreen):
            screen.edit_query()
            return
        if self._search is None:
            self._search = (IndexHolder(), SearchMemory(list(self.remembered.searches)))
        holder, memory = self._search
        search = self._search_screen
        if search is not None and search.dossier is self.dossier and search.holder is holder:
            if search in self.screen_stack:
                # Open beneath the screen in front (a reader opened from a passage): go back
                # to it. Pushed again, one screen stood in the stack twice.
                while self.screen is not search:
                    await self.pop_screen()
                search.reopen()
                search.edit_query()
                return
            search.reopen()
        else:
            # One screen for the session (a new dossier gets a new one): a new screen per
            # opening made the first letters typed after it slow (its first paints, its
            # styles resolved again, the old one left to the collector).
            if search is not None and search not in self.screen_stack:
                self.uninstall_screen(search)
            search = self._search_screen = SearchScreen(self.dossier, holder, memory)
            self.install_screen(search, name=f"search-{id(search)}")
        await self.push_screen(search)
        search.edit_query()

    async def action_overview(self) -> None:
        """The dossier at a glance, every line a link (screens/overview.py)."""
        from partnership_tui.tui.screens.overview import OverviewScreen

        if self.dossier is not None and not isinstance(self.screen, OverviewScreen):
            self._pop_to_main()
            await self.push_screen(OverviewScreen(self.dossier))

    def action_leave_overview(self, then: str) -> None:
        """From the overview to the panes, now: `then` is a pane to focus, or "filter"."""
        from partnership_tui.tui.screens.overview import OverviewScreen

        if not isinstance(self.screen, OverviewScreen):
            return
        self.pop_screen()
        if then == "filter":
            self._main.action_filter()
        elif then:
            self._main.focus_pane(then)

    async def action_help(self) -> None:
        from partnership_tui.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        await self.push_screen(HelpScreen())

    def action_help_quit(self) -> None:
        """ctrl+c: copy the current citation (or the selected record), or quit if none."""
        if not self.action_copy():
            self.exit()

    def action_copy(self) -> bool:
        """Copy the citation in view: the reader's quote, the highlighted excerpt, or the
        selected record's name and id. Only ever on the user's request."""
        from partnership_tui.tui.citation import citation_text, record_text

        dossier = self.dossier
        if dossier is None:
            return False
        reader = self._reader()
        if reader is not None:
            start, end = reader.current_span()
            text = citation_text(dossier, reader.source.id, start, end)
            self.post_message(CopyText(text, "the citation"))
            return True
        from partnership_tui.tui.screens.overview import OverviewScreen

        if isinstance(self.screen, OverviewScreen):
            linked = dossier.get(self.screen.highlighted_link or "")
            if linked is None:
                return False
            self.post_message(CopyText(record_text(linked), "the record's name and id"))
            return True
        if self.screen is not self._main:
            return False
        excerpt = self._main.excerpts.highlighted_excerpt
        if excerpt is not None and self.state.pane == "excerpts":
            text = citation_text(dossier, excerpt.source, excerpt.start, excerpt.end)
            self.post_message(CopyText(text, "the citation"))
            return True
        record = dossier.get(self.state.selected or "")
        if record is None:
            return False
        self.post_message(CopyText(record_text(record), "the record's name and id"))
        return True

    def action_open_url(self) -> None:
        """Open the source in view in the browser: http(s) only, only when asked."""
        from partnership_tui.model.build.records import Source
        from partnership_tui.tui.citation import safe_url

        dossier = self.dossier
        if dossier is None:
            return
        reader = self._reader()
        source_id: str | None = reader.source.id if reader is not None else None
        if source_id is None and self.screen is self._main:
            excerpt = self._main.excerpts.highlighted_excerpt
            if excerpt is not None and self.state.pane == "excerpts":
                source_id = excerpt.source
            elif dossier.kind_of(self.state.selected or "") == "source":
                source_id = self.state.selected
        source = dossier.get(source_id or "")
        url = safe_url(source) if isinstance(source, Source) else None
        if url is None:
            self.notify("No http(s) link to open here.", markup=False, timeout=2)
            return
        self.open_url(url)
        self.notify(f"Opening {url}", markup=False, timeout=3)

    def action_back(self) -> None:
        self._save_reader_position()
        self._remember_here_if_main()
        place = self.state.history.back()
        if place is None:
            self.notify("Nothing further back.", markup=False, timeout=2)
            return
        self._go(place)

    def action_forward(self) -> None:
        self._save_reader_position()
        self._remember_here_if_main()
        place = self.state.history.forward()
        if place is None:
            self.notify("Nothing further forward.", markup=False, timeout=2)
            return
        self._go(place)

    def _remember_here_if_main(self) -> None:
        if self.screen is self._main:
            self._remember_here()

    def _go(self, place: Place) -> None:
        """Show a place from history without recording it again."""
        self._last_transient = False
        self._pop_to_main()
        gone = place.record_id if isinstance(place, RecordPlace) else place.source_id
        if self.dossier is not None and self.dossier.get(gone) is None:  # removed by a reload
            self.notify("That place is no longer in the dossier.", markup=False, timeout=2)
            return
        if isinstance(place, RecordPlace):
            self._restore(place)
            return
        # Put the record the reader was opened over back underneath it, so
        # escape from the reader lands where history says it should.
        under = self.state.history.record_before_current()
        if under is not None:
            self._restore(under)
        self._push_reader(place)

    def background_failed(self, error: BaseException) -> bool:
        """A failed background task is reported, not fatal: the loaded dossier is still good."""
        self.worker_failures.append(error)
        self.log.error("worker failed", error)
        message = one_line(f"{type(error).__name__}: {error}")[:300]
        self.notify(message, title="A background task failed", severity="error", markup=False)
        return True

    # --- live reload -------------------------------------------------------------
    #
    # tui/reload.py watches, reloads in a thread and keeps the panel; what a result
    # means for the screens is decided here (`show_reloaded`, `_swap_dossier`).

    @property
    def watching(self) -> bool:
        """True once the folder is watched (live reload is on)."""
        return self.live.watching

    @property
    def reloading(self) -> bool:
        """True while a reload runs in the background."""
        return self.live.running

    @property
    def reload_problems(self) -> LoadFailed | None:
        """The newest reload's problems while the files do not load; None when they do."""
        return self.live.problems

    @property
    def reloads(self) -> int:
        """How many reloads were swapped in (tests and the benchmark wait on it)."""
        return self.live.reloads

    def action_reload(self) -> None:
        """ctrl+r: load the dossier's files again now."""
        self.notify("Reloading the dossier…", markup=False, timeout=1.5)
        self.live.request(by_hand=True)

    def show_reloaded(self, dossier: Dossier) -> None:
        """A reload loaded: the first dossier after startup problems, or a new one in place."""
        if self.dossier is None:
            self._pop_problems_screen()
            self._show_dossier(dossier)
        else:
            self._swap_dossier(dossier)

    def show_startup_problems(self, result: LoadFailed) -> None:
        """No dossier has loaded yet: the problems screen shows the newest problems."""
        screen = self.screen
        problems = ProblemsScreen(result.heading, result.problems, watching=self.watching)
        if screen.id == "problems":
            self.switch_screen(problems)
        else:
            self.push_screen(problems)

    def _pop_problems_screen(self) -> None:
        while len(self.screen_stack) > 1 and self.screen.id == "problems":
            self.pop_screen()

    def _swap_dossier(self, dossier: Dossier) -> None:
        """Show a newly loaded dossier where the user is: the record (or the nearest one
        left), the pane, the filter, the timeline's marks and narrowing, an open reader."""
        from partnership_tui.model.build.text import one_line
        from partnership_tui.model.dossier.changes import nearest_surviving

        old = self.dossier
        state = self.state
        main = self._main
        reader = self._reader()
        reader_place = reader.place_to_reopen() if reader is not None else None
        entity_scroll = main.entities.entity_list.scroll_y
        timeline_scroll = main.timeline.timeline_list.scroll_y
        # The row you were on in Detail and Excerpts, kept if the record is still shown.
        inner = [
            (pane_list, pane_list.highlighted, pane_list.scroll_y)
            for pane_list in (main.detail.detail_list, main.excerpts.excerpts_list)
        ]
        was_selected = state.selected

        self.dossier = dossier
        from partnership_tui.tui.screens.overview import OverviewScreen

        for screen in self.screen_stack:  # an overview over the panes lists the new one too
            if isinstance(screen, OverviewScreen):
                screen.show(dossier)
        if self._search is not None:  # the next search builds its index on the new dossier
            from partnership_tui.tui.screens.search import IndexHolder

            self._search = (IndexHolder(), self._search[1])
        main.set_title(one_line(dossier.title))
        main.entities.load(dossier)
        self._start_placing(dossier)
        main.timeline.load(dossier)

        selected = state.selected
        if selected is not None and dossier.get(selected) is None and old is not None:
            kind = old.kind_of(selected)
            order = old.ids(kind) if kind is not None else ()
            selected = nearest_surviving(order, selected, lambda i: dossier.get(i) is not None)
        context = state.context
        state.context = None
        state.marks = ()
        if context is not None and dossier.get(context) is not None:
            self._set_context(context)
        main.timeline.set_marks(state.marks, state.narrowed)
        shown = main.entities.set_filter(state.filter, keep=selected)
        if selected is None or (dossier.kind_of(selected) in LIST_KINDS and shown != selected):
            selected = shown  # the filter stays, and no longer shows it: its first match
        if selected is None:
            self._show_nothing(
                "No record matches the filter. Escape clears it."
                if state.filter.strip()
                else "The dossier has no records yet."
            )
        else:
            self._select(selected, origin=None, visit=selected != state.selected)
        main.entities.entity_list.scroll_to(y=entity_scroll, animate=False, immediate=True)
        main.timeline.timeline_list.scroll_to(y=timeline_scroll, animate=False, immediate=True)
        if selected is not None:
            main.entities.show_selected(selected)  # back in view if the scroll hid it
        if selected is not None and selected == was_selected:
            for pane_list, index, scroll_y in inner:
                if index is not None and pane_list.row_count:
                    pane_list.set_highlight_quietly(min(index, pane_list.row_count - 1))
                pane_list.scroll_to(y=scroll_y, animate=False, immediate=True)
        if self.screen is main and main.focused is None:
            main.focus_pane(state.pane)
        if reader is not None and reader_place is not None:
            self._reopen_reader(reader, reader_place)

    def _reopen_reader(self, reader: ReaderScreen, place: dict[str, object]) -> None:
        """The reader on top shows its source from the new dossier, where it was."""
        from partnership_tui.model.build.records import Source
        from partnership_tui.tui.screens.reader import ReaderScreen

        dossier = self.dossier
        source_id = str(place["source_id"])
        source = dossier.get(source_id) if dossier is not None else None
        if dossier is None or not isinstance(source, Source):
            self.pop_screen()
            self.notify(
                "The source you were reading is no longer in the dossier.",
                severity="warning",
                markup=False,
            )
            return
        self.switch_screen(ReaderScreen.reopened(dossier, source, place))
        self.call_after_refresh(self.live.sync_panels)  # "Fixed" shows on it too


def freeze_survivors() -> None:
    """Once the first screen is up, move every object alive (Textual's screens and widgets,
    the records shown) out of the collector's reach, as preload does for the dossier.

    Thirty moves on the large dossier spent 210-225 ms in the collector without this and
    140-170 ms with it, p95 91-96 ms -> 72-77 ms (gc.callbacks in a pty run, paired runs);
    what is frozen lives as long as the app anyway. The collector was off until now (see
    cli.cmd_explore), so startup's cyclic garbage is frozen with it: ~2,200 objects.

    Called again once the large timeline is placed: the ~115,000 objects that worker
    leaves behind (records it decoded) otherwise sat in the collector's oldest generation,
    and each full collection, every ~15 moves, walked them all (100-300 ms: the large
    dossier's p95).
    """
    gc.freeze()
    collector_on()


def collector_on() -> None:
    """The collector runs again: the explorer starts without it (see cli.cmd_explore)."""
    gc.enable()


def run_app(data_dir: Path, preload: Preload | None = None) -> int:
    """Run the explorer on a dossier folder; the exit code is 1 if it could not be loaded."""
    app = PartnershipApp(Path(data_dir), preload)
    app.run()
    return app.return_code or 0


__all__ = ["PartnershipApp", "run_app"]
