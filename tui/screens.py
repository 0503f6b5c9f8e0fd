"""The main screen (four linked panes) and the screen listing a broken dossier's problems.

The main screen owns layout only: which panes show at this size, which one
is active, and the keys that move between them. What is selected lives in
the app's `State`; the app pushes it into the panes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.containers import Container, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static
from textual.widgets._toast import ToastRack

from .footer import QuietFooter
from .panes import DetailPane, EntitiesPane, ExcerptsPane, TimelinePane
from .state import PANES

if TYPE_CHECKING:
    from textual.app import ComposeResult

    from partnership_tui.model.read.problems import Problem

PANE_LABELS = {
    "entities": "Entities",
    "detail": "Detail",
    "timeline": "Timeline",
    "excerpts": "Excerpts",
}

# Layouts by terminal size; see app.tcss for what each does.
WIDE_MIN = (100, 30)  # four panes: entities | detail | timeline over excerpts
GRID_MIN = (60, 16)  # a 2x2 grid
TINY_MAX = (16, 4)  # below (or at) this: a "terminal too small" notice


def layout_for(width: int, height: int) -> str:
    if width <= TINY_MAX[0] or height <= TINY_MAX[1]:
        return "tiny"
    if width >= WIDE_MIN[0] and height >= WIDE_MIN[1]:
        return "wide"
    if width >= GRID_MIN[0] and height >= GRID_MIN[1]:
        return "grid"
    return "single"


class MainScreen(Screen[None]):
    """Four linked panes; collapses to one pane at a time on small terminals."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "cycle_pane(1)", "Pane", key_display="tab"),
        Binding("shift+tab", "cycle_pane(-1)", "Prev pane", show=False),
        Binding("1", "focus_pane('entities')", "Entities", show=False),
        Binding("2", "focus_pane('detail')", "Detail", show=False),
        Binding("3", "focus_pane('timeline')", "Timeline", show=False),
        Binding("4", "focus_pane('excerpts')", "Excerpts", show=False),
        Binding("asterisk", "toggle_narrow", "Marked", key_display="*"),
        Binding("escape", "back_out", "Back out", show=False),
    ]

    AUTO_FOCUS = ""  # focus is given once the dossier has loaded

    def __init__(self) -> None:
        super().__init__(id="main", classes="-loading")
        self._resized_to: Size | None = None
        self.layout_mode = "wide"
        self.active_pane = "entities"

    def compose(self) -> ComposeResult:
        yield Static("", id="topbar", markup=False)
        yield Static("", id="tabstrip", markup=False)
        yield Static(
            Content("Terminal too small.\nEnlarge it to use partnership-tui."),
            id="too-small",
            markup=False,
        )
        yield Static(Content.styled("Loading the dossier…", "$text-muted"), id="loading")
        with Container(id="panes"):
            yield EntitiesPane(id="entities", classes="pane -active")
            yield DetailPane(id="detail", classes="pane")
            # Excerpts before Timeline in the grid: the timeline gets the full-width row.
            yield ExcerptsPane(id="excerpts", classes="pane")
            yield TimelinePane(id="timeline", classes="pane")
        yield QuietFooter()

    def _screen_resized(self, size: Size) -> None:
        # Textual sends the terminal's size several times at start-up, and each one lays
        # out and repaints the whole screen again, the last after the first frame.
        # Once the screen is laid out for a size, the same size again changes nothing.
        if size == self._resized_to:
            return
        self._resized_to = size
        super()._screen_resized(size)

    def on_mount(self) -> None:
        self._apply_layout(self.size.width, self.size.height)
        self._update_tabstrip()
        # Textual hides the (empty) notification rack just after the first frame, by an
        # inline style that lays the whole screen out again; setting it before the first
        # frame makes that later call a no-op. (Textual 8.2 internals; a notification
        # shows the rack again as usual.)
        for rack in self.query(ToastRack):
            rack.display = False
        # Load only once the panes exist, so the result always has somewhere to go.
        start = getattr(self.app, "start_loading", None)
        if callable(start):
            start()

    # --- typed pane access -------------------------------------------------------

    @property
    def entities(self) -> EntitiesPane:
        return self.query_one("#entities", EntitiesPane)

    @property
    def detail(self) -> DetailPane:
        return self.query_one("#detail", DetailPane)

    @property
    def timeline(self) -> TimelinePane:
        return self.query_one("#timeline", TimelinePane)

    @property
    def excerpts(self) -> ExcerptsPane:
        return self.query_one("#excerpts", ExcerptsPane)

    def pane(self, name: str) -> Widget:
        return self.query_one(f"#{name}")

    def pane_list(self, name: str) -> Widget:
        """The focusable list inside a pane."""
        return self.query_one(f"#{name}-list")

    def pane_of(self, widget: Widget | None) -> str | None:
        node = widget
        while node is not None and node is not self:
            if node.id in PANES:
                return node.id
            node = node.parent  # type: ignore[assignment]
        return None

    # --- loading -----------------------------------------------------------------

    def set_title(self, title: str) -> None:
        self.query_one("#topbar", Static).update(
            Content.assemble((" partnership-tui ", "bold reverse"), "  ", (title, "bold")),
            layout=False,
        )

    def show_progress(self, what: str, done: int, total: int) -> None:
        """The loading line: what a slow (cold) load is doing, and how far it is."""
        step = f" ({done} of {total})" if total > 1 else ""
        self.query_one("#loading", Static).update(
            Content.styled(f"Loading the dossier… {what}{step}", "$text-muted"), layout=False
        )

    def loaded(self) -> None:
        self.remove_class("-loading")
        self.query_one("#loading").display = False
        self.focus_pane("entities")
        # focus() lands a frame later; set it now so the first frame already shows it.
        self.set_focus(self.pane_list("entities"), scroll_visible=False)

    # --- layout ------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._apply_layout(event.size.width, event.size.height)

    def _apply_layout(self, width: int, height: int) -> None:
        mode = layout_for(width, height)
        self.set_class(height < 10, "-short")
        self._update_tabstrip(width)
        if mode == self.layout_mode and self.has_class(f"-{mode}"):
            return
        self.layout_mode = mode
        self.set_class(mode == "wide", "-wide")
        self.set_class(mode == "grid", "-grid")
        self.set_class(mode == "single", "-single")
        self.set_class(mode == "tiny", "-tiny")
        self._order_panes(mode)
        if mode != "tiny":
            # Focus may have been dropped while the panes were hidden: give it back.
            self.call_after_refresh(self._restore_focus)

    def _order_panes(self, mode: str) -> None:
        """Grid cells fill in DOM order: the wide layout wants the timeline last (full width),
        the 2x2 grid wants it under Entities, so the panes read 1 2 / 3 4."""
        panes = self.query_one("#panes")
        timeline, excerpts = self.timeline, self.excerpts
        timeline_first = mode != "wide"
        children = list(panes.children)
        if (children.index(timeline) < children.index(excerpts)) != timeline_first:
            if timeline_first:
                panes.move_child(timeline, before=excerpts)
            else:
                panes.move_child(timeline, after=excerpts)

    def _restore_focus(self) -> None:
        if self.has_class("-loading") or self.app.screen is not self:
            return
        focused = self.focused
        if focused is None or self.pane_of(focused) is None:
            self.focus_pane(self.active_pane)

    def _update_tabstrip(self, width: int | None = None) -> None:
        """The one-line pane switcher of the one-pane layout: names if they fit, else numbers."""
        width = self.size.width if width is None else width
        full = sum(len(PANE_LABELS[name]) + 4 for name in PANES) <= width
        parts: list[str | tuple[str, str]] = []
        for number, name in enumerate(PANES, 1):
            active = name == self.active_pane
            label = f" {number} {PANE_LABELS[name]} " if full or active else f" {number} "
            parts.append((label, "bold reverse") if active else (label, "$text-muted"))
        self.query_one("#tabstrip", Static).update(Content.assemble(*parts), layout=False)

    def set_active(self, name: str) -> None:
        if name not in PANES:
            return
        self.active_pane = name
        for pane in PANES:
            self.pane(pane).set_class(pane == name, "-active")
        self._update_tabstrip()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        name = self.pane_of(event.widget)
        if name is not None and name != self.active_pane:
            self.set_active(name)
        if name is not None:
            state = getattr(self.app, "state", None)
            if state is not None:
                state.pane = name

    # --- actions -----------------------------------------------------------------

    def focus_pane(self, name: str) -> None:
        """Make a pane active and focus its list.

        The new pane is shown before focus moves and the old one is hidden only
        after: a focused widget that gets hidden hands focus to a sibling, which
        in the one-pane layout would race with the focus we asked for.
        """
        if name not in PANES or self.has_class("-loading"):
            return
        self.pane(name).add_class("-active")
        self.active_pane = name
        self._update_tabstrip()
        self.pane_list(name).focus(scroll_visible=False)
        self.call_after_refresh(self._settle_active, name)

    def _settle_active(self, name: str) -> None:
        if self.active_pane == name:  # not overtaken by a later pane switch
            self.set_active(name)

    def action_focus_pane(self, name: str) -> None:
        self.focus_pane(name)

    def action_cycle_pane(self, step: int) -> None:
        current = self.pane_of(self.focused) or self.active_pane
        index = PANES.index(current) if current in PANES else 0
        self.focus_pane(PANES[(index + step) % len(PANES)])

    def action_toggle_narrow(self) -> None:
        toggle = getattr(self.app, "toggle_narrow", None)
        if callable(toggle):
            toggle()

    def action_back_out(self) -> None:
        current = self.pane_of(self.focused)
        if current not in (None, "entities"):
            self.focus_pane("entities")


class ProblemsScreen(Screen[None]):
    """Shown instead of the panes when the dossier does not load: every problem, as text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape", "quit_app", "Quit"),
        Binding("j,down", "scroll('down')", show=False),
        Binding("k,up", "scroll('up')", show=False),
    ]

    def __init__(self, heading: str, problems: list[Problem] | list[str]) -> None:
        super().__init__(id="problems")
        self.heading = heading
        self.problems = problems

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
                f"{count} problem{'s' if count != 1 else ''}. Fix them and start again; "
                "`partnership-tui validate` prints the same list.",
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
