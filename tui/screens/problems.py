"""The screen shown instead of the panes when a dossier does not load: every problem, as text."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from partnership_tui.tui.widgets.footer import QuietFooter

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from partnership_tui.model.read.problems import Problem


class ProblemsScreen(Screen[None]):
    """Shown instead of the panes when the dossier does not load: every problem, as text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape", "quit_app", "Quit"),
        Binding("ctrl+r", "app.reload", "Reload", key_display="^r"),
        Binding("j,down", "scroll('down')", show=False),
        Binding("k,up", "scroll('up')", show=False),
    ]

    def __init__(
        self, heading: str, problems: list[Problem] | list[str], *, watching: bool = False
    ) -> None:
        """`watching`: the folder is watched, so a fix loads by itself (live reload)."""
        super().__init__(id="problems")
        self.heading = heading
        self.problems = problems
        self.watching = watching

    def compose(self) -> ComposeResult:
        from partnership_tui.model.build.text import one_line

        yield Static(
            Content.styled(one_line(self.heading), "bold $text-error"), id="problems-heading"
        )
        lines = [Content(one_line(str(problem))) for problem in self.problems]
        count = len(lines)
        with VerticalScroll(id="problems-body"):
            yield Static(
                Content("\n").join(lines) if lines else Content("(no details)"), id="problems-text"
            )
        yield Static(
            Content.styled(
                f"{count} problem{'s' if count != 1 else ''}. "
                + (
                    "Fix them and save: the explorer loads the files again by itself "
                    "(ctrl+r: now). "
                    if self.watching
                    else "Fix them and press ctrl+r (or start again). "
                )
                + "`partnership-tui validate` prints the same list.",
                "$text-muted",
            ),
            id="problems-hint",
        )
        yield QuietFooter()

    def action_quit_app(self) -> None:
        self.app.exit(return_code=1)

    def action_scroll(self, direction: str) -> None:
        body = self.query_one("#problems-body", VerticalScroll)
        if direction == "down":
            body.scroll_down(animate=False)
        else:
            body.scroll_up(animate=False)
