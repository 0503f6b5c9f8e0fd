"""Print pip constraints that pin every direct dependency to the lowest version we allow.

`.ci/run` installs the project a second time with these, so a lower bound in
pyproject.toml is a version the suite has passed on, not a guess. Transitive
dependencies float to their newest release, as uv's `--resolution lowest-direct` does.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

LOWER = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*>=\s*([0-9][^,;\s]*)")


def lowest_pins(pyproject: Path) -> list[str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = list(project.get("dependencies", []))
    for extra in project.get("optional-dependencies", {}).values():
        requirements.extend(extra)
    pins = []
    for requirement in requirements:
        match = LOWER.match(requirement)
        if match:
            pins.append(f"{match.group(1)}=={match.group(2)}")
    return sorted(set(pins))


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    print("\n".join(lowest_pins(root / "pyproject.toml")))
    sys.exit(0)
