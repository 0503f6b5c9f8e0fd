"""The authoring commands: `new`, `add-source`, `cite` and `gaps` on the command line.

Each prints what its library function returns. Everything that comes from a
user's files (titles, names, sentences) is sanitised before it is printed, and
a refusal is printed as `path:line:col: what (hint)` with exit status 1.

Which dossier: `--data DIR`; else the current folder when it holds a dossier
(a dossier.yaml or sources.yaml), so an author working in their folder need
not repeat it; else, for `cite` and `gaps`, the bundled dossier. `add-source`
never writes into the bundled dossier: it needs a folder.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .. import dossier_dir, holds_dossier
from ..build.text import one_line, sanitize
from ..read.problems import DossierError, Problem
from . import AuthoringError
from .facts import Lines

# Shown before a line of the source, and the widest sentence printed whole.
MAX_SHOWN = 160


def _data_arg(parser: argparse.ArgumentParser, default: str) -> None:
    """--data for one command; SUPPRESS keeps the main parser's --data when this one is absent."""
    parser.add_argument(
        "--data",
        metavar="DIR",
        type=Path,
        default=argparse.SUPPRESS,
        help=f"the dossier folder (default: the current folder if it holds one, else {default})",
    )


def add_parsers(commands: Any) -> None:
    """Add the four commands to `commands`, the main parser's sub-parsers."""
    new = commands.add_parser(
        "new",
        help="start a new dossier in an empty folder",
        description="Make DIR a new, empty dossier that validates, with schemas for your editor.",
    )
    new.add_argument("dir", metavar="DIR", type=Path, help="a new or empty folder")
    new.add_argument("--title", metavar="TEXT", help="the dossier's title (default: DIR's name)")

    add = commands.add_parser(
        "add-source",
        help="copy an article into the dossier and report what it holds",
        description=(
            "Copy FILE byte for byte to sources/ID.txt and append its entry to sources.yaml "
            "(the rest of the file is left exactly as it is). Then list the records it "
            "mentions, names no record has, figures and dates, each with its line; relative "
            'dates ("last April") are resolved against --published. '
            "Writes into --data, or the current folder when it holds a dossier."
        ),
    )
    _data_arg(add, "none: add-source needs a dossier")
    add.add_argument("file", metavar="FILE", type=Path, help="the article, as UTF-8 text")
    add.add_argument("--id", required=True, metavar="ID", help="the source's id, e.g. wsj-2024-06")
    add.add_argument("--title", required=True, metavar="TEXT", help="the article's headline")
    add.add_argument("--publisher", metavar="P")
    add.add_argument("--url", metavar="U")
    add.add_argument("--published", metavar="YYYY-MM-DD", help="the date the article gives")

    cite = commands.add_parser(
        "cite",
        help="find a passage in a source and print the citation to paste",
        description=(
            "Find TEXT in source SOURCE_ID (quotes and white space as the loader reads them) "
            "and print the citation to paste under `citations:`, with the shortest prefix or "
            "suffix that makes it unique. Exit status: 0 found, 1 not found (the nearest "
            "sentences are shown), 2 for a bad source or dossier."
        ),
    )
    _data_arg(cite, "the bundled dossier")
    cite.add_argument("source", metavar="SOURCE_ID")
    cite.add_argument("text", metavar="TEXT", nargs="+", help="the passage, as you read it")
    cite.add_argument(
        "--json",
        action="store_true",
        help="print a JSON list of {source, exact, prefix, suffix, start, end}",
    )
    cite.add_argument(
        "--indent",
        metavar="N",
        type=int,
        default=0,
        help="indent each line by N spaces, to paste under a nested citations: (default 0)",
    )

    gaps = commands.add_parser(
        "gaps",
        help="what the sources say that the dossier does not hold yet",
        description=(
            "Sentences carrying a figure, a date or a name that no record cites (most facts "
            "first), sentences naming two records nothing links, and names no record has."
        ),
    )
    _data_arg(gaps, "the bundled dossier")
    gaps.add_argument("--source", metavar="ID", help="only this source")
    gaps.add_argument("--json", action="store_true", help="print one JSON object per gap")


def _out(text: str = "") -> None:
    print(sanitize(text))


def _err(text: str) -> None:
    print(sanitize(text), file=sys.stderr)


def _refused(problems: list[Problem]) -> int:
    for problem in problems:
        _err(str(problem))
    return 1


def dossier_folder(data: Path | None, *, writing: bool = False) -> Path | None:
    """--data, else the current folder if it holds a dossier, else (reading only) the bundled."""
    if writing and data is None and not holds_dossier(Path.cwd()):
        return None
    return dossier_dir(data)


def cmd_new(args: argparse.Namespace) -> int:
    from ..dossier.load import load_dossier
    from .scaffold import new_dossier

    try:
        made = new_dossier(args.dir, args.title)
    except AuthoringError as exc:
        return _refused(exc.problems)
    try:
        dossier = load_dossier(made.root)
    except DossierError as exc:  # pragma: no cover - new_dossier's tests load what it makes
        return _refused(exc.problems)
    _out(f"new dossier {made.root}: {dossier.title!r}, empty, and it validates.")
    _out(
        f"  {len(made.files)} files: dossier.yaml, one per kind, schema/ for your editor; sources/"
    )
    _out("next:")
    for step in made.next_steps:
        _out(f"  {step}")
    return 0


def cmd_add_source(args: argparse.Namespace) -> int:
    from .sources import add_source

    folder = dossier_folder(args.data, writing=True)
    if folder is None:
        return _refused(
            [
                Problem(
                    str(Path.cwd()),
                    1,
                    1,
                    "no dossier here",
                    "pass --data DIR, or make one with: partnership-tui new DIR",
                )
            ]
        )
    try:
        added = add_source(
            folder,
            args.file,
            source_id=args.id,
            title=args.title,
            publisher=args.publisher,
            url=args.url,
            published=args.published,
        )
    except AuthoringError as exc:
        return _refused(exc.problems)
    report = added.report
    _out(f"added {added.text_file} and its entry to {added.sources_file}:")
    for line in added.entry.splitlines():
        _out(f"  {line}")
    where = _text_path(folder, added.source)
    if report.not_checked:
        _err(f"note: {report.not_checked}")
    _section(f"records it mentions ({len(report.known)})")
    for known in report.known:
        _out(f"  {where}:{known.line}:{known.col}: {one_line(known.text)} -> {known.record}")
    _section(f"names no record has ({len(report.new_names)})")
    for name in report.new_names:
        times = f" ({name.count} times)" if name.count > 1 else ""
        _out(f"  {where}:{name.line}:{name.col}: {one_line(name.text)}{times}")
    _section(f"figures ({len(report.figures)})")
    for figure in report.figures:
        _out(f"  {where}:{figure.line}:{figure.col}: {one_line(figure.text)}")
    _section(f"dates ({len(report.dates)})")
    for date in report.dates:
        resolved = date.resolved or "?"
        _out(f"  {where}:{date.line}:{date.col}: {one_line(date.text)} -> {resolved}")
        if date.relative or date.resolved is None:
            _out(f"      {one_line(date.reasoning)}")
    _out()
    _out(f"next: partnership-tui cite {added.source} 'a sentence' --data {folder}")
    return 0


def _section(title: str) -> None:
    _out()
    _out(title + ":")


def cmd_cite(args: argparse.Namespace) -> int:
    from .cite import cite, source_text

    folder = dossier_folder(args.data)
    assert folder is not None
    try:
        text = source_text(folder, args.source)
        result = cite(args.source, text, " ".join(args.text))
    except AuthoringError as exc:
        _refused(exc.problems)
        return 2
    if args.json:
        print(json.dumps([s.as_json() for s in result.found], ensure_ascii=True, indent=2))
    else:
        for number, suggestion in enumerate(result.found, start=1):
            if len(result.found) > 1:
                line = text.count("\n", 0, suggestion.start) + 1
                _out(f"# occurrence {number} of {len(result.found)}, line {line}")
            _out(suggestion.as_yaml(indent=" " * max(0, min(args.indent, 80))).rstrip("\n"))
    if result.found:
        return 0
    _err(f"not found in {args.source}: {one_line(' '.join(args.text))}")
    if not result.near:
        _err("no sentence of the source comes close")
        return 1
    _err("nearest sentences:")
    for near in result.near:
        line = text.count("\n", 0, near.start) + 1
        passage = one_line(text[near.passage_start : near.passage_end])
        where = f"{_text_path(folder, args.source)}:{line}"
        _err(f"  {where}: ({near.score:.0f}%) {_cut(passage)}")
        for difference in near.differences[:6]:
            yours = repr(one_line(difference.yours)) if difference.yours else "nothing"
            theirs = repr(one_line(difference.source)) if difference.source else "nothing"
            _err(f"      you wrote {yours}, the source has {theirs}")
    return 1


def _cut(text: str) -> str:
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…"


def cmd_gaps(args: argparse.Namespace) -> int:
    from ..store.dossiercache import open_dossier
    from .gaps import gaps

    folder = dossier_folder(args.data)
    assert folder is not None
    try:
        dossier = open_dossier(folder)
    except DossierError as exc:
        _refused(exc.problems)
        _err(f"{len(exc.problems)} problem(s) found; gaps needs a dossier that validates.")
        return 1
    try:
        found = gaps(dossier, args.source)
    except KeyError:
        sources = ", ".join(s.id for s in dossier.sources) or "none"
        _err(f"--source: no source {args.source!r} (sources: {sources})")
        return 2
    if args.json:
        for gap in found:
            print(json.dumps(gap.as_json(), ensure_ascii=True))
        return 0
    lines = {s.id: Lines(s.text) for s in dossier.sources}
    titles = {
        "uncited": "sentences with facts no record cites, most facts first",
        "co-mention": "sentences naming records nothing links",
        "unlinked-name": "names no record has, most frequent first",
    }
    for kind, title in titles.items():
        of_kind = [gap for gap in found if gap.kind == kind]
        _section(f"{title} ({len(of_kind)})")
        for gap in of_kind:
            at = lines[gap.source]
            where = f"{_text_path(folder, gap.source)}:{at.line(gap.start)}:{at.col(gap.start)}"
            _out(f"  {where}: {_cut(one_line(gap.text))}")
            _out(f"      {one_line('; '.join(gap.reasons))}")
    return 0


def _text_path(folder: Path, source_id: str) -> str:
    """Where a source's text is, as a path an editor opens from the current folder."""
    path = folder / "sources" / f"{source_id}.txt"
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


COMMANDS = {"new": cmd_new, "add-source": cmd_add_source, "cite": cmd_cite, "gaps": cmd_gaps}
