"""Shared fixtures: the small fictional dossier under tests/fixtures, and app helpers.

App tests run against `tests/fixtures/dossier` so that edits to the bundled
data never break them; only tests marked `bundled` read the real dossier.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

FIXTURE_DOSSIER = Path(__file__).parent / "fixtures" / "dossier"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "bundled: needs the bundled dossier to load")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run tests of the bundled dossier last: it is the data most likely to be mid-edit."""
    items.sort(key=lambda item: item.get_closest_marker("bundled") is not None)


@pytest.fixture(autouse=True)
def private_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own dossier cache: none reads or writes the user's ~/.cache."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("PARTNERSHIP_TUI_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def private_state(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own state and config folder: none reads or writes the user's."""
    folder = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("PARTNERSHIP_TUI_STATE_DIR", str(folder))
    monkeypatch.delenv("PARTNERSHIP_TUI_CONFIG_DIR", raising=False)
    return folder


@pytest.fixture(autouse=True)
def no_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps in tests do not watch their folder (a watcher never finishes, and tests that
    wait for every worker would wait for ever); the live-reload tests turn it back on."""
    monkeypatch.setenv("PARTNERSHIP_TUI_NO_WATCH", "1")


@pytest.fixture
def fixture_dossier() -> Path:
    return FIXTURE_DOSSIER


@pytest.fixture
def make_app(fixture_dossier: Path) -> Callable[..., object]:
    """Build the app on a dossier folder (the fixture dossier by default)."""
    from partnership_tui.tui.app import PartnershipApp

    def make(data_dir: Path | None = None) -> PartnershipApp:
        return PartnershipApp(data_dir or fixture_dossier)

    return make


@pytest.fixture
def wait_ready() -> Callable[..., Awaitable[None]]:
    """Wait until the dossier has loaded, then step past the overview to the panes."""

    async def wait(pilot, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
        app = pilot.app
        # The folder watcher (live reload) never finishes: wait for every other worker.
        others = [worker for worker in app.workers if worker.group != "watch"]
        if others:  # (an empty list would mean every worker)
            await app.workers.wait_for_complete(others)
        waited = 0.0
        while waited < timeout and app.screen.id != "problems":
            if app.ready and app.focused is not None:
                break
            await pilot.pause(0.02)
            waited += 0.02
        if app.screen.id == "overview":  # a first launch opens on the overview: to the panes
            await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()

    return wait
