"""The authoring commands run as a user runs them: as processes, from the dossier's folder or
another, with hostile bytes in the data and nothing of them raw in the output."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from dossier_factory import write_dossier

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("partnership-tui", path=os.path.dirname(sys.executable)) or "partnership-tui"
    result = subprocess.run([exe, *args], capture_output=True, text=True, cwd=cwd, timeout=120)
    assert "Traceback" not in result.stderr, result.stderr
    assert not CONTROL.search(result.stdout + result.stderr), "raw control characters in output"
    return result


ARTICLE = (
    "Nvidia and TSMC\n"
    "\n"
    "Nvidia said on Monday that it will pay TSMC $2.5 billion for wafers.\n"
    "Jensen Huang met Wei Zhejia in Taipei last April.\n"
    "Nvidia said on Monday that it will pay TSMC $2.5 billion for wafers.\n"
)


def test_new_then_add_source_then_cite_then_gaps(tmp_path: Path) -> None:
    made = run("new", "chips", "--title", "Chips: Nvidia and TSMC", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    assert "validates" in made.stdout and "add-source" in made.stdout
    folder = tmp_path / "chips"
    empty = run("validate", "--data", str(folder), cwd=tmp_path)
    assert empty.returncode == 0 and "next: add an article" in empty.stderr

    (tmp_path / "article.txt").write_text(ARTICLE)
    added = run(
        "add-source",
        "../article.txt",
        "--id",
        "wire",
        "--title",
        "Nvidia pays TSMC",
        "--published",
        "2024-10-31",
        cwd=folder,
    )
    assert added.returncode == 0, added.stderr
    assert "sources/wire.txt:3:" in added.stdout  # the figure's line
    assert "$2.5 billion" in added.stdout
    assert "last April -> 2024-04" in added.stdout
    assert "on Monday -> 2024-10-28" in added.stdout
    assert "sources/wire.txt:3:40: TSMC (2 times)" in added.stdout  # the heading is skipped

    cited = run("cite", "wire", "Nvidia said on Monday", "--json", cwd=folder)
    assert cited.returncode == 0, cited.stderr
    found = json.loads(cited.stdout)
    assert len(found) == 2
    for item in found:
        assert ARTICLE[item["start"] : item["end"]] == item["exact"]

    shown = run("cite", "wire", "Jensen Huang met Wei Zhejia", "--indent", "4", cwd=folder)
    assert shown.stdout.startswith("    - source: wire\n      exact: ")
    events = "- id: meeting\n  name: Huang meets Wei\n  citations:\n" + shown.stdout
    (folder / "events.yaml").write_text(events)
    validated = run("validate", cwd=folder)  # the folder's own dossier, not the bundled one
    assert validated.returncode == 0 and validated.stdout.startswith("ok: Chips: Nvidia and TSMC:")

    gaps = run("gaps", "--json", cwd=folder)
    assert gaps.returncode == 0, gaps.stderr
    items = [json.loads(line) for line in gaps.stdout.splitlines()]
    assert any(i["kind"] == "uncited" and "$2.5 billion" in i["text"] for i in items)
    for item in items:
        assert set(item) >= {"source", "start", "end", "text", "reasons"}
        assert ARTICLE[item["start"] : item["end"]] == item["text"]


def test_cite_not_found_exits_1_with_the_nearest_sentence(tmp_path: Path) -> None:
    folder = write_dossier(tmp_path / "d")
    result = run(
        "cite", "news", "Microsoft invest $1 billion in OpenAI", "--data", str(folder), cwd=tmp_path
    )
    assert result.returncode == 1 and result.stdout == ""
    assert "nearest sentences:" in result.stderr
    assert "you wrote 'invest', the source has 'invested'" in result.stderr


def test_cite_a_source_that_does_not_exist_exits_2(tmp_path: Path) -> None:
    folder = write_dossier(tmp_path / "d")
    result = run("cite", "newz", "x", "--data", str(folder), cwd=tmp_path)
    assert result.returncode == 2
    assert "sources.yaml:1:1: no source 'newz' (did you mean 'news'?)" in result.stderr


def test_refusals_say_where_and_write_nothing(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "keep.txt").write_text("mine")
    result = run("new", "busy", cwd=tmp_path)
    assert result.returncode == 1 and "busy:1:1: folder is not empty" in result.stderr

    folder = write_dossier(tmp_path / "d")
    (tmp_path / "evil.txt").write_bytes(b"fine\nthen \x1b]0;pwned\x07 here\n")
    result = run(
        "add-source",
        "evil.txt",
        "--id",
        "evil",
        "--title",
        "E",
        "--data",
        str(folder),
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "evil.txt:2:6: control character U+001B (ESC)" in result.stderr
    assert not (folder / "sources" / "evil.txt").exists()


def test_add_source_outside_a_dossier_needs_data(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Some text.\n")
    result = run("add-source", "a.txt", "--id", "a", "--title", "A", cwd=tmp_path)
    assert result.returncode == 1 and "no dossier here" in result.stderr


def test_hostile_bytes_in_the_data_never_reach_the_terminal(tmp_path: Path) -> None:
    article = "Evil\x1b[2J Corp paid $5 billion to Good\u202e Inc in 2020.\n"
    folder = write_dossier(
        tmp_path / "d",
        article=article + "Sam Altman leads OpenAI.\n"
        "Microsoft invested $1 billion in OpenAI in 2019.\n"
        "Microsoft Research built Orca 2. Nadella praised the deal.\n"
        "Altman spoke. Altman spoke.\nA metaphor is not Meta.\n",
    )
    for args in (
        ("gaps",),
        ("gaps", "--json"),
        ("cite", "news", "Evil"),
        ("cite", "news", "Evil\x1b[2J Corp"),
        ("cite", "news", "zzz Evil Corp paid"),
    ):
        run(*args, "--data", str(folder), cwd=tmp_path)  # run() asserts the output is clean
