"""Full-text search: ranking sense, every operator and filter, folding, offsets, exact bm25."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from bm25_reference import PythonBackend
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnership_tui.model.build.dates import parse_date
from partnership_tui.model.build.records import (
    Amount,
    AnyRecord,
    Citation,
    Company,
    Deal,
    Event,
    Person,
    Role,
    Source,
)
from partnership_tui.model.build.text import split_sentences
from partnership_tui.model.dossier.dossier import Dossier
from partnership_tui.model.search import fts5 as fts5_module
from partnership_tui.model.search import index as search_module
from partnership_tui.model.search.fold import fold, tokenize
from partnership_tui.model.search.fts5 import INDEX_TOKEN, Plan, SearchUnavailable, count_tokens
from partnership_tui.model.search.highlight import SNIPPET_CHARS, match_spans
from partnership_tui.model.search.index import SearchIndex
from partnership_tui.model.search.query import QueryError, parse_query
from partnership_tui.model.search.results import SearchResults
from partnership_tui.model.search.rows import PASSAGE_CHARS, record_fields

FILLER = " ".join(f"Filler sentence number {i} says nothing much." for i in range(40))
TEXTS = {
    "berlin": (
        "Die Straße in Berlin is long. Microsoft opened an office there.\n\n"
        "The café near the office serves cafe\u0301 au lait. Sam Altman visited.\n"
    ),
    "cloud": (
        "Microsoft and OpenAI signed an exclusive cloud computing deal. The deal covers Azure.\n"
        "OpenAI later wanted compute from other cloud providers, and computing costs rose.\n"
        f"{FILLER} Then Suleyman joined Microsoft to lead its AI group. {FILLER}\n"
    ),
    "undated": (
        "Altman and Nadella spoke about OpenAI. A stray cloud drifted by; computing came later.\n"
        "Control \x1b[31m characters and \u202e overrides stay data.\n"
    ),
}
PUBLISHED = {"berlin": "2023-05-10", "cloud": "2024-08", "undated": None}


def _cite(source: str, quote: str) -> Citation:
    start = TEXTS[source].index(quote)
    return Citation(source, quote, start, start + len(quote))


def _dossier() -> Dossier:
    sources = [
        Source(
            id=sid,
            name=f"The {sid} article",
            summary="",
            citations=(),
            published=parse_date(PUBLISHED[sid]) if PUBLISHED[sid] else None,
            text=text,
            sentences=split_sentences(text),
        )
        for sid, text in TEXTS.items()
    ]
    records = [
        Company(
            id="microsoft",
            name="Microsoft",
            aliases=("MSFT",),
            summary="A software company that invested in OpenAI.",
            citations=(_cite("cloud", "Microsoft and OpenAI signed"),),
        ),
        Company(
            id="openai",
            name="OpenAI",
            summary="An AI lab.",
            citations=(_cite("cloud", "Microsoft and OpenAI signed"),),
        ),
        Person(
            id="sam-altman",
            name="Sam Altman",
            aliases=("Altman",),
            summary="Chief executive of OpenAI.",
            roles=(Role("openai", "CEO", None, None, None, (_cite("berlin", "Sam Altman"),)),),
            citations=(_cite("berlin", "Sam Altman visited."),),
        ),
        Deal(
            id="cloud-deal",
            name="Cloud computing pact",
            summary="Microsoft pays for compute.",
            amount=Amount(13_000_000_000, "USD", "$13 billion"),
            date=parse_date("2019"),
            citations=(_cite("cloud", "exclusive cloud computing deal"),),
        ),
        Event(
            id="board-meeting",
            name="Board meeting",
            summary="The board discussed cloud budgets while computing was mentioned in passing.",
            date=parse_date("2023-11-17"),
            citations=(_cite("undated", "Altman and Nadella spoke about OpenAI."),),
        ),
    ]
    return Dossier([*sources, *records], title="test")


@pytest.fixture(scope="module")
def dossier() -> Dossier:
    return _dossier()


@pytest.fixture(scope="module")
def index(dossier: Dossier) -> SearchIndex:
    return SearchIndex.build(dossier)


def _reference(dossier: Dossier) -> SearchIndex:
    """The same index scored by bm25 in plain Python (tests/bm25_reference.py)."""
    return SearchIndex.build(dossier, engine=PythonBackend())  # type: ignore[arg-type]


def passages_of(results: SearchResults) -> list[str]:
    return [hit.source_id for hit in results.passages]


def _records(results: SearchResults) -> list[str]:
    return [hit.record_id for hit in results.records]


def _highlighted(dossier: Dossier, results: SearchResults) -> list[str]:
    return [dossier[h.source_id].text[s:e] for h in results.passages for s, e in h.highlights]


# --- folding: case and accents never matter ----------------------------------------------------


def test_strasse_finds_strasse_with_eszett(index: SearchIndex, dossier: Dossier) -> None:
    results = index.search("STRASSE")
    assert passages_of(results) == ["berlin"]
    assert _highlighted(dossier, results) == ["Straße"]


def test_cafe_finds_composed_and_decomposed_accents(index: SearchIndex, dossier: Dossier) -> None:
    results = index.search("cafe")
    assert _highlighted(dossier, results) == ["café", "cafe\u0301"]
    assert index.search("CAFÉ").passages == results.passages


def test_every_highlight_folds_to_the_term(index: SearchIndex, dossier: Dossier) -> None:
    for word in ("microsoft", "openai", "cloud", "altman", "strasse", "cafe", "suleyman"):
        results = index.search(word)
        assert results.passages, word
        for hit in results.passages:
            text = dossier[hit.source_id].text
            assert hit.highlights
            for start, end in hit.highlights:
                assert hit.start <= start < end <= hit.end
                assert fold(text[start:end]) == word
                assert text[start:end].casefold() in (word, "straße", "café", "cafe\u0301")


def test_passages_are_paragraph_sentences_with_offsets(
    index: SearchIndex, dossier: Dossier
) -> None:
    hit = index.search("visited").passages[0]
    assert dossier["berlin"].text[hit.start : hit.end] == (
        "The café near the office serves cafe\u0301 au lait. Sam Altman visited."
    )


# --- ranking ----------------------------------------------------------------------------------


def test_phrase_in_a_name_outranks_stray_words(index: SearchIndex) -> None:
    results = index.search("cloud computing")
    assert _records(results)[0] == "cloud-deal"
    assert "board-meeting" in _records(results)  # the stray words still match, lower
    top = results.passages[0]
    assert top.source_id == "cloud" and top.start == 0  # "... exclusive cloud computing deal"
    assert len(results.passages) == 3  # and the two passages with the words apart


def test_exact_phrase_matches_only_adjacent_words(index: SearchIndex) -> None:
    results = index.search('"cloud computing"')
    assert _records(results) == ["cloud-deal"]
    assert [(h.source_id, h.start) for h in results.passages] == [("cloud", 0)]


def test_name_outranks_summary(index: SearchIndex) -> None:
    results = index.search("openai in:records")
    assert _records(results)[0] == "openai"


def test_the_record_named_by_the_query_comes_first() -> None:
    person = Person(
        id="mustafa-suleyman",
        name="Mustafa Suleyman",
        summary="Co-founded DeepMind and Inflection, then joined Microsoft to lead its "
        "consumer AI group after the Inflection deal in March.",
        roles=tuple(Role("inflection", t, None, None, None, ()) for t in ("CEO", "Co-founder")),
        citations=(),
    )
    event = Event(
        id="hire",
        name="Microsoft hires Mustafa Suleyman to lead its AI initiatives",
        summary="A hire.",
        citations=(),
    )
    company = Company(id="inflection", name="Inflection", summary="", citations=())
    index = SearchIndex.build(Dossier([person, event, company]))
    assert _records(index.search("suleyman")) == ["mustafa-suleyman", "hire"]
    assert _records(index.search("microsoft")) == ["hire", "mustafa-suleyman"]


# --- operators --------------------------------------------------------------------------------


def test_all_words_must_match(index: SearchIndex) -> None:
    results = index.search("altman nadella")
    assert passages_of(results) == ["undated"]
    assert results.records == ()


def test_prefix_highlights_the_whole_word(index: SearchIndex, dossier: Dossier) -> None:
    results = index.search("micro*")
    assert "microsoft" in _records(results)
    assert set(_highlighted(dossier, results)) == {"Microsoft"}
    assert index.search('"exclusive clo*"').passages[0].source_id == "cloud"


def test_exclusion(index: SearchIndex, dossier: Dossier) -> None:
    results = index.search("openai -altman")
    assert results.passages
    for hit in results.passages:
        assert "altman" not in dossier[hit.source_id].text[hit.start : hit.end].casefold()
    assert "sam-altman" not in _records(results)
    assert "microsoft" in _records(results)
    phrase_out = index.search('microsoft -"exclusive cloud"')
    assert ("cloud", 0) not in [(h.source_id, h.start) for h in phrase_out.passages]
    assert index.search("micro* -microsoft").total == 0


@pytest.mark.parametrize(
    "text",
    [
        "kind:person",
        "kind:company,deal -openai",
        "source:cloud",
        "-source:cloud",
        "in:sources",
        "in:records",
        "after:2023",
        "before:2024 in:sources",
        "-kind:source -microsoft",
    ],
)
def test_filters_alone_list_what_they_select(
    index: SearchIndex, dossier: Dossier, text: str
) -> None:
    """Every record and passage the filters let through, in index order; the same as
    filtering the search for every word by hand, and the same on both backends."""
    listed = index.search(text, limit=1000)
    query = listed.query
    assert listed.total == len(listed.records) + len(listed.passages) > 0
    for hit in listed.records:
        record = dossier[hit.record_id]
        assert not query.kinds or record.kind in query.kinds
        assert record.kind not in query.not_kinds
        words = tokenize(" ".join(text for _, text in record_fields(record)))
        assert not any(term.tokens[0] in words for term in query.negative)
    for hit in listed.passages:
        assert not query.sources or hit.source_id in query.sources
        assert hit.source_id not in query.not_sources
        words = tokenize(dossier[hit.source_id].text[hit.start : hit.end])
        assert not any(term.tokens[0] in words for term in query.negative)
    sources = [h.source_id for h in listed.passages]
    assert sources == sorted(sources, key=sources.index)  # each source's passages together
    for source_id in set(sources):
        starts = [h.start for h in listed.passages if h.source_id == source_id]
        assert starts == sorted(starts)  # and in the order of the text
    reference = _reference(dossier).search(text, limit=1000)
    assert [h.record_id for h in listed.records] == [h.record_id for h in reference.records]
    assert [(h.source_id, h.start) for h in listed.passages] == [
        (h.source_id, h.start) for h in reference.passages
    ]
    first = index.search(text, limit=1)
    assert (first.total_records, first.total_passages) == (
        listed.total_records,
        listed.total_passages,
    )


def test_kind_filter(index: SearchIndex) -> None:
    assert _records(index.search("openai kind:person")) == ["sam-altman"]
    assert index.search("openai kind:person").passages == ()
    assert set(_records(index.search("openai kind:people,companies"))) == {
        "sam-altman",
        "microsoft",
        "openai",
    }
    assert "microsoft" not in _records(index.search("openai -kind:company"))
    assert _records(index.search("berlin kind:source")) == ["berlin"]


def test_source_filter(index: SearchIndex) -> None:
    results = index.search("microsoft source:cloud")
    assert set(passages_of(results)) == {"cloud"}
    assert len(results.passages) == 2
    # records that cite the source: the deal and both companies, not Sam Altman (cites berlin)
    assert set(_records(index.search("openai source:cloud"))) == {"microsoft", "openai"}
    assert set(passages_of(index.search("microsoft -source:cloud"))) == {"berlin"}
    assert set(passages_of(index.search("microsoft source:cloud,berlin"))) == {"cloud", "berlin"}


def test_unknown_source_is_a_query_error_with_a_hint(index: SearchIndex) -> None:
    with pytest.raises(QueryError) as info:
        index.search("microsoft source:clod")
    assert "did you mean cloud" in info.value.hint


def test_in_filter(index: SearchIndex) -> None:
    assert index.search("openai in:sources").records == ()
    assert index.search("openai in:sources").passages
    assert index.search("openai in:records").passages == ()
    assert index.search("openai in:records").records


def test_date_filters(index: SearchIndex) -> None:
    # passages by their source's published date; undated sources drop out
    assert set(passages_of(index.search("microsoft after:2024"))) == {"cloud"}
    assert set(passages_of(index.search("microsoft before:2024"))) == {"berlin"}
    assert set(passages_of(index.search("microsoft after:2023-05-10 before:2024-09"))) == {
        "berlin",
        "cloud",
    }
    assert index.search("microsoft after:2024-09").passages == ()
    # records by their own date; undated records (people, companies) drop out
    assert _records(index.search("cloud before:2020")) == ["cloud-deal"]
    assert set(_records(index.search("cloud after:2023-11"))) == {"board-meeting", "cloud"}
    assert index.search("board after:2023-12 in:records").total == 0
    assert _records(index.search("openai after:2000 in:records")) == []
    # a partial date must fit entirely: "2019" is neither after nor before mid-2019
    assert "cloud-deal" in _records(index.search("cloud after:2019 before:2020"))
    assert "cloud-deal" not in _records(index.search("cloud after:2019-06"))
    assert "cloud-deal" not in _records(index.search("cloud before:2019-06"))
    year_2023 = index.search("the after:2023 before:2024")
    assert set(passages_of(year_2023)) == {"berlin"}
    assert "board-meeting" in _records(year_2023)


def test_record_fields(index: SearchIndex) -> None:
    assert [(h.record_id, h.field) for h in index.search("MSFT").records] == [
        ("microsoft", "alias")
    ]
    assert [(h.record_id, h.field) for h in index.search("ceo").records] == [("sam-altman", "role")]
    amount = index.search('"$13 billion"').records[0]
    assert (amount.record_id, amount.field, amount.snippet.text) == (
        "cloud-deal",
        "amount",
        "$13 billion",
    )
    assert amount.snippet.highlights == ((1, 11),)  # a phrase is one span
    title = index.search("berlin article").records[0]
    assert (title.record_id, title.kind, title.field) == ("berlin", "source", "title")


# --- snippets ---------------------------------------------------------------------------------


def test_snippet_of_a_long_passage(index: SearchIndex, dossier: Dossier) -> None:
    [hit] = index.search("suleyman").passages
    snippet = hit.snippet
    assert snippet.text.startswith("…") and snippet.text.endswith("…")
    assert len(snippet.text) <= SNIPPET_CHARS + 2
    [(start, end)] = snippet.highlights
    assert snippet.text[start:end] == "Suleyman"
    [(start, end)] = hit.highlights
    assert dossier["cloud"].text[start:end] == "Suleyman"
    assert "".join(piece for piece, _ in snippet.segments()) == snippet.text
    assert [piece for piece, matched in snippet.segments() if matched] == ["Suleyman"]


def test_snippet_is_plain_safe_text_with_offsets_kept(index: SearchIndex, dossier: Dossier) -> None:
    [hit] = index.search("control overrides").passages
    assert "\x1b" not in hit.snippet.text and "\u202e" not in hit.snippet.text
    words = [hit.snippet.text[s:e] for s, e in hit.snippet.highlights]
    assert words == ["Control", "overrides"]
    assert [dossier["undated"].text[s:e] for s, e in hit.highlights] == words


def test_match_spans_in_any_text() -> None:
    text = "Ein Café, zwei CAFÉS und ein cafe\u0301."
    assert [text[s:e] for s, e in match_spans(text, "cafe*")] == ["Café", "CAFÉS", "cafe\u0301"]


# --- limits, hints, results -------------------------------------------------------------------


def test_limit_and_totals(index: SearchIndex) -> None:
    everything = index.search("microsoft")
    limited = index.search("microsoft", limit=1)
    assert len(limited.passages) == 1 and len(limited.records) == 1
    assert limited.total_passages == everything.total_passages == len(everything.passages) > 1
    assert limited.total == everything.total
    assert limited.passages[0] == everything.passages[0]
    assert not index.search("microsoft", limit=0).passages
    assert not index.search("nothingmatchesthis")


def test_scores_are_best_first(index: SearchIndex) -> None:
    results = index.search("microsoft openai cloud")
    for hits in (results.records, results.passages):
        scores = [hit.score for hit in hits]
        assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    "text", ['"', "(", "a{99999999999}", "kind:", "x" * 10_000, "kind:nonsense", "after:2023-13"]
)
def test_bad_queries_are_answered_with_hints(index: SearchIndex, text: str) -> None:
    try:
        results = index.search(text)
    except QueryError as exc:
        assert exc.hint
    else:
        assert results.hint


# --- backends ---------------------------------------------------------------------------------


def test_fts5_agrees_with_the_bm25_reference(dossier: Dossier) -> None:
    fts5 = SearchIndex.build(dossier)
    python = _reference(dossier)
    assert fts5.backend == "fts5"
    for text in (
        "microsoft",
        "cloud computing",
        '"cloud computing"',
        "micro* -openai",
        "openai kind:company,person",
        "microsoft after:2023",
        "a*",
    ):
        a, b = fts5.search(text), python.search(text)
        assert (a.total_records, a.total_passages) == (b.total_records, b.total_passages), text
        assert [(h.source_id, h.start, h.highlights) for h in a.passages] == [
            (h.source_id, h.start, h.highlights) for h in b.passages
        ], text
        assert _records(a) == _records(b), text
        for x, y in zip(a.passages, b.passages, strict=True):
            assert x.score == pytest.approx(y.score)


def test_a_python_without_fts5_gets_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, dossier: Dossier
) -> None:
    monkeypatch.setattr(fts5_module, "fts5_available", lambda: False)
    with pytest.raises(SearchUnavailable, match="FTS5"):
        SearchIndex.build(dossier)


def test_build_in_one_thread_search_from_others(dossier: Dossier) -> None:
    built: list[SearchIndex] = []
    worker = threading.Thread(target=lambda: built.append(SearchIndex.build(dossier)))
    worker.start()
    worker.join()
    [index] = built
    queries = ["microsoft", "cloud computing", "cafe", "openai -altman", "micro* kind:company"]
    expected = {q: index.search(q) for q in queries}
    failures: list[str] = []

    def hammer() -> None:
        for _ in range(30):
            for q in queries:
                if index.search(q) != expected[q]:
                    failures.append(q)

    threads = [threading.Thread(target=hammer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    index.close()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=60))
def test_search_never_raises_anything_but_query_error(index: SearchIndex, text: str) -> None:
    try:
        results = index.search(text, limit=5)
    except QueryError as exc:
        assert exc.hint
        return
    for hit in results.passages:
        for start, end in hit.highlights:
            assert hit.start <= start < end <= hit.end


def test_long_lines_and_odd_texts_are_indexed() -> None:
    text = ("word " * 3000) + "needle " + ("word " * 3000) + "\n\n\n" + "日本語の微软 ½ ™"
    source = Source(
        id="odd", name="Odd", summary="", citations=(), text=text, sentences=split_sentences(text)
    )
    index = SearchIndex.build(Dossier([source]))
    [hit] = index.search("needle").passages
    assert hit.end - hit.start <= 2 * PASSAGE_CHARS
    assert [text[s:e] for s, e in hit.highlights] == ["needle"]
    assert [text[s:e] for s, e in index.search("微软").passages[0].highlights] == ["微软"]
    assert [text[s:e] for s, e in index.search("tm").passages[0].highlights] == ["™"]
    assert Source(id="x", name="X", summary="", citations=()).text == ""
    assert SearchIndex.build(Dossier([])).search("x").total == 0


# --- a dossier read by the loader, and the command line -----------------------------------------


@pytest.fixture
def dossier_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PARTNERSHIP_TUI_NO_CACHE", "1")
    root = tmp_path / "dossier"
    (root / "sources").mkdir(parents=True)
    (root / "sources.yaml").write_text(
        '- id: news\n  title: "A [bold]test[/] article"\n  published: "2024-10-30"\n'
        "- id: other\n  title: Other\n",
        encoding="utf-8",
    )
    (root / "sources" / "news.txt").write_text(
        "Microsoft hired Mustafa Suleyman in March.\n"
        "Suleyman leads Microsoft AI. \x1b[2J\u202eEvil\n"
        "Nothing else here.\n",
        encoding="utf-8",
    )
    (root / "sources" / "other.txt").write_text("Die Straße. Sule yman is not him.\n", "utf-8")
    (root / "people.yaml").write_text(
        "- id: mustafa-suleyman\n  name: Mustafa Suleyman\n  aliases: [Suleyman]\n"
        "  summary: Leads Microsoft AI.\n"
        "  citations: [{source: news, exact: Suleyman leads Microsoft AI.}]\n",
        encoding="utf-8",
    )
    return root


def test_loaded_dossier(dossier_dir: Path) -> None:
    from partnership_tui.model.dossier.load import load_dossier

    dossier = load_dossier(dossier_dir)
    index = SearchIndex.build(dossier)
    results = index.search("suleyman")
    assert _records(results) == ["mustafa-suleyman"]
    assert [(h.source_id, dossier["news"].text[h.start : h.end]) for h in results.passages] == [
        ("news", "Microsoft hired Mustafa Suleyman in March."),
        ("news", "Suleyman leads Microsoft AI. \x1b[2J\u202eEvil"),
    ]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from partnership_tui.tui.cli import main

    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_plain(dossier_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "search", "Suleyman", "--data", str(dossier_dir))
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("person") and "mustafa-suleyman" in lines[0]
    assert all("»Suleyman«" in line for line in lines)
    assert any(line.startswith("passage") and "news:2" in line for line in lines)
    assert "\x1b" not in out and "\u202e" not in out  # not a terminal: no colour, data sanitised


def test_cli_words_and_limit(dossier_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "search", "microsoft", "ai", "--data", str(dossier_dir))
    assert code == 0 and err == ""
    assert [line.split()[:2] for line in out.splitlines()] == [
        ["person", "mustafa-suleyman"],
        ["passage", "news:2"],
    ]
    code, out, err = _run(capsys, "search", "microsoft", "--limit", "1", "--data", str(dossier_dir))
    assert code == 0
    assert [line.split()[0] for line in out.splitlines()] == ["person", "passage"]
    assert "showing 1 of 1 record and 1 of 2 passages" in err


def test_cli_json(dossier_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "search", "suleyman", "--json", "--data", str(dossier_dir))
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert {row["type"] for row in rows} == {"record", "passage"}
    text = (dossier_dir / "sources" / "news.txt").read_text("utf-8")
    for row in rows:
        if row["type"] == "passage":
            assert row["source"] == "news"
            for start, end in row["highlights"]:
                assert text[start:end] == "Suleyman"
        for start, end in row["snippet_highlights"]:
            assert row["snippet"][start:end] == "Suleyman"
    assert "\x1b" not in out and "\u202e" not in out  # JSON escapes them


def test_cli_no_hits_and_bad_queries(dossier_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "search", "zebra", "--data", str(dossier_dir))
    assert (code, out) == (1, "") and "no hits" in err
    for bad in ('"', "kind:nonsense", "after:2023-13 x", "source:nope x", "("):
        code, out, err = _run(capsys, "search", bad, "--data", str(dossier_dir))
        assert code == 2, bad
        assert out == "" and "hint:" in err, bad
    code, _, err = _run(capsys, "search", "a{99999999999}", "--data", str(dossier_dir))
    assert code == 1 and "hint:" in err
    code, _, err = _run(capsys, "search", "x", "--limit", "0", "--data", str(dossier_dir))
    assert code == 2


def test_cli_colour_on_a_terminal(
    dossier_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, _ = _run(capsys, "search", "evil", "--data", str(dossier_dir))
    assert code == 0
    assert "\x1b[1;7mEvil\x1b[0m" in out
    assert "\x1b[2J" not in out and "\u202e" not in out


# --- the bundled dossier --------------------------------------------------------------------


@pytest.mark.bundled
def test_bundled_suleyman_passages() -> None:
    from partnership_tui.model import bundled_data_dir
    from partnership_tui.model.dossier.load import load_dossier
    from partnership_tui.model.read.problems import DossierError

    try:
        dossier = load_dossier(bundled_data_dir())
    except DossierError:
        pytest.skip("the bundled dossier does not load yet")
    index = SearchIndex.build(dossier)
    results = index.search("Suleyman", limit=1000)
    naming = {s.id for s in dossier.sources if "suleyman" in s.text.casefold()}
    assert naming
    assert {hit.source_id for hit in results.passages} == naming
    for hit in results.passages:
        text = dossier[hit.source_id].text
        assert "Suleyman" in text[hit.start : hit.end]
        assert all(text[s:e] == "Suleyman" for s, e in hit.highlights)
    expected = sum(
        text.count("Suleyman")
        for text in (dossier[h.source_id].text[h.start : h.end] for h in results.passages)
    )
    assert sum(len(h.highlights) for h in results.passages) == expected
    assert "suleyman" in tokenize(" ".join(h.snippet.text for h in results.records))
    assert dossier[results.records[0].record_id].kind == "person"


# --- ranking at scale: bounded reading gives the full answer -----------------------------


def _many_records() -> Dossier:
    """Many records sharing common words, some with them in their names, of varied lengths."""
    words = ["alpha", "beta", "gamma", "delta", "omega", "opened", "office", "cloud"]
    records: list[Event | Person] = []
    for i in range(400):
        picked = [words[(i * k + 3) % len(words)] for k in range(1, 2 + i % 7)]
        summary = " ".join(picked + ["filler"] * (i % 11))
        records.append(
            Event(id=f"e{i}", name=f"Event {i} {words[i % 3]}", summary=summary, citations=())
        )
    for i in range(60):
        name = f"{words[i % len(words)].title()} Person{i}"
        records.append(Person(id=f"p{i}", name=name, summary="", citations=()))
    return Dossier(records, title="many")


def _full_rerank(index: SearchIndex, text: str) -> list[tuple[str, float]]:
    """Every match scored bm25 * (1 + name cover), sorted: what the bounded reading must equal."""
    parsed = parse_query(text)
    plan = Plan.of(parsed)
    words = {t for term in parsed.positive for t in term.tokens}
    ranked = []
    for rowid, score in index.engine.ranked("r", plan, None):
        record = index.record_of(rowid)
        cover = 0.0
        for name in (record.name, *record.aliases):
            tokens = tokenize(name)
            if tokens:
                cover = max(cover, sum(1 for t in tokens if t in words) / len(tokens))
        ranked.append((record.id, score * (1 + cover), rowid))
    ranked.sort(key=lambda item: (-item[1], item[2]))
    return [(record_id, score) for record_id, score, _ in ranked]


@pytest.mark.parametrize("text", ["opened", "alpha", "alpha beta", "office cloud", "person3"])
def test_bounded_record_ranking_equals_full_rerank(text: str) -> None:
    index = SearchIndex.build(_many_records())
    full = _full_rerank(index, text)
    for limit in (1, 5, 50):
        results = index.search(text, limit=limit)
        assert results.total_records == len(full)
        got = [(hit.record_id, hit.score) for hit in results.records]
        assert [r for r, _ in got] == [r for r, _ in full[:limit]], (text, limit)
        assert [s for _, s in got] == pytest.approx([s for _, s in full[:limit]])


@pytest.mark.parametrize(
    "text", ["opened", "alpha beta", "cloud*", '"alpha beta"', "office -gamma"]
)
def test_fts5_scores_and_order_equal_bm25_at_scale(text: str) -> None:
    """FTS5 bm25 weighted by the rowid's length equals the plain formula, row for row."""
    dossier = _many_records()
    fts5 = SearchIndex.build(dossier)
    python = _reference(dossier)
    plan = Plan.of(parse_query(text))
    a = list(fts5.engine.ranked("r", plan, None))
    b = list(python.engine.ranked("r", plan, None))
    assert [rowid for rowid, _ in a] == [rowid for rowid, _ in b]
    assert [score for _, score in a] == pytest.approx([score for _, score in b], rel=1e-9)
    x, y = fts5.search(text, limit=20), python.search(text, limit=20)
    assert [(h.record_id, h.score) for h in x.records] == [
        (h.record_id, pytest.approx(h.score)) for h in y.records
    ]


@given(st.text(max_size=80))
@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_token_count_is_the_tokenizers(text: str) -> None:
    folded = fold(text)
    assert count_tokens(folded) == len(INDEX_TOKEN.findall(folded))


def test_building_the_index_keeps_no_records_of_a_cached_dossier(tmp_path: Path) -> None:
    import pickle

    from conftest import FIXTURE_DOSSIER

    from partnership_tui.model.dossier.load import load_dossier

    fresh = load_dossier(FIXTURE_DOSSIER)
    cached = Dossier.from_compact(pickle.loads(pickle.dumps(fresh.to_compact())))
    index = SearchIndex.build(cached)
    # Only sources (their text is searched) are built; the records stay compact.
    assert {cached.kind_of(i) for i in cached.built_ids()} <= {"source"}
    hits = index.search("Roe")
    assert "jane-roe" in [hit.record_id for hit in hits.records]


# --- ranked ahead: the lists built for common words give the query's own answer ----------


def _many_passages() -> Dossier:
    """Sources of many short paragraphs sharing common words, in varied counts and lengths."""
    words = ["alpha", "beta", "gamma", "delta", "omega"]
    sources = []
    for s in range(6):
        paragraphs = []
        for i in range(40):
            picked = [words[(i * k + s) % len(words)] for k in range(1, 2 + (i + s) % 6)]
            paragraphs.append(" ".join(picked + ["filler"] * ((i * 7 + s) % 13)) + ".")
        text = "\n\n".join(paragraphs) + "\n"
        sources.append(
            Source(
                id=f"s{s}",
                name=f"Source {s}",
                summary="",
                citations=(),
                published=parse_date(f"{2019 + s}-01-01"),
                text=text,
                sentences=split_sentences(text),
            )
        )
    return Dossier([*sources, *_all_records(_many_records())], title="many passages")


def _all_records(dossier: Dossier) -> list[AnyRecord]:
    return [dossier[record_id] for record_id in dossier.all_ids()]


def _hits(results: SearchResults) -> list[tuple[str, int, float]]:
    return [(h.source_id, h.start, h.score) for h in results.passages]


@pytest.mark.parametrize("kept", [10, 60, 1000])
def test_ranked_ahead_lists_answer_as_the_query_would(
    monkeypatch: pytest.MonkeyPatch, kept: int
) -> None:
    dossier = _many_passages()
    monkeypatch.setattr(search_module, "_AHEAD_ROWS", 20)
    monkeypatch.setattr(search_module, "_AHEAD_LIMIT", kept)
    monkeypatch.setattr(search_module, "_SAMPLE_STEP", 1)
    ahead = SearchIndex.build(dossier)
    assert ("p", "alpha") in ahead._ahead and ("p", "filler") in ahead._ahead
    plain = SearchIndex.build(dossier)
    plain._ahead.clear()
    python = _reference(dossier)
    answered = 0
    original = ahead._ranked_ahead

    def counted(*args: object) -> object:
        nonlocal answered
        found = original(*args)  # type: ignore[arg-type]
        answered += found is not None
        return found

    monkeypatch.setattr(ahead, "_ranked_ahead", counted)
    texts = ("alpha", '"beta"', "filler", "omega -beta", "gamma after:2022", "delta before:2021")
    filtered = tuple(
        f"{word} source:{ids}" for word in ("alpha", "filler") for ids in ("s2", "s0,s5")
    )
    for text in texts + filtered:
        for limit in (1, 3, 5, 10, 11, 200):
            a, b, c = (i.search(text, limit=limit) for i in (ahead, plain, python))
            assert _hits(a) == _hits(b), (text, limit)
            assert a.total_passages == b.total_passages == c.total_passages, (text, limit)
            assert [(h.source_id, h.start) for h in a.passages] == [
                (h.source_id, h.start) for h in c.passages
            ], (text, limit)
            assert [h.snippet for h in a.passages] == [h.snippet for h in b.passages]
    assert answered > 20  # the lists did answer, filtered and not


@pytest.mark.parametrize("text", ["opened", "alpha", "office cloud", "cloud*"])
def test_streamed_record_ranking_equals_full_rerank(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    """A word in very many names is ranked by reading matches best first: same answer."""
    monkeypatch.setattr(search_module, "_NAMED_AT_ONCE", 0)
    index = SearchIndex.build(_many_records())
    full = _full_rerank(index, text.rstrip("*"))
    for limit in (1, 5, 50):
        results = index.search(text, limit=limit)
        got = [(hit.record_id, hit.score) for hit in results.records]
        if text.endswith("*"):  # the re-rank above takes whole words only: compare totals
            assert results.total_records >= len(full)
            continue
        assert results.total_records == len(full)
        assert [r for r, _ in got] == [r for r, _ in full[:limit]], (text, limit)
        assert [s for _, s in got] == pytest.approx([s for _, s in full[:limit]])
