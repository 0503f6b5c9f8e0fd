"""What a search answers: hits on records and passages, with snippets to show."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..build.records import (
    Kind,
)
from .query import Query

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Snippet:
    """A short stretch of text around a match, plain, with the matched spans in it.

    `text` has line breaks, tabs and control characters replaced one for one, and
    a leading/trailing "…" where it was cut. `highlights` are (start, end) offsets
    into `text`. Never markup: a renderer styles the spans itself.
    """

    text: str
    highlights: tuple[Span, ...]

    def segments(self) -> Iterator[tuple[str, bool]]:
        """(piece, is_match) in order, for renderers that style matches."""
        pos = 0
        for start, end in self.highlights:
            if start > pos:
                yield self.text[pos:start], False
            yield self.text[start:end], True
            pos = end
        if pos < len(self.text):
            yield self.text[pos:], False


@dataclass(frozen=True, slots=True)
class RecordHit:
    """A record whose words match; `field` is where the snippet comes from.

    field is one of: name, title (of a source), alias, amount, summary, role,
    term, fact, says, category, publisher, url, note.
    """

    record_id: str
    kind: Kind
    field: str
    snippet: Snippet
    score: float  # bm25 weighted by name coverage; higher is better, within one list only


@dataclass(frozen=True, slots=True)
class PassageHit:
    """A passage of a source text that matches.

    `start`/`end` delimit the passage in `source.text`; `highlights` are the
    (start, end) offsets of every matched word in `source.text` itself, so
    `source.text[start:end]` folds to the word searched for.
    """

    source_id: str
    start: int
    end: int
    snippet: Snippet
    highlights: tuple[Span, ...]
    score: float


@dataclass(frozen=True, slots=True)
class SearchResults:
    """Ranked hits, best first. Totals count every match, not only those returned."""

    query: Query
    records: tuple[RecordHit, ...]
    passages: tuple[PassageHit, ...]
    total_records: int
    total_passages: int
    hint: str | None = None  # how the query was read, when that differs from how it looks

    @property
    def total(self) -> int:
        return self.total_records + self.total_passages

    def __bool__(self) -> bool:
        return self.total > 0
