"""Partial dates: parsing, impossible days, display at the precision given, ordering."""

from __future__ import annotations

import pytest

from partnership_tui.model.build.dates import DateError, parse_date


@pytest.mark.parametrize(
    ("text", "display", "precision"),
    [
        ("2019", "2019", "year"),
        ("2023-11", "Nov 2023", "month"),
        ("2023-11-17", "17 Nov 2023", "day"),
        ("late 2022", "late 2022", "part-year"),
        ("mid-2023", "mid 2023", "part-year"),
        ("Early 2024", "early 2024", "part-year"),
        ("2024-02-29", "29 Feb 2024", "day"),
    ],
)
def test_parse_and_display(text: str, display: str, precision: str) -> None:
    date = parse_date(text)
    assert date.display() == display
    assert date.precision == precision
    assert date.text == text


@pytest.mark.parametrize(
    "text",
    ["2023-02-29", "2023-04-31", "2023-00", "2023-13-01", "2023-1-5", "19", "soon", "", "late"],
)
def test_rejects_malformed_and_impossible(text: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(text)
    assert caught.value.hint


def test_order_is_earliest_day_then_coarser_first() -> None:
    texts = [
        "2023-11-17",
        "late 2022",
        "2019",
        "2023",
        "2023-11",
        "mid-2023",
        "early 2023",
        "2023-01",
    ]
    ordered = sorted(texts, key=lambda t: parse_date(t).sort_key)
    assert ordered == [
        "2019",
        "late 2022",
        "2023",
        "early 2023",
        "2023-01",
        "mid-2023",
        "2023-11",
        "2023-11-17",
    ]


def test_latest_day() -> None:
    assert parse_date("2024-02").latest_key == (2024, 2, 29)
    assert parse_date("2023").latest_key == (2023, 12, 31)
    assert parse_date("mid-2023").latest_key == (2023, 8, 31)
