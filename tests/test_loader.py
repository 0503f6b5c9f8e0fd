"""Each loader rule, proved on a small dossier broken in exactly one way."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from dossier_factory import CITE, write_dossier

from partnership_tui.model.dossier.load import load_dossier
from partnership_tui.model.read.problems import DossierError


def problems_of(root: Path) -> list[str]:
    with pytest.raises(DossierError) as caught:
        load_dossier(root)
    return [str(p) for p in caught.value.problems]


def one_problem(root: Path) -> str:
    found = problems_of(root)
    assert len(found) == 1, found
    return found[0]


def test_base_dossier_is_valid(tmp_path: Path) -> None:
    dossier = load_dossier(write_dossier(tmp_path))
    assert dossier["first-investment"].amount.value == 1_000_000_000
    assert {r.id for r in dossier.involving("openai")} >= {"first-investment", "sam-altman"}


def test_yaml_syntax_error_has_position(tmp_path: Path) -> None:
    write_dossier(tmp_path, {"products.yaml": "- id: x\n  name: [unclosed\n"})
    problem = one_problem(tmp_path)
    assert problem.startswith(f"{tmp_path / 'products.yaml'}:3:1: YAML syntax"), problem


def test_duplicate_key_names_both_lines(tmp_path: Path) -> None:
    write_dossier(
        tmp_path,
        {"products.yaml": "- id: bing\n  name: Bing\n  name: Bing again\n" + CITE},
    )
    assert one_problem(tmp_path).endswith(
        "products.yaml:3:3: duplicate key 'name' (first at line 2) (keep one of them)"
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("- id: &a x\n", "anchors (&name) are not allowed"),
        ("- id: x\n  name: *a\n", "aliases (*name) are not allowed"),
        ("- id: !!python/object/apply:os.system [echo hi]\n", "tag"),
        ("- !!binary aGk=\n", "tag"),
    ],
)
def test_unsafe_yaml_features_refused(tmp_path: Path, body: str, message: str) -> None:
    write_dossier(tmp_path, {"products.yaml": body})
    assert message in one_problem(tmp_path)


def test_billion_laughs_refused_before_expansion(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for index in range(1, 9):
        prev = chr(ord("a") + index - 1)
        lines.append(
            f"{chr(ord('a') + index)}: &{chr(ord('a') + index)} [{', '.join(['*' + prev] * 9)}]"
        )
    write_dossier(tmp_path, {"dossier.yaml": "\n".join(lines) + "\n"})
    assert "anchors (&name) are not allowed" in one_problem(tmp_path)


def test_deep_nesting_refused_without_crashing(tmp_path: Path) -> None:
    """PyYAML's C composer segfaults near depth 25,000: a subprocess proves we never get there."""
    depth = 100_000
    write_dossier(tmp_path, {"products.yaml": "[" * depth + "]" * depth + "\n"})
    code = (
        "import sys; from partnership_tui.model.dossier.load import load_dossier\n"
        "from partnership_tui.model.read.problems import DossierError\n"
        "try: load_dossier(sys.argv[1])\n"
        "except DossierError as e: print(e.report())\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert "products.yaml:1:17: nested deeper than 16 levels" in result.stdout


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    write_dossier(
        tmp_path,
        {"products.yaml": "- id: bing\n  name: Bing\n  alises: [b]\n" + CITE},
    )
    assert one_problem(tmp_path).endswith(
        "products.yaml:3:3: unknown key 'alises' in product (did you mean 'aliases'?)"
    )


@pytest.mark.parametrize("bad_id", ["Bing", "bing--x", "bing_x", "-bing", "bing search"])
def test_bad_ids(tmp_path: Path, bad_id: str) -> None:
    write_dossier(
        tmp_path,
        {"products.yaml": f"- id: {bad_id}\n  name: Bing\n" + CITE},
    )
    assert f"bad id {bad_id!r}" in one_problem(tmp_path)


def test_duplicate_id_across_files_names_both_places(tmp_path: Path) -> None:
    write_dossier(
        tmp_path,
        {"products.yaml": "- id: openai\n  name: OpenAI API\n" + CITE},
    )
    problem = one_problem(tmp_path)
    assert "products.yaml:1:7: duplicate id 'openai', first defined at " in problem
    assert "companies.yaml:4:7" in problem


def test_dangling_reference_suggests_near_id(tmp_path: Path) -> None:
    write_dossier(
        tmp_path,
        {"products.yaml": "- id: bing\n  name: Bing\n  maker: microsfot\n" + CITE},
    )
    assert one_problem(tmp_path).endswith(
        "products.yaml:3:10: maker 'microsfot' does not exist (did you mean 'microsoft'?)"
    )


def test_wrong_kind_reference(tmp_path: Path) -> None:
    write_dossier(
        tmp_path,
        {"products.yaml": "- id: bing\n  name: Bing\n  maker: sam-altman\n" + CITE},
    )
    assert "maker 'sam-altman' is a person, not a company" in one_problem(tmp_path)


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2023-02-30", "impossible date '2023-02-30': Feb 2023 has 28 days"),
        ("2023-13", "no month 13"),
        ("November 2023", "malformed date"),
        ("23-11-17", "malformed date"),
    ],
)
def test_bad_dates(tmp_path: Path, date: str, message: str) -> None:
    events = f'- id: e\n  name: E\n  date: "{date}"\n' + CITE
    write_dossier(tmp_path, {"events.yaml": events})
    problem = one_problem(tmp_path)
    assert "events.yaml:3:9:" in problem and message in problem


def test_unquoted_date_is_kept_as_written(tmp_path: Path) -> None:
    events = "- id: e\n  name: E\n  date: 2023-11-17\n" + CITE
    dossier = load_dossier(write_dossier(tmp_path, {"events.yaml": events}))
    assert dossier["e"].date.text == "2023-11-17"


def test_end_before_start(tmp_path: Path) -> None:
    people = """
        - id: sam-altman
          name: Sam Altman
          roles:
            - org: openai
              title: CEO
              start: "2023-11-20"
              end: "2023-11"
              citations: [{source: news, exact: "Sam Altman leads OpenAI."}]
          citations: [{source: news, exact: "Sam Altman leads OpenAI."}]
    """
    write_dossier(tmp_path, {"people.yaml": people})
    # a month that contains the start is not "before" it; a day that is, is
    load_dossier(tmp_path)
    write_dossier(tmp_path, {"people.yaml": people.replace('end: "2023-11"', 'end: "2023-10-31"')})
    assert "ends (2023-10-31) before it starts (2023-11-20)" in one_problem(tmp_path)


def test_deal_needs_two_distinct_parties(tmp_path: Path) -> None:
    deals = """
        - id: d
          name: D
          parties: [{ref: microsoft, role: investor}, {ref: microsoft, role: investee}]
          citations: [{source: news, exact: "Sam Altman leads OpenAI."}]
    """
    write_dossier(tmp_path, {"deals.yaml": deals, "events.yaml": None})
    assert "deal needs at least two distinct parties (has 1)" in one_problem(tmp_path)


def test_tension_needs_two_parties(tmp_path: Path) -> None:
    tensions = """
        - id: t
          name: T
          category: governance
          parties:
            - ref: openai
              stance: wary
              citations: [{source: news, exact: Sam Altman leads OpenAI.}]
          citations: [{source: news, exact: "Sam Altman leads OpenAI."}]
    """
    write_dossier(tmp_path, {"tensions.yaml": tensions})
    assert "tension needs at least two distinct parties (has 1)" in one_problem(tmp_path)


def tension_with(parties: str) -> str:
    """A tension whose `parties:` block is `parties` (already indented as list items)."""
    return (
        "- id: t\n  name: T\n  category: governance\n  parties:\n"
        + parties
        + "  citations: [{source: news, exact: Sam Altman leads OpenAI.}]\n"
    )


STANCE_CITE = "citations: [{source: news, exact: Sam Altman leads OpenAI.}]"


def test_stance_without_citations_is_refused_where_it_stands(tmp_path: Path) -> None:
    parties = (
        f"    - {{ref: openai, stance: wary, {STANCE_CITE}}}\n"
        "    - ref: microsoft\n"
        "      stance: keen to keep funding\n"
    )
    write_dossier(tmp_path, {"tensions.yaml": tension_with(parties)})
    assert one_problem(tmp_path) == (
        f"{tmp_path / 'tensions.yaml'}:7:15: the stance of 'microsoft' has no citation "
        "(a stance cites its own sentences: add citations: [{source: ..., exact: ...}] "
        "to the party, beside stance:)"
    )


def test_stance_with_an_empty_citation_list_is_refused(tmp_path: Path) -> None:
    parties = (
        f"    - {{ref: openai, stance: wary, {STANCE_CITE}}}\n"
        "    - {ref: microsoft, stance: keen, citations: []}\n"
    )
    write_dossier(tmp_path, {"tensions.yaml": tension_with(parties)})
    assert "the stance of 'microsoft' has no citation" in one_problem(tmp_path)


def test_stance_quotes_are_verified_like_any_other(tmp_path: Path) -> None:
    parties = (
        f"    - {{ref: openai, stance: wary, {STANCE_CITE}}}\n"
        "    - {ref: microsoft, stance: keen, citations: [{source: news, exact: Nobody said.}]}\n"
    )
    write_dossier(tmp_path, {"tensions.yaml": tension_with(parties)})
    assert one_problem(tmp_path) == (
        f"{tmp_path / 'tensions.yaml'}:6:72: quote not found in source 'news' "
        "(copy the sentence exactly from the source text)"
    )


def test_stance_citations_belong_to_the_tension(tmp_path: Path) -> None:
    parties = (
        f"    - {{ref: openai, stance: wary, {STANCE_CITE}}}\n"
        "    - ref: microsoft\n"
        "      stance: invested\n"
        "      citations:\n"
        "        - {source: news, exact: Microsoft invested $1 billion in OpenAI in 2019.}\n"
    )
    dossier = load_dossier(write_dossier(tmp_path, {"tensions.yaml": tension_with(parties)}))
    tension = dossier["t"]
    microsoft = next(p for p in tension.parties if p.ref == "microsoft")
    assert [c.quote for c in microsoft.citations] == [
        "Microsoft invested $1 billion in OpenAI in 2019."
    ]
    assert microsoft.citations[0] in dossier.citations_of("t")


def test_a_deal_role_takes_no_citations(tmp_path: Path) -> None:
    deals = """
        - id: d
          name: D
          parties:
            - ref: microsoft
              role: investor
              citations: [{source: news, exact: Sam Altman leads OpenAI.}]
            - {ref: openai, role: investee}
          citations: [{source: news, exact: "Sam Altman leads OpenAI."}]
    """
    write_dossier(tmp_path, {"deals.yaml": deals, "events.yaml": None})
    assert "unknown key 'citations' in party" in one_problem(tmp_path)


def test_status_defaults_to_unknown(tmp_path: Path) -> None:
    parties = (
        f"    - {{ref: openai, stance: a, {STANCE_CITE}}}\n"
        f"    - {{ref: microsoft, stance: b, {STANCE_CITE}}}\n"
    )
    dossier = load_dossier(write_dossier(tmp_path, {"tensions.yaml": tension_with(parties)}))
    assert dossier["t"].status == "unknown"
    deals = "- id: d\n  name: D\n  parties: [{ref: microsoft, role: a}, {ref: openai, role: b}]\n"
    dossier = load_dossier(
        write_dossier(tmp_path / "deal", {"deals.yaml": deals + CITE, "events.yaml": None})
    )
    assert dossier["d"].status == "unknown"


def test_record_without_citation(tmp_path: Path) -> None:
    write_dossier(tmp_path, {"products.yaml": "- id: bing\n  name: Bing\n"})
    assert one_problem(tmp_path).endswith(
        "products.yaml:1:3: product bing has no citation "
        "(add citations: [{source: ..., exact: ...}] with the "
        "sentence that says it)"
    )


def test_quote_not_in_source_says_where_it_diverges(tmp_path: Path) -> None:
    products = (
        "- id: bing\n  name: Bing\n"
        "  citations: [{source: news, exact: 'Microsoft invested $2 billion in OpenAI'}]\n"
    )
    write_dossier(tmp_path, {"products.yaml": products})
    problem = one_problem(tmp_path)
    assert "products.yaml:3:37: quote not found in source 'news'" in problem
    assert "matches up to ...'Microsoft invested $'" in problem


def test_quote_found_twice_needs_prefix(tmp_path: Path) -> None:
    events = "- id: e\n  name: E\n  citations: [{source: news, exact: Altman spoke.}]\n"
    write_dossier(tmp_path, {"events.yaml": events})
    assert "quote occurs 2 times in source 'news'" in one_problem(tmp_path)


def test_prefix_and_suffix_pick_one_occurrence(tmp_path: Path) -> None:
    dossier = load_dossier(write_dossier(tmp_path))
    [citation] = dossier["altman-speaks"].citations
    text = dossier["news"].text
    assert text[citation.start : citation.end] == "Altman spoke."
    assert citation.start == text.index("Altman spoke.")
    events = (
        "- id: e\n  name: E\n"
        "  citations: [{source: news, exact: Altman spoke., suffix: A metaphor}]\n"
    )
    dossier = load_dossier(write_dossier(tmp_path, {"events.yaml": events}))
    [citation] = dossier["e"].citations
    assert citation.start == text.rindex("Altman spoke.")


def test_quote_matches_across_curly_quotes_and_whitespace(tmp_path: Path) -> None:
    article = "He said \u201cnowhere near\u201d the\n   frenemy territory. Nadella\u2019s view.\n"
    events = (
        "- id: e\n  name: E\n"
        "  citations: [{source: news, exact: 'He said \"nowhere near\" the frenemy territory.'}]\n"
        "- id: f\n  name: F\n"
        '  citations: [{source: news, exact: "Nadella\'s view."}]\n'
    )
    overrides = {
        "events.yaml": events,
        "companies.yaml": None,
        "people.yaml": None,
        "deals.yaml": None,
    }
    dossier = load_dossier(write_dossier(tmp_path, overrides, article=article))
    [citation] = dossier["e"].citations
    assert citation.quote == article[citation.start : citation.end]
    assert citation.quote.startswith("He said \u201c") and citation.quote.endswith("territory.")
    assert dossier["f"].citations[0].quote == "Nadella\u2019s view."


def test_missing_source_text(tmp_path: Path) -> None:
    write_dossier(tmp_path)
    (tmp_path / "sources" / "news.txt").unlink()
    problem = one_problem(tmp_path)
    assert "sources.yaml:1:7: source text sources/news.txt is missing" in problem


def test_source_text_not_utf8(tmp_path: Path) -> None:
    write_dossier(tmp_path, article=b"Microsoft \xff invested\n")
    found = problems_of(tmp_path)
    assert any("news.txt:1:11: source text is not UTF-8 (byte 0xff)" in p for p in found), found


@pytest.mark.parametrize(
    ("raw", "where", "what"),
    [
        (b"- id: x\n  name: \xc3\n", "1:1" if False else "2:9", "not UTF-8"),
        (b"- id: x\n  name: a\x00b\n", "2:10", "NUL byte"),
        (b"- id: x\n  name: \x1b[2J\n", "2:9", "raw ESC character"),
        (b"- id: x\n  name: a\xef\xbb\xbfb\n", "2:10", "byte-order mark"),
    ],
)
def test_bad_bytes_in_yaml(tmp_path: Path, raw: bytes, where: str, what: str) -> None:
    write_dossier(tmp_path, {"products.yaml": raw})
    problem = one_problem(tmp_path)
    assert f"products.yaml:{where}: {what}" in problem, problem


def test_leading_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    body = (
        "- id: bing\n  name: Bing\n  citations: [{source: news, exact: Sam Altman leads OpenAI.}]\n"
    )
    write_dossier(tmp_path, {"products.yaml": b"\xef\xbb\xbf" + body.encode()})
    assert load_dossier(tmp_path)["bing"].name == "Bing"


@pytest.mark.parametrize("value", ["no", "on", "0755", "1:30", "null-ish", "1e3"])
def test_yaml11_surprises_stay_strings(tmp_path: Path, value: str) -> None:
    body = f"- id: bing\n  name: {value}\n" + CITE
    dossier = load_dossier(write_dossier(tmp_path, {"products.yaml": body}))
    assert dossier["bing"].name == value


def test_booleans_must_be_true_or_false(tmp_path: Path) -> None:
    events = "- id: e\n  name: E\n  projected: yes\n" + CITE
    write_dossier(tmp_path, {"events.yaml": events})
    assert "events.yaml:3:14: 'projected' must be true or false" in one_problem(tmp_path)


def test_amount_value_must_be_a_number(tmp_path: Path) -> None:
    deals = """
        - id: d
          name: D
          parties: [{ref: microsoft, role: investor}, {ref: openai, role: investee}]
          amount: {value: $1bn, currency: usd, text: $1 billion}
          citations: [{source: news, exact: "Sam Altman leads OpenAI."}]
    """
    write_dossier(tmp_path, {"deals.yaml": deals, "events.yaml": None})
    found = problems_of(tmp_path)
    assert any("amount value '$1bn' is not a number" in p for p in found), found
    assert any("currency 'usd' is not an ISO code" in p for p in found), found


def test_enum_value_suggests(tmp_path: Path) -> None:
    tensions = """
        - id: t
          name: T
          category: goverance
          parties:
            - ref: openai
              stance: a
              citations: [{source: news, exact: Sam Altman leads OpenAI.}]
            - ref: microsoft
              stance: b
              citations: [{source: news, exact: Sam Altman leads OpenAI.}]
          citations: [{source: news, exact: "Sam Altman leads OpenAI."}]
    """
    write_dossier(tmp_path, {"tensions.yaml": tensions})
    assert "'category' cannot be 'goverance' (did you mean 'governance'?)" in one_problem(tmp_path)


def test_shared_alias_is_an_error(tmp_path: Path) -> None:
    products = "- id: altman-bot\n  name: Altman Bot\n  aliases: [Altman]\n" + CITE
    write_dossier(tmp_path, {"products.yaml": products})
    assert "alias 'Altman' of 'altman-bot' is also used by 'sam-altman'" in one_problem(tmp_path)


def test_every_error_is_collected(tmp_path: Path) -> None:
    products = (
        "- id: Bad\n  name: X\n  citations: [{source: news, exact: Sam Altman leads OpenAI.}]\n"
        "- id: y\n  name: Y\n  maker: nobody\n  citations: [{source: nowhere, exact: x}]\n"
    )
    write_dossier(tmp_path, {"products.yaml": products})
    found = problems_of(tmp_path)
    assert len(found) == 3, found


def test_loading_never_changes_the_files(tmp_path: Path) -> None:
    write_dossier(tmp_path, {"products.yaml": "- id: broken\n  name: [\n"})

    def snapshot() -> dict[str, tuple[str, int, int]]:
        out = {}
        for path in sorted(tmp_path.rglob("*")):
            if path.is_file():
                st = path.stat()
                out[str(path)] = (
                    hashlib.sha256(path.read_bytes()).hexdigest(),
                    st.st_mtime_ns,
                    st.st_mode,
                )
        return out

    before = snapshot()
    problems_of(tmp_path)
    assert snapshot() == before
    (tmp_path / "products.yaml").unlink()
    before = snapshot()
    load_dossier(tmp_path)
    assert snapshot() == before
    assert sorted(os.listdir(tmp_path)) == sorted(
        ["sources", "sources.yaml", "companies.yaml", "people.yaml", "deals.yaml", "events.yaml"]
    )


def test_a_missing_folder_or_a_file_is_reported_without_line_and_column(tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    assert one_problem(missing) == f"{missing}: no such folder (check the path)"
    (tmp_path / "file").write_text("x")
    assert (
        one_problem(tmp_path / "file")
        == f"{tmp_path / 'file'}: not a folder (pass the dossier's folder)"
    )


def test_ids_follow_list_order_without_records(tmp_path: Path) -> None:
    dossier = load_dossier(write_dossier(tmp_path / "d"))
    for kind in ("company", "person", "event", "source"):
        assert dossier.ids(kind) == tuple(r.id for r in dossier.by_kind(kind))
    assert dossier.timeline_ids == tuple(e.id for e in dossier.timeline)
    assert len(dossier.timeline_ids) > 1


def test_progress_moves_within_a_long_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Steps never go back, a file of many records reports as it goes, and the last call is done."""
    from partnership_tui.model.dossier import load as loader

    monkeypatch.setattr(loader, "PROGRESS_EVERY", 2)
    calls: list[tuple[str, int, int]] = []
    load_dossier(write_dossier(tmp_path), progress=lambda *call: calls.append(call))
    steps = [done for _, done, _ in calls]
    assert steps == sorted(steps)
    assert calls[-1][1] == calls[-1][2]
    assert any(what.startswith("checking companies: 2 of 4") for what, _, _ in calls), calls


# --- streamed reading: each record is built as its entry is read --------------------------

_BROKEN_EVENTS = """
- id: ev-a
  name: A
  involves: [microsoft, missing-one]
  citations: [{source: news, exact: "Altman spoke.", prefix: "praised the deal."}]
- just a string
- id: ev-a
  name: Duplicate
  citations: [{source: news, exact: "not there at all"}]
- [a, list]
- id: ev-b
  name: B
  unknown_key: x
  date: "2019-13"
  citations: [{source: nowhere, exact: "Sam Altman leads OpenAI."}]
"""


def _outcome(root: Path) -> object:
    """What a load gives: the records and mentions, or the problems, as comparable values."""
    try:
        dossier = load_dossier(root)
    except DossierError as exc:
        return [str(p) for p in exc.problems]
    records = tuple(dossier.get(i) for i in dossier.all_ids())
    return records, tuple(dossier.mentions_in(s.id) for s in dossier.sources)


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"events.yaml": _BROKEN_EVENTS},
        {"events.yaml": _BROKEN_EVENTS + "- id: ev-c\n  name: &anchor C\n"},  # libyaml's refusal
        {
            "events.yaml": _BROKEN_EVENTS + "- id: ev-c\n  name: {a: b,\n    c: d}\n"
        },  # gives up late
        {"events.yaml": "id: not-a-list\n"},
        {"events.yaml": "# only a comment\n"},
    ],
    ids=["valid", "broken", "anchor-at-end", "fast-reader-gives-up-late", "mapping", "empty"],
)
def test_streamed_load_equals_reading_whole_files_first(
    tmp_path: Path, overrides: dict[str, str | bytes | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records built while the file is read give the same records, problems and order as
    reading each file's whole tree first, and as a fast reader that gives up at the end."""
    from partnership_tui.model.dossier import load as loader
    from partnership_tui.model.read import yamlfast

    root = write_dossier(tmp_path, overrides)
    streamed = _outcome(root)
    monkeypatch.setattr(loader, "BATCH", 2)  # entries built in several batches
    assert _outcome(root) == streamed
    monkeypatch.setattr(
        loader, "read_subset", lambda text, on_item=None: yamlfast.read_subset(text)
    )
    assert _outcome(root) == streamed

    def gives_up_at_the_end(text: str, on_item: object = None) -> object:
        yamlfast.read_subset(text, on_item)  # type: ignore[arg-type]
        raise yamlfast.Unsupported("late")

    monkeypatch.setattr(loader, "read_subset", gives_up_at_the_end)
    assert _outcome(root) == streamed
    if overrides.get("events.yaml") == _BROKEN_EVENTS:
        assert isinstance(streamed, list) and len(streamed) >= 6, streamed
