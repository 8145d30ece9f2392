"""The diagnosis as plain text for a terminal: a layout of the view the web results and the PDF show.

Every figure, status word, content label and sentence comes from :func:`build_view` (and :func:`since_last`
for the change since the last round), so the terminal says what the client reads in the PDF. This module
adds only the layout: headings and field names, indentation, score bars and column padding.
"""

from __future__ import annotations

import unicodedata

from assessment.content.model import Content
from assessment.engine.diagnosis import Diagnosis
from assessment.i18n import context_translator, translator
from assessment.presentation.view import SinceLast, View, build_view, since_last
from assessment.presentation.view.funnel import FunnelView
from assessment.presentation.view.perception import PerceptionView
from assessment.presentation.view.roadmap import RoadmapView
from assessment.vocabulary import Lang


def render_text(diagnosis: Diagnosis, content: Content, lang: Lang = "ja", previous: Diagnosis | None = None) -> str:
    """Return the diagnosis as a readable text report (with the changes since ``previous`` when given)."""
    _ = translator(lang)
    view = build_view(diagnosis, content, lang, _)
    lines = _title(view, lang)
    lines += _scores(view, lang)
    if previous is not None:
        lines += _since(since_last(previous, diagnosis, content, lang), lang)
    lines += _perception(view["perception"], lang)
    lines += _risks(view, lang)
    lines += _phase(view, lang)
    lines += _funnel(view["funnel"], lang)
    lines += _roadmap(view["roadmap"], lang)
    if view["appendix"]["warnings"]:
        lines += ["", _heading(_("Warnings"))]
        lines += [f"  ! {warning}" for warning in view["appendix"]["warnings"]]
    return "\n".join(lines) + "\n"


def _heading(title: str) -> str:
    return f"[{title}]"


def _field(label: str, value: str) -> str:
    return f"  {label}: {value}"


def _pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` terminal columns (a full-width character takes two)."""
    return text + " " * max(width - _columns(text), 0)


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _bar(value: float) -> str:
    filled = round(value / 5)
    return "#" * filled + "." * (20 - filled)


def _title(view: View, lang: Lang) -> list[str]:
    _ = translator(lang)
    pgettext = context_translator(lang)
    client = view["client"]
    name = client.name or "-"
    if client.employees is not None:
        name = _("{name} ({employees} employees)").format(name=name, employees=client.employees)
    lines = [
        "== " + _("THE MODEL readiness diagnosis") + " ==",
        pgettext("text report", "Client") + f": {name}",
    ]
    if view["completeness"]["provisional"]:
        lines.append(f"!! {view['completeness']['note']}")
    return lines


def _scores(view: View, lang: Lang) -> list[str]:
    _ = translator(lang)
    scores = view["scores"]
    lines = ["", _heading(_("Readiness scores (out of 100)"))]
    rows = [(axis["title"], axis["score"]) for axis in scores["axes"]] + [(_("Overall"), scores["overall"])]
    lines += [f"  {_pad(title, 14)} {score:5.1f}  {_bar(score)}" for title, score in rows]
    lines += ["", _heading(_("Gaps (no, partly, to confirm)"))]
    to_confirm = _("to confirm")
    for axis in view["checklist"]:
        for item in axis["items"]:
            if item["answer"] != "yes":
                mark = f" ({to_confirm})" if item["answer"] == "unknown" else ""
                lines.append(f"  - [{item['answer_label']}] {item['text']}{mark}")
    return lines


def _since(since: SinceLast, lang: Lang) -> list[str]:
    _ = translator(lang)
    pgettext = context_translator(lang)
    separator = pgettext("list separator", "; ")
    lines = ["", _heading(_("Since last time (score change)"))]
    rows = [(axis["title"], axis["change"]) for axis in since["axes"]] + [(_("Overall"), since["overall"]["change"])]
    lines += [f"  {_pad(title, 14)} {change:>5}" for title, change in rows]
    lines += [f"  ✓ {title}" for title in since["tasks_completed"]]
    lines += [
        f"  {change['icon']} {change['number']}. {change['text']}: {change['before']} → {change['after']}"
        f" ({change['verdict']})"
        for change in since["items"]
    ]
    for label, titles in (
        (_("Risks no longer raised"), since["risks_resolved"]),
        (_("Not yet resolved (the departments still see it differently)"), since["risks_still_disputed"]),
        (_("New risks"), since["risks_new"]),
    ):
        if titles:
            lines.append(f"  {label}: {separator.join(titles)}")
    if since["funnel"]:
        lines += ["", _heading(_("Funnel KPIs, before and after"))]
        width = max(_columns(row["title"]) for row in since["funnel"])
        lines += [
            f"  {row['icon']} {_pad(row['title'], width)}  {row['before']} → {row['after']}"
            f"  ({row['delta']}, {row['verdict']})"
            for row in since["funnel"]
        ]
    return lines


def _perception(perception: PerceptionView | None, lang: Lang) -> list[str]:
    if perception is None:
        return []
    _ = translator(lang)
    counted = _("{count} respondents").format(count=perception["respondents"])
    lines = ["", _heading(_("Where the departments disagree")) + f" ({counted})"]
    if not perception["gaps"]:
        return [*lines, "  " + _("The departments broadly agree on every item.")]
    for gap in perception["gaps"]:
        lines.append(f"  - {gap['text']}")
        lines.append("    " + ", ".join(f"{view['department']}: {view['label']}" for view in gap["views"]))
    return lines


def _risks(view: View, lang: Lang) -> list[str]:
    _ = translator(lang)
    lines = ["", _heading(_("Failure risks"))]
    if not view["risks"]:
        return [*lines, "  " + _("None of the known failure patterns is raised by your answers.")]
    if view["completeness"]["provisional"]:
        lines.append(f"  !! {view['completeness']['note']}")
    evidence, countermeasure = _("Evidence"), _("Countermeasure")
    for risk in view["risks"]:
        tag = risk["severity_label"]
        if not risk["confirmed"]:
            tag = _("{severity}, to confirm").format(severity=tag)
        lines += [f"  ● {risk['title']} [{tag}]", f"    {risk['explanation']}", f"    {evidence}:"]
        lines += [f"      - [{fact['value']}] {fact['label']}" for fact in risk["evidence"]]
        lines.append(f"    → {countermeasure}: {risk['countermeasure']}")
    return lines


def _phase(view: View, lang: Lang) -> list[str]:
    _ = translator(lang)
    pgettext = context_translator(lang)
    phase = view["phase"]
    lines = [
        "",
        _heading(_("Organisation phase")),
        _field(pgettext("text report", "Now"), phase["current"]),
    ]
    if phase["by_size"] is not None:
        lines.append(_field(_("Fits your size"), phase["by_size"]))
    if phase["holds"]:
        lines.append(_field(_("Make the current phase work"), phase["recommended"]))
    else:
        lines += [_field(_("Aim for next"), phase["recommended"]), f"    {phase['recommended_structure']}"]
    lines += ["    " + _("- {advice}").format(advice=advice) for advice in phase["advice"]]
    current = [
        f"{number}. {stage['title']}" for number, stage in enumerate(view["bpr"], 1) if stage["state"] == "current"
    ]
    lines.append(_field(_("Where the BPR stands"), current[0] if current else _("All stages complete")))
    return lines


def _funnel(funnel: FunnelView, lang: Lang) -> list[str]:
    _ = translator(lang)
    lines = ["", _heading(_("Funnel against benchmarks"))]
    if not funnel["has_figures"]:
        none = _(
            "No funnel figures were given, so conversion, the bottleneck and the revenue formula cannot be worked "
            "out yet. Measuring the monthly volume of each stage is the first step of the current-state analysis."
        )
        return [*lines, f"  {none}"]
    lines += _data_quality(funnel, lang)
    for row in funnel["rows"]:
        flag = "!" if row["concern"] else ("x" if row["problem"] else " ")
        position = f"{row['benchmark']}: {row['status']}" if row["benchmarked"] else row["status"]
        lines.append(f" {flag} {row['title']}: {row['value']}  ({position})")
        if row["basis"]:
            lines.append(f"     {row['basis']}")
    bottleneck = funnel["bottleneck"]
    if bottleneck is not None:
        label = _("Bottleneck") if bottleneck["below"] else _("Stage with the least headroom")
        said = f"{bottleneck['department']} — {bottleneck['metric']}: {bottleneck['sentence']}"
        lines.append(_field(label, said))
    return lines + _money(funnel, lang)


def _data_quality(funnel: FunnelView, lang: Lang) -> list[str]:
    quality = funnel["quality"]
    if not quality["problems"]:
        return []
    _ = translator(lang)
    if quality["invalid"]:
        summary = _(
            "The figures contradict each other, so no rate is judged on them and no bottleneck, revenue formula, "
            "required leads or lever is worked out. Check these first:"
        )
    else:
        summary = _("Some figures are possible but rare. Check them before relying on the analysis below:")
    return [f"  !! {summary}", *(f"     - {problem}" for problem in quality["problems"])]


def _money(funnel: FunnelView, lang: Lang) -> list[str]:
    """The revenue formula, the existing customers beside it, the leads the target needs and the levers."""
    _ = translator(lang)
    per_month = _("{amount} a month")
    lines = []
    revenue = funnel["revenue"]
    if revenue is not None:
        # the factors, named so the lead-to-opportunity rate is not read as MQL->SQL
        labels = [_("leads"), _("lead→opportunity"), _("win rate"), _("deal size")]
        values = [revenue["leads"], revenue["conversion"], revenue["win_rate"], revenue["deal"]]
        factors = " × ".join(f"{label} {value}" for label, value in zip(labels, values, strict=True))
        lines.append(
            _field(_("Revenue formula (monthly)"), f"{factors} = {per_month.format(amount=revenue['monthly'])}")
        )
        if revenue["target"] is not None:
            attained = _("Against a monthly target of %(target)s, this is %(pct)s%% of the target.")
            lines.append("    " + attained % {"target": revenue["target"], "pct": revenue["attainment"]})
    lines += _retention(funnel, lang)
    if funnel["required_leads"] is not None:
        needed = _("To reach the monthly target with today's conversion rates you need about %(n)s leads a month.")
        lines.append("  " + needed % {"n": funnel["required_leads"]})
    if funnel["levers"]:
        lines.append("  " + _("Improvement levers, by what they add to monthly revenue") + ":")
    for lever in funnel["levers"]:
        change = f"{lever['from']} → {lever['to']}"
        if lever["a_year_on"] is not None:
            change = _("{change} (recurring revenue +{amount} a month a year on)").format(
                change=change, amount=lever["a_year_on"]
            )
        lines.append(f"    +{per_month.format(amount=lever['added'])}  {lever['title']} {change}")
    return lines


def _retention(funnel: FunnelView, lang: Lang) -> list[str]:
    """The existing customers beside new business, when the recurring revenue is given."""
    retention = funnel["retention"]
    if retention is None:
        return []
    _ = translator(lang)
    per_month = _("{amount} a month")
    parts = [_("recurring revenue {mrr}").format(mrr=per_month.format(amount=retention["recurring"]))]
    if retention["churned"] is not None:
        parts.append(_("lost to churn {lost}").format(lost=per_month.format(amount=retention["churned"])))
    if retention["net"] is not None:
        equation = _("new bookings {new} − churn {lost} = net {net}")
        net = per_month.format(amount=retention["net"])
        parts.append(equation.format(new=retention["new"], lost=retention["churned"], net=net))
    pgettext = context_translator(lang)
    separator = pgettext("list separator", "; ")
    return [_field(_("Existing customers (monthly)"), separator.join(parts))]


def _roadmap(roadmap: RoadmapView, lang: Lang) -> list[str]:
    _ = translator(lang)
    pgettext = context_translator(lang)
    separator = pgettext("list separator", "; ")
    total = _("{weeks} weeks").format(weeks=roadmap["total_weeks"])
    lines = ["", _heading(_("Implementation roadmap")) + f" {total}"]
    critical = "  *" + _("critical path")
    width = max((_columns(task["span"]) for task in roadmap["tasks"]), default=0)
    for task in roadmap["tasks"]:
        mark = critical if task["critical"] else ""
        lines.append(f"  {_pad(task['span'], width)} {task['title']} [{task['owner']}]{mark}")
    if roadmap["later"]:
        lines.append("  " + _("Later phases (not scheduled in this plan)") + ":")
        lines += [f"    {group['phase']}: {separator.join(group['tasks'])}" for group in roadmap["later"]]
    done = _("done")
    lines += [f"  ✓ {title} ({done})" for title in roadmap["done"]]
    return lines
