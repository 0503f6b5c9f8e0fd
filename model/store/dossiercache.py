"""A cache of the validated dossier, so a large dossier opens in a fraction of a second.

The cache lives in the user's cache folder, never in the dossier. It holds the
dossier in its compact form (`model.dossier.compact`: a few byte heaps and
integer arrays, records decoded when first asked for) and what it was built
from: every file the load looked at (`model.read.files.Seen`: its stat and a
hash of the very bytes the load read, or that it was absent) and the model's
code. A stat match is trusted; a changed stat is read again and compared by
hash, so a touched but unchanged file is still a hit, and an edit made while a
load ran is never stored as if the old dossier were the new files.

Safety (see `model.store.sealed`): the file is msgpack (msgspec), never
pickle, sealed with an HMAC under a per-user key and checked before anything
in it is decoded, in a folder only this user can write, opened without
following symlinks. Any doubt (another version, a damaged or foreign file, a
folder others could write) means a full load, and a new cache when the folder
may be used; a cache problem never stops the dossier from opening.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from .. import __version__
from ..dossier.compact import FORMAT as COMPACT_FORMAT
from ..dossier.compact import CompactDossier
from ..dossier.dossier import Dossier
from ..dossier.indexes import paused_gc
from ..read.files import DossierFiles, Seen, changed_files, unchanged
from . import codec
from .folders import cache_dir, cache_enabled
from .sealed import CacheFolder

if TYPE_CHECKING:
    from ..dossier.load import Progress

_FORMAT = 3
_PREFIX = "dossier-"
_SUFFIX = ".msgpack"
_LEGACY_SUFFIX = ".pickle"  # the old format: never read, removed when a new cache is written


def full_load(
    root: str | Path, progress: Progress | None = None, files: DossierFiles | None = None
) -> Dossier:
    """The full load, imported on first use: a warm start never needs the YAML reader.

    Built straight in the compact form the cache stores, and answered from it
    as a warm open is: one behaviour however the dossier was opened, and a
    first open never holds the object indexes next to the compact form.
    """
    from ..dossier.load import load_dossier

    return load_dossier(root, progress=progress, compact=True, files=files)


def _cache_name(root: Path) -> str:
    name = hashlib.blake2b(str(root).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
    return f"{_PREFIX}{name}{_SUFFIX}"


def cache_path(root: Path) -> Path:
    """Where the cache file of the dossier at `root` (a resolved path) lives."""
    return cache_dir() / _cache_name(root)


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


def _code_stamp() -> str:
    return hashlib.blake2b(repr(model_stamp()).encode(), digest_size=16).hexdigest()


def open_dossier(root: str | Path, progress: Progress | None = None) -> Dossier:
    """Open a dossier, from the cache if its files are unchanged; DossierError if invalid.

    What a session calls; `full_load` (the loader, answered in compact form) on a miss.
    """
    root = Path(root).resolve()
    folder = None
    if cache_enabled() and not _inside(cache_dir(), root):  # nothing is written in a dossier
        folder = CacheFolder.open(cache_dir())
    if folder is None:  # no cache, or a folder another user could write: never used
        return full_load(root, progress=progress)
    with folder:
        name = _cache_name(root)
        code = _code_stamp()
        entry = _read(folder, name, root, code)
        if entry is not None:
            head, compact, now = entry
            if now != head["files"]:  # same contents, touched files: remember the new stats
                _store(folder, name, {**head, "files": now}, compact)
            return _fingerprinted(Dossier.from_compact(compact), code, now)
        files = DossierFiles(root)
        dossier = full_load(root, progress=progress, files=files)
        try:
            compact = dossier.to_compact()
        except ValueError:  # not storable (the loader never makes such a dossier): just no cache
            return dossier
        # From here on the dossier is answered from its compact form, as a warm open does: one
        # behaviour whichever way it was opened. The loader's records go before the cache file
        # is written, so the two never add up.
        del dossier
        seen = [list(_row(s)) for s in files.seen]
        head = {"code": code, "root": str(root), "files": seen}
        _store(folder, name, head, compact)
        return _fingerprinted(Dossier.from_compact(compact), code, seen)


def reopen_dossier(
    root: str | Path,
    previous: Dossier | None,
    progress: Progress | None = None,
    later: Callable[[Callable[[], None]], None] | None = None,
) -> Dossier:
    """The dossier again after an edit (live reload): only the changed files read again
    when `previous` (this folder's dossier from `open_dossier`) allows it
    (`model.dossier.load.reload_dossier`), else `open_dossier`. Cached as a full load is.

    Either way the result is what `open_dossier` would give: the files are compared with
    what `previous` was built from by the cache's rules (a stat match trusted, a changed
    stat compared by hash), and whatever the partial reload is unsure of is a full load.
    `later`, when given, is handed the cache write of a partial reload, to run once the
    dossier is shown (the write is then not part of what the user waits for).
    """
    root = Path(root).resolve()
    built_from = None if previous is None else previous.built_from
    if previous is None or built_from is None or not cache_enabled():
        return open_dossier(root, progress)
    seen = [_seen(row) for row in built_from]
    changed, now = changed_files(root, seen)
    if not changed:
        return open_dossier(root, progress)  # touched, not changed: the cache answers
    from ..dossier.load import reload_dossier

    files = DossierFiles(root)
    dossier = reload_dossier(
        root, previous, changed, [row.name for row in seen], progress, files=files
    )
    if dossier is None:
        return open_dossier(root, progress)
    # What this build read: the changed files read now, every other file as it was found
    # unchanged above (the same names in the same order as a full load would note them).
    read = {row.name: row for row in files.seen}
    kept = {row.name: row for row in now}
    rows: list[list[Any]] = []
    for row in seen:
        found = read.get(row.name) or kept.get(row.name)
        if found is None:
            return open_dossier(root, progress)
        rows.append(list(_row(found)))
    code = _code_stamp()
    head = {"code": code, "root": str(root), "files": rows}
    compact = dossier.to_compact()

    def store() -> None:
        folder = CacheFolder.open(cache_dir()) if not _inside(cache_dir(), root) else None
        if folder is not None:
            with folder:
                _store(folder, _cache_name(root), head, compact)

    if later is None:
        store()
    else:
        later(store)
    dossier.warnings = ()  # as open_dossier's: the app reads them from no dossier it shows
    return _fingerprinted(dossier, code, rows)


def changed_since(root: str | Path, dossier: Dossier) -> list[str] | None:
    """The files that hold other bytes than when `dossier` was built from them (by the
    cache's rules: a stat match trusted, else a hash), or None if it does not say what it
    was built from (no cache). What a watch started after the load must catch up on."""
    if dossier.built_from is None:
        return None
    changed, _ = changed_files(Path(root).resolve(), [_seen(row) for row in dossier.built_from])
    return changed


def files_differing(old: Dossier, new: Dossier) -> list[str] | None:
    """The files whose bytes differ between what `old` and `new` were built from (or that
    only one of them read), by name; None unless both say (both came through the cache).
    What a reload changed, whatever the watcher reported while it ran."""
    if old.built_from is None or new.built_from is None:
        return None
    before = {str(row[0]): (row[1] == -1, bytes(row[4])) for row in old.built_from}
    after = {str(row[0]): (row[1] == -1, bytes(row[4])) for row in new.built_from}
    return sorted(
        name for name in before.keys() | after.keys() if before.get(name) != after.get(name)
    )


def _inside(folder: Path, root: Path) -> bool:
    real = os.path.realpath(folder)
    return os.path.commonpath([str(root), real]) == str(root)


def _row(seen: Seen) -> tuple[str, int, int, int, bytes, int]:
    return (seen.name, seen.size, seen.mtime_ns, seen.ino, seen.digest, seen.ctime_ns)


def _seen(row: list[Any]) -> Seen:
    """A `_row` back (ValueError for a row of another shape: a cache of older code)."""
    name, size, mtime, ino, digest, ctime = row
    return Seen(str(name), int(size), int(mtime), int(ino), bytes(digest), int(ctime))


def _fingerprinted(dossier: Dossier, code: str, files: list[list[Any]]) -> Dossier:
    """Name what the dossier was built from (its files' bytes and the model's code), so
    that what is derived from it (a search index) can be cached under the same key."""
    digest = hashlib.blake2b(code.encode(), digest_size=16)
    for name, _size, _mtime, _ino, content, _ctime in files:
        digest.update(name.encode("utf-8", "surrogateescape") + b"\0" + bytes(content))
    dossier.fingerprint = digest.hexdigest()
    dossier.built_from = files
    return dossier


def _read(
    folder: CacheFolder, name: str, root: Path, code: str
) -> tuple[dict[str, Any], CompactDossier, list[list[Any]]] | None:
    """The cached header, compact dossier and current file stats, if the cache is intact,
    ours, built by this code, and its files still hold the bytes it was built from."""
    payload = folder.read(name)  # None unless the MAC over every byte holds
    if payload is None:
        return None
    try:
        head, body = codec.decode_header(payload)
        if not isinstance(head, dict) or head.get("code") != code:
            return None
        if head.get("root") != str(root):
            return None
        seen = [_seen(row) for row in head["files"]]
        same, now = unchanged(root, seen)
        if not same:
            return None
        with paused_gc():
            compact = codec.decode_body(body)
    except (ValueError, TypeError, KeyError):
        return None
    return head, compact, [list(_row(s)) for s in now]


def _store(folder: CacheFolder, name: str, head: dict[str, Any], compact: CompactDossier) -> None:
    """The header, then the compact dossier, sealed into the cache file; failures are no cache.

    The two parts are encoded one at a time and written straight to the file.
    """

    def fill(handle: BinaryIO) -> None:
        for part in codec.encode(head, compact):
            handle.write(part)

    if folder.write(name, fill):
        for other, _ in folder.names():
            if other.startswith(_PREFIX) and other.endswith(_LEGACY_SUFFIX):
                folder.remove(other)
