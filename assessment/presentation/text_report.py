"""The diagnosis as plain text for a terminal, in Japanese (default) or English (the words from gettext)."""

from __future__ import annotations

import unicodedata

from assessment.content.model import Content
from assessment.engine.diagnosis import Diagnosis
from assessment.engine.funnel import Bottleneck, MetricFinding
from assessment.engine.roadmap.calendar import last_day, week_date
from assessment.engine.wording import format_number, format_rate, format_yen, role_label, unit_suffix
from assessment.i18n import context_translator, translator
from assessment.presentation.roadmap_export import later_by_phase
from assessment.presentation.view import phase_view
from assessment.vocabulary import Lang


def _severity(severity: str, lang: Lang) -> str:
    _ = translator(lang)
    return {"high": _("high"), "medium": _("medium"), "low": _("low")}.get(severity, severity)


def _provisional(diagnosis: Diagnosis, lang: Lang) -> str:
    c = diagnosis.completeness
    _ = translator(lang)
    note = _("Provisional: based on {answered} of {statements} statements ({missing} blank or 'don't know')")
    return note.format(answered=c.answered, statements=c.statements, missing=c.missing)


def _heading(title: str) -> str:
    return f"[{title}]"


def _field(label: str, value: str) -> str:
    return f"  {label}: {value}"


def _per_month(amount: str, lang: Lang) -> str:
    _ = translator(lang)
    return _("{amount} a month").format(amount=amount)


def render_text(diagnosis: Diagnosis, content: Content, lang: Lang = "ja", previous: Diagnosis | None = None) -> str:
    """Return the diagnosis as a readable text report (with the changes since ``previous`` when given)."""
    _ = translator(lang)
    pgettext = context_translator(lang)
    lines: list[str] = []
    client = diagnosis.assessment.client
    lines.append("== " + _("THE MODEL readiness diagnosis") + " ==")
    name = client.name or "-"
    if client.employees is not None:
        name = _("{name} ({employees} employees)").format(name=name, employees=client.employees)
    lines.append(pgettext("text report", "Client") + f": {name}")
    if diagnosis.completeness.provisional:
        lines.append(f"!! {_provisional(diagnosis, lang)}")
    lines += _scores(diagnosis, content, lang)
    if previous is not None:
        lines += _since(previous, diagnosis, content, lang)
    lines += _perception(diagnosis, content, lang)
    lines += _risks(diagnosis, lang)
    lines += _phase(diagnosis, content, lang)
    lines += _funnel(diagnosis, content, lang)
    lines += _roadmap(diagnosis, content, lang)
    if diagnosis.warnings:
        lines.append("")
        lines.append(_heading(_("Warnings")))
        lines += [f"  ! {warning.text(lang)}" for warning in diagnosis.warnings]
    return "\n".join(lines) + "\n"


def _scores(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[str]:
    _ = translator(lang)
    lines = ["", _heading(_("Readiness scores (out of 100)"))]
    for axis in content.checklist.axes:
        value = diagnosis.scores.of(axis.id)
        lines.append(f"  {_pad(axis.title.get(lang), 14)} {value:5.1f}  {_bar(value)}")
    overall = _("Overall")
    lines.append(f"  {_pad(overall, 14)} {diagnosis.scores.overall:5.1f}  {_bar(diagnosis.scores.overall)}")
    lines += ["", _heading(_("Gaps (no, partly, to confirm)"))]
    labels = content.checklist.answer_labels
    to_confirm = _("to confirm")
    for item in content.checklist.items:
        answer = diagnosis.assessment.answers[item.id]
        if answer == "yes":
            continue
        mark = f" ({to_confirm})" if answer == "unknown" else ""
        lines.append(f"  - [{labels[answer].get(lang)}] {item.text.get(lang)}{mark}")
    return lines


def _pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` terminal columns (a full-width character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - used, 0)


def _since(previous: Diagnosis, diagnosis: Diagnosis, content: Content, lang: Lang) -> list[str]:
    from assessment.engine.comparison import compare

    _ = translator(lang)
    pgettext = context_translator(lang)
    comparison = compare(previous, diagnosis)
    lines = ["", _heading(_("Since last time (score change)"))]
    for axis in content.checklist.axes:
        lines.append(f"  {_pad(axis.title.get(lang), 14)} {comparison.axis_deltas[axis.id]:+5.1f}")
    overall = _("Overall")
    lines.append(f"  {_pad(overall, 14)} {comparison.overall_delta:+5.1f}")
    titles = {t.id: t.title.get(lang) for t in content.tasks}
    for task_id in comparison.tasks_completed:
        lines.append(f"  ✓ {titles.get(task_id, task_id)}")
    rules = {r.id: r.title.get(lang) for r in content.rules}
    separator = pgettext("list separator", "; ")
    for label, rule_ids in (
        (_("Risks no longer raised"), comparison.risks_resolved),
        (_("Not yet resolved (the departments still see it differently)"), comparison.risks_still_disputed),
        (_("New risks"), comparison.risks_new),
    ):
        if rule_ids:
            lines.append(f"  {label}: {separator.join(rules.get(r, r) for r in rule_ids)}")
    return lines


def _bar(value: float) -> str:
    filled = round(value / 5)
    return "#" * filled + "." * (20 - filled)


def _perception(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[str]:
    perception = diagnosis.perception
    if perception is None:
        return []
    _ = translator(lang)
    labels = content.checklist.answer_labels
    counted = _("{count} respondents").format(count=perception.respondents)
    lines = ["", _heading(_("Where the departments disagree")) + f" ({counted})"]
    if not perception.gaps:
        return [*lines, "  " + _("The departments broadly agree")]
    for view in perception.gaps:
        lines.append(f"  - {content.checklist.item(view.item_id).text.get(lang)}")
        views = ", ".join(
            f"{role_label(dept, content, lang)}: {labels[answer].get(lang)}"
            for dept, answer in view.by_department.items()
        )
        lines.append(f"    {views}")
    return lines


def _risks(diagnosis: Diagnosis, lang: Lang) -> list[str]:
    _ = translator(lang)
    lines = ["", _heading(_("Failure risks"))]
    if diagnosis.completeness.provisional and diagnosis.findings:
        lines.append(f"  !! {_provisional(diagnosis, lang)}")
    if not diagnosis.findings:
        return [*lines, "  " + _("No failure pattern is raised")]
    countermeasure = _("Countermeasure")
    for finding in diagnosis.findings:
        tag = _severity(finding.severity, lang)
        if not finding.confirmed:
            tag = _("{severity}, to confirm").format(severity=tag)
        lines.append(f"  ● {finding.title.get(lang)} [{tag}]")
        lines.append(f"    {finding.explanation.get(lang)}")
        lines.append(f"    → {countermeasure}: {finding.countermeasure.get(lang)}")
    return lines


def _phase(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[str]:
    _ = translator(lang)
    pgettext = context_translator(lang)
    phase = phase_view(diagnosis, content, lang, _)  # the same words as the web page and the PDF
    lines = ["", _heading(_("Organisation phase"))]
    lines.append(_field(pgettext("text report", "Now"), phase["current"]))
    if phase["by_size"] is not None:
        lines.append(_field(_("Fits your size"), phase["by_size"]))
    if phase["holds"]:
        lines.append(_field(_("Make the current phase work"), phase["recommended"]))
    else:
        lines.append(_field(_("Aim for next"), phase["recommended"]))
        lines.append(f"    {phase['recommended_structure']}")
    for advice in phase["advice"]:
        lines.append("    " + _("- {advice}").format(advice=advice))
    stages = {s.id: s for s in content.organisation.bpr_stages}
    bpr = diagnosis.bpr
    where = _("All stages complete") if bpr.stage is None else f"{bpr.index}. {stages[bpr.stage].title.get(lang)}"
    lines.append(_field(_("Where the BPR stands"), where))
    return lines


def _funnel(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[str]:
    funnel = diagnosis.funnel
    _ = translator(lang)
    lines = ["", _heading(_("Funnel against benchmarks"))]
    if not diagnosis.assessment.funnel:
        return [*lines, "  " + _("No funnel figures were given")]
    lines += _data_quality(diagnosis, lang)
    titles = {b.metric: b.title.get(lang) for b in content.benchmarks.benchmarks}
    for f in funnel.findings:
        if f.value is None and f.problem is None:
            continue
        unit = unit_suffix(f.unit, lang)
        flag = "!" if f.concern else (" " if f.problem is None else "x")
        judged = _("not judged: figures contradict") if f.problem is not None else _benchmark(f, unit, lang)
        if funnel.data_quality.to_check(f.metric):
            judged = _("{judgement}, to check").format(judgement=judged)
        value = "–" if f.value is None else f"{format_number(f.value)}{unit}"
        lines.append(f" {flag} {titles[f.metric]}: {value}  ({judged})")
    if funnel.bottleneck:
        departments = {d.id: d.title.get(lang) for d in content.survey.departments}
        b = funnel.bottleneck
        label = (
            _("Bottleneck")
            if b.below_benchmark
            else _("Every stage's key figure is within its benchmark; least headroom")
        )
        unit = unit_suffix(next((m.unit for m in funnel.findings if m.metric == b.metric), ""), lang)
        lines.append(f"  {label}: {departments[b.stage]} ({titles[b.metric]}: {_against_limit(b, unit, lang)})")
    lines += _revenue_lines(diagnosis, content, lang)
    return lines


def _data_quality(diagnosis: Diagnosis, lang: Lang) -> list[str]:
    quality = diagnosis.funnel.data_quality
    if not quality.problems:
        return []
    _ = translator(lang)
    if quality.invalid:
        summary = _(
            "The figures contradict each other, so no rate is judged on them and no bottleneck, revenue formula, "
            "required leads or lever is worked out"
        )
    else:
        summary = _("These figures are possible but rare: check them before relying on the analysis")
    lines = [f"  !! {summary}"]
    lines += [f"     - {problem.message(lang)}" for problem in quality.problems]
    return lines


def _against_limit(bottleneck: Bottleneck, unit: str, lang: Lang) -> str:
    """The bottleneck's figure against the limit it misses: a ceiling for churn, a floor for a conversion."""
    times = format_number(bottleneck.times_limit, 2)
    value, limit = f"{format_number(bottleneck.value)}{unit}", f"{format_number(bottleneck.limit)}{unit}"
    _ = translator(lang)
    if not bottleneck.below_benchmark:  # within its range: the limit it is closest to, not a multiple of it
        if bottleneck.bound == "max":
            return _("{value} (ceiling {limit})").format(value=value, limit=limit)
        return _("{value} (floor {limit})").format(value=value, limit=limit)
    if bottleneck.bound == "max":
        return _("{value}, {times} times the {limit} ceiling").format(value=value, times=times, limit=limit)
    return _("{value}, {times} times the {limit} floor").format(value=value, times=times, limit=limit)


def _revenue_lines(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[str]:
    funnel = diagnosis.funnel
    revenue = funnel.revenue
    _ = translator(lang)
    lines = []
    count = unit_suffix("count", lang)
    if revenue is not None and revenue.monthly_revenue is not None:
        # the factors, named so the lead-to-opportunity rate is not read as MQL->SQL
        labels = [_("leads"), _("lead→opportunity"), _("win rate"), _("deal size")]
        values = [
            f"{format_number(revenue.leads)}{count}" if revenue.leads is not None else "?",
            format_rate(revenue.conversion_to_opportunity) if revenue.conversion_to_opportunity is not None else "?",
            format_rate(revenue.win_rate) if revenue.win_rate is not None else "?",
            format_yen(revenue.average_deal_size or 0, lang),
        ]
        factors = [f"{label} {value}" for label, value in zip(labels, values, strict=True)]
        total = _per_month(format_yen(revenue.monthly_revenue, lang), lang)
        lines.append(_field(_("Revenue formula (monthly)"), f"{' × '.join(factors)} = {total}"))
    lines += _retention_lines(diagnosis, lang)
    if funnel.required_leads is not None:
        needed = f"{format_number(funnel.required_leads)}{count}"
        lines.append(_field(_("Leads per month needed for the target"), needed))
    if funnel.levers:
        lines.append("  " + _("Levers, by effect on monthly revenue") + ":")
        titles = {b.metric: b.title.get(lang) for b in content.benchmarks.benchmarks}
        names = {**titles, **{v.figure: v.title.get(lang) for v in content.benchmarks.volume_levers}}
        for lever in funnel.levers:
            added = "+" + _per_month(format_yen(lever.added_revenue, lang), lang)
            before, after = (_lever_value(lever.factor, v, lang) for v in (lever.current, lever.target))
            change = f"{before} → {after}"
            if lever.after_12_months is not None:
                change = _("{change} (recurring revenue +{amount} a month a year on)").format(
                    change=change, amount=format_yen(lever.after_12_months, lang)
                )
            lines.append(f"    {added}  {names.get(lever.factor, lever.factor)} {change}")
    return lines


def _retention_lines(diagnosis: Diagnosis, lang: Lang) -> list[str]:
    """The existing customers beside new business, when the recurring revenue is given."""
    retention = diagnosis.funnel.retention
    if retention is None:
        return []
    _ = translator(lang)
    pgettext = context_translator(lang)
    parts = [_("recurring revenue {mrr}").format(mrr=_per_month(format_yen(retention.recurring_revenue, lang), lang))]
    if retention.churned_per_month is not None:
        lost = _per_month(format_yen(retention.churned_per_month, lang), lang)
        parts.append(_("lost to churn {lost}").format(lost=lost))
    if retention.net_growth is not None and retention.new_bookings is not None:
        parts.append(
            _("new bookings {new} − churn {lost} = net {net}").format(
                new=format_yen(retention.new_bookings, lang),
                lost=format_yen(retention.churned_per_month or 0, lang),
                net=_per_month(format_yen(retention.net_growth, lang), lang),
            )
        )
    separator = pgettext("list separator", "; ")
    return [_field(_("Existing customers (monthly)"), separator.join(parts))]


def _lever_value(factor: str, value: float, lang: Lang) -> str:
    if factor == "average_deal_size":
        return format_yen(value, lang)
    if factor == "leads":
        return f"{format_number(round(value))}{unit_suffix('count', lang)}"
    return format_rate(value)


def _benchmark(finding: MetricFinding, unit: str, lang: Lang) -> str:
    _ = translator(lang)
    if finding.min is None and finding.max is None:
        return _("no benchmark")
    if finding.min is None:
        bounds = f"≤{format_number(finding.max or 0)}{unit}"
    elif finding.max is None:
        bounds = f"≥{format_number(finding.min)}{unit}"
    else:
        bounds = f"{format_number(finding.min)}–{format_number(finding.max)}{unit}"
    if finding.good_side == "lower" and finding.status == "above":
        return f"{bounds}: " + _("over the limit")
    status = {"below": _("below"), "within": _("within"), "above": _("above")}[finding.status or "within"]
    return f"{bounds}: {status}"


def _roadmap(diagnosis: Diagnosis, content: Content, lang: Lang) -> list[str]:
    plan = diagnosis.plan
    owners = {owner.id: owner.title.get(lang) for owner in content.survey.owners}
    _ = translator(lang)
    pgettext = context_translator(lang)
    total = _("{weeks} weeks").format(weeks=plan.total_weeks)
    lines = ["", _heading(_("Implementation roadmap")) + f" {total}"]
    critical = _("critical path")
    for t in plan.scheduled:
        weeks = f"W{t.start_week}–W{t.end_week}"
        if plan.start is not None:
            first, last = week_date(plan.start, t.start_week or 0), last_day(plan.start, t.end_week or 0)
            weeks = f"{first.isoformat()}–{last.isoformat()}"
        crit = f"  *{critical}" if t.critical else ""
        lines.append(f"  {weeks:<9} {t.title.get(lang)} [{owners.get(t.owner, t.owner)}]{crit}")
    later = later_by_phase(plan, content, lang)
    if later:
        lines.append("  " + pgettext("text report", "Later phases (not scheduled in this plan)") + ":")
        separator = pgettext("list separator", "; ")
        lines += [f"    {group['phase']}: {separator.join(group['tasks'])}" for group in later]
    done = _("done")
    lines += [f"  ✓ {t.title.get(lang)} ({done})" for t in plan.tasks if t.status == "done"]
    return lines
