"""The speed harness and its dossier generator, run small so that they cannot rot.

No speed thresholds here (CI machines vary); what is checked is that the
generator makes valid, byte-stable dossiers and that one quick harness run
fills every row of its table with real, positive numbers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from harness import ROOT
from harness import benchmarks_module as bench

from partnership_tui.model.build.records import KINDS
from partnership_tui.model.dossier.load import load_dossier


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_same_seed_gives_byte_identical_files(tmp_path: Path) -> None:
    synth = bench("synth")
    spec = synth.spec_for("tiny", seed=7)
    synth.generate(tmp_path / "a", spec)
    synth.generate(tmp_path / "b", spec)
    first, second = tree(tmp_path / "a"), tree(tmp_path / "b")
    assert first == second
    assert "events.yaml" in first and any(name.startswith("sources/") for name in first)
    synth.generate(tmp_path / "c", synth.spec_for("tiny", seed=8))
    assert tree(tmp_path / "c")["events.yaml"] != first["events.yaml"]


def test_generated_dossier_is_valid_and_quotes_occur_once(tmp_path: Path) -> None:
    synth = bench("synth")
    spec = synth.spec_for("tiny", seed=3, entities=40, events=150, sources=6)
    manifest = synth.generate(tmp_path, spec)
    dossier = load_dossier(tmp_path)  # raises DossierError listing problems if anything is off

    counts = manifest["counts"]
    assert len(dossier.sources) == counts["sources"] == 6
    assert len(dossier.timeline) == counts["events"] == 150
    entities = [r for kind in ("company", "person", "product") for r in dossier.by_kind(kind)]
    assert len(entities) == 40
    assert dossier.by_kind("deal") and dossier.by_kind("tension") and dossier.by_kind("claim")
    assert all(len(claim.sides) >= 2 for claim in dossier.by_kind("claim"))
    assert any(person.roles for person in dossier.by_kind("person"))

    texts = {source.id: source.text for source in dossier.sources}
    records = [record for kind in KINDS for record in dossier.by_kind(kind)]
    quotes = [citation for record in records for citation in record.all_citations()]
    assert len(quotes) == manifest["citations"]
    for citation in quotes:
        assert texts[citation.source].count(citation.quote) == 1, citation.quote
    names = [n.casefold() for r in entities for n in (r.name, *r.aliases)]
    assert len(names) == len(set(names))
    assert sum(len(dossier.mentions_in(s)) for s in texts) > len(quotes)  # names are linked

    for path in sorted(tmp_path.glob("*.yaml")):
        first_line = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first_line == f"# yaml-language-server: $schema=schema/{path.stem}.schema.json"


def test_generated_files_match_the_json_schemas(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    yaml = pytest.importorskip("yaml")
    synth = bench("synth")
    synth.generate(tmp_path, synth.spec_for("tiny", seed=5))
    for path in sorted(tmp_path.glob("*.yaml")):
        schema = json.loads((tmp_path / "schema" / f"{path.stem}.schema.json").read_text())
        jsonschema.validate(yaml.safe_load(path.read_text(encoding="utf-8")), schema)


def test_median_and_p95() -> None:
    report = bench("harness.report")
    assert report.median_p95([float(x) for x in range(1, 21)]) == (10.5, 19.0)
    assert report.median_p95([5.0]) == (5.0, 5.0)


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One quick harness run (tiny synthetic dossier, two repetitions), as a user runs it."""
    out = tmp_path_factory.mktemp("bench")
    argv = [
        sys.executable,
        str(ROOT / "benchmarks" / "run.py"),
        "--quick",
        "--repeat",
        "2",
        "--presses",
        "3",
        "--out",
        str(out),
    ]
    if not bench("harness.terminal").pty_available():
        argv.append("--no-pty")
    done = subprocess.run(argv, capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    results["stdout"] = done.stdout
    return results


def rows_by_key(results: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(row["metric"], row["dossier"]): row for row in results["rows"]}


@pytest.mark.bundled  # the quick run measures the bundled dossier too
def test_quick_run_has_every_metric_with_positive_numbers(quick_run: dict[str, Any]) -> None:
    report = bench("harness.report")
    rows = rows_by_key(quick_run)
    for metric in report.METRICS:
        for dossier in ("bundled", "tiny"):
            assert (metric, dossier) in rows, (metric, dossier)
        assert metric in quick_run["stdout"]
    for row in quick_run["rows"]:
        if row["status"] == "ok":
            assert row["samples"] and all(value > 0 for value in row["samples"]), row
            assert row["median"] > 0 and row["p95"] >= row["median"]
    for dossier in ("bundled", "tiny"):
        cold = rows[("load cold (load_dossier)", dossier)]
        assert cold["status"] == "ok" and cold["anchor_median"] > 0
        assert rows[("peak RSS: first open + index", dossier)]["median"] > 10  # MB
        # The fast YAML reader switched off: the row ran (a switch with nothing to turn off
        # is an error), each run beside a plain cold load with it on.
        off = rows[("load cold, fast YAML reader off", dossier)]
        assert off["status"] == "ok", off
        assert off["anchor_samples"] == cold["samples"][1:]
        assert len(off["samples"]) == len(off["anchor_samples"]) >= 1
        assert "CPU time off/on" in off["note"]


@pytest.mark.bundled  # the quick run measures the bundled dossier too
def test_quick_run_measures_search_when_the_module_exists(quick_run: dict[str, Any]) -> None:
    pytest.importorskip("partnership_tui.model.search.index")
    rows = rows_by_key(quick_run)
    for kind in ("rare word", "common word", "phrase", "prefix"):
        row = rows[(f"search: {kind}", "tiny")]
        assert row["status"] == "ok", row
        assert row["anchor_median"] > 0  # rg or the Python scan ran beside it
    assert rows[("search: index from cache", "tiny")]["status"] == "ok"


@pytest.mark.bundled  # the quick run measures the bundled dossier too
def test_quick_run_measures_the_terminal(quick_run: dict[str, Any]) -> None:
    if not quick_run["meta"]["environment"]["pty"]:
        pytest.skip("no pseudo-terminal on this system")
    pytest.importorskip("partnership_tui.tui.app")
    rows = rows_by_key(quick_run)
    for dossier in ("bundled", "tiny"):
        startup = rows[("startup -> first screen", dossier)]
        assert startup["status"] == "ok", startup
        assert startup["anchor_median"] > 0 and startup["ratio"] > 0  # the hello app ran too
        for metric in bench("harness.report").KEY_METRICS:
            assert rows[(metric, dossier)]["status"] == "ok", rows[(metric, dossier)]
        cells_off = rows[("key: entity list move, cell renderer off", dossier)]
        on = rows[("key: entity list move", dossier)]
        assert cells_off["anchor_samples"] == on["samples"]
        reload = rows[("live reload: edit one file -> screen", dossier)]
        assert reload["status"] == "ok", reload  # the edit reached the screen


def test_sentence_benchmark_times_every_text() -> None:
    """benchmarks/sentences.py, run small: a row per text, each with real sentences counted."""
    sentences = bench("sentences")
    rows = list(sentences.rows(0.05, repeat=1, libraries=False))
    assert len(rows) == 1 + len(sentences.hostile(0.005))
    corpus_row = rows[0]
    assert corpus_row[1].startswith("bundled articles") and corpus_row[3] > 100
    assert all(seconds >= 0 for _, _, seconds, _ in rows)


@pytest.mark.bundled
def test_the_startup_rows_alone_time_the_app_beside_the_hello_app(tmp_path: Path) -> None:
    if not bench("harness.terminal").pty_available():
        pytest.skip("no pseudo-terminal on this system")
    pytest.importorskip("partnership_tui.tui.app")
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "benchmarks.harness.startup", "--dossier", "bundled"]
    argv += ["--runs", "2", "--out", str(out)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads((out / "startup.json").read_text(encoding="utf-8"))
    [row] = results["rows"]
    assert (row["metric"], row["dossier"], row["status"]) == (
        "startup -> first screen",
        "bundled",
        "ok",
    ), row
    samples = results["samples"]["bundled"]
    assert len(samples["app"]) == len(samples["hello"]) == 2
    assert all(value > 0 for value in samples["app"] + samples["hello"])
    assert row["ratio"] > 0 and "startup -> first screen" in done.stdout


def test_the_load_rows_alone(tmp_path: Path) -> None:
    """`python -m benchmarks.harness.loads` measures the load, search and memory rows only."""
    out = tmp_path / "out"
    argv = [sys.executable, "-m", "benchmarks.harness.loads", "--dossier", "bundled"]
    argv += ["--repeat", "2", "--out", str(out)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=240, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    rows = rows_by_key(json.loads((out / "loads.json").read_text(encoding="utf-8")))
    cold = rows[("load cold (load_dossier)", "bundled")]
    assert cold["status"] == "ok" and len(cold["samples"]) == 2 and cold["anchor_median"] > 0
    assert rows[("load warm (load_cached)", "bundled")]["median"] > 0
    assert rows[("peak RSS: first open + index", "bundled")]["median"] > 10  # MB
    assert rows[("search: rare word", "bundled")]["status"] in ("ok", "n/a")
    assert not any(dossier != "bundled" for _, dossier in rows)
    assert "peak RSS: first open + index" in done.stdout
