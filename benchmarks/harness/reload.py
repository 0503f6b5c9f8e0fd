"""Live reload: an edit to one file of the dossier, to the explorer showing it.

The explorer runs in a pseudo-terminal on a copy of the dossier (the dossier
under test is never changed). Each run renames the first company in
`companies.yaml` to a new marker (`!reload 003`: "!" sorts before any letter,
so it becomes the first row of the entity list), saved as an editor saves (a
temp file renamed over the file), and times from the rename to the last byte
of the repaint that shows the marker, once the output has been quiet for
KEY_QUIET (not counted). That is everything the user waits for: the watcher
grouping the burst (tui/watch.py, QUIET_MS), the load in the background (a
changed file is a cache miss: a full load, and the new cache written), and
the swap with every pane repainted.

Only this row, for working on it (a full run takes ~7 minutes):

    python -m benchmarks.harness.reload [--dossier bundled,large] [--repeat N]
        [--large-dir DIR] [--out DIR]

Each dossier is first loaded cold in a child (the row's anchor, as in a full run: cold
loads measured in the same run), then opened in a pseudo-terminal and edited.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import time
from pathlib import Path

from .core import Harness, Plan, Target, run_worker
from .report import Row, check_max, missing
from .screen import FIRST_SCREEN, KEY_QUIET, SCREEN_QUIET, app_argv, app_cwd, startup_timeout
from .terminal import ChildGone, pty_app

RELOAD = "live reload: edit one file -> screen"
_FIRST_NAME = re.compile(r"^(  name: ).*$", re.M)


def rename_first_company(path: os.PathLike[str] | str, marker: str) -> None:
    """Give the first company of `companies.yaml` the name `marker`, saved atomically."""
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    edited, count = _FIRST_NAME.subn(lambda m: f'{m.group(1)}"{marker}"', text, count=1)
    if count != 1:
        raise ValueError(f"no `  name:` line in {path}")
    temp = f"{path}.bench-tmp"  # a .tmp-like name the watcher ignores, as an editor's is
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(edited)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def measure_reload(h: Harness, target: Target) -> None:
    """One start on a copy of the dossier, then edits timed until each is on screen."""
    label, plan = target.label, h.plan
    markers = target.info.get("markers") or []
    if not markers:
        h.rows.append(missing(RELOAD, label, "ms", "no entity name to recognise"))
        return
    copy = h.out / f"reload-{label}"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(target.path, copy, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    companies = copy / "companies.yaml"
    copied = Target(label, copy, target.large, target.info)
    argv = app_argv(copied)
    cold = h.cold_ms.get(label) or 0.0
    limit = max(30.0, 3 * cold / 1000 + 10)  # a reload is a full load of the edited files
    samples: list[float] = []
    error = ""
    first_start: float | None = None
    h.log(f"{label}: live reload after an edit to companies.yaml")
    try:
        with pty_app(argv, h.env, cwd=app_cwd(argv)) as app:
            first_start = app.wait_screen(markers + FIRST_SCREEN, startup_timeout(h), SCREEN_QUIET)
            app.press(b"1", KEY_QUIET)  # the panes (a first visit may open on the overview)
            app.settle(1.0, limit=5.0)  # the watcher is set up once the screen is
            started, last = time.perf_counter(), 0.0
            while plan.more(started, len(samples), last):
                marker = f"!reload {len(samples) + 1:03d}"
                app.settle(KEY_QUIET)
                rename_first_company(companies, marker)
                sent = time.perf_counter()
                deadline = sent + limit
                seen = False
                while time.perf_counter() < deadline:
                    got = app.read(KEY_QUIET)
                    if got and not seen and app.shows(marker):
                        seen = True
                    if seen and not got:
                        break
                if not seen:
                    error = f"{marker!r} not on screen {limit:.0f} s after the edit"
                    break
                last = app.last_byte - sent
                samples.append(last * 1000)
    except (TimeoutError, ChildGone, OSError, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    row = Row(RELOAD, label, "ms", samples, "cold", [cold] if cold else [])
    started_note = (
        f"first start on the copy (a cold load) {first_start:.1f} s"
        if first_start is not None
        else ""
    )
    row.note = "; ".join(
        x
        for x in (
            error,
            "saved as an editor saves; includes the watcher's quiet step (tui/watch.py QUIET_MS)",
            started_note,
        )
        if x
    )
    if not samples:
        row.status = "error"
        h.rows.append(row)
        return
    h.rows.append(check_max(row, 1000 if target.large else 50))


def main(argv: list[str] | None = None) -> int:
    """Only the reload rows, each beside the cold loads of the same dossier in this run."""
    from .main import DEFAULT_OUT, chosen_targets, machine_load
    from .report import render_table

    parser = argparse.ArgumentParser(description="Only the live-reload rows of the harness.")
    parser.add_argument("--dossier", default="bundled,large", help="bundled,large")
    parser.add_argument("--repeat", type=int, default=7, help="edits per dossier")
    parser.add_argument("--cold", type=int, default=3, help="cold loads per dossier (anchor)")
    parser.add_argument("--large-dir", type=Path, help="large dossier folder (made if absent)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where results go")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    load_before = machine_load()
    args.out.mkdir(parents=True, exist_ok=True)
    plan = Plan(
        repeat=args.repeat, presses=1, phase_cap=600, deadline=began + 3600, startup_timeout=300
    )
    h = Harness(plan, args.out, quick=False)
    targets = chosen_targets(h, args.dossier, args.large_dir)
    for target in targets:
        h.log(f"{target.label}: cold loads (the anchor)")
        cold: list[float] = []
        for run in range(args.cold):
            task = {"dir": str(target.path), "mode": "cold", "info": run == 0}
            result = run_worker(task, h.env, timeout=900)
            if "seconds" not in result:
                print(f"{target.label}: {result.get('error')}", file=sys.stderr)
                return 1
            if run == 0:
                target.info = result.get("info", {})
            cold.append(result["seconds"] * 1000)
        h.cold_ms[target.label] = statistics.median(cold)
        measure_reload(h, target)
    general = [f"load average at start / end: {load_before} / {machine_load()}"]
    table = render_table(h.rows, general)
    print(table)
    out = {"rows": [r.to_json() for r in h.rows], "table": table}
    (args.out / "reload.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
