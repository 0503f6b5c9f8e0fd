"""The fast line reader gives exactly the tree libyaml's events give, or steps aside.

Whatever text it is handed, `read_subset` either raises Unsupported or
returns the same nodes, values, styles and positions as `read_yaml_events`.
Documents are generated from the pieces dossier files are made of, and from
pieces that are near them but mean something else in YAML (comments, colons,
quotes, escapes, flow brackets, odd indentation), so both sides of the
subset's border are exercised.
"""

from __future__ import annotations

import importlib
import os
import sys
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from partnership_tui.model import bundled_data_dir
from partnership_tui.model.read import yamlfast
from partnership_tui.model.read.nodes import Node, Seq
from partnership_tui.model.read.yamlfast import Unsupported, read_subset
from partnership_tui.model.read.yamlsafe import (
    YamlProblems,
    decode,
    read_yaml,
    read_yaml_events,
)

HERE = Path(__file__).resolve().parent
# Set to a generated dossier (e.g. benchmarks/out/large) to compare its files too.
LARGE = Path(os.environ.get("PARTNERSHIP_TUI_LARGE_DOSSIER", HERE.parent / "benchmarks/out/large"))


def both(text: str) -> tuple[object, object]:
    """(fast tree or 'unsupported', libyaml tree or 'problems')."""
    try:
        fast: object = read_subset(text)
    except Unsupported:
        fast = "unsupported"
    try:
        slow: object = read_yaml_events(text, "t.yaml")
    except YamlProblems:
        slow = "problems"
    return fast, slow


def streamed(text: str) -> object:
    """read_subset with `on_item`: the entries it hands over, put back into the sequence."""
    handed: list[Node] = []
    root = read_subset(text, handed.append)
    if isinstance(root, Seq):
        assert root.items == []  # every entry was handed over, none kept
        root.items = handed
    else:
        assert handed == []  # only a sequence's entries are handed over
    return root


def assert_same(text: str) -> None:
    fast, slow = both(text)
    if fast != "unsupported":
        assert fast == slow, text
        assert streamed(text) == fast, text


SCALAR_TEXTS = [
    "x",
    "Sam Altman",
    "ev-000001",
    "2023-11-17",
    '"2023"',
    '"quoted: text, with [brackets] and # hash"',
    '"esc \\" \\\\ \\n \\t \\u00e9 \\x41 \\U0001F600 \\/ \\ "',
    '"bad \\q escape"',
    '"surrogate \\ud800"',
    '"open',
    "'single ''quoted'' text'",
    "'open",
    "true",
    "no",
    "~",
    "null",
    "13000000000",
    "-5",
    "- x",
    "-x",
    "a: b",
    "a:b",
    "ends:",
    "http://example.com/a?b=c#frag",
    "C# and F#",
    "x # a comment",
    "x #",
    "#",
    "text  with   spaces   ",
    "&anchor x",
    "*alias",
    "!!str x",
    "!tag x",
    "|",
    ">-",
    "%x",
    "@x",
    "`x",
    "?x",
    "? x",
    ":x",
    "[]",
    "[a, b]",
    "[a,b]",
    "[ a , b ]",
    "[a, [b, c]]",
    "[\"q\", 's', plain words]",
    "[a, b,]",
    "[a,, b]",
    "[a: b]",
    "[a b: c]",
    "[a",
    "{}",
    "{a: b, c: d}",
    "{a: b, a: c}",
    "{a: [b, c], d: {e: f}}",
    "{a: b",
    "{a}",
    "{a:b}",
    "[x] y",
    '"x" y',
    '"x"  # c',
    '"x"#c',
    "[x]  # c",
    "{a: 'b'}",
    "é ü 漢字 😀",
    "'é'",
    "x\u00a0y",
    "---",
    "...",
    "- - x",
]
SCALARS = st.sampled_from(SCALAR_TEXTS)
KEYS = st.sampled_from(["id", "name", "a", "b", "x_y", "a.b", "a-b", "1", "key with space", '"q"'])


@st.composite
def documents(draw: st.DrawFn) -> str:
    """Block YAML made of dossier-like lines, with a little noise."""
    lines: list[str] = []
    for _ in range(draw(st.integers(1, 14))):
        indent = " " * draw(st.sampled_from([0, 0, 2, 2, 4, 6, 1, 3]))
        shape = draw(st.integers(0, 9))
        key, value = draw(KEYS), draw(SCALARS)
        sep = draw(st.sampled_from([" ", " ", "  "]))
        if shape <= 2:
            lines.append(f"{indent}{key}:{sep}{value}")
        elif shape == 3:
            lines.append(f"{indent}{key}:")
        elif shape <= 5:
            lines.append(f"{indent}-{sep}{key}:{sep}{value}")
        elif shape == 6:
            lines.append(f"{indent}-{sep}{value}")
        elif shape == 7:
            lines.append(f"{indent}-")
        elif shape == 8:
            lines.append(draw(st.sampled_from(["", "# comment", "   # indented comment", "  "])))
        else:
            lines.append(f"{indent}{key}:{sep}# comment")
    return "\n".join(lines) + draw(st.sampled_from(["\n", "", "\n\n"]))


@st.composite
def records(draw: st.DrawFn) -> str:
    """A list of records shaped like a dossier file, always well formed."""
    out = ["# yaml-language-server: $schema=x.json"]
    for number in range(draw(st.integers(1, 4))):
        out.append(f"- id: r-{number}")
        for key in draw(st.lists(st.sampled_from(["name", "date", "summary"]), unique=True)):
            if draw(st.integers(0, 2)) == 0:
                header, *body = draw(block_scalar(2))
                out.append(f"  {key}: {header}")
                out.extend(body)
            else:
                out.append(f"  {key}: {draw(SCALARS)}")
        if draw(st.booleans()):
            out.append(f"  involves: [{', '.join(draw(st.lists(KEYS, max_size=3)))}]")
        if draw(st.booleans()):
            out.append("  citations:")
            for _ in range(draw(st.integers(1, 2))):
                out.append(f"    - source: {draw(SCALARS)}")
                out.append(f"      exact: {draw(SCALARS)}")
        out.append("")
    return "\n".join(out)


# Block scalar headers, those read fast and near ones left to libyaml.
BLOCK_HEADERS = st.sampled_from(
    ["|", "|-", "|+", ">", ">-", ">+", ">-  ", "|2", ">-1", "| # c", ">+-", ">x", "|1-"]
)
BLOCK_WORDS = st.sampled_from(
    ["text", "a b", "# not a comment", "- dash", "key: value", "x  y ", "'q'", "é", "  lead", "x:"]
)


@st.composite
def block_scalar(draw: st.DrawFn, parent: int) -> list[str]:
    """A header and the lines of a folded or literal scalar in a collection at `parent`:
    text lines, more indented ones, empty ones, lines of spaces, and text indented too little."""
    base = parent + draw(st.sampled_from([1, 2, 2, 4, 0, -1]))
    lines = [draw(BLOCK_HEADERS)]
    for _ in range(draw(st.integers(0, 6))):
        shape = draw(st.integers(0, 7))
        if shape == 0:
            lines.append("")
        elif shape == 1:
            lines.append(" " * draw(st.integers(0, base + 3)))
        else:
            extra = draw(st.sampled_from([0, 0, 0, 1, 2, -1]))
            lines.append(" " * max(0, base + extra) + draw(BLOCK_WORDS))
    return lines


@st.composite
def block_records(draw: st.DrawFn) -> str:
    """Records whose text fields are mostly well-formed block scalars, the way people write
    summaries: the fast path's side of the border, with a little of the other side."""
    good = st.sampled_from(["|", "|-", "|+", ">", ">-", ">+", ">- "])
    out: list[str] = []
    for number in range(draw(st.integers(1, 3))):
        lead = draw(st.sampled_from(["- ", "-   "]))
        col = len(lead)
        out.append(f"{lead}id: r-{number}")
        for key in draw(st.lists(st.sampled_from(["summary", "note", "name"]), unique=True)):
            header = draw(good) if draw(st.integers(0, 9)) else draw(BLOCK_HEADERS)
            out.append(" " * col + f"{key}: {header}")
            text_col = col + draw(st.sampled_from([2, 2, 1, 4]))
            for _ in range(draw(st.integers(1, 5))):
                shape = draw(st.integers(0, 9))
                if shape == 0:
                    out.append("")
                elif shape == 1:
                    out.append(" " * draw(st.integers(0, text_col + 2)))
                elif shape == 2:
                    out.append(" " * (text_col + draw(st.integers(1, 3))) + draw(BLOCK_WORDS))
                else:
                    out.append(" " * text_col + draw(PLAIN_WORDS))
        if draw(st.booleans()):
            out.append(" " * col + "date: 2023-11")
        out.extend(draw(st.sampled_from([[], [""], ["", ""], ["# c"]])))
    return "\n".join(out) + draw(st.sampled_from(["\n", "", "\n\n", "\n  \n"]))


PLAIN_WORDS = st.sampled_from(["x", "Sam Altman", "ev-1", "2023-11", "a.b", "C#", "-5", "x:y", "é"])


def _flow(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return str(value)


@st.composite
def trees(draw: st.DrawFn, depth: int = 0) -> object:
    """A value whose scalars are already written as YAML (plain, quoted or odd)."""
    kind = draw(st.integers(0, 4 if depth < 4 else 1))
    if kind == 0:
        return draw(st.one_of(PLAIN_WORDS, SCALARS))
    if kind == 1:
        return draw(PLAIN_WORDS)
    if kind == 2:
        return draw(st.lists(trees(depth + 1), min_size=1, max_size=3))
    keys = draw(st.lists(st.sampled_from(["id", "a", "b", "name", "x_y"]), min_size=1, max_size=3))
    return {key: draw(trees(depth + 1)) for key in keys}


@st.composite
def block_documents(draw: st.DrawFn) -> str:
    """A generated tree written as block YAML, in the styles a person might use."""
    lines: list[str] = []

    def noise(indent: int) -> None:
        choice = draw(st.integers(0, 9))
        if choice == 0:
            lines.append("")
        elif choice == 1:
            lines.append(" " * draw(st.integers(0, 8)) + "# note")

    def block(value: object, indent: int, lead: str) -> None:
        """Write `value` whose first line starts with `lead` (a "key:" or "-" already placed)."""
        step = draw(st.sampled_from([2, 2, 2, 1, 4]))
        if isinstance(value, dict | list) and draw(st.integers(0, 3)) == 0:
            lines.append(f"{lead} {_flow(value)}")
        elif isinstance(value, dict):
            items = list(value.items())
            if lead.endswith("-") and draw(st.booleans()):
                first_key, first_value = items[0]
                col = len(lead) + 1
                block(first_value, col, f"{lead} {first_key}:")
                for key, item in items[1:]:
                    noise(col)
                    block(item, col, " " * col + f"{key}:")
                return
            lines.append(lead)
            for key, item in items:
                noise(indent + step)
                block(item, indent + step, " " * (indent + step) + f"{key}:")
        elif isinstance(value, list):
            lines.append(lead)
            for item in value:
                noise(indent + step)
                block(item, indent + step, " " * (indent + step) + "-")
        elif draw(st.integers(0, 4)) == 0:
            header, *body = draw(block_scalar(indent))
            lines.append(f"{lead} {header}")
            lines.extend(body)
        else:
            lines.append(f"{lead} {value}")

    root = draw(st.one_of(st.lists(trees(1), min_size=1, max_size=3), trees(0)))
    if isinstance(root, list):
        for item in root:
            block(item, 0, "-")
    elif isinstance(root, dict):
        for key, item in root.items():
            block(item, 0, f"{key}:")
    else:
        lines.append(str(root))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "template",
    ["a: {}\n", "- {}\n", "- id: x\n  a: {}\n", "a: [{}]\n", "a: [x, {}]\n", "- {{k: {}}}\n"],
)
def test_each_scalar_in_each_place(template: str) -> None:
    for scalar in SCALAR_TEXTS:
        assert_same(template.format(scalar))
        assert_same(template.format(scalar).replace("\n", "   \n"))
        assert_same(template.format(scalar) + "b: c\n")
        assert_same(template.format(scalar) + "  b: c\n")


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(documents(), records(), block_documents(), block_records()))
@example("- id: x\n  name: Bing\n  name: Bing again\n")
@example("a:\n- b\n")
@example("a:\n  - b\n  - c\nd: e\n")
@example("- a\n-\n  - b\n")
@example("-\n  a: b\n  c: d\n- e\n")
@example("a: x\n   y\n")
@example("a: b\n\n  # comment\nc: d\n")
@example("  - a\n  - b\n")
@example("- a\n b: c\n")
@example("a:\nb: c\n")
@example("- id: x\n  a:\n  b: c\n")
@example("-\n- a\n")
@example("k: >-\n  a\n  b\n\n  c\n   d\n  e\n")
@example("k: |+\n  a\n\n  \n")
@example("k: >\n  a\n    \n  b\n")
@example("- |\n x\n- >\n  y\n  z")
@example("- k: |\n  x\n")
def test_fast_reader_equals_libyaml(text: str) -> None:
    assert_same(text)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(list("-: #\"'[]{},\\ab\n &*!|>.")), max_size=40))
def test_fast_reader_equals_libyaml_on_noise(text: str) -> None:
    assert_same(text)


@pytest.mark.parametrize("depth", [10, 11, 12, 13, 15, 16, 17, 30])
def test_depth_beyond_the_limit_is_left_to_libyaml(depth: int) -> None:
    pad = " " * 2 * depth
    block = "".join(" " * (2 * level) + "a:\n" for level in range(depth)) + pad + "b: c\n"
    listed = "".join(" " * (2 * level) + "-\n" for level in range(depth)) + pad + "- x\n"
    flow = "a: " + "[" * depth + "x" + "]" * depth + "\n"
    mixed = "- a: " + "{b: " * depth + "c" + "}" * depth + "\n"
    for text in (block, listed, flow, mixed):
        assert_same(text)


def test_records_shape_is_read_fast() -> None:
    """The shapes dossier files use do take the fast path (else it would be no faster)."""
    text = (
        "# comment\n"
        "- id: ev-1\n"
        '  name: "A \\"quoted\\" name"\n'
        "  involves: [a, b]\n"
        "  amount: {value: 10, currency: USD}\n"
        "  citations:\n"
        "    - source: s\n"
        "      exact: 'it''s here'\n"
        "\n"
        "- id: ev-2\n"
    )
    assert read_subset(text) == read_yaml_events(text, "t.yaml")


def test_block_scalars_are_read_fast() -> None:
    """Folded and literal scalars (every bundled file's `summary: >-`) take the fast path."""
    text = (
        "- id: ev-1\n"
        "  summary: >-\n"
        "    Microsoft invests\n"
        "    in OpenAI.\n"
        "\n"
        "      An indented line.\n"
        "  note: |\n"
        "    line one\n"
        "    line two\n"
        "\n"
        "- id: ev-2\n"
        "  summary: >\n"
        "    last\n"
    )
    tree = read_subset(text)
    assert tree == read_yaml_events(text, "t.yaml")
    assert isinstance(tree, Seq)
    first = tree.items[0]
    assert first.items["summary"][1].value == "Microsoft invests in OpenAI.\n\n  An indented line."  # type: ignore[attr-defined]
    assert first.items["note"][1].value == "line one\nline two\n"  # type: ignore[attr-defined]


def test_bundled_files_take_the_fast_path() -> None:
    """No bundled file falls back to libyaml (they all use `summary: >-`)."""
    for path in sorted(bundled_data_dir().glob("*.yaml")):
        text = decode(path.read_bytes(), str(path))
        assert read_subset(text) == read_yaml_events(text, str(path)), path.name


def _yaml_files() -> list[Path]:
    roots = [bundled_data_dir(), HERE / "fixtures" / "dossier", HERE / "corpus" / "nasty"]
    if LARGE.is_dir():
        roots.append(LARGE)
    return [path for root in roots for path in sorted(root.glob("*.yaml"))]


@pytest.mark.parametrize("path", _yaml_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_dossier_file_reads_the_same(path: Path) -> None:
    try:
        text = decode(path.read_bytes(), str(path))
    except YamlProblems:
        return
    slow: object
    try:
        slow = read_yaml_events(text, str(path))
    except YamlProblems as exc:
        slow = exc.problems
    try:
        fast: object = read_yaml(text, str(path))
    except YamlProblems as exc:
        fast = exc.problems
    assert fast == slow


def test_a_synthetic_dossier_reads_the_same(tmp_path: Path) -> None:
    """The generator writes what a large dossier holds: every file takes the fast path."""
    sys.path.insert(0, str(HERE.parent))
    try:
        synth = importlib.import_module("benchmarks.synth")
    finally:
        sys.path.remove(str(HERE.parent))
    synth.generate(tmp_path, synth.spec_for("tiny", seed=5, entities=60, events=300, sources=8))
    for path in sorted(tmp_path.glob("*.yaml")):
        text = decode(path.read_bytes(), str(path))
        assert read_subset(text) == read_yaml_events(text, str(path)), path.name


@pytest.mark.parametrize("chunk", [1, 7, 64])
def test_lines_split_in_chunks_read_the_same(chunk: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large file's lines are split a chunk at a time: any chunk size gives the same tree."""
    paths = [p for p in _yaml_files() if LARGE not in p.parents and p.stat().st_size < 200_000]
    texts = [decode(path.read_bytes(), str(path)) for path in paths]
    texts += ["", "\n", "a: b", "a: b\n", "- a\n\n\n- b\n\n", "a:\n  - b\n  - c\nd: e\n"]
    before = [both(text) for text in texts]
    monkeypatch.setattr(yamlfast, "CHUNK_CHARS", chunk)
    for text, (fast, _) in zip(texts, before, strict=True):
        assert both(text)[0] == fast, text
        if fast != "unsupported":
            assert streamed(text) == fast, text


def test_entries_are_handed_over_in_order_and_whole() -> None:
    text = "- id: a\n  x: [1, 2]\n- id: b\n  y:\n    - z: 1\n- c\n-\n  - d\n"
    whole = read_subset(text)
    assert isinstance(whole, Seq)
    handed: list[Node] = []
    rest = read_subset(text, handed.append)
    assert handed == whole.items and len(handed) == 4
    assert rest == Seq(1, 1, [])


@pytest.mark.parametrize("size", [1, 7, 64, 1 << 20])
def test_pieces_read_the_same(size: int) -> None:
    """A text handed over in pieces (each let go once read) gives the same tree, the same
    entries one by one, or the same refusal; `release` runs once per piece."""
    paths = [p for p in _yaml_files() if LARGE not in p.parents and p.stat().st_size < 200_000]
    texts = [decode(path.read_bytes(), str(path)) for path in paths]
    texts += ["", "\n", "a: b", "a: b\n", "- a\n\n\n- b\n\n", "k: >-\n  a\n  b\n- x\n"]
    texts += ["a: b\n\tc: d\n", "a: b\r\n", "- id: x\n  s: |\n    t\n\n- id: y\n"]
    for text in texts:
        whole = both(text)[0]
        released: list[int] = []
        pieces = yamlfast.Pieces(text, size, release=partial(released.append, 1))
        try:
            fast: object = read_subset(pieces)
        except Unsupported:
            fast = "unsupported"
        assert fast == whole, text
        if fast != "unsupported":
            assert len(released) == sum(1 for _ in yamlfast.Pieces(text, size).drain())
            handed: list[Node] = []
            root = read_subset(yamlfast.Pieces(text, size), handed.append)
            if isinstance(root, Seq):
                root.items = handed
            assert root == fast, text


@pytest.mark.parametrize("size", [1, 3, 64])
def test_pieces_give_back_every_character(size: int) -> None:
    """Pieces are kept as UTF-8: the text comes back exactly, past Latin-1, past the BMP,
    and with a lone surrogate (which strict UTF-8 could not hold)."""
    text = "- a: \u201ccurly\u201d \u00e9\n- b: \U0001f600 \u4e2d\n\n- c: \udc80x\n" * 5
    drained = list(yamlfast.Pieces(text, size).drain())
    assert "\n".join(drained) == text
    assert all(isinstance(part, str) for part in drained)


def test_pieces_are_used_up() -> None:
    """One read takes every piece: a second read of the same Pieces is refused."""
    pieces = yamlfast.Pieces("- a\n- b\n" * 10, 5)
    assert read_subset(pieces) == read_subset("- a\n- b\n" * 10)
    with pytest.raises(Unsupported):
        read_subset(pieces)
