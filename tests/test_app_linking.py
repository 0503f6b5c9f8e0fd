"""Pilot tests: a highlight in one pane updates the others, without moving focus."""

from __future__ import annotations

from textual import events

from partnership_tui.tui.panes import DetailList, EntityList, ExcerptsList, TimelineList


async def _focus_entity(pilot, record_id: str) -> None:
    """Walk the Entities list with j until `record_id` is highlighted (as a user would)."""
    app = pilot.app
    entities = app.main.entities
    for _ in range(40):
        if entities.highlighted_id == record_id:
            return
        await pilot.press("j")
    raise AssertionError(f"{record_id} never highlighted")


async def test_starts_on_first_entity_with_entities_focused(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert app.state.selected == "acme"
        assert isinstance(app.focused, EntityList)
        assert "Acme Corp" in app.main.detail.plain_text
        assert app.main.timeline.marked == {"harbor-agreement", "investment-closed"}


async def test_entity_highlight_updates_detail_timeline_excerpts(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _focus_entity(pilot, "jane-roe")
        await pilot.pause()
        main = app.main
        # Focus never moved.
        assert isinstance(app.focused, EntityList)
        assert app.state.selected == "jane-roe"
        # Detail: her roles, each org a followable link.
        detail = main.detail.plain_text
        assert "Jane Roe" in detail
        assert "Acme Corp — lead negotiator" in detail
        assert "Globex — chief executive, from Nov 2023" in detail
        assert {"acme", "globex", "roe-influence"} <= set(main.detail.links)
        # Timeline: her events marked, and the tension she is part of (placed by its start).
        assert main.timeline.marked == {"roe-joins-globex", "roe-declines", "roe-influence"}
        # Excerpts: her cited quotes with their source titles, then other sentences naming her.
        excerpts = main.excerpts.plain_text
        assert "“Jane Roe declined to comment.”" in excerpts
        assert "“Jane Roe led the talks for Acme”" in excerpts
        assert "— Notes from the ledger" in excerpts
        assert "— Acme and Globex: a [bold]harbor[/bold] deal" in excerpts
        assert "Also mentioned in" in excerpts
        assert "Globex staff worried about Jane Roe's influence." in excerpts
        kinds = [item.kind for item in main.excerpts.items]
        assert kinds == ["quote", "quote", "quote", "mention"]


async def test_timeline_dates_are_shown_as_written(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        rows = app.main.timeline.shown_rows
        assert [row.split("  ")[0].strip() for row in rows] == [
            "2019",
            "Mar 2021",
            "late 2022",
            "Nov 2023",  # a tension, placed by its start (it has no event of its own)
            "Nov 2023",
            "undated",
        ]


async def test_event_highlight_updates_detail_and_excerpts_keeps_marks(
    make_app, wait_ready
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _focus_entity(pilot, "jane-roe")
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.focused, TimelineList)
        await pilot.press("G")  # last event: undated "Roe declines to comment"
        await pilot.pause()
        assert app.state.selected == "roe-declines"
        assert isinstance(app.focused, TimelineList)
        detail = app.main.detail.plain_text
        assert "Roe declines to comment" in detail
        assert "Date: not given" in detail
        assert app.main.detail.links == ["jane-roe"]
        assert "“Jane Roe declined to comment.”" in app.main.excerpts.plain_text
        # The entity stays in context: its entries stay marked, its row stays highlighted.
        assert app.main.timeline.marked == {"roe-influence", "roe-joins-globex", "roe-declines"}
        assert app.main.entities.highlighted_id == "jane-roe"
        await pilot.press("k")
        await pilot.pause()
        assert app.state.selected == "roe-joins-globex"
        assert set(app.main.detail.links) == {"jane-roe", "globex"}


async def test_following_a_link_selects_the_record_everywhere(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _focus_entity(pilot, "initech-cloud-deal")
        await pilot.press("enter")  # on an entity: go to its detail
        await pilot.pause()
        assert isinstance(app.focused, DetailList)
        detail_list = app.main.detail.detail_list
        # First link is the first party: Initech.
        assert app.main.detail.target_at(detail_list.highlighted) == "initech"
        await pilot.press("j")
        assert app.main.detail.target_at(detail_list.highlighted) == "globex"
        await pilot.press("enter")
        await pilot.pause()
        assert app.state.selected == "globex"
        assert app.main.entities.highlighted_id == "globex"
        assert app.main.timeline.marked == {
            "harbor-agreement",
            "investment-closed",
            "cloud-deal-signed",
            "roe-influence",  # a tension on the timeline by its start, Globex one of its sides
            "roe-joins-globex",
        }
        assert "“Acme and Globex signed a harbor agreement in 2019.”" in (
            app.main.excerpts.plain_text
        )
        assert isinstance(app.focused, DetailList)  # still following links from Detail


async def test_following_a_link_to_an_event_moves_the_timeline(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.select_record("investment-closed")
        await pilot.pause()
        timeline_list = app.main.timeline.timeline_list
        assert timeline_list.highlighted_key == "investment-closed"
        assert "acme-globex-investment" in app.main.detail.links
        await pilot.press("2")
        while app.main.detail.target_at(app.main.detail.detail_list.highlighted) != (
            "acme-globex-investment"
        ):
            await pilot.press("j")
        await pilot.press("enter")
        await pilot.pause()
        assert app.state.selected == "acme-globex-investment"
        assert app.main.entities.highlighted_id == "acme-globex-investment"
        assert app.main.timeline.marked == {"investment-closed"}


async def test_narrowing_the_timeline_and_back(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _focus_entity(pilot, "jane-roe")
        assert len(app.main.timeline.shown_ids) == 6
        await pilot.press("asterisk")
        await pilot.pause()
        assert app.main.timeline.shown_ids == ["roe-influence", "roe-joins-globex", "roe-declines"]
        # Another entity while narrowed: the timeline narrows to its events.
        await pilot.press("k")  # Initech
        await pilot.pause()
        assert app.state.selected == "initech"
        assert app.main.timeline.shown_ids == ["cloud-deal-signed"]
        await pilot.press("asterisk")
        await pilot.pause()
        assert len(app.main.timeline.shown_ids) == 6
        assert app.main.timeline.marked == {"cloud-deal-signed"}


async def test_selecting_a_hidden_event_widens_a_narrowed_timeline(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("asterisk")
        assert app.main.timeline.shown_ids == ["harbor-agreement", "investment-closed"]
        assert app.select_record("roe-declines")
        await pilot.pause()
        assert app.main.timeline.timeline_list.highlighted_key == "roe-declines"
        assert len(app.main.timeline.shown_ids) == 6


async def test_excerpt_highlight_does_not_change_the_selection(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("4")
        await pilot.pause()
        assert isinstance(app.focused, ExcerptsList)
        before = app.main.excerpts.excerpts_list.highlighted
        await pilot.press("j")
        await pilot.pause()
        assert app.main.excerpts.excerpts_list.highlighted != before
        assert app.state.selected == "acme"


async def test_filter_by_typing(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("slash", "c", "l", "o", "u", "d")
        await pilot.pause()
        entities = app.main.entities
        assert entities.filter_text == "cloud"
        assert entities.filter_input.has_focus
        # The first match is highlighted and selected; arrows still move the list.
        assert app.state.selected == "initech-cloud-deal"
        assert entities.shown_ids == ["initech-cloud-deal"]
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        await pilot.press("i", "n", "i")
        await pilot.pause()
        assert entities.shown_ids == [
            "initech",
            "initech-cloud-deal",
        ]
        await pilot.press("down")
        await pilot.pause()
        assert app.state.selected == "initech-cloud-deal"
        await pilot.press("enter")  # back to the list
        await pilot.pause()
        assert isinstance(app.focused, EntityList)
        await pilot.press("escape")  # clears the filter, keeps the selection
        await pilot.pause()
        assert entities.filter_text == ""
        assert entities.highlighted_id == "initech-cloud-deal"
        assert app.state.selected == "initech-cloud-deal"


async def test_filter_matches_aliases_and_ids(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("slash", "r", "o", "e")
        await pilot.pause()
        ids = app.main.entities.shown_ids
        assert ids == ["jane-roe", "roe-influence"]
        app.main.entities.filter_input.value = "widget-ai"
        await pilot.pause()
        assert app.main.entities.shown_ids == ["widget-ai"]


async def test_link_to_a_filtered_out_record_clears_the_filter(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("slash", "w", "i", "d")
        await pilot.pause()
        assert app.state.selected == "widget-ai"
        await pilot.press("enter", "enter")  # list, then detail
        await pilot.pause()
        assert isinstance(app.focused, DetailList)
        assert app.main.detail.target_at(app.main.detail.detail_list.highlighted) == "acme"
        await pilot.press("enter")
        await pilot.pause()
        assert app.state.selected == "acme"
        assert app.main.entities.filter_text == ""
        assert app.main.entities.highlighted_id == "acme"


async def test_mouse_click_highlights_and_double_click_opens(make_app, wait_ready) -> None:
    from partnership_tui.tui.screens.reader import ReaderScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        entity_list = app.main.entities.entity_list
        # Row 0 is the "Companies" header, row 1 Acme, row 2 Globex.
        await pilot.click(entity_list, offset=(3, 2))
        await pilot.pause()
        assert app.state.selected == "globex"
        excerpts_list = app.main.excerpts.excerpts_list
        await pilot.click(excerpts_list, offset=(3, 1), times=2)
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.source.id == "harbor-report"


async def test_mouse_scroll_in_a_pane(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        entity_list = app.main.entities.entity_list
        assert entity_list.scroll_y == 0
        await pilot.hover(entity_list, offset=(3, 3))
        entity_list.post_message(
            events.MouseScrollDown(entity_list, 3, 3, 0, 0, 0, False, False, False)
        )
        await pilot.pause()
        assert entity_list.scroll_y > 0
        assert app.state.selected == "acme"  # scrolling does not move the selection


async def test_enter_on_an_entity_after_an_event_shows_the_entity(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("3", "j")  # select an event
        await pilot.pause()
        assert app.state.selected == "harbor-agreement"
        await pilot.press("1", "enter")  # Acme is still highlighted in Entities
        await pilot.pause()
        assert app.state.selected == "acme"
        assert isinstance(app.focused, DetailList)
        assert "Acme Corp" in app.main.detail.plain_text


async def test_a_tension_with_a_start_is_on_the_timeline_and_links_both_ways(
    make_app, wait_ready
) -> None:
    """Dated deals and tensions with a start have timeline rows of their own (no event needed):
    selecting one elsewhere moves the timeline to it; choosing its row selects it and keeps
    the marks of the record in context."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        timeline = app.main.timeline
        assert "roe-influence" in timeline.shown_ids
        row = timeline.shown_rows[timeline.shown_ids.index("roe-influence")]
        assert row.startswith("Nov 2023") and "tension: Worries about Roe's influence" in row
        # From Entities: the tension is selected, marked, and highlighted on the timeline.
        await _focus_entity(pilot, "roe-influence")
        await pilot.pause()
        assert timeline.timeline_list.highlighted_key == "roe-influence"
        assert timeline.marked == {"roe-influence"}
        await pilot.press("asterisk")
        await pilot.pause()
        assert timeline.shown_ids == ["roe-influence"]
        await pilot.press("asterisk")
        await pilot.pause()
        # From the timeline, narrowed to Jane Roe: her tension's row selects it, and the
        # narrowed list stays hers under the cursor.
        await pilot.press("g")  # Entities from the top
        await _focus_entity(pilot, "jane-roe")
        await pilot.press("asterisk", "3", "G", "k", "k")
        await pilot.pause()
        assert timeline.shown_ids == ["roe-influence", "roe-joins-globex", "roe-declines"]
        assert app.state.selected == "roe-influence"
        assert "Worries about Roe's influence" in app.main.detail.plain_text
        assert app.state.context == "jane-roe"
        assert timeline.shown_ids == ["roe-influence", "roe-joins-globex", "roe-declines"]
        await pilot.press("j")
        await pilot.pause()
        assert app.state.selected == "roe-joins-globex"
        # Back returns to the tension, on the timeline, still narrowed.
        await pilot.press("alt+left")
        await pilot.pause()
        assert app.state.selected == "roe-influence"
        assert timeline.timeline_list.highlighted_key == "roe-influence"
        assert app.state.narrowed


async def test_narrowing_on_a_record_with_nothing_on_the_timeline_says_so(
    make_app, wait_ready
) -> None:
    app = make_app()
    said: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        notify = app.notify
        app.notify = lambda message, **kwargs: (
            said.append(str(message)),
            notify(message, **kwargs),
        )  # type: ignore[method-assign]
        await _focus_entity(pilot, "widget-ai")
        await pilot.pause()
        assert app.state.marks == ()
        await pilot.press("asterisk")
        await pilot.pause()
        assert not app.state.narrowed
        assert len(app.main.timeline.shown_ids) == 6  # not narrowed to nothing
        assert said == ["Widget AI has nothing on the timeline to narrow to."]


async def test_a_large_timeline_is_placed_after_the_first_frame(
    make_app, wait_ready, monkeypatch
) -> None:
    """Past PLACE_AT_ONCE entries, deals and tensions are placed in a worker: events show
    first, then the whole timeline, with the marks of the record in context redone."""
    from partnership_tui.tui import render

    monkeypatch.setattr(render, "PLACE_AT_ONCE", 0)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        # Placing starts PLACE_AFTER_FIRST_SCREEN seconds after the first screen.
        for _ in range(200):
            if "roe-influence" in app.main.timeline.shown_ids:
                break
            await pilot.pause(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "roe-influence" in app.main.timeline.shown_ids
        await pilot.press("g")
        await _focus_entity(pilot, "jane-roe")
        await pilot.pause()
        assert app.main.timeline.marked == {"roe-influence", "roe-joins-globex", "roe-declines"}


async def test_a_move_repaints_only_what_changed_yet_shows_a_full_repaint(
    make_app, wait_ready
) -> None:
    """Linked lists repaint only the lines new rows change; what stays on screen must be
    exactly what repainting everything shows, after slow keys, a burst and the filter."""
    from partnership_tui.tui.compat import screen_text

    def painted_then_repainted(app) -> tuple[str, str]:  # type: ignore[no-untyped-def]
        painted = screen_text(app.screen, styled=True)  # from what each widget drew last
        for widget in app.screen.walk_children(with_self=True):
            widget.refresh()  # forget every drawn line
        return painted, screen_text(app.screen, styled=True)

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        checked = 0
        for keys in (["j"] * 8 + ["k"] * 3, ["3", "j", "j", "1"], ["/", "a", "c", "enter"]):
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
                painted, repainted = painted_then_repainted(app)
                assert painted == repainted, f"stale lines after {key!r}"
                checked += 1
        await pilot.press("escape", *["j"] * 6, *["k"] * 2)  # a burst: deferred repaints
        await pilot.pause(0.2)
        painted, repainted = painted_then_repainted(app)
        assert painted == repainted
        assert checked == 19
        assert app.main.detail.plain_text  # the panes show something: the check saw rows
