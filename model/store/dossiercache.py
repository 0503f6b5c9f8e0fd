"""A cache of the validated dossier, so a large dossier opens in a fraction of a second.

The cache lives in the user's cache folder, never in the dossier. It is keyed
by every dossier file's path, size and mtime, and holds a hash of their
contents: a stat match is trusted, a stat change with the same contents is
still a hit. Any doubt (another version, unreadable, corrupt) means a full
load; a cache problem never stops the dossier from opening.

The file is two pickles: a small header (versions, model code, stat key,
content hash), then the dossier in its compact form (`model.dossier.compact`), which
loads in milliseconds because it is a few byte heaps and integer arrays rather
than a million objects; records are decoded when first asked for.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from .. import __version__
from ..dossier.compact import FORMAT as COMPACT_FORMAT
from ..dossier.compact import CompactDossier
from ..dossier.dossier import Dossier
from ..dossier.indexes import paused_gc
from .atomic import write_private
from .folders import cache_dir, cache_enabled

if TYPE_CHECKING:
    from ..dossier.load import Progress

_FORMAT = 2
_SKIP_DIRS = {"schema", "__pycache__", ".git"}


def full_load(root: str | Path, progress: Progress | None = None) -> Dossier:
    """The full load, imported on first use: a warm start never needs the YAML reader.

    Built straight in the compact form the cache stores, and answered from it
    as a warm open is: one behaviour however the dossier was opened, and a
    first open never holds the object indexes next to the compact form.
    """
    from ..dossier.load import load_dossier

    return load_dossier(root, progress=progress, compact=True)


def _dossier_files(root: Path) -> list[str]:
    """Every file a load reads, as path strings (Path objects cost ~40 ms for 2k sources)."""
    files: list[str] = []
    for directory, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(names):
            if name.endswith((".yaml", ".yml", ".txt")) and not name.startswith("."):
                files.append(os.path.join(directory, name))
    return files


def _stat_key(root: Path, files: list[str]) -> tuple[tuple[str, int, int], ...]:
    """(path relative to root, size, mtime) of each file."""
    prefix = len(os.path.join(root, ""))
    out = []
    for name in files:
        st = os.stat(name)
        out.append((name[prefix:], st.st_size, st.st_mtime_ns))
    return tuple(out)


def _content_hash(files: list[str]) -> str:
    """A hash of every file's name and bytes, read a block at a time (never a whole file:
    a first open hashes right after loading, at its peak of memory)."""
    digest = hashlib.blake2b(digest_size=20)
    block = bytearray(1 << 20)
    view = memoryview(block)
    for name in files:
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0")
        with open(name, "rb", buffering=0) as handle:
            while read := handle.readinto(block):
                digest.update(view[:read])
        digest.update(b"\0")
    return digest.hexdigest()


def cache_path(root: Path) -> Path:
    """Where the cache file of the dossier at `root` (a resolved path) lives."""
    name = hashlib.blake2b(str(root).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
    return cache_dir() / f"dossier-{name}.pickle"


def model_stamp() -> tuple[object, ...]:
    """What the cached objects depend on besides the data: format, versions, the model's code.

    The model's own files are part of it so that a changed loader (in a
    development checkout, where the version number stays put) is never served
    a dossier built by the old one.
    """
    code = Path(__file__).resolve().parent.parent  # the whole model package, every subpackage
    stamps = tuple(
        (p.relative_to(code).as_posix(), p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(code.rglob("*.py"))
    )
    return (_FORMAT, COMPACT_FORMAT, __version__, sys.version_info[:2], stamps)


def open_dossier(root: str | Path, progress: Progress | None = None) -> Dossier:
    """Open a dossier, from the cache if its files are unchanged; DossierError if invalid.

    What a session calls; `full_load` (the loader, answered in compact form) on a miss.
    """
    root = Path(root).resolve()
    if not cache_enabled() or not root.is_dir():
        return full_load(root, progress=progress)
    try:
        files = _dossier_files(root)
        stat_key = _stat_key(root, files)
    except OSError:
        return full_load(root, progress=progress)
    path = cache_path(root)
    entry = _read(path, stat_key, files)
    if entry is not None:
        head, compact = entry
        if head["stat_key"] != stat_key:  # same contents, touched files: remember the new stats
            _store(path, {**head, "stat_key": stat_key}, compact)
        return _fingerprinted(Dossier.from_compact(compact), head["content"])
    dossier = full_load(root, progress=progress)
    try:
        compact = dossier.to_compact()
    except ValueError:  # not storable (the loader never makes such a dossier): just no cache
        return dossier
    # From here on the dossier is answered from its compact form, as a warm open does: one
    # behaviour whichever way it was opened. The loader's records go before the cache file
    # is written, so the two never add up.
    del dossier
    content: str | None = None
    with contextlib.suppress(OSError):
        content = _content_hash(files)
        head = {"header": model_stamp(), "stat_key": stat_key, "content": content}
        _store(path, head, compact)
    return _fingerprinted(Dossier.from_compact(compact), content)


def _fingerprinted(dossier: Dossier, content: str | None) -> Dossier:
    """Name what the dossier was built from (its files' hash and the model's code), so
    that what is derived from it (a search index) can be cached under the same key."""
    if content is not None:
        digest = hashlib.blake2b(repr((model_stamp(), content)).encode(), digest_size=16)
        dossier.fingerprint = digest.hexdigest()
    return dossier


def _read(
    path: Path, stat_key: tuple[tuple[str, int, int], ...], files: list[str]
) -> tuple[dict, CompactDossier] | None:
    """The cached header and compact dossier if they are ours and still describe `files`."""
    try:
        st = path.stat()
        # Only our own, private cache file is trusted enough to unpickle.
        if st.st_uid != os.getuid() or st.st_mode & 0o022:
            return None
        with path.open("rb") as handle, paused_gc():
            head = pickle.load(handle)
            if not isinstance(head, dict) or head.get("header") != model_stamp():
                return None
            if head.get("stat_key") != stat_key and head.get("content") != _content_hash(files):
                return None
            compact = pickle.load(handle)
    except Exception:  # a missing, truncated or foreign cache is simply a miss
        return None
    return (head, compact) if isinstance(compact, CompactDossier) else None


def _store(path: Path, head: dict, compact: CompactDossier) -> None:
    """Both pickles straight into the cache file, written privately and atomically.

    Pickling to the file rather than to one bytes object keeps the cache's
    ~50 MB (large dossier) from being held in memory on top of the dossier. A
    symlink or other non-file at the cache path is refused, not written
    through; a cache that cannot be written is just no cache.
    """

    def fill(handle: BinaryIO) -> None:
        pickle.dump(head, handle, protocol=pickle.HIGHEST_PROTOCOL)
        pickle.dump(compact, handle, protocol=pickle.HIGHEST_PROTOCOL)

    with contextlib.suppress(OSError):
        write_private(path, fill)
