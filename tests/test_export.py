"""Export: JSON quotes are exact slices of the source text; Markdown keeps data literal."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from dossier_factory import FILES, write_dossier

from partnership_tui.model import bundled_data_dir
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


def test_undated_event_shows_its_date_note_on_the_timeline(tmp_path: Path) -> None:
    events = textwrap.dedent(FILES["events.yaml"]).replace(
        "involves: [sam-altman]", "involves: [sam-altman]\n  date_note: |-\n    early\n    1990s"
    )
    dossier = load_dossier(write_dossier(tmp_path, {"events.yaml": events}))
    assert dossier["altman-speaks"].date_note == "early\n1990s"
    text = to_markdown(dossier)
    assert r"- **date unknown \(early 1990s\), reported by 30 Oct 2024** — Altman speaks" in text


def test_json_lists_each_sources_mentions_as_offsets_of_a_name(tmp_path: Path) -> None:
    dossier = load_dossier(write_dossier(tmp_path))
    body = json.loads(to_json(dossier))
    names = {
        r.id: {n.casefold() for n in dossier.names(r)}
        for kind in ("company", "person", "product", "deal")
        for r in dossier.by_kind(kind)
    }
    seen = set()
    for source in body["sources"]:
        assert source["mentions"], source["id"]
        for mention in source["mentions"]:
            assert set(mention) == {"record", "start", "end"}
            found = source["text"][mention["start"] : mention["end"]]
            assert found.casefold() in names[mention["record"]], (mention, found)
            seen.add(mention["record"])
    assert {"microsoft", "openai", "sam-altman", "satya-nadella", "meta"} <= seen
    # "metaphor" is not Meta (match_case, whole words): offsets are the matcher's, not a grep's.
    text = body["sources"][0]["text"]
    metas = [m for m in body["sources"][0]["mentions"] if m["record"] == "meta"]
    assert [text[m["start"] : m["end"]] for m in metas] == ["Meta"]


def test_json_gives_each_stance_its_citations(tmp_path: Path) -> None:
    tensions = """
        - id: t
          name: T
          category: governance
          parties:
            - ref: openai
              stance: led
              citations: [{source: news, exact: Sam Altman leads OpenAI.}]
            - ref: microsoft
              stance: paid
              citations:
                - {source: news, exact: "Microsoft invested $1 billion in OpenAI in 2019."}
          citations: [{source: news, exact: "Sam Altman leads OpenAI."}]
    """
    dossier = load_dossier(write_dossier(tmp_path, {"tensions.yaml": tensions}))
    body = json.loads(to_json(dossier))
    (tension,) = body["tensions"]
    microsoft = next(p for p in tension["parties"] if p["ref"] == "microsoft")
    assert microsoft["role"] == "paid"
    (cite,) = microsoft["citations"]
    assert cite["quote"] == "Microsoft invested $1 billion in OpenAI in 2019."
    text = body["sources"][0]["text"]
    assert text[cite["start"] : cite["end"]] == cite["quote"]
    # The Markdown brief keeps its form: the parties line names each stance.
    assert "OpenAI (led); Microsoft (paid)" in to_markdown(dossier)


@pytest.mark.bundled
def test_bundled_export_mentions_span_names_and_stances_cite() -> None:
    dossier = load_dossier(bundled_data_dir())
    body = json.loads(to_json(dossier))
    names = {
        r.id: {n.casefold() for n in dossier.names(r)}
        for kind in ("company", "person", "product", "deal")
        for r in dossier.by_kind(kind)
    }
    total = 0
    for source in body["sources"]:
        for mention in source["mentions"]:
            found = source["text"][mention["start"] : mention["end"]]
            assert found.casefold() in names[mention["record"]], (source["id"], mention, found)
            total += 1
    assert total == sum(len(dossier.mentions_in(s.id)) for s in dossier.sources) > 0
    for tension in body["tensions"]:
        for party in tension["parties"]:
            assert party["citations"], (tension["id"], party["ref"])
