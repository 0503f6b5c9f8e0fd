"""Pilot tests of the source reader: opened at the quote, mentions linked, escape returns."""

from __future__ import annotations

import time
from pathlib import Path

from partnership_tui.tui.panes import ExcerptsList
from partnership_tui.tui.screens.reader import ReaderScreen
from partnership_tui.tui.widgets.sourceview import SourceView


async def _open_first_excerpt(pilot) -> ReaderScreen:
    app = pilot.app
    await pilot.press("4")
    await pilot.pause()
    assert isinstance(app.focused, ExcerptsList)
    await pilot.press("enter")
    await pilot.pause()
    await pilot.pause()
    assert isinstance(app.screen, ReaderScreen)
    return app.screen


def _drawn_with(view: SourceView, start: int, end: int, bgcolor: object) -> str:
    """The characters of text[start:end] drawn on that background."""
    return "".join(view.text[i] for i in range(start, end) if view.style_at(i).bgcolor == bgcolor)


async def test_reader_opens_at_the_quote_with_it_highlighted(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        excerpt = app.main.excerpts.highlighted_excerpt
        assert excerpt is not None and excerpt.kind == "quote"
        screen = await _open_first_excerpt(pilot)
        view = screen.view
        assert screen.source.id == excerpt.source
        assert view.quote == (excerpt.start, excerpt.end)
        assert (
            view.text[excerpt.start : excerpt.end]
            == "Acme invested $2 billion in Globex in March 2021."
        )
        # The quote's line is on screen.
        line = view.line_of(excerpt.start)
        assert view.scroll_y <= line < view.scroll_y + view.scrollable_content_region.height
        # The quote is drawn with the quote style; mentions carry their index for clicks.
        quote_bg = view.style_at(excerpt.start).bgcolor
        assert quote_bg is not None and quote_bg != view.style_at(excerpt.end + 1).bgcolor
        line_start, line_end = view.offset_at_line(line), view.offset_at_line(line + 1)
        quoted = _drawn_with(view, line_start, max(line_end, excerpt.end), quote_bg)
        assert quoted == "Acme invested $2 billion in Globex in March 2021."
        for name in ("Acme", "Globex"):
            at = view.text.index(name, excerpt.start)
            assert "mention" in (view.style_at(at).meta or {}), name
        # The whole source is there, not only the quote.
        assert "Widget AI, built by Acme" in view.text


async def test_escape_returns_exactly_where_you_were(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("j", "j", "j")  # Jane Roe
        await pilot.pause()
        await pilot.press("4")
        await pilot.pause()
        await pilot.press("j", "j")  # the third excerpt
        excerpts_list = app.main.excerpts.excerpts_list
        highlighted = excerpts_list.highlighted
        scroll = excerpts_list.scroll_y
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("j", "j", "tab")  # move around in the reader
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main
        assert isinstance(app.focused, ExcerptsList)
        assert excerpts_list.highlighted == highlighted
        assert excerpts_list.scroll_y == scroll
        assert app.state.selected == "jane-roe"


async def test_mentions_can_be_walked_and_followed(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await _open_first_excerpt(pilot)
        view = screen.view
        # The first tab picks the first name inside the quote you opened.
        await pilot.press("tab")
        assert view.cursor_record == "acme"
        assert view.mentions[view.cursor][0] == view.quote[0]
        await pilot.press("tab")
        assert view.cursor_record == "globex"
        while view.cursor != 0:
            await pilot.press("shift+tab")
        await pilot.press("shift+tab")  # wraps round to the last mention
        assert view.cursor == len(view.mentions) - 1
        status = str(screen.query_one("#reader-status").render())
        assert "Mention" in status
        await pilot.press("tab", "tab", "enter")  # wraps to the first (Acme), then Globex
        await pilot.pause()
        assert app.screen is app.main
        assert app.state.selected == "globex"
        assert app.main.entities.highlighted_id == "globex"


async def test_clicking_a_mention_follows_it(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await _open_first_excerpt(pilot)
        view = screen.view
        view.scroll_to(y=0, animate=False, immediate=True)
        await pilot.pause()
        # "Acme and Globex signed ..." : column 0 of the first line is "Acme".
        assert view.lines[0][0] == 0
        await pilot.click(view, offset=(view.styles.padding.left + 1, 0))
        await pilot.pause()
        assert app.screen is app.main
        assert app.state.selected == "acme"


async def test_reader_scrolls_with_keys(make_app, wait_ready, tmp_path: Path) -> None:
    app = make_app(_long_dossier(tmp_path, paragraphs=200))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        assert app.open_source("long", 0, 10)
        await pilot.pause()
        await pilot.pause()
        view = app.screen.view
        assert view.scroll_y == 0
        await pilot.press("j", "j")
        assert view.scroll_y == 2
        await pilot.press("pagedown")
        assert view.scroll_y > 10
        await pilot.press("G")
        assert view.scroll_y == view.max_scroll_y > 0
        await pilot.press("g")
        assert view.scroll_y == 0


async def test_a_huge_one_line_source_opens_fast(make_app, wait_ready, tmp_path: Path) -> None:
    """1 MB with no line break: wrapping is linear and only visible lines are rendered."""
    data = _long_dossier(tmp_path, one_line_bytes=1_000_000)
    app = make_app(data)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        started = time.perf_counter()
        assert app.open_source("long", 999_000, 999_010)
        await pilot.pause()
        await pilot.pause()
        view = app.screen.view
        assert len(view.lines) > 5000
        assert view.scroll_y > 5000  # opened at the quote near the end
        for _ in range(5):
            await pilot.press("pagedown")
        await pilot.press("g", "G")
        elapsed = time.perf_counter() - started
        assert elapsed < 5, elapsed
        await pilot.resize_terminal(90, 30)
        await pilot.pause()
        assert view.lines and view.scroll_y > 0


async def test_open_source_api_with_extra_highlights(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert not app.open_source("no-such-source")
        assert app.open_source("ledger-notes", 49, 88, highlights=[(0, 3), (96, 104)])
        await pilot.pause()
        await pilot.pause()
        view = app.screen.view
        assert view.quote == (49, 88)
        assert view.highlights == [(0, 3), (96, 104)]
        mark_bg = view.style_at(0).bgcolor
        assert mark_bg is not None
        assert _drawn_with(view, 0, 10, mark_bg) == view.text[0:3]  # the extra span (0, 3)
        assert view.style_at(96).bgcolor == mark_bg  # and (96, 104)
        assert view.style_at(49).bgcolor not in (None, mark_bg)  # the quote, drawn apart
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main


def _long_dossier(root: Path, paragraphs: int = 0, one_line_bytes: int = 0) -> Path:
    """A one-source dossier with a long text, for reader speed and scrolling tests."""
    (root / "sources").mkdir(parents=True)
    if one_line_bytes:
        word = "lorem ipsum dolor sit amet "
        text = (word * (one_line_bytes // len(word) + 1))[:one_line_bytes]
    else:
        text = "\n\n".join(
            f"Paragraph {n}: Acme did a thing. " + "More words follow here. " * 12
            for n in range(paragraphs)
        )
    text = "Acme starts here. " + text
    (root / "sources" / "long.txt").write_text(text, encoding="utf-8")
    (root / "sources.yaml").write_text("- id: long\n  title: A long text\n", encoding="utf-8")
    (root / "companies.yaml").write_text(
        "- id: acme\n  name: Acme\n  citations: [{source: long, exact: Acme starts here.}]\n",
        encoding="utf-8",
    )
    return root


async def test_n_and_shift_n_walk_the_highlighted_matches(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        text = app.dossier["harbor-report"].text
        spans = [(i, i + 6) for i in range(len(text)) if text.startswith("Globex", i)]
        assert len(spans) >= 3
        assert app.open_source("harbor-report", *spans[0], highlights=spans)
        await pilot.pause()
        await pilot.pause()
        view = app.screen.view
        await pilot.press("n")
        assert view.match == 1 and view.quote == spans[1]
        await pilot.press("n")
        assert view.match == 2
        await pilot.press("N", "N", "N")
        assert view.match == len(spans) - 1  # wrapped backwards
        assert "Match" in str(app.screen.query_one("#reader-status").render())
        await pilot.press("escape")
        await pilot.pause()
        # Without highlights, n is not offered at all.
        assert app.open_source("harbor-report", 0, 10)
        await pilot.pause()
        shown = {b.description for _, b, _, _ in app.screen.active_bindings.values() if b.show}
        assert "Next match" not in shown


async def test_s_opens_search(make_app, wait_ready) -> None:
    from partnership_tui.tui.screens.search import SearchScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("s")
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.main


async def test_the_current_match_looks_different_from_the_others(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert app.open_source("harbor-report")
        await pilot.pause()
        await pilot.press("slash", *"acme", "enter")
        await pilot.pause()
        view = app.screen.view
        assert len(view.highlights) >= 2 and view.match is not None
        current = view.highlights[view.match]
        others = [span for span in view.highlights if span != current]
        assert "Match 1 of" in app.screen.query_one("#reader-status").render().plain
        current_bg = view.style_at(current[0]).bgcolor
        assert current_bg is not None
        assert all(view.style_at(start).bgcolor not in (None, current_bg) for start, _ in others)
        await pilot.press("n")  # the next one becomes current, the first one like the rest
        await pilot.pause()
        assert view.style_at(others[0][0]).bgcolor == current_bg
        assert view.style_at(current[0]).bgcolor != current_bg
