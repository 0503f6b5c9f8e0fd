"""Reading a dossier's files: only regular files, only from inside the dossier folder.

The rule (also in docs/FORMAT.md): a dossier file may be a symlink, but where it
really is (every link resolved) must be inside the dossier folder (itself
resolved); anything else is refused with a problem, never read. Only regular
files are read: a named pipe, a device, a socket or a folder is named as what
it is (opening uses O_NONBLOCK, so a pipe with no writer never blocks). A
dangling or looping symlink is named as one, not taken for a missing file.

Every file a load looks at is noted (`Seen`: where, its stat, a hash of the
exact bytes read, or that it was absent), so the cache can tell later whether
the dossier it stored is still what these files say: the hash is of what the
load read, never of what is on disk a moment later.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
    | getattr(os, "O_NOFOLLOW", 0)  # the resolved path is opened: its last part is no link
)


MAX_FILE_BYTES = 64 * 1024 * 1024  # the most any one dossier file may hold


class FileProblem(Exception):
    """A dossier file that cannot be read: what is wrong, and what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message, self.hint = message, hint


@dataclass(frozen=True, slots=True)
class Seen:
    """One file a load looked at. `size` is -1 when it was absent."""

    name: str  # relative to the dossier folder, as the dossier names it
    size: int
    mtime_ns: int
    ino: int
    digest: bytes
    #: The status change time: no one can set it back, and a write, chmod or utime moves it
    #: (an in-place rewrite with its mtime restored, a file made unreadable: not "still").
    ctime_ns: int = 0

    def still(self, root: Path, linked: dict[str, bool] | None = None) -> bool | None:
        """True if the file's stat is unchanged, False if it changed, None if unsure.

        Never through a symlink (of the file or its folder): the very file it was read
        from, moved out of the dossier and linked back, has the same stat, yet a load
        refuses the link. A link is unsure: it is read again by the rules, and hashed.
        `linked` remembers which folders are links across the files of one check.
        """
        path = os.path.join(root, self.name)
        try:
            st = os.lstat(path)
            through_link = any(_is_link(root, folder, linked) for folder in _folders_of(self.name))
        except FileNotFoundError:
            return self.size == -1
        except OSError:
            return None
        if self.size == -1:
            return False
        if through_link or stat.S_ISLNK(st.st_mode):
            return None
        return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) == (
            self.size,
            self.mtime_ns,
            self.ctime_ns,
            self.ino,
        )


_ABSENT = b""


def _is_link(root: Path, folder: str, linked: dict[str, bool] | None) -> bool:
    found = None if linked is None else linked.get(folder)
    if found is None:
        found = stat.S_ISLNK(os.lstat(os.path.join(root, folder)).st_mode)
        if linked is not None:
            linked[folder] = found
    return found


def _folders_of(name: str) -> list[str]:
    """The folders a relative name goes through: "sources/a/x.txt" -> sources, sources/a."""
    parts = name.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _what(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_name(name: str) -> None:
    """Refuse a file name no dossier file can have (FileProblem)."""
    if "\x00" in name:
        raise FileProblem("has a NUL byte in its name", "write the file's name as it is")
    relative = Path(name)
    if not name or relative.is_absolute() or ".." in relative.parts:
        raise FileProblem(
            "is outside the dossier",
            "name a file inside the dossier folder, e.g. sources/<id>.txt",
        )


@dataclass
class DossierFiles:
    """The files of one dossier folder, read by the rules above and noted as they are read."""

    root: Path
    seen: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.real_root = os.path.realpath(self.root)

    def read(self, name: str, limit: int) -> bytes | None:
        """The bytes of the dossier's file `name`, or None if there is none.

        Raises FileProblem for a file that is there but may not or cannot be read,
        and for one larger than `limit` bytes.
        """
        check_name(name)
        path = os.path.join(self.root, name)
        try:
            link = os.lstat(path)
        except FileNotFoundError:
            self._absent(name)
            return None
        except NotADirectoryError:
            self._absent(name)
            return None
        except OSError as exc:
            raise _cannot(exc) from None
        if stat.S_ISLNK(link.st_mode):
            self._check_link(path)
        real = os.path.realpath(path)
        if os.path.commonpath([self.real_root, real]) != self.real_root:
            raise FileProblem(
                f"is a symlink to {real}, outside the dossier",
                "files are read only from inside the dossier folder; copy the file in",
            )
        try:
            fd = os.open(real, _OPEN_FLAGS)
        except OSError as exc:
            if exc.errno == errno.ENXIO:  # a socket
                raise FileProblem("is not a regular file but a socket", "replace it") from None
            raise _cannot(exc) from None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise FileProblem(
                    f"is not a regular file but {_what(st.st_mode)}",
                    "a dossier reads only plain files",
                )
            data = _read_all(fd, limit)
        except OSError as exc:
            raise _cannot(exc) from None
        finally:
            os.close(fd)
        self.seen.append(
            Seen(
                name,
                st.st_size,
                st.st_mtime_ns,
                st.st_ino,
                hashlib.sha256(data).digest(),
                st.st_ctime_ns,
            )
        )
        return data

    def _absent(self, name: str) -> None:
        self.seen.append(Seen(name, -1, 0, 0, _ABSENT))

    @staticmethod
    def _check_link(path: str) -> None:
        try:
            os.stat(path)
        except OSError as exc:
            target = os.readlink(path) if os.path.islink(path) else "?"
            if exc.errno == errno.ELOOP:
                raise FileProblem(
                    f"is a symlink loop (-> {target})", "point the link at a file, or remove it"
                ) from None
            if exc.errno in (errno.ENOENT, errno.ENOTDIR):
                raise FileProblem(
                    f"is a symlink to {target}, which does not exist",
                    "point the link at a file, or remove it",
                ) from None
            raise _cannot(exc) from None


def _read_all(fd: int, limit: int) -> bytes:
    chunks = []
    total = 0
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise FileProblem(f"is larger than {limit >> 20} MiB", "split it")
    return b"".join(chunks)


def _cannot(exc: OSError) -> FileProblem:
    reason = exc.strerror or str(exc)
    hint = "check its permissions" if exc.errno in (errno.EACCES, errno.EPERM) else ""
    return FileProblem(f"cannot be read: {reason}", hint)


def unchanged(root: Path, seen: tuple[Seen, ...] | list[Seen]) -> tuple[bool, list[Seen]]:
    """Whether the files a load read still hold the same bytes, and their current stats.

    A stat match is trusted; a file whose stat changed is read again (by the same
    rules) and compared by hash, so a touched but unchanged file is still a match.
    """
    files = DossierFiles(root)
    now: list[Seen] = []
    linked: dict[str, bool] = {}
    for entry in seen:
        same = entry.still(root, linked)
        if same:
            now.append(entry)
            continue
        try:
            data = files.read(entry.name, MAX_FILE_BYTES)  # a file grown past it: a miss
        except FileProblem:
            return False, []
        if data is None:
            if entry.size != -1:
                return False, []
            now.append(entry)
            continue
        if entry.size == -1 or files.seen[-1].digest != entry.digest:
            return False, []
        now.append(files.seen[-1])
    return True, now


def changed_files(root: Path, seen: tuple[Seen, ...] | list[Seen]) -> tuple[list[str], list[Seen]]:
    """Which of the files a load read now hold other bytes (or appeared, or went), and the
    current stats of the others: what a reload must read again, by `unchanged`'s rules.

    A file that cannot be read now counts as changed (reading it again reports why).
    """
    files = DossierFiles(root)
    changed: list[str] = []
    now: list[Seen] = []
    linked: dict[str, bool] = {}
    for entry in seen:
        if entry.still(root, linked):
            now.append(entry)
            continue
        try:
            data = files.read(entry.name, MAX_FILE_BYTES)
        except FileProblem:
            changed.append(entry.name)
            continue
        if data is None:
            if entry.size == -1:
                now.append(entry)
            else:
                changed.append(entry.name)
            continue
        if entry.size == -1 or files.seen[-1].digest != entry.digest:
            changed.append(entry.name)
        else:
            now.append(files.seen[-1])
    return changed, now
