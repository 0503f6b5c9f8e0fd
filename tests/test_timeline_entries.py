"""A dated deal, and a tension with a start, are on the timeline without an event of their
own; one an event already stands for (same date, related) is not there twice."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from dossier_factory import CITE, FILES, write_dossier

from partnership_tui.model.dossier.load import load_dossier
from partnership_tui.model.export.formats import to_markdown


def base(name: str) -> str:
    return textwrap.dedent(FILES[name]).lstrip("\n")


EXTRA_DEALS = (
    '- id: cloud-2021\n  name: Cloud deal\n  type: cloud\n  date: "2021-03"\n'
    "  parties: [{ref: microsoft, role: provider}, {ref: openai, role: customer}]\n"
    + CITE
    + "- id: undated-deal\n  name: Someday deal\n"
    "  parties: [{ref: microsoft, role: a}, {ref: openai, role: b}]\n" + CITE
)
STANCE_CITE = "citations: [{source: news, exact: Sam Altman leads OpenAI.}]"
PARTIES = (
    f"  parties: [{{ref: microsoft, stance: a, {STANCE_CITE}}},"
    f" {{ref: openai, stance: b, {STANCE_CITE}}}]\n"
)
TENSIONS = (
    '- id: rivalry\n  name: Rivalry\n  start: "2020"\n'
    + PARTIES
    + CITE
    + "- id: quiet\n  name: Quiet strain\n"
    + PARTIES
    + CITE
)


@pytest.fixture(params=[False, True], ids=["objects", "compact"])
def dossier(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    root = write_dossier(
        tmp_path,
        {"deals.yaml": base("deals.yaml") + EXTRA_DEALS, "tensions.yaml": TENSIONS},
    )
    return load_dossier(root, compact=request.param)


def test_dated_deals_and_started_tensions_are_placed_among_the_events(dossier) -> None:  # type: ignore[no-untyped-def]
    assert dossier.timeline_entry_ids == (
        # "first-investment" (2019) is stood for by "investment-announced": same date, related
        "investment-announced",  # 2019
        "rivalry",  # 2020, a tension by its start
        "cloud-2021",  # 2021-03, a deal with no event of its own
        "altman-speaks",  # undated
    )
    assert dossier.timeline_ids == ("investment-announced", "altman-speaks")  # events only


def test_markdown_timeline_marks_deals_and_tensions(dossier) -> None:  # type: ignore[no-untyped-def]
    timeline = to_markdown(dossier).split("## Timeline")[1].split("\n## ")[0]
    assert "- **2020** — Rivalry *(tension begins)*" in timeline
    assert "- **Mar 2021** — Cloud deal *(deal)*" in timeline
    assert "Someday deal" not in timeline and "Quiet strain" not in timeline
