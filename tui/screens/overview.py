"""The dossier at a glance: what it is, who is at its centre, the key figures, the open
tensions, the claims where sources disagree, and the sources. Every line is a link:
enter goes to that record in the panes (a source opens in the reader).

All text comes from the dossier, so it is sanitised and never markup (Content only).
"""

from __future__ import annotations

import itertools
from collections import Counter
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static

from partnership_tui.model.build.records import Claim, Deal, Event, Source, Tension
from partnership_tui.tui.compat import ResizeOnceScreen, hide_toast_rack
from partnership_tui.tui.messages import OpenSource, PasteToFilter, SelectRecord
from partnership_tui.tui.render import HEADING, MUTED, clip, flat, format_amount, record_date_text
from partnership_tui.tui.widgets.footer import QuietFooter
from partnership_tui.tui.widgets.rowlist import Row, RowList

if TYPE_CHECKING:
    from partnership_tui.model.dossier.dossier import Dossier

CENTRE = 6  # parties at the centre
FIGURES = 8  # key figures
LIST_MAX = 12  # lists past twice this (tensions of a status, disputed claims, sources) are cut
# Beyond this many events the overview reads deals, tensions and claims only: reading every
# event would build each record (seconds and ~1 KB apiece on a 100,000-event dossier) for
# the first screen, which must come at once.
EVENT_SCAN = 20_000
# Tension statuses (the schema's enum) in the order the overview lists them: open first,
# then those no source gives a status for, then the closed ones.
OPEN = ("emerging", "ongoing", "easing")
CLOSED = ("resolved", "denied")


def _shown(count: int) -> int:
    """How many of a list's `count` lines the overview shows: all, unless that is many."""
    return count if count <= 2 * LIST_MAX else LIST_MAX


def _more(count: int, kind: str) -> list[Row]:
    """The line that ends a cut list: how many more, and where they all are."""
    hidden = count - _shown(count)
    if hidden <= 0:
        return []
    plural = kind if hidden == 1 else f"{kind}s"
    return [Row(Content.styled(f"  … {hidden:,} more {plural} (all in Entities)", MUTED))]


def _heading(text: str) -> Row:
    return Row(Content.styled(text, HEADING))


def _link(record_id: str, name: str, hint: str = "") -> Row:
    parts: list[str | tuple[str, str]] = ["  ", clip(flat(name) or record_id, 70)]
    if hint:
        parts.append((f"  {clip(flat(hint), 60)}", MUTED))
    return Row(Content.assemble(*parts), record_id, selectable=True)


def overview_rows(dossier: Dossier) -> list[Row]:
    """The overview's lines; a selectable row's key is the record it links to."""
    rows: list[Row] = []  # the description is above the list, where it can wrap
    scan_events = len(dossier.timeline_ids) <= EVENT_SCAN
    # Each kind decoded once for every part below (decoding is most of the overview's time
    # on a large dossier), and let go with this call (each_of_kind keeps nothing).
    deals = [d for d in dossier.each_of_kind("deal") if isinstance(d, Deal)]
    tensions = [t for t in dossier.each_of_kind("tension") if isinstance(t, Tension)]
    claims = [c for c in dossier.each_of_kind("claim") if isinstance(c, Claim)]
    events = dossier.each_of_kind("event") if scan_events else iter(())
    involved: Counter[str] = Counter()
    for record in itertools.chain(deals, tensions, events, claims):
        refs: tuple[str, ...] = ()
        if isinstance(record, Deal | Tension):
            refs = tuple(party.ref for party in record.parties)
        elif isinstance(record, Event):
            refs = record.involves
        elif isinstance(record, Claim):
            refs = record.about
        involved.update(ref for ref in set(refs) if dossier.kind_of(ref) in PARTY_KINDS)
    if involved:
        rows.append(_heading("At the centre" + ("" if scan_events else " (events not counted)")))
        for ref, count in involved.most_common(CENTRE):
            record = dossier.get(ref)
            if record is not None:
                records = "1 record" if count == 1 else f"{count} records"
                rows.append(_link(ref, record.name, f"{record.kind} · in {records}"))
    figures = key_figures(dossier, scan_events, deals)
    if figures:
        rows.append(_heading("Key figures" + ("" if scan_events else " (deals only)")))
        for record in figures[:FIGURES]:
            amount = format_amount(record.amount).split(" (")[0] if record.amount else ""
            when = record_date_text(record)
            projected = "projected" if record.projected else ""
            hint = " · ".join(p for p in (amount, when, projected) if p)
            rows.append(_link(record.id, record.name, hint))
    if tensions:
        rows.extend(_tension_rows(tensions))
    disputed = [
        c
        for c in claims
        if len({cite.source for side in c.sides for cite in side.citations}) > 1
        and len({flat(side.says) for side in c.sides}) > 1
    ]
    if disputed:
        rows.append(_heading("Where sources disagree"))
        for claim in disputed[: _shown(len(disputed))]:
            rows.append(_link(claim.id, claim.name, f"{len(claim.sides)} sides"))
        rows.extend(_more(len(disputed), "claim"))
    source_ids = dossier.ids("source")  # only the sources shown are built (texts are long)
    if source_ids:
        rows.append(_heading("Sources"))
        for source in (dossier[i] for i in source_ids[: _shown(len(source_ids))]):
            assert isinstance(source, Source)
            hint = " · ".join(p for p in (source.publisher or "", record_date_text(source)) if p)
            rows.append(_link(source.id, source.title, hint))
        rows.extend(_more(len(source_ids), "source"))
    return rows


PARTY_KINDS = frozenset({"company", "person", "product"})


def key_figures(
    dossier: Dossier, scan_events: bool = True, deals: list[Deal] | None = None
) -> list[Deal | Event]:
    """Deals and events with an amount, largest first, each figure once.

    An event that reports the amount of a deal it relates to (or that relates to it)
    is the same figure: the deal stands for both. Without `scan_events`, deals only.
    `deals`: the dossier's deals when the caller has decoded them already.
    """
    if deals is None:
        deals = [d for d in dossier.each_of_kind("deal") if isinstance(d, Deal)]
    deals = [d for d in deals if d.amount]
    amount_of = {d.id: (d.amount.value, d.amount.currency) for d in deals if d.amount}
    related_to: dict[str, set[str]] = {}
    for deal in deals:
        for ref in deal.related:
            related_to.setdefault(ref, set()).add(deal.id)
    figures: list[Deal | Event] = list(deals)
    for event in dossier.each_of_kind("event") if scan_events else ():
        if not isinstance(event, Event) or event.amount is None:
            continue
        figure = (event.amount.value, event.amount.currency)
        linked = set(event.related) | related_to.get(event.id, set())
        if not any(amount_of.get(ref) == figure for ref in linked):
            figures.append(event)
    figures.sort(key=lambda r: -float(r.amount.value) if r.amount else 0.0)
    return figures


def _tension_rows(tensions: list[Tension]) -> list[Row]:
    """Tensions grouped under their status as the sources give it; unknown is not open."""
    by_status: dict[str, list[Tension]] = {}
    for tension in tensions:
        by_status.setdefault(tension.status, []).append(tension)
    opened = sum(len(by_status.get(status, ())) for status in OPEN)
    rows = [_heading(f"Tensions by status ({opened} open of {len(tensions)})")]
    order = [*OPEN, "unknown", *CLOSED]
    order += sorted(set(by_status) - set(order))  # a status the schema may add later
    for status in order:
        group = by_status.get(status)
        if not group:
            continue
        label = "status unknown (no source gives it)" if status == "unknown" else status
        rows.append(Row(Content.styled(f" {flat(label)} · {len(group)}", MUTED)))
        ordered = sorted(group, key=lambda t: t.name.casefold())
        for tension in ordered[: _shown(len(ordered))]:
            rows.append(_link(tension.id, tension.name, tension.category))
        rows.extend(_more(len(ordered), "tension"))
    return rows


class OverviewList(RowList):
    """The overview's lines; enter follows the link under the highlight."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Go to", key_display="⏎"),
    ]


# The description's lines at most: the lists below are what the overview is for.
DESCRIPTION_LINES = 4


class ClampedText(Widget):
    """A text wrapped to the width and cut to `lines` lines, the last ending in "…" when cut,
    so that a long description says there is more instead of stopping mid-sentence."""

    DEFAULT_CSS = "ClampedText { height: auto; }"

    def __init__(self, text: str, lines: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text, self.lines = text, lines

    def _clamped(self, width: int) -> list[Content]:
        wrapped = Content(self.text).wrap(max(width, 1))
        if len(wrapped) <= self.lines:
            return wrapped
        last = wrapped[self.lines - 1].rstrip().truncate(max(width - 1, 0))
        return [*wrapped[: self.lines - 1], last + "…"]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._clamped(width))

    def render(self) -> Content:
        return Content("\n").join(self._clamped(self.size.width))


class OverviewScreen(ResizeOnceScreen):
    """The dossier at a glance; escape (or q) goes to the panes as they are."""

    # The panes' own keys leave the overview and act at once (priority, so the rest of a
    # burst such as `/nadella` lands in the filter, not here).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.leave_overview('')", "Panes", key_display="esc"),
        Binding("slash", "app.leave_overview('filter')", "Filter", key_display="/", priority=True),
        Binding("tab", "app.leave_overview('entities')", show=False, priority=True),
        Binding("shift+tab", "app.leave_overview('excerpts')", show=False, priority=True),
        Binding("1", "app.leave_overview('entities')", show=False, priority=True),
        Binding("2", "app.leave_overview('detail')", show=False, priority=True),
        Binding("3", "app.leave_overview('timeline')", show=False, priority=True),
        Binding("4", "app.leave_overview('excerpts')", show=False, priority=True),
        Binding("c", "app.copy", "Copy", show=False),
    ]

    DEFAULT_CSS = """
    OverviewScreen { layout: vertical; }
    OverviewScreen #overview-box { height: 1fr; border: round $primary; }
    OverviewScreen #overview-title { height: auto; padding: 0 1; text-style: bold; }
    OverviewScreen #overview-description { height: auto; padding: 0 1 1 1; }
    OverviewScreen OverviewList { height: 1fr; border: none; }
    """

    def __init__(self, dossier: Dossier) -> None:
        super().__init__(id="overview")
        self.dossier = dossier

    def compose(self) -> ComposeResult:
        from textual.containers import Vertical

        with Vertical(id="overview-box"):
            yield Static(Content(flat(self.dossier.title) or "Dossier"), id="overview-title")
            description = flat(self.dossier.description).strip()
            clamped = ClampedText(description, DESCRIPTION_LINES, id="overview-description")
            clamped.display = bool(description)  # kept, hidden: a reload may give one
            yield clamped
            yield OverviewList(id="overview-list")
        yield QuietFooter()

    def on_mount(self) -> None:
        hide_toast_rack(self)  # before the first frame, not relaid out after it
        box = self.query_one("#overview-box")
        box.border_title = "Overview"
        box.border_subtitle = "⏎ go to · esc the panes · 0 here again"
        listing = self.query_one(OverviewList)
        listing.set_rows(overview_rows(self.dossier))
        listing.set_highlight_quietly(listing.first_selectable())
        self.set_focus(listing)

    def show(self, dossier: Dossier) -> None:
        """A reload: the new dossier's title, description and lines, the highlight kept on
        the same link when it is still there."""
        self.dossier = dossier
        self.query_one("#overview-title", Static).update(Content(flat(dossier.title) or "Dossier"))
        listing = self.query_one(OverviewList)
        clamped = self.query_one(ClampedText)
        clamped.text = flat(dossier.description).strip()
        clamped.display = bool(clamped.text)
        clamped.refresh(layout=True)
        key = listing.highlighted_key
        listing.set_rows(overview_rows(dossier))
        index = None if key is None else listing.index_of(key)
        listing.set_highlight_quietly(index if index is not None else listing.first_selectable())

    @property
    def highlighted_link(self) -> str | None:
        """The record the highlighted line links to (what `c` and ctrl+c copy)."""
        return self.query_one(OverviewList).highlighted_key

    @property
    def links(self) -> list[str]:
        """The record each link goes to, in order (for tests)."""
        return [row.key for row in self.query_one(OverviewList).rows if row.key is not None]

    def on_row_list_row_selected(self, event: RowList.RowSelected) -> None:
        event.stop()
        target = event.key
        if target is None:
            return
        if self.dossier.kind_of(target) == "source":
            self.post_message(OpenSource(target))
        else:
            self.post_message(SelectRecord(target))

    def on_row_list_row_highlighted(self, event: RowList.RowHighlighted) -> None:
        event.stop()

    def on_paste(self, event: events.Paste) -> None:
        """A paste here is meant for the filter, as it is in the Entities list."""
        event.stop()
        text = event.text.splitlines()[0] if event.text else ""
        if text:
            self.post_message(PasteToFilter(text))
