"""Mention linking: whole words, longest name first, short names case-sensitive."""

from __future__ import annotations

from pathlib import Path

from dossier_factory import write_dossier

from partnership_tui.model.loader import load_dossier
from partnership_tui.model.mentions import MentionMatcher
from partnership_tui.model.text import split_sentences


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
