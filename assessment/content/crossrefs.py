"""Cross-reference checks over loaded content: ids, fact names, values, owners, dependencies, cycles."""

from __future__ import annotations

import string
from collections import Counter
from collections.abc import Iterable

from assessment.content.catalogue import COMPUTED_LATER, PLACEHOLDER, FactSpec, fact_catalogue
from assessment.content.conditions import Condition, facts_used
from assessment.content.model import Benchmark, Content, ScoreBand, Task
from assessment.content.task_graph import find_cycle
from assessment.errors import ContentProblem
from assessment.vocabulary import ANSWERS, ORDER_OPS, STAFFING, TOOL_STATUSES, Text


def check(content: Content) -> list[ContentProblem]:
    """Return every cross-reference problem in ``content`` (empty when it is consistent)."""
    problems: list[ContentProblem] = []
    catalogue = fact_catalogue(content)
    problems += _check_checklist(content)
    problems += _check_survey(content)
    problems += _check_benchmarks(content)
    problems += _check_rules(content, catalogue)
    problems += _check_organisation(content, catalogue)
    problems += _check_tasks(content, catalogue)
    problems += _check_playbook(content)
    problems += _check_glossary(content)
    return problems


def _check_glossary(content: Content) -> list[ContentProblem]:
    """Each term once, and every spelling something the pages can find (not blank)."""
    file, terms = "glossary.yaml", content.glossary.terms
    problems = _duplicates(file, "terms", (t.id for t in terms))
    for term in terms:
        if not term.term.ja.strip() or not term.term.en.strip() or not all(s.strip() for s in term.also):
            problems.append(ContentProblem(file, f"terms[{term.id}]", "term", "a spelling is blank"))
    return problems


def _check_playbook(content: Content) -> list[ContentProblem]:
    file, playbook = "playbook.yaml", content.playbook
    departments = {d.id for d in content.survey.departments}
    problems = _duplicates(file, "handoff_agreements", (a.id for a in playbook.handoff_agreements))
    problems += _duplicates(file, "meetings", (m.id for m in playbook.meetings))
    problems += _duplicates(file, "lifecycle", (s.id for s in playbook.lifecycle))
    for stage in playbook.lifecycle:
        if stage.owner not in departments:
            problems.append(
                ContentProblem(file, f"lifecycle[{stage.id}]", "owner", f"unknown department '{stage.owner}'")
            )
    for hub in playbook.hubspot_hubs:
        if hub.department not in departments:
            entry = f"hubspot_hubs[{hub.department}]"
            problems.append(ContentProblem(file, entry, "department", f"unknown department '{hub.department}'"))
    for phase in content.organisation.phases:
        for dept in phase.dedicated_departments:
            if dept not in departments:
                entry = f"phases[{phase.number}]"
                problems.append(
                    ContentProblem("organisation.yaml", entry, "dedicated_departments", f"unknown department '{dept}'")
                )
    return problems


def _duplicates(file: str, section: str, ids: Iterable[object]) -> list[ContentProblem]:
    return [
        ContentProblem(file, f"{section}[{value}]", "id", f"'{value}' is used {count} times; ids must be unique")
        for value, count in Counter(ids).items()
        if count > 1
    ]


def _labels(file: str, field: str, labels: dict[str, object], expected: tuple[str, ...]) -> list[ContentProblem]:
    missing = [key for key in expected if key not in labels]
    extra = [key for key in labels if key not in expected]
    problems = [ContentProblem(file, "", field, f"no label for '{key}'") for key in missing]
    problems += [ContentProblem(file, "", f"{field}.{key}", f"not one of {', '.join(expected)}") for key in extra]
    return problems


def _check_checklist(content: Content) -> list[ContentProblem]:
    checklist, file = content.checklist, "checklist.yaml"
    problems = _duplicates(file, "items", (item.id for item in checklist.items))
    problems += _duplicates(file, "axes", (axis.id for axis in checklist.axes))
    problems += _labels(file, "answers", dict(checklist.answer_labels), ANSWERS)
    axes = {axis.id for axis in checklist.axes}
    for item in checklist.items:
        if item.axis not in axes:
            problems.append(ContentProblem(file, f"items[{item.id}]", "axis", f"unknown axis '{item.axis}'"))
        if item.weight <= 0:
            problems.append(ContentProblem(file, f"items[{item.id}]", "weight", "must be more than 0"))
    for axis in checklist.axes:
        if not any(item.axis == axis.id for item in checklist.items):
            problems.append(ContentProblem(file, f"axes[{axis.id}]", "id", "no item belongs to this axis"))
    return problems + _check_bands(checklist.bands)


def _check_bands(bands: tuple[ScoreBand, ...]) -> list[ContentProblem]:
    """Bands rise strictly between 0 and 100, and the last one (only) has no ``below``: every score has one."""
    file, problems, previous = "checklist.yaml", [], 0.0
    if not bands:
        return [ContentProblem(file, "", "bands", "at least one band is needed: the results say what a score means")]
    for number, band in enumerate(bands, start=1):
        entry = f"bands[#{number}]"
        last = number == len(bands)
        if last and band.below is not None:
            problems.append(ContentProblem(file, entry, "below", "the last band takes every score left: no below"))
        elif not last and band.below is None:
            problems.append(ContentProblem(file, entry, "below", "is required on every band but the last"))
        elif band.below is not None and not previous < band.below <= 100:
            problems.append(ContentProblem(file, entry, "below", f"must rise, between {previous:g} and 100"))
        previous = band.below if band.below is not None else previous
    return problems


def _check_survey(content: Content) -> list[ContentProblem]:
    survey, file = content.survey, "survey.yaml"
    problems = _duplicates(file, "departments", (d.id for d in survey.departments))
    problems += _duplicates(file, "other_roles", survey.roles)  # a respondent's role names one thing
    problems += _duplicates(file, "owners", (o.id for o in survey.owners))
    owner_ids = {o.id for o in survey.owners}
    for owner in survey.owners:
        if owner.covered_by is not None and (owner.covered_by not in owner_ids or owner.covered_by == owner.id):
            problems.append(
                ContentProblem(file, f"owners[{owner.id}]", "covered_by", f"unknown owner '{owner.covered_by}'")
            )
    problems += _duplicates(file, "tools", (t.id for t in survey.tools))
    problems += _duplicates(file, "funnel", (f.id for f in survey.funnel))
    problems += _labels(file, "staffing", dict(survey.staffing_labels), STAFFING)
    problems += _labels(file, "tool_statuses", dict(survey.tool_status_labels), TOOL_STATUSES)
    for figure in survey.funnel:
        if figure.min is not None and figure.max is not None and figure.min > figure.max:
            problems.append(ContentProblem(file, f"funnel[{figure.id}]", "min", "is above max"))
    return problems


def _check_benchmarks(content: Content) -> list[ContentProblem]:
    file = "benchmarks.yaml"
    benchmarks = content.benchmarks.benchmarks
    problems = _duplicates(file, "benchmarks", (b.metric for b in benchmarks))
    figures = {f.id for f in content.survey.funnel}
    departments = {d.id for d in content.survey.departments}
    for b in benchmarks:
        entry = f"benchmarks[{b.metric}]"
        sources = [name for name in (b.figure, b.numerator, b.denominator) if name is not None]
        if (b.figure is None) == (b.numerator is None or b.denominator is None) or (
            b.figure is not None and len(sources) > 1
        ):
            problems.append(ContentProblem(file, entry, "figure", "give either figure, or numerator and denominator"))
        for name in sources:
            if name not in figures:
                problems.append(ContentProblem(file, entry, "figure", f"unknown survey figure '{name}'"))
        if b.stage is not None and b.stage not in departments:
            problems.append(ContentProblem(file, entry, "stage", f"unknown department '{b.stage}'"))
        if b.min is not None and b.max is not None and b.min > b.max:
            problems.append(ContentProblem(file, entry, "min", "is above max"))
        if b.uplift <= 0:
            problems.append(ContentProblem(file, entry, "uplift", "must be more than 0"))
        problems += _check_cycle_words(file, entry, b)
    for lever in content.benchmarks.volume_levers:
        if lever.figure not in figures:
            entry = f"volume_levers[{lever.figure}]"
            problems.append(ContentProblem(file, entry, "figure", f"unknown survey figure '{lever.figure}'"))
    return problems


CYCLE_PLACEHOLDERS = {"low", "high", "days", "months", "min", "max"}


def _check_cycle_words(file: str, entry: str, benchmark: Benchmark) -> list[ContentProblem]:
    """A range scaled by the sales cycle says how, beside the range and below the table, in both languages."""
    problems = []
    for field in ("cycle_basis", "cycle_note"):
        words: Text | None = getattr(benchmark, field)
        if words is None:
            if benchmark.per_cycle_month:
                problems.append(ContentProblem(file, entry, field, "needed with per_cycle_month"))
            continue
        for lang, text in (("ja", words.ja), ("en", words.en)):
            unknown = {name for _, name, _, _ in string.Formatter().parse(text) if name} - CYCLE_PLACEHOLDERS
            if unknown:
                problems.append(
                    ContentProblem(file, entry, f"{field}.{lang}", f"unknown placeholder {sorted(unknown)}")
                )
    return problems


def _check_condition(
    file: str,
    entry: str,
    field: str,
    condition: Condition | None,
    catalogue: dict[str, FactSpec],
    forbidden: tuple[str, ...] = (),
) -> list[ContentProblem]:
    if condition is None:
        return []
    problems = []
    for fact, comparison in facts_used(condition):
        spec = catalogue.get(fact)
        if spec is None or fact.startswith(forbidden):
            reason = "cannot be used here" if spec else "unknown fact"
            problems.append(ContentProblem(file, entry, field, f"{reason} '{fact}'{_suggest(fact, catalogue)}"))
            continue
        values = comparison.value if isinstance(comparison.value, tuple) else (comparison.value,)
        if comparison.op == "present":
            continue
        if spec.kind == "choice":
            for value in values:
                if value not in spec.choices:
                    problems.append(
                        ContentProblem(
                            file,
                            entry,
                            field,
                            f"'{value}' is not a possible value of {fact} ({', '.join(spec.choices)})",
                        )
                    )
        if comparison.op in ORDER_OPS and spec.kind != "number":
            problems.append(ContentProblem(file, entry, field, f"{comparison.op} needs a number fact; {fact} is not"))
        if spec.kind == "bool" and any(not isinstance(v, bool) for v in values):
            problems.append(ContentProblem(file, entry, field, f"{fact} is true or false"))
    return problems


def _suggest(fact: str, catalogue: dict[str, FactSpec]) -> str:
    import difflib

    match = difflib.get_close_matches(fact, catalogue, n=1, cutoff=0.7)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _check_rules(content: Content, catalogue: dict[str, FactSpec]) -> list[ContentProblem]:
    file = "rules.yaml"
    problems = _duplicates(file, "rules", (rule.id for rule in content.rules))
    task_ids = {task.id for task in content.tasks}
    for rule in content.rules:
        entry = f"rules[{rule.id}]"
        problems += _check_condition(file, entry, "when", rule.when, catalogue)
        for task_id in rule.addressed_by:
            if task_id not in task_ids:
                problems.append(ContentProblem(file, entry, "addressed_by", f"unknown task '{task_id}'"))
        for position, sentence in enumerate(rule.explanation):
            field = f"explanation[{position}]"
            problems += _check_condition(file, entry, f"{field}.when", sentence.when, catalogue)
            for lang in ("ja", "en"):
                for name, _unit in PLACEHOLDER.findall(getattr(sentence, lang)):
                    if name not in catalogue:
                        problems.append(ContentProblem(file, entry, f"{field}.{lang}", f"unknown fact '{{{name}}}'"))
        if not rule.explanation:
            problems.append(ContentProblem(file, entry, "explanation", "needs at least one sentence"))
        for position, override in enumerate(rule.severity_if):
            problems += _check_condition(file, entry, f"severity_if[{position}].when", override.when, catalogue)
    return problems


def _check_organisation(content: Content, catalogue: dict[str, FactSpec]) -> list[ContentProblem]:
    file, organisation = "organisation.yaml", content.organisation
    numbers = [phase.number for phase in organisation.phases]
    problems = _duplicates(file, "phases", numbers)
    if sorted(numbers) != list(range(len(numbers))):
        problems.append(ContentProblem(file, "phases", "number", "phases must be numbered 0, 1, 2, ... without gaps"))
    for phase in organisation.phases:
        entry = f"phases[{phase.number}]"
        problems += _check_condition(
            file, entry, "reached_when", phase.reached_when, catalogue, COMPUTED_LATER["phase"]
        )
        low, high = phase.employees_min, phase.employees_max
        if low is not None and high is not None and low > high:
            problems.append(ContentProblem(file, entry, "employees_min", "is above employees_max"))
    problems += _duplicates(file, "bpr_stages", (stage.id for stage in organisation.bpr_stages))
    for stage in organisation.bpr_stages:
        problems += _check_condition(
            file,
            f"bpr_stages[{stage.id}]",
            "complete_when",
            stage.complete_when,
            catalogue,
            COMPUTED_LATER["bpr"],
        )
    if not organisation.bpr_stages:
        problems.append(ContentProblem(file, "bpr_stages", "", "at least one stage is needed"))
    return problems


def _check_tasks(content: Content, catalogue: dict[str, FactSpec]) -> list[ContentProblem]:
    file = "tasks.yaml"
    problems = _duplicates(file, "tasks", (task.id for task in content.tasks))
    task_ids = {task.id for task in content.tasks}
    owners = {owner.id for owner in content.survey.owners}
    items = {item.id for item in content.checklist.items}
    by_id = {task.id: task for task in content.tasks}
    phases = {phase.number for phase in content.organisation.phases}
    for task in content.tasks:
        entry = f"tasks[{task.id}]"
        if task.owner not in owners:
            problems.append(ContentProblem(file, entry, "owner", f"unknown owner '{task.owner}'"))
        if task.weeks < 1:
            problems.append(ContentProblem(file, entry, "weeks", "must be at least 1"))
        for dependency in task.depends_on:
            if dependency not in task_ids:
                problems.append(ContentProblem(file, entry, "depends_on", f"unknown task '{dependency}'"))
            if dependency == task.id:
                problems.append(ContentProblem(file, entry, "depends_on", "a task cannot depend on itself"))
        for item in task.establishes:
            if item not in items:
                problems.append(ContentProblem(file, entry, "establishes", f"unknown checklist item '{item}'"))
        if not task.establishes and task.done_when is None and task.confirm_when is None:
            problems.append(
                ContentProblem(
                    file, entry, "establishes",
                    "give establishes or done_when, or it can never be done (confirm_when: work no answer shows done)",
                )
            )  # fmt: skip
        problems += _check_condition(file, entry, "done_when", task.done_when, catalogue)
        problems += _check_condition(file, entry, "confirm_when", task.confirm_when, catalogue)
        problems += _check_task_phase(task, by_id, phases, owners)
    if not any(p.field == "depends_on" for p in problems):
        cycle = find_cycle(content.tasks)
        if cycle:
            problems.append(
                ContentProblem(file, f"tasks[{cycle[0]}]", "depends_on", "dependency cycle: " + " → ".join(cycle))
            )
    return problems


def _check_task_phase(task: Task, by_id: dict[str, Task], phases: set[int], owners: set[str]) -> list[ContentProblem]:
    """A task belongs to a known phase, never an earlier one than a task it waits for; it appoints a known owner."""
    file, entry = "tasks.yaml", f"tasks[{task.id}]"
    problems = []
    if task.phase not in phases:
        problems.append(ContentProblem(file, entry, "phase", f"unknown phase {task.phase} (phases: {sorted(phases)})"))
    for dependency in task.depends_on:
        before = by_id.get(dependency)
        if before is not None and before.phase > task.phase:
            problems.append(
                ContentProblem(
                    file, entry, "phase",
                    f"phase {task.phase} is earlier than phase {before.phase} of '{dependency}', which it waits for",
                )
            )  # fmt: skip
    if task.appoints is not None and task.appoints not in owners:
        problems.append(ContentProblem(file, entry, "appoints", f"unknown owner '{task.appoints}'"))
    return problems
