"""Issue 13, item 9: any number of problems is reported in bounded time and output.

One TAB in people.yaml of a synthetic dossier leaves every reference to a person
dangling; thousands of broken references each used to compute a difflib "did you
mean" over every id. Now references to a kind whose file cannot be read are not
checked (one line says how many), suggestions are made for at most a budget of
references, and past a limit problems of one kind are summarised.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hostile import FIXTURE, copy_dossier, run

from partnership_tui.model.build import suggest
from partnership_tui.model.dossier.load import load_dossier
from partnership_tui.model.read.problems import SHOWN, SHOWN_PER_KIND, DossierError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "medium"
    subprocess.run(
        [sys.executable, "-m", "benchmarks.synth", "--size", "medium", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return out


def test_a_tab_in_people_yaml(synthetic: Path, tmp_path: Path) -> None:
    dossier = copy_dossier(tmp_path / "tab", synthetic)
    people = dossier / "people.yaml"
    lines = people.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("  name:"))
    lines[at] = "\t" + lines[at]
    people.write_text("".join(lines), encoding="utf-8")
    result = run(["validate", "--data", dossier], cache=tmp_path / "cache", timeout=300)
    result.assert_no_traceback()
    assert result.code == 1
    problems = result.stderr.splitlines()
    assert problems[0].startswith(str(people)) or "people.yaml" in problems[0], problems[:3]
    assert "tab" in result.stderr.lower()
    assert "not checked: " in result.stderr and "reference(s) from other files" in result.stderr
    assert len(problems) < 20, problems[:30]


def _broken_refs(root: Path, count: int) -> Path:
    dossier = copy_dossier(root, FIXTURE)
    with (dossier / "events.yaml").open("a", encoding="utf-8") as handle:
        for i in range(count):
            handle.write(
                f"- id: extra-{i}\n  name: Extra {i}\n  involves: [acme, globex-{i}]\n"
                "  citations:\n"
                '    - {source: ledger-notes, exact: "Initech did not respond."}\n'
            )
    return dossier


def test_thousands_of_broken_references_are_summarised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dossier = _broken_refs(tmp_path / "broken", 3_000)
    made: list[str] = []
    real = suggest.process.extractOne

    def counting(word: str, *args: object, **kwargs: object) -> object:
        made.append(word)  # one look over every id
        return real(word, *args, **kwargs)

    monkeypatch.setattr(suggest.process, "extractOne", counting)
    with pytest.raises(DossierError) as caught:
        load_dossier(dossier)
    error = caught.value
    assert error.total == 3_000
    assert len(made) <= suggest.BUDGET, "suggestions are bounded whatever the count"
    assert len(error.problems) <= SHOWN + 1
    summary = error.problems[SHOWN_PER_KIND]
    assert summary.message.startswith(f"and {3_000 - SHOWN_PER_KIND:,} more like this")
    assert "did you mean 'globex'?" in str(error.problems[0])


def test_the_command_reports_the_total_and_a_bounded_list(tmp_path: Path) -> None:
    dossier = _broken_refs(tmp_path / "broken", 3_000)
    result = run(["validate", "--data", dossier], cache=tmp_path / "cache")
    assert result.code == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "3000 problems found."
    assert len(lines) <= SHOWN_PER_KIND + 2
    assert "and 2,950 more like this from here on" in result.stderr


def test_a_long_value_is_cut_in_the_report() -> None:
    from partnership_tui.model.read.problems import MAX_TEXT, Problem

    line = str(Problem("a.yaml", 1, 1, "amount value '" + "9" * 5000 + "' is not a number"))
    assert len(line) < MAX_TEXT + 50 and line.endswith("…")
