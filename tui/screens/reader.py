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
from partnership_tui.tui.messages import CopyText, ReaderClosed, SelectRecord
from partnership_tui.tui.widgets.cells import Span
from partnership_tui.tui.widgets.footer import QuietFooter
from partnership_tui.tui.widgets.sourceview import SourceView

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.widget import Widget

    from partnership_tui.model.author.gaps import Gap
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
        # Authoring (vim's sentence motions): the article's gaps, and a citation to paste.
        # The footer shows m and y; ) and ( are in the status line while gaps are marked.
        Binding("m", "toggle_gaps", "Gaps", key_display="m"),
        Binding("right_parenthesis", "gap(1)", "Next gap", key_display=")", show=False),
        Binding("left_parenthesis", "gap(-1)", "Prev gap", key_display="(", show=False),
        Binding("y", "copy_yaml", "Cite YAML", key_display="y"),
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
        #: The article's gaps while they are marked (`m`), in text order; None when not.
        self.gap_list: list[Gap] | None = None
        self._reopen: tuple[str, bool, int | None] | None = None  # find, gaps, gap (reload)

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
        if self._reopen is not None:
            self._apply_reopen(*self._reopen)
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
        gaps = self.gap_list
        if gaps is not None and view.gap is not None and view.gap < len(gaps):
            gap = gaps[view.gap]
            content = Content.assemble(
                (f"Gap {view.gap + 1} of {len(gaps)}", "bold"),
                (": " + one_line("; ".join(gap.reasons))[:120], render.MUTED),
                ("  · ) next · ( previous · y copies its citation · m hides gaps", render.MUTED),
            )
        elif gaps is not None and view.match is None:
            count = len(gaps)
            content = Content.assemble(
                (f"{count} gap{'s' if count != 1 else ''}", "bold"),
                (": uncited sentences that carry facts", render.MUTED),
                ("  · ) next · ( previous · m hides them", render.MUTED)
                if count
                else (" · m hides the marks", render.MUTED),
            )
        elif view.match is not None:
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

    # --- authoring: gaps and citations --------------------------------------------

    def _compute_gaps(self) -> list[Gap]:
        from partnership_tui.model.author.gaps import uncited_sentences

        return uncited_sentences(self.dossier, self.source)

    def action_toggle_gaps(self) -> None:
        """`m`: mark the article's gaps (uncited sentences that carry facts), or unmark them."""
        view = self.view
        if self.gap_list is not None:
            self.gap_list = None
            view.set_gaps(())
            self._update_status()
            return
        self._mark_gaps()
        if not self.gap_list:
            self.notify("No gaps: every sentence that carries a fact is cited.", markup=False)

    def _mark_gaps(self, current: int | None = None) -> None:
        self.gap_list = self._compute_gaps()
        self.view.set_gaps([(gap.start, gap.end) for gap in self.gap_list], current)
        self._update_status()

    def action_gap(self, direction: int) -> None:
        """`)` / `(`: the next / previous gap (marking them first if they are not)."""
        if self.gap_list is None:
            self._mark_gaps()
        if not self.gap_list:
            self.notify("No gaps: every sentence that carries a fact is cited.", markup=False)
            return
        self.view.go_gap(direction)

    def current_sentence(self) -> tuple[int, int] | None:
        """The sentence a `y` copies: the gap you are on, else the one holding the current
        match or quote, else the mention under the cursor, else the first one in view."""
        view = self.view
        sentences = self.source.sentences
        if not sentences:
            return None
        if view.gap is not None and view.gap < len(view.gaps):
            return view.gaps[view.gap]
        if view.quote is not None:
            anchor = view.quote[0]
        elif view.cursor is not None:
            anchor = view.mentions[view.cursor][0]
        else:
            top = view.top_offset
            return next(((s, e) for s, e in sentences if e > top), sentences[-1])
        return next(((s, e) for s, e in sentences if s <= anchor < e), None) or next(
            ((s, e) for s, e in sentences if s >= anchor), sentences[-1]
        )

    def action_copy_yaml(self) -> None:
        """`y`: copy the current sentence's citation as YAML (source, exact, and the
        shortest prefix/suffix that make it unique), ready to paste under `citations:`."""
        from partnership_tui.model.author import AuthoringError
        from partnership_tui.model.author.cite import cite

        span = self.current_sentence()
        if span is None:
            self.notify("This article has no sentences to cite.", markup=False)
            return
        start, end = span
        text = self.source.text
        try:
            result = cite(self.source.id, text, text[start:end])
        except AuthoringError as exc:
            reason = one_line(str(exc.problems[0].message)) if exc.problems else "cannot cite"
            self.notify(f"No citation: {reason}", severity="warning", markup=False)
            return
        chosen = next((s for s in result.found if s.start <= start < s.end), None)
        chosen = chosen or (result.found[0] if result.found else None)
        if chosen is None:
            self.notify("No citation: the sentence was not found again.", markup=False)
            return
        fields = ["source", "exact"] + ["prefix"] * bool(chosen.prefix)
        fields += ["suffix"] * bool(chosen.suffix)
        quote = one_line(text[start:end]).strip()
        short = quote if len(quote) <= 60 else quote[:59] + "…"
        self.post_message(
            CopyText(
                chosen.as_yaml(),
                f"the citation of “{short}” as YAML ({', '.join(fields)})",
            )
        )

    # --- a reload keeps the reader where it was (see the app's _swap_dossier) ----------

    def place_to_reopen(self) -> dict[str, object]:
        """Everything needed to show this reader again on a reloaded dossier."""
        view = self.view
        top, cursor, match = self.position()
        find = self.query_one(FindInput).value
        return {
            "source_id": self.source.id,
            "start": self.start,
            "end": self.end,
            "highlights": tuple(view.highlights),  # the find's matches, if one ran
            "top": top,
            "cursor": cursor,
            "match": match,
            "find": find,
            "gaps": self.gap_list is not None,
            "gap": view.gaps[view.gap][0] if view.gap is not None else None,
        }

    @classmethod
    def reopened(cls, dossier: Dossier, source: Source, place: dict[str, object]) -> ReaderScreen:
        """A reader on `source` (of a reloaded dossier) where `place_to_reopen` left one."""
        length = len(source.text)

        def offset(key: str) -> int | None:
            value = place.get(key)
            return min(value, length) if isinstance(value, int) else None

        start, end = offset("start"), offset("end")
        highlights = [
            (min(a, length), min(b, length))
            for a, b in place.get("highlights", ())  # type: ignore[attr-defined]
            if a < length
        ]
        screen = cls(
            dossier,
            source,
            start,
            end,
            highlights,
            top=offset("top") or 0,
            cursor=place.get("cursor"),  # type: ignore[arg-type]
            match=place.get("match"),  # type: ignore[arg-type]
        )
        gap_at = place.get("gap")
        screen._reopen = (
            str(place.get("find") or ""),
            bool(place.get("gaps")),
            gap_at if isinstance(gap_at, int) else None,
        )
        return screen

    def _apply_reopen(self, find: str, gaps: bool, gap_at: int | None) -> None:
        if find:
            finder = self.query_one(FindInput)
            with self.prevent(Input.Changed):
                finder.value = find
        if gaps:
            spans = [(gap.start, gap.end) for gap in self._compute_gaps()]
            current = None
            if gap_at is not None:
                current = next((i for i, (s, e) in enumerate(spans) if s <= gap_at < e), None)
            self._mark_gaps(current)

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
