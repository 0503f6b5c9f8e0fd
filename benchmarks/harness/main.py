"""The run: prepare the large dossier, measure loads then the terminal on each dossier, and
write the table and results.json."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .. import synth
from .core import COLS, ROOT, ROWS, Harness, Plan, Target, run_worker
from .loads import measure_loads
from .reload import RELOAD, measure_reload
from .report import METRICS, TERMINAL_METRICS, Row, missing, render_table
from .screen import KEY_QUIET, SCREEN_QUIET, hello_warmup, measure_terminal
from .terminal import ChildGone, pty_available
from .worker import find_rg

DEFAULT_OUT = ROOT / "benchmarks" / "out"


def prepare_large(
    out: Path, large_dir: Path | None, quick: bool, log: Callable[[str], None]
) -> Path:
    """The synthetic dossier: tiny for --quick, large otherwise; generated when absent."""
    size = "tiny" if quick else "large"
    folder = large_dir or out / size
    spec = synth.spec_for(size)
    manifest = synth.read_manifest(folder)
    if large_dir is not None and (folder / "sources.yaml").exists():
        return folder  # a dossier the user chose: use it as it is, never overwrite it
    if manifest is None or manifest.get("spec") != asdict(spec):
        log(f"generating {folder} ({spec.entities} entities, {spec.events} events)")
        # In a child process: the generator's memory must not swell this one (whose
        # children inherit its footprint) nor linger while we measure.
        subprocess.run(
            [sys.executable, str(Path(synth.__file__).resolve()), str(folder), "--size", size],
            check=True,
            timeout=600,
        )
    return folder


def chosen_targets(h: Harness, names: str, large_dir: Path | None) -> list[Target]:
    """The dossiers a partial run (`--dossier bundled,large`) measures, the large one made if
    absent: what the keys, startup and reload entry points share."""
    from partnership_tui.model import bundled_data_dir

    wanted = names.split(",")
    targets = []
    if "bundled" in wanted:
        targets.append(Target("bundled", bundled_data_dir(), large=False))
    if "large" in wanted:
        large = prepare_large(h.out, large_dir, h.quick, h.log)
        targets.append(Target("tiny" if h.quick else "large", large, large=True))
    return targets


def warm_opened(h: Harness, targets: list[Target], *, index: bool) -> str | None:
    """Open each dossier once warm in a child (its cache, and with `index` its search index,
    made if absent), as a full run's first open does; its info noted on the target. The
    error of the first that fails, or None."""
    for target in targets:
        made = "cache and search index" if index else "cache"
        h.log(f"{target.label}: warm open ({made} made if absent)")
        task = {"dir": str(target.path), "mode": "warm", "info": True, "index": index}
        result = run_worker(task, h.env, timeout=900)
        if "info" not in result:
            return f"{target.label}: {result.get('error')}"
        target.info = result["info"]
    return None


def environment() -> dict[str, Any]:
    versions: dict[str, Any] = {}
    for name in ("textual", "rich", "yaml"):
        try:
            module = __import__(name)
            versions[name] = getattr(module, "__version__", "?")
        except ImportError:
            versions[name] = None
    rg = find_rg()
    rg_version = None
    if rg:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            rg_version = subprocess.run(
                [rg, "--version"], capture_output=True, text=True, timeout=10
            ).stdout.split("\n")[0]
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "versions": versions,
        "ripgrep": rg_version,
        "pty": pty_available(),
    }


def machine_load() -> list[float] | None:
    """The 1, 5 and 15 minute load averages (None where the system has none)."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def run(args: argparse.Namespace) -> tuple[list[Row], dict[str, Any]]:
    from partnership_tui.model import bundled_data_dir

    began = time.perf_counter()
    load_before = machine_load()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    repeat = args.repeat or (3 if args.quick else 7)
    plan = Plan(
        repeat=repeat,
        presses=args.presses or (8 if args.quick else 30),
        phase_cap=20 if args.quick else 30,
        deadline=began + (90 if args.quick else 420),
        startup_timeout=60 if args.quick else 300,
    )
    harness = Harness(plan, out, args.quick)
    large = prepare_large(out, args.large_dir, args.quick, harness.log)
    targets = [
        Target("bundled", bundled_data_dir(), large=False),
        Target("tiny" if args.quick and not args.large_dir else "large", large, large=True),
    ]
    for target in targets:
        measure_loads(harness, target)
    use_pty = not args.no_pty and pty_available()
    if use_pty:
        harness.log("hello app: warm-up and key presses")
        try:
            hello_warmup(harness)
        except (TimeoutError, ChildGone, OSError) as exc:
            harness.log(f"hello app failed: {exc}")
        for target in targets:
            measure_terminal(harness, target)
        for target in targets:
            measure_reload(harness, target)
    else:
        why = "no pseudo-terminal here" if not args.no_pty else "skipped (--no-pty)"
        for target in targets:
            for metric in TERMINAL_METRICS:
                unit = "MB" if metric.startswith("peak") else "ms"
                harness.rows.append(missing(metric, target.label, unit, why))
            harness.rows.append(missing(RELOAD, target.label, "ms", why))
    order = {metric: i for i, metric in enumerate(METRICS)}
    labels = {t.label: i for i, t in enumerate(targets)}
    rows = sorted(harness.rows, key=lambda r: (order.get(r.metric, 99), labels.get(r.dossier, 9)))
    meta = {
        "quick": args.quick,
        "repeat": repeat,
        "presses": plan.presses,
        "seconds": time.perf_counter() - began,
        "dossiers": {t.label: str(t.path) for t in targets},
        "environment": environment(),
        # Other work on the machine skews absolute times, less so the ratios to anchors.
        "load_average": {"start": load_before, "end": machine_load()},
        "method": {
            "screen_complete": (
                "an entity name of the loaded list appears in the output stripped of escape "
                f"sequences, then {SCREEN_QUIET * 1000:.0f} ms of silence; time of the last byte"
            ),
            "repaint_done": (
                f"first output byte after the key, then {KEY_QUIET * 1000:.0f} ms of silence; "
                "time of the last byte (the silence is not counted)"
            ),
            "terminal": f"{COLS}x{ROWS}, TERM=xterm-256color",
        },
        "details": harness.extra,
        "general": harness.general,
    }
    return rows, meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Speed harness: is the explorer still instant from 5 sources to thousands?"
    )
    parser.add_argument("--quick", action="store_true", help="tiny synthetic dossier, few runs")
    parser.add_argument("--large-dir", type=Path, help="large dossier folder (made if absent)")
    parser.add_argument("--repeat", type=int, help="runs per startup/load/search measurement")
    parser.add_argument("--presses", type=int, help="key presses per pane")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where results go")
    parser.add_argument("--no-pty", action="store_true", help="skip terminal measurements")
    args = parser.parse_args(argv)
    rows, meta = run(args)
    load = meta["load_average"]
    general = [
        *sorted(set(meta["general"])),
        f"load average at start / end: {load['start']} / {load['end']} ({os.cpu_count()} cores)",
    ]
    table = render_table(rows, general)
    print(table)
    results = {"meta": meta, "rows": [r.to_json() for r in rows], "table": table}
    path = args.out / "results.json"
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {path} in {meta['seconds']:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
