"""Cell-aware text wrapping and a fast Content-to-Strip renderer for line widgets.

Textual turns a `Content` into strips through its general machinery (about a
millisecond for a wrapped excerpt); a list that re-renders dozens of rows per
key press cannot afford that. `StripMaker` wraps the plain text itself and
asks Textual only once per distinct style what that style looks like, so the
result is the same colours at a fraction of the cost. Text stays data: it is
cut into segments, never parsed.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.content import Content
from textual.content import Span as ContentSpan
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.visual import Visual

if TYPE_CHECKING:
    from textual.widget import Widget

Span = tuple[int, int]


def wrap_offsets(text: str, width: int) -> list[Span]:
    """Break `text` into display lines of at most `width` cells, at spaces where possible.

    Returns (start, end) offsets; line breaks are not part of any line. Linear
    in the text, one slice per line: no per-character Python loop for ASCII.
    """
    width = max(1, width)
    lines: list[Span] = []
    ascii_only = text.isascii()
    position = 0
    length = len(text)
    while True:
        newline = text.find("\n", position)
        paragraph_end = length if newline == -1 else newline
        _wrap_paragraph(text, position, paragraph_end, width, ascii_only, lines)
        if newline == -1:
            break
        position = newline + 1
    return lines


def _fit(text: str, start: int, end: int, width: int, ascii_only: bool) -> int:
    """The largest cut such that text[start:cut] fits in `width` cells (at least one char)."""
    if ascii_only:
        return min(end, start + width)
    high = min(end, start + width)
    if cell_len(text[start:high]) <= width:
        # Zero-width characters may let more fit; take them too.
        while high < end and cell_len(text[start : high + 1]) <= width:
            high += 1
            if high - start > 4 * width:
                break
        return high
    low = start + 1
    while low < high:
        middle = (low + high + 1) // 2
        if cell_len(text[start:middle]) <= width:
            low = middle
        else:
            high = middle - 1
    return max(low, start + 1)


def _wrap_paragraph(
    text: str, start: int, end: int, width: int, ascii_only: bool, lines: list[Span]
) -> None:
    if start >= end:
        lines.append((start, start))
        return
    while start < end:
        cut = _fit(text, start, end, width, ascii_only)
        if cut >= end:
            lines.append((start, end))
            return
        space = text.rfind(" ", start + 1, cut + 1)
        if space > start:
            lines.append((start, space))
            start = space + 1
        else:
            lines.append((start, cut))
            start = cut


def line_count(text: str, width: int) -> int:
    """How many lines `StripMaker.render` makes of `text` when wrapping to `width`."""
    return max(1, len(wrap_offsets(text, max(1, width))))


class StripMaker:
    """Renders Content rows for one widget; forget() when its styles change."""

    def __init__(self, widget: Widget) -> None:
        self.widget = widget
        self._styles: dict[tuple[VisualStyle, tuple[VisualStyle | str, ...]], RichStyle] = {}

    def forget(self) -> None:
        self._styles.clear()

    def _style(self, base: VisualStyle, layers: tuple[VisualStyle | str, ...]) -> RichStyle:
        key = (base, layers)
        found = self._styles.get(key)
        if found is None:
            # Let Textual resolve the style (theme variables, base colours) on a
            # one-cell sample carrying the same stacked spans.
            sample = Content("x", [ContentSpan(0, 1, layer) for layer in layers])
            strips = Visual.to_strips(self.widget, sample, 1, 1, base)
            segments = list(strips[0]) if strips else []
            found = next((seg.style for seg in segments if seg.text), None) or RichStyle()
            self._styles[key] = found
        return found

    def render(self, content: Content, width: int, base: VisualStyle, wrap: bool) -> list[Strip]:
        """Strips of exactly `width` cells: wrapped at spaces, or one line cut with an ellipsis."""
        width = max(1, width)
        text = content.plain
        spans: Sequence[ContentSpan] = content.spans
        fill = self._style(base, ())
        if wrap:
            lines = wrap_offsets(text, width)
        else:
            newline = text.find("\n")
            lines = [(0, len(text) if newline == -1 else newline)]
        strips: list[Strip] = []
        for start, end in lines:
            ellipsis = False
            if not wrap and cell_len(text[start:end]) > width:
                end = _fit(text, start, end, width - 1, text.isascii()) if width > 1 else start
                ellipsis = True
            segments = self._segments(text, spans, start, end, base)
            if ellipsis:
                last = segments[-1].style if segments else fill
                segments.append(Segment("…", last))
            strips.append(Strip(segments).extend_cell_length(width, fill).crop(0, width))
        return strips or [Strip.blank(width, fill)]

    def _segments(
        self, text: str, spans: Sequence[ContentSpan], start: int, end: int, base: VisualStyle
    ) -> list[Segment]:
        if start >= end:
            return []
        if not spans:
            return [Segment(text[start:end], self._style(base, ()))]
        cuts = {start, end}
        for span in spans:
            if start < span.start < end:
                cuts.add(span.start)
            if start < span.end < end:
                cuts.add(span.end)
        segments = []
        for left, right in pairwise(sorted(cuts)):
            layers = tuple(s.style for s in spans if s.start <= left and s.end >= right)
            segments.append(Segment(text[left:right], self._style(base, layers)))
        return segments
