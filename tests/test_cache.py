"""The dossier cache: a hit only when files are unchanged, never inside the dossier folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from dossier_factory import write_dossier

from partnership_tui.model.read.problems import DossierError
from partnership_tui.model.store import dossiercache as cache


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("PARTNERSHIP_TUI_CACHE_DIR", str(home))
    monkeypatch.delenv("PARTNERSHIP_TUI_NO_CACHE", raising=False)
    return home


def count_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    calls: list[Path] = []
    real = cache.full_load

    def counting(root, progress=None, files=None):
        calls.append(Path(root))
        return real(root, progress=progress, files=files)

    monkeypatch.setattr(cache, "full_load", counting)
    return calls


def test_second_load_is_a_hit_and_equal(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_dossier(tmp_path / "d")
    calls = count_loads(monkeypatch)
    first = cache.open_dossier(root)
    second = cache.open_dossier(root)
    assert len(calls) == 1
    assert [r.id for r in second.timeline] == [r.id for r in first.timeline]
    assert second.mentions_of("sam-altman") == first.mentions_of("sam-altman")
    files = sorted(p.name for p in cache_home.iterdir())
    assert files[0].startswith("dossier-") and files[1:] == ["key"]
    assert all((p.stat().st_mode & 0o777) == 0o600 for p in cache_home.iterdir())
    assert not any(p.suffix == ".pickle" for p in root.rglob("*"))


def test_edit_invalidates_touch_does_not(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_dossier(tmp_path / "d")
    calls = count_loads(monkeypatch)
    cache.open_dossier(root)
    people = root / "people.yaml"
    stat = people.stat()
    os.utime(people, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    cache.open_dossier(root)
    assert len(calls) == 1  # same contents: still a hit
    people.write_text(people.read_text().replace("name: Satya Nadella", "name: S. Nadella"))
    assert cache.open_dossier(root)["satya-nadella"].name == "S. Nadella"
    assert len(calls) == 2


def test_invalid_dossier_is_never_served_from_cache(tmp_path: Path, cache_home: Path) -> None:
    root = write_dossier(tmp_path / "d")
    cache.open_dossier(root)
    (root / "products.yaml").write_text("- id: Bad\n")
    with pytest.raises(DossierError):
        cache.open_dossier(root)


def test_corrupt_or_foreign_cache_is_a_miss(tmp_path: Path, cache_home: Path) -> None:
    root = write_dossier(tmp_path / "d")
    cache.open_dossier(root)
    [entry] = list(cache_home.glob("dossier-*"))
    entry.write_bytes(b"not a cache")
    assert cache.open_dossier(root)["openai"].name == "OpenAI"
    [entry] = list(cache_home.glob("dossier-*"))
    entry.chmod(0o666)  # writable by others: not trusted
    assert cache.open_dossier(root)["openai"].name == "OpenAI"


def test_cache_can_be_turned_off(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARTNERSHIP_TUI_NO_CACHE", "1")
    cache.open_dossier(write_dossier(tmp_path / "d"))
    assert not cache_home.exists()


def test_changed_model_code_is_a_miss(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_dossier(tmp_path / "d")
    calls = count_loads(monkeypatch)
    cache.open_dossier(root)
    real_header = cache.model_stamp
    monkeypatch.setattr(cache, "model_stamp", lambda: (*real_header(), "edited loader"))
    cache.open_dossier(root)
    assert len(calls) == 2


def test_fingerprint_names_the_contents(tmp_path: Path, cache_home: Path) -> None:
    root = write_dossier(tmp_path / "d")
    first = cache.open_dossier(root).fingerprint
    assert first is not None and cache.open_dossier(root).fingerprint == first  # warm: same
    people = root / "people.yaml"
    people.write_text(people.read_text() + "\n", encoding="utf-8")
    assert cache.open_dossier(root).fingerprint not in (None, first)


def test_a_failed_cache_write_leaves_nothing_behind(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The payload goes straight into a temp file: a failure half way leaves no temp file and
    no cache, and the dossier still opens."""
    root = write_dossier(tmp_path / "d")
    real_encode = cache.codec.encode
    parts: list[bytes] = []

    def failing(head: object, compact: object):  # type: ignore[no-untyped-def]
        head_bytes = next(iter(real_encode(head, compact)))
        parts.append(head_bytes)
        yield head_bytes  # the header is written, the dossier fails
        raise OSError("disk full")

    monkeypatch.setattr(cache.codec, "encode", failing)
    dossier = cache.open_dossier(root)
    assert len(dossier) > 0 and len(parts) == 1
    assert [p.name for p in cache_home.iterdir()] == ["key"]


def test_a_symlink_at_the_cache_path_is_not_written_through(
    tmp_path: Path, cache_home: Path
) -> None:
    root = write_dossier(tmp_path / "d")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("keep me")
    cache_home.mkdir(mode=0o700)
    cache.cache_path(root.resolve()).symlink_to(elsewhere)
    assert len(cache.open_dossier(root)) > 0
    assert elsewhere.read_text() == "keep me"


def test_cache_folder_override_then_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from partnership_tui.model.store.folders import cache_dir

    monkeypatch.setenv("PARTNERSHIP_TUI_CACHE_DIR", str(tmp_path / "mine"))
    assert cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("PARTNERSHIP_TUI_CACHE_DIR")
    if sys.platform.startswith("linux"):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
        assert cache_dir() == tmp_path / "xdg" / "partnership-tui"
        monkeypatch.delenv("XDG_CACHE_HOME")
        assert cache_dir() == Path.home() / ".cache" / "partnership-tui"


def test_files_differing_names_what_two_opens_read_differently(
    tmp_path: Path, cache_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_dossier(tmp_path / "d")
    first = cache.open_dossier(root)
    people = root / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    (root / "products.yaml").write_text("# none yet\n", encoding="utf-8")  # was absent
    second = cache.open_dossier(root)
    assert cache.files_differing(first, second) == ["people.yaml", "products.yaml"]
    assert cache.files_differing(second, cache.open_dossier(root)) == []
    monkeypatch.setenv("PARTNERSHIP_TUI_NO_CACHE", "1")
    assert cache.files_differing(first, cache.open_dossier(root)) is None  # it does not say


@pytest.mark.parametrize("heap_size", [0, 255, 0xFFFF, 0x10000, 1 << 20])
def test_the_body_written_in_parts_is_msgspecs_own_encoding(heap_size: int) -> None:
    """The cache body is written a field at a time, heaps as they are: the bytes must be
    those of encoding the compact dossier whole, at every size of heap msgpack tells apart."""
    from dataclasses import replace

    from partnership_tui.model import bundled_data_dir
    from partnership_tui.model.dossier.compact import Blobs
    from partnership_tui.model.dossier.load import load_dossier

    compact = load_dossier(bundled_data_dir(), compact=True).to_compact()
    head, *body = cache.codec.encode({"files": []}, compact)
    assert b"".join(body) == cache.codec._ENCODER.encode(compact)
    _, rest = cache.codec.decode_header(memoryview(head + b"".join(body)))
    assert cache.codec.decode_body(rest) == compact
    heap = bytes(range(256)) * (heap_size // 256) + b"q" * (heap_size % 256)
    grown = replace(compact, texts=Blobs(compact.texts.offsets, heap))
    _, *body = cache.codec.encode({}, grown)
    assert b"".join(body) == cache.codec._ENCODER.encode(grown)
