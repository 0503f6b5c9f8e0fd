"""Every message a pane or screen sends up to the app. The app is the only one that answers.

Widgets never call the app or read its attributes: they post one of these and
the app, which owns `State`, decides and pushes what to show back down.
Messages bubble from the widget through its screen to the app.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from partnership_tui.tui.render import Excerpt


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


class Activate(Message):
    """Enter on an entity or event: select it (if another pane moved on) and go to its Detail."""

    def __init__(self, pane: str, record_id: str | None = None) -> None:
        super().__init__()
        self.pane = pane
        self.record_id = record_id


class OpenExcerpt(Message):
    """The user opened an excerpt: show its source in the reader."""

    def __init__(self, excerpt: Excerpt) -> None:
        super().__init__()
        self.excerpt = excerpt


class FilterChanged(Message):
    """The Entities filter text changed (typed, pasted or cleared)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class PaneFocused(Message):
    """A pane of the main screen took focus (by key, click or the app)."""

    def __init__(self, pane: str) -> None:
        super().__init__()
        self.pane = pane


class ToggleNarrow(Message):
    """`*`: the timeline shows only the context's events, or all of them again."""


class MainReady(Message):
    """The main screen's panes exist: the dossier can be shown."""


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


class ReaderClosed(Message):
    """Escape in the reader: back to what was under it."""


class CopyText(Message):
    """Put text on the clipboard (only ever on the user's request), and say what was copied."""

    def __init__(self, text: str, what: str) -> None:
        super().__init__()
        self.text = text
        self.what = what


class PasteToFilter(Message):
    """A paste where no text box has the cursor (the overview): it starts the Entities filter."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
