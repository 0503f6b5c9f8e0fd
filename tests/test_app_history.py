"""Back/forward through everything visited: the plain History class, then the app's keys."""

from __future__ import annotations

from partnership_tui.tui.panes import DetailList
from partnership_tui.tui.screens.reader import ReaderScreen
from partnership_tui.tui.state import History, RecordPlace, SourcePlace


def test_history_visit_back_forward() -> None:
    history = History()
    assert history.current is None and not history.can_back and not history.can_forward
    for record in ("a", "b", "c"):
        history.visit(RecordPlace(record))
    assert history.back() == RecordPlace("b")
    assert history.back() == RecordPlace("a")
    assert history.back() is None
    assert history.forward() == RecordPlace("b")
    history.visit(RecordPlace("d"))  # drops "c"
    assert [p.record_id for p in history.places] == ["a", "b", "d"]  # type: ignore[union-attr]
    assert history.forward() is None


def test_history_dedupes_and_replaces() -> None:
    history = History()
    history.visit(RecordPlace("a", "entities"))
    history.visit(RecordPlace("a", "detail"))  # same record: refreshed, not added
    assert len(history) == 1 and history.current == RecordPlace("a", "detail")
    history.visit(RecordPlace("b"))
    history.visit(RecordPlace("c"), replace=True)
    assert [p.record_id for p in history.places] == ["a", "c"]  # type: ignore[union-attr]


def test_history_limit_and_sources() -> None:
    history = History(limit=3)
    for record in "abcde":
        history.visit(RecordPlace(record))
    assert [p.record_id for p in history.places] == ["c", "d", "e"]  # type: ignore[union-attr]
    history.visit(SourcePlace("s", 1, 2))
    history.visit(SourcePlace("s", 5, 9))
    assert history.record_before_current() == RecordPlace("e")
    assert history.back_to_record() == RecordPlace("e")


async def test_alt_left_walks_back_in_order_and_alt_right_forward(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        visited = ["acme"]
        await pilot.press("j")  # globex
        await pilot.press("j")  # initech
        await pilot.pause()
        visited += ["globex", "initech"]
        await pilot.press("enter")  # to Detail
        await pilot.pause()
        await pilot.press("enter")  # follow the first link: the Initech cloud deal
        await pilot.pause()
        visited.append("initech-cloud-deal")
        assert app.state.selected == "initech-cloud-deal"
        await pilot.press("4", "enter")  # open the deal's quote in the reader
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("tab", "tab", "enter")  # follow a mention in the reader
        await pilot.pause()
        assert app.screen is app.main
        after_reader = app.state.selected
        assert after_reader is not None and after_reader != "initech-cloud-deal"

        # Back: to the reader first (it was visited), then through the records in order.
        await pilot.press("alt+left")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.state.selected == "initech-cloud-deal"  # still under the reader
        for expected in reversed(visited):
            await pilot.press("alt+left")
            await pilot.pause()
            assert app.screen is app.main
            assert app.state.selected == expected
            if expected in ("acme", "globex", "initech"):
                assert app.main.entities.highlighted_id == expected
        # Nothing further back: still on the first.
        await pilot.press("alt+left")
        await pilot.pause()
        assert app.state.selected == "acme"
        # And forward again, in order, with backspace as the other back key.
        for expected in visited[1:]:
            await pilot.press("alt+right")
            await pilot.pause()
            assert app.state.selected == expected
        await pilot.press("alt+right")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("alt+right")
        await pilot.pause()
        assert app.state.selected == after_reader
        await pilot.press("backspace")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)


async def test_back_restores_the_pane_that_had_focus(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("j", "enter")  # globex, then its detail
        await pilot.pause()
        await pilot.press("enter")  # follow its first link
        await pilot.pause()
        assert isinstance(app.focused, DetailList)
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("alt+left")
        await pilot.pause()
        assert app.state.selected == "globex"
        assert isinstance(app.focused, DetailList)  # where the link was followed from


async def test_escape_from_a_reader_reached_through_history(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("4", "enter")  # reader over acme
        await pilot.pause()
        await pilot.press("g", "tab", "tab", "enter")  # follow the mention of Globex
        await pilot.pause()
        assert app.screen is app.main and app.state.selected == "globex"
        await pilot.press("alt+left")  # back to the reader, with acme under it again
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.state.selected == "acme"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main and app.state.selected == "acme"
        await pilot.press("alt+right")  # forward: the reader again, then globex
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("alt+right")
        await pilot.pause()
        assert app.screen is app.main and app.state.selected == "globex"


async def test_filter_typing_leaves_one_history_entry(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("slash", "i", "n", "i", "t", "e", "c", "h", " ", "c")
        await pilot.pause()
        assert app.state.selected == "initech-cloud-deal"
        ids = [p.record_id for p in app.state.history.places]  # type: ignore[union-attr]
        assert ids == ["acme", "initech-cloud-deal"]
