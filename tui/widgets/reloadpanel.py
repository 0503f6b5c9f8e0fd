"""The live-reload panel: what is wrong with the files since the last good load, what a slow
reload is doing, or "fixed".

Docked over the bottom of the main screen and the reader (above the footer), so
it never takes focus or relayouts the panes. The app keeps it up to date after
every reload (`show_problems`), and says "fixed" when the files load again
(`show_fixed`) before it removes it. Problems are data from the files: each is
made one line and free of control characters, and only the first few are
listed, with how many more there are.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import Static

SHOWN = 6  # problems listed; the rest are counted (`partnership-tui validate` lists all)


class ReloadPanel(Static, can_focus=False):
    DEFAULT_CSS = """
    ReloadPanel {
        dock: bottom;
        offset-y: -1;  /* above the footer, which is docked at the bottom too */
        height: auto;
        max-height: 10;
        width: 100%;
        padding: 0 1;
        background: $error-muted;
        color: $foreground;
        border-top: solid $error;
    }
    ReloadPanel.-fixed {
        background: $success-muted;
        border-top: solid $success;
    }
    ReloadPanel.-progress {
        background: $primary-muted;
        border-top: solid $primary;
    }
    """

    def __init__(self) -> None:
        super().__init__("", id="reload-panel", markup=False)

    def show_problems(
        self, heading: str, problems: Sequence[object], since: str, status: str | None = None
    ) -> None:
        """The newest reload's problems; `since` is when the dossier shown was loaded;
        `status` what a slow reload running now is doing."""
        from partnership_tui.model.build.text import one_line

        self.remove_class("-fixed")
        self.remove_class("-progress")
        count = len(problems)
        lines = [
            Content.assemble(
                (one_line(heading), "bold"),
                (
                    f" · {count} problem{'s' if count != 1 else ''}; "
                    f"showing the dossier as loaded at {since}",
                    "",
                ),
            )
        ]
        for problem in problems[:SHOWN]:
            lines.append(Content(one_line(str(problem))[:400]))
        if count > SHOWN:
            lines.append(Content.styled(f"… and {count - SHOWN} more", "italic"))
        if status is not None:
            lines.append(Content.styled(status, "bold"))
        lines.append(
            Content.styled(
                "Fix and save: this panel follows your edits. ctrl+r reloads now; "
                "`partnership-tui validate` lists every problem.",
                "$text-muted",
            )
        )
        self.update(Content("\n").join(lines))

    def show_progress(self, status: str) -> None:
        """A slow reload is running (the dossier shown is the last one loaded)."""
        self.remove_class("-fixed")
        self.add_class("-progress")
        self.update(
            Content.assemble(
                (status, "bold"), ("  · the dossier shown stays until it is done", "$text-muted")
            )
        )

    def show_fixed(self, when: str) -> None:
        self.remove_class("-progress")
        self.add_class("-fixed")
        self.update(
            Content.assemble(("Fixed", "bold"), f": the files load again (reloaded at {when}).")
        )
