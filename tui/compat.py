"""Every use of a Textual private, in one place: what it is, why we need it, since when.

All were written against Textual 8.2 (pinned in pyproject.toml). Nothing else in
the app touches a name that starts with an underscore in Textual.
`tests/test_compat.py` checks each one against the installed Textual and fails
naming the private if an upgrade moved or renamed it; `missing_privates()` is
what it calls.

Kept, each for a measured cost or a crash:

- `ScrollView.virtual_size` redefined with `layout=False` and `_scroll_update`
  overridden (`QuietScrollView`): a list sized by CSS must not relayout the
  screen when its rows change. The design card measured a naive list + detail
  move at ~66 ms, mostly layout; the README's "key -> panes repainted" rows are
  with this in place.
- `Input.virtual_size` redefined with `layout=False` (`QuietInput`): Textual's Input
  sets its virtual size on every change of its value, and the core reactive lays the
  whole screen out each time: one layout per letter typed in the filter or the search
  box (the boxes are sized by CSS; scrolling within the line needs no layout).
- `ScrollView._size_updated` (`QuietScrollView.content_width_changed`): re-wrap
  rows while the screen is laid out, so a resize paints once, not twice.
- `Widget._border_title` (`set_border_title`): Textual's setter repaints the
  whole pane; on a linked move that was a tenth of the frame.
- `Screen._screen_resized` and `Screen._on_screen_resume` (`ResizeOnceScreen`) and
  `textual.widgets._toast.ToastRack` (`hide_toast_rack`): Textual lays the screen
  out for each duplicate start-up resize (and a pushed screen once more for the
  size it resumed at), restyles every widget on a screen's first resume right
  after mounting styled them, and lays the screen out once more after the first
  frame to hide the empty toast rack; each costs the startup row of the README.
- `CommandPalette._watch__list_visible` and `_action_command_list`
  (`GuardedCommandPalette`): crashes, not speed: the palette's gather worker can
  finish after its list is gone, and page up/down raise in a tiny terminal.
- `App._handle_exception` (`SurvivingApp`): a failed background worker (ours or
  the palette's) ends a Textual app; here it is reported and the app goes on.

Dropped (no measured benefit): the palette's magic id `--command-palette`
(`CommandPalette.is_open` reads a class), `OptionList._on_click` and its
`style.meta`, and the `virtual_size` redefinition on the search results (they
are a `RowList` now).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from textual import events
from textual.app import App
from textual.command import CommandList, CommandPalette
from textual.content import Content
from textual.geometry import Region, Size
from textual.reactive import Reactive
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.widget import Widget
from textual.widgets import Input

TEXTUAL_SINCE = "8.2"


# --- ScrollView: no layout on new rows, scrollbars only when they change (since 8.2) ----------


class QuietScrollView(ScrollView):
    """A ScrollView sized by CSS: new content repaints it and never relayouts the screen."""

    # Private: the core reactive is declared with layout=True.
    virtual_size = Reactive(Size(0, 0), layout=False)

    __scroll_shape: tuple[int, Size, Size] | None = None

    def set_virtual_size_quietly(self, size: Size) -> None:
        """New content size: update the scrollbars without a repaint or a layout."""
        self.set_reactive(QuietScrollView.virtual_size, size)
        self._scroll_update(size)

    def _scroll_update(self, virtual_size: Size) -> None:
        # Private: Textual calls this on every layout of the screen; scrollbars repaint
        # only when they would look different (a list that fits keeps its empty track).
        view = self.container_size
        height = virtual_size.height if virtual_size.height > view.height else 0
        shape = (height, view, self.size)
        if shape == self.__scroll_shape:
            self.scroll_y = self.validate_scroll_y(self.scroll_y)
            return
        self.__scroll_shape = shape
        super()._scroll_update(virtual_size)

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        # Private: called while the screen is laid out; re-wrapping here lets the
        # frame that follows render the new width at once instead of scheduling another.
        changed = super()._size_updated(size, virtual_size, container_size, layout)
        self.content_width_changed()
        return changed

    def content_width_changed(self) -> None:
        """Hook: the widget's size was just set by a layout (check the width yourself)."""


class QuietInput(Input):
    """An Input sized by CSS: a letter typed repaints the line and never lays the screen out."""

    # Private: the core reactive is declared with layout=True, and Input._watch_value
    # sets it on every change of the value.
    virtual_size = Reactive(Size(0, 0), layout=False)


# --- Widget: a border title without repainting the widget (since 8.2) --------------------------


def set_border_title(widget: Widget, title: str) -> None:
    """Change a border title, repainting only the top border, and only if it changed."""
    current = widget._border_title  # private: the public property's setter refreshes all
    if current is not None and current.plain == title:
        return
    if not widget.is_mounted or not widget.outer_size:
        widget.border_title = Content(title)
        return
    widget._border_title = Content(title)
    offset = widget.content_offset
    widget.refresh(Region(-offset.x, -offset.y, widget.outer_size.width, 1))


# --- Screen: a repeated resize is not laid out again (since 8.2) -------------------------------


class ResizeOnceScreen(Screen[None]):
    """Textual sends the terminal size several times at start-up, each a full layout, and a
    pushed screen gets the size it was just laid out at (on resume) once more. Its first
    resume also restyles every widget that mounting has just styled."""

    __resized_to: Size | None = None
    __resumed = False

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        # Private handler. Mounting applied the stylesheet to every widget a moment ago;
        # restyling them all again on the first resume was ~10% of the first frame.
        # Textual calls Screen's own handler after this one (handlers run along the MRO).
        if not self.__resumed:
            self.__resumed = True
            event.refresh_styles = False

    def _screen_resized(self, size: Size) -> None:
        # Private: the handler Textual calls with the terminal's new size.
        if size == self.__resized_to or (self.__resized_to is None and size == self.outer_size):
            self.__resized_to = size
            return
        self.__resized_to = size
        super()._screen_resized(size)


def hide_toast_rack(screen: Screen) -> None:
    """Hide the empty notification rack before the first frame (a notification shows it).

    Textual hides it just after the first frame by an inline style, which lays the
    whole screen out again; set before, that later call is a no-op.
    """
    from textual.widgets._toast import ToastRack  # private module

    for rack in screen.query(ToastRack):
        rack.display = False


def toasts_shown(screen: Screen) -> int | None:
    """How many notifications the screen's rack shows; None while the rack is hidden."""
    from textual.widgets._toast import Toast, ToastRack  # private module

    for rack in screen.query(ToastRack):
        return len(rack.query(Toast)) if rack.display else None
    return None


def screen_text(screen: Screen, *, styled: bool = False) -> str:
    """What the terminal shows for a screen, as plain text line by line (every cell, as
    the compositor draws it: what reaches the terminal, for the safety tests). `styled`
    adds each run's style, for tests that compare two paintings cell for cell."""
    update = screen._compositor.render_full_update()  # private: the screen's compositor
    if styled:
        return "\n".join(
            "".join(f"{segment.text}\x00{segment.style}\x00" for strip in chop for segment in strip)
            for chop in update.strips
        )
    return "\n".join("".join(strip.text for strip in chop) for chop in update.strips)


# --- CommandPalette: two crash guards (since 8.2) ----------------------------------------------


class GuardedCommandPalette(CommandPalette):
    """The stock palette, guarded where it raises (used by `palette.SafeCommandPalette`)."""

    def _watch__list_visible(self) -> None:
        # Private watcher: the gather worker may finish after the palette began to
        # close and its list is gone; showing or hiding a list that does not exist is moot.
        if self.query(CommandList):
            super()._watch__list_visible()

    def _action_command_list(self, action: str) -> None:
        # Private action behind up/down/page keys in the palette's input. OptionList's
        # page moves raise when the list has (almost) no room: step one option instead.
        if action in ("page_up", "page_down"):
            lists = self.query(CommandList)
            if not lists:
                return
            region = lists.first().scrollable_content_region
            if region.height <= 2 or region.width <= 4:
                action = "cursor_up" if action == "page_up" else "cursor_down"
        super()._action_command_list(action)


# --- App: a failed worker is reported, not fatal (since 8.2) -----------------------------------


class SurvivingApp(App[None]):
    """An App whose background-task failures go to `background_failed` instead of ending it."""

    def _handle_exception(self, error: Exception) -> None:
        # Private: where Textual sends every unhandled exception, worker failures included.
        from textual.worker import WorkerFailed

        if isinstance(error, WorkerFailed) and self.background_failed(error.error):
            return
        super()._handle_exception(error)

    def background_failed(self, error: BaseException) -> bool:
        """Hook: a worker raised; return True when it was handled."""
        return False


# --- The check an upgrade runs into ------------------------------------------------------------


def _has(owner: object, name: str) -> Callable[[], bool]:
    return lambda: callable(getattr(owner, name, None))


def _border_title() -> bool:
    widget = Widget()
    widget.border_title = "x"
    current = getattr(widget, "_border_title", None)
    return isinstance(current, Content) and current.plain == "x"


def _toast_rack() -> bool:
    try:
        from textual.widgets._toast import ToastRack  # noqa: F401
    except ImportError:
        return False
    return True


def _compositor() -> bool:
    from textual._compositor import Compositor

    return callable(getattr(Compositor, "render_full_update", None))


def _screen_resume() -> bool:
    fields = getattr(events.ScreenResume, "__dataclass_fields__", {})
    return _has(Screen, "_on_screen_resume")() and "refresh_styles" in fields


def _virtual_size() -> bool:
    return isinstance(ScrollView.__dict__.get("virtual_size") or Widget.virtual_size, Reactive)


def _input_virtual_size() -> bool:
    # Input._watch_value must still be what sets the virtual size on each value change.
    source = inspect.getsource(Input._watch_value)
    return "self.virtual_size" in source and isinstance(Widget.virtual_size, Reactive)


def _size_updated() -> bool:
    parameters = inspect.signature(ScrollView._size_updated).parameters
    return list(parameters)[:4] == ["self", "size", "virtual_size", "container_size"]


PRIVATES: dict[str, Callable[[], bool]] = {
    "ScrollView.virtual_size (a Reactive)": _virtual_size,
    "ScrollView._scroll_update": _has(ScrollView, "_scroll_update"),
    "Input.virtual_size (set by Input._watch_value)": _input_virtual_size,
    "ScrollView._size_updated(size, virtual_size, container_size)": _size_updated,
    "Widget._border_title": _border_title,
    "Screen._screen_resized": _has(Screen, "_screen_resized"),
    "Screen._on_screen_resume(event.refresh_styles)": _screen_resume,
    "textual.widgets._toast.ToastRack": _toast_rack,
    "Screen._compositor.render_full_update (tests' screen_text)": _compositor,
    "CommandPalette._watch__list_visible": _has(CommandPalette, "_watch__list_visible"),
    "CommandPalette._action_command_list": _has(CommandPalette, "_action_command_list"),
    "App._handle_exception": _has(App, "_handle_exception"),
}


def missing_privates() -> list[str]:
    """The Textual privates this module relies on that the installed Textual lacks."""
    return [name for name, present in PRIVATES.items() if not present()]
