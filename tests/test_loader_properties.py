"""Whatever bytes a YAML file holds, the loader gives problems or a dossier, never a crash."""

from __future__ import annotations

from pathlib import Path

from dossier_factory import write_dossier
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnership_tui.model.dossier.load import load_dossier
from partnership_tui.model.read.problems import DossierError

YAML_BITS = st.sampled_from(
    [
        "- ",
        "id: ",
        "name: ",
        "x",
        "\n",
        "  ",
        "[",
        "]",
        "{",
        "}",
        ": ",
        "&a ",
        "*a",
        "!!python/",
        '"',
        "'",
        "#",
        "citations:",
        "parties:",
        "date: ",
        "2023-02-30",
        "\t",
        "---\n",
        "\x1b",
        "é",
        "\ufeff",
    ]
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.one_of(st.lists(YAML_BITS, max_size=40).map("".join), st.binary(max_size=200)))
def test_any_products_file_gives_problems_or_a_dossier(tmp_path: Path, body: str | bytes) -> None:
    root = write_dossier(tmp_path, {"products.yaml": body})
    try:
        dossier = load_dossier(root)
    except DossierError as error:
        assert error.problems
        for problem in error.problems:
            assert problem.line >= 1 and problem.col >= 1 and problem.message
    else:
        assert "openai" in dossier
