"""One roadmap, however it is exported: the Mermaid gantt shows the weeks the CSV and the JSON show."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from assessment import load_content
from assessment.presentation.export import plan_to_dict
from assessment.presentation.roadmap_export import plan_to_csv, plan_to_mermaid_gantt
from tests.core.builders import ITEM_IDS, build, run

CONTENT = load_content()
START = date(2026, 1, 5)
SAMPLE = Path(__file__).resolve().parents[2] / "questionnaires" / "samples" / "sample.yaml"
NOTHING_IN_PLACE = {f"checklist.{item}": "no" for item in ITEM_IDS} | {
    "survey.tools.ma": "none",
    "survey.tools.sfa": "none",
}
# title :[crit, ]id, (YYYY-MM-DD | after id ...), Nd -- the two ways Mermaid places a bar
GANTT_TASK = re.compile(
    r"^    (?P<title>[^:]+) :(?P<crit>crit, )?(?P<id>\w+), (?:(?P<start>\d{4}-\d\d-\d\d)|after (?P<after>[\w ]+)), "
    r"(?P<days>\d+)d$"
)

DOCUMENTS: dict[str, dict[str, Any]] = {
    "nothing in place": build(**NOTHING_IN_PLACE),
    # requirements and tool selection done (both tool plans yes) while the executives are not yet aligned:
    # the MA and SFA set-up still wait for exec_alignment, through two tasks already done
    "tool selection done, alignment pending": build(
        **NOTHING_IN_PLACE | {"checklist.tools.ma_plan": "yes", "checklist.tools.sfa_plan": "yes"}
    ),
    # operating rules done, status rules pending: the pilot still waits for the status rules
    "operating rules done in the middle": build(
        **NOTHING_IN_PLACE
        | {
            f"checklist.{item}": "yes"
            for item in ("data.activity_logging", "data.access_control", "tools.tool_owners", "org.handoff_rules")
        }
    ),
    "healthy but for the baton meeting": build(**{"checklist.org.baton_meeting": "no"}),
    "tools in use, organisation missing": build(
        **{f"checklist.{item}": "no" for item in ITEM_IDS if item.startswith("org.")}
    ),
    "bundled sample": yaml.safe_load(SAMPLE.read_text(encoding="utf-8")),
}


def gantt_weeks(gantt: str) -> dict[str, tuple[int, int, bool]]:
    """Each gantt bar as (start week, end week, crit), placed as Mermaid places it (``after`` = latest end)."""
    bars: dict[str, re.Match[str]] = {}
    for line in gantt.splitlines()[4:]:
        if not line.startswith("    section "):
            match = GANTT_TASK.match(line)
            assert match, f"not a gantt bar: {line!r}"
            assert match["id"] not in bars, f"{match['id']} drawn twice"
            bars[match["id"]] = match

    def days(task_id: str) -> tuple[int, int]:
        bar = bars[task_id]
        if bar["start"]:
            first = (date.fromisoformat(bar["start"]) - START).days
        else:
            first = max(days(before)[1] for before in bar["after"].split())
        return first, first + int(bar["days"])

    placed = {task_id: days(task_id) for task_id in bars}
    assert all(first % 7 == 0 and last % 7 == 0 for first, last in placed.values()), placed
    return {i: (first // 7, last // 7, bars[i]["crit"] is not None) for i, (first, last) in placed.items()}


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_gantt_csv_and_json_show_the_same_weeks(name: str, lang: str) -> None:
    plan = run(DOCUMENTS[name]).plan
    gantt = gantt_weeks(plan_to_mermaid_gantt(plan, CONTENT, lang, START))  # type: ignore[arg-type]
    rows = csv.DictReader(io.StringIO(plan_to_csv(plan, CONTENT, lang)))  # type: ignore[arg-type]
    from_csv = {
        row["id"]: (int(row["start_week"]), int(row["end_week"]), row["critical"] == "yes")
        for row in rows
        if row["status"] == "pending" and row["horizon"] == "now"
    }
    from_json = {
        t["id"]: (t["start_week"], t["end_week"], t["critical"])
        for t in plan_to_dict(plan, CONTENT, lang)["tasks"]  # type: ignore[arg-type]
        if t["status"] == "pending" and t["horizon"] == "now"
    }
    assert gantt == from_csv == from_json
    assert max((end for _, end, _ in gantt.values()), default=0) == plan.total_weeks


def test_a_task_after_a_done_one_is_not_drawn_in_week_zero() -> None:
    """SFA set-up waits for exec_alignment through requirements and tool selection, both done."""
    plan = run(DOCUMENTS["tool selection done, alignment pending"]).plan
    assert plan.task("tool_selection").status == "done"
    aligned = plan.task("exec_alignment").end_week
    assert aligned and plan.task("sfa_setup").start_week == aligned
    gantt = plan_to_mermaid_gantt(plan, CONTENT, "en", START)
    days = plan.task("sfa_setup").weeks * 7
    assert f"sfa_setup, {(START + timedelta(weeks=aligned)).isoformat()}, {days}d" in gantt
    assert " after " not in gantt


def test_done_tasks_are_not_drawn_and_critical_ones_are_tagged() -> None:
    plan = run(DOCUMENTS["operating rules done in the middle"]).plan
    gantt = plan_to_mermaid_gantt(plan, CONTENT, "ja", START)
    assert plan.task("operating_rules").status == "done"
    assert "operating_rules," not in gantt
    for t in plan.tasks:
        if t.status == "pending" and t.horizon == "now":
            assert (f":crit, {t.id}," in gantt) is t.critical
