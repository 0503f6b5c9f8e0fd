"""Mention linking: every name and alias of every entity, found in every source.

Texts are split into word and punctuation tokens, and names are matched as
token sequences from a table keyed by first token, longest name first. That
gives whole-word matches ("Meta" never matches inside "metadata"), lets
"Microsoft Research" win over "Microsoft", and costs one dictionary look-up
per token however many names there are (a regex alternation of thousands of
names would be tried name by name at every position).
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
        table: dict[str, list[Pattern]] = {}
        for record, name, match_case in names:
            pattern = _pattern(record, name, match_case)
            if pattern is not None:
                table.setdefault(pattern.folded[0], []).append(pattern)
        for patterns in table.values():
            patterns.sort(key=lambda p: -len(p.folded))
        self._table = table

    def find(self, source: str, text: str, sentences: tuple[tuple[int, int], ...]) -> list[Mention]:
        tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
        folded = [t[2].casefold() for t in tokens]
        table = self._table
        found: list[Mention] = []
        index = 0
        count = len(tokens)
        while index < count:
            candidates = table.get(folded[index])
            matched = 0
            if candidates:
                for pattern in candidates:
                    if self._matches(pattern, tokens, folded, index, text):
                        matched = len(pattern.folded)
                        start, end = tokens[index][0], tokens[index + matched - 1][1]
                        span = sentence_containing(sentences, start) or (start, end)
                        found.append(Mention(pattern.record, source, start, end, span[0], span[1]))
                        break
            index += matched or 1
        return found

    @staticmethod
    def _matches(
        pattern: Pattern,
        tokens: list[tuple[int, int, str]],
        folded: list[str],
        index: int,
        text: str,
    ) -> bool:
        length = len(pattern.folded)
        if index + length > len(tokens):
            return False
        for k in range(length):
            token = tokens[index + k]
            if pattern.case_sensitive:
                if token[2] != pattern.exact[k]:
                    return False
            elif folded[index + k] != pattern.folded[k]:
                return False
            if k + 1 < length:
                gap = text[token[1] : tokens[index + k + 1][0]]
                if pattern.spaced[k] != bool(gap) or (gap and not gap.isspace()):
                    return False
        return True
