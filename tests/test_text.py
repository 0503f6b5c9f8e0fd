"""Folding for quote matching, and sentence splitting."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from partnership_tui.model.text import normalise, normalise_with_map, split_sentences

TEXTISH = st.text(
    alphabet=st.sampled_from(list("ab .\n\t\r\u00a0\u2019\u201c\u201d'\"x")), max_size=60
)


@given(TEXTISH)
def test_folded_offsets_point_at_the_same_character(text: str) -> None:
    folded, offsets = normalise_with_map(text)
    assert " ".join(folded.split()) == normalise(text)
    for index, char in enumerate(folded):
        original = text[offsets[index]]
        if char == " ":
            assert original.isspace()
        else:
            assert normalise(original) == char


@given(TEXTISH, st.integers(0, 59), st.integers(1, 20))
def test_any_folded_slice_maps_back_to_an_equal_original_slice(
    text: str, at: int, size: int
) -> None:
    folded, offsets = normalise_with_map(text)
    if at + size > len(folded) or folded[at] == " " or folded[at + size - 1] == " ":
        return
    start, end = offsets[at], offsets[at + size - 1] + 1
    assert normalise(text[start:end]) == normalise(folded[at : at + size])


def test_sentences_split_on_stops_and_line_breaks() -> None:
    text = (
        "Microsoft invested $1 billion. Altman said, \u201cno.\u201d Next\nHeading\n"
        "- item one\nU.S. rules apply."
    )
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "Microsoft invested $1 billion.",
        "Altman said, \u201cno.\u201d",
        "Next",
        "Heading",
        "- item one",
        "U.S. rules apply.",
    ]
