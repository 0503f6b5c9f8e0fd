"""Export a dossier as one JSON object or as a readable Markdown brief."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from typing import Any

from ..build.dates import PartialDate
from ..build.records import (
    KIND_PLURALS,
    KINDS,
    Amount,
    AnyRecord,
    Citation,
    Deal,
    Event,
    Record,
    Source,
    Tension,
    record_date,
)
from ..build.text import json_safe, sanitize
from ..dossier.dossier import Dossier

_SKIP = {"citations", "kind", "sentences"}


def _value(value: Any) -> Any:
    if isinstance(value, PartialDate):
        return value.text
    if isinstance(value, Citation):
        return {
            "source": value.source,
            "quote": value.quote,
            "start": value.start,
            "end": value.end,
        }
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _value(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple | list):
        return [_value(v) for v in value]
    return value


def record_to_dict(record: Record) -> dict[str, Any]:
    out: dict[str, Any] = {"id": record.id, "kind": record.kind}
    for item in fields(record):
        if item.name in _SKIP or item.name == "id":
            continue
        out["title" if isinstance(record, Source) and item.name == "name" else item.name] = _value(
            getattr(record, item.name)
        )
    out["citations"] = [_value(c) for c in record.citations]
    return out


def to_json(dossier: Dossier, *, ascii_only: bool = False) -> str:
    """One object: title, description, and a list per kind; controls in the data \\u-escaped
    (and, with `ascii_only`, every non-ASCII character: for an output that is not UTF-8).

    Each source also lists its mentions, `{"record", "start", "end"}` with offsets
    into its `text`, so that a reader of the export can link names as the app does.
    """
    body: dict[str, Any] = {"title": dossier.title, "description": dossier.description}
    for kind in KINDS:
        records = []
        for record in dossier.by_kind(kind):
            out = record_to_dict(record)
            if isinstance(record, Source):
                out["mentions"] = [
                    {"record": m.record, "start": m.start, "end": m.end}
                    for m in dossier.mentions_in(record.id)
                ]
            records.append(out)
        body[KIND_PLURALS[kind]] = records
    return json_safe(json.dumps(body, ensure_ascii=ascii_only, indent=2)) + "\n"


# --- Markdown ----------------------------------------------------------------


def _md(text: str) -> str:
    """Escape what Markdown would read as formatting; data stays literal, controls defused."""
    out = []
    for char in " ".join(sanitize(text, keep_newlines=False).split()):
        if char in "\\`*_{}[]<>()#+!|~":
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def _amount(amount: Amount | None) -> str:
    if amount is None:
        return ""
    approx = ", approximate" if amount.approximate else ""
    return f"{amount.text} ({amount.value:,} {amount.currency}{approx})"


def _quotes(
    dossier: Dossier, citations: tuple[Citation, ...], indent: str = "", shown: set | None = None
) -> list[str]:
    """Quote each citation once per section; a repeat names the quote above instead."""
    lines = []
    for citation in citations:
        key = (citation.source, citation.start, citation.end)
        if shown is not None:
            if key in shown:
                lines += [f"{indent}*(quoted above)*", ""]
                continue
            shown.add(key)
        source = dossier.get(citation.source)
        title = source.name if source else citation.source
        lines.append(f"{indent}> {_md(citation.quote)}  \n{indent}> — *{_md(title)}*")
        lines.append("")
    return lines


def _name(dossier: Dossier, record_id: str) -> str:
    record = dossier.get(record_id)
    return _md(record.name) if record else record_id


def _section(dossier: Dossier, record: AnyRecord) -> list[str]:
    lines = [f"### {_md(record.name)}", ""]
    if record.summary:
        lines += [_md(record.summary), ""]
    facts: list[str] = []
    kind = record.kind
    date = getattr(record, "date", None) or getattr(record, "start", None)
    if date is not None and kind != "person":
        facts.append(f"- **Date:** {_md(date.display())}")
    if getattr(record, "date_note", None):
        facts.append(f"- **Date note:** {_md(record.date_note)}")  # type: ignore[attr-defined]
    if getattr(record, "projected", False):
        facts.append("- **Projected** (a forecast, not an outcome)")
    for attr in ("type", "category", "status"):
        value = getattr(record, attr, None)
        if value:
            facts.append(f"- **{attr.capitalize()}:** {_md(value)}")
    if getattr(record, "amount", None):
        facts.append(f"- **Amount:** {_md(_amount(record.amount))}")  # type: ignore[attr-defined]
    parties = getattr(record, "parties", ())
    if parties:
        label = "Stances" if kind == "tension" else "Parties"
        names = "; ".join(f"{_name(dossier, p.ref)} ({_md(p.role)})" for p in parties)
        facts.append(f"- **{label}:** {names}")
    for attr, label in (("involves", "Involves"), ("about", "About"), ("related", "Related")):
        ids = getattr(record, attr, ())
        if ids:
            facts.append(f"- **{label}:** " + ", ".join(_name(dossier, i) for i in ids))
    if getattr(record, "aliases", ()):
        facts.append("- **Also called:** " + ", ".join(_md(a) for a in record.aliases))
    if facts:
        lines += [*facts, ""]
    shown: set = set()
    lines += _quotes(dossier, record.citations, shown=shown)
    for role in getattr(record, "roles", ()):
        when = " – ".join(d.display() for d in (role.start, role.end) if d)
        lines.append(
            f"- **{_md(role.title)}**, {_name(dossier, role.org)}{f' ({when})' if when else ''}"
        )
        lines.append("")
        lines += _quotes(dossier, role.citations, "  ", shown)
    for fact in getattr(record, "facts", ()):
        lines += [f"- **{_md(fact.label)}:** {_md(fact.value)}", ""]
        lines += _quotes(dossier, fact.citations, "  ", shown)
    for term in getattr(record, "terms", ()):
        lines += [f"- Term: {_md(term.text)}", ""]
        lines += _quotes(dossier, term.citations, "  ", shown)
    for side in getattr(record, "sides", ()):
        extra = f" — {_md(_amount(side.amount))}" if side.amount else ""
        lines += [f"- **Says:** {_md(side.says)}{extra}", ""]
        lines += _quotes(dossier, side.citations, "  ", shown)
    return lines


_HEADINGS = {
    "company": "Companies and organisations",
    "person": "People",
    "product": "Products and models",
    "deal": "Deals",
    "tension": "Tensions",
    "claim": "Where the sources differ",
}


def to_markdown(dossier: Dossier) -> str:
    """A brief a reader can check: every statement followed by the sentence that says it."""
    lines = [f"# {_md(dossier.title)}", ""]
    if dossier.description:
        lines += [_md(dossier.description), ""]
    lines += ["## Sources", ""]
    for source in dossier.sources:
        meta = [
            m
            for m in (source.publisher, source.published.display() if source.published else None)
            if m
        ]
        lines.append(f"- **{_md(source.name)}**" + (f" — {_md(', '.join(meta))}" if meta else ""))
        if source.url:
            lines.append(f"  <{source.url}>")
    lines.append("")
    lines += ["## Timeline", ""]
    for record_id in dossier.timeline_entry_ids:
        lines.append(_timeline_line(dossier, dossier[record_id]))  # type: ignore[arg-type]
    lines.append("")
    for kind in ("company", "person", "product", "deal", "tension", "claim"):
        records = dossier.by_kind(kind)  # type: ignore[arg-type]
        if not records:
            continue
        lines += [f"## {_HEADINGS[kind]}", ""]
        for record in records:
            lines += _section(dossier, record)
    lines += ["## Events", ""]
    for event in dossier.timeline:
        lines += _section(dossier, event)
    # Every piece of data went through _md; this catches any that did not (a url, an id).
    return sanitize("\n".join(lines).rstrip() + "\n")


def _timeline_line(dossier: Dossier, event: Event | Deal | Tension) -> str:
    """An event, or a dated deal ("(deal)") or a tension by its start ("(tension begins)")."""
    date = record_date(event)
    when = date.display() if date else "date unknown"
    note = getattr(event, "date_note", None)
    if date is None and note:  # what the sources do say of when ("early 1990s")
        when += f" ({' '.join(note.split())})"
    reported = dossier.reported_by(event.id) if date is None else None
    if reported is not None and reported.published is not None:
        when += f", reported by {reported.published.display()}"
    mark = " *(projected)*" if getattr(event, "projected", False) else ""
    if isinstance(event, Deal):
        mark += " *(deal)*"
    elif isinstance(event, Tension):
        mark += " *(tension begins)*"
    return f"- **{_md(when)}** — {_md(event.name)}{mark}"
