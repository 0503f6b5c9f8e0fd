"""Mentions found by a child process during a cold load equal those found in the loader's own.

The child is used only for dossiers with much text (`MIN_TEXT_CHARS`); these tests lower
the bar so that small dossiers take that path, and compare the compact forms.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_DOSSIER
from test_dossier import _comparable, _synthetic, assert_same_answers

from partnership_tui.model import bundled_data_dir
from partnership_tui.model.build import mentionjob
from partnership_tui.model.dossier.load import load_dossier
from partnership_tui.model.read.problems import DossierError


class Spy:
    """Wraps `mentionjob.start` to see whether a job ran and what it answered."""

    def __init__(self) -> None:
        self.jobs: list[mentionjob.MentionJob] = []
        self.answers: list[object] = []
        self._start = mentionjob.start

    def start(self, *args: object) -> mentionjob.MentionJob | None:
        job = self._start(*args)  # type: ignore[arg-type]
        if job is not None:
            self.jobs.append(job)
            result = job.result

            def recorded() -> object:
                answer = result()
                self.answers.append(answer)
                return answer

            job.result = recorded  # type: ignore[method-assign]
        return job


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    found = Spy()
    monkeypatch.setattr(mentionjob, "MIN_TEXT_CHARS", 0)
    monkeypatch.setattr(mentionjob, "start", found.start)
    return found


@pytest.mark.parametrize("which", ["fixture", "synthetic", "bundled"])
def test_a_child_finds_the_same_mentions(which: str, tmp_path: Path, spy: Spy) -> None:
    root = {"fixture": FIXTURE_DOSSIER, "bundled": bundled_data_dir()}.get(which)
    root = root or _synthetic(tmp_path)
    with_child = load_dossier(root, compact=True)
    assert len(spy.jobs) == 1 and spy.answers[0] is not None  # the child did answer
    here = load_dossier(root)  # object indexes, mentions found in this process
    assert _comparable(with_child.to_compact()) == _comparable(here.to_compact())
    assert_same_answers(here, with_child)
    assert spy.jobs[0]._proc.returncode == 0


def test_a_source_changed_after_reading_is_not_used(
    tmp_path: Path, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child checks each text's hash: a file edited between the two reads gives no
    answer, and the loader finds the mentions in the text it read."""
    root = _synthetic(tmp_path)
    reference = load_dossier(root)
    texts = sorted((root / "sources").glob("*.txt"))
    original = mentionjob.MentionJob.__init__

    def edit_then_start(self: mentionjob.MentionJob, *args: object) -> None:
        texts[0].write_text("Edited after the loader read it.\n", encoding="utf-8")
        original(self, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(mentionjob.MentionJob, "__init__", edit_then_start)
    loaded = load_dossier(root, compact=True)
    assert spy.answers == [None]
    assert _comparable(loaded.to_compact()) == _comparable(reference.to_compact())


def test_no_interpreter_means_mentions_found_here(
    tmp_path: Path, spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    loaded = load_dossier(FIXTURE_DOSSIER, compact=True)
    assert spy.jobs == []
    reference = load_dossier(FIXTURE_DOSSIER)
    assert _comparable(loaded.to_compact()) == _comparable(reference.to_compact())


def test_a_failed_load_ends_the_child(tmp_path: Path, spy: Spy) -> None:
    """A problem found after the child started (here: a broken events file) kills and reaps it."""
    root = _synthetic(tmp_path)
    (root / "events.yaml").write_text("- id: [\n", encoding="utf-8")
    with pytest.raises(DossierError) as raised:
        load_dossier(root, compact=True)
    assert [p.path.endswith("events.yaml") for p in raised.value.problems] == [True]
    assert len(spy.jobs) == 1
    assert spy.jobs[0]._proc.returncode is not None  # reaped
