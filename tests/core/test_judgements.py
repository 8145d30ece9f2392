"""Judgements a consultant must be able to sign: honest figures, rules that follow the seeds' reasoning.

Each behaviour has a case where it fires and a near miss where it must not.
"""

from __future__ import annotations

from typing import Any

import pytest

from assessment import load_content
from assessment.engine.comparison import compare
from assessment.engine.data_quality import judge_funnel
from assessment.engine.funnel import analyse_funnel
from assessment.presentation.export import diagnosis_to_dict
from assessment.presentation.text_report import render_text
from tests.core.builders import DELETE, ITEM_IDS, build, raised, run

CONTENT = load_content()
LABELS = {figure.id: figure.label for figure in CONTENT.survey.funnel}


def quality(**figures: float) -> Any:
    """The data-quality verdict on a funnel of these figures."""
    return judge_funnel(figures, CONTENT.benchmarks, LABELS)


# --- 1. impossible figures are caught before anything is built on them -------------------------------------

IMPOSSIBLE = {
    "leads": 0, "mqls": 30, "sqls": 50, "opportunities": 20, "wins": 25,
    "average_deal_size": 500_000, "nrr": 250, "monthly_revenue_target": 7_500_000,
}  # fmt: skip


def test_the_issue_s_impossible_funnel_is_invalid_and_derives_nothing() -> None:
    document = build(**{"survey.funnel": IMPOSSIBLE})
    diagnosis = run(document)
    exported = diagnosis_to_dict(diagnosis, CONTENT, "ja")["funnel"]
    assert exported["data_quality"]["status"] == "invalid"
    codes = [p["code"] for p in exported["data_quality"]["problems"]]
    assert codes == ["zero_base", "stage_exceeds_previous", "stage_exceeds_previous", "nrr_implausible"]
    assert exported["bottleneck"] is None and exported["revenue"] is None
    assert exported["required_leads"] is None and exported["required_volumes"] is None and exported["levers"] is None
    by_metric = {f["metric"]: f for f in exported["findings"]}
    for metric in ("sql_rate", "opportunity_rate", "win_rate"):
        assert by_metric[metric]["status"] is None
        assert by_metric[metric]["problem"]["code"] in ("stage_exceeds_previous", "zero_base")
    assert diagnosis.facts["status.win_rate"] is None and diagnosis.facts["metric.win_rate"] is None
    messages = " ".join(p["message"] for p in exported["data_quality"]["problems"])
    assert "アウトバウンドのアポをSQLに数えて" in messages  # the usual cause, in the client's words
    assert "更新やアップセルを新規受注に数えて" in messages


@pytest.mark.parametrize(
    ("figures", "code"),
    [
        ({"leads": 100, "mqls": 150}, "stage_exceeds_previous"),
        ({"mqls": 40, "sqls": 41}, "stage_exceeds_previous"),
        ({"sqls": 10, "opportunities": 12}, "stage_exceeds_previous"),
        ({"opportunities": 10, "wins": 11}, "stage_exceeds_previous"),
        ({"leads": 100, "sqls": 120}, "stage_exceeds_previous"),  # a skipped stage: compared with the one before
        ({"leads": 0, "mqls": 3}, "zero_base"),
        ({"leads": -5}, "negative"),
    ],
)
def test_impossible_figures_are_invalid(figures: dict[str, float], code: str) -> None:
    verdict = quality(**figures)
    assert verdict.status == "invalid"
    assert [p.code for p in verdict.problems] == [code]


@pytest.mark.parametrize(
    "figures",
    [
        {"leads": 100, "mqls": 100, "sqls": 100},  # equal stages: possible
        {"leads": 0, "mqls": 0, "sqls": 0},  # nothing at all: possible
        {"nps": -40},  # NPS is meant to go below zero
    ],
)
def test_near_misses_of_impossible_figures_are_ok(figures: dict[str, float]) -> None:
    assert quality(**figures).status == "ok"


@pytest.mark.parametrize(
    ("figures", "code"),
    [
        ({"nrr": 210}, "nrr_implausible"),
        ({"lead_response_hours": 0}, "zero_response"),
        ({"wins": 3, "pipeline_amount": 0}, "no_pipeline_with_wins"),
        ({"pipeline_amount": 400_000_000, "monthly_revenue_target": 10_000_000}, "coverage_outlier"),
        ({"opportunities": 10, "wins": 9}, "win_rate_implausible"),
        (
            {
                "opportunities": 10,
                "sales_cycle_days": 150,
                "average_deal_size": 6_000_000,
                "pipeline_amount": 720_000_000,
                "monthly_revenue_target": 18_000_000,
            },
            "coverage_beyond_cycle",
        ),
        ({"wins": 5, "average_deal_size": 1_000_000, "monthly_revenue_target": 100_000}, "target_mismatch"),
    ],
)
def test_implausible_figures_are_questionable_and_still_analysed(figures: dict[str, float], code: str) -> None:
    verdict = quality(**figures)
    assert verdict.status == "questionable"
    assert [p.code for p in verdict.problems] == [code]
    assert analyse_funnel(figures, CONTENT.benchmarks, LABELS).derived


@pytest.mark.parametrize(
    "figures",
    [
        {"nrr": 200},
        {"lead_response_hours": 0.1},
        {"wins": 0, "pipeline_amount": 0},
        {"pipeline_amount": 240_000_000, "monthly_revenue_target": 10_000_000},
        {"opportunities": 4, "wins": 4},  # too few opportunities to call a 100% win rate odd
        {"opportunities": 10, "wins": 7},
        {
            "opportunities": 10,
            "sales_cycle_days": 150,
            "average_deal_size": 6_000_000,
            "pipeline_amount": 580_000_000,
            "monthly_revenue_target": 18_000_000,
        },
        {"wins": 5, "average_deal_size": 1_000_000, "monthly_revenue_target": 100_000_000},
    ],
)
def test_near_misses_of_implausible_figures_are_ok(figures: dict[str, float]) -> None:
    assert quality(**figures).status == "ok"


def test_a_pipeline_beyond_the_cycle_is_said_in_the_client_s_numbers() -> None:
    figures = {"opportunities": 10, "sales_cycle_days": 150, "average_deal_size": 6_000_000,
               "pipeline_amount": 720_000_000, "monthly_revenue_target": 18_000_000}  # fmt: skip
    (problem,) = quality(**figures).problems
    assert problem.message("ja").startswith(
        "毎月10件の商談が平均150日で決着するなら、進行中の商談は50件前後、金額にして3億円"
    )
    assert "7億2,000万円（月間目標の40倍）" in problem.message("ja")
    assert "about 50 should be open, worth about ¥300,000,000" in problem.message("en")


def test_a_healthy_funnel_is_ok_and_fully_derived() -> None:
    exported = diagnosis_to_dict(run(build()), CONTENT, "en")["funnel"]
    assert exported["data_quality"] == {"status": "ok", "problems": []}
    assert exported["revenue"]["monthly_revenue"] == 10_000_000 and exported["levers"]


def test_the_text_output_says_so_where_the_funnel_is_shown_first() -> None:
    text = render_text(run(build(**{"survey.funnel": IMPOSSIBLE})), CONTENT, "ja")
    funnel = text[text.index("[ファネルとベンチマーク]") :]
    first_lines = funnel.splitlines()[1:3]
    assert "数値に矛盾がある" in first_lines[0] and "リードが0件なのに、MQLが30件" in first_lines[1]
    assert "売上の数式（月次）:" not in text and "必要な月間リード数:" not in text and "ボトルネック:" not in text


# --- a checklist mostly unanswered is provisional ----------------------------------------------------------


def _answered(count: int) -> dict[str, Any]:
    return build(checklist={item: "no" for item in ITEM_IDS[:count]})


def test_fewer_than_half_the_statements_make_scores_and_risks_provisional() -> None:
    diagnosis = run(_answered(9))
    assert diagnosis.completeness.provisional and diagnosis.completeness.needed == 1
    exported = diagnosis_to_dict(diagnosis, CONTENT, "en")
    assert exported["completeness"] == {"answered": 9, "statements": 20, "missing": 11, "provisional": True}
    assert exported["failure_patterns"] and all(f["provisional"] for f in exported["failure_patterns"])
    assert "Provisional: only 9 of the 20 statements are answered" in render_text(diagnosis, CONTENT, "en")


def test_half_the_statements_answered_is_not_provisional() -> None:
    diagnosis = run(_answered(10))
    assert not diagnosis.completeness.provisional
    assert "暫定" not in render_text(diagnosis, CONTENT, "ja")


def test_dont_know_is_not_an_answer_for_completeness() -> None:
    document = build(checklist=dict.fromkeys(ITEM_IDS, "unknown"))
    assert run(document).completeness.answered == 0


# --- 2. judgements that follow the seeds -------------------------------------------------------------------


def test_churn_is_described_against_its_ceiling() -> None:
    """3% churn against a 1% ceiling is three times the limit, not a third of a lower limit."""
    diagnosis = run(build(**{"survey.funnel.monthly_churn_rate": 3, "survey.departments.customer_success": "shared"}))
    bottleneck = diagnosis.funnel.bottleneck
    assert bottleneck is not None and bottleneck.metric == "monthly_churn_rate"
    assert (bottleneck.bound, bottleneck.times_limit) == ("max", 3.0)
    aftercare = next(f for f in diagnosis.findings if f.rule_id == "thin_aftercare").explanation
    assert "目安の上限1%の3倍に達しています" in aftercare.ja and "3 times the 1% ceiling" in aftercare.en
    text = render_text(diagnosis, CONTENT, "ja")
    assert "上限1%の3倍" in text and "下限" not in text.split("ボトルネック")[1].splitlines()[0]


def test_a_conversion_is_described_against_its_floor() -> None:
    diagnosis = run(build(**{"survey.funnel.sqls": 30, "survey.funnel.opportunities": 25, "survey.funnel.wins": 5}))
    bottleneck = diagnosis.funnel.bottleneck
    assert bottleneck is not None and (bottleneck.metric, bottleneck.bound) == ("sql_rate", "min")
    assert bottleneck.times_limit == round(20 / 30, 2)


SMALL_SPREADSHEET_FIRM = {
    "client.employees": 45,
    "survey.departments": {"marketing": "none", "inside_sales": "none", "field_sales": "dedicated"},
    "survey.tools": {"ma": "none", "sfa": "none", "spreadsheet": True},
    "checklist.tools.sfa_plan": "no",
}


def test_tools_before_the_split_fires_when_the_next_phase_divides_the_work() -> None:
    diagnosis = run(build(**SMALL_SPREADSHEET_FIRM))
    assert diagnosis.facts["count.staffed_departments"] == 1 and diagnosis.facts["phase.step"] == 1
    finding = next(f for f in diagnosis.findings if f.rule_id == "no_tooling")
    assert "次に目指すPhase 1では仕事を分ける" in finding.explanation.ja


def test_tools_before_the_split_stays_silent_with_an_sfa_in_use() -> None:
    assert "no_tooling" not in raised(
        build(**{**SMALL_SPREADSHEET_FIRM, "survey.tools": {"ma": "none", "sfa": "in_use"}})
    )


HEALTHY_DEDICATED_TEAMS = {
    "checklist.data.reporting_requirements": "no",
    "checklist.org.customer_success_plan": "no",
    "survey.funnel.monthly_churn_rate": 0.7,
    "survey.funnel.nrr": 108,
}


def test_evidence_that_disproves_hollow_roles_keeps_the_risk_down() -> None:
    """Dedicated IS and CS, SQLs converting within range, churn 0.7%, NRR 108%: the roles are not hollow."""
    assert "hollow_roles" not in raised(build(**HEALTHY_DEDICATED_TEAMS))


def test_hollow_roles_fire_when_the_figures_do_not_show_the_value() -> None:
    document = build(**{**HEALTHY_DEDICATED_TEAMS, "survey.funnel.monthly_churn_rate": DELETE,
                        "survey.funnel.nrr": DELETE})  # fmt: skip
    finding = next(f for f in run(document).findings if f.rule_id == "hollow_roles")
    assert "解約率もNRRも測っておらず" in finding.explanation.ja
    assert "ISの貢献" not in finding.explanation.ja  # inside sales' value is shown by its conversion


LOOSE_MQL_BAR = {"survey.funnel.mqls": 600, "survey.funnel.sqls": 72, "survey.funnel.opportunities": 50}


def test_an_mql_bar_set_too_low_is_one_story_with_weak_conversion() -> None:
    diagnosis = run(build(**LOOSE_MQL_BAR))
    assert diagnosis.facts["status.mql_rate"] == "above" and diagnosis.facts["status.sql_rate"] == "below"
    quality_risk = next(f for f in diagnosis.findings if f.rule_id == "lead_quality").explanation
    assert "MQLの基準が低すぎて" in quality_risk.ja and "The MQL bar is set too low" in quality_risk.en
    assert "目安の30〜50%を下回っています" not in quality_risk.ja  # said once, as one story


def test_a_weak_conversion_alone_is_not_called_a_loose_bar() -> None:
    diagnosis = run(build(**{"survey.funnel.sqls": 30, "survey.funnel.opportunities": 25, "survey.funnel.wins": 5}))
    explanation = next(f for f in diagnosis.findings if f.rule_id == "lead_quality").explanation.ja
    assert "目安の30〜50%を下回っています" in explanation and "低すぎ" not in explanation


def test_no_conversion_lever_behind_a_loose_mql_bar() -> None:
    loose = run(build(**LOOSE_MQL_BAR)).funnel
    assert "sql_rate" not in {lever.factor for lever in loose.levers}
    near_miss = run(build(**{"survey.funnel.sqls": 30, "survey.funnel.opportunities": 25, "survey.funnel.wins": 5}))
    assert "sql_rate" in {lever.factor for lever in near_miss.funnel.levers}


EIGHT_PERSON_FIRM = {
    "client.employees": 8,
    "survey.departments": {"marketing": "shared", "inside_sales": "dedicated", "field_sales": "dedicated"},
    "checklist.org.baton_meeting": "no",
    "checklist.org.handoff_rules": "no",
    "checklist.data.customer_master": "no",
}


def test_formal_division_headlines_for_a_small_firm_with_a_dedicated_inside_seller() -> None:
    findings = run(build(**EIGHT_PERSON_FIRM)).findings
    assert findings[0].rule_id == "formal_division" and findings[0].severity == "high"
    silo = next(f for f in findings if f.rule_id == "silo")
    assert silo.severity == "medium"
    assert "30名までの段階では営業が初回接触から受注までを担う" in findings[0].explanation.ja


def test_formal_division_stays_medium_at_a_size_that_fits_division() -> None:
    findings = run(build(**{**EIGHT_PERSON_FIRM, "client.employees": 150})).findings
    ranked = [f.rule_id for f in findings]
    assert ranked.index("silo") < ranked.index("formal_division") if "formal_division" in ranked else True
    assert next(f for f in findings if f.rule_id == "silo").severity == "high"


def test_risks_of_equal_severity_rank_by_supporting_evidence() -> None:
    findings = run(build(**{"checklist.org.mql_definition": "no", "checklist.org.sql_definition": "no",
                            "checklist.tools.ma_sfa_integration": "no"})).findings  # fmt: skip
    highs = [f for f in findings if f.severity == "high"]
    assert [f.strength for f in highs] == sorted((f.strength for f in highs), reverse=True)


def test_evidence_has_one_row_per_fact() -> None:
    """no_tooling looks at tool.sfa twice (ne in_use, eq none): the reader sees one row for it."""
    finding = next(f for f in run(build(**SMALL_SPREADSHEET_FIRM)).findings if f.rule_id == "no_tooling")
    facts = [o.fact for o in finding.evidence]
    assert facts.count("tool.sfa") == 1 and len(facts) == len(set(facts))


def test_a_workshop_file_without_a_checklist_is_scored_on_the_consensus() -> None:
    respondents = [
        {"department": "marketing", "answers": dict.fromkeys(ITEM_IDS, "yes")},
        {"department": "field_sales", "answers": dict.fromkeys(ITEM_IDS, "partial")},
    ]
    diagnosis = run(build(checklist=DELETE, respondents=respondents))
    assert diagnosis.scores.overall == 50.0  # the lower median of yes and partly is partly
    assert not diagnosis.completeness.provisional


def test_an_answer_the_file_gives_wins_over_the_consensus() -> None:
    respondents = [{"department": "marketing", "answers": dict.fromkeys(ITEM_IDS, "yes")}]
    document = build(checklist={"org.mql_definition": "no"}, respondents=respondents)
    assert run(document).assessment.answers["org.mql_definition"] == "no"
    assert run(document).assessment.answers["org.sql_definition"] == "yes"


GAP_ON_HANDOFF = [
    {"department": "marketing", "answers": {"org.handoff_rules": "yes"}},
    {"department": "field_sales", "answers": {"org.handoff_rules": "no"}},
]


def test_a_risk_fed_by_a_perception_gap_is_not_resolved_while_the_gap_remains() -> None:
    before = run(build(**{"checklist.org.handoff_rules": "partial"}, respondents=GAP_ON_HANDOFF))
    assert "gap.org.handoff_rules" in {o.fact for f in before.findings for o in f.supporting}
    # the consultant now records hand-off rules as in place, but the departments still disagree
    after = run(build(**{"checklist.org.handoff_rules": "yes", "checklist.org.kpis_defined": "no"},
                      respondents=GAP_ON_HANDOFF))  # fmt: skip
    comparison = compare(before, after)
    assert "handoff_friction" not in comparison.risks_resolved
    assert "handoff_friction" in comparison.risks_still_disputed


def test_a_risk_is_resolved_once_its_gap_is_closed() -> None:
    before = run(build(**{"checklist.org.handoff_rules": "partial"}, respondents=GAP_ON_HANDOFF))
    agreeing = [{"department": d, "answers": {"org.handoff_rules": "yes"}} for d in ("marketing", "field_sales")]
    after = run(build(**{"checklist.org.handoff_rules": "yes"}, respondents=agreeing))
    comparison = compare(before, after)
    assert "handoff_friction" in comparison.risks_resolved and not comparison.risks_still_disputed


def test_the_text_output_names_no_rule_ids() -> None:
    text = render_text(run(build(**EIGHT_PERSON_FIRM)), CONTENT, "ja")
    assert "formal_division" not in text and "(silo)" not in text


EARLY_BPR = {"checklist.org.handoff_rules": "partial", "checklist.tools.lead_scoring": "no"}


def test_missing_lead_scoring_counts_against_a_company_running_ma() -> None:
    finding = next(f for f in run(build(**EARLY_BPR)).findings if f.rule_id == "tools_without_bpr")
    assert "リードスコアリングが設計されておらず" in finding.explanation.ja


def test_missing_lead_scoring_says_nothing_about_a_company_without_ma() -> None:
    document = build(**EARLY_BPR, **{"survey.tools.ma": "none"})
    assert "tools_without_bpr" not in raised(document)


def test_no_wins_in_a_month_of_a_long_cycle_is_questionable() -> None:
    verdict = quality(opportunities=12, wins=0, sales_cycle_days=120)
    assert [p.code for p in verdict.problems] == ["no_wins_long_cycle"]
    assert "営業サイクルが120日と1か月より長く" in verdict.problems[0].message("ja")
    assert quality(opportunities=12, wins=0, sales_cycle_days=25).status == "ok"  # a short cycle: 0 wins is news


def test_a_risk_resting_only_on_dont_know_is_unconfirmed_and_ranked_last() -> None:
    document = build(**{"checklist.data.customer_master": "unknown", "checklist.tools.ma_sfa_integration": "unknown",
                        "checklist.org.handoff_rules": "no", "checklist.org.baton_meeting": "no"})  # fmt: skip
    findings = run(document).findings
    data_silo = next(f for f in findings if f.rule_id == "data_silo")
    assert not data_silo.confirmed and findings[-1].rule_id == "data_silo"
    assert data_silo.explanation.ja.startswith("このリスクは「わからない」との回答から推定したもので")
    assert "「顧客データが一つのCRMに集約され" in data_silo.explanation.ja
    assert all(f.confirmed for f in findings if f.rule_id != "data_silo")
    exported = diagnosis_to_dict(run(document), CONTENT, "ja")["failure_patterns"]
    assert next(f for f in exported if f["id"] == "data_silo")["confirmed"] is False
    assert "[高・要確認]" in render_text(run(document), CONTENT, "ja")


def test_a_risk_with_a_definite_no_is_confirmed() -> None:
    finding = next(
        f for f in run(build(**{"checklist.data.customer_master": "no"})).findings if f.rule_id == "data_silo"
    )
    assert finding.confirmed and not finding.explanation.ja.startswith("このリスクは")


def test_loose_definitions_with_healthy_conversion_weigh_medium() -> None:
    healthy = next(f for f in run(build(**{"checklist.org.mql_definition": "partial"})).findings)
    assert (healthy.rule_id, healthy.severity) == ("lead_quality", "medium")
    weak = run(build(**{"checklist.org.mql_definition": "partial", "survey.funnel.sqls": 30,
                        "survey.funnel.opportunities": 25, "survey.funnel.wins": 5}))  # fmt: skip
    assert next(f for f in weak.findings if f.rule_id == "lead_quality").severity == "high"


def test_a_slow_first_response_makes_inside_sales_the_bottleneck() -> None:
    """72 hours against the 24-hour line is a third of the limit: no 'every stage within benchmark'."""
    diagnosis = run(build(**{"survey.funnel.lead_response_hours": 72}))
    bottleneck = diagnosis.funnel.bottleneck
    assert bottleneck is not None and (bottleneck.stage, bottleneck.metric) == ("inside_sales", "lead_response_hours")
    assert bottleneck.below_benchmark and bottleneck.times_limit == 3.0
    text = render_text(diagnosis, CONTENT, "ja")
    assert "主要指標はすべて目安内" not in text and "72時間  (≤ 24時間: 上限を超える)" in text


def test_a_list_of_unknowns_does_not_open_with_nao() -> None:
    """When no other sentence is said, the statements to confirm open the explanation (no dangling なお)."""
    from assessment.engine.rules import explain

    rule = next(r for r in CONTENT.rules if r.id == "lead_quality")
    diagnosis = run(build(**{"checklist.org.mql_definition": "unknown"}))
    finding = next(f for f in diagnosis.findings if f.rule_id == "lead_quality")
    text = explain(rule, diagnosis.facts, CONTENT, finding.evidence, finding.confirmed)
    assert "なお、" not in text.ja and "「MQLの定義と判定基準" in text.ja
    assert ".;" not in text.en and ".." not in text.en


PHASE_ZERO = {"survey.departments": {"marketing": "none", "inside_sales": "none", "field_sales": "dedicated",
                                     "customer_success": "shared"}, "checklist.org.mql_definition": "no",
              "checklist.org.handoff_rules": "no", "checklist.org.kpis_defined": "partial"}  # fmt: skip


def test_no_lead_hand_off_no_lead_quality_or_hand_off_risk() -> None:
    """Neither marketing nor inside sales: sales finds its own leads, so no MQL/SQL hand-off can go wrong yet."""
    assert not {"lead_quality", "handoff_friction"} & raised(build(**PHASE_ZERO))


def test_a_part_time_marketer_makes_a_lead_hand_off() -> None:
    document = build(**{**PHASE_ZERO, "survey.departments.marketing": "shared"})
    assert {"lead_quality", "handoff_friction"} <= raised(document)


def test_pipeline_coverage_is_judged_against_the_sales_cycle() -> None:
    """3-4x the monthly target is for deals that close within a month; a 90-day cycle needs 9-12x."""
    long = run(build(**{"survey.funnel.pipeline_amount": 60_000_000, "survey.funnel.sales_cycle_days": 90}))
    finding = next(f for f in long.funnel.findings if f.metric == "pipeline_coverage")
    assert (finding.min, finding.max, finding.status) == (9.0, 12.0, "below")
    short = run(build(**{"survey.funnel.pipeline_amount": 60_000_000, "survey.funnel.sales_cycle_days": 30}))
    finding = next(f for f in short.funnel.findings if f.metric == "pipeline_coverage")
    assert (finding.min, finding.max, finding.status) == (3, 4, "above")
    assert "(9–12倍: 目安に届かない)" in render_text(long, CONTENT, "ja")


def test_a_target_and_deal_size_beyond_a_floats_range_are_a_data_problem_not_a_crash() -> None:
    """Hypothesis found wins × deal size overflowing to infinity: round(inf) raised OverflowError."""
    from assessment.engine.data_quality import RATIO_SHOWN_MAX, _implausible

    problems = _implausible({"wins": 1e300, "average_deal_size": 1e300, "monthly_revenue_target": 1.0})
    mismatch = [p for p in problems if p.code == "target_mismatch"]
    assert mismatch and mismatch[0].params["ratio"] == RATIO_SHOWN_MAX
