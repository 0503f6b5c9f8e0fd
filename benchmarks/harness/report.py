"""The table: rows of samples beside their anchors, targets, and how they are printed."""

from __future__ import annotations

import math
import statistics
from dataclasses import asdict, dataclass, field
from typing import Any


def median_p95(samples: list[float]) -> tuple[float, float]:
    """Median, and p95 by nearest rank (with few samples p95 is the maximum)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(0.95 * len(ordered)))
    return statistics.median(ordered), ordered[rank - 1]


@dataclass
class Row:
    """One line of the table: a metric on one dossier, beside its anchor and target."""

    metric: str
    dossier: str
    unit: str  # "ms" or "MB"
    samples: list[float] = field(default_factory=list)
    anchor: str = ""
    anchor_samples: list[float] = field(default_factory=list)
    target: str = "-"
    met: bool | None = None
    status: str = "ok"  # ok | n/a | error
    note: str = ""

    @property
    def median(self) -> float | None:
        return median_p95(self.samples)[0] if self.samples else None

    @property
    def p95(self) -> float | None:
        return median_p95(self.samples)[1] if self.samples else None

    @property
    def anchor_median(self) -> float | None:
        return median_p95(self.anchor_samples)[0] if self.anchor_samples else None

    @property
    def ratio(self) -> float | None:
        if self.median is None or not self.anchor_median:
            return None
        return self.median / self.anchor_median

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.update(
            n=len(self.samples),
            median=self.median,
            p95=self.p95,
            anchor_median=self.anchor_median,
            ratio=self.ratio,
        )
        return data


def missing(metric: str, dossier: str, unit: str, why: str, status: str = "n/a") -> Row:
    return Row(metric, dossier, unit, status=status, note=why)


def check_ratio(row: Row, limit: float) -> Row:
    row.target = f"<= {limit:g}x {row.anchor.split()[0]}" if row.anchor else f"<= {limit:g}x"
    row.met = None if row.ratio is None else row.ratio <= limit
    return row


def check_max(row: Row, limit: float, p95_limit: float | None = None) -> Row:
    unit = row.unit
    shown = f"{limit / 1000:g} s" if unit == "ms" and limit >= 1000 else f"{limit:g} {unit}"
    row.target = f"med <= {shown}" + (f", p95 <= {p95_limit:g} {unit}" if p95_limit else "")
    if row.median is None:
        row.met = None
    else:
        row.met = row.median <= limit and (p95_limit is None or (row.p95 or 0) <= p95_limit)
    return row


METRICS = (
    "startup -> first screen",
    "load cold (load_dossier)",
    "load cold, fast YAML reader off",
    "load warm (load_cached)",
    "key: entity list move",
    "key: timeline move",
    "key: entity list move, cell renderer off",
    "key: filter letter -> list",
    "key: search box letter -> results",
    "search: rare word",
    "search: common word",
    "search: phrase",
    "search: prefix",
    "search: index build",
    "search: index from cache",
    "peak RSS: first open + index",
    "peak RSS: warm open + index",
    "peak RSS: app at startup",
)
KEY_METRICS = (
    "key: entity list move",
    "key: timeline move",
    "key: entity list move, cell renderer off",
    "key: filter letter -> list",
    "key: search box letter -> results",
)
TERMINAL_METRICS = ("startup -> first screen", *KEY_METRICS, "peak RSS: app at startup")
SEARCH_KINDS = ("rare word", "common word", "phrase", "prefix")


def fmt_value(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "MB":
        return f"{value:.0f} MB"
    if value >= 10_000:
        return f"{value / 1000:.1f} s"
    if value >= 100:
        return f"{value:.0f} ms"
    return f"{value:.1f} ms" if value >= 10 else f"{value:.2f} ms"


def fmt_ratio(ratio: float | None) -> str:
    if ratio is None:
        return "-"
    return f"{ratio:.3f}x" if ratio < 0.1 else f"{ratio:.2f}x"


LEGEND = (
    "anchors: hello = a bare Textual app started and keyed the same way; yaml-parse = "
    "PyYAML's C parser emitting every event of the same YAML files (the floor of any "
    "loader built on it); cold = the cold load above; rg -i / py-scan = ripgrep over the "
    "source files / casefold + `in` over every source text in Python; baseline = the "
    "measuring process after its imports; on = the same row with every fast path in place "
    "(a row with a fast path off, divided by it, is what that hand-written code is worth)"
)


def render_table(rows: list[Row], general: list[str] | None = None) -> str:
    header = ("metric", "dossier", "n", "median", "p95", "anchor", "ratio", "target", "met?")
    lines: list[tuple[str, ...]] = [header]
    for row in rows:
        if row.status != "ok":
            met = row.status
        else:
            met = "-" if row.met is None else ("yes" if row.met else "NO")
        anchor = (
            f"{row.anchor.split()[0]} {fmt_value(row.anchor_median, row.unit)}"
            if row.anchor and row.anchor_samples
            else (row.anchor or "-")
        )
        lines.append(
            (
                row.metric,
                row.dossier,
                str(len(row.samples)) if row.samples else "-",
                fmt_value(row.median, row.unit),
                fmt_value(row.p95, row.unit),
                anchor,
                fmt_ratio(row.ratio),
                row.target,
                met,
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for index, line in enumerate(lines):
        out.append(" | ".join(cell.ljust(widths[i]) for i, cell in enumerate(line)).rstrip())
        if index == 0:
            out.append("-+-".join("-" * w for w in widths))
    notes = [f"- {text}" for text in (*(general or ()), LEGEND)]
    notes += [f"- {r.metric} [{r.dossier}]: {r.note}" for r in rows if r.note]
    return "\n".join(out) + ("\n\nnotes:\n" + "\n".join(notes) if notes else "")
