"""A plan fitted to the client (issue 12, first slice): the phase to aim for never runs ahead of the size, the
plan schedules that phase's work now and lists the later phases' work, and every task has an owner who exists.
"""

from __future__ import annotations

import csv
import io
import math
from typing import Any

import pytest

from assessment import load_content
from assessment.presentation.export import diagnosis_to_dict
from assessment.presentation.roadmap_export import plan_to_csv, plan_to_mermaid_gantt
from tests.core.builders import ITEM_IDS, build, run

CONTENT = load_content()
NOTHING = dict.fromkeys(ITEM_IDS, "no")


def firm(employees: int, departments: dict[str, str], tools: dict[str, Any], **edits: Any) -> dict[str, Any]:
    """A firm of ``employees`` with nothing in place on the checklist, unless ``edits`` say otherwise."""
    return build(**{
        "client.employees": employees, "checklist": dict(NOTHING), "survey.departments": departments,
        "survey.tools": tools, **edits,
    })  # fmt: skip


NO_TOOLS = {"ma": "none", "sfa": "none", "spreadsheet": True}
FIRMS = {
    "8 people, a new graduate as dedicated inside sales": firm(
        8, {"marketing": "shared", "inside_sales": "dedicated", "field_sales": "dedicated"}, NO_TOOLS
    ),
    "25 people, a part-time marketer": firm(
        25, {"marketing": "shared", "inside_sales": "none", "field_sales": "dedicated"}, NO_TOOLS
    ),
    "45 people, marketing and sales": firm(
        45, {"marketing": "dedicated", "inside_sales": "shared", "field_sales": "dedicated"}, NO_TOOLS
    ),
    "120 people, three teams, MA and SFA in use": firm(
        120,
        {**dict.fromkeys(["marketing", "inside_sales", "field_sales"], "dedicated"), "customer_success": "shared"},
        {"ma": "in_use", "sfa": "in_use", "spreadsheet": False},
    ),
    "250-person manufacturer with no marketing": firm(
        250, {"marketing": "none", "inside_sales": "none", "field_sales": "dedicated", "customer_success": "none"},
        NO_TOOLS,
    ),
    "600 people, four teams": firm(
        600, dict.fromkeys(["marketing", "inside_sales", "field_sales", "customer_success"], "dedicated"),
        {"ma": "in_use", "sfa": "in_use", "spreadsheet": False},
    ),
}  # fmt: skip
EXPECTED = {
    # name: (current, by size, recommended, tasks now, tasks later)
    "8 people, a new graduate as dedicated inside sales": (2, 1, 1, {"sfa_setup", "mql_definition"}, {"ma_setup"}),
    "25 people, a part-time marketer": (1, 1, 1, {"sfa_setup", "customer_master"}, {"ma_setup", "pilot"}),
    "45 people, marketing and sales": (1, 2, 2, {"sfa_setup", "ma_setup", "pilot"}, {"data_driven_management"}),
    "120 people, three teams, MA and SFA in use": (2, 3, 3, {"cs_plan", "ma_sfa_integration"}, set()),
    "250-person manufacturer with no marketing": (0, 3, 1, {"marketing_owner", "sfa_setup"}, {"ma_setup"}),
    "600 people, four teams": (3, 4, 4, {"data_driven_management", "full_rollout"}, set()),
}


@pytest.mark.parametrize("name", sorted(FIRMS))
def test_the_plan_schedules_the_phase_to_aim_for_and_lists_the_rest(name: str) -> None:
    diagnosis = run(FIRMS[name])
    current, by_size, recommended, now, later = EXPECTED[name]
    phase = diagnosis.phase
    assert (phase.current, phase.by_size, phase.recommended) == (current, by_size, recommended)
    assert phase.recommended <= phase.by_size  # never ahead of the size-fit phase
    plan = diagnosis.plan
    assert now <= {t.id for t in plan.scheduled}
    assert later <= {t.id for t in plan.later}
    assert all(t.phase <= recommended or t.lane != "tools" for t in plan.scheduled)
    assert all(t.start_week is None and t.end_week is None for t in plan.later)
    assert plan.total_weeks == max((t.end_week or 0 for t in plan.scheduled), default=0)


def test_a_firm_going_from_no_tools_to_phase_1_never_sets_up_ma_and_sfa_side_by_side() -> None:
    for name in ("8 people, a new graduate as dedicated inside sales", "250-person manufacturer with no marketing"):
        plan = run(FIRMS[name]).plan
        assert plan.task("sfa_setup").horizon == "now" and plan.task("ma_setup").horizon == "later", name


def test_the_plan_grows_with_the_phase_to_aim_for() -> None:
    small = run(FIRMS["8 people, a new graduate as dedicated inside sales"]).plan
    larger = run(FIRMS["45 people, marketing and sales"]).plan
    assert len(small.scheduled) < len(larger.scheduled) and small.total_weeks < larger.total_weeks


@pytest.mark.parametrize("name", [n for n in FIRMS if int(n.split()[0].split("-")[0]) < 100])
def test_a_small_firm_has_no_sales_operations_team_to_own_tasks(name: str) -> None:
    plan = run(FIRMS[name]).plan
    assert "sales_ops" not in {t.owner for t in plan.scheduled}


def test_a_firm_of_a_hundred_or_more_may_have_sales_operations() -> None:
    plan = run(FIRMS["120 people, three teams, MA and SFA in use"]).plan
    assert "sales_ops" in {t.owner for t in plan.scheduled}


def test_the_marketing_owner_the_plan_appoints_owns_the_marketing_work_after_it() -> None:
    """No marketing today: appointing one is management's task, and the MQL definition after it is marketing's."""
    plan = run(FIRMS["250-person manufacturer with no marketing"]).plan
    assert plan.task("marketing_owner").owner == "management"
    assert plan.task("mql_definition").owner == "marketing"


def test_without_the_appointment_in_the_plan_management_covers_marketing() -> None:
    document = firm(
        20, {"marketing": "none", "field_sales": "dedicated"}, NO_TOOLS, **{"checklist.org.marketing_owner": "yes"}
    )
    plan = run(document).plan
    assert plan.task("marketing_owner").status == "done"
    assert plan.task("mql_definition").owner == "management"


def test_exports_agree_on_every_task_s_horizon_and_owner() -> None:
    diagnosis = run(FIRMS["8 people, a new graduate as dedicated inside sales"])
    exported = {t["id"]: t for t in diagnosis_to_dict(diagnosis, CONTENT, "en")["roadmap"]["tasks"]}
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(plan_to_csv(diagnosis.plan, CONTENT, "en")))}
    gantt = plan_to_mermaid_gantt(diagnosis.plan, CONTENT, "en")
    scheduled = {t.id for t in diagnosis.plan.scheduled}
    for task in diagnosis.plan.tasks:
        horizon = task.horizon if task.status == "pending" else None
        assert exported[task.id]["horizon"] == horizon and rows[task.id]["horizon"] == (horizon or "")
        assert exported[task.id]["owner"] == task.owner
        drawn = f":{'crit, ' if task.critical else ''}{task.id}," in gantt
        assert drawn == (task.id in scheduled), task.id  # the gantt draws exactly the scheduled tasks
    assert {t.id for t in diagnosis.plan.later}  # the 8-person firm has later phases


def test_dates_come_from_the_start_and_agree_in_every_export() -> None:
    from datetime import date

    from assessment import diagnose, parse_assessment
    from assessment.engine.roadmap.calendar import next_monday

    document = FIRMS["45 people, marketing and sales"]
    diagnosis = diagnose(parse_assessment(document, CONTENT), CONTENT, date(2026, 12, 7))
    plan = diagnosis.plan
    exported = diagnosis_to_dict(diagnosis, CONTENT, "en")["roadmap"]
    assert exported["start_date"] == "2026-12-07"
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(plan_to_csv(plan, CONTENT, "en")))}
    gantt = plan_to_mermaid_gantt(plan, CONTENT, "en")
    for task in exported["tasks"]:
        if task["horizon"] != "now":
            assert task["start_date"] is None and rows[task["id"]]["start_date"] == ""
            continue
        first = date(2026, 12, 7) + (date(2026, 12, 14) - date(2026, 12, 7)) * task["start_week"]
        assert task["start_date"] == first.isoformat() == rows[task["id"]]["start_date"]
        assert date.fromisoformat(task["end_date"]).weekday() == 6  # the Sunday the last week ends
        assert f"{task['id']}, {first.isoformat()}, {task['weeks'] * 7}d" in gantt
    assert next_monday(date(2026, 11, 30)) == date(2026, 12, 7)  # a Monday: the next one, not today
    assert next_monday(date(2026, 12, 3)) == date(2026, 12, 7)


def test_durations_grow_with_the_size_of_the_firm() -> None:
    """A customer master for 600 people takes longer than one for 8; deciding KPIs grows less than data work."""
    weeks = {}
    for employees in (8, 45, 120, 600):
        document = firm(employees, {"marketing": "dedicated", "field_sales": "dedicated"}, NO_TOOLS)
        plan = run(document).plan
        weeks[employees] = {t.id: t.weeks for t in plan.tasks}
    for task_id in ("customer_master", "sfa_setup", "kpi_design"):
        sizes = [weeks[n][task_id] for n in (8, 45, 120, 600)]
        assert sizes == sorted(sizes) and sizes[0] < sizes[-1], (task_id, sizes)
    assert (
        weeks[600]["customer_master"] / weeks[8]["customer_master"] > weeks[600]["kpi_design"] / weeks[8]["kpi_design"]
    )


def test_work_partly_in_place_takes_less_time() -> None:
    base = {"marketing": "dedicated", "field_sales": "dedicated"}
    none_yet = run(firm(45, base, NO_TOOLS)).plan.task("customer_master").weeks
    partly = run(firm(45, base, NO_TOOLS, **{"checklist.data.customer_master": "partial"})).plan
    assert partly.task("customer_master").weeks < none_yet


def test_the_size_bands_are_content_and_checked_when_loaded(tmp_path: Any) -> None:
    import shutil
    from pathlib import Path

    from assessment.content.loader import DEFAULT_CONTENT_DIR, load_content
    from assessment.errors import ContentError

    folder = Path(tmp_path) / "content"
    shutil.copytree(DEFAULT_CONTENT_DIR, folder)
    tasks = folder / "tasks.yaml"
    tasks.write_text(tasks.read_text(encoding="utf-8").replace("partial_share: 0.5", "partial_shar: 0.5"), "utf-8")
    with pytest.raises(ContentError) as error:
        load_content(folder)
    assert any("durations" in str(problem) and "partial_shar" in str(problem) for problem in error.value.problems)


def test_effort_grows_with_size_and_adds_up_by_owner_and_by_month() -> None:
    totals = {}
    for employees in (8, 45, 600):
        plan = run(firm(employees, {"marketing": "dedicated", "field_sales": "dedicated"}, NO_TOOLS)).plan
        by_owner, by_month = plan.effort_by_owner(), plan.effort_by_month()
        total = sum(t.effort_days for t in plan.scheduled)
        assert math.isclose(sum(by_owner.values()), total) and math.isclose(sum(by_month), total, abs_tol=0.5)
        assert len(by_month) == -(-plan.total_weeks // 4)
        assert set(by_owner) == {t.owner for t in plan.scheduled if t.effort_days}
        totals[employees] = plan.task("customer_master").effort_days
    assert totals[8] < totals[45] < totals[600]


def test_effort_and_outside_support_reach_the_exports() -> None:
    diagnosis = run(FIRMS["45 people, marketing and sales"])
    roadmap = diagnosis_to_dict(diagnosis, CONTENT, "en")["roadmap"]
    assert roadmap["effort_days"]["by_owner"] and roadmap["effort_days"]["by_month"]
    sfa = next(t for t in roadmap["tasks"] if t["id"] == "sfa_setup")
    assert sfa["outside_support"] is True and sfa["effort_days"] > 0
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(plan_to_csv(diagnosis.plan, CONTENT, "en")))}
    assert (
        rows["sfa_setup"]["outside_support"] == "yes" and float(rows["sfa_setup"]["effort_days"]) == sfa["effort_days"]
    )
