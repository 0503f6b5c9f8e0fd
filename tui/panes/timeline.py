"""Pane 3, Timeline: every event, dated deal and tension (by its start) in date order; the
context's entries marked, or only those."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content

from partnership_tui.model.build.records import Deal, Event, Tension
from partnership_tui.tui import render
from partnership_tui.tui.compat import set_border_title
from partnership_tui.tui.messages import Activate, Highlighted
from partnership_tui.tui.widgets.rowlist import LazyRows, Row, RowList

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from partnership_tui.model.dossier.dossier import Dossier


MARK = "● "


class TimelineList(RowList):
    """Every event in date order, with a gutter marking the selection's events."""

    LINKED = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Detail"),
        Binding("asterisk", "screen.toggle_narrow", "Only marked", key_display="*"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"timeline--mark"}

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.marked: frozenset[str] = frozenset()
        self._mark_styles: dict[RichStyle, RichStyle] = {}  # row style -> with the mark

    def gutter_width(self) -> int:
        return len(MARK)

    def set_marked(self, marked: frozenset[str]) -> None:
        """Change the marks, repainting only the rows on screen whose mark changed."""
        changed = marked ^ self.marked
        self.marked = marked
        top = round(self.scroll_y)
        bottom = top + self.scrollable_content_region.height
        for key in changed:
            index = self.index_of(key)
            if index is not None and top <= index < bottom:
                self.refresh_lines(index)

    def render_gutter(self, index: int, offset: int, highlighted: bool) -> Segment | None:
        classes = ("row-list--row", "row-list--highlight") if highlighted else ("row-list--row",)
        base = self.visual_style(*classes).rich_style
        row = self.rows[index] if offset == 0 and 0 <= index < self.row_count else None
        if row is not None and row.key in self.marked:
            mark = self._mark_styles.get(base)
            if mark is None:
                partial = self.get_component_rich_style("timeline--mark", partial=True)
                mark = self._mark_styles[base] = base + partial
            return Segment(MARK, mark)
        return Segment(" " * len(MARK), base)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._mark_styles.clear()


class TimelinePane(Vertical):
    """Pane 3: the timeline; marks the events of the entity in context, or shows only those.

    Rows are made when they first scroll into view: a hundred thousand events
    open as fast as ten.
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = Content("3 Timeline")
        self._dossier: Dossier | None = None
        self._ids: tuple[str, ...] = ()
        self._positions: dict[str, int] = {}
        self._rows: dict[str, Row] = {}
        self._marks: tuple[str, ...] = ()  # as the app gave them, in date order
        self._narrowed = False
        self._events_only = True
        self._built_narrowed: bool | None = None
        self._built_marks: tuple[str, ...] | None = None

    def compose(self) -> ComposeResult:
        yield TimelineList(id="timeline-list")

    @property
    def timeline_list(self) -> TimelineList:
        return self.query_one(TimelineList)

    @property
    def marked(self) -> frozenset[str]:
        return self.timeline_list.marked

    @property
    def shown_ids(self) -> list[str]:
        rows = self.timeline_list.rows
        return [row.key for row in rows if row.key is not None]

    @property
    def rows_built(self) -> int:
        """How many rows have been made so far (they are made when first shown)."""
        return len(self._rows)

    @property
    def shown_rows(self) -> list[str]:
        """The rows as plain text (for tests and copy)."""
        return [str(row.content) for row in self.timeline_list.rows]

    def load(self, dossier: Dossier) -> None:
        self._dossier = dossier
        self._rows = {}
        self.place(dossier)

    def place(self, dossier: Dossier) -> None:
        """Show the whole timeline once it is placed (events, dated deals, tensions by their
        start); until then, the events. The highlight stays on its row."""
        order = render.timeline_position(dossier, place=False)
        if order is None:
            self._ids = dossier.timeline_ids
            self._positions = {event_id: i for i, event_id in enumerate(self._ids)}
        else:
            self._ids = dossier.timeline_entry_ids
            self._positions = order
        self._events_only = len(self._ids) == len(dossier.timeline_ids)
        self._built_narrowed = None
        self._build()

    def _row(self, event_id: str) -> Row:
        row = self._rows.get(event_id)
        if row is None:
            dossier = self._dossier
            entry = dossier.get(event_id) if dossier is not None else None
            if isinstance(entry, Event | Deal | Tension):
                # The source that reports an undated event bounds its date; asking for it
                # decodes the source, text and all (~1 ms on a large dossier): only if needed.
                undated = isinstance(entry, Event) and entry.date is None
                reporter = dossier.reported_by(event_id) if undated else None  # type: ignore[union-attr]
                content = render.timeline_row(entry, reporter)
            else:
                content = Content(event_id)
            row = self._rows[event_id] = Row(content, event_id, selectable=True)
        return row

    def _build(self) -> None:
        timeline_list = self.timeline_list
        keep = timeline_list.highlighted_key
        if self._narrowed:
            ids = tuple(i for i in self._marks if i in self._positions)
            empty = "nothing on the timeline for this selection"
            keys: dict[str, int] = {event_id: i for i, event_id in enumerate(ids)}
        else:
            ids = self._ids
            empty = "no events in this dossier"
            keys = self._positions
        if ids:
            rows: Sequence[Row] = LazyRows(len(ids), lambda index: self._row(ids[index]))
        else:
            rows = [Row(Content.styled(empty, render.MUTED))]
        timeline_list.set_rows(rows, keys)
        self._built_narrowed = self._narrowed
        self._built_marks = self._marks if self._narrowed else None
        if keep is not None:
            self.show_selected(keep)
        self._update_title()

    def _update_title(self) -> None:
        total = len(self._ids)
        marked = len(self._marks)
        if self._narrowed:
            title = f"3 Timeline · {marked} marked of {total}, only marked"
        elif marked:
            title = f"3 Timeline · {marked} marked of {total}"
        else:
            title = f"3 Timeline · {total} {'events' if self._events_only else 'entries'}"
        set_border_title(self, title)

    def set_marks(self, event_ids: Sequence[str], narrowed: bool) -> None:
        """Mark these events (the app's `State.marks`), showing only them if `narrowed`.

        Rebuilds only when the narrowed list itself changes."""
        self._marks = tuple(event_ids)
        self.timeline_list.set_marked(frozenset(event_ids))
        self._narrowed = narrowed
        if narrowed != self._built_narrowed or (narrowed and self._built_marks != self._marks):
            self._build()
        else:
            self._update_title()

    def reveal_marked(self) -> None:
        """Scroll (without moving the highlight) so the first marked event is in view."""
        timeline_list = self.timeline_list
        height = timeline_list.scrollable_content_region.height
        if not self._marks or height <= 0:
            return
        first = timeline_list.index_of(self._marks[0])
        if first is None:
            return
        last = timeline_list.index_of(self._marks[-1])
        last = first if last is None else last
        top = round(timeline_list.scroll_y)
        if top <= first and last < top + height:
            return
        timeline_list.scroll_to_row(first, center=True)

    def on_row_list_row_highlighted(self, event: RowList.RowHighlighted) -> None:
        event.stop()
        # A held key queues many moves: only the latest one is worth answering.
        if event.key is not None and event.key == self.timeline_list.highlighted_key:
            self.post_message(Highlighted(event.key, "timeline"))

    def on_row_list_row_selected(self, event: RowList.RowSelected) -> None:
        event.stop()
        self.post_message(Activate("timeline", event.key))

    def settle(self) -> None:
        """The app has answered the user's latest move here: paint it (never move back)."""
        timeline_list = self.timeline_list
        timeline_list.set_highlight_quietly(timeline_list.highlighted)

    def show_selected(self, event_id: str) -> bool:
        index = self.timeline_list.index_of(event_id)
        if index is None:
            return False
        self.timeline_list.set_highlight_quietly(index)
        return True
