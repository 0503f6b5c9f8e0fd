"""Unit tests of the display helpers: wrapping for the reader, rows and excerpts (no terminal)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rich.cells import cell_len

from partnership_tui.model.build.records import Amount
from partnership_tui.model.dossier.load import load_dossier
from partnership_tui.tui import render
from partnership_tui.tui.widgets.cells import wrap_offsets


@pytest.fixture(scope="module")
def dossier(fixture_dossier_path: Path):  # type: ignore[no-untyped-def]
    return load_dossier(fixture_dossier_path)


@pytest.fixture(scope="module")
def fixture_dossier_path() -> Path:
    return Path(__file__).parent / "fixtures" / "dossier"


def _lines(text: str, width: int) -> list[str]:
    return [text[start:end] for start, end in wrap_offsets(text, width)]


def test_wrap_breaks_at_spaces_and_keeps_offsets() -> None:
    text = "the quick brown fox jumps over the lazy dog"
    lines = _lines(text, 10)
    assert lines == ["the quick", "brown fox", "jumps over", "the lazy", "dog"]
    assert all(len(line) <= 10 for line in lines)


def test_wrap_hard_breaks_long_words_and_keeps_blank_lines() -> None:
    assert _lines("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert _lines("a\n\nb", 5) == ["a", "", "b"]
    assert _lines("", 5) == [""]
    assert _lines("x", 0) == ["x"]  # width is at least one


def test_wrap_counts_cells_not_characters() -> None:
    text = "日本語のテキストです" * 3
    for line in _lines(text, 7):
        assert 1 <= cell_len(line) <= 7
    # A character wider than the line still makes progress.
    assert _lines("日本", 1) == ["日", "本"]


def test_wrap_is_linear_on_a_megabyte() -> None:
    text = "lorem ipsum dolor sit amet " * 40_000  # ~1 MB, one line
    started = time.perf_counter()
    lines = wrap_offsets(text, 100)
    assert time.perf_counter() - started < 1.0
    assert len(lines) > 10_000
    assert "".join(text[s:e] + " " for s, e in lines).split() == text.split()


def test_amounts_are_shown_as_written_then_as_a_figure() -> None:
    assert render.format_amount(Amount(10_000_000_000, "USD", "$10 billion")) == (
        "$10 billion (USD 10,000,000,000)"
    )
    assert render.format_amount(Amount(1.5e9, "USD", "$1.5B", True)) == (
        "$1.5B (USD 1,500,000,000, approximate)"
    )


def test_entity_rows_and_filter(dossier) -> None:  # type: ignore[no-untyped-def]
    deal = dossier["initech-cloud-deal"]
    assert str(render.entity_row(deal)) == "Initech cloud deal  $10 billion · late 2022"
    assert render.matches_filter(dossier["jane-roe"], "roe")
    assert render.matches_filter(dossier["acme"], "acme")  # alias and id
    assert not render.matches_filter(dossier["acme"], "globex")


def test_detail_lines_link_every_relation(dossier) -> None:  # type: ignore[no-untyped-def]
    lines = render.detail_lines(dossier, dossier["roe-influence"])
    targets = [target for _, target in lines if target]
    assert targets == ["globex", "jane-roe", "initech-cloud-deal"]
    text = "\n".join(str(content) for content, _ in lines)
    assert "Globex — worried staff" in text
    assert "Category: governance" in text


def test_excerpts_quotes_then_other_mentions(dossier) -> None:  # type: ignore[no-untyped-def]
    quotes, mentions = render.excerpts_for(dossier, "globex")
    assert [q.kind for q in quotes] == ["quote"]
    assert all(m.kind == "mention" for m in mentions)
    quoted = {(q.source, q.start) for q in quotes}
    assert not any((m.source, m.start) in quoted for m in mentions)
    row = render.excerpt_row(dossier, mentions[0])
    marked = [span for span in row.spans if span.style == render.MATCH]
    assert marked and str(row)[marked[0].start : marked[0].end] == "Globex"


def test_a_quote_in_its_own_quotation_marks_shows_one_at_each_end() -> None:
    from partnership_tui.model.build.records import Source

    text = 'Once hailed as the "best bromance" in tech, it is strained.'
    source = Source(id="s", name="S", summary="", citations=(), text=text)
    start = text.index('"best')
    whole = render.Excerpt("s", start, start + len('"best bromance"'), "quote")
    assert str(render.excerpt_row({"s": source}, whole)).splitlines()[0] == '"best bromance"'
    inside = render.Excerpt("s", start, text.index(","), "quote")
    shown = str(render.excerpt_row({"s": source}, inside)).splitlines()[0]
    assert shown == '"best bromance" in tech\u201d'


def test_undated_event_shows_the_month_its_dated_source_reported_it(tmp_path) -> None:
    from dossier_factory import write_dossier

    from partnership_tui.model.dossier.load import load_dossier
    from partnership_tui.tui.render import timeline_row

    dossier = load_dossier(write_dossier(tmp_path))
    event = dossier["altman-speaks"]
    assert event.date is None
    assert str(timeline_row(event, dossier.reported_by(event.id))).startswith("by Oct 2024 ")
    assert str(timeline_row(event)).startswith("undated ")
    dated = dossier["investment-announced"]
    assert str(timeline_row(dated, dossier.reported_by(dated.id))).startswith("2019 ")
