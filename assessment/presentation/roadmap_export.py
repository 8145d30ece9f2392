"""Roadmap exports: CSV rows, and Mermaid gantt and flowchart (the seed draws its flow in Mermaid)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, timedelta
from typing import Any, TypedDict

from assessment.content.model import Content
from assessment.engine.roadmap.calendar import last_day, next_monday, week_date
from assessment.engine.roadmap.plan import Plan
from assessment.i18n import translator
from assessment.vocabulary import Lang

CSV_COLUMNS = (
    "id", "title", "owner", "lane", "weeks", "status", "horizon", "phase", "start_week", "end_week", "critical",
    "depends_on", "establishes", "addresses", "start_date", "end_date", "effort_days", "outside_support",
)  # fmt: skip


def plan_to_csv(plan: Plan, content: Content, lang: Lang = "ja") -> str:
    """Return the plan as CSV, one row per task, lists joined with spaces."""
    owners = {owner.id: owner.title.get(lang) for owner in content.survey.owners}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for t in plan.tasks:
        writer.writerow(
            [
                t.id, t.title.get(lang), owners.get(t.owner, t.owner), t.lane, t.weeks, t.status,
                t.horizon if t.status == "pending" else "", t.phase,
                "" if t.start_week is None else t.start_week, "" if t.end_week is None else t.end_week,
                "yes" if t.critical else "no", " ".join(t.depends_on), " ".join(t.establishes),
                " ".join(t.addresses),
                "" if plan.start is None or t.start_week is None else week_date(plan.start, t.start_week).isoformat(),
                "" if plan.start is None or t.end_week is None else last_day(plan.start, t.end_week).isoformat(),
                format(t.effort_days, "g"), "yes" if t.outside_support else "no",
            ]
        )  # fmt: skip
    return buffer.getvalue()


def _label(text: str) -> str:
    """Make a title safe inside Mermaid (no colons, semicolons, hashes or quotes)."""
    return re.sub(r"[:;#\"`]", " ", text).strip()


def plan_to_mermaid_gantt(plan: Plan, content: Content, lang: Lang = "ja", start: date | None = None) -> str:
    """Return a Mermaid gantt chart of the pending tasks; critical ones tagged ``crit``.

    Every bar carries the plan's own start date and length (``start`` + 7 × ``start_week`` days, for
    ``end_week - start_week`` weeks) rather than ``after`` links: a dependency that runs through a task
    already done has no bar to follow, and the chart must show the weeks the CSV, JSON and PDF show.
    """
    start = start or plan.start or next_monday(date.today())
    _ = translator(lang)
    lanes = {"organization": _("Organization"), "tools": _("Tools"), "data": _("Data")}
    title = _("THE MODEL implementation roadmap")
    lines = ["gantt", f"    title {title}", "    dateFormat YYYY-MM-DD", "    axisFormat %m/%d"]
    pending = list(plan.scheduled)
    for lane, name in lanes.items():
        tasks = [t for t in pending if t.lane == lane]
        if not tasks:
            continue
        lines.append(f"    section {name}")
        for t in tasks:
            tags = "crit, " if t.critical else ""
            first, last = t.start_week or 0, t.end_week if t.end_week is not None else t.weeks
            when = (start + timedelta(weeks=first)).isoformat()
            lines.append(f"    {_label(t.title.get(lang))} :{tags}{t.id}, {when}, {(last - first) * 7}d")
    return "\n".join(lines) + "\n"


def plan_to_mermaid_flowchart(plan: Plan, content: Content, lang: Lang = "ja") -> str:
    """Return a Mermaid flowchart of every task and dependency; done and critical tasks styled."""
    lines = ["flowchart TD"]
    for t in plan.tasks:
        lines.append(f'    {t.id}["{_label(t.title.get(lang))}"]')
    for t in plan.tasks:
        lines.extend(f"    {dependency} --> {t.id}" for dependency in t.depends_on)
    done = [t.id for t in plan.tasks if t.status == "done"]
    later = [t.id for t in plan.later]
    critical = [t.id for t in plan.tasks if t.critical]
    lines.append("    classDef done fill:#e6e6e6,stroke:#999,color:#666")
    lines.append("    classDef critical fill:#fde2e1,stroke:#c0392b,stroke-width:2px")
    lines.append("    classDef later fill:#fff,stroke:#999,stroke-dasharray:4 3,color:#666")
    if done:
        lines.append(f"    class {','.join(done)} done")
    if later:
        lines.append(f"    class {','.join(later)} later")
    if critical:
        lines.append(f"    class {','.join(critical)} critical")
    return "\n".join(lines) + "\n"


FIRST_DAYS_WEEKS = 13  # the first 90 days
BLOCK_WEEKS = 2


def first_90_days(plan: Plan) -> list[dict[str, Any]]:
    """The first 90 days in two-week blocks: the tasks that start in each block and those due by its end."""
    blocks = []
    for first in range(0, FIRST_DAYS_WEEKS, BLOCK_WEEKS):
        last = min(first + BLOCK_WEEKS, FIRST_DAYS_WEEKS)
        starting = [t for t in plan.scheduled if first <= (t.start_week or 0) < last]
        due = [t for t in plan.scheduled if first < (t.end_week or 0) <= last]
        if starting or due:
            blocks.append({"first": first, "last": last, "starting": starting, "due": due})
    return blocks


class LaterPhase(TypedDict):
    """A phase after the one to aim for, and the titles of its tasks (listed, not scheduled)."""

    phase: str
    tasks: list[str]


def later_by_phase(plan: Plan, content: Content, lang: Lang) -> list[LaterPhase]:
    """The later phases' work, one entry per phase with its task titles (listed, not scheduled)."""
    phases = {p.number: p.title.get(lang) for p in content.organisation.phases}
    groups: dict[int, list[str]] = {}
    for task in plan.later:
        groups.setdefault(task.phase, []).append(task.title.get(lang))
    return [{"phase": phases.get(number, str(number)), "tasks": titles} for number, titles in sorted(groups.items())]
