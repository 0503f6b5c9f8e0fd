"""The four linked panes. Data is pushed down by the app; panes post messages up.

Panes never decide what is selected: they report a highlight (`Highlighted`),
a followed link (`Follow`), an excerpt to open (`OpenExcerpt`) or a request to
move on (`Activate`), and the app answers by calling `show_*` methods here.
Programmatic highlight changes are made "quietly" (without posting), so the
app never hears back about changes it made itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.widgets import Input

from partnership_tui.model.build.records import AnyRecord, Event

from . import render
from .render import Excerpt
from .rowlist import LazyRows, Row, RowList

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.widget import Widget

    from partnership_tui.model.dossier.dossier import Dossier


def set_pane_title(pane: Widget, title: str) -> None:
    """Change a pane's border title, repainting only its top border, and only if it changed.

    Textual's `border_title` setter repaints the whole pane, border and all; on
    a linked move that was a tenth of the frame, for a title that often stays.
    """
    current = pane._border_title
    if current is not None and current.plain == title:
        return
    if not pane.is_mounted or not pane.outer_size:
        pane.border_title = Content(title)
        return
    pane._border_title = Content(title)
    offset = pane.content_offset
    pane.refresh(Region(-offset.x, -offset.y, pane.outer_size.width, 1))


# Characters that are commands in the Entities list, so they never start a filter.
RESERVED_KEYS = frozenset("jkgGqnN/?*1234 []")


class Highlighted(Message):
    """The user moved a pane's highlight onto a record.

    `transient` marks a highlight made by typing in the filter: history keeps
    only the last of a run of those.
    """

    def __init__(self, record_id: str, pane: str, transient: bool = False) -> None:
        super().__init__()
        self.record_id = record_id
        self.pane = pane
        self.transient = transient


class Follow(Message):
    """The user followed a link to a record (enter or click in Detail)."""

    def __init__(self, record_id: str, pane: str) -> None:
        super().__init__()
        self.record_id = record_id
        self.pane = pane


class OpenExcerpt(Message):
    """The user opened an excerpt: show its source in the reader."""

    def __init__(self, excerpt: Excerpt) -> None:
        super().__init__()
        self.excerpt = excerpt


class Activate(Message):
    """Enter on an entity or event: select it (if another pane moved on) and go to its Detail."""

    def __init__(self, pane: str, record_id: str | None = None) -> None:
        super().__init__()
        self.pane = pane
        self.record_id = record_id


# --- Entities ---------------------------------------------------------------------


class FilterInput(Input):
    """The Entities filter: typing narrows the list; arrows and enter drive the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "list('cursor_down')", show=False),
        Binding("up", "list('cursor_up')", show=False),
        Binding("pagedown", "list('page_down')", show=False),
        Binding("pageup", "list('page_up')", show=False),
        Binding("enter", "done", show=False),
        Binding("escape", "clear", "Clear filter", show=False),
    ]

    def _entity_list(self) -> EntityList:
        return self.parent.query_one(EntityList)  # type: ignore[union-attr]

    def action_list(self, action: str) -> None:
        getattr(self._entity_list(), f"action_{action}")()

    def action_done(self) -> None:
        self._entity_list().focus()

    def action_clear(self) -> None:
        self.value = ""
        self._entity_list().focus()

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "backspace" and not self.value:
            event.stop()
            event.prevent_default()
            self._entity_list().focus()


class EntityList(RowList):
    """Records grouped by kind; printable keys that are not commands start the filter."""

    pane_name = "entities"
    LINKED = True
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Detail")]

    class StartFilter(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    async def _on_key(self, event: events.Key) -> None:
        character = event.character
        if (
            character
            and event.is_printable
            and character not in RESERVED_KEYS
            and event.key not in ("space",)
        ):
            event.stop()
            event.prevent_default()
            self.post_message(self.StartFilter(character))


# A row of the Entities list: a kind's heading, or a record id.
_Entry = tuple[str, str]  # ("kind", kind) or ("id", record id)


class EntitiesPane(Vertical):
    """Pane 1: every company, person, product, deal, tension, claim and source, by kind.

    Rows are made when first shown, so ten thousand records cost nothing at start;
    the filter reads names (and builds its haystacks) only once it is used.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = Content("1 Entities")
        self._dossier: Dossier | None = None
        self._ids: dict[str, tuple[str, ...]] = {}
        self._haystacks: dict[str, tuple[str, ...]] | None = None
        self._needle = ""

    def compose(self) -> ComposeResult:
        yield FilterInput(
            placeholder="type to filter", compact=True, select_on_focus=False, id="entity-filter"
        )
        yield EntityList(id="entities-list")

    @property
    def entity_list(self) -> EntityList:
        return self.query_one(EntityList)

    @property
    def filter_input(self) -> FilterInput:
        return self.query_one(FilterInput)

    @property
    def filter_text(self) -> str:
        return self._needle

    def load(self, dossier: Dossier) -> None:
        self._dossier = dossier
        self._ids = {kind: dossier.ids(kind) for kind in render.LIST_KINDS}  # type: ignore[arg-type]
        self._haystacks = None
        self._rebuild()

    def _matching(self, kind: str, needle: str) -> tuple[str, ...]:
        ids = self._ids[kind]
        if not needle:
            return ids
        if self._haystacks is None:
            dossier = self._dossier
            assert dossier is not None
            self._haystacks = {
                record_id: render.filter_haystack(dossier[record_id])
                for kind_ids in self._ids.values()
                for record_id in kind_ids
            }
        haystacks = self._haystacks
        return tuple(i for i in ids if any(needle in text for text in haystacks[i]))

    def _rebuild(self) -> None:
        dossier = self._dossier
        needle = self._needle
        entries: list[_Entry] = []
        headers: dict[int, Content] = {}
        keys: dict[str, int] = {}
        shown_total = 0
        for kind, ids in self._ids.items():
            if not ids:
                continue
            matching = self._matching(kind, needle)
            if needle and not matching:
                continue
            headers[len(entries)] = render.group_header(kind, len(matching), len(ids))
            entries.append(("kind", kind))
            for record_id in matching:
                keys[record_id] = len(entries)
                entries.append(("id", record_id))
            shown_total += len(matching)
        if not shown_total:
            message = "no matches" if needle else "no records"
            headers[len(entries)] = Content.styled(message, render.MUTED)
            entries.append(("kind", ""))

        def make(index: int) -> Row:
            what, value = entries[index]
            if what == "kind":
                return Row(headers[index])
            record = dossier[value] if dossier is not None else None
            content = render.entity_row(record) if record is not None else Content(value)
            return Row(content, value, selectable=True)

        self.entity_list.set_rows(LazyRows(len(entries), make), keys)
        total = sum(len(ids) for ids in self._ids.values())
        title = f"1 Entities · {shown_total} of {total}" if needle else f"1 Entities · {total}"
        set_pane_title(self, title)

    def set_filter(self, text: str) -> str | None:
        """Apply a filter; return the record now highlighted (the first match, or the kept one)."""
        needle = " ".join(text.casefold().split())
        if needle == self._needle:
            return self.highlighted_id
        previous = self.highlighted_id
        self._needle = needle
        self._rebuild()
        entity_list = self.entity_list
        if previous is not None and self._index_of(previous) is not None and not needle:
            entity_list.set_highlight_quietly(self._index_of(previous))
            return previous
        entity_list.set_highlight_quietly(entity_list.first_selectable())
        return self.highlighted_id

    def on_row_list_row_highlighted(self, event: RowList.RowHighlighted) -> None:
        event.stop()
        if event.key is not None:
            self.post_message(Highlighted(event.key, "entities"))

    def on_row_list_row_selected(self, event: RowList.RowSelected) -> None:
        event.stop()
        self.post_message(Activate("entities", event.key))

    def on_entity_list_start_filter(self, event: EntityList.StartFilter) -> None:
        event.stop()
        filter_input = self.filter_input
        filter_input.value = filter_input.value + event.text
        filter_input.focus()
        filter_input.cursor_position = len(filter_input.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        highlighted = self.set_filter(event.value)
        if highlighted is not None:
            self.post_message(Highlighted(highlighted, "entities", transient=True))

    def action_clear_filter(self) -> None:
        if self._needle or self.filter_input.value:
            self.filter_input.value = ""

    def _index_of(self, record_id: str) -> int | None:
        return self.entity_list.index_of(record_id)

    @property
    def highlighted_id(self) -> str | None:
        return self.entity_list.highlighted_key

    @property
    def shown_ids(self) -> list[str]:
        """Record ids the list shows now, in order (for tests and copy)."""
        rows = self.entity_list.rows
        return [row.key for row in rows if row.key is not None]

    def confirm_selected(self, record_id: str) -> None:
        """Complete a move the user made here; if the filter has moved on, leave it be."""
        index = self._index_of(record_id)
        entity_list = self.entity_list
        entity_list.set_highlight_quietly(index if index is not None else entity_list.highlighted)

    def show_selected(self, record_id: str) -> None:
        """Highlight a record, clearing the filter if it hides the record."""
        index = self._index_of(record_id)
        if index is None and self._needle:
            with self.prevent(Input.Changed):
                self.filter_input.value = ""
            self._needle = ""
            self._rebuild()
            index = self._index_of(record_id)
        if index is not None:
            self.entity_list.set_highlight_quietly(index)


# --- Detail -----------------------------------------------------------------------


class DetailList(RowList):
    """Lines of a record; only links can be highlighted. Arrows scroll past plain text."""

    pane_name = "detail"
    WRAP = True
    SELECT_ON_CLICK = True
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Follow link")]

    def _view(self) -> tuple[int, int]:
        top = round(self.scroll_y)
        return top, top + self.scrollable_content_region.height

    def action_cursor_down(self) -> None:
        top, bottom = self._view()
        if bottom <= top:
            return
        start = self.highlighted if self.highlighted is not None else -1
        target = self._next_selectable(start, 1)
        if target is not None and self.row_lines(target)[0] < top:
            # The highlight scrolled off the top: pick the first link on screen.
            while target is not None and self.row_lines(target)[0] < top:
                target = self._next_selectable(target, 1)
        if target is not None and self.row_lines(target)[0] < bottom:
            self.move_highlight(target)
        elif self.scroll_y < self.max_scroll_y:
            self.scroll_relative(y=1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        top, bottom = self._view()
        if bottom <= top:
            return
        start = self.highlighted if self.highlighted is not None else self.row_count
        target = self._next_selectable(start, -1)
        if target is not None and self.row_lines(target)[0] >= top:
            self.move_highlight(target)
        elif self.scroll_y > 0:
            self.scroll_relative(y=-1, animate=False, immediate=True)
        elif target is not None:
            self.move_highlight(target)


class DetailPane(Vertical):
    """Pane 2: the selected record, every relation a link."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = Content("2 Detail")
        self.record_id: str | None = None

    def compose(self) -> ComposeResult:
        yield DetailList(id="detail-list")

    @property
    def detail_list(self) -> DetailList:
        return self.query_one(DetailList)

    @property
    def links(self) -> list[str]:
        return [row.key for row in self.detail_list.rows if row.key is not None]

    @property
    def plain_text(self) -> str:
        """What the pane shows, as plain text (for tests and copy)."""
        return "\n".join(str(row.content) for row in self.detail_list.rows)

    def show(self, dossier: Dossier, record: AnyRecord | None) -> None:
        detail_list = self.detail_list
        self.record_id = record.id if record else None
        if record is None:
            detail_list.set_rows([Row(Content.styled("nothing selected", render.MUTED))])
            return
        lines = render.detail_lines(dossier, record)
        detail_list.set_rows(
            [Row(content, target, selectable=target is not None) for content, target in lines]
        )
        detail_list.set_highlight_quietly(detail_list.first_selectable(), scroll=False)
        set_pane_title(self, f"2 Detail · {record.kind}")

    def target_at(self, index: int | None) -> str | None:
        rows = self.detail_list.rows
        return rows[index].key if index is not None and 0 <= index < len(rows) else None

    def on_row_list_row_highlighted(self, event: RowList.RowHighlighted) -> None:
        event.stop()

    def on_row_list_row_selected(self, event: RowList.RowSelected) -> None:
        event.stop()
        if event.key is not None:
            self.post_message(Follow(event.key, "detail"))


# --- Timeline ---------------------------------------------------------------------


MARK = "● "


class TimelineList(RowList):
    """Every event in date order, with a gutter marking the selection's events."""

    pane_name = "timeline"
    LINKED = True
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Detail")]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"timeline--mark"}

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.marked: frozenset[str] = frozenset()

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
        base = self.get_visual_style(*classes).rich_style
        row = self.rows[index] if offset == 0 and 0 <= index < self.row_count else None
        if row is not None and row.key in self.marked:
            mark = self.get_component_rich_style("timeline--mark", partial=True)
            return Segment(MARK, base + mark)
        return Segment(" " * len(MARK), base)


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
        self._marked_order: tuple[str, ...] = ()
        self.narrowed = False
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
    def shown_rows(self) -> list[str]:
        """The rows as plain text (for tests and copy)."""
        return [str(row.content) for row in self.timeline_list.rows]

    def load(self, dossier: Dossier) -> None:
        self._dossier = dossier
        self._ids = dossier.timeline_ids
        self._positions = {event_id: i for i, event_id in enumerate(self._ids)}
        self._rows = {}
        self._build()

    def _row(self, event_id: str) -> Row:
        row = self._rows.get(event_id)
        if row is None:
            dossier = self._dossier
            event = dossier.get(event_id) if dossier is not None else None
            content = (
                render.timeline_row(event, dossier.reported_by(event_id))  # type: ignore[arg-type, union-attr]
                if isinstance(event, Event)
                else Content(event_id)
            )
            row = self._rows[event_id] = Row(content, event_id, selectable=True)
        return row

    def _build(self) -> None:
        timeline_list = self.timeline_list
        keep = timeline_list.highlighted_key
        if self.narrowed:
            ids = tuple(i for i in self._marked_order if i in self._positions)
            empty = "no events for this selection"
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
        self._built_narrowed = self.narrowed
        self._built_marks = self._marked_order if self.narrowed else None
        if keep is not None:
            self.show_selected(keep)
        self._update_title()

    def _update_title(self) -> None:
        total = len(self._ids)
        marked = len(self._marked_order)
        if self.narrowed:
            title = f"3 Timeline · {marked} marked of {total}, only marked"
        elif marked:
            title = f"3 Timeline · {marked} marked of {total}"
        else:
            title = f"3 Timeline · {total} events"
        set_pane_title(self, title)

    def set_marks(self, event_ids: Sequence[str], narrowed: bool) -> None:
        """Mark the context's events; rebuild only when the narrowed list itself changes."""
        self._marked_order = tuple(event_ids)
        self.timeline_list.set_marked(frozenset(event_ids))
        self.narrowed = narrowed
        if narrowed != self._built_narrowed or (
            narrowed and self._built_marks != self._marked_order
        ):
            self._build()
        else:
            self._update_title()

    def reveal_marked(self) -> None:
        """Scroll (without moving the highlight) so the first marked event is in view."""
        timeline_list = self.timeline_list
        height = timeline_list.scrollable_content_region.height
        if not self._marked_order or height <= 0:
            return
        first = timeline_list.index_of(self._marked_order[0])
        if first is None:
            return
        last = timeline_list.index_of(self._marked_order[-1])
        last = first if last is None else last
        top = round(timeline_list.scroll_y)
        if top <= first and last < top + height:
            return
        timeline_list.scroll_to_row(first, center=True)

    def on_row_list_row_highlighted(self, event: RowList.RowHighlighted) -> None:
        event.stop()
        if event.key is not None:
            self.post_message(Highlighted(event.key, "timeline"))

    def on_row_list_row_selected(self, event: RowList.RowSelected) -> None:
        event.stop()
        self.post_message(Activate("timeline", event.key))

    def show_selected(self, event_id: str) -> bool:
        index = self.timeline_list.index_of(event_id)
        if index is None:
            return False
        self.timeline_list.set_highlight_quietly(index)
        return True


# --- Excerpts ---------------------------------------------------------------------


class ExcerptsList(RowList):
    pane_name = "excerpts"
    WRAP = True
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Open source")]


class ExcerptsPane(Vertical):
    """Pane 4: the quotes behind the selection, then other sentences that name it."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = Content("4 Excerpts")
        self._items: list[Excerpt | None] = []
        self.record_id: str | None = None

    def compose(self) -> ComposeResult:
        yield ExcerptsList(id="excerpts-list")

    @property
    def excerpts_list(self) -> ExcerptsList:
        return self.query_one(ExcerptsList)

    @property
    def items(self) -> list[Excerpt]:
        return [i for i in self._items if i is not None]

    @property
    def highlighted_excerpt(self) -> Excerpt | None:
        return self.excerpt_at(self.excerpts_list.highlighted)

    @property
    def plain_text(self) -> str:
        return "\n".join(str(row.content) for row in self.excerpts_list.rows)

    def show(self, dossier: Dossier, record: AnyRecord | None) -> None:
        self.record_id = record.id if record else None
        rows: list[Row] = []
        items: list[Excerpt | None] = []
        quotes, mentions = render.excerpts_for(dossier, record.id) if record else ([], [])

        def add(content: Content, item: Excerpt | None) -> None:
            chosen = item is not None
            rows.append(Row(content, selectable=chosen, divider=chosen))
            items.append(item)

        add(
            Content.assemble(("Cited quotes", render.HEADING), (f" ({len(quotes)})", render.MUTED)),
            None,
        )
        for excerpt in quotes:
            add(render.excerpt_row(dossier, excerpt), excerpt)
        if not quotes:
            add(Content.styled("no quotes cited", render.MUTED), None)
        if mentions:
            add(
                Content.assemble(
                    ("Also mentioned in", render.HEADING), (f" ({len(mentions)})", render.MUTED)
                ),
                None,
            )
            for excerpt in mentions:
                add(render.excerpt_row(dossier, excerpt), excerpt)
        self._items = items
        excerpts_list = self.excerpts_list
        excerpts_list.set_rows(rows)
        excerpts_list.set_highlight_quietly(excerpts_list.first_selectable(), scroll=False)
        set_pane_title(
            self,
            f"4 Excerpts · {_count(len(quotes), 'quote')} · {_count(len(mentions), 'mention')}",
        )

    def excerpt_at(self, index: int | None) -> Excerpt | None:
        if index is None or not 0 <= index < len(self._items):
            return None
        return self._items[index]

    def on_row_list_row_highlighted(self, event: RowList.RowHighlighted) -> None:
        event.stop()

    def on_row_list_row_selected(self, event: RowList.RowSelected) -> None:
        event.stop()
        excerpt = self.excerpt_at(event.index)
        if excerpt is not None:
            self.post_message(OpenExcerpt(excerpt))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
