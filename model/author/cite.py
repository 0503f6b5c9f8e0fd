"""`cite`: find a passage in a source and write the citation that the loader will accept.

The passage is found exactly as the loader finds a quote: both are normalised
by `text.normalise_with_map` (quotes folded, white space runs as one space), so
a suggestion found here is one the loader finds. When the passage occurs more
than once, each occurrence gets the shortest `prefix` / `suffix` (whole words
of the text around it) that leaves it alone, checked the way the loader checks
them. When it does not occur, rapidfuzz finds the nearest sentences and a word
diff says where they differ.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from ..build.text import OffsetMap, find_all, normalise, normalise_with_map, split_sentences
from ..read.files import MAX_FILE_BYTES
from ..read.nodes import Map, Scalar, Seq
from ..read.problems import Problem
from ..read.yamlsafe import YamlProblems, decode, read_yaml
from . import AuthoringError
from .files import read_regular
from .yamltext import yaml_scalar

# More occurrences than this: the passage is too common to cite; a longer one is needed.
MAX_OCCURRENCES = 50
# How far a prefix or suffix may reach, in words, before the passage is called too common.
MAX_CONTEXT_WORDS = 60
NEAREST = 3
NEAR_SPREAD = 15  # how far below the best a near sentence may score and still be shown


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A citation that picks out one occurrence: `text[start:end] == exact`."""

    source: str
    exact: str  # the source's own characters, curly quotes and line breaks included
    prefix: str  # "" when not needed; else the words just before, as the source has them
    suffix: str  # "" when not needed; else the words just after
    start: int
    end: int

    def as_json(self) -> dict[str, str | int]:
        return {
            "source": self.source,
            "exact": self.exact,
            "prefix": self.prefix,
            "suffix": self.suffix,
            "start": self.start,
            "end": self.end,
        }

    def as_yaml(self, indent: str = "") -> str:
        """The citation as a YAML list entry, to paste under `citations:`.

        Line breaks of the source become spaces (the loader reads any white space
        run as one), and each value is quoted to read back as exactly itself.
        """
        lines = [f"- source: {self.source}", f"  exact: {yaml_scalar(_one_line(self.exact))}"]
        if self.prefix:
            lines.append(f"  prefix: {yaml_scalar(_one_line(self.prefix))}")
        if self.suffix:
            lines.append(f"  suffix: {yaml_scalar(_one_line(self.suffix))}")
        return "".join(f"{indent}{line}\n" for line in lines)


@dataclass(frozen=True, slots=True)
class Difference:
    """Where a passage and the source part ways: words you wrote, words the source has."""

    yours: str
    source: str


@dataclass(frozen=True, slots=True)
class NearSentence:
    start: int  # the sentence, in the source text
    end: int
    score: float  # rapidfuzz partial ratio, 0-100
    passage_start: int  # the part of it that lines up with what you wrote
    passage_end: int
    differences: tuple[Difference, ...]


@dataclass(frozen=True, slots=True)
class CiteResult:
    source: str
    found: tuple[Suggestion, ...]  # one per occurrence, in text order
    near: tuple[NearSentence, ...]  # when nothing was found: the nearest sentences


def cite(source_id: str, source_text: str, text: str) -> CiteResult:
    """Every occurrence of `text` in `source_text`, each as a citation that is unique."""
    needle = normalise(text)
    if not needle:
        raise AuthoringError(
            [Problem("TEXT", 1, 1, "nothing to find", "give a sentence of the source")]
        )
    folded, offsets = normalise_with_map(source_text)
    found = find_all(folded, needle)
    if not found:
        return CiteResult(source_id, (), nearest(source_text, needle))
    if len(found) > MAX_OCCURRENCES:
        raise AuthoringError(
            [
                Problem(
                    "TEXT",
                    1,
                    1,
                    f"occurs {len(found)} times in {source_id!r}",
                    "cite a longer passage",
                )
            ]
        )
    suggestions = []
    for position in found:
        prefix, suffix = _shortest_context(folded, needle, found, position)
        start = offsets[position]
        end = offsets[position + len(needle) - 1] + 1
        suggestions.append(
            Suggestion(
                source_id,
                source_text[start:end],
                _original(source_text, offsets, prefix),
                _original(source_text, offsets, suffix),
                start,
                end,
            )
        )
    return CiteResult(source_id, tuple(suggestions), ())


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _original(source_text: str, offsets: OffsetMap, span: tuple[int, int] | None) -> str:
    """The source's own characters for a span of the folded text."""
    if span is None:
        return ""
    start, end = span
    return source_text[offsets[start] : offsets[end - 1] + 1]


def _skip_space_back(text: str, index: int) -> int:
    while index > 0 and text[index - 1] == " ":
        index -= 1
    return index


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] == " ":
        index += 1
    return index


def _prefixes(folded: str, position: int) -> list[tuple[int, int]]:
    """Spans of the folded text ending just before `position`, a word longer each time."""
    end = _skip_space_back(folded, position)
    spans = []
    start = end
    while start > 0 and len(spans) < MAX_CONTEXT_WORDS:
        start = folded.rfind(" ", 0, start - 1) + 1
        spans.append((start, end))
        start = _skip_space_back(folded, start)
    return spans


def _suffixes(folded: str, after: int) -> list[tuple[int, int]]:
    """Spans of the folded text starting just after `after`, a word longer each time."""
    start = _skip_space(folded, after)
    spans = []
    end = start
    while end < len(folded) and len(spans) < MAX_CONTEXT_WORDS:
        space = folded.find(" ", end + 1)
        end = len(folded) if space == -1 else space
        spans.append((start, end))
        end = _skip_space(folded, end)
    return spans


def _shortest_context(
    folded: str, needle: str, found: list[int], position: int
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """The shortest (prefix, suffix) spans that leave only `position`, as the loader checks.

    The loader keeps an occurrence when the folded text before it (spaces
    skipped) ends with the prefix, and the text after it starts with the
    suffix; this tries every pair of word-long prefixes and suffixes, shortest
    total first.
    """
    if len(found) == 1:
        return None, None
    everyone = frozenset(found)
    pre_options: list[tuple[int, tuple[int, int] | None, frozenset[int]]] = [(0, None, everyone)]
    for start, end in _prefixes(folded, position):
        words = folded[start:end]
        keep = frozenset(p for p in found if folded.endswith(words, 0, _skip_space_back(folded, p)))
        pre_options.append((len(words), (start, end), keep))
    suf_options: list[tuple[int, tuple[int, int] | None, frozenset[int]]] = [(0, None, everyone)]
    for start, end in _suffixes(folded, position + len(needle)):
        words = folded[start:end]
        keep = frozenset(
            p for p in found if folded.startswith(words, _skip_space(folded, p + len(needle)))
        )
        suf_options.append((len(words), (start, end), keep))
    best: tuple[int, int, tuple[int, int] | None, tuple[int, int] | None] | None = None
    for pre_length, pre_span, pre_keep in pre_options:
        for suf_length, suf_span, suf_keep in suf_options:
            if len(pre_keep & suf_keep) != 1:
                continue
            fields = (pre_span is not None) + (suf_span is not None)
            key = (pre_length + suf_length, fields, pre_span, suf_span)
            if best is None or key[:2] < best[:2]:
                best = key
    if best is None:
        raise AuthoringError(
            [
                Problem(
                    "TEXT",
                    1,
                    1,
                    "the passage repeats with the same words around it for "
                    f"{MAX_CONTEXT_WORDS} words",
                    "cite a longer passage",
                )
            ]
        )
    return best[2], best[3]


# --- not found: the nearest sentences -----------------------------------------------------


def nearest(source_text: str, needle: str, limit: int = NEAREST) -> tuple[NearSentence, ...]:
    """The sentences closest to `needle` (rapidfuzz partial ratio), each with a word diff.

    A sentence the text repeats word for word is offered once, and one that
    scores far below the best (NEAR_SPREAD points) is left out.
    """
    sentences = split_sentences(source_text)
    folded = [normalise(source_text[start:end]) for start, end in sentences]
    out = []
    seen: set[str] = set()
    for choice, score, index in process.extract(
        needle, folded, scorer=fuzz.partial_ratio, limit=limit * 4, score_cutoff=30
    ):
        if choice in seen or (out and score < out[0].score - NEAR_SPREAD):
            continue
        seen.add(choice)
        start, end = sentences[index]
        out.append(_near(source_text, start, end, needle, score))
        if len(out) == limit:
            break
    return tuple(out)


_WORD = re.compile(r"\S+")


def _near(source_text: str, start: int, end: int, needle: str, score: float) -> NearSentence:
    """The part of a sentence that lines up with `needle`, in whole words, and a word diff.

    Words are compared without the punctuation around them ("2023," is "2023"),
    case kept, as the loader keeps it. The sentence's words before and after
    everything you wrote are not differences, so they are left out of the
    passage; neighbouring edits are one difference ("monday" / "Monday that").
    """
    sentence, offsets = normalise_with_map(source_text[start:end])
    words = list(_WORD.finditer(sentence))
    yours = needle.split()
    theirs = [w.group() for w in words]
    opcodes = list(Levenshtein.opcodes([_key(w) for w in yours], [_key(w) for w in theirs]))
    low, high = 0, len(words)
    if opcodes and opcodes[0].tag == "insert":
        low = opcodes[0].dest_end
        opcodes = opcodes[1:]
    if opcodes and opcodes[-1].tag == "insert":
        high = opcodes[-1].dest_start
        opcodes = opcodes[:-1]
    differences: list[Difference] = []
    pending: list[Any] = []
    for op in [*opcodes, None]:
        if op is not None and op.tag != "equal":
            pending.append(op)
            continue
        if pending:
            first, last = pending[0], pending[-1]
            differences.append(
                Difference(
                    " ".join(yours[first.src_start : last.src_end]),
                    " ".join(theirs[first.dest_start : last.dest_end]),
                )
            )
            pending = []
    if high > low:
        passage_start = start + offsets[words[low].start()]
        passage_end = start + offsets[words[high - 1].end() - 1] + 1
    else:
        passage_start = passage_end = start
    return NearSentence(start, end, score, passage_start, passage_end, tuple(differences))


def _key(word: str) -> str:
    """A word as compared: without the punctuation around it, case kept (the loader's is)."""
    return word.strip(_PUNCTUATION) or word


_PUNCTUATION = ".,;:!?\"'()[]"


# --- a source's text, straight from the files ------------------------------------------


def source_text(root: str | Path, source_id: str) -> str:
    """The text of source `source_id` of the dossier at `root`, read as the loader reads it,
    without loading the rest (cite works while other files have problems)."""
    folder = Path(root)
    listing = folder / "sources.yaml"
    try:
        raw = read_regular(listing, MAX_FILE_BYTES)
        node = read_yaml(decode(raw, str(listing)), str(listing)) if raw is not None else None
    except FileNotFoundError:
        raise AuthoringError(
            [Problem(str(listing), 1, 1, "no sources.yaml", "is --data a dossier folder?")]
        ) from None
    except OSError as exc:
        raise AuthoringError(
            [Problem(str(listing), 1, 1, f"cannot read: {exc.strerror}")]
        ) from None
    except YamlProblems as exc:
        raise AuthoringError(exc.problems) from None
    known: list[str] = []
    file_name = None
    for item in node.items if isinstance(node, Seq) else ():
        if not isinstance(item, Map):
            continue
        entry = {key: value for key, (_, value) in item.items.items() if isinstance(value, Scalar)}
        if "id" not in entry:
            continue
        known.append(entry["id"].value)
        if entry["id"].value == source_id:
            file_name = entry["file"].value if "file" in entry else f"sources/{source_id}.txt"
    if file_name is None:
        close = difflib.get_close_matches(source_id, known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"sources: {', '.join(known) or 'none'}"
        raise AuthoringError([Problem(str(listing), 1, 1, f"no source {source_id!r}", hint)])
    relative = Path(file_name)
    path = folder / relative
    if relative.is_absolute() or ".." in relative.parts:
        raise AuthoringError([Problem(str(listing), 1, 1, f"{file_name!r} is outside the dossier")])
    try:
        text_raw = read_regular(path, MAX_FILE_BYTES)
    except OSError as exc:
        raise AuthoringError([Problem(str(path), 1, 1, f"cannot read: {exc.strerror}")]) from None
    if text_raw is None or len(text_raw) > MAX_FILE_BYTES:
        raise AuthoringError([Problem(str(path), 1, 1, "not a regular file of at most 64 MiB")])
    try:
        return text_raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = text_raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (text_raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise AuthoringError(
            [Problem(str(path), line, col, "not UTF-8", "convert the text to UTF-8")]
        ) from None
