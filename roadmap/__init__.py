"""The implementation roadmap: a task graph ordered by dependency, scheduled, with its critical path."""

from roadmap.graph import find_cycle, task_graph
from roadmap.plan import Plan, PlannedTask, build_plan

__all__ = ["Plan", "PlannedTask", "build_plan", "find_cycle", "task_graph"]
