"""Start the explorer with some hand-written fast paths switched off (see switches.py):

    python -m benchmarks.harness.launch cells -- --data DIR

The arguments after `--` are the explorer's own.
"""

from __future__ import annotations

import runpy
import sys

from .switches import apply


def main(argv: list[str]) -> None:
    cut = argv.index("--") if "--" in argv else len(argv)
    apply(argv[:cut])
    sys.argv = ["partnership-tui", *argv[cut + 1 :]]
    runpy.run_module("partnership_tui.tui", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
