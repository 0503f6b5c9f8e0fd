"""SVG snapshots of each screen, against the fixture dossier (data edits never break them).

Update with `pytest tests/test_snapshots.py --snapshot-update`, look at the
report, then run twice more to check they are stable. Every key is pressed in
`run_before` after the dossier has loaded, and text inputs stop blinking, so
the pictures do not depend on timing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from textual.widgets import Input

FIXTURE = Path(__file__).parent / "fixtures" / "dossier"


def _app():  # type: ignore[no-untyped-def]
    from partnership_tui.tui.app import PartnershipApp

    return PartnershipApp(FIXTURE)


def _steps(
    keys: Sequence[str] = (), settle: float = 0.0, *, overview: bool = False
) -> Callable[..., Awaitable[None]]:
    async def run_before(pilot) -> None:  # type: ignore[no-untyped-def]
        app = pilot.app
        await app.workers.wait_for_complete()
        for _ in range(500):
            if app.ready and app.focused is not None:
                break
            await pilot.pause(0.01)
        await pilot.pause()
        if app.screen.id == "overview" and not overview:  # a first launch: to the panes
            await pilot.press("escape")
        await pilot.press(*keys)
        if settle:
            await pilot.pause(settle)
            await app.workers.wait_for_complete()
        for widget in app.screen.query(Input):
            widget.cursor_blink = False
        await pilot.pause()

    return run_before


def test_main_screen_120x40(snap_compare) -> None:
    assert snap_compare(_app(), terminal_size=(120, 40), run_before=_steps(["j", "j", "j"]))


def test_main_screen_80x24(snap_compare) -> None:
    assert snap_compare(_app(), terminal_size=(80, 24), run_before=_steps(["j", "j", "j"]))


def test_main_screen_narrowed_timeline(snap_compare) -> None:
    keys = ["j", "j", "j", "asterisk", "3"]
    assert snap_compare(_app(), terminal_size=(120, 40), run_before=_steps(keys))


def test_single_pane_40x12(snap_compare) -> None:
    assert snap_compare(_app(), terminal_size=(40, 12), run_before=_steps(["j", "2"]))


def test_too_small(snap_compare) -> None:
    assert snap_compare(_app(), terminal_size=(12, 4), run_before=_steps())


def test_reader(snap_compare) -> None:
    keys = ["j", "j", "j", "4", "j", "enter", "tab"]
    assert snap_compare(_app(), terminal_size=(120, 40), run_before=_steps(keys))


def test_help_screen(snap_compare) -> None:
    assert snap_compare(_app(), terminal_size=(120, 40), run_before=_steps(["question_mark"]))


def test_palette(snap_compare) -> None:
    keys = ["ctrl+p", "r", "o", "e"]
    assert snap_compare(_app(), terminal_size=(120, 40), run_before=_steps(keys, settle=0.6))


def test_filtered_entities(snap_compare) -> None:
    keys = ["slash", "c", "l", "o", "u", "d"]
    assert snap_compare(_app(), terminal_size=(120, 40), run_before=_steps(keys))


def test_overview_80x24(snap_compare) -> None:
    assert snap_compare(_app(), terminal_size=(80, 24), run_before=_steps(overview=True))
