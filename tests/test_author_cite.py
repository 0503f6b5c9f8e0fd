"""`cite`: every suggestion, pasted into a citation, loads with the real loader and points at
the occurrence it was made for; a passage that is not there gets its nearest sentences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnership_tui.model.author import AuthoringError
from partnership_tui.model.author.cite import Suggestion, cite, source_text
from partnership_tui.model.dossier.load import load_dossier
from partnership_tui.model.read.problems import DossierError

ARTICLE = (
    "Headline: \u201cThe deal\u201d\n"
    "\n"
    'Nadella said "we are all in." Altman said \u2018we\u2019re all in\u2019 too.\n'
    "The board met. The board met.\n"
    "It's a 'split' decision, said the \"board\" \u2014 again.\n"
    "The board met.\n"
    "Microsoft invested $10 billion in OpenAI in January 2023, the companies said.\n"
    "A line   with  odd\tspacing\nthat wraps.\n"
)


def dossier_citing(root: Path, article: str, suggestions: list[Suggestion]) -> Path:
    """A dossier with one event per suggestion, its citation pasted in as `cite` printed it."""
    (root / "sources").mkdir(parents=True, exist_ok=True)
    (root / "sources" / "news.txt").write_text(article, encoding="utf-8")
    (root / "sources.yaml").write_text("- id: news\n  title: News\n", encoding="utf-8")
    events = []
    for number, suggestion in enumerate(suggestions):
        events.append(f"- id: event-{number}\n  name: Event {number}\n  citations:\n")
        events.append(suggestion.as_yaml(indent="    "))
    (root / "events.yaml").write_text("".join(events), encoding="utf-8")
    return root


def assert_loads_and_points_back(tmp_path: Path, article: str, result_found: tuple) -> None:
    root = dossier_citing(tmp_path / "d", article, list(result_found))
    try:
        dossier = load_dossier(root)
    except DossierError as exc:  # pragma: no cover - the failure message is the point
        pytest.fail(exc.report() + "\n" + (root / "events.yaml").read_text())
    for number, suggestion in enumerate(result_found):
        (citation,) = dossier[f"event-{number}"].citations
        assert (citation.start, citation.end) == (suggestion.start, suggestion.end)
        assert article[suggestion.start : suggestion.end] == suggestion.exact


@pytest.mark.parametrize(
    ("passage", "count"),
    [
        ("Nadella said \u201cwe are all in.\u201d", 1),  # curly for straight
        ("Altman said 'we're all in' too.", 1),  # straight for curly
        ("The board met.", 3),
        ("board", 4),
        ("It's a 'split' decision, said the \"board\"", 1),  # both quotation marks
        ("Headline: \u201cThe deal\u201d", 1),  # a colon and curly quotes
        ("odd spacing that wraps.", 1),  # white space across a line break
        ("in", 9),  # inside words too: the loader matches characters, not words
    ],
)
def test_every_suggestion_loads_and_points_at_its_occurrence(
    tmp_path: Path, passage: str, count: int
) -> None:
    result = cite("news", ARTICLE, passage)
    assert len(result.found) == count
    assert len({(s.start, s.end) for s in result.found}) == count
    assert_loads_and_points_back(tmp_path, ARTICLE, result.found)


def test_a_unique_passage_needs_no_context() -> None:
    (only,) = cite("news", ARTICLE, "Microsoft invested $10 billion").found
    assert only.prefix == only.suffix == ""


def test_context_is_the_shortest_that_makes_each_one_unique() -> None:
    first, second, third = cite("news", ARTICLE, "The board met.").found
    # "met." comes before the second and the third, so neither may take it as a prefix;
    # the first is followed by "The" alone (3 characters beat "too.").
    assert (first.prefix, first.suffix) == ("", "The")
    assert (second.prefix, second.suffix) == ("", "It's")
    assert (third.prefix, third.suffix) == ("again.", "")


def test_yaml_quotes_each_value_to_read_back_as_itself() -> None:
    (found,) = cite("news", ARTICLE, "It's a 'split' decision, said the \"board\"").found
    assert found.as_yaml() == (
        '- source: news\n  exact: "It\'s a \'split\' decision, said the \\"board\\""\n'
    )


def test_json_shape_slices_back_to_exact() -> None:
    for suggestion in cite("news", ARTICLE, "board").found:
        data = json.loads(json.dumps(suggestion.as_json()))
        assert set(data) == {"source", "exact", "prefix", "suffix", "start", "end"}
        assert ARTICLE[data["start"] : data["end"]] == data["exact"]


def test_not_found_gives_the_nearest_sentence_and_where_it_differs() -> None:
    result = cite("news", ARTICLE, "Microsoft invest $10 billion in OpenAI in 2023")
    assert result.found == ()
    best = result.near[0]
    assert ARTICLE[best.start : best.end].startswith("Microsoft invested $10 billion")
    passage = ARTICLE[best.passage_start : best.passage_end]
    assert passage == "Microsoft invested $10 billion in OpenAI in January 2023,"
    assert [(d.yours, d.source) for d in best.differences] == [
        ("invest", "invested"),
        ("", "January"),
    ]


def test_repeated_sentences_are_offered_once_as_near_misses() -> None:
    near = cite("news", ARTICLE, "The board meets.").near
    texts = [ARTICLE[n.start : n.end] for n in near]
    assert texts.count("The board met.") == 1


def test_an_empty_passage_or_a_too_common_one_is_refused() -> None:
    with pytest.raises(AuthoringError, match="nothing to find"):
        cite("news", ARTICLE, " \n\t ")
    with pytest.raises(AuthoringError, match="occurs 500 times"):
        cite("news", "word " * 500, "word")


def test_a_text_that_repeats_everything_is_refused_not_looped() -> None:
    with pytest.raises(AuthoringError, match="repeats with the same words"):
        cite("news", "a b " * 49 + "a", "b")


def test_source_text_reads_the_files_without_loading_the_rest(tmp_path: Path) -> None:
    root = dossier_citing(tmp_path / "d", ARTICLE, [])
    (root / "companies.yaml").write_text("- id: [broken\n")
    assert source_text(root, "news") == ARTICLE
    with pytest.raises(AuthoringError, match="did you mean 'news'"):
        source_text(root, "newz")


words = st.sampled_from(
    ["the", "board", "met", "\u201cwe", "said\u201d", "it's", "\u2019quiet\u2019", '"no"', "a"]
)
separators = st.sampled_from([" ", " ", " ", "\n", ".  ", ", ", "\u00a0"])


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    parts=st.lists(st.tuples(words, separators), min_size=3, max_size=40),
    data=st.data(),
)
def test_any_passage_of_any_text_cites_back_exactly(
    tmp_path_factory: pytest.TempPathFactory, parts: list[tuple[str, str]], data: st.DataObject
) -> None:
    article = "".join(word + sep for word, sep in parts).strip() + "\n"
    tokens = article.split()
    first = data.draw(st.integers(0, len(tokens) - 1))
    last = data.draw(st.integers(first, min(len(tokens) - 1, first + 4)))
    passage = " ".join(tokens[first : last + 1])
    try:
        result = cite("news", article, passage)
    except AuthoringError:
        return  # too common to cite, or repeating for 60 words: refused, never wrong
    assert result.found
    assert_loads_and_points_back(tmp_path_factory.mktemp("p"), article, result.found)


@pytest.mark.parametrize("exact", ['said "we are all in."', "we are all in", "all"])
def test_exact_with_or_without_the_quotes_own_marks_as_format_md_says(
    tmp_path: Path, exact: str
) -> None:
    article = "Nadella said \u201cwe are all in.\u201d\n"
    (found,) = cite("news", article, exact).found
    assert_loads_and_points_back(tmp_path, article, (found,))
