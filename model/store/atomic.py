"""Writing files without ever losing one: temp file, fsync, rename.

Anything the tool writes (exports, settings, history) goes through here. The
target keeps its permissions; a symlink is written through to the file it
points at (the link stays a link); and a file that changed on disk since we
read it is not overwritten.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path


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
    """Write `data` to `path` atomically and return the real path written.

    With check_unchanged, refuse if the file's stamp differs from `expected`
    (None meaning "did not exist when read").
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
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    directory = target.parent
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        if check_unchanged and FileStamp.of(target) != expected:
            raise WriteRefused(f"{target} changed on disk while writing; not overwriting it")
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return target
