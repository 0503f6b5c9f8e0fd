"""Quotes located in their source: whitespace and quotes normalised, found once, offsets kept.

A quote that is missing or ambiguous is refused with a hint (the nearest
sentence when one is close), never guessed.
"""

from __future__ import annotations

from sys import intern

from ..read.nodes import Scalar
from .fields import (
    Context,
    FieldReader,
    SourceText,
)
from .records import (
    Citation,
)
from .schema import CITATION
from .text import find_all, normalise

_CITATION_KEYS = CITATION.keys


def read_citations(
    ctx: Context, reader: FieldReader, key: str = "citations"
) -> tuple[Citation, ...]:
    out: list[Citation] = []
    for item in reader.maps(key):
        cite = FieldReader(ctx, reader.path, item, CITATION.what, _CITATION_KEYS)
        source_node = cite.scalar("source", True)
        exact_node = cite.scalar("exact", True)
        if source_node is None or exact_node is None:
            continue
        source = ctx.sources.get(source_node.value)
        if source is None:
            if source_node.value not in ctx.ids:
                ctx.refs.append(
                    (
                        source_node.value,
                        ("source",),
                        reader.path,
                        source_node.line,
                        source_node.col,
                        "source",
                    )
                )
            continue
        resolved = _locate(
            ctx,
            reader.path,
            exact_node,
            intern(source_node.value),
            source,
            cite.text("prefix"),
            cite.text("suffix"),
        )
        if resolved is not None:
            out.append(resolved)
    return tuple(out)


def _locate(
    ctx: Context,
    path: str,
    node: Scalar,
    source_id: str,
    source: SourceText,
    prefix: str | None,
    suffix: str | None,
) -> Citation | None:
    exact = normalise(node.value)
    if not exact:
        ctx.problem(path, node, "empty quote")
        return None
    folded = source.folded
    first = folded.find(exact)
    if first != -1 and not prefix and not suffix and folded.find(exact, first + 1) == -1:
        # The usual case, one occurrence and no context to check, in two C-level searches.
        start = source.offsets[first]
        end = source.offsets[first + len(exact) - 1] + 1
        return Citation(source_id, source.text[start:end], start, end)
    found = find_all(folded, exact)
    if prefix:
        wanted = normalise(prefix)
        found = [p for p in found if folded.endswith(wanted, 0, _skip_space_back(folded, p))]
    if suffix:
        wanted = normalise(suffix)
        found = [p for p in found if folded.startswith(wanted, _skip_space(folded, p + len(exact)))]
    if not found:
        ctx.problem(
            path, node, f"quote not found in source {source_id!r}", _near_miss(folded, exact)
        )
        return None
    if len(found) > 1:
        ctx.problem(
            path,
            node,
            f"quote occurs {len(found)} times in source {source_id!r}",
            "add 'prefix' or 'suffix' with the words around the one you mean",
        )
        return None
    start = source.offsets[found[0]]
    end = source.offsets[found[0] + len(exact) - 1] + 1
    return Citation(source_id, source.text[start:end], start, end)


def _skip_space_back(text: str, index: int) -> int:
    while index > 0 and text[index - 1] == " ":
        index -= 1
    return index


def _skip_space(text: str, index: int) -> int:
    while index < len(text) and text[index] == " ":
        index += 1
    return index


def _near_miss(folded: str, exact: str) -> str:
    """Say how much of the quote does occur, so the user sees where it diverges."""
    low, high = 0, len(exact)
    while low < high:
        mid = (low + high + 1) // 2
        if exact[:mid] in folded:
            low = mid
        else:
            high = mid - 1
    if low < 12:
        return "copy the sentence exactly from the source text"
    shown = exact[max(0, low - 30) : low]
    return f"matches up to ...{shown!r}, then differs; copy the sentence exactly"
