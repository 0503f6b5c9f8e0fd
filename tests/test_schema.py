"""JSON Schemas: every bundled file conforms, and schema and loader agree on what is invalid."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest
from dossier_factory import write_dossier

from partnership_tui.model import bundled_data_dir
from partnership_tui.model.build import fields, kinds
from partnership_tui.model.dossier.load import load_dossier
from partnership_tui.model.read.nodes import Map, Node, Scalar, Seq
from partnership_tui.model.read.problems import DossierError
from partnership_tui.model.read.yamlsafe import decode, read_yaml

DATA = bundled_data_dir()
SCHEMAS = DATA / "schema"
FILE_KINDS = [
    "dossier",
    "sources",
    "companies",
    "people",
    "products",
    "deals",
    "tensions",
    "events",
    "claims",
]
_NUMBER = re.compile(r"^[-+]?(\d[\d_]*)(\.\d+)?([eE][-+]?\d+)?$")


def as_json(node: Node | None) -> object:
    """What an editor's YAML 1.2 reading of the file gives a schema validator."""
    if isinstance(node, Map):
        return {key: as_json(value) for key, (_, value) in node.items.items()}
    if isinstance(node, Seq):
        return [as_json(item) for item in node.items]
    if isinstance(node, Scalar):
        if node.plain and node.value in ("true", "false"):
            return node.value == "true"
        if node.plain and _NUMBER.match(node.value):
            return (
                float(node.value)
                if "." in node.value or "e" in node.value.lower()
                else int(node.value)
            )
        return node.value
    return None


def schema_errors(kind: str, path: Path) -> list[str]:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    instance = as_json(read_yaml(decode(path.read_bytes(), str(path)), str(path)))
    return [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(instance)]


@pytest.mark.parametrize("kind", FILE_KINDS)
def test_bundled_file_conforms_and_names_its_schema(kind: str) -> None:
    path = DATA / f"{kind}.yaml"
    assert path.exists(), f"bundled dossier has no {path.name}"
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == f"# yaml-language-server: $schema=schema/{kind}.schema.json"
    assert schema_errors(kind, path) == []


def test_schema_enums_match_the_loader() -> None:
    def enum_at(kind: str, field: str) -> list[str]:
        schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text())
        return schema["items"]["properties"][field]["enum"]

    assert enum_at("companies", "type") == list(fields.COMPANY_TYPES)
    assert enum_at("products", "type") == list(fields.PRODUCT_TYPES)
    assert enum_at("deals", "type") == list(fields.DEAL_TYPES)
    assert enum_at("deals", "status") == list(fields.DEAL_STATUSES)
    assert enum_at("tensions", "category") == list(fields.TENSION_CATEGORIES)
    assert enum_at("tensions", "status") == list(fields.TENSION_STATUSES)


def test_schema_keys_match_the_loader() -> None:
    plural = {
        "companies": "company",
        "people": "person",
        "products": "product",
        "deals": "deal",
        "tensions": "tension",
        "events": "event",
        "claims": "claim",
    }
    for name, kind in plural.items():
        schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text())
        assert set(schema["items"]["properties"]) == set(kinds.KIND_FILES[kind][1]), name


CITE = "  citations: [{source: news, exact: Sam Altman leads OpenAI.}]\n"
INVALID = {
    "unknown key": ("products", "- id: bing\n  name: Bing\n  colour: blue\n" + CITE),
    "bad id": ("products", "- id: Bing\n  name: Bing\n" + CITE),
    "missing name": ("products", "- id: bing\n" + CITE),
    "bad enum": ("products", "- id: bing\n  name: Bing\n  type: gadget\n" + CITE),
    "no citation": ("products", "- id: bing\n  name: Bing\n"),
    "malformed date": ("events", '- id: e\n  name: E\n  date: "Nov 2023"\n' + CITE),
    "boolean as word": ("events", "- id: e\n  name: E\n  projected: yes\n" + CITE),
    "one party": (
        "deals",
        "- id: d\n  name: D\n  parties: [{ref: openai, role: x}]\n" + CITE,
    ),
    "amount as text": (
        "events",
        "- id: e\n  name: E\n  amount: {value: lots, currency: USD, text: lots}\n" + CITE,
    ),
    "claim with one side": (
        "claims",
        "- id: c\n  name: C\n  sides:\n    - says: x\n  " + CITE.strip() + "\n",
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_schema_and_loader_agree_on_invalid_files(tmp_path: Path, case: str) -> None:
    kind, body = INVALID[case]
    overrides: dict[str, str | bytes | None] = {f"{kind}.yaml": body}
    if kind == "deals":
        overrides["events.yaml"] = None
    write_dossier(tmp_path, overrides)
    assert schema_errors(kind, tmp_path / f"{kind}.yaml"), f"schema accepts: {case}"
    with pytest.raises(DossierError):
        load_dossier(tmp_path)


def test_schema_and_loader_agree_on_the_valid_base(tmp_path: Path) -> None:
    write_dossier(tmp_path)
    load_dossier(tmp_path)
    for kind in ("sources", "companies", "people", "deals", "events"):
        assert schema_errors(kind, tmp_path / f"{kind}.yaml") == [], kind
