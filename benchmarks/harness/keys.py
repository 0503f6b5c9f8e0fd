"""Only the key rows, for working on them (a full run takes ~7 minutes, this ~1-2):

    python -m benchmarks.harness.keys [--quick] [--rows entity,timeline,filter,search]
        [--dossier bundled,large] [--presses N] [--sessions N] [--large-dir DIR] [--out DIR]

Each dossier is opened once warm (its cache and search index made in a child first, as a
full run's first open does), then the app is started in a pseudo-terminal per session and
the chosen keys are pressed, beside the bare Textual app's key presses taken in the same
run. Prints the rows as the full run does and writes OUT/keys.json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from .core import Harness, Plan
from .main import DEFAULT_OUT, chosen_targets, machine_load, warm_opened
from .report import Row, render_table
from .screen import (
    ENTITY_MOVE,
    FILTER,
    SEARCH_BOX,
    TIMELINE_MOVE,
    Keys,
    app_argv,
    hello_warmup,
    key_rows,
    key_session,
)

ROW_NAMES = {
    "entity": ENTITY_MOVE,
    "timeline": TIMELINE_MOVE,
    "filter": FILTER,
    "search": SEARCH_BOX,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Only the key rows of the speed harness.")
    parser.add_argument("--quick", action="store_true", help="tiny synthetic dossier")
    parser.add_argument("--rows", default=",".join(ROW_NAMES), help="entity,timeline,filter,search")
    parser.add_argument("--dossier", default="bundled,large", help="bundled,large")
    parser.add_argument("--presses", type=int, default=30, help="key presses per row and session")
    parser.add_argument("--sessions", type=int, default=1, help="app starts per dossier")
    parser.add_argument("--large-dir", type=Path, help="large dossier folder (made if absent)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where results go")
    args = parser.parse_args(argv)
    metrics = tuple(ROW_NAMES[name] for name in args.rows.split(","))
    began = time.perf_counter()
    load_before = machine_load()
    args.out.mkdir(parents=True, exist_ok=True)
    plan = Plan(
        repeat=1,
        presses=args.presses,
        phase_cap=60,
        deadline=began + 3600,
        startup_timeout=300,
    )
    h = Harness(plan, args.out, args.quick)
    targets = chosen_targets(h, args.dossier, args.large_dir)
    failed = warm_opened(h, targets, index=True)
    if failed:
        print(failed, file=sys.stderr)
        return 1
    h.log("hello app: warm-up and key presses")
    hello_warmup(h)
    rows: list[Row] = []
    for target in targets:
        merged = {metric: Keys([], []) for metric in metrics}
        for session in range(args.sessions):
            h.log(f"{target.label}: session {session + 1}, keys {args.rows}")
            _, keys = key_session(h, target, app_argv(target), metrics)
            for metric, got in keys.items():
                merged[metric].done += got.done
                merged[metric].first += got.first
                merged[metric].silent += got.silent
        rows += key_rows(h, target, merged)
    general = [f"load average at start / end: {load_before} / {machine_load()}"]
    table = render_table(rows, general)
    print(table)
    out = {"rows": [r.to_json() for r in rows], "table": table, "hello_keys": h.hello_keys}
    (args.out / "keys.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
