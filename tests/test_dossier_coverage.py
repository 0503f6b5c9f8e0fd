"""The bundled dossier misses no fact: every sentence that carries one is cited or linked.

Each article is walked sentence by sentence. A sentence that carries a figure,
a date or a proper name must be cited by some record or name an entity of the
dossier; a sentence with a money figure or a year must be cited outright. The
few sentences that are deliberately not facts (page furniture, navigation,
generic commentary) are listed below, each with its reason.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from partnership_tui.model import bundled_data_dir
from partnership_tui.model.dossier.dossier import Dossier
from partnership_tui.model.dossier.load import load_dossier

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
FIGURE = re.compile(r"\$\s?\d|\d+(\.\d+)?\s?(%|percent|billion|million)|\b\d{3,}\b")
YEAR = re.compile(r"\b(19|20)\d{2}\b")
DATE_WORDS = re.compile(rf"\b({MONTHS})\b")
# A capitalised word that is not the sentence's first word, nor a list/heading marker.
# "AI" is the articles' common noun, not a name.
PROPER = re.compile(r"(?<!^)(?<![.!?:]\s)(?<!^- )\b(?!AI\b)[A-Z][a-zA-Z]+")

# Sentences that carry a number, date or capitalised word but state no fact of the dossier.
NOT_FACTS: dict[str, str] = {
    "- Talent Mobility: The flow of researchers between companies and academia continues to "
    "shape the field": "generic industry lesson; names no party",
    "The Genesis of a Pioneering Partnership": "section heading: navigation, states nothing",
    "The Broader Implications for AI Collaboration": "section heading: navigation, states nothing",
    "Navigating the Future of AI Partnerships": "section heading: navigation, states nothing",
    "The Genesis of a Powerful Alliance": "section heading: navigation, states nothing",
    "Emerging Tensions and Challenges": "section heading: navigation, states nothing",
    # Run into the sentence before it ("market.Emerging") by the page extraction.
    "Emerging Tensions and Diverging Paths": "section heading: navigation, states nothing",
    "1. Strategic Priorities and Control": "section heading: navigation, states nothing",
    "2. Resource Allocation and Competition": "section heading: navigation, states nothing",
    "3. Regulatory Scrutiny": "section heading: navigation, states nothing",
    "Technical and Infrastructure Challenges": "section heading: navigation, states nothing",
    "The Competitive Landscape": "section heading: navigation, states nothing",
    "| Competitor | Key AI Initiatives | Strategic Advantages |": "table header row: column names, no data",
    "Future Outlook and Potential Scenarios": "section heading: navigation, states nothing",
    "Lessons for the AI Industry": "section heading: navigation, states nothing",
    "- Open vs. Proprietary Approaches: The industry continues to debate the merits of different development models": "generic industry lesson; names no party",
    "Subscribe to our newsletter and follow us on\xa0Twitter.": "site boilerplate (newsletter sign-up)",
    "October 30, 2024, 10:43 pm": "the article's dateline: recorded as the source's published date, which carries no citation",
}


@cache
def bundled() -> Dossier:
    return load_dossier(bundled_data_dir())


def covered_spans(dossier: Dossier, source_id: str) -> tuple[list[tuple[int, int]], set[int]]:
    cited = [(c.start, c.end) for _, c in dossier.citations_in(source_id)]
    mentioned = {m.start for m in dossier.mentions_in(source_id)}
    return cited, mentioned


def overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(start < span[1] and span[0] < end for start, end in spans)


def uncovered_sentences() -> list[tuple[str, str, str]]:
    dossier = bundled()
    out = []
    for source in dossier.sources:
        cited, mentioned = covered_spans(dossier, source.id)
        for start, end in source.sentences:
            sentence = source.text[start:end]
            if sentence in NOT_FACTS:
                continue
            is_cited = overlaps((start, end), cited)
            has_mention = any(start <= m < end for m in mentioned)
            if (FIGURE.search(sentence) or YEAR.search(sentence)) and not is_cited:
                out.append((source.id, sentence, "figure or year, not cited"))
            elif (DATE_WORDS.search(sentence) or PROPER.search(sentence)) and not (
                is_cited or has_mention
            ):
                out.append((source.id, sentence, "date or name, neither cited nor linked"))
    return out


def test_every_fact_bearing_sentence_is_cited_or_linked() -> None:
    missing = uncovered_sentences()
    report = "\n".join(f"[{source}] ({why}) {sentence!r}" for source, sentence, why in missing)
    assert not missing, f"{len(missing)} sentence(s) carry a fact the dossier misses:\n{report}"


def test_not_facts_are_real_sentences_of_the_articles() -> None:
    """The allowance list must not rot: each entry is still a sentence of some article."""
    dossier = bundled()
    sentences = {
        source.text[start:end] for source in dossier.sources for start, end in source.sentences
    }
    stale = [s for s in NOT_FACTS if s not in sentences]
    assert not stale, stale


@pytest.mark.parametrize(
    ("name", "articles"),
    [
        ("sam-altman", 5),
        ("satya-nadella", 3),
        ("mustafa-suleyman", 2),
        ("marc-benioff", 1),
    ],
)
def test_key_people_are_linked_in_every_article_that_names_them(name: str, articles: int) -> None:
    dossier = bundled()
    assert name in dossier, f"no record {name}"
    assert len({m.source for m in dossier.mentions_of(name)}) == articles


def test_microsoft_research_is_not_a_bare_microsoft_mention() -> None:
    dossier = bundled()
    research = [
        m
        for m in dossier.mentions_of("microsoft")
        if dossier[m.source].text[m.start : m.end + 9] == "Microsoft Research"
    ]
    assert research == []
