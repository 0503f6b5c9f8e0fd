"""`add-source`: the text byte for byte, the entry appended after the untouched bytes, refusals
that write nothing, and a report of what the text holds with its lines."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from dossier_factory import write_dossier

from partnership_tui.model.author import AuthoringError
from partnership_tui.model.author.scaffold import new_dossier
from partnership_tui.model.author.sources import add_source, unclean_characters
from partnership_tui.model.dossier.load import load_dossier

ARTICLE = (
    "Nvidia and TSMC: a foundry bond\n"
    "\n"
    "Nvidia said on Monday that it will pay TSMC $2.5 billion for wafers.\n"
    "Jensen Huang met Wei Zhejia in Taipei last April, and the two firms signed in 2023.\n"
    "Samsung Foundry was not part of the talks, said Morris Chang.\n"
)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_bytes(ARTICLE.encode("utf-8"))
    return path


@pytest.fixture
def dossier(tmp_path: Path) -> Path:
    return new_dossier(tmp_path / "chips", title="Chips").root


def test_text_is_copied_byte_for_byte_and_the_dossier_loads(dossier: Path, tmp_path: Path) -> None:
    raw = "Caf\u00e9 \u201cquoted\u201d \u2014 line one\r\nline two without end".encode()
    source = tmp_path / "odd.txt"
    source.write_bytes(raw)
    added = add_source(dossier, source, source_id="odd", title="Odd", published="2024-05")
    assert added.text_file == dossier / "sources" / "odd.txt"
    assert added.text_file.read_bytes() == raw
    loaded = load_dossier(dossier)
    assert loaded["odd"].text == raw.decode()  # type: ignore[attr-defined]
    assert str(loaded["odd"].published) == "2024-05"  # type: ignore[attr-defined]


def test_the_bytes_before_the_entry_stay_the_bytes_before(tmp_path: Path, article: Path) -> None:
    """A hand-written sources.yaml with comments, odd spacing, folded notes and no final
    newline: everything in it stays, byte for byte, in front of the new entry."""
    root = write_dossier(tmp_path / "d")
    before = (
        b"# yaml-language-server: $schema=schema/sources.schema.json\n"
        b"# my sources, hand-kept   \n"
        b"- id: news\n"
        b"  title:   A test article   # trailing comment\n"
        b'  published: "2024-10-30"\n'
        b"  note: >-\n"
        b"    Folded, over\n"
        b"    two lines.\n"
        b"\n"
        b"# last words, no newline"
    )
    (root / "sources.yaml").write_bytes(before)
    others = {k: v for k, v in snapshot(root).items() if k != "sources.yaml"}
    added = add_source(
        root, article, source_id="chips-2024", title='TSMC\'s "bond"', publisher="Wire: A&B"
    )
    after = (root / "sources.yaml").read_bytes()
    assert after.startswith(before)
    assert after[len(before) :].decode() == "\n\n" + added.entry
    loaded = load_dossier(root)
    assert loaded["chips-2024"].name == 'TSMC\'s "bond"'
    assert loaded["chips-2024"].publisher == "Wire: A&B"  # type: ignore[attr-defined]
    assert loaded["news"].note == "Folded, over two lines."  # type: ignore[attr-defined]
    now = snapshot(root)
    new_files = ("sources.yaml", "sources/chips-2024.txt")
    assert {k: v for k, v in now.items() if k not in new_files} == others


def test_entry_lines_up_with_indented_entries_and_keeps_crlf(tmp_path: Path, article: Path) -> None:
    root = write_dossier(tmp_path / "d")
    before = b"  - id: news\r\n    title: A test article\r\n"
    (root / "sources.yaml").write_bytes(before)
    add_source(root, article, source_id="chips", title="Chips")
    after = (root / "sources.yaml").read_bytes()
    assert after == before + b'  - id: chips\r\n    title: "Chips"\r\n'
    assert "chips" in load_dossier(root)


def test_a_missing_sources_yaml_is_created_with_its_schema_line(
    tmp_path: Path, article: Path
) -> None:
    root = tmp_path / "bare"
    root.mkdir()
    add_source(root, article, source_id="chips", title="Chips")
    text = (root / "sources.yaml").read_text()
    assert text.startswith("# yaml-language-server: $schema=schema/sources.schema.json\n")
    assert "chips" in load_dossier(root)


@pytest.mark.parametrize(
    "sources_yaml",
    [
        "[]\n",  # a flow list: an appended block entry would not parse
        "- id: news\n  title: A test article\n...\n",  # an end of document: a second one follows
    ],
)
def test_an_append_that_would_change_the_file_is_refused(
    tmp_path: Path, article: Path, sources_yaml: str
) -> None:
    root = write_dossier(tmp_path / "d", {"sources.yaml": sources_yaml})
    before = snapshot(root)
    with pytest.raises(AuthoringError):
        add_source(root, article, source_id="chips", title="Chips")
    assert snapshot(root) == before


def refused(root: Path, file: Path, **kwargs: str) -> str:
    before = snapshot(root)
    options = {"source_id": "chips", "title": "Chips", **kwargs}
    with pytest.raises(AuthoringError) as caught:
        add_source(root, file, **options)  # type: ignore[arg-type]
    assert snapshot(root) == before, "a refusal wrote something"
    return caught.value.report()


@pytest.mark.parametrize("taken", ["news", "microsoft", "altman-speaks"])
def test_an_id_in_use_by_any_kind_is_refused(tmp_path: Path, article: Path, taken: str) -> None:
    root = write_dossier(tmp_path / "d")
    report = refused(root, article, source_id=taken)
    assert f"id {taken!r} is already in use" in report
    assert ".yaml:" in report  # says where


def test_a_text_already_in_sources_is_refused(tmp_path: Path, article: Path) -> None:
    root = write_dossier(tmp_path / "d")
    (root / "sources" / "chips.txt").write_text("left here by hand")
    assert "already exists" in refused(root, article)


@pytest.mark.parametrize(
    ("raw", "where", "what"),
    [
        (b"line one\nline \xff two\n", ":2:6:", "not UTF-8: byte 0xff"),
        (b"ok\nsay \x1b[31mred\n", ":2:5:", "U+001B (ESC)"),
        ("ok\nbidi \u202e flip\n".encode(), ":2:6:", "bidi control U+202E"),
        (b"nul \x00 here", ":1:5:", "U+0000 (NUL)"),
        (b"lone\rcarriage return", ":1:5:", "U+000D"),
        ("\ufeffwith a byte-order mark".encode(), ":1:1:", "byte-order mark"),
        ("a\u2028b".encode(), ":1:2:", "line separator U+2028"),
        (b"\x85 C1 next-line", ":1:1:", "not UTF-8"),
        ("\u0085 C1 next-line".encode(), ":1:1:", "U+0085"),
    ],
)
def test_unclean_text_is_refused_with_its_position(
    tmp_path: Path, dossier: Path, raw: bytes, where: str, what: str
) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(raw)
    report = refused(dossier, bad)
    assert f"{bad}{where}" in report and what in report, report


def test_many_control_characters_are_reported_boundedly(tmp_path: Path, dossier: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x07" * 100_000)
    report = refused(dossier, bad)
    assert len(report.splitlines()) == 11 and "99990 more" in report


def test_a_blank_line_is_not_added_where_it_would_join_a_kept_block(
    tmp_path: Path, article: Path
) -> None:
    before = "- id: news\n  title: A test article\n\n  note: |+\n    kept\n"
    root = write_dossier(tmp_path / "d", {"sources.yaml": before})
    add_source(root, article, source_id="chips", title="Chips")
    after = (root / "sources.yaml").read_text()
    assert after == before + '- id: chips\n  title: "Chips"\n'
    assert load_dossier(root)["news"].note == "kept\n"  # type: ignore[attr-defined]


def test_tabs_and_crlf_are_clean() -> None:
    assert unclean_characters("a\tb\r\nc\n") == []


@pytest.mark.parametrize(
    ("options", "what"),
    [
        ({"source_id": "Bad Id"}, "bad id 'Bad Id'"),
        ({"title": "   "}, "title is empty"),
        ({"published": "2024-02-30"}, "impossible date"),
        ({"published": "last April"}, "malformed date"),
        ({"publisher": "x\x9by"}, "U+009B"),
    ],
)
def test_bad_options_are_refused(
    article: Path, dossier: Path, options: dict[str, str], what: str
) -> None:
    assert what in refused(dossier, article, **options)


def test_not_a_file_is_refused_without_blocking(tmp_path: Path, dossier: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert "not a regular file" in refused(dossier, fifo)
    assert "cannot read" in refused(dossier, tmp_path / "missing.txt")
    assert "not a regular file" in refused(dossier, tmp_path)


def test_a_broken_sources_yaml_is_refused_with_its_error(tmp_path: Path, article: Path) -> None:
    root = write_dossier(tmp_path / "d", {"sources.yaml": "- id: news\n  title: [unclosed\n"})
    report = refused(root, article)
    assert "sources.yaml:" in report and "fix it first" in report


def test_a_link_to_outside_the_dossier_is_not_written_through(
    tmp_path: Path, article: Path
) -> None:
    root = write_dossier(tmp_path / "d")
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("- id: other\n  title: Other\n")
    (root / "sources.yaml").unlink()
    (root / "sources.yaml").symlink_to(outside)
    assert "outside the dossier" in refused(root, article)
    assert outside.read_text() == "- id: other\n  title: Other\n"


def test_a_read_only_sources_yaml_is_left_alone(tmp_path: Path, article: Path) -> None:
    root = write_dossier(tmp_path / "d")
    (root / "sources.yaml").chmod(0o444)
    assert "is read-only" in refused(root, article)


def test_a_failed_entry_write_takes_the_text_back(
    tmp_path: Path, article: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from partnership_tui.model.author import sources

    root = write_dossier(tmp_path / "d")
    before = snapshot(root)
    real = sources.atomic_write

    def failing(path, data, **kwargs):  # type: ignore[no-untyped-def]
        if Path(path).name == "sources.yaml":
            raise OSError(28, "No space left on device")
        return real(path, data, **kwargs)

    monkeypatch.setattr(sources, "atomic_write", failing)
    with pytest.raises(AuthoringError, match="No space left"):
        add_source(root, article, source_id="chips", title="Chips")
    assert snapshot(root) == before


# --- the report -------------------------------------------------------------------------


def test_report_lists_known_records_new_names_figures_and_dates_with_lines(
    tmp_path: Path, dossier: Path, article: Path
) -> None:
    (dossier / "companies.yaml").write_text(
        "- id: nvidia\n  name: Nvidia\n"
        '  citations: [{source: chips, exact: "Nvidia and TSMC: a foundry bond"}]\n',
        encoding="utf-8",
    )
    # The company cites the source being added: the dossier only loads once it is there.
    report = add_source(
        dossier, article, source_id="chips", title="Chips", published="2024-10-31"
    ).report
    assert report.not_checked == ""
    assert [(k.record, k.line) for k in report.known] == [("nvidia", 1), ("nvidia", 3)]
    new = {n.text: n.line for n in report.new_names}
    assert new == {
        "TSMC": 1,
        "Jensen Huang": 4,
        "Wei Zhejia": 4,
        "Taipei": 4,
        "Samsung Foundry": 5,
        "Morris Chang": 5,
    }
    assert next(n for n in report.new_names if n.text == "TSMC").count == 2
    assert [(f.text, f.line) for f in report.figures] == [("$2.5 billion", 3)]
    dates = {d.text: (d.resolved, d.line, d.relative) for d in report.dates}
    assert dates == {
        "on Monday": ("2024-10-28", 3, True),
        "last April": ("2024-04", 4, True),
        "2023": ("2023", 4, False),
    }
    monday = next(d for d in report.dates if d.text == "on Monday")
    assert "2024-10-31" in monday.reasoning and "Thursday" in monday.reasoning


def test_report_without_a_publication_date_says_what_is_needed(
    dossier: Path, article: Path
) -> None:
    report = add_source(dossier, article, source_id="chips", title="Chips").report
    april = next(d for d in report.dates if d.text == "last April")
    assert april.resolved is None and "--published" in april.reasoning


def test_report_on_a_dossier_with_problems_still_matches_known_names(
    tmp_path: Path, article: Path
) -> None:
    root = write_dossier(
        tmp_path / "d",
        {"products.yaml": "- id: orphan\n  name: TSMC\n  maker: nobody\n"},
    )
    report = add_source(root, article, source_id="chips", title="Chips").report
    assert "problem" in report.not_checked
    assert ("orphan", 1) in [(k.record, k.line) for k in report.known]
