"""The SQLite FTS5 engine behind the index: its tables, the MATCH plan, bm25 weighting.

SQLite FTS5 ships in every CPython build we support (python.org installers,
Debian/Ubuntu, Homebrew, conda); where it is missing, `require_fts5` says so
clearly instead of searching slowly or wrongly.
"""

from __future__ import annotations

import contextlib
import math
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from .query import Query, Term

# Record columns and their bm25 weights: a word in a name counts five times one in a summary.
RECORD_COLUMNS = ("name", "alias", "amount", "summary", "detail")
RECORD_WEIGHTS = (10.0, 8.0, 5.0, 2.0, 1.0)
# bm25 constants, as in SQLite FTS5
BM25_K1 = 1.2
BM25_B = 0.75
# A row's length in tokens rides in the low bits of its rowid (rowid = number << 12 | length),
# so ranking never looks a length up: bm25 reads it from the rowid. Longer rows count as
# LEN_MAX tokens long, in both backends alike.
LEN_BITS = 12
LEN_MAX = (1 << LEN_BITS) - 1
# Records with a query word in their name are scored apart when there are at most this many;
# beyond that, matches are read best first until none can make the list (see _rank_by_name).
_NAMED_AT_ONCE = 2000
# What the index counts as a token: runs of letters and digits, and the column gap.
INDEX_TOKEN = re.compile(r"[^\W_]+|\ue000")
# Bytes that end a token for SQLite's "ascii" tokenizer: every ASCII character but letters
# and digits. Bytes of non-ASCII characters are token characters.
_SEPARATORS = bytes.maketrans(
    bytes(c for c in range(128) if not chr(c).isalnum()),
    b" " * sum(1 for c in range(128) if not chr(c).isalnum()),
)


def count_tokens(folded: str) -> int:
    """Tokens in a folded text, as SQLite's "ascii" tokenizer (and INDEX_TOKEN) cut it."""
    return len(folded.encode("utf-8", "surrogatepass").translate(_SEPARATORS).split())


def rowid_of(number: int, length: int) -> int:
    """The rowid of row `number` (1, 2, 3...) that is `length` tokens long."""
    return (number << LEN_BITS) | min(length, LEN_MAX)


def row_number(rowid: int) -> int:
    return rowid >> LEN_BITS


# --- the plan a backend runs -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Plan:
    """What a backend needs: terms that must match, must not, and an optional ranking bonus.

    `boost` is the query's plain words as one phrase: rows where they stand next
    to each other, in order, score higher; it never changes which rows match.
    """

    must: tuple[Term, ...]
    must_not: tuple[Term, ...]
    boost: Term | None

    @classmethod
    def of(cls, query: Query) -> Plan:
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
# at 1e-6), with one difference: a row's length is min(tokens, LEN_MAX), read from its rowid,
# and the average length is the mean of those, given by the index. They agree on matches,
# scores and order (ties by rowid, which follows the order rows were added in).

TABLES = {"p": 1, "r": len(RECORD_COLUMNS)}
WEIGHTS = {"p": (1.0,), "r": RECORD_WEIGHTS}


def idf(rows: int, hits: int) -> float:
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


class SearchUnavailable(RuntimeError):
    """This Python's SQLite was built without FTS5, which search needs."""


def require_fts5() -> None:
    """Raise SearchUnavailable, with what to do, when this Python's SQLite lacks FTS5.

    There is no slower fallback: every CPython build we support (python.org
    installers, Debian/Ubuntu, Homebrew, conda) ships SQLite with FTS5, so a
    build without it is one to replace, and a second engine would only hide it.
    """
    if not fts5_available():
        raise SearchUnavailable(
            f"search needs SQLite's FTS5, which this Python's SQLite {sqlite3.sqlite_version} "
            "was built without (use a python.org, distribution, Homebrew or conda build of Python)"
        )


class Fts5Backend:
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
        self.db = db
        self._weights: dict[str, str] = {}
        self.norms: dict[str, tuple[float, float]] = {}  # table -> (K0, average row length)

    def _create(self, table: str, columns: int) -> None:
        names = ", ".join(f"c{i}" for i in range(columns))
        # ascii tokenizer: ASCII letters/digits and every non-ASCII character are word
        # characters; folding has already turned every other character into a space.
        self.db.execute(
            f"CREATE VIRTUAL TABLE {table} USING fts5({names}, tokenize='ascii', content='', "
            "columnsize=0)"
        )
        # Bigger pages: about 10% faster to build, no slower to query.
        with contextlib.suppress(sqlite3.Error):
            self.db.execute(f"INSERT INTO {table}({table}, rank) VALUES ('pgsz', 65536)")
        self.db.execute(f"CREATE TABLE {table}_group(id INTEGER PRIMARY KEY, grp INTEGER)")

    def add(
        self,
        table: str,
        rows: Sequence[tuple[int, tuple[str, ...]]],
        groups: Sequence[int],
        average: float,
    ) -> None:
        """Index all of a table's rows at once (a table is added once)."""
        columns = TABLES[table]
        self._create(table, columns)
        self._insert(table, columns, rows, groups)
        k0 = self._measure_k0(table, rows)
        if k0 is not None and abs(k0) < 1e-3:
            # K0 ~ 0 would erase the weights; another (empty) column moves D0 off it.
            self.db.execute(f"DROP TABLE {table}")
            self.db.execute(f"DROP TABLE {table}_group")
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
        base = BM25_K1 * (1 - BM25_B)
        slope = BM25_K1 * BM25_B / average
        self._weights[table] = ", ".join(
            f"{weight * k0!r} / ({base!r} + {slope!r} * ({table}.rowid & {LEN_MAX}))"
            for weight in WEIGHTS[table]
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
        self.db.execute("BEGIN")
        try:
            self.db.executemany(
                f"INSERT INTO {table}(rowid, {names}) VALUES ({marks})",
                ((rowid, *cols) for rowid, cols in rows),
            )
            self.db.executemany(
                f"INSERT INTO {table}_group VALUES (?, ?)",
                ((rowid, group) for (rowid, _), group in zip(rows, groups, strict=True)),
            )
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _measure_k0(self, table: str, rows: Sequence[tuple[int, tuple[str, ...]]]) -> float | None:
        """K0 from FTS5's unweighted bm25 of a word in a row where its count is known."""
        for rowid, cols in rows:
            tokens = [t for col in cols for t in INDEX_TOKEN.findall(col) if t != "\ue000"]
            if not tokens:
                continue
            word = tokens[0]
            phrase = '"' + word.replace('"', '""') + '"'
            hits = self.db.execute(
                f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", (phrase,)
            ).fetchone()[0]
            score = -self.db.execute(
                f"SELECT bm25({table}) FROM {table} WHERE {table} MATCH ? AND rowid = ?",
                (phrase, rowid),
            ).fetchone()[0]
            freq = float(sum(1 for t in tokens if t == word))
            return idf(len(rows), hits) * freq * (BM25_K1 + 1) / score - freq
        return None

    def _query(self, table: str, plan: Plan, groups: frozenset[int] | None) -> tuple[str, str, str]:
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
        self, table: str, plan: Plan, terms: Sequence[Term], columns: Sequence[int]
    ) -> set[int]:
        """Rowids of matching rows (maybe more) where any of `terms` is in one of `columns`."""
        if not terms or table not in self._weights:
            return set()
        spec = "{" + " ".join(f"c{int(c)}" for c in columns) + "}"
        expression = " OR ".join(f"{spec} : {_phrase(t)}" for t in terms)
        expression = f"({plan.fts5()}) AND ({expression})"
        rows = self.db.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH ?", (expression,))
        return {rowid for (rowid,) in rows}

    def count(self, table: str, plan: Plan, groups: frozenset[int] | None) -> int:
        source, where, expression = self._query(table, plan, groups)
        return self.db.execute(
            f"SELECT count(*) FROM {source} WHERE {where}", (expression,)
        ).fetchone()[0]

    def ranked(
        self, table: str, plan: Plan, groups: frozenset[int] | None, limit: int | None = None
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
        cursor = self.db.execute(sql, (expression,))
        return ((rowid, -score) for rowid, score in cursor)

    def scores_of(
        self, table: str, plan: Plan, groups: frozenset[int] | None, rowids: Iterable[int]
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
        return [(rowid, -score) for rowid, score in self.db.execute(sql, (expression,))]

    def search(
        self, table: str, plan: Plan, groups: frozenset[int] | None, limit: int
    ) -> tuple[list[tuple[int, float]], int]:
        found = list(self.ranked(table, plan, groups, limit))
        total = len(found)
        if total >= limit:
            total = self.count(table, plan, groups)
        return found, total

    def listed(
        self,
        table: str,
        must_not: Sequence[Term],
        groups: frozenset[int] | None,
        limit: int,
    ) -> tuple[list[tuple[int, float]], int]:
        """The first `limit` rows (by rowid: the order rows were added in) in `groups` and
        without any of `must_not`, scored 0, and how many there are: a query of filters alone.
        """
        if table not in self._weights:
            return [], 0
        conditions: list[str] = []
        parameters: list[str] = []
        if groups is not None:
            # Only integers this module computed are inlined; user text goes in as a parameter.
            conditions.append(f"grp IN ({','.join(str(int(g)) for g in sorted(groups))})")
        if must_not:
            conditions.append(f"id NOT IN (SELECT rowid FROM {table} WHERE {table} MATCH ?)")
            parameters.append(" OR ".join(_phrase(t) for t in must_not))
        where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = self.db.execute(
            f"SELECT id FROM {table}_group{where} ORDER BY id LIMIT {int(limit)}", parameters
        ).fetchall()
        total = len(rows)
        if total >= limit:
            total = self.db.execute(
                f"SELECT count(*) FROM {table}_group{where}", parameters
            ).fetchone()[0]
        return [(rowid, 0.0) for (rowid,) in rows], total

    def close(self) -> None:
        self.db.close()
