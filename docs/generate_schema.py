"""Write data/schema/*.json and docs/FORMAT.md's field tables from model/build/schema.py.

Run from a checkout after editing the definition: `python docs/generate_schema.py`
(`--check` only reports what is out of date, exit status 1 if anything is).
tests/test_schema.py fails while the committed files differ from what this writes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from partnership_tui.model.build.schemagen import schema_files, splice_tables
from partnership_tui.model.store.atomic import atomic_write

ROOT = Path(__file__).resolve().parent.parent


def wanted() -> dict[Path, str]:
    """Every generated file of the checkout -> the text it should have."""
    out = {ROOT / "data" / "schema" / name: text for name, text in schema_files().items()}
    format_md = ROOT / "docs" / "FORMAT.md"
    out[format_md] = splice_tables(format_md.read_text(encoding="utf-8"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; list stale files")
    args = parser.parse_args(argv)
    files = wanted()
    stale = [
        path
        for path, text in files.items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    for path in stale:
        print(f"{'stale' if args.check else 'wrote'}: {path.relative_to(ROOT)}")
    if args.check:
        return 1 if stale else 0
    for path in stale:
        atomic_write(path, files[path])
    return 0


if __name__ == "__main__":
    sys.exit(main())
