"""Issue 13: every output of every command over hostile data, odd encodings and odd targets.

`test_every_command_is_clean` is the one place that runs every command (validate, search,
export as JSON and Markdown, and the explorer in a pseudo-terminal) over the hostile
corpora and checks the bytes that come out.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from hostile import FIXTURE, NASTY, copy_dossier, run, run_explorer, unsafe_bytes

BUNDLED = Path(__file__).resolve().parent.parent / "data"

# Control characters written as YAML escapes pass a check of the raw bytes (item 16).
ESCAPED = {
    "ESC": "\\e[2JCLEARED",
    "C1 CSI": "\\x9b31mRED",
    "bidi override": "\\u202eevil",
    "isolate": "\\u2066iso\\u2069",
    "bell": "\\aRING",
    "NEL": "\\N",
    "line separator": "\\L",
}


@pytest.fixture
def escaped_dossier(tmp_path: Path) -> Path:
    """The fixture dossier with a control character, written as a YAML escape, in every kind
    of string a record has: names, summaries, aliases, roles, terms, amounts' text, notes."""
    dossier = copy_dossier(tmp_path / "escaped")
    payload = "".join(ESCAPED.values())
    for path in dossier.glob("*.yaml"):
        lines = []
        for line in path.read_text(encoding="utf-8").splitlines():
            for key in ("name", "summary", "title", "note", "text", "date_note", "role", "says"):
                prefix = f"{key}: "
                stripped = line.lstrip(" -{")
                if stripped.startswith(prefix) and not stripped.endswith(("|", ">")):
                    indent = line[: len(line) - len(stripped)]
                    value = stripped[len(prefix) :].strip().strip('"')
                    if "," in value or "}" in value or "#" in value:
                        continue
                    line = f'{indent}{prefix}"{payload}{value}"'
            lines.append(line)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return dossier


def _commands(dossier: Path) -> list[list[str | Path]]:
    return [
        ["validate", "--data", dossier],
        ["export", "--data", dossier],
        ["export", "--format", "markdown", "--data", dossier],
        ["search", "--data", dossier, "evil"],
        ["search", "--data", dossier, "a*"],
        ["search", "--json", "--data", dossier, "a*"],
        ["search", "--data", dossier, "RED"],
        ["search", "--data", dossier, "kind:person", "a*"],
    ]


def assert_clean(result_bytes: bytes, what: str) -> None:
    leaked = unsafe_bytes(result_bytes)
    assert not leaked, f"{what}: {leaked}"


@pytest.mark.parametrize("corpus", ["nasty", "escaped", "fixture"])
def test_every_command_is_clean(
    corpus: str, escaped_dossier: Path, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    """No ESC, C1 or bidi control from the data reaches any output of any command."""
    dossier = {"nasty": NASTY, "escaped": escaped_dossier, "fixture": FIXTURE}[corpus]
    cache = tmp_path / "cache"
    for args in _commands(dossier):
        result = run(args, cache=cache)
        result.assert_no_traceback()
        assert result.code in (0, 1), (args, result.stderr)
        assert_clean(result.out, f"stdout of {args[:2]}")
        assert_clean(result.err, f"stderr of {args[:2]}")
    out = tmp_path / "export.md"
    for fmt in ("json", "markdown"):
        result = run(["export", "--format", fmt, "--data", dossier, "-o", out], cache=cache)
        assert result.code == 0, result.stderr
        assert_clean(out.read_bytes(), f"export -o ({fmt})")
    if corpus == "escaped":
        keys = [b"j"] * 6 + [b"3", b"j", b"j", b"4", b"j", b"\r", b"j"]
        screen, _ = run_explorer(keys, cache, dossier)
        assert len(screen) > 5_000
        for name, sequence in {
            "ESC 2J": b"\x1b[2JCLEARED",
            "C1": "\x9b31mRED".encode(),
            "bidi": "\u202eevil".encode(),
            "isolate": "\u2066".encode(),
            "bell": b"\x07RING",
        }.items():
            assert sequence not in screen, name


def test_markdown_export_of_escapes_is_clean(escaped_dossier: Path, tmp_path: Path) -> None:
    result = run(["export", "--format", "markdown", "--data", escaped_dossier], cache=tmp_path)
    assert result.code == 0, result.stderr
    assert_clean(result.out, "markdown")
    assert "CLEARED" in result.stdout and "evil" in result.stdout


def test_json_export_escapes_controls_and_keeps_the_data(
    escaped_dossier: Path, tmp_path: Path
) -> None:
    """JSON says exactly what the YAML says (a consumer gets the same string back), with
    every control and bidi character written as a \\u escape rather than a raw byte."""
    result = run(["export", "--data", escaped_dossier], cache=tmp_path)
    assert result.code == 0, result.stderr
    assert_clean(result.out, "json")
    body = json.loads(result.out)
    names = [c["name"] for c in body["companies"]]
    assert any(name.startswith("\x1b[2JCLEARED\x9b31mRED\u202eevil") for name in names), names


# --- item 8: an output encoding that is not UTF-8 -------------------------------------------


ENCODINGS = {
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "latin-1": {"PYTHONIOENCODING": "latin-1"},
    "C locale": {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""},
}


@pytest.mark.bundled
@pytest.mark.parametrize("encoding", list(ENCODINGS))
def test_commands_survive_an_encoding_that_is_not_utf8(encoding: str, tmp_path: Path) -> None:
    env = {**ENCODINGS[encoding]}
    for args in (
        ["validate"],
        ["export"],
        ["export", "--format", "markdown"],
        ["search", "Nadella"],
        ["search", "--json", "Nadella"],
    ):
        result = run(args, env=env, cache=tmp_path / "cache")
        result.assert_no_traceback()
        assert result.code == 0, (args, result.stderr)
        assert result.out, args
        assert_clean(result.out, str(args))
        if args == ["export"]:  # the JSON stays JSON, every character kept
            body = json.loads(result.out)
            assert body["title"] == json.loads(run(args, cache=tmp_path / "c2").out)["title"]


def test_explorer_refuses_a_terminal_that_is_not_utf8(tmp_path: Path) -> None:
    env = {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}
    screen, code = run_explorer([], tmp_path, FIXTURE, env=env)
    assert b"\\u2500" not in screen
    assert b"UTF-8" in screen
    assert code == 2


# --- item 11: the explorer without a terminal -------------------------------------------------


@pytest.mark.parametrize("stdin", ["devnull", "pipe"])
def test_explorer_needs_a_terminal(stdin: str, tmp_path: Path) -> None:
    import subprocess

    started = time.monotonic()
    result = run(
        ["--data", FIXTURE],
        stdin=subprocess.DEVNULL if stdin == "devnull" else subprocess.PIPE,
        cache=tmp_path,
        timeout=30,
    )
    assert result.code == 2
    assert "needs a terminal" in result.stderr
    assert "validate" in result.stderr and "export" in result.stderr
    assert time.monotonic() - started < 30


# --- item 14, 15: values that must not pass validate ------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["1e999", "-1e999", ".nan", ".inf", "nan", "inf", "9" * 5000],
    ids=["1e999", "-1e999", ".nan", ".inf", "nan", "inf", "5000-digits"],
)
def test_amounts_must_be_finite_numbers(value: str, tmp_path: Path) -> None:
    dossier = copy_dossier(tmp_path / "d")
    deals = dossier / "deals.yaml"
    text = deals.read_text(encoding="utf-8")
    deals.write_text(text.replace("value: 2000000000", f"value: {value}", 1), encoding="utf-8")
    result = run(["validate", "--data", dossier], cache=tmp_path / "cache")
    result.assert_no_traceback()
    assert result.code == 1, result.stderr
    assert "deals.yaml:" in result.stderr and "amount" in result.stderr
    assert len(result.err) < 2_000, "the 5,000 digits are not echoed back whole"
    exported = run(["export", "--data", dossier], cache=tmp_path / "cache")
    assert exported.code == 1


def test_json_export_is_strict_json(tmp_path: Path) -> None:
    result = run(["export", "--data", FIXTURE], cache=tmp_path)

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON")

    json.loads(result.out, parse_constant=refuse)


@pytest.mark.parametrize("bad", ['"newco\\n"', '"newco\\r"', '"new\\nco"', '"newco "'])
def test_an_id_with_a_line_break_is_refused(bad: str, tmp_path: Path) -> None:
    dossier = copy_dossier(tmp_path / "d")
    with (dossier / "companies.yaml").open("a", encoding="utf-8") as handle:
        handle.write(
            f"- id: {bad}\n  name: Newco\n  citations:\n"
            '    - {source: ledger-notes, exact: "Initech did not respond."}\n'
        )
    result = run(["validate", "--data", dossier], cache=tmp_path / "cache")
    assert result.code == 1
    assert "bad id" in result.stderr


# --- item 18: messages name what the user asked for -------------------------------------------


@pytest.mark.parametrize(
    "target", ["/dev/stdout", "/missing/dir/x.json", "/proc/version", "/", "{tmp}/ro/x.json"]
)
def test_write_errors_name_the_users_path(target: str, tmp_path: Path) -> None:
    readonly = tmp_path / "ro"
    readonly.mkdir()
    target = target.format(tmp=tmp_path)
    if target.endswith("ro/x.json"):
        if os.getuid() == 0:
            pytest.skip("root writes into a read-only folder")
        readonly.chmod(0o500)
    result = run(
        ["export", "--format", "json", "--data", FIXTURE, "-o", target], cache=tmp_path / "cache"
    )
    result.assert_no_traceback()
    assert result.code == 1
    assert target in result.stderr
    assert ".tmp" not in result.stderr and "/proc/" not in result.stderr.replace(target, "")


# --- item 19: temp files of a killed write are cleaned up -------------------------------------


def test_stale_temp_files_are_removed_on_the_next_write(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    stale = [out / ".x.json.0badc0de.tmp", out / ".x.json.1234abcd.tmp"]
    fresh = out / ".x.json.feedf00d.tmp"  # another write going on right now: left alone
    theirs = out / ".x.json.notours.tmp"
    keep = out / "x.json.0badc0de.tmp"
    for path in [*stale, fresh, theirs, keep]:
        path.write_text("partial", encoding="utf-8")
    hour_ago = time.time() - 3600
    for path in [*stale, theirs, keep]:
        os.utime(path, (hour_ago, hour_ago))
    result = run(["export", "--data", FIXTURE, "-o", out / "x.json"], cache=tmp_path / "cache")
    assert result.code == 0, result.stderr
    assert not any(p.exists() for p in stale)
    assert fresh.exists() and theirs.exists() and keep.exists()
