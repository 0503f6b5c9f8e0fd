"""The speed harness's modules for tests: benchmarks/ sits in the checkout, not in the
installed package, so it is imported from there. The pty driver the harness uses to type
into the app (benchmarks/harness/terminal.py) is the one the pty tests use too."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def benchmarks_module(name: str) -> ModuleType:
    """benchmarks.<name>, imported from this checkout."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module(f"benchmarks.{name}")
