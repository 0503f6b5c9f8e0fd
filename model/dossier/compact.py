"""The dossier in a compact, lazily decodable form: what the cache stores.

Unpickling a million frozen dataclasses costs seconds; a few big byte strings
and integer arrays load in milliseconds. So each record is kept as a small
marshalled tuple (its fields, with record ids as positions and quotes as
offsets into the source text) inside one heap, and is decoded only when asked
for. Mentions and links are columns of integers.

The codec is derived from the record classes' own fields and checked at import
time: a field this module does not know how to store is an error here, never a
value silently dropped from the cache.
"""

from __future__ import annotations

import io
import marshal
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any

from ..build.dates import PartialDate, parse_date
from ..build.records import (
    Amount,
    AnyRecord,
    Citation,
    Claim,
    ClaimSide,
    Company,
    Deal,
    Event,
    Fact,
    Party,
    Person,
    Product,
    Role,
    Source,
    Tension,
    Term,
)

FORMAT = 1
"""Bump when the layout below changes (the cache's header carries it too)."""


@dataclass(frozen=True, slots=True)
class Blobs:
    """Many small marshalled values in one heap: item i is heap[offsets[i]:offsets[i + 1]]."""

    offsets: array  # "Q", one more than there are items
    heap: bytes

    @classmethod
    def pack(cls, values: Iterable[object]) -> Blobs:
        offsets = array("Q", [0])
        heap = io.BytesIO()  # getvalue() hands over its buffer: no second copy of the heap
        for value in values:
            offsets.append(offsets[-1] + heap.write(marshal.dumps(value)))
        return cls(offsets, heap.getvalue())

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, index: int) -> Any:
        return marshal.loads(self.heap[self.offsets[index] : self.offsets[index + 1]])


@dataclass(frozen=True, slots=True)
class CompactDossier:
    """Everything a Dossier answers, as ids, byte heaps and integer columns.

    Records are numbered by position in `ids` (the order they were loaded in).
    """

    title: str
    description: str
    ids: tuple[str, ...]
    kinds: bytes  # KINDS index of each record
    by_kind: dict[str, array]  # positions in by_kind order ("I")
    records: Blobs  # encoded fields of each record (see RecordCodec)
    texts: Blobs  # a source's text at its position; None elsewhere
    involving: tuple[array, array]  # offsets (n + 1) and flat positions, both "I"
    reported_by: array  # position of the source, or -1 ("i")
    mentions: tuple[array, ...]  # columns: record, source, start, end, sentence start/end ("i")
    mentions_in: dict[int, tuple[int, int]]  # source position -> row range in `mentions`
    mentions_of: tuple[array, array]  # offsets (n + 1) and flat rows of `mentions`, both "I"
    citations_in: dict[str, bytes]  # source id -> marshalled ((record, start, end[, quote]), ...)


# --- the record codec ----------------------------------------------------------------------

# Field types stored as they are: marshal keeps them exactly.
_PLAIN_TYPES = frozenset(
    {
        "str",
        "str | None",
        "bool",
        "int",
        "float | int",
        "tuple[str, ...]",
        "tuple[tuple[int, int], ...]",
    }
)
# How every other field is stored: a class means "a tuple of these".
_CITES, _DATE, _AMOUNT, _REF, _REFS, _TEXT = "cites", "date", "amount", "ref", "refs", "text"
_SPECIAL: dict[type, dict[str, object]] = {
    Company: {"citations": _CITES, "parent": _REF, "facts": Fact},
    Person: {"citations": _CITES, "roles": Role},
    Product: {"citations": _CITES, "maker": _REF},
    Deal: {
        "citations": _CITES,
        "parties": Party,
        "amount": _AMOUNT,
        "date": _DATE,
        "end": _DATE,
        "terms": Term,
        "related": _REFS,
    },
    Tension: {"citations": _CITES, "parties": Party, "start": _DATE, "related": _REFS},
    Event: {
        "citations": _CITES,
        "date": _DATE,
        "amount": _AMOUNT,
        "involves": _REFS,
        "related": _REFS,
    },
    Claim: {"citations": _CITES, "about": _REFS, "sides": ClaimSide},
    Source: {"citations": _CITES, "published": _DATE, "text": _TEXT},
    Fact: {"citations": _CITES},
    Role: {"org": _REF, "start": _DATE, "end": _DATE, "citations": _CITES},
    Party: {"ref": _REF, "citations": _CITES},
    Term: {"citations": _CITES},
    ClaimSide: {"amount": _AMOUNT, "citations": _CITES},
    Amount: {},
}
RECORD_CLASSES: dict[str, type] = {
    "company": Company,
    "person": Person,
    "product": Product,
    "deal": Deal,
    "tension": Tension,
    "event": Event,
    "claim": Claim,
    "source": Source,
}
"""The class of each kind (a slots dataclass keeps no readable default for `kind`)."""


def _init_fields(cls: type) -> list[tuple[str, object]]:
    """(name, how it is stored) for each constructor argument, in order; TypeError if unknown."""
    special = _SPECIAL[cls]
    out: list[tuple[str, object]] = []
    for f in fields(cls):
        if not f.init:
            continue
        how = special.get(f.name)
        if how is None:
            if f.type not in _PLAIN_TYPES:
                raise TypeError(f"compact: no way to store {cls.__name__}.{f.name}: {f.type}")
            how = None
        out.append((f.name, how))
    unknown = set(special) - {name for name, _ in out}
    if unknown:
        raise TypeError(f"compact: {cls.__name__} has no fields {sorted(unknown)}")
    return out


_LAYOUT: dict[type, list[tuple[str, object]]] = {cls: _init_fields(cls) for cls in _SPECIAL}


class RecordEncoder:
    """Turns records into plain tuples: ids become positions, quotes become offsets.

    Each class gets its own encoding function, made once from its layout (all
    fields read by one `attrgetter`, only the fields that need it converted):
    a first open encodes every record of a large dossier, ~115k of them.
    """

    def __init__(self, position: dict[str, int], texts: dict[str, str]) -> None:
        self._position = position
        self._texts = texts
        # id(date) -> (the date, kept alive so that its id stays its own; its encoding)
        self._dates: dict[int, tuple[PartialDate, object]] = {}
        self._encoders: dict[type, Callable[[Any], tuple[object, ...]]] = {}
        for cls in _LAYOUT:  # nested classes' encoders are looked up when first used
            self._encoders[cls] = self._encoder(cls)

    def record(self, record: AnyRecord) -> tuple[object, ...]:
        return self._encoders[type(record)](record)

    def close(self) -> None:
        """Let go of the encoding tables: the compiled encoders refer to each other and to
        the encoder (a cycle), so without this it and every id of `position` stay alive
        until the collector runs, which is paused for the whole of a load."""
        self._encoders.clear()
        self._dates.clear()

    def _fields(self, obj: Any) -> tuple[object, ...]:
        return self._encoders[type(obj)](obj)

    def _encoder(self, cls: type) -> Callable[[Any], tuple[object, ...]]:
        layout = _LAYOUT[cls]
        names = [name for name, _ in layout]
        getter = attrgetter(*names)
        if len(names) == 1:  # pragma: no cover - every stored class has several fields
            one = getter

            def getter(obj: Any) -> tuple[object, ...]:
                return (one(obj),)

        converters = [
            (index, self._converter(how))
            for index, (_, how) in enumerate(layout)
            if how is not None and how != _TEXT
        ]
        text_at = [index for index, (_, how) in enumerate(layout) if how == _TEXT]
        position, texts = self._position, self._texts

        def encode(obj: Any) -> tuple[object, ...]:
            values = list(getter(obj))
            for index, convert in converters:
                values[index] = convert(values[index])
            for index in text_at:
                if texts.get(obj.id) is values[index]:
                    values[index] = position[obj.id]  # kept once, in the texts heap
            return tuple(values)

        return encode

    def _converter(self, how: object) -> Callable[[Any], object]:
        """What `_value(how, value)` does, as one function per field."""
        position, texts, ref, encoders = self._position, self._texts, self.ref, self._encoders
        if how == _CITES:

            def cites(value: Any) -> object:
                # A tuple when every quote is its source's own text: the decoder's fast path.
                out: list[tuple[object, ...]] = []
                exact = True
                for citation in value:
                    source, start, end = citation.source, citation.start, citation.end
                    text = texts.get(source)
                    head = (position.get(source, source), start, end)
                    if text is not None and text[start:end] == citation.quote:
                        out.append(head)
                    else:
                        out.append((*head, citation.quote))
                        exact = False
                return tuple(out) if exact else out

            return cites
        if how == _REF:
            return lambda value: None if value is None else ref(value)
        if how == _REFS:

            def refs(value: Any) -> object:
                # A tuple when every id is known (all positions): the decoder's fast path.
                try:
                    return tuple([position[v] for v in value])
                except KeyError:
                    return [ref(v) for v in value]

            return refs
        if how == _DATE:
            return self._date
        if how == _AMOUNT:
            return lambda value: None if value is None else encoders[Amount](value)
        assert isinstance(how, type)
        return lambda value: tuple([encoders[how](item) for item in value])

    def _date(self, date: PartialDate | None) -> object:
        if date is None:
            return None
        known = self._dates.get(id(date))
        if known is not None and known[0] is date:
            return known[1]
        encoded = _encode_date(date)
        self._dates[id(date)] = (date, encoded)
        return encoded

    def _value(self, how: object, value: Any) -> object:
        """One field's stored form (the reference the compiled encoders are tested against)."""
        if how is None:
            return value
        if how == _CITES:
            cites = [self.citation(c) for c in value]
            return tuple(cites) if all(len(c) == 3 for c in cites) else cites
        if how == _REF:
            return None if value is None else self.ref(value)
        if how == _REFS:
            refs = [self.ref(v) for v in value]
            return tuple(refs) if all(r.__class__ is int for r in refs) else refs
        if how == _DATE:
            return None if value is None else _encode_date(value)
        if how == _AMOUNT:
            return None if value is None else self._fields(value)
        if how == _TEXT:
            return value
        return tuple(self._fields(item) for item in value)  # a tuple of a nested class

    def ref(self, record_id: str) -> int | str:
        """A known id as its position (shared when decoded); anything else as itself."""
        return self._position.get(record_id, record_id)

    def citation(self, citation: Citation) -> tuple[object, ...]:
        """(source, start, end), with the quote only when it is not the source's own text."""
        head = (self.ref(citation.source), citation.start, citation.end)
        text = self._texts.get(citation.source)
        if text is not None and text[citation.start : citation.end] == citation.quote:
            return head
        return (*head, citation.quote)


def _encode_date(date: PartialDate) -> object:
    try:
        if parse_date(date.text) == date:
            return date.text
    except ValueError:
        pass
    return (date.text, date.year, date.month, date.day, date.approx)


class RecordDecoder:
    """Rebuilds records from RecordEncoder's tuples; dates and ids are shared, not copied."""

    def __init__(self, ids: Sequence[str], texts: Mapping[int, str]) -> None:
        """`texts[position]` is the text of the source at that position."""
        self._ids = ids
        self._texts = texts
        self._dates: dict[object, PartialDate] = {}
        self._makers: dict[type, Callable[[tuple[object, ...]], Any]] = {}
        for cls in _LAYOUT:  # nested classes' makers are looked up when first used
            self._makers[cls] = self._maker(cls)

    def maker(self, cls: type) -> Callable[[tuple[object, ...]], Any]:
        """The function that rebuilds a `cls` from its encoded fields."""
        return self._makers[cls]

    def _maker(self, cls: type) -> Callable[[tuple[object, ...]], Any]:
        converters = [
            (index, self._converter(how))
            for index, (_, how) in enumerate(_LAYOUT[cls])
            if how is not None
        ]
        if not converters:
            return lambda values: cls(*values)

        def make(values: tuple[object, ...]) -> Any:
            args = list(values)
            for index, convert in converters:
                args[index] = convert(args[index])
            return cls(*args)

        return make

    def _converter(self, how: object) -> Callable[[Any], Any]:
        ids, texts, ref, citation = self._ids, self._texts, self.ref, self.citation
        if how == _CITES:

            def cites(value: Any) -> tuple[Citation, ...]:
                if value.__class__ is tuple:
                    return tuple([Citation(ids[s], texts[s][a:b], a, b) for s, a, b in value])
                return tuple([citation(c) for c in value])

            return cites
        if how == _REF:
            return lambda value: None if value is None else ref(value)
        if how == _REFS:

            def refs(value: Any) -> tuple[str, ...]:
                if value.__class__ is tuple:
                    return tuple([ids[i] for i in value])
                return tuple([ref(v) for v in value])

            return refs
        if how == _DATE:
            dates, new_date = self._dates, self._new_date

            def date(value: Any) -> PartialDate | None:
                if value is None:
                    return None
                found = dates.get(value)
                return new_date(value) if found is None else found

            return date
        if how == _AMOUNT:
            return lambda value: None if value is None else Amount(*value)
        if how == _TEXT:
            return lambda value: texts[value] if value.__class__ is int else value
        assert isinstance(how, type)
        makers = self._makers  # filled by the time a record is decoded
        return lambda value: tuple([makers[how](item) for item in value])

    def ref(self, value: int | str) -> str:
        return self._ids[value] if value.__class__ is int else value  # type: ignore[index,return-value]

    def citation(self, value: tuple[Any, ...]) -> Citation:
        source = value[0]
        start, end = value[1], value[2]
        if len(value) == 4:
            return Citation(self.ref(source), value[3], start, end)
        return Citation(self._ids[source], self._texts[source][start:end], start, end)

    def _new_date(self, value: Any) -> PartialDate:
        date = parse_date(value) if value.__class__ is str else PartialDate(*value)
        self._dates[value] = date
        return date
