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
import os
import stat
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

# Imported with the loader (which only a cold load imports), not halfway through a load:
# a module imported among the records puts its objects in the holes they leave and keeps
# those arenas once they go (a first open of the large dossier peaked ~12 MB higher).
from ..build import mentions as _mentions  # noqa: F401
from ..build.fields import (
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
from ..build.schema import ENTITY_REFS, FILE_OF_STEM, PARTY_KINDS
from ..build.suggest import BUDGET, Exhausted, Suggester
from ..build.text import normalise_with_map, split_sentences
from ..read.files import MAX_FILE_BYTES, DossierFiles, FileProblem
from ..read.nodes import Map, Node, Seq
from ..read.problems import DossierError, Problem
from ..read.release import release_free_memory
from ..read.yamlfast import Pieces, Unsupported, read_subset
from ..read.yamlsafe import YamlProblems, decode, read_yaml, read_yaml_events
from .compact import CompactDossier
from .dossier import Dossier
from .indexes import compact_from_records, mention_names, paused_gc

_SOURCE = FILE_OF_STEM["sources"].record
_DOSSIER = FILE_OF_STEM["dossier"].record

# --- sources -----------------------------------------------------------------


def _parse(ctx: Context, text: str, shown: str) -> Node | None:
    try:
        return read_yaml(text, shown)
    except YamlProblems as exc:
        _file_problems(ctx, exc.problems)
        return None


def _file_problems(ctx: Context, problems: list[Problem]) -> None:
    """Problems that keep a whole file from being read: reported before all others."""
    ctx.problems.extend(replace(problem, level="syntax") for problem in problems)


def _read_text(ctx: Context, name: str) -> tuple[bool, str | None]:
    """Whether the dossier has the YAML file `name`, and its text: None, with the problem
    recorded, if it is there but cannot be read or decoded (see model.read.files)."""
    shown = _shown(ctx, ctx.root / name)
    assert ctx.files is not None
    try:
        raw = ctx.files.read(name, MAX_FILE_BYTES)
    except FileProblem as exc:
        _file_problems(ctx, [Problem(shown, 0, 0, f"{name} {exc.message}", exc.hint)])
        return True, None
    if raw is None:
        return False, None
    try:
        return True, decode(raw, shown)
    except YamlProblems as exc:
        _file_problems(ctx, exc.problems)
        return True, None


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
        _file_problems(
            ctx,
            [
                Problem(
                    shown,
                    node.line,
                    node.col,
                    "the file must be a list of records",
                    "start each record with '- '",
                )
            ],
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
    shown = _shown(ctx, path)
    exists, text = _read_text(ctx, "sources.yaml")
    if not exists:
        ctx.problems.append(
            Problem(shown, 0, 0, "no sources.yaml", "a dossier needs at least one source")
        )
    node = None if text is None else _parse(ctx, text, shown)
    if node is None:
        ctx.unreadable["source"] = shown
        return []
    out: list[Source] = []
    for item in _records_in(ctx, path, node):
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
    if "source" not in ctx.unreadable:
        _texts_without_entry(ctx, {source.path for source in ctx.sources.values()})
    return out


def _texts_without_entry(ctx: Context, used: set[str]) -> None:
    """A warning for each sources/*.txt that no entry of sources.yaml reads: a text added by
    hand and forgotten, or an entry whose id was renamed."""
    folder = ctx.root / "sources"
    try:
        names = sorted(entry.name for entry in folder.iterdir() if entry.suffix == ".txt")
    except OSError:
        return
    for name in names:
        if f"sources/{name}" in used or str(Path("sources") / name) in used:
            continue
        ctx.warnings.append(
            Problem(
                _shown(ctx, folder / name),
                1,
                1,
                "no entry in sources.yaml reads this text",
                f"add one with: partnership-tui add-source ... --id {Path(name).stem}, "
                "or remove the file",
                level="warning",
            )
        )


def _with_text(record: Source, text: str) -> Source:
    return replace(record, text=text, sentences=split_sentences(text))


def _read_source_text(ctx: Context, reader: FieldReader, file_name: str) -> str | None:
    anchor = reader.at("file") if reader.has("file") else reader.at("id")
    path = ctx.root / file_name.replace("\0", "")
    assert ctx.files is not None
    try:
        raw = ctx.files.read(file_name, MAX_FILE_BYTES)
    except FileProblem as exc:
        ctx.problem(reader.path, anchor, f"source text {file_name!r} {exc.message}", exc.hint)
        return None
    if raw is None:
        ctx.problem(
            reader.path,
            anchor,
            f"source text {file_name} is missing",
            f"create {_shown(ctx, path)}",
        )
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
    shown = _shown(ctx, path)
    exists, text = _read_text(ctx, path.name)
    if text is None:
        if exists:
            ctx.unreadable[kind] = shown
        return []
    sink = _RecordSink(ctx, kind, shown, tick, _count_entries(text))
    whole: str | None = text
    if len(text) > PIECES_FROM:
        pieces = Pieces(text, release=release_free_memory)
        whole = text = None  # type: ignore[assignment]  # the pieces alone hold it now
    try:
        root = read_subset(pieces if whole is None else whole, sink.item)
    except Unsupported:
        # Outside the fast reader's subset (or wrong): undo what its entries did, and read
        # the whole file through libyaml, which has the exact refusal or error to report.
        sink.undo()
        if whole is None:  # the pieces are used up: read the file again (a rare path)
            exists, whole = _read_text(ctx, path.name)
            if whole is None:
                if exists:
                    ctx.unreadable[kind] = shown
                return []
        try:
            root = read_yaml_events(whole, shown)
        except YamlProblems as exc:
            _file_problems(ctx, exc.problems)
            ctx.unreadable[kind] = shown
            return []
    del text, whole
    return sink.finish(root)


# A file larger than this is read in pieces, each let go once read (yamlfast.Pieces): the
# events file of the large benchmark dossier (31 MB) is not alive beside all its records.
PIECES_FROM = 4 << 20


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
            _file_problems(
                self.ctx,
                [
                    Problem(
                        self.shown,
                        root.line,
                        root.col,
                        "the file must be a list of records",
                        "start each record with '- '",
                    )
                ],
            )
            self.ctx.unreadable[self.kind] = self.shown
            return []
        for item in root.items:  # what a reader kept (the full reader keeps every entry)
            self.build(item)
        root.items = []
        at = self.marks[0]
        self.ctx.problems[at:at] = self.not_maps
        return self.out


def _check_refs(ctx: Context) -> None:
    """Every reference names a record of a kind it may name.

    A "did you mean" (among the ids of the kinds the field may name) is made for the
    first BUDGET references that name no record (`Suggester`: bounded time however many
    are broken). A reference to a kind whose file could not be read or parsed is not
    reported: the id is most likely there. One line per such file says how many
    references went unchecked instead.
    """
    ids = ctx.ids
    unchecked: dict[str, int] = {}
    suggesters: dict[tuple[Kind, ...], Suggester] = {}
    budget = BUDGET
    for target, kinds, path, line, col, field_name in ctx.refs:
        found = ids.get(target)
        if found is None:
            blocked = next((ctx.unreadable[k] for k in kinds if k in ctx.unreadable), None)
            if blocked is not None:
                unchecked[blocked] = unchecked.get(blocked, 0) + 1
                continue
            close = None
            if budget > 0:
                budget -= 1
                suggest = suggesters.get(kinds)
                if suggest is None:
                    fitting = (i for i, at in ids.items() if at[0] in kinds)
                    suggest = suggesters[kinds] = Suggester(fitting, budget=BUDGET)
                with contextlib.suppress(Exhausted):
                    close = suggest(target)
            wanted = " or ".join(kinds) if len(kinds) <= 3 else "record"
            hint = f"did you mean {close!r}?" if close else f"no {wanted} has this id"
            ctx.problems.append(
                Problem(path, line, col, f"{field_name} {target!r} does not exist", hint)
            )
        elif found[0] not in kinds:
            hint = f"defined at {found[1]}:{found[2]}"
            if kinds == PARTY_KINDS:
                hint += "; a party is a company or a person: name a product in `related`"
            ctx.problems.append(
                Problem(
                    path,
                    line,
                    col,
                    f"{field_name} {target!r} is a {found[0]}, not a {' or '.join(kinds)}",
                    hint,
                )
            )
    for shown, count in unchecked.items():
        parsed = any(p.path == shown and p.line > 0 for p in ctx.problems)
        why = "did not parse" if parsed else "could not be read"
        ctx.problems.append(
            Problem(
                shown,
                1 if parsed else 0,
                1 if parsed else 0,
                f"not checked: {count:,} reference(s) from other files to its records "
                f"({Path(shown).name} {why})",
                "fix the problem above; they are checked once it can be read",
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
    _, text = _read_text(ctx, path.name)
    node = None if text is None else _parse(ctx, text, _shown(ctx, path))
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
    root: str | Path,
    progress: Progress | None = None,
    *,
    compact: bool = False,
    files: DossierFiles | None = None,
) -> Dossier:
    """Load and check a dossier folder; raise DossierError listing every problem.

    With `compact`, the dossier is built straight in its compact form
    (`compact_from_records`) and answered from it, exactly as after a warm
    open: what the cache wants, since it stores that form, and without the
    object indexes (~250k Mention objects, ~100 MB for a large dossier) ever
    existing next to it. Without, the records get object indexes
    (`Dossier(records)`): quicker when nothing is to be stored, since the
    records need no encoding.

    `files`, when given, is what reads the dossier's files and notes each one
    (`DossierFiles.seen`): the cache keys the dossier by exactly what was read.
    """
    release_free_memory()  # its first call imports ctypes: before the records, as above
    with paused_gc():
        dossier = _load_dossier(root, progress, compact, files)
    release_free_memory()
    return dossier


def _check_folder(root: Path) -> None:
    """DossierError, with one problem, when `root` is no folder the user may open."""
    try:
        st = os.stat(root)
    except FileNotFoundError:
        raise DossierError([Problem(str(root), 0, 0, "no such folder", "check the path")]) from None
    except OSError as exc:
        raise DossierError(
            [Problem(str(root), 0, 0, f"cannot open the folder: {exc.strerror}", "")]
        ) from None
    if not stat.S_ISDIR(st.st_mode):
        raise DossierError([Problem(str(root), 0, 0, "not a folder", "pass the dossier's folder")])
    if hasattr(os, "geteuid") and not os.access(root, os.X_OK, effective_ids=_EFFECTIVE_IDS):
        raise DossierError(
            [
                Problem(
                    str(root),
                    0,
                    0,
                    "cannot open the folder: Permission denied",
                    "check the folder's permissions",
                )
            ]
        )


_EFFECTIVE_IDS = os.access in os.supports_effective_ids


def _load_dossier(
    root: str | Path, progress: Progress | None, compact: bool, files: DossierFiles | None
) -> Dossier:
    _check_folder(Path(root))
    ctx = Context(Path(root), files=files)
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
    return _finish(ctx, records, meta, compact, report, total)


def _finish(
    ctx: Context,
    records: list[Any],
    meta: dict[str, str],
    compact: bool,
    report: Progress,
    total: int,
    same_mentions: CompactDossier | None = None,
) -> Dossier:
    report("checking references", total - 2, total)
    _check_refs(ctx)
    _check_names(ctx, records)
    if ctx.problems:
        raise DossierError(ctx.problems + ctx.warnings)
    report("linking mentions", total - 1, total)
    title = meta.get("title") or ctx.root.resolve().name
    # What only checking needed (folded source texts, every id's position, references)
    # goes before the indexes are built, so the two never take memory at once.
    ctx.sources.clear()
    ctx.ids.clear()
    ctx.refs.clear()
    ctx.dates.clear()
    release_free_memory()  # what checking held goes back before the indexes are made
    description = meta.get("description", "")
    dossier: Dossier | None = None
    if compact:
        with contextlib.suppress(ValueError):  # not storable (never, from the loader)
            packed = compact_from_records(
                records, title, description, consume=True, same_mentions=same_mentions
            )
            records.clear()  # answered from the compact form: the records go before it is read
            release_free_memory()
            dossier = Dossier.from_compact(packed)
    if dossier is None:
        dossier = Dossier(records, title=title, description=description)
    dossier.warnings = tuple(ctx.warnings)
    report("done", total, total)
    return dossier


# --- reload: what changed files touch, the rest kept -------------------------------------

#: The files a reload may read again on their own: each kind's file and dossier.yaml. Any
#: other change (sources.yaml, a source text) means a full load.
_KIND_OF_FILE: dict[str, Kind] = {f"{KIND_PLURALS[kind]}.yaml": kind for kind in KIND_FILES}


#: The kinds whose records are mentioned by name (indexes.mention_names): a change to any
#: other kind's file leaves every mention as it was.
_NAMED_KINDS: frozenset[Kind] = frozenset({"company", "person", "product", "deal"})


class _SourceTexts(dict[str, SourceText]):
    """The texts quotes are found in, folded when first asked for, from the previous dossier's
    sources (their files did not change): a reload of one file folds only what it cites."""

    def __init__(self, sources: list[Source]) -> None:
        super().__init__()
        self._text = {source.id: source.text for source in sources}

    def get(self, key: str, default: SourceText | None = None) -> SourceText | None:  # type: ignore[override]
        found = super().get(key)
        if found is None:
            text = self._text.get(key)
            if text is None:
                return default
            folded, offsets = normalise_with_map(text)
            found = self[key] = SourceText(text, folded, offsets, "")
        return found

    def clear(self) -> None:
        super().clear()
        self._text.clear()


def reload_dossier(
    root: str | Path,
    previous: Dossier,
    changed: list[str],
    read_before: list[str],
    progress: Progress | None = None,
    *,
    files: DossierFiles | None = None,
) -> Dossier | None:
    """The dossier after the files `changed` (names as the loader reads them) were edited,
    the rest taken from `previous`, which a load of the same folder built (compact, as the
    cache gives it) from the files `read_before`; None when a full load must decide.

    Exactly what `load_dossier(root, compact=True)` gives (a test compares them): the
    changed kind files are read and checked as a full load checks them, every record of
    the others is decoded from `previous` in file order, and the dossier's indexes are
    built again from them all. Not sure, so None: a change to sources.yaml or a source
    text (quotes and mentions everywhere depend on them), any problem (its hint or
    position may need other files' nodes), and an id the changed files no longer define
    (another file may name it). Only what is read is noted in `files`.
    """
    with paused_gc():
        try:
            dossier = _reload_dossier(Path(root), previous, changed, read_before, progress, files)
        except DossierError:
            dossier = None
    release_free_memory()
    return dossier


def _reload_dossier(
    root: Path,
    previous: Dossier,
    changed: list[str],
    read_before: list[str],
    progress: Progress | None,
    files: DossierFiles | None,
) -> Dossier | None:
    if not previous.is_compact or not changed:
        return None
    kinds: set[Kind] = set()
    for name in changed:
        if name in _KIND_OF_FILE:
            kinds.add(_KIND_OF_FILE[name])
        elif name != "dossier.yaml":
            return None
    _check_folder(root)
    ctx = Context(root, files=files)
    total = len(KIND_FILES) + 3
    report = progress or (lambda what, done, total: None)
    report("reading sources", 0, total)
    if "dossier.yaml" in changed:
        meta = _load_meta(ctx)
    else:
        meta = {"title": previous.title, "description": previous.description}
    sources = previous.records_as_loaded("source")
    ctx.sources = _SourceTexts(sources)
    # Every id the kept files define, so that a changed file's record reusing one is
    # caught (then a full load reports it where it belongs) and its references to them
    # are known good. Positions are never shown: a problem means a full load.
    kept: dict[Kind, list[Any]] = {}
    for source in sources:
        ctx.ids[source.id] = ("source", "", 0, 0)
    for kind in KIND_FILES:
        if kind not in kinds:
            kept[kind] = previous.records_as_loaded(kind)
            for record in kept[kind]:
                ctx.ids[record.id] = (kind, "", 0, 0)
    records: list[Any] = list(sources)
    del sources
    same_names = True
    for step, kind in enumerate(KIND_FILES, start=1):
        if kind not in kinds:
            records.extend(kept.pop(kind))
            continue
        report(f"reading {KIND_PLURALS[kind]}", step, total)
        built = _load_kind(
            ctx,
            kind,
            lambda what, step=step: report(what, step, total),  # type: ignore[misc]
        )
        if ctx.problems or ctx.unreadable:
            return None
        now = {record.id for record in built}
        if any(record_id not in now for record_id in previous.ids(kind)):
            return None  # an id gone: another file may name it
        if same_names and kind in _NAMED_KINDS:
            same_names = mention_names(built) == mention_names(previous.records_as_loaded(kind))
        records.extend(built)
    _texts_without_entry(ctx, set(read_before))
    # The same sources (or this is a full load) and the same names: the same mentions,
    # when the ids also stand where they stood (compact_from_records checks that).
    same_mentions = previous.to_compact() if same_names else None
    return _finish(ctx, records, meta, True, report, total, same_mentions)  # problems: None
