"""Load a dossier folder: read strictly, check everything, verify every quote, collect all problems.

The pipeline, in order: each file is read (model.read), its records built
(model.build: fields, quotes, per-kind builders), then references and names are
checked across files, and the records become a Dossier (model.dossier) with its
indexes and mentions. It lives here, above the builders, because its result is
a Dossier.

The loader only reads. It never writes to, renames or creates anything in the
dossier folder.
"""

from __future__ import annotations

import contextlib
import difflib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..build.fields import (
    MAX_FILE_BYTES,
    Context,
    FieldReader,
    SourceText,
    register_id,
)
from ..build.kinds import (
    KIND_FILES,
    require_citation,
)
from ..build.quotes import (
    read_citations,
)
from ..build.records import (
    KIND_PLURALS,
    Kind,
    Record,
    Source,
)
from ..build.schema import ENTITY_REFS, FILE_OF_STEM
from ..build.text import normalise_with_map, split_sentences
from ..read.nodes import Map, Node, Seq
from ..read.problems import DossierError, Problem
from ..read.yamlfast import Unsupported, read_subset
from ..read.yamlsafe import YamlProblems, decode, read_yaml, read_yaml_events
from .dossier import Dossier
from .indexes import compact_from_records, paused_gc

_SOURCE = FILE_OF_STEM["sources"].record
_DOSSIER = FILE_OF_STEM["dossier"].record

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
        ctx.problems.append(Problem(shown, 0, 0, f"cannot read: {exc.strerror}", "check the path"))
        return None
    if len(raw) > MAX_FILE_BYTES:
        ctx.problems.append(Problem(shown, 0, 0, "file larger than 64 MiB", "split it"))
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


def _load_sources(ctx: Context) -> list[Source]:
    path = ctx.root / "sources.yaml"
    if not path.exists():
        ctx.problems.append(
            Problem(
                _shown(ctx, path), 0, 0, "no sources.yaml", "a dossier needs at least one source"
            )
        )
        return []
    out: list[Source] = []
    shown = _shown(ctx, path)
    for item in _records_in(ctx, path, _read_node(ctx, path)):
        reader = FieldReader(ctx, shown, item, _SOURCE.what, _SOURCE.keys)
        record_id = register_id(ctx, reader, "source")
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
        record_id = register_id(ctx, reader, kind)
        cites = read_citations(ctx, reader)
        record = self.builder(ctx, reader, record_id or "", cites)
        if kind != "claim":
            require_citation(ctx, reader, cites, f"{kind} {record_id or ''}".strip())
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
    reader = FieldReader(ctx, _shown(ctx, path), node, _DOSSIER.what, _DOSSIER.keys)
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
        if ctx.root.exists():
            problem = Problem(str(root), 0, 0, "not a folder", "pass the dossier's folder")
        else:
            problem = Problem(str(root), 0, 0, "no such folder", "check the path")
        raise DossierError([problem])
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
