"""Messages any screen may post to the app to navigate (the reader does; search will).

A widget posts one of these and it bubbles up to the app, which answers with
`App.select_record()` / `App.open_source()`. Screens pushed later (search)
need nothing else from the app to take part in linking and history.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.message import Message


class SelectRecord(Message):
    """Select a record everywhere (returns to the main screen), and record it in history."""

    def __init__(self, record_id: str, pane: str | None = None) -> None:
        super().__init__()
        self.record_id = record_id
        self.pane = pane


class OpenSource(Message):
    """Open a source in the reader, scrolled to [start, end) with extra highlighted spans."""

    def __init__(
        self,
        source_id: str,
        start: int | None = None,
        end: int | None = None,
        highlights: Sequence[tuple[int, int]] = (),
    ) -> None:
        super().__init__()
        self.source_id = source_id
        self.start = start
        self.end = end
        self.highlights = tuple(highlights)
