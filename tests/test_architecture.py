"""The project's layout holds: imports only point down the layer table, no two modules import each other (directly
or round a longer circle), and no import hides inside a function unless Django's app loading forces it.

Reads the source with ``ast`` (no Django, no database, no search engine), so it also runs as
``python tests/test_architecture.py``.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Top to bottom: a module may import from its own app and from apps in lower rows, never from its row or above.
LAYERS = [
    {"config"},  # settings, root URLs, WSGI
    {"demo", "backups", "ops"},  # operations: the demo loader, backup and restore, health probes
    {"search", "opendata"},  # the search page, facets, throttling, engine backends; the read API and exports
    {"home"},  # home and about pages: they show the latest of every section
    {"exchange", "forum"},  # exchange requests (the public form, brokering, case study drafts); the expert forum
    {"books"},  # the PDF editions of the handbook and the case studies
    {"handbook", "news"},  # the content domains
    {"translations"},  # translators' workflow and access control
    {"accounts"},  # roles, two-factor, CSP
    {"core"},  # blocks, pagination, widgets, site chrome tags, language helpers, URL prefixes
]
LAYER_OF = {app: depth for depth, apps in enumerate(LAYERS) for app in apps}

# The one reason an import may sit inside a function, written as a comment on its line.
FORCED_IMPORT_MARKER = "# app loading:"


def project_modules():
    """Every module of every app (migrations excluded: they are frozen history), by dotted name."""
    modules = {}
    for app in LAYER_OF:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            parts = list(relative.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def resolve(module, path, node):
    """The absolute module names an import statement names (``from a import b`` names ``a.b`` when that is a module
    of the project, else ``a``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    if node.level:
        package = package[: len(package) - (node.level - 1)]
        base = ".".join([*package, node.module] if node.module else package)
    else:
        base = node.module
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def in_function(tree):
    """The import nodes that sit inside a function body."""
    found = []

    def visit(node, inside):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom) and inside:
                found.append(child)
            visit(child, inside or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    visit(tree, False)
    return found


def analyse():
    """(import graph between project modules, imports inside functions without a reason)."""
    modules = project_modules()
    graph = {module: set() for module in modules}
    hidden = []
    for module, path in modules.items():
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source, filename=str(path))
        lines = source.splitlines()
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for name in resolve(module, path, node):
                target = name
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if not target or target == module:
                    continue
                graph[module].add(target)
                # Importing a.b.c runs a/__init__ and a/b/__init__ first, unless we are inside them already.
                parent = target.rpartition(".")[0]
                while parent:
                    if parent in modules and not (module == parent or module.startswith(parent + ".")):
                        graph[module].add(parent)
                    parent = parent.rpartition(".")[0]
        for node in in_function(tree):
            if FORCED_IMPORT_MARKER not in lines[node.lineno - 1]:
                hidden.append(f"{path.relative_to(ROOT)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return graph, hidden


def upward_imports(graph):
    wrong = []
    for module, targets in graph.items():
        app = module.split(".")[0]
        for target in sorted(targets):
            other = target.split(".")[0]
            if other != app and LAYER_OF[other] <= LAYER_OF[app]:
                wrong.append(f"{module} imports {target} ({other} is not below {app})")
    return wrong


def cycles(graph):
    """Every import circle, as one path each (Tarjan's strongly connected components, then a path through each)."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def connect(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(component)

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(graph)))
    for node in sorted(graph):
        if node not in index:
            connect(node)
    return [" -> ".join(sorted(component)) for component in components]


def test_every_app_is_in_the_layer_table():
    apps = (
        {path.parent.name for path in ROOT.glob("*/apps.py")}
        | {path.parent.name for path in ROOT.glob("*/models.py")}
        | {path.parent.parent.name for path in ROOT.glob("*/models/__init__.py")}
    )
    assert apps <= set(LAYER_OF), f"apps missing from LAYERS: {sorted(apps - set(LAYER_OF))}"


def test_imports_only_point_down_the_layers():
    graph, _hidden = analyse()
    wrong = upward_imports(graph)
    assert not wrong, "\n".join(wrong)


def test_no_import_circles():
    graph, _hidden = analyse()
    found = cycles(graph)
    assert not found, "import circles:\n" + "\n".join(found)


def test_no_imports_inside_functions_without_a_reason():
    _graph, hidden = analyse()
    assert not hidden, (
        f"imports inside functions (move them to the top, or say why with '{FORCED_IMPORT_MARKER}'):\n"
        + ("\n".join(hidden))
    )


def test_the_checks_catch_what_they_are_for():
    """The three checks fail on a planted upward import, circle and hidden import (so they cannot pass vacuously)."""
    graph = {"core.a": {"handbook.b"}, "handbook.b": {"core.a"}}
    assert upward_imports(graph) == ["core.a imports handbook.b (handbook is not below core)"]
    assert cycles(graph) == ["core.a -> handbook.b"]
    tree = ast.parse("def f():\n    import json\n\n\nimport os\n")
    assert [node.lineno for node in in_function(tree)] == [2]


if __name__ == "__main__":
    graph, hidden = analyse()
    problems = upward_imports(graph) + cycles(graph) + hidden
    print("\n".join(problems) or f"OK: {len(graph)} modules, imports point down, no circles.")
    sys.exit(1 if problems else 0)
