"""The per-kind record builders: one function per kind reads its fields into a record.

KIND_FILES maps each kind to its builder and the keys its file may use. Keys, enum
values and defaults come from the format's definition (schema.py); what a
schema cannot say (references, quotes, date order, distinct parties) is here.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .dates import PartialDate
from .fields import (
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
from .schema import AMOUNT, ANY_RECORD, ENTITY_REFS, Object, enum, nested, record

_COMPANY_TYPE = enum("company", "type")
_PRODUCT_TYPE = enum("product", "type")
_DEAL_TYPE = enum("deal", "type")
_DEAL_STATUS = enum("deal", "status")
_TENSION_CATEGORY = enum("tension", "category")
_TENSION_STATUS = enum("tension", "status")
_FACT = nested("company", "facts")
_ROLE = nested("person", "roles")
_TERM = nested("deal", "terms")
_DEAL_PARTY = nested("deal", "parties")
_TENSION_PARTY = nested("tension", "parties")
_SIDE = nested("claim", "sides")


def _amount(ctx: Context, reader: FieldReader, key: str = "amount") -> Amount | None:
    node = reader.mapping(key)
    if node is None:
        return None
    sub = FieldReader(ctx, reader.path, node, AMOUNT.what, AMOUNT.keys)
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


def _parties(ctx: Context, reader: FieldReader, party: Object, role_key: str) -> tuple[Party, ...]:
    """The parties of a deal (`role`) or a tension (`stance`).

    A stance says what a party thinks or did, so, like a record, it must cite the
    sentences it rests on: a stance without its own citations is refused.
    """
    stance = role_key == "stance"
    out: list[Party] = []
    for item in reader.maps("parties", required=True):
        sub = FieldReader(ctx, reader.path, item, party.what, party.keys)
        ref = sub.ref("ref", ENTITY_REFS, required=True)
        role = sub.text(role_key, required=True)
        cites: tuple[Citation, ...] = ()
        if stance:
            cites = read_citations(ctx, sub)
            if role and not cites and not sub.seq("citations"):
                ctx.problem(
                    reader.path,
                    sub.at("stance"),
                    f"the stance of {ref or 'a party'!r} has no citation",
                    "a stance cites its own sentences: add citations: [{source: ..., exact: ...}]"
                    " to the party, beside stance:",
                )
        if ref:
            out.append(Party(ref, role or "", cites))
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


def _company(ctx: Context, r: FieldReader, rid: str, cites: tuple[Citation, ...]) -> Record:
    facts = []
    for item in r.maps("facts"):
        sub = FieldReader(ctx, r.path, item, _FACT.what, _FACT.keys)
        fact_cites = read_citations(ctx, sub)
        require_citation(ctx, sub, fact_cites, "fact")
        facts.append(Fact(sub.text("label", True) or "", sub.text("value", True) or "", fact_cites))
    return Company(
        id=rid,
        name=r.text("name", True) or rid,
        summary=r.text("summary") or "",
        citations=cites,
        type=r.choice("type", _COMPANY_TYPE.values, _COMPANY_TYPE.default),
        aliases=r.strings("aliases"),
        match_case=r.flag("match_case"),
        parent=r.ref("parent", ("company",)),
        facts=tuple(facts),
    )


def _person(ctx: Context, r: FieldReader, rid: str, cites: tuple[Citation, ...]) -> Record:
    roles = []
    for item in r.maps("roles"):
        sub = FieldReader(ctx, r.path, item, _ROLE.what, _ROLE.keys)
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
        type=r.choice("type", _PRODUCT_TYPE.values, _PRODUCT_TYPE.default),
        aliases=r.strings("aliases"),
        match_case=r.flag("match_case"),
        maker=r.ref("maker", ("company",)),
    )


def _deal(ctx: Context, r: FieldReader, rid: str, cites: tuple[Citation, ...]) -> Record:
    date, end = r.date("date"), r.date("end")
    _check_order(ctx, r, date, end, "end")
    terms = []
    for item in r.maps("terms"):
        sub = FieldReader(ctx, r.path, item, _TERM.what, _TERM.keys)
        term_cites = read_citations(ctx, sub)
        require_citation(ctx, sub, term_cites, "term")
        terms.append(Term(sub.text("text", True) or "", term_cites))
    return Deal(
        id=rid,
        name=r.text("name", True) or rid,
        summary=r.text("summary") or "",
        citations=cites,
        type=r.choice("type", _DEAL_TYPE.values, _DEAL_TYPE.default),
        aliases=r.strings("aliases"),
        parties=_parties(ctx, r, _DEAL_PARTY, "role"),
        amount=_amount(ctx, r),
        date=date,
        end=end,
        date_note=r.text("date_note"),
        status=r.choice("status", _DEAL_STATUS.values, _DEAL_STATUS.default),
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
        category=r.choice("category", _TENSION_CATEGORY.values, _TENSION_CATEGORY.default),
        parties=_parties(ctx, r, _TENSION_PARTY, "stance"),
        status=r.choice("status", _TENSION_STATUS.values, _TENSION_STATUS.default),
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
        sub = FieldReader(ctx, r.path, item, _SIDE.what, _SIDE.keys)
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
_BUILDERS: dict[Kind, Builder] = {
    "company": _company,
    "person": _person,
    "product": _product,
    "deal": _deal,
    "tension": _tension,
    "event": _event,
    "claim": _claim,
}
KIND_FILES: dict[Kind, tuple[Builder, tuple[str, ...]]] = {
    kind: (builder, record(kind).keys) for kind, builder in _BUILDERS.items()
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
