"""Queue key presses without waiting between them, as a held key or a fast typist does.

`Pilot.press` waits for the app to go idle after every key, which hides races
where several keys reach a screen before it has finished closing.
"""

from __future__ import annotations

from textual import events
from textual.app import App

_NAMES = {"/": "slash", "?": "question_mark", "*": "asterisk", " ": "space"}
_CHARACTERS = {"space": " ", "enter": "\r"}


def queue_keys(app: App, keys: list[str]) -> None:
    """Put every key in the app's queue now, in order, as the driver does with a burst."""
    assert app.is_running, f"the app is not running (exit code {app.return_code})"
    for key in keys:
        character = key if len(key) == 1 else _CHARACTERS.get(key)
        event = events.Key(_NAMES.get(key, key), character)
        event.set_sender(app)
        app.post_message(event)
