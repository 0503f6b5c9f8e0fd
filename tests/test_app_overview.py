"""The overview: the dossier at a glance, every line a link into the panes."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from dossier_factory import CITE, FILES, write_dossier
from keys import queue_keys
from textual import events

from partnership_tui.model.dossier.load import load_dossier
from partnership_tui.tui.screens.help import HelpScreen
from partnership_tui.tui.screens.overview import (
    OverviewList,
    OverviewScreen,
    key_figures,
    overview_rows,
)
from partnership_tui.tui.screens.reader import ReaderScreen
from partnership_tui.tui.screens.search import SearchInput, SearchScreen


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
        for heading in ("At the centre", "Key figures", "Tensions by status", "Sources"):
            assert any(line.startswith(heading) for line in text), heading
        await pilot.press("escape")
        await follow_every_link(app, pilot)


async def wait_loaded(pilot) -> None:  # type: ignore[no-untyped-def]
    """Wait for the dossier and the first screen, staying wherever the app opens."""
    app = pilot.app
    await app.workers.wait_for_complete()
    for _ in range(500):
        if app.ready and app.focused is not None:
            break
        await pilot.pause(0.02)
    await pilot.pause()


async def test_a_first_launch_opens_on_the_overview(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert isinstance(app.screen, OverviewScreen)
        assert app.screen.links, "the overview lists its links"
        # The panes underneath are ready: escape shows them with the first record selected.
        await pilot.press("escape")
        assert app.screen is app.main
        assert app.state.selected == app.main.entities.highlighted_id is not None


@pytest.mark.parametrize(("width", "cut"), [(60, True), (200, False)])
async def test_a_long_description_is_cut_with_an_ellipsis(
    width: int, cut: bool, make_app, tmp_path: Path
) -> None:
    words = " ".join(f"word{n}" for n in range(60))
    root = write_dossier(tmp_path / "d", {"dossier.yaml": f"title: T\ndescription: {words} end\n"})
    app = make_app(root)
    async with app.run_test(size=(width, 30)) as pilot:
        await wait_loaded(pilot)
        block = app.screen.query_one("#overview-description")
        shown = block.render().plain.split("\n")
        assert len(shown) == (4 if cut else len(shown)) and block.size.height == len(shown)
        assert shown[-1].endswith("…") is cut
        assert all(len(line) <= block.size.width for line in shown)
        assert (" ".join(shown) == f"{words} end") is not cut


async def test_a_remembered_place_opens_on_the_panes(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("down", "down")
        await pilot.pause()
        record = app.state.selected
        await pilot.press("q")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert app.screen is app.main
        assert app.state.selected == record


async def test_a_filter_burst_typed_on_the_overview_fills_the_filter(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_loaded(pilot)
        assert isinstance(app.screen, OverviewScreen)
        queue_keys(app, list("/acme"))  # all at once, as a typist's burst arrives
        await pilot.pause(0.2)
        assert app.screen is app.main
        assert app.main.entities.filter_text == "acme"
        assert app.focused is app.main.entities.filter_input


async def test_a_paste_on_the_overview_starts_the_filter(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        app.screen.post_message(events.Paste("globex\nsecond line"))
        await pilot.pause(0.2)
        assert app.screen is app.main
        assert app.main.entities.filter_text == "globex"
        assert app.focused is app.main.entities.filter_input


@pytest.mark.parametrize(
    ("key", "pane"),
    [
        ("1", "entities"),
        ("2", "detail"),
        ("3", "timeline"),
        ("4", "excerpts"),
        ("tab", "entities"),
        ("shift+tab", "excerpts"),
        ("escape", "entities"),
    ],
)
async def test_pane_keys_leave_the_overview_for_their_pane(key: str, pane: str, make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is app.main
        assert app.main.pane_of(app.focused) == pane


async def test_search_and_help_open_over_the_overview_and_close_back_to_it(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        queue_keys(app, list("sacme"))
        await pilot.pause(0.3)
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one(SearchInput).value == "acme"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("q")  # q closes help first
        await pilot.pause()
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press("q")  # then quits
        await pilot.pause()
    assert app.return_code == 0


def base(name: str) -> str:
    return textwrap.dedent(FILES[name]).lstrip("\n")


STANCES = (
    "  parties: [{ref: microsoft, stance: a, citations: [{source: news, exact: Sam Altman leads"
    " OpenAI.}]}, {ref: openai, stance: b, citations: [{source: news, exact: Sam Altman leads"
    " OpenAI.}]}]\n"
)


def tension(record_id: str, status: str | None) -> str:
    line = f"  status: {status}\n" if status else ""
    return f"- id: {record_id}\n  name: {record_id.title()}\n" + line + STANCES + CITE


@pytest.fixture
def overview_dossier(tmp_path: Path):  # type: ignore[no-untyped-def]
    events = (
        base("events.yaml").replace(
            '  date: "2019"\n',
            '  date: "2019"\n  amount: {value: 1000000000, currency: USD, text: "$1 billion"}\n',
            1,
        )
        + "- id: loss\n  name: A loss\n"
        '  amount: {value: 5000000, currency: USD, text: "$5 million"}\n' + CITE
    )
    tensions = (
        tension("strain", "ongoing")
        + tension("silence", None)
        + tension("mystery", "unknown")
        + tension("peace", "resolved")
    )
    root = write_dossier(tmp_path, {"events.yaml": events, "tensions.yaml": tensions})
    return load_dossier(root)


def test_tensions_are_grouped_by_their_real_status(overview_dossier) -> None:  # type: ignore[no-untyped-def]
    lines = [(str(row.content).strip(), row.key) for row in overview_rows(overview_dossier)]
    texts = [text for text, _ in lines]
    assert "Tensions by status (1 open of 4)" in texts  # unknown is not counted as open
    at = texts.index("Tensions by status (1 open of 4)")
    section = lines[at + 1 : at + 8]
    assert [text for text, key in section if key is None] == [
        "ongoing · 1",
        "status unknown (no source gives it) · 2",
        "resolved · 1",
    ]
    assert [key for _, key in section if key is not None] == [
        "strain",
        "mystery",
        "silence",
        "peace",
    ]


def test_a_deal_and_the_event_that_reports_it_are_one_key_figure(overview_dossier) -> None:  # type: ignore[no-untyped-def]
    rows = overview_rows(overview_dossier)
    texts = [str(row.content).strip() for row in rows]
    start = texts.index("Key figures")
    figures = [row.key for row in rows[start + 1 :] if row.key is not None][:3]
    # the $1 billion deal once (its event reports the same amount), then the event's own figure
    assert figures[:2] == ["first-investment", "loss"]
    assert "investment-announced" not in key_figure_ids(overview_dossier)


def key_figure_ids(dossier) -> list[str]:  # type: ignore[no-untyped-def]
    return [record.id for record in key_figures(dossier)]


def test_long_lists_are_cut_with_a_count_of_the_rest(tmp_path: Path) -> None:
    many = "".join(tension(f"strain-{n:02d}", "ongoing") for n in range(30))
    root = write_dossier(tmp_path, {"tensions.yaml": many})
    texts = [str(row.content).strip() for row in overview_rows(load_dossier(root))]
    assert "… 18 more tensions (all in Entities)" in texts
    few = "".join(tension(f"strain-{n:02d}", "ongoing") for n in range(13))
    root = write_dossier(tmp_path / "few", {"tensions.yaml": few})
    rows = overview_rows(load_dossier(root))
    assert sum(1 for row in rows if (row.key or "").startswith("strain-")) == 13


async def test_copy_on_the_overview_takes_the_highlighted_line(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        screen = app.screen
        assert isinstance(screen, OverviewScreen)
        target = screen.highlighted_link
        assert target is not None
        await pilot.press("ctrl+c")  # copies (a line is highlighted) rather than quits
        await pilot.pause()
        assert app.is_running
        assert app.clipboard.endswith(f"({target})")


async def test_leaving_from_the_overview_opens_on_it_again(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert isinstance(app.screen, OverviewScreen)
        await pilot.press("q")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        assert isinstance(app.screen, OverviewScreen)
