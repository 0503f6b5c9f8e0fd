"""Between launches the app remembers, per dossier, the last place, past searches and the theme."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from partnership_tui.tui import memory
from partnership_tui.tui.screens.search import SearchInput, SearchScreen


async def settle(pilot) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause(0.3)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def first_launch(make_app, wait_ready) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """Go somewhere that is not the first record, search twice, pick a theme, quit."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        first = app.state.selected
        await pilot.press("down", "down", "down")
        await pilot.pause()
        record = app.state.selected
        assert record is not None and record != first
        await pilot.press("4")  # the Excerpts pane
        await pilot.pause()
        for query in ("acme", "globex"):
            await pilot.press("s")
            await pilot.pause()
            app.screen.query_one(SearchInput).value = ""
            await pilot.press(*query, "enter", "escape")
            await settle(pilot)
        assert app.screen is app.main and app.state.selected == record
        app.theme = "gruvbox"
        await pilot.press("q")
    return record, "excerpts"


async def test_relaunch_comes_back_to_the_same_place_searches_and_theme(
    make_app, wait_ready, private_state: Path
) -> None:
    record, pane = await first_launch(make_app, wait_ready)
    assert (private_state / "state.json").is_file()
    assert oct((private_state / "state.json").stat().st_mode & 0o777) == "0o600"
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert app.state.selected == record
        assert app.state.pane == pane
        assert app.theme == "gruvbox"
        assert app.main.entities.highlighted_id == record
        await pilot.press("s")
        await settle(pilot)
        search_input = app.screen.query_one(SearchInput)
        assert isinstance(app.screen, SearchScreen)
        assert search_input.value == "globex"
        await pilot.press("up")
        await settle(pilot)
        assert search_input.value == "acme"


async def test_another_dossier_has_its_own_memory(
    make_app, wait_ready, tmp_path: Path, fixture_dossier: Path
) -> None:
    await first_launch(make_app, wait_ready)
    other = tmp_path / "link-to-same"
    other.symlink_to(fixture_dossier)  # the same folder through a link: the same dossier
    assert memory.load_dossier_memory(other).searches == ["acme", "globex"]
    assert memory.load_dossier_memory(tmp_path).record is None


@pytest.mark.parametrize(
    "damage",
    ["bad json", "wrong types", "huge", "symlink", "fifo", "folder", "bit flip", "foreign"],
)
async def test_a_damaged_state_file_is_ignored(
    make_app, wait_ready, private_state: Path, fixture_dossier: Path, tmp_path: Path, damage: str
) -> None:
    record, _ = await first_launch(make_app, wait_ready)
    state = private_state / "state.json"
    config = private_state / "config.json"
    good = state.read_bytes()
    state.unlink()
    config.unlink()
    if damage == "bad json":
        state.write_bytes(good[: len(good) // 2])
        config.write_text("{theme: gruvbox", encoding="utf-8")
    elif damage == "wrong types":
        key = memory.dossier_key(fixture_dossier)
        entry = {"record": ["x"], "pane": {"a": 1}, "searches": "acme"}
        state.write_text(json.dumps({"version": 1, "dossiers": {key: entry}}), encoding="utf-8")
        config.write_text(json.dumps({"theme": 42}), encoding="utf-8")
    elif damage == "huge":
        state.write_bytes(good[:-1] + b" " * (memory.MAX_BYTES + 10) + b"}")
    elif damage == "symlink":
        target = tmp_path / "elsewhere.json"
        target.write_bytes(good)
        state.symlink_to(target)
    elif damage == "fifo":
        os.mkfifo(state)  # opening it must not block
    elif damage == "folder":
        state.mkdir()
    elif damage == "bit flip":
        flipped = bytearray(good)
        flipped[len(flipped) // 3] ^= 0x80
        state.write_bytes(bytes(flipped))
    elif damage == "foreign":
        state.write_text(json.dumps([1, 2, {"__class__": "os.system"}]), encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        if damage not in ("bit flip",):  # a flip may land in a key, or leave valid JSON
            assert app.state.selected != record  # nothing remembered: the first record
        assert app.state.pane == "entities"
        assert app.theme != "gruvbox"
        await pilot.press("q")
    if damage in ("symlink", "fifo", "folder"):
        assert not state.is_file() or state.is_symlink()  # never written through or over


def test_only_json_is_ever_read(private_state: Path) -> None:
    (private_state / "state.json").write_bytes(b"\x80\x04\x95pickle")
    assert memory.read_json(private_state / "state.json") is None
    assert memory.load_dossier_memory(private_state) == memory.DossierMemory()
