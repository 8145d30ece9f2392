"""Every failure pattern fires on a case built for it and stays silent on its near miss."""

from __future__ import annotations

from typing import Any

import pytest

from tests.core.builders import DELETE, build, raised, run

FIRES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "silo",
        "two links missing",
        {"checklist.org.baton_meeting": "no", "checklist.org.handoff_rules": "unknown"},
    ),
    ("lead_quality", "no MQL definition", {"checklist.org.mql_definition": "no"}),
    ("lead_quality", "SQL definition unknown", {"checklist.org.sql_definition": "unknown"}),
    (
        "lead_quality",
        "partial definitions and weak conversion",
        {"checklist.org.mql_definition": "partial", "survey.funnel.sqls": 30},
    ),
    (
        "no_tooling",
        "spreadsheets, SFA only planned",
        {"survey.tools.spreadsheet": True, "survey.tools.sfa": "planned"},
    ),
    (
        "no_tooling",
        "no SFA and no plan",
        {"survey.tools.sfa": "none", "checklist.tools.sfa_plan": "no", "survey.tools.spreadsheet": DELETE},
    ),
    (
        "big_bang",
        "two phases behind its size",
        {
            "survey.departments": {"marketing": "shared", "inside_sales": "none", "field_sales": "dedicated"},
            "checklist.org.baton_meeting": "no",
        },
    ),
    (
        "big_bang",
        "both tools at once before the design",
        {
            "survey.tools.ma": "planned",
            "survey.tools.sfa": "planned",
            "checklist.org.sql_definition": "partial",
        },
    ),
    ("hollow_roles", "inside sales without measured SQLs", {"survey.funnel.sqls": DELETE}),
    (
        "hollow_roles",
        "customer success without churn or NRR",
        {"survey.funnel.monthly_churn_rate": DELETE, "survey.funnel.nrr": DELETE},
    ),
    ("data_silo", "MA and SFA without integration", {"checklist.tools.ma_sfa_integration": "no"}),
    ("data_silo", "a tool without one customer master", {"checklist.data.customer_master": "unknown"}),
    ("handoff_friction", "KPIs but vague hand-offs", {"checklist.org.handoff_rules": "partial"}),
    ("handoff_friction", "slow first response", {"survey.funnel.lead_response_hours": 30}),
    (
        "tools_without_bpr",
        "tools in use, design incomplete, no logging rules",
        {"checklist.org.handoff_rules": "partial", "checklist.data.activity_logging": "partial"},
    ),
    ("formal_division", "four teams, no sponsorship", {"checklist.org.exec_sponsorship": "no"}),
    ("formal_division", "a separate inside-sales team below 30 people", {"client.employees": 20}),
    (
        "lead_quality",
        "definitions written, but inside sales accepts few MQLs",
        {"survey.funnel.sqls": 10, "survey.funnel.opportunities": 8, "survey.funnel.wins": 2},
    ),
    (
        "lead_quality",
        "an MQL definition only partly written down is vague",
        {"checklist.org.mql_definition": "partial"},
    ),
    (
        "lead_quality",
        "an SQL definition only partly written down is vague",
        {"checklist.org.sql_definition": "partial"},
    ),
    (
        "thin_aftercare",
        "no customer success, churn above 1%",
        {"survey.departments.customer_success": "none", "survey.funnel.monthly_churn_rate": 2.5},
    ),
    (
        "thin_aftercare",
        "customer success shared, NRR below 100%",
        {"survey.departments.customer_success": "shared", "survey.funnel.nrr": 92},
    ),
]

NEAR_MISSES: list[tuple[str, str, dict[str, Any]]] = [
    ("silo", "only one link missing", {"checklist.org.baton_meeting": "no"}),
    (
        "silo",
        "links missing but no split yet",
        {
            "checklist.org.baton_meeting": "no",
            "checklist.org.handoff_rules": "no",
            "survey.departments": {"marketing": "shared"},
        },
    ),
    ("lead_quality", "definitions written, healthy conversion", {}),
    ("no_tooling", "spreadsheets beside a running SFA", {"survey.tools.spreadsheet": True}),
    (
        "big_bang",
        "one phase behind its size",
        {"client.employees": 60, "survey.departments": {"marketing": "shared", "field_sales": "dedicated"}},
    ),
    ("big_bang", "only one tool planned", {"survey.tools.ma": "planned"}),
    ("hollow_roles", "inside sales with its numbers", {}),
    ("hollow_roles", "customer success with NRR only", {"survey.funnel.monthly_churn_rate": DELETE}),
    ("data_silo", "integration partly designed", {"checklist.tools.ma_sfa_integration": "partial"}),
    (
        "handoff_friction",
        "no KPIs at all yet",
        {"checklist.org.handoff_rules": "partial", "checklist.org.kpis_defined": "no"},
    ),
    ("handoff_friction", "first response at the 24-hour limit", {"survey.funnel.lead_response_hours": 24}),
    (
        "tools_without_bpr",
        "design incomplete, operations in place",
        {"checklist.org.handoff_rules": "partial"},
    ),
    ("tools_without_bpr", "operating gap, design complete", {"checklist.data.activity_logging": "partial"}),
    (
        "tools_without_bpr",
        "gaps, but no tool in use",
        {
            "checklist.org.handoff_rules": "partial",
            "checklist.data.activity_logging": "partial",
            "survey.tools.ma": "planned",
            "survey.tools.sfa": "planned",
        },
    ),
    ("formal_division", "sponsorship partly there", {"checklist.org.exec_sponsorship": "partial"}),
    ("formal_division", "a separate inside-sales team at 30 people", {"client.employees": 30}),
    ("thin_aftercare", "no customer success, customers kept", {"survey.departments.customer_success": "none"}),
    (
        "thin_aftercare",
        "a customer-success team, churn high (hollow_roles' ground, not this)",
        {"survey.funnel.monthly_churn_rate": 2.5},
    ),
    (
        "thin_aftercare",
        "no customer success, churn not given",
        {
            "survey.departments.customer_success": "none",
            "survey.funnel.monthly_churn_rate": DELETE,
            "survey.funnel.nrr": DELETE,
        },
    ),
]


def test_healthy_baseline_raises_nothing() -> None:
    assert raised(build()) == set()


@pytest.mark.parametrize(("rule_id", "case", "edits"), FIRES, ids=[f"{r}: {c}" for r, c, _ in FIRES])
def test_rule_fires(rule_id: str, case: str, edits: dict[str, Any]) -> None:
    assert rule_id in raised(build(**edits))


@pytest.mark.parametrize(("rule_id", "case", "edits"), NEAR_MISSES, ids=[f"{r}: {c}" for r, c, _ in NEAR_MISSES])
def test_rule_stays_silent(rule_id: str, case: str, edits: dict[str, Any]) -> None:
    assert rule_id not in raised(build(**edits))


def test_every_rule_has_a_firing_and_a_silent_case() -> None:
    from assessment import load_content

    rule_ids = {rule.id for rule in load_content().rules}
    assert {r for r, _, _ in FIRES} == rule_ids
    assert {r for r, _, _ in NEAR_MISSES} == rule_ids


def test_finding_explains_itself_with_facts_and_values() -> None:
    diagnosis = run(build(**{"checklist.tools.ma_sfa_integration": "no"}))
    finding = next(f for f in diagnosis.findings if f.rule_id == "data_silo")
    looked_at = {o.fact: o.value for o in finding.evidence}
    assert looked_at["answer.tools.ma_sfa_integration"] == "no"
    assert looked_at["tool.ma"] == "in_use"
    assert "両者の連携が設計されておらず" in finding.explanation.ja
    assert "the link between them was never designed" in finding.explanation.en
    assert finding.severity == "high"
    assert "ma_sfa_integration" in finding.addressed_by


def test_missing_figure_neither_raises_nor_clears() -> None:
    """Without a response time the hand-off rule still judges on the answers alone."""
    document = build(**{"survey.funnel.lead_response_hours": None})
    assert "handoff_friction" not in raised(document)
    document = build(**{"survey.funnel.lead_response_hours": None, "checklist.org.handoff_rules": "no"})
    assert "handoff_friction" in raised(document)


def test_a_missing_figure_is_said_without_its_unit() -> None:
    """A sentence about a figure is said only when the figure is known; none ever reads 未回答% or 未回答時間."""
    document = build(**{
        "survey.funnel.lead_response_hours": None, "survey.funnel.mqls": None, "survey.funnel.sqls": None,
        "checklist.org.handoff_rules": "no", "checklist.org.mql_definition": "no",
    })  # fmt: skip
    findings = {f.rule_id: f for f in run(document).findings}
    handoff, quality = findings["handoff_friction"].explanation, findings["lead_quality"].explanation
    assert "初回対応" not in handoff.ja and "first response" not in handoff.en
    assert "MQLの基準が文書になっておらず" in quality.ja and "転換率" not in quality.ja
    for finding in findings.values():
        for text in (finding.explanation.ja, finding.explanation.en):
            assert not any(
                f"{gap}{unit}" in text for gap in ("未回答", "not given") for unit in ("%", "時間", "名", " hours")
            )
    with_time = run(build(**{"survey.funnel.lead_response_hours": 30, "checklist.org.handoff_rules": "no"}))
    handoff = next(f for f in with_time.findings if f.rule_id == "handoff_friction").explanation
    assert "初回対応に平均30時間かかっており" in handoff.ja and "takes 30 hours on average" in handoff.en


def test_findings_are_ordered_by_severity() -> None:
    diagnosis = run(build(**{"checklist.org.handoff_rules": "partial", "checklist.tools.ma_sfa_integration": "no"}))
    severities = [f.severity for f in diagnosis.findings]
    assert severities == sorted(severities, key=["high", "medium", "low"].index)
