"""Helpers for the safety tests: hostile dossiers, the real command run as a user would, and
a check of the bytes that come out.

Every command runs as its own process through the installed `partnership-tui`
script, so a traceback, a hang or a byte on the terminal is seen exactly as a
user would see it. Tests that need an unprivileged user run the command as
`nobody` (root reads everything, so permission cases cannot be shown as root).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import termios
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ptydrive import read_until_quiet

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "dossier"
NASTY = HERE / "corpus" / "nasty"
NOBODY = 65534

# What must never reach a terminal from the data: C0 controls but tab/newline (ESC above
# all), DEL, C1 controls (raw bytes, and encoded as UTF-8: U+009B is a one-byte CSI on
# many terminals), and the bidi marks that reorder what is shown.
_UNSAFE_TEXT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\udc80-\udc9f]"
)


def executable() -> str:
    exe = shutil.which("partnership-tui", path=os.path.dirname(sys.executable))
    assert exe, "partnership-tui is not installed in this environment"
    return exe


@dataclass
class Result:
    code: int
    out: bytes
    err: bytes

    @property
    def stdout(self) -> str:
        return self.out.decode("utf-8", errors="replace")

    @property
    def stderr(self) -> str:
        return self.err.decode("utf-8", errors="replace")

    def assert_no_traceback(self) -> None:
        assert b"Traceback" not in self.err, self.stderr
        assert b"Traceback" not in self.out, self.stdout


# The interpreter may live where `nobody` cannot reach (a pyenv under /root): the command
# starts as root, imports everything it will need, then drops to nobody before it touches
# the dossier, the cache or any output.
_AS_NOBODY = """
import os, sys
import argparse, codecs, contextlib, errno, gettext, hashlib, hmac, json, locale, shutil
import sqlite3, stat, textwrap, encodings.ascii, encodings.latin_1, encodings.utf_8
import partnership_tui.model.commands.cli, partnership_tui.tui.cli
import partnership_tui.model.dossier.load, partnership_tui.model.store.dossiercache
import partnership_tui.model.search.indexcache, partnership_tui.model.export.formats
import importlib, pkgutil, partnership_tui.model
for module in pkgutil.walk_packages(partnership_tui.model.__path__, "partnership_tui.model."):
    importlib.import_module(module.name)  # and what model/ imports only when needed
partnership_tui.model.commands.cli.parse_command_line(sys.argv[1:])  # argparse imports
os.setgroups([])
os.setgid(65534)
os.setuid(65534)
sys.exit(partnership_tui.tui.cli.main(sys.argv[1:]))
"""


def can_drop_privileges() -> bool:
    return hasattr(os, "getuid") and os.getuid() == 0


def run(
    args: Sequence[str | os.PathLike[str]],
    *,
    env: dict[str, str] | None = None,
    cache: Path | None = None,
    as_nobody: bool = False,
    stdin: int | None = subprocess.DEVNULL,
    timeout: float = 120,
) -> Result:
    """Run `partnership-tui ARGS` (a hang fails the test at `timeout`, it never blocks it)."""
    full_env = {**os.environ, **(env or {})}
    if cache is not None:
        full_env["PARTNERSHIP_TUI_CACHE_DIR"] = str(cache)
    if as_nobody:
        full_env["HOME"] = "/nonexistent"
    command = [sys.executable, "-c", _AS_NOBODY] if as_nobody else [executable()]
    process = subprocess.run(
        [*command, *map(str, args)],
        env=full_env,
        stdin=stdin,
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    return Result(process.returncode, process.stdout, process.stderr)


def unsafe_bytes(data: bytes) -> list[str]:
    """Every control, C1 or bidi character in `data`, decoded as UTF-8, and every raw byte
    0x80-0x9F that is not part of a UTF-8 sequence (a C1 control on an 8-bit terminal)."""
    text = data.decode("utf-8", errors="surrogateescape")
    found = {
        f"raw byte 0x{ord(c) - 0xDC00:02x}" if c >= "\udc80" else f"U+{ord(c):04X}"
        for c in _UNSAFE_TEXT.findall(text)
    }
    return sorted(found)


def copy_dossier(dest: Path, source: Path = FIXTURE) -> Path:
    shutil.copytree(source, dest, symlinks=True)
    return dest


@contextmanager
def world_readable_dir(prefix: str = "ptui-") -> Iterator[Path]:
    """A folder `nobody` can reach (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        folder.chmod(0o755)
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            if not path.is_symlink():
                path.chmod(stat.S_IMODE(path.lstat().st_mode) | 0o700)
        shutil.rmtree(folder, ignore_errors=True)


def give_to_nobody(path: Path) -> None:
    for item in [path, *path.rglob("*")]:
        os.lchown(item, NOBODY, NOBODY)


def run_explorer(
    keys: Sequence[bytes],
    cache: Path,
    data: Path,
    *,
    env: dict[str, str] | None = None,
    size: tuple[int, int] = (120, 40),
) -> tuple[bytes, int | None]:
    """The explorer in a pseudo-terminal: type `keys` (each written whole), then `q` until it ends.

    Returns everything the terminal received and the exit code (None if it had to be killed).
    """
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    full_env = {
        **os.environ,
        "TERM": "xterm-256color",
        "PARTNERSHIP_TUI_CACHE_DIR": str(cache),
        "COLUMNS": str(size[0]),
        "LINES": str(size[1]),
        **(env or {}),
    }
    process = subprocess.Popen(
        [executable(), "--data", str(data)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=full_env,
        start_new_session=True,
    )
    os.close(slave)
    output = bytearray()
    code: int | None = None
    try:
        output += read_until_quiet(master, quiet=1.5, limit=30)
        for key in keys:
            os.write(master, key)
            output += read_until_quiet(master, quiet=0.15, limit=5)
        # `q` closes an overlay (the reader, help) before it quits: press it until the app ends.
        for _ in range(4):
            if process.poll() is not None:
                break
            with contextlib.suppress(OSError):
                os.write(master, b"q")
            output += read_until_quiet(master, quiet=1.0, limit=10)
        code = process.wait(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(master)
    return bytes(output), code
