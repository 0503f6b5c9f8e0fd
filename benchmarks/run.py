"""Speed harness: is the explorer still instant from 5 sources to thousands?

    python benchmarks/run.py [--quick] [--large-dir DIR] [--repeat N] [--presses N] [--out DIR]

Prints a table and writes OUT/results.json (default benchmarks/out/). The harness itself is
the package benchmarks/harness/ (its docstring lists the parts); this file only starts it.
"""

from __future__ import annotations

import sys
from pathlib import Path

if not __package__:  # run as a script: make the checkout importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.harness.main import main

if __name__ == "__main__":
    sys.exit(main())
