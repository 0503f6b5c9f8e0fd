"""Pane 4, Excerpts: the quotes behind the selection, then other sentences naming it."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content

from partnership_tui.tui import render
from partnership_tui.tui.compat import set_border_title
from partnership_tui.tui.messages import OpenExcerpt
from partnership_tui.tui.render import Excerpt
from partnership_tui.tui.widgets.rowlist import LazyRows, Row, RowList

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from partnership_tui.model.build.records import AnyRecord
    from partnership_tui.model.dossier.dossier import Dossier


class ExcerptsList(RowList):
    WRAP = True
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Open source")]


class ExcerptsPane(Vertical):
    """Pane 4: the quotes behind the selection, then other sentences that name it."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = Content("4 Excerpts")
        self._items: list[Excerpt | None] = []
        self.record_id: str | None = None

    def compose(self) -> ComposeResult:
        yield ExcerptsList(id="excerpts-list")

    @property
    def excerpts_list(self) -> ExcerptsList:
        return self.query_one(ExcerptsList)

    @property
    def items(self) -> list[Excerpt]:
        return [i for i in self._items if i is not None]

    @property
    def highlighted_excerpt(self) -> Excerpt | None:
        return self.excerpt_at(self.excerpts_list.highlighted)

    @property
    def plain_text(self) -> str:
        return "\n".join(str(row.content) for row in self.excerpts_list.rows)

    def show(
        self, dossier: Dossier, record: AnyRecord | None, notice: str = "nothing selected"
    ) -> None:
        """The record's excerpts, or `notice` when there is no record."""
        self.record_id = record.id if record else None
        items: list[Excerpt | None] = []
        if record is None:
            self._items = [None]
            self.excerpts_list.set_rows([Row(Content.styled(notice, render.MUTED))])
            set_border_title(self, "4 Excerpts")
            return
        quotes, mentions = render.excerpts_for(dossier, record.id) if record else ([], [])
        # Excerpt rows are assembled only when they scroll into view: a name in dozens of
        # sources would otherwise style every sentence on each move. Their texts (cheap)
        # are known at once, for the list to lay them out.
        shapes: list[tuple[str, bool]] = []
        made: dict[int, Content] = {}
        pieces: dict[int, list[render.Part]] = {}

        def add(content: Content, item: Excerpt | None) -> None:
            chosen = item is not None
            made[len(items)] = content
            shapes.append((content.plain, chosen))
            items.append(item)

        def add_excerpt(item: Excerpt) -> None:
            parts = pieces[len(items)] = render.excerpt_parts(dossier, item)
            shapes.append(("".join(text for text, _ in parts), True))
            items.append(item)

        heading = "Quotes cited from it" if record.kind == "source" else "Cited quotes"
        add(
            Content.assemble((heading, render.HEADING), (f" ({len(quotes)})", render.MUTED)),
            None,
        )
        for excerpt in quotes:
            add_excerpt(excerpt)
        if not quotes:
            add(Content.styled("no quotes cited", render.MUTED), None)
        if mentions:
            add(
                Content.assemble(
                    ("Also mentioned in", render.HEADING), (f" ({len(mentions)})", render.MUTED)
                ),
                None,
            )
            for excerpt in mentions:
                add_excerpt(excerpt)

        def make(index: int) -> Row:
            content = made.get(index)
            chosen = items[index] is not None
            if content is None:
                content = Content.assemble(*pieces[index])
            return Row(content, selectable=chosen, divider=chosen)

        rows = LazyRows(len(items), make, shapes.__getitem__)
        self._items = items
        excerpts_list = self.excerpts_list
        excerpts_list.set_rows(rows)
        excerpts_list.set_highlight_quietly(excerpts_list.first_selectable(), scroll=False)
        set_border_title(
            self,
            f"4 Excerpts · {_count(len(quotes), 'quote')} · {_count(len(mentions), 'mention')}",
        )

    def excerpt_at(self, index: int | None) -> Excerpt | None:
        if index is None or not 0 <= index < len(self._items):
            return None
        return self._items[index]

    def on_row_list_row_highlighted(self, event: RowList.RowHighlighted) -> None:
        event.stop()

    def on_row_list_row_selected(self, event: RowList.RowSelected) -> None:
        event.stop()
        excerpt = self.excerpt_at(event.index)
        if excerpt is not None:
            self.post_message(OpenExcerpt(excerpt))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"
