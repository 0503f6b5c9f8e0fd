"""The four linked panes. Data is pushed down by the app; panes post messages up.

Panes never decide what is selected: they report a highlight (`Highlighted`),
a followed link (`Follow`), an excerpt to open (`OpenExcerpt`) or a request to
move on (`Activate`), and the app answers by calling `show_*` methods here.
Programmatic highlight changes are made "quietly" (without posting), so the
app never hears back about changes it made itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import Reactive
from textual.strip import Strip
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from partnership_tui.model.records import AnyRecord, Event

from . import render
from .render import Excerpt

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from partnership_tui.model.dossier import Dossier

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


class EntityList(NavList):
    """Records grouped by kind; printable keys that are not commands start the filter."""

    pane_name = "entities"
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


class EntitiesPane(Vertical):
    """Pane 1: every company, person, product, deal, tension, claim and source, by kind."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = Content("1 Entities")
        self._records: dict[str, tuple[AnyRecord, ...]] = {}
        self._rows: dict[str, Content] = {}
        self._needle = ""

    def compose(self) -> ComposeResult:
        yield FilterInput(
            placeholder="type to filter", compact=True, select_on_focus=False, id="entity-filter"
        )
        yield EntityList(id="entities-list", markup=False)

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
        self._records = {kind: dossier.by_kind(kind) for kind in render.LIST_KINDS}  # type: ignore[arg-type]
        self._rows = {
            record.id: render.entity_row(record)
            for records in self._records.values()
            for record in records
        }
        self._rebuild()

    def _rebuild(self) -> None:
        needle = self._needle
        options: list[Option] = []
        shown_total = 0
        for kind, records in self._records.items():
            if not records:
                continue
            matching = [r for r in records if render.matches_filter(r, needle)]
            if needle and not matching:
                continue
            options.append(
                Option(render.group_header(kind, len(matching), len(records)), disabled=True)
            )
            options.extend(Option(self._rows[r.id], id=r.id) for r in matching)
            shown_total += len(matching)
        if not shown_total:
            message = "no matches" if needle else "no records"
            options.append(Option(Content.styled(message, render.MUTED), disabled=True))
        self.entity_list.set_options(options)
        total = sum(len(r) for r in self._records.values())
        title = f"1 Entities · {shown_total} of {total}" if needle else f"1 Entities · {total}"
        self.border_title = Content(title)

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
        first = entity_list.first_enabled()
        entity_list.set_highlight_quietly(first)
        return self.highlighted_id

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(Highlighted(event.option_id, "entities"))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(Activate("entities", event.option_id))

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
        try:
            return self.entity_list.get_option_index(record_id)
        except Exception:
            return None

    @property
    def highlighted_id(self) -> str | None:
        option = self.entity_list.highlighted_option
        return option.id if option is not None else None

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


class DetailList(NavList):
    """Lines of a record; only links can be highlighted. Arrows scroll past plain text."""

    pane_name = "detail"
    follow_on_click = True
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Follow link")]

    def _next_link(self, direction: int) -> int | None:
        options = self.options
        start = self.highlighted
        if start is None:
            start = -1 if direction > 0 else len(options)
        index = start + direction
        while 0 <= index < len(options):
            if not options[index].disabled:
                return index
            index += direction
        return None

    def _line_of(self, index: int) -> int:
        self._update_lines()
        return self._index_to_line.get(index, 0)

    def action_cursor_down(self) -> None:
        if not self._region_ok():
            return
        target = self._next_link(1)
        top = round(self.scroll_y)
        bottom = top + self.scrollable_content_region.height
        if target is not None and self._line_of(target) < top:
            # The highlight scrolled off the top: pick the first link on screen.
            target = next(
                (
                    i
                    for i in range(target, self.option_count)
                    if not self.options[i].disabled and self._line_of(i) >= top
                ),
                None,
            )
        if target is not None and self._line_of(target) < bottom:
            self.highlighted = target
        elif self.scroll_y < self.max_scroll_y:
            self.scroll_relative(y=1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        if not self._region_ok():
            return
        target = self._next_link(-1)
        top = round(self.scroll_y)
        if target is not None and self._line_of(target) >= top:
            self.highlighted = target
        elif self.scroll_y > 0:
            self.scroll_relative(y=-1, animate=False, immediate=True)
        elif target is not None:
            self.highlighted = target

    def action_first(self) -> None:
        self.scroll_home(animate=False, immediate=True)
        first = self.first_enabled()
        if first is not None:
            self.highlighted = first

    def action_last(self) -> None:
        self.scroll_end(animate=False, immediate=True)
        for index in range(self.option_count - 1, -1, -1):
            if not self.options[index].disabled:
                self.highlighted = index
                break


class DetailPane(Vertical):
    """Pane 2: the selected record, every relation a link."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = Content("2 Detail")
        self._targets: list[str | None] = []
        self.record_id: str | None = None

    def compose(self) -> ComposeResult:
        yield DetailList(id="detail-list", markup=False)

    @property
    def detail_list(self) -> DetailList:
        return self.query_one(DetailList)

    @property
    def links(self) -> list[str]:
        return [t for t in self._targets if t is not None]

    @property
    def plain_text(self) -> str:
        """What the pane shows, as plain text (for tests and copy)."""
        return "\n".join(str(o.prompt) for o in self.detail_list.options)

    def show(self, dossier: Dossier, record: AnyRecord | None) -> None:
        detail_list = self.detail_list
        self.record_id = record.id if record else None
        if record is None:
            self._targets = [None]
            detail_list.set_options(
                [Option(Content.styled("nothing selected", render.MUTED), disabled=True)]
            )
            return
        lines = render.detail_lines(dossier, record)
        self._targets = [target for _, target in lines]
        detail_list.set_options(
            Option(content, disabled=target is None) for content, target in lines
        )
        detail_list.set_highlight_quietly(detail_list.first_enabled())
        detail_list.scroll_home(animate=False, immediate=True)
        self.border_title = Content(f"2 Detail · {record.kind}")

    def target_at(self, index: int) -> str | None:
        return self._targets[index] if 0 <= index < len(self._targets) else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        target = self.target_at(event.option_index)
        if target is not None:
            self.post_message(Follow(target, "detail"))


# --- Timeline ---------------------------------------------------------------------


MARK = "● "


class TimelineList(NavList):
    """Every event in date order, with a gutter marking the selection's events."""

    pane_name = "timeline"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Detail")]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"timeline--mark"}

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.marked: frozenset[str] = frozenset()

    def _get_left_gutter_width(self) -> int:
        return len(MARK)

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        if not self._region_ok():
            return line
        try:
            index, offset = self._lines[round(self.scroll_y) + y]
            option = self.options[index]
        except (IndexError, KeyError):
            return Strip([Segment(" " * len(MARK)), *line])
        first = next(iter(line), None)
        base = first.style if first is not None and first.style else RichStyle()
        meta = RichStyle(meta={"option": index})
        if offset == 0 and option.id in self.marked:
            mark_style = base + self.get_component_rich_style("timeline--mark", partial=True) + meta
            gutter = Segment(MARK, mark_style)
        else:
            gutter = Segment(" " * len(MARK), base + meta)
        return Strip([gutter, *line])


class TimelinePane(Vertical):
    """Pane 3: the timeline; marks the events of the entity in context, or shows only those."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = Content("3 Timeline")
        self._events: tuple[Event, ...] = ()
        self._rows: dict[str, Content] = {}
        self._marked_order: tuple[str, ...] = ()
        self.narrowed = False
        self._built_narrowed: bool | None = None
        self._built_marks: tuple[str, ...] | None = None

    def compose(self) -> ComposeResult:
        yield TimelineList(id="timeline-list", markup=False)

    @property
    def timeline_list(self) -> TimelineList:
        return self.query_one(TimelineList)

    @property
    def marked(self) -> frozenset[str]:
        return self.timeline_list.marked

    @property
    def shown_ids(self) -> list[str]:
        return [o.id for o in self.timeline_list.options if o.id is not None]

    def load(self, dossier: Dossier) -> None:
        self._events = dossier.timeline
        self._rows = {
            event.id: render.timeline_row(event, dossier.reported_by(event.id))
            for event in self._events
        }
        self._build()

    def _build(self) -> None:
        timeline_list = self.timeline_list
        highlighted = timeline_list.highlighted_option
        keep = highlighted.id if highlighted is not None else None
        if self.narrowed:
            ids = [i for i in self._marked_order if i in self._rows]
            options = [Option(self._rows[i], id=i) for i in ids]
            if not options:
                options = [
                    Option(
                        Content.styled("no events for this selection", render.MUTED), disabled=True
                    )
                ]
        else:
            options = [Option(self._rows[e.id], id=e.id) for e in self._events]
            if not options:
                options = [
                    Option(Content.styled("no events in this dossier", render.MUTED), disabled=True)
                ]
        timeline_list.set_options(options)
        self._built_narrowed = self.narrowed
        self._built_marks = self._marked_order if self.narrowed else None
        if keep is not None:
            self.show_selected(keep)
        self._update_title()

    def _update_title(self) -> None:
        total = len(self._events)
        marked = len(self._marked_order)
        if self.narrowed:
            title = f"3 Timeline · {marked} marked of {total}, only marked"
        elif marked:
            title = f"3 Timeline · {marked} marked of {total}"
        else:
            title = f"3 Timeline · {total} events"
        self.border_title = Content(title)

    def set_marks(self, event_ids: Sequence[str], narrowed: bool) -> None:
        """Mark the context's events; rebuild only when the narrowed list itself changes."""
        self._marked_order = tuple(event_ids)
        self.timeline_list.marked = frozenset(event_ids)
        self.narrowed = narrowed
        if narrowed != self._built_narrowed or (
            narrowed and self._built_marks != self._marked_order
        ):
            self._build()
        else:
            self.timeline_list.refresh()
            self._update_title()

    def reveal_marked(self) -> None:
        """Scroll (without moving the highlight) so the first marked event is in view."""
        timeline_list = self.timeline_list
        if not self._marked_order or not timeline_list._region_ok():
            return
        try:
            index = timeline_list.get_option_index(self._marked_order[0])
        except Exception:
            return
        timeline_list._update_lines()
        line = timeline_list._index_to_line.get(index)
        if line is None:
            return
        height = timeline_list.scrollable_content_region.height
        top = round(timeline_list.scroll_y)
        last_index = (
            timeline_list.get_option_index(self._marked_order[-1])
            if len(self._marked_order) > 1
            else index
        )
        last_line = timeline_list._index_to_line.get(last_index, line)
        if top <= line and last_line < top + height:
            return
        timeline_list.scroll_to_region(
            Region(0, line, 1, 1), animate=False, center=True, force=True, immediate=True
        )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        if event.option_id is not None:
            self.post_message(Highlighted(event.option_id, "timeline"))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(Activate("timeline", event.option_id))

    def show_selected(self, event_id: str) -> bool:
        try:
            index = self.timeline_list.get_option_index(event_id)
        except Exception:
            return False
        self.timeline_list.set_highlight_quietly(index)
        return True


# --- Excerpts ---------------------------------------------------------------------


class ExcerptsList(NavList):
    pane_name = "excerpts"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Open source")]


class ExcerptsPane(Vertical):
    """Pane 4: the quotes behind the selection, then other sentences that name it."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = Content("4 Excerpts")
        self._items: list[Excerpt | None] = []
        self.record_id: str | None = None

    def compose(self) -> ComposeResult:
        yield ExcerptsList(id="excerpts-list", markup=False)

    @property
    def excerpts_list(self) -> ExcerptsList:
        return self.query_one(ExcerptsList)

    @property
    def items(self) -> list[Excerpt]:
        return [i for i in self._items if i is not None]

    @property
    def highlighted_excerpt(self) -> Excerpt | None:
        index = self.excerpts_list.highlighted
        if index is None or not 0 <= index < len(self._items):
            return None
        return self._items[index]

    @property
    def plain_text(self) -> str:
        return "\n".join(str(o.prompt) for o in self.excerpts_list.options)

    def show(self, dossier: Dossier, record: AnyRecord | None) -> None:
        self.record_id = record.id if record else None
        options: list[Option] = []
        items: list[Excerpt | None] = []
        quotes, mentions = render.excerpts_for(dossier, record.id) if record else ([], [])

        def add(content: Content, item: Excerpt | None) -> None:
            options.append(Option(content, disabled=item is None))
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
        excerpts_list.set_options(_spaced(options))
        excerpts_list.set_highlight_quietly(excerpts_list.first_enabled())
        excerpts_list.scroll_home(animate=False, immediate=True)
        self.border_title = Content(
            f"4 Excerpts · {_count(len(quotes), 'quote')} · {_count(len(mentions), 'mention')}"
        )

    def excerpt_at(self, index: int) -> Excerpt | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        excerpt = self.excerpt_at(event.option_index)
        if excerpt is not None:
            self.post_message(OpenExcerpt(excerpt))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _spaced(options: Iterable[Option]) -> list[Option | None]:
    """Options with a separator after each excerpt, so multi-line rows stay apart.

    A `None` marks the previous option as followed by a divider; it adds no
    option, so indexes still line up with the pane's items.
    """
    out: list[Option | None] = []
    for option in options:
        out.append(option)
        if not option.disabled:
            out.append(None)
    return out
