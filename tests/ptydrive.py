"""Drive a program in a pseudo-terminal as a person does: whole words in one write, pastes,
held keys. Shared by the pty tests (safety, typing).

`run_app_probe` starts the real app (the same driver, key parser and screens a
user gets) through `tests/pty_probe.py`, which writes what each text box holds
when ctrl+q ends it; a test then asserts the exact text.
"""

from __future__ import annotations

import fcntl
import json
import os
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Sequence
from pathlib import Path

PROBE = Path(__file__).resolve().parent / "pty_probe.py"
PASTE_START, PASTE_END = b"\x1b[200~", b"\x1b[201~"
DOWN, UP, ENTER, ESCAPE, CTRL_Q = b"\x1b[B", b"\x1b[A", b"\r", b"\x1b", b"\x11"


def paste(text: str) -> bytes:
    """A bracketed paste, as a terminal sends it when the app asked for that mode."""
    return PASTE_START + text.encode() + PASTE_END


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


def run_in_pty(
    argv: Sequence[str],
    writes: Sequence[bytes | float],
    env: dict[str, str],
    size: tuple[int, int] = (120, 40),
    *,
    start_quiet: float = 1.5,
    key_quiet: float = 0.15,
    end: bytes = b"q",
    ready: bytes | None = None,
) -> bytes:
    """Run `argv` in a terminal of `size`, write each item (a float is a pause), then `end`.

    Typing starts once the output has been quiet for `start_quiet` s and, if given,
    `ready` has appeared. Returns everything the program wrote to the terminal.
    """
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    env = {**env, "TERM": "xterm-256color", "COLUMNS": str(size[0]), "LINES": str(size[1])}
    process = subprocess.Popen(
        list(argv), stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
    )
    os.close(slave)
    output = bytearray()
    try:
        output += read_until_quiet(master, quiet=start_quiet, limit=30)
        deadline = time.monotonic() + 30
        while ready is not None and ready not in output and time.monotonic() < deadline:
            output += read_until_quiet(master, quiet=0.2, limit=1)
        for item in writes:
            if isinstance(item, float):
                output += read_until_quiet(master, quiet=item, limit=item + 5)
                continue
            os.write(master, item)
            output += read_until_quiet(master, quiet=key_quiet, limit=10)
        output += read_until_quiet(master, quiet=0.5, limit=10)  # the last keys are done
        os.write(master, end)
        output += read_until_quiet(master, quiet=1.0, limit=15)
        process.wait(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    return bytes(output)


def run_app_probe(
    data: Path,
    writes: Sequence[bytes | float],
    tmp_path: Path,
    size: tuple[int, int] = (120, 40),
    key_quiet: float = 0.15,
    *,
    from_overview: bool = False,
) -> dict[str, object]:
    """Run the app on `data` in a pty, type `writes`, end with ctrl+q; what the boxes held.

    After each write the output must be quiet for `key_quiet` s (the app has answered).
    A first launch opens on the overview: escape goes to the panes first, unless
    `from_overview` (then the writes start there).
    """
    if not from_overview:
        writes = [ESCAPE, 0.3, *writes]
    report = tmp_path / "probe.json"
    # Each probe is a first launch: its own state folder, so one probe's remembered
    # place is not where the next one starts.
    env = {
        **os.environ,
        "PARTNERSHIP_TUI_CACHE_DIR": str(tmp_path / "cache"),
        "PARTNERSHIP_TUI_STATE_DIR": str(tmp_path / "state"),
    }
    output = run_in_pty(
        [sys.executable, str(PROBE), str(data), str(report)],
        writes,
        env,
        size,
        key_quiet=key_quiet,
        end=CTRL_Q,
        ready=b"Overview",  # the dossier is on screen (a first launch opens on its overview)
    )
    assert report.exists(), "the app did not report: " + output[-2000:].decode(errors="replace")
    return json.loads(report.read_text(encoding="utf-8"))
