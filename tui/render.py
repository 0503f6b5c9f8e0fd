"""Turn records into display rows: `Content` built from sanitised data, never from markup.

Every string from YAML or a source passes through `one_line()`/`flat()` and is
placed into `Content` as plain text (or as a tuple with a style we chose), so a
`[...]` in the data is shown as written and control characters never reach the
terminal. Pure functions of the dossier: easy to test, cheap to call per move.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.content import Content

from partnership_tui.model.build.dates import PartialDate
from partnership_tui.model.build.records import (
    KIND_PLURALS,
    Amount,
    AnyRecord,
    Claim,
    Company,
    Deal,
    Event,
    Person,
    Product,
    Source,
    Tension,
    record_date,
)
from partnership_tui.model.build.text import in_quotation_marks, one_line, sanitize

if TYPE_CHECKING:
    from partnership_tui.model.dossier.dossier import Dossier

MUTED = "$text-muted"
LINK = "$text-accent"
HEADING = "bold $text-secondary"
MATCH = "bold underline"

#: Kinds listed in the Entities pane, in this order (events live on the Timeline).
LIST_KINDS: tuple[str, ...] = ("company", "person", "product", "deal", "tension", "claim", "source")

QUOTE_LIMIT = 600
SENTENCE_WINDOW = 160
_SPACES = re.compile(r"\s+")


def flat(text: str | None) -> str:
    """Sanitised text on one line, whitespace runs collapsed but ends kept (for joining)."""
    if not text:
        return ""
    return _SPACES.sub(" ", sanitize(text, keep_newlines=False))


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(0, limit - 1)].rstrip() + "…"


def plural(kind: str) -> str:
    return KIND_PLURALS.get(kind, kind + "s")  # type: ignore[call-overload]


def format_amount(amount: Amount) -> str:
    """The amount as written, then the figure it stands for: "$10 billion (USD 10,000,000,000)"."""
    value = amount.value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    figure = f"{amount.currency} {value:,}"
    approx = ", approximate" if amount.approximate else ""
    written = one_line(amount.text)
    return f"{written} ({figure}{approx})" if written else f"{figure}{approx}"


def record_date_text(record: AnyRecord) -> str:
    """The date a record is placed at, as the sources write it ("2019", "Nov 2023", "late 2022")."""
    date = None
    if isinstance(record, Event | Deal):
        date = record.date
    elif isinstance(record, Tension):
        date = record.start
    elif isinstance(record, Source):
        date = record.published
    return date.display() if date else ""


# --- Entities pane ----------------------------------------------------------------


def entity_hint(record: AnyRecord) -> str:
    """A short muted hint after a name in the Entities list: what it is, how much, when."""
    parts: list[str] = []
    if isinstance(record, Deal):
        if record.amount:
            parts.append(one_line(record.amount.text))
        if record.date:
            parts.append(record.date.display())
    elif isinstance(record, Tension):
        parts.append(one_line(record.status))  # ongoing, easing, resolved... at a glance
        parts.append(one_line(record.category))
    elif isinstance(record, Product) or (isinstance(record, Company) and record.type != "company"):
        parts.append(one_line(record.type))
    elif isinstance(record, Source):
        if record.publisher:
            parts.append(one_line(record.publisher))
        if record.published:
            parts.append(record.published.display())
    return " · ".join(p for p in parts if p)


def entity_row(record: AnyRecord) -> Content:
    hint = entity_hint(record)
    name = one_line(record.name) or record.id
    if hint:
        return Content.assemble(name, ("  " + hint, MUTED))
    return Content(name)


def group_header(kind: str, shown: int, total: int) -> Content:
    label = plural(kind).capitalize()
    count = f"{shown}" if shown == total else f"{shown} of {total}"
    return Content.assemble((label, HEADING), (f" ({count})", MUTED))


def filter_haystack(record: AnyRecord) -> tuple[str, ...]:
    """What the Entities filter looks in: the id, the name and the aliases, casefolded;
    a tension's status and category too (`/ongoing`, `/governance` narrow tensions)."""
    texts = (record.id, record.name.casefold(), *(alias.casefold() for alias in record.aliases))
    if isinstance(record, Tension):
        texts += (record.status.casefold(), record.category.casefold())
    return texts


def matches_filter(record: AnyRecord, needle: str) -> bool:
    """Case-insensitive substring match on name, aliases and id."""
    return not needle or any(needle in text for text in filter_haystack(record))


# --- Timeline pane ----------------------------------------------------------------

DATE_WIDTH = 11


def timeline_row(entry: Event | Deal | Tension, reported_by: Source | None = None) -> Content:
    """One timeline row: an event, a dated deal, or a tension at its start (each marked as
    such). An undated event reported by a dated source shows that bound."""
    when = record_date(entry)
    if when is not None:
        date = when.display()
    elif reported_by is not None and reported_by.published is not None:
        published = reported_by.published  # to the month: "by Oct 2024" fits the column
        date = f"by {PartialDate(published.text, published.year, published.month).display()}"
    else:
        date = "undated"
    parts: list[str | tuple[str, str]] = [(date.ljust(DATE_WIDTH) + " ", MUTED)]
    # Before the name, so that a narrow pane that cuts the name still shows what it is.
    if isinstance(entry, Deal):
        parts.append(("deal: ", MUTED))
    elif isinstance(entry, Tension):
        parts.append(("tension: ", MUTED))
    parts.append(one_line(entry.name) or entry.id)
    if getattr(entry, "projected", False):
        parts.append((" (projected)", "italic " + MUTED))
    return Content.assemble(*parts)


TIMELINE_KINDS = frozenset({"event", "deal", "tension"})
#: Up to this many events, deals and tensions the timeline is placed before the first frame;
#: beyond, in a worker (placing deals among 100,000 events takes ~1.3 s), events first.
PLACE_AT_ONCE = 20_000
_timeline_order: weakref.WeakKeyDictionary[Dossier, dict[str, int]] = weakref.WeakKeyDictionary()


def timeline_position(dossier: Dossier, *, place: bool = True) -> dict[str, int] | None:
    """Each timeline entry's place (`Dossier.timeline_entry_ids`), computed once per dossier.

    With `place=False`, None until it has been computed (the app does it in a worker)."""
    order = _timeline_order.get(dossier)
    if order is None and place:
        order = {entry: i for i, entry in enumerate(dossier.timeline_entry_ids)}
        _timeline_order[dossier] = order
    return order


def place_at_once(dossier: Dossier) -> bool:
    """Small enough to place the whole timeline before the first frame."""
    size = sum(len(dossier.ids(kind)) for kind in ("event", "deal", "tension"))  # type: ignore[arg-type]
    return size <= PLACE_AT_ONCE


def timeline_entries_of(dossier: Dossier, record_id: str) -> tuple[str, ...]:
    """What the timeline marks for a record, in timeline order: its events, and the dated
    deals and tensions it is part of (itself, for a deal or tension on the timeline).
    Events only while the timeline is being placed."""
    order = timeline_position(dossier, place=False)
    if order is None:
        return tuple(event.id for event in dossier.events_of(record_id))
    found = {event.id for event in dossier.events_of(record_id)}
    found.update(
        other.id for other in dossier.involving(record_id) if other.kind in ("deal", "tension")
    )
    found.add(record_id)
    return tuple(sorted((i for i in found if i in order), key=order.__getitem__))


# --- Detail pane ------------------------------------------------------------------

DetailLine = tuple[Content, "str | None"]


def _heading(text: str) -> DetailLine:
    return Content.styled(text, HEADING), None


def _field(label: str, value: str) -> DetailLine:
    return Content.assemble((f"{label}: ", "bold"), value), None


def _link(dossier: Dossier, target: str, before: str = "", after: str = "") -> DetailLine:
    record = dossier.get(target)
    name = (one_line(record.name) or target) if record else target
    kind = record.kind if record else "missing"
    parts: list[str | tuple[str, str]] = [("→ ", MUTED)]
    if before:
        parts.append((before, MUTED))
    parts.append((name, LINK))
    if after:
        parts.append((after, MUTED))
    parts.append((f"  {kind}", MUTED))
    return Content.assemble(*parts), (target if record else None)


def _span(start: str, end: str) -> str:
    if start and end:
        return f"{start} – {end}"
    if start:
        return f"from {start}"
    if end:
        return f"until {end}"
    return ""


def _parties_and_summary(
    dossier: Dossier,
    record: Deal | Tension,
    summary: list[DetailLine],
    lines: list[DetailLine],
    shown: set[str],
) -> None:
    """A deal's or tension's parties as links (with role or stance), its summary, its date note."""
    if record.parties:
        lines.append(_heading("Parties"))
        for party in record.parties:
            lines.append(_link(dossier, party.ref, after=f" — {one_line(party.role)}"))
            shown.add(party.ref)
    lines.extend(summary)
    if record.date_note:
        lines.append(_field("Date note", flat(record.date_note).strip()))


def detail_lines(dossier: Dossier, record: AnyRecord) -> list[DetailLine]:
    """Everything Detail shows for one record; lines with a target id are followable links."""
    lines: list[DetailLine] = [(Content.styled(one_line(record.name) or record.id, "bold"), None)]
    subtitle = [record.kind]
    kind_type = getattr(record, "type", None)
    if isinstance(kind_type, str) and kind_type and kind_type != record.kind:
        subtitle.append(one_line(kind_type))
    subtitle.append(record.id)
    lines.append((Content.styled(" · ".join(subtitle), MUTED), None))
    # Deals, tensions and events lead with their facts and parties; the prose comes after.
    facts_first = isinstance(record, Deal | Tension | Event)
    summary: list[DetailLine] = (
        [(Content(flat(record.summary).strip()), None)]
        if record.summary and not isinstance(record, Source)
        else []
    )
    if not facts_first:
        lines.extend(summary)
    if record.aliases:
        lines.append(_field("Also called", ", ".join(one_line(a) for a in record.aliases)))
    shown: set[str] = {record.id}

    if isinstance(record, Company):
        if record.parent:
            lines.append(_heading("Part of"))
            lines.append(_link(dossier, record.parent))
            shown.add(record.parent)
        if record.facts:
            lines.append(_heading("Facts"))
            lines.extend(_field(one_line(f.label), flat(f.value).strip()) for f in record.facts)
    elif isinstance(record, Person):
        if record.roles:
            lines.append(_heading("Roles"))
            for role in record.roles:
                when = _span(
                    role.start.display() if role.start else "",
                    role.end.display() if role.end else "",
                )
                after = f" — {one_line(role.title)}" + (f", {when}" if when else "")
                if role.date_note:
                    after += f" ({one_line(role.date_note)})"
                lines.append(_link(dossier, role.org, after=after))
                shown.add(role.org)
    elif isinstance(record, Product):
        if record.maker:
            lines.append(_heading("Made by"))
            lines.append(_link(dossier, record.maker))
            shown.add(record.maker)
    elif isinstance(record, Deal):
        if record.amount:
            lines.append(_field("Amount", format_amount(record.amount)))
        start = record.date.display() if record.date else ""
        finish = record.end.display() if record.end else ""
        when = _span(start, finish) if finish else start
        if when:
            lines.append(_field("Date", when))
        lines.append(
            _field("Status", one_line(record.status) + (" (projected)" if record.projected else ""))
        )
        _parties_and_summary(dossier, record, summary, lines, shown)
        if record.terms:
            lines.append(_heading("Terms"))
            lines.extend((Content("• " + flat(t.text).strip()), None) for t in record.terms)
        _related(dossier, record.related, lines, shown)
    elif isinstance(record, Tension):
        lines.append(_field("Category", one_line(record.category)))
        lines.append(_field("Status", one_line(record.status)))
        if record.start:
            lines.append(_field("Since", record.start.display()))
        _parties_and_summary(dossier, record, summary, lines, shown)
        _related(dossier, record.related, lines, shown)
    elif isinstance(record, Event):
        lines.append(_field("Date", record.date.display() if record.date else "not given"))
        if record.projected:
            lines.append(_field("Projected", "yes"))
        if record.amount:
            lines.append(_field("Amount", format_amount(record.amount)))
        if record.involves:
            lines.append(_heading("Involves"))
            for ref in record.involves:
                lines.append(_link(dossier, ref))
                shown.add(ref)
        lines.extend(summary)
        if record.date_note:
            lines.append(_field("Date note", flat(record.date_note).strip()))
        _related(dossier, record.related, lines, shown)
    elif isinstance(record, Claim):
        if record.about:
            lines.append(_heading("About"))
            for ref in record.about:
                lines.append(_link(dossier, ref))
                shown.add(ref)
        lines.append(_heading("Versions"))
        for number, side in enumerate(record.sides, 1):
            says = flat(side.says).strip()
            if side.amount:
                says += f" — {format_amount(side.amount)}"
            sources = {c.source for c in side.citations}
            cited = f" ({len(sources)} source{'s' if len(sources) != 1 else ''})"
            lines.append((Content.assemble(f"{number}. ", says, (cited, MUTED)), None))
    elif isinstance(record, Source):
        if record.publisher:
            lines.append(_field("Publisher", one_line(record.publisher)))
        if record.published:
            lines.append(_field("Published", record.published.display()))
        if record.url:
            lines.append(_field("URL", one_line(record.url)))
        if record.note:
            lines.append(_field("Note", flat(record.note).strip()))
        quotes = len(dossier.citations_in(record.id))
        mentions = len(dossier.mentions_in(record.id))
        lines.append(_field("Quoted", f"{quotes} times; {mentions} mentions of records"))

    others = [r for r in dossier.involving(record.id) if r.id not in shown and r.kind != "event"]
    if others:
        lines.append(_heading("Linked"))
        for other in others:
            lines.append(_link(dossier, other.id))
    if not isinstance(record, Event | Source):
        count = len(timeline_entries_of(dossier, record.id))
        if count:
            lines.append(_field("Timeline", f"{count} marked"))
    return lines


def _related(
    dossier: Dossier, related: Iterable[str], lines: list[DetailLine], shown: set[str]
) -> None:
    related = [r for r in related if r not in shown]
    if related:
        lines.append(_heading("Related"))
        for ref in related:
            lines.append(_link(dossier, ref))
            shown.add(ref)


# --- Excerpts pane ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Excerpt:
    """One row of the Excerpts pane, and what the reader opens for it."""

    source: str
    start: int
    end: int
    kind: str  # "quote" | "mention"
    highlights: tuple[tuple[int, int], ...] = ()
    cited_by: str | None = None  # a source's quotes: the record citing it


def excerpts_for(dossier: Dossier, record_id: str) -> tuple[list[Excerpt], list[Excerpt]]:
    """The record's cited quotes, then the other sentences that name it (not already quoted).

    For a source: every quote cited from it, in text order, each with the record citing it.
    """
    quotes: list[Excerpt] = []
    if dossier.kind_of(record_id) == "source":
        cited = sorted(dossier.citations_in(record_id), key=lambda rc: (rc[1].start, rc[0]))
        for citing, citation in cited:
            quotes.append(
                Excerpt(citation.source, citation.start, citation.end, "quote", cited_by=citing)
            )
        return quotes, []
    seen: set[tuple[str, int, int]] = set()
    for citation in dossier.citations_of(record_id):
        key = (citation.source, citation.start, citation.end)
        if key in seen:
            continue
        seen.add(key)
        quotes.append(Excerpt(citation.source, citation.start, citation.end, "quote"))
    quoted: dict[str, list[tuple[int, int]]] = {}
    for q in quotes:
        quoted.setdefault(q.source, []).append((q.start, q.end))
    sentences: dict[tuple[str, int, int], list[tuple[int, int]]] = {}
    for mention in dossier.mentions_of(record_id):
        spans = quoted.get(mention.source, ())
        if any(s < mention.sentence_end and mention.sentence_start < e for s, e in spans):
            continue
        key = (mention.source, mention.sentence_start, mention.sentence_end)
        sentences.setdefault(key, []).append((mention.start, mention.end))
    mentions = [
        Excerpt(source, start, end, "mention", tuple(spans))
        for (source, start, end), spans in sentences.items()
    ]
    return quotes, mentions


def source_title(dossier: Dossier, source_id: str) -> str:
    source = dossier.get(source_id)
    return (one_line(source.name) or source_id) if source else source_id


def excerpt_row(dossier: Dossier, excerpt: Excerpt) -> Content:
    """A quote in quotation marks (or a sentence with the name marked), then its source."""
    return Content.assemble(*excerpt_parts(dossier, excerpt))


Part = tuple[str, str]  # text, style ("" for none)


def excerpt_parts(dossier: Dossier, excerpt: Excerpt) -> list[Part]:
    """`excerpt_row` as styled pieces: their texts joined are its plain text, so a list can
    lay the row out (count its wrapped lines) before, or without, assembling it."""
    source = dossier.get(excerpt.source)
    text = source.text if isinstance(source, Source) else ""
    published = (
        source.published.display() if isinstance(source, Source) and source.published else ""
    )
    title: list[Part] = [
        ("  — ", MUTED),
        (source_title(dossier, excerpt.source), "italic " + MUTED),
        (f", {published}" if published else "", MUTED),
    ]
    if excerpt.kind == "quote":
        body = clip(flat(text[excerpt.start : excerpt.end]).strip(), QUOTE_LIMIT)
        if excerpt.cited_by is not None:
            citing = dossier.get(excerpt.cited_by)
            name = (one_line(citing.name) or citing.id) if citing else excerpt.cited_by
            kind = citing.kind if citing else ""
            return [
                (in_quotation_marks(body), ""),
                ("\n", ""),
                ("  — cited by ", MUTED),
                (name, "italic " + MUTED),
                (f"  {kind}", MUTED),
            ]
        return [(in_quotation_marks(body), ""), ("\n", ""), *title]
    start, end = excerpt.start, excerpt.end
    marks = sorted(excerpt.highlights)
    if marks and end - start > 2 * SENTENCE_WINDOW:
        start = max(start, marks[0][0] - SENTENCE_WINDOW // 2)
        end = min(end, marks[-1][1] + SENTENCE_WINDOW // 2)
        if end - start > 2 * SENTENCE_WINDOW:
            end = min(end, marks[0][1] + SENTENCE_WINDOW)
    parts: list[Part] = [("…" if start > excerpt.start else "", "")]
    position = start
    for mark_start, mark_end in marks:
        if mark_start < position or mark_end > end:
            continue
        parts.append((flat(text[position:mark_start]), ""))
        parts.append((flat(text[mark_start:mark_end]), MATCH))
        position = mark_end
    parts.append((flat(text[position:end]), ""))
    if end < excerpt.end:
        parts.append(("…", ""))
    # Strip the leading/trailing blank the flattening may leave, keeping spans aligned.
    plain = "".join(part for part, _ in parts)
    lead = len(plain) - len(plain.lstrip())
    trail = len(plain.rstrip())
    if trail > lead:
        parts = _cut(parts, lead, trail)
    return [*parts, ("\n", ""), *title]


def _cut(parts: list[Part], start: int, end: int) -> list[Part]:
    """The pieces of text [start, end) of the joined parts, styles kept."""
    out: list[Part] = []
    position = 0
    for part, style in parts:
        left, right = max(start, position), min(end, position + len(part))
        if left < right:
            out.append((part[left - position : right - position], style))
        position += len(part)
    return out
