"""Pilot tests of the keys: panes, vim moves, help, palette, quit."""

from __future__ import annotations

from keys import queue_keys
from textual.command import CommandPalette

from partnership_tui.tui import render
from partnership_tui.tui.panes import DetailList, EntityList, ExcerptsList, TimelineList
from partnership_tui.tui.screens.help import HelpScreen

ORDER = (EntityList, DetailList, TimelineList, ExcerptsList)


async def test_tab_and_shift_tab_cycle_panes(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        for expected in (*ORDER[1:], ORDER[0]):
            await pilot.press("tab")
            await pilot.pause()
            assert isinstance(app.focused, expected)
        for expected in reversed(ORDER):
            await pilot.press("shift+tab")
            await pilot.pause()
            assert isinstance(app.focused, expected)
        assert app.state.selected == "acme"  # moving between panes selects nothing


async def test_number_keys_jump_to_panes(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        for key, expected in zip(
            "3241", (TimelineList, DetailList, ExcerptsList, EntityList), strict=True
        ):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.focused, expected)
            assert app.main.active_pane == app.main.pane_of(app.focused)


async def test_g_and_shift_g_go_to_the_ends(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("G")
        await pilot.pause()
        assert app.state.selected == "ledger-notes"  # the last source
        await pilot.press("g")
        await pilot.pause()
        assert app.state.selected == "acme"
        await pilot.press("3", "G")
        await pilot.pause()
        assert app.state.selected == "roe-declines"
        await pilot.press("g")
        await pilot.pause()
        assert app.state.selected == "harbor-agreement"
        await pilot.press("pagedown")
        await pilot.pause()
        assert app.state.selected != "harbor-agreement"


async def test_escape_backs_out_to_entities(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("3")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, EntityList)


async def test_help_on_question_mark_and_f1(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for needle in ("tab / shift+tab", "alt+←", "ctrl+p", "/ then a name", "Source reader"):
            assert needle in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen is app.main
        assert isinstance(app.focused, EntityList)


async def test_footer_says_which_keys_act_and_keeps_quit_at_80_columns(
    make_app, wait_ready
) -> None:
    from partnership_tui.tui.widgets.footer import QuietFooter

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        footer = app.main.query_one(QuietFooter)

        def line() -> str:
            return footer.render().plain

        for words in ("Detail", "Pane", "/ Filter", "Back", "s Search", "? Help", "q Quit", "Jump"):
            assert words in line()
        await pilot.press("3")
        await pilot.pause()
        assert "* Only marked" in line() and "q Quit" in line()
        await pilot.press("slash")  # typing: letters are text, the footer says what acts
        await pilot.pause()
        assert "esc Clear filter" in line() and "Keep filter" in line()
        assert "q Quit" not in line() and "s Search" not in line() and "/ Filter" not in line()


async def test_palette_jumps_to_a_record_by_name_alias_or_id(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(app)
        await pilot.press(*"jane")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is app.main
        assert app.state.selected == "jane-roe"
        assert app.main.entities.highlighted_id == "jane-roe"
        # By id, to an event: the timeline follows.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"roe-declines")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.state.selected == "roe-declines"
        assert app.main.timeline.timeline_list.highlighted_key == "roe-declines"


async def test_palette_provider_matches_aliases(make_app, wait_ready) -> None:
    from partnership_tui.tui.palette import RecordProvider

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        provider = RecordProvider(app.screen)
        hits = [hit async for hit in provider.search("acme")]
        texts = [hit.text for hit in hits]
        assert "Acme Corp" in texts
        best = max(hits, key=lambda hit: hit.score)
        assert best.text == "Acme Corp"
        # Data never reaches the palette as markup: prompts are Content, help is ours.
        for hit in hits:
            assert not isinstance(hit.match_display, str)
        discovered = [hit async for hit in provider.discover()]
        assert {"Acme Corp", "Jane Roe", "Initech cloud deal"} <= {h.text for h in discovered}


async def test_q_quits(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_q_types_into_the_filter(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("slash", "a", "q")
        await pilot.pause()
        assert app.is_running
        assert app.main.entities.filter_text == "aq"


async def test_queued_escapes_never_pop_the_main_screen(make_app, wait_ready) -> None:
    """Keys arrive faster than screens close: a second escape must not pop what is below."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        for opener in ("question_mark", "s"):
            await pilot.press(opener)
            await pilot.pause()
            assert app.screen is not app.main
            queue_keys(app, ["escape"] * 3)
            await pilot.pause(0.2)
            assert app.screen is app.main
            assert app.is_running


async def test_queued_enters_in_the_palette_close_it_once(make_app, wait_ready) -> None:
    """Two enters faster than the palette closes: the second must not pop the main screen."""
    from partnership_tui.tui.palette import SafeCommandPalette

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, SafeCommandPalette)
        await pilot.press(*"jane")
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        queue_keys(app, ["enter"] * 4)
        await pilot.pause(0.5)
        assert app.is_running
        assert app.screen is app.main


async def test_palette_matches_strings_not_records(make_app, wait_ready) -> None:
    from partnership_tui.model.build.records import KINDS
    from partnership_tui.tui.palette import labels_of

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        dossier = app.dossier
        labels = labels_of(dossier)
        assert labels is labels_of(dossier)  # made once per dossier
        every_id = {record_id for kind in KINDS for record_id in dossier.ids(kind)}
        assert sorted(label.id for label in labels) == sorted(every_id)
        roe = next(label for label in labels if label.id == "jane-roe")
        assert roe.name == "Jane Roe" and "Roe" in roe.aliases


async def test_each_filter_letter_shows_exactly_the_records_that_match(
    make_app, wait_ready
) -> None:
    """A letter that extends the filter looks only among the last matches, and a shorter
    filter (backspace) looks at everything again: either way the list is every record that
    matches, in list order, as a scan of all of them finds."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await app.workers.wait_for_complete()  # the filter's haystacks
        entities = app.main.entities
        dossier = app.dossier
        every = [i for kind in render.LIST_KINDS for i in dossier.ids(kind)]
        await pilot.press("slash")
        for keys, typed in (("a", "a"), ("c", "ac"), ("backspace", "a"), ("n", "an")):
            await pilot.press(keys)
            await pilot.pause()
            assert entities.filter_text == typed
            expected = [i for i in every if render.matches_filter(dossier[i], typed)]
            assert expected and len(expected) < len(every)
            assert entities.shown_ids == expected


async def test_fast_typing_in_entities_filters_by_every_letter(make_app, wait_ready) -> None:
    """Letters typed faster than the panes follow must all reach the filter: the app's
    answer to the first letter's highlight must not undo the filter the others made."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        queue_keys(app, ["/", *"harb"])
        await pilot.pause(0.3)
        entities = app.main.entities
        assert entities.filter_input.value == "harb"
        shown = entities.shown_ids
        assert shown and all(render.matches_filter(app.dossier[i], "harb") for i in shown)
        assert len(shown) < len(app.dossier)  # filtered, not cleared
        assert entities.highlighted_id == shown[0] == app.state.selected
