"""SourceView: a whole article, rendered line by line, with mentions, quote and matches.

`SourceView` is a Line API widget (a `ScrollView` with `render_line`, like
toolong's log view): it wraps the text into (start, end) offsets once per
width and renders only the lines on screen, so a 1 MB source with no line
breaks opens and scrolls as fast as a short one. Styling is by offset ranges
(quote, highlights, mentions), never by markup: the text is data.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from partnership_tui.model.build.text import sanitize_same_length
from partnership_tui.tui.widgets.cells import Span, wrap_offsets


def _merge(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(s for s in spans if s[1] > s[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class SourceView(ScrollView, can_focus=True):
    """A source text rendered line by line, with a cursor that walks the mentions."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "source-view--mention",
        "source-view--cursor",
        "source-view--quote",
        "source-view--highlight",
        "source-view--gap",
        "source-view--gap-current",
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "scroll_lines(1)", "Down", show=False),
        Binding("up,k", "scroll_lines(-1)", "Up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("pageup,b", "page(-1)", "Page up", show=False),
        Binding("home,g", "top", "Top", show=False),
        Binding("end,G", "bottom", "Bottom", show=False),
        Binding("tab,right_square_bracket", "mention(1)", "Next mention", key_display="tab"),
        Binding(
            "shift+tab,left_square_bracket",
            "mention(-1)",
            "Prev mention",
            key_display="⇧tab",
            show=False,  # room in the footer for the reader's m and y
        ),
        Binding("enter", "follow", "Open mention"),
        Binding("n", "match(1)", "Next match"),
        Binding("N", "match(-1)", "Prev match", show=False),
    ]

    class CursorMoved(Message):
        """The mention cursor moved (the screen's status line follows it)."""

    class FollowMention(Message):
        def __init__(self, record_id: str) -> None:
            super().__init__()
            self.record_id = record_id

    def __init__(
        self,
        text: str,
        mentions: Sequence[tuple[int, int, str]] = (),
        quote: Span | None = None,
        highlights: Sequence[Span] = (),
        *,
        top: int | None = None,
        cursor: int | None = None,
        match: int | None = None,
        **kwargs: object,
    ) -> None:
        """`top` (a text offset shown on the first line), `cursor` and `match` restore a
        position the reader had before (history); otherwise it opens at the quote."""
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.text = sanitize_same_length(text)
        self.mentions = sorted((s, e, r) for s, e, r in mentions if 0 <= s < e <= len(text))
        self._mention_ends = [e for _, e, _ in self.mentions]
        self.quote = quote if quote and quote[1] > quote[0] else None
        self.highlights = _merge(highlights)
        self._highlight_ends = [e for _, e in self.highlights]
        self.cursor: int | None = (
            cursor if cursor is not None and 0 <= cursor < len(self.mentions) else None
        )
        # The current search match: the one opened, or the one n/N last went to.
        self.match: int | None = None
        if match is not None and 0 <= match < len(self.highlights):
            self.match = match
        elif self.quote is not None and self.quote in self.highlights:
            self.match = self.highlights.index(self.quote)
        if self.match is not None:
            self.quote = self.highlights[self.match]
        self.lines: list[Span] = []
        self._line_starts: list[int] = []
        self._wrap_width = -1
        self._pending_offset: int | None = quote[0] if quote else None
        self._pending_top: int | None = top
        self._cache: LRUCache[tuple[int, int | None], Strip] = LRUCache(1024)
        self._styles: tuple[RichStyle, RichStyle, RichStyle, RichStyle] | None = None
        self._gap_styles: tuple[RichStyle, RichStyle] | None = None
        #: Sentences marked as gaps (uncited, carrying facts), in text order; `gap` is the
        #: one last jumped to. Empty when gaps are not marked.
        self.gaps: list[Span] = []
        self._gap_ends: list[int] = []
        self.gap: int | None = None

    # --- wrapping and scrolling ----------------------------------------------------

    def _content_width(self) -> int:
        return self.scrollable_content_region.width

    def _rewrap(self) -> None:
        width = self._content_width()
        if width <= 0 or width == self._wrap_width:
            return
        top_offset = self.offset_at_line(round(self.scroll_y)) if self.lines else None
        self._wrap_width = width
        self.lines = wrap_offsets(self.text, width)
        self._line_starts = [s for s, _ in self.lines]
        self._cache.clear()
        self.virtual_size = Size(width, len(self.lines))
        if self._pending_top is not None:
            top, self._pending_top, self._pending_offset = self._pending_top, None, None
            self.scroll_to(y=self.line_of(top), animate=False, force=True, immediate=True)
        elif self._pending_offset is not None:
            offset, self._pending_offset = self._pending_offset, None
            self.scroll_to_offset(offset)
        elif top_offset is not None:
            self.scroll_to(y=self.line_of(top_offset), animate=False, force=True, immediate=True)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._rewrap()

    def on_mount(self) -> None:
        self.call_after_refresh(self._rewrap)

    def line_of(self, offset: int) -> int:
        """The display line holding a text offset."""
        if not self._line_starts:
            return 0
        return max(0, bisect_right(self._line_starts, offset) - 1)

    def style_at(self, offset: int) -> RichStyle:
        """The style the character at a text offset is drawn with (what a user sees)."""
        line = self.line_of(offset)
        position = self.lines[line][0] if self.lines else 0
        for segment in self._segments(line, self.rich_style):
            position += len(segment.text)
            if offset < position:
                return segment.style or RichStyle()
        return self.rich_style

    def offset_at_line(self, line: int) -> int:
        if not self.lines:
            return 0
        return self.lines[max(0, min(line, len(self.lines) - 1))][0]

    @property
    def top_offset(self) -> int:
        """The text offset on the first line shown (before the first wrap: where it will be)."""
        if not self.lines:
            if self._pending_top is not None:
                return self._pending_top
            return self._pending_offset or 0
        return self.offset_at_line(round(self.scroll_y))

    def open_at(self, offset: int) -> None:
        """Open scrolled to `offset` (once the text is wrapped, or now if it is)."""
        if self.lines:
            self.scroll_to_offset(offset)
        elif self._pending_top is None and self._pending_offset is None:
            self._pending_offset = offset

    def scroll_to_offset(self, offset: int) -> None:
        """Scroll so `offset` sits a third of the way down (or note it for after wrapping)."""
        if not self.lines:
            self._pending_offset = offset
            return
        height = max(1, self.scrollable_content_region.height)
        y = max(0, self.line_of(offset) - height // 3)
        self.scroll_to(y=y, animate=False, force=True, immediate=True)

    def action_scroll_lines(self, count: int) -> None:
        self.scroll_to(y=self.scroll_y + count, animate=False, immediate=True)

    def action_page(self, direction: int) -> None:
        height = max(1, self.scrollable_content_region.height - 1)
        self.scroll_to(y=self.scroll_y + direction * height, animate=False, immediate=True)

    def action_top(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_bottom(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    # --- mentions ------------------------------------------------------------------

    def action_mention(self, direction: int) -> None:
        """Move the cursor to the next/previous mention; start from the top of the view."""
        if not self.mentions:
            self.notify("No records are mentioned in this source.", markup=False)
            return
        if self.cursor is None:
            top = self.top_offset
            if self.quote is not None and self._offset_visible(self.quote[0]):
                top = self.quote[0]  # start with the names in the quote you opened
            if direction > 0:
                index = bisect_left([s for s, _, _ in self.mentions], top)
                index = min(index, len(self.mentions) - 1)
            else:
                bottom_line = round(self.scroll_y) + self.scrollable_content_region.height
                bottom = self.offset_at_line(bottom_line)
                index = max(0, bisect_left([s for s, _, _ in self.mentions], bottom) - 1)
        else:
            index = (self.cursor + direction) % len(self.mentions)
        self.set_cursor(index)

    def _offset_visible(self, offset: int) -> bool:
        line = self.line_of(offset)
        top = round(self.scroll_y)
        return top <= line < top + max(1, self.scrollable_content_region.height)

    def set_cursor(self, index: int | None) -> None:
        self.cursor = index
        self._cache.clear()
        self.refresh()
        if index is not None:
            start = self.mentions[index][0]
            line = self.line_of(start)
            top = round(self.scroll_y)
            height = max(1, self.scrollable_content_region.height)
            if not top <= line < top + height:
                self.scroll_to_offset(start)
        self.post_message(self.CursorMoved())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # No matches to walk: hide n/N from the footer.
        return bool(self.highlights) or action != "match"

    def action_match(self, direction: int) -> None:
        """Scroll to the next/previous highlighted span (search matches), wrapping round."""
        if not self.highlights:
            return
        if self.match is None:
            anchor = self.quote[0] if self.quote else self.top_offset
            starts = [s for s, _ in self.highlights]
            if direction > 0:
                index = bisect_right(starts, anchor) if self.quote else bisect_left(starts, anchor)
                index %= len(self.highlights)
            else:
                index = (bisect_left(starts, anchor) - 1) % len(self.highlights)
        else:
            index = (self.match + direction) % len(self.highlights)
        self.match = index
        start, end = self.highlights[index]
        self.quote = (start, end)  # the current match is drawn like the opened quote
        self._cache.clear()
        self.refresh()
        if not self._offset_visible(start):
            self.scroll_to_offset(start)
        self.post_message(self.CursorMoved())

    def find(self, needle: str) -> int:
        """Mark every case-insensitive occurrence of `needle` (the reader's `/`), and go to
        the first one at or after the top of the view; returns how many there are."""
        text = self.text.casefold()
        needle = needle.casefold()
        spans: list[Span] = []
        if needle.strip():
            position = text.find(needle)
            while position >= 0:
                spans.append((position, position + len(needle)))
                position = text.find(needle, position + len(needle))
        # casefold can change lengths (ß -> ss); such rare texts keep their offsets approximate
        self.highlights = _merge(s for s in spans if s[1] <= len(self.text))
        self._highlight_ends = [e for _, e in self.highlights]
        self.match = None
        self.quote = None
        self._cache.clear()
        self.refresh()
        if self.highlights:
            self.action_match(1)
        else:
            self.post_message(self.CursorMoved())
        return len(self.highlights)

    # --- gaps ----------------------------------------------------------------------

    def set_gaps(self, spans: Sequence[Span], current: int | None = None) -> None:
        """Mark these sentences as gaps (none: no marks); `current` is the one to show as
        the gap you are on (its index in `spans`, kept within range)."""
        self.gaps = sorted(s for s in spans if 0 <= s[0] < s[1] <= len(self.text))
        self._gap_ends = [end for _, end in self.gaps]
        self.gap = current if current is not None and 0 <= current < len(self.gaps) else None
        self._cache.clear()
        self.refresh()

    def go_gap(self, direction: int) -> int | None:
        """Move to the next/previous gap (from the top of the view when on none), wrapping
        round, and scroll it into view; its index, or None if there are no gaps."""
        if not self.gaps:
            return None
        if self.gap is None:
            starts = [s for s, _ in self.gaps]
            anchor = self.top_offset
            if direction > 0:
                index = bisect_left(starts, anchor) % len(self.gaps)
            else:
                index = (bisect_left(starts, anchor) - 1) % len(self.gaps)
        else:
            index = (self.gap + direction) % len(self.gaps)
        self.gap = index
        self._cache.clear()
        self.refresh()
        start = self.gaps[index][0]
        if not self._offset_visible(start):
            self.scroll_to_offset(start)
        self.post_message(self.CursorMoved())
        return index

    @property
    def cursor_record(self) -> str | None:
        return self.mentions[self.cursor][2] if self.cursor is not None else None

    def action_follow(self) -> None:
        record_id = self.cursor_record
        if record_id is None:
            self.notify("Press tab to pick a mention, then enter.", markup=False)
            return
        self.post_message(self.FollowMention(record_id))

    def on_click(self, event: events.Click) -> None:
        index = event.style.meta.get("mention")
        if isinstance(index, int) and 0 <= index < len(self.mentions):
            self.set_cursor(index)
            self.post_message(self.FollowMention(self.mentions[index][2]))

    # --- rendering -----------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if width <= 0:
            return Strip.blank(0)
        index = round(self.scroll_y) + y
        if not 0 <= index < len(self.lines):
            return Strip.blank(width, base)
        key = (index, width)
        strip = self._cache.get(key)
        if strip is None:
            strip = Strip(self._segments(index, base)).crop_extend(0, width, base)
            self._cache[key] = strip
        return strip

    def notify_style_update(self) -> None:
        self._styles = None
        self._gap_styles = None
        self._cache.clear()
        super().notify_style_update()

    def _piece_styles(self) -> tuple[RichStyle, RichStyle, RichStyle, RichStyle]:
        """Mention, cursor, quote and highlight styles, translucent backgrounds blended in.

        Partial component styles keep a color's alpha, which terminals cannot show (a
        25% tint would come out at full strength), so blend over the view's background.
        """
        if self._styles is None:
            _, background = self.background_colors
            styles = []
            for name in (
                "source-view--mention",
                "source-view--cursor",
                "source-view--quote",
                "source-view--highlight",
            ):
                component = self.get_component_styles(name)
                style = component.partial_rich_style
                if component.has_rule("background"):
                    style += RichStyle(bgcolor=(background + component.background).rich_color)
                styles.append(style)
            self._styles = (styles[0], styles[1], styles[2], styles[3])
        return self._styles

    def _gap_piece_styles(self) -> tuple[RichStyle, RichStyle]:
        """The gap and current-gap styles, backgrounds blended as in `_piece_styles`."""
        if self._gap_styles is None:
            _, background = self.background_colors
            styles = []
            for name in ("source-view--gap", "source-view--gap-current"):
                component = self.get_component_styles(name)
                style = component.partial_rich_style
                if component.has_rule("background"):
                    style += RichStyle(bgcolor=(background + component.background).rich_color)
                styles.append(style)
            self._gap_styles = (styles[0], styles[1])
        return self._gap_styles

    def _gap_pieces(self, start: int, end: int) -> list[tuple[int, int, RichStyle]]:
        """The gaps touching [start, end), clipped to it, each with its style."""
        gap_style, current_gap_style = self._gap_piece_styles()
        pieces = []
        first = bisect_right(self._gap_ends, start)
        for number, (g_start, g_end) in enumerate(self.gaps[first:], first):
            if g_start >= end:
                break
            style = current_gap_style if number == self.gap else gap_style
            pieces.append((max(start, g_start), min(end, g_end), style))
        return pieces

    def _segments(self, index: int, base: RichStyle) -> list[Segment]:
        start, end = self.lines[index]
        if start >= end:
            return []
        text = self.text
        mention_style, cursor_style, quote_style, mark_style = self._piece_styles()

        # (start, end, style, meta) pieces that touch this line, clipped to it.
        # Later pieces win: the quote (the current match) after the other matches, so that
        # it does not look like them.
        pieces: list[tuple[int, int, RichStyle]] = []
        first = bisect_right(self._highlight_ends, start)
        for h_start, h_end in self.highlights[first:]:
            if h_start >= end:
                break
            pieces.append((max(start, h_start), min(end, h_end), mark_style))
        if self.quote and self.quote[0] < end and start < self.quote[1]:
            pieces.append((max(start, self.quote[0]), min(end, self.quote[1]), quote_style))
        first = bisect_right(self._mention_ends, start)
        for number, (m_start, m_end, _record) in enumerate(self.mentions[first:], first):
            if m_start >= end:
                break
            style = mention_style + RichStyle(meta={"mention": number})
            if number == self.cursor:
                style = style + cursor_style
            pieces.append((max(start, m_start), min(end, m_end), style))

        if self.gaps:  # first: the quote, matches and mentions are drawn over a gap
            pieces[:0] = self._gap_pieces(start, end)
        cuts = sorted({start, end, *(p[0] for p in pieces), *(p[1] for p in pieces)})
        segments: list[Segment] = []
        for left, right in pairwise(cuts):
            style = base
            for p_start, p_end, p_style in pieces:
                if p_start <= left and right <= p_end:
                    style = style + p_style
            segments.append(Segment(text[left:right], style))
        return segments


__all__ = ["SourceView"]
