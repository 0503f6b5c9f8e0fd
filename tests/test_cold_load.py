"""A large file read in pieces (each let go once read) loads as the whole text does.

The loader hands files above `PIECES_FROM` to the fast reader as `Pieces`; a file
the fast reader refuses is then read again from disk for libyaml, since the pieces
are gone. These tests read every file that way (`PIECES_FROM = 0`) and compare
the dossier, and every problem with its path:line:col, with the ordinary load.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_DOSSIER
from test_dossier import _comparable, _synthetic

from partnership_tui.model import bundled_data_dir
from partnership_tui.model.dossier import load as loader
from partnership_tui.model.dossier.load import load_dossier
from partnership_tui.model.read.problems import DossierError


def _problems(root: Path) -> list[str]:
    with pytest.raises(DossierError) as raised:
        load_dossier(root, compact=True)
    return [f"{p.path}:{p.line}:{p.col}: {p.message} ({p.hint})" for p in raised.value.problems]


@pytest.mark.parametrize("which", ["fixture", "synthetic", "bundled"])
def test_pieces_load_the_same_dossier(
    which: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = {"fixture": FIXTURE_DOSSIER, "bundled": bundled_data_dir()}.get(which)
    root = root or _synthetic(tmp_path)
    whole = load_dossier(root, compact=True)
    monkeypatch.setattr(loader, "PIECES_FROM", 0)
    pieces = load_dossier(root, compact=True)
    assert _comparable(pieces.to_compact()) == _comparable(whole.to_compact())


BROKEN = {
    "anchor": ("- id: roe-declines\n", "- id: &a roe-declines\n"),
    "tab": ("  name: Roe declines to comment\n", "\tname: Roe declines to comment\n"),
    "duplicate key": ("  name: Roe declines to comment\n", "  name: Roe\n  name: Roe again\n"),
    "syntax": ("  involves: [jane-roe]\n", "  involves: [jane-roe\n"),
    "unknown id": ("  involves: [jane-roe]\n", "  involves: [jane-doe]\n"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_pieces_keep_every_problem_exact(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "dossier"
    shutil.copytree(FIXTURE_DOSSIER, root)
    events = root / "events.yaml"
    old, new = BROKEN[case]
    text = events.read_text(encoding="utf-8")
    assert old in text
    events.write_text(text.replace(old, new, 1), encoding="utf-8")
    whole = _problems(root)
    monkeypatch.setattr(loader, "PIECES_FROM", 0)
    assert _problems(root) == whole
    assert any("events.yaml" in problem for problem in whole)
