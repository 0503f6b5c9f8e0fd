"""What a text carries for a dossier: figures, dates and names, each with its span.

Shared by `add-source` (its report on a new text) and `gaps` (sentences that
carry facts no record cites). Spans are character offsets into the text as
given; `line_of` turns one into the 1-based line an editor shows.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from itertools import accumulate

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# A figure: money ("$13 billion", "€5bn"), a share or a count with its scale ("49%",
# "10 billion"), or a number of three digits or more ("10,000", "2019"). Every sentence the
# bundled dossier's coverage rule called a figure is one here (its pattern is this one
# without the currencies other than $, "trillion", "per cent", "bn" and the thousands groups).
FIGURE = re.compile(
    r"[$€£¥]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:trillion|billion|million|bn|tn|[BMTmk])\b)?"
    r"|\d[\d,]*(?:\.\d+)?\s?(?:%|percent|per cent|trillion|billion|million)"
    r"|\b\d{1,3}(?:,\d{3})+(?:\.\d+)?\b"
    r"|\b\d{3,}(?:\.\d+)?\b"
)
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


class Lines:
    """1-based line numbers of offsets in one text, by bisecting its line starts."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        at = text.find("\n")
        while at != -1:
            self._starts.append(at + 1)
            at = text.find("\n", at + 1)

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self._starts, offset)

    def col(self, offset: int) -> int:
        """1-based column, in characters."""
        return offset - self._starts[self.line(offset) - 1] + 1


def figures(text: str) -> list[Span]:
    """Money, shares and counts as written; a bare year is a date, not a figure."""
    return [
        Span(m.start(), m.end(), m.group())
        for m in FIGURE.finditer(text)
        if not YEAR.fullmatch(m.group())
    ]


# --- names ------------------------------------------------------------------------------

# Words that join the capitalised words of one name ("Bank of America", "AT&T").
_JOINERS = frozenset({"of", "&", "de", "du", "van", "von", "der", "la"})
# After these a word is capitalised for its place, not for being a name.
# (".", ")" too: texts pasted from the web glue sentences: "(theverge.com)In response".)
_CLAUSE_OPENERS = frozenset(
    {":", ";", ".", "!", "?", ")", '"', "“", "‘", "(", "[", "—", "–", "-", "•", "*", "|"}
)
# Capitalised words that are not names: the articles' common noun, titles, and the
# words a sentence or heading starts with. Months and weekdays are dates.
NOT_NAMES = frozenset({"AI", "I", "CEO", "CTO", "CFO", "COO", "The", "A", "An", *MONTHS, *WEEKDAYS})


# The same tokens as mention matching, with the white space between them.
_SPLIT = re.compile(r"(\w+|[^\w\s])").split
_LOWER_WORD = re.compile(r"\b[a-z]+\b")
# Words that open sentences in any text, lowercase or not elsewhere in this one.
_OPENERS = frozenset(
    {
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "for",
        "after",
        "before",
        "when",
        "while",
        "following",
        "despite",
        "although",
        "as",
        "if",
        "since",
        "during",
        "with",
        "by",
        "from",
        "to",
        "but",
        "and",
        "or",
        "so",
        "yet",
        "this",
        "that",
        "these",
        "those",
        "its",
        "their",
        "his",
        "her",
        "our",
        "we",
        "they",
        "he",
        "she",
        "it",
        "",
    }
)


def names(text: str, sentences: tuple[tuple[int, int], ...]) -> list[Span]:
    """Runs of capitalised words that look like the name of someone or something.

    A capitalisation rule, not a trained recogniser: no model could ship with
    the package, and a rule says why it fired. A word that opens a sentence or
    a clause counts alone only when the same word is capitalised elsewhere in
    the text too (so "Despite" is dropped and "Microsoft" kept); headings in
    title case and sentences in capitals (`shouts`) are skipped whole; "The",
    titles and months at a run's ends are dropped ("The Verge" gives "Verge",
    "OpenAI CEO" gives "OpenAI").

    Tokens, their offsets and which are capitalised come from C-level calls
    (`re.split`, `accumulate`, a comprehension); Python looks only at the
    capitalised ones, a few per sentence.
    """
    # (sentence start, the run's token spans and words, opens a clause, followed by a colon)
    runs: list[tuple[int, list[tuple[int, int, str]], bool, bool]] = []
    lowercase = set(_LOWER_WORD.findall(text))  # words the text writes small
    for s_start, s_end in sentences:
        sentence = text[s_start:s_end]
        parts = _SPLIT(sentence)  # [gap, token, gap, token, ..., gap]
        words = parts[1::2]
        gaps = parts[2::2]  # gaps[k]: the white space after token k
        ends = list(accumulate(map(len, parts)))
        capital = [w[0].isalpha() and w != w.lower() for w in words]
        if not any(capital) or _is_heading(sentence, words, capital) or shouts(sentence):
            continue
        count = len(words)
        index = 0
        while index < count:
            if not capital[index]:
                index += 1
                continue
            opens = _opens(words, index)
            run = [index]
            at = index + 1
            while at < count:
                if (
                    words[at] == "-"
                    and at + 1 < count
                    and not gaps[at - 1]
                    and not gaps[at]
                    and words[at + 1][0].isdigit()
                ):
                    run += [at, at + 1]  # "GPT-4", "Phi-3": the hyphen and the number
                    at += 2
                elif _in_name(gaps[at - 1]) and (
                    capital[at]
                    or (
                        words[at] in _JOINERS
                        and at + 1 < count
                        and capital[at + 1]
                        and _in_name(gaps[at])
                    )
                ):
                    run.append(at)
                    at += 1
                else:
                    break
            label = at < count and words[at] == ":" and not gaps[run[-1]]
            spans = [(ends[2 * k], ends[2 * k + 1], words[k]) for k in run]
            runs.append((s_start, spans, opens, label))
            index = at
    # Capitalised words seen in runs where nothing forces a capital.
    elsewhere = {word for _, run, opens, _ in runs if not opens for _, _, word in run}
    out: list[Span] = []
    for s_start, run, opens, label in runs:
        alpha = [word for _, _, word in run if word[0].isalpha()]
        if opens and (label or len(alpha) == 1) and not elsewhere.issuperset(alpha):
            continue  # a list label ("- Compute Demands:") or a sentence's capitalised opener
        if opens and _opener_only([word for _, _, word in run], lowercase, elsewhere):
            run = run[1:]  # "When Microsoft ..." names Microsoft; "Jensen Huang" stays whole
        for part in _split_at(run, NOT_NAMES):  # "Microsoft CEO Satya Nadella": two names
            first, last = 0, len(part)
            while first < last and part[first][2] in _JOINERS:
                first += 1
            while last > first and part[last - 1][2] in _JOINERS:
                last -= 1
            if first < last:
                start, end = s_start + part[first][0], s_start + part[last - 1][1]
                out.append(Span(start, end, text[start:end]))
    return out


def _in_name(gap: str) -> bool:
    """White space that may sit inside a name: a space, or a hard-wrapped text's line break
    ("Corporation for\\nNational Research Initiatives"); a blank line ends a name."""
    return gap == " " or (gap.isspace() and gap.count("\n") <= 1)


def name_key(text: str) -> str:
    """One name however the text wraps it, for counting ("Python Software\\nFoundation")."""
    return " ".join(text.split())


def _opens(words: list[str], index: int) -> bool:
    """Token `index` opens the sentence or a clause: only punctuation before it, back to the
    sentence's start or to the last word, and some of it a clause opener ("- ", ": ")."""
    at = index - 1
    while at >= 0 and not words[at][0].isalnum():
        if words[at] in _CLAUSE_OPENERS:
            return True
        at -= 1
    return at < 0


def _split_at(
    run: list[tuple[int, int, str]], breaks: frozenset[str]
) -> list[list[tuple[int, int, str]]]:
    parts: list[list[tuple[int, int, str]]] = [[]]
    for token in run:
        if token[2] in breaks:
            parts.append([])
        else:
            parts[-1].append(token)
    return [part for part in parts if part]


def _opener_only(words: list[str], lowercase: set[str], elsewhere: set[str]) -> bool:
    """The run's first word is capitalised for opening the sentence, not as part of the name:
    the text writes it small elsewhere, or it is never capitalised elsewhere while a later
    word of the run is ("Following Altman", but "Jensen Huang")."""
    first = words[0]
    if first.casefold() in lowercase or first.casefold() in _OPENERS:
        return True
    return first not in elsewhere and any(word in elsewhere for word in words[1:])


def shouts(sentence: str) -> bool:
    """Written in capitals ("A. HISTORY OF THE SOFTWARE", a licence's "AS IS" paragraph): its
    capitals are typography, so they say nothing of which words are names."""
    upper = sum(map(str.isupper, sentence))
    return upper >= SHOUT_LETTERS and upper >= 4 * sum(map(str.islower, sentence))


# Fewer capitals than this are an acronym or two ("PSF", "CNRI"), not a sentence in capitals.
SHOUT_LETTERS = 10


def _is_heading(sentence: str, words: list[str], capital: list[bool]) -> bool:
    """A title-case line without a full stop: "The Genesis of a Powerful Alliance"."""
    if sentence.endswith((".", "!", "?", ":", '"', "”")):
        return False
    long_words = [cap for word, cap in zip(words, capital, strict=True) if len(word) > 3]
    alpha = sum(1 for word in words if word[0].isalnum())
    return alpha >= 2 and bool(long_words) and sum(long_words) / len(long_words) >= 0.75
