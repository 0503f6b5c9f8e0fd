"""Mentions found in a second process while the loader reads the rest of a large dossier.

Mentions need only the sources and the entities' names, and those are read
before the events (most of a large dossier). Finding them takes ~15% of a
cold load of the large benchmark dossier; in a child process, on the second
core, it overlaps the events' reading and building instead of following it.

The child reads the source texts itself, by the same rules as the loader
(`DossierFiles`), and refuses unless each file's bytes hash to what the loader
read: the texts are never copied through the pipe (a 13 MB buffer, once freed,
left the loader's peak 30 MB higher, as did a writing thread's malloc arena),
and a file edited in between gives no mentions from another text.

Safety: nothing crosses the pipe as pickle. The parent sends the names, the
source files' names and their hashes, the child sends back integer columns;
both ways are msgpack (msgspec) decoded into fixed types, so a message can
only be data. The child is our own module started with our own interpreter
(`sys.executable -m`), and any trouble with it (no interpreter, a crash, a
changed file, a short or odd answer) means the mentions are found in this
process as before: same result, just slower.
"""

from __future__ import annotations

import contextlib
import hashlib
import subprocess
import sys
import threading
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, TypeVar

import msgspec

T = TypeVar("T")

# Below this much source text the child's start (~0.15 s) costs more than it saves.
MIN_TEXT_CHARS = 2_000_000

Names = list[tuple[str, str, bool]]
SourceRows = tuple[str, str, tuple[tuple[int, int], ...]]  # id, text, sentences
# Per source: the indexes of the mentioned records in `record_ids(names)`, then start, end,
# sentence start and sentence end of each mention, each column an array("i").
Columns = tuple[array, array, array, array, array]
_Answer = tuple[str, bytes, bytes, bytes, bytes, bytes]
# What the child is asked: the dossier folder, the names, and per source its id, the
# file its text is read from and the SHA-256 of the bytes the loader read there.
_Job = tuple[str, Names, list[tuple[str, str, bytes]]]
_LENGTH = 4  # each message is its length (little-endian) then its msgpack bytes


def record_ids(names: Names) -> list[str]:
    """The ids a mention column numbers: each named record once, in the order of `names`."""
    return list(dict.fromkeys(record for record, _, _ in names))


def mention_columns(names: Names, sources: Iterable[SourceRows]) -> Iterator[tuple[str, Columns]]:
    """Every mention of every source, as (source id, columns), source by source."""
    from .mentions import MentionMatcher

    matcher = MentionMatcher(names)
    index = {record: at for at, record in enumerate(record_ids(names))}
    for source_id, text, sentences in sources:
        columns: Columns = (array("i"), array("i"), array("i"), array("i"), array("i"))
        rec, start, end, s_start, s_end = (column.append for column in columns)
        for record, begin, stop, sentence_start, sentence_end in matcher.rows(text, sentences):
            rec(index[record])
            start(begin)
            end(stop)
            s_start(sentence_start)
            s_end(sentence_end)
        yield source_id, columns


def _frame(message: object) -> bytes:
    data = msgspec.msgpack.encode(message)
    return len(data).to_bytes(_LENGTH, "little") + data


def _write(stream: BinaryIO, message: object) -> None:
    stream.write(_frame(message))


def _read(stream: BinaryIO, kind: type[T]) -> T:
    """One message; ValueError at the end of the stream or for a short one."""
    head = stream.read(_LENGTH)
    if len(head) != _LENGTH:
        raise ValueError("stream ended")
    size = int.from_bytes(head, "little")
    data = stream.read(size)
    if len(data) != size:
        raise ValueError("short message")
    return msgspec.msgpack.decode(data, type=kind)


class MentionJob:
    """A child process finding mentions; `result()` waits for it, `close()` ends it."""

    def __init__(self, root: Path, names: Names, sources: list[tuple[str, str, bytes]]) -> None:
        self._sources = {source_id for source_id, _, _ in sources}
        self._records = len(record_ids(names))
        payload = _frame((str(root), names, sources))  # small: names and file names only
        self._proc = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        # Written from a thread: the pipe holds 64 KB and the child may take a moment to
        # start reading; the loader goes on reading events meanwhile.
        self._writer = threading.Thread(target=self._send, args=(payload,), daemon=True)
        self._writer.start()

    def _send(self, payload: bytes) -> None:
        stdin = self._proc.stdin
        assert stdin is not None
        with contextlib.suppress(OSError):
            stdin.write(payload)
        with contextlib.suppress(OSError):
            stdin.close()

    def result(self) -> dict[str, Columns] | None:
        """Each source's columns, or None if the child failed in any way (find them here)."""
        try:
            stdout = self._proc.stdout
            assert stdout is not None
            out: dict[str, Columns] = {}
            for _ in range(len(self._sources)):
                source_id, *parts = _read(stdout, _Answer)
                columns = tuple(_column(part) for part in parts)
                count = len(columns[0])
                if source_id not in self._sources or any(len(c) != count for c in columns):
                    return None
                if count and not 0 <= min(columns[0]) <= max(columns[0]) < self._records:
                    return None
                out[source_id] = columns  # type: ignore[assignment]
            if self._proc.wait() != 0 or out.keys() != self._sources:
                return None
            return out
        except (OSError, ValueError, msgspec.MsgspecError):
            return None
        finally:
            self.close()

    def close(self) -> None:
        """End the child if it still runs (a load that failed or stopped early) and reap it."""
        if self._proc.poll() is None:
            self._proc.kill()
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            self._proc.wait(timeout=5)
        if self._proc.stdout is not None:
            self._proc.stdout.close()


def _column(raw: bytes) -> array:
    column = array("i")
    column.frombytes(raw)  # ValueError unless a whole number of items
    return column


def start(
    root: Path, names: Names, sources: list[tuple[str, str, bytes]], text_chars: int
) -> MentionJob | None:
    """A job for a dossier with enough text to pay for a process; None otherwise or on failure.

    `sources`: (id, file name in the dossier, SHA-256 of the bytes the loader read)."""
    if text_chars < MIN_TEXT_CHARS or not sys.executable:
        return None
    try:
        return MentionJob(root, names, sources)
    except (OSError, ValueError, subprocess.SubprocessError):
        return None


def _texts(root: str, sources: list[tuple[str, str, bytes]]) -> Iterator[SourceRows]:
    """Each source's text and sentences, as the loader made them; SystemExit if a file's
    bytes are not those the loader read."""
    from ..read.files import MAX_FILE_BYTES, DossierFiles
    from .text import split_sentences

    files = DossierFiles(Path(root))
    for source_id, name, digest in sources:
        raw = files.read(name, MAX_FILE_BYTES)
        if raw is None or hashlib.sha256(raw).digest() != digest:
            raise SystemExit(3)  # changed since the loader read it: the loader finds them
        text = raw.decode("utf-8")
        yield source_id, text, split_sentences(text)


def _main() -> None:
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    root, names, sources = _read(stdin, _Job)
    # All found, then all written: the pipe holds 64 KB, and the parent reads the answer
    # only when it has read the rest of the dossier.
    found = list(mention_columns(names, _texts(root, sources)))
    for source_id, columns in found:
        _write(stdout, (source_id, *(column.tobytes() for column in columns)))
    stdout.flush()


if __name__ == "__main__":
    _main()
