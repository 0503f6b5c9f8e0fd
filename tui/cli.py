"""The `partnership-tui` command: the explorer, or one of the commands in model.commands.

Textual is imported only when the explorer launches, so validate, search and
export (partnership_tui.model.commands.cli) start fast and work without a
terminal.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from partnership_tui.model import bundled_data_dir
from partnership_tui.model.commands.cli import parse_command_line, run_command


def cmd_explore(args: argparse.Namespace) -> int:
    from partnership_tui.tui.preload import Preload

    data = args.data or bundled_data_dir()
    preload = Preload(data)  # loads while Textual is imported and started

    from partnership_tui.tui.app import run_app

    return run_app(data, preload)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_command_line(argv)
    try:
        return cmd_explore(args) if args.command is None else run_command(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
