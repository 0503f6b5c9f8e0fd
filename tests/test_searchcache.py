"""The search index cached on disk: a hit answers as a fresh build, any doubt is a rebuild."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from bm25_reference import PythonBackend
from test_search import _many_passages

from partnership_tui.model.dossier.dossier import Dossier
from partnership_tui.model.search import index as search_module
from partnership_tui.model.search import indexcache as searchcache
from partnership_tui.model.search.index import SearchIndex
from partnership_tui.model.search.results import SearchResults

QUERIES = (
    "alpha",
    "filler",
    '"alpha beta"',
    "gam*",
    "omega -beta",
    "alpha source:s2",
    "delta before:2021",
    "opened kind:event",
    "person3",
    "office cloud",
)


@pytest.fixture(autouse=True)
def small_ahead(monkeypatch: pytest.MonkeyPatch, private_cache: Path) -> None:
    """Common words at this size too, so that the ranked-ahead lists are cached and used."""
    monkeypatch.setattr(search_module, "_AHEAD_ROWS", 20)
    monkeypatch.setattr(search_module, "_AHEAD_LIMIT", 8)
    monkeypatch.setattr(search_module, "_SAMPLE_STEP", 1)
    monkeypatch.delenv("PARTNERSHIP_TUI_NO_CACHE", raising=False)


def _dossier(fingerprint: str | None = "f" * 32) -> Dossier:
    dossier = _many_passages()
    dossier.fingerprint = fingerprint
    return dossier


def _answer(results: SearchResults) -> tuple[object, ...]:
    return (
        results.total_records,
        results.total_passages,
        [(h.record_id, h.field, h.snippet, h.score) for h in results.records],
        [(h.source_id, h.start, h.end, h.highlights, h.snippet, h.score) for h in results.passages],
    )


def _cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("search-*.sqlite"))


def test_a_hit_answers_exactly_as_a_fresh_build(private_cache: Path) -> None:
    dossier = _dossier()
    first = searchcache.open_index(dossier)
    assert not first.from_cache
    (path,) = _cache_files(private_cache)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    cached = searchcache.open_index(_dossier())
    assert cached.from_cache and cached.backend == "fts5"
    assert cached.parts() == first.parts() and cached.parts().ahead
    fresh = SearchIndex.build(_dossier())
    python = SearchIndex.build(_dossier(), engine=PythonBackend())  # type: ignore[arg-type]
    for text in QUERIES:
        for limit in (1, 5, 50):
            got = cached.search(text, limit=limit)
            assert _answer(got) == _answer(fresh.search(text, limit=limit)), (text, limit)
            slow = python.search(text, limit=limit)
            assert [(h.source_id, h.start) for h in got.passages] == [
                (h.source_id, h.start) for h in slow.passages
            ]
            assert [h.record_id for h in got.records] == [h.record_id for h in slow.records]
            assert got.total == slow.total


def test_a_changed_dossier_or_search_code_is_a_miss(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    searchcache.open_index(_dossier("a" * 32))
    assert not searchcache.open_index(_dossier("b" * 32)).from_cache
    assert len(_cache_files(private_cache)) == 2
    monkeypatch.setattr(searchcache, "_code_stamp", lambda: "another version of search.py")
    assert not searchcache.open_index(_dossier("a" * 32)).from_cache


def test_no_fingerprint_no_cache(private_cache: Path) -> None:
    assert not searchcache.open_index(_dossier(None)).from_cache
    assert _cache_files(private_cache) == []


def test_no_cache_env_disables_it(private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    searchcache.open_index(_dossier())
    monkeypatch.setenv("PARTNERSHIP_TUI_NO_CACHE", "1")
    assert not searchcache.open_index(_dossier()).from_cache  # not read
    for path in _cache_files(private_cache):
        path.unlink()
    searchcache.open_index(_dossier())
    assert _cache_files(private_cache) == []  # not written


def _spoil(path: Path, how: str) -> None:
    data = bytearray(path.read_bytes())
    if how == "flip":
        data[len(data) // 2] ^= 0x40
    elif how == "truncate":
        data = data[: len(data) // 3]
    elif how == "garbage":
        data = bytearray(b"not a database at all" * 100)
    elif how == "header":
        data[60] ^= 1  # the checksum itself
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["flip", "truncate", "garbage", "header"])
def test_a_corrupt_file_is_a_miss_and_is_rebuilt(private_cache: Path, how: str) -> None:
    searchcache.open_index(_dossier())
    (path,) = _cache_files(private_cache)
    _spoil(path, how)
    rebuilt = searchcache.open_index(_dossier())
    assert not rebuilt.from_cache
    assert rebuilt.search("alpha").total > 0
    assert searchcache.open_index(_dossier()).from_cache  # rewritten whole


def test_another_dossiers_file_under_this_name_is_a_miss(private_cache: Path) -> None:
    searchcache.open_index(_dossier("a" * 32))
    (path,) = _cache_files(private_cache)
    other = searchcache.index_key(_dossier("b" * 32))
    assert other is not None
    os.replace(path, searchcache.index_path(other))  # valid checksum, wrong key inside
    assert not searchcache.open_index(_dossier("b" * 32)).from_cache


def test_a_world_writable_file_is_a_miss(private_cache: Path) -> None:
    searchcache.open_index(_dossier())
    (path,) = _cache_files(private_cache)
    path.chmod(0o666)
    assert not searchcache.open_index(_dossier()).from_cache


def test_a_foreign_file_is_a_miss(private_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    searchcache.open_index(_dossier())
    real = os.getuid()
    monkeypatch.setattr(searchcache.os, "getuid", lambda: real + 1)
    assert searchcache.load(_dossier()) is None


def test_a_symlink_is_not_followed(private_cache: Path, tmp_path: Path) -> None:
    searchcache.open_index(_dossier())
    (path,) = _cache_files(private_cache)
    elsewhere = tmp_path / "elsewhere.sqlite"
    os.replace(path, elsewhere)
    path.symlink_to(elsewhere)
    assert searchcache.load(_dossier()) is None


def test_only_the_most_recently_used_files_are_kept(
    private_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(searchcache, "KEEP", 2)
    for n, letter in enumerate("abc"):
        searchcache.open_index(_dossier(letter * 32))
        for path in _cache_files(private_cache):  # older mtimes for the earlier ones
            if path != searchcache.index_path(searchcache.index_key(_dossier(letter * 32)) or ""):
                os.utime(path, ns=(n, n))
    names = {p.name for p in _cache_files(private_cache)}
    keys = [searchcache.index_key(_dossier(x * 32)) for x in "bc"]
    assert names == {f"search-{key}.sqlite" for key in keys}


def test_end_to_end_from_a_loaded_dossier(private_cache: Path) -> None:
    from conftest import FIXTURE_DOSSIER

    from partnership_tui.model.store.dossiercache import open_dossier

    dossier = open_dossier(FIXTURE_DOSSIER)
    assert dossier.fingerprint
    built = searchcache.open_index(dossier)
    warm = open_dossier(FIXTURE_DOSSIER)
    again = searchcache.open_index(warm)
    assert (built.from_cache, again.from_cache) == (False, True)
    assert not warm.built_ids()  # opening built no record, not even a source
    for text in ("Roe", "the", "a*", '"in the"'):
        assert _answer(again.search(text)) == _answer(built.search(text))


def test_a_cache_that_cannot_be_written_is_no_cache(private_cache: Path) -> None:
    key = searchcache.index_key(_dossier())
    assert key is not None
    searchcache.index_path(key).mkdir(parents=True)  # a folder where the file would go
    index = searchcache.open_index(_dossier())
    assert not index.from_cache and index.search("alpha").total > 0
