"""Run the real app in a pseudo-terminal over hostile data: no escape from the data reaches it.

The hostile corpus (tests/corpus/nasty) wraps each dangerous sequence in
marker words (CLEAR<ESC>[2JSCREEN ...), so a sequence that leaked through
would appear in the terminal output between its markers. Textual's own
escape codes never sit between those markers.
"""

from __future__ import annotations

import fcntl
import os
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

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

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")


def read_until_quiet(fd: int, quiet: float, limit: float) -> bytes:
    out = bytearray()
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], quiet)
        if not ready:
            break
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
    return bytes(out)


def run_in_pty(keys: list[bytes], tmp_path: Path, size: tuple[int, int] = (120, 40)) -> bytes:
    exe = shutil.which("partnership-tui", path=os.path.dirname(sys.executable))
    assert exe, "partnership-tui is not installed in this environment"
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "PARTNERSHIP_TUI_CACHE_DIR": str(tmp_path / "cache"),
        "COLUMNS": str(size[0]),
        "LINES": str(size[1]),
    }
    process = subprocess.Popen(
        [exe, "--data", str(CORPUS)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    output = bytearray()
    try:
        output += read_until_quiet(master, quiet=1.5, limit=30)
        for key in keys:
            os.write(master, key)
            output += read_until_quiet(master, quiet=0.15, limit=5)
        os.write(master, b"q")
        output += read_until_quiet(master, quiet=1.0, limit=10)
        process.wait(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    return bytes(output)


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
