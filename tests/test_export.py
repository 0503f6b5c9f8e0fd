"""Export: JSON quotes are exact slices of the source text; Markdown keeps data literal."""

from __future__ import annotations

import json
from pathlib import Path

from dossier_factory import write_dossier

from partnership_tui.model.dossier.load import load_dossier
from partnership_tui.model.export.formats import to_json, to_markdown


def walk_citations(value: object):
    if isinstance(value, dict):
        if set(value) == {"source", "quote", "start", "end"}:
            yield value
        for item in value.values():
            yield from walk_citations(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk_citations(item)


def test_json_quotes_equal_text_slices(tmp_path: Path) -> None:
    dossier = load_dossier(write_dossier(tmp_path))
    body = json.loads(to_json(dossier))
    texts = {s["id"]: s["text"] for s in body["sources"]}
    citations = list(walk_citations(body))
    assert len(citations) >= 8
    for citation in citations:
        assert texts[citation["source"]][citation["start"] : citation["end"]] == citation["quote"]
    deal = next(d for d in body["deals"] if d["id"] == "first-investment")
    assert deal["kind"] == "deal"
    assert deal["amount"] == {
        "value": 1000000000,
        "currency": "USD",
        "text": "$1 billion",
        "approximate": False,
    }
    assert deal["date"] == "2019"
    person = next(p for p in body["people"] if p["id"] == "sam-altman")
    assert person["roles"][0]["citations"][0]["quote"] == "Sam Altman leads OpenAI."


def test_markdown_brief_quotes_each_fact_and_escapes_data(tmp_path: Path) -> None:
    sources = '- id: news\n  title: "Title with [bold]markup[/] and *stars*"\n'
    dossier = load_dossier(write_dossier(tmp_path, {"sources.yaml": sources}))
    text = to_markdown(dossier)
    assert "## Timeline" in text and "- **2019** — Investment announced" in text
    assert "> Microsoft invested $1 billion in OpenAI in 2019." in text
    assert "\\[bold\\]markup\\[/\\] and \\*stars\\*" in text
    assert "- **CEO**, OpenAI" in text


def test_undated_event_is_bounded_by_its_dated_source(tmp_path: Path) -> None:
    dossier = load_dossier(write_dossier(tmp_path))
    assert dossier["altman-speaks"].date is None
    assert dossier.reported_by("altman-speaks").id == "news"
    text = to_markdown(dossier)
    assert "- **date unknown, reported by 30 Oct 2024** — Altman speaks" in text
