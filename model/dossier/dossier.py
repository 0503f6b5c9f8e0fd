"""The loaded dossier: immutable records plus the indexes every pane asks of them.

Every question a pane asks (who is involved, which events, which quotes, which
mentions) is a dictionary look-up, whatever the size of the dossier. A dossier
loaded from YAML computes its indexes at once; one opened from the cache
(`Dossier.from_compact`) decodes a record or an index entry the first time it
is asked for and keeps it, so opening 100k records costs milliseconds. Both
answer through the same tables and the same methods.
"""

from __future__ import annotations

import bisect
import marshal
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..build.records import (
    KINDS,
    AnyRecord,
    Citation,
    Event,
    Kind,
    Mention,
    Record,
    Source,
    record_date,
)
from ..read.problems import Problem
from .compact import RECORD_CLASSES, CompactDossier, RecordDecoder
from .indexes import (
    Memo,
    citations_by_source,
    involvement,
    mention_names,
    no_entries,
    pack,
    paused_gc,
    reporter,
    sort_kinds,
    timeline_sort_key,
    unknown_key,
)


class Dossier:
    def __init__(
        self, records: Iterable[AnyRecord], title: str = "", description: str = ""
    ) -> None:
        self.title = title
        self.description = description
        #: What the dossier was built from (files and model code), when it came through
        #: the cache: a key for anything derived from it. None: not known.
        self.fingerprint: str | None = None
        #: What the loader found worth saying but not wrong (a text in sources/ that no
        #: entry reads). Set by a full load; a dossier from the cache has none.
        self.warnings: tuple[Problem, ...] = ()
        #: The files it was built from, as the cache notes them (name, size, mtime, inode,
        #: hash, ctime), when it came through the cache: what a reload compares the folder with.
        self.built_from: list[list[Any]] | None = None
        self._timeline_entries: tuple[str, ...] | None = None
        self._compact: CompactDossier | None = None
        self._build: Callable[[int], AnyRecord] | None = None
        self._each_of_kind: Callable[[Kind], Iterator[AnyRecord]] | None = None
        found: dict[str, AnyRecord] = {}
        # Where a record stands in its file: events on the same date keep the author's order.
        self._order: dict[str, int] = {}
        by_kind: dict[Kind, list[AnyRecord]] = {kind: [] for kind in KINDS}
        for position, record in enumerate(records):
            found[record.id] = record
            self._order[record.id] = position
            by_kind[record.kind].append(record)
        # No table's function may refer to `self`: a cycle would keep a dropped dossier
        # alive until a collection (never, once the app has called gc.freeze()).
        self._records: dict[str, AnyRecord] = Memo(unknown_key, found)
        self._reported_by: dict[str, Source | None] = Memo(reporter(self._records))
        del found
        sorted_kinds = sort_kinds(by_kind, self.timeline_key)
        self._by_kind: dict[Kind, tuple[AnyRecord, ...]] = Memo(unknown_key, sorted_kinds)
        self._ids: dict[Kind, tuple[str, ...]] = Memo(
            lambda kind: tuple(record.id for record in sorted_kinds[kind])
        )
        self._involving: dict[str, tuple[str, ...]] = Memo(no_entries, involvement(self._records))
        by_record, by_source = self._index_mentions()
        self._mentions_by_record: dict[str, tuple[Mention, ...]] = Memo(no_entries, by_record)
        self._mentions_by_source: dict[str, tuple[Mention, ...]] = Memo(no_entries, by_source)
        self._citations_by_source: dict[str, tuple[tuple[str, Citation], ...]] = Memo(
            no_entries, citations_by_source(self._records.values())
        )

    # --- the compact form (what the cache stores) ------------------------------------

    @classmethod
    def from_compact(cls, compact: CompactDossier) -> Dossier:
        """A dossier that decodes each record and index entry on first use, then keeps it."""
        self = cls.__new__(cls)
        self.title = compact.title
        self.description = compact.description
        self.fingerprint = None
        self.warnings = ()
        self.built_from = None
        self._timeline_entries = None
        self._compact = compact
        ids = compact.ids
        self._order = order = dict(zip(ids, range(len(ids)), strict=True))
        texts: dict[int, str] = Memo(compact.texts.__getitem__)
        decoder = RecordDecoder(ids, texts)
        makers = [decoder.maker(RECORD_CLASSES[kind]) for kind in KINDS]
        kinds, offsets, heap = compact.kinds, compact.records.offsets, compact.records.heap

        def build(position: int) -> AnyRecord:
            blob = heap[offsets[position] : offsets[position + 1]]
            return makers[kinds[position]](marshal.loads(blob))  # type: ignore[no-any-return]

        def record(record_id: str) -> AnyRecord:
            return build(order[record_id])

        def by_kind(kind: Kind) -> tuple[AnyRecord, ...]:
            """All records of a kind at once: the memo's fast path, without the collector."""
            out: list[AnyRecord] = []
            append, known = out.append, records.get  # dict.get: never builds
            with paused_gc():
                for position in compact.by_kind[kind]:
                    found = known(ids[position])
                    if found is None:
                        found = records[ids[position]] = build(position)
                    append(found)
            return tuple(out)

        def involving(record_id: str) -> tuple[str, ...]:
            position = order.get(record_id)
            if position is None:
                return ()
            offsets, flat = compact.involving
            return tuple([ids[i] for i in flat[offsets[position] : offsets[position + 1]]])

        def reported_by(record_id: str) -> Source | None:
            position = order.get(record_id)
            found = -1 if position is None else compact.reported_by[position]
            return None if found < 0 else records[ids[found]]  # type: ignore[return-value]

        def mentions(rows: Iterable[int]) -> tuple[Mention, ...]:
            rec, src, start, end, s_start, s_end = compact.mentions
            return tuple(
                [
                    Mention(ids[rec[i]], ids[src[i]], start[i], end[i], s_start[i], s_end[i])
                    for i in rows
                ]
            )

        def mentions_of(record_id: str) -> tuple[Mention, ...]:
            position = order.get(record_id)
            if position is None:
                return ()
            offsets, flat = compact.mentions_of
            return mentions(flat[offsets[position] : offsets[position + 1]])

        def mentions_in(source_id: str) -> tuple[Mention, ...]:
            rows = compact.mentions_in.get(order.get(source_id, -1))
            return () if rows is None else mentions(range(*rows))

        def citations_in(source_id: str) -> tuple[tuple[str, Citation], ...]:
            blob = compact.citations_in.get(source_id)
            if blob is None:
                return ()
            return tuple(
                [(decoder.ref(rid), decoder.citation(cite)) for rid, cite in marshal.loads(blob)]
            )

        def each_of_kind(kind: Kind) -> Iterator[AnyRecord]:
            known = records.get  # dict.get: never builds
            for position in compact.by_kind[kind]:
                found = known(ids[position])
                yield found if found is not None else build(position)

        self._each_of_kind = each_of_kind
        self._build = build
        self._records = records = Memo(record)
        self._reported_by = Memo(reported_by)
        self._ids = Memo(lambda kind: tuple([ids[i] for i in compact.by_kind[kind]]))
        self._by_kind = Memo(by_kind)
        self._involving = Memo(involving)
        self._mentions_by_record = Memo(mentions_of)
        self._mentions_by_source = Memo(mentions_in)
        self._citations_by_source = Memo(citations_in)
        return self

    def records_as_loaded(self, kind: Kind) -> list[AnyRecord]:
        """A kind's records in the order the loader made them (its file's order), each decoded
        afresh and kept by nobody here: what a reload keeps of a file that did not change.
        Only a compact dossier knows that order for every kind; ValueError otherwise."""
        compact, build = self._compact, self._build
        if compact is None or build is None:
            raise ValueError("only a compact dossier gives its records back as loaded")
        with paused_gc():
            return [build(position) for position in sorted(compact.by_kind[kind])]

    @property
    def is_compact(self) -> bool:
        """Whether records are decoded from the compact form when asked for (as a cache hit is)."""
        return self._compact is not None

    def built_ids(self) -> frozenset[str]:
        """Ids of the records built so far: a compact dossier builds only what is asked for."""
        return frozenset(self._records)

    def all_ids(self) -> tuple[str, ...]:
        """Every record id, in the order the records were given (file by file, as written)."""
        return tuple(self._order)

    def to_compact(self) -> CompactDossier:
        """This dossier as the cache stores it; ValueError if it cannot be (duplicate ids...)."""
        if self._compact is not None:
            return self._compact
        try:
            return self._build_compact()
        except (KeyError, OverflowError) as exc:
            raise ValueError(f"dossier cannot be stored compactly: {exc!r}") from exc

    def __reduce__(self) -> tuple[Callable[[CompactDossier], Dossier], tuple[CompactDossier]]:
        """Pickle the compact form: the memo tables hold functions, which pickle cannot."""
        return (Dossier.from_compact, (self.to_compact(),))

    def _build_compact(self) -> CompactDossier:
        order = self._order
        ids = tuple(order)
        if any(position != n for n, position in enumerate(order.values())):
            raise ValueError("two records share an id")
        mentions = self._mentions_by_source

        def rows(source_id: str) -> Iterable[tuple[str, int, int, int, int]]:
            for m in mentions.get(source_id, ()):
                yield m.record, m.start, m.end, m.sentence_start, m.sentence_end

        return pack(
            title=self.title,
            description=self.description,
            records=[self._records[i] for i in ids],
            order=order,
            sorted_ids={kind: self.ids(kind) for kind in KINDS},
            involving=self._involving,
            reported_by=self.reported_by,
            mention_rows=rows,
            citations=self._citations_by_source,
        )

    def timeline_key(
        self, record: Record
    ) -> tuple[tuple[int, int, int, int], tuple[int, int, int, int], int]:
        """Earliest possible day, coarser first; then the order the author wrote them in.

        Undated records come last; among them, those a dated source reports come
        first, by that bound, so "reported by Oct 2024" items stay together.
        """
        return timeline_sort_key(record, self._order, self.reported_by)

    # --- look-ups -------------------------------------------------------------

    def get(self, record_id: str) -> AnyRecord | None:
        if record_id not in self._order:
            return None
        return self._records[record_id]

    def __getitem__(self, record_id: str) -> AnyRecord:
        if record_id not in self._order:
            raise KeyError(record_id)
        return self._records[record_id]

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._order

    def __len__(self) -> int:
        return len(self._order)

    def by_kind(self, kind: Kind) -> tuple[AnyRecord, ...]:
        """Records of one kind: events in timeline order, the rest by name."""
        return self._by_kind[kind]

    def each_of_kind(self, kind: Kind) -> Iterator[AnyRecord]:
        """Records of one kind in `by_kind` order, built one at a time and not kept.

        For one pass over everything (the search index): `by_kind` would keep
        every record of a large dossier in memory for the rest of the session.
        """
        each = self._each_of_kind
        return each(kind) if each is not None else iter(self._by_kind[kind])

    def ids(self, kind: Kind) -> tuple[str, ...]:
        """Ids of one kind in `by_kind` order, without building the records (for long lists)."""
        return self._ids[kind]

    @property
    def timeline_ids(self) -> tuple[str, ...]:
        """Event ids in timeline order, without building the records."""
        return self.ids("event")

    @property
    def timeline_entry_ids(self) -> tuple[str, ...]:
        """The whole timeline, in order: every event, each dated deal and each tension with a
        start, so that a deal needs no event of its own to be placed.

        A deal or tension is left out when an event on the same date relates to it:
        that event already stands for it (dossiers written before deals were placed
        themselves have such events). Events are not built, except the few that a
        binary search looks at to place each deal and tension.
        """
        found = self._timeline_entries
        if found is None:
            found = self._timeline_entries = self._place_on_timeline()
        return found

    def _place_on_timeline(self) -> tuple[str, ...]:
        key = self.timeline_key
        records = self._records
        placed = sorted(
            (
                record
                for kind in ("deal", "tension")
                for record in self.each_of_kind(kind)  # type: ignore[arg-type]
                if record_date(record) is not None and not self._stood_for(record)
            ),
            key=key,
        )
        out = list(self.timeline_ids)
        for record in placed:
            at = bisect.bisect_right(out, key(record), key=lambda rid: key(records[rid]))
            out.insert(at, record.id)
        return tuple(out)

    def _stood_for(self, record: AnyRecord) -> bool:
        """An event on the record's own date relates to it."""
        date = record_date(record)
        assert date is not None
        for other in self.involving(record.id):
            if other.kind == "event":
                when = record_date(other)
                if when is not None and when.sort_key == date.sort_key:
                    return True
        return False

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
        records = self._records
        return tuple(records[i] for i in self._involving[record_id])

    def events_of(self, record_id: str) -> tuple[Event, ...]:
        """The record's events in date order (for an event: itself and its related events)."""
        ids = set(self._involving[record_id])
        if self.kind_of(record_id) == "event":
            ids.add(record_id)
        events = [self._records[i] for i in ids if self.kind_of(i) == "event"]
        return tuple(sorted(events, key=self.timeline_key))  # type: ignore[arg-type]

    def kind_of(self, record_id: str) -> Kind | None:
        """A record's kind without building it; None for an unknown id."""
        record = self._records.get(record_id)  # already built (dict.get never builds)
        if record is not None:
            return record.kind
        if self._compact is None or record_id not in self._order:
            return None
        return KINDS[self._compact.kinds[self._order[record_id]]]

    def citations_of(self, record_id: str) -> tuple[Citation, ...]:
        record = self.get(record_id)
        return record.all_citations() if record else ()

    def mentions_of(self, record_id: str) -> tuple[Mention, ...]:
        """Every place a record's names occur, in source then text order."""
        return self._mentions_by_record[record_id]

    def mentions_in(self, source_id: str) -> tuple[Mention, ...]:
        """Every entity mention in one source, in text order."""
        return self._mentions_by_source[source_id]

    def citations_in(self, source_id: str) -> tuple[tuple[str, Citation], ...]:
        """(record id, citation) for every quote taken from one source, in text order."""
        return self._citations_by_source[source_id]

    def reported_by(self, record_id: str) -> Source | None:
        """The earliest dated source that cites the record: for an undated fact, a true bound.

        An undated event is not given a date; but if a source published on
        2024-10-30 reports it, it happened by then, and saying so is faithful.
        """
        return self._reported_by[record_id]

    def names(self, record: AnyRecord) -> tuple[str, ...]:
        """A record's name followed by its aliases."""
        return (record.name, *record.aliases)

    # --- index building ---------------------------------------------------------

    def _index_mentions(
        self,
    ) -> tuple[dict[str, tuple[Mention, ...]], dict[str, tuple[Mention, ...]]]:
        from ..build.mentions import MentionMatcher  # the automaton: only for object indexes

        matcher = MentionMatcher(mention_names(self._records.values()))
        by_record: dict[str, list[Mention]] = defaultdict(list)
        by_source: dict[str, tuple[Mention, ...]] = {}
        for source in self.sources:
            found = matcher.find(source.id, source.text, source.sentences)
            by_source[source.id] = tuple(found)
            for mention in found:
                by_record[mention.record].append(mention)
        return {k: tuple(v) for k, v in by_record.items()}, by_source
