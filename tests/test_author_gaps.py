"""`gaps`: uncited fact-bearing sentences ranked, names no record has, and co-mentions of
records nothing links, each with its span in the source."""

from __future__ import annotations

from pathlib import Path

import pytest
from dossier_factory import write_dossier

from partnership_tui.model.author.gaps import gaps
from partnership_tui.model.dossier.load import load_dossier

ARTICLE = (
    "Microsoft invested $1 billion in OpenAI in 2019. Sam Altman leads OpenAI.\n"
    "Microsoft Research built Orca 2. Nadella praised the deal.\n"
    "Altman spoke. Altman spoke.\n"
    "A metaphor is not Meta.\n"
    "Revenue reached 300 units in March.\n"
    "Nadella and Meta never met, said Jony Ive, who founded LoveFrom.\n"
    "Talks resumed in April with Jony Ive.\n"
    "nothing here carries a fact.\n"
)


@pytest.fixture
def dossier(tmp_path: Path):  # type: ignore[no-untyped-def]
    return load_dossier(write_dossier(tmp_path / "d", article=ARTICLE))


def by_kind(found, kind: str):  # type: ignore[no-untyped-def]
    return [g for g in found if g.kind == kind]


def test_uncited_sentences_ranked_by_what_they_carry(dossier) -> None:  # type: ignore[no-untyped-def]
    uncited = by_kind(gaps(dossier), "uncited")
    assert [(g.text, g.reasons) for g in uncited] == [
        # a figure: outranks the rest
        ("Revenue reached 300 units in March.", ("figure: 300",)),
        # a date (and a name) no record cites, and no mention links
        ("Talks resumed in April with Jony Ive.", ("date: April", "name: Jony", "name: Ive")),
        # "Microsoft Research built Orca 2." names a record: linked, so not a gap
    ]


def test_every_gap_slices_back_to_its_text(dossier) -> None:  # type: ignore[no-untyped-def]
    found = gaps(dossier)
    assert found
    for gap in found:
        assert dossier[gap.source].text[gap.start : gap.end] == gap.text
        assert gap.reasons
        assert set(gap.as_json()) >= {"source", "start", "end", "text", "reasons"}


def test_names_no_record_has_once_per_source_most_frequent_first(dossier) -> None:  # type: ignore[no-untyped-def]
    names = by_kind(gaps(dossier), "unlinked-name")
    assert [(g.text, g.weight) for g in names] == [("Jony Ive", 2), ("Orca", 1), ("LoveFrom", 1)]
    assert "2 times" in names[0].reasons[0]


def test_co_mentions_of_records_nothing_links(dossier) -> None:  # type: ignore[no-untyped-def]
    (co,) = by_kind(gaps(dossier), "co-mention")
    assert co.text == "Nadella and Meta never met, said Jony Ive, who founded LoveFrom."
    assert co.reasons == (
        "names Satya Nadella (satya-nadella) and Meta (meta), which no record links",
    )


def test_records_linked_through_a_deal_are_not_co_mention_gaps(dossier) -> None:  # type: ignore[no-untyped-def]
    # Microsoft and OpenAI share the first investment (a deal with both as parties);
    # Sam Altman's role names OpenAI.
    texts = [g.text for g in by_kind(gaps(dossier), "co-mention")]
    assert not any("Sam Altman leads OpenAI" in t or "invested $1 billion" in t for t in texts)


def test_one_source_only(tmp_path: Path) -> None:
    root = write_dossier(tmp_path / "d", article=ARTICLE)
    (root / "sources" / "other.txt").write_text("Jony Ive said so in 2021.\n")
    with (root / "sources.yaml").open("a") as handle:
        handle.write("- id: other\n  title: Other\n")
    dossier = load_dossier(root)
    assert {g.source for g in gaps(dossier)} == {"news", "other"}
    assert {g.source for g in gaps(dossier, "other")} == {"other"}
    with pytest.raises(KeyError):
        gaps(dossier, "microsoft")  # not a source
    with pytest.raises(KeyError):
        gaps(dossier, "nowhere")


def test_sentences_in_capitals_give_no_names(tmp_path: Path) -> None:
    """A licence's shouted paragraph and an all-caps heading are typography, not names; an
    acronym in an ordinary sentence still is one."""
    article = (
        ARTICLE + "A. HISTORY OF THE SOFTWARE\n"
        "PSF MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED, IN 2001.\n"
        "The PSF was formed by Guido.\n"
    )
    found = gaps(load_dossier(write_dossier(tmp_path / "d", article=article)))
    named = {g.text for g in by_kind(found, "unlinked-name")}
    assert {"PSF", "Guido"} <= named
    assert not named & {"HISTORY", "SOFTWARE", "MAKES", "EXPRESS", "IMPLIED", "OF THE"}
    reasons = [r for g in by_kind(found, "uncited") for r in g.reasons]
    assert "year: 2001" in reasons  # the shouted sentence still carries its year
    shouted = [r for r in reasons if r.startswith("name: ")]
    assert "name: PSF" in shouted and "name: Guido" in shouted
    assert not {"name: OF", "name: THE", "name: HISTORY", "name: MAKES"} & set(shouted)


def test_a_name_wrapped_across_a_line_is_one_name(tmp_path: Path) -> None:
    """Hard-wrapped texts (a licence, a mailing-list post) break names at line ends; a blank
    line still ends one."""
    root = write_dossier(tmp_path / "d", article=ARTICLE)
    (root / "sources" / "wrapped.txt").write_text(
        "In 1995 the team moved to the Corporation for National\n"
        "Research Initiatives in Reston, where the work went on for\n"
        "years. Guido then left National Research Initiatives for\n"
        "good, and the last line names Blue\n"
        "\n"
        "Harbor Labs as a partner of the team.\n"
    )
    with (root / "sources.yaml").open("a") as handle:
        handle.write("- id: wrapped\n  title: Wrapped\n")
    found = by_kind(gaps(load_dossier(root), "wrapped"), "unlinked-name")
    by_text = {g.text: g for g in found}
    wrapped = by_text["National\nResearch Initiatives"]
    assert wrapped.reasons == ("name no record has: National Research Initiatives (2 times here)",)
    assert "National Research Initiatives" not in by_text  # counted with its wrapped twin
    assert "Research Initiatives" not in by_text and "National" not in by_text
    assert "Blue" in by_text and "Harbor Labs" in by_text
