""" "Did you mean ...?" over every id of a dossier, in bounded time however many are wrong.

One broken file can leave ~100,000 references dangling in a large dossier, and
difflib looks at every one of ~115,000 ids for each (~0.4 s apiece: hours).
rapidfuzz's `extractOne` does the same comparison (the Indel ratio difflib
calls `ratio`) in C, ~30 ms over 115,000 ids, and at most BUDGET lookups are
made per load: past that, only the problems shown get one (the report shows a
few of each kind, see `model.read.problems`), so the rest need none.
"""

from __future__ import annotations

from collections.abc import Iterable

from rapidfuzz import fuzz, process

BUDGET = 100
CUTOFF = 60  # difflib's 0.6, on rapidfuzz's 0-100 scale


class Suggester:
    """The closest of `choices` to a word, for at most `budget` words."""

    def __init__(self, choices: Iterable[str], budget: int = BUDGET) -> None:
        self._source = choices
        self._choices: list[str] | None = None
        self.left = budget

    def __call__(self, word: str) -> str | None:
        """The closest choice, None if none is close; raises Exhausted past the budget."""
        if self.left <= 0:
            raise Exhausted
        self.left -= 1
        if self._choices is None:
            self._choices = list(self._source)
        found = process.extractOne(
            word, self._choices, scorer=fuzz.ratio, processor=None, score_cutoff=CUTOFF
        )
        return None if found is None else found[0]


class Exhausted(Exception):
    """No more suggestions this load: the problem gets a plain hint."""
