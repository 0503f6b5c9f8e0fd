"""The model's shape: packages in the order the data flows, no import cycles, all installed.

Every import in model/ is read with `ast` (imports inside functions too), so the
checks see exactly what the code can import. A small hand-written check rather
than import-linter: its contracts need grimp to accept `partnership_tui.model` as
a root package, which depends on the versions installed (the lowest allowed
import-linter could not), and this is forty lines.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import partnership_tui.model

MODEL = Path(partnership_tui.model.__file__).resolve().parent
ROOT = Path(__file__).resolve().parent.parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(MODEL).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(("partnership_tui.model", *parts))


def _imports(path: Path, name: str) -> set[str]:
    """Every partnership_tui module `path` imports, at any depth of the code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {t for t in found if t.startswith("partnership_tui.")}


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in sorted(MODEL.rglob("*.py"))}
    return {name: _imports(path, name) & modules.keys() - {name} for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_no_import_cycle_in_the_model() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_model_never_imports_the_app() -> None:
    modules = {p: _module_name(p) for p in MODEL.rglob("*.py")}
    offenders = {
        str(path.relative_to(MODEL)): sorted(t for t in _imports(path, name) if ".tui" in t)
        for path, name in modules.items()
    }
    assert {k: v for k, v in offenders.items() if v} == {}


# Top to bottom: a package imports only from packages below its own layer; packages that
# share a layer never import each other. The root (partnership_tui.model: __version__,
# bundled_data_dir) may be imported by any of them.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("commands",),
    ("search", "export"),
    ("store",),
    ("dossier",),
    ("build",),
    ("read",),
)


def _package(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 else None


def _layer_breaches(graph: dict[str, set[str]]) -> list[str]:
    layer_of = {package: n for n, layer in enumerate(LAYERS) for package in layer}
    breaches = []
    for module, targets in graph.items():
        source = _package(module)
        for target in sorted(targets):
            wanted = _package(target)
            if source == wanted or wanted is None:
                continue
            if source is None or layer_of[source] >= layer_of[wanted]:
                breaches.append(f"{module} imports {target}")
    return breaches


def test_model_packages_keep_their_layers() -> None:
    packages = {_package(name) for name in _graph()} - {None}
    assert packages == {package for layer in LAYERS for package in layer}  # each one placed
    assert _layer_breaches(_graph()) == []


def test_the_layer_check_finds_an_upward_import() -> None:
    graph = {
        "partnership_tui.model.read.nodes": {"partnership_tui.model.store.folders"},
        "partnership_tui.model.search.index": {"partnership_tui.model.export.formats"},
        "partnership_tui.model.store.folders": {"partnership_tui.model.read.nodes"},
    }
    assert _layer_breaches(graph) == [
        "partnership_tui.model.read.nodes imports partnership_tui.model.store.folders",
        "partnership_tui.model.search.index imports partnership_tui.model.export.formats",
    ]


def test_every_model_package_is_installed() -> None:
    """setuptools installs only the packages pyproject.toml lists; a new folder must be added."""
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    folders = {_module_name(p) for p in MODEL.rglob("__init__.py")}
    assert folders <= listed
