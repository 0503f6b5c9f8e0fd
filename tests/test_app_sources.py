"""A source is a first-class record; a filter that matches nothing says so; the palette
offers this app's commands; copy puts a citation on the clipboard."""

from __future__ import annotations

from partnership_tui.tui.screens.reader import ReaderScreen


async def test_enter_on_a_source_in_entities_opens_the_reader(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("slash", *"ledger", "enter")
        await pilot.pause()
        assert app.state.selected == "ledger-notes"
        # Its Excerpts list every quote cited from it, each with the record citing it.
        excerpts = app.main.excerpts
        assert excerpts.items and all(i.source == "ledger-notes" for i in excerpts.items)
        assert all(i.cited_by for i in excerpts.items)
        assert "cited by" in excerpts.plain_text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.source.id == "ledger-notes"


async def test_a_filter_matching_nothing_empties_detail_and_excerpts(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("slash", *"zzzq")
        await pilot.pause()
        assert app.main.entities.shown_ids == []
        assert app.state.selected is None
        assert "No record matches" in app.main.detail.plain_text
        assert "No record matches" in app.main.excerpts.plain_text
        await pilot.press("escape")  # clears it: a record is shown again
        await pilot.pause()
        assert app.state.selected is not None
        assert app.main.detail.record_id == app.state.selected


async def test_copy_puts_the_citation_on_the_clipboard(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("4", "c")
        await pilot.pause()
        excerpt = app.main.excerpts.highlighted_excerpt
        assert excerpt is not None
        copied = app.clipboard
        assert copied.startswith("“") and "”" in copied
        assert app.dossier[excerpt.source].name.split(":")[0] in copied
        await pilot.press("1", "ctrl+c")  # elsewhere: the record's name and id
        await pilot.pause()
        assert app.clipboard.endswith(f"({app.state.selected})")
        assert app.is_running


async def test_palette_offers_app_commands_not_textuals(make_app, wait_ready) -> None:
    from textual.command import CommandPalette

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("ctrl+p", *"narrow")
        await pilot.pause(0.6)
        assert CommandPalette.is_open(app)
        await pilot.press("enter")
        await pilot.pause()
        assert not CommandPalette.is_open(app)
        assert app.state.narrowed
