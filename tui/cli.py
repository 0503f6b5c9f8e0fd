"""The `partnership-tui` command: launch the explorer, or validate / export a dossier.

Textual is imported only when the explorer launches, so the other commands
start fast and work without a terminal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from partnership_tui.model import __version__, bundled_data_dir
from partnership_tui.model.text import sanitize

if TYPE_CHECKING:
    from partnership_tui.model.dossier import Dossier


def _data_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        metavar="DIR",
        type=Path,
        default=None,
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
    _data_arg(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser("validate", help="check a dossier and verify every quote")
    _data_arg(validate)

    export = commands.add_parser("export", help="export the dossier as JSON or Markdown")
    _data_arg(export)
    export.add_argument("--format", choices=("json", "markdown"), default="json")
    export.add_argument("-o", "--output", metavar="FILE", type=Path, help="write here, not stdout")
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
    from partnership_tui.model.cache import load_cached
    from partnership_tui.model.loader import load_dossier
    from partnership_tui.model.problems import DossierError

    load = load_cached if use_cache else load_dossier
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
    from partnership_tui.model.export import to_json, to_markdown
    from partnership_tui.model.safewrite import WriteRefused, atomic_write

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


def cmd_explore(args: argparse.Namespace) -> int:
    from partnership_tui.tui.app import run_app

    return run_app(args.data or bundled_data_dir())


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler = {"validate": cmd_validate, "export": cmd_export}.get(args.command, cmd_explore)
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
