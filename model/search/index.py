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
- Everything is folded first (model.search.query.fold: casefold, NFKD, marks stripped),
  and SQLite only ever sees folded words. SQLite FTS5 ranks with bm25
  (model.search.fts5; no fallback engine: every supported Python has FTS5).
- The query is parsed by model.search.query; the FTS5 MATCH expression is built
  from the parsed tokens, each one quoted, so user text is never query syntax.

The package, in the order a search runs: query (the language) -> rows (what is
indexed) -> fts5 (the engine and its MATCH plan) -> index (this module: build,
filter, rank) -> highlight and results (what a hit shows); indexcache keeps a
built index on disk.

This module is over 500 lines because ranking (common words ranked ahead, the
name-cover re-rank, the streaming variant) works on the index's own arrays and
backend; split apart, each piece would reach into the others' state.

Usage (a worker thread may build, another thread may search)::

    index = open_index(dossier)   # model.search.indexcache: from the disk cache, else build()
    results = index.search('altman -"board" after:2023', limit=50)   # may raise QueryError
    for hit in results.passages:
        source = dossier[hit.source_id]
        for start, end in hit.highlights:   # offsets into source.text
            ...
"""

from __future__ import annotations

import contextlib
import difflib
import heapq
import sqlite3
import threading
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from ..build.records import (
    AnyRecord,
    Source,
    record_date,
)
from ..build.text import split_sentences
from ..dossier.dossier import Dossier
from .fold import fold, tokenize
from .fts5 import (
    INDEX_TOKEN,
    LEN_MAX,
    RECORD_COLUMNS,
    Fts5Backend,
    Plan,
    count_tokens,
    fts5_available,
    require_fts5,
    row_number,
    rowid_of,
)
from .highlight import make_snippet, match_spans, merge_spans, spans_by_term, spans_of
from .query import Query, QueryError, Term, parse_query
from .results import PassageHit, RecordHit, SearchResults, Snippet, Span
from .rows import (
    COLUMN_OF_FIELD,
    GAP,
    all_records,
    date_keys,
    in_dates,
    passages_of,
    record_fields,
)

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

# Records with a query word in their name are scored apart when there are at most this many;
# beyond that, matches are read best first until none can make the list (see _rank_by_name).
_NAMED_AT_ONCE = 2000


# --- the index -------------------------------------------------------------------------------

# A word found in at least _AHEAD_ROWS rows of a table has its best _AHEAD_LIMIT rows ranked
# when the index is built (about 0.2 s for a large dossier; see Ahead).
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
        for word in set(INDEX_TOKEN.findall(" ".join(columns))):
            seen[word] = get(word, 0) + 1
    least = _AHEAD_ROWS / _SAMPLE_STEP / 2
    return sorted(word for word, n in seen.items() if n >= least and word != "\ue000")


@dataclass(frozen=True, slots=True)
class Ahead:
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


@dataclass(frozen=True, slots=True)
class IndexParts:
    """An index's own data beside its SQLite tables: what the disk cache stores and restores."""

    passage_sources: array[int]  # passage row number - 1 -> index of its source
    passage_starts: array[int]  # ... -> offset of its first character in the source text
    passage_ends: array[int]
    source_ids: tuple[str, ...]
    record_ids: tuple[str, ...]  # record row number - 1 -> record id
    norms: dict[str, tuple[float, float]]  # table -> bm25 (K0, average row length)
    ahead: dict[str, Ahead]  # passage table: word -> its best rows, ranked ahead


def _single_word(plan: Plan) -> str | None:
    """The word of a query that is one plain word and nothing else, or None."""
    if len(plan.must) != 1 or plan.must_not or plan.boost is not None:
        return None
    term = plan.must[0]
    return term.tokens[0] if len(term.tokens) == 1 and not term.prefix else None


class SearchIndex:
    """Full-text index of one dossier's source passages and records.

    Get it with model.search.indexcache.open_index(dossier) in a worker: about 0.15 s
    from the disk cache, else a build (about 4 s for a large dossier
    of 10 MB of text on a 2-core machine, most of it SQLite's own indexing).
    search() may then be called from any thread: a lock serialises calls, and each
    answers in a few milliseconds (see Ahead for common words).
    """

    def __init__(self, dossier: Dossier, backend: Fts5Backend) -> None:
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
        self._ahead: dict[tuple[str, str], Ahead] = {}  # (table, word) -> its best rows
        self.from_cache = False  # read back from the cache file rather than built
        self._common: dict[str, list[str]] = {}  # table -> words that may be in many rows

    @property
    def backend(self) -> Literal["fts5"]:
        """Which engine answers: always SQLite FTS5 (see model.search.fts5.require_fts5)."""
        return "fts5"

    def parts(self) -> IndexParts:
        """What the index keeps beside its SQLite tables, for the disk cache to store."""
        return IndexParts(
            passage_sources=self._p_source,
            passage_starts=self._p_start,
            passage_ends=self._p_end,
            source_ids=self._source_ids,
            record_ids=tuple(self._records.ids),
            norms=dict(self._backend.norms),
            ahead={word: ahead for (table, word), ahead in self._ahead.items() if table == "p"},
        )

    @contextlib.contextmanager
    def database(self) -> Iterator[sqlite3.Connection]:
        """The index's SQLite connection, held under the index's lock while in use.

        For the disk cache (model.search.indexcache), which adds its own tables
        and serializes the database; searches wait meanwhile.
        """
        with self._lock:
            yield self._backend.db

    @classmethod
    def from_parts(cls, dossier: Dossier, db: sqlite3.Connection, parts: IndexParts) -> SearchIndex:
        """An index around a database read back from the disk cache, with what `parts()` gave.

        ValueError if the parts do not fit `dossier` or each other (the caller then
        builds instead).
        """
        if tuple(parts.source_ids) != tuple(dossier.ids("source")):
            raise ValueError("other sources")
        if len(parts.record_ids) != len(dossier):
            raise ValueError("other records")
        lengths = {len(parts.passage_sources), len(parts.passage_starts), len(parts.passage_ends)}
        if len(lengths) != 1:
            raise ValueError("passage offsets of different sizes")
        backend = Fts5Backend(db)
        for table, (k0, average) in parts.norms.items():
            backend.set_norms(table, k0, average)
        index = cls(dossier, backend)
        index._p_source.extend(parts.passage_sources)
        index._p_start.extend(parts.passage_starts)
        index._p_end.extend(parts.passage_ends)
        index._records.ids.extend(parts.record_ids)
        for word, ahead in parts.ahead.items():
            if len(ahead.rowids) != len(ahead.scores):
                raise ValueError("a ranked-ahead list of two lengths")
            index._ahead["p", word] = ahead
        index.from_cache = True
        return index

    @property
    def engine(self) -> Fts5Backend:
        """The engine that matches and scores rows (its `ranked` is what ranking reads)."""
        return self._backend

    def record_of(self, rowid: int) -> AnyRecord:
        """The record indexed as `rowid` of the record table."""
        return self._records[row_number(rowid) - 1]

    @classmethod
    def build(cls, dossier: Dossier, *, engine: Fts5Backend | None = None) -> SearchIndex:
        """Index every source passage and every record of `dossier`, in memory (SQLite FTS5).

        Raises SearchUnavailable, saying why, when this Python's SQLite lacks FTS5.
        `engine` replaces the FTS5 engine with another of the same interface: the
        tests' plain-Python bm25 reference, which the FTS5 weighting must equal.
        """
        if engine is None:
            require_fts5()
        index = cls(dossier, Fts5Backend() if engine is None else engine)
        index._index_passages()
        index._index_records()
        if engine is None:  # ranked-ahead lists are the FTS5 engine's shortcut
            index._rank_ahead()
        index._common.clear()
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
            for start, end in passages_of(text, sentences):
                folded = fold(text[start:end])
                length = min(count_tokens(folded), LEN_MAX)
                total += length
                rows.append((rowid_of(len(rows) + 1, length), (folded,)))
                groups.append(number)
                self._p_source.append(number)
                self._p_start.append(start)
                self._p_end.append(end)
        self._backend.add("p", rows, groups, (total / len(rows)) if rows else 1.0)
        self._common["p"] = _common_words(rows)

    def _index_records(self) -> None:
        rows: list[tuple[int, tuple[str, ...]]] = []
        total = 0
        column_of = COLUMN_OF_FIELD.get
        for record in all_records(self.dossier):
            columns: list[list[str]] = [[] for _ in RECORD_COLUMNS]
            for name, text in record_fields(record):
                columns[column_of(name, 4)].append(fold(text))
            folded = tuple(GAP.join(col) for col in columns)
            length = min(count_tokens(" ".join(folded)), LEN_MAX)
            total += length
            self._records.append(record)
            rows.append((rowid_of(len(rows) + 1, length), folded))
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
                    date_keys(source.published)  # type: ignore[union-attr]
                    for source in self.dossier.each_of_kind("source")
                ]
            allowed = {
                number
                for number, source_id in enumerate(self._source_ids)
                if (not query.sources or source_id in query.sources)
                and source_id not in query.not_sources
                and in_dates(self._source_dates[number], query)
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
                self._record_dates = [date_keys(record_date(r)) for r in self._records]
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
                if in_dates(self._record_dates[number], query):
                    allowed.add(number + 1)
            self._remember(key, frozenset(allowed))
        return self._filter_cache[key]

    def _remember(self, key: tuple[object, ...], value: frozenset[int]) -> None:
        if len(self._filter_cache) > 64:
            self._filter_cache.clear()
        self._filter_cache[key] = value

    # -- searching --

    def search(self, query: str | Query, limit: int = 50) -> SearchResults:
        """Ranked record and passage hits for a query (see model.search.query for the language).

        At most `limit` hits of each list are returned; the totals count all.
        Raises QueryError (with .hint) when the query cannot be run; a query that
        runs but reads differently from how it looks explains itself in .hint.
        """
        parsed = parse_query(query) if isinstance(query, str) else query
        limit = max(0, int(limit))
        self._check_sources(parsed)
        plan = Plan.of(parsed)
        records: list[RecordHit] = []
        passages: list[PassageHit] = []
        total_records = total_passages = 0
        with self._lock:
            if parsed.wants_records and limit:
                groups = self._record_groups(parsed)
                if groups is None or groups:
                    if parsed.lists:
                        ranked, total_records = self._backend.listed(
                            "r", parsed.negative, groups, limit
                        )
                    else:
                        ranked, total_records = self._ranked_records(plan, groups, limit)
                    records = [self._record_hit(rowid, score, parsed) for rowid, score in ranked]
            if parsed.wants_passages and limit:
                groups = self._passage_groups(parsed)
                if groups is None or groups:
                    if parsed.lists:
                        found, total_passages = self._backend.listed(
                            "p", parsed.negative, groups, limit
                        )
                    else:
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
        self, plan: Plan, groups: frozenset[int] | None, limit: int
    ) -> tuple[list[tuple[int, float]], int]:
        """The best `limit` passages as (rowid, score), and the number of matches."""
        ahead = self._ranked_ahead("p", plan, groups, limit)
        if ahead is not None:
            return ahead
        return self._backend.search("p", plan, groups, limit)

    def _ranked_records(
        self, plan: Plan, groups: frozenset[int] | None, limit: int
    ) -> tuple[list[tuple[int, float]], int]:
        """The best `limit` records as (rowid, score), and the number of matches."""
        ahead = self._ranked_ahead("r", plan, groups, limit)
        if ahead is not None:
            return ahead
        return self._rank_by_name(plan, groups, limit)

    def _ranked_ahead(
        self, table: str, plan: Plan, groups: frozenset[int] | None, limit: int
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
            if group_of(row_number(rowid) - 1) in groups
        ]
        if complete:
            return picked[:limit], len(picked)
        if len(picked) >= limit:
            return picked[:limit], self._backend.count(table, plan, groups)
        return None

    def _rank_ahead(self) -> None:
        """Rank, once, the best rows of each word found in very many rows (see Ahead)."""
        for table in ("p",):
            for word in self._common.pop(table, ()):
                plan = Plan((Term((word,)),), (), None)
                if self._backend.count(table, plan, None) < _AHEAD_ROWS:
                    continue
                if table == "p":
                    found, total = self._backend.search("p", plan, None, _AHEAD_LIMIT)
                else:
                    found, total = self._rank_by_name(plan, None, _AHEAD_LIMIT)
                self._ahead[table, word] = Ahead(
                    array("q", (rowid for rowid, _ in found)),
                    array("d", (score for _, score in found)),
                    total,
                )

    def _rank_by_name(
        self, plan: Plan, groups: frozenset[int] | None, limit: int
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
        record = self._records[row_number(rowid) - 1]
        cover = 0.0
        for name in (record.name, *record.aliases):
            tokens = tokenize(name)
            if tokens:
                hit = sum(1 for t in tokens if t in words or t.startswith(starts))
                cover = max(cover, hit / len(tokens))
        return cover

    def _rank_by_name_streaming(
        self,
        plan: Plan,
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
        record = self._records[row_number(rowid) - 1]
        fields = record_fields(record)
        best: tuple[int, str, str, list[Span]] | None = None
        for name, text in fields:
            matched = spans_by_term(text, query.positive)
            found = sum(1 for spans in matched if spans)
            if found and (best is None or found > best[0]):
                best = (found, name, text, sorted(s for spans in matched for s in spans))
        if best is None:  # matched through a word split across fields: show the name
            name, text = fields[0]
            best = (0, name, text, [])
        _, name, text, spans = best
        return RecordHit(
            record.id, record.kind, name, make_snippet(text, merge_spans(spans)), score
        )

    def _passage_hit(self, rowid: int, score: float, query: Query) -> PassageHit:
        number = row_number(rowid) - 1
        source = self.dossier[self._source_ids[self._p_source[number]]]
        assert isinstance(source, Source)
        start, end = self._p_start[number], self._p_end[number]
        text = source.text[start:end]
        spans = spans_of(text, query.positive)
        highlights = tuple((start + s, start + e) for s, e in spans)
        return PassageHit(source.id, start, end, make_snippet(text, spans), highlights, score)

    def close(self) -> None:
        """Free the index (the SQLite connection)."""
        with self._lock:
            self._backend.close()


class _RecordRows(Sequence[AnyRecord]):
    """Row number - 1 -> record, holding only ids: the dossier builds what is asked for.

    Keeping the records themselves would hold every record of a large dossier
    in memory (hundreds of MB) for the sake of the few a search shows.
    """

    def __init__(self, dossier: Dossier) -> None:
        self._dossier = dossier
        self.ids: list[str] = []

    def append(self, record: AnyRecord) -> None:
        self.ids.append(record.id)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index: int) -> AnyRecord:  # type: ignore[override]
        return self._dossier[self.ids[index]]
