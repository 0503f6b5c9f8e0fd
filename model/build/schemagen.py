"""The JSON Schemas and FORMAT.md's field tables, rendered from the one definition in schema.py.

Pure functions from the definition to text; `docs/generate_schema.py` writes
the results into data/schema/ and docs/FORMAT.md, and tests/test_schema.py
checks that the committed files equal them.
"""

from __future__ import annotations

import json
from typing import Any

from .schema import (
    AMOUNT,
    CITATION,
    DATE_PATTERN,
    FILES,
    ID_PATTERN,
    Citations,
    Date,
    Enum,
    Field,
    FieldType,
    FileKind,
    Flag,
    Id,
    ListOf,
    Number,
    Object,
    Ref,
    Text,
)

DRAFT_07 = "http://json-schema.org/draft-07/schema#"
BEGIN = "<!-- fields:begin -->"
END = "<!-- fields:end -->"
COMMAND = "python docs/generate_schema.py"


# --- JSON Schema ------------------------------------------------------------------


def _type_schema(kind: FieldType, required: bool) -> dict[str, Any]:
    if isinstance(kind, Id):
        return {"type": "string", "pattern": ID_PATTERN}
    if isinstance(kind, Text):
        out: dict[str, Any] = {"type": "string"}
        nonempty = required if kind.nonempty is None else kind.nonempty
        if kind.pattern:
            out["pattern"] = kind.pattern
        elif nonempty:
            out["minLength"] = 1
        return out
    if isinstance(kind, Number):
        return {"type": "number"}
    if isinstance(kind, Flag):
        return {"type": "boolean"}
    if isinstance(kind, Date):
        return {"type": "string", "pattern": DATE_PATTERN}
    if isinstance(kind, Enum):
        return {"type": "string", "enum": list(kind.values), "default": kind.default}
    if isinstance(kind, Ref):
        return {"type": "string", "pattern": ID_PATTERN}
    if isinstance(kind, ListOf):
        out = {"type": "array", "items": _type_schema(kind.item, False)}
        if kind.min_items:
            out["minItems"] = kind.min_items
        return out
    if isinstance(kind, Citations):
        out = {"type": "array", "items": {"$ref": "#/definitions/citation"}}
        if required:
            out["minItems"] = 1
        return out
    if isinstance(kind, Object):
        return _object_schema(kind)
    raise TypeError(f"no JSON Schema for {kind!r}")


def _object_schema(obj: Object) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "additionalProperties": False}
    required = [f.name for f in obj.fields if f.required]
    if required:
        out["required"] = required
    out["properties"] = {f.name: _field_schema(f) for f in obj.fields}
    return out


def _field_schema(f: Field) -> dict[str, Any]:
    return {**_type_schema(f.type, f.required), "description": f.doc}


def _uses_citations(obj: Object) -> bool:
    for f in obj.fields:
        kind = f.type
        while isinstance(kind, ListOf):
            kind = kind.item
        if isinstance(kind, Citations) or (isinstance(kind, Object) and _uses_citations(kind)):
            return True
    return False


def file_schema(spec: FileKind) -> dict[str, Any]:
    """The draft-07 JSON Schema of one file kind."""
    head: dict[str, Any] = {
        "$schema": DRAFT_07,
        "$id": f"{spec.stem}.schema.json",
        "title": spec.title,
    }
    body = _object_schema(spec.record)
    out = {**head, **body} if not spec.is_list else {**head, "type": "array", "items": body}
    if _uses_citations(spec.record):
        out["definitions"] = {"citation": _object_schema(CITATION)}
    return out


def schema_files() -> dict[str, str]:
    """File name in data/schema/ -> its text, for every file kind."""
    return {
        f"{spec.stem}.schema.json": json.dumps(file_schema(spec), indent=2) + "\n" for spec in FILES
    }


# --- FORMAT.md tables --------------------------------------------------------------


def _kinds_text(kinds: tuple[str, ...]) -> str:
    if len(kinds) == 1:
        return f"a {kinds[0]}"
    if len(kinds) > 3:
        return "any record"
    return "a " + ", ".join(kinds[:-1]) + f" or {kinds[-1]}"


def _type_text(kind: FieldType) -> str:
    if isinstance(kind, Id):
        return "id"
    if isinstance(kind, Text):
        return f"text `{kind.pattern}`" if kind.pattern else "text"
    if isinstance(kind, Number):
        return "number"
    if isinstance(kind, Flag):
        return "`true` / `false`"
    if isinstance(kind, Date):
        return "date"
    if isinstance(kind, Enum):
        return "one of " + ", ".join(kind.values) + f" (default {kind.default})"
    if isinstance(kind, Ref):
        return f"id of {_kinds_text(kind.kinds)}"
    if isinstance(kind, ListOf):
        least = f" (at least {kind.min_items})" if kind.min_items else ""
        return f"list of {_type_text(kind.item)}{least}"
    if isinstance(kind, Citations):
        return "list of citation"
    if isinstance(kind, Object):
        return kind.what
    raise TypeError(f"no table text for {kind!r}")


def _cell(text: str) -> str:
    """A table cell: a pipe would end it, and `<id>` would read as an HTML tag."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("|", "\\|")


def _rows(obj: Object, prefix: str, shared: tuple[Object, ...]) -> list[str]:
    rows = []
    for f in obj.fields:
        need = "yes" if f.required else ""
        name = f"`{prefix}{f.name}`"
        rows.append(f"| {name} | {_cell(_type_text(f.type))} | {need} | {_cell(f.doc)} |")
        inner = f.type
        suffix = ""
        while isinstance(inner, ListOf):
            inner, suffix = inner.item, suffix + "[]"
        if isinstance(inner, Object) and inner not in shared:
            rows.extend(_rows(inner, f"{prefix}{f.name}{suffix}.", shared))
    return rows


def _table(obj: Object, shared: tuple[Object, ...]) -> list[str]:
    return [
        "| field | type | required | what it says |",
        "|---|---|---|---|",
        *_rows(obj, "", shared),
    ]


def field_tables() -> str:
    """The markdown between the markers in docs/FORMAT.md, markers included."""
    shared = (CITATION, AMOUNT)
    lines = [
        BEGIN,
        f"<!-- generated from model/build/schema.py by `{COMMAND}`: edit the definition -->",
    ]
    for spec in FILES:
        what = "a mapping" if not spec.is_list else f"a list of {spec.record.what} records"
        lines += ["", f"### `{spec.stem}.yaml`: {what}", "", *_table(spec.record, shared)]
    for obj in shared:
        lines += ["", f"### {obj.what}", "", *_table(obj, shared)]
    lines += ["", END]
    return "\n".join(lines)


def splice_tables(markdown: str) -> str:
    """`markdown` with the text between the markers replaced by the current tables."""
    start = markdown.find(BEGIN)
    end = markdown.find(END)
    if start == -1 or end == -1 or end < start:
        raise ValueError(f"FORMAT.md needs the markers {BEGIN} and {END}, in that order")
    return markdown[:start] + field_tables() + markdown[end + len(END) :]
