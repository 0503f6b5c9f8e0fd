"""Text helpers shared by the loader, search and every display: normalising, sentences, safety."""

from __future__ import annotations

import bisect
import re
from itertools import pairwise

# Quote-like characters a citation may write as their plain ASCII forms.
_QUOTE_MAP = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00a0": " ",
    }
)


_QUOTE_PAIRS = tuple((chr(code), char) for code, char in _QUOTE_MAP.items())
# Runs of white space that folding changes: two or more characters, or one that is not " ".
_WHITESPACE_TO_FOLD = re.compile(r"\s{2,}|[^\S ]")
_LONG_WHITESPACE_RUN = re.compile(r"\s{2,}")


class OffsetMap:
    """Maps offsets in folded text back to the original, storing only where they shift.

    Folding collapses whitespace runs, so folded and original offsets differ by
    a constant between runs: one (folded, shift) pair per run instead of one
    integer per character keeps this small for megabytes of text.
    """

    __slots__ = ("_folded_starts", "_length", "_shifts")

    def __init__(self, folded_starts: list[int], shifts: list[int], length: int) -> None:
        self._folded_starts = folded_starts
        self._shifts = shifts
        self._length = length

    def __getitem__(self, folded_index: int) -> int:
        at = bisect.bisect_right(self._folded_starts, folded_index) - 1
        return folded_index + (self._shifts[at] if at >= 0 else 0)


def fold_quotes(text: str) -> str:
    """`text.translate(_QUOTE_MAP)`, fast: one C scan per mapped character, none for ASCII.

    `str.translate` with a mapping looks every character up in a dict when the
    text is not ASCII, which costs seconds over megabytes of sources.
    """
    if text.isascii():
        return text
    for char, plain in _QUOTE_PAIRS:
        if char in text:
            text = text.replace(char, plain)
    return text


def normalise_with_map(text: str) -> tuple[str, OffsetMap]:
    """Fold quotes and whitespace runs; return the folded text and a map back to `text`.

    `offsets[i]` is where folded character i starts in `text`. Only runs longer
    than one character shift offsets, so only they are visited in Python; the
    folding itself is one C-level substitution.
    """
    translated = fold_quotes(text)
    folded_starts: list[int] = []
    shifts: list[int] = []
    removed = 0  # characters dropped by the runs so far
    for run in _LONG_WHITESPACE_RUN.finditer(translated):
        start, end = run.span()
        removed += end - start - 1
        # after this run, original = folded + removed
        folded_starts.append(end - removed)
        shifts.append(removed)
    return _WHITESPACE_TO_FOLD.sub(" ", translated), OffsetMap(folded_starts, shifts, len(text))


def normalise(text: str) -> str:
    return " ".join(fold_quotes(text).split())


def find_all(haystack: str, needle: str) -> list[int]:
    """Every start of `needle` in `haystack`, overlapping ones included."""
    found: list[int] = []
    start = haystack.find(needle)
    while start != -1:
        found.append(start)
        start = haystack.find(needle, start + 1)
    return found


# --- sentences -------------------------------------------------------------
#
# Why by hand: the well-kept splitters were measured with benchmarks/sentences.py on the
# bundled articles repeated to 1-10 MB, and on the cases in tests/test_text.py. Per MB:
# pysbd 14 s, syntok 2.4 s, blingfire 0.7 s (and numpy); nltk's punkt needs a trained model
# that PyPI does not ship (untrained it cuts after "Corp.", "Mr.", "U.S."). sentencex (Rust)
# is as fast as this on prose (0.46 s vs 0.47 s for 10 MB, line breaks split by us), but
# its time is quadratic in unclosed opening quotes on one line: 0.2 MB of such prose takes
# 0.73 s (this: 0.04 s), 580 KB 5 s, so a hostile 10 MB source would stall loading for
# many minutes; it also cuts after "Ms." and "approx.". This is one regular expression with
# bounded look-arounds: linear in the text (0.05 s per MB of prose, at worst 0.25 s per MB
# of hostile text), offsets exact by construction (spans are slices of the input).

_STOPS = ".!?\u2026"
# Words a full stop follows without ending the sentence: titles before a name, company
# suffixes, months, and shorthand inside a sentence. Matched case-sensitively ("no." ends one).
NOT_SENTENCE_ENDS = frozenset(
    "Mr Mrs Ms Mx Dr Prof Sr Jr St Mt Gen Sen Rep Gov Lt Col Capt Sgt Hon Rev Fr "  # noqa: SIM905
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec "
    "Inc Corp Co Ltd LLC PLC Bros Fig Figs Vol Dept vs cf al approx".split()
)


def _not_after(words: frozenset[str]) -> str:
    """Negative look-behinds for "word." (fixed width each, so one per word length)."""
    by_length: dict[int, list[str]] = {}
    for word in sorted(words):
        by_length.setdefault(len(word), []).append(re.escape(word))
    return "".join(rf"(?<!\b(?:{'|'.join(group)})\.)" for _, group in sorted(by_length.items()))


# Every alternative starts with one character class, so the scan between candidates runs in C.
_SENTENCE_END = re.compile(
    rf"[\n{_STOPS}](?:"
    # A line break ends a sentence (with the white space after it): articles use lines
    # for headings, list items and table rows.
    r"(?<=\n)\s*"
    # A full stop glued to a capitalised word, as page extraction leaves it: "market.Emerging".
    r"|(?<=[a-z]{2}\.)(?=[A-Z][a-z])"
    # Otherwise the first of a run of stops ...
    rf"|(?<![{_STOPS}][{_STOPS}])"
    # ... not after an abbreviation, nor after a single letter: an initial ("Lina M. Khan")
    # or the end of a dotted one ("U.S.", "e.g.", "p.m."); "No." before a number.
    + _not_after(NOT_SENTENCE_ENDS)
    + r"(?<!\b[A-Za-z]\.)(?!(?<=\bNo\.)[^\S\n]*\d)"
    # ... nor after the number of a numbered line ("1. Strategic Priorities and Control").
    r"(?<!^\d\.)(?<!^\d\d\.)"
    # The rest of the run, closing quotes and brackets, reference markers ([9], [10][11],
    # [citation needed]: no stop inside, so candidates never nest) ...
    rf"""[{_STOPS}]*['"\u2019\u201d)\]]*(?:\[[^\[\]\n{_STOPS}]{{1,40}}\])*"""
    # ... then white space, unless the next word starts in lower case (“Why?” he asked).
    r"(?=\s|\Z)(?![^\S\n]+[a-z])"
    r")",
    re.MULTILINE,
)


# A hard-wrapped paragraph (licences, RFCs, e-mails, plain-text articles) breaks its lines
# at about the same width; there a line break is a space to a reader, not the end of a
# sentence. Such a paragraph (lines between blank lines): two lines or more, none longer
# than WRAP_MAX, each but the last at least WRAP_MIN long. Articles written one paragraph
# per line (the bundled ones) have far longer lines and are left as they are, and so are
# headings, which are short.
WRAP_MIN, WRAP_MAX = 40, 100
# A break is a wrap only when the next line goes straight on: not indented (tables, code),
# not a list item, a heading underline, a quoted e-mail line or a numbered line.
_GOES_ON = re.compile(r"[^\s\-*\u2022=#>|+_~`](?!(?<=\d)\d?[.)]\s)")


def unwrap_hard_wraps(text: str) -> str:
    """`text` with each line break inside a hard-wrapped paragraph made a space (one for
    one, so offsets stay the same); a text with none is returned as it is."""
    if "\n" not in text:
        return text
    out = list(text)
    changed = False
    lines: list[tuple[int, int]] = []  # the current paragraph's lines (start, end)
    position = 0
    for line in [*text.split("\n"), ""]:
        end = position + len(line)
        if line.strip():
            lines.append((position, end))
        else:
            changed |= _unwrap(text, lines, out)
            lines = []
        position = end + 1
    return "".join(out) if changed else text


def _unwrap(text: str, lines: list[tuple[int, int]], out: list[str]) -> bool:
    if len(lines) < 2 or any(b - a > WRAP_MAX for a, b in lines):
        return False
    if any(b - a < WRAP_MIN for a, b in lines[:-1]):
        return False
    changed = False
    for (_, end), (start, _) in pairwise(lines):
        if _GOES_ON.match(text, start):
            out[end] = " "  # the line break between them
            changed = True
    return changed


def split_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """Sentence spans (start, end) over `text`, stripped of surrounding white space.

    Between consecutive spans there is only white space, and no span holds a line break
    except the wraps of a hard-wrapped paragraph (see `unwrap_hard_wraps`).
    """
    ends = [match.end() for match in _SENTENCE_END.finditer(unwrap_hard_wraps(text))]
    ends.append(len(text))
    spans: list[tuple[int, int]] = []
    start = 0
    for end in ends:
        piece = text[start:end]
        body = piece.strip()
        if body:
            first = start + len(piece) - len(piece.lstrip())
            spans.append((first, first + len(body)))
        start = end
    return tuple(spans)


# Double quotation marks a quote may already start or end with. Single ones are left out:
# "’" also ends possessives ("the investors’"), so it cannot say the quote is closed.
_OPENING_MARKS = '"\u201c\u201e\u201f\u00ab'
_CLOSING_MARKS = '"\u201d\u00bb'


def in_quotation_marks(text: str) -> str:
    """`text` between “ and ”, without doubling a mark the quote itself starts or ends with."""
    opening = "" if text.startswith(tuple(_OPENING_MARKS)) else "\u201c"
    closing = "" if text.endswith(tuple(_CLOSING_MARKS)) else "\u201d"
    return f"{opening}{text}{closing}"


def sentence_containing(
    sentences: tuple[tuple[int, int], ...], offset: int, starts: list[int] | None = None
) -> tuple[int, int] | None:
    """The sentence span holding `offset`; pass `starts` when asking many times of one text."""
    if starts is None:
        starts = [s for s, _ in sentences]
    index = bisect.bisect_right(starts, offset) - 1
    if index >= 0 and sentences[index][0] <= offset < sentences[index][1]:
        return sentences[index]
    return None


# --- display safety -------------------------------------------------------

# C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-byte CSI), lone
# surrogates, and the bidi embedding/override/isolate marks that can reorder what
# a terminal shows. Line/paragraph separators become plain line breaks.
_UNSAFE_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
REPLACEMENT = "\ufffd"


def sanitize(text: str, *, tab_size: int = 4, keep_newlines: bool = True) -> str:
    """Text safe to hand to a terminal: no control, C1 or bidi-override characters.

    CR and CRLF become LF, tabs are expanded, every other control character
    becomes U+FFFD so that it stays visible without acting. Printable text
    (including emoji, combining marks and right-to-left letters) is unchanged.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\u2028" in text or "\u2029" in text:
        text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    if "\t" in text:
        text = text.expandtabs(tab_size)
    text = _UNSAFE_RE.sub(REPLACEMENT, text)
    if not keep_newlines and "\n" in text:
        text = text.replace("\n", " ")
    return text


_JSON_UNSAFE_RE = re.compile(f"{_UNSAFE_RE.pattern[:-1]}\u2028\u2029]")


def json_safe(text: str) -> str:
    """JSON text with each character `sanitize` would replace written as a \\u escape.

    A JSON reader gets the very same strings back, and a terminal the JSON is
    printed on sees no control, C1 or bidi character. (json.dumps escapes C0
    controls itself but writes U+009B, a one-byte CSI, and U+202E as they are.)
    """
    return _JSON_UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def one_line(text: str) -> str:
    """A sanitised single line: for list rows, titles and notifications."""
    return " ".join(sanitize(text, keep_newlines=False).split())


_SAME_LENGTH = str.maketrans({"\t": " ", "\r": " ", "\u2028": " ", "\u2029": " "})


def sanitize_same_length(text: str) -> str:
    """Like sanitize(), but one character out for each character in, so offsets still hold."""
    return _UNSAFE_RE.sub(REPLACEMENT, text.translate(_SAME_LENGTH))
