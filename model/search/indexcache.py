"""The search index kept on disk, so that a second session opens search at once.

Building the index of a large dossier takes seconds (SQLite indexing 10 MB of
folded text); reading it back takes tens of milliseconds. The file is the
index's own SQLite database (FTS5 tables and all), plus two small tables of what
the index keeps beside SQLite: the passages' offsets, the records' ids, the bm25
norms (K0, average row length) and the lists ranked ahead for common words.

Where and when:

- In the user's cache folder (model.store.folders.cache_dir), never in the
  dossier; mode 0600, written atomically (model.store.atomic.write_private); at
  most KEEP files, the least recently used go first.
- Keyed by the dossier's fingerprint (its files' contents and the model's code,
  set by model.store.dossiercache.open_dossier) and by this index's own stamp
  (the code of every module of model.search, SQLite's and Python's versions). A dossier
  without a fingerprint (loaded without the cache) gets no index cache.
- Any doubt is a rebuild, never an error: a missing, unreadable or foreign file
  (another owner, writable by others, not a regular file), another key, a
  checksum that does not match, anything unexpected inside.

Integrity: the file is a plain SQLite database whose header carries our
application id and, in its user_version field, a CRC-32 of every byte after the
100-byte header, so a torn or flipped byte is a cache miss rather than a wrong
answer or an SQLite error in the middle of a search.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import stat
import sys
import zlib
from array import array
from pathlib import Path
from typing import TYPE_CHECKING

from ..store.atomic import write_private
from ..store.folders import cache_dir, cache_enabled
from .fts5 import fts5_available
from .index import Ahead, IndexParts, SearchIndex

if TYPE_CHECKING:
    from ..dossier.dossier import Dossier

FORMAT = 1
KEEP = 4  # index files kept in the cache folder, for as many dossiers
_APPLICATION_ID = 0x50545549  # "PTUI"
_HEADER = 100  # bytes of SQLite's database header, outside the checksum
_MAGIC = b"SQLite format 3\x00"
_PREFIX = "search-"
_SUFFIX = ".sqlite"


def _code_stamp() -> str:
    """What the file's layout depends on besides the dossier: this code and the engines."""
    digest = hashlib.blake2b(digest_size=16)
    here = Path(__file__).resolve().parent  # the search package: its index layout and this file
    for path in sorted(here.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    digest.update(
        repr((FORMAT, sqlite3.sqlite_version, sys.version_info[:2], array("l").itemsize)).encode()
    )
    return digest.hexdigest()


def index_key(dossier: Dossier) -> str | None:
    """The cache key of a dossier's index, or None when the dossier's contents are unknown."""
    fingerprint = getattr(dossier, "fingerprint", None)
    if not fingerprint:
        return None
    try:
        stamp = _code_stamp()
    except OSError:
        return None
    return hashlib.blake2b(f"{fingerprint}\0{stamp}".encode(), digest_size=16).hexdigest()


def index_path(key: str) -> Path:
    return cache_dir() / f"{_PREFIX}{key}{_SUFFIX}"


def _checksum(image: bytes | bytearray) -> int:
    return zlib.crc32(memoryview(image)[_HEADER:])


def _read_private(path: Path) -> bytes | None:
    """The file's bytes if it is a regular file of ours that no one else may write."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)  # of the file opened, not of whatever the name points at later
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o022:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def open_index(dossier: Dossier) -> SearchIndex:
    """The dossier's index from the cache in the user's cache folder, else built and cached.

    What a session should call (in a worker): the first search of a large dossier
    then costs tens of milliseconds instead of seconds whenever the dossier is
    unchanged since the index was last built. Without a cache key
    (dossier.fingerprint is None) or with PARTNERSHIP_TUI_NO_CACHE=1 this is
    SearchIndex.build(). A cache problem never fails it: it builds instead.
    SearchUnavailable when this Python's SQLite lacks FTS5.
    """
    index = load(dossier)
    if index is None:
        index = SearchIndex.build(dossier)
        store(index)
    return index


def load(dossier: Dossier) -> SearchIndex | None:
    """The dossier's index from the cache, or None (a miss: build it)."""
    if not cache_enabled() or not fts5_available():
        return None
    key = index_key(dossier)
    if key is None:
        return None
    path = index_path(key)
    image = _read_private(path)
    if image is None or len(image) <= _HEADER or not image.startswith(_MAGIC):
        return None
    if int.from_bytes(image[68:72], "big") != _APPLICATION_ID:
        return None
    if int.from_bytes(image[60:64], "big") != _checksum(image):
        return None
    db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
    try:
        db.deserialize(image)
        del image
        index = _restore(dossier, db, key)
    except Exception:  # anything unexpected inside: a miss
        db.close()
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept when older files are pruned
    return index


def _ids(blob: object) -> list[str]:
    text = bytes(blob).decode("utf-8")  # type: ignore[call-overload]
    return text.split("\0") if text else []


def _restore(dossier: Dossier, db: sqlite3.Connection, key: str) -> SearchIndex:
    """An index around a connection holding a cached database; ValueError if it is not ours."""
    meta = dict(db.execute("SELECT key, value FROM ptui_meta"))
    if meta.get("format") != FORMAT or meta.get("key") != key:
        raise ValueError("another format or key")
    if meta.get("itemsize") != array("l").itemsize:
        raise ValueError("another machine")
    columns = []
    for name in ("p_source", "p_start", "p_end"):
        column: array[int] = array("l")
        column.frombytes(bytes(meta[name]))
        if len(column) != int(meta["passages"]):
            raise ValueError("passage offsets of another size")
        columns.append(column)
    ahead = {}
    for word, total, rowids, scores in db.execute(
        "SELECT word, total, rowids, scores FROM ptui_ahead"
    ):
        ahead[str(word)] = Ahead(array("q", bytes(rowids)), array("d", bytes(scores)), int(total))
    parts = IndexParts(
        passage_sources=columns[0],
        passage_starts=columns[1],
        passage_ends=columns[2],
        source_ids=tuple(_ids(meta["source_ids"])),
        record_ids=tuple(_ids(meta["record_ids"])),
        norms={
            table: (meta[f"{table}_k0"], meta[f"{table}_average"])
            for table in ("p", "r")
            if f"{table}_k0" in meta
        },
        ahead=ahead,
    )
    return SearchIndex.from_parts(dossier, db, parts)


def store(index: SearchIndex) -> Path | None:
    """Write the index to the cache; None when there is nothing to do or it failed."""
    if not cache_enabled():
        return None
    key = index_key(index.dossier)
    if key is None:
        return None
    # A cache that cannot be written (full disk, a folder in the way, ...) is just no cache.
    with contextlib.suppress(Exception):
        image = _image(index, key)
        written = write_private(index_path(key), lambda handle: handle.write(image))
        _prune(written)
        return written
    return None


def _image(index: SearchIndex, key: str) -> bytes:
    """The index's database with our tables in it, serialized, its checksum in its header."""
    parts = index.parts()
    meta: dict[str, object] = {
        "format": FORMAT,
        "key": key,
        "itemsize": array("l").itemsize,
        "passages": len(parts.passage_sources),
        "p_source": parts.passage_sources.tobytes(),
        "p_start": parts.passage_starts.tobytes(),
        "p_end": parts.passage_ends.tobytes(),
        "source_ids": "\0".join(parts.source_ids).encode("utf-8"),
        "record_ids": "\0".join(parts.record_ids).encode("utf-8"),
    }
    for table, (k0, average) in parts.norms.items():
        meta[f"{table}_k0"] = k0
        meta[f"{table}_average"] = average
    with index.database() as db:
        db.execute("BEGIN")
        try:
            db.execute("DROP TABLE IF EXISTS ptui_meta")
            db.execute("DROP TABLE IF EXISTS ptui_ahead")
            db.execute("CREATE TABLE ptui_meta(key TEXT PRIMARY KEY, value)")
            db.execute(
                "CREATE TABLE ptui_ahead(word TEXT PRIMARY KEY, total INTEGER, rowids, scores)"
            )
            db.executemany("INSERT INTO ptui_meta VALUES (?, ?)", meta.items())
            db.executemany(
                "INSERT INTO ptui_ahead VALUES (?, ?, ?, ?)",
                (
                    (word, ahead.total, ahead.rowids.tobytes(), ahead.scores.tobytes())
                    for word, ahead in parts.ahead.items()
                ),
            )
            db.execute(f"PRAGMA application_id = {_APPLICATION_ID}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")
        # The checksum goes into the header's user_version, outside what it covers; setting
        # it with SQL rather than into a copy keeps one image in memory at a time.
        checksum = _checksum(db.serialize())
        signed = int.from_bytes(checksum.to_bytes(4, "big"), "big", signed=True)
        db.execute(f"PRAGMA user_version = {signed}")
        image = db.serialize()
    if int.from_bytes(image[60:64], "big") != checksum:
        raise ValueError("the checksum did not land in the header")
    return image


def _prune(keep: Path) -> None:
    """Remove all but the KEEP most recently used index files of ours (never `keep`)."""
    with contextlib.suppress(OSError):
        files = []
        for entry in os.scandir(keep.parent):
            if not (entry.name.startswith(_PREFIX) and entry.name.endswith(_SUFFIX)):
                continue
            st = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and st.st_uid == os.getuid():
                files.append((st.st_mtime_ns, entry.path))
        files.sort(reverse=True)
        for _, name in files[KEEP:]:
            if Path(name) != keep:
                with contextlib.suppress(OSError):
                    os.unlink(name)
