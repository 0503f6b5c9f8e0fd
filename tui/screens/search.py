"""The search screen: type, see records and passages update, enter to go there.

Queries run in a worker thread, one at a time, so keys are never blocked. A
letter typed while no query runs is asked at once (a query takes 1-10 ms on a
large dossier: no pause in typing is worth waiting for); letters typed while
one runs are coalesced, and when it answers, only the latest text is asked and
the stale answer is dropped, never painted. So a slow typist sees results after
every letter and a fast burst costs one query per query time, not per letter.
(A fixed 120 ms debounce made every letter wait longer than any query takes.)
The index is built once per dossier (in a worker, the first time it is needed)
and kept by the app. Every snippet is plain text styled by span, never markup.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from partnership_tui.tui.compat import QuietInput
from partnership_tui.tui.messages import OpenSource, SelectRecord
from partnership_tui.tui.render import HEADING, MATCH, MUTED, clip, flat, source_title
from partnership_tui.tui.widgets.footer import QuietFooter
from partnership_tui.tui.widgets.rowlist import LazyRows, Row, RowList

if TYPE_CHECKING:
    from partnership_tui.model.dossier.dossier import Dossier
    from partnership_tui.model.search.index import SearchIndex, SearchResults, Snippet

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


def snippet_parts(snippet: Snippet, style: str = "") -> list[tuple[str, str]]:
    """A snippet as styled pieces, its matches marked; `style` under all of them."""
    marked = " ".join(dict.fromkeys(f"{style} {MATCH}".split()))
    return [(flat(piece), marked if hit else style) for piece, hit in snippet.segments()]


class SearchInput(QuietInput):
    """The query line; ↑ recalls earlier queries, ↓ goes to the results (screen bindings)."""


class ResultList(RowList):
    """Records, then passages; enter opens a hit, `/` goes back to the query."""

    WRAP = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Go to", key_display="⏎"),
        Binding("slash", "query", "Edit query", key_display="/"),
    ]

    class EditQuery(Message):
        """`/` in the results: back to the query line."""

    def action_query(self) -> None:
        self.post_message(self.EditQuery())


class SearchScreen(Screen[None]):
    """Search every source passage and record of the dossier."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # `q` closes search like the other overlays; in the query line it is text (the
        # line takes every printable key first), and the app's `q` quit never sees it.
        Binding("escape,q", "close", "Close"),
        Binding("enter", "open", "Go to", show=True, key_display="⏎"),
        # Priority, so focus moves before the next key of a burst (↓ then enter) is read.
        Binding("down", "results", "Results", key_display="↓", priority=True),
        Binding("up", "recall(-1)", "Previous query", show=False, priority=True),
        Binding("enter", "submit", "Results", show=False, priority=True),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # ↑ and ↓ are the query line's; in the results they move the highlight.
        if action in ("results", "recall", "submit"):
            return isinstance(self.focused, SearchInput)
        return True

    def action_submit(self) -> None:
        """Enter in the query: remember it and go to the results, before the next key."""
        self.memory.remember(self.search_input.value)
        self.focus_results()

    def action_results(self) -> None:
        self.focus_results()

    def action_recall(self, step: int) -> None:
        self.recall(step)

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
        self._asking: str | None = None  # the query the worker runs now, if any
        self._wanted = ""  # the latest text asked for: what the results must answer
        self._recall_at: int | None = None
        self._targets: list[tuple[str, str, int, int, tuple[tuple[int, int], ...]]] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            last = self.memory.queries[-1] if self.memory.queries else ""
            yield SearchInput(last, placeholder='search: words "a phrase" prefix* -not kind:person')
            yield Static("", id="search-status", markup=False)
            yield ResultList(id="search-results")
        yield QuietFooter()

    def on_mount(self) -> None:
        box = self.query_one("#search-box")
        box.border_title = "Search"
        box.border_subtitle = "esc close · ⏎ go to · ↑ previous query · ↓ results"
        # The app focuses the query (selected) as it pushes this screen, perhaps before
        # this runs and after keys typed into it: only focus it here if nobody has.
        if self.focused is None:
            self.edit_query()
        self.run_query(self.search_input.value)

    def reopen(self) -> None:
        """Opened again: as a new screen would be, the last query remembered in the line
        (asked again only if the line shows another text) and the results at the top."""
        self._typed_early = False
        self._recall_at = None
        last = self.memory.queries[-1] if self.memory.queries else ""
        search_input = self.search_input
        if search_input.value != last:
            search_input.value = last  # Input.Changed asks it
        listing = self.query_one(ResultList)
        if listing.row_count:
            listing.set_highlight_quietly(listing.first_selectable())
            listing.scroll_to(y=0, animate=False, immediate=True)

    @property
    def search_input(self) -> SearchInput:
        return self.query_one(SearchInput)

    _typed_early = False  # keys reached the screen before the query line could take focus

    def edit_query(self) -> None:
        """Focus the query line now, its text selected: typing replaces it, keys land there."""
        search_input = self.search_input
        self.set_focus(search_input)
        if self._typed_early:
            search_input.cursor_position = len(search_input.value)
        else:
            search_input.select_all()

    def _type_early(self, text: str) -> None:
        search_input = self.search_input
        if not self._typed_early:
            search_input.value = ""  # as if the last query had been selected: replaced
            self._typed_early = True
        search_input.insert_text_at_cursor(text)

    def on_key(self, event: events.Key) -> None:
        # Until the query line is focusable (a moment after the screen is pushed), the
        # keys typed with `s` in one burst come to the screen itself, and may be read only
        # once the line has focus: they are the query, not lost. (A printable key the
        # query line got never gets here: it stops there.)
        focused = self.focused
        if (focused is None or isinstance(focused, SearchInput)) and (
            event.is_printable and event.character
        ):
            event.stop()
            self._type_early(event.character)

    def on_paste(self, event: events.Paste) -> None:
        if (self.focused is None or isinstance(self.focused, SearchInput)) and event.text:
            event.stop()
            self._type_early(event.text.splitlines()[0])

    def on_result_list_edit_query(self, event: ResultList.EditQuery) -> None:
        event.stop()
        self.edit_query()

    # --- querying -------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._recall_at = None
        self.run_query(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.memory.remember(event.value)
        self.focus_results()

    def run_query(self, query: str) -> None:
        """Ask `query` now if no query runs; otherwise once the running one answers."""
        self._wanted = query
        if self._asking is None:
            self._asking = query
            self._ask(query)

    def _answered(self, query: str, results: SearchResults | None, message: str | None) -> None:
        """A query's answer, on the app's thread: shown if still wanted, else the latest asked."""
        self._asking = None
        if query != self._wanted:
            self.run_query(self._wanted)  # typed on meanwhile: this answer is stale
            return
        self._show(results, message)

    @work(thread=True, group="search", exit_on_error=False)
    def _ask(self, query: str) -> None:
        from partnership_tui.model.search.query import QueryError

        results: SearchResults | None = None
        message: str | None = None
        try:
            if not self.holder.ready(self.dossier):
                # Made once per session, on opening search: seconds on a large dossier.
                self.app.call_from_thread(self._show, None, PREPARING)
                self.holder.get(self.dossier)
            if not query.strip():
                message = "type to search every source and record"
            else:
                try:
                    results = self.holder.get(self.dossier).search(query, limit=RESULT_LIMIT)
                except QueryError as error:
                    message = f"{error.message} — {error.hint}"
        finally:
            # Always answered, even by a failure: a query left "running" would hold all
            # others. Not once the screen has closed (its workers are cancelled).
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._answered, query, results, message)

    def _show(self, results: SearchResults | None, message: str | None) -> None:
        self.results = results
        status = self.query_one("#search-status", Static)
        listing = self.query_one(ResultList)
        self._targets = []
        if results is None:
            status.update(Content(flat(message or "")), layout=False)  # one line, by CSS
            listing.set_rows([])
            return
        from partnership_tui.model.commands.cli import count_of

        summary = (
            f"{count_of(results.total, 'hit')}: {count_of(results.total_records, 'record')}, "
            f"{count_of(results.total_passages, 'passage')}"
        )
        if len(results.records) < results.total_records or len(results.passages) < (
            results.total_passages
        ):
            summary += f" (showing the best {RESULT_LIMIT} of each)"
        if results.hint:
            summary += f" · {results.hint}"
        status.update(Content(flat(summary)), layout=False)

        # Up to 200 hits: each row is assembled only when it scrolls into view; the list
        # lays them all out from their plain text (what the pieces below join to).
        shapes: list[tuple[str, bool]] = []
        makers: list[Callable[[], Row]] = []

        def add(parts: list[tuple[str, str]], selectable: bool) -> None:
            key = str(len(self._targets) - 1) if selectable else None
            shapes.append(("".join(text for text, _ in parts), False))
            makers.append(lambda: Row(Content.assemble(*parts), key, selectable=selectable))

        if results.records:
            add([(f"Records ({results.total_records})", HEADING)], False)
        for record_hit in results.records:
            parts: list[tuple[str, str]] = [(f"{record_hit.kind:<8} ", MUTED)]
            if record_hit.field in ("name", "title"):
                # the match is in the name itself: show the name with the match marked
                parts += snippet_parts(record_hit.snippet, "bold")
            else:
                record = self.dossier.get(record_hit.record_id)
                name = flat(record.name) if record else record_hit.record_id
                parts += [(clip(name, 60), "bold"), (f"  {record_hit.field}: ", MUTED)]
                parts += snippet_parts(record_hit.snippet)
            self._targets.append(("record", record_hit.record_id, 0, 0, ()))
            add(parts, True)
        if results.passages:
            add([(f"Passages ({results.total_passages})", HEADING)], False)
        for passage in results.passages:
            title = clip(source_title(self.dossier, passage.source_id), 50)
            self._targets.append(
                ("passage", passage.source_id, passage.start, passage.end, passage.highlights)
            )
            add([*snippet_parts(passage.snippet), ("\n", ""), (f"  — {title}", MUTED)], True)
        rows = LazyRows(len(makers), lambda index: makers[index](), shapes.__getitem__)
        listing.set_rows(rows)
        listing.set_highlight_quietly(listing.first_selectable())

    @property
    def hits(self) -> list[tuple[str, str]]:
        """(kind, record or source id) of each hit shown, in order (for tests)."""
        return [(kind, target) for kind, target, *_ in self._targets]

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
        if listing.row_count and listing.first_selectable() is not None:
            self.set_focus(listing)

    def on_row_list_row_selected(self, event: RowList.RowSelected) -> None:
        event.stop()
        if event.key is not None:
            self.open_hit(int(event.key))

    def on_row_list_row_highlighted(self, event: RowList.RowHighlighted) -> None:
        event.stop()

    def action_open(self) -> None:
        listing = self.query_one(ResultList)
        key = listing.highlighted_key
        if key is not None:
            self.open_hit(int(key))

    def open_hit(self, number: int) -> None:
        """Go to the `number`th hit: a record is selected everywhere (a source opens in the
        reader), a passage opens its source with every match of the query marked."""
        if not 0 <= number < len(self._targets):
            return
        self.memory.remember(self.search_input.value)
        kind, target_id, start, end, highlights = self._targets[number]
        if kind == "record":
            if self.dossier.kind_of(target_id) == "source":
                self.post_message(OpenSource(target_id))
            else:
                self.post_message(SelectRecord(target_id))
            return
        source = self.dossier[target_id]
        from partnership_tui.model.search.index import match_spans

        spans = highlights
        if self.results is not None:
            # every hit of the query in this source, so n / N walk them all
            spans = tuple(match_spans(source.text, self.results.query)) or highlights
        first = highlights[0] if highlights else (start, end)
        self.post_message(OpenSource(target_id, first[0], first[1], spans))

    def action_close(self) -> None:
        self.memory.remember(self.search_input.value)
        if self.app.screen is self:  # a queued second escape must not pop the screen below
            self.dismiss()
