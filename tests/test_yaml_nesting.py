"""The nesting limit is ours: measured on the raw text before any YAML library reads it.

PyYAML's own limits move between releases (6.0.4 refuses 1,000 open flow brackets while
reading ahead), so the loader's message may not depend on them. These tests hold the
pre-scan to the exact count and position of a walk over the parser's events.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from partnership_tui.model.read.yamlsafe import MAX_DEPTH, YamlProblems, first_too_deep, read_yaml

ROOT = Path(__file__).resolve().parent.parent


def events_too_deep(text: str, limit: int) -> tuple[int, int] | None:
    """Where the event stream first opens a collection deeper than `limit` (the reference)."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            if depth >= limit:
                return event.start_mark.line + 1, event.start_mark.column + 1
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def max_depth(text: str) -> int:
    depth = deepest = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            deepest = max(deepest, depth)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return deepest


def agrees(text: str) -> None:
    for limit in range(1, max_depth(text) + 1):
        assert first_too_deep(text, limit) == events_too_deep(text, limit), limit


TRICKY = st.text(alphabet="ab :#-'\"[]{},|>?&*!\n\t\u00e9\u2019", max_size=12)
LEAVES = st.one_of(TRICKY, st.integers(), st.booleans(), st.none())
TREES = st.recursive(
    LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(TRICKY, inner, max_size=4)
    ),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(
    tree=TREES,
    flow=st.sampled_from([None, True, False]),
    width=st.sampled_from([20, 80, 1000]),
    indent=st.sampled_from([2, 4]),
)
def test_prescan_counts_what_the_parser_counts(
    tree: object, flow: bool | None, width: int, indent: int
) -> None:
    text = yaml.safe_dump(
        tree, default_flow_style=flow, width=width, indent=indent, allow_unicode=True
    )
    agrees(text)


def test_prescan_agrees_on_every_yaml_file_in_the_repository() -> None:
    files = [
        path
        for path in ROOT.rglob("*.yaml")
        if ".venv" not in path.parts and "benchmarks" not in path.parts
    ]
    assert len(files) > 10
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
            yaml.parse(text, Loader=yaml.SafeLoader)
            depth = max_depth(text)
        except (UnicodeDecodeError, yaml.YAMLError):
            continue  # hostile corpus files the parser refuses: nothing to compare
        for limit in range(1, depth + 1):
            assert first_too_deep(text, limit) == events_too_deep(text, limit), (path, limit)


def test_hand_written_shapes() -> None:
    shapes = [
        "key:\n- a\n- b\nother: x\n",
        "- - - x\n  - y\n- z\n",
        "a:\n  b:\n    c: [1, {d: [e]}]\n",
        "a: |\n  [[[ not [ a [ collection\n  - nor this\nb: [x]\n",
        "a: 'it''s [not' \nb: \"q \\\" [\" \nc: [ 'x]', \"y}\" ]\n",
        "a: [b,\n  [c, d],\n  {e: f}]\ng: h\n",
        "# [[[[ a comment\na: b # [[[\n",
        "? complex\n: value\n",
    ]
    for text in shapes:
        agrees(text)


def test_deep_flow_is_refused_at_the_seventeenth_bracket_whatever_the_parser() -> None:
    depth = 100_000
    try:
        read_yaml("[" * depth + "]" * depth + "\n", "products.yaml")
    except YamlProblems as exc:
        assert [str(p) for p in exc.problems] == [
            f"products.yaml:1:17: nested deeper than {MAX_DEPTH} levels (flatten the structure)"
        ]
    else:
        raise AssertionError("deep nesting was accepted")


def test_deep_block_nesting_is_refused_at_its_own_line() -> None:
    text = "".join(" " * i + "a:\n" for i in range(40)) + " " * 40 + "x\n"
    try:
        read_yaml(text, "people.yaml")
    except YamlProblems as exc:
        assert [str(p) for p in exc.problems] == [
            "people.yaml:17:17: nested deeper than 16 levels (flatten the structure)"
        ]
    else:
        raise AssertionError("deep nesting was accepted")
