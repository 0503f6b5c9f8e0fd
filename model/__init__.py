"""The dossier model: records, strict loading, mentions, search and export. No UI imports here."""

from __future__ import annotations

from pathlib import Path

__version__ = "0.1.0"


def bundled_data_dir() -> Path:
    """The bundled dossier, found beside this package whether installed normally or editable."""
    return Path(__file__).resolve().parent.parent / "data"
