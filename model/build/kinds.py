"""The per-kind record builders: one function per kind reads its fields into a record.

KIND_FILES maps each kind to its builder and the keys its file may use.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .dates import PartialDate
from .fields import (
    ANY_RECORD,
    COMPANY_TYPES,
    DEAL_STATUSES,
    DEAL_TYPES,
    ENTITY_REFS,
    PRODUCT_TYPES,
    TENSION_CATEGORIES,
    TENSION_STATUSES,
    Context,
    FieldReader,
)
from .quotes import (
    read_citations,
)
from .records import (
    Amount,
    Citation,
    Claim,
    ClaimSide,
    Company,
    Deal,
    Event,
    Fact,
    Kind,
    Party,
    Person,
    Product,
    Record,
    Role,
    Tension,
    Term,
)


def _amount(ctx: Context, reader: FieldReader, key: str = "amount") -> Amount | None:
    node = reader.mapping(key)
    if node is None:
        return None
    sub = FieldReader(
        ctx, reader.path, node, "amount", ("value", "currency", "text", "approximate")
    )
    value_node = sub.scalar("value", True)
    value: float | int = 0
    if value_node is not None:
        try:
            value = int(value_node.value.replace("_", ""))
        except ValueError:
            try:
                value = float(value_node.value.replace("_", ""))
            except ValueError:
                ctx.problem(
                    reader.path,
                    value_node,
                    f"amount value {value_node.value!r} is not a number",
                    "write the figure in whole units, e.g. 13000000000",
                )
        if value_node is not None and not value_node.plain:
            ctx.problem(reader.path, value_node, "amount value must be an unquoted number")
    currency = sub.text("currency", required=True) or ""
    if currency and not re.fullmatch(r"[A-Z]{3}", currency):
        ctx.problem(
            reader.path, sub.at("currency"), f"currency {currency!r} is not an ISO code", "e.g. USD"
        )
    return Amount(value, currency, sub.text("text", required=True) or "", sub.flag("approximate"))


def _parties(ctx: Context, reader: FieldReader, role_key: str) -> tuple[Party, ...]:
    out: list[Party] = []
    for item in reader.maps("parties", required=True):
        sub = FieldReader(ctx, reader.path, item, "party", ("ref", role_key))
        ref = sub.ref("ref", ENTITY_REFS, required=True)
        role = sub.text(role_key, required=True)
        if ref:
            out.append(Party(ref, role or ""))
    distinct = {p.ref for p in out}
    if len(distinct) < 2:
        ctx.problem(
            reader.path,
            reader.at("parties"),
            f"{reader.what} needs at least two distinct parties (has {len(distinct)})",
            "name every side involved",
        )
    return tuple(out)


def _check_order(
    ctx: Context,
    reader: FieldReader,
    start: PartialDate | None,
    end: PartialDate | None,
    end_key: str,
) -> None:
    if start and end and end.latest_key < start.sort_key[:3]:
        ctx.problem(
            reader.path, reader.at(end_key), f"ends ({end.text}) before it starts ({start.text})"
        )


_COMMON = ("id", "summary", "citations")
_ENTITY = (*_COMMON, "name", "aliases", "match_case")


def _company(ctx: Context, r: FieldReader, rid: str, cites: tuple[Citation, ...]) -> Record:
    facts = []
    for item in r.maps("facts"):
        sub = FieldReader(ctx, r.path, item, "fact", ("label", "value", "citations"))
        fact_cites = read_citations(ctx, sub)
        require_citation(ctx, sub, fact_cites, "fact")
        facts.append(Fact(sub.text("label", True) or "", sub.text("value", True) or "", fact_cites))
    return Company(
        id=rid,
        name=r.text("name", True) or rid,
        summary=r.text("summary") or "",
        citations=cites,
        type=r.choice("type", COMPANY_TYPES, "company"),
        aliases=r.strings("aliases"),
        match_case=r.flag("match_case"),
        parent=r.ref("parent", ("company",)),
        facts=tuple(facts),
    )


def _person(ctx: Context, r: FieldReader, rid: str, cites: tuple[Citation, ...]) -> Record:
    roles = []
    for item in r.maps("roles"):
        sub = FieldReader(
            ctx, r.path, item, "role", ("org", "title", "start", "end", "date_note", "citations")
        )
        start, end = sub.date("start"), sub.date("end")
        _check_order(ctx, sub, start, end, "end")
        role_cites = read_citations(ctx, sub)
        require_citation(ctx, sub, role_cites, "role")
        roles.append(
            Role(
                org=sub.ref("org", ("company",), required=True) or "",
                title=sub.text("title", True) or "",
                start=start,
                end=end,
                date_note=sub.text("date_note"),
                citations=role_cites,
            )
        )
    return Person(
        id=rid,
        name=r.text("name", True) or rid,
        summary=r.text("summary") or "",
        citations=cites,
        aliases=r.strings("aliases"),
        match_case=r.flag("match_case"),
        roles=tuple(roles),
    )


def _product(ctx: Context, r: FieldReader, rid: str, cites: tuple[Citation, ...]) -> Record:
    return Product(
        id=rid,
        name=r.text("name", True) or rid,
        summary=r.text("summary") or "",
        citations=cites,
        type=r.choice("type", PRODUCT_TYPES, "product"),
        aliases=r.strings("aliases"),
        match_case=r.flag("match_case"),
        maker=r.ref("maker", ("company",)),
    )


def _deal(ctx: Context, r: FieldReader, rid: str, cites: tuple[Citation, ...]) -> Record:
    date, end = r.date("date"), r.date("end")
    _check_order(ctx, r, date, end, "end")
    terms = []
    for item in r.maps("terms"):
        sub = FieldReader(ctx, r.path, item, "term", ("text", "citations"))
        term_cites = read_citations(ctx, sub)
        require_citation(ctx, sub, term_cites, "term")
        terms.append(Term(sub.text("text", True) or "", term_cites))
    return Deal(
        id=rid,
        name=r.text("name", True) or rid,
        summary=r.text("summary") or "",
        citations=cites,
        type=r.choice("type", DEAL_TYPES, "partnership"),
        aliases=r.strings("aliases"),
        parties=_parties(ctx, r, "role"),
        amount=_amount(ctx, r),
        date=date,
        end=end,
        date_note=r.text("date_note"),
        status=r.choice("status", DEAL_STATUSES, "unknown"),
        projected=r.flag("projected"),
        terms=tuple(terms),
        related=r.refs("related", ANY_RECORD),
    )


def _tension(ctx: Context, r: FieldReader, rid: str, cites: tuple[Citation, ...]) -> Record:
    return Tension(
        id=rid,
        name=r.text("name", True) or rid,
        summary=r.text("summary") or "",
        citations=cites,
        category=r.choice("category", TENSION_CATEGORIES, "strategy"),
        parties=_parties(ctx, r, "stance"),
        status=r.choice("status", TENSION_STATUSES, "unknown"),
        start=r.date("start"),
        date_note=r.text("date_note"),
        related=r.refs("related", ANY_RECORD),
    )


def _event(ctx: Context, r: FieldReader, rid: str, cites: tuple[Citation, ...]) -> Record:
    return Event(
        id=rid,
        name=r.text("name", True) or rid,
        summary=r.text("summary") or "",
        citations=cites,
        date=r.date("date"),
        date_note=r.text("date_note"),
        projected=r.flag("projected"),
        amount=_amount(ctx, r),
        involves=r.refs("involves", ENTITY_REFS),
        related=r.refs("related", ANY_RECORD),
    )


def _claim(ctx: Context, r: FieldReader, rid: str, cites: tuple[Citation, ...]) -> Record:
    sides = []
    for item in r.maps("sides", required=True):
        sub = FieldReader(ctx, r.path, item, "claim side", ("says", "amount", "citations"))
        side_cites = read_citations(ctx, sub)
        require_citation(ctx, sub, side_cites, "claim side")
        sides.append(ClaimSide(sub.text("says", True) or "", _amount(ctx, sub), side_cites))
    if len(sides) < 2:
        ctx.problem(r.path, r.at("sides"), "a claim needs at least two sides", "cite each version")
    return Claim(
        id=rid,
        name=r.text("name", True) or rid,
        summary=r.text("summary") or "",
        citations=cites,
        about=r.refs("about", ANY_RECORD),
        sides=tuple(sides),
    )


Builder = Callable[[Context, FieldReader, str, tuple[Citation, ...]], Record]
KIND_FILES: dict[Kind, tuple[Builder, tuple[str, ...]]] = {
    "company": (_company, (*_ENTITY, "type", "parent", "facts")),
    "person": (_person, (*_ENTITY, "roles")),
    "product": (_product, (*_ENTITY, "type", "maker")),
    "deal": (
        _deal,
        (
            *_COMMON,
            "name",
            "aliases",
            "type",
            "parties",
            "amount",
            "date",
            "end",
            "date_note",
            "status",
            "projected",
            "terms",
            "related",
        ),
    ),
    "tension": (
        _tension,
        (*_COMMON, "name", "category", "parties", "status", "start", "date_note", "related"),
    ),
    "event": (
        _event,
        (*_COMMON, "name", "date", "date_note", "projected", "amount", "involves", "related"),
    ),
    "claim": (_claim, (*_COMMON, "name", "about", "sides")),
}


def require_citation(
    ctx: Context, reader: FieldReader, cites: tuple[Citation, ...], what: str
) -> None:
    if not cites and not reader.seq("citations"):
        ctx.problem(
            reader.path,
            reader.node,
            f"{what} has no citation",
            "add citations: [{source: ..., exact: ...}] with the sentence that says it",
        )
