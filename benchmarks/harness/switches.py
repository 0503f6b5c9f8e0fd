"""Switches that turn a hand-written fast path off, so that a harness row can say what it is
worth: the same measurement with it on (the anchor) and off, in the same run.

They patch the running process only (the measuring child, or the app started through
`benchmarks.harness.launch`); nothing in the package changes.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from typing import Any

SWITCHES = ("fast-yaml", "cells")


def import_model_modules() -> list[Any]:
    """Every module of partnership_tui.model, imported (wherever the reader lives today)."""
    import partnership_tui.model as model

    for info in pkgutil.walk_packages(model.__path__, "partnership_tui.model."):
        if ".commands" in info.name:
            continue
        importlib.import_module(info.name)
    return [m for name, m in sys.modules.items() if name.startswith("partnership_tui.model")]


def switch_off_fast_yaml() -> int:
    """Make the fast line reader (yamlfast.read_subset) refuse every file at once, so each one
    goes through libyaml's events, as if the fast reader did not exist. Returns how many
    references were replaced (0: there is no fast reader to switch off)."""
    patched = 0
    for module in import_model_modules():
        original = getattr(module, "read_subset", None)
        if not callable(original):
            continue
        unsupported = sys.modules[original.__module__].Unsupported

        def refuse(*_args: Any, _unsupported: type = unsupported, **_kwargs: Any) -> Any:
            raise _unsupported("switched off by the benchmark")

        module.read_subset = refuse
        patched += 1
    return patched


def _strip_maker() -> Any:
    for name in ("partnership_tui.tui.widgets.cells", "partnership_tui.tui.cells"):
        try:
            return importlib.import_module(name).StripMaker
        except (ImportError, AttributeError):
            continue
    return None


def switch_off_cells() -> bool:
    """Render list rows through Textual's own Content machinery instead of cells.StripMaker.

    The result has the same cells (wrapped by Textual, cut to the same line count, one line
    with an ellipsis when not wrapping); only the way there differs.
    """
    maker = _strip_maker()
    if maker is None:
        return False
    from rich.segment import Segment
    from textual.strip import Strip
    from textual.visual import Visual

    line_count = sys.modules[maker.__module__].line_count

    def render(self: Any, content: Any, width: int, base: Any, wrap: bool) -> list[Strip]:
        width = max(1, width)
        fill = self._style(base, ())
        if not wrap:
            first = content.split("\n")[0] if "\n" in content.plain else content
            content = first.truncate(width, ellipsis=True)
            height = 1
        else:
            height = line_count(content.plain, width)
        strips = Visual.to_strips(self.widget, content, width, None, base, pad=True)[:height]
        while len(strips) < height:
            strips.append(Strip([Segment(" " * width, fill)], width))
        return [strip.crop(0, width) for strip in strips]

    maker.render = render
    return True


def apply(names: list[str]) -> None:
    """Switch off each named fast path; SystemExit if one is not there to switch off."""
    for name in names:
        done = {"fast-yaml": switch_off_fast_yaml, "cells": switch_off_cells}[name]()
        if not done:
            raise SystemExit(f"benchmark switch {name!r}: that fast path is not in this build")
