"""Cache files that cannot run code and are never trusted unchecked: sealed with a keyed MAC.

The threat is anyone who can put files into the cache folder (a shared or
misconfigured PARTNERSHIP_TUI_CACHE_DIR, a folder others may write), or make a
cache path point somewhere else (a symlink to a file the victim owns). So:

- The folder is used only if it is a folder owned by this user that nobody
  else may write (no group or other write bit); every file in it is reached
  through one descriptor of that folder (`dir_fd`), so swapping the folder's
  path after the check changes nothing.
- Files are opened with O_NOFOLLOW (a symlink is never followed, for reading or
  writing) and O_NONBLOCK (a FIFO never blocks); only regular files owned by
  this user, readable by nobody else, are read.
- Each file is MAGIC, then an HMAC-SHA256 of (MAGIC, the file's name, the
  payload) under a per-user secret key, then the payload. The MAC is checked
  over every byte before any of it is decoded. Why a keyed MAC and not a
  checksum: anyone who can write a file can also compute its checksum; only
  the user can read the key (a 0600 file in the 0700 folder), so a file that
  passes was written by this user's own process. That also covers what the
  folder checks cannot see (a folder on a file system that ignores owners, a
  check raced). The file's name is part of the MAC, so a valid file of one
  cache moved over another is refused too. Any failure is a miss: the caller
  loads cleanly and writes a new cache.
- Payloads are data only (msgpack through msgspec, SQLite images): nothing in
  them is ever unpickled.

Writes go to a temp file in the folder (created O_EXCL|O_NOFOLLOW, mode 0600 by
fchmod), are synced and renamed into place; temp files that a killed write left
behind are removed by the next write.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from .atomic import remove_stale_temps, replace_in

MAGIC = b"PTUI sealed v1\n\x00"  # 16 bytes
_MAC_SIZE = 32
_KEY_NAME = "key"
_KEY_SIZE = 32
MAX_SIZE = 4 << 30  # a cache file larger than this is not ours

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_READ_FLAGS = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | _CLOEXEC
_HAVE_DIR_FD = os.open in os.supports_dir_fd and os.replace in os.supports_dir_fd


def _uid() -> int | None:
    return os.geteuid() if hasattr(os, "geteuid") else None


def _private(st: os.stat_result, *, others_may_read: bool = True) -> bool:
    """Owned by this user and writable by nobody else (and, for files, readable by nobody)."""
    uid = _uid()
    if uid is None:  # no owners to check on this platform; the MAC still is
        return True
    bits = 0o022 if others_may_read else 0o077
    return st.st_uid == uid and not st.st_mode & bits


class CacheFolder:
    """A checked cache folder, held open; `None` from `open` when it may not be trusted."""

    def __init__(self, path: Path, fd: int | None) -> None:
        self.path = path
        self._fd = fd
        self._key: bytes | None = None

    @classmethod
    def open(cls, path: Path) -> CacheFolder | None:
        """The folder at `path` (made 0700 if missing), or None if another user could write it."""
        with contextlib.suppress(FileExistsError, OSError):
            path.mkdir(parents=True, mode=0o700)
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _CLOEXEC)
        except (OSError, ValueError):
            return None
        try:
            st = os.fstat(fd)
        except OSError:
            os.close(fd)
            return None
        if not stat.S_ISDIR(st.st_mode) or not _private(st):
            os.close(fd)
            return None
        if not _HAVE_DIR_FD:
            os.close(fd)
            return cls(path, None)
        return cls(path, fd)

    def close(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._fd)
            self._fd = None

    def __enter__(self) -> CacheFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- files in the folder, always relative to its descriptor -------------------------

    def _open(self, name: str, flags: int, mode: int = 0o600) -> int:
        if self._fd is not None:
            return os.open(name, flags, mode, dir_fd=self._fd)
        return os.open(self.path / name, flags, mode)

    def _unlink(self, name: str) -> None:
        if self._fd is not None:
            os.unlink(name, dir_fd=self._fd)
        else:
            os.unlink(self.path / name)

    def _read_private(self, name: str, limit: int) -> bytes | None:
        """A regular file of ours that nobody else may read or write, whole; else None."""
        try:
            fd = self._open(name, _READ_FLAGS)
        except (OSError, ValueError):
            return None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode) or not _private(st, others_may_read=False):
                return None
            if st.st_size > limit:
                return None
            chunks = []
            total = 0
            while chunk := os.read(fd, max(1 << 20, st.st_size - total + 1)):
                chunks.append(chunk)
                total += len(chunk)
                if total > limit:
                    return None
            return b"".join(chunks)
        except OSError:
            return None
        finally:
            os.close(fd)

    def _write_private(self, name: str, fill: Callable[[BinaryIO], object]) -> None:
        """temp (O_EXCL, O_NOFOLLOW, fchmod 0600) + fsync + rename over `name`, in this folder.

        The rename replaces whatever is at `name` (a planted symlink included) and never
        follows it. Temp files a killed write left in the folder go first.
        """
        remove_stale_temps(self.path, dir_fd=self._fd)
        replace_in(self.path, name, fill, 0o600, dir_fd=self._fd)

    # --- the key ----------------------------------------------------------------------

    def key(self) -> bytes | None:
        """The user's secret key for this folder, made on first use; None if it cannot be."""
        if self._key is None:
            key = self._read_private(_KEY_NAME, _KEY_SIZE)
            if key is None or len(key) != _KEY_SIZE:
                key = secrets.token_bytes(_KEY_SIZE)
                try:
                    self._write_private(_KEY_NAME, lambda handle: handle.write(key))
                except OSError:
                    return None
            self._key = key
        return self._key

    # --- sealed files -------------------------------------------------------------------

    def read(self, name: str) -> memoryview | None:
        """The payload of the sealed file `name`, if its MAC holds; else None (a miss)."""
        key = self.key()
        if key is None:
            return None
        data = self._read_private(name, MAX_SIZE)
        if data is None or len(data) < len(MAGIC) + _MAC_SIZE or not data.startswith(MAGIC):
            return None
        view = memoryview(data)
        start = len(MAGIC) + _MAC_SIZE
        mac = _mac(key, name)
        mac.update(view[start:])
        if not hmac.compare_digest(mac.digest(), view[len(MAGIC) : start]):
            return None
        return view[start:]

    def write(self, name: str, fill: Callable[[BinaryIO], object]) -> bool:
        """Seal what `fill` writes into `name`; False (and no file changed) if it failed."""
        key = self.key()
        if key is None:
            return False
        mac = _mac(key, name)

        def sealed(handle: BinaryIO) -> None:
            handle.write(MAGIC + bytes(_MAC_SIZE))
            fill(_Tee(handle, mac))
            handle.seek(len(MAGIC))
            handle.write(mac.digest())

        try:
            self._write_private(name, sealed)
        except OSError:
            return False
        return True

    def names(self) -> list[tuple[str, os.stat_result]]:
        """Regular files of ours in the folder, with their stats (for pruning)."""
        out = []
        with contextlib.suppress(OSError):
            for entry in os.scandir(self._fd if self._fd is not None else self.path):
                with contextlib.suppress(OSError):
                    st = entry.stat(follow_symlinks=False)
                    if stat.S_ISREG(st.st_mode) and _private(st):
                        out.append((entry.name, st))
        return out

    def remove(self, name: str) -> None:
        with contextlib.suppress(OSError):
            self._unlink(name)

    def touch(self, name: str) -> None:
        """Mark `name` recently used (without following a symlink)."""
        with contextlib.suppress(OSError, NotImplementedError):
            if self._fd is not None:
                os.utime(name, dir_fd=self._fd, follow_symlinks=False)
            else:
                os.utime(self.path / name, follow_symlinks=False)


def _mac(key: bytes, name: str) -> hmac.HMAC:
    mac = hmac.new(key, digestmod=hashlib.sha256)
    encoded = name.encode("utf-8", "surrogateescape")
    mac.update(MAGIC + len(encoded).to_bytes(4, "big") + encoded)
    return mac


class _Tee:
    """A write-only file that feeds the MAC everything written through it."""

    def __init__(self, handle: BinaryIO, mac: hmac.HMAC) -> None:
        self._handle, self._mac = handle, mac

    def write(self, data: bytes | bytearray | memoryview) -> int:
        self._mac.update(data)
        return self._handle.write(data)

    def flush(self) -> None:
        self._handle.flush()
