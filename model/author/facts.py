"""What a text carries for a dossier: figures, dates and names, each with its span.

Shared by `add-source` (its report on a new text) and `gaps` (sentences that
carry facts no record cites). Spans are character offsets into the text as
given; `line_of` turns one into the 1-based line an editor shows.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..mentions import TOKEN

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


def _is_capitalised(token: str) -> bool:
    """ "OpenAI", "GPT", "iPhone", "xAI": a word a name is made of."""
    if not token[0].isalpha():
        return False
    return token[0].isupper() or any(c.isupper() for c in token[1:])


def names(text: str, sentences: tuple[tuple[int, int], ...]) -> list[Span]:
    """Runs of capitalised words that look like the name of someone or something.

    A capitalisation rule, not a trained recogniser: no model could ship with
    the package, and a rule says why it fired. A word that opens a sentence or
    a clause counts alone only when the same word is capitalised elsewhere in
    the text too (so "Despite" is dropped and "Microsoft" kept); headings in
    title case are skipped whole; "The", titles and months at a run's ends are
    dropped ("The Verge" gives "Verge", "OpenAI CEO" gives "OpenAI").
    """
    # (sentence start, the run's tokens, opens a clause, is followed by a colon)
    runs: list[tuple[int, list[re.Match[str]], bool, bool]] = []
    lowercase = {m.group() for m in _LOWER_WORD.finditer(text)}  # words the text writes small
    for s_start, s_end in sentences:
        sentence = text[s_start:s_end]
        tokens = list(TOKEN.finditer(sentence))
        if _is_heading(sentence, tokens):
            continue
        run: list[re.Match[str]] = []
        opens = False
        clause_start = True  # the next word opens the sentence or a clause
        for index, token in enumerate(tokens):
            word = token.group()
            if run and _hyphen_number(sentence, tokens, index):
                run.append(token)  # "GPT-4", "Phi-3": the hyphen and the number
                continue
            if not word[0].isalnum():
                if run and not _hyphen_number(sentence, tokens, index - 1):
                    runs.append((s_start, run, opens, word == ":"))
                    run = []
                if word in _CLAUSE_OPENERS:
                    clause_start = True
                continue
            capitalised = _is_capitalised(word)
            if (
                run
                and _spaced(sentence, run[-1], token)
                and (capitalised or _joins(sentence, tokens, index))
            ):
                run.append(token)
            else:
                if run:
                    runs.append((s_start, run, opens, False))
                run = [token] if capitalised else []
                opens = clause_start
            clause_start = False
        if run:
            runs.append((s_start, run, opens, False))
    # Capitalised words seen in runs where nothing forces a capital.
    elsewhere = {token.group() for _, run, opens, _ in runs if not opens for token in run}
    out: list[Span] = []
    for s_start, run, opens, label in runs:
        words = [t for t in run if t.group()[0].isalpha()]
        if (
            opens
            and (label or len(words) == 1)
            and not elsewhere.issuperset(w.group() for w in words)
        ):
            continue  # a list label ("- Compute Demands:") or a sentence's capitalised opener
        if opens and _opener_only(run, lowercase, elsewhere):
            run = run[1:]  # "When Microsoft ..." names Microsoft; "Jensen Huang" stays whole
        for part in _split_at(run, NOT_NAMES):  # "Microsoft CEO Satya Nadella": two names
            first, last = 0, len(part)
            while first < last and part[first].group() in _JOINERS:
                first += 1
            while last > first and part[last - 1].group() in _JOINERS:
                last -= 1
            if first < last:
                start, end = s_start + part[first].start(), s_start + part[last - 1].end()
                out.append(Span(start, end, text[start:end]))
    return out


def _split_at(run: list[re.Match[str]], breaks: frozenset[str]) -> list[list[re.Match[str]]]:
    parts: list[list[re.Match[str]]] = [[]]
    for token in run:
        if token.group() in breaks:
            parts.append([])
        else:
            parts[-1].append(token)
    return [part for part in parts if part]


def _hyphen_number(sentence: str, tokens: list[re.Match[str]], index: int) -> bool:
    """Token `index` is a hyphen, or the number after one, inside "GPT-4" (no spaces)."""
    if index < 1 or index >= len(tokens):
        return False
    if tokens[index].group() == "-":
        hyphen = index
    elif tokens[index - 1].group() == "-" and tokens[index].group()[0].isdigit():
        hyphen = index - 1
    else:
        return False
    if hyphen < 1 or hyphen + 1 >= len(tokens):
        return False
    before, after = tokens[hyphen - 1], tokens[hyphen + 1]
    return (
        before.end() == tokens[hyphen].start()
        and tokens[hyphen].end() == after.start()
        and after.group()[0].isdigit()
    )


def _opener_only(run: list[re.Match[str]], lowercase: set[str], elsewhere: set[str]) -> bool:
    """The run's first word is capitalised for opening the sentence, not as part of the name:
    the text writes it small elsewhere, or it is never capitalised elsewhere while a later
    word of the run is ("Following Altman", but "Jensen Huang")."""
    first = run[0].group()
    if first.casefold() in lowercase or first.casefold() in _OPENERS:
        return True
    return first not in elsewhere and any(t.group() in elsewhere for t in run[1:])


def _joins(sentence: str, tokens: list[re.Match[str]], index: int) -> bool:
    """A joiner ("of", "&") between two capitalised words, single-spaced."""
    return (
        tokens[index].group() in _JOINERS
        and index + 1 < len(tokens)
        and _is_capitalised(tokens[index + 1].group())
        and _spaced(sentence, tokens[index], tokens[index + 1])
    )


def _spaced(sentence: str, before: re.Match[str], after: re.Match[str]) -> bool:
    """One plain space between two words: a line break or a comma ends a name."""
    return sentence[before.end() : after.start()] == " "


def _is_heading(sentence: str, tokens: list[re.Match[str]]) -> bool:
    """A title-case line without a full stop: "The Genesis of a Powerful Alliance"."""
    words = [t.group() for t in tokens if t.group()[0].isalnum()]
    if sentence.rstrip().endswith((".", "!", "?", ":", '"', "”")) or len(words) < 2:
        return False
    long_words = [w for w in words if len(w) > 3]
    capitalised = sum(1 for w in long_words if _is_capitalised(w))
    return bool(long_words) and capitalised / len(long_words) >= 0.75
