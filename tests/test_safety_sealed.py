"""The sealed cache files (model.store.sealed): the folder and file checks, the MAC, writes
that never follow a symlink, and the temp files a killed write leaves."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from partnership_tui.model.store.sealed import MAGIC, CacheFolder


@pytest.fixture
def folder(tmp_path: Path) -> CacheFolder:
    opened = CacheFolder.open(tmp_path / "cache")
    assert opened is not None
    yield opened
    opened.close()


def _write(folder: CacheFolder, name: str, data: bytes) -> None:
    assert folder.write(name, lambda handle: handle.write(data))


def test_round_trip_and_private_modes(folder: CacheFolder) -> None:
    _write(folder, "a", b"payload")
    assert bytes(folder.read("a")) == b"payload"
    assert stat.S_IMODE(folder.path.stat().st_mode) == 0o700
    for name in ("a", "key"):
        assert stat.S_IMODE((folder.path / name).stat().st_mode) == 0o600
    assert (folder.path / "key").stat().st_size == 32


def test_every_flipped_bit_is_a_miss(folder: CacheFolder) -> None:
    _write(folder, "a", b"some payload of a cache")
    data = (folder.path / "a").read_bytes()
    for at in range(len(data)):
        for bit in range(8):
            damaged = bytearray(data)
            damaged[at] ^= 1 << bit
            (folder.path / "a").write_bytes(bytes(damaged))
            assert folder.read("a") is None, (at, bit)
    for size in range(len(data)):
        (folder.path / "a").write_bytes(data[:size])
        assert folder.read("a") is None


def test_a_file_without_the_key_cannot_be_forged(folder: CacheFolder, tmp_path: Path) -> None:
    """Someone who cannot read the key cannot make a file that passes, checksum or not."""
    other = CacheFolder.open(tmp_path / "other")
    assert other is not None
    assert other.write("a", lambda handle: handle.write(b"attacker"))
    (folder.path / "a").write_bytes((other.path / "a").read_bytes())
    (folder.path / "a").chmod(0o600)
    assert folder.read("a") is None


def test_a_valid_file_moved_to_another_name_is_refused(folder: CacheFolder) -> None:
    _write(folder, "a", b"one")
    _write(folder, "b", b"two")
    os.replace(folder.path / "a", folder.path / "b")
    assert folder.read("b") is None


def test_a_key_readable_by_others_is_replaced(tmp_path: Path) -> None:
    with CacheFolder.open(tmp_path / "c") as first:
        _write(first, "a", b"data")
    key = tmp_path / "c" / "key"
    key.chmod(0o644)
    with CacheFolder.open(tmp_path / "c") as again:
        assert again.read("a") is None  # a key others could read proves nothing
        assert stat.S_IMODE(key.stat().st_mode) == 0o600


@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777, 0o1777, 0o720, 0o702])
def test_a_folder_others_may_write_is_refused(tmp_path: Path, mode: int) -> None:
    path = tmp_path / "shared"
    path.mkdir()
    path.chmod(mode)
    assert CacheFolder.open(path) is None


def test_a_folder_owned_by_another_user_is_refused(tmp_path: Path) -> None:
    if os.getuid() != 0:
        pytest.skip("only root can give a folder away")
    path = tmp_path / "theirs"
    path.mkdir(mode=0o700)
    os.chown(path, 65534, 65534)
    assert CacheFolder.open(path) is None


def test_a_file_where_the_folder_should_be(tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("x")
    assert CacheFolder.open(tmp_path / "cache") is None


def test_a_symlink_at_a_cache_name_is_never_followed(folder: CacheFolder, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    victim.chmod(0o600)
    (folder.path / "a").symlink_to(victim)
    assert folder.read("a") is None
    _write(folder, "a", b"new")
    assert victim.read_bytes() == b"precious"
    assert not (folder.path / "a").is_symlink()
    assert bytes(folder.read("a")) == b"new"


def test_a_symlinked_key_is_not_used(folder: CacheFolder, tmp_path: Path) -> None:
    _write(folder, "a", b"data")
    planted = tmp_path / "planted-key"
    planted.write_bytes(bytes(32))
    planted.chmod(0o600)
    (folder.path / "key").unlink()
    (folder.path / "key").symlink_to(planted)
    with CacheFolder.open(folder.path) as again:
        assert again.read("a") is None
    assert planted.read_bytes() == bytes(32)


def test_a_fifo_at_a_cache_name_does_not_block(folder: CacheFolder) -> None:
    os.mkfifo(folder.path / "a", 0o600)
    started = time.monotonic()
    assert folder.read("a") is None
    assert time.monotonic() - started < 5


def test_a_file_others_may_read_is_not_trusted(folder: CacheFolder) -> None:
    _write(folder, "a", b"data")
    (folder.path / "a").chmod(0o644)
    assert folder.read("a") is None


def test_stale_temp_files_go_on_the_next_write(folder: CacheFolder) -> None:
    _write(folder, "a", b"x")
    stale = folder.path / ".a.0123abcd.tmp"
    fresh = folder.path / ".a.89abcdef.tmp"
    other = folder.path / "notes.tmp"
    for path in (stale, fresh, other):
        path.write_bytes(MAGIC)
    hour_ago = time.time() - 3600
    for path in (stale, other):
        os.utime(path, (hour_ago, hour_ago))
    _write(folder, "b", b"y")
    assert not stale.exists()
    assert fresh.exists() and other.exists()


def test_a_failed_write_leaves_no_temp_and_the_old_file(folder: CacheFolder) -> None:
    _write(folder, "a", b"old")

    def explode(handle) -> None:  # type: ignore[no-untyped-def]
        handle.write(b"half")
        raise OSError("disk full")

    assert not folder.write("a", explode)
    assert bytes(folder.read("a")) == b"old"
    assert not [p for p in folder.path.iterdir() if p.name.endswith(".tmp")]
