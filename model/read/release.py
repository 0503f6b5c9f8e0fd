"""Give memory that a large load freed back to the system, where the C library keeps it.

glibc serves small and mid-sized blocks from its heap and keeps what is freed
there for later; it returns only free memory at the heap's top, and after a
large block is freed it raises the size from which blocks get their own
mapping (the "mmap threshold") to that block's size. A load of the large
benchmark dossier frees ~50 MB in pieces between live objects (file texts,
the records once packed, the checking tables): glibc kept it, so what came
next added to the load's peak instead of reusing it. `malloc_trim` hands
every free page back. A no-op without glibc (macOS, Windows, musl).
"""

from __future__ import annotations

import sys
from collections.abc import Callable

_trim: Callable[[int], int] | None = None
_looked = False


def release_free_memory() -> None:
    """`malloc_trim(0)` where there is glibc; it runs no code of the dossier's."""
    global _trim, _looked
    if not _looked:
        _looked = True
        if sys.platform.startswith("linux"):
            try:
                import ctypes

                _trim = ctypes.CDLL(None).malloc_trim
            except (OSError, AttributeError, ImportError):
                _trim = None
    if _trim is not None:
        _trim(0)
