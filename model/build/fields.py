"""Reading one record's fields: typed access to a YAML mapping, problems collected, ids.

Every value stays a string until a field asks for a type; a bad value records a
`path:line:col` problem and gives a default, so one load reports every problem.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

# Ids and enumerated values are interned: a large dossier names the same few thousand ids
# some 400k times, each a string of its own as read (~30 MB of a first open's peak).
from sys import intern

from ..read.files import DossierFiles
from ..read.nodes import Map, Node, Scalar, Seq
from ..read.problems import Problem
from .dates import DateError, PartialDate, parse_date
from .records import (
    Kind,
)
from .schema import ID_PATTERN, enum
from .text import OffsetMap

# Used with fullmatch: "$" alone lets a trailing newline through ("newco\n").
ID_RE = re.compile(ID_PATTERN)

# The enum tables come from the format's one definition (schema.py), as do the
# allowed keys the builders pass to FieldReader.
COMPANY_TYPES = enum("company", "type").values
PRODUCT_TYPES = enum("product", "type").values
DEAL_TYPES = enum("deal", "type").values
DEAL_STATUSES = enum("deal", "status").values
TENSION_CATEGORIES = enum("tension", "category").values
TENSION_STATUSES = enum("tension", "status").values


@dataclass(slots=True)
class SourceText:
    text: str
    folded: str
    offsets: OffsetMap
    path: str


# A reference to check once every id is known: (target id, kinds it may be, path, line and
# column of the node naming it, field). A plain tuple: a large dossier has hundreds of
# thousands, and positions rather than the node, so that a record's tree can go once read.
PendingRef = tuple[str, tuple[Kind, ...], str, int, int, str]


@dataclass
class Context:
    root: Path
    problems: list[Problem] = field(default_factory=list)
    sources: dict[str, SourceText] = field(default_factory=dict)
    refs: list[PendingRef] = field(default_factory=list)
    # id -> (kind, path, line, col) of its definition
    ids: dict[str, tuple[Kind, str, int, int]] = field(default_factory=dict)
    # date text -> its parsed form: a large dossier repeats the same dates many times
    dates: dict[str, PartialDate] = field(default_factory=dict)
    # The dossier's files, read by the symlink and regular-file rules and noted for the cache
    files: DossierFiles | None = None
    # Kinds whose file could not be read: references to them cannot be checked, and are not
    # (one problem says so, instead of one per reference)
    unreadable: dict[Kind, str] = field(default_factory=dict)
    # what is worth saying but does not stop the load (a text in sources/ with no entry)
    warnings: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.files is None:
            self.files = DossierFiles(self.root)

    def pending_ref(self, node: Scalar, kinds: tuple[Kind, ...], path: str, field: str) -> None:
        """Check a reference once every id is known, unless it already names a fitting record.

        Ids are only ever added, so one that fits now fits at the end: keeping it
        would only hold memory (a large dossier makes ~400k references).
        """
        found = self.ids.get(node.value)
        if found is None or found[0] not in kinds:
            self.refs.append((node.value, kinds, path, node.line, node.col, field))

    def problem(self, path: str, node: Node | None, message: str, hint: str = "") -> None:
        line, col = (node.line, node.col) if node else (1, 1)
        self.problems.append(Problem(path, line, col, message, hint))


_ALLOWED_SETS: dict[tuple[str, ...], frozenset[str]] = {}


# Keys people write for a key of another name: each maps to what they may have meant, in
# the order to suggest; only the ones this mapping allows are offered ("date" on a tension
# is its "start", on an event its "date").
SYNONYMS: dict[str, tuple[str, ...]] = {
    "date": ("start", "date"),
    "when": ("date", "start"),
    "start": ("date", "start"),
    "start_date": ("start", "date"),
    "started": ("start", "date"),
    "begin": ("start", "date"),
    "from": ("start",),
    "to": ("end",),
    "end": ("end", "date"),
    "until": ("end",),
    "ended": ("end",),
    "end_date": ("end",),
    "title": ("name", "title"),
    "label": ("name", "label"),
    "description": ("summary", "note"),
    "desc": ("summary",),
    "notes": ("note", "date_note", "summary"),
    "comment": ("note", "date_note", "summary"),
    "alias": ("aliases",),
    "aka": ("aliases",),
    "citation": ("citations",),
    "cite": ("citations",),
    "cites": ("citations",),
    "quote": ("exact", "citations"),
    "quotes": ("citations",),
    "sources": ("citations",),
    "text": ("exact", "text"),
    "sentence": ("exact",),
    "before": ("prefix",),
    "after": ("suffix",),
    "party": ("parties",),
    "participants": ("parties", "involves"),
    "people": ("involves",),
    "companies": ("involves",),
    "entities": ("involves", "about"),
    "involved": ("involves",),
    "involving": ("involves",),
    "related_to": ("related",),
    "relates": ("related",),
    "links": ("related",),
    "company": ("org", "ref", "maker", "parent"),
    "organisation": ("org",),
    "organization": ("org",),
    "employer": ("org",),
    "id": ("ref", "org"),
    "who": ("ref",),
    "position": ("title",),
    "job": ("title",),
    "stance": ("stance", "role"),
    "role": ("role", "stance", "roles"),
    "kind": ("type", "category"),
    "category": ("category", "type"),
    "state": ("status",),
    "value": ("value", "amount"),
    "money": ("amount",),
    "amount": ("amount", "value"),
    "price": ("amount",),
    "forecast": ("projected",),
    "made_by": ("maker",),
    "vendor": ("maker",),
    "owner": ("parent", "maker"),
    "side": ("sides",),
    "claims": ("sides",),
    "says": ("says",),
    "link": ("url",),
    "href": ("url",),
    "date_published": ("published",),
    "author": ("publisher",),
    "publication": ("publisher",),
}


def key_hint(key: str, allowed: tuple[str, ...]) -> str:
    """ "did you mean 'start'?" from the keys this mapping takes, then the list of them."""
    wanted = key.casefold().replace("-", "_").replace(" ", "_")
    meant = [k for k in SYNONYMS.get(wanted, ()) if k in allowed and k != key]
    if not meant:
        meant = difflib.get_close_matches(wanted, allowed, n=1)
    return f"did you mean {meant[0]!r}?" if meant else f"it takes: {', '.join(allowed)}"


class FieldReader:
    """Typed access to one YAML mapping; records a problem and returns a default on bad input.

    One is made for every mapping of every record (hundreds of thousands in a
    large dossier), so the common case, no unknown key, is one C-level set test.
    """

    __slots__ = ("ctx", "items", "node", "path", "what")

    def __init__(self, ctx: Context, path: str, node: Map, what: str, allowed: tuple[str, ...]):
        self.ctx, self.path, self.node, self.what = ctx, path, node, what
        self.items = items = node.items
        allowed_set = _ALLOWED_SETS.get(allowed)
        if allowed_set is None:
            allowed_set = _ALLOWED_SETS.setdefault(allowed, frozenset(allowed))
        if allowed_set.issuperset(items):
            return
        for key, (key_node, _) in items.items():
            if key not in allowed_set:
                hint = key_hint(key, allowed)
                ctx.problem(path, key_node, f"unknown key {key!r} in {what}", hint)

    def has(self, key: str) -> bool:
        return key in self.items

    def at(self, key: str) -> Node:
        return self.items[key][1] if key in self.items else self.node

    def scalar(self, key: str, required: bool) -> Scalar | None:
        entry = self.items.get(key)
        if entry is None:
            if required:
                self.ctx.problem(self.path, self.node, f"{self.what} is missing {key!r}")
            return None
        value = entry[1]
        if type(value) is not Scalar:
            self.ctx.problem(self.path, value, f"{key!r} must be text, not a list or mapping")
            return None
        if value.plain and value.value in ("", "~", "null", "Null", "NULL"):
            if required:
                self.ctx.problem(self.path, value, f"{key!r} is empty")
            return None
        return value

    def text(self, key: str, required: bool = False) -> str | None:
        node = self.scalar(key, required)
        if node is None:
            return None
        if required and not node.value.strip():
            self.ctx.problem(self.path, node, f"{key!r} is empty")
        return node.value

    def choice(self, key: str, options: tuple[str, ...], default: str) -> str:
        node = self.scalar(key, False)
        if node is None:
            return default
        if node.value not in options:
            close = difflib.get_close_matches(node.value, options, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"one of: {', '.join(options)}"
            self.ctx.problem(self.path, node, f"{key!r} cannot be {node.value!r}", hint)
            return default
        return intern(node.value)

    def flag(self, key: str) -> bool:
        node = self.scalar(key, False)
        if node is None:
            return False
        if node.value in ("true", "false") and node.plain:
            return node.value == "true"
        self.ctx.problem(self.path, node, f"{key!r} must be true or false", "write true or false")
        return False

    def date(self, key: str) -> PartialDate | None:
        node = self.scalar(key, False)
        if node is None:
            return None
        known = self.ctx.dates.get(node.value)
        if known is not None:
            return known
        try:
            date = self.ctx.dates[node.value] = parse_date(node.value)
            return date
        except DateError as exc:
            self.ctx.problem(self.path, node, str(exc), exc.hint)
            return None

    def seq(self, key: str, required: bool = False) -> list[Node]:
        entry = self.items.get(key)
        if entry is None:
            if required:
                self.ctx.problem(self.path, self.node, f"{self.what} is missing {key!r}")
            return []
        value = entry[1]
        if type(value) is Seq:
            return value.items
        if isinstance(value, Scalar) and value.plain and value.value in ("", "~", "null"):
            return []
        if not isinstance(value, Seq):
            self.ctx.problem(self.path, value, f"{key!r} must be a list")
            return []
        return value.items

    def strings(self, key: str) -> tuple[str, ...]:
        out: list[str] = []
        for item in self.seq(key):
            if isinstance(item, Scalar) and item.value.strip():
                out.append(item.value)
            else:
                self.ctx.problem(self.path, item, f"each entry of {key!r} must be non-empty text")
        return tuple(out)

    def ref(self, key: str, kinds: tuple[Kind, ...], required: bool = False) -> str | None:
        node = self.scalar(key, required)
        if node is None:
            return None
        self.ctx.pending_ref(node, kinds, self.path, key)
        return intern(node.value)

    def refs(self, key: str, kinds: tuple[Kind, ...]) -> tuple[str, ...]:
        out: list[str] = []
        ctx = self.ctx
        known = ctx.ids.get
        for item in self.seq(key):
            if type(item) is Scalar:
                value = intern(item.value)  # one string per id, however often it is named
                found = known(value)
                if found is None or found[0] not in kinds:  # as Context.pending_ref, inlined
                    ctx.refs.append((value, kinds, self.path, item.line, item.col, key))
                out.append(value)
            else:
                self.ctx.problem(self.path, item, f"each entry of {key!r} must be a record id")
        return tuple(out)

    def mapping(self, key: str) -> Map | None:
        entry = self.items.get(key)
        if entry is None:
            return None
        value = entry[1]
        if not isinstance(value, Map):
            self.ctx.problem(self.path, value, f"{key!r} must be a mapping")
            return None
        return value

    def maps(self, key: str, required: bool = False) -> list[Map]:
        out: list[Map] = []
        for item in self.seq(key, required):
            if isinstance(item, Map):
                out.append(item)
            else:
                self.ctx.problem(self.path, item, f"each entry of {key!r} must be a mapping")
        return out


def register_id(ctx: Context, reader: FieldReader, kind: Kind) -> str | None:
    node = reader.scalar("id", True)
    if node is None:
        return None
    record_id = intern(node.value)
    if not ID_RE.fullmatch(record_id):
        ctx.problem(
            reader.path,
            node,
            f"bad id {record_id!r}",
            "use lowercase letters, digits and single hyphens, e.g. 'microsoft-2019-investment'",
        )
        return None
    if record_id in ctx.ids:
        _, path, line, col = ctx.ids[record_id]
        ctx.problem(
            reader.path,
            node,
            f"duplicate id {record_id!r}, first defined at {path}:{line}:{col}",
            "ids are shared by every kind of record; rename one",
        )
        return None
    ctx.ids[record_id] = (kind, reader.path, node.line, node.col)
    return record_id
