"""Textual privates live in tui/compat.py only, and each one still exists in the installed Textual.

If an upgrade moves one, the failure names it: read compat.py's note on it, then
either adapt the shim or drop it (and the benefit it bought).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from partnership_tui.tui import compat

TUI = Path(compat.__file__).resolve().parent

# A Textual private: `._name` on anything, or `textual.<module>._private` in an import.
PRIVATE = re.compile(
    r"textual(\.\w+)*\._\w+|\._(border_title|scroll_update|size_updated|screen_resized|"
    r"handle_exception|watch__|action_command_list|on_click|_toast|compositor|driver)\b"
)


@pytest.mark.parametrize("name", sorted(compat.PRIVATES))
def test_each_private_still_exists(name: str) -> None:
    assert compat.PRIVATES[name](), (
        f"Textual private `{name}` is gone or changed in this Textual; see tui/compat.py"
    )


def test_no_textual_private_outside_compat() -> None:
    offenders = []
    for path in sorted(TUI.rglob("*.py")):
        if path.name == "compat.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PRIVATE.search(line):
                offenders.append(f"{path.relative_to(TUI)}:{number}: {line.strip()}")
    assert not offenders, "Textual privates outside tui/compat.py:\n" + "\n".join(offenders)


def test_no_module_reaches_the_app_by_getattr() -> None:
    """Widgets and screens post messages; none looks the app up by name."""
    offenders = [
        f"{path.relative_to(TUI)}:{number}"
        for path in sorted(TUI.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "getattr(self.app" in line or "getattr(app," in line
    ]
    assert not offenders, offenders
