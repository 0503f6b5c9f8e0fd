"""The help screen (`?` / F1): every key, grouped by where it works."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.app import ComposeResult

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Everywhere",
        (
            ("tab / shift+tab", "next / previous pane"),
            ("0", "overview: the dossier at a glance, as links"),
            ("1 2 3 4", "Entities, Detail, Timeline, Excerpts"),
            ("↑ ↓  j k", "move the highlight (the other panes follow)"),
            ("g G  home end", "top / bottom"),
            ("pgup pgdn", "a page up / down"),
            ("enter", "open: detail, link, excerpt's source, a source"),
            ("escape", "back out: to Entities, close a screen"),
            ("alt+← / ⌫", "back through every place you visited"),
            ("alt+→", "forward again"),
            ("/", "filter Entities; reader: find; search: query"),
            ("s", "search every source and record"),
            ("*", "timeline: only the marked events, or all"),
            ("c  ctrl+c", "copy the citation: quote, source, date, URL"),
            ("o", "open the source's web page (http(s) only)"),
            ("ctrl+p", "palette: any record by name, alias or id"),
            ("ctrl+r", "reload the dossier's files now (edits load by themselves)"),
            ("? / F1", "this help"),
            ("q", "quit (closes help, search, reader first)"),
        ),
    ),
    (
        "Typing in a box (filter, search, palette, find)",
        (
            ("letters / ? * q 1-4", "are text, never commands"),
            ("↑ ↓ pgup pgdn", "move in the list below the box"),
            ("enter", "filter: keep it; search: to the results"),
            ("escape", "filter: clear it; search, palette: close"),
            ("tab", "leave the box for the next pane"),
        ),
    ),
    (
        "Entities (1)",
        (
            ("/ then a name", "filter by name, alias, id (a paste too)"),
            ("enter", "on a record: its detail; on a source: read it"),
        ),
    ),
    (
        "Detail (2)",
        (("enter / click", "follow the link (a source opens to read)"),),
    ),
    (
        "Timeline (3)",
        (
            ("●", "an event of the record you are looking at"),
            ("*", "show only the marked events, and back"),
        ),
    ),
    (
        "Excerpts (4)",
        (("enter / double-click", "open the source at that quote"),),
    ),
    (
        "Source reader",
        (
            ("↑ ↓ j k space b", "scroll"),
            ("tab / shift+tab  ] [", "walk the mentions of records"),
            ("n / N", "next / previous search match"),
            ("enter / click", "open the mentioned record"),
            ("m", "mark the gaps: uncited sentences that carry facts"),
            (") / (", "next / previous gap"),
            ("y", "copy the sentence's citation as YAML (gap, quote, or top)"),
            ("escape / q", "return exactly where you were"),
        ),
    ),
)


def help_content() -> Content:
    lines: list[Content] = []
    for heading, rows in KEYS:
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(heading, "bold $text-secondary"))
        for keys, what in rows:
            lines.append(Content.assemble(("  " + keys.ljust(20), "bold $text-accent"), what))
    lines.append(Content(""))
    lines.append(
        Content.styled(
            "The mouse works too: click to highlight, double-click to open, scroll to scroll.",
            "$text-muted",
        )
    )
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """Keys, grouped by pane. Escape, ? or F1 closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1,q", "dismiss_help", "Close help", key_display="esc"),
        Binding("j,down", "scroll('down')", show=False),
        Binding("k,up", "scroll('up')", show=False),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = Content("Keys")
            body.border_subtitle = Content("escape closes")
            yield Static(help_content(), id="help-text")

    def action_dismiss_help(self) -> None:
        if self.app.screen is self:  # a queued second escape must not pop the screen below
            self.dismiss(None)

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#help-body", VerticalScroll)
        if direction == "down":
            body.scroll_down(animate=False)
        else:
            body.scroll_up(animate=False)
