"""Problems found in a dossier, reported as `path:line:col: message (hint)`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    path: str
    line: int  # 1-based
    col: int  # 1-based
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}"
        return f"{where}: {self.message} ({self.hint})" if self.hint else f"{where}: {self.message}"


class DossierError(Exception):
    """Raised with every problem found, so a user fixes them all in one pass."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.col))
        super().__init__(f"{len(self.problems)} problem(s) in the dossier")

    def report(self) -> str:
        return "\n".join(str(p) for p in self.problems)
