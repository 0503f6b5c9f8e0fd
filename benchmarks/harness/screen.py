"""The terminal: startup to the first complete screen, and key presses to the repaint of every
pane they change, each beside a bare Textual app started and keyed the same way.

How a number is taken (the app has no "ready" marker and is not edited for one):

- startup: the screen is complete when the output, stripped of escape sequences, contains a
  name only the loaded entity list shows, and the output has then been quiet for
  SCREEN_QUIET. The time is that of the last byte before the quiet window.
- a key: written to the terminal; the repaint is done when KEY_QUIET has passed without
  output after at least one byte came back, and the time is that of the last byte. The
  window is long on purpose: the list repaints in a frame, but the linked panes repaint
  once the app has computed them (a gap seen to reach ~300 ms on the large dossier); a
  shorter window would credit that press with the list's 15 ms and charge the late panes
  to the next one.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from dataclasses import dataclass

from .core import ROOT, Harness, Target
from .loads import cache_available
from .report import Row, check_max, check_ratio, missing
from .terminal import DOWN, ESCAPE, UP, ChildGone, PtyApp, pty_app

SCREEN_QUIET = 0.15  # s of silence after the marker: the first screen is complete
# A first launch on a dossier opens on its overview, whose border title says so; later
# launches (a remembered place) open on the panes, recognised by the entity names.
FIRST_SCREEN = ["─ Overview ─"]
KEY_QUIET = 0.35  # s of silence after a key's first output byte: every pane repainted
HELLO_TEXT = "Hello from the benchmark anchor"
CLEAR_INPUT = b"\x15"  # ctrl+u: Textual's Input deletes everything left of the cursor
FILTER_KEY, SEARCH_KEY = b"/", b"s"  # the explorer's keys: filter Entities, search everything
# Characters that are keys in a list (typed into a box they are text; left out all the same).
RESERVED = frozenset("jkgGqnNs/?*1234 []")

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

STARTUP = "startup -> first screen"
ENTITY_MOVE = "key: entity list move"
TIMELINE_MOVE = "key: timeline move"
CELLS_OFF = "key: entity list move, cell renderer off"
FILTER = "key: filter letter -> list"
SEARCH_BOX = "key: search box letter -> results"
APP_RSS = "peak RSS: app at startup"


@dataclass
class Startup:
    """One start: total to the complete screen, and the moments on the way (s after start)."""

    total: float
    first_byte: float | None
    marker: float | None
    rss: float | None


@dataclass
class Keys:
    """Key presses of one kind: all-panes-done times and first-byte times in ms, and how many
    presses repainted nothing."""

    done: list[float]
    first: list[float]
    silent: int = 0

    def add(self, took: tuple[float, float] | None) -> None:
        if took is None:
            self.silent += 1
        else:
            self.first.append(took[0] * 1000)
            self.done.append(took[1] * 1000)


def app_argv(target: Target, off: tuple[str, ...] = ()) -> list[str]:
    explorer = ["--data", str(target.path)]
    if off:
        return [sys.executable, "-m", "benchmarks.harness.launch", *off, "--", *explorer]
    return [sys.executable, "-m", "partnership_tui.tui", *explorer]


def hello_argv(h: Harness) -> list[str]:
    return [sys.executable, str(h.hello_path)]


def startup_timeout(h: Harness) -> float:
    """Long enough for a start that loads without the cache, short enough to fail soon."""
    slowest_load = max(h.cold_ms.values(), default=0.0) / 1000
    return min(h.plan.startup_timeout, max(60.0, 2 * slowest_load + 30))


def app_cwd(argv: list[str]) -> str:
    """The checkout for the launcher (it imports benchmarks), elsewhere a neutral folder."""
    return str(ROOT) if "benchmarks.harness.launch" in argv else tempfile.gettempdir()


def open_app(h: Harness, argv: list[str]) -> PtyApp:
    return PtyApp(argv, h.env, cwd=app_cwd(argv))


def startup_once(h: Harness, argv: list[str], markers: list[str]) -> Startup:
    app = open_app(h, argv)
    try:
        took = app.wait_screen(markers + FIRST_SCREEN, startup_timeout(h), SCREEN_QUIET)
        return Startup(took, app.first_byte, app.marker_at, app.peak_rss_mb())
    finally:
        app.close()


def hello_warmup(h: Harness) -> None:
    """Start the bare app once (compiles and caches its bytecode), then time its keys."""
    h.hello_path.write_text(HELLO_APP, encoding="utf-8")
    with pty_app(hello_argv(h), h.env) as app:
        app.wait_screen([HELLO_TEXT], 60, SCREEN_QUIET)
        h.hello_rss = app.peak_rss_mb()
        for _ in range(max(3, h.plan.presses // 2)):
            took = app.press(DOWN, KEY_QUIET)
            if took is not None:
                h.hello_keys.append(took[1] * 1000)


def hello_startups(h: Harness, runs: int) -> None:
    """More hello starts when the app's own runs left too few beside them."""
    for _ in range(runs):
        h.hello_startup.append(startup_once(h, hello_argv(h), [HELLO_TEXT]).total * 1000)


def key_moves(app: PtyApp, presses: int, deadline: float) -> Keys:
    """Move down, then back up."""
    keys = Keys([], [])
    for number in range(presses):
        if time.perf_counter() > deadline and len(keys.done) >= 10:
            break
        keys.add(app.press(DOWN if number < presses // 2 else UP, KEY_QUIET))
    return keys


def typed_letters(words: list[str]) -> list[str]:
    """Lower-case letters of `words`, in order, without the list's command keys."""
    return [
        "".join(c for c in word.casefold() if c.isascii() and c.isalpha() and c not in RESERVED)
        for word in words
    ]


def filter_letters(app: PtyApp, words: list[str], presses: int, deadline: float) -> Keys:
    """Open the Entities filter (/), type the first letters of an entity name, one letter a
    press; escape clears the filter (neither timed) before the next name."""
    keys = Keys([], [])
    letters = [w[:4] for w in typed_letters(words) if w]
    while letters and len(keys.done) + keys.silent < presses:
        for word in letters:
            app.press(FILTER_KEY, KEY_QUIET)
            for letter in word:
                keys.add(app.press(letter.encode(), KEY_QUIET))
            app.press(ESCAPE, KEY_QUIET)
            if len(keys.done) + keys.silent >= presses:
                break
        if time.perf_counter() > deadline and len(keys.done) >= 10:
            break
    return keys


def search_letters(app: PtyApp, words: list[str], presses: int, deadline: float) -> Keys:
    """Open search (s), clear its box, type a word from the sources one letter a press (each
    runs a query after the box's debounce), and close it (escape); not timed but the letters."""
    keys = Keys([], [])
    letters = [w[:6] for w in typed_letters(words) if len(w) >= 3]
    while letters and len(keys.done) + keys.silent < presses:
        for word in letters:
            app.press(SEARCH_KEY, KEY_QUIET)
            app.press(CLEAR_INPUT, KEY_QUIET)
            for letter in word:
                keys.add(app.press(letter.encode(), KEY_QUIET))
            app.press(ESCAPE, KEY_QUIET)
            if len(keys.done) + keys.silent >= presses:
                break
        if time.perf_counter() > deadline and len(keys.done) >= 10:
            break
    return keys


def key_row(
    metric: str, label: str, keys: Keys, anchor: str, anchor_samples: list[float], presses: int
) -> Row:
    row = Row(metric, label, "ms", keys.done, anchor, anchor_samples)
    notes = []
    if keys.first:
        notes.append(f"first byte back at median {statistics.median(keys.first):.0f} ms")
    if keys.silent:
        notes.append(f"{keys.silent} of {presses} presses repainted nothing")
    row.note = "; ".join(notes)
    if not keys.done:
        row.status = "error"
    return row


KEY_SESSION = (ENTITY_MOVE, TIMELINE_MOVE, FILTER, SEARCH_BOX)


def key_session(
    h: Harness, target: Target, argv: list[str], metrics: tuple[str, ...] = KEY_SESSION
) -> tuple[Startup, dict[str, Keys]]:
    """Start the app once and press the keys of `metrics`, in the order of KEY_SESSION."""
    plan = h.plan
    markers = target.info.get("markers") or []
    keys: dict[str, Keys] = {}
    with pty_app(argv, h.env, cwd=app_cwd(argv)) as app:
        took = app.wait_screen(markers + FIRST_SCREEN, startup_timeout(h), SCREEN_QUIET)
        first = Startup(took, app.first_byte, app.marker_at, app.peak_rss_mb())
        for metric, key in ((ENTITY_MOVE, b"1"), (TIMELINE_MOVE, b"3")):
            if metric in metrics:
                app.press(key, KEY_QUIET)  # focus the pane (a no-op if it has focus already)
                keys[metric] = key_moves(app, plan.presses, plan.deadline)
        app.press(b"1", KEY_QUIET)
        if FILTER in metrics:
            keys[FILTER] = filter_letters(app, markers, plan.presses, plan.deadline)
        if SEARCH_BOX in metrics:
            words = target.info.get("search_words") or []
            keys[SEARCH_BOX] = search_letters(app, words, plan.presses, plan.deadline)
    return first, keys


def key_rows(h: Harness, target: Target, keys: dict[str, Keys]) -> list[Row]:
    """The rows of the key presses measured (cells off aside), each checked against its target."""
    label, presses = target.label, h.plan.presses
    rows: list[Row] = []
    for metric in (ENTITY_MOVE, TIMELINE_MOVE):
        if metric in keys:
            row = key_row(metric, label, keys[metric], "hello", h.hello_keys, presses)
            rows.append(check_max(row, 12, 25))
    if FILTER in keys:
        row = key_row(FILTER, label, keys[FILTER], "hello", h.hello_keys, presses)
        check_max(row, float("inf"), 25)
        row.target = "p95 <= 25 ms"
        rows.append(row)
    if SEARCH_BOX in keys:
        row = key_row(SEARCH_BOX, label, keys[SEARCH_BOX], "hello", h.hello_keys, presses)
        if not keys[SEARCH_BOX].done and not keys[SEARCH_BOX].silent:
            row.status, row.note = "n/a", "no word to type was found in the sources"
        check_max(row, float("inf"), 50)
        row.target = "p95 <= 50 ms"
        rows.append(row)
    return rows


def measure_terminal(h: Harness, target: Target) -> None:
    label, plan = target.label, h.plan
    markers = target.info.get("markers") or []
    if not markers:
        for metric in (STARTUP, ENTITY_MOVE, TIMELINE_MOVE, CELLS_OFF, FILTER, SEARCH_BOX):
            h.rows.append(missing(metric, label, "ms", "no entity name to recognise"))
        h.rows.append(missing(APP_RSS, label, "MB", "not measured"))
        return
    argv = app_argv(target)
    runs: list[Startup] = []
    h.log(f"{label}: first start in a terminal, then key presses")
    try:
        first, keys = key_session(h, target, argv)
    except (TimeoutError, ChildGone, OSError) as exc:
        error = f"{type(exc).__name__}: {exc}"
        for metric in (STARTUP, ENTITY_MOVE, TIMELINE_MOVE, CELLS_OFF, FILTER, SEARCH_BOX):
            h.rows.append(missing(metric, label, "ms", error, "error"))
        h.rows.append(missing(APP_RSS, label, "MB", error, "error"))
        return
    if first.total > 5:  # a slow start is its own warm-up: count it, do not pay it twice
        runs.append(first)
    h.log(f"{label}: startup runs beside the hello app")
    error = ""
    started, last = time.perf_counter(), first.total
    while plan.more(started, len(runs), last + 0.4):
        try:
            runs.append(startup_once(h, argv, markers))
            hello_startups(h, 1)
        except (TimeoutError, ChildGone, OSError) as exc:
            error = f"{type(exc).__name__}: {exc}"
            break
        last = runs[-1].total
    if len(h.hello_startup) < 3:
        hello_startups(h, 3 - len(h.hello_startup))
    samples = [r.total * 1000 for r in runs]
    row = Row(STARTUP, label, "ms", samples, "hello", list(h.hello_startup))
    phases = [r for r in runs if r.first_byte is not None and r.marker is not None]
    if phases:
        first_byte = statistics.median(r.first_byte or 0 for r in phases) * 1000
        marker = statistics.median(r.marker or 0 for r in phases) * 1000
        row.note = f"median first output byte {first_byte:.0f} ms, names shown {marker:.0f} ms"
    cold = h.cold_ms.get(label)
    if cache_available() and cold and cold > 1000 and (row.median or 0) > 0.8 * cold:
        row.note += "; as slow as a cold load: the app seems not to use the cache"
    row.note = "; ".join(x for x in (error, row.note) if x)
    if not samples:
        row.status = "error"
    h.rows.append(check_ratio(row, 2.0 if target.large else 1.5))

    moves = key_rows(h, target, keys)
    h.rows.extend(moves[:2])
    h.rows.append(measure_cells_off(h, target, keys[ENTITY_MOVE].done))
    h.rows.extend(moves[2:])

    app_rss = next((r.rss for r in reversed(runs) if r.rss), first.rss)
    rss_row = Row(
        APP_RSS,
        label,
        "MB",
        [app_rss] if app_rss else [],
        "hello",
        [h.hello_rss] if h.hello_rss else [],
    )
    if app_rss is None:
        rss_row.status, rss_row.note = "n/a", "no /proc on this system"
    h.rows.append(rss_row)


def measure_cells_off(h: Harness, target: Target, on: list[float]) -> Row:
    """Entity-list moves in an app whose rows are rendered by Textual instead of cells.py."""
    h.log(f"{target.label}: entity list moves with the cell renderer switched off")
    markers = target.info.get("markers") or []
    try:
        argv = app_argv(target, ("cells",))
        with pty_app(argv, h.env, cwd=app_cwd(argv)) as app:
            app.wait_screen(markers + FIRST_SCREEN, startup_timeout(h), SCREEN_QUIET)
            app.press(b"1", KEY_QUIET)
            keys = key_moves(app, h.plan.presses, h.plan.deadline)
    except (TimeoutError, ChildGone, OSError) as exc:
        return missing(CELLS_OFF, target.label, "ms", f"{type(exc).__name__}: {exc}", "error")
    row = key_row(CELLS_OFF, target.label, keys, "on", on, h.plan.presses)
    row.note = "; ".join(
        x for x in ("rows rendered by Textual's Visual.to_strips, not StripMaker", row.note) if x
    )
    return row
