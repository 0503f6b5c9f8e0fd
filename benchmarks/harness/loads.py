"""Loads, search and memory: each measured in fresh child processes (see worker.py).

Only these rows, for working on them (a full run takes ~7 minutes)::

    python -m benchmarks.harness.loads [--quick] [--dossier bundled,large] [--repeat N]
        [--large-dir DIR] [--out DIR]

prints the cold and warm loads (each beside PyYAML's parse), the search rows and both
peak-RSS rows as the full run does, and writes OUT/loads.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from .core import Harness, Target, run_worker
from .report import (
    METRICS,
    SEARCH_KINDS,
    TERMINAL_METRICS,
    Row,
    check_max,
    fmt_value,
    median_p95,
    missing,
)


def cache_available() -> bool:
    """Whether the dossier cache (model.store.dossiercache) offers open_dossier."""
    from .worker import _cache_module

    return _cache_module() is not None


def measure_loads(h: Harness, target: Target) -> None:
    plan, label = h.plan, target.label
    cache_dir = h.out / "cache"
    shutil.rmtree(cache_dir, ignore_errors=True)
    root = str(target.path)
    h.log(f"{label}: cold load + index + search (first open)")
    first = run_worker(
        {
            "dir": root,
            "mode": "cold-populate",
            "info": True,
            "yaml_anchor": True,
            "search": plan.repeat,
            "rg": h.rg,
        },
        h.env,
        timeout=900,
    )
    if "error" in first and "seconds" not in first:
        for metric in METRICS:
            if metric not in TERMINAL_METRICS:
                unit = "MB" if metric.startswith("peak") else "ms"
                h.rows.append(missing(metric, label, unit, first["error"], "error"))
        return
    target.info = first.get("info", {})
    h.extra[label] = {
        "info": target.info,
        "first_open": {k: v for k, v in first.items() if k not in ("search", "info")},
    }
    cold = [first["seconds"] * 1000]
    yaml_ms = [first["yaml_seconds"] * 1000] if "yaml_seconds" in first else []
    # Each further cold load is followed by one with the fast YAML reader switched off, so
    # the two see the same load on the machine; the off row's anchor is the cold row.
    slow: list[float] = []
    slow_cpu: list[float] = []
    cold_cpu: list[float] = []
    slow_error = ""
    started, last = time.perf_counter(), first["seconds"]

    def off_once() -> str:
        off = run_worker({"dir": root, "mode": "cold", "off": ["fast-yaml"]}, h.env, 900)
        if "seconds" not in off:
            return str(off.get("error", "failed"))
        slow.append(off["seconds"] * 1000)
        slow_cpu.append(off.get("cpu_seconds", 0.0) * 1000)
        return ""

    # At least one pair, even when a cold load is longer than the phase budget: the first
    # load went through the cache (and wrote it), so only these pairs compare like with like.
    while not slow_error and (not slow or plan.more(started, len(cold), last + 0.5)):
        result = run_worker({"dir": root, "mode": "cold"}, h.env, timeout=900)
        if "seconds" not in result:
            break
        cold.append(result["seconds"] * 1000)
        cold_cpu.append(result.get("cpu_seconds", 0.0) * 1000)
        last = result["seconds"]
        slow_error = off_once()
        last += slow[-1] / 1000 if slow and not slow_error else 0
    h.cold_ms[label] = statistics.median(cold)
    row = Row("load cold (load_dossier)", label, "ms", cold, "yaml-parse", yaml_ms)
    if len(cold) == 1 and plan.repeat > 1:
        row.note = "1 run: one cold load takes longer than the phase budget"
    h.rows.append(check_max(row, 3000))
    row = Row("load cold, fast YAML reader off", label, "ms", slow, "on", cold[1:] or cold)
    if slow_error:
        row.status, row.note = "error", slow_error
    else:
        row.note = "every file read through libyaml's events (yamlfast.read_subset refuses all)"
        if cold_cpu and slow_cpu and all(cold_cpu):
            ratio = statistics.median(slow_cpu) / statistics.median(cold_cpu)
            row.note += f"; CPU time off/on {ratio:.2f}x over {len(cold_cpu)} pair(s)"
    h.rows.append(row)

    warm: list[float] = []
    warm_rss: float | None = None
    note = ""
    if cache_available():
        h.log(f"{label}: warm loads")
        started, last = time.perf_counter(), 0.5
        while plan.more(started, len(warm), last + 0.5):
            task: dict[str, Any] = {"dir": root, "mode": "warm", "index": not warm}
            result = run_worker(task, h.env, timeout=600)
            if "seconds" not in result:
                note = result.get("error", "warm load failed")
                break
            if result.get("cache_miss"):
                note = "cache missed: the warm figure includes a full load"
            if not warm:
                warm_rss = result.get("rss_peak_mb")
            warm.append(result["seconds"] * 1000)
            last = result["seconds"]
        row = Row("load warm (load_cached)", label, "ms", warm, "cold", cold, note=note)
        h.rows.append(check_max(row, 250))
    else:
        h.rows.append(missing("load warm (load_cached)", label, "ms", "n/a (no cache)"))

    search_rows(h, target, first)
    baseline = [first.get("rss_baseline_mb", 0.0)]
    row = Row(
        "peak RSS: first open + index",
        label,
        "MB",
        [first["rss_peak_mb"]],
        "baseline",
        baseline,
    )
    parts = [
        f"after load {first.get('rss_after_load_mb', 0):.0f} MB",
        f"cache write {'yes' if first.get('populate_seconds') else 'no'}",
    ]
    row.note = ", ".join(parts)
    h.rows.append(check_max(row, 250))
    if warm_rss is not None:
        row = Row("peak RSS: warm open + index", label, "MB", [warm_rss], "baseline", baseline)
        h.rows.append(check_max(row, 250))
    else:
        h.rows.append(missing("peak RSS: warm open + index", label, "MB", "n/a (no cache)"))


def search_rows(h: Harness, target: Target, first: dict[str, Any]) -> None:
    label = target.label
    found = first.get("search") or {}
    if "error" in found or not found:
        why = found.get("error", "search not measured")
        for kind in SEARCH_KINDS:
            h.rows.append(missing(f"search: {kind}", label, "ms", why))
        h.rows.append(missing("search: index build", label, "ms", why))
        return
    h.extra[label]["search"] = {
        "backend": found.get("backend"),
        "queries": found.get("queries"),
        "hits": found.get("hits"),
    }
    for kind in SEARCH_KINDS:
        ours = [s * 1000 for s in found["search_seconds"].get(kind, [])]
        rg = [s * 1000 for s in found["rg_seconds"].get(kind, [])]
        scan = [s * 1000 for s in found["scan_seconds"].get(kind, [])]
        if rg:
            row = Row(f"search: {kind}", label, "ms", ours, "rg -i", rg)
        else:
            row = Row(f"search: {kind}", label, "ms", ours, "py-scan", scan)
            h.general.append("ripgrep not installed: search is compared with py-scan")
        check_max(row, 10, 25)
        row.target = "med <= 10 ms, p95 <= 25 ms, < rg"
        if row.met is not None and rg:
            row.met = row.met and (row.median or 0) < (row.anchor_median or 0)
        scan_median = median_p95(scan)[0] if scan else None
        if rg and scan_median is not None:
            row.note = f"py-scan median {fmt_value(scan_median, 'ms')}"
        if not ours:
            row.status, row.note = "n/a", "no queries could be drawn from this dossier"
        h.rows.append(row)
    build = Row(
        "search: index build",
        label,
        "ms",
        [found["index_seconds"] * 1000],
        note=f"search backend {found.get('backend')}",
    )
    h.rows.append(build)
    opens = [x * 1000 for x in found.get("index_open_seconds", [])]
    if opens:
        h.rows.append(Row("search: index from cache", label, "ms", opens))
    else:
        h.rows.append(missing("search: index from cache", label, "ms", "no index cache here"))


def main(argv: list[str] | None = None) -> int:
    from partnership_tui.model import bundled_data_dir

    from .core import Plan
    from .main import DEFAULT_OUT, machine_load, prepare_large
    from .report import render_table

    parser = argparse.ArgumentParser(description="Only the load, search and memory rows.")
    parser.add_argument("--quick", action="store_true", help="tiny synthetic dossier")
    parser.add_argument("--dossier", default="bundled,large", help="bundled,large")
    parser.add_argument("--repeat", type=int, default=3, help="cold and warm loads per dossier")
    parser.add_argument("--large-dir", type=Path, help="large dossier folder (made if absent)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where results go")
    args = parser.parse_args(argv)
    began = time.perf_counter()
    load_before = machine_load()
    args.out.mkdir(parents=True, exist_ok=True)
    plan = Plan(
        repeat=max(1, args.repeat),
        presses=0,
        phase_cap=600,
        deadline=began + 3600,
        startup_timeout=300,
    )
    h = Harness(plan, args.out, args.quick)
    targets = []
    wanted = args.dossier.split(",")
    if "bundled" in wanted:
        targets.append(Target("bundled", bundled_data_dir(), large=False))
    if "large" in wanted:
        large = prepare_large(args.out, args.large_dir, args.quick, h.log)
        targets.append(Target("tiny" if args.quick else "large", large, large=True))
    if not targets:
        print(f"no dossier in {args.dossier!r}: say bundled, large or both", file=sys.stderr)
        return 2
    for target in targets:
        measure_loads(h, target)
    general = [f"load average at start / end: {load_before} / {machine_load()}", *h.general]
    table = render_table(h.rows, list(dict.fromkeys(general)))
    print(table)
    out = {"rows": [r.to_json() for r in h.rows], "table": table, "extra": h.extra}
    (args.out / "loads.json").write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
