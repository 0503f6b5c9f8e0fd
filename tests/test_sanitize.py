"""The display sanitiser: no control character survives; printable text is unchanged."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from partnership_tui.model.build.text import one_line, sanitize, sanitize_same_length

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
HOSTILE = [
    "\x1b]52;c;ZXZpbA==\x1b\\",  # OSC 52: writes the user's clipboard
    "\x1b[2J",  # clear screen
    "\x1bc",  # full reset
    "\x1b[6n",  # cursor position report: makes the terminal type
    "\x9b31m",  # C1 CSI
    "\x07",  # bell
    "\x00",
    "\x7f",
]


def unsafe(char: str) -> bool:
    return (unicodedata.category(char) == "Cc" and char != "\n") or char in BIDI


def test_hostile_sequences_are_neutralised() -> None:
    for sequence in HOSTILE:
        cleaned = sanitize(f"before {sequence} after")
        assert not any(unsafe(c) for c in cleaned), repr(cleaned)
        assert cleaned.startswith("before ") and cleaned.endswith(" after")


def test_bidi_overrides_removed_rtl_text_kept() -> None:
    text = "abc\u202edcba\u2066x\u2069 שלום مرحبا"
    cleaned = sanitize(text)
    assert not any(c in BIDI for c in cleaned)
    assert "שלום مرحبا" in cleaned


def test_newlines_tabs_and_carriage_returns() -> None:
    assert sanitize("a\r\nb\rc\td") == "a\nb\nc   d"
    assert one_line("a\nb\r\n  c") == "a b c"


@given(st.text())
def test_no_control_character_survives(text: str) -> None:
    for cleaned in (sanitize(text), one_line(text), sanitize_same_length(text)):
        assert not any(unsafe(c) for c in cleaned if c != "\n")
    assert "\n" not in one_line(text)


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))))
def test_printable_text_is_unchanged(text: str) -> None:
    text = "".join(c for c in text if c not in BIDI and c not in "\u061c\u200e\u200f")
    assert sanitize(text) == text
    assert sanitize_same_length(text) == text


@given(st.text())
def test_same_length_keeps_offsets(text: str) -> None:
    assert len(sanitize_same_length(text)) == len(text)


def test_markup_like_text_is_left_alone() -> None:
    """Sanitising is about the terminal; markup safety is the renderer's job (never parse data)."""
    for text in ("[bold]x[/]", "arr[0] = x[i][j]", "[@click=app.quit]Read more[/]", "see a[/"):
        assert sanitize(text) == text
    assert re.fullmatch(
        r"\[link=https://evil\.example\]x\[/link\]", sanitize("[link=https://evil.example]x[/link]")
    )
