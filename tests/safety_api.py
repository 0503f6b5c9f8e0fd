"""The model's public entry points the safety tests drive in-process: open a dossier through
its cache, open its search index through its cache, export and search."""

from __future__ import annotations

import os
from pathlib import Path

from partnership_tui.model.export.formats import to_json
from partnership_tui.model.search.indexcache import open_index
from partnership_tui.model.store.dossiercache import open_dossier

__all__ = ["answers", "clean_answers", "open_dossier", "open_index"]

QUERIES = ("harbor", "acme globex", '"cloud deal"', "kind:person acme", "glob*")


def answers(root: Path) -> tuple[str, list[str]]:
    """The dossier's JSON export and its search answers, opened through the caches."""
    dossier = open_dossier(root)
    index = open_index(dossier)
    try:
        hits = [repr(index.search(query, limit=50)) for query in QUERIES]
    finally:
        index.close()
    return to_json(dossier), hits


def clean_answers(root: Path) -> tuple[str, list[str]]:
    previous = os.environ.get("PARTNERSHIP_TUI_NO_CACHE")
    os.environ["PARTNERSHIP_TUI_NO_CACHE"] = "1"
    try:
        return answers(root)
    finally:
        if previous is None:
            del os.environ["PARTNERSHIP_TUI_NO_CACHE"]
        else:
            os.environ["PARTNERSHIP_TUI_NO_CACHE"] = previous
