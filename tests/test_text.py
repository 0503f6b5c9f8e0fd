"""Folding for quote matching, and sentence splitting."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from partnership_tui.model import bundled_data_dir
from partnership_tui.model.build.text import (
    _QUOTE_MAP,
    NOT_SENTENCE_ENDS,
    fold_quotes,
    in_quotation_marks,
    normalise,
    normalise_with_map,
    split_sentences,
    unwrap_hard_wraps,
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


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


def test_sentences_split_on_stops_and_line_breaks() -> None:
    text = (
        "Microsoft invested $1 billion. Altman said, \u201cno.\u201d Next\nHeading\n"
        "- item one\nU.S. rules apply."
    )
    assert sentences(text) == [
        "Microsoft invested $1 billion.",
        "Altman said, \u201cno.\u201d",
        "Next",
        "Heading",
        "- item one",
        "U.S. rules apply.",
    ]


def bundled_text(name: str) -> str:
    return (bundled_data_dir() / "sources" / f"{name}.txt").read_text(encoding="utf-8")


def test_bundled_paragraph_splits_into_its_sentences() -> None:
    text = bundled_text("uncertain-future")
    start = text.index("The temporary ousting of Altman")
    paragraph = text[start : text.index("\n", start)]
    assert sentences(paragraph) == [
        "The temporary ousting of Altman threatened to derail Microsoft's AI momentum, "
        "as highlighted by IT analyst Jason Wong.",
        "This disruption in leadership at OpenAI posed a dilemma for potential customers, "
        "sparking doubts about the stability and future of the technology.",
    ]


def test_a_stop_glued_to_the_next_heading_ends_the_sentence() -> None:
    """The article's page extraction ran a sentence into the next heading."""
    text = bundled_text("altman-nadella-rift")
    found = sentences(text)
    heading = found.index("Emerging Tensions and Diverging Paths")
    assert found[heading - 1].endswith("positioning itself as a leader in the AI-driven market.")


def test_a_numbered_heading_is_one_sentence() -> None:
    text = bundled_text("alliance-challenges")
    found = sentences(text)
    assert "1. Strategic Priorities and Control" in found
    assert "1." not in found


def test_every_bundled_sentence_is_whole() -> None:
    """No sentence of the bundled articles starts in lower case or ends on an initial."""
    for path in sorted((bundled_data_dir() / "sources").glob("*.txt")):
        for sentence in sentences(path.read_text(encoding="utf-8")):
            assert not sentence[0].islower(), (path.name, sentence)
            assert not re.search(r"\b[A-Z]\.$", sentence), (path.name, sentence)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Microsoft Corp. announced the deal on Monday. OpenAI agreed.",
            ["Microsoft Corp. announced the deal on Monday.", "OpenAI agreed."],
        ),
        (
            "Amazon.com Inc. and Alphabet Inc. compete. Meta Platforms Inc. too.",
            ["Amazon.com Inc. and Alphabet Inc. compete.", "Meta Platforms Inc. too."],
        ),
        (
            "FTC Chair Lina M. Khan said the agency would look. The inquiry began.",
            ["FTC Chair Lina M. Khan said the agency would look.", "The inquiry began."],
        ),
        (
            "The U.S. Federal Trade Commission and the U.K. regulator opened inquiries.",
            ["The U.S. Federal Trade Commission and the U.K. regulator opened inquiries."],
        ),
        (
            "Mr. Altman returned. Ms. Murati left. Dr. Sutskever stayed.",
            ["Mr. Altman returned.", "Ms. Murati left.", "Dr. Sutskever stayed."],
        ),
        (
            "Products, e.g. Bing and Copilot, use GPT-4. The board (i.e. Toner) voted.",
            ["Products, e.g. Bing and Copilot, use GPT-4.", "The board (i.e. Toner) voted."],
        ),
        (
            "J. P. Morgan advised the board. It was paid.",
            ["J. P. Morgan advised the board.", "It was paid."],
        ),
        ("He joined on Jan. 5, 2024, from Google.", ["He joined on Jan. 5, 2024, from Google."]),
        (
            "It is the No. 1 partner. No. It is not.",
            ["It is the No. 1 partner.", "No.", "It is not."],
        ),
        (
            "The deal, worth approx. $13 billion, closed.",
            ["The deal, worth approx. $13 billion, closed."],
        ),
        ("GPT-3.5 powered ChatGPT. It grew 2.5x.", ["GPT-3.5 powered ChatGPT.", "It grew 2.5x."]),
        (
            "Did it work? Nobody knows! Fine\u2026 Next.",
            ["Did it work?", "Nobody knows!", "Fine\u2026", "Next."],
        ),
        ("\u201cWhy?\u201d he asked. Nobody said.", ["\u201cWhy?\u201d he asked.", "Nobody said."]),
        (
            "Altman said, \u201cWe are done.\u201d Nadella agreed (at first.) Then not.",
            ["Altman said, \u201cWe are done.\u201d", "Nadella agreed (at first.)", "Then not."],
        ),
        # A dotted abbreviation never ends a sentence: "U.S. Federal Trade Commission" is far
        # commoner in these articles than a sentence that ends in "U.S." or "p.m.".
        ("He spoke at 5 p.m. Altman replied.", ["He spoke at 5 p.m. Altman replied."]),
    ],
)
def test_abbreviations_and_initials_do_not_end_a_sentence(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Microsoft invested $10 billion.[9] The deal closed in 2023.[10][11] Talks went on.",
            [
                "Microsoft invested $10 billion.[9]",
                "The deal closed in 2023.[10][11]",
                "Talks went on.",
            ],
        ),
        (
            "The Washington Post reported it.[citation needed] Nobody denied it.",
            ["The Washington Post reported it.[citation needed]", "Nobody denied it."],
        ),
        (
            "Microsoft said so.\u201d[3] OpenAI did not.",
            ["Microsoft said so.\u201d[3]", "OpenAI did not."],
        ),
    ],
)
def test_a_reference_marker_stays_with_its_sentence(text: str, expected: list[str]) -> None:
    assert sentences(text) == expected


# Text made of the pieces the rules look at, so that every rule is exercised.
SENTENCE_PIECES = st.lists(
    st.sampled_from(
        [
            *"aZ .!?\u2026\n\t\u00a0\u2019\u201d)]['\"1x",
            "Mr.",
            "U.S.",
            "M. ",
            "No. 1",
            "[9]",
            "ab.Cd",
            "\n1. ",
            "Inc.",
            " e",
        ]
    ),
    max_size=30,
).map("".join)


@given(st.one_of(SENTENCE_PIECES, st.text(max_size=60)))
def test_sentence_spans_tile_the_text(text: str) -> None:
    """Spans are in order; what lies between and around them is white space, and only that."""
    position = 0
    for start, end in split_sentences(text):
        assert position <= start < end <= len(text)
        assert not text[position:start].strip()
        sentence = text[start:end]
        assert sentence == sentence.strip()
        assert "\n" not in unwrap_hard_wraps(text)[start:end]  # only a paragraph's wraps
        position = end
    assert not text[position:].strip()


@pytest.mark.parametrize(
    ("quote", "shown"),
    [
        ("Microsoft invested $13 billion.", "\u201cMicrosoft invested $13 billion.\u201d"),
        ('"best bromance" in tech', '"best bromance" in tech\u201d'),
        ("\u201cWe are done.\u201d", "\u201cWe are done.\u201d"),
        ("He said \u201cno.\u201d", "\u201cHe said \u201cno.\u201d"),
        ("the investors\u2019", "\u201cthe investors\u2019\u201d"),
    ],
)
def test_a_quote_shows_one_quotation_mark_at_each_end(quote: str, shown: str) -> None:
    assert in_quotation_marks(quote) == shown


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


STOPS = ".!?\u2026"
CLOSERS = "'\"\u2019\u201d)]"


def reference_split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """The splitting rules one character at a time: what the regular expression must equal."""
    ends: list[int] = []
    n = len(text)
    for i, char in enumerate(text):
        if char == "\n":
            ends.append(i + 1)
        elif char in STOPS and is_sentence_end(text, i):
            ends.append(stop_run_end(text, i))
    ends.append(n)
    spans: list[tuple[int, int]] = []
    start = 0
    for end in ends:
        a, b = start, end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))
        start = end
    return tuple(spans)


def ascii_lower(char: str) -> bool:
    return "a" <= char <= "z"


def ascii_upper(char: str) -> bool:
    return "A" <= char <= "Z"


def is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def is_sentence_end(text: str, i: int) -> bool:
    n = len(text)
    after = text[i + 1] if i + 1 < n else ""
    after2 = text[i + 2] if i + 2 < n else ""
    if (
        text[i] == "."
        and i >= 2
        and ascii_lower(text[i - 1])
        and ascii_lower(text[i - 2])
        and ascii_upper(after)
        and ascii_lower(after2)
    ):
        return True  # glued: "market.Emerging"
    if i > 0 and text[i - 1] in STOPS:
        return False  # not the first stop of a run
    if text[i] == ".":
        w = i
        while w > 0 and is_word(text[w - 1]):
            w -= 1
        word = text[w:i]
        if word in NOT_SENTENCE_ENDS:
            return False
        if len(word) == 1 and (ascii_lower(word) or ascii_upper(word)):
            return False
        if word == "No":
            k = i + 1
            while k < n and text[k].isspace() and text[k] != "\n":
                k += 1
            if k < n and text[k].isdigit() and text[k].isascii():
                return False
        if word.isdigit() and len(word) <= 2 and word.isascii() and (w == 0 or text[w - 1] == "\n"):
            return False  # the number of a numbered line
    k = stop_run_end(text, i)
    if k < n and not text[k].isspace():
        return False
    j = k
    while j < n and text[j].isspace() and text[j] != "\n":
        j += 1
    return not (j > k and j < n and ascii_lower(text[j]))


def stop_run_end(text: str, i: int) -> int:
    """Past the stops, closing marks and reference markers that follow the stop at i."""
    n = len(text)
    k = i + 1
    while k < n and text[k] in STOPS:
        k += 1
    while k < n and text[k] in CLOSERS:
        k += 1
    while k < n and text[k] == "[":
        close = k + 1
        while close < n and close - k - 1 < 40 and text[close] not in "[]\n" + STOPS:
            close += 1
        if close < n and text[close] == "]" and close > k + 1:
            k = close + 1
        else:
            break
    return k


@given(st.one_of(SENTENCE_PIECES, WIDE))
def test_sentences_equal_the_reference(text: str) -> None:
    # The reference knows nothing of hard wraps: it splits the text with its wraps made spaces.
    assert split_sentences(text) == reference_split_sentences(unwrap_hard_wraps(text))


WRAPPED = (
    "A. HISTORY OF THE SOFTWARE\n"
    "==========================\n"
    "\n"
    "Python was created in the early 1990s by Guido van Rossum at Stichting\n"
    "Mathematisch Centrum (CWI, see https://www.cwi.nl) in the Netherlands\n"
    "as a successor of a language called ABC.  Guido remains Python's\n"
    "principal author, although it includes many contributions from others.\n"
    "\n"
    "    Release         Derived     Year        Owner       GPL-\n"
    "    0.9.0 thru 1.2              1991-1995   CWI         yes\n"
    "\n"
    "Footnotes:\n"
    "- a list item that is long enough to look like a wrapped line of prose\n"
    "- another item\n"
)


def test_a_hard_wrapped_paragraph_is_split_into_whole_sentences() -> None:
    """A line break inside a paragraph wrapped at a fixed width is a space to a reader (seen
    on CPython's LICENSE); headings, tables and list items keep their own lines."""
    assert [" ".join(s.split()) for s in sentences(WRAPPED)] == [
        "A. HISTORY OF THE SOFTWARE",
        "==========================",
        "Python was created in the early 1990s by Guido van Rossum at Stichting Mathematisch"
        " Centrum (CWI, see https://www.cwi.nl) in the Netherlands as a successor of a"
        " language called ABC.",
        "Guido remains Python's principal author, although it includes many contributions"
        " from others.",
        "Release Derived Year Owner GPL-",
        "0.9.0 thru 1.2 1991-1995 CWI yes",
        "Footnotes:",
        "- a list item that is long enough to look like a wrapped line of prose",
        "- another item",
    ]
    assert len(unwrap_hard_wraps(WRAPPED)) == len(WRAPPED)


def test_lines_of_one_paragraph_each_are_not_joined() -> None:
    """Articles with one paragraph per line (the bundled ones) keep every line break."""
    text = ("A long paragraph of prose that goes on " * 4 + "without a stop\n") * 3
    assert unwrap_hard_wraps(text) == text
    for path in sorted((bundled_data_dir() / "sources").glob("*.txt")):
        article = path.read_text(encoding="utf-8")
        assert unwrap_hard_wraps(article) == article, path.name
