"""Run the real app in this terminal and, when ctrl+q ends it, write what it holds as JSON.

Used by tests/ptydrive.py: the app gets keys from a real terminal driver (bursts,
bracketed pastes) and the test reads back the exact text of each box.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from textual.command import CommandInput

from partnership_tui.tui.app import PartnershipApp
from partnership_tui.tui.screens.search import SearchInput


class ProbedApp(PartnershipApp):
    CSS_PATH = Path(sys.modules[PartnershipApp.__module__].__file__ or "").parent / "app.tcss"

    def __init__(self, data: Path, report: Path) -> None:
        super().__init__(data)
        self.report = report

    async def action_quit(self) -> None:
        # ctrl+q is a priority key: it can be read before the widgets have handled the
        # keys queued ahead of it. Let them finish first.
        await asyncio.sleep(0.3)
        main = self.main
        screen = self.screen
        state: dict[str, object] = {
            "screen": type(screen).__name__,
            "focused": type(self.focused).__name__ if self.focused else None,
            "filter": main.entities.filter_text,
            "selected": self.state.selected,
            "entities_row": main.entities.entity_list.highlighted,
            "timeline_row": main.timeline.timeline_list.highlighted,
            "search": None,
            "palette": None,
        }
        for box in screen.query(SearchInput):
            state["search"] = box.value
        for box in screen.query(CommandInput):
            state["palette"] = box.value
        self.report.write_text(json.dumps(state), encoding="utf-8")
        await super().action_quit()


if __name__ == "__main__":
    ProbedApp(Path(sys.argv[1]), Path(sys.argv[2])).run()
