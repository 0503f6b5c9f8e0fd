"""The source reader: a whole article, scrolled to a quote, with every mention linked.

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
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Static

from partnership_tui.model.build.records import Source
from partnership_tui.model.build.text import one_line, sanitize_same_length

from . import render
from .cells import Span, wrap_offsets
from .footer import QuietFooter
from .messages import SelectRecord

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from partnership_tui.model.dossier.dossier import Dossier


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
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "scroll_lines(1)", "Down", show=False),
        Binding("up,k", "scroll_lines(-1)", "Up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("pageup,b", "page(-1)", "Page up", show=False),
        Binding("home,g", "top", "Top", show=False),
        Binding("end,G", "bottom", "Bottom", show=False),
        Binding("tab,right_square_bracket", "mention(1)", "Next mention", key_display="tab"),
        Binding("shift+tab,left_square_bracket", "mention(-1)", "Prev mention", key_display="⇧tab"),
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
        **kwargs: object,
    ) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.text = sanitize_same_length(text)
        self.mentions = sorted((s, e, r) for s, e, r in mentions if 0 <= s < e <= len(text))
        self._mention_ends = [e for _, e, _ in self.mentions]
        self.quote = quote if quote and quote[1] > quote[0] else None
        self.highlights = _merge(highlights)
        self._highlight_ends = [e for _, e in self.highlights]
        self.cursor: int | None = None
        self.match: int | None = None  # the highlight (search match) n/N last went to
        self.lines: list[Span] = []
        self._line_starts: list[int] = []
        self._wrap_width = -1
        self._pending_offset: int | None = quote[0] if quote else None
        self._cache: LRUCache[tuple[int, int | None], Strip] = LRUCache(1024)
        self._styles: tuple[RichStyle, RichStyle, RichStyle, RichStyle] | None = None

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
        if self._pending_offset is not None:
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

    def offset_at_line(self, line: int) -> int:
        if not self.lines:
            return 0
        return self.lines[max(0, min(line, len(self.lines) - 1))][0]

    @property
    def top_offset(self) -> int:
        return self.offset_at_line(round(self.scroll_y))

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

    def _segments(self, index: int, base: RichStyle) -> list[Segment]:
        start, end = self.lines[index]
        if start >= end:
            return []
        text = self.text
        mention_style, cursor_style, quote_style, mark_style = self._piece_styles()

        # (start, end, style, meta) pieces that touch this line, clipped to it.
        pieces: list[tuple[int, int, RichStyle]] = []
        if self.quote and self.quote[0] < end and start < self.quote[1]:
            pieces.append((max(start, self.quote[0]), min(end, self.quote[1]), quote_style))
        first = bisect_right(self._highlight_ends, start)
        for h_start, h_end in self.highlights[first:]:
            if h_start >= end:
                break
            pieces.append((max(start, h_start), min(end, h_end), mark_style))
        first = bisect_right(self._mention_ends, start)
        for number, (m_start, m_end, _record) in enumerate(self.mentions[first:], first):
            if m_start >= end:
                break
            style = mention_style + RichStyle(meta={"mention": number})
            if number == self.cursor:
                style = style + cursor_style
            pieces.append((max(start, m_start), min(end, m_end), style))

        cuts = sorted({start, end, *(p[0] for p in pieces), *(p[1] for p in pieces)})
        segments: list[Segment] = []
        for left, right in pairwise(cuts):
            style = base
            for p_start, p_end, p_style in pieces:
                if p_start <= left and right <= p_end:
                    style = style + p_style
            segments.append(Segment(text[left:right], style))
        return segments


class ReaderScreen(Screen[None]):
    """A whole source, opened at a quote; escape returns exactly where you were."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close"),
    ]

    def __init__(
        self,
        dossier: Dossier,
        source: Source,
        start: int | None = None,
        end: int | None = None,
        highlights: Sequence[Span] = (),
    ) -> None:
        super().__init__()
        self.dossier = dossier
        self.source = source
        self.start = start
        self.end = end
        self.highlights = tuple(highlights)

    def compose(self) -> ComposeResult:
        source = self.source
        details = [
            p
            for p in (
                one_line(source.publisher or ""),
                source.published.display() if source.published else "",
            )
            if p
        ]
        title = Content.assemble(
            ("Source: ", "bold"),
            (one_line(source.name) or source.id, "bold $text-accent"),
            ("  " + " · ".join(details), render.MUTED) if details else "",
        )
        yield Static(title, id="reader-title", markup=False)
        mentions = [(m.start, m.end, m.record) for m in self.dossier.mentions_in(source.id)]
        quote = (self.start, self.end) if self.start is not None and self.end is not None else None
        if quote is None and self.start is not None:
            quote = None
        yield SourceView(source.text, mentions, quote, self.highlights, id="source-view")
        yield Static("", id="reader-status", markup=False)
        yield QuietFooter()

    @property
    def view(self) -> SourceView:
        return self.query_one(SourceView)

    def on_mount(self) -> None:
        view = self.view
        if self.start is not None and view._pending_offset is None:
            view._pending_offset = self.start
        view.focus()
        self._update_status()

    def on_source_view_cursor_moved(self, _: SourceView.CursorMoved) -> None:
        self._update_status()

    def on_source_view_follow_mention(self, event: SourceView.FollowMention) -> None:
        event.stop()
        self.post_message(SelectRecord(event.record_id, pane=None))

    def _update_status(self) -> None:
        view = self.view
        status = self.query_one("#reader-status", Static)
        total = len(view.mentions)
        if view.match is not None:
            content = Content.assemble(
                (f"Match {view.match + 1} of {len(view.highlights)}", "bold"),
                ("  · n next · N previous · tab walks mentions", render.MUTED),
            )
        elif view.cursor is None:
            content = Content.assemble(
                (f"{total} mentions of records", render.MUTED),
                (" · tab/shift+tab walk them · enter opens one · escape returns", render.MUTED),
            )
        else:
            record = self.dossier.get(view.mentions[view.cursor][2])
            name = one_line(record.name) if record else view.mentions[view.cursor][2]
            kind = record.kind if record else ""
            content = Content.assemble(
                (f"Mention {view.cursor + 1} of {total}: ", render.MUTED),
                (name, "bold $text-accent"),
                (f"  {kind}", render.MUTED),
                ("  · enter opens it", render.MUTED),
            )
        status.update(content, layout=False)

    def action_close(self) -> None:
        app = self.app
        close = getattr(app, "close_reader", None)
        if callable(close):
            close(self)
        elif app.screen is self:
            self.dismiss()
