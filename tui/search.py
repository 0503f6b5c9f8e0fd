"""The search screen: type, see records and passages update, enter to go there.

Queries run in a worker thread after a short pause in typing, so keys are
never blocked; a newer query cancels an older one. The index is built once
per dossier (in a worker, the first time it is needed) and kept by the app.
Every snippet is plain text styled by span, never markup.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.strip import Strip
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from .footer import QuietFooter
from .render import HEADING, MATCH, MUTED, clip, flat, source_title

if TYPE_CHECKING:
    from partnership_tui.model.dossier.dossier import Dossier
    from partnership_tui.model.search.index import SearchIndex, SearchResults, Snippet

DEBOUNCE_SECONDS = 0.12
RESULT_LIMIT = 100
PREPARING = "preparing the search index (once per session)…"
HISTORY_LIMIT = 100


class IndexHolder:
    """Builds the dossier's search index once, whichever thread asks first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._index: SearchIndex | None = None
        self._dossier: Dossier | None = None

    def ready(self, dossier: Dossier) -> bool:
        return self._index is not None and self._dossier is dossier

    def get(self, dossier: Dossier) -> SearchIndex:
        with self._lock:
            if self._index is None or self._dossier is not dossier:
                from partnership_tui.model.search.indexcache import open_index

                self._index = open_index(dossier)
                self._dossier = dossier
            return self._index


@dataclass
class SearchMemory:
    """What the search screen remembers for the session: past queries, newest last."""

    queries: list[str]

    def remember(self, query: str) -> None:
        query = query.strip()
        if not query:
            return
        if query in self.queries:
            self.queries.remove(query)
        self.queries.append(query)
        del self.queries[:-HISTORY_LIMIT]


def snippet_content(snippet: Snippet) -> Content:
    return Content.assemble(*((flat(p), MATCH if hit else "") for p, hit in snippet.segments()))


class SearchInput(Input):
    """The query line; up/down walk the queries asked before in this session."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "recall(-1)", "Previous query", show=False),
        Binding("down", "results", "Results", show=False),
    ]

    def action_recall(self, step: int) -> None:
        screen = self.screen
        if isinstance(screen, SearchScreen):
            screen.recall(step)

    def action_results(self) -> None:
        screen = self.screen
        if isinstance(screen, SearchScreen):
            screen.focus_results()


class NavList(OptionList):
    """An OptionList with vim keys, guarded against tiny sizes, with quiet highlighting.

    OptionList raises on page-up/down when its content region is empty or very
    short, and renders nonsense below a few columns, so those paths are guarded.
    A single click only highlights; a double click acts like enter.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "Top", show=False),
        Binding("G", "last", "Bottom", show=False),
    ]

    pane_name: ClassVar[str] = ""

    # Panes are sized by CSS, never by their content: a new virtual size only needs a
    # repaint and new scrollbars (OptionList's _scroll_update does both), not a layout
    # of the whole screen. That layout was most of the cost of each linked move.
    virtual_size = Reactive(Size(0, 0), layout=False)

    def _region_ok(self) -> bool:
        region = self.scrollable_content_region
        return region.width > 4 and region.height > 0

    def action_page_down(self) -> None:
        if not self._region_ok() or self.scrollable_content_region.height <= 2:
            self.action_cursor_down()
        else:
            super().action_page_down()

    def action_page_up(self) -> None:
        if not self._region_ok() or self.scrollable_content_region.height <= 2:
            self.action_cursor_up()
        else:
            super().action_page_up()

    def render_line(self, y: int) -> Strip:
        if not self._region_ok():
            width = max(0, self.scrollable_content_region.width)
            return Strip.blank(width)
        return super().render_line(y)

    def set_highlight_quietly(self, index: int | None) -> None:
        """Move the highlight without posting OptionHighlighted (the app made this change)."""
        if index is not None and not 0 <= index < self.option_count:
            index = None
        self.set_reactive(OptionList.highlighted, index)
        self.refresh()
        if index is not None and self.is_mounted and self._region_ok():
            self.scroll_to_highlight()

    async def _on_click(self, event: events.Click) -> None:
        event.prevent_default()
        index = event.style.meta.get("option")
        if index is None or not 0 <= index < self.option_count:
            return
        if self.options[index].disabled:
            return
        if index == self.highlighted:
            # Re-clicking the highlighted row re-announces it (another pane may have moved on).
            self.post_message(self.OptionHighlighted(self, self.options[index], index))
        self.highlighted = index
        if event.chain >= 2 or self.follow_on_click:
            self.action_select()

    follow_on_click: ClassVar[bool] = False

    def first_enabled(self) -> int | None:
        for index, option in enumerate(self.options):
            if not option.disabled:
                return index
        return None


class ResultList(NavList):
    pane_name: ClassVar[str] = "search"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("slash", "query", "Edit query", show=False)]

    def action_query(self) -> None:
        self.screen.query_one(SearchInput).focus()


class SearchScreen(Screen[None]):
    """Search every source passage and record of the dossier."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
        Binding("enter", "open", "Go to", show=True, key_display="⏎"),
    ]
    DEFAULT_CSS = """
    SearchScreen { layout: vertical; }
    SearchScreen #search-box { height: 1fr; border: round $primary; }
    SearchScreen SearchInput { margin: 0 0 0 0; }
    SearchScreen #search-status { height: 1; padding: 0 1; color: $text-muted; }
    SearchScreen ResultList { height: 1fr; border: none; }
    """

    def __init__(self, dossier: Dossier, holder: IndexHolder, memory: SearchMemory) -> None:
        super().__init__()
        self.dossier = dossier
        self.holder = holder
        self.memory = memory
        self.results: SearchResults | None = None
        self._timer: Timer | None = None
        self._recall_at: int | None = None
        self._targets: list[tuple[str, str, int, int, tuple[tuple[int, int], ...]]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield SearchInput(placeholder='search: words "a phrase" prefix* -not kind:person')
            yield Static("", id="search-status", markup=False)
            yield ResultList(id="search-results")
        yield QuietFooter()

    def on_mount(self) -> None:
        box = self.query_one("#search-box")
        box.border_title = "Search"
        box.border_subtitle = "esc close · ⏎ go to · ↑ previous query · ↓ results"
        last = self.memory.queries[-1] if self.memory.queries else ""
        search_input = self.query_one(SearchInput)
        search_input.value = last
        search_input.focus()
        self.run_query(last)

    # --- querying -------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._recall_at = None
        if self._timer is not None:
            self._timer.stop()
        value = event.value
        self._timer = self.set_timer(DEBOUNCE_SECONDS, lambda: self.run_query(value))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.memory.remember(event.value)
        self.focus_results()

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_query(self, query: str) -> None:
        from partnership_tui.model.search.query import QueryError

        worker = get_current_worker()
        if not self.holder.ready(self.dossier):
            # Made once per session, on opening search: seconds on a large dossier.
            self.app.call_from_thread(self._show, None, PREPARING)
            self.holder.get(self.dossier)
            if worker.is_cancelled:
                return
        if not query.strip():
            self.app.call_from_thread(self._show, None, "type to search every source and record")
            return
        index = self.holder.get(self.dossier)
        try:
            results = index.search(query, limit=RESULT_LIMIT)
        except QueryError as error:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._show, None, f"{error.message} — {error.hint}")
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show, results, None)

    def _show(self, results: SearchResults | None, message: str | None) -> None:
        self.results = results
        status = self.query_one("#search-status", Static)
        listing = self.query_one(ResultList)
        self._targets = []
        options: list[Option] = []
        if results is None:
            status.update(Content(flat(message or "")))
            listing.clear_options()
            return
        summary = (
            f"{results.total} hits: {results.total_records} records, "
            f"{results.total_passages} passages"
        )
        if len(results.records) < results.total_records or len(results.passages) < (
            results.total_passages
        ):
            summary += f" (showing the best {RESULT_LIMIT} of each)"
        if results.hint:
            summary += f" · {results.hint}"
        status.update(Content(flat(summary)))
        if results.records:
            options.append(
                Option(Content.styled(f"Records ({results.total_records})", HEADING), disabled=True)
            )
        for hit in results.records:
            record = self.dossier.get(hit.record_id)
            parts: list[str | Content | tuple[str, str]] = [(f"{hit.kind:<8} ", MUTED)]
            if hit.field in ("name", "title"):
                # the match is in the name itself: show the name with the match marked
                parts.append(snippet_content(hit.snippet).stylize("bold"))
            else:
                name = flat(record.name) if record else hit.record_id
                parts += [(clip(name, 60), "bold"), (f"  {hit.field}: ", MUTED)]
                parts.append(snippet_content(hit.snippet))
            options.append(Option(Content.assemble(*parts)))
            self._targets.append(("record", hit.record_id, 0, 0, ()))
        if results.passages:
            options.append(
                Option(
                    Content.styled(f"Passages ({results.total_passages})", HEADING), disabled=True
                )
            )
        for hit in results.passages:
            title = clip(source_title(self.dossier, hit.source_id), 50)
            options.append(
                Option(
                    Content.assemble(snippet_content(hit.snippet), "\n", (f"  — {title}", MUTED))
                )
            )
            self._targets.append(("passage", hit.source_id, hit.start, hit.end, hit.highlights))
        listing.set_options(options)
        first = listing.first_enabled()
        if first is not None:
            listing.set_highlight_quietly(first)

    def _target(
        self, index: int | None
    ) -> tuple[str, str, int, int, tuple[tuple[int, int], ...]] | None:
        """Map an option index to its hit (headings take no target)."""
        if index is None:
            return None
        listing = self.query_one(ResultList)
        enabled = [i for i, option in enumerate(listing.options) if not option.disabled]
        return self._targets[enabled.index(index)] if index in enabled else None

    # --- keys -----------------------------------------------------------------------

    def recall(self, step: int) -> None:
        queries = self.memory.queries
        if not queries:
            return
        search_input = self.query_one(SearchInput)
        if self._recall_at is not None:
            at = self._recall_at
        elif search_input.value.strip() == queries[-1]:
            at = len(queries) - 1  # showing the newest already: up goes to the one before
        else:
            at = len(queries)
        at = max(0, min(len(queries) - 1, at + step))
        self._recall_at = at
        with search_input.prevent(Input.Changed):
            search_input.value = queries[at]
        search_input.cursor_position = len(search_input.value)
        self.run_query(queries[at])

    def focus_results(self) -> None:
        listing = self.query_one(ResultList)
        if listing.option_count:
            listing.focus()

    def on_option_list_option_selected(self, event: NavList.OptionSelected) -> None:
        event.stop()
        self.open_hit(event.option_index)

    def action_open(self) -> None:
        listing = self.query_one(ResultList)
        if self.focused is listing or listing.highlighted is not None:
            self.open_hit(listing.highlighted)

    def open_hit(self, index: int | None) -> None:
        target = self._target(index)
        if target is None:
            return
        self.memory.remember(self.query_one(SearchInput).value)
        kind, target_id, start, end, highlights = target
        app = self.app
        if kind == "record":
            app.select_record(target_id)  # type: ignore[attr-defined]
            return
        source = self.dossier[target_id]
        from partnership_tui.model.search.index import match_spans

        spans = highlights
        if self.results is not None:
            # every hit of the query in this source, so n / N walk them all
            spans = tuple(match_spans(source.text, self.results.query)) or highlights
        first = highlights[0] if highlights else (start, end)
        app.open_source(target_id, first[0], first[1], highlights=spans)  # type: ignore[attr-defined]

    def action_close(self) -> None:
        self.memory.remember(self.query_one(SearchInput).value)
        if self.app.screen is self:  # a queued second escape must not pop the screen below
            self.dismiss()
