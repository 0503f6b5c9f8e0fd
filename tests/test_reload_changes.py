"""Unit tests of live reload's model side: which changed paths count, where to land."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnership_tui.model.dossier.changes import (
    dossier_changes,
    is_dossier_change,
    nearest_surviving,
)

ROOT = Path("/home/ana/dossier")


@pytest.mark.parametrize(
    "name",
    [
        "companies.yaml",
        "sources.yaml",
        "sources/new-article.txt",
        "texts/elsewhere.txt",  # sources.yaml may name a text at any path inside
        "dossier.yaml",
        "sources",  # the folder, removed or replaced
        "sources/article",  # anything in sources/
        "COMPANIES.YML",
    ],
)
def test_dossier_files_count(name: str) -> None:
    assert is_dossier_change(ROOT, ROOT / name)


def test_the_folder_itself_counts() -> None:
    assert is_dossier_change(ROOT, ROOT)


@pytest.mark.parametrize(
    "name",
    [
        ".companies.yaml.swp",  # vim
        ".companies.yaml.swx",
        "4913",  # vim's probe
        "sed3783O4",  # sed -i
        "companies.yaml~",  # backups
        "#companies.yaml#",  # emacs auto-save
        ".#companies.yaml",  # emacs lock
        "companies.yaml.tmp",
        ".companies.yaml.1a2b3c4d.tmp",  # this app's atomic writes
        "sources/draft.txt.part",
        "companies.yaml___jb_tmp___",  # JetBrains
        ".git/index",  # hidden folders
        "sources/.hidden/a.txt",
        "notes.md",  # not a dossier file: never a reload
        "build/sync.log",
        "cache",
    ],
)
def test_editor_temp_files_hidden_folders_and_other_files_do_not(name: str) -> None:
    assert not is_dossier_change(ROOT, ROOT / name)


def test_paths_outside_the_folder_do_not() -> None:
    assert not is_dossier_change(ROOT, "/home/ana/other/companies.yaml")
    assert not is_dossier_change(ROOT, "/home/ana/dossier-old/companies.yaml")
    assert not is_dossier_change(ROOT, "/home/ana")


def test_the_apps_own_folders_inside_the_dossier_do_not() -> None:
    cache = ROOT / "cache"
    assert not is_dossier_change(ROOT, cache / "dossier-1.msgpack", skip=[cache])
    assert not is_dossier_change(ROOT, cache, skip=[cache])
    assert is_dossier_change(ROOT, ROOT / "cache-notes.yaml", skip=[cache])
    assert not is_dossier_change(ROOT, cache / "state.yaml", skip=[cache])


def test_dossier_changes_names_each_relevant_path_once_relative() -> None:
    paths = [
        ROOT / "companies.yaml",
        ROOT / ".companies.yaml.swp",
        ROOT / "companies.yaml",
        ROOT / "sources" / "a.txt",
        ROOT,
    ]
    assert dossier_changes(ROOT, paths) == [".", "companies.yaml", "sources/a.txt"]
    assert dossier_changes(ROOT, [ROOT / "4913"]) == []


def test_nearest_surviving_prefers_the_next_record_then_the_previous() -> None:
    order = ["a", "b", "c", "d"]
    assert nearest_surviving(order, "b", {"a", "c", "d"}.__contains__) == "c"
    assert nearest_surviving(order, "b", {"a", "d"}.__contains__) == "d"
    assert nearest_surviving(order, "d", {"a", "b"}.__contains__) == "b"
    assert nearest_surviving(order, "b", set().__contains__) is None
    assert nearest_surviving(order, "z", {"a"}.__contains__) is None
