"""The folders state the architecture: imports point one way and no module imports itself back."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("domain", "geo", "store", "streams", "application", "web", "layouts", "callbacks")
LEAVES = {"config", "i18n"}  # read by every layer, import no project layer of their own
# Lower layers never import higher ones; composition roots (they wire everything) may import anything.
RANK = {"domain": 0, "geo": 0, "store": 1, "streams": 2, "application": 3, "web": 4, "layouts": 5, "callbacks": 5}
ROOTS = {"app", "manage", "serve", "wsgi", "streams.consume", "streams.simulate", "geo.demo"}


def _modules() -> dict[str, Path]:
    found = {p.stem: p for p in ROOT.glob("*.py")}
    for pkg in PACKAGES:
        for p in (ROOT / pkg).rglob("*.py"):
            parts = p.relative_to(ROOT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = p
    return found


def _typing_only(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def _imports(path: Path, known: set[str], typing: bool) -> set[str]:
    """Return the project modules a file imports at its top level (and under TYPE_CHECKING when typing)."""
    out: set[str] = set()
    body = ast.parse(path.read_text(encoding="utf-8")).body
    for node in body + [n for b in body if typing and _typing_only(b) for n in b.body]:
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name in known}
        elif isinstance(node, ast.ImportFrom) and node.module in known:
            # `from pkg import sub` depends on pkg.sub when that is a module, else on pkg itself
            subs = {f"{node.module}.{a.name}" for a in node.names} & known
            out |= subs or {node.module}
    return out


def _graph(typing: bool = False) -> dict[str, set[str]]:
    mods = _modules()
    return {name: _imports(path, set(mods), typing) - {name} for name, path in mods.items()}


def test_no_module_imports_itself_back_through_others_even_for_types() -> None:
    graph = _graph(typing=True)
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        for nxt in graph.get(node, ()):
            if nxt in trail:
                cycles.append(trail[trail.index(nxt) :] + [nxt])
            elif len(trail) < 12:
                visit(nxt, trail + [nxt])

    for start in graph:
        visit(start, [start])
    assert not cycles, f"import cycles: {cycles[:5]}"


def test_lower_layers_never_import_higher_ones() -> None:
    wrong = []
    for mod, deps in _graph().items():
        if mod in ROOTS or mod.split(".")[0] not in RANK:
            continue
        for dep in deps:
            top = dep.split(".")[0]
            if top in RANK and RANK[top] > RANK[mod.split(".")[0]]:
                wrong.append(f"{mod} -> {dep}")
    assert not wrong, wrong


def test_the_domain_imports_nothing_outside_itself() -> None:
    outside = {
        f"{m} -> {d}"
        for m, deps in _graph().items()
        if m.startswith("domain")
        for d in deps
        if not d.startswith("domain")
    }
    assert not outside, outside


def test_only_the_entry_points_and_two_leaves_sit_at_the_top() -> None:
    loose = {p.stem for p in ROOT.glob("*.py")}
    assert loose == {"app", "manage", "serve", "wsgi"} | LEAVES
