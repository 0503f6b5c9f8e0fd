"""Plain-text citations for the clipboard: the quote, then where it comes from.

Everything here is data from the dossier, made one line and free of control
and bidi characters before it leaves the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from partnership_tui.model.build.records import Source
from partnership_tui.model.build.text import one_line

if TYPE_CHECKING:
    from partnership_tui.model.build.records import AnyRecord
    from partnership_tui.model.dossier.dossier import Dossier


def source_line(source: Source) -> str:
    """Title, publisher, date, URL: what a reader needs to find the article."""
    parts = [one_line(source.name) or source.id]
    if source.publisher:
        parts.append(one_line(source.publisher))
    if source.published:
        parts.append(source.published.display())
    line = ", ".join(p for p in parts if p)
    url = one_line(source.url or "")
    return f"{line}. {url}" if url else f"{line}."


def citation_text(dossier: Dossier, source_id: str, start: int | None, end: int | None) -> str:
    """“quote” — Title, Publisher, Date. URL (the source line alone without a quote)."""
    source = dossier.get(source_id)
    if not isinstance(source, Source):
        return one_line(source_id)
    where = source_line(source)
    if start is None or end is None or not 0 <= start < end <= len(source.text):
        return where
    quote = one_line(source.text[start:end]).strip().strip('“”"')
    return f"“{quote}” — {where}"


def record_text(record: AnyRecord) -> str:
    """A record's name and id, for pasting into notes."""
    return f"{one_line(record.name) or record.id} ({record.id})"


def safe_url(source: Source) -> str | None:
    """The source's URL if it is http(s) (nothing else is ever opened)."""
    url = one_line(source.url or "").strip()
    return url if url.lower().startswith(("http://", "https://")) else None
