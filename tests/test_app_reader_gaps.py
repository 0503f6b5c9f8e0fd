"""Pilot tests of the reader's authoring keys: m marks the gaps, ) and ( walk them, y copies
the current sentence's citation as YAML that the loader accepts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from partnership_tui.model.dossier.load import load_dossier
from partnership_tui.tui.screens.reader import FindInput, ReaderScreen

FIXTURE = Path(__file__).parent / "fixtures" / "dossier"
# Two sentences no record cites, each carrying a figure and a year, appended to an article
# (after every quote, so the quotes keep their places).
UNCITED = (
    "Globex paid $40 million for new cranes in 2022. "
    "Initech hired 300 engineers for the harbor in 2020.\n"
)


@pytest.fixture
def dossier(tmp_path: Path) -> Path:
    folder = tmp_path / "dossier"
    shutil.copytree(FIXTURE, folder)
    with (folder / "sources" / "harbor-report.txt").open("a", encoding="utf-8") as text:
        text.write(UNCITED)
    return folder


async def _open_harbor_report(pilot) -> ReaderScreen:  # type: ignore[no-untyped-def]
    app = pilot.app
    assert app.open_source("harbor-report")
    await pilot.pause()
    await pilot.pause()
    assert isinstance(app.screen, ReaderScreen)
    return app.screen


def _status(screen: ReaderScreen) -> str:
    return str(screen.query_one("#reader-status").render())


async def test_m_marks_the_gaps_and_parentheses_walk_them(
    make_app, wait_ready, dossier: Path
) -> None:
    app = make_app(dossier)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await _open_harbor_report(pilot)
        view = screen.view
        assert view.gaps == []
        await pilot.press("m")
        texts = [view.text[s:e] for s, e in view.gaps]
        assert texts == [
            "Globex paid $40 million for new cranes in 2022.",
            "Initech hired 300 engineers for the harbor in 2020.",
        ]
        assert "2 gaps" in _status(screen)
        # Drawn in their own style, which no other sentence has.
        gap_style = view._gap_piece_styles()[0]
        line = view.line_of(view.gaps[0][0])
        styled = "".join(
            segment.text
            for segment in view._segments(line, view.rich_style)
            if segment.style.bgcolor == gap_style.bgcolor and segment.style.italic
        )
        assert "Globex paid $40 million" in styled
        assert "Acme" not in styled

        await pilot.press("right_parenthesis")
        assert view.gap == 0
        assert "Gap 1 of 2" in _status(screen)
        assert "figure: $40 million" in _status(screen)
        await pilot.press("right_parenthesis")
        assert view.gap == 1 and "Gap 2 of 2" in _status(screen)
        await pilot.press("right_parenthesis")  # wraps round
        assert view.gap == 0
        await pilot.press("left_parenthesis")
        assert view.gap == 1
        # The current gap is drawn differently from the others.
        current = view._gap_piece_styles()[1]
        line = view.line_of(view.gaps[1][0])
        assert any(
            segment.style.bgcolor == current.bgcolor
            for segment in view._segments(line, view.rich_style)
        )

        await pilot.press("m")  # unmarked
        assert view.gaps == [] and screen.gap_list is None
        await pilot.press("right_parenthesis")  # ) marks them again and goes to one
        assert view.gap is not None and len(view.gaps) == 2


async def test_y_copies_the_sentence_citation_as_yaml_that_the_loader_accepts(
    make_app, wait_ready, dossier: Path
) -> None:
    app = make_app(dossier)
    toasts: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        notify = app.notify
        app.notify = lambda message, **kw: (toasts.append(str(message)), notify(message, **kw))  # type: ignore[method-assign]
        await _open_harbor_report(pilot)
        await pilot.press("right_parenthesis", "right_parenthesis", "y")
        await pilot.pause()
        copied = app.clipboard
    assert any("Copied the citation of “Initech hired 300 engineers" in t for t in toasts)
    assert any("as YAML (source, exact)" in t for t in toasts)
    entry = yaml.safe_load(copied)
    assert entry == [
        {"source": "harbor-report", "exact": "Initech hired 300 engineers for the harbor in 2020."}
    ]
    # Pasted under a record's citations, it loads: the loader finds the quote.
    companies = dossier / "companies.yaml"
    text = companies.read_text(encoding="utf-8")
    indented = "".join(f"    {line}\n" for line in copied.splitlines())
    anchor = '    - {source: ledger-notes, exact: "Initech did not respond."}\n'
    assert anchor in text
    companies.write_text(text.replace(anchor, anchor + indented), encoding="utf-8")
    loaded = load_dossier(dossier)
    quotes = [c.quote for c in loaded.citations_of("initech")]
    assert "Initech hired 300 engineers for the harbor in 2020." in quotes


async def test_y_on_a_repeated_sentence_gives_a_unique_citation(
    make_app, wait_ready, tmp_path: Path
) -> None:
    folder = tmp_path / "dossier"
    shutil.copytree(FIXTURE, folder)
    repeated = "Globex paid $40 million in 2022."
    source = folder / "sources" / "harbor-report.txt"
    with source.open("a", encoding="utf-8") as text:
        text.write(f"{repeated} Then the harbor rested. {repeated}\n")
    second = source.read_text(encoding="utf-8").rindex(repeated)
    app = make_app(folder)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await _open_harbor_report(pilot)
        await pilot.press("right_parenthesis", "right_parenthesis", "y")
        await pilot.pause()
        copied = app.clipboard
    entry = yaml.safe_load(copied)[0]
    assert entry["exact"] == repeated
    assert entry["prefix"] == "rested."  # the shortest context that picks the second one
    companies = folder / "companies.yaml"
    text = companies.read_text(encoding="utf-8")
    anchor = '    - {source: ledger-notes, exact: "Initech did not respond."}\n'
    indented = "".join(f"    {line}\n" for line in copied.splitlines())
    companies.write_text(text.replace(anchor, anchor + indented), encoding="utf-8")
    starts = [c.start for c in load_dossier(folder).citations_of("initech")]
    assert second in starts


async def test_the_authoring_keys_are_text_in_the_find_line(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        screen = await _open_harbor_report(pilot)
        await pilot.press("slash")
        await pilot.press(*"my()")
        assert screen.query_one(FindInput).value == "my()"
        assert screen.gap_list is None
        assert app.clipboard == ""


async def test_y_without_gaps_copies_the_opened_quotes_sentence(make_app, wait_ready) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("4", "enter")  # the first excerpt: Acme invested $2 billion...
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("m")
        await pilot.pause()
        assert app.screen.gap_list == []  # the fixture cites every fact
        assert "0 gaps" in _status(app.screen)
        await pilot.press("y")
        await pilot.pause()
    entry = yaml.safe_load(app.clipboard)[0]
    assert entry["exact"] == "Acme invested $2 billion in Globex in March 2021."


async def test_y_on_hostile_text_copies_escaped_yaml_and_a_clean_toast(
    make_app, wait_ready
) -> None:
    app = make_app()
    toasts: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        notify = app.notify
        app.notify = lambda message, **kw: (toasts.append(str(message)), notify(message, **kw))  # type: ignore[method-assign]
        screen = await _open_harbor_report(pilot)
        await pilot.press("slash", *"Critics", "enter", "y")
        await pilot.pause()
        copied = app.clipboard
        sentence = next(
            screen.source.text[s:e]
            for s, e in screen.source.sentences
            if "Critics" in screen.source.text[s:e]
        )
    assert "\x1b" in sentence  # the fixture's sentence holds raw escape sequences
    assert not any(ord(c) < 32 and c != "\n" for c in copied)  # escaped in the YAML
    assert yaml.safe_load(copied)[0]["exact"] == " ".join(sentence.split())
    copied_toasts = [t for t in toasts if t.startswith("Copied")]
    assert copied_toasts
    assert not any(ord(c) < 32 for t in copied_toasts for c in t)
