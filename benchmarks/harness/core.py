"""What every phase shares: the time budget, the dossiers under test, the measured children's
environment, and the rows collected so far."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .report import Row
from .terminal import DEFAULT_SIZE, terminal_env
from .worker import RESULT_PREFIX

ROOT = Path(__file__).resolve().parent.parent.parent
COLS, ROWS = DEFAULT_SIZE


@dataclass
class Plan:
    """How many repetitions and how long each phase may take (a full run: ~7 min)."""

    repeat: int
    presses: int
    phase_cap: float  # s one metric on one dossier may take before repeats stop
    deadline: float  # perf_counter() after which every phase does its minimum
    startup_timeout: float

    def more(self, started: float, runs: int, last: float) -> bool:
        """Whether another run fits: under the repeat count, the phase cap and the deadline."""
        now = time.perf_counter()
        if runs >= self.repeat:
            return False
        if runs == 0:
            return True
        return now - started + last <= self.phase_cap and now + last <= self.deadline


@dataclass
class Target:
    """A dossier under test, and what its first load told us about it."""

    label: str
    path: Path
    large: bool
    info: dict[str, Any] = field(default_factory=dict)


def child_env(cache_dir: Path) -> dict[str, str]:
    """The environment of every measured process: same terminal, private cache, no overrides."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL_")}
    env = terminal_env(
        base,
        DEFAULT_SIZE,
        PARTNERSHIP_TUI_CACHE_DIR=str(cache_dir),
        # Nor the user's remembered places: every start is a first launch (the overview).
        PARTNERSHIP_TUI_STATE_DIR=str(cache_dir.parent / "state"),
        PYTHONUNBUFFERED="1",
        # Users run with bytecode cached (pip compiles on install); keep ours out of the tree.
        PYTHONPYCACHEPREFIX=str(cache_dir.parent / "pycache"),
    )
    for name in ("PYTHONDONTWRITEBYTECODE", "PARTNERSHIP_TUI_NO_CACHE", "NO_COLOR"):
        env.pop(name, None)
    return env


def run_worker(task: dict[str, Any], env: dict[str, str], timeout: float) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter (benchmarks.harness.worker); its answer."""
    argv = [sys.executable, "-m", "benchmarks.harness.worker", json.dumps(task)]
    try:
        done = subprocess.run(
            argv, capture_output=True, text=True, env=env, timeout=timeout, cwd=ROOT
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(RESULT_PREFIX):
            return json.loads(line[len(RESULT_PREFIX) :])
    tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
    return {"error": " / ".join(tail) or f"exit {done.returncode}"}


class Harness:
    """The state of one run: its plan, output folder, anchors measured so far, and rows."""

    def __init__(self, plan: Plan, out: Path, quick: bool) -> None:
        from .worker import find_rg

        self.plan = plan
        self.out = out
        self.quick = quick
        self.rows: list[Row] = []
        self.env = child_env(out / "cache")
        self.rg = find_rg()
        self.extra: dict[str, Any] = {}
        self.cold_ms: dict[str, float] = {}
        self.general: list[str] = []  # notes for the whole table, each said once
        self.hello_startup: list[float] = []
        self.hello_keys: list[float] = []
        self.hello_rss: float | None = None
        self.hello_path = out / "hello_app.py"

    def log(self, message: str) -> None:
        print(f"[bench] {message}", file=sys.stderr, flush=True)
