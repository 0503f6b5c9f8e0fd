"""Issue 13: the caches under attack: planted files, symlinks, bit flips, a shared folder,
edits during a load, edits the fingerprint never saw.

The threat: someone who can write files into the cache folder, or who can make the
victim's own cache path point somewhere. Whatever they do, a command gives the same
output as with no cache at all, never runs their code and never writes where they point.
"""

from __future__ import annotations

import os
import pickle
import random
import shutil
import stat
from pathlib import Path

import pytest
from hostile import FIXTURE, copy_dossier, run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

MARKER_NAME = "pwned"


class _Payload:
    """Unpickling this creates a file: proof that a cache ran code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, (f"touch {self.marker}",))


def _cache_files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.iterdir() if p.is_file() and not p.name.startswith("."))


@pytest.fixture
def dossier(tmp_path: Path) -> Path:
    return copy_dossier(tmp_path / "dossier")


@pytest.fixture
def clean(dossier: Path, tmp_path: Path) -> dict[str, bytes]:
    """Each command's output with no cache at all: what every cached run must give."""
    out = {}
    for name, args in COMMANDS.items():
        result = run([*args, "--data", dossier], env={"PARTNERSHIP_TUI_NO_CACHE": "1"})
        assert result.code == 0, result.stderr
        out[name] = result.out
    return out


COMMANDS = {
    "json": ["export"],
    "search": ["search", "--limit", "100", "harbor"],
}


def _warm(dossier: Path, cache: Path) -> list[Path]:
    for args in COMMANDS.values():
        assert run([*args, "--data", dossier], cache=cache).code == 0
    files = _cache_files(cache)
    assert len(files) >= 2, files
    return files


def _assert_same(dossier: Path, cache: Path, clean: dict[str, bytes]) -> None:
    for name, args in COMMANDS.items():
        result = run([*args, "--data", dossier], cache=cache)
        result.assert_no_traceback()
        assert result.code == 0, result.stderr
        assert result.out == clean[name], name


# --- item 2: a planted cache never runs code -------------------------------------------------


def test_a_planted_pickle_never_runs(
    dossier: Path, tmp_path: Path, clean: dict[str, bytes]
) -> None:
    cache = tmp_path / "cache"
    marker = tmp_path / MARKER_NAME
    for path in _warm(dossier, cache):
        mode = stat.S_IMODE(path.stat().st_mode)
        payload = pickle.dumps(_Payload(marker))
        path.write_bytes(payload + payload)  # a header and a body, as the old format read
        path.chmod(mode)
    _assert_same(dossier, cache, clean)
    assert not marker.exists(), "a cache file ran code"


def test_a_symlink_to_a_users_file_is_not_read(
    dossier: Path, tmp_path: Path, clean: dict[str, bytes]
) -> None:
    """The victim owns the file the link points at (say a download holding attacker bytes)."""
    cache = tmp_path / "cache"
    marker = tmp_path / MARKER_NAME
    download = tmp_path / "download.bin"
    download.write_bytes(pickle.dumps(_Payload(marker)) * 2)
    download.chmod(0o600)
    for path in _warm(dossier, cache):
        path.unlink()
        path.symlink_to(download)
    _assert_same(dossier, cache, clean)
    assert not marker.exists()
    assert download.read_bytes() == pickle.dumps(_Payload(marker)) * 2, "written through"


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757, 0o1777])
def test_a_folder_others_can_write_is_not_used(
    dossier: Path, tmp_path: Path, clean: dict[str, bytes], mode: int
) -> None:
    cache = tmp_path / "cache"
    _warm(dossier, cache)
    cache.chmod(mode)
    marker = tmp_path / MARKER_NAME
    for path in _cache_files(cache):
        path.write_bytes(pickle.dumps(_Payload(marker)) * 2)
        path.chmod(0o600)
    planted = {p.name: p.read_bytes() for p in _cache_files(cache)}
    _assert_same(dossier, cache, clean)
    assert not marker.exists()
    # Neither read nor written: another user could swap what we write there.
    assert {p.name: p.read_bytes() for p in _cache_files(cache)} == planted


def test_a_folder_owned_by_someone_else_is_not_used(
    dossier: Path, tmp_path: Path, clean: dict[str, bytes]
) -> None:
    if os.getuid() != 0:
        pytest.skip("only root can give a folder to another user")
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    os.chown(cache, 65534, 65534)
    _assert_same(dossier, cache, clean)
    assert _cache_files(cache) == []


def test_a_symlinked_cache_folder_is_checked_where_it_points(
    dossier: Path, tmp_path: Path, clean: dict[str, bytes]
) -> None:
    real = tmp_path / "real-cache"
    real.mkdir(mode=0o777)
    real.chmod(0o777)
    link = tmp_path / "cache"
    link.symlink_to(real)
    _assert_same(dossier, link, clean)
    assert _cache_files(real) == []


# --- item 1: the search-index cache never writes through a symlink ----------------------------


def test_index_cache_does_not_write_through_a_symlink(dossier: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _warm(dossier, cache)
    index_files = [p for p in _cache_files(cache) if p.name.startswith("search-")]
    assert index_files
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    for path in index_files:
        path.unlink()
        path.symlink_to(victim)
    for _ in range(2):
        assert run(["search", "harbor", "--data", dossier], cache=cache).code == 0
    assert victim.read_text(encoding="utf-8") == "precious\n"


# --- item 5: a damaged cache is a miss, never a traceback or a wrong dossier ------------------


def test_one_flipped_bit_anywhere(dossier: Path, tmp_path: Path, clean: dict[str, bytes]) -> None:
    """A sample of single-bit flips through every cache file, each run as the real command."""
    cache = tmp_path / "cache"
    files = _warm(dossier, cache)
    pristine = {p: p.read_bytes() for p in files}
    rng = random.Random(13)
    for path, data in pristine.items():
        for at in [0, len(data) // 2, len(data) - 1, *rng.sample(range(len(data)), 5)]:
            damaged = bytearray(data)
            damaged[at] ^= 1 << rng.randrange(8)
            path.write_bytes(bytes(damaged))
            _assert_same(dossier, cache, clean)
            for other, original in pristine.items():
                other.write_bytes(original)


# --- item 12: an edit made while a cold load runs ---------------------------------------------


def test_an_edit_during_a_cold_load_is_not_cached_stale(tmp_path: Path) -> None:
    from safety_api import open_dossier

    dossier = copy_dossier(tmp_path / "dossier")
    meta = dossier / "dossier.yaml"
    edited = []

    def progress(what: str, done: int, total: int) -> None:
        if "people" in what and not edited:  # dossier.yaml has been read by now
            meta.write_text(meta.read_text(encoding="utf-8").replace("[test", "[edited"))
            st = meta.stat()
            os.utime(meta, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
            edited.append(True)

    first = open_dossier(dossier, progress=progress)
    assert edited and "[test" in first.title
    assert "[edited" in open_dossier(dossier).title


# --- item 13: edits the fingerprint never saw -------------------------------------------------


@pytest.mark.parametrize("where", ["linked sources", "markdown", "dot folder", "schema folder"])
def test_every_file_a_load_reads_is_watched(dossier: Path, tmp_path: Path, where: str) -> None:
    harbor = dossier / "sources" / "harbor-report.txt"
    if where == "linked sources":  # to a folder the old fingerprint walk skipped
        (dossier / "sources").rename(dossier / ".texts")
        (dossier / "sources").symlink_to(".texts")
        harbor = dossier / ".texts" / "harbor-report.txt"
    else:
        folder, name = {
            "markdown": ("sources", "harbor-report.md"),
            "dot folder": (".texts", "harbor-report.txt"),
            "schema folder": ("schema", "harbor-report.txt"),
        }[where]
        (dossier / folder).mkdir(exist_ok=True)
        harbor = harbor.rename(dossier / folder / name)
        sources = dossier / "sources.yaml"
        text = sources.read_text(encoding="utf-8")
        sources.write_text(
            text.replace("- id: harbor-report\n", f"- id: harbor-report\n  file: {folder}/{name}\n")
        )
    cache = tmp_path / "cache"
    assert run(["export", "--data", dossier], cache=cache).code == 0
    text = harbor.read_text(encoding="utf-8")
    harbor.write_text(text.replace("Acme invested $2 billion", "Acme invested $3 billion"))
    result = run(["export", "--data", dossier], cache=cache)
    assert result.code == 1, "the edit broke a quote; a stale cache hid it"
    assert "quote not found" in result.stderr


# --- the property: any damage to any cache file ----------------------------------------------

_MUTATIONS = st.one_of(
    st.tuples(st.just("flip"), st.integers(0, 10**9), st.integers(0, 7)),
    st.tuples(st.just("truncate"), st.integers(0, 10**9), st.just(0)),
    st.tuples(st.just("replace"), st.binary(max_size=256), st.just(0)),
    st.tuples(st.just("swap"), st.just(0), st.just(0)),
    st.tuples(st.just("empty"), st.just(0), st.just(0)),
)


class _Warm(tuple):
    def __repr__(self) -> str:
        return "<warm cache>"


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str, list[str]]:
    """A dossier, its warm cache folder, and its clean JSON export and search answers."""
    from safety_api import clean_answers, open_dossier, open_index

    base = tmp_path_factory.mktemp("property")
    dossier = copy_dossier(base / "dossier", FIXTURE)
    cache = base / "cache"
    previous = os.environ.get("PARTNERSHIP_TUI_CACHE_DIR")
    os.environ["PARTNERSHIP_TUI_CACHE_DIR"] = str(cache)
    try:
        open_index(open_dossier(dossier)).close()
    finally:
        if previous is not None:
            os.environ["PARTNERSHIP_TUI_CACHE_DIR"] = previous
    json_text, hits = clean_answers(dossier)
    return _Warm((dossier, cache, json_text, hits))


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(which=st.integers(0, 100), mutation=_MUTATIONS)
def test_cache_damage_never_shows(
    warm_cache: tuple[Path, Path, str, list[str]],
    which: int,
    mutation: tuple[str, object, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Random bit flips, truncation, replacement and swaps of every cache file: never a
    traceback, never a dossier or search answer different from a clean load."""
    from safety_api import answers

    dossier, pristine, json_text, hits = warm_cache
    cache = tmp_path / f"cache-{os.urandom(4).hex()}"
    shutil.copytree(pristine, cache)
    monkeypatch.setenv("PARTNERSHIP_TUI_CACHE_DIR", str(cache))
    files = sorted(p for p in cache.iterdir() if p.is_file())
    target = files[which % len(files)]
    data = target.read_bytes()
    kind, value, bit = mutation
    if kind == "flip":
        damaged = bytearray(data)
        damaged[int(value) % len(data)] ^= 1 << bit  # type: ignore[call-overload]
        target.write_bytes(bytes(damaged))
    elif kind == "truncate":
        target.write_bytes(data[: int(value) % max(1, len(data))])  # type: ignore[call-overload]
    elif kind == "replace":
        target.write_bytes(value)  # type: ignore[arg-type]
    elif kind == "swap":
        other = files[(which + 1) % len(files)]
        target.write_bytes(other.read_bytes())
    else:
        target.write_bytes(b"")
    for _ in range(2):  # the damaged cache, then whatever replaced it
        assert answers(dossier) == (json_text, hits)
