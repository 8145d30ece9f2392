"""Build the implementation plan: mark done tasks, order and schedule the rest, find the critical path."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

import networkx as nx

from assessment.content.conditions import FactValue, evaluate
from assessment.content.model import Durations, Task
from assessment.content.task_graph import task_graph
from assessment.vocabulary import SEVERITY_RANK, Text


@dataclass(frozen=True)
class PlannedTask:
    """A task in the plan. ``start_week``/``end_week`` count from week 0; None for done tasks."""

    id: str
    title: Text
    owner: str
    lane: str
    weeks: int
    depends_on: tuple[str, ...]
    establishes: tuple[str, ...]
    status: str
    start_week: int | None
    end_week: int | None
    critical: bool
    addresses: tuple[str, ...]
    to_confirm: bool
    phase: int = 1
    horizon: str = "now"  # now: scheduled to reach and run the recommended phase; later: a later phase's work
    effort_days: float = 0.0  # the client's own people's time, person-days
    outside_support: bool = False  # an implementation partner usually helps


@dataclass(frozen=True)
class Plan:
    """The ordered plan: the scheduled (now) tasks in schedule order, the later phases' tasks, then those done.

    ``total_weeks`` and the critical path cover the now horizon only.
    """

    tasks: tuple[PlannedTask, ...]
    critical_path: tuple[str, ...]
    total_weeks: int
    start: date | None = None  # the Monday week 0 begins; None: the plan is in weeks only

    def task(self, task_id: str) -> PlannedTask:
        """Return the planned task with ``task_id``."""
        return next(t for t in self.tasks if t.id == task_id)

    @property
    def scheduled(self) -> tuple[PlannedTask, ...]:
        """The tasks of the now horizon still to do, in schedule order."""
        return tuple(t for t in self.tasks if t.status == "pending" and t.horizon == "now")

    def effort_by_owner(self) -> dict[str, float]:
        """Person-days of the now horizon per owner, largest first."""
        totals: dict[str, float] = {}
        for task in self.scheduled:
            totals[task.owner] = totals.get(task.owner, 0.0) + task.effort_days
        return dict(sorted(totals.items(), key=lambda item: -item[1]))

    def effort_by_month(self, weeks_per_month: int = 4) -> list[float]:
        """Person-days of the now horizon per month of the plan, each task's effort spread over its weeks."""
        months = [0.0] * -(-self.total_weeks // weeks_per_month) if self.total_weeks else []
        for task in self.scheduled:
            start, end = task.start_week or 0, task.end_week or 0
            for week in range(start, end):
                months[week // weeks_per_month] += task.effort_days / max(end - start, 1)
        return [round(days, 1) for days in months]

    @property
    def later(self) -> tuple[PlannedTask, ...]:
        """The tasks of the phases after the recommended one, by phase (not scheduled)."""
        return tuple(t for t in self.tasks if t.status == "pending" and t.horizon == "later")


def is_done(task: Task, facts: Mapping[str, FactValue]) -> bool:
    """A task is done when every item it establishes is answered yes, or when its done_when holds."""
    if task.establishes and all(facts.get(f"answer.{item}") == "yes" for item in task.establishes):
        return True
    return task.done_when is not None and evaluate(task.done_when, facts) is True


def build_plan(
    tasks: Sequence[Task],
    facts: Mapping[str, FactValue],
    raised: Mapping[str, tuple[str, Sequence[str]]] | None = None,
    covered_by: Mapping[str, str] | None = None,
    target_phase: int | None = None,
    min_employees: Mapping[str, int] | None = None,
    start: date | None = None,
    durations: Durations | None = None,
) -> Plan:
    """Plan ``tasks`` given the facts.

    ``raised`` maps a fired rule id to (severity, tasks addressing it); ``covered_by`` maps an owner to who
    takes its tasks while it does not exist (its department has nobody, or the firm is smaller than
    ``min_employees`` says it needs). With ``target_phase``, the tasks of the phases up to it are scheduled
    (now) and the later phases' tasks are listed, not scheduled; a people-and-agreements task that answers a
    high-severity risk comes forward into now when what it waits for is there (tools keep to their phase).
    """
    raised = raised or {}
    plan_start = start
    addresses = _addresses(tasks, raised)
    done = {task.id for task in tasks if is_done(task, facts)}
    graph = task_graph(tasks)
    everything = _pending_graph(graph, done)
    now = _now_horizon(tasks, everything, target_phase, addresses, raised)
    tasks = _with_owners(tasks, graph, done, facts, covered_by or {}, min_employees or {})
    tasks = [_sized(task, facts, durations) for task in tasks] if durations else list(tasks)
    pending = everything.subgraph(now).copy()
    weeks = {task.id: task.weeks for task in tasks}
    start_week, end = _schedule(pending, weeks)
    total = max(end.values(), default=0)
    critical = _zero_slack(pending, weeks, end, total)
    urgency = _urgency(tasks, addresses, raised)
    order = list(nx.lexicographical_topological_sort(pending, key=lambda node: (start_week[node], *urgency(node))))
    by_id = {task.id: task for task in tasks}
    planned = [_planned(by_id[i], "pending", start_week[i], end[i], i in critical, addresses, facts) for i in order]
    later = sorted((t for t in tasks if t.id not in done and t.id not in now), key=lambda t: t.phase)
    planned += [_planned(t, "pending", None, None, False, addresses, facts, "later") for t in later]
    planned += [_planned(t, "done", None, None, False, addresses, facts) for t in tasks if t.id in done]
    return Plan(tuple(planned), tuple(_critical_chain(pending, weeks, critical)), total, plan_start)


def _sized(task: Task, facts: Mapping[str, FactValue], durations: Durations) -> Task:
    """The task with the weeks it takes this client: by its size band and lane, shorter when partly done."""
    employees = facts.get("client.employees")
    size = int(employees) if isinstance(employees, int | float) and not isinstance(employees, bool) else None
    partial = any(facts.get(f"answer.{item}") == "partial" for item in task.establishes)
    weeks = durations.weeks(task.weeks, task.lane, size, partial)
    effort = round(task.effort_days * durations.factor(task.lane, size, partial) * 2) / 2  # half days
    return replace(task, weeks=weeks, effort_days=effort)


def _now_horizon(
    tasks: Sequence[Task],
    pending: nx.DiGraph,
    target_phase: int | None,
    addresses: Mapping[str, tuple[str, ...]],
    raised: Mapping[str, tuple[str, Sequence[str]]],
) -> set[str]:
    """The pending tasks to schedule: those of the phases up to the target, and any whose wait is over that
    answers a high-severity risk (organisation and data work only: tools come one phase at a time)."""
    if target_phase is None:
        return set(pending.nodes)
    by_id = {task.id: task for task in tasks}
    high = {rule for rule, (severity, _) in raised.items() if severity == "high"}
    now: set[str] = set()
    for node in nx.topological_sort(pending):
        task = by_id[node]
        wanted = task.phase <= target_phase or (
            task.lane != "tools" and any(rule in high for rule in addresses.get(node, ()))
        )
        if wanted and all(before in now for before in pending.predecessors(node)):
            now.add(node)
    return now


def _with_owners(
    tasks: Sequence[Task],
    graph: nx.DiGraph,
    done: set[str],
    facts: Mapping[str, FactValue],
    covered_by: Mapping[str, str],
    min_employees: Mapping[str, int],
) -> list[Task]:
    """Every task with an owner who exists; an owner appointed by an earlier task owns what follows it."""
    appointing = {task.id: task.appoints for task in tasks if task.appoints and task.id not in done}
    result = []
    for task in tasks:
        appointed: set[str] = set()
        if task.owner in appointing.values():  # only then is it worth walking back through the graph
            before = nx.ancestors(graph, task.id)
            appointed = {owner for task_id, owner in appointing.items() if task_id in before}
        result.append(_staffed(task, facts, covered_by, min_employees, appointed))
    return result


def _staffed(
    task: Task,
    facts: Mapping[str, FactValue],
    covered_by: Mapping[str, str],
    min_employees: Mapping[str, int] | None = None,
    appointed: set[str] | None = None,
) -> Task:
    """The task with an owner who exists: one that does not hands its tasks to whoever covers it."""
    owner = task.owner
    for _ in range(len(covered_by) + 1):  # follow the chain (marketing -> management), never looping
        if owner in (appointed or set()) or not _absent(owner, facts, min_employees or {}) or owner not in covered_by:
            break
        owner = covered_by[owner]
    return task if owner == task.owner else replace(task, owner=owner)


def _absent(owner: str, facts: Mapping[str, FactValue], min_employees: Mapping[str, int]) -> bool:
    """Whether an owner does not exist at this client: its department has nobody, or the firm is too small."""
    if facts.get(f"dept.{owner}") == "none":
        return True
    employees = facts.get("client.employees")
    needed = min_employees.get(owner)
    return needed is not None and isinstance(employees, int | float) and employees < needed


def _pending_graph(graph: nx.DiGraph, done: set[str]) -> nx.DiGraph:
    """The pending tasks, with an edge wherever one must wait for another, also through tasks already done.

    A task answered as done does not lift the order around it: when status rules are pending and the
    operating rules that follow them are done, the pilot after the operating rules still waits for the
    status rules.
    """
    pending = nx.DiGraph()
    pending.add_nodes_from((node, data) for node, data in graph.nodes(data=True) if node not in done)
    for node in pending.nodes:
        stack, seen = list(graph.predecessors(node)), set()
        while stack:
            before = stack.pop()
            if before in seen:
                continue
            seen.add(before)
            if before in done:
                stack.extend(graph.predecessors(before))
            else:
                pending.add_edge(before, node)
    return pending


def _addresses(tasks: Sequence[Task], raised: Mapping[str, tuple[str, Sequence[str]]]) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {task.id: [] for task in tasks}
    for rule_id, (_, task_ids) in raised.items():
        for task_id in task_ids:
            if task_id in found:
                found[task_id].append(rule_id)
    return {task_id: tuple(rules) for task_id, rules in found.items()}


def _urgency(
    tasks: Sequence[Task],
    addresses: Mapping[str, tuple[str, ...]],
    raised: Mapping[str, tuple[str, Sequence[str]]],
) -> Callable[[str], tuple[int, int, int]]:
    """Tasks that answer a raised risk come first among those that can start together."""
    position = {task.id: index for index, task in enumerate(tasks)}

    def key(task_id: str) -> tuple[int, int, int]:
        ranks = [SEVERITY_RANK.get(raised[rule][0], 3) for rule in addresses.get(task_id, ())]
        return (min(ranks, default=3), -len(ranks), position[task_id])

    return key


def _schedule(graph: nx.DiGraph, weeks: Mapping[str, int]) -> tuple[dict[str, int], dict[str, int]]:
    """Start every task as soon as all its (pending) dependencies have finished."""
    start: dict[str, int] = {}
    end: dict[str, int] = {}
    for node in nx.topological_sort(graph):
        start[node] = max((end[p] for p in graph.predecessors(node)), default=0)
        end[node] = start[node] + weeks[node]
    return start, end


def _zero_slack(graph: nx.DiGraph, weeks: Mapping[str, int], end: Mapping[str, int], total: int) -> set[str]:
    """Tasks whose latest finish equals their earliest finish: any delay delays the whole plan."""
    latest_finish: dict[str, int] = {}
    for node in reversed(list(nx.topological_sort(graph))):
        latest_finish[node] = min((latest_finish[s] - weeks[s] for s in graph.successors(node)), default=total)
    return {node for node in graph if latest_finish[node] == end[node]}


def _critical_chain(graph: nx.DiGraph, weeks: Mapping[str, int], critical: set[str]) -> list[str]:
    """One longest chain of critical tasks from the first week to the last."""
    if not critical:
        return []
    sub = graph.subgraph(critical)
    weighted = nx.DiGraph()
    weighted.add_nodes_from(sub.nodes)
    for u, v in sub.edges:
        weighted.add_edge(u, v, weight=weeks[v])
    weighted.add_node("__start__")
    for node in sub.nodes:
        if sub.in_degree(node) == 0:
            weighted.add_edge("__start__", node, weight=weeks[node])
    path: list[str] = nx.dag_longest_path(weighted, weight="weight")
    return [node for node in path if node != "__start__"]


def _to_confirm(task: Task, facts: Mapping[str, FactValue]) -> bool:
    """Whether a pending task may already be in place: an item it establishes is answered "don't know", or its
    confirm_when holds (the answers suggest work no answer can show done, such as a pilot)."""
    if any(facts.get(f"answer.{item}") == "unknown" for item in task.establishes):
        return True
    return task.confirm_when is not None and evaluate(task.confirm_when, facts) is True


def _planned(
    task: Task,
    status: str,
    start: int | None,
    end: int | None,
    critical: bool,
    addresses: Mapping[str, tuple[str, ...]],
    facts: Mapping[str, FactValue],
    horizon: str = "now",
) -> PlannedTask:
    return PlannedTask(
        id=task.id,
        title=task.title,
        owner=task.owner,
        lane=task.lane,
        weeks=task.weeks,
        depends_on=task.depends_on,
        establishes=task.establishes,
        status=status,
        start_week=start,
        end_week=end,
        critical=critical,
        addresses=addresses.get(task.id, ()),
        to_confirm=status == "pending" and _to_confirm(task, facts),
        phase=task.phase,
        horizon=horizon,
        effort_days=task.effort_days,
        outside_support=task.outside_support,
    )
