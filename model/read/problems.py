"""Problems found in a dossier, reported as `path:line:col: message (hint)`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong where. `line` 0 means the whole file or folder (a missing one has no
    lines): then the report is `path: what (hint)`."""

    path: str
    line: int  # 1-based; 0 for no position
    col: int  # 1-based; 0 for no position
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}" if self.line > 0 else self.path
        return f"{where}: {self.message} ({self.hint})" if self.hint else f"{where}: {self.message}"


class DossierError(Exception):
    """Raised with every problem found, so a user fixes them all in one pass."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.col))
        count = len(self.problems)
        super().__init__(f"{count} problem{'' if count == 1 else 's'} in the dossier")

    def report(self) -> str:
        return "\n".join(str(p) for p in self.problems)
