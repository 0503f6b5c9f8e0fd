"""Reading a user's files for the authoring commands: regular files only, bounded."""

from __future__ import annotations

import os
import stat
from pathlib import Path


def read_regular(path: Path, limit: int) -> bytes | None:
    """At most `limit` + 1 bytes of a regular file; None if it is not one.

    Opened non-blocking and checked on the open descriptor, so a FIFO planted
    where a file should be never blocks, and a file swapped after a check is
    still the one checked.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(limit + 1)
    finally:
        os.close(fd)
