"""The commands of `partnership-tui` that need no terminal UI: validate, search, export.

The parser for the whole command line lives here too; the entry point
(partnership_tui.tui.cli.main) runs `run_command` for these commands and
launches the explorer itself when no command is given, so Textual is imported
only then and these commands start fast and work without a terminal.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from wcwidth import wcswidth, wcwidth

from .. import __version__, bundled_data_dir
from ..build.text import sanitize

if TYPE_CHECKING:
    from ..dossier.dossier import Dossier


def _data_arg(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    """--data on the main parser and on each command; a command's copy never resets the other's."""
    parser.add_argument(
        "--data",
        metavar="DIR",
        type=Path,
        default=None if top else argparse.SUPPRESS,
        help="dossier folder to open (default: the bundled Microsoft-OpenAI dossier)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="partnership-tui",
        description=(
            "Explore a sourced dossier on a corporate relationship in the terminal. "
            "With no command, opens the explorer."
        ),
    )
    parser.add_argument("--version", action="version", version=f"partnership-tui {__version__}")
    _data_arg(parser, top=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser("validate", help="check a dossier and verify every quote")
    _data_arg(validate)

    export = commands.add_parser("export", help="export the dossier as JSON or Markdown")
    _data_arg(export)
    export.add_argument(
        "--format",
        choices=("json", "markdown"),
        default=None,
        help="default: from the -o file's extension (.json, .md, .markdown); json on stdout",
    )
    export.add_argument("-o", "--output", metavar="FILE", type=Path, help="write here, not stdout")

    search = commands.add_parser(
        "search",
        help="search every source text and record",
        description=(
            'QUERY: words (all must match), "exact phrase", prefix*, -excluded, and filters '
            "kind:person, source:ID, in:sources / in:records, after:2023, before:2024-06. "
            "Exit status: 0 with hits, 1 with none, 2 for a bad query."
        ),
    )
    _data_arg(search)
    search.add_argument("query", metavar="QUERY", nargs="+", help="what to look for")
    search.add_argument("--json", action="store_true", help="print one JSON object per hit")
    search.add_argument(
        "--limit",
        metavar="N",
        type=int,
        default=20,
        help="show at most N records and N passages (default 20)",
    )
    return parser


# Options of `search` that take a value; every other word after `search` that starts
# with a single "-" is part of the query ("-inflection" leaves that word out).
_SEARCH_VALUE_OPTIONS = ("--data", "--limit")


def parse_command_line(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The parsed command line, with a search query's "-word" terms kept as query words.

    argparse reads any word starting with "-" as an option, so `search microsoft
    -inflection` would fail with "unrecognized arguments". Before argparse sees the
    words after `search`, they are split into options (--json, --limit N, --data DIR,
    -h, their --name=value forms, anything else starting with "--") and query words,
    which go after a "--" so that argparse takes them as they are.
    """
    words = list(sys.argv[1:] if argv is None else argv)
    at = _command_index(words)
    if at is None or words[at] != "search":
        return build_parser().parse_args(words)
    options: list[str] = []
    query: list[str] = []
    rest = iter(words[at + 1 :])
    for word in rest:
        if word == "--":
            query.extend(rest)
        elif word in _SEARCH_VALUE_OPTIONS:
            options.append(word)
            value = next(rest, None)
            if value is not None:
                options.append(value)
        elif word in ("-h",) or (word.startswith("--") and len(word) > 2):
            options.append(word)
        else:
            query.append(word)
    return build_parser().parse_args([*words[: at + 1], *options, "--", *query])


def _command_index(words: Sequence[str]) -> int | None:
    """Where the command word is: the first word that is not a top-level option or its value."""
    skip = False
    for index, word in enumerate(words):
        if skip:
            skip = False
        elif word == "--data":
            skip = True
        elif not word.startswith("-"):
            return index
    return None


def _err(message: str) -> None:
    """A message on stderr; on a terminal, each line wrapped at spaces to its width."""
    message = sanitize(message)
    if not sys.stderr.isatty():
        print(message, file=sys.stderr)
        return
    width = shutil.get_terminal_size().columns
    for line in message.split("\n"):
        print("\n".join(fit([(line, "")], width, indent=2)), file=sys.stderr)


def count_of(number: int, singular: str, plural: str | None = None) -> str:
    """ "1 passage", "2 passages", "1 person" / "3 people" when `plural` says so."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def _progress(what: str, done: int, total: int) -> None:
    """A one-line progress indicator on a terminal's stderr; silent when piped."""
    if not sys.stderr.isatty():
        return
    line = f"loading: {what} ({done}/{total})" if done < total else ""
    line = line[: max(shutil.get_terminal_size().columns - 1, 0)]  # never wraps
    sys.stderr.write("\r\x1b[2K" + line)
    sys.stderr.flush()


def _load(data: Path | None, *, use_cache: bool = True) -> Dossier | None:
    from ..dossier.load import load_dossier
    from ..read.problems import DossierError
    from ..store.dossiercache import open_dossier

    load = open_dossier if use_cache else load_dossier
    try:
        return load(data or bundled_data_dir(), progress=_progress)
    except DossierError as exc:
        _progress("", 1, 1)
        _err(exc.report())
        _err(f"{count_of(len(exc.problems), 'problem')} found.")
        return None


def cmd_validate(args: argparse.Namespace) -> int:
    dossier = _load(args.data, use_cache=False)
    if dossier is None:
        return 1
    counts = ", ".join(
        count_of(len(dossier.by_kind(kind)), kind, plural)
        for kind, plural in (
            ("source", None),
            ("company", "companies"),
            ("person", "people"),
            ("product", None),
            ("deal", None),
            ("tension", None),
            ("event", None),
            ("claim", None),
        )
    )
    quotes = sum(len(dossier.citations_in(s.id)) for s in dossier.sources)
    mentions = sum(len(dossier.mentions_in(s.id)) for s in dossier.sources)
    print(
        sanitize(
            f"ok: {dossier.title}: {counts}; {count_of(quotes, 'quote')} verified, "
            f"{count_of(mentions, 'mention')}"
        )
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from ..export.formats import to_json, to_markdown
    from ..store.atomic import WriteRefused, atomic_write

    export_format = args.format or _format_of(args.output)
    if export_format is None:
        _err(
            f"export: cannot tell the format from {str(args.output)!r}: "
            "add --format json or --format markdown (or name it .json, .md)"
        )
        return 2
    dossier = _load(args.data)
    if dossier is None:
        return 1
    text = to_json(dossier) if export_format == "json" else to_markdown(dossier)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        written = atomic_write(args.output, text)
    except (OSError, WriteRefused) as exc:
        _err(f"{args.output}: cannot write: {exc}")
        return 1
    _err(f"wrote {written}")
    return 0


_FORMAT_OF_SUFFIX = {".json": "json", ".md": "markdown", ".markdown": "markdown"}


def _format_of(output: Path | None) -> str | None:
    """The export format an output file's name asks for; JSON on stdout; None if unclear."""
    if output is None:
        return "json"
    return _FORMAT_OF_SUFFIX.get(output.suffix.lower())


def cmd_search(args: argparse.Namespace) -> int:
    """Ranked hits, one a line: exit 0 with hits, 1 with none, 2 for a bad query or dossier."""
    import json
    import os

    from ..build.text import one_line
    from ..search.fts5 import SearchUnavailable
    from ..search.indexcache import open_index
    from ..search.query import QueryError, parse_query
    from ..search.results import PassageHit, Snippet

    def fail(exc: QueryError) -> int:
        _err(f"search: {exc.message}")
        _err(f"hint: {exc.hint}")
        return 2

    if args.limit < 1:
        _err("search: --limit must be at least 1")
        return 2
    try:
        query = parse_query(" ".join(args.query))  # a bad query is answered before loading
    except QueryError as exc:
        return fail(exc)
    dossier = _load(args.data)
    if dossier is None:
        return 2
    try:
        index = open_index(dossier)
    except SearchUnavailable as exc:
        _err(f"search: {exc}")
        return 2
    try:
        results = index.search(query, limit=args.limit)
    except QueryError as exc:
        return fail(exc)
    finally:
        index.close()
    if results.hint:
        _err(f"hint: {results.hint}")
    hits = [*results.records, *results.passages]  # each list holds at most --limit hits

    def line_of(hit: PassageHit) -> int:
        return dossier[hit.source_id].text.count("\n", 0, hit.start) + 1

    if args.json:
        for hit in hits:
            if isinstance(hit, PassageHit):
                row: dict[str, object] = {
                    "type": "passage",
                    "source": hit.source_id,
                    "name": one_line(dossier[hit.source_id].name),
                    "line": line_of(hit),
                    "start": hit.start,
                    "end": hit.end,
                    "highlights": hit.highlights,
                }
            else:
                row = {
                    "type": "record",
                    "kind": hit.kind,
                    "id": hit.record_id,
                    "name": one_line(dossier[hit.record_id].name),
                    "field": hit.field,
                }
            row.update(
                snippet=hit.snippet.text, snippet_highlights=hit.snippet.highlights, score=hit.score
            )
            print(json.dumps(row, ensure_ascii=True))
    else:
        terminal = sys.stdout.isatty()
        colour = terminal and not os.environ.get("NO_COLOR")
        match_style, kind_style, where_style = ("1;7", "2", "1") if colour else ("", "", "")
        on, off = ("", "") if colour else ("\u00bb", "\u00ab")

        def pieces(snippet: Snippet) -> list[tuple[str, str]]:
            # Sanitise each piece on its own so that the marks land on the matched words.
            return [
                (on + sanitize(piece, keep_newlines=False) + off, match_style)
                if hit
                else (sanitize(piece, keep_newlines=False), "")
                for piece, hit in snippet.segments()
            ]

        rows = [
            (
                "passage" if isinstance(hit, PassageHit) else hit.kind,
                one_line(
                    f"{hit.source_id}:{line_of(hit)}"
                    if isinstance(hit, PassageHit)
                    else f"{hit.record_id} ({hit.field})"
                ),
                pieces(hit.snippet),
            )
            for hit in hits
        ]
        where_width = min(max((len(where) for _, where, _ in rows), default=0), 40)
        # On a terminal each hit is wrapped at spaces to its width, so that the terminal
        # never breaks a word; piped, a hit is one line, whatever its length.
        width = shutil.get_terminal_size().columns if terminal else None
        for kind, where, snippet in rows:
            line = [
                (f"{kind:<8}", kind_style),
                (" ", ""),
                (f"{where:<{where_width}}", where_style),
                ("  ", ""),
                *snippet,
            ]
            for text in fit(line, width, indent=9 + where_width + 2):
                print(text)
    if not hits:
        _err(f"no hits for {query.describe()}")
    elif results.total > len(hits):
        shown = [
            f"{len(found)} of {count_of(total, kind)}"
            for found, total, kind in (
                (results.records, results.total_records, "record"),
                (results.passages, results.total_passages, "passage"),
            )
            if total
        ]
        _err(f"showing {' and '.join(shown)} (--limit N shows more)")
    return 0 if hits else 1


def fit(pieces: Sequence[tuple[str, str]], width: int | None, indent: int = 0) -> list[str]:
    """(text, SGR style) pieces as terminal lines at most `width` columns wide.

    Lines break at white space, and a continuation line starts `indent` columns in
    (4 when that would leave under 30 columns); only a word wider than a whole line
    is cut. With `width` None the pieces make one line. A style is an SGR code
    ("1;7"), or "" for none.
    """
    if width is None:
        return ["".join(_styled(text, style) for text, style in pieces)]
    width = max(width, 8)
    if width - indent < 30:
        indent = min(indent, 4)
    # Words as lists of pieces, since a word may change style inside ("»Microsoft«'s");
    # a run of white space is a word of its own.
    words: list[list[tuple[str, str]]] = []
    joined = False  # whether the next text continues the last word
    for text, style in pieces:
        for part in _SPACES.split(text):
            if not part:
                continue
            if part.isspace():
                words.append([(part, "")])
                joined = False
            elif joined:
                words[-1].append((part, style))
            else:
                words.append([(part, style)])
                joined = True
    lines: list[str] = []
    line: list[str] = []
    used = start = 0  # columns used on this line, and where its text starts

    def new_line() -> None:
        nonlocal line, used, start
        lines.append("".join(line))
        line, used, start = [" " * indent], indent, indent

    for word in words:
        size = sum(_cells(text) for text, _ in word)
        if word[0][0].isspace():
            if used > start and used + size <= width:
                line.append(word[0][0])
                used += size
            continue  # spaces never start or overflow a line
        if used + size > width and used > start and size <= width - indent:
            new_line()
        for text, style in word:
            chunk = ""
            for char in text:
                cells = _cells(char)
                if used + cells > width and used > start:
                    line.append(_styled(chunk, style))
                    new_line()
                    chunk = ""
                chunk += char
                used += cells
            line.append(_styled(chunk, style))
    lines.append("".join(line))
    return [text.rstrip() for text in lines]


_SPACES = re.compile(r"(\s+)")


def _cells(text: str) -> int:
    """Terminal columns `text` takes (wcwidth; an unprintable character counts as one)."""
    cells = wcswidth(text)
    return cells if cells >= 0 else sum(max(wcwidth(char), 1) for char in text)


def _styled(text: str, style: str) -> str:
    return f"\x1b[{style}m{text}\x1b[0m" if style and text else text


COMMANDS = {"validate": cmd_validate, "export": cmd_export, "search": cmd_search}


def run_command(args: argparse.Namespace) -> int:
    """Run the command `args.command` names (one of COMMANDS) and return its exit status."""
    return COMMANDS[args.command](args)
