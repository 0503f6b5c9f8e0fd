"""Mention linking: whole words, longest name first, short names case-sensitive."""

from __future__ import annotations

from pathlib import Path

from dossier_factory import write_dossier
from hypothesis import given, settings
from hypothesis import strategies as st

from partnership_tui.model.build.mentions import (
    TOKEN,
    MentionMatcher,
    mention_columns,
    record_ids,
)
from partnership_tui.model.build.records import Mention
from partnership_tui.model.build.text import sentence_containing, split_sentences
from partnership_tui.model.dossier.load import load_dossier


def found(names: list[tuple[str, str, bool]], text: str) -> list[tuple[str, str]]:
    matcher = MentionMatcher(names)
    return [
        (m.record, text[m.start : m.end]) for m in matcher.find("s", text, split_sentences(text))
    ]


def test_whole_words_only() -> None:
    names = [("meta", "Meta", False), ("openai", "OpenAI", False)]
    assert found(names, "Metadata and metaverse; OpenAIX; Meta's plan; OpenAI-Microsoft") == [
        ("meta", "Meta"),
        ("openai", "OpenAI"),
    ]


def test_longest_name_wins() -> None:
    names = [("ms", "Microsoft", False), ("msr", "Microsoft Research", False)]
    assert found(names, "Microsoft Research and Microsoft.") == [
        ("msr", "Microsoft Research"),
        ("ms", "Microsoft"),
    ]


def test_short_names_are_case_sensitive_long_ones_are_not() -> None:
    names = [("phi", "Phi", False), ("openai", "OpenAI", False)]
    assert found(names, "phi and Phi; OPENAI and openai") == [
        ("phi", "Phi"),
        ("openai", "OPENAI"),
        ("openai", "openai"),
    ]


def test_match_case_flag() -> None:
    assert found([("apple", "Apple", True)], "an apple, Apple") == [("apple", "Apple")]


def test_names_with_punctuation_and_spacing() -> None:
    names = [("gpt4", "GPT-4", False), ("orca2", "Orca 2", False)]
    text = "GPT-4 beat GPT-40 and GPT4; Orca 2 and Orca\n2 but not Orca 23"
    assert found(names, text) == [("gpt4", "GPT-4"), ("orca2", "Orca 2"), ("orca2", "Orca\n2")]


def test_mentions_carry_their_sentence(tmp_path: Path) -> None:
    dossier = load_dossier(write_dossier(tmp_path))
    text = dossier["news"].text
    sentences = {
        text[m.sentence_start : m.sentence_end] for m in dossier.mentions_of("satya-nadella")
    }
    assert sentences == {"Nadella praised the deal."}
    microsoft = [text[m.start : m.end] for m in dossier.mentions_of("microsoft")]
    assert microsoft == ["Microsoft"]  # "Microsoft Research" belongs to its own record
    assert [text[m.start : m.end] for m in dossier.mentions_of("meta")] == ["Meta"]
    assert len(dossier.mentions_of("sam-altman")) == 3


# --- the C-level tokenising equals the token-by-token definition ---------------


def reference_find(
    matcher: MentionMatcher, source: str, text: str, sentences: tuple[tuple[int, int], ...]
) -> list[Mention]:
    """The token walk the fast `find` replaced: every token looked at in Python."""
    tokens = [(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)]
    folded = [t[2].casefold() for t in tokens]
    found: list[Mention] = []
    index = 0
    while index < len(tokens):
        matched = 0
        for length in matcher._lengths.get(folded[index], ()):
            if index + length > len(tokens):
                continue
            key = tuple(folded[index : index + length])
            for pattern in matcher._by_tokens.get(key, ()):
                ok = True
                for k in range(length):
                    token = tokens[index + k]
                    if pattern.case_sensitive and token[2] != pattern.exact[k]:
                        ok = False
                    if k + 1 < length:
                        gap = text[token[1] : tokens[index + k + 1][0]]
                        if pattern.spaced[k] != bool(gap) or (gap and not gap.isspace()):
                            ok = False
                if ok:
                    matched = length
                    start, end = tokens[index][0], tokens[index + length - 1][1]
                    span = sentence_containing(sentences, start) or (start, end)
                    found.append(Mention(pattern.record, source, start, end, span[0], span[1]))
                    break
            if matched:
                break
        index += matched or 1
    return found


WORDS = ["Open", "AI", "OpenAI", "open", "ai", "GPT", "-", "4", "Orca", "2", "STRASSE", "Straße"]
NAMES = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c"]),
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join)
        | st.sampled_from(["GPT-4", "Open AI", "Orca 2", "ǅ", "K", "\u212a"]),
        st.booleans(),
    ),
    max_size=6,
)
TEXTS = st.lists(
    st.sampled_from([*WORDS, " ", "  ", "\n", ".", ". ", "ǆ", "k", "\u212a", "é", "_"]),
    max_size=40,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(names=NAMES, text=TEXTS)
def test_fast_find_equals_the_token_walk(names: list[tuple[str, str, bool]], text: str) -> None:
    matcher = MentionMatcher(names)
    sentences = split_sentences(text)
    assert matcher.find("s", text, sentences) == reference_find(matcher, "s", text, sentences)


# --- the automaton finds what the token table finds -----------------------------------

# Pieces that stress what the automaton's text changes: casefolding (ß, İ, K, ǅ change
# length or letter), white space of every kind (tab, no-break, em space, line breaks),
# punctuation and underscores at token edges, and names inside longer words.
PIECES = [
    *WORDS,
    *["Microsoft", "Microsoft Research", "Meta", "metadata", "AT", "&", "T", "ASP", ".NET"],
    *[" ", "  ", "\n", "\t", "\u00a0", "\u2003", " \n ", "\r\n", ".", ",", "'s", "_", "-"],
    *["İ", "ß", "ss", "ǆ", "\u212a", "k", "é", "e\u0301", "ﬁ", "fi"],
]
RICH_NAMES = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", "c", "d"]),
        st.lists(st.sampled_from(PIECES), min_size=1, max_size=3).map("".join)
        | st.lists(st.sampled_from(WORDS), min_size=1, max_size=3).map(" ".join),
        st.booleans(),
    ),
    max_size=8,
)
RICH_TEXTS = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@settings(max_examples=600, deadline=None)
@given(names=RICH_NAMES, text=RICH_TEXTS)
def test_automaton_equals_the_token_table(names: list[tuple[str, str, bool]], text: str) -> None:
    matcher = MentionMatcher(names)
    sentences = split_sentences(text)
    assert matcher.rows(text, sentences) == matcher.token_rows(text, sentences)


def test_automaton_equals_the_token_table_on_the_bundled_dossier() -> None:
    """Every name of every record of the bundled dossier, in every source text."""
    from partnership_tui.model import bundled_data_dir
    from partnership_tui.model.dossier.indexes import mention_names

    dossier = load_dossier(bundled_data_dir())
    records = [record for record_id in dossier.all_ids() for record in [dossier[record_id]]]
    matcher = MentionMatcher(mention_names(records))
    total = 0
    for source in dossier.sources:
        rows = matcher.rows(source.text, source.sentences)
        assert rows == matcher.token_rows(source.text, source.sentences), source.id
        total += len(rows)
    assert total > 100  # the dossier's names are found, not skipped


def test_text_whose_casefold_changes_length_uses_the_token_table() -> None:
    names = [("strasse", "Straße", False), ("ms", "Microsoft", False)]
    text = "Die Straße  und\tMicrosoft; STRASSE"
    matcher = MentionMatcher(names)
    rows = matcher.rows(text, split_sentences(text))
    assert [text[start:end] for _, start, end, _, _ in rows] == ["Straße", "Microsoft", "STRASSE"]


# --- the columns a cold load packs hold what `rows` finds ---------------------------------


@settings(max_examples=300, deadline=None)
@given(names=RICH_NAMES, texts=st.lists(RICH_TEXTS, max_size=4))
def test_mention_columns_equal_the_rows(
    names: list[tuple[str, str, bool]], texts: list[str]
) -> None:
    """Source by source, in order, each column row is a `rows` tuple with its record as an
    index into `record_ids(names)`."""
    matcher = MentionMatcher(names)
    sources = [(f"s{i}", text, split_sentences(text)) for i, text in enumerate(texts)]
    found = list(mention_columns(names, sources))
    assert [source_id for source_id, _ in found] == [source_id for source_id, _, _ in sources]
    ids = record_ids(names)
    assert len(ids) == len(set(ids)) and set(ids) == {record for record, _, _ in names}
    for (_, columns), (_, text, sentences) in zip(found, sources, strict=True):
        rec, start, end, s_start, s_end = columns
        assert len({len(column) for column in columns}) == 1
        rows = list(zip([ids[i] for i in rec], start, end, s_start, s_end, strict=True))
        assert rows == matcher.rows(text, sentences)
