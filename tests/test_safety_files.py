"""Issue 13: what the commands do with hostile dossier files (symlinks, FIFOs, permissions,
bytes that are not what they claim), run as a user runs them: the installed command, in
its own process. Each case names the issue's item it reproduces."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hostile import (
    FIXTURE,
    can_drop_privileges,
    copy_dossier,
    run,
    world_readable_dir,
)

ISSUE = "issue 13"


@pytest.fixture
def dossier(tmp_path: Path) -> Path:
    return copy_dossier(tmp_path / "dossier")


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file outside the dossier that no command should ever show (a private key, say)."""
    path = tmp_path / "id_rsa"
    path.write_text("BEGIN PRIVATE KEY zebraquokka secret\n", encoding="utf-8")
    return path


def _add_source(dossier: Path, source_id: str, file_line: str | None = None) -> None:
    entry = f'\n- id: {source_id}\n  title: "Planted"\n'
    if file_line is not None:
        entry += f"  file: {file_line}\n"
    with (dossier / "sources.yaml").open("a", encoding="utf-8") as handle:
        handle.write(entry)


# --- item 3: a symlink inside the dossier pulls in a file from outside ----------------------


@pytest.mark.parametrize("via", ["default name", "file field", "linked folder"])
def test_symlink_out_of_the_dossier_is_refused(
    dossier: Path, secret: Path, tmp_path: Path, via: str
) -> None:
    if via == "default name":
        (dossier / "sources" / "planted.txt").symlink_to(secret)
        _add_source(dossier, "planted")
    elif via == "file field":
        (dossier / "sources" / "x.txt").symlink_to(secret)
        _add_source(dossier, "planted", "sources/x.txt")
    else:
        outside = tmp_path / "elsewhere"
        outside.mkdir()
        (outside / "planted.txt").write_bytes(secret.read_bytes())
        (dossier / "texts").symlink_to(outside)
        _add_source(dossier, "planted", "texts/planted.txt")
    cache = tmp_path / "cache"
    for args in (["export"], ["export", "--format", "markdown"], ["search", "zebraquokka"]):
        result = run([*args, "--data", dossier], cache=cache)
        result.assert_no_traceback()
        assert b"zebraquokka" not in result.out + result.err, args
        assert result.code != 0, args
    problems = run(["validate", "--data", dossier], cache=cache)
    assert problems.code == 1
    assert "outside the dossier" in problems.stderr
    assert "sources.yaml:" in problems.stderr


def test_symlink_inside_the_dossier_is_followed(dossier: Path, tmp_path: Path) -> None:
    """The rule is where the file really is: a link that stays inside the dossier is fine."""
    (dossier / "texts").mkdir()
    (dossier / "sources" / "harbor-report.txt").rename(dossier / "texts" / "harbor.txt")
    (dossier / "sources" / "harbor-report.txt").symlink_to("../texts/harbor.txt")
    result = run(["validate", "--data", dossier], cache=tmp_path / "cache")
    assert result.code == 0, result.stderr


# --- item 4: export onto the dossier's own files ---------------------------------------------


@pytest.mark.parametrize("target", ["people.yaml", "sources/harbor-report.txt", "new.yaml"])
def test_export_never_writes_into_the_dossier(dossier: Path, tmp_path: Path, target: str) -> None:
    path = dossier / target
    before = path.read_bytes() if path.exists() else None
    result = run(["export", "--data", dossier, "-o", path], cache=tmp_path / "cache")
    result.assert_no_traceback()
    assert result.code != 0
    assert "dossier" in result.stderr and str(path) in result.stderr
    assert (path.read_bytes() if path.exists() else None) == before


def test_export_refuses_a_hard_link_to_a_dossier_file(dossier: Path, tmp_path: Path) -> None:
    link = tmp_path / "looks-harmless.json"
    os.link(dossier / "people.yaml", link)
    before = link.read_bytes()
    result = run(["export", "--data", dossier, "-o", link], cache=tmp_path / "cache")
    assert result.code != 0
    assert (dossier / "people.yaml").read_bytes() == before


# --- item 6: a NUL byte in a file name -------------------------------------------------------


def test_nul_in_a_file_field_is_a_problem(dossier: Path, tmp_path: Path) -> None:
    _add_source(dossier, "planted", '"sources/x\\0.txt"')
    for args in (["validate"], ["export"], ["search", "acme"]):
        result = run([*args, "--data", dossier], cache=tmp_path / "cache")
        result.assert_no_traceback()
        assert result.code in (1, 2)
        assert "sources.yaml:" in result.stderr and "NUL" in result.stderr, result.stderr


# --- item 7: a dossier folder the user may not read -------------------------------------------


@pytest.mark.skipif(not can_drop_privileges(), reason="needs root to run the command as nobody")
@pytest.mark.parametrize("mode", [0o000, 0o311, 0o700])
def test_unreadable_dossier_folder_is_reported(mode: int) -> None:
    """0o000: nothing in it can be reached; 0o311: files can be opened but not listed;
    0o700 owned by root: nobody may not enter it at all."""
    with world_readable_dir() as base:
        dossier = copy_dossier(base / "dossier")
        for path in dossier.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        dossier.chmod(mode)
        for args in (["validate"], ["export"], ["search", "acme"]):
            result = run(
                [*args, "--data", dossier],
                as_nobody=True,
                env={"PARTNERSHIP_TUI_NO_CACHE": "1"},
            )
            result.assert_no_traceback()
            if mode == 0o311:  # every file opens by name: the dossier loads
                assert result.code == 0, result.stderr
            else:
                assert result.code in (1, 2), result.stderr
                assert "ermission denied" in result.stderr, result.stderr


@pytest.mark.skipif(not can_drop_privileges(), reason="needs root to run the command as nobody")
def test_unreadable_files_are_reported_with_their_path() -> None:
    with world_readable_dir() as base:
        dossier = copy_dossier(base / "dossier")
        for path in dossier.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        (dossier / "people.yaml").chmod(0o000)
        (dossier / "sources" / "ledger-notes.txt").chmod(0o000)
        (dossier / "sources").chmod(0o311)
        result = run(
            ["validate", "--data", dossier],
            as_nobody=True,
            env={"PARTNERSHIP_TUI_NO_CACHE": "1"},
        )
        result.assert_no_traceback()
        assert result.code == 1
        assert "people.yaml: people.yaml cannot be read" in result.stderr, result.stderr
        assert "ledger-notes.txt" in result.stderr


# --- item 10: FIFOs and other files that are not regular files --------------------------------


@pytest.mark.parametrize(
    "name", ["companies.yaml", "sources.yaml", "dossier.yaml", "sources/ledger-notes.txt"]
)
def test_a_named_pipe_is_reported_not_read(dossier: Path, tmp_path: Path, name: str) -> None:
    (dossier / name).unlink()
    os.mkfifo(dossier / name)
    for args in (["validate"], ["export"]):
        result = run([*args, "--data", dossier], cache=tmp_path / "cache", timeout=60)
        result.assert_no_traceback()
        assert result.code == 1
        assert "not a regular file" in result.stderr, result.stderr
        assert Path(name).name in result.stderr


def test_a_folder_where_a_file_should_be(dossier: Path, tmp_path: Path) -> None:
    (dossier / "people.yaml").unlink()
    (dossier / "people.yaml").mkdir()
    result = run(["validate", "--data", dossier], cache=tmp_path / "cache")
    result.assert_no_traceback()
    assert result.code == 1
    assert "people.yaml" in result.stderr and "not a regular file" in result.stderr


def test_a_device_as_a_source_text(dossier: Path, tmp_path: Path) -> None:
    (dossier / "sources" / "ledger-notes.txt").unlink()
    (dossier / "sources" / "ledger-notes.txt").symlink_to("/dev/zero")
    result = run(["validate", "--data", dossier], cache=tmp_path / "cache", timeout=60)
    result.assert_no_traceback()
    assert result.code == 1
    assert "ledger-notes.txt" in result.stderr


# --- item 17: dangling and looping symlinks say so -------------------------------------------


@pytest.mark.parametrize("name", ["companies.yaml", "sources.yaml"])
@pytest.mark.parametrize("kind", ["dangling", "loop"])
def test_a_broken_symlink_is_named(dossier: Path, tmp_path: Path, name: str, kind: str) -> None:
    (dossier / name).unlink()
    if kind == "dangling":
        (dossier / name).symlink_to(tmp_path / "gone.yaml")
    else:
        (dossier / name).symlink_to(dossier / name)
    result = run(["validate", "--data", dossier], cache=tmp_path / "cache")
    result.assert_no_traceback()
    assert result.code == 1
    first = result.stderr.splitlines()[0]
    assert name in first and "symlink" in first, result.stderr
    assert f"no {name}" not in result.stderr
    # One problem about the link, not a page of follow-on errors about what it would have held.
    assert result.stderr.count("\n") < 12, result.stderr


def test_fixture_is_untouched() -> None:
    """The fixture these tests copy stays as it is (a test that wrote into it would leak)."""
    assert not any(p.is_symlink() for p in FIXTURE.rglob("*"))
