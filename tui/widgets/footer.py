"""The key hints line at the bottom of every screen: one widget, repainted, never relaid out.

Textual's Footer mounts a widget per key and recomposes (relayouting the
screen) on every bindings update, which it gets on each focus change, even
when the keys shown stay the same; that cost 0.1-0.3 s per pane switch and
several extra frames at start-up. This footer renders one line of text and
repaints only when the keys it shows change. A click on a key presses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen

# (key to press, shown key, description)
Hint = tuple[str, str, str]

#: Of several keys for one action, the one the footer shows if it is active.
PREFERRED = ("backspace", "question_mark")
KEY_NAMES = {"backspace": "⌫", "alt+left": "alt+←", "question_mark": "?", "f1": "F1"}


class QuietFooter(Widget):
    DEFAULT_CSS = """
    QuietFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    """

    KEY_STYLE: ClassVar[str] = "bold $footer-key-foreground"
    DESCRIPTION_STYLE: ClassVar[str] = "$footer-description-foreground"
    RULE_STYLE: ClassVar[str] = "$foreground 20%"

    def __init__(self) -> None:
        super().__init__()
        self._hints: tuple[Hint, ...] = ()
        self._right: tuple[Hint, ...] = ()  # quit and the palette: kept on the right
        # Where each hint sits on the line, for clicks: (start, end, key).
        self._places: list[tuple[int, int, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        app = self.app
        palette_key = app.COMMAND_PALETTE_BINDING
        hints: list[Hint] = []
        right: list[Hint] = []
        quit_hint: Hint | None = None
        # Keys per action, in the order Textual lists them: a key a text box keeps (⌫, ?)
        # is not offered there; another key for the same action is (alt+←, F1).
        keys: dict[str, list[str]] = {}
        first: dict[str, Binding] = {}
        for key, (_, binding, enabled, _tooltip) in screen.active_bindings.items():
            if not enabled:
                continue
            if key == palette_key:
                if app.ENABLE_COMMAND_PALETTE:
                    right.append((key, app.get_key_display(binding), binding.description))
                continue
            if binding.action in ("quit", "app.quit") and key == "q":
                quit_hint = (key, "q", binding.description)  # always on the right
                continue
            if binding.show:
                keys.setdefault(binding.action, []).append(key)
                first.setdefault(binding.action, binding)
        for action, action_keys in keys.items():
            binding = first[action]
            key = next((k for k in PREFERRED if k in action_keys), action_keys[0])
            display = KEY_NAMES.get(key) or app.get_key_display(binding)
            hints.append((key, display, binding.description))
        if quit_hint is not None:
            right.insert(0, quit_hint)
        if tuple(hints) != self._hints or tuple(right) != self._right:
            self._hints = tuple(hints)
            self._right = tuple(right)
            self.refresh()

    def render(self) -> Content:
        parts: list[Content] = []
        places: list[tuple[int, int, str]] = []
        position = 0
        for key, display, description in self._hints:
            piece = Content.assemble(
                (f" {display}", self.KEY_STYLE), (f" {description} ", self.DESCRIPTION_STYLE)
            )
            places.append((position, position + piece.cell_length, key))
            position += piece.cell_length
            parts.append(piece)
        line = Content("").join(parts)
        if self._right:
            pieces = [
                Content.assemble(
                    (display, self.KEY_STYLE), (f" {description} ", self.DESCRIPTION_STYLE)
                )
                for _, display, description in self._right
            ]
            right = Content.assemble(("▏", self.RULE_STYLE), *pieces)
            width = self.size.width
            if right.cell_length < width:
                # Quit and the jump key keep their place on the right; the hints give way.
                left_width = width - right.cell_length
                line = line.truncate(left_width, pad=True)
                places = [(s, min(e, left_width), k) for s, e, k in places if s < left_width]
                start = left_width + 1
                for (key, _, _), piece in zip(self._right, pieces, strict=True):
                    places.append((start, start + piece.cell_length, key))
                    start += piece.cell_length
                line = Content.assemble(line, right)
        self._places = places
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._places:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)
                return
