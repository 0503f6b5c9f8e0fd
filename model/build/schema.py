"""The dossier's file format, defined once: every file kind's fields, their types and meaning.

The loader's allowed keys, enum values and enum defaults are read from here
(build/fields.py, build/kinds.py, dossier/load.py), and build/schemagen.py
writes from it the JSON Schemas in data/schema/ and the field tables of
docs/FORMAT.md, so the four cannot drift apart. What a schema cannot express
(references to existing records, quotes found in their source, date order,
distinct parties) stays the loader's; the builders in kinds.py do it.

Over 500 lines because it is one table, a field per few lines as formatted:
split, the format would again be read in several places.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .records import Kind

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
DATE_PATTERN = r"^(\d{4}(-\d{2}(-\d{2})?)?|(early|mid|late|Early|Mid|Late)[ -]\d{4})$"

ENTITY_REFS: tuple[Kind, ...] = ("company", "person", "product")
ANY_RECORD: tuple[Kind, ...] = ("company", "person", "product", "deal", "tension", "event", "claim")


# --- field types ----------------------------------------------------------------


@dataclass(frozen=True)
class Id:
    """A record's own id: lowercase kebab-case, unique across every kind."""


@dataclass(frozen=True)
class Text:
    """A string kept as written. `nonempty` refuses "" (the default for a required field)."""

    nonempty: bool | None = None
    pattern: str | None = None


@dataclass(frozen=True)
class Number:
    """An unquoted number (the only numeric field is an amount's value)."""


@dataclass(frozen=True)
class Flag:
    """`true` or `false`, unquoted; any other word is refused."""


@dataclass(frozen=True)
class Date:
    """A quoted date as the source gives it, precision by length, or an approximate form."""


@dataclass(frozen=True)
class Enum:
    """One of `values`; the record gets `default` when the field is left out."""

    values: tuple[str, ...]
    default: str


@dataclass(frozen=True)
class Ref:
    """The id of an existing record of one of `kinds`."""

    kinds: tuple[Kind, ...]


@dataclass(frozen=True)
class ListOf:
    item: FieldType
    min_items: int = 0


@dataclass(frozen=True)
class Object:
    """A nested mapping. `what` names it in the loader's messages ("unknown key 'x' in party")."""

    what: str
    fields: tuple[Field, ...]

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """The keys the loader allows, in the order its hints list them."""
        return tuple(f.name for f in self.fields)

    def get(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.what} has no field {name!r}")


@dataclass(frozen=True)
class Citations:
    """A list of citations; a required one needs at least one."""


FieldType = Id | Text | Number | Flag | Date | Enum | Ref | ListOf | Object | Citations


@dataclass(frozen=True)
class Field:
    """One key of a mapping: its type, a line saying what it means, whether it must be there."""

    name: str
    type: FieldType
    doc: str
    required: bool = False


# --- shared parts ---------------------------------------------------------------

CITATION = Object(
    "citation",
    (
        Field("source", Ref(("source",)), "id of a source in sources.yaml", required=True),
        Field(
            "exact",
            Text(),
            "the sentence, copied exactly from the source text",
            required=True,
        ),
        Field("prefix", Text(), "text just before the quote, when it occurs more than once"),
        Field("suffix", Text(), "text just after the quote, when it occurs more than once"),
    ),
)

AMOUNT = Object(
    "amount",
    (
        Field("value", Number(), "the figure in whole units, e.g. 13000000000", required=True),
        Field(
            "currency",
            Text(pattern=r"^[A-Z]{3}$"),
            "ISO currency code, e.g. USD",
            required=True,
        ),
        Field("text", Text(), 'the figure as written, e.g. "$13 billion"', required=True),
        Field("approximate", Flag(), "true when the source gives the figure as approximate"),
    ),
)


def _id() -> Field:
    return Field("id", Id(), "lowercase kebab-case id, unique across the dossier", required=True)


def _common(citations_required: bool = True) -> tuple[Field, ...]:
    return (
        _id(),
        Field("summary", Text(), "one or two plain sentences in your own words"),
        Field(
            "citations",
            Citations(),
            "the excerpts that say what the record says",
            required=citations_required,
        ),
    )


def _name(what: str) -> Field:
    return Field("name", Text(), what, required=True)


_ALIASES = Field(
    "aliases",
    ListOf(Text(nonempty=True)),
    "other names the sources use; each is linked wherever it occurs",
)
_MATCH_CASE = Field(
    "match_case",
    Flag(),
    "true: all of its names match case-sensitively (names of 4 characters or fewer always do)",
)
_DATE_NOTE = Field(
    "date_note", Text(), "how the date was resolved, e.g. from a relative 'last November'"
)
_PROJECTED = Field("projected", Flag(), "true when the source gives it as planned or forecast")
_RELATED = Field("related", ListOf(Ref(ANY_RECORD)), "ids of related records of any kind")


def _cited(what: str) -> Field:
    return Field("citations", Citations(), f"the excerpts that say this {what}", required=True)


def _parties(role_key: str, role_doc: str, *stance_citations: Field) -> Field:
    return Field(
        "parties",
        ListOf(
            Object(
                "party",
                (
                    Field(
                        "ref", Ref(ENTITY_REFS), "id of a company, person or product", required=True
                    ),
                    Field(role_key, Text(), role_doc, required=True),
                    *stance_citations,
                ),
            ),
            min_items=2,
        ),
        "every side involved, at least two distinct ones",
        required=True,
    )


# A stance says what a party thinks or did, so it cites the sentences it rests on
# (required whenever a party has a stance, which a tension's party always does).
_STANCE_CITATIONS = Field(
    "citations",
    Citations(),
    "the excerpts the stance rests on; required whenever the party has a stance",
    required=True,
)


# --- the files --------------------------------------------------------------------


@dataclass(frozen=True)
class FileKind:
    """One YAML file of a dossier: a list of `record` mappings, or one (dossier.yaml)."""

    stem: str
    kind: Kind | None
    title: str
    record: Object
    is_list: bool = True


FILES: tuple[FileKind, ...] = (
    FileKind(
        "dossier",
        None,
        "The dossier: title and description",
        Object(
            "dossier",
            (
                Field("title", Text(nonempty=True), "the dossier's title"),
                Field("description", Text(), "what the dossier covers"),
            ),
        ),
        is_list=False,
    ),
    FileKind(
        "sources",
        "source",
        "Sources: article metadata; texts live in sources/<id>.txt",
        Object(
            "source",
            (
                _id(),
                Field("title", Text(), "the article's title", required=True),
                Field("publisher", Text(), "who published it"),
                Field("url", Text(), "where it was published"),
                Field("published", Date(), "the publication date, when the article gives one"),
                Field("note", Text(), "anything a reader should know about the source"),
                Field("file", Text(), "text file, default sources/<id>.txt"),
            ),
        ),
    ),
    FileKind(
        "companies",
        "company",
        "Companies, organisations and regulators",
        Object(
            "company",
            (
                *_common(),
                _name("the name the sources use most"),
                _ALIASES,
                _MATCH_CASE,
                Field(
                    "type",
                    Enum(
                        ("company", "organisation", "regulator", "publisher", "research-lab"),
                        "company",
                    ),
                    "what kind of organisation it is",
                ),
                Field("parent", Ref(("company",)), "id of the company it belongs to"),
                Field(
                    "facts",
                    ListOf(
                        Object(
                            "fact",
                            (
                                Field("label", Text(), "what the fact is about", required=True),
                                Field(
                                    "value",
                                    Text(),
                                    "the fact as the source gives it",
                                    required=True,
                                ),
                                _cited("fact"),
                            ),
                        )
                    ),
                    "labelled facts, each cited",
                ),
            ),
        ),
    ),
    FileKind(
        "people",
        "person",
        "People and their dated roles",
        Object(
            "person",
            (
                *_common(),
                _name("the person's full name"),
                _ALIASES,
                _MATCH_CASE,
                Field(
                    "roles",
                    ListOf(
                        Object(
                            "role",
                            (
                                Field("org", Ref(("company",)), "id of the company", required=True),
                                Field(
                                    "title",
                                    Text(),
                                    "the role as the source names it",
                                    required=True,
                                ),
                                Field("start", Date(), "when the role began, if a source says"),
                                Field(
                                    "end",
                                    Date(),
                                    "when it ended, if a source says; not before start",
                                ),
                                _DATE_NOTE,
                                _cited("role"),
                            ),
                        )
                    ),
                    "dated roles at companies, each cited",
                ),
            ),
        ),
    ),
    FileKind(
        "products",
        "product",
        "Products, models, services and platforms",
        Object(
            "product",
            (
                *_common(),
                _name("the product's name"),
                _ALIASES,
                _MATCH_CASE,
                Field(
                    "type",
                    Enum(("model", "service", "platform", "hardware", "product"), "product"),
                    "what kind of product it is",
                ),
                Field("maker", Ref(("company",)), "id of the company that makes it"),
            ),
        ),
    ),
    FileKind(
        "deals",
        "deal",
        "Deals: investments, agreements, clauses, funding rounds, projects",
        Object(
            "deal",
            (
                *_common(),
                _name("a short name for the deal"),
                _ALIASES,
                Field(
                    "type",
                    Enum(
                        (
                            "investment",
                            "cloud",
                            "commercial",
                            "clause",
                            "funding-round",
                            "project",
                            "hiring",
                            "partnership",
                        ),
                        "partnership",
                    ),
                    "what kind of deal it is",
                ),
                _parties(
                    "role",
                    "its role: investor, investee, provider, customer, partner, acquirer ...",
                ),
                Field("amount", AMOUNT, "the figure involved, if a source gives one"),
                Field("date", Date(), "when it was made, if a source says"),
                Field("end", Date(), "when it ended, if a source says; not before date"),
                _DATE_NOTE,
                Field(
                    "status",
                    Enum(
                        (
                            "proposed",
                            "announced",
                            "active",
                            "completed",
                            "ended",
                            "renegotiated",
                            "unknown",
                        ),
                        "unknown",
                    ),
                    "where it stands, as a cited sentence gives it",
                ),
                _PROJECTED,
                Field(
                    "terms",
                    ListOf(
                        Object(
                            "term",
                            (
                                Field("text", Text(), "the term in plain words", required=True),
                                _cited("term"),
                            ),
                        )
                    ),
                    "its terms, each cited",
                ),
                _RELATED,
            ),
        ),
    ),
    FileKind(
        "tensions",
        "tension",
        "Tensions between parties",
        Object(
            "tension",
            (
                *_common(),
                _name("a short name for the tension"),
                Field(
                    "category",
                    Enum(
                        (
                            "governance",
                            "competition",
                            "compute",
                            "exclusivity",
                            "regulatory",
                            "talent",
                            "financial",
                            "commercial",
                            "culture",
                            "strategy",
                        ),
                        "strategy",
                    ),
                    "what the tension is about",
                ),
                _parties(
                    "stance",
                    "the party's stance, as its sentences say it",
                    _STANCE_CITATIONS,
                ),
                Field(
                    "status",
                    Enum(
                        ("emerging", "ongoing", "easing", "resolved", "denied", "unknown"),
                        "unknown",
                    ),
                    "where it stands, as a cited sentence gives it",
                ),
                Field("start", Date(), "when it began, if a source says"),
                _DATE_NOTE,
                _RELATED,
            ),
        ),
    ),
    FileKind(
        "events",
        "event",
        "Events on the timeline",
        Object(
            "event",
            (
                *_common(),
                _name("a short name for the event"),
                Field("date", Date(), "when it happened; left out when no source gives it"),
                _DATE_NOTE,
                _PROJECTED,
                Field("amount", AMOUNT, "the figure involved, if a source gives one"),
                Field(
                    "involves",
                    ListOf(Ref(ENTITY_REFS)),
                    "ids of the companies, people and products involved",
                ),
                _RELATED,
            ),
        ),
    ),
    FileKind(
        "claims",
        "claim",
        "Claims where sources disagree",
        Object(
            "claim",
            (
                *_common(citations_required=False),
                _name("a short name for the disagreement"),
                Field("about", ListOf(Ref(ANY_RECORD)), "ids of the records the claim is about"),
                Field(
                    "sides",
                    ListOf(
                        Object(
                            "claim side",
                            (
                                Field(
                                    "says",
                                    Text(),
                                    "what this side says, in plain words",
                                    required=True,
                                ),
                                Field("amount", AMOUNT, "the figure this side gives, if any"),
                                _cited("side"),
                            ),
                        ),
                        min_items=2,
                    ),
                    "the versions the sources give, at least two, each cited",
                    required=True,
                ),
            ),
        ),
    ),
)

FILE_OF_KIND: dict[Kind, FileKind] = {f.kind: f for f in FILES if f.kind is not None}
FILE_OF_STEM: dict[str, FileKind] = {f.stem: f for f in FILES}


def record(kind: Kind) -> Object:
    """The fields of one kind's records."""
    return FILE_OF_KIND[kind].record


def nested(kind: Kind, *path: str) -> Object:
    """The mapping found at `path` inside a kind's records, e.g. nested("deal", "parties")."""
    obj = record(kind)
    for name in path:
        found = obj.get(name).type
        while isinstance(found, ListOf):
            found = found.item
        if not isinstance(found, Object):
            raise KeyError(f"{name!r} of {kind} is not a mapping")
        obj = found
    return obj


def enum(kind: Kind, name: str) -> Enum:
    found = record(kind).get(name).type
    if not isinstance(found, Enum):
        raise KeyError(f"{name!r} of {kind} is not an enum")
    return found
