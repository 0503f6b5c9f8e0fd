"""Speed harness: is the explorer still instant from 5 sources to thousands?

One command measures, for the bundled dossier and a large synthetic one, each
metric as median and p95 over repeated runs, beside an anchor measured in the
same run, and checks it against its target::

    python benchmarks/run.py [--quick] [--large-dir DIR] [--repeat N] [--out DIR]

It prints a table and writes OUT/results.json (default benchmarks/out/).

Why anchors: absolute milliseconds depend on the machine; a ratio to something
every Textual app or every tool must pay (a bare "hello" app, ripgrep, a plain
Python scan, PyYAML's C parser) says whether our own code is the cost.

How each number is taken (see also the report in results.json):

- startup: the app runs in a real pseudo-terminal (120x40, TERM=xterm-256color).
  The app has no "ready" marker and may not be edited for one, so the screen is
  complete when the output, stripped of escape sequences, contains a name only
  the loaded entity list shows (one of the first names of each entity kind) and
  the output has then been quiet for SCREEN_QUIET. The time is that of the last
  byte before the quiet window, so the window itself is not counted. The same
  rule with the anchor's own text times a bare Textual app.
- key press: after startup a key (down/up arrow) is written to the terminal; the
  repaint is done when the output has been quiet for KEY_QUIET after at least one
  byte came back. Again the time of the last byte counts, not the window. The
  window is long on purpose: the list repaints in a frame, but the linked panes
  repaint only once the app has computed them, and that gap was seen to reach
  ~300 ms on the large dossier; a shorter window would credit that press with
  the list's 15 ms and charge the late panes to the next press.
- loads run in fresh processes (no warm imports, no shared heap); the time is
  that of the call itself. The cache, when partnership_tui.model.store.dossiercache exists,
  lives in OUT/cache (PARTNERSHIP_TUI_CACHE_DIR), never in the user's folder.
- search: partnership_tui.model.search.index in the process that loaded the dossier,
  after gc.freeze() as the app does, beside `rg -i` over the same source files
  (skipped when ripgrep is missing) and a casefold + `in` scan in Python.
- memory: the peak resident set (VmHWM; ru_maxrss where there is no /proc) of
  the loading process, and of the app once its first screen is complete.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import json
import math
import os
import platform
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

if __package__:
    from . import synth
else:  # run as a script: benchmarks/ itself is on sys.path
    import synth

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "benchmarks" / "out"
COLS, ROWS = 120, 40
SCREEN_QUIET = 0.15  # s of silence after the marker: the first screen is complete
KEY_QUIET = 0.35  # s of silence after a key's first output byte: every pane repainted
RESULT_PREFIX = "BENCH-RESULT "
HELLO_TEXT = "Hello from the benchmark anchor"

HELLO_APP = f'''
"""A bare Textual app: the floor every Textual app pays to start and repaint."""
from textual.app import App, ComposeResult
from textual.widgets import Static


class Hello(App[None]):
    BINDINGS = [("down", "bump(1)", "Down"), ("up", "bump(-1)", "Up")]

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def compose(self) -> ComposeResult:
        yield Static({HELLO_TEXT!r}, id="hello")

    def action_bump(self, step: int) -> None:
        self.count += step
        self.query_one("#hello", Static).update(f"{HELLO_TEXT}: {{self.count}}")


if __name__ == "__main__":
    Hello().run()
'''


# --- results -----------------------------------------------------------------------


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
    "load warm (load_cached)",
    "key: entity list move",
    "key: timeline move",
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
TERMINAL_METRICS = (
    "startup -> first screen",
    "key: entity list move",
    "key: timeline move",
    "peak RSS: app at startup",
)
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
    "measuring process after its imports"
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


# --- time budget -------------------------------------------------------------------


@dataclass
class Plan:
    """How many repetitions and how long each phase may take (the whole run < 5 min)."""

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


# --- child processes ---------------------------------------------------------------


def child_env(cache_dir: Path) -> dict[str, str]:
    """The environment of every measured process: same terminal, private cache, no overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL_")}
    env.update(
        TERM="xterm-256color",
        COLUMNS=str(COLS),
        LINES=str(ROWS),
        PARTNERSHIP_TUI_CACHE_DIR=str(cache_dir),
        PYTHONUNBUFFERED="1",
        # Users run with bytecode cached (pip compiles on install); keep ours out of the tree.
        PYTHONPYCACHEPREFIX=str(cache_dir.parent / "pycache"),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PARTNERSHIP_TUI_NO_CACHE", None)
    env.pop("NO_COLOR", None)
    return env


def run_worker(task: dict[str, Any], env: dict[str, str], timeout: float) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; its answer is a JSON line on stdout."""
    argv = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(task)]
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


# --- the worker (runs in the child) ------------------------------------------------------


def _maxrss_mb() -> float:
    """Peak resident memory of this process so far, in MB.

    VmHWM from /proc where there is one: ru_maxrss survives exec on Linux, so a
    child of a big parent would report the parent's peak as its own.
    """
    with contextlib.suppress(OSError):
        status = Path("/proc/self/status").read_text(encoding="ascii", errors="replace")
        found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        if found:
            return int(found.group(1)) / 1024
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _cache_module() -> Any:
    try:
        from partnership_tui.model.store import dossiercache as cache
    except ImportError:
        return None
    return cache if hasattr(cache, "open_dossier") else None


def _search_module() -> Any:
    try:
        from partnership_tui.model.search import index as search
    except ImportError:
        return None
    return search if hasattr(search, "SearchIndex") else None


def _worker_load(root: str, mode: str, out: dict[str, Any]) -> Any:
    """Load as `mode` says and record the time of the call itself; return the dossier."""
    from partnership_tui.model.dossier.load import load_dossier

    cache = _cache_module()
    if mode in ("warm", "cold-populate") and cache is not None:
        spent: list[float] = []
        original = cache.full_load

        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            result = original(*args, **kwargs)
            spent.append(time.perf_counter() - started)
            out["rss_after_load_mb"] = _maxrss_mb()
            return result

        cache.full_load = timed
        try:
            started = time.perf_counter()
            dossier = cache.open_dossier(root)
            total = time.perf_counter() - started
        finally:
            cache.full_load = original
        out["cache_miss"] = bool(spent)
        if mode == "warm":
            out["seconds"] = total
            return dossier
        if spent:
            out["seconds"] = spent[0]
            out["populate_seconds"] = total
            return dossier
    if mode == "warm":
        out["error"] = "no cache module"
        return None
    started = time.perf_counter()
    dossier = load_dossier(root)
    out["seconds"] = time.perf_counter() - started
    out["rss_after_load_mb"] = _maxrss_mb()
    return dossier


def _yaml_anchor(root: str) -> float:
    """PyYAML's C parser emitting every event of every YAML file: the floor of any YAML load."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    started = time.perf_counter()
    for path in sorted(Path(root).glob("*.yaml")):
        for _event in yaml.parse(path.read_text(encoding="utf-8"), Loader=loader):
            pass
    return time.perf_counter() - started


def _info(dossier: Any) -> dict[str, Any]:
    """What the parent needs to recognise the loaded screen, without loading anything itself."""
    title = f"{dossier.title} {dossier.description}".casefold()
    markers: list[str] = []
    # ids() and get(): the measuring process must not build (and keep) every record,
    # which the app never does, or the memory it reports would not be the app's.
    ids = getattr(dossier, "ids", None)
    for kind in ("company", "person", "product", "deal"):
        first = ids(kind)[:5] if ids else [r.id for r in dossier.by_kind(kind)[:5]]
        for record in (dossier.get(record_id) for record_id in first):
            name = " ".join(record.name.split())[:20].strip()
            if len(name) >= 4 and name.casefold() not in title:
                markers.append(name)
    return {
        "markers": markers,
        "records": len(dossier),
        "sources": len(dossier.sources),
        "events": len(dossier.timeline_ids if ids else dossier.timeline),
        "text_mb": sum(len(s.text.encode("utf-8")) for s in dossier.sources) / 1e6,
    }


def pick_queries(dossier: Any, per_kind: int = 5, seed: int = 0) -> dict[str, list[str]]:
    """Queries drawn from the dossier itself, in the search language of model.search.query.

    rare: words in exactly one source; common: words in the most sources;
    phrase: two or three neighbouring words of a sentence, or a two-word name;
    prefix: the first four letters of a mid-frequency word, with "*".
    """
    import random

    rng = random.Random(seed)
    word = re.compile(r"[a-z]{3,}")
    frequency: dict[str, int] = {}
    for source in dossier.sources:
        for token in set(word.findall(source.text.casefold())):
            frequency[token] = frequency.get(token, 0) + 1
    ranked = sorted(frequency, key=lambda w: (-frequency[w], w))
    long_words = [w for w in ranked if len(w) >= 5]
    rare = sorted(w for w in long_words if frequency[w] == 1)
    rare = rng.sample(rare, min(per_kind, len(rare))) if rare else long_words[-per_kind:]
    common = long_words[:per_kind]
    middle = long_words[len(long_words) // 20 : len(long_words) // 4] or long_words
    prefixes = sorted({w[:4] for w in rng.sample(middle, min(len(middle), per_kind * 4))})
    prefixes = [f"{p}*" for p in rng.sample(prefixes, min(per_kind, len(prefixes)))]
    phrases: list[str] = []
    sources = [s for s in dossier.sources if s.sentences]
    for _ in range(per_kind * 20):
        if len(phrases) >= per_kind - 2 or not sources:
            break
        source = rng.choice(sources)
        start, end = rng.choice(source.sentences)
        words = re.findall(r"[A-Za-z]{3,}", source.text[start:end])
        size = rng.choice((2, 3))
        if len(words) > size:
            at = rng.randrange(len(words) - size)
            candidate = " ".join(words[at : at + size])
            # only words that stand next to each other in the text make a phrase
            if candidate.casefold() in " ".join(source.text[start:end].split()).casefold():
                phrases.append(f'"{candidate}"')
    each = getattr(dossier, "each_of_kind", dossier.by_kind)  # the same order, nothing kept
    names = [
        r.name
        for kind in ("company", "person")
        for r in each(kind)
        if re.fullmatch(r"[A-Za-z]+ [A-Za-z]+", r.name)
    ]
    phrases.extend(f'"{n}"' for n in rng.sample(names, min(len(names), per_kind - len(phrases))))
    return {"rare word": rare, "common word": common, "phrase": phrases, "prefix": prefixes}


def _needle(query: str) -> str:
    return query.strip('"').rstrip("*").casefold()


def find_rg() -> str | None:
    """ripgrep on PATH, or beside this interpreter (pip's `ripgrep` wheel puts it there)."""
    return shutil.which("rg") or shutil.which("rg", path=str(Path(sys.executable).parent))


def _rg_argv(rg: str, query: str, folder: str) -> list[str]:
    base = [rg, "--no-config", "-i", "-n", "--no-heading"]
    if query.endswith("*"):
        return [*base, "-e", r"\b" + re.escape(query.rstrip("*")), folder]
    return [*base, "-F", "--", query.strip('"'), folder]


def _worker_search(dossier: Any, root: str, repeat: int, rg: str | None) -> dict[str, Any]:
    search = _search_module()
    out: dict[str, Any] = {}
    if search is None:
        out["error"] = "no search module"
        return out
    if not repeat:  # the index only: for its build time and memory
        started = time.perf_counter()
        search.SearchIndex.build(dossier)
        out["index_seconds"] = time.perf_counter() - started
        out["rss_after_index_mb"] = _maxrss_mb()
        return out
    started = time.perf_counter()
    index = search.SearchIndex.build(dossier)
    out["index_seconds"] = time.perf_counter() - started
    out["backend"] = getattr(index, "backend", "?")
    out["rss_after_index_mb"] = _maxrss_mb()
    queries = pick_queries(dossier)
    out["queries"] = queries
    texts = [s.text for s in dossier.sources]
    folder = str(Path(root) / "sources")
    times: dict[str, list[float]] = {}
    scans: dict[str, list[float]] = {}
    rgs: dict[str, list[float]] = {}
    hits: dict[str, list[int]] = {}
    for kind, items in queries.items():
        times[kind], scans[kind], rgs[kind], hits[kind] = [], [], [], []
        for query in items:
            for _ in range(repeat):
                started = time.perf_counter()
                results = index.search(query, limit=50)
                times[kind].append(time.perf_counter() - started)
            hits[kind].append(int(getattr(results, "total", 0)))
            needle = _needle(query)
            for run in range(repeat):
                started = time.perf_counter()
                _found = [i for i, text in enumerate(texts) if needle in text.casefold()]
                took = time.perf_counter() - started
                scans[kind].append(took)
                if took > 0.02 and run >= 1:
                    break  # a slow anchor: two runs per query tell enough, and save time
            if rg:
                for _ in range(repeat):
                    started = time.perf_counter()
                    subprocess.run(_rg_argv(rg, query, folder), capture_output=True, check=False)
                    rgs[kind].append(time.perf_counter() - started)
    out.update(search_seconds=times, scan_seconds=scans, rg_seconds=rgs, hits=hits)
    # Last, and outside the peak memory reported for this open: storing the index and
    # opening it again (the next session's first search) hold extra copies of it here.
    out["rss_before_index_cache_mb"] = _maxrss_mb()
    from partnership_tui.model.search.indexcache import open_index

    if getattr(dossier, "fingerprint", None):
        open_index(dossier)  # stores it if it was not there yet
        opens, hits_cache = [], True
        for _ in range(max(1, min(repeat, 5))):
            started = time.perf_counter()
            reopened = open_index(dossier)
            opens.append(time.perf_counter() - started)
            hits_cache = hits_cache and bool(getattr(reopened, "from_cache", False))
            del reopened  # one copy at a time, as a session has
        if hits_cache:
            out["index_open_seconds"] = opens
    return out


def worker_main(task: dict[str, Any]) -> dict[str, Any]:
    """Entry point of a measuring child process: one load, maybe an index and searches."""
    import gc

    out: dict[str, Any] = {"rss_baseline_mb": 0.0}
    from partnership_tui.model.dossier import load  # noqa: F401  (imports are not timed)

    _cache_module()
    _search_module()
    out["rss_baseline_mb"] = _maxrss_mb()
    root = task["dir"]
    dossier = _worker_load(root, task["mode"], out)
    if dossier is None:
        return out
    gc.freeze()  # as the app does once the dossier is loaded
    if task.get("info"):
        out["info"] = _info(dossier)
    peak: float | None = None
    if task.get("index") or task.get("search"):
        result = _worker_search(dossier, root, int(task.get("search") or 0), task.get("rg"))
        out["search"] = result
        peak = result.get("rss_before_index_cache_mb")
    out["rss_peak_mb"] = peak if peak is not None else _maxrss_mb()
    if task.get("yaml_anchor"):
        # Last: PyYAML's parse of every file is the anchor's memory, not the app's.
        out["yaml_seconds"] = _yaml_anchor(root)
    return out


# --- the pseudo-terminal -------------------------------------------------------------

_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: cursor moves, colours, modes
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: titles, colours, links
    r"|\x1bP[^\x1b]*\x1b\\"  # DCS
    r"|\x1b[@-Z\\-_()*+][0-9A-Za-z]?"  # two-byte escapes and charset selections
)
_INCOMPLETE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*|P[^\x1b]*|[()*+])?$")


def pty_available() -> bool:
    """Whether this system can open a pseudo-terminal (CI containers sometimes cannot)."""
    try:
        import fcntl  # noqa: F401
        import termios  # noqa: F401

        master, slave = os.openpty()
    except (ImportError, OSError):
        return False
    os.close(master)
    os.close(slave)
    return True


class PtyApp:
    """A program running in a pseudo-terminal of COLS x ROWS, read without ever blocking it."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        import fcntl
        import termios

        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=tempfile.gettempdir(),
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.last_byte = self.started
        self.first_byte: float | None = None  # s after start: the driver is up
        self.marker_at: float | None = None  # s after start: a loaded-screen name arrived
        self.received = 0
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._pending = ""
        self._plain_tail = ""  # the end of the plain text, where a marker may straddle reads
        self.plain_chars = 0

    def _read(self, timeout: float) -> bool:
        """Wait up to `timeout` for output; True if some arrived."""
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return False
        try:
            data = os.read(self.master, 1 << 16)
        except OSError:  # EIO: the program closed the terminal
            data = b""
        if not data:
            raise ChildGone(self.screen_tail())
        self.last_byte = time.perf_counter()
        if self.first_byte is None:
            self.first_byte = self.last_byte - self.started
        self.received += len(data)
        text = self._pending + self._decoder.decode(data)
        cut = _INCOMPLETE.search(text)
        self._pending = text[cut.start() :] if cut else ""
        plain = _ESCAPE.sub("", text[: cut.start()] if cut else text)
        self.plain_chars += len(plain)
        self._plain_tail = (self._plain_tail + plain)[-4000:]
        return True

    def screen_tail(self) -> str:
        return " ".join(self._plain_tail.split())[-300:]

    def wait_screen(self, markers: list[str], timeout: float) -> float:
        """Seconds from process start to the last byte of the first screen showing a marker."""
        deadline = self.started + timeout
        seen = False
        while True:
            now = time.perf_counter()
            if now > deadline:
                raise TimeoutError(f"no complete screen in {timeout:.0f} s: {self.screen_tail()!r}")
            if self._read(min(SCREEN_QUIET, deadline - now)):
                if not seen and any(m in self._plain_tail for m in markers):
                    seen = True
                    self.marker_at = self.last_byte - self.started
            elif seen and time.perf_counter() - self.last_byte >= SCREEN_QUIET:
                return self.last_byte - self.started
            if self.proc.poll() is not None:
                raise ChildGone(self.screen_tail())

    def settle(self, quiet: float, limit: float = 3.0) -> None:
        """Read until the output has been quiet for `quiet` (at most `limit` seconds)."""
        end = time.perf_counter() + limit
        while time.perf_counter() < end:
            if time.perf_counter() - self.last_byte >= quiet:
                return
            self._read(quiet)

    def press(
        self, key: bytes, quiet: float = KEY_QUIET, timeout: float = 3.0
    ) -> tuple[float, float] | None:
        """(first, last) byte of the repaint, in s after writing `key`; None if none came."""
        self.settle(quiet)
        sent = time.perf_counter()
        os.write(self.master, key)
        first: float | None = None
        end = sent + timeout
        while time.perf_counter() < end:
            got = self._read(quiet)
            if got and first is None:
                first = self.last_byte - sent
            if not got and first is not None:
                return first, self.last_byte - sent
            if not got and self.proc.poll() is not None:
                raise ChildGone(self.screen_tail())
        return None if first is None else (first, self.last_byte - sent)

    def peak_rss_mb(self) -> float | None:
        """VmHWM of the program (Linux), the peak resident memory so far."""
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return None
        found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        return int(found.group(1)) / 1024 if found else None

    def close(self) -> None:
        """End the program we started (by its own process group) and free the terminal."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=3)
        with contextlib.suppress(OSError):
            os.close(self.master)


class ChildGone(RuntimeError):
    """The program in the terminal exited or closed it."""


@contextlib.contextmanager
def pty_app(argv: list[str], env: dict[str, str]) -> Iterator[PtyApp]:
    app = PtyApp(argv, env)
    try:
        yield app
    finally:
        app.close()


DOWN, UP = b"\x1b[B", b"\x1b[A"


def key_moves(app: PtyApp, presses: int, deadline: float) -> tuple[list[float], list[float], int]:
    """Move down then back up: (all-panes-done times, first-byte times, silent presses) in ms."""
    done: list[float] = []
    first: list[float] = []
    silent = 0
    for number in range(presses):
        if time.perf_counter() > deadline and len(done) >= 10:
            break
        took = app.press(DOWN if number < presses // 2 else UP)
        if took is None:
            silent += 1
        else:
            first.append(took[0] * 1000)
            done.append(took[1] * 1000)
    return done, first, silent


# --- phases ------------------------------------------------------------------------------


@dataclass
class Target:
    """A dossier under test, and what its first load told us about it."""

    label: str
    path: Path
    large: bool
    info: dict[str, Any] = field(default_factory=dict)


class Harness:
    """Runs the phases in order and collects rows; every measured program is its child."""

    def __init__(self, plan: Plan, out: Path, quick: bool) -> None:
        self.plan = plan
        self.out = out
        self.quick = quick
        self.rows: list[Row] = []
        self.env = child_env(out / "cache")
        self.rg = find_rg()
        self.extra: dict[str, Any] = {}
        self.hello_startup: list[float] = []
        self.cold_ms: dict[str, float] = {}
        self.general: list[str] = []  # notes for the whole table, each said once
        self.hello_keys: list[float] = []
        self.hello_rss: float | None = None
        self.hello_path = out / "hello_app.py"

    def log(self, message: str) -> None:
        print(f"[bench] {message}", file=sys.stderr, flush=True)

    # -- loads, search and memory --

    def measure_loads(self, target: Target) -> None:
        plan, label = self.plan, target.label
        cache_dir = self.out / "cache"
        shutil.rmtree(cache_dir, ignore_errors=True)
        root = str(target.path)
        self.log(f"{label}: cold load + index + search (first open)")
        first = run_worker(
            {
                "dir": root,
                "mode": "cold-populate",
                "info": True,
                "yaml_anchor": True,
                "search": plan.repeat,
                "rg": self.rg,
            },
            self.env,
            timeout=900,
        )
        if "error" in first and "seconds" not in first:
            for metric in METRICS:
                if metric not in TERMINAL_METRICS:
                    unit = "MB" if metric.startswith("peak") else "ms"
                    self.rows.append(missing(metric, label, unit, first["error"], "error"))
            return
        target.info = first.get("info", {})
        self.extra[label] = {
            "info": target.info,
            "first_open": {k: v for k, v in first.items() if k not in ("search", "info")},
        }
        cold = [first["seconds"] * 1000]
        yaml_ms = [first["yaml_seconds"] * 1000] if "yaml_seconds" in first else []
        started, last = time.perf_counter(), first["seconds"]
        while plan.more(started, len(cold), last + 0.5):
            result = run_worker({"dir": root, "mode": "cold"}, self.env, timeout=900)
            if "seconds" not in result:
                break
            cold.append(result["seconds"] * 1000)
            last = result["seconds"]
        self.cold_ms[label] = statistics.median(cold)
        row = Row("load cold (load_dossier)", label, "ms", cold, "yaml-parse", yaml_ms)
        if len(cold) == 1 and plan.repeat > 1:
            row.note = "1 run: one cold load takes longer than the phase budget"
        self.rows.append(check_max(row, 3000))

        warm: list[float] = []
        warm_rss: float | None = None
        note = ""
        if _cache_available():
            self.log(f"{label}: warm loads")
            started, last = time.perf_counter(), 0.5
            while plan.more(started, len(warm), last + 0.5):
                task: dict[str, Any] = {"dir": root, "mode": "warm", "index": not warm}
                result = run_worker(task, self.env, timeout=600)
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
            self.rows.append(check_max(row, 300))
        else:
            self.rows.append(missing("load warm (load_cached)", label, "ms", "n/a (no cache)"))

        self._search_rows(target, first)
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
        self.rows.append(check_max(row, 300))
        if warm_rss is not None:
            row = Row("peak RSS: warm open + index", label, "MB", [warm_rss], "baseline", baseline)
            self.rows.append(check_max(row, 300))
        else:
            self.rows.append(missing("peak RSS: warm open + index", label, "MB", "n/a (no cache)"))

    def _search_rows(self, target: Target, first: dict[str, Any]) -> None:
        label = target.label
        found = first.get("search") or {}
        if "error" in found or not found:
            why = found.get("error", "search not measured")
            for kind in SEARCH_KINDS:
                self.rows.append(missing(f"search: {kind}", label, "ms", why))
            self.rows.append(missing("search: index build", label, "ms", why))
            return
        self.extra[label]["search"] = {
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
                self.general.append("ripgrep not installed: search is compared with py-scan")
            check_max(row, 10, 25)
            row.target = "med <= 10 ms, p95 <= 25 ms, < rg"
            if row.met is not None and rg:
                row.met = row.met and (row.median or 0) < (row.anchor_median or 0)
            scan_median = median_p95(scan)[0] if scan else None
            if rg and scan_median is not None:
                row.note = f"py-scan median {fmt_value(scan_median, 'ms')}"
            if not ours:
                row.status, row.note = "n/a", "no queries could be drawn from this dossier"
            self.rows.append(row)
        build = Row(
            "search: index build",
            label,
            "ms",
            [found["index_seconds"] * 1000],
            note=f"search backend {found.get('backend')}",
        )
        self.rows.append(build)
        opens = [x * 1000 for x in found.get("index_open_seconds", [])]
        if opens:
            self.rows.append(Row("search: index from cache", label, "ms", opens))
        else:
            self.rows.append(
                missing("search: index from cache", label, "ms", "no index cache here")
            )

    # -- the terminal: startup and keys --

    def app_argv(self, target: Target) -> list[str]:
        return [sys.executable, "-m", "partnership_tui.tui", "--data", str(target.path)]

    def hello_argv(self) -> list[str]:
        return [sys.executable, str(self.hello_path)]

    def startup_timeout(self) -> float:
        """Long enough for a start that loads without the cache, short enough to fail soon."""
        slowest_load = max(self.cold_ms.values(), default=0.0) / 1000
        return min(self.plan.startup_timeout, max(60.0, 2 * slowest_load + 30))

    def startup_once(self, argv: list[str], markers: list[str]) -> Startup:
        with pty_app(argv, self.env) as app:
            took = app.wait_screen(markers, self.startup_timeout())
            return Startup(took, app.first_byte, app.marker_at, app.peak_rss_mb())

    def hello_warmup(self) -> None:
        """Start the bare app once (compiles and caches its bytecode), then time its keys."""
        self.hello_path.write_text(HELLO_APP, encoding="utf-8")
        with pty_app(self.hello_argv(), self.env) as app:
            app.wait_screen([HELLO_TEXT], 60)
            self.hello_rss = app.peak_rss_mb()
            for _ in range(max(3, self.plan.presses // 2)):
                took = app.press(DOWN)
                if took is not None:
                    self.hello_keys.append(took[1] * 1000)

    def hello_startups(self, runs: int) -> None:
        """More hello starts when the app's own runs left too few beside them."""
        for _ in range(runs):
            self.hello_startup.append(
                self.startup_once(self.hello_argv(), [HELLO_TEXT]).total * 1000
            )

    def measure_terminal(self, target: Target) -> None:
        label, plan = target.label, self.plan
        startup_metric = "startup -> first screen"
        key_metrics = ("key: entity list move", "key: timeline move")
        markers = target.info.get("markers") or []
        if not markers:
            for metric in (startup_metric, *key_metrics):
                self.rows.append(missing(metric, label, "ms", "no entity name to recognise"))
            self.rows.append(missing("peak RSS: app at startup", label, "MB", "not measured"))
            return
        argv = self.app_argv(target)
        runs: list[Startup] = []
        keys: dict[str, tuple[list[float], list[float], int]] = {}
        self.log(f"{label}: first start in a terminal, then key presses")
        try:
            with pty_app(argv, self.env) as app:
                took = app.wait_screen(markers, self.startup_timeout())
                first = Startup(took, app.first_byte, app.marker_at, app.peak_rss_mb())
                for pane, key in (("entities", b"1"), ("timeline", b"3")):
                    app.press(key)  # focus the pane (a no-op if it has focus already)
                    keys[pane] = key_moves(app, plan.presses, plan.deadline)
        except (TimeoutError, ChildGone, OSError) as exc:
            error = f"{type(exc).__name__}: {exc}"
            for metric in (startup_metric, *key_metrics):
                self.rows.append(missing(metric, label, "ms", error, "error"))
            self.rows.append(missing("peak RSS: app at startup", label, "MB", error, "error"))
            return
        if first.total > 5:  # a slow start is its own warm-up: count it, do not pay it twice
            runs.append(first)
        self.log(f"{label}: startup runs beside the hello app")
        error = ""
        started, last = time.perf_counter(), first.total
        while plan.more(started, len(runs), last + 0.4):
            try:
                runs.append(self.startup_once(argv, markers))
                self.hello_startups(1)
            except (TimeoutError, ChildGone, OSError) as exc:
                error = f"{type(exc).__name__}: {exc}"
                break
            last = runs[-1].total
        if len(self.hello_startup) < 3:
            self.hello_startups(3 - len(self.hello_startup))
        samples = [r.total * 1000 for r in runs]
        row = Row(startup_metric, label, "ms", samples, "hello", list(self.hello_startup))
        phases = [r for r in runs if r.first_byte is not None and r.marker is not None]
        if phases:
            first_byte = statistics.median(r.first_byte or 0 for r in phases) * 1000
            marker = statistics.median(r.marker or 0 for r in phases) * 1000
            row.note = f"median first output byte {first_byte:.0f} ms, names shown {marker:.0f} ms"
        cold = self.cold_ms.get(label)
        if _cache_available() and cold and cold > 1000 and (row.median or 0) > 0.8 * cold:
            row.note += "; as slow as a cold load: the app seems not to use the cache"
        row.note = "; ".join(x for x in (error, row.note) if x)
        if not samples:
            row.status = "error"
        self.rows.append(check_ratio(row, 2.5 if target.large else 1.6))
        for metric, pane in zip(key_metrics, ("entities", "timeline"), strict=True):
            done, first_paint, silent = keys[pane]
            row = Row(metric, label, "ms", done, "hello", self.hello_keys)
            notes = []
            if first_paint:
                notes.append(
                    f"first pane repainted at median {statistics.median(first_paint):.0f} ms"
                )
            if silent:
                notes.append(f"{silent} of {plan.presses} presses repainted nothing")
            row.note = "; ".join(notes)
            if not done:
                row.status = "error"
            self.rows.append(check_max(row, 16, 33))
        app_rss = next((r.rss for r in reversed(runs) if r.rss), first.rss)
        rss_row = Row(
            "peak RSS: app at startup",
            label,
            "MB",
            [app_rss] if app_rss else [],
            "hello",
            [self.hello_rss] if self.hello_rss else [],
        )
        if app_rss is None:
            rss_row.status, rss_row.note = "n/a", "no /proc on this system"
        self.rows.append(rss_row)


@dataclass
class Startup:
    """One start: total to the complete screen, and the moments on the way (s after start)."""

    total: float
    first_byte: float | None
    marker: float | None
    rss: float | None


def _cache_available() -> bool:
    """Whether the dossier cache (model.store.dossiercache) offers open_dossier."""
    return _cache_module() is not None


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


def run(args: argparse.Namespace) -> tuple[list[Row], dict[str, Any]]:
    from partnership_tui.model import bundled_data_dir

    began = time.perf_counter()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    repeat = args.repeat or (3 if args.quick else 7)
    plan = Plan(
        repeat=repeat,
        presses=args.presses or (8 if args.quick else 30),
        phase_cap=20 if args.quick else 30,
        deadline=began + (90 if args.quick else 280),
        startup_timeout=60 if args.quick else 300,
    )
    harness = Harness(plan, out, args.quick)
    large = prepare_large(out, args.large_dir, args.quick, harness.log)
    targets = [
        Target("bundled", bundled_data_dir(), large=False),
        Target("tiny" if args.quick and not args.large_dir else "large", large, large=True),
    ]
    for target in targets:
        harness.measure_loads(target)
    use_pty = not args.no_pty and pty_available()
    if use_pty:
        harness.log("hello app: warm-up and key presses")
        try:
            harness.hello_warmup()
        except (TimeoutError, ChildGone, OSError) as exc:
            harness.log(f"hello app failed: {exc}")
        for target in targets:
            harness.measure_terminal(target)
    else:
        why = "no pseudo-terminal here" if not args.no_pty else "skipped (--no-pty)"
        for target in targets:
            for metric in (
                "startup -> first screen",
                "key: entity list move",
                "key: timeline move",
            ):
                harness.rows.append(missing(metric, target.label, "ms", why))
            harness.rows.append(missing("peak RSS: app at startup", target.label, "MB", why))
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny synthetic dossier, few runs")
    parser.add_argument("--large-dir", type=Path, help="large dossier folder (made if absent)")
    parser.add_argument("--repeat", type=int, help="runs per startup/load/search measurement")
    parser.add_argument("--presses", type=int, help="key presses per pane")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where results go")
    parser.add_argument("--no-pty", action="store_true", help="skip terminal measurements")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        result = worker_main(json.loads(args.worker))
        print(RESULT_PREFIX + json.dumps(result), flush=True)
        return 0
    rows, meta = run(args)
    table = render_table(rows, sorted(set(meta["general"])))
    print(table)
    results = {"meta": meta, "rows": [r.to_json() for r in rows], "table": table}
    path = args.out / "results.json"
    path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {path} in {meta['seconds']:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
