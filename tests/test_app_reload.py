"""Pilot tests of live reload: the explorer follows edits to the dossier's files.

Each test works on a copy of the fixture dossier, with the folder watcher on
(conftest turns it off for every other test), edits files the way an editor
or a shell does, and waits for the app to have reloaded.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from partnership_tui.tui.screens.reader import ReaderScreen
from partnership_tui.tui.widgets.reloadpanel import ReloadPanel

FIXTURE = Path(__file__).parent / "fixtures" / "dossier"


@pytest.fixture
def dossier(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("PARTNERSHIP_TUI_NO_WATCH", raising=False)
    folder = tmp_path / "dossier"
    shutil.copytree(FIXTURE, folder)
    return folder


def _write(path: Path, text: str) -> None:
    """Save as an editor does: a temp file beside it, renamed over it."""
    temp = path.with_name(f".{path.name}.swp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


async def _until(pilot, condition, timeout: float = 15.0) -> None:  # type: ignore[no-untyped-def]
    waited = 0.0
    while not condition():
        assert waited < timeout, "the app did not get there in time"
        await pilot.pause(0.05)
        waited += 0.05
    await pilot.pause()


async def _watching(pilot) -> None:  # type: ignore[no-untyped-def]
    """The watcher is set up (its first awatch call runs) before the test edits anything."""
    app = pilot.app
    await _until(pilot, lambda: any(w.group == "watch" for w in app.workers))
    await pilot.pause(0.3)


def _panel_text(app) -> str:  # type: ignore[no-untyped-def]
    panels = list(app.main.query(ReloadPanel))
    return str(panels[0].render()) if panels else ""


async def test_an_edit_appears_without_a_restart_keeping_the_place(
    make_app, wait_ready, dossier: Path
) -> None:
    app = make_app(dossier)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _watching(pilot)
        await pilot.press("slash")
        await pilot.press(*"init")
        await pilot.press("enter")  # keep the filter, back in the list
        await _until(pilot, lambda: app.state.selected == "initech")
        await pilot.press("3", "asterisk")  # focus the timeline, narrowed to the marked
        await pilot.pause()
        assert app.state.pane == "timeline"
        assert app.state.narrowed
        marks = app.state.marks
        assert marks and len(app.main.timeline.shown_ids) == len(marks)
        rows = app.main.timeline.shown_ids
        assert "A cloud provider." in app.main.detail.plain_text
        before = app.reloads

        companies = dossier / "companies.yaml"
        text = companies.read_text(encoding="utf-8")
        _write(companies, text.replace("A cloud provider.", "A cloud provider, renamed live."))
        await _until(pilot, lambda: app.reloads > before)

        assert "A cloud provider, renamed live." in app.main.detail.plain_text
        assert app.state.selected == "initech"
        assert app.state.filter == "init"
        assert app.main.entities.filter_text == "init"
        assert app.state.pane == "timeline"
        assert app.main.pane_of(app.focused) == "timeline"
        assert app.state.marks == marks
        assert app.state.narrowed
        # The timeline is rebuilt as a first load builds it (every entry placed, none lost).
        assert app.main.timeline.shown_ids == rows
        assert app.reload_problems is None


async def test_an_edit_to_one_file_reads_only_that_file_then_a_bad_one_loads_all(
    make_app, wait_ready, dossier: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The app's reload keeps what unchanged files gave (reopen_dossier); after a reload
    with problems, the fixed files are loaded in full."""
    from partnership_tui.model.store import dossiercache

    full: list[Path] = []
    real = dossiercache.full_load

    def counting(root, progress=None, files=None):  # type: ignore[no-untyped-def]
        full.append(Path(root))
        return real(root, progress=progress, files=files)

    app = make_app(dossier)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _watching(pilot)
        monkeypatch.setattr(dossiercache, "full_load", counting)
        companies = dossier / "companies.yaml"
        text = companies.read_text(encoding="utf-8")
        _write(companies, text.replace("A cloud provider.", "A cloud provider, edited."))
        await _until(pilot, lambda: app.reloads == 1)
        assert app.dossier.get("initech").summary == "A cloud provider, edited."  # type: ignore[union-attr]
        assert full == []
        _write(companies, text.replace("- id: initech", "- id: [initech"))
        await _until(pilot, lambda: app.reload_problems is not None)
        assert len(full) == 1  # problems: the full load says where
        _write(companies, text.replace("A cloud provider.", "A cloud provider, fixed."))
        await _until(pilot, lambda: app.reloads == 2)
        assert app.dossier.get("initech").summary == "A cloud provider, fixed."  # type: ignore[union-attr]
        assert len(full) == 2  # after problems, a full load


async def test_the_excerpt_you_were_on_stays_highlighted(
    make_app, wait_ready, dossier: Path
) -> None:
    app = make_app(dossier)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _watching(pilot)
        await pilot.press("j", "j", "j")  # Jane Roe: several excerpts
        await _until(pilot, lambda: app.state.selected == "jane-roe")
        await pilot.press("4", "j", "j")
        await pilot.pause()
        excerpts = app.main.excerpts.excerpts_list
        row = excerpts.highlighted
        assert row is not None and row > 0
        before = app.reloads
        people = dossier / "people.yaml"
        text = people.read_text(encoding="utf-8")
        _write(people, text.replace("Negotiator turned", "A negotiator turned"))
        await _until(pilot, lambda: app.reloads > before)
        assert app.main.excerpts.excerpts_list.highlighted == row
        assert app.main.pane_of(app.focused) == "excerpts"


async def test_a_broken_edit_keeps_the_dossier_and_the_fix_clears_the_panel(
    make_app, wait_ready, dossier: Path
) -> None:
    app = make_app(dossier)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _watching(pilot)
        shown = app.dossier
        selected = app.state.selected
        companies = dossier / "companies.yaml"
        good = companies.read_text(encoding="utf-8")

        # A colon in a plain value, as in the issue: a YAML syntax error.
        _write(companies, good.replace("A cloud provider.", "A cloud: provider."))
        await _until(pilot, lambda: app.reload_problems is not None)
        assert app.dossier is shown  # the last good dossier stays
        assert app.state.selected == selected
        text = _panel_text(app)
        assert "The files have problems" in text
        assert "companies.yaml:" in text

        # Another broken edit: the panel follows it.
        _write(companies, good.replace("- id: initech", "- id: Initech"))
        await _until(pilot, lambda: "Initech" in _panel_text(app))
        assert app.dossier is shown

        _write(companies, good.replace("A cloud provider.", "A fixed provider."))
        await _until(pilot, lambda: app.reload_problems is None)
        assert app.dossier is not shown
        assert "Fixed" in _panel_text(app)
        assert app.dossier.get("initech").summary == "A fixed provider."  # type: ignore[union-attr]


async def test_the_files_vanishing_or_turning_odd_never_lose_the_dossier(
    make_app, wait_ready, dossier: Path
) -> None:
    app = make_app(dossier)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _watching(pilot)
        shown = app.dossier
        companies = dossier / "companies.yaml"
        good = companies.read_text(encoding="utf-8")

        companies.unlink()  # deleted: the references to its records fail
        await _until(pilot, lambda: app.reload_problems is not None)
        assert app.dossier is shown

        os.mkfifo(companies)  # a FIFO where the file was: refused, never blocks
        await _until(pilot, lambda: "pipe" in _panel_text(app).lower())
        companies.unlink()
        companies.mkdir()  # a folder
        await _until(pilot, lambda: "folder" in _panel_text(app).lower())
        companies.rmdir()
        companies.symlink_to("/etc/passwd")  # a link out of the dossier
        await _until(pilot, lambda: "outside" in _panel_text(app).lower())
        assert app.dossier is shown
        companies.unlink()

        # A flood of half-written saves, then the good file: it ends on the good dossier.
        for size in range(0, len(good), max(1, len(good) // 40)):
            companies.write_text(good[:size], encoding="utf-8")
        companies.write_text(good.replace("A cloud provider.", "After the flood."), "utf-8")
        await _until(pilot, lambda: app.reload_problems is None and app.dossier is not shown)
        await _until(pilot, lambda: not app.reloading)
        assert app.dossier.get("initech").summary == "After the flood."  # type: ignore[union-attr]
        assert app.worker_failures == []


async def test_a_deleted_record_lands_on_the_nearest_one_left(
    make_app, wait_ready, dossier: Path
) -> None:
    companies = dossier / "companies.yaml"
    good = companies.read_text(encoding="utf-8")
    zenith = (
        "- id: zenith\n  name: Zenith\n  summary: Added, then deleted.\n  citations:\n"
        '    - {source: ledger-notes, exact: "Initech did not respond."}\n'
    )
    companies.write_text(good + zenith, encoding="utf-8")
    app = make_app(dossier)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _watching(pilot)
        assert app.select_record("zenith")
        await pilot.pause()
        before = app.reloads
        _write(companies, good)
        await _until(pilot, lambda: app.reloads > before)
        assert app.dossier.get("zenith") is None  # type: ignore[union-attr]
        assert app.state.selected == "initech"  # the one before it (none came after)
        assert app.main.entities.highlighted_id == "initech"
        assert "A cloud provider." in app.main.detail.plain_text
        toasts: list[str] = []
        notify = app.notify
        app.notify = lambda message, **kw: (toasts.append(str(message)), notify(message, **kw))  # type: ignore[method-assign]
        await pilot.press("backspace")  # back: to zenith, which is gone
        await pilot.pause()
        assert app.state.selected == "initech"
        assert "That place is no longer in the dossier." in toasts


async def test_a_record_the_filter_no_longer_shows_keeps_the_filter(
    make_app, wait_ready, dossier: Path
) -> None:
    app = make_app(dossier)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _watching(pilot)
        await pilot.press("slash", *"corp", "enter")
        await _until(pilot, lambda: app.state.selected == "acme")
        assert app.main.entities.shown_ids == ["acme"]
        before = app.reloads
        companies = dossier / "companies.yaml"
        text = companies.read_text(encoding="utf-8")
        _write(companies, text.replace("name: Acme Corp", "name: Acme Inc"))
        await _until(pilot, lambda: app.reloads > before)
        assert app.state.filter == "corp"
        assert app.main.entities.filter_text == "corp"
        assert app.main.entities.shown_ids == []
        assert app.state.selected is None
        assert "No record matches the filter" in app.main.detail.plain_text


async def test_hostile_file_names_reach_the_screen_only_sanitised(
    make_app, wait_ready, dossier: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without a cache the toast names what the watcher reported (with one, only the files
    # the load read whose bytes differ: the hostile file is not one of them).
    monkeypatch.setenv("PARTNERSHIP_TUI_NO_CACHE", "1")
    app = make_app(dossier)
    toasts: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _watching(pilot)
        notify = app.notify
        app.notify = lambda message, **kw: (toasts.append(str(message)), notify(message, **kw))  # type: ignore[method-assign]
        before = app.reloads
        hostile = "\x1b]52;c;ZXZpbA==\x07\u202eevil\x1b[2J.yaml"
        (dossier / hostile).write_text("x", encoding="utf-8")
        companies = dossier / "companies.yaml"
        text = companies.read_text(encoding="utf-8")
        companies.write_text(text.replace("A cloud provider.", "Hostile names."), "utf-8")
        await _until(pilot, lambda: app.reloads > before)
        await pilot.pause()
    reloaded = [t for t in toasts if t.startswith("Reloaded")]
    assert reloaded and "companies.yaml" in reloaded[-1] and "evil" in reloaded[-1]
    for toast in toasts:
        assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 or c == "\u202e" for c in toast)


async def test_only_dossier_files_reload_and_sources_can_come_and_go(
    make_app, wait_ready, dossier: Path
) -> None:
    app = make_app(dossier)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _watching(pilot)
        (dossier / "notes.md").write_text("my notes", encoding="utf-8")
        (dossier / "deep" / "er").mkdir(parents=True)
        (dossier / "deep" / "er" / "draft.yaml").write_text("- id: x", encoding="utf-8")
        (dossier / ".git").mkdir()
        (dossier / ".git" / "index").write_text("x", encoding="utf-8")
        (dossier / "companies.yaml~").write_text("backup", encoding="utf-8")
        await pilot.pause(1.0)
        assert app.reloads == 0 and not app.reloading

        shown = app.dossier
        sources = dossier / "sources"
        sources.rename(dossier / "sources-away")  # every text missing
        await _until(pilot, lambda: app.reload_problems is not None)
        assert app.dossier is shown
        (dossier / "sources-away").rename(sources)
        await _until(pilot, lambda: app.reload_problems is None)
        # sources/ is watched again: an edit inside it reloads
        before = app.reloads
        with (sources / "harbor-report.txt").open("a", encoding="utf-8") as text:
            text.write("A new closing sentence.\n")
        await _until(pilot, lambda: app.reloads > before)
        assert app.dossier.get("harbor-report").text.endswith("A new closing sentence.\n")  # type: ignore[union-attr]


async def test_a_slow_reload_says_what_it_is_doing(
    make_app, wait_ready, dossier: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from partnership_tui.tui import preload
    from partnership_tui.tui.app import PartnershipApp

    app = PartnershipApp(dossier, watch=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        real = preload.load

        def slow(data_dir, progress=None, **how):  # type: ignore[no-untyped-def]
            for step in range(1, 4):  # a large dossier's full load, in small
                if progress is not None:
                    progress("reading slowly", step, 3)
                time.sleep(0.4)
            return real(data_dir, progress, **how)

        monkeypatch.setattr(preload, "load", slow)
        await pilot.press("ctrl+r")
        await _until(pilot, lambda: "Reloading the dossier… reading slowly (" in _panel_text(app))
        assert app.reloading
        await _until(pilot, lambda: not app.reloading)  # (no change in the files: no swap)
        await _until(pilot, lambda: _panel_text(app) == "")  # gone once it is done


async def test_each_reload_names_the_files_it_was_started_for(
    make_app, wait_ready, dossier: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A save while a reload runs is the next reload's: the first toast named the second
    save's file, and the second said only "Reloaded."; each now names what its files
    differ in."""
    from partnership_tui.tui import preload

    app = make_app(dossier)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _watching(pilot)
        toasts: list[str] = []
        notify = app.notify
        app.notify = lambda message, **kw: (toasts.append(str(message)), notify(message, **kw))  # type: ignore[method-assign]
        real = preload.load

        def slow(data_dir, progress=None, **how):  # type: ignore[no-untyped-def]
            loaded = real(data_dir, progress, **how)
            time.sleep(0.8)  # read, not yet handed over: the next save is the next load's
            return loaded

        monkeypatch.setattr(preload, "load", slow)
        people = dossier / "people.yaml"
        _write(people, people.read_text(encoding="utf-8").replace("Negotiator", "A negotiator"))
        await _until(pilot, lambda: app.reloading)
        companies = dossier / "companies.yaml"
        _write(companies, companies.read_text(encoding="utf-8").replace("A cloud", "One cloud"))
        await _until(pilot, lambda: app.reloads >= 2 and not app.reloading)
        reloaded = [t for t in toasts if t.startswith("Reloaded")]
        assert reloaded == [
            "Reloaded (people.yaml changed).",
            "Reloaded (companies.yaml changed).",
        ], reloaded


async def test_ctrl_r_reloads_by_hand(make_app, wait_ready, dossier: Path) -> None:
    from partnership_tui.tui.app import PartnershipApp

    app = PartnershipApp(dossier, watch=False)  # nothing watched: only ctrl+r loads the edit
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert not any(w.group == "watch" for w in app.workers)
        people = dossier / "people.yaml"
        people.write_text(
            people.read_text(encoding="utf-8").replace(
                "Negotiator turned chief executive.", "Edited, then ctrl+r."
            ),
            encoding="utf-8",
        )
        await pilot.pause(0.5)
        assert app.reloads == 0
        await pilot.press("ctrl+r")
        await _until(pilot, lambda: app.reloads == 1)
        assert app.dossier.get("jane-roe").summary == "Edited, then ctrl+r."  # type: ignore[union-attr]


async def test_the_reader_stays_open_where_it_was(make_app, wait_ready, dossier: Path) -> None:
    app = make_app(dossier)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _watching(pilot)
        await pilot.press("4", "enter")
        await _until(pilot, lambda: isinstance(app.screen, ReaderScreen))
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await pilot.press("tab", "tab", "m")
        await pilot.pause()
        source_id = reader.source.id
        position = reader.position()
        gaps = len(reader.gap_list or ())
        before = app.reloads
        deals = dossier / "deals.yaml"
        _write(deals, deals.read_text(encoding="utf-8").replace("Acme bought", "Acme bought "))
        await _until(pilot, lambda: app.reloads > before)
        await _until(pilot, lambda: app.screen is not reader)
        again = app.screen
        assert isinstance(again, ReaderScreen)
        assert again.source.id == source_id
        assert again.position() == position
        assert len(again.gap_list or ()) == gaps and again.gap_list is not None

        # A broken edit while reading: the panel is on the reader; the fix reopens it, "Fixed".
        good = deals.read_text(encoding="utf-8")
        _write(deals, good.replace("- id: ", "- id: [", 1))
        await _until(pilot, lambda: list(app.screen.query(ReloadPanel)))
        assert "The files have problems" in str(app.screen.query_one(ReloadPanel).render())
        _write(deals, good.replace("Acme bought ", "Acme bought  "))
        await _until(pilot, lambda: app.reload_problems is None)
        await _until(pilot, lambda: list(app.screen.query(ReloadPanel)))
        assert isinstance(app.screen, ReaderScreen)
        assert "Fixed" in str(app.screen.query_one(ReloadPanel).render())
        assert app.screen.position() == position
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main


async def test_a_first_load_that_fails_is_replaced_when_the_files_are_fixed(
    make_app, wait_ready, dossier: Path
) -> None:
    companies = dossier / "companies.yaml"
    good = companies.read_text(encoding="utf-8")
    companies.write_text(good.replace("A cloud provider.", "A cloud: provider."), "utf-8")
    app = make_app(dossier)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert app.screen.id == "problems"
        await _watching(pilot)
        _write(companies, good)
        await _until(pilot, lambda: app.ready)
        assert app.screen.id in ("main", "overview")  # a first visit may open on the overview
        assert app.reload_problems is None
        assert app.dossier.get("initech").summary == "A cloud provider."  # type: ignore[union-attr]


async def test_search_after_a_reload_searches_the_new_dossier(
    make_app, wait_ready, dossier: Path
) -> None:
    """The search screen is kept between openings, but not across a reload: the next
    opening searches the dossier as edited."""
    from partnership_tui.tui.screens.search import SearchInput, SearchScreen

    app = make_app(dossier)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _watching(pilot)
        await pilot.press("s")
        await _until(pilot, lambda: isinstance(app.screen, SearchScreen))
        first = app.screen
        await pilot.press("escape")
        await _until(pilot, lambda: app.screen is app.main)
        before = app.reloads
        companies = dossier / "companies.yaml"
        text = companies.read_text(encoding="utf-8")
        _write(companies, text.replace("A cloud provider.", "A cloud provider, zyxwvut."))
        await _until(pilot, lambda: app.reloads > before)
        await pilot.press("s")
        await _until(pilot, lambda: isinstance(app.screen, SearchScreen))
        assert app.screen is not first
        assert app.screen.dossier is app.dossier
        app.screen.query_one(SearchInput).value = "zyxwvut"
        await _until(pilot, lambda: ("record", "initech") in app.screen.hits)


async def test_a_folder_among_installed_packages_is_not_watched_and_others_are_at_once(
    make_app, wait_ready, dossier: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`watching` holds from the first screen on (a problems screen says whether fixes load
    by themselves), though the watcher itself starts a moment later; a dossier inside an
    installed package (site-packages) is never watched."""
    from partnership_tui.tui import watch

    app = make_app(dossier)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert app.watching
        await _watching(pilot)
    monkeypatch.setattr(watch, "installed_folders", lambda: (dossier.parent.resolve(),))
    app = make_app(dossier)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert not app.watching
        await pilot.pause(app.live.WATCH_AFTER_FIRST_SCREEN + 0.3)
        assert not any(worker.group == "watch" for worker in app.workers)
        assert not app.watching


async def test_an_edit_saved_before_the_watch_starts_is_still_shown(
    make_app, wait_ready, dossier: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The watch starts half a second after the first screen: a save in that half second
    (or while watchfiles sets up) was never reported, and the screen showed the old
    files until the next save. Once watching, the files are compared with the dossier."""
    from partnership_tui.tui.reload import LiveReload

    monkeypatch.setattr(LiveReload, "WATCH_AFTER_FIRST_SCREEN", 3.0)
    app = make_app(dossier)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert not any(w.group == "watch" for w in app.workers)  # not watching yet
        companies = dossier / "companies.yaml"
        text = companies.read_text(encoding="utf-8")
        _write(companies, text.replace("A cloud provider.", "A cloud provider, saved early."))
        await _until(pilot, lambda: app.reloads == 1, timeout=10.0)
        assert app.dossier.get("initech").summary == "A cloud provider, saved early."  # type: ignore[union-attr]


async def test_an_open_overview_shows_the_reloaded_dossier(
    make_app, wait_ready, dossier: Path
) -> None:
    """The overview is a screen over the panes: a reload swapped the panes' dossier and left
    it listing the old names (enter on a gone record said it is not in the dossier)."""
    from partnership_tui.tui.screens.overview import OverviewScreen

    app = make_app(dossier)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _watching(pilot)
        await pilot.press("0")
        await _until(pilot, lambda: isinstance(app.screen, OverviewScreen))
        overview = app.screen
        assert any("Acme Corp" in str(row.content) for row in _overview_rows(overview))
        meta = dossier / "dossier.yaml"
        _write(meta, meta.read_text(encoding="utf-8").replace("Acme and Globex", "Acme, Globex"))
        companies = dossier / "companies.yaml"
        text = companies.read_text(encoding="utf-8")
        _write(companies, text.replace("name: Acme Corp", "name: Acme Renamed"))
        await _until(pilot, lambda: app.dossier.get("acme").name == "Acme Renamed")  # type: ignore[union-attr]
        await _until(pilot, lambda: app.dossier.title.startswith("Acme, Globex"))  # type: ignore[union-attr]
        await pilot.pause(0.2)
        assert app.screen is overview
        shown = [str(row.content) for row in _overview_rows(overview)]
        assert any("Acme Renamed" in line for line in shown), shown
        assert not any("Acme Corp" in line for line in shown), shown
        assert "Acme, Globex" in str(overview.query_one("#overview-title").render())


def _overview_rows(screen):  # type: ignore[no-untyped-def]
    from partnership_tui.tui.screens.overview import OverviewList

    return screen.query_one(OverviewList).rows
