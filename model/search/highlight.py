"""Where a query's terms stand in a text: highlight spans and the snippet around them.

Computed in Python over the original text (folded with an offset map), so the
offsets point into the text as written, whatever SQLite matched on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

from ..build.text import sanitize_same_length
from .fold import TOKEN, fold, fold_with_map
from .query import Query, Term, parse_query
from .results import Snippet, Span

SNIPPET_CHARS = 160  # a snippet shows about this much text around the first match


def find_term(folded: str, term: Term, token: re.Pattern[str] = TOKEN) -> Iterator[Span]:
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


def spans_by_term(text: str, terms: Sequence[Term]) -> list[list[Span]]:
    """For each term, the spans of its occurrences in `text`'s own offsets."""
    if not text:
        return [[] for _ in terms]
    folded = fold(text)
    found = [list(find_term(folded, term)) for term in terms]
    if any(found) and not text.isascii():
        _, fold_map = fold_with_map(text)
        found = [[fold_map.span(s, e) for s, e in spans] for spans in found]
    return found


def spans_of(text: str, terms: Sequence[Term]) -> list[Span]:
    """Merged, sorted spans of every occurrence of every term, in `text`'s own offsets."""
    return merge_spans(span for spans in spans_by_term(text, terms) for span in spans)


def match_spans(text: str, query: Query | str) -> list[Span]:
    """Where the query's words (not the excluded ones) occur in any text, e.g. an open source.

    Raises QueryError for a query string that cannot be parsed.
    """
    parsed = parse_query(query) if isinstance(query, str) else query
    return spans_of(text, parsed.positive)


def make_snippet(text: str, spans: Sequence[Span], width: int = SNIPPET_CHARS) -> Snippet:
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


def merge_spans(spans: Iterable[Span]) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
