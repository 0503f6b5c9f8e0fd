"""The commands of `partnership-tui` that need no terminal UI: validate, search, export.

The parser for the whole command line lives here too; the entry point
(partnership_tui.tui.cli.main) runs `run_command` for these commands and
launches the explorer itself when no command is given, so Textual is imported
only then and these commands start fast and work without a terminal.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

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
    export.add_argument("--format", choices=("json", "markdown"), default="json")
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


def _err(message: str) -> None:
    print(sanitize(message), file=sys.stderr)


def _progress(what: str, done: int, total: int) -> None:
    """A one-line progress indicator on a terminal's stderr; silent when piped."""
    if not sys.stderr.isatty():
        return
    line = f"loading: {what} ({done}/{total})" if done < total else ""
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
        _err(f"{len(exc.problems)} problem(s) found.")
        return None


def cmd_validate(args: argparse.Namespace) -> int:
    dossier = _load(args.data, use_cache=False)
    if dossier is None:
        return 1
    counts = ", ".join(
        f"{len(dossier.by_kind(kind))} {plural}"
        for kind, plural in (
            ("source", "sources"),
            ("company", "companies"),
            ("person", "people"),
            ("product", "products"),
            ("deal", "deals"),
            ("tension", "tensions"),
            ("event", "events"),
            ("claim", "claims"),
        )
    )
    quotes = sum(len(dossier.citations_in(s.id)) for s in dossier.sources)
    mentions = sum(len(dossier.mentions_in(s.id)) for s in dossier.sources)
    print(sanitize(f"ok: {dossier.title}: {counts}; {quotes} quotes verified, {mentions} mentions"))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from ..export.formats import to_json, to_markdown
    from ..store.atomic import WriteRefused, atomic_write

    dossier = _load(args.data)
    if dossier is None:
        return 1
    text = to_json(dossier) if args.format == "json" else to_markdown(dossier)
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
                    "line": line_of(hit),
                    "start": hit.start,
                    "end": hit.end,
                    "highlights": hit.highlights,
                }
            else:
                row = {"type": "record", "kind": hit.kind, "id": hit.record_id, "field": hit.field}
            row.update(
                snippet=hit.snippet.text, snippet_highlights=hit.snippet.highlights, score=hit.score
            )
            print(json.dumps(row, ensure_ascii=True))
    else:
        colour = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        on, off = ("\x1b[1;7m", "\x1b[0m") if colour else ("»", "«")
        dim, bold, reset = ("\x1b[2m", "\x1b[1m", "\x1b[0m") if colour else ("", "", "")

        def marked(snippet: Snippet) -> str:
            # Sanitise each piece on its own so that the marks land on the matched words.
            return "".join(
                on + sanitize(piece, keep_newlines=False) + off
                if hit
                else sanitize(piece, keep_newlines=False)
                for piece, hit in snippet.segments()
            )

        rows = [
            (
                "passage" if isinstance(hit, PassageHit) else hit.kind,
                one_line(
                    f"{hit.source_id}:{line_of(hit)}"
                    if isinstance(hit, PassageHit)
                    else f"{hit.record_id} ({hit.field})"
                ),
                marked(hit.snippet),
            )
            for hit in hits
        ]
        width = min(max((len(where) for _, where, _ in rows), default=0), 40)
        for kind, where, snippet in rows:
            print(f"{dim}{kind:<8}{reset} {bold}{where:<{width}}{reset}  {snippet}")
    if not hits:
        _err(f"no hits for {query.describe()}")
    elif results.total > len(hits):
        _err(
            f"showing {len(results.records)} of {results.total_records} records and "
            f"{len(results.passages)} of {results.total_passages} passages (--limit N shows more)"
        )
    return 0 if hits else 1


COMMANDS = {"validate": cmd_validate, "export": cmd_export, "search": cmd_search}


def run_command(args: argparse.Namespace) -> int:
    """Run the command `args.command` names (one of COMMANDS) and return its exit status."""
    return COMMANDS[args.command](args)
