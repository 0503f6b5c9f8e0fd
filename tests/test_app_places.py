"""Back and forward restore the whole place: pane and focus, filter, timeline marks and
narrowing, the reader's position and cursors. One test per thing restored."""

from __future__ import annotations

from partnership_tui.tui.panes import DetailList, EntityList, TimelineList
from partnership_tui.tui.screens.reader import ReaderScreen


async def test_back_after_following_a_link_returns_to_detail(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("2")  # Detail of Acme
        await pilot.pause()
        first_link = app.main.detail.links[0]
        await pilot.press("enter")  # follow it
        await pilot.pause()
        assert app.state.selected == first_link
        await pilot.press("alt+left")
        await pilot.pause()
        assert app.state.selected == "acme"
        assert isinstance(app.focused, DetailList)
        assert app.main.detail.record_id == "acme"
        await pilot.press("alt+right")
        await pilot.pause()
        assert app.state.selected == first_link


async def test_back_restores_the_filter(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("slash", "g", "l", "o", "b", "enter")  # Globex, filter kept
        await pilot.pause()
        assert app.state.selected == "globex" and app.main.entities.filter_text == "glob"
        await pilot.press("2", "enter")  # follow a link to a record the filter hides
        await pilot.pause()
        assert app.state.selected != "globex"
        await pilot.press("alt+left")
        await pilot.pause()
        assert app.state.selected == "globex"
        assert app.main.entities.filter_text == "glob"
        shown = app.main.entities.shown_ids
        assert "globex" in shown and "acme" not in shown  # the list is filtered again
        assert app.state.filter == "glob"


async def test_back_restores_timeline_marks_and_narrowing(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        acme_marks = app.state.marks
        assert acme_marks  # Acme has events
        await pilot.press("asterisk")  # only Acme's events
        await pilot.pause()
        assert app.main.timeline.shown_ids == list(acme_marks)
        await pilot.press("j")  # Globex: other marks
        await pilot.pause()
        assert app.state.selected == "globex" and app.state.marks != acme_marks
        await pilot.press("3", "asterisk")  # all events again, in the timeline
        await pilot.pause()
        assert not app.state.narrowed
        await pilot.press("alt+left")
        await pilot.pause()
        assert app.state.selected == "acme"
        assert app.state.narrowed and app.state.marks == acme_marks
        assert app.main.timeline.shown_ids == list(acme_marks)
        assert app.main.timeline.marked == frozenset(acme_marks)


async def test_back_to_an_event_keeps_the_context_it_was_seen_in(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("3", "j")  # an event, seen with Acme's marks
        await pilot.pause()
        event = app.state.selected
        assert app.state.context == "acme"
        await pilot.press("1", "j", "j")  # Initech
        await pilot.pause()
        await pilot.press("alt+left", "alt+left")
        await pilot.pause()
        assert app.state.selected == event
        assert app.state.context == "acme"
        assert app.main.timeline.marked == frozenset(app.state.marks)
        await pilot.press("3", "j")  # the next event, from the timeline
        await pilot.pause()
        await pilot.press("alt+left")
        await pilot.pause()
        assert app.state.selected == event
        assert isinstance(app.focused, TimelineList)


async def test_back_to_the_reader_restores_its_scroll_and_cursor(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(60, 16)) as pilot:
        await wait_ready(pilot)
        assert app.open_source("harbor-report")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        await pilot.press("j", "j", "j", "tab", "tab")
        await pilot.pause()
        where = reader.position()
        assert where[1] is not None  # a mention under the cursor
        await pilot.press("enter")  # follow it to the main screen
        await pilot.pause()
        assert app.screen is app.main
        await pilot.press("alt+left")
        await pilot.pause()
        back = app.screen
        assert isinstance(back, ReaderScreen) and back is not reader
        assert back.position() == where
        await pilot.press("escape")  # and escape lands on the record under it
        await pilot.pause()
        assert app.screen is app.main


async def test_escape_after_search_and_reader_keeps_filter_and_marks(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("slash", "g", "l", "o", "b", "enter", "asterisk")
        await pilot.pause()
        marks = app.state.marks
        await pilot.press("s")
        await pilot.pause()
        await pilot.press(*"harbor")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        listing = app.screen.query_one("#search-results")
        passage = next(i for i, (kind, _) in enumerate(app.screen.hits) if kind == "passage")
        await pilot.press("down")
        listing.set_highlight_quietly(listing.index_of(str(passage)))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.screen is app.main
        assert app.main.entities.filter_text == "glob"
        assert app.state.narrowed and app.state.marks == marks
        assert isinstance(app.focused, EntityList)


async def test_clearing_a_filter_that_matched_nothing_comes_back_to_the_record(
    make_app, wait_ready
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("j", "j", "j")
        await pilot.pause()
        chosen = app.state.selected
        assert chosen is not None and chosen != app.main.entities.shown_ids[0]
        await pilot.press("slash", *"zzzq")  # "z" matches a record on the way, "zz" none
        await pilot.pause()
        assert app.state.selected is None  # nothing matches: nothing is shown
        await pilot.press("escape")
        await pilot.pause()
        assert app.main.entities.filter_text == ""
        assert app.state.selected == chosen
        assert app.main.entities.highlighted_id == chosen
        assert app.main.detail.record_id == chosen
