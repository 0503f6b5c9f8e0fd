"""Folding for quote matching, and sentence splitting."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from partnership_tui.model.build.text import (
    _ABBREVIATIONS,
    _QUOTE_MAP,
    fold_quotes,
    normalise,
    normalise_with_map,
    split_sentences,
)

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


# --- the fast folding equals the plain definition ----------------------------

_REFERENCE_RUN = re.compile(r"\s+")
_REFERENCE_END = re.compile(r"""[.!?]['"’”)\]]*(?=\s)|\n""")
WIDE = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("ab .!?\n\t\r\u00a0\u2019\u201c\u201d\u2033\u2028\x0b\x1c'\")]xU.S")),
        st.characters(),
    ),
    max_size=80,
)


def reference_normalise_with_map(text: str) -> tuple[str, list[int]]:
    """What folding means, one character at a time: the code the fast version replaced."""
    translated = text.translate(_QUOTE_MAP)
    pieces: list[str] = []
    offsets: list[int] = []
    position = 0
    for run in _REFERENCE_RUN.finditer(translated):
        start, end = run.span()
        pieces.append(translated[position:start])
        offsets.extend(range(position, start))
        pieces.append(" ")
        offsets.append(start)
        position = end
    pieces.append(translated[position:])
    offsets.extend(range(position, len(translated)))
    return "".join(pieces), offsets


@given(WIDE)
def test_fast_folding_equals_the_reference(text: str) -> None:
    folded, offsets = normalise_with_map(text)
    expected, expected_offsets = reference_normalise_with_map(text)
    assert folded == expected
    assert [offsets[i] for i in range(len(folded))] == expected_offsets
    assert fold_quotes(text) == text.translate(_QUOTE_MAP)
    assert normalise(text) == " ".join(text.translate(_QUOTE_MAP).split())


def reference_split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    start = 0

    def append(start: int, end: int) -> None:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            spans.append((start, end))

    for match in _REFERENCE_END.finditer(text):
        end = match.end()
        if match.group() != "\n" and text[start:end].rstrip().endswith(_ABBREVIATIONS):
            continue
        append(start, end)
        start = end
    append(start, len(text))
    return tuple(spans)


@given(WIDE)
def test_sentences_equal_the_reference(text: str) -> None:
    assert split_sentences(text) == reference_split_sentences(text)
