"""Authoring a dossier: `new`, `add-source`, `cite` and `gaps`, as library functions.

Each sits on top of the loader and the dossier (it reads what they read, with
their normalisation, sentences and mention matcher) and never beside them:
nothing here has its own idea of what a quote or a name is. The command line
prints what these return.
"""

from __future__ import annotations

from ..read.problems import Problem


class AuthoringError(Exception):
    """A command refused: nothing was written. Carries `path:line:col: what (hint)` problems."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))

    def report(self) -> str:
        return "\n".join(str(p) for p in self.problems)
