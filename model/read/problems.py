"""Problems found in a dossier, reported as `path:line:col: message (hint)`."""

from __future__ import annotations

from dataclasses import dataclass

# How bad a problem is, in the order a report lists them: a file that cannot be read (YAML
# syntax, encoding) first, since every other problem may follow from it; warnings last.
LEVELS = ("syntax", "error", "warning")


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong where. `line` 0 means the whole file or folder (a missing one has no
    lines): then the report is `path: what (hint)`."""

    path: str
    line: int  # 1-based; 0 for no position
    col: int  # 1-based; 0 for no position
    message: str
    hint: str = ""
    level: str = "error"  # one of LEVELS

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}" if self.line > 0 else self.path
        message = f"warning: {self.message}" if self.level == "warning" else self.message
        return f"{where}: {message} ({self.hint})" if self.hint else f"{where}: {message}"


def report_order(problem: Problem) -> tuple[int, str, int, int]:
    """Syntax problems first, then errors, then warnings; each by file and position."""
    return (LEVELS.index(problem.level), problem.path, problem.line, problem.col)


class DossierError(Exception):
    """Raised with every problem found, so a user fixes them all in one pass."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=report_order)
        count = sum(1 for p in self.problems if p.level != "warning")
        super().__init__(f"{count} problem{'' if count == 1 else 's'} in the dossier")

    def report(self) -> str:
        return "\n".join(str(p) for p in self.problems)
