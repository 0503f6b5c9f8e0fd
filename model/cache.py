"""A cache of the validated dossier, so a large dossier opens in a fraction of a second.

The cache lives in the user's cache folder, never in the dossier. It is keyed
by every dossier file's path, size and mtime, and holds a hash of their
contents: a stat match is trusted, a stat change with the same contents is
still a hit. Any doubt (another version, unreadable, corrupt) means a full
load; a cache problem never stops the dossier from opening.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from pathlib import Path

from . import __version__
from .dossier import Dossier
from .loader import Progress, load_dossier, paused_gc
from .safewrite import atomic_write

_FORMAT = 1
_SKIP_DIRS = {"schema", "__pycache__", ".git"}


def cache_dir() -> Path:
    override = os.environ.get("PARTNERSHIP_TUI_CACHE_DIR")
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "partnership-tui"


def cache_enabled() -> bool:
    return os.environ.get("PARTNERSHIP_TUI_NO_CACHE", "") in ("", "0")


def _dossier_files(root: Path) -> list[Path]:
    files: list[Path] = []
    for directory, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        for name in sorted(names):
            if name.endswith((".yaml", ".yml", ".txt")) and not name.startswith("."):
                files.append(Path(directory) / name)
    return files


def _stat_key(root: Path, files: list[Path]) -> tuple[tuple[str, int, int], ...]:
    out = []
    for path in files:
        st = path.stat()
        out.append((str(path.relative_to(root)), st.st_size, st.st_mtime_ns))
    return tuple(out)


def _content_hash(files: list[Path]) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for path in files:
        digest.update(str(path).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _cache_path(root: Path) -> Path:
    name = hashlib.blake2b(str(root).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
    return cache_dir() / f"dossier-{name}.pickle"


def _header() -> tuple[object, ...]:
    """What the cached objects depend on besides the data: format, versions, the model's code.

    The model's own files are part of it so that a changed loader (in a
    development checkout, where the version number stays put) is never served
    a dossier built by the old one.
    """
    code = Path(__file__).resolve().parent
    stamps = tuple(
        (p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(code.glob("*.py"))
    )
    return (_FORMAT, __version__, sys.version_info[:2], stamps)


def load_cached(root: str | Path, progress: Progress | None = None) -> Dossier:
    """Load a dossier, from the cache if its files are unchanged; DossierError if invalid."""
    root = Path(root).resolve()
    if not cache_enabled() or not root.is_dir():
        return load_dossier(root, progress=progress)
    try:
        files = _dossier_files(root)
        stat_key = _stat_key(root, files)
    except OSError:
        return load_dossier(root, progress=progress)
    path = _cache_path(root)
    entry = _read(path)
    if entry is not None and entry["header"] == _header():
        if entry["stat_key"] == stat_key:
            return entry["dossier"]
        with contextlib.suppress(OSError):
            if entry["content"] == _content_hash(files):
                _write(path, {**entry, "stat_key": stat_key})
                return entry["dossier"]
    dossier = load_dossier(root, progress=progress)
    with contextlib.suppress(OSError):
        _write(
            path,
            {
                "header": _header(),
                "stat_key": stat_key,
                "content": _content_hash(files),
                "dossier": dossier,
            },
        )
    return dossier


def _read(path: Path) -> dict | None:
    try:
        st = path.stat()
        # Only our own, private cache file is trusted enough to unpickle.
        if st.st_uid != os.getuid() or st.st_mode & 0o022:
            return None
        with path.open("rb") as handle, paused_gc():
            entry = pickle.load(handle)
    except Exception:  # a missing, truncated or foreign cache is simply a miss
        return None
    return entry if isinstance(entry, dict) and "dossier" in entry else None


def _write(path: Path, entry: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    payload = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
    old_umask = os.umask(0o077)
    try:
        os.chmod(atomic_write(path, payload), 0o600)
    finally:
        os.umask(old_umask)
