"""The command line, run as a user runs it: as a process, from another directory."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from dossier_factory import write_dossier


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("partnership-tui", path=os.path.dirname(sys.executable)) or "partnership-tui"
    return subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def test_version_and_help(tmp_path: Path) -> None:
    assert run("--version", cwd=tmp_path).stdout.startswith("partnership-tui ")
    help_text = run("--help", cwd=tmp_path).stdout
    assert "validate" in help_text and "export" in help_text and "--data" in help_text


def test_validate_bundled_from_another_directory(tmp_path: Path) -> None:
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok: ") and "quotes verified" in result.stdout


def test_validate_reports_every_problem_without_traceback(tmp_path: Path) -> None:
    write_dossier(
        tmp_path,
        {"products.yaml": "- id: Bad\n  name: x\n- id: y\n  name: [\n"},
    )
    result = run("validate", "--data", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[-1] == "1 problem found."
    assert lines[0].startswith("products.yaml:5:1: YAML syntax")


def test_export_json_to_file_and_markdown_to_stdout(tmp_path: Path) -> None:
    write_dossier(tmp_path / "d")
    out = tmp_path / "out.json"
    result = run("export", "--data", "d", "--format", "json", "-o", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    body = json.loads(out.read_text())
    assert {d["id"] for d in body["deals"]} == {"first-investment"}
    markdown = run("export", "--data", "d", "--format", "markdown", cwd=tmp_path)
    assert markdown.returncode == 0 and markdown.stdout.startswith("# d\n")


def test_data_may_come_before_or_after_the_command(tmp_path: Path) -> None:
    write_dossier(tmp_path / "d")
    for args in (("--data", "d", "validate"), ("validate", "--data", "d")):
        result = run(*args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("ok: d: 1 source, "), result.stdout


# --- search ---------------------------------------------------------------------------------


def search_json(*args: str, cwd: Path) -> list[dict[str, object]]:
    result = run("search", *args, "--json", "--limit", "1000", cwd=cwd)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_an_excluded_word_reaches_the_query_wherever_it_stands(tmp_path: Path) -> None:
    """`search microsoft -inflection`, as the README shows: -word is a query word."""
    with_it = {
        (h["type"], h.get("id"), h.get("start")) for h in search_json("microsoft", cwd=tmp_path)
    }
    for args in (("microsoft", "-inflection"), ("-inflection", "microsoft")):
        hits = search_json(*args, cwd=tmp_path)
        assert hits, args
        assert all("inflection" not in str(h["snippet"]).lower() for h in hits), args
        assert all(h.get("id") != "inflection" for h in hits), args
        found = {(h["type"], h.get("id"), h.get("start")) for h in hits}
        assert found < with_it, args  # the same search, less what names Inflection
    after_dashes = run("search", "--json", "microsoft", "--", "-inflection", cwd=tmp_path)
    assert after_dashes.returncode == 0, after_dashes.stderr
    assert "inflection" not in after_dashes.stdout.lower()
    result = run("search", "microsoft", "-inflection", "--limit", "1", cwd=tmp_path)
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 2, result.stderr


def test_an_unknown_double_dash_option_is_still_an_error(tmp_path: Path) -> None:
    result = run("search", "microsoft", "--jsn", cwd=tmp_path)
    assert result.returncode == 2 and "unrecognized arguments: --jsn" in result.stderr


def test_filters_alone_list_what_they_select(tmp_path: Path) -> None:
    from partnership_tui.model import bundled_data_dir
    from partnership_tui.model.dossier.load import load_dossier

    dossier = load_dossier(bundled_data_dir())
    people = search_json("kind:person", cwd=tmp_path)
    assert {h["id"] for h in people} == {p.id for p in dossier.by_kind("person")}
    assert {h["type"] for h in people} == {"record"}

    article = search_json("source:troubled-alliance", cwd=tmp_path)
    passages = [h for h in article if h["type"] == "passage"]
    assert {h["source"] for h in passages} == {"troubled-alliance"}
    starts = [h["start"] for h in passages]
    assert starts == sorted(starts) and starts[0] == 0  # the article, in order, from the top
    citing = {record_id for record_id, _ in dossier.citations_in("troubled-alliance")}
    assert {h["id"] for h in article if h["type"] == "record"} == citing | {"troubled-alliance"}

    texts = search_json("in:sources", cwd=tmp_path)
    assert {h["type"] for h in texts} == {"passage"}
    assert {h["source"] for h in texts} == {s.id for s in dossier.sources}

    recent = search_json("after:2023", "kind:event", cwd=tmp_path)
    assert recent
    for hit in recent:
        date = dossier[str(hit["id"])].date
        assert date is not None and date.text >= "2023", hit

    not_people = search_json("kind:person", "-altman", cwd=tmp_path)
    assert "sam-altman" not in {h["id"] for h in not_people}
    assert {h["id"] for h in not_people} < {h["id"] for h in people}


def test_json_hits_carry_the_name_of_their_record(tmp_path: Path) -> None:
    from partnership_tui.model import bundled_data_dir
    from partnership_tui.model.dossier.load import load_dossier

    dossier = load_dossier(bundled_data_dir())
    hits = search_json("suleyman", cwd=tmp_path)
    assert {h["type"] for h in hits} == {"record", "passage"}
    for hit in hits:
        record = dossier[str(hit["id"] if hit["type"] == "record" else hit["source"])]
        assert hit["name"] == record.name
    assert any(h["name"] == "Mustafa Suleyman" for h in hits)


def run_in_terminal(
    *args: str, columns: int, cwd: Path, errors_too: bool = False, expect_status: int = 0
) -> str:
    """Run the command with its output (and stderr, with `errors_too`) on a pseudo-terminal
    `columns` wide; what it printed."""
    import fcntl
    import pty
    import struct
    import termios

    exe = shutil.which("partnership-tui", path=os.path.dirname(sys.executable)) or "partnership-tui"
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["NO_COLOR"] = "1"
    process = subprocess.Popen(
        [exe, *args],
        stdout=follower,
        stderr=follower if errors_too else subprocess.DEVNULL,
        cwd=cwd,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the terminal's other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=120) == expect_status
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_terminal_output_fits_the_width_and_breaks_only_at_spaces(tmp_path: Path) -> None:
    from wcwidth import wcswidth

    piped = run("search", "microsoft", "openai", "--limit", "8", cwd=tmp_path).stdout
    assert max(len(line) for line in piped.splitlines()) > 100  # one line per hit, piped
    for columns in (60, 80, 120):
        shown = run_in_terminal(
            "search", "microsoft", "openai", "--limit", "8", columns=columns, cwd=tmp_path
        )
        lines = visible_lines(shown)
        assert max(wcswidth(line) for line in lines) <= columns, columns
        assert len(lines) > len(piped.splitlines())  # some hits took more than one line
        # Joined at the breaks, the lines give back every word of the piped output.
        assert shown.split() == piped.split(), columns


def visible_lines(output: str) -> list[str]:
    """The lines a terminal shows: what follows the last carriage return, without erasures."""
    lines = [line.rsplit("\r", 1)[-1].replace("\x1b[2K", "") for line in output.split("\n")]
    assert not any("\x1b" in line for line in lines)  # NO_COLOR: no other escape
    return lines


def test_messages_fit_the_terminal_too(tmp_path: Path) -> None:
    from wcwidth import wcswidth

    shown = run_in_terminal(
        "export", "-o", "brief.txt", columns=40, cwd=tmp_path, errors_too=True, expect_status=2
    )
    assert max(wcswidth(line) for line in visible_lines(shown)) <= 40
    assert "--format json or --format markdown" in " ".join(shown.split())
    shown = run_in_terminal(
        "search", "kind:person", "--limit", "1", columns=50, cwd=tmp_path, errors_too=True
    )
    assert max(wcswidth(line) for line in visible_lines(shown)) <= 50
    summary = " ".join(shown.split()[-9:])
    assert summary.startswith("showing 1 of ") and "records (--limit N shows more)" in summary
    assert "passage" not in summary  # a kind: filter searches no passages: none to count


def test_wide_characters_and_long_words_fit_too() -> None:
    from wcwidth import wcswidth

    from partnership_tui.model.commands.cli import fit

    pieces = [("passage  ", ""), ("news:1  ", "1"), ("微软 " * 30, ""), ("x" * 100, "1;7")]
    lines = fit(pieces, 40, indent=17)
    plain = [
        line.replace("\x1b[1m", "").replace("\x1b[1;7m", "").replace("\x1b[0m", "")
        for line in lines
    ]
    assert max(wcswidth(line) for line in plain) <= 40
    assert "".join(plain).replace(" ", "") == "passagenews:1" + "微软" * 30 + "x" * 100
    assert fit(pieces, None) == [
        "".join(
            ("passage  ", "\x1b[1mnews:1  \x1b[0m", "微软 " * 30, f"\x1b[1;7m{'x' * 100}\x1b[0m")
        )
    ]


def test_counts_read_right_in_the_singular(tmp_path: Path) -> None:
    """ "1 source", not "1 sources" (search's "1 of 1 record": test_search.py)."""
    write_dossier(tmp_path / "d")
    validate = run("validate", "--data", "d", cwd=tmp_path)
    assert validate.stdout.startswith("ok: d: 1 source, "), validate.stdout
    assert " 1 sources" not in validate.stdout


# --- export -----------------------------------------------------------------------------


def test_export_takes_its_format_from_the_file_name(tmp_path: Path) -> None:
    write_dossier(tmp_path / "d")
    for name, starts in (("brief.md", "# d\n"), ("brief.markdown", "# d\n"), ("out.JSON", "{")):
        result = run("export", "--data", "d", "-o", name, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(starts), name
    result = run("export", "--data", "d", "-o", "brief.txt", cwd=tmp_path)
    assert result.returncode == 2 and "--format" in result.stderr
    assert not (tmp_path / "brief.txt").exists()
    result = run("export", "--data", "d", "--format", "json", "-o", "brief.txt", cwd=tmp_path)
    assert result.returncode == 0 and (tmp_path / "brief.txt").read_text().startswith("{")


# --- problems ---------------------------------------------------------------------------


def test_a_missing_folder_has_no_line_and_column(tmp_path: Path) -> None:
    for command in (("validate",), ("search", "x"), ("export",)):
        result = run(*command, "--data", "nowhere", cwd=tmp_path)
        assert result.returncode != 0
        first, last = result.stderr.splitlines()
        # (search and export open the dossier through the cache, which resolves the path)
        assert first.endswith("nowhere: no such folder (check the path)"), command
        assert ":1:1" not in first and last == "1 problem found.", command


def test_the_explorer_command_lines_read_without_the_parser_as_the_parser_reads_them() -> None:
    """tui.cli reads the explorer's own command lines without building the full parser (it
    imports every command); what it accepts must mean what argparse makes of it, and
    anything else must go to argparse."""
    from partnership_tui.model.commands.cli import parse_command_line
    from partnership_tui.tui.cli import explorer_args

    for argv in ([], ["--data", "d"], ["--data=some dir"], ["--data", "./x y/z"]):
        quick = explorer_args(argv)
        assert quick is not None, argv
        full = parse_command_line(argv)
        assert (quick.command, quick.data) == (full.command, full.data), argv
    for argv in (
        ["validate"],
        ["--data", "d", "validate"],
        ["--data", "-h"],
        ["--data"],
        ["--data="],
        ["--dat", "d"],
        ["-h"],
        ["--version"],
        ["--data", "d", "--data", "e"],
        ["search", "--data", "d"],
    ):
        assert explorer_args(argv) is None, argv
