"""`gaps`: what the sources say that the dossier does not hold yet.

Three kinds of gap, each with its place in a source and the reasons:

- uncited: a sentence that carries a figure or a year and no record cites, or
  a date or a name that no record cites nor links (ranked by what it carries:
  money and counts first, then years, dates, names). This is the rule the
  bundled dossier's coverage test holds it to.
- unlinked-name: a name (a run of capitalised words) that no record has, once
  per source at its first place, most frequent first.
- co-mention: a sentence naming two records that nothing in the dossier links
  (neither names the other, and no deal, tension, event or claim names both).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from ..build.records import Source
from ..dossier.dossier import Dossier
from .facts import FIGURE, MONTHS, YEAR, name_key, names, shouts

# A capitalised word that is not a sentence's first word, nor a clause's after a colon, nor
# a list item's first; "AI" is the articles' common noun, not a name. (The coverage rule.)
PROPER = re.compile(r"(?<!^)(?<![.!?:]\s)(?<!^- )\b(?!AI\b)[A-Z][a-zA-Z]+")
DATE_WORDS = re.compile(rf"\b(?:{'|'.join(MONTHS)})\b")
LINKING_KINDS = ("deal", "tension", "event", "claim")

# What a sentence carries, for ranking: a figure outweighs a year, a year a month, a
# month a name.
WEIGHTS = {"figure": 8, "year": 4, "date": 2, "name": 1}


@dataclass(frozen=True, slots=True)
class Gap:
    kind: str  # "uncited", "unlinked-name" or "co-mention"
    source: str
    start: int  # in the source text; text == source.text[start:end]
    end: int
    text: str
    reasons: tuple[str, ...]
    weight: int  # higher first, within a kind

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "source": self.source,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "reasons": list(self.reasons),
        }


def gaps(dossier: Dossier, source_id: str | None = None) -> list[Gap]:
    """Every gap in one source (or all): uncited sentences ranked, then co-mentions in text
    order, then names no record has. Raises KeyError for an unknown source id."""
    if source_id is not None:
        found = dossier[source_id]
        if not isinstance(found, Source):
            raise KeyError(source_id)
        sources: Iterable[Source] = (found,)
    else:
        sources = dossier.sources
    uncited: list[Gap] = []
    co_mentions: list[Gap] = []
    new_names: list[Gap] = []
    links = _Links(dossier)
    for source in sources:
        uncited.extend(uncited_sentences(dossier, source))
        co_mentions.extend(_co_mentions(dossier, source, links))
        new_names.extend(_unlinked_names(dossier, source))
    uncited.sort(key=lambda g: -g.weight)  # stable: text order within a weight
    new_names.sort(key=lambda g: -g.weight)
    return uncited + co_mentions + new_names


def uncited_sentences(dossier: Dossier, source: Source) -> list[Gap]:
    """Sentences of one source that carry a fact no record holds, in text order."""
    text = source.text
    cited = _Spans((c.start, c.end) for _, c in dossier.citations_in(source.id))
    mention_starts = sorted(m.start for m in dossier.mentions_in(source.id))
    out = []
    for start, end in source.sentences:
        sentence = text[start:end]
        is_cited = cited.overlaps(start, end)
        figures = [m.group() for m in FIGURE.finditer(sentence) if not YEAR.fullmatch(m.group())]
        years = YEAR.findall(sentence)
        reasons: list[str] = []
        weight = 0
        if (figures or years) and not is_cited:
            reasons += [f"figure: {f}" for f in figures] + [f"year: {y}" for y in years]
            weight = WEIGHTS["figure"] * bool(figures) + WEIGHTS["year"] * bool(years)
        else:
            dates = DATE_WORDS.findall(sentence)
            proper = (
                [] if shouts(sentence) else [p for p in PROPER.findall(sentence) if p not in MONTHS]
            )
            if (dates or proper) and not (is_cited or _holds(mention_starts, start, end)):
                reasons += [f"date: {d}" for d in dates] + [f"name: {p}" for p in proper]
                weight = WEIGHTS["date"] * bool(dates) + WEIGHTS["name"] * bool(proper)
        if reasons:
            out.append(Gap("uncited", source.id, start, end, sentence, tuple(reasons), weight))
    return out


class _Spans:
    """Sorted spans, asked whether any overlaps [start, end) in O(log n).

    Every span starting before `end` overlaps exactly when the one of them that
    ends last ends after `start`: a running maximum of the ends answers that.
    """

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [start for start, _ in ordered]
        self._max_end: list[int] = []
        furthest = -1
        for _, span_end in ordered:
            furthest = max(furthest, span_end)
            self._max_end.append(furthest)

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self._starts, end)
        return index > 0 and self._max_end[index - 1] > start


def _holds(starts: list[int], start: int, end: int) -> bool:
    index = bisect.bisect_left(starts, start)
    return index < len(starts) and starts[index] < end


class _Links:
    """Which records the dossier links: directly, or through a deal, tension, event or claim."""

    def __init__(self, dossier: Dossier) -> None:
        self._dossier = dossier
        self._neighbours: dict[str, frozenset[str]] = {}

    def neighbours(self, record_id: str) -> frozenset[str]:
        known = self._neighbours.get(record_id)
        if known is None:
            known = frozenset(r.id for r in self._dossier.involving(record_id))
            self._neighbours[record_id] = known
        return known

    def linked(self, a: str, b: str) -> bool:
        mine, theirs = self.neighbours(a), self.neighbours(b)
        if b in mine or a in theirs:
            return True
        kind_of = self._dossier.kind_of
        return any(kind_of(shared) in LINKING_KINDS for shared in mine & theirs)


def _co_mentions(dossier: Dossier, source: Source, links: _Links) -> list[Gap]:
    by_sentence: dict[tuple[int, int], dict[str, None]] = {}
    for mention in dossier.mentions_in(source.id):
        key = (mention.sentence_start, mention.sentence_end)
        by_sentence.setdefault(key, {})[mention.record] = None
    out = []
    for (start, end), records in sorted(by_sentence.items()):
        ids = list(records)
        pairs = [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :] if not links.linked(a, b)]
        if not pairs:
            continue
        reasons = tuple(
            f"names {dossier[a].name} ({a}) and {dossier[b].name} ({b}), which no record links"
            for a, b in pairs
        )
        text = source.text[start:end]
        out.append(Gap("co-mention", source.id, start, end, text, reasons, len(pairs)))
    return out


def _unlinked_names(dossier: Dossier, source: Source) -> list[Gap]:
    mentions = _Spans((m.start, m.end) for m in dossier.mentions_in(source.id))
    found = [
        span
        for span in names(source.text, source.sentences)
        if not mentions.overlaps(span.start, span.end)
    ]
    counts = Counter(name_key(span.text) for span in found)
    out = []
    seen: set[str] = set()
    for span in found:
        key = name_key(span.text)
        if key in seen:
            continue
        seen.add(key)
        count = counts[key]
        reason = f"name no record has: {key} ({count} time{'s' if count > 1 else ''} here)"
        out.append(
            Gap("unlinked-name", source.id, span.start, span.end, span.text, (reason,), count)
        )
    return out
