"""The roadmap's tasks as a networkx graph: an edge runs from a task to each task that depends on it.

It is content, not planning: the content checks look for dependency cycles in it, and the plan
(:mod:`assessment.engine.roadmap.plan`) orders and schedules the tasks along it.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from assessment.content.model import Task


def task_graph(tasks: Iterable[Task]) -> nx.DiGraph:
    """Build the dependency graph; nodes keep content order and carry ``weeks``."""
    graph = nx.DiGraph()
    tasks = list(tasks)
    for task in tasks:
        graph.add_node(task.id, weeks=task.weeks)
    for task in tasks:
        for dependency in task.depends_on:
            graph.add_edge(dependency, task.id)
    return graph


def find_cycle(tasks: Iterable[Task]) -> list[str] | None:
    """Return the task ids of one dependency cycle, first id repeated at the end, or None."""
    graph = task_graph(tasks)
    try:
        edges = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:
        return None
    return [edges[0][0], *(target for _, target in edges)]
