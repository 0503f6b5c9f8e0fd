"""Command palette providers: jump to any record (fuzzy by name, alias or id), and this
app's own commands.

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
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from partnership_tui.model.build.text import one_line
from partnership_tui.tui import render
from partnership_tui.tui.compat import GuardedCommandPalette
from partnership_tui.tui.messages import SelectRecord, ToggleNarrow

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
        from partnership_tui.tui.app import PartnershipApp

        app = self.app
        dossier = app.dossier if isinstance(app, PartnershipApp) else None
        return [] if dossier is None else labels_of(dossier)

    def _jump(self, record_id: str) -> Callable[[], None]:
        return partial(self.app.post_message, SelectRecord(record_id))

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


class SafeCommandPalette(GuardedCommandPalette):
    """The stock palette with its crash guards (see compat), closed only from the top."""

    def dismiss(self, result: object = None) -> AwaitComplete:
        # Two enters typed quickly both reach the palette's select handler before it has
        # closed; Textual's dismiss pops whatever is on top, so the second one would pop
        # the main screen. Only the palette on top may close itself.
        if self.app.screen is not self:
            return AwaitComplete.nothing()
        return super().dismiss(result)


class AppCommands(Provider):
    """This app's own commands (not Textual's generic ones): search, copy, open, narrow, theme."""

    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app = self.app
        commands: list[tuple[str, str, Callable[[], object]]] = [
            ("Search every source and record", "s", partial(app.run_action, "search")),
            ("Copy the citation", "c", partial(app.run_action, "copy")),
            ("Open the source's web page", "o", partial(app.run_action, "open_url")),
            (
                "Timeline: narrow to the marked events, or show all",
                "*",
                partial(app.post_message, ToggleNarrow()),
            ),
            ("Overview of the dossier", "0", partial(app.run_action, "overview")),
            ("Help: every key", "?", partial(app.run_action, "help")),
            ("Quit", "q", app.exit),
        ]
        for name in sorted(app.available_themes):
            commands.append((f"Theme: {name}", "", partial(setattr, app, "theme", name)))
        return commands

    async def discover(self) -> Hits:
        for title, key, run in self._commands():
            if not title.startswith("Theme:"):
                yield DiscoveryHit(Content(title), run, help=f"key: {key}" if key else None)

    async def search(self, query: str) -> Hits:
        # Words, not scattered letters: a record's name typed here must not bring up
        # commands that merely contain its letters in order.
        matcher = self.matcher(query)
        words = query.casefold().split()
        for title, key, run in self._commands():
            folded = title.casefold()
            if not words or not all(word in folded for word in words):
                continue
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score, highlight(matcher, title), run, help=f"key: {key}" if key else None
                )
