"""Load a dossier folder: read strictly, check everything, verify every quote, collect all problems.

The loader only reads. It never writes to, renames or creates anything in the
dossier folder.
"""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..dossier.dossier import Dossier, compact_from_records, paused_gc
from ..read.nodes import Map, Node, Scalar, Seq
from ..read.problems import DossierError, Problem
from ..read.yamlfast import Unsupported, read_subset
from ..read.yamlsafe import YamlProblems, decode, read_yaml, read_yaml_events
from .dates import DateError, PartialDate, parse_date
from .records import (
    KIND_PLURALS,
    Amount,
    Citation,
    Claim,
    ClaimSide,
    Company,
    Deal,
    Event,
    Fact,
    Kind,
    Party,
    Person,
    Product,
    Record,
    Role,
    Source,
    Tension,
    Term,
)
from .text import OffsetMap, find_all, normalise, normalise_with_map, split_sentences

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
ENTITY_REFS: tuple[Kind, ...] = ("company", "person", "product")
ANY_RECORD: tuple[Kind, ...] = ("company", "person", "product", "deal", "tension", "event", "claim")

COMPANY_TYPES = ("company", "organisation", "regulator", "publisher", "research-lab")
PRODUCT_TYPES = ("model", "service", "platform", "hardware", "product")
DEAL_TYPES = (
    "investment",
    "cloud",
    "commercial",
    "clause",
    "funding-round",
    "project",
    "hiring",
    "partnership",
)
DEAL_STATUSES = ("proposed", "announced", "active", "completed", "ended", "renegotiated", "unknown")
TENSION_CATEGORIES = (
    "governance",
    "competition",
    "compute",
    "exclusivity",
    "regulatory",
    "talent",
    "financial",
    "commercial",
    "culture",
    "strategy",
)
TENSION_STATUSES = ("emerging", "ongoing", "easing", "resolved", "denied", "unknown")
MAX_FILE_BYTES = 64 * 1024 * 1024


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
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean {close[0]!r}?" if close else f"allowed: {', '.join(allowed)}"
                ctx.problem(path, key_node, f"unknown key {key!r} in {what}", hint)

    def has(self, key: str) -> bool:
        return key in self.items

    def at(self, key: str) -> Node:
        return self.items[key][1] if key in self.items else self.node

    def _scalar(self, key: str, required: bool) -> Scalar | None:
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
        node = self._scalar(key, required)
        if node is None:
            return None
        if required and not node.value.strip():
            self.ctx.problem(self.path, node, f"{key!r} is empty")
        return node.value

    def choice(self, key: str, options: tuple[str, ...], default: str) -> str:
        node = self._scalar(key, False)
        if node is None:
            return default
        if node.value not in options:
            close = difflib.get_close_matches(node.value, options, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"one of: {', '.join(options)}"
            self.ctx.problem(self.path, node, f"{key!r} cannot be {node.value!r}", hint)
            return default
        return node.value

    def flag(self, key: str) -> bool:
        node = self._scalar(key, False)
        if node is None:
            return False
        if node.value in ("true", "false") and node.plain:
            return node.value == "true"
        self.ctx.problem(self.path, node, f"{key!r} must be true or false", "write true or false")
        return False

    def date(self, key: str) -> PartialDate | None:
        node = self._scalar(key, False)
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
        node = self._scalar(key, required)
        if node is None:
            return None
        self.ctx.pending_ref(node, kinds, self.path, key)
        return node.value

    def refs(self, key: str, kinds: tuple[Kind, ...]) -> tuple[str, ...]:
        out: list[str] = []
        ctx = self.ctx
        known = ctx.ids.get
        for item in self.seq(key):
            if type(item) is Scalar:
                value = item.value
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


# --- sources -----------------------------------------------------------------


def _read_node(ctx: Context, path: Path) -> Node | None:
    text = _read_text(ctx, path)
    if text is None:
        return None
    try:
        return read_yaml(text, _shown(ctx, path))
    except YamlProblems as exc:
        ctx.problems.extend(exc.problems)
        return None


def _read_text(ctx: Context, path: Path) -> str | None:
    """A YAML file's text; None, with the problem recorded, if it cannot be read or decoded."""
    shown = _shown(ctx, path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        ctx.problems.append(Problem(shown, 1, 1, f"cannot read: {exc.strerror}", "check the path"))
        return None
    if len(raw) > MAX_FILE_BYTES:
        ctx.problems.append(Problem(shown, 1, 1, "file larger than 64 MiB", "split it"))
        return None
    try:
        return decode(raw, shown)
    except YamlProblems as exc:
        ctx.problems.extend(exc.problems)
        return None


def _shown(ctx: Context, path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _records_in(ctx: Context, path: Path, node: Node | None) -> list[Map]:
    shown = _shown(ctx, path)
    if node is None:
        return []
    if not isinstance(node, Seq):
        ctx.problem(
            shown, node, "the file must be a list of records", "start each record with '- '"
        )
        return []
    out: list[Map] = []
    for item in node.items:
        if isinstance(item, Map):
            out.append(item)
        else:
            ctx.problem(shown, item, "each record must be a mapping of fields")
    return out


def _register_id(ctx: Context, reader: FieldReader, kind: Kind) -> str | None:
    node = reader._scalar("id", True)
    if node is None:
        return None
    record_id = node.value
    if not ID_RE.match(record_id):
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


def _load_sources(ctx: Context) -> list[Source]:
    path = ctx.root / "sources.yaml"
    if not path.exists():
        ctx.problems.append(
            Problem(
                _shown(ctx, path), 1, 1, "no sources.yaml", "a dossier needs at least one source"
            )
        )
        return []
    out: list[Source] = []
    shown = _shown(ctx, path)
    for item in _records_in(ctx, path, _read_node(ctx, path)):
        reader = FieldReader(
            ctx,
            shown,
            item,
            "source",
            ("id", "title", "publisher", "url", "published", "note", "file"),
        )
        record_id = _register_id(ctx, reader, "source")
        title = reader.text("title", required=True) or ""
        file_name = reader.text("file") or f"sources/{record_id}.txt"
        record = Source(
            id=record_id or "",
            name=title,
            summary=reader.text("note") or "",
            citations=(),
            publisher=reader.text("publisher"),
            url=reader.text("url"),
            published=reader.date("published"),
            note=reader.text("note"),
        )
        if record_id is None:
            continue
        text = _read_source_text(ctx, reader, file_name)
        if text is None:
            continue
        folded, offsets = normalise_with_map(text)
        ctx.sources[record_id] = SourceText(text, folded, offsets, file_name)
        out.append(_with_text(record, text))
    return out


def _with_text(record: Source, text: str) -> Source:
    return replace(record, text=text, sentences=split_sentences(text))


def _read_source_text(ctx: Context, reader: FieldReader, file_name: str) -> str | None:
    anchor = reader.at("file") if reader.has("file") else reader.at("id")
    relative = Path(file_name)
    if relative.is_absolute() or ".." in relative.parts:
        ctx.problem(reader.path, anchor, f"source file {file_name!r} is outside the dossier")
        return None
    path = ctx.root / relative
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        ctx.problem(
            reader.path,
            anchor,
            f"source text {file_name} is missing",
            f"create {_shown(ctx, path)}",
        )
        return None
    except OSError as exc:
        ctx.problem(reader.path, anchor, f"cannot read {file_name}: {exc.strerror}")
        return None
    if len(raw) > MAX_FILE_BYTES:
        ctx.problem(reader.path, anchor, f"source text {file_name} is larger than 64 MiB")
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        ctx.problems.append(
            Problem(
                _shown(ctx, path),
                line,
                col,
                f"source text is not UTF-8 (byte 0x{raw[exc.start]:02x})",
                "convert the file to UTF-8",
            )
        )
        return None


# --- citations ---------------------------------------------------------------


def _citations(ctx: Context, reader: FieldReader, key: str = "citations") -> tuple[Citation, ...]:
    out: list[Citation] = []
    for item in reader.maps(key):
        cite = FieldReader(
            ctx, reader.path, item, "citation", ("source", "exact", "prefix", "suffix")
        )
        source_node = cite._scalar("source", True)
        exact_node = cite._scalar("exact", True)
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
            source_node.value,
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


# --- records -----------------------------------------------------------------


def _amount(ctx: Context, reader: FieldReader, key: str = "amount") -> Amount | None:
    node = reader.mapping(key)
    if node is None:
        return None
    sub = FieldReader(
        ctx, reader.path, node, "amount", ("value", "currency", "text", "approximate")
    )
    value_node = sub._scalar("value", True)
    value: float | int = 0
    if value_node is not None:
        try:
            value = int(value_node.value.replace("_", ""))
        except ValueError:
            try:
                value = float(value_node.value.replace("_", ""))
            except ValueError:
                ctx.problem(
                    reader.path,
                    value_node,
                    f"amount value {value_node.value!r} is not a number",
                    "write the figure in whole units, e.g. 13000000000",
                )
        if value_node is not None and not value_node.plain:
            ctx.problem(reader.path, value_node, "amount value must be an unquoted number")
    currency = sub.text("currency", required=True) or ""
    if currency and not re.fullmatch(r"[A-Z]{3}", currency):
        ctx.problem(
            reader.path, sub.at("currency"), f"currency {currency!r} is not an ISO code", "e.g. USD"
        )
    return Amount(value, currency, sub.text("text", required=True) or "", sub.flag("approximate"))


def _parties(ctx: Context, reader: FieldReader, role_key: str) -> tuple[Party, ...]:
    out: list[Party] = []
    for item in reader.maps("parties", required=True):
        sub = FieldReader(ctx, reader.path, item, "party", ("ref", role_key))
        ref = sub.ref("ref", ENTITY_REFS, required=True)
        role = sub.text(role_key, required=True)
        if ref:
            out.append(Party(ref, role or ""))
    distinct = {p.ref for p in out}
    if len(distinct) < 2:
        ctx.problem(
            reader.path,
            reader.at("parties"),
            f"{reader.what} needs at least two distinct parties (has {len(distinct)})",
            "name every side involved",
        )
    return tuple(out)


def _check_order(
    ctx: Context,
    reader: FieldReader,
    start: PartialDate | None,
    end: PartialDate | None,
    end_key: str,
) -> None:
    if start and end and end.latest_key < start.sort_key[:3]:
        ctx.problem(
            reader.path, reader.at(end_key), f"ends ({end.text}) before it starts ({start.text})"
        )


_COMMON = ("id", "summary", "citations")
_ENTITY = (*_COMMON, "name", "aliases", "match_case")


def _company(ctx: Context, r: FieldReader, rid: str, cites: tuple[Citation, ...]) -> Record:
    facts = []
    for item in r.maps("facts"):
        sub = FieldReader(ctx, r.path, item, "fact", ("label", "value", "citations"))
        fact_cites = _citations(ctx, sub)
        _require_citation(ctx, sub, fact_cites, "fact")
        facts.append(Fact(sub.text("label", True) or "", sub.text("value", True) or "", fact_cites))
    return Company(
        id=rid,
        name=r.text("name", True) or rid,
        summary=r.text("summary") or "",
        citations=cites,
        type=r.choice("type", COMPANY_TYPES, "company"),
        aliases=r.strings("aliases"),
        match_case=r.flag("match_case"),
        parent=r.ref("parent", ("company",)),
        facts=tuple(facts),
    )


def _person(ctx: Context, r: FieldReader, rid: str, cites: tuple[Citation, ...]) -> Record:
    roles = []
    for item in r.maps("roles"):
        sub = FieldReader(
            ctx, r.path, item, "role", ("org", "title", "start", "end", "date_note", "citations")
        )
        start, end = sub.date("start"), sub.date("end")
        _check_order(ctx, sub, start, end, "end")
        role_cites = _citations(ctx, sub)
        _require_citation(ctx, sub, role_cites, "role")
        roles.append(
            Role(
                org=sub.ref("org", ("company",), required=True) or "",
                title=sub.text("title", True) or "",
                start=start,
                end=end,
                date_note=sub.text("date_note"),
                citations=role_cites,
            )
        )
    return Person(
        id=rid,
        name=r.text("name", True) or rid,
        summary=r.text("summary") or "",
        citations=cites,
        aliases=r.strings("aliases"),
        match_case=r.flag("match_case"),
        roles=tuple(roles),
    )


def _product(ctx: Context, r: FieldReader, rid: str, cites: tuple[Citation, ...]) -> Record:
    return Product(
        id=rid,
        name=r.text("name", True) or rid,
        summary=r.text("summary") or "",
        citations=cites,
        type=r.choice("type", PRODUCT_TYPES, "product"),
        aliases=r.strings("aliases"),
        match_case=r.flag("match_case"),
        maker=r.ref("maker", ("company",)),
    )


def _deal(ctx: Context, r: FieldReader, rid: str, cites: tuple[Citation, ...]) -> Record:
    date, end = r.date("date"), r.date("end")
    _check_order(ctx, r, date, end, "end")
    terms = []
    for item in r.maps("terms"):
        sub = FieldReader(ctx, r.path, item, "term", ("text", "citations"))
        term_cites = _citations(ctx, sub)
        _require_citation(ctx, sub, term_cites, "term")
        terms.append(Term(sub.text("text", True) or "", term_cites))
    return Deal(
        id=rid,
        name=r.text("name", True) or rid,
        summary=r.text("summary") or "",
        citations=cites,
        type=r.choice("type", DEAL_TYPES, "partnership"),
        aliases=r.strings("aliases"),
        parties=_parties(ctx, r, "role"),
        amount=_amount(ctx, r),
        date=date,
        end=end,
        date_note=r.text("date_note"),
        status=r.choice("status", DEAL_STATUSES, "unknown"),
        projected=r.flag("projected"),
        terms=tuple(terms),
        related=r.refs("related", ANY_RECORD),
    )


def _tension(ctx: Context, r: FieldReader, rid: str, cites: tuple[Citation, ...]) -> Record:
    return Tension(
        id=rid,
        name=r.text("name", True) or rid,
        summary=r.text("summary") or "",
        citations=cites,
        category=r.choice("category", TENSION_CATEGORIES, "strategy"),
        parties=_parties(ctx, r, "stance"),
        status=r.choice("status", TENSION_STATUSES, "unknown"),
        start=r.date("start"),
        date_note=r.text("date_note"),
        related=r.refs("related", ANY_RECORD),
    )


def _event(ctx: Context, r: FieldReader, rid: str, cites: tuple[Citation, ...]) -> Record:
    return Event(
        id=rid,
        name=r.text("name", True) or rid,
        summary=r.text("summary") or "",
        citations=cites,
        date=r.date("date"),
        date_note=r.text("date_note"),
        projected=r.flag("projected"),
        amount=_amount(ctx, r),
        involves=r.refs("involves", ENTITY_REFS),
        related=r.refs("related", ANY_RECORD),
    )


def _claim(ctx: Context, r: FieldReader, rid: str, cites: tuple[Citation, ...]) -> Record:
    sides = []
    for item in r.maps("sides", required=True):
        sub = FieldReader(ctx, r.path, item, "claim side", ("says", "amount", "citations"))
        side_cites = _citations(ctx, sub)
        _require_citation(ctx, sub, side_cites, "claim side")
        sides.append(ClaimSide(sub.text("says", True) or "", _amount(ctx, sub), side_cites))
    if len(sides) < 2:
        ctx.problem(r.path, r.at("sides"), "a claim needs at least two sides", "cite each version")
    return Claim(
        id=rid,
        name=r.text("name", True) or rid,
        summary=r.text("summary") or "",
        citations=cites,
        about=r.refs("about", ANY_RECORD),
        sides=tuple(sides),
    )


Builder = Callable[[Context, FieldReader, str, tuple[Citation, ...]], Record]
KIND_FILES: dict[Kind, tuple[Builder, tuple[str, ...]]] = {
    "company": (_company, (*_ENTITY, "type", "parent", "facts")),
    "person": (_person, (*_ENTITY, "roles")),
    "product": (_product, (*_ENTITY, "type", "maker")),
    "deal": (
        _deal,
        (
            *_COMMON,
            "name",
            "aliases",
            "type",
            "parties",
            "amount",
            "date",
            "end",
            "date_note",
            "status",
            "projected",
            "terms",
            "related",
        ),
    ),
    "tension": (
        _tension,
        (*_COMMON, "name", "category", "parties", "status", "start", "date_note", "related"),
    ),
    "event": (
        _event,
        (*_COMMON, "name", "date", "date_note", "projected", "amount", "involves", "related"),
    ),
    "claim": (_claim, (*_COMMON, "name", "about", "sides")),
}


def _require_citation(
    ctx: Context, reader: FieldReader, cites: tuple[Citation, ...], what: str
) -> None:
    if not cites and not reader.seq("citations"):
        ctx.problem(
            reader.path,
            reader.node,
            f"{what} has no citation",
            "add citations: [{source: ..., exact: ...}] with the sentence that says it",
        )


def _load_kind(ctx: Context, kind: Kind, tick: Callable[[str], None]) -> list[Record]:
    """A kind's records, each built as soon as the reader has its lines (see `_RecordSink`)."""
    plural = KIND_PLURALS[kind]
    path = ctx.root / f"{plural}.yaml"
    if not path.exists():
        return []
    shown = _shown(ctx, path)
    text = _read_text(ctx, path)
    if text is None:
        return []
    sink = _RecordSink(ctx, kind, shown, tick, _count_entries(text))
    try:
        root = read_subset(text, sink.item)
    except Unsupported:
        # Outside the fast reader's subset (or wrong): undo what its entries did, and read
        # the whole file through libyaml, which has the exact refusal or error to report.
        sink.undo()
        try:
            root = read_yaml_events(text, shown)
        except YamlProblems as exc:
            ctx.problems.extend(exc.problems)
            return []
    del text
    return sink.finish(root)


def _count_entries(text: str) -> int:
    """How many records a file seems to hold (entries starting "- " at the margin): for progress."""
    return text.count("\n-") + text.startswith("-")


# Entries are built this many at a time: reading a batch of entries, then building their
# records, is ~5% quicker than alternating entry by entry (each loop stays warm in the
# CPU's caches), and holds a couple of thousand entries' trees (~7 MB) at most.
BATCH = 2000


class _RecordSink:
    """Builds one record per entry of a kind's file as the reader hands entries over (a
    batch of `BATCH` at a time), then drops the entries.

    A large file's whole tree (a node per key and value: ~0.5 GB for 100k
    events, with its split lines) is never held at once. The problems come out in the order the old
    read-everything-then-check loop gave: the file's "each record must be a
    mapping" problems first (they are kept aside and put in front at the end),
    then each record's. `undo` forgets everything done so far, for a reader that
    gives up half way (the file is then read again by the full reader).
    """

    def __init__(
        self, ctx: Context, kind: Kind, shown: str, tick: Callable[[str], None], expected: int
    ) -> None:
        self.ctx, self.kind, self.shown, self.tick, self.expected = ctx, kind, shown, tick, expected
        self.builder, self.allowed = KIND_FILES[kind]
        self.plural = KIND_PLURALS[kind]
        self.out: list[Record] = []
        self.not_maps: list[Problem] = []
        self.seen = 0
        self.batch: list[Node] = []
        self.marks = (len(ctx.problems), len(ctx.refs), len(ctx.ids))

    def item(self, item: Node) -> None:
        """Take one entry; they are built a batch at a time (see `BATCH`)."""
        batch = self.batch
        batch.append(item)
        if len(batch) >= BATCH:
            self.flush()

    def flush(self) -> None:
        batch, self.batch = self.batch, []
        for item in batch:
            self.build(item)

    def build(self, item: Node) -> None:
        ctx = self.ctx
        if type(item) is not Map:
            self.not_maps.append(
                Problem(self.shown, item.line, item.col, "each record must be a mapping of fields")
            )
            return
        done = self.seen
        if done % PROGRESS_EVERY == 0 and done:
            self.tick(f"checking {self.plural}: {done:,} of {max(done, self.expected):,}")
        self.seen = done + 1
        kind = self.kind
        reader = FieldReader(ctx, self.shown, item, kind, self.allowed)
        record_id = _register_id(ctx, reader, kind)
        cites = _citations(ctx, reader)
        record = self.builder(ctx, reader, record_id or "", cites)
        if kind != "claim":
            _require_citation(ctx, reader, cites, f"{kind} {record_id or ''}".strip())
        if record_id is not None:
            self.out.append(record)

    def undo(self) -> None:
        ctx = self.ctx
        problems, refs, ids = self.marks
        del ctx.problems[problems:], ctx.refs[refs:]
        for record_id in list(ctx.ids)[ids:]:  # a dict keeps insertion order; ids are only added
            del ctx.ids[record_id]
        self.out, self.not_maps, self.seen, self.batch = [], [], 0, []

    def finish(self, root: Node | None) -> list[Record]:
        """The records, once the reader is done; `root` is what it returned."""
        self.flush()
        if root is None:
            return []
        if type(root) is not Seq:
            self.ctx.problem(
                self.shown,
                root,
                "the file must be a list of records",
                "start each record with '- '",
            )
            return []
        for item in root.items:  # what a reader kept (the full reader keeps every entry)
            self.build(item)
        root.items = []
        at = self.marks[0]
        self.ctx.problems[at:at] = self.not_maps
        return self.out


def _check_refs(ctx: Context) -> None:
    ids = ctx.ids
    for target, kinds, path, line, col, field_name in ctx.refs:
        found = ids.get(target)
        if found is None:
            close = difflib.get_close_matches(target, list(ids), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}?" if close else "no record has this id"
            ctx.problems.append(
                Problem(path, line, col, f"{field_name} {target!r} does not exist", hint)
            )
        elif found[0] not in kinds:
            ctx.problems.append(
                Problem(
                    path,
                    line,
                    col,
                    f"{field_name} {target!r} is a {found[0]}, not a {' or '.join(kinds)}",
                    f"defined at {found[1]}:{found[2]}",
                )
            )


def _check_names(ctx: Context, records: list[Any]) -> None:
    """Two records may not share a name: a mention of it could not say which one it means."""
    owners: dict[str, str] = {}
    for record in records:
        if record.kind not in ENTITY_REFS and record.kind != "deal":
            continue
        names = record.aliases if record.kind == "deal" else (record.name, *record.aliases)
        for name in names:
            key = " ".join(name.casefold().split())
            other = owners.setdefault(key, record.id)
            if other != record.id:
                _, path, line, col = ctx.ids[record.id]
                ctx.problems.append(
                    Problem(
                        path,
                        line,
                        col,
                        f"name or alias {name!r} of {record.id!r} is also used by {other!r}",
                        "give each name to one record; mentions must say who they mean",
                    )
                )


def _load_meta(ctx: Context) -> dict[str, str]:
    path = ctx.root / "dossier.yaml"
    if not path.exists():
        return {}
    node = _read_node(ctx, path)
    if node is None:
        return {}
    if not isinstance(node, Map):
        ctx.problem(
            _shown(ctx, path), node, "dossier.yaml must be a mapping of title and description"
        )
        return {}
    reader = FieldReader(ctx, _shown(ctx, path), node, "dossier", ("title", "description"))
    return {"title": reader.text("title") or "", "description": reader.text("description") or ""}


Progress = Callable[[str, int, int], None]
"""Called as progress(what is being done, steps done, total steps) during a load.

Within a step that has many records, it is called again every PROGRESS_EVERY
records with the same step numbers and a "checking events: 20,000 of 100,000"
text, so a long step still shows movement.
"""
PROGRESS_EVERY = 10_000


def load_dossier(
    root: str | Path, progress: Progress | None = None, *, compact: bool = False
) -> Dossier:
    """Load and check a dossier folder; raise DossierError listing every problem.

    With `compact`, the dossier is built straight in its compact form
    (`compact_from_records`) and answered from it, exactly as after a warm
    open: what the cache wants, since it stores that form, and without the
    object indexes (~250k Mention objects, ~100 MB for a large dossier) ever
    existing next to it. Without, the records get object indexes
    (`Dossier(records)`): quicker when nothing is to be stored, since the
    records need no encoding.
    """
    with paused_gc():
        return _load_dossier(root, progress, compact)


def _load_dossier(root: str | Path, progress: Progress | None, compact: bool) -> Dossier:
    ctx = Context(Path(root))
    if not ctx.root.is_dir():
        raise DossierError([Problem(str(root), 1, 1, "not a folder", "pass the dossier's folder")])
    total = len(KIND_FILES) + 3
    report = progress or (lambda what, done, total: None)
    report("reading sources", 0, total)
    meta = _load_meta(ctx)
    records: list[Any] = list(_load_sources(ctx))
    for step, kind in enumerate(KIND_FILES, start=1):
        report(f"reading {KIND_PLURALS[kind]}", step, total)
        records.extend(
            _load_kind(ctx, kind, lambda what, step=step: report(what, step, total))  # type: ignore[misc]
        )
    report("checking references", total - 2, total)
    _check_refs(ctx)
    _check_names(ctx, records)
    if ctx.problems:
        raise DossierError(ctx.problems)
    report("linking mentions", total - 1, total)
    title = meta.get("title") or ctx.root.resolve().name
    # What only checking needed (folded source texts, every id's position, references)
    # goes before the indexes are built, so the two never take memory at once.
    ctx.sources.clear()
    ctx.ids.clear()
    ctx.refs.clear()
    ctx.dates.clear()
    description = meta.get("description", "")
    dossier: Dossier | None = None
    if compact:
        with contextlib.suppress(ValueError):  # not storable (never, from the loader)
            dossier = Dossier.from_compact(compact_from_records(records, title, description))
    if dossier is None:
        dossier = Dossier(records, title=title, description=description)
    report("done", total, total)
    return dossier
