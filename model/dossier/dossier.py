"""The loaded dossier: immutable records plus the indexes every pane asks of them.

Every question a pane asks (who is involved, which events, which quotes, which
mentions) is a dictionary look-up, whatever the size of the dossier. A dossier
loaded from YAML computes its indexes at once; one opened from the cache
(`Dossier.from_compact`) decodes a record or an index entry the first time it
is asked for and keeps it, so opening 100k records costs milliseconds. Both
answer through the same tables and the same methods.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

from ..build.mentions import MentionMatcher
from ..build.records import (
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
from .compact import RECORD_CLASSES, Blobs, CompactDossier, RecordDecoder, RecordEncoder

_UNDATED = (10_000, 1, 1, 9)
_KIND_CODE = {kind: code for code, kind in enumerate(KINDS)}

K = TypeVar("K")
V = TypeVar("V")


class _Memo(dict[K, V], Generic[K, V]):
    """A table that computes a missing entry with `make` and keeps it.

    `make` raises KeyError for a key the table cannot answer. Entries are never
    removed, so two threads racing on one key at worst both compute it (records
    are immutable and the answers equal).
    """

    __slots__ = ("_make",)

    def __init__(self, make: Callable[[K], V], known: dict[K, V] | None = None) -> None:
        super().__init__(known or {})
        self._make = make

    def __missing__(self, key: K) -> V:
        value = self._make(key)
        self[key] = value
        return value


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """Building many records makes no cycles: the collector would only slow it down."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _reporter(records: dict[str, AnyRecord]) -> Callable[[str], Source | None]:
    """reported_by for a dossier whose records are all built (a fresh load)."""

    def reported_by(record_id: str) -> Source | None:
        record = records.get(record_id)
        dated = {
            source.id: source
            for citation in (record.all_citations() if record else ())
            if isinstance(source := records.get(citation.source), Source)
            and source.published is not None
        }
        return min(dated.values(), key=lambda s: s.published.sort_key, default=None)  # type: ignore[union-attr]

    return reported_by


def _empty(_key: object) -> tuple[()]:
    return ()


def _unknown(key: object) -> Any:
    raise KeyError(key)


class Dossier:
    def __init__(
        self, records: Iterable[AnyRecord], title: str = "", description: str = ""
    ) -> None:
        self.title = title
        self.description = description
        #: What the dossier was built from (files and model code), when it came through
        #: the cache: a key for anything derived from it. None: not known.
        self.fingerprint: str | None = None
        self._compact: CompactDossier | None = None
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
        self._records: dict[str, AnyRecord] = _Memo(_unknown, found)
        self._reported_by: dict[str, Source | None] = _Memo(_reporter(self._records))
        del found
        sorted_kinds = _sorted_kinds(by_kind, self.timeline_key)
        self._by_kind: dict[Kind, tuple[AnyRecord, ...]] = _Memo(_unknown, sorted_kinds)
        self._ids: dict[Kind, tuple[str, ...]] = _Memo(
            lambda kind: tuple(record.id for record in sorted_kinds[kind])
        )
        self._involving: dict[str, tuple[str, ...]] = _Memo(_empty, _involvement(self._records))
        by_record, by_source = self._index_mentions()
        self._mentions_by_record: dict[str, tuple[Mention, ...]] = _Memo(_empty, by_record)
        self._mentions_by_source: dict[str, tuple[Mention, ...]] = _Memo(_empty, by_source)
        self._citations_by_source: dict[str, tuple[tuple[str, Citation], ...]] = _Memo(
            _empty, _citations_by_source(self._records.values())
        )

    # --- the compact form (what the cache stores) ------------------------------------

    @classmethod
    def from_compact(cls, compact: CompactDossier) -> Dossier:
        """A dossier that decodes each record and index entry on first use, then keeps it."""
        self = cls.__new__(cls)
        self.title = compact.title
        self.description = compact.description
        self.fingerprint = None
        self._compact = compact
        ids = compact.ids
        self._order = order = dict(zip(ids, range(len(ids)), strict=True))
        texts: dict[int, str] = _Memo(compact.texts.__getitem__)
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
        self._records = records = _Memo(record)
        self._reported_by = _Memo(reported_by)
        self._ids = _Memo(lambda kind: tuple([ids[i] for i in compact.by_kind[kind]]))
        self._by_kind = _Memo(by_kind)
        self._involving = _Memo(involving)
        self._mentions_by_record = _Memo(mentions_of)
        self._mentions_by_source = _Memo(mentions_in)
        self._citations_by_source = _Memo(citations_in)
        return self

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

        return _pack(
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
        return _timeline_key(record, self._order, self.reported_by)

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
        matcher = MentionMatcher(_mention_names(self._records.values()))
        by_record: dict[str, list[Mention]] = defaultdict(list)
        by_source: dict[str, tuple[Mention, ...]] = {}
        for source in self.sources:
            found = matcher.find(source.id, source.text, source.sentences)
            by_source[source.id] = tuple(found)
            for mention in found:
                by_record[mention.record].append(mention)
        return {k: tuple(v) for k, v in by_record.items()}, by_source


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


# --- index building, shared by a Dossier and by `compact_from_records` -------------------------


def _timeline_key(
    record: Record, order: dict[str, int], reported_by: Callable[[str], Source | None]
) -> tuple[tuple[int, int, int, int], tuple[int, int, int, int], int]:
    """See `Dossier.timeline_key`."""
    date = record_date(record)
    if date is not None:
        return (date.sort_key, _UNDATED, order.get(record.id, 0))
    reported = reported_by(record.id)
    bound = reported.published.sort_key if reported and reported.published else _UNDATED
    return (_UNDATED, bound, order.get(record.id, 0))


def _sorted_kinds(
    by_kind: dict[Kind, list[AnyRecord]], timeline_key: Callable[[Any], Any]
) -> dict[Kind, tuple[AnyRecord, ...]]:
    """Each kind's records by name (then id); events in timeline order."""
    out = {
        kind: tuple(sorted(items, key=lambda r: (r.name.casefold(), r.id)))
        for kind, items in by_kind.items()
        if kind != "event"
    }
    out["event"] = tuple(sorted(by_kind["event"], key=timeline_key))
    return {kind: out[kind] for kind in by_kind}


def _involvement(records: dict[str, AnyRecord]) -> dict[str, tuple[str, ...]]:
    """Both directions of every reference, each record's links sorted by kind then id."""
    links: dict[str, dict[str, None]] = defaultdict(dict)
    for record in records.values():
        record_id = record.id
        for target in _references(record):
            if target != record_id:
                links[record_id][target] = None
                links[target][record_id] = None
    # The sort key of every id made once (a C-level look-up per comparison, not a lambda).
    order_key = {rid: (_KIND_CODE[record.kind], rid) for rid, record in records.items()}
    by = order_key.__getitem__
    return {key: tuple(sorted(value, key=by)) for key, value in links.items()}


def _mention_names(records: Iterable[AnyRecord]) -> list[tuple[str, str, bool]]:
    """(record id, name, match_case) for every name an entity or deal is mentioned by."""
    names: list[tuple[str, str, bool]] = []
    for record in records:
        if isinstance(record, Company | Person | Product):
            for name in (record.name, *record.aliases):
                names.append((record.id, name, record.match_case))
        elif isinstance(record, Deal):
            names.extend((record.id, alias, False) for alias in record.aliases)
    return names


def _citations_by_source(
    records: Iterable[AnyRecord],
) -> dict[str, tuple[tuple[str, Citation], ...]]:
    by_source: dict[str, list[tuple[str, Citation]]] = defaultdict(list)
    for record in records:
        for citation in record.all_citations():
            by_source[citation.source].append((record.id, citation))
    return {k: tuple(sorted(v, key=lambda rc: (rc[1].start, rc[0]))) for k, v in by_source.items()}


def _pack(
    *,
    title: str,
    description: str,
    records: list[AnyRecord],
    order: dict[str, int],
    sorted_ids: dict[Kind, Iterable[str]],
    involving: dict[str, tuple[str, ...]],
    reported_by: Callable[[str], Source | None],
    mention_rows: Callable[[str], Iterable[tuple[str, int, int, int, int]]],
    citations: dict[str, tuple[tuple[str, Citation], ...]],
) -> CompactDossier:
    """The compact form from a dossier's records and indexes, however they were computed.

    `records` are in load order (`order` gives each id's position); `mention_rows`
    gives a source's mentions, in text order, as (record, start, end, sentence
    start, sentence end). KeyError or OverflowError: not storable.
    """
    ids = tuple(order)
    texts = {r.id: r.text for r in records if isinstance(r, Source)}
    encoder = RecordEncoder(order, texts)
    columns, ranges, mentions_of = _pack_mentions(ids, order, sorted_ids["source"], mention_rows)
    return CompactDossier(
        title=title,
        description=description,
        ids=ids,
        kinds=bytes(_KIND_CODE[r.kind] for r in records),
        by_kind={kind: array("I", [order[i] for i in sorted_ids[kind]]) for kind in KINDS},
        records=Blobs.pack(encoder.record(r) for r in records),
        texts=Blobs.pack(texts.get(i) for i in ids),
        involving=_pack_involving(ids, order, involving),
        reported_by=_pack_reported_by(ids, order, reported_by),
        mentions=columns,
        mentions_in=ranges,
        mentions_of=mentions_of,
        citations_in=_pack_citations(encoder, citations),
    )


def _pack_involving(
    ids: tuple[str, ...], order: dict[str, int], involving: dict[str, tuple[str, ...]]
) -> tuple[array, array]:
    offsets, flat = array("I", [0]), array("I")
    for record_id in ids:
        flat.extend(order[i] for i in involving.get(record_id, ()))
        offsets.append(len(flat))
    if any(links and key not in order for key, links in involving.items()):
        raise ValueError("a link to a record that is not in the dossier")
    return offsets, flat


def _pack_mentions(
    ids: tuple[str, ...],
    order: dict[str, int],
    source_ids: Iterable[str],
    mention_rows: Callable[[str], Iterable[tuple[str, int, int, int, int]]],
) -> tuple[tuple[array, ...], dict[int, tuple[int, int]], tuple[array, array]]:
    """Mention columns (source by source, in text order), each source's rows, each record's."""
    columns: tuple[array, ...] = tuple(array("i") for _ in range(6))
    rec, src, start, end, s_start, s_end = (column.append for column in columns)
    ranges: dict[int, tuple[int, int]] = {}
    for source_id in source_ids:
        first = len(columns[0])
        position = order[source_id]
        for record_id, begin, stop, sentence_start, sentence_end in mention_rows(source_id):
            rec(order[record_id])
            src(position)
            start(begin)
            end(stop)
            s_start(sentence_start)
            s_end(sentence_end)
        ranges[position] = (first, len(columns[0]))
    # A record's mentions are its rows in source then text order: a counting sort of rows.
    mention_offsets = array("I", [0]) * (len(ids) + 1)
    for position in columns[0]:
        mention_offsets[position + 1] += 1
    for position in range(len(ids)):
        mention_offsets[position + 1] += mention_offsets[position]
    mention_flat = array("I", [0]) * len(columns[0])
    filled = mention_offsets[:-1]
    for row, position in enumerate(columns[0]):
        mention_flat[filled[position]] = row
        filled[position] += 1
    return columns, ranges, (mention_offsets, mention_flat)


def _pack_reported_by(
    ids: tuple[str, ...], order: dict[str, int], reported_by: Callable[[str], Source | None]
) -> array:
    reported = array("i", [-1]) * len(ids)
    for position, record_id in enumerate(ids):
        source = reported_by(record_id)
        if source is not None:
            reported[position] = order[source.id]
    return reported


def _pack_citations(
    encoder: RecordEncoder, citations: dict[str, tuple[tuple[str, Citation], ...]]
) -> dict[str, bytes]:
    return {
        source_id: marshal.dumps(tuple((encoder.ref(rid), encoder.citation(c)) for rid, c in pairs))
        for source_id, pairs in citations.items()
        if pairs  # not the () kept for a source asked about that has no quotes
    }


def compact_from_records(
    records: list[AnyRecord], title: str = "", description: str = ""
) -> CompactDossier:
    """`Dossier(records, ...).to_compact()`, without building the Dossier's object indexes.

    A cold load wants the compact form (the cache stores it, and the app is
    answered from it as after a warm open): making it straight from the records
    skips ~250k Mention objects and every index's tuples (~100 MB and seconds
    for the large dossier). Equal to the Dossier route by construction (the
    same index functions) and by test. ValueError if not storable.
    """
    order: dict[str, int] = {}
    by_id: dict[str, AnyRecord] = {}
    by_kind: dict[Kind, list[AnyRecord]] = {kind: [] for kind in KINDS}
    for position, record in enumerate(records):
        if order.setdefault(record.id, position) != position:
            raise ValueError("two records share an id")
        by_id[record.id] = record
        by_kind[record.kind].append(record)
    reported_by = _Memo(_reporter(by_id))
    sorted_kinds = _sorted_kinds(
        by_kind, lambda record: _timeline_key(record, order, reported_by.__getitem__)
    )
    del by_kind
    sorted_ids = {kind: [r.id for r in items] for kind, items in sorted_kinds.items()}
    del sorted_kinds
    # Each index is packed as soon as it is made, and the objects it was made of dropped
    # before the next: the peak of a first open is records + one index, not all of them.
    try:
        ids = tuple(order)
        texts = {r.id: r.text for r in records if isinstance(r, Source)}
        encoder = RecordEncoder(order, texts)
        involving = _pack_involving(ids, order, _involvement(by_id))
        columns, ranges, mentions_of = _found_mentions(ids, order, sorted_ids["source"], by_id)
        citations_in = _pack_citations(encoder, _citations_by_source(records))
        reported = _pack_reported_by(ids, order, reported_by.__getitem__)
        reported_by.clear()
        return CompactDossier(
            title=title,
            description=description,
            ids=ids,
            kinds=bytes(_KIND_CODE[r.kind] for r in records),
            by_kind={kind: array("I", [order[i] for i in sorted_ids[kind]]) for kind in KINDS},
            records=Blobs.pack(encoder.record(r) for r in records),
            texts=Blobs.pack(texts.get(i) for i in ids),
            involving=involving,
            reported_by=reported,
            mentions=columns,
            mentions_in=ranges,
            mentions_of=mentions_of,
            citations_in=citations_in,
        )
    except (KeyError, OverflowError) as exc:
        raise ValueError(f"dossier cannot be stored compactly: {exc!r}") from exc


def _found_mentions(
    ids: tuple[str, ...], order: dict[str, int], source_ids: list[str], by_id: dict[str, AnyRecord]
) -> tuple[tuple[array, ...], dict[int, tuple[int, int]], tuple[array, array]]:
    """Every mention, found and packed; the matcher goes when this returns."""
    matcher = MentionMatcher(_mention_names(by_id.values()))

    def rows(source_id: str) -> list[tuple[str, int, int, int, int]]:
        source: Source = by_id[source_id]  # type: ignore[assignment]
        return matcher.rows(source.text, source.sentences)

    return _pack_mentions(ids, order, source_ids, rows)
