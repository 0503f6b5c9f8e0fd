"""How a Dossier's indexes are built: timeline order, involvement, mentions, citations by
source, and the packed tables of the compact form (`compact_from_records`).

Shared by `Dossier` (object indexes) and the loader's compact path, so both answer alike.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import repeat
from typing import Any, Generic, TypeVar

from ..build.records import (
    KINDS,
    AnyRecord,
    Citation,
    Claim,
    Company,
    Deal,
    Event,
    Kind,
    Person,
    Product,
    Record,
    Source,
    Tension,
    record_date,
)
from ..read.release import release_free_memory
from .compact import Blobs, CompactDossier, RecordEncoder

_UNDATED = (10_000, 1, 1, 9)
_KIND_CODE = {kind: code for code, kind in enumerate(KINDS)}

K = TypeVar("K")
V = TypeVar("V")


class Memo(dict[K, V], Generic[K, V]):
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


def reporter(records: dict[str, AnyRecord]) -> Callable[[str], Source | None]:
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


def no_entries(_key: object) -> tuple[()]:
    return ()


def unknown_key(key: object) -> Any:
    raise KeyError(key)


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


def timeline_sort_key(
    record: Record, order: dict[str, int], reported_by: Callable[[str], Source | None]
) -> tuple[tuple[int, int, int, int], tuple[int, int, int, int], int]:
    """See `Dossier.timeline_key`."""
    date = record_date(record)
    if date is not None:
        return (date.sort_key, _UNDATED, order.get(record.id, 0))
    reported = reported_by(record.id)
    bound = reported.published.sort_key if reported and reported.published else _UNDATED
    return (_UNDATED, bound, order.get(record.id, 0))


def sort_kinds(
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


def involvement(records: dict[str, AnyRecord]) -> dict[str, tuple[str, ...]]:
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


def packed_involvement(records: list[AnyRecord], order: dict[str, int]) -> tuple[array, array]:
    """`_pack_involving(ids, order, involvement(...))` without a dict of links per record.

    Each link is one integer (record position * n + the other record's rank by kind then
    id), so the links sort as C integers and no per-record dict or tuple is made: about a
    third of the time and memory for the large benchmark dossier. KeyError for a link to a
    record that is not in the dossier.
    """
    count = len(records)
    ranked = sorted(range(count), key=lambda p: (_KIND_CODE[records[p].kind], records[p].id))
    rank = array("I", bytes(4 * count))
    for position_rank, position in enumerate(ranked):
        rank[position] = position_rank
    del ranked
    keys: list[int] = []
    add = keys.append
    for position, record in enumerate(records):
        record_id = record.id
        for target in _references(record):
            if target != record_id:
                other = order[target]
                add(position * count + rank[other])
                add(other * count + rank[position])
    keys.sort()
    by_rank = array("I", bytes(4 * count))
    for position in range(count):
        by_rank[rank[position]] = position
    offsets, flat = array("I", [0]) * (count + 1), array("I")
    last = -1
    for key in keys:
        if key == last:
            continue  # a link made twice (both records name each other, or a repeated id)
        last = key
        position, other_rank = divmod(key, count)
        flat.append(by_rank[other_rank])
        offsets[position + 1] += 1
    for position in range(count):
        offsets[position + 1] += offsets[position]
    return offsets, flat


def mention_names(records: Iterable[AnyRecord]) -> list[tuple[str, str, bool]]:
    """(record id, name, match_case) for every name an entity or deal is mentioned by."""
    names: list[tuple[str, str, bool]] = []
    for record in records:
        if isinstance(record, Company | Person | Product):
            for name in (record.name, *record.aliases):
                names.append((record.id, name, record.match_case))
        elif isinstance(record, Deal):
            names.extend((record.id, alias, False) for alias in record.aliases)
    return names


def citations_by_source(
    records: Iterable[AnyRecord],
) -> dict[str, tuple[tuple[str, Citation], ...]]:
    by_source: dict[str, list[tuple[str, Citation]]] = defaultdict(list)
    for record in records:
        for citation in record.all_citations():
            by_source[citation.source].append((record.id, citation))
    return {k: tuple(sorted(v, key=lambda rc: (rc[1].start, rc[0]))) for k, v in by_source.items()}


def pack(
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
    try:
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
    finally:
        encoder.close()  # its cycle would keep every id alive until the collector runs


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
    return columns, ranges, _mentions_of(len(ids), columns[0])


def _mentions_of(count: int, records: array) -> tuple[array, array]:
    """A record's mentions are its rows in source then text order: a counting sort of rows."""
    mention_offsets = array("I", [0]) * (count + 1)
    for position in records:
        mention_offsets[position + 1] += 1
    for position in range(count):
        mention_offsets[position + 1] += mention_offsets[position]
    mention_flat = array("I", [0]) * len(records)
    filled = mention_offsets[:-1]
    for row, position in enumerate(records):
        mention_flat[filled[position]] = row
        filled[position] += 1
    return mention_offsets, mention_flat


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
    records: list[AnyRecord],
    title: str = "",
    description: str = "",
    *,
    consume: bool = False,
    same_mentions: CompactDossier | None = None,
) -> CompactDossier:
    """`Dossier(records, ...).to_compact()`, without building the Dossier's object indexes.

    A cold load wants the compact form (the cache stores it, and the app is
    answered from it as after a warm open): making it straight from the records
    skips ~250k Mention objects and every index's tuples (~100 MB and seconds
    for the large dossier). Equal to the Dossier route by construction (the
    same index functions) and by test. ValueError if not storable.

    With `consume`, the caller hands the records over: each goes as soon as it is
    encoded and the list is empty on return, so the record heap grows as the records
    go (not beside all of them), and the compact form's own small objects are made
    anew once they are gone (see below). A ValueError leaves the list untouched: the
    records are let go only while they are encoded, which looks up no id or source
    that the links and citations did not look up before.

    `same_mentions`: a dossier whose mentions these records have, as its caller
    knows (a reload: the same sources, and the same names in the same order);
    its mention columns are taken when it also has the same ids in the same
    order, instead of every name being searched for in every source again.
    """
    order: dict[str, int] = {}
    by_id: dict[str, AnyRecord] = {}
    by_kind: dict[Kind, list[AnyRecord]] = {kind: [] for kind in KINDS}
    for position, record in enumerate(records):
        if order.setdefault(record.id, position) != position:
            raise ValueError("two records share an id")
        by_id[record.id] = record
        by_kind[record.kind].append(record)
    reported_by = Memo(reporter(by_id))
    sorted_kinds = sort_kinds(
        by_kind,
        # Bound as defaults, not closed over: the locals can then be deleted below.
        lambda r, order=order, get=reported_by.__getitem__: timeline_sort_key(r, order, get),
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
        involving = packed_involvement(records, order)
        if same_mentions is not None and same_mentions.ids == ids:
            columns, ranges = same_mentions.mentions, same_mentions.mentions_in
            mentions_of = same_mentions.mentions_of
        else:
            columns, ranges, mentions_of = _found_mentions(ids, order, sorted_ids["source"], by_id)
        citations_in = _pack_citations(encoder, citations_by_source(records))
        reported = _pack_reported_by(ids, order, reported_by.__getitem__)
        del reported_by, by_id  # both hold every record
        release_free_memory()  # the links' and mentions' working lists, before the heaps grow
        kinds = bytes(_KIND_CODE[r.kind] for r in records)
        by_kind = {kind: array("I", [order[i] for i in sorted_ids[kind]]) for kind in KINDS}
        del sorted_ids
        if not consume:
            text_heap = Blobs.pack(texts.get(i) for i in ids)
            record_heap = Blobs.pack(map(encoder.record, records))
    except (KeyError, OverflowError) as exc:
        raise ValueError(f"dossier cannot be stored compactly: {exc!r}") from exc
    if consume:
        # The records first (the encoder compares quotes with the texts), then the texts,
        # each let go as it is packed: the text heap grows as the texts go, not beside them.
        record_heap = Blobs.pack(_consumed(encoder, records))
        text_heap = Blobs.pack(_texts_consumed(texts, ids))
    encoder.close()
    del encoder, texts, order
    if consume:
        records.clear()
        # The compact form's small objects made anew, once the records they were made among
        # are gone. Python's allocator hands back a 1 MB arena only when nothing in it is
        # alive; the ids (110k small strings for the large dossier) were made as its files
        # were read, beside each record's objects, so once the records went they kept ~100
        # arenas alive, mostly empty: a cold open held ~100 MB more than a warm open of the
        # same compact form (122 arenas for 20 MB of objects, against 21). Through one
        # marshalled string of bytes the old objects all go before the new ones are made,
        # so the new ones fill a few arenas and the rest go back to the system.
        small = marshal.dumps((ids, ranges, citations_in))
        del ids, ranges, citations_in
        # One full collection, now that few objects are tracked (~11 ms for the large
        # dossier): it finds no cycle once the encoder is closed, but it also empties the
        # interpreter's free lists (tuples, lists, dicts kept for reuse), which pin arenas
        # as well (measured: 106 arenas held after the open without it, 91 with it).
        gc.collect()
        release_free_memory()
        ids, ranges, citations_in = marshal.loads(small)
        del small
    return CompactDossier(
        title=title,
        description=description,
        ids=ids,
        kinds=kinds,
        by_kind=by_kind,
        records=record_heap,
        texts=text_heap,
        involving=involving,
        reported_by=reported,
        mentions=columns,
        mentions_in=ranges,
        mentions_of=mentions_of,
        citations_in=citations_in,
    )


def _texts_consumed(texts: dict[str, str], ids: tuple[str, ...]) -> Iterator[str | None]:
    """Each record's text (None for all but sources), in order, each let go once packed.

    A source text is a few KB, below glibc's mmap threshold: freed, it stays in the C
    heap until trimmed, so the heap is trimmed every `_TRIM_EVERY` texts.
    """
    packed = 0
    for record_id in ids:
        text = texts.pop(record_id, None)
        yield text
        if text is not None:
            del text
            packed += 1
            if packed % _TRIM_EVERY == 0:
                release_free_memory()


_TRIM_EVERY = 256


def _consumed(encoder: RecordEncoder, records: list[AnyRecord]) -> Iterator[tuple[object, ...]]:
    """Each record's encoding, in order, the list letting go of each as it is encoded."""
    for position, record in enumerate(records):
        records[position] = None  # type: ignore[call-overload]
        yield encoder.record(record)


def _found_mentions(
    ids: tuple[str, ...],
    order: dict[str, int],
    source_ids: list[str],
    by_id: dict[str, AnyRecord],
) -> tuple[tuple[array, ...], dict[int, tuple[int, int]], tuple[array, array]]:
    """Every mention, found as columns and packed; the matcher goes when this returns."""
    # Imported here: the automaton is a cold load's; a warm open never imports it.
    from ..build.mentions import SourceRows, mention_columns, record_ids

    names = mention_names(by_id.values())
    sources: list[SourceRows] = [
        (s.id, s.text, s.sentences) for s in by_id.values() if isinstance(s, Source)
    ]
    by_source = dict(mention_columns(names, sources))
    # The columns' record numbers as positions in this dossier (KeyError: not storable).
    position_of = array("i", [order[record] for record in record_ids(names)])
    columns: tuple[array, ...] = tuple(array("i") for _ in range(6))
    rec, src, start, end, s_start, s_end = columns
    ranges: dict[int, tuple[int, int]] = {}
    for source_id in source_ids:
        first = len(rec)
        position = order[source_id]
        found_rec, found_start, found_end, found_s_start, found_s_end = by_source[source_id]
        rec.extend(map(position_of.__getitem__, found_rec))
        src.extend(repeat(position, len(found_rec)))
        start.extend(found_start)
        end.extend(found_end)
        s_start.extend(found_s_start)
        s_end.extend(found_s_end)
        ranges[position] = (first, len(rec))
    return columns, ranges, _mentions_of(len(ids), rec)
