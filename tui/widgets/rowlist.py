"""RowList: a keyboard list that renders only the lines on screen, from cached strips.

Textual's OptionList measures every option up front and repaints the whole
widget on each highlight move; with four linked panes that was most of a
key press. A RowList:

- takes any `Sequence[Row]`, so a 100,000-event timeline can build its rows
  on demand (`LazyRows`) instead of all at start-up;
- renders a row once per width and style, and afterwards just copies strips;
- repaints only the two lines a highlight move changes;
- in `WRAP` mode (small lists: Detail, Excerpts) wraps rows to the width,
  otherwise shows one line per row (CSS `text-overflow` decides the cut).

Highlighting never posts a message when the app itself moves it
(`set_highlight_quietly`); a user move posts `RowHighlighted`, enter or a
double click posts `RowSelected`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import ClassVar, NamedTuple

from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.timer import Timer

from partnership_tui.tui.compat import QuietScrollView
from partnership_tui.tui.widgets.cells import StripMaker, line_count


class Row(NamedTuple):
    """One entry of a list: what it shows, what it stands for, and whether it can be chosen."""

    content: Content
    key: str | None = None
    selectable: bool = False
    divider: bool = False  # a thin rule after the row (keeps multi-line rows apart)


class LazyRows(Sequence[Row]):
    """Rows made on first sight by `make(index)`, so long lists cost nothing until shown.

    A wrapping list must know every row's height up front; `shape(index)` (the row's
    plain text and whether it has a divider) lets it lay out rows it has not made.
    """

    def __init__(
        self,
        count: int,
        make: Callable[[int], Row],
        shape: Callable[[int], tuple[str, bool]] | None = None,
    ) -> None:
        self._count = count
        self._make = make
        self._shape = shape
        self._made: dict[int, Row] = {}

    def shape(self, index: int) -> tuple[str, bool]:
        """(plain text, divider) of a row, without making it if `shape` was given."""
        row = self._made.get(index)
        if row is None and self._shape is not None:
            return self._shape(index)
        row = self[index]
        return row.content.plain, row.divider

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: int) -> Row:  # type: ignore[override]
        if not -self._count <= index < self._count:
            raise IndexError(index)
        index %= self._count
        row = self._made.get(index)
        if row is None:
            row = self._made[index] = self._make(index)
        return row


# (row index, line within the row); line -1 is the row's divider.
LinePlace = tuple[int, int]


class RowList(QuietScrollView, can_focus=True):
    """A list of rows with a highlight, rendered line by line."""

    DEFAULT_CSS = """
    RowList {
        background: $surface;
        color: $foreground;
        overflow-x: hidden;
        & > .row-list--highlight {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .row-list--highlight {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
        & > .row-list--divider {
            color: $foreground 15%;
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-list--row",
        "row-list--highlight",
        "row-list--divider",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "Top", show=False),
        Binding("G", "last", "Bottom", show=False),
    ]

    #: Wrap rows to the width (small lists), or one line per row (any length).
    WRAP: ClassVar[bool] = False
    #: A single click also selects (as a double click always does).
    SELECT_ON_CLICK: ClassVar[bool] = False
    #: User moves are answered by the app, which updates other panes (see move_highlight).
    LINKED: ClassVar[bool] = False

    class _RowMessage(Message):
        def __init__(self, row_list: RowList, index: int, key: str | None) -> None:
            super().__init__()
            self.row_list = row_list
            self.index = index
            self.key = key

        @property
        def control(self) -> RowList:
            return self.row_list

    class RowHighlighted(_RowMessage):
        """The user moved the highlight onto a selectable row."""

    class RowSelected(_RowMessage):
        """Enter or a (double) click on a selectable row."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: Sequence[Row] = ()
        self._keys: Mapping[str, int] | None = None
        self._highlighted: int | None = None
        self._stale: set[int] | None = None  # rows a deferred user move has yet to repaint
        self._flush_timer: Timer | None = None
        self._width = 0
        self._style: VisualStyle | None = None
        self._strips: dict[tuple[int, bool], list[Strip]] = {}
        self._maker = StripMaker(self)
        # get_visual_style walks the ancestors for its cache key (~40 us); asked for every
        # line of every repaint, that was a fifth of a move's frame. Kept per focus state
        # until Textual says the styles changed (notify_style_update).
        self._visuals: dict[tuple[bool, tuple[str, ...]], VisualStyle] = {}
        # WRAP mode only: every line of every row, and where each row starts.
        self._lines: list[LinePlace] = []
        self._row_start: list[int] = []

    # --- data -----------------------------------------------------------------------

    @property
    def rows(self) -> Sequence[Row]:
        return self._rows

    @property
    def row_count(self) -> int:
        return len(self._rows)

    def set_rows(
        self, rows: Sequence[Row], keys: Mapping[str, int] | None = None, *, home: bool = True
    ) -> None:
        """Show new rows; `keys` (key -> index) saves a scan on long lists.

        The highlight is cleared; `home` scrolls back to the top.
        """
        shown = self._shown_lines()
        self._rows = rows
        self._keys = keys
        self._highlighted = None
        self._stale = None
        self._strips.clear()
        self._relayout()
        if home:
            self.scroll_to(y=0, animate=False, immediate=True)
        self._refresh_changed(shown)

    def _shown_lines(self) -> tuple[int, int, list[Strip | None]] | None:
        """(first line, width, each visible line's strip) as painted now, from the strips
        already made (None for a line whose row has none); None if that cannot be told."""
        if not self.is_mounted or self.gutter_width() or self._stale:
            return None  # (a deferred move is not painted yet: the screen differs)
        region = self.scrollable_content_region
        if region.width <= 0 or region.height <= 0 or self._width != self._content_width():
            return None
        top = round(self.scroll_y)
        lines = [
            self._line_strip(top + y, region.width, made_only=True) for y in range(region.height)
        ]
        return top, region.width, lines

    def _refresh_changed(self, shown: tuple[int, int, list[Strip | None]] | None) -> None:
        """Repaint only the visible lines that new rows change (all if the view moved).

        Linked panes get new rows on every move; the lines they share with the last
        record (headings, labels, the blank below) need no repaint. A line never
        repainted keeps what Textual drew for it, which is what it would draw again.
        """
        if shown is None:
            self.refresh()
            return
        top, width, before = shown
        if (
            round(self.scroll_y) != top
            or self.scrollable_content_region.width != width
            or self._width != self._content_width()
        ):
            self.refresh()
            return
        changed = [
            y
            for y, old in enumerate(before)
            if old is None or self._line_strip(top + y, width) != old
        ]
        while changed:
            first = changed[0]
            count = 1
            while count < len(changed) and changed[count] == first + count:
                count += 1
            self.refresh_lines(top + first, count)
            del changed[:count]

    def index_of(self, key: str) -> int | None:
        if self._keys is None:
            self._keys = {row.key: i for i, row in enumerate(self._rows) if row.key is not None}
        return self._keys.get(key)

    def first_selectable(self) -> int | None:
        return self._next_selectable(-1, 1)

    def _next_selectable(self, start: int, step: int) -> int | None:
        rows = self._rows
        index = start + step
        while 0 <= index < len(rows):
            if rows[index].selectable:
                return index
            index += step
        return None

    # --- highlight --------------------------------------------------------------------

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @property
    def highlighted_row(self) -> Row | None:
        index = self._highlighted
        return self._rows[index] if index is not None else None

    @property
    def highlighted_key(self) -> str | None:
        row = self.highlighted_row
        return row.key if row is not None else None

    def set_highlight_quietly(self, index: int | None, *, scroll: bool = True) -> None:
        """Move the highlight without posting RowHighlighted (the app made this change).

        Also completes a deferred user move (see `LINKED`): its repaint happens now,
        in the same frame as the panes the app updated for it.
        """
        rows = self._rows
        if index is not None and not (0 <= index < len(rows) and rows[index].selectable):
            index = None
        previous = self._highlighted
        stale = self._stale or set()
        self._stale = None
        if self._flush_timer is not None:
            self._flush_timer.stop()
            self._flush_timer = None
        if index == previous and not stale:
            return
        self._highlighted = index
        for row in (stale | {previous, index}) - {None}:
            self._refresh_row(row)  # type: ignore[arg-type]
        if index is not None and scroll:
            self.scroll_to_row(index)

    def move_highlight(self, index: int | None) -> None:
        """A user move: highlight, scroll into view, and tell the parent.

        In a `LINKED` list the repaint waits for the app's answer (it calls
        `set_highlight_quietly`), so the move and the panes it updates reach the
        screen in one frame rather than two; if no answer comes it happens anyway.
        """
        rows = self._rows
        if index is None or index == self._highlighted or not 0 <= index < len(rows):
            return
        if not rows[index].selectable:
            return
        if self.LINKED:
            previous = self._highlighted
            self._stale = (self._stale or set()) | {previous, index} - {None}  # type: ignore[operator]
            self._highlighted = index
            if self._flush_timer is None:
                self._flush_timer = self.set_timer(0.05, self._flush_stale)
        else:
            self.set_highlight_quietly(index)
        self.post_message(self.RowHighlighted(self, index, rows[index].key))

    def _flush_stale(self) -> None:
        self._flush_timer = None
        if self._stale is not None:
            self.set_highlight_quietly(self._highlighted)

    # --- geometry ---------------------------------------------------------------------

    def _content_width(self) -> int:
        return max(0, self.scrollable_content_region.width - self.gutter_width())

    def gutter_width(self) -> int:
        """Cells left of each row that `render_gutter` fills (none by default)."""
        return 0

    def _relayout(self) -> None:
        """Recompute line positions for the current width (wrapping needs the strips)."""
        width = self._content_width()
        self._width = width
        self._lines = []
        self._row_start = []
        if self.WRAP and width > 0:
            lines = self._lines
            rows = self._rows
            for index in range(len(rows)):
                self._row_start.append(len(lines))
                # Counting wrapped lines is cheap; strips are made only for rows shown
                # (and lazy rows only then, when they can tell their text without).
                if isinstance(rows, LazyRows):
                    plain, divider = rows.shape(index)
                else:
                    plain, divider = rows[index].content.plain, rows[index].divider
                height = line_count(plain, width)
                lines.extend((index, offset) for offset in range(height))
                if divider and index < len(rows) - 1:
                    lines.append((index, -1))
            total = len(lines)
        elif self.WRAP:
            total = 0
        else:
            total = len(self._rows)
        # Set quietly: whoever changed the rows or the width repaints anyway.
        self.set_virtual_size_quietly(Size(width, total))

    def row_lines(self, index: int) -> tuple[int, int]:
        """(first line, height) of a row in the list's own coordinates."""
        if not self.WRAP:
            return index, 1
        if self._width != self._content_width():
            self._relayout()
        if not 0 <= index < len(self._row_start):
            return 0, 0
        start = self._row_start[index]
        end = self._row_start[index + 1] if index + 1 < len(self._row_start) else len(self._lines)
        while end > start and self._lines[end - 1][1] == -1:
            end -= 1
        return start, max(1, end - start)

    def row_at_line(self, line: int) -> int | None:
        if not self.WRAP:
            return line if 0 <= line < len(self._rows) else None
        if 0 <= line < len(self._lines):
            return self._lines[line][0]
        return None

    def scroll_to_row(self, index: int, *, center: bool = False) -> None:
        if not self.is_mounted or self.scrollable_content_region.height <= 0:
            return
        top, height = self.row_lines(index)
        self.scroll_to_region(
            Region(0, top, 1, height), animate=False, force=True, immediate=True, center=center
        )

    def _refresh_row(self, index: int) -> None:
        top, height = self.row_lines(index)
        if height:
            self.refresh_lines(top, height)

    def content_width_changed(self) -> None:
        # Re-wrap while the screen is being laid out (see compat.QuietScrollView), so
        # the frame that follows renders the new width at once instead of scheduling another.
        previous = self._width
        if self._content_width() != previous:
            self._strips.clear()
            self._relayout()
            # Keep the highlight in view when the rows re-wrap, and when a linked list
            # first gets a size (it may have been told its row while hidden). A first
            # size never scrolls Detail or Excerpts away from their top.
            if self._highlighted is not None and (previous or self.LINKED):
                self.scroll_to_row(self._highlighted)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._visuals.clear()
        self._strips.clear()
        self._maker.forget()
        self._style = None

    # --- rendering ----------------------------------------------------------------------

    def visual_style(self, *component_classes: str) -> VisualStyle:
        """`get_visual_style` for these component classes, kept until the styles change."""
        key = (self.has_focus, component_classes)
        style = self._visuals.get(key)
        if style is None:
            style = self._visuals[key] = self.get_visual_style(*component_classes)
        return style

    def _base_style(self) -> VisualStyle:
        style = self.visual_style("row-list--row")
        if style is not self._style:
            # Focus, theme or CSS changed: every cached strip has the old colours.
            self._style = style
            self._strips.clear()
            self._maker.forget()
        return style

    def _row_strips(self, index: int, highlighted: bool) -> list[Strip]:
        base = self._base_style()
        key = (index, highlighted)
        strips = self._strips.get(key)
        if strips is None:
            style = (
                self.visual_style("row-list--row", "row-list--highlight") if highlighted else base
            )
            width = self._width or self._content_width()
            strips = self._maker.render(self._rows[index].content, width, style, self.WRAP)
            self._strips[key] = strips
        return strips

    def _frame_geometry(self) -> tuple[int, int]:
        """(visible width, first line shown), re-wrapping first if the width changed."""
        width = self.scrollable_content_region.width
        if width > 0 and self._width != max(0, width - self.gutter_width()):
            self._strips.clear()
            self._relayout()
        return width, round(self.scroll_y)

    def render_lines(self, crop: Region) -> list[Strip]:
        # The geometry once per repaint, not per line: `scrollable_content_region` walks
        # the styles, and asked twice a line it was a tenth of a move's repaint.
        self._frame = self._frame_geometry()
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    _frame: tuple[int, int] | None = None

    def render_line(self, y: int) -> Strip:
        width, top = self._frame or self._frame_geometry()
        if width <= 0:
            return Strip.blank(0)
        strip = self._line_strip(top + y, width)
        return Strip.blank(width) if strip is None else strip

    def _line_strip(self, line: int, width: int, *, made_only: bool = False) -> Strip | None:
        """What list line `line` shows, `width` cells; with `made_only`, None unless its
        row's strips are made already."""
        if self.WRAP:
            if not 0 <= line < len(self._lines):
                return Strip.blank(width, self._base_style().rich_style)
            index, offset = self._lines[line]
        else:
            if not 0 <= line < len(self._rows):
                return Strip.blank(width, self._base_style().rich_style)
            index, offset = line, 0
        if offset == -1:
            style = self.visual_style("row-list--divider")
            strip = Strip([Segment("─" * self._width, style.rich_style)], self._width)
            highlighted = False
        else:
            highlighted = index == self._highlighted
            if made_only and (index, highlighted) not in self._strips:
                return None
            strips = self._row_strips(index, highlighted)
            strip = strips[offset] if offset < len(strips) else Strip.blank(self._width)
        gutter = self.render_gutter(index, offset, highlighted)
        if gutter is not None:
            return Strip([gutter, *strip], width)
        return strip

    def render_gutter(self, index: int, offset: int, highlighted: bool) -> Segment | None:
        """The cells left of a line (`gutter_width` wide); None for no gutter."""
        return None

    # --- keys and mouse -----------------------------------------------------------------

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor_down(self) -> None:
        start = self._highlighted if self._highlighted is not None else -1
        self.move_highlight(self._next_selectable(start, 1))

    def action_cursor_up(self) -> None:
        start = self._highlighted if self._highlighted is not None else len(self._rows)
        self.move_highlight(self._next_selectable(start, -1))

    def action_first(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)
        self.move_highlight(self._next_selectable(-1, 1))

    def action_last(self) -> None:
        self.scroll_end(animate=False, immediate=True)
        self.move_highlight(self._next_selectable(len(self._rows), -1))

    def _page_target(self, direction: int) -> int | None:
        rows = len(self._rows)
        if not rows:
            return None
        current = self._highlighted if self._highlighted is not None else 0
        if self.WRAP:
            top, _ = self.row_lines(current)
            line = min(max(0, top + direction * self._page()), max(0, len(self._lines) - 1))
            target = self.row_at_line(line) or 0
        else:
            target = min(max(0, current + direction * self._page()), rows - 1)
        # Land on a selectable row, looking onwards first, then back.
        if self._rows[target].selectable:
            return target
        found = self._next_selectable(target, direction)
        return found if found is not None else self._next_selectable(target, -direction)

    def action_page_down(self) -> None:
        self.move_highlight(self._page_target(1))

    def action_page_up(self) -> None:
        self.move_highlight(self._page_target(-1))

    def action_select(self) -> None:
        index = self._highlighted
        if index is not None and self._rows[index].selectable:
            self.post_message(self.RowSelected(self, index, self._rows[index].key))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        event.stop()
        event.prevent_default()  # the rows are ours to click; no markup actions here
        index = self.row_at_line(round(self.scroll_y) + offset.y)
        if index is None or not self._rows[index].selectable:
            return
        if index == self._highlighted:
            # Re-clicking the highlighted row re-announces it (another pane may have moved on).
            self.post_message(self.RowHighlighted(self, index, self._rows[index].key))
        else:
            self.move_highlight(index)
        if event.chain >= 2 or self.SELECT_ON_CLICK:
            self.action_select()


__all__ = ["LazyRows", "Row", "RowList"]
