"""The dossier model: records, strict loading, mentions, search and export. No UI imports here."""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"


def bundled_data_dir() -> Path:
    """The bundled dossier, found beside this package whether installed normally or editable."""
    return Path(__file__).resolve().parent.parent / "data"


def holds_dossier(folder: Path) -> bool:
    """A folder with a dossier.yaml or a sources.yaml: what `new` makes and the loader reads."""
    return (folder / "dossier.yaml").is_file() or (folder / "sources.yaml").is_file()


def dossier_dir(data: Path | None) -> Path:
    """The dossier a command works on: --data; else the current folder when it holds a
    dossier, so an author who has `cd`-ed into theirs need not repeat it; else the bundled one.
    """
    if data is not None:
        return data
    here = Path.cwd()
    return here if holds_dossier(here) else bundled_data_dir()
