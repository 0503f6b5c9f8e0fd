"""Run the real app in a pseudo-terminal over hostile data: no escape from the data reaches it.

The hostile corpus (tests/corpus/nasty) wraps each dangerous sequence in
marker words (CLEAR<ESC>[2JSCREEN ...), so a sequence that leaked through
would appear in the terminal output between its markers. Textual's own
escape codes never sit between those markers.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from harness import benchmarks_module

terminal = benchmarks_module("harness.terminal")

CORPUS = Path(__file__).resolve().parent / "corpus" / "nasty"
LEAKS = {
    "OSC 52 clipboard write": b"\x1b]52;c;ZXZpbA==",
    "clear screen": b"\x1b[2JSCREEN",
    "full reset": b"\x1bcTERM",
    "cursor report request": b"\x1b[6nPOS",
    "C1 CSI (UTF-8 encoded)": "\x9b31mONE".encode(),
    "bell": b"\x07RING",
    "right-to-left override": "\u202e".encode(),
    "isolate": "\u2066".encode(),
}

pytestmark = pytest.mark.skipif(not terminal.pty_available(), reason="needs a pseudo-terminal")


def run_in_pty(keys: list[bytes], tmp_path: Path, size: tuple[int, int] = (120, 40)) -> bytes:
    """Every byte the app wrote while it started, took `keys` one by one, and quit."""
    exe = shutil.which("partnership-tui", path=os.path.dirname(sys.executable))
    assert exe, "partnership-tui is not installed in this environment"
    env = terminal.terminal_env(os.environ, size, PARTNERSHIP_TUI_CACHE_DIR=str(tmp_path / "cache"))
    with terminal.pty_app([exe, "--data", str(CORPUS)], env, size, keep_output=True) as app:
        app.read_until_quiet(quiet=1.5, limit=30)
        for key in keys:
            app.write(key)
            app.read_until_quiet(quiet=0.15, limit=5)
        app.write(b"q")
        app.read_until_quiet(quiet=1.0, limit=10)
        app.wait_exit(timeout=15)
        return bytes(app.output)


def test_hostile_data_never_reaches_the_terminal(tmp_path: Path) -> None:
    down, enter, tab, escape = b"j", b"\r", b"\t", b"\x1b"
    keys = (
        [down] * 12  # walk the people with hostile names
        + [b"4", down, enter]  # open an excerpt in the reader
        + [down] * 5
        + [escape, b"3"]
        + [down] * 8  # walk hostile event names
        + [tab, b"?", escape, b"\x10", b"Nasty", escape]  # help screen and palette
    )
    output = run_in_pty(keys, tmp_path)
    assert len(output) > 5_000, "the app produced almost no output"
    leaked = [name for name, sequence in LEAKS.items() if sequence in output]
    assert not leaked, f"leaked to the terminal: {leaked}"
    text = output.decode("utf-8", errors="replace")
    # The data was shown literally, markup and all, with the escapes defused.
    assert "[@click=app.quit]Nasty[/]" in text
    assert "ZXZpbA==" in text
