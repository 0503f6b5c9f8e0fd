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

from .records import Mention
from .text import sentence_containing

TOKEN = re.compile(r"\w+|[^\w\s]")
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
        tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
        folded = [t[2].casefold() for t in tokens]
        starts = [s for s, _ in sentences]
        lengths_of = self._lengths
        by_tokens = self._by_tokens
        found: list[Mention] = []
        index = 0
        count = len(tokens)
        while index < count:
            matched = 0
            for length in lengths_of.get(folded[index], ()):
                if index + length > count:
                    continue
                key = tuple(folded[index : index + length]) if length > 1 else (folded[index],)
                for pattern in by_tokens.get(key, ()):
                    if self._matches(pattern, tokens, index, text):
                        matched = length
                        start, end = tokens[index][0], tokens[index + length - 1][1]
                        span = sentence_containing(sentences, start, starts) or (start, end)
                        found.append(Mention(pattern.record, source, start, end, span[0], span[1]))
                        break
                if matched:
                    break
            index += matched or 1
        return found

    @staticmethod
    def _matches(
        pattern: Pattern, tokens: list[tuple[int, int, str]], index: int, text: str
    ) -> bool:
        """The folded tokens already match: check case where it matters, and the spacing."""
        length = len(pattern.folded)
        for k in range(length):
            token = tokens[index + k]
            if pattern.case_sensitive and token[2] != pattern.exact[k]:
                return False
            if k + 1 < length:
                gap = text[token[1] : tokens[index + k + 1][0]]
                if pattern.spaced[k] != bool(gap) or (gap and not gap.isspace()):
                    return False
        return True
