"""Dates in a text: absolute ones as written, relative ones resolved against the publication
date with the reasoning, never more precise than the two allow."""

from __future__ import annotations

import pytest

from partnership_tui.model.author.facts import figures, names
from partnership_tui.model.author.when import find_dates
from partnership_tui.model.build.dates import parse_date
from partnership_tui.model.build.text import split_sentences

THURSDAY = parse_date("2024-10-31")


def resolved(text: str, published: str | None = "2024-10-31") -> list[tuple[str, str | None]]:
    pub = parse_date(published) if published else None
    return [(d.text, d.resolved) for d in find_dates(text, pub)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on October 30, 2024, at noon", [("October 30, 2024", "2024-10-30")]),
        ("on 5 March 2023", [("5 March 2023", "2023-03-05")]),
        ("in March 2023", [("March 2023", "2023-03")]),
        ("in late 2022 and mid-2023", [("late 2022", "late 2022"), ("mid-2023", "mid 2023")]),
        ("founded in 2015", [("2015", "2015")]),
        ("dated 2023-11-17", [("2023-11-17", "2023-11-17")]),
        ("on February 30, 2024", [("February 30, 2024", None)]),  # no such day
        ("summer of 2021", [("summer of 2021", "mid 2021")]),
    ],
)
def test_absolute_dates_as_written(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert resolved(text) == expected
    assert resolved(text, None) == expected  # no publication date needed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("last April", "2024-04"),  # the last April before October
        ("last November", "2023-11"),  # November has not come yet in October 2024
        ("last October", "2023-10"),  # said in October: the one before
        ("this April", "2024-04"),
        ("next April", "2025-04"),
        ("in November", "2023-11"),  # no year: the latest up to publication
        ("on Monday", "2024-10-28"),  # published on a Thursday
        ("on Thursday", "2024-10-31"),  # the day itself
        ("last Thursday", "2024-10-24"),
        ("next Monday", "2024-11-04"),
        ("yesterday", "2024-10-30"),
        ("last year", "2023"),
        ("earlier this year", "2024"),
        ("next year", "2025"),
        ("last month", "2024-09"),
        ("two years ago", "2022"),
        ("3 months ago", "2024-07"),
        ("last summer", "mid 2024"),
        ("last week", "2024-10"),
    ],
)
def test_relative_dates_against_the_publication_date(text: str, expected: str) -> None:
    (found,) = find_dates(f"It happened {text}.", THURSDAY)
    assert found.resolved == expected
    assert found.relative
    assert "2024-10-31" in found.reasoning


def test_reasoning_names_the_other_reading_of_a_bare_weekday() -> None:
    (found,) = find_dates("said on Monday", THURSDAY)
    assert "a Thursday" in found.reasoning and "2024-11-04" in found.reasoning


def test_a_date_after_publication_is_projected() -> None:
    (found,) = find_dates("profits next year", THURSDAY)
    assert found.projected and "projected" in found.reasoning
    (found,) = find_dates("profits last year", THURSDAY)
    assert not found.projected


@pytest.mark.parametrize(
    ("published", "needs"),
    [
        (None, "--published"),
        ("2024", "publication month"),
        ("late 2024", "publication month"),
    ],
)
def test_relative_dates_are_not_guessed_without_enough_of_a_publication_date(
    published: str | None, needs: str
) -> None:
    pub = parse_date(published) if published else None
    (found,) = find_dates("It happened last April.", pub)
    assert found.resolved is None and needs in found.reasoning


def test_a_year_only_publication_still_resolves_last_year() -> None:
    (found,) = find_dates("as last year", parse_date("2024"))
    assert found.resolved == "2023"


@pytest.mark.parametrize(
    "text",
    ["May we ask?", "Shares fall sharply.", "They march on.", "a decision may follow"],
)
def test_words_that_only_look_like_dates(text: str) -> None:
    assert find_dates(text, THURSDAY) == []


def test_a_month_opening_a_sentence_is_still_a_date() -> None:
    assert resolved("May was busy. In May the firm grew.") == [
        ("May", "2024-05"),
        ("May", "2024-05"),
    ]


def test_figures_keep_their_scale_and_leave_years_to_dates() -> None:
    text = "It raised $6.6 billion, $18.17B in all, 49% of 10,000 shares, in 2024, €5bn."
    assert [f.text for f in figures(text)] == [
        "$6.6 billion",
        "$18.17B",
        "49%",
        "10,000",
        "€5bn",
    ]


def test_names_are_runs_of_capitalised_words_not_sentence_openers() -> None:
    text = (
        "Despite the rumours, Jensen Huang met Morris Chang. "
        "Jensen Huang said Bank of America agreed. When Nvidia called, GPT-4 answered.\n"
        "The Genesis of a Powerful Alliance\n"
        "- Talent Mobility: researchers move\n"
        "Microsoft CEO Satya Nadella spoke for Microsoft.\n"
    )
    found = [span.text for span in names(text, split_sentences(text))]
    assert found == [
        "Jensen Huang",
        "Morris Chang",
        "Jensen Huang",
        "Bank of America",
        "Nvidia",
        "GPT-4",
        "Microsoft",
        "Satya Nadella",
        "Microsoft",
    ]


def test_the_same_year_is_the_year_the_text_gave_before() -> None:
    text = (
        "In May 2000 the team moved. In October of the same year it moved again. "
        "The following year a foundation was formed."
    )
    found = {d.text: (d.resolved, d.reasoning) for d in find_dates(text, None)}
    assert found["October of the same year"] == (
        "2000-10",
        "'October of the same year': the year the text gives before it (2000)",
    )
    assert found["The following year"][0] == "2001"
    (alone,) = find_dates("It happened the same year.", None)
    assert alone.resolved is None and "no year is given before it" in alone.reasoning


@pytest.mark.parametrize("text", ["in the early 1990s", "the 2010s", "mid-1980s"])
def test_a_decade_is_found_and_left_out_of_the_date(text: str) -> None:
    (found,) = find_dates(f"It happened {text}.", THURSDAY)
    assert (
        found.resolved is None
        and "no decades" in found.reasoning
        and "date_note" in found.reasoning
    )
