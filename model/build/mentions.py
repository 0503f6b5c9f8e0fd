"""Mention linking: every name and alias of every entity, found in every source.

Texts are split into word and punctuation tokens, and names are matched as
token sequences: for each token, a table says which name lengths start with
it, and each length is one dictionary look-up of the next tokens, longest
first. That gives whole-word matches ("Meta" never matches inside
"metadata"), lets "Microsoft Research" win over "Microsoft", and costs a few
look-ups per token however many names there are (a regex alternation of
thousands of names would be tried name by name at every position).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate, compress

from .records import Mention
from .text import sentence_containing

TOKEN = re.compile(r"\w+|[^\w\s]")
# The same tokens, with the white space between them: re.split keeps the captured tokens.
_SPLIT = re.compile(r"(\w+|[^\w\s])").split
SHORT_NAME = 4  # names this short match case-sensitively: "Phi" is not "phi"


@dataclass(frozen=True, slots=True)
class Pattern:
    record: str
    name: str
    folded: tuple[str, ...]
    exact: tuple[str, ...]
    spaced: tuple[bool, ...]  # spaced[k]: white space between token k and k+1 in the name
    case_sensitive: bool


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

    def __init__(self, names: list[tuple[str, str, bool]]) -> None:
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

    def find(self, source: str, text: str, sentences: tuple[tuple[int, int], ...]) -> list[Mention]:
        """Every name in `text`, left to right; a match's tokens are not matched again."""
        return [Mention(r, source, a, b, c, d) for r, a, b, c, d in self.rows(text, sentences)]

    def rows(
        self, text: str, sentences: tuple[tuple[int, int], ...]
    ) -> list[tuple[str, int, int, int, int]]:
        """`find` as plain (record, start, end, sentence start, sentence end) tuples.

        What the compact form stores: a cold load makes its columns from these
        without a Mention object per match.

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
