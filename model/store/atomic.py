"""The one way this tool writes a file: temp file, fsync, rename, fsync of the folder.

Everything written goes through `_replace`: user files that a command asks to
write (`atomic_write`: exports today) and the caches (`write_private`). A
failed or interrupted write leaves the old file (or none) and no temp file.

Modes are set on the temp file's descriptor (`os.fchmod`), never through the
process-wide `os.umask`, which another thread creating a file at that moment
would see: a new user file gets 0o666 less the umask because the kernel applies
it when the temp file is created; an existing one keeps its mode; a cache file
is 0o600.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

_TEMP_FLAGS = (
    os.O_WRONLY
    | os.O_CREAT
    | os.O_EXCL  # never an existing file, and never through a symlink
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class WriteRefused(Exception):
    """The write would have clobbered something; nothing was changed."""


@dataclass(frozen=True, slots=True)
class FileStamp:
    """What a file looked like when it was read, to detect a change before writing over it."""

    size: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, path: str | Path) -> FileStamp | None:
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return None
        return cls(st.st_size, st.st_mtime_ns, st.st_ino)


def atomic_write(
    path: str | Path,
    data: str | bytes,
    *,
    expected: FileStamp | None = None,
    check_unchanged: bool = False,
) -> Path:
    """Write `data` to a user's file at `path` atomically and return the real path written.

    The target keeps its permissions; a symlink is written through to the file
    it points at (the link stays a link). With check_unchanged, refuse if the
    file's stamp differs from `expected` (None meaning "did not exist when
    read"), checked before writing and again just before the rename.
    """
    target = Path(path)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    if target.exists() and not target.is_file():
        raise WriteRefused(f"{target} exists and is not a regular file")
    if check_unchanged and FileStamp.of(target) != expected:
        raise WriteRefused(f"{target} changed on disk since it was read; not overwriting it")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None  # a new file: 0o666 less the umask, applied by the kernel at creation

    def unchanged() -> None:
        if check_unchanged and FileStamp.of(target) != expected:
            raise WriteRefused(f"{target} changed on disk while writing; not overwriting it")

    _replace(target, lambda handle: handle.write(payload), mode, unchanged)
    return target


def write_private(path: str | Path, fill: Callable[[BinaryIO], object]) -> Path:
    """Write a private file (mode 0o600, in a folder made 0o700) by calling `fill(handle)`.

    For caches: `fill` streams into the temp file, so a large cache is never
    held in memory as one bytes object. A symlink or other non-file at `path`
    is refused (OSError), never written through.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise OSError(f"{target} is not a regular file")
    _replace(target, fill, 0o600, None)
    return target


def _replace(
    target: Path,
    fill: Callable[[BinaryIO], object],
    mode: int | None,
    before_rename: Callable[[], None] | None,
) -> None:
    """Fill a temp file beside `target`, set its mode, fsync, rename it over `target`."""
    directory = target.parent
    fd, temp_name = _create_temp(directory, target.name, 0o666 if mode is None else 0o600)
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if before_rename is not None:
            before_rename()
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    with contextlib.suppress(OSError):  # the rename itself survives a crash
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def _create_temp(directory: Path, name: str, create_mode: int) -> tuple[int, str]:
    """A new temp file `.<name>.<random>.tmp` in `directory`, created with `create_mode`.

    Not tempfile.mkstemp: it always creates 0o600, and a new user file should
    get the mode any other new file gets (0o666 less the umask), which only the
    kernel can apply without reading the umask through os.umask.
    """
    for _ in range(100):
        temp_name = os.path.join(directory, f".{name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(temp_name, _TEMP_FLAGS, create_mode), temp_name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temp file name in {directory}")
