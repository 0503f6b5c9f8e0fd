"""Problems found in a dossier, reported as `path:line:col: message (hint)`.

Any number of problems is reported in bounded output: at most SHOWN_PER_KIND
of one kind (the same message in the same file, quoted values aside), then one
line saying how many more like it there are, and at most SHOWN in all. Each
message and hint is cut at MAX_TEXT characters (a 5,000-digit "amount" is not
echoed back whole).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

SHOWN_PER_KIND = 50
SHOWN = 500
MAX_TEXT = 300
_VALUES = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\d[\d,]*")

# How bad a problem is, in the order a report lists them: a file that cannot be read (YAML
# syntax, encoding) first, since every other problem may follow from it; warnings last.
LEVELS = ("syntax", "error", "warning")


def _cut(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


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
        message, hint = _cut(self.message), _cut(self.hint)
        if self.level == "warning":
            message = f"warning: {message}"
        return f"{where}: {message} ({hint})" if hint else f"{where}: {message}"

    @property
    def kind(self) -> tuple[str, str]:
        """What makes two problems "like" each other: the file and the message's words."""
        return self.path, _VALUES.sub("…", self.message)


def report_order(problem: Problem) -> tuple[int, str, int, int]:
    """Syntax problems first, then errors, then warnings; each by file and position."""
    return (LEVELS.index(problem.level), problem.path, problem.line, problem.col)


def summarise(problems: list[Problem]) -> list[Problem]:
    """`problems` (sorted), each kind past SHOWN_PER_KIND folded into one "and N more like
    this" line where the first one left out was, and everything past SHOWN lines into one."""
    counts = Counter(problem.kind for problem in problems)
    if len(problems) <= SHOWN and max(counts.values(), default=0) <= SHOWN_PER_KIND:
        return problems
    out: list[Problem] = []
    accounted = 0  # problems the lines in `out` show or count
    seen: Counter[tuple[str, str]] = Counter()
    for problem in problems:
        kind = problem.kind
        seen[kind] += 1
        if seen[kind] > SHOWN_PER_KIND + 1:
            continue
        if len(out) == SHOWN:
            out.append(
                Problem(
                    problem.path,
                    problem.line,
                    problem.col,
                    f"and {len(problems) - accounted:,} more problems from here on",
                    "fix the first ones; often one cause breaks many",
                )
            )
            break
        if seen[kind] <= SHOWN_PER_KIND:
            out.append(problem)
            accounted += 1
        else:
            more = counts[kind] - SHOWN_PER_KIND
            out.append(
                Problem(
                    problem.path,
                    problem.line,
                    problem.col,
                    f"and {more:,} more like this from here on: {kind[1]}",
                    "fix the first ones; often one cause breaks many",
                )
            )
            accounted += more
    return out


class DossierError(Exception):
    """Raised with every problem found, so a user fixes them all in one pass.

    `problems` is what to show (see `summarise`); `total` counts every problem found
    (warnings aside: a dossier with warnings only is valid).
    """

    def __init__(self, problems: list[Problem]) -> None:
        self.total = sum(1 for p in problems if p.level != "warning")
        self.problems = summarise(sorted(problems, key=report_order))
        count = self.total
        super().__init__(f"{count} problem{'' if count == 1 else 's'} in the dossier")

    def report(self) -> str:
        return "\n".join(str(p) for p in self.problems)
