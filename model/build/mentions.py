"""Mention linking: every name and alias of every entity, found in every source.

Names match as token sequences (tokens: runs of word characters, and single
punctuation marks): whole words only ("Meta" never matches inside "metadata"),
the longest name wins where several start at one place ("Microsoft Research"
over "Microsoft"), white space inside a name matches any white space, names of
up to SHORT_NAME characters (or marked match_case) match their exact case.

Two ways to find them, with the same results:

- an Aho–Corasick automaton (ahocorasick-rs) runs over the casefolded text with
  its white space runs made single spaces, and Python looks only at its hits,
  checking token edges and case. It is the quicker one (about 0.7 of the token
  table's time on the large benchmark dossier, all of it in one pass in Rust).
- the token table (`token_rows`): for each token, which name lengths start with
  it, then one dictionary look-up per length, longest first. Used where
  casefolding changes a text's length ("ß" becomes "ss"), so that offsets in the
  folded text are not offsets in the text, and kept as the reference the tests
  compare the automaton with.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import accumulate, compress
from operator import itemgetter

from ahocorasick_rs import AhoCorasick

from .records import Mention
from .text import sentence_containing

TOKEN = re.compile(r"\w+|[^\w\s]")
# The same tokens, with the white space between them: re.split keeps the captured tokens.
_SPLIT = re.compile(r"(\w+|[^\w\s])").split
SHORT_NAME = 4  # names this short match case-sensitively: "Phi" is not "phi"
# White space that is not one plain space: the runs the automaton's text makes single spaces.
_ODD_SPACE = re.compile(r"\s{2,}|[^\S ]")
_START, _END = itemgetter(1), itemgetter(2)
# Two word characters in a row: a hit that starts or ends between them cuts a token.
_WORD_PAIR = re.compile(r"\w\w").match

Names = list[tuple[str, str, bool]]  # (record id, name or alias, match_case)
SourceRows = tuple[str, str, tuple[tuple[int, int], ...]]  # id, text, sentences
# Per source: the indexes of the mentioned records in `record_ids(names)`, then start, end,
# sentence start and sentence end of each mention, each column an array("i").
Columns = tuple[array, array, array, array, array]


@dataclass(frozen=True, slots=True)
class Pattern:
    record: str
    name: str
    folded: tuple[str, ...]
    exact: tuple[str, ...]
    spaced: tuple[bool, ...]  # spaced[k]: white space between token k and k+1 in the name
    case_sensitive: bool

    @property
    def key(self) -> str:
        """The name as the automaton looks for it: folded tokens, one space where it has any."""
        folded, spaced = self.folded, self.spaced
        return folded[0] + "".join(
            (" " if spaced[k] else "") + folded[k + 1] for k in range(len(spaced))
        )


def _pattern(record: str, name: str, match_case: bool) -> Pattern | None:
    tokens = list(TOKEN.finditer(name))
    if not tokens:
        return None
    spaced = tuple(tokens[k].end() != tokens[k + 1].start() for k in range(len(tokens) - 1))
    exact = tuple(t.group() for t in tokens)
    return Pattern(
        record=record,
        name=name,
        folded=tuple(t.casefold() for t in exact),
        exact=exact,
        spaced=spaced,
        case_sensitive=match_case or len(name.strip()) <= SHORT_NAME,
    )


class MentionMatcher:
    """Finds names in texts. Build once per dossier; `find` is safe to call per source."""

    def __init__(self, names: Names) -> None:
        """`names`: (record id, name or alias, match_case) triples."""
        by_tokens: dict[tuple[str, ...], list[Pattern]] = {}
        lengths: dict[str, set[int]] = {}
        for record, name, match_case in names:
            pattern = _pattern(record, name, match_case)
            if pattern is not None:
                by_tokens.setdefault(pattern.folded, []).append(pattern)
                lengths.setdefault(pattern.folded[0], set()).add(len(pattern.folded))
        self._by_tokens = by_tokens
        self._lengths = {first: sorted(found, reverse=True) for first, found in lengths.items()}
        # The automaton's keys, each with its names in the order given (the first whose
        # case matches wins, as in the token table).
        keyed: dict[str, list[Pattern]] = {}
        for patterns in by_tokens.values():
            for pattern in patterns:
                keyed.setdefault(pattern.key, []).append(pattern)
        self._patterns = list(keyed.values())
        self._automaton = AhoCorasick(list(keyed)) if keyed else None

    def find(self, source: str, text: str, sentences: tuple[tuple[int, int], ...]) -> list[Mention]:
        """Every name in `text`, left to right; a match's tokens are not matched again."""
        return [Mention(r, source, a, b, c, d) for r, a, b, c, d in self.rows(text, sentences)]

    def rows(
        self, text: str, sentences: tuple[tuple[int, int], ...]
    ) -> list[tuple[str, int, int, int, int]]:
        """`find` as plain (record, start, end, sentence start, sentence end) tuples.

        What the compact form stores: a cold load makes its columns from these
        without a Mention object per match.
        """
        automaton = self._automaton
        if automaton is None:
            return []
        folded = text.casefold()
        if len(folded) != len(text):
            return self.token_rows(text, sentences)
        # The text as the keys are written: folded, each run of white space one space.
        # at[i] is where the i-th stretch between such runs starts in `plain`, and shift[i]
        # how many characters the runs before it lost: text offset = plain offset + shift.
        pieces = _ODD_SPACE.split(folded)
        at, shift = [0], [0]
        if len(pieces) > 1:
            plain = " ".join(pieces)
            lost = 0
            for run in _ODD_SPACE.finditer(folded):
                start, end = run.span()
                at.append(start + 1 - lost)
                lost += end - start - 1
                shift.append(lost)
        else:
            plain = folded
        hits = automaton.find_matches_as_indexes(plain, overlapping=True)
        hits.sort(key=_END, reverse=True)  # longest first among hits that start together,
        hits.sort(key=_START)  # left to right (the sorts are stable)
        patterns_of = self._patterns
        joined = _WORD_PAIR
        size = len(plain)
        found: list[tuple[str, int, int, int, int]] = []
        starts: list[int] | None = None
        free = 0  # the first character not yet inside a match
        for key, start, end in hits:
            if start < free:
                continue
            # Whole tokens only: no word character on both sides of either edge.
            if (start and joined(plain, start - 1)) or (end < size and joined(plain, end - 1)):
                continue
            first = start + shift[bisect_right(at, start) - 1]
            last = end + shift[bisect_right(at, end - 1) - 1]
            for pattern in patterns_of[key]:
                if pattern.case_sensitive and tuple(TOKEN.findall(text, first, last)) != (
                    pattern.exact
                ):
                    continue
                if starts is None:
                    starts = [s for s, _ in sentences]
                span = sentence_containing(sentences, first, starts) or (first, last)
                found.append((pattern.record, first, last, span[0], span[1]))
                free = end
                break
        return found

    def token_rows(
        self, text: str, sentences: tuple[tuple[int, int], ...]
    ) -> list[tuple[str, int, int, int, int]]:
        """`rows` by the token table (see the module docstring).

        Tokenising, folding, offsets and the search for tokens that start a name
        all run in C (`re.split`, `map`, `accumulate`, `compress`): only tokens
        that start some name are looked at in Python, a few per sentence.
        """
        # parts = [gap, token, gap, token, ..., gap]: token k is parts[2k + 1], and the
        # white space after it is parts[2k + 2]; ends[j] is where parts[j] ends in `text`.
        parts = _SPLIT(text)
        ends = list(accumulate(map(len, parts)))
        folded = list(map(str.casefold, parts[1::2]))
        count = len(folded)
        lengths_of = self._lengths
        by_tokens = self._by_tokens
        starts: list[int] | None = None
        found: list[tuple[str, int, int, int, int]] = []
        free = 0  # the first token not yet inside a match
        for index in compress(range(count), map(lengths_of.__contains__, folded)):
            if index < free:
                continue
            for length in lengths_of[folded[index]]:
                if index + length > count:
                    continue
                key = tuple(folded[index : index + length]) if length > 1 else (folded[index],)
                for pattern in by_tokens.get(key, ()):
                    if _matches(pattern, parts, index):
                        start, end = ends[2 * index], ends[2 * (index + length) - 1]
                        if starts is None:
                            starts = [s for s, _ in sentences]
                        span = sentence_containing(sentences, start, starts) or (start, end)
                        found.append((pattern.record, start, end, span[0], span[1]))
                        free = index + length
                        break
                if free > index:
                    break
        return found


def _matches(pattern: Pattern, parts: list[str], index: int) -> bool:
    """The folded tokens already match: check case where it matters, and the spacing."""
    length = len(pattern.folded)
    for k in range(length):
        at = 2 * (index + k) + 1
        if pattern.case_sensitive and parts[at] != pattern.exact[k]:
            return False
        if k + 1 < length:
            gap = parts[at + 1]
            if pattern.spaced[k] != bool(gap) or (gap and not gap.isspace()):
                return False
    return True


def record_ids(names: Names) -> list[str]:
    """The ids a mention column numbers: each named record once, in the order of `names`."""
    return list(dict.fromkeys(record for record, _, _ in names))


def mention_columns(names: Names, sources: Iterable[SourceRows]) -> Iterator[tuple[str, Columns]]:
    """Every mention of every source, as (source id, columns), source by source.

    What a cold load packs into the compact form: `MentionMatcher.rows` without a tuple
    kept per mention, and record ids as small integers."""
    matcher = MentionMatcher(names)
    index = {record: at for at, record in enumerate(record_ids(names))}
    for source_id, text, sentences in sources:
        columns: Columns = (array("i"), array("i"), array("i"), array("i"), array("i"))
        rec, start, end, s_start, s_end = (column.append for column in columns)
        for record, begin, stop, sentence_start, sentence_end in matcher.rows(text, sentences):
            rec(index[record])
            start(begin)
            end(stop)
            s_start(sentence_start)
            s_end(sentence_end)
        yield source_id, columns
