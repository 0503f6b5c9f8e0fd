"""Text is data: nothing from YAML or a source is parsed as markup or reaches the terminal raw.

The fixture dossier carries markup-like strings ("[bold]harbor[/bold]",
"[@click=app.quit]unclear[/]", "[red]Not red[/red]") and control characters
(a raw ESC in a source, an escaped ESC and a bidi override in YAML).
"""

from __future__ import annotations

from pathlib import Path

from partnership_tui.tui.screens.reader import ReaderScreen

CONTROL = {chr(c) for c in (*range(0, 9), *range(11, 32), *range(0x7F, 0xA0))} | {
    "\u202e",
    "\u2066",
}


def screen_text(app) -> str:  # type: ignore[no-untyped-def]
    """What the terminal shows, as plain text, line by line."""
    from partnership_tui.tui.compat import screen_text as shown

    return shown(app.screen)


def assert_clean(text: str) -> None:
    bad = sorted({c for c in text if c in CONTROL and c != "\n"})
    assert not bad, [hex(ord(c)) for c in bad]


async def test_markup_in_data_is_shown_as_written(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(200, 50)) as pilot:
        await wait_ready(pilot)
        text = screen_text(app)
        assert "A maker of everything. [red]Not red[/red]" in text
        assert "Acme and Globex: a [bold]harbor[/bold] deal" in text
        assert "Acme and Globex [test fixture]" in text  # the dossier title in the top bar
        assert_clean(text)


async def test_control_characters_are_replaced(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("j")  # Globex: its summary has an ESC sequence and a bidi override
        await pilot.pause()
        text = screen_text(app)
        assert "A harbor operator.\ufffd[2J\ufffd" in text
        assert_clean(text)


async def test_reader_shows_markup_and_actions_literally(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert app.open_source("harbor-report", 200, 271)
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        text = screen_text(app)
        assert "[@click=app.quit]unclear[/]" in text
        assert "figures \ufffd[31mred\ufffd[0m." in text  # raw ESC in the source text
        assert "Source: Acme and Globex: a [bold]harbor[/bold] deal" in text
        assert_clean(text)
        # Clicking on the would-be action does nothing but click.
        view = app.screen.view
        line = view.line_of(view.text.index("[@click"))
        y = line - round(view.scroll_y)
        column = view.text.index("[@click") - view.lines[line][0]
        await pilot.click(view, offset=(view.styles.padding.left + column + 2, y))
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, ReaderScreen)


async def test_excerpt_with_markup_like_quote(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(200, 50)) as pilot:
        await wait_ready(pilot)
        app.select_record("initech-cloud-deal")
        await pilot.pause()
        text = screen_text(app)
        assert "“Critics said the terms were [@click=app.quit]unclear[/]”" in text
        await pilot.press("4", "j", "enter")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ReaderScreen)


async def test_source_note_with_action_markup(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("G")  # the last source: its note holds "[@click=app.quit]..."
        await pilot.pause()
        text = screen_text(app)
        assert "[@click=app.quit]Not an action[/]" in text
        await pilot.click(app.main.detail.detail_list, offset=(10, 4))
        await pilot.pause()
        assert app.is_running


async def test_palette_shows_names_literally(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"harbor")
        await pilot.pause(0.5)
        text = screen_text(app)
        assert "Acme and Globex: a [bold]harbor[/bold] deal" in text
        assert_clean(text)
        await pilot.press("escape")


def _broken_dossier(root: Path) -> Path:
    (root / "sources").mkdir()
    (root / "sources.yaml").write_text(
        '- id: "[red]bad"\n  title: "x\\e[2J [@click=app.quit]y[/]"\n', encoding="utf-8"
    )
    (root / "companies.yaml").write_text(
        "- id: acme\n  name: Acme\n  citations: [{source: nowhere, exact: '[b]quote'}]\n",
        encoding="utf-8",
    )
    return root


async def test_a_broken_dossier_lists_its_problems(make_app, wait_ready, tmp_path: Path) -> None:
    app = make_app(_broken_dossier(tmp_path))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert app.screen.id == "problems"
        text = screen_text(app)
        assert "bad id '[red]bad'" in text
        assert "has problems" in text
        assert_clean(text)
        assert "Traceback" not in text
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 1


async def test_a_missing_folder_is_a_problem_not_a_crash(make_app, wait_ready, tmp_path) -> None:
    app = make_app(tmp_path / "does-not-exist")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        assert app.screen.id == "problems"
        assert "no such folder" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 1


def test_run_app_returns_the_exit_code(monkeypatch, tmp_path: Path) -> None:
    from partnership_tui.tui import app as app_module

    def fake_run(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self._return_code = 1

    monkeypatch.setattr(app_module.PartnershipApp, "run", fake_run)
    assert app_module.run_app(tmp_path) == 1


async def test_the_problems_footer_offers_only_keys_that_work_there(
    make_app, wait_ready, tmp_path
) -> None:
    app = make_app(tmp_path / "does-not-exist")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        assert app.screen.id == "problems"
        footer = screen_text(app).splitlines()[-1].split()
        assert footer == ["q", "Quit"], footer
        for key in ("slash", "question_mark", "f1", "ctrl+p", "alt+left", "backspace"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen.id == "problems", key
        assert app.return_code is None
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 1
