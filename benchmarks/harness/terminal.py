"""The pseudo-terminal driver: run a program in a pty of a given size and read it without ever
blocking it. Shared by the speed harness (startup, key repaints) and the tests that type into
the real app (tests/test_pty_safety.py).

Reading: every chunk is kept as raw bytes (for tests that look for leaked escapes) and,
stripped of escape sequences, as the tail of the plain text (for "is the screen showing X").
Times are `time.perf_counter()` moments, so callers measure from when they wrote a key.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import select
import signal
import struct
import subprocess
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

DEFAULT_SIZE = (120, 40)  # columns, rows

_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: cursor moves, colours, modes
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: titles, colours, links
    r"|\x1bP[^\x1b]*\x1b\\"  # DCS
    r"|\x1b[@-Z\\-_()*+][0-9A-Za-z]?"  # two-byte escapes and charset selections
)
_INCOMPLETE = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*|P[^\x1b]*|[()*+])?$")

# Keys as a terminal sends them.
DOWN, UP = b"\x1b[B", b"\x1b[A"
ESCAPE, ENTER, TAB = b"\x1b", b"\r", b"\t"


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


def terminal_env(
    base: Mapping[str, str], size: tuple[int, int] = DEFAULT_SIZE, **extra: str
) -> dict[str, str]:
    """`base` as a program in an xterm-256color terminal of `size` sees it."""
    env = dict(base)
    env.update(TERM="xterm-256color", COLUMNS=str(size[0]), LINES=str(size[1]), **extra)
    return env


class ChildGone(RuntimeError):
    """The program in the terminal exited or closed it."""


class PtyApp:
    """A program running in a pseudo-terminal of `size` (columns, rows)."""

    def __init__(
        self,
        argv: list[str],
        env: Mapping[str, str],
        size: tuple[int, int] = DEFAULT_SIZE,
        cwd: str | Path | None = None,
        keep_output: bool = False,
    ) -> None:
        import fcntl
        import termios

        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=dict(env),
            cwd=cwd,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.last_byte = self.started
        self.first_byte: float | None = None  # s after start: the program wrote something
        self.marker_at: float | None = None  # s after start: wait_screen saw a marker
        self.received = 0
        self.output = bytearray() if keep_output else None  # every raw byte, when asked
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._pending = ""
        self._plain_tail = ""  # the end of the plain text, where a marker may straddle reads
        self.plain_chars = 0

    # -- reading --

    def read(self, timeout: float) -> bool:
        """Wait up to `timeout` for output; True if some arrived. ChildGone at end of output."""
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
        if self.output is not None:
            self.output += data
        text = self._pending + self._decoder.decode(data)
        cut = _INCOMPLETE.search(text)
        self._pending = text[cut.start() :] if cut else ""
        plain = _ESCAPE.sub("", text[: cut.start()] if cut else text)
        self.plain_chars += len(plain)
        self._plain_tail = (self._plain_tail + plain)[-4000:]
        return True

    def read_until_quiet(self, quiet: float, limit: float) -> None:
        """Read until no output came for `quiet` s, or `limit` s passed, or the program left."""
        end = time.perf_counter() + limit
        with contextlib.suppress(ChildGone):
            while time.perf_counter() < end:
                if not self.read(min(quiet, end - time.perf_counter())):
                    return

    def screen_tail(self) -> str:
        return " ".join(self._plain_tail.split())[-300:]

    def shows(self, text: str) -> bool:
        """Whether `text` is in the recent plain output (escape sequences removed)."""
        return text in self._plain_tail

    def wait_screen(self, markers: list[str], timeout: float, quiet: float = 0.15) -> float:
        """Seconds from process start to the last byte of the first screen showing a marker,
        once the output has then been quiet for `quiet` (the window itself is not counted)."""
        deadline = self.started + timeout
        seen = False
        while True:
            now = time.perf_counter()
            if now > deadline:
                raise TimeoutError(f"no complete screen in {timeout:.0f} s: {self.screen_tail()!r}")
            if self.read(min(quiet, deadline - now)):
                if not seen and any(m in self._plain_tail for m in markers):
                    seen = True
                    self.marker_at = self.last_byte - self.started
            elif seen and time.perf_counter() - self.last_byte >= quiet:
                return self.last_byte - self.started
            if self.proc.poll() is not None:
                raise ChildGone(self.screen_tail())

    def settle(self, quiet: float, limit: float = 3.0) -> None:
        """Read until the output has been quiet for `quiet` (at most `limit` seconds)."""
        end = time.perf_counter() + limit
        while time.perf_counter() < end:
            if time.perf_counter() - self.last_byte >= quiet:
                return
            self.read(quiet)

    # -- writing --

    def write(self, data: bytes) -> None:
        os.write(self.master, data)

    def press(
        self, key: bytes, quiet: float = 0.35, timeout: float = 3.0
    ) -> tuple[float, float] | None:
        """Settle, write `key`, and read until `quiet` s of silence after the first byte back.

        Returns (first, last) byte of the repaint in s after the write; None if nothing came.
        The silence window is not counted: the time is that of the last byte.
        """
        self.settle(quiet)
        sent = time.perf_counter()
        os.write(self.master, key)
        first: float | None = None
        end = sent + timeout
        while time.perf_counter() < end:
            got = self.read(quiet)
            if got and first is None:
                first = self.last_byte - sent
            if not got and first is not None:
                return first, self.last_byte - sent
            if not got and self.proc.poll() is not None:
                raise ChildGone(self.screen_tail())
        return None if first is None else (first, self.last_byte - sent)

    # -- the process --

    def peak_rss_mb(self) -> float | None:
        """VmHWM of the program (Linux), the peak resident memory so far."""
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return None
        found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
        return int(found.group(1)) / 1024 if found else None

    def wait_exit(self, timeout: float) -> int:
        """Read (so the program never blocks on a full terminal) until it exits; its code."""
        end = time.perf_counter() + timeout
        while self.proc.poll() is None:
            if time.perf_counter() > end:
                raise subprocess.TimeoutExpired(self.proc.args, timeout)
            try:
                self.read(0.05)
            except ChildGone:
                break
        return self.proc.wait(timeout=max(0.1, end - time.perf_counter()))

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


@contextlib.contextmanager
def pty_app(
    argv: list[str],
    env: Mapping[str, str],
    size: tuple[int, int] = DEFAULT_SIZE,
    cwd: str | Path | None = None,
    keep_output: bool = False,
) -> Iterator[PtyApp]:
    """A PtyApp that is always ended and closed on the way out."""
    app = PtyApp(argv, env, size, cwd, keep_output)
    try:
        yield app
    finally:
        app.close()
