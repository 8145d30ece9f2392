"""No import cycles in the core: no module imports itself back through others, however the loop runs.

The layers contract in pyproject.toml (``lint-imports``, run by ``make test`` and ``make check``) keeps each
layer from importing a higher one, but cannot see a loop inside one layer. Every import counts here: at the
top of a module, inside a function (the CLI's, kept lazy for start-up speed) and under TYPE_CHECKING.
"""

from __future__ import annotations

import grimp
import networkx as nx


def _import_graph() -> nx.DiGraph:
    graph = grimp.build_graph("assessment", cache_dir=None)
    imports = nx.DiGraph()
    imports.add_nodes_from(graph.modules)
    imports.add_edges_from(
        (module, imported) for module in graph.modules for imported in graph.find_modules_directly_imported_by(module)
    )
    return imports


def test_no_module_level_import_cycles() -> None:
    imports = _import_graph()
    assert imports.number_of_nodes() > 60  # the whole package was read, web included
    cycles = [sorted(component) for component in nx.strongly_connected_components(imports) if len(component) > 1]
    assert cycles == [], f"modules that import each other round a loop: {cycles}"


def test_the_core_packages_import_one_way() -> None:
    """The packages of the core, each taken whole, form no loop either (the old roadmap <-> assessment one)."""
    imports = _import_graph()
    layers = ("content", "engine", "presentation", "report", "web")

    def package(module: str) -> str:
        parts = module.split(".")
        return ".".join(parts[:2]) if len(parts) > 1 and parts[1] in layers else module

    packages = nx.DiGraph((package(a), package(b)) for a, b in imports.edges if package(a) != package(b))
    assert list(nx.simple_cycles(packages)) == []
