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
    assert lines[-1] == "1 problem(s) found."
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
        assert result.stdout.startswith("ok: d: 1 sources"), result.stdout
