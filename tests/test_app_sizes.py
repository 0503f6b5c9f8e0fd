"""Every terminal size, down to 1x1: no crash, the right layout, the selection kept."""

from __future__ import annotations

import pytest

from partnership_tui.tui.screens.main import layout_for
from partnership_tui.tui.screens.reader import ReaderScreen

SIZES = [
    (1, 1),
    (2, 2),
    (3, 5),
    (5, 3),
    (6, 2),
    (10, 4),
    (16, 4),
    (17, 5),
    (20, 5),
    (24, 6),
    (30, 8),
    (40, 12),
    (59, 15),
    (60, 16),
    (80, 24),
    (99, 29),
    (100, 30),
    (120, 40),
    (200, 60),
]
KEYS = ["j", "pagedown", "pageup", "G", "g", "tab", "j", "asterisk"]


def test_layout_breakpoints() -> None:
    assert layout_for(1, 1) == "tiny"
    assert layout_for(16, 30) == "tiny"
    assert layout_for(20, 5) == "single"
    assert layout_for(59, 40) == "single"
    assert layout_for(80, 24) == "grid"
    assert layout_for(99, 40) == "grid"
    assert layout_for(120, 40) == "wide"
    assert layout_for(120, 29) == "grid"


async def test_resizing_keeps_the_selection(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("j", "j", "j")
        await pilot.pause()
        await pilot.press("4", "j")
        await pilot.pause()
        excerpt = app.main.excerpts.excerpts_list.highlighted
        for width, height in [*SIZES, (120, 40)]:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            assert app.main.layout_mode == layout_for(width, height)
            assert app.state.selected == "jane-roe"
            assert app.main.entities.highlighted_id == "jane-roe"
            assert app.main.excerpts.excerpts_list.highlighted == excerpt
        await pilot.pause()
        assert app.main.active_pane == "excerpts"
        assert app.main.pane_of(app.focused) == "excerpts"


async def test_keys_at_every_size(make_app, wait_ready) -> None:
    """Resize through every size, pressing the keys that move, page and switch panes."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        for width, height in SIZES:
            await pilot.resize_terminal(width, height)
            await pilot.pause()
            await pilot.press(*KEYS)
            if layout_for(width, height) == "tiny":
                assert app.main.has_class("-tiny")
        await pilot.press("2", "enter", "4", "enter", "j", "pagedown", "escape")
        await pilot.pause()
    # Reaching here means no exception escaped the app at any size.


@pytest.mark.parametrize("size", [(1, 1), (4, 4), (20, 5), (80, 24)], ids=str)
async def test_starting_at_a_small_size(make_app, wait_ready, size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await wait_ready(pilot)
        await pilot.press("j", "pagedown", "tab", "enter", "question_mark", "escape")
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.pause()
        assert app.main.layout_mode == "wide"
        assert app.main.pane_of(app.focused) is not None


async def test_single_pane_mode_shows_one_pane_and_a_tab_strip(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await wait_ready(pilot)
        assert app.main.layout_mode == "single"
        shown = [
            name
            for name in ("entities", "detail", "timeline", "excerpts")
            if app.main.pane(name).display
        ]
        assert shown == ["entities"]
        await pilot.press("2")
        await pilot.pause()
        await pilot.pause()
        shown = [
            name
            for name in ("entities", "detail", "timeline", "excerpts")
            if app.main.pane(name).display
        ]
        assert shown == ["detail"]
        assert app.main.pane_of(app.focused) == "detail"
        strip = str(app.main.query_one("#tabstrip").render())
        assert "2 Detail" in strip


async def test_reader_help_and_palette_survive_tiny_sizes(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("4", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        for size in [(1, 1), (3, 2), (8, 3), (20, 5), (120, 40)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.press("j", "pagedown", "tab", "G", "g")
        await pilot.press("escape", "question_mark")
        for size in [(1, 1), (20, 5), (120, 40)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        await pilot.press("escape", "ctrl+p", "a")
        await pilot.pause(0.3)
        for size in [(1, 1), (5, 4), (6, 3), (20, 5), (120, 40)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            await pilot.press("pagedown", "pageup", "down")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main
