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
            ("1 2 3 4", "Entities, Detail, Timeline, Excerpts"),
            ("↑ ↓  j k", "move the highlight (the other panes follow)"),
            ("g G  home end", "top / bottom"),
            ("pgup pgdn", "a page up / down"),
            ("enter", "follow: open the detail, a link, or an excerpt's source"),
            ("escape", "back out: clear the filter, return to Entities, close a screen"),
            ("alt+← / backspace", "back through everything you visited"),
            ("alt+→", "forward again"),
            ("*", "timeline: only the marked events, or all of them"),
            ("/", "search every source and record"),
            ("ctrl+p", "command palette: jump to any record by name, alias or id"),
            ("? / F1", "this help"),
            ("q", "quit"),
        ),
    ),
    (
        "Entities (1)",
        (
            ("type a name", "filter by name, alias or id"),
            ("", "(j k g n q are commands here: type on, e.g. “ason” for Jason)"),
            ("enter", "in the filter: back to the list; on a record: go to its detail"),
            ("escape", "clear the filter"),
        ),
    ),
    (
        "Detail (2)",
        (("enter / click", "follow the highlighted link: it is selected everywhere"),),
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
            ("escape", "return exactly where you were"),
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
            lines.append(Content.assemble(("  " + keys.ljust(22), "bold $text-accent"), what))
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
        Binding("escape,question_mark,f1", "dismiss_help", "Close help"),
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
