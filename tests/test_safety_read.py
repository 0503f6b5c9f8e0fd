"""Reading dossier files by the rules (model.read.files) and bounded suggestions
(model.build.suggest), at the unit level; the commands' behaviour is in test_safety_files."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from partnership_tui.model.build.suggest import Exhausted, Suggester
from partnership_tui.model.read.files import DossierFiles, FileProblem, unchanged


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "dossier"
    (folder / "sources").mkdir(parents=True)
    (folder / "sources.yaml").write_text("- id: a\n")
    (folder / "sources" / "a.txt").write_text("text")
    return folder


def _problem(root: Path, name: str) -> str:
    with pytest.raises(FileProblem) as caught:
        DossierFiles(root).read(name, 1 << 20)
    return caught.value.message


def test_reads_and_notes_what_it_read(root: Path) -> None:
    files = DossierFiles(root)
    assert files.read("sources.yaml", 100) == b"- id: a\n"
    assert files.read("companies.yaml", 100) is None
    assert [(s.name, s.size) for s in files.seen] == [("sources.yaml", 8), ("companies.yaml", -1)]


def test_outside_links_and_names(root: Path, tmp_path: Path) -> None:
    (tmp_path / "secret").write_text("key")
    (root / "sources" / "b.txt").symlink_to(tmp_path / "secret")
    assert "outside the dossier" in _problem(root, "sources/b.txt")
    assert "outside the dossier" in _problem(root, "../secret")
    assert "outside the dossier" in _problem(root, str(tmp_path / "secret"))
    assert "NUL" in _problem(root, "sources/a\0.txt")


def test_links_that_stay_inside_are_read(root: Path) -> None:
    (root / "texts").symlink_to("sources")
    assert DossierFiles(root).read("texts/a.txt", 100) == b"text"


def test_a_dossier_reached_through_a_symlink(root: Path, tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(root)
    assert DossierFiles(link).read("sources/a.txt", 100) == b"text"


def test_special_files_are_named(root: Path) -> None:
    os.mkfifo(root / "pipe.yaml")
    started = time.monotonic()
    assert "named pipe" in _problem(root, "pipe.yaml")
    assert time.monotonic() - started < 5
    (root / "dir.yaml").mkdir()
    assert "a folder" in _problem(root, "dir.yaml")
    (root / "loop.yaml").symlink_to("loop.yaml")
    assert "symlink loop" in _problem(root, "loop.yaml")
    (root / "gone.yaml").symlink_to("nowhere.yaml")
    assert "does not exist" in _problem(root, "gone.yaml")
    (root / "zero.txt").symlink_to("/dev/zero")
    assert "outside the dossier" in _problem(root, "zero.txt")


def test_a_file_over_the_limit(root: Path) -> None:
    (root / "big.yaml").write_bytes(b"x" * 1000)
    with pytest.raises(FileProblem, match="larger"):
        DossierFiles(root).read("big.yaml", 999)


def test_unchanged_sees_edits_and_touches(root: Path) -> None:
    files = DossierFiles(root)
    files.read("sources.yaml", 100)
    files.read("claims.yaml", 100)
    seen = list(files.seen)
    assert unchanged(root, seen) == (True, seen)
    os.utime(root / "sources.yaml", ns=(1, 1))  # touched, same bytes: still a match
    same, now = unchanged(root, seen)
    assert same and now[0].mtime_ns == 1
    (root / "sources.yaml").write_text("- id: b\n")  # same size, other bytes
    assert unchanged(root, seen)[0] is False
    (root / "sources.yaml").write_text("- id: a\n")
    (root / "claims.yaml").write_text("[]\n")  # a file that was absent appears
    assert unchanged(root, seen)[0] is False


def test_suggestions_are_bounded() -> None:
    ids = [f"person-{i}" for i in range(10_000)]
    suggest = Suggester(ids, budget=3)
    assert suggest("persn-42") == "person-42"
    assert suggest("zzzzzzzz") is None
    suggest("person-x")
    with pytest.raises(Exhausted):
        suggest("person-1")


def test_unchanged_is_not_fooled_by_a_restored_mtime(root: Path) -> None:
    """Bytes rewritten in place (same size, same inode) and the mtime put back (`cp -p`,
    `touch -r`, an rsync -t or a tar extraction do): the status change time still moved,
    so the file is read again. Trusted, a warm start showed what no load gives."""
    files = DossierFiles(root)
    files.read("sources.yaml", 100)
    seen = list(files.seen)
    path = root / "sources.yaml"
    before = path.stat()
    time.sleep(0.01)
    with open(path, "r+b") as handle:
        handle.write(b"- id: b\n")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    assert unchanged(root, seen)[0] is False


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_unchanged_sees_a_file_made_unreadable(root: Path) -> None:
    files = DossierFiles(root)
    files.read("sources.yaml", 100)
    seen = list(files.seen)
    (root / "sources.yaml").chmod(0)
    try:
        assert unchanged(root, seen)[0] is False
    finally:
        (root / "sources.yaml").chmod(0o644)
