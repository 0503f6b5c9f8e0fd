"""The main screen: four linked panes, laid out for the terminal's size.

The main screen owns layout only: which panes show at this size and the keys
that move between them. What is selected, which pane has focus, the filter and
the timeline's marks live in the app's `State`; the screen reports focus
changes (`PaneFocused`) and the app pushes what to show into the panes.

Keys that move focus (tab, 1-4, `/`) are priority bindings that move it at
once, so keys typed right after them in one burst land in the new place. In the
filter line they are text (an Input consumes printable keys), tab excepted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Input, Static

from partnership_tui.tui.compat import ResizeOnceScreen, hide_toast_rack
from partnership_tui.tui.messages import MainReady, PaneFocused, ToggleNarrow
from partnership_tui.tui.panes.detail import DetailPane
from partnership_tui.tui.panes.entities import EntitiesPane
from partnership_tui.tui.panes.excerpts import ExcerptsPane
from partnership_tui.tui.panes.timeline import TimelinePane
from partnership_tui.tui.state import PANES
from partnership_tui.tui.widgets.footer import QuietFooter

if TYPE_CHECKING:
    from textual.app import ComposeResult


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


class MainScreen(ResizeOnceScreen):
    """Four linked panes; collapses to one pane at a time on small terminals."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "cycle_pane(1)", "Pane", key_display="tab", priority=True),
        Binding("shift+tab", "cycle_pane(-1)", "Prev pane", show=False, priority=True),
        Binding("1", "focus_pane('entities')", "Entities", show=False, priority=True),
        Binding("2", "focus_pane('detail')", "Detail", show=False, priority=True),
        Binding("3", "focus_pane('timeline')", "Timeline", show=False, priority=True),
        Binding("4", "focus_pane('excerpts')", "Excerpts", show=False, priority=True),
        Binding("0", "app.overview", "Overview", show=False),
        Binding("slash", "filter", "Filter", key_display="/", priority=True),
        Binding("asterisk", "toggle_narrow", "Marked", key_display="*", show=False),
        Binding("c", "app.copy", "Copy citation", show=False),
        Binding("o", "app.open_url", "Open link", show=False),
        Binding("escape", "back_out", "Back out", show=False),
    ]

    AUTO_FOCUS = ""  # focus is given once the dossier has loaded

    #: Actions of printable keys: in a text box those keys are text, never commands.
    TYPED_ACTIONS = frozenset({"filter", "focus_pane", "toggle_narrow"})

    def __init__(self) -> None:
        super().__init__(id="main", classes="-loading")
        self.layout_mode = "wide"

    def compose(self) -> ComposeResult:
        # The layout's classes are set before the panes exist: set after (on mount), each
        # change restyles every widget of the screen (~25 ms of the first frame).
        self._set_layout_classes(self.size.width, self.size.height)
        yield Static("", id="topbar", markup=False)
        yield Static("", id="tabstrip", markup=False)
        yield Static(
            Content("Terminal too small.\nEnlarge it to use partnership-tui."),
            id="too-small",
            markup=False,
        )
        yield Static(Content.styled("Loading the dossier…", "$text-muted"), id="loading")
        with Container(id="panes") as panes:
            yield EntitiesPane(id="entities", classes="pane -active")
            # In the order of their numbers: grid cells fill in this order, so the numbers
            # read 1 2 / 3 4 on screen (the wide layout: 1 | 2 3 / 4).
            yield DetailPane(id="detail", classes="pane")
            yield TimelinePane(id="timeline", classes="pane")
            yield ExcerptsPane(id="excerpts", classes="pane")
        # Hidden until loaded by an inline style, not by a CSS rule on `-loading`: showing
        # them then is a layout, where removing a class the CSS reads restyles every widget.
        panes.display = False
        yield QuietFooter()

    def on_mount(self) -> None:
        self._apply_layout(self.size.width, self.size.height)
        self._update_tabstrip()
        hide_toast_rack(self)
        # Load only once the panes exist, so the result always has somewhere to go.
        self.post_message(MainReady())

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

    def loaded(self) -> bool:
        """The dossier is shown: focus the Entities list, or keep the filter line if `/` was
        pressed while it loaded (what was typed there stays). True in that case."""
        self.remove_class("-loading", update=False)  # no CSS reads it (see compose)
        self.query_one("#loading").display = False
        self.query_one("#panes").styles.display = None  # as the CSS says (none when tiny)
        typing = self.focused is self.entities.filter_input
        if typing:
            self.focus_pane("entities", self.entities.filter_input)
            return True
        self.focus_pane("entities")
        # focus() lands a frame later; set it now so the first frame already shows it.
        self.set_focus(self.pane_list("entities"), scroll_visible=False)
        return False

    # --- layout ------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._apply_layout(event.size.width, event.size.height)

    def _apply_layout(self, width: int, height: int) -> None:
        self._update_tabstrip(width)
        if self._set_layout_classes(width, height) and self.layout_mode != "tiny":
            # Focus may have been dropped while the panes were hidden: give it back.
            self.call_after_refresh(self._restore_focus)

    def _set_layout_classes(self, width: int, height: int) -> bool:
        """The classes app.tcss lays the screen out by, set in one restyle; True if the
        layout mode changed."""
        mode = layout_for(width, height)
        changed = mode != self.layout_mode or not self.has_class(f"-{mode}")
        self.layout_mode = mode
        classes = {
            "-short": height < 10,
            "-xwide": width >= 160,
            **{f"-{name}": mode == name for name in ("wide", "grid", "single", "tiny")},
        }
        if all(self.has_class(name) == wanted for name, wanted in classes.items()):
            return False
        for name, wanted in classes.items():
            self.set_class(wanted, name, update=False)
        self.update_node_styles()
        return changed

    @property
    def active_pane(self) -> str:
        """The pane shown as active (in the one-pane layout, the one shown)."""
        for name in PANES:
            if self.pane(name).has_class("-active"):
                return name
        return "entities"

    def _restore_focus(self) -> None:
        if self.has_class("-loading") or self.app.screen is not self:
            return
        focused = self.focused
        if focused is None or self.pane_of(focused) is None:
            self.focus_pane(self.active_pane)

    def _update_tabstrip(self, width: int | None = None, active_pane: str | None = None) -> None:
        """The one-line pane switcher of the one-pane layout: names if they fit, else numbers."""
        width = self.size.width if width is None else width
        full = sum(len(PANE_LABELS[name]) + 4 for name in PANES) <= width
        current = active_pane or self.active_pane
        parts: list[str | tuple[str, str]] = []
        for number, name in enumerate(PANES, 1):
            active = name == current
            label = f" {number} {PANE_LABELS[name]} " if full or active else f" {number} "
            parts.append((label, "bold reverse") if active else (label, "$text-muted"))
        self.query_one("#tabstrip", Static).update(Content.assemble(*parts), layout=False)

    def set_active(self, name: str) -> None:
        if name not in PANES:
            return
        for pane in PANES:
            self.pane(pane).set_class(pane == name, "-active")
        self._update_tabstrip(active_pane=name)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        name = self.pane_of(event.widget)
        if name is not None:
            if name != self.active_pane:
                self.set_active(name)
            self.post_message(PaneFocused(name))

    # --- actions -----------------------------------------------------------------

    def focus_pane(self, name: str, widget: Widget | None = None) -> None:
        """Make a pane active and focus its list (or `widget` in it), at once.

        Focus moves now, not a frame later, so keys already queued behind the key
        that asked land in the new pane. The new pane is shown before focus moves
        and the old one is hidden only after: a focused widget that gets hidden
        hands focus to a sibling, which in the one-pane layout would race with ours.
        """
        if name not in PANES or self.has_class("-loading"):
            return
        self._wanted = name
        self.pane(name).add_class("-active")
        self._update_tabstrip(active_pane=name)
        self.set_focus(widget or self.pane_list(name), scroll_visible=False)
        self.call_after_refresh(self._settle_active, name)

    _wanted = "entities"

    def _settle_active(self, name: str) -> None:
        if self._wanted == name:  # not overtaken by a later pane switch
            self.set_active(name)

    def action_focus_pane(self, name: str) -> None:
        self.focus_pane(name)

    def action_cycle_pane(self, step: int) -> None:
        current = self.pane_of(self.focused) or self.active_pane
        index = PANES.index(current) if current in PANES else 0
        self.focus_pane(PANES[(index + step) % len(PANES)])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # An Input already keeps printable keys from the bindings around it, except `/`:
        # Textual 8.2 has no character for the key name "slash" (key_to_character), so
        # `/` would open the filter instead of being typed. Saying no here makes it text.
        return not (action in self.TYPED_ACTIONS and isinstance(self.focused, Input))

    def action_filter(self) -> None:
        """`/`: the cursor goes to the Entities filter; what is typed next lands there."""
        entities = self.entities
        self.focus_pane("entities", entities.filter_input)
        entities.open_filter()

    def action_toggle_narrow(self) -> None:
        self.post_message(ToggleNarrow())

    def action_back_out(self) -> None:
        current = self.pane_of(self.focused)
        if current not in (None, "entities"):
            self.focus_pane("entities")
