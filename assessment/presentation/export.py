"""The diagnosis as plain data (for JSON and for tools), in the reader's language."""

from __future__ import annotations

from datetime import date
from typing import Any

from assessment.content.catalogue import fact_label
from assessment.content.model import Content
from assessment.engine.data_quality import DataQuality
from assessment.engine.diagnosis import Diagnosis
from assessment.engine.funnel import FunnelAnalysis
from assessment.engine.roadmap.calendar import last_day, week_date
from assessment.engine.roadmap.plan import Plan
from assessment.engine.wording import describe_value
from assessment.vocabulary import Lang

# 2: funnel.data_quality and completeness; funnel.revenue, required_volumes and levers are null when the
# figures cannot be true; each failure pattern says whether it is confirmed and labels its evidence.
# Additions within /2: funnel.retention (null unless the monthly recurring revenue is given), and each lever's
# kind (new | retention) and after_12_months (retention levers: how much larger the recurring revenue is a
# year on); roadmap tasks' horizon, phase, dates and effort.
SCHEMA = "readiness.diagnosis/2"


def diagnosis_to_dict(diagnosis: Diagnosis, content: Content, lang: Lang = "ja") -> dict[str, Any]:
    """Return the whole diagnosis as JSON-ready data."""
    assessment = diagnosis.assessment
    phases = {phase.number: phase for phase in content.organisation.phases}
    scores = {axis.axis: axis.score for axis in diagnosis.scores.axes}
    scores["overall"] = diagnosis.scores.overall
    return {
        "schema": SCHEMA,
        "lang": lang,
        "content_fingerprint": content.fingerprint,
        "client": {
            "name": assessment.client.name,
            "employees": assessment.client.employees,
            "industry": assessment.client.industry,
        },
        "scores": scores,
        "completeness": {
            "answered": diagnosis.completeness.answered,
            "statements": diagnosis.completeness.statements,
            "missing": diagnosis.completeness.missing,
            "provisional": diagnosis.completeness.provisional,
        },
        "items": [
            {
                "id": item.id,
                "axis": item.axis,
                "text": item.text.get(lang),
                "weight": item.weight,
                "answer": assessment.answers[item.id],
                "answer_label": content.checklist.answer_labels[assessment.answers[item.id]].get(lang),
                "gap": assessment.answers[item.id] != "yes",
                "to_confirm": assessment.answers[item.id] == "unknown",
                "comment": assessment.comments.get(item.id, ""),
            }
            for item in content.checklist.items
        ],
        "failure_patterns": [
            {
                "id": finding.rule_id,
                "severity": finding.severity,
                "title": finding.title.get(lang),
                "cause": finding.cause.get(lang),
                "explanation": finding.explanation.get(lang),
                "evidence": [
                    {
                        "fact": o.fact,
                        "label": fact_label(o.fact, content, lang),
                        "value": o.value,
                        "value_label": describe_value(o.fact, o.value, content, lang),
                        "op": o.op,
                        "expected": _plain(o.expected),
                        "matched": o.result,
                    }
                    for o in finding.evidence
                ],
                "countermeasure": finding.countermeasure.get(lang),
                "addressed_by": list(finding.addressed_by),
                "strength": finding.strength,
                "confirmed": finding.confirmed,
                "provisional": diagnosis.completeness.provisional,
            }
            for finding in diagnosis.findings
        ],
        "phase": {
            "current": diagnosis.phase.current,
            "by_size": diagnosis.phase.by_size,
            "recommended": diagnosis.phase.recommended,
            "current_title": phases[diagnosis.phase.current].title.get(lang),
            "recommended_title": phases[diagnosis.phase.recommended].title.get(lang),
            "advice": list(diagnosis.phase.advice),
            "separate_inside_sales": diagnosis.phase.separate_inside_sales,
        },
        "bpr": {
            "stage": diagnosis.bpr.stage,
            "index": diagnosis.bpr.index,
            "completed": list(diagnosis.bpr.completed),
        },
        "funnel": funnel_to_dict(diagnosis.funnel, content, lang),
        "roadmap": plan_to_dict(diagnosis.plan, content, lang),
        "kpi_targets": None
        if diagnosis.kpi_targets is None
        else [
            {
                "department": t.department,
                "kpi": t.kpi,
                "unit": t.unit,
                "now": t.now,
                "target": t.target,
                "ramp": list(t.ramp),
            }
            for t in diagnosis.kpi_targets.targets
        ],
        "perception": perception_to_dict(diagnosis),
        "warnings": [warning.as_dict(lang) for warning in diagnosis.warnings],
    }


def perception_to_dict(diagnosis: Diagnosis) -> dict[str, Any] | None:
    """The workshop aggregation: per-item views by department, the proposed consensus and the gaps."""
    perception = diagnosis.perception
    if perception is None:
        return None
    return {
        "respondents": perception.respondents,
        "departments": list(perception.departments),
        "gaps": [view.item_id for view in perception.gaps],
        "items": [
            {
                "id": view.item_id,
                "distribution": dict(view.distribution),
                "by_department": dict(view.by_department),
                "consensus": view.consensus,
                "gap": view.gap,
            }
            for view in perception.items
        ],
    }


def funnel_to_dict(funnel: FunnelAnalysis, content: Content, lang: Lang) -> dict[str, Any]:
    """Return the funnel analysis as JSON-ready data (derived figures are null when the figures cannot be true)."""
    titles = {b.metric: b.title.get(lang) for b in content.benchmarks.benchmarks}
    titles.update({v.figure: v.title.get(lang) for v in content.benchmarks.volume_levers})
    revenue = funnel.revenue
    bottleneck = funnel.bottleneck
    derived = funnel.derived
    return {
        "data_quality": data_quality_to_dict(funnel.data_quality, lang),
        "rates": {metric: round(value, 2) for metric, value in funnel.metrics.items()},
        "findings": [
            {
                "metric": f.metric,
                "title": titles[f.metric],
                "value": None if f.value is None else round(f.value, 2),
                "benchmark": {"min": f.min, "max": f.max, "ideal": f.ideal, "unit": f.unit},
                "status": f.status,
                "concern": f.concern,
                "stage": f.stage,
                "problem": None if f.problem is None else {"code": f.problem.code, "message": f.problem.message(lang)},
            }
            for f in funnel.findings
        ],
        "bottleneck": None
        if bottleneck is None
        else {
            "stage": bottleneck.stage,
            "metric": bottleneck.metric,
            "value": round(bottleneck.value, 2),
            "ratio_to_benchmark": bottleneck.ratio_to_benchmark,
            "below_benchmark": bottleneck.below_benchmark,
            "bound": bottleneck.bound,
            "limit": bottleneck.limit,
            "times_limit": bottleneck.times_limit,
        },
        "revenue": None
        if revenue is None
        else {
            "leads": revenue.leads,
            "conversion_to_opportunity": revenue.conversion_to_opportunity,
            "win_rate": revenue.win_rate,
            "lead_to_win": revenue.lead_to_win,
            "average_deal_size": revenue.average_deal_size,
            "monthly_revenue": revenue.monthly_revenue,
            "monthly_revenue_target": revenue.monthly_revenue_target,
        },
        "required_volumes": dict(funnel.required) if derived else None,
        "required_leads": funnel.required_leads,
        "levers": None
        if not derived
        else [
            {
                "factor": lever.factor,
                "title": titles.get(lever.factor, lever.factor),
                "current": round(lever.current, 2),
                "target": lever.target,
                "added_revenue": lever.added_revenue,
                "kind": lever.kind,
                "after_12_months": lever.after_12_months,
            }
            for lever in funnel.levers
        ],
        "retention": None
        if funnel.retention is None
        else {
            "recurring_revenue": funnel.retention.recurring_revenue,
            "monthly_churn_rate": funnel.retention.churn_rate,
            "churned_per_month": funnel.retention.churned_per_month,
            "new_bookings": funnel.retention.new_bookings,
            "net_growth": funnel.retention.net_growth,
        },
    }


def data_quality_to_dict(quality: DataQuality, lang: Lang) -> dict[str, Any]:
    """The verdict on the figures and every problem, each with the figures it concerns and a message."""
    return {
        "status": quality.status,
        "problems": [
            {"code": p.code, "metrics": list(p.metrics), "invalid": p.invalid, "message": p.message(lang)}
            for p in quality.problems
        ],
    }


def plan_to_dict(plan: Plan, content: Content, lang: Lang) -> dict[str, Any]:
    """Return the roadmap as JSON-ready data."""
    owners = {owner.id: owner.title.get(lang) for owner in content.survey.owners}
    return {
        "start_date": plan.start.isoformat() if plan.start else None,
        "end_date": last_day(plan.start, plan.total_weeks).isoformat() if plan.start and plan.total_weeks else None,
        "total_weeks": plan.total_weeks,
        "effort_days": {"by_owner": plan.effort_by_owner(), "by_month": plan.effort_by_month()},
        "critical_path": list(plan.critical_path),
        "tasks": [
            {
                "id": t.id,
                "title": t.title.get(lang),
                "owner": t.owner,
                "owner_title": owners.get(t.owner, t.owner),
                "lane": t.lane,
                "weeks": t.weeks,
                "status": t.status,
                "depends_on": list(t.depends_on),
                "establishes": list(t.establishes),
                "start_week": t.start_week,
                "end_week": t.end_week,
                "critical": t.critical,
                "addresses": list(t.addresses),
                "to_confirm": t.to_confirm,
                "phase": t.phase,
                "horizon": t.horizon if t.status == "pending" else None,
                "effort_days": t.effort_days,
                "outside_support": t.outside_support,
                "start_date": _date(plan.start, t.start_week),
                "end_date": None
                if plan.start is None or t.end_week is None
                else last_day(plan.start, t.end_week).isoformat(),
            }
            for t in plan.tasks
        ],
    }


def _date(start: date | None, week: int | None) -> str | None:
    return None if start is None or week is None else week_date(start, week).isoformat()


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def comparison_to_dict(previous: Diagnosis, current: Diagnosis) -> dict[str, Any]:
    """What changed since the previous assessment, as JSON-ready data."""
    from assessment.engine.comparison import compare

    comparison = compare(previous, current)
    return {
        "overall_delta": comparison.overall_delta,
        "axis_deltas": comparison.axis_deltas,
        "item_changes": [
            {"id": c.item_id, "before": c.before, "after": c.after, "improved": c.improved}
            for c in comparison.item_changes
        ],
        "tasks_completed": list(comparison.tasks_completed),
        "risks_resolved": list(comparison.risks_resolved),
        "risks_new": list(comparison.risks_new),
        "risks_still_disputed": list(comparison.risks_still_disputed),
        "funnel": [
            {"kpi": c.kpi, "before": c.before, "after": c.after, "delta": c.delta, "trend": c.trend}
            for c in comparison.funnel
        ],
    }
