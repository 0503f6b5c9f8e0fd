"""The query language: what each operator means, folding, and hints for what cannot run."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from partnership_tui.model.search.fold import TOKEN, fold, fold_with_map, tokenize
from partnership_tui.model.search.fts5 import Plan
from partnership_tui.model.search.query import MAX_QUERY_CHARS, Query, QueryError, Term, parse_query

# --- folding ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Straße", "strasse"),
        ("STRASSE", "strasse"),
        ("café", "cafe"),
        ("cafe\u0301", "cafe"),  # decomposed accent
        ("NAÏVE Zürich", "naive zurich"),
        ("ﬁnance", "finance"),  # ligature
        ("ＭＩＣＲＯＳＯＦＴ", "microsoft"),  # fullwidth
        ("Ǆ", "dz"),
        ("ΣΊΣΥΦΟΣ", "σισυφοσ"),
        ("don’t “quote”", "don t  quote "),  # curly punctuation is a separator
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_ideographs_are_words_of_their_own() -> None:
    assert tokenize("微软和OpenAI") == ["微", "软", "和", "openai"]


def test_fold_map_points_back_at_the_original() -> None:
    text = "Die Straße, das Café und cafe\u0301s."
    folded, fold_map = fold_with_map(text)
    assert folded == fold(text)
    spans = {m.group(): fold_map.span(m.start(), m.end()) for m in TOKEN.finditer(folded)}
    assert text[slice(*spans["strasse"])] == "Straße"
    assert text[slice(*spans["cafe"])] == "Café"
    assert text[slice(*spans["cafes"])] == "cafe\u0301s"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80))
@example("Straße ½ ﬁ e\u0301 Ǆ ™ 微软 \ue000 ")
def test_fold_with_map_agrees_with_fold_and_maps_every_token(text: str) -> None:
    folded, fold_map = fold_with_map(text)
    assert folded == fold(text)
    for match in TOKEN.finditer(folded):
        start, end = fold_map.span(match.start(), match.end())
        assert 0 <= start < end <= len(text)
        assert match.group() in TOKEN.findall(fold(text[start:end]))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_folded_text_has_only_word_characters_or_ascii(text: str) -> None:
    """What the FTS5 'ascii' tokenizer and TOKEN agree on: non-ASCII is always a word char."""
    for char in fold(text):
        assert char.isascii() or char.isalnum()
        assert not unicodedata.category(char).startswith("M")


# --- operators -------------------------------------------------------------------------


def test_words_all_must_match_and_are_folded() -> None:
    query = parse_query("Microsoft  CAFÉ")
    assert query.terms == (Term(("microsoft",)), Term(("cafe",)))
    assert query.scope == "all" and query.wants_records and query.wants_passages


def test_phrase_prefix_and_exclusion() -> None:
    query = parse_query('"exclusive Cloud deal" micro* -openai -"board seat" -gpt*')
    assert query.terms == (
        Term(("exclusive", "cloud", "deal"), quoted=True),
        Term(("micro",), prefix=True),
        Term(("openai",), negated=True),
        Term(("board", "seat"), negated=True, quoted=True),
        Term(("gpt",), prefix=True, negated=True),
    )
    assert [t.describe() for t in query.positive] == ['"exclusive cloud deal"', "micro*"]


def test_phrase_with_prefix_inside_or_after_the_quote() -> None:
    assert parse_query('"cloud de*"').terms == (Term(("cloud", "de"), prefix=True, quoted=True),)
    assert parse_query('"cloud de"*').terms == (Term(("cloud", "de"), prefix=True, quoted=True),)


def test_punctuated_word_is_a_phrase_of_its_parts() -> None:
    assert parse_query("GPT-4").terms == (Term(("gpt", "4")),)
    assert parse_query("o'brien").terms == (Term(("o", "brien")),)


def test_duplicates_collapse() -> None:
    assert len(parse_query("azure Azure AZURE").terms) == 1


def test_filters() -> None:
    query = parse_query(
        "altman kind:person,Companies -kind:deal source:a,b -source:c in:records "
        "after:2023 before:2024-06"
    )
    assert query.kinds == {"person", "company"}
    assert query.not_kinds == {"deal"}
    assert query.sources == {"a", "b"}
    assert query.not_sources == {"c"}
    assert query.scope == "records"
    assert query.after is not None and query.after.text == "2023"
    assert query.before is not None and query.before.text == "2024-06"
    assert not query.wants_passages


def test_kind_filter_leaves_out_passages_and_in_sources_leaves_out_records() -> None:
    assert not parse_query("x kind:people").wants_passages
    assert parse_query("x in:sources").wants_passages
    assert not parse_query("x in:sources").wants_records
    assert not parse_query("x in:records").wants_passages


def test_quoted_filter_value_and_approximate_date() -> None:
    query = parse_query('x after:"late 2022" before:mid-2024')
    assert query.after is not None and query.after.approx == "late"
    assert query.before is not None and query.before.approx == "mid"


def test_most_restrictive_dates_win() -> None:
    query = parse_query("x after:2020 after:2023-05 before:2025 before:2024")
    assert query.after is not None and query.after.text == "2023-05"
    assert query.before is not None and query.before.text == "2024"


def test_unknown_name_with_colon_is_words_with_a_note() -> None:
    query = parse_query("type:deal")
    assert query.terms == (Term(("type", "deal")),)
    assert any("not a filter" in note for note in query.notes)
    assert parse_query("https://example.com").notes == ()


def test_describe_round_trips_meaning() -> None:
    text = '"cloud deal" micro* -openai kind:deal after:2023'
    query = parse_query(text)
    again = parse_query(query.describe())
    assert (again.terms, again.kinds, again.after) == (query.terms, query.kinds, query.after)


# --- what cannot run, or runs differently from how it looks --------------------------------


@pytest.mark.parametrize(
    "text", ["kind:person", "source:troubled-alliance", "in:sources", "after:2023", "kind:deal -x"]
)
def test_filters_alone_are_a_query(text: str) -> None:
    """A query of filters lists what they select (the index lists; see test_search.py)."""
    query = parse_query(text)
    assert query.lists and not query.positive


def test_a_word_makes_a_query_a_search() -> None:
    assert not parse_query("kind:person sam").lists


@pytest.mark.parametrize(
    ("text", "hint_words"),
    [
        ('"', "quote"),
        ('""', "exact phrase"),
        ("(", "word"),
        (")(", "word"),
        ("", "word"),
        ("   ", "word"),
        ("kind:", "kind:person"),
        ("kind:nonsense x", "kind: is one of"),
        ("kind:persn x", "did you mean person"),
        ("after:2023-13 x", "months run 01 to 12"),
        ("before:2023-02-30 x", "day of the month"),
        ("after:yesterday x", "YYYY"),
        ("source: x", "source:"),
        ("in:nowhere x", "in:sources"),
        ("in:sources in:records x", "keep one"),
        ("-after:2023 x", "before:"),
        ("-openai", "add a word"),
        ("kind:person in:sources x", "drop one"),
        ("x" * 10_000, f"at most {MAX_QUERY_CHARS}"),
        (" ".join(f"w{i}" for i in range(100)), "at most 64 words"),
    ],
    ids=lambda value: value[:30] if isinstance(value, str) else None,
)
def test_bad_queries_raise_query_error_with_a_hint(text: str, hint_words: str) -> None:
    """Each is answered with a short hint; none is an uncaught exception."""
    with pytest.raises(QueryError) as info:
        parse_query(text)
    assert hint_words in info.value.hint
    assert len(info.value.hint) < 200
    assert info.value.message and str(info.value)


@pytest.mark.parametrize(
    ("text", "terms", "note"),
    [
        ("a{99999999999}", (Term(("a", "99999999999")),), "not operators"),
        ("(azure OR aws)", (Term(("azure",)), Term(("or",)), Term(("aws",))), "OR is searched"),
        ('"cloud deal', (Term(("cloud", "deal"), quoted=True),), "not closed"),
        ("*soft", (Term(("soft",)),), "not operators"),
    ],
)
def test_odd_queries_run_with_a_note(text: str, terms: tuple[Term, ...], note: str) -> None:
    query = parse_query(text)
    assert query.terms == terms
    assert any(note in n for n in query.notes)


def test_contradictory_dates_note() -> None:
    assert parse_query("x after:2024 before:2023").notes


# --- properties: arbitrary text never escapes as anything but QueryError -------------------

_FILTER_WORDS = ["kind:", "source:", "in:", "after:", "before:", "OR", "NOT", "NEAR", "AND"]
_OTHER_WORDS = ["2023", "-13", "person", "sources", "records", "é", "ß", "微", "\x00", "\u202e"]
_QUERY_ALPHABET = st.sampled_from(
    [*"\"-*:()+ {}[]|^~\\<>=!?&,.'\t\n", *_FILTER_WORDS, *_OTHER_WORDS, "\ue000", "a", "Z", "9"]
)


def _check(query: Query) -> None:
    for term in query.terms:
        assert term.tokens
        for token in term.tokens:
            assert TOKEN.fullmatch(token), token
    expression = Plan.of(query).fts5()
    # Every string in the MATCH expression is made of folded word tokens only.
    for quoted in expression.split('"')[1::2]:
        assert all(TOKEN.fullmatch(word) for word in quoted.split(" ")), quoted


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=300))
def test_parser_never_raises_anything_but_query_error(text: str) -> None:
    try:
        query = parse_query(text)
    except QueryError as exc:
        assert exc.hint
        return
    _check(query)


@settings(max_examples=500, deadline=None)
@given(st.lists(_QUERY_ALPHABET, max_size=30).map("".join))
def test_parser_on_operator_soup(text: str) -> None:
    try:
        query = parse_query(text)
    except QueryError as exc:
        assert exc.hint
        return
    _check(query)
