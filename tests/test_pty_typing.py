"""Typing as a person types, in a real terminal: a word in one write, a bracketed paste, a held key.

Each case starts the app in a pseudo-terminal (tests/ptydrive.py), types, ends
with ctrl+q and reads back exactly what each text box held. The filter key is
`/`, search is `s`, the palette ctrl+p: whatever follows them in the same write
must land in the box they open, every letter of it.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import pytest
from ptydrive import DOWN, ESCAPE, paste, run_app_probe

from partnership_tui.model import bundled_data_dir

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")

# Words that lost letters to single-key commands before (n, g, q, s, t ...).
WORDS = ["nadella", "inflection", "tension", "google", "quantum", "1234/?*", "jkgGnN"]


@pytest.mark.parametrize("word", WORDS)
def test_a_word_typed_in_one_write_reaches_the_filter(word: str, tmp_path: Path) -> None:
    state = run_app_probe(bundled_data_dir(), [b"/" + word.encode()], tmp_path)
    assert state["filter"] == word
    assert state["screen"] == "MainScreen"


@pytest.mark.parametrize("word", ["nadella", "google quantum"])
def test_a_bracketed_paste_reaches_the_filter(word: str, tmp_path: Path) -> None:
    state = run_app_probe(bundled_data_dir(), [b"/" + paste(word)], tmp_path)
    assert state["filter"] == word


def test_a_paste_in_the_list_starts_the_filter(tmp_path: Path) -> None:
    state = run_app_probe(bundled_data_dir(), [paste("nadella")], tmp_path)
    assert state["filter"] == "nadella"


def test_search_key_and_query_in_one_write(tmp_path: Path) -> None:
    state = run_app_probe(bundled_data_dir(), [b"sagi"], tmp_path)
    assert state["screen"] == "SearchScreen"
    assert state["search"] == "agi"
    assert state["filter"] == ""  # nothing leaked into the Entities filter


def test_search_by_paste(tmp_path: Path) -> None:
    state = run_app_probe(bundled_data_dir(), [b"s" + paste('"exclusive cloud" -oracle')], tmp_path)
    assert state["search"] == '"exclusive cloud" -oracle'


def test_reopened_search_replaces_the_last_query(tmp_path: Path) -> None:
    writes: list[bytes | float] = [b"sagi", 0.5, ESCAPE, 0.5, b"sgpt"]
    state = run_app_probe(bundled_data_dir(), writes, tmp_path)
    assert state["search"] == "gpt"


def test_palette_key_and_query_in_one_write(tmp_path: Path) -> None:
    state = run_app_probe(bundled_data_dir(), [b"\x10azure"], tmp_path)
    assert state["palette"] == "azure"


def _synthetic(tmp_path: Path) -> Path:
    """A dossier with thousands of rows, made by the benchmark generator."""
    root = str(Path(__file__).resolve().parent.parent)
    if root not in sys.path:
        sys.path.insert(0, root)
    synth = importlib.import_module("benchmarks.synth")
    out = tmp_path / "dossier"
    synth.generate(out, synth.spec_for("small", seed=2, entities=400, events=2600, sources=20))
    return out


def test_held_down_key_lands_where_slow_keys_land(tmp_path: Path) -> None:
    data = _synthetic(tmp_path)
    # 2,000 downs in one write on the timeline: every one moves the highlight one row.
    (tmp_path / "burst").mkdir()
    (tmp_path / "slow").mkdir()
    (tmp_path / "fast").mkdir()
    burst = run_app_probe(data, [b"3", 0.3, DOWN * 2000, 1.5], tmp_path / "burst")
    assert burst["timeline_row"] == 1999  # nothing highlighted there before: ↓ 1 is row 0
    # The Entities list has headings between kinds: compare with the same keys sent slowly.
    slow_writes: list[bytes | float] = [b"1", 0.3]
    slow_writes += [DOWN] * 120
    slow = run_app_probe(data, slow_writes, tmp_path / "slow", key_quiet=0.04)
    fast = run_app_probe(data, [b"1", 0.3, DOWN * 120, 1.5], tmp_path / "fast")
    assert fast["entities_row"] == slow["entities_row"]
    assert fast["selected"] == slow["selected"]


def test_enter_then_a_pane_key_in_one_write(tmp_path: Path) -> None:
    """Enter leaves the filter at once: the 4 typed right after it switches panes."""
    state = run_app_probe(bundled_data_dir(), [b"/nadella\r4"], tmp_path)
    assert state["filter"] == "nadella"
    assert state["focused"] == "ExcerptsList"
    assert state["selected"] == "satya-nadella"


def test_down_then_enter_in_search_in_one_write(tmp_path: Path) -> None:
    writes: list[bytes | float] = [b"sgpt", 1.0, DOWN + b"\r"]
    state = run_app_probe(bundled_data_dir(), writes, tmp_path)
    assert state["screen"] == "MainScreen"
    assert state["selected"] is not None and "gpt" in str(state["selected"])


@pytest.mark.parametrize("word", ["nadella", "quantum"])
def test_filter_key_and_word_in_one_write_from_the_overview(word: str, tmp_path: Path) -> None:
    """A first launch opens on the overview: `/` and a word in one burst fill the filter."""
    state = run_app_probe(bundled_data_dir(), [b"/" + word.encode()], tmp_path, from_overview=True)
    assert state["screen"] == "MainScreen"
    assert state["filter"] == word


def test_a_paste_on_the_overview_fills_the_filter(tmp_path: Path) -> None:
    state = run_app_probe(bundled_data_dir(), [paste("inflection")], tmp_path, from_overview=True)
    assert state["screen"] == "MainScreen"
    assert state["filter"] == "inflection"
    assert state["focused"] == "FilterInput"


def test_search_key_and_word_in_one_write_from_the_overview(tmp_path: Path) -> None:
    state = run_app_probe(bundled_data_dir(), [b"sgoogle"], tmp_path, from_overview=True)
    assert state["screen"] == "SearchScreen"
    assert state["search"] == "google"
