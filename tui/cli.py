"""The `partnership-tui` command: the explorer, or one of the commands in model.commands.

Textual is imported only when the explorer launches, so validate, search and
export (partnership_tui.model.commands.cli) start fast and work without a
terminal.
"""

from __future__ import annotations

import argparse
import codecs
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from partnership_tui.model import dossier_dir

FRAMES_PER_SECOND = "120"  # see cmd_explore; measured in benchmarks (key rows)


def terminal_problem() -> str | None:
    """Why the explorer cannot run here, or None.

    Textual reads keys from stdin and draws on stderr (sys.__stderr__). Without a
    terminal on both it would spin with nothing to read and no way to quit; on a
    terminal whose encoding is not UTF-8 it would draw box lines as `\\u2500`,
    and UTF-8 forced onto such a terminal could carry bytes it reads as C1 controls.
    """
    streams = (sys.__stdin__, sys.__stderr__)
    if not all(stream is not None and stream.isatty() for stream in streams):
        return (
            "the explorer needs a terminal (standard input and error); "
            "for scripts use validate, search or export (see --help)"
        )
    encoding = getattr(sys.__stderr__, "encoding", None) or "ascii"
    try:
        utf8 = codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        utf8 = False
    if not utf8:
        return (
            f"the explorer needs a UTF-8 terminal, and this one's encoding is {encoding}; "
            "set a UTF-8 locale (e.g. LANG=C.UTF-8) or PYTHONUTF8=1 if the terminal is UTF-8, "
            "or use validate, search or export"
        )
    return None


def cmd_explore(args: argparse.Namespace) -> int:
    problem = terminal_problem()
    if problem is not None:
        print(f"partnership-tui: {problem}", file=sys.stderr)
        return 2

    from partnership_tui.tui.preload import Preload

    # Textual paints at most MAX_FPS frames a second, so an update that comes a moment after
    # the frame a key already caused (the letter echoed, then the list it filters) waits up
    # to a frame interval: 17 ms at the default 60. The user's own TEXTUAL_FPS wins.
    os.environ.setdefault("TEXTUAL_FPS", FRAMES_PER_SECOND)

    # No collector passes until the first screen is up (the app turns it on again then, or
    # at once when the load is still running, so a slow cold load runs with it): imports,
    # the warm load and the first frame made 165-180 young passes costing 50-140 ms under
    # load, for ~2,200 unreachable objects by the first screen (wrapped starts in a pty).
    gc.disable()
    data = dossier_dir(args.data)
    preload = Preload(data)  # loads while Textual is imported and started

    from partnership_tui.tui.app import run_app

    return run_app(data, preload)


def explorer_args(argv: Sequence[str]) -> argparse.Namespace | None:
    """The explorer's own command lines (none, `--data DIR`, `--data=DIR`) read without the
    full parser, else None (a command, --help, anything unusual: the parser decides).

    Why by hand: building the parser imports every command's module (the authoring
    commands, wcwidth): 84 ms of `python -X importtime` at a load average of 3 on 2 cores,
    all of it before the dossier's load could start (benchmarks/harness/startup.py
    measures the startup rows).
    What it accepts, argparse reads the same way (tests/test_cli.py compares them).
    """
    words = list(argv)
    if not words:
        return argparse.Namespace(command=None, data=None)
    if len(words) == 2 and words[0] == "--data" and words[1] and not words[1].startswith("-"):
        return argparse.Namespace(command=None, data=Path(words[1]))
    if len(words) == 1 and words[0].startswith("--data=") and len(words[0]) > len("--data="):
        return argparse.Namespace(command=None, data=Path(words[0][len("--data=") :]))
    return None


def main(argv: Sequence[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    args = explorer_args(words)
    try:
        if args is not None:
            return cmd_explore(args)
        from partnership_tui.model.commands.cli import parse_command_line, run_command

        args = parse_command_line(words)
        return cmd_explore(args) if args.command is None else run_command(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
