"""Full-text search over a dossier: every passage of every source text, and every record.

Why it is built this way:

- Source texts are cut into passages (the sentences of one paragraph, up to
  PASSAGE_CHARS) so that a hit points at a readable stretch of text, with the
  character offsets of every matched word in the ORIGINAL text for highlighting.
- Records are indexed field by field (name, aliases, amount as written, summary,
  details) in weighted columns, so a word in a name outranks the same word in a
  summary; then the share of a record's name the query covers lifts the record
  that *is* what was typed ("Suleyman" -> the person before "Microsoft hires ...").
- Plain words that stand together, in order, score higher (an OR'd phrase adds to
  bm25 without changing what matches), so a phrase in a title beats stray words.
- Everything is folded first (model.query.fold: casefold, NFKD, marks stripped),
  and SQLite only ever sees folded words. SQLite FTS5 ranks with bm25 when the
  Python build has it; otherwise a small in-Python inverted index gives the same
  matches with the same bm25 formula.
- The query is parsed by model.query; the FTS5 MATCH expression is built here from
  the parsed tokens, each one quoted, so user text is never query syntax.

Usage (a worker thread may build, another thread may search)::

    index = SearchIndex.open_or_build(dossier)   # from the disk cache when unchanged, else build()
    results = index.search('altman -"board" after:2023', limit=50)   # may raise QueryError
    for hit in results.passages:
        source = dossier[hit.source_id]
        for start, end in hit.highlights:   # offsets into source.text
            ...
"""

from __future__ import annotations

import bisect
import contextlib
import difflib
import heapq
import math
import re
import sqlite3
import threading
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from ..build.dates import PartialDate
from ..build.records import (
    KINDS,
    AnyRecord,
    Claim,
    Company,
    Deal,
    Event,
    Kind,
    Person,
    Source,
    Tension,
    record_date,
)
from ..build.text import sanitize_same_length, split_sentences
from ..dossier.dossier import Dossier
from .query import TOKEN, Query, QueryError, Term, fold, fold_with_map, parse_query, tokenize

__all__ = [
    "PassageHit",
    "Query",
    "QueryError",
    "RecordHit",
    "SearchIndex",
    "SearchResults",
    "Snippet",
    "fts5_available",
    "match_spans",
    "parse_query",
]

PASSAGE_CHARS = 1000  # sentences of one paragraph are grouped up to this many characters
SNIPPET_CHARS = 160  # a snippet shows about this much text around the first match
# Record columns and their bm25 weights: a word in a name counts five times one in a summary.
RECORD_COLUMNS = ("name", "alias", "amount", "summary", "detail")
RECORD_WEIGHTS = (10.0, 8.0, 5.0, 2.0, 1.0)
_COLUMN_OF_FIELD = {"name": 0, "title": 0, "alias": 1, "amount": 2, "summary": 3}
# Put between two texts of one column so that no phrase runs from one into the next.
# A private-use character: folding turns it into a space in any user query, so no
# query token can ever equal it.
_GAP = " \ue000 "
_INDEX_TOKEN = re.compile(r"[^\W_]+|\ue000")
# bm25 constants, as in SQLite FTS5
_K1 = 1.2
_B = 0.75
# A row's length in tokens rides in the low bits of its rowid (rowid = number << 12 | length),
# so ranking never looks a length up: bm25 reads it from the rowid. Longer rows count as
# _LEN_MAX tokens long, in both backends alike.
_LEN_BITS = 12
_LEN_MAX = (1 << _LEN_BITS) - 1
# Records with a query word in their name are scored apart when there are at most this many;
# beyond that, matches are read best first until none can make the list (see _rank_by_name).
_NAMED_AT_ONCE = 2000
# Bytes that end a token for SQLite's "ascii" tokenizer: every ASCII character but letters
# and digits. Bytes of non-ASCII characters are token characters.
_SEPARATORS = bytes.maketrans(
    bytes(c for c in range(128) if not chr(c).isalnum()),
    b" " * sum(1 for c in range(128) if not chr(c).isalnum()),
)

Span = tuple[int, int]


def _count_tokens(folded: str) -> int:
    """Tokens in a folded text, as SQLite's "ascii" tokenizer (and _INDEX_TOKEN) cut it."""
    return len(folded.encode("utf-8", "surrogatepass").translate(_SEPARATORS).split())


def _rowid(number: int, length: int) -> int:
    """The rowid of row `number` (1, 2, 3...) that is `length` tokens long."""
    return (number << _LEN_BITS) | min(length, _LEN_MAX)


def _number(rowid: int) -> int:
    return rowid >> _LEN_BITS


# --- results ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Snippet:
    """A short stretch of text around a match, plain, with the matched spans in it.

    `text` has line breaks, tabs and control characters replaced one for one, and
    a leading/trailing "…" where it was cut. `highlights` are (start, end) offsets
    into `text`. Never markup: a renderer styles the spans itself.
    """

    text: str
    highlights: tuple[Span, ...]

    def segments(self) -> Iterator[tuple[str, bool]]:
        """(piece, is_match) in order, for renderers that style matches."""
        pos = 0
        for start, end in self.highlights:
            if start > pos:
                yield self.text[pos:start], False
            yield self.text[start:end], True
            pos = end
        if pos < len(self.text):
            yield self.text[pos:], False


@dataclass(frozen=True, slots=True)
class RecordHit:
    """A record whose words match; `field` is where the snippet comes from.

    field is one of: name, title (of a source), alias, amount, summary, role,
    term, fact, says, category, publisher, url, note.
    """

    record_id: str
    kind: Kind
    field: str
    snippet: Snippet
    score: float  # bm25 weighted by name coverage; higher is better, within one list only


@dataclass(frozen=True, slots=True)
class PassageHit:
    """A passage of a source text that matches.

    `start`/`end` delimit the passage in `source.text`; `highlights` are the
    (start, end) offsets of every matched word in `source.text` itself, so
    `source.text[start:end]` folds to the word searched for.
    """

    source_id: str
    start: int
    end: int
    snippet: Snippet
    highlights: tuple[Span, ...]
    score: float


@dataclass(frozen=True, slots=True)
class SearchResults:
    """Ranked hits, best first. Totals count every match, not only those returned."""

    query: Query
    records: tuple[RecordHit, ...]
    passages: tuple[PassageHit, ...]
    total_records: int
    total_passages: int
    hint: str | None = None  # how the query was read, when that differs from how it looks

    @property
    def total(self) -> int:
        return self.total_records + self.total_passages

    def __bool__(self) -> bool:
        return self.total > 0


# --- matching in Python: highlights and the fallback index ------------------------------


def _find(folded: str, term: Term, token: re.Pattern[str] = TOKEN) -> Iterator[Span]:
    """(start, end) in a folded text of each occurrence of `term`, as whole words.

    Finds the first word with str.find, then checks that it starts a token and
    that the next tokens (whatever separates them) are the rest of the phrase.
    """
    words = term.tokens
    last = len(words) - 1
    pos = folded.find(words[0])
    while pos != -1:
        if pos == 0 or not folded[pos - 1].isalnum():
            match = token.match(folded, pos)
            start = pos
            for k, word in enumerate(words):
                if k:
                    match = token.search(folded, match.end())  # type: ignore[union-attr]
                if match is None:
                    break
                found = match.group()
                if not (found.startswith(word) if k == last and term.prefix else found == word):
                    break
            else:
                yield start, match.end()  # type: ignore[union-attr]
        pos = folded.find(words[0], pos + 1)


def _spans_by_term(text: str, terms: Sequence[Term]) -> list[list[Span]]:
    """For each term, the spans of its occurrences in `text`'s own offsets."""
    if not text:
        return [[] for _ in terms]
    folded = fold(text)
    found = [list(_find(folded, term)) for term in terms]
    if any(found) and not text.isascii():
        _, fold_map = fold_with_map(text)
        found = [[fold_map.span(s, e) for s, e in spans] for spans in found]
    return found


def _spans(text: str, terms: Sequence[Term]) -> list[Span]:
    """Merged, sorted spans of every occurrence of every term, in `text`'s own offsets."""
    return _merge(span for spans in _spans_by_term(text, terms) for span in spans)


def match_spans(text: str, query: Query | str) -> list[Span]:
    """Where the query's words (not the excluded ones) occur in any text, e.g. an open source.

    Raises QueryError for a query string that cannot be parsed.
    """
    parsed = parse_query(query) if isinstance(query, str) else query
    return _spans(text, parsed.positive)


def _snippet(text: str, spans: Sequence[Span], width: int = SNIPPET_CHARS) -> Snippet:
    """About `width` characters of `text` around the first span, cut at spaces."""
    size = len(text)
    lo, hi = 0, size
    if size > width:
        first_start, first_end = spans[0] if spans else (0, 0)
        lo = max(0, first_start - width // 3)
        hi = min(size, max(lo + width, first_end))
        if hi == size:
            lo = max(0, min(lo, size - width))
        if lo > 0:
            space = text.find(" ", lo, first_start)
            if space != -1:
                lo = space + 1
        if hi < size:
            space = text.rfind(" ", first_end, hi)
            if space != -1:
                hi = space
    while lo < hi and text[lo].isspace():
        lo += 1
    while hi > lo and text[hi - 1].isspace():
        hi -= 1
    prefix = "…" if lo > 0 else ""
    suffix = "…" if hi < size else ""
    body = sanitize_same_length(text[lo:hi]).replace("\n", " ")
    shift = len(prefix) - lo
    highlights = tuple(
        (max(start, lo) + shift, min(end, hi) + shift)
        for start, end in spans
        if start < hi and end > lo
    )
    return Snippet(prefix + body + suffix, highlights)


# --- the plan a backend runs -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Plan:
    """What a backend needs: terms that must match, must not, and an optional ranking bonus.

    `boost` is the query's plain words as one phrase: rows where they stand next
    to each other, in order, score higher; it never changes which rows match.
    """

    must: tuple[Term, ...]
    must_not: tuple[Term, ...]
    boost: Term | None

    @classmethod
    def of(cls, query: Query) -> _Plan:
        must = query.positive
        boost = None
        if len(must) > 1 and not any(t.prefix for t in must):
            tokens = tuple(token for t in must for token in t.tokens)
            boost = Term(tokens, quoted=True)
        return cls(must, query.negative, boost)

    @property
    def scored(self) -> tuple[Term, ...]:
        return self.must + ((self.boost,) if self.boost else ())

    def fts5(self) -> str:
        """The FTS5 MATCH expression: every term a quoted string, never user syntax."""

        phrase = _phrase
        expression = " AND ".join(phrase(t) for t in self.must)
        if self.boost is not None:
            expression = f"({expression}) OR {phrase(self.boost)}"
        if self.must_not:
            expression = f"({expression}) NOT ({' OR '.join(phrase(t) for t in self.must_not)})"
        return expression


def _phrase(term: Term) -> str:
    """A term as an FTS5 phrase: a quoted string (prefix: followed by *), never user syntax."""
    quoted = '"' + " ".join(term.tokens).replace('"', '""') + '"'
    return quoted + " *" if term.prefix else quoted


# --- backends -----------------------------------------------------------------------------
#
# Both backends rank with bm25 as SQLite FTS5 defines it (k1 = 1.2, b = 0.75, idf clamped
# at 1e-6), with one difference: a row's length is min(tokens, _LEN_MAX), read from its rowid,
# and the average length is the mean of those, given by the index. They agree on matches,
# scores and order (ties by rowid, which follows the order rows were added in).

_TABLES = {"p": 1, "r": len(RECORD_COLUMNS)}
_WEIGHTS = {"p": (1.0,), "r": RECORD_WEIGHTS}


def _idf(rows: int, hits: int) -> float:
    return max(math.log((rows - hits + 0.5) / (hits + 0.5)), 1e-6)


@lru_cache(maxsize=1)
def fts5_available() -> bool:
    """Whether this Python's SQLite was built with FTS5."""
    try:
        connection = sqlite3.connect(":memory:")
        try:
            connection.execute("CREATE VIRTUAL TABLE probe USING fts5(body)")
        finally:
            connection.close()
    except sqlite3.Error:
        return False
    return True


class _Fts5Backend:
    """SQLite FTS5 tables: contentless, no stored row sizes, folded words, ranked by bm25.

    Why no row sizes (columnsize=0): FTS5's bm25 looks each matching row's size up in
    a table of its own, and that look-up is most of the cost of ranking a word found in
    thousands of rows (30 ms instead of 6 for 15,000 rows). Without it, FTS5 counts
    every row as the same length D0 (-1 per column, as FTS5 does for a contentless
    table), and bm25 gives idf * F * (k1 + 1) / (F + K0), with F the weighted count of
    the phrase in the row and K0 = k1 * (1 - b + b * D0 / avgdl) a constant. bm25()
    reads its column weights per row, so weighting each column by w = K0 / K, where
    K = k1 * (1 - b + b * length / average) is the row's own normaliser (its length
    is in its rowid), gives back exactly idf * F * (k1 + 1) / (F + K): the real bm25.
    K0 is measured once on a row whose counts are known, not assumed.
    """

    name = "fts5"

    def __init__(self, db: sqlite3.Connection | None = None) -> None:
        """A new, empty index; or, with `db`, one read back from the cache (see set_norms)."""
        if db is None:
            db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        self._db = db
        self._weights: dict[str, str] = {}
        self.norms: dict[str, tuple[float, float]] = {}  # table -> (K0, average row length)

    def _create(self, table: str, columns: int) -> None:
        names = ", ".join(f"c{i}" for i in range(columns))
        # ascii tokenizer: ASCII letters/digits and every non-ASCII character are word
        # characters; folding has already turned every other character into a space.
        self._db.execute(
            f"CREATE VIRTUAL TABLE {table} USING fts5({names}, tokenize='ascii', content='', "
            "columnsize=0)"
        )
        # Bigger pages: about 10% faster to build, no slower to query.
        with contextlib.suppress(sqlite3.Error):
            self._db.execute(f"INSERT INTO {table}({table}, rank) VALUES ('pgsz', 65536)")
        self._db.execute(f"CREATE TABLE {table}_group(id INTEGER PRIMARY KEY, grp INTEGER)")

    def add(
        self,
        table: str,
        rows: Sequence[tuple[int, tuple[str, ...]]],
        groups: Sequence[int],
        average: float,
    ) -> None:
        """Index all of a table's rows at once (a table is added once)."""
        columns = _TABLES[table]
        self._create(table, columns)
        self._insert(table, columns, rows, groups)
        k0 = self._measure_k0(table, rows)
        if k0 is not None and abs(k0) < 1e-3:
            # K0 ~ 0 would erase the weights; another (empty) column moves D0 off it.
            self._db.execute(f"DROP TABLE {table}")
            self._db.execute(f"DROP TABLE {table}_group")
            self._create(table, columns + 1)
            self._insert(table, columns, rows, groups)
            k0 = self._measure_k0(table, rows)
            if k0 is not None and abs(k0) < 1e-3:
                raise RuntimeError("FTS5 bm25 cannot be weighted by row length here")
        self.set_norms(table, 1.0 if k0 is None else k0, average)

    def set_norms(self, table: str, k0: float, average: float) -> None:
        """The bm25 weights of a table, from FTS5's K0 and the average row length.

        Only floats go into this SQL, so norms read from a cache file cannot inject any.
        """
        k0, average = float(k0), float(average)
        if not (math.isfinite(k0) and math.isfinite(average) and average > 0):
            raise ValueError("bad bm25 norms")
        self.norms[table] = (k0, average)
        base = _K1 * (1 - _B)
        slope = _K1 * _B / average
        self._weights[table] = ", ".join(
            f"{weight * k0!r} / ({base!r} + {slope!r} * ({table}.rowid & {_LEN_MAX}))"
            for weight in _WEIGHTS[table]
        )

    def _insert(
        self,
        table: str,
        columns: int,
        rows: Sequence[tuple[int, tuple[str, ...]]],
        groups: Sequence[int],
    ) -> None:
        names = ", ".join(f"c{i}" for i in range(columns))
        marks = ", ".join("?" * (columns + 1))
        self._db.execute("BEGIN")
        try:
            self._db.executemany(
                f"INSERT INTO {table}(rowid, {names}) VALUES ({marks})",
                ((rowid, *cols) for rowid, cols in rows),
            )
            self._db.executemany(
                f"INSERT INTO {table}_group VALUES (?, ?)",
                ((rowid, group) for (rowid, _), group in zip(rows, groups, strict=True)),
            )
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _measure_k0(self, table: str, rows: Sequence[tuple[int, tuple[str, ...]]]) -> float | None:
        """K0 from FTS5's unweighted bm25 of a word in a row where its count is known."""
        for rowid, cols in rows:
            tokens = [t for col in cols for t in _INDEX_TOKEN.findall(col) if t != "\ue000"]
            if not tokens:
                continue
            word = tokens[0]
            phrase = '"' + word.replace('"', '""') + '"'
            hits = self._db.execute(
                f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", (phrase,)
            ).fetchone()[0]
            score = -self._db.execute(
                f"SELECT bm25({table}) FROM {table} WHERE {table} MATCH ? AND rowid = ?",
                (phrase, rowid),
            ).fetchone()[0]
            freq = float(sum(1 for t in tokens if t == word))
            return _idf(len(rows), hits) * freq * (_K1 + 1) / score - freq
        return None

    def _query(
        self, table: str, plan: _Plan, groups: frozenset[int] | None
    ) -> tuple[str, str, str]:
        """(FROM ... JOIN, WHERE, the MATCH expression) for a plan."""
        where = f"{table} MATCH ?"
        join = ""
        if groups is not None:
            # Only integers this module computed are inlined; user text goes in as a parameter.
            listed = ",".join(str(int(g)) for g in sorted(groups))
            join = f" JOIN {table}_group AS g ON g.id = {table}.rowid"
            where += f" AND g.grp IN ({listed})"
        return f"{table}{join}", where, plan.fts5()

    def rows_with_any(
        self, table: str, plan: _Plan, terms: Sequence[Term], columns: Sequence[int]
    ) -> set[int]:
        """Rowids of matching rows (maybe more) where any of `terms` is in one of `columns`."""
        if not terms or table not in self._weights:
            return set()
        spec = "{" + " ".join(f"c{int(c)}" for c in columns) + "}"
        expression = " OR ".join(f"{spec} : {_phrase(t)}" for t in terms)
        expression = f"({plan.fts5()}) AND ({expression})"
        rows = self._db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", (expression,))
        return {rowid for (rowid,) in rows}

    def count(self, table: str, plan: _Plan, groups: frozenset[int] | None) -> int:
        source, where, expression = self._query(table, plan, groups)
        return self._db.execute(
            f"SELECT count(*) FROM {source} WHERE {where}", (expression,)
        ).fetchone()[0]

    def ranked(
        self, table: str, plan: _Plan, groups: frozenset[int] | None, limit: int | None = None
    ) -> Iterator[tuple[int, float]]:
        """(rowid, score) of matching rows, best first; read lazily when limit is None."""
        if table not in self._weights:
            return iter(())
        source, where, expression = self._query(table, plan, groups)
        sql = (
            f"SELECT {table}.rowid, bm25({table}, {self._weights[table]}) AS score "
            f"FROM {source} WHERE {where} ORDER BY score, {table}.rowid"
        )
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        cursor = self._db.execute(sql, (expression,))
        return ((rowid, -score) for rowid, score in cursor)

    def scores_of(
        self, table: str, plan: _Plan, groups: frozenset[int] | None, rowids: Iterable[int]
    ) -> list[tuple[int, float]]:
        """(rowid, score) of those of `rowids` that match, in no particular order."""
        if table not in self._weights:
            return []
        source, where, expression = self._query(table, plan, groups)
        # Only integers are inlined; user text goes in as a parameter. The unary + keeps
        # SQLite from running the MATCH once per listed rowid (slow for a prefix): the
        # matches are read once and filtered.
        listed = ",".join(str(int(rowid)) for rowid in rowids)
        sql = (
            f"SELECT {table}.rowid, bm25({table}, {self._weights[table]}) FROM {source} "
            f"WHERE {where} AND +{table}.rowid IN ({listed})"
        )
        return [(rowid, -score) for rowid, score in self._db.execute(sql, (expression,))]

    def search(
        self, table: str, plan: _Plan, groups: frozenset[int] | None, limit: int
    ) -> tuple[list[tuple[int, float]], int]:
        found = list(self.ranked(table, plan, groups, limit))
        total = len(found)
        if total >= limit:
            total = self.count(table, plan, groups)
        return found, total

    def close(self) -> None:
        self._db.close()


class _PyTable:
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
            number = _number(rowid)
            if number != len(self.texts) + 1:
                raise ValueError("rows must be added numbered 1, 2, 3, ...")
            self.texts.append(cols)
            self.rowids.append(rowid)
            self.groups.append(group)
            seen: set[str] = set()
            for col in cols:
                seen.update(_INDEX_TOKEN.findall(col))
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
            sum(1 for _ in _find(col, term, _INDEX_TOKEN)) for col in self.texts[number - 1]
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

    def _matches(self, plan: _Plan, groups: frozenset[int] | None) -> list[tuple[int, float]]:
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
            idf = _idf(total_rows, len(found))
            for number in matched:
                counts = found.get(number)
                if not counts:
                    continue
                tf = sum(w * c for w, c in zip(self.weights, counts, strict=True))
                length = self.rowids[number - 1] & _LEN_MAX
                norm = _K1 * (1 - _B + _B * length / self.average)
                scores[number] += idf * tf * (_K1 + 1) / (tf + norm)
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [(self.rowids[number - 1], score) for number, score in ranked]


class _PythonBackend:
    """The fallback when SQLite lacks FTS5: same matches, same bm25 formula, slower."""

    name = "python"

    def __init__(self) -> None:
        self._tables = {
            table: _PyTable(columns, _WEIGHTS[table]) for table, columns in _TABLES.items()
        }

    def add(
        self,
        table: str,
        rows: Sequence[tuple[int, tuple[str, ...]]],
        groups: Sequence[int],
        average: float,
    ) -> None:
        self._tables[table].add(rows, groups, average)

    def rows_with_any(
        self, table: str, plan: _Plan, terms: Sequence[Term], columns: Sequence[int]
    ) -> set[int]:
        return self._tables[table].rows_with_any(terms, columns)

    def count(self, table: str, plan: _Plan, groups: frozenset[int] | None) -> int:
        return len(self._tables[table]._matches(plan, groups))

    def ranked(
        self, table: str, plan: _Plan, groups: frozenset[int] | None, limit: int | None = None
    ) -> Iterator[tuple[int, float]]:
        found = self._tables[table]._matches(plan, groups)
        return iter(found if limit is None else found[:limit])

    def scores_of(
        self, table: str, plan: _Plan, groups: frozenset[int] | None, rowids: Iterable[int]
    ) -> list[tuple[int, float]]:
        wanted = set(rowids)
        return [item for item in self._tables[table]._matches(plan, groups) if item[0] in wanted]

    def search(
        self, table: str, plan: _Plan, groups: frozenset[int] | None, limit: int
    ) -> tuple[list[tuple[int, float]], int]:
        found = self._tables[table]._matches(plan, groups)
        return found[:limit], len(found)

    def close(self) -> None:
        self._tables.clear()


# --- what gets indexed ------------------------------------------------------------------------


def _passages(text: str, sentences: Sequence[Span]) -> Iterator[Span]:
    """Sentences of one paragraph grouped up to PASSAGE_CHARS; over-long ones cut at spaces."""
    start = end = -1
    for s, e in sentences:
        if start >= 0 and (e - start > PASSAGE_CHARS or text.find("\n", end, s) != -1):
            yield from _cut(text, start, end)
            start = -1
        if start < 0:
            start = s
        end = e
    if start >= 0:
        yield from _cut(text, start, end)


def _cut(text: str, start: int, end: int) -> Iterator[Span]:
    """A span no longer than 2 * PASSAGE_CHARS, cut at white space where possible."""
    while end - start > 2 * PASSAGE_CHARS:
        cut = text.rfind(" ", start + PASSAGE_CHARS // 2, start + PASSAGE_CHARS)
        if cut == -1:
            cut = start + PASSAGE_CHARS
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


def _record_fields(record: AnyRecord) -> list[tuple[str, str]]:
    """(field, text) of everything worth finding in a record, most telling first."""
    fields: list[tuple[str, str]] = [
        ("title" if isinstance(record, Source) else "name", record.name)
    ]
    fields.extend(("alias", alias) for alias in record.aliases)
    amounts = []
    if isinstance(record, Deal | Event) and record.amount is not None:
        amounts.append(record.amount.text)
    if isinstance(record, Claim):
        amounts.extend(side.amount.text for side in record.sides if side.amount is not None)
    fields.extend(("amount", text) for text in amounts)
    fields.append(("summary", record.summary))
    if isinstance(record, Person):
        fields.extend(("role", role.title) for role in record.roles)
    elif isinstance(record, Company):
        fields.extend(("fact", f"{fact.label}: {fact.value}") for fact in record.facts)
    elif isinstance(record, Deal):
        fields.extend(("term", term.text) for term in record.terms)
    elif isinstance(record, Tension):
        fields.append(("category", record.category))
    elif isinstance(record, Claim):
        fields.extend(("says", side.says) for side in record.sides)
    elif isinstance(record, Source):
        fields.extend(
            (name, value)
            for name, value in (("publisher", record.publisher), ("url", record.url))
            if value
        )
    return [(name, text) for name, text in fields if text and text.strip()]


def _day(key: tuple[int, ...]) -> int:
    return key[0] * 10_000 + key[1] * 100 + key[2]


def _date_keys(date: PartialDate | None) -> tuple[int, int] | None:
    """(earliest, latest) possible day as yyyymmdd integers, or None when undated."""
    if date is None:
        return None
    return _day(date.sort_key), _day(date.latest_key)


def _in_dates(keys: tuple[int, int] | None, query: Query) -> bool:
    """after:D keeps what is certainly on or after D begins; before:D what certainly ends before."""
    if query.after is None and query.before is None:
        return True
    if keys is None:
        return False
    if query.after is not None and keys[0] < _day(query.after.sort_key):
        return False
    return not (query.before is not None and keys[1] >= _day(query.before.sort_key))


# --- the index -------------------------------------------------------------------------------

# A word found in at least _AHEAD_ROWS rows of a table has its best _AHEAD_LIMIT rows ranked
# when the index is built (about 0.2 s for a large dossier; see _Ahead).
_AHEAD_ROWS = 4000
_AHEAD_LIMIT = 128
# Which words are that common is estimated from every _SAMPLE_STEP-th row, then counted.
_SAMPLE_STEP = 16


def _common_words(rows: Sequence[tuple[int, tuple[str, ...]]]) -> list[str]:
    """Words that a sample of the rows suggests may be in _AHEAD_ROWS rows or more.

    (SQLite's fts5vocab would list every word's count, but its full scan stops short
    on some tables in SQLite 3.40, so the index does not rely on it.) A word the
    sample misses is only slower to rank, never ranked differently.
    """
    seen: dict[str, int] = {}
    get = seen.get
    for _, columns in rows[::_SAMPLE_STEP]:
        for word in set(_INDEX_TOKEN.findall(" ".join(columns))):
            seen[word] = get(word, 0) + 1
    least = _AHEAD_ROWS / _SAMPLE_STEP / 2
    return sorted(word for word, n in seen.items() if n >= least and word != "\ue000")


@dataclass(frozen=True, slots=True)
class _Ahead:
    """The best rows of one word, ranked when the index was built ("champion lists").

    A one-word query is what a user types first, and a common word matches half of
    a large dossier's passages: SQLite would score and sort 15,000 rows (about 8 ms
    of a 12 ms answer) to show the best 100. Ranked once ahead, the answer is a
    slice of these arrays, exactly what the query itself gives (the same SQL made
    them), with the number of matches kept beside it.
    """

    rowids: array[int]
    scores: array[float]
    total: int


def _single_word(plan: _Plan) -> str | None:
    """The word of a query that is one plain word and nothing else, or None."""
    if len(plan.must) != 1 or plan.must_not or plan.boost is not None:
        return None
    term = plan.must[0]
    return term.tokens[0] if len(term.tokens) == 1 and not term.prefix else None


class SearchIndex:
    """Full-text index of one dossier's source passages and records.

    Get it with SearchIndex.open_or_build(dossier) in a worker: about 0.15 s from
    the disk cache (model.searchcache), else a build (about 4 s for a large dossier
    of 10 MB of text on a 2-core machine, most of it SQLite's own indexing).
    search() may then be called from any thread: a lock serialises calls, and each
    answers in a few milliseconds (see _Ahead for common words).
    """

    def __init__(self, dossier: Dossier, backend: _Fts5Backend | _PythonBackend) -> None:
        self.dossier = dossier
        self._backend = backend
        self._lock = threading.Lock()
        # Source ids only: a source is built when a hit or a filter needs it. Building all
        # 2,000 of a large dossier took most of opening the index from the cache.
        self._source_ids: tuple[str, ...] = tuple(dossier.ids("source"))
        self._source_index = {source_id: i for i, source_id in enumerate(self._source_ids)}
        self._source_dates: list[tuple[int, int] | None] | None = None
        # passages: row number - 1 -> (source index, start, end), in compact arrays
        self._p_source = array("l")
        self._p_start = array("l")
        self._p_end = array("l")
        # records: row number - 1 -> record; what filters need is computed when first asked
        self._records = _RecordRows(dossier)
        self._record_dates: list[tuple[int, int] | None] | None = None
        self._filter_cache: dict[tuple[object, ...], frozenset[int] | None] = {}
        self._ahead: dict[tuple[str, str], _Ahead] = {}  # (table, word) -> its best rows
        self.from_cache = False  # read back from the cache file rather than built
        self._common: dict[str, list[str]] = {}  # table -> words that may be in many rows

    @property
    def backend(self) -> Literal["fts5", "python"]:
        """Which engine answers: "fts5" (SQLite) or "python" (the fallback)."""
        return self._backend.name  # type: ignore[return-value]

    @property
    def passage_count(self) -> int:
        return len(self._p_source)

    @property
    def record_count(self) -> int:
        return len(self._records)

    @classmethod
    def build(cls, dossier: Dossier, *, use_fts5: bool | None = None) -> SearchIndex:
        """Index every source passage and every record of `dossier`, in memory.

        use_fts5: None picks SQLite FTS5 when this Python has it; False forces the
        pure-Python fallback (for tests, or to compare); True insists on FTS5 and
        raises RuntimeError when it is missing.
        """
        if use_fts5 is None:
            use_fts5 = fts5_available()
        elif use_fts5 and not fts5_available():
            raise RuntimeError("this Python's SQLite has no FTS5")
        index = cls(dossier, _Fts5Backend() if use_fts5 else _PythonBackend())
        index._index_passages()
        index._index_records()
        if index._backend.name == "fts5":  # the fallback is slow to build as it is
            index._rank_ahead()
        index._common.clear()
        return index

    @classmethod
    def open_or_build(cls, dossier: Dossier) -> SearchIndex:
        """The dossier's index from the cache in the user's cache folder, else built and cached.

        What a session should call: the first search of a large dossier then costs
        tens of milliseconds instead of seconds whenever the dossier is unchanged
        since the index was last built (see model.searchcache). Without a cache key
        (dossier.fingerprint is None), with PARTNERSHIP_TUI_NO_CACHE=1, or without
        FTS5, this is build(). A cache problem never fails it: it builds instead.
        """
        from . import indexcache as searchcache

        index = searchcache.load(dossier)
        if index is None:
            index = cls.build(dossier)
            searchcache.store(index)
        return index

    def _index_passages(self) -> None:
        rows: list[tuple[int, tuple[str, ...]]] = []
        groups: list[int] = []
        total = 0
        for number, source in enumerate(self.dossier.each_of_kind("source")):
            if not isinstance(source, Source) or source.id != self._source_ids[number]:
                raise RuntimeError("the dossier's sources changed while being indexed")
            text = source.text
            sentences = source.sentences or split_sentences(text)
            for start, end in _passages(text, sentences):
                folded = fold(text[start:end])
                length = min(_count_tokens(folded), _LEN_MAX)
                total += length
                rows.append((_rowid(len(rows) + 1, length), (folded,)))
                groups.append(number)
                self._p_source.append(number)
                self._p_start.append(start)
                self._p_end.append(end)
        self._backend.add("p", rows, groups, (total / len(rows)) if rows else 1.0)
        self._common["p"] = _common_words(rows)

    def _index_records(self) -> None:
        rows: list[tuple[int, tuple[str, ...]]] = []
        total = 0
        column_of = _COLUMN_OF_FIELD.get
        for record in _all_records(self.dossier):
            columns: list[list[str]] = [[] for _ in RECORD_COLUMNS]
            for name, text in _record_fields(record):
                columns[column_of(name, 4)].append(fold(text))
            folded = tuple(_GAP.join(col) for col in columns)
            length = min(_count_tokens(" ".join(folded)), _LEN_MAX)
            total += length
            self._records.append(record)
            rows.append((_rowid(len(rows) + 1, length), folded))
        numbers = range(1, len(rows) + 1)
        self._backend.add("r", rows, numbers, (total / len(rows)) if rows else 1.0)

    # -- filters --

    def _check_sources(self, query: Query) -> None:
        for source_id in sorted(query.sources | query.not_sources):
            if source_id not in self._source_index:
                ids = list(self._source_index)
                close = difflib.get_close_matches(source_id, ids, n=1, cutoff=0.5)
                hint = f"did you mean {close[0]}?" if close else "source ids: " + ", ".join(ids[:8])
                if not close and len(ids) > 8:
                    hint += ", …"
                raise QueryError(f"no source called {source_id!r}", hint)

    def _passage_groups(self, query: Query) -> frozenset[int] | None:
        """Source numbers whose passages may match, or None for all of them."""
        if not (query.sources or query.not_sources or query.after or query.before):
            return None
        key = ("p", query.sources, query.not_sources, query.after, query.before)
        if key not in self._filter_cache:
            if self._source_dates is None:
                self._source_dates = [
                    _date_keys(source.published)  # type: ignore[union-attr]
                    for source in self.dossier.each_of_kind("source")
                ]
            allowed = {
                number
                for number, source_id in enumerate(self._source_ids)
                if (not query.sources or source_id in query.sources)
                and source_id not in query.not_sources
                and _in_dates(self._source_dates[number], query)
            }
            self._remember(key, frozenset(allowed))
        return self._filter_cache[key]

    def _record_groups(self, query: Query) -> frozenset[int] | None:
        """Record numbers (1, 2, ...) that may match, or None for all of them."""
        if not (
            query.kinds
            or query.not_kinds
            or query.sources
            or query.not_sources
            or query.after
            or query.before
        ):
            return None
        key = (
            "r",
            query.kinds,
            query.not_kinds,
            query.sources,
            query.not_sources,
            query.after,
            query.before,
        )
        if key not in self._filter_cache:
            if self._record_dates is None:
                self._record_dates = [_date_keys(record_date(r)) for r in self._records]
            citing: set[str] = set()
            for source_id in query.sources:
                citing.add(source_id)  # the source record itself
                citing.update(record_id for record_id, _ in self.dossier.citations_in(source_id))
            allowed = set()
            for number, record in enumerate(self._records):
                if query.kinds and record.kind not in query.kinds:
                    continue
                if record.kind in query.not_kinds or record.id in query.not_sources:
                    continue
                if query.sources and record.id not in citing:
                    continue
                if _in_dates(self._record_dates[number], query):
                    allowed.add(number + 1)
            self._remember(key, frozenset(allowed))
        return self._filter_cache[key]

    def _remember(self, key: tuple[object, ...], value: frozenset[int]) -> None:
        if len(self._filter_cache) > 64:
            self._filter_cache.clear()
        self._filter_cache[key] = value

    # -- searching --

    def search(self, query: str | Query, limit: int = 50) -> SearchResults:
        """Ranked record and passage hits for a query (see model.query for the language).

        At most `limit` hits of each list are returned; the totals count all.
        Raises QueryError (with .hint) when the query cannot be run; a query that
        runs but reads differently from how it looks explains itself in .hint.
        """
        parsed = parse_query(query) if isinstance(query, str) else query
        limit = max(0, int(limit))
        self._check_sources(parsed)
        plan = _Plan.of(parsed)
        records: list[RecordHit] = []
        passages: list[PassageHit] = []
        total_records = total_passages = 0
        with self._lock:
            if parsed.wants_records and limit:
                groups = self._record_groups(parsed)
                if groups is None or groups:
                    ranked, total_records = self._ranked_records(plan, groups, limit)
                    records = [self._record_hit(rowid, score, parsed) for rowid, score in ranked]
            if parsed.wants_passages and limit:
                groups = self._passage_groups(parsed)
                if groups is None or groups:
                    found, total_passages = self._ranked_passages(plan, groups, limit)
                    passages = [self._passage_hit(rowid, score, parsed) for rowid, score in found]
        return SearchResults(
            query=parsed,
            records=tuple(records),
            passages=tuple(passages),
            total_records=total_records,
            total_passages=total_passages,
            hint="; ".join(parsed.notes) or None,
        )

    def _ranked_passages(
        self, plan: _Plan, groups: frozenset[int] | None, limit: int
    ) -> tuple[list[tuple[int, float]], int]:
        """The best `limit` passages as (rowid, score), and the number of matches."""
        ahead = self._ranked_ahead("p", plan, groups, limit)
        if ahead is not None:
            return ahead
        return self._backend.search("p", plan, groups, limit)

    def _ranked_records(
        self, plan: _Plan, groups: frozenset[int] | None, limit: int
    ) -> tuple[list[tuple[int, float]], int]:
        """The best `limit` records as (rowid, score), and the number of matches."""
        ahead = self._ranked_ahead("r", plan, groups, limit)
        if ahead is not None:
            return ahead
        return self._rank_by_name(plan, groups, limit)

    def _ranked_ahead(
        self, table: str, plan: _Plan, groups: frozenset[int] | None, limit: int
    ) -> tuple[list[tuple[int, float]], int] | None:
        """The answer from the lists ranked at build time, when they hold all of it.

        Filtering keeps the order, so when at least `limit` of a list's rows pass the
        filter, they are the best `limit` of every match that passes: a row left out of
        the list ranks below all of the list's rows.
        """
        word = _single_word(plan)
        ahead = self._ahead.get((table, word)) if word is not None else None
        if ahead is None:
            return None
        complete = len(ahead.rowids) == ahead.total
        if groups is None:
            if limit <= len(ahead.rowids) or complete:
                return list(zip(ahead.rowids[:limit], ahead.scores[:limit], strict=True)), (
                    ahead.total
                )
            return None
        group_of = self._p_source.__getitem__ if table == "p" else (lambda n: n + 1)
        picked = [
            (rowid, score)
            for rowid, score in zip(ahead.rowids, ahead.scores, strict=True)
            if group_of(_number(rowid) - 1) in groups
        ]
        if complete:
            return picked[:limit], len(picked)
        if len(picked) >= limit:
            return picked[:limit], self._backend.count(table, plan, groups)
        return None

    def _rank_ahead(self) -> None:
        """Rank, once, the best rows of each word found in very many rows (see _Ahead)."""
        for table in ("p",):
            for word in self._common.pop(table, ()):
                plan = _Plan((Term((word,)),), (), None)
                if self._backend.count(table, plan, None) < _AHEAD_ROWS:
                    continue
                if table == "p":
                    found, total = self._backend.search("p", plan, None, _AHEAD_LIMIT)
                else:
                    found, total = self._rank_by_name(plan, None, _AHEAD_LIMIT)
                self._ahead[table, word] = _Ahead(
                    array("q", (rowid for rowid, _ in found)),
                    array("d", (score for _, score in found)),
                    total,
                )

    def _rank_by_name(
        self, plan: _Plan, groups: frozenset[int] | None, limit: int
    ) -> tuple[list[tuple[int, float]], int]:
        """The best `limit` records by bm25 times (1 + the share of a name the query covers).

        bm25 normalises by the length of the whole record (summary, roles...), so
        the person "Mustafa Suleyman" would trail an event "Microsoft hires Mustafa
        Suleyman to lead ..." for the query "Suleyman". Weighing how much of the
        name the query covers puts the record that *is* what was typed first.

        Only a record with a query word in its name or an alias can get more than its
        bm25, and the index finds those at once. So matches are read best bm25 first,
        names are looked at only for those records: the answer is the best of them
        (bm25 times the factor) and of the best `limit` others (bm25 alone), the same
        result as re-ranking every match, from two queries that SQLite answers with a
        bounded sort. Returns the ranked (rowid, score) and the number of matches.
        """
        words: set[str] = set()
        prefixes: list[str] = []
        for term in plan.must:
            words.update(term.tokens[:-1] if term.prefix else term.tokens)
            if term.prefix:
                prefixes.append(term.tokens[-1])
        starts = tuple(prefixes)
        named_terms = [Term((w,)) for w in sorted(words)] + [
            Term((p,), prefix=True) for p in sorted(set(prefixes))
        ]
        named = self._backend.rows_with_any("r", plan, named_terms, (0, 1))
        if len(named) > _NAMED_AT_ONCE:
            return self._rank_by_name_streaming(plan, groups, words, starts, named, limit)
        # The best `limit` records are among the named ones (whatever their bm25) and the
        # best `limit` of the others by bm25 alone: two bounded queries, where reading the
        # matches best first would have SQLite score and sort every one of them first.
        wanted = limit + len(named)
        top = list(self._backend.ranked("r", plan, groups, wanted))
        everything = len(top) < wanted  # every match was read
        total = len(top) if everything else self._backend.count("r", plan, groups)
        scored = [(score, -rowid) for rowid, score in top if rowid not in named][:limit]
        if named:
            if everything:
                named_scores = [(rowid, score) for rowid, score in top if rowid in named]
            else:
                named_scores = self._backend.scores_of("r", plan, groups, named)
            for rowid, score in named_scores:
                factor = 1.0 + self._name_cover(rowid, words, starts)
                scored.append((score * factor, -rowid))
        best = heapq.nlargest(limit, scored)
        return [(-neg, score) for score, neg in best], total

    def _name_cover(self, rowid: int, words: set[str], starts: tuple[str, ...]) -> float:
        """The largest share of the record's name (or an alias) that the query's words cover."""
        record = self._records[_number(rowid) - 1]
        cover = 0.0
        for name in (record.name, *record.aliases):
            tokens = tokenize(name)
            if tokens:
                hit = sum(1 for t in tokens if t in words or t.startswith(starts))
                cover = max(cover, hit / len(tokens))
        return cover

    def _rank_by_name_streaming(
        self,
        plan: _Plan,
        groups: frozenset[int] | None,
        words: set[str],
        starts: tuple[str, ...],
        named: set[int],
        limit: int,
    ) -> tuple[list[tuple[int, float]], int]:
        """_rank_by_name for a word found in very many names: matches read best first,
        stopping as soon as no later one can make the first `limit` (the factor is at most 2).
        """
        best: list[tuple[float, int]] = []  # a min-heap of (score, -rowid): the worst on top
        read = 0
        matches = self._backend.ranked("r", plan, groups)
        for read, (rowid, score) in enumerate(matches, 1):  # noqa: B007 (read after the loop)
            full = len(best) >= limit
            if full and score * 2.0 < best[0][0]:
                break  # not even a name matched in full could lift this one or any after it
            factor = 1.0 + self._name_cover(rowid, words, starts) if rowid in named else 1.0
            item = (score * factor, -rowid)
            if not full:
                heapq.heappush(best, item)
            elif item > best[0]:
                heapq.heapreplace(best, item)
        else:
            total = read  # read to the end: every match was counted
            return [(-neg, score) for score, neg in sorted(best, reverse=True)], total
        total = self._backend.count("r", plan, groups)
        return [(-neg, score) for score, neg in sorted(best, reverse=True)], total

    def _record_hit(self, rowid: int, score: float, query: Query) -> RecordHit:
        record = self._records[_number(rowid) - 1]
        fields = _record_fields(record)
        best: tuple[int, str, str, list[Span]] | None = None
        for name, text in fields:
            matched = _spans_by_term(text, query.positive)
            found = sum(1 for spans in matched if spans)
            if found and (best is None or found > best[0]):
                best = (found, name, text, sorted(s for spans in matched for s in spans))
        if best is None:  # matched through a word split across fields: show the name
            name, text = fields[0]
            best = (0, name, text, [])
        _, name, text, spans = best
        return RecordHit(record.id, record.kind, name, _snippet(text, _merge(spans)), score)

    def _passage_hit(self, rowid: int, score: float, query: Query) -> PassageHit:
        number = _number(rowid) - 1
        source = self.dossier[self._source_ids[self._p_source[number]]]
        assert isinstance(source, Source)
        start, end = self._p_start[number], self._p_end[number]
        text = source.text[start:end]
        spans = _spans(text, query.positive)
        highlights = tuple((start + s, start + e) for s, e in spans)
        return PassageHit(source.id, start, end, _snippet(text, spans), highlights, score)

    def close(self) -> None:
        """Free the index (the SQLite connection)."""
        with self._lock:
            self._backend.close()


def _merge(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


class _RecordRows(Sequence[AnyRecord]):
    """Row number - 1 -> record, holding only ids: the dossier builds what is asked for.

    Keeping the records themselves would hold every record of a large dossier
    in memory (hundreds of MB) for the sake of the few a search shows.
    """

    def __init__(self, dossier: Dossier) -> None:
        self._dossier = dossier
        self._ids: list[str] = []

    def append(self, record: AnyRecord) -> None:
        self._ids.append(record.id)

    def __len__(self) -> int:
        return len(self._ids)

    def __getitem__(self, index: int) -> AnyRecord:  # type: ignore[override]
        return self._dossier[self._ids[index]]


def _all_records(dossier: Dossier) -> Iterator[AnyRecord]:
    for kind in KINDS:
        yield from dossier.each_of_kind(kind)
