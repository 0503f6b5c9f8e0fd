"""Folding: the one way text is compared, so that case and accents never matter.

casefold, NFKD, combining marks stripped, and every non-ASCII character that is
not a letter or digit made a space; `fold_with_map` also keeps where each folded
character came from, so highlights point into the text as written. The index,
the query parser and the highlighter all fold through here.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from functools import lru_cache

_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")
# A token is a run of letters and digits of the folded text. Folding turns every
# non-ASCII character that is not a letter or digit into a space, so this regex and
# SQLite's "ascii" tokenizer (ASCII letters and digits, plus any non-ASCII character)
# cut a folded text into exactly the same tokens.
TOKEN = re.compile(r"[^\W_]+")


def _is_ideograph(char: str) -> bool:
    """Scripts written without spaces: each character is indexed as a word of its own."""
    code = ord(char)
    return (
        0x3040 <= code <= 0x30FF  # hiragana, katakana
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x20000 <= code <= 0x3FFFF
    )


@lru_cache(maxsize=1 << 16)
def _fold_char(char: str) -> str:
    """One character folded: may become several ("ß" -> "ss"), none (a mark) or a space."""
    text = char
    for _ in range(3):  # casefold and NFKD can each expose work for the other
        folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
        if folded == text:
            break
        text = folded
    out: list[str] = []
    for c in text:
        if c.isascii():
            out.append(c)
        elif unicodedata.category(c).startswith("M"):
            continue  # accents and other combining marks
        elif c.isalnum():
            out.append(f" {c} " if _is_ideograph(c) else c)
        else:
            out.append(" ")
    return "".join(out)


@lru_cache(maxsize=65536)
def _fold_run(run: str) -> str:
    return "".join(map(_fold_char, run))


def fold(text: str) -> str:
    """Text as the index sees it: lower case, no accents, non-word characters as spaces.

    ASCII text (most of an English article) only needs lower(); other runs go
    character by character through a cache, so folding 10 MB stays fast.
    """
    if text.isascii():
        return text.lower()
    parts: list[str] = []
    pos = 0
    for match in _NON_ASCII_RUN.finditer(text):
        parts.append(text[pos : match.start()].lower())
        parts.append(_fold_run(match.group()))
        pos = match.end()
    parts.append(text[pos:].lower())
    return "".join(parts)


class FoldMap:
    """Maps a span of a folded text back to the span of the original it came from.

    Stored as segments: an ASCII run maps one to one; each other character is a
    segment of its own (its fold may be longer, "ß" -> "ss"). Characters that
    fold to nothing (combining marks) are added to the span they follow, so a
    highlight never cuts an accent off its letter.
    """

    __slots__ = ("_affine", "_folded_starts", "_original", "_original_starts")

    def __init__(
        self,
        original: str,
        folded_starts: list[int] | None = None,
        original_starts: list[int] | None = None,
        affine: list[bool] | None = None,
    ) -> None:
        self._original = original
        self._folded_starts = folded_starts
        self._original_starts = original_starts
        self._affine = affine

    def _at(self, index: int) -> tuple[int, int]:
        """(start, end) in the original of the character that produced folded `index`."""
        if self._folded_starts is None:
            return index, index + 1
        seg = bisect.bisect_right(self._folded_starts, index) - 1
        start = self._original_starts[seg]  # type: ignore[index]
        if self._affine[seg]:  # type: ignore[index]
            start += index - self._folded_starts[seg]
        return start, start + 1

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of folded[start:end] (end > start)."""
        first, _ = self._at(start)
        _, last = self._at(end - 1)
        text = self._original
        while last < len(text) and not text[last].isascii() and _fold_char(text[last]) == "":
            last += 1
        return first, last


def fold_with_map(text: str) -> tuple[str, FoldMap]:
    """fold(text) plus the map from its offsets back to `text`'s (for highlights)."""
    if text.isascii():
        return text.lower(), FoldMap(text)
    parts: list[str] = []
    folded_starts: list[int] = []
    original_starts: list[int] = []
    affine: list[bool] = []
    length = 0
    pos = 0

    def ascii_run(start: int, end: int) -> None:
        nonlocal length
        if end > start:
            folded_starts.append(length)
            original_starts.append(start)
            affine.append(True)
            parts.append(text[start:end].lower())
            length += end - start

    for match in _NON_ASCII_RUN.finditer(text):
        ascii_run(pos, match.start())
        for index in range(match.start(), match.end()):
            piece = _fold_char(text[index])
            if piece:
                folded_starts.append(length)
                original_starts.append(index)
                affine.append(False)
                parts.append(piece)
                length += len(piece)
        pos = match.end()
    ascii_run(pos, len(text))
    return "".join(parts), FoldMap(text, folded_starts, original_starts, affine)


def tokenize(text: str) -> list[str]:
    """The folded words of `text`, as both the index and the query parser see them."""
    return TOKEN.findall(fold(text))
