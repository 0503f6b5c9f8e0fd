"""What is selected and where the user has been: plain classes, no Textual.

The app keeps one `State`; panes never hold the truth, they are told what to
show. A place in history is a snapshot of everything needed to come back to
it: the record, the pane that had focus, the filter, the timeline's context
and narrowing, or a source with the reader's position and cursors.
Keeping this free of widgets makes history testable without a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PANES: tuple[str, ...] = ("entities", "detail", "timeline", "excerpts")


@dataclass(frozen=True, slots=True)
class RecordPlace:
    """A record selected in the main screen, with the pane, filter and timeline around it."""

    record_id: str
    pane: str = "entities"
    filter: str = ""
    context: str | None = None  # whose events the timeline marks
    narrowed: bool = False

    def same_as(self, other: Place | None) -> bool:
        """The same record seen through the same filter (the pane and marks may differ)."""
        return (
            isinstance(other, RecordPlace)
            and other.record_id == self.record_id
            and other.filter == self.filter
        )


@dataclass(frozen=True, slots=True)
class SourcePlace:
    """A source open in the reader at an offset, with the spans it highlights."""

    source_id: str
    start: int | None = None
    end: int | None = None
    highlights: tuple[tuple[int, int], ...] = ()
    top: int | None = None  # text offset at the top of the reader, once it was shown
    cursor: int | None = None  # the mention cursor
    match: int | None = None  # the current search match

    def same_as(self, other: Place | None) -> bool:
        return (
            isinstance(other, SourcePlace)
            and other.source_id == self.source_id
            and other.start == self.start
            and other.end == self.end
        )


Place = RecordPlace | SourcePlace


class History:
    """Back/forward through visited places, like a browser (after frogmouth's History).

    Visiting a place drops everything ahead of the cursor. Visiting the place
    already current only refreshes it (so repeated selections do not pile up).
    """

    def __init__(self, limit: int = 1000) -> None:
        self._places: list[Place] = []
        self._index = -1
        self._limit = max(2, limit)

    def __len__(self) -> int:
        return len(self._places)

    @property
    def places(self) -> tuple[Place, ...]:
        return tuple(self._places)

    @property
    def index(self) -> int:
        return self._index

    @property
    def current(self) -> Place | None:
        return self._places[self._index] if self._index >= 0 else None

    @property
    def can_back(self) -> bool:
        return self._index > 0

    @property
    def can_forward(self) -> bool:
        return 0 <= self._index < len(self._places) - 1

    def visit(self, place: Place, *, replace: bool = False) -> None:
        """Record `place` as the newest; `replace` overwrites the current entry instead."""
        current = self.current
        if current is not None and (replace or place.same_as(current)):
            self._places[self._index] = place
            del self._places[self._index + 1 :]
            return
        del self._places[self._index + 1 :]
        self._places.append(place)
        if len(self._places) > self._limit:
            del self._places[0]
        self._index = len(self._places) - 1

    def update_current(self, place: Place) -> None:
        """Amend the current entry without moving (what changed since it was visited:
        the pane, the filter, the reader's scroll), so back and forward return to it."""
        if self._index >= 0:
            self._places[self._index] = place

    def record_before_current(self) -> RecordPlace | None:
        """The nearest record place behind the cursor: what the main screen shows under a reader."""
        for place in reversed(self._places[: max(0, self._index)]):
            if isinstance(place, RecordPlace):
                return place
        return None

    def back_to_record(self) -> RecordPlace | None:
        """Step back past source places to the record under them (escape from the reader)."""
        while self._index > 0 and isinstance(self.current, SourcePlace):
            self._index -= 1
        current = self.current
        return current if isinstance(current, RecordPlace) else None

    def back(self) -> Place | None:
        if not self.can_back:
            return None
        self._index -= 1
        return self._places[self._index]

    def forward(self) -> Place | None:
        if not self.can_forward:
            return None
        self._index += 1
        return self._places[self._index]


@dataclass(slots=True)
class State:
    """The one source of truth for what the main screen shows.

    `selected` is the record shown in Detail and Excerpts. `context` is the
    non-event record whose events the Timeline marks (`marks`, in date order):
    highlighting an event selects it but keeps the marks of the entity you were
    looking at. `narrowed` shows only those marks. `pane` has focus; `filter`
    is the Entities filter as typed.
    """

    selected: str | None = None
    context: str | None = None
    marks: tuple[str, ...] = ()
    narrowed: bool = False
    pane: str = "entities"
    filter: str = ""
    history: History = field(default_factory=History)

    def place(self) -> RecordPlace | None:
        """The main screen as it is now, as a place to come back to."""
        if self.selected is None:
            return None
        return RecordPlace(self.selected, self.pane, self.filter, self.context, self.narrowed)
