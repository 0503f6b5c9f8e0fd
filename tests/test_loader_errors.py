"""Errors a newcomer can act on: syntax first, a broken file named once (its ids are not
reported missing everywhere), keys suggested from the kind's own keys, stray texts warned
about, and parties of a deal or tension only companies or people."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from dossier_factory import CITE, FILES, write_dossier

from partnership_tui.model.dossier.load import load_dossier
from partnership_tui.model.read.problems import DossierError


def problems_of(root: Path) -> list[str]:
    with pytest.raises(DossierError) as caught:
        load_dossier(root)
    return [str(p).replace(f"{root}/", "") for p in caught.value.problems]


BROKEN_COMPANIES = FILES["companies.yaml"].replace(
    "name: OpenAI\n", "name: OpenAI: the lab\n"
)  # a colon in a plain value: the file does not parse


def test_a_file_that_does_not_parse_is_named_once_and_its_ids_are_not_missing(
    tmp_path: Path,
) -> None:
    root = write_dossier(tmp_path, {"companies.yaml": BROKEN_COMPANIES})
    found = problems_of(root)
    assert len(found) == 2, found
    assert found[0].startswith("companies.yaml:") and "YAML syntax" in found[0]
    assert found[1].startswith("companies.yaml:1:1: not checked: ")
    assert "(companies.yaml did not parse)" in found[1]
    assert not any("does not exist" in line for line in found)


def test_an_anchor_is_the_one_problem_not_the_fourth(tmp_path: Path) -> None:
    companies = FILES["companies.yaml"].replace("- id: openai\n", "- id: &x openai\n")
    found = problems_of(write_dossier(tmp_path, {"companies.yaml": companies}))
    assert "anchors (&name) are not allowed" in found[0]
    assert len(found) == 2 and "not checked" in found[1]


def test_quotes_are_not_reported_against_a_sources_file_that_does_not_parse(
    tmp_path: Path,
) -> None:
    found = problems_of(write_dossier(tmp_path, {"sources.yaml": "- id: news\n  title: [\n"}))
    assert found[0].startswith("sources.yaml:") and "YAML syntax" in found[0]
    assert not any("source 'news' does not exist" in line for line in found), found
    assert any("not checked" in line and "sources.yaml did not parse" in line for line in found)


def test_syntax_problems_come_before_every_other_problem(tmp_path: Path) -> None:
    root = write_dossier(
        tmp_path,
        {
            "claims.yaml": "- id: c\n  name: C\n  about: [nobody]\n  sides: []\n",
            "products.yaml": "- id: x\n  name: [unclosed\n",
        },
    )
    found = problems_of(root)
    assert found[0].startswith("products.yaml:") and "YAML syntax" in found[0]
    assert any(line.startswith("claims.yaml:") for line in found[1:])


@pytest.mark.parametrize(
    ("file", "body", "expected"),
    [
        (
            "tensions.yaml",
            '- id: t\n  name: T\n  date: "2019"\n  parties: [{ref: microsoft, stance: a},'
            " {ref: openai, stance: b}]\n" + CITE,
            "unknown key 'date' in tension (did you mean 'start'?)",
        ),
        (
            "events.yaml",
            '- id: e\n  name: E\n  start: "2019"\n' + CITE,
            "unknown key 'start' in event (did you mean 'date'?)",
        ),
        (
            "events.yaml",
            "- id: e\n  name: E\n  people: [microsoft]\n" + CITE,
            "unknown key 'people' in event (did you mean 'involves'?)",
        ),
        (
            "events.yaml",
            "- id: e\n  name: E\n  colour: red\n" + CITE,
            "unknown key 'colour' in event (it takes: id, summary, citations, name, date,",
        ),
    ],
)
def test_did_you_mean_offers_the_kinds_own_keys(
    tmp_path: Path, file: str, body: str, expected: str
) -> None:
    found = problems_of(write_dossier(tmp_path, {file: body}))
    assert any(expected in line for line in found), found


def test_a_missing_id_is_matched_only_against_ids_of_the_kinds_it_may_be(
    tmp_path: Path,
) -> None:
    events = "- id: e\n  name: E\n  involves: [microsof]\n" + CITE
    found = problems_of(write_dossier(tmp_path, {"events.yaml": events}))
    assert any("involves 'microsof' does not exist (did you mean 'microsoft'?)" in f for f in found)
    events = "- id: e\n  name: E\n  involves: [first-investmen]\n" + CITE  # a deal's id
    found = problems_of(write_dossier(tmp_path, {"events.yaml": events}))
    assert any("(no company or person or product has this id)" in f for f in found), found


def test_a_text_in_sources_with_no_entry_is_a_warning_not_an_error(tmp_path: Path) -> None:
    root = write_dossier(tmp_path)
    (root / "sources" / "forgotten.txt").write_text("Added by hand.\n")
    dossier = load_dossier(root)
    (warning,) = dossier.warnings
    assert str(warning).startswith(f"{root / 'sources' / 'forgotten.txt'}:1:1: warning: ")
    assert "--id forgotten" in warning.hint
    result = subprocess.run(
        [sys.executable, "-m", "partnership_tui.tui.cli", "validate", "--data", str(root)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "warning: no entry in sources.yaml reads this text" in result.stderr


def test_a_source_with_its_own_file_name_is_not_a_stray_text(tmp_path: Path) -> None:
    root = write_dossier(tmp_path)
    (root / "sources" / "news.txt").rename(root / "sources" / "renamed.txt")
    (root / "sources.yaml").write_text(
        "- id: news\n  title: A test article\n  file: sources/renamed.txt\n"
    )
    assert load_dossier(root).warnings == ()


@pytest.mark.parametrize(
    ("file", "party"),
    [
        ("deals.yaml", "{ref: orca, role: product}"),
        ("tensions.yaml", "{ref: orca, stance: rival}"),
    ],
)
def test_a_product_cannot_be_a_party(tmp_path: Path, file: str, party: str) -> None:
    key = "role" if file == "deals.yaml" else "stance"
    body = f"- id: x\n  name: X\n  parties: [{{ref: microsoft, {key}: a}}, {party}]\n" + CITE
    products = "- id: orca\n  name: Orca\n  maker: microsoft\n" + CITE
    found = problems_of(write_dossier(tmp_path, {file: body, "products.yaml": products}))
    assert any(
        "ref 'orca' is a product, not a company or person" in line
        and "a party is a company or a person" in line
        for line in found
    ), found


def test_a_person_can_be_a_party(tmp_path: Path) -> None:
    deals = textwrap.dedent(FILES["deals.yaml"]).lstrip("\n") + (
        "- id: hire\n  name: Hire\n  type: hiring\n"
        "  parties: [{ref: microsoft, role: hirer}, {ref: sam-altman, role: hire}]\n" + CITE
    )
    assert "hire" in load_dossier(write_dossier(tmp_path, {"deals.yaml": deals}))
