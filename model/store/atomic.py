"""The one way this tool writes a file: temp file, fsync, rename, fsync of the folder.

Everything written goes through `replace_in`: user files that a command asks to
write (`atomic_write`: exports today) and the caches (model.store.sealed, which
writes relative to the descriptor of the cache folder it checked). A failed
write leaves the old file (or none) and no temp file; a killed one leaves a temp
file that the next write to that name removes.

Modes are set on the temp file's descriptor (`os.fchmod`), never through the
process-wide `os.umask`, which another thread creating a file at that moment
would see: a new user file gets 0o666 less the umask because the kernel applies
it when the temp file is created; an existing one keeps its mode; a cache file
is 0o600.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import time
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
    asked = Path(path)  # what messages name: never a resolved link or our temp file
    target = asked
    try:
        if target.is_symlink():
            target = Path(os.path.realpath(target))
        st: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _naming(exc, asked) from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise WriteRefused(f"{asked} is not a regular file; a write replaces a file")
    if check_unchanged and FileStamp.of(target) != expected:
        raise WriteRefused(f"{asked} changed on disk since it was read; not overwriting it")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    # A new file: 0o666 less the umask, applied by the kernel at creation.
    mode = None if st is None else stat.S_IMODE(st.st_mode)

    def unchanged() -> None:
        if check_unchanged and FileStamp.of(target) != expected:
            raise WriteRefused(f"{asked} changed on disk while writing; not overwriting it")

    try:
        replace_in(
            target.parent, target.name, lambda handle: handle.write(payload), mode, unchanged
        )
    except OSError as exc:
        if exc.filename is not None and exc.filename != str(asked):
            raise _naming(exc, asked) from None
        raise
    return target


def replace_in(
    directory: Path,
    name: str,
    fill: Callable[[BinaryIO], object],
    mode: int | None,
    before_rename: Callable[[], None] | None = None,
    *,
    dir_fd: int | None = None,
) -> None:
    """Fill a temp file beside `directory/name`, set its mode, fsync, rename it over the file.

    With `dir_fd` (a descriptor of `directory`), every name is opened relative to it, so a
    folder that was checked is the folder written, whatever its path points at later
    (model.store.sealed's cache folder). Temp files of this pattern that a killed write
    left behind (untouched for STALE_TEMP_SECONDS) are removed first. An OSError names
    `directory/name`, never the temp file.
    """
    target = directory / name
    remove_stale_temps(directory, name, dir_fd=dir_fd)
    try:
        fd, temp_name = _create_temp(
            directory, name, 0o666 if mode is None else 0o600, dir_fd=dir_fd
        )
    except OSError as exc:
        raise _naming(exc, target) from None
    try:
        if mode is not None:
            os.fchmod(fd, mode)
        with os.fdopen(fd, "w+b") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if before_rename is not None:
            before_rename()
        if dir_fd is None:
            os.replace(temp_name, target)
        else:
            os.replace(temp_name, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temp_name, dir_fd=dir_fd)
        if isinstance(exc, OSError) and exc.filename == temp_name:
            raise _naming(exc, target) from None
        raise
    with contextlib.suppress(OSError):  # the rename itself survives a crash
        folder = os.open(directory, os.O_RDONLY) if dir_fd is None else os.dup(dir_fd)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _naming(exc: OSError, target: Path) -> OSError:
    """The same error, naming the file the user asked for rather than our temp file."""
    return type(exc)(exc.errno, exc.strerror, str(target))


STALE_TEMP_SECONDS = 300  # a temp file untouched this long belongs to a write that died


def remove_stale_temps(
    directory: Path, name: str | None = None, *, dir_fd: int | None = None
) -> int:
    """Remove `.<name>.<8 hex>.tmp` files of ours older than STALE_TEMP_SECONDS; how many.

    Only this exact pattern (any name when `name` is None: a cache folder holds
    only our files), only regular files this user owns: a temp file of a write
    going on right now (recent) or anyone else's file is left alone.
    """
    stem = ".+" if name is None else re.escape(name)
    pattern = re.compile(rf"\.{stem}\.[0-9a-f]{{8}}\.tmp")
    now = time.time()
    removed = 0
    try:
        entries = list(os.scandir(directory if dir_fd is None else dir_fd))
    except OSError:
        return 0
    uid = os.geteuid() if hasattr(os, "geteuid") else None
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        with contextlib.suppress(OSError):
            st = entry.stat(follow_symlinks=False)
            if (
                stat.S_ISREG(st.st_mode)
                and (uid is None or st.st_uid == uid)
                and now - st.st_mtime > STALE_TEMP_SECONDS
            ):
                os.unlink(
                    entry.name if dir_fd is not None else os.path.join(directory, entry.name),
                    dir_fd=dir_fd,
                )
                removed += 1
    return removed


def _create_temp(
    directory: Path, name: str, create_mode: int, *, dir_fd: int | None = None
) -> tuple[int, str]:
    """A new temp file `.<name>.<random>.tmp` in `directory`, created with `create_mode`.

    Not tempfile.mkstemp: it always creates 0o600, and a new user file should
    get the mode any other new file gets (0o666 less the umask), which only the
    kernel can apply without reading the umask through os.umask. The name is
    relative to `dir_fd` when one is given.
    """
    for _ in range(100):
        temp_name = f".{name}.{secrets.token_hex(4)}.tmp"
        if dir_fd is None:
            temp_name = os.path.join(directory, temp_name)
        try:
            return os.open(temp_name, _TEMP_FLAGS, create_mode, dir_fd=dir_fd), temp_name
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temp file name in {directory}")
