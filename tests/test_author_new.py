"""`new`: an empty dossier that loads, whose schema lines resolve from its own folder."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from partnership_tui.model import bundled_data_dir
from partnership_tui.model.author import AuthoringError
from partnership_tui.model.author.scaffold import KIND_FILES, new_dossier
from partnership_tui.model.dossier.load import load_dossier

SCHEMA_LINE = "# yaml-language-server: $schema="


def test_new_dossier_loads_empty_with_its_title(tmp_path: Path) -> None:
    made = new_dossier(tmp_path / "nvidia-tsmc", title='Nvidia and TSMC: a "foundry" bond')
    dossier = load_dossier(made.root)
    assert len(dossier) == 0
    assert dossier.title == 'Nvidia and TSMC: a "foundry" bond'
    assert (made.root / "sources").is_dir()
    assert list((made.root / "sources").iterdir()) == []
    assert made.next_steps and "add-source" in made.next_steps[0]


def test_title_defaults_to_the_folder_name(tmp_path: Path) -> None:
    made = new_dossier(tmp_path / "nvidia-tsmc")
    assert load_dossier(made.root).title == "Nvidia tsmc"


def test_every_file_names_a_schema_that_exists_from_its_folder(tmp_path: Path) -> None:
    made = new_dossier(tmp_path / "d")
    for name in ("dossier.yaml", *KIND_FILES):
        first = (made.root / name).read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith(SCHEMA_LINE), name
        schema = made.root / first[len(SCHEMA_LINE) :]
        assert schema.is_file(), f"{name} points at {schema}"
        assert json.loads(schema.read_text(encoding="utf-8"))["$schema"].startswith("http")


def test_schemas_are_the_bundled_ones_byte_for_byte(tmp_path: Path) -> None:
    made = new_dossier(tmp_path / "d")
    bundled = sorted((bundled_data_dir() / "schema").glob("*.json"))
    assert bundled
    for schema in bundled:
        assert (made.root / "schema" / schema.name).read_bytes() == schema.read_bytes()


def test_an_existing_empty_folder_is_used(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    new_dossier(folder)
    assert (folder / "dossier.yaml").is_file()


@pytest.mark.parametrize("planted", ["notes.txt", ".hidden", "sub/"])
def test_a_folder_that_is_not_empty_is_refused_and_left_alone(tmp_path: Path, planted: str) -> None:
    folder = tmp_path / "busy"
    folder.mkdir()
    if planted.endswith("/"):
        (folder / planted).mkdir()
    else:
        (folder / planted).write_text("mine")
    before = sorted(p.name for p in folder.iterdir())
    with pytest.raises(AuthoringError) as refused:
        new_dossier(folder)
    assert "not empty" in refused.value.report()
    assert sorted(p.name for p in folder.iterdir()) == before


def test_a_file_in_the_way_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "taken"
    path.write_text("x")
    with pytest.raises(AuthoringError, match="not a folder"):
        new_dossier(path)
    assert path.read_text() == "x"


def test_a_title_with_control_characters_is_refused_before_anything_is_made(
    tmp_path: Path,
) -> None:
    with pytest.raises(AuthoringError, match="U\\+001B"):
        new_dossier(tmp_path / "d", title="evil \x1b[2J title")
    assert not (tmp_path / "d").exists()


def test_files_get_the_usual_permissions(tmp_path: Path) -> None:
    made = new_dossier(tmp_path / "d")
    mode = (made.root / "dossier.yaml").stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask
