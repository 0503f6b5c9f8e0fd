"""`add-source`: bring a text into a dossier, byte for byte, and say what it holds.

The text is copied unchanged to `sources/ID.txt` and its entry appended to
`sources.yaml`: the bytes already there stay exactly as they were (the entry
follows them), and the result is read back before anything is written, so an
append that would change another entry's meaning (a `|+` block running on, a
flow list) is refused rather than done. Every refusal happens before the first
write; the two writes are each atomic, and the text is removed again if the
entry cannot be written.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..build.dates import DateError, PartialDate, parse_date
from ..build.fields import ID_RE
from ..build.mentions import MentionMatcher
from ..build.records import Mention
from ..build.text import sanitize_same_length, split_sentences
from ..dossier.dossier import Dossier
from ..dossier.indexes import mention_names
from ..dossier.load import load_dossier
from ..read.files import MAX_FILE_BYTES
from ..read.nodes import Map, Node, Scalar, Seq
from ..read.problems import DossierError, Problem
from ..read.yamlsafe import YamlProblems, decode, read_yaml
from ..store.atomic import FileStamp, WriteRefused, atomic_write
from . import AuthoringError
from .facts import Lines, Span, figures, name_key, names
from .files import read_regular
from .scaffold import KIND_FILES, schema_line
from .when import DateFound, find_dates
from .yamltext import clean_field, yaml_scalar

MAX_SHOWN_PROBLEMS = 10


@dataclass(frozen=True, slots=True)
class Located:
    """Something found in the text: its span, its 1-based line and column, as written."""

    start: int
    end: int
    line: int
    col: int
    text: str


@dataclass(frozen=True, slots=True)
class KnownMention(Located):
    record: str  # the record's id
    name: str  # the record's name


@dataclass(frozen=True, slots=True)
class NewName(Located):
    count: int  # how often the text names it


@dataclass(frozen=True, slots=True)
class FoundDate(Located):
    resolved: str | None
    reasoning: str
    relative: bool
    projected: bool


@dataclass(frozen=True, slots=True)
class SourceReport:
    """What a source holds for the dossier, each item with its place in the text."""

    source: str
    known: tuple[KnownMention, ...]  # mentions of records the dossier has
    new_names: tuple[NewName, ...]  # names no record has, first occurrence each
    figures: tuple[Located, ...]
    dates: tuple[FoundDate, ...]
    not_checked: str = ""  # why known records could not be matched, if they could not


@dataclass(frozen=True, slots=True)
class AddedSource:
    source: str
    text_file: Path
    sources_file: Path
    entry: str  # the YAML appended to sources.yaml
    report: SourceReport


def add_source(
    root: str | Path,
    file: str | Path,
    *,
    source_id: str,
    title: str,
    publisher: str | None = None,
    url: str | None = None,
    published: str | None = None,
) -> AddedSource:
    """Copy `file` into the dossier at `root` as source `source_id`; raise AuthoringError
    with every problem, having written nothing, when it cannot."""
    folder = Path(root)
    problems: list[Problem] = []
    fields = _fields(problems, source_id, title, publisher, url, published)
    _check_folder(problems, folder)
    if problems:
        raise AuthoringError(problems)
    sources_path = folder / "sources.yaml"
    text_path = folder / "sources" / f"{source_id}.txt"
    old, stamp = _read_sources_yaml(problems, sources_path)
    raw = _read_text(problems, Path(file))
    if old is not None:
        _check_id_free(problems, folder, source_id, text_path)
    if problems or old is None or raw is None:
        raise AuthoringError(problems)
    entry, new = _appended(problems, sources_path, old, fields)
    if problems:
        raise AuthoringError(problems)
    text_path.parent.mkdir(exist_ok=True)
    try:
        atomic_write(text_path, raw, expected=None, check_unchanged=True)
    except (WriteRefused, OSError) as exc:
        raise AuthoringError([_write_problem(text_path, exc)]) from None
    try:
        atomic_write(sources_path, new, expected=stamp, check_unchanged=True)
    except (WriteRefused, OSError) as exc:
        with contextlib.suppress(OSError):
            text_path.unlink()
        raise AuthoringError([_write_problem(sources_path, exc)]) from None
    published_date = parse_date(published) if published else None
    report = report_new_source(folder, source_id, raw.decode("utf-8"), published_date)
    return AddedSource(source_id, text_path, sources_path, entry, report)


# --- checks, all before anything is written -------------------------------------------


def _fields(
    problems: list[Problem],
    source_id: str,
    title: str,
    publisher: str | None,
    url: str | None,
    published: str | None,
) -> dict[str, str]:
    """The entry's fields in file order, checked; problems go to `problems`."""
    fields: dict[str, str] = {}
    if not ID_RE.match(source_id):
        problems.append(
            Problem(
                "--id",
                1,
                1,
                f"bad id {source_id!r}",
                "use lowercase letters, digits and single hyphens, e.g. 'reuters-2024-01-15'",
            )
        )
    fields["id"] = source_id
    for option, key, value in (
        ("--title", "title", title),
        ("--publisher", "publisher", publisher),
        ("--url", "url", url),
    ):
        if value is None:
            continue
        try:
            cleaned = clean_field(option, value)
        except AuthoringError as exc:
            problems.extend(exc.problems)
            continue
        if cleaned:
            fields[key] = cleaned
        elif key == "title":
            problems.append(Problem("--title", 1, 1, "the title is empty", "give the headline"))
    if published:
        try:
            fields["published"] = parse_date(published).text
        except DateError as exc:
            problems.append(Problem("--published", 1, 1, str(exc), exc.hint))
    return fields


def _check_folder(problems: list[Problem], folder: Path) -> None:
    if not folder.is_dir():
        problems.append(
            Problem(
                str(folder),
                1,
                1,
                "not a dossier folder",
                "make one with: partnership-tui new DIR",
            )
        )
        return
    real = folder.resolve()
    for name in ("sources.yaml", "sources"):
        path = folder / name
        if path.is_symlink() and not _inside(path.resolve(), real):
            problems.append(
                Problem(str(path), 1, 1, "is a link to outside the dossier", "not writing there")
            )
    sources_dir = folder / "sources"
    if sources_dir.exists() and not sources_dir.is_dir():
        problems.append(Problem(str(sources_dir), 1, 1, "exists and is not a folder"))
    listing = folder / "sources.yaml"
    if listing.is_file() and not listing.stat().st_mode & 0o222:
        # Replacing it would work (the folder is writable), but the user made it read-only;
        # its mode bits say so even to root, whom os.access always lets write.
        problems.append(
            Problem(str(listing), 1, 1, "is read-only", "make it writable to add a source")
        )


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _read_sources_yaml(
    problems: list[Problem], path: Path
) -> tuple[bytes | None, FileStamp | None]:
    """The current bytes of sources.yaml (b"" if it does not exist) and their stamp."""
    stamp = FileStamp.of(path)
    if stamp is None:
        return b"", None
    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except OSError as exc:
        problems.append(Problem(str(path), 1, 1, f"cannot read: {exc.strerror}"))
        return None, stamp
    if raw is None:
        problems.append(Problem(str(path), 1, 1, "is not a regular file"))
        return None, stamp
    try:
        root = read_yaml(decode(raw, str(path)), str(path))
    except YamlProblems as exc:
        problems.extend(exc.problems)
        problems.append(
            Problem(str(path), 1, 1, "does not parse", "fix it first; nothing was written")
        )
        return None, stamp
    if root is not None and not isinstance(root, Seq):
        problems.append(
            Problem(str(path), root.line, root.col, "must be a list of sources", "start with '- '")
        )
        return None, stamp
    return raw, stamp


def _read_text(problems: list[Problem], path: Path) -> bytes | None:
    """The text's bytes if they are clean UTF-8 without control characters."""
    shown = str(path)
    try:
        raw = read_regular(path, MAX_FILE_BYTES)
    except OSError as exc:
        problems.append(Problem(shown, 1, 1, f"cannot read: {exc.strerror}", "check the path"))
        return None
    if raw is None:
        problems.append(Problem(shown, 1, 1, "is not a regular file", "give a text file"))
        return None
    if len(raw) > MAX_FILE_BYTES:
        problems.append(Problem(shown, 1, 1, "larger than 64 MiB", "split it"))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        problems.append(
            Problem(
                shown,
                line,
                col,
                f"not UTF-8: byte 0x{raw[exc.start]:02x} at byte {exc.start}",
                "convert the text to UTF-8; nothing was written",
            )
        )
        return None
    bad = unclean_characters(text)
    if bad:
        lines = Lines(text)
        for index in bad[:MAX_SHOWN_PROBLEMS]:
            problems.append(
                Problem(
                    shown,
                    lines.line(index),
                    lines.col(index),
                    f"{_describe(text[index])} at character {index}",
                    "remove it: a source is plain text; nothing was written",
                )
            )
        if len(bad) > MAX_SHOWN_PROBLEMS:
            first = bad[MAX_SHOWN_PROBLEMS]
            problems.append(
                Problem(
                    shown,
                    lines.line(first),
                    lines.col(first),
                    f"and {len(bad) - MAX_SHOWN_PROBLEMS} more such character(s)",
                )
            )
        return None
    if not text.strip():
        problems.append(Problem(shown, 1, 1, "the text is empty", "nothing to cite"))
        return None
    return raw


def unclean_characters(text: str) -> list[int]:
    """Offsets of characters a source may not hold: controls (tab, line feed and a CR
    before a line feed excepted), C1, bidi controls, a byte-order mark, lone line or
    paragraph separators. The same set the display sanitiser replaces."""
    if text.isascii() and text.isprintable():
        return []
    found = []
    safe = sanitize_same_length(text)
    for index, (char, shown) in enumerate(zip(text, safe, strict=True)):
        if char == "\t" or char == "\n":
            continue
        if char == "\r" and text.startswith("\n", index + 1):
            continue
        if char != shown or char in "\r\ufeff":
            found.append(index)
    return found


def _describe(char: str) -> str:
    code = ord(char)
    names = {0: "NUL", 0x1B: "ESC", 0x7F: "DEL", 0x0D: "carriage return", 0xFEFF: "byte-order mark"}
    if code in names:
        return f"control character U+{code:04X} ({names[code]})"
    if code in (0x2028, 0x2029):
        return f"line separator U+{code:04X}"
    if 0x200E <= code <= 0x206F or code == 0x061C:
        return f"bidi control U+{code:04X}"
    return f"control character U+{code:04X}"


def _check_id_free(problems: list[Problem], folder: Path, source_id: str, text_path: Path) -> None:
    """One id namespace for every kind: refuse an id any file already defines."""
    for name, line, col in _defined_ids(folder).get(source_id, ()):
        problems.append(
            Problem(
                "--id",
                1,
                1,
                f"id {source_id!r} is already in use ({name}:{line}:{col})",
                "choose another id; nothing was written",
            )
        )
    if text_path.exists() or text_path.is_symlink():
        problems.append(
            Problem(
                str(text_path),
                1,
                1,
                "already exists",
                "choose another id, or remove the file; nothing was written",
            )
        )


def _defined_ids(folder: Path) -> dict[str, list[tuple[str, int, int]]]:
    """Every `id:` at the top level of every dossier file, with where; unreadable files
    are skipped (validation reports them)."""
    found: dict[str, list[tuple[str, int, int]]] = {}
    for name in KIND_FILES:
        path = folder / name
        try:
            raw = read_regular(path, MAX_FILE_BYTES)
            root = read_yaml(decode(raw, name), name) if raw is not None else None
        except (OSError, YamlProblems):
            continue
        if not isinstance(root, Seq):
            continue
        for item in root.items:
            if isinstance(item, Map) and "id" in item.items:
                node = item.items["id"][1]
                if isinstance(node, Scalar):
                    found.setdefault(node.value, []).append((name, node.line, node.col))
    return found


# --- the append ----------------------------------------------------------------------


def _appended(
    problems: list[Problem], path: Path, old: bytes, fields: dict[str, str]
) -> tuple[str, bytes]:
    """(the entry's text, the file's new bytes: `old` followed by the entry)."""
    text = old.decode("utf-8-sig") if old else ""
    newline = "\r\n" if "\r\n" in text else "\n"
    root = read_yaml(text, str(path)) if text else None
    old_items = root.items if isinstance(root, Seq) else []
    indent = _entry_indent(text, old_items)
    lines = []
    for key, value in fields.items():
        shown = value if key == "id" else yaml_scalar(value)
        lines.append(f"{indent}{'- ' if not lines else '  '}{key}: {shown}")
    entry = newline.join(lines) + newline
    if not old:
        heads = [schema_line("sources.yaml").replace("\n", newline)]
    else:
        head = "" if text.endswith("\n") else newline
        # Entries separated by blank lines get one too, unless it would change the last
        # entry (a `|+` block keeps trailing blank lines): then without.
        heads = [head + newline, head] if old_items and newline * 2 in text else [head]
    new = b""
    for head in heads:
        new = old + (head + entry).encode("utf-8")
        if _reads_back(new, old_items, fields):
            break
    else:
        problems.append(
            Problem(
                str(path),
                1,
                1,
                "cannot append an entry without changing what the file says",
                "write it as a block list ('- id: ...' entries) ending with a newline; "
                "nothing was written",
            )
        )
    return entry, new


def _entry_indent(text: str, items: list[Node]) -> str:
    """The white space before the first entry's '-', so the new entry lines up with it."""
    if not items:
        return ""
    line = text.splitlines()[items[0].line - 1]
    stripped = line.lstrip(" ")
    return line[: len(line) - len(stripped)] if stripped.startswith("-") else ""


def _reads_back(new: bytes, old_items: list[Node], fields: dict[str, str]) -> bool:
    """The new file holds the old entries, unchanged, then exactly the new one."""
    try:
        root = read_yaml(decode(new, "sources.yaml"), "sources.yaml")
    except YamlProblems:
        return False
    if not isinstance(root, Seq) or len(root.items) != len(old_items) + 1:
        return False
    same = all(_plain(a) == _plain(b) for a, b in zip(root.items, old_items, strict=False))
    return same and _plain(root.items[-1]) == fields


def _plain(node: Node) -> Any:
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Seq):
        return [_plain(item) for item in node.items]
    if isinstance(node, Map):
        return {key: _plain(value) for key, (_, value) in node.items.items()}
    return None  # pragma: no cover


def _write_problem(path: Path, exc: Exception) -> Problem:
    reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
    return Problem(str(path), 1, 1, f"not written: {reason}", "nothing else was changed")


# --- the report ----------------------------------------------------------------------


def report_new_source(
    folder: Path, source_id: str, text: str, published: PartialDate | None
) -> SourceReport:
    """The report on a source just added: through the whole dossier when it loads, else
    through the names the entity files give (the dossier's mention matcher either way)."""
    try:
        dossier = load_dossier(folder)
    except DossierError as exc:
        matcher = MentionMatcher(_names_in_files(folder))
        sentences = split_sentences(text)
        mentions = matcher.find(source_id, text, sentences)
        names_of = dict.fromkeys((m.record for m in mentions), "")
        note = (
            f"the dossier has {len(exc.problems)} problem(s) (run partnership-tui validate): "
            "known records are matched by the names its files give"
        )
        return text_report(source_id, text, published, sentences, mentions, names_of, note)
    return source_report(dossier, source_id)


def source_report(dossier: Dossier, source_id: str) -> SourceReport:
    """What a source of a loaded dossier holds: known records, new names, figures, dates."""
    source = dossier[source_id]
    text = source.text  # type: ignore[attr-defined]
    published = source.published  # type: ignore[attr-defined]
    mentions = list(dossier.mentions_in(source_id))
    names_of = {m.record: dossier[m.record].name for m in mentions}
    return text_report(
        source_id,
        text,
        published,
        source.sentences,  # type: ignore[attr-defined]
        mentions,
        names_of,
        "",
    )


def text_report(
    source_id: str,
    text: str,
    published: PartialDate | None,
    sentences: tuple[tuple[int, int], ...],
    mentions: list[Mention],
    names_of: dict[str, str],
    not_checked: str,
) -> SourceReport:
    lines = Lines(text)

    def at(start: int, end: int) -> dict[str, Any]:
        return {
            "start": start,
            "end": end,
            "line": lines.line(start),
            "col": lines.col(start),
            "text": text[start:end],
        }

    known = tuple(
        KnownMention(**at(m.start, m.end), record=m.record, name=names_of.get(m.record, ""))
        for m in mentions
    )
    new = _new_names(names(text, sentences), mentions)
    counts = Counter(name_key(span.text) for span in new)
    first: dict[str, Span] = {}
    for span in new:
        first.setdefault(name_key(span.text), span)
    new_names = tuple(
        NewName(**at(span.start, span.end), count=counts[name])
        for name, span in sorted(first.items(), key=lambda kv: (-counts[kv[0]], kv[1].start))
    )
    found_figures = tuple(Located(**at(f.start, f.end)) for f in figures(text))
    dates = tuple(_found_date(found, at) for found in find_dates(text, published))
    return SourceReport(source_id, known, new_names, found_figures, dates, not_checked)


def _found_date(found: DateFound, at: Any) -> FoundDate:
    return FoundDate(
        **at(found.start, found.end),
        resolved=found.resolved,
        reasoning=found.reasoning,
        relative=found.relative,
        projected=found.projected,
    )


def _new_names(spans: list[Span], mentions: list[Mention]) -> list[Span]:
    """Name runs that no mention overlaps."""
    taken = sorted((m.start, m.end) for m in mentions)
    out = []
    index = 0
    for span in sorted(spans, key=lambda s: s.start):
        while index < len(taken) and taken[index][1] <= span.start:
            index += 1
        overlapping = any(
            start < span.end and span.start < end for start, end in taken[index : index + 8]
        )
        if not overlapping:
            out.append(span)
    return out


def _names_in_files(folder: Path) -> list[tuple[str, str, bool]]:
    """(record id, name, match_case) from the entity and deal files as they parse."""
    from ..build.records import Company, Deal, Person, Product

    records: list[Any] = []
    kinds = {"companies.yaml": Company, "people.yaml": Person, "products.yaml": Product}
    for name, cls in (*kinds.items(), ("deals.yaml", Deal)):
        try:
            raw = read_regular(folder / name, MAX_FILE_BYTES)
            root = read_yaml(decode(raw, name), name) if raw is not None else None
        except (OSError, YamlProblems):
            continue
        for item in root.items if isinstance(root, Seq) else ():
            data = _plain(item) if isinstance(item, Map) else None
            if not isinstance(data, dict) or not isinstance(data.get("id"), str):
                continue
            aliases = data.get("aliases")
            alias_list = (
                tuple(a for a in aliases if isinstance(a, str)) if isinstance(aliases, list) else ()
            )
            name_text = data.get("name") if isinstance(data.get("name"), str) else data["id"]
            extra: dict[str, Any] = {}
            if cls is not Deal:
                extra["match_case"] = data.get("match_case") == "true"
            records.append(
                cls(
                    id=data["id"],
                    name=name_text,
                    summary="",
                    citations=(),
                    aliases=alias_list,
                    **extra,
                )
            )
    return mention_names(records)
