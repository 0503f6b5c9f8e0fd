"""bm25 in plain Python, as FTS5 defines it: the oracle the FTS5 engine is checked against.

This was the search's pure-Python fallback; SQLite FTS5 is in every build we
support, so it now only proves that the FTS5 weighting gives exactly bm25.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence

from partnership_tui.model.search.fts5 import (
    BM25_B,
    BM25_K1,
    INDEX_TOKEN,
    LEN_MAX,
    TABLES,
    WEIGHTS,
    Plan,
    idf,
    row_number,
)
from partnership_tui.model.search.highlight import find_term
from partnership_tui.model.search.query import Term


class _Table:
    """One table of the fallback index: postings per word, texts kept for phrase checks."""

    def __init__(self, columns: int, weights: tuple[float, ...]) -> None:
        self.columns = columns
        self.weights = weights
        self.texts: list[tuple[str, ...]] = []  # folded columns, by row number - 1
        self.rowids: list[int] = []
        self.groups: list[int] = []
        self.postings: dict[str, list[int]] = {}  # word -> row numbers
        self.vocabulary: list[str] = []
        self.average = 1.0

    def add(
        self, rows: Sequence[tuple[int, tuple[str, ...]]], groups: Sequence[int], average: float
    ) -> None:
        postings = self.postings
        for (rowid, cols), group in zip(rows, groups, strict=True):
            number = row_number(rowid)
            if number != len(self.texts) + 1:
                raise ValueError("rows must be added numbered 1, 2, 3, ...")
            self.texts.append(cols)
            self.rowids.append(rowid)
            self.groups.append(group)
            seen: set[str] = set()
            for col in cols:
                seen.update(INDEX_TOKEN.findall(col))
            for token in seen:
                postings.setdefault(token, []).append(number)
        self.vocabulary = sorted(postings)
        self.average = average

    def _rows_with(self, token: str, prefix: bool) -> set[int]:
        if not prefix:
            return set(self.postings.get(token, ()))
        out: set[int] = set()
        start = bisect.bisect_left(self.vocabulary, token)
        for word in self.vocabulary[start:]:
            if not word.startswith(token):
                break
            out.update(self.postings[word])
        return out

    def _candidates(self, term: Term) -> set[int]:
        """Rows holding every word of the term (not yet checked for order)."""
        sets = [
            self._rows_with(token, term.prefix and k == len(term.tokens) - 1)
            for k, token in enumerate(term.tokens)
        ]
        sets.sort(key=len)
        rows = sets[0]
        for other in sets[1:]:
            rows = rows & other
            if not rows:
                break
        return rows

    def _counts(self, number: int, term: Term) -> tuple[int, ...]:
        """Occurrences of the term in each column of a row."""
        return tuple(
            sum(1 for _ in find_term(col, term, INDEX_TOKEN)) for col in self.texts[number - 1]
        )

    def _occurrences(
        self, term: Term, cache: dict[Term, dict[int, tuple[int, ...]]]
    ) -> dict[int, tuple[int, ...]]:
        """Every row where the term occurs, with its per-column counts."""
        if term not in cache:
            found: dict[int, tuple[int, ...]] = {}
            for number in self._candidates(term):
                counts = self._counts(number, term)
                if any(counts):
                    found[number] = counts
            cache[term] = found
        return cache[term]

    def rows_with_any(self, terms: Sequence[Term], columns: Sequence[int]) -> set[int]:
        out: set[int] = set()
        for term in terms:
            for number in self._candidates(term):
                counts = self._counts(number, term)
                if any(counts[c] for c in columns):
                    out.add(self.rowids[number - 1])
        return out

    def _matches(self, plan: Plan, groups: frozenset[int] | None) -> list[tuple[int, float]]:
        """Every matching row as (rowid, score), best first."""
        cache: dict[Term, dict[int, tuple[int, ...]]] = {}
        matched: set[int] | None = None
        for term in sorted(plan.must, key=lambda t: len(self._candidates(t))):
            rows = set(self._occurrences(term, cache))
            matched = rows if matched is None else matched & rows
            if not matched:
                return []
        assert matched is not None
        for term in plan.must_not:
            matched -= {
                number
                for number in self._candidates(term) & matched
                if any(self._counts(number, term))
            }
        if groups is not None:
            matched = {n for n in matched if self.groups[n - 1] in groups}
        total_rows = len(self.texts)
        scores: dict[int, float] = dict.fromkeys(matched, 0.0)
        for term in plan.scored:
            found = self._occurrences(term, cache)
            weight = idf(total_rows, len(found))
            for number in matched:
                counts = found.get(number)
                if not counts:
                    continue
                tf = sum(w * c for w, c in zip(self.weights, counts, strict=True))
                length = self.rowids[number - 1] & LEN_MAX
                norm = BM25_K1 * (1 - BM25_B + BM25_B * length / self.average)
                scores[number] += weight * tf * (BM25_K1 + 1) / (tf + norm)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [(self.rowids[number - 1], score) for number, score in ranked]


class PythonBackend:
    """The fallback when SQLite lacks FTS5: same matches, same bm25 formula, slower."""

    name = "python"

    def __init__(self) -> None:
        self._tables = {table: _Table(columns, WEIGHTS[table]) for table, columns in TABLES.items()}

    def add(
        self,
        table: str,
        rows: Sequence[tuple[int, tuple[str, ...]]],
        groups: Sequence[int],
        average: float,
    ) -> None:
        self._tables[table].add(rows, groups, average)

    def rows_with_any(
        self, table: str, plan: Plan, terms: Sequence[Term], columns: Sequence[int]
    ) -> set[int]:
        return self._tables[table].rows_with_any(terms, columns)

    def count(self, table: str, plan: Plan, groups: frozenset[int] | None) -> int:
        return len(self._tables[table]._matches(plan, groups))

    def ranked(
        self, table: str, plan: Plan, groups: frozenset[int] | None, limit: int | None = None
    ) -> Iterator[tuple[int, float]]:
        found = self._tables[table]._matches(plan, groups)
        return iter(found if limit is None else found[:limit])

    def scores_of(
        self, table: str, plan: Plan, groups: frozenset[int] | None, rowids: Iterable[int]
    ) -> list[tuple[int, float]]:
        wanted = set(rowids)
        return [item for item in self._tables[table]._matches(plan, groups) if item[0] in wanted]

    def search(
        self, table: str, plan: Plan, groups: frozenset[int] | None, limit: int
    ) -> tuple[list[tuple[int, float]], int]:
        found = self._tables[table]._matches(plan, groups)
        return found[:limit], len(found)

    def listed(
        self, table: str, must_not: Sequence[Term], groups: frozenset[int] | None, limit: int
    ) -> tuple[list[tuple[int, float]], int]:
        rows = self._tables[table]
        excluded = {
            number
            for term in must_not
            for number in rows._candidates(term)
            if any(rows._counts(number, term))
        }
        numbers = [
            number
            for number in range(1, len(rows.texts) + 1)
            if number not in excluded and (groups is None or rows.groups[number - 1] in groups)
        ]
        return [(rows.rowids[n - 1], 0.0) for n in numbers[:limit]], len(numbers)

    def close(self) -> None:
        self._tables.clear()
