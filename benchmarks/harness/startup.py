"""Only the startup rows, for working on them (a full run takes ~7 minutes, this ~1):

    python -m benchmarks.harness.startup [--quick] [--dossier bundled,large] [--runs N]
        [--large-dir DIR] [--out DIR]

Each dossier is opened once warm (its cache made in a child first, as a full run's first open
does, so every measured start is warm), then the app and the bare Textual app are started in
turns, `--runs` times each, in the same pseudo-terminal conditions as a full run. Prints the
rows as the full run does (app beside the hello app of the same run) and writes
OUT/startup.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from .core import Harness, Plan
from .main import DEFAULT_OUT, chosen_targets, machine_load, warm_opened
from .report import Row, check_ratio, render_table
from .screen import (
    HELLO_APP,
    HELLO_TEXT,
    SCREEN_QUIET,
    STARTUP,
    app_argv,
    hello_argv,
    startup_once,
)
from .terminal import pty_app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Only the startup rows of the speed harness.")
    parser.add_argument("--quick", action="store_true", help="tiny synthetic dossier")
    parser.add_argument("--dossier", default="bundled,large", help="bundled,large")
    parser.add_argument("--runs", type=int, default=7, help="starts of each app per dossier")
    parser.add_argument("--large-dir", type=Path, help="large dossier folder (made if absent)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where results go")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    load_before = machine_load()
    args.out.mkdir(parents=True, exist_ok=True)
    plan = Plan(
        repeat=args.runs, presses=0, phase_cap=600, deadline=began + 3600, startup_timeout=300
    )
    h = Harness(plan, args.out, args.quick)
    targets = chosen_targets(h, args.dossier, args.large_dir)
    failed = warm_opened(h, targets, index=False)
    if failed:
        print(failed, file=sys.stderr)
        return 1
    h.hello_path.write_text(HELLO_APP, encoding="utf-8")
    with pty_app(hello_argv(h), h.env) as app:  # compiles and caches the hello app's bytecode
        app.wait_screen([HELLO_TEXT], 60, SCREEN_QUIET)
    rows: list[Row] = []
    details: dict[str, dict[str, list[float]]] = {}
    for target in targets:
        markers = target.info.get("markers") or []
        argv = app_argv(target)
        startup_once(h, argv, markers)  # the app's bytecode and the page cache, not counted
        h.log(f"{target.label}: {args.runs} starts each, in turns with the hello app")
        samples: list[float] = []
        hello: list[float] = []
        first_bytes: list[float] = []
        for _ in range(args.runs):
            run = startup_once(h, argv, markers)
            samples.append(run.total * 1000)
            if run.first_byte is not None:
                first_bytes.append(run.first_byte * 1000)
            hello.append(startup_once(h, hello_argv(h), [HELLO_TEXT]).total * 1000)
        row = Row(STARTUP, target.label, "ms", samples, "hello", hello)
        if first_bytes:
            row.note = f"median first output byte {statistics.median(first_bytes):.0f} ms"
        rows.append(check_ratio(row, 2.0 if target.large else 1.5))
        details[target.label] = {"app": samples, "hello": hello}
    general = [f"load average at start / end: {load_before} / {machine_load()}"]
    table = render_table(rows, general)
    print(table)
    out = {"rows": [r.to_json() for r in rows], "table": table, "samples": details}
    (args.out / "startup.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
