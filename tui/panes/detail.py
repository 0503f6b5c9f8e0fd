"""Pane 2, Detail: the selected record as lines, every relation a link to follow."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content

from partnership_tui.tui import render
from partnership_tui.tui.compat import set_border_title
from partnership_tui.tui.messages import Follow
from partnership_tui.tui.widgets.rowlist import Row, RowList

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from partnership_tui.model.build.records import AnyRecord
    from partnership_tui.model.dossier.dossier import Dossier


class DetailList(RowList):
    """Lines of a record; only links can be highlighted. Arrows scroll past plain text."""

    WRAP = True
    SELECT_ON_CLICK = True
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Follow link")]

    def _view(self) -> tuple[int, int]:
        top = round(self.scroll_y)
        return top, top + self.scrollable_content_region.height

    def action_cursor_down(self) -> None:
        top, bottom = self._view()
        if bottom <= top:
            return
        start = self.highlighted if self.highlighted is not None else -1
        target = self._next_selectable(start, 1)
        if target is not None and self.row_lines(target)[0] < top:
            # The highlight scrolled off the top: pick the first link on screen.
            while target is not None and self.row_lines(target)[0] < top:
                target = self._next_selectable(target, 1)
        if target is not None and self.row_lines(target)[0] < bottom:
            self.move_highlight(target)
        elif self.scroll_y < self.max_scroll_y:
            self.scroll_relative(y=1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        top, bottom = self._view()
        if bottom <= top:
            return
        start = self.highlighted if self.highlighted is not None else self.row_count
        target = self._next_selectable(start, -1)
        if target is not None and self.row_lines(target)[0] >= top:
            self.move_highlight(target)
        elif self.scroll_y > 0:
            self.scroll_relative(y=-1, animate=False, immediate=True)
        elif target is not None:
            self.move_highlight(target)


class DetailPane(Vertical):
    """The selected record, every relation a link."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = Content("2 Detail")
        self.record_id: str | None = None

    def compose(self) -> ComposeResult:
        yield DetailList(id="detail-list")

    @property
    def detail_list(self) -> DetailList:
        return self.query_one(DetailList)

    @property
    def links(self) -> list[str]:
        return [row.key for row in self.detail_list.rows if row.key is not None]

    @property
    def plain_text(self) -> str:
        """What the pane shows, as plain text (for tests and copy)."""
        return "\n".join(str(row.content) for row in self.detail_list.rows)

    def show(
        self, dossier: Dossier, record: AnyRecord | None, notice: str = "nothing selected"
    ) -> None:
        """Show a record, or `notice` when there is none (say, the filter matches nothing)."""
        detail_list = self.detail_list
        self.record_id = record.id if record else None
        if record is None:
            detail_list.set_rows([Row(Content.styled(notice, render.MUTED))])
            set_border_title(self, "2 Detail")
            return
        lines = render.detail_lines(dossier, record)
        detail_list.set_rows(
            [Row(content, target, selectable=target is not None) for content, target in lines]
        )
        detail_list.set_highlight_quietly(detail_list.first_selectable(), scroll=False)
        set_border_title(self, f"2 Detail · {record.kind}")

    def target_at(self, index: int | None) -> str | None:
        rows = self.detail_list.rows
        return rows[index].key if index is not None and 0 <= index < len(rows) else None

    def on_row_list_row_highlighted(self, event: RowList.RowHighlighted) -> None:
        event.stop()

    def on_row_list_row_selected(self, event: RowList.RowSelected) -> None:
        event.stop()
        if event.key is not None:
            self.post_message(Follow(event.key, "detail"))
