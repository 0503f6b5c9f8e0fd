"""What gets indexed: source texts cut into passages, records into weighted columns, dates."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..build.dates import PartialDate
from ..build.records import (
    KINDS,
    AnyRecord,
    Claim,
    Company,
    Deal,
    Event,
    Person,
    Source,
    Tension,
)
from ..dossier.dossier import Dossier
from .query import Query
from .results import Span

PASSAGE_CHARS = 1000  # sentences of one paragraph are grouped up to this many characters
COLUMN_OF_FIELD = {"name": 0, "title": 0, "alias": 1, "amount": 2, "summary": 3}
# Put between two texts of one column so that no phrase runs from one into the next.
# A private-use character: folding turns it into a space in any user query, so no
# query token can ever equal it.
GAP = " \ue000 "


def passages_of(text: str, sentences: Sequence[Span]) -> Iterator[Span]:
    """Sentences of one paragraph grouped up to PASSAGE_CHARS; over-long ones cut at spaces."""
    start = end = -1
    for s, e in sentences:
        if start >= 0 and (e - start > PASSAGE_CHARS or text.find("\n", end, s) != -1):
            yield from _cut(text, start, end)
            start = -1
        if start < 0:
            start = s
        end = e
    if start >= 0:
        yield from _cut(text, start, end)


def _cut(text: str, start: int, end: int) -> Iterator[Span]:
    """A span no longer than 2 * PASSAGE_CHARS, cut at white space where possible."""
    while end - start > 2 * PASSAGE_CHARS:
        cut = text.rfind(" ", start + PASSAGE_CHARS // 2, start + PASSAGE_CHARS)
        if cut == -1:
            cut = start + PASSAGE_CHARS
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def record_fields(record: AnyRecord) -> list[tuple[str, str]]:
    """(field, text) of everything worth finding in a record, most telling first."""
    fields: list[tuple[str, str]] = [
        ("title" if isinstance(record, Source) else "name", record.name)
    ]
    fields.extend(("alias", alias) for alias in record.aliases)
    amounts = []
    if isinstance(record, Deal | Event) and record.amount is not None:
        amounts.append(record.amount.text)
    if isinstance(record, Claim):
        amounts.extend(side.amount.text for side in record.sides if side.amount is not None)
    fields.extend(("amount", text) for text in amounts)
    fields.append(("summary", record.summary))
    if isinstance(record, Person):
        fields.extend(("role", role.title) for role in record.roles)
    elif isinstance(record, Company):
        fields.extend(("fact", f"{fact.label}: {fact.value}") for fact in record.facts)
    elif isinstance(record, Deal):
        fields.extend(("term", term.text) for term in record.terms)
    elif isinstance(record, Tension):
        fields.append(("category", record.category))
    elif isinstance(record, Claim):
        fields.extend(("says", side.says) for side in record.sides)
    elif isinstance(record, Source):
        fields.extend(
            (name, value)
            for name, value in (("publisher", record.publisher), ("url", record.url))
            if value
        )
    return [(name, text) for name, text in fields if text and text.strip()]


def _day(key: tuple[int, ...]) -> int:
    return key[0] * 10_000 + key[1] * 100 + key[2]


def date_keys(date: PartialDate | None) -> tuple[int, int] | None:
    """(earliest, latest) possible day as yyyymmdd integers, or None when undated."""
    if date is None:
        return None
    return _day(date.sort_key), _day(date.latest_key)


def in_dates(keys: tuple[int, int] | None, query: Query) -> bool:
    """after:D keeps what is certainly on or after D begins; before:D what certainly ends before."""
    if query.after is None and query.before is None:
        return True
    if keys is None:
        return False
    if query.after is not None and keys[0] < _day(query.after.sort_key):
        return False
    return not (query.before is not None and keys[1] >= _day(query.before.sort_key))


def all_records(dossier: Dossier) -> Iterator[AnyRecord]:
    for kind in KINDS:
        yield from dossier.each_of_kind(kind)
