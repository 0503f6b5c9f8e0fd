"""`new`: a dossier folder that validates from the first minute, and tells what to do next."""

from __future__ import annotations

import os
import shlex
import stat
from dataclasses import dataclass
from pathlib import Path

from .. import bundled_data_dir
from ..build.records import KIND_PLURALS
from ..read.problems import Problem
from ..store.atomic import atomic_write
from . import AuthoringError
from .yamltext import clean_field, yaml_scalar

# The files of a dossier, in the order FORMAT.md lists them.
KIND_FILES = tuple(f"{plural}.yaml" for plural in KIND_PLURALS.values())
SCHEMA_DIR = "schema"


def schema_line(file_name: str) -> str:
    """The first line of a dossier file: where an editor finds its schema, from that folder."""
    return f"# yaml-language-server: $schema={SCHEMA_DIR}/{file_name[:-5]}.schema.json\n"


@dataclass(frozen=True, slots=True)
class NewDossier:
    root: Path
    files: tuple[Path, ...]  # every file written, dossier.yaml first
    next_steps: tuple[str, ...]  # what to do next, as commands to run


def new_dossier(root: str | Path, title: str | None = None) -> NewDossier:
    """Create a dossier in `root` (made if missing; refused unless empty).

    Writes dossier.yaml with the title (the folder's name by default), an empty
    file for every kind, each starting with its schema line, a copy of the
    bundled JSON Schemas in schema/ (so that line resolves from this folder)
    and an empty sources/ folder. The result loads as an empty dossier.
    """
    folder = Path(root)
    title = clean_field("--title", title or "") or _title_from(folder)
    _check_empty(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    meta = schema_line("dossier.yaml") + f"title: {yaml_scalar(title)}\n"
    written.append(atomic_write(folder / "dossier.yaml", meta))
    for name in KIND_FILES:
        written.append(atomic_write(folder / name, schema_line(name)))
    (folder / SCHEMA_DIR).mkdir(exist_ok=True)
    for schema in sorted((bundled_data_dir() / SCHEMA_DIR).glob("*.schema.json")):
        written.append(atomic_write(folder / SCHEMA_DIR / schema.name, schema.read_bytes()))
    (folder / "sources").mkdir(exist_ok=True)
    data = shlex.quote(str(folder))
    return NewDossier(
        root=folder,
        files=tuple(written),
        next_steps=(
            f"partnership-tui add-source ARTICLE.txt --id ID --title TITLE "
            f"--published YYYY-MM-DD --data {data}",
            f"partnership-tui cite ID 'a sentence of the article' --data {data}",
            f"partnership-tui gaps --data {data}",
            f"partnership-tui --data {data}",
        ),
    )


def _check_empty(folder: Path) -> None:
    """Refuse anything but a missing path or an empty folder, before anything is written."""
    try:
        info = folder.stat()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise AuthoringError(
            [Problem(str(folder), 1, 1, f"cannot use this folder: {exc.strerror}")]
        ) from None
    if not stat.S_ISDIR(info.st_mode):
        raise AuthoringError(
            [Problem(str(folder), 1, 1, "exists and is not a folder", "choose a new folder name")]
        )
    try:
        with os.scandir(folder) as entries:
            found = sorted(entry.name for entry in entries)
    except OSError as exc:
        raise AuthoringError(
            [Problem(str(folder), 1, 1, f"cannot list this folder: {exc.strerror}")]
        ) from None
    if found:
        shown = ", ".join(found[:3]) + (", ..." if len(found) > 3 else "")
        raise AuthoringError(
            [
                Problem(
                    str(folder),
                    1,
                    1,
                    f"folder is not empty (holds {shown})",
                    "a new dossier needs an empty or new folder; nothing was written",
                )
            ]
        )


def _title_from(folder: Path) -> str:
    name = folder.resolve().name.replace("-", " ").replace("_", " ").strip()
    return name[:1].upper() + name[1:] if name else "Untitled dossier"
