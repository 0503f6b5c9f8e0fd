"""Search in the app: `/`, type, results as you type, enter to go, n / N between hits."""

from __future__ import annotations

import pytest

from partnership_tui.tui.screens.reader import ReaderScreen
from partnership_tui.tui.screens.search import ResultList, SearchInput, SearchScreen


async def type_query(pilot, text: str) -> SearchScreen:  # type: ignore[no-untyped-def]
    app = pilot.app
    await pilot.press("s")
    await pilot.pause()
    assert isinstance(app.screen, SearchScreen)
    search_input = app.screen.query_one(SearchInput)
    search_input.value = ""
    await pilot.press(*text)
    await settle(pilot)
    return app.screen


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    # A query answered may start the one typed meanwhile: wait until none runs.
    for _ in range(50):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.02)
        if not any(w.group == "search" and not w.is_finished for w in pilot.app.workers):
            break
    await pilot.pause()


def visible_rows(screen: SearchScreen) -> list[str]:
    return [str(row.content) for row in screen.query_one(ResultList).rows]


async def open_first_passage(pilot, screen: SearchScreen) -> ReaderScreen:  # type: ignore[no-untyped-def]
    listing = screen.query_one(ResultList)
    passage_heading = next(
        i for i, row in enumerate(visible_rows(screen)) if row.startswith("Passages")
    )
    await pilot.press("down")  # from the query into the results
    listing.set_highlight_quietly(passage_heading + 1)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReaderScreen)
    return pilot.app.screen


async def test_results_update_as_you_type(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await type_query(pilot, "acme")
        rows = visible_rows(screen)
        assert rows[0].startswith("Records (")
        assert any(row.startswith("Passages (") for row in rows)
        status = str(screen.query_one("#search-status").render())
        assert "hits" in status
        await pilot.press("space", "z", "z", "q", "x", "w")
        await settle(pilot)
        assert visible_rows(screen) == []
        assert str(screen.query_one("#search-status").render()).startswith("0 hits")


async def test_letters_typed_while_a_query_runs_ask_once_for_the_latest_text(
    make_app, wait_ready, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No debounce: the first letter is asked at once; the letters typed while it runs are
    coalesced into one query for the whole text, and the stale answer is never shown."""
    import threading

    from partnership_tui.model.search.index import SearchIndex

    asked: list[str] = []
    gate = threading.Event()
    real_search = SearchIndex.search

    def slow_search(self, query, **options):  # type: ignore[no-untyped-def]
        asked.append(query)
        if len(asked) == 1:
            gate.wait(5)  # the first query is still running while the others are typed
        return real_search(self, query, **options)

    monkeypatch.setattr(SearchIndex, "search", slow_search)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("s")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        screen.query_one(SearchInput).value = ""
        await pilot.pause(0.1)
        asked.clear()
        await pilot.press("a")
        await pilot.pause(0.1)
        await pilot.press("c", "m", "e")
        await pilot.pause(0.1)
        assert asked == ["a"]  # one query at a time: the rest wait for it
        gate.set()
        await settle(pilot)
        assert asked == ["a", "acme"]  # "ac" and "acm" were never asked
        results = screen.results
        assert results is not None and results.query.text == "acme" and results.total > 0
        assert any("Acme" in row for row in visible_rows(screen))


async def test_bad_query_answers_with_a_hint(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await type_query(pilot, "kind:nonsense")
        status = str(screen.query_one("#search-status").render())
        assert "—" in status and "kind" in status
        assert app.screen is screen  # still alive and usable


async def test_enter_on_a_record_selects_it_everywhere(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await type_query(pilot, "acme")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is app.main
        target = screen.hits[0]
        assert target[0] == "record"
        assert app.main.entities.highlighted_id == target[1]


async def test_passage_opens_reader_and_n_walks_every_hit(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await type_query(pilot, "acme")
        reader = await open_first_passage(pilot, screen)
        view = reader.view
        text = reader.source.text
        hits = [text[s:e] for s, e in view.highlights]
        assert len(hits) >= 2 and all(h.casefold() == "acme" for h in hits)
        start, end = view.quote
        assert text[start:end].casefold() == "acme"
        seen = []
        for _ in range(len(hits)):
            await pilot.press("n")
            seen.append(view.quote)
        assert sorted(seen) == sorted(view.highlights)  # n visits each hit once, then wraps
        await pilot.press("N")
        assert view.quote == seen[-2]
        await pilot.press("escape")
        assert app.screen is screen  # back in the search, where we were


async def test_last_query_is_remembered_and_up_recalls_older(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await type_query(pilot, "acme")
        await pilot.press("enter", "escape")
        screen = await type_query(pilot, "globex")
        await pilot.press("enter", "escape")
        await pilot.pause()
        assert app.screen is app.main
        await pilot.press("s")
        await settle(pilot)
        search_input = app.screen.query_one(SearchInput)
        assert search_input.value == "globex"
        await pilot.press("up")
        await settle(pilot)
        assert search_input.value == "acme"
        del screen


@pytest.mark.bundled
async def test_stargate_passage_opens_the_article_at_the_word(wait_ready) -> None:
    from partnership_tui.model import bundled_data_dir
    from partnership_tui.tui.app import PartnershipApp

    app = PartnershipApp(bundled_data_dir())
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await type_query(pilot, "Stargate")
        reader = await open_first_passage(pilot, screen)
        assert reader.source.id == "beyond-microsoft"
        text = app.dossier["beyond-microsoft"].text
        start, end = reader.view.quote
        assert text[start:end] == "Stargate"
        assert [text[s:e] for s, e in reader.view.highlights] == ["Stargate"]
        await pilot.press("n")  # the only hit: n wraps round to it
        assert reader.view.quote == (start, end)


async def test_opening_search_says_while_the_index_is_prepared(
    make_app, wait_ready, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from textual.widgets import Static

    from partnership_tui.model.search.index import SearchIndex
    from partnership_tui.tui.screens.search import PREPARING

    gate = threading.Event()
    real_build = SearchIndex.build

    def slow_build(cls, dossier, **options):  # type: ignore[no-untyped-def]
        gate.wait(5)  # a large dossier takes seconds
        return real_build(dossier, **options)

    monkeypatch.setattr(SearchIndex, "build", classmethod(slow_build))
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("s")
        await pilot.pause(0.2)
        status = app.screen.query_one("#search-status", Static)
        assert str(status.render()) == PREPARING
        gate.set()
        await settle(pilot)
        assert "type to search" in str(status.render())


async def test_q_in_results_closes_search_in_the_query_is_text(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await type_query(pilot, "acme")
        await pilot.press("q")  # in the query line: a letter
        await settle(pilot)
        assert screen.query_one(SearchInput).value == "acmeq"
        await pilot.press("backspace")
        await settle(pilot)
        await pilot.press("enter")  # to the results
        await settle(pilot)
        assert isinstance(app.focused, ResultList)
        await pilot.press("q")
        await settle(pilot)
        assert app.is_running
        assert app.screen is app.main  # search closed, the app did not quit


async def test_search_reopens_the_same_screen_as_a_new_one_would_look(make_app, wait_ready) -> None:
    """One search screen a session: reopened, it shows the last query selected (typing
    replaces it) and its results from the top, as a screen built afresh did."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        first = await type_query(pilot, "acme")
        listing = first.query_one(ResultList)
        assert listing.first_selectable() is not None
        await pilot.press("down", "down", "escape")  # into the results, one move, close
        await settle(pilot)
        assert app.screen is app.main
        await pilot.press("s")
        await settle(pilot)
        assert app.screen is first  # kept, not built again
        search_input = first.query_one(SearchInput)
        assert search_input.value == "acme"
        assert app.focused is search_input
        assert listing.highlighted == listing.first_selectable()
        await pilot.press("g")
        await settle(pilot)
        assert search_input.value == "g"  # the last query was selected: replaced


async def test_search_from_a_reader_opened_out_of_search_does_not_stack_it_twice(
    make_app, wait_ready
) -> None:
    """search -> a passage's reader -> `s`: the kept search screen is already in the
    stack under the reader; pushing it again put one screen in the stack twice (its
    result callbacks, suspend and resume shared). It goes back to the search instead."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await type_query(pilot, "acme")
        await open_first_passage(pilot, screen)
        await pilot.press("s")
        await settle(pilot)
        assert app.screen is screen
        stack = app.screen_stack
        assert len(stack) == len({id(s) for s in stack}), stack
        assert app.focused is screen.query_one(SearchInput)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.main
