"""JSON Schemas: every bundled file conforms, and schema and loader agree on what is invalid."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import jsonschema
import pytest
from dossier_factory import write_dossier

from partnership_tui.model import bundled_data_dir
from partnership_tui.model.build import schema, schemagen
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


ROOT = Path(__file__).resolve().parent.parent
REGENERATE = f"run `{schemagen.COMMAND}` and commit the result"


def test_committed_schemas_are_what_the_definition_generates() -> None:
    wanted = schemagen.schema_files()
    committed = {path.name for path in SCHEMAS.glob("*.json")}
    assert committed == set(wanted), (
        f"data/schema/ has other files than the definition: {REGENERATE}"
    )
    assert sorted(name.removesuffix(".schema.json") for name in wanted) == sorted(FILE_KINDS)
    for name, text in wanted.items():
        assert (SCHEMAS / name).read_text(encoding="utf-8") == text, (
            f"data/schema/{name} differs from model/build/schema.py: {REGENERATE}"
        )


def test_format_md_tables_are_what_the_definition_generates() -> None:
    markdown = (ROOT / "docs" / "FORMAT.md").read_text(encoding="utf-8")
    assert markdown.count(schemagen.BEGIN) == 1 and markdown.count(schemagen.END) == 1
    assert schemagen.splice_tables(markdown) == markdown, (
        f"docs/FORMAT.md's field tables differ from model/build/schema.py: {REGENERATE}"
    )


def test_splice_rewrites_a_hand_edited_table() -> None:
    """A hand edit between the markers is undone by regenerating; the prose around is kept."""
    markdown = (ROOT / "docs" / "FORMAT.md").read_text(encoding="utf-8")
    edited = markdown.replace("| `date_note` |", "| `date_notes` |", 1)
    assert edited != markdown
    assert schemagen.splice_tables(edited) == markdown
    prose = markdown.replace("## Records", "## The records", 1)
    assert schemagen.splice_tables(prose) == prose
    with pytest.raises(ValueError, match="markers"):
        schemagen.splice_tables(markdown.replace(schemagen.END, ""))


# One valid record of every kind holding every nested mapping, so each required field of the
# definition can be taken out in turn and the loader seen to refuse it.
C = [{"source": "news", "exact": "Sam Altman leads OpenAI."}]
AMOUNT = {"value": 1000000000, "currency": "USD", "text": "$1 billion"}
FULL: dict[str, dict[str, object]] = {
    "source": {"id": "news", "title": "A test article"},
    "company": {
        "id": "acme",
        "name": "Acme",
        "facts": [{"label": "founded", "value": "2015", "citations": C}],
        "citations": C,
    },
    "person": {
        "id": "jane",
        "name": "Jane",
        "roles": [{"org": "openai", "title": "CEO", "citations": C}],
        "citations": C,
    },
    "product": {"id": "orca", "name": "Orca", "citations": C},
    "deal": {
        "id": "d",
        "name": "D",
        "parties": [{"ref": "microsoft", "role": "investor"}, {"ref": "openai", "role": "x"}],
        "amount": AMOUNT,
        "terms": [{"text": "t", "citations": C}],
        "citations": C,
    },
    "tension": {
        "id": "t",
        "name": "T",
        "parties": [
            {"ref": "microsoft", "stance": "a", "citations": C},
            {"ref": "openai", "stance": "b", "citations": C},
        ],
        "citations": C,
    },
    "event": {"id": "e", "name": "E", "amount": AMOUNT, "citations": C},
    "claim": {
        "id": "c",
        "name": "C",
        "sides": [{"says": "x", "amount": AMOUNT, "citations": C}, {"says": "y", "citations": C}],
    },
}


def _mappings(obj: schema.Object, record: object, at: tuple = ()) -> list[tuple]:
    """(path, its definition) of `record` and of every mapping nested in it (first of a list)."""
    assert isinstance(record, dict)
    out: list[tuple] = [(at, obj)]
    for f in obj.fields:
        if f.name not in record:
            continue
        inner, value, path = f.type, record[f.name], (*at, f.name)
        while isinstance(inner, schema.ListOf):
            inner, value, path = inner.item, value[0], (*path, 0)
        if isinstance(inner, schema.Citations):
            inner, value, path = schema.CITATION, value[0], (*path, 0)
        if isinstance(inner, schema.Object):
            out.extend(_mappings(inner, value, path))
    return out


def _at(record: dict[str, object], path: tuple) -> dict[str, object]:
    where: object = record
    for step in path:
        where = where[step]  # type: ignore[index]
    assert isinstance(where, dict)
    return where


REQUIRED = [
    (kind, path, f.name)
    for kind, record in FULL.items()
    for path, obj in _mappings(schema.FILE_OF_KIND[kind].record, record)
    for f in obj.fields
    if f.required and f.name in _at(record, path)
]
BASE_COMPANIES = [
    {"id": "microsoft", "name": "Microsoft", "citations": C},
    {"id": "openai", "name": "OpenAI", "citations": C},
]


def _load_with(tmp_path: Path, kind: str, record: dict[str, object]) -> list[str]:
    """Load a dossier of the base source and companies plus `record`; the problems found."""
    files: dict[str, str | bytes | None] = {
        "companies.yaml": json.dumps([*BASE_COMPANIES, *([record] if kind == "company" else [])]),
        "people.yaml": None,
        "deals.yaml": None,
        "events.yaml": None,
    }
    if kind != "company":
        files[f"{schema.FILE_OF_KIND[kind].stem}.yaml"] = json.dumps([record])  # JSON is YAML
    write_dossier(tmp_path, files)
    try:
        load_dossier(tmp_path)
    except DossierError as exc:
        return [p.message for p in exc.problems]
    return []


@pytest.mark.parametrize("kind", sorted(FULL))
def test_the_full_records_load(tmp_path: Path, kind: str) -> None:
    assert _load_with(tmp_path, kind, FULL[kind]) == []


def test_every_required_field_is_covered() -> None:
    covered = {(kind, key) for kind, _, key in REQUIRED}
    assert ("deal", "ref") in covered and ("claim", "says") in covered
    assert ("event", "currency") in covered and ("person", "exact") in covered
    assert len(REQUIRED) > 40


@pytest.mark.parametrize(("kind", "path", "key"), REQUIRED, ids=str)
def test_the_loader_refuses_a_record_without_a_required_field(
    tmp_path: Path, kind: str, path: tuple, key: str
) -> None:
    record = copy.deepcopy(FULL[kind])
    del _at(record, path)[key]
    messages = _load_with(tmp_path, kind, record)
    wanted = "has no citation" if key == "citations" else f"missing {key!r}"
    assert any(wanted in m for m in messages), messages


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
    "stance without citations": (
        "tensions",
        "- id: t\n  name: T\n  category: governance\n"
        "  parties: [{ref: openai, stance: wary}, {ref: microsoft, stance: keen}]\n" + CITE,
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
