"""Start-up: a preloaded dossier is shown at once, a slow load shows its progress,
long lists build only the rows on screen, and the footer's keys can be clicked."""

from __future__ import annotations

import importlib
import sys
import threading
from pathlib import Path

from textual.content import Content
from textual.widgets import Static

from partnership_tui.model.dossier.load import load_dossier
from partnership_tui.tui.app import PartnershipApp
from partnership_tui.tui.preload import LoadFailed, Preload
from partnership_tui.tui.screens.help import HelpScreen
from partnership_tui.tui.widgets.footer import QuietFooter
from partnership_tui.tui.widgets.rowlist import LazyRows, Row

ROOT = Path(__file__).resolve().parent.parent


class SlowLoad:
    """A Preload stand-in that finishes only when the test says so, from another thread."""

    def __init__(self) -> None:
        self.progress = ("reading events", 3, 10)
        self.done = False
        self.result: object = None
        self._callback = None

    def when_done(self, callback) -> bool:  # type: ignore[no-untyped-def]
        self._callback = callback
        return True

    def finish(self, result: object) -> None:
        def run() -> None:
            self.result = result
            self.done = True
            self._callback()

        # From another thread, as the real load does (and without blocking the app's loop).
        threading.Thread(target=run, daemon=True).start()


async def test_a_slow_load_shows_its_progress_then_the_dossier(fixture_dossier: Path) -> None:
    slow = SlowLoad()
    app = PartnershipApp(fixture_dossier, preload=slow)  # type: ignore[arg-type]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        loading = str(app.main.query_one("#loading", Static).render())
        assert "reading events (3 of 10)" in loading
        assert not app.ready
        slow.finish(load_dossier(fixture_dossier))
        await pilot.pause(0.2)
        assert app.ready
        assert app.main.entities.highlighted_id is not None


async def test_a_failed_preload_lists_its_problems(fixture_dossier: Path) -> None:
    slow = SlowLoad()
    app = PartnershipApp(fixture_dossier, preload=slow)  # type: ignore[arg-type]
    async with app.run_test(size=(100, 30)) as pilot:
        slow.finish(LoadFailed("The dossier has problems", ["events.yaml:3:1: bad date"]))
        await pilot.pause(0.2)
        assert app.screen.id == "problems"
        assert not app.ready


async def test_a_finished_preload_is_shown_before_the_first_frame(fixture_dossier: Path) -> None:
    preload = Preload(fixture_dossier)
    # Wait for it, as a warm cache has finished before Textual has started.
    assert not isinstance(preload.result, LoadFailed)
    app = PartnershipApp(fixture_dossier, preload=preload)
    async with app.run_test(size=(100, 30)) as pilot:
        # No pause: mounting alone has shown the dossier, Entities focused under the overview
        # (a first launch opens on it).
        assert app.ready
        assert app.main.focused is app.main.entities.entity_list
        assert app.main.entities.highlighted_id is not None
        await pilot.pause()
        assert app.screen.id == "overview"


def test_lazy_rows_are_made_once_and_only_when_asked() -> None:
    made: list[int] = []

    def make(index: int) -> Row:
        made.append(index)
        return Row(Content(str(index)), str(index))

    rows = LazyRows(1_000_000, make)
    assert len(rows) == 1_000_000 and made == []
    assert rows[5].key == "5" and rows[5] is rows[5] and rows[-1].key == "999999"
    assert made == [5, 999999]


async def test_a_long_timeline_builds_only_the_rows_on_screen(tmp_path: Path) -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    synth = importlib.import_module("benchmarks.synth")
    synth.generate(tmp_path / "d", synth.spec_for("tiny", events=3000))
    app = PartnershipApp(tmp_path / "d")
    async with app.run_test(size=(100, 30)) as pilot:
        while not app.ready:
            await pilot.pause(0.05)
        await pilot.pause()
        await pilot.press("escape")  # from the overview to the panes
        await pilot.pause()
        timeline = app.main.timeline
        entries = len(app.dossier.timeline_entry_ids)  # 3000 events and the dated deals
        assert timeline.timeline_list.row_count == entries >= 3000
        built = timeline.rows_built
        assert 0 < built <= 3 * timeline.timeline_list.size.height
        await pilot.press("3", "G")  # to the end: the last rows are built, not the middle
        await pilot.pause()
        assert timeline.timeline_list.highlighted == entries - 1
        assert timeline.rows_built <= built + 3 * timeline.timeline_list.size.height


async def test_clicking_a_footer_key_presses_it(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_ready(pilot)
        footer = app.main.query_one(QuietFooter)
        text = str(footer.render())
        column = text.index("? Help")
        await pilot.click(footer, offset=(column + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_notifications_still_show_after_the_rack_is_hidden_at_start(
    make_app, wait_ready
) -> None:
    from partnership_tui.tui.compat import toasts_shown

    app = make_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await wait_ready(pilot)
        assert toasts_shown(app.main) is None  # the rack is hidden
        await pilot.press("alt+left")  # nothing further back: a notice
        await pilot.pause(0.2)
        assert toasts_shown(app.main)


async def test_a_real_resize_still_lays_the_screen_out(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.resize_terminal(60, 20)
        await pilot.pause(0.2)
        assert app.main.has_class("-grid")
        assert app.main.excerpts.size.width <= 60
        await pilot.resize_terminal(120, 40)
        await pilot.pause(0.2)
        assert app.main.has_class("-wide")
        assert app.main.excerpts.size.width > 60  # the full-width row of the wide layout


async def test_detail_opens_at_its_top_in_a_short_pane(fixture_dossier: Path) -> None:
    preload = Preload(fixture_dossier)
    assert not isinstance(preload.result, LoadFailed)
    app = PartnershipApp(fixture_dossier, preload=preload)
    async with app.run_test(size=(60, 16)) as pilot:  # a Detail shorter than its record
        await pilot.pause()
        detail = app.main.detail.detail_list
        assert detail.virtual_size.height > detail.scrollable_content_region.height
        assert detail.scroll_y == 0  # the record's name, not its first link, at the top


async def test_search_pressed_while_loading_opens_once_loaded(fixture_dossier: Path) -> None:
    from partnership_tui.tui.screens.search import SearchInput, SearchScreen

    slow = SlowLoad()
    app = PartnershipApp(fixture_dossier, preload=slow)  # type: ignore[arg-type]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        await pilot.press("s")
        assert not app.ready
        slow.finish(load_dossier(fixture_dossier))
        await pilot.pause(0.3)
        assert app.ready
        assert isinstance(app.screen, SearchScreen)
        assert app.focused is app.screen.query_one(SearchInput)


async def test_a_filter_typed_while_loading_is_kept(fixture_dossier: Path) -> None:
    slow = SlowLoad()
    app = PartnershipApp(fixture_dossier, preload=slow)  # type: ignore[arg-type]
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.1)
        await pilot.press("slash", *"glob")
        slow.finish(load_dossier(fixture_dossier))
        await pilot.pause(0.3)
        assert app.ready
        assert app.screen is app.main  # not the overview over what is being typed
        entities = app.main.entities
        assert entities.filter_text == "glob"
        assert app.focused is entities.filter_input
        assert "globex" in entities.shown_ids and "initech" not in entities.shown_ids
        assert app.state.selected == entities.shown_ids[0]


class _Finished:
    """A Preload stand-in whose load has finished with `result`."""

    def __init__(self, result: object) -> None:
        self.result = result
        self.done = True
        self.progress = ("done", 1, 1)

    def when_done(self, callback) -> bool:  # type: ignore[no-untyped-def]
        return False


async def test_the_collector_paused_for_startup_runs_again_once_the_first_screen_is_up(
    fixture_dossier: Path,
) -> None:
    """cli.cmd_explore starts the explorer with the collector off; every first screen (the
    dossier or its problems) turns it on again. A slow load's progress line does not: the
    loader keeps it off for the whole process while it builds, and showing the dossier
    turns it on."""
    import gc

    slow = SlowLoad()
    results = {
        "dossier": _Finished(load_dossier(fixture_dossier)),
        "problems": _Finished(LoadFailed("The dossier has problems", ["a.yaml:1:1: bad"])),
        "slow load": slow,
    }
    try:
        for what, preload in results.items():
            gc.disable()
            app = PartnershipApp(fixture_dossier, preload=preload)  # type: ignore[arg-type]
            async with app.run_test(size=(100, 30)) as pilot:
                await pilot.pause(0.2)
                if preload is slow:
                    assert not gc.isenabled(), "the slow load builds with the collector off"
                    slow.finish(load_dossier(fixture_dossier))
                    for _ in range(50):
                        await pilot.pause(0.05)
                        if app.dossier is not None and gc.isenabled():
                            break
                assert gc.isenabled(), what
    finally:
        gc.enable()
