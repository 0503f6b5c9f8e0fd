"""Writes never lose a file: atomic replace, mode kept, symlinks kept, changed files refused."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

import partnership_tui.model
from partnership_tui.model.store.atomic import (
    FileStamp,
    WriteRefused,
    atomic_write,
    write_private,
)


def test_replaces_content_and_keeps_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.md"
    target.write_text("old")
    target.chmod(0o640)
    atomic_write(target, "new")
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.md"]  # no temp file left behind


def test_writes_through_a_symlink_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert atomic_write(link, "[1]") == real
    assert link.is_symlink() and real.read_text() == "[1]"


def test_refuses_a_file_changed_since_read(tmp_path: Path) -> None:
    target = tmp_path / "settings.yaml"
    target.write_text("a: 1\n")
    stamp = FileStamp.of(target)
    target.write_text("a: 2, edited elsewhere\n")
    with pytest.raises(WriteRefused):
        atomic_write(target, "a: 3\n", expected=stamp, check_unchanged=True)
    assert target.read_text() == "a: 2, edited elsewhere\n"


def test_refuses_to_create_over_a_file_that_appeared(tmp_path: Path) -> None:
    target = tmp_path / "new.txt"
    target.write_text("someone else's")
    with pytest.raises(WriteRefused):
        atomic_write(target, "mine", expected=None, check_unchanged=True)
    assert target.read_text() == "someone else's"


def test_refuses_a_directory(tmp_path: Path) -> None:
    with pytest.raises(WriteRefused):
        atomic_write(tmp_path, "x")


def test_failed_write_leaves_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "keep.txt"
    target.write_text("precious")

    def boom(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        atomic_write(target, "lost?")
    assert target.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_new_file_gets_the_umask_mode_and_the_writer_never_calls_umask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = os.umask(0o027)
    try:
        calls: list[int] = []
        monkeypatch.setattr(os, "umask", lambda mask: calls.append(mask) or 0)
        written = atomic_write(tmp_path / "new.md", "x")
    finally:
        monkeypatch.undo()
        os.umask(old)
    assert calls == []  # process-wide state another thread would see
    assert stat.S_IMODE(written.stat().st_mode) == 0o640  # 0o666 less the umask


def test_private_write_is_0600_and_refuses_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "cache" / "file.bin"
    written = write_private(target, lambda handle: handle.write(b"data"))
    assert written.read_bytes() == b"data"
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"keep")
    link = tmp_path / "cache" / "link.bin"
    link.symlink_to(elsewhere)
    with pytest.raises(OSError):
        write_private(link, lambda handle: handle.write(b"data"))
    assert elsewhere.read_bytes() == b"keep" and link.is_symlink()
    assert sorted(p.name for p in target.parent.iterdir()) == ["file.bin", "link.bin"]


def test_no_module_of_the_model_changes_the_umask() -> None:
    model = Path(partnership_tui.model.__file__).resolve().parent
    offenders = [p.name for p in model.rglob("*.py") if "os.umask(" in p.read_text()]
    assert offenders == []
