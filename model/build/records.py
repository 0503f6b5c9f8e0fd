"""Immutable records of a dossier. Kinds share one id namespace.

The files they are read from are defined in schema.py; these are the shapes in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .dates import PartialDate

Kind = Literal["company", "person", "product", "deal", "tension", "event", "claim", "source"]

KINDS: tuple[Kind, ...] = (
    "company",
    "person",
    "product",
    "deal",
    "tension",
    "event",
    "claim",
    "source",
)
KIND_PLURALS: dict[Kind, str] = {
    "company": "companies",
    "person": "people",
    "product": "products",
    "deal": "deals",
    "tension": "tensions",
    "event": "events",
    "claim": "claims",
    "source": "sources",
}


@dataclass(frozen=True, slots=True)
class Citation:
    """An exact excerpt of a source, verified and anchored by character offsets."""

    source: str
    quote: str  # exactly text[start:end] of the source
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Mention:
    """A place where a record's name or alias occurs in a source."""

    record: str
    source: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int


@dataclass(frozen=True, slots=True)
class Amount:
    value: float | int
    currency: str
    text: str
    approximate: bool = False


@dataclass(frozen=True, slots=True)
class Fact:
    label: str
    value: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Role:
    org: str
    title: str
    start: PartialDate | None
    end: PartialDate | None
    date_note: str | None
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Party:
    """A side of a deal (with its role) or of a tension (with its stance).

    A stance is a claim about the party, so it carries the sentences it rests on;
    a deal role has none (`citations` stays empty).
    """

    ref: str
    role: str  # deal: investor, provider ...; tension: the party's stance
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class Term:
    text: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class ClaimSide:
    says: str
    amount: Amount | None
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Record:
    """Fields every kind has. `citations` are the record's own, not its parts'."""

    id: str
    name: str
    summary: str
    citations: tuple[Citation, ...]

    kind: Kind = field(init=False, default="company")

    @property
    def aliases(self) -> tuple[str, ...]:
        return ()

    def all_citations(self) -> tuple[Citation, ...]:
        """The record's citations followed by those of its parts (roles, terms, sides...)."""
        return self.citations


@dataclass(frozen=True, slots=True)
class Company(Record):
    type: str = "company"
    aliases: tuple[str, ...] = ()
    match_case: bool = False
    parent: str | None = None
    facts: tuple[Fact, ...] = ()
    kind: Kind = field(init=False, default="company")

    def all_citations(self) -> tuple[Citation, ...]:
        return self.citations + tuple(c for f in self.facts for c in f.citations)


@dataclass(frozen=True, slots=True)
class Person(Record):
    aliases: tuple[str, ...] = ()
    match_case: bool = False
    roles: tuple[Role, ...] = ()
    kind: Kind = field(init=False, default="person")

    def all_citations(self) -> tuple[Citation, ...]:
        return self.citations + tuple(c for r in self.roles for c in r.citations)


@dataclass(frozen=True, slots=True)
class Product(Record):
    type: str = "product"
    aliases: tuple[str, ...] = ()
    match_case: bool = False
    maker: str | None = None
    kind: Kind = field(init=False, default="product")


@dataclass(frozen=True, slots=True)
class Deal(Record):
    type: str = "partnership"
    aliases: tuple[str, ...] = ()
    parties: tuple[Party, ...] = ()
    amount: Amount | None = None
    date: PartialDate | None = None
    end: PartialDate | None = None
    date_note: str | None = None
    status: str = "unknown"
    projected: bool = False
    terms: tuple[Term, ...] = ()
    related: tuple[str, ...] = ()
    kind: Kind = field(init=False, default="deal")

    def all_citations(self) -> tuple[Citation, ...]:
        return self.citations + tuple(c for t in self.terms for c in t.citations)


@dataclass(frozen=True, slots=True)
class Tension(Record):
    category: str = "strategy"
    parties: tuple[Party, ...] = ()
    status: str = "unknown"
    start: PartialDate | None = None
    date_note: str | None = None
    related: tuple[str, ...] = ()
    kind: Kind = field(init=False, default="tension")

    def all_citations(self) -> tuple[Citation, ...]:
        return self.citations + tuple(c for p in self.parties for c in p.citations)


@dataclass(frozen=True, slots=True)
class Event(Record):
    date: PartialDate | None = None
    date_note: str | None = None
    projected: bool = False
    amount: Amount | None = None
    involves: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    kind: Kind = field(init=False, default="event")


@dataclass(frozen=True, slots=True)
class Claim(Record):
    about: tuple[str, ...] = ()
    sides: tuple[ClaimSide, ...] = ()
    kind: Kind = field(init=False, default="claim")

    def all_citations(self) -> tuple[Citation, ...]:
        return self.citations + tuple(c for s in self.sides for c in s.citations)


@dataclass(frozen=True, slots=True)
class Source(Record):
    """An article. `name` is its title; `text` is the verbatim article."""

    publisher: str | None = None
    url: str | None = None
    published: PartialDate | None = None
    note: str | None = None
    text: str = ""
    sentences: tuple[tuple[int, int], ...] = ()
    kind: Kind = field(init=False, default="source")

    @property
    def title(self) -> str:
        return self.name


AnyRecord = Company | Person | Product | Deal | Tension | Event | Claim | Source


def record_date(record: Record) -> PartialDate | None:
    """The date a record is placed at on a timeline, if any."""
    if isinstance(record, Event | Deal):
        return record.date
    if isinstance(record, Tension):
        return record.start
    if isinstance(record, Source):
        return record.published
    return None
