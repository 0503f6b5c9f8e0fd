"""The overview: the dossier at a glance, every line a link into the panes."""

from __future__ import annotations

import pytest

from partnership_tui.tui.screens.overview import OverviewList, OverviewScreen
from partnership_tui.tui.screens.reader import ReaderScreen


async def follow_every_link(app, pilot) -> list[str]:  # type: ignore[no-untyped-def]
    """Open the overview, follow each link in turn; assert each lands on its record."""
    await pilot.press("0")
    await pilot.pause()
    assert isinstance(app.screen, OverviewScreen)
    links = app.screen.links
    assert links, "the overview has links"
    for number, target in enumerate(links):
        if not isinstance(app.screen, OverviewScreen):
            await pilot.press("0")
            await pilot.pause()
        listing = app.screen.query_one(OverviewList)
        rows = [i for i, row in enumerate(listing.rows) if row.key is not None]
        listing.set_highlight_quietly(rows[number])
        await pilot.press("enter")
        await pilot.pause()
        if app.dossier.kind_of(target) == "source":
            assert isinstance(app.screen, ReaderScreen)
            assert app.screen.source.id == target
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, OverviewScreen)
        else:
            assert app.screen is app.main
            assert app.state.selected == target
    return links


async def test_every_overview_line_lands_on_its_record(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        links = await follow_every_link(app, pilot)
        assert set(links) >= {s.id for s in app.dossier.sources}


@pytest.mark.bundled
async def test_bundled_overview_has_every_section_and_links(wait_ready) -> None:
    from partnership_tui.model import bundled_data_dir
    from partnership_tui.tui.app import PartnershipApp

    app = PartnershipApp(bundled_data_dir())
    async with app.run_test(size=(200, 60)) as pilot:
        await wait_ready(pilot)
        await pilot.press("0")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        text = [str(row.content) for row in screen.query_one(OverviewList).rows]
        for heading in ("At the centre", "Key figures", "Open tensions", "Sources"):
            assert any(line.startswith(heading) for line in text), heading
        await pilot.press("escape")
        await follow_every_link(app, pilot)
