"""The tree both YAML readers build: every value a string, every node with its position.

Kept apart from the readers so that the strict reader (yamlsafe) and the fast
one (yamlfast) share it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Node:
    line: int  # 1-based
    col: int  # 1-based


@dataclass(slots=True)
class Scalar(Node):
    value: str
    plain: bool  # unquoted: may be read as a number or boolean where a field wants one


@dataclass(slots=True)
class Seq(Node):
    items: list[Node] = field(default_factory=list)


@dataclass(slots=True)
class Map(Node):
    items: dict[str, tuple[Scalar, Node]] = field(default_factory=dict)
