"""The loaded dossier: immutable records plus the indexes every pane asks of them.

Everything is computed once at load time so that each question a pane asks
(who is involved, which events, which quotes, which mentions) is a dictionary
look-up, whatever the size of the dossier.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .mentions import MentionMatcher
from .records import (
    KINDS,
    AnyRecord,
    Citation,
    Claim,
    Company,
    Deal,
    Event,
    Kind,
    Mention,
    Person,
    Product,
    Record,
    Source,
    Tension,
    record_date,
)

_UNDATED = (10_000, 1, 1, 9)


class Dossier:
    def __init__(
        self, records: Iterable[AnyRecord], title: str = "", description: str = ""
    ) -> None:
        self.title = title
        self.description = description
        self._records: dict[str, AnyRecord] = {}
        # Where a record stands in its file: events on the same date keep the author's order.
        self._order: dict[str, int] = {}
        by_kind: dict[Kind, list[AnyRecord]] = {kind: [] for kind in KINDS}
        for position, record in enumerate(records):
            self._records[record.id] = record
            self._order[record.id] = position
            by_kind[record.kind].append(record)
        self._by_kind = {
            kind: tuple(sorted(items, key=lambda r: (r.name.casefold(), r.id)))
            for kind, items in by_kind.items()
        }
        self._by_kind["event"] = tuple(sorted(by_kind["event"], key=self.timeline_key))
        self._involving = self._index_involvement()
        self._mentions_by_record, self._mentions_by_source = self._index_mentions()
        self._citations_by_source = self._index_citations()

    def timeline_key(
        self, record: Record
    ) -> tuple[tuple[int, int, int, int], tuple[int, int, int, int], int]:
        """Earliest possible day, coarser first; then the order the author wrote them in.

        Undated records come last; among them, those a dated source reports come
        first, by that bound, so "reported by Oct 2024" items stay together.
        """
        date = record_date(record)
        if date is not None:
            return (date.sort_key, _UNDATED, self._order.get(record.id, 0))
        reported = self.reported_by(record.id)
        bound = reported.published.sort_key if reported and reported.published else _UNDATED
        return (_UNDATED, bound, self._order.get(record.id, 0))

    # --- look-ups -------------------------------------------------------------

    def get(self, record_id: str) -> AnyRecord | None:
        return self._records.get(record_id)

    def __getitem__(self, record_id: str) -> AnyRecord:
        return self._records[record_id]

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._records

    def __len__(self) -> int:
        return len(self._records)

    def by_kind(self, kind: Kind) -> tuple[AnyRecord, ...]:
        """Records of one kind: events in timeline order, the rest by name."""
        return self._by_kind[kind]

    def ids(self, kind: Kind) -> tuple[str, ...]:
        """Ids of one kind in `by_kind` order, without building the records (for long lists)."""
        return tuple(record.id for record in self._by_kind[kind])

    @property
    def timeline_ids(self) -> tuple[str, ...]:
        """Event ids in timeline order, without building the records."""
        return self.ids("event")

    @property
    def sources(self) -> tuple[Source, ...]:
        return self._by_kind["source"]  # type: ignore[return-value]

    @property
    def timeline(self) -> tuple[Event, ...]:
        """Every event, earliest first; undated events last."""
        return self._by_kind["event"]  # type: ignore[return-value]

    def involving(self, record_id: str) -> tuple[AnyRecord, ...]:
        """Records that name this one: deals, tensions, events, claims, people, products...

        Both directions count: a deal involves its parties, and a party is
        involved in the deal.
        """
        return tuple(self._records[i] for i in self._involving.get(record_id, ()))

    def events_of(self, record_id: str) -> tuple[Event, ...]:
        """The record's events in date order (for an event: itself and its related events)."""
        ids = set(self._involving.get(record_id, ()))
        record = self._records.get(record_id)
        if isinstance(record, Event):
            ids.add(record_id)
        events = [self._records[i] for i in ids if self._records[i].kind == "event"]
        return tuple(sorted(events, key=self.timeline_key))  # type: ignore[arg-type]

    def citations_of(self, record_id: str) -> tuple[Citation, ...]:
        record = self._records.get(record_id)
        return record.all_citations() if record else ()

    def mentions_of(self, record_id: str) -> tuple[Mention, ...]:
        """Every place a record's names occur, in source then text order."""
        return self._mentions_by_record.get(record_id, ())

    def mentions_in(self, source_id: str) -> tuple[Mention, ...]:
        """Every entity mention in one source, in text order."""
        return self._mentions_by_source.get(source_id, ())

    def citations_in(self, source_id: str) -> tuple[tuple[str, Citation], ...]:
        """(record id, citation) for every quote taken from one source, in text order."""
        return self._citations_by_source.get(source_id, ())

    def reported_by(self, record_id: str) -> Source | None:
        """The earliest dated source that cites the record: for an undated fact, a true bound.

        An undated event is not given a date; but if a source published on
        2024-10-30 reports it, it happened by then, and saying so is faithful.
        """
        dated = {
            source.id: source
            for citation in self.citations_of(record_id)
            if isinstance(source := self._records.get(citation.source), Source)
            and source.published is not None
        }
        return min(dated.values(), key=lambda s: s.published.sort_key, default=None)  # type: ignore[union-attr]

    def names(self, record: AnyRecord) -> tuple[str, ...]:
        """A record's name followed by its aliases."""
        return (record.name, *record.aliases)

    # --- index building ---------------------------------------------------------

    def _index_involvement(self) -> dict[str, tuple[str, ...]]:
        links: dict[str, dict[str, None]] = defaultdict(dict)

        def link(a: str, b: str) -> None:
            if a != b:
                links[a][b] = None
                links[b][a] = None

        for record in self._records.values():
            for target in _references(record):
                link(record.id, target)
        return {
            key: tuple(sorted(value, key=lambda i: (KINDS.index(self._records[i].kind), i)))
            for key, value in links.items()
        }

    def _index_mentions(
        self,
    ) -> tuple[dict[str, tuple[Mention, ...]], dict[str, tuple[Mention, ...]]]:
        names: list[tuple[str, str, bool]] = []
        for record in self._records.values():
            if isinstance(record, Company | Person | Product):
                for name in (record.name, *record.aliases):
                    names.append((record.id, name, record.match_case))
            elif isinstance(record, Deal):
                names.extend((record.id, alias, False) for alias in record.aliases)
        matcher = MentionMatcher(names)
        by_record: dict[str, list[Mention]] = defaultdict(list)
        by_source: dict[str, tuple[Mention, ...]] = {}
        for source in self.sources:
            found = matcher.find(source.id, source.text, source.sentences)
            by_source[source.id] = tuple(found)
            for mention in found:
                by_record[mention.record].append(mention)
        return {k: tuple(v) for k, v in by_record.items()}, by_source

    def _index_citations(self) -> dict[str, tuple[tuple[str, Citation], ...]]:
        by_source: dict[str, list[tuple[str, Citation]]] = defaultdict(list)
        for record in self._records.values():
            for citation in record.all_citations():
                by_source[citation.source].append((record.id, citation))
        return {
            k: tuple(sorted(v, key=lambda rc: (rc[1].start, rc[0]))) for k, v in by_source.items()
        }


def _references(record: AnyRecord) -> Iterable[str]:
    """Ids a record points at (not sources: those are reached through citations)."""
    if isinstance(record, Company):
        if record.parent:
            yield record.parent
    elif isinstance(record, Person):
        for role in record.roles:
            yield role.org
    elif isinstance(record, Product):
        if record.maker:
            yield record.maker
    elif isinstance(record, Deal | Tension):
        for party in record.parties:
            yield party.ref
        yield from record.related
    elif isinstance(record, Event):
        yield from record.involves
        yield from record.related
    elif isinstance(record, Claim):
        yield from record.about
