"""Pane 1, Entities: every record but events, grouped by kind, with a filter line.

Filtering is explicit, as in lazygit, k9s and less: `/` puts the cursor in the
filter line, and from then on every printable key is text (j, q, 1, / ...) until
enter (keep the filter, back to the list) or escape (clear it). In the list,
letters are commands; a paste there starts the filter with the pasted text.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input

from partnership_tui.tui import render
from partnership_tui.tui.compat import QuietInput, set_border_title
from partnership_tui.tui.messages import Activate, FilterChanged, Highlighted
from partnership_tui.tui.widgets.rowlist import LazyRows, Row, RowList

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.widget import Widget

    from partnership_tui.model.dossier.dossier import Dossier


def normalise_filter(text: str) -> str:
    """What the filter compares: casefolded, runs of spaces as one."""
    return " ".join(text.casefold().split())


class FilterInput(QuietInput):
    """The filter line: typing narrows the list; arrows, enter and escape drive the list."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority: acted on as the key is read, so keys typed after it land in the list.
        Binding("enter", "done", "Keep filter", key_display="⏎", priority=True),
        Binding("escape", "clear", "Clear filter", key_display="esc", priority=True),
        Binding("down", "list('cursor_down')", "List", key_display="↓"),
        Binding("up", "list('cursor_up')", show=False),
        Binding("pagedown", "list('page_down')", show=False),
        Binding("pageup", "list('page_up')", show=False),
    ]

    class Leave(Message):
        """Enter, escape or backspace on an empty line: back to the list (`clear` empties it)."""

        def __init__(self, clear: bool) -> None:
            super().__init__()
            self.clear = clear

    class Move(Message):
        """An arrow or page key typed in the filter: move the list's highlight."""

        def __init__(self, action: str) -> None:
            super().__init__()
            self.action = action

    #: Where focus goes on enter or escape: set by the pane (its list).
    leave_to: Widget | None = None

    def action_list(self, action: str) -> None:
        self.post_message(self.Move(action))

    def _leave(self, clear: bool) -> None:
        # Focus moves now, so keys typed after enter in the same burst reach the list.
        if self.leave_to is not None:
            self.screen.set_focus(self.leave_to, scroll_visible=False)
        self.post_message(self.Leave(clear=clear))

    def action_done(self) -> None:
        self._leave(clear=False)

    def action_clear(self) -> None:
        self._leave(clear=True)

    def on_key(self, event: events.Key) -> None:
        # Runs before Input's own key handling, which prevent_default skips.
        if event.key == "backspace" and not self.value:
            event.stop()
            event.prevent_default()
            self._leave(clear=False)


class EntityList(RowList):
    """Records grouped by kind. Letters are commands here; `/` opens the filter."""

    LINKED = True
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select", "Detail")]

    class PasteToFilter(Message):
        """A paste in the list: it starts the filter."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        text = event.text.splitlines()[0] if event.text else ""
        if text:
            self.post_message(self.PasteToFilter(text))


class Haystacks:
    """What the filter looks in, one string per record (its `render.filter_haystack` fields
    joined by a newline, which no filter text can hold: `normalise_filter` splits on
    whitespace), per kind in list order. Built once per dossier, by whichever thread asks
    first: a worker started when the list loads, or the first filter key if it comes sooner.

    Records are decoded one at a time and not kept (`Dossier.each_of_kind`): holding ten
    thousand built records for the filter's sake would cost more memory than the list.
    """

    def __init__(self, dossier: Dossier, ids: dict[str, tuple[str, ...]]) -> None:
        self._dossier = dossier
        self._ids = ids
        self._lock = threading.Lock()
        self._texts: dict[str, tuple[str, ...]] | None = None

    def get(self) -> dict[str, tuple[str, ...]]:
        """Each kind's haystacks, in the order of its ids."""
        with self._lock:
            if self._texts is None:
                self._texts = {kind: self._build(kind, ids) for kind, ids in self._ids.items()}
            return self._texts

    def _build(self, kind: str, ids: tuple[str, ...]) -> tuple[str, ...]:
        texts = {
            record.id: "\n".join(render.filter_haystack(record))
            for record in self._dossier.each_of_kind(kind)  # type: ignore[arg-type]
        }
        return tuple([texts[record_id] for record_id in ids])


class _Groups(Mapping[str, int]):
    """Row index of each record shown (the RowList's `keys`), computed when asked: a
    filter letter over ten thousand records must not build a dict of them all."""

    def __init__(self, starts: list[int], shown: list[tuple[str, ...]]) -> None:
        self._starts = starts
        self._shown = shown
        self._index: dict[str, int] | None = None

    def _table(self) -> dict[str, int]:
        if self._index is None:
            self._index = {
                record_id: start + 1 + offset
                for start, ids in zip(self._starts, self._shown, strict=True)
                for offset, record_id in enumerate(ids)
            }
        return self._index

    def __getitem__(self, record_id: str) -> int:
        return self._table()[record_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._table())

    def __len__(self) -> int:
        return sum(len(ids) for ids in self._shown)


class EntitiesPane(Vertical):
    """Every company, person, product, deal, tension, claim and source, by kind.

    Rows are made when first shown, so ten thousand records cost nothing at start;
    the filter's haystacks are built in a worker once the list is on screen.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.border_title = Content("1 Entities")
        self._dossier: Dossier | None = None
        self._ids: dict[str, tuple[str, ...]] = {}
        self._haystacks: Haystacks | None = None
        self._needle = ""
        # The last filter's matches, as positions in each kind's ids: a letter that extends
        # the filter only looks among them.
        self._matched: dict[str, list[int]] = {}

    def compose(self) -> ComposeResult:
        yield FilterInput(
            placeholder="/ to filter", compact=True, select_on_focus=False, id="entity-filter"
        )
        yield EntityList(id="entities-list")

    def on_mount(self) -> None:
        self.filter_input.leave_to = self.entity_list

    @property
    def entity_list(self) -> EntityList:
        return self.query_one(EntityList)

    @property
    def filter_input(self) -> FilterInput:
        return self.query_one(FilterInput)

    @property
    def filter_text(self) -> str:
        """The filter as typed (what the filter line shows)."""
        return self.filter_input.value

    def load(self, dossier: Dossier) -> None:
        self._dossier = dossier
        self._ids = {kind: dossier.ids(kind) for kind in render.LIST_KINDS}  # type: ignore[arg-type]
        self._haystacks = Haystacks(dossier, self._ids)
        self._matched = {}
        self._rebuild()
        # Once the first frame is out, so that it is not slowed down.
        self.call_after_refresh(self._prepare_filter)

    def _prepare_filter(self) -> None:
        haystacks = self._haystacks
        if haystacks is not None:
            self.run_worker(haystacks.get, thread=True, group="filter", exit_on_error=False)

    # --- the filter ----------------------------------------------------------------

    def open_filter(self, text: str | None = None) -> None:
        """Put the cursor in the filter line now (not a frame later: keys typed next land there)."""
        filter_input = self.filter_input
        if text is not None:
            filter_input.value = filter_input.value + text
        filter_input.cursor_position = len(filter_input.value)
        self.screen.set_focus(filter_input, scroll_visible=False)

    def on_filter_input_move(self, event: FilterInput.Move) -> None:
        event.stop()
        getattr(self.entity_list, f"action_{event.action}")()

    def on_filter_input_leave(self, event: FilterInput.Leave) -> None:
        event.stop()
        if event.clear and self.filter_input.value:
            self.filter_input.value = ""  # Input.Changed tells the app

    def action_clear_filter(self) -> None:
        """Escape in the list clears the filter; with none, escape backs out as usual."""
        if not self.filter_input.value:
            raise SkipAction()
        self.filter_input.value = ""  # Input.Changed tells the app

    def on_entity_list_paste_to_filter(self, event: EntityList.PasteToFilter) -> None:
        event.stop()
        self.open_filter(event.text)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(FilterChanged(event.value))

    def _matching(self, needle: str, previous: str) -> dict[str, list[int]]:
        """Positions (in each kind's ids) of the records whose haystack holds `needle`."""
        if self._haystacks is None:  # typed before the dossier loaded: load() filters again
            return {}
        texts = self._haystacks.get()
        narrowing = bool(previous) and needle.startswith(previous) and bool(self._matched)
        matched: dict[str, list[int]] = {}
        for kind, haystacks in texts.items():
            if narrowing:
                # Every match of the longer text is a match of the shorter one.
                matched[kind] = [i for i in self._matched[kind] if needle in haystacks[i]]
            else:
                matched[kind] = [i for i, text in enumerate(haystacks) if needle in text]
        return matched

    def _rebuild(self, previous: str = "") -> None:
        dossier = self._dossier
        needle = self._needle
        groups: list[tuple[str, tuple[str, ...], int]] = []  # kind, ids shown, ids in all
        if needle:
            self._matched = self._matching(needle, previous)
            for kind, ids in self._ids.items():
                positions = self._matched.get(kind, ())
                if positions:
                    groups.append((kind, tuple([ids[i] for i in positions]), len(ids)))
        else:
            self._matched = {}
            groups = [(kind, ids, len(ids)) for kind, ids in self._ids.items() if ids]
        # Rows are made when shown: a heading per kind, then its records.
        starts: list[int] = []
        count = 0
        for _, shown, _ in groups:
            starts.append(count)
            count += 1 + len(shown)
        shown_total = count - len(groups)
        if not shown_total:
            message = "no record matches the filter (escape clears it)" if needle else "no records"
            empty = Row(Content.styled(message, render.MUTED))
            self.entity_list.set_rows([empty], {})
        else:

            def make(index: int) -> Row:
                group = bisect.bisect_right(starts, index) - 1
                kind, shown, total = groups[group]
                offset = index - starts[group]
                if offset == 0:
                    return Row(render.group_header(kind, len(shown), total))
                record_id = shown[offset - 1]
                record = dossier.get(record_id) if dossier is not None else None
                content = render.entity_row(record) if record is not None else Content(record_id)
                return Row(content, record_id, selectable=True)

            keys = _Groups(starts, [shown for _, shown, _ in groups])
            self.entity_list.set_rows(LazyRows(count, make), keys)
        total = sum(len(ids) for ids in self._ids.values())
        title = f"1 Entities · {shown_total} of {total}" if needle else f"1 Entities · {total}"
        set_border_title(self, title)

    def set_filter(self, text: str, keep: str | None = None) -> str | None:
        """Show the list filtered by `text`; return the record now highlighted.

        `keep` stays highlighted if the filter shows it; otherwise the first match is.
        The filter line is set to `text` quietly when it differs (history restores it).
        """
        filter_input = self.filter_input
        if filter_input.value != text:
            with self.prevent(Input.Changed):
                filter_input.value = text
                filter_input.cursor_position = len(text)
        needle = normalise_filter(text)
        if needle != self._needle:
            previous, self._needle = self._needle, needle
            self._rebuild(previous)
        entity_list = self.entity_list
        index = self.entity_list.index_of(keep) if keep is not None else None
        if index is None and keep is not None and entity_list.highlighted_key == keep:
            index = entity_list.highlighted
        if index is None:
            index = entity_list.first_selectable()
        entity_list.set_highlight_quietly(index)
        return self.highlighted_id

    # --- the list ------------------------------------------------------------------

    def on_row_list_row_highlighted(self, event: RowList.RowHighlighted) -> None:
        event.stop()
        # A held key queues many moves: only the latest one is worth answering.
        if event.key is not None and event.key == self.entity_list.highlighted_key:
            self.post_message(Highlighted(event.key, "entities"))

    def on_row_list_row_selected(self, event: RowList.RowSelected) -> None:
        event.stop()
        self.post_message(Activate("entities", event.key))

    @property
    def highlighted_id(self) -> str | None:
        return self.entity_list.highlighted_key

    @property
    def shown_ids(self) -> list[str]:
        """Record ids the list shows now, in order (for tests and copy)."""
        rows = self.entity_list.rows
        return [row.key for row in rows if row.key is not None]

    def settle(self) -> None:
        """The app has answered the user's latest move here: paint it (never move back)."""
        entity_list = self.entity_list
        entity_list.set_highlight_quietly(entity_list.highlighted)

    def show_selected(self, record_id: str) -> bool:
        """Highlight a record if the list shows it (the app clears the filter first if not)."""
        index = self.entity_list.index_of(record_id)
        if index is None:
            return False
        self.entity_list.set_highlight_quietly(index)
        return True
