"""Command palette provider: jump to any record, fuzzy by name, alias or id.

Hit prompts are `Content` (the palette parses plain `str` prompts and help as
markup), and help texts are our own words plus validated ids, so a name such as
"[b]x" shows as written.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from textual.await_complete import AwaitComplete
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from partnership_tui.model.build.text import one_line

from . import render

if TYPE_CHECKING:
    from partnership_tui.model.dossier.dossier import Dossier

DISCOVERY_LIMIT = 200
KIND_ORDER = ("company", "person", "product", "deal", "tension", "event", "claim", "source")


def _subsequence(needle: str, haystack: str) -> bool:
    """Cheap pre-check: every query character occurs in order (what a fuzzy match needs)."""
    position = 0
    for char in needle:
        position = haystack.find(char, position)
        if position < 0:
            return False
        position += 1
    return True


def highlight(matcher: Matcher, candidate: str) -> Content:
    """Mark the matched letters (Matcher.highlight parses its candidate as markup: not for data)."""
    content = Content(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if not score:
        return content
    for offset in offsets:
        if offset < len(candidate) and not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class Label(NamedTuple):
    """What the palette matches and shows of a record: its names, never the record."""

    id: str
    kind: str
    name: str
    aliases: tuple[str, ...]


# One table per dossier, made on first use: a keystroke then scans strings, not
# records (which a large dossier would otherwise build, all of them, per key).
_LABELS: weakref.WeakKeyDictionary[Dossier, list[Label]] = weakref.WeakKeyDictionary()


def labels_of(dossier: Dossier) -> list[Label]:
    labels = _LABELS.get(dossier)
    if labels is None:
        labels = [
            Label(r.id, r.kind, one_line(r.name) or r.id, tuple(one_line(a) for a in r.aliases))
            for kind in KIND_ORDER
            for r in dossier.each_of_kind(kind)  # type: ignore[arg-type]
        ]
        _LABELS[dossier] = labels
    return labels


class RecordProvider(Provider):
    """Every record of the loaded dossier, by name, alias or id."""

    def _labels(self) -> list[Label]:
        dossier: Dossier | None = getattr(self.app, "dossier", None)
        return [] if dossier is None else labels_of(dossier)

    def _jump(self, record_id: str) -> Callable[[], None]:
        select = getattr(self.app, "select_record", None)
        return partial(select, record_id) if callable(select) else (lambda: None)

    @staticmethod
    def _help(label: Label) -> str:
        return f"{label.kind} · {label.id}"

    async def discover(self) -> Hits:
        shown = 0
        for label in self._labels():
            if shown >= DISCOVERY_LIMIT:
                break
            if label.kind in ("event", "source"):
                continue
            shown += 1
            yield DiscoveryHit(
                Content.assemble(label.name, (f"  {label.kind}", render.MUTED)),
                self._jump(label.id),
                text=label.name,
                help=self._help(label),
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        needle = query.casefold().strip()
        if not needle:
            return
        for label in self._labels():
            name = label.name
            best = 0.0
            best_label = name
            via = ""
            for text, what in (
                (name, ""),
                *((alias, "alias") for alias in label.aliases),
                (label.id, "id"),
            ):
                if not text or not _subsequence(needle, text.casefold()):
                    continue
                score = matcher.match(text)
                if score > best:
                    best, best_label, via = score, text, what
            if best <= 0:
                continue
            if via:
                display = Content.assemble(
                    name, (f"  {via}: ", render.MUTED), highlight(matcher, best_label)
                )
            else:
                display = highlight(matcher, name)
            display = Content.assemble(display, (f"  {label.kind}", render.MUTED))
            yield Hit(best, display, self._jump(label.id), text=name, help=self._help(label))


class SafeCommandPalette(CommandPalette):
    """The stock palette, but page up/down cannot crash its list in a tiny terminal.

    OptionList's page moves raise when the list has (almost) no room; step one
    option instead, which is all a page is at that size anyway.
    """

    def dismiss(self, result: object = None) -> AwaitComplete:
        # Two enters typed quickly both reach the palette's select handler before it has
        # closed; Textual's dismiss pops whatever is on top, so the second one would pop
        # the main screen. Only the palette on top may close itself.
        if self.app.screen is not self:
            return AwaitComplete.nothing()
        return super().dismiss(result)

    def _watch__list_visible(self) -> None:
        # Textual's gather worker may finish after the palette has begun to close and
        # its list is gone; showing or hiding a list that no longer exists is moot.
        if self.query(CommandList):
            super()._watch__list_visible()

    def _action_command_list(self, action: str) -> None:
        if action in ("page_up", "page_down"):
            try:
                region = self.query_one(CommandList).scrollable_content_region
            except Exception:
                return
            if region.height <= 2 or region.width <= 4:
                action = "cursor_up" if action == "page_up" else "cursor_down"
        super()._action_command_list(action)
