"""The roadmap: done-marking, dependency order, earliest-start schedule, critical path, risk priority."""

from __future__ import annotations

import pytest

from assessment.content.conditions import parse_condition
from assessment.content.model import Task
from assessment.content.task_graph import find_cycle
from assessment.engine.roadmap.plan import build_plan
from assessment.vocabulary import Text
from tests.core.builders import ITEM_IDS, build, run


def task(task_id: str, weeks: int, *depends_on: str, establishes: tuple[str, ...] = ()) -> Task:
    return Task(
        id=task_id,
        title=Text(ja=task_id, en=task_id),
        owner="sales_ops",
        weeks=weeks,
        lane="tools",
        depends_on=depends_on,
        establishes=establishes or (f"item.{task_id}",),
    )


DIAMOND = [task("a", 2), task("b", 3, "a"), task("c", 1, "a"), task("d", 2, "b", "c"), task("e", 1, "c")]


def test_schedule_starts_each_task_when_its_dependencies_finish() -> None:
    plan = build_plan(DIAMOND, {})
    weeks = {t.id: (t.start_week, t.end_week) for t in plan.tasks}
    assert weeks == {"a": (0, 2), "b": (2, 5), "c": (2, 3), "d": (5, 7), "e": (3, 4)}
    assert plan.total_weeks == 7


def test_critical_path_is_the_longest_chain() -> None:
    plan = build_plan(DIAMOND, {})
    assert plan.critical_path == ("a", "b", "d")
    assert {t.id for t in plan.tasks if t.critical} == {"a", "b", "d"}


def test_order_respects_dependencies_and_is_deterministic() -> None:
    first = [t.id for t in build_plan(DIAMOND, {}).tasks]
    assert first == [t.id for t in build_plan(list(DIAMOND), {}).tasks]
    position = {task_id: index for index, task_id in enumerate(first)}
    for t in DIAMOND:
        assert all(position[d] < position[t.id] for d in t.depends_on)


def test_done_tasks_leave_the_schedule() -> None:
    plan = build_plan(DIAMOND, {"answer.item.a": "yes", "answer.item.c": "yes"})
    assert plan.task("a").status == "done" and plan.task("a").start_week is None
    assert (plan.task("b").start_week, plan.task("e").start_week) == (0, 0)
    assert plan.total_weeks == 5


def test_a_done_task_in_the_middle_keeps_the_order_around_it() -> None:
    """Status rules pending, operating rules done, pilot pending: the pilot still waits for the status rules."""
    chain = [task("status_rules", 2), task("operating_rules", 3, "status_rules"), task("pilot", 6, "operating_rules")]
    plan = build_plan(chain, {"answer.item.operating_rules": "yes"})
    assert plan.task("operating_rules").status == "done"
    assert (plan.task("status_rules").start_week, plan.task("pilot").start_week) == (0, 2)
    assert plan.critical_path == ("status_rules", "pilot")
    assert plan.total_weeks == 8
    # and through several done tasks in a row
    longer = [task("a", 1), task("b", 1, "a"), task("c", 1, "b"), task("d", 1, "c")]
    plan = build_plan(longer, {"answer.item.b": "yes", "answer.item.c": "yes"})
    assert (plan.task("a").start_week, plan.task("d").start_week) == (0, 1)


def test_a_department_with_nobody_hands_its_tasks_to_whoever_covers_it() -> None:
    """No inside-sales or customer-success team: field sales does that work; no marketer: management."""
    owned = [
        Task(id=i, title=Text(ja=i, en=i), owner=owner, weeks=1, lane="organization", establishes=(f"item.{i}",))
        for i, owner in (("is_task", "inside_sales"), ("cs_task", "customer_success"), ("mk_task", "marketing"))
    ]
    covered = {"inside_sales": "field_sales", "customer_success": "field_sales", "marketing": "management"}
    facts = {"dept.inside_sales": "none", "dept.customer_success": "shared", "dept.marketing": "none"}
    plan = build_plan(owned, facts, covered_by=covered)
    owners = {t.id: t.owner for t in plan.tasks}
    assert owners == {"is_task": "field_sales", "cs_task": "customer_success", "mk_task": "management"}
    assert {t.id: t.owner for t in build_plan(owned, {}, covered_by=covered).tasks}["is_task"] == "inside_sales"


def test_partial_answer_is_not_done() -> None:
    assert build_plan(DIAMOND, {"answer.item.a": "partial"}).task("a").status == "pending"


def test_done_when_condition_marks_tool_setup_done() -> None:
    setup = Task(
        id="ma_setup",
        title=Text("MA", "MA"),
        owner="marketing",
        weeks=4,
        lane="tools",
        done_when=parse_condition({"fact": "tool.ma", "eq": "in_use"}),
    )
    assert build_plan([setup], {"tool.ma": "in_use"}).task("ma_setup").status == "done"
    assert build_plan([setup], {"tool.ma": "planned"}).task("ma_setup").status == "pending"


def test_raised_risk_moves_its_tasks_up_among_those_that_can_start() -> None:
    parallel = [task("x", 2), task("y", 2), task("z", 2)]
    assert [t.id for t in build_plan(parallel, {}).tasks] == ["x", "y", "z"]
    plan = build_plan(parallel, {}, {"silo": ("high", ["z"]), "big_bang": ("medium", ["y"])})
    assert [t.id for t in plan.tasks] == ["z", "y", "x"]
    assert plan.task("z").addresses == ("silo",)


def test_priority_never_breaks_dependencies() -> None:
    plan = build_plan(DIAMOND, {}, {"silo": ("high", ["e"])})
    order = [t.id for t in plan.tasks]
    assert order.index("c") < order.index("e")


def test_cycle_is_named() -> None:
    cyclic = [task("a", 1, "c"), task("b", 1, "a"), task("c", 1, "b")]
    cycle = find_cycle(cyclic)
    assert cycle is not None and cycle[0] == cycle[-1] and set(cycle) == {"a", "b", "c"}
    assert find_cycle(DIAMOND) is None


def test_bundled_roadmap_sets_up_one_tool_at_a_time_crm_first() -> None:
    """The seeds: not a big bang, CRM first and MA with the split. MA starts once the CRM is running."""
    plan = run(
        build(**{"checklist": dict.fromkeys(ITEM_IDS, "no"), "survey.tools": {"ma": "none", "sfa": "none"}})
    ).plan
    assert plan.task("ma_setup").start_week >= plan.task("sfa_setup").end_week
    assert plan.task("lead_scoring").start_week >= plan.task("mql_definition").end_week
    assert plan.task("ma_sfa_integration").start_week == max(
        plan.task("ma_setup").end_week, plan.task("sfa_setup").end_week
    )
    assert plan.critical_path[0] == "exec_alignment" and plan.critical_path[-1] == "full_rollout"
    assert all(t.status == "pending" for t in plan.tasks)


UNSHOWN = {"pilot", "measure_improve", "full_rollout"}  # the seeds' last three steps: no answer shows them done


def test_bundled_roadmap_marks_ready_company_done() -> None:
    """Everything the answers show is done; the pilot, its measurement and the full rollout, which no checklist
    item evidences, stay in the plan marked to confirm rather than claimed done."""
    plan = run(build()).plan
    assert {t.id for t in plan.tasks if t.status == "pending"} == UNSHOWN
    assert all(plan.task(task_id).to_confirm for task_id in UNSHOWN)
    assert plan.total_weeks == sum(plan.task(task_id).weeks for task_id in UNSHOWN)


@pytest.mark.parametrize("answer", ["unknown"])
def test_unknown_items_flag_their_tasks_to_confirm(answer: str) -> None:
    plan = run(build(**{"checklist.data.access_control": answer})).plan
    assert plan.task("access_rights").to_confirm is True
    assert plan.task("access_rights").status == "pending"
