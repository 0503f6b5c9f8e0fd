"""A reload after an edit gives exactly what a full load of the same files gives, or steps
aside for one (model.dossier.load.reload_dossier, model.store.dossiercache.reopen_dossier)."""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest

from partnership_tui.model import bundled_data_dir
from partnership_tui.model.build.records import KIND_PLURALS
from partnership_tui.model.dossier.dossier import Dossier
from partnership_tui.model.dossier.load import load_dossier, reload_dossier
from partnership_tui.model.read.files import DossierFiles
from partnership_tui.model.read.problems import DossierError
from partnership_tui.model.store import dossiercache as cache

KIND_FILES = [f"{plural}.yaml" for kind, plural in KIND_PLURALS.items() if kind != "source"]


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("PARTNERSHIP_TUI_CACHE_DIR", str(home))
    monkeypatch.delenv("PARTNERSHIP_TUI_NO_CACHE", raising=False)
    return home


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the bundled dossier (every kind of file, five sources) to edit."""
    root = tmp_path / "d"
    shutil.copytree(bundled_data_dir(), root, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return root


def first_load(root: Path) -> tuple[Dossier, list[str]]:
    """What the app holds: the dossier in compact form, and the names of the files it read."""
    files = DossierFiles(root)
    dossier = load_dossier(root, compact=True, files=files)
    return dossier, [seen.name for seen in files.seen]


def edit(root: Path, name: str, old: str, new: str, count: int = 1) -> None:
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert re.search(old, text, flags=re.M), f"{old!r} not in {name}"
    path.write_text(re.sub(old, new, text, count=count, flags=re.M), encoding="utf-8")


def assert_same_as_full_load(reloaded: Dossier | None, root: Path) -> None:
    full = load_dossier(root, compact=True)
    assert reloaded is not None
    assert reloaded.to_compact() == full.to_compact()
    assert reloaded.warnings == full.warnings
    assert reloaded.title == full.title


def problems_of(root: Path) -> list[object]:
    with pytest.raises(DossierError) as caught:
        load_dossier(root, compact=True)
    return list(caught.value.problems)


@pytest.mark.parametrize("name", KIND_FILES)
def test_a_renamed_record_in_each_kind_of_file_equals_a_full_load(folder: Path, name: str) -> None:
    before, read = first_load(folder)
    edit(folder, name, r"^(  name: )(.*)$", r"\1\2 Zed")
    got = reload_dossier(folder, before, [name], read)
    assert_same_as_full_load(got, folder)
    assert got is not None and got.to_compact() != before.to_compact()


def test_a_rename_moves_the_mentions(folder: Path) -> None:
    """Microsoft's name goes; only its aliases (if any) still find it in the texts."""
    before, read = first_load(folder)
    was = len(before.mentions_of("microsoft"))
    edit(folder, "companies.yaml", r"^  name: Microsoft$", "  name: Macrohard")
    got = reload_dossier(folder, before, ["companies.yaml"], read)
    assert_same_as_full_load(got, folder)
    assert got is not None and len(got.mentions_of("microsoft")) < was


@pytest.mark.parametrize(
    ("name", "old", "new", "searched"),
    [
        # a company's summary: the same names, so the same mentions
        ("companies.yaml", r"^(  summary: >-\n)", r"\1    Edited first line.\n", False),
        # an event renamed: events are not mentioned by name
        ("events.yaml", r"^(  name: )(.*)$", r"\1\2 Zed", False),
        # an alias more: every source is searched again
        ("people.yaml", r"^(  aliases:\n)", r"\1    - Sammy A.\n", True),
        # match_case off: the same names, matched otherwise
        ("people.yaml", r"^  match_case: true$", "  match_case: false", True),
        # a record more: the ids move
        (
            "events.yaml",
            r"\Z",
            "- id: reload-extra\n  name: Extra\n  citations:\n"
            '    - source: alliance-challenges\n      exact: "When Microsoft invested"\n',
            True,
        ),
    ],
)
def test_mentions_are_kept_only_when_names_and_ids_are(
    folder: Path, monkeypatch: pytest.MonkeyPatch, name: str, old: str, new: str, searched: bool
) -> None:
    from partnership_tui.model.dossier import indexes

    before, read = first_load(folder)
    edit(folder, name, old, new)
    calls: list[int] = []
    real = indexes._found_mentions

    def counting(*args):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(indexes, "_found_mentions", counting)
    got = reload_dossier(folder, before, [name], read)
    assert bool(calls) is searched
    monkeypatch.undo()
    assert_same_as_full_load(got, folder)


def test_an_added_record_and_two_files_at_once(folder: Path) -> None:
    before, read = first_load(folder)
    with (folder / "companies.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            "- id: reload-test-co\n  name: Orca Holdings\n  type: company\n"
            "  citations:\n    - source: alliance-challenges\n"
            '      exact: "When Microsoft invested $1 billion in OpenAI in 2019"\n'
        )
    edit(folder, "people.yaml", r"^(  name: )(.*)$", r"\1\2 Jr")
    got = reload_dossier(folder, before, ["companies.yaml", "people.yaml"], read)
    assert_same_as_full_load(got, folder)
    assert got is not None and got.get("reload-test-co") is not None


def test_a_new_title_in_dossier_yaml(folder: Path) -> None:
    before, read = first_load(folder)
    (folder / "dossier.yaml").write_text('title: "Reloaded title"\n', encoding="utf-8")
    got = reload_dossier(folder, before, ["dossier.yaml"], read)
    assert_same_as_full_load(got, folder)
    assert got is not None and got.title == "Reloaded title"


def test_a_stray_source_text_still_warns(folder: Path) -> None:
    (folder / "sources" / "forgotten.txt").write_text("Nobody reads this.\n", encoding="utf-8")
    before, read = first_load(folder)
    edit(folder, "events.yaml", r"^(  name: )(.*)$", r"\1\2 again")
    got = reload_dossier(folder, before, ["events.yaml"], read)
    assert_same_as_full_load(got, folder)
    assert got is not None and [w.message for w in got.warnings] == [
        "no entry in sources.yaml reads this text"
    ]


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        # a removed id that other files name
        ("products.yaml", r"^- id: gpt-4$", "- id: gpt-four"),
        # a quote no article has
        ("events.yaml", r'^(      exact: ")', r"\1Nowhere said: "),
        # a reference to nothing
        ("deals.yaml", r"^(    - ref: )microsoft$", r"\1nobody-at-all"),
        # an id another (later) file defines
        ("companies.yaml", r"^- id: microsoft$", "- id: sam-altman"),
        # an id an earlier file defines
        ("events.yaml", r"^- id: microsoft-invests-1b-2019$", "- id: microsoft"),
        # a name another record has
        ("products.yaml", r"^  name: GPT-3$", "  name: Microsoft"),
        # a file that is no longer YAML
        ("claims.yaml", r"^- id: ", "- id: [unclosed\n- id: "),
    ],
)
def test_problems_step_aside_for_a_full_load(
    folder: Path, cache_home: Path, name: str, old: str, new: str
) -> None:
    before = cache.open_dossier(folder)
    edit(folder, name, old, new)
    read = [row[0] for row in before.built_from or []]
    assert reload_dossier(folder, before, [name], read) is None
    expected = problems_of(folder)
    with pytest.raises(DossierError) as caught:
        cache.reopen_dossier(folder, before)
    assert list(caught.value.problems) == expected


@pytest.mark.parametrize("name", ["sources.yaml", "sources/alliance-challenges.txt"])
def test_a_change_to_the_sources_is_a_full_load(folder: Path, name: str) -> None:
    before, read = first_load(folder)
    path = folder / name
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert reload_dossier(folder, before, [name], read) is None


def test_a_dossier_not_in_compact_form_is_a_full_load(folder: Path) -> None:
    before = load_dossier(folder)  # object indexes: no load order kept per kind
    edit(folder, "companies.yaml", r"^(  name: )(.*)$", r"\1\2 Zed")
    assert reload_dossier(folder, before, ["companies.yaml"], []) is None


def test_reopen_reads_only_the_changed_file_and_caches_as_a_full_load(
    folder: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = cache.open_dossier(folder)
    edit(folder, "tensions.yaml", r"^(  name: )(.*)$", r"\1\2 Zed")
    read: list[str] = []
    real_read = DossierFiles.read

    def noting(self: DossierFiles, name: str, limit: int) -> bytes | None:
        read.append(name)
        return real_read(self, name, limit)

    monkeypatch.setattr(DossierFiles, "read", noting)
    loads: list[Path] = []
    monkeypatch.setattr(cache, "full_load", lambda *a, **k: loads.append(a[0]))  # type: ignore[func-returns-value]
    got = cache.reopen_dossier(folder, before)
    assert loads == []
    assert read == ["tensions.yaml", "tensions.yaml"]  # found changed, then read and checked
    monkeypatch.undo()
    assert_same_as_full_load(Dossier.from_compact(got.to_compact()), folder)
    # The cache it wrote is what a full load would have written: a hit, the same dossier
    # and fingerprint (a search index cached for it is found).
    again = cache.open_dossier(folder)
    assert again.to_compact() == got.to_compact()
    assert again.fingerprint == got.fingerprint
    shutil.rmtree(cache_home)
    fresh = cache.open_dossier(folder)
    assert fresh.fingerprint == got.fingerprint
    assert fresh.built_from == got.built_from


def test_reopen_with_nothing_changed_is_the_cache(folder: Path, cache_home: Path) -> None:
    before = cache.open_dossier(folder)
    (folder / "events.yaml").touch()
    again = cache.reopen_dossier(folder, before)
    assert again.fingerprint == before.fingerprint


def _fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def _link_out(path: Path) -> None:
    outside = path.parent.parent / "outside.yaml"
    outside.write_bytes(path.read_bytes())
    path.unlink()
    path.symlink_to(outside)


def _moved_out_and_linked(path: Path) -> None:
    """The same file (inode, size, mtime) moved out of the folder and a symlink left to it:
    a stat that follows the link finds it unchanged, a full load refuses the link."""
    outside = path.parent.parent / "moved-out.yaml"
    path.rename(outside)
    path.symlink_to(outside)


def _bit_flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x80  # an ASCII byte becomes a lone continuation byte
    path.write_bytes(bytes(data))


def _unreadable(path: Path) -> None:
    path.chmod(0)


def _folder(path: Path) -> None:
    path.unlink()
    path.mkdir()


@pytest.mark.parametrize(
    "attack", [_fifo, _link_out, _moved_out_and_linked, _bit_flip, _unreadable, _folder]
)
def test_a_hostile_changed_file_gets_the_full_loads_problems_in_bounded_time(
    folder: Path, cache_home: Path, attack
) -> None:  # type: ignore[no-untyped-def]
    if attack is _unreadable and (sys.platform == "win32" or os.geteuid() == 0):
        pytest.skip("root reads any file")
    if attack is _fifo and not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    before = cache.open_dossier(folder)
    attack(folder / "events.yaml")
    try:
        expected = problems_of(folder)
        with pytest.raises(DossierError) as caught:
            cache.reopen_dossier(folder, before)  # a FIFO is never opened: no hang
        assert list(caught.value.problems) == expected
        assert all("events.yaml" in problem.path for problem in caught.value.problems)
    finally:
        if attack is _unreadable:
            (folder / "events.yaml").chmod(0o644)


def test_a_file_moved_out_and_linked_back_is_not_a_cache_hit(
    folder: Path, cache_home: Path
) -> None:
    """A fresh start shows what `validate` says: the cache's stat check must not follow the
    link to the very file it was built from (same inode, size and mtime)."""
    cache.open_dossier(folder)
    _moved_out_and_linked(folder / "events.yaml")
    expected = problems_of(folder)
    with pytest.raises(DossierError) as caught:
        cache.open_dossier(folder)
    assert list(caught.value.problems) == expected


def test_the_sources_folder_moved_out_and_linked_back_is_not_a_cache_hit(
    folder: Path, cache_home: Path
) -> None:
    """The same through a linked folder: each text's own stat is unchanged."""
    cache.open_dossier(folder)
    outside = folder.parent / "sources-moved-out"
    (folder / "sources").rename(outside)
    (folder / "sources").symlink_to(outside)
    expected = problems_of(folder)
    with pytest.raises(DossierError) as caught:
        cache.open_dossier(folder)
    assert list(caught.value.problems) == expected
