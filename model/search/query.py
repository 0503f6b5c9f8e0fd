"""The search query language, and the folding that makes case and accents never matter.

What a user can type (every part optional, but a query needs a word or a filter;
filters alone list what they select, in the dossier's order)::

    word              every word must match, anywhere in a passage or record
    "exact phrase"    these words next to each other, in this order
    prefix*           any word starting with "prefix" (also "a phras*")
    -word             leave out hits containing it (also -"a phrase", -prefix*)
    kind:person       only records of these kinds (singular or plural; "kind:deal,event"
                      for several); passages are left out, since they have no kind
    -kind:source      leave out records of these kinds
    source:ID         only passages of this source (and records that cite it);
                      "source:a,b" for several, -source:ID to leave one out
    in:sources        only passages of the source texts (in:records: only records)
    after:2023        dated in or after 2023 (YYYY, YYYY-MM, YYYY-MM-DD, late-2022)
    before:2024-06    dated before June 2024 (so after:2023 before:2024 is the year 2023)

Dates: records by their own date (events, deals, tensions, sources), passages by
their source's published date; anything undated drops out. A partial date must
fit entirely: a record dated "2023" is neither after:2023-06 nor before:2023-06,
since the sources do not say which half of the year it was.

Words are compared after folding (casefold, NFKD, combining marks stripped), so
"STRASSE" finds "Straße" and "cafe" finds "café". A word with punctuation inside
("GPT-4", "o'brien") is the phrase of its parts. Nothing the user types is ever
compiled as a regular expression or handed to SQLite as query syntax: the parser
turns it into folded tokens, and each backend builds its own expression from them.

A query that cannot be run raises QueryError with a short `hint`; a query that
runs but was read differently from how it looks (an unclosed quote, brackets,
"OR") carries its explanation in `Query.notes`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Literal

from ..build.dates import DateError, PartialDate, parse_date
from ..build.records import KIND_PLURALS, KINDS, Kind
from .fold import tokenize

MAX_QUERY_CHARS = 1000
MAX_TOKENS = 64

Scope = Literal["all", "records", "sources"]


# --- the parsed query ---------------------------------------------------------------


class QueryError(ValueError):
    """A query that cannot be run; `hint` says in a few words how to write it."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})"


@dataclass(frozen=True, slots=True)
class Term:
    """One thing to look for: a word, or a phrase of several (folded) tokens."""

    tokens: tuple[str, ...]
    prefix: bool = False  # the last token matches any word it starts
    negated: bool = False
    quoted: bool = False  # typed as "a phrase" (a hyphenated word is a phrase but not quoted)

    def describe(self) -> str:
        text = " ".join(self.tokens) + ("*" if self.prefix else "")
        if len(self.tokens) > 1 or self.quoted:
            text = f'"{text}"'
        return ("-" if self.negated else "") + text


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed query. Build one with parse_query(); the index runs it."""

    text: str
    terms: tuple[Term, ...]
    kinds: frozenset[Kind] = frozenset()
    not_kinds: frozenset[Kind] = frozenset()
    sources: frozenset[str] = frozenset()
    not_sources: frozenset[str] = frozenset()
    scope: Scope = "all"
    after: PartialDate | None = None
    before: PartialDate | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.negated)

    @property
    def negative(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.negated)

    @property
    def lists(self) -> bool:
        """Filters alone: the hits are every row they select, in order, not ranked matches."""
        return not self.positive

    @property
    def wants_records(self) -> bool:
        return self.scope != "sources"

    @property
    def wants_passages(self) -> bool:
        """Passages have no kind, so a kind: filter leaves them out."""
        return self.scope != "records" and not self.kinds

    def describe(self) -> str:
        """The query as it was understood, for a status line."""
        parts = [t.describe() for t in self.terms]
        for name, values, negated in (
            ("kind", self.kinds, False),
            ("kind", self.not_kinds, True),
            ("source", self.sources, False),
            ("source", self.not_sources, True),
        ):
            if values:
                parts.append(f"{'-' if negated else ''}{name}:{','.join(sorted(values))}")
        if self.scope != "all":
            parts.append(f"in:{self.scope}")
        if self.after:
            parts.append(f"after:{self.after.text}")
        if self.before:
            parts.append(f"before:{self.before.text}")
        return " ".join(parts)


# --- parsing ------------------------------------------------------------------------

FILTERS = ("kind", "source", "in", "after", "before")
_KIND_NAMES: dict[str, Kind] = {
    **{kind: kind for kind in KINDS},
    **{plural: kind for kind, plural in KIND_PLURALS.items()},
    "persons": "person",
    "org": "company",
    "orgs": "company",
    "organisation": "company",
    "organisations": "company",
    "organization": "company",
    "organizations": "company",
}
_SCOPES: dict[str, Scope] = {
    "sources": "sources",
    "source": "sources",
    "text": "sources",
    "texts": "sources",
    "passages": "sources",
    "records": "records",
    "record": "records",
}
_FILTER_WORD = re.compile(r"([A-Za-z]+):(.*)", re.DOTALL)
_NOT_FILTERS = frozenset({"http", "https", "ftp", "mailto", "file", "urn", "doi"})
_OPERATOR_CHARS = frozenset("(){}[]|&^~\\<>=!?")
_BOOLEAN_WORDS = frozenset({"OR", "AND", "NOT"})
_EXAMPLES = 'try: word "exact phrase" prefix* -word kind:person source:ID after:2023'


def _did_you_mean(value: str, options: list[str]) -> str:
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    return f"did you mean {close[0]}? " if close else ""


def _kinds(value: str) -> frozenset[Kind]:
    out: set[Kind] = set()
    for part in value.split(","):
        name = part.strip().lower()
        if not name:
            continue
        if name not in _KIND_NAMES:
            raise QueryError(
                f"no kind called {part.strip()!r}",
                _did_you_mean(name, list(_KIND_NAMES)) + "kind: is one of " + ", ".join(KINDS),
            )
        out.add(_KIND_NAMES[name])
    if not out:
        raise QueryError("kind: needs a value", "e.g. kind:person (or " + ", ".join(KINDS) + ")")
    return frozenset(out)


def _source_ids(value: str) -> frozenset[str]:
    ids = frozenset(part.strip() for part in value.split(",") if part.strip())
    if not ids:
        raise QueryError("source: needs a source id", "e.g. source:troubled-alliance")
    return ids


def _date(name: str, value: str) -> PartialDate:
    try:
        return parse_date(value)
    except DateError as exc:
        raise QueryError(f"{name}: {exc}", exc.hint) from None


class _Parser:
    """Reads a query left to right; see the module docstring for what it accepts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.terms: list[Term] = []
        self.notes: list[str] = []
        self.kinds: set[Kind] = set()
        self.not_kinds: set[Kind] = set()
        self.sources: set[str] = set()
        self.not_sources: set[str] = set()
        self.scope: Scope | None = None
        self.after: PartialDate | None = None
        self.before: PartialDate | None = None
        self.saw_filter = False
        self.unclosed_quote = False
        self.dropped: set[str] = set()

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    # -- lexing --

    def _quoted(self) -> str:
        """The text up to the closing quote (self.pos is just past the opening one)."""
        end = self.text.find('"', self.pos)
        if end == -1:
            self.unclosed_quote = True
            value, self.pos = self.text[self.pos :], len(self.text)
        else:
            value, self.pos = self.text[self.pos : end], end + 1
        return value

    def _word(self) -> str:
        start = self.pos
        while (
            self.pos < len(self.text)
            and not self.text[self.pos].isspace()
            and self.text[self.pos] != '"'
        ):
            self.pos += 1
        return self.text[start : self.pos]

    def parse(self) -> Query:
        text = self.text
        while self.pos < len(text):
            char = text[self.pos]
            if char.isspace():
                self.pos += 1
                continue
            negated = False
            if char in "-+" and self.pos + 1 < len(text) and not text[self.pos + 1].isspace():
                negated = char == "-"
                self.pos += 1
                char = text[self.pos]
            if char == '"':
                self.pos += 1
                phrase = self._quoted()
                prefix = phrase.rstrip().endswith("*")
                if self.pos < len(text) and text[self.pos] == "*":
                    prefix = True
                    self.pos += 1
                self._add(phrase, negated=negated, prefix=prefix, quoted=True)
                continue
            word = self._word()
            match = _FILTER_WORD.fullmatch(word)
            if match and match.group(1).lower() in FILTERS:
                value = match.group(2)
                if not value and self.pos < len(text) and text[self.pos] == '"':
                    self.pos += 1
                    value = self._quoted()
                self._filter(match.group(1).lower(), value.strip(), negated)
                continue
            if match and match.group(1).lower() not in _NOT_FILTERS and match.group(2):
                self.note(
                    f"{match.group(1)}: is not a filter (filters: kind: source: in: after: "
                    "before:), so it was searched as words"
                )
            if word in _BOOLEAN_WORDS:
                self.note(f"{word} is searched as a word: all words must match; -word excludes")
            self.dropped.update(c for c in word if c in _OPERATOR_CHARS)
            stripped = word.lstrip("*")
            if stripped != word:
                self.dropped.add("*")
            prefix = stripped.endswith("*")
            stripped = stripped.rstrip("*")
            if "*" in stripped:
                self.dropped.add("*")
            self._add(stripped, negated=negated, prefix=prefix, quoted=False)
        return self._finish()

    # -- building --

    def _add(self, text: str, *, negated: bool, prefix: bool, quoted: bool) -> None:
        tokens = tuple(tokenize(text))
        if not tokens:
            return
        term = Term(tokens, prefix=prefix, negated=negated, quoted=quoted)
        if term not in self.terms:
            self.terms.append(term)

    def _filter(self, name: str, value: str, negated: bool) -> None:
        self.saw_filter = True
        if not value:
            examples = {
                "kind": "kind:person",
                "source": "source:<id>",
                "in": "in:sources or in:records",
                "after": "after:2023",
                "before": "before:2024-06",
            }
            raise QueryError(f"{name}: needs a value", f"e.g. {examples[name]}")
        if negated and name not in ("kind", "source"):
            other = {"after": "before:", "before": "after:", "in": "the other in:"}[name]
            raise QueryError(f"-{name}: is not supported", f"use {other} instead")
        if name == "kind":
            (self.not_kinds if negated else self.kinds).update(_kinds(value))
        elif name == "source":
            (self.not_sources if negated else self.sources).update(_source_ids(value))
        elif name == "in":
            scope = _SCOPES.get(value.lower())
            if scope is None:
                raise QueryError(
                    f"in:{value} is not a place to search", "use in:sources or in:records"
                )
            if self.scope is not None and self.scope != scope:
                raise QueryError("in:sources and in:records exclude each other", "keep one of them")
            self.scope = scope
        elif name == "after":
            date = _date(name, value)
            if self.after is None or date.sort_key > self.after.sort_key:
                self.after = date
        else:
            date = _date(name, value)
            if self.before is None or date.sort_key < self.before.sort_key:
                self.before = date

    def _finish(self) -> Query:
        if self.dropped:
            shown = " ".join(sorted(self.dropped))
            self.note(
                f"{shown} are not operators here and were ignored: all words must match; "
                'use "phrase", prefix*, -word'
            )
        if self.unclosed_quote:
            self.note("a quote was not closed: the phrase runs to the end of the query")
        # Filters alone list what they select; without a filter, something must be looked for.
        if not self.saw_filter and not any(not t.negated for t in self.terms):
            if self.unclosed_quote and not self.terms:
                raise QueryError(
                    "empty phrase", 'close the quote around some words: "exact phrase"'
                )
            if self.terms:
                raise QueryError(
                    "nothing to look for", "-word only leaves out; add a word or a filter to find"
                )
            raise QueryError("nothing to look for", _EXAMPLES)
        if sum(len(t.tokens) for t in self.terms) > MAX_TOKENS:
            raise QueryError("too many words", f"use at most {MAX_TOKENS} words")
        if self.kinds and self.scope == "sources":
            raise QueryError(
                "kind: picks records but in:sources shows only source text", "drop one of them"
            )
        if self.after and self.before and self.after.sort_key[:3] >= self.before.sort_key[:3]:
            self.note(f"nothing can be after {self.after.text} and before {self.before.text}")
        return Query(
            text=self.text,
            terms=tuple(self.terms),
            kinds=frozenset(self.kinds),
            not_kinds=frozenset(self.not_kinds),
            sources=frozenset(self.sources),
            not_sources=frozenset(self.not_sources),
            scope=self.scope or "all",
            after=self.after,
            before=self.before,
            notes=tuple(self.notes),
        )


def parse_query(text: str) -> Query:
    """Parse what a user typed; raise QueryError (with .hint) when it cannot be run.

    Never raises anything else, whatever the input (see tests/test_query.py).
    """
    if not isinstance(text, str):
        raise QueryError("a query is text", "type some words")
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"query too long ({len(text)} characters)",
            f"use at most {MAX_QUERY_CHARS} characters",
        )
    return _Parser(text).parse()
