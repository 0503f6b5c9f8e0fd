"""The source reader: a whole article, scrolled to a quote; escape returns where you were."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from partnership_tui.model.build.records import Source
from partnership_tui.model.build.text import one_line
from partnership_tui.tui import render
from partnership_tui.tui.messages import ReaderClosed, SelectRecord
from partnership_tui.tui.widgets.cells import Span
from partnership_tui.tui.widgets.footer import QuietFooter
from partnership_tui.tui.widgets.sourceview import SourceView

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.widget import Widget

    from partnership_tui.model.dossier.dossier import Dossier


class FindInput(Input):
    """The reader's find line: enter keeps the matches (n / N walk them), escape clears."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "done(False)", "Keep", key_display="⏎", priority=True),
        Binding("escape", "done(True)", "Clear", key_display="esc", priority=True),
    ]

    class Done(Message):
        def __init__(self, clear: bool) -> None:
            super().__init__()
            self.clear = clear

    #: Where focus goes when done: set by the screen (the text).
    leave_to: Widget | None = None

    def action_done(self, clear: bool) -> None:
        # Focus moves now, so n typed right after enter walks the matches.
        if self.leave_to is not None:
            self.screen.set_focus(self.leave_to)
        self.post_message(self.Done(clear))


class ReaderScreen(Screen[None]):
    """A whole source, opened at a quote; escape returns exactly where you were."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "find", "Find", key_display="/", priority=True),
        Binding("escape,q", "close", "Close", key_display="esc"),
        Binding("c", "app.copy", "Copy citation", show=False),
        Binding("o", "app.open_url", "Open in browser", show=False),
    ]

    def __init__(
        self,
        dossier: Dossier,
        source: Source,
        start: int | None = None,
        end: int | None = None,
        highlights: Sequence[Span] = (),
        *,
        top: int | None = None,
        cursor: int | None = None,
        match: int | None = None,
    ) -> None:
        """Open `source` at [start, end) (the quote), or where it was left: `top`, `cursor`
        and `match` are the position `position()` gave when it was last shown."""
        super().__init__()
        self.dossier = dossier
        self.source = source
        self.start = start
        self.end = end
        self.highlights = tuple(highlights)
        self._restore = (top, cursor, match)

    def compose(self) -> ComposeResult:
        source = self.source
        details = [
            p
            for p in (
                one_line(source.publisher or ""),
                source.published.display() if source.published else "",
            )
            if p
        ]
        title = Content.assemble(
            ("Source: ", "bold"),
            (one_line(source.name) or source.id, "bold $text-accent"),
            ("  " + " · ".join(details), render.MUTED) if details else "",
        )
        yield Static(title, id="reader-title", markup=False)
        mentions = [(m.start, m.end, m.record) for m in self.dossier.mentions_in(source.id)]
        quote = (self.start, self.end) if self.start is not None and self.end is not None else None
        top, cursor, match = self._restore
        yield SourceView(
            source.text,
            mentions,
            quote,
            self.highlights,
            top=top,
            cursor=cursor,
            match=match,
            id="source-view",
        )
        yield FindInput(placeholder="find in this article", compact=True, id="reader-find")
        yield Static("", id="reader-status", markup=False)
        yield QuietFooter()

    @property
    def view(self) -> SourceView:
        return self.query_one(SourceView)

    def on_mount(self) -> None:
        view = self.view
        self.query_one(FindInput).leave_to = view
        if self.start is not None and self._restore[0] is None:
            view.open_at(self.start)
        self.set_focus(view)
        self._update_status()

    def on_source_view_cursor_moved(self, _: SourceView.CursorMoved) -> None:
        self._update_status()

    def on_source_view_follow_mention(self, event: SourceView.FollowMention) -> None:
        event.stop()
        self.post_message(SelectRecord(event.record_id, pane=None))

    def _update_status(self) -> None:
        view = self.view
        status = self.query_one("#reader-status", Static)
        total = len(view.mentions)
        if view.match is not None:
            content = Content.assemble(
                (f"Match {view.match + 1} of {len(view.highlights)}", "bold"),
                ("  · n next · N previous · tab walks mentions", render.MUTED),
            )
        elif view.cursor is None:
            content = Content.assemble(
                (f"{total} mentions of records", render.MUTED),
                (" · tab/shift+tab walk them · enter opens one · escape returns", render.MUTED),
            )
        else:
            record = self.dossier.get(view.mentions[view.cursor][2])
            name = one_line(record.name) if record else view.mentions[view.cursor][2]
            kind = record.kind if record else ""
            content = Content.assemble(
                (f"Mention {view.cursor + 1} of {total}: ", render.MUTED),
                (name, "bold $text-accent"),
                (f"  {kind}", render.MUTED),
                ("  · enter opens it", render.MUTED),
            )
        status.update(content, layout=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # `/` typed in the find line is text (Textual 8.2 gives "slash" no character,
        # so the Input alone cannot keep it from this binding).
        return not (action == "find" and isinstance(self.focused, Input))

    def action_find(self) -> None:
        """`/`, as in less: a line to find text in this article; focused before the next key."""
        find = self.query_one(FindInput)
        find.display = True
        self.set_focus(find)
        find.select_all()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.view.find(event.value)

    def on_find_input_done(self, event: FindInput.Done) -> None:
        event.stop()
        find = self.query_one(FindInput)
        if event.clear:
            find.value = ""
            self.view.find("")
        find.display = False

    def action_close(self) -> None:
        if self.app.screen is self:  # a queued second escape must not close what is below
            self.post_message(ReaderClosed())

    def current_span(self) -> tuple[int | None, int | None]:
        """The text a copy takes: the quote or current match, else the mention under the cursor."""
        view = self.view
        if view.quote is not None:
            return view.quote
        if view.cursor is not None:
            start, end, _ = view.mentions[view.cursor]
            return start, end
        return None, None

    def position(self) -> tuple[int, int | None, int | None]:
        """Where the reader is: (text offset at the top, mention cursor, current match)."""
        view = self.view
        return view.top_offset, view.cursor, view.match
