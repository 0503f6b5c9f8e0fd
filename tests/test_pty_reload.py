"""Live reload in a real terminal: the installed command, its folder watcher and its quit.

The app runs in a pseudo-terminal on a copy of the fixture dossier with watching
on (conftest turns it off for in-process tests); the test edits the files as a
person does from another window, with `sed -i`-style rewrites, and reads what
the terminal shows.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")

FIXTURE = Path(__file__).parent / "fixtures" / "dossier"
ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC
    r"|\x1b[()][0-9A-Za-z]|\x1b[=>78]"
)


class Terminal:
    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        import codecs
        import fcntl
        import struct
        import termios

        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.master = master
        self.raw = ""  # everything written, escape sequences included (cut anywhere by reads)
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")

    def read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.master, 65536)
        except OSError:
            return False
        self.raw += self._decoder.decode(data)
        return bool(data)

    def shown_since(self, since: int) -> str:
        """What was written after `since` (a length of `raw`), without escape sequences."""
        return ESCAPES.sub("", self.raw[since:])

    def wait_for(self, text: str, since: int, timeout: float = 20.0) -> None:
        """Until `text` shows in what the app wrote after `since`."""
        deadline = time.monotonic() + timeout
        while text not in self.shown_since(since):
            assert time.monotonic() < deadline, (
                f"{text!r} never showed: {self.shown_since(since)[-600:]!r}"
            )
            self.read(0.1)

    def started(self, timeout: float = 30.0) -> None:
        """Until the first screen is drawn: some output, then a second of quiet."""
        deadline = time.monotonic() + timeout
        while not self.raw:
            assert time.monotonic() < deadline, "the app wrote nothing"
            self.read(0.1)
        while self.read(1.0):
            assert time.monotonic() < deadline, "the app never went quiet"

    def settle(self) -> None:
        while self.read(0.3):
            pass

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        os.close(self.master)


def test_edits_from_another_window_show_and_problems_come_and_go(tmp_path: Path) -> None:
    folder = tmp_path / "dossier"
    shutil.copytree(FIXTURE, folder)
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "PARTNERSHIP_TUI_CACHE_DIR": str(tmp_path / "cache"),
        "PARTNERSHIP_TUI_STATE_DIR": str(tmp_path / "state"),
    }
    env.pop("PARTNERSHIP_TUI_NO_WATCH", None)
    terminal = Terminal([sys.executable, "-m", "partnership_tui.tui", "--data", str(folder)], env)
    try:
        terminal.started()
        os.write(terminal.master, b"1")  # the panes (from the overview, if a first visit opens it)
        terminal.wait_for("Entities ·", 0)
        terminal.settle()
        companies = folder / "companies.yaml"
        good = companies.read_text(encoding="utf-8")

        def sed(old: str, new: str) -> None:  # as `sed -i` does: a new file renamed over
            temp = folder / "sedA1b2C3"
            temp.write_text(good.replace(old, new), encoding="utf-8")
            os.replace(temp, companies)

        # Acme is selected at start: its summary is in the detail pane.
        mark = len(terminal.raw)
        sed("A maker of everything.", "A maker of ZEBRAFISH.")
        terminal.wait_for("ZEBRAFISH", mark)
        terminal.settle()
        mark = len(terminal.raw)
        sed("- id: acme\n", "- id: acme\n  aliases: [unclosed\n")  # a YAML syntax error
        terminal.wait_for("The files have problems", mark)
        terminal.wait_for("companies.yaml:", mark)
        terminal.settle()
        mark = len(terminal.raw)
        sed("A maker of everything.", "A maker of QUAGGA.")
        terminal.wait_for("Fixed", mark)
        terminal.wait_for("QUAGGA", mark)
        terminal.settle()
        asked = time.monotonic()
        os.write(terminal.master, b"q")
        while terminal.process.poll() is None:
            assert time.monotonic() - asked < 5, "the app did not quit promptly"
            terminal.read(0.05)
        assert terminal.process.returncode == 0
        assert "Traceback" not in terminal.shown_since(0)
    finally:
        terminal.close()


SLOW_RELOAD = """
import sys, time
from pathlib import Path
from partnership_tui.tui import preload
real = preload.load
def slow(data_dir, progress=None, *, freeze=True, **how):
    if not freeze:  # a reload, made as long as a large dossier's full load
        for step in range(300):
            if progress is not None:
                progress("reading slowly", step, 300)
            time.sleep(0.1)
    return real(data_dir, progress, freeze=freeze, **how)
preload.load = slow
from partnership_tui.tui.app import run_app
sys.exit(run_app(Path(sys.argv[1])))
"""


def test_quitting_during_a_long_reload_does_not_wait_for_it(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TERM": "xterm-256color",
        "PARTNERSHIP_TUI_CACHE_DIR": str(tmp_path / "cache"),
        "PARTNERSHIP_TUI_STATE_DIR": str(tmp_path / "state"),
    }
    terminal = Terminal([sys.executable, "-c", SLOW_RELOAD, str(FIXTURE)], env)
    try:
        terminal.started()
        mark = len(terminal.raw)
        os.write(terminal.master, b"\x12")  # ctrl+r
        terminal.wait_for("Reloading the dossier", mark)
        asked = time.monotonic()
        os.write(terminal.master, b"q")
        while terminal.process.poll() is None:
            assert time.monotonic() - asked < 5, "quitting waited for the reload"
            terminal.read(0.05)
        assert terminal.process.returncode == 0
    finally:
        terminal.close()
